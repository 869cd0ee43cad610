/**
 * From statements to rows: keep only statements about official files, join
 * the ones about the same bytes (a shared hash, or a shared unique name),
 * drop any group whose sources disagree, and record which values two
 * independent lineages state alike.
 */
import { parseReleaseName, type ReleaseName } from '../release-name.ts';
import type { CatalogueField, CatalogueHash, CatalogueRelease, CatalogueStatement } from '../types.ts';
import type { RawStatement } from './parse.ts';

export interface SourcedStatement extends RawStatement {
  source: string;
  lineage: string;
  labelMeans?: 'mido-media' | 'windows-table';
}

export interface MergeLog {
  notOfficial: { source: string; name: string | null; where: string }[];
  conflicts: { names: string[]; field: CatalogueField; values: string[]; sources: string[] }[];
  /** Names not taken: a commit gave them to a hash and size already stated under another name (or none). */
  carried: { source: string; name: string; where: string; id: string }[];
  /** Rows whose sources' own labels name different editions (kept, with every edition named). */
  labelsDisagree: { id: string; editions: string[] }[];
  /** Statements left out because they alone joined releases every other statement keeps apart. */
  bridges: { source: string; name: string | null; where: string; names: string[] }[];
}

const HASHES: (CatalogueHash | 'ed2k')[] = ['sha256', 'sha1', 'md5', 'ed2k'];
const FIELDS: CatalogueField[] = ['size', ...HASHES];

/** What a source's own label says, where it names no official file. */
function readLabel(label: string, means: SourcedStatement['labelMeans']): ReleaseName | null {
  if (means === 'windows-table') {
    const m = label.match(/^Windows (Vista|7|8\.1|10|11) (.+?) (x64|x86) (English)(?: (SP\d))?$/);
    if (!m) return null;
    return {
      unique: false,
      product: `Windows ${m[1]}`,
      edition: m[2]!,
      release: m[5] ?? null,
      build: null,
      language: 'en-us',
      arch: m[3] as 'x64' | 'x86',
      channel: 'retail',
    };
  }
  if (means === 'mido-media') {
    // Mido's media ids (and dockur's, which follow them): win7x64-ultimate, win10x64-enterprise-eval, win2022-eval…
    const m = label.match(/^win(vista|7|81|10|11|2008r2|2012r2|2016|2019|2022|2025)(x64|x86|arm64)?(?:-(.+))?$/);
    if (!m) return null;
    const products: Record<string, string> = {
      vista: 'Windows Vista',
      '7': 'Windows 7',
      '81': 'Windows 8.1',
      '10': 'Windows 10',
      '11': 'Windows 11',
      '2008r2': 'Windows Server 2008 R2',
      '2012r2': 'Windows Server 2012 R2',
      '2016': 'Windows Server 2016',
      '2019': 'Windows Server 2019',
      '2022': 'Windows Server 2022',
      '2025': 'Windows Server 2025',
    };
    const rest = m[3] ?? '';
    const eval_ = /(^|-)eval$/.test(rest);
    const words = rest
      .replace(/(^|-)eval$/, '')
      .split('-')
      .filter(Boolean);
    // "enterprise-iot" (-eval) is the IoT Enterprise LTSC media of Windows 10 and 11 (their only IoT evaluation).
    const edition = words.length
      ? words.join('-') === 'enterprise-iot'
        ? 'IoT Enterprise LTSC'
        : words.map((w) => (w === 'ltsc' ? 'LTSC' : w === 'iot' ? 'IoT' : w === 'hv' ? 'Hyper-V Server' : w[0]!.toUpperCase() + w.slice(1))).join(' ')
      : null;
    const server = m[1]!.startsWith('20');
    return {
      unique: false,
      product: products[m[1]!]!,
      edition: eval_ ? `${edition ?? (server ? 'Server' : '')} Evaluation`.trim() : edition,
      release: null,
      build: null,
      language: 'en-us',
      arch: (m[2] as 'x64' | 'x86' | 'arm64' | undefined) ?? (server ? 'x64' : null),
      channel: eval_ ? 'evaluation' : 'download',
    };
  }
  return null;
}

