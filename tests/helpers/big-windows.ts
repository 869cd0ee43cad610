/**
 * Makes a ~6 GB Windows-like UDF image at test time from sparse inputs:
 * 4.5 GB of padding first (genisoimage -sort), then a 1.3 GB install.wim with
 * two editions (wimlib-imagex), so the WIM lies past 4 GiB in several extents.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BigWindowsImage {
  dir: string;
  iso: string;
  /** The install.wim that went into the image, for wimlib to read. */
  wim: string;
}

export interface Sizes {
  /** Total padding placed before the WIM (split into files of at most 1.5 GiB). */
  padBytes: number;
  /** Size of the sparse file inside the WIM (the WIM is about this big). */
  wimPayloadBytes: number;
}

/** The defaults make the ~6 GB image: 4.5 GiB of padding, a 1.3 GB install.wim. */
export function makeBigWindowsImage(sizes: Sizes = { padBytes: 3 * 1536 * 1024 * 1024, wimPayloadBytes: 1300 * 1024 * 1024 }): BigWindowsImage {
  const dir = mkdtempSync(join(tmpdir(), 'isoscope-win-'));
  const src = join(dir, 'src');
  const tree = join(dir, 'tree');
  mkdirSync(join(src, 'Windows'), { recursive: true });
  mkdirSync(join(tree, 'sources'), { recursive: true });
  writeFileSync(join(src, 'Windows', 'big.bin'), '');
  truncateSync(join(src, 'Windows', 'big.bin'), sizes.wimPayloadBytes);
  const wim = join(tree, 'sources', 'install.wim');
  const props = (ed: string) => [
    '--image-property',
    `WINDOWS/EDITIONID=${ed}`,
    '--image-property',
    'WINDOWS/ARCH=9',
    '--image-property',
    'WINDOWS/VERSION/MAJOR=10',
    '--image-property',
    'WINDOWS/VERSION/MINOR=0',
    '--image-property',
    'WINDOWS/VERSION/BUILD=19045',
    '--image-property',
    'WINDOWS/LANGUAGES/LANGUAGE=en-US',
    '--image-property',
    'WINDOWS/LANGUAGES/DEFAULT=en-US',
  ];
  execFileSync('wimlib-imagex', ['capture', src, wim, 'Windows 10 Pro', '--compress=none', ...props('Professional')], { stdio: 'ignore' });
  execFileSync('wimlib-imagex', ['append', src, wim, 'Windows 10 Home', ...props('Core')], { stdio: 'ignore' });
  const sort: string[] = [];
  const PART = 1536 * 1024 * 1024;
  for (let i = 1, left = sizes.padBytes; left > 0; i++, left -= PART) {
    const pad = join(tree, `pad${i}.bin`);
    writeFileSync(pad, '');
    truncateSync(pad, Math.min(PART, left));
    sort.push(`${pad} 100`);
  }
  writeFileSync(join(dir, 'sort.txt'), sort.join('\n') + '\n');
  const iso = join(dir, 'big.iso');
  execFileSync('genisoimage', ['-quiet', '-o', iso, '-V', 'CCSA_X64FRE_EN-US_DV5', '-J', '-udf', '-allow-limited-size', '-sort', join(dir, 'sort.txt'), tree], {
    stdio: 'ignore',
  });
  return { dir, iso, wim };
}
