/*
** test_emit_dot.c — emit_dot on a graph built by hand, for what no .mg file
** can reach: names that need DOT escapes.  sema only lets identifiers
** through, but emit_dot must not trust that: a quote would end a label
** early and a backslash would start one of Graphviz's label escapes (\N is
** the node's own DOT name, \G the graph's, \l a left-justified break).
**
** The graph is a model "odd \"model\" \G" whose input is called x"quote and
** whose param is called W\N:
**
**   %0 x"quote  %1 W\N  %2 = matmul  %3 = 1 (read only by backward)
**   %4 = fused {mul(%2, %3)}  (loss)  %5 = mul %2, %3 (grad, note with \ and ")
**
** Usage: test_emit_dot OUT.dot.  Checks the text here (exit 1 on failure);
** run_dot.cmake then has Graphviz draw OUT.dot and checks the SVG.
*/
#include <stdio.h>
#include <string.h>

#include "emit_dot.h"

static int failures;

static void expect(const char *text, const char *what) {
  if (!strstr(text, what)) {
    fprintf(stderr, "test_emit_dot: expected %s in the output\n", what);
    failures++;
  }
}

static void reject(const char *text, const char *what) {
  if (strstr(text, what)) {
    fprintf(stderr, "test_emit_dot: unexpected %s in the output\n", what);
    failures++;
  }
}

static Node *leaf(Graph *g, Op op, int index, Shape shape, const char *name) {
  Node proto;
  memset(&proto, 0, sizeof proto);
  proto.op = op;
  proto.dtype = DT_F32;
  proto.shape = shape;
  proto.attr.axis = -1;
  proto.attr.index = index;
  proto.name = name;
  proto.loc.line = 3;
  return ir_with_attrs(g, proto);
}

/* %4 = fused {mul(arg0, arg1)} over a and b, reduced to a scalar by mean. */
static Node *fused_mean_mul(Graph *g, Node *a, Node *b) {
  Graph *body = g->bodies;
  Node *arg0 = leaf(body, OP_ARG, 0, a->shape, NULL);
  Node *arg1 = leaf(body, OP_ARG, 1, b->shape, NULL);
  Node *mul = ir_binary(body, OP_MUL, arg0, arg1);
  Node *in[2] = {a, b};
  Node proto;
  memset(&proto, 0, sizeof proto);
  proto.op = OP_FUSED;
  proto.dtype = DT_F32;
  proto.shape = shape_scalar();
  proto.attr.axis = -1;
  proto.n_in = 2;
  memcpy(proto.in, in, sizeof in);
  proto.attr.body = ir_node(body, OP_MEAN, DT_F32, shape_scalar(), 1, &mul, mul->loc);
  return ir_with_attrs(g, proto);
}

static Model *build(Arena *a) {
  Model *m = ARENA_NEW(a, Model);
  Graph *g = m->graph = ir_graph_new(a);
  g->bodies = ir_graph_new(a);
  g->size_name = "N";
  m->name = "odd \"model\" \\G";
  Dim dims[2] = {{1, 0}, {0, 2}};
  Node *x = leaf(g, OP_INPUT, 0, shape_of(2, dims), "x\"quote");
  Node *w = leaf(g, OP_PARAM, 0, shape_of(2, dims), "W\\N");
  Node *in[2] = {x, w};
  Node *prod = ir_node(g, OP_MUL, DT_F32, x->shape, 2, in, x->loc);
  Node *one = ir_const(g, 1);
  Node *loss = fused_mean_mul(g, prod, one);
  loss->name = "cost";
  Node *grad = ir_binary(g, OP_MUL, prod, one);
  grad->is_grad = 1;
  grad->note = "d \"a\"/d \\l";

  Param *p = ARENA_NEW(a, Param);
  p->name = w->name;
  p->node = w;
  p->grad = grad;
  ptrvec_push(a, &m->params, p);
  m->train.loss = loss;
  m->train.loss_name = "cost";
  return m;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_emit_dot OUT.dot\n");
    return 2;
  }
  Arena *a = arena_new();
  Model *m = build(a);
  FILE *out = fopen(argv[1], "w+");
  if (!out || emit_dot(out, m) != 0) {
    fprintf(stderr, "test_emit_dot: cannot write %s\n", argv[1]);
    return 1;
  }
  static char text[1 << 16];
  rewind(out);
  text[fread(text, 1, sizeof text - 1, out)] = '\0';
  fclose(out);

  expect(text, "digraph \"odd \\\"model\\\" \\\\G\" {\n");
  expect(text, "label=\"x\\\"quote\\n%0 = input\\nf32[N, 2]\"");
  expect(text, "label=\"W\\\\N\\n%1 = param\\nf32[N, 2]\"");
  /* the param's gradient reads as a derivative, with the name escaped */
  expect(text, "class=\"op-mul grad param-grad\", label=\"d cost/d W\\\\N\\n%5 = mul\\nf32[N, 2]\"");
  expect(text, "tooltip=\"line 3: d \\\"a\\\"/d \\\\l\"");
  /* a fused body names its operands; the constant 1 is read by both sides
     of the chain rule, so it stays in the forward cluster */
  expect(text, "label=\"cost\\n%4 = fused: mean(mul(%2, 1))\\nf32[]\\nloss\"");
  expect(text, "subgraph cluster_forward {");
  expect(text, "subgraph cluster_backward {");
  reject(text, "n3 [class=\"op-const grad");
  expect(text, "  n2 -> n5 [color=");
  arena_free(a);
  return failures ? 1 : 0;
}
