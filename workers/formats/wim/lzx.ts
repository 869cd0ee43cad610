/**
 * LZX chunk decoder, in the form WIM resources use it (wimlib
 * src/lzx_decompress.c and src/lzx_common.c; the general format is
 * Microsoft's [MS-PATCH] "LZX DELTA Compression and Decompression", whose
 * extensions a WIM never uses).
 *
 * What makes WIM's LZX its own flavour:
 * - every chunk is an independent stream whose window is the chunk itself:
 *   no history from earlier chunks, the recent-offsets queue starts as
 *   {1, 1, 1} and the code lengths' delta base as all zeros in each chunk;
 * - the window size is the resource's chunk size, 2^15 (Microsoft's) to
 *   2^21 (what wimlib can write), and it sets the number of position slots
 *   and so of main-code symbols (wimlib lzx_get_num_main_syms);
 * - a block header is a 3-bit type, then a 1 bit meaning "32768 bytes", else
 *   the size in 16 bits, followed by 8 more low bits when the window is
 *   2^16 or larger (wimlib lzx_read_block_header);
 * - the E8 call-instruction translation is always undone, with the fixed
 *   "file size" 12000000, over the whole decompressed chunk, for E8 bytes
 *   before its last 10 bytes, on chunks over 10 bytes (wimlib lzx_e8_filter).
 *
 * The bit reader is wimlib's own, to the bit: 16-bit little-endian units,
 * high bit first, loaded one unit at a time into a 32-bit buffer when it
 * holds fewer bits than the next read needs (17 bits may take two units).
 * That buffering shows in the format as wimlib reads it: after an
 * uncompressed block's header, wimlib (as libmspack) skips whatever the
 * buffer holds, or one whole unit when it holds nothing. That is [MS-PATCH]'s
 * 1 to 16 bits of padding whenever the header ends with a 16-bit block size,
 * but after the 1-bit size (a block of 32768 bytes) following a compressed
 * block the buffer may still hold a unit that the last Huffman read loaded
 * ahead, and that unit is skipped too. This decoder does the same, so it
 * reads every stream as wimlib does (tests/node/wim-lzx.test.ts shows both
 * cases against wimlib).
 *
 * Where wimlib is lenient this decoder agrees with it, except at the end of
 * the input: wimlib reads zero bits past a chunk's last byte, this decoder
 * calls a compressed block that needs them cut short (LZX_CORRUPT). A
 * well-formed stream never uses them; a missing padding byte after an
 * odd-sized uncompressed block at the very end is accepted, as wimlib
 * accepts it. Huffman codes are accepted when complete or empty (all lengths
 * zero: it decodes symbol 0 from no bits, as wimlib's table does); an
 * incomplete non-empty code and an over-subscribed one are corruption, as in
 * wimlib's make_huffman_decode_table. Runs of code lengths may run up to 50
 * lengths past the range being read, as wimlib lets them (see readLens).
 */
import { FormatError } from '../../io/format-error.ts';
import type { ChunkDecoder } from './codec.ts';

const CODE = 'LZX_CORRUPT';
const STRUCTURE = 'LZX chunk';

const MIN_WINDOW_ORDER = 15;
const MAX_WINDOW_ORDER = 21;
/** Literal byte values, the first main-code symbols. */
const NUM_CHARS = 256;
const MIN_MATCH_LEN = 2;
const LEN_SYMBOLS = 249;
const PRE_SYMBOLS = 20;
const ALIGNED_SYMBOLS = 8;
const ALIGNED_BITS = 3;
/** The first position slot whose low 3 offset bits an aligned block codes with the aligned code. */
const MIN_ALIGNED_SLOT = 8;
const MAX_OFFSET_SLOTS = 50;
const MAX_MAIN_SYMBOLS = NUM_CHARS + MAX_OFFSET_SLOTS * 8;
/** Runs of code lengths may write this far past the lengths they were asked for (wimlib LZX_READ_LENS_MAX_OVERRUN). */
const LENS_OVERRUN = 50;
const MAX_MAIN_LEN = 16;
const MAX_LEN_LEN = 16;
const MAX_PRE_LEN = 15;
const MAX_ALIGNED_LEN = 7;
const DEFAULT_BLOCK_SIZE = 32768;
const BLOCK_VERBATIM = 1;
const BLOCK_ALIGNED = 2;
const BLOCK_UNCOMPRESSED = 3;
/** WIM's fixed E8 translation size (wimlib LZX_WIM_MAGIC_FILESIZE). */
const E8_FILE_SIZE = 12_000_000;
/**
 * Zeros kept after the input: a well-formed stream's reads end at most 6
 * bytes past its last whole unit (a 17-bit read loading two units). Reads
 * further out, by a stream that runs past its end, read undefined: zero bits
 * too, the bits wimlib reads there, and the position check after the block
 * refuses the chunk.
 */
