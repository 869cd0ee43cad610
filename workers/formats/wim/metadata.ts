/**
 * An image's metadata resource (wimlib src/metadata_resource.c, security.c,
 * dentry.c): the security data, then the directory entries ("dentries"), the
 * root's first. It is read whole (it is one compressed resource) and parsed
 * here, bounded: entries, depth, name length, loops, and the resource's own
 * size.
 *
 * struct wim_security_data_disk: u32 total_length (rounded up to 8; 0 means
 * 8), u32 num_entries, u64 sizes[num_entries], then the descriptors.
 *
 * struct wim_dentry_on_disk (102 bytes, little-endian):
 *   +0   length            u64  bytes of this entry (rounded up to 8), its
 *                               extra stream entries not included; ≤ 8 ends
 *                               a directory's list of children
 *   +8   attributes        u32  FILE_ATTRIBUTE_*
 *   +12  security_id       i32  index in the security data, −1 for none
 *   +16  subdir_offset     u64  where the children's entries start, 0 none
 *   +24  unused_1, unused_2     2 × u64
 *   +40  creation_time     u64  FILETIME (100 ns since 1601-01-01 UTC)
 *   +48  last_access_time  u64
 *   +56  last_write_time   u64
 *   +64  main_hash         20   SHA-1 of the unnamed data stream (or of the
 *                               reparse data, for a reparse point)
 *   +84  unknown_0x54      u32
 *   +88  reparse_tag u32, rp_reserved u16, rp_flags u16 (reparse points)
 *        or hard_link_group_id u64 (other files)
 *   +96  num_extra_streams u16
 *   +98  short_name_nbytes u16  UTF-16LE 8.3 name, without its terminator
 *   +100 name_nbytes       u16  UTF-16LE long name, without its terminator
 *   +102 name, NUL, short name, NUL; then tagged items to `length`
 * Then num_extra_streams × struct wim_extra_stream_entry_on_disk:
 *   +0 length u64 (rounded up to 8), +8 reserved u64, +16 hash 20,
 *   +36 name_nbytes u16, +38 name (UTF-16LE) and its NUL.
 *
 * Which stream is which is not recorded (wimlib's
 * assign_stream_types_unencrypted): named extra streams are alternate data
 * streams; the first unnamed one (or a nonzero main_hash) is the reparse
 * data for a reparse point, else the file's data.
 */
import { Fields, decodeUtf16 } from '../../io/bytes.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import { sha1At } from './sha1-hex.ts';

const DENTRY_DISK_SIZE = 102;
const EXTRA_STREAM_DISK_SIZE = 38;
/** Largest metadata resource read (a Windows 11 edition's is ~40 MB). */
export const MAX_METADATA_BYTES = 96 * 1024 * 1024;
/**
 * Entries read from one image, those left out (unnamed, repeated) too. A
 * Windows 11 edition has ~110 000, the largest editions ~150 000. Past
 * this the image is refused: listing it and reading its inside cost time
 * and heap in proportion to its entries, and a hostile image must stay
 * under 2 s and 256 MiB (tests/node/wim-hostile.test.ts, whose amplified
 * cases reach this bound from a metadata resource a few hundred KiB long).
 */
export const MAX_DENTRIES = 250_000;
/**
 * UTF-16 bytes of the long and short names of one image. A Windows edition's
 * come to ~10 MB (names of ~20 characters, most with an 8.3 name too); kept
 * as strings, names of 96 MiB of metadata would be held twice over.
 */
const MAX_NAME_BYTES = 32 * 1024 * 1024;
/** Deepest directory nesting followed (real images stay under 30). */
const MAX_DEPTH = 256;

export const FILE_ATTRIBUTE = {
  readonly: 0x1,
  hidden: 0x2,
  system: 0x4,
  directory: 0x10,
  archive: 0x20,
  reparsePoint: 0x400,
  compressed: 0x800,
  encrypted: 0x4000,
} as const;

export interface WimStream {
  /** Empty for the unnamed data stream. */
  name: string;
  /** Lowercase hex SHA-1, or null for an empty stream. */
  sha1: string | null;
}

export interface WimDentry {
  name: string;
  shortName: string;
  attributes: number;
  /** Index in the security data, or −1 (no security descriptor). */
  securityId: number;
  /** FILETIMEs as milliseconds since 1970 (second precision is what tools show), null when zero. */
  created: number | null;
  accessed: number | null;
  modified: number | null;
  /** The file's data (null: empty, a directory). */
  data: string | null;
  /** A reparse point's tag and the SHA-1 of its reparse data. */
  reparseTag: number | null;
  reparseData: string | null;
  /** Hard-link group (0: none); entries with the same nonzero group are one file. Hex, as wimlib-imagex prints it. */
  linkGroup: string;
  /** Alternate (named) data streams. */
  streams: WimStream[];
  /** Index of the parent (the root is its own parent). */
  parent: number;
  /** Children's indices, for a directory. */
  children: number[] | null;
  /** Where the entry starts in the metadata resource. */
  at: number;
}

