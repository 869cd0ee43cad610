/**
 * The WIM part of `npm run bench` (issue #22 §1 and §5): reading inside
 * install.wim against wimlib and 7-Zip, side by side in one run.
 *
 *  1. Decoder throughput: LZX (32 KiB, 2 MiB chunks), XPRESS (32 KiB), LZMS
 *     (128 KiB, one 32 MiB solid chunk) on chunks wimlib's own compressor
 *     wrote, of 32 MiB of system binaries and text and of 8 MiB random:
 *     ours in Node, ours in a Chromium Web Worker (bench/wim-worker.ts, the
 *     same loop, bench/wim-decode.ts) and wimlib's decompressor in one
 *     thread (tests/helpers/wimlib-chunks.ts), interleaved round by round.
 *  2. Listing one edition: isoscope (openDisc + disc.tree; the CLI with
 *     --wim-files) on the disc against wimlib-imagex dir and 7zz l on the
 *     install.wim extracted from it; bytes read (each tool's own reads of the
 *     file, counted by strace), and where isoscope's reads fell (blob table,
 *     metadata, as wimlib-imagex info --header and --blobs place them).
 *  3. The full stream check (--verify-wim=full, disc.verifyStreams) against
 *     wimlib-imagex verify on the same WIM.
 *  4. Identification without --wim-files: bytes and reads, unchanged.
 *
 * The machine is shared and drifts: every comparison alternates its runs
 * and keeps the best of each, and CPU time is shown beside wall time (a
 * process's from getrusage, a child's from /proc/self/stat's cutime and
 * cstime, a Chromium worker thread's from /proc/PID/task/TID/stat).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync, existsSync, openSync, readSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright';
import { build } from 'vite';
import { openDisc, type Disc } from '../workers/core/disc.ts';
import { nestedTreeId } from '../workers/formats/tree.ts';
import { nodeHashers } from '../workers/hash/node-hashers.ts';
import { verifyStreams } from '../workers/core/verify-streams.ts';
import { fileData } from '../workers/formats/file-data.ts';
import { WimArchive } from '../workers/formats/wim/archive.ts';
import { DATA_BUDGET, WIM_BUDGET } from '../workers/io/budget.ts';
import { NodeFileSource } from '../workers/io/node-source.ts';
import { Request } from '../workers/io/request.ts';
import { SharedImage } from '../workers/io/shared-image.ts';
import type { StreamCheck } from '../workers/report/types.ts';
import { makeBigWindowsImage, type BigWindowsImage } from '../tests/helpers/big-windows.ts';
import { serveStatic } from '../tests/helpers/static-server.ts';
import { randomBytes } from '../tests/helpers/wim-images.ts';
import { frame, wimlibChunksBinary, wimlibCompress, wimlibDecompressSpeed, type WimAlgorithm, type WimlibChunk } from '../tests/helpers/wimlib-chunks.ts';
import { decodeAll, firstDifference, makeDecoder } from './wim-decode.ts';
import { makeWindowsLikeTree } from './wim-tree.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'workers/cli/bin.cjs');
const MiB = 1024 * 1024;
/** Identification of the bench's 6 GB image as bench/RESULTS.md recorded it on 2026-11-30, before #22's WIM readers (66.3 KiB). */
const IDENT_BEFORE = { kib: 66.3, reads: 17 };
/** Each timed run lasts about this long (passes of the same chunks), so clock ticks (10 ms) stay small beside it. */
const TARGET_MS = 600;

// ---------------------------------------------------------------- helpers

/** Best of n rounds of several runs taken in turn (each sees the same drift of a shared machine). */
interface Timed {
  wall: number;
  cpu: number;
}
/** Best of n rounds of several runs taken in turn (each sees the same drift of a shared machine): wall and CPU time each at its own best. */
async function interleaved<const R extends readonly (() => Promise<Timed> | Timed)[]>(n: number, runs: R): Promise<{ [K in keyof R]: Timed }> {
  const best = runs.map(() => ({ wall: Infinity, cpu: Infinity }));
  for (let i = 0; i < n; i++)
    for (const [k, run] of runs.entries()) {
      const t = await run();
      best[k] = { wall: Math.min(best[k]!.wall, t.wall), cpu: Math.min(best[k]!.cpu, t.cpu) };
    }
  return best as { [K in keyof R]: Timed };
}

