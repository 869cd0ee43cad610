/**
 * The WIM LZX decoder against wimlib (tests/helpers/wimlib-chunks.ts): chunks
 * wimlib's compressor wrote decode to the bytes it was given, at every chunk
 * size tested (Microsoft's 32768, and 65536, 131072 and 2097152 as wimlib
 * writes them); streams made here (uncompressed blocks, which wimlib never
 * writes, repeat offsets, the precode's run codes, odd codes, damage) decode
 * exactly as wimlib's own decompressor decodes them, or fail where it fails.
 *
 * The x86 code is real: the .text section of the node binary running the
 * test and iPXE's UEFI binary (Debian's ipxe, installed by
 * tests/setup/ensure-tools.sh), full of E8 call instructions.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../workers/io/format-error.ts';
import { LzxDecoder, lzxMainSymbols, undoE8 } from '../../workers/formats/wim/lzx.ts';
import { frame, wimlibChunksBinary, wimlibCompress, wimlibDecompressSpeed, type WimlibChunk } from '../helpers/wimlib-chunks.ts';

const CHUNK_SIZES = [32768, 65536, 131072, 2097152];

/** The .text section of an ELF64 file (x86-64 code: calls are E8 + a 32-bit relative target). */
function elfText(file: Uint8Array): Uint8Array {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const shoff = Number(v.getBigUint64(0x28, true));
  const shentsize = v.getUint16(0x3a, true);
  const shnum = v.getUint16(0x3c, true);
  const strtab = Number(v.getBigUint64(shoff + v.getUint16(0x3e, true) * shentsize + 0x18, true));
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * shentsize;
    const nameAt = strtab + v.getUint32(h, true);
    if (new TextDecoder().decode(file.subarray(nameAt, nameAt + 6)) === '.text\0') {
      const at = Number(v.getBigUint64(h + 0x18, true));
      return file.subarray(at, at + Number(v.getBigUint64(h + 0x20, true)));
    }
  }
  throw new Error('no .text section');
}

const e8Count = (b: Uint8Array) => b.reduce((n, x) => n + (x === 0xe8 ? 1 : 0), 0);

/** Our decoder over every compressed chunk; the raw ones (stored at full size) are copied, as a WIM reader does. */
function decodeAll(chunkSize: number, chunks: WimlibChunk[]): Uint8Array {
  const dec = new LzxDecoder(chunkSize);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.size, 0));
  let at = 0;
  for (const c of chunks) {
    if (c.stored.length === c.size) out.set(c.stored, at);
    else dec.decompress(c.stored, out.subarray(at, at + c.size), 0);
    at += c.size;
  }
  return out;
}

/** The type of each block header that starts a chunk (its first 3 bits), to see what the inputs exercise. */
const firstBlockType = (c: WimlibChunk) => (c.stored[1]! >> 5) & 7;

/** wimlib's decompressor on one chunk: its output, or null where it refuses the chunk. */
function wimlibDecompress(chunkSize: number, size: number, stored: Uint8Array): Uint8Array | null {
  // The tool copies a chunk whose stored size equals its size: such a stream gets a trailing byte, which both decoders ignore.
  if (stored.length === size) stored = Uint8Array.from([...stored, 0]);
  const r = spawnSync(wimlibChunksBinary(), ['decompress', 'lzx', String(chunkSize)], { input: frame([{ size, stored }]), maxBuffer: 1 << 26 });
  if (r.status === 0) return new Uint8Array(r.stdout);
  if (r.status === 2 && r.stderr.toString().includes('wimlib_decompress failed')) return null;
  throw new Error(`wimlib-chunks: ${r.stderr.toString()}`);
}

/** Our decoder on one chunk: its output, or the FormatError it threw (anything else fails the test). */
function ours(chunkSize: number, size: number, stored: Uint8Array, at = 0): Uint8Array | FormatError {
  const out = new Uint8Array(size);
  try {
    new LzxDecoder(chunkSize).decompress(stored, out, at);
    return out;
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
}

/** Ours and wimlib's decompressor agree on a chunk: the same bytes, or both refuse it (ours with LZX_CORRUPT). */
function expectAsWimlib(chunkSize: number, size: number, stored: Uint8Array): Uint8Array | null {
  const theirs = wimlibDecompress(chunkSize, size, stored);
  const mine = ours(chunkSize, size, stored);
  if (theirs === null) {
    expect(mine).toBeInstanceOf(FormatError);
    expect((mine as FormatError).code).toBe('LZX_CORRUPT');
  } else {
    expect(mine).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(mine as Uint8Array).equals(theirs)).toBe(true);
  }
  return theirs;
}

// ---------------------------------------------------------------------------
// An LZX writer of our own, from the format's description ([MS-PATCH]; the
// WIM block header as wimlib writes it), for streams wimlib's compressor
// never makes. Its codes are fixed complete codes unless a test gives
// others, and its code lengths go through the precode with runs.

