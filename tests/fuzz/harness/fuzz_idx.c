/*
** fuzz_idx.c — libFuzzer harness: libmgrt's IDX reader (mgrt_idx_read),
** on raw files and, when the first byte says so, on the same bytes
** gzip-compressed (so the reader's IDX parsing is reached through zlib too;
** damaged gzip streams come from the raw case, whose bytes may start with
** gzip's magic).
**
** The first 2 bytes choose what the .mg asks for: images (f32, a row width
** and a scale) or labels (i64 with a class count).
*/
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "fuzz_file.h"
#include "mgrt.h"

enum { CONFIG = 2 };

static const char *write_gzip(const uint8_t *data, size_t size) {
  const char *path = fuzz_scratch_path(".gz");
  gzFile gz = gzopen(path, "wb1");
  if (!gz)
    return NULL;
  int ok = size == 0 || gzwrite(gz, data, (unsigned)size) == (int)size;
  if (gzclose(gz) != Z_OK || !ok)
    return NULL;
  return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < CONFIG || size > (1 << 20))
    return 0;
  int labels = data[0] & 1, gzip = (data[0] >> 1) & 1;
  int64_t width = labels ? 1 : 1 + data[1] % 64;
  int64_t classes = labels ? data[1] % 12 : 0;
  const char *path = gzip ? write_gzip(data + CONFIG, size - CONFIG)
                          : fuzz_write_scratch(data + CONFIG, size - CONFIG, ".idx");
  if (!path)
    return 0;
  mgrt_array out;
  memset(&out, 0, sizeof out);
  if (mgrt_idx_read(path, NULL, labels ? "y" : "x", labels ? MGRT_I64 : MGRT_F32, width, 1.0 / 255, classes,
                    &out) == 0) {
    if (out.cols != width || out.rows < 0)
      __builtin_trap();
    for (int64_t k = 0; labels && classes && k < out.rows; k++)
      if (out.i64[k] < 0 || out.i64[k] >= classes)
        __builtin_trap();
  }
  mgrt_array_free(&out);
  return 0;
}
