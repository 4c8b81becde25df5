/*
** model_roots.c — the nodes a model computes for their own sake: its roots.
** Liveness, use counts and rebuilding (passes/rebuild.c), the schedule's
** phases (schedule.c) and the IR printer all start from them; listing them
** here once means a new kind of root (a second loss, a checkpointed value)
** is added in one place.
*/
#include "model.h"

void model_root_slots(Model *m, RootSlotFn fn, void *ctx) {
  if (m->train.loss)
    fn(&m->train.loss, ROOT_LOSS, ctx);
  if (m->train.eval_loss)
    fn(&m->train.eval_loss, ROOT_EVAL_LOSS, ctx);
  for (int i = 0; i < m->train.n_metrics; i++)
    fn(&m->train.metrics[i].node, ROOT_TRAIN_METRIC, ctx);
  for (int i = 0; i < m->eval.n_metrics; i++)
    fn(&m->eval.metrics[i].node, ROOT_EVAL_METRIC, ctx);
  for (int i = 0; i < m->n_outputs; i++)
    fn(&m->outputs[i].node, ROOT_OUTPUT, ctx);
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (p->grad)
      fn(&p->grad, ROOT_GRAD, ctx);
  }
}

typedef struct Reader {
  RootFn fn;
  void *ctx;
} Reader;

static void read_slot(Node **slot, RootKind kind, void *ctx) {
  const Reader *r = ctx;
  r->fn(*slot, kind, r->ctx);
}

void model_roots(const Model *m, RootFn fn, void *ctx) {
  Reader r = {fn, ctx};
  /* read_slot only reads through the slots, so the model stays unchanged */
  model_root_slots((Model *)m, read_slot, &r);
}
