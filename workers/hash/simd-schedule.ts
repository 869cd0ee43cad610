/**
 * Pieces shared by the SIMD message schedules of sha256.ts and sha1.ts:
 * four 32-bit message words per 128-bit vector (WebAssembly Core 2.0
 * §4.4.3), computed ahead of the rounds and stored with the round constants
 * added (W_t + K_t) at SCRATCH, where each round loads its word. The
 * schedule then runs on the vector units while the rounds keep the integer
 * units busy, as in Intel's SSE/AVX SHA implementations.
 */
import { Op, Simd, simdSupported, type Body } from './wasm-module.ts';
import { SCRATCH } from './block-hasher.ts';

/** Whether this engine has SIMD: the generated hashes use these schedules then, their scalar ones otherwise. */
export const SIMD = simdSupported();

export const ZERO = [0, 0, 0, 0] as const;

/** i8x16.shuffle lanes taking words n … n+3 of the eight in the two vectors on the stack (x86's palignr). */
export const wordsFrom = (n: number): number[] => Array.from({ length: 16 }, (_, i) => 4 * n + i);

/** Each 32-bit word byte-swapped: the message is big-endian, WebAssembly little-endian. */
const BYTE_SWAP = Array.from({ length: 16 }, (_, i) => (i & ~3) + 3 - (i & 3));

/** Vector local `x` = the four big-endian words at `offset` from local `ptr`. */
function loadBigEndianWords(b: Body, ptr: number, offset: number, x: number): void {
  b.get(ptr).v128Load(offset).tee(x).get(x).shuffle(BYTE_SWAP).set(x);
}

/** Pushes rotr(local y, r) on four words (SIMD has no rotation: two shifts, xored as their bits do not overlap). */
export function rotateRight(b: Body, y: number, r: number): void {
  b.get(y).const(r).simd(Simd.i32x4ShrU);
  b.get(y)
    .const(32 - r)
    .simd(Simd.i32x4Shl)
    .simd(Simd.v128Xor);
}

/** SCRATCH words t … t+3 = vector local `x` + the round constants `k(t)` … `k(t + 3)`. */
export function storeWordsPlusK(b: Body, x: number, t: number, k: (t: number) => number): void {
  b.const(0)
    .get(x)
    .v128Const([0, 1, 2, 3].map((i) => k(t + i)))
    .simd(Simd.i32x4Add)
    .v128Store(SCRATCH + 4 * t);
}

/** The block's 16 words at local `ptr` into vector locals x … x+3 (W_0 … W_15), stored plus K at SCRATCH. */
export function loadMessageBlock(b: Body, ptr: number, x: number, k: (t: number) => number): void {
  for (let g = 0; g < 4; g++) {
    loadBigEndianWords(b, ptr, 16 * g, x + g);
    storeWordsPlusK(b, x + g, 4 * g, k);
  }
}

/** Adds W_t + K_t, stored by the schedule, to the value on the stack (in a round). */
export function addStoredWord(b: Body, t: number): void {
  b.const(0)
    .load(SCRATCH + 4 * t)
    .op(Op.i32Add);
}
