/**
 * LZMS chunk decoder. Microsoft never documented LZMS; the description used
 * here is wimlib's (src/lzms_decompress.c, its long opening comment above all,
 * src/lzms_common.c and include/wimlib/lzms_constants.h), and the names are
 * its names.
 *
 * One chunk is read from both ends at once, in 16-bit little-endian units:
 *   - from the front, forwards: a binary range coder (lzms_range_decoder),
 *     whose bits choose between item kinds, each with an adaptive probability
 *     picked by the recent bits of its own decision class (main, match, LZ,
 *     LZ-repeat, delta, delta-repeat);
 *   - from the back, backwards: a bitstream (lzms_input_bitstream) holding
 *     the symbols of five adaptive Huffman codes (literal, LZ offset, length,
 *     delta offset, delta power) and verbatim extra bits, high bit first.
 * An item is a literal byte, an LZ match (length, offset) or a delta match
 * (length, power, raw offset), a match's source either explicit or one of the
 * three most recently used. After the last item the x86 filter, which made
 * relative call and jump targets absolute before compression, is undone.
 *
 * A chunk stored raw (stored size equal to the chunk's size, wimlib
 * resource.c) is the resource reader's business: this decoder is only handed
 * compressed chunks.
 *
 * Both streams are bounded: the range decoder may not read past the chunk's
 * end, the bitstream not past its start, and, because wimlib's compressor
 * (lzms_finalize) packs the two streams end to end, together they may not
 * claim more than the chunk's bytes. Every loop is bounded by the output's
 * length or a fixed table size; all tables are made at construction.
 */
import { FormatError } from '../../io/format-error.ts';
import type { ChunkDecoder } from './codec.ts';

const CODE = 'LZMS_CORRUPT';
const STRUCTURE = 'LZMS chunk';

/** Chunk sizes accepted: 2^15 up to 2^26, the largest Microsoft's implementation accepts (lzms_constants.h, LZMS_MAX_BUFFER_SIZE's comment). */
const MIN_CHUNK_SIZE = 1 << 15;
const MAX_CHUNK_SIZE = 1 << 26;

/*
 * Probabilities (lzms_constants.h, lzms_common.h). Each probability entry
 * remembers the last 64 bits decoded with it; the chance of a 0 is the number
 * of zeros among them over 64, kept within 1/64..63/64. Initially the 64 bits
 * are 0x0000000055555555 (48 zeros). Which entry of a decision class is used
 * is the class's state: its last 4 (main), 5 (match) or 6 (all others) bits.
 */
const PROBABILITY_BITS = 6;
const PROBABILITY_DENOMINATOR = 1 << PROBABILITY_BITS;
const INITIAL_PROBABILITY = 48;
const INITIAL_RECENT_BITS_LOW = 0x55555555;

/*
 * The decision classes, in the order lzms_decompress.c's main loop asks
 * them: main (literal or match), match (LZ or delta), LZ (explicit or
 * repeat), the first and second LZ-repeat decisions, then the same three for
 * delta matches. Each has 2^k probability entries, k being how many of its
 * recent bits its state keeps (LZMS_NUM_*_PROBS); all entries live in one
 * table, each class from its own base.
 */
const DECISION_MATCH = 1;
const NUM_DECISIONS = 8;
const NUM_MAIN_PROBS = 16; // the main class: entries 0..15
const DECISION_PROBS_COUNT = Int32Array.of(16, 32, 64, 64, 64, 64, 64, 64);
const DECISION_PROBS_BASE = new Int32Array(NUM_DECISIONS);
for (let i = 1; i < NUM_DECISIONS; i++) DECISION_PROBS_BASE[i] = DECISION_PROBS_BASE[i - 1]! + DECISION_PROBS_COUNT[i - 1]!;
const NUM_PROBS = DECISION_PROBS_BASE[NUM_DECISIONS - 1]! + DECISION_PROBS_COUNT[NUM_DECISIONS - 1]!;

/*
 * What the decisions lead to: an item kind. The repeat kinds are three in a
 * row, one per queue entry.
 */
const ITEM_LZ = 1;
const ITEM_LZ_REPEAT = 2; // 2, 3, 4
const ITEM_DELTA = 5;
const ITEM_DELTA_REPEAT = 6; // 6, 7, 8
/**
 * The decision tree (lzms_decompress.c, lzms_decompress's item loop): for
 * class c and bit b, entry 2c + b is the next class asked, or -1 - kind when
 * the item's kind is known.
 */
const DECISION_NEXT = Int8Array.of(
  -1 /* a literal, decided before the loop */, 1, // main: literal, or ask match
  2, 5, // match: ask LZ, or ask delta
  -1 - ITEM_LZ, 3, // LZ: explicit offset, or ask the first LZ-repeat decision
  -1 - ITEM_LZ_REPEAT, 4, // first LZ-repeat: entry 0, or ask the second
  -1 - (ITEM_LZ_REPEAT + 1), -1 - (ITEM_LZ_REPEAT + 2), // second LZ-repeat: entry 1 or 2
  -1 - ITEM_DELTA, 6, // delta: explicit (power, raw offset), or ask the first delta-repeat decision
  -1 - ITEM_DELTA_REPEAT, 7, // first delta-repeat: entry 0, or ask the second
  -1 - (ITEM_DELTA_REPEAT + 1), -1 - (ITEM_DELTA_REPEAT + 2), // second delta-repeat: entry 1 or 2
); // prettier-ignore

/*
 * The Huffman codes (lzms_constants.h): alphabet sizes and how many symbols
 * are decoded with a code before it is rebuilt from its symbols' frequencies.
 * The offset codes have one symbol per offset slot the chunk's size needs.
 */
