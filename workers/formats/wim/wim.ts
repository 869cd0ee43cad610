/**
 * Windows Imaging Format (WIM, ESD, SWM): the 208-byte header and the XML
 * resource, after wimlib's include/wimlib/header.h and xml.c. Only the header
 * and the XML are read: kilobytes of a multi-gigabyte file.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields, decodeUtf16, hexOfBytes } from '../../io/bytes.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import { fileTimeToIso } from '../timestamps.ts';
import { child, parseXml, textOf, type XmlElement } from '../xml.ts';

export const WIM_HEADER_SIZE = 208;
/** The XML of a real install.wim is tens of kilobytes; past this it is refused. */
const MAX_XML_BYTES = 16 * 1024 * 1024;
/** Images reported from one WIM: a real one has a few dozen at most. */
export const MAX_IMAGES = 1000;

/** wimlib header.h WIM_HDR_FLAG_*. */
const WIM_FLAGS: Record<number, string> = {
  0x00000001: 'reserved',
  0x00000002: 'compression',
  0x00000004: 'read-only',
  0x00000008: 'spanned',
  0x00000010: 'resource-only',
  0x00000020: 'metadata-only',
  0x00000040: 'write-in-progress',
  0x00000080: 'rp-fix',
  0x00010000: 'compress-reserved',
  0x00020000: 'compress-xpress',
  0x00040000: 'compress-lzx',
  0x00080000: 'compress-lzms',
  0x00200000: 'compress-xpress2',
};

/** wimlib resource.h WIM_RESHDR_FLAG_*. */
const RESOURCE_FLAGS: Record<number, string> = { 0x01: 'free', 0x02: 'metadata', 0x04: 'compressed', 0x08: 'spanned', 0x10: 'solid' };

function flagNames(value: number, table: Record<number, string>): string[] {
  return Object.entries(table)
    .filter(([bit]) => value & Number(bit))
    .map(([, name]) => name);
}

/** A blob table holds one header per blob (57,000 in a large install.wim) and the flags byte has
 * few distinct values: the names are built once per value and shared, frozen. */
const resourceFlagNames = new Map<number, readonly string[]>();
function resourceFlagNamesOf(flags: number): readonly string[] {
  let names = resourceFlagNames.get(flags);
  if (!names) resourceFlagNames.set(flags, (names = Object.freeze(flagNames(flags, RESOURCE_FLAGS))));
  return names;
}

/** wim_reshdr_disk (24 bytes): 7-byte size in WIM, 1-byte flags, 8-byte offset, 8-byte original size. */
export interface ResourceHeader {
  sizeInWim: number;
  flags: number;
  flagNames: readonly string[];
  offsetInWim: number;
  uncompressedSize: number;
}

export function parseResourceHeader(f: Fields, at: number): ResourceHeader {
  // 56-bit size: low 32 bits + next 24 bits (checked arithmetic, no 32-bit shifts on the whole).
  const size = f.u32le(at) + (f.u16le(at + 4) + f.u8(at + 6) * 0x10000) * 0x100000000;
  const flags = f.u8(at + 7);
  return { sizeInWim: size, flags, flagNames: resourceFlagNamesOf(flags), offsetInWim: f.u64le(at + 8), uncompressedSize: f.u64le(at + 16) };
}

/** wim_header_disk (header.h), 208 bytes. */
export interface WimHeader {
  magic: 'MSWIM' | 'WLPWM';
  headerSize: number;
  version: number;
  flags: number;
  flagNames: string[];
  compression: 'none' | 'XPRESS' | 'LZX' | 'LZMS' | 'unknown';
  chunkSize: number;
  guid: string;
  partNumber: number;
  totalParts: number;
  imageCount: number;
  blobTable: ResourceHeader;
  xmlData: ResourceHeader;
  bootMetadata: ResourceHeader;
  bootIndex: number;
  integrityTable: ResourceHeader;
}

export function parseWimHeader(f: Fields): WimHeader {
  const magic = f.ascii(0, 8).replace(/\0+$/, '');
  if (magic !== 'MSWIM' && magic !== 'WLPWM') {
    throw new FormatError('WIM_BAD_MAGIC', `WIM header magic is "${magic}", expected "MSWIM"`, 'WIM header', f.base);
  }
  const headerSize = f.u32le(8);
  if (headerSize !== WIM_HEADER_SIZE) {
    throw new FormatError('WIM_BAD_HEADER_SIZE', `WIM header size is ${headerSize}, expected ${WIM_HEADER_SIZE}`, 'WIM header', f.base + 8);
  }
  const flags = f.u32le(16);
  // As wimlib's wim.c reads the flags: LZX first, then XPRESS (the undocumented XPRESS_2 bit, 0x200000, read as XPRESS),
  // then LZMS; the bit set (and named in flags[]) decides, one of several set the first in that order.
  const compression = !(flags & 0x2) ? 'none' : flags & 0x40000 ? 'LZX' : flags & (0x20000 | 0x200000) ? 'XPRESS' : flags & 0x80000 ? 'LZMS' : 'unknown';
  return {
    magic,
    headerSize,
    version: f.u32le(12),
    flags,
    flagNames: flagNames(flags, WIM_FLAGS),
    compression,
    chunkSize: f.u32le(20),
    guid: hexOfBytes(f.raw(24, 16)),
    partNumber: f.u16le(40),
    totalParts: f.u16le(42),
    imageCount: f.u32le(44),
    blobTable: parseResourceHeader(f, 48),
    xmlData: parseResourceHeader(f, 72),
    bootMetadata: parseResourceHeader(f, 96),
    bootIndex: f.u32le(120),
    integrityTable: parseResourceHeader(f, 124),
  };
}

