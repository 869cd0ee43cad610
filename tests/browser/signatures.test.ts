/**
 * Verified signatures in the views (#23 §3), rendered in Chromium from reports
 * the real core made of a disc whose files carry real signatures
 * (signed-media.ts: Debian's shim with Microsoft's third-party UEFI
 * signatures, Debian's GRUB, shim with one byte changed, files signed by a test
 * CA that copies Microsoft's names, a catalog it signed): each boot loader's
 * and each disc file's verdict in the report's words, styled by its kind,
 * opening to its chain; the edition check run in the worker, through the
 * bridge, with the same verdicts as the Node core's.
 */
import { describe, expect, it } from 'vitest';
import { commands, page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import ReportView from '../../src/components/ReportView.svelte';
import EditionCheckPanel from '../../src/components/EditionCheckPanel.svelte';
import { WorkerBridge } from '../../src/lib/bridge.ts';
import type { EditionCheckAction } from '../../src/lib/edition-check.svelte.ts';
import type { EditionProgress } from '../../workers/core/signatures.ts';
import type { EditionSignatures } from '../../workers/report/signatures.ts';
import type { Report } from '../../workers/report/types.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    signedMedia(): Promise<{ file: string; report: Report; edition: EditionSignatures }>;
  }
}

const SHIM_WORDS = 'Signed by Microsoft Windows UEFI Driver Publisher (chain to Microsoft Corporation UEFI CA 2011), unchanged since signing';
const FAKE_MS = "signed by a certificate that only claims Microsoft's name (Microsoft Root Certificate Authority 2010)";

async function signedFile(path: string): Promise<File> {
  const res = await fetch(`/__test-files/${path}`);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new File([await res.blob()], 'signed.iso');
}

describe('"Ready to use?": each UEFI loader’s verified verdict, opening to its chain', () => {
  it('shim: signed by Microsoft, both of its signatures with chain, anchor, fingerprint, dates and timestamp; a changed copy: changed after signing', async () => {
    const { report } = await commands.signedMedia();
    await render(ReportView, { report });
    const loaders = page.getByTestId('readiness').getByTestId('loader-signatures');
    expect(loaders.elements()).toHaveLength(2);
    const shim = loaders.filter({ hasText: 'bootx64.efi' });
    const changed = loaders.filter({ hasText: 'bootia32.efi' });
    await expect.element(shim.getByText(`bootx64.efi: ${SHIM_WORDS}`, { exact: false })).toBeVisible();
    expect(shim.element().querySelector('summary [data-kind]')!.getAttribute('data-kind')).toBe('microsoft');
    expect(changed.element().querySelector('summary [data-kind]')!.getAttribute('data-kind')).toBe('changed');
    await expect.element(changed.getByText('bootia32.efi was changed after it was signed', { exact: false })).toBeVisible();

    // Closed, the chain is not shown; opened (by keyboard), both signatures (2011 and 2023) with their chains.
    const chains = shim.getByTestId('signature-chain');
    await expect.element(chains.first()).not.toBeVisible();
    (shim.element().querySelector('summary') as HTMLElement).focus();
    await userEvent.keyboard('{Enter}');
    await expect.element(chains.first()).toBeVisible();
    expect(chains.elements()).toHaveLength(2);
    const [first, second] = chains.elements().map((e) => e.textContent ?? '');
    const sig = report.bootLoaders!.find((l) => l.path.endsWith('bootx64.efi'))!.signatures;
    expect(first).toContain('CN=Microsoft Windows UEFI Driver Publisher');
    expect(first).toContain(sig[0]!.verified!.anchorSha256!);
    expect(first).toMatch(/a trusted anchor isoscope ships \(Microsoft’s\)/);
    expect(first).toMatch(/Dates\s*not checked, as UEFI firmware does not check them/);
    expect(first).toContain(sig[0]!.verified!.timestamp!);
    expect(second).toContain('Microsoft UEFI CA 2023');
    // The changed copy's chain stops at its signer, who is issued by the CA the signature names.
    (changed.element().querySelector('summary') as HTMLElement).click();
    await expect.element(changed.getByTestId('signature-chain').first()).toHaveTextContent(/issued by \/C=US.*CN=Microsoft Corporation UEFI CA 2011/);
    await expect.element(page.getByText(/it says nothing of the rest of the image/)).toBeVisible();
  });
});

