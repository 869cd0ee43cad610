/**
 * The ISO 9660 directory hierarchy (ECMA-119 §6.8) as a TreeReader, under one
 * of its three namings: plain identifiers, Joliet UCS-2 names (the SVD's
 * tree), or Rock Ridge NM names (the PVD's tree, with SUSP entries).
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields } from '../../io/bytes.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import { FILE_FLAG, ISO_SECTOR, parseDirectoryRecord, type DirectoryRecord } from './descriptors.ts';
import { jolietName } from './joliet.ts';
import { interpretRockRidge, readSuspEntries, type RockRidgeAttributes } from './rockridge.ts';
import type { FileStat, TreeEntry, TreeReader } from '../tree.ts';

export type IsoNaming = 'iso9660' | 'joliet' | 'rockridge';

/** Largest directory extent read (bytes); a bigger one is refused as corrupt. */
const MAX_DIRECTORY_BYTES = 32 * 1024 * 1024;

/** Where a directory's records are. */
export interface IsoDirRef {
  offset: number;
  length: number;
}

/** Directory bytes read at a time. */
const DIRECTORY_PIECE = 256 * 1024;

/** All directory records of one directory extent (§6.8.1: records never cross a logical sector). */
async function readDirectoryRecords(src: ByteSource, extentOffset: number, dataLength: number, log: ProblemLog): Promise<DirectoryRecord[]> {
  const structure = 'ISO 9660 directory';
  if (dataLength > MAX_DIRECTORY_BYTES) {
    throw new FormatError('DIR_TOO_LARGE', `directory extent of ${dataLength} bytes exceeds the ${MAX_DIRECTORY_BYTES}-byte cap`, structure, extentOffset);
  }
  if (extentOffset + dataLength > src.size) {
    log.warn('DIR_PAST_END', `directory extent (${dataLength} bytes at ${extentOffset}) runs past the image's end at ${src.size}`, structure, extentOffset);
  }
  const records: DirectoryRecord[] = [];
  // Read a piece at a time: a budget that runs out mid-directory stops the reading too, not only the parsing.
  let bytes: Uint8Array = new Uint8Array(0);
  let base = 0;
  for (let sector = 0; sector < dataLength; sector += ISO_SECTOR) {
    if (sector >= base + bytes.length) {
      base = sector;
      bytes = await src.read(extentOffset + sector, Math.min(DIRECTORY_PIECE, dataLength - sector));
      if (bytes.length === 0) break;
    }
    const at0 = sector - base;
    const f = new Fields(bytes.subarray(at0, Math.min(bytes.length, at0 + ISO_SECTOR)), extentOffset + sector, structure);
    let at = 0;
    while (at < f.length) {
      const len = f.u8(at);
      if (len === 0) break; // the rest of this sector is padding
      try {
        log.budget.entry();
      } catch (e) {
        // Out of budget: the records read so far are the listing.
        log.fail(e, 'ISO 9660 directory', f.base + at);
        return records;
      }
      try {
        records.push(parseDirectoryRecord(f, at, log));
      } catch (e) {
        log.fail(e, 'ISO 9660 directory record', f.base + at);
        if (len < 34 || at + len > f.length) {
          // libcdio (iso9660_fs.c after 2.1.0) skips a record it cannot read by its declared length and reads on; this length
          // cannot be trusted (§9.1.1: 34 at least, within the sector), so read on from the next record that is whole and
          // consistent instead of losing the rest of the sector (isoinfo, 7-Zip and libcdio 2.1.0 stop here).
          const next = nextPlausibleRecord(f, at + 2);
          if (next === null) break;
          log.warn(
            'DIR_RECORDS_RECOVERED',
            `a damaged record at +${at} was skipped; reading resumes at the next whole record (+${next})`,
            structure,
            f.base + next,
          );
          at = next;
          continue;
        }
      }
      at += len;
    }
  }
  return records;
}

/**
 * The next offset (even, §9.1.13 pads records to even lengths) where a whole
 * directory record stands: a length of at least 34 that fits the sector, an
 * identifier that fits the record, and both-byte-order extent and size fields
 * (§7.3.3) that agree with themselves.
 */
