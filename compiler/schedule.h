/*
** schedule.h — what the generated program computes where.
**
** The training step runs forward (what the loss needs), then on logged
** steps compute_metrics (what train's metrics need besides), then backward
** (what the gradients need besides).  evaluate_batch computes the loss and
** eval's metrics; predict computes the outputs.  Every computed node gets a
** buffer, except a transpose that only matrix products read (they read the
** operand transposed) and gradients of params, which live with the params.
*/
#ifndef MGC_SCHEDULE_H
#define MGC_SCHEDULE_H

#include "model.h"

typedef struct Schedule {
  char *forward, *metrics, *backward, *eval, *predict;  /* node sets, by id */
  char *evaluate;        /* library mode: the loss and train's metrics */
  char *buffer;          /* the node has an array of its own */
  char *in_param_block;  /* a param's gradient: allocated with the params */
  /* In the training step a fused loss also writes the probabilities its
     gradient reads (softmax_cross_entropy: softmax(z); bce_with_logits:
     sigmoid(z)), so exp runs once per logit.  companion[loss id] is that
     node; by_companion marks it (its own kernel is not emitted there). */
  Node **companion;
  char *by_companion;
} Schedule;

Schedule *schedule_build(Model *m);
/* Adds to `set` every node that root needs (itself included). */
void schedule_collect(const Graph *g, const Node *root, char *set);

#endif
