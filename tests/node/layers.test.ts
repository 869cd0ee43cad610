/**
 * The architecture as a test: bytes and errors (io) ← hashing ← format readers ←
 * the release catalogue ← report mappers ← the inspection core (and the zips made from an open disc) ← workers and
 * CLI ← UI. A module may import from its own layer or any layer below, never above.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Lower number = lower layer. Matched against the path relative to the repository, first match wins. */
const LAYERS: [RegExp, number, string][] = [
  [/^workers\/io\//, 0, 'io'],
  [/^workers\/hash\//, 1, 'hash'],
  [/^workers\/formats\//, 2, 'formats'],
  [/^workers\/catalogue\/build\//, 7, 'catalogue build tool'],
  [/^workers\/catalogue\//, 3, 'catalogue'],
  [/^workers\/report\//, 4, 'report'],
  [/^workers\/(core\/|(version|zip-files)\.ts$)/, 5, 'core'],
  [/^workers\/(cli\/|[a-z.-]+\.worker\.ts$)/, 6, 'workers and CLI'],
  [/^src\//, 7, 'UI'],
];

function layerOf(path: string): [number, string] | null {
  for (const [re, rank, name] of LAYERS) if (re.test(path)) return [rank, name];
  return null;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|svelte|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

/** Relative specifiers of static imports, re-exports, dynamic imports and `new URL(…, import.meta.url)` workers. */
function specifiers(text: string): string[] {
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  return [...text.matchAll(re)].map((m) => m[1]!);
}

describe('layers', () => {
  const files = [...sources(join(ROOT, 'workers')), ...sources(join(ROOT, 'src'))];

  it('every module belongs to a layer', () => {
    const orphans = files.map((f) => relative(ROOT, f)).filter((f) => !layerOf(f));
    expect(orphans).toEqual([]);
  });

  it('no import runs upward', () => {
    const upward: string[] = [];
    let edges = 0;
    for (const file of files) {
      const from = relative(ROOT, file);
      const [rank, name] = layerOf(from)!;
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const to = relative(ROOT, resolve(dirname(file), spec));
        const target = layerOf(to);
        if (!target) continue; // assets, public/, node_modules
        edges++;
        if (target[0] > rank) upward.push(`${from} (${name}) imports ${to} (${target[1]})`);
      }
    }
    expect(edges).toBeGreaterThan(100); // the scan sees the code base, so an empty result means something
    expect(upward).toEqual([]);
  });
});
