/**
 * Opening an image (Disc.open, disc.ts): a request of its own (budget, log,
 * read counts) over the shared image, the disc's start read at once
 * (PREFETCH_RANGES; a small file whole), an empty report filled in by the
 * stages (STAGES) over one shared context (context.ts), and `finish`, which
 * closes the report: the recognition verdict, the problems in image order,
 * the read statistics.
 *
 * Each stage names the stages it needs; those that need nothing of each
 * other run side by side, because in a browser every read of a File is a
 * round trip and reads issued together cost about one. A stage that fails
 * outright is one typed error; the report keeps everything the others found.
 */
import { FILES_BUDGET, QUICK_BUDGET } from '../io/budget.ts';
import { Request } from '../io/request.ts';
import { SharedImage } from '../io/shared-image.ts';
import type { ByteSource } from '../io/byte-source.ts';
import type { Report } from '../report/types.ts';
import { emptyReport } from '../report/empty.ts';
import { VERSION } from '../version.ts';
import { guard, type InspectionContext, type InspectOptions } from './context.ts';
import { readLayout } from './stages/layout.ts';
import { chooseSession } from './stages/sessions.ts';
import { readVolumes } from './stages/volumes.ts';
import { readBoot } from './stages/boot.ts';
import { openTrees } from './stages/trees.ts';
import { readLoaders } from './stages/loaders.ts';
import { readWindows } from './stages/windows.ts';
import { readProvenance } from './stages/provenance.ts';
import { readFiles } from './stages/files.ts';
import { readDiscSignatures } from './stages/signatures.ts';

/**
 * What identification reads first, in one read: the system area (MBR, GPT),
 * the volume descriptors with UDF's main and reserve sequences (sectors
 * 16–47), UDF's anchor at sector 256 for 512- and 1024-byte blocks (probed
 * before the 2048-byte one is believed: udf/reader.ts) and at sector 256
 * itself, with what Windows media (CDIMAGE) and genisoimage put right after
 * it: the partition's start, the file set, the root and sources/ directories
 * and install.wim's file entry. In a browser each read of a File costs a
 * round trip to the browser process and some of the worker's own time just to
 * issue; this one replaces a chain of about a dozen, for more bytes (the
 * bench's rows give both: bench/RESULTS.md).
 */
export const PREFETCH_RANGES: readonly [number, number][] = [[0, 576 * 1024]];

/** A file this small is read whole at once: it is read in dozens of places anyway (a small disc's every structure lies in it), and one read costs less than two. */
export const READ_WHOLE_BELOW = 4 * 1024 * 1024;

interface Stage {
  name: string;
  /** Stages whose findings this one reads (each listed earlier). */
  needs: string[];
  run(ctx: InspectionContext): Promise<void> | void;
}

/** Hand the report so far to the page; not awaited: a worker's onSection is a message to the page, and the inspection goes on meanwhile. */
const section = (ctx: InspectionContext): void => void ctx.options.onSection?.(ctx.report);

/**
 * How long the disc's facts wait for the Windows answer. On a file at hand that answer follows within a few
 * milliseconds (two more reads), and two sections so close together cost the page two renders with a frame
 * between them (7–14 ms on two cores, measured in Chromium's trace), all before the one the user waits for. Where
 * the Windows answer is slow (a URL, a spinning disk) the facts are on screen this much later than they could be.
 */
export const DISC_ANSWER_WAIT_MS = 50;

function discAnswer(ctx: InspectionContext): void {
  const wait = ctx.options.discAnswerWaitMs ?? DISC_ANSWER_WAIT_MS;
  if (!ctx.options.onSection) return;
  if (wait <= 0) return section(ctx);
  ctx.discAnswer = setTimeout(() => {
    ctx.discAnswer = undefined;
    section(ctx);
  }, wait);
}

/** The Windows answer, or, on a disc without Windows, the disc's facts if they are still waiting. */
function windowsAnswer(ctx: InspectionContext): void {
  const waiting = ctx.discAnswer !== undefined;
  clearTimeout(ctx.discAnswer);
  ctx.discAnswer = undefined;
  if (ctx.report.windows || waiting) section(ctx);
}

