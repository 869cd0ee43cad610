/**
 * Portable Executable (Microsoft PE/COFF specification, "The .rsrc Section"
 * and VS_VERSIONINFO): just enough to read the file version of setup.exe.
 * Reads the headers, walks the resource directory to RT_VERSION and reads
 * VS_FIXEDFILEINFO; every read is a small slice and every loop is bounded.
 */
import type { ByteSource } from '../io/byte-source.ts';
import { Fields } from '../io/bytes.ts';
import { FormatError } from '../io/problems.ts';

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

export async function readPeVersion(src: ByteSource): Promise<PeVersion | null> {
  const head = await src.read(0, 4096);
  const f = new Fields(head, 0, 'PE headers');
  if (f.length < 64 || f.ascii(0, 2) !== 'MZ') throw new FormatError('PE_NOT_MZ', `${src.name} is not an MZ/PE executable`, 'DOS header', 0);
  const peAt = f.u32le(0x3c);
  if (peAt + 24 > f.length || f.u32le(peAt) !== 0x4550)
    throw new FormatError('PE_NO_SIGNATURE', 'no "PE\\0\\0" signature where e_lfanew points', 'PE header', peAt);
  const machine = f.u16le(peAt + 4);
  const sectionCount = Math.min(f.u16le(peAt + 6), MAX_SECTIONS);
  const optSize = f.u16le(peAt + 20);
  const opt = peAt + 24;
  const magic = f.u16le(opt);
  const dirs = opt + (magic === 0x20b ? 112 : 96); // PE32+ vs PE32 data directories
  const numberOfRvaAndSizes = f.u32le(dirs - 4);
  if (numberOfRvaAndSizes < 3) return null;
  const rsrcRva = f.u32le(dirs + 2 * 8);
  if (rsrcRva === 0) return null;
  const sections: Section[] = [];
  const secTable = opt + optSize;
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
    machine: MACHINES[machine] ?? `0x${machine.toString(16)}`,
  };
}
