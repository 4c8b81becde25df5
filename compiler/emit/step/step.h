/*
** step.h — the emitter's step layer: functions made of kernels.  It writes
** with kernels/ and base/ and is called by program/.
*/
#ifndef MGC_EMIT_STEP_H
#define MGC_EMIT_STEP_H

#include "emit/kernels/kernels.h"

/* ---- phase.c ------------------------------------------------------------------ */

/* Whether a phase of the nodes in `set` has anything to compute. */
int emit_phase_has_kernels(const Emitter *e, const char *set);
/* static void NAME(Model *m): the kernels of the nodes in `set`, in order,
   over the whole batch; doc is its comment.  Only for a phase that has
   kernels: a phase with nothing to do is neither written nor called. */
void emit_phase(Emitter *e, const char *name, const char *doc, const char *set, int train);

/* ---- step.c ------------------------------------------------------------------- */

/* train_step(m, logged), whole or in blocks of rows (with the block
   functions forward, compute_metrics and backward it calls). */
void emit_train_step(Emitter *e);

#endif
