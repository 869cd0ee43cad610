/**
 * The report: the one plain-data object every reader contributes to, the CLI
 * prints, the worker returns and the app exports. docs/report.md documents it.
 */
import type { Problem } from '../io/problems.ts';
import type { WindowsReport } from '../formats/windows/identify.ts';
import type { CatalogueHash } from '../catalogue/types.ts';
import type { VolumeType } from '../formats/volumes/probe.ts';

export interface VolumeInfo {
  label: string;
  systemId: string;
  volumeSetId: string;
  publisherId: string;
  preparerId: string;
  applicationId: string;
  copyrightFileId: string;
  abstractFileId: string;
  bibliographicFileId: string;
  /** ISO 8601 with the volume's own GMT offset, or null when unspecified. */
  created: string | null;
  modified: string | null;
  expires: string | null;
  effective: string | null;
  blockSize: number;
  blockCount: number;
  volumeSetSize: number;
  volumeSequenceNumber: number;
  pathTableSize: number;
  pathTableL: number;
  pathTableM: number;
  /** Where the volume says it ends, in bytes (blockCount × blockSize). */
  volumeBytes: number;
}

export interface FileSystems {
  iso9660: boolean;
  /** The Joliet descriptor: its level, its own identifiers, and the full label (volume-info.ts). */
  joliet: null | JolietInfo;
  rockRidge: boolean;
  /** SUSP ER extension identifier, e.g. "RRIP_1991A" or "IEEE_P1282". */
  rockRidgeId: string | null;
  udf: null | UdfSummary;
}

export type { UdfSummary } from './udf-summary.ts';
import type { UdfSummary } from './udf-summary.ts';
import type { BootEmulation, BootPlatform } from '../formats/iso9660/eltorito.ts';
export type { BootEmulation, BootPlatform };
import type { PartitionEntry, PartitionInfo } from '../formats/disk/partitions.ts';
export type { PartitionEntry, PartitionInfo };

export interface BootEntry {
  /** 1-based, in catalog order (as xorriso numbers them). */
  index: number;
  platform: BootPlatform;
  bootable: boolean;
  emulation: BootEmulation;
  loadSegment: number;
  systemType: number;
  /** Sector count from the catalog entry (512-byte virtual sectors). */
  sectorCount: number;
  /** Image size in 512-byte sectors: sectorCount, or from the FAT boot sector when the entry says 0 or 1 (UEFI). */
  imageSectors: number;
  sizeFrom: 'catalog' | 'fat-boot-sector';
  lba: number;
  path: string | null;
  /** Section id string (section entries only). */
  sectionId: string | null;
}

export interface BootInfo {
  catalogLba: number;
  catalogPath: string | null;
  validation: { platform: BootPlatform; idString: string; checksumOk: boolean };
  entries: BootEntry[];
}

export interface FileEntry {
  path: string;
  size: number;
  dir: boolean;
  /** ISO 8601, when the tree records one. */
  modified?: string | null;
  /** The file is stored compressed (Rock Ridge ZF): `size` is its real size, `storedSize` what the disc holds. */
  compressed?: 'zisofs';
  storedSize?: number;
  /** A symbolic link (Rock Ridge SL, RRIP §4.1.3): its target, as recorded. */
  symlink?: string;
  /** Files inside a WIM image: attributes, times, SHA-1, 8.3 name, streams, reparse tag (formats/tree.ts FileDetails). */
  details?: import('../formats/tree.ts').FileDetails;
}

/** Every stream of an install image checked against the SHA-1 its blob table lists (what `wimlib-imagex verify` does). */
export interface StreamCheck {
  imageFile: string;
  /** Blobs in the table, and their bytes (uncompressed). */
  blobs: number;
  bytes: number;
  /** Blobs hashed and found to match. */
  checked: number;
  /** True only when every metadata resource and every blob was read and matched, and no file refers to a missing one. */
  ok: boolean;
  /** Damaged or missing streams, each with the files that use them ("2:/Windows/…": image and path; at most 200 listed). */
  damaged: { sha1: string; reason: string; paths: string[] }[];
  ms: number;
}

