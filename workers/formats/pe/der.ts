/**
 * ASN.1 DER (ITU-T X.690 §8, §10): just enough to walk a PKCS#7 / CMS
 * signature (RFC 5652) and the X.509 names in it (RFC 5280 §4.1.2.4).
 *
 * A node is read from its identifier and length octets only; its content is
 * a window of the same bytes (nothing is copied). Every length is checked
 * against the enclosing node, definite lengths only (DER forbids the
 * indefinite form, X.690 §10.1), and every walk is bounded.
 */
import { FormatError } from '../../io/problems.ts';
import { hexOfBytes } from '../../io/bytes.ts';

/** X.690 §8.1.2.2: the class bits of the identifier octet. */
export const DER_CLASS = { universal: 0, application: 1, context: 2, private: 3 } as const;

/** Universal tag numbers (X.680 §8.6) this reader names. */
export const TAG = {
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  oid: 6,
  utf8String: 12,
  sequence: 16,
  set: 17,
  printableString: 19,
  t61String: 20,
  ia5String: 22,
  utcTime: 23,
  generalizedTime: 24,
  universalString: 28,
  bmpString: 30,
} as const;

export interface DerNode {
  cls: number;
  constructed: boolean;
  tag: number;
  /** Offset of the identifier octet, within the bytes. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** One past the last content octet. */
  end: number;
}

/**
 * How many nodes one reader may visit: a signature holds a few hundred; a crafted one cannot make us loop.
 * (Nesting needs no bound of its own: callers descend along the fixed shape of the structure they read,
 * never recursively into whatever is there.)
 */
const MAX_NODES = 50_000;

export class DerReader {
  private visited = 0;
  constructor(
    readonly bytes: Uint8Array,
    /** Where the bytes lie in the image (for errors), or null when they are not from the image. */
    readonly base: number | null,
    readonly structure: string,
    /** The node bound for this reader (a catalog lists thousands of members: it passes a bound in proportion to its size). */
    private readonly maxNodes = MAX_NODES,
  ) {}

  /** A typed error at `at` (an offset within the bytes; the image offset when they came from the image). */
  fail(code: string, message: string, at: number): never {
    throw new FormatError(code, `${this.structure}: ${message}`, this.structure, this.base === null ? null : this.base + at);
  }

  /** The node whose identifier octet is at `at`; its content must end by `limit`. */
  node(at: number, limit = this.bytes.length): DerNode {
    if (++this.visited > this.maxNodes) this.fail('DER_TOO_MANY_NODES', `more than ${this.maxNodes} ASN.1 nodes`, at);
    const b = this.bytes;
    if (at + 2 > limit) this.fail('DER_TRUNCATED', `an ASN.1 header at +${at} runs past its container`, at);
    const id = b[at]!;
    let tag = id & 0x1f;
    let p = at + 1;
    if (tag === 0x1f) {
      // X.690 §8.1.2.4: high tag numbers in base-128, at most 4 octets here.
      tag = 0;
      for (let i = 0; ; i++) {
        if (p >= limit || i >= 4) this.fail('DER_BAD_TAG', `a tag number at +${at} is too long`, at);
        const o = b[p++]!;
        tag = tag * 128 + (o & 0x7f);
        if (!(o & 0x80)) break;
      }
    }
    if (p >= limit) this.fail('DER_TRUNCATED', `an ASN.1 length at +${at} runs past its container`, at);
    const first = b[p++]!;
    let length: number;
    if (first < 0x80) length = first;
    else if (first === 0x80) this.fail('DER_INDEFINITE_LENGTH', `indefinite length at +${at} (not DER)`, at);
    else {
      const n = first & 0x7f;
      if (n > 4 || p + n > limit) this.fail('DER_BAD_LENGTH', `a ${n}-octet length at +${at}`, at);
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + b[p++]!;
    }
    if (p + length > limit) this.fail('DER_TRUNCATED', `content of ${length} bytes at +${p} runs past its container (ends at +${limit})`, at);
    return { cls: id >> 6, constructed: (id & 0x20) !== 0, tag, start: at, contentStart: p, end: p + length };
  }

