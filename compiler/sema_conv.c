/*
** sema_conv.c — convolutions and pooling in sema: the layer
** `layer c = conv2d(IN, OUT, K, stride, padding, bias)` (its parameters, made
** and initialized as nn.Conv2d makes them), its call c(x), and the builtins
** max_pool2d and avg_pool2d.  Each checks its sizes and its input's shape,
** and builds one node whose window (ir.h) holds the kernel, stride and
** padding; autodiff gives each its gradient operators.
*/
#include "sema.h"

#include <string.h>

static const char *shape_text(Sema *s, Shape sh) { return shape_str(s->arena, s->g, sh); }

/* Sizes past this are surely a mistake, and keep every window product in
   an int. */
enum { MAX_WINDOW = 1 << 16 };

/* A kernel size, stride or padding: an integer or a pair [h, w] of
   integers, each at least `least`. */
static int pair_arg(Sema *s, const Expr *e, long least, const char *what, int *h, int *w) {
  long v[2];
  const Expr *at[2] = {e, e};
  if (e->kind == EX_LIST) {
    if (e->items.len != 2) {
      diag_error(e->loc, "%s must be an integer or a pair [h, w], got a list of %d", what, e->items.len);
      return 0;
    }
    at[0] = e->items.items[0];
    at[1] = e->items.items[1];
  }
  for (int i = 0; i < 2; i++) {
    if (i == 1 && at[1] == at[0]) {
      v[1] = v[0];
      break;
    }
    if (!sema_const_int(s, at[i], &v[i], what))
      return 0;
    if (v[i] < least) {
      diag_error(at[i]->loc, "%s must be %s, got %ld", what, least > 0 ? "positive" : "0 or more", v[i]);
      return 0;
    }
    if (v[i] > MAX_WINDOW) {
      diag_error(at[i]->loc, "%s %ld is too large (at most %d)", what, v[i], MAX_WINDOW);
      return 0;
    }
  }
  *h = (int)v[0];
  *w = (int)v[1];
  return 1;
}

/* x's height and width, padded, must hold the kernel: PyTorch's "Kernel
   size can't be greater than actual input size". */
static int window_fits(Sema *s, const Expr *call, const Node *x, const Window *w) {
  long h = x->shape.dims[2].n, wd = x->shape.dims[3].n;
  if (h + 2L * w->ph >= w->kh && wd + 2L * w->pw >= w->kw)
    return 1;
  diag_error(call->loc, "the kernel %dx%d is larger than the input's %ldx%ld image%s (%s)", w->kh, w->kw,
             h, wd, w->ph || w->pw ? arena_printf(s->arena, " padded to %ldx%ld", h + 2L * w->ph,
                                                      wd + 2L * w->pw) : "",
             shape_text(s, x->shape));
  return 0;
}

/* [N, C, H, W] -> [N, channels, H', W'] through window w. */
static Shape windowed_shape(const Node *x, long channels, const Window *w) {
  Dim d[4] = {x->shape.dims[0], dim_const(channels),
              dim_const(window_out(x->shape.dims[2].n, w->kh, w->sh, w->ph)),
              dim_const(window_out(x->shape.dims[3].n, w->kw, w->sw, w->pw))};
  return shape_of(4, d);
}

/* x must be images [N, C, H, W]. */
static int want_images(Sema *s, const Expr *arg, const Node *x, const char *who) {
  if (x->shape.rank == 4)
    return 1;
  diag_error(arg->loc, "%s takes images [N, C, H, W], got %s", who, shape_text(s, x->shape));
  if (x->shape.rank == 2)
    diag_note(arg->loc, "an input declared f32[N, C, H, W] keeps its images' shape (f32[N, 1, 28, 28] "
                        "for one-channel 28x28 images)");
  return 0;
}

/* ---- the layer ------------------------------------------------------------- */

static const ArgSpec conv_spec = {{"in_channels", "out_channels", "kernel_size", "stride", "padding", "bias"}, 6, 3};
static const char *const conv_defaults[] = {NULL, NULL, NULL, "1", "0", "true"};

void sema_list_conv_layer(FILE *out) {
  sema_print_signature(out, "conv2d", &conv_spec, conv_defaults,
                       "[N, in_channels, H, W] -> [N, out_channels, H', W'], with .weight and .bias "
                       "(nn.Conv2d)");
}

