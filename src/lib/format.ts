/** Display helpers shared by the views (formatting only; no parsing of image bytes). */
export { formatBytes as fmtBytes } from '../../workers/report/format.ts';

export function fmtDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}
