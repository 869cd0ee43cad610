/**
 * The LZMS chunk decoder (workers/formats/wim/lzms.ts) against wimlib: chunks
 * that wimlib's compressor made decode to the bytes it was given, at the chunk
 * sizes WIMs use (32 KiB up to a 32 MiB solid-resource chunk), on x86 code
 * (the x86 filter), text, delta-friendly tables, random and repetitive data;
 * damaged chunks that the decoder accepts decode to exactly what wimlib's own
 * decompressor makes of them; the rest are FormatErrors naming a byte of the
 * chunk, never anything else; and the speed is compared with wimlib's on the
 * same chunks.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../workers/io/format-error.ts';
import { LzmsDecoder } from '../../workers/formats/wim/lzms.ts';
import { frame, wimlibChunksBinary, wimlibCompress, wimlibDecompressSpeed, type WimlibChunk } from '../helpers/wimlib-chunks.ts';

/** An image offset for the chunks, so that error offsets are seen to be absolute. */
const AT = 5_000_000;

/** mulberry32: a small seeded generator, so every run sees the same data and the same damage. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(n: number, seed: number, alphabet = 256): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(r() * alphabet);
  return out;
}

/** Real-world bytes: the machine code of this machine's Node binary, and TypeScript's compiler source. */
const nodeBinary = readFileSync(process.execPath);
const typescriptSource = readFileSync(resolve(import.meta.dirname, '../../node_modules/typescript/lib/typescript.js'));

/** Where the ELF64 binary's .text section lies (section headers: sh_offset at +0x18, sh_size at +0x20; names in e_shstrndx). */
function elfTextSection(elf: Buffer): { offset: number; size: number } {
  // The tests run where wimlib-chunks builds: Debian on x86-64, whose Node is an ELF64 x86-64 binary.
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf.readUInt16LE(0x12) !== 0x3e)
    throw new Error(`${process.execPath} is not an x86-64 ELF64 binary`);
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const shentsize = elf.readUInt16LE(0x3a);
  const shnum = elf.readUInt16LE(0x3c);
  const names = Number(elf.readBigUInt64LE(shoff + elf.readUInt16LE(0x3e) * shentsize + 0x18));
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    const name = elf.toString('latin1', names + elf.readUInt32LE(sh), names + elf.readUInt32LE(sh) + 6);
    if (name === '.text\0') return { offset: Number(elf.readBigUInt64LE(sh + 0x18)), size: Number(elf.readBigUInt64LE(sh + 0x20)) };
  }
  throw new Error(`${process.execPath} has no .text section`);
}
const codeSection = elfTextSection(nodeBinary);
/** x86-64 machine code: `n` bytes from `from` into Node's .text section (wrapping round). */
function x86Code(n: number, from = 0): Uint8Array {
  const start = codeSection.offset + (from % (codeSection.size - n));
  return new Uint8Array(nodeBinary.subarray(start, start + n));
}
const text = (n: number, from = 0): Uint8Array => new Uint8Array(typescriptSource.subarray(from, from + n));

/**
 * Structured binary data, the kind delta matches are for (lzms_decompress.c:
 * "a series of power-of-2 sized integers that is linearly increasing or
 * decreasing"): arrays of 32-bit and 16-bit integers with a constant stride,
 * RGBA gradients, and records with counters, between bits of noise.
 * wimlib's compressor looks for them at its default level (lzms_compress.c:
 * use_delta_matches from level 35) with spans 2^0 to 2^5.
 */
