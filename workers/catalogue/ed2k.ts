/**
 * eD2k links, the form in which MSDN's listing (as msdn.itellyou.cn archived
 * it) and many forums give Microsoft's files:
 *   ed2k://|file|en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso|3320903680|<32 hex digits>|/
 * optionally followed by more |key=value| parts (h=AICH root, p=part hashes).
 * The hash is eD2k's: MD4 of each 9,728,000-byte part, then MD4 of those
 * digests (a file of one part: its MD4). Only read here, never computed.
 */

export interface Ed2kLink {
  name: string;
  size: number;
  /** 32 lowercase hex digits. */
  hash: string;
}

/** The file name, size and hash of an ed2k link, or null when the text is not one. */
export function parseEd2kLink(text: string): Ed2kLink | null {
  const m = text.trim().match(/^ed2k:\/\/\|file\|([^|]+)\|(\d{1,16})\|([0-9a-f]{32})\|(?:[a-z]=[^|]*\|)*\/?$/i);
  if (!m) return null;
  let name = m[1]!;
  try {
    name = decodeURIComponent(name);
  } catch {
    // a literal % in the name: keep it as written
  }
  const size = Number(m[2]);
  return Number.isSafeInteger(size) ? { name, size, hash: m[3]!.toLowerCase() } : null;
}