const NUM_LITERAL_SYMS = 256;
const NUM_LENGTH_SYMS = 54;
const NUM_DELTA_POWER_SYMS = 8;
const MAX_NUM_OFFSET_SYMS = 799;
const LITERAL_CODE_REBUILD_FREQ = 1024;
const LZ_OFFSET_CODE_REBUILD_FREQ = 1024;
const LENGTH_CODE_REBUILD_FREQ = 512;
const DELTA_OFFSET_CODE_REBUILD_FREQ = 1024;
const DELTA_POWER_CODE_REBUILD_FREQ = 512;
/** No LZMS codeword is longer (lzms_constants.h: guaranteed by the frequency halving). */
const MAX_CODEWORD_LENGTH = 15;
/**
 * Root table sizes: codewords up to this long decode in one lookup, longer
 * ones by the canonical code's first-codeword bounds. They only affect speed;
 * these are wimlib's LZMS_*_TABLEBITS.
 */
const LITERAL_TABLE_BITS = 10;
const LENGTH_TABLE_BITS = 9;
const LZ_OFFSET_TABLE_BITS = 11;
const DELTA_OFFSET_TABLE_BITS = 11;
const DELTA_POWER_TABLE_BITS = 7;

/*
 * Offset and length slots (lzms_common.c): slot s stands for base[s] plus
 * extra[s] verbatim bits, base[0] = 1 and base[s + 1] = base[s] + 2^extra[s].
 * The extra bit counts are given below as runs (count, bits), which rebuild
 * lzms_extra_offset_bits and lzms_extra_length_bits exactly; the bases follow.
 */
const OFFSET_EXTRA_BIT_RUNS = [
  [8, 0], [9, 2], [7, 3], [10, 4], [15, 5], [15, 6], [20, 7], [20, 8], [30, 9], [33, 10], [40, 11],
  [42, 12], [45, 13], [60, 14], [73, 15], [80, 16], [85, 17], [95, 18], [105, 19], [6, 20], [1, 30],
] as const; // prettier-ignore
const LENGTH_EXTRA_BIT_RUNS = [
  [26, 0], [4, 1], [6, 2], [4, 3], [5, 4], [2, 5], [1, 6], [1, 7], [1, 8], [1, 9], [1, 10], [1, 16], [1, 30],
] as const; // prettier-ignore

function slotTables(runs: readonly (readonly [number, number])[]): { base: Int32Array; extra: Uint8Array } {
  const count = runs.reduce((n, [c]) => n + c, 0);
  const base = new Int32Array(count + 1);
  const extra = new Uint8Array(count);
  let slot = 0;
  base[0] = 1;
  for (const [c, bits] of runs) {
    for (let i = 0; i < c; i++, slot++) {
      extra[slot] = bits;
      base[slot + 1] = base[slot]! + 2 ** bits;
    }
  }
  return { base, extra };
}

const OFFSET_SLOTS = slotTables(OFFSET_EXTRA_BIT_RUNS);
const OFFSET_SLOT_BASE = OFFSET_SLOTS.base;
const EXTRA_OFFSET_BITS = OFFSET_SLOTS.extra;
const LENGTH_SLOTS = slotTables(LENGTH_EXTRA_BIT_RUNS);
const LENGTH_SLOT_BASE = LENGTH_SLOTS.base;
const EXTRA_LENGTH_BITS = LENGTH_SLOTS.extra;

/** lzms_get_num_offset_slots: the slots needed for every offset in a chunk of `size` bytes (none below 2 bytes). */
function numOffsetSlots(size: number): number {
  if (size < 2) return 0;
  let slot = 0;
  while (OFFSET_SLOT_BASE[slot + 1]! <= size - 1) slot++;
  return slot + 1;
}

/*
 * x86 filter (lzms_common.c, lzms_x86_filter): opcodes that may start a
 * relative-addressing instruction, and the filter's windows.
 */
const X86_ID_WINDOW_SIZE = 65535;
const X86_MAX_TRANSLATION_OFFSET = 1023;
const X86_POTENTIAL_OPCODE = new Uint8Array(256);
for (const op of [0x48, 0x4c, 0xe8, 0xe9, 0xf0, 0xff]) X86_POTENTIAL_OPCODE[op] = 1;

function corrupt(message: string, at: number, position: number): FormatError {
  return new FormatError(CODE, message, STRUCTURE, at + position);
}

/**
 * Scratch space shared by the five codes for building a code: one code is
 * rebuilt at a time.
 */
class HuffmanScratch {
  /** Symbols by increasing (frequency, symbol). */
  readonly byFrequency = new Uint16Array(MAX_NUM_OFFSET_SYMS);
  /** Counting sort of frequencies. */
  readonly frequencyStart = new Int32Array(MAX_NUM_OFFSET_SYMS + 1);
  /** Their frequencies, in that order. */
  readonly leafFrequency = new Int32Array(MAX_NUM_OFFSET_SYMS);
  /** The tree's internal nodes, in the order they are made: frequency, parent, depth. */
  readonly nodeFrequency = new Int32Array(MAX_NUM_OFFSET_SYMS);
  readonly nodeParent = new Int32Array(MAX_NUM_OFFSET_SYMS);
  readonly nodeDepth = new Int32Array(MAX_NUM_OFFSET_SYMS);
}

/**
 * One adaptive Huffman code (lzms_decompress.c, "there are 5 different
 * Huffman codes"): built from frequencies that start at 1, rebuilt after
 * every `rebuildFrequency` symbols, the frequencies halved after each rebuild
 * (lzms_dilute_symbol_frequencies: f → f/2 + 1).
 *
 * The code must be exactly the one wimlib's make_canonical_huffman_code
 * (compress_common.c) makes, since the compressor builds the same one: the
 * classic Huffman tree over symbols sorted by (frequency, symbol), ties
 * between a leaf and an internal node going to the leaf; codeword lengths
 * handed out from the tree's depth counts, longest to the symbols first in
 * that order; codewords canonical (by length, then symbol).
 */