/** CPU time (ms) of this process's waited-for children, from /proc/self/stat (cutime + cstime, clock ticks of 10 ms). */
function childCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * 10;
}
/** This process's CPU time (ms), every thread. */
const ownCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** A child process run to its end: wall and CPU time. */
function run(cmd: string, args: string[], input?: Uint8Array): Timed & { stdout: Buffer } {
  const c0 = childCpu(),
    t0 = performance.now();
  const r = spawnSync(cmd, args, { input, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr.toString()}`);
  return { wall, cpu: childCpu() - c0, stdout: r.stdout };
}
const proc = (cmd: string, args: string[]) => () => {
  const { wall, cpu } = run(cmd, args);
  return { wall, cpu };
};

/** CPU time (ms) of every Chromium thread named DedicatedWorker, by process and thread id. */
function workerThreadsCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!/chrom/.test(readFileSync(`/proc/${pid}/comm`, 'utf8'))) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        if (!stat.includes('(DedicatedWorker')) continue;
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(`${pid}:${tid}`, (Number(f[11]) + Number(f[12])) * 10);
      }
    } catch {
      // the process or thread ended while being read
    }
  }
  return out;
}

const fmtMs = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0)) + ' ms';
const fmtBytes = (x: number) => (x >= 10 * MiB ? `${(x / MiB).toFixed(0)} MiB` : x >= MiB ? `${(x / MiB).toFixed(1)} MiB` : `${(x / 1024).toFixed(1)} KiB`);
const mbs = (bytes: number, ms: number) => bytes / 1e3 / ms;
const fmtMbs = (x: number) => `${x.toFixed(0)} MB/s`;
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** Bytes read from `file` by `cmd` (every thread), counted by strace: read, pread64, readv, preadv; and whether it mapped the file. */
function bytesReadBy(cmd: string, args: string[], file: string, scratch: string): { bytes: number; reads: number; mapped: boolean } {
  const log = join(scratch, 'strace.log');
  const r = spawnSync('strace', ['-f', '-qq', '-s', '0', '-y', '-e', 'trace=read,pread64,readv,preadv,preadv2,mmap', '-o', log, cmd, ...args], {
    stdio: 'ignore',
  });
  if (r.status !== 0) throw new Error(`strace ${cmd}: exit ${r.status}`);
  const path = realpathSync(file);
  const pending = new Map<string, string>();
  let bytes = 0,
    reads = 0,
    mapped = false;
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const pid = line.split(' ', 1)[0]!;
    let call = /^\d+\s+(\w+)\((?:\d+<([^>]*)>)?/.exec(line);
    let target = call?.[2];
    const resumed = /^\d+\s+<\.\.\. (\w+) resumed>/.exec(line);
    if (resumed) {
      target = pending.get(pid);
      pending.delete(pid);
      call = resumed;
    } else if (line.endsWith('<unfinished ...>')) {
      if (target) pending.set(pid, target);
      continue;
    }
    if (!call || target !== path) continue;
    if (call[1] === 'mmap') {
      mapped = true;
      continue;
    }
    const n = /=\s+(\d+)$/.exec(line);
    if (n) {
      bytes += Number(n[1]);
      reads++;
    }
  }
  rmSync(log, { force: true });
  return { bytes, reads, mapped };
}

/** The CLI bundle, rebuilt when a source under workers/ is newer (the bench measures the code as it is). */
function freshCli(): void {
  const bundle = join(ROOT, 'workers/cli/dist/main.cjs');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name !== 'dist')
      .reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newest(join(ROOT, 'workers'))) return;
  console.log('rebuilding the CLI bundle (a source is newer)…');
  execFileSync(process.execPath, [join(ROOT, 'workers/cli/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

// ---------------------------------------------------------------- 1. decoders

/** An ELF64 file's section (offset and size in the file), by name. */
function elfSection(path: string, name: string): { offset: number; size: number } | null {
  const elf = readFileSync(path);
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) return null;
  const shoff = Number(elf.readBigUInt64LE(0x28)),
    shentsize = elf.readUInt16LE(0x3a),
    shnum = elf.readUInt16LE(0x3c),
    shstrndx = elf.readUInt16LE(0x3e);
  const strtab = Number(elf.readBigUInt64LE(shoff + shstrndx * shentsize + 0x18));
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * shentsize;
    const at = strtab + elf.readUInt32LE(h);
    if (elf.toString('latin1', at, elf.indexOf(0, at)) === name)
      return { offset: Number(elf.readBigUInt64LE(h + 0x18)), size: Number(elf.readBigUInt64LE(h + 0x20)) };
  }
  return null;
}

function slice(path: string, offset: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const fd = openSync(path, 'r');
  const got = readSync(fd, out, 0, n, offset);
  closeSync(fd);
  if (got !== n) throw new Error(`${path}: only ${got} of ${n} bytes at ${offset}`);
  return out;
}

/** Text files under `dir`, concatenated in sorted order, to `n` bytes. */
function textOf(dir: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let at = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (at >= n) return;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const b = readFileSync(p);
        out.set(b.subarray(0, n - at), at);
        at += Math.min(b.length, n - at);
      }
    }
  };
  walk(dir);
  if (at < n) throw new Error(`${dir}: only ${at} bytes of text`);
  return out;
}

/**
 * 32 MiB of what an install image holds: x86-64 code and read-only data
 * (Chromium's .text and .rodata, Node's .text), JavaScript (TypeScript's
 * compiler) and C headers (/usr/include).
 */
function largeInput(): { data: Uint8Array; what: string } {
  const parts: [string, Uint8Array][] = [];
  const chromium = '/usr/lib/chromium/chromium';
  const text = elfSection(chromium, '.text')!,
    rodata = elfSection(chromium, '.rodata')!,
    nodeText = elfSection(process.execPath, '.text')!;
  parts.push(['12 MiB of Chromium .text', slice(chromium, text.offset + 16 * MiB, 12 * MiB)]);
  parts.push(['4 MiB of Chromium .rodata', slice(chromium, rodata.offset, 4 * MiB)]);
  parts.push(["4 MiB of Node's .text", slice(process.execPath, nodeText.offset, 4 * MiB)]);
  parts.push(['8 MiB of typescript.js', slice(join(ROOT, 'node_modules/typescript/lib/typescript.js'), 0, 8 * MiB)]);
  parts.push(['4 MiB of /usr/include', textOf('/usr/include', 4 * MiB)]);
  const data = new Uint8Array(32 * MiB);
  let at = 0;
  for (const [, b] of parts) {
    data.set(b, at);
    at += b.length;
  }
  return { data, what: parts.map(([w]) => w).join(', ') };
}

interface DecoderCase {
  alg: WimAlgorithm;
  label: string;
  chunkSize: number;
}
const CASES: DecoderCase[] = [
  { alg: 'lzx', label: 'LZX, 32 KiB chunks', chunkSize: 32 * 1024 },
  { alg: 'lzx', label: 'LZX, 2 MiB chunks', chunkSize: 2 * MiB },
  { alg: 'xpress', label: 'XPRESS, 32 KiB chunks', chunkSize: 32 * 1024 },
  { alg: 'lzms', label: 'LZMS, 128 KiB chunks', chunkSize: 128 * 1024 },
  { alg: 'lzms', label: 'LZMS, one 32 MiB solid chunk', chunkSize: 32 * MiB },
];

interface DecoderRow {
  label: string;
  data: string;
  bytes: number;
  stored: number;
  raw: number;
  chunks: number;
  node: Timed;
  browser: Timed;
  wimlib: Timed;
}

/** A page of the bench's own server running bench/wim-worker.ts in one Web Worker. */
async function decoderPage(browser: Browser, dir: string): Promise<{ page: Page; call: <T>(m: object) => Promise<T>; close(): Promise<void> }> {
  const built = (await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry: join(ROOT, 'bench/wim-worker.ts'), formats: ['iife'], name: 'wimWorker' } },
  })) as { output: { code: string }[] } | { output: { code: string }[] }[];
  writeFileSync(join(dir, 'worker.js'), (Array.isArray(built) ? built[0]! : built).output[0]!.code);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>WIM decoders</title>');
  const server = await serveStatic(dir);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  // A string, not a function: tsx's name-keeping helpers do not exist in the page.
  await page.evaluate(`(() => {
    const worker = new Worker('/worker.js');
    let next = 1;
    const waiting = new Map();
    worker.onmessage = (e) => {
      const w = waiting.get(e.data.id);
      waiting.delete(e.data.id);
      if (e.data.error) w.fail(new Error(e.data.error)); else w.ok(e.data.result);
    };
    window.call = (m) => new Promise((ok, fail) => { const id = next++; waiting.set(id, { ok, fail }); worker.postMessage({ ...m, id }); });
  })()`);
  return {
    page,
    call: <T>(m: object) => page.evaluate<T>(`call(${JSON.stringify(m)})`),
    close: async () => {
      await context.close();
      await server.close();
    },
  };
}

async function decoderRows(browser: Browser, scratch: string): Promise<{ rows: DecoderRow[]; what: string }> {
  const dir = join(scratch, 'decoders');
  mkdirSync(join(dir, 'data'), { recursive: true });
  const large = largeInput();
  const inputs = [
    { key: 'large', label: '32 MiB binaries + text', data: large.data },
    { key: 'random', label: '8 MiB random', data: randomBytes(8 * MiB, 22) },
  ];
  const page = await decoderPage(browser, dir);
  const rows: DecoderRow[] = [];
  try {
    for (const c of CASES)
      for (const input of inputs) {
        const name = `${c.alg}-${c.chunkSize}-${input.key}`;
        console.log(`  ${c.label}, ${input.label}: compressing with wimlib…`);
        const chunks: WimlibChunk[] = wimlibCompress(c.alg, c.chunkSize, input.data);
        const framed = frame(chunks);
        writeFileSync(join(dir, 'data', `${name}.wchk`), framed);
        writeFileSync(join(dir, 'data', `${name}.raw`), input.data);
        const bytes = input.data.length;
        // Ours in Node: checked byte for byte once, then timed.
        const decoder = makeDecoder(c.alg, c.chunkSize);
        const bad = firstDifference(decoder, chunks, c.chunkSize, input.data);
        if (bad >= 0) throw new Error(`${name}: our decoder's bytes differ from the original at ${bad}`);
        const out = new Uint8Array(c.chunkSize);
        const t0 = performance.now();
        decodeAll(decoder, chunks, out);
        const passes = Math.max(1, Math.ceil(TARGET_MS / Math.max(0.01, performance.now() - t0)));
        await page.call({ op: 'load', name, alg: c.alg, chunkSize: c.chunkSize });
        // wimlib: its loop's own clock (CLOCK_MONOTONIC around the passes); its CPU time from the child's rusage, less a run of no pass.
        const once = wimlibDecompressSpeed(c.alg, c.chunkSize, chunks, 1);
        const repeat = Math.max(1, Math.ceil(TARGET_MS / (bytes / 1e3 / once)));
        const overhead = run(wimlibChunksBinary(), ['bench', c.alg, String(c.chunkSize), '0'], framed).cpu;
        const [node, inBrowser, wimlib] = await interleaved(5, [
          () => {
            const c0 = ownCpu(),
              w0 = performance.now();
            for (let p = 0; p < passes; p++) decodeAll(decoder, chunks, out);
            return { wall: (performance.now() - w0) / passes, cpu: (ownCpu() - c0) / passes };
          },
          async () => {
            const before = workerThreadsCpu();
            const wall = await page.call<number>({ op: 'decode', name, passes });
            let cpu = 0;
            for (const [k, v] of workerThreadsCpu()) cpu = Math.max(cpu, v - (before.get(k) ?? 0));
            return { wall: wall / passes, cpu: cpu / passes };
          },
          () => {
            const c0 = childCpu();
            const speed = wimlibDecompressSpeed(c.alg, c.chunkSize, chunks, repeat);
            return { wall: bytes / 1e3 / speed, cpu: Math.max(0, childCpu() - c0 - overhead) / repeat };
          },
        ] as const);
        await page.call({ op: 'drop', name });
        const raw = chunks.filter((k) => k.stored.length === k.size).length;
        rows.push({
          label: c.label,
          data: input.label,
          bytes,
          stored: chunks.reduce((n, k) => n + k.stored.length, 0),
          raw,
          chunks: chunks.length,
          node,
          browser: inBrowser,
          wimlib,
        });
        const last = rows[rows.length - 1]!;
        console.log(
          `    MB/s by wall (CPU): Node ${mbs(bytes, last.node.wall).toFixed(0)} (${mbs(bytes, last.node.cpu).toFixed(0)}), browser ${mbs(bytes, last.browser.wall).toFixed(0)} (${mbs(bytes, last.browser.cpu).toFixed(0)}), wimlib ${mbs(bytes, last.wimlib.wall).toFixed(0)} (${mbs(bytes, last.wimlib.cpu).toFixed(0)})`,
        );
        rmSync(join(dir, 'data', `${name}.wchk`));
        rmSync(join(dir, 'data', `${name}.raw`));
      }
  } finally {
    await page.close();
  }
  return { rows, what: large.what };
}

