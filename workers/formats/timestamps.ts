/** Date/time formats of ECMA-119 and friends, to ISO 8601 text. */

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** A GMT offset in minutes to "+hh:mm" (or "Z" for zero). */
export function offsetText(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** Is the calendar date real? (Feb 30 is not.) */
function validDate(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

/**
 * ECMA-119 §8.4.26.1 dec-datetime: 16 ASCII digits "YYYYMMDDHHMMSScc" and a
 * signed byte, the offset from GMT in 15-minute intervals (-48..+52).
 * All zeros (digits '0' and offset 0) means "not specified" → null.
 */
export function decDateTime(b: Uint8Array): string | null {
  if (b.length < 17) return null;
  let digits = '';
  for (let i = 0; i < 16; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x39) return null;
    digits += String.fromCharCode(c);
  }
  if (/^0+$/.test(digits)) return null;
  const y = +digits.slice(0, 4),
    mo = +digits.slice(4, 6),
    d = +digits.slice(6, 8);
  const h = +digits.slice(8, 10),
    mi = +digits.slice(10, 12),
    s = +digits.slice(12, 14),
    cs = digits.slice(14, 16);
  if (!validDate(y, mo, d, h, mi, s)) return null;
  const off = ((b[16]! << 24) >> 24) * 15;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${cs}${offsetText(off)}`;
}

/**
 * ECMA-119 §9.1.5 recording date and time: 7 bytes, years since 1900, month,
 * day, hour, minute, second, GMT offset in 15-minute intervals.
 */
export function dirDateTime(b: Uint8Array): string | null {
  if (b.length < 7) return null;
  const y = 1900 + b[0]!,
    mo = b[1]!,
    d = b[2]!,
    h = b[3]!,
    mi = b[4]!,
    s = b[5]!;
  if (mo === 0 && d === 0) return null;
  if (!validDate(y, mo, d, h, mi, s)) return null;
  const off = ((b[6]! << 24) >> 24) * 15;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${offsetText(off)}`;
}

/** Windows FILETIME (100-ns ticks since 1601-01-01 UTC) to ISO 8601 UTC. */
export function fileTimeToIso(ticks: bigint): string | null {
  if (ticks <= 0n) return null;
  const ms = Number(ticks / 10000n) - 11644473600000;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const DAY_MS = 86_400_000;
const two = (n: number) => (n < 10 ? '0' : '') + n;
const three = (n: number) => (n < 10 ? '00' : n < 100 ? '0' : '') + n;
let lastMs = NaN;
let lastIso: string | null = null;

/**
 * Milliseconds since 1970 (UTC) as `Date.prototype.toISOString` writes them,
 * whole milliseconds cut (never rounded up); null where Date would be invalid.
 * A WIM listing formats three times per file (57,000 files: 171,000 calls,
 * most of a listing's time through Date): the civil date comes from day
 * arithmetic (proleptic Gregorian, the era method of H. Hinnant's
 * "chrono-Compatible Low-Level Date Algorithms", days_from_civil's inverse)
 * and the last value is remembered, since a file's three times are mostly one.
 * Years outside 0000–9999 go through Date (they are written with a sign).
 */
export function msToIso(ms: number): string | null {
  const whole = Math.floor(ms);
  if (whole === lastMs) return lastIso;
  let out: string | null;
  // 253402300800000 = 10000-01-01T00:00:00Z; -62167219200000 = 0000-01-01T00:00:00Z.
  if (!(whole >= -62167219200000 && whole < 253402300800000)) {
    const d = new Date(whole);
    out = Number.isNaN(d.getTime()) ? null : d.toISOString();
  } else {
    const days = Math.floor(whole / DAY_MS);
    const inDay = whole - days * DAY_MS;
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    const h = Math.floor(inDay / 3_600_000),
      mi = Math.floor(inDay / 60_000) % 60,
      s = Math.floor(inDay / 1000) % 60,
      msPart = inDay % 1000;
    out = `${String(y).padStart(4, '0')}-${two(m)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}.${three(msPart)}Z`;
  }
  lastMs = whole;
  lastIso = out;
  return out;
}
