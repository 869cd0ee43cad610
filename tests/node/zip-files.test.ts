/**
 * "Save all" / "Save folder": the zip made from an open disc, checked with
 * 7-Zip against what 7-Zip itself extracts from the same image: every file,
 * byte for byte, under its path; a file the image cuts short fails the zip
 * instead of ending up short inside it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDisc } from '../../workers/core/disc.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { zipFiles } from '../../workers/zip-files.ts';
import { FIXTURES } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'isoscope-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function zipOf(iso: string, naming: 'udf' | 'joliet' | 'rockridge', folder: string): Promise<{ zip: string; bytes: number }> {
  const disc = await openDisc(await NodeFileSource.open(iso), { files: true });
  const prefix = folder ? `${folder}/` : '/';
  const entries = disc.report
    .files!.filter((f) => !f.dir && f.path.startsWith(prefix))
    .map((f) => ({
      path: f.path,
      name: f.path.slice(prefix.length),
      size: f.size,
      modified: f.modified ?? null,
      ...(f.symlink !== undefined ? { symlink: f.symlink } : {}),
    }));
  const { stream, bytes } = zipFiles(disc, naming, entries);
  const zip = join(dir, `${naming}-${folder.replace(/\//g, '_') || 'all'}.zip`);
  writeFileSync(zip, new Uint8Array(await new Response(stream).arrayBuffer()));
  return { zip, bytes };
}

/** Files and links under `root`, as relative paths. */
function walk(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((p) => !lstatSync(join(root, p)).isDirectory())
    .map((p) => relative(root, join(root, p)))
    .sort();
}

/** A file's bytes, or a link's target. */
const contentOf = (path: string) => (lstatSync(path).isSymbolicLink() ? Buffer.from(`link → ${readlinkSync(path)}`) : readFileSync(path));

describe('zips of an open disc', () => {
  it('Save all: every file of the UDF tree, as 7-Zip extracts them from the image; the length is the one predicted', async () => {
    const iso = join(FIXTURES, 'win7-pro-x64.iso');
    const { zip, bytes } = await zipOf(iso, 'udf', '');
    expect(statSync(zip).size).toBe(bytes);
    expect(spawnSync('7zz', ['t', zip]).status).toBe(0);
    const fromZip = join(dir, 'all-from-zip');
    const fromIso = join(dir, 'all-from-iso');
    execFileSync('7zz', ['x', '-y', `-o${fromZip}`, zip], { stdio: 'ignore' });
    execFileSync('7zz', ['x', '-y', '-tudf', `-o${fromIso}`, iso], { stdio: 'ignore' });
    const names = walk(fromIso);
    expect(walk(fromZip)).toEqual(names);
    for (const n of names) expect(Buffer.compare(contentOf(join(fromZip, n)), contentOf(join(fromIso, n))), n).toBe(0);
  });

  it('Save folder: /docs of the Rock Ridge tree (long and non-ASCII names, nine folders deep, a symlink kept as a link) as bsdtar extracts it from the image and from the zip', async () => {
    const iso = join(FIXTURES, 'joliet-rr.iso');
    const folder = '/docs';
    const { zip } = await zipOf(iso, 'rockridge', folder);
    const fromZip = join(dir, 'rr-from-zip');
    const fromIso = join(dir, 'rr-from-iso');
    // bsdtar restores the link as the zip records it (7-Zip refuses a link that points outside the folder extracted).
    execFileSync('mkdir', ['-p', fromZip, fromIso]);
    execFileSync('bsdtar', ['-xf', zip, '-C', fromZip]);
    execFileSync('bsdtar', ['-xf', iso, '-C', fromIso, folder.slice(1)]);
    const names = walk(join(fromIso, folder.slice(1)));
    expect(names.length).toBeGreaterThan(0);
    expect(walk(fromZip)).toEqual(names);
    expect(names).toContain('readme-link'); // a Rock Ridge symlink: kept as a link, not an empty file
    for (const n of names) expect(Buffer.compare(contentOf(join(fromZip, n)), contentOf(join(fromIso, folder.slice(1), n))), n).toBe(0);
  });

  it('a file the image cuts short fails the zip with its path, never a short file inside it', async () => {
    const whole = readFileSync(join(FIXTURES, 'win7-pro-x64.iso'));
    const cut = join(dir, 'cut.iso');
    const lba = Number(
      /\[\s*(\d+)\s+\d+\]\s+INSTALL\.WIM;1/.exec(execFileSync('isoinfo', ['-l', '-i', join(FIXTURES, 'win7-pro-x64.iso')], { encoding: 'utf8' }))![1],
    );
    writeFileSync(cut, whole.subarray(0, lba * 2048 + 1024));
    const disc = await openDisc(await NodeFileSource.open(cut), { files: true });
    const wim = disc.report.files!.find((f) => f.path.toLowerCase() === '/sources/install.wim')!;
    const { stream } = zipFiles(disc, 'udf', [{ path: wim.path, name: 'install.wim', size: wim.size, modified: null }]);
    await expect(new Response(stream).arrayBuffer()).rejects.toThrow(/\/sources\/install\.wim could not be read past byte 1024 of 7183/);
  });
});
