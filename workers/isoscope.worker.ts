/**
 * The worker entry: wires the readers to comlink and nothing else. The page
 * hands over a File; every byte is read here, in slices, through BlobSource.
 */
import { expose } from 'comlink';
import { BlobSource } from './io/byte-source.ts';
import { inspect, type InspectOptions } from './inspect.ts';
import type { Report } from './report/types.ts';

export interface IsoscopeWorkerApi {
  inspect(file: Blob, name: string, options?: InspectOptions): Promise<Report>;
}

const api: IsoscopeWorkerApi = {
  inspect(file, name, options) {
    return inspect(new BlobSource(file, name), options);
  },
};

expose(api);
