/**
 * Server-side commands for browser tests (they run in Node, beside vitest):
 * the browser asks Node for the CLI's report of the same file, to compare.
 */
import { basename, join, resolve } from 'node:path';
import { readdir } from 'node:fs/promises';

const fixtures = resolve(import.meta.dirname, '../fixtures');
let signed: Promise<unknown> | undefined;

export const browserCommands = {
  /** The report the Node readers give for a fixture (what `isoscope --json` prints). */
  async nodeReport(_ctx: unknown, name: string, files = false) {
    const { inspect } = await import('../../workers/core/disc.ts');
    const { NodeFileSource } = await import('../../workers/io/node-source.ts');
    const src = await NodeFileSource.open(resolve(fixtures, name));
    try {
      return await inspect(src, { files });
    } finally {
      await src.close();
    }
  },
  /**
   * What wimlib reads from a fixture's install image: each file's path and size for image `index`
   * (`wimlib-imagex dir --detailed` on the install.wim 7-Zip extracts from the disc), and one file's bytes
   * as `wimlib-imagex extract` gives them (base64).
   */
  async wimlibImage(_ctx: unknown, name: string, index: number, extract?: string) {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { wimlibDir, wimlibExtract } = await import('../helpers/wim-images.ts');
    const dir = mkdtempSync(join(tmpdir(), 'isoscope-wimlib-'));
    try {
      const wim = join(dir, 'install.wim');
      writeFileSync(wim, execFileSync('7zz', ['e', '-so', '-tudf', resolve(fixtures, name), 'sources/install.wim'], { maxBuffer: 1 << 28 }));
      const files = wimlibDir(wim, index)
        .filter((e) => e.path !== '/')
        .map((e) => ({ path: e.path, size: e.streams.find((x) => x.kind === 'data' && x.name === '')?.size ?? 0 }));
      return { files, bytes: extract ? wimlibExtract(wim, index, extract).toString('base64') : null };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  /** What the CLI's hashing (node:crypto, zlib) gives for a fixture. */
  async nodeHashes(_ctx: unknown, name: string) {
    const { hashSource, HASH_ALGORITHMS } = await import('../../workers/hash/hashers.ts');
    const { nodeHashSet } = await import('../../workers/hash/node-hashers.ts');
    const { NodeFileSource } = await import('../../workers/io/node-source.ts');
    const src = await NodeFileSource.open(resolve(fixtures, name));
    try {
      return await hashSource(src, HASH_ALGORITHMS, nodeHashSet);
    } finally {
      await src.close();
    }
  },
  /** Build every conformance image (issue #14) in Node; the page fetches each from tests/.tmp/conformance/. */
  async conformanceCases(_ctx: unknown) {
    const { CONFORMANCE_CASES, imageOf } = await import('../fixtures/conformance/index.ts');
    const { readFileSync } = await import('node:fs');
    const out: { name: string; file: string; contents: { tree: string; path: string }[]; cue: string | null; options: { session?: number } }[] = [];
    for (const c of CONFORMANCE_CASES) {
      const path = await imageOf(c);
      const cue = c.viaCue ? readFileSync(path.replace(/\.img$/, '.cue'), 'latin1') : null;
      out.push({ name: c.name, file: basename(path), contents: c.contents ?? [], cue, options: c.options ?? {} });
    }
    return out;
  },
  /** The case's comparison with the tools' read-back, run on the report the worker made. */
  async checkConformance(_ctx: unknown, name: string, report: unknown, digests: Record<string, string> = {}) {
    const { CONFORMANCE_CASES, imageOf } = await import('../fixtures/conformance/index.ts');
    const c = CONFORMANCE_CASES.find((x) => x.name === name)!;
    return c.check(report as never, await imageOf(c), digests);
  },
  /** The bad corpus: names and codes. */
  async badCases(_ctx: unknown) {
    const { BAD_CASES } = await import('../fixtures/bad/corpus.ts');
    return BAD_CASES.map((c) => ({ name: c.name, code: c.code, verifyWim: c.verifyWim === true }));
  },
  /** The corpus case's own checks of partial results, run on a report the worker made. */
  async checkBadCase(_ctx: unknown, name: string, report: unknown) {
    const { BAD_CASES } = await import('../fixtures/bad/corpus.ts');
    const c = BAD_CASES.find((x) => x.name === name)!;
    return c.check?.(report as never) ?? [];
  },
  /**
   * Build every broken image in Node and write them where the page can fetch them (tests/.tmp/bad/), all before
   * the first fetch: Vite caches what a directory holds once it has served from it. Megabytes do not cross the
   * command channel this way.
   */
  async badCaseFiles(_ctx: unknown) {
    const { BAD_CASES } = await import('../fixtures/bad/corpus.ts');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const dir = resolve(import.meta.dirname, '../.tmp/bad');
    mkdirSync(dir, { recursive: true });
    const files: Record<string, string> = {};
    for (const c of BAD_CASES) {
      files[c.name] = `${c.name}.${c.verifyWim ? 'wim' : 'iso'}`;
      writeFileSync(resolve(dir, files[c.name]!), await c.build());
    }
    return files;
  },
  /** sha256sum of a fixture's first 64 KiB followed by its last 64 KiB (head and tail; the whole file when under 128 KiB): a file's fingerprint as coreutils make it. */
  async edgeFingerprint(_ctx: unknown, name: string) {
    const { spawnSync } = await import('node:child_process');
    const path = resolve(fixtures, name);
    const script = 'if [ $(stat -c %s "$1") -le 131072 ]; then cat "$1"; else head -c 65536 "$1"; tail -c 65536 "$1"; fi | sha256sum';
    return spawnSync('sh', ['-c', script, 'sh', path], { encoding: 'utf8' }).stdout.split(' ')[0]!;
  },
  /** A truncated fixture or random bytes, for hashing in both places. */
  async scratchFile(_ctx: unknown, kind: 'truncated' | 'random') {
    const { readFileSync } = await import('node:fs');
    const { randomBytes } = await import('node:crypto');
    const bytes = kind === 'truncated' ? readFileSync(resolve(fixtures, 'ipxe.iso')).subarray(0, 1_234_567) : randomBytes(2 * 1024 * 1024 + 5);
    return { name: `${kind}.bin`, base64: Buffer.from(bytes).toString('base64') };
  },
  /** The CLI's digests (node:crypto, zlib) of bytes sent from the page. */
  async nodeHashesOf(_ctx: unknown, base64: string) {
    const { hashSource, HASH_ALGORITHMS } = await import('../../workers/hash/hashers.ts');
    const { nodeHashSet } = await import('../../workers/hash/node-hashers.ts');
    const { BufferSource } = await import('../../workers/io/byte-source.ts');
    return hashSource(new BufferSource(new Uint8Array(Buffer.from(base64, 'base64'))), HASH_ALGORITHMS, nodeHashSet);
  },
  /** Files around eD2k's part size in tests/.tmp/ed2k/, and rhash's ed2k hash and link of each and of every fixture (ed2k-files.ts). */
  async ed2kFiles(_ctx: unknown) {
    return (await import('./ed2k-files.ts')).ed2kFiles();
  },
  /**
   * The disc of signed-media.ts (shim, GRUB, a changed shim, files signed by a test CA copying Microsoft's names, a
   * catalog it signed), written to tests/.tmp/signed/ for the page to fetch, with the Node core's report of it and
   * edition 1's signature check (core/signatures.ts, as --verify-signatures makes it; edition 2 holds 512 MiB more, to
   * cancel). Made once per run.
   */
  async signedMedia(_ctx: unknown) {
    signed ??= (async () => {
      const { makeSignedWindowsMedia } = await import('./signed-media.ts');
      const { copyFileSync, mkdirSync } = await import('node:fs');
      const { inspect, openDisc } = await import('../../workers/core/disc.ts');
      const { verifyEditionSignatures } = await import('../../workers/core/signatures.ts');
      const { NodeFileSource } = await import('../../workers/io/node-source.ts');
      const media = makeSignedWindowsMedia({ bigBytes: 512 << 20 });
      const dir = resolve(import.meta.dirname, '../.tmp/signed');
      mkdirSync(dir, { recursive: true });
      copyFileSync(media.iso, resolve(dir, 'signed.iso'));
      media.cleanup();
      const src = await NodeFileSource.open(resolve(dir, 'signed.iso'));
      try {
        const report = await inspect(src, { files: true });
        const disc = await openDisc(src);
        const edition = await verifyEditionSignatures(disc, 'udf|/sources/install.wim#1', { label: '1 · Windows 10 Pro' });
        return { file: 'signed/signed.iso', report, edition };
      } finally {
        await src.close();
      }
    })();
    return signed;
  },
  async fixtureNames(_ctx: unknown) {
    return (await readdir(fixtures)).filter((n) => n.endsWith('.iso')).sort();
  },
};
