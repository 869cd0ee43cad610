/**
 * The report in words: one describer for every place a person reads it (the
 * app, the Markdown export, the CLI's summary), so the three say the same
 * thing. Each function takes report objects and returns plain strings; none
 * reads bytes.
 */
import type { Report } from './types.ts';
import type { WindowsReport } from '../formats/windows/identify.ts';
import type { ProvenanceSignal } from './provenance.ts';
import { formatBytes } from './format.ts';
import { describeVolume } from './volume-info.ts';
import { secureBootLine } from './secure-boot.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Sizes in the decimal units download pages use ("0.6 MB of 2.4 MB"), for plain-words messages. */
export function decimalSize(n: number): string {
  if (n < 1e6) return `${Math.max(0.1, Math.round(n / 1e5) / 10).toFixed(1)} MB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/**
 * What this is, in one line: Windows' summary, the system a disc names
 * itself (report.os), a bare volume, an audio CD, else the label and
 * publisher. Null when nothing was recognised.
 */
export function headline(r: Report): string | null {
  if (r.windows) return r.windows.summary;
  if (r.os) return r.os.headline;
  if (r.kind === 'audio-cd') return `Audio CD: ${plural(r.sectors?.tracks.length ?? 0, 'track')}, no file system`;
  const bare = r.volumes.find((v) => v.partition === null);
  if (bare) return describeVolume(bare);
  if (r.volume) {
    // The publisher, not the application id: that names the tool that wrote the disc (genisoimage, CDIMAGE), not its maker.
    const who = r.volume.publisherId || r.filesystems.joliet?.publisherId;
    const label = r.filesystems.joliet?.label || r.volume.label;
    return `${label ? `Disc "${label}"` : 'Disc with no label'}${who ? `, published by ${who}` : ''}; it does not name its system`;
  }
  if (r.partitions.scheme) return `Disk image: ${r.partitions.scheme.toUpperCase()}, ${plural(r.partitions.entries.length, 'partition')}`;
  return null;
}

/** Where a headline came from, for a line under it. */
export function headlineSource(r: Report): string | null {
  if (r.windows) return `${r.windows.imageFile}'s XML`;
  if (r.os) return r.os.from;
  return null;
}

/** "ISO 9660, Joliet (level 3), Rock Ridge, UDF 1.02" and any bare volume. */
export function fileSystemNames(r: Report): string[] {
  const f = r.filesystems;
  return [
    f.iso9660 && 'ISO 9660',
    f.joliet && `Joliet (level ${f.joliet.level})`,
    f.rockRidge && `Rock Ridge${f.rockRidgeId ? ` (${f.rockRidgeId})` : ''}`,
    f.udf && `UDF ${f.udf.revision}`,
    ...r.volumes.filter((v) => v.partition === null).map(describeVolume),
  ].filter((x): x is string => typeof x === 'string');
}

/** How the disc boots, in one phrase: "BIOS and UEFI", "UEFI only", "not bootable from optical media". */
export function bootSummary(r: Report): string {
  if (!r.boot) return r.filesystems.iso9660 || r.filesystems.udf ? 'not bootable from optical media (no El Torito catalog)' : 'no boot record read';
  const platforms = [
    ...new Set(
      r.boot.entries
        .filter((e) => e.bootable)
        .map((e) =>
          e.platform === 'uefi' ? 'UEFI' : e.platform === 'bios' ? 'BIOS' : e.platform === 'mac' ? 'Mac' : e.platform === 'ppc' ? 'PowerPC' : e.platform,
        ),
    ),
  ];
  return platforms.length ? platforms.join(' and ') : 'El Torito catalog with no bootable entry';
}

/** "install.wim (WIM, LZX, 4 images, integrity table)". */
export function installImageLine(w: WindowsReport): string {
  if (w.unreadable)
    return `${w.imageFile} (${w.format.toUpperCase()}, ${decimalSize(w.imageBytes)} as its directory entry says${w.imageCount ? `, ${plural(w.imageCount, 'image')} as its header says` : ''}): ${w.unreadable.replace(/^\S+ cannot be read: /, 'cannot be read: ')}`;
  const extras = [
    w.format.toUpperCase(),
    w.compression,
    plural(w.imageCount, 'image'),
    w.part.total > 1 ? `part ${w.part.number}/${w.part.total}` : null,
    w.integrity ? 'integrity table' : null,
  ].filter(Boolean);
  return `${w.imageFile} (${extras.join(', ')})`;
}

export function eiCfgLine(w: WindowsReport): string | null {
  if (!w.eiCfg) return null;
  const e = w.eiCfg;
  return [e.editionId && `EditionID=${e.editionId}`, e.channel && `Channel=${e.channel}`, e.volumeLicense !== null && `VL=${e.volumeLicense ? 1 : 0}`]
    .filter(Boolean)
    .join(', ');
}

export function labelSaysLine(w: WindowsReport): string | null {
  const l = w.labelInfo;
  if (!l) return null;
  return [l.product, l.edition, l.servicePack && `SP${l.servicePack}`, l.arch, l.channel, l.language].filter(Boolean).join(', ');
}

export function bootWimLine(w: WindowsReport): string | null {
  const b = w.bootWim;
  return b ? `${plural(b.imageCount, 'image')}: ${b.images.map((i) => i.name).join(', ')}` : null;
}

