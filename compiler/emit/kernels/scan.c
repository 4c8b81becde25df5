/*
** scan.c — the kernels of the loops over time (scan, scan_back: ir_scan.h).
**
** One C loop over t, forward or backward, whose body computes the cell's
** nodes in order for all N rows of step t.  The values of one step live in
** the model's step_scratch, allocated with the batch's buffers so that the
** step allocates nothing (each body node that is not a view gets its
** [rows, F] part); nodes that read only the weights (W_hh^T) are computed once before
** the loop.  A sequence operand is read in place at step t (row r of
** [N, T, F] at (r * T + t) * F), at t - 1 when lagged (zero before the first
** step); the carried value starts at zero and is copied from the step's new
** value at its end; the result stacks one body value at every step, and
** scan_back adds each weight's gradient of the step to its scan_sum.
*/
#include <string.h>

#include "emit/kernels/kernels.h"
#include "ir_scan.h"

#define P(...) emit_out(e, __VA_ARGS__)

typedef struct Loop {
  Emitter *e;
  const Node *n;
  const Scan *sc;
  const char **name;  /* per body node: its scratch array, NULL for leaves and views */
  char *invariant;    /* per body node: reads only the weights */
} Loop;

/* Columns of a rank-2 body value (its last dim, a constant). */
static long cols(const Node *x) { return x->shape.rank == 2 ? x->shape.dims[1].n : 1; }

/* The element (r, c) of body value x as C: rank 2 [r, c], rank 1 [c], rank 0. */
static const char *elem(Loop *l, const Node *x, const char *r, const char *c) {
  Emitter *e = l->e;
  const Scan *sc = l->sc;
  if (x->op == OP_CONST)
    return emit_real_literal(e, x->attr.value);
  if (x->op == OP_TRANSPOSE)
    return elem(l, x->in[0], c, r);
  const char *at = x->shape.rank == 2 ? arena_printf(e->arena, "(%s) * %ld + %s", r, cols(x), c)
                   : x->shape.rank == 1 ? c : "0";
  if (x->op == OP_ARG) {
    int k = x->attr.index;
    if (k >= sc->n_in)
      return arena_printf(e->arena, "carry%d[%s]", k - sc->n_in, at);
    const char *a = e->names[l->n->in[k]->id];
    if (k >= sc->n_seq)
      return arena_printf(e->arena, "%s[%s]", a, at);
    const char *read = arena_printf(e->arena, "%s[((%s) * %ld + t%s) * %ld + %s]", a, r, sc->steps,
                                    sc->lag[k] ? " - 1" : "", cols(x), c);
    return sc->lag[k] ? arena_printf(e->arena, "(t > 0 ? %s : 0)", read) : read;
  }
  MGC_ASSERT(l->name[x->id]);
  return arena_printf(e->arena, "%s[%s]", l->name[x->id], at);
}

/* Loops over a body value's elements as (i0, i1), then `stmt` at depth. */
static int open_loops(Loop *l, const Node *x, const char **r, const char **c) {
  Emitter *e = l->e;
  *r = "0";
  *c = "0";
  if (x->shape.rank == 2) {
    P("for (int64_t i0 = 0; i0 < %s; i0++)\n", emit_dim(e, x->shape.dims[0]));
    P("  for (int64_t i1 = 0; i1 < %ld; i1++)\n", cols(x));
    *r = "i0";
    *c = "i1";
    return 2;
  }
  if (x->shape.rank == 1) {
    P("for (int64_t i1 = 0; i1 < %s; i1++)\n", emit_dim(e, x->shape.dims[0]));
    *c = "i1";
    return 1;
  }
  return 0;
}

