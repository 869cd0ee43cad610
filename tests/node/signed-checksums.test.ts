/**
 * OpenPGP signatures of checksum lists, against GnuPG's verdict on the same
 * bytes: keys are made and lists signed with gpg (detached armored as Debian
 * does, detached binary as Ubuntu's .gpg, cleartext-signed as Fedora's
 * CHECKSUM; RSA and Ed25519 keys), then `gpg --verify --status-fd` says
 * GOODSIG / BADSIG / ERRSIG … NO_PUBKEY, and we must say good / bad /
 * wrong-key with the same key id and fingerprint.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSignedList, openPgpKind, type SignatureCheck } from '../../workers/hash/signed-checksums.ts';
import { parseChecksums } from '../../workers/hash/checksums.ts';
import type { Report } from '../../workers/report/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'isoscope-pgp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** gpg with its own home: `who` is a keyring of its own (signer A, stranger B, a verifier holding only A's or B's public key). */
function gpg(who: string, args: string[], input?: string): string {
  const home = join(dir, `gnupg-${who}`);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return execFileSync('gpg', ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
    cwd: dir,
    input,
    encoding: 'latin1',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
/** GnuPG's verdict on a detached (or, without `sig`, cleartext) signature, from a keyring holding only `keyFile`. */
function gpgVerdict(keyFile: string, list: string, sig?: string): { status: 'good' | 'bad' | 'wrong-key'; keyId: string; fingerprint: string | null } {
  // A keyring of its own for each verdict: one home reused, removed and made again while the daemons GnuPG started
  // for it last time were still going, failed an import now and then (CI).
  const home = mkdtempSync(join(dir, 'verify-'));
  const imported = spawnSync('gpg', ['--homedir', home, '--batch', '--import', keyFile], { cwd: dir, encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`gpg --import ${keyFile}: ${imported.stderr}`);
  const r = spawnSync('gpg', ['--homedir', home, '--batch', '--status-fd', '1', '--verify', ...(sig ? [sig, list] : [list])], { cwd: dir, encoding: 'utf8' });
  spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
  const out = r.stdout;
  const valid = out.match(/^\[GNUPG:\] VALIDSIG (\S+) .* (\S+)$/m);
  const good = out.match(/^\[GNUPG:\] GOODSIG (\S+)/m);
  const bad = out.match(/^\[GNUPG:\] BADSIG (\S+)/m);
  const missing = out.match(/^\[GNUPG:\] ERRSIG (\S+) .* 9 /m) ?? out.match(/^\[GNUPG:\] NO_PUBKEY (\S+)/m);
  if (good) return { status: 'good', keyId: good[1]!, fingerprint: valid![2]! };
  if (bad) return { status: 'bad', keyId: bad[1]!, fingerprint: null };
  if (missing) return { status: 'wrong-key', keyId: missing[1]!, fingerprint: null };
  throw new Error(`gpg said:\n${out}\n${r.stderr}`);
}
const file = (name: string) => new Uint8Array(readFileSync(join(dir, name)));

const LIST = [
  'b7e58bd4f5a8c2b8d1c4a2e9f0f4b7d6c1e2a3b4c5d6e7f8091a2b3c4d5e6f70  debian-13.2.0-amd64-netinst.iso',
  '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0  debian-13.2.0-amd64-DVD-1.iso',
  '',
].join('\n');

beforeAll(() => {
  gpg('a', ['--quick-gen-key', 'Test Signer A <a@example.org>', 'rsa2048', 'sign', 'never']);
  gpg('e', ['--quick-gen-key', 'Test Signer E <e@example.org>', 'ed25519', 'sign', 'never']);
  gpg('b', ['--quick-gen-key', 'Stranger B <b@example.org>', 'ed25519', 'sign', 'never']);
  writeFileSync(join(dir, 'a.asc'), gpg('a', ['--armor', '--export']), 'latin1');
  writeFileSync(join(dir, 'a.gpg'), gpg('a', ['--export']), 'latin1');
  writeFileSync(join(dir, 'e.asc'), gpg('e', ['--armor', '--export']), 'latin1');
  writeFileSync(join(dir, 'b.asc'), gpg('b', ['--armor', '--export']), 'latin1');
  writeFileSync(join(dir, 'a-secret.asc'), gpg('a', ['--armor', '--export-secret-keys']), 'latin1');
  writeFileSync(join(dir, 'SHA256SUMS'), LIST);
  gpg('a', ['--armor', '--detach-sign', '--output', 'SHA256SUMS.sign', 'SHA256SUMS']);
  gpg('a', ['--detach-sign', '--output', 'SHA256SUMS.gpg', 'SHA256SUMS']);
  gpg('e', ['--armor', '--detach-sign', '--output', 'SHA256SUMS.e.sign', 'SHA256SUMS']);
  gpg('a', ['--clearsign', '--output', 'CHECKSUM', 'SHA256SUMS']);
  writeFileSync(join(dir, 'SHA256SUMS.changed'), LIST.replace('b7e58b', 'b7e58c'));
}, 120_000);

describe('OpenPGP signatures of checksum lists, as GnuPG judges them', () => {
  it('tells signatures, keys and signed lists apart by content', () => {
    expect(openPgpKind(file('SHA256SUMS.sign'))).toBe('signature');
    expect(openPgpKind(file('SHA256SUMS.gpg'))).toBe('signature');
    expect(openPgpKind(file('a.asc'))).toBe('public-key');
    expect(openPgpKind(file('a.gpg'))).toBe('public-key');
    expect(openPgpKind(file('CHECKSUM'))).toBe('signed-message');
    expect(openPgpKind(file('a-secret.asc'))).toBe('private-key');
    expect(openPgpKind(file('SHA256SUMS'))).toBeNull();
  });

  const good: [string, string, string | undefined, string][] = [
    ['a detached armored signature (Debian’s SHA256SUMS.sign), RSA', 'a.asc', 'SHA256SUMS.sign', 'SHA256SUMS'],
    ['a detached binary signature (Ubuntu’s SHA256SUMS.gpg), binary key', 'a.gpg', 'SHA256SUMS.gpg', 'SHA256SUMS'],
    ['an Ed25519 signature', 'e.asc', 'SHA256SUMS.e.sign', 'SHA256SUMS'],
    ['a cleartext-signed list (Fedora’s CHECKSUM)', 'a.asc', undefined, 'CHECKSUM'],
  ];
  for (const [what, key, sig, list] of good)
    it(`good: ${what}`, async () => {
      const theirs = gpgVerdict(key, list, sig);
      expect(theirs.status).toBe('good');
      const ours = await checkSignedList(file(list), sig ? file(sig) : null, file(key));
      expect(ours.status).toBe('good');
      if (ours.status !== 'good') return;
      expect(ours.signer.keyId).toBe(theirs.keyId);
      expect(ours.signer.fingerprint).toBe(theirs.fingerprint);
      expect(ours.signer.userIds[0]).toMatch(/^Test Signer/);
      expect(parseChecksums(ours.signedText).map((e) => e.name)).toEqual(['debian-13.2.0-amd64-netinst.iso', 'debian-13.2.0-amd64-DVD-1.iso']);
    });

  it('bad: one digit of the list changed', async () => {
    expect(gpgVerdict('a.asc', 'SHA256SUMS.changed', 'SHA256SUMS.sign').status).toBe('bad');
    const ours = await checkSignedList(file('SHA256SUMS.changed'), file('SHA256SUMS.sign'), file('a.asc'));
    expect(ours).toMatchObject({ status: 'bad', signer: { keyId: gpgVerdict('a.asc', 'SHA256SUMS', 'SHA256SUMS.sign').keyId } });
  });

  it('bad: a cleartext-signed list changed inside its signed part; lines added outside it are not part of the signed text', async () => {
    const signed = readFileSync(join(dir, 'CHECKSUM'), 'utf8');
    writeFileSync(join(dir, 'CHECKSUM.changed'), signed.replace('b7e58b', 'b7e58c'));
    expect(gpgVerdict('a.asc', 'CHECKSUM.changed').status).toBe('bad');
    expect((await checkSignedList(file('CHECKSUM.changed'), null, file('a.asc'))).status).toBe('bad');
    writeFileSync(join(dir, 'CHECKSUM.appended'), `${signed}${'ff'.repeat(32)}  evil.iso\n`);
    const ours = await checkSignedList(file('CHECKSUM.appended'), null, file('a.asc'));
    expect(ours.status).toBe('good');
    if (ours.status === 'good') expect(parseChecksums(ours.signedText).map((e) => e.name)).not.toContain('evil.iso');
  });

  it('several key files (a keyring as people keep it: armored and binary side by side): the one that signed is found', async () => {
    const ours = await checkSignedList(file('SHA256SUMS'), file('SHA256SUMS.sign'), [file('b.asc'), file('e.asc'), file('a.gpg')]);
    expect(ours).toMatchObject({ status: 'good', signer: { fingerprint: gpgVerdict('a.asc', 'SHA256SUMS', 'SHA256SUMS.sign').fingerprint } });
  });

  it('wrong key: the signature names a key that was not given', async () => {
    const theirs = gpgVerdict('b.asc', 'SHA256SUMS', 'SHA256SUMS.sign');
    expect(theirs.status).toBe('wrong-key');
    const ours = await checkSignedList(file('SHA256SUMS'), file('SHA256SUMS.sign'), file('b.asc'));
    expect(ours.status).toBe('wrong-key');
    if (ours.status === 'wrong-key') expect(ours.signatureKeyIds).toEqual([theirs.keyId]);
  });

  it('unreadable inputs say what is wrong', async () => {
    /** Why a check could not be made (any other status stands for itself, and matches no reason). */
    const reason = (r: SignatureCheck) => (r.status === 'unreadable' ? r.reason : r.status);
    expect(reason(await checkSignedList(file('SHA256SUMS'), file('SHA256SUMS.sign'), file('a-secret.asc')))).toMatch(/private key/);
    expect(reason(await checkSignedList(file('SHA256SUMS'), null, file('a.asc')))).toMatch(/not signed inside/);
    expect(await checkSignedList(file('SHA256SUMS'), file('SHA256SUMS'), file('a.asc'))).toMatchObject({ status: 'unreadable' });
    expect(await checkSignedList(file('SHA256SUMS'), file('SHA256SUMS.sign'), file('SHA256SUMS'))).toMatchObject({ status: 'unreadable' });
  });
});

describe('the CLI checks a signed list before using it (--key, --signature)', () => {
  const BIN = resolve(import.meta.dirname, '../../workers/cli/bin.cjs');
  const iso = resolve(import.meta.dirname, '../fixtures/ipxe.iso');
  const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, iso, '--json', ...args], { cwd: dir, encoding: 'utf8' });
  const listFor = (name: string, digest: string) => writeFileSync(join(dir, name), `${digest}  ipxe.iso\n`);

  beforeAll(() => {
    const digest = execFileSync('sha256sum', [iso], { encoding: 'utf8' }).slice(0, 64);
    listFor('IPXE.SUMS', digest);
    gpg('a', ['--armor', '--detach-sign', '--output', 'IPXE.SUMS.sign', 'IPXE.SUMS']);
    gpg('a', ['--clearsign', '--output', 'IPXE.CHECKSUM', 'IPXE.SUMS']);
    listFor(
      'IPXE.SUMS.forged',
      digest.replace(/^./, (c) => (c === '0' ? '1' : '0')),
    );
  });

  it('good detached and cleartext signatures: exit 0, the signer in the report', () => {
    for (const args of [
      ['--check', 'IPXE.SUMS', '--key', 'a.asc', '--signature', 'IPXE.SUMS.sign'],
      ['--check', 'IPXE.CHECKSUM', '--key', 'a.asc'],
    ]) {
      const r = cli(...args);
      expect(r.status, r.stderr).toBe(0);
      const v = (JSON.parse(r.stdout) as Report).verification;
      expect(v).toMatchObject({
        verdict: 'match',
        signature: { status: 'good', signer: { fingerprint: gpgVerdict('a.asc', 'IPXE.SUMS', 'IPXE.SUMS.sign').fingerprint } },
      });
    }
  });

  it('a list changed after signing, or signed by another key: exit 1, said so', () => {
    // The forged list's hash would not match either; the signature is what must fail first.
    const forged = cli('--check', 'IPXE.SUMS.forged', '--key', 'a.asc', '--signature', 'IPXE.SUMS.sign');
    expect(forged.status).toBe(1);
    expect((JSON.parse(forged.stdout) as Report).verification?.signature?.status).toBe('bad');
    const stranger = cli('--check', 'IPXE.SUMS', '--key', 'b.asc', '--signature', 'IPXE.SUMS.sign');
    expect(stranger.status).toBe(1);
    const v = (JSON.parse(stranger.stdout) as Report).verification!;
    expect(v.verdict).toBe('match'); // the hash matches a list nobody vouched for: still not a pass
    expect(v.signature?.status).toBe('wrong-key');
    const text = spawnSync(process.execPath, [BIN, iso, '--check', 'IPXE.SUMS', '--key', 'b.asc', '--signature', 'IPXE.SUMS.sign'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(text.stdout).toMatch(/Signed list: +Not checked: the signature was made by key [0-9A-F]{16}, which is not among the keys given/);
  });

  it('usage errors: --signature without --key, --key without --check', () => {
    expect(cli('--check', 'IPXE.SUMS', '--signature', 'IPXE.SUMS.sign').status).toBe(2);
    expect(cli('--key', 'a.asc').status).toBe(2);
  });
});
