/*
** schedule.h — what the generated program computes where.
**
** The training step runs forward (what the loss needs), then on logged
** steps compute_metrics (what train's metrics need besides), then backward
** (what the gradients need besides).  evaluate_batch computes the loss and
** eval's metrics; predict computes the outputs.  Every computed node gets a
** buffer, except a transpose that only matrix products read (they read the
** operand transposed) and gradients of params, which live with the params.
*/
#ifndef MGC_SCHEDULE_H
#define MGC_SCHEDULE_H

#include "model.h"

typedef struct Schedule {
  char *forward, *metrics, *backward, *eval, *predict;  /* node sets, by id */
  char *evaluate;        /* library mode: the loss and train's metrics */
  char *buffer;          /* the node has an array of its own */
  char *in_param_block;  /* a param's gradient: allocated with the params */
  /* In the training step a fused loss also writes the probabilities its
     gradient reads (softmax_cross_entropy: softmax(z); bce_with_logits:
     sigmoid(z)), so exp runs once per logit.  companion[loss id] is that
     node.  by_loss marks the nodes that a fused loss's kernel writes in the
     training step (the companion, and a logits' gradient, below): their own
     kernels are not emitted there, and each has memory of its own. */
  Node **companion;
  char *by_loss;
  /* A product read only by the addition of a bias (x @ W + b) is computed
     by that addition's kernel, with the bias, in one call
     (mgrt_matmul_*_bias): product_of[add id] is the product, which has no
     array of its own. */
  Node **product_of;
  /* In the training step (-O2), a softmax cross-entropy over at most 16
     classes whose logits are such a product, or a plain product, that
     nothing else in forward or backward reads computes the product itself,
     with the softmax and the loss, in one call (mgrt_matmul_*_softmax_ce):
     logits_of[loss id] is the logits node, which leaves the forward set
     (train's metrics, if they read it, compute it on logged steps;
     evaluation and prediction compute it as before).  When the backward
     pass's gradient of those logits is (softmax - onehot(labels)) / N, the
     call writes that too: logits_grad_of[loss id] (marked by_loss; the
     onehot then leaves the step), and probs_unread[loss id] says that
     nothing else reads the softmax, which the call then does not store. */
  Node **logits_of;
  Node **logits_grad_of;
  char *probs_unread;
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
   (Schedule.logits_of): runtime/mgrt.h's MGRT_SOFTMAX_CE_MAX_CLASSES. */
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

Schedule *schedule_build(Model *m);
/* Whether the driver reads n after the step: the loss, a metric (train's
   or eval's) or an output. */
int schedule_is_root(const Model *m, const Node *n);
/* Adds to `set` every node that root needs (itself included). */
void schedule_collect(const Graph *g, const Node *root, char *set);

#endif
