/*
** conv.c — the kernels of the convolution and pooling operators: each is
** one call of libmgrt (runtime/conv2d.c, conv2d_f64.c, pool2d.c) on a shape
** struct written out as a designated initializer, under a comment with the
** formula it computes and the shapes it computes it on; the bias gradient,
** a sum per channel, is a loop of its own.
**
** The float convolutions work in the scratch array that model_reserve
** allocates with the batch's activations (program/memory.c), sized by
** mgrt_conv2d_scratch_elems for the largest convolution of the step, so the
** step allocates nothing.  mgc has checked every shape (sema_conv.c,
** ir_verify.c) and sized the scratch, so the calls cannot fail; were one to
** fail all the same, the program stops rather than train on garbage.
*/
#include <string.h>

#include "emit/kernels/kernels.h"

#define P(...) emit_out(e, __VA_ARGS__)

static const char *shape_text(Emitter *e, Node *n) { return shape_str(e->arena, e->g, n->shape); }

/* "stride s = 1, padding p = 1", or per dimension when they differ. */
static const char *window_text(Emitter *e, const Window *w) {
  if (w->sh == w->sw && w->ph == w->pw)
    return arena_printf(e->arena, "kernel %dx%d, stride s = %d, padding p = %d", w->kh, w->kw, w->sh, w->ph);
  return arena_printf(e->arena, "kernel %dx%d, stride s = %d along r and %d along q, padding p = %d and %d",
                      w->kh, w->kw, w->sh, w->sw, w->ph, w->pw);
}

/* The shape struct of a convolution whose input is x and weight weight,
   its lines aligned under the first field. */
static void conv_shape(Emitter *e, const Node *x, const Node *weight, const Window *w) {
  const char *open = "  const mgrt_conv2d_shape s = {";
  int at = (int)strlen(open);
  P("%s.n = %s, .c_in = %ld, .h = %ld, .w = %ld,\n", open, emit_dim(e, x->shape.dims[0]), x->shape.dims[1].n,
    x->shape.dims[2].n, x->shape.dims[3].n);
  P("%*s.c_out = %ld, .kh = %d, .kw = %d,\n", at, "", weight->shape.dims[0].n, w->kh, w->kw);
  P("%*s.stride_h = %d, .stride_w = %d, .pad_h = %d, .pad_w = %d};\n", at, "", w->sh, w->sw, w->ph, w->pw);
}

static void pool_shape(Emitter *e, const Node *x, const Window *w) {
  const char *open = "  const mgrt_pool2d_shape s = {";
  int at = (int)strlen(open);
  P("%s.n = %s, .c = %ld, .h = %ld, .w = %ld, .kh = %d, .kw = %d,\n", open, emit_dim(e, x->shape.dims[0]),
    x->shape.dims[1].n, x->shape.dims[2].n, x->shape.dims[3].n, w->kh, w->kw);
  P("%*s.stride_h = %d, .stride_w = %d, .pad_h = %d, .pad_w = %d};\n", at, "", w->sh, w->sw, w->ph, w->pw);
}

/* The call fn(&s, args...), stopping the program if it fails; the float
   convolutions get the scratch as their last two arguments. */
static void checked_call(Emitter *e, const char *fn, int n, const char *const *names, const char *const *args,
                         int scratch) {
  const char *all_names[8], *all_args[8];
  int k = 0;
  all_names[k] = "s";
  all_args[k++] = "&s";
  for (int i = 0; i < n; i++) {
    all_names[k] = names[i];
    all_args[k++] = args[i];
  }
  if (scratch && !e->opt.f64) {
    all_names[k] = "scratch";
    all_args[k++] = "m->conv_scratch";
    all_names[k] = "scratch_elems";
    all_args[k++] = "m->conv_scratch_elems";
  }
  const char *name = arena_printf(e->arena, "%s%s", fn, e->opt.f64 ? "_f64" : "");
  P("  if (%s", emit_call(e, 2, name, k, all_names, all_args, " != 0)"));
  P("    abort();  /* cannot happen: mgc checked the sizes%s */\n", scratch && !e->opt.f64 ? " and sized the scratch" : "");
}