class AdaptiveHuffmanCode {
  numSyms = 0;
  /** Symbols left to decode before the next rebuild. */
  untilRebuild = 0;
  readonly freqs: Int32Array;
  readonly lens: Uint8Array;
  /**
   * Indexed by the next `tableBits` bits: (symbol << 4) | codeword length for
   * codewords up to `tableBits` long, 0 where a longer codeword starts.
   */
  readonly table: Uint16Array;
  /** Symbols in canonical order (by codeword length, then symbol). */
  readonly canonical: Uint16Array;
  /** Per codeword length: how many codewords, the first codeword, its symbol's index in `canonical`. */
  readonly lengthCount = new Int32Array(MAX_CODEWORD_LENGTH + 2);
  readonly firstCodeword = new Int32Array(MAX_CODEWORD_LENGTH + 1);
  readonly firstIndex = new Int32Array(MAX_CODEWORD_LENGTH + 1);

  constructor(
    maxSyms: number,
    readonly rebuildFrequency: number,
    readonly tableBits: number,
    private readonly scratch: HuffmanScratch,
  ) {
    this.freqs = new Int32Array(maxSyms);
    this.lens = new Uint8Array(maxSyms);
    this.table = new Uint16Array(1 << tableBits);
    this.canonical = new Uint16Array(maxSyms);
  }

  /** lzms_init_huffman_code: every frequency 1. */
  reset(numSyms: number): void {
    this.numSyms = numSyms;
    this.freqs.fill(1, 0, numSyms);
    this.lens.fill(0);
    this.assignLengths();
    this.buildTable();
    this.untilRebuild = this.rebuildFrequency;
  }

  /**
   * lzms_rebuild_huffman_code: build from the counts so far, then halve them.
   * The tables are only remade when a codeword length changed: the same
   * lengths make the same canonical code.
   */
  rebuild(): void {
    if (this.assignLengths()) this.buildTable();
    this.untilRebuild = this.rebuildFrequency;
    const freqs = this.freqs;
    for (let sym = 0; sym < this.numSyms; sym++) freqs[sym] = (freqs[sym]! >>> 1) + 1;
  }

  /** Codeword lengths as make_canonical_huffman_code gives them (see the class comment); whether any changed. */
  private assignLengths(): boolean {
    const n = this.numSyms;
    const lens = this.lens;
    const counts = this.lengthCount;
    counts.fill(0);
    // One symbol still gets a 1-bit codeword (0); none, no codeword at all. Frequencies never
    // reach 0, so with two symbols or more every symbol gets a codeword.
    if (n < 2) {
      if (n === 1) {
        lens[0] = 1;
        counts[1] = 1;
      }
      return true;
    }
    const s = this.scratch;
    const sorted = this.sortByFrequency();
    const freqs = this.freqs;
    const leafFreq = s.leafFrequency;
    for (let i = 0; i < n; i++) leafFreq[i] = freqs[sorted[i]!]!;
    const nodeFreq = s.nodeFrequency;
    const parent = s.nodeParent;
    // The tree: leaves in sorted order and internal nodes in creation order
    // are both nondecreasing, so the two lowest nodes are always at the heads
    // of these two queues; a leaf wins a tie.
    let leaf = 0;
    let orphan = 0; // oldest internal node without a parent yet
    for (let made = 0; made < n - 1; made++) {
      let sum: number;
      if (leaf < n && (orphan === made || leafFreq[leaf]! <= nodeFreq[orphan]!)) {
        sum = leafFreq[leaf++]!;
      } else {
        sum = nodeFreq[orphan]!;
        parent[orphan++] = made;
      }
      if (leaf < n && (orphan === made || leafFreq[leaf]! <= nodeFreq[orphan]!)) {
        sum += leafFreq[leaf++]!;
      } else {
        sum += nodeFreq[orphan]!;
        parent[orphan++] = made;
      }
      nodeFreq[made] = sum;
    }
    // Length counts from the internal nodes' depths, the root (node n - 2)
    // first: start from two leaves under the root, then each internal node
    // turns one leaf of its depth into two one deeper. A node at depth 15 or
    // more is placed at the deepest length that still has a leaf (wimlib's
    // length limit; LZMS frequencies never reach it).
    const depth = s.nodeDepth;
    depth[n - 2] = 0;
    counts[1] = 2;
    for (let node = n - 3; node >= 0; node--) {
      const d = depth[parent[node]!]! + 1;
      depth[node] = d;
      let len = d;
      if (len >= MAX_CODEWORD_LENGTH) {
        len = MAX_CODEWORD_LENGTH - 1;
        while (counts[len] === 0) len--;
      }
      counts[len]!--;
      counts[len + 1]! += 2;
    }
    // Longest codewords to the least frequent symbols.
    let changed = false;
    let i = 0;
    for (let len = MAX_CODEWORD_LENGTH; len >= 1; len--) {
      for (let c = counts[len]!; c > 0; c--) {
        const sym = sorted[i++]!;
        if (lens[sym] !== len) {
          lens[sym] = len;
          changed = true;
        }
      }
    }
    return changed;
  }

