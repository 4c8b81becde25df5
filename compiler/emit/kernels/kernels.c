/*
** kernels.c — one loop nest per graph node.
**
** Elementwise nodes become a flat loop when every operand has the result's
** shape or is a scalar, and a loop per dimension when an operand broadcasts.
** Reductions loop over the kept dimensions outside and the reduced ones
** inside, accumulating in double so that a sum over many rows loses nothing
** that PyTorch's pairwise summation keeps (sums of everything in SUM_LANES
** partial sums, column sums with the rows outside).  Matrix products call
** libmgrt; the losses are in losses.c.  Every kernel reaches its arrays
** through restrict-qualified locals (the last section).
*/
#include <float.h>
#include <math.h>
#include <string.h>

#include "emit/kernels/kernels.h"
#include "schedule.h"

#define P(...) emit_out(e, __VA_ARGS__)


static int is_scalar_like(Shape s) {
  for (int i = 0; i < s.rank; i++)
    if (s.dims[i].sym || s.dims[i].n != 1)
      return 0;
  return 1;
}

/* The value of operand n at flat index idx, as a C expression. */
static const char *access(Emitter *e, Node *n, const char *idx);

const char *emit_scalar(Emitter *e, Node *n) {
  MGC_ASSERT(n->op == OP_CONST || n->op == OP_NUMEL);
  return access(e, n, "0");
}

static const char *access(Emitter *e, Node *n, const char *idx) {
  if (n->op == OP_CONST)
    return emit_real_literal(e, n->attr.value);
  if (n->op == OP_NUMEL) {
    if (!n->attr.index)
      return emit_real_literal(e, n->attr.value);
    return n->attr.value == 1 ? arena_printf(e->arena, "(%s)m->N", e->real)
                              : arena_printf(e->arena, "(%s)(m->N * %.0f)", e->real, n->attr.value);
  }
  MGC_ASSERT(e->names[n->id]);
  return arena_printf(e->arena, "%s[%s]", e->names[n->id], idx);
}

/* The flat index into operand shape `s` of the element at loop indices
   i0..i{r-1} of an output of rank r (NumPy broadcasting: dims align right,
   size-1 dims stay at 0). */
static const char *broadcast_index(Emitter *e, Shape s, int r) {
  const char *idx = NULL;
  const char *stride = NULL;
  for (int k = s.rank - 1; k >= 0; k--) {
    int j = r - s.rank + k;
    Dim d = s.dims[k];
    if (!(d.sym == 0 && d.n == 1)) {
      const char *term = stride ? arena_printf(e->arena, "i%d * %s", j, stride) : arena_printf(e->arena, "i%d", j);
      idx = idx ? arena_printf(e->arena, "%s + %s", term, idx) : term;
    }
    const char *de = emit_dim(e, d);
    if (!(d.sym == 0 && d.n == 1))
      stride = stride ? arena_printf(e->arena, "%s * %s", stride, de) : de;
  }
  return idx ? idx : "0";
}

/* The text that template code `c` (after a '%') stands for. */
static const char *template_piece(Emitter *e, Node *n, const char **operands, char c) {
  if (c >= '0' && c <= '2')
    return operands[c - '0'];
  switch (c) {
  case 'f': return e->opt.f64 ? "" : "f";
  case 'v': return emit_real_literal(e, n->attr.value);
  case 'e': return emit_exp_fn(e);
  case 'q': return e->opt.f64 ? "sqrt" : "mgrt_sqrtf";
  default: return "";
  }
}

/* Expands the op's C template (ops.def) with operand expressions, however
   long they are (a fused chain nests its operands' expressions): measured
   first, then written into an arena string of that length. */
static const char *expand(Emitter *e, Node *n, const char **operands) {
  const char *t = op_info[n->op].cexpr;
  size_t len = 0;
  for (const char *p = t; *p; p++)
    len += *p == '%' && p[1] ? strlen(template_piece(e, n, operands, *++p)) : 1;
  char *out = arena_alloc(e->arena, len + 1), *at = out;
  for (const char *p = t; *p; p++) {
    if (*p != '%' || !p[1]) {
      *at++ = *p;
      continue;
    }
    const char *piece = template_piece(e, n, operands, *++p);
    size_t k = strlen(piece);
    memcpy(at, piece, k);
    at += k;
  }
  *at = 0;
  return out;
}

