/**
 * The CLI: wires the readers to the terminal. Exit 0 when the image was
 * recognised (warnings allowed), 1 when not or when a fatal error stopped it,
 * 2 for usage errors. --json output is always valid JSON, also on failure.
 */
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { CueSheet } from '../formats/disk/cue.ts';
import { openDisc, type Disc } from '../core/disc.ts';
import { nestedTreeId, type TreeId } from '../formats/tree.ts';
import { parseAlgorithms, type HashAlgorithm } from '../hash/hashers.ts';
import { algorithmOf, explainUnreadable, parseChecksums, sizeNote } from '../hash/checksums.ts';
import type { Report } from '../report/types.ts';
import { VERSION } from '../version.ts';
import { formatSummary } from './summary.ts';
import { lookup } from '../catalogue/catalogue.ts';
import { formatBytes } from '../report/format.ts';
import { failureReport, inspectOne, openErrorText, openSource, type CheckInput, type InspectArgs, type OpenedSource } from './inspect-one.ts';

/**
 * --lookup: every catalogued release with this hash, ed2k link or size, each
 * name, its hashes and the sources that list it. Exit 0 when a hash matched,
 * 3 when only a size did (hash the file to confirm), 1 when nothing did, 2
 * when the query is none of these.
 */
function printLookup(query: string, json: boolean, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const res = lookup(query);
  if (json) out.write(JSON.stringify(res, null, 2) + '\n');
  else if (res.kind === 'invalid') err.write(`isoscope: --lookup ${query}: ${res.message}\n`);
  else {
    out.write(`${query}: ${res.message}\n`);
    for (const r of res.releases) {
      out.write(`\n  ${[r.product, r.edition, r.release, r.arch, r.language, r.channel].filter(Boolean).join(' · ')}\n`);
      for (const n of r.names) out.write(`    name    ${n}\n`);
      if (r.size !== null) out.write(`    size    ${r.size} bytes (${formatBytes(r.size)})\n`);
      for (const h of ['sha256', 'sha1', 'md5', 'ed2k'] as const)
        if (r[h]) out.write(`    ${h.padEnd(7)} ${r[h]}${r.confirmed.includes(h) ? '  (confirmed by two independent sources)' : ''}\n`);
      out.write(`    sources ${[...new Set(r.statements.map((s) => s.source))].join(', ')}\n`);
    }
  }
  return res.kind === 'invalid' ? 2 : res.match === 'hash' ? 0 : res.match === 'size' ? 3 : 1;
}

