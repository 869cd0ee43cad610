/**
 * Microsoft's names for its installation images, read token by token:
 *  - MSDN / Visual Studio subscription names:
 *      en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso,
 *      en-us_windows_11_consumer_editions_version_23h2_updated_april_2024_x64_dvd_d986680b.iso
 *  - MSDN's older names for Windows XP and Server 2003 (learnt from MSDN's
 *    listing as msdn.itellyou.cn archived it: every XP and 2003 file there):
 *      en_winxp_pro_with_sp2.iso, en_win_xp_pro_x64_with_sp2_vl_X13-41611.iso,
 *      EN_WINXP_PRO_VL_ISO.img, en_ws_2003_ent_sp1_vl.iso,
 *      en_win_srv_2003_r2_standard_with_sp2_cd1_X13-04790.iso
 *  - retail part numbers: X17-59186.iso
 *  - build-lab names of files Microsoft hosts itself:
 *      7601.24214.180801-1700.win7sp1_ldr_escrow_CLIENT_ULTIMATE_x64FRE_en-us.iso,
 *      9600.17050.WINBLUE_REFRESH.140317-1640_X64FRE_SERVER_EVAL_EN-US-IR3_SSS_X64FREE_EN-US_DV9.ISO
 *  - Volume Licensing names: SW_DVD9_Win_Server_STD_CORE_2019_1809.18_64Bit_English_DC_STD_MLF_X22-74330.ISO
 *  - the download page's names: Win10_22H2_English_x64.iso, Win7_Pro_SP1_English_x64.iso
 * A name that fits none of these (a mirror's own name, "tiny11", an "AIO")
 * is not an official name and never enters the catalogue.
 */
import { windowsProduct } from '../formats/windows/product.ts';
import type { CatalogueRelease } from './types.ts';

export interface ReleaseName {
  /** Unique names identify one file for good (an MSDN id, a part number, a build-lab stamp); generic ones ("Win10_22H2_English_x64.iso") Microsoft has re-used for newer files. */
  unique: boolean;
  product: string | null;
  edition: string | null;
  release: string | null;
  build: string | null;
  language: string | null;
  arch: CatalogueRelease['arch'];
  channel: CatalogueRelease['channel'];
}

const ARCH: Record<string, CatalogueRelease['arch']> = {
  x86: 'x86',
  x32: 'x86',
  x64: 'x64',
  a64: 'arm64',
  arm64: 'arm64',
  ia64: 'ia64',
  '64bit': 'x64',
  '32bit': 'x86',
};

/**
 * MSDN's language prefixes as locale tags where the two differ: its old
 * two- and three-letter codes for Chinese and Portuguese ("cn" is Simplified
 * Chinese, "pt" Brazilian and "pp" European Portuguese, "sc"/"cht" the XP-era
 * Simplified and Traditional Chinese, "zh" Traditional in 2003 R2's names).
 * Others ("en", "de", "en-gb") are kept as written.
 */
const MSDN_LANGUAGES: Record<string, string> = {
  cn: 'zh-cn',
  sc: 'zh-cn',
  'zh-hans': 'zh-cn',
  tw: 'zh-tw',
  ct: 'zh-tw',
  cht: 'zh-tw',
  zh: 'zh-tw',
  'zh-hant': 'zh-tw',
  hk: 'zh-hk',
  pt: 'pt-br',
  pp: 'pt-pt',
  jp: 'ja',
};
const msdnLanguage = (code: string): string => MSDN_LANGUAGES[code.toLowerCase()] ?? code.toLowerCase();

const titleCase = (s: string) => s.replace(/(^|\s)([a-z])/g, (_m, sp: string, c: string) => sp + c.toUpperCase());