/** Extra offset bits per position slot, and each slot's base of the formatted offset (offset + 2). */
const EXTRA = Array.from({ length: 50 }, (_, s) => (s < 4 ? 0 : Math.min(17, (s >> 1) - 1)));
const POSITION_BASE = EXTRA.reduce<number[]>((b, n, s) => (b.push(b[s]! + 2 ** n), b), [0]);

class BitWriter {
  bytes: number[] = [];
  private acc = 0;
  private n = 0;
  bits(value: number, count: number): this {
    for (let i = count - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | (Math.floor(value / 2 ** i) & 1);
      if (++this.n === 16) {
        this.bytes.push(this.acc & 0xff, this.acc >> 8);
        this.acc = this.n = 0;
      }
    }
    return this;
  }
  /** Pad to the next 16-bit unit; on a unit's boundary already, a whole unit of padding ([MS-PATCH] 2.3.1.3: 1 to 16 bits). */
  align(): void {
    this.bits(0, 16 - this.n);
  }
  raw(bytes: ArrayLike<number>): void {
    if (this.n !== 0) throw new Error('raw bytes off a unit boundary');
    this.bytes.push(...Array.from(bytes));
  }
  /** The stream, its last unit filled with zeros. */
  done(): Uint8Array {
    if (this.n) this.bits(0, 16 - this.n);
    return Uint8Array.from(this.bytes);
  }
}

/** A complete code over n symbols: lengths k−1 and k, 2^(k−1) < n ≤ 2^k. */
function completeLengths(n: number): number[] {
  const k = Math.ceil(Math.log2(n));
  const shorter = 2 ** k - n;
  return Array.from({ length: n }, (_, s) => (s < shorter ? k - 1 : k));
}

/** Canonical codewords from lengths (zlib's construction). */
function canonical(lens: number[]): number[] {
  const max = Math.max(0, ...lens);
  const count = new Array<number>(max + 1).fill(0);
  for (const l of lens) if (l) count[l]!++;
  const next: number[] = [];
  for (let bits = 1, code = 0; bits <= max; bits++) next[bits] = code = (code + (count[bits - 1] ?? 0)) << 1;
  return lens.map((l) => (l ? next[l]!++ : -1));
}

type PreOp = { sym: number; extra?: [value: number, bits: number] };

/** Precode operations turning lengths `prev` into `lens`: runs of zeros (17, 18), runs of one length (19), deltas. */
function lensOps(lens: number[], prev: number[]): PreOp[] {
  const ops: PreOp[] = [];
  const delta = (i: number, l: number) => (prev[i]! - l + 17) % 17;
  for (let i = 0; i < lens.length;) {
    let same = 1;
    while (i + same < lens.length && lens[i + same] === lens[i]) same++;
    if (lens[i] === 0 && same >= 20) {
      const run = Math.min(same, 51);
      ops.push({ sym: 18, extra: [run - 20, 5] });
      i += run;
    } else if (lens[i] === 0 && same >= 4) {
      const run = Math.min(same, 19);
      ops.push({ sym: 17, extra: [run - 4, 4] });
      i += run;
    } else if (same >= 4) {
      const run = Math.min(same, 5);
      ops.push({ sym: 19, extra: [run - 4, 1] }, { sym: delta(i, lens[i]!) });
      i += run;
    } else {
      ops.push({ sym: delta(i, lens[i]!) });
      i++;
    }
  }
  return ops;
}

/** A precode that can write every symbol: 12 of 4 bits, 8 of 5. */
const PRECODE_LENS = completeLengths(20);

function writeLens(w: BitWriter, ops: PreOp[], preLens = PRECODE_LENS): void {
  const codes = canonical(preLens);
  for (const l of preLens) w.bits(l, 4);
  for (const op of ops) {
    w.bits(codes[op.sym]!, preLens[op.sym]!);
    if (op.extra) w.bits(...op.extra);
  }
}

type Item = number | { len: number; off: number };

interface BlockSpec {
  type: 1 | 2;
  items: Item[];
  /** The block size written in the header (default: what the items make). */
  size?: number;
  mainLens?: number[];
  lenLens?: number[];
  alignedLens?: number[];
  /** Precode operations in place of the ones the lengths need (main literals, main matches, length code). */
  ops?: [PreOp[]?, PreOp[]?, PreOp[]?];
}

/** Writes LZX blocks as a WIM chunk holds them, keeping the delta bases and the recent offsets as a decoder does. */
class LzxWriter {
  readonly w = new BitWriter();
  readonly order: number;
  readonly mainSymbols: number;
  private prevMain: number[];
  private prevLen = new Array<number>(249).fill(0);
  private recent = [1, 1, 1];
  /** What a decoder should produce. */
  readonly data: number[] = [];

  constructor(readonly chunkSize: number) {
    this.order = Math.log2(chunkSize);
    // Position slots: up to the first whose base reaches the window size (libmspack's note on Microsoft's implementation).
    this.mainSymbols = 256 + 8 * POSITION_BASE.findIndex((b) => b >= chunkSize);
    this.prevMain = new Array<number>(this.mainSymbols).fill(0);
  }

