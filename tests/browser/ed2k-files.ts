/**
 * Node side of the browser's ed2k test (a command, commands.ts): files around
 * eD2k's part size written to tests/.tmp/ed2k/ (the page fetches them from
 * /__test-files/ed2k/), and what Debian's rhash says of each and of every
 * fixture: `rhash --ed2k` and `rhash --ed2k-link`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const PART = 9_728_000;

export interface RhashFile {
  /** Where the page fetches it. */
  url: string;
  name: string;
  ed2k: string;
  link: string;
}

/** Bytes that differ from one 4 KiB block to the next, reproducible. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i += 4096) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.fill(x >>> 24, i, Math.min(n, i + 4096));
    out[i] = i / 4096;
  }
  return out;
}

const rhash = (flag: string, path: string) => execFileSync('rhash', [flag, path], { encoding: 'utf8' }).trim();

export function ed2kFiles(): RhashFile[] {
  const dir = resolve(import.meta.dirname, '../.tmp/ed2k');
  const fixtures = resolve(import.meta.dirname, '../fixtures');
  mkdirSync(dir, { recursive: true });
  const made: [string, Uint8Array][] = [
    ['empty.bin', new Uint8Array(0)],
    ['one.bin', new Uint8Array([0x61])],
    ['part-1.bin', bytes(PART - 1, 1)],
    ['part.bin', bytes(PART, 2)],
    ['part+1.bin', bytes(PART + 1, 3)],
    ['two-parts.bin', bytes(2 * PART, 4)],
    ['two-and-a-half.bin', bytes(2.5 * PART, 5)],
  ];
  const out: RhashFile[] = [];
  for (const [name, data] of made) {
    const path = resolve(dir, name);
    writeFileSync(path, data);
    out.push({ url: `/__test-files/ed2k/${encodeURIComponent(name)}`, name, ed2k: rhash('--ed2k', path).split(/\s+/)[0]!, link: rhash('--ed2k-link', path) });
  }
  for (const name of readdirSync(fixtures).filter((n) => n.endsWith('.iso'))) {
    const path = resolve(fixtures, name);
    out.push({ url: `fixture:${name}`, name, ed2k: rhash('--ed2k', path).split(/\s+/)[0]!, link: rhash('--ed2k-link', path) });
  }
  return out;
}
