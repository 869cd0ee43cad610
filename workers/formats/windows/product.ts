/**
 * Which Windows product an install image is, from what its WIM XML says:
 * VERSION (major.minor.build), INSTALLATIONTYPE ("Client", "Server",
 * "Server Core", "WindowsPE") and EDITIONID. Windows 10, 11 and the Server
 * releases since 2016 all carry version 10.0, so the build number and the
 * installation type decide, never the version alone.
 *
 * Build numbers and their version names are Microsoft's release information
 * pages:
 *   client: https://learn.microsoft.com/windows/release-health/release-information
 *           and .../windows11-release-information (build ↔ version, e.g. 19045 = 22H2)
 *   server: https://learn.microsoft.com/windows/release-health/windows-server-release-info
 * Nothing is inferred for a build not listed: it is named by its family only.
 */

export type WindowsFamily = 'client' | 'server' | 'pe';

export interface WindowsProduct {
  /** e.g. "Windows 11", "Windows Server 2022", "Windows 10 Enterprise LTSC 2021". */
  name: string;
  family: WindowsFamily;
  /** The feature update's name for Windows 10/11 and Semi-Annual Channel servers ("22H2", "1909"); null otherwise. */
  version: string | null;
  /** Long-Term Servicing: LTSB/LTSC client media, and every Server LTSC release. */
  longTerm: boolean;
  /** Microsoft's support class of the edition, for the lifecycle table. */
  editionClass: 'home-pro' | 'enterprise-education' | 'iot-enterprise' | 'server' | null;
}

/** Windows 10 builds (release-information). */
const WIN10_VERSIONS: Record<number, string> = {
  10240: '1507',
  10586: '1511',
  14393: '1607',
  15063: '1703',
  16299: '1709',
  17134: '1803',
  17763: '1809',
  18362: '1903',
  18363: '1909',
  19041: '2004',
  19042: '20H2',
  19043: '21H1',
  19044: '21H2',
  19045: '22H2',
};
/** Windows 11 builds (windows11-release-information). */
const WIN11_VERSIONS: Record<number, string> = { 22000: '21H2', 22621: '22H2', 22631: '23H2', 26100: '24H2', 26200: '25H2', 28000: '26H1' };

/** Windows Server LTSC releases by build (windows-server-release-info). */
const SERVER_LTSC: Record<number, string> = {
  14393: 'Windows Server 2016',
  17763: 'Windows Server 2019',
  20348: 'Windows Server 2022',
  26100: 'Windows Server 2025',
};
/** Windows Server Semi-Annual / Annual Channel releases by build (windows-server-release-info). */
const SERVER_CHANNEL: Record<number, string> = { 16299: '1709', 17134: '1803', 18362: '1903', 18363: '1909', 19041: '2004', 19042: '20H2', 25398: '23H2' };

/** Client LTSB/LTSC releases by build: the release's own name (Microsoft lifecycle pages for each). */
const CLIENT_LTSC: Record<number, { win: 10 | 11; name: string }> = {
  10240: { win: 10, name: '2015 LTSB' },
  14393: { win: 10, name: '2016 LTSB' },
  17763: { win: 10, name: 'LTSC 2019' },
  19044: { win: 10, name: 'LTSC 2021' },
  26100: { win: 11, name: 'LTSC 2024' },
};

const isLongTermEdition = (e: string) => /^(IoT)?EnterpriseS(N|K)?$/i.test(e);
const isIotEdition = (e: string) => /^IoTEnterprise/i.test(e);
const isEnterpriseEducation = (e: string) => /^(Enterprise|Education)(N|G|GN)?$/i.test(e) || /^(Enterprise|Education)/i.test(e);
const isServerEdition = (e: string) => /^Server/i.test(e);

function familyOf(installationType: string | null, editionId: string | null): WindowsFamily {
  if (installationType && /windowspe/i.test(installationType)) return 'pe';
  if ((installationType && /server/i.test(installationType)) || (editionId && isServerEdition(editionId))) return 'server';
  return 'client';
}

/** The product an image is, or null when its version is unreadable. */
export function windowsProduct(
  major: number | null,
  minor: number | null,
  build: number | null,
  installationType: string | null,
  editionId: string | null,
): WindowsProduct | null {
  if (major === null || minor === null) return null;
  const family = familyOf(installationType, editionId);
  const edition = editionId ?? '';
  const base = { family, version: null, longTerm: false, editionClass: family === 'server' ? ('server' as const) : null };
  if (family === 'pe') return { ...base, name: 'Windows PE' };
  const server = family === 'server';
  if (major === 6) {
    const names: Record<number, [string, string]> = {
      0: ['Windows Vista', 'Windows Server 2008'],
      1: ['Windows 7', 'Windows Server 2008 R2'],
      2: ['Windows 8', 'Windows Server 2012'],
      3: ['Windows 8.1', 'Windows Server 2012 R2'],
    };
    const pair = names[minor];
    return pair ? { ...base, name: pair[server ? 1 : 0], longTerm: server } : null;
  }
  if (major !== 10 || minor !== 0 || build === null) return null;
  if (server) {
    const ltsc = SERVER_LTSC[build];
    if (ltsc) return { ...base, name: ltsc, longTerm: true };
    const channel = SERVER_CHANNEL[build];
    if (channel) return { ...base, name: `Windows Server, version ${channel}`, version: channel };
    return { ...base, name: 'Windows Server' };
  }
  const win11 = build >= 22000;
  const version = (win11 ? WIN11_VERSIONS : WIN10_VERSIONS)[build] ?? null;
  const editionClass: WindowsProduct['editionClass'] = isIotEdition(edition)
    ? 'iot-enterprise'
    : isEnterpriseEducation(edition)
      ? 'enterprise-education'
      : edition
        ? 'home-pro'
        : null;
  if (isLongTermEdition(edition)) {
    const ltsc = CLIENT_LTSC[build];
    const win = win11 ? 11 : 10;
    const what = isIotEdition(edition) ? 'IoT Enterprise' : 'Enterprise';
    if (ltsc && ltsc.win === win) return { family, name: `Windows ${win} ${what} ${ltsc.name}`, version, longTerm: true, editionClass };
    return { family, name: `Windows ${win} ${what} LTSC`, version, longTerm: true, editionClass };
  }
  return { family, name: win11 ? 'Windows 11' : 'Windows 10', version, longTerm: false, editionClass };
}
