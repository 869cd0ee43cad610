/** Each view rendered with real report objects (the Node readers' reports of fixtures), in Chromium. */
import { describe, expect, it } from 'vitest';
import { fixtureFile } from './fixture-file.ts';
import { commands, page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import WindowsCard from '../../src/components/WindowsCard.svelte';
import VerifyPanel from '../../src/components/VerifyPanel.svelte';
import HistoryPanel from '../../src/components/HistoryPanel.svelte';
import CataloguePanel from '../../src/components/CataloguePanel.svelte';
import FileBrowser from '../../src/components/FileBrowser.svelte';
import { forgetAll, remember } from '../../src/lib/history.ts';
import { identify } from '../../src/lib/file-identity.ts';
import { WorkerBridge } from '../../src/lib/bridge.ts';
import type { Report } from '../../workers/report/types.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeReport(name: string, files?: boolean): Promise<Report>;
    nodeHashes(name: string): Promise<Record<string, string>>;
    wimlibImage(name: string, index: number, extract?: string): Promise<{ files: { path: string; size: number }[]; bytes: string | null }>;
  }
}

describe('views', () => {
  it('WindowsCard: summary, support status, editions, what Setup keeps beside the WIM', async () => {
    const r = await commands.nodeReport('win7-pro-x64.iso');
    await render(WindowsCard, { windows: r.windows!, summary: true });
    await expect.element(page.getByTestId('windows-summary')).toHaveTextContent('Windows 7 Professional SP1 x64, build 7601, de-DE, OEM');
    await expect.element(page.getByText(/gets no security updates/)).toBeVisible();
    await expect.element(page.getByRole('cell', { name: 'Ultimate', exact: true })).toBeVisible();
    await expect.element(page.getByText('present (the key is not shown)')).toBeVisible();
  });

  it('WindowsCard: the stale XML build note on the Windows 11 ESD', async () => {
    const r = await commands.nodeReport('win11-esd.iso');
    await render(WindowsCard, { windows: r.windows! });
    await expect.element(page.getByText(/XML says build 22621/)).toBeVisible();
  });

  it('VerifyPanel: a pasted hash against known hashes gives MATCH, a wrong one MISMATCH', async () => {
    const file = await fixtureFile('plain.iso');
    const known = await commands.nodeHashes('plain.iso');
    await render(VerifyPanel, { file, identity: await identify(file), known: { sha256: known.sha256! }, onhashes: () => {} });
    const box = page.getByPlaceholder('Paste a SHA-256, SHA-1, MD5 or CRC32');
    await box.fill(known.sha256!.toUpperCase());
    await expect.element(page.getByTestId('verdict')).toHaveTextContent('MATCH');
    await box.fill('0'.repeat(64));
    await expect.element(page.getByTestId('verdict')).toHaveTextContent('MISMATCH');
    // As PowerShell prints it, and a digit short: a match, then words on what is wrong.
    await box.fill(`Algorithm : SHA256\nHash      : ${known.sha256!.toUpperCase()}\nPath      : C:\\Downloads\\plain.iso`);
    await expect.element(page.getByTestId('verdict')).toHaveTextContent('MATCH');
    await box.fill(known.sha256!.slice(1));
    await expect.element(page.getByTestId('unreadable-hash')).toHaveTextContent('63 hex digits — one missing? A SHA-256 has 64.');
    expect(page.getByTestId('verdict').elements()).toHaveLength(0);
  });

  it('HistoryPanel: lists what was remembered, forgets on request', async () => {
    await forgetAll();
    await remember({ name: 'ipxe.iso', size: 2097152, lastModified: 1, fingerprint: 'f'.repeat(64), label: 'ISOIMAGE', summary: null });
    await render(HistoryPanel, {});
    await expect.element(page.getByTestId('history').getByText('ipxe.iso')).toBeVisible();
    await page.getByRole('button', { name: 'Forget ipxe.iso' }).click();
    await expect.element(page.getByText('Nothing yet.')).toBeVisible();
  });

  it('HistoryPanel: a batch filed at once joins the list newest first, keeps what was known of each file, and the list comes a page at a time', async () => {
    const { history } = await import('../../src/lib/history.svelte.ts');
    await forgetAll();
    const old = { name: 'img-0000.iso', size: 1, lastModified: 1, fingerprint: 'a'.repeat(64) };
    await remember({ ...old, label: 'OLD', summary: null, hashes: { sha256: 'b'.repeat(64) } });
    await render(HistoryPanel, {});
    await expect.element(page.getByTestId('history').getByText('img-0000.iso')).toBeVisible();
    const batch = Array.from({ length: 120 }, (_, i) => ({
      name: `img-${String(i).padStart(4, '0')}.iso`,
      size: 1,
      lastModified: 1,
      fingerprint: 'a'.repeat(64),
      label: `L${i}`,
      summary: null,
    }));
    const kept = await history.rememberMany(batch);
    expect(kept).toHaveLength(120);
    expect(kept[0]!.hashes.sha256).toBe('b'.repeat(64)); // what history held of that very file
    expect(kept[1]!.hashes).toEqual({});
    // The list in memory is what the store lists (no entry twice), newest first.
    const stored = await (await import('../../src/lib/history.ts')).listHistory();
    expect(history.items.map((i) => i.key)).toEqual(stored.map((i) => i.key));
    await expect.element(page.getByText('Showing 50 of 120.')).toBeVisible();
    await page.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => page.getByTestId('history').getByRole('listitem').elements().length).toBe(120);
  });

  it('CataloguePanel: a size difference is reported before any hash is computed', async () => {
    const { importCatalogue, clearCatalogue } = await import('../../src/lib/catalogue-store.ts');
    await clearCatalogue();
    await importCatalogue(new File([`name,size,sha256\nplain.iso,999,${'c'.repeat(64)}\n`], 'mine.csv'));
    await render(CataloguePanel, { file: { name: 'plain.iso', size: 151552 }, hashes: {} });
    await expect.element(page.getByTestId('catalogue-verdict')).toHaveTextContent(/that one is 999 bytes, this file 151552/);
    await clearCatalogue();
  });

  it('FileBrowser: folders with breadcrumbs, keys, type-ahead and sorting; the viewer beside the list; the Joliet tree through the worker', async () => {
    const r = await commands.nodeReport('win7-pro-x64.iso', true);
    const file = await fixtureFile('win7-pro-x64.iso');
    const bridge = new WorkerBridge();
    const actions = {
      switchTree: async (n: string) => (await bridge.listTree(file, n)).files,
      images: async (n: string, p: string) => (await bridge.images(file, n, p)).images,
      head: (n: string, p: string) => bridge.fileContents(file, n, p),
      save: async () => {},
      saveZip: async () => {},
    };
    await render(FileBrowser, { files: r.files!, filesFrom: r.filesFrom!, trees: r.trees!, actions });
    await expect.element(page.getByRole('heading', { name: /UDF/ })).toBeVisible();
    const grid = page.getByRole('grid');
    // The root lists its folders first, then its files; one row takes the Tab stop.
    const rootNames = r.files!.filter((f) => f.path.split('/').length === 2).map((f) => f.path.slice(1));
    await expect.element(grid).toHaveAttribute('aria-label', 'Files in /');
    expect(grid.element().querySelectorAll('tbody tr').length).toBe(rootNames.length);
    expect(grid.element().querySelectorAll('tbody tr[tabindex="0"]').length).toBe(1);
    // Into sources/ from the keyboard: type-ahead "so", Enter; the breadcrumbs follow.
    (grid.element().querySelector('tbody tr[tabindex="0"]') as HTMLElement).focus();
    await userEvent.keyboard('so');
    await expect.element(page.getByRole('region', { name: 'Selected: sources' })).toBeVisible();
    await userEvent.keyboard('{Enter}');
    await expect.element(grid).toHaveAttribute('aria-label', 'Files in /sources');
    await expect.element(page.getByRole('navigation', { name: 'Folder path' })).toHaveTextContent(/\/\s*sources/);
    const inSources = r.files!.filter((f) => f.path.startsWith('/sources/') && !f.dir);
    expect(grid.element().querySelectorAll('tbody tr').length).toBe(inSources.length);
    // Sorted by size, largest first: install.wim (the report's largest file there) leads.
    await page.getByRole('button', { name: 'Size' }).click();
    const largest = [...inSources].sort((a, b) => b.size - a.size)[0]!;
    expect(grid.element().querySelector('tbody tr')?.getAttribute('data-path')).toBe(largest.path);
    await expect.element(page.getByRole('columnheader', { name: /Size/ })).toHaveAttribute('aria-sort', 'descending');
    // Type-ahead to lang.ini and view it beside the list.
    (grid.element().querySelector('tbody tr[tabindex="0"]') as HTMLElement).focus();
    await userEvent.keyboard('lang');
    await userEvent.keyboard('{Enter}');
    await expect.element(page.getByRole('region', { name: 'Contents of /sources/lang.ini' })).toHaveTextContent(/de-DE = 3/);
    // Backspace goes up, keeping sources/ under the keyboard.
    (grid.element().querySelector('tbody tr[tabindex="0"]') as HTMLElement).focus();
    await userEvent.keyboard('{Backspace}');
    await expect.element(grid).toHaveAttribute('aria-label', 'Files in /');
    expect(grid.element().querySelector('tbody tr[tabindex="0"]')?.getAttribute('data-path')).toBe('/sources');
    // Another tree, read by the worker.
    await page.getByRole('radio', { name: 'Joliet' }).click();
    await expect.element(page.getByRole('heading', { name: /Joliet/ })).toBeVisible();
  });

  it('FileBrowser: install.wim opens like a folder of its images, each image its files as wimlib lists them, a file viewed as wimlib extracts it', async () => {
    const file = await fixtureFile('win7-pro-x64.iso');
    const bridge = new WorkerBridge();
    const r = await bridge.inspect(file, { files: true });
    const actions = {
      switchTree: async (n: string) => (await bridge.listTree(file, n)).files,
      images: async (n: string, p: string) => (await bridge.images(file, n, p)).images,
      head: (n: string, p: string) => bridge.fileContents(file, n, p),
      save: async () => {},
      saveZip: async () => {},
    };
    await render(FileBrowser, { files: r.files!, filesFrom: r.filesFrom!, trees: r.trees!, actions });
    const grid = page.getByRole('grid');
    const row = (path: string) => grid.element().querySelector<HTMLElement>(`tbody tr[data-path="${CSS.escape(path)}"]`);
    // By keyboard: into sources/, onto install.wim, Enter: its images are its folders.
    (grid.element().querySelector('tbody tr[tabindex="0"]') as HTMLElement).focus();
    await userEvent.keyboard('so');
    await userEvent.keyboard('{Enter}');
    await expect.element(grid).toHaveAttribute('aria-label', 'Files in /sources');
    (grid.element().querySelector('tbody tr[tabindex="0"]') as HTMLElement).focus();
    await userEvent.keyboard('install.w');
    await expect.element(page.getByRole('region', { name: 'Selected: install.wim' })).toBeVisible();
    await userEvent.keyboard('{Enter}');
    await expect.element(grid).toHaveAttribute('aria-label', 'Files in /sources/install.wim');
    const editions = [...grid.element().querySelectorAll('tbody tr')].map((t) => t.getAttribute('data-path'));
    expect(editions).toEqual(['/sources/install.wim/1 · Windows 7 PROFESSIONAL', '/sources/install.wim/2 · Windows 7 ULTIMATE']);
    // Into the first image: its root as wimlib-imagex dir lists it.
    row('/sources/install.wim/1 · Windows 7 PROFESSIONAL')!.focus();
    await userEvent.keyboard('{Enter}');
    const prefix = '/sources/install.wim/1 · Windows 7 PROFESSIONAL';
    await expect.element(grid).toHaveAttribute('aria-label', `Files in ${prefix}`);
    const truth = await commands.wimlibImage('win7-pro-x64.iso', 1);
    const rootNames = truth.files
      .filter((f) => f.path.split('/').length === 2)
      .map((f) => `${prefix}${f.path}`)
      .sort();
    expect([...grid.element().querySelectorAll('tbody tr')].map((t) => t.getAttribute('data-path')).sort()).toEqual(rootNames);
    await expect
      .element(page.getByRole('navigation', { name: 'Folder path' }))
      .toHaveTextContent(/sources\s*›?\s*install\.wim\s*›?\s*1 · Windows 7 PROFESSIONAL/);
    // The search reaches into the image; a text file in it is viewed as wimlib extracts it.
    const text = truth.files.find((f) => /\.(txt|ini|inf|xml)$/i.test(f.path) && f.size > 0 && f.size < 65536);
    expect(text).toBeDefined();
    await page.getByRole('searchbox').fill(text!.path.slice(text!.path.lastIndexOf('/') + 1));
    await expect.poll(() => row(`${prefix}${text!.path}`)).not.toBeNull();
    row(`${prefix}${text!.path}`)!.focus();
    await userEvent.keyboard('{Enter}');
    const { bytes } = await commands.wimlibImage('win7-pro-x64.iso', 1, text!.path);
    const want = new TextDecoder().decode(Uint8Array.from(atob(bytes!), (c) => c.charCodeAt(0)));
    await expect.element(page.getByRole('region', { name: `Contents of ${prefix}${text!.path}` })).toHaveTextContent(want.trim().slice(0, 40));
  });
});
