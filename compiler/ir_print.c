/*
** ir_print.c — the IR's stable text form, one node per line (docs/ir.md):
**
**   %5 = matmul %0, %3 : f32[N, 1]          # hypothesis  (line 9)
**
** Params, inputs and the roles of nodes (loss, metrics, gradients) are listed
** so that FileCheck tests can match on them.
*/
#include <string.h>

#include "model.h"

/* A fused node's expression: sigmoid(add(%4, %3)). */
static void print_body(FILE *out, const Node *fused, const Node *b) {
  if (b->op == OP_ARG) {
    fprintf(out, "%%%d", fused->in[b->index]->id);
    return;
  }
  if (b->op == OP_CONST) {
    fprintf(out, "%.9g", b->value);
    return;
  }
  fprintf(out, "%s", op_info[b->op].spelling);
  if (b->op == OP_POW || b->op == OP_LEAKY_RELU)
    fprintf(out, "[%.9g]", b->value);
  if (b->axis >= 0)
    fprintf(out, "[dim=%d%s]", b->axis, b->keepdim ? " keepdim" : "");
  fputc('(', out);
  for (int i = 0; i < b->n_in; i++) {
    if (i)
      fputs(", ", out);
    print_body(out, fused, b->in[i]);
  }
  fputc(')', out);
}

void ir_print_node(FILE *out, const Graph *g, const Node *n) {
  char shape[256];
  Arena *scratch = g->arena;
  snprintf(shape, sizeof shape, "%s", shape_str(scratch, g, n->shape));
  fprintf(out, "  %%%d = %s", n->id, op_info[n->op].spelling);
  for (int i = 0; i < n->n_in; i++)
    fprintf(out, "%s %%%d", i ? "," : "", n->in[i]->id);
  switch (n->op) {
  case OP_CONST: fprintf(out, " %.9g", n->value); break;
  case OP_NUMEL:
    if (n->index && n->value == 1)
      fprintf(out, " %s", g->size_name ? g->size_name : "N");
    else if (n->index)
      fprintf(out, " %s*%.0f", g->size_name ? g->size_name : "N", n->value);
    else
      fprintf(out, " %.0f", n->value);
    break;
  case OP_POW: fprintf(out, " ** %.9g", n->value); break;
  case OP_LEAKY_RELU: fprintf(out, " slope=%.9g", n->value); break;
  case OP_DROPOUT_MASK: fprintf(out, " p=%.9g", n->value); break;
  case OP_ONEHOT: fprintf(out, " classes=%ld", n->classes); break;
  case OP_INPUT: case OP_PARAM: fprintf(out, " %s", n->name); break;
  case OP_FUSED:
    fputs(" {", out);
    print_body(out, n, n->body);
    fputc('}', out);
    break;
  default: break;
  }
  if (n->axis >= 0 && n->op != OP_CONST && n->op != OP_FUSED)
    fprintf(out, " dim=%d%s", n->axis, n->keepdim ? " keepdim" : "");
  fprintf(out, " : %s%s", n->dtype == DT_I64 ? "i64" : "f32", shape);
  if (n->name && n->op != OP_INPUT && n->op != OP_PARAM)
    fprintf(out, "  # %s", n->name);
  if (n->is_grad)
    fprintf(out, "%s grad", n->name ? "," : "  #");
  fputc('\n', out);
}

void ir_print(FILE *out, const Model *m) {
  const Graph *g = m->graph;
  /* Print only what the program computes. */
  int len = g->nodes.len;
  char *live = ARENA_ARRAY(g->arena, char, len + 1);
  PtrVec roots = {0};
  if (m->train.loss)
    ptrvec_push(g->arena, &roots, m->train.loss);
  if (m->train.eval_loss)
    ptrvec_push(g->arena, &roots, m->train.eval_loss);
  for (int i = 0; i < m->train.n_metrics; i++)
    ptrvec_push(g->arena, &roots, m->train.metrics[i].node);
  for (int i = 0; i < m->eval.n_metrics; i++)
    ptrvec_push(g->arena, &roots, m->eval.metrics[i].node);
  for (int i = 0; i < m->n_outputs; i++)
    ptrvec_push(g->arena, &roots, m->outputs[i].node);
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (p->grad)
      ptrvec_push(g->arena, &roots, p->grad);
  }
  for (int r = 0; r < roots.len; r++)
    live[((Node *)roots.items[r])->id] = 1;
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
