/**
 * Checksum lists as people get them: GNU coreutils ("hash  name", "hash *name"),
 * BSD / `shasum --tag` ("SHA256 (name) = hash"), single-value .sha256/.sha1/.md5
 * files and pasted hashes, also as Windows prints them: PowerShell's
 * Get-FileHash (its table and its `Format-List` form), `certutil -hashfile`
 * ("SHA256 hash of name:" then the digits, older versions with a space between
 * bytes), 7-Zip's `7z h` ("SHA256 for data: …") and prefixed values
 * ("sha256:…", "SHA-256 = …"). Matching is case- and space-insensitive.
 * An ed2k link (ed2k://|file|NAME|SIZE|HASH|/, also within a line of other
 * text) is a line with a name, a size, compared before any hashing, and an
 * ed2k hash; 32 bare hex digits stay an MD5.
 */
import { findEd2kLink } from './ed2k-link.ts';
import { HEX_LENGTH, type HashAlgorithm } from './hashers.ts';
import { groupedDigits } from '../io/bytes.ts';

export interface ChecksumEntry {
  algorithm: HashAlgorithm;
  hash: string;
  name: string | null;
  /** The file's size in bytes, where the line gives one (an ed2k link). */
  size?: number;
  format: 'gnu' | 'bsd' | 'bare' | 'powershell' | 'certutil' | 'prefixed' | 'ed2k';
}

/** The algorithm of a bare value by its length: ed2k never (its 32 digits are an MD5's). */
const BY_LENGTH: Record<number, HashAlgorithm> = Object.fromEntries(
  Object.entries(HEX_LENGTH)
    .filter(([a]) => a !== 'ed2k')
    .map(([a, n]) => [n, a as HashAlgorithm]),
);
const BSD_NAMES: Record<string, HashAlgorithm> = {
  SHA256: 'sha256',
  'SHA2-256': 'sha256',
  SHA1: 'sha1',
  MD5: 'md5',
  SHA512: 'sha512',
  'SHA2-512': 'sha512',
  CRC32: 'crc32',
  'SHA-256': 'sha256',
  'SHA-1': 'sha1',
  'SHA-512': 'sha512',
  // rhash --bsd --ed2k: "ED2K  (name) = hash"
  ED2K: 'ed2k',
};
const algorithmNamed = (name: string): HashAlgorithm | null => BSD_NAMES[name.toUpperCase()] ?? null;
const ALGORITHM = 'MD5|SHA-?1|SHA-?256|SHA-?384|SHA-?512|SHA2-256|SHA2-512|CRC32|ED2K';

/** The algorithm a bare hex string must be, by its length. */
export function algorithmOf(hex: string): HashAlgorithm | null {
  const h = hex.replace(/\s+/g, '').toLowerCase();
  return /^[0-9a-f]+$/.test(h) ? (BY_LENGTH[h.length] ?? null) : null;
}

/** Bounded: a checksum list of more than this many lines is cut. */
const MAX_LINES = 100_000;

/** A value given with its algorithm's name: kept only when the digits are that algorithm's length. */
function named(algorithmName: string, digits: string, name: string | null, format: ChecksumEntry['format']): ChecksumEntry | null {
  const algorithm = algorithmNamed(algorithmName);
  const hash = digits.replace(/\s+/g, '').toLowerCase();
  return algorithm && /^[0-9a-f]+$/.test(hash) && hash.length === HEX_LENGTH[algorithm] ? { algorithm, hash, name, format } : null;
}

const POWERSHELL_ROW = new RegExp(`^(${ALGORITHM})\\s+([0-9A-Fa-f]{8,128})\\s+(.+)$`, 'i');
const POWERSHELL_FIELD = /^(Algorithm|Hash|Path)\s*:\s*(.*)$/i;
// Windows 7's certutil says "hash of file NAME:" and spaces its bytes; later versions "hash of NAME:".
const CERTUTIL_HEAD = new RegExp(`^(${ALGORITHM}) hash of (?:file )?(.+?):?$`, 'i');
const SEVEN_ZIP = new RegExp(`^(${ALGORITHM})\\s+for data:\\s*([0-9A-Fa-f]+)(?:-[0-9A-Fa-f]+)?$`, 'i');
const PREFIXED = new RegExp(`^(${ALGORITHM})\\s*[:=]\\s*([0-9A-Fa-f][0-9A-Fa-f ]*)$`, 'i');