/** Languages the download page spells out (Win10_22H2_English_x64.iso). */
const LANGUAGE_WORDS: Record<string, string> = {
  English: 'en-us',
  EnglishInternational: 'en-gb',
  English_International: 'en-gb',
  German: 'de-de',
  French: 'fr-fr',
  Spanish: 'es-es',
  Italian: 'it-it',
  Japanese: 'ja-jp',
  Korean: 'ko-kr',
  Dutch: 'nl-nl',
  Polish: 'pl-pl',
  Portuguese: 'pt-pt',
  Brazilian: 'pt-br',
  Russian: 'ru-ru',
  Swedish: 'sv-se',
  Chinese_Simplified: 'zh-cn',
  Chinese_Traditional: 'zh-tw',
  Arabic: 'ar-sa',
  Turkish: 'tr-tr',
  Czech: 'cs-cz',
  Danish: 'da-dk',
  Finnish: 'fi-fi',
  Greek: 'el-gr',
  Hebrew: 'he-il',
  Hungarian: 'hu-hu',
  Norwegian: 'nb-no',
  Ukrainian: 'uk-ua',
};

/** MSDN bodies: the product words, then what follows them. */
const MSDN_PRODUCTS: [RegExp, string][] = [
  [/^windows_server_(2003|2008|2012|2016|2019|2022|2025)(_r2)?/, ''],
  [/^windows_server_version_(\d{4}|\d{2}h\d)/, ''],
  [/^windows_xp/, 'Windows XP'],
  [/^windows_vista/, 'Windows Vista'],
  [/^windows_7/, 'Windows 7'],
  [/^windows_8(\.|_)1/, 'Windows 8.1'],
  [/^windows_8/, 'Windows 8'],
  [/^windows_10/, 'Windows 10'],
  [/^windows_11/, 'Windows 11'],
];

function msdn(name: string): ReleaseName | null {
  const m = name.match(
    /^([a-z]{2}(?:-[a-z]{2,4})?)_((?:windows|microsoft_hyper-v)_.+?)_(x86|x64|arm64|ia64)_(dvd|cd|bd)_((?:u_|vl_)?[0-9a-z]+(?:-\d+)?)\.iso$/i,
  );
  if (!m) return null;
  const [, lang, bodyRaw, arch] = m;
  // Web Server 2008 and Hyper-V Server are named before the server's year: read them as its editions.
  const special = bodyRaw!.toLowerCase().match(/^(?:windows_(web)_server|microsoft_(hyper-v)_server)_(.+)$/);
  const body = special ? `windows_server_${special[3]}` : bodyRaw!.toLowerCase();
  const specialEdition = special ? (special[1] ? 'Web' : 'Hyper-V Server') : null;
  let product: string | null = null;
  let rest = body;
  for (const [re, fixed] of MSDN_PRODUCTS) {
    const p = body.match(re);
    if (!p) continue;
    rest = body.slice(p[0].length).replace(/^_/, '');
    if (fixed) product = fixed;
    else if (p[0].startsWith('windows_server_version')) product = `Windows Server, version ${p[1]!.toUpperCase()}`;
    else product = `Windows Server ${p[1]}${p[2] ? ' R2' : ''}`;
    break;
  }
  if (!product) return null;
  // What is left: edition words, then with_sp1 / sp2 / with_update / version_22h2 / updated_<month>_<year>.
  const release: string[] = [];
  const sp = rest.match(/(?:^|_)(?:with_)?(?:sp(\d)|service_pack_(\d))(?:_|$)/);
  if (sp) release.push(`SP${sp[1] ?? sp[2]}`);
  if (/(?:^|_)with_update(?:_|$)/.test(rest)) release.push('with Update');
  if (/(?:^|_)refresh(?:_|$)/.test(rest)) release.push('refresh');
  const version = rest.match(/(?:^|_)version_(\d{4}|\d{2}h\d)(?:_|$)/);
  if (version) release.push(version[1]!.toUpperCase());
  const updated = rest.match(/(?:^|_)updated_([a-z]+)_(\d{4})(?:_|$)/);
  if (updated) release.push(`updated ${titleCase(updated[1]!)} ${updated[2]}`);
  const editionWords = rest
    .replace(/(?:^|_)(with_)?(sp\d|service_pack_\d)(?=_|$)/g, '')
    .replace(/(?:^|_)with_update(?=_|$)/g, '')
    .replace(/(?:^|_)refresh(?=_|$)/g, '')
    .replace(/(?:^|_)version_(\d{4}|\d{2}h\d)(?=_|$)/g, '')
    .replace(/(?:^|_)updated_[a-z]+_\d{4}(?=_|$)/g, '')
    .replace(/(?:^|_)(with|vl)(?=_|$)/g, '')
    .replace(/^_+|_+$/g, '')
    .replace(/_+/g, ' ')
    .replace(/\blts([bc])\b/, (_m, c: string) => `LTS${c.toUpperCase()}`)
    .replace(/\biot\b/, 'IoT')
    .trim();
  const vl = /(?:^|_)vl(?:_|$)/.test(body) || /_vl_/.test(name.toLowerCase());
  return {
    unique: true,
    product,
    edition: [specialEdition, editionWords ? titleCase(editionWords) : null].filter(Boolean).join(' ') || null,
    release: release.join(', ') || null,
    build: null,
    language: msdnLanguage(lang!),
    arch: ARCH[arch!.toLowerCase()] ?? null,
    channel: vl ? 'vlsc' : 'msdn',
  };
}