const USAGE = `usage: isoscope <image|dir|url>... [--json|--csv] [--files] [--wim-files] [--session N] [--hash LIST] [--confirm]
                [--check HASH|FILE [--key KEY [--signature SIG]]] [--verify-wim]
                [--verify-signatures [N]]
       isoscope <image> --extract PATH > file
                [--recursive] [--jobs N] [--timeout S]
       isoscope --lookup <hash, ed2k link or size>

  Inspects disc images (ISO 9660, Joliet, Rock Ridge, El Torito, MBR/GPT,
  UDF, Windows install images; raw BIN, BIN/CUE as <sheet.cue>, Nero NRG;
  FAT, exFAT and NTFS volumes) by reading only the few kilobytes that
  describe them. An http(s) URL is read by range requests: nothing is
  downloaded unless --hash asks for every byte.

  --json          print the report as JSON (docs/report.md); one line per
                  image (NDJSON) when several are given
  --csv           a table, one row per image
  --files         list every file of the best tree on the disc
  --wim-files     list every file of every image inside install.wim (.esd,
                  .swm): path, size, attributes, times, SHA-1
  --extract PATH  write one file's bytes to stdout: a path on the disc
                  (/sources/ei.cfg) or inside an image of the install image
                  (sources/install.wim:2/Windows/System32/drivers/etc/hosts)
  --session N     read session N of a multi-session disc (default: the last)
  --hash LIST     hash the whole file in one pass: sha256,sha1,md5,crc32,sha512,
                  ed2k (eD2k's MD4 of 9,728,000-byte parts, as ed2k links give)
  --confirm       hash with the algorithms the release catalogue holds for this
                  image (e.g. SHA-1 for Windows 7) and say whether it is
                  identical to a catalogued release
  --lookup X      what the release catalogue (releases as public sources list
                  them) knows about a hash, an ed2k link or a size in bytes;
                  exit 0 a hash matched, 3 only the size did (hash it to
                  confirm), 1 nothing did, 2 not a hash, link or size
  --check X       compare with a hash (algorithm known by its length), an ed2k
                  link (ed2k://|file|NAME|SIZE|HASH|/: its size is compared
                  first, and a file of another size is not hashed) or a
                  checksum file (sha256sum / BSD / Get-FileHash / certutil /
                  ed2k links); implies the hash it needs
  --key KEY       check the checksum file's OpenPGP signature with this public
                  key (armored or binary) before using it: a detached
                  --signature SIG (SHA256SUMS.sign, .gpg, .sig), or, without
                  it, the file's own cleartext signature (Fedora's CHECKSUM);
                  only a good signature passes, and only signed lines are used
  --verify-wim    verify install.wim's integrity table in place
  --verify-wim=full
                  decompress every stream of the install image and check
                  each against its SHA-1 (as wimlib-imagex verify), naming
                  the files of any damaged one
  --verify-signatures [N]
                  read every system file of every edition of the install
                  image (or of image N) and check it against its own
                  signature and the edition's catalogs (CatRoot): the counts
                  and the files not signed by Microsoft; exit 1 when a file
                  or catalog claims Microsoft but fails, or an edition could
                  not be checked (a number right after the option is the
                  image's, not a file's)
  --recursive     walk the directories given, and theirs
  --jobs N        images read at once (default: the number of cores)
  --timeout S     give up on a URL whose server is silent this long (30)
  --version       print the version
  --help          this text`;

function parseArgs(argv: string[]): InspectArgs | { lookup: string; json: boolean } | string {
  const flags = new Set<string>();
  const positional: string[] = [];
  let hash: HashAlgorithm[] = [];
  let check: string | null = null;
  let key: string | null = null;
  let signature: string | null = null;
  let lookup: string | null = null;
  let extract: string | null = null;
  let session: number | undefined;
  let jobs = Math.max(1, availableParallelism());
  let timeoutMs = 30_000;
  let verifySignatures: 'all' | number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (['--hash', '--check', '--key', '--signature', '--lookup', '--session', '--jobs', '--timeout', '--extract'].includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) return `${name} needs a value`;
      if (name === '--jobs') {
        if (!/^[1-9]\d{0,2}$/.test(value)) return `--jobs needs a number of images to read at once (1–999), not "${value}"`;
        jobs = Number(value);
      } else if (name === '--timeout') {
        if (!/^\d{1,4}(\.\d+)?$/.test(value) || Number(value) <= 0) return `--timeout needs seconds, not "${value}"`;
        timeoutMs = Number(value) * 1000;
      } else if (name === '--session') {
        if (!/^[1-9]\d?$/.test(value)) return `--session needs a session number (1, 2, …), not "${value}"`;
        session = Number(value);
      } else if (name === '--check') check = value;
      else if (name === '--key') key = value;
      else if (name === '--signature') signature = value;
      else if (name === '--lookup') lookup = value;
      else if (name === '--extract') extract = value;
      else {
        try {
          hash = parseAlgorithms(value);
        } catch (e) {
          return (e as Error).message;
        }
      }
    } else if (name === '--verify-signatures') {
      // An image number may follow: inline (=N) or as the next word when it is a number.
      const value = inline ?? (/^[1-9]\d{0,2}$/.test(argv[i + 1] ?? '') ? argv[++i] : undefined);
      if (value !== undefined && !/^[1-9]\d{0,2}$/.test(value)) return `--verify-signatures takes an image number (1, 2, …), not "${value}"`;
      verifySignatures = value === undefined ? 'all' : Number(value);
    } else if (a.startsWith('-')) flags.add(a);
    else positional.push(a);
  }
  for (const f of flags)
    if (
      ![
        '--json',
        '--files',
        '--wim-files',
        '--help',
        '-h',
        '--version',
        '--verify-wim',
        '--verify-wim=full',
        '--confirm',
        '--csv',
        '--recursive',
        '-r',
      ].includes(f)
    )
      return `unknown option ${f}`;
  if (flags.has('--help') || flags.has('-h')) return 'help';
  if (flags.has('--version')) return 'version';
  if (lookup !== null) return { lookup, json: flags.has('--json') };
  if (positional.length === 0) return 'no image given';
  if (flags.has('--csv') && flags.has('--json')) return '--csv and --json: choose one';
  if (session !== undefined && positional.length > 1) return '--session reads one image: give exactly one';
  if (extract !== null && (positional.length > 1 || flags.has('--json') || flags.has('--csv')))
    return '--extract writes one file of one image to stdout: give exactly one image, without --json or --csv';
  if ((key !== null || signature !== null) && check === null) return '--key and --signature check a checksum file: give it with --check FILE';
  if (signature !== null && key === null) return '--signature needs the public key to check it with: --key KEY';
  return {
    images: positional,
    csv: flags.has('--csv'),
    jobs,
    recursive: flags.has('--recursive') || flags.has('-r'),
    timeoutMs,
    json: flags.has('--json'),
    files: flags.has('--files'),
    wimFiles: flags.has('--wim-files'),
    extract,
    hash,
    check,
    key,
    signature,
    verifyWim: flags.has('--verify-wim'),
    verifyStreams: flags.has('--verify-wim=full'),
    verifySignatures,
    confirm: flags.has('--confirm'),
    session,
  };
}

