/**
 * eD2k hashes and ed2k links (#24 part 3), against Debian's rhash on the same
 * bytes: `rhash --ed2k` for the hash (eMule's convention for a size that is a
 * multiple of 9,728,000 bytes), `rhash --ed2k-link` for the links. Nothing
 * here compares with a stored value of ours. Links as checksum lines through
 * the CLI's entry point (--check): the size first, then the hash; the single
 * read pass with SHA-256 and ed2k together.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { FIXTURES } from './helpers.ts';
import { main } from '../../workers/cli/main.ts';
import { ED2K_PART } from '../../workers/hash/ed2k.ts';
import { DEFAULT_CHUNK, hashSource, parseAlgorithms } from '../../workers/hash/hashers.ts';
import { nodeHashSet } from '../../workers/hash/node-hashers.ts';
import { wasmHashSet } from '../../workers/hash/wasm-hashers.ts';
import { algorithmsToCheck, explainUnreadable, matchChecksums, parseChecksums, sizeNote } from '../../workers/hash/checksums.ts';
import { checkCatalogue, parseCatalogue } from '../../workers/hash/catalogue.ts';
import { ed2kLink, parseEd2kLink } from '../../workers/hash/ed2k-link.ts';
import { BufferSource, type ByteSource } from '../../workers/io/byte-source.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import type { Report } from '../../workers/report/types.ts';

const scratch = mkdtempSync(join(tmpdir(), 'isoscope-ed2k-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** rhash's ed2k hash of a file (its first field: "hash  name"). */
const rhashEd2k = (path: string) => execFileSync('rhash', ['--ed2k', path], { encoding: 'utf8' }).trim().split(/\s+/)[0]!.toLowerCase();
/** rhash's ed2k link of a file (with its AICH part, h=…). */
const rhashLink = (path: string) => execFileSync('rhash', ['--ed2k-link', path], { encoding: 'utf8' }).trim();

/** Bytes that differ from part to part (a part boundary off by one shows), reproducible. */
function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i += 4096) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.fill(x >>> 24, i, Math.min(n, i + 4096));
    out[i] = i / 4096;
  }
  return out;
}
const file = (name: string, data: Uint8Array) => {
  const p = join(scratch, name);
  writeFileSync(p, data);
  return p;
};

const win7 = join(FIXTURES, 'win7-pro-x64.iso');
const cases: [string, string][] = [
  ['empty', file('empty.bin', new Uint8Array(0))],
  ['1 byte', file('one.bin', new Uint8Array([0x61]))],
  ['one part less a byte', file('part-1.bin', bytes(ED2K_PART - 1))],
  ['exactly one part', file('part.bin', bytes(ED2K_PART))],
  ['one part and a byte', file('part+1.bin', bytes(ED2K_PART + 1))],
  ['exactly two parts', file('two-parts.bin', bytes(2 * ED2K_PART, 7))],
  ['two parts and a half, from fixtures', file('fixtures.bin', Buffer.concat([readFileSync(win7), bytes(ED2K_PART * 2.5 - 729088, 3)]))],
  ['the win7-pro-x64.iso fixture', win7],
  ['the plain.iso fixture', join(FIXTURES, 'plain.iso')],
];

describe.each(cases)('ed2k of %s', (_, path) => {
  const expected = rhashEd2k(path);

  it('equals rhash --ed2k, through node and through the WebAssembly hashers, in any chunking', async () => {
    const src = await NodeFileSource.open(path);
    try {
      for (const chunkSize of [DEFAULT_CHUNK, 1024 * 1024 + 3, ED2K_PART, ED2K_PART + 1])
        for (const set of [nodeHashSet, wasmHashSet]) {
          const got = await hashSource(src, ['ed2k', 'md5'], set, { chunkSize });
          expect(got.ed2k, `chunks of ${chunkSize}`).toBe(expected);
          // In the same pass, the other hashes are still right.
          expect(got.md5).toBe(createHash('md5').update(readFileSync(path)).digest('hex'));
        }
    } finally {
      await src.close();
    }
  });

  it('its link equals rhash --ed2k-link (name, size and hash; the AICH part is rhash’s alone)', () => {
    const theirs = rhashLink(path);
    const data = readFileSync(path);
    expect(parseEd2kLink(theirs)).toEqual({ name: basename(path), size: data.length, hash: expected });
    expect(ed2kLink(basename(path), data.length, expected)).toBe(theirs.replace(/\|h=[^|]*\|\/$/, '|/'));
  });
});

