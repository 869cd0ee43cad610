/** Every broken image of the corpus gives its expected code, and what could be read is still shown. */
import { describe, expect, it } from 'vitest';
import { BAD_CASES } from '../fixtures/bad/corpus.ts';
import { BufferSource } from '../../workers/io/byte-source.ts';
import { openDisc } from '../../workers/core/disc.ts';
import { nodeHashers } from '../../workers/hash/node-hashers.ts';
import { reportFaults } from '../fuzz/mutator.ts';

describe.each(BAD_CASES)('$name', (c) => {
  it(`reports ${c.code} and keeps what it can`, async () => {
    const bytes = await c.build();
    const t0 = performance.now();
    const src = new BufferSource(bytes, `${c.name}.${c.verifyWim ? 'wim' : 'iso'}`);
    const disc = await openDisc(src, { files: true });
    const r = disc.report;
    if (c.verifyWim) {
      const v = await disc.verifyWim(nodeHashers);
      r.errors.push(...v.errors);
      r.warnings.push(...v.warnings);
      if (v.wimIntegrity) r.wimIntegrity = v.wimIntegrity;
    }
    expect(performance.now() - t0).toBeLessThan(2000);
    const codes = [...r.errors, ...r.warnings].map((p) => p.code);
    expect(codes).toContain(c.code);
    const p = [...r.errors, ...r.warnings].find((x) => x.code === c.code)!;
    expect(p.message.length).toBeGreaterThan(10);
    expect(p.structure.length).toBeGreaterThan(0);
    expect(reportFaults(r)).toEqual([]);
    if (c.keeps === 'volume') expect(r.volume).not.toBeNull();
    if (c.keeps === 'udf') expect(r.filesystems.udf).not.toBeNull();
    if (c.keeps === 'windows-header') expect(r.windows?.imageCount).toBe(2);
    expect(c.check?.(r) ?? []).toEqual([]);
  });
});
