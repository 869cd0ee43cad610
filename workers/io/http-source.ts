/**
 * An image on a web server, read by HTTP range requests (RFC 9110 §14):
 * identification needs a few hundred KiB of a multi-gigabyte file at most,
 * so a URL can be inspected before it is downloaded. Nothing is ever written to disk.
 *
 * - Reads go through aligned 64 KiB blocks; the blocks that reads ask for in
 *   the same turn of the event loop are fetched together, one request per run
 *   of adjacent blocks, so the readers' dozens of small reads become a few
 *   requests.
 * - Every response is checked before a byte is used: 206 with a
 *   Content-Range that is exactly the range asked for and the size first
 *   seen, the same validator (ETag, else Last-Modified) as the first
 *   response, and a body of exactly the range's length. A server that
 *   ignores Range (200), a file replaced between requests, a cut response, a
 *   silent server and a bad certificate each give a typed error (codes
 *   HTTP_*), never bytes of another file.
 * - `chunks()` (hashing) streams one ranged GET, checked the same way.
 */
import { assertReadArgs, clampRange, type ByteSource } from './byte-source.ts';
import { FormatError } from './format-error.ts';
import { PromiseCache } from './promise-cache.ts';

export interface HttpSourceOptions {
  /** A request with no response, or a body with no bytes, for this long fails with HTTP_TIMEOUT. */
  timeoutMs?: number;
  /** For tests: the fetch to use. */
  fetch?: typeof fetch;
}

const BLOCK = 64 * 1024;
/** Blocks kept (16 MiB); the least recently used go first. */
const MAX_BLOCKS = 256;
/** A request never asks for more than this (reads are capped at 64 MiB anyway). */
const MAX_REQUEST = 64 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

const STRUCTURE = 'HTTP';
const fail = (code: string, message: string) => new FormatError(code, message, STRUCTURE, null);

/** The error codes of certificate and TLS failures Node's fetch (undici) reports as a TypeError's cause. */
function isTlsCode(code: string): boolean {
  return /^(CERT_|ERR_TLS|ERR_SSL|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_TLS_CERT)/.test(code);
}

/** A fetch failure as a typed error that says what happened. */
function networkError(e: unknown, url: string, timeoutMs: number): FormatError {
  if (e instanceof FormatError) return e;
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return fail('HTTP_TIMEOUT', `${url}: no answer within ${Math.round(timeoutMs / 1000)} s; nothing was downloaded`);
  const code = err.cause?.code ?? '';
  if (isTlsCode(code)) return fail('HTTP_TLS', `${url}: the server's certificate is not trusted (${code}); nothing was read`);
  if (/redirect/i.test(err.cause?.message ?? err.message ?? '')) return fail('HTTP_REDIRECTS', `${url}: too many redirects`);
  return fail('HTTP_NETWORK', `${url}: ${code || err.cause?.message || err.message || 'the request failed'}`);
}

interface Validator {
  etag: string | null;
  lastModified: string | null;
}

/** Content-Range: "bytes first-last/complete" (RFC 9110 §14.4). */
function contentRange(res: Response): { first: number; last: number; total: number | null } | null {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range')?.trim() ?? '');
  return m ? { first: Number(m[1]), last: Number(m[2]), total: m[3] === '*' ? null : Number(m[3]) } : null;
}

