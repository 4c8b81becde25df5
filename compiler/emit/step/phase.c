/*
** phase.c — a phase of the program as one function over the whole batch
** (forward, backward, evaluate_batch, predict_outputs...): the kernels of
** the phase's nodes, in order.
*/
#include "emit/step/step.h"
#include "schedule.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

/* Whether node i of `set` has a kernel in a phase: a byproduct has none,
   its loss's kernel writes it. */
static int has_kernel(const Emitter *e, const char *set, int i) {
  const Node *n = e->g->nodes.items[i];
  return set[i] && e->is_buffer[i] && !(op_info[n->op].flags & F_BYPRODUCT);
}

int emit_phase_has_kernels(const Emitter *e, const char *set) {
  for (int i = 0; i < e->g->nodes.len; i++)
    if (has_kernel(e, set, i))
      return 1;
  return 0;
}

void emit_phase(Emitter *e, const char *name, const char *doc, const char *set, int train) {
  MGC_ASSERT(emit_phase_has_kernels(e, set));
  e->phase = set;
  P("/* %s */\n", doc);
  P("static void %s(Model *m) {\n", name);
  const char *between = "";
  for (int i = 0; i < e->g->nodes.len; i++) {
    if (!has_kernel(e, set, i))
      continue;
    P("%s", between);
    emit_kernel_block(e, e->g->nodes.items[i], train, NULL);
    between = "\n";
  }
  P("}\n\n");
  e->phase = NULL;
}
