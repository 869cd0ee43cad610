/**
 * Checksum lists as people get them: GNU coreutils ("hash  name", "hash *name"),
 * BSD / `shasum --tag` ("SHA256 (name) = hash"), single-value .sha256/.sha1/.md5
 * files and pasted hashes, also as Windows prints them: PowerShell's
 * Get-FileHash (its table and its `Format-List` form), `certutil -hashfile`
 * ("SHA256 hash of name:" then the digits, older versions with a space between
 * bytes), 7-Zip's `7z h` ("SHA256 for data: …") and prefixed values
 * ("sha256:…", "SHA-256 = …"). Matching is case- and space-insensitive.
 */
import { HEX_LENGTH, type HashAlgorithm } from './hashers.ts';

export interface ChecksumEntry {
  algorithm: HashAlgorithm;
  hash: string;
  name: string | null;
  format: 'gnu' | 'bsd' | 'bare' | 'powershell' | 'certutil' | 'prefixed';
}

const BY_LENGTH: Record<number, HashAlgorithm> = Object.fromEntries(Object.entries(HEX_LENGTH).map(([a, n]) => [n, a as HashAlgorithm]));
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
};
const algorithmNamed = (name: string): HashAlgorithm | null => BSD_NAMES[name.toUpperCase()] ?? null;
const ALGORITHM = 'MD5|SHA-?1|SHA-?256|SHA-?384|SHA-?512|SHA2-256|SHA2-512|CRC32';

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
}

/**
 * Match a file against a list: by file name where the list names files,
 * else the single bare value. A list that names other files only: not-in-list.
 */
export function matchChecksums(entries: readonly ChecksumEntry[], fileName: string, computed: Partial<Record<HashAlgorithm, string>>): MatchResult {
  const base = (n: string) => n.replace(/^.*[\\/]/, '').toLowerCase();
  const named = entries.filter((e) => e.name !== null && base(e.name) === base(fileName));
  const candidates = named.length ? named : entries.filter((e) => e.name === null || entries.length === 1);
  if (!candidates.length) return { verdict: 'not-in-list', algorithm: null, expected: null, actual: null, entryName: null };
  // Prefer an entry whose algorithm was computed; the strongest first.
  const order: HashAlgorithm[] = ['sha512', 'sha256', 'sha1', 'md5', 'crc32'];
  const usable = candidates.filter((e) => computed[e.algorithm]).sort((a, b) => order.indexOf(a.algorithm) - order.indexOf(b.algorithm));
  const e = usable[0] ?? candidates[0]!;
  const actual = computed[e.algorithm] ?? null;
  if (actual === null) return { verdict: 'not-in-list', algorithm: e.algorithm, expected: e.hash, actual: null, entryName: e.name };
  return { verdict: actual === e.hash ? 'match' : 'mismatch', algorithm: e.algorithm, expected: e.hash, actual, entryName: e.name };
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