describe('"Genuine?": the disc’s own files', () => {
  it('each file’s verdict in the report’s words, failures first, each opening to its chain; the claim said at the top; never a claim that the image is genuine', async () => {
    const { report } = await commands.signedMedia();
    const disc = report.signatures!.disc!;
    await render(ReportView, { report });
    const box = page.getByTestId('disc-signatures');
    await expect.element(box.getByTestId('disc-signatures-words')).toHaveTextContent(disc.words);
    const items = box.getByTestId('verdict-item');
    const shown = items.elements().map((e) => ({
      kind: e.querySelector('[data-kind]')!.getAttribute('data-kind'),
      text: e.querySelector('summary, p')!.textContent.replace(/\s+/g, ' ').trim(),
    }));
    // Every file of the report, each with its path and the report's own words.
    expect(shown).toHaveLength(disc.files.length);
    for (const f of disc.files)
      expect(
        shown.some((s) => s.text.startsWith(f.path) && s.text.endsWith(f.words)),
        f.path,
      ).toBe(true);
    expect(shown.map((s) => s.kind)).toEqual(['claims', 'changed', 'changed', 'unsigned', 'other', 'microsoft', 'microsoft']);
    expect(shown[0]!.text).toContain(`/setup.exe`);
    expect(shown[0]!.text).toContain(FAKE_MS);
    await expect.element(box.getByTestId('disc-signatures-claims')).toHaveTextContent(/^3 of these files claim to be Microsoft’s and fail/);
    await expect.element(page.getByTestId('genuine-summary')).toHaveTextContent(/3 of its files claim Microsoft’s signature and fail it/);

    // setup.exe opens to its chain: the test CA that copies Microsoft's root's name, trusted by nobody.
    const setup = items.filter({ hasText: '/setup.exe' });
    await setup.getByText('/setup.exe', { exact: true }).click();
    const chain = setup.getByTestId('signature-chain');
    await expect.element(chain).toBeVisible();
    await expect.element(chain).toHaveTextContent(/CN=Microsoft Windows issued by Microsoft Root Certificate Authority 2010/);
    await expect
      .element(chain)
      .toHaveTextContent(/none: the chain stops at Microsoft Root Certificate Authority 2010, which isoscope does not trust \(it names Microsoft/);
    await expect.element(setup.getByText('it claims to be Microsoft’s, and that claim fails')).toBeVisible();
    await expect.element(page.getByTestId('signatures-note')).toHaveTextContent(/never a claim that the whole image is genuine.*doctored install\.wim/);
  });
});

describe('the edition check', () => {
  it('in the worker through the bridge: progress, then the Node core’s verdicts, failures first and prominent; catalogs not Microsoft’s', async () => {
    const { file: path, report, edition: node } = await commands.signedMedia();
    const file = await signedFile(path);
    const bridge = new WorkerBridge();
    const seen: EditionProgress[] = [];
    const action: EditionCheckAction = {
      file,
      run: (image, onProgress, signal) =>
        bridge.verifyEditionSignatures(
          file,
          image,
          (p) => {
            seen.push(p);
            onProgress(p);
          },
          signal,
        ),
    };
    const images = report.windows!.images.map((i) => ({ index: i.index, label: `${i.index} · ${i.name}` }));
    await render(EditionCheckPanel, { images, action });
    await page.getByRole('button', { name: 'Check the signatures of every system file of edition 1' }).click();
    const verdict = page.getByTestId('edition-verdict');
    await expect.element(verdict, { timeout: 30_000 }).toBeVisible();
    await expect.element(verdict).toHaveTextContent(node.words);
    expect(node.words).toBe('1 of 8 system files are signed by Microsoft (embedded or by catalog); these 7 are not:');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toMatchObject({ bytesDone: node.bytesTotal, filesDone: seen.at(-1)!.filesTotal });
    await expect.element(page.getByTestId('edition-claims')).toHaveTextContent(/^5 files and 1 catalog claim to be Microsoft’s and fail/);
    const result = page.getByTestId('edition-result');
    const files = result.getByRole('list', { name: 'System files not signed by Microsoft' }).getByTestId('verdict-item');
    const listed = files.elements().map((e) => e.querySelector('summary')!.textContent.replace(/\s+/g, ' ').trim());
    // The worker's result is the Node core's: the same files, in the same order (failing a claim first), in the same words.
    expect(listed).toHaveLength(node.files.length);
    node.files.forEach((f, i) => {
      expect(listed[i]!.startsWith(f.path), f.path).toBe(true);
      expect(listed[i]!.endsWith(f.words), f.path).toBe(true);
    });
    expect(node.files.slice(0, 5).every((f) => f.claimsMicrosoftButFails)).toBe(true);
    await expect
      .element(result.getByRole('list', { name: 'Catalogs not signed by Microsoft' }))
      .toHaveTextContent(new RegExp(`CatRoot/.*\\.cat.*${FAKE_MS.replace(/[()]/g, '\\$&')}`));
    await expect.element(page.getByTestId('edition-catalogs')).toHaveTextContent(/^Catalogs: 1 read, 0 signed by Microsoft/);
    await expect.element(result.getByText(/never a claim that the whole image is genuine/)).toBeVisible();
    await expect.element(result.getByText(/chains to Microsoft Corporation UEFI CA 2011 \(1\)/)).toBeVisible();
    bridge.terminate();
  });

  it('cancelling settles that run alone: the panel says so; a call beside it and the next run are answered', async () => {
    const { file: path, report, edition: node } = await commands.signedMedia();
    const file = await signedFile(path);
    const bridge = new WorkerBridge();
    const action: EditionCheckAction = { file, run: (image, onProgress, signal) => bridge.verifyEditionSignatures(file, image, onProgress, signal) };
    const images = report.windows!.images.map((i) => ({ index: i.index, label: `${i.index} · ${i.name}` }));
    await render(EditionCheckPanel, { images, action });
    // Edition 2 holds 512 MiB more: long enough to watch its progress and cancel it.
    await page.getByLabelText('Edition').selectOptions('2 · Windows 10 Education');
    await page.getByRole('button', { name: 'Check the signatures of every system file of edition 2' }).click();
    await expect.element(page.getByTestId('edition-progress')).toHaveTextContent(/^Checking edition 2: \d+ of \d+ files, .* of 5\d\d(\.\d+)? MB/);
    await expect.element(page.getByRole('progressbar', { name: 'Checking signatures' })).toBeVisible();
    // Another call on the same worker while it runs, answered as usual.
    const listing = bridge.listTree(file, 'udf');
    await page.getByRole('button', { name: 'Cancel the signature check of edition 2' }).click();
    await expect
      .element(page.getByTestId('edition-stopped'))
      .toHaveTextContent(/^Signature check of edition 2 cancelled after \d+ of \d+ files: nothing is said of this edition\.$/);
    expect(page.getByTestId('edition-result').elements()).toHaveLength(0);
    expect((await listing).files.map((f) => f.path)).toContain('/sources/install.wim');
    // The same worker then checks edition 1 in full.
    await page.getByLabelText('Edition').selectOptions('1 · Windows 10 Pro');
    await page.getByRole('button', { name: 'Check the signatures of every system file of edition 1' }).click();
    await expect.element(page.getByTestId('edition-verdict'), { timeout: 30_000 }).toHaveTextContent(node.words);
    bridge.terminate();
  });
});