/* One body node's value for the step (or, invariant, for all steps). */
static void body_node(Loop *l, Node *x) {
  Emitter *e = l->e;
  const char *r, *c;
  if (op_info[x->op].flags & F_ELEM) {
    const char *ops[MAX_OPERANDS];
    int depth = open_loops(l, x, &r, &c);
    for (int k = 0; k < x->n_in; k++) {
      const Node *a = x->in[k];
      ops[k] = elem(l, a, a->shape.rank == 2 ? r : "0", a->shape.rank >= 1 ? c : "0");
    }
    P("%*s%s = %s;\n", 2 * depth, "", elem(l, x, r, c), emit_expand(e, x, ops));
    return;
  }
  switch (x->op) {
  case OP_MATMUL: {
    /* [M, K] @ [K, P], the sum in order of k */
    const Node *a = x->in[0], *b = x->in[1];
    int depth = open_loops(l, x, &r, &c);
    P("%*s{\n", 2 * depth, "");
    P("%*s  %s acc = 0;\n", 2 * depth, "", e->real);
    P("%*s  for (int64_t k = 0; k < %s; k++)\n", 2 * depth, "", emit_dim(e, a->shape.dims[1]));
    P("%*s    acc += %s * %s;\n", 2 * depth, "", elem(l, a, r, "k"), elem(l, b, "k", c));
    P("%*s  %s = acc;\n", 2 * depth, "", elem(l, x, r, c));
    P("%*s}\n", 2 * depth, "");
    return;
  }
  case OP_SUM_TO: {
    /* [rows, F] summed over the rows to [F] */
    const Node *a = x->in[0];
    MGC_ASSERT(a->shape.rank == 2 && x->shape.rank == 1);
    P("for (int64_t i1 = 0; i1 < %ld; i1++) {\n", cols(a));
    P("  %s acc = 0;\n", e->real);
    P("  for (int64_t i0 = 0; i0 < %s; i0++)\n", emit_dim(e, a->shape.dims[0]));
    P("    acc += %s;\n", elem(l, a, "i0", "i1"));
    P("  %s = acc;\n", elem(l, x, "0", "i1"));
    P("}\n");
    return;
  }
  case OP_ARG: case OP_CONST: case OP_TRANSPOSE:
    return; /* leaves and views are read in place */
  default:
    MGC_ASSERT(!"no kernel for an operator inside a loop body");
  }
}

/* The scan_sum node that holds the sum of forward operand k's gradient. */
static const Node *sum_node(Emitter *e, const Node *back, int k) {
  for (int i = back->id + 1; i < e->g->nodes.len; i++) {
    const Node *u = e->g->nodes.items[i];
    if (u->op == OP_SCAN_SUM && u->in[0] == back && u->attr.index == k)
      return u;
  }
  return NULL;
}

static const char *numel_of(Emitter *e, const Node *x) { return emit_numel(e, x->shape); }

