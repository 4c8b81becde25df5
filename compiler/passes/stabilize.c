/*
** stabilize.c — numerically stable rewrites of the forward graph.
**
** requires: the forward graph (runs before autodiff, so the fused nodes get
**           their own, simpler gradients: (sigmoid(z) - y) / n and
**           (softmax(z) - onehot(y)) / N)
** preserves: the value of every root; a probability that is also an output
**           or a metric is still computed, since only the loss's path is
**           rewritten and cleanup keeps whatever is still used.
**
** The rewrites, each in every spelling a user writes:
**   binary_cross_entropy(sigmoid(z), y)            -> bce_with_logits(z, y)
**   mean(-(y*log(h) + (1-y)*log(1-h))), h = sigmoid(z) -> bce_with_logits(z, y)
**   nll_loss(log_softmax(z, dim=1), y)  (and cross_entropy, which sema spells so)
**                                                  -> softmax_cross_entropy(z, y)
**   mean(sum(onehot(y, C) * -log(softmax(z, dim=1)), dim=1))
**                                                  -> softmax_cross_entropy(z, y)
**   log(softmax(z))      -> log_softmax(z)
**   log(sigmoid(z))      -> -softplus(-z)
**   log(1 - sigmoid(z))  -> -softplus(z)
** Patterns are matched on the old graph, whose nodes are unchanged, and the
** replacement is built from the mapped operands.
*/
#include <string.h>

#include "pass.h"

static int is(const Node *n, Op op) { return n && n->op == op; }
static int is_const(const Node *n, double v) { return is(n, OP_CONST) && n->attr.value == v; }
static Node *mapped(Rebuild *r, Node *n) { return r->map[n->id]; }

/* Matches a commutative binary node with operands (a, b) in either order;
   fills *first with the operand that satisfies `want`. */
static int either(const Node *n, Op op, int (*want)(const Node *), Node **first, Node **second) {
  if (!is(n, op))
    return 0;
  if (want(n->in[0])) {
    *first = n->in[0];
    *second = n->in[1];
    return 1;
  }
  if (want(n->in[1])) {
    *first = n->in[1];
    *second = n->in[0];
    return 1;
  }
  return 0;
}

static Node *loss_node(Rebuild *r, Op op, Node *a, Node *b, Loc loc, const char *note) {
  Node *in[2] = {mapped(r, a), mapped(r, b)};
  Node *n = ir_node(r->to, op, DT_F32, shape_scalar(), 2, in, loc);
  n->note = note;
  return n;
}

/* Builds the fused loss and records the rewrite. */
static Node *fused_loss(Rebuild *r, Model *m, Op op, Node *a, Node *b, Node *old, const char *what) {
  const char *note = op == OP_BCE_LOGITS ? "fused sigmoid + binary cross-entropy" : "fused softmax + cross-entropy";
  Node *n = loss_node(r, op, a, b, old->loc, note);
  pass_note(m, n, old->loc, "%s", what);
  return n;
}

/* ---- sigmoid + binary cross-entropy ---------------------------------------- */

static int is_log_sigmoid(const Node *n) { return is(n, OP_LOG) && is(n->in[0], OP_SIGMOID); }
static int is_one_minus(const Node *n) { return is(n, OP_SUB) && is_const(n->in[0], 1); }
static int is_log_one_minus_sigmoid(const Node *n) {
  return is(n, OP_LOG) && is_one_minus(n->in[0]) && is(n->in[0]->in[1], OP_SIGMOID);
}

/* y * log(h) with h = sigmoid(z): returns h, sets *y. */
static Node *y_log_h(const Node *n, Node **y) {
  Node *lg, *other;
  if (!either(n, OP_MUL, is_log_sigmoid, &lg, &other))
    return NULL;
  *y = other;
  return lg->in[0];
}

/* (1 - y) * log(1 - h): returns h, sets *y. */
static Node *one_minus_y_log_one_minus_h(const Node *n, Node **y) {
  Node *lg, *other;
  if (!either(n, OP_MUL, is_log_one_minus_sigmoid, &lg, &other) || !is_one_minus(other))
    return NULL;
  *y = other->in[1];
  return lg->in[0]->in[1];
}

/* P + Q with P = y log h and Q = (1-y) log(1-h), in either order, with the
   same h and y in both: returns h and sets *y. */
static Node *bce_sum(const Node *n, Node **y) {
  if (!is(n, OP_ADD))
    return NULL;
  for (int k = 0; k < 2; k++) {
    Node *y1 = NULL, *y2 = NULL;
    Node *h1 = y_log_h(n->in[k], &y1), *h2 = one_minus_y_log_one_minus_h(n->in[1 - k], &y2);
    if (h1 && h1 == h2 && y1 == y2) {
      *y = y1;
      return h1;
    }
  }
  return NULL;
}

/* The hand-written cost: mean(-(P + Q)) or -mean(P + Q). */
static Node *hand_bce(Rebuild *r, Node *n, Model *m) {
  Node *inner = NULL, *y, *h;
  if (is(n, OP_MEAN) && n->attr.axis < 0 && is(n->in[0], OP_NEG))
    inner = n->in[0]->in[0];
  else if (is(n, OP_NEG) && is(n->in[0], OP_MEAN) && n->in[0]->attr.axis < 0)
    inner = n->in[0]->in[0];
  if (!inner || !(h = bce_sum(inner, &y)))
    return NULL;
  Node *z = h->in[0];
  if (!shape_equal(z->shape, y->shape) || !shape_equal(inner->shape, z->shape))
    return NULL;
  return fused_loss(r, m, OP_BCE_LOGITS, z, y, n,
                    "fused sigmoid and the hand-written binary cross-entropy into bce_with_logits");
}