  /** The nodes inside a constructed node, in order. */
  children(n: DerNode): DerNode[] {
    if (!n.constructed) this.fail('DER_NOT_CONSTRUCTED', `node at +${n.start} has no children`, n.start);
    const out: DerNode[] = [];
    for (let at = n.contentStart; at < n.end;) {
      const c = this.node(at, n.end);
      out.push(c);
      at = c.end;
    }
    return out;
  }

  /** The node must be of this universal tag (or context tag, with cls). */
  expect(n: DerNode | undefined, tag: number, what: string, cls: number = DER_CLASS.universal): DerNode {
    if (!n) this.fail('DER_MISSING', `${what} is missing`, 0);
    if (n.tag !== tag || n.cls !== cls) this.fail('DER_UNEXPECTED', `${what} expected at +${n.start}, found class ${n.cls} tag ${n.tag}`, n.start);
    return n;
  }

  content(n: DerNode): Uint8Array {
    return this.bytes.subarray(n.contentStart, n.end);
  }

  /** The whole encoding of a node (identifier, length, content): what is compared to match names. */
  encoding(n: DerNode): Uint8Array {
    return this.bytes.subarray(n.start, n.end);
  }

  /** OBJECT IDENTIFIER in dotted form (X.690 §8.19). */
  oid(n: DerNode): string {
    this.expect(n, TAG.oid, 'an OBJECT IDENTIFIER');
    const c = this.content(n);
    if (c.length === 0 || c.length > 64) this.fail('DER_BAD_OID', `an OID of ${c.length} bytes at +${n.start}`, n.start);
    const arcs: number[] = [];
    let v = 0;
    for (const o of c) {
      v = v * 128 + (o & 0x7f);
      if (v > Number.MAX_SAFE_INTEGER / 128) this.fail('DER_BAD_OID', `an OID arc too large at +${n.start}`, n.start);
      if (!(o & 0x80)) {
        if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
        else arcs.push(v);
        v = 0;
      }
    }
    return arcs.join('.');
  }

  /** INTEGER as upper-case hex of its content octets, leading zero octet kept out (as OpenSSL prints serials). */
  integerHex(n: DerNode): string {
    this.expect(n, TAG.integer, 'an INTEGER');
    let c = this.content(n);
    while (c.length > 1 && c[0] === 0) c = c.subarray(1);
    return hexOfBytes(c).toUpperCase();
  }

  /** INTEGER content octets as they are (two's complement, big-endian; X.690 §8.3). */
  integerBytes(n: DerNode): Uint8Array {
    this.expect(n, TAG.integer, 'an INTEGER');
    return this.content(n);
  }

  /** A small non-negative INTEGER (versions, lengths), or a typed error. */
  smallInteger(n: DerNode): number {
    const c = this.integerBytes(n);
    if (c.length === 0 || c.length > 4 || c[0]! & 0x80)
      this.fail('DER_BAD_INTEGER', `an INTEGER of ${c.length} bytes where a small one belongs, at +${n.start}`, n.start);
    let v = 0;
    for (const o of c) v = v * 256 + o;
    return v;
  }

  /** BOOLEAN (X.690 §8.2; DER §11.1: TRUE is 0xFF, but any non-zero is read as TRUE). */
  boolean(n: DerNode): boolean {
    this.expect(n, 1, 'a BOOLEAN');
    const c = this.content(n);
    if (c.length !== 1) this.fail('DER_BAD_BOOLEAN', `a BOOLEAN of ${c.length} bytes at +${n.start}`, n.start);
    return c[0] !== 0;
  }

  /** BIT STRING (X.690 §8.6): its bytes after the unused-bits octet, and how many trailing bits are unused. */
  bitString(n: DerNode): { bytes: Uint8Array; unused: number } {
    this.expect(n, TAG.bitString, 'a BIT STRING');
    const c = this.content(n);
    if (c.length === 0 || c[0]! > 7) this.fail('DER_BAD_BIT_STRING', `a BIT STRING at +${n.start} with a bad unused-bits octet`, n.start);
    return { bytes: c.subarray(1), unused: c[0]! };
  }

