/**
 * Reading a Blob through a BYOB reader, and carrying on when a read stops
 * answering: Chromium's stream of a large file has been seen to stall for
 * good after some 35 s (bench/RESULTS.md, a 12 GB file in the bench's
 * set-up). The stall is made here with a byte stream that stops answering
 * at a chosen offset; the bytes that come out must be the Blob's, in order,
 * whatever the resumes.
 */
import { describe, expect, it } from 'vitest';
import { streamBlob } from '../../workers/io/blob-stream.ts';

const MiB = 1024 * 1024;

/** A Blob-like of `size` bytes (byte i is i*7 mod 251) whose streams stall for good at `stallAt` (absolute offsets; each entry once). */
function stallingBlob(size: number, stallAt: number[], base = 0): Blob {
  const stalls = stallAt;
  const stream = () => {
    let at = base;
    return new ReadableStream({
      type: 'bytes',
      pull(ctl) {
        const req = ctl.byobRequest!;
        const view = req.view as Uint8Array;
        const i = stalls.findIndex((s) => s >= at && s < at + view.byteLength);
        if (i >= 0 && stalls[i] === at) {
          stalls.splice(i, 1);
          return new Promise<void>(() => undefined); // never answers
        }
        const n = Math.min(view.byteLength, base + size - at, i >= 0 ? stalls[i]! - at : Infinity);
        if (n <= 0) {
          ctl.close();
          req.respond(0);
          return;
        }
        for (let k = 0; k < n; k++) view[k] = ((at + k) * 7) % 251;
        at += n;
        req.respond(n);
      },
    });
  };
  return { size, stream, slice: (from: number) => stallingBlob(size - from, stalls, base + from) } as unknown as Blob;
}

async function readAll(blob: Blob, stallMs: number): Promise<Uint8Array> {
  const out = new Uint8Array(blob.size);
  let at = 0;
  const chunks = streamBlob(blob, () => new ArrayBuffer(MiB), stallMs)!;
  for await (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out.subarray(0, at);
}

describe('streamBlob', () => {
  it('resumes from the same offset when a read stops answering, and every byte comes out once, in order', async () => {
    const size = 10 * MiB + 123;
    const got = await readAll(stallingBlob(size, [3 * MiB + 17, 7 * MiB]), 50);
    expect(got.length).toBe(size);
    for (let i = 0; i < size; i += 4099) expect(got[i], `byte ${i}`).toBe((i * 7) % 251);
    expect(got[size - 1]).toBe(((size - 1) * 7) % 251);
  });

  it('a stream that keeps stalling is reported as an error, not retried for ever', async () => {
    const size = 2 * MiB;
    const always = Array.from({ length: 40 }, () => MiB); // stalls at the same offset again and again
    await expect(readAll(stallingBlob(size, always), 10)).rejects.toThrow(/stopped answering 16 times \(last at byte 1048576 of 2097152\)/);
  });
});
