/**
 * Many images in one run: `isoscope A.iso B.iso DIR/ https://…/C.iso`.
 * Directories are walked (--recursive for their subdirectories); every file
 * in them is read, and the ones that are not disc images are passed over
 * (counted, not failed) unless their name says they are one (.iso, .img, …).
 * A CUE sheet found in a directory stands for the BIN files it names.
 * Images are read --jobs at a time; results are written in the order given:
 * a line each in the terminal, NDJSON with --json, a table with --csv.
 * Exit 0 when every image was recognised (and every check asked for passed).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseCue } from '../formats/disk/cue.ts';
import type { Report } from '../report/types.ts';
import { bootSummary, headline } from '../report/describe.ts';
import { csvHeader, csvLine, IMAGE_NAME, reportRow } from '../report/row.ts';
import { formatBytes } from '../report/format.ts';
import { inspectOne, type CheckInput, type InspectArgs, type Inspected } from './inspect-one.ts';

/** A CUE sheet named on its own is an image too: the CLI opens its BIN through it. */
const imageNamed = (path: string) => IMAGE_NAME.test(path) || /\.cue$/i.test(path);
/** A walk stops here: a batch of more is a mistake (or a loop through links). */
const MAX_TARGETS = 100_000;
const MAX_DEPTH = 32;

interface Target {
  path: string;
  /** Named on the command line (always counted), or found in a directory. */
  explicit: boolean;
}

function walk(dir: string, recursive: boolean, depth: number, out: Target[], problems: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    problems.push(`${dir}: ${(e as { code?: string }).code ?? (e as Error).message}`);
    return;
  }
  // The BIN files a CUE sheet here names are read through the sheet.
  const viaCue = new Set<string>();
  for (const n of names.filter((n) => /\.cue$/i.test(n))) {
    try {
      for (const f of parseCue(readFileSync(join(dir, n), 'latin1')).files) viaCue.add(basename(f.replace(/\\/g, '/')).toLowerCase());
    } catch {
      // An unreadable sheet is reported when it is inspected.
    }
  }
  for (const n of names) {
    if (out.length >= MAX_TARGETS) return;
    const p = join(dir, n);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      if (recursive && depth < MAX_DEPTH) walk(p, recursive, depth + 1, out, problems);
    } else if (st.isFile() && !viaCue.has(n.toLowerCase())) out.push({ path: p, explicit: false });
  }
}

function expandTargets(paths: string[], recursive: boolean): { targets: Target[]; problems: string[] } {
  const targets: Target[] = [];
  const problems: string[] = [];
  for (const p of paths) {
    let dir = false;
    try {
      dir = !/^https?:\/\//i.test(p) && statSync(p).isDirectory();
    } catch {
      dir = false;
    }
    if (dir) walk(p, recursive, 0, targets, problems);
    else targets.push({ path: p, explicit: true });
  }
  return { targets: targets.slice(0, MAX_TARGETS), problems };
}

/** The one line the terminal shows for an image. */
function line(path: string, r: Report): string {
  const what = headline(r) ?? 'not recognised';
  const facts = [
    r.volume?.label && !what.includes(`"${r.filesystems.joliet?.label || r.volume.label}"`) ? `label "${r.filesystems.joliet?.label || r.volume.label}"` : null,
    r.boot ? `boots ${bootSummary(r)}` : null,
    r.provenance && r.provenance.size.verdict !== 'unknown' ? r.provenance.summary : null,
  ].filter(Boolean);
  return `${path}  (${formatBytes(r.file.size)})  ${what}${facts.length ? `  · ${facts.join(' · ')}` : ''}`;
}

export async function runBatch(
  args: InspectArgs,
  check: CheckInput | null,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream & { isTTY?: boolean },
): Promise<number> {
  const { targets, problems } = expandTargets(args.images, args.recursive);
  for (const p of problems) err.write(`isoscope: ${p}\n`);
  if (args.csv) out.write(csvHeader() + '\n');
  const results = new Array<Inspected | undefined>(targets.length);
  let written = 0;
  let passedOver = 0;
  const failed: string[] = [];
  const progress = err.isTTY === true && targets.length > 1;
  let finished = 0;
  const counts = (t: Target, r: Inspected) => t.explicit || r.report.recognised || imageNamed(t.path);
  /** Results go out in the order given, as soon as all before them are in. */
  const flush = () => {
    while (written < targets.length && results[written]) {
      const t = targets[written]!;
      const r = results[written]!;
      results[written] = undefined; // reports are not kept once written
      written++;
      if (!counts(t, r)) {
        passedOver++;
        continue;
      }
      if (r.exit !== 0) failed.push(`${t.path}: ${r.failure?.replace(/^isoscope: /, '') ?? r.report.errors[0]?.message ?? 'a check did not pass'}`);
      if (progress) err.write('\r\x1b[K');
      if (args.csv) out.write(csvLine(reportRow(r.report, t.path)) + '\n');
      else if (args.json) out.write(JSON.stringify({ ...r.report, file: { ...r.report.file, path: t.path } }) + '\n');
      else out.write(line(t.path, r.report) + '\n');
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const t = targets[i]!;
      results[i] = await inspectOne(t.path, args, check);
      finished++;
      if (progress) err.write(`\r\x1b[K[${finished}/${targets.length}] ${basename(t.path)}`);
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.jobs, Math.max(1, targets.length)) }, worker));
  if (progress) err.write('\r\x1b[K');
  const counted = targets.length - passedOver;
  err.write(
    `isoscope: ${counted} image${counted === 1 ? '' : 's'}: ${counted - failed.length} recognised${failed.length ? `, ${failed.length} not` : ''}` +
      `${passedOver ? `; ${passedOver} other file${passedOver === 1 ? '' : 's'} passed over (not disc images)` : ''}\n`,
  );
  for (const f of failed) err.write(`  failed: ${f}\n`);
  return failed.length || counted === 0 || problems.length ? 1 : 0;
}
