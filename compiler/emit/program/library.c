/*
** library.c — library mode (--emit=lib): the model as a C API.
**
** The model's kernels are the program's (program.c writes them); this
** file adds the API functions around them and writes the header that
** documents them:
**
**   PREFIX_model *PREFIX_create(void);
**   void  PREFIX_destroy(PREFIX_model *m);
**   float PREFIX_train_step(PREFIX_model *m, int64_t n, inputs...);
**   float PREFIX_evaluate(PREFIX_model *m, int64_t n, inputs..., float *metrics);
**   void  PREFIX_predict(PREFIX_model *m, int64_t n, needed inputs..., outputs...);
**   int   PREFIX_save / PREFIX_load (safetensors), PREFIX_last_error, PREFIX_param.
**
** Buffers grow the first time a larger batch arrives, outside the step's
** kernels; the step itself never allocates.
*/
#include <ctype.h>
#include <string.h>

#include "emit/program/program.h"
#include "schedule.h"

#define P(...) fprintf(e->out, __VA_ARGS__)
#define H(...) fprintf(h, __VA_ARGS__)

static const char *elem_type(Emitter *e, const Node *n) { return n->dtype == DT_I64 ? "int64_t" : e->real; }

/* Which inputs the predict phase reads. */
static char *inputs_for_predict(Emitter *e) {
  Model *m = e->m;
  char *use = ARENA_ARRAY(e->arena, char, m->inputs.len + 1);
  for (int i = 0; i < m->inputs.len; i++) {
    Input *in = m->inputs.items[i];
    use[i] = e->schedule->predict[in->node->id];
  }
  return use;
}

/* ", const float *x, const int64_t *y" for the inputs in use (all if NULL). */
static void input_params(Emitter *e, FILE *out, const char *use) {
  Model *m = e->m;
  for (int i = 0; i < m->inputs.len; i++) {
    Input *in = m->inputs.items[i];
    if (!use || use[i])
      fprintf(out, ", const %s *%s", elem_type(e, in->node), in->name);
  }
}

static void input_args(Emitter *e, const char *use) {
  Model *m = e->m;
  for (int i = 0; i < m->inputs.len; i++)
    if (!use || use[i])
      P(", %s", ((Input *)m->inputs.items[i])->name);
}

/* A function that checks a batch's arguments, grows the buffers if needed
   and points the model's inputs at the caller's arrays. */
static void emit_bind(Emitter *e, const char *name, const char *use) {
  Model *m = e->m;
  P("static int %s(Model *m, int64_t n", name);
  input_params(e, e->out, use);
  P(") {\n");
  P("  if (n < 1) {\n    snprintf(m->error, sizeof m->error, \"the batch must have at least one row (n = %%\" PRId64 \")\", n);\n    return -1;\n  }\n");
  for (int i = 0; i < m->inputs.len; i++) {
    Input *in = m->inputs.items[i];
    if (use && !use[i])
      continue;
    P("  if (!%s) {\n    snprintf(m->error, sizeof m->error, \"input %s is NULL\");\n    return -1;\n  }\n", in->name, in->name);
    if (in->shape.rank && !in->shape.dims[0].sym)
      P("  if (n != %ld) {\n    snprintf(m->error, sizeof m->error, \"input %s has %ld rows (n = %%\" PRId64 \")\", n);\n    return -1;\n  }\n",
        in->shape.dims[0].n, in->name, in->shape.dims[0].n);
    if (in->dtype == DT_I64 && in->num_classes)
      P("  for (int64_t r = 0; r < n; r++)\n    if (%s[r] < 0 || %s[r] >= %ld) {\n"
        "      snprintf(m->error, sizeof m->error, \"%s[%%\" PRId64 \"] = %%\" PRId64 \" is outside [0, %ld)\", r, %s[r]);\n"
        "      return -1;\n    }\n", in->name, in->name, in->num_classes, in->name, in->num_classes, in->name);
  }
  P("  if (model_reserve(m, n) != 0) {\n    snprintf(m->error, sizeof m->error, \"out of memory for a batch of %%\" PRId64 \" rows\", n);\n    return -1;\n  }\n");
  P("  m->N = n;\n");
  for (int i = 0; i < m->inputs.len; i++) {
    Input *in = m->inputs.items[i];
    if (!use || use[i])
      P("  m->%s = (%s *)%s;  /* read only */\n", emit_member(e, in->node), elem_type(e, in->node), in->name);
  }
  P("  m->error[0] = 0;\n  return 0;\n}\n\n");
}

