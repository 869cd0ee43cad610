/**
 * Windows-like install media made at test time with the tools people use to
 * make or rebuild them: wimlib-imagex for the install image (its XML set with
 * --image-property, as Setup's own fields), genisoimage or xorriso for the
 * disc. Tests read these with isoscope and with the tools themselves.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface WimImageSpec {
  name: string;
  /** DISPLAYNAME (Setup's edition list); defaults to `name`. */
  displayName?: string;
  editionId: string;
  /** PROCESSOR_ARCHITECTURE: 0 x86, 9 x64, 12 arm64. */
  arch?: number;
  major: number;
  minor: number;
  build: number;
  spBuild?: number;
  spLevel?: number;
  installationType?: string;
  languages?: string[];
  /** LASTMODIFICATIONTIME as a FILETIME (100 ns since 1601), when the test needs one. */
  modified?: bigint;
}

export interface MediaSpec {
  label: string;
  images: WimImageSpec[];
  /** install.wim (LZX), install.esd (LZMS solid), or install.swm parts. */
  format?: 'wim' | 'esd' | 'swm';
  /** Files added at these paths (relative to the disc root). */
  files?: Record<string, string | Uint8Array>;
  /** An integrity table in the WIM (wimlib --check). */
  check?: boolean;
  /** Every file and folder of the install image written at this time (as a build's own files are), instead of now. */
  fileTime?: string;
  /** More files in the install image (path under its root → content). */
  wimFiles?: Record<string, string | Uint8Array>;
  /** wimlib-imagex update commands run on image N (1-based) before the disc is made: an image altered in place. */
  update?: { image: number; commands: string; cwd?: string }[];
}

export interface Media {
  dir: string;
  /** The disc's file tree, as the disc tool was given it. */
  tree: string;
  cleanup: () => void;
}

function props(img: WimImageSpec): string[] {
  const p: Record<string, string> = {
    'WINDOWS/EDITIONID': img.editionId,
    'WINDOWS/ARCH': String(img.arch ?? 9),
    'WINDOWS/VERSION/MAJOR': String(img.major),
    'WINDOWS/VERSION/MINOR': String(img.minor),
    'WINDOWS/VERSION/BUILD': String(img.build),
    'WINDOWS/VERSION/SPBUILD': String(img.spBuild ?? 0),
    'WINDOWS/VERSION/SPLEVEL': String(img.spLevel ?? 0),
    'WINDOWS/INSTALLATIONTYPE': img.installationType ?? 'Client',
    'WINDOWS/PRODUCTTYPE': img.installationType?.startsWith('Server') ? 'ServerNT' : 'WinNT',
    'WINDOWS/SYSTEMROOT': 'WINDOWS',
    FLAGS: img.editionId,
    DISPLAYNAME: img.displayName ?? img.name,
    DISPLAYDESCRIPTION: `${img.displayName ?? img.name} (test media)`,
  };
  const langs = img.languages ?? ['en-US'];
  p['WINDOWS/LANGUAGES/DEFAULT'] = langs[0]!;
  langs.forEach((l, i) => (p[`WINDOWS/LANGUAGES/LANGUAGE[${i + 1}]`] = l));
  return Object.entries(p).flatMap(([k, v]) => ['--image-property', `${k}=${v}`]);
}

/** Rewrite each image's LASTMODIFICATIONTIME (HIGHPART/LOWPART, "0x%08X") in a WIM's UTF-16LE XML, in place. */
function setModified(wim: string, times: (bigint | undefined)[]): void {
  const b = readFileSync(wim);
  const tag = Buffer.from('<LASTMODIFICATIONTIME><HIGHPART>0x', 'utf16le');
  // The XML resource the header points at (wim_header_disk +72: its resource header; offset at +80): an image
  // updated in place keeps its old XML earlier in the file.
  let from = Number(b.readBigUInt64LE(80));
  for (const t of times) {
    const at = b.indexOf(tag, from);
    if (at < 0) break;
    from = at + tag.length;
    if (t === undefined) continue;
    const hex = (n: bigint) => n.toString(16).toUpperCase().padStart(8, '0');
    b.write(hex(t >> 32n), at + tag.length, 'utf16le');
    const low = b.indexOf(Buffer.from('<LOWPART>0x', 'utf16le'), at) + Buffer.from('<LOWPART>0x', 'utf16le').length;
    b.write(hex(t & 0xffffffffn), low, 'utf16le');
  }
  writeFileSync(wim, b);
}

