/**
 * The shipped catalogue, indexed: releases by size and by hash, for the
 * "is it genuine?" answers (report/provenance.ts) and `--lookup`.
 */
import data from './releases.json' with { type: 'json' };
import type { CatalogueData, CatalogueHash, CatalogueRelease } from './types.ts';

export const CATALOGUE = data as CatalogueData;
export const CATALOGUE_HASHES: CatalogueHash[] = ['sha256', 'sha1', 'md5'];

const bySize = new Map<number, CatalogueRelease[]>();
const byHash = new Map<string, CatalogueRelease[]>();
for (const r of CATALOGUE.releases) {
  if (r.size !== null) bySize.set(r.size, [...(bySize.get(r.size) ?? []), r]);
  for (const h of CATALOGUE_HASHES) {
    const v = r[h];
    if (v) byHash.set(`${h}:${v}`, [...(byHash.get(`${h}:${v}`) ?? []), r]);
  }
}

export function releasesOfSize(size: number): CatalogueRelease[] {
  return bySize.get(size) ?? [];
}

export function releasesWithHash(algorithm: CatalogueHash, hex: string): CatalogueRelease[] {
  return byHash.get(`${algorithm}:${hex.toLowerCase()}`) ?? [];
}

/** The repositories a release's statements come from (each once). */
export function sourcesOf(r: CatalogueRelease, field?: CatalogueHash | 'size'): string[] {
  const ids = new Set(r.statements.filter((s) => !field || s.fields.includes(field)).map((s) => s.source));
  return CATALOGUE.sources.filter((s) => ids.has(s.id)).map((s) => s.repo);
}

export interface LookupResult {
  query: string;
  kind: 'hash' | 'size' | 'invalid';
  algorithm?: CatalogueHash;
  releases: CatalogueRelease[];
  message: string;
}

const HEX_LENGTHS: Record<number, CatalogueHash> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/** What the catalogue knows about a hash (by its length) or a size in bytes ("3,150,000,000" and "3150000000" alike). */
export function lookup(query: string): LookupResult {
  const q = query.trim().replace(/^(md5|sha1|sha-1|sha256|sha-256):/i, '');
  if (/^[0-9a-f]+$/i.test(q) && HEX_LENGTHS[q.length] && !/^\d+$/.test(q)) {
    const algorithm = HEX_LENGTHS[q.length]!;
    const releases = releasesWithHash(algorithm, q);
    return {
      query,
      kind: 'hash',
      algorithm,
      releases,
      message: releases.length
        ? `${algorithm.toUpperCase()} of ${releases.flatMap((r) => r.names).join(', ') || 'a catalogued release'}`
        : `no release in the catalogue has this ${algorithm.toUpperCase()}: unknown to isoscope, which does not make it fake`,
    };
  }
  const digits = q.replace(/[,_\s.]/g, '');
  if (/^\d+$/.test(digits) && digits.length < 16) {
    const releases = releasesOfSize(Number(digits));
    return {
      query,
      kind: 'size',
      releases,
      message: releases.length
        ? `the size of ${releases.flatMap((r) => r.names).join(', ') || 'a catalogued release'}`
        : 'no release in the catalogue has this size',
    };
  }
  if (/^[0-9a-f]+$/i.test(q))
    return { query, kind: 'invalid', releases: [], message: `${q.length} hex digits: a hash has 32 (MD5), 40 (SHA-1) or 64 (SHA-256)` };
  return { query, kind: 'invalid', releases: [], message: 'neither a hash (32, 40 or 64 hex digits) nor a size in bytes' };
}