void emit_scan(Emitter *e, Node *n) {
  const Scan *sc = n->attr.scan;
  const Graph *body = sc->body;
  Loop l = {e, n, sc, ARENA_ARRAY(e->arena, const char *, body->nodes.len + 1),
            ARENA_ARRAY(e->arena, char, body->nodes.len + 1)};
  /* The step's values: the model's step_scratch (emit_scan_scratch's
     size), a part for each carried value and each body node with storage. */
  for (int i = 0; i < body->nodes.len; i++) {
    Node *x = body->nodes.items[i];
    int leaf = x->op == OP_ARG || x->op == OP_CONST;
    l.invariant[i] = x->op == OP_CONST || (x->op == OP_ARG && x->attr.index >= sc->n_seq &&
                                           x->attr.index < sc->n_in);
    if (!leaf) {
      l.invariant[i] = 1;
      for (int k = 0; k < x->n_in; k++)
        l.invariant[i] &= l.invariant[x->in[k]->id];
    }
    if (leaf || x->op == OP_TRANSPOSE)
      continue;
    l.name[i] = arena_printf(e->arena, "v%d", i);
  }
  /* an operand the body does not read (scan_back's copy of the forward
     inputs when the cell's gradient needs only the states) */
  for (int k = 0; k < n->n_in; k++) {
    int read = 0;
    for (int i = 0; i < body->nodes.len; i++) {
      const Node *x = body->nodes.items[i];
      read |= x->op == OP_ARG && x->attr.index == k;
    }
    if (!read && strncmp(e->names[n->in[k]->id], "m->", 3) != 0)
      P("  (void)%s;\n", e->names[n->in[k]->id]);
  }
  P("  %s *scratch = m->step_scratch;  /* room for one step's values (model_reserve) */\n", e->real);
  const char *at = "scratch";
  for (int c = 0; c < sc->n_carry; c++) {
    P("  %s *carry%d = %s;  /* %s, zero before the first step */\n", e->real, c, at,
      c == 0 && sc->reverse ? "d state carried back from step t + 1" : "the state carried from step t - 1");
    P("  memset(carry%d, 0, sizeof(%s) * (size_t)(%s));\n", c, e->real, numel_of(e, sc->next[c]));
    at = arena_printf(e->arena, "carry%d + %s", c, numel_of(e, sc->next[c]));
  }
  for (int i = 0; i < body->nodes.len; i++) {
    if (!l.name[i])
      continue;
    Node *x = body->nodes.items[i];
    P("  %s *%s = %s;%s%s%s\n", e->real, l.name[i], at, x->name ? "  /* " : "", x->name ? x->name : "",
      x->name ? " */" : "");
    at = arena_printf(e->arena, "%s + %s", l.name[i], numel_of(e, x));
  }
  for (int k = 0; k < MAX_OPERANDS; k++) {
    const Node *s = sc->sums[k] ? sum_node(e, n, k) : NULL;
    if (s)
      P("  memset(%s, 0, sizeof(%s) * (size_t)(%s));  /* summed over the steps */\n", e->names[s->id],
        e->real, numel_of(e, s));
  }
  for (int i = 0; i < body->nodes.len; i++)
    if (l.invariant[i] && l.name[i]) {
      P("  /* computed once, before the loop: it reads only the weights */\n");
      e->indent += 2;
      body_node(&l, body->nodes.items[i]);
      e->indent -= 2;
    }
  if (sc->reverse)
    P("  for (int64_t t = %ld; t >= 0; t--) {  /* backpropagation through time */\n", sc->steps - 1);
  else
    P("  for (int64_t t = 0; t < %ld; t++) {\n", sc->steps);
  P("    /* %s */\n", sc->cell);
  e->indent += 4;
  for (int i = 0; i < body->nodes.len; i++)
    if (!l.invariant[i] && l.name[i])
      body_node(&l, body->nodes.items[i]);
  const char *r, *c;
  /* the step's part of the result: row r of [N, T, F] at step t */
  int depth = open_loops(&l, sc->out, &r, &c);
  P("%*s%s[(i0 * %ld + t) * %ld + i1] = %s;\n", 2 * depth, "", e->names[n->id], sc->steps, cols(sc->out),
    elem(&l, sc->out, r, c));
  for (int k = 0; k < MAX_OPERANDS; k++) {
    const Node *s = sc->sums[k] ? sum_node(e, n, k) : NULL;
    if (!s)
      continue;
    depth = open_loops(&l, sc->sums[k], &r, &c);
    const char *idx = s->shape.rank == 2 ? arena_printf(e->arena, "%s * %ld + %s", r, cols(s), c)
                      : s->shape.rank == 1 ? c : "0";
    P("%*s%s[%s] += %s;\n", 2 * depth, "", e->names[s->id], idx, elem(&l, sc->sums[k], r, c));
  }
  for (int k = 0; k < sc->n_carry; k++) {
    depth = open_loops(&l, sc->next[k], &r, &c);
    const Node *x = sc->next[k];
    const char *idx = x->shape.rank == 2 ? arena_printf(e->arena, "i0 * %ld + i1", cols(x))
                      : x->shape.rank == 1 ? "i1" : "0";
    P("%*scarry%d[%s] = %s;\n", 2 * depth, "", k, idx, elem(&l, x, r, c));
  }
  e->indent -= 4;
  P("  }\n");
}

void emit_scan_scratch(const Node *n, long *per_row, long *fixed) {
  const Scan *sc = n->attr.scan;
  const Graph *body = sc->body;
  *per_row = *fixed = 0;
  for (int i = -sc->n_carry; i < body->nodes.len; i++) {
    const Node *x = i < 0 ? sc->next[i + sc->n_carry] : body->nodes.items[i];
    if (i >= 0 && (x->op == OP_ARG || x->op == OP_CONST || x->op == OP_TRANSPOSE))
      continue;
    if (shape_has_sym(x->shape))
      *per_row += (long)shape_static_numel(x->shape);
    else
      *fixed += (long)shape_static_numel(x->shape);
  }
}
