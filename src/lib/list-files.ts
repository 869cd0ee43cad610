/**
 * Files that come with a disc image but are not one, told apart by name
 * where they are dropped or chosen (their content is read only where they
 * are used): checksum lists, the OpenPGP signatures and keys beside them, and
 * hash lists people keep for the catalogue.
 */

/** Checksum lists by name (SHA256SUMS, *.sha256, …) and hash lists (CSV, JSON). */
const LIST_NAME = /(^|[._-])(SHA\d*SUMS?|MD5SUMS?|CHECKSUMS?)(\.txt|\.asc)?$|\.(sha256|sha1|sha512|md5|sha256sum|sha1sum|md5sum|csv|json)$/i;
/** Signatures and keys (SHA256SUMS.sign, .gpg, .sig, KEYS.asc); an .asc named like a list is a list signed inside. */
const OPENPGP_NAME = /\.(sign|sig|gpg|pgp|key)$|^(?!.*(SHA\d*SUMS?|MD5SUMS?|CHECKSUMS?)).*\.asc$/i;

export type ListFileKind = 'openpgp' | 'catalogue' | 'checksums';

/** What a file beside an image is, by its name; null for anything else (a disc image, or a file to inspect). */
export function listFileKind(name: string): ListFileKind | null {
  if (OPENPGP_NAME.test(name)) return 'openpgp';
  if (/\.(csv|json)$/i.test(name)) return 'catalogue';
  if (LIST_NAME.test(name) || /\.asc$/i.test(name)) return 'checksums';
  return null;
}
