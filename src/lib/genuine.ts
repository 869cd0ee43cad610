/**
 * The "Genuine?" card's contract with the report and the page (a module of
 * its own, not the component's, so that TypeScript itself reads its types).
 */
import type { FileIdentity } from './file-identity.ts';
import type { Provenance } from '../../workers/report/types.ts';

/** How a verdict looks: good only for an exact hash match, bad when a strong sign says it was rebuilt or altered. */
export function genuineClass(p: Provenance): 'good' | 'bad' | 'neutral' {
  return p.match?.verdict === 'identical' ? 'good' : p.signals.some((s) => s.strength === 'strong' && s.verdict !== 'consistent') ? 'bad' : 'neutral';
}

/** What the card needs to hash the file itself (absent in a read-only view). */
export interface ConfirmAction {
  file: File;
  identity: FileIdentity;
  onhashes: (from: FileIdentity, h: Record<string, string>) => void;
  /** The card went away while it was hashing (another image was opened): how far the run got. */
  onstopped?: (stopped: HashStopped) => void;
}

/** A hash run cut short because the page moved on: which file, how far, with which algorithms. */
export interface HashStopped {
  file: File;
  identity: FileIdentity;
  algorithms: string[];
  bytesDone: number;
  bytesTotal: number;
}
