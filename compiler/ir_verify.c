/*
** ir_verify.c — checks the graph's invariants after each pass: operands come
** before their users, arities match ops.def, elementwise shapes broadcast,
** and operator-specific shapes hold.  A failure is a bug in mgc.
*/
#include "ir.h"

static void fail(const Graph *g, const Node *n, const char *what) {
  fprintf(stderr, "mgc: IR verification failed at node %%%d: %s\n", n->id, what);
  ir_print_node(stderr, g, n);
  mgc_internal_error(__FILE__, __LINE__, what);
}

void ir_verify(const Graph *g) {
  for (int i = 0; i < g->nodes.len; i++) {
    const Node *n = g->nodes.items[i];
    const OpInfo *info = &op_info[n->op];
    if (n->id != i)
      fail(g, n, "node id does not match its position");
    if (info->arity >= 0 ? n->n_in != info->arity : n->n_in > MAX_OPERANDS)
      fail(g, n, "operand count differs from the operator's arity");
    for (int k = 0; k < n->n_in; k++)
      if (!n->in[k] || n->in[k]->id >= n->id)
        fail(g, n, "operand does not precede its user");
    if (info->flags & F_ELEM) {
      Shape s = shape_scalar();
      for (int k = 0; k < n->n_in; k++)
        if (!shape_broadcast(s, n->in[k]->shape, &s))
          fail(g, n, "elementwise operands do not broadcast");
      Shape joined;
      if (!shape_broadcast(s, n->shape, &joined) || !shape_equal(joined, n->shape))
        fail(g, n, "elementwise result shape is not the broadcast of its operands");
    }
    switch (n->op) {
    case OP_MATMUL:
      if (n->in[0]->shape.rank != 2 || n->in[1]->shape.rank != 2 || n->shape.rank != 2)
        fail(g, n, "matmul of non-2-D operands");
      break;
    case OP_BCE: case OP_BCE_LOGITS: case OP_SOFTMAX_CE: case OP_NLL:
      if (n->shape.rank != 0)
        fail(g, n, "a loss must be a scalar");
      break;
    case OP_ARGMAX:
      if (n->dtype != DT_I64)
        fail(g, n, "argmax must be i64");
      break;
    default:
      break;
    }
  }
}