/** Edition words of MSDN's XP- and 2003-era names. */
const LEGACY_EDITIONS: Record<string, string> = {
  pro: 'Professional',
  professional: 'Professional',
  home: 'Home',
  tablet: 'Tablet PC Edition',
  tabletpc: 'Tablet PC Edition',
  mce: 'Media Center Edition',
  ent: 'Enterprise',
  enterprise: 'Enterprise',
  std: 'Standard',
  standard: 'Standard',
  web: 'Web',
  datacenter: 'Datacenter',
  n: 'N',
  k: 'K',
  kn: 'KN',
};

/**
 * MSDN's names for Windows XP and Server 2003 media, before the
 * <lang>_windows_<product>_<arch>_<cd|dvd>_<id> pattern: a language prefix, the
 * product (winxp, win_xp, windows_xp, ws_2003, win_srv_2003,
 * windows_server_2003), then edition, service pack, architecture, VL, disc
 * and part-number words in any order. A word outside that vocabulary (sdk,
 * update2, chk, symbols…) makes the name not one of these.
 */
function msdnLegacy(name: string): ReleaseName | null {
  const m = name.match(/^([a-z]{2,3}(?:-[a-z]{2,4})?)_(winxp|win_xp|windows_xp|ws_2003|win_srv_2003|windows_server_2003)((?:[_-][a-z0-9]+)*?)\.(iso|img)$/i);
  if (!m) return null;
  const [, lang, productWord, restRaw] = m;
  if (/^mui?$/i.test(lang!)) return null; // multilingual packs, not an installation image
  const xp = /xp/i.test(productWord!);
  let rest = restRaw!.toLowerCase();
  // A part number closes the name, with or without its separator (…_cd1X13-46600).
  const part = rest.match(/(?:[_-]|(?<=cd\d|disc\d))(x\d{2}-\d{5})$/);
  if (part) rest = rest.slice(0, part.index);
  const words = rest.split(/[_-]/).filter(Boolean);
  const edition: string[] = [];
  const release: string[] = [];
  let arch: CatalogueRelease['arch'] = null;
  let vl = false;
  let r2 = false;
  let disc: string | null = null;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (w === 'r2' && !xp) r2 = true;
    else if (w === 'with' || w === 'ed' || w === 'edition' || w === 'iso' || w === 'x86') {
      if (w === 'x86') arch = 'x86';
    } else if (/^sp\d[a-z]?$/.test(w)) release.push(w.toUpperCase());
    else if (w === 'service' && next === 'pack' && /^\d$/.test(words[i + 2] ?? '')) {
      release.push(`SP${words[i + 2]}`);
      i += 2;
    } else if (w === 'x64') arch = 'x64';
    else if (w === '64bit' || w === 'ia64') arch = 'ia64';
    else if (w === 'vl') vl = true;
    else if (/^(cd|disc)\d$/.test(w)) disc = `disc ${w.slice(-1)}`;
    else if (w === '2005' || w === '2004') release.push(w);
    else if (w === 'cd' || w === 'dvd') continue;
    else if (LEGACY_EDITIONS[w]) edition.push(LEGACY_EDITIONS[w]);
    else return null;
  }
  // "Home N", "Professional K": the letter follows the edition it qualifies.
  const editionText = edition.join(' ').replace(/^(N|K|KN) (.+)$/, '$2 $1');
  return {
    unique: true,
    product: xp ? 'Windows XP' : `Windows Server 2003${r2 ? ' R2' : ''}`,
    edition: editionText || null,
    release: [...release, ...(disc ? [disc] : [])].join(', ') || null,
    build: null,
    language: msdnLanguage(lang!),
    arch,
    channel: vl ? 'vlsc' : 'msdn',
  };
}

