/**
 * The report: the one plain-data object every reader contributes to, the CLI
 * prints, the worker returns and the app exports. docs/report.md documents it.
 */
import type { Problem } from '../io/problems.ts';
import type { WindowsReport } from '../formats/windows/identify.ts';

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
  joliet: null | import('./volume-info.ts').JolietInfo;
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

export interface Report {
  tool: { name: 'isoscope'; version: string; reportVersion: 1 };
  /** `url`: the address read, after redirects, when the image was read over HTTP (CLI); `path`: as given, in a CLI batch's NDJSON. */
  file: { name: string; size: number; url?: string; path?: string };
  /**
   * What kind of thing this is: "iso9660", "udf", "wim", "disk" (a partition table), a bare volume's file system
   * ("fat", "exfat", "ntfs", "hpfs", "bitlocker", "befs"), or null when nothing was recognised.
   */
  kind: string | null;
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
  volumes: import('./volume-info.ts').FileSystemVolume[];
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
  provenance?: import('./provenance.ts').Provenance;
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
    /** Over HTTP: the range requests made and the bytes their bodies carried (blocks of 64 KiB, so a little more than bytesRead). */
    requests?: number;
    bytesTransferred?: number;
  };
  warnings: Problem[];
  errors: Problem[];
}
