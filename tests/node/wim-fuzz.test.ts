/**
 * Seeded mutation fuzzing of real WIMs (#22), in the style of fuzz.test.ts:
 * WIMs captured and appended by wimlib at test time (LZX, XPRESS in 4 KiB
 * chunks, LZMS, solid LZMS, uncompressed; two images each), damaged where
 * the WIM readers look — metadata resources (mutated uncompressed and
 * rehashed, so that the parser, not the SHA-1 check, meets the damage),
 * chunk tables, the blob table, compressed chunks (the decoders), the
 * header, solid resource headers — and amplified (entries and blob table
 * entries copied over their neighbours, subdirectory offsets pointed at
 * other entries). Each case is opened as a bare WIM: the editions, every
 * listing, inside(), reads of its files. Nothing may throw but a typed
 * FormatError, no problem may be INTERNAL or name no structure, offsets lie
 * in the file, and each case takes under 2 s with the heap under 256 MiB.
 * Every case is reproducible from (WIM, seed, index).
 */
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDisc } from '../../workers/core/disc.ts';
import { WimArchive } from '../../workers/formats/wim/archive.ts';
import type { BlobDescriptor } from '../../workers/formats/wim/blob-table.ts';
import { parseMetadata } from '../../workers/formats/wim/metadata.ts';
import { BufferSource } from '../../workers/io/byte-source.ts';
import { FormatError, ProblemLog, type Problem } from '../../workers/io/problems.ts';
import { nestedTreeId } from '../../workers/formats/tree.ts';
import { rng } from '../fuzz/mutator.ts';
import { setReshdr } from '../fixtures/bad/wim-writer.ts';
import { TEXT } from '../fixtures/bad/wim-hostile.ts';
import { append, capture, randomBytes, scratch, type CaptureOptions } from '../helpers/wim-images.ts';

const SEED = 20261206;
const dir = scratch('isoscope-wim-fuzz-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MiB = 1024 * 1024;
/**
 * A full garbage collection, to tell what a case allocates from what earlier cases left for the collector: the heap
 * counted without one grew past 256 MiB on a loaded machine while nothing was held (CI, LZX × 1200).
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** A small tree with what the readers meet in a Windows image: a file of several chunks, one that does not compress, a hard link, a symbolic link, nesting. */
function tree(root: string, variant: number): void {
  const put = (path: string, data: Uint8Array | string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), data);
  };
  put('Windows/System32/big.txt', TEXT);
  put('Windows/System32/raw.bin', randomBytes(40_000, 11 + variant));
  put('Windows/System32/drivers/etc/hosts', '127.0.0.1 localhost\r\n');
  put('Windows/a.txt', `a${variant}\n`);
  put('Users/Default/NTUSER.DAT', new Uint8Array(20_000).fill(0x41 + variant));
  linkSync(join(root, 'Windows/a.txt'), join(root, 'Windows/a-link.txt'));
  symlinkSync('Windows/a.txt', join(root, 'link'));
}

const VARIANTS: [string, CaptureOptions, number][] = [
  ['LZX', { compress: 'LZX' }, 1200],
  ['XPRESS-4K', { compress: 'XPRESS', chunkSize: 4096 }, 1000],
  ['LZMS', { compress: 'LZMS' }, 700],
  ['LZMS-solid', { compress: 'LZMS', solid: true }, 600],
  ['none', { compress: 'none' }, 500],
];

interface Structures {
  blobTable: [number, number];
  /** Each resource: its blob table entry, where it is, its chunk table. */
  resources: { entry: number; blob: BlobDescriptor; at: [number, number]; table: [number, number] | null; metadata: boolean }[];
  /** Each image's metadata, uncompressed, and where its entries start. */
  metadata: { entry: number; bytes: Uint8Array; dentries: number[] }[];
  solid: number[];
}

async function structures(bytes: Uint8Array): Promise<Structures> {
  const src = new BufferSource(bytes, 'install.wim');
  const log = new ProblemLog();
  const a = await WimArchive.open(src, log);
  const tableAt = a.info.header.blobTable.offsetInWim;
  const s: Structures = { blobTable: [tableAt, tableAt + a.info.header.blobTable.sizeInWim], resources: [], metadata: [], solid: [] };
  const seen = new Set<number>();
  for (const [blob, metadata] of [...[...a.table.blobs.values()].map((b) => [b, false] as const), ...a.table.metadata.map((b) => [b, true] as const)]) {
    const r = blob.resource;
    const entry = tableAt + blob.entry * 50;
    let table: [number, number] | null = null;
    if (r.compression !== 'none' || r.solid) {
      const chunks = Math.ceil(r.uncompressedSize / r.chunkSize);
      table = r.solid
        ? [r.offsetInWim + 16, r.offsetInWim + 16 + chunks * 4]
        : [r.offsetInWim, r.offsetInWim + Math.max(0, chunks - 1) * (r.uncompressedSize > 0xffffffff ? 8 : 4)];
    }
    if (r.solid && !seen.has(r.offsetInWim)) s.solid.push(r.offsetInWim);
    seen.add(r.offsetInWim);
    s.resources.push({ entry, blob, at: [r.offsetInWim, r.offsetInWim + r.sizeInWim], table, metadata });
  }
  for (const blob of a.table.metadata) {
    const bytesOf = await a.blobSource(src, blob, 'metadata').read(0, blob.size);
    const parsed = parseMetadata(bytesOf, log, null);
    s.metadata.push({ entry: tableAt + blob.entry * 50, bytes: bytesOf, dentries: parsed.dentries.map((d) => d.at) });
  }
  return s;
}

