/**
 * The catalogue's build: each parser against text in its source's own format
 * (written here in that format, with made-up values), the merge rules, the
 * official-name reader, and the shipped data: every row sourced, every
 * source pinned.
 */
import { describe, expect, it } from 'vitest';
import {
  parseAvocado,
  parseDockurDefine,
  parseMalboxesDoc,
  parseMarkdownShaTable,
  parseMido,
  parsePacker,
  parseRapid7,
  parseS2e,
  readHash,
} from '../../workers/catalogue/build/parse.ts';
import { merge, type SourcedStatement } from '../../workers/catalogue/build/merge.ts';
import { parseReleaseName } from '../../workers/catalogue/release-name.ts';
import { CATALOGUE, lookup } from '../../workers/catalogue/catalogue.ts';

const A64 = 'a'.repeat(64),
  B64 = 'b'.repeat(64),
  A40 = 'c'.repeat(40),
  A32 = 'd'.repeat(32);

describe('parsers, each in its source format', () => {
  it('dockur define.sh: size, sum and url of each case entry, relative to the function host; per-language url lists are skipped', () => {
    const text = `getMido() {
  local id="$1"
  case "\${id,,}" in
    "win11x64" )
      size=123
      sum="${A64}"
      url="https://software.download.prss.microsoft.com/x/26200.1.250101-0000.ge_release_CLIENT_CONSUMER_x64FRE_en-us.iso"
      ;;
    "win10x64" )
      size=456
      sum="${B64}"
      ;;
  esac
}

getLink2() {
  local host="https://files.example/MSDN"
  case "\${id,,}" in
    "win7x64" | "win7x64-ultimate" )
      size=789
      sum="${A64.replace(/a/g, 'e')}"
      url="Windows%207/en_windows_7_ultimate_with_sp1_x64_dvd_u_677332.iso"
      ;;
    "win10x64-enterprise" )
      case "\${culture,,}" in
        "ar" ) url="ar-sa_windows_10_x64_dvd_1.iso" ;;
        "bg" ) url="bg-bg_windows_10_x64_dvd_2.iso" ;;
      esac
      size=1
      sum="${A64.replace(/a/g, 'f')}"
      ;;
  esac
}`;
    const s = parseDockurDefine(text, '0123456789abcdef');
    expect(s).toHaveLength(3);
    expect(s[0]).toMatchObject({ name: '26200.1.250101-0000.ge_release_CLIENT_CONSUMER_x64FRE_en-us.iso', size: 123, sha256: A64, label: 'win11x64' });
    expect(s[0]!.where).toBe('getMido "win11x64" @ 0123456789ab');
    expect(s[1]).toMatchObject({ name: null, size: 456, sha256: B64, label: 'win10x64' });
    expect(s[2]).toMatchObject({
      name: 'en_windows_7_ultimate_with_sp1_x64_dvd_u_677332.iso',
      url: 'https://files.example/MSDN/Windows%207/en_windows_7_ultimate_with_sp1_x64_dvd_u_677332.iso',
    });
  });

  it("Mido.sh: the sha256sums list, with each media's Microsoft URL", () => {
    const text = `            "$win7x64_ultimate")
                scurl_file "$media" "1.3" "https://web.archive.org/web/20221228154140/https://download.microsoft.com/download/5/1/9/X/7601.24214.180801-1700.win7sp1_ldr_escrow_CLIENT_ULTIMATE_x64FRE_en-us.iso"
                ;;
    readonly sha256sums="\\
${A64}  win7x64-ultimate.iso
# a comment
${B64}  win10x64.iso"`;
    const s = parseMido(text);
    expect(s).toEqual([
      expect.objectContaining({ name: '7601.24214.180801-1700.win7sp1_ldr_escrow_CLIENT_ULTIMATE_x64FRE_en-us.iso', sha256: A64, label: 'win7x64-ultimate' }),
      expect.objectContaining({ name: null, sha256: B64, label: 'win10x64' }),
    ]);
  });

  it('rapid7 iso_list.json and iso_pending.json', () => {
    expect(parseRapid7(JSON.stringify({ 'en_windows_8_x64_dvd_915440.iso': { md5: A32.toUpperCase(), install_index: '1' } }), 'iso_list.json')).toEqual([
      expect.objectContaining({ name: 'en_windows_8_x64_dvd_915440.iso', md5: A32 }),
    ]);
    expect(parseRapid7(JSON.stringify({ 'x.iso': A32 }), 'iso_pending.json')[0]!.md5).toBe(A32);
  });

  it('avocado-vt cfg: the whole-file sums, not the first-megabyte ones', () => {
    const text = `    install:
        cdrom_cd1 = isos/windows/en_windows_7_ultimate_x64_dvd_x15-65922.iso
        md5sum_cd1 = ${A32}
        md5sum_1m_cd1 = ${'0'.repeat(32)}
        sha1sum_cd1 = ${A40}
        sha1sum_1m_cd1 = ${'1'.repeat(40)}`;
    expect(parseAvocado(text, 'Win7/x86_64.cfg')).toEqual([
      expect.objectContaining({ name: 'en_windows_7_ultimate_x64_dvd_x15-65922.iso', md5: A32, sha1: A40, where: 'Win7/x86_64.cfg:2' }),
    ]);
  });

  it('malboxes adoc: filename then its SHA-1', () => {
    const text = `* filename: en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso\n* sha1 checksum: ${A40}\n* filename: x.iso"\n* sha1sum: ${A40.toUpperCase()}`;
    expect(parseMalboxesDoc(text, 'docs/windows-licenses.adoc').map((s) => [s.name, s.sha1])).toEqual([
      ['en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso', A40],
      ['x.iso', A40],
    ]);
  });

  it('packer: an iso_url with its iso_checksum, "sha1:" labels checked against the digit count', () => {
    const text = `--var iso_url=~/packer_cache/msdn/en_windows_server_2016_x64_dvd_9718492.iso \\\n  --var iso_checksum=sha1:${A40.toUpperCase()} \\\n--var iso_url=~/x/en_windows_server_2016_x64_dvd_9327751.iso --var iso_checksum=sha1:${A32}\n"iso_url": "https://download.microsoft.com/a/b.iso",\n"iso_checksum_type": "sha256",\n"iso_checksum": "${A64}"`;
    const s = parsePacker(text, 'build.sh');
    expect(s.map((x) => [x.name, x.sha1 ?? x.sha256 ?? null])).toEqual([
      ['en_windows_server_2016_x64_dvd_9718492.iso', A40],
      ['b.iso', A64],
    ]);
  });

  it('S2E images.json and a Markdown table of SHA-1', () => {
    expect(parseS2e(`"iso": {\n "name": "en_windows_7_enterprise_with_sp1_x64_dvd_u_677651.iso",\n "sha1": "${A40}"\n}`, 'images.json')[0]!.sha1).toBe(A40);
    const md = `| Windows version | Service Pack | Filename | SHA1 |\n| --- | --- | --- | --- |\n| Windows 7 Professional x64 English | SP1 | x17-59186.iso | ${A40} |`;
    expect(parseMarkdownShaTable(md, 'README.md')).toEqual([
      expect.objectContaining({ name: 'x17-59186.iso', sha1: A40, label: 'Windows 7 Professional x64 English SP1' }),
    ]);
  });

  it('a hash whose label contradicts its length is refused', () => {
    expect(readHash(A32, 'sha1')).toBeNull();
    expect(readHash(`sha256:${A64.toUpperCase()}`)).toEqual({ algo: 'sha256', hex: A64 });
    expect(readHash('xyz')).toBeNull();
  });
});

