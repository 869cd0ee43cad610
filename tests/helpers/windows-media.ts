/**
 * Windows-like install media made at test time with the tools people use to
 * make or rebuild them: wimlib-imagex for the install image (its XML set with
 * --image-property, as Setup's own fields), genisoimage or xorriso for the
 * disc. Tests read these with isoscope and with the tools themselves.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
}

export interface Media {
  dir: string;
  /** The disc's file tree, as the disc tool was given it. */
  tree: string;
  cleanup(): void;
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
  if (img.modified !== undefined) {
    p['LASTMODIFICATIONTIME/HIGHPART'] = '0x' + (img.modified >> 32n).toString(16).toUpperCase().padStart(8, '0');
    p['LASTMODIFICATIONTIME/LOWPART'] = '0x' + (img.modified & 0xffffffffn).toString(16).toUpperCase().padStart(8, '0');
  }
  return Object.entries(p).flatMap(([k, v]) => ['--image-property', `${k}=${v}`]);
}

/** A tree shaped like Microsoft's media: README.TXT, boot/, efi/, sources/ with the install image. */
export function makeWindowsTree(spec: MediaSpec): Media {
  const dir = mkdtempSync(join(tmpdir(), 'isoscope-media-'));
  const tree = join(dir, 'tree');
  mkdirSync(join(tree, 'sources'), { recursive: true });
  mkdirSync(join(tree, 'boot'), { recursive: true });
  mkdirSync(join(tree, 'efi', 'microsoft', 'boot'), { recursive: true });
  writeFileSync(join(tree, 'README.TXT'), 'This disc contains a "UDF" file system and requires an operating system\r\nthat supports the ISO-13346 "UDF" file system specification.\r\n');
  writeFileSync(join(tree, 'boot', 'etfsboot.com'), new Uint8Array(4096));
  writeFileSync(join(tree, 'efi', 'microsoft', 'boot', 'efisys.bin'), new Uint8Array(1440 * 1024));
  const src = join(dir, 'wimsrc');
  mkdirSync(join(src, 'Windows', 'System32'), { recursive: true });
  const wim = join(dir, 'install.wim');
  spec.images.forEach((img, i) => {
    writeFileSync(join(src, 'Windows', 'System32', 'edition.txt'), img.name);
    const extra = spec.check ? ['--check'] : [];
    execFileSync('wimlib-imagex', [i === 0 ? 'capture' : 'append', src, wim, img.name, `${img.name} description`, ...props(img), ...extra], { stdio: 'ignore' });
  });
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

const bootArgs = ['-b', 'boot/etfsboot.com', '-no-emul-boot', '-boot-load-size', '8', '-boot-load-seg', '0x7C0', '-eltorito-alt-boot', '-e', 'efi/microsoft/boot/efisys.bin', '-no-emul-boot'];

/**
 * Microsoft's layout, as CDIMAGE writes it: a UDF tree with everything and an
 * ISO 9660 tree holding README.TXT only. genisoimage's -hide hides a path
 * from the ISO 9660 tree but not from the UDF one.
 */
export function microsoftLayoutIso(m: Media, spec: MediaSpec, out = join(m.dir, 'ms.iso')): string {
  const hide = readdirSync(m.tree).filter((n) => n !== 'README.TXT').flatMap((n) => ['-hide', n, '-hide-joliet', n]);
  execFileSync('genisoimage', ['-quiet', '-o', out, '-V', spec.label, '-udf', '-allow-limited-size', '-iso-level', '4', ...bootArgs, ...hide, m.tree], { stdio: 'ignore' });
  return out;
}

/** The usual rebuild: genisoimage with Joliet and UDF, every file in every tree. */
export function genisoimageIso(m: Media, spec: MediaSpec, out = join(m.dir, 'rebuilt.iso')): string {
  execFileSync('genisoimage', ['-quiet', '-o', out, '-V', spec.label, '-J', '-udf', '-allow-limited-size', ...bootArgs, m.tree], { stdio: 'ignore' });
  return out;
}

/** xorriso's rebuild (as mkisofs emulation): Rock Ridge and Joliet, no UDF. */
export function xorrisoIso(m: Media, spec: MediaSpec, out = join(m.dir, 'xorriso.iso')): string {
  execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-o', out, '-V', spec.label, '-J', '-R', ...bootArgs, m.tree], { stdio: 'ignore' });
  return out;
}
