/**
 * MD5 (RFC 1321) in WebAssembly generated at start-up, like sha256.ts: the
 * 64 steps of §3.4 unrolled, the four state words renamed step by step (each
 * step writes its result into the local of the word it replaces), message
 * words loaded from the block as needed (MD5 is little-endian, as WebAssembly
 * memory is). Padding and the digest are block-hasher.ts's.
 */
import { Op, type Body } from './wasm-module.ts';
import { blockHashModule, chainedCompress, createBlockHasher, PTR, singleHasher, VARS, type CompressFunction, type Lane } from './block-hasher.ts';
import type { Hasher } from './hashers.ts';

/** §3.4: T[i] = floor(2^32 × |sin(i + 1)|). */
const T = [
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122,
  0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6,
  0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60,
  0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
  0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];
/** §3.4: the rotation amounts of each round's four steps. */
const S = [
  [7, 12, 17, 22],
  [5, 9, 14, 20],
  [4, 11, 16, 23],
  [6, 10, 15, 21],
] as const;

/** MD5's chaining value at `offset`, starting from §3.3's initial buffer A, B, C, D, finished by export `compress`. */
export const md5Lane = (offset: number, compress: string): Lane => ({
  offset,
  initial: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476],
  bigEndian: false,
  compress,
});

/**
 * The 64 steps of §3.4 on the block at local `ptr`, as emitters, with A, B,
 * C, D in locals `locals..locals+3`.
 * Separate emitters let sha1-md5.ts interleave them with SHA-1's steps.
 */
export function md5Steps(ptr: number, locals: number): ((b: Body) => void)[] {
  return Array.from({ length: 64 }, (_, i) => (b: Body) => {
    // In step i, role r (0 = a … 3 = d) lives in locals + ((r - i) mod 4): the new a is written
    // into a's local, which is b's in the next step.
    const role = (r: number) => locals + ((((r - i) % 4) + 4) % 4);
    const [a, bb, c, d] = [role(0), role(1), role(2), role(3)];
    const round = i >> 4;
    const k = [i, (5 * i + 1) % 16, (3 * i + 5) % 16, (7 * i) % 16][round]!;
    // a + X[k] + T[i] first: it does not wait for b, the word computed by the step before.
    b.get(a)
      .get(ptr)
      .load(4 * k)
      .op(Op.i32Add)
      .const(T[i]!)
      .op(Op.i32Add);
    if (round === 0) {
      // F(X,Y,Z) = XY v not(X) Z, as Z ^ (X & (Y ^ Z)).
      b.get(d).get(bb).get(c).get(d).op(Op.i32Xor).op(Op.i32And).op(Op.i32Xor).op(Op.i32Add);
    } else if (round === 1) {
      // G(X,Y,Z) = XZ v Y not(Z): the two terms share no bit, so add them, the one without X first.
      b.get(c).get(d).const(-1).op(Op.i32Xor).op(Op.i32And).op(Op.i32Add);
      b.get(bb).get(d).op(Op.i32And).op(Op.i32Add);
    } else if (round === 2) {
      // H(X,Y,Z) = X xor Y xor Z.
      b.get(c).get(d).op(Op.i32Xor).get(bb).op(Op.i32Xor).op(Op.i32Add);
    } else {
      // I(X,Y,Z) = Y xor (X v not(Z)).
      b.get(c).get(d).const(-1).op(Op.i32Xor).get(bb).op(Op.i32Or).op(Op.i32Xor).op(Op.i32Add);
    }
    // a = b + ((a + F(b,c,d) + X[k] + T[i]) <<< s)
    b.const(S[round]![i % 4]!)
      .op(Op.i32Rotl)
      .get(bb)
      .op(Op.i32Add)
      .set(a);
  });
}

/** MD5 alone on the chaining value at `state`, with A, B, C, D in locals VARS…; §3.4's A += AA etc. is chainedCompress's. */
export function md5Compress(name: string, state: number): CompressFunction {
  return chainedCompress(name, state, 4, 4, (b) => {
    for (const step of md5Steps(PTR, VARS)) step(b); // after 64 steps the renaming is back where it started
  });
}

const md5Module = blockHashModule([md5Compress('compress', 0)]);

export async function createMd5(): Promise<Hasher> {
  return singleHasher(createBlockHasher(await md5Module(), [md5Lane(0, 'compress')]));
}