  private header(type: number, size: number): void {
    this.w.bits(type, 3);
    if (size === 32768) this.w.bits(1, 1);
    else {
      this.w.bits(0, 1);
      if (this.order >= 16) this.w.bits(size >> 8, 16).bits(size & 0xff, 8);
      else this.w.bits(size, 16);
    }
  }

  block(spec: BlockSpec): this {
    const mainLens = spec.mainLens ?? completeLengths(this.mainSymbols);
    const lenLens = spec.lenLens ?? completeLengths(249);
    const alignedLens = spec.alignedLens ?? completeLengths(8);
    const start = this.data.length;
    const made = spec.items.reduce<number>((n, it) => n + (typeof it === 'number' ? 1 : it.len), 0);
    this.header(spec.type, spec.size ?? made);
    if (spec.type === 2) for (const l of alignedLens) this.w.bits(l, 3);
    writeLens(this.w, spec.ops?.[0] ?? lensOps(mainLens.slice(0, 256), this.prevMain.slice(0, 256)));
    writeLens(this.w, spec.ops?.[1] ?? lensOps(mainLens.slice(256), this.prevMain.slice(256)));
    writeLens(this.w, spec.ops?.[2] ?? lensOps(lenLens, this.prevLen));
    this.prevMain = mainLens;
    this.prevLen = lenLens;
    const main = canonical(mainLens);
    const lenCode = canonical(lenLens);
    const aligned = canonical(alignedLens);
    const sym = (codes: number[], lens: number[], s: number) => this.w.bits(codes[s]!, lens[s]!);
    for (const it of spec.items) {
      if (typeof it === 'number') {
        sym(main, mainLens, it);
        this.data.push(it);
        continue;
      }
      const header = Math.min(it.len - 2, 7);
      const k = this.recent.indexOf(it.off);
      let slot: number;
      let extra = 0;
      if (k >= 0) {
        slot = k;
        [this.recent[0], this.recent[k]] = [this.recent[k]!, this.recent[0]!];
      } else {
        const formatted = it.off + 2;
        slot = POSITION_BASE.findLastIndex((b) => b <= formatted);
        extra = formatted - POSITION_BASE[slot]!;
        this.recent = [it.off, this.recent[0]!, this.recent[1]!];
      }
      sym(main, mainLens, 256 + slot * 8 + header);
      if (header === 7) sym(lenCode, lenLens, it.len - 9);
      if (slot >= 3) {
        if (spec.type === 2 && slot >= 8) {
          this.w.bits(extra >> 3, EXTRA[slot]! - 3);
          sym(aligned, alignedLens, extra & 7);
        } else this.w.bits(extra, EXTRA[slot]!);
      }
      for (let i = 0; i < it.len; i++) this.data.push(this.data[this.data.length - it.off]!);
    }
    if (this.data.length - start !== made) throw new Error('writer');
    return this;
  }

  uncompressed(bytes: number[], recent = [1, 1, 1], pad = true): this {
    this.header(3, bytes.length);
    this.w.align();
    const r = new Uint8Array(12);
    recent.forEach((v, i) => new DataView(r.buffer).setUint32(i * 4, v, true));
    this.w.raw(r);
    this.w.raw(bytes);
    if (bytes.length & 1 && pad) this.w.raw([0]);
    this.recent = [...recent];
    this.data.push(...bytes);
    return this;
  }

  done(): Uint8Array {
    return this.w.done();
  }
}

/** Bytes from a fixed generator (xorshift), as tests need repeatable "random" data. */
function noise(n: number, seed = 1): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}

// ---------------------------------------------------------------------------

describe('WIM LZX: window sizes', () => {
  it('takes the chunk sizes wimlib writes, 2^15 to 2^21, and nothing else', () => {
    for (let order = 15; order <= 21; order++) expect(() => new LzxDecoder(2 ** order)).not.toThrow();
    for (const bad of [16384, 4194304, 40000, 0, -32768, NaN]) {
      expect(() => new LzxDecoder(bad)).toThrow(expect.objectContaining({ name: 'FormatError', code: 'WIM_CHUNK_SIZE' }));
    }
  });

  it('has one main symbol per length header and position slot up to the window (wimlib lzx_get_num_main_syms)', () => {
    expect([15, 16, 17, 18, 19, 20, 21].map(lzxMainSymbols)).toEqual([496, 512, 528, 544, 560, 592, 656]);
    for (const cs of CHUNK_SIZES) expect(lzxMainSymbols(Math.log2(cs))).toBe(new LzxWriter(cs).mainSymbols);
  });

  it('refuses a chunk larger than its window', () => {
    const e = ours(32768, 32769, new Uint8Array(100), 5000);
    expect(e).toBeInstanceOf(FormatError);
    expect((e as FormatError).code).toBe('LZX_CORRUPT');
  });
});

