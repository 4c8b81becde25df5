/*
** index.c — the kernels of x[i, :, ...] (index) and of its gradient
** (index_grad).
**
** Both loop over the kept dimensions of the indexed value x, in order, with
** the fixed ones at their position: index copies those elements of x to
** its result, row-major; index_grad clears the whole gradient of x and
** writes g into those elements, so every element that was not picked has
** gradient 0.
*/
#include "emit/kernels/kernels.h"

#define P(...) emit_out(e, __VA_ARGS__)

/* The flat position in x (shape s) of the element at the loop indices of
   the kept dims and the fixed positions of the others. */
static const char *source_index(Emitter *e, Shape s, const Attrs *a) {
  const char *idx = NULL;
  long fixed = 0;        /* the fixed positions' part, when its strides are constants */
  for (int k = 0; k < s.rank; k++) {
    Shape rest = shape_of(s.rank - k - 1, s.dims + k + 1);
    const char *stride = emit_numel(e, rest);
    const char *term;
    if (a->subscript.keep[k]) {
      term = shape_static_numel(rest) == 1 && !shape_has_sym(rest) ? arena_printf(e->arena, "i%d", k)
                                                                    : arena_printf(e->arena, "i%d * %s", k, stride);
    } else if (a->subscript.at[k] == 0) {
      continue;
    } else if (!shape_has_sym(rest)) {
      fixed += a->subscript.at[k] * (long)shape_static_numel(rest);
      continue;
    } else {
      term = arena_printf(e->arena, "%ld * %s", a->subscript.at[k], stride);
    }
    idx = idx ? arena_printf(e->arena, "%s + %s", idx, term) : term;
  }
  if (fixed)
    idx = idx ? arena_printf(e->arena, "%s + %ld", idx, fixed) : arena_printf(e->arena, "%ld", fixed);
  return idx ? idx : "0";
}

/* The flat position in the kept dims' array (the index's result, the
   gradient's g) of the element at the loop indices. */
static const char *kept_index(Emitter *e, Shape s, const Attrs *a) {
  const char *idx = NULL, *stride = NULL;
  for (int k = s.rank - 1; k >= 0; k--) {
    if (!a->subscript.keep[k])
      continue;
    const char *term = stride ? arena_printf(e->arena, "i%d * %s", k, stride) : arena_printf(e->arena, "i%d", k);
    idx = idx ? arena_printf(e->arena, "%s + %s", term, idx) : term;
    const char *d = emit_dim(e, s.dims[k]);
    stride = stride ? arena_printf(e->arena, "%s * %s", d, stride) : d;
  }
  return idx ? idx : "0";
}

/* Loops over the kept dims of s; returns how many were opened. */
static int open_kept_loops(Emitter *e, Shape s, const Attrs *a) {
  int depth = 0;
  for (int k = 0; k < s.rank; k++)
    if (a->subscript.keep[k]) {
      P("%*sfor (int64_t i%d = 0; i%d < %s; i%d++)\n", 2 + 2 * depth, "", k, k, emit_dim(e, s.dims[k]), k);
      depth++;
    }
  return depth;
}

/* y = x[...]: y[kept] = x[picked] */
void emit_index(Emitter *e, Node *n) {
  Node *x = n->in[0];
  Shape s = x->shape;
  int depth = open_kept_loops(e, s, &n->attr);
  P("%*s%s[%s] = %s[%s];\n", 2 + 2 * depth, "", e->names[n->id], kept_index(e, s, &n->attr), e->names[x->id],
    source_index(e, s, &n->attr));
}

/* dx = index_grad(g): zeros, then dx[picked] = g[kept] */
void emit_index_grad(Emitter *e, Node *n) {
  Node *g = n->in[0];
  Shape s = n->shape;
  P("  for (int64_t i = 0; i < %s; i++)\n", emit_numel(e, s));
  P("    %s[i] = 0;\n", e->names[n->id]);
  int depth = open_kept_loops(e, s, &n->attr);
  P("%*s%s[%s] = %s[%s];\n", 2 + 2 * depth, "", e->names[n->id], source_index(e, s, &n->attr), e->names[g->id],
    kept_index(e, s, &n->attr));
}
