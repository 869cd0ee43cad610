/**
 * Joliet (Microsoft, "Joliet Specification" 1995): a Supplementary Volume
 * Descriptor whose escape sequences (ECMA-119 §8.5.6) select UCS-2 level 1–3.
 * Names in its tree are UCS-2 big-endian.
 */
import { decodeUtf16 } from '../../io/bytes.ts';

/** "%/@" level 1, "%/C" level 2, "%/E" level 3 anywhere in the 32-byte field. */
export function jolietLevelFromEscapes(escapes: Uint8Array): 1 | 2 | 3 | null {
  for (let i = 0; i + 2 < escapes.length; i++) {
    if (escapes[i] === 0x25 && escapes[i + 1] === 0x2f) {
      const c = escapes[i + 2];
      if (c === 0x40) return 1;
      if (c === 0x43) return 2;
      if (c === 0x45) return 3;
    }
  }
  return null;
}

/** A Joliet file identifier to a name: UCS-2 BE, ";1" version suffix dropped. */
export function jolietName(identifier: Uint8Array): string {
  return decodeUtf16(identifier.subarray(0, identifier.length & ~1), false).replace(/;\d*$/, '');
}