  /**
   * The symbols by increasing frequency, then symbol. A stable counting sort
   * on the frequency, with every frequency from n - 1 up in one bucket that
   * is then sorted by insertion (as wimlib's sort_symbols does, with a heap):
   * the frequencies add up to at most about 2 × (n + rebuild frequency), so
   * that bucket holds a few symbols at most.
   */
  private sortByFrequency(): Uint16Array {
    const n = this.numSyms;
    const freqs = this.freqs;
    const start = this.scratch.frequencyStart;
    const sorted = this.scratch.byFrequency;
    const last = n - 1;
    start.fill(0, 0, n + 1);
    for (let sym = 0; sym < n; sym++) start[Math.min(freqs[sym]!, last) + 1]!++;
    for (let f = 1; f <= n; f++) start[f]! += start[f - 1]!;
    const overflow = start[last]!;
    for (let sym = 0; sym < n; sym++) sorted[start[Math.min(freqs[sym]!, last)]!++] = sym;
    for (let i = overflow + 1; i < n; i++) {
      const sym = sorted[i]!;
      const f = freqs[sym]!;
      let j = i;
      // Symbols arrive in increasing order, so a tie never moves.
      for (; j > overflow && freqs[sorted[j - 1]!]! > f; j--) sorted[j] = sorted[j - 1]!;
      sorted[j] = sym;
    }
    return sorted;
  }

  /** The canonical code's tables: the root lookup and, for longer codewords, the first codeword of each length. */
  private buildTable(): void {
    const n = this.numSyms;
    const lens = this.lens;
    const counts = this.lengthCount;
    const first = this.firstCodeword;
    const index = this.firstIndex;
    const canonical = this.canonical;
    let codeword = 0;
    let at = 0;
    for (let len = 1; len <= MAX_CODEWORD_LENGTH; len++) {
      first[len] = codeword;
      index[len] = at;
      codeword = (codeword + counts[len]!) << 1;
      at += counts[len]!;
    }
    // Canonical order: by length, then symbol (zero-length symbols have no codeword).
    const cursor = this.scratch.nodeDepth; // free again once lengths are assigned
    for (let len = 1; len <= MAX_CODEWORD_LENGTH; len++) cursor[len] = index[len]!;
    for (let sym = 0; sym < n; sym++) {
      const len = lens[sym]!;
      if (len !== 0) canonical[cursor[len]!++] = sym;
    }
    // Root table: in canonical order, codewords up to tableBits long fill
    // consecutive runs of 2^(tableBits - length) entries from the start.
    const table = this.table;
    const tableBits = this.tableBits;
    let entry = 0;
    for (let len = 1; len <= tableBits; len++) {
      const run = 1 << (tableBits - len);
      for (let i = index[len]!, end = i + counts[len]!; i < end; i++) {
        const value = (canonical[i]! << 4) | len;
        for (const stop = entry + run; entry < stop; entry++) table[entry] = value;
      }
    }
    for (const size = table.length; entry < size; entry++) table[entry] = 0;
  }
}

/** How many items of each kind the last chunk held (for tests: which paths real data takes). */
export interface LzmsItemCounts {
  literals: number;
  lzMatches: number;
  lzRepeatMatches: number;
  deltaMatches: number;
  deltaRepeatMatches: number;
}

export class LzmsDecoder implements ChunkDecoder {
  /** Counts of the last chunk decoded (complete only when it decoded without error). */
  readonly items: LzmsItemCounts = { literals: 0, lzMatches: 0, lzRepeatMatches: 0, deltaMatches: 0, deltaRepeatMatches: 0 };

  /** Probability entries: zeros among the last 64 bits, and those bits (high and low halves, newest bit lowest). */
  private readonly probZeros = new Int32Array(NUM_PROBS);
  private readonly probHigh = new Int32Array(NUM_PROBS);
  private readonly probLow = new Int32Array(NUM_PROBS);
  /** Each decision class's state: its recent bits, newest lowest. */
  private readonly decisionStates = new Int32Array(NUM_DECISIONS);

  private readonly literalCode: AdaptiveHuffmanCode;
  private readonly lzOffsetCode: AdaptiveHuffmanCode;
  private readonly lengthCode: AdaptiveHuffmanCode;
  private readonly deltaOffsetCode: AdaptiveHuffmanCode;
  private readonly deltaPowerCode: AdaptiveHuffmanCode;

  /** lzms_x86_filter's last_target_usages: where each 16-bit target was last referenced. */
  private readonly lastTargetUsages = new Int32Array(65536);
  /** The output's buffer as a DataView, for copies four bytes at a time; made again only when the caller's buffer changes. */
  private outputView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  constructor(readonly maxChunkSize: number) {
    if (!Number.isInteger(maxChunkSize) || maxChunkSize < MIN_CHUNK_SIZE || maxChunkSize > MAX_CHUNK_SIZE || (maxChunkSize & (maxChunkSize - 1)) !== 0) {
      throw new FormatError(
        'LZMS_CHUNK_SIZE',
        `LZMS chunk size ${maxChunkSize} is not a power of two from ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE}`,
        'WIM header',
        null,
      );
    }
    const scratch = new HuffmanScratch();
    const offsetSyms = numOffsetSlots(maxChunkSize);
    this.literalCode = new AdaptiveHuffmanCode(NUM_LITERAL_SYMS, LITERAL_CODE_REBUILD_FREQ, LITERAL_TABLE_BITS, scratch);
    this.lzOffsetCode = new AdaptiveHuffmanCode(offsetSyms, LZ_OFFSET_CODE_REBUILD_FREQ, LZ_OFFSET_TABLE_BITS, scratch);
    this.lengthCode = new AdaptiveHuffmanCode(NUM_LENGTH_SYMS, LENGTH_CODE_REBUILD_FREQ, LENGTH_TABLE_BITS, scratch);
    this.deltaOffsetCode = new AdaptiveHuffmanCode(offsetSyms, DELTA_OFFSET_CODE_REBUILD_FREQ, DELTA_OFFSET_TABLE_BITS, scratch);
    this.deltaPowerCode = new AdaptiveHuffmanCode(NUM_DELTA_POWER_SYMS, DELTA_POWER_CODE_REBUILD_FREQ, DELTA_POWER_TABLE_BITS, scratch);
  }

