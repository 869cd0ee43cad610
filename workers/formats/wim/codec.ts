/**
 * What every WIM chunk decompressor does (XPRESS Huffman, LZX, LZMS): turn
 * one compressed chunk into exactly the chunk's known uncompressed size.
 *
 * In a WIM every chunk is compressed on its own (wimlib resource.c; the WIM
 * white paper): its uncompressed size is known from the resource header and
 * the chunk's position, its compressed size from the chunk table, so a
 * decoder never guesses where a chunk ends. A decoder is made once per
 * resource reader and reused for every chunk: tables and windows are
 * allocated at construction, never per chunk.
 *
 * Tests compare every decoder with wimlib's own compressor and decompressor,
 * chunk by chunk (tests/helpers/wimlib-chunks.ts over tests/tools/
 * wimlib-chunks.c, built against Debian's libwim-dev); malformed input throws
 * FormatError (workers/io/format-error.ts) with code `<ALG>_CORRUPT`, never
 * anything else, and never reads or writes outside its buffers.
 */
export interface ChunkDecoder {
  /**
   * Decompress `input` (one chunk as stored) into all of `output` (its
   * uncompressed size). `at` is the absolute image offset of input[0], for
   * the errors: anything malformed throws a FormatError naming the byte.
   */
  decompress(input: Uint8Array, output: Uint8Array, at: number): void;
}