/**
 * What a file was recognised as: a disc ("iso9660", "udf"; "audio-cd": a raw
 * image of audio tracks alone), a bare WIM, a partitioned disk, or a bare
 * volume's file system (the three FATs are "fat"). docs/report.md lists the
 * same (tests/node/report-doc.test.ts).
 */
export type ReportKind = 'iso9660' | 'udf' | 'audio-cd' | 'wim' | 'disk' | 'fat' | 'exfat' | 'ntfs' | 'hpfs' | 'bitlocker' | 'befs';

export interface Report {
  tool: { name: 'isoscope'; version: string; reportVersion: 1 };
  /** `url`: the address read, after redirects, when the image was read over HTTP (CLI); `path`: as given, in a CLI batch's NDJSON. */
  file: { name: string; size: number; url?: string; path?: string };
  /** What kind of thing this is, or null when nothing was recognised. */
  kind: ReportKind | null;
  recognised: boolean;
  volume: VolumeInfo | null;
  filesystems: FileSystems;
  boot: BootInfo | null;
  partitions: PartitionInfo;
  /**
   * Present when the file stores whole sectors (a raw BIN, a Nero image, a CUE sheet's track): how its
   * 2048-byte user data was found. Everything else in the report is read through it.
   */
  sectors?: import('../formats/disk/raw-sectors.ts').SectorsSummary;
  /** A multi-session disc: every session found, and which one the report describes (the last unless asked). */
  sessions?: { list: import('../formats/iso9660/sessions.ts').IsoSession[]; read: number };
  /** File systems named by their own boot sectors: a bare volume (the whole image), or what each partition holds. */
  volumes: FileSystemVolume[];
  files?: FileEntry[];
  /** The directory trees on the disc, best first ("udf", "rockridge", "joliet", "iso9660"). */
  trees?: string[];
  /** Which tree `files` came from. */
  filesFrom?: import('../formats/tree.ts').TreeId | null;
  windows?: WindowsReport;
  /** Every file of every image inside the install image (--wim-files): the image's index, name, tree id and files with their details. */
  wimFiles?: { image: number; label: string; tree: string; files: FileEntry[] }[];
  /** The UEFI boot loaders (EFI/BOOT/BOOT*.EFI) and who their Authenticode signatures name (report/secure-boot.ts). */
  bootLoaders?: import('./secure-boot.ts').BootLoaderReport[];
  /**
   * Verified signatures (report/signatures.ts): the disc's own executables (setup.exe, sources/, bootmgr.efi, EFI loaders)
   * within the inspection's read budget, and with --verify-signatures every system file of the install image's editions.
   */
  signatures?: import('./signatures.ts').SignaturesReport;
  /** What a non-Windows disc says it is (formats/os-identity.ts): Debian's .disk/info, .treeinfo, FreeBSD's volume id, … */
  os?: import('../formats/os-identity.ts').OsIdentity;
  hashes?: Record<string, string>;
  /** "Is it genuine?": the catalogue's answers (size, then hash) and the provenance signals (report/provenance.ts). */
  provenance?: Provenance;
  /** A checksum given by the user (--check), compared with `hashes`. */
  verification?: import('../hash/checksums.ts').MatchResult & {
    source: string;
    /** With --key: what the checksum file's OpenPGP signature said (only a good one passes). */
    signature?: import('../hash/signed-checksums.ts').ListSignature;
  };
  /** The install image's integrity table, verified in place (--verify-wim). */
  wimIntegrity?: import('../formats/wim/integrity.ts').IntegrityResult & { imageFile: string };
  /** Every stream of the install image decompressed and checked against its SHA-1 (--verify-wim=full; core/verify-streams.ts). */
  wimStreams?: StreamCheck;
  stats: {
    reads: number;
    bytesRead: number;
    ms: number;
    /** Where the inspection read the file: [offset, length] pairs, touching reads joined, in file order (the first 2048). */
    ranges?: [number, number][];
    hashMs?: number;
    hashBytes?: number;
    integrityMs?: number;
    /** The time the disc's own executables' signatures took (kept here: the report's body depends on the bytes alone). */
    signaturesMs?: number;
    /** Over HTTP: the range requests made and the bytes their bodies carried (blocks of 64 KiB, so a little more than bytesRead). */
    requests?: number;
    bytesTransferred?: number;
  };
  warnings: Problem[];
  errors: Problem[];
}

