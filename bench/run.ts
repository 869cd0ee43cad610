/**
 * `npm run bench`: isoscope against the tools people would use instead, in
 * one run on this machine. Writes bench/RESULTS.md and prints it. Never part
 * of `npm test`; it asserts nothing.
 *
 * `npm run bench -- wim`: only the part about reading inside install.wim
 * (bench/wim.ts: decoders, listing an edition, every stream checked),
 * which replaces that part of bench/RESULTS.md and leaves the rest as it was.
 *
 * Either way the part measured by hand (BY_HAND: figures behind choices in
 * the code) is kept as it is, at the end.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  writeSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright';
import { inspect } from '../workers/core/disc.ts';
import { NodeFileSource } from '../workers/io/node-source.ts';
import { HASH_ALGORITHMS, hashSource, type HashAlgorithm } from '../workers/hash/hashers.ts';
import { build } from 'vite';
import { nodeHashSet } from '../workers/hash/node-hashers.ts';
import { makeBigWindowsImage } from '../tests/helpers/big-windows.ts';
import { serveStatic } from '../tests/helpers/static-server.ts';
import { wimRows } from './wim.ts';
import type { Report } from '../workers/report/types.ts';

const ROOT = resolve(import.meta.dirname, '..');
const GiB = 1024 ** 3,
  MiB = 1024 ** 2;
const rows: string[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'isoscope-bench-'));

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}
/** Best of n rounds of several runs taken in turn, so that each sees the same drift of a shared machine. */
async function interleaved<const R extends readonly (() => Promise<number> | number)[]>(n: number, runs: R): Promise<{ [K in keyof R]: number }> {
  const m = runs.map(() => Infinity);
  for (let i = 0; i < n; i++) for (const [k, run] of runs.entries()) m[k] = Math.min(m[k]!, await run());
  return m as { [K in keyof R]: number };
}

/** bench/in-memory.ts bundled into a blank Chromium page: best MB/s of each contender on 256 MiB in memory. */
async function hashInMemory(browser: Browser): Promise<Record<string, number>> {
  const built = (await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry: join(ROOT, 'bench/in-memory.ts'), formats: ['iife'], name: 'isoscopeBench' } },
  })) as { output: { code: string }[] } | { output: { code: string }[] }[];
  const code = (Array.isArray(built) ? built[0]! : built).output[0]!.code;
  const page = await browser.newPage();
  await page.addScriptTag({ content: code });
  // A string, not a function: tsx's name-keeping helpers do not exist in the page.
  const result = await page.evaluate<Record<string, number>>('isoscopeBench.throughput(Object.keys(isoscopeBench.CONTENDERS), 256, 5)');
  await page.close();
  return result;
}

