/**
 * WIM fixtures made at test time by wimlib (wimlib-imagex capture, append,
 * update, split), put on discs by genisoimage, and what wimlib and 7-Zip
 * read back from them: the truth the WIM readers are compared with.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, linkSync, writeFileSync, mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const run = (cmd: string, args: string[], options: { cwd?: string; input?: Uint8Array } = {}) =>
  execFileSync(cmd, args, { ...options, maxBuffer: 1 << 30, stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });

export function scratch(prefix = 'isoscope-wim-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Deterministic pseudo-random bytes (xorshift), so a test's data is the same every run. */
export function randomBytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function put(root: string, path: string, data: Uint8Array | string): void {
  const p = join(root, path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, data);
}

/**
 * A tree like a small Windows image: text and binaries (x86 code: LZX's and
 * LZMS's E8 translation), a random file, an empty file, a hard link, a
 * symbolic link, deep folders, long and non-ASCII names, a file larger than
 * several chunks.
 */
export function windowsLikeTree(root: string): void {
  const exe = readFileSync('/usr/lib/chromium/chromium').subarray(0, 3 << 20);
  put(root, 'Windows/System32/kernel32.dll', exe.subarray(0, 700_000));
  put(root, 'Windows/System32/drivers/etc/hosts', '# Copyright (c) 1993-2009 Microsoft Corp.\r\n127.0.0.1       localhost\r\n');
  put(root, 'Windows/System32/ntoskrnl.exe', exe.subarray(700_000, 3 << 20));
  put(root, 'Windows/Fonts/random.ttf', randomBytes(150_000, 7));
  put(root, 'Windows/empty.log', '');
  put(root, 'Users/Default/NTUSER.DAT', new Uint8Array(65_536).fill(0x41));
  put(root, 'Program Files/Ünïcödé ✓/readme.txt', 'Grüße aus der WIM\n'.repeat(500));
  put(root, `Program Files/${'long-name-'.repeat(20)}.txt`, 'long\n');
  put(root, 'a/b/c/d/e/f/g/h/deep.txt', 'deep\n');
  linkSync(join(root, 'Windows/System32/kernel32.dll'), join(root, 'Windows/System32/kernel32-hardlink.dll'));
  symlinkSync('System32/drivers/etc/hosts', join(root, 'Windows/hosts-link'));
}

export interface CaptureOptions {
  compress?: 'none' | 'XPRESS' | 'LZX' | 'LZMS';
  solid?: boolean;
  chunkSize?: number;
  name?: string;
}

function captureArgs(o: CaptureOptions): string[] {
  const args = [`--compress=${o.compress ?? 'LZX'}`];
  if (o.solid) args.push('--solid');
  if (o.chunkSize) args.push(`--chunk-size=${o.chunkSize}`);
  return args;
}

export function capture(src: string, wim: string, o: CaptureOptions = {}): void {
  run('wimlib-imagex', ['capture', src, wim, o.name ?? 'Windows 7 PROFESSIONAL', ...captureArgs(o)]);
}

export function append(src: string, wim: string, name: string): void {
  run('wimlib-imagex', ['append', src, wim, name]);
}

/** A disc with `files` (name → path on this machine) under sources/, in ISO 9660 and UDF (genisoimage -udf). */
export function discWith(dir: string, files: Record<string, string>): string {
  const root = join(dir, 'disc');
  mkdirSync(join(root, 'sources'), { recursive: true });
  for (const [name, path] of Object.entries(files)) copyFileSync(path, join(root, 'sources', name));
  const iso = join(dir, 'disc.iso');
  run('genisoimage', ['-quiet', '-udf', '-allow-limited-size', '-V', 'GRMCPRXFRER_EN_DVD', '-o', iso, root]);
  return iso;
}

export interface WimlibEntry {
  path: string;
  shortName: string;
  attributes: number;
  /** The security descriptor as wimlib-imagex prints it (hex), or null when the file has none. */
  securityDescriptor: string | null;
  /** Names of the file (wimlib's Link Count). */
  linkCount: number;
  /** Seconds since 1970, as wimlib-imagex prints them (to the second). */
  created: number;
  modified: number;
  accessed: number;
  linkGroup: string;
  reparseTag: number | null;
  /** The unnamed data stream (or the reparse stream) and named streams: hash (null for zeros) and size. */
  streams: { kind: string; name: string; sha1: string | null; size: number }[];
}

