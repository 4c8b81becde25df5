/*
** pass.h — the optimization passes.  Each pass is `void pass_NAME(Model *m)`
** in a file of its own, opening with what it requires and preserves.  Passes
** rewrite by rebuilding the graph (pass_rebuild): nodes are copied in
** topological order into a new graph, where a rewrite function may replace
** them; hash-consing merges equal nodes and only what the program computes
** is copied, so every rebuild is also CSE and DCE.
*/
#ifndef MGC_PASS_H
#define MGC_PASS_H

#include "model.h"

/* Returns the replacement of `old` in r->to, or NULL to copy it as it is.
   Operands of old are already mapped: r->map[old->in[i]->id]. */
typedef Node *(*RewriteFn)(Rebuild *r, Node *old, void *ctx);

/* Rebuilds m->graph through fn and updates every reference the model holds
   (inputs, params, gradients, loss, metrics, outputs). */
void pass_rebuild(Model *m, RewriteFn fn, void *ctx);
/* Records a rewrite that produced `node`, for --explain. */
/* A loop's body (ir_scan.h) rebuilt through fn as pass_rebuild rebuilds
   the graph (ctx: the body's use counts), then what the step no longer
   needs dropped: a pass that works inside loops calls it from its rewrite
   of a scan or scan_back. */
struct Scan *pass_rebuild_scan(Arena *a, const struct Scan *sc, RewriteFn fn);

void pass_note(Model *m, Node *node, Loc loc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Drops the notes of rewrites whose result is no longer in the graph. */
void pass_prune_notes(Model *m);
/* Marks the nodes the program computes (from the model's roots). */
char *pass_live(Model *m);
/* Counts, per node, the live nodes and roots that use it. */
int *pass_use_counts(Model *m, const char *live);

void pass_stabilize(Model *m);
void pass_fold(Model *m);
void pass_simplify(Model *m);
void pass_cleanup(Model *m);
void pass_fuse(Model *m);
void pass_byproducts(Model *m);
void pass_products(Model *m);
void pass_memplan(Model *m);

#endif
