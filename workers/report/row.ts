/**
 * A report as one row of a table: the CLI's --csv, the app's folder table
 * and its CSV/JSON export all use this, so a batch reads the same wherever it
 * is shown. Plain strings and numbers only: a row is what a table of a
 * thousand images keeps per image (the full report is read again when a row
 * is opened).
 */
import type { Report } from './types.ts';
import { bootSummary, headline } from './describe.ts';

/**
 * File names that say "disc image": such a file that is not recognised is a
 * failure in a batch, not a file passed over (the CLI's batches and the app's
 * folder table). A CUE sheet is named by the CLI only: it opens its BIN there.
 */
export const IMAGE_NAME = /\.(iso|img|bin|nrg|mdf|wim|esd|swm|udf|ima|dsk|hdd|raw|dd|toast|cdr)$/i;

export interface ReportRow {
  path: string;
  size: number;
  recognised: boolean;
  kind: string | null;
  /** The one-line identity (describe.ts headline). */
  what: string | null;
  product: string | null;
  editions: string | null;
  arch: string | null;
  languages: string | null;
  build: string | null;
  label: string | null;
  boot: string | null;
  /** The provenance summary, where there is one. */
  genuine: string | null;
  /** A header signal says another tool rebuilt or altered the disc (strong signals only). */
  rebuilt: boolean;
  sha256: string | null;
  sha1: string | null;
  md5: string | null;
  /** Problem codes, space-separated. */
  problems: string;
  /**
   * What the problems mean for a person, for a mark beside the name: `incomplete` (the volume goes on past the
   * file's end: a cut download), `damaged` (a structure could not be read), or null. Not a CSV column (`problems` is).
   */
  condition?: 'incomplete' | 'damaged' | null;
}

const ROW_COLUMNS = [
  'path',
  'size',
  'recognised',
  'kind',
  'what',
  'product',
  'editions',
  'arch',
  'languages',
  'build',
  'label',
  'boot',
  'genuine',
  'rebuilt',
  'sha256',
  'sha1',
  'md5',
  'problems',
] as const satisfies readonly (keyof ReportRow)[];

const joined = (xs: (string | null | undefined)[]): string | null => [...new Set(xs.filter((x): x is string => !!x))].join(' ') || null;

export function reportRow(r: Report, path: string): ReportRow {
  const w = r.windows;
  return {
    path,
    size: r.file.size,
    recognised: r.recognised,
    kind: r.kind,
    what: headline(r),
    product: w?.product?.name ?? r.os?.name ?? null,
    editions: w ? joined(w.images.map((i) => i.editionId)) : null,
    arch: w ? joined(w.images.map((i) => i.arch)) : (r.os?.arch ?? null),
    languages: w ? joined(w.images.flatMap((i) => i.languages)) : null,
    build: w ? joined(w.images.map((i) => i.version)) : (r.os?.version ?? null),
    label: r.filesystems.joliet?.label || r.volume?.label || null,
    boot: r.boot ? bootSummary(r) : null,
    genuine: r.provenance?.summary ?? null,
    rebuilt: r.provenance?.signals.some((s) => s.strength === 'strong' && s.verdict !== 'consistent' && s.verdict !== 'info') ?? false,
    sha256: r.hashes?.sha256 ?? null,
    sha1: r.hashes?.sha1 ?? null,
    md5: r.hashes?.md5 ?? null,
    problems: [...r.errors, ...r.warnings].map((p) => p.code).join(' '),
    condition: r.warnings.some((w) => w.code === 'IMAGE_TRUNCATED')
      ? 'incomplete'
      : r.recognised && (r.errors.length > 0 || !!r.windows?.unreadable)
        ? 'damaged'
        : null,
  };
}

function csvCell(v: string | number | boolean | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvHeader = (): string => ROW_COLUMNS.join(',');
export const csvLine = (row: ReportRow): string => ROW_COLUMNS.map((c) => csvCell(row[c])).join(',');