function deltaFriendly(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(n);
  const view = new DataView(out.buffer);
  let at = 0;
  while (at < n) {
    const count = 64 + Math.floor(r() * 1500);
    const kind = Math.floor(r() * 5);
    const start = Math.floor(r() * 2 ** 32);
    const stride = 1 + Math.floor(r() * 5000);
    for (let i = 0; i < count && at + 16 <= n; i++) {
      if (kind === 0) {
        view.setUint32(at, (start + i * stride) >>> 0, true);
        at += 4;
      } else if (kind === 1) {
        view.setUint16(at, (start + i * (stride & 63)) & 0xffff, true);
        at += 2;
      } else if (kind === 2) {
        for (let c = 0; c < 3; c++) out[at + c] = (start >>> (8 * c)) + i * ((stride >> (4 * c)) & 7);
        out[at + 3] = 255;
        at += 4;
      } else if (kind === 3) {
        // 16-byte records: an id counting up, a size counting by 512, a constant tag, an offset counting by a stride.
        view.setUint32(at, (start + i) >>> 0, true);
        view.setUint32(at + 4, i * 512, true);
        view.setUint32(at + 8, 0x4c5a4d53, true);
        view.setUint32(at + 12, (start + i * stride * 8) >>> 0, true);
        at += 16;
      } else {
        out[at] = Math.floor(r() * 256);
        at += 1;
      }
    }
    if (at + 16 > n) break;
  }
  return out;
}

