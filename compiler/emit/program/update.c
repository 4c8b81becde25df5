/*
** update.c — update(m, lr): the optimizer's step (SGD with momentum,
** weight decay and Nesterov, or Adam) as PyTorch 1.13 takes it, one loop
** per trained parameter.
*/
#include "emit/program/program.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

static const char *grad_name(Emitter *e, Param *p) { return e->names[p->grad->id]; }

/* ---- the optimizer ---------------------------------------------------------------- */

/* From this many elements on, a param's update loop is shared between
   threads (in programs compiled with -fopenmp): below it, starting the
   threads costs more than the loop. */
enum { PARALLEL_UPDATE_MIN = 65536 };

void emit_update(Emitter *e) {
  Model *m = e->m;
  Optimizer *o = &m->train.opt;
  const char *f = e->opt.f64 ? "" : "f", *R = e->real;
  if (o->kind == OPT_SGD)
    P("/* torch.optim.SGD(lr, momentum = %g, weight_decay = %g, nesterov = %s) step:\n"
      "   d_p = grad + weight_decay * param; buf = momentum * buf + d_p (buf = d_p\n"
      "   at the first step); d_p = nesterov ? d_p + momentum * buf : buf;\n"
      "   param -= lr * d_p. */\n", o->momentum, o->weight_decay, o->nesterov ? "true" : "false");
  else
    P("/* torch.optim.Adam(lr, betas = (%g, %g), eps = %g, weight_decay = %g) step,\n"
      "   with PyTorch 1.13's bias corrections computed in double. */\n",
      o->beta1, o->beta2, o->eps, o->weight_decay);
  P("static void update(Model *m, double lr) {\n");
  P("  m->step++;\n");
  if (o->kind == OPT_ADAM) {
    P("  double bias_correction1 = 1 - pow(%s, (double)m->step);\n", emit_double_literal(e, o->beta1));
    P("  double bias_correction2 = 1 - pow(%s, (double)m->step);\n", emit_double_literal(e, o->beta2));
    P("  %s step_size = (%s)(lr / bias_correction1);\n", R, R);
    P("  %s bias_correction2_sqrt = (%s)sqrt(bias_correction2);\n", R, R);
  } else {
    P("  %s neg_lr = (%s)-lr;\n", R, R);
  }
  /* One loop per param over restrict pointers: param, gradient and state
     are separate arrays, and saying so lets the compiler vectorize. */
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (!p->grad)
      continue;
    const char *w = p->c_name;
    P("  {  /* %s */\n", p->name);
    P("    %s *restrict param = m->%s;\n", R, w);
    P("    const %s *restrict grad = %s;\n", R, grad_name(e, p));
    if (o->kind == OPT_SGD && o->momentum != 0)
      P("    %s *restrict buf = m->momentum_%s;\n", R, w);
    if (o->kind == OPT_ADAM)
      P("    %s *restrict exp_avg = m->exp_avg_%s, *restrict exp_avg_sq = m->exp_avg_sq_%s;\n", R, w, w);
    if (shape_static_numel(p->shape) >= PARALLEL_UPDATE_MIN)
      P("    MGRT_PARALLEL_FOR  /* threads share this loop when built with -fopenmp */\n");
    P("    for (int64_t i = 0; i < %ld; i++) {\n", shape_static_numel(p->shape));
    P("      %s d_p = grad[i];\n", R);
    if (o->weight_decay != 0)
      P("      d_p = fma%s(%s, param[i], d_p);\n", f, emit_real_literal(e, o->weight_decay));
    if (o->kind == OPT_SGD) {
      if (o->momentum != 0) {
        P("      buf[i] = m->step == 1 ? d_p : buf[i] * %s + d_p;\n", emit_real_literal(e, o->momentum));
        if (o->nesterov)
          P("      d_p = fma%s(%s, buf[i], d_p);\n", f, emit_real_literal(e, o->momentum));
        else
          P("      d_p = buf[i];\n");
      }
      P("      param[i] = fma%s(neg_lr, d_p, param[i]);\n", f);
    } else {
      P("      exp_avg[i] = fma%s(d_p, %s, exp_avg[i] * %s);\n", f, emit_real_literal(e, 1 - o->beta1),
        emit_real_literal(e, o->beta1));
      P("      exp_avg_sq[i] = exp_avg_sq[i] * %s + %s * d_p * d_p;\n", emit_real_literal(e, o->beta2),
        emit_real_literal(e, 1 - o->beta2));
      P("      %s denom = %s(exp_avg_sq[i]) / bias_correction2_sqrt + %s;\n", R,
        e->opt.f64 ? "sqrt" : "mgrt_sqrtf", emit_real_literal(e, o->eps));
      P("      param[i] = param[i] + -step_size * exp_avg[i] / denom;\n");
    }
    P("    }\n");
    P("  }\n");
  }
  P("}\n\n");
}

