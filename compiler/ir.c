/*
** ir.c — graph IR: the operator table, shapes, hash-consed node construction
** and rebuilding.  The verifier and printer are in ir_verify.c and ir_print.c.
*/
#include "ir.h"

#include <assert.h>
#include <math.h>
#include <string.h>

/* Each row's folding rule as a function: FOLD(expr) computes expr over the
   operands a, b, c (x holds at least three values) and the float attribute
   v; NO_FOLD declines. */
#define FOLD(expr) *out = (expr); return 1;
#define NO_FOLD return 0;
#define OP(name, spelling, arity, flags, cexpr, fold, attrs)           \
  static int fold_##name(const double *x, double v, double *out) {   \
    double a = x[0], b = x[1], c = x[2];                               \
    (void)a, (void)b, (void)c, (void)v, (void)out;                     \
    fold                                                               \
  }
#include "ops.def"
#undef OP
#undef FOLD
#undef NO_FOLD

const OpInfo op_info[OP_COUNT] = {
#define OP(name, spelling, arity, flags, cexpr, fold, attrs) {spelling, arity, flags, cexpr, fold_##name, attrs},
#include "ops.def"
#undef OP
};

static_assert(sizeof op_info / sizeof op_info[0] == OP_COUNT, "ops.def and op_info disagree");

/* Whether `name` is the function called at [start, start + n) of a C
   expression, or that name with the float program's "f" (%f follows). */
static int names_call(const char *name, const char *start, size_t n, int float_suffix) {
  if (strncmp(start, name, n) != 0)
    return 0;
  return name[n] == 0 || (float_suffix && name[n] == 'f' && name[n + 1] == 0);
}

int ir_cexpr_calls(const char *name) {
  for (int op = 0; op < OP_COUNT; op++) {
    const char *p = op_info[op].cexpr;
    while (*p) {
      if (*p == '%') {
        if ((p[1] == 'e' && strcmp(name, "exp") == 0) || (p[1] == 'q' && strcmp(name, "sqrt") == 0))
          return 1;
        p += p[1] ? 2 : 1;
      } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_') {
        const char *start = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')
          p++;
        int float_suffix = p[0] == '%' && p[1] == 'f';
        if (p[float_suffix ? 2 : 0] == '(' && names_call(name, start, (size_t)(p - start), float_suffix))
          return 1;
      } else {
        p++;
      }
    }
  }
  return 0;
}

Graph *ir_graph_new(Arena *a) {
  Graph *g = ARENA_NEW(a, Graph);
  g->arena = a;
  g->table_size = 4096;
  g->table = ARENA_ARRAY(a, Node *, g->table_size);
  return g;
}

/* ---- shapes ---------------------------------------------------------- */

Dim dim_const(long n) { return (Dim){0, n}; }
Dim dim_batch(long factor) { return (Dim){1, factor == 1 ? 0 : factor}; }
long dim_factor(Dim d) { return d.sym && d.n == 0 ? 1 : d.n; }

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

static int dim_equal(Dim a, Dim b) { return a.sym == b.sym && a.n == b.n; }
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
    n *= dim_factor(s.dims[i]);
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
    if (s.dims[i].sym && dim_factor(s.dims[i]) != 1)
      len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s*%ld", sep,
                              g && g->size_name ? g->size_name : "N", s.dims[i].n);
    else if (s.dims[i].sym)
      len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", sep,
                              g && g->size_name ? g->size_name : "N");
    else
      len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%ld", sep, s.dims[i].n);
  }
  snprintf(buf + len, sizeof buf - len, "]");
  return arena_strdup(a, buf);
}

/* ---- hash-consed nodes ---------------------------------------------- */

/* FNV-1a over n bytes, continuing from h. */
static unsigned hash_bytes(unsigned h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 16777619u;
  return h;
}

/* A literal's values, which its attributes hold by pointer: the number of
   bytes `data` points to.  Literal shapes are constant. */
static size_t data_bytes(const Node *n) {
  return n->attr.data ? (size_t)shape_static_numel(n->shape) * sizeof *n->attr.data : 0;
}

/* The attributes as a hash key: every byte of the struct but the `data`
   pointer, whose values are hashed instead. */
static unsigned hash_attrs(unsigned h, const Node *n) {
  Attrs key;
  memcpy(&key, &n->attr, sizeof key);
  key.data = NULL;
  h = hash_bytes(h, &key, sizeof key);
  return hash_bytes(h, n->attr.data, data_bytes(n));
}

static unsigned hash_node(const Node *n) {
  unsigned h = 2166136261u;
  h = hash_bytes(h, &n->op, sizeof n->op);
  h = hash_bytes(h, &n->dtype, sizeof n->dtype);
  for (int i = 0; i < n->n_in; i++)
    h = hash_bytes(h, &n->in[i]->id, sizeof n->in[i]->id);
  for (int i = 0; i < n->shape.rank; i++)
    h = h * 31u + (unsigned)(n->shape.dims[i].sym ? -1 : n->shape.dims[i].n);
  return hash_attrs(h, n);
}

static int same_attrs(const Node *a, const Node *b) {
  Attrs ka, kb;
  memcpy(&ka, &a->attr, sizeof ka);
  memcpy(&kb, &b->attr, sizeof kb);
  ka.data = kb.data = NULL;
  if (memcmp(&ka, &kb, sizeof ka) != 0)
    return 0;
  if (!a->attr.data || !b->attr.data)
    return a->attr.data == b->attr.data;
  return data_bytes(a) == data_bytes(b) && memcmp(a->attr.data, b->attr.data, data_bytes(a)) == 0;
}

/* Two nodes are one computation when operator, operands, type and
   attributes agree.  Inputs and params differ by index, dropout masks too
   (each call draws its own), literals by their values. */
static int same_node(const Node *a, const Node *b) {
  if (a->op != b->op || a->n_in != b->n_in || a->dtype != b->dtype || !shape_equal(a->shape, b->shape))
    return 0;
  for (int i = 0; i < a->n_in; i++)
    if (a->in[i] != b->in[i])
      return 0;
  return same_attrs(a, b);
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
  memcpy(n, &proto, sizeof *n); /* padding too: see Attrs */
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
  proto.attr.axis = -1;
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
  proto.attr.value = value;
  return ir_with_attrs(g, proto);
}

Node *ir_copy_node(Rebuild *r, Node *old) {
  Node proto;
  memcpy(&proto, old, sizeof proto); /* padding too: see Attrs */
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
