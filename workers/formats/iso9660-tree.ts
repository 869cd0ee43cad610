/**
 * Walks an ISO 9660 directory hierarchy (ECMA-119 §6.8) under one of its three
 * namings: plain ISO 9660 identifiers, Joliet UCS-2 names (the SVD's tree), or
 * Rock Ridge NM names (the PVD's tree, with SUSP entries).
 *
 * Breadth-first, so a bounded walk sees the shallow files first. Bounded by
 * entry, directory and depth caps; a directory extent seen twice is a cycle.
 */
import type { ByteSource } from '../io/byte-source.ts';
import { Fields } from '../io/bytes.ts';
import { FormatError, type ProblemLog } from '../report/problems.ts';
import { FILE_FLAG, ISO_SECTOR, parseDirectoryRecord, type DirectoryRecord } from './iso9660.ts';
import { jolietName } from './joliet.ts';
import { interpretRockRidge, readSuspEntries, type RockRidgeAttributes } from './rockridge.ts';

export type IsoNaming = 'iso9660' | 'joliet' | 'rockridge';

export interface Extent {
  /** Absolute byte offset in the image. */
  offset: number;
  length: number;
}

export interface IsoFile {
  path: string;
  size: number;
  dir: boolean;
  modified: string | null;
  /** Where the bytes are; several for a multi-extent (level 3) file. */
  extents: Extent[];
  symlink?: string;
  mode?: number;
}

export interface WalkLimits {
  maxEntries: number;
  maxDirectories: number;
  maxDepth: number;
  /** Largest directory extent read (bytes). */
  maxDirectoryBytes: number;
  /** Total directory bytes this walk may read; past it the walk stops quietly (a budget, not a fault). */
  budgetBytes: number;
}

export const DEFAULT_LIMITS: WalkLimits = { maxEntries: 1_000_000, maxDirectories: 100_000, maxDepth: 64, maxDirectoryBytes: 32 * 1024 * 1024, budgetBytes: Number.MAX_SAFE_INTEGER };

export interface WalkOptions {
  naming: IsoNaming;
  blockSize: number;
  /** SUSP len_skp from the root's SP entry (Rock Ridge naming only). */
  suspSkip: number;
  limits?: Partial<WalkLimits>;
  /** Return true to stop the walk early (e.g. every wanted file found). */
  visit: (file: IsoFile) => boolean | void;
}

export interface WalkResult {
  complete: boolean;
  entries: number;
  directories: number;
}

