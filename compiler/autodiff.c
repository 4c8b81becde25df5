/*
** autodiff.c — reverse-mode differentiation that builds graph nodes.
**
** Starting from d loss/d loss = 1, nodes are visited in reverse topological
** order; each differentiable operator's rule turns the gradient flowing into
** its result into gradients for its operands, as new IR nodes.  The backward
** pass is therefore ordinary IR that the optimizer and emitter see like any
** other.  Gradients into a broadcast operand are summed back to its shape by
** one helper (accumulate), never by the rules themselves.
**
** Where PyTorch's backward kernel has a particular form (sigmoid's
** g * (1 - y) * y, binary cross-entropy's clamp at 1e-12), the rule builds the
** same form so that the numbers agree to the last digit.
*/
#include "ir_scan.h"
#include "model.h"

#include <string.h>

typedef struct AD {
  Graph *g;
  Node **grad;     /* indexed by forward node id */
  char *needs;     /* forward node leads to a param */
  int n_forward;
} AD;

/* ---- node builders ---------------------------------------------------- */

/* Nodes that autodiff creates are marked as gradient nodes; a node that
   hash-consing found in the forward graph keeps its forward identity. */
static int forward_count;
static Loc current_loc;  /* the forward node whose rule is running */
static Node *mark(Node *n, const char *note) {
  if (n->id < forward_count)
    return n;
  if (!n->is_grad)
    n->loc = current_loc;
  n->is_grad = 1;
  if (note && !n->note)
    n->note = note;
  return n;
}

static Node *add(AD *ad, Node *a, Node *b) { return mark(ir_binary(ad->g, OP_ADD, a, b), NULL); }
static Node *sub(AD *ad, Node *a, Node *b) { return mark(ir_binary(ad->g, OP_SUB, a, b), NULL); }
static Node *mul(AD *ad, Node *a, Node *b) { return mark(ir_binary(ad->g, OP_MUL, a, b), NULL); }
static Node *divide(AD *ad, Node *a, Node *b) { return mark(ir_binary(ad->g, OP_DIV, a, b), NULL); }
static Node *neg(AD *ad, Node *a) { return mark(ir_unary(ad->g, OP_NEG, a), NULL); }
static Node *cnst(AD *ad, double v) { return ir_const(ad->g, v); }
static Node *unary(AD *ad, Op op, Node *a) { return mark(ir_unary(ad->g, op, a), NULL); }
/* a > b and the like: the masks of where() in relu's, abs's and max's rules */
static Node *compare(AD *ad, Op op, Node *a, Node *b) { return mark(ir_binary(ad->g, op, a, b), NULL); }

static Node *with(AD *ad, Node proto) {
  proto.hash_next = NULL;
  proto.name = NULL;
  proto.note = NULL;
  return mark(ir_with_attrs(ad->g, proto), NULL);
}

static Node *make(AD *ad, Op op, Shape sh, Node *a, Node *b, Loc loc) {
  Node *in[2] = {a, b};
  return mark(ir_node(ad->g, op, DT_F32, sh, b ? 2 : 1, in, loc), NULL);
}

static Node *where(AD *ad, Node *cond, Node *a, Node *b) {
  Shape s1, s2;
  shape_broadcast(cond->shape, a->shape, &s1);
  shape_broadcast(s1, b->shape, &s2);
  Node *in[3] = {cond, a, b};
  return mark(ir_node(ad->g, OP_WHERE, DT_F32, s2, 3, in, cond->loc), NULL);
}

/* Element count of x (all of it, or along one axis) as a scalar node.  It
   depends on x's shape only, so it does not read x: a numel is a leaf that
   holds the constant part of the count and whether it is times N. */
static Node *numel(AD *ad, Node *x, int axis) {
  Shape s = axis >= 0 ? shape_of(1, &x->shape.dims[axis]) : x->shape;
  Node proto = ir_proto(OP_NUMEL, DT_F32, shape_scalar(), NULL);
  proto.attr.value = (double)shape_static_numel(s);
  proto.attr.index = shape_has_sym(s);
  proto.attr.axis = -1;
  proto.loc = x->loc;
  return with(ad, proto);
}

static Node *broadcast_to(AD *ad, Node *x, Shape sh) {
  if (shape_equal(x->shape, sh))
    return x;
  return make(ad, OP_BROADCAST, sh, x, NULL, x->loc);
}