const char *emit_expand(Emitter *e, Node *n, const char **operands) { return expand(e, n, operands); }

static void emit_elementwise(Emitter *e, Node *n) {
  const char *out = e->names[n->id];
  int flat = 1;
  for (int i = 0; i < n->n_in; i++) {
    Node *a = n->in[i];
    if (!shape_equal(a->shape, n->shape) && !is_scalar_like(a->shape) && a->op != OP_CONST && a->op != OP_NUMEL)
      flat = 0;
  }
  const char *ops[MAX_OPERANDS];
  if (flat) {
    for (int i = 0; i < n->n_in; i++)
      ops[i] = access(e, n->in[i], shape_equal(n->in[i]->shape, n->shape) ? "i" : "0");
    P("  for (int64_t i = 0; i < %s; i++)\n", emit_numel(e, n->shape));
    P("    %s[i] = %s;\n", out, expand(e, n, ops));
    return;
  }
  int r = n->shape.rank;
  for (int j = 0; j < r; j++)
    P("%*sfor (int64_t i%d = 0; i%d < %s; i%d++)\n", 2 + 2 * j, "", j, j, emit_dim(e, n->shape.dims[j]), j);
  for (int i = 0; i < n->n_in; i++)
    ops[i] = access(e, n->in[i], broadcast_index(e, n->in[i]->shape, r));
  P("%*s%s[%s] = %s;\n", 2 + 2 * r, "", out, broadcast_index(e, n->shape, r), expand(e, n, ops));
}

/* Which dims of x a reduction to n sums over. */
static void reduced_dims(Node *n, Node *x, int *reduced) {
  for (int k = 0; k < x->shape.rank; k++) {
    if (n->op == OP_SUM_TO) {
      int j = n->shape.rank - x->shape.rank + k;
      Dim dx = x->shape.dims[k];
      reduced[k] = j < 0 || (n->shape.dims[j].sym == 0 && n->shape.dims[j].n == 1 &&
                             !(dx.sym == 0 && dx.n == 1));
    } else {
      reduced[k] = n->attr.axis < 0 || n->attr.axis == k;
    }
  }
}


static const char *plain_element(Emitter *e, void *ctx, int rank, int indent) {
  Node *x = ctx;
  (void)indent;
  return access(e, x, broadcast_index(e, x->shape, rank));
}

/* Opens a loop over dim k of shape s at the given depth. */
static void open_loop(Emitter *e, Shape s, int k, int depth) {
  P("%*sfor (int64_t i%d = 0; i%d < %s; i%d++) {\n", 2 * depth, "", k, k, emit_dim(e, s.dims[k]), k);
}

static void close_loops(Emitter *e, int from, int to) {
  for (int d = from; d >= to; d--)
    P("%*s}\n", 2 * d, "");
}

/* SUM, MEAN, SUM_TO and ARGMAX: kept dims outside, reduced dims inside.
   n is the reduction (its attributes and output), x its input's node; the
   element function writes how one input element is computed. */
static int is_one(Dim d) { return !d.sym && d.n == 1; }

/* Column sums of a matrix (a bias gradient: [N, C] summed over the rows)
   with the rows outside and one double sum per column in a local array:
   the inner loop then runs along memory and vectorizes, where one column
   at a time would stride through the matrix.  Each column is still summed
   over the rows in order, so the result is the same bit for bit. */
enum { COLUMN_SUMS_MAX = 4096 }; /* 32 KiB of sums on the stack */

static int column_sums(Node *n, Node *x, const int *reduced) {
  Dim cols = x->shape.dims[1];
  return n->op != OP_ARGMAX && x->shape.rank == 2 && reduced[0] && !reduced[1] && !cols.sym &&
         cols.n > 1 && cols.n <= COLUMN_SUMS_MAX;
}

static void emit_column_sums(Emitter *e, Node *n, const char *out, Node *x, ElementFn element, void *ctx) {
  long cols = x->shape.dims[1].n;
  P("  double acc[%ld] = {0};\n", cols);
  open_loop(e, x->shape, 0, 1);
  open_loop(e, x->shape, 1, 2);
  const char *xi = element(e, ctx, 2, 6);
  P("      acc[i1] += %s;\n", xi);
  close_loops(e, 2, 1);
  P("  for (int64_t i1 = 0; i1 < %ld; i1++)\n", cols);
  emit_sum_store(e, out, "i1", "acc[i1]", n->op == OP_MEAN ? emit_dim_count(e, x->shape.dims[0]) : NULL, 4);
}

