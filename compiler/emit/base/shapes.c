/*
** shapes.c — sizes as the generated C spells them: a dimension as a loop
** bound, element counts, the count a mean divides by, an input's row width,
** and where a batch array starts inside a row block.
*/
#include "emit/base/base.h"

/* The batch's rows as loops see them: the block's inside a row block. */
static const char *loop_rows(Emitter *e) { return e->block_rows ? e->block_rows : "m->N"; }

/* rows, or rows * T for the rows of every step of a sequence */
static const char *batch_dim(Emitter *e, Dim d, const char *rows) {
  return dim_factor(d) == 1 ? rows : arena_printf(e->arena, "%s * %ld", rows, d.n);
}

const char *emit_dim(Emitter *e, Dim d) {
  return d.sym ? batch_dim(e, d, loop_rows(e)) : arena_printf(e->arena, "%ld", d.n);
}

const char *emit_dim_count(Emitter *e, Dim d) {
  return d.sym ? batch_dim(e, d, "m->N") : arena_printf(e->arena, "%ld", d.n);
}

static const char *numel_with(Emitter *e, Shape s, const char *rows) {
  const char *sym = NULL;
  long n = 1;
  for (int i = 0; i < s.rank; i++) {
    if (s.dims[i].sym)
      sym = rows;
    n *= dim_factor(s.dims[i]);
  }
  if (!sym)
    return arena_printf(e->arena, "%ld", n);
  return n == 1 ? sym : arena_printf(e->arena, "%s * %ld", sym, n);
}

const char *emit_numel(Emitter *e, Shape s) { return numel_with(e, s, loop_rows(e)); }

const char *emit_count(Emitter *e, Shape s) { return numel_with(e, s, "m->N"); }


/* The array of node x as the current code sees it: a batch input or a
   dropout mask (drawn for the whole batch) inside a row block starts at the
   block's first row (r0); everything else at its start (a row block's
   activations hold just the block). */
int emit_reads_from_r0(const Node *x) {
  return (x->op == OP_INPUT || x->op == OP_DROPOUT_MASK) && x->shape.rank >= 1 && x->shape.dims[0].sym;
}

const char *emit_rows_from(Emitter *e, Node *x, const char *name) {
  if (!e->block_rows || !emit_reads_from_r0(x))
    return name;
  long width = (long)shape_static_numel(shape_of(x->shape.rank - 1, x->shape.dims + 1));
  return width == 1 ? arena_printf(e->arena, "%s + r0", name) : arena_printf(e->arena, "%s + r0 * %ld", name, width);
}