static const char *output_width_expr(Emitter *e, const Node *n) {
  return emit_numel(e, n->shape);
}

void emit_library(Emitter *e) {
  Model *m = e->m;
  const char *px = e->opt.prefix, *R = e->real;
  Schedule *s = e->schedule;
  char *use = inputs_for_predict(e);
  emit_section(e, m->uses_batch_norm ? "Evaluation and prediction (evaluation mode: no dropout, batch norm's running statistics)"
                                     : "Evaluation and prediction (evaluation mode: no dropout)");
  emit_phase(e, "evaluate_train_metrics", "Computes the loss and train's metrics.", s->evaluate, 0);
  int has_outputs = emit_phase_has_kernels(e, s->predict); /* a model may declare none */
  if (has_outputs)
    emit_phase(e, "predict_outputs", "Computes the outputs.", s->predict, 0);
  emit_section(e, "Checkpoints");
  emit_checkpoints(e);
  emit_section(e, "The API (see the header)");
  emit_bind(e, "bind_batch", NULL);
  emit_bind(e, "bind_predict", use);

  P("%s_model *%s_create(void) {\n", px, px);
  P("  Model *m = calloc(1, sizeof *m);\n  if (!m)\n    return NULL;\n");
  P("  if (model_alloc_params(m) != 0) {\n    free(m);\n    return NULL;\n  }\n");
  P("  model_init_params(m, (uint64_t)%ldLL);\n  return m;\n}\n\n", m->seed);

  P("void %s_destroy(%s_model *m) {\n  if (!m)\n    return;\n", px, px);
  P("  free(m->param_block);\n  free(m->batch_block);\n  free(m);\n}\n\n");

  P("float %s_train_step(%s_model *m, int64_t n", px, px);
  input_params(e, e->out, NULL);
  P(") {\n  if (bind_batch(m, n");
  input_args(e, NULL);
  P(") != 0)\n    return NAN;\n");
  if (emit_batch_norm_of_rows(e)) {
    P("  if (n < 2) {  /* batch norm of [n, C]: one value per channel, nothing to normalize */\n");
    P("    snprintf(m->error, sizeof m->error, \"batch norm needs more than one row in a training batch (n = %%\" PRId64 \"), \"\n");
    P("             \"as PyTorch does in training mode\", n);\n    return NAN;\n  }\n");
  }
  P("  train_step(m, 0);\n  float loss = (float)%s[0];\n", e->names[m->train.loss->id]);
  P("  update(m, %s);\n  return loss;\n}\n\n", emit_double_literal(e, m->train.opt.lr));

  P("float %s_evaluate(%s_model *m, int64_t n", px, px);
  input_params(e, e->out, NULL);
  P(", float *metrics) {\n  if (bind_batch(m, n");
  input_args(e, NULL);
  P(") != 0)\n    return NAN;\n  evaluate_train_metrics(m);\n");
  if (m->train.n_metrics) {
    P("  if (metrics) {\n");
    for (int i = 0; i < m->train.n_metrics; i++)
      P("    metrics[%d] = (float)%s[0];  /* %s */\n", i, e->names[m->train.metrics[i].node->id], m->train.metrics[i].name);
    P("  }\n");
  } else {
    P("  (void)metrics;\n");
  }
  P("  return (float)%s[0];\n}\n\n", e->names[model_eval_loss(m)->id]);

  P("void %s_predict(%s_model *m, int64_t n", px, px);
  input_params(e, e->out, use);
  for (int i = 0; i < m->n_outputs; i++)
    P(", %s *%s", elem_type(e, m->outputs[i].node), m->outputs[i].name);
  P(") {\n  if (bind_predict(m, n");
  input_args(e, use);
  P(") != 0)\n    return;\n%s", has_outputs ? "  predict_outputs(m);\n" : "");
  for (int i = 0; i < m->n_outputs; i++) {
    Node *o = m->outputs[i].node;
    P("  if (%s)\n    memcpy(%s, %s, sizeof(%s) * (size_t)(%s));\n", m->outputs[i].name, m->outputs[i].name,
      e->names[o->id], elem_type(e, o), output_width_expr(e, o));
  }
  P("}\n\n");

  P("int %s_save(const %s_model *m, const char *path) {\n", px, px);
  P("  Model *mutable_model = (Model *)m;  /* only its error message changes */\n");
  P("  if (model_save(mutable_model, path) != 0) {\n");
  P("    snprintf(mutable_model->error, sizeof mutable_model->error, \"%%s\", mgrt_last_error());\n    return -1;\n  }\n");
  P("  return 0;\n}\n\n");
  P("int %s_load(%s_model *m, const char *path) {\n", px, px);
  P("  if (model_load(m, path) != 0) {\n");
  P("    snprintf(m->error, sizeof m->error, \"%%s\", mgrt_last_error());\n    return -1;\n  }\n");
  P("  return 0;\n}\n\n");
  P("const char *%s_last_error(const %s_model *m) {\n  return m ? m->error : \"no model\";\n}\n\n", px, px);
  P("%s *%s_param(%s_model *m, const char *name, int64_t *numel) {\n", R, px, px);
  if (!m->params.len)
    P("  (void)m;  /* the model has no params */\n  (void)name;\n");
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    P("  if (strcmp(name, \"%s\") == 0) {\n    if (numel)\n      *numel = %ld;\n    return m->%s;\n  }\n", p->name,
      shape_static_numel(p->shape), p->c_name);
  }
  P("  if (numel)\n    *numel = 0;\n  return NULL;\n}\n");
}

