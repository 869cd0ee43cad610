/**
 * System Use Sharing Protocol (SUSP, IEEE P1281 v1.12) and Rock Ridge
 * (RRIP, IEEE P1282 v1.12): entries in a directory record's system use field.
 *
 * Each entry (SUSP §4.1): signature (2 bytes), length (1), version (1), data.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields } from '../../io/bytes.ts';
import type { ProblemLog } from '../../io/problems.ts';
import { decDateTime, dirDateTime } from '../timestamps.ts';

export interface SuspEntry {
  signature: string;
  version: number;
  data: Uint8Array;
  /** Absolute offset of the entry in the image. */
  offset: number;
}

/** Cap on continuation areas followed for one record (a CE loop must end). */
const MAX_CONTINUATIONS = 32;
/** Cap on entries gathered for one record. */
const MAX_ENTRIES = 1024;

/** SUSP §5.3 SP: indicates SUSP is in use; "len_skp" bytes start each later field. */
export function parseSuspIndicator(systemUse: Uint8Array): { lenSkip: number } | null {
  if (systemUse.length >= 7 && systemUse[0] === 0x53 && systemUse[1] === 0x50 && systemUse[4] === 0xbe && systemUse[5] === 0xef) {
    return { lenSkip: systemUse[6]! };
  }
  return null;
}

interface Continuation {
  lba: number;
  offset: number;
  length: number;
}

/** Split one system use area into entries; returns the CE pointer if any. */
function parseArea(bytes: Uint8Array, base: number, out: SuspEntry[], log: ProblemLog): Continuation | null {
  let at = 0;
  let ce: Continuation | null = null;
  while (at + 4 <= bytes.length && out.length < MAX_ENTRIES) {
    const len = bytes[at + 2]!;
    const signature = String.fromCharCode(bytes[at]!, bytes[at + 1]!);
    if (bytes[at] === 0) break; // zero padding to the end of the field
    if (len < 4 || at + len > bytes.length) {
      log.warn('SUSP_BAD_LENGTH', `SUSP entry "${signature}" has length ${len}, past its system use area`, 'SUSP entry', base + at);
      break;
    }
    const data = bytes.subarray(at + 4, at + len);
    if (signature === 'ST') break; // §5.4 terminator
    if (signature === 'CE' && data.length >= 24) {
      const f = new Fields(data, base + at + 4, 'SUSP CE entry');
      ce = { lba: f.u32le(0), offset: f.u32le(8), length: f.u32le(16) };
    } else if (signature !== 'PD') {
      out.push({ signature, version: bytes[at + 3]!, data, offset: base + at });
    }
    at += len;
  }
  return ce;
}

/**
 * All SUSP entries of one directory record, following CE continuation areas
 * (§5.1), each read once, at most MAX_CONTINUATIONS deep.
 */
export async function readSuspEntries(
  src: ByteSource,
  systemUse: Uint8Array,
  systemUseOffset: number,
  lenSkip: number,
  blockSize: number,
  log: ProblemLog,
): Promise<SuspEntry[]> {
  const out: SuspEntry[] = [];
  if (systemUse.length <= lenSkip) return out;
  let ce = parseArea(systemUse.subarray(lenSkip), systemUseOffset + lenSkip, out, log);
  const seen = new Set<number>();
  for (let hops = 0; ce; hops++) {
    const at = ce.lba * blockSize + ce.offset;
    if (hops >= MAX_CONTINUATIONS || seen.has(at)) {
      log.warn('SUSP_CE_LOOP', `SUSP continuation areas loop or exceed ${MAX_CONTINUATIONS} hops`, 'SUSP CE entry', at);
      break;
    }
    seen.add(at);
    if (ce.offset >= blockSize || ce.length > blockSize - ce.offset || at + ce.length > src.size) {
      log.warn('SUSP_CE_RANGE', `SUSP continuation area (${ce.length} bytes at ${at}) lies outside its block or the image`, 'SUSP CE entry', at);
      break;
    }
    const bytes = await src.read(at, ce.length);
    ce = parseArea(bytes, at, out, log);
  }
  return out;
}

/** The Rock Ridge view of one record's SUSP entries. */
export interface RockRidgeAttributes {
  /** NM alternate name, concatenated over CONTINUE (RRIP §4.1.4); "." / ".." for CURRENT/PARENT. */
  name: string | null;
  /** PX POSIX attributes (§4.1.1). */
  mode: number | null;
  links: number | null;
  uid: number | null;
  gid: number | null;
  inode: number | null;
  /** TF timestamps (§4.1.6). */
  times: Partial<Record<'created' | 'modified' | 'accessed' | 'attributes' | 'backup' | 'expiration' | 'effective', string | null>>;
  /** SL symbolic link target (§4.1.3). */
  symlink: string | null;
  /** RE: this directory was relocated; it is listed at its CL instead (§4.1.5). */
  relocated: boolean;
  /** CL: the real location (LBA) of a relocated child directory. */
  childLink: number | null;
  /** PL: the real parent of a relocated directory. */
  parentLink: number | null;
  /**
   * ZF: the file's data is compressed (zisofs, as Linux's isofs and mkzftree
   * define it: entry data "pz", header size / 4, log2 block size, then the
   * uncompressed size both-endian). Other algorithms are named, not read.
   */
  compressed: null | { algorithm: string; headerSize: number; blockLog2: number; uncompressedSize: number };
}

