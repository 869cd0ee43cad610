/**
 * Parsers for what independent tools print about an image. Tests compare the
 * readers' report with these, never with our own earlier output.
 */

/** `isoinfo -d` */
export interface IsoinfoFacts {
  systemId: string;
  volumeId: string;
  volumeSetId: string;
  publisherId: string;
  preparerId: string;
  applicationId: string;
  volumeSetSize: number;
  volumeSequenceNumber: number;
  blockSize: number;
  volumeSize: number;
  catalogSector: number | null;
  jolietLevel: number | null;
  rockRidge: boolean;
}

export function parseIsoinfo(text: string): IsoinfoFacts {
  const get = (label: string) => {
    const m = text.match(new RegExp(`^${label}: ?(.*)$`, 'm'));
    return m ? m[1]!.trimEnd() : '';
  };
  const num = (label: string) => Number(text.match(new RegExp(`^${label} (\\d+)`, 'm'))?.[1] ?? NaN);
  return {
    systemId: get('System id'),
    volumeId: get('Volume id'),
    volumeSetId: get('Volume set id'),
    publisherId: get('Publisher id'),
    preparerId: get('Data preparer id'),
    applicationId: get('Application id'),
    volumeSetSize: num('Volume set size is:'),
    volumeSequenceNumber: num('Volume set sequence number is:'),
    blockSize: num('Logical block size is:'),
    volumeSize: num('Volume size is:'),
    catalogSector: Number(text.match(/boot catalog is in sector (\d+)/)?.[1] ?? NaN) || null,
    jolietLevel: Number(text.match(/Joliet with UCS level (\d)/)?.[1] ?? NaN) || null,
    rockRidge: /Rock Ridge signatures/.test(text),
  };
}

/** `xorriso -pvd_info -report_el_torito plain -report_system_area plain` */
export interface XorrisoFacts {
  pvd: Record<string, string>;
  catalog: { lba: number; path: string | null } | null;
  boot: {
    n: number;
    platform: string;
    bootable: boolean;
    emul: string;
    loadSegment: number;
    systemType: number;
    loadSize: number;
    lba: number;
    path: string | null;
    blocks: number | null;
  }[];
  mbr: { n: number; status: number; type: number; start: number; blocks: number }[];
  gpt: { diskGuid: string; entries: { n: number; name: string; type: string; guid: string; flags: string; start: number; size: number }[] } | null;
  apm: { blockSize: number; entries: { n: number; name: string; type: string; start: number; size: number }[] } | null;
}

/** xorriso prints GUIDs as their 16 raw bytes in hex; make the canonical text. */
export function rawGuidHexToText(h: string): string {
  const b = h.match(/../g)!;
  const r = (a: number, z: number) => b.slice(a, z).reverse().join('');
  return `${r(0, 4)}-${r(4, 6)}-${r(6, 8)}-${b.slice(8, 10).join('')}-${b.slice(10, 16).join('')}`.toUpperCase();
}

export function parseXorrisoReport(text: string): XorrisoFacts {
  const lines = text.split('\n');
  const pvd: Record<string, string> = {};
  const facts: XorrisoFacts = { pvd, catalog: null, boot: [], mbr: [], gpt: null, apm: null };
  const pvdKeys = [
    'Volume Id',
    'Volume Set Id',
    'Publisher Id',
    'Preparer Id',
    'App Id',
    'System Id',
    'CopyrightFile',
    'Abstract File',
    'Biblio File',
    'Creation Time',
    'Modif. Time',
    'Expir. Time',
    'Eff. Time',
  ];
  let apmBlock = 0;
  for (const line of lines) {
    const m = line.match(/^([^:]+?)\s*:\s?(.*)$/);
    if (!m) continue;
    const key = m[1]!,
      val = m[2]!;
    const cols = val.trim().split(/\s+/);
    if (pvdKeys.includes(key) && !(key in pvd)) pvd[key] = val.trimEnd();
    else if (key === 'El Torito catalog') facts.catalog = { lba: Number(cols[0]), path: null };
    else if (key === 'El Torito cat path' && facts.catalog) facts.catalog.path = val.trim();
    else if (key === 'El Torito boot img') {
      facts.boot.push({
        n: +cols[0]!,
        platform: cols[1]!,
        bootable: cols[2] === 'y',
        emul: cols[3]!,
        loadSegment: parseInt(cols[4]!, 16),
        systemType: parseInt(cols[5]!, 16),
        loadSize: +cols[6]!,
        lba: +cols[7]!,
        path: null,
        blocks: null,
      });
    } else if (key === 'El Torito img path') {
      const e = facts.boot.find((b) => b.n === +cols[0]!);
      if (e) e.path = val.trim().slice(cols[0]!.length).trim();
    } else if (key === 'El Torito img blks') {
      const e = facts.boot.find((b) => b.n === +cols[0]!);
      if (e) e.blocks = +cols[1]!;
    } else if (key === 'MBR partition') {
      if (facts.mbr.some((p) => p.n === +cols[0]!)) continue; // xorriso repeats the table in some reports
      facts.mbr.push({ n: +cols[0]!, status: parseInt(cols[1]!, 16), type: parseInt(cols[2]!, 16), start: +cols[3]!, blocks: +cols[4]! });
    } else if (key === 'GPT disk GUID') {
      facts.gpt ??= { diskGuid: rawGuidHexToText(cols[0]!), entries: [] };
    } else if (key.startsWith('GPT ') && facts.gpt) {
      const n = +cols[0]!;
      let e = facts.gpt.entries.find((x) => x.n === n);
      const ensure = () => {
        if (!e) {
          e = { n, name: '', type: '', guid: '', flags: '', start: 0, size: 0 };
          facts.gpt!.entries.push(e);
        }
        return e;
      };
      if (key === 'GPT partname local') ensure().name = val.trim().slice(cols[0]!.length).trim();
      else if (key === 'GPT type GUID') ensure().type = rawGuidHexToText(cols[1]!);
      else if (key === 'GPT partition GUID') ensure().guid = rawGuidHexToText(cols[1]!);
      else if (key === 'GPT partition flags') ensure().flags = cols[1]!;
      else if (key === 'GPT start and size') {
        ensure().start = +cols[1]!;
        ensure().size = +cols[2]!;
      }
    } else if (key === 'APM block size') {
      apmBlock = +cols[0]!;
      facts.apm ??= { blockSize: apmBlock, entries: [] };
    } else if (/^APM (partition|start)/.test(key) && facts.apm) {
      const n = +cols[0]!;
      let e = facts.apm.entries.find((x) => x.n === n);
      if (!e) {
        e = { n, name: '', type: '', start: 0, size: 0 };
        facts.apm.entries.push(e);
      }
      if (key === 'APM partition name') e.name = val.trim().slice(cols[0]!.length).trim();
      else if (key === 'APM partition type') e.type = cols[1]!;
      else if (key === 'APM start and size') {
        e.start = +cols[1]!;
        e.size = +cols[2]!;
      }
    }
  }
  return facts;
}

