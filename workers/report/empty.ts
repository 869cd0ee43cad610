/**
 * A report with nothing found yet: what an inspection starts from (the
 * stages fill it in), and all that a file which could not be opened gets.
 */
import type { Problem } from '../io/problems.ts';
import type { Report } from './types.ts';

/** `version`: the tool's (workers/version.ts, above this layer). */
export function emptyReport(file: Report['file'], version: string, problems: { warnings?: Problem[]; errors?: Problem[] } = {}): Report {
  return {
    tool: { name: 'isoscope', version, reportVersion: 1 },
    file,
    kind: null,
    recognised: false,
    volume: null,
    filesystems: { iso9660: false, joliet: null, rockRidge: false, rockRidgeId: null, udf: null },
    boot: null,
    partitions: { scheme: null, entries: [], mbr: null, gpt: null, apm: null },
    volumes: [],
    stats: { reads: 0, bytesRead: 0, ms: 0 },
    warnings: problems.warnings ?? [],
    errors: problems.errors ?? [],
  };
}
