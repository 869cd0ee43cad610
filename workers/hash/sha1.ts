/**
 * SHA-1 (FIPS 180-4 §6.1) in WebAssembly generated at start-up, like
 * sha256.ts: the 80 steps of §6.1.2 unrolled, the five working variables
 * renamed step by step (the new a goes into e's local, and b is rotated in
 * place, becoming c). The message schedule runs four words per SIMD vector
 * where the engine has it, else in a 16-word window of locals (the two side
 * by side: bench/RESULTS.md, "The hash functions alone"). Padding and the
 * digest are block-hasher.ts's.
 */
import { Op, Simd, type Body } from './wasm-module.ts';
import {
  blockHashModule,
  chainedCompress,
  createBlockHasher,
  loadBigEndian,
  PTR,
  singleHasher,
  VARS,
  type CompressFunction,
  type Lane,
} from './block-hasher.ts';
import { addStoredWord, loadMessageBlock, rotateRight, SIMD, storeWordsPlusK, wordsFrom, ZERO } from './simd-schedule.ts';
import type { Hasher } from './hashers.ts';

/** §4.2.1: the constants of each 20 steps. */
const K = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];
/** K_t of step t. */
const kOf = (t: number) => K[Math.floor(t / 20)]!;

/** SHA-1's chaining value at `offset`, starting from §5.3.1's H(0), finished by export `compress`. */
export const sha1Lane = (offset: number, compress: string): Lane => ({
  offset,
  initial: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0],
  bigEndian: true,
  compress,
});

/** Locals a block needs beyond the five working variables: W0..W15 and a scratch word. */
export const SHA1_SCHEDULE_LOCALS = 17;
/** v128 locals of the SIMD schedule: the last four groups of four words, and a scratch vector. */
export const SHA1_SIMD_LOCALS = 5;

/** Where the message schedule lives: a 16-word window of i32 locals from `w`, or SIMD_LOCALS vectors from `x`. */
export type Sha1Schedule = { w: number } | { x: number };

/**
 * The 80 steps of §6.1.2 on the block at local `ptr`, as emitters: working variables in
 * `vars..vars+4`, the message schedule in `schedule`'s locals. Separate emitters let
 * sha1-md5.ts interleave them with MD5's steps.
 */
export function sha1Steps(ptr: number, vars: number, schedule: Sha1Schedule): ((b: Body) => void)[] {
  const words = 'x' in schedule ? simdSchedule(ptr, schedule.x) : scalarSchedule(ptr, schedule.w);
  return Array.from({ length: 80 }, (_, t) => (b: Body) => {
    // In step t, role r (0 = a … 4 = e) lives in vars + ((r - t) mod 5).
    const role = (r: number) => vars + ((((r - t) % 5) + 5) % 5);
    const [a, bb, c, d, e] = [role(0), role(1), role(2), role(3), role(4)];
    words.make(b, t);
    // Step 3: T = ROTL5(a) + f_t(b,c,d) + e + K_t + W_t; e + K_t + W_t first, as it does not wait for a.
    b.get(e);
    words.addWK(b, t);
    if (t < 20) {
      // Ch(x,y,z) = (x & y) ^ (~x & z), as z ^ (x & (y ^ z)).
      b.get(d).get(bb).get(c).get(d).op(Op.i32Xor).op(Op.i32And).op(Op.i32Xor).op(Op.i32Add);
    } else if (t >= 40 && t < 60) {
      // Maj(x,y,z) = (x & y) ^ (x & z) ^ (y & z), as (x & y) + (z & (x ^ y)): the two share no bit.
      b.get(bb).get(c).op(Op.i32And).op(Op.i32Add);
      b.get(d).get(bb).get(c).op(Op.i32Xor).op(Op.i32And).op(Op.i32Add);
    } else {
      // Parity(x,y,z) = x ^ y ^ z.
      b.get(c).get(d).op(Op.i32Xor).get(bb).op(Op.i32Xor).op(Op.i32Add);
    }
    b.get(a).const(5).op(Op.i32Rotl).op(Op.i32Add).set(e); // e's local is a's in the next step
    b.get(bb).const(30).op(Op.i32Rotl).set(bb); // c = ROTL30(b): b's local is c's in the next step
  });
}

