import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { inspect, type InspectOptions } from '../../workers/core/disc.ts';
import { PREFETCH_RANGES } from '../../workers/core/inspect.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import type { Report } from '../../workers/report/types.ts';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures');

export function fixtureImages(): string[] {
  return readdirSync(FIXTURES)
    .filter((n) => n.endsWith('.iso'))
    .sort();
}

export function readBeside(image: string, suffix: string): string | null {
  const p = resolve(FIXTURES, image.replace(/\.iso$/, suffix));
  return existsSync(p) ? readFileSync(p, 'utf8') : null;
}

/** The report the CLI's --json prints (in a batch, one per line). */
export const parseReport = (json: string): Report => JSON.parse(json) as Report;

export async function inspectPath(path: string, options: InspectOptions = {}): Promise<Report> {
  const src = await NodeFileSource.open(path);
  try {
    return await inspect(src, options);
  } finally {
    await src.close();
  }
}

/**
 * Bytes a report's inspection read outside the ranges fetched at once when the image was opened
 * (core/inspect.ts PREFETCH_RANGES): what identification itself asked for, the bound its tests keep.
 */
export function bytesBeyondPrefetch(r: Report): number {
  let n = 0;
  for (const [o, l] of r.stats.ranges ?? []) {
    let inside = 0;
    for (const [po, pl] of PREFETCH_RANGES) inside += Math.max(0, Math.min(o + l, po + pl) - Math.max(o, po));
    n += l - inside;
  }
  return n;
}
