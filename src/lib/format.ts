/**
 * Display helpers shared by the views (formatting only; no parsing of image bytes).
 * Sizes: one unit system in the whole app, decimal (1 GB = 1,000,000,000 bytes),
 * as download pages and the plain-words sentences give them; said once, under the report.
 */
export { formatSize as fmtBytes } from '../../workers/report/format.ts';

export function fmtDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}

/**
 * "2026-11-30 14:05" in local time. Not toLocaleString: its first call
 * initialises the browser's locale data, a 20–30 ms task measured on the
 * page's main thread right when a report is shown.
 */
export function fmtWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
