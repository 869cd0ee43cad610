/**
 * The public sources the catalogue is built from, each pinned at a commit,
 * with the parser for its format. To rebuild: `npm run catalogue` (see
 * build/main.ts for where the files are read from, and docs/catalogue.md).
 */
import type { CatalogueSource } from '../types.ts';
import {
  parseAvocado,
  parseDockurDefine,
  parseMalboxesDoc,
  parseMarkdownShaTable,
  parseMido,
  parsePacker,
  parseRapid7,
  parseS2e,
  parseSha256SumsWithScript,
  type ParseResult,
  type RawStatement,
} from './parse.ts';
import { parseItellyouCsv, parseItellyouJson } from './msdn-listing.ts';

export interface SourceFile {
  path: string;
  /**
   * Read every commit of the file's history (needs a local clone), not only
   * the pinned one; with `suffix`, every file ever under `path`, also those
   * the pinned commit no longer has.
   */
  history?: boolean;
  /** Read every file under `path` whose name ends so (a directory source). */
  suffix?: string;
  /** Files read at the same commit and handed to `parse` (a list's download script); with `history`, their commits are read too. */
  companions?: string[];
  parse(text: string, where: { path: string; commit: string; companions: string[] }): RawStatement[] | ParseResult;
}

export interface SourceDefinition extends Omit<CatalogueSource, 'path' | 'url'> {
  files: SourceFile[];
  /** What "label" statements of this source mean, when it names no official file. */
  labelMeans?: 'mido-media' | 'windows-table';
  /** Statements from these functions/keys speak for Microsoft-hosted files (a lineage of their own). */
  lineageOf?: (s: RawStatement) => string;
}

/** Statements read at one commit of a file's history say so in their place. */
const at = (statements: RawStatement[], commit: string) => statements.map((s) => ({ ...s, where: `${s.where} @ ${commit.slice(0, 12)}` }));

const gh = (repo: string, commit: string, path: string) => `https://github.com/${repo}/blob/${commit}/${path}`;
export const sourceUrl = (d: SourceDefinition, path: string) => gh(d.repo, d.commit, path);

