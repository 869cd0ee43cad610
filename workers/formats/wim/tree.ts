/**
 * The images of a WIM as trees, each living inside a file of the disc's own
 * tree (sources/install.wim): a NestedTreeFormat (tree-format.ts). Opening
 * the WIM reads its header, XML and blob table; opening an image reads its
 * metadata resource and nothing else; a file's bytes are read through
 * file-data.ts from only the chunks a read touches.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import { createSha1 } from '../../hash/sha1.ts';
import { imageOffset } from '../file-data.ts';
import { msToIso } from '../timestamps.ts';
import type { NestedTreeFormat } from '../tree-format.ts';
import type { FileDetails, FileStat, TreeEntry, TreeId, TreeReader } from '../tree.ts';
import { WimArchive } from './archive.ts';
import { FILE_ATTRIBUTE, type WimDentry, type WimMetadata } from './metadata.ts';

/** A dentry's index in its image's metadata. */
export type WimRef = number;

/** Milliseconds since 1970 as ISO 8601 (whole milliseconds: a FILETIME's 100 ns are cut, never rounded up). */
const iso = (ms: number | null): string | null => (ms === null ? null : msToIso(ms));

/** One image of a WIM as a TreeReader: its listings come from the parsed metadata, no read needed. */
export class WimImageTree implements TreeReader<WimRef> {
  readonly root: TreeEntry<WimRef>;
  constructor(
    readonly naming: TreeId,
    private readonly archive: WimArchive,
    readonly metadata: WimMetadata,
    /** The WIM file's stat in its parent tree, and its name: a file's bytes are read through them. */
    private readonly container: FileStat,
    private readonly containerName: string,
    /** Where the image's metadata resource lies in the image (its entries' problems are placed there). */
    private readonly metadataAt: number | null = null,
  ) {
    this.root = { name: '', path: '', dir: true, key: 0, ref: 0 };
  }

  offsetOf(): number | null {
    return this.metadataAt;
  }

  /** Listings are data; reads go through the image each caller passes to file-data.ts. */
  on(): WimImageTree {
    return this;
  }

  async list(dir: TreeEntry<WimRef>, log: ProblemLog): Promise<TreeEntry<WimRef>[]> {
    const d = this.metadata.dentries[dir.ref];
    const out: TreeEntry<WimRef>[] = [];
    for (const i of d?.children ?? []) {
      log.budget.entry();
      const c = this.metadata.dentries[i]!;
      out.push({ name: c.name, path: `${dir.path}/${c.name}`, dir: (c.attributes & FILE_ATTRIBUTE.directory) !== 0, key: i, ref: i, stat: this.statOf(c) });
    }
    return out;
  }

  async stat(entry: TreeEntry<WimRef>): Promise<FileStat> {
    const d = this.metadata.dentries[entry.ref];
    return d ? this.statOf(d) : { size: 0, modified: null, extents: [] };
  }

  /** The dentry behind an entry (attributes, times, streams: what --wim-files reports). */
  dentry(entry: TreeEntry<WimRef>): WimDentry | undefined {
    return this.metadata.dentries[entry.ref];
  }

  /** A blob's size from the blob table (null: not in this WIM's table, e.g. another part of a split WIM). */
  blobSize(sha1: string | null): number | null {
    if (sha1 === null) return 0;
    return this.archive.table.blobs.get(sha1)?.size ?? null;
  }

  private details(d: WimDentry): FileDetails {
    const details: FileDetails = { attributes: d.attributes, created: iso(d.created), accessed: iso(d.accessed), sha1: d.data, securityId: d.securityId };
    if (d.shortName) details.shortName = d.shortName;
    if (d.streams.length) details.streams = d.streams.map((s) => ({ name: s.name, sha1: s.sha1, size: this.blobSize(s.sha1) }));
    if (d.reparseTag !== null) details.reparseTag = d.reparseTag;
    if (d.linkGroup !== '0') details.linkGroup = d.linkGroup;
    return details;
  }

  private statOf(d: WimDentry): FileStat {
    const dir = (d.attributes & FILE_ATTRIBUTE.directory) !== 0;
    const size = dir ? 0 : (this.blobSize(d.data) ?? 0);
    const stat: FileStat = { size, modified: iso(d.modified), extents: NO_EXTENTS, details: this.details(d) };
    if (!dir && d.data !== null) stat.inside = new BlobInside(this.archive, this.container, this.containerName, d.data, d.name);
    return stat;
  }
}

/** A WIM file's bytes lie in no extent of the image of their own (they are read through the WIM's): one array for every file, never written to. */
const NO_EXTENTS: FileStat['extents'] = Object.freeze([]);

/** Where a file's data is: a blob of the WIM that `container` holds (one small object per file of a listing of 100 000). */
class BlobInside implements NonNullable<FileStat['inside']> {
  constructor(
    private readonly archive: WimArchive,
    readonly container: FileStat,
    readonly containerName: string,
    private readonly sha1: string,
    private readonly name: string,
  ) {}
  open(wim: ByteSource): ByteSource {
    return this.archive.blob(wim, this.sha1, this.name, () => createSha1()) ?? missingBlob(this.name, this.sha1, this.containerName);
  }
}

/** A file whose data the WIM's blob table does not hold (it lies in another part of a split WIM, or the WIM is damaged): reads fail, saying so. */
function missingBlob(name: string, sha1: string, wim: string): ByteSource {
  return {
    name,
    size: 0,
    read: () => Promise.reject(new FormatError('WIM_BLOB_MISSING', `${name}: its data (SHA-1 ${sha1}) is not in ${wim}'s blob table`, 'WIM blob table', null)),
  };
}

/** WIM, ESD and split SWM files (by name; the header's magic decides when opened). */
const WIM_NAME = /\.(wim|esd|swm)$/i;

/**
 * The images of a WIM, each opened on demand. The metadata resources are
 * checked with SHA-1 in WebAssembly (hash/sha1.ts): one code path in the
 * worker and the CLI.
 */
export const wimTrees: NestedTreeFormat<WimArchive> = {
  holds: (name) => WIM_NAME.test(name),
  async open(file, container, containerName, naming, log) {
    // The archive places every offset it logs or throws in the image (through the WIM's extents).
    const archive = await WimArchive.open(file, log, (o) => imageOffset(container, o));
    const images = archive.info.images.length
      ? archive.info.images.map((img) => ({ index: img.index, label: `${img.index} · ${img.displayName ?? img.name ?? `Image ${img.index}`}` }))
      : archive.table.metadata.map((_, i) => ({ index: i + 1, label: `${i + 1} · Image ${i + 1}` }));
    return {
      images,
      found: archive,
      async tree(index, wim, reqLog) {
        const metadata = await archive.image(wim, index, () => createSha1(), reqLog);
        const at = archive.table.metadata[index - 1]?.resource.offsetInWim;
        return new WimImageTree(naming(index), archive, metadata, container, containerName, at === undefined ? null : imageOffset(container, at));
      },
    };
  },
};
