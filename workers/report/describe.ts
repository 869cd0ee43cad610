/**
 * The report in words: one describer for every place a person reads it (the
 * app, the Markdown export, the CLI's summary), so the three say the same
 * thing. Each function takes report objects and returns plain strings; none
 * reads bytes.
 */
import type { Report } from './types.ts';
import type { WindowsReport } from '../formats/windows/identify.ts';
import type { ProvenanceSignal } from './types.ts';
import { formatBytes, formatSize } from './format.ts';
import { describeVolume } from './volume-info.ts';
import { secureBootLine, type BootLoaderReport } from './secure-boot.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Sizes in the decimal units download pages use ("600 kB of 2.4 MB", "23.3 kB"), for plain-words messages (format.ts formatSize). */
export const decimalSize = formatSize;

/**
 * The Windows summary naming every language its images hold: the XML's
 * summary names the first image's default one only ("…, en-US, …" for an
 * image that is en-US and de-DE). The languages follow it, in image order.
 */
export function windowsSummary(w: WindowsReport): string {
  const langs = [...new Set(w.images.flatMap((i) => i.languages))];
  const first = w.images[0];
  const named = first?.defaultLanguage ?? first?.languages[0];
  if (langs.length < 2 || !named) return w.summary;
  const parts = w.summary.split(', ');
  const at = parts.lastIndexOf(named);
  if (at < 0) return w.summary;
  parts[at] = [named, ...langs.filter((l) => l !== named)].join(' + ');
  return parts.join(', ');
}

/**
 * What this is, in one line: Windows' summary, the system a disc names
 * itself (report.os), a bare volume, an audio CD, else the label and
 * publisher. Null when nothing was recognised.
 */
