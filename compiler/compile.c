/*
** compile.c — the pipeline of compile.h, in order:
**
**   parse -> sema -> autodiff -> passes -> emit
**
** The graph is verified after every pass; the first phase that reports an
** error ends the compile.
*/
#include "compile.h"

#include <string.h>

#include "emit/emit.h"
#include "emit_dot.h"
#include "parser.h"
#include "passes/pass.h"
#include "schedule.h"

/* The pipeline, in order.  Each pass runs at its -O level and above. */
typedef struct PassEntry {
  const char *name;
  int level;
  void (*run)(Model *m);
  const char *what;
} PassEntry;

static void run_autodiff(Model *m) { ad_differentiate(m); }

static const PassEntry pipeline[] = {
    {"stabilize", 1, pass_stabilize, "fuse sigmoid/softmax with their cross-entropies; stable logs"},
    {"autodiff", 0, run_autodiff, "append the backward graph"},
    {"fold", 1, pass_fold, "constant folding"},
    {"simplify", 1, pass_simplify, "algebraic simplification (x*1, x+0, --x, 1-(1-x))"},
    {"cleanup", 1, pass_cleanup, "CSE and DCE"},
    {"fuse", 2, pass_fuse, "elementwise fusion; reductions fused with their producers"},
    {"byproducts", 0, pass_byproducts, "a fused loss writes the softmax/sigmoid its gradient reads"},
    {"products", 2, pass_products, "matmul_bias; the step's loss computes its logits' product"},
    {"memplan", 2, pass_memplan, "static memory plan: buffers reused by liveness"},
};

int compile_pass_known(const char *name) {
  for (size_t i = 0; i < sizeof pipeline / sizeof pipeline[0]; i++)
    if (strcmp(pipeline[i].name, name) == 0)
      return 1;
  return 0;
}

void compile_print_passes(FILE *out) {
  for (size_t i = 0; i < sizeof pipeline / sizeof pipeline[0]; i++)
    fprintf(out, "%-10s -O%d  %s\n", pipeline[i].name, pipeline[i].level, pipeline[i].what);
}

/* Runs the pipeline of the chosen -O level, verifying the graph after each
   pass and printing it after the one --print-after names. */
static void run_pipeline(Model *m, const CompileOptions *o) {
  for (size_t i = 0; i < sizeof pipeline / sizeof pipeline[0]; i++) {
    const PassEntry *p = &pipeline[i];
    if (o->opt_level < p->level)
      continue;
    p->run(m);
    ir_verify(m->graph);
    if (o->print_after && strcmp(o->print_after, p->name) == 0)
      ir_print(stderr, m);
    if (diag_error_count())
      return;
  }
}

/* The size of program mgc takes (docs/limits.md).  Compile time and memory
   grow linearly with it (about 10 KB of memory per line of a chain of lets
   at -O1); the limits keep a runaway generated file from exhausting memory. */
enum { MAX_LINES = 200000, MAX_BYTES = 16 << 20 };

static int within_limits(const Source *src) {
  if (src->length > MAX_BYTES) {
    Loc file = {0, 0, 0, 0};
    diag_error(file, "the file is %ld bytes, more than mgc's limit of %d MiB", src->length, MAX_BYTES >> 20);
    return 0;
  }
  int line = 1;
  for (long i = 0; i < src->length; i++)
    if (src->text[i] == '\n' && ++line > MAX_LINES && i + 1 < src->length) {
      Loc loc = {line, 1, line, 2};
      diag_error(loc, "the program is longer than %d lines, mgc's limit", MAX_LINES);
      return 0;
    }
  return 1;
}

Model *compile_model(Arena *a, const Source *src, const CompileOptions *o) {
  if (!within_limits(src))
    return NULL;
  Program prog = {{0}};
  /* After syntax errors sema still checks the statements that parsed, so
     one run reports every error in the file. */
  if (mg_parse_source(src, a, &prog) == MG_PARSE_FAILED)
    return NULL;
  Model *m = sema_check(a, &prog, src->path, o->f64);
  if (diag_error_count())
    return NULL;
  m->block_rows = o->block_rows;
  m->opt_level = o->opt_level;
  m->f64 = o->f64;
  ir_verify(m->graph);
  run_pipeline(m, o);
  return diag_error_count() ? NULL : m;
}