  /**
   * UTCTime or GeneralizedTime as milliseconds since 1970 (RFC 5280 §4.1.2.5:
   * UTCTime YYMMDDHHMMSSZ, years 50–99 are 19xx; GeneralizedTime
   * YYYYMMDDHHMMSS[.f]Z). RFC 3161 genTime may carry fractions: kept.
   */
  time(n: DerNode): number {
    const text = new TextDecoder('latin1').decode(this.content(n));
    let m: RegExpMatchArray | null = null;
    let year: number;
    if (n.tag === TAG.utcTime && n.cls === DER_CLASS.universal && (m = text.match(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/))) {
      const yy = Number(m[1]);
      year = yy < 50 ? 2000 + yy : 1900 + yy;
    } else if (
      n.tag === TAG.generalizedTime &&
      n.cls === DER_CLASS.universal &&
      (m = text.match(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(?:\.(\d{1,9}))?Z$/))
    ) {
      year = Number(m[1]);
    } else this.fail('DER_BAD_TIME', `a time at +${n.start} that is neither UTCTime nor GeneralizedTime in Z form ("${text.slice(0, 24)}")`, n.start);
    const frac = n.tag === TAG.generalizedTime && m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
    const ms = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) + Math.floor(frac);
    if (!Number.isFinite(ms)) this.fail('DER_BAD_TIME', `an impossible date at +${n.start}`, n.start);
    return ms;
  }

  /** The children of a constructed node, at most `max` of them, or a typed error naming `what`. */
  boundedChildren(n: DerNode, max: number, what: string): DerNode[] {
    const out = this.children(n);
    if (out.length > max) this.fail('DER_TOO_MANY', `${what}: ${out.length} entries, more than ${max}`, n.start);
    return out;
  }

  /** A character string of any of X.680's string types, decoded. */
  text(n: DerNode): string {
    const c = this.content(n);
    switch (n.tag) {
      case TAG.utf8String:
        return new TextDecoder().decode(c);
      case TAG.bmpString:
        return new TextDecoder('utf-16be').decode(c);
      case TAG.universalString: {
        let s = '';
        for (let i = 0; i + 3 < c.length; i += 4) s += String.fromCodePoint(((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0 || 0xfffd);
        return s;
      }
      default:
        // PrintableString, IA5String, T61String (Latin-1 in practice), VisibleString.
        return new TextDecoder('latin1').decode(c);
    }
  }
}

/** RFC 5280 §4.1.2.4 attribute types, with the short names OpenSSL prints. */
const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
};

export interface DistinguishedName {
  /** Every attribute in encoded order (RDN by RDN). */
  attributes: { type: string; value: string }[];
  /** OpenSSL's one-line form, "/C=US/O=Microsoft Corporation/CN=…" (what `sbverify --list` prints). */
  oneLine: string;
  commonName: string | null;
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue). */
export function readName(der: DerReader, n: DerNode): DistinguishedName {
  der.expect(n, TAG.sequence, 'a Name');
  const attributes: DistinguishedName['attributes'] = [];
  for (const rdn of der.children(n)) {
    der.expect(rdn, TAG.set, 'a RelativeDistinguishedName');
    for (const atv of der.children(rdn)) {
      const [type, value] = der.children(der.expect(atv, TAG.sequence, 'an AttributeTypeAndValue'));
      const oid = der.oid(type!);
      attributes.push({ type: NAME_ATTRIBUTES[oid] ?? oid, value: value ? der.text(value) : '' });
    }
  }
  const cn = attributes.filter((a) => a.type === 'CN').at(-1);
  return { attributes, oneLine: attributes.map((a) => `/${a.type}=${a.value}`).join(''), commonName: cn?.value ?? null };
}
