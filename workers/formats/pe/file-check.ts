/**
 * One file checked against Windows' two ways of signing it: a signature of
 * its own (Authenticode, embedded in a PE image: verify.ts), or its hash in
 * a signed catalog (catalog.ts, what signs most files of a Windows image).
 *
 * A file is examined once (examineFile): a file of up to IN_MEMORY bytes is
 * read whole in one read (a WIM's file decompresses each chunk once) and
 * everything after runs on those bytes; a larger one is streamed. In one pass
 * it gets the hashes the catalogs list, in every algorithm they use: for a
 * PE image its Authenticode digest (image-digest.ts: what Windows' catalog
 * tools record for PE files), else the hash of the whole file. When the
 * image carries a certificate table its signatures are verified too, from
 * the same bytes and with the digests already computed.
 *
 * Dates: signatures are checked under Authenticode's rule (the certificates
 * valid when a verified timestamp says the file was signed, else now). One
 * that fails only on dates (an expired certificate and no timestamp) is
 * checked again without dates, as Windows' kernel code integrity and UEFI
 * firmware check; when it then chains to one of Microsoft's anchors it
 * counts as Microsoft's, and the result says dates were not checked.
 *
 * judgeFile turns an examination and the catalogs into a verdict.
 */
import { sequentialChunks, type ByteSource } from '../../io/byte-source.ts';
import { BudgetExceeded } from '../../io/budget.ts';
import { FormatError } from '../../io/format-error.ts';
import type { Hasher, HasherFactory } from '../../hash/hashers.ts';
import { MAX_CATALOG_BYTES, readCatalog, type Catalog } from './catalog.ts';
import { imageDigestRanges } from './image-digest.ts';
import { dataDirectory, readPeHeader } from './pe.ts';
import type { SignatureStatus } from './signer-check.ts';
import { verifyPeSignatures, type PeVerification, type SignatureVerification, type VerifyOptions } from './verify.ts';

export type DigestAlgorithm = 'sha1' | 'sha256';

/** Files up to this size are read whole, once; larger ones are streamed (a PE with a signature of its own may then be read twice). */
const IN_MEMORY = 32 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const DIGEST_NAMES: Record<string, DigestAlgorithm> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256' };
const MICROSOFT = /microsoft/i;
const TIME = 'AUTHENTICODE_CERT_NOT_TIME_VALID';

/** Bytes in memory as a source (subarrays, no copies: the readers only read them). */
export function memorySource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)),
  };
}

/** A source counting what is read through it. */
export function countingSource(src: ByteSource): ByteSource & { reads: number; bytesRead: number } {
  const c = {
    name: src.name,
    size: src.size,
    reads: 0,
    bytesRead: 0,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const b = await src.read(offset, length);
      c.reads++;
      c.bytesRead += b.length;
      return b;
    },
  };
  return c;
}

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('signature check cancelled', 'AbortError');
}

// ---------------------------------------------------------------- catalogs

/** A catalog as the checks use it: its verdict, what it lists, where it is. */
export interface CatalogInfo {
  path: string;
  size: number;
  /** Its best signature's status, or 'unreadable' (not a catalog, damaged, too large: `error` says why). */
  status: SignatureStatus | 'unreadable';
  /** The best signature's verification (null when unreadable or unsigned). */
  best: SignatureVerification | null;
  /** Valid, and chained to one of the Microsoft anchors isoscope ships: its members are signed by Microsoft. */
  microsoft: boolean;
  /** False when it is valid only with certificate dates not checked (expired, and no verified timestamp). */
  datesChecked: boolean;
  /** A certificate of its chain names Microsoft: a catalog that claims Microsoft and is not `microsoft` fails its claim. */
  claimsMicrosoft: boolean;
  members: number;
  /** The member hash algorithms it uses ("SHA-1", "SHA-256"). */
  algorithms: string[];
  error: string | null;
  code: string | null;
}

const claimsMicrosoft = (s: SignatureVerification | null): boolean =>
  !!s && (s.claimsMicrosoft || !!s.anchor?.microsoft || MICROSOFT.test(s.signer ?? '') || s.chain.some((c) => MICROSOFT.test(c)));

const isMicrosoft = (s: SignatureVerification | null): boolean => s?.status === 'valid' && !!s.anchor?.microsoft;

/**
 * Read and verify one catalog (at most MAX_CATALOG_BYTES, read once): its
 * verdict, and the catalog itself (null when it cannot be read) for the index.
 */
