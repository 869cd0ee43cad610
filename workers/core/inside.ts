/**
 * The facts from inside an install image that its provenance signals read
 * (report/inside-wim.ts): every image's metadata (its files' paths, times,
 * security descriptors, 8.3 names), summed up image by image, and the blob
 * table's reference counts
 * against the references the images make. Metadata and the blob table only:
 * no file's data is read.
 */
import type { ByteSource } from '../io/byte-source.ts';
import type { ProblemLog } from '../io/problems.ts';
import { createSha1 } from '../hash/sha1.ts';
import type { WimArchive } from '../formats/wim/archive.ts';
import { FILE_ATTRIBUTE, type WimMetadata } from '../formats/wim/metadata.ts';
import { ImageSummary, lateCutoff, type InsideFacts } from '../report/inside-wim.ts';

export async function insideFacts(archive: WimArchive, wim: ByteSource, imageFile: string, labels: Map<number, string>, log: ProblemLog): Promise<InsideFacts> {
  const facts: InsideFacts = { imageFile, images: [], unreferenced: { count: 0, bytes: 0 }, refMismatches: 0, unreadable: [] };
  const uses = new Map<string, number>();
  // Each image references its blobs, and the blob table counts every image's references: an image walked once stands for
  // every image sharing its metadata resource.
  const sharing = new Map<number, number>();
  for (let index = 1; index <= archive.imageCount; index++) sharing.set(archive.sameTreeAs(index), (sharing.get(archive.sameTreeAs(index)) ?? 0) + 1);
  let weight = 1;
  const use = (sha1: string | null) => sha1 !== null && uses.set(sha1, (uses.get(sha1) ?? 0) + weight);
  const buildOf = (index: number) => {
    const xml = archive.info.images.find((i) => i.index === index);
    return xml?.build != null && xml.spBuild != null ? `${xml.build}.${xml.spBuild}` : null;
  };
  // The build the images say (the first that says one) decides which files were written after it.
  let build: string | null = null;
  for (let index = 1; index <= archive.imageCount && build === null; index++) build = buildOf(index);
  const cutoff = lateCutoff(build);
  // The first image read, its paths in lowercase: the others are told apart from it. Only its set is kept, never every image's files.
  let first: Set<string> | null = null;
  let firstIndex = 0;
  for (let index = 1; index <= archive.imageCount; index++) {
    // An image with an earlier image's metadata resource is that image again: its summary, not a second walk of it.
    const same = facts.images.find((i) => i.index === archive.sameTreeAs(index));
    if (same && same.index !== index) {
      const versusFirst = same.index === firstIndex ? { adds: { count: 0, first: [] }, lacks: 0 } : same.versusFirst;
      facts.images.push({ ...same, index, label: labels.get(index) ?? `${index}`, build: buildOf(index), versusFirst });
      continue;
    }
    let metadata: WimMetadata;
    try {
      metadata = await archive.image(wim, index, () => createSha1(), log, { keep: false });
    } catch (e) {
      log.fail(e, `WIM image ${index} metadata`, null);
      facts.unreadable.push({ index, reason: (e as Error).message });
      continue;
    }
    weight = sharing.get(index) ?? 1;
    const summary = new ImageSummary(index, labels.get(index) ?? `${index}`, buildOf(index), cutoff, first);
    const keep: Set<string> | null = first === null ? new Set<string>() : null;
    const paths: string[] = new Array<string>(metadata.dentries.length);
    metadata.dentries.forEach((d, i) => {
      // Parents come before their children (the metadata is read breadth-first), so each path is its parent's plus its name.
      paths[i] = i === 0 ? '' : `${paths[d.parent]}/${d.name}`;
      use(d.data);
      use(d.reparseData);
      for (const s of d.streams) use(s.sha1);
      if (i > 0 && !(d.attributes & FILE_ATTRIBUTE.directory)) {
        summary.file(paths[i], d.modified, d.securityId, d.shortName !== '');
        keep?.add(paths[i].toLowerCase());
      }
    });
    facts.images.push(summary.done());
    if (!first) {
      first = keep;
      firstIndex = index;
    }
  }
  // Reference counts can only be checked when every image was read.
  if (!facts.unreadable.length)
    for (const b of archive.table.blobs.values()) {
      const n = uses.get(b.sha1) ?? 0;
      if (n === 0) {
        facts.unreferenced.count++;
        facts.unreferenced.bytes += b.size;
      } else if (n !== b.refCount) facts.refMismatches++;
    }
  return facts;
}
