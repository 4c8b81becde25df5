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
    long count = c->rows * emit_input_width(c->input);
    int as_int = c->input->dtype == DT_I64;
    P("/* %s data for %s, %ld rows (%s) */\n", which, c->input->name, c->rows,
      emit_source_line(e, c->loc));
    P("static %s %s_%s[%ld] = {\n", as_int ? "int64_t" : "float", which, c->input->name, count);
    emit_values(e, c->values, count, as_int);
    P("};\n\n");
  }
}

void emit_literals(Emitter *e) {
  for (int i = 0; i < e->g->nodes.len; i++) {
    Node *n = e->g->nodes.items[i];
    if (n->op != OP_LITERAL)
      continue;
    long count = shape_static_numel(n->shape);
    P("/* %s */\n", emit_source_line(e, n->loc));
    P("static const %s %s[%ld] = {\n", e->real, e->names[i], count);
    emit_values(e, n->data, count, 0);
    P("};\n\n");
  }
}

/* ---- data loading ----------------------------------------------------------------- */

/* Loads a data source into arrays[0..n_inputs-1] (indexed by input). */
void emit_load(Emitter *e, const DataSource *src, const char *which) {
  Model *m = e->m;
  P("/* Loads the %s data (%s). */\n", which, emit_source_line(e, src->loc));
  P("static int load_%s_data(const char *data_dir, mgrt_array *arrays) {\n", which);
  if (src->kind == DATA_INLINE) {
    P("  (void)data_dir;\n");
    for (int i = 0; i < src->n_columns; i++) {
      const DataColumn *c = &src->columns[i];
      int k = c->input->node->index;
      P("  arrays[%d].%s = %s_%s;\n", k, c->input->dtype == DT_I64 ? "i64" : "f32", which, c->input->name);
      P("  arrays[%d].rows = %ld;\n  arrays[%d].cols = %ld;\n", k, c->rows, k, emit_input_width(c->input));
    }
    P("  return 0;\n}\n\n");
    return;
  }
  if (src->kind == DATA_CSV) {
    P("  static const mgrt_csv_column columns[] = {\n");
    for (int i = 0; i < src->n_columns; i++) {
      const DataColumn *c = &src->columns[i];
      P("    {\"%s\", %s, %ld, %ld, %d, %d, %d, %ld, %ld},\n", c->input->name,
        c->input->dtype == DT_I64 ? "MGRT_I64" : "MGRT_F32", c->start, c->stop, c->has_start,
        c->has_stop, c->single, emit_input_width(c->input), c->input->num_classes);
    }
    P("  };\n");
    P("  mgrt_csv_spec spec = {\"");
    for (const char *p = src->path; *p; p++)
      P(*p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
    P("\", '%s%c', %ld, %d, columns, 0};\n", src->delimiter == '\'' || src->delimiter == '\\' ? "\\" : "",
      src->delimiter, src->skip_header, src->n_columns);
    P("  mgrt_array loaded[%d];\n", src->n_columns);
    P("  if (mgrt_csv_read(&spec, data_dir, loaded) != 0)\n    return -1;\n");
    for (int i = 0; i < src->n_columns; i++)
      P("  arrays[%d] = loaded[%d];\n", src->columns[i].input->node->index, i);
    P("  return 0;\n}\n\n");
    return;
  }
  for (int i = 0; i < src->n_columns; i++) {
    const DataColumn *c = &src->columns[i];
    P("  if (mgrt_idx_read(\"");
    for (const char *p = c->path; *p; p++)
      P(*p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
    P("\", data_dir, \"%s\", %s, %ld, %.17g, %ld, &arrays[%d]) != 0)\n    return -1;\n", c->input->name,
      c->input->dtype == DT_I64 ? "MGRT_I64" : "MGRT_F32", emit_input_width(c->input), src->scale,
      c->input->num_classes, c->input->node->index);
  }
  (void)m;
  P("  return 0;\n}\n\n");
}


