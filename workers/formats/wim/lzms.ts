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
 * three most recently used. After the last item the x86 filter is undone:
 * before compressing, the 32-bit relative operands of likely x86 calls and
 * RIP-relative instructions were made absolute.
 *
 * A chunk stored raw (stored size equal to the chunk's size, wimlib
 * resource.c) is the resource reader's business: this decoder is only handed
 * compressed chunks.
 *
 * Both streams are bounded: the range decoder may not read past the chunk's
 * end, the bitstream not past its start, and, because wimlib's compressor
 * (lzms_finalize) packs the two streams end to end, together they may not
 * claim more than the chunk's bytes (checkStreamsMeet). Every loop is bounded
 * by the output's length or a fixed table size; all tables are made at
 * construction.
 */
import { FormatError } from '../../io/format-error.ts';
import type { ChunkDecoder } from './codec.ts';

const CODE = 'LZMS_CORRUPT';
const STRUCTURE = 'LZMS chunk';

/** Chunk sizes accepted: 2^15 up to 2^26, the largest Microsoft's implementation accepts (lzms_constants.h, LZMS_MAX_BUFFER_SIZE's comment). */
const MIN_CHUNK_SIZE = 1 << 15;
const MAX_CHUNK_SIZE = 1 << 26;

/* eslint-disable @typescript-eslint/no-duplicate-enum-values -- these enums name numbers, some equal, rather than enumerate */

/**
 * The format's constants (include/wimlib/lzms_constants.h: LZMS_<name>).
 * They, and the decoder's own layout constants below, are const enums so
 * that each use compiles to the number itself: V8 loads a module-level const
 * from memory at every use, and these are used in the hottest loop.
 */
const enum LZMS {
  /*
   * Probabilities (lzms_common.h): each probability entry remembers the last
   * 64 bits decoded with it; the chance of a 0 is the number of zeros among
   * them over 64, kept within 1/64..63/64. Initially the 64 bits are
   * 0x0000000055555555 (48 zeros).
   */
  PROBABILITY_BITS = 6,
  PROBABILITY_DENOMINATOR = 64,
  INITIAL_PROBABILITY = 48,
  INITIAL_RECENT_BITS_LOW = 0x55555555,
  /** Entries of the main decision class: its state is its last 4 bits. */
  NUM_MAIN_PROBS = 16,
  /*
   * The Huffman codes: alphabet sizes (the offset codes have one symbol per
   * offset slot the chunk's size needs), and how many symbols are decoded
   * with a code before it is rebuilt from its symbols' frequencies.
   */
  NUM_LITERAL_SYMS = 256,
  NUM_LENGTH_SYMS = 54,
  NUM_DELTA_POWER_SYMS = 8,
  MAX_NUM_OFFSET_SYMS = 799,
  LITERAL_CODE_REBUILD_FREQ = 1024,
  LZ_OFFSET_CODE_REBUILD_FREQ = 1024,
  LENGTH_CODE_REBUILD_FREQ = 512,
  DELTA_OFFSET_CODE_REBUILD_FREQ = 1024,
  DELTA_POWER_CODE_REBUILD_FREQ = 512,
  /** No codeword is longer (guaranteed by the frequency halving). */
  MAX_CODEWORD_LENGTH = 15,
  /** The x86 filter's windows (lzms_common.c, lzms_x86_filter). */
  X86_ID_WINDOW_SIZE = 65535,
  X86_MAX_TRANSLATION_OFFSET = 1023,
}

/** The decoder's own layout. */
const enum Layout {
  /*
   * Root table sizes: codewords up to this long decode in one lookup, longer
   * ones by the canonical code's first-codeword bounds. They only affect
   * speed; these are wimlib's LZMS_*_TABLEBITS, but for the offset codes'
   * 10 (wimlib 11): a rebuild fills half the entries, and the few longer
   * codewords cost less than that.
   */
  LITERAL_TABLE_BITS = 10,
  LENGTH_TABLE_BITS = 9,
  LZ_OFFSET_TABLE_BITS = 10,
  DELTA_OFFSET_TABLE_BITS = 10,
  DELTA_POWER_TABLE_BITS = 7,
  /** A probability entry's slots in LzmsDecoder.probs (the fourth is unused: entries start at multiples of 4). */
  PROB_ZEROS = 0,
  PROB_HIGH = 1,
  PROB_LOW = 2,
  PROB_SLOTS = 4,
  /*
   * The decision classes (see DECISION_PROBS_COUNT), by number: main 0,
   * match 1, LZ 2 and its two repeat classes 3 and 4, delta 5 and its two
   * repeat classes 6 and 7. Their first probability entries: main at
   * MAIN_PROBS, match at MATCH_PROBS, class c from 2 on at 64c − 80
   * (CLASS_PROBS_STEP c − CLASS_PROBS_BEFORE); their states' masks.
   */
  MAIN_PROBS = 0,
  DECISION_MATCH = 1,
  MATCH_PROBS = 16,
  MATCH_MASK = 31,
  DECISION_LZ = 2,
  DECISION_DELTA = 5,
  CLASS_PROBS_STEP = 64,
  CLASS_PROBS_BEFORE = 80,
  CLASS_MASK = 63,
  NUM_DECISIONS = 8,
  /** The repeat queues (LzmsDecoder.queues): where each starts, and its three entries and spare. */
  LZ_QUEUE = 0,
  DELTA_QUEUE = 4,
  QUEUE_LENGTH = 4,
  /** The range decoder's code register: two units read ahead. */
  RANGE_LOOKAHEAD_BYTES = 4,
  /** Output bytes decoded per call of decodeItems (a match may end past them). */
  BATCH_BYTES = 65536,
}

/** The decoders' state between batches of items: LzmsDecoder.state's slots. */
const enum State {
  /** The range decoder (lzms_range_decoder): range and code (unsigned, stored as int32), next unit's byte index. */
  RANGE,
  CODE,
  FORWARD,
  /** The backward bitstream (lzms_input_bitstream): bits left-aligned, their count, the last unit read's byte index. */
  BIT_BUFFER,
  BITS_LEFT,
  BACKWARD,
  /** The last match's source, waiting to join its queue (0: none), and which queue. */
  PENDING_SOURCE,
  PENDING_QUEUE,
  /** Literals left before the literal code's next rebuild. */
  LITERALS_UNTIL_REBUILD,
  /** The main decision class's state (the others are in decisionStates). */
  MAIN_STATE,
  /** Output bytes made by matches (the rest are literals). */
  MATCH_BYTES,
  COUNT,
}

/* eslint-enable @typescript-eslint/no-duplicate-enum-values */

/*
 * The decision classes, in the order lzms_decompress.c's main loop asks
 * them: main (literal 0 or match 1), match (LZ 0 or delta 1), LZ (explicit
 * 0 or repeat 1), the first LZ-repeat decision (queue entry 0, or ask the
 * second) and the second (entry 1 or 2), then the same three for delta
 * matches. Each has 2^k probability entries, k being how many of its recent
 * bits its state keeps (LZMS_NUM_*_PROBS: 4 for main, 5 for match, 6 for the
 * others); all entries live in one table, each class from its own base
 * (Layout.MAIN_PROBS and the ones after it).
 */
const DECISION_PROBS_COUNT = [16, 32, 64, 64, 64, 64, 64, 64] as const;

