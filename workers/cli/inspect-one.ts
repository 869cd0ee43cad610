/**
 * One image, start to end, as the CLI reads it: opened (a file, a CUE
 * sheet's track, or a URL read by ranges), inspected, and hashed, checked
 * and verified as the arguments ask. Prints nothing: main.ts prints one
 * image's report, batch.ts many.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseCue, type CueSheet } from '../formats/disk/cue.ts';
import { openDisc, type Disc } from '../core/disc.ts';
import { nestedTreeId } from '../formats/tree.ts';
import { NodeFileSource } from '../io/node-source.ts';
import { HttpRangeSource } from '../io/http-source.ts';
import type { ByteSource } from '../io/byte-source.ts';
import { hashSource, type HashAlgorithm } from '../hash/hashers.ts';
import { algorithmsToCheck, matchChecksums, parseChecksums } from '../hash/checksums.ts';
import type { ListSignature } from '../hash/signed-checksums.ts';
import type { Report } from '../report/types.ts';
import { emptyReport } from '../report/empty.ts';
import { withHashes } from '../report/provenance.ts';
import { withInside } from '../report/verdict.ts';
import { insideSignals } from '../report/inside-wim.ts';
import { VERSION } from '../version.ts';

export interface InspectArgs {
  /** Files, directories and http(s) URLs, as given. */
  images: string[];
  confirm: boolean;
  json: boolean;
  files: boolean;
  /** --wim-files: every image's files inside the install image. */
  wimFiles: boolean;
  /** --extract PATH: one file's bytes to stdout (nothing else is printed). */
  extract: string | null;
  hash: HashAlgorithm[];
  check: string | null;
  /** --key and --signature: the checksum file's OpenPGP signature is checked with this key. */
  key: string | null;
  signature: string | null;
  verifyWim: boolean;
  /** --verify-wim=full: every stream of the install image decompressed and checked. */
  verifyStreams: boolean;
  /** --verify-signatures [N]: every system file of every edition (or of image N) checked against its signatures and catalogs. */
  verifySignatures?: 'all' | number | null;
  /** --session N: which session of a multi-session disc to read. */
  session: number | undefined;
  /** Batches: --csv, --jobs N, --recursive. */
  csv: boolean;
  jobs: number;
  recursive: boolean;
  /** --timeout S for URLs (per request, and per pause in a streamed body). */
  timeoutMs: number;
}

/** A checksum list to compare with: its text, where it came from, and what its OpenPGP signature said when one was checked. */
export interface CheckInput {
  text: string;
  source: string;
  signature?: ListSignature;
}

export interface Inspected {
  /** The report, or a failure report when the image could not be opened or read. */
  report: Report;
  /** This image's exit status: 0 recognised (and every check asked for passed), 1 otherwise. */
  exit: number;
  /** What went wrong, for stderr, when the image could not be opened or read. */
  failure: string | null;
}