/** `isoinfo [-R|-J] -l`: every entry with its size and kind. */
export function parseIsoinfoListing(text: string): Map<string, { size: number; dir: boolean }> {
  const out = new Map<string, { size: number; dir: boolean }>();
  let dir = '/';
  for (const line of text.split('\n')) {
    const head = line.match(/^Directory listing of (.*)$/);
    if (head) {
      dir = head[1]!;
      continue;
    }
    // e.g. "-r--r--r--   1    0    0           18 Nov 14 2023 [     29 00]  README.TXT;1"
    const m = line.match(/^([dl-])\S{9}\s+\d+\s+\d+\s+\d+\s+(\d+)\s+\w{3}\s+\d+\s+\d{4}\s+\[\s*\d+\s+[0-9a-fA-F]{2}\]\s\s(.*?)\s*$/);
    if (!m) continue;
    const name = m[3]!;
    if (name === '.' || name === '..') continue;
    const path = (dir + name).replace(/;\d+$/, '').replace(/\.$/, '');
    out.set(path, { size: m[1] === 'd' ? 0 : Number(m[2]), dir: m[1] === 'd' });
  }
  return out;
}

/** `xorriso -find / -exec lsdl`: the Rock Ridge tree as xorriso (libisofs) sees it. */
export function parseXorrisoFind(text: string): Map<string, { size: number; dir: boolean; symlink?: string }> {
  const out = new Map<string, { size: number; dir: boolean; symlink?: string }>();
  for (const line of text.split('\n')) {
    const m = line.match(/^([dl-])\S{9}\s+\d+\s+\S+\s+\S+\s+(\d+)\s+\w{3}\s+\d+\s+[\d:]+\s+'(.*?)'(?: -> '(.*)')?$/);
    if (!m || m[3] === '/') continue;
    const entry: { size: number; dir: boolean; symlink?: string } = { size: m[1] === 'd' ? 0 : Number(m[2]), dir: m[1] === 'd' };
    if (m[1] === 'l') entry.symlink = m[4]!;
    out.set(m[3]!.replace(/'\\''/g, "'"), entry);
  }
  return out;
}

/** `7zz l -slt`: 7-Zip's listing (Joliet names when present). El Torito "[BOOT]" pseudo-files are left out. */
export function parse7zListing(text: string): Map<string, { size: number; dir: boolean }> {
  const out = new Map<string, { size: number; dir: boolean }>();
  const body = text.slice(text.indexOf('\n----------\n') + 12);
  for (const block of body.split(/\n\s*\n/)) {
    const path = block.match(/^Path = (.*)$/m)?.[1];
    if (!path || path.startsWith('[BOOT]')) continue;
    const dir = block.match(/^Folder = \+$/m) !== null;
    out.set('/' + path, { size: dir ? 0 : Number(block.match(/^Size = (\d+)$/m)?.[1] ?? NaN), dir });
  }
  return out;
}

/** `udfinfo`: key=value lines. */
export function parseUdfinfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-z]+)=(.*)$/);
    if (m && !(m[1]! in out)) out[m[1]!] = m[2]!;
  }
  return out;
}

/** `wimlib-imagex info` followed by `wimlib-imagex info --header`. */
export interface WimlibFacts {
  info: Record<string, string>;
  header: Record<string, string>;
  images: Record<string, string>[];
}
export function parseWimlibInfo(text: string): WimlibFacts {
  const facts: WimlibFacts = { info: {}, header: {}, images: [] };
  let section: 'info' | 'images' = 'info';
  let current: Record<string, string> | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('Available Images:')) {
      section = 'images';
      continue;
    }
    const h = line.match(/^([A-Za-z][\w ]*?)\s+= (.*)$/);
    if (h) {
      facts.header[h[1]!] = h[2]!;
      continue;
    }
    const m = line.match(/^([A-Za-z][\w ]*):\s*(.*?)\s*$/);
    if (!m) continue;
    if (section === 'info') facts.info[m[1]!] = m[2]!;
    else {
      if (m[1] === 'Index') {
        current = {};
        facts.images.push(current);
      }
      if (current) current[m[1]!] = m[2]!;
    }
  }
  return facts;
}