static int all_reduced(Node *x, const int *reduced) {
  for (int k = 0; k < x->shape.rank; k++)
    if (!reduced[k] && !is_one(x->shape.dims[k]))
      return 0;
  return 1;
}

/* flat_element, if not NULL, gives the element at flat index i (for sums of
   everything). */
static void emit_reduce_with(Emitter *e, Node *n, const char *out, Node *x, ElementFn element,
                             ElementFn flat_element, void *ctx) {
  int r = x->shape.rank, reduced[MAX_RANK], depth = 1;
  reduced_dims(n, x, reduced);
  if (column_sums(n, x, reduced)) {
    emit_column_sums(e, n, out, x, element, ctx);
    return;
  }
  if (flat_element && n->op != OP_ARGMAX && all_reduced(x, reduced)) {
    emit_lane_sum(e, out, x->shape, n->op == OP_MEAN, flat_element, ctx);
    return;
  }
  /* A dim of size 1 needs no loop (no index refers to it), unless argmax
     reports the index along it. */
  int skip[MAX_RANK];
  for (int k = 0; k < r; k++)
    skip[k] = is_one(x->shape.dims[k]) && !(n->op == OP_ARGMAX && n->attr.axis == k);
  for (int k = 0; k < r; k++)
    if (!reduced[k] && !skip[k])
      open_loop(e, x->shape, k, depth++);
  int outer = depth;
  /* Output index: the kept dims of x, row-major. */
  const char *oidx = NULL, *stride = NULL, *count = "1";
  for (int k = r - 1; k >= 0; k--) {
    const char *de = emit_dim(e, x->shape.dims[k]);
    if (reduced[k]) {
      const char *dc = emit_dim_count(e, x->shape.dims[k]);
      if (!skip[k])
        count = strcmp(count, "1") == 0 ? dc : arena_printf(e->arena, "%s * %s", dc, count);
      continue;
    }
    if (skip[k])
      continue;
    const char *term = stride ? arena_printf(e->arena, "i%d * %s", k, stride) : arena_printf(e->arena, "i%d", k);
    oidx = oidx ? arena_printf(e->arena, "%s + %s", term, oidx) : term;
    stride = stride ? arena_printf(e->arena, "%s * %s", de, stride) : de;
  }
  if (!oidx)
    oidx = "0";
  int argmax = n->op == OP_ARGMAX;
  if (argmax)
    P("%*s%s best = 0;\n%*sint64_t best_index = -1;\n", 2 * outer, "", e->real, 2 * outer, "");
  else
    P("%*sdouble acc = 0;\n", 2 * outer, "");
  for (int k = 0; k < r; k++)
    if (reduced[k] && !skip[k])
      open_loop(e, x->shape, k, depth++);
  const char *xi = element(e, ctx, r, 2 * depth);
  if (argmax) {
    P("%*sif (best_index < 0 || %s > best) {\n", 2 * depth, "", xi);
    P("%*sbest = %s;\n", 2 * depth + 2, "", xi);
    P("%*sbest_index = i%d;\n", 2 * depth + 2, "", n->attr.axis);
    P("%*s}\n", 2 * depth, "");
  } else {
    P("%*sacc += %s;\n", 2 * depth, "", xi);
  }
  close_loops(e, depth - 1, outer);
  if (argmax)
    P("%*s%s[%s] = best_index;\n", 2 * outer, "", out, oidx);
  else
    emit_sum_store(e, out, oidx, "acc", n->op == OP_MEAN ? count : NULL, 2 * outer);
  close_loops(e, outer - 1, 1);
}

static const char *plain_flat_element(Emitter *e, void *ctx, int rank, int indent) {
  (void)rank, (void)indent;
  return access(e, ctx, "i");
}

static void emit_reduce(Emitter *e, Node *n) {
  Node *x = n->in[0];
  int flat = x->op != OP_CONST && x->op != OP_NUMEL;
  emit_reduce_with(e, n, e->names[n->id], x, plain_element, flat ? plain_flat_element : NULL, x);
}

/* ---- fused loops ------------------------------------------------------------ */

typedef struct Fused {
  Node *node;          /* the FUSED node: its operands are the ARGs */
  Shape iter;          /* the shape the loop runs over */
  int flat;            /* one flat loop over i (every operand full or scalar) */
  const char **vals;   /* per body node id: the local holding its value */
  PtrVec set;          /* the body nodes with a vals entry, to forget them */
  int counter;
} Fused;

