/**
 * Authenticode signatures verified (formats/pe/verify.ts), compared with
 * what independent tools say of the same bytes:
 *  - sbverify --cert (sbsigntool) with the anchor's DER as shipped here: Debian's
 *    shim verifies to Microsoft's UEFI CA 2011 and 2023 (sbverify, like
 *    firmware, does not check dates);
 *  - osslsigncode verify -CAfile [-TSA-CAfile] [-time]: Debian's GRUB to the
 *    Debian CA, signatures made here by test CAs (some copying Microsoft's
 *    names), with and without a test TSA's RFC 3161 timestamp, checked now
 *    and after the signer expired; the image digest it calculates;
 *  - changed copies: one byte in a section (digest), one in a signature value.
 * Catalogs: a .cat-shaped PKCS#7 CTL signed here with openssl cms, checked
 * with openssl cms -verify, then read for members.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { nodeHashers } from '../../workers/hash/node-hashers.ts';
import { verifyPeSignatures, type VerifyOptions } from '../../workers/formats/pe/verify.ts';
import { catalogDigestOf, catalogMember, readCatalog } from '../../workers/formats/pe/catalog.ts';
import { anchorDer, MICROSOFT_ANCHORS } from '../../workers/formats/pe/trust-anchors.ts';
import { parseCertificate } from '../../workers/formats/pe/x509.ts';
import { bootLoaderReports, secureBootLine, signatureWords } from '../../workers/report/secure-boot.ts';
import { readEfiLoaders } from '../../workers/formats/pe/efi-loaders.ts';
import { FatVolume } from '../../workers/formats/fat/fat.ts';
import { ProblemLog } from '../../workers/io/problems.ts';

const SIGNED = resolve(import.meta.dirname, '../.tmp/signed-efi/root/usr/lib');
const SHIM = join(SIGNED, 'shim/shimx64.efi.signed');
const GRUB = join(SIGNED, 'grub/x86_64-efi-signed/grubx64.efi.signed');
const IPXE = '/usr/lib/ipxe/ipxe.efi';

const dir = mkdtempSync(join(tmpdir(), 'isoscope-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** A command's exit status and output, failing or not. */
function tryRun(cmd: string, args: string[]): { ok: boolean; out: string } {
  try {
    return { ok: true, out: run(cmd, args) };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}
const p = (name: string) => join(dir, name);
const der = (pem: string) => new Uint8Array(execFileSync('openssl', ['x509', '-in', p(pem), '-outform', 'DER']));

const verify = async (path: string, options: VerifyOptions = {}) => verifyPeSignatures(await NodeFileSource.open(path), nodeHashers, options);

/** A CA `name` (organisation `org`), EC P-256 unless `rsa`, valid `days`. */
function ca(prefix: string, org: string, name: string, rsa = true): void {
  const key = rsa ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  run('openssl', [
    'req',
    '-x509',
    ...key,
    '-nodes',
    '-keyout',
    `${prefix}-ca.key`,
    '-out',
    `${prefix}-ca.crt`,
    '-days',
    '30',
    '-subj',
    `/C=US/O=${org}/CN=${name}`,
  ]);
}
/** A certificate `cn` issued by CA `prefix` with extensions `ext` (an openssl extfile's lines). */
function issue(prefix: string, out: string, org: string, cn: string, ext: string, rsa = true): void {
  const key = rsa ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  run('openssl', ['req', ...key, '-nodes', '-keyout', `${out}.key`, '-out', `${out}.csr`, '-subj', `/C=US/O=${org}/CN=${cn}`]);
  writeFileSync(p(`${out}.ext`), ext);
  run('openssl', [
    'x509',
    '-req',
    '-in',
    `${out}.csr`,
    '-CA',
    `${prefix}-ca.crt`,
    '-CAkey',
    `${prefix}-ca.key`,
    '-CAcreateserial',
    '-out',
    `${out}.crt`,
    '-days',
    '30',
    '-extfile',
    `${out}.ext`,
  ]);
}
const CODE = 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n';

/** osslsigncode's calculated image digest (lower-case hex) of a signed file. */
function osslDigest(path: string, args: string[] = []): { calculated: string; ok: boolean; out: string } {
  const r = tryRun('osslsigncode', ['verify', ...args, '-in', path]);
  return {
    calculated: r.out.match(/Calculated message digest\s*:\s*([0-9A-F]+)/)?.[1]?.toLowerCase() ?? '',
    ok: r.ok && /Signature verification: ok/.test(r.out),
    out: r.out,
  };
}

/** Debian's Secure Boot CA, as shim embeds it (its .vendor_cert section): the DER whose subject is that CA. */
function debianCa(): Uint8Array {
  const b = readFileSync(SHIM);
  for (let i = 0; i + 4 < b.length; i++) {
    if (b[i] !== 0x30 || b[i + 1] !== 0x82) continue;
    const len = ((b[i + 2]! << 8) | b[i + 3]!) + 4;
    if (len < 500 || len > 4000 || i + len > b.length) continue;
    try {
      const c = parseCertificate(new Uint8Array(b.subarray(i, i + len)));
      if (c.subject.commonName === 'Debian Secure Boot CA') return c.der;
    } catch {
      // not a certificate here
    }
  }
  throw new Error('no Debian Secure Boot CA in shim');
}

/** The test TSA's time: a minute after its certificates were made (beforeAll), so that they are valid then. */
let stampTime = 0;
let later = 0;
let microsoftNamed: string, notMicrosoft: string, ecdsaSigned: string, md5Signed: string, stamped: string, unstamped: string;

beforeAll(() => {
  for (const f of [SHIM, GRUB]) if (!existsSync(f)) throw new Error(`${f} is missing: run tests/setup/ensure-tools.sh`);
  ca('pca', 'Microsoft Corporation', 'Microsoft Windows Production PCA 2011');
  issue('pca', 'pca-signer', 'Microsoft Corporation', 'Microsoft Windows', CODE);
  ca('other', 'Test Distribution', 'Test Distribution CA');
  issue('other', 'other-signer', 'Test Distribution', 'Test Distribution Signer', CODE);
  ca('ec', 'Test Distribution', 'Test EC CA', false);
  issue('ec', 'ec-signer', 'Test Distribution', 'Test EC Signer', CODE, false);
  ca('tsa', 'Test Time', 'Test TSA Root');
  issue('tsa', 'tsa', 'Test Time', 'Test Time-Stamping Authority', 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=critical,timeStamping\n');

  microsoftNamed = p('microsoft-named.efi');
  run('sbsign', ['--key', 'pca-signer.key', '--cert', 'pca-signer.crt', '--addcert', 'pca-ca.crt', '--output', microsoftNamed, IPXE]);
  notMicrosoft = p('not-microsoft.efi');
  run('sbsign', ['--key', 'other-signer.key', '--cert', 'other-signer.crt', '--output', notMicrosoft, IPXE]);
  ecdsaSigned = p('ecdsa.efi');
  run('osslsigncode', ['sign', '-certs', 'ec-signer.crt', '-key', 'ec-signer.key', '-h', 'sha256', '-in', IPXE, '-out', ecdsaSigned]);
  md5Signed = p('md5.efi');
  run('osslsigncode', ['sign', '-certs', 'other-signer.crt', '-key', 'other-signer.key', '-h', 'md5', '-in', IPXE, '-out', md5Signed]);
  stampTime = Math.floor(Date.now() / 1000) + 60;
  later = stampTime * 1000 + 400 * 86_400_000;
  writeFileSync(p('tsa-chain.pem'), readFileSync(p('tsa.crt'), 'utf8') + readFileSync(p('tsa-ca.crt'), 'utf8'));
  stamped = p('stamped.efi');
  run('osslsigncode', [
    'sign', '-certs', 'other-signer.crt', '-key', 'other-signer.key', '-h', 'sha256',
    '-TSA-certs', 'tsa-chain.pem', '-TSA-key', 'tsa.key', '-TSA-time', String(stampTime),
    '-in', IPXE, '-out', stamped,
  ]); // prettier-ignore
  unstamped = p('unstamped.efi');
  run('osslsigncode', ['sign', '-certs', 'other-signer.crt', '-key', 'other-signer.key', '-h', 'sha256', '-in', IPXE, '-out', unstamped]);
}, 120_000);

describe('the shipped anchors', () => {
  it('each DER has the SHA-256, subject and dates recorded, and two sources', async () => {
    expect(MICROSOFT_ANCHORS.length).toBeGreaterThanOrEqual(9);
    for (const a of MICROSOFT_ANCHORS) {
      const d = anchorDer(a);
      expect(createHash('sha256').update(d).digest('hex'), a.name).toBe(a.sha256);
      const c = parseCertificate(d);
      expect(c.subject.oneLine).toBe(a.subject);
      expect(c.subject.commonName).toBe(a.name);
      expect(new Date(c.notBefore).toISOString().replace('.000', '')).toBe(a.notBefore);
      expect(new Date(c.notAfter).toISOString().replace('.000', '')).toBe(a.notAfter);
      expect(a.source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(a.secondSource.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(a.secondSource.repo).not.toBe(a.source.repo);
      // openssl reads the same DER to the same fingerprint
      writeFileSync(p('anchor.der'), d);
      expect(
        run('openssl', ['x509', '-inform', 'DER', '-in', 'anchor.der', '-noout', '-fingerprint', '-sha256']).replace(/[:\s]/g, '').toLowerCase(),
      ).toContain(a.sha256);
    }
    expect(new Set(MICROSOFT_ANCHORS.map((a) => a.sha256)).size).toBe(MICROSOFT_ANCHORS.length);
  });

  it('the UEFI CAs shim carries are byte for byte the shipped anchors (a third source)', async () => {
    const r = await verify(SHIM);
    expect(r.signatures.map((s) => s.anchor?.sha256)).toEqual([
      MICROSOFT_ANCHORS.find((a) => a.key === 'microsoft-corporation-uefi-ca-2011')!.sha256,
      MICROSOFT_ANCHORS.find((a) => a.key === 'microsoft-uefi-ca-2023')!.sha256,
    ]);
  });
});

describe('Debian’s shim and GRUB, against sbverify and osslsigncode', () => {
  it('shim: both Microsoft signatures (2011 and 2023) verify to Microsoft’s anchors, as sbverify --cert says', async () => {
    const r = await verify(SHIM);
    expect(r.status).toBe('valid');
    expect(r.signatures.map((s) => [s.status, s.anchor?.name, s.anchor?.microsoft, s.validAt])).toEqual([
      ['valid', 'Microsoft Corporation UEFI CA 2011', true, 'signing-time'],
      ['valid', 'Microsoft UEFI CA 2023', true, 'signing-time'],
    ]);
    // Microsoft's own RFC 3161 timestamps, chained to Microsoft Root Certificate Authority 2010, give the signing time.
    expect(r.signatures.every((s) => s.timestamp?.verified && s.timestamp.kind === 'rfc3161')).toBe(true);
    expect(signatureWords(r.best!)).toBe(
      'Signed by Microsoft Windows UEFI Driver Publisher (chain to Microsoft Corporation UEFI CA 2011), unchanged since signing',
    );
    for (const key of ['microsoft-corporation-uefi-ca-2011', 'microsoft-uefi-ca-2023']) {
      writeFileSync(p(`${key}.der`), anchorDer(MICROSOFT_ANCHORS.find((a) => a.key === key)!));
      run('openssl', ['x509', '-inform', 'DER', '-in', `${key}.der`, '-out', `${key}.pem`]);
      expect(tryRun('sbverify', ['--cert', `${key}.pem`, SHIM]).ok, key).toBe(true);
    }
    // (sbverify --cert accepts shim with an unrelated certificate too: it is no oracle for the chain; osslsigncode -CAfile is, below.)
    // Under firmware's rule dates are not checked; what has expired is said.
    const fw = await verify(SHIM, { policy: 'uefi-firmware', now: Date.parse('2027-01-01') });
    expect(fw.signatures.map((s) => [s.status, s.validAt])).toEqual([
      ['valid', 'not-checked'],
      ['valid', 'not-checked'],
    ]);
    expect(fw.signatures[0]!.timeNote).toMatch(/Microsoft Corporation UEFI CA 2011 expired on 2026-06-27/);
    // Each certificate's validity, as OpenSSL reads the same certificates (the signature's own, and the anchor's).
    const dates = (pem: string) => {
      const out = run('openssl', ['x509', '-noout', '-dates', '-subject', '-nameopt', 'RFC2253', '-in', pem]);
      const at = (k: string) => new Date(new RegExp(`${k}=(.*)`).exec(out)![1]!).toISOString();
      return { cn: /CN=([^,\n]+)/.exec(out)![1]!, notBefore: at('notBefore'), notAfter: at('notAfter') };
    };
    // sbattach --detach writes the image's first signature (the 2011 one) as DER; it works on a copy.
    writeFileSync(p('shim-copy.efi'), readFileSync(SHIM));
    run('sbattach', ['--detach', p('shim-sig.der'), p('shim-copy.efi')]);
    const pems = run('openssl', ['pkcs7', '-inform', 'DER', '-in', p('shim-sig.der'), '-print_certs'])
      .split(/(?=-----BEGIN CERTIFICATE-----)/)
      .filter((b) => b.includes('BEGIN CERTIFICATE'))
      .map((b, i) => {
        writeFileSync(p(`shim-cert-${i}.pem`), b.slice(0, b.indexOf('-----END CERTIFICATE-----') + 25) + '\n');
        return dates(p(`shim-cert-${i}.pem`));
      });
    const anchor = dates(p('microsoft-corporation-uefi-ca-2011.pem'));
    const first = r.signatures[0]!;
    expect(first.chainValidity.length).toBe(first.chain.length);
    first.chain.forEach((subject, i) => {
      const cn = /CN=([^,/]+)/.exec(subject)![1]!;
      const theirs = [...pems, anchor].find((c) => c.cn === cn)!;
      expect(first.chainValidity[i], cn).toEqual({ notBefore: theirs.notBefore, notAfter: theirs.notAfter });
    });
  });

  it('GRUB: a valid signature by the Debian CA, not Microsoft; trusted only when the Debian CA is passed, as osslsigncode -CAfile says', async () => {
    const r = await verify(GRUB);
    expect(r.best).toMatchObject({ status: 'untrusted-chain', untrustedIssuer: 'Debian Secure Boot CA', claimsMicrosoft: false });
    expect(signatureWords(r.best!)).toBe('signature valid, but by a certificate not from Microsoft: Debian Secure Boot CA');
    const debian = debianCa();
    writeFileSync(p('debian.der'), debian);
    run('openssl', ['x509', '-inform', 'DER', '-in', 'debian.der', '-out', 'debian.pem']);
    const ossl = osslDigest(GRUB, ['-CAfile', p('debian.pem')]);
    expect(ossl.ok).toBe(true);
    expect(r.best!.imageDigest).toEqual({ recorded: ossl.calculated, computed: ossl.calculated });
    const trusted = await verify(GRUB, { extraAnchors: [debian] });
    expect(trusted.best).toMatchObject({ status: 'valid', anchor: { name: 'Debian Secure Boot CA', microsoft: false } });
    expect(signatureWords(trusted.best!)).toBe('signature valid, but by a certificate not from Microsoft: Debian Secure Boot CA');
    expect(osslDigest(GRUB, ['-CAfile', p('other-ca.crt')]).ok).toBe(false);
  });

  it('a copy of shim with one byte changed in a section fails the digest (sbverify fails too)', async () => {
    const b = Buffer.from(readFileSync(SHIM));
    b[0x2000] = b[0x2000]! ^ 0x01; // inside .text: shim's sections start at 0x1000
    const path = p('shim-changed.efi');
    writeFileSync(path, b);
    const r = await verify(path);
    expect(r.signatures.map((s) => s.status)).toEqual(['digest-mismatch', 'digest-mismatch']);
    expect(r.status).toBe('digest-mismatch');
    expect(signatureWords(r.best!)).toBe('changed after it was signed');
    expect(tryRun('sbverify', ['--cert', p('microsoft-corporation-uefi-ca-2011.pem'), path]).ok).toBe(false);
  });

  it('a copy of GRUB with one byte changed in its signature value fails the signature (osslsigncode too)', async () => {
    const at = (await verify(GRUB)).best!.signatureAt!;
    const b = Buffer.from(readFileSync(GRUB));
    b[at + 100] = b[at + 100]! ^ 0x01;
    const path = p('grub-sig-changed.efi');
    writeFileSync(path, b);
    const r = await verify(path, { extraAnchors: [debianCa()] });
    expect(r.best).toMatchObject({ status: 'bad-signature' });
    expect(signatureWords(r.best!)).toMatch(/^its signature does not verify/);
    expect(osslDigest(path, ['-CAfile', p('debian.pem')]).ok).toBe(false);
    // shim with its first signature damaged is still as good as its second
    const shimAt = (await verify(SHIM)).signatures[0]!.signatureAt!;
    const s = Buffer.from(readFileSync(SHIM));
    s[shimAt + 5] = s[shimAt + 5]! ^ 0x80;
    writeFileSync(p('shim-sig-changed.efi'), s);
    const shim = await verify(p('shim-sig-changed.efi'));
    expect(shim.signatures.map((x) => x.status)).toEqual(['bad-signature', 'valid']);
    expect(shim.status).toBe('valid');
  });

  it('unsigned iPXE is not signed', async () => {
    const r = await verify(IPXE);
    expect(r).toMatchObject({ status: 'unsigned', best: null, signatures: [] });
    expect(
      signatureWords({
        status: 'unsigned',
        signerName: null,
        signer: null,
        anchor: null,
        untrustedIssuer: null,
        claimsMicrosoft: false,
        reason: null,
        code: null,
        validAt: 'now',
      }),
    ).toBe('not signed');
  });
});

describe('signatures made here, against osslsigncode verify -CAfile', () => {
  it('a test CA copying Microsoft’s names and organisation only claims Microsoft’s name; passed as an anchor it is valid, never Microsoft', async () => {
    const r = await verify(microsoftNamed);
    expect(r.best).toMatchObject({ status: 'untrusted-chain', claimsMicrosoft: true, untrustedIssuer: 'Microsoft Windows Production PCA 2011' });
    expect(signatureWords(r.best!)).toMatch(/^signed by a certificate that only claims Microsoft's name/);
    expect(osslDigest(microsoftNamed).ok).toBe(false); // the system store does not trust it either
    const asAnchor = await verify(microsoftNamed, { extraAnchors: [der('pca-ca.crt')] });
    expect(asAnchor.best).toMatchObject({ status: 'valid', anchor: { name: 'Microsoft Windows Production PCA 2011', microsoft: false } });
    expect(signatureWords(asAnchor.best!)).toBe('signature valid, but by a certificate not from Microsoft: Microsoft Windows Production PCA 2011');
    expect(osslDigest(microsoftNamed, ['-CAfile', p('pca-ca.crt')]).ok).toBe(true);
  });

  it('another organisation’s CA: valid, but not from Microsoft', async () => {
    const r = await verify(notMicrosoft);
    expect(signatureWords(r.best!)).toBe('signature valid, but by a certificate not from Microsoft: Test Distribution CA');
    expect((await verify(notMicrosoft, { extraAnchors: [der('other-ca.crt')] })).status).toBe('valid');
    expect(osslDigest(notMicrosoft, ['-CAfile', p('other-ca.crt')]).ok).toBe(true);
  });

  it('ECDSA P-256 signatures verify through WebCrypto (raw r‖s), as osslsigncode says', async () => {
    const r = await verify(ecdsaSigned, { extraAnchors: [der('ec-ca.crt')] });
    expect(r.best).toMatchObject({ status: 'valid', algorithm: { digest: 'SHA-256', signature: 'ECDSA P-256 with SHA-256' } });
    const o = osslDigest(ecdsaSigned, ['-CAfile', p('ec-ca.crt')]);
    expect(o.ok).toBe(true);
    expect(r.best!.imageDigest.computed).toBe(o.calculated);
  });

  it('a SHA-1 Authenticode digest is recomputed as osslsigncode calculates it', async () => {
    const path = p('sha1.efi');
    run('osslsigncode', ['sign', '-certs', 'other-signer.crt', '-key', 'other-signer.key', '-h', 'sha1', '-in', IPXE, '-out', path]);
    const r = await verify(path, { extraAnchors: [der('other-ca.crt')] });
    expect(r.best).toMatchObject({ status: 'valid', algorithm: { digest: 'SHA-1' } });
    expect(r.best!.imageDigest.computed).toBe(osslDigest(path, ['-CAfile', p('other-ca.crt')]).calculated);
  });

  it('an MD5 image digest cannot be checked, never "valid"', async () => {
    const r = await verify(md5Signed, { extraAnchors: [der('other-ca.crt')] });
    expect(r.best).toMatchObject({ status: 'cannot-check' });
    expect(r.best!.reason).toMatch(/MD5/);
  });

  it('an expired signer: valid at the signing time its timestamp proves; without one, not valid now (osslsigncode -time agrees)', async () => {
    const anchors = [der('other-ca.crt'), der('tsa-ca.crt')];
    const withTs = await verify(stamped, { extraAnchors: anchors, now: later });
    expect(withTs.best).toMatchObject({ status: 'valid', validAt: 'signing-time', timestamp: { kind: 'rfc3161', verified: true } });
    const withoutTs = await verify(unstamped, { extraAnchors: anchors, now: later });
    expect(withoutTs.best).toMatchObject({ status: 'untrusted-chain', validAt: 'now', code: 'AUTHENTICODE_CERT_NOT_TIME_VALID', timestamp: null });
    expect(signatureWords(withoutTs.best!)).toMatch(/^signed, but its certificates were not valid now, and no verified timestamp says when it was signed/);
    // Both valid today.
    expect((await verify(unstamped, { extraAnchors: anchors })).status).toBe('valid');
    const t = String(Math.floor(later / 1000));
    expect(osslDigest(stamped, ['-CAfile', p('other-ca.crt'), '-TSA-CAfile', p('tsa-ca.crt'), '-time', t]).ok).toBe(true);
    expect(osslDigest(unstamped, ['-CAfile', p('other-ca.crt'), '-time', t]).ok).toBe(false);
    // A timestamp by an authority nobody trusts is not used: the signature is judged now.
    const untrustedTsa = await verify(stamped, { extraAnchors: [der('other-ca.crt')], now: later });
    expect(untrustedTsa.best).toMatchObject({ status: 'untrusted-chain', validAt: 'now', timestamp: { verified: false } });
  });
});

describe('the words of Ready to use?, from verified loaders', () => {
  it('shim: signed by Microsoft, chain to the UEFI CAs, the third-party readiness line resting on the verified anchors', async () => {
    const r = await verifyPeSignatures(await NodeFileSource.open(SHIM), nodeHashers, { policy: 'uefi-firmware' });
    const report = bootLoaderReports([
      {
        path: '/EFI/BOOT/BOOTX64.EFI',
        foundIn: 'tree',
        bootEntry: null,
        size: 1,
        machine: 'x64',
        unreadable: null,
        signatures: await signaturesOf(SHIM),
        verification: r,
      },
    ])[0]!;
    expect(report.signatures.map((s) => [s.microsoftCa, s.verified?.status])).toEqual([
      ['uefi-ca-2011', 'valid'],
      ['uefi-ca-2023', 'valid'],
    ]);
    expect(secureBootLine(report)).toMatch(
      /^BOOTX64\.EFI: Signed by Microsoft Windows UEFI Driver Publisher \(chain to Microsoft Corporation UEFI CA 2011\), unchanged since signing; Signed by Microsoft UEFI CA 2023 signer \(chain to Microsoft UEFI CA 2023\), unchanged since signing\. Its Secure Boot CA is Microsoft Corporation UEFI CA 2011 and Microsoft UEFI CA 2023, Microsoft's third-party CAs: Secure Boot starts it/,
    );
  });

  it('a loader whose CA only copies Microsoft’s Windows name gets no Microsoft readiness line', async () => {
    const r = await verifyPeSignatures(await NodeFileSource.open(microsoftNamed), nodeHashers, { policy: 'uefi-firmware' });
    const report = bootLoaderReports([
      {
        path: '/EFI/BOOT/BOOTX64.EFI',
        foundIn: 'tree',
        bootEntry: null,
        size: 1,
        machine: 'x64',
        unreadable: null,
        signatures: await signaturesOf(microsoftNamed),
        verification: r,
      },
    ])[0]!;
    expect(report.signatures[0]!.microsoftCa).toBeNull();
    expect(secureBootLine(report)).toMatch(/^BOOTX64\.EFI is signed by a certificate that only claims Microsoft's name/);
    expect(secureBootLine(report)).not.toMatch(/revoked|2023 certificate/);
  });

  it('readEfiLoaders verifies on request (the core passes its hashers): shim in a FAT image, as firmware would find it', async () => {
    const img = p('efi.img');
    run('mkfs.fat', ['-C', img, '4096']);
    run('mmd', ['-i', img, '::/EFI', '::/EFI/BOOT']);
    run('mcopy', ['-i', img, SHIM, '::/EFI/BOOT/BOOTX64.EFI']);
    const src = await NodeFileSource.open(img);
    const log = new ProblemLog();
    const fat = (await FatVolume.open(src, 0, log))!;
    const [l] = await readEfiLoaders(src, fat, [], log, { hashers: nodeHashers });
    expect(l!.verification).toMatchObject({ status: 'valid' });
    expect(l!.verification!.bytesRead).toBeGreaterThan(1_000_000);
    const report = bootLoaderReports([l!])[0]!;
    expect(report.verification).toMatchObject({ status: 'valid' });
    expect(report.signatures.map((s) => [s.microsoftCa, s.verified?.validAt])).toEqual([
      ['uefi-ca-2011', 'not-checked'],
      ['uefi-ca-2023', 'not-checked'],
    ]);
    expect(secureBootLine(report)).toMatch(/Microsoft's third-party CAs: Secure Boot starts it where the firmware allows third-party loaders/);
    expect(secureBootLine(report)).not.toMatch(/not checked\)/);
  });

  it('changed after signing, said plainly', async () => {
    const path = p('shim-changed.efi');
    const r = await verifyPeSignatures(await NodeFileSource.open(path), nodeHashers, { policy: 'uefi-firmware' });
    const report = bootLoaderReports([
      {
        path: '/EFI/BOOT/BOOTX64.EFI',
        foundIn: 'tree',
        bootEntry: null,
        size: 1,
        machine: 'x64',
        unreadable: null,
        signatures: await signaturesOf(path),
        verification: r,
      },
    ])[0]!;
    expect(secureBootLine(report)).toBe('BOOTX64.EFI was changed after it was signed: Secure Boot will refuse to start it.');
  });
});

async function signaturesOf(path: string) {
  const { readAuthenticode } = await import('../../workers/formats/pe/authenticode.ts');
  return (await readAuthenticode(await NodeFileSource.open(path))).signatures;
}

/** A DER TLV. */
const tlv = (tag: number, ...content: Uint8Array[]) => {
  const body = Buffer.concat(content);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return new Uint8Array([tag, ...len, ...body]);
};
const oid = (dotted: string) => {
  const arcs = dotted.split('.').map(Number);
  const out = [arcs[0]! * 40 + arcs[1]!];
  for (const a of arcs.slice(2)) {
    const b = [a & 0x7f];
    for (let v = a >> 7; v; v >>= 7) b.unshift((v & 0x7f) | 0x80);
    out.push(...b);
  }
  return tlv(0x06, new Uint8Array(out));
};
const utf16 = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));

/** A catalog member: its tag, an SpcIndirectDataContent over `digest` (PE image data or flat), a File name/value pair. */
function member(digestHex: string, pe: boolean, file: string): Uint8Array {
  const spcType = pe ? '1.3.6.1.4.1.311.2.1.15' : '1.3.6.1.4.1.311.2.1.25';
  const spc = tlv(0x30, tlv(0x30, oid(spcType)), tlv(0x30, tlv(0x30, oid('2.16.840.1.101.3.4.2.1'), tlv(0x05)), tlv(0x04, Buffer.from(digestHex, 'hex'))));
  const nameValue = tlv(0x30, tlv(0x1e, Buffer.from('File', 'utf16le').swap16()), tlv(0x02, new Uint8Array([0x10, 0x01, 0x00, 0x01])), tlv(0x04, utf16(file)));
  return tlv(
    0x30,
    tlv(0x04, utf16(digestHex.toUpperCase())),
    tlv(0x31, tlv(0x30, oid('1.3.6.1.4.1.311.2.1.4'), tlv(0x31, spc)), tlv(0x30, oid('1.3.6.1.4.1.311.12.2.1'), tlv(0x31, nameValue))),
  );
}

describe('catalogs (.cat): a PKCS#7 CTL signed with openssl cms', () => {
  let cat: string;
  let peDigest: string, textDigest: string;
  beforeAll(() => {
    issue('other', 'cat-signer', 'Test Distribution', 'Test Catalog Signer', CODE);
    writeFileSync(p('notes.txt'), 'a file listed by hash\n');
    textDigest = createHash('sha256')
      .update(readFileSync(p('notes.txt')))
      .digest('hex');
    peDigest = osslDigest(notMicrosoft).calculated; // osslsigncode's Authenticode digest of the iPXE image
    const ctl = tlv(
      0x30,
      tlv(0x30, oid('1.3.6.1.4.1.311.12.1.1')),
      tlv(0x04, new Uint8Array([1, 2, 3, 4])),
      tlv(0x17, Buffer.from('260101000000Z')),
      tlv(0x30, oid('1.3.6.1.4.1.311.12.1.2'), tlv(0x05)),
      tlv(0x30, member(peDigest, true, 'ipxe.efi'), member(textDigest, false, 'notes.txt')),
    );
    writeFileSync(p('ctl.der'), ctl);
    run('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-nodetach',
      '-econtent_type',
      '1.3.6.1.4.1.311.10.1',
      '-md',
      'sha256',
      '-signer',
      'cat-signer.crt',
      '-inkey',
      'cat-signer.key',
      '-in',
      'ctl.der',
      '-outform',
      'DER',
      '-out',
      'test.cat',
    ]);
    cat = p('test.cat');
    run('openssl', ['cms', '-verify', '-inform', 'DER', '-in', 'test.cat', '-CAfile', 'other-ca.crt', '-purpose', 'any', '-binary', '-out', 'ctl-out.der']);
    expect(readFileSync(p('ctl-out.der'))).toEqual(Buffer.from(ctl));
  }, 60_000);

  it('reads the members and verifies the catalog’s signature as openssl cms -verify does', async () => {
    const c = await readCatalog(await NodeFileSource.open(cat), { extraAnchors: [der('other-ca.crt')] });
    expect(c.status).toBe('valid');
    expect(c.members.map((m) => [m.tag, m.digest, m.kind, m.attributes])).toEqual([
      [peDigest.toUpperCase(), peDigest, 'pe', [{ name: 'File', value: 'ipxe.efi' }]],
      [textDigest.toUpperCase(), textDigest, 'flat', [{ name: 'File', value: 'notes.txt' }]],
    ]);
    // Not trusted without its CA: a member of an untrusted catalog proves nothing, and the status says so.
    expect((await readCatalog(await NodeFileSource.open(cat))).status).toBe('untrusted-chain');
  });

  it('finds a file by its Authenticode digest (PE) or whole-file hash; a changed file and a file of no catalog are not members', async () => {
    const c = await readCatalog(await NodeFileSource.open(cat), { extraAnchors: [der('other-ca.crt')] });
    const pe = await catalogDigestOf(await NodeFileSource.open(IPXE), nodeHashers, 'sha256');
    expect(pe).toEqual({ digest: peDigest, kind: 'pe' });
    expect(catalogMember(c, pe.digest)?.attributes[0]?.value).toBe('ipxe.efi');
    const flat = await catalogDigestOf(await NodeFileSource.open(p('notes.txt')), nodeHashers, 'sha256');
    expect(catalogMember(c, flat.digest)?.kind).toBe('flat');
    writeFileSync(p('notes.txt'), 'a file listed by hash, then changed\n');
    expect(catalogMember(c, (await catalogDigestOf(await NodeFileSource.open(p('notes.txt')), nodeHashers, 'sha256')).digest)).toBeNull();
    expect(catalogMember(c, (await catalogDigestOf(await NodeFileSource.open(GRUB), nodeHashers, 'sha256')).digest)).toBeNull();
  });

  it('a catalog with one member’s hash changed fails its signature (openssl cms -verify too)', async () => {
    const b = Buffer.from(readFileSync(cat));
    const at = b.indexOf(Buffer.from(textDigest, 'hex'));
    b[at] = b[at]! ^ 0x01;
    writeFileSync(p('changed.cat'), b);
    const c = await readCatalog(await NodeFileSource.open(p('changed.cat')), { extraAnchors: [der('other-ca.crt')] });
    expect(c.status).toBe('bad-signature');
    expect(c.signatures[0]!.reason).toMatch(/message digest/);
    expect(
      tryRun('openssl', [
        'cms',
        '-verify',
        '-inform',
        'DER',
        '-in',
        'changed.cat',
        '-CAfile',
        'other-ca.crt',
        '-purpose',
        'any',
        '-binary',
        '-out',
        '/dev/null',
      ]).ok,
    ).toBe(false);
  });
});