/** Decode NM, PX, TF, SL, RE, CL, PL and ZF from a record's entries. */
export function interpretRockRidge(entries: SuspEntry[]): RockRidgeAttributes {
  const rr: RockRidgeAttributes = {
    name: null,
    mode: null,
    links: null,
    uid: null,
    gid: null,
    inode: null,
    times: {},
    symlink: null,
    relocated: false,
    childLink: null,
    parentLink: null,
    compressed: null,
  };
  let name = '';
  let named = false;
  const link: string[] = [];
  let linkPart = '';
  for (const e of entries) {
    const f = new Fields(e.data, e.offset + 4, `Rock Ridge ${e.signature} entry`);
    switch (e.signature) {
      case 'NM': {
        if (f.length < 1) break;
        const flags = f.u8(0);
        if (flags & 2) name = '.';
        else if (flags & 4) name = '..';
        else name += utf8(e.data.subarray(1));
        named = true;
        break;
      }
      case 'PX':
        if (f.length >= 32) {
          rr.mode = f.u32le(0);
          rr.links = f.u32le(8);
          rr.uid = f.u32le(16);
          rr.gid = f.u32le(24);
          if (f.length >= 40) rr.inode = f.u32le(32);
        }
        break;
      case 'TF': {
        if (f.length < 1) break;
        const flags = f.u8(0);
        const long = (flags & 0x80) !== 0;
        const size = long ? 17 : 7;
        const names = ['created', 'modified', 'accessed', 'attributes', 'backup', 'expiration', 'effective'] as const;
        let at = 1;
        for (let bit = 0; bit < 7; bit++) {
          if (!(flags & (1 << bit))) continue;
          if (at + size > f.length) break;
          const raw = f.raw(at, size);
          rr.times[names[bit]!] = long ? decDateTime(raw) : dirDateTime(raw);
          at += size;
        }
        break;
      }
      case 'SL': {
        // Component records (§4.1.3.1): flags, length, content.
        let at = 1;
        while (at + 2 <= f.length) {
          const cflags = f.u8(at),
            clen = f.u8(at + 1);
          if (at + 2 + clen > f.length) break;
          let part: string;
          if (cflags & 2) part = '.';
          else if (cflags & 4) part = '..';
          else if (cflags & 8) part = '';
          else part = utf8(f.raw(at + 2, clen));
          linkPart += part;
          if (!(cflags & 1)) {
            link.push(cflags & 8 ? '' : linkPart);
            linkPart = '';
          }
          at += 2 + clen;
        }
        break;
      }
      case 'RE':
        rr.relocated = true;
        break;
      case 'CL':
        if (f.length >= 8) rr.childLink = f.u32le(0);
        break;
      case 'PL':
        if (f.length >= 8) rr.parentLink = f.u32le(0);
        break;
      case 'ZF':
        if (f.length >= 12) rr.compressed = { algorithm: f.ascii(0, 2), headerSize: f.u8(2) * 4, blockLog2: f.u8(3), uncompressedSize: f.u32le(4) };
        break;
    }
  }
  if (named) rr.name = name;
  if (link.length > 0 || linkPart) {
    if (linkPart) link.push(linkPart);
    const text = link.join('/');
    rr.symlink = link[0] === '' ? text || '/' : text;
  }
  return rr;
}

/** SUSP §5.5 ER: extension identifiers (e.g. "RRIP_1991A", "IEEE_P1282", "IEEE_1282"). */
export function extensionIds(entries: SuspEntry[]): string[] {
  const ids: string[] = [];
  for (const e of entries) {
    if (e.signature !== 'ER' || e.data.length < 4) continue;
    const idLen = e.data[0]!;
    ids.push(String.fromCharCode(...e.data.subarray(4, 4 + idLen)));
  }
  return ids;
}

/** Does this entry list carry Rock Ridge at all (RR or PX/NM/TF…)? */
export function hasRockRidge(entries: SuspEntry[]): boolean {
  return entries.some((e) => e.signature === 'RR' || e.signature === 'PX' || e.signature === 'NM');
}

const decoder = new TextDecoder('utf-8', { fatal: false });
function utf8(b: Uint8Array): string {
  return decoder.decode(b);
}
