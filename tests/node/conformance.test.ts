/**
 * Issue #14: images other tools read, read by isoscope's Node readers (as the
 * CLI runs them, with --files) and compared with those tools' read-backs;
 * file contents are read through the same Disc the app uses.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseCue } from '../../workers/formats/disk/cue.ts';
import { describe, expect, it } from 'vitest';
import { openDisc } from '../../workers/core/disc.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { CONFORMANCE_CASES, imageOf } from '../fixtures/conformance/index.ts';

describe.each(CONFORMANCE_CASES)('$class: $name', (c) => {
  it('agrees with the independent tools', async () => {
    const path = await imageOf(c);
    const src = await NodeFileSource.open(path);
    try {
      const cue = c.viaCue ? parseCue(readFileSync(path.replace(/\.img$/, '.cue'), 'latin1')) : undefined;
      const disc = await openDisc(src, { files: true, cue, ...c.options });
      const digests: Record<string, string> = {};
      for (const f of c.contents ?? []) {
        const head = await disc.file(f.tree, f.path);
        if (!head) continue;
        const hash = createHash('sha256');
        for (let at = 0; at < head.size; at += 4 << 20) hash.update((await disc.fileRange(f.tree, f.path, at, 4 << 20))!);
        digests[f.path] = hash.digest('hex');
      }
      expect(c.check(disc.report, path, digests)).toEqual([]);
    } finally {
      await src.close();
    }
  });
});
