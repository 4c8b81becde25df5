/*
** rowblock.c — whether the training step can run in blocks of rows.
**
** A full-batch step over a large data set reads every row of the input
** twice: once in the forward pass (x @ W) and once more for the weight
** gradient (dW = dZ^T x), with the whole batch's activations written and
** read in between.  When every row of every activation depends only on the
** same row of the data, the step can instead run forward and backward on
** one block of rows at a time: the block's input and activations stay in
** cache from the forward product to the weight gradient, the input is read
** from memory once, and the activations are only ever a block big.
**
** What each node of the step (forward, metrics and backward) is, in id order
** (operands before users):
**   GLOBAL  reads no rows: params, constants, values made of them (but a
**           value broadcast to the batch's rows, or summed over them, is ROW
**           or SUM: its loops run over the rows);
**   ROW     row r needs row r of its operands only: elementwise operators,
**           x @ W, softmax along a row, argmax along a row, onehot, flatten,
**           x[:, i] and its gradient;
**   SUM     sums over rows of ROW values: sum/mean (or a fused loop ending
**           in one), the losses, A^T @ B contracting over rows (a weight
**           gradient); each block adds its part, the whole is stored after
**           the last block;
**   AFTER   reads a SUM: runs once after the blocks (a loss plus a
**           regularizer, a gradient plus weight decay).
** The step runs in blocks when every node of it is one of these, no ROW or
** SUM node reads an AFTER or SUM node, and at least one SUM exists.  A
** dropout mask is a ROW node drawn for the whole batch before the first
** block (masks drawn block by block would take PyTorch's draws in another
** order); the blocks read their rows of it, as they read the batch's
** inputs.  That also lets each process of a data-parallel job compute its
** slice of the batch with the single-process masks.  Anything else (softmax
** across rows, argmax across rows, a materialized transpose of a batch)
** keeps the whole-batch step.
**
** The sums stay in double across blocks: each block's kernel computes its
** part exactly as the whole-batch kernel would (in double), and the parts
** are added in double in block order, so the result is deterministic and
** at least as accurate as the whole-batch sum.  The weight gradients are
** float products, summed over blocks in float.
*/
#include "schedule.h"

static int row_aligned(const Node *x) { return x->shape.rank >= 1 && x->shape.dims[0].sym; }

/* Whether reduction n of x (SUM, MEAN or SUM_TO) sums over x's rows. */
static int sums_rows(const Node *n, const Node *x) {
  if (n->op == OP_SUM_TO) {
    int j = n->shape.rank - x->shape.rank;
    return j < 0 || (!n->shape.dims[j].sym && n->shape.dims[j].n == 1);
  }
  return n->attr.axis < 0 || n->attr.axis == 0;
}

/* The kind of reduction n over x (ROW operands), or BLOCK_OFF. */
static BlockKind reduction_kind(const Node *n, const Node *x) {
  if (!row_aligned(x))
    return BLOCK_OFF;
  if (sums_rows(n, x))
    return shape_has_sym(n->shape) ? BLOCK_OFF : BLOCK_SUM;
  return row_aligned(n) ? BLOCK_ROW : BLOCK_OFF;
}

