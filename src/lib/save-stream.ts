/**
 * Writing a stream (a zip made in the worker) to a file the user keeps.
 *
 * Large archives go through the File System Access API where the browser
 * has it (Chromium): the user picks where, and bytes flow to disk as they are
 * made. Otherwise, and for archives small enough to hold, the stream becomes
 * a Blob (Chromium keeps large Blobs on disk) and a download.
 */

/** Up to this size a Blob download is used even where a save picker exists (no dialog for small saves). */
const BLOB_SAVE_LIMIT = 512 * 1024 * 1024;

/** Counts the bytes that pass. */
function counting(onBytes: (n: number) => void): TransformStream<Uint8Array, Uint8Array> {
  let done = 0;
  return new TransformStream({
    transform(chunk, ctl) {
      done += chunk.length;
      onBytes(done);
      ctl.enqueue(chunk);
    },
  });
}

export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Save `stream` as `name`; `expectedBytes` (about the size) chooses how.
 * Resolves when every byte is written; rejects when the stream fails or the
 * user cancels the picker (an AbortError).
 */
export async function saveStream(
  name: string,
  stream: ReadableStream<Uint8Array>,
  expectedBytes: number,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const counted = stream.pipeThrough(counting(onBytes), { signal });
  const picker = window.showSaveFilePicker;
  if (picker && expectedBytes > BLOB_SAVE_LIMIT) {
    const handle = await picker({ suggestedName: name, types: [{ description: 'Zip archive', accept: { 'application/zip': ['.zip'] } }] });
    await counted.pipeTo(await handle.createWritable(), { signal });
    return;
  }
  downloadBlob(name, await new Response(counted).blob());
}
