/**
 * Joliet (Microsoft, "Joliet Specification" 1995): a Supplementary Volume
 * Descriptor whose escape sequences (ECMA-119 §8.5.6) select UCS-2 level 1–3.
 * Names in its tree are UCS-2 big-endian.
 */
import { decodeUtf16 } from '../../io/bytes.ts';

/** "%/@" level 1, "%/C" level 2, "%/E" level 3 anywhere in the 32-byte field. */
export function jolietLevelFromEscapes(escapes: Uint8Array): 1 | 2 | 3 | null {
  for (let i = 0; i + 2 < escapes.length; i++) {
    if (escapes[i] === 0x25 && escapes[i + 1] === 0x2f) {
      const c = escapes[i + 2];
      if (c === 0x40) return 1;
      if (c === 0x43) return 2;
      if (c === 0x45) return 3;
    }
  }
  return null;
}

/** A Joliet file identifier to a name: UCS-2 BE, ";1" version suffix dropped. */
export function jolietName(identifier: Uint8Array): string {
  return decodeUtf16(identifier.subarray(0, identifier.length & ~1), false).replace(/;\d*$/, '');
}

/** C's isspace in the "C" locale (space, \t \n \v \f \r): the white space blkid trims. */
const isCSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const cUpper = (c: number) => (c >= 0x61 && c <= 0x7a ? c - 0x20 : c);

/** Code units up to the first U+0000 (where blkid's conversion to UTF-8 stops), as a string. */
function unitsToString(units: number[]): string {
  const end = units.indexOf(0);
  return String.fromCharCode(...(end < 0 ? units : units.slice(0, end)));
}

/** A Joliet identifier field (UCS-2 BE) as blkid decodes it: up to its first U+0000, untrimmed. */
export function ucs2Field(field: Uint8Array): string {
  const units: number[] = [];
  for (let i = 0; i + 1 < field.length; i += 2) units.push((field[i]! << 8) | field[i + 1]!);
  return unitsToString(units);
}

/**
 * Joliet's identifier joined with the primary descriptor's, the way blkid
 * (util-linux 2.38, libblkid iso9660.c) reconstructs an identifier: the
 * Joliet field holds half as many characters as the primary's field has
 * bytes (16 of 32, 64 of 128: Joliet spec §5), in UCS-2; the primary's holds
 * a-/d-characters (ECMA-119 §7.4), "_" standing for what it cannot hold, and
 * often upper case. Where, character by character over Joliet's length, the
 * two agree (either side "_", or the same letter ignoring ASCII case), the
 * result is Joliet's characters (the primary's where Joliet's is "_", and
 * where the primary's is not an upper-case letter) followed by the rest of the
 * primary's field; a surrogate pair stands for one of the primary's
 * characters. Null where they disagree. Untrimmed, cut at a U+0000.
 */
export function joinJolietWithPrimary(joliet: Uint8Array, primary: Uint8Array): string | null {
  const len = Math.min(joliet.length, primary.length);
  const out: number[] = [];
  let a = 0;
  for (let u = 0; u + 1 < len && a < len; u += 2, a++) {
    let unit = (joliet[u]! << 8) | joliet[u + 1]!;
    if (unit >= 0xd800 && unit <= 0xdbff && u + 3 < len && joliet[u + 2]! >= 0xdc && joliet[u + 2]! <= 0xdf) {
      out.push(unit);
      u += 2;
      unit = (joliet[u]! << 8) | joliet[u + 1]!;
    }
    const p = primary[a]!;
    if (p === 0x5f) out.push(unit);
    else if (unit === 0x5f) out.push(p);
    else if (unit < 0x100 && cUpper(p) === cUpper(unit)) out.push(p >= 0x41 && p <= 0x5a ? unit : p);
    else return null;
  }
  for (; a < primary.length; a++) out.push(primary[a]!);
  return unitsToString(out);
}

/** blkid's trimming of an identifier: C white space off both ends (labels lose only the trailing). */
export function trimC(s: string, leading = true): string {
  let end = s.length;
  while (end > 0 && isCSpace(s.charCodeAt(end - 1))) end--;
  let start = 0;
  if (leading) while (start < end && isCSpace(s.charCodeAt(start))) start++;
  return s.slice(start, end);
}

/** A primary-descriptor field as blkid reads it: a C string (to its first NUL), its bytes shown as UTF-8. */
export function primaryField(field: Uint8Array): string {
  const end = field.indexOf(0);
  return new TextDecoder('utf-8').decode(end < 0 ? field : field.subarray(0, end));
}

/** blkid's "empty" a-character identifier: nothing, only white space, or starting with "_" (a publisher, preparer or application id). */
export function primaryFieldEmpty(field: Uint8Array): boolean {
  return field[0] === 0 || field[0] === 0x5f || field.every(isCSpace);
}

/** blkid's "empty" Joliet identifier: only UCS-2 white space, or starting with "_". */
export function jolietFieldEmpty(field: Uint8Array): boolean {
  let blank = true;
  for (let i = 0; i + 1 < field.length; i += 2) if (field[i] !== 0 || !isCSpace(field[i + 1]!)) blank = false;
  return blank || (field[0] === 0 && field[1] === 0x5f);
}