// ---------------------------------------------------------------- 2-4. a disc's install.wim

interface WimLayout {
  /** [name, offset in the WIM, bytes] */
  regions: [string, number, number][];
  blobTable: number;
  metadata: number[];
}

/** Where wimlib-imagex info --header and --blobs place the header, XML, blob table and metadata resources. */
function wimLayout(wim: string): WimLayout {
  const header = execFileSync('wimlib-imagex', ['info', wim, '--header'], { encoding: 'utf8' });
  const field = (name: string) => Number(new RegExp(`^${name}\\s*= (\\d+)`, 'm').exec(header)![1]);
  const regions: [string, number, number][] = [
    ['header', 0, field('Header Size')],
    ['XML', field('XML Data Offset'), field('XML Data Size')],
    ['blob table', field('Blob Table Offset'), field('Blob Table Size')],
  ];
  const blobs = execFileSync('wimlib-imagex', ['info', wim, '--blobs'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const metadata: number[] = [];
  for (const b of blobs.split(/\n\s*\n/))
    if (/WIM_RESHDR_FLAG_METADATA/.test(b)) {
      const offset = Number(/Offset in WIM\s*= (\d+)/.exec(b)![1]),
        size = Number(/Compressed size\s*= (\d+)/.exec(b)![1]);
      regions.push([`metadata resource ${metadata.length + 1}`, offset, size]);
      metadata.push(size);
    }
  return { regions, blobTable: field('Blob Table Size'), metadata };
}

type Extents = { offset: number; length: number }[];

/** Where bytes [offset, offset + size) of a file with `extents` lie in the image: one segment per extent they touch. */
function segments(extents: Extents, offset: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (const e of extents) {
    const a = Math.max(offset, at),
      b = Math.min(offset + size, at + e.length);
    if (b > a) out.push([e.offset + (a - at), b - a]);
    at += e.length;
  }
  return out;
}

/** Bytes of `ranges` (offsets in the disc image) that fall in each region of the WIM (a file with `extents` on the disc), and outside them all. */
function whereReadsFell(ranges: [number, number][], layout: WimLayout, extents: Extents): Map<string, number> {
  const fell = new Map<string, number>();
  for (const [start, length] of ranges) {
    let inside = 0;
    for (const [name, offset, size] of layout.regions)
      for (const [segAt, segSize] of segments(extents, offset, size)) {
        const a = Math.max(start, segAt),
          b = Math.min(start + length, segAt + segSize);
        if (b > a) {
          fell.set(name, (fell.get(name) ?? 0) + b - a);
          inside += b - a;
        }
      }
    if (length > inside) fell.set('elsewhere', (fell.get('elsewhere') ?? 0) + length - inside);
  }
  return fell;
}

/** Where image offset `at` lies in the file with `extents` (null: not in it). */
function inFile(extents: Extents, at: number): number | null {
  let pos = 0;
  for (const e of extents) {
    if (at >= e.offset && at < e.offset + e.length) return pos + at - e.offset;
    pos += e.length;
  }
  return null;
}

/** The install image's extents on the disc (none sparse). */
async function installExtents(iso: string): Promise<Extents> {
  return opened(iso, async (d) => {
    const at = d.installImage()!;
    const extents = (await d.file(at.parent, at.path, 0))!.extents;
    if (!extents.length || extents.some((e) => e.offset === null)) throw new Error(`${iso}: install.wim has no place of its own on the disc`);
    return extents as Extents;
  });
}

async function opened<T>(iso: string, fn: (d: Disc) => Promise<T>): Promise<T> {
  const src = await NodeFileSource.open(iso);
  try {
    return await fn(await openDisc(src));
  } finally {
    await src.close();
  }
}

interface DiscCase {
  label: string;
  iso: string;
  /** The install.wim as a file of its own (what wimlib-imagex and 7-Zip are given). */
  wim: string;
  /** How long 7-Zip takes to extract it from the disc (what giving it to the peers costs). */
  extractMs: number;
}

export async function listingRows(c: DiscCase, scratch: string): Promise<string[]> {
  // Identification, and the install image's place on the disc.
  const facts = await opened(c.iso, async (d) => ({ ident: { ...d.stats }, at: d.installImage()!, editions: d.report.windows?.imageCount ?? 0 }));
  const extents = await installExtents(c.iso);
  const id = nestedTreeId(facts.at.parent, facts.at.path, 1);
  // One edition, listed on a freshly opened disc: the request's own reads.
  const listed = await opened(c.iso, (d) => d.tree(id));
  if (listed.problems.length) throw new Error(`listing ${id}: ${listed.problems.map((p) => p.message).join('; ')}`);
  const layout = wimLayout(c.wim);
  const fell = whereReadsFell(listed.stats.ranges ?? [], layout, extents);
  // What each lists (counted once, untimed): wimlib-imagex dir prints a path a line, the root too; 7-Zip ends with "N files, M folders".
  const wimlibLines = run('wimlib-imagex', ['dir', c.wim, '1']).stdout.toString('utf8').trim().split('\n').length - 1;
  const sevenSummary = /(\d+) files(?:, (\d+) folders)?\s*$/.exec(run('7zz', ['l', c.wim]).stdout.toString('utf8'));
  const sevenEntries = sevenSummary ? Number(sevenSummary[1]) + Number(sevenSummary[2] ?? 0) : NaN;
  const cliReport = JSON.parse(run(process.execPath, [CLI, c.iso, '--wim-files', '--json']).stdout.toString('utf8')) as { wimFiles?: { files: unknown[] }[] };
  const cliEntries = (cliReport.wimFiles ?? []).reduce((n, w) => n + w.files.length, 0);
  const [core, cli, wimlibDir, sevenZip] = await interleaved(5, [
    () =>
      opened(c.iso, async (d) => {
        const c0 = ownCpu(),
          t0 = performance.now();
        const r = await d.tree(id);
        if (r.files.length !== listed.files.length) throw new Error('a listing differs from the first');
        return { wall: performance.now() - t0, cpu: ownCpu() - c0 };
      }),
    proc(process.execPath, [CLI, c.iso, '--wim-files', '--json']),
    proc('wimlib-imagex', ['dir', c.wim, '1']),
    proc('7zz', ['l', c.wim]),
  ] as const);
  const strCli = bytesReadBy(process.execPath, [CLI, c.iso, '--wim-files', '--json'], c.iso, scratch);
  const strWimlib = bytesReadBy('wimlib-imagex', ['dir', c.wim, '1'], c.wim, scratch);
  const str7z = bytesReadBy('7zz', ['l', c.wim], c.wim, scratch);
  const metaSize = layout.metadata[0] ?? 0;
  const readOf = (name: string) => fell.get(name) ?? 0;
  const regionRows = layout.regions
    .filter(([name]) => readOf(name) > 0 || name === 'blob table' || name === 'metadata resource 1')
    .map(([name, , size]) => `${name} ${readOf(name).toLocaleString('en')} of its ${size.toLocaleString('en')} bytes`);
  // A child's CPU time comes in clock ticks of 10 ms.
  const cpuNote = (t: Timed, ticks = true) => `${fmtMs(t.wall)} (CPU ${ticks && t.cpu < 10 ? '< 10 ms' : fmtMs(t.cpu)})`;
  const reread = ['header', 'XML'].filter((name) => readOf(name) > 0);
  const ranges = listed.stats.ranges ?? [];
  const unique = ranges.reduce((n, [, length]) => n + length, 0);
  const wimSize = extents.reduce((n, e) => n + e.length, 0);
  const rangeList =
    ranges.length <= 8
      ? ` The ranges read, as offsets in the ${wimSize.toLocaleString('en')}-byte WIM: ${ranges
          .map(([at, length]) => {
            const o = inFile(extents, at);
            return o === null ? `${length.toLocaleString('en')} bytes outside it` : `${length.toLocaleString('en')} at ${o.toLocaleString('en')}`;
          })
          .join(', ')}.`
      : '';
  return [
    `### Listing one edition: ${c.label}`,
    '',
    `isoscope is given the disc; wimlib-imagex and 7-Zip cannot list a WIM inside a disc image, so they are given its install.wim extracted first (\`7zz e\`: ${fmtMs(c.extractMs)}, not counted below). The disc was identified first by ${fmtBytes(facts.ident.bytesRead)} in ${facts.ident.reads} reads. Best of 5, interleaved; CPU time beside wall time.`,
    '',
    '| tool, given | entries listed | bytes read | time |',
    '|---|---|---|---|',
    `| isoscope, openDisc + \`disc.tree('${id}')\` (in process, the disc) | ${listed.files.length.toLocaleString('en')} | ${fmtBytes(listed.stats.bytesRead)} in ${listed.stats.reads} reads (the listing request's own) | ${cpuNote(core, false)} |`,
    `| isoscope CLI process, \`--wim-files --json\` (the disc; every edition: ${facts.editions} here; node start-up included) | ${cliEntries.toLocaleString('en')} | ${fmtBytes(strCli.bytes)} of the disc in ${strCli.reads} reads (strace; identification included) | ${cpuNote(cli)} |`,
    `| \`wimlib-imagex dir install.wim 1\` (the WIM) | ${wimlibLines.toLocaleString('en')} | ${fmtBytes(strWimlib.bytes)} of the WIM in ${strWimlib.reads} reads (strace)${strWimlib.mapped ? ', and mapped it' : ''} | ${cpuNote(wimlibDir)} |`,
    `| \`7zz l install.wim\` (the WIM; every image, ${facts.editions} here) | ${sevenEntries.toLocaleString('en')} | ${fmtBytes(str7z.bytes)} of the WIM in ${str7z.reads} reads (strace)${str7z.mapped ? ', and mapped it' : ''} | ${cpuNote(sevenZip)} |`,
    '',
    `Where the listing's reads fell (wimlib-imagex info --header and --blobs): ${regionRows.join('; ')}; outside them ${readOf('elsewhere').toLocaleString('en')} bytes. Blob table ${layout.blobTable.toLocaleString('en')} + edition 1's metadata resource ${metaSize.toLocaleString('en')} = ${(layout.blobTable + metaSize).toLocaleString('en')} bytes; the listing read ${listed.stats.bytesRead.toLocaleString('en')} (${times(listed.stats.bytesRead, layout.blobTable + metaSize)})${reread.length ? `, with the WIM's ${reread.join(' and ')} again (identification had read them)` : ''}${listed.stats.bytesRead > unique ? `, ${(listed.stats.bytesRead - unique).toLocaleString('en')} bytes of it twice` : ''}.${rangeList}`,
    '',
  ];
}

/**
 * The stream check as disc.verifyStreams makes it (core/verify-streams.ts on
 * the install.wim's bytes on the disc), but with WIM_BUDGET's entry limits:
 * disc.verifyStreams gives the check DATA_BUDGET, whose 20,000 entries stop
 * the reading of any larger image's metadata.
 */
async function verifyWithWimBudget(iso: string, extents: Extents): Promise<StreamCheck> {
  const src = await NodeFileSource.open(iso);
  try {
    const request = new Request({ ...DATA_BUDGET, entries: WIM_BUDGET.entries, outputEntries: WIM_BUDGET.outputEntries });
    const image = SharedImage.of(src).view(request);
    const wim = fileData(image, { size: extents.reduce((n, e) => n + e.length, 0), modified: null, extents }, 'install.wim');
    const archive = await WimArchive.open(wim, request.log);
    return await verifyStreams(archive, wim, '/sources/install.wim', nodeHashers, request.log);
  } finally {
    await src.close();
  }
}

export async function verifyRows(c: DiscCase): Promise<string[]> {
  const extents = await installExtents(c.iso);
  // First, as the disc and the CLI make it.
  let t0 = performance.now();
  const viaDisc = (await opened(c.iso, (d) => d.verifyStreams(nodeHashers))).wimStreams!;
  const discMs = performance.now() - t0;
  t0 = performance.now();
  const cliRun = spawnSync(process.execPath, [CLI, c.iso, '--verify-wim=full', '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const cliMs = performance.now() - t0;
  const cliStreams = (JSON.parse(cliRun.stdout) as { wimStreams?: StreamCheck }).wimStreams;
  const discOk = viaDisc.ok && cliRun.status === 0;
  const ws = discOk ? viaDisc : await verifyWithWimBudget(c.iso, extents);
  if (!ws.ok) throw new Error(`${c.iso}: the stream check failed: ${JSON.stringify(ws.damaged.slice(0, 3))}`);
  const wimlibOut = run('wimlib-imagex', ['verify', c.wim]).stdout.toString('utf8');
  const [core, cli, wimlib] = await interleaved(3, [
    async () => {
      const c0 = ownCpu(),
        w0 = performance.now();
      const r = discOk ? (await opened(c.iso, (d) => d.verifyStreams(nodeHashers))).wimStreams! : await verifyWithWimBudget(c.iso, extents);
      if (!r.ok) throw new Error('a stream check failed');
      return { wall: performance.now() - w0, cpu: ownCpu() - c0 };
    },
    discOk ? proc(process.execPath, [CLI, c.iso, '--verify-wim=full', '--json']) : () => ({ wall: NaN, cpu: NaN }),
    proc('wimlib-imagex', ['verify', c.wim]),
  ] as const);
  const rate = (t: Timed) => `${fmtMs(t.wall)}: ${fmtMbs(mbs(ws.bytes, t.wall))} (CPU ${fmtMs(t.cpu)}: ${fmtMbs(mbs(ws.bytes, t.cpu))})`;
  const failed = (r: StreamCheck | undefined) =>
    r?.ok ? 'passed' : `**fails**: ${r ? `${r.damaged.length} streams listed as damaged, the first: ${r.damaged[0]?.reason}` : 'no result'}`;
  return [
    `### Every stream checked: ${c.label}`,
    '',
    `${ws.blobs.toLocaleString('en')} blobs, ${(ws.bytes / 1e6).toFixed(0)} MB uncompressed, ${(statSync(c.wim).size / 1e6).toFixed(0)} MB stored; every one decompressed and hashed (SHA-1) by each tool; MB/s of uncompressed data. Best of 3, interleaved. wimlib-imagex verify ends: \`${wimlibOut
      .trim()
      .split('\n')
      .pop()!
      .replace(/"[^"]*"/, 'install.wim')}\`.`,
    '',
    "| what | time: MB/s (CPU time: MB/s) | speed ÷ wimlib-imagex verify's (wall; CPU) |",
    '|---|---|---|',
    discOk
      ? `| isoscope, \`disc.verifyStreams\` (in process, the disc) | ${rate(core)} | ${times(wimlib.wall, core.wall)}; ${times(wimlib.cpu, core.cpu)} |`
      : `| isoscope, \`disc.verifyStreams\` (in process, the disc) | ${failed(viaDisc)}, after ${fmtMs(discMs)} | |`,
    discOk
      ? `| isoscope CLI process, \`--verify-wim=full\` (the disc) | ${rate(cli)} | ${times(wimlib.wall, cli.wall)}; ${times(wimlib.cpu, cli.cpu)} |`
      : `| isoscope CLI process, \`--verify-wim=full\` (the disc) | exit ${cliRun.status}: ${failed(cliStreams)}, after ${fmtMs(cliMs)} | |`,
    ...(discOk
      ? []
      : [
          `| isoscope, the same check (core/verify-streams.ts on the disc's install.wim) with WIM_BUDGET's entry limit instead of DATA_BUDGET's 20,000 | ${rate(core)} | ${times(wimlib.wall, core.wall)}; ${times(wimlib.cpu, core.cpu)} |`,
        ]),
    `| \`wimlib-imagex verify install.wim\` (the WIM) | ${rate(wimlib)} | 1 |`,
    '',
  ];
}

/** The 57,000-entry Windows-like tree captured by wimlib (LZX), on a disc. */
function windowsLikeDisc(dir: string): DiscCase & { tree: ReturnType<typeof makeWindowsLikeTree> } {
  console.log('  making the Windows-like tree and capturing it (wimlib-imagex capture --compress=LZX)…');
  const root = join(dir, 'tree');
  const tree = makeWindowsLikeTree(root, ROOT);
  const disc = join(dir, 'disc');
  mkdirSync(join(disc, 'sources'), { recursive: true });
  const wim = join(disc, 'sources/install.wim');
  const props = [
    ['WINDOWS/EDITIONID', 'Professional'],
    ['WINDOWS/ARCH', '9'],
    ['WINDOWS/VERSION/MAJOR', '6'],
    ['WINDOWS/VERSION/MINOR', '1'],
    ['WINDOWS/VERSION/BUILD', '7601'],
    ['WINDOWS/LANGUAGES/LANGUAGE', 'en-US'],
    ['WINDOWS/LANGUAGES/DEFAULT', 'en-US'],
  ].flatMap(([k, v]) => ['--image-property', `${k}=${v}`]);
  execFileSync('wimlib-imagex', ['capture', root, wim, 'Windows 7 PROFESSIONAL', '--compress=LZX', ...props], { stdio: 'ignore' });
  rmSync(root, { recursive: true, force: true });
  const iso = join(dir, 'windows-like.iso');
  execFileSync('genisoimage', ['-quiet', '-udf', '-allow-limited-size', '-V', 'GRMCPRXFRER_EN_DVD', '-o', iso, disc], { stdio: 'ignore' });
  rmSync(disc, { recursive: true, force: true });
  const extracted = join(dir, 'extracted');
  const t = run('7zz', ['e', '-y', `-o${extracted}`, iso, 'sources/install.wim']);
  return { label: '', iso, wim: join(extracted, 'install.wim'), extractMs: t.wall, tree };
}

// ---------------------------------------------------------------- the section

export interface WimBench {
  browser: Browser;
  scratch: string;
  /** The bench's ~6 GB Windows-like image when the caller made it already (else it is made here, and removed). */
  big?: BigWindowsImage;
}

export async function wimRows({ browser, scratch, big }: WimBench): Promise<string[]> {
  freshCli();
  const dir = join(scratch, 'wim');
  mkdirSync(dir, { recursive: true });
  const rows: string[] = [`## Inside install.wim (#22): decoders, listing an edition, every stream checked`, ''];

  // 4 first: identification, on images no WIM request has touched yet.
  const ownBig = !big;
  if (!big) console.log('WIM: making the ~6 GB image…');
  big ??= makeBigWindowsImage();
  const ident = await opened(big.iso, async (d) => ({ ...d.stats }));

  console.log('WIM: decoder throughput…');
  const dec = await decoderRows(browser, dir);
  const likeDisc = windowsLikeDisc(dir);
  const likeIdent = await opened(likeDisc.iso, async (d) => ({ ...d.stats }));

  rows.push(
    '### Decoder throughput',
    '',
    `Chunks written by wimlib's own compressor (its default level), decoded by each: ours in Node, ours in a Chromium Web Worker (bench/wim-worker.ts: the same loop, timed inside the worker), wimlib's decompressor in one thread (tests/tools/wimlib-chunks.c, \`wimlib_decompress\` per chunk; a chunk stored raw is copied, in all three). Data: ${dec.what} (32 MiB); and 8 MiB of random bytes (wimlib stores chunks that do not shrink raw, so those rows are copies). Each run decodes every chunk over about ${TARGET_MS} ms; best of 5 rounds, the three interleaved. MB/s of uncompressed output; CPU: the decoding thread's (Node: the process's; the worker: its thread's; wimlib: the child process's, less a run of no pass). Goal (#22 §1): the browser at ≥ 0.5× wimlib's single-thread throughput.`,
    '',
    '| decoder | data | stored (raw chunks) | Node: wall (CPU) | browser worker: wall (CPU) | wimlib, one thread: wall (CPU) | browser ÷ wimlib: wall; CPU | goal ≥ 0.5× |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const r of dec.rows) {
    const pair = (t: Timed) => `${fmtMbs(mbs(r.bytes, t.wall))} (${fmtMbs(mbs(r.bytes, t.cpu))})`;
    const wall = r.wimlib.wall / r.browser.wall,
      cpu = r.wimlib.cpu / r.browser.cpu;
    const verdict =
      (wall >= 0.5 && cpu >= 0.5 ? 'met' : wall < 0.5 && cpu < 0.5 ? '**not met**' : `met by ${wall >= 0.5 ? 'wall' : 'CPU'} time only`) +
      (r.raw === r.chunks ? ' (copies)' : '');
    rows.push(
      `| ${r.label} | ${r.data} | ${fmtBytes(r.stored)} (${r.raw} of ${r.chunks}) | ${pair(r.node)} | ${pair(r.browser)} | ${pair(r.wimlib)} | ${wall.toFixed(2)}×; ${Number.isFinite(cpu) ? cpu.toFixed(2) + '×' : 'n/a'} | ${verdict} |`,
    );
  }
  rows.push('');

  /** A part that fails says so in its place; the rest still runs. */
  const attempt = async (title: string, part: () => Promise<string[]>): Promise<string[]> => {
    try {
      return await part();
    } catch (e) {
      console.error(e);
      return [`### ${title}`, '', `**Failed**: ${(e as Error).message.split('\n')[0]}`, ''];
    }
  };

  console.log('WIM: listing one edition…');
  const bigExtract = run('7zz', ['e', '-y', `-o${join(dir, 'big')}`, big.iso, 'sources/install.wim']).wall;
  rmSync(join(dir, 'big'), { recursive: true, force: true });
  rows.push(
    ...(await attempt("Listing one edition: the bench's image", () =>
      listingRows(
        {
          label: `the bench's ${(statSync(big.iso).size / 1e9).toFixed(1)} GB Windows-like image (install.wim of ${(statSync(big.wim).size / 1e9).toFixed(2)} GB, uncompressed, 2 editions of one 1.3 GB file each, captured by wimlib)`,
          iso: big.iso,
          wim: big.wim,
          extractMs: bigExtract,
        },
        dir,
      ),
    )),
  );
  const t = likeDisc.tree;
  const likeLabel = `a Windows-like tree of ${(t.files + t.dirs).toLocaleString('en')} entries (${t.files.toLocaleString('en')} files, ${(t.bytes / 1e6).toFixed(0)} MB: shared libraries as System32, /usr/share as WinSxS components, headers, Python, node_modules) captured by wimlib (LZX, 32 KiB chunks) on a ${(statSync(likeDisc.iso).size / 1e6).toFixed(0)} MB disc`;
  rows.push(...(await attempt('Listing one edition: the Windows-like disc', () => listingRows({ ...likeDisc, label: likeLabel }, dir))));

  console.log('WIM: every stream checked…');
  rows.push(...(await attempt('Every stream checked: the Windows-like disc', () => verifyRows({ ...likeDisc, label: likeLabel }))));

  // 4 again, after everything else: nothing a WIM request did may change what identification reads.
  const identAfter = await opened(big.iso, async (d) => ({ ...d.stats }));
  rows.push(
    '### Identification without --wim-files',
    '',
    `A fresh openDisc of each image, before and after every WIM request above (the same in both: no WIM work leaks into identification); and the figure recorded before #22's readers (bench/RESULTS.md of 2026-11-30: ${IDENT_BEFORE.kib} KiB in ${IDENT_BEFORE.reads} reads).`,
    '',
    '| image | bytes read | reads | before the WIM requests | same after them | against 2026-11-30 |',
    '|---|---|---|---|---|---|',
    `| the bench's ${(statSync(big.iso).size / 1e9).toFixed(1)} GB image | ${fmtBytes(identAfter.bytesRead)} | ${identAfter.reads} | ${fmtBytes(ident.bytesRead)} in ${ident.reads} reads | ${identAfter.bytesRead === ident.bytesRead && identAfter.reads === ident.reads ? 'yes' : 'NO'} | ${fmtBytes(identAfter.bytesRead) === `${IDENT_BEFORE.kib} KiB` && identAfter.reads === IDENT_BEFORE.reads ? 'unchanged' : `${times(identAfter.bytesRead, IDENT_BEFORE.kib * 1024)} the bytes, ${identAfter.reads} reads instead of ${IDENT_BEFORE.reads}`} |`,
    `| the Windows-like disc above (${(statSync(likeDisc.iso).size / 1e6).toFixed(0)} MB) | ${fmtBytes(likeIdent.bytesRead)} | ${likeIdent.reads} | (measured before listing it) | | |`,
    '',
  );
  if (ownBig) rmSync(big.dir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  return rows;
}
