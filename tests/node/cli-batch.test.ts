/**
 * Issue #16 in the CLI: many images in one run, and images read by URL
 * before they are downloaded. Batches are checked against what isoinfo
 * reads from each image and against single-image runs; URLs are served from
 * a local HTTP(S) server on the loopback address that supports ranges, ignores
 * them, redirects, changes its ETag, cuts its responses, goes silent, or
 * presents a certificate nobody trusts.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createReadStream, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, parseReport } from './helpers.ts';

const BIN = resolve(import.meta.dirname, '../../workers/cli/bin.cjs');
const scratch = mkdtempSync(join(tmpdir(), 'isoscope-batch-'));
/** The CLI runs here: nothing may be left in it. */
const cwd = mkdtempSync(join(tmpdir(), 'isoscope-cwd-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
});

/** The CLI, run without blocking this process (the test's server answers it). */
function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr, ms: performance.now() - t0 }),
    );
  });
}
const isoinfoLabel = (path: string) => /Volume id: (.*)/.exec(execFileSync('isoinfo', ['-d', '-i', path], { encoding: 'utf8' }))![1]!.trim();

describe('batches', () => {
  const dir = join(scratch, 'folder');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  for (const n of ['win7-pro-x64.iso', 'win11-esd.iso', 'plain.iso']) copyFileSync(join(FIXTURES, n), join(dir, n));
  copyFileSync(join(FIXTURES, 'ipxe.iso'), join(dir, 'sub', 'ipxe.iso'));
  writeFileSync(join(dir, 'notes.txt'), 'not an image\n');

  it('a folder: one NDJSON line per image, in order, each the report a single run gives; other files passed over', async () => {
    const r = await cli(dir, '--json');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map(parseReport);
    expect(lines.map((l) => l.file.name)).toEqual(['plain.iso', 'win11-esd.iso', 'win7-pro-x64.iso']);
    for (const l of lines) {
      expect(l.volume?.label).toBe(isoinfoLabel(join(dir, l.file.name)));
      const single = parseReport((await cli(join(dir, l.file.name), '--json')).stdout);
      expect({ ...l, stats: null, file: { ...l.file, path: undefined } }).toEqual({ ...single, stats: null, file: { ...single.file, path: undefined } });
    }
    expect(r.stderr).toContain('3 images: 3 recognised; 1 other file passed over');
  });

  it('--recursive walks subfolders; --csv writes a table with the labels isoinfo reads', async () => {
    const r = await cli(dir, '--recursive', '--csv', '--jobs', '2');
    expect(r.status).toBe(0);
    const [head, ...rows] = r.stdout.trim().split('\n');
    expect(head!.split(',').slice(0, 4)).toEqual(['path', 'size', 'recognised', 'kind']);
    const col = head!.split(',').indexOf('label');
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const cells = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
      expect(cells[col]).toBe(isoinfoLabel(cells[0]!));
      expect(Number(cells[1])).toBe(statSync(cells[0]!).size);
    }
  });

  it('a named file that is not an image fails the batch, and the summary says which', async () => {
    const r = await cli(join(dir, 'plain.iso'), join(dir, 'notes.txt'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('plain.iso');
    expect(r.stderr).toMatch(/2 images: 1 recognised, 1 not\n {2}failed: .*notes\.txt: This is not a disc image/);
  });

  it('mixed good, broken and non-image files in a folder: broken ones named like images fail, the others are passed over, NDJSON parses back', async () => {
    const mixed = join(scratch, 'mixed');
    mkdirSync(mixed, { recursive: true });
    copyFileSync(join(FIXTURES, 'ipxe.iso'), join(mixed, 'good.iso'));
    // A download cut before its descriptors, and one that is noise with an image's name.
    writeFileSync(join(mixed, 'cut.iso'), readFileSync(join(FIXTURES, 'plain.iso')).subarray(0, 20_000));
    writeFileSync(join(mixed, 'noise.img'), Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 2654435761) >>> 24)));
    writeFileSync(join(mixed, 'readme.md'), '# not an image\n');
    const r = await cli(mixed, '--json');
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n').map(parseReport);
    expect(lines.map((l) => [l.file.name, l.recognised])).toEqual([
      ['cut.iso', false],
      ['good.iso', true],
      ['noise.img', false],
    ]);
    expect(r.stderr).toMatch(/^isoscope: 3 images: 1 recognised, 2 not; 1 other file passed over/);
    expect(r.stderr).toMatch(/failed: .*cut\.iso/);
    expect(r.stderr).toMatch(/failed: .*noise\.img/);
  });
});