/** The mark a provenance signal gets in text: · consistent, ! strong, ? weak. */
export const signalMark = (s: ProvenanceSignal): string => (s.verdict === 'consistent' ? '·' : s.strength === 'strong' ? '!' : '?');

export function sessionsLine(r: Report): string | null {
  const s = r.sessions;
  if (!s) return null;
  return `${s.list.length}; this report reads session ${s.read}${s.read === s.list.length ? ' (the last, as operating systems do)' : ''}`;
}

export function volumeSizeLine(v: NonNullable<Report['volume']>): string {
  return `${v.blockCount} blocks × ${v.blockSize} B = ${formatBytes(v.volumeBytes)}`;
}

/**
 * Damage a non-expert must act on, in plain words, with the technical line
 * kept for a disclosure. Today: an image cut short (a download that did not
 * finish), the commonest damage there is.
 */
export function damage(r: Report): { plain: string; technical: string } | null {
  const cut = r.warnings.find((w) => w.code === 'IMAGE_TRUNCATED');
  if (!cut) return null;
  const expected = Math.max(r.volume?.volumeBytes ?? 0, ...r.volumes.filter((v) => v.partition === null).map((v) => v.size ?? 0));
  const of = expected > r.file.size ? ` ${decimalSize(r.file.size)} of ${decimalSize(expected)}` : '';
  return {
    plain: `This file is incomplete:${of ? `${of}.` : ' its end is missing.'} Download it again. What could be read before the cut is shown below.`,
    technical: cut.message,
  };
}

/** The message for a file that is no disc image at all (one message, not one per empty section). */
export function notRecognised(r: Report): string | null {
  if (r.recognised) return null;
  return r.errors.find((e) => e.code === 'NOT_A_DISC_IMAGE' || e.code === 'EMPTY_FILE')?.message ?? 'This file was not recognised as a disc image.';
}

/** FAT32's largest file (2^32 − 1 bytes): an install.wim over it cannot be copied to the FAT32 stick UEFI firmware boots from. */
export const FAT32_MAX_FILE = 2 ** 32 - 1;

/**
 * "Ready to use?": how the image boots and what a USB stick made from it
 * needs, from what was read. The boot loaders' signatures are named as they
 * read (report/secure-boot.ts), never called verified.
 */
export function readiness(r: Report): string[] {
  const out: string[] = [];
  if (r.boot) {
    const hybrid = (r.partitions.mbr?.isohybrid ?? false) || (r.partitions.gpt !== null && r.filesystems.iso9660);
    out.push(`Boots ${bootSummary(r)} from a disc${hybrid ? '; hybrid: written to a USB stick as it is, it boots from the stick too' : ''}.`);
  }
  const w = r.windows;
  if (w && w.format !== 'swm') {
    out.push(
      w.imageBytes > FAT32_MAX_FILE
        ? `${w.imageFile.replace(/^.*\//, '')} is ${decimalSize(w.imageBytes)}: too big for a FAT32 USB stick (split it into .swm parts, or use NTFS with a UEFI:NTFS loader).`
        : `${w.imageFile.replace(/^.*\//, '')} (${decimalSize(w.imageBytes)}) fits on a FAT32 USB stick, which UEFI firmware boots from.`,
    );
  }
  for (const l of (r.bootLoaders ?? []).slice(0, 4)) out.push(secureBootLine(l));
  if (w?.product?.name.startsWith('Windows 11')) out.push('Windows 11 Setup asks for TPM 2.0, Secure Boot and a supported processor.');
  return out;
}

/** A fingerprint as GnuPG prints it: groups of four hex digits. */
export function fingerprintGroups(fp: string): string {
  return fp.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * What a checksum list's OpenPGP signature said, for a person: who signed,
 * and that the key is theirs to confirm; never "trusted".
 */
export function signatureLine(sig: import('../hash/signed-checksums.ts').ListSignature | import('../hash/signed-checksums.ts').SignatureCheck): {
  verdict: 'good' | 'bad' | 'unchecked';
  text: string;
} {
  switch (sig.status) {
    case 'good': {
      const who = sig.signer.userIds[0] ?? `key ${sig.signer.keyId}`;
      const when = sig.created ? `, made ${sig.created.slice(0, 10)}` : '';
      return {
        verdict: 'good',
        text: `Good signature by ${who}${when}: the list is unchanged since that key signed it. Key fingerprint ${fingerprintGroups(sig.signer.fingerprint ?? sig.signer.keyId)}: compare it with the one the publisher gives.`,
      };
    }
    case 'bad':
      return {
        verdict: 'bad',
        text: `BAD signature (key ${sig.signer.keyId}${sig.signer.userIds[0] ? `, ${sig.signer.userIds[0]}` : ''}): the list changed after it was signed, or the key cannot sign (${sig.reason}). Do not trust its hashes.`,
      };
    case 'wrong-key':
      return {
        verdict: 'unchecked',
        text: `Not checked: the signature was made by key ${sig.signatureKeyIds.join(', ') || '(unnamed)'}, which is not among the keys given${sig.givenFingerprints.length ? ` (${sig.givenFingerprints.map(fingerprintGroups).join('; ')})` : ''}. Get the publisher's key.`,
      };
    case 'unreadable':
      return { verdict: 'unchecked', text: `Not checked: ${sig.reason}` };
  }
}
