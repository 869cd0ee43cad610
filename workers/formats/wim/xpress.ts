/**
 * XPRESS Huffman chunk decoder: Microsoft's "LZ77+Huffman" ([MS-XCA] §2.1
 * format, §2.2 decompression) as WIM resources store it.
 *
 * One chunk is one stream ([MS-XCA] §2.1):
 *   +0    256 bytes  the Huffman table: 512 4-bit codeword lengths, symbol
 *                    2i in the low nibble of byte i, 2i+1 in the high nibble
 *   +256  ...        the bitstream: 16-bit little-endian words read from the
 *                    high bit down, with whole bytes (match length
 *                    extensions) interleaved between the words
 * Symbols 0–255 are literal bytes; a symbol 256–511 is a match whose low 4
 * bits are the length header and high 4 bits the offset's bit length.
 *
 * [MS-XCA] §2.2.4 decodes a stream of 65536-byte blocks, each with a new
 * table. A WIM chunk is at most 65536 bytes (wimlib xpress_decompress.c
 * refuses a larger block; Microsoft writes 32768, wimlib 4096–65536), so it
 * is exactly one such block: one table, then symbols until the chunk's known
 * size is full. The end-of-data symbol 256 that compressors append for
 * WIMGAPI's sake ([MS-XCA] §2.2.4; wimlib xpress_compress.c) lies past that
 * point and is not read, as wimlib does not read it either.
 *
 * A chunk stored raw (stored size equal to the chunk's size, wimlib
 * resource.c) is the resource reader's business: this decoder is only handed
 * compressed chunks.
 */
import { FormatError } from '../../io/format-error.ts';
import type { ChunkDecoder } from './codec.ts';

const CODE = 'XPRESS_CORRUPT';
const STRUCTURE = 'XPRESS chunk';

/** [MS-XCA] §2.1: 512 symbols, 256 of them literals, their codeword lengths packed in 256 bytes. */
const NUM_SYMBOLS = 512;
const NUM_LITERALS = 256;
const TABLE_BYTES = NUM_SYMBOLS / 2;
/** [MS-XCA] §2.2.4: codewords are 1 to 15 bits (a 4-bit length; 0 means unused). */
const MAX_CODEWORD_LENGTH = 15;
const CODE_SPACE = 1 << MAX_CODEWORD_LENGTH;
/** [MS-XCA] §2.2.4: MatchLength + 3. */
const MIN_MATCH_LENGTH = 3;

/**
 * Decoding is two-level: the next ROOT_BITS bits index the root table, which
 * holds every codeword up to ROOT_BITS long; a longer codeword's entry points
 * to a subtable indexed by the bits after them. 11 bits keeps the root table
 * (2048 entries) cheap to fill for every chunk while nearly every symbol of
 * real data decodes in one lookup (wimlib's XPRESS_TABLEBITS is 11 too).
 */
const ROOT_BITS = 11;
const ROOT_SIZE = 1 << ROOT_BITS;
/**
 * Root table plus the largest total of subtables a complete code of 512
 * symbols, ≤ 15 bits, can need with an 11-bit root: 2566 entries, as zlib's
 * `enough` utility computes (quoted in wimlib include/wimlib/decompress_common.h,
 * DECODE_TABLE_ENOUGH(512, 11, 15)).
 */
const DECODE_TABLE_SIZE = 2566;

/*
 * A decode table entry is (value << 4) | bits. In a leaf, value is the symbol
 * and bits the codeword's length. In a root entry that points to a subtable,
 * value is the subtable's index and bits the number of bits indexing it;
 * subtables lie after the root, so a pointer's value is ≥ ROOT_SIZE > any
 * symbol: an entry ≥ ROOT_SIZE << 4 is a pointer.
 */

/** How decodeSymbols stopped (faultError names each). */
const NO_FAULT = 0;
const FAULT_CUT_SHORT = 1;
const FAULT_LENGTH_WORD = 2;
const FAULT_OFFSET = 3;
const FAULT_LENGTH = 4;

/** Chunk sizes wimlib writes for XPRESS (wimlib.h: 2^12 to 2^16; Microsoft's is 32768). */
const MIN_CHUNK_SIZE = 1 << 12;
const MAX_CHUNK_SIZE = 1 << 16;

