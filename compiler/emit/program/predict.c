/*
** predict.c — the training program's --predict FILE: reading FILE as
** the train data is read, computing the `output` values in evaluation mode
** (no dropout) a chunk of rows at a time, and writing them as CSV to
** stdout or, atomically, to --predict-out.  See docs/predict.md.
**
** Only the inputs that the outputs depend on are read (Schedule.predict):
** a classifier's predictions need no labels.
*/
#include <string.h>

#include "emit/program/program.h"
#include "schedule.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

/* Rows computed at once: the activations of a chunk are allocated once
   (model_reserve), so memory does not grow with the predict file. */
enum { PREDICT_CHUNK_ROWS = 1024 };

/* Whether the outputs read input i. */
static int predict_needs(Emitter *e, const Input *in) { return e->schedule->predict[in->node->id]; }

/* Whether an output has one value (or row of values) per data row: its
   first dimension is the inputs' row count N, and its others are fixed. */
static int output_per_row(const Node *o) {
  if (o->shape.rank < 1 || !o->shape.dims[0].sym)
    return 0;
  for (int d = 1; d < o->shape.rank; d++)
    if (o->shape.dims[d].sym)
      return 0;
  return 1;
}

static long output_width(const Node *o) {
  long w = 1;
  for (int d = 1; d < o->shape.rank; d++)
    w *= o->shape.dims[d].n;
  return w;
}

/* The width of a row of the training CSV, when a slice that mixes a
   non-negative start with a negative (or omitted) stop fixes it:
   cols(0:-1) over 8 declared columns means rows of 9.  0 when no slice
   says (then negative indices count from the end of each predict row). */
static long csv_training_width(const DataSource *src) {
  for (int i = 0; i < src->n_columns; i++) {
    const DataColumn *c = &src->columns[i];
    long start = c->has_start ? c->start : 0, w = model_input_width(c->input);
    if (c->single || start < 0)
      continue;
    if (!c->has_stop)
      return start + w;
    if (c->stop < 0)
      return start + w - c->stop;
  }
  return 0;
}

/* load_predict_data(path, arrays): FILE's rows for the inputs the outputs
   need, into arrays (indexed by input); the others stay empty. */
static void emit_predict_load(Emitter *e) {
  Model *m = e->m;
  const DataSource *src = &m->train.data;
  P("/* Reads --predict's file: the inputs the outputs need, as the train data\n");
  if (src->kind == DATA_CSV)
    P("   is read (the same delimiter, header lines and column slices). */\n");
  else if (src->kind == DATA_IDX)
    P("   is read (an IDX file of the one input they need, the same scale). */\n");
  else
    P("   would be if it were a CSV file: their columns side by side, in the\n   order the inputs are declared. */\n");
  P("static int load_predict_data(const char *path, mgrt_array *arrays) {\n");
  int needed = 0;
  for (int i = 0; i < src->n_columns; i++)
    needed += predict_needs(e, src->columns[i].input);
  if (!needed && src->kind != DATA_IDX)
    P("  (void)arrays;  /* the outputs read no input */\n");
  if (src->kind == DATA_IDX) {
    if (needed != 1) {
      P("  (void)path;\n  (void)arrays;\n");
      P("  mgrt_set_error(\"--predict: the outputs need the inputs");
      for (int i = 0, k = 0; i < src->n_columns; i++)
        if (predict_needs(e, src->columns[i].input))
          P("%s%s", k++ ? " and " : " ", src->columns[i].input->name);
      P(", but an IDX predict file holds one input\");\n  return -1;\n}\n\n");
      return;
    }
    for (int i = 0; i < src->n_columns; i++) {
      const DataColumn *c = &src->columns[i];
      if (!predict_needs(e, c->input))
        continue;
      P("  return %s}\n\n", emit_idx_read(e, "path", "NULL", c, src->scale, ";"));
    }
    return;
  }
  P("  static const mgrt_csv_column columns[] = {\n");
  long at = 0;
  for (int i = 0; i < src->n_columns; i++) {
    const DataColumn *c = &src->columns[i];
    if (!predict_needs(e, c->input))
      continue;
    if (src->kind == DATA_CSV) {
      emit_csv_column(e, c->input, c->start, c->stop, c->has_start, c->has_stop, c->single);
    } else {
      long w = model_input_width(c->input);
      emit_csv_column(e, c->input, at, at + w, 1, 1, 0);
      at += w;
    }
  }
  if (!needed)
    P("    {.input = \"\", .dtype = MGRT_F32},  /* none: the outputs read no input */\n");
  P("  };\n");
  if (src->kind == DATA_CSV)
    emit_csv_spec(e, "path", src->delimiter, src->skip_header, needed, csv_training_width(src));
  else
    emit_csv_spec(e, "path", ',', 0, needed, 0);
  P("  mgrt_array loaded[%d];\n", needed ? needed : 1);
  P("  if (mgrt_csv_read(&spec, NULL, loaded) != 0)\n    return -1;\n");
  for (int i = 0, k = 0; i < src->n_columns; i++)
    if (predict_needs(e, src->columns[i].input))
      P("  arrays[%d] = loaded[%d];\n", src->columns[i].input->node->attr.index, k++);
  P("  return 0;\n}\n\n");
}