export class HttpRangeSource implements ByteSource {
  /** Requests made so far, and the bytes their bodies carried. */
  requests = 0;
  bytesTransferred = 0;
  private readonly blocks = new PromiseCache<number, Uint8Array>(MAX_BLOCKS);
  private wanted = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: unknown) => void; promise: Promise<Uint8Array> }>();
  private flushing = false;

  private constructor(
    /** The URL after redirects: every later request goes there. */
    readonly url: string,
    readonly name: string,
    readonly size: number,
    private readonly validator: Validator,
    private readonly timeoutMs: number,
    private readonly fetchImpl: typeof fetch,
    first: Uint8Array,
  ) {
    void this.blocks.set(0, Promise.resolve(first));
  }

  /** The first request learns the size, the final URL and the validator, and keeps the first block. */
  static async open(url: string, options: HttpSourceOptions = {}): Promise<HttpRangeSource> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const fetchImpl = options.fetch ?? fetch;
    const probe = { count: 0, bytes: 0 };
    const { res, bytes } = await rangeRequest(fetchImpl, url, 0, BLOCK - 1, null, null, timeoutMs, probe);
    const range = contentRange(res)!;
    if (range.total === null) throw fail('HTTP_NO_SIZE', `${url}: the server does not say how large the file is (Content-Range "*")`);
    const finalUrl = res.url || url;
    const last = new URL(finalUrl).pathname.split('/').filter(Boolean).pop();
    let name = new URL(finalUrl).hostname;
    try {
      if (last) name = decodeURIComponent(last);
    } catch {
      name = last ?? name;
    }
    const validator = { etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') };
    const src = new HttpRangeSource(finalUrl, name, range.total, validator, timeoutMs, fetchImpl, bytes);
    src.requests = probe.count;
    src.bytesTransferred = probe.bytes;
    return src;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertReadArgs(offset, length);
    const n = clampRange(this.size, offset, length);
    if (n === 0) return new Uint8Array(0);
    const firstBlock = Math.floor(offset / BLOCK);
    const lastBlock = Math.floor((offset + n - 1) / BLOCK);
    const parts = await Promise.all(Array.from({ length: lastBlock - firstBlock + 1 }, (_, i) => this.block(firstBlock + i)));
    const out = new Uint8Array(n);
    let at = 0;
    for (const [i, part] of parts.entries()) {
      const start = i === 0 ? offset - firstBlock * BLOCK : 0;
      const piece = part.subarray(start, Math.min(part.length, start + n - at));
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }

  private block(index: number): Promise<Uint8Array> {
    const kept = this.blocks.get(index);
    if (kept) return kept;
    let entry = this.wanted.get(index);
    if (!entry) {
      let resolve!: (b: Uint8Array) => void, reject!: (e: unknown) => void;
      const promise = new Promise<Uint8Array>((res, rej) => ((resolve = res), (reject = rej)));
      entry = { resolve, reject, promise };
      this.wanted.set(index, entry);
      // Kept for every reader of the block; flush() settles it.
      void this.blocks.set(index, promise);
      if (!this.flushing) {
        this.flushing = true;
        // Blocks asked for in this turn are fetched together.
        setTimeout(() => void this.flush(), 0);
      }
    }
    return entry.promise;
  }

  /** One request per run of adjacent wanted blocks. */
  private async flush(): Promise<void> {
    const wanted = this.wanted;
    this.wanted = new Map();
    this.flushing = false;
    const indices = [...wanted.keys()].sort((a, b) => a - b);
    const runs: number[][] = [];
    for (const i of indices) {
      const run = runs.at(-1);
      if (run && run.at(-1)! + 1 === i && (run.length + 1) * BLOCK <= MAX_REQUEST) run.push(i);
      else runs.push([i]);
    }
    await Promise.all(
      runs.map(async (run) => {
        const start = run[0]! * BLOCK;
        const end = Math.min(this.size, (run.at(-1)! + 1) * BLOCK) - 1;
        try {
          const bytes = await this.fetchRange(start, end);
          for (const i of run) wanted.get(i)!.resolve(bytes.subarray(i * BLOCK - start, Math.min(bytes.length, (i + 1) * BLOCK - start)));
        } catch (e) {
          for (const i of run) wanted.get(i)!.reject(e);
        }
      }),
    );
  }

  private async fetchRange(start: number, end: number): Promise<Uint8Array> {
    const counter = { count: 0, bytes: 0 };
    try {
      const { bytes } = await rangeRequest(this.fetchImpl, this.url, start, end, this.size, this.validator, this.timeoutMs, counter);
      return bytes;
    } finally {
      this.requests += counter.count;
      this.bytesTransferred += counter.bytes;
    }
  }

  /** The range front to back through one streamed request (hashing), re-cut into pieces of at most `chunkSize`. */
  async *chunks(offset: number, length: number, chunkSize: number): AsyncGenerator<Uint8Array, void, void> {
    const n = clampRange(this.size, offset, length);
    if (n === 0) return;
    const end = offset + n - 1;
    const controller = new AbortController();
    let idle: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(new DOMException('idle', 'TimeoutError')), this.timeoutMs);
    };
    arm();
    let res: Response;
    try {
      this.requests += 1;
      res = await this.fetchImpl(this.url, { headers: rangeHeaders(offset, end), signal: controller.signal, redirect: 'follow' });
      checkHeaders(res, this.url, offset, end, this.size, this.validator);
    } catch (e) {
      clearTimeout(idle);
      controller.abort();
      throw networkError(e, this.url, this.timeoutMs);
    }
    const reader = res.body!.getReader();
    let done = 0;
    let pending: Uint8Array = new Uint8Array(0);
    try {
      for (;;) {
        arm();
        const { value, done: finished } = await reader.read().catch((e: unknown) => {
          if (controller.signal.aborted) throw e;
          throw fail('HTTP_TRUNCATED', `${this.url}: the response ended after ${done + pending.length} of ${n} bytes (the connection closed)`);
        });
        if (finished) break;
        if (done + pending.length + value.length > n) throw fail('HTTP_TOO_LONG', `${this.url}: the server sent more than the ${n} bytes asked for`);
        this.bytesTransferred += value.length;
        pending = pending.length ? concat(pending, value) : value;
        while (pending.length >= chunkSize) {
          yield pending.subarray(0, chunkSize);
          done += chunkSize;
          pending = pending.subarray(chunkSize);
        }
      }
      if (pending.length) {
        yield pending;
        done += pending.length;
      }
      if (done !== n) throw fail('HTTP_TRUNCATED', `${this.url}: the response ended after ${done} of ${n} bytes`);
    } catch (e) {
      throw networkError(e, this.url, this.timeoutMs);
    } finally {
      clearTimeout(idle);
      controller.abort();
      reader.releaseLock();
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function rangeHeaders(start: number, end: number): Record<string, string> {
  // identity: a compressed body has no byte ranges of the file.
  return { range: `bytes=${start}-${end}`, 'accept-encoding': 'identity' };
}

/** Status, Content-Range and validator of a response to `bytes=start-end`, before its body is read. */
function checkHeaders(res: Response, url: string, start: number, end: number, size: number | null, validator: Validator | null): void {
  if (res.status === 200)
    throw fail('HTTP_NO_RANGE', `${url}: the server ignores range requests (it answered 200 with the whole file); isoscope reads URLs only by ranges`);
  if (res.status !== 206) throw fail('HTTP_STATUS', `${url}: the server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  const range = contentRange(res);
  const wantEnd = size === null ? end : Math.min(end, size - 1);
  if (!range || range.first !== start || (size === null ? range.last > end : range.last !== wantEnd))
    throw fail('HTTP_BAD_RANGE', `${url}: asked for bytes ${start}-${wantEnd}, the server sent "${res.headers.get('content-range') ?? 'no Content-Range'}"`);
  if (size !== null && range.total !== size) throw fail('HTTP_CHANGED', `${url}: the file was ${size} bytes and is now ${range.total ?? 'of unknown size'}`);
  if (validator) {
    const etag = res.headers.get('etag');
    const modified = res.headers.get('last-modified');
    if ((validator.etag && etag !== validator.etag) || (!validator.etag && validator.lastModified && modified !== validator.lastModified))
      throw fail(
        'HTTP_CHANGED',
        `${url}: the file changed between requests (${validator.etag ? `ETag ${validator.etag} then ${etag}` : `Last-Modified ${validator.lastModified} then ${modified}`})`,
      );
  }
}

/** One checked ranged GET, its body read in full (at most `end - start + 1` bytes). */
async function rangeRequest(
  fetchImpl: typeof fetch,
  url: string,
  start: number,
  end: number,
  size: number | null,
  validator: Validator | null,
  timeoutMs: number,
  counter: { count: number; bytes: number },
): Promise<{ res: Response; bytes: Uint8Array }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('timeout', 'TimeoutError')), timeoutMs);
  try {
    counter.count += 1;
    const res = await fetchImpl(url, { headers: rangeHeaders(start, end), signal: controller.signal, redirect: 'follow' });
    checkHeaders(res, url, start, end, size, validator);
    const range = contentRange(res)!;
    const expected = range.last - range.first + 1;
    const reader = res.body!.getReader();
    const bytes = new Uint8Array(expected);
    let at = 0;
    for (;;) {
      // A connection closed mid-body is a cut response, whatever the socket layer calls it.
      const { value, done } = await reader.read().catch((e: unknown) => {
        if (controller.signal.aborted) throw e;
        throw fail(
          'HTTP_TRUNCATED',
          `${url}: the response for bytes ${range.first}-${range.last} ended after ${at} of ${expected} bytes (the connection closed)`,
        );
      });
      if (done) break;
      if (at + value.length > expected) throw fail('HTTP_TOO_LONG', `${url}: the server sent more than the ${expected} bytes asked for`);
      bytes.set(value, at);
      at += value.length;
      counter.bytes += value.length;
    }
    if (at !== expected) throw fail('HTTP_TRUNCATED', `${url}: the response for bytes ${range.first}-${range.last} ended after ${at} of ${expected} bytes`);
    return { res, bytes };
  } catch (e) {
    throw networkError(controller.signal.aborted && !(e instanceof FormatError) ? new DOMException('timeout', 'TimeoutError') : e, url, timeoutMs);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
