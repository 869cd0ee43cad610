/**
 * A minimal WebAssembly binary writer: one module with one memory and
 * i32-only functions, enough to emit the SHA-256 compression function as
 * straight-line code (sha256.ts). WebAssembly Core Specification 1.0, §5
 * (binary format): sections are id, byte size, contents; integers are LEB128.
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

const I32 = 0x7f;
const EMPTY_BLOCK = 0x40;

/** §5.2.2: unsigned LEB128. */
export function uleb(n: number): number[] {
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
export function sleb(n: number): number[] {
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
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // §5.5.16: magic "\0asm", version 1
    ...section(1, vec(types)), // type section
    ...section(3, vec(functions.map((_, i) => uleb(i)))), // function section: type index of each
    ...section(5, vec([[0x01, ...uleb(pages), ...uleb(pages)]])), // memory section: limits min = max
    ...section(7, vec([[...name('memory'), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])])), // exports
    ...section(10, vec(functions.map((f) => {
      const locals = f.locals > 0 ? vec([[...uleb(f.locals), I32]]) : vec([]);
      const body = [...locals, ...f.body.code, Op.end];
      return [...uleb(body.length), ...body];
    }))),
  ];
  return new Uint8Array(bytes);
}
