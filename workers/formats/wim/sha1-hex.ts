/** A SHA-1 as WIM structures store it (20 bytes), as the lowercase hex its tables are keyed by. */

const HEX_DIGITS = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const hexCodes: number[] = new Array<number>(40);
/**
 * The SHA-1 at `at` as lowercase hex, or null for 20 zero bytes. Made as one
 * flat string (String.fromCharCode of 40 codes): a string built by `+=`
 * would be kept as a chain of 20 pieces, ten times its size, for every file
 * of an image.
 */
export function sha1At(b: Uint8Array, at: number): string | null {
  let any = 0;
  for (let i = at; i < at + 20; i++) any |= b[i]!;
  if (!any) return null;
  for (let i = 0; i < 20; i++) {
    const x = b[at + i]!;
    hexCodes[2 * i] = HEX_DIGITS[x >> 4]!;
    hexCodes[2 * i + 1] = HEX_DIGITS[x & 15]!;
  }
  return String.fromCharCode(...hexCodes);
}
