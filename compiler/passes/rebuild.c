/*
** rebuild.c — the machinery every pass shares: liveness from the model's
** roots, use counts, and rebuilding the graph through a rewrite function.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pass.h"
#include "ir_scan.h"

static void mark_root(Node *root, RootKind kind, void *live) {
  (void)kind;
  ((char *)live)[root->id] = 1;
}

char *pass_live(Model *m) {
  Graph *g = m->graph;
  char *live = ARENA_ARRAY(g->arena, char, g->nodes.len + 1);
  model_roots(m, mark_root, live);
  /* params and inputs stay, read or not: they are the model's interface */
  for (int i = 0; i < m->params.len; i++)
    live[((Param *)m->params.items[i])->node->id] = 1;
  for (int i = 0; i < m->inputs.len; i++)
    live[((Input *)m->inputs.items[i])->node->id] = 1;
  /* Operands precede their users, so one backward sweep closes the set
     (and deep graphs need no recursion). */
  for (int i = g->nodes.len - 1; i >= 0; i--) {
    Node *n = g->nodes.items[i];
    if (live[i])
      for (int k = 0; k < n->n_in; k++)
        live[n->in[k]->id] = 1;
  }
  return live;
}

static void use_root(Node *root, RootKind kind, void *uses) {
  (void)kind;
  ((int *)uses)[root->id]++;
}

int *pass_use_counts(Model *m, const char *live) {
  Graph *g = m->graph;
  int *uses = ARENA_ARRAY(g->arena, int, g->nodes.len + 1);
  for (int i = 0; i < g->nodes.len; i++) {
    Node *n = g->nodes.items[i];
    if (!live[i])
      continue;
    for (int k = 0; k < n->n_in; k++)
      uses[n->in[k]->id]++;
  }
  model_roots(m, use_root, uses); /* roots are used by the program itself */
  return uses;
}

void pass_note(Model *m, Node *node, Loc loc, const char *fmt, ...) {
  Arena *a = m->graph->arena;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  RewriteNote *note = ARENA_NEW(a, RewriteNote);
  note->loc = loc;
  note->what = arena_strdup(a, buf);
  note->node = node;
  ptrvec_push(a, &m->rewrites, note);
}

void pass_prune_notes(Model *m) {
  int kept = 0;
  for (int i = 0; i < m->rewrites.len; i++) {
    RewriteNote *n = m->rewrites.items[i];
    if (!n->dropped)
      m->rewrites.items[kept++] = n;
  }
  m->rewrites.len = kept;
}

/* Follows the rewrite notes' nodes from the old graph to the new one. */
static void follow_notes(Model *m, const Rebuild *r, const char *live) {
  for (int i = 0; i < m->rewrites.len; i++) {
    RewriteNote *n = m->rewrites.items[i];
    if (!n->node || n->node->id >= r->from->nodes.len || r->from->nodes.items[n->node->id] != n->node)
      continue;
    if (live[n->node->id])
      n->node = r->map[n->node->id];
    else
      n->dropped = 1;
  }
}

static Node *remap(Rebuild *r, Node *n) { return n ? r->map[n->id] : NULL; }

static void remap_root(Node **slot, RootKind kind, void *r) {
  (void)kind;
  *slot = remap(r, *slot);
}

void pass_rebuild(Model *m, RewriteFn fn, void *ctx) {
  Graph *old = m->graph;
  char *live = pass_live(m);
  Rebuild r;
  r.from = old;
  r.to = ir_graph_new(old->arena);
  r.to->size_name = old->size_name;
  r.to->bodies = old->bodies;
  r.map = ARENA_ARRAY(old->arena, Node *, old->nodes.len + 1);
  for (int i = 0; i < old->nodes.len; i++) {
    Node *n = old->nodes.items[i];
    if (!live[i])
      continue;
    Node *repl = fn ? fn(&r, n, ctx) : NULL;
    r.map[i] = repl ? repl : ir_copy_node(&r, n);
    if (!r.map[i]->name && n->name)
      r.map[i]->name = n->name;
  }
  for (int i = 0; i < m->inputs.len; i++) {
    Input *in = m->inputs.items[i];
    in->node = remap(&r, in->node);
  }
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    p->node = remap(&r, p->node);
  }
  model_root_slots(m, remap_root, &r);
  follow_notes(m, &r, live);
  m->graph = r.to;
  m->schedule = NULL; /* it described the old graph */
}