describe('the convention for a size that is a multiple of the part size', () => {
  it('is eMule’s, as rhash computes it: an empty part ends the list, so one full part is not its MD4', () => {
    const part = join(scratch, 'part.bin');
    const md4 = execFileSync('rhash', ['--md4', part], { encoding: 'utf8' }).trim().split(/\s+/)[0]!.toLowerCase();
    expect(rhashEd2k(part)).not.toBe(md4);
    // One byte less: a single part, its MD4.
    const less = join(scratch, 'part-1.bin');
    expect(rhashEd2k(less)).toBe(execFileSync('rhash', ['--md4', less], { encoding: 'utf8' }).trim().split(/\s+/)[0]!.toLowerCase());
  });
});

describe('ed2k links of names with spaces, punctuation and other scripts', () => {
  it.each(['a b.iso', 'x(1)[2]~_-.iso', '中文 版.iso', "a,b;c=d&e'f!g*+.iso", 'p%q|r.iso'])('%s: as rhash --ed2k-link writes it, and read back', (name) => {
    const path = file(name, new Uint8Array([1, 2, 3]));
    const theirs = rhashLink(path);
    expect(ed2kLink(name, 3, rhashEd2k(path))).toBe(theirs.replace(/\|h=[^|]*\|\/$/, '|/'));
    expect(parseEd2kLink(theirs)).toMatchObject({ name, size: 3 });
  });
});

describe('--hash ed2k', () => {
  it('is a known algorithm, listed with the others', () => {
    expect(parseAlgorithms('sha256,ED2K')).toEqual(['sha256', 'ed2k']);
    expect(() => parseAlgorithms('md4')).toThrow(/ed2k/);
  });
});

async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const status = await main(args, out as unknown as typeof process.stdout, err as unknown as typeof process.stderr);
  return { status, stdout: Buffer.concat(chunks.out).toString('utf8'), stderr: Buffer.concat(chunks.err).toString('utf8') };
}
const json = async (...args: string[]) => {
  const r = await run(...args, '--json');
  return { status: r.status, report: JSON.parse(r.stdout) as Report };
};