describe('WIM LZX: what wimlib compressed', () => {
  const node = elfText(readFileSync(process.execPath));
  const ipxe = readFileSync('/usr/lib/ipxe/ipxe.efi');
  const x86 = Buffer.concat([node.subarray(0, 5 << 20), ipxe]);
  const text = Buffer.from(
    readFileSync(new URL(import.meta.url))
      .toString('utf8')
      .repeat(40),
  );
  const mixed = Buffer.concat([
    Buffer.alloc(70_000),
    Buffer.from(noise(90_000, 7)),
    text.subarray(0, 300_000),
    Buffer.alloc(3, 0xe8),
    x86.subarray(0, 400_001),
  ]);

  it('the x86 inputs are what they claim: call-heavy code', () => {
    expect(e8Count(x86)).toBeGreaterThan(x86.length / 200);
    expect(e8Count(ipxe)).toBeGreaterThan(ipxe.length / 400);
  });

  for (const cs of CHUNK_SIZES) {
    it(`decodes ${cs}-byte chunks of x86 code, text and mixed data to the bytes wimlib was given`, () => {
      const types = new Set<number>();
      for (const data of [x86, text, mixed]) {
        const chunks = wimlibCompress('lzx', cs, data);
        const compressed = chunks.filter((c) => c.stored.length < c.size);
        expect(compressed.length).toBeGreaterThan(0);
        for (const c of compressed) types.add(firstBlockType(c));
        // Chunk by chunk, so a mismatch names its chunk.
        const out = decodeAll(cs, chunks);
        for (let i = 0, at = 0; i < chunks.length; at += chunks[i]!.size, i++) {
          if (!Buffer.from(out.subarray(at, at + chunks[i]!.size)).equals(data.subarray(at, at + chunks[i]!.size))) {
            throw new Error(`chunk ${i} (${chunks[i]!.size} bytes from ${at}) differs`);
          }
        }
      }
      // wimlib writes verbatim and aligned offset blocks (never uncompressed ones: those are tested below).
      expect([...types].sort()).toEqual([1, 2]);
    });
  }

  it('decodes a last chunk of any length, down to one byte', () => {
    for (const n of [1, 2, 10, 11, 12, 17, 1000, 32767, 32769, 65537]) {
      const data = x86.subarray(1000, 1000 + n);
      for (const cs of [32768, 2097152]) {
        const chunks = wimlibCompress('lzx', cs, data);
        expect(Buffer.from(decodeAll(cs, chunks)).equals(data)).toBe(true);
      }
    }
  });

  it('reuses one decoder across chunks with no state carried over', () => {
    const cs = 32768;
    const chunks = wimlibCompress('lzx', cs, x86.subarray(0, 20 * cs)).filter((c) => c.stored.length < c.size);
    const dec = new LzxDecoder(cs);
    const out = new Uint8Array(cs);
    // Out of order and repeated: each chunk alone.
    for (const i of [5, 0, 19, 5, 3, 3]) {
      dec.decompress(chunks[i]!.stored, out, 0);
      expect(Buffer.from(out).equals(x86.subarray(i * cs, (i + 1) * cs))).toBe(true);
    }
  });
});

