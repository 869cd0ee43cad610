/** Human byte counts ("1.65 MiB"), shared by the CLI summary and the app. */
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