/** A file given on the command line, bounded (checksum lists, keys and signatures are small). */
function readSmallFile(option: string, path: string): Uint8Array {
  const st = (() => {
    try {
      return statSync(path);
    } catch {
      return null;
    }
  })();
  if (!st?.isFile()) throw new Error(`${option} ${path}: no such file`);
  if (st.size > 16 * 1024 * 1024) throw new Error(`${option} ${path}: a file of ${st.size} bytes is too large`);
  return new Uint8Array(readFileSync(path));
}

/** --check: a hash value, or the path of a checksum file (with --key, its signature is checked first). */
async function loadCheck(check: string, key: string | null, signature: string | null): Promise<CheckInput> {
  if (key !== null) {
    const list = readSmallFile('--check', check);
    const keys = readSmallFile('--key', key);
    const sig = signature === null ? null : readSmallFile('--signature', signature);
    // OpenPGP.js loads only here, when a signature is to be checked.
    const { checkSignedList, listSignature } = await import('../hash/signed-checksums.ts');
    const verdict = await checkSignedList(list, sig, keys);
    // Only what the signature covers is used (a cleartext-signed list's signed part); an unchecked list is still compared, and fails.
    const text = verdict.status === 'good' ? verdict.signedText : new TextDecoder().decode(list);
    return { text, source: check, signature: listSignature(verdict, signature ?? check) };
  }
  if (algorithmOf(check)) return { text: check, source: 'command line' };
  const st = (() => {
    try {
      return statSync(check);
    } catch {
      return null;
    }
  })();
  if (!st?.isFile()) {
    // A pasted line (sha256:…, Get-FileHash's row) is as good as a bare hash.
    if (parseChecksums(check).length) return { text: check, source: 'command line' };
    throw new Error(`--check ${check}: ${explainUnreadable(check) ?? 'neither a hash (8, 32, 40, 64 or 128 hex digits), an ed2k link nor a checksum file'}`);
  }
  if (st.size > 16 * 1024 * 1024) throw new Error(`--check ${check}: a checksum file of ${st.size} bytes is too large`);
  return { text: readFileSync(check, 'utf8'), source: check };
}