/** Probability entries of all classes. */
const NUM_PROBS = DECISION_PROBS_COUNT.reduce((n, count) => n + count, 0);

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

/**
 * x86 filter (lzms_common.c, lzms_x86_filter): what may start at a position,
 * by its first two bytes (first | second << 8): 0 nothing, else
 * (third-byte mask << 16) | (third byte expected << 8) | kind, where the kind
 * is the number of opcode bytes before the 32-bit operand (1: E8, call
 * relative; 2: FF 15, call indirect RIP-relative; 3: the three-byte ones,
 * whose third byte & mask must be the one expected: F0 83 05, lock add
 * RIP-relative; 48/4C 8D and 48 8B, REX.W then LEA or MOV with a
 * RIP-relative ModR/M, wimlib noting that the mask should have been 0xC7:
 * the format's own quirk; the MOV only without REX.R and with a ModR/M
 * below 0x10) or X86_JUMP (E9, jump relative: its operand is skipped, never
 * translated). mayStart says the same as 0 or 1, in a quarter of the
 * memory, for the scan.
 */
const X86_JUMP = 4;

/** Made on the first chunk decoded, not when the module loads: every start of the CLI loads it, few decode LZMS. */
let x86Tables: { pairs: Int32Array; mayStart: Uint8Array } | null = null;
function makeX86Tables(): { pairs: Int32Array; mayStart: Uint8Array } {
  const pairs = new Int32Array(65536);
  const mayStart = new Uint8Array(65536);
  for (let second = 0; second < 256; second++) {
    pairs[0xe8 | (second << 8)] = 1;
    pairs[0xe9 | (second << 8)] = X86_JUMP;
  }
  pairs[0xff | (0x15 << 8)] = 2;
  pairs[0xf0 | (0x83 << 8)] = (0xff << 16) | (0x05 << 8) | 3;
  pairs[0x48 | (0x8d << 8)] = pairs[0x4c | (0x8d << 8)] = (0x07 << 16) | (0x05 << 8) | 3;
  pairs[0x48 | (0x8b << 8)] = (0xf7 << 16) | (0x05 << 8) | 3;
  for (let pair = 0; pair < 65536; pair++) mayStart[pair] = pairs[pair] === 0 ? 0 : 1;
  return { pairs, mayStart };
}

/**
 * lastTargetUsages' "never": far enough below every position plus epoch
 * (below X86_EPOCH_LIMIT) that no window reaches it, and their differences
 * stay int32.
 */
const X86_NEVER = -(1 << 29);
const X86_EPOCH_LIMIT = 1 << 29;

function corrupt(message: string, at: number, position: number): FormatError {
  return new FormatError(CODE, message, STRUCTURE, at + position);
}

/** Above every frequency (they add up to a few thousand at most; see sortByFrequency), and far below 2^31. */
const HUFFMAN_GUARD = 1 << 30;

/**
 * Scratch space shared by the five codes for building a code: one code is
 * rebuilt at a time.
 */
class HuffmanScratch {
  /** Symbols by increasing (frequency, symbol). */
  readonly byFrequency = new Uint16Array(LZMS.MAX_NUM_OFFSET_SYMS);
  /** Their frequencies, in that order: the Huffman tree's leaves (and a guard after them). */
  readonly leafFrequency = new Int32Array(LZMS.MAX_NUM_OFFSET_SYMS + 1);
  /** The counting sort's buckets. */
  readonly frequencyStart = new Int32Array(LZMS.MAX_NUM_OFFSET_SYMS + 1);
  /** The tree's internal nodes, in the order they are made: frequency, parent, depth. */
  readonly nodeFrequency = new Int32Array(LZMS.MAX_NUM_OFFSET_SYMS);
  readonly nodeParent = new Int32Array(LZMS.MAX_NUM_OFFSET_SYMS);
  readonly nodeDepth = new Int32Array(LZMS.MAX_NUM_OFFSET_SYMS);
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
  /** The same memory, two entries at a time (little-endian or not, both halves are written alike). */
  private readonly table32: Uint32Array;
  /** Symbols in canonical order (by codeword length, then symbol). */
  readonly canonical: Uint16Array;
  /** Per codeword length: how many codewords, the first codeword, its symbol's index in `canonical`. */
  readonly lengthCount = new Int32Array(LZMS.MAX_CODEWORD_LENGTH + 2);
  readonly firstCodeword = new Int32Array(LZMS.MAX_CODEWORD_LENGTH + 1);
  readonly firstIndex = new Int32Array(LZMS.MAX_CODEWORD_LENGTH + 1);
  /** The code reset() makes for `numSyms` symbols (-1: none yet): copies of the arrays above. */
  private readonly initial: {
    numSyms: number;
    lens: Uint8Array;
    table: Uint16Array;
    canonical: Uint16Array;
    lengthCount: Int32Array;
    firstCodeword: Int32Array;
    firstIndex: Int32Array;
  };

  constructor(
    maxSyms: number,
    readonly rebuildFrequency: number,
    readonly tableBits: number,
    private readonly scratch: HuffmanScratch,
  ) {
    this.freqs = new Int32Array(maxSyms);
    this.lens = new Uint8Array(maxSyms);
    this.table = new Uint16Array(1 << tableBits);
    this.table32 = new Uint32Array(this.table.buffer);
    this.initial = {
      numSyms: -1,
      lens: new Uint8Array(maxSyms),
      table: new Uint16Array(1 << tableBits),
      canonical: new Uint16Array(maxSyms),
      lengthCount: new Int32Array(LZMS.MAX_CODEWORD_LENGTH + 2),
      firstCodeword: new Int32Array(LZMS.MAX_CODEWORD_LENGTH + 1),
      firstIndex: new Int32Array(LZMS.MAX_CODEWORD_LENGTH + 1),
    };
    this.canonical = new Uint16Array(maxSyms);
  }

  /**
   * lzms_init_huffman_code: every frequency 1. The code this makes depends
   * on numSyms alone: made once, kept in `initial`, and copied from there
   * for every chunk with as many symbols.
   */
  reset(numSyms: number): void {
    this.numSyms = numSyms;
    this.freqs.fill(1, 0, numSyms);
    this.untilRebuild = this.rebuildFrequency;
    const initial = this.initial;
    if (initial.numSyms !== numSyms) {
      this.lens.fill(0);
      this.assignLengths();
      this.buildTable();
      initial.numSyms = numSyms;
      initial.lens.set(this.lens);
      initial.table.set(this.table);
      initial.canonical.set(this.canonical);
      initial.lengthCount.set(this.lengthCount);
      initial.firstCodeword.set(this.firstCodeword);
      initial.firstIndex.set(this.firstIndex);
      return;
    }
    this.lens.set(initial.lens);
    this.table.set(initial.table);
    this.canonical.set(initial.canonical);
    this.lengthCount.set(initial.lengthCount);
    this.firstCodeword.set(initial.firstCodeword);
    this.firstIndex.set(initial.firstIndex);
  }

