/**
 * Hashes against coreutils (sha256sum, sha1sum, md5sum) and crc32
 * (libarchive-zip-perl) on every fixture, a truncated and a random file;
 * checksum-list matching in each format; the WIM integrity table.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIXTURES, fixtureImages, parseReport } from './helpers.ts';
import { hashSource, HASH_ALGORITHMS } from '../../workers/hash/hashers.ts';
import { nodeHashSet } from '../../workers/hash/node-hashers.ts';
import { wasmHashSet } from '../../workers/hash/wasm-hashers.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { checksumLine, explainUnreadable, matchChecksums, parseChecksums } from '../../workers/hash/checksums.ts';
import { ProblemLog } from '../../workers/io/problems.ts';
import { UdfReader } from '../../workers/formats/udf/reader.ts';
import { findEntry } from '../../workers/formats/tree.ts';

const BIN = resolve(import.meta.dirname, '../../workers/cli/bin.cjs');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const scratch = mkdtempSync(join(tmpdir(), 'isoscope-hash-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const tool = (cmd: string, path: string) => execFileSync(cmd, [path], { encoding: 'utf8' }).trim().split(/\s+/)[0]!.toLowerCase();

const truncated = join(scratch, 'truncated.iso');
writeFileSync(truncated, readFileSync(join(FIXTURES, 'ipxe.iso')).subarray(0, 1_234_567));
const random = join(scratch, 'random.bin');
writeFileSync(random, randomBytes(3 * 1024 * 1024 + 17));
const empty = join(scratch, 'empty.bin');
writeFileSync(empty, '');
const files = [...fixtureImages().map((n) => join(FIXTURES, n)), truncated, random, empty];

describe.each(files)('%s', (path) => {
  it('the CLI gives the digests of sha256sum, sha1sum, md5sum and crc32', () => {
    const r = cli(path, '--json', '--hash', 'sha256,sha1,md5,crc32');
    const report = parseReport(r.stdout);
    expect(report.hashes).toEqual({ sha256: tool('sha256sum', path), sha1: tool('sha1sum', path), md5: tool('md5sum', path), crc32: tool('crc32', path) });
  });
  it('the WebAssembly hashers (the browser path) agree with node:crypto', async () => {
    const src = await NodeFileSource.open(path);
    try {
      const viaNode = await hashSource(src, HASH_ALGORITHMS, nodeHashSet, { chunkSize: 1024 * 1024 + 3 });
      const viaWasm = await hashSource(src, HASH_ALGORITHMS, wasmHashSet);
      expect(viaWasm).toEqual(viaNode);
      expect(viaNode.sha512).toBe(execFileSync('sha512sum', [path], { encoding: 'utf8' }).split(' ')[0]);
    } finally {
      await src.close();
    }
  });
});

describe('checksum matching', () => {
  const iso = join(FIXTURES, 'plain.iso');
  const sha256 = tool('sha256sum', iso),
    sha1 = tool('sha1sum', iso),
    md5 = tool('md5sum', iso);
  const list = (name: string, text: string) => {
    const p = join(scratch, name);
    writeFileSync(p, text);
    return p;
  };
  const verdict = (check: string) => {
    const r = cli(iso, '--json', '--check', check);
    return { status: r.status, v: parseReport(r.stdout).verification! };
  };

  it('GNU sha256sum lists, matched by file name among several', () => {
    const { status, v } = verdict(list('SHA256SUMS', `${'0'.repeat(64)}  other.iso\n${sha256}  plain.iso\n`));
    expect(status).toBe(0);
    expect(v).toMatchObject({ verdict: 'match', algorithm: 'sha256', expected: sha256, actual: sha256, entryName: 'plain.iso' });
  });
  it('GNU binary-mode lines (" *name") with upper-case hashes', () => {
    expect(verdict(list('SHA1SUMS', `${sha1.toUpperCase()} *plain.iso\n`)).v.verdict).toBe('match');
  });
  it('BSD / shasum --tag style', () => {
    expect(verdict(list('CHECKSUM', `MD5 (plain.iso) = ${md5}\nSHA256 (plain.iso) = ${sha256}\n`)).v).toMatchObject({ verdict: 'match', algorithm: 'sha256' });
  });
  it('a single-value .sha256 file and a pasted hash with spaces', () => {
    expect(verdict(list('plain.iso.sha256', `${sha256}\n`)).v.verdict).toBe('match');
    const spaced = sha256
      .toUpperCase()
      .replace(/(.{8})/g, '$1 ')
      .trim();
    expect(parseChecksums(spaced)[0]).toMatchObject({ algorithm: 'sha256', hash: sha256 });
  });
  it('as Windows prints them: Get-FileHash (table and list), certutil (old and new), 7-Zip, prefixed values', () => {
    const up = sha256.toUpperCase();
    const outputs = [
      `\r\nAlgorithm       Hash                                                                   Path\r\n---------       ----                                                                   ----\r\nSHA256          ${up}       C:\\Users\\me\\Downloads\\plain.iso\r\n\r\n`,
      `Algorithm : SHA256\r\nHash      : ${up}\r\nPath      : C:\\Users\\me\\Downloads\\plain.iso\r\n`,
      `SHA256 hash of plain.iso:\r\n${sha256}\r\nCertUtil: -hashfile command completed successfully.\r\n`,
      `SHA1 hash of file plain.iso:\r\n${sha1.replace(/(..)(?!$)/g, '$1 ')}\r\nCertUtil: -hashfile command completed successfully.\r\n`,
      `SHA256 for data:              ${up}`,
      `sha256:${sha256}`,
      `SHA-256 = ${sha256}`,
    ];
    for (const text of outputs) {
      const [e] = parseChecksums(text);
      expect(e, text).toBeDefined();
      expect(matchChecksums([e!], 'plain.iso', { sha256, sha1 }).verdict, text).toBe('match');
    }
    // The CLI takes such a file as it takes any checksum list.
    expect(verdict(list('Get-FileHash.txt', outputs[0]!)).v).toMatchObject({
      verdict: 'match',
      algorithm: 'sha256',
      entryName: 'C:\\Users\\me\\Downloads\\plain.iso',
    });
  });
  it('pasted text that holds no hash says what is wrong', () => {
    expect(explainUnreadable(sha256.slice(1))).toBe('63 hex digits — one missing? A SHA-256 has 64.');
    expect(explainUnreadable(sha1 + 'ab')).toBe('42 hex digits — two too many? A SHA-1 has 40.');
    expect(explainUnreadable(sha256.slice(0, 20) + 'O' + sha256.slice(21))).toBe('"O" is not a hex digit (0–9, a–f): an O for a 0?');
    expect(explainUnreadable('hello')).toMatch(/^No hash found/);
    expect(explainUnreadable(sha256)).toBeNull();
    const r = cli(iso, '--check', sha256.slice(1));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('63 hex digits — one missing? A SHA-256 has 64.');
  });
  it('a .sha256 written for an image is one sha256sum -c accepts, also for a name with a backslash and a line break', () => {
    const dir = join(scratch, 'sums');
    mkdirSync(dir, { recursive: true });
    for (const name of ['plain.iso', 'we\\ird\nname.iso']) {
      copyFileSync(iso, join(dir, name));
      writeFileSync(join(dir, 'SHA256SUMS'), checksumLine(sha256, name));
      const r = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      // And read back by our own parser under the same name.
      expect(parseChecksums(readFileSync(join(dir, 'SHA256SUMS'), 'utf8'))[0]).toMatchObject({ hash: sha256, name });
    }
  });
  it('a mismatch shows both values and exits 1', () => {
    const wrong = sha256.slice(0, 63) + (sha256.endsWith('0') ? '1' : '0');
    const { status, v } = verdict(list('bad.sha256', `${wrong}  plain.iso\n`));
    expect(status).toBe(1);
    expect(v).toMatchObject({ verdict: 'mismatch', expected: wrong, actual: sha256 });
  });
  it('a list that does not name the file: not in list, exit 1', () => {
    const { status, v } = verdict(list('OTHERS', `${sha256}  something-else.iso\n${md5}  third.iso\n`));
    expect(status).toBe(1);
    expect(v.verdict).toBe('not-in-list');
  });
  it('matching picks the strongest algorithm it computed', () => {
    const entries = parseChecksums(`${md5}  plain.iso\n${sha256}  plain.iso\n`);
    expect(matchChecksums(entries, 'plain.iso', { md5, sha256 }).algorithm).toBe('sha256');
  });
});

describe('WIM integrity table', () => {
  it('an intact install.wim verifies in place', () => {
    const r = cli(join(FIXTURES, 'win7-pro-x64.iso'), '--json', '--verify-wim');
    expect(r.status).toBe(0);
    const j = parseReport(r.stdout);
    expect(j.wimIntegrity).toMatchObject({ ok: true, imageFile: '/sources/install.wim' });
    // wimlib agrees the table is there.
    expect(j.windows?.integrity).toBe(true);
  });

  it('one byte flipped inside install.wim fails naming the chunk', async () => {
    const copy = join(scratch, 'flipped.iso');
    copyFileSync(join(FIXTURES, 'win7-pro-x64.iso'), copy);
    const src = await NodeFileSource.open(copy);
    const log = new ProblemLog();
    const udf = (await UdfReader.open(src, log, true))!;
    const tree = udf.tree()!;
    const stat = await tree.stat((await findEntry(tree, 'sources/install.wim', log))!, log);
    await src.close();
    const at = stat.extents[0]!.offset! + 300; // inside chunk 0 (the header is 208 bytes)
    const fd = openSync(copy, 'r+');
    const b = Buffer.alloc(1);
    b[0] = readFileSync(copy)[at]! ^ 0xff;
    writeSync(fd, b, 0, 1, at);
    closeSync(fd);
    const r = cli(copy, '--json', '--verify-wim');
    expect(r.status).toBe(1);
    const j = parseReport(r.stdout);
    expect(j.wimIntegrity).toMatchObject({ ok: false, firstBad: { chunk: 0, offset: 208 } });
    expect(j.errors.map((e) => e.code)).toContain('WIM_INTEGRITY_MISMATCH');
  });
});
