/**
 * The recognition sequence's spacing decides which UDF block sizes are tried
 * (issue #25 §5), as udfinfo (udftools readdisc.c read_vrs) and blkid
 * (util-linux udf.c probe_udf) walk it: 2048-byte slots for blocks up to
 * 2048 bytes, 4096-byte slots for 4096 (ECMA-167 2/8.4), each walk stopping
 * at the first slot holding no volume structure descriptor.
 */
import { describe, expect, it } from 'vitest';
import { recognitionOf } from '../../workers/formats/udf/reader.ts';

const slots = (...pairs: [number, string][]) => pairs.map(([lba, id]) => ({ lba, id }));

describe('recognitionOf', () => {
  it('descriptors 2048 bytes apart (mkudffs at 512-2048-byte blocks)', () => {
    expect(recognitionOf(slots([16, 'BEA01'], [17, 'NSR03'], [18, 'TEA01']), 16)).toEqual({ slots2048: true, slots4096: false });
  });
  it('descriptors 4096 bytes apart (mkudffs at 4096-byte blocks): the 2048-byte walk meets the blank half of BEA01', () => {
    expect(recognitionOf(slots([16, 'BEA01'], [18, 'NSR02'], [20, 'TEA01']), 16)).toEqual({ slots2048: false, slots4096: true });
  });
  it('a UDF bridge: the ISO 9660 set, then the extended area; both walks reach an NSR', () => {
    expect(recognitionOf(slots([16, 'CD001'], [17, 'CD001'], [18, 'CD001'], [19, 'BEA01'], [20, 'NSR02'], [21, 'TEA01']), 16)).toEqual({
      slots2048: true,
      slots4096: true,
    });
  });
  it('a blank first slot stops both walks (the reader then tries every size)', () => {
    expect(recognitionOf(slots([17, 'BEA01'], [18, 'NSR03']), 16)).toEqual({ slots2048: false, slots4096: false });
  });
  it('an unknown identifier ends the 2048-byte walk before a later NSR (the 4096-byte walk steps over it)', () => {
    expect(recognitionOf(slots([16, 'BEA01'], [17, 'XXXXX'], [18, 'NSR03']), 16)).toEqual({ slots2048: false, slots4096: true });
  });
  it('a later session: the walk starts at its own sector 16', () => {
    expect(recognitionOf(slots([16, 'CD001'], [1016, 'BEA01'], [1017, 'NSR03']), 1016)).toEqual({ slots2048: true, slots4096: false });
  });
});
