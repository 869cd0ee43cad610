/**
 * How a file-system format offers its trees to the inspection: each format
 * folder exports one TreeFormat, and the core's registry
 * (core/tree-formats.ts) lists them, best first. Adding a tree format is a
 * new folder with its reader and one registration line.
 *
 * A format is handed the structures the earlier stages found (the volume
 * descriptor set, the chosen session, the volumes named by their boot
 * sectors) and answers with its trees, plus what it found about the volume
 * (`found`), which the registry's report mapper turns into report fields.
 */
import type { ByteSource } from '../io/byte-source.ts';
import type { ProblemLog } from '../io/problems.ts';
import type { VolumeDescriptorSet } from './iso9660/descriptors.ts';
import type { FileStat, TreeId, TreeReader } from './tree.ts';
import type { ProbedVolume } from './volumes/probe.ts';

export interface DiscStructures {
  /** The image as the opening request reads it. */
  image: ByteSource;
  log: ProblemLog;
  vds: VolumeDescriptorSet | null;
  /** The sector the chosen session starts at. */
  sessionStart: number;
  /** File systems named by their boot sectors (a bare volume, partitions). */
  volumes: readonly ProbedVolume[];
}

export interface OpenedTrees<F> {
  /** Best first. */
  trees: TreeReader<unknown>[];
  found: F;
}

export interface TreeFormat<F> {
  /**
   * The format's trees on this disc, or null when it has none. Faults are
   * logged here, with their image offsets (the disc's other trees still
   * show); only the budget's end may escape.
   */
  open(disc: DiscStructures): Promise<OpenedTrees<F> | null>;
}

/** The trees inside one file (the images of a WIM), each opened when asked for. */
export interface NestedTrees<F> {
  /** Each tree's number in the file (a WIM's image index) and how to show it ("2 · Windows 7 PROFESSIONAL"). */
  images: { index: number; label: string }[];
  /** What the format found about the file as a whole (a WIM's header, XML and blob table). */
  found: F;
  /** Image `index` as a tree, reading the file through `file` (this request's view of it). */
  tree(index: number, file: ByteSource, log: ProblemLog): Promise<TreeReader<unknown>>;
}

/**
 * A format whose trees live inside a file of another tree (the editions of
 * sources/install.wim). Registered in core/tree-formats.ts like the disc's
 * own formats.
 */
export interface NestedTreeFormat<F> {
  /** Whether a file of this name may hold such trees (opening checks its bytes). */
  holds(name: string): boolean;
  /**
   * Open `file` (its bytes through this request's view; `container` its stat
   * in the parent tree, so its trees' files can be read again later by any
   * request). `naming(index)` is the id image `index`'s tree is known by.
   */
  open(file: ByteSource, container: FileStat, containerName: string, naming: (index: number) => TreeId, log: ProblemLog): Promise<NestedTrees<F>>;
}
