/**
 * A seeded mutator of good fixtures. It first records which byte ranges a
 * clean inspection reads (the structures), then damages those ranges: bit
 * flips, byte sets, 16/32-bit fields set to extremes, truncations. Every
 * case is reproducible from (fixture, seed).
 */
import { BufferSource, type ByteSource } from '../../workers/io/byte-source.ts';
import { inspect } from '../../workers/core/disc.ts';
import type { Report } from '../../workers/report/types.ts';

/** Mulberry32: small, fast, good enough to pick offsets. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class RecordingSource implements ByteSource {
  readonly ranges: [number, number][] = [];
  constructor(private readonly inner: ByteSource) {}
  get name() {
    return this.inner.name;
  }
  get size() {
    return this.inner.size;
  }
  async read(offset: number, length: number) {
    const b = await this.inner.read(offset, length);
    if (b.length) this.ranges.push([offset, b.length]);
    return b;
  }
}

/** The ranges a clean inspection (with --files) reads: where the structures are. */
export async function structureRanges(bytes: Uint8Array, name: string): Promise<[number, number][]> {
  const rec = new RecordingSource(new BufferSource(bytes, name));
  // Nothing read ahead (a small image would be read whole at opening): the ranges are those the readers ask for.
  await inspect(rec, { files: true, today: '2026-01-01', prefetch: [] });
  return rec.ranges;
}

export interface Mutation {
  bytes: Uint8Array;
  description: string;
}

const EXTREMES32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x3fffffff, 0x40000000];
const EXTREMES16 = [0, 1, 0x7fff, 0x8000, 0xffff];

export function mutate(original: Uint8Array, ranges: [number, number][], random: () => number): Mutation {
  const pickRange = () => ranges[Math.floor(random() * ranges.length)]!;
  const pickOffset = () => {
    const [o, l] = pickRange();
    return o + Math.floor(random() * l);
  };
  const kind = Math.floor(random() * 6);
  if (kind === 5) {
    // Truncate somewhere inside a structure the readers need.
    const at = Math.max(0, pickOffset());
    return { bytes: original.slice(0, at), description: `truncate at ${at}` };
  }
  const bytes = original.slice();
  const dv = new DataView(bytes.buffer);
  const edits: string[] = [];
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const at = pickOffset();
    switch (kind) {
      case 0: {
        const bit = 1 << Math.floor(random() * 8);
        bytes[at]! ^= bit;
        edits.push(`flip ${at}:${bit}`);
        break;
      }
      case 1: {
        const v = [0, 0xff, 0x7f, 0x80][Math.floor(random() * 4)]!;
        bytes[at] = v;
        edits.push(`set ${at}=${v}`);
        break;
      }
      case 2: {
        if (at + 4 > bytes.length) break;
        const v = EXTREMES32[Math.floor(random() * EXTREMES32.length)]!;
        dv.setUint32(at, v, random() < 0.5);
        edits.push(`u32 ${at}=${v}`);
        break;
      }
      case 3: {
        if (at + 2 > bytes.length) break;
        const v = EXTREMES16[Math.floor(random() * EXTREMES16.length)]!;
        dv.setUint16(at, v, random() < 0.5);
        edits.push(`u16 ${at}=${v}`);
        break;
      }
      default: {
        const n = 1 + Math.floor(random() * 32);
        for (let j = 0; j < n && at + j < bytes.length; j++) bytes[at + j] = Math.floor(random() * 256);
        edits.push(`random ${at}+${n}`);
      }
    }
  }
  return { bytes, description: edits.join(', ') };
}

/** What a hostile input must never do to the report. Returns the faults found. */
export function reportFaults(r: Report): string[] {
  const faults: string[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (depth > 40) return;
    if (v === undefined) faults.push(`${path} is undefined`);
    else if (typeof v === 'number' && !Number.isFinite(v)) faults.push(`${path} is ${v}`);
    else if (Array.isArray(v)) v.slice(0, 5000).forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v))
        if (x !== undefined || !k.match(/^(files|filesFrom|windows|hashes|verification|wimIntegrity|stats)$/)) walk(x, `${path}.${k}`, depth + 1);
  };
  walk(r, 'report', 0);
  for (const p of [...r.errors, ...r.warnings]) {
    if (p.code === 'INTERNAL') faults.push(`unanticipated exception: ${p.message}`);
    if (/\n\s+at /.test(p.message)) faults.push(`stack trace in message: ${p.code}`);
    if (typeof p.structure !== 'string' || !p.structure) faults.push(`problem ${p.code} names no structure`);
  }
  return faults;
}

