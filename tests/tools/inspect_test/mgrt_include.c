/* inspect self-test: what generated code includes must be found: mgrt.h
   (with -I runtime) and the headers of clang's resource directory
   (stddef.h, stdint.h, stdarg.h come from there, not from libc). */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mgrt.h"

typedef struct {
  int64_t rows;
  float w[4];
} Model;

/* loops 1, no allocation */
float forward(Model *m) {
  float s = 0;
  for (size_t i = 0; i < offsetof(Model, w) / sizeof(float); i++)
    s += expf(m->w[i % 4]);
  return s;
}

int say(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vprintf(fmt, ap);
  va_end(ap);
  return n;
}
