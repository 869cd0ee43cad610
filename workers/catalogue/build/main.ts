/**
 * Rebuilds workers/catalogue/releases.json from the public sources
 * (build/sources.ts), and the coverage tables in docs/catalogue.md and the
 * README.
 *
 *   npm run catalogue                       # reads from GitHub at the pinned commits
 *   ISOSCOPE_SOURCES=DIR npm run catalogue  # reads local git directories DIR/<owner>+<name>/repo
 *                                           # (a bare git directory, or a clone whose .git is repo/.git)
 *
 * History sources (every commit of a file) need the local git directory;
 * from GitHub only the pinned commit is read, and the output says so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SOURCES, sourceUrl, type SourceDefinition } from './sources.ts';
import { merge, type MergeLog, type SourcedStatement } from './merge.ts';
import type { RawStatement } from './parse.ts';
import { parseReleaseName } from '../release-name.ts';
import type { CatalogueData, CatalogueRelease, CatalogueSource } from '../types.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const OUT = join(ROOT, 'workers/catalogue/releases.json');

interface Reader {
  files(dir: string, suffix: string): Promise<string[]>;
  /** Every path under `dir` ending in `suffix` in the history up to the pinned commit (also those deleted since). */
  everFiles(dir: string, suffix: string): Promise<string[]>;
  read(path: string, commit: string): Promise<string | null>;
  /** The commits that touched any of these paths, oldest first. */
  history(paths: string[]): Promise<string[]>;
  /** Whether history() reads the history (a local git directory) or gives the pinned commit only (GitHub). */
  hasHistory: boolean;
}