const EXTREMES = [
  0n,
  1n,
  7n,
  8n,
  9n,
  16n,
  101n,
  102n,
  0x7fffn,
  0xffffn,
  0x10000n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  (1n << 53n) + 1n,
  1n << 62n,
  (1n << 64n) - 1n,
];

function pick<T>(random: () => number, xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)]!;
}

/** Write `v` as a little-endian field of `width` bytes. */
function setField(b: Uint8Array, at: number, width: 1 | 2 | 4 | 8, v: bigint): void {
  if (at < 0 || at + width > b.length) return;
  const view = dv(b);
  if (width === 1) view.setUint8(at, Number(v & 0xffn));
  else if (width === 2) view.setUint16(at, Number(v & 0xffffn), true);
  else if (width === 4) view.setUint32(at, Number(v & 0xffffffffn), true);
  else view.setBigUint64(at, v & ((1n << 64n) - 1n), true);
}

/** The WIM with image `k`'s metadata replaced by `meta`, stored uncompressed at the end, its entry rehashed. */
function withMetadata(original: Uint8Array, entry: number, meta: Uint8Array): Uint8Array {
  const out = new Uint8Array(original.length + meta.length);
  out.set(original);
  out.set(meta, original.length);
  setReshdr(dv(out), entry, { sizeInWim: meta.length, flags: 0x02, offset: original.length, uncompressedSize: meta.length });
  out.set(createHash('sha1').update(meta).digest(), entry + 30);
  return out;
}

const DENTRY_FIELDS: [number, 1 | 2 | 4 | 8][] = [
  [0, 8],
  [8, 4],
  [12, 4],
  [16, 8],
  [40, 8],
  [56, 8],
  [64, 1],
  [88, 4],
  [88, 8],
  [96, 2],
  [98, 2],
  [100, 2],
  [102, 2],
];