/** Whether a statement from a label-only source speaks of a Microsoft-hosted file. */
const microsoftHosted = (s: SourcedStatement) => s.source === 'mido' || s.where.startsWith('getMido');

function nameRank(name: string): number {
  const p = parseReleaseName(name);
  return !p?.unique ? 3 : p.channel === 'msdn' || p.channel === 'vlsc' ? 0 : p.channel === 'retail' ? 1 : 2;
}

export function merge(all: SourcedStatement[]): { releases: CatalogueRelease[]; log: MergeLog } {
  const log: MergeLog = { notOfficial: [], conflicts: [], carried: [], labelsDisagree: [], bridges: [] };
  const kept: { s: SourcedStatement; parsed: ReleaseName | null; labelled: ReleaseName | null }[] = [];
  const seen = new Set<string>();
  for (const s of all) {
    // A carried name is not the source's statement about the name: read it as none.
    const parsed = s.name && !s.nameCarried ? parseReleaseName(s.name) : null;
    const labelled = s.label && s.labelMeans ? readLabel(s.label, s.labelMeans) : null;
    // Official name, or a source's own media id for a file it downloads from Microsoft.
    const ok =
      (s.name !== null && parseReleaseName(s.name) !== null) ||
      (labelled !== null && (s.labelMeans === 'windows-table' || microsoftHosted(s)) && (s.name === null || s.url?.includes('microsoft.com')));
    if (!ok) {
      log.notOfficial.push({ source: s.source, name: s.name, where: s.where });
      continue;
    }
    // The same source saying the same thing in many commits is one statement.
    const key = [s.source, s.name, s.label, s.size, s.md5, s.sha1, s.sha256, s.ed2k, s.nameCarried].join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push({ s, parsed, labelled });
  }

  type Item = (typeof kept)[number];
  // Union-find over statements: same hash, or same unique official name.
  const groupsOf = (items: Item[]): Item[][] => {
    const parent = items.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    const firstBy = new Map<string, number>();
    items.forEach(({ s, parsed }, i) => {
      const keys = HASHES.filter((h) => s[h]).map((h) => `${h}:${s[h]}`);
      if (s.name && parsed?.unique) keys.push(`name:${s.name.toLowerCase()}`);
      for (const k of keys) {
        const j = firstBy.get(k);
        if (j === undefined) firstBy.set(k, i);
        else parent[find(i)] = find(j);
      }
    });
    const groups = new Map<number, Item[]>();
    items.forEach((x, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), x]));
    return [...groups.values()];
  };
  const valuesOf = (items: Item[]) => {
    const values: Partial<Record<CatalogueField, Map<string, Set<string>>>> = {};
    for (const { s } of items) {
      for (const f of FIELDS) {
        const v = s[f];
        if (v === undefined) continue;
        const m = (values[f] ??= new Map<string, Set<string>>());
        const lineages = m.get(String(v)) ?? new Set<string>();
        lineages.add(s.lineage);
        m.set(String(v), lineages);
      }
    }
    return values;
  };
  const conflictOf = (items: Item[]) => {
    const values = valuesOf(items);
    return FIELDS.find((f) => (values[f]?.size ?? 0) > 1);
  };
  const content = ({ s }: Item) => [s.source, s.name, s.size, s.md5, s.sha1, s.sha256, s.ed2k].join('|');
  /**
   * A group whose sources disagree may hold one statement that alone joins
   * releases the others keep apart (a name with another file's hashes): if
   * leaving out exactly one statement's content makes every part agree, that
   * statement is left out (and said); otherwise the group is dropped.
   */
  const settle = (group: Item[]): Item[][] => {
    if (!conflictOf(group)) return [group];
    const fixes = [...new Set(group.map(content))].filter((c) => groupsOf(group.filter((x) => content(x) !== c)).every((g) => !conflictOf(g)));
    if (fixes.length !== 1) return [group];
    const out = group.filter((x) => content(x) === fixes[0]);
    const rest = groupsOf(group.filter((x) => content(x) !== fixes[0]));
    for (const { s } of out)
      log.bridges.push({
        source: s.source,
        name: s.name,
        where: s.where,
        names: [...new Set(rest.flatMap((g) => g.map((x) => x.s.name).filter((n): n is string => !!n)))],
      });
    return rest;
  };
  const groups = groupsOf(kept).flatMap(settle);

  const releases: CatalogueRelease[] = [];
  for (const items of groups) {
    const values = valuesOf(items);
    const names = [...new Set(items.map(({ s, parsed }) => (parsed ? s.name : null)).filter((n): n is string => n !== null))];
    const conflict = FIELDS.find((f) => (values[f]?.size ?? 0) > 1);
    if (conflict) {
      log.conflicts.push({
        names,
        field: conflict,
        values: [...values[conflict]!.keys()],
        sources: [...new Set(items.map(({ s }) => `${s.source} (${s.where})`))],
      });
      continue;
    }
    const one = (f: CatalogueField) => (values[f] ? [...values[f].keys()][0]! : null);
    const id = one('sha256') ?? one('sha1') ?? one('md5') ?? one('ed2k');
    if (!id) continue; // a size alone is not a release
    // Fields from the most specific name: MSDN/unique first, then the labels.
    const described = [...items.filter((x) => x.parsed?.unique), ...items.filter((x) => x.parsed && !x.parsed.unique), ...items.filter((x) => !x.parsed)]
      .flatMap((x) => [x.parsed, x.labelled])
      .filter((x): x is ReleaseName => x !== null);
    const pick = <K extends keyof ReleaseName>(k: K): ReleaseName[K] | null => described.find((d) => d[k] !== null)?.[k] ?? null;
    // Without a name, the sources' own labels describe the row; labels that name different editions are all kept.
    let edition = pick('edition');
    if (!names.length) {
      const editions = [...new Set(items.map((x) => x.labelled?.edition).filter((e): e is string => !!e))].sort();
      if (editions.length > 1) {
        edition = editions.join(' or ');
        log.labelsDisagree.push({ id, editions });
      }
    }
    for (const { s } of items) if (s.nameCarried && s.name && !names.includes(s.name)) log.carried.push({ source: s.source, name: s.name, where: s.where, id });
    const statements: CatalogueStatement[] = items.map(({ s }) => ({
      source: s.source,
      name: s.name,
      fields: FIELDS.filter((f) => s[f] !== undefined),
      where: s.where,
      ...(s.nameCarried ? { nameCarried: true as const } : {}),
    }));
    const ed2k = one('ed2k');
    const release: CatalogueRelease = {
      id,
      // MSDN names first (the ones people search for), then part numbers and build-lab names, generic names last.
      names: names.sort((a, b) => nameRank(a) - nameRank(b) || a.localeCompare(b)),
      size: one('size') === null ? null : Number(one('size')),
      md5: one('md5'),
      sha1: one('sha1'),
      sha256: one('sha256'),
      ...(ed2k ? { ed2k } : {}),
      product: pick('product'),
      edition,
      release: pick('release'),
      build: pick('build'),
      language: pick('language'),
      arch: pick('arch'),
      channel: pick('channel'),
      statements,
      confirmed: FIELDS.filter((f) => values[f] && [...values[f].values()][0]!.size >= 2),
    };
    releases.push(release);
  }
  releases.sort((a, b) => (a.product ?? '').localeCompare(b.product ?? '') || (a.names[0] ?? a.id).localeCompare(b.names[0] ?? b.id));
  return { releases, log };
}