static const char *name_of(Emitter *e, const Node *n) { return e->names[n->id]; }

static void emit_conv2d(Emitter *e, Node *n) {
  Node *x = n->in[0], *weight = n->in[1], *bias = n->n_in > 2 ? n->in[2] : NULL;
  const Window *w = &n->attr.window;
  P("  /* y[n,o,r,q] = %ssum_{c,a,b} W[o,c,a,b] x[n,c,r*s-p+a,q*s-p+b]  (x is 0 outside its image)\n",
    bias ? "b[o] + " : "");
  P("     x %s, W %s%s%s -> y %s,\n", shape_text(e, x), shape_text(e, weight), bias ? ", b " : "",
    bias ? shape_text(e, bias) : "", shape_text(e, n));
  P("     %s */\n", window_text(e, w));
  conv_shape(e, x, weight, w);
  const char *names[] = {"y", "x", "weight", "bias"};
  const char *args[] = {name_of(e, n), name_of(e, x), name_of(e, weight), bias ? name_of(e, bias) : "NULL"};
  checked_call(e, "mgrt_conv2d_forward", 4, names, args, 1);
}

static void emit_conv2d_grad_input(Emitter *e, Node *n) {
  Node *dy = n->in[0], *weight = n->in[1];
  const Window *w = &n->attr.window;
  P("  /* dx[n,c,i,j] = sum of W[o,c,a,b] dy[n,o,r,q] over the o, r, q, a, b with\n");
  P("     i = r*s-p+a, j = q*s-p+b: each weight times dy, back to the x it multiplied\n");
  P("     dy %s, W %s -> dx %s,\n", shape_text(e, dy), shape_text(e, weight), shape_text(e, n));
  P("     %s */\n", window_text(e, w));
  conv_shape(e, n, weight, w);
  const char *names[] = {"dx", "dy", "weight"};
  const char *args[] = {name_of(e, n), name_of(e, dy), name_of(e, weight)};
  checked_call(e, "mgrt_conv2d_backward_input", 3, names, args, 1);
}

static void emit_conv2d_grad_weight(Emitter *e, Node *n) {
  Node *dy = n->in[0], *x = n->in[1];
  const Window *w = &n->attr.window;
  P("  /* dW[o,c,a,b] = sum_{n,r,q} dy[n,o,r,q] x[n,c,r*s-p+a,q*s-p+b]\n");
  P("     dy %s, x %s -> dW %s,\n", shape_text(e, dy), shape_text(e, x), shape_text(e, n));
  P("     %s */\n", window_text(e, w));
  conv_shape(e, x, n, w);
  const char *names[] = {"dweight", "dbias", "dy", "x"};
  const char *args[] = {name_of(e, n), "NULL", name_of(e, dy), name_of(e, x)};
  checked_call(e, "mgrt_conv2d_backward_weight", 4, names, args, 1);
}

/* db[o] = the sum of dy over images and pixels, in double: each image's
   plane is contiguous, so the inner loop runs along memory. */
static void emit_conv2d_grad_bias(Emitter *e, Node *n) {
  Node *dy = n->in[0];
  long c = dy->shape.dims[1].n, plane = dy->shape.dims[2].n * dy->shape.dims[3].n;
  P("  /* db[o] = sum_{n,r,q} dy[n,o,r,q]  (dy %s -> db %s) */\n", shape_text(e, dy), shape_text(e, n));
  P("  for (int64_t o = 0; o < %ld; o++) {\n", c);
  P("    double acc = 0;\n");
  P("    for (int64_t i = 0; i < %s; i++)\n", emit_dim(e, dy->shape.dims[0]));
  P("      for (int64_t q = 0; q < %ld; q++)\n", plane);
  P("        acc += %s[(i * %ld + o) * %ld + q];\n", name_of(e, dy), c, plane);
  P("    %s[o] = (%s)acc;\n", name_of(e, n), e->real);
  P("  }\n");
}

