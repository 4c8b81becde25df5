/*
** init.c — model_init_params: every parameter initialized as the .mg says,
** drawing from the one random stream in PyTorch's order, and every buffer
** set to its starting value.
*/
#include "emit/program/program.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

static void fans(Shape sh, long *fan_in, long *fan_out) {
  long receptive = 1;
  for (int i = 2; i < sh.rank; i++)
    receptive *= sh.dims[i].n;
  *fan_in = sh.rank >= 2 ? sh.dims[1].n * receptive : sh.rank == 1 ? sh.dims[0].n : 1;
  *fan_out = sh.rank >= 1 ? sh.dims[0].n * receptive : 1;
}

void emit_init(Emitter *e) {
  Model *m = e->m;
  P("/* Initializes every parameter as the .mg says, drawing from the random\n");
  P("   stream in the same order as the PyTorch program (torch.manual_seed(seed),\n");
  P("   then the constructors and torch.nn.init calls in declaration order). */\n");
  P("static void model_init_params(Model *m, uint64_t seed) {\n");
  P("  mgrt_rng_seed(&m->rng, seed);\n");
  int staging = e->opt.f64;
  long biggest = 1;
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (shape_static_numel(p->shape) > biggest)
      biggest = shape_static_numel(p->shape);
  }
  if (staging)
    P("  /* draws are made in float32, as PyTorch makes them, then widened */\n"
      "  float *draw = calloc(%ld, sizeof(float));\n  if (!draw)\n    abort();\n", biggest * 2);
  for (int i = 0; i < m->init_steps.len; i++) {
    InitStep *st = m->init_steps.items[i];
    Param *p = st->param;
    long n = shape_static_numel(p->shape), fi, fo;
    fans(p->shape, &fi, &fo);
    const char *dst = staging ? "draw" : arena_printf(e->arena, "m->%s", p->c_name);
    if (e->opt.annotate)
      P("  /* %s */\n", emit_source_line(e, st->loc));
    switch (st->kind) {
    case INIT_ZEROS: case INIT_ONES: case INIT_FULL: {
      double v = st->kind == INIT_ZEROS ? 0 : st->kind == INIT_ONES ? 1 : st->a;
      P("  for (int64_t i = 0; i < %ld; i++)\n    m->%s[i] = %s;\n", n, p->c_name, emit_real_literal(e, v));
      continue;
    }
    case INIT_LITERAL:
      P("  {\n    static const %s values[%ld] = {\n", e->real, n);
      emit_values(e, st->data, n, 0);
      P("    };\n    memcpy(m->%s, values, sizeof values);\n  }\n", p->c_name);
      continue;
    case INIT_UNIFORM:
    case INIT_NORMAL: {
      const char *names[] = {"rng", "out", "n", st->kind == INIT_UNIFORM ? "a" : "mean",
                             st->kind == INIT_UNIFORM ? "b" : "std"};
      const char *args[] = {"&m->rng", dst, arena_printf(e->arena, "%ld", n), emit_double_literal(e, st->a),
                            emit_double_literal(e, st->b)};
      P("  %s", emit_call(e, 2, st->kind == INIT_UNIFORM ? "mgrt_init_uniform" : "mgrt_init_normal", 5, names,
                          args, ";"));
      break;
    }
    case INIT_XAVIER_UNIFORM:
    case INIT_XAVIER_NORMAL: {
      const char *names[] = {"rng", "out", "n", "fan_in", "fan_out", "gain"};
      const char *args[] = {"&m->rng", dst, arena_printf(e->arena, "%ld", n), arena_printf(e->arena, "%ld", fi),
                            arena_printf(e->arena, "%ld", fo), emit_double_literal(e, st->a)};
      P("  %s", emit_call(e, 2, st->kind == INIT_XAVIER_UNIFORM ? "mgrt_init_xavier_uniform" : "mgrt_init_xavier_normal",
                          6, names, args, ";"));
      break;
    }
    case INIT_KAIMING_UNIFORM:
    case INIT_KAIMING_NORMAL: {
      const char *names[] = {"rng", "out", "n", "fan_in", "a"};
      const char *args[] = {"&m->rng", dst, arena_printf(e->arena, "%ld", n), arena_printf(e->arena, "%ld", fi),
                            emit_double_literal(e, st->a)};
      P("  %s", emit_call(e, 2, st->kind == INIT_KAIMING_UNIFORM ? "mgrt_init_kaiming_uniform"
                                                                   : "mgrt_init_kaiming_normal",
                          5, names, args, ";"));
      break;
    }
    case INIT_LINEAR: {
      /* nn.Conv2d draws as nn.Linear does, its fan_in IN * KH * KW: the
         weight [OUT, IN, KH, KW] as a matrix [OUT, fan_in] */
      long out_f = p->shape.dims[0].n, in_f = fi;
      const char *bias = !st->bias ? "NULL"
                         : staging ? arena_printf(e->arena, "draw + %ld", n)
                                   : arena_printf(e->arena, "m->%s", st->bias->c_name);
      const char *names[] = {"rng", "weight", "bias", "in", "out"};
      const char *args[] = {"&m->rng", dst, bias, arena_printf(e->arena, "%ld", in_f),
                            arena_printf(e->arena, "%ld", out_f)};
      P("  %s", emit_call(e, 2, "mgrt_init_linear", 5, names, args, ";"));
      if (staging && st->bias)
        P("  for (int64_t i = 0; i < %ld; i++)\n    m->%s[i] = draw[%ld + i];\n", out_f, st->bias->c_name, n);
      break;
    }
    }
    if (staging)
      P("  for (int64_t i = 0; i < %ld; i++)\n    m->%s[i] = draw[i];\n", n, p->c_name);
  }
  if (staging)
    P("  free(draw);\n");
  /* buffers draw nothing: running_mean 0, running_var 1, num_batches_tracked 0 */
  for (int i = 0; i < m->buffers.len; i++) {
    Buffer *b = m->buffers.items[i];
    if (e->opt.annotate)
      P("  /* %s */\n", emit_source_line(e, b->loc));
    P("  for (int64_t i = 0; i < %ld; i++)\n    m->%s[i] = %s;\n", (long)shape_static_numel(b->shape), b->c_name,
      b->dtype == DT_I64 ? arena_printf(e->arena, "%ld", (long)b->init) : emit_real_literal(e, b->init));
  }
  P("}\n\n");
}

