/**
 * The XPRESS Huffman chunk decoder (workers/formats/wim/xpress.ts) against
 * wimlib: chunks that wimlib's compressor made decode to the bytes it was
 * given, at every chunk size wimlib writes; hand-made streams decode to what
 * wimlib's own decompressor makes of them; damaged chunks are FormatErrors
 * naming the byte, never anything else; and the speed is compared with
 * wimlib's on the same chunks.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../workers/io/format-error.ts';
import { XpressDecoder } from '../../workers/formats/wim/xpress.ts';
import { frame, wimlibChunksBinary, wimlibCompress, wimlibDecompressSpeed, type WimlibChunk } from '../helpers/wimlib-chunks.ts';

const CHUNK_SIZES = [4096, 16384, 32768, 65536];
/** An image offset for the chunks, so that error offsets are seen to be absolute. */
const AT = 1_000_000;

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

/** Real-world bytes: this machine's Node binary (code, data, strings) and TypeScript's compiler source. */
const nodeBinary = readFileSync(process.execPath);
const typescriptSource = readFileSync(resolve(import.meta.dirname, '../../node_modules/typescript/lib/typescript.js'));
function realWorld(n: number, from = 0): Uint8Array {
  const out = new Uint8Array(n);
  const half = n >> 1;
  out.set(nodeBinary.subarray(from + 4_000_000, from + 4_000_000 + half));
  out.set(typescriptSource.subarray(from, from + (n - half)), half);
  return out;
}