/** What --extract PATH names: a file of the disc's best tree, or of an image inside a WIM on it ("sources/install.wim:2/Windows/…"). */
function extractTarget(disc: Disc, path: string): { tree: TreeId; path: string } | null {
  const inWim = /^\/?(.+?\.(?:wim|esd|swm)):(\d+)(\/.*)?$/i.exec(path);
  if (inWim) {
    const file = '/' + inWim[1]!.replace(/\\/g, '/');
    const install = disc.installImage();
    // A bare WIM is its own install image: "NAME.wim:2/path" names an image of the file itself.
    if (install && install.parent === '') return { tree: nestedTreeId('', '/', Number(inWim[2])), path: inWim[3] ?? '/' };
    const parent = install && install.path.toLowerCase() === file.toLowerCase() ? install.parent : disc.bestTree;
    return parent === null ? null : { tree: nestedTreeId(parent, file, Number(inWim[2])), path: inWim[3] ?? '/' };
  }
  const tree = disc.bestTree;
  return tree === null ? null : { tree, path: '/' + path.replace(/\\/g, '/').replace(/^\/+/, '') };
}

/** --extract: one file's bytes to `out`, read a piece at a time. */
async function extractOne(image: string, args: InspectArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let opened: { source: OpenedSource; cue?: CueSheet };
  try {
    opened = await openSource(image, args.timeoutMs);
  } catch (e) {
    err.write(openErrorText(image, e) + '\n');
    return 1;
  }
  try {
    const disc = await openDisc(opened.source, { cue: opened.cue, session: args.session });
    const target = extractTarget(disc, args.extract!);
    const head = target && (await disc.file(target.tree, target.path, 0));
    if (!target || !head) {
      err.write(`isoscope: ${image}: no file ${args.extract}\n`);
      return 1;
    }
    const PIECE = 4 << 20;
    for (let at = 0; at < head.size; at += PIECE) {
      const piece = await disc.fileRange(target.tree, target.path, at, Math.min(PIECE, head.size - at));
      if (!piece?.length) throw new Error(`${args.extract} could not be read past byte ${at} of ${head.size}`);
      if (!out.write(piece)) await new Promise((r) => out.once('drain', r));
    }
    return 0;
  } catch (e) {
    err.write(`isoscope: ${image}: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await opened.source.close?.();
  }
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    out.write(USAGE + '\n');
    return 0;
  }
  if (args === 'version') {
    out.write(VERSION + '\n');
    return 0;
  }
  if (typeof args === 'string') {
    err.write(`isoscope: ${args}\n${USAGE}\n`);
    return 2;
  }
  if ('lookup' in args) return printLookup(args.lookup, args.json, out, err);
  let check: CheckInput | null = null;
  try {
    if (args.check) check = await loadCheck(args.check, args.key, args.signature);
  } catch (e) {
    err.write(`isoscope: ${(e as Error).message}\n`);
    return 2;
  }
  if (args.extract !== null) return extractOne(args.images[0]!, args, out, err);
  if (args.images.length !== 1 || args.csv || isDirectory(args.images[0]!)) {
    const { runBatch } = await import('./batch.ts');
    return runBatch(args, check, out, err);
  }
  const image = args.images[0]!;
  const { report, exit, failure } = await inspectOne(image, args, check);
  if (failure) {
    err.write(failure + '\n');
    if (args.json) out.write(JSON.stringify(report, null, 2) + '\n');
    return 1;
  }
  let text: string;
  try {
    text = args.json ? JSON.stringify(report, null, 2) + '\n' : formatSummary(report, { files: args.files });
  } catch (e) {
    // The report is bounded (io/budget.ts); should it still not serialise, the output stays valid JSON with the reason.
    const line = `isoscope: ${image}: the report could not be written: ${(e as Error).message}`;
    err.write(line + '\n');
    if (args.json) out.write(JSON.stringify(failureReport(image, line, 'INTERNAL'), null, 2) + '\n');
    return 1;
  }
  out.write(args.json ? text : withSizeNote(text, report));
  if (!args.json && report.signatures?.editions) out.write((await import('./signatures.ts')).formatEditionSignatures(report));
  return exit;
}

/** An ed2k link's size compared (report.verification.size), in words under the summary's "Check:" line. */
function withSizeNote(text: string, report: Report): string {
  const note = report.verification ? sizeNote(report.verification) : null;
  return note ? text.replace(/^(Check:.*\n)/m, `$1  ${note}\n`) : text;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