/** Step 1 of §6.1.2, emitted step by step: `make` before step t's own work, `addWK` adds K_t + W_t to the stack. */
interface Sha1Words {
  make(b: Body, t: number): void;
  addWK(b: Body, t: number): void;
}

/** Step 1 word by word in a 16-word window of i32 locals. */
function scalarSchedule(ptr: number, w: number): Sha1Words {
  const scratch = w + 16;
  return {
    make(b, t) {
      const wt = w + (t % 16);
      if (t < 16) {
        // t < 16: W_t is the t-th big-endian word of the block.
        loadBigEndian(b, ptr, 4 * t, scratch);
        b.set(wt);
      } else {
        // t ≥ 16: W_t = ROTL1(W_t-3 ^ W_t-8 ^ W_t-14 ^ W_t-16).
        b.get(w + ((t - 3) % 16))
          .get(w + ((t - 8) % 16))
          .op(Op.i32Xor)
          .get(w + ((t - 14) % 16))
          .op(Op.i32Xor)
          .get(wt)
          .op(Op.i32Xor);
        b.const(1).op(Op.i32Rotl).set(wt);
      }
    },
    addWK: (b, t) =>
      void b
        .const(kOf(t))
        .op(Op.i32Add)
        .get(w + (t % 16))
        .op(Op.i32Add),
  };
}

/**
 * Step 1 four words per vector, 16 steps ahead of their use (simd-schedule.ts):
 * W_t…W_t+3 = ROTL1(W_t-3… ^ W_t-8… ^ W_t-14… ^ W_t-16…), where W_t+3's term
 * W_t is not made yet: it is computed with 0 there, then ROTL1(W_t) is xored
 * into that lane (ROTL1 distributes over xor), as Intel's SSE SHA-1 does.
 */
function simdSchedule(ptr: number, x: number): Sha1Words {
  const y = x + 4;
  const group = (b: Body, g: number) => {
    const v = (k: number) => x + (k % 4);
    const [older, old, recent, last] = [v(g - 4), v(g - 3), v(g - 2), v(g - 1)]; // W_t-16…, W_t-12…, W_t-8…, W_t-4…
    b.get(older).get(older).get(old).shuffle(wordsFrom(2)).simd(Simd.v128Xor); // ^ W_t-14…
    b.get(recent).simd(Simd.v128Xor);
    b.get(last).v128Const(ZERO).shuffle(wordsFrom(1)).simd(Simd.v128Xor).set(y); // ^ W_t-3, W_t-2, W_t-1, 0
    rotateRight(b, y, 31);
    b.set(older);
    b.v128Const(ZERO).get(older).shuffle(wordsFrom(1)).set(y); // 0, 0, 0, W_t
    b.get(older);
    rotateRight(b, y, 31);
    b.simd(Simd.v128Xor).set(older);
    storeWordsPlusK(b, older, 4 * g, kOf);
  };
  return {
    make(b, t) {
      if (t === 0) loadMessageBlock(b, ptr, x, kOf);
      if (t % 4 === 0 && t / 4 + 4 < 20) group(b, t / 4 + 4);
    },
    addWK: addStoredWord,
  };
}

/** SHA-1 alone on the chaining value at `state`: a..e in locals VARS…, the schedule after them; step 4 (H_j += ...) is chainedCompress's. */
export function sha1Compress(name: string, state: number, simd: boolean): CompressFunction {
  // After 80 steps (a multiple of 5) the renaming is back where it started.
  const steps = (schedule: Sha1Schedule) => (b: Body) => sha1Steps(PTR, VARS, schedule).forEach((step) => step(b));
  return simd
    ? chainedCompress(name, state, 5, 5, steps({ x: VARS + 5 }), SHA1_SIMD_LOCALS)
    : chainedCompress(name, state, 5, 5 + SHA1_SCHEDULE_LOCALS, steps({ w: VARS + 5 }));
}

const sha1Module = blockHashModule([sha1Compress('compress', 0, false)]);
const sha1SimdModule = blockHashModule([sha1Compress('compress', 0, true)]);

/** SHA-1 with the SIMD message schedule where the engine has SIMD (`simd` chooses, for tests). */
export async function createSha1(simd = SIMD): Promise<Hasher> {
  return singleHasher(createBlockHasher(await (simd ? sha1SimdModule : sha1Module)(), [sha1Lane(0, 'compress')]));
}
