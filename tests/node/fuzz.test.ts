/**
 * The seeded fuzz pass of the normal test run: at least 5 000 mutated images
 * from the good fixtures, each inspected with --files. No throw, no
 * unanticipated exception, no NaN/undefined in the report, under 2 s each.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './helpers.ts';
import { amplify, mutate, rng, runCase, structureRanges } from '../fuzz/mutator.ts';
import { CONFORMANCE_CASES, imageOf } from '../fixtures/conformance/index.ts';

const SEED = 20261122;
const PLAN: [string, number][] = [
  ['plain.iso', 1200],
  ['joliet-rr.iso', 1400],
  ['udf-bridge.iso', 1600],
  ['win7-pro-x64.iso', 1800],
  ['win11-esd.iso', 500],
  ['win10-arm64-swm.iso', 400],
  ['bios-uefi-gpt.iso', 500],
  ['apm-hybrid.iso', 300],
  ['appended-efi.iso', 300],
];

describe('seeded mutation fuzzing', () => {
  it.each(PLAN)('%s × %i mutations', async (name, cases) => {
    const original = new Uint8Array(readFileSync(join(FIXTURES, name)));
    const ranges = await structureRanges(original, name);
    const random = rng(SEED ^ (name.length * 7919));
    const failures: string[] = [];
    for (let i = 0; i < cases; i++) {
      const m = mutate(original, ranges, random);
      const r = await runCase(m.bytes, name);
      if (r.faults.length || r.ms > 2000) failures.push(`#${i} (${m.description}): ${r.faults.join('; ') || `took ${r.ms.toFixed(0)} ms`}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it.each(PLAN.map(([name]) => name))('%s × 60 amplifications (copies of good structures: records, units, pointers)', async (name) => {
    const original = new Uint8Array(readFileSync(join(FIXTURES, name)));
    const ranges = await structureRanges(original, name);
    const random = rng(SEED ^ (name.length * 104729));
    const failures: string[] = [];
    for (let i = 0; i < 60; i++) {
      const m = amplify(original, ranges, random);
      const r = await runCase(m.bytes, name);
      if (r.faults.length || r.ms > 2000) failures.push(`#${i} (${m.description}): ${r.faults.join('; ') || `took ${r.ms.toFixed(0)} ms`}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  // Volumes and disks made by their own tools at test time (tests/fixtures/conformance): FAT12/32, a partitioned Windows stick, exFAT, NTFS.
  const VOLUME_PLAN: [string, number][] = [
    ['fat12-floppy', 600],
    ['fat32-volume', 60],
    ['windows-stick-mbr', 60],
    ['exfat-volume', 200],
    ['ntfs-volume', 200],
  ];
  it.each(VOLUME_PLAN)('%s × %i mutations', async (name, cases) => {
    const path = await imageOf(CONFORMANCE_CASES.find((c) => c.name === name)!);
    const original = new Uint8Array(readFileSync(path));
    const ranges = await structureRanges(original, name);
    expect(ranges.length).toBeGreaterThan(2);
    const random = rng(SEED ^ (name.length * 6151));
    const failures: string[] = [];
    for (let i = 0; i < cases; i++) {
      const m = random() < 0.2 ? amplify(original, ranges, random) : mutate(original, ranges, random);
      const r = await runCase(m.bytes, name);
      if (r.faults.length || r.ms > 2000) failures.push(`#${i} (${m.description}): ${r.faults.join('; ') || `took ${r.ms.toFixed(0)} ms`}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('plans at least 5 000 cases', () => {
    expect(PLAN.reduce((n, [, c]) => n + c, 0)).toBeGreaterThanOrEqual(5000);
  });
});
