/**
 * The report's `signatures` section: verified signatures of the disc's own
 * files (setup.exe, sources/, the boot manager and EFI loaders, checked
 * during the inspection within a read budget) and, on request
 * (--verify-signatures, the app's "Check signatures"), of every system file
 * of an edition of the install image, signed by its own signature or by
 * Windows' catalogs.
 *
 * Words, as issue #23 gives them: "Signed by Microsoft Windows (chain to
 * Microsoft Root Certificate Authority 2010), unchanged since signing",
 * "signature valid, but by a certificate not from Microsoft: …", "changed
 * after it was signed", "signed by a certificate that only claims
 * Microsoft's name", "not signed"; and for an edition "12,345 of 12,390
 * system files are signed by Microsoft (embedded or by catalog); these 45 are
 * not: …". A verified Microsoft signature is evidence that those files are
 * as Microsoft shipped them, never a claim that the whole image is genuine.
 */
import type { Problem } from '../io/problems.ts';
import type { CatalogInfo, FileJudgement, FileVerdict } from '../formats/pe/file-check.ts';
import type { DiscFileRole, DiscFilesResult } from '../formats/pe/disc-files.ts';
import { formatBytes } from './format.ts';
import { signatureWords, verifiedSignature, type VerifiedSignature } from './secure-boot.ts';

export type { FileVerdict } from '../formats/pe/file-check.ts';

export interface SignaturesReport {
  /** The disc's own files, verified during the inspection (within `budget`). */
  disc?: DiscSignatures;
  /** Each edition checked in full (--verify-signatures). */
  editions?: EditionSignatures[];
}

/** One catalog's verdict. */
export interface CatalogReport {
  path: string;
  size: number;
  status: CatalogInfo['status'];
  /** Valid, chained to one of Microsoft's shipped anchors: its members count as signed by Microsoft. */
  microsoft: boolean;
  /** False when it is valid only with certificate dates not checked (expired, no verified timestamp). */
  datesChecked: boolean;
  claimsMicrosoft: boolean;
  members: number;
  /** Member hash algorithms ("SHA-1", "SHA-256"). */
  algorithms: string[];
  words: string;
  verified: VerifiedSignature | null;
  code: string | null;
}

/** One file's verdict. */
export interface SignedFile {
  path: string;
  size: number;
  /** 'not-checked': past the inspection's read budget (disc files only). */
  verdict: FileVerdict | 'not-checked';
  /** Signed by Microsoft, by its own signature or by a catalog. */
  microsoft: boolean;
  /** It claims Microsoft (its signature or catalog names Microsoft, or a Microsoft catalog lists its name) and fails: what makes the CLI exit 1. */
  claimsMicrosoftButFails: boolean;
  datesChecked: boolean;
  words: string;
  /** The catalog that signs it, lists it (not Microsoft's), or lists its name with another hash. */
  catalog: string | null;
  /** Its own best signature, when it has one. */
  signature: VerifiedSignature | null;
  /** Other paths with the same contents (hard links in the image), which have the same verdict. */
  sameContentsAs?: string[];
}

export interface DiscSignatures {
  /** "setup.exe, bootmgr.efi and 41 of 43 files of sources/ are signed by Microsoft, unchanged since signing; …" */
  words: string;
  files: (SignedFile & { role: DiscFileRole })[];
  catalogs: CatalogReport[];
  /** The read budget: bytes of file data and files; what did not fit is 'not-checked'. */
  budget: { bytes: number; files: number };
  notChecked: number;
  claimsMicrosoftButFails: number;
  bytesRead: number;
  reads: number;
  /** Why it stopped early (the inspection's own budget ran out), or null. */
  stopped: string | null;
}

export interface EditionSignatures {
  /** 'cancelled': stopped on request, the counts are of the files checked until then. */
  status: 'complete' | 'cancelled' | 'failed';
  tree: string;
  image: number | null;
  label: string | null;
  /** Which files count as system files. */
  scope: string;
  words: string;
  note: string;
  /** System files in the edition, and how many were checked (all of them unless cancelled). */
  systemFiles: number;
  checked: number;
  signedByMicrosoft: number;
  embedded: number;
  byCatalog: number;
  /** Of those signed by Microsoft, how many only with certificate dates not checked. */
  datesNotChecked: number;
  notSigned: number;
  verdicts: Record<FileVerdict, number>;
  claimsMicrosoftButFails: number;
  /** Files signed by Microsoft, by the anchor their chain reaches. */
  byAnchor: Record<string, number>;
  /** The files that are not signed by Microsoft, those failing a claim first, at most `maxListed`. */
  files: SignedFile[];
  filesOmitted: number;
  catalogs: {
    total: number;
    microsoft: number;
    /** Distinct member hashes over every catalog read. */
    members: number;
    /** Catalogs whose signature names Microsoft but does not verify to Microsoft's anchors. */
    claimsMicrosoftButFails: number;
    /** The catalogs that are not a valid Microsoft one (bounded). */
    notMicrosoft: CatalogReport[];
    omitted: number;
  };
  /** Bytes of file data read (decompressed), of the total to read, distinct contents read, and the time. */
  bytesRead: number;
  /** Bytes of the disc's WIM file read for it (compressed), when read in the WIM's order; else null. */
  storedBytesRead: number | null;
  bytesTotal: number;
  contentsRead: number;
  ms: number;
  bytesPerSecond: number | null;
  problems: Problem[];
}