const INPUT_PADDING = 8;

/**
 * Position slot → the smallest offset it codes, the three repeat-offset slots
 * mapping below 1 (wimlib lzx_offset_slot_base: Microsoft's position base
 * minus 2, the format's offset adjustment).
 */
const SLOT_BASE = Int32Array.from([
  -2, -1, 0, 1, 2, 4, 6, 10, 14, 22, 30, 46, 62, 94, 126, 190, 254, 382, 510, 766, 1022, 1534, 2046, 3070, 4094, 6142, 8190, 12286, 16382, 24574, 32766, 49150,
  65534, 98302, 131070, 196606, 262142, 393214, 524286, 655358, 786430, 917502, 1048574, 1179646, 1310718, 1441790, 1572862, 1703934, 1835006, 1966078, 2097150,
]);
/** Position slot → extra offset bits (wimlib lzx_extra_offset_bits). */
const EXTRA_BITS = Uint8Array.from([
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17, 17, 17, 17, 17, 17, 17, 17, 17,
  17, 17, 17, 17, 17,
]);

/* eslint-disable @typescript-eslint/no-duplicate-enum-values -- these enums name numbers, some equal, rather than enumerate */

/*
 * Huffman decoding is two-level, as wimlib's read_huffsym: the next TB bits
 * index the root table, which holds every codeword up to TB bits long as the
 * 16-bit entry (symbol << 4) | length; a longer codeword's root entry is
 * (subtable start << 4) | subtable index bits, told apart by its value being
 * at least 2^TB << 4 (no symbol is that large), and the subtable entry holds
 * (symbol << 4) | (length − TB). Sizes are the root plus the most subtables a
 * complete code can need (zlib's `enough`, as wimlib's DECODE_TABLE_ENOUGH).
 *
 * The block loop's constants are a const enum, so that each use compiles to
 * the number itself (V8 loads a module-level const from memory at every use).
 */
const enum K {
  MAIN_TB = 11,
  LEN_TB = 9,
  PRE_TB = 6,
  /** = the longest aligned codeword: no subtables. */
  ALIGNED_TB = 7,
  MAIN_SUBTABLE = 1 << (MAIN_TB + 4),
  LEN_SUBTABLE = 1 << (LEN_TB + 4),
  /** Root entries below this are literals (symbol < 256). */
  LITERAL_ENTRIES = 256 << 4,
  NUM_CHARS = 256,
  /** A main symbol's low 3 bits: lengths 2–8, the 8th value meaning "length symbol follows". */
  NUM_PRIMARY_LENS = 7,
  MIN_MATCH_LEN = 2,
  MAX_ALIGNED_LEN = 7,
  ALIGNED_BITS = 3,
  MAIN_TABLE_SIZE = 2726, // enough(656, 11, 16)
  LEN_TABLE_SIZE = 878, // enough(249, 9, 16)
  PRE_TABLE_SIZE = 582, // enough(20, 6, 15)
  ALIGNED_TABLE_SIZE = 128,
  /** The main, length and aligned codes' tables lie one after the other in one array, at 0, LEN_AT and ALIGNED_AT. */
  LEN_AT = MAIN_TABLE_SIZE,
  ALIGNED_AT = LEN_AT + LEN_TABLE_SIZE,
  TABLES_SIZE = ALIGNED_AT + ALIGNED_TABLE_SIZE,
  /** SLOTS: each position slot's base offset, from 0; its extra bits in a verbatim block, from VERBATIM_EXTRA; in an aligned one, from ALIGNED_EXTRA. */
  VERBATIM_EXTRA = 50,
  ALIGNED_EXTRA = 100,
  /** Added to an aligned block's extra bits where the low 3 come from the aligned code. */
  ALIGNED_FLAG = 32,
}