/** Best of n runs (the machine is shared; the minimum is the least disturbed). */
async function best(n: number, fn: () => Promise<number> | number): Promise<number> {
  return (await interleaved(n, [fn]))[0];
}
const sh = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr.toString()}`);
};
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0)) + ' ms';
const kib = (x: number) => (x / 1024).toFixed(1) + ' KiB';
const vsTarget = (value: number, target: number) =>
  value <= 0 ? 'no growth' : value <= target ? `${ratio(target, value)} under` : `${ratio(value, target)} over`;
const ratio = (slow: number, fast: number) => (slow / fast >= 10 ? (slow / fast).toFixed(0) : (slow / fast).toFixed(2)) + '×';

async function inspectFile(path: string) {
  const src = await NodeFileSource.open(path);
  try {
    return await inspect(src);
  } finally {
    await src.close();
  }
}

const launchBrowser = () =>
  chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--enable-precise-memory-info',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
    ],
  });

async function launch(): Promise<{ browser: Browser; server: Awaited<ReturnType<typeof serveStatic>> }> {
  const env = { ...process.env };
  delete env.VITEST;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: ROOT, env, stdio: 'inherit' });
  const server = await serveStatic(join(ROOT, 'dist'));
  return { browser: await launchBrowser(), server };
}

/** Inspection time as the worker measured it (stats.ms), read from the app's report. */
async function browserInspect(page: Page, path: string): Promise<{ ms: number; bytes: string }> {
  await page.reload();
  await page.getByLabel('Choose a disc image').setInputFiles(path);
  const stats = await page.locator('.stats').textContent({ timeout: 60_000 });
  const m = stats!.match(/Read (.*?) in (\d+) reads? from this .* file, ([\d.]+) ms/)!;
  return { bytes: m[1]!, ms: Number(m[3]) };
}

/**
 * Editions on screen, as the user sees them: from the file input's change
 * event to the Windows summary in the DOM, timed in the page (a
 * MutationObserver), after the page has warmed its worker and views and sat
 * idle 1.5 s (#25 §4's protocol); with the worker's own inspection time of
 * that run (the report's stats line).
 */
async function warmRun(page: Page, path: string): Promise<{ shown: number; worker: number }> {
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.warm === 'done', null, { polling: 50 });
  await new Promise((r) => setTimeout(r, 1500));
  await page.evaluate(`window.__shown = new Promise((resolve) => {
    const input = document.querySelector('input[aria-label="Choose a disc image"]');
    input.addEventListener('change', () => {
      const t0 = performance.now();
      const mo = new MutationObserver(() => {
        if (document.querySelector('[data-testid=windows-summary]')) { mo.disconnect(); resolve(performance.now() - t0); }
      });
      mo.observe(document.body, { childList: true, subtree: true });
    }, { once: true, capture: true });
  }); 0`); // the statement's value is 0, not the promise (evaluate would wait for it)
  await page.getByLabel('Choose a disc image').setInputFiles(path);
  const shown = Number(await page.evaluate('window.__shown'));
  const stats = await page.locator('.stats').first().textContent({ timeout: 60_000 });
  return { shown, worker: Number(stats?.match(/([\d.]+) ms/)?.[1] ?? NaN) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * A folder of `count` small Windows-like images (hard links of one fixture, page-cached) scanned by the app: choice
 * to "N of N" in the folder status, the page's long tasks (over 50 ms) and its JS heap sampled meanwhile; and the CLI
 * on the same folder in one process.
 */
async function folderScan(
  browser: Browser,
  url: string,
  count: number,
): Promise<{ appMs: number; cliMs: number; longTasks: number; longest: number; heapPeak: number; bytes: number }> {
  const src = join(ROOT, 'tests/fixtures/win7-pro-x64.iso');
  const dir = join(scratch, 'folder');
  mkdirSync(dir);
  for (let i = 0; i < count; i++) linkSync(src, join(dir, `image-${String(i).padStart(4, '0')}.iso`));
  execFileSync('cat', [src], { stdio: ['ignore', 'ignore', 'ignore'] });
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.warm === 'done', null, { polling: 50 });
  await new Promise((r) => setTimeout(r, 1500));
  await page.evaluate(
    `window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' }); 0`,
  );
  let heapPeak = 0;
  const t0 = Date.now();
  await page.getByLabel('Choose a folder of images').setInputFiles(dir);
  const done = new RegExp(`\\b${count} of ${count}\\b|\\b${count} images\\b`);
  for (;;) {
    heapPeak = Math.max(heapPeak, await page.evaluate<number>('performance.memory.usedJSHeapSize'));
    if (done.test((await page.getByTestId('folder-status').textContent()) ?? '')) break;
    if (Date.now() - t0 > 600_000) throw new Error('the folder scan did not finish in 10 minutes');
    await new Promise((r) => setTimeout(r, 100));
  }
  const appMs = Date.now() - t0;
  const long = await page.evaluate<number[]>('window.__long');
  await page.close();
  const cliMs = await best(3, () => time(() => sh(process.execPath, [join(ROOT, 'workers/cli/bin.cjs'), dir, '--json'])));
  rmSync(dir, { recursive: true, force: true });
  return { appMs, cliMs, longTasks: long.length, longest: Math.max(0, ...long), heapPeak, bytes: statSync(src).size };
}

/** A child process that does not block this one (the bench's own HTTP server answers it). */
function shAsync(cmd: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  const t0 = performance.now();
  return new Promise((done, fail) =>
    execFile(cmd, args, { maxBuffer: 256 * MiB, encoding: 'utf8' }, (e, stdout) =>
      e && !stdout ? fail(new Error(e.message, { cause: e })) : done({ ms: performance.now() - t0, stdout }),
    ),
  );
}