/** The product a build number belongs to (NT 6.x by build, 10.0 by formats/windows/product.ts). */
function productOfBuild(build: number, server: boolean): string | null {
  const nt6: [number, number, string, string][] = [
    [6000, 6003, 'Windows Vista', 'Windows Server 2008'],
    [7600, 7602, 'Windows 7', 'Windows Server 2008 R2'],
    [9200, 9201, 'Windows 8', 'Windows Server 2012'],
    [9600, 9601, 'Windows 8.1', 'Windows Server 2012 R2'],
  ];
  const row = nt6.find(([lo, hi]) => build >= lo && build < hi);
  if (row) return server ? row[3] : row[2];
  return build >= 10240 ? (windowsProduct(10, 0, build, server ? 'Server' : 'Client', null)?.name ?? null) : null;
}

/** Build-lab names: <build>.<revision>.<yymmdd>-<hhmm>.<branch>_… or <build>.<revision>.<BRANCH>.<yymmdd>-<hhmm>_… */
function buildLab(name: string): ReleaseName | null {
  const stripped = name.replace(/^X\d{2}-\d{5}_/i, '');
  const m = stripped.match(/^(\d{4,5})\.(\d+)\.(?:(\d{6})-(\d{4})|[A-Z_]+\.(\d{6})-(\d{4}))[._](.+)\.iso$/i);
  if (!m) return null;
  const build = Number(m[1]);
  const rest = m[7]!;
  const arch = rest.match(/(?:^|[_-])(x86|x64|a64|arm64)fre/i)?.[1]?.toLowerCase();
  const language = rest.match(/(?:^|[_-])([a-z]{2}-[a-z]{2,4})(?=[-_.]|$)/i)?.[1]?.toLowerCase() ?? null;
  const server = /server/i.test(rest);
  const product = productOfBuild(build, server);
  const tokens = rest.toUpperCase();
  const edition = /SERVERHYPERCORE/.test(tokens)
    ? 'Hyper-V Server'
    : /CLIENT_IOT_LTSC/.test(tokens)
      ? 'IoT Enterprise LTSC'
      : /CLIENT_LTSC|CLIENT_ENTERPRISES/.test(tokens)
        ? 'Enterprise LTSC'
        : /CLIENTENTERPRISE|_ENTERPRISE_|FRE_ENTERPRISE|ENTERPRISE_EN/.test(tokens)
          ? 'Enterprise'
          : /CLIENT_CONSUMER/.test(tokens)
            ? 'consumer editions'
            : /CLIENT_BUSINESS/.test(tokens)
              ? 'business editions'
              : /CLIENT_ULTIMATE/.test(tokens)
                ? 'Ultimate'
                : /CLIENT_HOMEPREMIUM/.test(tokens)
                  ? 'Home Premium'
                  : /CLIENT_PROFESSIONAL/.test(tokens)
                    ? 'Professional'
                    : server
                      ? 'Server'
                      : null;
  const evaluation = /EVAL/.test(tokens);
  return {
    unique: true,
    product,
    edition: evaluation && edition && !/Evaluation/.test(edition) ? `${edition} Evaluation` : edition,
    release: null,
    build: `${m[1]}.${m[2]}`,
    language,
    arch: arch ? (ARCH[arch] ?? null) : null,
    channel: evaluation ? 'evaluation' : /OEM/.test(tokens) && !/OEMRET/.test(tokens) ? 'oem' : 'download',
  };
}