/* eslint-enable @typescript-eslint/no-duplicate-enum-values */

/** Position slots as the block loop reads them (see K.VERBATIM_EXTRA). */
const SLOTS = new Int32Array(3 * MAX_OFFSET_SLOTS);
SLOTS.set(SLOT_BASE);
SLOTS.set(EXTRA_BITS, K.VERBATIM_EXTRA);
SLOTS.set(
  EXTRA_BITS.map((n, slot) => (slot >= MIN_ALIGNED_SLOT ? n - ALIGNED_BITS + K.ALIGNED_FLAG : n)),
  K.ALIGNED_EXTRA,
);

/** The number of main-code symbols for a window of 2^order bytes (wimlib lzx_get_num_main_syms). */
export function lzxMainSymbols(order: number): number {
  // The largest offset is window − 3: a match cannot copy the first two bytes onto the last two.
  const maxOffset = 2 ** order - MIN_MATCH_LEN - 1;
  let slots = 30;
  while (maxOffset >= SLOT_BASE[slots]!) slots++;
  return NUM_CHARS + slots * 8;
}

export class LzxDecoder implements ChunkDecoder {
  private readonly windowSize: number;
  private readonly order: number;
  private readonly mainSymbols: number;

  // Code lengths persist from block to block within a chunk: each block's lengths are coded as deltas from the last.
  private readonly mainLens = new Uint8Array(MAX_MAIN_SYMBOLS + LENS_OVERRUN);
  private readonly lenLens = new Uint8Array(LEN_SYMBOLS + LENS_OVERRUN);
  private readonly alignedLens = new Uint8Array(ALIGNED_SYMBOLS);
  private readonly preLens = new Uint8Array(PRE_SYMBOLS);
  /** The main, length and aligned offset codes' tables, one after the other (K.LEN_AT, K.ALIGNED_AT): one array in the block loop. */
  private readonly tables = new Uint16Array(K.TABLES_SIZE);
  private readonly mainTable = this.tables.subarray(0, K.LEN_AT);
  private readonly lenTable = this.tables.subarray(K.LEN_AT, K.ALIGNED_AT);
  private readonly alignedTable = this.tables.subarray(K.ALIGNED_AT);
  private readonly preTable = new Uint16Array(K.PRE_TABLE_SIZE);
  // Working space of the table builder.
  private readonly counts = new Int32Array(MAX_MAIN_LEN + 1);
  private readonly offsets = new Int32Array(MAX_MAIN_LEN + 1);
  private readonly sorted = new Uint16Array(MAX_MAIN_SYMBOLS);

  // The bit reader of the chunk being decoded (see the header comment).
  /** The chunk as stored, copied here with zeros after it (wimlib's bits past the end). */
  private bytes: Uint8Array;
  /** The last output's buffer as a DataView, for the word copies; made again only when the caller's buffer changes. */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  /** Its length. */
  private length = 0;
  private at = 0;
  /** Next unread byte of `bytes`; past `length` only where a stream runs on into the zeros. */
  private pos = 0;
  /** Bits not yet used, left-justified: the next bit is bit 31. */
  private bitbuf = 0;
  private bitsleft = 0;
  // The recent-offsets queue.
  private r0 = 1;
  private r1 = 1;
  private r2 = 1;

