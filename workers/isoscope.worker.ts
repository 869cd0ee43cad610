/**
 * The worker entry: wires the readers to comlink and nothing else. The page
 * hands over a File; every byte is read here, in slices, through BlobSource.
 */
import { expose } from 'comlink';
import { BlobSource } from './io/byte-source.ts';
import { fileContents, inspect, listTree, type InspectOptions } from './inspect.ts';
import type { Report } from './report/types.ts';
import type { TreeNaming } from './formats/tree.ts';
import { withHashes, type Provenance } from './report/provenance.ts';

export interface IsoscopeWorkerApi {
  /** `onSection` (a comlink proxy) sees the report as it grows: disc facts, then Windows. */
  inspect(file: Blob, name: string, options?: Omit<InspectOptions, 'onSection'>, onSection?: (partial: Report) => void): Promise<Report>;
  listTree(file: Blob, name: string, naming: TreeNaming): ReturnType<typeof listTree>;
  fileContents(file: Blob, name: string, naming: TreeNaming, path: string): ReturnType<typeof fileContents>;
  /** The provenance section once hashes are known (the catalogue lives here, not in the page). */
  withHashes(provenance: Provenance, hashes: Record<string, string>): Provenance;
}

const api: IsoscopeWorkerApi = {
  inspect: (file, name, options, onSection) => inspect(new BlobSource(file, name), { ...options, onSection }),
  listTree: (file, name, naming) => listTree(new BlobSource(file, name), naming),
  fileContents: (file, name, naming, path) => fileContents(new BlobSource(file, name), naming, path),
  withHashes: (provenance, hashes) => withHashes(provenance, hashes),
};

expose(api);
