/*
** emit_c.h — the C emitter's shared state.  emit_program.c writes the
** program's structure (model struct, allocation, initialization, data,
** update, driver); emit_kernels.c writes one loop nest per graph node.
*/
#ifndef MGC_EMIT_C_H
#define MGC_EMIT_C_H

#include <stdio.h>

#include "model.h"

typedef struct EmitOptions {
  int f64;            /* --dtype=f64 */
  int annotate;       /* teaching comments */
} EmitOptions;

typedef struct Emitter {
  FILE *out;
  Model *m;
  Graph *g;
  Arena *arena;
  EmitOptions opt;
  const char *real;       /* "float" or "double" */
  const char **names;     /* C member name per node id, NULL if not a buffer */
  char *is_buffer;        /* node gets an array in the model struct */
  char *in_param_block;   /* a param's gradient: allocated with the params */
  struct Schedule *schedule;
  const char *source_text;
} Emitter;

/* The C expression for the element count of a shape ("m->N * 2"). */
const char *emit_numel(Emitter *e, Shape s);
/* A constant as a C literal of the program's real type. */
const char *emit_real_literal(Emitter *e, double v);
/* Writes the kernel that computes node n (nothing for leaves). */
void emit_kernel(Emitter *e, Node *n, int train);
/* The .mg source line of a location, for comments. */
const char *emit_source_line(Emitter *e, Loc loc);

/* emit_driver.c: batches, the training loop, evaluation and main. */
void emit_driver(Emitter *e);
const char *emit_member(Emitter *e, Node *n);

int emit_program(FILE *out, Model *m, const char *source_text, EmitOptions opt);

#endif
