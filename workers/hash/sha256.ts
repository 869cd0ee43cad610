/**
 * SHA-256 (FIPS 180-4) in WebAssembly generated at start-up: the compression
 * function (§6.2.2) as one straight-line body of 64 unrolled rounds, the
 * working variables in locals, so a block touches memory only to load its
 * words. Renaming the working variables round by round (a new `a` is written
 * into the old `h`'s local) leaves two assignments per round instead of
 * eight. Where the engine has 128-bit SIMD (every current browser), the
 * message schedule runs four words at a time on the vector units, beside
 * the rounds on the integer units, which are then the only bound (the two
 * schedules side by side: bench/RESULTS.md, "The hash functions alone").
 * Padding (§5.1.1) and the digest are block-hasher.ts's, shared with sha1.ts
 * and md5.ts.
 */
import { Op, Simd, type Body } from './wasm-module.ts';
import { blockHashModule, chainedCompress, createBlockHasher, loadBigEndian, PTR, singleHasher, VARS } from './block-hasher.ts';
import { addStoredWord, loadMessageBlock, rotateRight, SIMD, storeWordsPlusK, wordsFrom, ZERO } from './simd-schedule.ts';
import type { Hasher } from './hashers.ts';

/** §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/** §5.3.3: the initial hash value H(0). */
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

// Locals of compress(ptr, blocks) after the parameters: a..h from VARS, then W0..W15, T1,
// and a ^ b of the round before (this round's b ^ c, for Maj).
const W = VARS + 8,
  T1 = W + 16,
  AB = T1 + 1,
  BC = AB + 1;

/**
 * §6.2.2 steps 2–3, round t, on the renamed working variables (in round t,
 * role r — 0 = a … 7 = h — lives in local VARS + ((r − t) mod 8)); `addWK`
 * adds K_t + W_t to the value on the stack.
 */
function round(b: Body, t: number, ab: number, bc: number, addWK: (b: Body) => void): void {
  const role = (r: number) => VARS + ((((r - t) % 8) + 8) % 8);
  const [a, bb, , d, e, f, g, h] = [0, 1, 2, 3, 4, 5, 6, 7].map(role) as [number, number, number, number, number, number, number, number];
  // T1 = h + Σ1(e) + Ch(e,f,g) + K_t + W_t, with Ch(e,f,g) = g ^ (e & (f ^ g))
  // and Σ1(e) = rotr(e ^ rotr(e ^ rotr(e, 14), 5), 6) (likewise Σ0 below).
  b.get(h);
  b.get(e).get(e).get(e).const(14).op(Op.i32Rotr).op(Op.i32Xor).const(5).op(Op.i32Rotr).op(Op.i32Xor).const(6).op(Op.i32Rotr).op(Op.i32Add);
  b.get(g).get(e).get(f).get(g).op(Op.i32Xor).op(Op.i32And).op(Op.i32Xor).op(Op.i32Add);
  addWK(b);
  b.set(T1);
  // e' = d + T1 (written into d's local, which is e's next round).
  b.get(d).get(T1).op(Op.i32Add).set(d);
  // a' = T1 + Σ0(a) + Maj(a,b,c) (written into h's local, which is a's next round), with
  // Maj = b ^ ((a ^ b) & (b ^ c)): b ^ c is the previous round's a ^ b, so one xor is saved.
  b.get(T1);
  b.get(a).get(a).get(a).const(9).op(Op.i32Rotr).op(Op.i32Xor).const(11).op(Op.i32Rotr).op(Op.i32Xor).const(2).op(Op.i32Rotr).op(Op.i32Add);
  b.get(bb).get(a).get(bb).op(Op.i32Xor).tee(ab).get(bc).op(Op.i32And).op(Op.i32Xor).op(Op.i32Add);
  b.set(h);
}

/** The locals holding a ^ b and b ^ c swap roles every round. */
const majLocals = (t: number): [number, number] => (t % 2 === 0 ? [BC, AB] : [AB, BC]);