export const SOURCES: SourceDefinition[] = [
  {
    id: 'dockur',
    repo: 'dockur/windows',
    commit: 'efe47da76d49c9d77c0a26799c70315fa4d91055',
    publisher: 'community',
    lineage: 'dockur',
    what: 'dockur/windows: sizes and SHA-256 of the ISOs it downloads (Microsoft-hosted in getMido, mirrors in getLink1…6), every version of src/define.sh',
    files: [{ path: 'src/define.sh', history: true, parse: (t, w) => parseDockurDefine(t, w.commit) }],
    labelMeans: 'mido-media',
    // getMido's list follows Mido's (its name says so): not independent of Mido.
    lineageOf: (s) => (s.where.startsWith('getMido') ? 'mido' : 'dockur'),
  },
  {
    id: 'mido',
    repo: 'ElliotKillick/Mido',
    commit: '25d9fbdf20842d8f611e54e92f186901dbb3a04a',
    publisher: 'community',
    lineage: 'mido',
    what: "Mido: SHA-256 of the English (United States) ISOs it downloads from Microsoft's servers",
    files: [{ path: 'Mido.sh', parse: (t) => parseMido(t) }],
    labelMeans: 'mido-media',
  },
  {
    id: 'rapid7',
    repo: 'rapid7/metasploit-baseline-builder',
    commit: '09608ace7d768be201332652ddaa50692273f362',
    publisher: 'community',
    lineage: 'rapid7',
    what: 'metasploit-baseline-builder: MD5 of the MSDN ISOs its builds accept',
    files: [
      { path: 'iso_list.json', parse: (t) => parseRapid7(t, 'iso_list.json') },
      { path: 'iso_pending.json', parse: (t) => parseRapid7(t, 'iso_pending.json') },
    ],
  },
  {
    id: 'avocado-vt',
    repo: 'avocado-framework/avocado-vt',
    commit: '53f09e8ea1d36ede520c1c22dd4159d572f56755',
    publisher: 'community',
    lineage: 'avocado-vt',
    what: 'avocado-vt: MD5 and SHA-1 of the install ISOs in its guest-OS test configurations, every version of them (older ones list more ISOs)',
    files: [
      { path: 'virttest/shared/cfg/guest-os/Windows', suffix: '.cfg', history: true, parse: (t, w) => at(parseAvocado(t, w.path), w.commit) },
      { path: 'shared/cfg/guest-os/Windows', suffix: '.cfg', history: true, parse: (t, w) => at(parseAvocado(t, w.path), w.commit) },
    ],
  },
  {
    id: 'malboxes',
    repo: 'GoSecure/malboxes',
    commit: 'f9f310ec8f851ef16b666a33eb94cd75c80f51d2',
    publisher: 'community',
    lineage: 'malboxes',
    what: 'malboxes: SHA-1 of the Windows ISOs its templates accept (docs/windows-licenses.adoc, templates)',
    files: [
      { path: 'docs/windows-licenses.adoc', parse: (t, w) => parseMalboxesDoc(t, w.path) },
      { path: 'malboxes/templates', suffix: '.json', parse: (t, w) => parsePacker(t, w.path) },
    ],
  },
  {
    id: 's2e',
    repo: 'S2E/guest-images',
    commit: '55decfc4a199faab07691d403e68722d29aebaa9',
    publisher: 'community',
    lineage: 's2e',
    what: 'S2E guest-images: SHA-1 of the Windows ISOs it builds from, every version of images.json',
    files: [{ path: 'images.json', history: true, parse: (t, w) => parseS2e(t, `images.json @ ${w.commit.slice(0, 12)}`) }],
  },
  {
    id: 'slipstream',
    repo: 'runeandre/slipstream_windows_updates',
    commit: 'bf454b4a334fcb2e7be0b1a0bc972caa60f03daa',
    publisher: 'community',
    lineage: 'slipstream',
    what: 'slipstream_windows_updates: SHA-1 of the Windows 7 SP1 retail ISOs (part numbers) it was tested with',
    files: [{ path: 'README.md', parse: (t, w) => parseMarkdownShaTable(t, w.path) }],
    labelMeans: 'windows-table',
  },
  {
    id: 'packer-windows',
    repo: 'StefanScherer/packer-windows',
    commit: '46f93050923f553566bc69405639f6fbcdde4051',
    publisher: 'community',
    lineage: 'packer-windows',
    what: 'StefanScherer/packer-windows: checksums of the ISOs its templates and build scripts use',
    files: [
      { path: '', suffix: '.json', parse: (t, w) => parsePacker(t, w.path) },
      { path: '', suffix: '.sh', parse: (t, w) => parsePacker(t, w.path) },
      { path: '', suffix: '.ps1', parse: (t, w) => parsePacker(t, w.path) },
      { path: '', suffix: '.pkr.hcl', parse: (t, w) => parsePacker(t, w.path) },
    ],
  },
  {
    id: 'msdn-itellyou',
    repo: 'hanxi/backup.msdn.itellyou.cn',
    commit: 'f28465bbcbd04cd112b8fcd466ab3dfe6b6b1b93',
    publisher: 'community',
    lineage: 'itellyou',
    what: "MSDN's subscriber listing as msdn.itellyou.cn copied it (crawled January 2019): file name, exact size and ed2k hash (its ed2k link), SHA-1 as MSDN listed it",
    files: [{ path: 'msdn.csv', parse: (t, w) => parseItellyouCsv(t, w.path) }],
  },
  {
    id: 'msdn-itellyou-2019',
    repo: '1bit-cc/msdnitellyou',
    commit: '0b8a8168dfacdc7688cf4f1da3475b7c5e001474',
    publisher: 'community',
    lineage: 'itellyou',
    what: "msdn.itellyou.cn's copy of MSDN's listing crawled again (May 2019), one file per product: name, size, ed2k hash, SHA-1",
    files: [{ path: 'txt', suffix: '.txt', parse: (t, w) => parseItellyouJson(t, w.path) }],
  },
  {
    id: 'qvm-windows',
    repo: 'ElliotKillick/qvm-create-windows-qube',
    commit: 'c8a9cb09e93a3f01df67f1aae485952f00b55b59',
    publisher: 'community',
    lineage: 'mido',
    what: 'qvm-create-windows-qube (where Mido began): SHA-256 of the Windows ISOs its download script fetched, every version of its SHA256SUMS beside that script',
    files: ['media-creation/isos/SHA256SUMS', 'windows-media/isos/SHA256SUMS', 'windows/isos/SHA256SUMS'].map((path) => ({
      path,
      history: true,
      companions: ['download-windows.sh', 'windows-media/isos/download-windows.sh', 'windows/isos/download-windows.sh'],
      parse: (t: string, w: { path: string; commit: string; companions: string[] }) =>
        parseSha256SumsWithScript(t, `${w.path} @ ${w.commit.slice(0, 12)}`, w.companions),
    })),
    labelMeans: 'mido-media',
  },
  {
    id: 'joefitzgerald-packer',
    repo: 'joefitzgerald/packer-windows',
    commit: 'c87ab553b2d27c99ed543da9fd8e231b21c27446',
    publisher: 'community',
    // StefanScherer/packer-windows began as a fork of it: one lineage.
    lineage: 'packer-windows',
    what: 'joefitzgerald/packer-windows: checksums of the ISOs its templates and README use, every version of them',
    files: [
      { path: '', suffix: '.json', history: true, parse: (t, w) => at(parsePacker(t, w.path), w.commit) },
      { path: 'README.md', history: true, parse: (t, w) => at(parsePacker(t, w.path), w.commit) },
    ],
  },
];
