/**
 * Portable Executable (Microsoft PE/COFF specification, "The .rsrc Section"
 * and VS_VERSIONINFO): just enough to read the file version of setup.exe.
 * Reads the headers, walks the resource directory to RT_VERSION and reads
 * VS_FIXEDFILEINFO; every read is a small slice and every loop is bounded.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields } from '../../io/bytes.ts';
import { FormatError } from '../../io/problems.ts';

const RT_VERSION = 16;
const MAX_SECTIONS = 96;
const MAX_DIR_ENTRIES = 256;
const MAX_VERSION_RESOURCE = 64 * 1024;

export interface PeVersion {
  /** VS_FIXEDFILEINFO dwFileVersionMS/LS as "a.b.c.d". */
  fileVersion: string;
  productVersion: string;
  machine: string;
}

interface Section {
  virtualAddress: number;
  virtualSize: number;
  rawPointer: number;
  rawSize: number;
}

const MACHINES: Record<number, string> = { 0x14c: 'x86', 0x8664: 'x64', 0xaa64: 'arm64', 0x1c4: 'arm', 0x200: 'ia64' };

/** What the COFF and optional headers say that more than one reader needs. */
export interface PeHeader {
  /** The first 4 KiB of the file, where the headers are. */
  head: Fields;
  machine: string;
  /** Offset of the PE signature (e_lfanew). */
  peAt: number;
  optionalHeaderAt: number;
  optionalHeaderSize: number;
  sectionCount: number;
  /** Offset of the data directories (PE32+ and PE32 place them differently), and how many there are. */
  dataDirectoriesAt: number;
  dataDirectoryCount: number;
}

/** MS-DOS stub, COFF file header and optional header (PE/COFF specification §3, §4). */
export async function readPeHeader(src: ByteSource): Promise<PeHeader> {
  // The headers of an EFI loader or setup.exe fit in 1 KiB; read up to 4 KiB only when its section table runs past that.
  let head = await src.read(0, 1024);
  if (head.length === 1024) {
    const peek = new Fields(head, 0, 'PE headers');
    const lfanew = peek.u32le(0x3c);
    const need = lfanew + 24 <= 1024 ? lfanew + 24 + peek.u16le(lfanew + 20) + 40 * Math.min(peek.u16le(lfanew + 6), MAX_SECTIONS) : 4096;
    if (need > 1024) head = await src.read(0, Math.min(need, 4096));
  }
  const f = new Fields(head, 0, 'PE headers');
  if (f.length < 64 || f.ascii(0, 2) !== 'MZ') throw new FormatError('PE_NOT_MZ', `${src.name} is not an MZ/PE executable`, 'DOS header', 0);
  const peAt = f.u32le(0x3c);
  if (peAt + 24 > f.length || f.u32le(peAt) !== 0x4550)
    throw new FormatError('PE_NO_SIGNATURE', 'no "PE\\0\\0" signature where e_lfanew points', 'PE header', peAt);
  const machine = f.u16le(peAt + 4);
  const opt = peAt + 24;
  const magic = f.u16le(opt);
  const dirs = opt + (magic === 0x20b ? 112 : 96); // PE32+ vs PE32 data directories
  return {
    head: f,
    machine: MACHINES[machine] ?? `0x${machine.toString(16)}`,
    peAt,
    optionalHeaderAt: opt,
    optionalHeaderSize: f.u16le(peAt + 20),
    sectionCount: Math.min(f.u16le(peAt + 6), MAX_SECTIONS),
    dataDirectoriesAt: dirs,
    dataDirectoryCount: f.u32le(dirs - 4),
  };
}

/** Data directory `index` (§3.4.3): its address (an RVA; a file offset for the certificate table) and size, or null. */
export function dataDirectory(h: PeHeader, index: number): { address: number; size: number } | null {
  if (index >= h.dataDirectoryCount) return null;
  const at = h.dataDirectoriesAt + index * 8;
  if (at + 8 > h.optionalHeaderAt + h.optionalHeaderSize) return null;
  const address = h.head.u32le(at);
  const size = h.head.u32le(at + 4);
  return address === 0 || size === 0 ? null : { address, size };
}