/* A node with at least one ROW operand and no SUM or AFTER operand. */
static BlockKind row_kind(const Schedule *s, const Node *n) {
  const char *kind = s->block;
  int ta, tb;
  switch (n->op) {
  case OP_TRANSPOSE:
    /* a view the products read through is fine; a materialized one is not */
    return s->buffer[n->id] ? BLOCK_OFF : BLOCK_ROW;
  case OP_MATMUL: case OP_MATMUL_BIAS:
    ta = n->in[0]->op == OP_TRANSPOSE && !s->buffer[n->in[0]->id];
    tb = n->in[1]->op == OP_TRANSPOSE && !s->buffer[n->in[1]->id];
    if (!ta && kind[n->in[0]->id] == BLOCK_ROW && row_aligned(n->in[0]) && kind[n->in[1]->id] == BLOCK_GLOBAL)
      return BLOCK_ROW; /* x @ W: rows of x to rows of the result */
    if (ta && !tb && row_aligned(n->in[0]->in[0]) && kind[n->in[1]->id] == BLOCK_ROW && row_aligned(n->in[1]))
      return shape_has_sym(n->shape) ? BLOCK_OFF : BLOCK_SUM; /* A^T @ B over the rows */
    return BLOCK_OFF;
  case OP_SUM: case OP_MEAN: case OP_SUM_TO:
    return reduction_kind(n, n->in[0]);
  case OP_ARGMAX: case OP_SOFTMAX: case OP_LOG_SOFTMAX:
    return n->attr.axis > 0 && row_aligned(n->in[0]) && row_aligned(n) ? BLOCK_ROW : BLOCK_OFF;
  case OP_ONEHOT: case OP_RESHAPE:
    return row_aligned(n->in[0]) && row_aligned(n) ? BLOCK_ROW : BLOCK_OFF;
  case OP_INDEX: case OP_INDEX_GRAD:
    /* the batch dim is always kept (sema): row r of x to row r of x[:, i] */
    return row_aligned(n->in[0]) && row_aligned(n) && n->attr.subscript.keep[0] ? BLOCK_ROW : BLOCK_OFF;
  case OP_BCE: case OP_BCE_LOGITS: case OP_SOFTMAX_CE: case OP_NLL:
    return row_aligned(n->in[0]) && row_aligned(n->in[1]) ? BLOCK_SUM : BLOCK_OFF;
  case OP_MATMUL_SOFTMAX_CE:
    /* rows of x and of the labels to the rows' losses, summed */
    ta = n->in[0]->op == OP_TRANSPOSE && !s->buffer[n->in[0]->id];
    return !ta && kind[n->in[0]->id] == BLOCK_ROW && row_aligned(n->in[0]) && kind[n->in[1]->id] == BLOCK_GLOBAL &&
                   row_aligned(n->in[n->n_in - 1]) && !shape_has_sym(n->shape)
               ? BLOCK_SUM
               : BLOCK_OFF;
  case OP_DROPOUT_MASK:
    return BLOCK_OFF;
  case OP_CONV2D: case OP_CONV2D_GRAD_INPUT: case OP_CONV2D_GRAD_WEIGHT: case OP_CONV2D_GRAD_BIAS:
  case OP_MAX_POOL2D: case OP_MAX_POOL2D_GRAD: case OP_AVG_POOL2D: case OP_AVG_POOL2D_GRAD:
    /* A step with a convolution or a pooling runs on the whole batch.  Row
       blocks keep a block's activations in cache between the forward
       product and the weight gradient; libmgrt's convolutions already work
       image by image (each image's im2col columns, then a product on them),
       and an image's activations in lab 10 (32x28x28 floats, 100 KB) fill a
       block of 256 KB by themselves, so blocks would save nothing, while the
       weight gradient, a sum over the batch, would need its per-block parts
       summed as the runtime already sums its runs of images. */
    return BLOCK_OFF;
  default:
    break;
  }
  if (n->op != OP_FUSED && !(op_info[n->op].flags & F_ELEM))
    return BLOCK_OFF;
  /* Elementwise (or a fused loop): every ROW operand must have the rows of
     the loop's shape as its own first dim. */
  const Node *root = n->op == OP_FUSED ? n->attr.body : NULL;
  int reduces = root && (root->op == OP_SUM || root->op == OP_MEAN || root->op == OP_SUM_TO);
  Shape iter = reduces ? root->in[0]->shape : n->shape;
  if (iter.rank < 1 || !iter.dims[0].sym)
    return BLOCK_OFF;
  for (int k = 0; k < n->n_in; k++)
    if (kind[n->in[k]->id] == BLOCK_ROW && (n->in[k]->shape.rank != iter.rank || !row_aligned(n->in[k])))
      return BLOCK_OFF;
  if (reduces)
    return reduction_kind(root, root->in[0]);
  return BLOCK_ROW;
}

static BlockKind leaf_kind(const Node *n) {
  if (n->op == OP_INPUT && row_aligned(n))
    return BLOCK_ROW;
  return BLOCK_GLOBAL;
}

