/**
 * Which file a result belongs to. Name, size and last-modified time tell
 * files apart across visits, but two downloads can share all three (the same
 * name re-downloaded in the same second, a copy with its time preserved), so
 * a cheap content fingerprint joins them: SHA-256 over the first and last
 * 64 KiB. Every stored result (a hash, a history entry) is filed under this
 * identity, never under "the file shown now".
 */

export interface FileIdentity {
  name: string;
  size: number;
  lastModified: number;
  /** SHA-256 (hex) of the first and the last 64 KiB; the whole file when smaller than 128 KiB. */
  fingerprint: string;
}

const EDGE = 64 * 1024;

const toHex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');

export async function identify(file: File): Promise<FileIdentity> {
  const parts: Blob[] = file.size <= 2 * EDGE ? [file] : [file.slice(0, EDGE), file.slice(file.size - EDGE)];
  const bytes = await new Blob(parts).arrayBuffer();
  const fingerprint = toHex(await crypto.subtle.digest('SHA-256', bytes));
  return { name: file.name, size: file.size, lastModified: file.lastModified, fingerprint };
}

/** The key a result is stored under: every field of the identity. */
export function identityKey(id: FileIdentity): string {
  return `${id.name}\u0000${id.size}\u0000${id.lastModified}\u0000${id.fingerprint}`;
}

export const sameFile = (a: FileIdentity | null, b: FileIdentity | null): boolean => a !== null && b !== null && identityKey(a) === identityKey(b);