/** All directory records of one directory extent (§6.8.1: records never cross a logical sector). */
export async function readDirectoryRecords(
  src: ByteSource,
  extentOffset: number,
  dataLength: number,
  maxBytes: number,
  log: ProblemLog,
): Promise<DirectoryRecord[]> {
  const structure = 'ISO 9660 directory';
  if (dataLength > maxBytes) {
    throw new FormatError('DIR_TOO_LARGE', `directory extent of ${dataLength} bytes exceeds the ${maxBytes}-byte cap`, structure, extentOffset);
  }
  if (extentOffset + dataLength > src.size) {
    log.warn('DIR_PAST_END', `directory extent (${dataLength} bytes at ${extentOffset}) runs past the image's end at ${src.size}`, structure, extentOffset);
  }
  const bytes = await src.read(extentOffset, dataLength);
  const records: DirectoryRecord[] = [];
  for (let sector = 0; sector < bytes.length; sector += ISO_SECTOR) {
    const f = new Fields(bytes.subarray(sector, Math.min(bytes.length, sector + ISO_SECTOR)), extentOffset + sector, structure);
    let at = 0;
    while (at < f.length) {
      const len = f.u8(at);
      if (len === 0) break; // the rest of this sector is padding
      try {
        records.push(parseDirectoryRecord(f, at, log));
      } catch (e) {
        log.fail(e, 'ISO 9660 directory record', f.base + at);
        // A record whose own length is sane can be stepped over; otherwise the rest of the sector is lost.
        if (len < 34 || at + len > f.length) break;
      }
      at += len;
    }
  }
  return records;
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

interface QueuedDir {
  path: string;
  offset: number;
  length: number;
  depth: number;
}

export async function walkIsoTree(src: ByteSource, root: DirectoryRecord, opts: WalkOptions, log: ProblemLog): Promise<WalkResult> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const bs = opts.blockSize;
  const queue: QueuedDir[] = [{ path: '', offset: root.extent * bs, length: root.dataLength, depth: 0 }];
  const seen = new Set<number>();
  let entries = 0;
  let directories = 0;
  let spent = 0;
  for (let qi = 0; qi < queue.length; qi++) {
    const dir = queue[qi]!;
    queue[qi] = undefined as unknown as QueuedDir; // let finished entries be collected
    if (seen.has(dir.offset)) {
      log.warn('DIR_CYCLE', `directory ${dir.path || '/'} points back to an extent already walked`, 'ISO 9660 directory', dir.offset);
      continue;
    }
    seen.add(dir.offset);
    if (++directories > limits.maxDirectories) {
      log.warn('TOO_MANY_DIRECTORIES', `stopped after ${limits.maxDirectories} directories`, 'ISO 9660 directory', dir.offset);
      return { complete: false, entries, directories };
    }
    spent += dir.length;
    if (spent > limits.budgetBytes) return { complete: false, entries, directories };
    let records: DirectoryRecord[];
    try {
      records = await readDirectoryRecords(src, dir.offset, dir.length, limits.maxDirectoryBytes, log);
    } catch (e) {
      log.fail(e, 'ISO 9660 directory', dir.offset);
      continue;
    }
    let pending: IsoFile | null = null;
    for (const r of records) {
      if (isSelfOrParent(r)) continue;
      let rr: RockRidgeAttributes | null = null;
      if (opts.naming === 'rockridge') {
        const susp = await readSuspEntries(src, r.systemUse, r.systemUseOffset, opts.suspSkip, bs, log);
        rr = interpretRockRidge(susp);
        if (rr.relocated) continue; // listed where its CL entry stands
      }
      const name = rr?.name ?? (opts.naming === 'joliet' ? jolietName(r.identifier) : isoName(r.identifier));
      if (!name || name === '.' || name === '..' || name.includes('/')) {
        log.warn('BAD_NAME', `a directory entry in ${dir.path || '/'} has an unusable name "${name}"`, 'ISO 9660 directory record', r.offset);
        continue;
      }
      const path = `${dir.path}/${name}`;
      let isDir = (r.flags & FILE_FLAG.directory) !== 0;
      let extentOffset = r.extent * bs + r.extAttrLength * bs;
      let length = r.dataLength;
      if (rr?.childLink != null) {
        isDir = true;
        extentOffset = rr.childLink * bs;
        length = await relocatedDirectoryLength(src, extentOffset, log);
      }
      // §6.5.1 multi-extent: records with the same name, all but the last flagged.
      if (pending && pending.path === path && !isDir) {
        pending.extents.push({ offset: extentOffset, length });
        pending.size += length;
      } else {
        if (pending) {
          if (opts.visit(pending)) return { complete: false, entries, directories };
          pending = null;
        }
        if (++entries > limits.maxEntries) {
          log.warn('TOO_MANY_ENTRIES', `stopped after ${limits.maxEntries} entries`, 'ISO 9660 directory', dir.offset);
          return { complete: false, entries, directories };
        }
        const file: IsoFile = { path, size: isDir ? 0 : length, dir: isDir, modified: rr?.times.modified ?? r.recorded, extents: isDir ? [] : [{ offset: extentOffset, length }] };
        if (rr?.symlink != null) file.symlink = rr.symlink;
        if (rr?.mode != null) file.mode = rr.mode;
        if (isDir) {
          if (dir.depth + 1 > limits.maxDepth) log.warn('TOO_DEEP', `${path} lies deeper than ${limits.maxDepth} levels; not walked`, 'ISO 9660 directory', r.offset);
          else queue.push({ path, offset: extentOffset, length, depth: dir.depth + 1 });
        }
        pending = file;
      }
      if (!(r.flags & FILE_FLAG.multiExtent) && pending && !pending.dir) {
        if (opts.visit(pending)) return { complete: false, entries, directories };
        pending = null;
      } else if (pending?.dir) {
        if (opts.visit(pending)) return { complete: false, entries, directories };
        pending = null;
      }
    }
    if (pending && opts.visit(pending)) return { complete: false, entries, directories };
  }
  return { complete: true, entries, directories };
}

/** A Rock Ridge CL target's size comes from its own "." record. */
async function relocatedDirectoryLength(src: ByteSource, offset: number, log: ProblemLog): Promise<number> {
  const bytes = await src.read(offset, ISO_SECTOR);
  try {
    return parseDirectoryRecord(new Fields(bytes, offset, 'ISO 9660 directory'), 0, log).dataLength;
  } catch (e) {
    log.fail(e, 'Rock Ridge relocated directory', offset);
    return 0;
  }
}