  /**
   * lzms_rebuild_huffman_code: build from the counts so far, then halve them
   * (done by sortByFrequency, as it reads them for the last time).
   * The tables are only remade when a codeword length changed: the same
   * lengths make the same canonical code.
   */
  rebuild(): void {
    if (this.assignLengths()) this.buildTable();
    this.untilRebuild = this.rebuildFrequency;
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
        this.freqs[0] = (this.freqs[0]! >>> 1) + 1;
      }
      return true;
    }
    const s = this.scratch;
    const sorted = this.sortByFrequency();
    const leafFreq = s.leafFrequency;
    const nodeFreq = s.nodeFrequency;
    const parent = s.nodeParent;
    // The tree: leaves in sorted order and internal nodes in creation order
    // are both nondecreasing, so the two lowest nodes are always at the heads
    // of these two queues; a leaf wins a tie. Chosen without branches (which
    // data like this mispredicts): past the last leaf, and at the node not
    // made yet, a frequency above all others stands guard; a node's parent is
    // written whether or not it was taken, and again when it is.
    leafFreq[n] = HUFFMAN_GUARD;
    let leaf = 0;
    let orphan = 0; // oldest internal node without a parent yet
    for (let made = 0; made < n - 1; made++) {
      nodeFreq[made] = HUFFMAN_GUARD;
      let leafF = leafFreq[leaf]!;
      let nodeF = nodeFreq[orphan]!;
      let takeNode = (nodeF - leafF) >> 31; // -1 when the node is lower, else 0
      parent[orphan] = made;
      let sum = (nodeF & takeNode) | (leafF & ~takeNode);
      leaf += 1 + takeNode;
      orphan -= takeNode;
      leafF = leafFreq[leaf]!;
      nodeF = nodeFreq[orphan]!;
      takeNode = (nodeF - leafF) >> 31;
      parent[orphan] = made;
      sum += (nodeF & takeNode) | (leafF & ~takeNode);
      leaf += 1 + takeNode;
      orphan -= takeNode;
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
      if (len >= LZMS.MAX_CODEWORD_LENGTH) {
        len = LZMS.MAX_CODEWORD_LENGTH - 1;
        while (counts[len] === 0) len--;
      }
      counts[len]!--;
      counts[len + 1]! += 2;
    }
    // Longest codewords to the least frequent symbols.
    let changed = 0;
    let i = 0;
    for (let len = LZMS.MAX_CODEWORD_LENGTH; len >= 1; len--) {
      for (let c = counts[len]!; c > 0; c--) {
        const sym = sorted[i++]!;
        changed |= lens[sym]! ^ len;
        lens[sym] = len;
      }
    }
    return changed !== 0;
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
    const leafFreq = this.scratch.leafFrequency;
    const last = n - 1;
    start.fill(0, 0, n + 1);
    for (let sym = 0; sym < n; sym++) start[Math.min(freqs[sym]!, last) + 1]!++;
    // Bucket starts (the running sum kept in a register, not reloaded from the last store).
    for (let f = 1, sum = 0; f <= n; f++) {
      sum += start[f]!;
      start[f] = sum;
    }
    const overflow = start[last]!;
    for (let sym = 0; sym < n; sym++) {
      const f = freqs[sym]!;
      const at = start[Math.min(f, last)]!++;
      sorted[at] = sym;
      leafFreq[at] = f;
      // Read for the last time in this rebuild: halved here (lzms_dilute_symbol_frequencies).
      freqs[sym] = (f >>> 1) + 1;
    }
    for (let i = overflow + 1; i < n; i++) {
      const sym = sorted[i]!;
      const f = leafFreq[i]!;
      let j = i;
      // Symbols arrive in increasing order, so a tie never moves.
      for (; j > overflow && leafFreq[j - 1]! > f; j--) {
        sorted[j] = sorted[j - 1]!;
        leafFreq[j] = leafFreq[j - 1]!;
      }
      sorted[j] = sym;
      leafFreq[j] = f;
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
    for (let len = 1; len <= LZMS.MAX_CODEWORD_LENGTH; len++) {
      first[len] = codeword;
      index[len] = at;
      codeword = (codeword + counts[len]!) << 1;
      at += counts[len]!;
    }
    // Canonical order: by length, then symbol (every symbol has a codeword: frequencies never reach 0).
    const cursor = this.scratch.nodeDepth; // free again once lengths are assigned
    for (let len = 1; len <= LZMS.MAX_CODEWORD_LENGTH; len++) cursor[len] = index[len]!;
    for (let sym = 0; sym < n; sym++) canonical[cursor[lens[sym]!]!++] = sym;
    // Root table: in canonical order, codewords up to tableBits long fill
    // consecutive runs of 2^(tableBits - length) entries from the start.
    // A run of two entries or more starts at an even entry: written two at a time through table32.
    const table = this.table;
    const table32 = this.table32;
    const tableBits = this.tableBits;
    let entry = 0;
    let len = 1;
    for (; len < tableBits; len++) {
      const pairs = 1 << (tableBits - len - 1);
      for (let i = index[len]!, end = i + counts[len]!; i < end; i++) {
        const value = (canonical[i]! << 4) | len;
        const twice = value | (value << 16);
        let at = entry >>> 1;
        if (pairs >= 16) table32.fill(twice, at, at + pairs);
        else for (const stop = at + pairs; at < stop; at++) table32[at] = twice;
        entry += pairs * 2;
      }
    }
    for (let i = index[len]!, end = i + counts[len]!; i < end; i++) table[entry++] = (canonical[i]! << 4) | len;
    table.fill(0, entry);
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

  /**
   * The probability entries, four slots each (one table keeps V8's registers
   * free): Layout.PROB_ZEROS, the zeros among the entry's last 64 bits, and
   * Layout.PROB_HIGH and Layout.PROB_LOW, those bits (newest lowest).
   */
  private readonly probs = new Int32Array(NUM_PROBS * Layout.PROB_SLOTS);
  /** Where decodeItems stopped: the decoders' state between batches (indexed by State). */
  private readonly state = new Int32Array(State.COUNT);
  /** Each decision class's state: its recent bits, newest lowest. */
  private readonly decisionStates = new Int32Array(Layout.NUM_DECISIONS);
  /**
   * The repeat queues, most recent first: LZ offsets at Layout.LZ_QUEUE, delta
   * sources (raw offset × 8 + power) at Layout.DELTA_QUEUE. Three usable entries
   * each, and a fourth that a delayed insertion can push out.
   */
  private readonly queues = new Int32Array(2 * Layout.QUEUE_LENGTH);

  private readonly literalCode: AdaptiveHuffmanCode;
  private readonly lzOffsetCode: AdaptiveHuffmanCode;
  private readonly lengthCode: AdaptiveHuffmanCode;
  private readonly deltaOffsetCode: AdaptiveHuffmanCode;
  private readonly deltaPowerCode: AdaptiveHuffmanCode;

  /** lzms_x86_filter's last_target_usages: where each 16-bit target was last referenced, plus x86Epoch. */
  private readonly lastTargetUsages = new Int32Array(65536).fill(X86_NEVER);
  /** What undoX86Filter adds to the positions it keeps in lastTargetUsages for this chunk. */
  private x86Epoch = 0;
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
    this.literalCode = new AdaptiveHuffmanCode(LZMS.NUM_LITERAL_SYMS, LZMS.LITERAL_CODE_REBUILD_FREQ, Layout.LITERAL_TABLE_BITS, scratch);
    this.lzOffsetCode = new AdaptiveHuffmanCode(offsetSyms, LZMS.LZ_OFFSET_CODE_REBUILD_FREQ, Layout.LZ_OFFSET_TABLE_BITS, scratch);
    this.lengthCode = new AdaptiveHuffmanCode(LZMS.NUM_LENGTH_SYMS, LZMS.LENGTH_CODE_REBUILD_FREQ, Layout.LENGTH_TABLE_BITS, scratch);
    this.deltaOffsetCode = new AdaptiveHuffmanCode(offsetSyms, LZMS.DELTA_OFFSET_CODE_REBUILD_FREQ, Layout.DELTA_OFFSET_TABLE_BITS, scratch);
    this.deltaPowerCode = new AdaptiveHuffmanCode(LZMS.NUM_DELTA_POWER_SYMS, LZMS.DELTA_POWER_CODE_REBUILD_FREQ, Layout.DELTA_POWER_TABLE_BITS, scratch);
  }

  decompress(input: Uint8Array, output: Uint8Array, at: number): void {
    const size = output.length;
    if (size > this.maxChunkSize) throw corrupt(`a chunk of ${size} bytes is larger than the ${this.maxChunkSize}-byte chunk size`, at, 0);
    // lzms_decompress: the data is 16-bit units, and the range decoder starts with two of them.
    if (input.length & 1) throw corrupt(`${input.length} bytes of compressed data: LZMS data is whole 16-bit units`, at, input.length - 1);
    if (input.length < 4) throw corrupt(`${input.length} bytes of compressed data: the range decoder alone starts with 4`, at, 0);
    if (size === 0) return;
    this.resetModels(size);
    this.startDecoders(input);
    if (this.outputView.buffer !== output.buffer) this.outputView = new DataView(output.buffer);
    // In batches: a function V8 enters many times gets better machine code than one long
    // loop it can only optimize while running (on-stack replacement).
    for (let pos = 0; pos < size;) pos = this.decodeItems(input, output, at, pos, Math.min(size, pos + Layout.BATCH_BYTES));
    const s = this.state;
    checkStreamsMeet(input.length, s[State.FORWARD]!, s[State.BACKWARD]!, s[State.BITS_LEFT]!, at);
    this.items.literals = size - s[State.MATCH_BYTES]!;
    if (this.x86Epoch > X86_EPOCH_LIMIT) {
      this.lastTargetUsages.fill(X86_NEVER);
      this.x86Epoch = 0;
    }
    undoX86Filter(output, this.outputView, output.byteOffset, this.lastTargetUsages, this.x86Epoch);
    this.x86Epoch += size + LZMS.X86_ID_WINDOW_SIZE + 1;
  }

  /**
   * lzms_range_decoder_init: the range is all ones, the code the first two
   * units (the first one high). lzms_input_bitstream_init: nothing read yet,
   * from the end backwards.
   */
  private startDecoders(input: Uint8Array): void {
    const s = this.state;
    s[State.RANGE] = -1;
    s[State.CODE] = (input[1]! << 24) | (input[0]! << 16) | (input[3]! << 8) | input[2]!;
    s[State.FORWARD] = 4;
    s[State.BIT_BUFFER] = 0;
    s[State.BITS_LEFT] = 0;
    s[State.BACKWARD] = input.length;
    s[State.PENDING_SOURCE] = 0;
    s[State.PENDING_QUEUE] = Layout.LZ_QUEUE;
    s[State.LITERALS_UNTIL_REBUILD] = this.literalCode.untilRebuild;
    s[State.MAIN_STATE] = 0;
    s[State.MATCH_BYTES] = 0;
  }

  /** Probabilities, states, queues and codes as lzms_decompress sets them up for each chunk. */
  private resetModels(size: number): void {
    const probs = this.probs;
    for (let i = 0; i < probs.length; i += Layout.PROB_SLOTS) {
      probs[i + Layout.PROB_ZEROS] = LZMS.INITIAL_PROBABILITY;
      probs[i + Layout.PROB_HIGH] = 0;
      probs[i + Layout.PROB_LOW] = LZMS.INITIAL_RECENT_BITS_LOW;
    }
    this.decisionStates.fill(0);
    // The queues start as offsets 1, 2, 3, 4, and as power 0 with raw offsets 1, 2, 3, 4.
    for (let i = 0; i < Layout.QUEUE_LENGTH; i++) {
      this.queues[Layout.LZ_QUEUE + i] = i + 1;
      this.queues[Layout.DELTA_QUEUE + i] = (i + 1) * 8;
    }
    const offsetSlots = numOffsetSlots(size);
    this.literalCode.reset(LZMS.NUM_LITERAL_SYMS);
    this.lzOffsetCode.reset(offsetSlots);
    this.lengthCode.reset(LZMS.NUM_LENGTH_SYMS);
    this.deltaOffsetCode.reset(offsetSlots);
    this.deltaPowerCode.reset(LZMS.NUM_DELTA_POWER_SYMS);
    const items = this.items;
    items.literals = items.lzMatches = items.lzRepeatMatches = items.deltaMatches = items.deltaRepeatMatches = 0;
  }

  /**
   * The item loop (lzms_decompress's main loop), in one function so that the
   * range decoder (range, code, forward) and the backward bitstream
   * (bitBuffer, bitsLeft, backward) live in local variables:
   *
   *   1. the main decision: literal or match;
   *   2. a literal: one symbol of the literal code. Runs of literals loop
   *      without calling anything, which lets V8 keep that loop's state in
   *      registers: a literal code rebuild or a match leaves it;
   *   3. a match: decisions down the decision tree to its kind, its
   *      Huffman-coded fields (power and offset when explicit, then the
   *      length), its source, the checks, the copy;
   *   4. the repeat queues' delayed update.
   */
  private decodeItems(input: Uint8Array, output: Uint8Array, at: number, pos: number, end: number): number {
    const inputEnd = input.length;
    const size = output.length;
    const probs = this.probs;
    const literalCode = this.literalCode;
    const literalTable = literalCode.table;
    const literalFreqs = literalCode.freqs;
    const view = this.outputView;
    const viewBase = output.byteOffset;
    const s = this.state;
    // Tables as locals: a module-level or field load at every use costs in this loop.
    const states = this.decisionStates;
    const queues = this.queues;
    const lengthCode = this.lengthCode;
    const lzOffsetCode = this.lzOffsetCode;
    const deltaOffsetCode = this.deltaOffsetCode;
    const deltaPowerCode = this.deltaPowerCode;
    // The codes' tables and frequencies stay the same arrays (rebuilt in place).
    const lengthTable = lengthCode.table;
    const lengthFreqs = lengthCode.freqs;
    const lzOffsetTable = lzOffsetCode.table;
    const lzOffsetFreqs = lzOffsetCode.freqs;
    const deltaOffsetTable = deltaOffsetCode.table;
    const deltaOffsetFreqs = deltaOffsetCode.freqs;
    const lengthSlotBase = LENGTH_SLOT_BASE;
    const extraLengthBits = EXTRA_LENGTH_BITS;
    const offsetSlotBase = OFFSET_SLOT_BASE;
    const extraOffsetBits = EXTRA_OFFSET_BITS;

    // The range decoder's range and code are unsigned 32-bit values, held as int32 (`| 0`) and
    // compared as `>>> 0`: values V8 keeps in registers, where a uint32 above 2^31 would become a
    // boxed double. Bits are left-aligned in bitBuffer.
    let range = s[State.RANGE]!;
    let code = s[State.CODE]!;
    let forward = s[State.FORWARD]!;
    let bitBuffer = s[State.BIT_BUFFER]!;
    let bitsLeft = s[State.BITS_LEFT]!;
    let backward = s[State.BACKWARD]!;
    // The last match's source waits to join its queue until after the next item (lzms_decompress.c:
    // "inserting anything to the front of the queue must be delayed by one LZMS item";
    // lzms_compress.c, lzms_update_lru_queues): only a match leaves one, so there is one at most.
    let pendingSource = s[State.PENDING_SOURCE]!; // 0: none
    let pendingQueue = s[State.PENDING_QUEUE]!;
    let literalsUntilRebuild = s[State.LITERALS_UNTIL_REBUILD]!;
    let mainState = s[State.MAIN_STATE]!;
    let matchBytes = s[State.MATCH_BYTES]!;
    // The decision classes' states, the LZ repeat queue and the LZ offset and length codes'
    // countdowns to their rebuilds, in locals for the batch: a typed-array or field access costs a
    // bounds or map check and a memory access each time, a local at most a stack slot. The delta
    // queue and delta codes, seldom used, stay where they are.
    let matchState = states[Layout.DECISION_MATCH]!;
    let lzState = states[Layout.DECISION_LZ]!;
    let lzRepeat0State = states[Layout.DECISION_LZ + 1]!;
    let lzRepeat1State = states[Layout.DECISION_LZ + 2]!;
    let deltaState = states[Layout.DECISION_DELTA]!;
    let deltaRepeat0State = states[Layout.DECISION_DELTA + 1]!;
    let deltaRepeat1State = states[Layout.DECISION_DELTA + 2]!;
    let lz0 = queues[Layout.LZ_QUEUE]!;
    let lz1 = queues[Layout.LZ_QUEUE + 1]!;
    let lz2 = queues[Layout.LZ_QUEUE + 2]!;
    let lz3 = queues[Layout.LZ_QUEUE + 3]!;
    let lzOffsetUntilRebuild = lzOffsetCode.untilRebuild;
    let lengthUntilRebuild = lengthCode.untilRebuild;
    // Matches of each kind in this batch, added to `items` at its end.
    let lzMatches = 0;
    let lzRepeatMatches = 0;
    let deltaMatches = 0;
    let deltaRepeatMatches = 0;
    while (pos < end) {
      // 1-2. Literals, for as long as the main decision says literal: at most `run` (to the literal
      // code's rebuild or the batch's end, whichever comes first), counted in one register.
      let isMatch = false;
      const runStart = Math.min(literalsUntilRebuild, end - pos);
      let run = runStart;
      do {
        // The main decision (lzms_decode_bit): literal (0) or match (1). Its state is kept here;
        // a match's further decisions are taken in a loop below, with the same steps.
        const entry = Layout.MAIN_PROBS + mainState * Layout.PROB_SLOTS;
        const zeros = probs[entry + Layout.PROB_ZEROS]!;
        // 0/64 and 64/64 are not allowed: 1/64 and 63/64 instead (without a branch, as lzms_get_probability).
        const nonzero = zeros + ((zeros - 1) >>> 31);
        const prob = nonzero - (nonzero >> LZMS.PROBABILITY_BITS);
        // Keep the range above 0xffff: shift in the next unit.
        if (range >>> 16 === 0) {
          if (forward + 2 > inputEnd) throw corrupt("the range decoder reads past the chunk's end", at, inputEnd - 1);
          range <<= 16;
          code = (code << 16) | input[forward]! | (input[forward + 1]! << 8);
          forward += 2;
        }
        const bound = Math.imul(range >>> LZMS.PROBABILITY_BITS, prob);
        // The entry forgets its oldest bit and remembers the new one.
        const high = probs[entry + Layout.PROB_HIGH]!;
        const low = probs[entry + Layout.PROB_LOW]!;
        probs[entry + Layout.PROB_HIGH] = (high << 1) | (low >>> 31);
        if (code >>> 0 >= bound >>> 0) {
          range = (range - bound) | 0;
          code = (code - bound) | 0;
          probs[entry + Layout.PROB_ZEROS] = zeros + (high >>> 31) - 1;
          probs[entry + Layout.PROB_LOW] = (low << 1) | 1;
          mainState = ((mainState << 1) | 1) & (LZMS.NUM_MAIN_PROBS - 1);
          isMatch = true;
          break;
        }
        range = bound;
        probs[entry + Layout.PROB_ZEROS] = zeros + (high >>> 31);
        probs[entry + Layout.PROB_LOW] = low << 1;
        mainState = (mainState << 1) & (LZMS.NUM_MAIN_PROBS - 1);

        // A literal (lzms_decode_literal): refill to at least 16 bits, look the codeword up.
        if (bitsLeft < 16) {
          backward -= 2;
          if (backward < 0) throw corrupt("the Huffman bitstream reads past the chunk's start", at, 0);
          bitBuffer |= (input[backward]! | (input[backward + 1]! << 8)) << (16 - bitsLeft);
          bitsLeft += 16;
        }
        let literal = literalTable[bitBuffer >>> (32 - Layout.LITERAL_TABLE_BITS)]!;
        if (literal === 0) literal = longCodeword(literalCode, bitBuffer);
        bitBuffer <<= literal & 15;
        bitsLeft -= literal & 15;
        literal >>>= 4;
        literalFreqs[literal]!++;
        output[pos++] = literal;
      } while (--run !== 0);
      literalsUntilRebuild -= runStart - run;
      // 4. After a literal, the last match's source, if any, joins its queue (the last entry drops
      // out). Done once after the run rather than for each literal: literals never use the queues,
      // so only the next match, below, or the next run can tell the difference.
      if (pendingSource !== 0 && run !== runStart) {
        if (pendingQueue === Layout.LZ_QUEUE) {
          lz3 = lz2;
          lz2 = lz1;
          lz1 = lz0;
          lz0 = pendingSource;
        } else {
          queues[Layout.DELTA_QUEUE + 3] = queues[Layout.DELTA_QUEUE + 2]!;
          queues[Layout.DELTA_QUEUE + 2] = queues[Layout.DELTA_QUEUE + 1]!;
          queues[Layout.DELTA_QUEUE + 1] = queues[Layout.DELTA_QUEUE]!;
          queues[Layout.DELTA_QUEUE] = pendingSource;
        }
        pendingSource = 0;
      }
      if (!isMatch) {
        if (literalsUntilRebuild === 0) {
          literalCode.rebuild();
          literalsUntilRebuild = literalCode.untilRebuild;
        }
        continue;
      }

      // 3. A match. Its kind, by up to four decisions, each as the main one above from its own class:
      // the match decision (LZ 0, delta 1); then that kind's (explicit 0, repeat 1); for a repeat, the
      // first repeat decision (queue entry 0, or ask the second) and the second (entry 1 or 2).
      let bit: number;
      {
        const state = matchState;
        const entry = (Layout.MATCH_PROBS + state) * Layout.PROB_SLOTS;
        const zeros = probs[entry + Layout.PROB_ZEROS]!;
        const nonzero = zeros + ((zeros - 1) >>> 31);
        const prob = nonzero - (nonzero >> LZMS.PROBABILITY_BITS);
        if (range >>> 16 === 0) {
          if (forward + 2 > inputEnd) throw corrupt("the range decoder reads past the chunk's end", at, inputEnd - 1);
          range <<= 16;
          code = (code << 16) | input[forward]! | (input[forward + 1]! << 8);
          forward += 2;
        }
        const bound = Math.imul(range >>> LZMS.PROBABILITY_BITS, prob);
        bit = 0;
        if (code >>> 0 < bound >>> 0) {
          range = bound;
        } else {
          range = (range - bound) | 0;
          code = (code - bound) | 0;
          bit = 1;
        }
        const high = probs[entry + Layout.PROB_HIGH]!;
        const low = probs[entry + Layout.PROB_LOW]!;
        probs[entry + Layout.PROB_ZEROS] = zeros + (high >>> 31) - bit;
        probs[entry + Layout.PROB_HIGH] = (high << 1) | (low >>> 31);
        probs[entry + Layout.PROB_LOW] = (low << 1) | bit;
        matchState = ((state << 1) | bit) & Layout.MATCH_MASK;
      }
      const isDelta = bit === 1;
      // The LZ class, or the delta class three further on; its repeat classes follow it.
      const kind = isDelta ? Layout.DECISION_DELTA : Layout.DECISION_LZ;
      {
        const state = isDelta ? deltaState : lzState;
        const entry = (kind * Layout.CLASS_PROBS_STEP - Layout.CLASS_PROBS_BEFORE + state) * Layout.PROB_SLOTS;
        const zeros = probs[entry + Layout.PROB_ZEROS]!;
        const nonzero = zeros + ((zeros - 1) >>> 31);
        const prob = nonzero - (nonzero >> LZMS.PROBABILITY_BITS);
        if (range >>> 16 === 0) {
          if (forward + 2 > inputEnd) throw corrupt("the range decoder reads past the chunk's end", at, inputEnd - 1);
          range <<= 16;
          code = (code << 16) | input[forward]! | (input[forward + 1]! << 8);
          forward += 2;
        }
        const bound = Math.imul(range >>> LZMS.PROBABILITY_BITS, prob);
        bit = 0;
        if (code >>> 0 < bound >>> 0) {
          range = bound;
        } else {
          range = (range - bound) | 0;
          code = (code - bound) | 0;
          bit = 1;
        }
        const high = probs[entry + Layout.PROB_HIGH]!;
        const low = probs[entry + Layout.PROB_LOW]!;
        probs[entry + Layout.PROB_ZEROS] = zeros + (high >>> 31) - bit;
        probs[entry + Layout.PROB_HIGH] = (high << 1) | (low >>> 31);
        probs[entry + Layout.PROB_LOW] = (low << 1) | bit;
        if (isDelta) deltaState = ((state << 1) | bit) & Layout.CLASS_MASK;
        else lzState = ((state << 1) | bit) & Layout.CLASS_MASK;
      }
      let repeat = -1; // explicit; else the queue entry
      if (bit === 1) {
        {
          const state = isDelta ? deltaRepeat0State : lzRepeat0State;
          const entry = ((kind + 1) * Layout.CLASS_PROBS_STEP - Layout.CLASS_PROBS_BEFORE + state) * Layout.PROB_SLOTS;
          const zeros = probs[entry + Layout.PROB_ZEROS]!;
          const nonzero = zeros + ((zeros - 1) >>> 31);
          const prob = nonzero - (nonzero >> LZMS.PROBABILITY_BITS);
          if (range >>> 16 === 0) {
            if (forward + 2 > inputEnd) throw corrupt("the range decoder reads past the chunk's end", at, inputEnd - 1);
            range <<= 16;
            code = (code << 16) | input[forward]! | (input[forward + 1]! << 8);
            forward += 2;
          }
          const bound = Math.imul(range >>> LZMS.PROBABILITY_BITS, prob);
          bit = 0;
          if (code >>> 0 < bound >>> 0) {
            range = bound;
          } else {
            range = (range - bound) | 0;
            code = (code - bound) | 0;
            bit = 1;
          }
          const high = probs[entry + Layout.PROB_HIGH]!;
          const low = probs[entry + Layout.PROB_LOW]!;
          probs[entry + Layout.PROB_ZEROS] = zeros + (high >>> 31) - bit;
          probs[entry + Layout.PROB_HIGH] = (high << 1) | (low >>> 31);
          probs[entry + Layout.PROB_LOW] = (low << 1) | bit;
          if (isDelta) deltaRepeat0State = ((state << 1) | bit) & Layout.CLASS_MASK;
          else lzRepeat0State = ((state << 1) | bit) & Layout.CLASS_MASK;
        }
        repeat = 0;
        if (bit === 1) {
          {
            const state = isDelta ? deltaRepeat1State : lzRepeat1State;
            const entry = ((kind + 2) * Layout.CLASS_PROBS_STEP - Layout.CLASS_PROBS_BEFORE + state) * Layout.PROB_SLOTS;
            const zeros = probs[entry + Layout.PROB_ZEROS]!;
            const nonzero = zeros + ((zeros - 1) >>> 31);
            const prob = nonzero - (nonzero >> LZMS.PROBABILITY_BITS);
            if (range >>> 16 === 0) {
              if (forward + 2 > inputEnd) throw corrupt("the range decoder reads past the chunk's end", at, inputEnd - 1);
              range <<= 16;
              code = (code << 16) | input[forward]! | (input[forward + 1]! << 8);
              forward += 2;
            }
            const bound = Math.imul(range >>> LZMS.PROBABILITY_BITS, prob);
            bit = 0;
            if (code >>> 0 < bound >>> 0) {
              range = bound;
            } else {
              range = (range - bound) | 0;
              code = (code - bound) | 0;
              bit = 1;
            }
            const high = probs[entry + Layout.PROB_HIGH]!;
            const low = probs[entry + Layout.PROB_LOW]!;
            probs[entry + Layout.PROB_ZEROS] = zeros + (high >>> 31) - bit;
            probs[entry + Layout.PROB_HIGH] = (high << 1) | (low >>> 31);
            probs[entry + Layout.PROB_LOW] = (low << 1) | bit;
            if (isDelta) deltaRepeat1State = ((state << 1) | bit) & Layout.CLASS_MASK;
            else lzRepeat1State = ((state << 1) | bit) & Layout.CLASS_MASK;
          }
          repeat = 1 + bit;
        }
      }

      // Its Huffman-coded fields, in stream order: an explicit delta match's power, an explicit
      // match's offset slot and extra bits, then every match's length slot and extra bits.
      let power = 0;
      let explicitOffset = 0;
      let symbol: number;
      let value: number;
      if (repeat < 0) {
        if (isDelta) {
          if (bitsLeft < 16) {
            backward -= 2;
            if (backward < 0) throw corrupt("the Huffman bitstream reads past the chunk's start", at, 0);
            bitBuffer |= (input[backward]! | (input[backward + 1]! << 8)) << (16 - bitsLeft);
            bitsLeft += 16;
          }
          symbol = deltaPowerCode.table[bitBuffer >>> (32 - Layout.DELTA_POWER_TABLE_BITS)]!;
          if (symbol === 0) {
            symbol = longCodeword(deltaPowerCode, bitBuffer);
            if (symbol === 0)
              throw corrupt(`no codeword of a ${deltaPowerCode.numSyms}-symbol code starts with these bits`, at, usedFrom(inputEnd, backward, bitsLeft));
          }
          bitBuffer <<= symbol & 15;
          bitsLeft -= symbol & 15;
          symbol >>>= 4;
          deltaPowerCode.freqs[symbol]!++;
          if (--deltaPowerCode.untilRebuild === 0) deltaPowerCode.rebuild();
          power = symbol;
        }
        const offsetCode = isDelta ? deltaOffsetCode : lzOffsetCode;
        const offsetTable = isDelta ? deltaOffsetTable : lzOffsetTable;
        if (bitsLeft < 16) {
          backward -= 2;
          if (backward < 0) throw corrupt("the Huffman bitstream reads past the chunk's start", at, 0);
          bitBuffer |= (input[backward]! | (input[backward + 1]! << 8)) << (16 - bitsLeft);
          bitsLeft += 16;
        }
        symbol = offsetTable[bitBuffer >>> (32 - Layout.LZ_OFFSET_TABLE_BITS)]!;
        if (symbol === 0) {
          symbol = longCodeword(offsetCode, bitBuffer);
          if (symbol === 0)
            throw corrupt(`no codeword of a ${offsetCode.numSyms}-symbol code starts with these bits`, at, usedFrom(inputEnd, backward, bitsLeft));
        }
        bitBuffer <<= symbol & 15;
        bitsLeft -= symbol & 15;
        symbol >>>= 4;
        (isDelta ? deltaOffsetFreqs : lzOffsetFreqs)[symbol]!++;
        if (isDelta) {
          if (--deltaOffsetCode.untilRebuild === 0) deltaOffsetCode.rebuild();
        } else if (--lzOffsetUntilRebuild === 0) {
          lzOffsetCode.rebuild();
          lzOffsetUntilRebuild = lzOffsetCode.untilRebuild;
        }
        value = offsetSlotBase[symbol]!;
        // Its extra bits (up to 30), read in pieces of at most 16: the high bits first.
        let extra = extraOffsetBits[symbol]!;
        if (extra !== 0) {
          if (bitsLeft < 16) {
            backward -= 2;
            if (backward < 0) throw corrupt("the Huffman bitstream reads past the chunk's start", at, 0);
            bitBuffer |= (input[backward]! | (input[backward + 1]! << 8)) << (16 - bitsLeft);
            bitsLeft += 16;
          }
          if (extra > 16) {
            const high = extra - 16;
            value += (bitBuffer >>> (32 - high)) << 16;
            bitBuffer <<= high;
            bitsLeft -= high;
            extra = 16;
            if (bitsLeft < 16) {
              backward -= 2;
              if (backward < 0) throw corrupt("the Huffman bitstream reads past the chunk's start", at, 0);
              bitBuffer |= (input[backward]! | (input[backward + 1]! << 8)) << (16 - bitsLeft);
              bitsLeft += 16;
            }
          }
          value += bitBuffer >>> (32 - extra);
          bitBuffer <<= extra;
          bitsLeft -= extra;
        }
        explicitOffset = value;
      }
      if (bitsLeft < 16) {
        backward -= 2;
        if (backward < 0) throw corrupt("the Huffman bitstream reads past the chunk's start", at, 0);
        bitBuffer |= (input[backward]! | (input[backward + 1]! << 8)) << (16 - bitsLeft);
        bitsLeft += 16;
      }
      symbol = lengthTable[bitBuffer >>> (32 - Layout.LENGTH_TABLE_BITS)]!;
      if (symbol === 0) {
        symbol = longCodeword(lengthCode, bitBuffer);
        if (symbol === 0)
          throw corrupt(`no codeword of a ${lengthCode.numSyms}-symbol code starts with these bits`, at, usedFrom(inputEnd, backward, bitsLeft));
      }
      bitBuffer <<= symbol & 15;
      bitsLeft -= symbol & 15;
      symbol >>>= 4;
      lengthFreqs[symbol]!++;
      if (--lengthUntilRebuild === 0) {
        lengthCode.rebuild();
        lengthUntilRebuild = lengthCode.untilRebuild;
      }
      value = lengthSlotBase[symbol]!;
      // Its extra bits (up to 30), read in pieces of at most 16: the high bits first.
      let extra = extraLengthBits[symbol]!;
      if (extra !== 0) {
        if (bitsLeft < 16) {
          backward -= 2;
          if (backward < 0) throw corrupt("the Huffman bitstream reads past the chunk's start", at, 0);
          bitBuffer |= (input[backward]! | (input[backward + 1]! << 8)) << (16 - bitsLeft);
          bitsLeft += 16;
        }
        if (extra > 16) {
          const high = extra - 16;
          value += (bitBuffer >>> (32 - high)) << 16;
          bitBuffer <<= high;
          bitsLeft -= high;
          extra = 16;
          if (bitsLeft < 16) {
            backward -= 2;
            if (backward < 0) throw corrupt("the Huffman bitstream reads past the chunk's start", at, 0);
            bitBuffer |= (input[backward]! | (input[backward + 1]! << 8)) << (16 - bitsLeft);
            bitsLeft += 16;
          }
        }
        value += bitBuffer >>> (32 - extra);
        bitBuffer <<= extra;
        bitsLeft -= extra;
      }
      const length = value;
      if (length > size - pos) {
        throw corrupt(`a match of length ${length} at position ${pos} runs past the chunk's end (${size} bytes)`, at, usedFrom(inputEnd, backward, bitsLeft));
      }

      // Its source: explicit, or taken out of its queue (those behind it move up; the spare fourth stays).
      const queue = isDelta ? Layout.DELTA_QUEUE : Layout.LZ_QUEUE;
      let source: number;
      if (repeat < 0) {
        source = isDelta ? explicitOffset * 8 + power : explicitOffset;
        if (isDelta) deltaMatches++;
        else lzMatches++;
      } else if (isDelta) {
        const index = Layout.DELTA_QUEUE + repeat;
        source = queues[index]!;
        if (repeat < 1) queues[index] = queues[index + 1]!;
        if (repeat < 2) queues[Layout.DELTA_QUEUE + 1] = queues[Layout.DELTA_QUEUE + 2]!;
        queues[Layout.DELTA_QUEUE + 2] = queues[Layout.DELTA_QUEUE + 3]!;
        deltaRepeatMatches++;
      } else {
        source = repeat === 0 ? lz0 : repeat === 1 ? lz1 : lz2;
        if (repeat < 1) lz0 = lz1;
        if (repeat < 2) lz1 = lz2;
        lz2 = lz3;
        lzRepeatMatches++;
      }
      if (!isDelta) {
        if (source > pos)
          throw corrupt(`match offset ${source} at position ${pos} reaches before the chunk's start`, at, usedFrom(inputEnd, backward, bitsLeft));
        if (source >= 4 && length < 64 && length + 7 <= size - pos) {
          // Most matches: two 32-bit words (8 bytes) straight, more in a loop; see copyMatch.
          let to = viewBase + pos;
          let from = to - source;
          view.setInt32(to, view.getInt32(from, true), true);
          view.setInt32(to + 4, view.getInt32(from + 4, true), true);
          if (length > 8) {
            const stop = to + length;
            to += 8;
            from += 8;
            do {
              view.setInt32(to, view.getInt32(from, true), true);
              to += 4;
              from += 4;
            } while (to < stop);
          }
        } else {
          copyMatch(output, view, viewBase, pos, source, length);
        }
      } else {
        const span = 1 << (source & 7);
        const offset = (source >>> 3) * span;
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

      // 4. The last item's source joins its queue (the last entry drops out); this one's waits.
      if (pendingSource !== 0) {
        if (pendingQueue === Layout.LZ_QUEUE) {
          lz3 = lz2;
          lz2 = lz1;
          lz1 = lz0;
          lz0 = pendingSource;
        } else {
          queues[Layout.DELTA_QUEUE + 3] = queues[Layout.DELTA_QUEUE + 2]!;
          queues[Layout.DELTA_QUEUE + 2] = queues[Layout.DELTA_QUEUE + 1]!;
          queues[Layout.DELTA_QUEUE + 1] = queues[Layout.DELTA_QUEUE]!;
          queues[Layout.DELTA_QUEUE] = pendingSource;
        }
      }
      pendingSource = source;
      pendingQueue = queue;
    }

    s[State.RANGE] = range;
    s[State.CODE] = code;
    s[State.FORWARD] = forward;
    s[State.BIT_BUFFER] = bitBuffer;
    s[State.BITS_LEFT] = bitsLeft;
    s[State.BACKWARD] = backward;
    s[State.PENDING_SOURCE] = pendingSource;
    s[State.PENDING_QUEUE] = pendingQueue;
    s[State.LITERALS_UNTIL_REBUILD] = literalsUntilRebuild;
    s[State.MAIN_STATE] = mainState;
    s[State.MATCH_BYTES] = matchBytes;
    states[Layout.DECISION_MATCH] = matchState;
    states[Layout.DECISION_LZ] = lzState;
    states[Layout.DECISION_LZ + 1] = lzRepeat0State;
    states[Layout.DECISION_LZ + 2] = lzRepeat1State;
    states[Layout.DECISION_DELTA] = deltaState;
    states[Layout.DECISION_DELTA + 1] = deltaRepeat0State;
    states[Layout.DECISION_DELTA + 2] = deltaRepeat1State;
    queues[Layout.LZ_QUEUE] = lz0;
    queues[Layout.LZ_QUEUE + 1] = lz1;
    queues[Layout.LZ_QUEUE + 2] = lz2;
    queues[Layout.LZ_QUEUE + 3] = lz3;
    lzOffsetCode.untilRebuild = lzOffsetUntilRebuild;
    lengthCode.untilRebuild = lengthUntilRebuild;
    const items = this.items;
    items.lzMatches += lzMatches;
    items.lzRepeatMatches += lzRepeatMatches;
    items.deltaMatches += deltaMatches;
    items.deltaRepeatMatches += deltaRepeatMatches;
    return pos;
  }
}

