/**
 * The catalogue of Microsoft's installation images as public sources list
 * them (MSDN's listing as archived, download pages, tools' hash lists): what
 * each source states about a file (its name, size and hashes), merged into
 * one row per set of bytes. A row is only what its sources state, never a
 * check by Microsoft; see workers/catalogue/build/ for how it is made and
 * docs/catalogue.md for the coverage.
 */

export type CatalogueHash = 'md5' | 'sha1' | 'sha256';
/** eD2k's hash (MD4 of 9,728,000-byte parts, then of their digests): 32 hex digits, like an MD5. */
export type CatalogueField = 'size' | CatalogueHash | 'ed2k';

export interface CatalogueSource {
  /** Short id rows refer to, e.g. "malboxes". */
  id: string;
  /** owner/name on GitHub. */
  repo: string;
  path: string;
  /** The commit the facts were read at (for a history source: the newest one read). */
  commit: string;
  /** Where a person can read it. */
  url: string;
  /** Whether the publisher of the statement is Microsoft or a community project (every source so far is a community one). */
  publisher: 'microsoft' | 'community';
  /**
   * Sources copied from one another share a lineage; only statements from
   * different lineages confirm each other.
   */
  lineage: string;
  /** What the source is, in a few words. */
  what: string;
}

/** One source's statement about one file. */
export interface CatalogueStatement {
  source: string;
  /** The file name as the source gives it. */
  name: string | null;
  /** Which fields this source states. */
  fields: CatalogueField[];
  /** Where in the source (a function, a key, a line, a commit of its history). */
  where: string;
  /**
   * The commit gave this name to a hash and size the source had already
   * stated under another name (or none): a changed URL, not evidence for the
   * name, which the row therefore does not carry.
   */
  nameCarried?: true;
}

export interface CatalogueRelease {
  /** Stable id: the first hash of the row (sha256, else sha1, else md5, else ed2k). */
  id: string;
  /** Every official name the sources give these bytes. */
  names: string[];
  size: number | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  /** The eD2k hash, where a source gives one (MSDN's listing as archived gives an ed2k link per file). */
  ed2k?: string;
  product: string | null;
  edition: string | null;
  /** Service pack or feature update: "SP1", "22H2", "with Update". */
  release: string | null;
  build: string | null;
  language: string | null;
  arch: 'x86' | 'x64' | 'arm64' | 'ia64' | null;
  channel: 'msdn' | 'vlsc' | 'retail' | 'download' | 'evaluation' | 'oem' | null;
  statements: CatalogueStatement[];
  /** Fields stated identically by sources of two or more lineages. */
  confirmed: CatalogueField[];
}

export interface CatalogueData {
  /** When the build script last wrote the file (ISO date). */
  built: string;
  sources: CatalogueSource[];
  releases: CatalogueRelease[];
}
