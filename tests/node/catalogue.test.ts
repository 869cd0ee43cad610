/** The trusted-hash catalogue: import formats, a match by hash, and a size difference known before hashing. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './helpers.ts';
import { checkCatalogue, parseCatalogue } from '../../workers/hash/catalogue.ts';

const iso = join(FIXTURES, 'win7-pro-x64.iso');
const sha256 = execFileSync('sha256sum', [iso], { encoding: 'utf8' }).split(' ')[0]!;
const sha1 = execFileSync('sha1sum', [iso], { encoding: 'utf8' }).split(' ')[0]!;
const size = statSync(iso).size;
const when = '2026-11-22T10:00:00.000Z';

describe('catalogue', () => {
  it('imports CSV with a header and matches by SHA-1, naming the entry and its source', () => {
    const cat = parseCatalogue(
      `name,size,sha1,source\n"en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso",${size},${sha1.toUpperCase()},MSDN listing\n`,
      'msdn.csv',
      when,
    );
    const v = checkCatalogue(cat, { name: 'whatever.iso', size }, { sha1 });
    expect(v).toMatchObject({
      verdict: 'match',
      algorithm: 'sha1',
      entry: { name: 'en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso', source: 'MSDN listing' },
    });
  });

  it('imports JSON and a sha256sum file', () => {
    expect(parseCatalogue(JSON.stringify([{ name: 'a.iso', size: 5, sha256 }]), 'l.json', when)[0]!.hashes.sha256).toBe(sha256);
    const fromSums = parseCatalogue(`${sha256}  win7-pro-x64.iso\n`, 'SHA256SUMS', when);
    expect(checkCatalogue(fromSums, { name: 'win7-pro-x64.iso', size }, { sha256 })).toMatchObject({
      verdict: 'match',
      entry: { source: 'the list you imported (SHA256SUMS) on 2026-11-22' },
    });
  });

  it('says a same-named file differs as soon as its size differs, before hashing', () => {
    const cat = parseCatalogue(`name,size,sha256\nwin7-pro-x64.iso,${size + 2048},${'a'.repeat(64)}\n`, 'l.csv', when);
    expect(checkCatalogue(cat, { name: 'win7-pro-x64.iso', size }, {})).toMatchObject({ verdict: 'size-differs' });
  });

  it('a same-named file with another hash differs; an unlisted one is unknown', () => {
    const cat = parseCatalogue(`name,size,sha256\nwin7-pro-x64.iso,${size},${'b'.repeat(64)}\n`, 'l.csv', when);
    expect(checkCatalogue(cat, { name: 'win7-pro-x64.iso', size }, { sha256 }).verdict).toBe('hash-differs');
    expect(checkCatalogue(cat, { name: 'other.iso', size }, { sha256 }).verdict).toBe('unknown');
  });
});
