/**
 * The facts from inside an install image that its provenance signals read
 * (report/inside-wim.ts): every image's metadata (its files' paths, times,
 * security descriptors, 8.3 names) and the blob table's reference counts
 * against the references the images make. Metadata and the blob table only:
 * no file's data is read.
 */
import type { ByteSource } from '../io/byte-source.ts';
import type { ProblemLog } from '../io/problems.ts';
import { createSha1 } from '../hash/sha1.ts';
import type { WimArchive } from '../formats/wim/archive.ts';
import { FILE_ATTRIBUTE, type WimMetadata } from '../formats/wim/metadata.ts';
import type { InsideFacts, InsideFile } from '../report/inside-wim.ts';

export async function insideFacts(archive: WimArchive, wim: ByteSource, imageFile: string, labels: Map<number, string>, log: ProblemLog): Promise<InsideFacts> {
  const facts: InsideFacts = { imageFile, images: [], unreferenced: { count: 0, bytes: 0 }, refMismatches: 0, unreadable: [] };
  const uses = new Map<string, number>();
  const use = (sha1: string | null) => sha1 !== null && uses.set(sha1, (uses.get(sha1) ?? 0) + 1);
  for (let index = 1; index <= archive.imageCount; index++) {
    let metadata: WimMetadata;
    try {
      metadata = await archive.image(wim, index, () => createSha1(), log);
    } catch (e) {
      log.fail(e, `WIM image ${index} metadata`, null);
      facts.unreadable.push({ index, reason: (e as Error).message });
      continue;
    }
    const xml = archive.info.images.find((i) => i.index === index);
    const files: InsideFile[] = [];
    const paths: string[] = new Array<string>(metadata.dentries.length);
    metadata.dentries.forEach((d, i) => {
      // Parents come before their children (the metadata is read breadth-first), so each path is its parent's plus its name.
      paths[i] = i === 0 ? '' : `${paths[d.parent]}/${d.name}`;
      use(d.data);
      use(d.reparseData);
      for (const s of d.streams) use(s.sha1);
      if (i > 0 && !(d.attributes & FILE_ATTRIBUTE.directory))
        files.push({ path: paths[i]!, modified: d.modified, securityId: d.securityId, shortName: d.shortName !== '' });
    });
    facts.images.push({
      index,
      label: labels.get(index) ?? `${index}`,
      build: xml?.build != null && xml.spBuild != null ? `${xml.build}.${xml.spBuild}` : null,
      files,
    });
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