export function headline(r: Report): string | null {
  // Every language the images hold (the XML's summary names the first image's default one only).
  if (r.windows) return windowsSummary(r.windows);
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

/** `size`: how the total is written (the CLI's binary units by default; the app passes its decimal formatSize). */
export function volumeSizeLine(v: NonNullable<Report['volume']>, size: (n: number) => string = formatBytes): string {
  return `${v.blockCount} blocks × ${v.blockSize} B = ${size(v.volumeBytes)}`;
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
const FAT32_MAX_FILE = 2 ** 32 - 1;

/** What Secure Boot makes of a UEFI loader, from its signatures (verified, or named as they read). */
type SecureBoot = 'windows-both' | 'windows-2011' | 'windows-2023' | 'third-party' | 'other-key' | 'unsigned' | 'refused' | 'cannot-check';

function secureBootOf(l: BootLoaderReport): { state: SecureBoot; checked: boolean } {
  if (!l.signatures.length) return { state: 'unsigned', checked: true };
  const verified = l.signatures.map((s) => s.verified).filter((v) => v !== undefined);
  const checked = !!l.verification && verified.length > 0;
  const named = (cas: Set<string | null>): SecureBoot =>
    cas.has('windows-pca-2011') && cas.has('windows-uefi-ca-2023')
      ? 'windows-both'
      : cas.has('windows-pca-2011')
        ? 'windows-2011'
        : cas.has('windows-uefi-ca-2023')
          ? 'windows-2023'
          : cas.has('uefi-ca-2011') || cas.has('uefi-ca-2023')
            ? 'third-party'
            : 'other-key';
  if (!checked) return { state: named(new Set(l.signatures.map((s) => s.microsoftCa))), checked };
  const valid = l.signatures.filter((s) => s.verified?.status === 'valid' && s.verified.microsoft);
  if (valid.length) return { state: named(new Set(valid.map((s) => s.microsoftCa))), checked };
  if (verified.some((v) => v.status === 'digest-mismatch' || v.status === 'bad-signature')) return { state: 'refused', checked };
  if (verified.every((v) => v.status === 'cannot-check')) return { state: 'cannot-check', checked };
  return { state: 'other-key', checked };
}

/**
 * What Secure Boot asks before it starts a loader: the short condition for a
 * verdict ("Secure Boot is off", "it has not revoked …"), and the sentence;
 * null when Secure Boot starts it anywhere.
 */
function secureBootTerms(sb: { state: SecureBoot; checked: boolean }): { condition: string; sentence: string } | null {
  const named = sb.checked ? '' : ' (as its signature names it; not checked)';
  const trusted = (condition: string) => ({ condition: `${condition}, or Secure Boot is off`, sentence: `with Secure Boot on, only if ${condition}${named}` });
  switch (sb.state) {
    case 'windows-both':
      return null;
    case 'windows-2011':
      return trusted('it has not revoked Microsoft’s 2011 certificate (KB5025885)');
    case 'windows-2023':
      return trusted('its firmware holds Microsoft’s 2023 certificate (KB5062713)');
    case 'third-party':
      return trusted('it allows Microsoft’s third-party UEFI CA (many Secured-core PCs do not)');
    case 'cannot-check':
      return trusted('Secure Boot accepts its signature');
    case 'unsigned':
      return { condition: 'Secure Boot is off', sentence: 'only with Secure Boot off: its loader is not signed' };
    case 'refused':
      return { condition: 'Secure Boot is off', sentence: 'only with Secure Boot off: its loader’s signature does not verify' };
    case 'other-key':
      return {
        condition: 'Secure Boot is off',
        sentence: `only with Secure Boot off, unless its signer’s key is enrolled: it is not signed by Microsoft${named}`,
      };
  }
}

/** The boot facts every verdict rests on. */
interface BootFacts {
  /** A disc (ISO 9660 or UDF): what "boots from a disc" is said of. */
  disc: boolean;
  bios: boolean;
  /** An El Torito UEFI entry is there. */
  uefiEntry: boolean;
  /** …and firmware can start what it holds: not every loader found is unreadable. */
  uefi: boolean;
  /** Why UEFI cannot start it, when there is a UEFI entry: every loader unreadable. */
  uefiNo: string | null;
  hybrid: boolean;
  /** The loader firmware would start (BOOTX64.EFI first), readable, and whether it is among the disc's files (a copy to a stick keeps it). */
  loader: BootLoaderReport | null;
  loaderInFiles: boolean;
}

function bootFacts(r: Report): BootFacts {
  const bootable = r.boot?.entries.filter((e) => e.bootable) ?? [];
  const bios = bootable.some((e) => e.platform === 'bios');
  const uefiEntry = bootable.some((e) => e.platform === 'uefi');
  const loaders = r.bootLoaders ?? [];
  const readable = loaders.filter((l) => !l.unreadable);
  const loader = readable.find((l) => /bootx64\.efi$/i.test(l.path)) ?? readable[0] ?? null;
  const unreadable = loaders.length > 0 && readable.length === 0;
  return {
    disc: r.filesystems.iso9660 || r.filesystems.udf !== null,
    bios,
    uefiEntry,
    uefi: uefiEntry && !unreadable,
    uefiNo: uefiEntry && unreadable ? secureBootLine(loaders[0]!).replace(/\.$/, '') : null,
    hybrid: (r.partitions.mbr?.isohybrid ?? false) || (r.partitions.gpt !== null && r.filesystems.iso9660),
    loader,
    loaderInFiles: loader?.foundIn === 'tree',
  };
}

export type UseAnswer = 'yes' | 'if' | 'no';

/** One use's verdict: "A virtual machine: yes, with BIOS firmware", then why. */
export interface UseVerdict {
  use: 'vm' | 'usb' | 'pc';
  /** "Virtual machine", "USB stick", "This PC". */
  label: string;
  answer: UseAnswer;
  /** The verdict in a few words: "yes", "no", "yes, if Secure Boot is off". */
  short: string;
  /** The reason, in a sentence. */
  why: string;
}

const yesIf = (conditions: (string | null)[]): { answer: UseAnswer; short: string } => {
  const c = conditions.filter((x): x is string => !!x);
  return c.length ? { answer: 'if', short: `yes, if ${c.join(', and ')}` } : { answer: 'yes', short: 'yes' };
};

/**
 * "Ready to use?" as a verdict per use the people who open disc images
 * have: a virtual machine (VirtualBox, VMware, QEMU), a USB stick, this PC.
 * Each is yes, no or "yes, if …", from what was read; none for a file that
 * is not a disc (a bare WIM, a stick's image: those lines say what there is).
 * An incomplete file is ready for nothing.
 */
export function useVerdicts(r: Report): UseVerdict[] {
  if (!r.recognised) return [];
  const cut = damage(r);
  if (cut) {
    const why = 'This file is incomplete: download it again. A cut image neither boots nor installs.';
    return [
      { use: 'vm', label: 'Virtual machine', answer: 'no', short: 'no: incomplete file', why },
      { use: 'usb', label: 'USB stick', answer: 'no', short: 'no: incomplete file', why },
      { use: 'pc', label: 'This PC', answer: 'no', short: 'no: incomplete file', why },
    ];
  }
  const b = bootFacts(r);
  if (!b.disc) return [];
  const w = r.windows;
  const sbTerms = b.loader ? secureBootTerms(secureBootOf(b.loader)) : null;
  const sbCondition = sbTerms?.condition ?? null;
  const out: UseVerdict[] = [];

  // A virtual machine boots the disc as a disc: El Torito, BIOS or UEFI firmware.
  if (!r.boot) {
    out.push({
      use: 'vm',
      label: 'Virtual machine',
      answer: 'no',
      short: 'no: no boot record',
      why: 'The disc has no boot record (El Torito catalog): no virtual machine can start it.',
    });
  } else if (b.bios && b.uefi)
    out.push({
      use: 'vm',
      label: 'Virtual machine',
      answer: 'yes',
      short: 'yes, BIOS or UEFI',
      why: `It boots with BIOS or UEFI firmware: pick either${w?.product?.name.startsWith('Windows 11') ? ' (UEFI with Secure Boot and a virtual TPM 2.0 for Windows 11)' : ''}.`,
    });
  else if (b.bios)
    out.push({
      use: 'vm',
      label: 'Virtual machine',
      answer: 'yes',
      short: 'yes, with BIOS firmware',
      why: `Choose BIOS (legacy) firmware, not UEFI: ${b.uefiNo ? `${b.uefiNo}.` : 'the disc has no UEFI boot entry.'}`,
    });
  else if (b.uefi)
    out.push({
      use: 'vm',
      label: 'Virtual machine',
      answer: 'yes',
      short: 'yes, with UEFI firmware',
      why: `Choose UEFI firmware: the disc has no BIOS boot entry${sbTerms ? `; it starts ${sbTerms.sentence}` : ''}.`,
    });
  else
    out.push({
      use: 'vm',
      label: 'Virtual machine',
      answer: 'no',
      short: 'no: nothing it boots starts',
      why: b.uefiNo ? `${b.uefiNo}, and the disc has no BIOS boot entry.` : 'Its boot catalog has no bootable entry.',
    });

  // A USB stick: written as it is (hybrid), or its files copied to a FAT32 stick (Windows Setup, Rufus).
  const tooBig = w && w.format !== 'swm' && w.imageBytes > FAT32_MAX_FILE ? w : null;
  const wimName = w ? w.imageFile.replace(/^.*\//, '') : '';
  if (b.hybrid && r.boot && (b.bios || b.uefi)) {
    out.push({
      use: 'usb',
      label: 'USB stick',
      answer: 'yes',
      short: 'yes, written as it is',
      why: `It is hybrid: written to a stick as it is (Etcher, dd, Rufus in DD mode), it boots from the stick${b.bios && b.uefi ? ' on BIOS and UEFI PCs' : b.bios ? ' on BIOS PCs' : ' on UEFI PCs'}${
        b.uefi && sbTerms ? `; under UEFI ${sbTerms.sentence}` : ''
      }.`,
    });
  } else if (b.loader && b.loaderInFiles && (b.uefiEntry || !r.boot)) {
    const c = yesIf([tooBig ? `the tool splits ${wimName} or uses NTFS with UEFI:NTFS` : null, sbCondition]);
    const fits = tooBig
      ? `; ${wimName} is ${decimalSize(tooBig.imageBytes)}, over FAT32's 4 GB limit`
      : w && w.format !== 'swm'
        ? `; ${wimName} (${decimalSize(w.imageBytes)}) fits on FAT32`
        : '';
    out.push({
      use: 'usb',
      label: 'USB stick',
      answer: c.answer,
      short: c.short,
      why: `Its files copied to a FAT32 stick (Rufus, the Media Creation Tool) start under UEFI firmware from ${b.loader.path.replace(/^\//, '')}${
        sbTerms ? `, ${sbTerms.sentence}` : ''
      }${fits}.`,
    });
  } else if (b.bios)
    out.push({
      use: 'usb',
      label: 'USB stick',
      answer: 'if',
      short: 'yes, for BIOS PCs only',
      why: `A tool such as Rufus can make it a stick that starts BIOS (legacy) PCs; UEFI firmware will not start a copy of its files: ${
        b.loader || b.uefiNo ? 'no EFI loader that firmware can start is among them' : 'it has no EFI/BOOT loader'
      }.`,
    });
  else if (!r.boot)
    out.push({
      use: 'usb',
      label: 'USB stick',
      answer: 'no',
      short: 'no: nothing on it starts a PC',
      why: 'It has no boot record and no EFI/BOOT loader among its files: a USB tool cannot make a stick that starts from it.',
    });
  else
    out.push({
      use: 'usb',
      label: 'USB stick',
      answer: 'no',
      short: 'no',
      why: b.uefiNo ? `${b.uefiNo}.` : 'Nothing on it starts from a stick.',
    });

  // This PC: the firmware path a PC takes, and what Windows 11 Setup checks (UEFI with Secure Boot, TPM 2.0).
  const win11 = w?.product?.name.startsWith('Windows 11') ?? false;
  const uefiPath = b.uefi || (b.loader !== null && b.loaderInFiles);
  if (out.every((v) => v.answer === 'no')) out.push({ use: 'pc', label: 'This PC', answer: 'no', short: 'no', why: 'Nothing on it starts a PC.' });
  else if (uefiPath) {
    const c = yesIf([sbCondition, win11 ? 'it has TPM 2.0 and a supported processor' : null]);
    out.push({
      use: 'pc',
      label: 'This PC',
      answer: c.answer,
      short: c.short,
      why: `A PC with UEFI firmware starts it${sbTerms ? ` ${sbTerms.sentence}` : ', Secure Boot on or off'}${b.bios ? '; one with BIOS (legacy) firmware starts it too' : ''}${
        win11 ? '; Windows 11 Setup then asks for TPM 2.0, Secure Boot and a supported processor' : ''
      }.`,
    });
  } else if (win11)
    out.push({
      use: 'pc',
      label: 'This PC',
      answer: 'no',
      short: 'no: Windows 11 needs UEFI',
      why: 'It starts only on BIOS (legacy) firmware, and Windows 11 Setup asks for UEFI with Secure Boot (and TPM 2.0).',
    });
  else
    out.push({
      use: 'pc',
      label: 'This PC',
      answer: 'if',
      short: 'yes, if it still offers BIOS (legacy) boot',
      why: 'It starts only on BIOS (legacy, CSM) firmware, which most PCs sold since 2020 no longer offer.',
    });
  return out;
}

/**
 * "Ready to use?" in detail: how the image boots and what a USB stick made
 * from it needs, from what was read. An incomplete file gets one line (it
 * is ready for nothing); a disc with no boot record says so first. The boot
 * loaders' signatures are named as they read, or as verified
 * (report/secure-boot.ts).
 */
export function readiness(r: Report): string[] {
  const cut = damage(r);
  if (cut) return ['Not ready for anything: this file is incomplete, and a cut image neither boots nor installs. Download it again.'];
  const out: string[] = [];
  const b = bootFacts(r);
  if (r.boot) {
    const platforms = bootSummary(r);
    const hybrid = b.hybrid ? '; hybrid: written to a USB stick as it is, it boots from the stick too' : '';
    if (b.uefiNo && b.bios) out.push(`Boots BIOS from a disc${hybrid}. UEFI: no — ${b.uefiNo}.`);
    else if (b.uefiNo) out.push(`Does not boot: UEFI: no — ${b.uefiNo}; and it has no BIOS boot entry.`);
    else out.push(`Boots ${platforms} from a disc${hybrid}.`);
  } else if (b.disc && r.recognised)
    out.push(
      `Does not boot as it is: the disc has no boot record (El Torito catalog), so a virtual machine or a PC cannot start it${
        b.loaderInFiles
          ? '; its files hold a UEFI loader, so a copy of them on a FAT32 stick may start under UEFI'
          : ', and a USB tool cannot make a bootable stick of it'
      }.`,
    );
  const w = r.windows;
  if (w && w.format !== 'swm') {
    const name = w.imageFile.replace(/^.*\//, '');
    const uefiStick = b.loaderInFiles || b.uefi;
    out.push(
      w.imageBytes > FAT32_MAX_FILE
        ? `${name} is ${decimalSize(w.imageBytes)}: too big for a FAT32 USB stick (split it into .swm parts, or use NTFS with a UEFI:NTFS loader).`
        : uefiStick
          ? `${name} (${decimalSize(w.imageBytes)}) fits on a FAT32 USB stick, which UEFI firmware boots from.`
          : `${name} (${decimalSize(w.imageBytes)}) fits on a FAT32 USB stick; with no UEFI loader that firmware can start, such a stick starts only BIOS PCs.`,
    );
  }
  // Unreadable loaders are said in the boot line above when none could be read.
  for (const l of (r.bootLoaders ?? []).slice(0, 4)) if (!(b.uefiNo && l.unreadable)) out.push(secureBootLine(l));
  if (w?.product?.name.startsWith('Windows 11')) out.push('Windows 11 Setup asks for TPM 2.0, Secure Boot and a supported processor.');
  return out;
}

/** A fingerprint as GnuPG prints it: groups of four hex digits. */
function fingerprintGroups(fp: string): string {
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
