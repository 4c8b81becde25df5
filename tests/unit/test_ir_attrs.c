/*
** test_ir_attrs.c — hash-consing (ir.c) keeps nodes apart that differ in
** one attribute and merges nodes that agree in all of them.
**
** ir.c compares a node's attributes as one value, the bytes of its Attrs,
** so that an attribute added later takes part without further code.  Besides
** one case per attribute that exists today, the test flips each byte of
** Attrs in turn (all but the `data` pointer, which is followed to the
** literal's values): a field added to the struct is covered here too, with
** no change to this file.
*/
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ir.h"

static int failures;

static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "test_ir_attrs: %s\n", what);
    failures++;
  }
}

/* A template every case starts from: a sum over dim 1 of an input [N, 3]. */
static Node base_proto(Node *x) {
  Dim d[1] = {{1, 0}};
  Node proto = ir_proto(OP_SUM, DT_F32, shape_of(1, d), x);
  proto.attr.axis = 1;
  return proto;
}

static void named_attributes(Graph *g, Node *x) {
  Node *base = ir_with_attrs(g, base_proto(x));
  check(ir_with_attrs(g, base_proto(x)) == base, "two equal sums were not merged");

  Node p = base_proto(x);
  p.attr.value = 0.5;
  check(ir_with_attrs(g, p) != base, "nodes differing in value were merged");
  p = base_proto(x);
  p.attr.axis = 0;
  check(ir_with_attrs(g, p) != base, "nodes differing in axis were merged");
  p = base_proto(x);
  p.attr.keepdim = 1;
  check(ir_with_attrs(g, p) != base, "nodes differing in keepdim were merged");
  p = base_proto(x);
  p.attr.classes = 10;
  check(ir_with_attrs(g, p) != base, "nodes differing in classes were merged");
  p = base_proto(x);
  p.attr.index = 2;
  check(ir_with_attrs(g, p) != base, "nodes differing in index were merged");
  p = base_proto(x);
  p.attr.body = x;
  check(ir_with_attrs(g, p) != base, "nodes differing in body were merged");

  /* Different constants, and 0 and -0 (1/x tells them apart). */
  check(ir_const(g, 1) != ir_const(g, 2), "constants 1 and 2 were merged");
  check(ir_const(g, 0.0) != ir_const(g, -0.0), "constants 0 and -0 were merged");
  check(ir_const(g, 3) == ir_const(g, 3), "two constants 3 were not merged");
}

/* Each byte of Attrs but the data pointer's changes the node. */
static void every_byte(Graph *g, Node *x) {
  Node *base = ir_with_attrs(g, base_proto(x));
  size_t data_at = offsetof(Attrs, data);
  for (size_t k = 0; k < sizeof(Attrs); k++) {
    if (k >= data_at && k < data_at + sizeof(const double *))
      continue;
    Node p = base_proto(x);
    unsigned char *bytes = (unsigned char *)&p.attr;
    bytes[k] ^= 0x40;
    Node *n = ir_with_attrs(g, p);
    if (n == base) {
      fprintf(stderr, "test_ir_attrs: byte %zu of the attributes does not keep nodes apart\n", k);
      failures++;
    }
    bytes[k] ^= 0x40;
    check(ir_with_attrs(g, p) == base, "restoring a byte did not find the node again");
  }
}

static Node *literal(Graph *g, const double *values) {
  Dim d[1] = {{0, 3}};
  Node proto = ir_proto(OP_LITERAL, DT_F32, shape_of(1, d), NULL);
  proto.attr.data = values;
  return ir_with_attrs(g, proto);
}

/* Literals are compared by their values, not by where they are stored. */
static void literals(Graph *g) {
  static const double a[3] = {1, 2, 3}, same_as_a[3] = {1, 2, 3}, b[3] = {1, 2, 4};
  Node *la = literal(g, a);
  check(literal(g, same_as_a) == la, "two literals with the same values were not merged");
  check(literal(g, b) != la, "literals with different values were merged");
}

int main(void) {
  Arena *arena = arena_new();
  Graph *g = ir_graph_new(arena);
  g->size_name = "N";
  Dim d[2] = {{1, 0}, {0, 3}};
  Node in = ir_proto(OP_INPUT, DT_F32, shape_of(2, d), NULL);
  Node *x = ir_with_attrs(g, in);
  in.attr.index = 1;
  check(ir_with_attrs(g, in) != x, "two inputs were merged");

  named_attributes(g, x);
  every_byte(g, x);
  literals(g);
  arena_free(arena);
  if (failures)
    return 1;
  printf("test_ir_attrs: ok (%zu attribute bytes)\n", sizeof(Attrs));
  return 0;
}
