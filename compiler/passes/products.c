/*
** products.c — matrix products fused with what reads them (-O2).
**
** requires: the final joint graph (after fuse and byproducts).
** preserves: values (the fused calls compute the separate kernels' values
**            bit for bit); every root.
**
** 1. x @ W + b, when nothing else reads the product, becomes
**    matmul_bias(x, W, b): one libmgrt call (mgrt_matmul_*_bias) that
**    starts each row from the bias, and the product needs no array.  The
**    bias is an array (not a constant the C folds in) of one value, or of
**    one per column ([C] or [1, C]) of the [rows, C] result; the product's
**    A is not a transpose read in place (there is no _tn_bias call).
**
** 2. The training step's loss softmax_cross_entropy(z, y) over at most
**    MGC_PRODUCT_LOSS_CLASSES classes, whose logits z = x @ W (+ b) nothing
**    else in the step reads, becomes matmul_softmax_cross_entropy(x, W,
**    [b,] y): one call computes the product sixteen rows at a time and the
**    losses from registers; the logits are never stored.  Evaluation still
**    computes z (its metrics and the outputs may read it) and the loss from
**    it: the old loss node stays, as the model's eval_loss, and the new one
**    is the training step's loss.  So the two phases compute the loss with
**    different nodes, both in the IR.  The step's readers of
**    loss_softmax(old loss) read loss_softmax(new loss); when the backward
**    pass's gradient of the logits is exactly (loss_softmax - onehot(y)) / N
**    (the fused loop that autodiff and fuse make of this loss's gradient),
**    it becomes loss_logits_grad(new loss, N), which the call writes too.
**    Train's metrics that read z compute it on logged steps themselves;
**    when they read the softmax, the loss stays as it is.  Only the root
**    loss is fused (a loss that is a sum of terms keeps its separate
**    kernels).
**    Not in f64 programs (the call is float only).
*/
#include <string.h>

#include "pass.h"
#include "schedule.h"

/* ---- matmul_bias ------------------------------------------------------------ */

/* Whether transpose t will be read in place (schedule.c gives it no array):
   every reader reads it as one of a product's two operands, and it is not
   an output. */
static int transpose_in_place(const Model *m, const char *live, const Node *t) {
  const Graph *g = m->graph;
  int users = 0;
  for (int j = t->id + 1; j < g->nodes.len; j++) {
    const Node *u = g->nodes.items[j];
    if (!live[j])
      continue;
    for (int k = 0; k < u->n_in; k++) {
      if (u->in[k] != t)
        continue;
      users++;
      if ((u->op != OP_MATMUL && u->op != OP_MATMUL_BIAS) || k >= 2 || (u->in[0]->op == OP_TRANSPOSE && u->in[1]->op == OP_TRANSPOSE))
        return 0;
    }
  }
  for (int k = 0; k < m->n_outputs; k++)
    if (m->outputs[k].node == t)
      return 0;
  return users > 0;
}

/* Whether v can be the bias of a product of shape s (see 1. above). */
static int bias_shaped(const Model *m, const char *live, const Node *v, Shape s) {
  int array = v->op != OP_CONST && v->op != OP_NUMEL && !(v->op == OP_TRANSPOSE && transpose_in_place(m, live, v));
  if (!array || shape_has_sym(v->shape) || v->dtype != DT_F32 || s.rank != 2 || s.dims[1].sym)
    return 0;
  long numel = (long)shape_static_numel(v->shape);
  if (numel == 1)
    return 1;
  return numel == s.dims[1].n && (v->shape.rank == 1 || (v->shape.rank == 2 && !v->shape.dims[0].sym &&
                                                          v->shape.dims[0].n == 1));
}

typedef struct BiasAdds {
  Model *m;
  char *live;
  int *uses;
} BiasAdds;

