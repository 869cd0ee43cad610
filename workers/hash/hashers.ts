/**
 * Streaming hashes over a ByteSource: any set of algorithms in one read pass,
 * one chunk in memory at a time (plus the one being read, or reused buffers
 * where the source streams: sequentialChunks). The hash functions
 * come from a factory, so Node (node:crypto, zlib) and the browser
 * (WebAssembly) share this code path.
 */
import { sequentialChunks, type ByteSource } from '../io/byte-source.ts';

/** The file hashes: each the digest of the whole file as one message. */
export const HASH_ALGORITHMS = ['sha256', 'sha1', 'md5', 'crc32', 'sha512'] as const;
/**
 * Every algorithm a pass can compute: the file hashes, and eD2k's (ed2k.ts:
 * MD4 over parts, then over their digests), which ed2k links give.
 */
const ALL_ALGORITHMS = [...HASH_ALGORITHMS, 'ed2k'] as const;
export type HashAlgorithm = (typeof ALL_ALGORITHMS)[number];

/**
 * Hex digest lengths, to recognise a pasted hash by its length. An ed2k hash
 * has an MD5's 32 digits: 32 bare digits are read as MD5, ed2k only where an
 * ed2k link (or a line naming ED2K) says so.
 */
export const HEX_LENGTH: Record<HashAlgorithm, number> = { crc32: 8, md5: 32, sha1: 40, sha256: 64, sha512: 128, ed2k: 32 };

export interface Hasher {
  update(bytes: Uint8Array): void;
  /** Lowercase hex. */
  digest(): string;
  /** Start a new message (cheaper than a new Hasher: the WIM integrity check hashes thousands of chunks). */
  reset(): void;
}
export type HasherFactory = (algorithm: HashAlgorithm) => Promise<Hasher>;

/** Digests of a set of algorithms over one stream. */
export interface HashSet {
  update(bytes: Uint8Array): void;
  digests(): Record<HashAlgorithm, string>;
}
/** Makes a HashSet: one Hasher per algorithm, or fewer where one function computes several (sha1-md5.ts). */
export type HashSetFactory = (algorithms: readonly HashAlgorithm[]) => Promise<HashSet>;

/** A HashSet of one Hasher per algorithm. */
function hashersSet(hashers: Partial<Record<HashAlgorithm, Hasher>>): HashSet {
  const entries = Object.entries(hashers) as [HashAlgorithm, Hasher][];
  return {
    update: (bytes) => entries.forEach(([, h]) => h.update(bytes)),
    digests: () => Object.fromEntries(entries.map(([a, h]) => [a, h.digest()])) as Record<HashAlgorithm, string>,
  };
}

/** The HashSetFactory that makes each algorithm's Hasher alone. */
export const eachAlone =
  (factory: HasherFactory): HashSetFactory =>
  async (algorithms) =>
    hashersSet(Object.fromEntries(await Promise.all(algorithms.map(async (a) => [a, await factory(a)] as const))));

export interface HashProgress {
  bytesDone: number;
  bytesTotal: number;
}

export interface HashOptions {
  chunkSize?: number;
  onProgress?: (p: HashProgress) => void;
  signal?: AbortSignal;
}

/** 4 MiB: large enough to amortise each read (as fast as 8 MiB here), small enough to keep memory flat. */
export const DEFAULT_CHUNK = 4 * 1024 * 1024;

export function parseAlgorithms(list: string): HashAlgorithm[] {
  const out: HashAlgorithm[] = [];
  for (const raw of list.split(',')) {
    const a = raw.trim().toLowerCase().replace(/-/g, '') as HashAlgorithm;
    if (!ALL_ALGORITHMS.includes(a)) throw new Error(`unknown hash algorithm "${raw.trim()}" (known: ${ALL_ALGORITHMS.join(', ')})`);
    if (!out.includes(a)) out.push(a);
  }
  return out;
}

/** Hashes a whole source front to back (sequentialChunks), in one pass for every algorithm. */
export function hashSource(
  src: ByteSource,
  algorithms: readonly HashAlgorithm[],
  makeSet: HashSetFactory,
  opts: HashOptions = {},
): Promise<Record<HashAlgorithm, string>> {
  return hashChunks(sequentialChunks(src, 0, src.size, opts.chunkSize ?? DEFAULT_CHUNK), src.size, algorithms, makeSet, opts);
}

/** Hashes a stream of chunks adding up to `total` bytes (a source's, or a reading thread's: chunk-port.ts). */
export async function hashChunks(
  chunks: AsyncIterable<Uint8Array>,
  total: number,
  algorithms: readonly HashAlgorithm[],
  makeSet: HashSetFactory,
  opts: Omit<HashOptions, 'chunkSize'> = {},
): Promise<Record<HashAlgorithm, string>> {
  const set = await makeSet(algorithms);
  let done = 0;
  for await (const bytes of chunks) {
    if (opts.signal?.aborted) throw new DOMException('hashing cancelled', 'AbortError');
    set.update(bytes);
    done += bytes.length;
    opts.onProgress?.({ bytesDone: done, bytesTotal: total });
  }
  if (done !== total) throw new Error(`read ${done} of ${total} bytes: the file changed or could not be read to its end`);
  const digests = set.digests();
  // In the order asked for.
  return Object.fromEntries(algorithms.map((a) => [a, digests[a]])) as Record<HashAlgorithm, string>;
}
