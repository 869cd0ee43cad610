/*
 * wimlib's own compressors and decompressors, chunk by chunk: the independent
 * implementation the WIM decoders (workers/formats/wim/{lzx,xpress,lzms}.ts)
 * are tested and benchmarked against. Built at test time against Debian's
 * libwim-dev (tests/setup/build-tools.sh); it calls only wimlib's public
 * compression API (wimlib.h: wimlib_create_compressor, wimlib_compress,
 * wimlib_create_decompressor, wimlib_decompress).
 *
 *   wimlib-chunks compress ALG CHUNK [LEVEL] < raw > framed
 *   wimlib-chunks decompress ALG CHUNK < framed > raw
 *   wimlib-chunks bench ALG CHUNK REPEAT < framed      (prints JSON)
 *
 * ALG is xpress, lzx or lzms. The framed form: "WCHK", then per chunk its
 * uncompressed size and its stored size (u32 little-endian each) and the
 * stored bytes; a stored size equal to the uncompressed size means the chunk
 * did not shrink and is kept raw, as a WIM keeps it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wimlib.h>

static void die(const char *m) { fprintf(stderr, "wimlib-chunks: %s\n", m); exit(2); }

static int alg_of(const char *s) {
	if (!strcmp(s, "xpress")) return WIMLIB_COMPRESSION_TYPE_XPRESS;
	if (!strcmp(s, "lzx")) return WIMLIB_COMPRESSION_TYPE_LZX;
	if (!strcmp(s, "lzms")) return WIMLIB_COMPRESSION_TYPE_LZMS;
	die("ALG is xpress, lzx or lzms");
	return 0;
}

static uint8_t *slurp(size_t *n) {
	size_t cap = 1 << 20, len = 0;
	uint8_t *b = malloc(cap);
	for (;;) {
		if (len == cap) b = realloc(b, cap *= 2);
		size_t r = fread(b + len, 1, cap - len, stdin);
		if (r == 0) break;
		len += r;
	}
	*n = len;
	return b;
}

static void put32(uint32_t v) { uint8_t b[4] = {v, v >> 8, v >> 16, v >> 24}; fwrite(b, 1, 4, stdout); }
static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

int main(int argc, char **argv) {
	if (argc < 4) die("usage: compress|decompress|bench ALG CHUNK [LEVEL|REPEAT]");
	int alg = alg_of(argv[2]);
	size_t chunk = strtoul(argv[3], NULL, 0);
	size_t n;
	uint8_t *in = slurp(&n);
	if (!strcmp(argv[1], "compress")) {
		struct wimlib_compressor *c;
		unsigned level = argc > 4 ? atoi(argv[4]) : 0;
		if (wimlib_create_compressor(alg, chunk, level, &c)) die("cannot create compressor");
		uint8_t *out = malloc(chunk);
		fwrite("WCHK", 1, 4, stdout);
		for (size_t at = 0; at < n; at += chunk) {
			size_t len = n - at < chunk ? n - at : chunk;
			/* Shrunk by at least one byte, or kept raw (the WIM rule). */
			size_t clen = wimlib_compress(in + at, len, out, len - 1, c);
			put32(len);
			if (clen == 0) { put32(len); fwrite(in + at, 1, len, stdout); }
			else { put32(clen); fwrite(out, 1, clen, stdout); }
		}
		return 0;
	}
	struct wimlib_decompressor *d;
	if (wimlib_create_decompressor(alg, chunk, &d)) die("cannot create decompressor");
	if (n < 4 || memcmp(in, "WCHK", 4)) die("input is not framed chunks");
	uint8_t *out = malloc(chunk);
	int repeat = !strcmp(argv[1], "bench") ? (argc > 4 ? atoi(argv[4]) : 1) : 1;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t total = 0;
	for (int r = 0; r < repeat; r++) {
		for (size_t at = 4; at + 8 <= n;) {
			uint32_t len = get32(in + at), clen = get32(in + at + 4);
			at += 8;
			if (clen > n - at || len > chunk) die("framed input is cut");
			if (clen == len) memcpy(out, in + at, len);
			else if (wimlib_decompress(in + at, clen, out, len, d)) die("wimlib_decompress failed");
			if (repeat == 1 && strcmp(argv[1], "bench")) fwrite(out, 1, len, stdout);
			total += len;
			at += clen;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!strcmp(argv[1], "bench")) {
		double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		printf("{\"bytes\":%llu,\"seconds\":%.6f,\"mbPerSecond\":%.1f}\n", (unsigned long long)total, s, total / s / 1e6);
	}
	return 0;
}