describe('an ed2k link as a checksum line (--check)', () => {
  const copy = join(scratch, 'win7-pro-x64.iso');
  copyFileSync(win7, copy);
  const link = rhashLink(copy);
  const altered = join(scratch, 'altered', 'win7-pro-x64.iso');
  mkdirSync(join(scratch, 'altered'));
  const changed = readFileSync(win7);
  changed[400_000] = changed[400_000]! ^ 0x01;
  writeFileSync(altered, changed);

  it('rhash’s link of the fixture matches after hashing: exit 0, the ed2k hash and the size compared', async () => {
    const { status, report } = await json(copy, '--check', link);
    expect(status).toBe(0);
    expect(report.hashes).toEqual({ ed2k: rhashEd2k(copy) });
    expect(report.verification).toMatchObject({
      verdict: 'match',
      algorithm: 'ed2k',
      expected: rhashEd2k(copy),
      actual: rhashEd2k(copy),
      entryName: 'win7-pro-x64.iso',
      size: { expected: 729088, actual: 729088 },
    });
    const text = await run(copy, '--check', link);
    expect(text.stdout).toMatch(
      /^Check: +MATCH \(ed2k, entry "win7-pro-x64.iso", from command line\)\n {2}the size \(729,088 bytes\) and the ed2k hash are the link's/m,
    );
  });

  it('one byte changed: the same size, another ed2k hash (rhash’s of the changed file): mismatch, exit 1', async () => {
    const { status, report } = await json(altered, '--check', link);
    expect(status).toBe(1);
    expect(report.hashes!.ed2k).toBe(rhashEd2k(altered));
    expect(report.hashes!.ed2k).not.toBe(rhashEd2k(copy));
    expect(report.verification).toMatchObject({ verdict: 'mismatch', algorithm: 'ed2k', size: { expected: 729088, actual: 729088 } });
    expect((await run(altered, '--check', link)).stdout).toMatch(/but the ed2k hash differs: not the file the link describes/);
  });

  it('a link of another size is refused before hashing: nothing hashed, mismatch, exit 1, in words', async () => {
    const other = link.replace('|729088|', '|729089|');
    const { status, report } = await json(copy, '--check', other);
    expect(status).toBe(1);
    expect(report.hashes).toBeUndefined();
    expect(report.stats.hashMs).toBeUndefined();
    expect(report.verification).toMatchObject({ verdict: 'mismatch', algorithm: 'ed2k', actual: null, size: { expected: 729089, actual: 729088 } });
    const text = await run(copy, '--check', other);
    expect(text.stdout).toMatch(/^Check: +MISMATCH .*\n {2}the file is 729,088 bytes; the link says 729,089: not this file$/m);
    expect(text.stdout).not.toMatch(/^ED2K:/m);
  });

  it('a file of links as forums give them (AICH parts, sources, BBCode, other files) is a checksum file', async () => {
    const list = join(scratch, 'links.txt');
    const [head, tail] = [link.slice(0, link.lastIndexOf('|h=')), '|/'];
    writeFileSync(
      list,
      [
        'Windows 7 downloads:',
        `[url=${rhashLink(join(FIXTURES, 'plain.iso'))}]plain[/url]`,
        `${head}${tail}|sources,192.0.2.1:4662|/`,
        `ed2k://|file|other.iso|729088|${'0'.repeat(32)}|/`,
      ].join('\r\n'),
    );
    const entries = parseChecksums(readFileSync(list, 'utf8'));
    expect(entries.map((e) => [e.format, e.name, e.size])).toEqual([
      ['ed2k', 'plain.iso', 151552],
      ['ed2k', 'win7-pro-x64.iso', 729088],
      ['ed2k', 'other.iso', 729088],
    ]);
    const { status, report } = await json(copy, '--check', list);
    expect(status).toBe(0);
    expect(report.verification).toMatchObject({ verdict: 'match', algorithm: 'ed2k', entryName: 'win7-pro-x64.iso' });
  });

  it('a renamed file is compared with the link of its exact size; a list with no link of its size hashes nothing', async () => {
    const renamed = join(scratch, 'renamed.iso');
    copyFileSync(win7, renamed);
    const list = join(scratch, 'two-links.txt');
    writeFileSync(list, `${rhashLink(join(FIXTURES, 'plain.iso'))}\n${link}\n`);
    expect((await json(renamed, '--check', list)).report.verification).toMatchObject({ verdict: 'match', entryName: 'win7-pro-x64.iso' });
    const none = join(scratch, 'no-size.txt');
    writeFileSync(none, `${rhashLink(join(FIXTURES, 'plain.iso'))}\n${rhashLink(join(FIXTURES, 'ipxe.iso'))}\n`);
    const { status, report } = await json(renamed, '--check', none);
    expect(status).toBe(1);
    expect(report.hashes).toBeUndefined();
    expect(report.verification!.verdict).toBe('not-in-list');
  });

  it('32 bare hex digits stay an MD5, even the ed2k hash of the file; rhash --bsd’s ED2K line is ed2k', async () => {
    const ed2k = rhashEd2k(copy);
    expect(parseChecksums(ed2k)[0]).toMatchObject({ algorithm: 'md5', format: 'bare' });
    const { status, report } = await json(copy, '--check', ed2k);
    expect(status).toBe(1);
    expect(report.verification).toMatchObject({ verdict: 'mismatch', algorithm: 'md5' });
    const bsd = execFileSync('rhash', ['--bsd', '--ed2k', copy], { encoding: 'utf8' });
    expect(parseChecksums(bsd)[0]).toMatchObject({ algorithm: 'ed2k', hash: ed2k, name: copy });
  });

  it('--hash ed2k with the other hashes: each equals its tool’s', async () => {
    const { report } = await json(copy, '--hash', 'sha256,ed2k,md5');
    expect(report.hashes).toEqual({
      sha256: createHash('sha256').update(readFileSync(copy)).digest('hex'),
      ed2k: rhashEd2k(copy),
      md5: createHash('md5').update(readFileSync(copy)).digest('hex'),
    });
  });
});