/* Sums the broadcast dimensions of x back to shape sh. */
static Node *sum_to(AD *ad, Node *x, Shape sh) {
  if (shape_equal(x->shape, sh))
    return x;
  return make(ad, OP_SUM_TO, sh, x, NULL, x->loc);
}

static Node *reshape(AD *ad, Node *x, Shape sh) {
  if (shape_equal(x->shape, sh))
    return x;
  return make(ad, OP_RESHAPE, sh, x, NULL, x->loc);
}

static Node *transpose(AD *ad, Node *x) {
  Dim d[2] = {x->shape.dims[1], x->shape.dims[0]};
  return make(ad, OP_TRANSPOSE, shape_of(2, d), x, NULL, x->loc);
}

static Node *matmul(AD *ad, Node *a, Node *b) {
  Dim d[2] = {a->shape.dims[0], b->shape.dims[1]};
  return make(ad, OP_MATMUL, shape_of(2, d), a, b, a->loc);
}

/* sum(x, dim = axis, keepdim = true) */
static Node *sum_keepdim(AD *ad, Node *x, int axis) {
  Node proto = ir_proto(OP_SUM, DT_F32, x->shape, NULL);
  proto.shape.dims[axis] = dim_const(1);
  proto.n_in = 1;
  proto.in[0] = x;
  proto.attr.axis = axis;
  proto.attr.keepdim = 1;
  proto.loc = x->loc;
  return with(ad, proto);
}

static Node *with_attr(AD *ad, Op op, Node *x, double value, int axis, long classes, Shape sh) {
  Node proto = ir_proto(op, DT_F32, sh, x);
  proto.attr.value = value;
  proto.attr.axis = axis;
  proto.attr.classes = classes;
  proto.loc = x->loc;
  return with(ad, proto);
}

/* A gradient operator of a convolution or pooling (ops.def): operands a
   and b (or none), shape sh, the forward node's window. */
static Node *windowed(AD *ad, Op op, Shape sh, Node *a, Node *b, const Window *w) {
  Node proto = ir_proto(op, DT_F32, sh, a);
  if (b)
    proto.in[proto.n_in++] = b;
  proto.attr.window = *w;
  proto.loc = a->loc;
  return with(ad, proto);
}

/* ---- accumulation ------------------------------------------------------ */

/* grad[x] += c, with c summed back to x's shape first. */
static void accumulate(AD *ad, Node *x, Node *c, const char *note) {
  if (x->id >= ad->n_forward || !ad->needs[x->id])
    return;
  c = sum_to(ad, c, x->shape);
  if (note && !c->note)
    c->note = note;
  ad->grad[x->id] = ad->grad[x->id] ? add(ad, ad->grad[x->id], c) : c;
}

/* ---- the rules: one per differentiable operator ------------------------- */

