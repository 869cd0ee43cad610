/**
 * SHA-1 (FIPS 180-4 §6.1) in WebAssembly generated at start-up, like
 * sha256.ts: the 80 steps of §6.1.2 unrolled, the message schedule in a
 * 16-word window of locals, the five working variables renamed step by step
 * (the new a goes into e's local, and b is rotated in place, becoming c).
 * Padding and the digest are block-hasher.ts's.
 */
import { Op, type Body } from './wasm-module.ts';
import { blockHashModule, chainedCompress, createBlockHasher, loadBigEndian, PTR, singleHasher, VARS, type CompressFunction, type Lane } from './block-hasher.ts';
import type { Hasher } from './hashers.ts';

/** §4.2.1: the constants of each 20 steps. */
const K = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];

/** SHA-1's chaining value at `offset`, starting from §5.3.1's H(0), finished by export `compress`. */
export const sha1Lane = (offset: number, compress: string): Lane => ({ offset, initial: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0], bigEndian: true, compress });

/** Locals a block needs beyond the five working variables: W0..W15 and a scratch word. */
export const SHA1_SCHEDULE_LOCALS = 17;

/**
 * The 80 steps of §6.1.2 on the block at local `ptr`, as emitters: working variables in
 * `vars..vars+4`, the schedule window in `w..w+15`, scratch in `w+16`.
 * Separate emitters let sha1-md5.ts interleave them with MD5's steps.
 */
export function sha1Steps(ptr: number, vars: number, w: number): ((b: Body) => void)[] {
  const scratch = w + 16;
  return Array.from({ length: 80 }, (_, t) => (b: Body) => {
    // In step t, role r (0 = a … 4 = e) lives in vars + ((r - t) mod 5).
    const role = (r: number) => vars + ((((r - t) % 5) + 5) % 5);
    const [a, bb, c, d, e] = [role(0), role(1), role(2), role(3), role(4)];
    const wt = w + (t % 16);
    if (t < 16) {
      // Step 1, t < 16: W_t is the t-th big-endian word of the block.
      loadBigEndian(b, ptr, 4 * t, scratch);
      b.set(wt);
    } else {
      // Step 1, t ≥ 16: W_t = ROTL1(W_t-3 ^ W_t-8 ^ W_t-14 ^ W_t-16), in a 16-word window.
      b.get(w + ((t - 3) % 16)).get(w + ((t - 8) % 16)).op(Op.i32Xor).get(w + ((t - 14) % 16)).op(Op.i32Xor).get(wt).op(Op.i32Xor);
      b.const(1).op(Op.i32Rotl).set(wt);
    }
    // Step 3: T = ROTL5(a) + f_t(b,c,d) + e + K_t + W_t; e + K_t + W_t first, as it does not wait for a.
    b.get(e).const(K[Math.floor(t / 20)]!).op(Op.i32Add).get(wt).op(Op.i32Add);
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

/** SHA-1 alone on the chaining value at `state`: a..e in locals VARS…, the schedule after them; step 4 (H_j += ...) is chainedCompress's. */
export function sha1Compress(name: string, state: number): CompressFunction {
  return chainedCompress(name, state, 5, 5 + SHA1_SCHEDULE_LOCALS, (b) => {
    for (const step of sha1Steps(PTR, VARS, VARS + 5)) step(b); // after 80 steps (a multiple of 5) the renaming is back where it started
  });
}

const sha1Module = blockHashModule([sha1Compress('compress', 0)]);

export async function createSha1(): Promise<Hasher> {
  return singleHasher(createBlockHasher(await sha1Module(), [sha1Lane(0, 'compress')]));
}