export async function checkCatalog(
  src: ByteSource,
  path: string,
  options: VerifyOptions = {},
): Promise<{ info: CatalogInfo; catalog: Catalog | null; bytesRead: number }> {
  const info: CatalogInfo = {
    path,
    size: src.size,
    status: 'unreadable',
    best: null,
    microsoft: false,
    datesChecked: true,
    claimsMicrosoft: false,
    members: 0,
    algorithms: [],
    error: null,
    code: null,
  };
  let bytesRead = 0;
  try {
    if (src.size > MAX_CATALOG_BYTES)
      throw new FormatError('CATALOG_TOO_LARGE', `a catalog of ${src.size} bytes (more than ${MAX_CATALOG_BYTES})`, 'catalog', 0);
    const bytes = await src.read(0, src.size);
    bytesRead = bytes.length;
    const mem = memorySource(bytes, src.name);
    let catalog = await readCatalog(mem, options);
    let best = bestOf(catalog.signatures);
    if (best?.status === 'untrusted-chain' && best.code === TIME && best.validAt === 'now') {
      // Expired, and no verified timestamp: what Windows' code integrity accepts, if the chain is Microsoft's.
      const undated = await readCatalog(mem, { ...options, policy: 'uefi-firmware' });
      const b = bestOf(undated.signatures);
      if (isMicrosoft(b)) {
        catalog = undated;
        best = b;
        info.datesChecked = false;
      }
    }
    const algorithms = new Set<string>();
    for (const m of catalog.members) if (m.digestAlgorithm) algorithms.add(m.digestAlgorithm);
    Object.assign(info, {
      status: catalog.status,
      best,
      microsoft: isMicrosoft(best),
      claimsMicrosoft: catalog.signatures.some(claimsMicrosoft),
      members: catalog.members.length,
      algorithms: [...algorithms].sort(),
    });
    return { info, catalog, bytesRead };
  } catch (e) {
    if (!(e instanceof FormatError) || e instanceof BudgetExceeded) throw e;
    info.error = e.message;
    info.code = e.code;
    return { info, catalog: null, bytesRead };
  }
}

function bestOf(list: readonly SignatureVerification[]): SignatureVerification | null {
  // bestSignature's order, kept local so that a catalog's and a file's best are chosen alike.
  const rank: Record<SignatureStatus, number> = { valid: 6, 'untrusted-chain': 5, 'cannot-check': 4, 'bad-signature': 3, 'digest-mismatch': 2, unsigned: 1 };
  let best: SignatureVerification | null = null;
  for (const s of list)
    if (!best || rank[s.status] > rank[best.status] || (rank[s.status] === rank[best.status] && isMicrosoft(s) && !isMicrosoft(best))) best = s;
  return best;
}

/** Which catalogs list a hash: the first of Microsoft's, and the first of any other. */
interface Listing {
  microsoft: CatalogInfo | null;
  other: CatalogInfo | null;
}

/**
 * Every catalog read, and their members by hash and by the file name they
 * record (CAT_NAMEVALUE "File", lower-case as Windows' tools write it).
 */
export class CatalogIndex {
  readonly catalogs: CatalogInfo[] = [];
  /** The member hash algorithms of the catalogs, as the hashers name them: what each file is hashed with. */
  readonly algorithms = new Set<DigestAlgorithm>();
  private readonly digests = new Map<string, Listing>();
  private readonly names = new Map<string, CatalogInfo>();

  add(info: CatalogInfo, catalog: Catalog | null): void {
    this.catalogs.push(info);
    if (!catalog) return;
    for (const m of catalog.members) {
      const alg = m.digestAlgorithm ? DIGEST_NAMES[m.digestAlgorithm] : undefined;
      if (m.digest && alg) {
        this.algorithms.add(alg);
        let l = this.digests.get(m.digest);
        if (!l) this.digests.set(m.digest, (l = { microsoft: null, other: null }));
        if (info.microsoft) l.microsoft ??= info;
        else l.other ??= info;
      }
      for (const a of m.attributes) {
        if (a.name.toLowerCase() !== 'file' || !a.value) continue;
        const name = a.value.toLowerCase();
        const had = this.names.get(name);
        if (!had || (info.microsoft && !had.microsoft)) this.names.set(name, info);
      }
    }
  }

  /** The catalogs that list any of `digests` (hex, lower-case). */
  lookup(digests: Partial<Record<DigestAlgorithm, string>>): Listing {
    const out: Listing = { microsoft: null, other: null };
    for (const d of Object.values(digests)) {
      const l = d ? this.digests.get(d) : undefined;
      if (!l) continue;
      out.microsoft ??= l.microsoft;
      out.other ??= l.other;
    }
    return out;
  }

  /** The catalog that records a file of this name (Microsoft's first), or null. */
  listsName(name: string): CatalogInfo | null {
    return this.names.get(name.toLowerCase()) ?? null;
  }

  get memberCount(): number {
    return this.digests.size;
  }
}

