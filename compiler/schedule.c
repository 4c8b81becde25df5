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

/* A transpose read only by matrix products needs no buffer: the product
   reads its operand transposed (mgrt_matmul_nt / _tn). */
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
      if (u->op != OP_MATMUL || (u->in[0]->op == OP_TRANSPOSE && u->in[1]->op == OP_TRANSPOSE))
        return 0;
    }
  }
  for (int k = 0; k < m->n_outputs; k++)
    if (m->outputs[k].node == t)
      return 0;
  return users > 0;
}

/* The probabilities node that a fused loss can write alongside the loss. */
static Node *companion_of(const Graph *g, const Schedule *s, const Node *loss) {
  Op want = loss->op == OP_SOFTMAX_CE ? OP_SOFTMAX : loss->op == OP_BCE_LOGITS ? OP_SIGMOID : OP_COUNT;
  if (want == OP_COUNT)
    return NULL;
  for (int i = 0; i < g->nodes.len; i++) {
    Node *n = g->nodes.items[i];
    if (n->op == want && n->in[0] == loss->in[0] && (want == OP_SIGMOID || n->attr.axis == 1) &&
        !s->forward[i] && (s->backward[i] || s->metrics[i]) &&
        shape_equal(n->shape, loss->in[0]->shape))
      return n;
  }
  return NULL;
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

/* Whether v can be the bias of a product of shape s: an array (a param, a
   literal or a computed value, not a constant folded into the code) of one
   value, or of one per column ([C] or [1, C]) of a [rows, C] result. */
static int bias_shaped(const Schedule *sch, const Node *v, Shape s) {
  int array = v->op == OP_PARAM || v->op == OP_LITERAL || v->op == OP_INPUT || sch->buffer[v->id];
  if (!array || shape_has_sym(v->shape) || v->dtype != DT_F32 || s.rank != 2 || s.dims[1].sym)
    return 0;
  long numel = (long)shape_static_numel(v->shape);
  if (numel == 1)
    return 1;
  return numel == s.dims[1].n && (v->shape.rank == 1 || (v->shape.rank == 2 && !v->shape.dims[0].sym &&
                                                          v->shape.dims[0].n == 1));
}

/* Finds the additions of a bias to a product that only they read (see
   Schedule.product_of); a fusion, so -O2 only. */
static void fuse_bias_adds(const Model *m, Schedule *s) {
  const Graph *g = m->graph;
  int n = g->nodes.len;
  s->product_of = ARENA_ARRAY(g->arena, Node *, n + 1);
  if (m->opt_level < 2)
    return;
  int *readers = ARENA_ARRAY(g->arena, int, n + 1);
  for (int i = 0; i < n; i++) {
    const Node *u = g->nodes.items[i];
    if (!s->buffer[i] && u->op != OP_TRANSPOSE)
      continue;
    for (int k = 0; k < u->n_in; k++)
      readers[u->in[k]->id]++;
  }
  for (int i = 0; i < n; i++) {
    Node *add = g->nodes.items[i];
    if (add->op != OP_ADD || !s->buffer[i] || add->dtype != DT_F32)
      continue;
    for (int k = 0; k < 2; k++) {
      Node *prod = add->in[k], *bias = add->in[1 - k];
      int transposed_a = prod->op == OP_MATMUL && prod->in[0]->op == OP_TRANSPOSE && !s->buffer[prod->in[0]->id];
      if (prod->op != OP_MATMUL || !s->buffer[prod->id] || transposed_a || readers[prod->id] != 1 ||
          schedule_is_root(m, prod) || !shape_equal(prod->shape, add->shape) || !bias_shaped(s, bias, add->shape))
        continue;
      s->product_of[i] = prod;
      s->buffer[prod->id] = 0;
      break;
    }
  }
}

/* The product of logits z, if z is one (a product with a bias folded in, or a
   product whose A is not a transpose read in place), else NULL. */
static Node *product_behind(const Schedule *s, Node *z) {
  if (z->op == OP_ADD)
    return s->product_of[z->id];
  if (z->op == OP_MATMUL && s->buffer[z->id] && !(z->in[0]->op == OP_TRANSPOSE && !s->buffer[z->in[0]->id]))
    return z;
  return NULL;
}

/* Whether a node of `set` other than skip1 and skip2 reads x. */
static int read_in(const Graph *g, const char *set, const Node *x, const Node *skip1, const Node *skip2) {
  for (int i = x->id + 1; i < g->nodes.len; i++) {
    const Node *u = g->nodes.items[i];
    if (!set[i] || u == skip1 || u == skip2)
      continue;
    for (int k = 0; k < u->n_in; k++)
      if (u->in[k] == x)
        return 1;
  }
  return 0;
}

/* Whether some phase computes node i. */
static int used_anywhere(const Schedule *s, int i) {
  return s->forward[i] || s->metrics[i] || s->backward[i] || s->eval[i] || s->predict[i] || s->evaluate[i];
}

/* Whether a node of the training step other than skip reads x. */
static int read_in_step(const Graph *g, const Schedule *s, const Node *x, const Node *skip) {
  return read_in(g, s->forward, x, skip, NULL) || read_in(g, s->metrics, x, skip, NULL) ||
         read_in(g, s->backward, x, skip, NULL);
}

/* The operand of fused node f that body leaf b stands for, or NULL. */
static Node *operand(const Node *f, const Node *b) {
  return b->op == OP_ARG && b->attr.index >= 0 && b->attr.index < f->n_in ? f->in[b->attr.index] : NULL;
}

/* The backward pass's gradient of the logits of `loss` when it is exactly
   (softmax - onehot(labels)) / N, one fused loop over the companion, the
   onehot of the loss's labels and the batch's row count; else NULL. */
static Node *logits_grad(const Graph *g, const Schedule *s, const Node *loss) {
  const Node *probs = s->companion[loss->id];
  for (int i = loss->id + 1; i < g->nodes.len; i++) {
    Node *f = g->nodes.items[i];
    const Node *body = f->op == OP_FUSED ? f->attr.body : NULL;
    if (!body || !s->backward[i] || body->op != OP_DIV || body->in[0]->op != OP_SUB)
      continue;
    const Node *p = operand(f, body->in[0]->in[0]), *hot = operand(f, body->in[0]->in[1]);
    const Node *count = operand(f, body->in[1]);
    if (p == probs && hot && hot->op == OP_ONEHOT && hot->in[0] == loss->in[1] &&
        shape_equal(hot->shape, probs->shape) && count && count->op == OP_NUMEL && count->attr.index &&
        count->attr.value == 1 && shape_equal(f->shape, probs->shape))
      return f;
  }
  return NULL;
}

/* Finds the softmax cross-entropies that can compute their logits' product
   themselves (see Schedule.logits_of); a fusion, so -O2 only. */
static void fuse_product_losses(const Model *m, Schedule *s) {
  const Graph *g = m->graph;
  s->logits_of = ARENA_ARRAY(g->arena, Node *, g->nodes.len + 1);
  s->logits_grad_of = ARENA_ARRAY(g->arena, Node *, g->nodes.len + 1);
  s->probs_unread = new_set(g);
  if (m->opt_level < 2 || m->f64)
    return;
  for (int i = 0; i < g->nodes.len; i++) {
    Node *loss = g->nodes.items[i], *z = loss->in[0];
    if (loss->op != OP_SOFTMAX_CE || !s->forward[i] || !s->companion[i] || z->dtype != DT_F32 ||
        z->shape.rank != 2 || z->shape.dims[1].sym || z->shape.dims[1].n > MGC_PRODUCT_LOSS_CLASSES ||
        !product_behind(s, z) || read_in(g, s->forward, z, loss, s->companion[i]) ||
        read_in(g, s->backward, z, loss, s->companion[i]))
      continue;
    s->logits_of[i] = z;
    s->forward[z->id] = 0;
    s->metrics[z->id] = read_in(g, s->metrics, z, NULL, NULL); /* they compute it themselves */
    Node *grad = logits_grad(g, s, loss);
    if (!grad)
      continue;
    Node *probs = s->companion[i], *onehot = operand(grad, grad->attr.body->in[0]->in[1]);
    s->logits_grad_of[i] = grad;
    s->by_loss[grad->id] = 1;
    if (!read_in_step(g, s, onehot, grad))
      s->forward[onehot->id] = s->metrics[onehot->id] = s->backward[onehot->id] = 0;
    s->probs_unread[i] = !read_in_step(g, s, probs, grad);
    /* what no phase computes any more needs no memory */
    if (!used_anywhere(s, onehot->id))
      s->buffer[onehot->id] = 0;
    if (s->probs_unread[i] && !s->eval[probs->id] && !s->predict[probs->id] && !s->evaluate[probs->id])
      s->buffer[probs->id] = 0;
  }
}

typedef struct Phases {
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

Schedule *schedule_build(Model *m) {
  const Graph *g = m->graph;
  Schedule *s = ARENA_NEW(g->arena, Schedule);
  s->forward = new_set(g);
  s->metrics = new_set(g);
  s->backward = new_set(g);
  s->eval = new_set(g);
  s->predict = new_set(g);
  s->evaluate = new_set(g);
  Phases phases = {g, s};
  model_roots(m, collect_root, &phases);
  for (int i = 0; i < g->nodes.len; i++)
    if (s->forward[i])
      s->metrics[i] = s->backward[i] = 0;

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
  fuse_bias_adds(m, s);
  s->companion = ARENA_ARRAY(g->arena, Node *, g->nodes.len + 1);
  s->by_loss = new_set(g);
  for (int i = 0; i < g->nodes.len; i++) {
    Node *c = s->forward[i] ? companion_of(g, s, g->nodes.items[i]) : NULL;
    if (!c || s->by_loss[c->id])
      continue;
    s->companion[i] = c;
    s->by_loss[c->id] = 1;
    s->forward[c->id] = 1;
    s->metrics[c->id] = s->backward[c->id] = 0;
  }
  fuse_product_losses(m, s);
  s->in_param_block = new_set(g);
  for (int i = 0; i < m->params.len; i++) {
    const Param *p = m->params.items[i];
    if (p->grad && s->buffer[p->grad->id])
      s->in_param_block[p->grad->id] = 1;
  }
  rowblock_plan(m, s);
  return s;
}
