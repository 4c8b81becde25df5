/*
** fuzz_safetensors.c — libFuzzer harness: libmgrt's checkpoint loader
** (mgrt_safetensors_load) on hostile files.
**
** The model expects one of a few tensor sets (first byte): a weight and a
** bias as a Linear layer has them, a scalar, or a rank-6 tensor; the rest
** of the input is the file.  A failed load must leave the caller's tensors
** untouched; a successful one is saved and loaded again, and must give the
** same values.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "mgrt.h"

enum { MAX_ELEMS = 64 };

static int models(uint8_t which, mgrt_tensor_ref *t, float storage[][MAX_ELEMS]) {
  memset(t, 0, 3 * sizeof *t);
  switch (which % 3) {
  case 0:
    t[0] = (mgrt_tensor_ref){.name = "fc1.weight", .data = storage[0], .rank = 2, .shape = {3, 2}};
    t[1] = (mgrt_tensor_ref){.name = "fc1.bias", .data = storage[1], .rank = 1, .shape = {3}};
    return 2;
  case 1:
    t[0] = (mgrt_tensor_ref){.name = "W", .data = storage[0], .rank = 0, .shape = {0}};
    return 1;
  default:
    t[0] = (mgrt_tensor_ref){.name = "a", .data = storage[0], .rank = 6, .shape = {1, 2, 1, 2, 1, 2}};
    t[1] = (mgrt_tensor_ref){.name = "b", .data = storage[1], .rank = 2, .shape = {1, 1}};
    t[2] = (mgrt_tensor_ref){.name = "c", .data = storage[2], .rank = 1, .shape = {4}};
    return 3;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  static float storage[3][MAX_ELEMS], before[3][MAX_ELEMS], again[3][MAX_ELEMS];
  mgrt_tensor_ref t[3], u[3];
  int n = models(data[0], t, storage);
  for (int i = 0; i < 3; i++)
    for (int k = 0; k < MAX_ELEMS; k++)
      storage[i][k] = before[i][k] = again[i][k] = (float)(i * 100 + k);
  const char *path = fuzz_write_scratch(data + 1, size - 1, ".safetensors");
  if (!path)
    return 0;
  if (mgrt_safetensors_load(path, t, n) != 0) {
    if (memcmp(storage, before, sizeof storage) != 0)
      __builtin_trap(); /* a failed load wrote into the model */
    return 0;
  }
  /* Round trip: what loaded saves, and loads back bit for bit. */
  if (mgrt_safetensors_save(path, t, n) != 0)
    return 0;
  models(data[0], u, again);
  if (mgrt_safetensors_load(path, u, n) != 0 || memcmp(storage, again, sizeof storage) != 0)
    __builtin_trap();
  return 0;
}