static Node *bias_add(Rebuild *r, Node *add, void *ctx) {
  BiasAdds *b = ctx;
  if (add->op != OP_ADD || add->dtype != DT_F32)
    return NULL;
  for (int k = 0; k < 2; k++) {
    Node *prod = add->in[k], *bias = add->in[1 - k];
    if (prod->op != OP_MATMUL || b->uses[prod->id] != 1 || !shape_equal(prod->shape, add->shape) ||
        (prod->in[0]->op == OP_TRANSPOSE && transpose_in_place(b->m, b->live, prod->in[0])) ||
        !bias_shaped(b->m, b->live, bias, add->shape))
      continue;
    Node proto = ir_proto(OP_MATMUL_BIAS, add->dtype, add->shape, NULL);
    proto.n_in = 3;
    proto.in[0] = r->map[prod->in[0]->id];
    proto.in[1] = r->map[prod->in[1]->id];
    proto.in[2] = r->map[bias->id];
    proto.loc = add->loc;
    proto.is_grad = add->is_grad;
    proto.note = add->note;
    Node *n = ir_with_attrs(r->to, proto);
    n->name = add->name;
    return n;
  }
  return NULL;
}

static void fuse_bias_adds(Model *m) {
  BiasAdds b = {m, pass_live(m), NULL};
  b.uses = pass_use_counts(m, b.live);
  pass_rebuild(m, bias_add, &b);
}

/* ---- matmul_softmax_cross_entropy ------------------------------------------- */

typedef struct ProductLoss {
  Node *loss, *probs, *grad, *count; /* old nodes: the loss, loss_softmax(loss), the logits' gradient, N */
  Node *fused;                       /* the new loss, built when first needed */
} ProductLoss;

/* Whether a node of `set` other than skip reads x. */
static int read_in(const Graph *g, const char *set, const Node *x, const Node *skip) {
  for (int i = x->id + 1; i < g->nodes.len; i++) {
    const Node *u = g->nodes.items[i];
    if (!set[i] || u == skip)
      continue;
    for (int k = 0; k < u->n_in; k++)
      if (u->in[k] == x)
        return 1;
  }
  return 0;
}

/* The operand of fused node f that body leaf b stands for, or NULL. */
static Node *operand(const Node *f, const Node *b) {
  return b->op == OP_ARG && b->attr.index >= 0 && b->attr.index < f->n_in ? f->in[b->attr.index] : NULL;
}

/* The backward pass's gradient of the logits when it is exactly
   (probs - onehot(labels)) / N: one fused loop over the probabilities, the
   onehot of the loss's labels and the batch's row count; else NULL.  Sets
   *count to the row count. */
static Node *logits_grad(const Graph *g, const char *backward, const Node *loss, const Node *probs, Node **count) {
  for (int i = probs->id + 1; i < g->nodes.len; i++) {
    Node *f = g->nodes.items[i];
    const Node *body = f->op == OP_FUSED ? f->attr.body : NULL;
    if (!body || !backward[i] || body->op != OP_DIV || body->in[0]->op != OP_SUB)
      continue;
    const Node *p = operand(f, body->in[0]->in[0]), *hot = operand(f, body->in[0]->in[1]);
    Node *n = operand(f, body->in[1]);
    if (p == probs && hot && hot->op == OP_ONEHOT && hot->in[0] == loss->in[1] &&
        shape_equal(hot->shape, probs->shape) && n && n->op == OP_NUMEL && n->attr.index && n->attr.value == 1 &&
        shape_equal(f->shape, probs->shape)) {
      *count = n;
      return f;
    }
  }
  return NULL;
}

/* Whether the training step's loss can compute its logits' product (see 2.
   above); fills pl. */
