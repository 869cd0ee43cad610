/**
 * Hostile install.wim files (issue #22, tests/fixtures/bad/wim-hostile.ts):
 * lying chunk tables and blob tables, solid runs, metadata resources that
 * lie about their security data, entry lengths, names and subdirectories,
 * loops, depth, amplification. Each case's disc is opened in a process of
 * its own (tests/fixtures/bad/wim-probe.ts, bundled by esbuild: the CLI's
 * own way of running) that inspects it, lists the disc's tree, names the
 * editions, lists every edition, reads the inside and the files asked for,
 * and reports time and memory. Every case must give typed problems only
 * (never INTERNAL), at image offsets where the structure has one; keep what
 * can be read (the other edition, the disc's own tree); take under 2 s of
 * CPU and a peak heap under 256 MiB. Where wimlib reads the same damaged
 * image, its listing (wimlib-imagex dir) is the truth; where it refuses
 * the image, isoscope must too. The writer's good WIMs are checked with
 * wimlib-imagex verify first.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discWith, run, scratch, wimlibDir } from '../helpers/wim-images.ts';
import { BYSTANDER_PATHS, VICTIM_PATHS, WIM_HOSTILE_CASES, build, type WimHostileCase } from '../fixtures/bad/wim-hostile.ts';
import type { ProbeResult, ProbeRead } from '../fixtures/bad/wim-probe.ts';
import type { Problem } from '../../workers/io/format-error.ts';

const dir = scratch('isoscope-wim-hostile-');
const ROOT = resolve(import.meta.dirname, '../..');
const PROBE = join(ROOT, '.tmp', `wim-probe-${process.pid}.mjs`);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(PROBE, { force: true });
});

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Ran {
  c: WimHostileCase;
  wimPath: string;
  iso: number;
  wimStart: number;
  offsetInWim?: number | [number, number] | [number, number][];
  r: ProbeResult | null;
  failure: string | null;
}

/** Run the probe on `image`, in a process of its own. */
function probe(image: string, reads: ProbeRead[]): Promise<ProbeResult> {
  return new Promise((ok, fail) =>
    execFile(process.execPath, ['--expose-gc', PROBE, image, JSON.stringify(reads)], { maxBuffer: 1 << 28, timeout: 30_000 }, (e, stdout, stderr) => {
      if (e) return fail(new Error(`${e.message}\n${stderr.slice(0, 2000)}`));
      try {
        ok(JSON.parse(stdout) as ProbeResult);
      } catch (x) {
        fail(new Error(`${(x as Error).message}: ${stdout.slice(0, 200)} ${stderr.slice(0, 2000)}`));
      }
    }),
  );
}

/** At most `n` of the tasks started through it running at once. */
function limit(n: number): <R>(task: () => Promise<R>) => Promise<R> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= n) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

const ran = new Map<string, Ran>();

