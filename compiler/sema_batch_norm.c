/*
** sema_batch_norm.c — the batch norm layers, batch_norm1d(C) and
** batch_norm2d(C): nn.BatchNorm1d and nn.BatchNorm2d with their parameters
** (.weight ones, .bias zeros: no random draw), their buffers (.running_mean
** zeros, .running_var ones, .num_batches_tracked an i64 0) and their call,
** one batch_norm node whose mode (the batch's statistics in the training
** step, the running ones elsewhere) is the phase's, as dropout's is.
*/
#include "sema.h"

#include <string.h>

static const ArgSpec norm_spec = {{"num_features", "eps", "momentum"}, 3, 1};
static const char *const norm_defaults[] = {NULL, "1e-5", "0.1"};

int sema_batch_norm_rank(const char *kind) {
  if (strcmp(kind, "batch_norm1d") == 0)
    return 2;
  if (strcmp(kind, "batch_norm2d") == 0)
    return 4;
  return 0;
}

void sema_list_batch_norm(FILE *out) {
  sema_print_signature(out, "batch_norm1d", &norm_spec, norm_defaults,
                       "[N, C] -> [N, C], with .weight, .bias and running statistics (nn.BatchNorm1d)");
  sema_print_signature(out, "batch_norm2d", &norm_spec, norm_defaults,
                       "[N, C, H, W] -> [N, C, H, W], per channel (nn.BatchNorm2d)");
}

static Buffer *new_buffer(Sema *s, const char *layer, const char *member, DType dt, long c, double init,
                          Loc loc) {
  Buffer *b = ARENA_NEW(s->arena, Buffer);
  b->name = arena_printf(s->arena, "%s.%s", layer, member);
  b->c_name = arena_printf(s->arena, "%s_%s", layer, member);
  b->dtype = dt;
  Dim d[1] = {dim_const(c)};
  b->shape = c ? shape_of(1, d) : shape_scalar();
  b->init = init;
  b->loc = loc;
  Node proto = ir_proto(OP_BUFFER, dt, b->shape, NULL);
  proto.attr.index = s->model->buffers.len;
  proto.attr.axis = -1;
  proto.name = b->name;
  proto.loc = loc;
  b->node = ir_with_attrs(s->g, proto);
  ptrvec_push(s->arena, &s->model->buffers, b);
  return b;
}

/* `layer bn = batch_norm1d(C, eps = E, momentum = M)`: reads the arguments
   and creates the layer's params and buffers; 0 after reporting. */
int sema_batch_norm_layer(Sema *s, const Stmt *st, Symbol *sym) {
  const Expr *call = st->value;
  const Expr *args[8] = {0};
  if (!sema_bind_args(s, call, &norm_spec, args))
    return 0;
  long c;
  double eps = 1e-5, momentum = 0.1;
  if (!sema_const_int(s, args[0], &c, "num_features"))
    return 0;
  if (c < 1) {
    diag_error(args[0]->loc, "%s needs a positive number of channels, got %ld", call->text, c);
    return 0;
  }
  if (args[1] && !sema_const(s, args[1], &eps))
    return 0;
  if (args[2] && !sema_const(s, args[2], &momentum))
    return 0;
  /* eps keeps 1/sqrt(var + eps) finite for a constant channel; momentum is
     the weight of the batch's statistics in the running ones. */
  int ok = 1;
  if (!(eps > 0)) {
    diag_error(args[1]->loc, "batch norm's eps must be positive (it is added to the variance), got %g", eps);
    ok = 0;
  }
  if (!(momentum >= 0 && momentum <= 1)) {
    diag_error(args[2]->loc, "batch norm's momentum must be in [0, 1] (the batch's weight in the running "
                             "statistics), got %g", momentum);
    ok = 0;
  }
  if (!ok)
    return 0;
  if (!sym)
    return 1;
  Dim d[1] = {dim_const(c)};
  sym->weight = sema_new_param(s, arena_printf(s->arena, "%s.weight", st->name), shape_of(1, d), st->name_loc);
  sym->bias = sema_new_param(s, arena_printf(s->arena, "%s.bias", st->name), shape_of(1, d), st->name_loc);
  InitKind kinds[2] = {INIT_ONES, INIT_ZEROS};
  Param *ps[2] = {sym->weight, sym->bias};
  for (int i = 0; i < 2; i++) {
    InitStep *step = ARENA_NEW(s->arena, InitStep);
    step->kind = kinds[i];
    step->param = ps[i];
    step->loc = st->name_loc;
    sema_add_init_step(s, step);
  }
  sym->running_mean = new_buffer(s, st->name, "running_mean", DT_F32, c, 0, st->name_loc);
  sym->running_var = new_buffer(s, st->name, "running_var", DT_F32, c, 1, st->name_loc);
  sym->num_batches_tracked = new_buffer(s, st->name, "num_batches_tracked", DT_I64, 0, 0, st->name_loc);
  sym->in_features = sym->out_features = c;
  sym->norm_rank = sema_batch_norm_rank(call->text);
  sym->eps = eps;
  sym->momentum = momentum;
  return 1;
}

/* bn(x): F.batch_norm(x, running_mean, running_var, weight, bias, training,
   momentum, eps), the training flag being the phase's. */
Node *sema_batch_norm_call(Sema *s, const Expr *call, const Expr *arg, Symbol *layer) {
  Node *x = sema_expr(s, arg);
  if (!x || !sema_want_f32(s, x, arg, arena_printf(s->arena, "the argument of '%s'", call->text)))
    return NULL;
  const char *kind = layer->norm_rank == 2 ? "batch_norm1d" : "batch_norm2d";
  const char *want = layer->norm_rank == 2 ? "[N, %ld]" : "[N, %ld, H, W]";
  if (x->shape.rank != layer->norm_rank) {
    diag_error(arg->loc, "'%s' is a %s layer: it takes %s, got %s", layer->name, kind,
               arena_printf(s->arena, want, layer->in_features), shape_str(s->arena, s->g, x->shape));
    return NULL;
  }
  if (x->shape.dims[1].sym || x->shape.dims[1].n != layer->in_features) {
    diag_error(arg->loc, "'%s' normalizes %ld channels, but dim 1 of its input %s is %s", layer->name,
               layer->in_features, shape_str(s->arena, s->g, x->shape),
               x->shape.dims[1].sym ? s->g->size_name : arena_printf(s->arena, "%ld", x->shape.dims[1].n));
    diag_note(layer->loc, "'%s' is declared with %ld channels here", layer->name, layer->in_features);
    return NULL;
  }
  Node proto = ir_proto(OP_BATCH_NORM, DT_F32, x->shape, x);
  Node *in[6] = {x, layer->weight->node, layer->bias->node, layer->running_mean->node, layer->running_var->node,
                 layer->num_batches_tracked->node};
  proto.n_in = 6;
  memcpy(proto.in, in, sizeof in);
  proto.attr.norm.eps = layer->eps;
  proto.attr.norm.momentum = layer->momentum;
  proto.loc = call->loc;
  s->model->uses_batch_norm = 1;
  return ir_with_attrs(s->g, proto);
}
