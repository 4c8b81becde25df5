/*
** ir.c — graph IR: the operator table, shapes, hash-consed node construction
** and rebuilding.  The verifier and printer are in ir_verify.c and ir_print.c.
*/
#include "ir.h"

#include <assert.h>
#include <string.h>

const OpInfo op_info[OP_COUNT] = {
#define OP(name, spelling, arity, flags, cexpr) {spelling, arity, flags, cexpr},
#include "ops.def"
#undef OP
};

static_assert(sizeof op_info / sizeof op_info[0] == OP_COUNT, "ops.def and op_info disagree");

Graph *ir_graph_new(Arena *a) {
  Graph *g = ARENA_NEW(a, Graph);
  g->arena = a;
  g->table_size = 4096;
  g->table = ARENA_ARRAY(a, Node *, g->table_size);
  return g;
}

/* ---- shapes ---------------------------------------------------------- */

Dim dim_const(long n) { return (Dim){0, n}; }

Shape shape_scalar(void) {
  Shape s;
  memset(&s, 0, sizeof s);
  return s;
}

Shape shape_of(int rank, const Dim *dims) {
  Shape s = shape_scalar();
  s.rank = rank;
  for (int i = 0; i < rank; i++)
    s.dims[i] = dims[i];
  return s;
}

static int dim_equal(Dim a, Dim b) { return a.sym == b.sym && (a.sym || a.n == b.n); }
static int dim_is_one(Dim d) { return !d.sym && d.n == 1; }

int shape_equal(Shape a, Shape b) {
  if (a.rank != b.rank)
    return 0;
  for (int i = 0; i < a.rank; i++)
    if (!dim_equal(a.dims[i], b.dims[i]))
      return 0;
  return 1;
}

int shape_broadcast(Shape a, Shape b, Shape *out) {
  Shape r = shape_scalar();
  r.rank = a.rank > b.rank ? a.rank : b.rank;
  for (int i = 0; i < r.rank; i++) {
    int ia = a.rank - r.rank + i, ib = b.rank - r.rank + i;
    Dim da = ia >= 0 ? a.dims[ia] : dim_const(1);
    Dim db = ib >= 0 ? b.dims[ib] : dim_const(1);
    if (dim_equal(da, db) || dim_is_one(db))
      r.dims[i] = da;
    else if (dim_is_one(da))
      r.dims[i] = db;
    else
      return 0;
  }
  *out = r;
  return 1;
}

int64_t shape_static_numel(Shape s) {
  int64_t n = 1;
  for (int i = 0; i < s.rank; i++)
    if (!s.dims[i].sym)
      n *= s.dims[i].n;
  return n;
}

int shape_has_sym(Shape s) {
  for (int i = 0; i < s.rank; i++)
    if (s.dims[i].sym)
      return 1;
  return 0;
}

const char *shape_str(Arena *a, const Graph *g, Shape s) {
  char buf[256];
  size_t len = 0;
  buf[len++] = '[';
  for (int i = 0; i < s.rank; i++) {
    const char *sep = i ? ", " : "";
    if (s.dims[i].sym)
      len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", sep,
                              g && g->size_name ? g->size_name : "N");
    else
      len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%ld", sep, s.dims[i].n);
  }
  snprintf(buf + len, sizeof buf - len, "]");
  return arena_strdup(a, buf);
}

/* ---- hash-consed nodes ---------------------------------------------- */

static unsigned hash_node(const Node *n) {
  unsigned h = (unsigned)n->op * 2654435761u;
  for (int i = 0; i < n->n_in; i++)
    h = (h ^ (unsigned)n->in[i]->id) * 16777619u;
  uint64_t bits;
  memcpy(&bits, &n->value, sizeof bits);
  h ^= (unsigned)(bits ^ (bits >> 32)) * 31u;
  h ^= (unsigned)(n->axis * 7 + n->keepdim * 13 + (int)n->classes * 17 + n->index * 19);
  h ^= (unsigned)(uintptr_t)n->body;
  for (int i = 0; i < n->shape.rank; i++)
    h = h * 31u + (unsigned)(n->shape.dims[i].n * 2 + n->shape.dims[i].sym);
  return h;
}

