/**
 * The WIM integrity verifier never says OK about bytes it did not hash:
 * forged ranges past the end, files cut short and tables of a million tiny
 * chunks, on hand-made WIMs whose digests come from Node's crypto.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { forgeWim } from '../fixtures/bad/wim-forge.ts';
import { verifyWimIntegrity } from '../../workers/formats/wim/integrity.ts';
import { BufferSource } from '../../workers/io/byte-source.ts';
import { nodeHashers } from '../../workers/hash/node-hashers.ts';
import { wasmHashers } from '../../workers/hash/wasm-hashers.ts';
import { FormatError } from '../../workers/io/problems.ts';
import type { Report } from '../../workers/report/types.ts';

const BIN = resolve(import.meta.dirname, '../../workers/cli/bin.cjs');
const scratch = mkdtempSync(join(tmpdir(), 'isoscope-wimint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cliVerify(name: string, bytes: Uint8Array) {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, path, '--json', '--verify-wim'], { encoding: 'utf8' });
  return { status: r.status, json: JSON.parse(r.stdout) as Report, ms: performance.now() - t0 };
}

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof FormatError ? e.code : String(e)),
  );

describe('WIM integrity: no false OK', () => {
  it('a table covering 128 MiB past the end of a 1 KB file is an error, never ok', () => {
    const bytes = forgeWim({ covered: 128 * 1024 * 1024, chunkSize: 10 * 1024 * 1024, present: 500 });
    expect(bytes.length).toBeLessThan(1100);
    const { status, json } = cliVerify('forged-range.wim', bytes);
    expect(status).toBe(1);
    expect(json.wimIntegrity).toBeUndefined();
    expect(json.errors.map((e) => e.code)).toContain('WIM_INTEGRITY_PAST_END');
  });

  it('a good table verifies; the same WIM with one byte flipped names its chunk', async () => {
    const good = forgeWim({ covered: 100_000, chunkSize: 4096 });
    expect(cliVerify('good.wim', good).json.wimIntegrity).toMatchObject({ ok: true, chunks: 25, checkedBytes: 100_000 });
    const bad = forgeWim({ covered: 100_000, chunkSize: 4096, flipAt: 208 + 3 * 4096 + 5 });
    const r = cliVerify('flipped.wim', bad);
    expect(r.status).toBe(1);
    expect(r.json.wimIntegrity).toMatchObject({ ok: false, firstBad: { chunk: 3, offset: 208 + 3 * 4096 } });
  });

  it('a source that yields fewer bytes than it claims is an error, never ok', async () => {
    const bytes = forgeWim({ covered: 50_000, chunkSize: 4096 });
    // A source that says it has every byte but returns nothing past 20 000 (a disc cut short under the WIM's extents).
    const src = new BufferSource(bytes, 'short.wim');
    const short = {
      name: src.name,
      size: src.size,
      read: async (o: number, n: number) =>
        o < 20_000 && o + n > 20_000 ? src.read(o, 20_000 - o) : o >= 20_000 && o < 208 + 50_000 ? new Uint8Array(0) : src.read(o, n),
    };
    expect(await codeOf(verifyWimIntegrity(short, nodeHashers))).toBe('WIM_INTEGRITY_SHORT_READ');
  });

  it('a valid table of 1,000,000 one-byte chunks finishes in seconds (Node and WebAssembly SHA-1)', async () => {
    const bytes = forgeWim({ covered: 1_000_000, chunkSize: 1 });
    const r = cliVerify('million.wim', bytes);
    expect(r.json.wimIntegrity).toMatchObject({ ok: true, chunks: 1_000_000 });
    expect(r.ms).toBeLessThan(10_000);
    const t0 = performance.now();
    const res = await verifyWimIntegrity(new BufferSource(bytes, 'million.wim'), wasmHashers);
    expect(res).toMatchObject({ ok: true, chunks: 1_000_000, checkedBytes: 1_000_000 });
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('chunks larger than any single read (64 MiB) are streamed, not refused', async () => {
    // 70 MiB covered in one chunk: sparse-like zeros are fine, the digest is OpenSSL's.
    const bytes = forgeWim({ covered: 70 * 1024 * 1024, chunkSize: 80 * 1024 * 1024 });
    const res = await verifyWimIntegrity(new BufferSource(bytes, 'big-chunk.wim'), nodeHashers);
    expect(res).toMatchObject({ ok: true, chunks: 1 });
  });
});
