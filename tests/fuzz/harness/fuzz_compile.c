/*
** fuzz_compile.c — libFuzzer harness: the compiler end to end on .mg text.
**
** Each input is compiled at -O0, -O1 and -O2 (one of them in double, picked
** by the input's length), and every program that checks is emitted as C; at
** -O2 also as IR, Graphviz and a C library.  Errors are the expected outcome
** for most inputs: they go to /dev/null.  A crash, a sanitizer report, a
** leak or an internal compiler error (abort) is a finding.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"

/* Longer inputs only make each run slower; size limits are tested apart
   (tests/scale). */
enum { MAX_INPUT = 64 * 1024 };

static FILE *sink(void) {
  static FILE *null;
  if (!null)
    null = fopen("/dev/null", "w");
  return null;
}

static void compile_once(const Source *src, CompileOptions *o, int all_outputs) {
  Arena *a = arena_new();
  diag_init(src, sink());
  Model *m = compile_model(a, src, o);
  if (m) {
    compile_emit(m, src, o, sink(), NULL);
    if (all_outputs) {
      CompileOptions other = *o;
      other.emit = EMIT_IR;
      compile_emit(m, src, &other, sink(), NULL);
      other.emit = EMIT_DOT;
      compile_emit(m, src, &other, sink(), NULL);
    }
  }
  arena_free(a);
  if (m && all_outputs) {
    /* The library: a fresh compile, as mgc --emit=lib makes one. */
    a = arena_new();
    diag_init(src, sink());
    CompileOptions lib = *o;
    lib.emit = EMIT_LIB;
    lib.header_name = "fuzz.h";
    m = compile_model(a, src, &lib);
    if (m)
      compile_emit(m, src, &lib, sink(), sink());
    arena_free(a);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > MAX_INPUT || !sink())
    return 0;
  char *text = malloc(size + 1);
  if (!text)
    return 0;
  memcpy(text, data, size);
  text[size] = 0;
  Source src = {"fuzz.mg", text, (long)size};
  for (int level = 0; level <= 2; level++) {
    CompileOptions o;
    memset(&o, 0, sizeof o);
    o.emit = EMIT_C;
    o.opt_level = level;
    o.f64 = (int)(size % 3) == level;
    o.block_rows = -1;
    compile_once(&src, &o, level == 2);
  }
  free(text);
  return 0;
}
