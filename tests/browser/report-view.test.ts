/** The report view renders real reports (from the Node readers over fixtures). */
import { expect, it } from 'vitest';
import { commands, page } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import ReportView from '../../src/components/ReportView.svelte';
import type { Report } from '../../workers/report/types.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeReport(name: string, files?: boolean): Promise<Report>;
  }
}

it('shows volume, boot entries and partitions of ipxe.iso', async () => {
  const report = await commands.nodeReport('ipxe.iso', true);
  await render(ReportView, { report });
  await expect.element(page.getByText('ISOIMAGE', { exact: true })).toBeVisible();
  await expect.element(page.getByRole('heading', { name: /Boot \(El Torito, catalog at sector 33\)/ })).toBeVisible();
  await expect.element(page.getByRole('cell', { name: '/efi.img' })).toBeVisible();
  await expect.element(page.getByRole('heading', { name: 'Partitions (MBR)' })).toBeVisible();
});

it('filters the file list by name', async () => {
  const report = await commands.nodeReport('joliet-rr.iso', true);
  await render(ReportView, { report });
  await page.getByLabelText('Search all folders').fill('grüße');
  // A search lists matches from every folder, by their full paths.
  await expect.element(page.getByRole('row', { name: /\/docs\/Grüße\.txt/ })).toBeVisible();
  await expect.element(page.getByRole('row', { name: /README\.TXT/ })).not.toBeInTheDocument();
});

it('says what a non-Windows disc is, from what it says of itself', async () => {
  const report = await commands.nodeReport('memtest86+x64.iso');
  await render(ReportView, { report });
  await expect.element(page.getByTestId('headline')).toHaveTextContent(/^Memtest86\+ memory tester \(64-bit\)\s*\(from volume identifier\)$/);
});

it('a file that is no disc image: one message, no empty sections', async () => {
  const report = await commands.nodeReport('win7-pro-x64.isoinfo.txt');
  await render(ReportView, { report, verify: undefined });
  await expect.element(page.getByRole('alert')).toHaveTextContent(/not a disc image/);
  expect(page.getByRole('alert').elements()).toHaveLength(1);
  expect(page.getByRole('heading', { name: 'File systems' }).elements()).toHaveLength(0);
  expect(page.getByRole('heading', { name: 'Problems' }).elements()).toHaveLength(0);
});
