/**
 * Windows install media: which Windows is on this disc. Finds the install
 * image (sources/install.wim, .esd, or a split install.swm set) and
 * sources/boot.wim in the best tree, reads their headers and XML through the
 * file's extents, and reads what Setup keeps beside them (ei.cfg, pid.txt,
 * idwbinfo.txt, lang.ini, setup.exe's version).
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { fileData, imageOffset } from '../file-data.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import { BudgetExceeded } from '../../io/budget.ts';
import { findEntry, type FileStat, type TreeEntry, type TreeReader } from '../tree.ts';
import { readWim, type WimArch, type WimImage, type WimInfo } from '../wim/wim.ts';
import { readPeVersion } from '../pe/pe.ts';
import { decodeWindowsLabel, type LabelInfo } from './label.ts';
import { lifecycleFor, type Lifecycle } from './lifecycle.ts';
import { windowsProduct, type WindowsProduct } from './product.ts';

/** Small text files beside the WIM are read up to this size. */
const MAX_TEXT_FILE = 64 * 1024;
const MAX_SWM_PARTS = 64;

/** One image as the report shows it: the XML's fields, without the raw numbers `version` already carries. */
export type WindowsImage = Omit<WimImage, 'major' | 'minor' | 'archNumber'>;

export interface WindowsReport {
  imageFile: string;
  /** The tree imageFile's path is in (its editions are the trees `<imageTree>|<imageFile>#<n>`). */
  imageTree?: string;
  /** Set when the install image itself could not be read (the rest of this report is what lies beside it). */
  unreadable?: string;
  /** The install image's size in bytes (the first part's, for a split .swm set): whether it fits a FAT32 stick. */
  imageBytes: number;
  format: 'wim' | 'esd' | 'swm';
  version: number;
  compression: string;
  chunkSize: number;
  guid: string;
  flags: string[];
  part: { number: number; total: number };
  /** For a split WIM: the parts found on the disc, and any missing. */
  parts?: { found: string[]; missing: number[] };
  imageCount: number;
  bootIndex: number;
  integrity: boolean;
  resources: Pick<WimInfo['header'], 'blobTable' | 'xmlData' | 'bootMetadata' | 'integrityTable'>;
  images: WindowsImage[];
  bootWim: null | { imageCount: number; images: { index: number; name: string | null; arch: WimArch; version: string | null }[] };
  eiCfg: null | { editionId: string | null; channel: string | null; volumeLicense: boolean | null; raw: Record<string, string> };
  pidTxt: boolean;
  idwbinfo: Record<string, string> | null;
  langIni: null | { languages: string[]; fallback: Record<string, string> };
  setupVersion: string | null;
  /** Which build Setup itself carries, when the WIM's XML disagrees (stale XML is known). */
  buildNote: string | null;
  labelInfo: LabelInfo | null;
  /** The product the first image (or ei.cfg's edition) is: name, client/server, feature update, LTSC. */
  product: WindowsProduct | null;
  lifecycle: Lifecycle | null;
  summary: string;
}

export interface Found {
  entry: TreeEntry<unknown>;
  stat: FileStat;
}

async function statOf(tree: TreeReader<unknown>, entry: TreeEntry<unknown>, log: ProblemLog): Promise<FileStat> {
  return entry.stat ?? (await tree.stat(entry, log));
}

function sourceFor(parent: ByteSource, f: Found): ByteSource {
  return fileData(parent, f.stat, f.entry.name);
}

/** Offsets inside a file on the disc, as offsets in the image (for every problem found inside it). */
const imageOffsetOf =
  (f: Found) =>
  (offset: number): number | null =>
    imageOffset(f.stat, offset);

async function readText(parent: ByteSource, f: Found): Promise<string> {
  const bytes = await sourceFor(parent, f).read(0, Math.min(f.stat.size, MAX_TEXT_FILE));
  // Setup's text files are ANSI or UTF-16LE with a BOM.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder().decode(bytes.subarray(3));
  return new TextDecoder('windows-1252').decode(bytes);
}

