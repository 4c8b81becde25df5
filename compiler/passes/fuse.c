/*
** fuse.c — elementwise fusion, and reductions fused with their producers.
**
** requires: the joint (forward + backward) graph.
** preserves: values; every root (loss, metrics, outputs, gradients) stays a
**            node of its own, and so does every value used more than once.
**
** A chain of elementwise and broadcast operators becomes one FUSED node: one
** loop that computes the chain's result element by element, without writing
** the intermediate values to memory.  A node is absorbed into its user when
** it is elementwise, is not a root, and has exactly one user, which is
** elementwise or a sum/mean (then the loop accumulates the expression
** directly: a reduction fused with its producer).  The expression lives in
** Graph.bodies, over ARG leaves that stand for the fused node's operands.
**
** A fused expression is at most MAX_FUSED_DEPTH operators deep: the body is
** built, printed and compiled by recursion over its depth, and a chain of
** thousands of operators must not overflow the C stack (mgc's nor the C
** compiler's).  A longer chain is cut into loops of that depth.
*/
#include <string.h>

#include "pass.h"

typedef struct Fuser {
  Graph *bodies;
  char *absorbed;        /* old node id -> computed inside its user's loop */
  Node *args[MAX_OPERANDS];  /* old external nodes, in operand order */
  int n_args;
  int overflow;
} Fuser;

static int is_reduction(const Node *n) {
  return (n->op == OP_SUM || n->op == OP_MEAN || n->op == OP_SUM_TO) && n->dtype == DT_F32;
}

static int is_elementwise(const Node *n) { return (op_info[n->op].flags & F_ELEM) != 0; }

enum { MAX_FUSED_DEPTH = 64 };

/* Decides which nodes are absorbed into their single user. */
static char *choose(Model *m) {
  Graph *g = m->graph;
  char *live = pass_live(m);
  int *uses = pass_use_counts(m, live);
  Node **user = ARENA_ARRAY(g->arena, Node *, g->nodes.len + 1);
  for (int i = 0; i < g->nodes.len; i++) {
    Node *n = g->nodes.items[i];
    if (live[i])
      for (int k = 0; k < n->n_in; k++)
        user[n->in[k]->id] = n;
  }
  char *absorbed = ARENA_ARRAY(g->arena, char, g->nodes.len + 1);
  /* depth[i]: operators in the expression node i would carry into its user
     (itself and its absorbed operands, which come before it) */
  int *depth = ARENA_ARRAY(g->arena, int, g->nodes.len + 1);
  for (int i = 0; i < g->nodes.len; i++) {
    Node *n = g->nodes.items[i], *u = user[i];
    depth[i] = 1;
    for (int k = 0; k < n->n_in; k++)
      if (absorbed[n->in[k]->id] && depth[n->in[k]->id] + 1 > depth[i])
        depth[i] = depth[n->in[k]->id] + 1;
    if (depth[i] >= MAX_FUSED_DEPTH)
      continue; /* its user's loop starts a new expression */
    /* uses counts roots too, so a root never has exactly one user node here
       unless nothing else reads it: check the roots by their use count. */
    if (!live[i] || !is_elementwise(n) || uses[i] != 1 || !u)
      continue;
    int operand_uses = 0;
    for (int k = 0; k < u->n_in; k++)
      operand_uses += u->in[k] == n;
    if (operand_uses != 1)
      continue;
    if (is_elementwise(u) || is_reduction(u))
      absorbed[i] = 1;
  }
  return absorbed;
}

static int arg_index(Fuser *f, Node *external) {
  for (int i = 0; i < f->n_args; i++)
    if (f->args[i] == external)
      return i;
  if (f->n_args == MAX_OPERANDS) {
    f->overflow = 1;
    return 0;
  }
  f->args[f->n_args] = external;
  return f->n_args++;
}

/* Copies old node x into the body graph: absorbed operands become part of
   the expression, everything else an ARG. */
static Node *body_of(Fuser *f, Node *x, int is_root) {
  if (!is_root && !f->absorbed[x->id]) {
    if (x->op == OP_CONST)
      return ir_const(f->bodies, x->attr.value);
    Node arg;
    memset(&arg, 0, sizeof arg);
    arg.op = OP_ARG;
    arg.dtype = x->dtype;
    arg.shape = x->shape;
    arg.attr.axis = -1;
    arg.attr.index = arg_index(f, x);
    return ir_with_attrs(f->bodies, arg);
  }
  Node proto;
  memcpy(&proto, x, sizeof proto); /* padding too: see Attrs (ir.h) */
  proto.hash_next = NULL;
  for (int k = 0; k < x->n_in; k++)
    proto.in[k] = body_of(f, x->in[k], 0);
  Node *b = ir_with_attrs(f->bodies, proto);
  b->name = x->name;
  return b;
}

static Node *fuse(Rebuild *r, Node *old, void *ctx) {
  Fuser *f = ctx;
  if (f->absorbed[old->id] || !(is_elementwise(old) || is_reduction(old)))
    return NULL;
  int any = 0;
  for (int k = 0; k < old->n_in; k++)
    any |= f->absorbed[old->in[k]->id];
  if (!any)
    return NULL;
  f->n_args = 0;
  f->overflow = 0;
  Node *body = body_of(f, old, 1);
  if (f->overflow)
    return NULL; /* too many operands for one loop: leave the chain as it is */
  Node proto = ir_proto(OP_FUSED, old->dtype, old->shape, NULL);
  proto.n_in = f->n_args;
  for (int k = 0; k < f->n_args; k++)
    proto.in[k] = r->map[f->args[k]->id];
  proto.attr.body = body;
  proto.loc = old->loc;
  proto.is_grad = old->is_grad;
  proto.note = old->note;
  Node *n = ir_with_attrs(r->to, proto);
  n->name = old->name;
  return n;
}

void pass_fuse(Model *m) {
  Fuser f;
  memset(&f, 0, sizeof f);
  if (!m->graph->bodies)
    m->graph->bodies = ir_graph_new(m->graph->arena);
  f.bodies = m->graph->bodies;
  f.absorbed = choose(m);
  pass_rebuild(m, fuse, &f);
  pass_cleanup(m);
}