export interface WimMetadata {
  /** Security descriptors in the security data. */
  securityDescriptors: number;
  /** dentries[0] is the root. */
  dentries: WimDentry[];
}

/** The streams of the many entries that have no named ones: one array, never written to. */
const NO_STREAMS: WimStream[] = [];

/** FILETIME at `at` to milliseconds since 1970, or null for 0. */
function fileTimeMs(view: DataView, at: number): number | null {
  const lo = view.getUint32(at, true),
    hi = view.getUint32(at + 4, true);
  if (lo === 0 && hi === 0) return null;
  return hi * 429496.7296 + lo / 10000 - 11644473600000;
}

const align8 = (n: number) => n + ((8 - (n % 8)) % 8);
/** A u64 length field rounded up to 8 (wimlib ALIGN); one past the buffer reads as Infinity, so every check refuses it. */
const lengthAt = (view: DataView, at: number) => {
  const raw = view.getBigUint64(at, true);
  return raw > BigInt(view.byteLength) ? Infinity : align8(Number(raw));
};

/**
 * Parse a whole metadata resource. `structure` names it in problems; offsets
 * in problems are `at` (the resource's place in the image) since a byte of
 * a compressed resource has no image offset: messages give the offset within
 * the resource.
 */
export function parseMetadata(buf: Uint8Array, log: ProblemLog, at: number | null, structure = 'WIM metadata resource'): WimMetadata {
  const f = new Fields(buf, 0, structure);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const bad = (code: string, message: string) => new FormatError(code, message, structure, at);
  if (buf.length < 8) throw bad('WIM_METADATA_SHORT', `the metadata resource is ${buf.length} bytes, too short for its security data`);
  // Security data (wimlib security.c read_wim_security_data).
  const totalLength = align8(f.u32le(0)) || 8;
  const count = f.u32le(4);
  if (totalLength > buf.length || 8 + count * 8 > totalLength)
    throw bad('WIM_SECURITY_DATA', `the security data says ${totalLength} bytes and ${count} descriptors, which do not fit the ${buf.length}-byte resource`);

  const dentries: WimDentry[] = [];
  const maxName = log.budget.limits.nameChars;
  let nameBytesRead = 0;
  let longNames = 0;
  const read = (offset: number, parent: number): { dentry: WimDentry; next: number } | null => {
    if (offset + 8 > buf.length) throw bad('WIM_DENTRY_PAST_END', `a directory entry at +${offset} lies past the resource's end`);
    const length = lengthAt(view, offset);
    if (length <= 8) return null;
    if (length < DENTRY_DISK_SIZE || offset + length > buf.length)
      throw bad(
        'WIM_DENTRY_LENGTH',
        `the directory entry at +${offset} says it is ${view.getBigUint64(offset, true)} bytes (at least ${DENTRY_DISK_SIZE}, within the resource's ${buf.length})`,
      );
    const shortBytes = f.u16le(offset + 98),
      nameBytes = f.u16le(offset + 100);
    const need = DENTRY_DISK_SIZE + (nameBytes ? nameBytes + 2 : 0) + (shortBytes ? shortBytes + 2 : 0);
    if (need > length || (nameBytes | shortBytes) & 1)
      throw bad('WIM_DENTRY_NAMES', `the directory entry at +${offset} has names of ${nameBytes} and ${shortBytes} bytes, more than its ${length} bytes hold`);
    if ((nameBytesRead += nameBytes + shortBytes) > MAX_NAME_BYTES)
      throw bad(
        'WIM_NAMES_TOO_LARGE',
        `the image's names come to more than ${MAX_NAME_BYTES} bytes (at the entry at +${offset}); isoscope reads at most that many`,
      );
    let name = nameBytes ? decodeUtf16(buf.subarray(offset + DENTRY_DISK_SIZE, offset + DENTRY_DISK_SIZE + nameBytes), true) : '';
    if (name.length > maxName) {
      name = name.slice(0, maxName);
      longNames++;
    }
    const shortAt = offset + DENTRY_DISK_SIZE + (nameBytes ? nameBytes + 2 : 0);
    const shortName = shortBytes ? decodeUtf16(buf.subarray(shortAt, shortAt + shortBytes), true) : '';
    const attributes = f.u32le(offset + 8);
    const reparse = (attributes & FILE_ATTRIBUTE.reparsePoint) !== 0;
    // Extra stream entries follow the entry.
    const numStreams = f.u16le(offset + 96);
    const unnamed: (string | null)[] = [sha1At(buf, offset + 64)];
    const streams: WimStream[] = [];
    let p = offset + length;
    for (let i = 0; i < numStreams; i++) {
      if (p + EXTRA_STREAM_DISK_SIZE > buf.length)
        throw bad('WIM_STREAM_PAST_END', `stream entry ${i + 1} of the entry at +${offset} lies past the resource's end`);
      const slen = lengthAt(view, p);
      const snameBytes = f.u16le(p + 36);
      if (slen < EXTRA_STREAM_DISK_SIZE || p + slen > buf.length || EXTRA_STREAM_DISK_SIZE + snameBytes > slen || snameBytes & 1)
        throw bad(
          'WIM_STREAM_LENGTH',
          `stream entry ${i + 1} of the entry at +${offset} says it is ${view.getBigUint64(p, true)} bytes with a ${snameBytes}-byte name`,
        );
      const hash = sha1At(buf, p + 16);
      if (snameBytes) streams.push({ name: decodeUtf16(buf.subarray(p + 38, p + 38 + snameBytes), true), sha1: hash });
      else unnamed.push(hash);
      p += slen;
    }
    // assign_stream_types_unencrypted: the first nonzero unnamed stream is the reparse data of a reparse point, the next the data.
    let data: string | null = null,
      reparseData: string | null = null;
    const candidates = unnamed.filter((h, i) => i > 0 || h !== null);
    if (reparse) [reparseData = null, data = null] = candidates;
    else data = candidates[0] ?? null;
    const dentry: WimDentry = {
      name,
      shortName,
      attributes,
      securityId: view.getInt32(offset + 12, true),
      created: fileTimeMs(view, offset + 40),
      accessed: fileTimeMs(view, offset + 48),
      modified: fileTimeMs(view, offset + 56),
      data,
      reparseTag: reparse ? f.u32le(offset + 88) : null,
      reparseData,
      linkGroup: reparse ? '0' : view.getBigUint64(offset + 88, true).toString(16),
      streams: streams.length ? streams : NO_STREAMS,
      parent,
      children: null,
      at: offset,
    };
    return { dentry, next: p };
  };

  const root = read(totalLength, 0)?.dentry;
  if (!root) return { securityDescriptors: count, dentries: [] };
  if (!(root.attributes & FILE_ATTRIBUTE.directory)) throw bad('WIM_ROOT_NOT_DIRECTORY', 'the root entry of the image is not a directory');
  root.name = '';
  root.shortName = '';
  dentries.push(root);

  // Breadth-first over directories; every children list is read once (a subdir offset seen again is a loop).
  const seen = new Set<number>();
  const queue: { index: number; depth: number }[] = [{ index: 0, depth: 0 }];
  let ignored = 0,
    entriesRead = 0;
  for (let qi = 0; qi < queue.length; qi++) {
    const { index, depth } = queue[qi]!;
    const dir = dentries[index]!;
    const subdir = view.getBigUint64(dir.at + 16, true);
    const sub = subdir > BigInt(buf.length) ? buf.length : Number(subdir);
    if (sub === 0) {
      dir.children = dir.attributes & FILE_ATTRIBUTE.directory ? [] : null;
      continue;
    }
    if (!(dir.attributes & FILE_ATTRIBUTE.directory)) continue; // wimlib ignores children of a non-directory
    if (seen.has(sub)) {
      log.warn('DIR_CYCLE', `a directory's children (at +${sub} of the metadata) were already read: a loop`, structure, at);
      dir.children = [];
      continue;
    }
    seen.add(sub);
    if (depth >= MAX_DEPTH) {
      log.warn('TOO_DEEP', `directories deeper than ${MAX_DEPTH} levels are not read`, structure, at);
      dir.children = [];
      continue;
    }
    const children: number[] = [];
    const names = new Set<string>();
    let offset = sub;
    for (;;) {
      log.budget.entry();
      const got = read(offset, index);
      if (!got) break;
      const child = got.dentry;
      offset = got.next;
      // Every entry read counts, those left out below too: a resource of a million unnamed entries costs a million reads.
      if (++entriesRead > MAX_DENTRIES) throw bad('WIM_TOO_MANY_ENTRIES', `the image has more than ${MAX_DENTRIES} entries; isoscope reads at most that many`);
      // wimlib's should_ignore_dentry: every entry but the root has a long name, not "." or "..", without NUL; the first of two equal names is kept.
      if (!child.name || child.name === '.' || child.name === '..' || child.name.includes('\0') || names.has(child.name)) {
        ignored++;
        continue;
      }
      names.add(child.name);
      children.push(dentries.length);
      dentries.push(child);
      if (child.attributes & FILE_ATTRIBUTE.directory) queue.push({ index: dentries.length - 1, depth: depth + 1 });
    }
    dir.children = children;
  }
  if (ignored)
    log.warn(
      'WIM_ENTRIES_IGNORED',
      `${ignored} entries with no name, "." or "..", or a name already in their directory were left out (as wimlib leaves them out)`,
      structure,
      at,
    );
  if (longNames) log.warn('NAME_TOO_LONG', `${longNames} names longer than ${maxName} characters were cut`, structure, at);
  return { securityDescriptors: count, dentries };
}