export class XpressDecoder implements ChunkDecoder {
  /** The 512 codeword lengths of the chunk being decoded. */
  private readonly lengths = new Uint8Array(NUM_SYMBOLS);
  /** How many symbols have each codeword length, 0..15. */
  private readonly lengthCounts = new Uint16Array(MAX_CODEWORD_LENGTH + 1);
  /** Scratch for the canonical sort: where the next symbol of each length goes. */
  private readonly sortCursor = new Uint16Array(MAX_CODEWORD_LENGTH + 1);
  /** The used symbols in canonical order (by length, then symbol value). */
  private readonly sortedSymbols = new Uint16Array(NUM_SYMBOLS);
  private readonly decodeTable = new Int32Array(DECODE_TABLE_SIZE);
  private outputView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  /** Where decodeSymbols stopped at a fault: its input position and bit count, output position, and the bad length or offset. */
  private faultPosition = 0;
  private faultExtraBits = 0;
  private faultOut = 0;
  private faultValue = 0;

  constructor(readonly maxChunkSize: number) {
    if (!Number.isInteger(maxChunkSize) || maxChunkSize < MIN_CHUNK_SIZE || maxChunkSize > MAX_CHUNK_SIZE || (maxChunkSize & (maxChunkSize - 1)) !== 0) {
      throw new FormatError(
        'XPRESS_CHUNK_SIZE',
        `XPRESS chunk size ${maxChunkSize} is not a power of two from ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE}`,
        'WIM header',
        null,
      );
    }
  }

  decompress(input: Uint8Array, output: Uint8Array, at: number): void {
    if (output.length > this.maxChunkSize) {
      throw corrupt(`a chunk of ${output.length} bytes is larger than the ${this.maxChunkSize}-byte chunk size`, at, 0);
    }
    if (output.length === 0) return;
    if (input.length < TABLE_BYTES) {
      throw corrupt(`the chunk's ${input.length} bytes are shorter than its ${TABLE_BYTES}-byte Huffman table`, at, input.length);
    }
    this.readCodeLengths(input, at);
    this.buildDecodeTable();
    const fault = this.decodeSymbols(input, output, this.viewOn(output.buffer));
    // A decode that filled the output may still have used bits past the input's end.
    if (fault !== NO_FAULT || ranPastEnd(this.faultPosition, this.faultExtraBits, input.length)) {
      throw this.faultError(fault, input.length, output.length, at);
    }
  }

  /** [MS-XCA] §2.1: unpack the 4-bit lengths and check they make a complete prefix code. */
  private readCodeLengths(input: Uint8Array, at: number): void {
    const lengths = this.lengths;
    const counts = this.lengthCounts;
    counts.fill(0);
    for (let i = 0; i < TABLE_BYTES; i++) {
      const byte = input[i]!;
      lengths[2 * i] = byte & 15;
      lengths[2 * i + 1] = byte >>> 4;
      counts[byte & 15]!++;
      counts[byte >>> 4]!++;
    }
    if (counts[0] === NUM_SYMBOLS) throw corrupt('every Huffman code length is 0: the table codes no symbol', at, 0);
    // Kraft sum in units of 2^-15: a codeword of length L takes 2^(15-L) of the 2^15 code space.
    let used = 0;
    for (let length = 1; length <= MAX_CODEWORD_LENGTH; length++) used += counts[length]! << (MAX_CODEWORD_LENGTH - length);
    if (used > CODE_SPACE) {
      throw corrupt('Huffman code lengths over-subscribe the code', at, this.overSubscribedByte());
    }
    // [MS-XCA] §2.2.4 rejects a table whose codewords do not fill all 2^15 entries of its decoding table.
    if (used < CODE_SPACE) {
      throw corrupt(`Huffman code lengths leave the code incomplete (${used} of ${CODE_SPACE} codes of 15 bits)`, at, 0);
    }
  }