function mutate(original: Uint8Array, s: Structures, random: () => number): { bytes: Uint8Array; description: string } {
  const kind = random();
  // Metadata, uncompressed and rehashed: the parser meets the damage.
  if (kind < 0.4 && s.metadata.length) {
    const img = Math.floor(random() * s.metadata.length);
    const m = s.metadata[img]!;
    const meta = m.bytes.slice();
    const edits: string[] = [];
    const style = random();
    if (style < 0.15) {
      // Amplification: one entry copied over the ones after it (one list of many), or a subdirectory offset pointed at another entry (loops, shared lists).
      const d = pick(random, m.dentries.slice(1));
      const len = Number(dv(meta).getBigUint64(d, true));
      if (random() < 0.5 && len >= 102 && len < 4096) {
        let copies = 0;
        for (let at = d + len; at + len <= meta.length - 8; at += len, copies++) meta.copyWithin(at, d, d + len);
        edits.push(`entry at +${d} copied ${copies} times`);
      } else {
        const target = pick(random, [...m.dentries, 0, 8, meta.length - 8]);
        for (const e of m.dentries) if (dv(meta).getBigUint64(e + 16, true) !== 0n && random() < 0.5) dv(meta).setBigUint64(e + 16, BigInt(target), true);
        edits.push(`subdir offsets → +${target}`);
      }
    } else {
      const count = 1 + Math.floor(random() * 3);
      for (let i = 0; i < count; i++) {
        const where = random();
        if (where < 0.1) {
          const [off, w] = pick(random, [
            [0, 4],
            [4, 4],
            [8, 8],
          ] as [number, 4 | 8][]);
          const v = pick(random, EXTREMES);
          setField(meta, off, w, v);
          edits.push(`security data +${off}=${v}`);
        } else if (where < 0.75) {
          const d = pick(random, m.dentries);
          const [off, w] = pick(random, DENTRY_FIELDS);
          const v = random() < 0.3 ? BigInt(pick(random, m.dentries) + Math.floor(random() * 3) * 4) : pick(random, EXTREMES);
          setField(meta, d + off, w, v);
          edits.push(`entry +${d} field +${off}=${v}`);
        } else {
          const at = Math.floor(random() * meta.length);
          const n = 1 + Math.floor(random() * 16);
          for (let j = 0; j < n && at + j < meta.length; j++) meta[at + j] = Math.floor(random() * 256);
          edits.push(`random ${at}+${n}`);
        }
      }
    }
    return { bytes: withMetadata(original, m.entry, meta), description: `image ${img + 1} metadata: ${edits.join(', ')}` };
  }
  const bytes = original.slice();
  const edits: string[] = [];
  const within = ([lo, hi]: [number, number]) => lo + Math.floor(random() * Math.max(1, hi - lo));
  if (kind < 0.55) {
    // Chunk tables.
    const tables = s.resources.filter((r) => r.table && r.table[1] > r.table[0]);
    if (tables.length) {
      const r = pick(random, tables);
      const at = r.table![0] + 4 * Math.floor(random() * ((r.table![1] - r.table![0]) / 4));
      const v = random() < 0.5 ? pick(random, EXTREMES) : BigInt(dv(bytes).getUint32(at, true) + Math.floor(random() * 200) - 100);
      setField(bytes, at, 4, v < 0n ? 0n : v);
      edits.push(`chunk table of ${r.blob.sha1.slice(0, 8)} +${at - r.table![0]}=${v}`);
    }
  } else if (kind < 0.7) {
    // The blob table: a field of one entry, or one entry copied over many.
    const [lo, hi] = s.blobTable;
    const entries = Math.floor((hi - lo) / 50);
    const e = lo + 50 * Math.floor(random() * entries);
    if (random() < 0.15) {
      const n = 1 + Math.floor(random() * entries);
      for (let i = 0; i < n; i++) bytes.copyWithin(lo + 50 * Math.floor(random() * entries), e, e + 50);
      edits.push(`blob table entry at ${e} copied ${n} times`);
    } else {
      const [off, w] = pick(random, [
        [0, 4],
        [4, 2],
        [6, 1],
        [7, 1],
        [8, 8],
        [16, 8],
        [24, 2],
        [26, 4],
        [30, 1],
      ] as [number, 1 | 2 | 4 | 8][]);
      const v = off === 7 ? BigInt(pick(random, [0, 2, 4, 6, 0x10, 0x12, 0x14, 0xff])) : pick(random, EXTREMES);
      setField(bytes, e + off, w, v);
      edits.push(`blob entry at ${e} +${off}=${v}`);
    }
  } else if (kind < 0.85) {
    // Compressed chunks: the decoders.
    const r = pick(random, s.resources);
    const from = r.table ? r.table[1] : r.at[0];
    const at = within([from, r.at[1]]);
    const n = 1 + Math.floor(random() * 8);
    for (let j = 0; j < n && at + j < bytes.length; j++)
      bytes[at + j] = random() < 0.5 ? bytes[at + j]! ^ (1 << Math.floor(random() * 8)) : Math.floor(random() * 256);
    edits.push(`chunk data of ${r.metadata ? 'metadata' : r.blob.sha1.slice(0, 8)} at ${at}+${n}`);
  } else if (kind < 0.95 || !s.solid.length) {
    // The header.
    const [off, w] = pick(random, [
      [12, 4],
      [16, 4],
      [20, 4],
      [40, 2],
      [42, 2],
      [44, 4],
      [48, 4],
      [55, 1],
      [56, 8],
      [64, 8],
      [72, 4],
      [80, 8],
    ] as [number, 1 | 2 | 4 | 8][]);
    const v = off === 20 ? BigInt(pick(random, [0, 1, 4096, 0x9000, 32768, 1 << 16, 1 << 21, 1 << 26, 1 << 27, 0xffffffff])) : pick(random, EXTREMES);
    setField(bytes, off, w, v);
    edits.push(`header +${off}=${v}`);
  } else {
    // A solid resource's own header: size, chunk size, format.
    const res = pick(random, s.solid);
    const [off, w] = pick(random, [
      [0, 8],
      [8, 4],
      [12, 4],
    ] as [number, 4 | 8][]);
    const v =
      off === 12 ? BigInt(Math.floor(random() * 6)) : off === 8 ? BigInt(pick(random, [0, 4096, 0x9000, 1 << 15, 1 << 26, 1 << 27])) : pick(random, EXTREMES);
    setField(bytes, res + off, w, v);
    edits.push(`solid header at ${res} +${off}=${v}`);
  }
  return { bytes, description: edits.join(', ') || 'unchanged' };
}

