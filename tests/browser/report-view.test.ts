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
  render(ReportView, { report });
  await expect.element(page.getByText('ISOIMAGE', { exact: true })).toBeVisible();
  await expect.element(page.getByRole('heading', { name: /Boot \(El Torito, catalog at sector 33\)/ })).toBeVisible();
  await expect.element(page.getByRole('cell', { name: '/efi.img' })).toBeVisible();
  await expect.element(page.getByRole('heading', { name: 'Partitions (MBR)' })).toBeVisible();
});

it('filters the file list by name', async () => {
  const report = await commands.nodeReport('joliet-rr.iso', true);
  render(ReportView, { report });
  await page.getByLabelText('Search').fill('grüße');
  await expect.element(page.getByText('/docs/Grüße.txt')).toBeVisible();
  await expect.element(page.getByText('/README.TXT')).not.toBeInTheDocument();
});
