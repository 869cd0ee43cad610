/**
 * What a non-Windows disc says it is. Distributions and tools leave a small
 * file or a recognisable identifier at the top of their media; each is read
 * here (a few hundred bytes, through the tree already open) and turned into
 * one line. Nothing is guessed: every identity names the file or descriptor
 * field it came from, and a disc that says nothing gets no identity (the
 * report then falls back to its label and publisher).
 *
 * Markers, in the order they are tried (the first found wins):
 * - `.disk/info` — Debian's installer media and everything built with
 *   debian-cd or live-build (Ubuntu, Mint, Kali, …): one line, written by the
 *   build ("Debian GNU/Linux 12.5.0 "Bookworm" - Official amd64 NETINST …").
 * - `.treeinfo` — Fedora, RHEL, CentOS, Rocky, Alma (productmd's treeinfo,
 *   an INI file: [release] name/version, [tree] arch; older files use
 *   [general] family/version/arch).
 * - `.alpine-release` — Alpine's media ("alpine-standard-3.19.0 240110").
 * - `media.1/products` — openSUSE and SLE ("/ openSUSE-Leap 15.5-1").
 * - `arch/version` — Arch Linux's ISO (a date, "2024.01.01").
 * - the ISO 9660 volume identifier for media that carry no file: FreeBSD
 *   ("14_0_RELEASE_AMD64_CD", release(7)'s naming) and memtest86+
 *   ("MT86PLUS_64");
 * - the application identifier iPXE's build writes ("IPXE - OPEN SOURCE
 *   NETWORK BOOT FIRMWARE"), and, last, GRUB's platform directories that
 *   grub-mkrescue lays out (boot/grub/i386-pc, boot/grub/x86_64-efi): only
 *   what boots the disc, said as such.
 */
import type { ByteSource } from '../io/byte-source.ts';
import type { ProblemLog } from '../io/problems.ts';
import { fileData } from './file-data.ts';
import { findEntry, type TreeReader } from './tree.ts';

export interface OsIdentity {
  /** The one line: "Debian GNU/Linux 12.5.0 "Bookworm" - Official amd64 NETINST". */
  headline: string;
  /** The product without version: "Debian GNU/Linux", "Fedora", "FreeBSD", "Memtest86+". */
  name: string;
  version: string | null;
  arch: string | null;
  /** Where the identity was read: a path on the disc, or a descriptor field. */
  from: string;
}

/** Marker files are short; anything longer is read only this far. */
const MAX_MARKER_BYTES = 4096;
/** A headline longer than this is cut (a crafted .disk/info may be of any length). */
const MAX_HEADLINE = 160;

const ARCHES = /\b(amd64|x86_64|i386|i686|arm64|aarch64|armhf|armv7hl|ppc64le|ppc64el|s390x|riscv64|x86|x64|ia32)\b/i;

function clip(s: string): string {
  const one = s
    // eslint-disable-next-line no-control-regex -- control characters (a crafted file's escapes) are what is removed
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return one.length > MAX_HEADLINE ? `${one.slice(0, MAX_HEADLINE - 1)}…` : one;
}

