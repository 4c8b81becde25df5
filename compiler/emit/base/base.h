/*
** base.h — the C emitter's bottom layer: the Emitter's state and the
** helpers every other layer writes with.  Nothing here calls up into a
** higher layer (tests/layers/ checks it).
**
** The emitter's layers, each a folder, each with one header:
**
**   base/     names, literals, sizes, sums, running text (this header)
**   kernels/  one loop nest or libmgrt call per node: kernels.h
**   step/     phases of kernels and the training step: step.h
**   program/  the program or library around them: program.h, and the
**             compiler's entry points in ../emit.h
**
** A file includes its own layer's header and those below it, never one
** above.
*/
#ifndef MGC_EMIT_BASE_H
#define MGC_EMIT_BASE_H

#include <stdio.h>

#include "model.h"

typedef struct EmitOptions {
  int f64;            /* --dtype=f64 */
  int annotate;       /* teaching comments */
  int library;        /* --emit=lib: a C API instead of a program */
  const char *prefix; /* library mode: the API's symbol prefix */
  const char *header; /* library mode: the header's path as #included */
  FILE *header_out;   /* library mode: where the header goes */
} EmitOptions;

/* The memory a generated program uses (mgc --stats, and #defines in the C). */
typedef struct MemStats {
  long param_bytes, grad_bytes, optimizer_bytes;
  long activation_per_row, activation_fixed;  /* activations for a batch of rows */
  int buffers, slots;
} MemStats;

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
  const char **line_starts; /* where each line of source_text starts (emit_source_line) */
  int n_lines;
  /* Inside the training step's row blocks (step/step.c): the C name of the
     block's row count, which loops over the batch run to; NULL elsewhere. */
  const char *block_rows;
  Node *current;          /* the node whose kernel is being written */
  const char *phase;      /* the node set of the phase being written (step layer), else NULL */
  const char **sum_count; /* per node id: what a block-summed mean divides by */
  const char **fused_vals; /* kernels.c's table for fused loops, and its length */
  int fused_vals_len;
  /* emit_out: the spaces before each line (a kernel inside its block's
     braces), and whether the next character starts a line */
  int indent;
  int line_start;
} Emitter;

/* ---- names.c ---------------------------------------------------------------- */

/* Gives every buffer node its C name (Emitter.names: "m->h1", literals'
   file-level "literal7") and every param its c_name. */
void emit_assign_names(Emitter *e);
/* A buffer's struct member name ("h1" for m->h1). */
const char *emit_member(Emitter *e, Node *n);
/* The C element type of a node's array: int64_t or the real type. */
const char *emit_type_of(Emitter *e, const Node *n);

/* ---- literals.c --------------------------------------------------------------- */

/* A constant as a C literal of the program's real type, in the shortest
   form that reads back as the same float (or double). */
const char *emit_real_literal(Emitter *e, double v);
/* A finite double as a C double literal, the shortest that reads back as
   the same double (the runtime's double arguments: a learning rate, an
   initializer's bounds). */
const char *emit_double_literal(Emitter *e, double v);
/* The values of an array initializer, eight a line (as int64_t if as_int). */
void emit_values(Emitter *e, const double *v, long count, int as_int);
/* s as a C string literal, quotes and backslashes escaped; c as a C
   character constant. */
const char *emit_c_string(Emitter *e, const char *s);
const char *emit_c_char(Emitter *e, char c);
/* The exp function of the program's real type: mgrt_expf (vectorizable,
   runtime/mgrt_math.h) or exp. */
const char *emit_exp_fn(Emitter *e);

/* ---- shapes.c ------------------------------------------------------------------ */

/* A dimension as a loop bound: its size, or m->N (inside a row block, the
   block's rows). */
const char *emit_dim(Emitter *e, Dim d);
/* The C expression for the element count of a shape ("m->N * 2"), rows
   as emit_dim counts them. */
const char *emit_numel(Emitter *e, Shape s);
/* The number of elements of a shape as a value to divide by (a mean): with
   m->N, the whole batch's rows, also inside a row block. */
const char *emit_count(Emitter *e, Shape s);
const char *emit_dim_count(Emitter *e, Dim d);
/* The array `name` of node x as the current kernel reads it: a batch input
   or a dropout mask inside a row block from the block's first row (r0). */
const char *emit_rows_from(Emitter *e, Node *x, const char *name);
/* Whether emit_rows_from offsets x's array inside a row block. */
int emit_reads_from_r0(const Node *x);

/* ---- sums.c --------------------------------------------------------------------- */

/* Partial sums that sums over many elements run in: a loop with one
   running sum cannot be vectorized without reordering its additions, which
   compilers do only under -ffast-math; with the lanes written out, the
   vector code is exactly the C.  The sums stay in double. */
enum { SUM_LANES = 16 };

/* Stores a finished sum: out[idx] = acc, or acc / count for a mean (count
   NULL: a sum).  Inside a row block the sum is the block's part of a sum
   over rows, and it is added to the step's running sum instead
   (sums[place + idx]), which step/step.c stores after the last block. */
void emit_sum_store(Emitter *e, const char *out, const char *idx, const char *acc, const char *count, int indent);
/* Adds the SUM_LANES partial sums `lanes` to `acc`, pairwise (four
   dependent additions, not sixteen: on small inputs the fold is much of a
   sum's time). */
void emit_fold_lanes(Emitter *e);
/* Writes the statements that compute one element of a reduction's input at
   loop indices i0..i{r-1} (or, for rank 0, at flat index i), indented by
   `indent`, and returns its value as a C expression. */
typedef const char *(*ElementFn)(Emitter *e, void *ctx, int rank, int indent);
/* out[0] = the sum (mean: the mean) over all elements of `shape`, run in
   SUM_LANES partial sums, the element at flat index i from flat_element
   (called twice: the lanes' loop and the remainder's). */
void emit_lane_sum(Emitter *e, const char *out, Shape shape, int mean, ElementFn flat_element, void *ctx);

/* ---- text.c ---------------------------------------------------------------------- */

/* A section banner. */
void emit_section(Emitter *e, const char *title);
/* Finds where each line of e->source_text starts (for emit_source_line). */
void emit_line_table(Emitter *e);
/* The .mg source line of a location, for comments. */
const char *emit_source_line(Emitter *e, Loc loc);
/* The teaching comment above a kernel (nothing with --annotate=none). */
void emit_kernel_comment(Emitter *e, Node *n);
/* Like fprintf(e->out, ...), with e->indent spaces before every line that
   is not empty: the kernels write as if at the left, and come out indented
   to the block they are in. */
void emit_out(Emitter *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A call of fn with n arguments, as text to print: on one line when it has
   at most EMIT_CALL_ONE_LINE_ARGS arguments, else one argument a line,
   indented by indent + 4, each followed by its parameter's name as a
   comment (names[i]: as runtime/mgrt.h names them).  tail follows the
   closing parenthesis (";", ") != 0)"); the text ends with a newline. */
enum { EMIT_CALL_ONE_LINE_ARGS = 4 };
const char *emit_call(Emitter *e, int indent, const char *fn, int n, const char *const *names,
                      const char *const *args, const char *tail);

#endif
