/*
** ir_print.c — the IR's stable text form, one node per line (docs/ir.md):
**
**   %5 = matmul %0, %3 : f32[N, 1]          # hypothesis  (line 9)
**
** Params, inputs and the roles of nodes (loss, metrics, gradients) are listed
** so that FileCheck tests can match on them.  What follows the operands
** comes from the operator's row of ops.def; emit_dot.c shares the
** attribute and fused-body printers.
*/
#include <string.h>

#include "ir_scan.h"
#include "model.h"

/* ---- attributes and fused bodies, as the operator's row says ------------ */

void ir_put_count(Text *t, const Graph *g, const Node *n) {
  const char *size = g && g->size_name ? g->size_name : "N";
  if (n->attr.index && n->attr.value == 1)
    text_printf(t, "%s", size);
  else if (n->attr.index)
    text_printf(t, "%s*%.0f", size, n->attr.value);
  else
    text_printf(t, "%.0f", n->attr.value);
}

static void put_id(Text *t, const Node *operand, const void *ctx) {
  (void)ctx;
  text_printf(t, "%%%d", operand->id);
}

/* Directive d of n's attribute template (ops.def), without its text.
   Returns 0 when it prints nothing: an axis of -1 (all elements). */
static int put_directive(Text *t, const Graph *g, const Node *n, char d) {
  switch (d) {
  case 'v': text_printf(t, "%.9g", n->attr.value); return 1;
  case 'c': text_printf(t, "%ld", n->attr.classes); return 1;
  case 'a':
    if (n->attr.axis < 0)
      return 0;
    text_printf(t, "dim=%d%s", n->attr.axis, n->attr.keepdim ? " keepdim" : "");
    return 1;
  case 'n': ir_put_count(t, g, n); return 1;
  case 'E': text_printf(t, "%.9g", n->attr.norm.eps); return 1;
  case 'M': text_printf(t, "%.9g", n->attr.norm.momentum); return 1;
  case 'w': {
    const Window *w = &n->attr.window;
    text_printf(t, "kernel=%dx%d stride=%dx%d padding=%dx%d", w->kh, w->kw, w->sh, w->sw, w->ph, w->pw);
    return 1;
  }
  case 's': text_printf(t, "%s", n->name ? n->name : ""); return 1;
  case 'b': ir_put_body(t, n, put_id, NULL); return 1;
  case 'l': ir_put_scan(t, n); return 1;
  case 'x': text_printf(t, "%d", n->attr.index); return 1;
  case 'i': {
    /* the indexed value's rank: index's operand, index_grad's result */
    int rank = n->op == OP_INDEX_GRAD ? n->shape.rank : n->in[0]->shape.rank;
    text_printf(t, "[");
    for (int k = 0; k < rank; k++) {
      text_printf(t, "%s", k ? ", " : "");
      if (n->attr.subscript.keep[k])
        text_printf(t, ":");
      else
        text_printf(t, "%ld", n->attr.subscript.at[k]);
    }
    text_printf(t, "]");
    return 1;
  }
  default: MGC_ASSERT(!"an unknown directive in an attribute template of ops.def"); return 0;
  }
}

/* Whether the directive names something a label shows on its own line
   (emit_dot): the .mg name, a fused body, an element count. */
static int is_reference(char d) { return d == 's' || d == 'b' || d == 'n'; }

void ir_put_attrs(Text *t, const Graph *g, const Node *n, IrForm form) {
  /* Each directive comes with the text before it; the text after the last
     one goes with that one: " ** %v", " {%b}". */
  const char *p = op_info[n->op].attrs;
  while (*p) {
    const char *pct = strchr(p, '%');
    MGC_ASSERT(pct && pct[1]);
    char d = pct[1];
    const char *next = strchr(pct + 2, '%');
    const char *suffix = next ? "" : pct + 2;
    if (form == IR_BODY) {
      Text value = {t->arena, NULL, 0, 0};
      if (put_directive(&value, g, n, d))
        text_printf(t, "[%s]", text_str(&value));
    } else if (form == IR_LINE || !is_reference(d)) {
      Text value = {t->arena, NULL, 0, 0};
      if (put_directive(&value, g, n, d))
        text_printf(t, "%.*s%s%s", (int)(pct - p), p, text_str(&value), suffix);
    }
    p = next ? pct + 2 : pct + 2 + strlen(pct + 2);
  }
}