/** Runs of one byte, short periods (overlapping copies), long repeats (16-bit lengths) and near-repeats. */
function repetitive(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(n);
  for (let at = 0; at < n;) {
    const len = Math.min(n - at, 300 + Math.floor(r() * 70_000));
    const period = [1, 2, 3, 4, 5, 7, 16, 17, 31, 33, 300, 4000][Math.floor(r() * 12)]!;
    for (let i = 0; i < Math.min(period, len); i++) out[at + i] = Math.floor(r() * 256);
    for (let i = period; i < len; i++) out[at + i] = r() < 0.002 ? Math.floor(r() * 256) : out[at + i - period]!;
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

/** Index of the first byte where a and b differ (or where one ends), -1 if equal. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const isCompressed = (c: WimlibChunk) => c.stored.length !== c.size;

/**
 * wimlib's chunks, as plain Uint8Arrays like the ones the readers hand the
 * decoder (the helper's are Node Buffers, another shape to V8: mixing the two
 * would make the decoder's element loads polymorphic and slow its timing).
 */
function compress(chunkSize: number, data: Uint8Array): WimlibChunk[] {
  return wimlibCompress('xpress', chunkSize, data).map((c) => ({
    size: c.size,
    stored: new Uint8Array(c.stored.buffer, c.stored.byteOffset, c.stored.length),
  }));
}

/**
 * Every chunk of `data` as wimlib compressed it, decoded and compared with the
 * original slice; raw-stored chunks are the reader's to copy and are skipped.
 * Returns how many chunks were compressed.
 */
function expectRoundTrip(chunkSize: number, data: Uint8Array, decoder = new XpressDecoder(chunkSize)): number {
  const chunks = compress(chunkSize, data);
  const output = new Uint8Array(chunkSize);
  let offset = 0;
  let compressed = 0;
  for (const c of chunks) {
    if (isCompressed(c)) {
      const out = output.subarray(0, c.size);
      out.fill(0xa5); // nothing from the previous chunk may pass for this one's bytes
      decoder.decompress(c.stored, out, AT);
      const diff = firstDifference(out, data.subarray(offset, offset + c.size));
      if (diff !== -1) expect.fail(`chunk at ${offset} (${c.size} bytes, chunk size ${chunkSize}) differs at byte ${diff}`);
      compressed++;
    }
    offset += c.size;
  }
  expect(offset).toBe(data.length);
  return compressed;
}

/** What wimlib's own decompressor makes of one chunk (throws if it refuses it). */
function wimlibDecompress(chunkSize: number, chunk: WimlibChunk): Uint8Array {
  return new Uint8Array(
    execFileSync(wimlibChunksBinary(), ['decompress', 'xpress', String(chunkSize)], { input: frame([chunk]), stdio: ['pipe', 'pipe', 'ignore'] }),
  );
}

function decodeError(decoder: XpressDecoder, input: Uint8Array, size: number): FormatError {
  try {
    decoder.decompress(input, new Uint8Array(size), AT);
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  return expect.fail('decoded without an error');
}

/**
 * Hand-made streams, written as [MS-XCA] §2.2.4's decoder reads them. The
 * code is canonical over the given codeword lengths (by default all 512 are
 * 9 bits, a complete code in which symbol s has the codeword s). The decoder
 * keeps at least 16 bits unread, so when it reads a match's length bytes
 * after `bits` bits it has taken max(2, 1 + ceil(bits / 16)) 16-bit words:
 * each byte goes after that many words, and the words are filled with the
 * bits at the end.
 */
class FlatStream {
  private readonly bytes: number[] = [];
  private readonly wordAt: number[] = [];
  private readonly bits: number[] = [];
  private readonly codewords: number[] = [];

  constructor(private readonly lengths: number[] = new Array<number>(512).fill(9)) {
    for (let i = 0; i < 256; i++) this.bytes.push(lengths[2 * i]! | (lengths[2 * i + 1]! << 4));
    // Canonical codewords: by length, then by symbol, each the previous plus one, shifted to its length.
    const order = [...lengths.keys()].filter((s) => lengths[s]! > 0).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
    let code = 0;
    let previous = lengths[order[0]!]!;
    for (const s of order) {
      code <<= lengths[s]! - previous;
      previous = lengths[s]!;
      this.codewords[s] = code++;
    }
  }

  literal(byte: number): this {
    return this.symbol(byte);
  }
  /** A match as symbol, length bytes and offset bits; `lengthWord` forces a 16-bit length field. */
  match(length: number, offset: number, lengthWord?: number): this {
    const offsetBits = 31 - Math.clz32(offset);
    const header = Math.min(length - 3, 15);
    this.symbol(256 + (offsetBits << 4) + header);
    if (header === 15) {
      this.byte(Math.min(length - 3 - 15, 255));
      if (lengthWord !== undefined || length - 3 - 15 >= 255) {
        const word = lengthWord ?? length - 3;
        this.byte(word & 0xff).byte(word >> 8);
      }
    }
    return this.bitsOf(offset - (1 << offsetBits), offsetBits);
  }
  endOfData(): this {
    return this.symbol(256);
  }
  bytesOut(): Uint8Array {
    this.takeWords();
    const out = Uint8Array.from(this.bytes);
    this.wordAt.forEach((at, k) => {
      let word = 0;
      for (let i = 0; i < 16; i++) word = (word << 1) | (this.bits[16 * k + i] ?? 0);
      out[at] = word & 0xff;
      out[at + 1] = word >> 8;
    });
    return out;
  }
  private symbol(s: number): this {
    if (!this.lengths[s]) throw new Error(`symbol ${s} has no codeword`);
    return this.bitsOf(this.codewords[s]!, this.lengths[s]);
  }
  private bitsOf(value: number, count: number): this {
    for (let i = count - 1; i >= 0; i--) this.bits.push((value >> i) & 1);
    return this;
  }
  private byte(b: number): this {
    this.takeWords();
    this.bytes.push(b);
    return this;
  }
  private takeWords(): void {
    const words = Math.max(2, 1 + Math.ceil(this.bits.length / 16));
    while (this.wordAt.length < words) {
      this.wordAt.push(this.bytes.length);
      this.bytes.push(0, 0);
    }
  }
}

describe('XPRESS Huffman: wimlib-compressed chunks decode to the original bytes', () => {
  // A short last chunk at every size: the data is not a multiple of any chunk size.
  const mixed = concat(realWorld(600_000), new Uint8Array(70_000), repetitive(200_000, 1), randomBytes(70_000, 2, 64), realWorld(1_234, 9_000_000));

  for (const chunkSize of CHUNK_SIZES) {
    it(`chunk size ${chunkSize}: real-world, zero, repetitive and 6-bit random data with a short last chunk`, () => {
      const chunks = compress(chunkSize, mixed);
      const last = chunks[chunks.length - 1]!;
      expect(last.size).toBe(mixed.length % chunkSize);
      expect(isCompressed(last)).toBe(true);
      // A few chunks stay raw (the start of a random run): nearly all go through the decoder.
      expect(expectRoundTrip(chunkSize, mixed)).toBeGreaterThan(0.9 * chunks.length);
    });
  }

  it('one decoder serves chunks of every size up to its own, in any order', () => {
    const decoder = new XpressDecoder(65536);
    for (const chunkSize of [65536, 4096, 32768, 16384]) expectRoundTrip(chunkSize, realWorld(300_000, chunkSize), decoder);
  });

  it('all-zero chunks, whole and short: one literal, then matches of offset 1 (fills) of every length field', () => {
    for (const chunkSize of CHUNK_SIZES) {
      for (const n of [chunkSize, 3 * chunkSize + 300, 2 * chunkSize + 19]) expect(expectRoundTrip(chunkSize, new Uint8Array(n))).toBeGreaterThan(0);
    }
  });

  it('highly repetitive chunks: long and overlapping matches at periods 1 to 4000', () => {
    for (const chunkSize of CHUNK_SIZES) expect(expectRoundTrip(chunkSize, repetitive(600_000, chunkSize))).toBeGreaterThan((0.9 * 600_000) / chunkSize);
  });

  it('random chunks: incompressible ones are kept raw by wimlib (never handed to the decoder); 7-bit random ones are all literals', () => {
    for (const chunkSize of CHUNK_SIZES) {
      const raw = compress(chunkSize, randomBytes(4 * chunkSize, 3));
      expect(raw.every((c) => !isCompressed(c))).toBe(true);
      const sevenBit = randomBytes(4 * chunkSize + 3000, 4, 128);
      expect(expectRoundTrip(chunkSize, sevenBit)).toBe(5);
    }
  });

  it('small chunks that still shrink: 270 bytes of zeros, 512 of text, and up', () => {
    const small = [new Uint8Array(270), new Uint8Array(301), new Uint8Array(4095)];
    for (const size of [512, 513, 1000, 2000]) small.push(typescriptSource.subarray(50_000, 50_000 + size));
    for (const data of small) expect(expectRoundTrip(4096, data)).toBe(1);
  });

  it('a wrong byte would be caught: the comparison finds one flipped bit', () => {
    const data = realWorld(40_000);
    const [chunk] = compress(65536, data);
    const out = new Uint8Array(data.length);
    new XpressDecoder(65536).decompress(chunk!.stored, out, AT);
    expect(firstDifference(out, data)).toBe(-1);
    out[31_337]! ^= 0x10;
    expect(firstDifference(out, data)).toBe(31_337);
    expect(firstDifference(out.subarray(0, 100), data)).toBe(100);
  });
});

describe('XPRESS Huffman: hand-made streams, read as wimlib reads them', () => {
  it('a one-byte chunk (wimlib would store it raw, but a stream for it is valid)', () => {
    for (const byte of [0, 0x41, 0xff]) {
      const stored = new FlatStream().literal(byte).endOfData().bytesOut();
      expect(wimlibDecompress(4096, { size: 1, stored })).toEqual(Uint8Array.of(byte));
      const out = new Uint8Array(1);
      new XpressDecoder(4096).decompress(stored, out, AT);
      expect(out).toEqual(Uint8Array.of(byte));
    }
  });

  it('every length field (4 bits, the byte, the 16-bit word) and offsets of 0 to 15 extra bits', () => {
    const s = new FlatStream();
    const expected: number[] = [];
    const literal = (b: number) => {
      s.literal(b);
      expected.push(b);
    };
    const match = (length: number, offset: number) => {
      s.match(length, offset);
      for (let i = 0; i < length; i++) expected.push(expected[expected.length - offset]!);
    };
    for (let i = 0; i < 40_000; i++) literal((i * 7919) % 251);
    for (const [length, offset] of [
      [3, 1],
      [17, 2],
      [18, 3],
      [272, 1000],
      [273, 1],
      [274, 32768],
      [5000, 39_999],
      [3, 45_000],
      [20, 4],
    ] as const) {
      match(length, offset);
      literal(0x5a);
    }
    const stored = s.endOfData().bytesOut();
    const size = expected.length;
    expect(size).toBeLessThanOrEqual(65536);
    const wimlib = wimlibDecompress(65536, { size, stored });
    expect(firstDifference(wimlib, Uint8Array.from(expected))).toBe(-1);
    const out = new Uint8Array(size);
    new XpressDecoder(65536).decompress(stored, out, AT);
    expect(firstDifference(out, wimlib)).toBe(-1);
  });

  it('codewords of every length from 1 to 15 bits (a root table entry per short one, subtables for the long ones)', () => {
    // Literals 'a'..'n' get 1..14 bits; literal 'z' and symbol 256 (length 3, offset 1) the two of 15 bits.
    const lengths = new Array<number>(512).fill(0);
    for (let k = 0; k < 14; k++) lengths[0x61 + k] = k + 1;
    lengths[0x7a] = 15;
    lengths[256] = 15;
    const s = new FlatStream(lengths);
    const expected: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const k = i % 17;
      if (k < 14) {
        s.literal(0x61 + k);
        expected.push(0x61 + k);
      } else if (k < 16) {
        s.literal(0x7a);
        expected.push(0x7a);
      } else {
        s.match(3, 1);
        expected.push(0x7a, 0x7a, 0x7a);
      }
    }
    const stored = s.endOfData().bytesOut();
    const wimlib = wimlibDecompress(4096, { size: expected.length, stored });
    expect(firstDifference(wimlib, Uint8Array.from(expected))).toBe(-1);
    const out = new Uint8Array(expected.length);
    new XpressDecoder(4096).decompress(stored, out, AT);
    expect(firstDifference(out, wimlib)).toBe(-1);
  });

  it('a match reaching before the chunk start is XPRESS_CORRUPT (wimlib refuses it too)', () => {
    const stored = new FlatStream().literal(1).literal(2).match(5, 3).endOfData().bytesOut();
    expect(() => wimlibDecompress(4096, { size: 7, stored })).toThrow();
    const e = decodeError(new XpressDecoder(4096), stored, 7);
    expect(e.code).toBe('XPRESS_CORRUPT');
    expect(e.structure).toBe('XPRESS chunk');
    expect(e.message).toBe("match offset 3 reaches before the chunk's start (at output byte 2)");
    expect(e.offset).toBeGreaterThanOrEqual(AT + 256);
    expect(e.offset).toBeLessThanOrEqual(AT + stored.length);
  });

  it("a match running past the chunk's end is XPRESS_CORRUPT (wimlib refuses it too)", () => {
    const stored = new FlatStream().literal(1).match(10, 1).endOfData().bytesOut();
    expect(() => wimlibDecompress(4096, { size: 6, stored })).toThrow();
    expect(decodeError(new XpressDecoder(4096), stored, 6).message).toBe("match of 10 bytes at output byte 1 runs past the chunk's end (6 bytes)");
    // The same stream is fine for a chunk of 11 bytes.
    const out = new Uint8Array(11);
    new XpressDecoder(4096).decompress(stored, out, AT);
    expect(out).toEqual(new Uint8Array(11).fill(1));
  });

  it('a 16-bit match length below 15 is XPRESS_CORRUPT ([MS-XCA] §2.2.4; wimlib would take it as length 3+n)', () => {
    const stored = new FlatStream().literal(9).match(400, 1, 7).endOfData().bytesOut();
    expect(wimlibDecompress(4096, { size: 11, stored })).toEqual(new Uint8Array(11).fill(9));
    const e = decodeError(new XpressDecoder(4096), stored, 11);
    expect(e.message).toBe('16-bit match length 7 is below 15');
    // 18 bits of symbols: the decoder has taken 3 words, then the 255 byte; the 16-bit length follows.
    expect(e.offset).toBe(AT + 256 + 3 * 2 + 1);
  });
});

describe('XPRESS Huffman: damage is a FormatError naming the byte', () => {
  const data = realWorld(32768, 123_456);
  const [good] = compress(32768, data);
  const stored = good!.stored;
  const decoder = new XpressDecoder(32768);

  it('the undamaged chunk decodes', () => {
    const out = new Uint8Array(32768);
    decoder.decompress(stored, out, AT);
    expect(firstDifference(out, data)).toBe(-1);
  });

  it('an all-zero length table', () => {
    const bad = new Uint8Array(stored); // a copy (a Buffer's slice() would share the bytes)
    bad.fill(0, 0, 256);
    const e = decodeError(decoder, bad, 32768);
    expect([e.code, e.structure, e.offset]).toEqual(['XPRESS_CORRUPT', 'XPRESS chunk', AT]);
    expect(e.message).toMatch(/every Huffman code length is 0/);
  });

  it('over-subscribed lengths, named at the table byte where the code overflows', () => {
    const bad = new Uint8Array(stored); // a copy (a Buffer's slice() would share the bytes)
    bad[200] = 0x11; // symbols 400 and 401 get 1-bit codewords: with the rest, more than the code space
    const e = decodeError(decoder, bad, 32768);
    expect(e.message).toBe('Huffman code lengths over-subscribe the code');
    // In symbol order the space overflows at or before symbol 401 (byte 200).
    expect(e.offset).toBeLessThanOrEqual(AT + 200);
    const three = new Uint8Array(300);
    three[0] = 0x11;
    three[1] = 0x01; // three 1-bit codewords: overflows at symbol 2, byte 1
    expect(decodeError(decoder, three, 100).offset).toBe(AT + 1);
  });

  it('an incomplete code (one 1-bit codeword) ([MS-XCA] §2.2.4 requires the table filled)', () => {
    const bad = new Uint8Array(300);
    bad[0] = 0x01;
    expect(decodeError(decoder, bad, 100).message).toMatch(/incomplete/);
  });

  it('a chunk shorter than its table, and a stream cut short: named at the end of the input', () => {
    expect(decodeError(decoder, stored.subarray(0, 100), 32768).offset).toBe(AT + 100);
    for (const cut of [256, 257, 300, stored.length >> 1, stored.length - 40]) {
      const e = decodeError(decoder, stored.subarray(0, cut), 32768);
      expect(e.message).toMatch(/^the stream ends before the chunk's 32768 bytes are decoded/);
      expect(e.offset).toBe(AT + cut);
    }
  });

  it('a stream missing only its end-of-data symbol and padding still decodes (nothing needed is missing)', () => {
    // wimlib ends a chunk with symbol 256 and a padding word; whatever of them the decode never
    // consumed may be cut. Find the shortest stream that decodes, and check it decodes right.
    let shortest = stored.length;
    while (shortest > 256) {
      try {
        decoder.decompress(stored.subarray(0, shortest - 1), new Uint8Array(32768), AT);
        shortest--;
      } catch {
        break;
      }
    }
    expect(shortest).toBeLessThan(stored.length);
    const out = new Uint8Array(32768);
    decoder.decompress(stored.subarray(0, shortest), out, AT);
    expect(firstDifference(out, data)).toBe(-1);
  });

  it('an output larger than the decoder was made for, and chunk sizes wimlib never writes', () => {
    expect(decodeError(new XpressDecoder(4096), stored, 32768).code).toBe('XPRESS_CORRUPT');
    for (const size of [0, 1000, 2048, 131072, 4096.5]) expect(() => new XpressDecoder(size)).toThrow(FormatError);
    for (const size of CHUNK_SIZES) expect(new XpressDecoder(size).maxChunkSize).toBe(size);
  });
});

describe('XPRESS Huffman: fuzzing real chunks', () => {
  it('2000 damaged chunks: each decodes (correctly, when only unused bytes changed) or is XPRESS_CORRUPT at a byte of the chunk', () => {
    const r = prng(0x5eed);
    const bases: { size: number; stored: Uint8Array; data: Uint8Array }[] = [];
    for (const chunkSize of CHUNK_SIZES) {
      for (const data of [realWorld(chunkSize, chunkSize * 7), repetitive(chunkSize, chunkSize), realWorld(chunkSize - 1000, 3_000_000)]) {
        const [c] = compress(chunkSize, data);
        if (isCompressed(c!)) bases.push({ size: c!.size, stored: c!.stored, data });
      }
    }
    expect(bases.length).toBeGreaterThanOrEqual(10);
    const decoders = new Map(CHUNK_SIZES.map((s) => [s, new XpressDecoder(s)]));
    const output = new Uint8Array(65536);
    const outcomes = { decoded: 0, corrupt: 0 };
    const messages = new Set<string>();
    const t0 = performance.now();

    for (let n = 0; n < 2000; n++) {
      const base = bases[Math.floor(r() * bases.length)]!;
      const chunkSize = CHUNK_SIZES.find((s) => s >= base.size)!;
      let input: Uint8Array;
      let mustMatch = false; // the damage left every byte the decode reads as it was
      const kind = n % 6;
      if (kind === 0 || kind === 1) {
        // Flip 1 to 8 bits: anywhere, or only in the bitstream.
        input = new Uint8Array(base.stored); // a copy (a Buffer's slice() would share the bytes)
        const from = kind === 0 ? 0 : 256;
        for (let k = 1 + Math.floor(r() * 8); k > 0; k--) input[from + Math.floor(r() * (input.length - from))]! ^= 1 << Math.floor(r() * 8);
      } else if (kind === 2) {
        input = base.stored.subarray(0, Math.floor(r() * base.stored.length));
        mustMatch = true; // if it decodes, it consumed none of the missing bytes
      } else if (kind === 3) {
        input = concat(base.stored, randomBytes(1 + Math.floor(r() * 64), n));
        mustMatch = true; // bytes past the stream are never read
      } else if (kind === 4) {
        input = randomBytes(256 + Math.floor(r() * base.stored.length), n);
      } else {
        // The real table, then random bits: a valid code that decodes nonsense.
        input = concat(base.stored.subarray(0, 256), randomBytes(Math.floor(r() * base.stored.length), n));
      }
      const out = output.subarray(0, base.size);
      try {
        decoders.get(chunkSize)!.decompress(input, out, AT);
        outcomes.decoded++;
        if (mustMatch && firstDifference(out, base.data) !== -1) expect.fail(`case ${n}: decoded wrongly`);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        expect(e.code).toBe('XPRESS_CORRUPT');
        expect(e.structure).toBe('XPRESS chunk');
        expect(e.offset).toBeGreaterThanOrEqual(AT);
        expect(e.offset).toBeLessThanOrEqual(AT + input.length);
        messages.add(e.message.replace(/\d+/g, 'N'));
        outcomes.corrupt++;
      }
    }
    const ms = performance.now() - t0;
    console.log(`fuzz: ${outcomes.decoded} decoded, ${outcomes.corrupt} XPRESS_CORRUPT in ${ms.toFixed(0)} ms; messages: ${[...messages].join(' | ')}`);
    expect(outcomes.decoded).toBeGreaterThan(100);
    expect(outcomes.corrupt).toBeGreaterThan(100);
    expect(ms).toBeLessThan(5000);
  });
});

describe('XPRESS Huffman: speed against wimlib on the same chunks', () => {
  it('real-world, random and repetitive data, 32 KiB chunks (Microsoft size)', () => {
    const chunkSize = 32768;
    const kinds: [string, Uint8Array][] = [
      ['real-world 8 MiB', realWorld(8 << 20)],
      ['7-bit random 4 MiB', randomBytes(4 << 20, 5, 128)],
      ['random 4 MiB (stored raw)', randomBytes(4 << 20, 6)],
      ['repetitive 8 MiB', repetitive(8 << 20, 7)],
    ];
    const decoder = new XpressDecoder(chunkSize);
    const output = new Uint8Array(chunkSize);
    const lines: string[] = [];
    const ratios: number[] = [];
    for (const [name, data] of kinds) {
      const chunks = compress(chunkSize, data);
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
        return { wall: data.length / (performance.now() - t0) / 1000, cpu: data.length / (cpu.user + cpu.system) };
      };
      let wall = 0;
      let cpu = 0;
      for (let i = 0; i < 5; i++) {
        const p = pass();
        wall = Math.max(wall, p.wall);
        cpu = Math.max(cpu, p.cpu);
      }
      const wimlib = wimlibDecompressSpeed('xpress', chunkSize, chunks, 3);
      ratios.push(cpu / wimlib);
      lines.push(
        `${name}: ${wall.toFixed(0)} MB/s (by CPU time ${cpu.toFixed(0)}), wimlib ${wimlib.toFixed(0)} MB/s: ${(wall / wimlib).toFixed(2)}× (${(cpu / wimlib).toFixed(2)}×)`,
      );
    }
    console.log(`XPRESS decode speed:\n  ${lines.join('\n  ')}`);
    // A loose floor (the goal is 0.5×; a shared machine's timings wander, and
    // wimlib's helper times by the clock): it catches a decoder that fell off
    // the fast path, not a busy machine.
    expect(ratios[0]).toBeGreaterThan(0.25);
  });
});
