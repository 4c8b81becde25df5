/*
** simplify.c — algebraic simplification.
**
** requires: nothing (best after fold).  preserves: values and shapes: a rule
** that drops an operation only fires when the kept operand already has the
** result's shape (x * 1 with x of shape [N, 1] is x; a [1] * [N, 1] is not).
**   x * 1, 1 * x, x / 1, x + 0, 0 + x, x - 0  -> x
**   -(-x)                                      -> x
**   1 - (1 - x)                                -> x
**   0 - x                                      -> -x
*/
#include "pass.h"

static int is_const(const Node *n, double v) { return n->op == OP_CONST && n->value == v; }

static Node *keep(Node *x, const Node *old) { return shape_equal(x->shape, old->shape) && x->dtype == old->dtype ? x : NULL; }

static Node *simplify(Rebuild *r, Node *old, void *ctx) {
  (void)ctx;
  Node *a = old->n_in > 0 ? r->map[old->in[0]->id] : NULL;
  Node *b = old->n_in > 1 ? r->map[old->in[1]->id] : NULL;
  switch (old->op) {
  case OP_MUL:
    if (is_const(b, 1))
      return keep(a, old);
    if (is_const(a, 1))
      return keep(b, old);
    return NULL;
  case OP_DIV:
    return is_const(b, 1) ? keep(a, old) : NULL;
  case OP_ADD:
    if (is_const(b, 0))
      return keep(a, old);
    if (is_const(a, 0))
      return keep(b, old);
    return NULL;
  case OP_SUB:
    if (is_const(b, 0))
      return keep(a, old);
    if (is_const(a, 0) && shape_equal(b->shape, old->shape))
      return ir_node(r->to, OP_NEG, DT_F32, b->shape, 1, &b, old->loc);
    if (is_const(a, 1) && b->op == OP_SUB && is_const(b->in[0], 1))
      return keep(b->in[1], old);
    return NULL;
  case OP_NEG:
    return a->op == OP_NEG ? keep(a->in[0], old) : NULL;
  default:
    return NULL;
  }
}

void pass_simplify(Model *m) { pass_rebuild(m, simplify, m); }