describe('WIM LZX: the E8 translation', () => {
  it('undoes a target as wimlib does: absolute to relative, the compensating range, nothing else', () => {
    const at = (pos: number, target: number, size = 64) => {
      const b = new Uint8Array(size);
      b[pos] = 0xe8;
      new DataView(b.buffer).setInt32(pos + 1, target, true);
      undoE8(b);
      return new DataView(b.buffer).getInt32(pos + 1, true);
    };
    expect(at(20, 100)).toBe(80); // good translation: 100 − 20
    expect(at(20, 0)).toBe(-20);
    expect(at(20, 11_999_999)).toBe(11_999_979);
    expect(at(20, 12_000_000)).toBe(12_000_000); // not below the translation size: left alone
    expect(at(20, -1)).toBe(11_999_999); // compensating: −1 + 12000000
    expect(at(20, -20)).toBe(11_999_980);
    expect(at(20, -21)).toBe(-21); // before the chunk's start: left alone
    expect(at(20, -0x80000000)).toBe(-0x80000000);
    expect(at(53, 100)).toBe(47); // 64 − 11: the last position translated
    expect(at(54, 100)).toBe(100); // within the last 10 bytes: not
    expect(at(0, 5, 10)).toBe(5);
  });

  it('skips the 4 target bytes of an E8 it has seen, translated or not', () => {
    const b = new Uint8Array(40);
    b.set([0xe8, 0xe8, 0x10, 0, 0, 0xe8, 0x20, 0, 0, 0, 0xe8, 0, 0, 0, 0x7f], 0);
    undoE8(b);
    // 0xE8 at 0: target 0x000010E8 → − 0; the E8 at 1 is inside it. E8 at 5: 0x20 − 5. E8 at 10: 0x7F000000 ≥ 12000000, kept, skipped.
    expect([...b.subarray(0, 15)]).toEqual([0xe8, 0xe8, 0x10, 0, 0, 0xe8, 0x1b, 0, 0, 0, 0xe8, 0, 0, 0, 0x7f]);
  });

  /** A compressible chunk with calls planted at `calls` (position → 32-bit relative target). */
  function chunkWithCalls(size: number, calls: [number, number][]): Buffer {
    const b = Buffer.alloc(size);
    const filler = Buffer.from('mov eax, [rbp-8]; add rax, rdx; ret; ');
    for (let i = 0; i < size; i++) b[i] = filler[i % filler.length]!;
    for (const [pos, rel] of calls) {
      b[pos] = 0xe8;
      if (pos + 5 <= size) b.writeInt32LE(rel | 0, pos + 1);
      else for (let i = pos + 1; i < size; i++) b[i] = (rel >> (8 * (i - pos - 1))) & 0xff;
    }
    return b;
  }

  for (const cs of CHUNK_SIZES) {
    it(`round-trips calls through wimlib's translation at the edges, ${cs}-byte chunks`, () => {
      const calls = (size: number, tail: 'whole' | 'cut'): [number, number][] => [
        [100, -100], // to the chunk's start: translated to absolute 0
        [200, -201], // before it: never translated
        [300, 5],
        [400, 12_000_000 - 400 - 1], // the last "good" target
        [500, 12_000_000 - 500], // the first compensating one
        [600, 11_999_999],
        [700, 12_000_000], // out of range
        [800, 0x7fffffff],
        [900, -0x80000000],
        [size - 40, 1000],
        ...(tail === 'whole'
          ? ([
              [size - 21, -(size - 21)],
              [size - 11, 1000], // the last translated position
              [size - 5, -3], // the last whole call
            ] as [number, number][])
          : ([
              [size - 16, 40],
              [size - 10, 1000], // the first position left alone
              [size - 3, 7], // a call cut by the chunk's end
            ] as [number, number][])),
      ];
      for (const [size, tail] of [
        [cs, 'whole'],
        [cs - 1, 'cut'],
        [4096 + 11, 'whole'],
        [4096 + 12, 'cut'],
      ] as const) {
        const one = chunkWithCalls(size, calls(size, tail));
        one.fill(0xe8, 1000, 1024); // E8 E8 E8 …: the first starts a call, the next four are its target, and so on
        one.fill(0xe8, 2000, 2005); // E8 then a target of E8E8E8E8: far below the chunk's start, left alone
        // A whole chunk twice: the positions count from each chunk's start.
        const data = size === cs ? Buffer.concat([one, one]) : one;
        const chunks = wimlibCompress('lzx', cs, data);
        expect(chunks.some((c) => c.stored.length < c.size)).toBe(true);
        expect(Buffer.from(decodeAll(cs, chunks)).equals(data)).toBe(true);
      }
    });
  }

  it('leaves chunks of 10 bytes or less alone, and translates from 11 bytes (visibly from 12), as wimlib does', () => {
    let translated = 0;
    for (let size = 9; size <= 14; size++) {
      for (let pos = 0; pos < size; pos++) {
        // One E8, its target (where it fits) 0x0000xx40: in range, so translated where the position allows.
        const bytes = noise(size, size * 31 + pos).map((b) => (b === 0xe8 ? 0 : b));
        bytes[pos] = 0xe8;
        if (pos + 1 < size) bytes[pos + 1] = 0x40;
        if (pos + 3 < size) bytes[pos + 3] = 0;
        if (pos + 4 < size) bytes[pos + 4] = 0;
        const w = new LzxWriter(32768).block({ type: 1, items: bytes });
        const theirs = expectAsWimlib(32768, size, w.done())!;
        const changed = !Buffer.from(theirs).equals(Buffer.from(bytes));
        // Only positions 1 to size − 11 change (at 0 the relative and absolute targets are the same).
        expect(changed).toBe(pos >= 1 && pos < size - 10);
        if (changed) translated++;
      }
    }
    expect(translated).toBe(1 + 2 + 3);
  });
});