/** One case: everything a user can ask of the WIM; the faults found. */
async function runCase(bytes: Uint8Array): Promise<{ faults: string[]; ms: number; codes: Set<string> }> {
  const faults: string[] = [];
  const problems: Problem[] = [];
  const t0 = performance.now();
  const typed = (what: string, e: unknown) => {
    if (!(e instanceof FormatError)) faults.push(`${what} threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
    else problems.push(e.toProblem());
  };
  try {
    const disc = await openDisc(new BufferSource(bytes, 'install.wim'));
    problems.push(...disc.report.errors, ...disc.report.warnings);
    const at = disc.installImage() ?? { parent: '', path: '/' };
    const images = await disc.images(at.parent, at.path);
    problems.push(...images.problems);
    for (const img of images.images.slice(0, 4)) {
      const id = nestedTreeId(at.parent, at.path, img.index);
      const listed = await disc.tree(id);
      problems.push(...listed.problems);
      for (const f of listed.files.filter((x) => !x.dir).slice(0, 3)) {
        try {
          const head = await disc.file(id, f.path);
          if (head && head.size > 0) {
            await disc.fileRange(id, f.path, 0, Math.min(head.size, 256 * 1024));
            if (head.size > 256 * 1024) await disc.fileRange(id, f.path, Math.floor(head.size / 2), 70_000);
          }
        } catch (e) {
          typed(`reading ${f.path}`, e);
        }
      }
    }
    const inside = await disc.inside();
    problems.push(...inside.problems);
  } catch (e) {
    typed('the case', e);
  }
  for (const p of problems) {
    if (p.code === 'INTERNAL') faults.push(`INTERNAL: ${p.message}`);
    if (!p.structure) faults.push(`${p.code} names no structure`);
    if (/NaN|undefined|Infinity/.test(p.message)) faults.push(`${p.code}: ${p.message}`);
    // A structure said to lie past the end is reported where it is said to be.
    if (p.offset !== null && !(Number.isInteger(p.offset) && p.offset >= 0 && (p.offset < bytes.length || p.code.endsWith('_PAST_END'))))
      faults.push(`${p.code} at ${p.offset}, outside the ${bytes.length}-byte file`);
  }
  return { faults, ms: performance.now() - t0, codes: new Set(problems.map((p) => p.code)) };
}

describe('seeded mutation fuzzing of wimlib-made WIMs', () => {
  it('plans a few thousand cases', () => {
    expect(VARIANTS.reduce((n, [, , c]) => n + c, 0)).toBeGreaterThanOrEqual(4000);
  });

  it.each(VARIANTS.map(([name, options, cases]) => [name, cases, options] as const))('%s × %i mutations', async (name, cases, options) => {
    const src = join(dir, `src-${name}`),
      src2 = join(dir, `src2-${name}`);
    tree(src, 0);
    tree(src2, 1);
    const wim = join(dir, `${name}.wim`);
    capture(src, wim, options);
    append(src2, wim, 'Windows 7 ULTIMATE');
    const original = new Uint8Array(readFileSync(wim));
    const s = await structures(original);
    expect(s.metadata.length).toBe(2);
    // The good WIM first: nothing to report.
    expect((await runCase(original)).faults).toEqual([]);
    const random = rng(SEED ^ (name.length * 7919));
    const failures: string[] = [];
    const seen = new Map<string, number>();
    let worstMs = 0,
      worstHeap = 0;
    // What the cases add to the heap, not what this worker (and, in a thread pool, its neighbours) held before them.
    const heapBefore = (() => {
      const mem = process.memoryUsage();
      return (mem.heapUsed + mem.external) / MiB;
    })();
    const grown = () => {
      const mem = process.memoryUsage();
      return (mem.heapUsed + mem.external) / MiB - heapBefore;
    };
    for (let i = 0; i < cases; i++) {
      const m = mutate(original, s, random);
      let r = await runCase(m.bytes);
      let heap = grown();
      // Over the bound: collect what earlier cases left, and run this case again from there; its own allocations count.
      // Counted from just after the collection: the collector frees ArrayBuffers' memory on a thread of its own, so what
      // it has not freed yet (CI measured 275 MiB right after one) is not this case's either.
      if (heap > 256) {
        collectGarbage();
        const from = grown();
        r = await runCase(m.bytes);
        heap = grown() - Math.max(0, from);
      }
      for (const c of r.codes) seen.set(c, (seen.get(c) ?? 0) + 1);
      worstMs = Math.max(worstMs, r.ms);
      worstHeap = Math.max(worstHeap, heap);
      if (r.faults.length || r.ms > 2000 || heap > 256)
        failures.push(`#${i} (${m.description}): ${r.faults.join('; ') || `${r.ms.toFixed(0)} ms, heap ${heap.toFixed(0)} MiB`}`);
    }
    // What the damage met, most often first: the cases reach the parser, the tables and the decoders, not only the SHA-1 check.
    const met = [...seen].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`);
    console.log(`wim-fuzz ${name}: ${cases} cases, slowest ${worstMs.toFixed(0)} ms, heap grown by at most ${worstHeap.toFixed(0)} MiB; met ${met.join(', ')}`);
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