const STAGES: readonly Stage[] = [
  { name: 'sector layout', needs: [], run: readLayout },
  { name: 'sessions', needs: ['sector layout'], run: chooseSession },
  { name: 'volumes', needs: ['sessions'], run: readVolumes },
  { name: 'boot catalog', needs: ['sessions'], run: readBoot },
  { name: 'trees', needs: ['volumes'], run: openTrees },
  { name: 'disc answer', needs: ['trees', 'boot catalog'], run: discAnswer },
  { name: 'Windows', needs: ['disc answer'], run: readWindows },
  { name: 'provenance', needs: ['Windows'], run: readProvenance },
  { name: 'Windows answer', needs: ['provenance'], run: windowsAnswer },
  // After the Windows answer, not beside it: each loader is read whole (1–4 MiB) and hashed, which on Windows media
  // held the answer back; the first screen says "Reading…" for "Ready to use?" until the final report anyway.
  { name: 'boot loaders', needs: ['Windows answer'], run: readLoaders },
  {
    name: 'signatures',
    needs: ['Windows answer', 'boot loaders'],
    run: (ctx) => (ctx.options.verifySignatures === false ? undefined : readDiscSignatures(ctx)),
  },
  { name: 'files', needs: ['Windows answer', 'boot loaders'], run: readFiles },
  { name: 'kind', needs: ['files'], run: finishKind },
];

/** Run `stages` in dependency order, independent ones side by side; a stopped inspection skips the rest. */
async function runStages(stages: readonly Stage[], ctx: InspectionContext): Promise<void> {
  const done = new Map<string, Promise<void>>();
  for (const stage of stages) {
    const needs = stage.needs.map((n) => done.get(n) ?? Promise.reject(new Error(`stage ${stage.name} needs ${n}, which is not listed before it`)));
    done.set(
      stage.name,
      Promise.all(needs).then(() => (ctx.stopped ? undefined : guard(ctx.log, stage.name, null, async () => stage.run(ctx), undefined))),
    );
  }
  await Promise.all(done.values());
}

/** What the inspection opened: the context its stages filled in, and the shared image later requests read. */
export async function inspectDisc(source: ByteSource, options: InspectOptions = {}): Promise<InspectionContext> {
  const request = new Request(options.budget ?? (options.files ? FILES_BUDGET : QUICK_BUDGET), options.signal);
  const image = SharedImage.of(source);
  const report = emptyReport({ name: source.name, size: source.size }, VERSION, { warnings: request.log.warnings, errors: request.log.errors });
  const ctx: InspectionContext = {
    options,
    today: options.today ?? new Date().toISOString().slice(0, 10),
    request,
    log: request.log,
    image,
    src: image.view(request),
    report,
    stopped: false,
    partitions: report.partitions,
    vds: null,
    sessionStart: 0,
    volumes: [],
    trees: [],
    tree: null,
  };
  if (source.size > 0) image.prefetch(request, options.prefetch ?? (source.size <= READ_WHOLE_BELOW ? [[0, source.size]] : PREFETCH_RANGES));
  await runStages(STAGES, ctx);
  return ctx;
}

/** A partitioned disk image is a disk; a hybrid ISO's MBR says so. */
function finishKind({ report, vds }: InspectionContext): void {
  if (!report.kind && (report.partitions.gpt || report.partitions.mbr?.entries.length)) report.kind = 'disk';
  if (report.partitions.mbr && vds?.primary) report.partitions.mbr.isohybrid = report.partitions.mbr.entries.length > 0;
}

/** Close the report: recognition verdict and the opening's read statistics. */
export function finish(ctx: InspectionContext, t0: number): Report {
  const { report, log, request } = ctx;
  clearTimeout(ctx.discAnswer); // a stopped inspection skipped its Windows answer: its final report says it all
  report.recognised = report.kind !== null;
  if (!report.recognised && !log.errors.some((e) => e.code === 'EMPTY_FILE')) {
    log.error('NOT_A_DISC_IMAGE', 'This is not a disc image (no ISO 9660 or UDF descriptors, no partition table and no file system found)', 'file', 0);
  }
  log.close();
  report.stats = {
    reads: request.stats.reads,
    bytesRead: request.stats.bytesRead,
    ms: Math.round((now() - t0) * 100) / 100,
    ranges: request.stats.ranges ?? [],
  };
  return report;
}

export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