export function parseChecksums(text: string): ChecksumEntry[] {
  const out: ChecksumEntry[] = [];
  const push = (e: ChecksumEntry | null) => e && out.push(e);
  /** certutil names the file on one line and gives the digits on the next. */
  let certutil: { algorithm: string; name: string } | null = null;
  /** PowerShell's list form: Algorithm, Hash and Path on lines of their own. */
  let listed: { algorithm?: string; hash?: string; path?: string } = {};
  const flushListed = () => {
    if (listed.algorithm && listed.hash) push(named(listed.algorithm, listed.hash, listed.path ?? null, 'powershell'));
    listed = {};
  };
  for (const raw of text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(0, MAX_LINES)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) {
      flushListed();
      continue;
    }
    if (certutil) {
      const pending = certutil;
      certutil = null;
      if (/^[0-9a-f ]+$/i.test(line)) {
        push(named(pending.algorithm, line, pending.name, 'certutil'));
        continue;
      }
    }
    const link = findEd2kLink(line);
    if (link) {
      out.push({ algorithm: 'ed2k', hash: link.hash, name: link.name, size: link.size, format: 'ed2k' });
      continue;
    }
    const field = line.match(POWERSHELL_FIELD);
    if (field) {
      const key = field[1]!.toLowerCase() as 'algorithm' | 'hash' | 'path';
      if (key === 'algorithm') flushListed();
      listed[key] = field[2]!.trim();
      if (key === 'path') flushListed();
      continue;
    }
    const head = line.match(CERTUTIL_HEAD);
    if (head) {
      certutil = { algorithm: head[1]!, name: head[2]!.trim() };
      continue;
    }
    if (/^CertUtil:|^Algorithm\s+Hash\s+Path$|^-+(\s+-+)*$/i.test(line)) continue;
    const row = line.match(POWERSHELL_ROW);
    if (row) {
      push(named(row[1]!, row[2]!, row[3]!.trim(), 'powershell'));
      continue;
    }
    const seven = line.match(SEVEN_ZIP) ?? line.match(PREFIXED);
    if (seven) {
      push(named(seven[1]!, seven[2]!, null, 'prefixed'));
      continue;
    }
    const bsd = line.match(/^([A-Za-z0-9-]+)\s*\((.*)\)\s*=\s*([0-9a-fA-F]+)$/);
    if (bsd) {
      const algorithm = BSD_NAMES[bsd[1]!.toUpperCase()];
      if (algorithm && bsd[3]!.length === HEX_LENGTH[algorithm]) out.push({ algorithm, hash: bsd[3]!.toLowerCase(), name: bsd[2]!, format: 'bsd' });
      continue;
    }
    // A bare value, possibly pasted with spaces between groups of digits.
    const bare = algorithmOf(line);
    if (bare) {
      out.push({ algorithm: bare, hash: line.replace(/\s+/g, '').toLowerCase(), name: null, format: 'bare' });
      continue;
    }
    const gnu = line.match(/^\\?([0-9a-fA-F]+)\s+\*?(.+)$/);
    if (gnu) {
      const algorithm = algorithmOf(gnu[1]!);
      // coreutils marks a line whose name it escaped with a leading backslash (see checksumLine).
      const name = line.startsWith('\\')
        ? gnu[2]!.trim().replace(/\\(\\|n|r)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'))
        : gnu[2]!.trim();
      if (algorithm) out.push({ algorithm, hash: gnu[1]!.toLowerCase(), name, format: 'gnu' });
    }
  }
  flushListed();
  return out;
}

