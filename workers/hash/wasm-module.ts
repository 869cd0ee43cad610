/**
 * A minimal WebAssembly binary writer: one module with one memory and
 * functions of i32 parameters, i32 and v128 locals, enough to emit the
 * compression functions of sha256.ts, sha1.ts and md5.ts as straight-line
 * code. WebAssembly Core Specification 1.0, §5 (binary format): sections are
 * id, byte size, contents; integers are LEB128. The 128-bit SIMD
 * instructions are those of the fixed-width SIMD proposal (Core 2.0 §5.4.8).
 */

/** The instructions used here (§5.4), by their binary opcode. */
export const Op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Store: 0x36,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  i32Rotl: 0x77,
  i32Rotr: 0x78,
} as const;

/** SIMD instructions (Core 2.0 §5.4.8): the prefix 0xFD, then the opcode as unsigned LEB128. */
export const Simd = {
  v128Load: 0x00,
  v128Store: 0x0b,
  v128Const: 0x0c,
  i8x16Shuffle: 0x0d,
  v128Xor: 0x51,
  i32x4Shl: 0xab,
  i32x4ShrU: 0xad,
  i32x4Add: 0xae,
} as const;
const SIMD_PREFIX = 0xfd;

const I32 = 0x7f;
const V128 = 0x7b;
const EMPTY_BLOCK = 0x40;

/** §5.2.2: unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** §5.2.2: signed LEB128 of a 32-bit integer (values ≥ 2^31 are taken as negative, as i32.const wants). */
function sleb(n: number): number[] {
  let v = n | 0;
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** Builds one function body: appends instructions, resolves nothing (no labels beyond depth numbers). */
export class Body {
  readonly code: number[] = [];
  get(local: number): this {
    this.code.push(Op.localGet, ...uleb(local));
    return this;
  }
  set(local: number): this {
    this.code.push(Op.localSet, ...uleb(local));
    return this;
  }
  tee(local: number): this {
    this.code.push(Op.localTee, ...uleb(local));
    return this;
  }
  const(value: number): this {
    this.code.push(Op.i32Const, ...sleb(value));
    return this;
  }
  /** i32.load / i32.store with a memarg (§5.4.6): alignment 2^2, then the static offset. */
  load(offset: number): this {
    this.code.push(Op.i32Load, 2, ...uleb(offset));
    return this;
  }
  store(offset: number): this {
    this.code.push(Op.i32Store, 2, ...uleb(offset));
    return this;
  }
  /** v128.load / v128.store, alignment 2^4. */
  v128Load(offset: number): this {
    return this.simd(Simd.v128Load, 4, ...uleb(offset));
  }
  v128Store(offset: number): this {
    return this.simd(Simd.v128Store, 4, ...uleb(offset));
  }
  /** A v128 constant of four 32-bit lanes (little-endian bytes). */
  v128Const(lanes: readonly number[]): this {
    const bytes = lanes.flatMap((w) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]);
    return this.simd(Simd.v128Const, ...bytes);
  }
  /** i8x16.shuffle of the two vectors on the stack: byte i of the result is byte lanes[i] of their 32 bytes. */
  shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => l < 0 || l > 31)) throw new Error('i8x16.shuffle takes 16 lane indices below 32');
    return this.simd(Simd.i8x16Shuffle, ...lanes);
  }
  simd(opcode: number, ...immediates: number[]): this {
    this.code.push(SIMD_PREFIX, ...uleb(opcode), ...immediates);
    return this;
  }
  op(...ops: number[]): this {
    this.code.push(...ops);
    return this;
  }
  loop(): this {
    this.code.push(Op.loop, EMPTY_BLOCK);
    return this;
  }
  block(): this {
    this.code.push(Op.block, EMPTY_BLOCK);
    return this;
  }
  brIf(depth: number): this {
    this.code.push(Op.brIf, ...uleb(depth));
    return this;
  }
  end(): this {
    this.code.push(Op.end);
    return this;
  }
}

export interface FunctionSpec {
  name: string;
  params: number;
  /** Extra i32 locals, numbered after the parameters. */
  locals: number;
  /** v128 locals, numbered after the i32 ones. */
  v128Locals?: number;
  body: Body;
}

const section = (id: number, contents: number[]): number[] => [id, ...uleb(contents.length), ...contents];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
};

/** A module exporting `memory` (of `pages` 64 KiB pages, fixed size) and each function, all (i32…) → (). */
export function buildModule(pages: number, functions: FunctionSpec[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(Array.from({ length: f.params }, () => [I32])), 0]);
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00, // §5.5.16: magic "\0asm", version 1
    ...section(1, vec(types)), // type section
    ...section(3, vec(functions.map((_, i) => uleb(i)))), // function section: type index of each
    ...section(5, vec([[0x01, ...uleb(pages), ...uleb(pages)]])), // memory section: limits min = max
    ...section(7, vec([[...name('memory'), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])])), // exports
    ...section(
      10,
      vec(
        functions.map((f) => {
          const groups = [
            [f.locals, I32],
            [f.v128Locals ?? 0, V128],
          ].filter(([n]) => n! > 0);
          const locals = vec(groups.map(([n, type]) => [...uleb(n!), type!]));
          const body = [...locals, ...f.body.code, Op.end];
          return [...uleb(body.length), ...body];
        }),
      ),
    ),
  ];
  return new Uint8Array(bytes);
}

/** Whether this engine runs 128-bit SIMD: a module whose one function has a v128 local validates only then. */
export const simdSupported = (): boolean =>
  typeof WebAssembly === 'object' && WebAssembly.validate(buildModule(1, [{ name: 'f', params: 0, locals: 0, v128Locals: 1, body: new Body() }]));