/* The vals table is one array for all fused loops, sized once: a fresh one
   per loop made emission quadratic in the number of loops.  Each loop
   clears what it set. */
static void forget_vals(Emitter *e, Fused *f) {
  for (int i = 0; i < f->set.len; i++)
    f->vals[((Node *)f->set.items[i])->id] = NULL;
  f->set.len = 0;
  (void)e;
}

static const char **vals_table(Emitter *e) {
  int n = e->g->bodies->nodes.len + 1;
  if (e->fused_vals_len < n) {
    e->fused_vals = ARENA_ARRAY(e->arena, const char *, n);
    e->fused_vals_len = n;
  }
  return e->fused_vals;
}

/* The value of body node b at the current element, writing a local for each
   computed node (so no subexpression is written or computed twice). */
static const char *body_value(Emitter *e, Fused *f, Node *b, int rank, int indent) {
  if (b->op == OP_CONST)
    return emit_real_literal(e, b->attr.value);
  if (b->op == OP_ARG) {
    Node *arg = f->node->in[b->attr.index];
    if (f->flat)
      return access(e, arg, shape_equal(arg->shape, f->iter) ? "i" : "0");
    return access(e, arg, broadcast_index(e, arg->shape, rank));
  }
  if (f->vals[b->id])
    return f->vals[b->id];
  const char *ops[MAX_OPERANDS];
  for (int k = 0; k < b->n_in; k++)
    ops[k] = body_value(e, f, b->in[k], rank, indent);
  const char *name = arena_printf(e->arena, "v%d", f->counter++);
  P("%*sconst %s %s = %s;  /* %s */\n", indent, "", e->real, name, expand(e, b, ops),
    b->name ? b->name : op_info[b->op].spelling);
  ptrvec_push(e->arena, &f->set, b);
  return f->vals[b->id] = name;
}

static const char *fused_element(Emitter *e, void *ctx, int rank, int indent) {
  Fused *f = ctx;
  Node *root = f->node->attr.body;
  return body_value(e, f, root->in[0], rank, indent);
}

/* The same at flat index i, for operands that are all of the iteration's
   shape or scalars.  Called once per copy of the loop body, so the locals
   of the previous copy are forgotten first. */
static const char *fused_flat_element(Emitter *e, void *ctx, int rank, int indent) {
  Fused *f = ctx;
  forget_vals(e, f);
  f->flat = 1;
  return fused_element(e, ctx, rank, indent);
}

/* Whether every operand of fused node n is of shape s or a scalar. */
static int operands_flat(Node *n, Shape s) {
  for (int k = 0; k < n->n_in; k++)
    if (!shape_equal(n->in[k]->shape, s) && !is_scalar_like(n->in[k]->shape) && n->in[k]->op != OP_NUMEL)
      return 0;
  return 1;
}

static void emit_fused_loop(Emitter *e, Node *n, Fused *fp) {
  Fused f = *fp;
  Node *root = n->attr.body;
  if (root->op == OP_SUM || root->op == OP_MEAN || root->op == OP_SUM_TO) {
    f.iter = root->in[0]->shape;
    emit_reduce_with(e, root, e->names[n->id], root->in[0], fused_element,
                     operands_flat(n, f.iter) ? fused_flat_element : NULL, &f);
    *fp = f;
    return;
  }
  f.iter = n->shape;
  f.flat = operands_flat(n, n->shape);
  int r = n->shape.rank;
  if (f.flat) {
    P("  for (int64_t i = 0; i < %s; i++) {\n", emit_numel(e, n->shape));
    const char *v = body_value(e, &f, root, 0, 4);
    P("    %s[i] = %s;\n  }\n", e->names[n->id], v);
    *fp = f;
    return;
  }
  for (int j = 0; j < r; j++)
    open_loop(e, n->shape, j, j + 1);
  const char *v = body_value(e, &f, root, r, 2 * r + 2);
  P("%*s%s[%s] = %s;\n", 2 * r + 2, "", e->names[n->id], broadcast_index(e, n->shape, r), v);
  close_loops(e, r, 1);
  *fp = f;
}

static void emit_fused(Emitter *e, Node *n) {
  Fused f;
  memset(&f, 0, sizeof f);
  f.node = n;
  f.vals = vals_table(e);
  emit_fused_loop(e, n, &f);
  forget_vals(e, &f);
}