/** The git directory of a local copy: DIR/<owner>+<name>/repo, bare, or with its .git inside (as the mirror tool leaves some). */
export function localGitDir(root: string, repo: string): string | null {
  const base = join(root, repo.replace('/', '+'), 'repo');
  for (const dir of [join(base, '.git'), base]) if (existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects'))) return dir;
  return null;
}

function gitReader(gitDir: string, commit: string): Reader {
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  return {
    hasHistory: true,
    async files(dir, suffix) {
      return git('ls-tree', '-r', '--name-only', commit, ...(dir ? ['--', dir] : []))
        .split('\n')
        .filter((p) => p && p.endsWith(suffix));
    },
    async everFiles(dir, suffix) {
      const paths = git('log', '--format=', '--name-only', commit, ...(dir ? ['--', dir] : []))
        .split('\n')
        .filter((p) => p && p.endsWith(suffix));
      return [...new Set(paths)].sort();
    },
    async read(path, at) {
      try {
        return git('show', `${at}:${path}`);
      } catch {
        return null;
      }
    },
    async history(paths) {
      return git('log', '--reverse', '--format=%H', commit, '--', ...paths)
        .split('\n')
        .filter(Boolean);
    },
  };
}

function githubReader(repo: string, commit: string): Reader {
  const files = async (dir: string, suffix: string) => {
    const res = await fetch(`https://api.github.com/repos/${repo}/git/trees/${commit}?recursive=1`);
    if (!res.ok) throw new Error(`${repo}: tree listing failed (${res.status})`);
    const tree = (await res.json()) as { tree: { path: string; type: string }[] };
    return tree.tree.filter((t) => t.type === 'blob' && t.path.startsWith(dir) && t.path.endsWith(suffix)).map((t) => t.path);
  };
  return {
    hasHistory: false,
    files,
    everFiles: files,
    async read(path, at) {
      const res = await fetch(`https://raw.githubusercontent.com/${repo}/${at}/${path}`);
      return res.ok ? res.text() : null;
    },
    async history() {
      return [commit];
    },
  };
}

/** The hashes and size of a statement, as one key. */
const bytesKey = (s: RawStatement) => [s.size, s.md5, s.sha1, s.sha256, s.ed2k].join('|');

type Dated = RawStatement & { commitIndex: number };

/**
 * Read a history source's statements in the order of its commits:
 *  - superseded: a statement about a unique official name (an MSDN id, a
 *    part number, a build-lab stamp) whose bytes the source no longer gives
 *    that name at the last commit naming it was corrected by the source
 *    itself, and is not read at all;
 *  - carried: a hash and size the source already gave (at an earlier commit,
 *    for the same media: its label) under another name or none, given a new
 *    name, is a changed URL, not a checked file: the new name is marked
 *    carried, and so is every later statement of that name with those bytes.
 */
export function readHistory(statements: Dated[]): { kept: Dated[]; superseded: Dated[] } {
  const last = new Map<string, { commit: number; bytes: Set<string> }>();
  for (const s of statements) {
    if (!s.name || !parseReleaseName(s.name)?.unique) continue;
    const l = last.get(s.name.toLowerCase());
    if (!l || l.commit < s.commitIndex) last.set(s.name.toLowerCase(), { commit: s.commitIndex, bytes: new Set([bytesKey(s)]) });
    else if (l.commit === s.commitIndex) l.bytes.add(bytesKey(s));
  }
  const superseded = statements.filter((s) => s.name && last.get(s.name.toLowerCase()) && !last.get(s.name.toLowerCase())!.bytes.has(bytesKey(s)));
  const kept = statements.filter((s) => !superseded.includes(s));
  const earlier = new Map<string, { names: Set<string | null>; first: number }>();
  const decided = new Map<string, boolean>();
  for (const s of kept) {
    if (!s.label) continue;
    const k = `${s.label}|${bytesKey(s)}`;
    const d = `${k}|${s.name}`;
    const seen = earlier.get(k);
    if (!decided.has(d)) decided.set(d, !!seen && seen.first < s.commitIndex && !seen.names.has(s.name) && s.name !== null);
    if (decided.get(d)) s.nameCarried = true;
    if (!seen) earlier.set(k, { names: new Set([s.name]), first: s.commitIndex });
    else seen.names.add(s.name);
  }
  return { kept, superseded };
}

async function statementsOf(
  def: SourceDefinition,
  reader: Reader,
  notes: string[],
  leftOut: Map<string, number>,
  superseded: { source: string; name: string; where: string }[],
): Promise<SourcedStatement[]> {
  const out: SourcedStatement[] = [];
  for (const file of def.files) {
    const paths =
      file.suffix !== undefined ? await (file.history ? reader.everFiles(file.path, file.suffix) : reader.files(file.path, file.suffix)) : [file.path];
    for (const path of paths) {
      const commits = file.history ? await reader.history([path, ...(file.companions ?? [])]) : [def.commit];
      if (file.history && !reader.hasHistory) notes.push(`${def.repo}/${path}: history not available here, read at ${def.commit.slice(0, 12)} only`);
      let read: Dated[] = [];
      for (const [commitIndex, commit] of commits.entries()) {
        const text = await reader.read(path, commit);
        if (text === null) continue;
        const companions = (await Promise.all((file.companions ?? []).map((c) => reader.read(c, commit)))).filter((t): t is string => t !== null);
        const got = file.parse(text, { path, commit, companions });
        const result = Array.isArray(got) ? { statements: got, leftOut: {} } : got;
        for (const s of result.statements) read.push({ ...s, commitIndex });
        for (const [reason, n] of Object.entries(result.leftOut)) leftOut.set(reason, (leftOut.get(reason) ?? 0) + n);
      }
      if (file.history) {
        const h = readHistory(read);
        read = h.kept;
        for (const x of h.superseded) superseded.push({ source: def.id, name: x.name!, where: x.where });
      }
      for (const { commitIndex: _c, ...s } of read) out.push({ ...s, source: def.id, lineage: def.lineageOf?.(s) ?? def.lineage, labelMeans: def.labelMeans });
    }
  }
  return out;
}

function coverage(releases: CatalogueRelease[]): string {
  const byProduct = new Map<string, { rows: number; confirmed: number; sized: number; hashes: Set<string> }>();
  for (const r of releases) {
    const p = r.product ?? '(product not named)';
    const c = byProduct.get(p) ?? { rows: 0, confirmed: 0, sized: 0, hashes: new Set<string>() };
    c.rows++;
    if (r.confirmed.some((f) => f !== 'size')) c.confirmed++;
    if (r.size !== null) c.sized++;
    for (const h of ['md5', 'sha1', 'sha256'] as const) if (r[h]) c.hashes.add(h.toUpperCase().replace('SHA', 'SHA-'));
    if (r.ed2k) c.hashes.add('ed2k');
    byProduct.set(p, c);
  }
  const lines = ['| product | releases | hash confirmed by two independent sources | with exact size | hashes held |', '|---|---|---|---|---|'];
  for (const [p, c] of [...byProduct].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })))
    lines.push(`| ${p} | ${c.rows} | ${c.confirmed} | ${c.sized} | ${[...c.hashes].sort().join(', ')} |`);
  const total = releases.length,
    confirmed = releases.filter((r) => r.confirmed.some((f) => f !== 'size')).length;
  lines.push(`| **all** | **${total}** | **${confirmed}** | **${releases.filter((r) => r.size !== null).length}** | |`);
  return lines.join('\n');
}

function replaceBetween(text: string, tag: string, body: string): string {
  const start = `<!-- ${tag}:start -->`,
    end = `<!-- ${tag}:end -->`;
  const a = text.indexOf(start),
    b = text.indexOf(end);
  if (a < 0 || b < 0) return text;
  return text.slice(0, a + start.length) + '\n' + body + '\n' + text.slice(b);
}