static int choose_product_loss(Model *m, ProductLoss *pl) {
  const Graph *g = m->graph;
  Node *loss = m->train.loss;
  if (m->f64 || !loss || m->train.eval_loss || loss->op != OP_SOFTMAX_CE)
    return 0;
  Node *z = loss->in[0], *probs = ir_byproduct(g, loss, OP_LOSS_SOFTMAX);
  if (!probs || z->dtype != DT_F32 || z->shape.rank != 2 || z->shape.dims[1].sym ||
      z->shape.dims[1].n > MGC_PRODUCT_LOSS_CLASSES)
    return 0;
  if (z->op != OP_MATMUL_BIAS &&
      !(z->op == OP_MATMUL && !(z->in[0]->op == OP_TRANSPOSE && transpose_in_place(m, pass_live(m), z->in[0]))))
    return 0;
  char *forward = ARENA_ARRAY(g->arena, char, g->nodes.len + 1);
  char *backward = ARENA_ARRAY(g->arena, char, g->nodes.len + 1);
  schedule_collect(g, loss, forward);
  for (int i = 0; i < m->params.len; i++)
    schedule_collect(g, ((Param *)m->params.items[i])->grad, backward);
  for (int i = 0; i < g->nodes.len; i++)
    if (forward[i])
      backward[i] = 0;
  /* the logits are read by the loss alone; the softmax, if read at all, by
     the backward pass alone (the library's evaluate computes train's metrics
     without a step, where this loss does not run) */
  char *metrics = ARENA_ARRAY(g->arena, char, g->nodes.len + 1);
  for (int i = 0; i < m->train.n_metrics; i++)
    schedule_collect(g, m->train.metrics[i].node, metrics);
  if (read_in(g, forward, z, loss) || read_in(g, backward, z, loss) || read_in(g, metrics, probs, NULL))
    return 0;
  memset(pl, 0, sizeof *pl);
  pl->loss = loss;
  pl->probs = probs;
  pl->grad = logits_grad(g, backward, loss, probs, &pl->count);
  return 1;
}

/* The training step's new loss, from the old one's mapped operands. */
static Node *fused_loss(Rebuild *r, ProductLoss *pl) {
  if (pl->fused)
    return pl->fused;
  Node *loss = pl->loss, *z = loss->in[0];
  Node proto = ir_proto(OP_MATMUL_SOFTMAX_CE, loss->dtype, loss->shape, NULL);
  for (int k = 0; k < z->n_in; k++)
    proto.in[proto.n_in++] = r->map[z->in[k]->id]; /* a, b and, for matmul_bias, the bias */
  proto.in[proto.n_in++] = r->map[loss->in[1]->id];
  proto.loc = loss->loc;
  proto.note = loss->note;
  pl->fused = ir_with_attrs(r->to, proto);
  pl->fused->name = loss->name;
  return pl->fused;
}

static Node *product_loss(Rebuild *r, Node *old, void *ctx) {
  ProductLoss *pl = ctx;
  if (old != pl->probs && old != pl->grad)
    return NULL;
  Node *fused = fused_loss(r, pl);
  Node *n;
  if (old == pl->probs) {
    n = ir_node(r->to, OP_LOSS_SOFTMAX, old->dtype, old->shape, 1, &fused, old->loc);
  } else {
    Node *in[2] = {fused, r->map[pl->count->id]};
    n = ir_node(r->to, OP_LOSS_LOGITS_GRAD, old->dtype, old->shape, 2, in, old->loc);
    n->is_grad = 1;
  }
  n->name = old->name;
  n->note = "written by the loss's kernel";
  return n;
}

static void fuse_product_loss(Model *m) {
  ProductLoss pl;
  if (!choose_product_loss(m, &pl))
    return;
  pass_rebuild(m, product_loss, &pl);
  MGC_ASSERT(pl.fused); /* the old loss_softmax is live: its copy built the new loss */
  m->train.eval_loss = m->train.loss;
  m->train.loss = pl.fused;
  /* the step's loss keeps the .mg name (cost); evaluation's is cost_eval */
  if (pl.fused->name)
    m->train.eval_loss->name = arena_printf(m->graph->arena, "%s_eval", pl.fused->name);
  pass_cleanup(m); /* what the training step no longer reads: the old gradient, the onehot */
}

void pass_products(Model *m) {
  fuse_bias_adds(m);
  fuse_product_loss(m);
}