describe('WIM LZX: streams wimlib decodes, made here', () => {
  it('verbatim blocks with explicit, repeat and long matches', () => {
    for (const cs of CHUNK_SIZES) {
      const lits = noise(3000, 3);
      const items: Item[] = [...lits, { len: 257, off: 1 }, { len: 9, off: 3000 }, { len: 2, off: 1 }, { len: 40, off: 3000 }, { len: 3, off: 7 }];
      items.push({ len: 5, off: 1 }, { len: 6, off: 7 }, { len: 8, off: 3000 }, { len: 100, off: 2 }); // R1, R2, then R0 repeats
      const w = new LzxWriter(cs).block({ type: 1, items });
      const data = w.data;
      const out = expectAsWimlib(cs, data.length, w.done());
      expect(out && Buffer.from(out).equals(Buffer.from(data))).toBe(true);
    }
  });

  it('aligned offset blocks, every position slot the window has, and the 17-bit offsets', () => {
    for (const cs of [32768, 2097152]) {
      for (const type of [1, 2] as const) {
        const items: Item[] = noise(6000, 11);
        let made = 6000;
        const w = new LzxWriter(cs);
        // Far offsets need that much output before them: long matches make it.
        while (made < cs - 1000) {
          const len = Math.min(257, cs - 1000 - made);
          items.push({ len, off: 6000 });
          made += len;
        }
        const slots = (w.mainSymbols - 256) / 8;
        for (let slot = 3; slot < slots; slot++) {
          // The slot's largest offset (all extra bits set), where the output reaches that far back.
          const off = Math.min(POSITION_BASE[slot + 1]! - 3, made);
          items.push({ len: 2 + (slot % 9), off });
          made += 2 + (slot % 9);
        }
        expect(made).toBeLessThanOrEqual(cs);
        w.block({ type, items });
        const out = expectAsWimlib(cs, w.data.length, w.done());
        expect(out && Buffer.from(out).equals(Buffer.from(w.data))).toBe(true);
      }
    }
  });

  it('several blocks: code lengths coded as deltas from the last block, a 32768-byte block by its 1-bit size', () => {
    const cs = 131072;
    const lits = noise(40000, 5);
    const w = new LzxWriter(cs);
    w.block({ type: 1, items: lits.slice(0, 32768) });
    w.block({ type: 2, items: [...lits.slice(32768, 32800), { len: 20, off: 32700 }, { len: 20, off: 32700 }] });
    // A code using fewer symbols: long runs of zero lengths (precode 17 and 18) and runs of one length (19).
    const sparse = new Array<number>(w.mainSymbols).fill(0);
    for (let s = 0; s < 128; s++) sparse[s] = 7;
    w.block({ type: 1, items: lits.slice(40, 1040).map((b) => b & 0x7f), mainLens: sparse, lenLens: new Array<number>(249).fill(0) });
    const out = expectAsWimlib(cs, w.data.length, w.done());
    expect(out && Buffer.from(out).equals(Buffer.from(w.data))).toBe(true);
  });

  it('uncompressed blocks: recent offsets, 16-bit alignment, the odd-length pad byte, a missing pad at the end', () => {
    for (const cs of [32768, 65536]) {
      const bytes = noise(1001, 9);
      // Alone, odd, padded; then a verbatim block using the offsets it set (R0 = 5, R1 = 300, R2 = 77).
      const a = new LzxWriter(cs).uncompressed(bytes, [5, 300, 77]);
      a.block({ type: 1, items: [0x41, { len: 10, off: 5 }, { len: 4, off: 300 }, { len: 6, off: 77 }, { len: 3, off: 5 }] });
      const out = expectAsWimlib(cs, a.data.length, a.done());
      expect(out && Buffer.from(out).equals(Buffer.from(a.data))).toBe(true);
      // Last in the chunk, odd, with its pad byte missing.
      const b = new LzxWriter(cs).uncompressed(bytes, [1, 1, 1], false);
      expect(b.done().length % 2).toBe(1);
      const outB = expectAsWimlib(cs, b.data.length, b.done());
      expect(outB && Buffer.from(outB).equals(Buffer.from(b.data))).toBe(true);
      // Even, then another uncompressed block.
      const c = new LzxWriter(cs).uncompressed(bytes.slice(0, 500)).uncompressed(bytes.slice(500, 999), [2, 3, 4]);
      const outC = expectAsWimlib(cs, c.data.length, c.done());
      expect(outC && Buffer.from(outC).equals(Buffer.from(c.data))).toBe(true);
    }
  });

  it('an uncompressed block after a compressed one: aligned as wimlib aligns, whatever its bit buffer holds', () => {
    // wimlib skips all the bits it has buffered, which is [MS-PATCH]'s "1 to 16 bits" whenever the header ends with
    // its 16-bit size; after a 1-bit size (a block of 32768 bytes) it may hold a whole unit more, read ahead by the
    // last Huffman symbol, and skips that too. Both decoders must agree on every variant.
    const intended = { 33: 0, 32768: 0 };
    const other = { 33: 0, 32768: 0 };
    for (let n = 1; n <= 24; n++) {
      for (const [cs, size] of [
        [32768, 33],
        [65536, 33],
        [65536, 32768],
        [131072, 32768],
      ] as const) {
        const w = new LzxWriter(cs);
        const lits = noise(n, n);
        const mainLens = completeLengths(w.mainSymbols);
        mainLens[0] = 1; // one literal of 1 bit, the rest longer: the buffer's level varies with n
        for (let s = 1; s < mainLens.length; s++) mainLens[s] = s < 3 ? 2 : 0;
        // {0: 1, 1: 2, 2: 2}: complete.
        w.block({ type: 1, items: lits.map((b) => b % 3), mainLens, lenLens: new Array<number>(249).fill(0) });
        w.uncompressed(noise(size, n + 100), [9, 8, 7]);
        const theirs = expectAsWimlib(cs, w.data.length, w.done());
        if (theirs && Buffer.from(theirs).equals(Buffer.from(w.data))) intended[size]++;
        else other[size]++;
      }
    }
    expect(other[33]).toBe(0);
    expect(intended[32768]).toBeGreaterThan(0);
    expect(other[32768]).toBeGreaterThan(0);
  });

  it('empty codes decode symbol 0 from no bits; incomplete and over-subscribed codes are corruption', () => {
    const cs = 32768;
    const allZero = (n: number) => new Array<number>(n).fill(0);
    const w0 = new LzxWriter(cs);
    // Empty main code: 50 bytes of 0 (wimlib's decode table of an empty code).
    w0.block({ type: 1, items: [], size: 50, mainLens: allZero(w0.mainSymbols), lenLens: allZero(249) });
    const zeros = expectAsWimlib(cs, 50, w0.done());
    expect(zeros && [...zeros]).toEqual(allZero(50));
    // Empty aligned code in an aligned block: the aligned symbol is 0, from no bits.
    const w1 = new LzxWriter(cs);
    w1.block({ type: 2, items: [...noise(100, 2), { len: 5, off: 40 }], alignedLens: [0, 0, 0, 0, 0, 0, 0, 0] });
    expect(expectAsWimlib(cs, w1.data.length, w1.done())).not.toBeNull();

    const refused = (spec: Partial<BlockSpec>) => {
      const w = new LzxWriter(cs);
      w.block({ type: 1, items: noise(64, 4), ...spec });
      expect(expectAsWimlib(cs, w.data.length, w.done())).toBeNull();
    };
    const main = completeLengths(496);
    refused({ mainLens: main.map((l, s) => (s === 400 ? 0 : l)) }); // incomplete
    refused({ mainLens: main.map((l, s) => (s === 400 ? 8 : l)) }); // over-subscribed
    refused({ lenLens: [1, ...allZero(248)] }); // one codeword of 1 bit: incomplete
    refused({ lenLens: [1, 1, 1, ...allZero(246)] }); // over-subscribed
    refused({ type: 2, alignedLens: [1, 0, 0, 0, 0, 0, 0, 0] });
    refused({ type: 2, alignedLens: [1, 1, 1, 0, 0, 0, 0, 0] });
  });

  it('precode runs: a run of one length must not carry a run code; runs may overrun the lengths, as in wimlib', () => {
    const cs = 32768;
    const zeros = (n: number) => new Array<number>(n).fill(0);
    // 19 then 18: refused.
    const w = new LzxWriter(cs);
    const ops = lensOps(completeLengths(496).slice(0, 256), zeros(256));
    ops.splice(0, 1, { sym: 19, extra: [0, 1] }, { sym: 18 });
    w.block({ type: 1, items: noise(10, 1), ops: [ops] });
    expect(expectAsWimlib(cs, 10, w.done())).toBeNull();

    // A run of zeros past the literal lengths' end: in wimlib it overwrites the first match lengths of the
    // previous block, the delta base of the match lengths read next.
    // A main code of 128 literals (8 bits) and 240 match symbols (16 of 8 bits, 224 of 9): complete.
    const main = [...new Array<number>(128).fill(8), ...zeros(128), ...new Array<number>(16).fill(8), ...new Array<number>(224).fill(9)];
    const litOps = lensOps(main.slice(0, 256), main.slice(0, 256));
    expect(litOps.slice(-3)).toEqual([18, 18, 18].map((sym, i) => ({ sym, extra: [i < 2 ? 31 : 6, 5] }))); // 51 + 51 + 26 zeros
    litOps[litOps.length - 1] = { sym: 18, extra: [31, 5] }; // 51 zeros where 26 remain: 25 over
    const overrun = [...zeros(25), ...main.slice(256 + 25)];
    for (const [base, accepted] of [
      [main.slice(256), false], // deltas of 0 from the lengths before the run: 25 match lengths stay 0, the code is incomplete
      [overrun, true], // deltas from the lengths the run left: the full code again
    ] as const) {
      const o = new LzxWriter(cs);
      const lits = noise(400, 3).map((b) => b & 0x7f);
      o.block({ type: 1, items: lits.slice(0, 100), mainLens: main });
      o.block({ type: 1, items: lits.slice(100), mainLens: main, ops: [litOps, lensOps(main.slice(256), base)] });
      const out = expectAsWimlib(cs, 400, o.done());
      expect(out !== null).toBe(accepted);
      if (out) expect([...out]).toEqual(lits);
    }
  });

  it('block headers: unknown types, sizes of 0 or past the chunk, and a 24-bit size only from 2^16 windows', () => {
    for (const type of [0, 4, 5, 6, 7]) {
      const b = new BitWriter().bits(type, 3).bits(1, 1).bits(0, 60).done();
      expect(expectAsWimlib(32768, 32768, b)).toBeNull();
    }
    const w = new LzxWriter(32768);
    w.block({ type: 1, items: noise(10, 1), size: 0 });
    expect(expectAsWimlib(32768, 10, w.done())).toBeNull();
    const big = new LzxWriter(65536);
    big.block({ type: 1, items: noise(1000, 1) });
    expect(expectAsWimlib(65536, 999, big.done())).toBeNull(); // the block is larger than the chunk
    // A 24-bit size, read as such from a 2^16 window; a 2^15 window reads its first 16 bits as the size (1), then garbage.
    const sized = new LzxWriter(65536).block({ type: 1, items: noise(300, 1) });
    expect([...expectAsWimlib(65536, 300, sized.done())!]).toEqual(sized.data);
    expectAsWimlib(32768, 300, sized.done());
  });

  it('matches before the chunk starts or past the block end are corruption; a recent offset of 0 too', () => {
    const cs = 32768;
    const w = new LzxWriter(cs);
    w.block({ type: 1, items: [...noise(10, 1), { len: 4, off: 10 }] });
    expect(expectAsWimlib(cs, 14, w.done())).not.toBeNull();
    // One byte further back: before the chunk's start.
    const far = new LzxWriter(cs);
    far.block({ type: 1, items: [...noise(10, 1), { len: 4, off: 11 }] });
    expect(expectAsWimlib(cs, 14, far.done())).toBeNull();
    // A match that runs past its block's end (block of 12, match of 4 after 10 literals).
    const over = new LzxWriter(cs);
    over.block({ type: 1, items: [...noise(10, 1), { len: 4, off: 10 }], size: 12 });
    over.block({ type: 1, items: noise(2, 1) });
    expect(expectAsWimlib(cs, 14, over.done())).toBeNull();
    const zero = new LzxWriter(cs).uncompressed(noise(20, 1), [0, 1, 1]);
    expect(expectAsWimlib(cs, 20, zero.done())).toBeNull();
  });
});