/* Splits x's shape around `axis` into outer * len * inner, as C expressions. */
static void split_axis(Emitter *e, Shape s, int axis, const char **outer, const char **len, const char **inner) {
  Shape o = shape_of(axis, s.dims), in = shape_of(s.rank - axis - 1, s.dims + axis + 1);
  *outer = emit_numel(e, o);
  *len = emit_dim(e, s.dims[axis]);
  *inner = emit_numel(e, in);
}

/* softmax and log_softmax along one axis, as PyTorch's CPU kernels do:
   subtract the max, exponentiate, sum; softmax multiplies by 1/sum and
   log_softmax subtracts log(sum). */
static void emit_softmax(Emitter *e, Node *n) {
  const char *outer, *len, *inner, *x = e->names[n->in[0]->id], *y = e->names[n->id];
  const char *f = e->opt.f64 ? "" : "f", *R = e->real, *ex = emit_exp_fn(e);
  split_axis(e, n->shape, n->attr.axis, &outer, &len, &inner);
  P("  for (int64_t o = 0; o < %s; o++)\n", outer);
  P("    for (int64_t in = 0; in < %s; in++) {\n", inner);
  P("      const %s *row = %s + o * %s * %s + in;\n", R, x, len, inner);
  P("      %s *out = %s + o * %s * %s + in;\n", R, y, len, inner);
  P("      %s max = row[0];\n", R);
  P("      for (int64_t c = 1; c < %s; c++)\n", len);
  P("        if (row[c * %s] > max)\n          max = row[c * %s];\n", inner, inner);
  P("      %s sum = 0;\n", R);
  if (n->op == OP_SOFTMAX) {
    /* the exps in a loop of their own, which vectorizes; the sum after */
    P("      for (int64_t c = 0; c < %s; c++)\n", len);
    P("        out[c * %s] = %s(row[c * %s] - max);\n", inner, ex, inner);
    P("      for (int64_t c = 0; c < %s; c++)\n", len);
    P("        sum += out[c * %s];\n", inner);
    P("      %s scale = 1 / sum;\n", R);
    P("      for (int64_t c = 0; c < %s; c++)\n", len);
    P("        out[c * %s] *= scale;\n", inner);
  } else {
    P("      for (int64_t c = 0; c < %s; c++)\n", len);
    P("        sum += %s(row[c * %s] - max);\n", ex, inner);
    P("      %s log_sum = log%s(sum);\n", R, f);
    P("      for (int64_t c = 0; c < %s; c++)\n", len);
    P("        out[c * %s] = row[c * %s] - max - log_sum;\n", inner, inner);
  }
  P("    }\n");
}
ProductCall emit_product_call(Emitter *e, Node *n) {
  Node *a = n->in[0], *b = n->in[1];
  const char *kind = schedule_product_kind(e->schedule, n);
  Node *as = kind[0] == 't' ? a->in[0] : a, *bs = kind[1] == 't' ? b->in[0] : b;
  ProductCall c = {kind,
                   emit_rows_from(e, as, e->names[as->id]), emit_rows_from(e, bs, e->names[bs->id]),
                   emit_dim(e, a->shape.dims[0]), emit_dim(e, a->shape.dims[1]), emit_dim(e, b->shape.dims[1])};
  return c;
}

/* Product n into `out`; with `bias`, plus the bias (mgrt_matmul_*_bias). */
/* The parameters of libmgrt's products, as runtime/mgrt.h names them. */
static const char *const product_params[] = {"c", "a", "b", "m", "k", "n"};
static const char *const bias_product_params[] = {"c", "a", "b", "bias", "bias_step", "m", "k", "n"};

/* The call mgrt_matmul_KIND(out, A, B, M, K, N), indented by indent. */
static const char *product_call(Emitter *e, ProductCall c, const char *out, int indent) {
  const char *args[] = {out, c.a, c.b, c.M, c.K, c.N};
  const char *fn = arena_printf(e->arena, "mgrt_matmul_%s%s", c.kind, e->opt.f64 ? "_f64" : "");
  return emit_call(e, indent, fn, 6, product_params, args, ";");
}