/** The software-download page's names (generic: Microsoft replaced files behind them). */
function downloadPage(name: string): ReleaseName | null {
  const m = name.match(
    /^Win(7|8\.1|10|11)_(?:(Pro|Ult|HomePrem|HomeBasic|Ent)_)?(?:(SP1|\d{2}H\d|\d{4})_)?([A-Za-z]+(?:_[A-Za-z]+)*?)_(x64|x32|x86|Arm64)(?:v\d+)?\.iso$/i,
  );
  if (!m) return null;
  const [, ver, ed, rel, lang, arch] = m;
  const editions: Record<string, string> = { Pro: 'Professional', Ult: 'Ultimate', HomePrem: 'Home Premium', HomeBasic: 'Home Basic', Ent: 'Enterprise' };
  const language = LANGUAGE_WORDS[lang!];
  if (!language) return null;
  return {
    unique: false,
    product: `Windows ${ver}`,
    edition: ed ? (editions[ed] ?? null) : null,
    release: rel ? rel.toUpperCase() : null,
    build: null,
    language,
    arch: ARCH[arch!.toLowerCase()] ?? null,
    channel: 'retail',
  };
}

/** Volume Licensing Service Center: SW_DVD9_Win_Server_STD_CORE_2019_1809.18_64Bit_English_DC_STD_MLF_X22-74330.ISO */
function vlsc(name: string): ReleaseName | null {
  const m = name.match(
    /^SW_DVD\d_(Win(?:dows)?_(?:Server|Pro|Ent)[A-Za-z_]*?)_(\d{4}(?:_R2)?)?_?([\d.]+)?_?(64Bit|32Bit)_([A-Za-z_]+?)_.*_(X\d{2}-\d{5})\.ISO$/i,
  );
  if (!m) return null;
  const server = /server/i.test(m[1]!);
  return {
    unique: true,
    product: server && m[2] ? `Windows Server ${m[2].replace('_', ' ')}` : null,
    edition: /STD_CORE/i.test(name) ? 'Standard and Datacenter' : null,
    release: m[3] ?? null,
    build: null,
    language: LANGUAGE_WORDS[m[5]!] ?? null,
    arch: ARCH[m[4]!.toLowerCase()] ?? null,
    channel: 'vlsc',
  };
}

/** The evaluation center's own names: Windows_Server_2016_Datacenter_EVAL_en-us_14393_refresh.ISO */
function evalCenter(name: string): ReleaseName | null {
  const m = name.match(/^Windows_Server_(\d{4})(?:_R2)?_([A-Za-z]+)_EVAL_([a-z]{2}-[a-z]{2})_(\d{5})(?:_refresh)?\.iso$/i);
  if (!m) return null;
  return {
    unique: true,
    product: `Windows Server ${m[1]}`,
    edition: `${m[2]} Evaluation`,
    release: null,
    build: m[4]!,
    language: m[3]!.toLowerCase(),
    arch: 'x64',
    channel: 'evaluation',
  };
}

/** A retail part number: X17-59186.iso (what it holds comes from the source that names it). */
function partNumber(name: string): ReleaseName | null {
  return /^X\d{2}-\d{5}\.iso$/i.test(name)
    ? { unique: true, product: null, edition: null, release: null, build: null, language: null, arch: null, channel: 'retail' }
    : null;
}

/** Read an official name, or null for a name that is not Microsoft's. */
export function parseReleaseName(name: string): ReleaseName | null {
  return msdn(name) ?? msdnLegacy(name) ?? buildLab(name) ?? vlsc(name) ?? evalCenter(name) ?? partNumber(name) ?? downloadPage(name);
}