// ---------------------------------------------------------------- files

export interface FileExamination {
  /** 'pe': `digests` are Authenticode digests; 'flat': hashes of the whole file. */
  kind: 'pe' | 'flat';
  digests: Partial<Record<DigestAlgorithm, string>>;
  /** Its own signatures, verified; null when it has none (no certificate table, or not a PE image). */
  embedded: PeVerification | null;
  /** Why its certificate table could not be read (a typed FormatError's message), or null. */
  embeddedError: string | null;
  /** False when its signature is valid only with certificate dates not checked. */
  datesChecked: boolean;
  /** Why a file that looks like a PE image was hashed whole instead (its headers do not add up), or null. */
  note: string | null;
  bytesRead: number;
  reads: number;
}

export interface ExamineOptions {
  hashers: HasherFactory;
  /** The algorithms the catalogs use (CatalogIndex.algorithms); none: only its own signature is checked. */
  algorithms: Iterable<DigestAlgorithm>;
  /** For the file's own signatures (anchors, time, policy). */
  verify?: VerifyOptions;
  signal?: AbortSignal;
  /** Bytes hashed so far of this file, as it goes (for progress). */
  onBytes?: (n: number) => void;
  /** Files up to this size are read whole at once (default IN_MEMORY). */
  inMemory?: number;
}

/** Hash `ranges` of `src` with every algorithm in one pass. */
async function hashRanges(
  src: ByteSource,
  ranges: readonly [number, number][],
  padding: number,
  algorithms: readonly DigestAlgorithm[],
  hashers: HasherFactory,
  signal: AbortSignal | undefined,
  onBytes?: (n: number) => void,
): Promise<Partial<Record<DigestAlgorithm, string>>> {
  if (!algorithms.length) return {};
  const hs: [DigestAlgorithm, Hasher][] = await Promise.all(algorithms.map(async (a) => [a, await hashers(a)] as [DigestAlgorithm, Hasher]));
  for (const [offset, length] of ranges) {
    let done = 0;
    for await (const piece of sequentialChunks(src, offset, length, CHUNK)) {
      cancelled(signal);
      for (const [, h] of hs) h.update(piece);
      done += piece.length;
      onBytes?.(piece.length);
    }
    if (done !== length) throw new FormatError('FILE_SHORT_READ', `${src.name}: read ${done} of ${length} bytes at ${offset}`, 'file', offset + done);
  }
  if (padding) for (const [, h] of hs) h.update(new Uint8Array(padding));
  return Object.fromEntries(hs.map(([a, h]) => [a, h.digest()]));
}

/** Read and hash one file, and verify its own signatures when it has them. */
export async function examineFile(file: ByteSource, options: ExamineOptions): Promise<FileExamination> {
  const { hashers, signal } = options;
  const algorithms = [...new Set(options.algorithms)];
  const counted = countingSource(file);
  cancelled(signal);
  let src: ByteSource = counted;
  if (file.size <= (options.inMemory ?? IN_MEMORY)) {
    const bytes = await counted.read(0, file.size);
    if (bytes.length !== file.size) throw new FormatError('FILE_SHORT_READ', `${file.name}: read ${bytes.length} of ${file.size} bytes`, 'file', bytes.length);
    src = memorySource(bytes, file.name);
  }
  const out: FileExamination = { kind: 'flat', digests: {}, embedded: null, embeddedError: null, datesChecked: true, note: null, bytesRead: 0, reads: 0 };
  const header = await readPeHeader(src).catch((e: unknown) => {
    if (e instanceof FormatError) return null;
    throw e;
  });
  let ranges: [number, number][] = [[0, file.size]];
  let padding = 0;
  if (header) {
    try {
      ({ ranges, padding } = await imageDigestRanges(src, header));
      out.kind = 'pe';
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      out.note = `its PE headers do not add up (${e.message}): hashed whole`;
    }
  }
  out.digests = await hashRanges(src, ranges, padding, algorithms, hashers, signal, options.onBytes);
  if (header && out.kind === 'pe' && dataDirectory(header, 4)) {
    const verify = { ...options.verify, header, signal, imageDigests: out.digests };
    try {
      out.embedded = await verifyPeSignatures(src, hashers, verify);
      const best = out.embedded.best;
      if (best?.status === 'untrusted-chain' && best.code === TIME && best.validAt === 'now') {
        const computed = Object.fromEntries(
          out.embedded.signatures.flatMap((s) =>
            s.imageDigest.computed && DIGEST_NAMES[s.algorithm.digest] ? [[DIGEST_NAMES[s.algorithm.digest], s.imageDigest.computed]] : [],
          ),
        ) as Partial<Record<DigestAlgorithm, string>>;
        const undated = await verifyPeSignatures(src, hashers, { ...verify, policy: 'uefi-firmware', imageDigests: { ...out.digests, ...computed } });
        if (isMicrosoft(undated.best)) {
          out.embedded = undated;
          out.datesChecked = false;
        }
      }
    } catch (e) {
      if (!(e instanceof FormatError) || e instanceof BudgetExceeded) throw e;
      out.embeddedError = e.message;
    }
  }
  out.bytesRead = counted.bytesRead;
  out.reads = counted.reads;
  return out;
}