/* Points the inputs the outputs need at rows [start, start + n). */
static void emit_bind_predict(Emitter *e) {
  Model *m = e->m;
  int needed = 0;
  for (int i = 0; i < m->inputs.len; i++)
    needed += predict_needs(e, m->inputs.items[i]);
  P("static void bind_predict_rows(Model *m, Dataset *d, int64_t start, int64_t n) {\n");
  if (!needed)
    P("  (void)d;  /* the outputs read no input */\n  (void)start;\n");
  P("  m->N = n;\n");
  for (int i = 0; i < m->inputs.len; i++) {
    Input *in = m->inputs.items[i];
    if (predict_needs(e, in))
      P("  m->%s = d->%s + start * %ld;\n", emit_member(e, in->node), emit_member(e, in->node), model_input_width(in));
  }
  P("}\n\n");
}

/* The header's columns of an output whose rows have two or more dims (a
   sequence's [T, C]): NAME_t_c, row-major as the values follow, so that
   z_2_0 is the first class's score at step 2. */
static void emit_element_names(Emitter *e, const Node *o, const char *name, int first) {
  int r = o->shape.rank;
  const char *fmt = "", *args = "", *sum = "";
  for (int d = 1; d < r; d++) {
    P("%*sfor (int64_t j%d = 0; j%d < %ld; j%d++)\n", 2 * d, "", d, d, o->shape.dims[d].n, d);
    fmt = arena_printf(e->arena, "%s_%%\" PRId64 \"", fmt);
    args = arena_printf(e->arena, "%s, j%d", args, d);
    sum = arena_printf(e->arena, "%s%sj%d", sum, d > 1 ? " + " : "", d);
  }
  if (first)
    P("%*sfprintf(out, \"%%s%s%s\", %s == 0 ? \"\" : \",\"%s);\n", 2 * r, "", name, fmt, sum, args);
  else
    P("%*sfprintf(out, \",%s%s\"%s);\n", 2 * r, "", name, fmt, args);
}

/* The CSV: a header naming each column, then a line a row. */
static void emit_write_rows(Emitter *e) {
  Model *m = e->m;
  P("static void write_prediction_header(FILE *out) {\n");
  for (int i = 0; i < m->n_outputs; i++) {
    long w = output_width(m->outputs[i].node);
    const char *sep = i ? "," : "";
    if (w == 1)
      P("  fputs(\"%s%s\", out);\n", sep, m->outputs[i].name);
    else if (m->outputs[i].node->shape.rank > 2)
      emit_element_names(e, m->outputs[i].node, m->outputs[i].name, i == 0);
    else if (i == 0)
      P("  for (int64_t j = 0; j < %ld; j++)\n    fprintf(out, \"%%s%s_%%\" PRId64, j ? \",\" : \"\", j);\n", w,
        m->outputs[i].name);
    else
      P("  for (int64_t j = 0; j < %ld; j++)\n    fprintf(out, \",%s_%%\" PRId64, j);\n", w, m->outputs[i].name);
  }
  P("  fputc('\\n', out);\n}\n\n");
  P("/* Rows 0..n-1 of the outputs just computed.  %s round-trips a %s, so\n", e->opt.f64 ? "%.17g" : "%.9g", e->real);
  P("   the CSV holds exactly the values the program computed. */\n");
  P("static void write_prediction_rows(FILE *out, const Model *m, int64_t n) {\n");
  P("  for (int64_t r = 0; r < n; r++) {\n");
  for (int i = 0; i < m->n_outputs; i++) {
    Node *o = m->outputs[i].node;
    long w = output_width(o);
    const char *fmt = o->dtype == DT_I64 ? "%\" PRId64 \"" : e->opt.f64 ? "%.17g" : "%.9g";
    const char *cast = o->dtype == DT_I64 ? "" : "(double)";
    P("    for (int64_t j = 0; j < %ld; j++)\n", w);
    if (i == 0)  /* the first field of a line has no comma before it */
      P("      fprintf(out, \"%%s%s\", j ? \",\" : \"\", %s%s[r * %ld + j]);\n", fmt, cast, e->names[o->id], w);
    else
      P("      fprintf(out, \",%s\", %s%s[r * %ld + j]);\n", fmt, cast, e->names[o->id], w);
  }
  P("    fputc('\\n', out);\n  }\n}\n\n");
}

