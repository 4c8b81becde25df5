/*
** fuzz_options.c — libFuzzer harness: the command line of generated
** training programs (mgrt_options_parse).  The input is split at NUL bytes
** into argv[1..]; argv[0] is a path.  Whatever it is given, the parser
** returns 0, 1 (help) or 2 (a usage error), and what it accepts is in range.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mgrt.h"

enum { MAX_ARGS = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *copy = malloc(size + 1);
  if (!copy)
    return 0;
  memcpy(copy, data, size);
  copy[size] = 0;
  char *argv[MAX_ARGS + 2];
  int argc = 0;
  argv[argc++] = "./dir/model";
  for (size_t at = 0; at <= size && argc < MAX_ARGS + 1;) {
    argv[argc++] = copy + at;
    at += strlen(copy + at) + 1;
  }
  argv[argc] = NULL;
  mgrt_options opt;
  int rc = mgrt_options_parse(&opt, argc, argv, "model");
  if (rc != 0 && rc != 1 && rc != 2)
    __builtin_trap();
  if (rc == 0) {
    if (strcmp(opt.program, "model") != 0)
      __builtin_trap();
    if (opt.epochs < -1 || opt.batch_size == 0 || opt.batch_size < -1 || opt.log_every == 0 ||
        opt.threads < 0 || opt.threads > 1024 || !(opt.lr >= 0 || opt.lr == -1))
      __builtin_trap();
  }
  free(copy);
  return 0;
}
