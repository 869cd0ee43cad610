/**
 * Every stream of an install image checked (what `wimlib-imagex verify`
 * does): each image's metadata resource against its SHA-1 (archive.ts),
 * then every blob of the blob table decompressed and hashed against the
 * SHA-1 the table lists, resource by resource in file order (a solid
 * resource's chunks are decompressed once for all the blobs in it), and
 * every stream a file refers to looked up. A damaged stream is named by the
 * paths of the files that use it. It reads the whole WIM: an explicit
 * action, with progress and cancel.
 */
import type { ByteSource } from '../io/byte-source.ts';
import type { ProblemLog } from '../io/problems.ts';
import type { HasherFactory, HashProgress } from '../hash/hashers.ts';
import { createSha1 } from '../hash/sha1.ts';
import type { WimArchive } from '../formats/wim/archive.ts';
import type { BlobDescriptor } from '../formats/wim/blob-table.ts';
import type { ResourceSpec } from '../formats/wim/resource.ts';
import type { StreamCheck } from '../report/types.ts';

/** Pieces a blob is hashed in: large enough to keep reads few, small enough to keep memory flat. */
const PIECE = 4 * 1024 * 1024;
const MAX_LISTED = 200;
const MAX_PATHS = 20;

export async function verifyStreams(
  archive: WimArchive,
  wim: ByteSource,
  imageFile: string,
  sha1: HasherFactory,
  log: ProblemLog,
  onProgress?: (p: HashProgress) => void,
  signal?: AbortSignal,
): Promise<StreamCheck> {
  const t0 = performance.now();
  const blobs = [...archive.table.blobs.values()];
  const result: StreamCheck = { imageFile, blobs: blobs.length, bytes: blobs.reduce((n, b) => n + b.size, 0), checked: 0, ok: false, damaged: [], ms: 0 };
  const damaged = new Map<string, string>();

  // Who uses each stream, from every image's metadata (read once, checked against its SHA-1).
  const users = new Map<string, string[]>();
  let metadataOk = true;
  for (let index = 1; index <= archive.imageCount; index++) {
    let dentries;
    try {
      ({ dentries } = await archive.image(wim, index, () => createSha1(), log));
    } catch (e) {
      metadataOk = false;
      damaged.set(`metadata-${index}`, `image ${index}'s metadata: ${(e as Error).message}`);
      continue;
    }
    const paths: string[] = new Array<string>(dentries.length);
    dentries.forEach((d, i) => {
      paths[i] = i === 0 ? '' : `${paths[d.parent]}/${d.name}`;
      for (const h of [d.data, d.reparseData, ...d.streams.map((s) => s.sha1)]) {
        if (h === null) continue;
        const list = users.get(h) ?? [];
        if (list.length < MAX_PATHS) list.push(`${index}:${paths[i] || '/'}`);
        users.set(h, list);
      }
    });
  }
  for (const h of users.keys()) if (!archive.table.blobs.has(h)) damaged.set(h, 'missing: the blob table has no such stream');

  // Resources in file order, each one's blobs in their order inside it.
  const byResource = new Map<ResourceSpec, BlobDescriptor[]>();
  for (const b of blobs) byResource.set(b.resource, [...(byResource.get(b.resource) ?? []), b]);
  const resources = [...byResource].sort((a, b) => a[0].offsetInWim - b[0].offsetInWim);
  const hasher = await sha1('sha1');
  let done = 0;
  for (const [, inResource] of resources) {
    inResource.sort((a, b) => a.offsetInResource - b.offsetInResource);
    // One reader for the resource: its decompressed chunks serve every blob in it (a solid chunk holds many).
    const reader = archive.resourceReader(wim, inResource[0]!);
    for (const b of inResource) {
      if (signal?.aborted) throw new DOMException('stream check cancelled', 'AbortError');
      const src = archive.blobSource(wim, b, b.sha1, reader);
      hasher.reset();
      let at = 0;
      try {
        while (at < b.size) {
          const piece = await src.read(at, Math.min(PIECE, b.size - at));
          if (piece.length === 0) throw new Error(`the stream ends after ${at} of ${b.size} bytes`);
          hasher.update(piece);
          at += piece.length;
          done += piece.length;
          onProgress?.({ bytesDone: done, bytesTotal: result.bytes });
        }
        const actual = hasher.digest();
        if (actual === b.sha1) result.checked++;
        else damaged.set(b.sha1, `its data has SHA-1 ${actual}`);
      } catch (e) {
        done += b.size - at;
        damaged.set(b.sha1, (e as Error).message);
      }
    }
  }
  result.damaged = [...damaged].slice(0, MAX_LISTED).map(([h, reason]) => ({ sha1: h.startsWith('metadata-') ? '' : h, reason, paths: users.get(h) ?? [] }));
  result.ok = metadataOk && damaged.size === 0 && result.checked === blobs.length;
  result.ms = Math.round(performance.now() - t0);
  return result;
}
