/**
 * Parsers for each public source's own format. Each takes the text of one
 * file (at one commit) and returns the statements it makes: a file name (as
 * the source writes it) with a size and/or hashes. Nothing is inferred here:
 * a statement carries only values written in the source. Rows that name no
 * official file may still carry what the source says it is (`label`).
 */
import type { CatalogueHash } from '../types.ts';

export interface RawStatement {
  name: string | null;
  size?: number;
  md5?: string;
  sha1?: string;
  sha256?: string;
  /** eD2k hash, from an ed2k link. */
  ed2k?: string;
  /** Where in the source: a function, a key, a line. */
  where: string;
  /** The source's own description when it gives no official name (e.g. Mido's "win10x64"). */
  label?: string;
  /** A URL the source gives for the file (its host tells whether Microsoft hosts it). */
  url?: string;
  /** Set by the build for history sources: see CatalogueStatement.nameCarried. */
  nameCarried?: true;
}

/** What a parser read, and what it left out of its source and why (reason → count). */
export interface ParseResult {
  statements: RawStatement[];
  leftOut: Record<string, number>;
}

const HEX: Record<CatalogueHash, number> = { md5: 32, sha1: 40, sha256: 64 };

/** A hash value as a source writes it ("sha256:ABC…", "ABC…"): its algorithm by label and length, or null when they disagree. */
export function readHash(value: string, label?: string): { algo: CatalogueHash; hex: string } | null {
  let v = value.trim().replace(/^["']|["']$/g, '');
  let l = label?.toLowerCase().replace(/sum$/, '') as CatalogueHash | undefined;
  const prefixed = v.match(/^(md5|sha1|sha256):(.+)$/i);
  if (prefixed) {
    l = prefixed[1]!.toLowerCase() as CatalogueHash;
    v = prefixed[2]!;
  }
  if (!/^[0-9a-f]+$/i.test(v)) return null;
  const byLength = (Object.entries(HEX) as [CatalogueHash, number][]).find(([, n]) => n === v.length)?.[0];
  if (!byLength) return null;
  if (l && l !== byLength) return null; // a "sha1" of 32 digits: the source contradicts itself
  return { algo: byLength, hex: v.toLowerCase() };
}

const baseName = (url: string): string => {
  const last = url.split(/[?#]/)[0]!.split('/').pop() ?? url;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
};

function withHash(s: RawStatement, value: string, label?: string): RawStatement | null {
  const h = readHash(value, label);
  if (!h) return null;
  return { ...s, [h.algo]: h.hex };
}

/**
 * dockur/windows src/define.sh: functions getMido and getLink1…N, each a
 * `case` over ids with `size=`, `sum=` (SHA-256) and `url=` (relative to
 * the function's `host`, or absolute).
 */
export function parseDockurDefine(text: string, commit: string): RawStatement[] {
  const out: RawStatement[] = [];
  const functions = text.split(/\n(?=get[A-Za-z0-9]+\(\) \{)/);
  for (const fn of functions) {
    const fname = fn.match(/^(get[A-Za-z0-9]+)\(\)/)?.[1];
    if (!fname || !/^get(Mido|Link\d+)$/.test(fname)) continue;
    const host = fn.match(/local host="([^"]+)"/)?.[1] ?? '';
    // Case entries: `"id" | "id2" )` up to `;;`.
    for (const entry of fn.matchAll(/\n\s*("[^"\n]+"(?:\s*\|\s*"[^"\n]+")*)\s*\)\s*\n([\s\S]*?)\n\s*;;/g)) {
      const ids = [...entry[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
      const body = entry[2]!;
      const size = body.match(/\bsize=(\d+)/)?.[1];
      const sum = body.match(/\bsum="([0-9a-fA-F]+)"/)?.[1];
      const urls = [...new Set([...body.matchAll(/\burl="([^"]+)"/g)].map((m) => m[1]!))];
      // One sum beside a url per language: the sum is the id's, and which file it hashes is not said.
      const url = urls.length === 1 ? urls[0] : undefined;
      if (!sum || /\$/.test(url ?? '') || urls.length > 1) continue;
      const full = url ? (/^https?:/.test(url) ? url : `${host}/${url}`) : undefined;
      const s = withHash(
        { name: full ? baseName(full) : null, where: `${fname} "${ids.join('" | "')}" @ ${commit.slice(0, 12)}`, label: ids[0], url: full },
        sum,
        'sha256',
      );
      if (s) out.push(size ? { ...s, size: Number(size) } : s);
    }
  }
  return out;
}

/** ElliotKillick/Mido Mido.sh: the `sha256sums` list ("<hash>  <media>.iso"), with each media's Microsoft URL where the script names one. */
export function parseMido(text: string): RawStatement[] {
  const list = text.match(/readonly sha256sums="\\?\n([\s\S]*?)"/)?.[1] ?? '';
  const urls = new Map<string, string>();
  for (const m of text.matchAll(/"\$(win[0-9a-z_]+)"\)\s*\n([\s\S]*?);;/g)) {
    const url = m[2]!.match(
      /https:\/\/(?:web\.archive\.org\/web\/\d+\/)?(https:\/\/download\.microsoft\.com\/[^"\s]+|[^"\s]*download\.microsoft\.com\/[^"\s]+)/,
    )?.[1];
    if (url) urls.set(m[1]!.replace(/_/g, '-'), url.startsWith('http') ? url : `https://${url}`);
  }
  const out: RawStatement[] = [];
  for (const line of list.split('\n')) {
    const m = line.match(/^([0-9a-f]{64})\s+(\S+)\.iso$/);
    if (!m) continue;
    const media = m[2]!;
    const url = urls.get(media);
    out.push({ name: url ? baseName(url) : null, sha256: m[1]!, where: `sha256sums "${media}.iso"`, label: media, url });
  }
  return out;
}

/** rapid7/metasploit-baseline-builder iso_list.json ({name: {md5}}) and iso_pending.json ({name: md5}). */
export function parseRapid7(text: string, file: string): RawStatement[] {
  const data = JSON.parse(text) as Record<string, string | { md5?: string }>;
  const out: RawStatement[] = [];
  for (const [name, v] of Object.entries(data)) {
    const md5 = typeof v === 'string' ? v : v.md5;
    if (!md5) continue;
    const s = withHash({ name, where: `${file} "${name}"` }, md5, 'md5');
    if (s) out.push(s);
  }
  return out;
}

/** avocado-vt guest-os cfg: `cdrom_cd1 = isos/windows/<name>` followed by `md5sum_cd1` / `sha1sum_cd1` (not the *_1m_* ones, which hash the first MiB). */
export function parseAvocado(text: string, file: string): RawStatement[] {
  const out: RawStatement[] = [];
  let current: RawStatement | null = null;
  const flush = () => {
    if (current && (current.md5 || current.sha1)) out.push(current);
    current = null;
  };
  text.split('\n').forEach((line, i) => {
    const cd = line.match(/^\s*cdrom_cd1\s*=\s*(\S+)/);
    if (cd) {
      flush();
      current = { name: baseName(cd[1]!), where: `${file}:${i + 1}` };
      return;
    }
    const sum = line.match(/^\s*(md5sum|sha1sum)_cd1\s*=\s*([0-9a-fA-F]+)\s*$/);
    if (sum && current) {
      const h = readHash(sum[2]!, sum[1]);
      if (h) current = { ...current, [h.algo]: h.hex };
    }
  });
  flush();
  return out;
}

/** GoSecure/malboxes docs/windows-licenses.adoc: "* filename: <name>" then "* sha1 checksum: <hex>" (or "sha1sum:"). */
export function parseMalboxesDoc(text: string, file: string): RawStatement[] {
  const out: RawStatement[] = [];
  let name: string | null = null;
  text.split('\n').forEach((line, i) => {
    const f = line.match(/^\*\s*filename:\s*(\S+?)"?\s*$/);
    if (f) name = f[1]!;
    const c = line.match(/^\*\s*sha1(?:sum| checksum):\s*([0-9a-fA-F]+)\s*$/);
    if (c && name) {
      const s = withHash({ name, where: `${file}:${i + 1}` }, c[1]!, 'sha1');
      if (s) out.push(s);
      name = null;
    }
  });
  return out;
}

/**
 * Packer templates and scripts: each iso_url paired with the next
 * iso_checksum before another iso_url; the checksum's algorithm from its
 * "sha1:" prefix, else an iso_checksum_type since the url (a line of its
 * own in JSON templates), else its length.
 */
export function parsePacker(text: string, file: string): RawStatement[] {
  const out: RawStatement[] = [];
  let url: { value: string; line: number } | null = null;
  let type: string | undefined;
  text.split('\n').forEach((line, i) => {
    const u = line.match(/iso_urls?["']?\s*[:=]\s*\[?\s*["']?([^"'\s,\]]+\.iso)/i) ?? line.match(/"(file:\/\/[^"]+\.iso|https?:\/\/[^"]+\.iso)"/i);
    if (u && !/\{\{/.test(u[1]!)) {
      url = { value: u[1]!, line: i + 1 };
      type = undefined;
    }
    type = line.match(/iso_checksum_type["']?\s*[:=]\s*["']?(md5|sha1|sha256)/i)?.[1] ?? type;
    const c = line.match(/iso_checksum["']?\s*[:=]\s*["']?((?:md5|sha1|sha256):)?([0-9a-fA-F]{32,64})/i);
    if (c && url) {
      const s = withHash(
        { name: baseName(url.value), where: `${file}:${url.line}`, url: /^https?:/.test(url.value) ? url.value : undefined },
        c[2]!,
        (c[1]?.slice(0, -1) ?? type) || undefined,
      );
      if (s) out.push(s);
      url = null;
      type = undefined;
    }
  });
  return out;
}

/**
 * A sha256sum list (`<hex> [*]<name>`) beside the script that downloads
 * the files it names (ElliotKillick/qvm-create-windows-qube's SHA256SUMS
 * and download-windows.sh, read at the same commit). The script says which
 * URL each listed file was saved from (`curl URL -o NAME`, `-O`, or
 * `scurl_file NAME TLS URL`): the statement names the URL's file, and keeps
 * the list's own name as its label. A comment line naming an .iso just above
 * a hash ("# Win10_21H2_English_x64.iso") names the file the hash is of.
 * Commented-out hashes and downloads are not read.
 */
export function parseSha256SumsWithScript(text: string, file: string, scripts: string[]): RawStatement[] {
  const saved = new Map<string, string>();
  for (const script of scripts)
    for (const line of script.split('\n')) {
      if (/^\s*#/.test(line)) continue;
      const url = line.match(/https?:\/\/[^\s"']+\.iso\b/i)?.[0];
      if (!url) continue;
      const as = line.match(/(?:-o|--output)\s+["']?([^\s"']+\.iso)\b/i)?.[1] ?? line.match(/scurl_file\s+["']([^"']+\.iso)["']/i)?.[1] ?? baseName(url);
      saved.set(as.toLowerCase(), url);
    }
  const out: RawStatement[] = [];
  let comment: string | null = null;
  text.split('\n').forEach((line, i) => {
    const named = line.match(/^#\s*(\S+\.iso)\s*$/i);
    if (named) {
      comment = named[1]!;
      return;
    }
    const m = line.match(/^([0-9a-fA-F]{64})\s+\*?(\S+\.iso)\s*$/i);
    if (m) {
      const label = m[2]!;
      const url = saved.get(label.toLowerCase());
      const name = comment ?? (url ? baseName(url) : label);
      const s = withHash({ name, where: `${file}:${i + 1}`, label: label.replace(/\.iso$/i, ''), url }, m[1]!, 'sha256');
      if (s) out.push(s);
    }
    comment = null;
  });
  return out;
}

/** S2E/guest-images images.json: `"iso": {"name": "<name>", "sha1": "<hex>"}`. */
export function parseS2e(text: string, where: string): RawStatement[] {
  const out: RawStatement[] = [];
  for (const m of text.matchAll(/"name":\s*"([^"]+\.iso)",\s*"sha1":\s*"([0-9a-fA-F]{40})"/g)) {
    const s = withHash({ name: m[1]!, where }, m[2]!, 'sha1');
    if (s) out.push(s);
  }
  return out;
}

/** runeandre/slipstream_windows_updates README: a table "| Windows version | Service Pack | Filename | SHA1 |". */
export function parseMarkdownShaTable(text: string, file: string): RawStatement[] {
  const out: RawStatement[] = [];
  text.split('\n').forEach((line, i) => {
    const m = line.match(/^\|\s*(Windows[^|]+?)\s*\|\s*(SP\d|RTM)?\s*\|\s*(\S+\.iso)\s*\|\s*([0-9a-fA-F]{40})\s*\|/i);
    if (!m) return;
    const s = withHash({ name: m[3]!, where: `${file}:${i + 1}`, label: `${m[1]}${m[2] ? ' ' + m[2] : ''}` }, m[4]!, 'sha1');
    if (s) out.push(s);
  });
  return out;
}