/** Runs of one byte, short periods (overlapping copies), long repeats and near-repeats. */
function repetitive(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(n);
  for (let at = 0; at < n;) {
    const len = Math.min(n - at, 300 + Math.floor(r() * 200_000));
    const period = [1, 2, 3, 4, 5, 7, 8, 16, 17, 31, 300, 4000, 65536][Math.floor(r() * 13)]!;
    for (let i = 0; i < Math.min(period, len); i++) out[at + i] = Math.floor(r() * 256);
    for (let i = period; i < len; i++) out[at + i] = r() < 0.001 ? Math.floor(r() * 256) : out[at + i - period]!;
    at += len;
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * 32 MiB of varied data for one solid-resource-sized chunk: x86 code, text,
 * delta-friendly tables, 6-bit random bytes and zeros, then copies of earlier
 * stretches from anywhere before (offsets up to 30 MiB, the high offset
 * slots) with a byte changed every few KiB (repeat offsets).
 */
function bigVaried(): Uint8Array {
  const r = prng(32);
  const out = new Uint8Array(32 << 20);
  const head = concat(
    x86Code(2 << 20, 20_000_000),
    text(2 << 20, 3_000_000),
    deltaFriendly(2 << 20, 33),
    randomBytes(1 << 20, 34, 64),
    new Uint8Array(1 << 20),
  );
  out.set(head);
  for (let at = head.length; at < out.length;) {
    const len = Math.min(out.length - at, 4096 + Math.floor(r() * (1 << 20)));
    const from = Math.floor(r() * (at - len > 0 ? at - len : 1));
    out.copyWithin(at, from, from + len);
    for (let i = at + Math.floor(r() * 8192); i < at + len; i += 1024 + Math.floor(r() * 8192)) out[i] = Math.floor(r() * 256);
    at += len;
  }
  return out;
}

/** Index of the first byte where a and b differ (or where one ends), -1 if equal. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  if (n > 64 && Buffer.compare(a.subarray(0, n), b.subarray(0, n)) === 0) return a.length === b.length ? -1 : n;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const isCompressed = (c: WimlibChunk) => c.stored.length !== c.size;

/**
 * wimlib's chunks, as plain Uint8Arrays like the ones the readers hand the
 * decoder (the helper's are Node Buffers, another shape to V8).
 */
function compress(chunkSize: number, data: Uint8Array): WimlibChunk[] {
  return wimlibCompress('lzms', chunkSize, data).map((c) => ({ size: c.size, stored: new Uint8Array(c.stored.buffer, c.stored.byteOffset, c.stored.length) }));
}

interface ItemTotals {
  chunks: number;
  literals: number;
  lzMatches: number;
  lzRepeatMatches: number;
  deltaMatches: number;
  deltaRepeatMatches: number;
}

/**
 * Every chunk wimlib compressed, decoded and compared with the original
 * slice; raw-stored chunks are the reader's to copy and are skipped. Returns
 * how many chunks were compressed and the items they held.
 */
function expectRoundTrip(chunkSize: number, data: Uint8Array, decoder = new LzmsDecoder(chunkSize), chunks = compress(chunkSize, data)): ItemTotals {
  const output = new Uint8Array(Math.max(...chunks.map((c) => c.size)));
  const totals: ItemTotals = { chunks: 0, literals: 0, lzMatches: 0, lzRepeatMatches: 0, deltaMatches: 0, deltaRepeatMatches: 0 };
  let offset = 0;
  for (const c of chunks) {
    if (isCompressed(c)) {
      const out = output.subarray(0, c.size);
      out.fill(0xa5); // nothing from the previous chunk may pass for this one's bytes
      decoder.decompress(c.stored, out, AT);
      const diff = firstDifference(out, data.subarray(offset, offset + c.size));
      if (diff !== -1) expect.fail(`chunk at ${offset} (${c.size} bytes, chunk size ${chunkSize}) differs at byte ${diff}`);
      totals.chunks++;
      totals.literals += decoder.items.literals;
      totals.lzMatches += decoder.items.lzMatches;
      totals.lzRepeatMatches += decoder.items.lzRepeatMatches;
      totals.deltaMatches += decoder.items.deltaMatches;
      totals.deltaRepeatMatches += decoder.items.deltaRepeatMatches;
    }
    offset += c.size;
  }
  expect(offset).toBe(data.length);
  return totals;
}

function decodeError(decoder: LzmsDecoder, input: Uint8Array, size: number): FormatError {
  try {
    decoder.decompress(input, new Uint8Array(size), AT);
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  return expect.fail('decoded without an error');
}

/**
 * What wimlib's own decompressor makes of these chunks, all in one run
 * (wimlib-chunks stops at the first chunk wimlib refuses: then null).
 */
function wimlibDecompress(chunkSize: number, chunks: WimlibChunk[]): Uint8Array | null {
  const r = spawnSync(wimlibChunksBinary(), ['decompress', 'lzms', String(chunkSize)], { input: frame(chunks), maxBuffer: 1 << 30 });
  return r.status === 0 ? new Uint8Array(r.stdout) : null;
}

/**
 * Decode each chunk; those this decoder accepts must be accepted by wimlib's
 * decompressor too, with the same bytes (it may accept more: it reads zeros
 * past either end of a chunk where this decoder calls the chunk corrupt).
 * Returns how many were accepted.
 */
function expectSameAsWimlib(chunkSize: number, chunks: WimlibChunk[], decoder = new LzmsDecoder(chunkSize)): { accepted: number; refused: number } {
  const accepted: { chunk: WimlibChunk; out: Uint8Array }[] = [];
  let refused = 0;
  for (const chunk of chunks) {
    const out = new Uint8Array(chunk.size);
    try {
      decoder.decompress(chunk.stored, out, AT);
      accepted.push({ chunk, out });
    } catch (e) {
      if (!(e instanceof FormatError) || e.code !== 'LZMS_CORRUPT') throw e;
      refused++;
    }
  }
  const theirs = wimlibDecompress(
    chunkSize,
    accepted.map((a) => a.chunk),
  );
  if (theirs === null) {
    const lone = accepted.find((a) => wimlibDecompress(chunkSize, [a.chunk]) === null)!;
    expect.fail(`wimlib refuses a ${lone.chunk.stored.length}-byte chunk (${lone.chunk.size} out) that this decoder accepts`);
  }
  let at = 0;
  for (const { chunk, out } of accepted) {
    const diff = firstDifference(out, theirs.subarray(at, at + chunk.size));
    if (diff !== -1) expect.fail(`a ${chunk.stored.length}-byte chunk (${chunk.size} out) differs from wimlib's decompression at byte ${diff}`);
    at += chunk.size;
  }
  expect(at).toBe(theirs.length);
  return { accepted: accepted.length, refused };
}

describe('LZMS: wimlib-compressed chunks decode to the original bytes', () => {
  // A short last chunk at every size: the data is not a multiple of any chunk size.
  const mixed = (n: number, seed: number) =>
    concat(
      x86Code(Math.floor(n * 0.3), seed * 1000),
      text(Math.floor(n * 0.25), seed * 1000),
      deltaFriendly(Math.floor(n * 0.15), seed),
      repetitive(Math.floor(n * 0.1), seed),
      new Uint8Array(Math.floor(n * 0.05)),
      randomBytes(Math.floor(n * 0.15), seed, 32),
      text(1_234, 5_000_000),
    );

  for (const [chunkSize, n] of [
    [32768, 400_000],
    [131072, 1_000_000],
    [1048576, 2_400_000],
  ] as const) {
    it(`chunk size ${chunkSize}: x86 code, text, delta tables, repetitive, zero and 5-bit random data with a short last chunk`, () => {
      const data = mixed(n, chunkSize >> 15);
      const chunks = compress(chunkSize, data);
      const last = chunks[chunks.length - 1]!;
      expect(last.size).toBe(data.length % chunkSize);
      expect(isCompressed(last)).toBe(true);
      const totals = expectRoundTrip(chunkSize, data, undefined, chunks);
      expect(totals.chunks).toBe(chunks.length);
      // Every kind of item went through the decoder.
      for (const kind of ['literals', 'lzMatches', 'lzRepeatMatches', 'deltaMatches', 'deltaRepeatMatches'] as const) expect(totals[kind]).toBeGreaterThan(0);
    });
  }

  it('x86 code: the filter is undone (chunks of the Node binary at 32 KiB and 128 KiB)', () => {
    for (const chunkSize of [32768, 131072]) {
      const code = x86Code(600_000, 40_000_000 + chunkSize);
      // The filter's evidence: relative calls (E8) and RIP-relative LEA (48 8D /5) abound in this code.
      let calls = 0;
      for (let i = 0; i + 3 < code.length; i++) if (code[i] === 0xe8 || (code[i] === 0x48 && code[i + 1] === 0x8d && (code[i + 2]! & 0xc7) === 0x05)) calls++;
      expect(calls).toBeGreaterThan(5000);
      expect(expectRoundTrip(chunkSize, code).chunks).toBe(Math.ceil(code.length / chunkSize));
    }
  });

  it('delta-friendly data: explicit and repeat delta matches decode (32 KiB to 1 MiB chunks)', () => {
    for (const chunkSize of [32768, 131072, 1048576]) {
      const totals = expectRoundTrip(chunkSize, deltaFriendly(1_200_000, chunkSize));
      expect(totals.deltaMatches).toBeGreaterThan(100);
      expect(totals.deltaRepeatMatches).toBeGreaterThan(100);
    }
  });

  it('one decoder serves chunks of every size up to its own, in any order', () => {
    const decoder = new LzmsDecoder(1048576);
    for (const chunkSize of [1048576, 32768, 131072, 65536]) expectRoundTrip(chunkSize, concat(text(150_000, chunkSize), x86Code(150_000, chunkSize)), decoder);
  });

  it('all-zero chunks, whole and short: long matches at offset 1', () => {
    for (const chunkSize of [32768, 131072, 1048576]) {
      const totals = expectRoundTrip(chunkSize, new Uint8Array(2 * chunkSize + 777));
      expect(totals.chunks).toBe(3);
    }
  });

  it('highly repetitive chunks: long and overlapping matches at periods 1 to 65536', () => {
    for (const chunkSize of [32768, 131072, 1048576]) {
      const totals = expectRoundTrip(chunkSize, repetitive(2_500_000, chunkSize));
      // The first stretch of a random period may stay raw.
      expect(totals.chunks).toBeGreaterThan(0.9 * Math.ceil(2_500_000 / chunkSize));
      expect(totals.lzRepeatMatches).toBeGreaterThan(totals.chunks);
    }
  });

  it('random chunks: incompressible ones are kept raw by wimlib; mostly-random and 4-bit random ones decode', () => {
    const raw = compress(32768, randomBytes(4 * 32768, 3));
    expect(raw.every((c) => !isCompressed(c))).toBe(true);
    // 30 KiB of random bytes then 2 KiB of zeros: the literal code at full width, one long match.
    const mostlyRandom = concat(...[0, 1, 2, 3].map((i) => concat(randomBytes(30 * 1024, 10 + i), new Uint8Array(2048))));
    expect(expectRoundTrip(32768, mostlyRandom).chunks).toBe(4);
    expect(expectRoundTrip(131072, randomBytes(300_000, 5, 16)).chunks).toBe(3);
  });

  it('small chunks: the smallest that shrink, the x86 filter bounds (17 and 18 bytes), and up', () => {
    let compressed = 0;
    for (const size of [5, 8, 16, 17, 18, 19, 24, 40, 100, 1000, 5000]) {
      for (const data of [new Uint8Array(size), x86Code(size, 1000 + size), text(size, 70_000)]) {
        const [chunk] = compress(32768, data);
        if (isCompressed(chunk!)) {
          expectRoundTrip(32768, data, undefined, [chunk!]);
          compressed++;
        }
      }
    }
    expect(compressed).toBeGreaterThan(10);
  });

  it('a 32 MiB chunk (the size of an install.esd solid-resource chunk) of varied data', () => {
    const data = bigVaried();
    const chunks = bigChunks();
    expect(chunks).toHaveLength(1);
    expect(isCompressed(chunks[0]!)).toBe(true);
    const totals = expectRoundTrip(33554432, data, new LzmsDecoder(33554432), chunks);
    expect(totals.lzMatches).toBeGreaterThan(1000);
    expect(totals.deltaMatches + totals.deltaRepeatMatches).toBeGreaterThan(100);
  }, 60_000);

  it('a wrong byte would be caught: the comparison finds one flipped bit', () => {
    const data = text(40_000, 123);
    const chunks = compress(65536, data);
    const out = new Uint8Array(data.length);
    new LzmsDecoder(65536).decompress(chunks[0]!.stored, out, AT);
    expect(firstDifference(out, data)).toBe(-1);
    out[31_337]! ^= 0x10;
    expect(firstDifference(out, data)).toBe(31_337);
    expect(firstDifference(out.subarray(0, 100), data)).toBe(100);
  });
});

/** The 32 MiB chunk, compressed once for the round trip and the speed test. */
let big: WimlibChunk[] | undefined;
function bigChunks(): WimlibChunk[] {
  big ??= compress(33554432, bigVaried());
  return big;
}

describe('LZMS: streams wimlib never writes, read as wimlib reads them', () => {
  it('one-byte chunks (wimlib stores them raw): the one item is a literal, whose codeword is its own 8 bits', () => {
    // wimlib cannot be asked: for fewer than 2 bytes the offset codes have no symbol, and its
    // make_canonical_huffman_code (sort_symbols) reads before its counters and crashes. What
    // LZMS makes of it follows from lzms_decompress.c: the first main decision uses
    // probability 48/64 of a 0 (a literal; a match at position 0 reaches before the start),
    // split at (0xffffffff >> 6) × 48 of the range, with the code being the first two units;
    // all 256 literals start with frequency 1, so 8-bit codewords equal to their values, read
    // from the top of the last unit.
    const decoder = new LzmsDecoder(32768);
    let literals = 0;
    for (let i = 0; i < 300; i++) {
      const stored = randomBytes(4 + 2 * (i % 3), 1000 + i);
      const code = ((stored[1]! << 24) | (stored[0]! << 16) | (stored[3]! << 8) | stored[2]!) >>> 0;
      const isLiteral = code < (0xffffffff >>> 6) * 48;
      const out = new Uint8Array(1);
      if (isLiteral) {
        decoder.decompress(stored, out, AT);
        expect(out[0]).toBe(stored[stored.length - 1]);
        literals++;
      } else {
        expect(decodeError(decoder, stored, 1).code).toBe('LZMS_CORRUPT');
      }
    }
    expect(literals).toBeGreaterThan(150);
    expect(literals).toBeLessThan(290);
  });

  it('3- to 40-byte chunks: short streams decode as wimlib decodes them (the x86 filter starts at 18 bytes)', () => {
    // The front (range-coded) half mostly zeros, so that most decisions come out 0 (literals)
    // and some not (matches of every kind); the back half random (the literals' and matches' bits).
    const r = prng(3);
    const streams: WimlibChunk[] = [];
    for (let i = 0; i < 600; i++) {
      const stored = randomBytes(8 + 2 * (i % 30), 2000 + i);
      for (let k = 0; k < stored.length / 2; k++) if (r() < 0.85) stored[k] = 0;
      streams.push({ size: 3 + (i % 38), stored });
    }
    const { accepted, refused } = expectSameAsWimlib(32768, streams);
    console.log(`short streams: ${accepted} decoded as wimlib decodes them, ${refused} refused`);
    expect(accepted).toBeGreaterThan(150);
    expect(refused).toBeGreaterThan(50);
  });

  it("damaged real chunks that this decoder accepts decode to wimlib's bytes: every item kind, the x86 filter on nonsense", () => {
    // Flipped bits make the decoders go down paths no compressor takes (delta powers 6 and 7,
    // repeat queues in any order, long extra bits): whatever this decoder accepts, wimlib must
    // decode identically.
    const r = prng(0xd1ff);
    const chunkSize = 32768;
    const bases = [x86Code(32768, 77_000), text(32768, 200_000), deltaFriendly(32768, 9), repetitive(32768, 10), x86Code(20_000, 99_000)]
      .map((d) => compress(chunkSize, d)[0]!)
      .filter(isCompressed);
    expect(bases).toHaveLength(5);
    const damaged: WimlibChunk[] = [];
    for (let n = 0; n < 600; n++) {
      const base = bases[n % bases.length]!;
      const stored = new Uint8Array(base.stored);
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) stored[Math.floor(r() * stored.length)]! ^= 1 << Math.floor(r() * 8);
      damaged.push({ size: base.size, stored });
    }
    const { accepted, refused } = expectSameAsWimlib(chunkSize, damaged);
    console.log(`differential: ${accepted} damaged chunks decoded as wimlib decodes them, ${refused} refused`);
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('LZMS: damage is a FormatError naming a byte of the chunk', () => {
  const data = concat(x86Code(20_000, 5_000), text(12_768, 40_000));
  const [good] = compress(32768, data);
  const stored = good!.stored;
  const decoder = new LzmsDecoder(32768);

  it('the undamaged chunk decodes', () => {
    const out = new Uint8Array(32768);
    decoder.decompress(stored, out, AT);
    expect(firstDifference(out, data)).toBe(-1);
  });

  it('an odd length, and fewer than the 4 bytes the range decoder starts with', () => {
    let e = decodeError(decoder, stored.subarray(0, 1001), 32768);
    expect([e.code, e.structure, e.offset]).toEqual(['LZMS_CORRUPT', 'LZMS chunk', AT + 1000]);
    expect(e.message).toMatch(/whole 16-bit units/);
    e = decodeError(decoder, stored.subarray(0, 2), 32768);
    expect([e.code, e.offset]).toEqual(['LZMS_CORRUPT', AT]);
    expect(e.message).toMatch(/starts with 4/);
  });

  it('a stream far too short for its chunk runs out: named at the chunk end or start it ran past', () => {
    for (const cut of [4, 6, 100, 1000]) {
      const e = decodeError(decoder, stored.subarray(0, cut), 32768);
      expect(e.code).toBe('LZMS_CORRUPT');
      expect(e.offset).toBeGreaterThanOrEqual(AT);
      expect(e.offset).toBeLessThan(AT + cut);
    }
    // 4 bytes: the first item at position 0 can only be a literal; the next ones need more bits than there are.
    expect(decodeError(decoder, new Uint8Array(4), 100).message).toMatch(/past the chunk's (start|end)|reaches before the chunk's start|overlap/);
  });

  it('a match reaching before the chunk start: an all-ones stream makes the first item a match at position 0 (wimlib refuses it too)', () => {
    const ones = new Uint8Array(64).fill(0xff);
    expect(wimlibDecompress(32768, [{ size: 1000, stored: ones }])).toBeNull();
    const e = decodeError(decoder, ones, 1000);
    expect(e.message).toMatch(/at position 0 reaches before the chunk's start/);
    expect(e.offset).toBeGreaterThanOrEqual(AT);
    expect(e.offset).toBeLessThan(AT + 64);
  });

  it('the same stream cut where its two halves would overlap', () => {
    // The range-coded front and the Huffman-coded back of the chunk, moved together by 8 bytes: the
    // decoders meet 8 bytes early, whatever they decode.
    const cut = concat(stored.subarray(0, stored.length / 2), stored.subarray(stored.length / 2 + 8));
    const e = decodeError(decoder, cut, 32768);
    expect(e.code).toBe('LZMS_CORRUPT');
    expect(e.offset).toBeGreaterThanOrEqual(AT);
    expect(e.offset).toBeLessThan(AT + cut.length);
  });

  it('an output larger than the decoder was made for, and chunk sizes outside 2^15 to 2^26', () => {
    const e = decodeError(new LzmsDecoder(32768), stored, 65536);
    expect([e.code, e.offset]).toEqual(['LZMS_CORRUPT', AT]);
    for (const size of [0, 4096, 16384, 131071, 1 << 27, 32768.5]) {
      let thrown: unknown;
      try {
        new LzmsDecoder(size);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(FormatError);
      expect((thrown as FormatError).code).toBe('LZMS_CHUNK_SIZE');
    }
    for (let log = 15; log <= 26; log++) expect(new LzmsDecoder(2 ** log).maxChunkSize).toBe(2 ** log);
  });
});

describe('LZMS: fuzzing real chunks', () => {
  it('2000 damaged chunks: each decodes (into the whole output) or is LZMS_CORRUPT at a byte of the chunk, never another error', () => {
    const r = prng(0x5eed);
    const chunkSize = 32768;
    const bases: WimlibChunk[] = [];
    for (const data of [
      x86Code(32768, 310_000),
      text(32768, 900_000),
      deltaFriendly(32768, 11),
      repetitive(32768, 12),
      randomBytes(20_000, 13, 20),
      x86Code(3000, 12_345),
      concat(text(700, 5), new Uint8Array(300)),
    ]) {
      const [c] = compress(chunkSize, data);
      if (isCompressed(c!)) bases.push({ size: c!.size, stored: c!.stored });
    }
    expect(bases).toHaveLength(7);
    const decoder = new LzmsDecoder(chunkSize);
    const output = new Uint8Array(chunkSize);
    const outcomes = { decoded: 0, corrupt: 0 };
    const messages = new Set<string>();
    const t0 = performance.now();

    for (let n = 0; n < 2000; n++) {
      const base = bases[Math.floor(r() * bases.length)]!;
      let input: Uint8Array;
      const kind = n % 6;
      if (kind === 0) {
        // Flip 1 to 8 bits.
        input = new Uint8Array(base.stored);
        for (let k = 1 + Math.floor(r() * 8); k > 0; k--) input[Math.floor(r() * input.length)]! ^= 1 << Math.floor(r() * 8);
      } else if (kind === 1) {
        // Cut anywhere (odd lengths too).
        input = base.stored.subarray(0, Math.floor(r() * base.stored.length));
      } else if (kind === 2) {
        // Garbage after the end: the backward stream now starts in it.
        input = concat(base.stored, randomBytes(1 + Math.floor(r() * 64), n));
      } else if (kind === 3) {
        // Random bytes of a plausible length.
        input = randomBytes(Math.floor(r() * 2 * base.stored.length), n);
      } else if (kind === 4) {
        // A stretch overwritten with random bytes.
        input = new Uint8Array(base.stored);
        const from = Math.floor(r() * input.length);
        input.set(randomBytes(Math.min(input.length - from, 1 + Math.floor(r() * 200)), n), from);
      } else {
        // The chunk decoded into a shorter or longer output than it was made for (other offset codes too).
        input = base.stored;
      }
      const size = kind === 5 ? Math.max(1, Math.min(chunkSize, Math.floor(base.size * (0.5 + r())))) : base.size;
      const out = output.subarray(0, size);
      try {
        decoder.decompress(input, out, AT);
        outcomes.decoded++;
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        expect(e.code).toBe('LZMS_CORRUPT');
        expect(e.structure).toBe('LZMS chunk');
        expect(e.offset).toBeGreaterThanOrEqual(AT);
        expect(e.offset).toBeLessThanOrEqual(AT + Math.max(0, input.length - 1));
        messages.add(e.message.replace(/\d+/g, 'N'));
        outcomes.corrupt++;
      }
    }
    const ms = performance.now() - t0;
    console.log(
      `fuzz: ${outcomes.decoded} decoded, ${outcomes.corrupt} LZMS_CORRUPT in ${ms.toFixed(0)} ms; messages:\n  ${[...messages].sort().join('\n  ')}`,
    );
    expect(outcomes.decoded).toBeGreaterThan(100);
    expect(outcomes.corrupt).toBeGreaterThan(500);
    expect(messages.size).toBeGreaterThanOrEqual(6);
    expect(ms).toBeLessThan(10_000);
  });
});

describe('LZMS: speed against wimlib on the same chunks', () => {
  it('32 MiB of varied data in one chunk, 8 MiB of random bytes, 8 MiB of 5-bit random, 32 MiB of repetitive data', () => {
    const kinds: [string, number, () => WimlibChunk[], number][] = [
      ['varied 32 MiB, one 32 MiB chunk', 33554432, bigChunks, 32 << 20],
      ['random 8 MiB (stored raw), 32 MiB chunk', 33554432, () => compress(33554432, randomBytes(8 << 20, 6)), 8 << 20],
      ['5-bit random 8 MiB (all literals), 128 KiB chunks', 131072, () => compress(131072, randomBytes(8 << 20, 7, 32)), 8 << 20],
      ['repetitive 32 MiB, 32 MiB chunk', 33554432, () => compress(33554432, repetitive(32 << 20, 8)), 32 << 20],
    ];
    const lines: string[] = [];
    const ratios: number[] = [];
    for (const [name, chunkSize, make, bytes] of kinds) {
      const chunks = make();
      const decoder = new LzmsDecoder(chunkSize);
      const output = new Uint8Array(chunkSize);
      // One pass over the chunks: MB/s by the clock, and by this process's CPU
      // time (which a busy machine's other processes do not inflate).
      const pass = () => {
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        for (const c of chunks) {
          const out = output.subarray(0, c.size);
          // A raw chunk is copied, as the resource reader copies it.
          if (isCompressed(c)) decoder.decompress(c.stored, out, AT);
          else out.set(c.stored);
        }
        const cpu = process.cpuUsage(cpu0);
        return { wall: bytes / (performance.now() - t0) / 1000, cpu: bytes / (cpu.user + cpu.system) };
      };
      // Best of three rounds, taken in turn with wimlib's, so that a busy spell of the machine
      // weighs on both.
      let wall = 0;
      let cpu = 0;
      let wimlib = 0;
      for (let i = 0; i < 3; i++) {
        const p = pass();
        wall = Math.max(wall, p.wall);
        cpu = Math.max(cpu, p.cpu);
        wimlib = Math.max(wimlib, wimlibDecompressSpeed('lzms', chunkSize, chunks, 2));
      }
      ratios.push(wall / wimlib);
      lines.push(
        `${name}: ${wall.toFixed(0)} MB/s (by CPU time ${cpu.toFixed(0)}), wimlib ${wimlib.toFixed(0)} MB/s: ${(wall / wimlib).toFixed(2)}× (${(cpu / wimlib).toFixed(2)}×)`,
      );
    }
    console.log(`LZMS decode speed:\n  ${lines.join('\n  ')}`);
    // A loose floor (the goal is 0.5×; a shared machine's timings wander, and
    // wimlib's helper times by the clock): it catches a decoder that fell off
    // the fast path, not a busy machine.
    expect(ratios[0]).toBeGreaterThan(0.15);
  }, 120_000);
});