  /**
   * `maxChunkSize`: the resource's chunk size, a power of two from 2^15 to
   * 2^21 (the window size; wimlib refuses LZX chunks above 2^21). Any other
   * size is the WIM's fault, refused as resource.ts refuses a chunk size.
   */
  constructor(maxChunkSize: number) {
    const order = Math.log2(maxChunkSize);
    if (!Number.isInteger(order) || order < MIN_WINDOW_ORDER || order > MAX_WINDOW_ORDER) {
      throw new FormatError('WIM_CHUNK_SIZE', `LZX chunk size ${maxChunkSize} is not a power of two from 32768 to 2097152`, 'WIM resource', null);
    }
    this.windowSize = maxChunkSize;
    this.order = order;
    this.mainSymbols = lzxMainSymbols(order);
    // A compressed chunk is smaller than its chunk (else it is stored raw); a longer one still decodes, in a buffer made for it.
    this.bytes = new Uint8Array(maxChunkSize + INPUT_PADDING);
  }

  decompress(input: Uint8Array, output: Uint8Array, at: number): void {
    const size = output.length;
    if (size > this.windowSize) throw new FormatError(CODE, `an LZX chunk of ${size} bytes is larger than its window (${this.windowSize})`, STRUCTURE, at);
    if (this.bytes.length < input.length + INPUT_PADDING) this.bytes = new Uint8Array(input.length + INPUT_PADDING);
    const bytes = this.bytes;
    bytes.set(input);
    bytes.fill(0, input.length, input.length + INPUT_PADDING);
    if (this.view.buffer !== output.buffer) this.view = new DataView(output.buffer);
    this.length = input.length;
    this.at = at;
    this.pos = 0;
    this.bitbuf = 0;
    this.bitsleft = 0;
    this.r0 = this.r1 = this.r2 = 1;
    this.mainLens.fill(0, 0, this.mainSymbols);
    this.lenLens.fill(0, 0, LEN_SYMBOLS);
    let out = 0;
    // The first E8 byte of a chunk is a literal or in an uncompressed block (wimlib may_have_e8_byte).
    let mayHaveE8 = false;
    while (out < size) {
      this.ensure(4);
      const type = this.pop(3);
      let blockSize = DEFAULT_BLOCK_SIZE;
      if (this.pop(1) === 0) {
        blockSize = this.readBits(16);
        if (this.order >= 16) blockSize = (blockSize << 8) | this.readBits(8);
      }
      if (type === BLOCK_VERBATIM || type === BLOCK_ALIGNED) {
        if (type === BLOCK_ALIGNED) for (let i = 0; i < ALIGNED_SYMBOLS; i++) this.alignedLens[i] = this.readBits(3);
        this.readLens(this.mainLens, 0, NUM_CHARS);
        this.readLens(this.mainLens, NUM_CHARS, this.mainSymbols);
        this.readLens(this.lenLens, 0, LEN_SYMBOLS);
        this.checkBlockSize(blockSize, size - out);
        this.build(this.mainTable, this.mainSymbols, K.MAIN_TB, this.mainLens, MAX_MAIN_LEN, 'main');
        this.build(this.lenTable, LEN_SYMBOLS, K.LEN_TB, this.lenLens, MAX_LEN_LEN, 'length');
        if (type === BLOCK_ALIGNED) this.build(this.alignedTable, ALIGNED_SYMBOLS, K.ALIGNED_TB, this.alignedLens, MAX_ALIGNED_LEN, 'aligned offset');
        out = this.decodeBlock(output, out, out + blockSize, type === BLOCK_ALIGNED);
        // Bits are read in whole 16-bit units: a last odd byte is none (wimlib reads zeros there, as past the end).
        if (this.pos * 8 - this.bitsleft > (this.length & ~1) * 8) this.fail('the chunk ends before its last block does');
        if (this.mainLens[0xe8] !== 0) mayHaveE8 = true;
      } else if (type === BLOCK_UNCOMPRESSED) {
        // Align: skip what the bit buffer holds, or the next unit when it holds nothing (wimlib bitstream_align).
        this.ensure(1);
        this.bitbuf = 0;
        this.bitsleft = 0;
        const p = this.pos;
        if (this.length - p < 12) this.fail('the chunk ends inside an uncompressed block header');
        this.r0 = this.u32(p);
        this.r1 = this.u32(p + 4);
        this.r2 = this.u32(p + 8);
        if (this.r0 === 0 || this.r1 === 0 || this.r2 === 0) this.fail('an uncompressed block gives a recent offset of 0');
        this.pos += 12;
        this.checkBlockSize(blockSize, size - out);
        if (this.length - this.pos < blockSize) this.fail(`an uncompressed block of ${blockSize} bytes runs past the chunk's end`);
        output.set(bytes.subarray(this.pos, this.pos + blockSize), out);
        this.pos += blockSize;
        out += blockSize;
        // An odd-sized block is padded to 16 bits; a missing pad at the very end is read as absent, as wimlib does.
        if (blockSize & 1 && this.pos < this.length) this.pos++;
        mayHaveE8 = true;
      } else {
        this.fail(`block type ${type} is none of verbatim (1), aligned offset (2) or uncompressed (3)`);
      }
    }
    if (mayHaveE8) undoE8(output);
  }