/* ---- the header ------------------------------------------------------------ */

static void describe_input(Emitter *e, FILE *h, const Input *in) {
  long w = model_input_width(in);
  H(" *   %-10s %s: n x %ld %s values, row-major (.mg: input %s: %s)\n", in->name,
    in->dtype == DT_I64 ? "const int64_t *" : e->opt.f64 ? "const double *" : "const float *", w,
    in->dtype == DT_I64 ? "int64_t" : e->real, in->name, shape_str(e->arena, e->g, in->shape));
  if (in->dtype == DT_I64 && in->num_classes)
    H(" *              class labels in [0, %ld)\n", in->num_classes);
}

/* What the header says about data-parallel training: the library does not
   do it (runtime/dist.c serves generated training programs only). */
static void emit_lib_header_processes(Emitter *e, FILE *h) {
  H(" * Data parallelism: this library trains in one process.  It cannot train\n"
    " * data-parallel over MPI (the generated training program can, under\n"
    " * mpirun: docs/mpi.md); in an MPI job each process that calls\n"
    " * %s_train_step trains its own model on the whole batches it is given.\n *\n", e->opt.prefix);
}

void emit_lib_header(Emitter *e, FILE *h) {
  Model *m = e->m;
  const char *px = e->opt.prefix, *R = e->real;
  char *guard = arena_printf(e->arena, "%s_H", px);
  for (char *p = guard; *p; p++)
    *p = (char)toupper((unsigned char)*p);
  const char *base = strrchr(m->source_path, '/');
  base = base ? base + 1 : m->source_path;
  char *use = inputs_for_predict(e);
  H("/*\n * The C API of the model in %s, generated by mgc (--emit=lib).\n", base);
  H(" * Link with libmgrt and libm: cc app.c %s.c -lmgrt -lm (an installed libmgrt brings zlib and OpenMP along)\n *\n", px);
  H(" * Example:\n *   %s_model *m = %s_create();\n", px, px);
  H(" *   for (int step = 0; step < 1000; step++)\n *     %s_train_step(m, n", px);
  for (int i = 0; i < m->inputs.len; i++)
    H(", %s", ((Input *)m->inputs.items[i])->name);
  H(");\n *   %s_save(m, \"%s.safetensors\");\n *   %s_destroy(m);\n *\n", px, px, px);
  H(" * Arrays are row-major, n rows each; the model reads them during the call\n");
  H(" * only.  A call that fails returns NAN (or -1, or NULL) and\n");
  H(" * %s_last_error says why.  A model is not thread-safe; use one per thread.\n *\n", px);
  emit_lib_header_processes(e, h);
  H(" * Inputs, in declaration order:\n");
  for (int i = 0; i < m->inputs.len; i++)
    describe_input(e, h, m->inputs.items[i]);
  H(" */\n#ifndef %s\n#define %s\n\n#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n", guard, guard);
  H("/* Opaque: parameters, gradients, optimizer state and activations. */\n");
  H("typedef struct %s_model %s_model;\n\n", px, px);
  H("/* A model with its params initialized as the .mg says (seed %ld), or NULL\n   if out of memory. */\n", m->seed);
  H("%s_model *%s_create(void);\n\n", px, px);
  H("/* Frees the model (NULL is allowed). */\nvoid %s_destroy(%s_model *m);\n\n", px, px);
  H("/* One optimizer step (%s, lr %g) on a batch of n rows.  Returns the loss\n",
    m->train.opt.kind == OPT_ADAM ? "adam" : "sgd", m->train.opt.lr);
  H("   '%s' computed before the update, or NAN on error.%s */\n", m->train.loss_name,
    m->uses_batch_norm ? "\n   Training mode: batch norm normalizes with the batch's statistics and\n"
                         "   updates its running statistics and num_batches_tracked" : "");
  H("float %s_train_step(%s_model *m, int64_t n", px, px);
  input_params(e, h, NULL);
  H(");\n\n");
  H("/* The loss on a batch, without updating (evaluation mode: no dropout%s).\n",
    m->uses_batch_norm ? ",\n   batch norm with its running statistics, which it leaves unchanged" : "");
  if (m->train.n_metrics) {
    H("   metrics, if not NULL, receives %d value%s:", m->train.n_metrics, m->train.n_metrics > 1 ? "s" : "");
    for (int i = 0; i < m->train.n_metrics; i++)
      H(" %s", m->train.metrics[i].name);
    H(".\n");
  } else {
    H("   The model has no metrics: pass NULL.\n");
  }
  H("   Returns NAN on error. */\n");
  H("float %s_evaluate(%s_model *m, int64_t n", px, px);
  input_params(e, h, NULL);
  H(", float *metrics);\n#define %.*s_N_METRICS %d\n\n", (int)strlen(guard) - 2, guard, m->train.n_metrics);
  H("/* The outputs on a batch (evaluation mode%s).  Takes the inputs they depend\n   on, then one array per output:\n",
    m->uses_batch_norm ? ": batch norm with its running statistics" : "");
  for (int i = 0; i < m->n_outputs; i++) {
    Node *o = m->outputs[i].node;
    long w = 1;
    for (int d = 1; d < o->shape.rank; d++)
      w *= o->shape.dims[d].n;
    H("     %s: %s, n x %ld values\n", m->outputs[i].name, shape_str(e->arena, e->g, o->shape), w);
  }
  H("   On error the outputs are left as they were. */\n");
  H("void %s_predict(%s_model *m, int64_t n", px, px);
  input_params(e, h, use);
  for (int i = 0; i < m->n_outputs; i++)
    H(", %s *%s", m->outputs[i].node->dtype == DT_I64 ? "int64_t" : R, m->outputs[i].name);
  H(");\n\n");
  if (m->buffers.len) {
    H("/* Saves the params and buffers (running_mean, running_var, and\n");
    H("   num_batches_tracked as int64) to a safetensors file (atomically: a failed\n");
    H("   save leaves the previous file intact), named as PyTorch's state_dict.  0 on\n   success. */\n");
  } else {
    H("/* Saves the params to a safetensors file (atomically: a failed save leaves\n");
    H("   the previous file intact), named as in the .mg.  0 on success. */\n");
  }
  H("int %s_save(const %s_model *m, const char *path);\n\n", px, px);
  if (m->buffers.len) {
    H("/* Loads params and buffers saved by %s_save or by PyTorch (safetensors of a\n", px);
    H("   state_dict: float32, num_batches_tracked int64, the same names and shapes).\n");
    H("   0 on success; on failure the model is unchanged. */\n");
  } else {
    H("/* Loads params saved by %s_save or by PyTorch (safetensors, float32, the\n", px);
    H("   same names and shapes).  0 on success; on failure the params are unchanged. */\n");
  }
  H("int %s_load(%s_model *m, const char *path);\n\n", px, px);
  H("/* Why the last call failed (\"\" after a success). */\n");
  H("const char *%s_last_error(const %s_model *m);\n\n", px, px);
  H("/* A param's values, row-major, by its .mg name, and its element count; NULL\n   if there is no such param.  Params:");
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    H("%s %s %s", i ? "," : "", p->name, shape_str(e->arena, e->g, p->shape));
  }
  H(". */\n%s *%s_param(%s_model *m, const char *name, int64_t *numel);\n\n", R, px, px);
  H("#ifdef __cplusplus\n}\n#endif\n#endif\n");
}
