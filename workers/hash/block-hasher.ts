/**
 * The streaming side shared by our generated WebAssembly hashes (SHA-256,
 * SHA-1, MD5): all three are Merkle–Damgård constructions over 64-byte blocks,
 * so buffering partial blocks, the padding (FIPS 180-4 §5.1.1, RFC 1321 §3.1–3.2)
 * and the digest are the same code; only the compression function (in
 * WebAssembly), the initial value and the byte order differ. One module may
 * compress for several algorithms at once (sha1-md5.ts): each is a `lane`
 * with its own chaining value in memory, fed the same blocks, and its own
 * export to compress its padded last block(s).
 */
import { Body, buildModule, Op } from './wasm-module.ts';
import type { Hasher } from './hashers.ts';
import { HEX_PAIRS as HEX } from '../io/bytes.ts';

/**
 * Memory layout of every such module: chaining values below DATA, the block
 * buffer from DATA, and the last 320 bytes from SCRATCH (the SIMD message
 * schedules of SHA-256 and SHA-1 keep W_t + K_t there, 64 or 80 words).
 */
const DATA = 64;
const PAGES = 17;
export const SCRATCH = PAGES * 65536 - 320;
/** Whole blocks that fit in the buffer: one compress() call takes at most this many. */
const MAX_BLOCKS = Math.floor((SCRATCH - DATA) / 64);

export interface Lane {
  /** Byte offset of this algorithm's chaining value in memory (below DATA). */
  offset: number;
  /** Its initial value, as 32-bit words. */
  initial: readonly number[];
  /** SHA: big-endian length and digest words; MD5: little-endian. */
  bigEndian: boolean;
  /** The export that compresses blocks for this algorithm alone: its padded last blocks differ from the others'. */
  compress: string;
}

export interface BlockHasher {
  update(bytes: Uint8Array): void;
  /** Lowercase hex digest of each lane, in the order given. */
  digests(): string[];
  /** Back to the initial values, for a new message. */
  reset(): void;
}

/** A generated compression function: `name(ptr, blocks)` processes `blocks` 64-byte blocks at `ptr`. */
export interface CompressFunction {
  name: string;
  /** i32 locals beyond the two parameters (ptr is local 0, blocks local 1). */
  locals: number;
  /** v128 locals, after the i32 ones. */
  v128Locals?: number;
  body: () => Body;
}

/** Local indices every compression function has: its two parameters, then the working variables from VARS. */
export const PTR = 0,
  BLOCKS = 1,
  VARS = 2;

/** Loads a chaining value of `words` words at memory offset `state` into locals `vars…` (before the first block). */
export function loadChainingValue(b: Body, state: number, vars: number, words: number): void {
  for (let j = 0; j < words; j++)
    b.const(0)
      .load(state + 4 * j)
      .set(vars + j);
}

/** End of a block: chaining value word j += local `vars + j`, the sum kept in both for the next block. */
export function addChainingValue(b: Body, state: number, vars: number, words: number): void {
  for (let j = 0; j < words; j++)
    b.const(0)
      .const(0)
      .load(state + 4 * j)
      .get(vars + j)
      .op(Op.i32Add)
      .tee(vars + j)
      .store(state + 4 * j);
}

/**
 * Pushes the big-endian 32-bit word at `offset` from local `ptr` (SHA's message words):
 * loaded little-endian, then byte-swapped with two rotations and masks, `scratch` holding the load.
 */
export function loadBigEndian(b: Body, ptr: number, offset: number, scratch: number): void {
  b.get(ptr).load(offset).tee(scratch).const(8).op(Op.i32Rotr).const(0xff00ff00).op(Op.i32And);
  b.get(scratch).const(8).op(Op.i32Rotl).const(0x00ff00ff).op(Op.i32And).op(Op.i32Or);
}

/**
 * The body of a compression function: `enter` loads the chaining values into
 * locals, `block` emits the processing of the block at local PTR (and adds
 * back into the chaining values), repeated BLOCKS times.
 */
export function compressLoop(enter: (b: Body) => void, block: (b: Body) => void): Body {
  const b = new Body();
  enter(b);
  b.loop();
  block(b);
  b.get(PTR).const(64).op(Op.i32Add).set(PTR);
  b.get(BLOCKS).const(1).op(Op.i32Sub).tee(BLOCKS).brIf(0);
  b.end();
  return b;
}

/**
 * A compression function for one algorithm: its chaining value of `words`
 * words at memory offset `state`, held in locals VARS…; `block` emits one
 * block's steps, which must leave the working variables back in those locals.
 */