const LENGTH_NAMES: [number, string][] = [
  [8, 'CRC32'],
  [32, 'MD5'],
  [40, 'SHA-1'],
  [64, 'SHA-256'],
  [128, 'SHA-512'],
];

/**
 * Why pasted text gave no hash, in words a person can act on ("63 hex
 * digits — one missing? A SHA-256 has 64."). Null when the text holds one.
 */
export function explainUnreadable(text: string): string | null {
  const t = text.trim();
  if (!t || parseChecksums(t).length) return null;
  if (/ed2k:\/\//i.test(t)) {
    const hash = t.match(/ed2k:\/\/\|file\|[^|]*\|[^|]*\|([^|]*)\|/i)?.[1];
    return `This ed2k link could not be read${hash !== undefined && !/^[0-9a-f]{32}$/i.test(hash) ? `: its hash "${hash.slice(0, 40)}" is not 32 hex digits` : ''}; a link reads ed2k://|file|NAME|SIZE|HASH|/ (the size in bytes, the hash 32 hex digits).`;
  }
  // The longest run of what looks like digits of a hash (letters a hash cannot hold included, to name them).
  const runs = t.match(/[0-9A-Za-z]{6,}/g) ?? [];
  const run = runs.sort((a, b) => b.length - a.length)[0];
  if (!run) return 'No hash found: paste its hex digits (64 for SHA-256, 40 for SHA-1, 32 for MD5) or a line from a checksum file.';
  const wrong = [...new Set(run.replace(/[0-9a-f]/gi, ''))];
  if (wrong.length && wrong.length <= 3 && run.length >= 30)
    return `"${wrong.join('", "')}" ${wrong.length === 1 ? 'is' : 'are'} not ${wrong.length === 1 ? 'a hex digit' : 'hex digits'} (0–9, a–f)${wrong.some((c) => /[oO]/.test(c)) ? ': an O for a 0?' : wrong.some((c) => /[lI]/.test(c)) ? ': an l or I for a 1?' : '.'}`;
  if (wrong.length) return 'No hash found: paste its hex digits (64 for SHA-256, 40 for SHA-1, 32 for MD5) or a line from a checksum file.';
  const [nearest, name] = LENGTH_NAMES.reduce((best, c) => (Math.abs(c[0] - run.length) < Math.abs(best[0] - run.length) ? c : best));
  const diff = run.length - nearest;
  if (diff === 0) return null;
  const count = Math.abs(diff) === 1 ? 'one' : Math.abs(diff) === 2 ? 'two' : String(Math.abs(diff));
  return `${run.length} hex digits — ${count} ${diff < 0 ? 'missing' : 'too many'}? A ${name} has ${nearest}.`;
}

export interface MatchResult {
  verdict: 'match' | 'mismatch' | 'not-in-list';
  algorithm: HashAlgorithm | null;
  expected: string | null;
  actual: string | null;
  /** The list entry's file name, where it had one. */
  entryName: string | null;
  /**
   * The entry's size (an ed2k link's) and the file's, compared before any
   * hashing: a 'mismatch' with sizes that differ was decided by the size
   * alone (`actual` is then null unless the hash was computed anyway).
   */
  size?: { expected: number; actual: number };
}

const base = (n: string) => n.replace(/^.*[\\/]/, '').toLowerCase();

/** The entries a file is compared with: those naming it, else the unnamed (or the only) ones, else links of its exact size. */
function candidatesFor(entries: readonly ChecksumEntry[], fileName: string, fileSize: number | undefined): ChecksumEntry[] {
  const named = entries.filter((e) => e.name !== null && base(e.name) === base(fileName));
  if (named.length) return named;
  return entries.filter((e) => e.name === null || entries.length === 1 || (fileSize !== undefined && e.size === fileSize));
}

const sizeFits = (e: ChecksumEntry, fileSize: number | undefined) => e.size === undefined || fileSize === undefined || e.size === fileSize;

