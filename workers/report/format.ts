/** Human byte counts in binary units ("1.65 MiB"): the CLI's summary. The app uses formatSize (one unit system there). */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n,
    u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/**
 * Sizes in the decimal units download pages and file managers print
 * ("600 kB of 2.4 MB", "5.62 GB"): the app's one unit system (1 kB = 1000
 * bytes), and the plain-words sentences every reader shares. Never a floor
 * rounded up: a 23,309-byte file is "23.3 kB", not "0.1 MB".
 */
export function formatSize(n: number): string {
  if (n < 1000) return `${n} byte${n === 1 ? '' : 's'}`;
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e5 ? 1 : 0)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
  if (n < 1e12) return `${(n / 1e9).toFixed(2)} GB`;
  return `${(n / 1e12).toFixed(2)} TB`;
}

/** "BIN: raw 2352-byte Mode 1 sectors, data track from byte 0" (report.sectors, for the CLI and the app). */
export function describeSectors(sec: import('../formats/disk/raw-sectors.ts').SectorsSummary): string {
  const how =
    sec.format === 'mode1-2352'
      ? 'raw 2352-byte Mode 1 sectors'
      : sec.format === 'mode2-form1-2352'
        ? 'raw 2352-byte Mode 2 Form 1 sectors'
        : sec.format === 'mode2-2336'
          ? '2336-byte Mode 2 sectors'
          : sec.format === 'cooked-2048'
            ? '2048-byte sectors'
            : 'no data track';
  const where =
    sec.container === 'nrg' ? 'Nero image' : sec.container === 'cue' ? `CUE sheet (${sec.tracks.length} track${sec.tracks.length === 1 ? '' : 's'})` : 'BIN';
  return `${where}: ${how}${sec.start ? `, data track from byte ${sec.start}` : ''}`;
}