/* cleanup (CSE and DCE): requires nothing; preserves everything.  Rewrites
   can leave two equal nodes apart (x * 1 became x, and now two users are the
   same) and nodes nothing uses; rebuilding re-hashes the first into one and
   copies only what the roots reach. */
void pass_cleanup(Model *m) { pass_rebuild(m, NULL, NULL); }

/* ---- loop bodies ---------------------------------------------------------- */

/* The body's roots: what the step stacks, carries and sums. */
static void scan_roots(const Scan *sc, Node **roots, int *n) {
  *n = 0;
  roots[(*n)++] = sc->out;
  for (int c = 0; c < sc->n_carry; c++)
    roots[(*n)++] = sc->next[c];
  for (int k = 0; k < MAX_OPERANDS; k++)
    if (sc->sums[k])
      roots[(*n)++] = sc->sums[k];
}

Scan *pass_rebuild_scan(Arena *a, const Scan *sc, RewriteFn fn) {
  const Graph *b = sc->body;
  int len = b->nodes.len;
  Node *roots[MAX_OPERANDS + SCAN_MAX_CARRY + 1];
  int n_roots;
  scan_roots(sc, roots, &n_roots);
  int *uses = ARENA_ARRAY(a, int, len + 1);
  for (int i = 0; i < len; i++) {
    Node *n = b->nodes.items[i];
    for (int k = 0; k < n->n_in; k++)
      uses[n->in[k]->id]++;
  }
  for (int k = 0; k < n_roots; k++)
    uses[roots[k]->id]++;
  Graph *mid = ir_graph_new(a);
  mid->size_name = b->size_name;
  Rebuild r = {(Graph *)b, mid, ARENA_ARRAY(a, Node *, len + 1)};
  for (int i = 0; i < len; i++) {
    Node *old = b->nodes.items[i];
    Node *n = fn(&r, old, uses);
    if (!n)
      n = ir_copy_node(&r, old);
    else if (!n->name)
      n->name = old->name;
    r.map[i] = n;
  }
  Scan *out = ARENA_NEW(a, Scan);
  memcpy(out, sc, sizeof *out);
  out->out = r.map[sc->out->id];
  for (int c = 0; c < sc->n_carry; c++)
    out->next[c] = r.map[sc->next[c]->id];
  for (int k = 0; k < MAX_OPERANDS; k++)
    if (sc->sums[k])
      out->sums[k] = r.map[sc->sums[k]->id];
  /* Only what the roots read, and every leaf (the loop's operands). */
  scan_roots(out, roots, &n_roots);
  int mlen = mid->nodes.len;
  char *live = ARENA_ARRAY(a, char, mlen + 1);
  for (int k = 0; k < n_roots; k++)
    live[roots[k]->id] = 1;
  for (int i = mlen - 1; i >= 0; i--) {
    Node *n = mid->nodes.items[i];
    live[i] |= n->op == OP_ARG;
    if (live[i])
      for (int k = 0; k < n->n_in; k++)
        live[n->in[k]->id] = 1;
  }
  Graph *body = ir_graph_new(a);
  body->size_name = b->size_name;
  Rebuild p = {mid, body, ARENA_ARRAY(a, Node *, mlen + 1)};
  for (int i = 0; i < mlen; i++)
    if (live[i])
      p.map[i] = ir_copy_node(&p, mid->nodes.items[i]);
  out->body = body;
  out->out = p.map[out->out->id];
  for (int c = 0; c < out->n_carry; c++)
    out->next[c] = p.map[out->next[c]->id];
  for (int k = 0; k < MAX_OPERANDS; k++)
    if (out->sums[k])
      out->sums[k] = p.map[out->sums[k]->id];
  return out;
}