/** A file server with every misbehaviour a download meets. */
function handler(files: Record<string, string>, counters: { requests: number }) {
  let version = 0;
  return (req: IncomingMessage, res: ServerResponse) => {
    counters.requests++;
    const [, mode, name] = (req.url ?? '').split('/');
    const path = files[name ?? ''];
    if (!path) return void res.writeHead(404).end();
    if (mode === 'silent') return; // never answers
    if (mode === 'redirect') return void res.writeHead(302, { location: `/range/${name}` }).end();
    const size = statSync(path).size;
    if (mode === 'norange') {
      res.writeHead(200, { 'content-length': size });
      return void createReadStream(path).pipe(res);
    }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (!m) return void res.writeHead(400).end();
    const start = Number(m[1]);
    const end = Math.min(size - 1, m[2] ? Number(m[2]) : size - 1);
    const etag = mode === 'changing' ? `"v${version++}"` : '"v1"';
    res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': end - start + 1, etag });
    if (mode === 'cut') {
      // Half the body, then the connection goes.
      const half = Math.floor((end - start + 1) / 2);
      createReadStream(path, { start, end: start + half - 1 })
        .on('end', () => res.socket?.destroy())
        .pipe(res, { end: false });
      return;
    }
    createReadStream(path, { start, end }).pipe(res);
  };
}

describe('an image by URL', () => {
  let server: Server;
  let tls: Server;
  let base = '';
  let tlsBase = '';
  const counters = { requests: 0 };
  const big = join(scratch, 'win7-sparse-4g.iso');

  beforeAll(async () => {
    // The Windows fixture at the start of a 4 GiB sparse file: identification must not read the rest.
    copyFileSync(join(FIXTURES, 'win7-pro-x64.iso'), big);
    truncateSync(big, 4 * 1024 ** 3);
    const files = { 'win7.iso': big, 'plain.iso': join(FIXTURES, 'plain.iso') };
    server = createServer(handler(files, counters));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const key = join(scratch, 'key.pem');
    const cert = join(scratch, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', key, '-out', cert], {
      stdio: 'ignore',
    });
    tls = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, handler(files, counters));
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    tlsBase = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    tls.closeAllConnections();
    await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => tls.close(r))]);
  });

  it('identifies a 4 GiB image from a few requests, as the same file on disk reads', async () => {
    const r = await cli(`${base}/range/win7.iso`, '--json');
    expect(r.status).toBe(0);
    const viaUrl = parseReport(r.stdout);
    const local = parseReport((await cli(big, '--json')).stdout);
    expect(viaUrl.windows).toEqual(local.windows);
    expect(viaUrl.volume).toEqual(local.volume);
    expect(viaUrl.provenance).toEqual(local.provenance);
    expect(viaUrl.file).toEqual({ name: 'win7.iso', size: 4 * 1024 ** 3, url: `${base}/range/win7.iso` });
    expect(viaUrl.stats.requests).toBeLessThanOrEqual(15);
    // The first 576 KiB in one request (core/inspect.ts PREFETCH_RANGES), then the few reads identification needs.
    expect(viaUrl.stats.bytesTransferred).toBeLessThan(1.5 * 1024 * 1024);
    expect(viaUrl.stats.bytesRead).toBe(local.stats.bytesRead);
  });

  it("--hash streams the whole file once and gives sha256sum's digest", async () => {
    const r = await cli(`${base}/range/plain.iso`, '--json', '--hash', 'sha256');
    const sha = execFileSync('sha256sum', [join(FIXTURES, 'plain.iso')], { encoding: 'utf8' }).split(' ')[0];
    expect(parseReport(r.stdout).hashes?.sha256).toBe(sha);
  });

  it('follows a redirect and reports where the file was', async () => {
    const r = await cli(`${base}/redirect/plain.iso`, '--json');
    expect(r.status).toBe(0);
    expect(parseReport(r.stdout).file.url).toBe(`${base}/range/plain.iso`);
  });

  const code = (stdout: string) => parseReport(stdout).errors.map((e) => e.code);
  it.each([
    ['a server that ignores Range', 'norange', 'HTTP_NO_RANGE'],
    ['a file that changes between requests', 'changing', 'HTTP_CHANGED'],
    ['responses cut short', 'cut', 'HTTP_TRUNCATED'],
    ['an unknown file', 'range-missing', 'HTTP_STATUS'],
  ])('%s: a typed error, valid JSON, exit 1, nothing left on disk', async (_what, mode, expected) => {
    const url = mode === 'range-missing' ? `${base}/range/none.iso` : `${base}/${mode}/plain.iso`;
    const r = await cli(url, '--json');
    expect(r.status).toBe(1);
    expect(code(r.stdout)).toContain(expected);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a silent server: HTTP_TIMEOUT after --timeout', async () => {
    const r = await cli(`${base}/silent/plain.iso`, '--json', '--timeout', '1');
    expect(r.status).toBe(1);
    expect(code(r.stdout)).toContain('HTTP_TIMEOUT');
    expect(r.ms).toBeLessThan(10_000);
  });

  it('a certificate nobody trusts: HTTP_TLS, nothing read', async () => {
    const r = await cli(`${tlsBase}/range/plain.iso`, '--json');
    expect(r.status).toBe(1);
    expect(code(r.stdout)).toContain('HTTP_TLS');
  });
});
