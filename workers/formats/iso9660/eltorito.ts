/**
 * El Torito Bootable CD-ROM Format Specification 1.0 (Phoenix/IBM, 1995).
 *
 * The boot catalog is a run of 32-byte entries (§2.0): a Validation Entry
 * (§2.1), the Initial/Default Entry (§2.2), then optional Section Headers
 * (§2.3) each followed by Section Entries (§2.4) and Extension Entries (§2.5).
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields, hex } from '../../io/bytes.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import { ISO_SECTOR } from './descriptors.ts';

/** §2.1/§2.3 platform id by name (0 BIOS, 0xEF UEFI, 1 PowerPC, 2 Mac), else its hex value. */
export type BootPlatform = 'bios' | 'uefi' | 'ppc' | 'mac' | `0x${string}`;
/** §2.2 boot media type by name, else its hex value. */
export type BootEmulation = 'none' | 'floppy-1.2' | 'floppy-1.44' | 'floppy-2.88' | 'hard-disk' | `0x${string}`;

const ENTRY = 32;
/** A catalog longer than this many sectors is treated as corrupt. */
const MAX_CATALOG_SECTORS = 16;
const MAX_ENTRIES = (MAX_CATALOG_SECTORS * ISO_SECTOR) / ENTRY;

export function platformName(id: number): BootPlatform {
  switch (id) {
    case 0:
      return 'bios';
    case 1:
      return 'ppc';
    case 2:
      return 'mac';
    case 0xef:
      return 'uefi';
    default:
      return hex(id) as BootPlatform;
  }
}

/** §2.2 boot media type, low nibble. */
export function emulationName(media: number): BootEmulation {
  switch (media & 0x0f) {
    case 0:
      return 'none';
    case 1:
      return 'floppy-1.2';
    case 2:
      return 'floppy-1.44';
    case 3:
      return 'floppy-2.88';
    case 4:
      return 'hard-disk';
    default:
      return hex(media & 0x0f) as BootEmulation;
  }
}

/** §2.1 Validation Entry. */
export interface ValidationEntry {
  headerId: number;
  platformId: number;
  idString: string;
  checksum: number;
  /** Sum of all sixteen 16-bit words is zero. */
  checksumOk: boolean;
  keyOk: boolean;
}

/** §2.2 Initial/Default Entry and §2.4 Section Entry share this layout. */
export interface CatalogBootEntry {
  platformId: number;
  bootIndicator: number;
  mediaType: number;
  loadSegment: number;
  systemType: number;
  sectorCount: number;
  loadRba: number;
  /** Section entries only: selection criteria type (byte 12). */
  selectionCriteria: number | null;
  sectionId: string | null;
  /** Absolute offset of the entry. */
  offset: number;
}

export interface BootCatalog {
  lba: number;
  validation: ValidationEntry;
  entries: CatalogBootEntry[];
}

function parseValidationEntry(f: Fields): ValidationEntry {
  let sum = 0;
  for (let i = 0; i < ENTRY; i += 2) sum = (sum + f.u16le(i)) & 0xffff;
  return {
    headerId: f.u8(0),
    platformId: f.u8(1),
    idString: f.ascii(4, 24),
    checksum: f.u16le(28),
    checksumOk: sum === 0,
    keyOk: f.u8(30) === 0x55 && f.u8(31) === 0xaa,
  };
}

function parseBootEntry(f: Fields, platformId: number, section: { id: string } | null): CatalogBootEntry {
  return {
    platformId,
    bootIndicator: f.u8(0),
    mediaType: f.u8(1),
    loadSegment: f.u16le(2),
    systemType: f.u8(4),
    sectorCount: f.u16le(6),
    loadRba: f.u32le(8),
    selectionCriteria: section ? f.u8(12) : null,
    sectionId: section ? section.id : null,
    offset: f.base,
  };
}

