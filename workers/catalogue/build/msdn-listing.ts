/**
 * MSDN's subscriber listing as msdn.itellyou.cn copied it, in the two
 * archives of it found so far:
 *  - hanxi/backup.msdn.itellyou.cn msdn.csv (crawled January 2019): one row
 *    per file, "大分类","小分类","语言","名字","更新时间","下载地址","SHA1","大小"
 *    (category, sub-category, language, MSDN's title, date, ed2k link,
 *    SHA-1 as MSDN listed it, rounded size);
 *  - 1bit-cc/msdnitellyou txt/*.txt (crawled May 2019): the site's JSON
 *    answer for one file each, {"result":{"FileName","DownLoad","SHA1",…}}.
 * A statement carries the file name, exact size and ed2k hash of the ed2k
 * link, and the SHA-1 where the listing has one ("未知", unknown, for a few).
 * Only installation images of Windows client and server (XP to Server 2019,
 * what the listing holds) are kept; what is left out is counted by reason.
 */
import { parseEd2kLink } from '../../hash/ed2k-link.ts';
import { parseReleaseName } from '../release-name.ts';
import type { ParseResult, RawStatement } from './parse.ts';

/** RFC 4180 CSV: quoted fields with "" for a quote, commas and newlines inside quotes. Each record with the line it starts on. */
export function readCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const t = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (quoted) {
      if (c === '"' && t[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && t[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.some((f) => f !== '')) rows.push({ line: start, fields });
      fields = [];
      field = '';
      line++;
      start = line;
    } else field += c;
  }
  fields.push(field);
  if (fields.some((f) => f !== '')) rows.push({ line: start, fields });
  return rows;
}

/** Why a listed file is not in the catalogue. */
export const LEFT_OUT = {
  category: "not in the listing's operating-system category (applications, servers, developer and designer tools, …)",
  otherOs:
    'an operating system other than Windows client and server XP to Server 2019 (MS-DOS, Windows 3.x to 2000, NT 4.0, Small Business, Home, Storage and Essential Business Server, Thin PC, IoT Core, …)',
  prerelease: 'pre-release (preview, beta, technical preview, insider preview)',
  notInstall: 'not an installation image (service pack, language pack, MUI, update, kit, SDK, symbols, tools, restore disc)',
  notDisc: 'not a disc image (.exe, .msi, .msu, .zip, …)',
  noLink: 'no ed2k link (so no exact size)',
  notWindows: 'not a Windows client or server installation image by its name',
} as const;

/** The listing's sub-categories of Windows client and server releases kept here. */
const WINDOWS_SUBCATEGORY = /^Windows (XP|Vista|7|8|8\.1|10|Server (2003|2008|2012|2016|2019)|Server, version)\b/i;
const PRERELEASE = /preview|\bbeta\b|\bRC\b|release candidate|\bCTP\b|insider/i;
/** Titles (and file names) of what is not an installation image. */
const NOT_INSTALL_TITLE =
  /language pack|multilingual user interface|\bMUI\b|automated installation kit|\bAIK\b|driver kit|software development kit|\bSDK\b|symbols|update rollup|^update for|checked\/debug|diagnostic|toolkit|restore disc|HPC Pack|IoT Core|Media Center Edition 2004 Update/i;
const NOT_INSTALL_NAME =
  /language_pack|_lp_|^mui?_|_mui_|automated_installation_kit|driver_kit|software_development_kit|_sdk|symbols|update\d|_update_|_chk\.|iot_core|restore_disc|hpc|server_install_disc/i;
/** A title naming a service pack that is not "with" it: the service pack's own disc. */
const SERVICE_PACK_ONLY = (title: string) => /\bService Pack \d*[a-z]?\b/i.test(title) && !/\bwith (Service Pack|SP)/i.test(title);
/** A service pack's own CD (Windows XP SP3, Server 2003 SP2; XP SP1a as sc_winxp_sp1.iso), not the system "with" it. */
const SERVICE_PACK_ONLY_NAME = /(?<!with_)(?:service_pack_\d|sp\d)_(?:x86|x64|ia64)(?:_x64|_ia64)*_cd(?:_|\.)|_winxp_sp1\./i;
const PRODUCTS = /^Windows (XP|Vista|7|8|8\.1|10|Server (2003|2003 R2|2008|2008 R2|2012|2012 R2|2016|2019)|Server, version .*)$/;

