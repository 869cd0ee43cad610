/**
 * Hostile certificate tables and catalogs: each ends in a typed error (or a
 * typed code on the verification) within a time bound, never a hang or an
 * untyped exception. Chains are made with openssl (EC P-256 keys: quick) and
 * signed onto iPXE with osslsigncode; malformed structures are crafted here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { nodeHashers } from '../../workers/hash/node-hashers.ts';
import { verifyPeSignatures } from '../../workers/formats/pe/verify.ts';
import { readCatalog } from '../../workers/formats/pe/catalog.ts';
import { FormatError } from '../../workers/io/problems.ts';

const IPXE = '/usr/lib/ipxe/ipxe.efi';
const BOUND_MS = 2000;
const dir = mkdtempSync(join(tmpdir(), 'isoscope-hostile-sig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const p = (name: string) => join(dir, name);
const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const der = (pem: string) => new Uint8Array(execFileSync('openssl', ['x509', '-in', p(pem), '-outform', 'DER']));

function selfSigned(name: string, cn: string): void {
  run('openssl', ['req', '-x509', ...ec, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '30', '-subj', `/O=Hostile/CN=${cn}`]);
}
/** `name` with subject `cn`, issued by certificate `ca` (its key `caKey`), a CA or a code signer. */
function issued(name: string, cn: string, ca: string, caKey: string, isCa: boolean, key = `${name}.key`): void {
  const keyArgs = key === `${name}.key` ? [...ec, '-keyout', key] : ['-new', '-key', key];
  run('openssl', ['req', ...keyArgs, '-out', `${name}.csr`, '-subj', `/O=Hostile/CN=${cn}`]);
  writeFileSync(
    p(`${name}.ext`),
    isCa ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n' : 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=codeSigning\n',
  );
  run('openssl', [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    ca,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '30',
    '-extfile',
    `${name}.ext`,
  ]);
}
const sign = (out: string, certs: string[], key: string) => {
  writeFileSync(p(`${out}.pem`), certs.map((c) => readFileSync(p(c), 'utf8')).join(''));
  run('osslsigncode', ['sign', '-certs', `${out}.pem`, '-key', key, '-h', 'sha256', '-in', IPXE, '-out', `${out}.efi`]);
  return p(`${out}.efi`);
};
const timed = async <T>(f: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    expect(performance.now() - t0).toBeLessThan(BOUND_MS);
  }
};
const verify = async (path: string, extraAnchors: Uint8Array[] = []) => verifyPeSignatures(await NodeFileSource.open(path), nodeHashers, { extraAnchors });

let deep: string, loop: string;
beforeAll(() => {
  // A chain of 12 CAs under a root: deeper than the 8 a path may have.
  selfSigned('root', 'Hostile Root');
  let up = 'root';
  const chain: string[] = [];
  for (let i = 1; i <= 12; i++) {
    issued(`int${i}`, `Hostile CA ${i}`, `${up}.crt`, `${up}.key`, true);
    chain.unshift(`int${i}.crt`);
    up = `int${i}`;
  }
  issued('deep-leaf', 'Hostile Deep Signer', `${up}.crt`, `${up}.key`, false);
  deep = sign('deep', ['deep-leaf.crt', ...chain], 'deep-leaf.key');
  // Two CAs that issued each other: A (by B's key) and B (by A's key); the signer under A.
  selfSigned('a0', 'Loop A');
  selfSigned('b0', 'Loop B');
  issued('a1', 'Loop A', 'b0.crt', 'b0.key', true, 'a0.key');
  issued('b1', 'Loop B', 'a0.crt', 'a0.key', true, 'b0.key');
  issued('loop-leaf', 'Hostile Loop Signer', 'a0.crt', 'a0.key', false);
  loop = sign('loop', ['loop-leaf.crt', 'a1.crt', 'b1.crt'], 'loop-leaf.key');
}, 120_000);

/** iPXE with `pkcs7` as its one WIN_CERTIFICATE (PKCS_SIGNED_DATA), data directory 4 pointing at it; `declared` overrides dwLength. */
function withCertificateTable(name: string, pkcs7: Uint8Array, declared?: number): string {
  const pe = new Uint8Array(readFileSync(IPXE));
  const v = new DataView(pe.buffer);
  const opt = v.getUint32(0x3c, true) + 24;
  const dirs = opt + (v.getUint16(opt, true) === 0x20b ? 112 : 96);
  const at = Math.ceil(pe.length / 8) * 8;
  const entry = new Uint8Array(Math.ceil((8 + pkcs7.length) / 8) * 8);
  const e = new DataView(entry.buffer);
  e.setUint32(0, declared ?? 8 + pkcs7.length, true);
  e.setUint16(4, 0x0200, true);
  e.setUint16(6, 0x0002, true);
  entry.set(pkcs7, 8);
  const out = new Uint8Array(at + entry.length);
  out.set(pe);
  out.set(entry, at);
  const o = new DataView(out.buffer);
  o.setUint32(dirs + 32, at, true);
  o.setUint32(dirs + 36, entry.length, true);
  writeFileSync(p(name), out);
  return p(name);
}

