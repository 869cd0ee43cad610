/**
 * `isoscope --lookup`: its answers and exit codes (0 a hash matched, 3 only
 * the size did, 1 nothing did, 2 not a hash, ed2k link or size), run through
 * the CLI's own entry point with the shipped catalogue.
 */
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { main } from '../../workers/cli/main.ts';

async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  // main() takes the process streams by default; any writable stream does.
  const status = await main(args, out as unknown as typeof process.stdout, err as unknown as typeof process.stderr);
  return { status, stdout: Buffer.concat(chunks.out).toString('utf8'), stderr: Buffer.concat(chunks.err).toString('utf8') };
}

describe('--lookup', () => {
  it('a size shared by releases names each and says to hash the file: exit 3, not a match', async () => {
    const r = await run('--lookup', '3320903680');
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso');
    expect(r.stdout).toContain('en_windows_7_ultimate_with_sp1_x64_dvd_u_677332.iso');
    expect(r.stdout).toMatch(/hash it to confirm/);
    expect(r.stdout).not.toMatch(/identical/i);
  });

  it('a hash from the sources: exit 0, with the names, the hashes and the sources', async () => {
    const r = await run('--lookup', '9B57E67888434C24DD683968A3CE2C72755AB148');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('cn_windows_7_professional_with_sp1_x64_dvd_u_677031.iso');
    expect(r.stdout).toMatch(/ed2k\s+430bedc0f22fa18001f717f7af08c9d5/);
    expect(r.stdout).toMatch(/sources msdn-itellyou/);
  });

  it('an ed2k link: its hash matches (exit 0); another hash of that size is not that release (exit 1)', async () => {
    const link = 'ed2k://|file|cn_windows_7_professional_with_sp1_x64_dvd_u_677031.iso|3420557312|430BEDC0F22FA18001F717F7AF08C9D5|/';
    expect((await run('--lookup', link)).status).toBe(0);
    const other = await run('--lookup', link.replace('430BEDC0', '430BEDC1'));
    expect(other.status).toBe(1);
    expect(other.stdout).toMatch(/another ed2k hash/);
  });

  it('nothing of that size or hash: exit 1; neither a hash nor a size: exit 2', async () => {
    expect((await run('--lookup', '12345')).status).toBe(1);
    expect((await run('--lookup', 'f'.repeat(64))).status).toBe(1);
    const bad = await run('--lookup', 'a'.repeat(63));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/63 hex digits/);
  });

  it('--json carries what matched', async () => {
    const j = JSON.parse((await run('--lookup', '3,320,903,680', '--json')).stdout) as { match: string; kind: string };
    expect(j).toMatchObject({ kind: 'size', match: 'size' });
  });
});