  private checkBlockSize(blockSize: number, room: number): void {
    if (blockSize < 1 || blockSize > room) this.fail(`a block of ${blockSize} bytes where ${room} remain in the chunk`);
  }

  private fail(why: string): never {
    throw new FormatError(CODE, `LZX chunk is damaged: ${why}`, STRUCTURE, this.at + Math.min(this.pos, this.length));
  }

  private u32(i: number): number {
    const b = this.bytes;
    return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
  }

  /**
   * Hold at least n (≤ 17) bits (wimlib bitstream_ensure_bits): one more
   * unit when fewer are held, two when 17 are wanted and none is.
   */
  private ensure(n: number): void {
    if (this.bitsleft >= n) return;
    const b = this.bytes;
    this.bitbuf |= (b[this.pos]! | (b[this.pos + 1]! << 8)) << (16 - this.bitsleft);
    this.pos += 2;
    this.bitsleft += 16;
    if (n === 17 && this.bitsleft === 16) {
      this.bitbuf |= b[this.pos]! | (b[this.pos + 1]! << 8);
      this.pos += 2;
      this.bitsleft = 32;
    }
  }

  /** The next n (0–17) held bits, removed. */
  private pop(n: number): number {
    const v = (this.bitbuf >>> 1) >>> (31 - n);
    this.bitbuf <<= n;
    this.bitsleft -= n;
    return v;
  }

  private readBits(n: number): number {
    this.ensure(n);
    return this.pop(n);
  }

  /** One symbol of a code outside the block's inner loop (the precode). */
  private readSymbol(table: Uint16Array, tableBits: number, maxLen: number): number {
    this.ensure(maxLen);
    let entry = table[this.bitbuf >>> (32 - tableBits)]!;
    if (entry >= 1 << (tableBits + 4)) {
      this.bitbuf <<= tableBits;
      this.bitsleft -= tableBits;
      entry = table[(entry >>> 4) + (this.bitbuf >>> (32 - (entry & 15)))]!;
    }
    const len = entry & 15;
    this.bitbuf <<= len;
    this.bitsleft -= len;
    return entry >>> 4;
  }