static void emit_product(Emitter *e, Node *n, const char *out, Node *bias) {
  ProductCall c = emit_product_call(e, n);
  if (bias) {
    MGC_ASSERT(strcmp(c.kind, "tn") != 0);
    const char *args[] = {out, c.a, c.b, e->names[bias->id], shape_static_numel(bias->shape) == 1 ? "0" : "1",
                          c.M, c.K, c.N};
    const char *fn = arena_printf(e->arena, "mgrt_matmul_%s_bias%s", c.kind, e->opt.f64 ? "_f64" : "");
    P("  %s", emit_call(e, 2, fn, 8, bias_product_params, args, ";"));
    return;
  }
  if (e->block_rows && e->schedule->block[n->id] == BLOCK_SUM) {
    /* A^T @ B over the rows: the first block's product is the start of the
       sum, each later block's goes through block_scratch and is added.  The
       first block is this process's first (row_begin: 0 in one process). */
    P("  if (r0 == m->row_begin) {  /* the first block: the sum so far */\n");
    P("    %s", product_call(e, c, e->names[n->id], 4));
    P("  } else {  /* a later block: its product, added */\n");
    P("    %s", product_call(e, c, "m->block_scratch", 4));
    P("    %s *restrict sum = %s;\n", e->real, e->names[n->id]);
    P("    const %s *restrict part = m->block_scratch;\n", e->real);
    P("    for (int64_t i = 0; i < %s; i++)\n      sum[i] += part[i];\n", emit_numel(e, n->shape));
    P("  }\n");
    return;
  }
  P("  %s", product_call(e, c, out, 2));
}

static void emit_matmul(Emitter *e, Node *n) { emit_product(e, n, e->names[n->id], NULL); }

/* matmul_bias: x @ W + b in one call, the product without an array of its
   own. */
static void emit_bias_add(Emitter *e, Node *n) {
  P("  /* the product and the bias in one call: the product needs no array of its own */\n");
  emit_product(e, n, e->names[n->id], n->in[2]);
}

static void emit_transpose(Emitter *e, Node *n) {
  const char *R = emit_dim(e, n->in[0]->shape.dims[0]), *C = emit_dim(e, n->in[0]->shape.dims[1]);
  P("  for (int64_t r = 0; r < %s; r++)\n", R);
  P("    for (int64_t c = 0; c < %s; c++)\n", C);
  P("      %s[c * %s + r] = %s[r * %s + c];\n", e->names[n->id], R, e->names[n->in[0]->id], C);
}

/* onehot: zeros (a loop that vectorizes), then one 1 per row at the
   label's column.  Data labels are range-checked when loaded; a label out
   of range (an argmax over more classes) leaves its row all zeros. */
static void emit_onehot(Emitter *e, Node *n) {
  const char *y = e->names[n->in[0]->id], *out = e->names[n->id];
  const char *rows = emit_numel(e, n->in[0]->shape);  /* one label a row: [N] or [N, T] */
  P("  for (int64_t i = 0; i < %s * %ld; i++)\n", rows, n->attr.classes);
  P("    %s[i] = 0;\n", out);
  P("  for (int64_t r = 0; r < %s; r++)\n", rows);
  P("    if (%s[r] >= 0 && %s[r] < %ld)\n", y, y, n->attr.classes);
  P("      %s[r * %ld + %s[r]] = 1;\n", out, n->attr.classes, y);
}

static void emit_dropout_mask(Emitter *e, Node *n, int train) {
  if (train)
    P("  mgrt_rng_dropout_mask%s(&m->rng, %s, %s, %s);\n", e->opt.f64 ? "_f64" : "", e->names[n->id],
      emit_numel(e, n->shape), emit_real_literal(e, n->attr.value));
  else
    P("  for (int64_t i = 0; i < %s; i++)\n    %s[i] = 1;\n", emit_numel(e, n->shape), e->names[n->id]);
}

/* ---- restrict-qualified locals ----
** A kernel reads its operands and writes its result through locals
**     float *restrict t5 = m->t5;
** rather than through m->t5 directly.  Read through the struct, every
** store could in the compiler's eyes change the pointers themselves or the
** other arrays, and it keeps the loops scalar; the locals say that the
** arrays are distinct.  They are: the memory plan never gives a kernel's
** result the storage of one of its operands (passes/memplan.c), and
** operands that are both live have storage of their own. */

/* Names the kernels use for their own variables, and the math functions
   they call besides those of the operators' C expressions (ir_cexpr_calls):
   a buffer with one of these names gets a local with a '_'. */
