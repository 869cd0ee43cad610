/**
 * Disc images that store whole sectors, not just their 2048 bytes of user
 * data: how burners and archivers save CDs (BIN files beside a CUE sheet,
 * Nero's NRG). The layouts (ECMA-130 §14 and Annex A; "Yellow Book" Mode 2):
 *
 *   raw 2352, Mode 1:         0 sync (00 FF×10 00)  12 header (minute, second, frame in BCD; mode = 1)
 *                             16 user data (2048)   2064 EDC (4)  2068 zero (8)  2076 ECC P/Q (276)
 *   raw 2352, Mode 2 Form 1:  0 sync  12 header (mode = 2)  16 subheader (8; submode bit 5 = 0: Form 1)
 *                             24 user data (2048)   2072 EDC (4)  2076 ECC (276)
 *   2336 (Mode 2 without sync and header): 0 subheader (8)  8 user data (2048)  …
 *
 * An image is recognised by what stands where sector 16's user data would
 * be: a volume descriptor (ISO 9660 "CD001", UDF "BEA01"/"NSR0x").
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields } from '../../io/bytes.ts';
import type { SectorMapping } from '../../io/sector-source.ts';
import type { CueSheet } from './cue.ts';

export type SectorFormat = 'mode1-2352' | 'mode2-form1-2352' | 'mode2-2336' | 'cooked-2048';

export interface SectorLayout extends SectorMapping {
  /** How the file was recognised: raw sectors by their sync pattern, a Nero image by its footer, a CUE sheet's track. */
  container: 'raw' | 'nrg' | 'cue';
  format: SectorFormat;
}

const SYNC = [0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00];
const VRS_IDS = ['CD001', 'BEA01', 'NSR02', 'NSR03', 'BOOT2', 'CDW02'];

function hasSync(b: Uint8Array): boolean {
  return b.length >= 16 && SYNC.every((x, i) => b[i] === x);
}

/** Is there a volume descriptor (its identifier at byte 1) in these bytes? */
function isVolumeDescriptor(b: Uint8Array): boolean {
  return b.length >= 6 && VRS_IDS.includes(String.fromCharCode(...b.subarray(1, 6)));
}

/** The layout of a track whose sector 0 (at `start`) is given; null when its sector 16 holds no descriptor. */
async function rawLayoutAt(src: ByteSource, start: number, container: SectorLayout['container'], end = src.size): Promise<SectorLayout | null> {
  const head = await src.read(start, 16);
  const sectorsFrom = (bytes: number) => Math.floor((Math.min(end, src.size) - start) / bytes);
  if (hasSync(head)) {
    const mode = head[15];
    const at16 = start + 16 * 2352;
    const s16 = await src.read(at16, 32);
    if (!hasSync(s16)) return null;
    if (mode === 1 && isVolumeDescriptor(s16.subarray(16))) {
      return { container, format: 'mode1-2352', start, sectorBytes: 2352, dataOffset: 16, sectors: sectorsFrom(2352) };
    }
    // Mode 2: Form 1 carries 2048 bytes after the 8-byte subheader (submode bit 5 clear).
    if (mode === 2 && (s16[18]! & 0x20) === 0 && isVolumeDescriptor(s16.subarray(24))) {
      return { container, format: 'mode2-form1-2352', start, sectorBytes: 2352, dataOffset: 24, sectors: sectorsFrom(2352) };
    }
    return null;
  }
  const m2 = await src.read(start + 16 * 2336 + 8, 8);
  if (isVolumeDescriptor(m2)) return { container, format: 'mode2-2336', start, sectorBytes: 2336, dataOffset: 8, sectors: sectorsFrom(2336) };
  const cooked = await src.read(start + 16 * 2048, 8);
  if (start > 0 && isVolumeDescriptor(cooked)) return { container, format: 'cooked-2048', start, sectorBytes: 2048, dataOffset: 0, sectors: sectorsFrom(2048) };
  return null;
}

/** Only the sync pattern at the file's start: the cheap first test every file gets. */
export async function startsWithSync(src: ByteSource): Promise<boolean> {
  return hasSync(await src.read(0, 16));
}

/**
 * A Nero image: its footer (the last 12 bytes "NER5" and a 64-bit big-endian
 * offset, or the last 8 "NERO" and a 32-bit one) points at a chain of chunks
 * (4-byte id, 32-bit big-endian size, data) ending in "END!". The disc-at-once
 * chunk (DAOX in version 2, DAOI in 1) lists each track: after a 22-byte head
 * (size, UPC 14, TOC type 2, first and last track), entries of ISRC (12),
 * sector size (2, big-endian), mode (2), 2 unknown, then index 0, index 1 and
 * end as byte offsets in the file (8 bytes each in DAOX, 4 in DAOI). The
 * first track whose index 1 holds a volume descriptor is the data track.
 */