export type WimArch = 'x86' | 'x64' | 'arm' | 'arm64' | 'ia64' | null;
/** PROCESSOR_ARCHITECTURE_* values in WINDOWS/ARCH. */
function archName(n: number | null): WimArch {
  switch (n) {
    case 0:
      return 'x86';
    case 5:
      return 'arm';
    case 6:
      return 'ia64';
    case 9:
      return 'x64';
    case 12:
      return 'arm64';
    default:
      return null;
  }
}

/** One IMAGE element of the XML (xml.c names). */
export interface WimImage {
  index: number;
  name: string | null;
  description: string | null;
  displayName: string | null;
  displayDescription: string | null;
  flags: string | null;
  editionId: string | null;
  installationType: string | null;
  productName: string | null;
  productType: string | null;
  productSuite: string | null;
  arch: WimArch;
  archNumber: number | null;
  version: string | null;
  major: number | null;
  minor: number | null;
  build: number | null;
  spBuild: number | null;
  spLevel: number | null;
  languages: string[];
  defaultLanguage: string | null;
  systemRoot: string | null;
  dirCount: number | null;
  fileCount: number | null;
  totalBytes: number | null;
  hardLinkBytes: number | null;
  created: string | null;
  modified: string | null;
  wimBoot: boolean;
}

