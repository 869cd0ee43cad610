/**
 * The user's own hash lists as page state: loaded from the device once,
 * shared by the Genuine? card, the catalogue panel and the page's drop
 * handling, updated by the actions that change it.
 */
import { clearCatalogue, importCatalogue, loadCatalogue } from './catalogue-store.ts';
import type { CatalogueEntry } from '../../workers/hash/catalogue.ts';

class CatalogueState {
  entries = $state.raw<CatalogueEntry[]>([]);
  private loading: Promise<void> | null = null;

  /** Read the stored lists (once; later calls wait for the same read). */
  load(): Promise<void> {
    this.loading ??= loadCatalogue()
      .then((e) => {
        this.entries = e;
      })
      .catch(() => {
        this.loading = null;
      });
    return this.loading;
  }
  /** Add a list; the number of entries it held. */
  async import(file: File): Promise<number> {
    const n = await importCatalogue(file);
    this.entries = await loadCatalogue();
    return n;
  }
  async clear(): Promise<void> {
    await clearCatalogue();
    this.entries = [];
  }
}

export const catalogue = new CatalogueState();
