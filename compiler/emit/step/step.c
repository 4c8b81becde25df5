/*
** step.c — train_step: one training step's computation on the current
** batch (the loss, train's metrics on logged steps, the gradients).
**
** Whole-batch steps call forward, compute_metrics and backward on the
** batch (emit_phase).  When rowblock.c finds that the step can run in blocks
** of rows, forward, compute_metrics and backward are written here as
** functions of a block (rows r0 .. r0 + rows - 1), and train_step calls them
** block after block, in the order the memory plan assumes, then stores the
** totals of the sums over rows and computes what reads them.  The block
** functions hold the same kernels as the whole-batch ones, with the
** batch's row count replaced by the block's (Emitter.block_rows), batch
** inputs starting at the block's first row, and the sums over rows adding
** their part to `sums` (emit_sum_store).
*/
#include "emit/step/step.h"
#include "schedule.h"

#define P(...) emit_out(e, __VA_ARGS__)

/* The phases of a step, in the memory plan's order. */
static const char *phase_set(const Schedule *s, int k) {
  return k == 0 ? s->forward : k == 1 ? s->metrics : s->backward;
}

static int emitted(const Emitter *e, int i) {
  const Node *n = e->g->nodes.items[i];
  return e->is_buffer[i] && !(op_info[n->op].flags & F_BYPRODUCT); /* its loss's kernel writes it */
}

/* A dropout mask is drawn for the whole batch before the blocks. */
static int drawn_before_blocks(const Emitter *e, int i) {
  return ((const Node *)e->g->nodes.items[i])->op == OP_DROPOUT_MASK;
}

/* Whether node i of `set` has a kernel in the block functions. */
static int in_block(const Emitter *e, const char *set, int i) {
  return set[i] && emitted(e, i) && e->schedule->block[i] != BLOCK_AFTER && !drawn_before_blocks(e, i);
}

static void emit_block_kernels(Emitter *e, const char *set) {
  e->block_rows = "rows";
  int any = 0;
  for (int i = 0; i < e->g->nodes.len; i++) {
    if (!in_block(e, set, i))
      continue;
    if (any)
      P("\n");
    any = 1;
    emit_kernel_block(e, e->g->nodes.items[i], 1, NULL);
  }
  e->block_rows = NULL;
}

/* One phase as a function of a block of rows: its kernels that run per
   block, the batch's rows replaced by the block's.  The parameters that no
   kernel refers to (emit_kernel_refs) are said to be unused, for -Wextra. */
static void emit_block_phase(Emitter *e, int k, const char *name, const char *doc) {
  const char *set = phase_set(e->schedule, k);
  KernelRefs refs = {0, 0, 0, 0};
  for (int i = 0; i < e->g->nodes.len; i++)
    if (in_block(e, set, i))
      emit_kernel_refs(e, e->g->nodes.items[i], &refs);
  P("/* %s */\n", doc);
  P("static void %s(Model *m, int64_t r0, int64_t rows, double *sums) {\n", name);
  const char *unused[] = {refs.model ? NULL : "m", refs.r0 ? NULL : "r0", refs.rows ? NULL : "rows",
                          refs.sums ? NULL : "sums"};
  for (int p = 0; p < 4; p++)
    if (unused[p])
      P("  (void)%s;\n", unused[p]);
  emit_block_kernels(e, set);
  P("}\n\n");
}

/* After the blocks: the totals of the sums over rows and what reads them,
   for phase k, each after `first` or a blank line (indented by e->indent
   more than the function's body). */
static int emit_after_blocks(Emitter *e, int k, const char *first) {
  const Schedule *s = e->schedule;
  const char *set = phase_set(s, k);
  int any = 0;
  for (int i = 0; i < e->g->nodes.len; i++) {
    Node *n = e->g->nodes.items[i];
    int total = s->block[i] == BLOCK_SUM && s->sum_at[i] >= 0;
    if (!set[i] || !emitted(e, i) || !(total || s->block[i] == BLOCK_AFTER))
      continue;
    P("%s", any ? "\n" : first);
    any = 1;
    if (!total) {
      emit_kernel_block(e, n, 1, NULL);
      continue;
    }
    int at = s->sum_at[i];
    long width = (long)shape_static_numel(n->shape);
    const char *count = e->sum_count[i];
    const char *what = n->name ? n->name : e->names[i] + 3;
    const char *idx = width == 1 ? "" : " + i";
    const char *sum = arena_printf(e->arena, "sums[%d%s]", at, idx);
    const char *value = count ? arena_printf(e->arena, "(%s)(%s / (double)(%s))", e->real, sum, count)
                              : arena_printf(e->arena, "(%s)%s", e->real, sum);
    P("  /* %s: the total of the blocks' parts%s */\n", what, count ? ", as a mean" : "");
    if (width == 1) {
      P("  %s[0] = %s;\n", e->names[i], value);
    } else {
      P("  for (int64_t i = 0; i < %ld; i++)\n", width);
      P("    %s[i] = %s;\n", e->names[i], value);
    }
  }
  return any;
}

/* The step's sums over rows, added across the job's processes in one
   reduction (runtime/dist.c): the sums array and every weight gradient
   that the blocks summed over rows.  Nothing to add in a one-process run;
   the call returns at once. */