export async function readPeVersion(src: ByteSource): Promise<PeVersion | null> {
  const h = await readPeHeader(src);
  const f = h.head;
  const sectionCount = h.sectionCount;
  const dirs = h.dataDirectoriesAt;
  if (h.dataDirectoryCount < 3) return null;
  const rsrcRva = f.u32le(dirs + 2 * 8);
  if (rsrcRva === 0) return null;
  const sections: Section[] = [];
  const secTable = h.optionalHeaderAt + h.optionalHeaderSize;
  for (let i = 0; i < sectionCount; i++) {
    const s = secTable + i * 40;
    sections.push({ virtualSize: f.u32le(s + 8), virtualAddress: f.u32le(s + 12), rawSize: f.u32le(s + 16), rawPointer: f.u32le(s + 20) });
  }
  const toOffset = (rva: number): number => {
    for (const s of sections) {
      const span = Math.max(s.virtualSize, s.rawSize);
      if (rva >= s.virtualAddress && rva < s.virtualAddress + span) return s.rawPointer + (rva - s.virtualAddress);
    }
    throw new FormatError('PE_BAD_RVA', `RVA ${rva} lies in no section`, 'PE section table', secTable);
  };
  const rsrcBase = toOffset(rsrcRva);
  /** IMAGE_RESOURCE_DIRECTORY: entries follow its 16 bytes; pick by id, or the first. */
  const pick = async (dirOffset: number, id: number | null): Promise<number | null> => {
    const hdr = new Fields(await src.read(rsrcBase + dirOffset, 16), rsrcBase + dirOffset, 'PE resource directory');
    const n = Math.min(hdr.u16le(12) + hdr.u16le(14), MAX_DIR_ENTRIES);
    const entries = new Fields(await src.read(rsrcBase + dirOffset + 16, n * 8), rsrcBase + dirOffset + 16, 'PE resource directory entry');
    for (let i = 0; i < n; i++) {
      const name = entries.u32le(i * 8),
        target = entries.u32le(i * 8 + 4);
      if (id === null || (!(name & 0x80000000) && name === id)) return target;
    }
    return null;
  };
  const type = await pick(0, RT_VERSION);
  if (type === null || !(type & 0x80000000)) return null;
  const nameDir = await pick(type & 0x7fffffff, null);
  if (nameDir === null || !(nameDir & 0x80000000)) return null;
  const leaf = await pick(nameDir & 0x7fffffff, null);
  if (leaf === null || leaf & 0x80000000) return null;
  const dataEntry = new Fields(await src.read(rsrcBase + leaf, 16), rsrcBase + leaf, 'PE resource data entry');
  const dataOffset = toOffset(dataEntry.u32le(0));
  const size = Math.min(dataEntry.u32le(4), MAX_VERSION_RESOURCE);
  const v = new Fields(await src.read(dataOffset, size), dataOffset, 'VS_VERSIONINFO');
  // VS_VERSIONINFO: wLength, wValueLength, wType, L"VS_VERSION_INFO\0", padding to 4, then VS_FIXEDFILEINFO.
  let at = 6 + 32;
  at = (at + 3) & ~3;
  if (v.u32le(at) !== 0xfeef04bd)
    throw new FormatError('PE_NO_FIXEDFILEINFO', 'VS_FIXEDFILEINFO signature 0xFEEF04BD not found', 'VS_VERSIONINFO', dataOffset + at);
  const ver = (ms: number, ls: number) => `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`;
  return {
    fileVersion: ver(v.u32le(at + 8), v.u32le(at + 12)),
    productVersion: ver(v.u32le(at + 16), v.u32le(at + 20)),
    machine: h.machine,
  };
}