/* g is d loss/d n; each rule calls accumulate for the operands. */
static void rule(AD *ad, Node *n, Node *g) {
  Node *x = n->in[0], *y = n->n_in > 1 ? n->in[1] : NULL;
  switch (n->op) {
  case OP_ADD: /* d(a+b) = da + db */
    accumulate(ad, x, g, "d(a + b)/da = 1");
    accumulate(ad, y, g, "d(a + b)/db = 1");
    break;
  case OP_SUB: /* d(a-b) = da - db */
    accumulate(ad, x, g, "d(a - b)/da = 1");
    accumulate(ad, y, neg(ad, g), "d(a - b)/db = -1");
    break;
  case OP_MUL: /* d(ab) = b da + a db */
    accumulate(ad, x, mul(ad, g, y), "d(a * b)/da = b");
    accumulate(ad, y, mul(ad, g, x), "d(a * b)/db = a");
    break;
  case OP_DIV: /* d(a/b) = da / b - a db / b^2 */
    accumulate(ad, x, divide(ad, g, y), "d(a / b)/da = 1 / b");
    accumulate(ad, y, divide(ad, mul(ad, neg(ad, g), x), mul(ad, y, y)), "d(a / b)/db = -a / b^2");
    break;
  case OP_NEG:
    accumulate(ad, x, neg(ad, g), "d(-a)/da = -1");
    break;
  case OP_POW: { /* d(x^c) = c x^(c-1) dx */
    Node *xc1 = n->attr.value == 2 ? x : with_attr(ad, OP_POW, x, n->attr.value - 1, -1, 0, x->shape);
    accumulate(ad, x, mul(ad, g, mul(ad, cnst(ad, n->attr.value), xc1)), "d(x ** c)/dx = c * x ** (c - 1)");
    break;
  }
  case OP_MAXIMUM: /* the larger operand gets the gradient */
    accumulate(ad, x, where(ad, compare(ad, OP_GE, x, y), g, cnst(ad, 0)), "d max(a, b)/da = a >= b");
    accumulate(ad, y, where(ad, compare(ad, OP_LT, x, y), g, cnst(ad, 0)), "d max(a, b)/db = a < b");
    break;
  case OP_WHERE:
    accumulate(ad, n->in[1], where(ad, x, g, cnst(ad, 0)), "d where(c, a, b)/da = c");
    accumulate(ad, n->in[2], where(ad, x, cnst(ad, 0), g), "d where(c, a, b)/db = !c");
    break;
  case OP_EXP: /* d e^x = e^x dx */
    accumulate(ad, x, mul(ad, g, n), "d exp(x)/dx = exp(x)");
    break;
  case OP_LOG: /* d log x = dx / x */
    accumulate(ad, x, divide(ad, g, x), "d log(x)/dx = 1 / x");
    break;
  case OP_SQRT: /* d sqrt(x) = dx / (2 sqrt(x)) */
    accumulate(ad, x, divide(ad, g, mul(ad, cnst(ad, 2), n)), "d sqrt(x)/dx = 1 / (2 sqrt(x))");
    break;
  case OP_ABS:
    accumulate(ad, x, mul(ad, g, unary(ad, OP_SIGN, x)), "d |x|/dx = sign(x)");
    break;
  case OP_SIGMOID: /* PyTorch: g * (1 - y) * y */
    accumulate(ad, x, mul(ad, mul(ad, g, sub(ad, cnst(ad, 1), n)), n),
               "d sigmoid(x)/dx = (1 - sigmoid(x)) * sigmoid(x)");
    break;
  case OP_TANH: /* PyTorch: g * (1 - y * y) */
    accumulate(ad, x, mul(ad, g, sub(ad, cnst(ad, 1), mul(ad, n, n))), "d tanh(x)/dx = 1 - tanh(x)^2");
    break;
  case OP_RELU:
    accumulate(ad, x, where(ad, compare(ad, OP_GT, n, cnst(ad, 0)), g, cnst(ad, 0)),
               "d relu(x)/dx = x > 0");
    break;
  case OP_LEAKY_RELU:
    accumulate(ad, x, where(ad, compare(ad, OP_GT, x, cnst(ad, 0)), g, mul(ad, g, cnst(ad, n->attr.value))),
               "d leaky_relu(x)/dx = x > 0 ? 1 : slope");
    break;
  case OP_SOFTPLUS: { /* PyTorch: x > 20 ? g : g * e^x / (e^x + 1) */
    Node *z = unary(ad, OP_EXP, x);
    accumulate(ad, x, where(ad, compare(ad, OP_GT, x, cnst(ad, 20)), g,
                            divide(ad, mul(ad, g, z), add(ad, z, cnst(ad, 1)))),
               "d softplus(x)/dx = sigmoid(x)");
    break;
  }
  case OP_BROADCAST:
    accumulate(ad, x, sum_to(ad, g, x->shape), "a broadcast's gradient is summed back");
    break;
  case OP_SUM_TO:
    accumulate(ad, x, broadcast_to(ad, g, x->shape), "a sum's gradient is broadcast");
    break;
  case OP_TRANSPOSE:
    accumulate(ad, x, transpose(ad, g), "d x.T = (dx).T");
    break;
  case OP_RESHAPE:
    accumulate(ad, x, reshape(ad, g, x->shape), "a reshape's gradient is reshaped back (flatten; a sequence's rows)");
    break;
  case OP_INDEX: { /* y = x[i, :]: dx is g at the picked elements, 0 elsewhere */
    Node proto = ir_proto(OP_INDEX_GRAD, DT_F32, x->shape, g);
    memcpy(&proto.attr.subscript, &n->attr.subscript, sizeof proto.attr.subscript);
    proto.attr.axis = -1;
    proto.loc = n->loc;
    accumulate(ad, x, with(ad, proto), "d x[i]/dx: g where picked, 0 elsewhere");
    break;
  }
  case OP_INDEX_GRAD: { /* the scatter's gradient picks the same elements back */
    Node proto = ir_proto(OP_INDEX, DT_F32, n->in[0]->shape, g);
    memcpy(&proto.attr.subscript, &n->attr.subscript, sizeof proto.attr.subscript);
    proto.attr.axis = -1;
    proto.loc = n->loc;
    accumulate(ad, x, with(ad, proto), "d index_grad(g)/dg picks the same elements");
    break;
  }
  case OP_MATMUL: /* d(AB) = dA B + A dB:  dA = G B^T, dB = A^T G */
    accumulate(ad, x, matmul(ad, g, transpose(ad, y)), "d(A @ B)/dA = G @ B.T");
    accumulate(ad, y, matmul(ad, transpose(ad, x), g), "d(A @ B)/dB = A.T @ G");
    break;
  case OP_SUM:
  case OP_MEAN: {
    /* Restore the reduced axis (size 1), broadcast, and for mean divide. */
    Node *gk = g;
    if (n->attr.axis >= 0 && !n->attr.keepdim) {
      Shape sh = x->shape;
      sh.dims[n->attr.axis] = dim_const(1);
      gk = reshape(ad, g, sh);
    }
    if (n->op == OP_MEAN)
      gk = divide(ad, gk, numel(ad, x, n->attr.axis));
    accumulate(ad, x, broadcast_to(ad, gk, x->shape),
               n->op == OP_SUM ? "d sum(x)/dx = 1" : "d mean(x)/dx = 1 / n");
    break;
  }
  case OP_SOFTMAX: /* PyTorch: y * (g - sum(g * y, dim, keepdim)) */
    accumulate(ad, x, mul(ad, n, sub(ad, g, sum_keepdim(ad, mul(ad, g, n), n->attr.axis))),
               "d softmax: y * (g - sum(g * y))");
    break;
  case OP_LOG_SOFTMAX: /* PyTorch: g - exp(y) * sum(g, dim, keepdim) */
    accumulate(ad, x, sub(ad, g, mul(ad, unary(ad, OP_EXP, n), sum_keepdim(ad, g, n->attr.axis))),
               "d log_softmax: g - softmax(x) * sum(g)");
    break;
  case OP_BCE: { /* PyTorch: g (p - y) / max((1 - p) p, 1e-12) / n */
    Node *den = make(ad, OP_MAXIMUM, x->shape, mul(ad, sub(ad, cnst(ad, 1), x), x), cnst(ad, 1e-12), x->loc);
    Node *gp = divide(ad, divide(ad, mul(ad, g, sub(ad, x, y)), den), numel(ad, x, -1));
    accumulate(ad, x, gp, "d bce/dp = (p - y) / (p (1 - p)) / n");
    Node *gy = divide(ad, mul(ad, g, sub(ad, unary(ad, OP_LOG, sub(ad, cnst(ad, 1), x)), unary(ad, OP_LOG, x))),
                      numel(ad, x, -1));
    accumulate(ad, y, gy, "d bce/dy = (log(1 - p) - log(p)) / n");
    break;
  }
  case OP_BCE_LOGITS: { /* g (sigmoid(z) - y) / n */
    Node *gz = divide(ad, mul(ad, g, sub(ad, unary(ad, OP_SIGMOID, x), y)), numel(ad, x, -1));
    accumulate(ad, x, gz, "d bce_with_logits/dz = (sigmoid(z) - y) / n  -- fused sigmoid + BCE");
    accumulate(ad, y, divide(ad, mul(ad, g, neg(ad, x)), numel(ad, x, -1)), "d bce_with_logits/dy = -z / n");
    break;
  }
  case OP_SOFTMAX_CE: { /* g (softmax(z) - onehot(y)) / N */
    Node *sm = with_attr(ad, OP_SOFTMAX, x, 0, 1, 0, x->shape);
    Node *oh = with_attr(ad, OP_ONEHOT, y, 0, -1, x->shape.dims[1].n, x->shape);
    accumulate(ad, x, divide(ad, mul(ad, g, sub(ad, sm, oh)), numel(ad, y, -1)),
               "d cross_entropy/dz = (softmax(z) - onehot(y)) / N  -- fused softmax + cross-entropy");
    break;
  }
  case OP_NLL: { /* -g onehot(y) / N */
    Node *oh = with_attr(ad, OP_ONEHOT, y, 0, -1, x->shape.dims[1].n, x->shape);
    accumulate(ad, x, divide(ad, mul(ad, neg(ad, g), oh), numel(ad, y, -1)), "d nll/dlogp = -onehot(y) / N");
    break;
  }
  case OP_BATCH_NORM: { /* PyTorch's batch_norm_backward, training mode */
    /* y = xhat w + b with xhat = (x - mean) invstd over the batch's (and
       each image's) values of a channel: the kernel that computes y writes
       mean and invstd on the way (byproducts), and the backward kernel
       computes, per channel,
         dbias = sum dy,  dweight = sum dy xhat,
         dx = (dy - mean(dy) - xhat mean(dy xhat)) invstd w,
       the last because mean and invstd depend on every x of the channel. */
    Dim c[1] = {n->shape.dims[1]};
    Node pm = ir_proto(OP_BN_MEAN, DT_F32, shape_of(1, c), n);
    Node pi = ir_proto(OP_BN_INVSTD, DT_F32, shape_of(1, c), n);
    pm.loc = pi.loc = n->loc;
    Node *mean = with(ad, pm), *invstd = with(ad, pi);
    /* named after the layer, which names its buffers: bn.batch_mean */
    const char *buffer = n->in[3]->name, *dot = buffer ? strrchr(buffer, '.') : NULL;
    if (dot && !mean->name) {
      mean->name = arena_printf(ad->g->arena, "%.*s.batch_mean", (int)(dot - buffer), buffer);
      invstd->name = arena_printf(ad->g->arena, "%.*s.batch_invstd", (int)(dot - buffer), buffer);
    }
    Node *w = n->in[1], *b = n->in[2];
    Node px = ir_proto(OP_BN_GRAD_INPUT, DT_F32, x->shape, g);
    Node *ix[5] = {g, x, w, mean, invstd};
    px.n_in = 5;
    memcpy(px.in, ix, sizeof ix);
    px.loc = n->loc;
    accumulate(ad, x, with(ad, px), "d batch_norm/dx = (dy - mean(dy) - xhat mean(dy xhat)) invstd w");
    Node pw = ir_proto(OP_BN_GRAD_WEIGHT, DT_F32, w->shape, g);
    Node *iw[4] = {g, x, mean, invstd};
    pw.n_in = 4;
    memcpy(pw.in, iw, sizeof iw);
    pw.loc = n->loc;
    accumulate(ad, w, with(ad, pw), "d batch_norm/dweight = sum of dy xhat");
    Node pb;
    memcpy(&pb, &pw, sizeof pb);
    pb.op = OP_BN_GRAD_BIAS;
    accumulate(ad, b, with(ad, pb), "d batch_norm/dbias = sum of dy");
    break;
  }
  case OP_CONV2D: { /* PyTorch's convolution_backward: dx, dweight and dbias from dy */
    const Window *w = &n->attr.window;
    accumulate(ad, x, windowed(ad, OP_CONV2D_GRAD_INPUT, x->shape, g, y, w),
               "d conv2d/dx: each W[o,c,a,b] * dy[n,o,r,q] back to the x it multiplied");
    accumulate(ad, y, windowed(ad, OP_CONV2D_GRAD_WEIGHT, y->shape, g, x, w),
               "d conv2d/dW[o,c,a,b] = sum over n,r,q of dy[n,o,r,q] * x[n,c,r*s-p+a,q*s-p+b]");
    if (n->n_in == 3) {
      Node *b = n->in[2];
      accumulate(ad, b, make(ad, OP_CONV2D_GRAD_BIAS, b->shape, g, NULL, n->loc),
                 "d conv2d/db[o] = sum over n,r,q of dy[n,o,r,q]");
    }
    break;
  }
  case OP_MAX_POOL2D:
    accumulate(ad, x, windowed(ad, OP_MAX_POOL2D_GRAD, x->shape, g, x, &n->attr.window),
               "d max_pool2d/dx: dy to the first maximum of its window");
    break;
  case OP_AVG_POOL2D:
    accumulate(ad, x, windowed(ad, OP_AVG_POOL2D_GRAD, x->shape, g, NULL, &n->attr.window),
               "d avg_pool2d/dx: dy / (kh kw) to every element of its window");
    break;
  case OP_SCAN: { /* backpropagation through time: a reverse loop (autodiff_scan.c) */
    const Scan *sc = n->attr.scan;
    Node *back = mark(ad_scan_back(ad->g, n, g), "d scan: the cell's chain rule, t from T-1 to 0");
    accumulate(ad, x, back, "d scan/d its per-step input: stacked by the reverse loop");
    for (int k = sc->n_seq; k < n->n_in; k++) {
      Node proto = ir_proto(OP_SCAN_SUM, DT_F32, n->in[k]->shape, back);
      proto.attr.index = k;
      proto.attr.axis = -1;
      accumulate(ad, n->in[k], with(ad, proto), "d scan/d a weight: summed over the steps");
    }
    break;
  }
  default:
    MGC_ASSERT(!"operator has F_DIFF but no gradient rule");
  }
}