  decompress(input: Uint8Array, output: Uint8Array, at: number): void {
    const size = output.length;
    if (size > this.maxChunkSize) throw corrupt(`a chunk of ${size} bytes is larger than the ${this.maxChunkSize}-byte chunk size`, at, 0);
    // lzms_decompress: the data is 16-bit units, and the range decoder starts with two of them.
    if (input.length & 1) throw corrupt(`${input.length} bytes of compressed data: LZMS data is whole 16-bit units`, at, input.length - 1);
    if (input.length < 4) throw corrupt(`${input.length} bytes of compressed data: the range decoder alone starts with 4`, at, 0);
    if (size === 0) return;
    this.resetModels(size);
    this.decodeItems(input, output, at);
    undoX86Filter(output, this.lastTargetUsages);
  }

  /** Probabilities, states and codes as lzms_decompress sets them up for each chunk. */
  private resetModels(size: number): void {
    this.probZeros.fill(INITIAL_PROBABILITY);
    this.probHigh.fill(0);
    this.probLow.fill(INITIAL_RECENT_BITS_LOW);
    this.decisionStates.fill(0);
    const offsetSlots = numOffsetSlots(size);
    this.literalCode.reset(NUM_LITERAL_SYMS);
    this.lzOffsetCode.reset(offsetSlots);
    this.lengthCode.reset(NUM_LENGTH_SYMS);
    this.deltaOffsetCode.reset(offsetSlots);
    this.deltaPowerCode.reset(NUM_DELTA_POWER_SYMS);
  }

