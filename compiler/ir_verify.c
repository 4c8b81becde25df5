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

/* The logits of matmul_softmax_cross_entropy n: [rows of x, columns of W]. */
static Shape logits_shape(const Node *n) {
  Dim dims[2] = {n->in[0]->shape.dims[0], n->in[1]->shape.dims[1]};
  return shape_of(2, dims);
}

/* A product's operands n->in[0] @ n->in[1] must give `result`. */
static void verify_product(const Graph *g, const Node *n, Shape result) {
  const Shape *a = &n->in[0]->shape, *b = &n->in[1]->shape;
  if (a->rank != 2 || b->rank != 2 || result.rank != 2)
    fail(g, n, "a product of non-2-D operands");
  if (a->dims[1].sym != b->dims[0].sym || a->dims[1].n != b->dims[0].n || a->dims[0].sym != result.dims[0].sym ||
      a->dims[0].n != result.dims[0].n || b->dims[1].sym != result.dims[1].sym || b->dims[1].n != result.dims[1].n)
    fail(g, n, "a product's operand shapes do not give its result's");
}

/* index(x) has x's kept dims; index_grad(g) has the shape whose kept dims
   are g's, and picks positions inside it. */
static void verify_index(const Graph *g, const Node *n) {
  const Shape *full = n->op == OP_INDEX ? &n->in[0]->shape : &n->shape;
  const Shape *kept = n->op == OP_INDEX ? &n->shape : &n->in[0]->shape;
  Shape want = shape_scalar();
  for (int k = 0; k < full->rank; k++) {
    if (n->attr.subscript.keep[k]) {
      want.dims[want.rank++] = full->dims[k];
    } else if (full->dims[k].sym || n->attr.subscript.at[k] < 0 || n->attr.subscript.at[k] >= full->dims[k].n) {
      fail(g, n, "an index outside its dimension, or into the batch dimension");
    }
  }
  if (!shape_equal(want, *kept))
    fail(g, n, "an index's shape is not its indexed value's kept dims");
}

/* A byproduct has the shape of its loss's logits. */
static void verify_byproduct(const Graph *g, const Node *n) {
  const Node *loss = n->in[0];
  Shape logits = shape_scalar();
  if (n->op == OP_LOSS_SOFTMAX && (loss->op == OP_SOFTMAX_CE || loss->op == OP_MATMUL_SOFTMAX_CE))
    logits = loss->op == OP_SOFTMAX_CE ? loss->in[0]->shape : logits_shape(loss);
  else if (n->op == OP_LOSS_SIGMOID && loss->op == OP_BCE_LOGITS)
    logits = loss->in[0]->shape;
  else if (n->op == OP_LOSS_LOGITS_GRAD && loss->op == OP_MATMUL_SOFTMAX_CE && n->in[1]->op == OP_NUMEL)
    logits = logits_shape(loss);
  else
    fail(g, n, "a byproduct's operand is not a loss that writes it");
  if (!shape_equal(n->shape, logits) || n->dtype != DT_F32)
    fail(g, n, "a byproduct's shape differs from its loss's logits");
}

static int same_dim(Dim a, Dim b) { return a.sym == b.sym && (a.sym || a.n == b.n); }

/* x [n, c, h, w] through window w gives [n, channels, h', w'] ("out"). */
static int windowed(const Node *x, const Window *w, Dim channels, Shape out) {
  const Shape *s = &x->shape;
  if (s->rank != 4 || out.rank != 4 || s->dims[2].sym || s->dims[3].sym)
    return 0;
  if (w->kh < 1 || w->kw < 1 || w->sh < 1 || w->sw < 1 || w->ph < 0 || w->pw < 0 ||
      s->dims[2].n + 2L * w->ph < w->kh || s->dims[3].n + 2L * w->pw < w->kw)
    return 0;
  return same_dim(out.dims[0], s->dims[0]) && same_dim(out.dims[1], channels) && !out.dims[2].sym &&
         !out.dims[3].sym && out.dims[2].n == window_out(s->dims[2].n, w->kh, w->sh, w->ph) &&
         out.dims[3].n == window_out(s->dims[3].n, w->kw, w->sw, w->pw);
}