  /** The table byte whose length first takes the code space past full, in symbol order. */
  private overSubscribedByte(): number {
    let used = 0;
    for (let symbol = 0; symbol < NUM_SYMBOLS; symbol++) {
      const length = this.lengths[symbol]!;
      if (length !== 0) used += 1 << (MAX_CODEWORD_LENGTH - length);
      if (used > CODE_SPACE) return symbol >>> 1;
    }
    return 0;
  }

  /**
   * The canonical code ([MS-XCA] §2.2.4: codewords in order of length, then
   * of symbol value) as a two-level table. Codewords are read high bit first,
   * so each codeword covers one contiguous run of entries, and in canonical
   * order those runs follow one another from entry 0: the table fills front
   * to back, tracked by a cursor over the 2^15 code space.
   */
  private buildDecodeTable(): void {
    const lengths = this.lengths;
    const counts = this.lengthCounts;
    const sorted = this.sortedSymbols;
    const cursor = this.sortCursor;
    const table = this.decodeTable;

    cursor[1] = 0;
    for (let length = 1; length < MAX_CODEWORD_LENGTH; length++) cursor[length + 1] = cursor[length]! + counts[length]!;
    for (let symbol = 0; symbol < NUM_SYMBOLS; symbol++) {
      const length = lengths[symbol]!;
      if (length !== 0) sorted[cursor[length]!++] = symbol;
    }
    const used = NUM_SYMBOLS - counts[0]!;

    // Codewords of up to ROOT_BITS bits: 2^(ROOT_BITS - length) root entries each.
    let i = 0;
    let space = 0; // position in the 2^15 code space of the next codeword
    for (; i < used; i++) {
      const symbol = sorted[i]!;
      const length = lengths[symbol]!;
      if (length > ROOT_BITS) break;
      const first = space >>> (MAX_CODEWORD_LENGTH - ROOT_BITS);
      const entry = (symbol << 4) | length;
      for (let e = first, end = first + (1 << (ROOT_BITS - length)); e < end; e++) table[e] = entry;
      space += 1 << (MAX_CODEWORD_LENGTH - length);
    }

    // Longer codewords, grouped by their first ROOT_BITS bits: one subtable per group,
    // indexed by as many bits as the group's longest codeword has past the root (the
    // group's last, as codewords are sorted by length).
    let next = ROOT_SIZE;
    while (i < used) {
      const prefix = space >>> (MAX_CODEWORD_LENGTH - ROOT_BITS);
      let end = i;
      let groupSpace = space;
      while (end < used && groupSpace >>> (MAX_CODEWORD_LENGTH - ROOT_BITS) === prefix) {
        groupSpace += 1 << (MAX_CODEWORD_LENGTH - lengths[sorted[end]!]!);
        end++;
      }
      const subtableBits = lengths[sorted[end - 1]!]! - ROOT_BITS;
      table[prefix] = (next << 4) | subtableBits;
      for (; i < end; i++) {
        const symbol = sorted[i]!;
        const length = lengths[symbol]!;
        const entry = (symbol << 4) | length;
        const extra = length - ROOT_BITS;
        for (let stop = next + (1 << (subtableBits - extra)); next < stop; next++) table[next] = entry;
      }
      space = groupSpace;
    }
  }

