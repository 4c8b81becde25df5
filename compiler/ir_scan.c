/*
** ir_scan.c — the loop nodes' leaves and their --emit=ir form (ir_scan.h).
** The body prints below its node, indented and marked with '|', in the
** same one-node-a-line form as the graph, so that FileCheck tests see the
** cell's operations inside the loop.
*/
#include <string.h>

#include "ir_scan.h"

Node *ir_scan_arg(Graph *body, int k, Shape sh, const char *name) {
  Node proto = ir_proto(OP_ARG, DT_F32, sh, NULL);
  proto.attr.index = k;
  proto.attr.axis = -1;
  Node *n = ir_with_attrs(body, proto);
  if (!n->name)
    n->name = name;
  return n;
}

void ir_put_scan(Text *t, const Node *n) {
  const Scan *sc = n->attr.scan;
  if (sc->reverse)
    text_printf(t, "t=%ld..0", sc->steps - 1);
  else
    text_printf(t, "t=0..%ld", sc->steps - 1);
  text_printf(t, " carry %d", sc->n_carry);
  for (int k = 0; k < sc->n_seq; k++)
    if (sc->lag[k])
      text_printf(t, " lag=%d", k);
  if (sc->cell)
    text_printf(t, " {%s}", sc->cell);
}

void ir_print_scan_body(FILE *out, const Node *n) {
  const Scan *sc = n->attr.scan;
  const Graph *b = sc->body;
  for (int i = 0; i < b->nodes.len; i++) {
    fprintf(out, "  |");
    ir_print_node(out, b, b->nodes.items[i]);
  }
  fprintf(out, "  | stack %%%d\n", sc->out->id);
  for (int c = 0; c < sc->n_carry; c++)
    fprintf(out, "  | carry %d %%%d\n", c, sc->next[c]->id);
  for (int k = 0; k < MAX_OPERANDS; k++)
    if (sc->sums[k])
      fprintf(out, "  | sum %d %%%d\n", k, sc->sums[k]->id);
}
