/**
 * The CLI: wires the readers to the terminal. Exit 0 when the image was
 * recognised (warnings allowed), 1 when not or when a fatal error stopped it,
 * 2 for usage errors. --json output is always valid JSON, also on failure.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseCue, type CueSheet } from '../formats/cue.ts';
import { checkWimIntegrity, openDisc } from '../inspect.ts';
import { NodeFileSource } from '../io/node-source.ts';
import { hashSource, parseAlgorithms, type HashAlgorithm } from '../hash/hashers.ts';
import { algorithmOf, explainUnreadable, matchChecksums, parseChecksums } from '../hash/checksums.ts';
import type { Report } from '../report/types.ts';
import { VERSION } from '../version.ts';
import { formatSummary } from './summary.ts';
import { withHashes } from '../report/provenance.ts';
import { lookup } from '../catalogue/catalogue.ts';
import { formatBytes } from '../report/format.ts';

/** --lookup: every catalogued release with this hash or size, each name and its sources. Exit 0 when found, 1 when not, 2 when the query is neither. */
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
      for (const h of ['sha256', 'sha1', 'md5'] as const)
        if (r[h]) out.write(`    ${h.padEnd(7)} ${r[h]}${r.confirmed.includes(h) ? '  (confirmed by two independent sources)' : ''}\n`);
      out.write(`    sources ${[...new Set(r.statements.map((s) => s.source))].join(', ')}\n`);
    }
  }
  return res.kind === 'invalid' ? 2 : res.releases.length ? 0 : 1;
}

const USAGE = `usage: isoscope <image> [--json] [--files] [--session N] [--hash LIST] [--confirm] [--check HASH|FILE] [--verify-wim]
       isoscope --lookup <hash or size>

  Inspects a disc image (ISO 9660, Joliet, Rock Ridge, El Torito, MBR/GPT,
  UDF, Windows install images; raw BIN, BIN/CUE as <sheet.cue>, Nero NRG;
  FAT, exFAT and NTFS volumes) by reading only the few kilobytes that
  describe it.

  --json          print the report as JSON (docs/report.md)
  --files         list every file of the best tree on the disc
  --session N     read session N of a multi-session disc (default: the last)
  --hash LIST     hash the whole file in one pass: sha256,sha1,md5,crc32,sha512
  --confirm       hash with the algorithms the release catalogue holds for this
                  image (e.g. SHA-1 for Windows 7) and say whether it is
                  identical to an official release
  --lookup X      what the release catalogue knows about a hash or a size
  --check X       compare with a hash (algorithm known by its length) or a
                  checksum file (sha256sum / BSD / single value); implies the
                  hash it needs
  --verify-wim    verify install.wim's integrity table in place
  --version       print the version
  --help          this text`;

interface Args {
  image: string;
  confirm: boolean;
  json: boolean;
  files: boolean;
  hash: HashAlgorithm[];
  check: string | null;
  verifyWim: boolean;
  /** --session N: which session of a multi-session disc to read. */
  session: number | undefined;
}

function parseArgs(argv: string[]): Args | { lookup: string; json: boolean } | string {
  const flags = new Set<string>();
  const positional: string[] = [];
  let hash: HashAlgorithm[] = [];
  let check: string | null = null;
  let lookup: string | null = null;
  let session: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (name === '--hash' || name === '--check' || name === '--lookup' || name === '--session') {
      const value = inline ?? argv[++i];
      if (value === undefined) return `${name} needs a value`;
      if (name === '--session') {
        if (!/^[1-9]\d?$/.test(value)) return `--session needs a session number (1, 2, …), not "${value}"`;
        session = Number(value);
      } else if (name === '--check') check = value;
      else if (name === '--lookup') lookup = value;
      else {
        try {
          hash = parseAlgorithms(value);
        } catch (e) {
          return (e as Error).message;
        }
      }
    } else if (a.startsWith('-')) flags.add(a);
    else positional.push(a);
  }
  for (const f of flags) if (!['--json', '--files', '--help', '-h', '--version', '--verify-wim', '--confirm'].includes(f)) return `unknown option ${f}`;
  if (flags.has('--help') || flags.has('-h')) return 'help';
  if (flags.has('--version')) return 'version';
  if (lookup !== null) return { lookup, json: flags.has('--json') };
  if (positional.length !== 1) return positional.length === 0 ? 'no image given' : 'give exactly one image';
  return {
    image: positional[0]!,
    json: flags.has('--json'),
    files: flags.has('--files'),
    hash,
    check,
    verifyWim: flags.has('--verify-wim'),
    confirm: flags.has('--confirm'),
    session,
  };
}

