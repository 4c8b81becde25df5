/*
** schedule.h — what the generated program computes where.
**
** The training step runs forward (what the loss needs), then on logged
** steps compute_metrics (what train's metrics need besides), then backward
** (what the gradients need besides).  evaluate_batch computes the loss and
** eval's metrics; predict computes the outputs.  Every computed node gets a
** buffer, except a transpose that only matrix products read (they read the
** operand transposed) and gradients of params, which live with the params.
** A byproduct (ops.def's F_BYPRODUCT: a value a fused loss's kernel writes
** on the way) is in the phase of its loss; its buffer is written by that
** loss's kernel.  The schedule is built once per model, after the passes
** (compile.c), and shared by the memory plan, the emitter and --explain.
*/
#ifndef MGC_SCHEDULE_H
#define MGC_SCHEDULE_H

#include "model.h"

typedef struct Schedule {
  char *forward, *metrics, *backward, *eval, *predict;  /* node sets, by id */
  char *evaluate;        /* library mode: the loss and train's metrics */
  char *buffer;          /* the node has an array of its own */
  char *in_param_block;  /* a param's gradient: allocated with the params */
  /* The training step in blocks of rows (rowblock.c): block_rows is the
     rows per block, 0 when the step runs on the whole batch at once;
     block[id] is the node's BlockKind; sum_at[id] is where a sum over rows
     keeps its running total in the step's `sums` array (-1: none), n_sums
     that array's length, scratch_elems the largest row-block product. */
  int block_rows;
  char *block;
  int *sum_at;
  int n_sums;
  long scratch_elems;
} Schedule;

/* The most classes for which a loss computes its logits' product
   (matmul_softmax_cross_entropy, passes/products.c): runtime/mgrt.h's
   MGRT_SOFTMAX_CE_MAX_CLASSES. */
#define MGC_PRODUCT_LOSS_CLASSES 16

/* What a node is to a step run in blocks of rows. */
typedef enum {
  BLOCK_OFF,     /* not in the step */
  BLOCK_GLOBAL,  /* reads no rows (params, constants): the same in every block */
  BLOCK_ROW,     /* row r of it needs only row r of its operands: one block at a time */
  BLOCK_SUM,     /* a sum over rows: each block adds its part; whole after the last block */
  BLOCK_AFTER,   /* reads a sum over rows: computed once, after the blocks */
} BlockKind;

/* Decides whether the training step can run in blocks of m->block_rows rows
   and fills the block fields of s (rowblock.c). */
void rowblock_plan(Model *m, Schedule *s);

/* The schedule of m's graph: built on the first call after the graph last
   changed (pass_rebuild forgets it) and kept on the Model, so the memory
   plan, the emitter and --explain/--stats share one. */
Schedule *schedule_of(Model *m);
/* Whether the driver reads n after the step: the loss, a metric (train's
   or eval's) or an output. */
int schedule_is_root(const Model *m, const Node *n);
/* How a product operator (matmul, matmul_bias, matmul_softmax_cross_entropy)
   reads its two operands, as libmgrt's calls are named: "nn", or "nt" / "tn"
   when the second / first is a transpose read in place (without an array). */
const char *schedule_product_kind(const Schedule *s, const Node *n);
/* Adds to `set` every node that root needs (itself included). */
void schedule_collect(const Graph *g, const Node *root, char *set);

#endif
