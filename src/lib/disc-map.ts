/**
 * The disc picture's parts: where the file's bytes go (the volume, its
 * sessions, partitions, boot images, install.wim and its resources, what
 * lies past the volume or is missing from a cut file) and where isoscope
 * read them (report.stats.ranges), as [offset, length] in the file. Built
 * from report objects only; install.wim's place on the disc is asked of the
 * worker (its extents, as the file browser saves a file).
 */
import type { Report } from '../../workers/report/types.ts';

export type PartKind = 'volume' | 'session' | 'partition' | 'boot' | 'wim' | 'resource' | 'beyond' | 'missing';

export interface MapPart {
  id: string;
  kind: PartKind;
  /** The lane it is drawn in: what holds what. */
  lane: 0 | 1 | 2;
  label: string;
  offset: number;
  length: number;
  /** A line more, for the legend. */
  note?: string;
}

/** A file's extents on the disc (the worker's fileContents): `offset` null for a sparse run. */
export type Extents = readonly { offset: number | null; length: number }[];

export interface DiscMap {
  /** The file's size. */
  size: number;
  /** What the bar spans: the file, or further where the volume says it goes on (a cut file). */
  span: number;
  parts: MapPart[];
  /** Where the inspection read the file, as the report logged it. */
  reads: [number, number][];
  bytesRead: number;
}

const RESOURCE_NAMES = {
  blobTable: 'blob table',
  xmlData: 'XML data (the editions)',
  bootMetadata: 'boot image metadata',
  integrityTable: 'integrity table',
} as const;

/** Offsets in a file on the disc, mapped through its extents to runs of the image (a range can cross extents). */
function throughExtents(extents: Extents, offset: number, length: number): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (const e of extents) {
    const from = Math.max(offset, at);
    const to = Math.min(offset + length, at + e.length);
    if (to > from && e.offset !== null) out.push([e.offset + (from - at), to - from]);
    at += e.length;
    if (at >= offset + length) break;
  }
  return out;
}

/**
 * The parts of `r`'s file. `wim`: install.wim's extents in the file (null
 * when unknown: a report from history, a raw-sector image whose offsets are
 * not the file's).
 */
export function discMap(r: Report, wim: Extents | null = null): DiscMap {
  const size = r.file.size;
  const parts: MapPart[] = [];
  // A raw-sector image (BIN, NRG) holds 2048 bytes of every 2352: the volume's offsets are not the file's.
  const plain = !r.sectors;
  /** Where the volume (and its sessions) say the image ends; partitions may reach past it (a GPT's backup). */
  let end = 0;
  let partEnd = 0;
  if (plain && r.volume) {
    const bytes = r.volume.volumeBytes;
    parts.push({ id: 'volume', kind: 'volume', lane: 0, label: `Volume “${r.volume.label || 'no label'}”`, offset: 0, length: bytes });
    end = Math.max(end, bytes);
  } else if (plain) {
    const bare = r.volumes.find((v) => v.partition === null && v.size);
    if (bare?.size) {
      parts.push({ id: 'volume', kind: 'volume', lane: 0, label: `${bare.type.toUpperCase()} volume`, offset: bare.offset, length: bare.size });
      end = Math.max(end, bare.offset + bare.size);
    }
  }
  if (plain && r.sessions)
    for (const s of r.sessions.list) {
      const length = Math.max(0, s.volumeBlocks - s.start) * 2048;
      parts.push({
        id: `session-${s.number}`,
        kind: 'session',
        lane: 1,
        label: `Session ${s.number} “${s.volumeId}”`,
        offset: s.start * 2048,
        length,
        note: s.number === r.sessions.read ? 'the one this report reads' : undefined,
      });
      end = Math.max(end, s.start * 2048 + length);
    }
  if (plain) {
    for (const p of r.partitions.entries) {
      parts.push({
        id: `partition-${p.index}`,
        kind: 'partition',
        lane: 1,
        label: `Partition ${p.index}: ${p.name || p.typeName}`,
        offset: p.start * 512,
        length: p.count * 512,
      });
      partEnd = Math.max(partEnd, (p.start + p.count) * 512);
    }
    const apm = r.partitions.apm;
    if (apm && !r.partitions.entries.length)
      for (const p of apm.entries) {
        parts.push({
          id: `apm-${p.index}`,
          kind: 'partition',
          lane: 1,
          label: `Apple partition ${p.index}: ${p.name || p.typeName}`,
          offset: p.start * apm.blockSize,
          length: p.count * apm.blockSize,
        });
      }
    for (const e of r.boot?.entries ?? [])
      parts.push({
        id: `boot-${e.index}`,
        kind: 'boot',
        lane: 2,
        label: `Boot image ${e.index} (${e.platform.toUpperCase()})${e.path ? ` ${e.path}` : ''}`,
        offset: e.lba * 2048,
        length: e.imageSectors * 512,
      });
  }
  const w = r.windows;
  const wimExtents: Extents | null = r.kind === 'wim' ? [{ offset: 0, length: size }] : plain ? wim : null;
  if (w && wimExtents) {
    const name = w.imageFile.replace(/^.*\//, '');
    wimExtents.forEach((e, i) => {
      if (e.offset !== null)
        parts.push({
          id: `wim-${i}`,
          kind: 'wim',
          lane: 2,
          label: wimExtents.length > 1 ? `${name}, part ${i + 1} of ${wimExtents.length}` : name,
          offset: e.offset,
          length: e.length,
        });
    });
    for (const [key, label] of Object.entries(RESOURCE_NAMES) as [keyof typeof RESOURCE_NAMES, string][]) {
      const res = w.resources[key];
      if (!res.sizeInWim) continue;
      throughExtents(wimExtents, res.offsetInWim, res.sizeInWim).forEach(([offset, length], i, all) =>
        parts.push({
          id: `res-${key}-${i}`,
          kind: 'resource',
          lane: 2,
          label: `${name}: ${label}${all.length > 1 ? ` (${i + 1} of ${all.length})` : ''}`,
          offset,
          length,
        }),
      );
    }
  }
  const used = Math.max(end, Math.min(partEnd, size));
  if (end > size)
    parts.push({
      id: 'missing',
      kind: 'missing',
      lane: 0,
      label: 'Missing: the volume goes on past the end of this file',
      offset: size,
      length: end - size,
    });
  else if (used > 0 && used < size)
    parts.push({ id: 'beyond', kind: 'beyond', lane: 0, label: 'Past the volume’s end (padding or appended data)', offset: used, length: size - used });
  return { size, span: Math.max(size, end), parts, reads: r.stats.ranges ?? [], bytesRead: r.stats.bytesRead };
}