describe('WIM LZX: damaged chunks', () => {
  const node = elfText(readFileSync(process.execPath));
  const cs = 32768;
  const chunks = wimlibCompress('lzx', cs, node.subarray(1 << 20, (1 << 20) + 6 * cs)).filter((c) => c.stored.length < c.size);

  it('a chunk cut short is corruption, named at its image offset (wimlib reads zeros there)', () => {
    for (const c of chunks.slice(0, 3)) {
      for (const cut of [2, 3, 16, 200, c.stored.length - 1]) {
        const e = ours(cs, c.size, c.stored.subarray(0, c.stored.length - cut), 1_000_000);
        expect(e).toBeInstanceOf(FormatError);
        expect((e as FormatError).code).toBe('LZX_CORRUPT');
        expect((e as FormatError).offset).toBeGreaterThanOrEqual(1_000_000);
        expect((e as FormatError).offset).toBeLessThanOrEqual(1_000_000 + c.stored.length);
      }
    }
    // Bytes after the stream's end are no part of it.
    const c = chunks[0]!;
    expect(ours(cs, c.size, Uint8Array.from([...c.stored, 1, 2, 3]))).toBeInstanceOf(Uint8Array);
  });

  it('changed bits: the same bytes as wimlib, or refused where wimlib refuses (or ran past the end)', () => {
    let agreed = 0;
    let refused = 0;
    let x = 12345;
    const rand = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    for (let t = 0; t < 150; t++) {
      const c = chunks[t % chunks.length]!;
      const bad = Uint8Array.from(c.stored); // (a Buffer's slice() would share its bytes)
      const flips = 1 + rand(3);
      // Mostly in the header and code lengths, where a change is not just other literals.
      for (let f = 0; f < flips; f++) {
        const i = rand(t % 2 ? 200 : bad.length);
        bad[i] = bad[i]! ^ (1 << rand(8));
      }
      const theirs = wimlibDecompress(cs, c.size, bad);
      const mine = ours(cs, c.size, bad);
      if (theirs === null) {
        expect(mine).toBeInstanceOf(FormatError);
        expect((mine as FormatError).code).toBe('LZX_CORRUPT');
        refused++;
      } else if (mine instanceof FormatError) {
        // wimlib read zero bits past the end where we refuse.
        expect(mine.message).toContain('ends before its last block');
        refused++;
      } else {
        expect(Buffer.from(mine).equals(theirs)).toBe(true);
        agreed++;
      }
    }
    expect(agreed).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});

describe('WIM LZX: speed', () => {
  // The goal is half of wimlib's C (measured 0.5 on x86 code: about 0.51 at 32 KiB, 0.49 at 2 MiB, by CPU time); this
  // only guards against a collapse. Test files run side by side, so ours is timed by this process's CPU time, and
  // wimlib's by its own clock (best of 3 each, alternating, on the same chunks).
  const code = elfText(readFileSync(process.execPath)).subarray(2 << 20, 6 << 20);
  for (const cs of [32768, 2097152]) {
    it(`decodes ${cs}-byte chunks of x86 code at no less than a quarter of wimlib's speed`, () => {
      const chunks = wimlibCompress('lzx', cs, code);
      let ours = 0;
      let theirs = 0;
      for (let k = 0; k < 3; k++) {
        const before = process.cpuUsage();
        decodeAll(cs, chunks);
        const used = process.cpuUsage(before);
        ours = Math.max(ours, code.length / ((used.user + used.system) / 1e6) / 1e6);
        theirs = Math.max(theirs, wimlibDecompressSpeed('lzx', cs, chunks, 1));
      }
      expect(ours / theirs).toBeGreaterThan(0.25);
    });
  }
});
