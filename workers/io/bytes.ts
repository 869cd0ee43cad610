/**
 * Bounds-checked field access over a slice read from an image.
 *
 * `base` is the slice's absolute offset in the image so that every error can
 * name the byte where the problem lies. 64-bit fields go through BigInt and
 * are rejected past 2^53 instead of silently losing precision.
 */
import { FormatError } from './problems.ts';

export class Fields {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly base: number,
    readonly structure: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  private need(at: number, n: number): void {
    if (at < 0 || at + n > this.bytes.length) {
      throw new FormatError(
        'TRUNCATED',
        `${this.structure}: field at +${at} (${n} bytes) lies past the ${this.bytes.length} bytes available`,
        this.structure,
        this.base + at,
      );
    }
  }

  u8(at: number): number {
    this.need(at, 1);
    return this.bytes[at]!;
  }
  i8(at: number): number {
    this.need(at, 1);
    return this.view.getInt8(at);
  }
  u16le(at: number): number {
    this.need(at, 2);
    return this.view.getUint16(at, true);
  }
  u16be(at: number): number {
    this.need(at, 2);
    return this.view.getUint16(at, false);
  }
  u32le(at: number): number {
    this.need(at, 4);
    return this.view.getUint32(at, true);
  }
  u32be(at: number): number {
    this.need(at, 4);
    return this.view.getUint32(at, false);
  }
  /** Unsigned 64-bit little-endian as an exact number; past 2^53 is a FormatError. */
  u64le(at: number): number {
    this.need(at, 8);
    const v = this.view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FormatError('VALUE_TOO_LARGE', `${this.structure}: 64-bit field at +${at} is ${v}, beyond 2^53`, this.structure, this.base + at);
    }
    return Number(v);
  }
  u64leBig(at: number): bigint {
    this.need(at, 8);
    return this.view.getBigUint64(at, true);
  }
  sub(at: number, n: number, structure = this.structure): Fields {
    this.need(at, n);
    return new Fields(this.bytes.subarray(at, at + n), this.base + at, structure);
  }
  raw(at: number, n: number): Uint8Array {
    this.need(at, n);
    return this.bytes.subarray(at, at + n);
  }
  /** Printable ASCII (ISO 646 a-/d-characters), trailing spaces and NULs trimmed. */
  ascii(at: number, n: number): string {
    const b = this.raw(at, n);
    let s = '';
    for (const c of b) s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : c === 0 ? '\0' : '\uFFFD';
    return s.replace(/[\s\0]+$/u, '');
  }
  /**
   * A descriptor's identifier: ASCII as the standard asks; bytes past 0x7F
   * decoded as UTF-8 when they are valid UTF-8 (what mastering tools write and
   * isoinfo and xorriso show), else each shown as U+FFFD.
   */
  text(at: number, n: number): string {
    const b = this.raw(at, n);
    if (b.every((c) => c < 0x80)) return this.ascii(at, n);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(b).replace(/[\s\0]+$/u, '');
    } catch {
      return this.ascii(at, n);
    }
  }
  /** UCS-2 / UTF-16 big-endian (Joliet), trailing spaces and NULs trimmed. */
  utf16be(at: number, n: number): string {
    return decodeUtf16(this.raw(at, n & ~1), false).replace(/[\s\0]+$/u, '');
  }
  utf16le(at: number, n: number): string {
    return decodeUtf16(this.raw(at, n & ~1), true);
  }
}

export function decodeUtf16(b: Uint8Array, littleEndian: boolean): string {
  const parts: string[] = [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let chunk: number[] = [];
  for (let i = 0; i + 1 < b.length; i += 2) {
    chunk.push(dv.getUint16(i, littleEndian));
    if (chunk.length === 4096) {
      parts.push(String.fromCharCode(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCharCode(...chunk));
  return parts.join('');
}

/** Two lowercase hex digits of each byte value (for loops that make millions of digests' hex). */
export const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Bytes as lowercase hex, two digits each (a digest as sha256sum prints it, a key identifier, a GUID's bytes). */
export function hexOfBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX_PAIRS[b]!;
  return out;
}

export function hex(n: number, width = 2): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

/** GUID in its mixed-endian on-disk form (UEFI spec, Appendix A) to the canonical text. */
export function guidToString(b: Uint8Array): string {
  const h = (i: number) => b[i]!.toString(16).padStart(2, '0');
  return (
    h(3) +
    h(2) +
    h(1) +
    h(0) +
    '-' +
    h(5) +
    h(4) +
    '-' +
    h(7) +
    h(6) +
    '-' +
    h(8) +
    h(9) +
    '-' +
    h(10) +
    h(11) +
    h(12) +
    h(13) +
    h(14) +
    h(15)
  ).toUpperCase();
}

/**
 * A byte count with its thousands grouped ("3,320,903,680"): how sizes are quoted exactly, beside a rounded "3.3 GB".
 * Written by hand: the first use of Intl.NumberFormat loads the locale data (tens of milliseconds).
 */
export const groupedDigits = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ',');