  /**
   * Code lengths [from, to) of `lens`, read through a fresh precode as
   * deltas from their values in the previous block (wimlib
   * lzx_read_codeword_lens). A run may end up to 50 lengths past `to`,
   * into the next range's lengths (the first 256 main lengths into the
   * match lengths' delta base), as in wimlib.
   */
  private readLens(lens: Uint8Array, from: number, to: number): void {
    for (let i = 0; i < PRE_SYMBOLS; i++) this.preLens[i] = this.readBits(4);
    this.build(this.preTable, PRE_SYMBOLS, K.PRE_TB, this.preLens, MAX_PRE_LEN, 'pre');
    let i = from;
    do {
      let presym = this.readSymbol(this.preTable, K.PRE_TB, MAX_PRE_LEN);
      if (presym < 17) {
        lens[i] = (lens[i]! - presym + 17) % 17;
        i++;
        continue;
      }
      let run: number;
      let len = 0;
      if (presym === 17) {
        run = 4 + this.readBits(4);
      } else if (presym === 18) {
        run = 20 + this.readBits(5);
      } else {
        run = 4 + this.readBits(1);
        presym = this.readSymbol(this.preTable, K.PRE_TB, MAX_PRE_LEN);
        if (presym > 17) this.fail(`a run of equal code lengths has length symbol ${presym}`);
        len = (lens[i]! - presym + 17) % 17;
      }
      lens.fill(len, i, i + run);
      i += run;
    } while (i < to);
  }

  /**
   * The decode table of a canonical code (wimlib make_huffman_decode_table):
   * complete codes, and the empty code, whose table decodes symbol 0 from no
   * bits; anything else is corruption.
   */
  private build(table: Uint16Array, numSyms: number, tableBits: number, lens: Uint8Array, maxLen: number, name: string): void {
    const counts = this.counts;
    const offsets = this.offsets;
    const sorted = this.sorted;
    counts.fill(0);
    for (let s = 0; s < numSyms; s++) counts[lens[s]!]!++;
    let remainder = 1;
    for (let len = 1; len <= maxLen; len++) {
      remainder = (remainder << 1) - counts[len]!;
      if (remainder < 0) this.fail(`its ${name} code is over-subscribed`);
    }
    if (remainder !== 0) {
      if (remainder !== 1 << maxLen) this.fail(`its ${name} code is incomplete`);
      table.fill(0, 0, 1 << tableBits);
      return;
    }
    offsets[0] = 0;
    for (let len = 0; len < maxLen; len++) offsets[len + 1] = offsets[len]! + counts[len]!;
    for (let s = 0; s < numSyms; s++) sorted[offsets[lens[s]!]!++] = s;

    // Root entries of the codewords up to tableBits long, shortest first, each repeated over the indexes it prefixes.
    let symIdx = counts[0]!;
    let at = 0;
    let len = 1;
    for (let stores = 1 << (tableBits - 1); stores !== 0; len++, stores >>= 1) {
      for (const end = symIdx + counts[len]!; symIdx < end; symIdx++) {
        const entry = (sorted[symIdx]! << 4) | len;
        if (stores > 16) table.fill(entry, at, at + stores);
        else for (let i = 0; i < stores; i++) table[at + i] = entry;
        at += stores;
      }
    }
    if (symIdx === numSyms) return;

    // Longer codewords: subtables after the root, each as large as the codewords sharing its root prefix need.
    let codeword = at << 1;
    let subPos = 1 << tableBits;
    let subBits = 0;
    let subPrefix = -1;
    do {
      while (counts[len] === 0) {
        len++;
        codeword <<= 1;
      }
      const prefix = codeword >>> (len - tableBits);
      if (prefix !== subPrefix) {
        subPrefix = prefix;
        subBits = len - tableBits;
        // The code is complete, so this ends by maxLen.
        for (let room = 1 << subBits; (room -= counts[tableBits + subBits]!) > 0; room <<= 1) subBits++;
        table[prefix] = (subPos << 4) | subBits;
      }
      const entry = (sorted[symIdx]! << 4) | (len - tableBits);
      for (let n = 1 << (subBits - (len - tableBits)); n > 0; n--) table[subPos++] = entry;
      counts[len]!--;
      codeword++;
    } while (++symIdx < numSyms);
  }