/** `.disk/info`: `Name Version "Codename" - Kind arch (build)`; only its first line counts. */
export function parseDiskInfo(text: string): Omit<OsIdentity, 'from'> | null {
  const line = clip(text.split(/\r?\n/, 1)[0] ?? '');
  if (!line) return null;
  const head = line.split(' - ', 1)[0]!;
  // The version is the first token that starts with a digit (Ubuntu "22.04.3", Debian "12.5.0", Mint "21.2").
  const v = head.match(/^(.*?)\s+(\d[\w.~+-]*)(?:\s|$)/);
  return { headline: line, name: (v ? v[1]! : head.replace(/\s*".*$/, '')).trim() || head, version: v ? v[2]! : null, arch: line.match(ARCHES)?.[1] ?? null };
}

/** productmd's `.treeinfo` (INI): [release] name/version or [general] family/version, and the tree's arch. */
export function parseTreeinfo(text: string): Omit<OsIdentity, 'from'> | null {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | null = null;
  for (const raw of text.split(/\r?\n/).slice(0, 400)) {
    const line = raw.trim();
    const s = line.match(/^\[([^\]]{1,64})\]$/);
    if (s) sections.set(s[1]!.toLowerCase(), (current = new Map<string, string>()));
    else if (current) {
      const kv = line.match(/^([A-Za-z_.]{1,40})\s*=\s*(.*)$/);
      if (kv) current.set(kv[1]!.toLowerCase(), kv[2]!.trim());
    }
  }
  const get = (section: string, key: string) => sections.get(section)?.get(key) || null;
  const name = get('release', 'name') ?? get('general', 'family') ?? get('product', 'name');
  if (!name) return null;
  const version = get('release', 'version') ?? get('general', 'version') ?? get('product', 'version');
  const variant = get('general', 'variant') ?? get('variant-' + (get('tree', 'variants') ?? '').split(',')[0]!.toLowerCase(), 'name');
  const arch = get('tree', 'arch') ?? get('general', 'arch');
  const headline = clip([name, version, variant && variant !== name ? `(${variant})` : null, arch].filter(Boolean).join(' '));
  return { headline, name: clip(name), version: version ? clip(version) : null, arch: arch ? clip(arch) : null };
}

/** `.alpine-release`: "alpine-<flavour>-<version> <build>". */
function parseAlpineRelease(text: string): Omit<OsIdentity, 'from'> | null {
  const m = clip(text).match(/^alpine-([a-z0-9-]+?)-(\d[\w.]*)/i);
  if (!m) return null;
  return { headline: `Alpine Linux ${m[2]} (${m[1]})`, name: 'Alpine Linux', version: m[2]!, arch: null };
}

/** `media.1/products`: "/ openSUSE-Leap 15.5-1" (path, product-version-release). */
function parseSuseProducts(text: string): Omit<OsIdentity, 'from'> | null {
  const m = clip(text.split(/\r?\n/, 1)[0] ?? '').match(/^\S+\s+(.+?)[ -](\d[\w.]*)(?:-\d+)?$/);
  if (!m) return null;
  const name = m[1]!.replace(/-/g, ' ');
  return { headline: `${name} ${m[2]}`, name, version: m[2]!, arch: null };
}

/** Volume identifiers that name the medium by convention (no file says more). */
function identityFromVolumeId(label: string, applicationId: string | null): OsIdentity | null {
  const bsd = label.match(/^(\d+)_(\d+)_(RELEASE|STABLE|CURRENT|BETA\d*|RC\d*|ALPHA\d*|PRERELEASE)_([A-Z0-9]+)_(CD|DVD|BO|DISC\d?|MEMSTICK)$/i);
  if (bsd) {
    const version = `${bsd[1]}.${bsd[2]}-${bsd[3]!.toUpperCase()}`;
    const media = { CD: 'disc1', DVD: 'dvd1', BO: 'bootonly' }[bsd[5]!.toUpperCase()] ?? bsd[5]!.toLowerCase();
    const arch = bsd[4]!.toLowerCase();
    return { headline: `FreeBSD ${version} ${arch} (${media})`, name: 'FreeBSD', version, arch, from: 'volume identifier' };
  }
  const mt = label.match(/^MT86PLUS(?:_(64|32))?$/i);
  if (mt) {
    const arch = mt[1] === '32' ? 'ia32' : mt[1] === '64' ? 'x64' : null;
    return {
      headline: `Memtest86+ memory tester${arch ? ` (${arch === 'x64' ? '64' : '32'}-bit)` : ''}`,
      name: 'Memtest86+',
      version: null,
      arch,
      from: 'volume identifier',
    };
  }
  if (applicationId && /^IPXE\b/i.test(applicationId.trim()))
    return { headline: 'iPXE network boot firmware', name: 'iPXE', version: null, arch: null, from: 'application identifier' };
  return null;
}

/** The marker files, tried in order; each parser returns null when the file does not say what it should. */
const MARKERS: { path: string; parse: (text: string) => Omit<OsIdentity, 'from'> | null }[] = [
  { path: '.disk/info', parse: parseDiskInfo },
  { path: '.treeinfo', parse: parseTreeinfo },
  { path: '.alpine-release', parse: parseAlpineRelease },
  { path: 'media.1/products', parse: parseSuseProducts },
  {
    path: 'arch/version',
    parse: (t) => {
      const v = clip(t).match(/^\d{4}\.\d{2}\.\d{2}$/)?.[0];
      return v ? { headline: `Arch Linux ${v}`, name: 'Arch Linux', version: v, arch: null } : null;
    },
  },
];

async function readMarker(src: ByteSource, tree: TreeReader<unknown>, path: string, log: ProblemLog): Promise<string | null> {
  const entry = await findEntry(tree, path, log);
  if (!entry || entry.dir) return null;
  const stat = entry.stat ?? (await tree.stat(entry, log));
  const bytes = await fileData(src, stat, entry.name).read(0, Math.min(stat.size, MAX_MARKER_BYTES));
  return new TextDecoder('utf-8').decode(bytes);
}

/** The disc's own word for what it is, or null when it says nothing recognisable. */
export async function identifyOs(
  src: ByteSource,
  tree: TreeReader<unknown> | null,
  volume: { label: string; applicationId: string | null } | null,
  log: ProblemLog,
): Promise<OsIdentity | null> {
  if (tree) {
    // The root listing is already cached by the tree; a marker that is absent costs nothing more.
    const root = new Set((await tree.list(tree.root, log)).map((e) => e.name.toLowerCase()));
    for (const m of MARKERS) {
      if (!root.has(m.path.split('/')[0]!.toLowerCase())) continue;
      const text = await readMarker(src, tree, m.path, log);
      const id = text === null ? null : m.parse(text);
      if (id) return { ...id, from: m.path };
    }
  }
  const byLabel = volume ? identityFromVolumeId(volume.label, volume.applicationId) : null;
  if (byLabel) return byLabel;
  if (tree && (await findEntry(tree, 'boot/grub', log))?.dir) {
    const platforms = ['i386-pc', 'x86_64-efi', 'i386-efi', 'arm64-efi'];
    const found: string[] = [];
    for (const p of platforms) if ((await findEntry(tree, `boot/grub/${p}`, log))?.dir) found.push(p);
    if (found.length)
      // What grub-mkrescue lays out; the disc names no system, so the line says only what boots it.
      return { headline: `GRUB boot disc (${found.join(', ')}), no system named`, name: 'GRUB', version: null, arch: null, from: `boot/grub/${found[0]}` };
  }
  return null;
}
