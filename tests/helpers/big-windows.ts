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

export function makeBigWindowsImage(): BigWindowsImage {
  const dir = mkdtempSync(join(tmpdir(), 'isoscope-win6g-'));
  const src = join(dir, 'src');
  const tree = join(dir, 'tree');
  mkdirSync(join(src, 'Windows'), { recursive: true });
  mkdirSync(join(tree, 'sources'), { recursive: true });
  writeFileSync(join(src, 'Windows', 'big.bin'), '');
  truncateSync(join(src, 'Windows', 'big.bin'), 1300 * 1024 * 1024);
  const wim = join(tree, 'sources', 'install.wim');
  const props = (ed: string) => [
    '--image-property', `WINDOWS/EDITIONID=${ed}`, '--image-property', 'WINDOWS/ARCH=9',
    '--image-property', 'WINDOWS/VERSION/MAJOR=10', '--image-property', 'WINDOWS/VERSION/MINOR=0',
    '--image-property', 'WINDOWS/VERSION/BUILD=19045', '--image-property', 'WINDOWS/LANGUAGES/LANGUAGE=en-US',
    '--image-property', 'WINDOWS/LANGUAGES/DEFAULT=en-US',
  ];
  execFileSync('wimlib-imagex', ['capture', src, wim, 'Windows 10 Pro', '--compress=none', ...props('Professional')], { stdio: 'ignore' });
  execFileSync('wimlib-imagex', ['append', src, wim, 'Windows 10 Home', ...props('Core')], { stdio: 'ignore' });
  const sort: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const pad = join(tree, `pad${i}.bin`);
    writeFileSync(pad, '');
    truncateSync(pad, 1536 * 1024 * 1024);
    sort.push(`${pad} 100`);
  }
  writeFileSync(join(dir, 'sort.txt'), sort.join('\n') + '\n');
  const iso = join(dir, 'big.iso');
  execFileSync('genisoimage', ['-quiet', '-o', iso, '-V', 'CCSA_X64FRE_EN-US_DV5', '-J', '-udf', '-allow-limited-size', '-sort', join(dir, 'sort.txt'), tree], { stdio: 'ignore' });
  return { dir, iso, wim };
}