static void put_body(Text *t, const Node *fused, const Node *b, IrRefFn ref, const void *ctx) {
  if (b->op == OP_ARG) {
    ref(t, fused->in[b->attr.index], ctx);
    return;
  }
  if (b->op == OP_CONST) {
    text_printf(t, "%.9g", b->attr.value);
    return;
  }
  text_printf(t, "%s", op_info[b->op].spelling);
  ir_put_attrs(t, NULL, b, IR_BODY);
  text_printf(t, "(");
  for (int i = 0; i < b->n_in; i++) {
    text_printf(t, "%s", i ? ", " : "");
    put_body(t, fused, b->in[i], ref, ctx);
  }
  text_printf(t, ")");
}

void ir_put_body(Text *t, const Node *fused, IrRefFn ref, const void *ctx) {
  put_body(t, fused, fused->attr.body, ref, ctx);
}

/* ---- the graph ------------------------------------------------------------ */

void ir_print_node(FILE *out, const Graph *g, const Node *n) {
  Text line = {g->arena, NULL, 0, 0};
  text_printf(&line, "  %%%d = %s", n->id, op_info[n->op].spelling);
  for (int i = 0; i < n->n_in; i++)
    text_printf(&line, "%s %%%d", i ? "," : "", n->in[i]->id);
  ir_put_attrs(&line, g, n, IR_LINE);
  text_printf(&line, " : %s%s", n->dtype == DT_I64 ? "i64" : "f32", shape_str(g->arena, g, n->shape));
  /* the name, unless the attributes printed it (inputs, params) */
  int commented = n->name && !strstr(op_info[n->op].attrs, "%s");
  if (commented)
    text_printf(&line, "  # %s", n->name);
  if (n->is_grad)
    text_printf(&line, "%s grad", commented ? "," : "  #");
  fprintf(out, "%s\n", text_str(&line));
  if (n->op == OP_SCAN || n->op == OP_SCAN_BACK)
    ir_print_scan_body(out, n);
}

static void mark_root(Node *root, RootKind kind, void *live) {
  (void)kind;
  ((char *)live)[root->id] = 1;
}

void ir_print(FILE *out, const Model *m) {
  const Graph *g = m->graph;
  /* Print only what the program computes. */
  int len = g->nodes.len;
  char *live = ARENA_ARRAY(g->arena, char, len + 1);
  model_roots(m, mark_root, live);
  for (int i = len - 1; i >= 0; i--) {
    Node *n = g->nodes.items[i];
    if (!live[i])
      continue;
    for (int k = 0; k < n->n_in; k++)
      live[n->in[k]->id] = 1;
  }
  fprintf(out, "model %s\n", m->name);
  for (int i = 0; i < len; i++)
    if (live[i])
      ir_print_node(out, g, g->nodes.items[i]);
  if (m->train.loss)
    fprintf(out, "loss %%%d\n", m->train.loss->id);
  if (m->train.eval_loss)
    fprintf(out, "eval_loss %%%d\n", m->train.eval_loss->id);
  for (int i = 0; i < m->train.n_metrics; i++)
    fprintf(out, "metric %s %%%d\n", m->train.metrics[i].name, m->train.metrics[i].node->id);
  for (int i = 0; i < m->n_outputs; i++)
    fprintf(out, "output %s %%%d\n", m->outputs[i].name, m->outputs[i].node->id);
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (p->grad)
      fprintf(out, "grad %s %%%d\n", p->name, p->grad->id);
  }
}
