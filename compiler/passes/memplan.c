/*
** memplan.c — a static memory plan: activation buffers reused by liveness.
**
** requires: the final graph (runs last).  preserves: the graph; it only
** fills Model.plan, which the emitter turns into one allocation with every
** buffer at a fixed place in it, so the training step allocates nothing.
**
** The step runs forward, then (on logged steps) the metrics, then backward.
** In that order a buffer lives from the node that writes it to its last
** reader.  Two buffers of the same size whose lives do not overlap share a
** slot.  A slot is freed only after the node that last reads it has run, so
** no kernel ever writes over one of its own operands.  Values read after the
** step (loss, metrics, outputs) and values of the metrics and evaluation
** phases, which do not run every step, keep slots of their own; a forward
** value that evaluation reads lives until the end of the metrics phase, so
** that nothing computed before evaluate_batch's reads can overwrite it.
** A step in blocks of rows shares only the blocks' own buffers (below).
** Values that only evaluation or prediction computes live in the step's
** memory, which those phases, run on their own, are free to use.
*/
#include <string.h>

#include "pass.h"
#include "schedule.h"

/* Buffers can share a slot when they hold the same number of bytes. */
static int same_size(const Node *a, const Node *b) {
  return (a->dtype == DT_I64) == (b->dtype == DT_I64) &&
         shape_static_numel(a->shape) == shape_static_numel(b->shape) &&
         shape_has_sym(a->shape) == shape_has_sym(b->shape);
}

/* A read of node id at position `at` keeps it alive until then.  A node
   without a buffer of its own (a transpose that matrix products read
   through) is read by reading its operand. */
static void touch(const Graph *g, const Schedule *s, const int *pos, int *last, int id, int at) {
  const Node *n = g->nodes.items[id];
  if (!s->buffer[id]) {
    for (int k = 0; k < n->n_in; k++)
      touch(g, s, pos, last, n->in[k]->id, at);
    return;
  }
  if (pos[id] >= 0 && last[id] < at)
    last[id] = at;
}

void pass_memplan(Model *m) {
  Graph *g = m->graph;
  int n = g->nodes.len;
  Schedule *s = schedule_of(m);
  int *pos = ARENA_ARRAY(g->arena, int, n + 1), *last = ARENA_ARRAY(g->arena, int, n + 1);
  char *shared = ARENA_ARRAY(g->arena, char, n + 1);
  int *order = ARENA_ARRAY(g->arena, int, n + 1), len = 0;
  /* The step's order: forward, then backward. */
  for (int i = 0; i < n; i++)
    if (s->forward[i])
      order[len++] = i;
  int end_of_forward = len;
  for (int i = 0; i < n; i++)
    if (s->backward[i])
      order[len++] = i;
  for (int i = 0; i < n; i++)
    pos[i] = -1;
  for (int p = 0; p < len; p++) {
    pos[order[p]] = p;
    last[order[p]] = p;
    /* A node that a fused loss writes is written before its place in the
       order says: give it a slot of its own. */
    shared[order[p]] = s->buffer[order[p]] && !s->in_param_block[order[p]] &&
                      !(op_info[((const Node *)g->nodes.items[order[p]])->op].flags & F_BYPRODUCT);
    /* A step in blocks of rows (rowblock.c) runs its ROW nodes once per
       block, in this order, but stores its sums after the last block and
       computes what reads them after that: only ROW buffers, whose lives
       begin and end within a block, may share. */
    if (s->block_rows && s->block[order[p]] != BLOCK_ROW)
      shared[order[p]] = 0;
    /* ... and a dropout mask, drawn for the whole batch before the blocks,
       lives through all of them */
    if (s->block_rows && ((const Node *)g->nodes.items[order[p]])->op == OP_DROPOUT_MASK)
      shared[order[p]] = 0;
  }
  /* Readers extend lives; readers outside the step pin their operands to
     the end of the forward pass (where metrics and evaluation read). */
  for (int i = 0; i < n; i++) {
    Node *u = g->nodes.items[i];
    int reader = pos[i] >= 0 ? pos[i] : (s->metrics[i] || s->eval[i] || s->predict[i]) ? end_of_forward : -1;
    if (reader < 0)
      continue;
    for (int k = 0; k < u->n_in; k++)
      touch(g, s, pos, last, u->in[k]->id, reader);
  }
  /* Roots are read by the driver after the step's phases. */
  for (int i = 0; i < n; i++)
    if (schedule_is_root(m, g->nodes.items[i]))
      shared[i] = 0;

  m->plan.slot = ARENA_ARRAY(g->arena, int, n + 1);
  for (int i = 0; i < n; i++)
    m->plan.slot[i] = -1;
  Node **slot_holder = ARENA_ARRAY(g->arena, Node *, n + 1); /* last node placed in a slot */
  int n_slots = 0;
  for (int p = 0; p < len; p++) {
    int id = order[p];
    if (!shared[id])
      continue;
    Node *node = g->nodes.items[id];
    int chosen = -1;
    for (int k = 0; k < n_slots && chosen < 0; k++) {
      Node *h = slot_holder[k];
      if (h && last[h->id] < p && same_size(h, node))
        chosen = k;
    }
    if (chosen < 0)
      chosen = n_slots++;
    slot_holder[chosen] = node;
    m->plan.slot[id] = chosen;
  }
  /* Everything else that has a buffer gets a slot of its own, except the
     values that only evaluation or prediction computes (below). */
  char *off_step = ARENA_ARRAY(g->arena, char, n + 1);
  for (int i = 0; i < n; i++) {
    off_step[i] = (s->eval[i] || s->predict[i] || s->evaluate[i]) && !s->forward[i] && !s->metrics[i] &&
                  !s->backward[i];
    if (s->buffer[i] && !s->in_param_block[i] && m->plan.slot[i] < 0 && !off_step[i]) {
      m->plan.slot[i] = n_slots++;
      slot_holder[m->plan.slot[i]] = g->nodes.items[i];
    }
  }
  /* Evaluation and prediction (evaluate_batch, predict_outputs, the
     library's evaluate and predict) each run on their own, never during a
     step, and no value of the step is read after them: a value that only
     they compute (an output such as the logits that the training step's
     fused loss never stores) takes a step's slot of the same size that no
     value of theirs uses, and adds memory only when there is none.  Each
     such slot serves one of them. */
  char *busy = ARENA_ARRAY(g->arena, char, n + 1);
  for (int i = 0; i < n; i++)
    if (m->plan.slot[i] >= 0 && (s->eval[i] || s->predict[i] || s->evaluate[i]))
      busy[m->plan.slot[i]] = 1;
  for (int i = 0; i < n; i++) {
    if (!s->buffer[i] || s->in_param_block[i] || !off_step[i])
      continue;
    Node *node = g->nodes.items[i];
    int chosen = -1;
    for (int k = 0; k < n_slots && chosen < 0; k++)
      if (!busy[k] && slot_holder[k] && same_size(slot_holder[k], node))
        chosen = k;
    if (chosen < 0) {
      chosen = n_slots++;
      slot_holder[chosen] = node;
    }
    busy[chosen] = 1;
    m->plan.slot[i] = chosen;
  }
  m->plan.n_slots = n_slots;
  m->plan.planned = 1;
}
