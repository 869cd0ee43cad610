/**
 * BitLocker volumes: the volume header and the FVE metadata block, enough to
 * name the volume (its contents are encrypted). Microsoft publishes no
 * specification; the layout is the one libbde (Joachim Metz, "BitLocker Drive
 * Encryption (BDE) format") documents and blkid reads:
 *
 * Volume header (Windows 7 and later):  0 EB 58 90   3 "-FVE-FS-"   176 FVE metadata offset (8)
 * Volume header (To Go, on FAT):        0 EB 58 90   3 "MSWIN4.1"   440 FVE metadata offset (8)
 * Volume header (Vista):                0 EB 52 90   3 "-FVE-FS-"   (metadata located elsewhere; not read)
 * FVE metadata block:   0 "-FVE-FS-"   10 version (2)
 *                      64 metadata header: 0 size (4)  16 volume identifier (GUID, 16)
 *                     112 entries: 0 size (2)  2 entry type (2; 7 = description)  4 value type (2; 2 = UTF-16 string)  8 data
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields, decodeUtf16, guidToString } from '../../io/bytes.ts';

export type BitlockerKind = 'vista' | 'win7' | 'to-go';

export interface BitlockerVolume {
  kind: BitlockerKind;
  /** The FVE metadata block's version (1 Vista, 2 Windows 7 and later), when read. */
  version: number | null;
  /** The description Windows writes ("DESKTOP-1 C: 30.11.2026"), blkid's LABEL. */
  description: string | null;
  /** The volume identifier GUID, blkid's UUID (lower case). */
  volumeId: string | null;
}

/** The header's kind from its first eleven bytes, or null. */
export function bitlockerKind(f: Fields): BitlockerKind | null {
  if (f.length < 11 || f.u8(0) !== 0xeb || f.u8(2) !== 0x90) return null;
  const sig = f.ascii(3, 8);
  if (sig === '-FVE-FS-') return f.u8(1) === 0x52 ? 'vista' : f.u8(1) === 0x58 ? 'win7' : null;
  if (sig === 'MSWIN4.1' && f.u8(1) === 0x58) return 'to-go';
  return null;
}

const MAX_METADATA = 64 * 1024;
const ENTRY_DESCRIPTION = 7;
const VALUE_STRING = 2;

/**
 * Read the volume's BitLocker metadata, or null when the header is not
 * BitLocker's. A To Go header is only BitLocker when its metadata block is
 * where the header says (otherwise it is a plain FAT volume with that OEM name).
 */
export async function readBitlocker(src: ByteSource, base: number, head: Fields): Promise<BitlockerVolume | null> {
  const kind = bitlockerKind(head);
  if (!kind) return null;
  if (kind === 'vista') return { kind, version: null, description: null, volumeId: null };
  const at = head.u64le(kind === 'win7' ? 176 : 440);
  const bad = at === 0 || at % 64 !== 0 || base + at + 112 > src.size;
  if (bad) return kind === 'to-go' ? null : { kind, version: null, description: null, volumeId: null };
  const block = await src.read(base + at, 112);
  const f = new Fields(block, base + at, 'BitLocker FVE metadata block');
  if (block.length < 112 || f.ascii(0, 8) !== '-FVE-FS-') return kind === 'to-go' ? null : { kind, version: null, description: null, volumeId: null };
  const v: BitlockerVolume = { kind, version: f.u16le(10), description: null, volumeId: guidToString(f.raw(80, 16)).toLowerCase() };
  const size = Math.min(f.u32le(64), MAX_METADATA);
  if (size > 48) {
    const meta = await src.read(base + at + 64, size);
    const m = new Fields(meta, base + at + 64, 'BitLocker FVE metadata');
    for (let off = 48; off + 8 < meta.length;) {
      const entrySize = m.u16le(off);
      if (off % 2 || entrySize < 8 || off + entrySize > meta.length) break;
      if (m.u16le(off + 2) === ENTRY_DESCRIPTION && m.u16le(off + 4) === VALUE_STRING) {
        v.description = decodeUtf16(m.raw(off + 8, entrySize - 8), true).replace(/\0+$/, '');
        break;
      }
      off += entrySize;
    }
  }
  return v;
}