static int same_node(const Node *a, const Node *b) {
  if (a->op != b->op || a->n_in != b->n_in || a->dtype != b->dtype)
    return 0;
  for (int i = 0; i < a->n_in; i++)
    if (a->in[i] != b->in[i])
      return 0;
  /* Leaves with identity of their own are never merged. */
  if (a->op == OP_NUMEL)
    return a->value == b->value && a->index == b->index;
  if (a->op == OP_INPUT || a->op == OP_PARAM || a->op == OP_LITERAL || a->op == OP_DROPOUT_MASK)
    return a->index == b->index && a->data == b->data && a->op != OP_LITERAL;
  if (a->op == OP_ARG && a->index != b->index)
    return 0;
  if (a->body != b->body)
    return 0;
  return memcmp(&a->value, &b->value, sizeof a->value) == 0 && a->axis == b->axis &&
         a->keepdim == b->keepdim && a->classes == b->classes && shape_equal(a->shape, b->shape);
}

/* Doubles the table when it holds as many nodes as buckets, so chains stay
   short in a graph of any size. */
static void grow_table(Graph *g) {
  int size = g->table_size * 2;
  Node **table = ARENA_ARRAY(g->arena, Node *, size);
  for (int i = 0; i < g->table_size; i++)
    for (Node *n = g->table[i], *next; n; n = next) {
      next = n->hash_next;
      unsigned bucket = hash_node(n) % (unsigned)size;
      n->hash_next = table[bucket];
      table[bucket] = n;
    }
  g->table = table;
  g->table_size = size;
}

Node *ir_with_attrs(Graph *g, Node proto) {
  if (g->nodes.len >= g->table_size)
    grow_table(g);
  unsigned bucket = hash_node(&proto) % (unsigned)g->table_size;
  for (Node *n = g->table[bucket]; n; n = n->hash_next)
    if (same_node(n, &proto))
      return n;
  Node *n = ARENA_NEW(g->arena, Node);
  *n = proto;
  n->id = g->nodes.len;
  n->hash_next = g->table[bucket];
  g->table[bucket] = n;
  ptrvec_push(g->arena, &g->nodes, n);
  return n;
}

Node ir_proto(Op op, DType dt, Shape shape, Node *x) {
  Node proto;
  memset(&proto, 0, sizeof proto);
  proto.op = op;
  proto.dtype = dt;
  proto.shape = shape;
  proto.axis = -1;
  if (x) {
    proto.n_in = 1;
    proto.in[0] = x;
  }
  return proto;
}

Node *ir_node(Graph *g, Op op, DType dt, Shape shape, int n_in, Node **in, Loc loc) {
  Node proto = ir_proto(op, dt, shape, NULL);
  proto.n_in = n_in;
  proto.loc = loc;
  for (int i = 0; i < n_in; i++)
    proto.in[i] = in[i];
  return ir_with_attrs(g, proto);
}

Node *ir_unary(Graph *g, Op op, Node *a) {
  DType dt = (op_info[op].flags & F_STOPGRAD) || a->dtype == DT_I64 ? DT_F32 : a->dtype;
  return ir_node(g, op, dt, a->shape, 1, &a, a->loc);
}

Node *ir_binary(Graph *g, Op op, Node *a, Node *b) {
  Shape s;
  int ok = shape_broadcast(a->shape, b->shape, &s);
  MGC_ASSERT(ok);
  Node *in[2] = {a, b};
  return ir_node(g, op, DT_F32, s, 2, in, a->loc);
}

Node *ir_const(Graph *g, double value) {
  Node proto = ir_proto(OP_CONST, DT_F32, shape_scalar(), NULL);
  proto.value = value;
  return ir_with_attrs(g, proto);
}

Node *ir_copy_node(Rebuild *r, Node *old) {
  Node proto = *old;
  proto.hash_next = NULL;
  for (int i = 0; i < old->n_in; i++)
    proto.in[i] = r->map[old->in[i]->id];
  Node *n = ir_with_attrs(r->to, proto);
  if (!n->name)
    n->name = old->name;
  return n;
}

Node *ir_byproduct(const Graph *g, const Node *producer, Op op) {
  /* users follow their operands */
  for (int i = producer->id + 1; i < g->nodes.len; i++) {
    Node *n = g->nodes.items[i];
    if (n->op == op && n->in[0] == producer)
      return n;
  }
  return NULL;
}