static Node *bce_of_sigmoid(Rebuild *r, Node *n, Model *m) {
  if (!is(n, OP_BCE) || !is(n->in[0], OP_SIGMOID))
    return NULL;
  return fused_loss(r, m, OP_BCE_LOGITS, n->in[0]->in[0], n->in[1], n,
                    "fused sigmoid and binary_cross_entropy into bce_with_logits");
}

/* ---- softmax + cross-entropy ------------------------------------------------ */

static int is_row_log_softmax(const Node *n) {
  if (is(n, OP_LOG_SOFTMAX))
    return n->attr.axis == 1 && n->shape.rank == 2;
  return is(n, OP_LOG) && is(n->in[0], OP_SOFTMAX) && n->in[0]->attr.axis == 1 && n->shape.rank == 2;
}

/* The logits under log_softmax(z) or log(softmax(z)). */
static Node *logits_of(const Node *n) { return is(n, OP_LOG_SOFTMAX) ? n->in[0] : n->in[0]->in[0]; }

static Node *nll_of_log_softmax(Rebuild *r, Node *n, Model *m) {
  if (!is(n, OP_NLL) || !is_row_log_softmax(n->in[0]))
    return NULL;
  return fused_loss(r, m, OP_SOFTMAX_CE, logits_of(n->in[0]), n->in[1], n,
                    "fused log_softmax and nll_loss into softmax_cross_entropy");
}

static int is_onehot(const Node *n) { return is(n, OP_ONEHOT); }

/* onehot(y) * -L, -L * onehot(y), or -(onehot(y) * L), with L a row
   log-softmax: returns L and sets *oh. */
static Node *onehot_times_neg_log(const Node *n, Node **oh) {
  Node *o, *other;
  if (either(n, OP_MUL, is_onehot, &o, &other) && is(other, OP_NEG) && is_row_log_softmax(other->in[0])) {
    *oh = o;
    return other->in[0];
  }
  if (is(n, OP_NEG) && either(n->in[0], OP_MUL, is_onehot, &o, &other) && is_row_log_softmax(other)) {
    *oh = o;
    return other;
  }
  return NULL;
}

/* mean(sum(onehot(y, C) * -log(softmax(z)), dim = 1)) */
static Node *hand_softmax_ce(Rebuild *r, Node *n, Model *m) {
  if (!is(n, OP_MEAN) || n->attr.axis >= 0 || !is(n->in[0], OP_SUM) || n->in[0]->attr.axis != 1 ||
      n->in[0]->attr.keepdim)
    return NULL;
  Node *oh, *lsm = onehot_times_neg_log(n->in[0]->in[0], &oh);
  if (!lsm)
    return NULL;
  Node *z = logits_of(lsm);
  if (oh->attr.classes != z->shape.dims[1].n || !shape_equal(lsm->shape, n->in[0]->in[0]->shape))
    return NULL;
  return fused_loss(r, m, OP_SOFTMAX_CE, z, oh->in[0], n,
                    "fused softmax and the hand-written cross-entropy into softmax_cross_entropy");
}

/* ---- logs of normalized values ------------------------------------------------ */

static Node *unary_node(Rebuild *r, Op op, Node *a, Loc loc) {
  return ir_node(r->to, op, DT_F32, a->shape, 1, &a, loc);
}

static Node *log_rewrites(Rebuild *r, Node *n, Model *m) {
  if (!is(n, OP_LOG))
    return NULL;
  Node *x = n->in[0];
  if (is(x, OP_SOFTMAX)) {
    Node proto;
    memcpy(&proto, mapped(r, x), sizeof proto); /* padding too: see Attrs (ir.h) */
    proto.op = OP_LOG_SOFTMAX;
    proto.name = NULL;
    proto.hash_next = NULL;
    Node *out = ir_with_attrs(r->to, proto);
    pass_note(m, out, n->loc, "rewrote log(softmax(z)) as log_softmax(z)");
    return out;
  }
  if (is(x, OP_SIGMOID)) {
    Node *z = mapped(r, x->in[0]);
    Node *out = unary_node(r, OP_NEG, unary_node(r, OP_SOFTPLUS, unary_node(r, OP_NEG, z, n->loc), n->loc), n->loc);
    pass_note(m, out, n->loc, "rewrote log(sigmoid(z)) as -softplus(-z)");
    return out;
  }
  if (is_one_minus(x) && is(x->in[1], OP_SIGMOID) && shape_equal(x->shape, x->in[1]->shape)) {
    Node *z = mapped(r, x->in[1]->in[0]);
    Node *out = unary_node(r, OP_NEG, unary_node(r, OP_SOFTPLUS, z, n->loc), n->loc);
    pass_note(m, out, n->loc, "rewrote log(1 - sigmoid(z)) as -softplus(z)");
    return out;
  }
  return NULL;
}

typedef Node *(*Rule)(Rebuild *r, Node *n, Model *m);

static Node *stabilize(Rebuild *r, Node *old, void *ctx) {
  static const Rule rules[] = {bce_of_sigmoid, hand_bce, nll_of_log_softmax, hand_softmax_ce, log_rewrites};
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
    Node *n = rules[i](r, old, ctx);
    if (n)
      return n;
  }
  return NULL;
}

void pass_stabilize(Model *m) {
  pass_rebuild(m, stabilize, m);
  /* The fused losses no longer read the probabilities and logs they
     replaced: cleanup drops those that nothing else reads, before autodiff
     would differentiate them, and with them the notes of rewrites that no
     longer matter. */
  pass_cleanup(m);
  pass_prune_notes(m);
}