export const EMPTY_VERDICTS = (): Record<FileVerdict, number> => ({
  embedded: 0,
  catalog: 0,
  'signed-not-microsoft': 0,
  'catalog-not-microsoft': 0,
  'embedded-invalid': 0,
  'changed-after-signing': 0,
  'not-in-catalog': 0,
  unreadable: 0,
});

const count = (n: number) => n.toLocaleString('en-US');
const base = (path: string) => path.replace(/^.*[\\/]/, '');

const DATES = 'certificate dates not checked (expired, and no verified timestamp says when it was signed; Windows’ code integrity does not check them either)';

export function catalogWords(c: CatalogInfo): string {
  if (c.status === 'unreadable') return `not a catalog that can be read: ${c.error ?? 'unknown error'}`;
  if (!c.best) return 'not signed';
  return c.datesChecked ? signatureWords(c.best) : `${signatureWords(c.best)}; ${DATES}`;
}

export function catalogReport(c: CatalogInfo): CatalogReport {
  return {
    path: c.path,
    size: c.size,
    status: c.status,
    microsoft: c.microsoft,
    datesChecked: c.datesChecked,
    claimsMicrosoft: c.claimsMicrosoft,
    members: c.members,
    algorithms: c.algorithms,
    words: catalogWords(c),
    verified: c.best ? verifiedSignature(c.best) : null,
    code: c.code,
  };
}

/** One file's verdict in words. */
export function verdictWords(path: string, j: FileJudgement): string {
  const sig = j.signature;
  const cat = j.catalog ? base(j.catalog.path) : null;
  switch (j.verdict) {
    case 'embedded':
      return j.datesChecked ? signatureWords(sig!) : `${signatureWords(sig!)}; ${DATES}`;
    case 'catalog':
      return `in catalog ${cat}: ${catalogWords(j.catalog!)}`;
    case 'signed-not-microsoft':
      return signatureWords(sig!);
    case 'catalog-not-microsoft':
      return `listed only in catalog ${cat}, and that catalog is not signed by Microsoft: ${catalogWords(j.catalog!)}`;
    case 'embedded-invalid':
      return sig && !j.reason ? signatureWords(sig) : `its signatures cannot be read: ${j.reason}`;
    case 'changed-after-signing':
      return sig
        ? 'changed after it was signed: its own signature no longer matches its bytes'
        : `changed after it was signed, or not the file that was signed: catalog ${cat} lists a file named ${base(path)} with another hash`;
    case 'not-in-catalog':
      return 'not signed: no signature of its own, and no catalog lists its hash';
    case 'unreadable':
      return `could not be read: ${j.reason ?? 'unknown error'}`;
  }
}

export function signedFile(path: string, size: number, j: FileJudgement): SignedFile {
  return {
    path,
    size,
    verdict: j.verdict,
    microsoft: j.microsoft,
    claimsMicrosoftButFails: j.claimsMicrosoftButFails,
    datesChecked: j.datesChecked,
    words: verdictWords(path, j),
    catalog: j.catalog?.path ?? null,
    signature: j.signature ? verifiedSignature(j.signature) : null,
  };
}

/** The scope of an edition's check, in words (core/signatures.ts isSystemFile decides it). */
export const SYSTEM_FILES_SCOPE =
  'System files: every file named as Windows names its executables and their resources (.exe, .dll, .sys, .efi, .mui, .ocx, .cpl, .drv, .scr, .com, .ax, .acm, .tsp, .winmd, .mun) anywhere in the edition, and every file under Windows/System32 and Windows/SysWOW64, except what Windows writes there itself (the registry hives and logs in config/, the catalogs in CatRoot and catroot2, LogFiles/, winevt/, *.log, *.etl) and catalogs (*.cat), which are checked as catalogs.';