beforeAll(async () => {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  buildSync({
    entryPoints: [join(ROOT, 'tests/fixtures/bad/wim-probe.ts')],
    outfile: PROBE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  // Each case is built, then probed while the next is built (two probes at a time: the machine's cores).
  const run2 = limit(2);
  const probes: Promise<void>[] = [];
  for (const c of WIM_HOSTILE_CASES) {
    const caseDir = join(dir, c.name);
    mkdirSync(caseDir, { recursive: true });
    const { wim, offsetInWim } = c.build();
    const wimPath = join(caseDir, 'install.wim');
    writeFileSync(wimPath, wim);
    const isoPath = discWith(caseDir, { 'install.wim': wimPath });
    const iso = readFileSync(isoPath);
    const m = { c, wimPath, iso: iso.length, wimStart: iso.indexOf(Buffer.from(wim.subarray(0, 208))), offsetInWim };
    const reads = [...(c.reads ?? []), ...(c.readsOk ?? defaultReadsOk).map(({ image, path }) => ({ image, path }))];
    probes.push(
      run2(async () => {
        try {
          ran.set(c.name, { ...m, r: await probe(isoPath, reads), failure: null });
        } catch (e) {
          ran.set(c.name, { ...m, r: null, failure: String((e as Error).message) });
        }
      }),
    );
    // Let finished probes hand their slots on before the next (synchronous) build.
    await new Promise((go) => setImmediate(go));
  }
  await Promise.all(probes);
}, 600_000);

const defaultReadsOk = [{ image: 2, path: '/Program Files/App/app.txt', data: new TextEncoder().encode('app\r\n'.repeat(1000)) }];

function allProblems(r: ProbeResult): Problem[] {
  return [...r.report.problems, ...r.discTree.problems, ...r.images.problems, ...r.trees.flatMap((t) => t.problems), ...r.inside.problems];
}
function readProblems(r: ProbeResult): Problem[] {
  return r.reads.flatMap((x) =>
    x.error ? [{ code: x.error.code ?? `untyped ${x.error.type}`, message: x.error.message, structure: 'read', offset: x.error.offset }] : [],
  );
}
function problemsAt(r: ProbeResult, where: WimHostileCase['where']): Problem[] {
  switch (where) {
    case 'tree':
      return r.trees.flatMap((t) => t.problems);
    case 'read':
      return readProblems(r);
    case 'images':
      return [...r.images.problems, ...r.trees.flatMap((t) => t.problems)];
    case 'inside':
      return r.inside.problems;
  }
}

describe('the writer', () => {
  it('writes WIMs wimlib verifies and lists as written (every compression, solid too)', () => {
    for (const [compression, solid] of [
      ['LZX', false],
      ['XPRESS', false],
      ['LZMS', false],
      ['none', false],
      ['LZMS', true],
    ] as const) {
      const b = build({ compression, solid });
      const path = join(dir, `good-${compression}-${solid}.wim`);
      writeFileSync(path, b.wim);
      expect(run('wimlib-imagex', ['verify', path]).toString()).toContain('successfully verified');
      expect(
        wimlibDir(path, 1)
          .map((e) => e.path)
          .filter((p) => p !== '/')
          .sort(),
      ).toEqual(VICTIM_PATHS);
      expect(
        wimlibDir(path, 2)
          .map((e) => e.path)
          .filter((p) => p !== '/')
          .sort(),
      ).toEqual(BYSTANDER_PATHS);
    }
  });
});

const worst = { cpu: { name: '', ms: 0 }, heap: { name: '', mib: 0 }, rss: { name: '', mib: 0 } };
afterAll(() => {
  // The measures the report quotes: the worst case by CPU time and by memory.
  console.log(
    `wim-hostile worst: CPU ${worst.cpu.ms.toFixed(0)} ms (${worst.cpu.name}); peak heap ${worst.heap.mib.toFixed(0)} MiB (${worst.heap.name}); max RSS ${worst.rss.mib.toFixed(0)} MiB (${worst.rss.name})`,
  );
});

describe.each(WIM_HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
  it(c.what, () => {
    const x = ran.get(name)!;
    expect(x.failure).toBeNull();
    const r = x.r!;
    const fails: string[] = [];
    const want = (ok: boolean, what: string) => {
      if (!ok) fails.push(what);
    };
    const problems = [...allProblems(r), ...readProblems(r)];

    // Typed problems only, each naming its structure, placed in the image or nowhere.
    for (const p of problems) {
      want(p.code !== 'INTERNAL' && !p.code.startsWith('untyped'), `typed: ${p.code} ${p.message}`);
      want(p.structure.length > 0, `${p.code} names its structure`);
      want(!/NaN|undefined|Infinity/.test(p.message), `${p.code}'s message: ${p.message}`);
      want(p.offset === null || (Number.isInteger(p.offset) && p.offset >= 0 && p.offset < x.iso), `${p.code} at an offset in the image: ${p.offset}`);
    }

    // The disc's own tree, and the editions by name.
    want(r.discTree.files.includes('/sources/install.wim'), "the disc's tree lists sources/install.wim");
    want(
      r.images.list.length >= 2 || c.code.includes('WIM_BLOB_TABLE_TOO_LARGE') || c.code.includes('WIM_BLOB_TABLE_PAST_END'),
      `the editions are named (${r.images.list.length})`,
    );

    // The code, where the case says, at the lie's place in the image.
    if (c.code.length) {
      const at = problemsAt(r, c.where).filter((p) => c.code.includes(p.code));
      want(
        at.length > 0,
        `${c.code.join(' or ')} in ${c.where} (got ${
          problemsAt(r, c.where)
            .map((p) => p.code)
            .join(', ') || 'nothing'
        })`,
      );
      if (x.offsetInWim !== undefined && at.length) {
        const o = x.offsetInWim;
        const ranges: [number, number][] =
          typeof o === 'number' ? [[o, o + 1]] : typeof o[0] === 'number' ? [o as [number, number]] : (o as [number, number][]);
        want(
          at.some((p) => p.offset !== null && ranges.some(([lo, hi]) => p.offset! >= x.wimStart + lo && p.offset! < x.wimStart + hi)),
          `${c.code.join('/')} placed at the lie, ${ranges.map(([lo, hi]) => `+${lo}…${hi}`).join(' or ')} in the WIM (the WIM at ${x.wimStart} in the image; got ${at.map((p) => (p.offset === null ? null : p.offset - x.wimStart)).join(', ')})`,
        );
      }
    } else {
      want(
        r.trees.every((t) => t.problems.length === 0) || c.reads !== undefined,
        `nothing to report in the listings (got ${r.trees.flatMap((t) => t.problems.map((p) => p.code)).join(', ')})`,
      );
    }

    // The victim (image 1) and the bystander (image 2).
    const tree = (i: number) => r.trees.find((t) => t.index === i);
    const victim = tree(1);
    if (c.victim === 'refused') want((victim?.count ?? 0) === 0, `image 1 refused (got ${victim?.count} entries)`);
    else if (c.victim !== 'checked')
      want(
        JSON.stringify(victim?.paths?.slice().sort()) === JSON.stringify(c.victim === 'intact' ? VICTIM_PATHS : c.victim),
        `image 1 lists ${c.victim === 'intact' ? 'as built' : 'the expected paths'} (got ${victim?.paths?.join(' ')})`,
      );
    if ((c.bystander ?? 'intact') === 'intact')
      want(
        JSON.stringify(tree(2)?.paths?.slice().sort()) === JSON.stringify(BYSTANDER_PATHS) && tree(2)?.problems.length === 0,
        `image 2 lists as built (got ${tree(2)?.paths?.join(' ')})`,
      );
    else if (c.bystander === 'refused') want((tree(2)?.count ?? 0) === 0, 'image 2 refused too');

    // Reads: typed failures, or the bytes.
    if (c.readCodes)
      for (const want_ of c.reads ?? []) {
        const got = r.reads.find((y) => y.image === want_.image && y.path === want_.path);
        want(c.readCodes.includes(got?.error?.code ?? ''), `${want_.path} fails with ${c.readCodes.join(' or ')} (got ${got?.error?.code ?? 'bytes'})`);
      }
    for (const ok of c.readsOk ?? defaultReadsOk) {
      const got = r.reads.find((y) => y.image === ok.image && y.path === ok.path);
      want(got?.sha256 === sha256(ok.data), `${ok.image}:${ok.path} reads byte-exact (got ${got?.error?.code ?? got?.error?.message ?? got?.size})`);
    }

    // wimlib on the same WIM.
    if (c.wimlib === 'same') {
      const theirs = wimlibDir(x.wimPath, 1)
        .map((e) => e.path)
        .filter((p) => p !== '/')
        .sort();
      want(JSON.stringify(theirs) === JSON.stringify(victim?.paths?.slice().sort()), `wimlib-imagex dir lists ${theirs.join(' ')}`);
    } else if (c.wimlib === 'refuses') {
      let refused = false;
      try {
        execFileSync('wimlib-imagex', ['dir', x.wimPath, '1'], { stdio: 'pipe' });
      } catch {
        refused = true;
      }
      want(refused, 'wimlib-imagex dir refuses image 1 too');
    }

    fails.push(...(c.check?.(r) ?? []));

    // Time and memory: the whole inspection, both listings, inside() and the reads.
    want(r.cpuMs < 2000, `under 2 s of CPU (took ${r.cpuMs.toFixed(0)} ms: ${JSON.stringify(r.steps)})`);
    want(r.peakHeapMiB < 256, `peak heap under 256 MiB (${r.peakHeapMiB.toFixed(0)} MiB)`);
    want(r.ms < 8000, `not a hang (${r.ms.toFixed(0)} ms)`);
    if (r.cpuMs > worst.cpu.ms) worst.cpu = { name, ms: r.cpuMs };
    if (r.peakHeapMiB > worst.heap.mib) worst.heap = { name, mib: r.peakHeapMiB };
    if (r.maxRssMiB > worst.rss.mib) worst.rss = { name, mib: r.maxRssMiB };

    expect(fails).toEqual([]);
  });
});