  /**
   * [MS-XCA] §2.2.4's loop, with its bit buffer: NextBits holds the next bits
   * from its top bit down, 16 of them plus ExtraBitCount (0..15) more. It
   * starts with two words and takes the next whenever a codeword or an offset
   * leaves fewer than 16. That schedule is part of the format: a match's
   * length bytes are read from wherever it has left the input position, so a
   * word must be taken exactly then, never earlier.
   *
   * Words past the input's end read as zero: the lookahead reaches there at
   * the stream's end. A decode that consumed any of those bits ran past the
   * stream (ranPastEnd).
   */
  private decodeSymbols(input: Uint8Array, output: Uint8Array, view: DataView): number {
    // The hot loop's constants are function-local literals (typed as the
    // module's, so the two cannot drift apart): TurboFan folds these into the
    // code, while a module-level const is read from the module context at
    // every use (the difference measured: bench/RESULTS.md, "Figures behind
    // choices in the code").
    const rootBits: typeof ROOT_BITS = 11;
    const rootShift = 32 - rootBits; // NextBits' top ROOT_BITS bits index the root table
    const subtablePointer = (1 << rootBits) << 4; // ROOT_SIZE << 4: entries from here up point to subtables

    const table = this.decodeTable;
    const base = output.byteOffset;
    const inputLength = input.length;
    const outputLength = output.length;

    let position = TABLE_BYTES; // [MS-XCA] CurrentPosition
    let nextBits = 0; // [MS-XCA] NextBits
    let extraBits = 16; // [MS-XCA] ExtraBitCount
    for (let w = 0; w < 2; w++) {
      nextBits = (nextBits << 16) | (position + 1 < inputLength ? input[position]! | (input[position + 1]! << 8) : 0);
      position += 2;
    }

    let out = 0;
    while (out < outputLength) {
      // Literals, until a match symbol. One table lookup by NextBits' top bits,
      // a second in a subtable for a longer codeword (the leaf holds its full length).
      let symbol = 0;
      for (;;) {
        let entry = table[nextBits >>> rootShift]!;
        if (entry >= subtablePointer) entry = table[(entry >>> 4) + ((nextBits << rootBits) >>> (32 - (entry & 15)))]!;
        const codewordLength = entry & 15;
        nextBits <<= codewordLength;
        extraBits -= codewordLength;
        // The next word when due, without a branch: whether it is due follows the
        // codeword lengths, which a branch predictor cannot follow. `due` is -1
        // when fewer than 16 bits are left, else 0.
        {
          const word = position + 1 < inputLength ? input[position]! | (input[position + 1]! << 8) : 0;
          const due = extraBits >> 31;
          nextBits |= (word & due) << (-extraBits & 15);
          position += due & 2;
          extraBits += due & 16;
        }
        symbol = entry >>> 4;
        if (symbol >= NUM_LITERALS) break;
        output[out++] = symbol;
        if (out === outputLength) break;
      }
      if (symbol < NUM_LITERALS) break;

      // Match ([MS-XCA] §2.2.4): length header 15 continues in a byte; a byte of
      // 255 in a 16-bit word, the whole length less 3.
      let length = symbol & 15;
      if (length === 15) {
        if (position >= inputLength) return this.stop(FAULT_CUT_SHORT, inputLength, extraBits, out, 0);
        length += input[position++]!;
        if (length === 15 + 255) {
          if (position + 2 > inputLength) return this.stop(FAULT_CUT_SHORT, inputLength, extraBits, out, 0);
          length = input[position]! | (input[position + 1]! << 8);
          // [MS-XCA] §2.2.4: "If MatchLength < 15 ... The compressed data is invalid."
          if (length < 15) return this.stop(FAULT_LENGTH_WORD, position, extraBits, out, length);
          position += 2;
        }
      }
      length += MIN_MATCH_LENGTH;

      // The offset: its highest bit implied by the symbol, the bits below it
      // read (shifted in two steps, so that 0 bits read 0, not all 32).
      const offsetBits = (symbol >>> 4) & 15;
      const offset = (1 << offsetBits) | ((nextBits >>> 1) >>> (31 - offsetBits));
      nextBits <<= offsetBits;
      extraBits -= offsetBits;
      {
        const word = position + 1 < inputLength ? input[position]! | (input[position + 1]! << 8) : 0;
        const due = extraBits >> 31;
        nextBits |= (word & due) << (-extraBits & 15);
        position += due & 2;
        extraBits += due & 16;
      }

      if (offset > out) return this.stop(FAULT_OFFSET, position, extraBits, out, offset);
      if (length > outputLength - out) return this.stop(FAULT_LENGTH, position, extraBits, out, length);
      copyMatch(output, view, base, out, offset, length);
      out += length;
    }
    return this.stop(NO_FAULT, position, extraBits, out, 0);
  }

  /**
   * Where decodeSymbols stopped, kept for faultError. Errors are made outside
   * the hot loop: built inside, their code bloats its compiled form, and the
   * loop slows down once its error paths have run.
   */
  private stop(fault: number, position: number, extraBits: number, out: number, value: number): number {
    this.faultPosition = position;
    this.faultExtraBits = extraBits;
    this.faultOut = out;
    this.faultValue = value;
    return fault;
  }