/** --check: a hash value, or the path of a checksum file. */
async function loadCheck(check: string): Promise<{ text: string; source: string }> {
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
    throw new Error(`--check ${check}: ${explainUnreadable(check) ?? 'neither a hash (8, 32, 40, 64 or 128 hex digits) nor a checksum file'}`);
  }
  if (st.size > 16 * 1024 * 1024) throw new Error(`--check ${check}: a checksum file of ${st.size} bytes is too large`);
  return { text: readFileSync(check, 'utf8'), source: check };
}

function openErrorText(path: string, e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return `isoscope: ${path}: no such file`;
    case 'EISDIR':
    case 'ENOTFILE':
      return `isoscope: ${path}: is a directory, not an image file`;
    case 'EACCES':
    case 'EPERM':
      return `isoscope: ${path}: permission denied`;
    case 'EBADCUE':
      return `isoscope: ${(e as Error).message}`;
    default:
      return `isoscope: ${path}: cannot be read (${code ?? (e as Error).message})`;
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
  let source: NodeFileSource;
  // A CUE sheet names the file its tracks are in: that file (its first data track's) is the image.
  let cue: CueSheet | undefined;
  try {
    let image = args.image;
    if (/\.cue$/i.test(image)) {
      cue = parseCue(readFileSync(image, 'latin1'));
      const file = (cue.tracks.find((t) => !t.audio) ?? cue.tracks[0])?.file;
      if (!file) throw Object.assign(new Error(`${image}: the CUE sheet names no track`), { code: 'EBADCUE' });
      image = join(dirname(image), file.replace(/\\/g, '/'));
    }
    source = await NodeFileSource.open(image);
  } catch (e) {
    const line = openErrorText(args.image, e);
    err.write(line + '\n');
    if (args.json) out.write(JSON.stringify(failureReport(args.image, line), null, 2) + '\n');
    return 1;
  }
  let report: Report;
  let check: { text: string; source: string } | null = null;
  try {
    if (args.check) check = await loadCheck(args.check);
  } catch (e) {
    err.write(`isoscope: ${(e as Error).message}\n`);
    await source.close();
    return 2;
  }
  try {
    // One disc, opened once: the integrity check below reuses what the opening read.
    const disc = await openDisc(source, { files: args.files, cue, session: args.session });
    report = disc.report;
    const entries = check ? parseChecksums(check.text) : [];
    const algorithms = [...args.hash];
    if (args.confirm) for (const a of report.provenance?.toConfirm ?? ['sha256']) if (!algorithms.includes(a)) algorithms.push(a);
    for (const e of entries) if (!algorithms.includes(e.algorithm)) algorithms.push(e.algorithm);
    if (algorithms.length) {
      const t0 = performance.now();
      // node:crypto and node:zlib load only when something is hashed: most runs never do, and loading them costs start-up time.
      const { nodeHashSet } = await import('../hash/node-hashers.ts');
      report.hashes = await hashSource(source, algorithms, nodeHashSet);
      report.stats.hashMs = Math.round(performance.now() - t0);
      report.stats.hashBytes = source.size;
      if (report.provenance) report.provenance = withHashes(report.provenance, report.hashes);
    }
    if (check) report.verification = { ...matchChecksums(entries, source.name, report.hashes ?? {}), source: check.source };
    if (args.verifyWim) await checkWimIntegrity(source, report, (await import('../hash/node-hashers.ts')).nodeHashers, undefined, undefined, disc);
  } catch (e) {
    // inspect() turns faults into typed errors; this is the last line of defence.
    const line = `isoscope: ${args.image}: inspection failed: ${(e as Error).message}`;
    err.write(line + '\n');
    if (args.json) out.write(JSON.stringify(failureReport(args.image, line), null, 2) + '\n');
    return 1;
  } finally {
    await source.close();
  }
  let text: string;
  try {
    text = args.json ? JSON.stringify(report, null, 2) + '\n' : formatSummary(report, { files: args.files });
  } catch (e) {
    // The report is bounded (io/budget.ts); should it still not serialise, the output stays valid JSON with the reason.
    const line = `isoscope: ${args.image}: the report could not be written: ${(e as Error).message}`;
    err.write(line + '\n');
    if (args.json)
      out.write(
        JSON.stringify({ ...failureReport(args.image, line), errors: [{ code: 'INTERNAL', message: line, structure: 'report', offset: null }] }, null, 2) +
          '\n',
      );
    return 1;
  }
  out.write(text);
  if (report.verification && report.verification.verdict !== 'match') return 1;
  // --verify-wim passes only on a table that was read and matched in full: "could not verify" is not "intact".
  if (args.verifyWim && !report.wimIntegrity?.ok) return 1;
  return report.recognised ? 0 : 1;
}

function failureReport(path: string, message: string): Partial<Report> {
  return {
    tool: { name: 'isoscope', version: VERSION, reportVersion: 1 },
    file: { name: path.split(/[\\/]/).pop() ?? path, size: 0 },
    kind: null,
    recognised: false,
    warnings: [],
    errors: [{ code: 'CANNOT_OPEN', message, structure: 'file', offset: null }],
  };
}
