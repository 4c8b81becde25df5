/*
** phase.c — a phase of the program as one function over the whole batch
** (forward, backward, evaluate_batch, predict_outputs...): the kernels of
** the phase's nodes, in order.
*/
#include "emit/step/step.h"
#include "schedule.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

void emit_phase(Emitter *e, const char *name, const char *doc, const char *set, int train) {
  P("/* %s */\n", doc);
  P("static void %s(Model *m) {\n", name);
  int any = 0;
  for (int i = 0; i < e->g->nodes.len; i++) {
    Node *n = e->g->nodes.items[i];
    if (!set[i] || !e->is_buffer[i] || (train && e->schedule->by_loss[i]))
      continue;
    if (any)
      P("\n");
    emit_kernel_comment(e, n);
    P("  {\n");
    emit_kernel(e, n, train);
    P("  }\n");
    any = 1;
  }
  if (!any)
    P("  (void)m;\n");
  P("}\n\n");
}

