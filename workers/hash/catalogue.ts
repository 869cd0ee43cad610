/**
 * A catalogue of trusted hashes the user keeps (imported lists: checksum files
 * and lists of ed2k links, CSV or JSON with name, size, sha1/sha256/md5/ed2k,
 * source). isoscope ships no
 * hash of its own. Matching is by hash; a name whose size differs is known to
 * be different before a byte is hashed.
 */
import { parseEd2kLink } from './ed2k-link.ts';
import { parseChecksums } from './checksums.ts';
import type { HashAlgorithm } from './hashers.ts';

export interface CatalogueEntry {
  name: string | null;
  size: number | null;
  hashes: Partial<Record<HashAlgorithm, string>>;
  source: string;
  /** Which imported list it came from, and when. */
  list: string;
  importedAt: string;
}

const MAX_ENTRIES = 200_000;

function csvCells(line: string): string[] {
  const out: string[] = [];
  let cur = '',
    quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === ';' || c === '\t') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

const hex = (s: unknown, n: number) => (typeof s === 'string' && new RegExp(`^[0-9a-fA-F]{${n}}$`).test(s.trim()) ? s.trim().toLowerCase() : undefined);

function fromRecord(r: Record<string, unknown>, list: string, importedAt: string, fallbackSource: string): CatalogueEntry | null {
  const get = (k: string) => r[k] ?? r[k.toUpperCase()] ?? r[k[0]!.toUpperCase() + k.slice(1)];
  const hashes: CatalogueEntry['hashes'] = {};
  const sha256 = hex(get('sha256'), 64),
    sha1 = hex(get('sha1'), 40),
    md5 = hex(get('md5'), 32);
  // An ed2k column holds the hash, or the whole link (which gives the size too).
  const link = typeof get('ed2k') === 'string' ? parseEd2kLink(get('ed2k') as string) : null;
  const ed2k = link?.hash ?? hex(get('ed2k'), 32);
  if (sha256) hashes.sha256 = sha256;
  if (sha1) hashes.sha1 = sha1;
  if (md5) hashes.md5 = md5;
  if (ed2k) hashes.ed2k = ed2k;
  if (!Object.keys(hashes).length) return null;
  const given = Number(get('size'));
  const size = Number.isSafeInteger(given) && given > 0 ? given : (link?.size ?? NaN);
  const name = get('name') ?? get('filename') ?? get('file') ?? link?.name;
  const source = get('source');
  return {
    name: typeof name === 'string' && name ? name : null,
    size: Number.isSafeInteger(size) && size > 0 ? size : null,
    hashes,
    // A JSON list may hold anything there: text and numbers are a source's name, nothing else is.
    source: typeof source === 'string' || typeof source === 'number' ? String(source) : fallbackSource,
    list,
    importedAt,
  };
}

/** Parse an imported list by its shape: JSON, CSV with a header, or a checksum file. */
export function parseCatalogue(text: string, list: string, importedAt: string): CatalogueEntry[] {
  const source = `the list you imported (${list}) on ${importedAt.slice(0, 10)}`;
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  let out: CatalogueEntry[] = [];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const data = JSON.parse(trimmed) as unknown;
    const rows = Array.isArray(data) ? data : ((data as { entries?: unknown[] }).entries ?? []);
    out = rows
      .slice(0, MAX_ENTRIES)
      .map((r) => (r && typeof r === 'object' ? fromRecord(r as Record<string, unknown>, list, importedAt, source) : null))
      .filter((e): e is CatalogueEntry => e !== null);
  } else {
    const lines = trimmed.split(/\r?\n/);
    const header = csvCells(lines[0] ?? '').map((h) => h.toLowerCase());
    if (header.some((h) => h === 'sha256' || h === 'sha1' || h === 'md5' || h === 'ed2k')) {
      out = lines
        .slice(1, MAX_ENTRIES + 1)
        .map((l) => fromRecord(Object.fromEntries(csvCells(l).map((c, i) => [header[i] ?? `c${i}`, c])), list, importedAt, source))
        .filter((e): e is CatalogueEntry => e !== null);
    } else {
      // An ed2k link gives the file's size too: a file of another size is then known to differ before hashing.
      out = parseChecksums(trimmed).map((e) => ({ name: e.name, size: e.size ?? null, hashes: { [e.algorithm]: e.hash }, source, list, importedAt }));
    }
  }
  return out;
}

export type CatalogueVerdict =
  | { verdict: 'match'; entry: CatalogueEntry; algorithm: HashAlgorithm }
  | { verdict: 'size-differs'; entry: CatalogueEntry; size: number }
  | { verdict: 'hash-differs'; entry: CatalogueEntry; algorithm: HashAlgorithm; expected: string; actual: string }
  | { verdict: 'unknown' };

/**
 * Check a file against the catalogue. Before hashing (`hashes` empty), an
 * entry with the same name but another size already says "different".
 */
export function checkCatalogue(
  entries: readonly CatalogueEntry[],
  file: { name: string; size: number },
  hashes: Partial<Record<HashAlgorithm, string>>,
): CatalogueVerdict {
  for (const e of entries) {
    for (const [a, h] of Object.entries(hashes) as [HashAlgorithm, string][]) {
      if (e.hashes[a] === h) return { verdict: 'match', entry: e, algorithm: a };
    }
  }
  const base = file.name.toLowerCase();
  const named = entries.filter((e) => e.name?.toLowerCase().replace(/^.*[\\/]/, '') === base);
  for (const e of named) {
    if (e.size !== null && e.size !== file.size) return { verdict: 'size-differs', entry: e, size: file.size };
    for (const [a, h] of Object.entries(hashes) as [HashAlgorithm, string][]) {
      if (e.hashes[a] && e.hashes[a] !== h) return { verdict: 'hash-differs', entry: e, algorithm: a, expected: e.hashes[a], actual: h };
    }
  }
  return { verdict: 'unknown' };
}
