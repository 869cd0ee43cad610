/**
 * SHA-1 and MD5 of the same bytes in one pass, their steps interleaved in a
 * single generated function ("stitching"). Each hash is one long chain of
 * dependent operations that leaves most of a core's execution units idle;
 * two independent chains side by side fill them, so the pair costs less
 * than the two run one after the other (bench/RESULTS.md). This is what
 * lets the common SHA-256 + SHA-1 + MD5 set finish, on two cores, in about
 * the time of SHA-256 alone.
 */
import {
  addChainingValue,
  blockHashModule,
  compressLoop,
  createBlockHasher,
  loadChainingValue,
  PTR,
  VARS,
  type BlockHasher,
  type CompressFunction,
} from './block-hasher.ts';
import { md5Compress, md5Lane, md5Steps } from './md5.ts';
import { sha1Compress, sha1Lane, sha1Steps, SHA1_SCHEDULE_LOCALS, SHA1_SIMD_LOCALS, type Sha1Schedule } from './sha1.ts';
import { SIMD } from './simd-schedule.ts';

/** Chaining values: SHA-1's five words at 0, MD5's four at 32. */
const SHA1_STATE = 0,
  MD5_STATE = 32;

/**
 * The stitched compression function. Locals: ptr, blocks, SHA-1's a..e, MD5's A..D,
 * then SHA-1's message schedule: SIMD vectors (numbered after every i32 local) or,
 * without SIMD, a 16-word window of i32 locals and a scratch word.
 */
function stitched(simd: boolean): CompressFunction {
  const SHA1_VARS = VARS,
    MD5_VARS = SHA1_VARS + 5,
    SCHEDULE = MD5_VARS + 4;
  const i32Locals = SCHEDULE - VARS + (simd ? 0 : SHA1_SCHEDULE_LOCALS);
  const schedule: Sha1Schedule = simd ? { x: VARS + i32Locals } : { w: SCHEDULE };
  return {
    name: 'compress',
    locals: i32Locals,
    v128Locals: simd ? SHA1_SIMD_LOCALS : 0,
    body: () =>
      compressLoop(
        (b) => {
          loadChainingValue(b, SHA1_STATE, SHA1_VARS, 5);
          loadChainingValue(b, MD5_STATE, MD5_VARS, 4);
        },
        (b) => {
          // SHA-1's 80 steps with MD5's 64 spread evenly among them.
          const sha1 = sha1Steps(PTR, SHA1_VARS, schedule),
            md5 = md5Steps(PTR, MD5_VARS);
          let m = 0;
          sha1.forEach((step, t) => {
            step(b);
            for (; m < 64 && m * 80 <= t * 64; m++) md5[m]!(b);
          });
          addChainingValue(b, SHA1_STATE, SHA1_VARS, 5);
          addChainingValue(b, MD5_STATE, MD5_VARS, 4);
        },
      ),
  };
}

const pairModule = (simd: boolean) => blockHashModule([stitched(simd), sha1Compress('sha1', SHA1_STATE, simd), md5Compress('md5', MD5_STATE)]);
const modules = { simd: pairModule(true), scalar: pairModule(false) };

/** Digests: [SHA-1, MD5]; SHA-1's schedule in SIMD where the engine has it (`simd` chooses, for tests). */
export async function createSha1Md5(simd = SIMD): Promise<BlockHasher> {
  return createBlockHasher(await modules[simd ? 'simd' : 'scalar'](), [sha1Lane(SHA1_STATE, 'sha1'), md5Lane(MD5_STATE, 'md5')]);
}