/**
 * A codeword longer than the code's root table, found with the first
 * codeword of each longer length, from the next bits (left-aligned in
 * `bits`). Returns (symbol << 4) | length, as a root table entry, or 0 when
 * no codeword starts with these bits: only a code of fewer than two symbols
 * is incomplete (the offset codes of 1- and 2-byte chunks).
 */
function longCodeword(huffman: AdaptiveHuffmanCode, bits: number): number {
  const next15 = bits >>> (32 - LZMS.MAX_CODEWORD_LENGTH);
  for (let len = huffman.tableBits + 1; len <= LZMS.MAX_CODEWORD_LENGTH; len++) {
    const k = (next15 >>> (LZMS.MAX_CODEWORD_LENGTH - len)) - huffman.firstCodeword[len]!;
    if (k >= 0 && k < huffman.lengthCount[len]!) return (huffman.canonical[huffman.firstIndex[len]! + k]! << 4) | len;
  }
  return 0;
}

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
  if (forward - Layout.RANGE_LOOKAHEAD_BYTES + backwardBytes > inputEnd) {
    throw corrupt(
      `the range-coded data (first ${forward} bytes) and the Huffman-coded data (last ${backwardBytes} bytes) overlap in ${inputEnd} bytes`,
      at,
      inputEnd - backwardBytes,
    );
  }
}

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
 *
 * The scan looks at eight positions at a time by their first two bytes
 * (mayStart over two 32-bit reads through `view`, the data's buffer,
 * the data at `base`, and the byte after them; most of x86 code and nearly
 * all other data has no candidate in eight bytes): every read stays before
 * the last 8 bytes. `lastTargetUsages` holds positions plus `epoch`, which
 * grows from chunk to chunk by more than the window, so that the last chunk's entries
 * are out of every window without clearing the 64K entries for each chunk
 * (the caller clears them when the epoch nears X86_EPOCH_LIMIT).
 */