export function chainedCompress(name: string, state: number, words: number, locals: number, block: (b: Body) => void, v128Locals = 0): CompressFunction {
  return {
    name,
    locals,
    v128Locals,
    body: () =>
      compressLoop(
        (b) => loadChainingValue(b, state, VARS, words),
        (b) => {
          block(b);
          addChainingValue(b, state, VARS, words);
        },
      ),
  };
}

/** The compiled module with these functions, compiled once per thread on first use. */
export function blockHashModule(functions: readonly CompressFunction[]): () => Promise<WebAssembly.Module> {
  let compiled: Promise<WebAssembly.Module> | null = null;
  return () =>
    (compiled ??= WebAssembly.compile(
      buildModule(
        PAGES,
        functions.map((f) => ({ name: f.name, params: 2, locals: f.locals, v128Locals: f.v128Locals, body: f.body() })),
      ),
    ));
}

/**
 * A fresh instance (its own chaining values and buffer, about 1 MiB) driven
 * as a stream: export `compress` feeds every lane, each lane's own export
 * finishes it.
 */
export async function createBlockHasher(module: WebAssembly.Module, lanes: readonly Lane[]): Promise<BlockHasher> {
  const instance = await WebAssembly.instantiate(module);
  const exported = (name: string) => instance.exports[name] as (ptr: number, blocks: number) => void;
  const compress = exported('compress');
  const memory = new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer);
  const view = new DataView(memory.buffer);
  let pending = 0; // bytes of an incomplete block waiting at DATA
  let total = 0; // message length in bytes
  const reset = () => {
    for (const lane of lanes) lane.initial.forEach((word, i) => view.setUint32(lane.offset + 4 * i, word, true));
    pending = 0;
    total = 0;
  };
  reset();

  const absorb = (bytes: Uint8Array) => {
    let i = 0;
    if (pending > 0) {
      const take = Math.min(64 - pending, bytes.length);
      memory.set(bytes.subarray(0, take), DATA + pending);
      pending += take;
      i = take;
      if (pending < 64) return;
      compress(DATA, 1);
      pending = 0;
    }
    while (bytes.length - i >= 64) {
      const blocks = Math.min(Math.floor((bytes.length - i) / 64), MAX_BLOCKS);
      memory.set(bytes.subarray(i, i + blocks * 64), DATA);
      compress(DATA, blocks);
      i += blocks * 64;
    }
    memory.set(bytes.subarray(i), DATA);
    pending = bytes.length - i;
  };

  return {
    reset,
    update(bytes) {
      total += bytes.length;
      absorb(bytes);
    },
    digests() {
      // The pending bytes stay at DATA; each lane appends its own padding after them:
      // a 1 bit, zeros to 56 mod 64 bytes, then the length in bits as 64 bits, big-endian
      // for SHA (FIPS 180-4 §5.1.1), little-endian for MD5 (RFC 1321 §3.2).
      const padLength = ((55 - (total % 64)) & 63) + 1;
      const bits = total * 8;
      const high = Math.floor(bits / 2 ** 32),
        low = bits >>> 0;
      const end = DATA + pending + padLength;
      return lanes.map((lane) => {
        memory.fill(0, DATA + pending, end);
        memory[DATA + pending] = 0x80;
        view.setUint32(end, lane.bigEndian ? high : low, !lane.bigEndian);
        view.setUint32(end + 4, lane.bigEndian ? low : high, !lane.bigEndian);
        exported(lane.compress)(DATA, (end + 8 - DATA) / 64);
        // Words are kept in memory as numbers (little-endian): SHA's digest is each word's
        // value, its bytes from the highest; MD5's is the bytes in memory order.
        let hex = '';
        for (let w = lane.offset; w < lane.offset + 4 * lane.initial.length; w += 4) {
          hex += lane.bigEndian
            ? HEX[memory[w + 3]!]! + HEX[memory[w + 2]!]! + HEX[memory[w + 1]!]! + HEX[memory[w]!]!
            : HEX[memory[w]!]! + HEX[memory[w + 1]!]! + HEX[memory[w + 2]!]! + HEX[memory[w + 3]!]!;
        }
        return hex;
      });
    },
  };
}

/** A one-lane BlockHasher as a Hasher. */
export async function singleHasher(made: Promise<BlockHasher>): Promise<Hasher> {
  const h = await made;
  return { update: (bytes) => h.update(bytes), digest: () => h.digests()[0]!, reset: () => h.reset() };
}