export interface CaseResult {
  ms: number;
  faults: string[];
  report: Report | null;
}

/** Inspect one mutated image; a throw is itself a fault. */
export async function runCase(bytes: Uint8Array, name: string): Promise<CaseResult> {
  const t0 = performance.now();
  try {
    const report = await inspect(new BufferSource(bytes, name), { files: true, today: '2026-01-01' });
    JSON.stringify(report);
    return { ms: performance.now() - t0, faults: reportFaults(report), report };
  } catch (e) {
    return { ms: performance.now() - t0, faults: [`threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`], report: null };
  }
}

/**
 * Structure-aware amplification (issue #13): not one damaged field but many
 * copies of a good structure, so that per-structure caps are met everywhere
 * at once. Three kinds, each on a range a clean inspection read:
 *  - replicate a directory record over its whole directory (ISO 9660 records
 *    walked by their length byte; a UDF FID or an El Torito entry by a fixed
 *    unit): hundreds of names for one target;
 *  - replicate a fixed-size unit (8…128 bytes: allocation descriptors, GPT
 *    entries, catalog entries, SUSP entries) over the range: long chains and
 *    many entries;
 *  - point every 32-bit field that holds a sector number inside the image at
 *    the range's own sector: loops and shared targets.
 */
export function amplify(original: Uint8Array, ranges: [number, number][], random: () => number): Mutation {
  const bytes = original.slice();
  const dv = new DataView(bytes.buffer);
  const [o, l] = ranges[Math.floor(random() * ranges.length)]!;
  const kind = Math.floor(random() * 3);
  if (kind === 0) {
    // ISO 9660 directory sectors in this range: repeat one record to the end of each sector.
    let copies = 0;
    for (let s = o - (o % 2048); s < o + l && s + 2048 <= bytes.length; s += 2048) {
      const recs: number[] = [];
      for (let at = s; at < s + 2048 && bytes[at]! >= 34 && at + bytes[at]! <= s + 2048; at += bytes[at]!) recs.push(at);
      if (recs.length < 3) continue;
      const pick = recs[2 + Math.floor(random() * (recs.length - 2))]!;
      const rec = bytes.slice(pick, pick + bytes[pick]!);
      for (let at = pick; at + rec.length <= s + 2048; at += rec.length, copies++) bytes.set(rec, at);
    }
    return { bytes, description: `replicate a directory record over ${o}+${l} (${copies} copies)` };
  }
  if (kind === 1) {
    const unit = [8, 16, 20, 24, 28, 32, 40, 64, 128][Math.floor(random() * 9)]!;
    const start = o + Math.floor(random() * Math.max(1, l - unit));
    const piece = bytes.slice(start, start + unit);
    for (let at = start + unit; at + unit <= o + l; at += unit) bytes.set(piece, at);
    return { bytes, description: `replicate ${unit}-byte unit at ${start} over ${o}+${l}` };
  }
  const sector = Math.floor(o / 2048);
  const sectors = Math.floor(bytes.length / 2048);
  let redirected = 0;
  for (let at = o; at + 4 <= o + l; at += 4) {
    const v = dv.getUint32(at, true);
    if (v >= 16 && v < sectors && random() < 0.5) {
      dv.setUint32(at, sector, true);
      redirected++;
    }
  }
  return { bytes, description: `point ${redirected} sector numbers in ${o}+${l} at sector ${sector}` };
}

/** What `npm run fuzz` draws: one amplification in five, a damaged field otherwise (reproducible from the seed alike). */
export function mutateOrAmplify(original: Uint8Array, ranges: [number, number][], random: () => number): Mutation {
  return random() < 0.2 ? amplify(original, ranges, random) : mutate(original, ranges, random);
}
