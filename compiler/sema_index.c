/*
** sema_index.c — checks x[i, j, ...] and builds its index node.
**
** Each subscript is ':' (the dimension is kept) or an integer literal
** (negative counts from the end, as in Python; the dimension is removed).
** Fewer subscripts than dimensions keep the rest, as PyTorch does.  The
** batch dimension N takes only ':': an integer there would pick one row of
** whichever batch the step is given (the first sample of each mini-batch),
** which is never what a model means; PyTorch users index the batch when
** they look at one sample, which mgc programs do through --predict instead.
*/
#include "sema.h"

#include <string.h>

static const char *shape_text(Sema *s, Shape sh) { return shape_str(s->arena, s->g, sh); }

/* One subscript into dimension k of x: fills keep/at, or reports. */
static int check_subscript(Sema *s, const Expr *sub, Node *x, int k, Attrs *attr) {
  if (sub->kind == EX_SLICE) {
    if (sub->lhs || sub->rhs) {
      diag_error(sub->loc, "only ':' (the whole dimension) or an integer can index; a slice "
                           "with bounds such as 1:3 is not supported");
      return 0;
    }
    attr->subscript.keep[k] = 1;
    return 1;
  }
  long i;
  if (!sema_const_int(s, sub, &i, "an index"))
    return 0;
  Dim d = x->shape.dims[k];
  if (d.sym) {
    diag_error(sub->loc, "dimension %d of %s is the batch (%s): index it with ':' (an integer "
                         "would pick one row of each batch)", k, shape_text(s, x->shape),
               s->g->size_name ? s->g->size_name : "N");
    return 0;
  }
  if (i < -d.n || i >= d.n) {
    diag_error(sub->loc, "index %ld is out of range for dimension %d of %s (it must be in "
                         "%ld..%ld)", i, k, shape_text(s, x->shape), -d.n, d.n - 1);
    return 0;
  }
  attr->subscript.at[k] = i < 0 ? i + d.n : i;
  return 1;
}

/* index = postfix "[" subscript {"," subscript} "]" */
Node *sema_index(Sema *s, const Expr *e) {
  Node *x = sema_expr(s, e->lhs);
  if (!x)
    return NULL;
  int n = e->items.len;
  if (n > x->shape.rank) {
    const Expr *extra = e->items.items[x->shape.rank];
    diag_error(extra->loc, "too many indices: %s has %d dimension%s, %d indices are given",
               shape_text(s, x->shape), x->shape.rank, x->shape.rank == 1 ? "" : "s", n);
    return NULL;
  }
  Node proto = ir_proto(OP_INDEX, x->dtype, shape_scalar(), x);
  proto.attr.axis = -1;
  proto.loc = e->loc;
  int ok = 1;
  for (int k = 0; k < x->shape.rank; k++) {
    if (k >= n)
      proto.attr.subscript.keep[k] = 1;
    else
      ok &= check_subscript(s, e->items.items[k], x, k, &proto.attr);
  }
  if (!ok)
    return NULL;
  int all_kept = 1;
  for (int k = 0; k < x->shape.rank; k++) {
    if (proto.attr.subscript.keep[k])
      proto.shape.dims[proto.shape.rank++] = x->shape.dims[k];
    else
      all_kept = 0;
  }
  /* x[:, :] is x itself */
  return all_kept ? x : ir_with_attrs(s->g, proto);
}