/* ---- a loop body's gradient (autodiff_scan.c) ---------------------------- */

Node **ad_graph_gradients(Graph *g, Node *root, Node *seed) {
  AD ad;
  int saved_count = forward_count;
  Loc saved_loc = current_loc;
  ad.g = g;
  ad.n_forward = forward_count = g->nodes.len;
  ad.grad = ARENA_ARRAY(g->arena, Node *, ad.n_forward);
  ad.needs = ARENA_ARRAY(g->arena, char, ad.n_forward);
  for (int i = 0; i < ad.n_forward; i++) {
    Node *n = g->nodes.items[i];
    if (n->op == OP_ARG) {
      ad.needs[i] = 1;
      continue;
    }
    if (!(op_info[n->op].flags & F_DIFF) || n->dtype == DT_I64)
      continue;
    for (int k = 0; k < n->n_in; k++)
      ad.needs[i] |= ad.needs[n->in[k]->id];
  }
  ad.grad[root->id] = seed;
  for (int i = root->id; i >= 0; i--) {
    Node *n = g->nodes.items[i];
    if (!ad.grad[i] || !ad.needs[i] || (op_info[n->op].flags & F_LEAF))
      continue;
    current_loc = n->loc;
    rule(&ad, n, ad.grad[i]);
  }
  forward_count = saved_count;
  current_loc = saved_loc;
  return ad.grad;
}

