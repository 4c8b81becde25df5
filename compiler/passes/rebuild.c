/*
** rebuild.c — the machinery every pass shares: liveness from the model's
** roots, use counts, and rebuilding the graph through a rewrite function.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pass.h"

static void mark_live(Node *n, char *live) {
  if (n)
    live[n->id] = 1;
}

char *pass_live(Model *m) {
  Graph *g = m->graph;
  char *live = ARENA_ARRAY(g->arena, char, g->nodes.len + 1);
  mark_live(m->train.loss, live);
  mark_live(m->train.eval_loss, live);
  for (int i = 0; i < m->train.n_metrics; i++)
    mark_live(m->train.metrics[i].node, live);
  for (int i = 0; i < m->eval.n_metrics; i++)
    mark_live(m->eval.metrics[i].node, live);
  for (int i = 0; i < m->n_outputs; i++)
    mark_live(m->outputs[i].node, live);
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    live[p->node->id] = 1;
    mark_live(p->grad, live);
  }
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
  /* Roots are used by the program itself. */
  if (m->train.loss)
    uses[m->train.loss->id]++;
  if (m->train.eval_loss)
    uses[m->train.eval_loss->id]++;
  for (int i = 0; i < m->train.n_metrics; i++)
    uses[m->train.metrics[i].node->id]++;
  for (int i = 0; i < m->eval.n_metrics; i++)
    uses[m->eval.metrics[i].node->id]++;
  for (int i = 0; i < m->n_outputs; i++)
    uses[m->outputs[i].node->id]++;
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (p->grad)
      uses[p->grad->id]++;
  }
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
    p->grad = remap(&r, p->grad);
  }
  m->train.loss = remap(&r, m->train.loss);
  m->train.eval_loss = remap(&r, m->train.eval_loss);
  for (int i = 0; i < m->train.n_metrics; i++)
    m->train.metrics[i].node = remap(&r, m->train.metrics[i].node);
  for (int i = 0; i < m->eval.n_metrics; i++)
    m->eval.metrics[i].node = remap(&r, m->eval.metrics[i].node);
  for (int i = 0; i < m->n_outputs; i++)
    m->outputs[i].node = remap(&r, m->outputs[i].node);
  follow_notes(m, &r, live);
  m->graph = r.to;
  m->schedule = NULL; /* it described the old graph */
}

/* cleanup (CSE and DCE): requires nothing; preserves everything.  Rewrites
   can leave two equal nodes apart (x * 1 became x, and now two users are the
   same) and nodes nothing uses; rebuilding re-hashes the first into one and
   copies only what the roots reach. */
void pass_cleanup(Model *m) { pass_rebuild(m, NULL, NULL); }
