/**
 * What the end-to-end files share: the built app served on loopback and
 * driven in Debian's Chromium, each page watched for requests and errors,
 * and the file list walked by keyboard as a user walks it.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright';

const ROOT = resolve(import.meta.dirname, '../..');

/** Build the app as a user would (outside vitest, so the PWA plugin is on), into `outDir` (default dist/). */
export function buildApp(outDir?: string): void {
  const env = { ...process.env };
  delete env.VITEST;
  const args = [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error', ...(outDir ? ['--outDir', outDir, '--emptyOutDir'] : [])];
  const b = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`vite build failed: ${b.stderr}`);
}

/** Debian's Chromium (CHROME_PATH else /usr/bin/chromium), making no requests of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface Watched {
  context: BrowserContext;
  page: Page;
  /** Every request the page's context made. */
  requests: Request[];
  /** Console errors and uncaught exceptions. */
  problems: string[];
}

/** A new context and page at `url`, its requests and errors recorded. */
export async function openWatched(browser: Browser, url: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<Watched> {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const requests: Request[] = [];
  const problems: string[] = [];
  context.on('request', (r) => requests.push(r));
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(url);
  return { context, page, requests, problems };
}

/** Every request stayed on the app's origin, and none carried a body (no byte of a file can have left). */
export function expectSameOrigin(requests: Request[], appUrl: string): void {
  const origin = new URL(appUrl).origin;
  for (const r of requests) {
    const u = new URL(r.url());
    if (u.protocol === 'blob:' || u.protocol === 'data:') continue;
    expect(u.origin, r.url()).toBe(origin);
    expect(r.method(), r.url()).toBe('GET');
    expect(r.postData(), r.url()).toBeNull();
  }
}

/** The file list's one Tab stop (its focused row). */
export const focusedRow = (page: Page) => page.locator('[role=grid] tbody tr[tabindex="0"]');

/**
 * From the disc's root, open folder after folder by keyboard: for each step, type the start of its name (the
 * list's type-ahead) and press Enter, then wait for the list of the folder it opens (`Files in <path>`).
 */
export async function browseInto(page: Page, steps: readonly (readonly [typed: string, path: string])[]): Promise<void> {
  await page.getByRole('grid', { name: 'Files in /' }).waitFor();
  await focusedRow(page).focus();
  for (const [typed, path] of steps) {
    await page.keyboard.type(typed);
    await page.keyboard.press('Enter');
    await page.getByRole('grid', { name: `Files in ${path}` }).waitFor();
  }
}