function num(s: string | null): number | null {
  if (s === null || s === '') return null;
  const n = /^0x/i.test(s) ? parseInt(s, 16) : Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** HIGHPART/LOWPART hex pair → FILETIME → ISO 8601. */
function xmlTime(el: XmlElement | undefined): string | null {
  const hi = textOf(el, 'HIGHPART'),
    lo = textOf(el, 'LOWPART');
  if (hi === null || lo === null) return null;
  try {
    return fileTimeToIso((BigInt(hi) << 32n) | BigInt(lo));
  } catch {
    return null;
  }
}

function parseWimImage(img: XmlElement): WimImage {
  const w = child(img, 'WINDOWS');
  const major = num(textOf(w, 'VERSION', 'MAJOR')),
    minor = num(textOf(w, 'VERSION', 'MINOR'));
  const build = num(textOf(w, 'VERSION', 'BUILD')),
    spBuild = num(textOf(w, 'VERSION', 'SPBUILD'));
  const archNumber = num(textOf(w, 'ARCH'));
  const langs = child(w, 'LANGUAGES');
  return {
    index: num(img.attributes.INDEX ?? null) ?? 0,
    name: textOf(img, 'NAME'),
    description: textOf(img, 'DESCRIPTION'),
    displayName: textOf(img, 'DISPLAYNAME'),
    displayDescription: textOf(img, 'DISPLAYDESCRIPTION'),
    flags: textOf(img, 'FLAGS'),
    editionId: textOf(w, 'EDITIONID'),
    installationType: textOf(w, 'INSTALLATIONTYPE'),
    productName: textOf(w, 'PRODUCTNAME'),
    productType: textOf(w, 'PRODUCTTYPE'),
    productSuite: textOf(w, 'PRODUCTSUITE'),
    arch: archName(archNumber),
    archNumber,
    version: major !== null && minor !== null ? [major, minor, build, spBuild].filter((x) => x !== null).join('.') : null,
    major,
    minor,
    build,
    spBuild,
    spLevel: num(textOf(w, 'VERSION', 'SPLEVEL')),
    languages: langs ? langs.children.filter((c) => c.name === 'LANGUAGE').map((c) => c.text.trim()) : [],
    defaultLanguage: textOf(langs, 'DEFAULT'),
    systemRoot: textOf(w, 'SYSTEMROOT'),
    dirCount: num(textOf(img, 'DIRCOUNT')),
    fileCount: num(textOf(img, 'FILECOUNT')),
    totalBytes: num(textOf(img, 'TOTALBYTES')),
    hardLinkBytes: num(textOf(img, 'HARDLINKBYTES')),
    created: xmlTime(child(img, 'CREATIONTIME')),
    modified: xmlTime(child(img, 'LASTMODIFICATIONTIME')),
    wimBoot: textOf(img, 'WIMBOOT') === '1',
  };
}

export interface WimInfo {
  header: WimHeader;
  images: WimImage[];
  /** TOTALBYTES of the WIM element. */
  totalBytes: number | null;
}

/**
 * The WIM's last bytes read beside its header: WIMGAPI and wimlib write the
 * XML near the end (followed only by the integrity table, 20 bytes per
 * 10 MiB chunk), so it usually lies in them and no second round trip waits
 * for the header to say where it is.
 */
const TAIL_BYTES = 64 * 1024;

/** Read the header and the XML of a WIM; a bad XML still leaves the header (with an error logged). */
export async function readWim(src: ByteSource, log: ProblemLog): Promise<WimInfo> {
  const tailAt = Math.max(WIM_HEADER_SIZE, src.size - TAIL_BYTES);
  const [head, tail] = await Promise.all([src.read(0, WIM_HEADER_SIZE), src.size > WIM_HEADER_SIZE ? src.read(tailAt, src.size - tailAt) : new Uint8Array(0)]);
  if (head.length < WIM_HEADER_SIZE)
    // A file that says it is longer than what could be read lies across the end of a cut image: say that, not "short".
    throw new FormatError(
      'TRUNCATED',
      src.size > head.length
        ? `only ${head.length} of its ${src.size} bytes are in this file (the image ends inside it), fewer than its ${WIM_HEADER_SIZE}-byte header`
        : `${src.name} is ${src.size} bytes, shorter than a WIM header`,
      'WIM header',
      0,
    );
  const header = parseWimHeader(new Fields(head, 0, 'WIM header'));
  const info: WimInfo = { header, images: [], totalBytes: null };
  try {
    const root = await readWimXml(src, header.xmlData, { at: tailAt, bytes: tail });
    info.totalBytes = num(textOf(root, 'TOTALBYTES'));
    const elements = root.children.filter((c) => c.name === 'IMAGE');
    if (elements.length > MAX_IMAGES)
      log.warn('WIM_TOO_MANY_IMAGES', `the XML describes ${elements.length} images; the first ${MAX_IMAGES} are shown`, 'WIM XML', header.xmlData.offsetInWim);
    info.images = elements
      .slice(0, MAX_IMAGES)
      .map(parseWimImage)
      .sort((a, b) => a.index - b.index);
    if (info.images.length !== header.imageCount && header.xmlData.sizeInWim > 0) {
      log.warn(
        'WIM_IMAGE_COUNT',
        `the header counts ${header.imageCount} images but the XML describes ${info.images.length}`,
        'WIM XML',
        header.xmlData.offsetInWim,
      );
    }
  } catch (e) {
    log.fail(e, 'WIM XML', header.xmlData.offsetInWim);
  }
  return info;
}

/** The XML resource: uncompressed UTF-16LE with a byte-order mark (wimlib xml.c). `read` holds bytes already read (the WIM's tail), used when the XML lies in them. */
async function readWimXml(src: ByteSource, res: ResourceHeader, read?: { at: number; bytes: Uint8Array }): Promise<XmlElement> {
  if (res.sizeInWim === 0) throw new FormatError('WIM_NO_XML', 'the WIM has no XML resource', 'WIM XML', null);
  if (res.flags & 0x04) throw new FormatError('WIM_XML_COMPRESSED', 'the XML resource is compressed, which no WIM writer does', 'WIM XML', res.offsetInWim);
  if (res.sizeInWim > MAX_XML_BYTES)
    throw new FormatError(
      'WIM_XML_TOO_LARGE',
      `the XML resource is ${res.sizeInWim} bytes; isoscope reads at most ${MAX_XML_BYTES}`,
      'WIM XML',
      res.offsetInWim,
    );
  if (res.offsetInWim + res.sizeInWim > src.size)
    throw new FormatError(
      'WIM_XML_PAST_END',
      `the XML resource (${res.sizeInWim} bytes at ${res.offsetInWim}) lies past the end of the ${src.size}-byte WIM`,
      'WIM XML',
      res.offsetInWim,
    );
  const inRead = read && res.offsetInWim >= read.at && res.offsetInWim + res.sizeInWim <= read.at + read.bytes.length;
  const bytes = inRead
    ? read.bytes.subarray(res.offsetInWim - read.at, res.offsetInWim - read.at + res.sizeInWim)
    : await src.read(res.offsetInWim, res.sizeInWim);
  if (bytes.length < 2 || bytes[0] !== 0xff || bytes[1] !== 0xfe) {
    throw new FormatError('WIM_XML_NOT_UTF16', 'the XML resource does not start with a UTF-16LE byte-order mark', 'WIM XML', res.offsetInWim);
  }
  return parseXml(decodeUtf16(bytes.subarray(2), true), res.offsetInWim);
}
