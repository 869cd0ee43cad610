/**
 * Node side (browser commands and the e2e tests): a Windows-like disc whose
 * files carry real signatures, made at test time as tests/node/disc-signatures
 * and edition-signatures make theirs (tests/helpers/catalogs.ts): Debian's
 * shim (Microsoft's real third-party UEFI signatures), Debian's GRUB (Debian's
 * CA, not Microsoft), shim with one byte changed, PE images signed by
 * osslsigncode with a test CA that copies Microsoft's names, unsigned PE
 * images, and a catalog (.cat) signed by that test CA in the edition's
 * CatRoot. The disc is genisoimage's (UDF, Joliet, El Torito BIOS and UEFI),
 * its install.wim wimlib's, with two editions; edition 2 may hold a large
 * system file, so that checking it takes long enough to watch and cancel.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileHash, GRUB, MICROSOFT_ROOT_2010_SUBJECT, MICROSOFT_WINDOWS_SUBJECT, SHIM, Signing } from '../helpers/catalogs.ts';
import { genisoimageIso, makeWindowsTree, type MediaSpec } from '../helpers/windows-media.ts';

export const CATROOT = 'Windows/System32/CatRoot/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}';
export const PACKAGE_CAT = 'Microsoft-Windows-Client-Features-Package~31bf3856ad364e35~amd64~~10.0.19041.1.cat';

export interface SignedMedia {
  iso: string;
  cleanup: () => void;
}

/**
 * The disc. `bigBytes`: a file of that many zero bytes in edition 2's System32 (a system file: read whole and hashed
 * by the check; zeros, so the WIM and the disc stay small).
 */
export function makeSignedWindowsMedia(options: { bigBytes?: number } = {}): SignedMedia {
  for (const f of [SHIM, GRUB]) if (!existsSync(f)) throw new Error(`${f} is missing: run tests/setup/ensure-tools.sh`);
  const spec: MediaSpec = { label: 'CCCOMA_X64FRE_EN-US_DV9', images: [] };
  const media = makeWindowsTree({ ...spec, images: [{ name: 'placeholder', editionId: 'Professional', major: 10, minor: 0, build: 19041 }] });
  // makeWindowsTree made the disc's tree; its own install.wim is replaced below, once the signed files exist.
  const s = new Signing(join(media.dir, 'sign'));
  s.ca('ms', MICROSOFT_ROOT_2010_SUBJECT);
  s.signer('ms', 'ms-signer', MICROSOFT_WINDOWS_SUBJECT);
  const signed = (name: string) => {
    const pe = s.pe(name, `isoscope test ${name}`);
    s.run('osslsigncode', ['sign', '-certs', 'ms-signer.crt', '-key', 'ms-signer.key', '-h', 'sha256', '-in', pe, '-out', s.p(`signed-${name}`)]);
    return readFileSync(s.p(`signed-${name}`));
  };
  const unsigned = (name: string) => readFileSync(s.pe(name, `isoscope test ${name}`));
  const shim = readFileSync(SHIM);
  const changedShim = Buffer.from(shim);
  changedShim[0x2000] = changedShim[0x2000]! ^ 0x01;

  // The disc's own files (report.signatures.disc and the UEFI loaders).
  const disc: Record<string, Uint8Array> = {
    'bootmgr.efi': shim,
    'efi/boot/bootx64.efi': shim,
    'efi/boot/bootia32.efi': changedShim,
    'setup.exe': signed('setup.exe'),
    'sources/setuphost.exe': changedShim,
    'sources/grub.dll': readFileSync(GRUB),
    'sources/unlisted.dll': unsigned('unlisted.dll'),
  };
  for (const [path, data] of Object.entries(disc)) {
    mkdirSync(join(media.tree, path, '..'), { recursive: true });
    writeFileSync(join(media.tree, path), data);
  }

  // The editions' files (signatures.editions[]).
  const src = join(media.dir, 'editions');
  const put = (path: string, data: Uint8Array | string) => {
    mkdirSync(join(src, path, '..'), { recursive: true });
    writeFileSync(join(src, path), data);
    return join(src, path);
  };
  const sys = (p: string) => `Windows/System32/${p}`;
  put('Windows/Boot/EFI/bootmgfw.efi', shim);
  const notepad = put(sys('notepad.exe'), unsigned('notepad.exe'));
  put(sys('kernel32.dll'), signed('kernel32.dll'));
  put(sys('grubx64.efi'), readFileSync(GRUB));
  put(sys('shimchanged.efi'), changedShim);
  put(sys('added.dll'), unsigned('added.dll'));
  put(sys('changed.exe'), unsigned('changed.exe'));
  const hosts = put(sys('drivers/etc/hosts'), '# Copyright (c) 1993-2009 Microsoft Corp.\r\n127.0.0.1       localhost\r\n');
  put(sys('config/SYSTEM'), 'regf'.repeat(1000));
  s.ca('other', '/C=US/O=Test Distribution/CN=Test Distribution CA');
  s.signer('other', 'other-signer', '/C=US/O=Test Distribution/CN=Test Catalog Signer');
  const digest = (pe: string) => s.authenticodeDigest(pe, 'sha256', 'other-signer');
  const cat = s.catalog(
    'package.cat',
    [
      { digest: digest(notepad), pe: true, file: 'notepad.exe' },
      // changed.exe is listed with another file's digest: its name is there, its hash is not.
      { digest: digest(s.pe('original-changed.exe', 'isoscope test original changed.exe')), pe: true, file: 'changed.exe' },
      { digest: fileHash(hosts, 'sha256'), pe: false, file: 'hosts' },
    ],
    'sha256',
    'ms-signer',
    'ms',
  );
  put(`${CATROOT}/${PACKAGE_CAT}`, readFileSync(cat));

  const wim = join(media.tree, 'sources', 'install.wim');
  rmSync(wim);
  const props = (name: string, editionId: string) =>
    [
      ['WINDOWS/EDITIONID', editionId],
      ['WINDOWS/ARCH', '9'],
      ['WINDOWS/VERSION/MAJOR', '10'],
      ['WINDOWS/VERSION/MINOR', '0'],
      ['WINDOWS/VERSION/BUILD', '19041'],
      ['WINDOWS/INSTALLATIONTYPE', 'Client'],
      ['WINDOWS/PRODUCTTYPE', 'WinNT'],
      ['WINDOWS/LANGUAGES/DEFAULT', 'en-US'],
      ['WINDOWS/LANGUAGES/LANGUAGE[1]', 'en-US'],
      ['FLAGS', editionId],
      ['DISPLAYNAME', name],
    ].flatMap(([k, v]) => ['--image-property', `${k}=${v}`]);
  s.run('wimlib-imagex', ['capture', src, wim, 'Windows 10 Pro', ...props('Windows 10 Pro', 'Professional')]);
  s.run('wimlib-imagex', ['append', src, wim, 'Windows 10 Education', ...props('Windows 10 Education', 'Education')]);
  if (options.bigBytes) {
    const big = join(media.dir, 'big.dat');
    writeFileSync(big, '');
    truncateSync(big, options.bigBytes);
    s.run('wimlib-imagex', ['update', wim, '2', '--command', `add ${big} /${sys('big.dat')}`]);
    rmSync(big);
  }
  const iso = genisoimageIso(media, spec, join(media.dir, 'signed.iso'));
  return { iso, cleanup: media.cleanup };
}
