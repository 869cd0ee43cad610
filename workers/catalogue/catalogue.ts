/**
 * The shipped catalogue, indexed: releases as public sources list them, by
 * size and by hash, for the "which release is it?" answers
 * (report/provenance.ts) and `--lookup`. Every answer names the sources
 * that list what matched; none is a check by Microsoft.
 */
import data from './releases.json' with { type: 'json' };
import { parseEd2kLink } from '../hash/ed2k-link.ts';
import type { CatalogueData, CatalogueHash, CatalogueRelease } from './types.ts';
import { groupedDigits } from '../io/bytes.ts';

/**
 * releases.json leaves out what a row does not have (a null hash, an empty
 * list) to stay small; the rows are given back here with every field.
 */
function complete(raw: Partial<CatalogueRelease> & Pick<CatalogueRelease, 'id' | 'statements'>): CatalogueRelease {
  return {
    names: [],
    size: null,
    md5: null,
    sha1: null,
    sha256: null,
    product: null,
    edition: null,
    release: null,
    build: null,
    language: null,
    arch: null,
    channel: null,
    confirmed: [],
    ...raw,
  };
}

const raw = data as Omit<CatalogueData, 'releases'> & { releases: Parameters<typeof complete>[0][] };
export const CATALOGUE: CatalogueData = { ...raw, releases: raw.releases.map(complete) };
export const CATALOGUE_HASHES: CatalogueHash[] = ['sha256', 'sha1', 'md5'];

const bySize = new Map<number, CatalogueRelease[]>();
const byHash = new Map<string, CatalogueRelease[]>();
const add = <K>(m: Map<K, CatalogueRelease[]>, k: K, r: CatalogueRelease) => {
  const kept = m.get(k);
  if (kept) kept.push(r);
  else m.set(k, [r]);
};
for (const r of CATALOGUE.releases) {
  if (r.size !== null) add(bySize, r.size, r);
  for (const h of CATALOGUE_HASHES) if (r[h]) add(byHash, `${h}:${r[h]}`, r);
  if (r.ed2k) add(byHash, `ed2k:${r.ed2k}`, r);
}

export function releasesOfSize(size: number): CatalogueRelease[] {
  return bySize.get(size) ?? [];
}

export function releasesWithHash(algorithm: CatalogueHash | 'ed2k', hex: string): CatalogueRelease[] {
  return byHash.get(`${algorithm}:${hex.toLowerCase()}`) ?? [];
}

/** The repositories a release's statements come from (each once), or those stating one field. */
export function sourcesOf(r: CatalogueRelease, field?: CatalogueHash | 'ed2k' | 'size'): string[] {
  const ids = new Set(r.statements.filter((s) => !field || s.fields.includes(field)).map((s) => s.source));
  return CATALOGUE.sources.filter((s) => ids.has(s.id)).map((s) => s.repo);
}

export interface LookupResult {
  query: string;
  /** What the query was read as. */
  kind: 'hash' | 'size' | 'ed2k-link' | 'invalid';
  algorithm?: CatalogueHash | 'ed2k';
  /** What matched: a hash ('hash'), only a size ('size': hash the file to confirm), or nothing. */
  match: 'hash' | 'size' | 'none';
  releases: CatalogueRelease[];
  message: string;
}

const HEX_LENGTHS: Record<number, CatalogueHash[] | ('md5' | 'ed2k')[]> = { 32: ['md5', 'ed2k'], 40: ['sha1'], 64: ['sha256'] };
const LABEL: Record<CatalogueHash | 'ed2k', string> = { md5: 'MD5', sha1: 'SHA1', sha256: 'SHA256', ed2k: 'ed2k hash' };
const namesOf = (rs: CatalogueRelease[]) => rs.flatMap((r) => r.names).join(', ') || 'a catalogued release (no name in its sources)';
const listedBy = (rs: CatalogueRelease[], field: CatalogueHash | 'ed2k' | 'size') => [...new Set(rs.flatMap((r) => sourcesOf(r, field)))].join(', ');

function bySizeAnswer(query: string, size: number, kind: LookupResult['kind'], exclude: CatalogueRelease[] = []): LookupResult {
  const releases = releasesOfSize(size).filter((r) => !exclude.includes(r));
  return releases.length
    ? {
        query,
        kind,
        match: 'size',
        releases,
        message: `${groupedDigits(size)} bytes: the size of ${namesOf(releases)} (as listed by ${listedBy(releases, 'size')}); a size is not an identity: hash it to confirm`,
      }
    : { query, kind, match: 'none', releases: [], message: `${groupedDigits(size)} bytes: no release in the catalogue has this size` };
}