/**
 * Match a file against a list: by file name where the list names files,
 * else the single bare value (or an ed2k link of the file's exact size). A
 * list that names other files only: not-in-list. Where an entry gives a size
 * (an ed2k link) and `fileSize` is known, a size that differs settles it
 * before any hashing: 'mismatch', with `size`.
 */
export function matchChecksums(
  entries: readonly ChecksumEntry[],
  fileName: string,
  computed: Partial<Record<HashAlgorithm, string>>,
  fileSize?: number,
): MatchResult {
  const candidates = candidatesFor(entries, fileName, fileSize);
  if (!candidates.length) return { verdict: 'not-in-list', algorithm: null, expected: null, actual: null, entryName: null };
  const fitting = candidates.filter((e) => sizeFits(e, fileSize));
  if (!fitting.length) {
    // Every entry for this file gives another size: not this file, whatever its hash.
    const e = candidates[0]!;
    return {
      verdict: 'mismatch',
      algorithm: e.algorithm,
      expected: e.hash,
      actual: computed[e.algorithm] ?? null,
      entryName: e.name,
      size: { expected: e.size!, actual: fileSize! },
    };
  }
  // Prefer an entry whose algorithm was computed; the strongest first.
  const order: HashAlgorithm[] = ['sha512', 'sha256', 'sha1', 'md5', 'ed2k', 'crc32'];
  const usable = fitting.filter((e) => computed[e.algorithm]).sort((a, b) => order.indexOf(a.algorithm) - order.indexOf(b.algorithm));
  const e = usable[0] ?? fitting[0]!;
  const size = e.size !== undefined && fileSize !== undefined ? { size: { expected: e.size, actual: fileSize } } : {};
  const actual = computed[e.algorithm] ?? null;
  if (actual === null) return { verdict: 'not-in-list', algorithm: e.algorithm, expected: e.hash, actual: null, entryName: e.name, ...size };
  return { verdict: actual === e.hash ? 'match' : 'mismatch', algorithm: e.algorithm, expected: e.hash, actual, entryName: e.name, ...size };
}

/**
 * The algorithms to compute to compare a file with a list: each entry's,
 * except an ed2k link of another size (known not to be this file without
 * hashing a byte).
 */
export function algorithmsToCheck(entries: readonly ChecksumEntry[], fileSize: number): HashAlgorithm[] {
  return [...new Set(entries.filter((e) => sizeFits(e, fileSize)).map((e) => e.algorithm))];
}

/**
 * What a comparison with an ed2k link (an entry with a size) means, in words
 * for the app and the CLI; null for other entries, whose verdict says it all.
 * A link is only as good as where it came from: a match says the file is the
 * one the link describes, not who made it.
 */
export function sizeNote(m: MatchResult): string | null {
  if (!m.size) return null;
  const { expected, actual } = m.size;
  if (expected !== actual) return `the file is ${groupedDigits(actual)} bytes; the link says ${groupedDigits(expected)}: not this file`;
  if (m.verdict === 'match') return `the size (${groupedDigits(actual)} bytes) and the ed2k hash are the link's: this is the file the link describes`;
  if (m.verdict === 'mismatch')
    return `the size is the link's (${groupedDigits(actual)} bytes) but the ed2k hash differs: not the file the link describes (damaged or altered)`;
  return `the size is the link's (${groupedDigits(actual)} bytes), which alone does not make it the same file: compute ${m.algorithm?.toUpperCase() ?? 'the hash'} to compare`;
}

/**
 * One line of a GNU checksum file ("hash  name", as sha256sum writes it), so
 * `sha256sum -c` checks it. A name with a backslash or a line break is
 * escaped the way coreutils does: the line starts with a backslash, and the
 * name's backslashes and line breaks are written as two characters each.
 */
export function checksumLine(hash: string, name: string): string {
  const escaped = /[\\\n\r]/.test(name);
  const shown = escaped ? name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : name;
  return `${escaped ? '\\' : ''}${hash.toLowerCase()}  ${shown}\n`;
}