/** §6.2.2 steps 1–3 on the block at local PTR, the message schedule in i32 locals. */
function compressBlock(b: Body): void {
  b.get(VARS + 1)
    .get(VARS + 2)
    .op(Op.i32Xor)
    .set(AB); // b ^ c for round 0's Maj
  for (let t = 0; t < 64; t++) {
    const w = W + (t % 16);
    if (t < 16) {
      // §6.2.2 step 1, t < 16: W_t is the t-th big-endian word of the block (T1 is free as scratch here).
      loadBigEndian(b, PTR, 4 * t, T1);
      b.set(w);
    } else {
      // §6.2.2 step 1, t ≥ 16: W_t = σ1(W_t-2) + W_t-7 + σ0(W_t-15) + W_t-16, in a 16-word window.
      // Rotations nest (σ1(x) = rotr(x ^ rotr(x, 2), 17) ^ x >>> 10) so x86's in-place ror needs fewer copies.
      const w2 = W + ((t - 2) % 16),
        w7 = W + ((t - 7) % 16),
        w15 = W + ((t - 15) % 16);
      b.get(w);
      b.get(w2).get(w2).const(2).op(Op.i32Rotr).op(Op.i32Xor).const(17).op(Op.i32Rotr).get(w2).const(10).op(Op.i32ShrU).op(Op.i32Xor).op(Op.i32Add);
      b.get(w7).op(Op.i32Add);
      b.get(w15).get(w15).const(11).op(Op.i32Rotr).op(Op.i32Xor).const(7).op(Op.i32Rotr).get(w15).const(3).op(Op.i32ShrU).op(Op.i32Xor).op(Op.i32Add);
      b.set(w);
    }
    round(b, t, ...majLocals(t), (b) => b.const(K[t]!).op(Op.i32Add).get(w).op(Op.i32Add));
  }
  // Step 4 (H_j += working variable j) is chainedCompress's: after 64 rounds the renaming is back where it started.
}

// The SIMD variant's v128 locals, after T1, AB and BC: the last four groups of
// message words (X_g holds W_4g … W_4g+3, in local X + g mod 4) and a scratch vector.
const X = BC + 1,
  Y = X + 4;
/** Pushes σ(Y) on four words at once: rotr(x, r1) ^ rotr(x, r2) ^ (x >>> s). */
function sigmaOfY(b: Body, r1: number, r2: number, s: number): void {
  b.get(Y).const(s).simd(Simd.i32x4ShrU);
  rotateRight(b, Y, r1);
  b.simd(Simd.v128Xor);
  rotateRight(b, Y, r2);
  b.simd(Simd.v128Xor);
}

/**
 * §6.2.2 step 1 for W_4g … W_4g+3 (g ≥ 4), four words per vector as in
 * Intel's SIMD SHA-256 (Gueron & Krasnov, 2012): σ0 and the W_t-16, W_t-7
 * terms for all four, σ1 of W_t-2 for the first two, then σ1 of the two just
 * made for the last two. W_t + K_t goes to SCRATCH for the rounds.
 */
function scheduleGroup(b: Body, g: number): void {
  const x = (k: number) => X + (k % 4);
  const [older, old, recent, last] = [x(g - 4), x(g - 3), x(g - 2), x(g - 1)]; // W_t-16…, W_t-12…, W_t-8…, W_t-4…
  b.get(older).get(old).shuffle(wordsFrom(1)).set(Y); // W_t-15 … W_t-12
  b.get(older);
  sigmaOfY(b, 7, 18, 3);
  b.simd(Simd.i32x4Add);
  b.get(recent).get(last).shuffle(wordsFrom(1)).simd(Simd.i32x4Add); // + W_t-7 … W_t-4
  b.get(last).v128Const(ZERO).shuffle(wordsFrom(2)).set(Y); // W_t-2, W_t-1, 0, 0
  sigmaOfY(b, 17, 19, 10);
  b.simd(Simd.i32x4Add).set(older); // W_t and W_t+1 are final
  b.v128Const(ZERO).get(older).shuffle(wordsFrom(2)).set(Y); // 0, 0, W_t, W_t+1
  b.get(older);
  sigmaOfY(b, 17, 19, 10);
  b.simd(Simd.i32x4Add).set(older);
  storeWordsPlusK(b, older, 4 * g, (t) => K[t]!);
}

/**
 * §6.2.2 steps 1–3 on the block at local PTR, the message schedule in
 * 128-bit SIMD, computed 16 rounds ahead of its use so it runs beside the
 * rounds on the vector units: the rounds themselves then only load W_t + K_t.
 */
function compressBlockSimd(b: Body): void {
  loadMessageBlock(b, PTR, X, (t) => K[t]!);
  b.get(VARS + 1)
    .get(VARS + 2)
    .op(Op.i32Xor)
    .set(AB);
  for (let t = 0; t < 64; t++) {
    if (t % 4 === 0 && t / 4 + 4 < 16) scheduleGroup(b, t / 4 + 4);
    round(b, t, ...majLocals(t), (b) => addStoredWord(b, t));
  }
}

/** The chaining value H lives at memory offset 0. */
const sha256Module = blockHashModule([chainedCompress('compress', 0, 8, BC - VARS + 1, compressBlock)]);
const sha256SimdModule = blockHashModule([chainedCompress('compress', 0, 8, BC - VARS + 1, compressBlockSimd, Y - X + 1)]);

/** SHA-256 with the SIMD message schedule where the engine has SIMD (`simd` chooses, for tests). */
export async function createSha256(simd = SIMD): Promise<Hasher> {
  const module = await (simd ? sha256SimdModule : sha256Module)();
  return singleHasher(createBlockHasher(module, [{ offset: 0, initial: H0, bigEndian: true, compress: 'compress' }]));
}
