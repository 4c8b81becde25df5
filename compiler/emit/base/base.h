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
  int library;        /* --emit=lib: a C API instead of a program */
  const char *prefix; /* library mode: the API's symbol prefix */
  const char *header; /* library mode: the header's path as #included */
  FILE *header_out;   /* library mode: where the header goes */
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
  const char **line_starts; /* where each line of source_text starts (emit_source_line) */
  int n_lines;
  /* Inside the training step's row blocks (emit_step.c): the C name of the
     block's row count, which loops over the batch run to; NULL elsewhere. */
  const char *block_rows;
  Node *current;          /* the node whose kernel is being written */
  const char **sum_count; /* per node id: what a block-summed mean divides by */
  const char **fused_vals; /* emit_kernels.c's table for fused loops, and its length */
  int fused_vals_len;
} Emitter;

/* The C expression for the element count of a shape ("m->N * 2"). */
const char *emit_numel(Emitter *e, Shape s);
/* A constant as a C literal of the program's real type. */
const char *emit_real_literal(Emitter *e, double v);
/* A constant or an element count (numel) as a C expression of the
   program's real type ("(float)m->N"). */
const char *emit_scalar(Emitter *e, Node *n);
/* The exp function of the program's real type: mgrt_expf (vectorizable,
   runtime/mgrt_math.h) or exp. */
const char *emit_exp_fn(Emitter *e);
/* A dimension as a loop bound: its size, or m->N (inside a row block, the
   block's rows). */
const char *emit_dim(Emitter *e, Dim d);
/* The number of elements of a shape as a value to divide by (a mean): with
   m->N, the whole batch's rows, also inside a row block. */
const char *emit_count(Emitter *e, Shape s);
const char *emit_dim_count(Emitter *e, Dim d);
/* Stores a finished sum: out[idx] = acc, or acc / count for a mean (count
   NULL: a sum).  Inside a row block the sum is the block's part of a sum
   over rows, and it is added to the step's running sum instead
   (sums[place + idx]), which emit_step.c stores after the last block. */
void emit_sum_store(Emitter *e, const char *out, const char *idx, const char *acc, const char *count, int indent);

/* Partial sums that sums over many elements run in: a loop with one
   running sum cannot be vectorized without reordering its additions, which
   compilers do only under -ffast-math; with the lanes written out, the
   vector code is exactly the C.  The sums stay in double. */
enum { SUM_LANES = 16 };

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

/* emit_losses.c.  The node a fused loss also writes in the training step
   (its sigmoid or softmax, for backward), or NULL. */
Node *emit_companion(Emitter *e, Node *n, int train);
void emit_bce(Emitter *e, Node *n);
void emit_bce_logits(Emitter *e, Node *n, int train);
void emit_class_loss(Emitter *e, Node *n, int train);
/* The training step's softmax cross-entropy that computes its logits'
   product too (Schedule.logits_of): one mgrt_matmul_*_softmax_ce call. */
void emit_product_class_loss(Emitter *e, Node *n);
/* How a call into libmgrt names a product's operands: its kind ("nn", "nt"
   or "tn": which operand is read transposed), A and B (a batch input from
   the row block's first row), and the sizes M, K and N of C[M, N] =
   op(A)[M, K] op(B)[K, N]. */
typedef struct ProductCall {
  const char *kind, *a, *b, *M, *K, *N;
} ProductCall;
ProductCall emit_product_call(Emitter *e, Node *n);
/* The array `name` of node x as the current kernel reads it: a batch input
   inside a row block from the block's first row (r0). */
const char *emit_rows_from(Emitter *e, Node *x, const char *name);
/* Writes the kernel that computes node n (nothing for leaves). */
void emit_kernel(Emitter *e, Node *n, int train);
/* The teaching comment above a kernel (nothing with --annotate=none). */
void emit_kernel_comment(Emitter *e, Node *n);
/* emit_step.c: train_step(m, logged), whole or in blocks of rows. */
void emit_train_step(Emitter *e);
/* The .mg source line of a location, for comments. */
const char *emit_source_line(Emitter *e, Loc loc);

/* emit_driver.c: batches, the training loop, evaluation and main. */
void emit_driver(Emitter *e);
const char *emit_member(Emitter *e, Node *n);

int emit_program(FILE *out, Model *m, const char *source_text, EmitOptions opt);
/* The memory a generated program uses (mgc --stats, and #defines in the C). */
typedef struct MemStats {
  long param_bytes, grad_bytes, optimizer_bytes;
  long activation_per_row, activation_fixed;  /* activations for a batch of rows */
  int buffers, slots;
} MemStats;
void emit_memory_stats(Emitter *e, MemStats *st);
/* Sets up an emitter for m without writing anything (for --stats). */
void emit_prepare(Emitter *e, FILE *out, Model *m, const char *source_text, EmitOptions opt);

/* emit_predict.c: the training program's --predict: predict_outputs (the
   phase) and the driver's predict() with its data loading and CSV. */
void emit_predict_phase(Emitter *e);
void emit_predict(Emitter *e);

/* emit_lib.c: the library's API functions and its header. */
void emit_library(Emitter *e);
/* emit_driver.c: model_save and model_load (safetensors). */
void emit_checkpoints(Emitter *e);
void emit_lib_header(Emitter *e, FILE *out);
/* Shared by the program and the library emitters. */
void emit_section(Emitter *e, const char *title);
void emit_phase(Emitter *e, const char *name, const char *doc, const char *set, int train);
long emit_input_width(const Input *in);

#endif
