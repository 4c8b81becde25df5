/*
** sema_rnn.c — the recurrent layer rnn(IN, H, layers, nonlinearity, bias):
** its parameters as nn.RNN names, shapes and draws them, and its call as
** IR.  Each layer's input projection of every step is one product before
** the loop ([N*T, IN] @ W_ih^T + b_ih, as PyTorch precomputes it); the loop
** itself is a scan node (ir_scan.h) whose body is the cell
**   h_t = tanh((h_{t-1} @ W_hh^T + b_hh) + xp_t)
** in the order PyTorch's CPU cell adds (linear_hh(h) + the projected input).
*/
#include <math.h>
#include <string.h>

#include "ir_scan.h"
#include "sema.h"

struct RnnLayer {
  long in_features, hidden, layers;
  int relu;                 /* nonlinearity = "relu" (else tanh) */
  int bias;
  Param **w_ih, **w_hh, **b_ih, **b_hh;  /* by layer; biases NULL without bias */
};

static const ArgSpec rnn_spec = {{"input_size", "hidden_size", "layers", "nonlinearity", "bias"}, 5, 2};

void sema_list_rnn(FILE *out) {
  static const char *const defaults[] = {NULL, NULL, "1", "\"tanh\"", "true"};
  sema_print_signature(out, "rnn", &rnn_spec, defaults,
                       "[N, T, input_size] -> [N, T, hidden_size], h_0 = 0; params "
                       ".weight_ih_lK, .weight_hh_lK, .bias_ih_lK, .bias_hh_lK (nn.RNN, batch_first)");
}

static Param *rnn_param(Sema *s, const char *layer, const char *what, int k, Shape sh, Loc loc,
                        double bound) {
  Param *p = sema_new_param(s, arena_printf(s->arena, "%s.%s_l%d", layer, what, k), sh, loc);
  InitStep *step = ARENA_NEW(s->arena, InitStep);
  step->kind = INIT_UNIFORM;
  step->param = p;
  step->a = -bound;
  step->b = bound;
  step->loc = loc;
  sema_add_init_step(s, step);
  return p;
}

int sema_rnn_layer(Sema *s, Symbol *sym, const Stmt *st) {
  const Expr *call = st->value;
  const Expr *args[8] = {0};
  if (!sema_bind_args(s, call, &rnn_spec, args))
    return 0;
  RnnLayer r = {0};
  r.layers = 1;
  r.bias = 1;
  if (!sema_const_int(s, args[0], &r.in_features, "input_size") ||
      !sema_const_int(s, args[1], &r.hidden, "hidden_size"))
    return 0;
  if (r.in_features < 1 || r.hidden < 1) {
    diag_error(r.in_features < 1 ? args[0]->loc : args[1]->loc, "rnn sizes must be positive");
    return 0;
  }
  if (args[2]) {
    if (!sema_const_int(s, args[2], &r.layers, "layers"))
      return 0;
    if (r.layers < 1) {
      diag_error(args[2]->loc, "an rnn has at least one layer, got layers = %ld", r.layers);
      return 0;
    }
  }
  if (args[3]) {
    const Expr *nl = args[3];
    if (nl->kind != EX_STRING || (strcmp(nl->text, "tanh") != 0 && strcmp(nl->text, "relu") != 0)) {
      diag_error(nl->loc, "nonlinearity must be \"tanh\" or \"relu\"");
      return 0;
    }
    r.relu = strcmp(nl->text, "relu") == 0;
  }
  if (args[4] && !sema_bool(s, args[4], &r.bias, "bias"))
    return 0;
  if (!sym)
    return 1;
  /* nn.RNNBase.reset_parameters: every weight uniform(-1/sqrt(H), 1/sqrt(H)),
     layer by layer, in the order w_ih, w_hh, b_ih, b_hh. */
  double bound = 1 / sqrt((double)r.hidden);
  r.w_ih = ARENA_ARRAY(s->arena, Param *, r.layers);
  r.w_hh = ARENA_ARRAY(s->arena, Param *, r.layers);
  r.b_ih = ARENA_ARRAY(s->arena, Param *, r.layers);
  r.b_hh = ARENA_ARRAY(s->arena, Param *, r.layers);
  for (int k = 0; k < r.layers; k++) {
    long in = k ? r.hidden : r.in_features;
    Dim wi[2] = {dim_const(r.hidden), dim_const(in)};
    Dim wh[2] = {dim_const(r.hidden), dim_const(r.hidden)};
    Dim bd[1] = {dim_const(r.hidden)};
    r.w_ih[k] = rnn_param(s, st->name, "weight_ih", k, shape_of(2, wi), st->name_loc, bound);
    r.w_hh[k] = rnn_param(s, st->name, "weight_hh", k, shape_of(2, wh), st->name_loc, bound);
    if (r.bias) {
      r.b_ih[k] = rnn_param(s, st->name, "bias_ih", k, shape_of(1, bd), st->name_loc, bound);
      r.b_hh[k] = rnn_param(s, st->name, "bias_hh", k, shape_of(1, bd), st->name_loc, bound);
    }
  }
  sym->rnn = ARENA_NEW(s->arena, RnnLayer);
  memcpy(sym->rnn, &r, sizeof r);
  sym->in_features = r.in_features;
  sym->out_features = r.hidden;
  return 1;
}