  /**
   * Literals and matches of one verbatim or aligned block into
   * output[out, blockEnd); returns blockEnd. The bit reader lives in locals
   * here (ensure, pop and the Huffman lookup written out inline, the same
   * steps as in the methods; the 16 bits before each main symbol are made
   * sure of without a branch, which costs less than the branch mispredicted
   * about every other symbol); every table is read from `tables` and SLOTS
   * at fixed offsets, which leaves V8 registers for the loop's state. A
   * match must lie inside the chunk's output so far and end inside the block
   * (wimlib lz_copy).
   */
  private decodeBlock(output: Uint8Array, out: number, blockEnd: number, aligned: boolean): number {
    const bytes = this.bytes;
    const tables = this.tables;
    const slots = SLOTS;
    const extraAt = aligned ? K.ALIGNED_EXTRA : K.VERBATIM_EXTRA;
    let pos = this.pos;
    let bitbuf = this.bitbuf;
    let bitsleft = this.bitsleft;
    let r0 = this.r0;
    let r1 = this.r1;
    let r2 = this.r2;
    let bad = '';
    const view = this.view;
    const base = output.byteOffset;

    while (out < blockEnd) {
      // Hold at least 16 bits, without a branch: `need` is all ones when fewer are held, else 0.
      {
        const need = (bitsleft - 16) >> 31;
        bitbuf |= ((bytes[pos]! | (bytes[pos + 1]! << 8)) & need) << (16 - bitsleft);
        pos += need & 2;
        bitsleft += need & 16;
      }
      let entry = tables[bitbuf >>> (32 - K.MAIN_TB)]!;
      if (entry < K.LITERAL_ENTRIES) {
        // A literal in the root table: the common case first.
        bitbuf <<= entry & 15;
        bitsleft -= entry & 15;
        output[out++] = entry >>> 4;
        continue;
      }
      if (entry >= K.MAIN_SUBTABLE) {
        bitbuf <<= K.MAIN_TB;
        bitsleft -= K.MAIN_TB;
        entry = tables[(entry >>> 4) + (bitbuf >>> (32 - (entry & 15)))]!;
      }
      bitbuf <<= entry & 15;
      bitsleft -= entry & 15;
      const sym = entry >>> 4;
      if (sym < K.NUM_CHARS) {
        output[out++] = sym;
        continue;
      }

      let length = sym & 7;
      const slot = (sym - K.NUM_CHARS) >>> 3;
      if (length === K.NUM_PRIMARY_LENS) {
        {
          const need = (bitsleft - 16) >> 31;
          bitbuf |= ((bytes[pos]! | (bytes[pos + 1]! << 8)) & need) << (16 - bitsleft);
          pos += need & 2;
          bitsleft += need & 16;
        }
        let e = tables[K.LEN_AT + (bitbuf >>> (32 - K.LEN_TB))]!;
        if (e >= K.LEN_SUBTABLE) {
          bitbuf <<= K.LEN_TB;
          bitsleft -= K.LEN_TB;
          e = tables[K.LEN_AT + (e >>> 4) + (bitbuf >>> (32 - (e & 15)))]!;
        }
        bitbuf <<= e & 15;
        bitsleft -= e & 15;
        length += e >>> 4;
      }
      length += K.MIN_MATCH_LEN;

      let offset: number;
      if (slot < 3) {
        // A repeat offset: swapped with R0, not an LRU queue (using R2 does not move R1).
        if (slot === 0) offset = r0;
        else if (slot === 1) {
          offset = r1;
          r1 = r0;
        } else {
          offset = r2;
          r2 = r0;
        }
      } else {
        let n = slots[extraAt + slot]!;
        if (n < K.ALIGNED_FLAG) {
          {
            const need = (bitsleft - n) >> 31;
            bitbuf |= ((bytes[pos]! | (bytes[pos + 1]! << 8)) & need) << (16 - bitsleft);
            pos += need & 2;
            bitsleft += need & 16;
          }
          if (bitsleft < n) {
            // 17 bits with none held: a second unit.
            bitbuf |= bytes[pos]! | (bytes[pos + 1]! << 8);
            pos += 2;
            bitsleft = 32;
          }
          offset = (bitbuf >>> 1) >>> (31 - n);
          bitbuf <<= n;
          bitsleft -= n;
        } else {
          // The high bits verbatim (at most 14), the low 3 from the aligned code.
          n -= K.ALIGNED_FLAG;
          if (bitsleft < n) {
            bitbuf |= (bytes[pos]! | (bytes[pos + 1]! << 8)) << (16 - bitsleft);
            pos += 2;
            bitsleft += 16;
          }
          offset = (bitbuf >>> 1) >>> (31 - n);
          bitbuf <<= n;
          bitsleft -= n;
          if (bitsleft < K.MAX_ALIGNED_LEN) {
            bitbuf |= (bytes[pos]! | (bytes[pos + 1]! << 8)) << (16 - bitsleft);
            pos += 2;
            bitsleft += 16;
          }
          const e = tables[K.ALIGNED_AT + (bitbuf >>> (32 - K.ALIGNED_TB))]!;
          bitbuf <<= e & 15;
          bitsleft -= e & 15;
          offset = (offset << K.ALIGNED_BITS) | (e >>> 4);
        }
        offset += slots[slot]!;
        r2 = r1;
        r1 = r0;
      }
      r0 = offset;

      if (offset > out) {
        bad = `a match reaches ${offset} bytes back from byte ${out} of the chunk`;
        break;
      }
      if (length > blockEnd - out) {
        bad = `a match of ${length} bytes runs past its block's end`;
        break;
      }
      let src = out - offset;
      if (offset >= 4 && length < 128 && length + 7 <= blockEnd - out) {
        // Most matches, 32-bit words at a time (DataView reads and writes any alignment): two words, 8 bytes, cover
        // two matches in three; the last word may run up to 7 bytes past the match, over the block's output not yet
        // decoded. The offset being at least 4, every word's source is final before it is read.
        let to = base + out;
        src += base;
        view.setInt32(to, view.getInt32(src, true), true);
        view.setInt32(to + 4, view.getInt32(src + 4, true), true);
        if (length > 8) {
          const stop = to + length;
          to += 8;
          src += 8;
          do {
            view.setInt32(to, view.getInt32(src, true), true);
            to += 4;
            src += 4;
          } while (to < stop);
        }
        out += length;
      } else if (offset >= length) {
        output.copyWithin(out, src, src + length);
        out += length;
      } else {
        // Overlapping: each byte may be one this match has just written (a run when the offset is 1).
        const end = out + length;
        do output[out++] = output[src++]!;
        while (out < end);
      }
    }

    this.pos = pos;
    this.bitbuf = bitbuf;
    this.bitsleft = bitsleft;
    this.r0 = r0;
    this.r1 = r1;
    this.r2 = r2;
    if (bad) this.fail(bad);
    return out;
  }
}

