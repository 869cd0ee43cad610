/**
 * "What is this?" for discs that are not Windows: the one-line identity a
 * disc gives of itself. Discs are made here with genisoimage holding the
 * marker files distributions write (the text is checked back with isoinfo's
 * extraction, so the expectation is what the disc holds, not what we
 * meant), and the real ISOs Debian ships (memtest86+, iPXE, GRUB rescue) are
 * compared with isoinfo's volume and application identifiers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectPath } from './helpers.ts';
import { headline } from '../../workers/report/describe.ts';
import { parseDiskInfo, parseTreeinfo } from '../../workers/formats/os-identity.ts';

const dir = mkdtempSync(join(tmpdir(), 'isoscope-os-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Rock Ridge + Joliet disc holding `files`, with volume id `label`. */
function disc(name: string, files: Record<string, string>, label = 'CDROM'): string {
  const root = join(dir, `${name}.d`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(root, { recursive: true });
  const iso = join(dir, `${name}.iso`);
  execFileSync('genisoimage', ['-quiet', '-R', '-J', '-V', label, '-o', iso, root]);
  return iso;
}
const isoinfoText = (iso: string, path: string) => execFileSync('isoinfo', ['-R', '-i', iso, '-x', `/${path}`], { encoding: 'utf8' });
const isoinfoField = (iso: string, field: string) =>
  execFileSync('isoinfo', ['-d', '-i', iso], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.startsWith(`${field}:`))!
    .slice(field.length + 1)
    .trim();

// Lines as the distributions' build tools write them (debian-cd's .disk/info, productmd's .treeinfo).
const DEBIAN = 'Debian GNU/Linux 12.5.0 "Bookworm" - Official amd64 NETINST with firmware 20240210-11:27';
const UBUNTU = 'Ubuntu 22.04.3 LTS "Jammy Jellyfish" - Release amd64 (20230807.2)';
const TREEINFO = [
  '[header]',
  'type = productmd.treeinfo',
  'version = 1.2',
  '',
  '[release]',
  'name = Fedora',
  'short = Fedora',
  'version = 39',
  '',
  '[tree]',
  'arch = x86_64',
  'platforms = x86_64',
  'variants = Everything',
  '',
  '[variant-Everything]',
  'id = Everything',
  'name = Everything',
  'type = variant',
  '',
].join('\n');

describe('what a disc says it is', () => {
  it.each([
    ['debian', { '.disk/info': DEBIAN }, 'CDROM', '.disk/info', DEBIAN, 'Debian GNU/Linux', '12.5.0', 'amd64'],
    ['ubuntu', { '.disk/info': `${UBUNTU}\n` }, 'Ubuntu 22.04.3 LTS amd64', '.disk/info', UBUNTU, 'Ubuntu', '22.04.3', 'amd64'],
    ['fedora', { '.treeinfo': TREEINFO }, 'Fedora-E-dvd-x86_64-39', '.treeinfo', 'Fedora 39 (Everything) x86_64', 'Fedora', '39', 'x86_64'],
    [
      'alpine',
      { '.alpine-release': 'alpine-standard-3.19.0 240110\n' },
      'alpine-std 3.19.0 x86_64',
      '.alpine-release',
      'Alpine Linux 3.19.0 (standard)',
      'Alpine Linux',
      '3.19.0',
      null,
    ],
    [
      'opensuse',
      { 'media.1/products': '/ openSUSE-Leap 15.5-1\n' },
      'openSUSE-Leap-15.5-DVD-x86_64',
      'media.1/products',
      'openSUSE Leap 15.5',
      'openSUSE Leap',
      '15.5',
      null,
    ],
    ['arch', { 'arch/version': '2024.01.01\n' }, 'ARCH_202401', 'arch/version', 'Arch Linux 2024.01.01', 'Arch Linux', '2024.01.01', null],
  ])('%s: read from the file the disc holds', async (name, files, label, from, line, product, version, arch) => {
    const iso = disc(name, files, label);
    const marker = Object.keys(files)[0]!;
    expect(isoinfoText(iso, marker)).toBe(files[marker as keyof typeof files]);
    const r = await inspectPath(iso);
    expect(r.os).toEqual({ headline: line, name: product, version, arch, from });
    expect(headline(r)).toBe(line);
  });

  it('FreeBSD names its media in the volume identifier (release(7)): read as isoinfo shows it', async () => {
    const iso = disc('freebsd', { COPYRIGHT: 'BSD\n' }, '14_0_RELEASE_AMD64_CD');
    expect(isoinfoField(iso, 'Volume id')).toBe('14_0_RELEASE_AMD64_CD');
    const r = await inspectPath(iso);
    expect(r.os).toMatchObject({ headline: 'FreeBSD 14.0-RELEASE amd64 (disc1)', version: '14.0-RELEASE', arch: 'amd64', from: 'volume identifier' });
  });

  const shipped = [
    ['/usr/lib/memtest86+/memtest86+x64.iso', 'Memtest86+ memory tester (64-bit)', 'Volume id', /^MT86PLUS_64$/],
    ['/usr/lib/ipxe/ipxe.iso', 'iPXE network boot firmware', 'Application id', /^IPXE\b/],
    ['/usr/lib/grub-rescue/grub-rescue-cdrom.iso', 'GRUB boot disc (i386-pc), no system named', 'Volume id', /^ISOIMAGE$/],
  ] as const;
  it.each(shipped)('%s (as Debian ships it)', async (iso, line, field, says) => {
    if (!existsSync(iso)) throw new Error(`${iso} is missing: npm test installs memtest86+, ipxe and grub-rescue-pc`);
    expect(isoinfoField(iso, field)).toMatch(says);
    const r = await inspectPath(iso);
    expect(r.os?.headline).toBe(line);
  });

  it('a disc that names no system gets no identity: the headline is its label and publisher, said as such', async () => {
    const iso = disc('plain', { 'readme.txt': 'hello\n' }, 'BACKUP_2024');
    const r = await inspectPath(iso);
    expect(r.os).toBeUndefined();
    expect(headline(r)).toBe('Disc "BACKUP_2024"; it does not name its system');
  });

  it('parsers keep to what the text says, and bound it', () => {
    expect(parseDiskInfo('')).toBeNull();
    expect(parseDiskInfo(`X${'y'.repeat(10_000)}`)!.headline.length).toBeLessThanOrEqual(160);
    expect(parseTreeinfo('[general]\nfamily = CentOS Stream\nversion = 9\narch = aarch64\n')).toEqual({
      headline: 'CentOS Stream 9 aarch64',
      name: 'CentOS Stream',
      version: '9',
      arch: 'aarch64',
    });
    expect(parseTreeinfo('[release]\nversion = 9\n')).toBeNull();
  });
});