async function nrgLayout(src: ByteSource): Promise<SectorLayout | null> {
  if (src.size < 16) return null;
  const tail = new Fields(await src.read(src.size - 12, 12), src.size - 12, 'NRG footer');
  let chunk: number;
  let v2: boolean;
  if (tail.ascii(0, 4) === 'NER5') {
    chunk = tail.u32be(4) * 2 ** 32 + tail.u32be(8);
    v2 = true;
  } else if (tail.ascii(4, 4) === 'NERO') {
    chunk = tail.u32be(8);
    v2 = false;
  } else return null;
  for (let hops = 0; hops < 64 && chunk + 8 <= src.size; hops++) {
    const h = new Fields(await src.read(chunk, 8), chunk, 'NRG chunk');
    const id = h.ascii(0, 4);
    const size = h.u32be(4);
    if (id === 'END!') break;
    if ((id === 'DAOX' && v2) || (id === 'DAOI' && !v2)) {
      const d = new Fields(await src.read(chunk + 8, Math.min(size, 64 * 1024)), chunk + 8, `NRG ${id} chunk`);
      const entry = v2 ? 42 : 30;
      for (let at = 22; at + entry <= d.length; at += entry) {
        const sectorBytes = d.u16be(at + 12);
        const index1 = v2 ? d.u32be(at + 26) * 2 ** 32 + d.u32be(at + 30) : d.u32be(at + 22);
        const end = v2 ? d.u32be(at + 34) * 2 ** 32 + d.u32be(at + 38) : d.u32be(at + 26);
        if (![2048, 2336, 2352].includes(sectorBytes) || index1 >= src.size) continue;
        const found = await rawLayoutAt(src, index1, 'nrg', end > index1 ? end : src.size);
        if (found) return found;
      }
      return null;
    }
    chunk += 8 + size;
  }
  return null;
}

/** What the report says about a file stored as whole sectors (or described by a CUE sheet). */
export interface SectorsSummary {
  container: SectorLayout['container'] | null;
  /** Null for a CUE sheet with audio tracks only. */
  format: SectorFormat | null;
  sectorBytes: number | null;
  dataOffset: number | null;
  /** Where the data track starts in the file, and how many sectors it holds. */
  start: number | null;
  sectors: number | null;
  /** The CUE sheet's tracks, when the image was opened from one. */
  tracks: { number: number; type: string; file: string; index1: number; byteStart: number; audio: boolean }[];
}

export interface ChosenLayout {
  mapping: SectorLayout | null;
  audioOnly: boolean;
  summary: SectorsSummary;
}

const summaryOf = (l: SectorLayout | null, cue: CueSheet | null): SectorsSummary => ({
  container: l?.container ?? (cue ? 'cue' : null),
  format: l?.format ?? null,
  sectorBytes: l?.sectorBytes ?? null,
  dataOffset: l?.dataOffset ?? null,
  start: l?.start ?? null,
  sectors: l?.sectors ?? null,
  tracks: (cue?.tracks ?? []).map((t) => ({ number: t.number, type: t.type, file: t.file, index1: t.index1, byteStart: t.byteStart, audio: t.audio })),
});

/**
 * How to read the file: through a CUE sheet's first data track, as raw
 * sectors (sync at its start), or — only when it read as nothing else — as
 * Mode 2 2336-byte sectors or a Nero image. Null: a plain image.
 */
export async function sectorLayout(src: ByteSource, cue: CueSheet | null, sync: boolean, recognised: boolean): Promise<ChosenLayout | null> {
  if (cue) {
    const data = cue.tracks.find((t) => !t.audio);
    if (!data) return { mapping: null, audioOnly: cue.tracks.length > 0, summary: summaryOf(null, cue) };
    // The track ends where the next one in its file begins (audio after data on a mixed-mode disc).
    const next = cue.tracks.find((t) => t.file === data.file && t.byteStart > data.byteStart);
    const end = next ? next.areaStart : src.size;
    const mapping =
      (await rawLayoutAt(src, data.byteStart, 'cue', end)) ??
      (data.sectorBytes === 2048
        ? {
            container: 'cue' as const,
            format: 'cooked-2048' as const,
            start: data.byteStart,
            sectorBytes: 2048,
            dataOffset: 0,
            sectors: Math.floor((end - data.byteStart) / 2048),
          }
        : null);
    return { mapping, audioOnly: false, summary: summaryOf(mapping, cue) };
  }
  const mapping = sync ? await rawLayoutAt(src, 0, 'raw') : recognised ? null : ((await rawLayoutAt(src, 0, 'raw')) ?? (await nrgLayout(src)));
  return mapping ? { mapping, audioOnly: false, summary: summaryOf(mapping, null) } : null;
}