static BlockKind node_kind(const Schedule *s, const Node *n) {
  /* a byproduct holds, row by row, values its loss computes per row of the
     logits: its loss's kernel writes each block's rows */
  if (op_info[n->op].flags & F_BYPRODUCT)
    return s->block[n->in[0]->id] == BLOCK_SUM && row_aligned(n) ? BLOCK_ROW : BLOCK_OFF;
  if (op_info[n->op].flags & F_LEAF || n->n_in == 0)
    return n->op == OP_DROPOUT_MASK ? (row_aligned(n) ? BLOCK_ROW : BLOCK_OFF) : leaf_kind(n);
  int rows = 0, after = 0;
  for (int k = 0; k < n->n_in; k++) {
    BlockKind b = (BlockKind)s->block[n->in[k]->id];
    if (b == BLOCK_OFF)
      return BLOCK_OFF;
    rows |= b == BLOCK_ROW;
    after |= b == BLOCK_SUM || b == BLOCK_AFTER;
  }
  /* A node that loops over the batch's rows reads rows even when its
     operands do not: a params' value broadcast to [N, C], or summed over it. */
  const Node *root = n->op == OP_FUSED ? n->attr.body : NULL;
  int loops_rows = shape_has_sym(n->shape) ||
                   (root && root->n_in > 0 && shape_has_sym(root->in[0]->shape));
  rows |= loops_rows;
  if (after)
    return rows ? BLOCK_OFF : BLOCK_AFTER;
  return rows ? row_kind(s, n) : BLOCK_GLOBAL;
}

/* The default block: as many rows as fit BLOCK_BYTES of the step's batch
   inputs and activations, so that a block written by the forward pass is
   still in the core's L2 cache when the backward pass reads it (a quarter
   of a 1 MiB L2, leaving room for the weights and the products' packed
   panels); at least BLOCK_MIN_ROWS, so that the matrix products of wide
   layers keep rows enough to run at full speed (and a batch of 100 stays
   one block); at most BLOCK_MAX_ROWS; a multiple of 64. */
enum { BLOCK_BYTES = 256 * 1024, BLOCK_MIN_ROWS = 256, BLOCK_MAX_ROWS = 4096 };

static int auto_block_rows(const Model *m, const Schedule *s) {
  const Graph *g = m->graph;
  long row_bytes = 0;
  for (int i = 0; i < g->nodes.len; i++) {
    const Node *node = g->nodes.items[i];
    int in_step = s->forward[i] || s->metrics[i] || s->backward[i];
    int batch_input = node->op == OP_INPUT && row_aligned(node);
    if (s->block[i] != BLOCK_ROW || !(batch_input || (in_step && s->buffer[i])))
      continue;
    row_bytes += (long)shape_static_numel(node->shape) * (node->dtype == DT_I64 ? 8 : 4);
  }
  long rows = row_bytes > 0 ? BLOCK_BYTES / row_bytes : BLOCK_MAX_ROWS;
  rows = rows < BLOCK_MIN_ROWS ? BLOCK_MIN_ROWS : rows > BLOCK_MAX_ROWS ? BLOCK_MAX_ROWS : rows;
  return (int)(rows / 64 * 64);
}

void rowblock_plan(Model *m, Schedule *s) {
  const Graph *g = m->graph;
  int n = g->nodes.len;
  s->block = ARENA_ARRAY(g->arena, char, n + 1);
  s->sum_at = ARENA_ARRAY(g->arena, int, n + 1);
  s->block_rows = 0;
  s->n_sums = 0;
  s->scratch_elems = 0;
  for (int i = 0; i < n; i++)
    s->sum_at[i] = -1;
  if (m->block_rows == 0 || !m->train.loss)
    return;
  int any_sum = 0, ok = 1;
  for (int i = 0; i < n && ok; i++) {
    const Node *node = g->nodes.items[i];
    int in_step = s->forward[i] || s->metrics[i] || s->backward[i];
    /* Nodes outside the step are looked at too (leaves, evaluation's
       nodes): a node's kind depends only on its operands' kinds. */
    BlockKind b = node_kind(s, node);
    if (b == BLOCK_OFF && in_step)
      ok = 0;
    s->block[i] = (char)b;
    any_sum |= in_step && b == BLOCK_SUM;
  }
  if (!ok || !any_sum) {
    for (int i = 0; i < n; i++)
      s->block[i] = BLOCK_OFF;
    return;
  }
  s->block_rows = m->block_rows > 0 ? (int)m->block_rows : auto_block_rows(m, s);
  for (int i = 0; i < n; i++) {
    const Node *node = g->nodes.items[i];
    /* only the step keeps sums (evaluation's loss is a SUM node too) */
    if (s->block[i] != BLOCK_SUM || !s->buffer[i] || !(s->forward[i] || s->metrics[i] || s->backward[i]))
      continue;
    long elems = (long)shape_static_numel(node->shape);
    if (node->op == OP_MATMUL) {
      if (elems > s->scratch_elems)
        s->scratch_elems = elems;
    } else {
      s->sum_at[i] = s->n_sums;
      s->n_sums += (int)elems;
    }
  }
}
