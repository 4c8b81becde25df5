/*
** byproducts.c — a fused loss hands the backward pass the probabilities it
** computes on the way.
**
** requires: the joint (forward + backward) graph; at -O2, after fuse.
** preserves: values; every root.
**
** softmax_cross_entropy(z, y) computes softmax(z) row by row to get its
** loss, and bce_with_logits(z, y) computes sigmoid(z) from the same
** exp(-|z|); their gradients read exactly those ((softmax(z) - onehot(y)) /
** N and (sigmoid(z) - y) / n).  So each reader of softmax(z, dim=1) or
** sigmoid(z) that runs only in the training step (its backward pass and
** train's metrics) reads loss_softmax(loss) or loss_sigmoid(loss) instead: a
** byproduct (ops.def), which the loss's kernel writes in the training step,
** and exp runs once per logit.  (The library's evaluate computes the loss
** and train's metrics without a step: there the loss's kernel writes the
** byproduct too.)
**
** Evaluation and prediction do not compute the byproduct: they keep
** softmax(z) with a kernel of its own where they read it, and a node the
** step shares with one of them keeps reading softmax(z) too.  A metric
** defined before the loss (a lower id) cannot read the loss's byproduct and
** keeps softmax(z) as well.
*/
#include <string.h>

#include "pass.h"
#include "schedule.h"

typedef struct Byproducts {
  Model *m;
  Node **loss_of;  /* old id of a softmax/sigmoid -> the old loss that writes it */
  char *rewire;    /* old id -> a reader that runs only in the training step */
} Byproducts;

/* The byproduct operator of a fused loss, or OP_COUNT. */
static Op byproduct_op(const Node *loss) {
  return loss->op == OP_SOFTMAX_CE ? OP_LOSS_SOFTMAX : loss->op == OP_BCE_LOGITS ? OP_LOSS_SIGMOID : OP_COUNT;
}

/* Whether p is the probabilities that `loss` computes: softmax(z, dim=1) or
   sigmoid(z) of its logits z, of z's shape. */
static int probabilities_of(const Node *p, const Node *loss) {
  Op want = loss->op == OP_SOFTMAX_CE ? OP_SOFTMAX : OP_SIGMOID;
  return p->op == want && p->in[0] == loss->in[0] && (want == OP_SIGMOID || p->attr.axis == 1) &&
         shape_equal(p->shape, loss->in[0]->shape);
}

/* Marks the phases: forward (what the training loss needs), after (what
   the gradients and train's metrics need besides) and elsewhere
   (everything evaluation and prediction compute). */
static void phases(Model *m, char *forward, char *after, char *elsewhere) {
  const Graph *g = m->graph;
  schedule_collect(g, m->train.loss, forward);
  for (int i = 0; i < m->params.len; i++)
    schedule_collect(g, ((Param *)m->params.items[i])->grad, after);
  for (int i = 0; i < m->train.n_metrics; i++)
    schedule_collect(g, m->train.metrics[i].node, after);
  schedule_collect(g, m->train.eval_loss, elsewhere);
  for (int i = 0; i < m->eval.n_metrics; i++)
    schedule_collect(g, m->eval.metrics[i].node, elsewhere);
  for (int i = 0; i < m->n_outputs; i++)
    schedule_collect(g, m->outputs[i].node, elsewhere);
}

/* Finds, per fused loss of the training step, its probabilities node and
   the backward-only readers of it.  Returns whether any reader changes. */
static int choose(Byproducts *b) {
  Model *m = b->m;
  const Graph *g = m->graph;
  int n = g->nodes.len;
  char *forward = ARENA_ARRAY(g->arena, char, n + 1), *after = ARENA_ARRAY(g->arena, char, n + 1);
  char *elsewhere = ARENA_ARRAY(g->arena, char, n + 1);
  phases(m, forward, after, elsewhere);
  b->loss_of = ARENA_ARRAY(g->arena, Node *, n + 1);
  b->rewire = ARENA_ARRAY(g->arena, char, n + 1);
  for (int i = 0; i < n; i++) {
    Node *loss = g->nodes.items[i];
    if (!forward[i] || byproduct_op(loss) == OP_COUNT)
      continue;
    /* the first probabilities node the step needs besides the loss */
    for (int j = 0; j < n; j++) {
      Node *p = g->nodes.items[j];
      if (!forward[j] && after[j] && !b->loss_of[j] && probabilities_of(p, loss)) {
        b->loss_of[j] = loss;
        break;
      }
    }
  }
  int any = 0;
  for (int i = 0; i < n; i++) {
    const Node *u = g->nodes.items[i];
    if (!after[i] || forward[i] || elsewhere[i])
      continue;
    for (int k = 0; k < u->n_in; k++) {
      const Node *loss = b->loss_of[u->in[k]->id];
      if (loss && loss->id < u->id) {
        b->rewire[i] = 1;
        any = 1;
      }
    }
  }
  return any;
}

static Node *rewrite(Rebuild *r, Node *old, void *ctx) {
  Byproducts *b = ctx;
  if (!b->rewire[old->id])
    return NULL;
  Node proto = *old;
  proto.hash_next = NULL;
  for (int k = 0; k < old->n_in; k++) {
    Node *p = old->in[k], *loss = b->loss_of[p->id];
    proto.in[k] = r->map[p->id];
    if (!loss)
      continue;
    Node *mapped_loss = r->map[loss->id];
    Node *by = ir_node(r->to, byproduct_op(loss), p->dtype, p->shape, 1, &mapped_loss, p->loc);
    if (!by->note) {
      by->name = p->name;
      by->note = "written by the loss's kernel";
    }
    proto.in[k] = by;
  }
  Node *n = ir_with_attrs(r->to, proto);
  if (!n->name)
    n->name = old->name;
  return n;
}

void pass_byproducts(Model *m) {
  Byproducts b = {m, NULL, NULL};
  if (choose(&b))
    pass_rebuild(m, rewrite, &b);
}