/** Read and parse the catalog at `lba`, section by section, bounded by MAX_ENTRIES. */
export async function readBootCatalog(src: ByteSource, lba: number, log: ProblemLog): Promise<BootCatalog> {
  const base = lba * ISO_SECTOR;
  const structure = 'El Torito boot catalog';
  if (base + ENTRY * 2 > src.size) {
    throw new FormatError('ELTORITO_CATALOG_PAST_END', `boot catalog sector ${lba} lies past the image's end`, structure, base);
  }
  const sectors: Uint8Array[] = [];
  let capHit = false;
  /** Entry `i` of the catalog; null past the image's end or past the MAX_ENTRIES cap (never read beyond it). */
  const entryAt = async (i: number): Promise<Fields | null> => {
    if (i >= MAX_ENTRIES) {
      capHit = true;
      return null;
    }
    const s = Math.floor((i * ENTRY) / ISO_SECTOR);
    while (sectors.length <= s) {
      const bytes = await src.read(base + sectors.length * ISO_SECTOR, ISO_SECTOR);
      sectors.push(bytes);
      if (bytes.length < ISO_SECTOR) break; // the image ends inside the catalog
    }
    const at = (i * ENTRY) % ISO_SECTOR;
    const sector = sectors[s];
    if (!sector || at + ENTRY > sector.length) return null;
    return new Fields(sector.subarray(at, at + ENTRY), base + i * ENTRY, structure);
  };

  const first = await entryAt(0);
  if (!first) throw new FormatError('ELTORITO_CATALOG_PAST_END', `boot catalog sector ${lba} is cut off by the image's end`, structure, base);
  const v = parseValidationEntry(first);
  if (v.headerId !== 1 || !v.keyOk) {
    throw new FormatError(
      'ELTORITO_BAD_VALIDATION',
      `boot catalog validation entry has header id ${hex(v.headerId)} and key ${v.keyOk ? 'ok' : 'wrong'} (expected 0x01 and 55 AA)`,
      'El Torito validation entry',
      base,
    );
  }
  if (!v.checksumOk) {
    log.warn('ELTORITO_CHECKSUM', 'boot catalog validation entry checksum does not sum to zero', 'El Torito validation entry', base + 28);
  }
  const entries: CatalogBootEntry[] = [];
  const initial = await entryAt(1);
  if (initial) entries.push(parseBootEntry(initial, v.platformId, null));

  let i = 2;
  let finalSeen = false;
  sections: while (!finalSeen) {
    const h = await entryAt(i);
    if (!h) break;
    const indicator = h.u8(0);
    if (indicator !== 0x90 && indicator !== 0x91) break; // no (more) sections
    finalSeen = indicator === 0x91;
    const platformId = h.u8(1);
    const count = h.u16le(2);
    const id = h.ascii(4, 28);
    i++;
    if (i + count > MAX_ENTRIES) {
      log.error(
        'ELTORITO_SECTION_TOO_BIG',
        `section header says ${count} entries, more than a ${MAX_CATALOG_SECTORS}-sector catalog holds`,
        'El Torito section header',
        h.base,
      );
      break;
    }
    for (let n = 0; n < count; n++) {
      const e = await entryAt(i++);
      if (!e) break sections;
      const bootIndicator = e.u8(0);
      // §2.4: a section entry's boot indicator is 88 (bootable) or 00 (not); anything else is not a boot entry, and is not reported as one.
      if (bootIndicator !== 0x88 && bootIndicator !== 0x00) {
        log.warn(
          'ELTORITO_BAD_ENTRY',
          `section entry ${n + 1} of "${id}" has boot indicator ${hex(bootIndicator)} (not 0x88 or 0x00): skipped`,
          'El Torito section entry',
          e.base,
        );
        continue;
      }
      const entry = parseBootEntry(e, platformId, { id });
      entries.push(entry);
      // §2.5: extension entries (0x44) follow while bit 5 of the media byte / bit 5 of byte 1 says so.
      let more = (entry.mediaType & 0x20) !== 0;
      while (more) {
        const x = await entryAt(i);
        if (!x) break sections;
        if (x.u8(0) !== 0x44) break;
        more = (x.u8(1) & 0x20) !== 0;
        i++;
      }
    }
  }
  if (capHit) {
    log.warn(
      'ELTORITO_TOO_MANY_ENTRIES',
      `the boot catalog runs past ${MAX_ENTRIES} entries (${MAX_CATALOG_SECTORS} sectors); entries beyond are not read`,
      structure,
      base + MAX_ENTRIES * ENTRY,
    );
  }
  return { lba, validation: v, entries };
}