/* The provenance section (report/provenance.ts makes it, report/verdict.ts words its verdict). */

export interface ReleaseRef {
  id: string;
  names: string[];
  size: number | null;
  product: string | null;
  edition: string | null;
  release: string | null;
  language: string | null;
  arch: string | null;
  channel: string | null;
  hashes: Partial<Record<CatalogueHash, string>>;
  /** The repositories that state this release. */
  sources: string[];
  /** Fields two independent lineages state alike. */
  confirmed: string[];
}

export interface ProvenanceSignal {
  id: string;
  /** Plain words for a non-expert. */
  title: string;
  verdict: 'consistent' | 'rebuilt' | 'altered' | 'added' | 'info';
  strength: 'strong' | 'weak';
  saw: string;
  microsoft: string;
  /** Anchor in docs/provenance.md where the fact and its source are. */
  source: string;
}

export interface Provenance {
  catalogue: { releases: number; built: string };
  size: {
    /** 'not-a-release-file': the Windows files sit on a volume (a USB stick image), which no catalogued ISO can be. */
    verdict: 'candidate' | 'no-release-of-this-size' | 'unknown' | 'not-a-release-file' | 'contradicts';
    candidates: ReleaseRef[];
    statement: string;
  };
  /** The hash(es) to compute to settle it: those the candidates (else the product's releases) are catalogued with. */
  toConfirm: CatalogueHash[];
  /** After hashing: identical to a release, or not any release in the catalogue. */
  match: null | {
    verdict: 'identical' | 'not-in-catalogue';
    algorithm: CatalogueHash | null;
    releases: ReleaseRef[];
    statement: string;
  };
  signals: ProvenanceSignal[];
  /** The install image was read from the inside (its images' metadata and blob table: report/inside-wim.ts), and how many images. */
  inside?: { images: number };
  /** One line: the strongest thing that can honestly be said. */
  summary: string;
}

/** One file system named by its own boot sector. */
export interface FileSystemVolume {
  /** "fat12", "fat16", "fat32", "exfat", "ntfs", "hpfs", "bitlocker", "befs" (blkid's TYPE is "vfat" for the three FATs). */
  type: VolumeType;
  /** The partition it fills (its index in `partitions.entries`), or null for a bare volume at the image's start. */
  partition: number | null;
  /** Absolute byte offset in the image. */
  offset: number;
  /** Bytes the volume says it spans, or null when it does not say. */
  size: number | null;
  label: string | null;
  /** Serial number or UUID, as blkid prints it ("AD74-BFD5", 16 hex digits for NTFS). */
  serial: string | null;
  sectorSize: number | null;
  clusterSize: number | null;
  version: string | null;
}

/** The Joliet supplementary descriptor's own identifiers (ECMA-119 §8.5 in UCS-2), and the ones blkid shows. */
export interface JolietInfo {
  level: 1 | 2 | 3;
  volumeId: string;
  systemId: string;
  volumeSetId: string;
  publisherId: string;
  preparerId: string;
  applicationId: string;
  /**
   * The volume's label in full: Joliet holds 16 UCS-2 characters, the primary
   * descriptor 32 of a restricted ASCII ("_" for what it cannot hold). Where
   * Joliet's is a prefix of the primary's (ignoring case and "_"), the two are
   * joined: Joliet's characters, then the rest of the primary's (as blkid
   * reconstructs LABEL); else Joliet's own.
   */
  label: string;
  /**
   * The identifiers as blkid shows them for this volume (util-linux 2.38:
   * SYSTEM_ID, VOLUME_SET_ID, PUBLISHER_ID, DATA_PREPARER_ID,
   * APPLICATION_ID), joined from Joliet's and the primary's as `label` is
   * (Joliet holds 64 characters of the 128 the primary holds, 16 of 32 for the
   * system id); where they disagree, Joliet's own; a publisher, preparer or
   * application id Joliet leaves empty (or starting with "_") is the
   * primary's. White space trimmed at both ends; null where blkid shows none.
   */
  joined: {
    systemId: string | null;
    volumeSetId: string | null;
    publisherId: string | null;
    preparerId: string | null;
    applicationId: string | null;
  };
}