  /**
   * The item loop (lzms_decompress's main loop), in one function so that the
   * range decoder (range, code, forward) and the backward bitstream
   * (bitBuffer, bitsLeft, backward) live in local variables:
   *
   *   1. range-decode decisions down the decision tree to the item's kind;
   *   2. a literal: one symbol of the literal code;
   *   3. a match: its Huffman-coded fields (power and offset when explicit,
   *      then the length), its source, the checks, the copy;
   *   4. the repeat queues' delayed update.
   *
   * Rare work goes to methods: rebuilding a code, decoding a codeword longer
   * than its root table, long copies, the errors.
   */
  private decodeItems(input: Uint8Array, output: Uint8Array, at: number): void {
    const inputEnd = input.length;
    const size = output.length;
    const probZeros = this.probZeros;
    const probHigh = this.probHigh;
    const probLow = this.probLow;
    const states = this.decisionStates;
    const literalCode = this.literalCode;
    const literalTable = literalCode.table;
    const literalFreqs = literalCode.freqs;
    if (this.outputView.buffer !== output.buffer) this.outputView = new DataView(output.buffer);
    const view = this.outputView;
    const viewBase = output.byteOffset;

    // lzms_range_decoder_init: the range is all ones, the code the first two units (the first one high).
    let range = 0xffffffff;
    let code = ((input[1]! << 24) | (input[0]! << 16) | (input[3]! << 8) | input[2]!) >>> 0;
    let forward = 4;
    // lzms_input_bitstream_init: nothing read yet, from the end backwards. Bits are left-aligned in bitBuffer.
    let bitBuffer = 0;
    let bitsLeft = 0;
    let backward = inputEnd;

    // Repeat queues, most recent first: three usable entries and a fourth that a delayed insertion
    // can push out. The last item's source joins its queue's front only after the next item
    // (lzms_decompress.c: "inserting anything to the front of the queue must be delayed by one
    // LZMS item"; lzms_compress.c, lzms_update_lru_queues). Initially 1, 2, 3, 4; a delta source
    // is packed as raw offset × 8 + power, initially power 0 with raw offsets 1 to 4. 0 is none.
    let lz0 = 1, lz1 = 2, lz2 = 3, lz3 = 4; // prettier-ignore
    let delta0 = 8, delta1 = 16, delta2 = 24, delta3 = 32; // prettier-ignore
    let pendingLz = 0;
    let pendingDelta = 0;

    let matchBytes = 0;
    let lzMatches = 0;
    let lzRepeats = 0;
    let deltaMatches = 0;
    let deltaRepeats = 0;
    let literalsUntilRebuild = literalCode.untilRebuild;
    let mainState = 0;
    let pos = 0;
    while (pos < size) {
      // 1. The main decision (lzms_decode_bit): literal (0) or match (1). Its state is kept here;
      // the other decisions are taken in a loop below, with the same steps.
      const zeros = probZeros[mainState]!;
      // 0/64 and 64/64 are not allowed: 1/64 and 63/64 instead.
      const prob = zeros === 0 ? 1 : zeros === PROBABILITY_DENOMINATOR ? PROBABILITY_DENOMINATOR - 1 : zeros;
      // Keep the range above 0xffff: shift in the next unit.
      if (range < 0x10000) {
        if (forward + 2 > inputEnd) throw corrupt("the range decoder reads past the chunk's end", at, inputEnd - 1);
        range = (range << 16) >>> 0;
        code = ((code << 16) | input[forward]! | (input[forward + 1]! << 8)) >>> 0;
        forward += 2;
      }
      const bound = Math.imul(range >>> PROBABILITY_BITS, prob) >>> 0;
      // The entry forgets its oldest bit and remembers the new one.
      const high = probHigh[mainState]!;
      const low = probLow[mainState]!;
      probHigh[mainState] = (high << 1) | (low >>> 31);
      if (code < bound) {
        range = bound;
        probZeros[mainState] = zeros + (high >>> 31);
        probLow[mainState] = low << 1;
        mainState = (mainState << 1) & (NUM_MAIN_PROBS - 1);

        // 2. A literal (lzms_decode_literal): refill to at least 16 bits, look the codeword up.
        if (bitsLeft < 16) {
          backward -= 2;
          if (backward < 0) throw corrupt("the Huffman bitstream reads past the chunk's start", at, 0);
          bitBuffer |= (input[backward]! | (input[backward + 1]! << 8)) << (16 - bitsLeft);
          bitsLeft += 16;
        }
        let literal = literalTable[bitBuffer >>> (32 - LITERAL_TABLE_BITS)]!;
        if (literal === 0) literal = this.decodeLongCodeword(literalCode, bitBuffer >>> (32 - MAX_CODEWORD_LENGTH), at, usedFrom(inputEnd, backward, bitsLeft));
        bitBuffer <<= literal & 15;
        bitsLeft -= literal & 15;
        literal >>>= 4;
        literalFreqs[literal]!++;
        if (--literalsUntilRebuild === 0) {
          literalCode.rebuild();
          literalsUntilRebuild = literalCode.untilRebuild;
        }
        output[pos++] = literal;
        // 4. The last item's source, if any, joins its queue (a match leaves one source, LZ or delta).
        if ((pendingLz | pendingDelta) !== 0) {
          if (pendingLz !== 0) {
            lz3 = lz2;
            lz2 = lz1;
            lz1 = lz0;
            lz0 = pendingLz;
            pendingLz = 0;
          } else {
            delta3 = delta2;
            delta2 = delta1;
            delta1 = delta0;
            delta0 = pendingDelta;
            pendingDelta = 0;
          }
        }
        continue;
      }
      range = (range - bound) >>> 0;
      code = (code - bound) >>> 0;
      probZeros[mainState] = zeros + (high >>> 31) - 1;
      probLow[mainState] = (low << 1) | 1;
      mainState = ((mainState << 1) | 1) & (NUM_MAIN_PROBS - 1);

      // The match's kind: decisions down the tree from the match decision, as above.
      let decision = DECISION_MATCH;
      let next: number;
      do {
        const state = states[decision]!;
        const index = DECISION_PROBS_BASE[decision]! + state;
        const zeros = probZeros[index]!;
        const prob = zeros === 0 ? 1 : zeros === PROBABILITY_DENOMINATOR ? PROBABILITY_DENOMINATOR - 1 : zeros;
        if (range < 0x10000) {
          if (forward + 2 > inputEnd) throw corrupt("the range decoder reads past the chunk's end", at, inputEnd - 1);
          range = (range << 16) >>> 0;
          code = ((code << 16) | input[forward]! | (input[forward + 1]! << 8)) >>> 0;
          forward += 2;
        }
        const bound = Math.imul(range >>> PROBABILITY_BITS, prob) >>> 0;
        let bit = 0;
        if (code < bound) {
          range = bound;
        } else {
          range = (range - bound) >>> 0;
          code = (code - bound) >>> 0;
          bit = 1;
        }
        const high = probHigh[index]!;
        const low = probLow[index]!;
        probZeros[index] = zeros + (high >>> 31) - bit;
        probHigh[index] = (high << 1) | (low >>> 31);
        probLow[index] = (low << 1) | bit;
        states[decision] = ((state << 1) | bit) & (DECISION_PROBS_COUNT[decision]! - 1);
        next = DECISION_NEXT[2 * decision + bit]!;
        decision = next;
      } while (next >= 0);
      const item = -1 - next;

      // 3. A match. Its Huffman-coded fields, in stream order: an explicit delta match's power,
      // an explicit match's offset slot and extra bits, then every match's length slot and extra bits.
      const isDelta = item >= ITEM_DELTA;
      const explicit = item === ITEM_LZ || item === ITEM_DELTA;
      let field = !explicit ? FIELD_LENGTH : isDelta ? FIELD_POWER : FIELD_OFFSET;
      let power = 0;
      let explicitOffset = 0;
      let value = 0;
      for (;;) {
        const huffman =
          field === FIELD_LENGTH ? this.lengthCode : field === FIELD_POWER ? this.deltaPowerCode : isDelta ? this.deltaOffsetCode : this.lzOffsetCode;
        if (bitsLeft < 16) {
          backward -= 2;
          if (backward < 0) throw corrupt("the Huffman bitstream reads past the chunk's start", at, 0);
          bitBuffer |= (input[backward]! | (input[backward + 1]! << 8)) << (16 - bitsLeft);
          bitsLeft += 16;
        }
        let symbol = huffman.table[bitBuffer >>> (32 - huffman.tableBits)]!;
        if (symbol === 0) symbol = this.decodeLongCodeword(huffman, bitBuffer >>> (32 - MAX_CODEWORD_LENGTH), at, usedFrom(inputEnd, backward, bitsLeft));
        bitBuffer <<= symbol & 15;
        bitsLeft -= symbol & 15;
        symbol >>>= 4;
        huffman.freqs[symbol]!++;
        if (--huffman.untilRebuild === 0) huffman.rebuild();
        if (field === FIELD_POWER) {
          power = symbol;
          field = FIELD_OFFSET;
          continue;
        }
        // A slot: its base, plus its extra bits (up to 30), read in pieces of at most 16.
        let extra: number;
        if (field === FIELD_LENGTH) {
          value = LENGTH_SLOT_BASE[symbol]!;
          extra = EXTRA_LENGTH_BITS[symbol]!;
        } else {
          value = OFFSET_SLOT_BASE[symbol]!;
          extra = EXTRA_OFFSET_BITS[symbol]!;
        }
        while (extra > 0) {
          if (bitsLeft < 16) {
            backward -= 2;
            if (backward < 0) throw corrupt("the Huffman bitstream reads past the chunk's start", at, 0);
            bitBuffer |= (input[backward]! | (input[backward + 1]! << 8)) << (16 - bitsLeft);
            bitsLeft += 16;
          }
          // More than 16: the high bits first, then 16 more.
          const piece = extra > 16 ? extra - 16 : extra;
          extra -= piece;
          value += (bitBuffer >>> (32 - piece)) * (extra === 0 ? 1 : 0x10000);
          bitBuffer <<= piece;
          bitsLeft -= piece;
        }
        if (field === FIELD_LENGTH) break;
        explicitOffset = value;
        field = FIELD_LENGTH;
      }
      const length = value;
      if (length > size - pos) {
        throw corrupt(`a match of length ${length} at position ${pos} runs past the chunk's end (${size} bytes)`, at, usedFrom(inputEnd, backward, bitsLeft));
      }

      // The source: explicit, or taken out of its queue (the entries behind it move up).
      let lzSource = 0;
      let deltaSource = 0;
      if (!isDelta) {
        if (explicit) {
          lzSource = explicitOffset;
          lzMatches++;
        } else {
          const entry = item - ITEM_LZ_REPEAT;
          if (entry === 0) {
            lzSource = lz0;
            lz0 = lz1;
            lz1 = lz2;
          } else if (entry === 1) {
            lzSource = lz1;
            lz1 = lz2;
          } else {
            lzSource = lz2;
          }
          lz2 = lz3;
          lzRepeats++;
        }
        if (lzSource > pos) {
          throw corrupt(`match offset ${lzSource} at position ${pos} reaches before the chunk's start`, at, usedFrom(inputEnd, backward, bitsLeft));
        }
        copyMatch(output, view, viewBase, pos, lzSource, length);
      } else {
        if (explicit) {
          deltaSource = explicitOffset * 8 + power;
          deltaMatches++;
        } else {
          const entry = item - ITEM_DELTA_REPEAT;
          if (entry === 0) {
            deltaSource = delta0;
            delta0 = delta1;
            delta1 = delta2;
          } else if (entry === 1) {
            deltaSource = delta1;
            delta1 = delta2;
          } else {
            deltaSource = delta2;
          }
          delta2 = delta3;
          deltaRepeats++;
        }
        const span = 1 << (deltaSource & 7);
        const offset = (deltaSource >>> 3) * span;
        if (offset + span > pos) {
          throw corrupt(
            `delta match (offset ${offset}, span ${span}) at position ${pos} reaches before the chunk's start`,
            at,
            usedFrom(inputEnd, backward, bitsLeft),
          );
        }
        copyDeltaMatch(output, pos, offset, span, length);
      }
      pos += length;
      matchBytes += length;

      // 4. The last item's source joins its queue; this one's waits.
      if (pendingLz !== 0) {
        lz3 = lz2;
        lz2 = lz1;
        lz1 = lz0;
        lz0 = pendingLz;
      }
      if (pendingDelta !== 0) {
        delta3 = delta2;
        delta2 = delta1;
        delta1 = delta0;
        delta0 = pendingDelta;
      }
      pendingLz = lzSource;
      pendingDelta = deltaSource;
    }

    literalCode.untilRebuild = literalsUntilRebuild;
    checkStreamsMeet(inputEnd, forward, backward, bitsLeft, at);
    const items = this.items;
    items.literals = size - matchBytes;
    items.lzMatches = lzMatches;
    items.lzRepeatMatches = lzRepeats;
    items.deltaMatches = deltaMatches;
    items.deltaRepeatMatches = deltaRepeats;
  }

