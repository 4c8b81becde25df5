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
**   (x.T).T                                    -> x
**   reshape(reshape(x)), reshape(x) of x's shape -> one reshape, or x
**   f(reshape(a), reshape(b), c) -> reshape(f(a, b, c))
** The last: an elementwise f of reshapes of one shape (and scalars) is the
** same elements in the same order, so it runs on the arrays before the
** reshape.  Linear layers on a sequence leave their products [N*T, OUT] as
** [N, T, OUT] (a copy); moved past the activation between two layers, the
** reshape meets the next layer's reshape to [N*T, ...] and both cancel.
** It fires only when each reshape has no other user, so no copy is added.
**   (A @ B).T                                  -> B.T @ A.T
** The last one matters for layers: the gradient of fc.weight.T is a
** matmul, and transposing it into fc.weight's gradient would cost a buffer
** and a pass over it; B.T @ A.T is one product that the runtime computes
** reading its operands transposed.
*/
#include <string.h>

#include "pass.h"

static int is_const(const Node *n, double v) { return n->op == OP_CONST && n->attr.value == v; }

static Node *keep(Node *x, const Node *old) { return shape_equal(x->shape, old->shape) && x->dtype == old->dtype ? x : NULL; }

/* x.T in the new graph, without a transpose of a transpose. */
static Node *transposed(Rebuild *r, Node *x) {
  if (x->op == OP_TRANSPOSE)
    return x->in[0];
  Dim d[2] = {x->shape.dims[1], x->shape.dims[0]};
  return ir_node(r->to, OP_TRANSPOSE, x->dtype, shape_of(2, d), 1, &x, x->loc);
}

/* f(reshape(a), reshape(b), c) -> reshape(f(a, b, c)), or NULL. */
static Node *sink_reshape(Rebuild *r, Node *old, const int *uses) {
  Shape from;
  int found = 0;
  Node *in[MAX_OPERANDS];
  for (int k = 0; k < old->n_in; k++) {
    Node *a = r->map[old->in[k]->id];
    in[k] = a;
    if (a->op == OP_RESHAPE) {
      if (uses[old->in[k]->id] != 1 || !shape_equal(a->shape, old->shape) ||
          (found && !shape_equal(from, a->in[0]->shape)))
        return NULL;
      from = a->in[0]->shape;
      found = 1;
      in[k] = a->in[0];
    } else if (a->shape.rank != 0) {
      return NULL; /* broadcast along some dims: the order of elements matters */
    }
  }
  if (!found)
    return NULL;
  Node proto = ir_proto(old->op, old->dtype, from, NULL);
  memcpy(&proto.attr, &old->attr, sizeof proto.attr);
  proto.n_in = old->n_in;
  for (int k = 0; k < old->n_in; k++)
    proto.in[k] = in[k];
  proto.loc = old->loc;
  Node *inner = ir_with_attrs(r->to, proto);
  inner->is_grad = old->is_grad;
  Node *n = ir_node(r->to, OP_RESHAPE, old->dtype, old->shape, 1, &inner, old->loc);
  n->is_grad = old->is_grad;
  return n;
}

static Node *simplify(Rebuild *r, Node *old, void *ctx) {
  const int *uses = ctx;
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
  case OP_RESHAPE:
    /* a sequence's [N*T, C] seen as [N, T, C] and back (linear, then
       cross_entropy over every step) is the same array */
    if (shape_equal(a->shape, old->shape))
      return a;
    if (a->op == OP_RESHAPE)
      return keep(a->in[0], old) ? a->in[0]
                                 : ir_node(r->to, OP_RESHAPE, a->dtype, old->shape, 1, &a->in[0], old->loc);
    return NULL;
  case OP_TRANSPOSE:
    if (a->op == OP_TRANSPOSE)
      return keep(a->in[0], old);
    if (a->op == OP_MATMUL && uses[old->in[0]->id] == 1) {
      Node *bt = transposed(r, a->in[1]), *at = transposed(r, a->in[0]);
      Node *in[2] = {bt, at};
      Node *n = ir_node(r->to, OP_MATMUL, DT_F32, old->shape, 2, in, old->loc);
      n->is_grad = old->is_grad;
      n->note = a->note;
      return n;
    }
    return NULL;
  case OP_SCAN: case OP_SCAN_BACK: {
    /* the same rules inside the loop's body (the cell's gradient reads
       W_hh^T transposed back: W_hh itself) */
    Node proto;
    memcpy(&proto, old, sizeof proto); /* padding too: see Attrs */
    proto.hash_next = NULL;
    for (int k = 0; k < old->n_in; k++)
      proto.in[k] = r->map[old->in[k]->id];
    proto.attr.scan = pass_rebuild_scan(r->to->arena, old->attr.scan, simplify);
    Node *n = ir_with_attrs(r->to, proto);
    if (!n->name)
      n->name = old->name;
    return n;
  }
  default:
    if ((op_info[old->op].flags & F_ELEM) && old->op != OP_BROADCAST)
      return sink_reshape(r, old, uses);
    return NULL;
  }
}

void pass_simplify(Model *m) {
  int *uses = pass_use_counts(m, pass_live(m));
  pass_rebuild(m, simplify, uses);
}
