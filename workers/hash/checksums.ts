/**
 * Checksum lists as people get them: GNU coreutils ("hash  name", "hash *name"),
 * BSD / `shasum --tag` ("SHA256 (name) = hash"), single-value .sha256/.sha1/.md5
 * files and pasted hashes. Matching is case- and space-insensitive.
 */
import { HEX_LENGTH, type HashAlgorithm } from './hashers.ts';

export interface ChecksumEntry {
  algorithm: HashAlgorithm;
  hash: string;
  name: string | null;
  format: 'gnu' | 'bsd' | 'bare';
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
};

/** The algorithm a bare hex string must be, by its length. */
export function algorithmOf(hex: string): HashAlgorithm | null {
  const h = hex.replace(/\s+/g, '').toLowerCase();
  return /^[0-9a-f]+$/.test(h) ? (BY_LENGTH[h.length] ?? null) : null;
}

/** Bounded: a checksum list of more than this many lines is cut. */
const MAX_LINES = 100_000;

export function parseChecksums(text: string): ChecksumEntry[] {
  const out: ChecksumEntry[] = [];
  for (const raw of text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(0, MAX_LINES)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
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
      if (algorithm) out.push({ algorithm, hash: gnu[1]!.toLowerCase(), name: gnu[2]!.trim(), format: 'gnu' });
    }
  }
  return out;
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
