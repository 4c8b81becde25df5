/*
** fuzz_csv.c — libFuzzer harness: libmgrt's CSV reader (mgrt_csv_read).
**
** The first 8 bytes choose the spec as a .mg csv(...) source could give it:
** the delimiter, lines to skip, and up to three inputs' columns (a single
** column or a slice with either end omitted, negative ends counting from
** the end of the row, f32 or i64 labels with a class count).  The rest is
** the file.
*/
#include <stdint.h>
#include <string.h>

#include "fuzz_file.h"
#include "mgrt.h"

enum { CONFIG = 8 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < CONFIG)
    return 0;
  static const char delimiters[] = {',', ';', '\t', ' ', '|', ':', 'x', '#'};
  mgrt_csv_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.delimiter = delimiters[data[0] & 7];
  spec.skip_header = (data[0] >> 3) & 3;
  spec.n_columns = 1 + data[1] % 3;
  mgrt_csv_column cols[3];
  static const char *const names[] = {"x", "y", "z"};
  memset(cols, 0, sizeof cols);
  for (int i = 0; i < spec.n_columns; i++) {
    uint8_t a = data[2 + 2 * i], b = data[3 + 2 * i];
    mgrt_csv_column *c = &cols[i];
    c->input = names[i];
    c->dtype = a & 1 ? MGRT_I64 : MGRT_F32;
    c->single = (a >> 1) & 1;
    c->has_start = (a >> 2) & 1;
    c->has_stop = (a >> 3) & 1;
    c->start = (int8_t)b % 8;
    c->stop = (int8_t)(a & 0xf0) / 16;
    c->width = 1 + (b >> 4) % 6;
    if (c->single)
      c->width = 1;
    c->num_classes = c->dtype == MGRT_I64 ? (b >> 5) : 0;
  }
  spec.columns = cols;
  const char *path = fuzz_write_scratch(data + CONFIG, size - CONFIG, ".csv");
  if (!path)
    return 0;
  spec.path = path;
  mgrt_array out[3];
  memset(out, 0, sizeof out);
  if (mgrt_csv_read(&spec, NULL, out) == 0) {
    /* Every array is rows x width of its type, all rows read. */
    for (int i = 0; i < spec.n_columns; i++) {
      if (out[i].cols != cols[i].width || out[i].rows < 0)
        __builtin_trap();
      if (out[i].rows && !(cols[i].dtype == MGRT_I64 ? (void *)out[i].i64 : (void *)out[i].f32))
        __builtin_trap();
      for (int64_t k = 0; cols[i].dtype == MGRT_I64 && cols[i].num_classes && k < out[i].rows * out[i].cols; k++)
        if (out[i].i64[k] < 0 || out[i].i64[k] >= cols[i].num_classes)
          __builtin_trap();
    }
  }
  for (int i = 0; i < spec.n_columns; i++)
    mgrt_array_free(&out[i]);
  return 0;
}
