/**
 * "Save folder" / "Save all": files of an open disc as one zip, streamed.
 *
 * The archive is written by client-zip (a maintained streaming ZIP writer,
 * Zip64 for large files) from one ReadableStream per file; each stream pulls
 * the file's bytes from the disc a piece at a time (Disc.fileRange: extents,
 * zisofs and raw sectors alike), only as fast as the page writes them out, so
 * a 5 GB install.wim passes through a few MiB of memory. It runs in the
 * worker that has the disc open; the page receives the stream.
 */
import { makeZip, predictLength } from 'client-zip';
import type { Disc } from './core/disc.ts';
import type { TreeId } from './formats/tree.ts';

/** Unix file type of a symbolic link (st_mode), as zip's external attributes carry it. */
const S_IFLNK = 0o120000;
/** Bytes read from the disc per pull. */
const PIECE = 4 * 1024 * 1024;
/** A zip of more entries than this is refused (a crafted tree could list millions). */
const MAX_ZIP_ENTRIES = 100_000;

export interface ZipEntry {
  /** Its path on the disc. */
  path: string;
  /** Its name inside the archive (relative to the folder saved). */
  name: string;
  size: number;
  modified: string | null;
  /** A symbolic link's target: stored as a link (Unix mode S_IFLNK, the target as its data: Info-ZIP's convention, which 7-Zip and unzip restore). */
  symlink?: string;
}

/**
 * A file's bytes as a stream pulled from the disc, a piece at a time as it is
 * written out (saving one file read through the worker: compressed, in a raw-sector
 * image, inside a WIM); a file that ends early errors the stream (a short file would be a lie).
 */
export function fileStream(disc: Disc, naming: TreeId, entry: Pick<ZipEntry, 'path' | 'size'>): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctl) {
        if (at >= entry.size) {
          ctl.close();
          return;
        }
        const piece = await disc.fileRange(naming, entry.path, at, Math.min(PIECE, entry.size - at));
        if (!piece || piece.length === 0) {
          ctl.error(new Error(`${entry.path} could not be read past byte ${at} of ${entry.size} (the image ends, or the file is damaged)`));
          return;
        }
        at += piece.length;
        ctl.enqueue(piece);
      },
    },
    { highWaterMark: 0 },
  );
}

/** The zip of `entries` (files only; their folders are implied by the names), and its exact length (client-zip's predictLength). */
export function zipFiles(disc: Disc, naming: TreeId, entries: readonly ZipEntry[]): { stream: ReadableStream<Uint8Array>; bytes: number } {
  if (entries.length > MAX_ZIP_ENTRIES) throw new Error(`${entries.length} files: more than the ${MAX_ZIP_ENTRIES} one zip is made of here`);
  function* inputs() {
    for (const e of entries) {
      const modified = e.modified ? new Date(e.modified) : null;
      const when = modified && !Number.isNaN(modified.getTime()) ? { lastModified: modified } : {};
      if (e.symlink !== undefined) yield { name: e.name, ...when, mode: S_IFLNK | 0o777, input: new TextEncoder().encode(e.symlink) };
      else yield { name: e.name, size: e.size, ...when, input: fileStream(disc, naming, e) };
    }
  }
  const bytes = Number(
    predictLength(entries.map((e) => ({ name: e.name, size: e.symlink !== undefined ? new TextEncoder().encode(e.symlink).length : e.size }))),
  );
  return { stream: makeZip(inputs()), bytes };
}
