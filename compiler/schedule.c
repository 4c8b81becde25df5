/*
** schedule.c — see schedule.h.
*/
#include "schedule.h"

void schedule_collect(const Graph *g, const Node *root, char *set) {
  if (!root || set[root->id])
    return;
  set[root->id] = 2;
  /* Operands precede users: one backward sweep from the root closes the set;
     2 marks "reached in this sweep". */
  for (int i = root->id; i >= 0; i--) {
    Node *n = g->nodes.items[i];
    if (set[i] != 2)
      continue;
    set[i] = 1;
    for (int k = 0; k < n->n_in; k++)
      if (!set[n->in[k]->id])
        set[n->in[k]->id] = 2;
  }
}

static char *new_set(const Graph *g) { return ARENA_ARRAY(g->arena, char, g->nodes.len + 1); }

/* Whether operand k of u is read as a product's operand, where a transpose
   is read in place (mgrt_matmul_nt / _tn): the first two operands of the
   product operators, unless both are transposes. */
static int product_operand(const Node *u, int k) {
  if (u->op != OP_MATMUL && u->op != OP_MATMUL_BIAS && u->op != OP_MATMUL_SOFTMAX_CE)
    return 0;
  return k < 2 && !(u->in[0]->op == OP_TRANSPOSE && u->in[1]->op == OP_TRANSPOSE);
}

/* A transpose read only by matrix products needs no buffer: the product
   reads its operand transposed. */
static int only_read_by_matmul(const Model *m, const Schedule *s, const Node *t) {
  const Graph *g = m->graph;
  int users = 0;
  for (int j = t->id + 1; j < g->nodes.len; j++) {
    const Node *u = g->nodes.items[j];
    if (!s->buffer[j])
      continue;
    for (int k = 0; k < u->n_in; k++) {
      if (u->in[k] != t)
        continue;
      users++;
      if (!product_operand(u, k))
        return 0;
    }
  }
  for (int k = 0; k < m->n_outputs; k++)
    if (m->outputs[k].node == t)
      return 0;
  return users > 0;
}

typedef struct RootQuery {
  const Node *n;
  int found;
} RootQuery;

static void find_root(Node *root, RootKind kind, void *ctx) {
  RootQuery *q = ctx;
  if (root == q->n && kind != ROOT_GRAD)
    q->found = 1;
}

int schedule_is_root(const Model *m, const Node *n) {
  RootQuery q = {n, 0};
  model_roots(m, find_root, &q);
  return q.found;
}

/* Whether some phase computes node i. */
static int used_anywhere(const Schedule *s, int i) {
  return s->forward[i] || s->metrics[i] || s->backward[i] || s->eval[i] || s->predict[i] || s->evaluate[i];
}

typedef struct Phases {
  const Model *m;
  const Graph *g;
  Schedule *s;
} Phases;

/* Each root into the phases that compute it. */
static void collect_root(Node *root, RootKind kind, void *ctx) {
  const Graph *g = ((Phases *)ctx)->g;
  Schedule *s = ((Phases *)ctx)->s;
  switch (kind) {
  case ROOT_LOSS:
    schedule_collect(g, root, s->forward);
    if (!((Phases *)ctx)->m->train.eval_loss) /* else evaluation has a loss node of its own */
      schedule_collect(g, root, s->eval), schedule_collect(g, root, s->evaluate);
    break;
  case ROOT_EVAL_LOSS:
    schedule_collect(g, root, s->eval);
    schedule_collect(g, root, s->evaluate);
    break;
  case ROOT_TRAIN_METRIC:
    schedule_collect(g, root, s->metrics);
    schedule_collect(g, root, s->evaluate);
    break;
  case ROOT_EVAL_METRIC: schedule_collect(g, root, s->eval); break;
  case ROOT_OUTPUT: schedule_collect(g, root, s->predict); break;
  case ROOT_GRAD: schedule_collect(g, root, s->backward); break;
  }
}

static Schedule *schedule_build(Model *m) {
  const Graph *g = m->graph;
  Schedule *s = ARENA_NEW(g->arena, Schedule);
  s->forward = new_set(g);
  s->metrics = new_set(g);
  s->backward = new_set(g);
  s->eval = new_set(g);
  s->predict = new_set(g);
  s->evaluate = new_set(g);
  Phases phases = {m, g, s};
  model_roots(m, collect_root, &phases);
  for (int i = 0; i < g->nodes.len; i++) {
    const Node *n = g->nodes.items[i];
    /* a byproduct is written where its loss is computed */
    if (op_info[n->op].flags & F_BYPRODUCT && s->forward[n->in[0]->id] && (s->metrics[i] || s->backward[i]))
      s->forward[i] = 1;
    if (s->forward[i])
      s->metrics[i] = s->backward[i] = 0;
  }

  s->buffer = new_set(g);
  for (int i = 0; i < g->nodes.len; i++) {
    const Node *n = g->nodes.items[i];
    if (used_anywhere(s, i) && !(op_info[n->op].flags & F_LEAF) && n->op != OP_NUMEL)
      s->buffer[i] = 1;
  }
  for (int i = 0; i < g->nodes.len; i++) {
    const Node *n = g->nodes.items[i];
    if (n->op == OP_TRANSPOSE && s->buffer[i] && only_read_by_matmul(m, s, n))
      s->buffer[i] = 0;
  }
  s->in_param_block = new_set(g);
  for (int i = 0; i < m->params.len; i++) {
    const Param *p = m->params.items[i];
    if (p->grad && s->buffer[p->grad->id])
      s->in_param_block[p->grad->id] = 1;
  }
  rowblock_plan(m, s);
  return s;
}

Schedule *schedule_of(Model *m) {
  if (!m->schedule)
    m->schedule = schedule_build(m);
  return m->schedule;
}

const char *schedule_product_kind(const Schedule *s, const Node *n) {
  int ta = n->in[0]->op == OP_TRANSPOSE && !s->buffer[n->in[0]->id];
  int tb = n->in[1]->op == OP_TRANSPOSE && !s->buffer[n->in[1]->id];
  MGC_ASSERT(!(ta && tb));
  return ta ? "tn" : tb ? "nt" : "nn";
}
