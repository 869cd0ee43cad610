/**
 * eD2k links, the form in which MSDN's listing (as msdn.itellyou.cn archived
 * it) and many forums give Microsoft's files:
 *   ed2k://|file|en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso|3320903680|<32 hex digits>|/
 * optionally followed by more |key=value| parts (h=AICH root, p=part hashes)
 * and, as forums append them, |sources,host:port|/. The hash is eD2k's: MD4 of
 * each 9,728,000-byte part, then MD4 of those digests (a file of one part: its
 * MD4); read here, computed in workers/hash/ed2k.ts.
 */

export interface Ed2kLink {
  name: string;
  size: number;
  /** 32 lowercase hex digits. */
  hash: string;
}

const LINK = String.raw`ed2k:\/\/\|file\|([^|]+)\|(\d{1,16})\|([0-9a-f]{32})\|(?:[a-z]=[^|]*\|)*\/?(?:\|sources,[^|]*\|\/?)?`;
const WHOLE = new RegExp(`^${LINK}$`, 'i');
const WITHIN = new RegExp(LINK, 'i');

function linkOf(m: RegExpMatchArray | null): Ed2kLink | null {
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

/** The file name, size and hash of an ed2k link, or null when the text is not one. */
export function parseEd2kLink(text: string): Ed2kLink | null {
  return linkOf(text.trim().match(WHOLE));
}

/** The first ed2k link within a line of other text (a forum post's "Download: ed2k://…", a [url=…] tag), or null. */
export function findEd2kLink(line: string): Ed2kLink | null {
  return /ed2k:\/\//i.test(line) ? linkOf(line.match(WITHIN)) : null;
}

/**
 * The ed2k link of a file as `rhash --ed2k-link` writes it, without its AICH
 * part: every byte of the name's UTF-8 but letters, digits and "-._~"
 * percent-encoded (lower-case hex), the hash in lower case.
 */
export function ed2kLink(name: string, size: number, hash: string): string {
  let encoded = '';
  for (const b of new TextEncoder().encode(name))
    encoded += /[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`;
  return `ed2k://|file|${encoded}|${size}|${hash.toLowerCase()}|/`;
}