describe('official names', () => {
  it.each([
    [
      'en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso',
      { product: 'Windows 7', edition: 'Professional', release: 'SP1', arch: 'x64', channel: 'msdn', unique: true },
    ],
    [
      'en-us_windows_11_consumer_editions_version_23h2_updated_april_2024_x64_dvd_d986680b.iso',
      { product: 'Windows 11', release: '23H2, updated April 2024', language: 'en-us' },
    ],
    [
      '7601.24214.180801-1700.win7sp1_ldr_escrow_CLIENT_ULTIMATE_x64FRE_en-us.iso',
      { product: 'Windows 7', edition: 'Ultimate', build: '7601.24214', channel: 'download' },
    ],
    [
      '9600.17050.WINBLUE_REFRESH.140317-1640_X64FRE_SERVER_EVAL_EN-US-IR3_SSS_X64FREE_EN-US_DV9.ISO',
      { product: 'Windows Server 2012 R2', channel: 'evaluation', build: '9600.17050' },
    ],
    ['X17-59186.iso', { channel: 'retail', unique: true }],
    ['Win10_22H2_English_x64v1.iso', { product: 'Windows 10', release: '22H2', unique: false }],
    ['SW_DVD9_Win_Server_STD_CORE_2019_1809.18_64Bit_English_DC_STD_MLF_X22-74330.ISO', { product: 'Windows Server 2019', channel: 'vlsc' }],
  ])('%s', (name, want) => expect(parseReleaseName(name)).toMatchObject(want));

  it.each(['en_windows_7_with_sp1_x64.iso', 'tiny11_25H2_Nov25.iso', 'Windows 11 24H2 x64.iso', 'uupdump_19041.1_PROFESSIONAL_X64_EN-US.iso'])(
    'not official: %s',
    (name) => expect(parseReleaseName(name)).toBeNull(),
  );
});