/**
 * Why a file of this name is not a Windows installation image kept here, or
 * null to keep it. `known`: a name the name reader cannot read is left out
 * here too (the JSON archive holds every kind of file, with no category).
 */
function nameProblem(name: string, known = false): string | null {
  if (!/\.(iso|img)$/i.test(name)) return LEFT_OUT.notDisc;
  if (PRERELEASE.test(name.replace(/_/g, ' '))) return LEFT_OUT.prerelease;
  if (NOT_INSTALL_NAME.test(name) || SERVICE_PACK_ONLY_NAME.test(name)) return LEFT_OUT.notInstall;
  const parsed = parseReleaseName(name);
  if (parsed?.product && !PRODUCTS.test(parsed.product)) return LEFT_OUT.notWindows;
  if (parsed && !parsed.product) return LEFT_OUT.notWindows;
  if (!parsed && known) return LEFT_OUT.notWindows;
  return null; // names the parser does not know go on, to be listed as "not an official name" by the merge
}

function count(leftOut: Record<string, number>, reason: string) {
  leftOut[reason] = (leftOut[reason] ?? 0) + 1;
}

function statementOf(link: string, sha1: string, where: string): RawStatement | null {
  const ed2k = parseEd2kLink(link);
  if (!ed2k) return null;
  const s: RawStatement = { name: ed2k.name, size: ed2k.size, ed2k: ed2k.hash, where };
  return /^[0-9a-f]{40}$/i.test(sha1.trim()) ? { ...s, sha1: sha1.trim().toLowerCase() } : s;
}

/** hanxi/backup.msdn.itellyou.cn msdn.csv. */
export function parseItellyouCsv(text: string, file: string): ParseResult {
  const leftOut: Record<string, number> = {};
  const statements: RawStatement[] = [];
  const rows = readCsv(text);
  for (const { line, fields } of rows.slice(1)) {
    const [category = '', subcategory = '', , title = '', , link = '', sha1 = ''] = fields;
    if (category !== '操作系统') count(leftOut, LEFT_OUT.category);
    else if (PRERELEASE.test(subcategory) || PRERELEASE.test(title)) count(leftOut, LEFT_OUT.prerelease);
    else if (!WINDOWS_SUBCATEGORY.test(subcategory) || /IoT Core/i.test(title)) count(leftOut, LEFT_OUT.otherOs);
    else if (NOT_INSTALL_TITLE.test(title) || SERVICE_PACK_ONLY(title)) count(leftOut, LEFT_OUT.notInstall);
    else {
      const s = statementOf(link, sha1, `${file}:${line}`);
      const problem = s ? nameProblem(s.name!) : LEFT_OUT.noLink;
      if (problem) count(leftOut, problem);
      else statements.push(s!);
    }
  }
  return { statements, leftOut };
}

/** 1bit-cc/msdnitellyou txt/<name>.txt: the site's JSON answer for one file. */
export function parseItellyouJson(text: string, file: string): ParseResult {
  const leftOut: Record<string, number> = {};
  let result: { DownLoad?: string; SHA1?: string } | undefined;
  try {
    result = (JSON.parse(text) as { result?: { DownLoad?: string; SHA1?: string } }).result;
  } catch {
    result = undefined;
  }
  const s = result?.DownLoad ? statementOf(result.DownLoad, result.SHA1 ?? '', file) : null;
  const problem = s ? nameProblem(s.name!, true) : LEFT_OUT.noLink;
  if (problem) {
    count(leftOut, problem);
    return { statements: [], leftOut };
  }
  return { statements: [s!], leftOut };
}
