/**
 * End to end (#23 §3): the built app checks the signatures of every system
 * file of an edition, driven by keyboard in Debian's Chromium, on a disc made
 * at test time whose files carry real signatures (tests/browser/signed-media.ts:
 * Debian's shim signed by Microsoft's third-party UEFI CA, Debian's GRUB, a
 * changed shim, files and a catalog signed by a test CA that copies
 * Microsoft's names; edition 2 holds 1 GiB more, to watch and to cancel).
 * The result is compared with the CLI's --verify-signatures on the same file;
 * cancelling stops that check alone. axe-core finds nothing serious.
 *
 * The app is built into a directory of its own (the other e2e files build
 * dist/ at the same time).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Request } from 'playwright';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveStatic } from '../helpers/static-server.ts';
import { buildApp, expectSameOrigin as expectSameOriginOf, launchChromium, openWatched } from '../helpers/e2e-app.ts';
import { makeSignedWindowsMedia, type SignedMedia } from '../browser/signed-media.ts';
import type { Report } from '../../workers/report/types.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'isoscope-e2e-signatures-'));
const BIG = 1 << 30;

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let media: SignedMedia;

beforeAll(async () => {
  const out = join(scratch, 'dist');
  buildApp(out);
  server = await serveStatic(out);
  browser = await launchChromium();
  media = makeSignedWindowsMedia({ bigBytes: BIG });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  media?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** The app with the signed disc open, its signatures' section shown. */
async function open(): Promise<{ page: Page; requests: Request[]; problems: string[]; close(): Promise<void> }> {
  const { context, page, requests, problems } = await openWatched(browser, server.url);
  await page.getByLabel('Choose a disc image').setInputFiles(media.iso);
  await page.getByTestId('disc-signatures').waitFor();
  return { page, requests, problems, close: () => context.close() };
}

const expectSameOrigin = (requests: Request[]) => expectSameOriginOf(requests, server.url);

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim());

