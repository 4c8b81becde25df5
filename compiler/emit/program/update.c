/*
** update.c — update(m, lr): the optimizer's step (SGD with momentum,
** weight decay and Nesterov, or Adam) as PyTorch 1.13 takes it, one libmgrt
** call over every trained parameter at once: model_alloc_params (memory.c)
** lays the parameters, their gradients and the optimizer's state out as
** contiguous arrays with each parameter at the same place in each, so one
** pass over them is every parameter's update (runtime/adam.c, sgd.c: the
** same bits as a loop per parameter, and shared between threads from 65536
** elements on when libmgrt has OpenMP).
*/
#include "emit/program/program.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

/* A param whose gradient node is another param's gets a copy of it in its
   own place of param_grads, where the one pass reads it. */
static void emit_shared_gradients(Emitter *e, const ParamLayout *l) {
  Model *m = e->m;
  for (int i = 0; i < m->params.len; i++) {
    if (l->shares_grad_of[i] < 0)
      continue;
    Param *p = m->params.items[i], *owner = m->params.items[l->shares_grad_of[i]];
    P("  /* %s's gradient is %s's (the same computation): a copy in its place */\n", p->name, owner->name);
    P("  memcpy(m->param_grads + %ld, %s, sizeof(%s) * %ld);\n", l->offset[i], e->names[p->grad->id], e->real,
      (long)shape_static_numel(p->shape));
  }
}

/* "linear1.weight, linear1.bias and W": the params one pass updates. */
static const char *trained_list(Emitter *e) {
  Model *m = e->m;
  int n = 0, k = 0;
  for (int i = 0; i < m->params.len; i++)
    n += ((Param *)m->params.items[i])->grad != NULL;
  const char *list = "";
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (!p->grad)
      continue;
    k++;
    list = arena_printf(e->arena, "%s%s%s", list, k == 1 ? "" : k == n ? " and " : ", ", p->name);
  }
  return list;
}

/* The comment above the call: which params, how many elements, wrapped. */
static void emit_pass_comment(Emitter *e, const ParamLayout *l) {
  const char *list = trained_list(e);
  int col = fprintf(e->out, "  /* one pass over %ld elements:", l->trained);
  for (const char *w = list; *w;) {
    const char *end = w;
    while (*end && *end != ' ')
      end++;
    int len = (int)(end - w);
    if (col + 1 + len > 80) {
      P("\n     ");
      col = 5;
    } else {
      P(" ");
      col++;
    }
    P("%.*s", len, w);
    col += len;
    w = *end ? end + 1 : end;
  }
  P(" */\n");
}

void emit_update(Emitter *e) {
  Model *m = e->m;
  Optimizer *o = &m->train.opt;
  const char *R = e->real, *suffix = e->opt.f64 ? "_f64" : "", *ty = e->opt.f64 ? "f64" : "f32";
  ParamLayout l;
  emit_param_layout(e, &l);
  if (o->kind == OPT_SGD)
    P("/* torch.optim.SGD(lr, momentum = %g, weight_decay = %g, nesterov = %s) step:\n"
      "   d_p = grad + weight_decay * param; buf = momentum * buf + d_p (buf = d_p\n"
      "   at the first step); d_p = nesterov ? d_p + momentum * buf : buf;\n"
      "   param -= lr * d_p. */\n", o->momentum, o->weight_decay, o->nesterov ? "true" : "false");
  else
    P("/* torch.optim.Adam(lr, betas = (%g, %g), eps = %g, weight_decay = %g) step,\n"
      "   with PyTorch 1.13's bias corrections computed in double:\n"
      "   d_p = grad + weight_decay * param; exp_avg = beta1 exp_avg + (1 - beta1) d_p;\n"
      "   exp_avg_sq = beta2 exp_avg_sq + (1 - beta2) d_p^2;\n"
      "   param -= lr / bias_correction1 * exp_avg\n"
      "            / (sqrt(exp_avg_sq) / sqrt(bias_correction2) + eps). */\n",
      o->beta1, o->beta2, o->eps, o->weight_decay);
  P("static void update(Model *m, double lr) {\n");
  P("  m->step++;\n");
  if (!l.trained) { /* nothing the loss reaches: nothing to update */
    P("  (void)lr;\n}\n\n");
    return;
  }
  emit_shared_gradients(e, &l);
  if (o->kind == OPT_ADAM) {
    P("  double bias_correction1 = 1 - pow(%s, (double)m->step);\n", emit_double_literal(e, o->beta1));
    P("  double bias_correction2 = 1 - pow(%s, (double)m->step);\n", emit_double_literal(e, o->beta2));
    P("  const mgrt_adam_%s h = {\n", ty);
    P("      .beta1 = %s, .one_minus_beta1 = %s,\n", emit_real_literal(e, o->beta1), emit_real_literal(e, 1 - o->beta1));
    P("      .beta2 = %s, .one_minus_beta2 = %s,\n", emit_real_literal(e, o->beta2), emit_real_literal(e, 1 - o->beta2));
    P("      .eps = %s, .weight_decay = %s,\n", emit_real_literal(e, o->eps), emit_real_literal(e, o->weight_decay));
    P("      .step_size = (%s)(lr / bias_correction1),\n", R);
    P("      .bias_correction2_sqrt = (%s)sqrt(bias_correction2)};\n", R);
    emit_pass_comment(e, &l);
    P("  mgrt_adam_update%s(m->param_values, m->param_grads, m->param_exp_avg, m->param_exp_avg_sq, %ld, &h);\n",
      suffix, l.trained);
  } else {
    P("  const mgrt_sgd_%s h = {\n", ty);
    P("      .neg_lr = (%s)-lr, .momentum = %s, .weight_decay = %s,\n", R, emit_real_literal(e, o->momentum),
      emit_real_literal(e, o->weight_decay));
    P("      .nesterov = %d, .first_step = m->step == 1};\n", o->nesterov ? 1 : 0);
    emit_pass_comment(e, &l);
    P("  mgrt_sgd_update%s(m->param_values, m->param_grads, %s, %ld, &h);\n", suffix,
      o->momentum != 0 ? "m->param_momentum" : "NULL", l.trained);
  }
  P("}\n\n");
}
