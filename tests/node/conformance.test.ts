/**
 * Issue #14: images other tools read, read by isoscope's Node readers (as the
 * CLI runs them, with --files) and compared with those tools' read-backs.
 */
import { describe, expect, it } from 'vitest';
import { CONFORMANCE_CASES, imageOf } from '../fixtures/conformance/index.ts';
import { inspectPath } from './helpers.ts';

describe.each(CONFORMANCE_CASES)('$class: $name', (c) => {
  it('agrees with the independent tools', async () => {
    const path = await imageOf(c);
    const report = await inspectPath(path, { files: true });
    expect(c.check(report, path)).toEqual([]);
  });
});