/**
 * What a file's signatures come to:
 *  - 'embedded': its own signature is valid and Microsoft's;
 *  - 'catalog': its hash is in a catalog whose signature is valid and Microsoft's;
 *  - 'signed-not-microsoft': its own signature is correct, but by a certificate not from Microsoft;
 *  - 'catalog-not-microsoft': its hash is only in catalogs whose signature is not a valid Microsoft one;
 *  - 'embedded-invalid': its own signature does not verify, cannot be checked, or only claims Microsoft's name;
 *  - 'changed-after-signing': its own signature's digest is not its bytes', or a Microsoft catalog lists its name with another hash;
 *  - 'not-in-catalog': no signature of its own, and no catalog lists its hash or its name;
 *  - 'unreadable': it could not be read.
 */
export type FileVerdict =
  'embedded' | 'catalog' | 'signed-not-microsoft' | 'catalog-not-microsoft' | 'embedded-invalid' | 'changed-after-signing' | 'not-in-catalog' | 'unreadable';

export interface FileJudgement {
  verdict: FileVerdict;
  /** Signed by Microsoft: 'embedded' or 'catalog'. */
  microsoft: boolean;
  /** It claims Microsoft (its signature or catalog names Microsoft, or a Microsoft catalog lists its name) and fails. */
  claimsMicrosoftButFails: boolean;
  /** False when the Microsoft signature is valid only with certificate dates not checked. */
  datesChecked: boolean;
  /** The catalog that signs it, lists it (not Microsoft's), or lists its name with another hash; else null. */
  catalog: CatalogInfo | null;
  /** Its own best signature, when it has one. */
  signature: SignatureVerification | null;
  /** Why it could not be read, or its certificate table not parsed; else null. */
  reason: string | null;
}

/** The verdict on file `name` (its last path component) from its examination (null with `error`: unreadable) and the catalogs. */
export function judgeFile(name: string, ex: FileExamination | null, index: CatalogIndex, error: string | null = null): FileJudgement {
  const base = { microsoft: false, claimsMicrosoftButFails: false, datesChecked: true, catalog: null, signature: null, reason: null };
  if (!ex) return { ...base, verdict: 'unreadable', reason: error ?? 'it could not be read' };
  const best = ex.embedded?.best ?? null;
  if (isMicrosoft(best)) return { ...base, verdict: 'embedded', microsoft: true, datesChecked: ex.datesChecked, signature: best };
  const listed = index.lookup(ex.digests);
  if (listed.microsoft)
    return { ...base, verdict: 'catalog', microsoft: true, datesChecked: listed.microsoft.datesChecked, catalog: listed.microsoft, signature: best };
  if (ex.embeddedError) return { ...base, verdict: 'embedded-invalid', reason: ex.embeddedError, catalog: listed.other };
  if (best && best.status !== 'unsigned') {
    const claims = claimsMicrosoft(best);
    const changed = ex.embedded!.signatures.some((s) => s.status === 'digest-mismatch') && !ex.embedded!.signatures.some((s) => s.status === 'valid');
    if (changed) return { ...base, verdict: 'changed-after-signing', claimsMicrosoftButFails: claims, signature: best };
    // A correct signature whose chain reaches another anchor, or none, without claiming Microsoft: valid, but not Microsoft's.
    const correct = best.status === 'valid' || (best.status === 'untrusted-chain' && !best.claimsMicrosoft);
    if (correct) return { ...base, verdict: 'signed-not-microsoft', signature: best, catalog: listed.other };
    return { ...base, verdict: 'embedded-invalid', claimsMicrosoftButFails: claims, signature: best, catalog: listed.other };
  }
  if (listed.other)
    return {
      ...base,
      verdict: 'catalog-not-microsoft',
      claimsMicrosoftButFails: listed.other.claimsMicrosoft && listed.other.status !== 'valid',
      catalog: listed.other,
    };
  const byName = index.listsName(name);
  if (byName)
    return {
      ...base,
      verdict: 'changed-after-signing',
      claimsMicrosoftButFails: byName.microsoft || byName.claimsMicrosoft,
      catalog: byName,
    };
  return { ...base, verdict: 'not-in-catalog' };
}