/* The convolution and pooling operators: x (the forward operator's input,
   or the gradient's result, which has x's shape) through the window gives
   y (the forward result, or dy). */
static void verify_window(const Graph *g, const Node *n) {
  const Window *w = &n->attr.window;
  const Node *x = n, *y = n->in[0], *weight = NULL;
  switch (n->op) {
  case OP_CONV2D:
    if (n->n_in != 2 && n->n_in != 3)
      fail(g, n, "conv2d takes x, weight[, bias]");
    x = n->in[0], y = n, weight = n->in[1];
    break;
  case OP_CONV2D_GRAD_INPUT: weight = n->in[1]; break;
  case OP_CONV2D_GRAD_WEIGHT: x = n->in[1], weight = n; break;
  case OP_MAX_POOL2D: case OP_AVG_POOL2D: x = n->in[0], y = n; break;
  case OP_MAX_POOL2D_GRAD:
    if (!shape_equal(n->in[1]->shape, n->shape))
      fail(g, n, "max_pool2d_grad's x differs from its result's shape");
    break;
  default: break;
  }
  if (weight) {
    const Shape *ws = &weight->shape;
    if (ws->rank != 4 || ws->dims[2].n != w->kh || ws->dims[3].n != w->kw || x->shape.rank != 4 ||
        !same_dim(ws->dims[1], x->shape.dims[1]))
      fail(g, n, "a convolution's weight is not [out, in, kh, kw] for its window and input");
    if (n->op == OP_CONV2D && n->n_in == 3 &&
        (n->in[2]->shape.rank != 1 || !same_dim(n->in[2]->shape.dims[0], ws->dims[0])))
      fail(g, n, "conv2d's bias is not one value per output channel");
  }
  Dim channels = weight ? weight->shape.dims[0] : x->shape.rank == 4 ? x->shape.dims[1] : dim_const(0);
  if (!windowed(x, w, channels, y->shape))
    fail(g, n, "a convolution's or pooling's shapes do not agree with its window");
  if (!weight && (2 * w->ph > w->kh || 2 * w->pw > w->kw))
    fail(g, n, "a pooling's padding is more than half its kernel");
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
    case OP_MATMUL_BIAS:
      verify_product(g, n, n->shape);
      if (shape_has_sym(n->in[2]->shape) ||
          (shape_static_numel(n->in[2]->shape) != 1 && shape_static_numel(n->in[2]->shape) != n->shape.dims[1].n))
        fail(g, n, "matmul_bias's bias is neither one value nor one per column");
      break;
    case OP_MATMUL_SOFTMAX_CE:
      if (n->n_in != 3 && n->n_in != 4)
        fail(g, n, "matmul_softmax_cross_entropy takes x, W, [bias,] labels");
      verify_product(g, n, logits_shape(n));
      if (n->shape.rank != 0 || n->in[n->n_in - 1]->dtype != DT_I64 || n->in[n->n_in - 1]->shape.rank != 1)
        fail(g, n, "matmul_softmax_cross_entropy: a scalar loss over i64 labels [rows]");
      break;
    case OP_LOSS_SOFTMAX: case OP_LOSS_SIGMOID: case OP_LOSS_LOGITS_GRAD:
      verify_byproduct(g, n);
      break;
    case OP_INDEX: case OP_INDEX_GRAD:
      verify_index(g, n);
      break;
    case OP_CONV2D: case OP_CONV2D_GRAD_INPUT: case OP_CONV2D_GRAD_WEIGHT: case OP_MAX_POOL2D:
    case OP_MAX_POOL2D_GRAD: case OP_AVG_POOL2D: case OP_AVG_POOL2D_GRAD:
      verify_window(g, n);
      break;
    case OP_CONV2D_GRAD_BIAS:
      if (n->in[0]->shape.rank != 4 || n->shape.rank != 1 || !same_dim(n->shape.dims[0], n->in[0]->shape.dims[1]))
        fail(g, n, "conv2d_grad_bias sums dy [n, c, h, w] to [c]");
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
