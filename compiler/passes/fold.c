/*
** fold.c — constant folding.
**
** requires: nothing.  preserves: values (folded in double, then emitted as
** literals of the program's number type).
** An elementwise node whose operands are all scalar constants becomes a
** constant, by its operator's folding rule (the FOLD column of ops.def);
** numel() of a shape without the batch size becomes a constant.
*/
#include "pass.h"

static Node *fold(Rebuild *r, Node *old, void *ctx) {
  Model *m = ctx;
  if (old->op == OP_NUMEL)
    return old->attr.index ? NULL : ir_const(r->to, old->attr.value);
  if (!(op_info[old->op].flags & F_ELEM) || old->shape.rank != 0)
    return NULL;
  double v[MAX_OPERANDS] = {0};
  for (int i = 0; i < old->n_in; i++) {
    Node *a = r->map[old->in[i]->id];
    if (a->op != OP_CONST)
      return NULL;
    v[i] = a->attr.value;
  }
  double out;
  if (!op_info[old->op].fold(v, old->attr.value, &out))
    return NULL;
  Node *c = ir_const(r->to, out);
  if (old->loc.line > 0 && !old->is_grad)
    pass_note(m, NULL, old->loc, "folded %s of constants to %g", op_info[old->op].spelling, out);
  return c;
}

void pass_fold(Model *m) { pass_rebuild(m, fold, m); }
