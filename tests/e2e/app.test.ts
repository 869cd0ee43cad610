/**
 * End to end: the built app (vite build, with its service worker) served on
 * loopback, driven by Playwright in Debian's Chromium. Proves that no request
 * leaves the origin, that it works offline, that history survives a reload,
 * that cancel stops a hash, and that the exported JSON is the CLI's report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Request } from 'playwright';
import { spawnSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveStatic } from '../helpers/static-server.ts';
import { browseInto, buildApp, expectSameOrigin as expectSameOriginOf, focusedRow, launchChromium, openWatched, type Watched } from '../helpers/e2e-app.ts';
import { makeBigWindowsImage, type BigWindowsImage } from '../helpers/big-windows.ts';
import { genisoimageIso, makeWindowsTree, type Media, type MediaSpec } from '../helpers/windows-media.ts';
import { decimalSize } from '../../workers/report/describe.ts';
import type { Report } from '../../workers/report/types.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'tests/fixtures');
const SHOTS = join(ROOT, 'docs/screenshots');
const scratch = mkdtempSync(join(tmpdir(), 'isoscope-e2e-'));

let server: { url: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  buildApp();
  server = await serveStatic(join(ROOT, 'dist'));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const open = (options: Parameters<Browser['newContext']>[0] = {}): Promise<Watched> => openWatched(browser, server.url, options);
const expectSameOrigin = (requests: Request[]) => expectSameOriginOf(requests, server.url);

const chooseFile = (page: Page, path: string) => page.getByLabel('Choose a disc image').setInputFiles(path);

describe('the built app', () => {
  it('inspects a Windows image; every request stays on the origin and carries no file bytes', async () => {
    const w = await open();
    await chooseFile(w.page, join(FIXTURES, 'win7-pro-x64.iso'));
    await expect.poll(() => w.page.getByTestId('windows-summary').textContent()).toBe('Windows 7 Professional SP1 x64, build 7601, de-DE, OEM');
    await w.page.getByRole('button', { name: 'Compute hashes' }).click();
    await w.page.getByTestId('hash-sha256').waitFor();
    expectSameOrigin(w.requests);
    expect(w.problems).toEqual([]);
    if (process.env.UPDATE_SCREENSHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await w.page.screenshot({ path: join(SHOTS, 'windows-report.png'), fullPage: true });
    }
    await w.context.close();
  });

  it('answers "Genuine?" under the Windows card: signals at once, then one click hashes with the catalogue\'s algorithms', async () => {
    const w = await open();
    await chooseFile(w.page, join(FIXTURES, 'win7-pro-x64.iso'));
    await expect.poll(() => w.page.getByTestId('genuine-summary').textContent()).toMatch(/^Not as Microsoft shipped it: rebuilt by another tool/);
    await w.page.getByText('The UDF volume was written by genisoimage').click();
    await w.page.getByText('UDF implementation identifier "*genisoimage"').waitFor();
    await w.page.getByRole('button', { name: /^Confirm with SHA-1/ }).click();
    await expect.poll(() => w.page.getByTestId('genuine-match').textContent(), { timeout: 30_000 }).toMatch(/^Not any release in the catalogue/);
    expectSameOrigin(w.requests);
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('exports JSON identical to the CLI --json --files report (apart from timings)', async () => {
    const w = await open();
    const iso = join(FIXTURES, 'ipxe.iso');
    await chooseFile(w.page, iso);
    await w.page.getByRole('button', { name: 'Export JSON' }).waitFor();
    const [download] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name: 'Export JSON' }).click()]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as Report;
    const cli = spawnSync(process.execPath, [join(ROOT, 'workers/cli/bin.cjs'), iso, '--json', '--files'], { encoding: 'utf8' });
    const fromCli = JSON.parse(cli.stdout) as Report;
    for (const r of [exported, fromCli]) r.stats.ms = 0;
    expect(exported).toEqual(fromCli);
    await w.context.close();
  });

  it('browses folders from the keyboard (one Tab stop), views a file beside the list, saves a file byte-exact and a folder as a zip that 7-Zip extracts to the same bytes', async () => {
    const w = await open();
    const iso = join(FIXTURES, 'win7-pro-x64.iso');
    await chooseFile(w.page, iso);
    await w.page.getByRole('grid', { name: 'Files in /' }).waitFor();
    expect(await w.page.locator('[role=grid] tbody [tabindex="0"]').count()).toBe(1);
    const row = () => focusedRow(w.page);
    await row().focus();
    await w.page.keyboard.type('sources');
    await w.page.keyboard.press('Enter');
    await w.page.getByRole('grid', { name: 'Files in /sources' }).waitFor();
    await expect.poll(() => w.page.getByRole('navigation', { name: 'Folder path' }).textContent()).toMatch(/\/\s*sources/);
    await w.page.keyboard.type('ei');
    await w.page.keyboard.press('Enter');
    await expect.poll(() => w.page.getByRole('region', { name: 'Contents of /sources/ei.cfg' }).textContent()).toContain('Professional');
    // Up to the root with Backspace: sources/ keeps the keyboard.
    await row().focus();
    await w.page.keyboard.press('Backspace');
    await w.page.getByRole('grid', { name: 'Files in /' }).waitFor();
    expect(await row().getAttribute('data-path')).toBe('/sources');
    await w.page.keyboard.type('setup');
    const [download] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name: 'Save /setup.exe' }).click()]);
    const saved = readFileSync(await download.path());
    const theirs = spawnSync('7zz', ['e', '-so', '-tudf', iso, 'setup.exe'], { maxBuffer: 1 << 24 }).stdout;
    expect(Buffer.compare(saved, theirs)).toBe(0);
    await expect.poll(() => w.page.getByTestId('save-status').textContent()).toContain('Saved setup.exe');

    // sources/ as a zip: every file in it, byte for byte what 7-Zip extracts from the image's UDF tree.
    await row().focus();
    await w.page.keyboard.type('sources');
    const [zipDownload] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name: 'Save sources.zip' }).click()]);
    const zip = join(scratch, 'sources.zip');
    await zipDownload.saveAs(zip);
    const fromZip = join(scratch, 'from-zip');
    const fromIso = join(scratch, 'from-iso');
    expect(spawnSync('7zz', ['x', '-y', `-o${fromZip}`, zip]).status).toBe(0);
    expect(spawnSync('7zz', ['x', '-y', '-tudf', `-o${fromIso}`, iso, 'sources']).status).toBe(0);
    const names = readdirSync(join(fromIso, 'sources')).sort();
    expect(readdirSync(fromZip).sort()).toEqual(names);
    for (const n of names) expect(Buffer.compare(readFileSync(join(fromZip, n)), readFileSync(join(fromIso, 'sources', n))), n).toBe(0);
    await expect.poll(() => w.page.getByTestId('save-status').textContent()).toMatch(new RegExp(`Saved sources\\.zip: ${names.length} files`));

    await w.page.getByRole('radio', { name: 'Joliet' }).check();
    await w.page.getByRole('heading', { name: /Files \(\d+, Joliet\)/ }).waitFor();
    expectSameOrigin(w.requests);
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('opens an image inside install.wim by keyboard, views a file in it, saves a file byte-exact and a folder as a zip that 7-Zip extracts as wimlib does; the inside is read for Genuine? and every stream checked; axe-clean', async () => {
    const w = await open();
    const iso = join(FIXTURES, 'win7-pro-x64.iso');
    // What wimlib reads from the same install.wim (7-Zip extracts it from the disc's UDF tree).
    const wim = join(scratch, 'fixture-install.wim');
    writeFileSync(wim, spawnSync('7zz', ['e', '-so', '-tudf', iso, 'sources/install.wim'], { maxBuffer: 1 << 26 }).stdout);
    const wimlib = (...args: string[]) => spawnSync('wimlib-imagex', args, { maxBuffer: 1 << 26 }).stdout;
    await chooseFile(w.page, iso);
    const row = () => focusedRow(w.page);
    await browseInto(w.page, [
      ['sources', '/sources'],
      ['install.w', '/sources/install.wim'],
    ]);
    expect(await w.page.locator('[role=grid] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path')))).toEqual([
      '/sources/install.wim/1 · Windows 7 PROFESSIONAL',
      '/sources/install.wim/2 · Windows 7 ULTIMATE',
    ]);
    await w.page.keyboard.press('ArrowDown');
    await w.page.keyboard.press('Enter');
    const image = '/sources/install.wim/2 · Windows 7 ULTIMATE';
    await w.page.getByRole('grid', { name: `Files in ${image}` }).waitFor();
    await w.page.keyboard.type('windows');
    await w.page.keyboard.press('Enter');
    await w.page.keyboard.type('system32');
    await w.page.keyboard.press('Enter');
    await w.page.getByRole('grid', { name: `Files in ${image}/Windows/System32` }).waitFor();
    await w.page.keyboard.type('edition');
    await w.page.keyboard.press('Enter');
    const want = wimlib('extract', wim, '2', '/Windows/System32/edition.txt', '--to-stdout').toString('utf8');
    await expect.poll(() => w.page.getByRole('region', { name: `Contents of ${image}/Windows/System32/edition.txt` }).textContent()).toContain(want.trim());
    // Saved byte-exact, as wimlib-imagex extract gives it.
    const [download] = await Promise.all([
      w.page.waitForEvent('download'),
      w.page.getByRole('button', { name: `Save ${image}/Windows/System32/edition.txt` }).click(),
    ]);
    expect(Buffer.compare(readFileSync(await download.path()), Buffer.from(want))).toBe(0);
    // The image's Windows/ as a zip: 7-Zip's extraction of it equals wimlib-imagex extract's of the same folder.
    await row().focus();
    await w.page.keyboard.press('Backspace');
    await w.page.keyboard.press('Backspace');
    await w.page.getByRole('grid', { name: `Files in ${image}` }).waitFor();
    await w.page.keyboard.type('windows');
    const [zipDownload] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name: 'Save Windows.zip' }).click()]);
    const zip = join(scratch, 'image-windows.zip');
    await zipDownload.saveAs(zip);
    const fromZip = join(scratch, 'image-from-zip');
    const fromWim = join(scratch, 'image-from-wim');
    expect(spawnSync('7zz', ['x', '-y', `-o${fromZip}`, zip]).status).toBe(0);
    expect(spawnSync('wimlib-imagex', ['extract', wim, '2', '/Windows', `--dest-dir=${fromWim}`, '--no-acls']).status).toBe(0);
    const walk = (d: string, at = ''): string[] =>
      readdirSync(join(d, at), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(d, join(at, e.name)) : [join(at, e.name)]));
    const files = walk(join(fromWim, 'Windows')).sort();
    expect(walk(fromZip).sort()).toEqual(files);
    for (const f of files) expect(Buffer.compare(readFileSync(join(fromZip, f)), readFileSync(join(fromWim, 'Windows', f))), f).toBe(0);
    // Genuine? read the inside too (in the background); every stream checks out, as wimlib-imagex verify says.
    await expect.poll(() => w.page.getByTestId('genuine-summary').textContent()).not.toMatch(/Reading install\.wim's images/);
    expect(spawnSync('wimlib-imagex', ['verify', wim]).status).toBe(0);
    await w.page.getByRole('button', { name: 'Check every file in install.wim' }).click();
    await expect.poll(() => w.page.getByTestId('streams-verdict').textContent(), { timeout: 30_000 }).toMatch(/^install\.wim intact: all \d+ streams/);
    const axe = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
    await w.page.evaluate(axe);
    const violations = await w.page.evaluate<
      {
        id: string;
        impact: string;
      }[]
    >('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)');
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    expectSameOrigin(w.requests);
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('history survives a reload, and an entry reopens its report without the file', async () => {
    const w = await open();
    await chooseFile(w.page, join(FIXTURES, 'win7-pro-x64.iso'));
    await w.page.getByTestId('history').getByText('win7-pro-x64.iso').waitFor();
    const summary = await w.page.getByTestId('windows-summary').textContent();
    await w.page.reload();
    await w.page.getByRole('button', { name: 'Show report of win7-pro-x64.iso' }).click();
    await expect.poll(() => w.page.getByTestId('from-history').textContent()).toContain('From your history: win7-pro-x64.iso');
    expect(await w.page.getByTestId('windows-summary').textContent()).toBe(summary);
    // Nothing that needs the file is offered: no hashing, no file list.
    expect(await w.page.getByRole('button', { name: 'Compute hashes' }).count()).toBe(0);
    // Choosing the file again opens it as usual.
    await chooseFile(w.page, join(FIXTURES, 'win7-pro-x64.iso'));
    await w.page.getByRole('button', { name: 'Compute hashes' }).waitFor();
    expect(await w.page.getByTestId('from-history').count()).toBe(0);
    await w.context.close();
  });

  it('works offline after one visit: reload and inspect with the network off', async () => {
    const w = await open();
    await w.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await w.page.reload(); // now controlled by the service worker
    await expect.poll(() => w.page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await w.context.setOffline(true);
    await w.page.reload();
    await chooseFile(w.page, join(FIXTURES, 'grub-rescue-cdrom.iso'));
    await w.page.getByText('Boot (El Torito, catalog at sector 48)').waitFor();
    await w.page.getByRole('button', { name: 'Try a sample' }).click();
    await w.page.getByTestId('windows-summary').waitFor();
    await w.context.close();
  });

  it('cancel stops a running hash', async () => {
    // A disc (the Verify panel is for disc images) followed by 3 GiB of zeros: long enough to cancel mid-run.
    const big = join(scratch, 'zeros.img');
    writeFileSync(big, readFileSync(join(FIXTURES, 'plain.iso')));
    truncateSync(big, 3 * 1024 ** 3);
    const w = await open();
    await chooseFile(w.page, big);
    await w.page.getByRole('button', { name: 'Compute hashes' }).click();
    await w.page.getByRole('progressbar', { name: 'Hashing' }).waitFor();
    await w.page.getByRole('button', { name: 'Cancel' }).click();
    await w.page.getByRole('button', { name: 'Compute hashes' }).waitFor();
    await expect(w.page.getByRole('progressbar', { name: 'Hashing' }).count()).resolves.toBe(0);
    await expect(w.page.getByTestId('hash-sha256').count()).resolves.toBe(0);
    await w.context.close();
  });

  it('a hash run on one image is never filed under the image opened while it runs', async () => {
    // Issue #17.1: the run on the first image used to finish after the switch
    // and its digest was stored as the second image's, so the second image's
    // real hash later showed MISMATCH.
    const zeros = join(scratch, 'zeros-1g.img');
    writeFileSync(zeros, readFileSync(join(FIXTURES, 'plain.iso')));
    truncateSync(zeros, 1024 ** 3);
    const win7 = join(FIXTURES, 'win7-pro-x64.iso');
    const realSha256 = spawnSync('sha256sum', [win7], { encoding: 'utf8' }).stdout.split(' ')[0]!;
    const w = await open();
    await chooseFile(w.page, zeros);
    await w.page.getByRole('button', { name: 'Compute hashes' }).click();
    await w.page.getByRole('progressbar', { name: 'Hashing' }).waitFor();
    await chooseFile(w.page, win7);
    await w.page.getByTestId('windows-summary').waitFor();
    // Long enough for the first run to have finished, had it gone on (1 GiB at > 250 MB/s).
    await w.page.waitForTimeout(6000);
    await expect(w.page.getByTestId('hash-sha256').count()).resolves.toBe(0);
    await w.page.reload();
    await chooseFile(w.page, win7);
    await w.page.getByTestId('windows-summary').waitFor();
    const entry = w.page.getByTestId('history').getByRole('listitem').filter({ hasText: 'win7-pro-x64.iso' });
    await entry.waitFor();
    expect(await entry.textContent()).not.toContain('SHA-256 known');
    await w.page.getByPlaceholder('Paste a SHA-256, SHA-1, MD5 or CRC32').fill(realSha256);
    await expect.poll(async () => (await w.page.getByTestId('verdict').textContent())?.replace(/\s+/g, ' ')).toContain('Compute SHA256 to compare');
    await w.page.getByRole('button', { name: 'Compute hashes' }).click();
    await expect.poll(() => w.page.getByTestId('verdict').textContent()).toContain('MATCH');
    expect(await w.page.getByTestId('verdict').textContent()).not.toContain('MISMATCH');
    await w.context.close();
  });

  it('keeps the main thread free of long tasks (> 50 ms) while inspecting and hashing', async () => {
    // A long task is wall time on a 2-core machine shared with the worker,
    // Chromium's other processes and this test runner, so one preempted task
    // can cross 50 ms by itself. Work done on the main thread (parsing, a
    // 5 000-row render) crosses it every time: the check passes when one of
    // three fresh runs is clean, and shows every run's long tasks when none is.
    const runs: number[][] = [];
    for (let attempt = 0; attempt < 3 && !runs.some((r) => r.length === 0); attempt++) {
      const w = await open();
      // As a user would: a file is picked once the page has settled (the worker and the views warmed while idle).
      await w.page.waitForFunction(() => document.documentElement.dataset.warm === 'done', null, { polling: 100 });
      await w.page.evaluate(() => {
        (window as unknown as { longTasks: number[] }).longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) (window as unknown as { longTasks: number[] }).longTasks.push(e.duration);
        }).observe({ type: 'longtask' });
      });
      await chooseFile(w.page, join(FIXTURES, 'win7-pro-x64.iso'));
      // Wait with plain DOM queries: Playwright's role queries run on the
      // page's main thread and would be counted against the app.
      const button = () => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Compute hashes');
      await w.page.waitForFunction(button, null, { polling: 100 });
      await w.page.evaluate(() => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Compute hashes')!.click());
      await w.page.waitForFunction(() => document.querySelector('[data-testid=hash-sha256]'), null, { polling: 100 });
      const long = await w.page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
      runs.push(long.filter((d) => d > 50).map(Math.round));
      expect(w.problems).toEqual([]);
      await w.context.close();
    }
    expect(
      runs.some((r) => r.length === 0),
      `long tasks per run: ${JSON.stringify(runs)}`,
    ).toBe(true);
  });

  it('renders on a 360 px phone in dark mode without horizontal overflow', async () => {
    const w = await open({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
    await w.page.getByRole('button', { name: 'Try a sample' }).click();
    await w.page.getByTestId('windows-summary').waitFor();
    const overflow = await w.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    if (process.env.UPDATE_SCREENSHOTS) await w.page.screenshot({ path: join(SHOTS, 'phone-dark.png'), fullPage: false });
    await w.context.close();
  });
});

describe('a ~6 GB Windows-like image', () => {
  let big: BigWindowsImage;
  beforeAll(() => {
    big = makeBigWindowsImage();
  }, 300_000);
  afterAll(() => rmSync(big.dir, { recursive: true, force: true }));

  it('shows its editions, build and label without reading the 6 GB (bounded well below a full read; the bench times it)', async () => {
    const w = await open();
    const t0 = Date.now();
    await chooseFile(w.page, big.iso);
    await w.page.getByTestId('windows-summary').waitFor();
    const ms = Date.now() - t0;
    expect(await w.page.getByTestId('windows-summary').textContent()).toBe('Windows 10 (2 editions: Pro, Home) x64, build 19045 (22H2), en-US');
    await w.page.getByText('CCSA_X64FRE_EN-US_DV5').first().waitFor();
    // Reading 6 GB through a Blob takes tens of seconds here; 5 s can only be met
    // by slicing. The millisecond figure belongs to npm run bench, not to a test.
    console.log(`6 GB image: editions shown ${ms} ms after choosing it`);
    expect(ms).toBeLessThan(5000);
    // #26: made without a boot record, it says it does not boot before anything else about readiness.
    await expect.poll(() => w.page.getByTestId('ready-summary').textContent(), { timeout: 15_000 }).toMatch(/Virtual machine: no/);
    expect((await w.page.getByTestId('readiness').locator('li').first().textContent())!).toMatch(/^Does not boot as it is/);
    // The disc picture places install.wim past 4 GiB, in its extents, and marks the few places read.
    const map = w.page.getByTestId('disc-map');
    await map.locator('[data-part=wim-0]').waitFor({ timeout: 15_000 });
    const wimParts = await map.getByRole('button', { name: /^install\.wim(, part \d+ of \d+)?: / }).allTextContents();
    expect(wimParts.length).toBeGreaterThan(0);
    for (const t of wimParts) expect(Number(/from byte ([\d,]+)/.exec(t)![1]!.replace(/,/g, ''))).toBeGreaterThan(4 * 1024 ** 3);
    if (process.env.UPDATE_SCREENSHOTS) await map.screenshot({ path: join(SHOTS, 'disc-picture-6gb.png') });
    await w.context.close();
  });

  it('requests are values (#25): the WIM check runs while the files are browsed, each answers; cancelling the check settles it alone, the hash beside it goes on, and a later check runs to its end', async () => {
    const w = await open();
    await chooseFile(w.page, big.iso);
    await w.page.getByTestId('windows-summary').waitFor();
    // The long call: every stream of the 1.3 GB install.wim read and hashed (seconds).
    await w.page.getByRole('button', { name: 'Check every file in install.wim' }).click();
    const cancelCheck = w.page.getByRole('button', { name: 'Cancel stream check' });
    await cancelCheck.waitFor();
    // Meanwhile: browse from the disc's root into an edition inside install.wim, by keyboard.
    await browseInto(w.page, [
      ['sources', '/sources'],
      ['install.w', '/sources/install.wim'],
    ]);
    await w.page.keyboard.press('Enter');
    const edition = '/sources/install.wim/1 · Windows 10 Pro';
    await w.page.getByRole('grid', { name: `Files in ${edition}` }).waitFor();
    await w.page.keyboard.type('windows');
    await w.page.keyboard.press('Enter');
    await w.page.getByRole('grid', { name: `Files in ${edition}/Windows` }).waitFor();
    // What wimlib lists in that folder is what the page lists, answered while the check was still running.
    const listed = await w.page.locator('[role=grid] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path')));
    const wimlibListed = spawnSync('wimlib-imagex', ['dir', big.wim, '1', '--path=/Windows'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((l) => l.startsWith('/Windows/'))
      .map((l) => `${edition}${l.trim()}`);
    expect(listed).toEqual(wimlibListed);
    expect(await cancelCheck.isVisible()).toBe(true);
    // A second long call beside it (the hash), then the check cancelled: only the check stops.
    await w.page.getByRole('button', { name: 'Compute hashes' }).click();
    const hashing = w.page.getByRole('progressbar', { name: 'Hashing' });
    await hashing.waitFor();
    await cancelCheck.click();
    await expect.poll(() => w.page.getByRole('alert').allTextContents()).toContain('Stream check cancelled: nothing was verified.');
    const before = Number(await hashing.getAttribute('value'));
    await expect.poll(async () => Number(await hashing.getAttribute('value')), { timeout: 15_000 }).toBeGreaterThan(before);
    await w.page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await w.page.getByRole('button', { name: 'Compute hashes' }).waitFor();
    // The jobs worker serves the next check whole, as wimlib-imagex verify judges the WIM.
    expect(spawnSync('wimlib-imagex', ['verify', big.wim], { stdio: 'ignore' }).status).toBe(0);
    await w.page.getByRole('button', { name: 'Check every file in install.wim' }).click();
    await expect.poll(() => w.page.getByTestId('streams-verdict').textContent(), { timeout: 60_000 }).toMatch(/^install\.wim intact: all \d+ streams/);
    expectSameOrigin(w.requests);
    expect(w.problems).toEqual([]);
    await w.context.close();
  }, 180_000);

  it('a folder of images (the fixtures, this 6 GB image, a text file) fills a table that sorts, filters, exports and opens rows, with no long task', async () => {
    // Issue #16: the folder as people keep it; the 6 GB image is linked, not copied.
    const folder = join(scratch, 'isos');
    mkdirSync(folder, { recursive: true });
    const images = ['win7-pro-x64.iso', 'win11-esd.iso', 'win10-arm64-swm.iso', 'plain.iso', 'ipxe.iso', 'memtest86+x64.iso'];
    for (const n of images) copyFileSync(join(FIXTURES, n), join(folder, n));
    linkSync(big.iso, join(folder, 'big-windows.iso'));
    writeFileSync(join(folder, 'notes.txt'), 'not an image\n');
    const label = (p: string) => /Volume id: (.*)/.exec(spawnSync('isoinfo', ['-d', '-i', p], { encoding: 'utf8' }).stdout)![1]!.trim();
    const runs: number[][] = [];
    for (let attempt = 0; attempt < 3 && !runs.some((r) => r.length === 0); attempt++) {
      const w = await open();
      await w.page.waitForFunction(() => document.documentElement.dataset.warm === 'done', null, { polling: 100 });
      await w.page.evaluate(() => {
        (window as unknown as { longTasks: number[] }).longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) (window as unknown as { longTasks: number[] }).longTasks.push(e.duration);
        }).observe({ type: 'longtask' });
      });
      await w.page.getByLabel('Choose a folder of images').setInputFiles(folder);
      await w.page.waitForFunction(
        () => /^7 images, 1 other file passed over$/.test(document.querySelector('[data-testid=folder-status]')?.textContent?.trim() ?? ''),
        null,
        {
          polling: 100,
          timeout: 60_000,
        },
      );
      runs.push((await w.page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks)).filter((d) => d > 50).map(Math.round));
      const table = w.page.getByTestId('folder-table');
      // Every image's label as isoinfo reads it.
      for (const n of [...images, 'big-windows.iso']) {
        const row = table.getByRole('row').filter({ has: w.page.getByRole('button', { name: `Open ${n}` }) });
        expect(await row.getByRole('cell').nth(6).innerText(), n).toBe(label(join(folder, n)));
      }
      // Filter by words, sort by size, export, open a row.
      await w.page.getByPlaceholder('e.g. Windows 7 x64').fill('windows 7 x64');
      await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
      await w.page.getByPlaceholder('e.g. Windows 7 x64').fill('');
      await table.getByRole('button', { name: 'Size' }).click();
      await table.getByRole('button', { name: 'Size' }).click();
      await expect.poll(() => table.locator('tbody tr').first().getByRole('button').first().textContent()).toBe('big-windows.iso');
      const [csv] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name: 'Export CSV' }).click()]);
      const lines = readFileSync(await csv.path(), 'utf8')
        .trim()
        .split('\n');
      expect(lines).toHaveLength(8);
      expect(lines[1]!.startsWith('big-windows.iso,')).toBe(true);
      // Hash two ticked rows: their SHA-256 lands in the export, as sha256sum computes it.
      await table.getByRole('checkbox', { name: 'Select win7-pro-x64.iso' }).check();
      await table.getByRole('checkbox', { name: 'Select plain.iso' }).check();
      await w.page.getByRole('button', { name: 'Hash 2 selected (SHA-256)' }).click();
      await w.page.getByRole('button', { name: 'Hash 2 selected (SHA-256)' }).waitFor({ timeout: 60_000 });
      const [hashed] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name: 'Export CSV' }).click()]);
      const rows = readFileSync(await hashed.path(), 'utf8')
        .trim()
        .split('\n');
      const col = rows[0]!.split(',').indexOf('sha256');
      for (const n of ['win7-pro-x64.iso', 'plain.iso']) {
        const row = rows.find((r) => r.startsWith(`${n},`))!;
        const cells = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
        expect(cells[col], n).toBe(spawnSync('sha256sum', [join(folder, n)], { encoding: 'utf8' }).stdout.split(' ')[0]);
      }
      await table.getByRole('button', { name: 'Open win7-pro-x64.iso' }).click();
      await expect.poll(() => w.page.getByTestId('windows-summary').textContent()).toBe('Windows 7 Professional SP1 x64, build 7601, de-DE, OEM');
      expectSameOrigin(w.requests);
      expect(w.problems).toEqual([]);
      await w.context.close();
    }
    expect(
      runs.some((r) => r.length === 0),
      `long tasks per run: ${JSON.stringify(runs)}`,
    ).toBe(true);
  });
});

describe('as people use it (#17)', () => {
  it('a checksum list chosen or dropped is used to verify, not inspected as a disc or kept in history', async () => {
    const w = await open();
    const iso = join(FIXTURES, 'plain.iso');
    const sums = join(scratch, 'SHA256SUMS');
    writeFileSync(sums, `${'0'.repeat(64)}  other.iso\n${spawnSync('sha256sum', [iso], { encoding: 'utf8' }).stdout.split(' ')[0]}  plain.iso\n`);
    await chooseFile(w.page, iso);
    await w.page.getByRole('button', { name: 'Compute hashes' }).waitFor();
    await chooseFile(w.page, sums);
    await expect.poll(() => w.page.getByTestId('notice').textContent()).toContain('Checksum list SHA256SUMS loaded');
    await w.page.getByRole('button', { name: 'Compute hashes' }).click();
    await expect.poll(() => w.page.getByTestId('verdict').textContent()).toContain('MATCH');
    expect(await w.page.getByTestId('history').textContent()).not.toContain('SHA256SUMS');
    await w.context.close();
  });

  it('hashing from the keyboard: focus stays on the button, progress is announced, Cancel says so', async () => {
    const big = join(scratch, 'keyboard.img');
    writeFileSync(big, readFileSync(join(FIXTURES, 'plain.iso')));
    truncateSync(big, 2 * 1024 ** 3);
    const w = await open();
    await chooseFile(w.page, big);
    await w.page.getByRole('button', { name: 'Compute hashes' }).focus();
    await w.page.keyboard.press('Enter');
    await expect.poll(() => w.page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Cancel');
    await expect
      .poll(() =>
        w.page
          .getByRole('status')
          .filter({ hasText: /^Hashing: \d+ %$/ })
          .count(),
      )
      .toBe(1);
    await w.page.keyboard.press('Enter');
    await expect.poll(() => w.page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Compute hashes');
    await w.page.getByText('Cancelled: nothing was hashed to the end').waitFor();
    await w.context.close();
  });

  it('axe-core finds nothing at all on the empty page, and nothing serious or critical in a report in light and dark, a phone, a folder', async () => {
    const axe = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
    const states: [string, Parameters<typeof open>[0], (p: Page) => Promise<void>][] = [
      ['empty page', {}, async () => {}],
      ['a report, light', {}, async (p) => void (await chooseFile(p, join(FIXTURES, 'win7-pro-x64.iso')), await p.getByTestId('windows-summary').waitFor())],
      [
        'a report, dark, hashed and matched',
        { colorScheme: 'dark' },
        async (p) => {
          await chooseFile(p, join(FIXTURES, 'plain.iso'));
          await p.getByRole('button', { name: 'Compute hashes' }).click();
          const sha = await p.getByTestId('hash-sha256').textContent();
          await p.getByPlaceholder('Paste a SHA-256, SHA-1, MD5 or CRC32').fill(sha!);
          await p.getByTestId('verdict').waitFor();
        },
      ],
      [
        'a phone',
        { viewport: { width: 390, height: 844 } },
        async (p) => void (await chooseFile(p, join(FIXTURES, 'win11-esd.iso')), await p.getByTestId('windows-summary').waitFor()),
      ],
      [
        'a folder',
        {},
        async (p) => {
          const dir = join(scratch, 'axe-folder');
          mkdirSync(dir, { recursive: true });
          for (const n of ['plain.iso', 'ipxe.iso', 'win7-pro-x64.iso']) copyFileSync(join(FIXTURES, n), join(dir, n));
          await p.getByLabel('Choose a folder of images').setInputFiles(dir);
          await p.getByTestId('folder-table').waitFor();
        },
      ],
    ];
    const found: string[] = [];
    for (const [name, options, reach] of states) {
      const w = await open(options);
      await reach(w.page);
      // Evaluated through the protocol, not as a page script: the app's CSP allows no inline scripts, rightly.
      await w.page.evaluate(axe);
      const violations = await w.page.evaluate<
        {
          id: string;
          impact: string;
          nodes: { target: string[] }[];
        }[]
      >('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)');
      // The landing page is the first thing anyone sees: no violation of any impact (#26: "region", "skip-link").
      for (const v of violations.filter((v) => name === 'empty page' || v.impact === 'serious' || v.impact === 'critical'))
        found.push(`${name}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      await w.context.close();
    }
    expect(found).toEqual([]);
  });

  it('on a 390 × 844 phone the answer starts on the first screen, and every target (links, buttons, fields, file choosers, labels, summaries) is 24 px or more', async () => {
    const w = await open({ viewport: { width: 390, height: 844 } });
    // Every visible target's box, and what it is: WCAG 2.5.8 (24 × 24 CSS px), as #26 measured them.
    const small = () =>
      w.page.evaluate(() =>
        [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, label:has(input, select, textarea)')]
          .filter((e) => (e as HTMLElement).offsetParent !== null && e.getBoundingClientRect().left > -1000)
          .map((e) => ({ e, r: e.getBoundingClientRect() }))
          .filter(({ r }) => r.width < 24 || r.height < 24)
          .map(
            ({ e, r }) =>
              `${e.tagName.toLowerCase()} "${(e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40)}" ${Math.round(r.width)}×${Math.round(r.height)}`,
          ),
      );
    expect(await small(), 'landing page').toEqual([]);
    await chooseFile(w.page, join(FIXTURES, 'win7-pro-x64.iso'));
    await w.page.getByTestId('windows-summary').waitFor();
    await w.page.getByTestId('history').getByText('win7-pro-x64.iso').waitFor();
    const top = await w.page.getByTestId('windows-summary').evaluate((e) => e.getBoundingClientRect().top);
    expect(top).toBeLessThan(844 / 2);
    await w.page.getByTestId('disc-map').waitFor();
    expect(await small(), 'a report').toEqual([]);
    const dir = join(scratch, 'phone-targets');
    mkdirSync(dir, { recursive: true });
    for (const n of ['plain.iso', 'win7-pro-x64.iso']) copyFileSync(join(FIXTURES, n), join(dir, n));
    await w.page.getByLabel('Choose a folder of images').setInputFiles(dir);
    await w.page.getByTestId('folder-table').getByRole('button', { name: 'Open plain.iso' }).waitFor();
    expect(await small(), 'a folder').toEqual([]);
    await w.context.close();
  });
});

describe('words, Windows families, boot loaders and signed lists, as the page shows them (#17)', () => {
  const SHIM = join(ROOT, 'tests/.tmp/signed-efi/root/usr/lib/shim/shimx64.efi.signed');
  const pgpDir = join(scratch, 'pgp');
  const gpg = (args: string[]) =>
    spawnSync('gpg', ['--homedir', join(pgpDir, 'home'), '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
      cwd: pgpDir,
      encoding: 'utf8',
    });
  let server2022: Media;
  let serverIso: string;

  beforeAll(() => {
    // Server 2022 media as Microsoft ships it in shape: two Server editions, build 20348, and Debian's shim as the
    // UEFI loader (signed by Microsoft's third-party CAs of 2011 and 2023; a real signature, not a made-up one).
    const spec: MediaSpec = {
      label: 'SSS_X64FREE_EN-US_DV9',
      images: [
        { name: 'Windows Server 2022 SERVERSTANDARD', editionId: 'ServerStandard', major: 10, minor: 0, build: 20348, installationType: 'Server' },
        { name: 'Windows Server 2022 SERVERDATACENTER', editionId: 'ServerDatacenter', major: 10, minor: 0, build: 20348, installationType: 'Server' },
      ],
      files: { 'efi/boot/bootx64.efi': new Uint8Array(readFileSync(SHIM)) },
    };
    server2022 = makeWindowsTree(spec);
    serverIso = genisoimageIso(server2022, spec);
    mkdirSync(join(pgpDir, 'home'), { recursive: true, mode: 0o700 });
    gpg(['--quick-gen-key', 'Release Signer <release@example.org>', 'ed25519', 'sign', 'never']);
    writeFileSync(join(pgpDir, 'release-key.asc'), gpg(['--armor', '--export']).stdout);
    const digest = spawnSync('sha256sum', [join(FIXTURES, 'plain.iso')], { encoding: 'utf8' }).stdout.slice(0, 64);
    writeFileSync(join(pgpDir, 'SHA256SUMS'), `${'1'.repeat(64)}  other.iso\n${digest}  plain.iso\n`);
    gpg(['--armor', '--detach-sign', '--output', 'SHA256SUMS.sign', 'SHA256SUMS']);
  }, 120_000);
  afterAll(() => server2022?.cleanup());

  it('Windows Server 2022 is named as Server, dated to 2031, and its loader’s signers are named in "Ready to use?"', async () => {
    const w = await open();
    await chooseFile(w.page, serverIso);
    await expect.poll(() => w.page.getByTestId('windows-summary').textContent()).toMatch(/^Windows Server 2022/);
    const card = (await w.page.locator('.lifecycle').textContent()) ?? '';
    expect(card).toContain('2031-10-14');
    expect(card).not.toMatch(/Windows 10/);
    await expect
      .poll(() => w.page.getByTestId('readiness').textContent())
      .toMatch(
        /bootx64\.efi: Signed by Microsoft Windows UEFI Driver Publisher \(chain to Microsoft Corporation UEFI CA 2011\), unchanged since signing.*Microsoft's third-party CAs/s,
      );
    expectSameOrigin(w.requests);
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('a cut download says "incomplete" in plain words and keeps the Windows card', async () => {
    const whole = join(FIXTURES, 'win7-pro-x64.iso');
    const info = (args: string[]) => spawnSync('isoinfo', [...args, '-i', whole], { encoding: 'utf8' }).stdout;
    const total = Number(/Volume size is: (\d+)/.exec(info(['-d']))![1]) * 2048;
    // The download stops 1 KiB into install.wim (where isoinfo places it): its editions are gone, the rest of the card is not.
    const cutAt = Number(/\[\s*(\d+)\s+\d+\]\s+INSTALL\.WIM;1/.exec(info(['-l']))![1]) * 2048 + 1024;
    const cut = join(scratch, 'cut-win7.iso');
    writeFileSync(cut, readFileSync(whole).subarray(0, cutAt));
    const w = await open();
    await chooseFile(w.page, cut);
    await expect
      .poll(() => w.page.getByTestId('damage').textContent())
      .toContain(`This file is incomplete: ${decimalSize(cutAt)} of ${decimalSize(total)}. Download it again.`);
    await expect.poll(() => w.page.getByTestId('windows-summary').textContent()).toMatch(/^Windows 7 Professional.*; its editions are unknown/);
    expect(await w.page.getByTestId('install-unreadable').textContent()).toContain('cannot be read');
    await w.context.close();
  });

  it('every common paste format is read and matched; one that cannot be read says why', async () => {
    const iso = join(FIXTURES, 'plain.iso');
    const sha256 = spawnSync('sha256sum', [iso], { encoding: 'utf8' }).stdout.slice(0, 64);
    const up = sha256.toUpperCase();
    const w = await open();
    await chooseFile(w.page, iso);
    await w.page.getByRole('button', { name: 'Compute hashes' }).click();
    await w.page.getByTestId('hash-sha256').waitFor();
    const paste = w.page.getByPlaceholder('Paste a SHA-256, SHA-1, MD5 or CRC32');
    const formats = {
      'sha256sum line': `${sha256}  plain.iso`,
      'BSD tag': `SHA256 (plain.iso) = ${sha256}`,
      'Get-FileHash table': `\r\nAlgorithm       Hash                                                                   Path\r\n---------       ----                                                                   ----\r\nSHA256          ${up}       C:\\Users\\me\\Downloads\\plain.iso\r\n`,
      'Get-FileHash list': `Algorithm : SHA256\r\nHash      : ${up}\r\nPath      : C:\\Users\\me\\Downloads\\plain.iso\r\n`,
      certutil: `SHA256 hash of plain.iso:\r\n${sha256}\r\nCertUtil: -hashfile command completed successfully.\r\n`,
      '7-Zip': `SHA256 for data:              ${up}`,
      'sha256: prefix': `sha256:${sha256}`,
      'SHA-256 =': `SHA-256 = ${sha256}`,
    };
    for (const [what, text] of Object.entries(formats)) {
      await paste.fill(text);
      await expect.poll(() => w.page.getByTestId('verdict').textContent(), { message: what }).toContain('✔ MATCH');
    }
    await paste.fill(sha256.slice(1));
    await expect.poll(() => w.page.getByTestId('unreadable-hash').textContent()).toBe('63 hex digits — one missing? A SHA-256 has 64.');
    await w.context.close();
  });

  it('a signed checksum list: a good signature names the signer and fingerprint; a list changed after signing is BAD and its match proves nothing', async () => {
    const fingerprint = gpg(['--with-colons', '--fingerprint']).stdout.match(/^fpr:+([0-9A-F]{40}):/m)![1]!;
    const w = await open();
    await chooseFile(w.page, join(FIXTURES, 'plain.iso'));
    await w.page.getByRole('button', { name: 'Compute hashes' }).click();
    await w.page.getByTestId('hash-sha256').waitFor();
    // The list, its signature and the key, chosen together (as they sit side by side in Downloads).
    await chooseFile(w.page, [join(pgpDir, 'SHA256SUMS'), join(pgpDir, 'SHA256SUMS.sign'), join(pgpDir, 'release-key.asc')] as never);
    await w.page.getByRole('button', { name: 'Check signature' }).click();
    await expect.poll(() => w.page.getByTestId('signature').textContent()).toContain('Good signature by Release Signer <release@example.org>');
    expect((await w.page.getByTestId('signature').textContent())!.replace(/\s/g, '')).toContain(fingerprint);
    await expect.poll(() => w.page.getByTestId('verdict').textContent()).toContain('✔ MATCH');

    const changed = join(pgpDir, 'changed', 'SHA256SUMS');
    mkdirSync(join(pgpDir, 'changed'), { recursive: true });
    writeFileSync(changed, readFileSync(join(pgpDir, 'SHA256SUMS'), 'utf8').replace('1111', '2222'));
    await chooseFile(w.page, changed);
    await w.page.getByRole('button', { name: 'Check signature' }).click();
    await expect.poll(() => w.page.getByTestId('signature').textContent()).toContain('BAD signature');
    await expect.poll(() => w.page.getByTestId('unsigned-match').textContent()).toContain('a match against this list proves nothing');
    // #26: the match against the badly signed list is not a success: the words first, in the warning colour, no ✔ and not green.
    const verdict = w.page.getByTestId('verdict');
    expect(await verdict.textContent()).toMatch(/^\s*Proves nothing: the list’s signature is not good/);
    expect(await verdict.textContent()).not.toContain('✔');
    const colours = await verdict.evaluate((e) => {
      const of = (v: string) => {
        const probe = document.createElement('span');
        probe.style.color = `var(${v})`;
        e.append(probe);
        const c = getComputedStyle(probe).color;
        probe.remove();
        return c;
      };
      return { verdict: getComputedStyle(e).color, ok: of('--ok'), warn: of('--warn') };
    });
    expect(colours.verdict).not.toBe(colours.ok);
    expect(colours.verdict).toBe(colours.warn);
    expectSameOrigin(w.requests);
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('OpenPGP.js is a chunk of its own, imported by the worker only when a signature is checked (and precached for offline use)', () => {
    const assets = join(ROOT, 'dist/assets');
    const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const holding = files.filter((f) => readFileSync(join(assets, f), 'utf8').includes('OpenPGP.js'));
    expect(holding).toHaveLength(1);
    const entry = readFileSync(join(ROOT, 'dist/index.html'), 'utf8').match(/src="[./]*assets\/([^"]+\.js)"/)![1]!;
    expect(holding[0]).not.toBe(entry);
    const workers = files.filter((f) => /isoscope\.worker/.test(f));
    expect(workers.length).toBeGreaterThan(0);
    for (const f of workers) expect(readFileSync(join(assets, f), 'utf8')).not.toContain('OpenPGP.js');
    expect(readFileSync(join(ROOT, 'dist/sw.js'), 'utf8')).toContain(holding[0]);
  });
});

describe('answers that never mislead, in the first screen (#26)', () => {
  const dir = join(scratch, 'r26');
  const medias: Media[] = [];
  let noBootIso: string;
  let serverIso: string;
  const win7 = join(FIXTURES, 'win7-pro-x64.iso');
  const isoinfo = (args: string[], iso = win7) => spawnSync('isoinfo', [...args, '-i', iso], { encoding: 'utf8' }).stdout;
  /** Where isoinfo places install.wim (its first sector) and where the volume says it ends. */
  const wimAt = () => Number(/\[\s*(\d+)\s+\d+\]\s+INSTALL\.WIM;1/.exec(isoinfo(['-l']))![1]) * 2048;
  const volumeBytes = () => Number(/Volume size is: (\d+)/.exec(isoinfo(['-d']))![1]) * 2048;
  const inViewport = (p: Page, testId: string) =>
    p.getByTestId(testId).evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, inside: r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0 };
    });

  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    // Windows-like media with no boot record at all (genisoimage without -b/-e), as the big image is made.
    const plain: MediaSpec = {
      label: 'CCSA_X64FRE_EN-US_DV5',
      images: [{ name: 'Windows 10 Pro', editionId: 'Professional', major: 10, minor: 0, build: 19045 }],
    };
    const m = makeWindowsTree(plain);
    medias.push(m);
    noBootIso = join(m.dir, 'no-boot.iso');
    spawnSync('genisoimage', ['-quiet', '-o', noBootIso, '-V', plain.label, '-J', '-udf', '-allow-limited-size', m.tree]);
    // Windows Server 2022 whose build is 20348.1787: the "7" of its build is not "Windows 7".
    const server: MediaSpec = {
      label: 'SSS_X64FREE_EN-US_DV9',
      images: [
        {
          name: 'Windows Server 2022 SERVERSTANDARD',
          editionId: 'ServerStandard',
          major: 10,
          minor: 0,
          build: 20348,
          spBuild: 1787,
          installationType: 'Server',
        },
      ],
    };
    const s = makeWindowsTree(server);
    medias.push(s);
    serverIso = genisoimageIso(s, server);
  }, 120_000);
  afterAll(() => medias.forEach((m) => m.cleanup()));

  it('an image with no boot record says first that it does not boot: no virtual machine, stick or PC starts it', async () => {
    // isoinfo names an El Torito boot record when there is one.
    expect(isoinfo(['-d'], noBootIso)).toMatch(/Volume id: CCSA_X64FRE_EN-US_DV5/);
    expect(isoinfo(['-d'], noBootIso)).not.toMatch(/El Torito/i);
    expect(isoinfo(['-d'])).toMatch(/El Torito/i);
    const w = await open();
    await chooseFile(w.page, noBootIso);
    await expect.poll(() => w.page.getByTestId('ready-summary').textContent(), { timeout: 15_000 }).toMatch(/Virtual machine: no/);
    const summary = (await w.page.getByTestId('ready-summary').textContent())!;
    expect(summary).toMatch(/USB stick: no/);
    expect(summary).toMatch(/This PC: no/);
    expect(summary).not.toMatch(/: yes/);
    const lines = await w.page.getByTestId('readiness').locator('li').allTextContents();
    expect(lines[0]).toMatch(/^Does not boot as it is: the disc has no boot record \(El Torito catalog\)/);
    expect(lines.join('\n')).not.toMatch(/UEFI firmware boots from/);
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('a cut download is ready for nothing: no "boots" or "fits" line, the verdicts say so', async () => {
    const cut = join(dir, 'cut-win7.iso');
    writeFileSync(cut, readFileSync(win7).subarray(0, wimAt() + 1024));
    const w = await open();
    await chooseFile(w.page, cut);
    await w.page.getByTestId('damage').waitFor();
    await expect.poll(() => w.page.getByTestId('ready-summary').textContent(), { timeout: 15_000 }).toMatch(/^\s*No: this file is incomplete/);
    const lines = await w.page.getByTestId('readiness').locator('li').allTextContents();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Not ready for anything: this file is incomplete/);
    expect(await w.page.locator('main').textContent()).not.toMatch(/Boots BIOS|fits on a FAT32/);
    // Nor is it the file as published, whatever the catalogue holds.
    expect(await w.page.getByTestId('genuine-summary').textContent()).toMatch(/^\s*Not the file as published: it is incomplete/);
    await w.context.close();
  });

  it('the identity, "Genuine?" and "Ready to use?" verdicts are in the first screen at 1366 × 768 and 390 × 844, light and dark', async () => {
    const seen: string[] = [];
    for (const viewport of [
      { width: 1366, height: 768 },
      { width: 390, height: 844 },
    ])
      for (const colorScheme of ['light', 'dark'] as const) {
        const w = await open({ viewport, colorScheme });
        await chooseFile(w.page, win7);
        await expect.poll(() => w.page.getByTestId('ready-summary').textContent(), { timeout: 15_000 }).toMatch(/Virtual machine: /);
        for (const id of ['windows-summary', 'genuine-summary', 'ready-summary']) {
          const box = await inViewport(w.page, id);
          seen.push(`${viewport.width}×${viewport.height} ${colorScheme} ${id}: ${Math.round(box.top)}–${Math.round(box.bottom)}`);
          expect(box.inside, `${id} at ${viewport.width}×${viewport.height} ${colorScheme}: ${box.top}–${box.bottom}`).toBe(true);
        }
        await w.context.close();
      }
    console.log(`first-screen verdicts (top–bottom, CSS px): ${seen.join('; ')}`);
  });

  it('choosing a folder while a report is open brings the table into view and focuses its heading; opening a row does the same for the report', async () => {
    const folder = join(dir, 'scroll');
    mkdirSync(folder, { recursive: true });
    for (const n of ['plain.iso', 'ipxe.iso', 'memtest86+x64.iso']) copyFileSync(join(FIXTURES, n), join(folder, n));
    const w = await open({ viewport: { width: 1366, height: 768 } });
    await chooseFile(w.page, win7);
    await w.page.getByTestId('disc-map').waitFor();
    await w.page.getByLabel('Choose a folder of images').setInputFiles(folder);
    await w.page.getByTestId('folder-table').waitFor();
    await expect.poll(() => w.page.evaluate(() => document.activeElement?.id)).toBe('h-folder');
    expect(await inViewport(w.page, 'folder-status')).toMatchObject({ inside: true });
    await w.page.getByRole('button', { name: 'Open ipxe.iso' }).click();
    await expect.poll(() => w.page.locator('#h-report').textContent()).toContain('ipxe.iso');
    await expect.poll(() => w.page.evaluate(() => document.activeElement?.id)).toBe('h-report');
    const report = await w.page.locator('#h-report').evaluate((e) => e.getBoundingClientRect().top);
    expect(report).toBeGreaterThanOrEqual(0);
    expect(report).toBeLessThan(768 / 2);
    await w.context.close();
  });

  it('the disc picture: its read marks are the report’s read log, install.wim and the volume where isoinfo places them, each part a button', async () => {
    const w = await open();
    await chooseFile(w.page, win7);
    const map = w.page.getByTestId('disc-map');
    await map.locator('[data-part=wim-0]').waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name: 'Export JSON' }).click()]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as Report;
    const drawn = await map
      .locator('[data-read]')
      .evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-offset')), Number(e.getAttribute('data-length'))]));
    // A file this small (under core/inspect's READ_WHOLE_BELOW) is read whole at opening: one mark, over the whole file.
    expect(exported.stats.ranges).toEqual([[0, statSync(win7).size]]);
    expect(drawn).toEqual(exported.stats.ranges);
    // Parts, in words: install.wim from its sector as isoinfo lists it, the volume as long as isoinfo says.
    const legend = await map.getByRole('button').allTextContents();
    const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;
    expect(legend.find((t) => t.startsWith('install.wim:'))).toContain(`from byte ${wimAt().toLocaleString('en-US')}`);
    expect(legend.find((t) => t.startsWith('Volume'))).toContain(bytes(volumeBytes()));
    expect(legend.some((t) => t.startsWith('install.wim: XML data'))).toBe(true);
    // Keyboard: each part is a button; focusing one shows it on the bar.
    const first = map.getByRole('button').first();
    await first.focus();
    await expect.poll(() => first.getAttribute('aria-pressed')).toBe('true');
    expect(await map.locator('.seg.on').count()).toBe(1);
    if (process.env.UPDATE_SCREENSHOTS) await map.screenshot({ path: join(SHOTS, 'disc-picture.png') });
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('duplicates are the same bytes: three files of one size and identity but different bytes are not, a byte copy is; damage and incompleteness are marked on the rows', async () => {
    const folder = join(dir, 'copies');
    mkdirSync(folder, { recursive: true });
    const good = readFileSync(win7);
    // Bytes no structure uses: sectors the volume leaves empty (all zeros; genisoimage leaves the space before UDF's anchor at
    // sector 256 so), outside the first and last 64 KiB the fingerprint reads. A changed byte there is the bit rot of a damaged copy.
    const zeroSector = (s: number) => good.subarray(s * 2048, (s + 1) * 2048).every((x) => x === 0);
    const spots = Array.from({ length: good.length / 2048 }, (_, s) => s)
      .filter((s) => s * 2048 > 65536 && (s + 1) * 2048 < good.length - 65536 && zeroSector(s))
      .map((s) => s * 2048 + 1000);
    expect(spots.length).toBeGreaterThan(2);
    const flipped = (at: number) => {
      const b = Buffer.from(good);
      b[at]! ^= 0xff;
      return b;
    };
    writeFileSync(join(folder, 'good.iso'), good);
    writeFileSync(join(folder, 'copy-of-good.iso'), good);
    writeFileSync(join(folder, 'damaged-a.iso'), flipped(spots[0]!));
    writeFileSync(join(folder, 'damaged-b.iso'), flipped(spots[spots.length - 1]!));
    writeFileSync(join(folder, 'cut.iso'), good.subarray(0, 300_000));
    writeFileSync(join(folder, 'bad-empty.iso'), '');
    const w = await open();
    await w.page.getByLabel('Choose a folder of images').setInputFiles(folder);
    const table = w.page.getByTestId('folder-table');
    await expect.poll(() => w.page.getByTestId('folder-status').textContent(), { timeout: 30_000 }).toMatch(/^\s*6 images\s*$/);
    const row = (n: string) => table.getByRole('row').filter({ has: w.page.getByRole('button', { name: `Open ${n}` }) });
    const same = (n: string) => row(n).getByTestId('sameness').allTextContents();
    // Before any hash: the same size, identity and first and last 64 KiB are only "the same so far".
    for (const n of ['good.iso', 'copy-of-good.iso', 'damaged-a.iso', 'damaged-b.iso'])
      await expect.poll(() => same(n), { message: n }).toEqual(['same size and contents so far: hash to confirm']);
    expect(await table.getByText('duplicate', { exact: true }).count()).toBe(0);
    // Damage and incompleteness are marked where the eye is, not only in the CSV.
    expect(await row('cut.iso').getByTestId('condition').textContent()).toBe('incomplete');
    expect(await row('bad-empty.iso').getByTestId('condition').textContent()).toBe('not a disc image');
    for (const n of ['good.iso', 'copy-of-good.iso', 'damaged-a.iso', 'damaged-b.iso']) await table.getByRole('checkbox', { name: `Select ${n}` }).check();
    await w.page.getByRole('button', { name: 'Hash 4 selected (SHA-256)' }).click();
    await w.page.getByRole('button', { name: 'Hash 4 selected (SHA-256)' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => same('good.iso')).toEqual(['duplicate']);
    expect(await same('copy-of-good.iso')).toEqual(['duplicate']);
    expect(await same('damaged-a.iso')).toEqual([]);
    expect(await same('damaged-b.iso')).toEqual([]);
    await w.page.getByRole('checkbox', { name: /^Duplicates/ }).check();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    await w.context.close();
  });

  it('the filter matches words against fields: "windows 7 x64" finds Windows 7, not a Server 2022 build 20348.1787', async () => {
    const folder = join(dir, 'filter');
    mkdirSync(folder, { recursive: true });
    copyFileSync(win7, join(folder, 'win7-pro-x64.iso'));
    copyFileSync(serverIso, join(folder, 'server-2022.iso'));
    const w = await open();
    await w.page.getByLabel('Choose a folder of images').setInputFiles(folder);
    await expect.poll(() => w.page.getByTestId('folder-status').textContent(), { timeout: 30_000 }).toMatch(/^\s*2 images\s*$/);
    const table = w.page.getByTestId('folder-table');
    const names = () =>
      table
        .locator('tbody tr')
        .getByRole('button', { name: /^Open / })
        .allTextContents();
    const filter = w.page.getByPlaceholder('e.g. Windows 7 x64');
    await filter.fill('windows 7 x64');
    await expect.poll(names).toEqual(['win7-pro-x64.iso']);
    await filter.fill('server 2022');
    await expect.poll(names).toEqual(['server-2022.iso']);
    await filter.fill('x64');
    await expect.poll(names).toEqual(['server-2022.iso', 'win7-pro-x64.iso']);
    await w.context.close();
  });

  it('opening another image mid-hash says the hash stopped, how far, and offers to run it again', async () => {
    const big = join(dir, 'long-hash.img');
    writeFileSync(big, readFileSync(join(FIXTURES, 'plain.iso')));
    truncateSync(big, 1024 ** 3);
    const w = await open();
    await chooseFile(w.page, big);
    await w.page.getByRole('button', { name: 'Compute hashes' }).click();
    await w.page.getByRole('progressbar', { name: 'Hashing' }).waitFor();
    await expect.poll(() => w.page.getByRole('progressbar', { name: 'Hashing' }).evaluate((e) => (e as HTMLProgressElement).value)).toBeGreaterThan(0);
    await chooseFile(w.page, win7);
    await expect
      .poll(() => w.page.getByTestId('hash-stopped').textContent())
      .toMatch(/^\s*Hashing of long-hash\.img stopped at [\d.]+ (kB|MB|GB) of 1\.07 GB: you opened win7-pro-x64\.iso\./);
    await w.page.getByRole('button', { name: 'Hash long-hash.img again' }).click();
    await expect.poll(() => w.page.getByTestId('rehash').textContent(), { timeout: 60_000 }).toMatch(/long-hash\.img hashed: SHA256 kept in your history\./);
    const entry = w.page.getByTestId('history').getByRole('listitem').filter({ hasText: 'long-hash.img' });
    await expect.poll(() => entry.textContent()).toContain('SHA-256 known');
    // The image open meanwhile got nothing of it.
    expect(await w.page.getByTestId('hash-sha256').count()).toBe(0);
    await w.context.close();
  });

  it('smaller things, each seen: every language named, one unit system, no empty history field, a cut install.wim said once on a phone, names wrap between words, phone cards without empty labels', async () => {
    // Two languages: the headline names both, as wimlib-imagex reads install.esd.
    const esd = join(dir, 'install.esd');
    writeFileSync(esd, spawnSync('7zz', ['e', '-so', '-tudf', join(FIXTURES, 'win11-esd.iso'), 'sources/install.esd'], { maxBuffer: 1 << 26 }).stdout);
    const langs = [
      ...new Set(
        [...spawnSync('wimlib-imagex', ['info', esd], { encoding: 'utf8' }).stdout.matchAll(/^Languages:\s+(.*)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/)),
      ),
    ];
    expect(langs.length).toBeGreaterThan(1);
    const w = await open({ viewport: { width: 390, height: 844 } });
    await chooseFile(w.page, join(FIXTURES, 'win11-esd.iso'));
    await expect.poll(() => w.page.getByTestId('windows-summary').textContent()).toContain(langs.join(' + '));
    // One unit system: decimal, and no floor (install.esd's few kilobytes are not "0.1 MB").
    const text = (await w.page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(text).not.toMatch(/\b(KiB|MiB|GiB)\b/);
    expect(text).not.toMatch(/0\.1 MB/);
    // History: a file that names nothing leaves no empty field between separators.
    const random = join(dir, 'bad-random.iso');
    writeFileSync(random, Buffer.alloc(3_000_000, 7));
    await chooseFile(w.page, random);
    const entry = w.page.getByTestId('history').getByRole('listitem').filter({ hasText: 'bad-random.iso' });
    await expect.poll(() => entry.textContent()).toMatch(/bad-random\.iso · 3\.0 MB · \d{4}-/);
    expect((await entry.textContent())!.replace(/\s+/g, ' ')).not.toMatch(/· ·/);
    // A download cut inside install.wim's header: its one line about install.wim is printed once (not again as a hidden table's caption).
    const cutInWim = join(dir, 'cut-in-wim.iso');
    writeFileSync(cutInWim, readFileSync(win7).subarray(0, wimAt() + 100));
    await chooseFile(w.page, cutInWim);
    await w.page.getByTestId('install-unreadable').waitFor();
    const seen = (await w.page.locator('article').innerText()).split('as its directory entry says').length - 1;
    expect(seen).toBe(1);
    // Phone folder cards: a file that is not an image shows no column names over empty values.
    const folder = join(dir, 'cards');
    mkdirSync(folder, { recursive: true });
    copyFileSync(win7, join(folder, 'win7-pro-x64.iso'));
    writeFileSync(join(folder, 'bad-empty.iso'), '');
    await w.page.getByLabel('Choose a folder of images').setInputFiles(folder);
    await expect.poll(() => w.page.getByTestId('folder-status').textContent(), { timeout: 30_000 }).toMatch(/^\s*2 images\s*$/);
    const empty = await w.page.getByTestId('folder-table').evaluate((t) =>
      [...t.querySelectorAll('td')]
        .filter((td) => (td as HTMLElement).offsetParent !== null)
        .filter((td) => (td.textContent ?? '').replace(td.querySelector('.cell-label')?.textContent ?? '', '').trim() === '')
        .map((td) => td.textContent),
    );
    expect(empty).toEqual([]);
    await w.context.close();

    // At 1366 px the folder table's names break only between their words.
    const d = await open({ viewport: { width: 1366, height: 768 } });
    const names = join(dir, 'names');
    mkdirSync(names, { recursive: true });
    for (const n of ['bad-empty.iso', 'en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso', 'memtest86+x64.iso'])
      copyFileSync(n === 'bad-empty.iso' ? join(FIXTURES, 'plain.iso') : n.startsWith('en_') ? win7 : join(FIXTURES, n), join(names, n));
    await d.page.getByLabel('Choose a folder of images').setInputFiles(names);
    await expect.poll(() => d.page.getByTestId('folder-status').textContent(), { timeout: 30_000 }).toMatch(/^\s*3 images\s*$/);
    const breaks = await d.page.getByTestId('folder-table').evaluate((t) =>
      [...t.querySelectorAll('button.name')].flatMap((b) => {
        // Each character's line (by its box's top): a new line may start only after - _ . / or a space.
        const chars: { ch: string; top: number }[] = [];
        const walker = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode())
          for (let i = 0; i < n.textContent!.length; i++) {
            const r = document.createRange();
            r.setStart(n, i);
            r.setEnd(n, i + 1);
            chars.push({ ch: n.textContent![i]!, top: Math.round(r.getBoundingClientRect().top) });
          }
        return chars.flatMap((c, i) =>
          i && c.top > chars[i - 1]!.top && !/[-_./ ]/.test(chars[i - 1]!.ch) ? [`${b.textContent}: …${chars[i - 1]!.ch}|${c.ch}…`] : [],
        );
      }),
    );
    expect(breaks).toEqual([]);
    await d.context.close();
  });
});