/* predict(): 0, 1 after an error (reported), MGRT_STOP_STATUS when a
   signal stopped it; FILE at out_path is written only when all went well. */
static void emit_predict_run(Emitter *e) {
  P("/* --predict: the outputs for every row of FILE, %d rows at a time, in\n", PREDICT_CHUNK_ROWS);
  P("   evaluation mode.  Writes out_path (atomically) or stdout_fp. */\n");
  P("static int predict(Model *m, const char *path, const char *out_path, FILE *stdout_fp, const char *program) {\n");
  P("  Dataset d;\n  memset(&d, 0, sizeof d);\n  d.what = \"predict\";\n");
  P("  mgrt_output out;\n  int status = 1, opened = 0;\n");
  P("  if (load_predict_data(path, d.loaded) != 0) {\n    mgrt_report_error(program, mgrt_last_error());\n    goto done;\n  }\n");
  P("  if (dataset_prepare(&d, program) != 0)\n    goto done;\n");
  P("  int64_t chunk = d.rows < %d ? d.rows : %d;\n", PREDICT_CHUNK_ROWS, PREDICT_CHUNK_ROWS);
  P("  if (model_reserve(m, chunk) != 0) {\n    mgrt_report_error(program, \"out of memory\");\n    goto done;\n  }\n");
  P("  if (mgrt_output_open(&out, out_path, stdout_fp) != 0) {\n    mgrt_report_error(program, mgrt_last_error());\n    goto done;\n  }\n");
  P("  opened = 1;\n");
  P("  write_prediction_header(out.fp);\n");
  P("  for (int64_t start = 0; start < d.rows; start += chunk) {\n");
  P("    if (mgrt_stop_requested()) {\n");
  P("      fprintf(stderr, \"%%s: stopped while predicting: nothing written\\n\", program);\n");
  P("      status = MGRT_STOP_STATUS;\n      goto done;\n    }\n");
  P("    int64_t n = d.rows - start < chunk ? d.rows - start : chunk;\n");
  P("    bind_predict_rows(m, &d, start, n);\n");
  P("    predict_outputs(m);\n");
  P("    write_prediction_rows(out.fp, m, n);\n  }\n");
  P("  opened = 0;\n");
  P("  if (mgrt_output_commit(&out) != 0) {\n    mgrt_report_error(program, mgrt_last_error());\n    goto done;\n  }\n");
  P("  status = 0;\n");
  P("done:\n");
  P("  if (opened)\n    mgrt_output_abort(&out);\n");
  P("  dataset_free(&d);\n  return status;\n}\n\n");
}

/* The error for a model whose outputs --predict cannot write, or NULL. */
static const char *predict_unsupported(Emitter *e) {
  Model *m = e->m;
  if (!m->n_outputs)
    return "--predict: the model has no output (add an `output NAME` statement)";
  for (int i = 0; i < m->n_outputs; i++)
    if (!output_per_row(m->outputs[i].node))
      return arena_printf(e->arena, "--predict: output '%s' (%s%s) has no value per data row", m->outputs[i].name,
                          m->outputs[i].node->dtype == DT_I64 ? "i64" : "f32",
                          shape_str(e->arena, e->g, m->outputs[i].node->shape));
  return NULL;
}

int emit_can_predict(Emitter *e) { return predict_unsupported(e) == NULL; }

void emit_predict_phase(Emitter *e) {
  if (predict_unsupported(e))
    return;
  emit_section(e, "Prediction");
  emit_phase(e, "predict_outputs", "Computes the outputs (evaluation mode: no dropout).", e->schedule->predict, 0);
}

void emit_predict(Emitter *e) {
  const char *why = predict_unsupported(e);
  if (why) {
    P("/* --predict: not available for this model. */\n");
    P("static int predict(Model *m, const char *path, const char *out_path, FILE *stdout_fp, const char *program) {\n");
    P("  (void)m;\n  (void)path;\n  (void)out_path;\n  (void)stdout_fp;\n");
    P("  mgrt_report_error(program, %s);\n  return 1;\n}\n\n", emit_c_string(e, why));
    P("enum { PREDICT_AVAILABLE = 0 };\n\n");
    return;
  }
  P("enum { PREDICT_AVAILABLE = 1 };\n\n");
  emit_predict_load(e);
  emit_bind_predict(e);
  emit_write_rows(e);
  emit_predict_run(e);
}
