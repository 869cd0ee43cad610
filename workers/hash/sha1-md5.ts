/**
 * SHA-1 and MD5 of the same bytes in one pass, their steps interleaved in a
 * single generated function ("stitching"). Each hash is one long chain of
 * dependent operations that leaves most of a core's execution units idle;
 * two independent chains side by side fill them, so the pair costs about
 * 0.75 of the two run one after the other (bench/RESULTS.md). This is what
 * lets the common SHA-256 + SHA-1 + MD5 set finish, on two cores, in about
 * the time of SHA-256 alone.
 */
import { addChainingValue, blockHashModule, compressLoop, createBlockHasher, loadChainingValue, PTR, VARS, type BlockHasher, type CompressFunction } from './block-hasher.ts';
import { md5Compress, md5Lane, md5Steps } from './md5.ts';
import { sha1Compress, sha1Lane, sha1Steps, SHA1_SCHEDULE_LOCALS } from './sha1.ts';

/** Chaining values: SHA-1's five words at 0, MD5's four at 32. */
const SHA1_STATE = 0, MD5_STATE = 32;
// Locals: ptr, blocks, SHA-1's a..e, its schedule (16 words and a scratch word), then MD5's A..D.
const SHA1_VARS = VARS, SHA1_W = SHA1_VARS + 5, MD5_VARS = SHA1_W + SHA1_SCHEDULE_LOCALS;

const stitched: CompressFunction = {
  name: 'compress',
  locals: MD5_VARS + 4 - VARS,
  body: () =>
    compressLoop(
      (b) => {
        loadChainingValue(b, SHA1_STATE, SHA1_VARS, 5);
        loadChainingValue(b, MD5_STATE, MD5_VARS, 4);
      },
      (b) => {
        // SHA-1's 80 steps with MD5's 64 spread evenly among them.
        const sha1 = sha1Steps(PTR, SHA1_VARS, SHA1_W), md5 = md5Steps(PTR, MD5_VARS);
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

const module = blockHashModule([stitched, sha1Compress('sha1', SHA1_STATE), md5Compress('md5', MD5_STATE)]);

/** Digests: [SHA-1, MD5]. */
export async function createSha1Md5(): Promise<BlockHasher> {
  return createBlockHasher(await module(), [sha1Lane(SHA1_STATE, 'sha1'), md5Lane(MD5_STATE, 'md5')]);
}
