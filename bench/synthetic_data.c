/*
** synthetic_data.c — writes the data set of bench/synthetic_softmax.mg: N
** samples of 64 features in 10 classes, as two uncompressed IDX files of
** unsigned bytes (the .mg reads them with idx(..., scale = 1/255); zlib's
** gzread, and so the runtime, reads uncompressed files as they are).
**
**   synthetic-x-idx2-ubyte   [N, 64] features
**   synthetic-y-idx1-ubyte   [N]     labels 0..9
**
** Deterministic: the same N gives the same bytes on every machine (a 64-bit
** xorshift generator, integer arithmetic only).  Each class has a prototype
** of 64 bytes; a sample is its class's prototype plus noise (the sum of
** three uniform draws in [-32, 32]), clamped to 0..255, so that a softmax
** regression learns something.
**
** Build and run (bench/run.sh does this):
**   cc -O2 bench/synthetic_data.c -o synthetic_data
**   ./synthetic_data OUTDIR [N]          (N defaults to 100000)
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FEATURES = 64, CLASSES = 10 };

static uint64_t state = 0x9E3779B97F4A7C15u;

static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

/* 0..n-1; n is small, so the modulo bias is negligible and fixed */
static int below(int n) { return (int)((next() >> 11) % (uint64_t)n); }

static int put_u32(FILE *f, uint32_t v) {
  unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                        (unsigned char)v};
  return fwrite(b, 1, 4, f) == 4 ? 0 : -1;
}

static FILE *open_idx(const char *dir, const char *name, int ndim, uint32_t d0, uint32_t d1,
                      char *path, size_t size) {
  snprintf(path, size, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    return NULL;
  }
  unsigned char magic[4] = {0, 0, 0x08, (unsigned char)ndim};
  if (fwrite(magic, 1, 4, f) != 4 || put_u32(f, d0) != 0 || (ndim == 2 && put_u32(f, d1) != 0)) {
    perror(path);
    fclose(f);
    return NULL;
  }
  return f;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s OUTDIR [N]\n", argv[0]);
    return 2;
  }
  long n = argc == 3 ? strtol(argv[2], NULL, 10) : 100000;
  if (n < 1 || n > 100000000) {
    fprintf(stderr, "%s: N must be from 1 to 100000000\n", argv[0]);
    return 2;
  }
  unsigned char proto[CLASSES][FEATURES];
  for (int c = 0; c < CLASSES; c++)
    for (int j = 0; j < FEATURES; j++) proto[c][j] = (unsigned char)(48 + below(160));

  char xpath[4096], ypath[4096];
  FILE *fx = open_idx(argv[1], "synthetic-x-idx2-ubyte", 2, (uint32_t)n, FEATURES, xpath, sizeof xpath);
  FILE *fy = fx ? open_idx(argv[1], "synthetic-y-idx1-ubyte", 1, (uint32_t)n, 0, ypath, sizeof ypath) : NULL;
  if (!fx || !fy) return 1;
  for (long i = 0; i < n; i++) {
    int c = below(CLASSES);
    unsigned char row[FEATURES], label = (unsigned char)c;
    for (int j = 0; j < FEATURES; j++) {
      int v = proto[c][j] + below(65) + below(65) + below(65) - 96;
      row[j] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
    if (fwrite(row, 1, FEATURES, fx) != FEATURES || fwrite(&label, 1, 1, fy) != 1) {
      perror("write");
      return 1;
    }
  }
  if (fclose(fx) != 0 || fclose(fy) != 0) {
    perror("close");
    return 1;
  }
  return 0;
}
