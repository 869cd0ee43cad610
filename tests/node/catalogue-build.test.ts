/**
 * The catalogue's build: each parser against text in its source's own format
 * (made-up values in that format, and literal slices of each source, named
 * by repository, path and commit), the merge and history rules, the
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
  parseSha256SumsWithScript,
  readHash,
  type RawStatement,
} from '../../workers/catalogue/build/parse.ts';
import { LEFT_OUT, parseItellyouCsv, parseItellyouJson, readCsv } from '../../workers/catalogue/build/msdn-listing.ts';
import { merge, type SourcedStatement } from '../../workers/catalogue/build/merge.ts';
import { localGitDir, readHistory } from '../../workers/catalogue/build/main.ts';
import { SOURCES } from '../../workers/catalogue/build/sources.ts';
import { parseReleaseName } from '../../workers/catalogue/release-name.ts';
import { parseEd2kLink } from '../../workers/hash/ed2k-link.ts';
import { CATALOGUE, lookup, releasesOfSize } from '../../workers/catalogue/catalogue.ts';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

describe('literal slices of each source, as published', () => {
  it('hanxi/backup.msdn.itellyou.cn msdn.csv @ f28465bbcbd0 (lines 1, 274, 313, 456, 490, 983, 986, 990, 1279): installation images kept, the rest counted by reason', () => {
    const csv = [
      '"大分类","小分类","语言","名字","更新时间","下载地址","SHA1","大小"',
      '"操作系统","Windows 7","中文 - 简体","Windows 7 Professional with Service Pack 1 (x64) - DVD (Chinese-Simplified)","2011-05-12","ed2k://|file|cn_windows_7_professional_with_sp1_x64_dvd_u_677031.iso|3420557312|430BEDC0F22FA18001F717F7AF08C9D5|/","9B57E67888434C24DD683968A3CE2C72755AB148","3.19GB"',
      '"操作系统","Windows 7","英语","Windows 7 Professional with Service Pack 1 (x64) - DVD (English)","2011-05-12","ed2k://|file|en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso|3320903680|B9DDE5CD750C844296DE44C688751290|/","0BCFC54019EA175B1EE51F6D2B207A3D14DD2B58","3.09GB"',
      '"操作系统","Windows 7","多国(语言包)","Windows 7 Service Pack 1 Language Pack (x64) - DVD (Multilanguage)","2011-02-16","ed2k://|file|mu_windows_7_sp1_language_pack_x64_dvd_619714.iso|2745993216|D5643546A3D61444CCC4D05BC24E4F11|/","7CD1FE568D968D89792DC9FF20E9AF2B318995C2","2.56GB"',
      '"操作系统","Windows 8 Consumer Preview","中文 - 简体","Windows 8 Consumer Preview with Apps (x64) - DVD (Chinese-Simplified)","2012-02-29","ed2k://|file|cn_windows_8_consumer_preview_with_apps_x64_dvd_811820.iso|3653105664|5E5D173649FA6674FECF0C84CFB7E2B3|/","未知","未知"',
      '"操作系统","Windows XP","英语","Windows XP Professional with Service Pack 2 (English)","2004-08-11","ed2k://|file|en_winxp_pro_with_sp2.iso|615112704|B09E3519717F3968EAF16285569EA965|/","7CD7058DBBFAB108316B20FE4CEF989ABEBF211F","586.62MB"',
      '"操作系统","Windows XP","英语","Windows XP Professional with Service Pack 3 (x86) - CD (English)","2008-05-01","ed2k://|file|en_windows_xp_professional_with_service_pack_3_x86_cd_x14-80428.iso|617756672|2A30BB63730F7887E1AC54363A8489C2|/","1C735B38931BF57FB14EBD9A9BA253CEB443D459","589.14MB"',
      '"操作系统","Windows XP","英语","Windows XP Service Pack 3 (x86) - CD (English)","2008-06-30","ed2k://|file|en_windows_xp_service_pack_3_x86_cd_x14-60489.iso|571322368|A3180A13529B092A383C9D8C5DBD1653|/","8FA76CCEA145D050FC6A506FFBDEDFE53282E5B4","544.86MB"',
      '"应用程序","Office 2016","中文 - 简体","Office Professional Plus 2016 (x86 and x64) - DVD (Chinese-Simplified)","2015-09-22","ed2k://|file|cn_office_professional_plus_2016_x86_x64_dvd_6969182.iso|2588266496|27EEA4FE4BB13CD0ECCDFC24167F9E01|/","277926A41B472EE38CA0B36ED8F2696356DCC98F","2.41GB"',
    ].join('\n');
    const { statements, leftOut } = parseItellyouCsv(csv, 'msdn.csv');
    expect(statements.map((x) => x.name)).toEqual([
      'cn_windows_7_professional_with_sp1_x64_dvd_u_677031.iso',
      'en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso',
      'en_winxp_pro_with_sp2.iso',
      'en_windows_xp_professional_with_service_pack_3_x86_cd_x14-80428.iso',
    ]);
    expect(statements[1]).toEqual({
      name: 'en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso',
      size: 3320903680,
      sha1: '0bcfc54019ea175b1ee51f6d2b207a3d14dd2b58',
      ed2k: 'b9dde5cd750c844296de44c688751290',
      where: 'msdn.csv:3',
    });
    expect(leftOut).toEqual({ [LEFT_OUT.notInstall]: 2, [LEFT_OUT.prerelease]: 1, [LEFT_OUT.category]: 1 });
  });

  it('1bit-cc/msdnitellyou txt/*.txt @ 0b8a8168dfac: one JSON answer per file; Office is left out', () => {
    const server = parseItellyouJson(
      '{"status":true,"result":{"FileName":"cn_windows_server_2019_x64_dvd_4de40f33.iso","DownLoad":"ed2k://|file|cn_windows_server_2019_x64_dvd_4de40f33.iso|5086887936|7DCDDD6B0C60A0D019B6A93D8F2B6D31|/","PostDateString":"2018-11-16","SHA1":"cfa339cdbb4a1a4162bed38218b88ee376867b4f","size":"4.74GB"}}',
      'txt/cn_windows_server_2019_x64_dvd_4de40f33..txt',
    );
    expect(server.statements).toEqual([
      expect.objectContaining({
        name: 'cn_windows_server_2019_x64_dvd_4de40f33.iso',
        size: 5086887936,
        sha1: 'cfa339cdbb4a1a4162bed38218b88ee376867b4f',
        ed2k: '7dcddd6b0c60a0d019b6a93d8f2b6d31',
      }),
    ]);
    const office = parseItellyouJson(
      '{"status":true,"result":{"FileName":"cn_office_professional_plus_2019_x86_x64_dvd_5e5be643.iso","DownLoad":"ed2k://|file|cn_office_professional_plus_2019_x86_x64_dvd_5e5be643.iso|3775004672|1E4FFA5240F21F60DC027F73F1C62FF4|/","PostDateString":"2018-10-03","SHA1":"d850365b23e1e1294112a51105a2892b2bd88eb9","size":"3.52GB"}}',
      'txt/x.txt',
    );
    expect(office).toEqual({ statements: [], leftOut: { [LEFT_OUT.notWindows]: 1 } });
  });

  it('ElliotKillick/qvm-create-windows-qube @ 96f8831fa8e9: SHA256SUMS beside download-windows.sh, which saved x17-59186.iso as Win7_Pro_SP1_English_x64.iso', () => {
    const sums =
      'dec04cbd352b453e437b2fe9614b67f28f7c0b550d8351827bc1e9ef3f601389 *7601.24214.180801-1700.win7sp1_ldr_escrow_CLIENT_ULTIMATE_x64FRE_en-us.iso\n3dae1a531b90fa72e59b4a86b20216188d398c8c070da4a5c5a44fe08b1b6e55 *Win7_Pro_SP1_English_x64.iso\n';
    const script = `echo "Download Windows ISO..." >&2
cd "media-creation/isos" || exit 1
scurl --pinnedpubkey "$archive_org_keys" --location https://archive.org/download/digital_river/x17-59186.iso -o Win7_Pro_SP1_English_x64.iso
#scurl --pinnedpubkey "$download_microsoft_com_key" https://download.microsoft.com/download/5/1/9/5195A765-3A41-4A72-87D8-200D897CBE21/7601.24214.180801-1700.win7sp1_ldr_escrow_CLIENT_ULTIMATE_x64FRE_en-us.iso -O # This ISO doesn't work yet (See: todo)`;
    expect(parseSha256SumsWithScript(sums, 'media-creation/isos/SHA256SUMS', [script])).toEqual([
      expect.objectContaining({
        name: '7601.24214.180801-1700.win7sp1_ldr_escrow_CLIENT_ULTIMATE_x64FRE_en-us.iso',
        sha256: 'dec04cbd352b453e437b2fe9614b67f28f7c0b550d8351827bc1e9ef3f601389',
      }),
      expect.objectContaining({
        name: 'x17-59186.iso',
        label: 'Win7_Pro_SP1_English_x64',
        sha256: '3dae1a531b90fa72e59b4a86b20216188d398c8c070da4a5c5a44fe08b1b6e55',
        url: 'https://archive.org/download/digital_river/x17-59186.iso',
      }),
    ]);
  });

  it('ElliotKillick/qvm-create-windows-qube @ 1e8c4b2: a comment names the file of the hash below it; scurl_file saves a URL under a media name; commented-out downloads are not read', () => {
    const sums =
      'dec04cbd352b453e437b2fe9614b67f28f7c0b550d8351827bc1e9ef3f601389  win7x64-ultimate.iso\nd8333cf427eb3318ff6ab755eb1dd9d433f0e2ae43745312c1cd23e83ca1ce51  win81x64.iso\n# Win10_21H1_English_x64.iso\n6911e839448fa999b07c321fc70e7408fe122214f5c4e80a9ccc64d22d0d85ea  win10x64.iso\n';
    const script = `    scurl_file "win7x64-ultimate.iso" "1.2" "https://download.microsoft.com/download/5/1/9/5195A765-3A41-4A72-87D8-200D897CBE21/7601.24214.180801-1700.win7sp1_ldr_escrow_CLIENT_ULTIMATE_x64FRE_en-us.iso"
    # Returns 403 forbidden: curl "https://software-download.microsoft.com/sg/Win10_1909_English_x64.iso" -o "win10x64.iso"`;
    expect(parseSha256SumsWithScript(sums, 'SHA256SUMS', [script]).map((x) => [x.name, x.label])).toEqual([
      ['7601.24214.180801-1700.win7sp1_ldr_escrow_CLIENT_ULTIMATE_x64FRE_en-us.iso', 'win7x64-ultimate'],
      ['win81x64.iso', 'win81x64'],
      ['Win10_21H1_English_x64.iso', 'win10x64'],
    ]);
  });

  it('joefitzgerald/packer-windows windows_2008_r2.json @ c87ab553b2d2: iso_checksum_type on a line of its own; README.md: -var pairs', () => {
    const json = `  "variables": {
    "iso_url": "http://download.microsoft.com/download/7/5/E/75EC4E54-5B02-42D6-8879-D8D3A25FBEF7/7601.17514.101119-1850_x64fre_server_eval_en-us-GRMSXEVAL_EN_DVD.iso",
    "iso_checksum_type": "md5",
    "iso_checksum": "4263be2cf3c59177c45085c0a7bc6ca5",`;
    expect(parsePacker(json, 'windows_2008_r2.json')).toEqual([
      expect.objectContaining({ name: '7601.17514.101119-1850_x64fre_server_eval_en-us-GRMSXEVAL_EN_DVD.iso', md5: '4263be2cf3c59177c45085c0a7bc6ca5' }),
    ]);
    const readme = `    packer build \\
        -var iso_url=./iso/en_windows_server_2008_r2_with_sp1_x64_dvd_617601.iso \\
        -var iso_checksum=8dcde01d0da526100869e2457aafb7ca windows_2008_r2.json`;
    expect(parsePacker(readme, 'README.md')[0]).toMatchObject({
      name: 'en_windows_server_2008_r2_with_sp1_x64_dvd_617601.iso',
      md5: '8dcde01d0da526100869e2457aafb7ca',
    });
  });

  it('avocado-framework/avocado-vt Win2012/x86_64.cfg @ ba632749d623 (an older commit): the 2012 name with the 2008 R2 SP1 hashes', () => {
    const cfg = `    unattended_install.cdrom, svirt_install, with_installation, check_block_size..extra_cdrom_ks:
        cdrom_cd1 = isos/windows/en_windows_server_2012_x64_dvd_915478.iso
        md5sum_cd1 = 8dcde01d0da526100869e2457aafb7ca
        md5sum_1m_cd1 = c6a4b1097449bb1f050492a6b57e7d21
        sha1sum_cd1 = d3fd7bf85ee1d5bdd72de5b2c69a7b470733cd0a
        sha1sum_1m_cd1 = 9194a3aabae25b36e5f73cad001314b2c8d07d14`;
    expect(parseAvocado(cfg, 'Win2012/x86_64.cfg')).toEqual([
      expect.objectContaining({
        name: 'en_windows_server_2012_x64_dvd_915478.iso',
        md5: '8dcde01d0da526100869e2457aafb7ca',
        sha1: 'd3fd7bf85ee1d5bdd72de5b2c69a7b470733cd0a',
      }),
    ]);
  });

  it('dockur/windows src/define.sh @ f7a086a8d4f9 and @ c5417e8fca7e: the IoT LTSC evaluation entry, its URL changed, its size and hash kept', () => {
    const entry = (url: string) => `getMido() {
  case "\${id,,}" in
    "win11x64-enterprise-iot-eval" | "win11x64-enterprise-ltsc-eval" )
      size=5060020224
      sum="2cee70bd183df42b92a2e0da08cc2bb7a2a9ce3a3841955a012c0f77aeb3cb29"
      url="${url}"
      ;;
  esac
}`;
    const before = parseDockurDefine(
      entry(
        'https://software-static.download.prss.microsoft.com/dbazure/888969d5-f34g-4e03-ac9d-1f9786c66749/26100.1.240331-1435.ge_release_CLIENT_IOT_LTSC_EVAL_x64FRE_en-us.iso',
      ),
      'f7a086a8d4f9',
    );
    const after = parseDockurDefine(
      entry(
        'https://software-static.download.prss.microsoft.com/dbazure/998969d5-f34g-4e03-ac9d-1f9786c66749/26100.1742.240906-0331.ge_release_svc_refresh_CLIENT_IOT_LTSC_EVAL_x64FRE_en-us.iso',
      ),
      'c5417e8fca7e',
    );
    expect(before[0]).toMatchObject({
      name: '26100.1.240331-1435.ge_release_CLIENT_IOT_LTSC_EVAL_x64FRE_en-us.iso',
      size: 5060020224,
      label: 'win11x64-enterprise-iot-eval',
    });
    expect(after[0]).toMatchObject({ name: '26100.1742.240906-0331.ge_release_svc_refresh_CLIENT_IOT_LTSC_EVAL_x64FRE_en-us.iso', sha256: before[0]!.sha256 });
  });

  it('ElliotKillick/Mido Mido.sh @ 25d9fbdf2084, rapid7 iso_list.json @ 09608ace7d76, malboxes windows-licenses.adoc @ f9f310ec8f85, S2E images.json @ 55decfc4a199, slipstream README.md @ bf454b4a334f, StefanScherer build_windows_2016_docker.sh @ 46f93050923f', () => {
    expect(
      parseMido(
        '    readonly sha256sums="\\\ndec04cbd352b453e437b2fe9614b67f28f7c0b550d8351827bc1e9ef3f601389  win7x64-ultimate.iso\nd8333cf427eb3318ff6ab755eb1dd9d433f0e2ae43745312c1cd23e83ca1ce51  win81x64.iso\n"',
      ),
    ).toHaveLength(2);
    expect(
      parseRapid7(
        '{\n    "en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso": \n    {\n        "md5": "ed15956fe33c13642a6d2cb2c7aa9749",\n        "install_index": "3"\n    }\n}',
        'iso_list.json',
      )[0],
    ).toMatchObject({ md5: 'ed15956fe33c13642a6d2cb2c7aa9749' });
    expect(
      parseMalboxesDoc(
        '=== Windows 7 64-bit\n\n* filename: en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso\n* sha1 checksum: 0bcfc54019ea175b1ee51f6d2b207a3d14dd2b58\n',
        'docs/windows-licenses.adoc',
      )[0],
    ).toMatchObject({ sha1: '0bcfc54019ea175b1ee51f6d2b207a3d14dd2b58' });
    expect(
      parseS2e(
        '      "iso": {\n         "name": "en_windows_7_enterprise_with_sp1_x64_dvd_u_677651.iso",\n         "sha1": "a491f985dccfb5863f31b728dddbedb2ff4df8d1"\n      },',
        'images.json',
      )[0],
    ).toMatchObject({ name: 'en_windows_7_enterprise_with_sp1_x64_dvd_u_677651.iso' });
    expect(
      parseMarkdownShaTable(
        '| Windows version | Service Pack | Filename | SHA1 |\n| --- | --- | --- | --- |\n| Windows 7 Professional x64 English | SP1 | x17-59186.iso | 0bcfc54019ea175b1ee51f6d2b207a3d14dd2b58 |',
        'README.md',
      )[0],
    ).toMatchObject({ name: 'x17-59186.iso', sha1: '0bcfc54019ea175b1ee51f6d2b207a3d14dd2b58' });
    expect(
      parsePacker(
        '  --var iso_url=~/packer_cache/msdn/en_windows_server_2016_x64_dvd_9718492.iso \\\n  --var iso_checksum=F185197AF68FAE4F0E06510A4579FC511BA27616 \\\n  --var iso_checksum_type=sha1 \\',
        'build_windows_2016_docker.sh',
      )[0],
    ).toMatchObject({ sha1: 'f185197af68fae4f0e06510a4579fc511ba27616' });
  });

  it('CSV fields quoted with "" and commas and line breaks inside', () => {
    expect(readCsv('a,"b ""c"", d"\n"e\nf",g\n').map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b "c", d']],
      [2, ['e\nf', 'g']],
    ]);
  });

  it('ed2k links, with or without AICH parts, and what is not one', () => {
    expect(parseEd2kLink('ed2k://|file|en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso|3320903680|B9DDE5CD750C844296DE44C688751290|/')).toEqual({
      name: 'en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso',
      size: 3320903680,
      hash: 'b9dde5cd750c844296de44c688751290',
    });
    expect(parseEd2kLink(`ed2k://|file|a%20b.iso|10|${A32}|h=ABCDEF|/`)).toMatchObject({ name: 'a b.iso', size: 10 });
    expect(parseEd2kLink(`ed2k://|file|a.iso|10|${A32.slice(1)}|/`)).toBeNull();
    expect(parseEd2kLink('https://example.com/a.iso')).toBeNull();
  });
});

describe('history: what a source changed over its commits', () => {
  const dated = (commitIndex: number, over: Partial<RawStatement>) => ({ name: null, where: `@${commitIndex}`, commitIndex, ...over });

  it('a new name for a hash and size stated before is carried, then and later; a new hash with it is evidence', () => {
    const { kept, superseded } = readHistory([
      dated(0, { label: 'iot', size: 5, sha256: A64 }),
      dated(1, { label: 'iot', size: 5, sha256: A64, name: '26100.1.240331-1435.ge_release_CLIENT_IOT_LTSC_EVAL_x64FRE_en-us.iso' }),
      dated(2, { label: 'iot', size: 5, sha256: A64, name: '26100.1742.240906-0331.ge_release_svc_refresh_CLIENT_IOT_LTSC_EVAL_x64FRE_en-us.iso' }),
      dated(3, { label: 'iot', size: 5, sha256: A64, name: '26100.1742.240906-0331.ge_release_svc_refresh_CLIENT_IOT_LTSC_EVAL_x64FRE_en-us.iso' }),
      dated(3, { label: 'ltsc', size: 6, sha256: B64, name: '26100.1742.240906-0331.ge_release_svc_refresh_CLIENT_LTSC_EVAL_x64FRE_en-us.iso' }),
    ]);
    expect(superseded).toEqual([]);
    expect(kept.map((s) => !!s.nameCarried)).toEqual([false, true, true, true, false]);
  });

  it('a unique name its source later gives other bytes was corrected by the source: the earlier statement is not read', () => {
    const name = '19043.928.210409-1212.21h1_release_svc_refresh_CLIENTENTERPRISEEVAL_OEMRET_x64FRE_en-us.iso';
    const { kept, superseded } = readHistory([dated(0, { label: 'x', name, sha256: A64 }), dated(1, { label: 'x', name, sha256: B64 })]);
    expect(superseded.map((s) => s.sha256)).toEqual([A64]);
    expect(kept.map((s) => s.sha256)).toEqual([B64]);
  });

  it('a generic name keeps every file Microsoft put behind it', () => {
    const { kept } = readHistory([
      dated(0, { label: 'x', name: 'Win10_22H2_English_x64.iso', sha256: A64 }),
      dated(1, { label: 'x', name: 'Win10_22H2_English_x64.iso', sha256: B64 }),
    ]);
    expect(kept).toHaveLength(2);
  });
});

describe('the sources as the build reads them', () => {
  it('a local copy is DIR/<owner>+<name>/repo, bare or with its .git inside (as the fetch tool leaves some)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    for (const [repo, inner] of [
      ['a+bare', ''],
      ['b+clone', '.git'],
    ] as const) {
      mkdirSync(join(dir, repo, 'repo', inner, 'objects'), { recursive: true });
      writeFileSync(join(dir, repo, 'repo', inner, 'HEAD'), 'ref: refs/heads/main\n');
    }
    expect(localGitDir(dir, 'a/bare')).toBe(join(dir, 'a+bare', 'repo'));
    expect(localGitDir(dir, 'b/clone')).toBe(join(dir, 'b+clone', 'repo', '.git'));
    expect(localGitDir(dir, 'c/missing')).toBeNull();
  });

  it('every source is pinned at a commit, ids unique', () => {
    expect(new Set(SOURCES.map((s) => s.id)).size).toBe(SOURCES.length);
    for (const s of SOURCES) expect(s.commit, s.id).toMatch(/^[0-9a-f]{40}$/);
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
    // MSDN's language prefixes as locale tags where they differ.
    ['cn_windows_7_professional_with_sp1_x64_dvd_u_677031.iso', { language: 'zh-cn', edition: 'Professional' }],
    ['hk_windows_7_ultimate_with_sp1_x64_dvd_u_677411.iso', { language: 'zh-hk' }],
    ['tw_windows_7_professional_with_sp1_x64_dvd_621745.iso', { language: 'zh-tw' }],
    ['en_windows_10_enterprise_2016_ltsb_x64_dvd_9059483.iso', { edition: 'Enterprise 2016 LTSB' }],
    ['en_windows_web_server_2008_x64_dvd_X14-26683.iso', { product: 'Windows Server 2008', edition: 'Web' }],
    ['en_microsoft_hyper-v_server_2012_r2_x64_dvd_2708236.iso', { product: 'Windows Server 2012 R2', edition: 'Hyper-V Server' }],
    // Windows XP and Server 2003, every name pattern of MSDN's listing (msdn.itellyou.cn's copy).
    [
      'en_windows_xp_professional_with_service_pack_3_x86_cd_x14-80428.iso',
      { product: 'Windows XP', edition: 'Professional', release: 'SP3', arch: 'x86', unique: true },
    ],
    ['zh-hans_windows_xp_professional_with_service_pack_3_x86_cd_vl_x14-74070.iso', { language: 'zh-cn', channel: 'vlsc' }],
    ['hk_windows_xp_professional-vl_cd_x86_x12-15646.iso', { product: 'Windows XP', language: 'zh-hk', channel: 'vlsc', arch: 'x86' }],
    ['en_winxp_pro_with_sp2.iso', { product: 'Windows XP', edition: 'Professional', release: 'SP2', channel: 'msdn', unique: true }],
    ['en_win_xp_pro_x64_with_sp2_vl_X13-41611.iso', { arch: 'x64', release: 'SP2', channel: 'vlsc' }],
    ['cht_win_xp_pro_with_sp2_vl.iso', { language: 'zh-tw' }],
    ['EN_WINXP_PRO_VL_ISO.img', { product: 'Windows XP', edition: 'Professional', channel: 'vlsc' }],
    ['en_win_xp_home_ed_n.iso', { edition: 'Home N' }],
    ['ko_windows_xp_professional_k_with_service_pack_3_x86_cd_vl_x14-87427.iso', { edition: 'Professional K' }],
    ['en_winxp_tablet_2005_CD1.iso', { edition: 'Tablet PC Edition', release: '2005, disc 1' }],
    ['en_windows_xp_pro_64bit.iso', { arch: 'ia64' }],
    ['en_ws_2003_ent_sp1_vl.iso', { product: 'Windows Server 2003', edition: 'Enterprise', release: 'SP1', channel: 'vlsc' }],
    ['en_windows_server_2003_with_sp1_web.iso', { product: 'Windows Server 2003', edition: 'Web', release: 'SP1' }],
    ['en_win_srv_2003_r2_standard_with_sp2_vl_cd1X13-46600.iso', { product: 'Windows Server 2003 R2', release: 'SP2, disc 1', channel: 'vlsc' }],
    ['zh_win_srv_2003_r2_enterprise_x64_with_sp2_cd2_x13-28745.iso', { language: 'zh-tw', arch: 'x64', release: 'SP2, disc 2' }],
  ])('%s', (name, want) => expect(parseReleaseName(name)).toMatchObject(want));

  it.each([
    'en_windows_7_with_sp1_x64.iso',
    'tiny11_25H2_Nov25.iso',
    'Windows 11 24H2 x64.iso',
    'uupdump_19041.1_PROFESSIONAL_X64_EN-US.iso',
    'en_winxp_pro_x86_build2600_iso',
    'MUI_Windows_server_2003_cd1.iso',
    'en_winxp_mce_2005_sdk.msi',
    'en_winxp_mce_sp1a_chk.iso',
  ])('not official: %s', (name) => expect(parseReleaseName(name)).toBeNull());
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

  it('joins by an ed2k hash and keeps it; a row of an ed2k hash alone has it as its id', () => {
    const { releases } = merge([
      st({ name: 'en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso', size: 3320903680, sha1: A40, ed2k: A32, source: 'a', lineage: 'a' }),
      st({ name: 'X17-59186.iso', ed2k: A32, source: 'b', lineage: 'b' }),
      st({ name: 'en_windows_8_x64_dvd_915440.iso', size: 1, ed2k: 'e'.repeat(32), source: 'a', lineage: 'a' }),
    ]);
    expect(releases.find((r) => r.sha1 === A40)).toMatchObject({ ed2k: A32, confirmed: ['ed2k'] });
    expect(releases.find((r) => r.names[0] === 'en_windows_8_x64_dvd_915440.iso')!.id).toBe('e'.repeat(32));
  });

  it('a statement that alone joins two releases the others keep apart is left out, and said; two statements at odds drop their row', () => {
    const { releases, log } = merge([
      st({ name: 'en_windows_server_2008_r2_with_sp1_x64_dvd_617601.iso', size: 3166584832, md5: A32, source: 'a', lineage: 'a' }),
      st({ name: 'en_windows_server_2012_x64_dvd_915478.iso', size: 3695179776, md5: 'e'.repeat(32), source: 'a', lineage: 'a' }),
      st({ name: 'en_windows_server_2012_x64_dvd_915478.iso', md5: 'e'.repeat(32), source: 'c', lineage: 'c' }),
      st({ name: 'en_windows_server_2012_x64_dvd_915478.iso', md5: A32, source: 'b', lineage: 'b', where: 'old cfg' }),
    ]);
    expect(releases.map((r) => r.names[0]).sort()).toEqual([
      'en_windows_server_2008_r2_with_sp1_x64_dvd_617601.iso',
      'en_windows_server_2012_x64_dvd_915478.iso',
    ]);
    expect(log.bridges).toEqual([expect.objectContaining({ source: 'b', where: 'old cfg' })]);
    expect(log.conflicts).toEqual([]);
    const odds = merge([
      st({ name: 'en_windows_server_2012_x64_dvd_915478.iso', md5: A32, source: 'a', lineage: 'a' }),
      st({ name: 'en_windows_server_2012_x64_dvd_915478.iso', md5: 'e'.repeat(32), source: 'b', lineage: 'b' }),
    ]);
    expect(odds.releases).toEqual([]);
    expect(odds.log.conflicts).toHaveLength(1);
  });

  it('a carried name is kept in its statement but not taken as a name of the row; labels that name different editions are all said', () => {
    const { releases, log } = merge([
      st({ sha256: A64, size: 5, source: 'dockur', lineage: 'mido', where: 'getMido', label: 'win11x64-enterprise-ltsc-eval', labelMeans: 'mido-media' }),
      st({ sha256: A64, size: 5, source: 'dockur', lineage: 'mido', where: 'getMido', label: 'win11x64-enterprise-iot-eval', labelMeans: 'mido-media' }),
      st({
        name: '26100.1742.240906-0331.ge_release_svc_refresh_CLIENT_IOT_LTSC_EVAL_x64FRE_en-us.iso',
        sha256: A64,
        size: 5,
        source: 'dockur',
        lineage: 'mido',
        where: 'getMido',
        label: 'win11x64-enterprise-iot-eval',
        labelMeans: 'mido-media',
        nameCarried: true,
        url: 'https://software-static.download.prss.microsoft.com/x.iso',
      }),
    ]);
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({ names: [], build: null, edition: 'Enterprise LTSC Evaluation or IoT Enterprise LTSC Evaluation' });
    expect(releases[0]!.statements.filter((x) => x.nameCarried)).toHaveLength(1);
    expect(log.carried.map((c) => c.name)).toEqual(['26100.1742.240906-0331.ge_release_svc_refresh_CLIENT_IOT_LTSC_EVAL_x64FRE_en-us.iso']);
    expect(log.labelsDisagree).toHaveLength(1);
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
    expect(CATALOGUE.sources.length).toBeGreaterThanOrEqual(12);
    for (const s of CATALOGUE.sources) {
      expect(s.commit, s.id).toMatch(/^[0-9a-f]{40}$/);
      expect(s.url, s.id).toContain(`https://github.com/${s.repo}/blob/${s.commit}/`);
    }
    const ids = new Set(CATALOGUE.sources.map((s) => s.id));
    expect(CATALOGUE.releases.length).toBeGreaterThan(600);
    for (const r of CATALOGUE.releases) {
      expect(r.statements.length, r.id).toBeGreaterThan(0);
      for (const s of r.statements) expect(ids.has(s.source), `${r.id}: ${s.source}`).toBe(true);
      expect(r.md5 ?? r.sha1 ?? r.sha256 ?? r.ed2k, r.id).toBeTruthy();
      for (const n of r.names) expect(parseReleaseName(n), n).not.toBeNull();
      // Every stated field is one some statement states.
      for (const f of ['size', 'md5', 'sha1', 'sha256', 'ed2k'] as const)
        if (r[f] != null)
          expect(
            r.statements.some((s) => s.fields.includes(f)),
            `${r.id} ${f}`,
          ).toBe(true);
      // A name of a row is stated by a statement whose name is not carried.
      for (const n of r.names)
        expect(
          r.statements.some((s) => s.name === n && !s.nameCarried),
          `${r.id} ${n}`,
        ).toBe(true);
    }
  });

  it('no hash names two rows', () => {
    for (const h of ['md5', 'sha1', 'sha256', 'ed2k'] as const) {
      const values = CATALOGUE.releases.map((r) => r[h]).filter(Boolean);
      expect(new Set(values).size, h).toBe(values.length);
    }
  });

  it("Windows 7: at least 150 releases with exact sizes, every English and Chinese SP1 Professional of MSDN's listing among them", () => {
    const win7 = CATALOGUE.releases.filter((r) => r.product === 'Windows 7' && r.size !== null);
    expect(win7.length).toBeGreaterThanOrEqual(150);
    const names = new Set(win7.flatMap((r) => r.names));
    for (const n of [
      'en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso',
      'en_windows_7_professional_with_sp1_x86_dvd_u_677056.iso',
      'en_windows_7_professional_with_sp1_x64_dvd_621750.iso',
      'en_windows_7_professional_with_sp1_x86_dvd_631025.iso',
      'cn_windows_7_professional_with_sp1_x64_dvd_u_677031.iso',
      'cn_windows_7_professional_with_sp1_x86_dvd_u_677162.iso',
      'tw_windows_7_professional_with_sp1_x64_dvd_621745.iso',
      'tw_windows_7_professional_with_sp1_x86_dvd_622573.iso',
      'hk_windows_7_professional_with_sp1_x64_dvd_621743.iso',
      'hk_windows_7_professional_with_sp1_x86_dvd_622563.iso',
    ])
      expect(names.has(n), n).toBe(true);
  });

  it('676939 by its size (beside 677332, which shares it) and by a SHA-256 the sources give; 677031 by its SHA-1', () => {
    const bySize = lookup('3320903680');
    expect(bySize).toMatchObject({ kind: 'size', match: 'size' });
    const names = bySize.releases.flatMap((r) => r.names);
    expect(names).toContain('en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso');
    expect(names).toContain('en_windows_7_ultimate_with_sp1_x64_dvd_u_677332.iso');
    expect(bySize.message).toMatch(/hash it to confirm/);
    const pro = CATALOGUE.releases.find((r) => r.names.includes('en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso'))!;
    expect(pro.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(lookup(pro.sha256!)).toMatchObject({ kind: 'hash', algorithm: 'sha256', match: 'hash' });
    expect(lookup(pro.sha256!).releases[0]!.names).toContain('en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso');
    const cn = lookup('9B57E67888434C24DD683968A3CE2C72755AB148');
    expect(cn).toMatchObject({ algorithm: 'sha1', match: 'hash' });
    expect(cn.releases[0]!.names).toEqual(['cn_windows_7_professional_with_sp1_x64_dvd_u_677031.iso']);
    expect(cn.message).toContain('hanxi/backup.msdn.itellyou.cn');
  });

  it('the Windows 11 IoT Enterprise LTSC evaluation rows name no build: 2cee70bd… was renamed without being hashed again, 8abf91c9… was never named', () => {
    for (const prefix of ['2cee70bd', '8abf91c9']) {
      const r = CATALOGUE.releases.find((x) => x.id.startsWith(prefix))!;
      expect(r.names, prefix).toEqual([]);
      expect(r.build, prefix).toBeNull();
      expect(r.edition, prefix).toMatch(/IoT Enterprise LTSC Evaluation/);
    }
    const builds = (r: (typeof CATALOGUE.releases)[number]) => new Set(r.names.map((n) => parseReleaseName(n)?.build).filter(Boolean));
    for (const r of CATALOGUE.releases) expect(builds(r).size, r.id).toBeLessThanOrEqual(1);
  });

  it('lookup: hashes by length (32 digits as MD5 or ed2k), ed2k links, sizes with separators', () => {
    expect(lookup('123').kind).toBe('size');
    expect(lookup(A40).kind).toBe('hash');
    expect(lookup('g'.repeat(40)).kind).toBe('invalid');
    expect(lookup('3,320,903,680').releases).toEqual(releasesOfSize(3320903680));
    const link = 'ed2k://|file|cn_windows_7_professional_with_sp1_x64_dvd_u_677031.iso|3420557312|430BEDC0F22FA18001F717F7AF08C9D5|/';
    expect(lookup(link)).toMatchObject({ kind: 'ed2k-link', match: 'hash' });
    expect(lookup('430BEDC0F22FA18001F717F7AF08C9D5')).toMatchObject({ algorithm: 'ed2k', match: 'hash' });
    // Another file of that size: the three releases of that size have other ed2k hashes.
    const other = lookup(link.replace('430BEDC0', '430BEDC1'));
    expect(other).toMatchObject({ kind: 'ed2k-link', match: 'none' });
    expect(other.message).toMatch(/another ed2k hash/);
  });
});