function report(
  log: MergeLog,
  notes: string[],
  sources: CatalogueSource[],
  leftOut: Map<string, Map<string, number>>,
  superseded: { source: string; name: string; where: string }[],
): string {
  const lines: string[] = [];
  lines.push(`Sources read: ${sources.map((s) => `${s.repo}@${s.commit.slice(0, 12)}`).join(', ')}`);
  for (const n of notes) lines.push(`note: ${n}`);
  for (const [source, reasons] of leftOut) {
    if (!reasons.size) continue;
    const total = [...reasons.values()].reduce((a, b) => a + b, 0);
    lines.push(`Left out of ${source}, by reason (${total}):`);
    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) lines.push(`  ${n} ${reason}`);
  }
  const names = new Map<string, number>();
  for (const n of log.notOfficial) names.set(`${n.source}: ${n.name ?? '(no name)'}`, (names.get(`${n.source}: ${n.name ?? '(no name)'}`) ?? 0) + 1);
  lines.push(`Left out, not an official Microsoft name (${names.size}):`);
  for (const [k] of [...names].sort()) lines.push(`  ${k}`);
  const carried = new Map<string, string[]>();
  for (const c of log.carried)
    carried.set(`${c.name} (row ${c.id.slice(0, 12)})`, [...(carried.get(`${c.name} (row ${c.id.slice(0, 12)})`) ?? []), `${c.source} ${c.where}`]);
  lines.push(`Names not taken: a commit gave them to a hash and size its source had already stated under another name or none (${carried.size}):`);
  for (const [k, where] of [...carried].sort()) lines.push(`  ${k}: ${where[0]}${where.length > 1 ? ` and ${where.length - 1} more` : ''}`);
  const corrected = new Map<string, string[]>();
  for (const x of superseded) corrected.set(`${x.source}: ${x.name}`, [...(corrected.get(`${x.source}: ${x.name}`) ?? []), x.where]);
  lines.push(`Not read, corrected by their own source later (the same name with other bytes at its last mention) (${corrected.size}):`);
  for (const [k, where] of [...corrected].sort()) lines.push(`  ${k}: ${where[0]}${where.length > 1 ? ` and ${where.length - 1} more` : ''}`);
  lines.push(`Not read, a statement that alone joined releases every other statement keeps apart (${log.bridges.length}):`);
  for (const b of log.bridges)
    lines.push(`  ${b.source} ${b.where}: ${b.name ?? '(no name)'} with the hashes of ${b.names.filter((n) => n !== b.name).join(', ')}`);
  lines.push(`Rows whose sources' labels name different editions (${log.labelsDisagree.length}):`);
  for (const l of log.labelsDisagree) lines.push(`  ${l.id.slice(0, 12)}: ${l.editions.join(' / ')}`);
  lines.push(`Dropped, sources disagree (${log.conflicts.length}):`);
  for (const c of log.conflicts) lines.push(`  ${c.names.join(', ') || '(unnamed)'}: ${c.field} ${c.values.join(' vs ')} — ${c.sources.join('; ')}`);
  return lines.join('\n');
}

/** A row as releases.json stores it: what it does not have (null, empty) left out; catalogue.ts puts it back. */
function compact(r: CatalogueRelease): Partial<CatalogueRelease> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)));
}

async function main() {
  const local = process.env.ISOSCOPE_SOURCES;
  const notes: string[] = [];
  const all: SourcedStatement[] = [];
  const sources: CatalogueSource[] = [];
  const leftOut = new Map<string, Map<string, number>>();
  const superseded: { source: string; name: string; where: string }[] = [];
  for (const def of SOURCES) {
    const gitDir = local ? localGitDir(local, def.repo) : null;
    const reader = gitDir ? gitReader(gitDir, def.commit) : githubReader(def.repo, def.commit);
    if (local && !gitDir) notes.push(`${def.repo}: no local git directory in ${local}, read from GitHub`);
    const reasons = new Map<string, number>();
    const got = await statementsOf(def, reader, notes, reasons, superseded);
    leftOut.set(def.id, reasons);
    all.push(...got);
    const { files, lineageOf: _l, labelMeans: _m, ...rest } = def;
    sources.push({ ...rest, path: files.map((f) => f.path || '/').join(', '), url: sourceUrl(def, files[0]!.path) });
    console.error(`${def.id}: ${got.length} statements`);
  }
  const { releases, log } = merge(all);
  const data: CatalogueData = { built: new Date().toISOString().slice(0, 10), sources, releases };
  // One release per line: diffs show what changed.
  const json = `{\n"built": ${JSON.stringify(data.built)},\n"sources": [\n${sources.map((s) => JSON.stringify(s)).join(',\n')}\n],\n"releases": [\n${releases.map((r) => JSON.stringify(compact(r))).join(',\n')}\n]\n}\n`;
  writeFileSync(OUT, json);
  const table = coverage(releases);
  for (const file of ['README.md', 'docs/catalogue.md']) {
    const path = join(ROOT, file);
    if (existsSync(path)) writeFileSync(path, replaceBetween(readFileSync(path, 'utf8'), 'catalogue-coverage', table));
  }
  const text = report(log, notes, sources, leftOut, superseded);
  const docs = join(ROOT, 'docs/catalogue.md');
  if (existsSync(docs)) writeFileSync(docs, replaceBetween(readFileSync(docs, 'utf8'), 'catalogue-build-log', '```\n' + text + '\n```'));
  console.log(text);
  console.log(`\n${releases.length} releases written to ${OUT}\n\n${table}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