const tlv = (tag: number, ...content: Uint8Array[]) => {
  const body = Buffer.concat(content);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return new Uint8Array([tag, ...len, ...body]);
};
const SIGNED_DATA = new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);
const SPC = new Uint8Array([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x04]);
const CTL = new Uint8Array([0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x0a, 0x01]);
const SHA256 = tlv(0x30, new Uint8Array([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]));
/** A SignedData ContentInfo of content type `type` over `content`, carrying `certificates`, with no signer. */
const signedData = (type: Uint8Array, content: Uint8Array, certificates: Uint8Array[]) =>
  tlv(
    0x30,
    SIGNED_DATA,
    tlv(0xa0, tlv(0x30, tlv(0x02, new Uint8Array([1])), tlv(0x31), tlv(0x30, type, tlv(0xa0, content)), tlv(0xa0, ...certificates), tlv(0x31))),
  );
const spcContent = tlv(0x30, tlv(0x30), tlv(0x30, SHA256, tlv(0x04, new Uint8Array(32))));

describe('hostile certificate tables: typed answers within the bound', () => {
  it('a chain deeper than 8 certificates stops with AUTHENTICODE_CHAIN_TOO_DEEP', async () => {
    const r = await timed(() => verify(deep, [der('root.crt')]));
    expect(r.best).toMatchObject({ status: 'untrusted-chain', code: 'AUTHENTICODE_CHAIN_TOO_DEEP' });
  });

  it('certificates that issued each other in a loop stop with AUTHENTICODE_CHAIN_LOOP', async () => {
    const r = await timed(() => verify(loop));
    expect(r.best).toMatchObject({ status: 'untrusted-chain', code: 'AUTHENTICODE_CHAIN_LOOP' });
  });

  it('33 certificates in one signature: PKCS7_TOO_MANY_CERTIFICATES, with the offset in the file', async () => {
    const cert = der('root.crt');
    const path = withCertificateTable(
      'many.efi',
      signedData(
        SPC,
        spcContent,
        Array.from({ length: 33 }, () => cert),
      ),
    );
    const e = await timed(() =>
      verify(path).then(
        () => null,
        (x: unknown) => x,
      ),
    );
    expect(e).toMatchObject({ name: 'FormatError', code: 'PKCS7_TOO_MANY_CERTIFICATES' });
    expect(e instanceof FormatError ? e.offset : null).toBeTypeOf('number');
  });

  it('a certificate of 100 KB: X509_TOO_LARGE', async () => {
    const huge = tlv(0x30, new Uint8Array(100_000));
    const path = withCertificateTable('huge.efi', signedData(SPC, spcContent, [huge]));
    await timed(() => expect(verify(path)).rejects.toMatchObject({ code: 'X509_TOO_LARGE' }));
  });

  it('wrong lengths: a WIN_CERTIFICATE longer than its table, a SignedData longer than its entry', async () => {
    const pkcs7 = signedData(SPC, spcContent, [der('root.crt')]);
    await timed(() =>
      expect(verify(withCertificateTable('entry-long.efi', pkcs7, 8 + pkcs7.length + 64))).rejects.toMatchObject({ code: 'AUTHENTICODE_BAD_ENTRY' }),
    );
    const longer = new Uint8Array(pkcs7);
    longer[3] = longer[3]! + 0x10; // the low octet of the ContentInfo's 2-octet length: 16 bytes more than the entry holds
    await timed(() => expect(verify(withCertificateTable('der-long.efi', longer))).rejects.toMatchObject({ code: 'DER_TRUNCATED' }));
  });
});

describe('hostile catalogs', () => {
  it('200 000 members that are not TrustedSubjects: a typed error at once', async () => {
    const members = tlv(
      0x30,
      Buffer.alloc(200_000 * 3).map((_, i) => [0x04, 0x01, 0x00][i % 3]!),
    );
    const ctl = tlv(0x30, tlv(0x30), tlv(0x17, Buffer.from('260101000000Z')), tlv(0x30, tlv(0x06, new Uint8Array([0x2b, 0x06]))), members);
    writeFileSync(p('members.cat'), signedData(CTL, ctl, []));
    await timed(async () => expect(readCatalog(await NodeFileSource.open(p('members.cat')))).rejects.toMatchObject({ code: 'DER_UNEXPECTED' }));
  });

  it('a catalog past the size bound is refused before it is read', async () => {
    writeFileSync(p('big.cat'), '');
    truncateSync(p('big.cat'), 65 * 1024 * 1024);
    await timed(async () => expect(readCatalog(await NodeFileSource.open(p('big.cat')))).rejects.toMatchObject({ code: 'CATALOG_TOO_LARGE' }));
  });

  it('a catalog whose content is no CTL', async () => {
    writeFileSync(p('spc.cat'), signedData(SPC, spcContent, []));
    await timed(async () => expect(readCatalog(await NodeFileSource.open(p('spc.cat')))).rejects.toMatchObject({ code: 'CATALOG_NOT_CTL' }));
  });
});
