/**
 * msToIso (formats/timestamps.ts) writes what Date.prototype.toISOString
 * writes for the same whole millisecond: the engine's own formatter is the
 * reference, over the edges of its fast range and a million seeded values.
 */
import { describe, expect, it } from 'vitest';
import { msToIso } from '../../workers/formats/timestamps.ts';

const byDate = (ms: number) => {
  const d = new Date(Math.floor(ms));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

describe('msToIso', () => {
  it('agrees with Date at the edges: year 0 and 9999, leap days, before 1970, fractions cut, past Date’s range', () => {
    const edges = [
      0,
      -1,
      1,
      0.999,
      -0.5,
      -62167219200000,
      -62167219200001,
      253402300799999,
      253402300800000,
      8.64e15,
      -8.64e15,
      8.64e15 + 1,
      NaN,
      Infinity,
      951782400000 /* 2000-02-29 */,
      951868799999,
      -2208988800000.5,
      4107542400000 /* 2100-03-01 */,
      -11644473600000 /* 1601, FILETIME 0 */,
    ];
    for (const ms of edges) expect(msToIso(ms), String(ms)).toBe(byDate(ms));
  });

  it('agrees with Date on a million seeded times from 7500 BC to AD 11500, twice in a row (the remembered value)', () => {
    let seed = 0x2545f491;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const wrong: string[] = [];
    for (let i = 0; i < 1_000_000 && wrong.length < 5; i++) {
      const ms = Math.floor(next() * 3e14) + (i % 3 ? 0 : 0.25);
      for (let twice = 0; twice < 2; twice++) if (msToIso(ms) !== byDate(ms)) wrong.push(`${ms}: ${msToIso(ms)} ≠ ${byDate(ms)}`);
    }
    expect(wrong).toEqual([]);
  });
});
