/**
 * Microsoft's volume labels on its Windows media, decoded token by token.
 * Only tokens whose meaning is established are decoded; an unknown label (or
 * an unknown edition code) yields nothing for that part, never a guess.
 *
 * Windows Vista/7 style: [G|L][SP1]RMC<edition>[X]FRE<channel>_<lang>_DVD
 *   e.g. GRMCPRXFRER_EN_DVD = Windows 7 Professional x64, retail, English.
 * Windows 8–11 style: <prefix>_<arch>FRE[V|O]_<lang>_<media>
 *   e.g. CCSA_X64FRE_EN-US_DV5, CPBA_A64FRE_JA-JP_DV9.
 */

export interface LabelInfo {
  label: string;
  product: string | null;
  servicePack: number | null;
  edition: string | null;
  arch: 'x86' | 'x64' | 'arm64' | null;
  build: 'free' | 'checked' | null;
  channel: 'retail' | 'volume' | 'oem' | null;
  language: string | null;
  media: string | null;
}

/** Windows 7 edition codes after "RMC" (Microsoft's Windows 7 media labels). */
const WIN7_EDITIONS: Record<string, string> = {
  UL: 'Ultimate',
  PR: 'Professional',
  HP: 'Home Premium',
  HB: 'Home Basic',
  ST: 'Starter',
  EN: 'Enterprise',
};

/** Windows 10/11 label prefixes whose meaning is documented by the media themselves. */
const MODERN_PREFIXES: Record<string, string> = {
  CCSA: 'Consumer editions',
  CCCOMA: 'Consumer editions (multi-edition)',
  CPRA: 'Professional',
  CENA: 'Enterprise',
};

const CHANNELS: Record<string, LabelInfo['channel']> = { R: 'retail', V: 'volume', VOL: 'volume', O: 'oem', OEM: 'oem' };

export function decodeWindowsLabel(label: string): LabelInfo | null {
  const l = label.trim().toUpperCase();
  const legacy = l.match(/^([GL])(SP(\d))?RMC([A-Z]{2})(X?)(FRE|CHK)?(R|VOL|OEM|O)?_([A-Z]{2}(?:-[A-Z]{2})?)_(DVD)$/);
  if (legacy) {
    const [, gen, , sp, ed, x64, fre, ch, lang, media] = legacy;
    return {
      label,
      product: gen === 'G' ? 'Windows 7' : 'Windows Vista',
      servicePack: sp ? Number(sp) : null,
      edition: WIN7_EDITIONS[ed!] ?? null,
      arch: x64 ? 'x64' : 'x86',
      build: fre === 'FRE' ? 'free' : fre === 'CHK' ? 'checked' : null,
      channel: ch ? (CHANNELS[ch] ?? null) : null,
      language: lang!,
      media: media!,
    };
  }
  const modern = l.match(/^(?:[A-Z]_)?([A-Z]{3,8})_(X64|X86|A64|ARM64)(FRE|CHK)(V|O)?_([A-Z]{2}-[A-Z]{2,4})_(DV\d|DVD|BD\d?)$/);
  if (modern) {
    const [, prefix, arch, fre, ch, lang, media] = modern;
    return {
      label,
      product: prefix!.startsWith('S') ? 'Windows Server' : prefix!.startsWith('C') ? 'Windows (client)' : null,
      servicePack: null,
      edition: MODERN_PREFIXES[prefix!] ?? null,
      arch: arch === 'X64' ? 'x64' : arch === 'X86' ? 'x86' : 'arm64',
      build: fre === 'FRE' ? 'free' : 'checked',
      channel: ch ? (CHANNELS[ch] ?? null) : null,
      language: lang!.toLowerCase().replace(/-(\w+)$/, (_m, r: string) => '-' + r.toUpperCase()),
      media: media!,
    };
  }
  return null;
}
