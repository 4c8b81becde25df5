/*
** batch_norm.c — the kernels of batch norm's operators: calls of libmgrt's
** mgrt_batch_norm_* (runtime/batch_norm.c) with the layer's sizes in a shape
** struct and its arrays in an mgrt_batch_norm struct, as the product
** kernels name theirs.
**
** The forward's mode is the phase's: the training step normalizes with the
** batch's statistics, writes them for the backward pass (the byproducts
** batch_norm_mean and batch_norm_invstd), updates the running statistics
** and counts the batch in num_batches_tracked, as nn.BatchNorm does in
** train(); evaluation and prediction normalize with the running statistics
** and change nothing, as in eval().
*/
#include "emit/kernels/kernels.h"
#include "schedule.h"

#include <string.h>

#define P(...) emit_out(e, __VA_ARGS__)

/* Values per channel and image: 1 for [N, C], H W for [N, C, H, W]. */
static long per_image(const Node *x) {
  long hw = 1;
  for (int d = 2; d < x->shape.rank; d++)
    hw *= x->shape.dims[d].n;
  return hw;
}

const Node *emit_batch_norm_of_rows(Emitter *e) {
  for (int i = 0; i < e->g->nodes.len; i++) {
    const Node *n = e->g->nodes.items[i];
    if (n->op == OP_BATCH_NORM && e->schedule->forward[i] && per_image(n) == 1)
      return n;
  }
  return NULL;
}

static void emit_shape(Emitter *e, const Node *x, const Node *bn) {
  P("  const mgrt_batch_norm_shape shape = {.n = %s, .c = %ld, .hw = %ld, .eps = %s, .momentum = %s};\n",
    emit_dim(e, x->shape.dims[0]), x->shape.dims[1].n, per_image(x),
    bn ? emit_double_literal(e, bn->attr.norm.eps) : "0", bn ? emit_double_literal(e, bn->attr.norm.momentum) : "0");
}

/* The array of byproduct `op` of n, when the phase has it. */
static const char *saved(Emitter *e, Node *n, Op op) {
  Node *b = ir_byproduct(e->g, n, op);
  return b && e->is_buffer[b->id] ? e->names[b->id] : NULL;
}

/* batch_norm(x, weight, bias, running_mean, running_var, num_batches_tracked). */
void emit_batch_norm(Emitter *e, Node *n, int train) {
  const char *sfx = e->opt.f64 ? "_f64" : "";
  Node *x = n->in[0];
  const char *mean = train ? saved(e, n, OP_BN_MEAN) : NULL, *invstd = train ? saved(e, n, OP_BN_INVSTD) : NULL;
  long c = x->shape.dims[1].n;
  emit_shape(e, x, n);
  if (train && (!mean || !invstd)) {
    /* no backward pass reads the batch's statistics: they live here */
    P("  %s mean[%ld], invstd[%ld];\n", e->real, c, c);
    mean = mean ? mean : "mean";
    invstd = invstd ? invstd : "invstd";
  }
  P("  const mgrt_batch_norm%s bn = {.weight = %s, .bias = %s, .running_mean = %s, .running_var = %s", sfx,
    e->names[n->in[1]->id], e->names[n->in[2]->id], e->names[n->in[3]->id], e->names[n->in[4]->id]);
  if (train) /* the second line under the first's fields */
    P(",\n%*s.save_mean = %s, .save_invstd = %s};\n", (int)(strlen("  const mgrt_batch_norm bn = {") + strlen(sfx)), "",
      mean, invstd);
  else
    P("};\n");
  if (!train) {
    P("  (void)mgrt_batch_norm_forward_eval%s(&shape, &bn, %s, %s);  /* the running statistics */\n", sfx,
      e->names[n->id], e->names[x->id]);
    return;
  }
  /* The only failure, one value per channel, is refused before the step
     runs (the driver's batch check; the library's train_step). */
  P("  (void)mgrt_batch_norm_forward_train%s(&shape, &bn, %s, %s);  /* the batch's statistics */\n", sfx,
    e->names[n->id], e->names[x->id]);
  P("  %s[0] += 1;  /* num_batches_tracked */\n", e->names[n->in[5]->id]);
}

/* batch_norm_grad_input(dy, x, weight, mean, invstd), _weight and _bias(dy,
   x, mean, invstd): one of mgrt_batch_norm_backward's three results. */
void emit_batch_norm_grad(Emitter *e, Node *n) {
  const char *sfx = e->opt.f64 ? "_f64" : "";
  Node *dy = n->in[0];
  emit_shape(e, dy, NULL);
  const char *out = e->names[n->id];
  int input = n->op == OP_BN_GRAD_INPUT;
  Node *mean = n->in[input ? 3 : 2], *invstd = n->in[input ? 4 : 3];
  P("  const mgrt_batch_norm%s bn = {.weight = %s, .save_mean = %s, .save_invstd = %s};\n", sfx,
    input ? e->names[n->in[2]->id] : "NULL", e->names[mean->id], e->names[invstd->id]);
  P("  (void)mgrt_batch_norm_backward%s(&shape, &bn, %s, %s, %s, %s, %s);\n", sfx, input ? out : "NULL",
    n->op == OP_BN_GRAD_WEIGHT ? out : "NULL", n->op == OP_BN_GRAD_BIAS ? out : "NULL", e->names[dy->id],
    e->names[n->in[1]->id]);
}