/** A tree shaped like Microsoft's media: README.TXT, boot/, efi/, sources/ with the install image. */
export function makeWindowsTree(spec: MediaSpec): Media {
  const dir = mkdtempSync(join(tmpdir(), 'isoscope-media-'));
  const tree = join(dir, 'tree');
  mkdirSync(join(tree, 'sources'), { recursive: true });
  mkdirSync(join(tree, 'boot'), { recursive: true });
  mkdirSync(join(tree, 'efi', 'microsoft', 'boot'), { recursive: true });
  writeFileSync(
    join(tree, 'README.TXT'),
    'This disc contains a "UDF" file system and requires an operating system\r\nthat supports the ISO-13346 "UDF" file system specification.\r\n',
  );
  writeFileSync(join(tree, 'boot', 'etfsboot.com'), new Uint8Array(4096));
  writeFileSync(join(tree, 'efi', 'microsoft', 'boot', 'efisys.bin'), new Uint8Array(1440 * 1024));
  const src = join(dir, 'wimsrc');
  mkdirSync(join(src, 'Windows', 'System32'), { recursive: true });
  const wim = join(dir, 'install.wim');
  for (const [path, content] of Object.entries(spec.wimFiles ?? {})) {
    mkdirSync(dirname(join(src, path)), { recursive: true });
    writeFileSync(join(src, path), content);
  }
  spec.images.forEach((img, i) => {
    writeFileSync(join(src, 'Windows', 'System32', 'edition.txt'), img.name);
    if (spec.fileTime) execFileSync('find', [src, '-exec', 'touch', '-h', '-d', spec.fileTime, '{}', '+']);
    const extra = spec.check ? ['--check'] : [];
    execFileSync('wimlib-imagex', [i === 0 ? 'capture' : 'append', src, wim, img.name, `${img.name} description`, ...props(img), ...extra], {
      stdio: 'ignore',
    });
  });
  for (const u of spec.update ?? [])
    execFileSync('wimlib-imagex', ['update', wim, String(u.image)], { input: u.commands, cwd: u.cwd ?? dir, stdio: ['pipe', 'ignore', 'ignore'] });
  // wimlib stamps LASTMODIFICATIONTIME with the time of writing; an older one is written into its XML in place (same length).
  if (spec.images.some((i) => i.modified !== undefined))
    setModified(
      wim,
      spec.images.map((i) => i.modified),
    );
  const format = spec.format ?? 'wim';
  if (format === 'wim') execFileSync('cp', [wim, join(tree, 'sources', 'install.wim')]);
  if (format === 'esd') execFileSync('wimlib-imagex', ['export', wim, 'all', join(tree, 'sources', 'install.esd'), '--solid'], { stdio: 'ignore' });
  if (format === 'swm') execFileSync('wimlib-imagex', ['split', wim, join(tree, 'sources', 'install.swm'), '1'], { stdio: 'ignore' });
  for (const [path, content] of Object.entries(spec.files ?? {})) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), content);
  }
  return { dir, tree, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const bootArgs = [
  '-b',
  'boot/etfsboot.com',
  '-no-emul-boot',
  '-boot-load-size',
  '8',
  '-boot-load-seg',
  '0x7C0',
  '-eltorito-alt-boot',
  '-e',
  'efi/microsoft/boot/efisys.bin',
  '-no-emul-boot',
];

/** The usual rebuild: genisoimage with Joliet and UDF, every file in every tree. */
export function genisoimageIso(m: Media, spec: MediaSpec, out = join(m.dir, 'rebuilt.iso')): string {
  execFileSync('genisoimage', ['-quiet', '-o', out, '-V', spec.label, '-J', '-udf', '-allow-limited-size', ...bootArgs, m.tree], { stdio: 'ignore' });
  return out;
}

/** xorriso's rebuild (as mkisofs emulation): Rock Ridge and Joliet, no UDF. */
export function xorrisoIso(m: Media, spec: MediaSpec, out = join(m.dir, 'xorriso.iso')): string {
  const xorrisoBoot = bootArgs.filter((a, i) => a !== '-boot-load-seg' && bootArgs[i - 1] !== '-boot-load-seg');
  execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-o', out, '-V', spec.label, '-J', '-R', ...xorrisoBoot, m.tree], { stdio: 'ignore' });
  return out;
}

const S = 2048;

/** ECMA-167 3/7.2: a descriptor tag's CRC over its body and its checksum over the tag, after an edit. */
function retagUdf(b: Uint8Array, at: number): void {
  const v = new DataView(b.buffer, b.byteOffset);
  const crcLen = v.getUint16(at + 10, true);
  let crc = 0;
  for (let i = at + 16; i < at + 16 + crcLen; i++) {
    crc ^= b[i]! << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  v.setUint16(at + 8, crc, true);
  let sum = 0;
  for (let i = 0; i < 16; i++) if (i !== 4) sum = (sum + b[at + i]!) & 0xff;
  b[at + 4] = sum;
}

function putAscii(b: Uint8Array, at: number, length: number, text: string, pad = 0x20): void {
  b.fill(pad, at, at + length);
  for (let i = 0; i < Math.min(text.length, length); i++) b[at + i] = text.charCodeAt(i);
}

/**
 * A disc laid out as Microsoft's CDIMAGE lays out Windows media, for the
 * signals that compare with it: UDF holding every file, an ISO 9660 tree
 * holding README.TXT only (no Joliet), "CDIMAGE …" as the ISO 9660
 * application identifier and "*Microsoft CDIMAGE UDF" as the UDF
 * implementation identifier. No tool here writes this (genisoimage's -hide
 * hides from UDF too), so it is genisoimage's output edited: the ISO 9660
 * root directory keeps ".", ".." and README.TXT, the path tables keep the
 * root only (ECMA-119 9.4), and the identifiers are rewritten in the primary
 * descriptors (ECMA-119 8.4.29; ECMA-167 3/10.1.14, retagged).
 */
export function microsoftLayoutIso(m: Media, spec: MediaSpec, out = join(m.dir, 'ms.iso')): string {
  execFileSync('genisoimage', ['-quiet', '-o', out, '-V', spec.label, '-udf', '-allow-limited-size', ...bootArgs, m.tree], { stdio: 'ignore' });
  const b = new Uint8Array(readFileSync(out));
  const v = new DataView(b.buffer);
  const pvd = 16 * S;
  const rootAt = v.getUint32(pvd + 156 + 2, true) * S;
  const rootLen = v.getUint32(pvd + 156 + 10, true);
  const kept: Uint8Array[] = [];
  for (let at = rootAt; at < rootAt + rootLen;) {
    const len = b[at]!;
    if (len === 0) {
      at = (Math.floor((at - rootAt) / S) + 1) * S + rootAt;
      continue;
    }
    const nameLen = b[at + 32]!;
    const name = String.fromCharCode(...b.subarray(at + 33, at + 33 + nameLen));
    if (name === '\0' || name === '\x01' || name.toUpperCase().startsWith('README.TXT')) kept.push(b.slice(at, at + len));
    at += len;
  }
  b.fill(0, rootAt, rootAt + rootLen);
  let w = rootAt;
  for (const r of kept) {
    b.set(r, w);
    w += r.length;
  }
  // Path tables: the root's record only (10 bytes), in both byte orders.
  v.setUint32(pvd + 132, 10, true);
  v.setUint32(pvd + 136, 10, false);
  putAscii(b, pvd + 574, 128, 'CDIMAGE 2.56 (01/01/2005 TM)');
  putAscii(b, pvd + 8, 32, '');
  // UDF primary volume descriptors (tag 1) in the main and reserve sequences: implementation identifier at 388.
  for (let s = 32; s < 256; s++) {
    const at = s * S;
    if (v.getUint16(at, true) !== 1 || v.getUint32(at + 12, true) !== s) continue;
    b.fill(0, at + 388 + 1, at + 388 + 24);
    putAscii(b, at + 388 + 1, 23, '*Microsoft CDIMAGE UDF', 0);
    retagUdf(b, at);
  }
  writeFileSync(out, b);
  return out;
}
