/**
 * A seeded mutator of good fixtures. It first records which byte ranges a
 * clean inspection reads (the structures), then damages those ranges: bit
 * flips, byte sets, 16/32-bit fields set to extremes, truncations. Every
 * case is reproducible from (fixture, seed).
 */
import { BufferSource, type ByteSource } from '../../workers/io/byte-source.ts';
import { inspect } from '../../workers/inspect.ts';
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
  await inspect(rec, { files: true, today: '2026-01-01' });
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
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (x !== undefined || !k.match(/^(files|filesFrom|windows|hashes|verification|wimIntegrity|stats)$/)) walk(x, `${path}.${k}`, depth + 1);
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
    return { ms: performance.now() - t0, faults: [`threw: ${(e as Error)?.stack ?? e}`], report: null };
  }
}
