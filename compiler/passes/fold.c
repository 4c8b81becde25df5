/*
** fold.c — constant folding.
**
** requires: nothing.  preserves: values (folded in double, then emitted as
** literals of the program's number type).
** An elementwise node whose operands are all scalar constants becomes a
** constant; numel() of a shape without the batch size becomes a constant.
*/
#include <math.h>

#include "pass.h"

static int scalar_const(const Node *n) { return n->op == OP_CONST; }

/* The value of an elementwise op on constants; 0 if it cannot be folded. */
static int eval(const Node *n, const double *v, double *out) {
  double a = v[0], b = v[1];
  switch (n->op) {
  case OP_ADD: *out = a + b; return 1;
  case OP_SUB: *out = a - b; return 1;
  case OP_MUL: *out = a * b; return 1;
  case OP_DIV: *out = a / b; return 1;
  case OP_NEG: *out = -a; return 1;
  case OP_POW: *out = pow(a, n->attr.value); return 1;
  case OP_MAXIMUM: *out = a > b ? a : b; return 1;
  case OP_EXP: *out = exp(a); return 1;
  case OP_LOG: *out = log(a); return 1;
  case OP_SQRT: *out = sqrt(a); return 1;
  case OP_ABS: *out = fabs(a); return 1;
  case OP_SIGMOID: *out = 1 / (1 + exp(-a)); return 1;
  case OP_TANH: *out = tanh(a); return 1;
  case OP_RELU: *out = a > 0 ? a : 0; return 1;
  case OP_SOFTPLUS: *out = a > 20 ? a : log1p(exp(a)); return 1;
  case OP_LEAKY_RELU: *out = a > 0 ? a : a * n->attr.value; return 1;
  case OP_EQ: *out = a == b; return 1;
  case OP_NE: *out = a != b; return 1;
  case OP_LT: *out = a < b; return 1;
  case OP_LE: *out = a <= b; return 1;
  case OP_GT: *out = a > b; return 1;
  case OP_GE: *out = a >= b; return 1;
  case OP_WHERE: *out = v[0] != 0 ? v[1] : v[2]; return 1;
  default: return 0;
  }
}

static Node *fold(Rebuild *r, Node *old, void *ctx) {
  Model *m = ctx;
  if (old->op == OP_NUMEL)
    return old->attr.index ? NULL : ir_const(r->to, old->attr.value);
  if (!(op_info[old->op].flags & F_ELEM) || old->op == OP_BROADCAST || old->shape.rank != 0)
    return NULL;
  double v[MAX_OPERANDS] = {0};
  for (int i = 0; i < old->n_in; i++) {
    Node *a = r->map[old->in[i]->id];
    if (!scalar_const(a))
      return NULL;
    v[i] = a->attr.value;
  }
  double out;
  if (!eval(old, v, &out))
    return NULL;
  Node *c = ir_const(r->to, out);
  if (old->loc.line > 0 && !old->is_grad)
    pass_note(m, NULL, old->loc, "folded %s of constants to %g", op_info[old->op].spelling, out);
  return c;
}

void pass_fold(Model *m) { pass_rebuild(m, fold, m); }
