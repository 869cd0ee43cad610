/**
 * Rebuilds workers/catalogue/releases.json from the public sources
 * (build/sources.ts), and the coverage tables in docs/catalogue.md and the
 * README.
 *
 *   npm run catalogue                       # reads from GitHub at the pinned commits
 *   ISOSCOPE_SOURCES=DIR npm run catalogue  # reads local git clones DIR/<owner>+<name>/repo
 *
 * History sources (every commit of a file) need the local clone; from GitHub
 * only the pinned commit is read, and the output says so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SOURCES, sourceUrl, type SourceDefinition, type SourceFile } from './sources.ts';
import { merge, type MergeLog, type SourcedStatement } from './merge.ts';
import type { CatalogueData, CatalogueRelease, CatalogueSource } from '../types.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const OUT = join(ROOT, 'workers/catalogue/releases.json');

interface Reader {
  files(dir: string, suffix: string): Promise<string[]>;
  read(path: string, commit: string): Promise<string | null>;
  history(path: string): Promise<string[]>;
}

function gitReader(gitDir: string, commit: string): Reader {
  const git = (...args: string[]) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return {
    async files(dir, suffix) {
      return git('ls-tree', '-r', '--name-only', commit, ...(dir ? ['--', dir] : []))
        .split('\n')
        .filter((p) => p && p.endsWith(suffix));
    },
    async read(path, at) {
      try {
        return git('show', `${at}:${path}`);
      } catch {
        return null;
      }
    },
    async history(path) {
      return git('log', '--format=%H', commit, '--', path).split('\n').filter(Boolean);
    },
  };
}

function githubReader(repo: string, commit: string): Reader {
  return {
    async files(dir, suffix) {
      const res = await fetch(`https://api.github.com/repos/${repo}/git/trees/${commit}?recursive=1`);
      if (!res.ok) throw new Error(`${repo}: tree listing failed (${res.status})`);
      const tree = (await res.json()) as { tree: { path: string; type: string }[] };
      return tree.tree.filter((t) => t.type === 'blob' && t.path.startsWith(dir) && t.path.endsWith(suffix)).map((t) => t.path);
    },
    async read(path, at) {
      const res = await fetch(`https://raw.githubusercontent.com/${repo}/${at}/${path}`);
      return res.ok ? res.text() : null;
    },
    async history() {
      return [commit];
    },
  };
}

async function statementsOf(def: SourceDefinition, reader: Reader, notes: string[]): Promise<SourcedStatement[]> {
  const out: SourcedStatement[] = [];
  const add = (file: SourceFile, path: string, commit: string, text: string) => {
    for (const s of file.parse(text, { path, commit }))
      out.push({ ...s, source: def.id, lineage: def.lineageOf?.(s) ?? def.lineage, labelMeans: def.labelMeans });
  };
  for (const file of def.files) {
    const paths = file.suffix !== undefined ? await reader.files(file.path, file.suffix) : [file.path];
    for (const path of paths) {
      const commits = file.history ? await reader.history(path) : [def.commit];
      if (file.history && commits.length <= 1) notes.push(`${def.repo}/${path}: history not available here, read at ${def.commit.slice(0, 12)} only`);
      for (const commit of commits) {
        const text = await reader.read(path, commit);
        if (text !== null) add(file, path, commit, text);
      }
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

function report(log: MergeLog, notes: string[], sources: CatalogueSource[]): string {
  const lines: string[] = [];
  lines.push(`Sources read: ${sources.map((s) => `${s.repo}@${s.commit.slice(0, 12)}`).join(', ')}`);
  for (const n of notes) lines.push(`note: ${n}`);
  const names = new Map<string, number>();
  for (const n of log.notOfficial) names.set(`${n.source}: ${n.name ?? '(no name)'}`, (names.get(`${n.source}: ${n.name ?? '(no name)'}`) ?? 0) + 1);
  lines.push(`Left out, not an official Microsoft name (${names.size}):`);
  for (const [k] of [...names].sort()) lines.push(`  ${k}`);
  lines.push(`Dropped, sources disagree (${log.conflicts.length}):`);
  for (const c of log.conflicts) lines.push(`  ${c.names.join(', ') || '(unnamed)'}: ${c.field} ${c.values.join(' vs ')} — ${c.sources.join('; ')}`);
  return lines.join('\n');
}

async function main() {
  const local = process.env.ISOSCOPE_SOURCES;
  const notes: string[] = [];
  const all: SourcedStatement[] = [];
  const sources: CatalogueSource[] = [];
  for (const def of SOURCES) {
    const gitDir = local ? join(local, def.repo.replace('/', '+'), 'repo') : '';
    const reader = local && existsSync(gitDir) ? gitReader(gitDir, def.commit) : githubReader(def.repo, def.commit);
    if (local && !existsSync(gitDir)) notes.push(`${def.repo}: no local clone in ${local}, read from GitHub`);
    const got = await statementsOf(def, reader, notes);
    all.push(...got);
    const { files, lineageOf: _l, labelMeans: _m, ...rest } = def;
    sources.push({ ...rest, path: files.map((f) => f.path || '/').join(', '), url: sourceUrl(def, files[0]!.path) });
    console.error(`${def.id}: ${got.length} statements`);
  }
  const { releases, log } = merge(all);
  const data: CatalogueData = { built: new Date().toISOString().slice(0, 10), sources, releases };
  // One release per line: diffs show what changed.
  const json = `{\n"built": ${JSON.stringify(data.built)},\n"sources": [\n${sources.map((s) => JSON.stringify(s)).join(',\n')}\n],\n"releases": [\n${releases.map((r) => JSON.stringify(r)).join(',\n')}\n]\n}\n`;
  writeFileSync(OUT, json);
  const table = coverage(releases);
  for (const file of ['README.md', 'docs/catalogue.md']) {
    const path = join(ROOT, file);
    if (existsSync(path)) writeFileSync(path, replaceBetween(readFileSync(path, 'utf8'), 'catalogue-coverage', table));
  }
  const docs = join(ROOT, 'docs/catalogue.md');
  if (existsSync(docs)) writeFileSync(docs, replaceBetween(readFileSync(docs, 'utf8'), 'catalogue-build-log', '```\n' + report(log, notes, sources) + '\n```'));
  console.log(report(log, notes, sources));
  console.log(`\n${releases.length} releases written to ${OUT}\n\n${table}`);
}

await main();