/** A loopback server answering range requests for one file, as a web server would. */
async function rangeServer(path: string): Promise<{ url: string; close(): Promise<void> }> {
  const size = statSync(path).size;
  const server = createServer((req, res) => {
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (!m) return void res.writeHead(416).end();
    const start = Number(m[1]);
    const end = Math.min(size - 1, m[2] ? Number(m[2]) : size - 1);
    res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': end - start + 1, etag: '"bench"' });
    createReadStream(path, { start, end }).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/image.iso`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Resident memory of Chromium's renderer processes (the page and its workers live there), in bytes. */
function rendererRss(): number {
  const r = spawnSync('pgrep', ['-f', '--', '--type=renderer'], { encoding: 'utf8' });
  let sum = 0;
  for (const pid of r.stdout.split('\n').filter(Boolean)) {
    try {
      const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
      if (m) sum += Number(m[1]) * 1024;
    } catch {
      // the process ended between pgrep and the read
    }
  }
  return sum;
}

/** CPU time so far (ms) of every thread of every Chromium process, keyed "process type:pid:tid:thread name". */
function chromiumThreadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!/chrom/.test(readFileSync(`/proc/${pid}/comm`, 'utf8'))) continue;
      const type = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // proc(5): utime and stime, fields 14 and 15, in clock ticks (100 per second).
        out.set(`${type}:${pid}:${tid}:${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}`, (Number(fields[11]) + Number(fields[12])) * 10);
      }
    } catch {
      // the process or thread ended while being read
    }
  }
  return out;
}

/**
 * Runs `fn` while sampling every thread's CPU time every 100 ms (worker
 * threads vanish when terminated, so the last sample of each counts), and
 * sorts the time into hashing lanes (the busiest worker threads), the
 * reading thread (the next one), Chromium's I/O threads and the rest.
 */
async function cpuByRole(lanes: number, fn: () => Promise<number>): Promise<{ wall: number; lanes: number[]; reader: number; io: number; other: number }> {
  const before = chromiumThreadCpu();
  const last = new Map<string, number>();
  const sample = () => chromiumThreadCpu().forEach((v, k) => last.set(k, v - (before.get(k) ?? 0)));
  const timer = setInterval(sample, 100);
  const wall = await fn();
  clearInterval(timer);
  sample();
  const workers = [...last]
    .filter(([k]) => k.endsWith(':DedicatedWorker'))
    .map(([, v]) => v)
    .sort((a, b) => b - a);
  const io = [...last].filter(([k]) => /IOThread|ChildIOT|ThreadPoolForeg/.test(k)).reduce((n, [, v]) => n + v, 0);
  const all = [...last.values()].reduce((n, v) => n + v, 0);
  const reader = workers[lanes] ?? 0;
  return { wall, lanes: workers.slice(0, lanes), reader, io, other: all - io - reader - workers.slice(0, lanes).reduce((n, v) => n + v, 0) };
}

/** Choose `path` in the app and tick exactly `algorithms`, ready for "Compute hashes". */
async function readyToHash(page: Page, path: string, algorithms: HashAlgorithm[]): Promise<void> {
  await page.getByLabel('Choose a disc image').setInputFiles(path);
  await page.getByRole('button', { name: 'Compute hashes' }).waitFor();
  for (const a of HASH_ALGORITHMS) {
    const box = page.getByRole('checkbox', { name: a.toUpperCase(), exact: true });
    if ((await box.isChecked()) !== algorithms.includes(a)) await box.click();
  }
}

/**
 * Clicks "Compute hashes" and returns the milliseconds, measured in the page,
 * from the click event to the moment every digest is in the DOM (a
 * MutationObserver): Playwright's own waiting polls, and would add up to
 * half a second to a five-second run.
 */
async function clickToDigests(page: Page, algorithms: HashAlgorithm[]): Promise<number> {
  // A string, not a function: tsx's name-keeping helpers (__name) do not exist in the page.
  await page.evaluate(`window.clickToDigests = new Promise((done, fail) => {
    const ids = ${JSON.stringify(algorithms)};
    setTimeout(() => fail(new Error('no digests 120 s after the click')), 120000);
    // On the document, not the button: the app may render the button anew between this and the click.
    function onClick(e) {
      if (e.target.closest('button')?.textContent?.trim() !== 'Compute hashes') return;
      document.removeEventListener('click', onClick, true);
      const t0 = performance.now();
      const observer = new MutationObserver(() => {
        if (!ids.every((a) => document.querySelector('[data-testid="hash-' + a + '"]')?.textContent)) return;
        observer.disconnect();
        done(performance.now() - t0);
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    }
    document.addEventListener('click', onClick, true);
  }), undefined`);
  await page.getByRole('button', { name: 'Compute hashes' }).click();
  return await page.evaluate<number>('window.clickToDigests');
}

/**
 * Hash `path` (SHA-256) in the app and sample, every 200 ms, the V8 heap of
 * each worker (CDP Runtime.getHeapUsage through auto-attached worker
 * sessions) and the renderers' resident memory, which also counts
 * ArrayBuffers and WebAssembly memory outside the JS heap.
 */
async function browserHashMemory(
  browser: Browser,
  url: string,
  path: string,
): Promise<{ heapPeak: number; rssGrowth: number; ms: number; stalled: string | null }> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(url);
  const cdp = await ctx.newCDPSession(page);
  const workers = new Set<string>();
  const waiting = new Map<number, (v: { usedSize: number } | null) => void>();
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (e) => void workers.add(e.sessionId));
  cdp.on('Target.detachedFromTarget', (e) => void workers.delete(e.sessionId));
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message) as { id: number; result?: { usedSize: number } };
    waiting.get(m.id)?.(m.result ?? null);
    waiting.delete(m.id);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const heapOf = (sessionId: string) =>
    new Promise<{ usedSize: number } | null>((ok) => {
      const id = nextId++;
      waiting.set(id, ok);
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) }).catch(() => ok(null));
      setTimeout(() => ok(null), 1000);
    });
  await readyToHash(page, path, ['sha256']);
  const base = rendererRss();
  let heapPeak = 0,
    rssPeak = base;
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Compute hashes' }).click();
  while (!(await page.$('[data-testid=hash-sha256]'))) {
    if (Date.now() - t0 > 180_000) {
      // Recorded, not thrown: the rest of the bench still runs, and the row says what happened.
      const stalled = await page
        .locator('.progress span')
        .textContent({ timeout: 1000 })
        .catch(() => 'no progress shown');
      await ctx.close();
      return { heapPeak, rssGrowth: rssPeak - base, ms: NaN, stalled };
    }
    for (const s of [...workers]) heapPeak = Math.max(heapPeak, (await heapOf(s))?.usedSize ?? 0);
    rssPeak = Math.max(rssPeak, rendererRss());
    await new Promise((r) => setTimeout(r, 200));
  }
  const ms = Date.now() - t0;
  await ctx.close();
  return { heapPeak, rssGrowth: rssPeak - base, ms, stalled: null };
}

async function main() {
  const { browser, server } = await launch();
  const page = await browser.newPage();
  await page.goto(server.url);

  // 1. Identification of a ~6 GB Windows-like image.
  console.log('making the ~6 GB image…');
  const big = makeBigWindowsImage();
  const size = statSync(big.iso).size;
  const r = await inspectFile(big.iso);
  const cliOwn = await best(5, async () => (await inspectFile(big.iso)).stats.ms);
  // The CLI process against a bare Node start, interleaved (this machine drifts): issue #15's goal is ≤ 1.5×.
  sh(process.execPath, [join(ROOT, 'workers/cli/bin.cjs'), big.iso, '--json']); // writes the code cache, as a first run does
  const [nodeBare, cliProcess] = await interleaved(15, [
    () => time(() => sh(process.execPath, ['-e', '0'])),
    () => time(() => sh(process.execPath, [join(ROOT, 'workers/cli/bin.cjs'), big.iso, '--json'])),
  ] as const);
  const inBrowser = await best(3, async () => (await browserInspect(page, big.iso)).ms);
  const warm: { shown: number; worker: number }[] = [];
  for (let i = 0; i < 5; i++) warm.push(await warmRun(page, big.iso));
  const onScreen = median(warm.map((w) => w.shown));
  const workerWarm = median(warm.map((w) => w.worker));
  const folder = await folderScan(browser, server.url, 1000);
  // A URL: the same image behind a loopback range server.
  const served = await rangeServer(big.iso);
  const viaUrl = JSON.parse((await shAsync(process.execPath, [join(ROOT, 'workers/cli/bin.cjs'), served.url, '--json'])).stdout) as Report;
  // A URL's report always counts its requests and bytes (workers/cli/inspect-one.ts); 0 would show a failure plainly.
  const transferred = viaUrl.stats.bytesTransferred ?? 0;
  const urlMs = await best(5, async () => (await shAsync(process.execPath, [join(ROOT, 'workers/cli/bin.cjs'), served.url, '--json'])).ms);
  await served.close();
  // A batch: 100 names of the 6 GB image (hard links: each is "a few GB", all of them in the page cache), one process.
  const batchDir = join(scratch, 'batch');
  mkdirSync(batchDir);
  for (let i = 0; i < 100; i++) linkSync(big.iso, join(batchDir, `image-${String(i).padStart(3, '0')}.iso`));
  const batchMs = await best(3, () => time(() => sh(process.execPath, [join(ROOT, 'workers/cli/bin.cjs'), batchDir, '--json'])));
  const batchLines = execFileSync(process.execPath, [join(ROOT, 'workers/cli/bin.cjs'), batchDir, '--json'], { encoding: 'utf8', maxBuffer: 256 * MiB })
    .trim()
    .split('\n').length;
  rmSync(batchDir, { recursive: true, force: true });
  const peerExtract = await best(1, () => time(() => sh('7zz', ['e', '-y', `-o${scratch}`, big.iso, 'sources/install.wim'])));
  const peerInfo = await best(3, () => time(() => sh('wimlib-imagex', ['info', join(scratch, 'install.wim')])));
  rmSync(join(scratch, 'install.wim'), { force: true });
  const isoinfo = await best(3, () => time(() => sh('isoinfo', ['-d', '-i', big.iso])));
  const udfinfo = await best(3, () => time(() => sh('udfinfo', [big.iso])));
  rows.push(
    `## Identifying a ${(size / 1e9).toFixed(1)} GB Windows-like image (install.wim of 1.3 GB beyond 4 GiB, ${r.windows?.imageCount} editions)`,
    '',
    '| what | isoscope | peer | ratio |',
    '|---|---|---|---|',
    `| bytes read | ${kib(r.stats.bytesRead)} in ${r.stats.reads} reads | 7zz e install.wim: ${(1.36e9 / 1e9).toFixed(2)} GB extracted | ${ratio(1.363e9, r.stats.bytesRead)} less |`,
    `| time, CLI (inspect itself) | ${ms(cliOwn)} | 7zz e + wimlib-imagex info: ${ms(peerExtract + peerInfo)} | ${ratio(peerExtract + peerInfo, cliOwn)} faster |`,
    `| time, CLI process (node start-up included) | ${ms(cliProcess)} | 7zz e + wimlib-imagex info: ${ms(peerExtract + peerInfo)} | ${ratio(peerExtract + peerInfo, cliProcess)} faster |`,
    `| CLI process against Node's own start-up (\`node -e 0\`), interleaved, best of 15 | ${ms(cliProcess)} | node -e 0: ${ms(nodeBare)} | ${(cliProcess / nodeBare).toFixed(2)}× of a bare start (goal ≤ 1.5×) |`,
    `| time, browser worker (Chromium), **cold**: the file chosen right after a reload, best of 3 | ${ms(inBrowser)} | 7zz e + wimlib-imagex info: ${ms(peerExtract + peerInfo)} | ${ratio(peerExtract + peerInfo, inBrowser)} faster |`,
    `| worker inspection, **warm** (the report's own time; page warmed and idle 1.5 s), median of 5 (runs: ${warm.map((w) => w.worker).join(', ')} ms) | ${ms(workerWarm)} | goal: 20 ms | ${vsTarget(workerWarm, 20)} |`,
    `| editions on screen after the file is chosen (change event to the summary in the DOM, timed in the page; warm, as above), median of 5 (runs: ${warm.map((w) => w.shown.toFixed(1)).join(', ')} ms) | ${ms(onScreen)} | goal: 20 ms | ${vsTarget(onScreen, 20)} |`,
    `| a folder of 1,000 small Windows-like images (${(folder.bytes / 1e6).toFixed(2)} MB each, hard links, page-cached) in the app: choice to "1000 of 1000" | ${ms(folder.appMs)}: ${(1000 / (folder.appMs / 1000)).toFixed(0)} images/s; page JS heap peak ${(folder.heapPeak / MiB).toFixed(0)} MiB; ${folder.longTasks} long tasks (longest ${folder.longest.toFixed(0)} ms) | the CLI on the same folder, one process: ${ms(folder.cliMs)} (${(1000 / (folder.cliMs / 1000)).toFixed(0)} images/s) | goal ≥ 200 images/s: ${1000 / (folder.appMs / 1000) >= 200 ? 'met' : '**not met**'} |`,
    `| by URL through a loopback range server (CLI process, best of 5) | ${ms(urlMs)}: ${viaUrl.stats.requests} requests, ${kib(transferred)} transferred | downloading the image: ${(size / 1e9).toFixed(1)} GB | ${ratio(size, transferred)} fewer bytes |`,
    `| a batch of 100 such images (hard links, page-cached) in one CLI process, best of 3 | ${ms(batchMs)} for ${batchLines} reports: ${(100 / (batchMs / 1000)).toFixed(0)} images/s | 7zz e + wimlib-imagex info, extrapolated from one image × 100: ${(((peerExtract + peerInfo) * 100) / 1000).toFixed(0)} s | ${ratio((peerExtract + peerInfo) * 100, batchMs)} faster |`,
    `| volume facts only, one process each | CLI process: ${ms(cliProcess)} (everything: volume, UDF, boot, Windows) | isoinfo -d: ${ms(isoinfo)} + udfinfo: ${ms(udfinfo)} (volume facts only) | ${ratio(isoinfo + udfinfo, cliProcess)} (Node's start-up dominates ours) |`,
    '',
  );
  // Inside install.wim (bench/wim.ts), on the same image while it exists; its rows go last.
  const wim = await wimRows({ browser, scratch, big });
  rmSync(big.dir, { recursive: true, force: true });

  // 2. Scaling: the same identification at 10 MB, 1 GB, 6 GB and 20 GB.
  rows.push(
    '## Scaling: identification cost against image size',
    '',
    '| image | bytes read | reads | CLI time | browser worker time |',
    '|---|---|---|---|---|',
  );
  for (const [label, pad, payload] of [
    ['10 MB', 4 * MiB, 4 * MiB],
    ['1 GB', 0.7 * GiB, 300 * MiB],
    ['6 GB', 4.5 * GiB, 1300 * MiB],
    ['20 GB', 18.5 * GiB, 1300 * MiB],
  ] as const) {
    console.log(`making the ${label} image…`);
    const img = makeBigWindowsImage({ padBytes: Math.round(pad), wimPayloadBytes: Math.round(payload) });
    const rr = await inspectFile(img.iso);
    const t = await best(5, async () => (await inspectFile(img.iso)).stats.ms);
    const b = await best(3, async () => (await browserInspect(page, img.iso)).ms);
    rows.push(`| ${label} (${(statSync(img.iso).size / 1e9).toFixed(2)} GB) | ${kib(rr.stats.bytesRead)} | ${rr.stats.reads} | ${ms(t)} | ${ms(b)} |`);
    rmSync(img.dir, { recursive: true, force: true });
  }
  rows.push('');

  // 3. Hashing a page-cached 1 GiB file.
  const file = join(scratch, 'hash.bin');
  writeFileSync(file, Buffer.alloc(16 * MiB, 0x5a));
  const chunk = readFileSync(file);
  writeFileSync(file, '');
  for (let i = 0; i < 64; i++)
    writeFileSync(
      file,
      chunk.map((x, j) => (x + i * 7 + j) & 0xff),
      { flag: 'a' },
    );
  // A disc at its start, as the files people hash are: the app shows its Verify panel at once.
  const disc = readFileSync(join(ROOT, 'tests/fixtures/plain.iso'));
  const fd = openSync(file, 'r+');
  writeSync(fd, disc, 0, disc.length, 0);
  closeSync(fd);
  const bytes = statSync(file).size;
  sh('cat', [file]); // page-cache it
  const mbs = (t: number) => `${(bytes / 1e6 / (t / 1000)).toFixed(0)} MB/s`;
  const cliHash = async (algos: HashAlgorithm[]) => {
    const src = await NodeFileSource.open(file);
    const t0 = performance.now();
    await hashSource(src, algos, nodeHashSet);
    await src.close();
    return performance.now() - t0;
  };
  // A fresh context per run: the app remembers hashes of a file it has seen and would show them at once.
  const browserHash = async (algos: HashAlgorithm[]) => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(server.url);
    await readyToHash(p, file, algos);
    const t = await clickToDigests(p, algos);
    await ctx.close();
    return t;
  };
  // Memory while the browser hashes a 6 GB (sparse) file.
  const six = join(scratch, 'six.bin');
  writeFileSync(six, readFileSync(join(ROOT, 'tests/fixtures/plain.iso')));
  truncateSync(six, 6e9);
  console.log('hashing 6 GB in the browser (memory)…');
  const mem = await browserHashMemory(browser, server.url, six);
  console.log('hashing 1 GiB, interleaved with sha256sum…');
  rmSync(six, { force: true });
  // The goals compare runs made side by side: alternate them, best of each (this machine drifts by ±15 %).
  const [sha256sum, br256, brAll] = await interleaved(5, [
    () => time(() => sh('sha256sum', [file])),
    () => browserHash(['sha256']),
    () => browserHash(['sha256', 'sha1', 'md5']),
  ]);
  const [sha1sum, br1, md5sum, brMd5] = await interleaved(2, [
    () => time(() => sh('sha1sum', [file])),
    () => browserHash(['sha1']),
    () => time(() => sh('md5sum', [file])),
    () => browserHash(['md5']),
  ]);
  const [openssl, cli256] = await interleaved(3, [() => time(() => sh('openssl', ['dgst', '-sha256', file])), () => cliHash(['sha256'])]);
  const cli1 = await best(3, () => cliHash(['sha1'])),
    cliMd5 = await best(3, () => cliHash(['md5'])),
    cliAll = await best(3, () => cliHash(['sha256', 'sha1', 'md5']));
  const threadCpu = await cpuByRole(2, () => browserHash(['sha256', 'sha1', 'md5']));
  const inMemory = await hashInMemory(browser);
  const mb = (x: number) => `${x.toFixed(0)} MB/s`;
  rows.push(
    `## Hashing a page-cached ${(bytes / GiB).toFixed(0)} GiB file`,
    '',
    '| what | isoscope | peer | ratio (peer time / isoscope time) |',
    '|---|---|---|---|',
    `| SHA-256, browser (generated WebAssembly, SIMD message schedule; one reading thread; click to digest, timed in the page) | ${mbs(br256)} | sha256sum: ${mbs(sha256sum)} | ${ratio(sha256sum, br256)} |`,
    `| SHA-256 + SHA-1 + MD5, browser (a ring of two lanes: SHA-256; SHA-1 + MD5 stitched) | ${ms(brAll)} | SHA-256 alone: ${ms(br256)} | ${(brAll / br256).toFixed(2)}× the time of SHA-256 alone |`,
    `| where the CPU went in one such run (per thread, from /proc) | hashing lanes ${ms(threadCpu.lanes[0] ?? 0)} and ${ms(threadCpu.lanes[1] ?? 0)}, reading thread ${ms(threadCpu.reader)}, Chromium's I/O threads ${ms(threadCpu.io)}, the rest ${ms(threadCpu.other)} | wall ${ms(threadCpu.wall)} | ${((threadCpu.lanes.reduce((n, v) => n + v, 0) + threadCpu.reader + threadCpu.io + threadCpu.other) / threadCpu.wall).toFixed(2)} of ${cpus().length} cores busy |`,
    `| SHA-1, browser | ${mbs(br1)} | sha1sum: ${mbs(sha1sum)} | ${ratio(sha1sum, br1)} |`,
    `| MD5, browser | ${mbs(brMd5)} | md5sum: ${mbs(md5sum)} | ${ratio(md5sum, brMd5)} |`,
    `| peak V8 heap of any worker while the browser hashes a 6 GB file (SHA-256, ${mem.stalled ? `the run stalled: the page showed "${mem.stalled}" after 180 s` : `${(6e9 / 1e6 / (mem.ms / 1000)).toFixed(0)} MB/s`}) | ${(mem.heapPeak / MiB).toFixed(1)} MiB | target < 64 MiB | ${vsTarget(mem.heapPeak, 64 * MiB)} |`,
    `| peak growth of Chromium's renderer memory over that run (RSS: every worker's heap, buffers, WebAssembly) | ${(mem.rssGrowth / MiB).toFixed(1)} MiB | the goal names the JS heap; shown for honesty | ${vsTarget(mem.rssGrowth, 64 * MiB)} 64 MiB |`,
    `| SHA-256, CLI (node:crypto) | ${mbs(cli256)} | openssl dgst -sha256: ${mbs(openssl)} | ${ratio(openssl, cli256)} |`,
    `| SHA-1, CLI | ${mbs(cli1)} | sha1sum: ${mbs(sha1sum)} | ${ratio(sha1sum, cli1)} |`,
    `| MD5, CLI | ${mbs(cliMd5)} | md5sum: ${mbs(md5sum)} | ${ratio(md5sum, cliMd5)} |`,
    `| SHA-256 + SHA-1 + MD5, CLI (one pass) | ${ms(cliAll)} | SHA-256 alone: ${ms(cli256)} | ${(cliAll / cli256).toFixed(2)}× |`,
    '',
    '### The hash functions alone, 256 MiB already in memory, in Chromium',
    '',
    '| what | ours (generated WebAssembly) | peer | ratio |',
    '|---|---|---|---|',
    `| SHA-256 | ${mb(inMemory['ours sha256']!)} | hash-wasm: ${mb(inMemory['hash-wasm sha256']!)} | ${ratio(inMemory['ours sha256']!, inMemory['hash-wasm sha256']!)} |`,
    `| SHA-1 | ${mb(inMemory['ours sha1']!)} | hash-wasm: ${mb(inMemory['hash-wasm sha1']!)} | ${ratio(inMemory['ours sha1']!, inMemory['hash-wasm sha1']!)} |`,
    `| MD5 | ${mb(inMemory['ours md5']!)} | hash-wasm: ${mb(inMemory['hash-wasm md5']!)} | ${ratio(inMemory['ours md5']!, inMemory['hash-wasm md5']!)} |`,
    `| SHA-1 + MD5 of the same bytes | stitched, one pass: ${mb(inMemory['ours sha1+md5 stitched']!)} | ours one after the other: ${mb(inMemory['ours sha1, then md5']!)} | ${ratio(inMemory['ours sha1+md5 stitched']!, inMemory['ours sha1, then md5']!)} |`,
    `| SHA-256, message schedule in SIMD | ${mb(inMemory['ours sha256']!)} | ours, scalar schedule: ${mb(inMemory['ours sha256, no SIMD']!)} | ${ratio(inMemory['ours sha256']!, inMemory['ours sha256, no SIMD']!)} |`,
    `| SHA-1, message schedule in SIMD | ${mb(inMemory['ours sha1']!)} | ours, scalar schedule: ${mb(inMemory['ours sha1, no SIMD']!)} | ${ratio(inMemory['ours sha1']!, inMemory['ours sha1, no SIMD']!)} |`,
    `| SHA-1 + MD5 stitched, SHA-1's schedule in SIMD | ${mb(inMemory['ours sha1+md5 stitched']!)} | ours, scalar schedule: ${mb(inMemory['ours sha1+md5 stitched, no SIMD']!)} | ${ratio(inMemory['ours sha1+md5 stitched']!, inMemory['ours sha1+md5 stitched, no SIMD']!)} |`,
    '',
  );

  // 4. App weight and first offline render.
  const assets = join(ROOT, 'dist/assets');
  const gz = (f: string) => gzipSync(readFileSync(join(assets, f))).length;
  const files = readdirSync(assets);
  const main = files.filter((f) => /^index-.*\.(js|css)$/.test(f)).reduce((n, f) => n + gz(f), 0);
  const workers = files.filter((f) => /worker/.test(f));
  const ctx = await browser.newContext();
  const p2 = await ctx.newPage();
  await p2.goto(server.url);
  // Strings, not functions: tsx's name-keeping helpers do not exist in the page.
  await p2.evaluate('navigator.serviceWorker.ready.then(() => true)');
  await p2.reload();
  await ctx.setOffline(true);
  const fcp = await best(3, async () => {
    await p2.reload();
    return await p2.evaluate<number>(`new Promise((ok) => {
      const find = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
      if (find() !== undefined) ok(find());
      else new PerformanceObserver(() => { if (find() !== undefined) ok(find()); }).observe({ type: 'paint', buffered: true });
    })`);
  });
  rows.push(
    '## App weight and offline start',
    '',
    '| what | figure | target |',
    '|---|---|---|',
    `| main bundle (JS + CSS, gzipped) | ${kib(main)} | < 60 KiB |`,
    ...workers.map(
      (f) =>
        `| ${f.replace(/\.worker-.*\.js$/, '.worker')} (gzipped${f.startsWith('hash') ? "; hash-wasm's WebAssembly embedded" : ''}) | ${kib(gz(f))} | loaded on demand |`,
    ),
    `| first contentful paint, offline from the service worker cache | ${ms(fcp)} | < 300 ms |`,
    '',
  );
  await browser.close();
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
  rows.push(...dated(wim, 'npm run bench'));

  const hand = byHand(readResults());
  const out = [
    '# isoscope benchmark',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` on ${machine()}. Best of several runs; images made at run time from sparse files (genisoimage -udf, wimlib-imagex).`,
    '',
    ...rows,
    ...(hand ? ['', hand] : []),
  ].join('\n');
  writeFileSync(RESULTS, out + '\n');
  console.log(out);
}

const machine = () =>
  `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / GiB).toFixed(0)} GiB RAM, Node ${process.version}, Debian's Chromium (headless)`;

/** The heading of the part of bench/RESULTS.md measured by hand, which no run writes. */
const BY_HAND = '## Figures behind choices in the code';

const RESULTS = join(ROOT, 'bench/RESULTS.md');
const readResults = () => (existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '');

/** That part as `results` holds it (from its heading to the next part), or nothing. */
function byHand(results: string): string {
  const at = results.indexOf(BY_HAND);
  if (at < 0) return '';
  const next = results.indexOf('\n## ', at + BY_HAND.length);
  return results.slice(at, next < 0 ? undefined : next).trim();
}

/** The WIM part with the date and the command under its heading. */
const dated = ([heading, ...rest]: string[], command: string) => [
  heading!,
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} by \`${command}\` on ${machine()}.`,
  ...rest,
];

/** `npm run bench -- wim`: the WIM part alone, put in place of the WIM part of bench/RESULTS.md (the rest is kept). */
async function wimOnly() {
  const browser = await launchBrowser();
  let wim: string[];
  try {
    wim = await wimRows({ browser, scratch });
  } finally {
    await browser.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  const part = dated(wim, 'npm run bench -- wim').join('\n');
  const old = readResults();
  const hand = byHand(old);
  const rest = hand ? old.slice(0, old.indexOf(BY_HAND)) : old;
  const at = rest.indexOf(wim[0]!);
  writeFileSync(RESULTS, (at >= 0 ? rest.slice(0, at) : rest.trimEnd() + '\n\n') + part + '\n' + (hand ? '\n' + hand + '\n' : ''));
  console.log(part);
}

if (process.argv[2] === 'wim') await wimOnly();
else if (process.argv[2]) throw new Error(`npm run bench [-- wim]: unknown part "${process.argv[2]}"`);
else await main();