/* One layer's loop over the projected inputs xp [N, T, H]. */
static Node *rnn_scan(Sema *s, const RnnLayer *r, int k, Node *xp, Loc loc) {
  Graph *g = s->g;
  Scan *sc = ARENA_NEW(s->arena, Scan);
  Graph *body = ir_graph_new(s->arena);
  body->size_name = g->size_name;
  Dim hd[2] = {xp->shape.dims[0], dim_const(r->hidden)};
  Shape hs = shape_of(2, hd);
  Node *w = r->w_hh[k]->node, *b = r->bias ? r->b_hh[k]->node : NULL;
  int n_in = b ? 3 : 2;
  Node *x_t = ir_scan_arg(body, 0, hs, "xp_t");
  Node *w_b = ir_scan_arg(body, 1, w->shape, w->name);
  Node *b_b = b ? ir_scan_arg(body, 2, b->shape, b->name) : NULL;
  Node *h = ir_scan_arg(body, n_in, hs, "h_prev");
  Dim td[2] = {w->shape.dims[1], w->shape.dims[0]};
  Node *wt = ir_node(body, OP_TRANSPOSE, DT_F32, shape_of(2, td), 1, &w_b, loc);
  Node *mm[2] = {h, wt};
  Node *pre = ir_node(body, OP_MATMUL, DT_F32, hs, 2, mm, loc);
  if (b_b)
    pre = ir_binary(body, OP_ADD, pre, b_b);
  pre = ir_binary(body, OP_ADD, pre, x_t);
  Node *h_t = ir_unary(body, r->relu ? OP_RELU : OP_TANH, pre);
  h_t->name = "h_t";
  sc->body = body;
  sc->n_in = n_in;
  sc->n_seq = 1;
  sc->n_carry = 1;
  sc->next[0] = h_t;
  sc->out = h_t;
  sc->steps = dim_factor(xp->shape.dims[1]);
  sc->cell = arena_printf(s->arena, "h_t = %s((h_{t-1} @ W_hh^T%s) + xp_t)", r->relu ? "relu" : "tanh",
                          b ? " + b_hh" : "");
  Node proto = ir_proto(OP_SCAN, DT_F32, xp->shape, NULL);
  proto.n_in = n_in;
  proto.in[0] = xp;
  proto.in[1] = w;
  if (b)
    proto.in[2] = b;
  proto.attr.axis = -1;
  proto.attr.scan = sc;
  proto.loc = loc;
  return ir_with_attrs(g, proto);
}

Node *sema_rnn_call(Sema *s, const Expr *call, const Expr *arg, Node *x, Symbol *layer) {
  const RnnLayer *r = layer->rnn;
  Shape xs = x->shape;
  if (xs.rank != 3 || !xs.dims[0].sym || xs.dims[0].n || xs.dims[1].sym) {
    diag_error(arg->loc, "recurrent layer '%s' takes a sequence [N, T, %ld], got %s%s", layer->name,
               r->in_features, shape_str(s->arena, s->g, xs),
               xs.rank == 2 ? " (a 2-D value has no time dim: declare the input f32[N, T, F])" : "");
    return NULL;
  }
  if (xs.dims[2].sym || xs.dims[2].n != r->in_features) {
    diag_error(arg->loc, "recurrent layer '%s' takes [N, T, %ld] (its input_size is %ld), got %s",
               layer->name, r->in_features, r->in_features, shape_str(s->arena, s->g, xs));
    return NULL;
  }
  long steps = xs.dims[1].n;
  Node *y = x;
  for (int k = 0; k < r->layers; k++) {
    /* The input projection of every step: one product [N*T, IN] @ W_ih^T + b_ih. */
    long in = y->shape.dims[2].n;
    Dim rd[2] = {dim_batch(steps), dim_const(in)};
    Node *rows = ir_node(s->g, OP_RESHAPE, DT_F32, shape_of(2, rd), 1, &y, call->loc);
    Node *w = r->w_ih[k]->node;
    Dim td[2] = {w->shape.dims[1], w->shape.dims[0]};
    Node *wt = ir_node(s->g, OP_TRANSPOSE, DT_F32, shape_of(2, td), 1, &w, call->loc);
    Dim pd[2] = {dim_batch(steps), dim_const(r->hidden)};
    Node *mm[2] = {rows, wt};
    Node *xp = ir_node(s->g, OP_MATMUL, DT_F32, shape_of(2, pd), 2, mm, call->loc);
    if (r->bias)
      xp = ir_binary(s->g, OP_ADD, xp, r->b_ih[k]->node);
    Dim sd[3] = {xs.dims[0], dim_const(steps), dim_const(r->hidden)};
    xp = ir_node(s->g, OP_RESHAPE, DT_F32, shape_of(3, sd), 1, &xp, call->loc);
    y = rnn_scan(s, r, k, xp, call->loc);
  }
  return y;
}