export const SIGNATURE_NOTE =
  'A verified Microsoft signature is evidence that those files are as Microsoft shipped them, never a claim that the whole image is genuine: files outside the system files (settings, registry hives, scripts, data) are not covered, and an image can keep every signed file and still be altered elsewhere.';

/** The edition's first line. */
export function editionWords(
  e: Pick<EditionSignatures, 'status' | 'systemFiles' | 'checked' | 'signedByMicrosoft' | 'notSigned' | 'datesNotChecked'> & { catalogs?: number },
): string {
  const dates =
    (e.datesNotChecked ? ` (${count(e.datesNotChecked)} of them with certificate dates not checked)` : '') +
    (e.catalogs === 0 ? ' (the edition holds no catalog: files Windows signs by catalog cannot be checked)' : '');
  if (e.status === 'failed') return 'The signatures of this edition could not be checked.';
  if (e.status === 'cancelled')
    return `Cancelled after ${count(e.checked)} of ${count(e.systemFiles)} system files: ${count(e.signedByMicrosoft)} of those are signed by Microsoft (embedded or by catalog)${dates}${e.notSigned ? `; these ${count(e.notSigned)} are not:` : '.'}`;
  if (e.notSigned === 0) return `All ${count(e.systemFiles)} system files are signed by Microsoft (embedded or by catalog)${dates}.`;
  return `${count(e.signedByMicrosoft)} of ${count(e.systemFiles)} system files are signed by Microsoft (embedded or by catalog)${dates}; ${e.notSigned === 1 ? 'this one is' : `these ${count(e.notSigned)} are`} not:`;
}

/** "setup.exe, sources/setup.exe, bootmgr.efi, efi/boot/bootx64.efi and 4 files of sources/": two of a kind by path, more by count. */
function describeFiles(files: readonly { role: DiscFileRole; path: string }[]): string {
  const named = (role: DiscFileRole, many: string) => {
    const of = files.filter((f) => f.role === role);
    return of.length <= 2 ? of.map((f) => f.path.replace(/^\//, '')) : [`${count(of.length)} ${many}`];
  };
  const parts = [
    ...named('setup', 'setup programs'),
    ...named('boot-manager', 'boot managers'),
    ...named('efi-loader', 'EFI loaders'),
    ...named('sources', 'files of sources/'),
  ];
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? 'no file');
}

/** The disc's files, in report form, with the line that sums them up. */
export function discSignaturesReport(r: DiscFilesResult): DiscSignatures {
  const files = r.files.map((f) => {
    const file: SignedFile & { role: DiscFileRole } = f.judgement
      ? { ...signedFile(f.path, f.size, f.judgement), role: f.role }
      : {
          path: f.path,
          size: f.size,
          role: f.role,
          verdict: 'not-checked',
          microsoft: false,
          claimsMicrosoftButFails: false,
          datesChecked: true,
          words: `not checked: past the read budget of the inspection (${formatBytes(r.budget.bytes)}, ${r.budget.files} files)`,
          catalog: null,
          signature: null,
        };
    return file;
  });
  const checked = files.filter((f) => f.verdict !== 'not-checked');
  const signed = checked.filter((f) => f.microsoft);
  const failing = checked.filter((f) => f.claimsMicrosoftButFails);
  const notChecked = files.length - checked.length;
  const parts: string[] = [];
  if (!checked.length) parts.push('No executable of the disc was checked');
  else if (checked.length === 1) parts.push(`${checked[0]!.path.replace(/^\//, '')}: ${checked[0]!.words}`);
  else if (signed.length === checked.length) parts.push(`${describeFiles(checked)}: signed by Microsoft, unchanged since signing`);
  else if (!signed.length) parts.push(`${describeFiles(checked)}: none signed by Microsoft`);
  else parts.push(`${describeFiles(checked)}: ${count(signed.length)} of these ${count(checked.length)} signed by Microsoft`);
  for (const f of checked.length === 1 ? [] : failing.slice(0, 3)) parts.push(`${base(f.path)}: ${f.words}`);
  if (failing.length > 3) parts.push(`${failing.length - 3} more fail their claim to be Microsoft's`);
  if (notChecked) parts.push(`${count(notChecked)} not checked (past the inspection's read budget)`);
  return {
    words: parts.join('; ') + '.',
    files,
    catalogs: r.catalogs.map(catalogReport),
    budget: r.budget,
    notChecked,
    claimsMicrosoftButFails: failing.length,
    bytesRead: r.bytesRead,
    reads: r.reads,
    stopped: r.stopped,
  };
}