static void emit_sum_across_processes(Emitter *e) {
  const Schedule *s = e->schedule;
  int n_parts = 0;
  P("  /* every process's part of the sums over rows, added up (one reduction\n"
    "     across the processes of an MPI job; nothing to do in one process) */\n");
  P("  {\n");
  for (int i = 0; i < e->g->nodes.len; i++) {
    const Node *n = e->g->nodes.items[i];
    int in_step = s->forward[i] || s->metrics[i] || s->backward[i];
    if (!in_step || !emitted(e, i) || s->block[i] != BLOCK_SUM || s->sum_at[i] >= 0)
      continue;
    P("%s", n_parts ? "" : "    mgrt_dist_part parts[] = {\n");
    P("      {%s, %s, %ld},\n", e->opt.f64 ? "NULL" : e->names[i], e->opt.f64 ? e->names[i] : "NULL",
      (long)shape_static_numel(n->shape));
    n_parts++;
  }
  if (n_parts)
    P("    };\n");
  P("    mgrt_dist_sum_step(sums, %d, %s, %d, end > m->row_begin);\n", s->n_sums, n_parts ? "parts" : "NULL",
    n_parts);
  P("  }\n");
}

/* The step's dropout masks, for the whole batch and in the forward pass's
   order, as PyTorch draws them: every process draws all of them (the same
   draws) and its blocks read their rows. */
static void emit_masks_before_blocks(Emitter *e) {
  for (int i = 0; i < e->g->nodes.len; i++) {
    if (!e->schedule->forward[i] || !emitted(e, i) || !drawn_before_blocks(e, i))
      continue;
    emit_kernel_block(e, e->g->nodes.items[i], 1, "a dropout mask for the whole batch");
  }
}

static void emit_blocked_step(Emitter *e) {
  const Schedule *s = e->schedule;
  int rows = s->block_rows, has_metrics = 0;
  for (int i = 0; i < e->g->nodes.len; i++)
    has_metrics |= s->metrics[i] && emitted(e, i);
  emit_block_phase(e, 0, "forward",
                   "The forward pass (training mode) on rows r0 .. r0 + rows - 1 of the\n"
                   "   batch: the block's activations, and the block's part of the loss added\n"
                   "   to sums.");
  if (has_metrics)
    emit_block_phase(e, 1, "compute_metrics", "Train's metrics from the same rows' forward pass: their parts, added to sums.");
  emit_section(e, "Backward pass: gradients of the loss, in reverse order of the forward pass");
  emit_block_phase(e, 2, "backward",
                   "d loss / d param from rows r0 .. r0 + rows - 1: each weight gradient's\n"
                   "   product over the block's rows added to it, each other sum's part added\n"
                   "   to sums.");
  P("/* One training step on the current batch, in blocks of %d rows: the\n"
    "   forward pass, train's metrics when logged, and the backward pass of each\n"
    "   block in turn, so that the block's inputs and activations are still in\n"
    "   cache when the backward pass reads them again.  The sums over rows (the\n"
    "   loss, the metrics, the gradients) are stored after the last block. */\n", rows);
  P("static void train_step(Model *m, int logged) {\n");
  if (!has_metrics)
    P("  (void)logged;\n");
  P("  double sums[%d] = {0};  /* the sums over rows, so far */\n", s->n_sums ? s->n_sums : 1);
  emit_masks_before_blocks(e);
  P("  /* this process's rows of the batch: all of them in a one-process run */\n");
  P("  int64_t end;\n  mgrt_dist_slice(m->N, &m->row_begin, &end);\n");
  P("  for (int64_t r0 = m->row_begin; r0 < end; r0 += %d) {\n", rows);
  P("    const int64_t rows = end - r0 < %d ? end - r0 : %d;\n", rows, rows);
  P("    forward(m, r0, rows, sums);\n");
  if (has_metrics)
    P("    if (logged)\n      compute_metrics(m, r0, rows, sums);\n");
  P("    backward(m, r0, rows, sums);\n");
  P("  }\n");
  emit_sum_across_processes(e);
  emit_after_blocks(e, 0, "");
  if (has_metrics) {
    P("  if (logged) {\n");
    e->indent += 2;
    emit_after_blocks(e, 1, "");
    e->indent -= 2;
    P("  }\n");
  }
  emit_after_blocks(e, 2, "\n");
  P("}\n\n");
}

void emit_train_step(Emitter *e) {
  if (e->schedule->block_rows) {
    emit_blocked_step(e);
    return;
  }
  P("/* One training step on the current batch: the loss, train's metrics when\n"
    "   logged, and the gradients. */\n");
  int metrics = !e->opt.library && emit_phase_has_kernels(e, e->schedule->metrics);
  P("static void train_step(Model *m, int logged) {\n");
  if (!metrics)
    P("  (void)logged;  /* no metrics to compute */\n");
  P("  forward(m);\n");
  if (metrics)
    P("  if (logged)\n    compute_metrics(m);\n");
  if (emit_phase_has_kernels(e, e->schedule->backward))
    P("  backward(m);\n");
  P("}\n\n");
}