  /**
   * The error for a fault decodeSymbols stopped at. If the decode had run into
   * the zeros past the input's end, the stream was cut short: that is the
   * fault to name, rather than what the zeros decoded to. A fault in the
   * bitstream is named at the input position the decoder had reached (the
   * faulty symbol's bits lie in the 16-bit words just before it).
   */
  private faultError(fault: number, inputLength: number, outputLength: number, at: number): FormatError {
    const position = this.faultPosition;
    const out = this.faultOut;
    const value = this.faultValue;
    if (fault === FAULT_CUT_SHORT || ranPastEnd(position, this.faultExtraBits, inputLength)) {
      return corrupt(`the stream ends before the chunk's ${outputLength} bytes are decoded (at output byte ${out})`, at, inputLength);
    }
    if (fault === FAULT_LENGTH_WORD) return corrupt(`16-bit match length ${value} is below 15`, at, position);
    if (fault === FAULT_OFFSET) return corrupt(`match offset ${value} reaches before the chunk's start (at output byte ${out})`, at, position);
    return corrupt(`match of ${value} bytes at output byte ${out} runs past the chunk's end (${outputLength} bytes)`, at, position);
  }

  /** A DataView on the output's buffer, for copyMatch; made again only when a caller hands another buffer. */
  private viewOn(buffer: ArrayBufferLike): DataView {
    if (this.outputView.buffer !== buffer) this.outputView = new DataView(buffer);
    return this.outputView;
  }
}

/**
 * Copy `length` bytes from `offset` back, in order: where the match overlaps
 * its own output that repeats the last `offset` bytes ([MS-XCA] §2.2.4 copies
 * byte by byte). A short match with offset ≥ 4 moves 4 bytes at a time, 16 or
 * 32 bytes in all: each 4 bytes read were written before, and bytes written
 * past the match are written again by what follows, so this needs only room
 * in the output; an offset below 4, or the chunk's end near, go byte by byte;
 * a long match goes through native copies.
 */
function copyMatch(output: Uint8Array, view: DataView, base: number, out: number, offset: number, length: number): void {
  // offset ≥ 1 (its top bit is implied) and ≤ out, length ≥ 3 and ≤ what is left of the output: checked by the caller.
  let from = out - offset;
  if (offset >= 4 && length <= 32 && out + 32 <= output.length) {
    copy16(view, base + out, base + from);
    if (length > 16) copy16(view, base + out + 16, base + from + 16);
  } else if (length < 32) {
    for (const stop = out + length; out < stop;) output[out++] = output[from++]!;
  } else if (offset === 1) {
    output.fill(output[from]!, out, out + length);
  } else {
    // What is already there repeats every `offset` bytes: copy as much of it as
    // lies before `out` (all of the match when it does not overlap), then
    // again from the same start, twice as much each time: no copy overlaps.
    for (const stop = out + length; out < stop;) {
      const n = Math.min(out - from, stop - out);
      output.copyWithin(out, from, from + n);
      out += n;
    }
  }
}

/** 16 bytes from `from` to `to` (offsets in the view), 4 at a time, in order. */
function copy16(view: DataView, to: number, from: number): void {
  view.setUint32(to, view.getUint32(from, true), true);
  view.setUint32(to + 4, view.getUint32(from + 4, true), true);
  view.setUint32(to + 8, view.getUint32(from + 8, true), true);
  view.setUint32(to + 12, view.getUint32(from + 12, true), true);
}

/**
 * Whether the decode has consumed bits of the zero words read past the
 * input's end. Such words are read only at the end, one after another (a
 * length byte there is an error at once), so their count follows from the
 * input position: every word that started at or after the input's last byte.
 */
function ranPastEnd(position: number, extraBits: number, inputLength: number): boolean {
  const missingWords = Math.max(0, (position - inputLength + 1) >> 1);
  return 16 + extraBits < 16 * missingWords;
}

function corrupt(message: string, at: number, position: number): FormatError {
  return new FormatError(CODE, message, STRUCTURE, at + position);
}