static void emit_pool(Emitter *e, Node *n) {
  Node *x = n->in[0];
  const Window *w = &n->attr.window;
  if (n->op == OP_MAX_POOL2D)
    P("  /* y[n,c,r,q] = max_{a,b} x[n,c,r*s-p+a,q*s-p+b]  (-inf outside the image)\n");
  else
    P("  /* y[n,c,r,q] = sum_{a,b} x[n,c,r*s-p+a,q*s-p+b] / %d  (0 outside the image,\n"
      "     counted in the divisor)\n", w->kh * w->kw);
  P("     x %s -> y %s,\n", shape_text(e, x), shape_text(e, n));
  P("     %s */\n", window_text(e, w));
  pool_shape(e, x, w);
  const char *names[] = {"y", "x"};
  const char *args[] = {name_of(e, n), name_of(e, x)};
  checked_call(e, n->op == OP_MAX_POOL2D ? "mgrt_max_pool2d_forward" : "mgrt_avg_pool2d_forward", 2, names, args,
               0);
}

static void emit_pool_grad(Emitter *e, Node *n) {
  Node *dy = n->in[0];
  const Window *w = &n->attr.window;
  if (n->op == OP_MAX_POOL2D_GRAD)
    P("  /* dx: each dy[n,c,r,q] added to the first maximum of its window, found\n"
      "     again in x (row by row, as PyTorch scans it)\n");
  else
    P("  /* dx: each dy[n,c,r,q] / %d added to every element of its window\n", w->kh * w->kw);
  P("     dy %s -> dx %s,\n", shape_text(e, dy), shape_text(e, n));
  P("     %s */\n", window_text(e, w));
  pool_shape(e, n, w);
  if (n->op == OP_MAX_POOL2D_GRAD) {
    const char *names[] = {"dx", "dy", "x"};
    const char *args[] = {name_of(e, n), name_of(e, dy), name_of(e, n->in[1])};
    checked_call(e, "mgrt_max_pool2d_backward", 3, names, args, 0);
  } else {
    const char *names[] = {"dx", "dy"};
    const char *args[] = {name_of(e, n), name_of(e, dy)};
    checked_call(e, "mgrt_avg_pool2d_backward", 2, names, args, 0);
  }
}

int emit_conv_kernel(Emitter *e, Node *n) {
  switch (n->op) {
  case OP_CONV2D: emit_conv2d(e, n); return 1;
  case OP_CONV2D_GRAD_INPUT: emit_conv2d_grad_input(e, n); return 1;
  case OP_CONV2D_GRAD_WEIGHT: emit_conv2d_grad_weight(e, n); return 1;
  case OP_CONV2D_GRAD_BIAS: emit_conv2d_grad_bias(e, n); return 1;
  case OP_MAX_POOL2D: case OP_AVG_POOL2D: emit_pool(e, n); return 1;
  case OP_MAX_POOL2D_GRAD: case OP_AVG_POOL2D_GRAD: emit_pool_grad(e, n); return 1;
  default: return 0;
  }
}

int emit_is_runtime_call(const Node *n) {
  return n->op == OP_CONV2D || n->op == OP_CONV2D_GRAD_INPUT || n->op == OP_CONV2D_GRAD_WEIGHT ||
         n->op == OP_MAX_POOL2D || n->op == OP_AVG_POOL2D || n->op == OP_MAX_POOL2D_GRAD ||
         n->op == OP_AVG_POOL2D_GRAD;
}

int emit_uses_conv_scratch(const Emitter *e, const Node *n) {
  return !e->opt.f64 &&
         (n->op == OP_CONV2D || n->op == OP_CONV2D_GRAD_INPUT || n->op == OP_CONV2D_GRAD_WEIGHT);
}
