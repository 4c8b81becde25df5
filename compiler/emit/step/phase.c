/*
** phase.c — a phase of the program as one function over the whole batch
** (forward, backward, evaluate_batch, predict_outputs...): the kernels of
** the phase's nodes, in order.
*/
#include "emit/step/step.h"
#include "schedule.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

/* Whether node i of `set` has a kernel in a phase (in the training step, a
   fused loss writes some nodes itself). */
static int has_kernel(const Emitter *e, const char *set, int i, int train) {
  return set[i] && e->is_buffer[i] && !(train && e->schedule->by_loss[i]);
}

int emit_phase_has_kernels(const Emitter *e, const char *set, int train) {
  for (int i = 0; i < e->g->nodes.len; i++)
    if (has_kernel(e, set, i, train))
      return 1;
  return 0;
}

void emit_phase(Emitter *e, const char *name, const char *doc, const char *set, int train) {
  MGC_ASSERT(emit_phase_has_kernels(e, set, train));
  P("/* %s */\n", doc);
  P("static void %s(Model *m) {\n", name);
  const char *between = "";
  for (int i = 0; i < e->g->nodes.len; i++) {
    if (!has_kernel(e, set, i, train))
      continue;
    P("%s", between);
    emit_kernel_block(e, e->g->nodes.items[i], train, NULL);
    between = "\n";
  }
  P("}\n\n");
}