  /**
   * A codeword longer than the code's root table, found with the first
   * codeword of each longer length. Returns (symbol << 4) | length, as a
   * root table entry does.
   */
  private decodeLongCodeword(huffman: AdaptiveHuffmanCode, next15: number, at: number, position: number): number {
    for (let len = huffman.tableBits + 1; len <= MAX_CODEWORD_LENGTH; len++) {
      const k = (next15 >>> (MAX_CODEWORD_LENGTH - len)) - huffman.firstCodeword[len]!;
      if (k >= 0 && k < huffman.lengthCount[len]!) return (huffman.canonical[huffman.firstIndex[len]! + k]! << 4) | len;
    }
    // Only a code of fewer than two symbols is incomplete (the offset codes of 1- and 2-byte chunks).
    throw corrupt(`no codeword of a ${huffman.numSyms}-symbol code starts with these bits`, at, position);
  }
}

/** The Huffman-coded fields of a match, in the order they are read. */
const FIELD_POWER = 0;
const FIELD_OFFSET = 1;
const FIELD_LENGTH = 2;

/** Bytes the bitstream has used from the chunk's end, in whole units. */
function backwardBytesUsed(inputEnd: number, backward: number, bitsLeft: number): number {
  return Math.ceil(((inputEnd - backward) * 8 - bitsLeft) / 16) * 2;
}

/** Chunk byte where the unit holding the bitstream's last used bit starts. */
function usedFrom(inputEnd: number, backward: number, bitsLeft: number): number {
  return Math.min(inputEnd - 1, Math.max(0, inputEnd - backwardBytesUsed(inputEnd, backward, bitsLeft)));
}

/**
 * The range-coded units come first and the bitstream's last, so what the two
 * decoders used may not overlap: wimlib's compressor writes them end to end
 * (lzms_finalize). The range decoder's last two units are only its 32-bit
 * look-ahead window, which an encoder may leave partly unwritten (wimlib's
 * writes a spare unit beyond it), so they may reach into the bitstream's.
 */
