/** The trusted-hash catalogue, kept on this device (idb-keyval). */
import { createStore, get, set, del } from 'idb-keyval';
import { parseCatalogue, type CatalogueEntry } from '../../workers/hash/catalogue.ts';

/** Opened once per page (createStore opens the database anew on every call). */
let opened: ReturnType<typeof createStore> | undefined;
const store = () => (opened ??= createStore('isoscope-catalogue', 'catalogue'));

export async function loadCatalogue(): Promise<CatalogueEntry[]> {
  return (await get<CatalogueEntry[]>('entries', store())) ?? [];
}

export async function importCatalogue(file: File): Promise<number> {
  if (file.size > 32 * 1024 * 1024) throw new Error(`${file.name} is too large for a hash list`);
  const added = parseCatalogue(await file.text(), file.name, new Date().toISOString());
  if (!added.length) throw new Error(`${file.name} holds no hashes isoscope can read (checksum lines, CSV with sha256/sha1/md5 columns, or JSON)`);
  await set('entries', [...(await loadCatalogue()), ...added], store());
  return added.length;
}

export const clearCatalogue = () => del('entries', store());