describe('merge', () => {
  const st = (over: Partial<SourcedStatement>): SourcedStatement => ({ name: null, where: 'w', source: 's', lineage: 's', ...over });

  it('joins a retail part number and an MSDN name by their shared SHA-1, and confirms it across lineages', () => {
    const { releases } = merge([
      st({ name: 'en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso', sha1: A40, md5: A32, source: 'a', lineage: 'a' }),
      st({ name: 'X17-59186.iso', sha1: A40, source: 'b', lineage: 'b', label: 'Windows 7 Professional x64 English SP1', labelMeans: 'windows-table' }),
    ]);
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({
      names: ['en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso', 'X17-59186.iso'],
      sha1: A40,
      md5: A32,
      confirmed: ['sha1'],
      product: 'Windows 7',
    });
  });

  it('joins by a unique name, and drops the row when its sources disagree', () => {
    const { releases, log } = merge([
      st({ name: 'en_windows_8_x64_dvd_915440.iso', md5: A32, source: 'a', lineage: 'a' }),
      st({ name: 'en_windows_8_x64_dvd_915440.iso', md5: 'e'.repeat(32), source: 'b', lineage: 'b' }),
    ]);
    expect(releases).toEqual([]);
    expect(log.conflicts[0]).toMatchObject({ field: 'md5', names: ['en_windows_8_x64_dvd_915440.iso'] });
  });

  it('does not join by a generic name: Microsoft replaced files behind it', () => {
    const { releases } = merge([
      st({ name: 'Win10_22H2_English_x64.iso', sha256: A64, source: 'a' }),
      st({ name: 'Win10_22H2_English_x64.iso', sha256: B64, source: 'b' }),
    ]);
    expect(releases).toHaveLength(2);
  });

  it('leaves out what is not an official name, and counts one lineage once', () => {
    const { releases, log } = merge([
      st({ name: 'tiny11.iso', sha256: A64 }),
      st({ name: 'en_windows_7_enterprise_with_sp1_x64_dvd_u_677651.iso', sha1: A40, source: 'a', lineage: 'mido' }),
      st({ name: 'en_windows_7_enterprise_with_sp1_x64_dvd_u_677651.iso', sha1: A40, source: 'b', lineage: 'mido' }),
    ]);
    expect(log.notOfficial.map((n) => n.name)).toEqual(['tiny11.iso']);
    expect(releases[0]!.confirmed).toEqual([]);
  });
});

describe('the shipped catalogue', () => {
  it('has sources pinned at commits, and every row rests on statements of known sources', () => {
    expect(CATALOGUE.sources.length).toBeGreaterThanOrEqual(6);
    for (const s of CATALOGUE.sources) {
      expect(s.commit, s.id).toMatch(/^[0-9a-f]{40}$/);
      expect(s.url, s.id).toContain(`https://github.com/${s.repo}/blob/${s.commit}/`);
    }
    const ids = new Set(CATALOGUE.sources.map((s) => s.id));
    expect(CATALOGUE.releases.length).toBeGreaterThan(100);
    for (const r of CATALOGUE.releases) {
      expect(r.statements.length, r.id).toBeGreaterThan(0);
      for (const s of r.statements) expect(ids.has(s.source), `${r.id}: ${s.source}`).toBe(true);
      expect(r.md5 ?? r.sha1 ?? r.sha256, r.id).not.toBeNull();
      for (const n of r.names) expect(parseReleaseName(n), n).not.toBeNull();
      // Every stated field is one some statement states.
      for (const f of ['size', 'md5', 'sha1', 'sha256'] as const)
        if (r[f] !== null)
          expect(
            r.statements.some((s) => s.fields.includes(f)),
            `${r.id} ${f}`,
          ).toBe(true);
    }
  });

  it('no hash names two rows', () => {
    for (const h of ['md5', 'sha1', 'sha256'] as const) {
      const values = CATALOGUE.releases.map((r) => r[h]).filter(Boolean);
      expect(new Set(values).size, h).toBe(values.length);
    }
  });

  it('lookup reads hashes by length and sizes with separators', () => {
    expect(lookup('123').kind).toBe('size');
    expect(lookup(A40).kind).toBe('hash');
    expect(lookup('g'.repeat(40)).kind).toBe('invalid');
  });
});