/** Open, inspect and (as asked) hash, check and verify one image. Prints nothing. */
export async function inspectOne(image: string, args: InspectArgs, check: CheckInput | null): Promise<Inspected> {
  let opened: { source: OpenedSource; cue?: CueSheet };
  try {
    opened = await openSource(image, args.timeoutMs);
  } catch (e) {
    const line = openErrorText(image, e);
    const code = (e as { code?: string }).code;
    return { report: failureReport(image, line, code?.startsWith('HTTP_') ? code : 'CANNOT_OPEN'), exit: 1, failure: line };
  }
  const { source, cue } = opened;
  let report: Report;
  try {
    // One disc, opened once: the integrity check below reuses what the opening read.
    const disc = await openDisc(source, { files: args.files, cue, session: args.session });
    report = disc.report;
    if (args.wimFiles) await addWimFiles(disc, report);
    // What the install image shows from the inside decides as much as its headers: read with --wim-files and --confirm.
    if ((args.wimFiles || args.confirm) && report.provenance && report.windows) {
      const inside = await disc.inside();
      report.warnings.push(...inside.problems);
      if (inside.facts) report.provenance = withInside(report.provenance, insideSignals(inside.facts), inside.facts.images.length);
    }
    const entries = check ? parseChecksums(check.text) : [];
    const algorithms = [...args.hash];
    if (args.confirm) for (const a of report.provenance?.toConfirm ?? ['sha256']) if (!algorithms.includes(a)) algorithms.push(a);
    // An ed2k link of another size is settled by the size: nothing is hashed for it.
    for (const a of algorithmsToCheck(entries, source.size)) if (!algorithms.includes(a)) algorithms.push(a);
    if (algorithms.length) {
      const t0 = performance.now();
      // node:crypto and node:zlib load only when something is hashed: most runs never do, and loading them costs start-up time.
      const { nodeHashSet } = await import('../hash/node-hashers.ts');
      report.hashes = await hashSource(source, algorithms, nodeHashSet);
      report.stats.hashMs = Math.round(performance.now() - t0);
      report.stats.hashBytes = source.size;
      if (report.provenance) report.provenance = withHashes(report.provenance, report.hashes);
    }
    if (check)
      report.verification = {
        ...matchChecksums(entries, source.name, report.hashes ?? {}, source.size),
        source: check.source,
        ...(check.signature ? { signature: check.signature } : {}),
      };
    if (args.verifyWim) {
      const r = await disc.verifyWim((await import('../hash/node-hashers.ts')).nodeHashers);
      if (r.wimIntegrity) report.wimIntegrity = r.wimIntegrity;
      report.errors.push(...r.errors);
      report.warnings.push(...r.warnings);
      report.stats.integrityMs = r.integrityMs;
    }
    if (args.verifyStreams) {
      const r = await disc.verifyStreams((await import('../hash/node-hashers.ts')).nodeHashers);
      if (r.wimStreams) report.wimStreams = r.wimStreams;
      report.errors.push(...r.errors);
      report.warnings.push(...r.warnings);
    }
    // A bare WIM is its own install image: its bytes are the file itself (the Disc gives no source for that).
    if (args.verifySignatures)
      await (await import('./signatures.ts')).addEditionSignatures(disc, report, args.verifySignatures, report.kind === 'wim' ? source : undefined);
  } catch (e) {
    // inspect() turns faults into typed errors; this is the last line of defence (and where a URL's failure while hashing lands).
    const line = `isoscope: ${image}: ${source.http ? '' : 'inspection failed: '}${(e as Error).message}`;
    const code = (e as { code?: string }).code;
    return { report: failureReport(image, line, code?.startsWith('HTTP_') ? code : 'INTERNAL'), exit: 1, failure: line };
  } finally {
    await source.close?.();
  }
  if (source.http) {
    report.file.url = source.http.url;
    report.stats.requests = source.http.requests;
    report.stats.bytesTransferred = source.http.bytesTransferred;
  }
  let exit = report.recognised ? 0 : 1;
  // A URL that failed mid-way (changed, cut, silent) leaves a report of what was read before: shown, never passed.
  if (report.errors.some((e) => e.code.startsWith('HTTP_'))) exit = 1;
  if (report.verification && report.verification.verdict !== 'match') exit = 1;
  // A list whose signature was asked for passes only with a good one.
  if (report.verification?.signature && report.verification.signature.status !== 'good') exit = 1;
  // --verify-wim passes only on a table that was read and matched in full: "could not verify" is not "intact".
  if (args.verifyWim && !report.wimIntegrity?.ok) exit = 1;
  // --verify-wim=full likewise: every stream read and matched, or it fails.
  if (args.verifyStreams && !report.wimStreams?.ok) exit = 1;
  // --verify-signatures fails on a file or catalog that claims Microsoft and fails, or an edition not checked (cli/signatures.ts).
  if (args.verifySignatures && (await import('./signatures.ts')).signaturesFail(report)) exit = 1;
  return { report, exit, failure: null };
}

/** --wim-files: every image of the install image, listed from its metadata resource (no file's data is read). */
async function addWimFiles(disc: Disc, report: Report): Promise<void> {
  const at = disc.installImage();
  if (!at) return;
  const { images, problems } = await disc.images(at.parent, at.path);
  report.warnings.push(...problems);
  report.wimFiles = [];
  for (const img of images) {
    const tree = nestedTreeId(at.parent, at.path, img.index);
    const listed = await disc.tree(tree);
    report.wimFiles.push({ image: img.index, label: img.label, tree, files: listed.files });
    report.warnings.push(...listed.problems);
  }
}

/** What stderr says when an image cannot be opened. */
export function openErrorText(path: string, e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return `isoscope: ${path}: no such file`;
    case 'EISDIR':
    case 'ENOTFILE':
      return `isoscope: ${path}: is a directory, not an image file`;
    case 'EACCES':
    case 'EPERM':
      return `isoscope: ${path}: permission denied`;
    case 'EBADCUE':
      return `isoscope: ${(e as Error).message}`;
    default:
      // HTTP_* (io/http-source.ts): the message names the URL and what the server did.
      if (code?.startsWith('HTTP_')) return `isoscope: ${(e as Error).message}`;
      return `isoscope: ${path}: cannot be read (${code ?? (e as Error).message})`;
  }
}

/** An image to read: a file, a CUE sheet (its data track's file), or an http(s) URL read by ranges. */
export type OpenedSource = ByteSource & { close?(): Promise<void>; http?: HttpRangeSource };

export async function openSource(image: string, timeoutMs: number): Promise<{ source: OpenedSource; cue?: CueSheet }> {
  if (/^https?:\/\//i.test(image)) {
    const http = await HttpRangeSource.open(image, { timeoutMs });
    return { source: Object.assign(http, { http }) };
  }
  // A CUE sheet names the file its tracks are in: that file (its first data track's) is the image.
  let cue: CueSheet | undefined;
  let path = image;
  if (/\.cue$/i.test(image)) {
    cue = parseCue(readFileSync(image, 'latin1'));
    const file = (cue.tracks.find((t) => !t.audio) ?? cue.tracks[0])?.file;
    if (!file) throw Object.assign(new Error(`${image}: the CUE sheet names no track`), { code: 'EBADCUE' });
    path = join(dirname(image), file.replace(/\\/g, '/'));
  }
  return { source: await NodeFileSource.open(path), cue };
}

/** The report of an image that could not be opened or read: its name and the one error. */
export function failureReport(path: string, message: string, code = 'CANNOT_OPEN'): Report {
  const file = { name: path.split(/[\\/]/).pop() ?? path, size: 0 };
  return emptyReport(file, VERSION, { errors: [{ code, message, structure: 'file', offset: null }] });
}