describe('the signatures of an edition, in the built app', () => {
  it('by keyboard: edition 2 chosen, checked with progress and a time estimate, the result as the CLI’s --verify-signatures gives it; the loaders’ and the disc’s verdicts open to their chains; axe-clean', async () => {
    const w = await open();
    const { page } = w;
    // "Ready to use?": shim's line, opened by keyboard to its two signatures' chains.
    const shim = page.getByTestId('loader-signatures').filter({ hasText: 'bootx64.efi' });
    await shim.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => shim.getByTestId('signature-chain').count()).toBe(2);
    expect(await shim.getByTestId('signature-chain').first().textContent()).toMatch(/Microsoft Corporation UEFI CA 2011.*SHA-256 48e99b99/s);

    // Edition 2, from the keyboard: the select, then the button after it.
    await page.getByLabel('Edition').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Edition').inputValue()).toBe('2');
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Check the signatures of every system file of edition 2');
    const started = Date.now();
    await page.keyboard.press('Enter');
    // The button became Cancel and kept the focus; progress and a time estimate show, and are announced in steps.
    await expect.poll(() => focusedText(page)).toBe('Cancel the signature check of edition 2');
    await expect
      .poll(() => page.getByTestId('edition-progress').textContent(), { interval: 50 })
      .toMatch(/^Checking edition 2: [\d,]+ of [\d,]+ files, .* of 1\.\d+ GB · [\d.]+ [kMG]?B\/s · (about .* left|estimating the time left)$/);
    await page.getByRole('progressbar', { name: 'Checking signatures' }).waitFor();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /^Checking signatures: \d+ %$/ })
          .count(),
      )
      .toBe(1);
    const verdict = page.getByTestId('edition-verdict');
    await verdict.waitFor({ timeout: 120_000 });
    const ms = Date.now() - started;
    expect(await focusedText(page)).toBe('Check the signatures of every system file of edition 2');

    // The CLI's check of the same file (node:crypto), for the same edition: the same words, the same files in the same order.
    const cli = spawnSync(process.execPath, [join(ROOT, 'workers/cli/bin.cjs'), media.iso, '--json', '--verify-signatures', '2'], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    expect(cli.status).toBe(1); // files claim Microsoft and fail
    const theirs = (JSON.parse(cli.stdout) as Report).signatures!.editions![0]!;
    expect(theirs.words).toBe('1 of 9 system files are signed by Microsoft (embedded or by catalog); these 8 are not:');
    expect(await verdict.textContent()).toContain(`2 · Windows 10 Education: ${theirs.words}`);
    const listed = await page
      .getByRole('list', { name: 'System files not signed by Microsoft' })
      .locator('summary')
      .evaluateAll((s) => s.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
    expect(listed).toEqual(theirs.files.map((f): unknown => expect.stringMatching(new RegExp(`^${escape(f.path)} .*${escape(f.words)}$`))));
    expect(theirs.files.slice(0, 5).every((f) => f.claimsMicrosoftButFails)).toBe(true);
    expect(await page.getByTestId('edition-claims').innerText()).toMatch(/^5 files and 1 catalog claim to be Microsoft’s and fail/);
    console.log(`edition 2 (${(theirs.bytesTotal / 1e9).toFixed(2)} GB of system files) checked in the app in ${ms} ms; the CLI: ${theirs.ms} ms`);

    // The exports carry the check as the CLI's JSON does (timings aside), and the Markdown says it with the files.
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
    const ours = (JSON.parse(readFileSync(await json.path(), 'utf8')) as Report).signatures?.editions;
    const untimed = (e: typeof theirs) => ({ ...e, ms: 0, bytesPerSecond: 0 });
    expect(ours?.map(untimed)).toEqual([untimed(theirs)]);
    const [md] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Markdown' }).click()]);
    const markdown = readFileSync(await md.path(), 'utf8');
    expect(markdown).toContain(`- Edition 2 (${theirs.label}): ${theirs.words}`);
    expect(markdown).toContain(`  - \`${theirs.files[0]!.path}\`: ${theirs.files[0]!.words}`);

    // A file of the list opens to its chain.
    const kernel32 = page.getByTestId('edition-result').getByTestId('verdict-item').filter({ hasText: '/Windows/System32/kernel32.dll' });
    await kernel32.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await kernel32.getByTestId('signature-chain').textContent()).toMatch(/none: the chain stops at Microsoft Root Certificate Authority 2010/);

    const axe = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axe);
    const violations = await page.evaluate<
      {
        id: string;
        impact: string;
        nodes: { target: string[] }[];
      }[]
    >('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)');
    expect(
      violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    expectSameOrigin(w.requests);
    expect(w.problems).toEqual([]);
    await w.close();
  });

  it('cancel by keyboard stops that check alone: it says so, keeps no result, and the other jobs and the report go on', async () => {
    const w = await open();
    const { page } = w;
    await page.getByLabel('Edition').selectOption('2');
    await page.getByRole('button', { name: 'Check the signatures of every system file of edition 2' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('edition-progress').textContent(), { interval: 50 }).toMatch(/^Checking edition 2: [\d,]+ of [\d,]+ files/);
    expect(await focusedText(page)).toBe('Cancel the signature check of edition 2');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('edition-stopped').textContent())
      .toMatch(/^Signature check of edition 2 cancelled after [\d,]+ of [\d,]+ files: nothing is said of this edition\.$/);
    expect(await focusedText(page)).toBe('Check the signatures of every system file of edition 2');
    expect(await page.getByTestId('edition-result').count()).toBe(0);
    expect(await page.getByRole('progressbar', { name: 'Checking signatures' }).count()).toBe(0);
    // The jobs worker still answers (the stream check runs on it), and the report's file browser too.
    await page.getByRole('button', { name: 'Check every file in install.wim' }).click();
    await expect.poll(() => page.getByTestId('streams-verdict').textContent(), { timeout: 60_000 }).toMatch(/^install\.wim intact: all \d+ streams/);
    await page.getByRole('grid', { name: 'Files in /' }).waitFor();
    expectSameOrigin(w.requests);
    expect(w.problems).toEqual([]);
    await w.close();
  });
});

/** A string as a literal inside a RegExp. */
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
