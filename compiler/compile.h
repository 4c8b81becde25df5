/*
** compile.h — the compiler as a function: .mg text in, a checked and
** optimized model out, then C (or IR, dot, a library) written to streams.
**
** main.c wraps it with the command line and atomic output files; the fuzz
** harness (tests/fuzz/) calls it directly.  Nothing here exits: errors are
** reported through diag.h and counted, and the caller decides what to do.
*/
#ifndef MGC_COMPILE_H
#define MGC_COMPILE_H

#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "model.h"

typedef enum { EMIT_C, EMIT_IR, EMIT_LIB, EMIT_DOT } EmitKind;

typedef struct CompileOptions {
  EmitKind emit;
  int opt_level;           /* 0, 1 or 2 */
  int f64;                 /* --dtype=f64 */
  const char *print_after; /* a pass name, or NULL */
  int annotate_none;
  const char *prefix;      /* library mode: the API's prefix, NULL: the model's name */
  const char *header_name; /* library mode: the header as the C #includes it */
  long block_rows;         /* -1: rowblock.c chooses */
} CompileOptions;

/* Parses, checks and optimizes src (diag_init must have been called on it).
   Returns the model, or NULL when an error was reported. */
Model *compile_model(Arena *a, const Source *src, const CompileOptions *o);

/* Writes what o->emit asks for: to out, and the library's header to header
   (EMIT_LIB only).  Returns 0, or -1 when a stream failed. */
int compile_emit(Model *m, const Source *src, const CompileOptions *o, FILE *out, FILE *header);

/* --explain and --stats. */
void compile_print_explain(Model *m, const Source *src);
void compile_print_stats(Model *m, const CompileOptions *o);

/* The passes: whether a name is one (--print-after), and their list (--passes). */
int compile_pass_known(const char *name);
void compile_print_passes(FILE *out);

#endif