/** INI: [section] and key = value lines; a section's bare lines become keys with empty values. */
function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const raw of text.split(/\r?\n/).slice(0, 10_000)) {
    const line = raw.replace(/;.*$/, '').trim();
    if (!line) continue;
    const sec = line.match(/^\[(.*)\]$/);
    if (sec) {
      section = sec[1]!.trim();
      out[section] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    const bucket = (out[section] ??= {});
    if (eq < 0) bucket[line] = '';
    else bucket[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** ei.cfg: [EditionID], [Channel], [VL] sections each holding one bare value. */
function parseEiCfg(text: string): WindowsReport['eiCfg'] {
  const ini = parseIni(text);
  const first = (name: string): string | null => {
    const key = Object.keys(ini).find((k) => k.toLowerCase() === name.toLowerCase());
    const values = key ? Object.keys(ini[key]!) : [];
    return values[0] ?? null;
  };
  const vl = first('VL');
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(ini)) raw[k] = Object.keys(v).join(', ');
  return { editionId: first('EditionID'), channel: first('Channel'), volumeLicense: vl === null ? null : vl === '1', raw };
}

async function find(tree: TreeReader<unknown>, path: string, log: ProblemLog): Promise<Found | null> {
  const entry = await findEntry(tree, path, log);
  if (!entry || entry.dir) return null;
  return { entry, stat: await statOf(tree, entry, log) };
}

/** The install image on a disc (install.wim > install.esd > install.swm) as a ByteSource of its own. */
export async function locateInstallImage(src: ByteSource, tree: TreeReader<unknown>, log: ProblemLog): Promise<{ path: string; source: ByteSource } | null> {
  const sources = await findEntry(tree, 'sources', log);
  if (!sources?.dir) return null;
  const children = (await tree.list(sources, log)).filter((c) => !c.dir);
  for (const name of ['install.wim', 'install.esd', 'install.swm']) {
    const entry = children.find((c) => c.name.toLowerCase() === name);
    if (entry) return { path: entry.path, source: sourceFor(src, { entry, stat: await statOf(tree, entry, log) }) };
  }
  return null;
}

/** Identify Windows on a disc whose best tree is `tree`; null when there is no install image. */
export async function identifyWindows(
  src: ByteSource,
  tree: TreeReader<unknown>,
  volumeLabel: string | null,
  log: ProblemLog,
  today: string,
): Promise<WindowsReport | null> {
  const sources = await findEntry(tree, 'sources', log);
  if (!sources?.dir) return null;
  const children = await tree.list(sources, log);
  const byName = new Map(children.filter((c) => !c.dir).map((c) => [c.name.toLowerCase(), c]));
  const pick = async (name: string): Promise<Found | null> => {
    const entry = byName.get(name);
    return entry ? { entry, stat: await statOf(tree, entry, log) } : null;
  };
  const installName = ['install.wim', 'install.esd', 'install.swm'].find((n) => byName.has(n));
  if (!installName) return null;
  // What Setup keeps beside the WIM is read at the same time as the WIM (each read of a File in a browser is a
  // round trip), each on its own, so one damaged file (a bad tag on ei.cfg's file entry) costs only itself.
  const side = async <T>(name: string, read: (f: Found) => Promise<T>): Promise<T | null> => {
    try {
      const f = await pick(name);
      return f ? await read(f) : null;
    } catch (e) {
      log.fail(e, `sources/${name}`, null);
      return null;
    }
  };
  const bootWim = side('boot.wim', async (boot) => {
    const b = await readWim(sourceFor(src, boot), log.within(imageOffsetOf(boot)));
    return { imageCount: b.header.imageCount, images: b.images.map((i) => ({ index: i.index, name: i.name, arch: i.arch, version: i.version })) };
  });
  const eiCfg = side('ei.cfg', async (ei) => parseEiCfg(await readText(src, ei)));
  const idwbinfo = side('idwbinfo.txt', async (idw) => {
    const ini = parseIni(await readText(src, idw));
    return ini['BUILDINFO'] ?? Object.values(ini)[0] ?? {};
  });
  const langIni = side('lang.ini', async (lang) => {
    const ini = parseIni(await readText(src, lang));
    const avail = Object.entries(ini).find(([k]) => /available ui languages/i.test(k))?.[1] ?? {};
    const fallback = Object.entries(ini).find(([k]) => /fallback languages/i.test(k))?.[1] ?? {};
    return { languages: Object.keys(avail), fallback };
  });
  const setupVersion = (async () => {
    try {
      const setup = (await pick('setup.exe')) ?? (await find(tree, 'setup.exe', log));
      if (!setup) return null;
      try {
        return (await readPeVersion(sourceFor(src, setup)))?.fileVersion ?? null;
      } catch (e) {
        log.within(imageOffsetOf(setup)).fail(e, `${setup.entry.path} version resource`, null);
        return null;
      }
    } catch (e) {
      log.fail(e, 'setup.exe', null);
      return null;
    }
  })();

  const fillBeside = async (report: WindowsReport): Promise<void> => {
    report.pidTxt = byName.has('pid.txt');
    report.bootWim = await bootWim;
    report.eiCfg = await eiCfg;
    report.idwbinfo = await idwbinfo;
    report.langIni = await langIni;
    report.setupVersion = await setupVersion;
  };

  const install = (await pick(installName))!;
  const format = installName.slice(-3) as 'wim' | 'esd' | 'swm';
  const inImage = imageOffsetOf(install);
  let wim: WimInfo;
  try {
    wim = await readWim(sourceFor(src, install), log.within(inImage));
  } catch (e) {
    const mapped = e instanceof FormatError && e.offset !== null ? new FormatError(e.code, e.message, e.structure, inImage(e.offset)) : e;
    if (!(mapped instanceof FormatError) || mapped instanceof BudgetExceeded) throw mapped;
    // The install image cannot be read (a download cut before it, most often): what Setup keeps beside it
    // and the volume label still say which Windows this is, so the card stays, saying what is missing.
    log.fail(mapped, 'install image', null);
    const report = partialReport(
      install.entry.path,
      install.stat.size,
      format,
      volumeLabel,
      `${install.entry.path.replace(/^.*\//, '')} cannot be read: ${mapped.message}`,
    );
    await fillBeside(report);
    finishPartial(report, today);
    return report;
  }
  const h = wim.header;

  const report = baseReport(wim, install.entry.path, install.stat.size, format, volumeLabel);

  if (format === 'swm') {
    const found = [install.entry.path];
    const missing: number[] = [];
    for (let n = 2; n <= Math.min(h.totalParts, MAX_SWM_PARTS); n++) {
      const part = byName.get(`install${n}.swm`);
      if (part) found.push(part.path);
      else missing.push(n);
    }
    report.parts = { found, missing };
    if (missing.length)
      log.error(
        'SWM_PART_MISSING',
        `split WIM part${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${h.totalParts} not found beside ${install.entry.path}`,
        'split WIM',
        null,
      );
  }
  await fillBeside(report);

  finishReport(report, wim, today);
  if (!wim.images.length && h.imageCount > 0) {
    // The header was read, its XML was not (cut off, damaged): the same card as an unreadable image, with the header's facts.
    report.unreadable = `${install.entry.path.replace(/^.*\//, '')}'s XML cannot be read`;
    finishPartial(report, today);
  }
  return report;
}

function baseReport(wim: WimInfo, path: string, bytes: number, format: WindowsReport['format'], volumeLabel: string | null): WindowsReport {
  const h = wim.header;
  return {
    imageFile: path,
    imageBytes: bytes,
    format,
    version: h.version,
    compression: h.compression,
    chunkSize: h.chunkSize,
    guid: h.guid,
    flags: h.flagNames,
    part: { number: h.partNumber, total: h.totalParts },
    imageCount: h.imageCount,
    bootIndex: h.bootIndex,
    integrity: h.integrityTable.sizeInWim > 0,
    resources: { blobTable: h.blobTable, xmlData: h.xmlData, bootMetadata: h.bootMetadata, integrityTable: h.integrityTable },
    images: wim.images.map(({ major: _ma, minor: _mi, archNumber: _an, ...img }) => img),
    ...besideTheWim(volumeLabel),
  };
}

/** What is read beside the install image (and derived from it), before it is read. */
function besideTheWim(
  volumeLabel: string | null,
): Pick<
  WindowsReport,
  'bootWim' | 'eiCfg' | 'pidTxt' | 'idwbinfo' | 'langIni' | 'setupVersion' | 'buildNote' | 'labelInfo' | 'product' | 'lifecycle' | 'summary'
> {
  return {
    bootWim: null,
    eiCfg: null,
    pidTxt: false,
    idwbinfo: null,
    langIni: null,
    setupVersion: null,
    buildNote: null,
    labelInfo: volumeLabel ? decodeWindowsLabel(volumeLabel) : null,
    product: null,
    lifecycle: null,
    summary: '',
  };
}

const NO_RESOURCE = { sizeInWim: 0, flags: 0, flagNames: [], offsetInWim: 0, uncompressedSize: 0 };

/** The card of media whose install image could not be read: its path and size, nothing of its header or XML. */
function partialReport(path: string, bytes: number, format: WindowsReport['format'], volumeLabel: string | null, unreadable: string): WindowsReport {
  return {
    imageFile: path,
    imageBytes: bytes,
    format,
    unreadable,
    version: 0,
    compression: 'unknown',
    chunkSize: 0,
    guid: '',
    flags: [],
    part: { number: 1, total: 1 },
    imageCount: 0,
    bootIndex: 0,
    integrity: false,
    resources: { blobTable: NO_RESOURCE, xmlData: NO_RESOURCE, bootMetadata: NO_RESOURCE, integrityTable: NO_RESOURCE },
    images: [],
    ...besideTheWim(volumeLabel),
  };
}

/**
 * Without the install image's XML, the product is named only where nothing is guessed: setup.exe's version with
 * ei.cfg's EditionID (which tells client from server); else the volume label's decoding, given as the label's.
 */
function finishPartial(r: WindowsReport, today: string): void {
  const v = r.setupVersion?.split('.').map(Number);
  if (v && v.length >= 3 && r.eiCfg?.editionId) r.product = windowsProduct(v[0]!, v[1]!, v[2]!, null, r.eiCfg.editionId);
  r.lifecycle = lifecycleFor(r.product, today);
  const l = r.labelInfo;
  const fromLabel = l?.product
    ? `${[l.product, l.edition, l.servicePack ? `SP${l.servicePack}` : null, l.arch].filter(Boolean).join(' ')}${l.language ? `, ${l.language}` : ''} (as its volume label reads)`
    : null;
  const what = r.product ? `${r.product.name}${r.eiCfg?.editionId ? ` ${editionIdLabel(r.eiCfg.editionId)}` : ''}` : (fromLabel ?? 'Windows install media');
  const setup = r.setupVersion ? `, setup.exe ${r.setupVersion}` : '';
  r.summary = `${what}${setup}; its editions are unknown: ${r.unreadable?.replace(/:.*$/s, '') ?? `${r.imageFile.replace(/^.*\//, '')} cannot be read`}`;
}

/** A bare .wim / .esd / .swm file (no disc around it). */
export async function identifyWimFile(src: ByteSource, log: ProblemLog, today: string): Promise<WindowsReport> {
  const wim = await readWim(src, log);
  const ext = src.name.toLowerCase().match(/\.(wim|esd|swm)$/)?.[1] as WindowsReport['format'] | undefined;
  const format = ext ?? (wim.header.totalParts > 1 ? 'swm' : wim.header.compression === 'LZMS' ? 'esd' : 'wim');
  const report = baseReport(wim, src.name, src.size, format, null);
  finishReport(report, wim, today);
  return report;
}

function finishReport(report: WindowsReport, wim: WimInfo, today: string): void {
  const first = wim.images[0];
  const xmlBuild = first?.build ?? null;
  const setupBuild = report.setupVersion ? Number(report.setupVersion.split('.')[2]) : null;
  if (xmlBuild !== null && setupBuild !== null && xmlBuild !== setupBuild) {
    report.buildNote = `The WIM's XML says build ${xmlBuild}; Setup itself (setup.exe ${report.setupVersion}) carries build ${setupBuild}. The XML of some Windows 10/11 releases keeps the previous release's build.`;
  }
  // ei.cfg's EditionID decides which edition Setup installs without asking; else the first image speaks for the media.
  const chosen = chosenImage(report, wim);
  const build = setupBuild ?? chosen?.build ?? null;
  report.product = chosen ? windowsProduct(chosen.major, chosen.minor, build, chosen.installationType, chosen.editionId) : null;
  report.lifecycle = lifecycleFor(report.product, today);
  report.summary = summarize(report, first, setupBuild);
}

function chosenImage(r: WindowsReport, wim: WimInfo): WimInfo['images'][number] | undefined {
  const wanted = r.eiCfg?.editionId?.toLowerCase();
  return (wanted ? wim.images.find((i) => i.editionId?.toLowerCase() === wanted) : undefined) ?? wim.images[0];
}

/** An edition's short name: the display name without its product prefix ("Windows 11 Pro" → "Pro"). */
function editionLabel(img: WindowsImage): string {
  const full = img.displayName ?? img.name ?? img.editionId ?? '';
  const short = full.replace(/^(Microsoft )?Windows (\d+(\.\d)?|Vista|Server \d+( R2)?)\s+/i, '');
  // Microsoft's NAME fields are upper case ("Windows 7 PROFESSIONAL"): the EditionID reads better.
  return short === short.toUpperCase() && img.editionId ? editionIdLabel(img.editionId) : short;
}

/** Server EditionIDs read as Microsoft names them in Setup: "ServerDatacenterCore" → "Datacenter (Server Core)". */
function editionIdLabel(id: string): string {
  const server = id.match(/^Server(.+?)(Core)?$/);
  return server ? `${server[1]}${server[2] ? ' (Server Core)' : ''}` : id;
}

/** e.g. "Windows 7 Professional SP1 x64, build 7601, de-DE, OEM". */
function summarize(r: WindowsReport, first: WimInfo['images'][number] | undefined, setupBuild: number | null): string {
  if (!first) return `${r.format.toUpperCase()} with ${r.imageCount} image${r.imageCount === 1 ? '' : 's'} (XML unreadable)`;
  const build = setupBuild ?? first.build;
  const product = r.product?.name ?? first.productName ?? 'Windows';
  // ei.cfg's EditionID decides which edition Setup installs without asking.
  const chosen = r.eiCfg?.editionId ? r.images.find((i) => i.editionId?.toLowerCase() === r.eiCfg!.editionId!.toLowerCase()) : undefined;
  const editions = chosen ?? (r.images.length === 1 ? r.images[0] : undefined);
  // An LTSC product's name already names its edition ("Windows 10 Enterprise LTSC 2021").
  const what =
    editions && r.product?.longTerm && r.product.family === 'client'
      ? product
      : editions
        ? `${product} ${editionLabel(editions)}`
        : `${product} (${r.images.length} editions: ${r.images.map(editionLabel).join(', ')})`;
  const sp = first.spLevel ? ` SP${first.spLevel}` : '';
  const parts = [`${what}${sp}${first.arch ? ' ' + first.arch : ''}`];
  if (build !== null) parts.push(`build ${build}${r.product?.version ? ` (${r.product.version})` : ''}`);
  const lang = first.defaultLanguage ?? first.languages[0];
  if (lang) parts.push(lang);
  const channel = r.eiCfg?.channel ?? (r.labelInfo?.channel ? r.labelInfo.channel[0]!.toUpperCase() + r.labelInfo.channel.slice(1) : null);
  if (channel) parts.push(channel);
  return parts.join(', ');
}