int sema_conv_layer(Sema *s, const Stmt *st, Symbol *sym) {
  const Expr *call = st->value, *args[8];
  if (!sema_bind_args(s, call, &conv_spec, args))
    return 0;
  long in_c, out_c;
  int bias = 1;
  Window w = {.kh = 1, .kw = 1, .sh = 1, .sw = 1, .ph = 0, .pw = 0};
  if (!sema_const_int(s, args[0], &in_c, "in_channels") || !sema_const_int(s, args[1], &out_c, "out_channels"))
    return 0;
  if (in_c < 1 || out_c < 1) {
    diag_error(in_c < 1 ? args[0]->loc : args[1]->loc, "conv2d's channel counts must be positive");
    return 0;
  }
  /* each argument checked, so that every wrong one is reported */
  int ok = pair_arg(s, args[2], 1, "kernel_size", &w.kh, &w.kw);
  ok &= !args[3] || pair_arg(s, args[3], 1, "stride", &w.sh, &w.sw);
  ok &= !args[4] || pair_arg(s, args[4], 0, "padding", &w.ph, &w.pw);
  ok &= !args[5] || sema_bool(s, args[5], &bias, "bias");
  if (!ok)
    return 0;
  if (!sym)
    return 1;
  Dim wd[4] = {dim_const(out_c), dim_const(in_c), dim_const(w.kh), dim_const(w.kw)};
  Dim bd[1] = {dim_const(out_c)};
  sym->weight = sema_new_param(s, arena_printf(s->arena, "%s.weight", st->name), shape_of(4, wd), st->name_loc);
  sym->bias = bias ? sema_new_param(s, arena_printf(s->arena, "%s.bias", st->name), shape_of(1, bd), st->name_loc)
                   : NULL;
  sym->in_features = in_c;
  sym->out_features = out_c;
  sym->conv = 1;
  sym->window = w;
  /* nn.Conv2d's reset_parameters is nn.Linear's: the weight
     kaiming_uniform(a = sqrt(5)), then the bias uniform in +-1/sqrt(fan_in),
     with fan_in = IN * KH * KW (init.c reads it from the weight's shape). */
  InitStep *step = ARENA_NEW(s->arena, InitStep);
  step->kind = INIT_LINEAR;
  step->param = sym->weight;
  step->bias = sym->bias;
  step->loc = st->name_loc;
  sema_add_init_step(s, step);
  return 1;
}

/* c(x) = F.conv2d(x, c.weight, c.bias, stride, padding). */
Node *sema_conv_call(Sema *s, const Expr *call, Symbol *layer) {
  static const ArgSpec spec = {{"x"}, 1, 1};
  const Expr *args[8];
  if (!sema_bind_args(s, call, &spec, args))
    return NULL;
  Node *x = sema_tensor_arg(s, args[0], call->text);
  if (!x || !want_images(s, args[0], x, arena_printf(s->arena, "conv2d layer '%s'", layer->name)))
    return NULL;
  Dim c = x->shape.dims[1];
  if (c.sym || c.n != layer->in_features) {
    diag_error(args[0]->loc, "layer '%s' takes %ld input channel%s, [N, %ld, H, W], got %s", layer->name,
               layer->in_features, layer->in_features == 1 ? "" : "s", layer->in_features,
               shape_text(s, x->shape));
    diag_note(layer->loc, "'%s' is declared with in_channels = %ld here", layer->name, layer->in_features);
    return NULL;
  }
  if (!window_fits(s, call, x, &layer->window))
    return NULL;
  Node proto = ir_proto(OP_CONV2D, DT_F32, windowed_shape(x, layer->out_features, &layer->window), x);
  proto.in[1] = layer->weight->node;
  proto.n_in = 2;
  if (layer->bias)
    proto.in[proto.n_in++] = layer->bias->node;
  proto.attr.window = layer->window;
  proto.loc = call->loc;
  return ir_with_attrs(s->g, proto);
}

/* ---- pooling ---------------------------------------------------------------- */

/* max_pool2d(x, K, stride = K, padding = 0) and avg_pool2d: F.max_pool2d
   and F.avg_pool2d (count_include_pad, PyTorch's default). */
Node *sema_build_pool(Sema *s, const Expr *call, const Expr **args, int op) {
  Node *x = sema_tensor_arg(s, args[0], call->text);
  Window w = {.kh = 1, .kw = 1, .sh = 1, .sw = 1, .ph = 0, .pw = 0};
  int ok = pair_arg(s, args[1], 1, "kernel_size", &w.kh, &w.kw);
  w.sh = w.kh;
  w.sw = w.kw;
  ok &= !args[2] || pair_arg(s, args[2], 1, "stride", &w.sh, &w.sw);
  ok &= !args[3] || pair_arg(s, args[3], 0, "padding", &w.ph, &w.pw);
  if (!ok)
    return NULL;
  if (2 * w.ph > w.kh || 2 * w.pw > w.kw) {
    diag_error(args[3]->loc, "padding %dx%d is more than half the kernel %dx%d (PyTorch allows at most "
                             "kernel_size / 2)", w.ph, w.pw, w.kh, w.kw);
    return NULL;
  }
  if (!x || !want_images(s, args[0], x, call->text) || !window_fits(s, call, x, &w))
    return NULL;
  Node proto = ir_proto((Op)op, DT_F32, windowed_shape(x, x->shape.dims[1].n, &w), x);
  proto.attr.window = w;
  proto.loc = call->loc;
  return ir_with_attrs(s->g, proto);
}
