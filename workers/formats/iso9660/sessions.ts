/**
 * Sessions of a multi-session disc image. A disc written in several sessions
 * (a CD-R or DVD±R "left open", a growing backup) has one volume descriptor
 * set per session, each at its session's start + 16, with addresses counted
 * from the disc's start; each set describes the whole volume as of that
 * session, and operating systems read the last one. An image file keeps no
 * table of contents, so the chain is followed the way it was written: a
 * session's primary descriptor gives its volume's end (volume space size),
 * and the next session begins there, or at the next 32-sector boundary
 * (xorriso, growisofs), or after a CD-R's lead-out and lead-in (11 400
 * sectors after the first session, 6 900 after later ones; Orange Book).
 * xorriso's images of overwritable media keep their first session at sector
 * 32 and a copy of the newest set at 16.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields } from '../../io/bytes.ts';
import { ISO_SECTOR } from './descriptors.ts';

export interface IsoSession {
  /** 1-based, in the order written. */
  number: number;
  /** The sector the session starts at; its descriptors are at start + 16. */
  start: number;
  volumeId: string;
  /** Where this session's volume ends (its primary descriptor's volume space size, in sectors). */
  volumeBlocks: number;
}

const MAX_SESSIONS = 99;
const GAPS = [0, 11400, 6900];

async function primaryAt(src: ByteSource, start: number): Promise<{ volumeId: string; volumeBlocks: number } | null> {
  const at = (start + 16) * ISO_SECTOR;
  if (at + ISO_SECTOR > src.size) return null;
  const b = await src.read(at, 88);
  if (b.length < 88 || b[0] !== 1 || String.fromCharCode(...b.subarray(1, 6)) !== 'CD001') return null;
  const f = new Fields(b, at, 'Primary Volume Descriptor');
  return { volumeId: f.text(40, 32), volumeBlocks: f.u32le(80) };
}

/** Every session found, in order; a single-session disc gives one (or none when sector 16 holds no primary descriptor). */
export async function findSessions(src: ByteSource): Promise<IsoSession[]> {
  const sessions: IsoSession[] = [];
  let start = (await primaryAt(src, 32)) ? 32 : 0;
  let found = await primaryAt(src, start);
  while (found && sessions.length < MAX_SESSIONS) {
    sessions.push({ number: sessions.length + 1, start, volumeId: found.volumeId, volumeBlocks: found.volumeBlocks });
    // Counted from the disc's start, as ECMA-119 has it; a first session written at 32 by xorriso counts from its own start.
    const end = found.volumeBlocks > start ? found.volumeBlocks : start + found.volumeBlocks;
    if (found.volumeBlocks === 0) break;
    found = null;
    for (const gap of GAPS) {
      for (const next of new Set([end + gap, Math.ceil((end + gap) / 32) * 32])) {
        if (next <= start) continue;
        const p = await primaryAt(src, next);
        if (p) {
          start = next;
          found = p;
          break;
        }
      }
      if (found) break;
    }
  }
  return sessions;
}
