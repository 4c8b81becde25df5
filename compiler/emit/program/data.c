/*
** data.c — the data a program carries and reads: the .mg's inline data and
** literal arrays as static arrays, and load_train_data / load_eval_data
** (inline, CSV or IDX, through libmgrt).
*/
#include "emit/program/program.h"

#define P(...) fprintf(e->out, __VA_ARGS__)


void emit_inline_data(Emitter *e, const DataSource *src, const char *which) {
  for (int i = 0; i < src->n_columns; i++) {
    const DataColumn *c = &src->columns[i];
    long count = c->rows * model_input_width(c->input);
    int as_int = c->input->dtype == DT_I64;
    P("/* %s data for %s, %ld rows (%s) */\n", which, c->input->name, c->rows,
      emit_source_line(e, c->loc));
    P("static %s %s_%s[%ld] = {\n", as_int ? "int64_t" : "float", which, c->input->name, count);
    emit_values(e, c->values, count, as_int);
    P("};\n\n");
  }
}

int emit_has_literals(Emitter *e) {
  for (int i = 0; i < e->g->nodes.len; i++)
    if (((Node *)e->g->nodes.items[i])->op == OP_LITERAL)
      return 1;
  return 0;
}

void emit_literals(Emitter *e) {
  for (int i = 0; i < e->g->nodes.len; i++) {
    Node *n = e->g->nodes.items[i];
    if (n->op != OP_LITERAL)
      continue;
    long count = shape_static_numel(n->shape);
    P("/* %s */\n", emit_source_line(e, n->loc));
    P("static const %s %s[%ld] = {\n", e->real, e->names[i], count);
    emit_values(e, n->attr.data, count, 0);
    P("};\n\n");
  }
}

/* ---- data loading ----------------------------------------------------------------- */

void emit_csv_column(Emitter *e, const Input *in, long start, long stop, int has_start, int has_stop, int single) {
  P("    {.input = %s, .dtype = %s", emit_c_string(e, in->name), in->dtype == DT_I64 ? "MGRT_I64" : "MGRT_F32");
  if (has_start)
    P(", .start = %ld, .has_start = 1", start);
  if (has_stop)
    P(", .stop = %ld, .has_stop = 1", stop);
  if (single)
    P(", .single = 1");
  P(", .width = %ld", model_input_width(in));
  if (in->num_classes)
    P(", .num_classes = %ld", in->num_classes);
  P("},\n");
}

void emit_csv_spec(Emitter *e, const char *path, char delimiter, long skip_header, int n_columns, long row_width) {
  P("  const mgrt_csv_spec spec = {.path = %s, .delimiter = %s", path, emit_c_char(e, delimiter));
  if (skip_header)
    P(", .skip_header = %ld", skip_header);
  P(", .n_columns = %d, .columns = columns", n_columns);
  if (row_width)
    P(", .row_width = %ld", row_width);
  P("};\n");
}

const char *emit_idx_read(Emitter *e, const char *path, const char *data_dir, const DataColumn *c, double scale,
                          const char *tail) {
  static const char *const params[] = {"path", "data_dir", "input", "dtype", "width", "scale", "num_classes", "out"};
  const char *args[] = {path,
                        data_dir,
                        emit_c_string(e, c->input->name),
                        c->input->dtype == DT_I64 ? "MGRT_I64" : "MGRT_F32",
                        arena_printf(e->arena, "%ld", model_input_width(c->input)),
                        emit_double_literal(e, scale),
                        arena_printf(e->arena, "%ld", c->input->num_classes),
                        arena_printf(e->arena, "&arrays[%d]", c->input->node->attr.index)};
  return emit_call(e, 2, "mgrt_idx_read", 8, params, args, tail);
}

/* Loads a data source into arrays[0..n_inputs-1] (indexed by input). */
void emit_load(Emitter *e, const DataSource *src, const char *which) {
  P("/* Loads the %s data (%s). */\n", which, emit_source_line(e, src->loc));
  P("static int load_%s_data(const char *data_dir, mgrt_array *arrays) {\n", which);
  if (src->kind == DATA_INLINE) {
    P("  (void)data_dir;  /* the data is in the program */\n");
    for (int i = 0; i < src->n_columns; i++) {
      const DataColumn *c = &src->columns[i];
      int k = c->input->node->attr.index;
      P("  arrays[%d].%s = %s_%s;\n", k, c->input->dtype == DT_I64 ? "i64" : "f32", which, c->input->name);
      P("  arrays[%d].rows = %ld;\n  arrays[%d].cols = %ld;\n", k, c->rows, k, model_input_width(c->input));
    }
    P("  return 0;\n}\n\n");
    return;
  }
  if (src->kind == DATA_CSV) {
    P("  static const mgrt_csv_column columns[] = {\n");
    for (int i = 0; i < src->n_columns; i++) {
      const DataColumn *c = &src->columns[i];
      emit_csv_column(e, c->input, c->start, c->stop, c->has_start, c->has_stop, c->single);
    }
    P("  };\n");
    emit_csv_spec(e, emit_c_string(e, src->path), src->delimiter, src->skip_header, src->n_columns, 0);
    P("  mgrt_array loaded[%d];\n", src->n_columns);
    P("  if (mgrt_csv_read(&spec, data_dir, loaded) != 0)\n    return -1;\n");
    for (int i = 0; i < src->n_columns; i++)
      P("  arrays[%d] = loaded[%d];\n", src->columns[i].input->node->attr.index, i);
    P("  return 0;\n}\n\n");
    return;
  }
  for (int i = 0; i < src->n_columns; i++) {
    const DataColumn *c = &src->columns[i];
    P("  if (%s    return -1;\n", emit_idx_read(e, emit_c_string(e, c->path), "data_dir", c, src->scale, " != 0)"));
  }
  P("  return 0;\n}\n\n");
}
