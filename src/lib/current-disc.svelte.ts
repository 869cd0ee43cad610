/**
 * The image open in the page, as state: its File, its identity (every stored
 * result is filed under it), the report as it arrives section by section,
 * the hashes history remembers of it, and whether it is still being read.
 * `open()` takes over from any earlier open; a result of an earlier file is
 * never written here (it goes to history under its own file).
 */
import { AbortedError, TimeoutError, type WorkerBridge } from './bridge.ts';
import { history } from './history.svelte.ts';
import { reportToKeep, type HistoryItem } from './history.ts';
import { identify, sameFile, type FileIdentity } from './file-identity.ts';
import type { Report } from '../../workers/report/types.ts';
import type { EditionSignatures } from '../../workers/report/signatures.ts';
import { withInside } from '../../workers/report/verdict.ts';

export class CurrentDisc {
  /** Raw: a report is replaced whole, never mutated, so Svelte need not proxy thousands of file entries. */
  report = $state.raw<Report | null>(null);
  file = $state.raw<File | null>(null);
  identity = $state.raw<FileIdentity | null>(null);
  /** Hashes of this file remembered from earlier visits. */
  known = $state.raw<Record<string, string>>({});
  busy = $state(false);
  /**
   * Busy for long enough to say so: set 150 ms after an open that has not answered yet. Most images answer sooner,
   * and a "Reading…" line shown meanwhile would cost the page a frame (style, layout, paint and a commit: 7–14 ms on
   * two cores) in the very milliseconds the worker's reads and the first section are waiting for the CPU.
   */
  slow = $state(false);
  private slowTimer: ReturnType<typeof setTimeout> | undefined;
  /** No longer reading: neither busy nor about to say so. */
  private settle(): void {
    clearTimeout(this.slowTimer);
    this.busy = false;
    this.slow = false;
  }
  failure = $state<string | null>(null);
  /** Set when the report shown is one kept in history, shown without its file. */
  fromHistory = $state.raw<HistoryItem | null>(null);
  /** The CUE sheet opened with the file, kept to read another session of it. */
  cue = $state.raw<File | undefined>(undefined);
  private controller: AbortController | null = null;

  constructor(private readonly bridge: WorkerBridge) {}

  async open(f: File, cue?: File, session?: number): Promise<void> {
    if (/\.cue$/i.test(f.name) && !cue) {
      this.failure = `${f.name} is a CUE sheet: drop or choose it together with the .bin file it describes.`;
      return;
    }
    this.controller?.abort();
    const mine = (this.controller = new AbortController());
    // Everything below is for `f` only: a later open() takes over, and this one stops writing.
    const current = () => this.controller === mine;
    this.settle();
    this.busy = true;
    this.slowTimer = setTimeout(() => (this.slow = current() && this.busy), 150);
    this.failure = null;
    this.report = null;
    this.inside = null;
    this.fromHistory = null;
    this.file = f;
    this.identity = null;
    this.known = {};
    this.cue = cue;
    const withKnown = (r: Report): Report => (Object.keys(this.known).length ? { ...r, hashes: { ...this.known } } : r);
    try {
      // The inspection starts at once (the worker is warm). The file's identity (a read and a digest of 128 KiB) and
      // what history remembers of it are found only after it: in the first milliseconds they would compete with the
      // worker for the browser's file thread and the CPU (two cores here), and nothing on screen needs them until then.
      // Sections and the final report come on different message ports, in no guaranteed order: a section that
      // arrives after the final report is dropped, never shown over it.
      const cueText = cue ? await cue.text() : undefined;
      let final = false;
      const inspection = this.bridge.inspect(f, { files: true, cueText, session }, mine.signal, undefined, (partial) => {
        // Sections as they arrive (disc facts, then Windows), each in its own task.
        if (current() && this.busy && !final) this.report = partial;
      });
      const done = await inspection;
      final = true;
      if (!current()) return;
      this.report = done;
      const id = await identify(f);
      if (!current()) return;
      this.identity = id;
      this.known = (await history.recall(id))?.hashes ?? {};
      if (!current()) return;
      if (Object.keys(this.known).length) this.report = withKnown(done);
      if (done.windows && done.provenance) void this.readInside(f, mine);
      await history.remember({
        ...id,
        label: done.volume?.label ?? null,
        summary: done.windows?.summary ?? done.os?.headline ?? null,
        report: reportToKeep(done),
      });
    } catch (e) {
      if (!current()) return;
      if (e instanceof TimeoutError)
        this.failure = `${f.name}: ${e.message}; the image may be damaged in a way isoscope does not yet bound. Nothing was shown rather than something wrong.`;
      else if (!(e instanceof AbortedError)) this.failure = `Could not inspect ${f.name}: ${(e as Error).message}`;
    } finally {
      if (current()) this.settle();
    }
  }

  /**
   * What install.wim shows from the inside (its images' metadata and blob table: a few megabytes, read in the
   * background after the first answer): its signals join "Genuine?", whose verdict then rests on them too.
   */
  inside = $state<'reading' | 'read' | 'failed' | null>(null);
  private async readInside(f: File, mine: AbortController): Promise<void> {
    this.inside = 'reading';
    try {
      const got = await this.bridge.inside(f, mine.signal);
      if (this.controller !== mine || !this.report?.provenance) return;
      if (got) this.report = { ...this.report, provenance: withInside(this.report.provenance, got.signals, got.images) };
      this.inside = got ? 'read' : 'failed';
    } catch {
      if (this.controller === mine) this.inside = 'failed';
    }
  }

  /**
   * Show a report kept in history, without its file: what was read then, with the hashes known since.
   * Hashing, verifying and browsing need the file again (choosing it opens it as usual).
   */
  showFromHistory(item: HistoryItem): void {
    if (!item.report) return;
    this.controller?.abort();
    this.controller = null;
    this.settle();
    this.failure = null;
    this.file = null;
    this.cue = undefined;
    this.identity = { name: item.name, size: item.size, lastModified: item.lastModified, fingerprint: item.fingerprint };
    this.known = item.hashes;
    this.report = Object.keys(item.hashes).length ? { ...item.report, hashes: { ...item.hashes } } : item.report;
    this.fromHistory = item;
  }

  /**
   * An edition's signature check of `from`, finished: part of the report from now on (the exports carry it, as the
   * CLI's --verify-signatures puts it in its JSON), replacing an earlier check of the same edition. Dropped if another
   * file is open by now.
   */
  editionChecked(from: File, result: EditionSignatures): void {
    if (from !== this.file || !this.report) return;
    const editions = [...(this.report.signatures?.editions ?? []).filter((e) => e.image !== result.image), result].sort(
      (a, b) => (a.image ?? 0) - (b.image ?? 0),
    );
    this.report = { ...this.report, signatures: { ...this.report.signatures, editions } };
  }

  /** Hashes from a run on `from`: stored under that file, shown only if it is still the one open. */
  async hashed(from: FileIdentity, h: Record<string, string>): Promise<void> {
    if (sameFile(from, this.identity) && this.report) this.report = { ...this.report, hashes: { ...(this.report.hashes ?? {}), ...h } };
    await history.remember({ ...from, hashes: h });
  }
}