describe('ed2k links in the matching and the user’s catalogue', () => {
  const link = rhashLink(join(FIXTURES, 'plain.iso'));
  const hash = parseEd2kLink(link)!.hash;

  it('the size settles it before a byte is hashed, and nothing is asked to be hashed for it', () => {
    const entries = parseChecksums(link);
    expect(algorithmsToCheck(entries, 151552)).toEqual(['ed2k']);
    expect(algorithmsToCheck(entries, 151553)).toEqual([]);
    const before = matchChecksums(entries, 'plain.iso', {}, 151553);
    expect(before).toMatchObject({ verdict: 'mismatch', actual: null, size: { expected: 151552, actual: 151553 } });
    expect(sizeNote(before)).toBe('the file is 151,553 bytes; the link says 151,552: not this file');
    // The right size alone is no match.
    const sized = matchChecksums(entries, 'plain.iso', {}, 151552);
    expect(sized.verdict).toBe('not-in-list');
    expect(sizeNote(sized)).toMatch(/alone does not make it the same file: compute ED2K/);
    expect(matchChecksums(entries, 'plain.iso', { ed2k: hash }, 151552).verdict).toBe('match');
  });

  it('a list of links imported into the catalogue keeps each size', () => {
    const entries = parseCatalogue(link, 'links.txt', '2025-01-01T00:00:00Z');
    expect(entries[0]).toMatchObject({ name: 'plain.iso', size: 151552, hashes: { ed2k: hash } });
    expect(checkCatalogue(entries, { name: 'plain.iso', size: 1 }, {}).verdict).toBe('size-differs');
    expect(checkCatalogue(entries, { name: 'x.iso', size: 151552 }, { ed2k: hash }).verdict).toBe('match');
    const csv = parseCatalogue(`name,ed2k\nplain.iso,${link}\n`, 'list.csv', '2025-01-01T00:00:00Z');
    expect(csv[0]).toMatchObject({ name: 'plain.iso', size: 151552, hashes: { ed2k: hash } });
  });

  it('a broken link is explained', () => {
    expect(explainUnreadable(link.replace(hash, hash.slice(1)))).toMatch(/ed2k link could not be read: its hash ".{31}" is not 32 hex digits/);
  });
});

/** A source that counts its reads (it has no stream of its own: hashing reads it through read()). */
class CountingSource implements ByteSource {
  reads: [number, number][] = [];
  constructor(private readonly inner: ByteSource) {}
  get name() {
    return this.inner.name;
  }
  get size() {
    return this.inner.size;
  }
  async read(offset: number, length: number) {
    const b = await this.inner.read(offset, length);
    this.reads.push([offset, b.length]);
    return b;
  }
}

describe('one pass', () => {
  it('SHA-256 and ed2k together read the file once, front to back, in whole chunks', async () => {
    const data = bytes(2 * ED2K_PART + 12345, 5);
    for (const set of [nodeHashSet, wasmHashSet]) {
      const src = new CountingSource(new BufferSource(data));
      const got = await hashSource(src, ['sha256', 'ed2k'], set);
      expect(got.ed2k).toBe(rhashEd2k(file('one-pass.bin', data)));
      expect(got.sha256).toBe(createHash('sha256').update(data).digest('hex'));
      expect(src.reads.length).toBe(Math.ceil(data.length / DEFAULT_CHUNK));
      let at = 0;
      for (const [offset, length] of src.reads) {
        expect(offset).toBe(at);
        at += length;
      }
      expect(at).toBe(data.length);
    }
  });
});
