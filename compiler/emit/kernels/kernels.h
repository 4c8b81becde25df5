/*
** kernels.h — the emitter's kernel layer: the code that computes one node,
** a loop nest or a call into libmgrt.  It writes with base/ and is called
** by step/ and program/.
*/
#ifndef MGC_EMIT_KERNELS_H
#define MGC_EMIT_KERNELS_H

#include "emit/base/base.h"

/* ---- kernels.c -------------------------------------------------------------- */

/* Writes the kernel that computes node n (nothing for leaves); train: in
   the training step (dropout draws, a fused loss writes its byproduct). */
void emit_kernel(Emitter *e, Node *n, int train);
/* The kernel in a block of its own, under its teaching comment:
   "  {", the kernel indented inside, "  }" (note: a comment after the
   brace, or NULL). */
void emit_kernel_block(Emitter *e, Node *n, int train, const char *note);
/* A constant or an element count (numel) as a C expression of the
   program's real type ("(float)m->N"). */
const char *emit_scalar(Emitter *e, Node *n);
/* How a call into libmgrt names a product's operands: its kind ("nn", "nt"
   or "tn": which operand is read transposed), A and B (a batch input from
   the row block's first row), and the sizes M, K and N of C[M, N] =
   op(A)[M, K] op(B)[K, N]. */
typedef struct ProductCall {
  const char *kind, *a, *b, *M, *K, *N;
} ProductCall;
ProductCall emit_product_call(Emitter *e, Node *n);

/* What the kernel of a node refers to inside a row block's function (of
   parameters m, r0, rows and sums), known from the node and the schedule
   before the kernel is written. */
typedef struct KernelRefs {
  int model;  /* m: a buffer, m->N or the random stream */
  int r0;     /* the block's first row: a batch input read from it */
  int rows;   /* the block's row count: a loop over rows */
  int sums;   /* the step's running sums: a sum over rows */
} KernelRefs;
/* Adds to *r what node n's kernel refers to in a row block. */
void emit_kernel_refs(Emitter *e, Node *n, KernelRefs *r);

/* An elementwise operator's C expression (ops.def's template) on operand
   expressions. */
const char *emit_expand(Emitter *e, Node *n, const char **operands);

/* ---- scan.c ------------------------------------------------------------------- */

/* The loop over time of a scan or scan_back, with its body's kernels. */
void emit_scan(Emitter *e, Node *n);
/* The elements of one step's values of a scan: per row of the batch and
   fixed (the model's step_scratch holds the largest). */
void emit_scan_scratch(const Node *n, long *per_row, long *fixed);

/* ---- index.c ------------------------------------------------------------------ */

/* x[i, :, ...] and its gradient, which clears the whole of dx first. */
void emit_index(Emitter *e, Node *n);
void emit_index_grad(Emitter *e, Node *n);

/* ---- conv.c ------------------------------------------------------------------ */

/* Writes the kernel of a convolution or pooling operator, or its gradient,
   and returns 1; 0 for any other operator. */
int emit_conv_kernel(Emitter *e, Node *n);
/* Whether n's kernel is a libmgrt call that takes its arrays as they are
   (no restrict locals): the convolutions and poolings. */
int emit_is_runtime_call(const Node *n);
/* Whether n's kernel works in the convolutions' scratch (m->conv_scratch). */
int emit_uses_conv_scratch(const Emitter *e, const Node *n);

/* ---- losses.c ----------------------------------------------------------------- */

/* The byproduct a fused loss also writes in the phase being written
   (loss_sigmoid or loss_softmax, for backward), or NULL. */
Node *emit_byproduct(Emitter *e, Node *n, int train);
void emit_bce(Emitter *e, Node *n);
void emit_bce_logits(Emitter *e, Node *n, int train);
void emit_class_loss(Emitter *e, Node *n, int train);
/* matmul_softmax_cross_entropy, the training step's loss that computes its
   logits' product too: one mgrt_matmul_*_softmax_ce call. */
void emit_product_class_loss(Emitter *e, Node *n);

/* ---- batch_norm.c ------------------------------------------------------------- */

/* batch_norm in the phase's mode (train: the batch's statistics, updating
   the running ones); its gradients' kernels. */
void emit_batch_norm(Emitter *e, Node *n, int train);
void emit_batch_norm_grad(Emitter *e, Node *n);
/* The first batch norm of the training step with one value per channel and
   row ([N, C], or images of one pixel), or NULL: a training batch of one
   row cannot be normalized (PyTorch refuses it too). */
const Node *emit_batch_norm_of_rows(Emitter *e);

#endif