int compile_emit(Model *m, const Source *src, const CompileOptions *o, FILE *out, FILE *header) {
  if (o->emit == EMIT_IR) {
    ir_print(out, m);
    return ferror(out) ? -1 : 0;
  }
  if (o->emit == EMIT_DOT)
    return emit_dot(out, m) == 0 ? 0 : -1;
  if (o->emit == EMIT_LIB) {
    EmitOptions eo = {o->f64, !o->annotate_none, 1, o->prefix ? o->prefix : m->name, o->header_name, header};
    return emit_program(out, m, src->text, eo) == 0 && !ferror(header) ? 0 : -1;
  }
  EmitOptions eo = {o->f64, !o->annotate_none, 0, NULL, NULL, NULL};
  return emit_program(out, m, src->text, eo);
}

void compile_print_stats(Model *m, const CompileOptions *o) {
  EmitOptions eo = {o->f64, 1, 0, NULL, NULL, NULL};
  MemStats st;
  emit_memory_stats(m, eo, &st);
  printf("%s: memory in bytes\n", m->name);
  printf("  params              %ld\n", st.param_bytes);
  printf("  gradients           %ld\n", st.grad_bytes);
  printf("  optimizer state     %ld\n", st.optimizer_bytes);
  printf("  activations         %ld per row + %ld (%d buffers in %d slots%s)\n", st.activation_per_row,
         st.activation_fixed, st.buffers, st.slots, m->plan.planned ? ", memory plan" : "");
}

/* The libmgrt call of a fused product operator, as the emitter names it. */
static const char *product_call(Model *m, const Node *n) {
  const char *kind = schedule_product_kind(schedule_of(m), n);
  if (n->op == OP_MATMUL_BIAS)
    return arena_printf(m->graph->arena, "mgrt_matmul_%s_bias%s", kind, m->f64 ? "_f64" : "");
  return arena_printf(m->graph->arena, "mgrt_matmul_%s_softmax_ce", kind);
}

/* --explain: the rewrites of the passes, then the fusions in the final
   graph that the program computes: the byproducts a loss's kernel writes
   (passes/byproducts.c) and the fused product operators (passes/products.c),
   each with the libmgrt call the generated C makes for it. */
void compile_print_explain(Model *m, const Source *src) {
  int notes = 0;
  for (int i = 0; i < m->rewrites.len; i++, notes++) {
    const RewriteNote *n = m->rewrites.items[i];
    fprintf(stderr, "%s:%d:%d: note: %s\n", src->path, n->loc.line, n->loc.col, n->what);
  }
  const Schedule *s = schedule_of(m);
  for (int i = 0; i < m->graph->nodes.len; i++) {
    const Node *n = m->graph->nodes.items[i];
    if (!s->buffer[i])
      continue;
    if (n->op == OP_MATMUL_BIAS) {
      fprintf(stderr, "%s:%d:%d: note: the product and the bias added to it in one call (%s)\n", src->path,
              n->loc.line, n->loc.col, product_call(m, n));
      notes++;
    } else if (op_info[n->op].flags & F_BYPRODUCT && n->in[0]->op != OP_MATMUL_SOFTMAX_CE) {
      static const char *const what[] = {"softmax(z)", "sigmoid(z)", "the logits' gradient"};
      fprintf(stderr, "%s:%d:%d: note: in the training step, the loss's kernel also writes %s (%s), which the "
                      "backward pass reads\n",
              src->path, n->loc.line, n->loc.col,
              what[n->op == OP_LOSS_SOFTMAX ? 0 : n->op == OP_LOSS_SIGMOID ? 1 : 2], op_info[n->op].spelling);
      notes++;
    } else if (n->op == OP_MATMUL_SOFTMAX_CE) {
      /* its byproducts are said here */
      const Node *probs = ir_byproduct(m->graph, n, OP_LOSS_SOFTMAX);
      const Node *grad = ir_byproduct(m->graph, n, OP_LOSS_LOGITS_GRAD);
      fprintf(stderr, "%s:%d:%d: note: in the training step, the logits' product, the softmax cross-entropy%s%s "
                      "in one call (%s)\n",
              src->path, n->loc.line, n->loc.col, probs && s->buffer[probs->id] ? ", the softmax" : "",
              grad ? " and the logits' gradient" : "", product_call(m, n));
      notes++;
    }
  }
  if (!notes)
    fprintf(stderr, "%s: note: no rewrite fired\n", src->path);
}