function checkStreamsMeet(inputEnd: number, forward: number, backward: number, bitsLeft: number, at: number): void {
  const backwardBytes = backwardBytesUsed(inputEnd, backward, bitsLeft);
  if (forward - RANGE_LOOKAHEAD_BYTES + backwardBytes > inputEnd) {
    throw corrupt(
      `the range-coded data (first ${forward} bytes) and the Huffman-coded data (last ${backwardBytes} bytes) overlap in ${inputEnd} bytes`,
      at,
      inputEnd - backwardBytes,
    );
  }
}

/** The range decoder's code register: two units read ahead. */
const RANGE_LOOKAHEAD_BYTES = 4;

/**
 * A delta match (lzms_decompress.c): each byte is its source's, `offset`
 * back, plus the difference the span makes there (A = B + C - D), one byte
 * at a time since the sequences may overlap.
 */
function copyDeltaMatch(output: Uint8Array, pos: number, offset: number, span: number, length: number): void {
  for (const end = pos + length; pos < end; pos++) {
    output[pos] = output[pos - offset]! + output[pos - span]! - output[pos - offset - span]!;
  }
}

/**
 * An LZ copy from `offset` bytes back; source and destination may overlap,
 * repeating the last `offset` bytes. With a source at least 4 bytes back,
 * 4 bytes at a time (through `view`, the output's buffer, at `base`): each
 * word read is already final. The last word may run past the match, never
 * past the output; what it writes there is decoded again afterwards.
 */
function copyMatch(output: Uint8Array, view: DataView, base: number, pos: number, offset: number, length: number): void {
  const end = pos + length;
  if (length < 64) {
    if (offset >= 4 && end + 3 <= output.length) {
      for (let from = base + pos - offset, to = base + pos, stop = base + end; to < stop; from += 4, to += 4)
        view.setInt32(to, view.getInt32(from, true), true);
    } else {
      for (let i = pos - offset; pos < end;) output[pos++] = output[i++]!;
    }
  } else if (offset === 1) {
    output.fill(output[pos - 1]!, pos, end);
  } else {
    // Copy the period, then doubling runs of it: each run's source is already written.
    const from = pos - offset;
    let run = offset;
    for (let done = 0; done < length; run *= 2) {
      const n = Math.min(run, length - done);
      output.copyWithin(pos + done, from, from + n);
      done += n;
    }
  }
}

/**
 * Undo the x86 filter (lzms_x86_filter with undo = true, lzms_common.c).
 * The compressor made the 32-bit relative operand of likely x86 instructions
 * absolute (operand + position); this subtracts the position again. Which
 * operands were changed is decided from the data itself, the same way in
 * both directions: a position is "in x86 code" for 1023 bytes (511 after a
 * call) after an instruction whose 16-bit target was referenced within the
 * previous 65535 bytes. The first byte and the last 16 are never opcodes.
 */
function undoX86Filter(data: Uint8Array, lastTargetUsages: Int32Array): void {
  const size = data.length;
  if (size <= 17) return;
  lastTargetUsages.fill(-X86_ID_WINDOW_SIZE - 1);
  let lastX86Pos = -X86_MAX_TRANSLATION_OFFSET - 1;
  const tail = size - 16;
  let i = 1;
  while (i < tail) {
    const op = data[i]!;
    if (X86_POTENTIAL_OPCODE[op] === 0) {
      i++;
      continue;
    }
    let opcodeBytes = 0;
    let maxTranslationOffset = X86_MAX_TRANSLATION_OFFSET;
    if (op >= 0xf0) {
      if (op & 0x0f) {
        if (data[i + 1] === 0x15) opcodeBytes = 2; // 0xFF 0x15: call indirect, RIP-relative
      } else if (data[i + 1] === 0x83 && data[i + 2] === 0x05) {
        opcodeBytes = 3; // 0xF0 0x83 0x05: lock add, RIP-relative
      }
    } else if (op <= 0x4c) {
      // REX.W prefix: LEA, or MOV under extra conditions, with a ModR/M byte whose R/M says RIP-relative (wimlib notes the 0x07 mask is the format's own).
      const opcode = data[i + 1]!;
      const modrm = data[i + 2]!;
      if ((modrm & 0x07) === 0x05 && (opcode === 0x8d || (opcode === 0x8b && (op & 0x04) === 0 && (modrm & 0xf0) === 0))) opcodeBytes = 3;
    } else if (op & 0x01) {
      // 0xE9, jump relative: never translated, and its operand is skipped.
      i += 5;
      continue;
    } else {
      // 0xE8, call relative: translated only closer to other x86 evidence.
      opcodeBytes = 1;
      maxTranslationOffset >>= 1;
    }
    if (opcodeBytes === 0) {
      i++;
      continue;
    }
    const operand = i + opcodeBytes;
    if (i - lastX86Pos <= maxTranslationOffset) {
      const absolute = data[operand]! | (data[operand + 1]! << 8) | (data[operand + 2]! << 16) | (data[operand + 3]! << 24);
      const relative = (absolute - i) | 0;
      data[operand] = relative;
      data[operand + 1] = relative >>> 8;
      data[operand + 2] = relative >>> 16;
      data[operand + 3] = relative >>> 24;
    }
    const target16 = (i + (data[operand]! | (data[operand + 1]! << 8))) & 0xffff;
    const end = operand + 3;
    if (end - lastTargetUsages[target16]! <= X86_ID_WINDOW_SIZE) lastX86Pos = end;
    lastTargetUsages[target16] = end;
    i = operand + 4;
  }
}