function nextPlausibleRecord(f: Fields, from: number): number | null {
  const b = f.bytes;
  const le32 = (i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
  const be32 = (i: number) => (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
  for (let at = from + (from & 1); at + 34 <= b.length; at += 2) {
    const len = b[at]!;
    if (len < 34 || at + len > b.length || b[at + 32]! === 0 || 33 + b[at + 32]! > len) continue;
    if (le32(at + 2) !== be32(at + 6) || le32(at + 10) !== be32(at + 14)) continue;
    return at;
  }
  return null;
}

function isoName(id: Uint8Array): string {
  let s = '';
  for (const c of id) s += String.fromCharCode(c);
  // §7.5.1: "NAME.EXT;VERSION"; a name with no extension keeps a trailing dot.
  return s.replace(/;\d*$/, '').replace(/\.$/, '');
}

function isSelfOrParent(r: DirectoryRecord): boolean {
  return r.identifier.length === 1 && (r.identifier[0] === 0 || r.identifier[0] === 1);
}

export class IsoTreeReader implements TreeReader<IsoDirRef> {
  readonly root: TreeEntry<IsoDirRef>;
  constructor(
    private readonly src: ByteSource,
    private readonly rootRecord: DirectoryRecord,
    readonly naming: IsoNaming,
    private readonly blockSize: number,
    /** SUSP len_skp from the root's SP entry (Rock Ridge naming only). */
    private readonly suspSkip: number,
  ) {
    const offset = rootRecord.extent * blockSize;
    this.root = { name: '', path: '', dir: true, key: offset, ref: { offset, length: rootRecord.dataLength } };
  }

  on(image: ByteSource): IsoTreeReader {
    return new IsoTreeReader(image, this.rootRecord, this.naming, this.blockSize, this.suspSkip);
  }

  async stat(entry: TreeEntry<IsoDirRef>): Promise<FileStat> {
    return entry.stat ?? { size: 0, modified: null, extents: [] };
  }

  async list(dir: TreeEntry<IsoDirRef>, log: ProblemLog): Promise<TreeEntry<IsoDirRef>[]> {
    const bs = this.blockSize;
    const records = await readDirectoryRecords(this.src, dir.ref.offset, dir.ref.length, log);
    const out: TreeEntry<IsoDirRef>[] = [];
    let last: TreeEntry<IsoDirRef> | null = null;
    let lastContinues = false;
    for (const r of records) {
      if (isSelfOrParent(r)) continue;
      let rr: RockRidgeAttributes | null = null;
      if (this.naming === 'rockridge') {
        rr = interpretRockRidge(await readSuspEntries(this.src, r.systemUse, r.systemUseOffset, this.suspSkip, bs, log));
        if (rr.relocated) continue; // listed where its CL entry stands
      }
      if (this.naming === 'joliet' && r.identifier.length % 2 === 1) {
        log.warn(
          'JOLIET_ODD_NAME',
          `a Joliet name of ${r.identifier.length} bytes is not whole UCS-2 characters; its last byte is dropped`,
          'Joliet directory record',
          r.offset + 32,
        );
      }
      let name = rr?.name ?? (this.naming === 'joliet' ? jolietName(r.identifier) : isoName(r.identifier));
      const maxName = log.budget.limits.nameChars;
      if (name.length > maxName) {
        // Rock Ridge NM joins across continuation areas without a bound of its own; a name is kept at a length any file system allows.
        log.warn('NAME_TOO_LONG', `a name of ${name.length} characters in ${dir.path || '/'} is cut to ${maxName}`, 'Rock Ridge NM entry', r.offset);
        name = name.slice(0, maxName);
      }
      let isDir = (r.flags & FILE_FLAG.directory) !== 0;
      let offset = (r.extent + r.extAttrLength) * bs;
      let length = r.dataLength;
      if (rr?.childLink != null) {
        isDir = true;
        offset = rr.childLink * bs;
        length = await this.relocatedDirectoryLength(offset, log);
      }
      // §6.5.1 multi-extent: records of one file share its name; all but the last carry flag bit 7.
      if (last && lastContinues && !isDir && last.name === name && last.stat) {
        last.stat.extents = [...last.stat.extents, { offset, length }]; // rare: a file over 4 GiB, a few extents
        if (last.stat.compression) last.stat.compression.storedSize += length;
        else last.stat.size += length;
        lastContinues = (r.flags & FILE_FLAG.multiExtent) !== 0;
        continue;
      }
      lastContinues = !isDir && (r.flags & FILE_FLAG.multiExtent) !== 0;
      if (!name || name === '.' || name === '..' || name.includes('/')) {
        log.warn('BAD_NAME', `a directory entry in ${dir.path || '/'} has an unusable name "${name}"`, 'ISO 9660 directory record', r.offset);
        continue;
      }
      const stat: FileStat = { size: isDir ? 0 : length, modified: rr?.times.modified ?? r.recorded, extents: isDir ? [] : [{ offset, length }] };
      if (rr?.symlink != null) stat.symlink = rr.symlink;
      if (rr?.compressed && !isDir) {
        if (rr.compressed.algorithm === 'pz') {
          // zisofs: the record's length is what is stored; the file is ZF's uncompressed size (zisofs.ts reads it).
          stat.compression = { method: 'zisofs', storedSize: length, headerSize: rr.compressed.headerSize, blockLog2: rr.compressed.blockLog2 };
          stat.size = rr.compressed.uncompressedSize;
        } else {
          log.warn(
            'ZISOFS_UNSUPPORTED',
            `${dir.path}/${name} is compressed with "${rr.compressed.algorithm}", which isoscope does not read; its stored size is shown`,
            'Rock Ridge ZF entry',
            r.offset,
          );
        }
      }
      last = { name, path: `${dir.path}/${name}`, dir: isDir, key: isDir ? offset : r.offset, ref: { offset, length }, stat };
      out.push(last);
    }
    return out;
  }

  /** A Rock Ridge CL target's size comes from its own "." record. */
  private async relocatedDirectoryLength(offset: number, log: ProblemLog): Promise<number> {
    const bytes = await this.src.read(offset, ISO_SECTOR);
    try {
      return parseDirectoryRecord(new Fields(bytes, offset, 'ISO 9660 directory'), 0, log).dataLength;
    } catch (e) {
      log.fail(e, 'Rock Ridge relocated directory', offset);
      return 0;
    }
  }
}