/** `wimlib-imagex dir WIM INDEX --detailed`, parsed. */
export function wimlibDir(wim: string, index: number): WimlibEntry[] {
  const text = run('wimlib-imagex', ['dir', wim, String(index), '--detailed']).toString('utf8');
  const time = (s: string) => Date.parse(s.replace(/^\w+ (\w+) (\d+) ([\d:]+) (\d+) UTC$/, '$1 $2 $4 $3 UTC')) / 1000;
  return text
    .split(/^-{20,}$/m)
    .map((block) => block.trim())
    .filter((block) => block.startsWith('Full Path'))
    .map((block) => {
      const field = (name: string) => new RegExp(`^${name}\\s*= (.*)$`, 'm').exec(block)?.[1] ?? '';
      const streams: WimlibEntry['streams'] = [];
      const re = /^\t(Unnamed data stream|Reparse point stream|Named data stream "(.*)"):\nHash\s*= 0x([0-9a-f]+)\nUncompressed size = (\d+) bytes/gm;
      for (const m of block.matchAll(re)) {
        streams.push({ kind: m[1]!.startsWith('Reparse') ? 'reparse' : 'data', name: m[2] ?? '', sha1: /^0+$/.test(m[3]!) ? null : m[3]!, size: Number(m[4]) });
      }
      const tag = field('Reparse Tag');
      return {
        path: JSON.parse(field('Full Path')) as string,
        shortName: JSON.parse(field('Short Name') || '""') as string,
        attributes: parseInt(field('Attributes'), 16),
        securityDescriptor: field('Security Descriptor') || null,
        linkCount: Number(field('Link Count') || '1'),
        created: time(field('Creation Time')),
        modified: time(field('Last Write Time')),
        accessed: time(field('Last Access Time')),
        linkGroup: BigInt(field('Link Group ID') || '0').toString(16),
        reparseTag: tag ? parseInt(tag, 16) : null,
        streams,
      };
    });
}

/** One file's bytes as wimlib-imagex extracts them. */
export function wimlibExtract(wim: string, index: number, path: string): Buffer {
  return run('wimlib-imagex', ['extract', wim, String(index), path, '--to-stdout', '--no-acls']);
}

/**
 * NTFS volumes made and filled without mounting (ntfs-3g's tools, and wimlib
 * through libntfs-3g): an empty volume from mkntfs, a WIM image applied to it
 * (wimlib's NTFS-3G mode writes what a WIM records: 8.3 names, attributes,
 * times, security descriptors, named streams, reparse points, hard links),
 * files and named streams copied in by ntfscp, a stream read back by ntfscat.
 */
export function mkntfsImage(path: string, mib: number, label = 'ISOSCOPE'): void {
  run('truncate', ['-s', `${mib}M`, path]);
  run('mkntfs', ['-F', '-f', '-q', '-L', label, path]);
}

/** Apply image `index` of `wim` to the NTFS volume in the file `volume` (wimlib-imagex apply to a regular file: NTFS-3G mode). */
export function applyToNtfs(wim: string, index: number, volume: string): void {
  run('wimlib-imagex', ['apply', wim, String(index), volume]);
}

/** Copy `local` into the volume at `dest` (ntfscp; `stream`: into that named $DATA attribute, created if missing). */
export function ntfscp(volume: string, local: string, dest: string, stream?: string): void {
  run('ntfscp', [...(stream ? ['-N', stream] : []), volume, local, dest]);
}

/** One $DATA attribute (the unnamed one, or the stream `stream`) of `path` on the volume, as ntfscat reads it. */
export function ntfscat(volume: string, path: string, stream?: string): Buffer {
  return run('ntfscat', [...(stream ? ['-a', '0x80', '-n', stream] : []), volume, path]);
}

/** Capture the NTFS volume in the file `volume` as a new WIM (wimlib-imagex capture reads it through libntfs-3g), or append it to one. */
export function captureNtfs(volume: string, wim: string, name: string, o: CaptureOptions & { append?: boolean } = {}): void {
  run('wimlib-imagex', [o.append ? 'append' : 'capture', volume, wim, name, ...(o.append ? [] : captureArgs(o))]);
}