/**
 * What the catalogue knows about a hash (its algorithm by its length, or a
 * "sha1:"-style prefix; 32 digits are looked up as MD5 and as ed2k hash), an
 * ed2k link (its hash, else its size), or a size in bytes ("3,150,000,000"
 * and "3150000000" alike).
 */
export function lookup(query: string): LookupResult {
  const trimmed = query.trim();
  const link = parseEd2kLink(trimmed);
  if (link) {
    const releases = releasesWithHash('ed2k', link.hash);
    if (releases.length) {
      const sizes = releases.filter((r) => r.size !== null && r.size !== link.size);
      return {
        query,
        kind: 'ed2k-link',
        algorithm: 'ed2k',
        match: 'hash',
        releases,
        message:
          `ed2k hash of ${namesOf(releases)} (as listed by ${listedBy(releases, 'ed2k')})` +
          (sizes.length
            ? `; but the link says ${groupedDigits(link.size)} bytes and the catalogue ${groupedDigits(sizes[0]!.size!)}: the link contradicts itself`
            : ''),
      };
    }
    // Releases of that size whose ed2k hash is known and differs are not this file.
    const differ = releasesOfSize(link.size).filter((r) => r.ed2k && r.ed2k !== link.hash);
    const answer = bySizeAnswer(query, link.size, 'ed2k-link', differ);
    const note = differ.length
      ? `${answer.match === 'size' ? '; ' : `${groupedDigits(link.size)} bytes: `}${namesOf(differ)} ${differ.length === 1 && differ[0]!.names.length <= 1 ? 'has' : 'have'} this size but another ed2k hash (as listed by ${listedBy(differ, 'ed2k')}): the link is not of ${differ.length === 1 ? 'it' : 'them'}`
      : '';
    const sizePart = answer.match === 'size' || !differ.length ? answer.message : '';
    return { ...answer, algorithm: 'ed2k', message: `no release in the catalogue has this ed2k hash; ${sizePart}${note}` };
  }
  const prefixed = trimmed.match(/^(md5|sha1|sha-1|sha256|sha-256|ed2k):(.*)$/i);
  const q = (prefixed ? prefixed[2]! : trimmed).trim();
  const wanted = prefixed ? (prefixed[1]!.toLowerCase().replace('-', '') as CatalogueHash | 'ed2k') : null;
  if (/^[0-9a-f]+$/i.test(q) && HEX_LENGTHS[q.length] && !/^\d+$/.test(q)) {
    const algorithms = (HEX_LENGTHS[q.length] as (CatalogueHash | 'ed2k')[]).filter((a) => !wanted || a === wanted);
    if (!algorithms.length) return { query, kind: 'invalid', match: 'none', releases: [], message: `${q.length} hex digits is not a ${LABEL[wanted!]}` };
    for (const algorithm of algorithms) {
      const releases = releasesWithHash(algorithm, q);
      if (releases.length)
        return {
          query,
          kind: 'hash',
          algorithm,
          match: 'hash',
          releases,
          message: `${LABEL[algorithm]} of ${namesOf(releases)} (as listed by ${listedBy(releases, algorithm)})`,
        };
    }
    return {
      query,
      kind: 'hash',
      algorithm: algorithms[0]!,
      match: 'none',
      releases: [],
      message: `no release in the catalogue has this ${algorithms.map((a) => LABEL[a]).join(' or ')}: unknown to isoscope, which does not make it fake`,
    };
  }
  const digits = q.replace(/[,_\s.]/g, '');
  if (/^\d+$/.test(digits) && digits.length < 16) return bySizeAnswer(query, Number(digits), 'size');
  if (/^[0-9a-f]+$/i.test(q))
    return {
      query,
      kind: 'invalid',
      match: 'none',
      releases: [],
      message: `${q.length} hex digits: a hash has 32 (MD5 or ed2k), 40 (SHA-1) or 64 (SHA-256)`,
    };
  return {
    query,
    kind: 'invalid',
    match: 'none',
    releases: [],
    message: 'neither a hash (32, 40 or 64 hex digits), an ed2k link (ed2k://|file|NAME|SIZE|HASH|/) nor a size in bytes',
  };
}