static const char *const kernel_words[] = {
    "i", "l", "w", "o", "in", "r", "c", "acc", "lanes", "e", "zi", "q", "eq", "row", "out", "max", "sum",
    "scale", "log_sum", "prob", "shifted", "term", "log_p", "log_1mp", "best", "best_index", "start", "r0", "r1", "m",
    "rows", "sums", "part", "logged", "b0", "b1", "picked", "row_sums", "mgrt_logf", "exp", "expf", "log", "logf", "log1p",
    "log1pf", "sqrt", "sqrtf", "fabs", "fabsf", "fmax", "fmaxf", "fma", "fmaf", "pow", "powf"};

static const char *local_name(Emitter *e, const char *member) {
  for (size_t k = 0; k < sizeof kernel_words / sizeof *kernel_words; k++)
    if (strcmp(member, kernel_words[k]) == 0)
      return arena_printf(e->arena, "%s_", member);
  if (ir_cexpr_calls(member))
    return arena_printf(e->arena, "%s_", member);
  /* v0, v1 ... and i0, i1 ... are fused-loop temporaries and loop indices */
  if ((member[0] == 'v' || member[0] == 'i') && member[1] >= '0' && member[1] <= '9')
    return arena_printf(e->arena, "%s_", member);
  if (strncmp(member, "mgrt_", 5) == 0)
    return arena_printf(e->arena, "%s_", member);
  return member;
}

typedef struct {
  int ids[MAX_OPERANDS + 8];
  const char *saved[MAX_OPERANDS + 8];
  int n;
} Bindings;

/* Binds node x (and, for a view without storage, what it reads). */
static void bind(Emitter *e, Bindings *b, Node *x, int written) {
  if (!e->is_buffer[x->id] && x->op != OP_INPUT && x->op != OP_PARAM) {
    for (int k = 0; k < x->n_in; k++)
      bind(e, b, x->in[k], written);
    return;
  }
  const char *name = e->names[x->id];
  if (!name || strncmp(name, "m->", 3) != 0 || b->n == (int)(sizeof b->ids / sizeof *b->ids))
    return; /* literals are file-level arrays */
  for (int k = 0; k < b->n; k++)
    if (b->ids[k] == x->id)
      return;
  const char *local = local_name(e, name + 3);
  const char *type = x->dtype == DT_I64 ? "int64_t" : e->real;
  P("  %s%s *restrict %s = %s;\n", written ? "" : "const ", type, local, emit_rows_from(e, x, name));
  b->ids[b->n] = x->id;
  b->saved[b->n++] = name;
  e->names[x->id] = local;
}

static void unbind(Emitter *e, Bindings *b) {
  for (int k = 0; k < b->n; k++)
    e->names[b->ids[k]] = b->saved[k];
}

/* ---- what a kernel refers to in a row block ----
** The block functions (step/step.c) take m, r0, rows and sums, and say
** which of them they do not use before their kernels are written: each
** kernel's references follow from its node, as the kernels below write
** them.  An operand is read through a view without storage (a transpose
** that a product reads transposed) as bind() does; a batch input or a dropout mask is read from
** the block's first row (emit_rows_from); every loop over a batch
** dimension runs to the block's rows; a sum over rows adds to sums. */

static int has_rows(Shape s) {
  for (int i = 0; i < s.rank; i++)
    if (s.dims[i].sym)
      return 1;
  return 0;
}

static void operand_refs(Emitter *e, Node *x, KernelRefs *r) {
  r->rows |= has_rows(x->shape);
  if (x->op == OP_CONST || x->op == OP_LITERAL)
    return;
  if (x->op == OP_NUMEL) {
    r->model |= x->attr.index != 0; /* (float)m->N */
    return;
  }
  if (!e->is_buffer[x->id] && x->op != OP_INPUT && x->op != OP_PARAM) {
    for (int k = 0; k < x->n_in; k++)
      operand_refs(e, x->in[k], r);
    return;
  }
  r->model = 1;
  r->r0 |= emit_reads_from_r0(x);
}

void emit_kernel_refs(Emitter *e, Node *n, KernelRefs *r) {
  const Schedule *s = e->schedule;
  r->model = 1; /* every kernel in a block writes or reads a buffer of m */
  r->rows |= has_rows(n->shape);
  r->sums |= s->sum_at[n->id] >= 0;
  /* a weight gradient's product over rows: the first block starts the sum */
  r->r0 |= n->op == OP_MATMUL && s->block[n->id] == BLOCK_SUM;
  for (int k = 0; k < n->n_in; k++)
    operand_refs(e, n->in[k], r);
}