/**
 * Undo the E8 translation over a decompressed chunk (wimlib
 * lzx_postprocess): each E8 byte at position i < size − 10 not inside the
 * 4-byte target of an earlier translated E8 has its 32-bit target turned
 * back from absolute to relative: a target in [0, 12000000) becomes
 * target − i, one in [−i, 0) becomes target + 12000000, any other stays.
 */
export function undoE8(data: Uint8Array): void {
  const size = data.length;
  if (size <= 10) return;
  const limit = size - 10;
  const view = new DataView(data.buffer, data.byteOffset, size);
  for (let i = 0; i < limit;) {
    // Four bytes at a time while none is E8: the word XOR E8E8E8E8 has no zero byte (i + 3 < size). Read
    // little-endian, the lowest byte the zero-byte test flags is the first E8 (flags above it may be false).
    const v = view.getInt32(i, true) ^ 0xe8e8e8e8;
    const zeros = (v - 0x01010101) & ~v & 0x80808080;
    if (zeros === 0) {
      i += 4;
      continue;
    }
    i += (31 - Math.clz32(zeros & -zeros)) >> 3;
    if (i >= limit) break;
    const target = view.getInt32(i + 1, true);
    if (target >= 0 ? target < E8_FILE_SIZE : target >= -i) {
      view.setInt32(i + 1, target >= 0 ? target - i : target + E8_FILE_SIZE, true);
    }
    i += 5;
  }
}