/* ---- driver -------------------------------------------------------------- */

void ad_differentiate(Model *m) {
  AD ad;
  Graph *g = m->graph;
  Node *loss = m->train.loss;
  ad.g = g;
  ad.n_forward = forward_count = g->nodes.len;
  ad.grad = ARENA_ARRAY(g->arena, Node *, ad.n_forward);
  ad.needs = ARENA_ARRAY(g->arena, char, ad.n_forward);
  /* needs[n]: n is a param or depends on one through differentiable ops. */
  for (int i = 0; i < ad.n_forward; i++) {
    Node *n = g->nodes.items[i];
    if (n->op == OP_PARAM) {
      ad.needs[i] = 1;
      continue;
    }
    if (!(op_info[n->op].flags & F_DIFF) || n->dtype == DT_I64)
      continue;
    for (int k = 0; k < n->n_in; k++)
      ad.needs[i] |= ad.needs[n->in[k]->id];
  }
  ad.grad[loss->id] = ir_const(g, 1);
  for (int i = loss->id; i >= 0; i--) {
    Node *n = g->nodes.items[i];
    if (!ad.grad[i] || !ad.needs[i] || n->op == OP_PARAM)
      continue;
    current_loc = n->loc;
    rule(&ad, n, ad.grad[i]);
  }
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    p->grad = ad.grad[p->node->id];
    if (!p->grad) {
      diag_warning(p->loc, "param '%s' does not affect the loss '%s'; it gets no gradient and is "
                           "not trained", p->name, m->train.loss_name);
      continue;
    }
  }
  /* Name gradients after the values they are gradients of: grad_W. */
  for (int i = 0; i < ad.n_forward; i++) {
    Node *n = g->nodes.items[i], *gn = ad.grad[i];
    if (gn && n->name && !gn->name && gn->id >= ad.n_forward)
      gn->name = arena_printf(g->arena, "grad_%s", n->name);
  }
}