function undoX86Filter(data: Uint8Array, view: DataView, base: number, lastTargetUsages: Int32Array, epoch: number): void {
  const size = data.length;
  if (size <= 17) return;
  const { pairs, mayStart } = (x86Tables ??= makeX86Tables());
  let lastX86Pos = -LZMS.X86_MAX_TRANSLATION_OFFSET - 1;
  const tail = size - 16;
  let i = 1;
  for (;;) {
    // To the next position where a translated (or skipped) instruction starts: its entry in the pairs table.
    let entry: number;
    for (;;) {
      if (i >= tail) return;
      const w = view.getInt32(base + i, true);
      const v = view.getInt32(base + i + 4, true);
      // Bit k set: position i + k may start one. Then to the lowest such position by
      // arithmetic: which of eight it is, branched on, would be mispredicted often in x86 code.
      const found =
        mayStart[w & 0xffff]! |
        (mayStart[(w >>> 8) & 0xffff]! << 1) |
        (mayStart[w >>> 16]! << 2) |
        (mayStart[(w >>> 24) | ((v & 0xff) << 8)]! << 3) |
        (mayStart[v & 0xffff]! << 4) |
        (mayStart[(v >>> 8) & 0xffff]! << 5) |
        (mayStart[v >>> 16]! << 6) |
        (mayStart[(v >>> 24) | (data[i + 8]! << 8)]! << 7);
      if (found === 0) {
        i += 8;
        continue;
      }
      i += 31 - Math.clz32(found & -found);
      if (i >= tail) return;
      entry = pairs[data[i]! | (data[i + 1]! << 8)]!;
      // A three-byte opcode needs its third byte too.
      if ((entry & 7) === 3 && (data[i + 2]! & (entry >>> 16)) !== ((entry >>> 8) & 0xff)) {
        i++;
        continue;
      }
      break;
    }
    const opcodeBytes = entry & 7;
    if (opcodeBytes === X86_JUMP) {
      i += 5;
      continue;
    }
    // A call is common, so translated only closer to other x86 evidence.
    const maxTranslationOffset = opcodeBytes === 1 ? LZMS.X86_MAX_TRANSLATION_OFFSET >> 1 : LZMS.X86_MAX_TRANSLATION_OFFSET;
    // The 32-bit operand was made absolute (+ i): made relative again; its low 16 bits plus i name the target.
    // Both choices below made by masks (-1 or 0), not branches, which x86 code mispredicts
    // often: the operand is written back either way, unchanged when not translated.
    const operand = base + i + opcodeBytes;
    const translate = ~((maxTranslationOffset - (i - lastX86Pos)) >> 31);
    const value = (view.getInt32(operand, true) - (i & translate)) | 0;
    view.setInt32(operand, value, true);
    const target16 = (i + value) & 0xffff;
    const end = i + opcodeBytes + 3;
    // Its target referenced within the window: x86 evidence, so lastX86Pos moves to end.
    const far = (LZMS.X86_ID_WINDOW_SIZE - (end + epoch - lastTargetUsages[target16]!)) >> 31;
    lastX86Pos = (lastX86Pos & far) | (end & ~far);
    lastTargetUsages[target16] = end + epoch;
    i = end + 1;
  }
}