static void emit_kernel_body(Emitter *e, Node *n, int train);

void emit_kernel(Emitter *e, Node *n, int train) {
  /* a byproduct is written by its loss's kernel (ops.def) */
  if (!e->is_buffer[n->id] || op_info[n->op].flags & F_BYPRODUCT)
    return;
  e->current = n;
  /* calls into libmgrt take the pointers as they are */
  if (n->op == OP_MATMUL || n->op == OP_MATMUL_BIAS || n->op == OP_MATMUL_SOFTMAX_CE || n->op == OP_DROPOUT_MASK ||
      n->op == OP_RESHAPE || emit_is_runtime_call(n) || n->op == OP_BATCH_NORM || n->op == OP_BN_GRAD_INPUT || n->op == OP_BN_GRAD_WEIGHT ||
      n->op == OP_BN_GRAD_BIAS) {
    emit_kernel_body(e, n, train);
    return;
  }
  Bindings b = {.n = 0};
  /* inside a row block a sum over rows writes the step's sums, not its array */
  if (!(e->block_rows && e->schedule->sum_at[n->id] >= 0))
    bind(e, &b, n, 1);
  Node *also = emit_byproduct(e, n, train);
  if (also)
    bind(e, &b, also, 1);
  for (int k = 0; k < n->n_in; k++)
    bind(e, &b, n->in[k], 0);
  emit_kernel_body(e, n, train);
  unbind(e, &b);
}

void emit_kernel_block(Emitter *e, Node *n, int train, const char *note) {
  emit_kernel_comment(e, n);
  P("  {%s%s%s\n", note ? "  /* " : "", note ? note : "", note ? " */" : "");
  e->indent += 2;
  e->line_start = 1;
  emit_kernel(e, n, train);
  e->indent -= 2;
  P("  }\n");
}

static void emit_kernel_body(Emitter *e, Node *n, int train) {
  int flags = op_info[n->op].flags;
  if (flags & F_ELEM) {
    emit_elementwise(e, n);
    return;
  }
  switch (n->op) {
  case OP_SUM: case OP_MEAN: case OP_SUM_TO: case OP_ARGMAX:
    emit_reduce(e, n);
    break;
  case OP_MATMUL:
    emit_matmul(e, n);
    break;
  case OP_MATMUL_BIAS:
    emit_bias_add(e, n);
    break;
  case OP_MATMUL_SOFTMAX_CE:
    emit_product_class_loss(e, n);
    break;
  case OP_TRANSPOSE:
    emit_transpose(e, n);
    break;
  case OP_RESHAPE:
    /* a batch input is copied from the row block's first row */
    P("  memcpy(%s, %s, sizeof(%s) * (size_t)(%s));\n", e->names[n->id],
      emit_rows_from(e, n->in[0], e->names[n->in[0]->id]),
      n->dtype == DT_I64 ? "int64_t" : e->real, emit_numel(e, n->shape));
    break;
  case OP_INDEX:
    emit_index(e, n);
    break;
  case OP_INDEX_GRAD:
    emit_index_grad(e, n);
    break;
  case OP_SOFTMAX: case OP_LOG_SOFTMAX:
    emit_softmax(e, n);
    break;
  case OP_ONEHOT:
    emit_onehot(e, n);
    break;
  case OP_BCE:
    emit_bce(e, n);
    break;
  case OP_BCE_LOGITS:
    emit_bce_logits(e, n, train);
    break;
  case OP_SOFTMAX_CE: case OP_NLL:
    emit_class_loss(e, n, train);
    break;
  case OP_DROPOUT_MASK:
    emit_dropout_mask(e, n, train);
    break;
  case OP_FUSED:
    emit_fused(e, n);
    break;
  case OP_BATCH_NORM:
    emit_batch_norm(e, n, train);
    break;
  case OP_BN_GRAD_INPUT: case OP_BN_GRAD_WEIGHT: case OP_BN_GRAD_BIAS:
    emit_batch_norm_grad(e, n);
    break;
  case OP_SCAN: case OP_SCAN_BACK:
    emit_scan(e, n);
    break;
  default:
    if (!emit_conv_kernel(e, n))
      MGC_ASSERT(!"no kernel for operator");
  }
}

