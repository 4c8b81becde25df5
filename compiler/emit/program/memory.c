/*
** memory.c — the model's storage in the generated C: the Model struct,
** model_alloc_params (parameters, gradients and optimizer state in one
** block), model_reserve (every activation of a batch in one block, laid out
** by the memory plan) and the memory figures (mgc --stats and the #defines).
*/
#include <ctype.h>
#include <string.h>

#include "emit/program/program.h"
#include "schedule.h"

#define P(...) fprintf(e->out, __VA_ARGS__)
#define member emit_member

/* Two params can share one gradient node (hash-consing found them equal);
   the first of them owns its buffer. */
static int first_param_with_grad(Model *m, Node *grad) {
  for (int i = 0; i < m->params.len; i++)
    if (((Param *)m->params.items[i])->grad == grad)
      return i;
  return -1;
}

/* The most room one step of a loop over time (scan) needs; 0 without loops. */
static int scan_scratch(const Emitter *e, long *per_row, long *fixed) {
  int any = 0;
  *per_row = *fixed = 0;
  for (int i = 0; i < e->g->nodes.len; i++) {
    const Node *n = e->g->nodes.items[i];
    if (!e->is_buffer[i] || (n->op != OP_SCAN && n->op != OP_SCAN_BACK))
      continue;
    long r, f;
    emit_scan_scratch(n, &r, &f);
    *per_row = r > *per_row ? r : *per_row;
    *fixed = f > *fixed ? f : *fixed;
    any = 1;
  }
  return any;
}

void emit_struct(Emitter *e) {
  Model *m = e->m;
  if (e->opt.library)
    P("typedef struct %s_model {\n", e->opt.prefix);
  else
    P("typedef struct Model {\n");
  if (e->opt.library)
    P("  char error[512];     /* why the last call failed */\n");
  P("  int64_t N;           /* rows in the current batch */\n");
  P("  int64_t capacity;    /* rows the batch buffers can hold */\n");
  P("  int64_t step;        /* optimizer steps taken */\n");
  if (e->schedule->block_rows)
    P("  int64_t row_begin;   /* this process's first row of the batch (0 in one process) */\n");
  P("  mgrt_rng rng;        /* the one random stream, as torch.manual_seed makes it */\n");
  P("  void *param_block;   /* parameters, gradients and optimizer state */\n");
  P("  void *batch_block;   /* activations and their gradients */\n");
  if (e->schedule->scratch_elems)
    P("  %s *block_scratch;  /* a row block's part of a weight gradient */\n", e->real);
  P("\n  /* parameters */\n");
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    P("  %s *%s;  /* %s */\n", e->real, member(e, p->node), shape_str(e->arena, e->g, p->shape));
  }
  P("\n  /* gradients of the loss */\n");
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (p->grad && first_param_with_grad(m, p->grad) == i)
      P("  %s *%s;  /* d %s / d %s */\n", e->real, member(e, p->grad), m->train.loss_name, p->name);
  }
  Optimizer *opt = &m->train.opt;
  if (opt->kind == OPT_ADAM || opt->momentum != 0) {
    P("\n  /* optimizer state */\n");
    for (int i = 0; i < m->params.len; i++) {
      Param *p = m->params.items[i];
      if (!p->grad)
        continue;
      if (opt->kind == OPT_ADAM)
        P("  %s *exp_avg_%s, *exp_avg_sq_%s;\n", e->real, p->c_name, p->c_name);
      else
        P("  %s *momentum_%s;\n", e->real, p->c_name);
    }
  }
  P("\n  /* inputs of the current batch */\n");
  for (int i = 0; i < m->inputs.len; i++) {
    Input *in = m->inputs.items[i];
    P("  %s *%s;  /* %s */\n", emit_type_of(e, in->node), member(e, in->node), shape_str(e->arena, e->g, in->shape));
  }
  long per_row, fixed;
  if (scan_scratch(e, &per_row, &fixed))
    P("  %s *step_scratch;  /* one step's values of a loop over time */\n", e->real);
  P("\n  /* values and gradients */\n");
  for (int i = 0; i < e->g->nodes.len; i++) {
    Node *n = e->g->nodes.items[i];
    if (e->is_buffer[i] && !e->in_param_block[i])
      P("  %s *%s;  /* %s */\n", emit_type_of(e, n), member(e, n), shape_str(e->arena, e->g, n->shape));
  }
  P("} Model;\n");
}

/* Bytes for a buffer of shape s at `rows` rows, as a C expression. */
static const char *bytes_expr(Emitter *e, Node *n, const char *rows) {
  long static_n = shape_static_numel(n->shape);
  const char *t = emit_type_of(e, n);
  if (shape_has_sym(n->shape))
    return arena_printf(e->arena, "sizeof(%s) * %ld * (size_t)%s", t, static_n, rows);
  return arena_printf(e->arena, "sizeof(%s) * %ld", t, static_n);
}

static void emit_reserve(Emitter *e);

/* One array of the parameter block: its member (NULL: none) and size. */
typedef struct {
  const char *member, *size;
} ParamArray;

void emit_alloc(Emitter *e) {
  Model *m = e->m;
  Optimizer *opt = &m->train.opt;
  ParamArray *arrays = ARENA_ARRAY(e->arena, ParamArray, 4 * m->params.len + 2);
  int n = 0;
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    const char *size = arena_printf(e->arena, "round64(%s)", bytes_expr(e, p->node, "1"));
    arrays[n++] = (ParamArray){p->c_name, size};
    if (!p->grad)
      continue;
    /* a gradient shared by two params is allocated once */
    if (first_param_with_grad(m, p->grad) == i)
      arrays[n++] = (ParamArray){member(e, p->grad), size};
    if (opt->kind == OPT_ADAM) {
      arrays[n++] = (ParamArray){arena_printf(e->arena, "exp_avg_%s", p->c_name), size};
      arrays[n++] = (ParamArray){arena_printf(e->arena, "exp_avg_sq_%s", p->c_name), size};
    } else if (opt->momentum != 0) {
      arrays[n++] = (ParamArray){arena_printf(e->arena, "momentum_%s", p->c_name), size};
    }
  }
  if (e->schedule->scratch_elems)
    arrays[n++] = (ParamArray){"block_scratch", arena_printf(e->arena, "round64(sizeof(%s) * %ld)", e->real,
                                                             e->schedule->scratch_elems)};
  P("/* Sizes are rounded up to 64 bytes so every array starts on a cache line. */\n");
  P("static size_t round64(size_t n) { return (n + 63) / 64 * 64; }\n\n");
  P("/* One allocation for parameters, gradients and optimizer state. */\n");
  P("static int model_alloc_params(Model *m) {\n");
  if (!n) {
    P("  m->param_block = NULL;  /* the model has no parameters */\n  return 0;\n}\n\n");
    emit_reserve(e);
    return;
  }
  P("  const size_t sizes[] = {\n");
  int width = 0;
  for (int k = 0; k < n; k++)
    width = (int)strlen(arrays[k].size) + 1 > width ? (int)strlen(arrays[k].size) + 1 : width;
  for (int k = 0; k < n; k++)
    P("    %-*s  /* %s */\n", width, arena_printf(e->arena, "%s,", arrays[k].size), arrays[k].member);
  P("  };\n");
  P("  size_t total = 0;\n");
  P("  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)\n    total += sizes[i];\n");
  P("  char *block = calloc(1, total + 64);\n");
  P("  if (!block)\n    return -1;\n");
  P("  m->param_block = block;\n");
  P("  char *at = block;\n");
  for (int k = 0; k < n; k++) {
    P("  m->%s = (%s *)at;\n", arrays[k].member, e->real);
    if (k + 1 < n)
      P("  at += sizes[%d];\n", k);
  }
  P("  return 0;\n}\n\n");
  emit_reserve(e);
}

/* The storage slot of every buffer: the memory plan's (-O2), or one slot
   per buffer.  Fills slot_of[] and the node each slot's size is taken from. */
static int plan_slots(Emitter *e, int *slot_of, Node **slot_node) {
  Model *m = e->m;
  int n = e->g->nodes.len, n_slots = 0;
  /* the plan's slots renumbered in order of use: a slot whose buffers
     the program does not allocate (outputs it never computes) is left out */
  int *renumbered = ARENA_ARRAY(e->arena, int, n + 1);
  for (int i = 0; i < n; i++)
    renumbered[i] = -1;
  for (int i = 0; i < n; i++) {
    slot_of[i] = -1;
    if (!e->is_buffer[i] || e->in_param_block[i])
      continue;
    slot_of[i] = m->plan.planned ? m->plan.slot[i] : i;
    MGC_ASSERT(slot_of[i] >= 0 && slot_of[i] < n);
    renumbered[slot_of[i]] = 0; /* in use */
  }
  for (int planned = 0; planned < n; planned++)
    if (renumbered[planned] == 0)
      renumbered[planned] = ++n_slots; /* 1-based for now: 0 meant "in use" */
  for (int i = 0; i < n; i++) {
    if (slot_of[i] < 0)
      continue;
    int s = renumbered[slot_of[i]] - 1;
    slot_of[i] = s;
    slot_node[s] = e->g->nodes.items[i];
  }
  return n_slots;
}

/* Bytes of one node's buffer: the part per batch row and the fixed part. */
static void buffer_bytes(const Emitter *e, const Node *n, long *per_row, long *fixed) {
  long bytes = shape_static_numel(n->shape) * (n->dtype == DT_I64 ? 8 : e->opt.f64 ? 8 : 4);
  if (shape_has_sym(n->shape))
    *per_row += bytes;
  else
    *fixed += bytes;
}

void emit_memory_use(Emitter *e, MemStats *st) {
  Model *m = e->m;
  int real = e->opt.f64 ? 8 : 4;
  memset(st, 0, sizeof *st);
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    long bytes = shape_static_numel(p->shape) * real;
    st->param_bytes += bytes;
    if (!p->grad)
      continue;
    if (first_param_with_grad(m, p->grad) == i) /* a shared gradient is allocated once */
      st->grad_bytes += bytes;
    st->optimizer_bytes += m->train.opt.kind == OPT_ADAM ? 2 * bytes : m->train.opt.momentum != 0 ? bytes : 0;
  }
  /* a row-blocked step's scratch for a block's part of a weight gradient */
  st->grad_bytes += e->schedule->scratch_elems * real;
  int n = e->g->nodes.len;
  int *slot_of = ARENA_ARRAY(e->arena, int, n + 1);
  Node **slot_node = ARENA_ARRAY(e->arena, Node *, n + 1);
  st->slots = plan_slots(e, slot_of, slot_node);
  for (int s = 0; s < st->slots; s++) {
    buffer_bytes(e, slot_node[s], &st->activation_per_row, &st->activation_fixed);
    st->activation_fixed += 64; /* each slot is rounded up to 64 bytes at most */
  }
  for (int i = 0; i < n; i++)
    if (e->is_buffer[i] && !e->in_param_block[i])
      st->buffers++;
}

/* The memory the program uses, as #defines (mgc --stats prints the same). */
void emit_stats_defines(Emitter *e) {
  MemStats st;
  emit_memory_use(e, &st);
  char *up = arena_strdup(e->arena, e->opt.library ? e->opt.prefix : e->m->name);
  for (char *p = up; *p; p++)
    *p = (char)toupper((unsigned char)*p);
  P("\n/* Memory, in bytes: parameters, their gradients, optimizer state, and the\n");
  P("   activations of a batch of `rows` rows (%d buffers in %d slots%s). */\n", st.buffers, st.slots,
    e->m->plan.planned ? " by the memory plan" : "");
  P("#define %s_PARAM_BYTES %ld\n", up, st.param_bytes);
  P("#define %s_GRAD_BYTES %ld\n", up, st.grad_bytes);
  P("#define %s_OPTIMIZER_BYTES %ld\n", up, st.optimizer_bytes);
  P("#define %s_ACTIVATION_BYTES(rows) (%ldu * (size_t)(rows) + %ldu)  /* at most */\n", up,
    st.activation_per_row, st.activation_fixed);
}

static void emit_reserve(Emitter *e) {
  int n = e->g->nodes.len;
  int *slot_of = ARENA_ARRAY(e->arena, int, n + 1);
  Node **slot_node = ARENA_ARRAY(e->arena, Node *, n + 1);
  int n_slots = plan_slots(e, slot_of, slot_node);
  P("/* One allocation for every activation and gradient of a batch of up to\n");
  P("   `rows` rows, made before training (and again only for a larger batch),\n");
  P("   so the training step itself allocates nothing.%s */\n",
    e->m->plan.planned ? "\n   Buffers whose lives do not overlap share memory (the memory plan)." : "");
  P("static int model_reserve(Model *m, int64_t rows) {\n");
  P("  if (rows <= m->capacity)\n    return 0;\n");
  if (!n_slots) { /* nothing to hold */
    P("  m->capacity = rows;\n  return 0;\n}\n\n");
    return;
  }
  P("  size_t slot_size[%d], total = 0;\n", n_slots);
  for (int s = 0; s < n_slots; s++)
    P("  total += slot_size[%d] = round64(%s);\n", s, bytes_expr(e, slot_node[s], "rows"));
  long scan_row, scan_fixed;
  int scans = scan_scratch(e, &scan_row, &scan_fixed);
  if (scans)
    P("  size_t step_size = round64(sizeof(%s) * ((size_t)%ld * (size_t)rows + %ld));  /* step_scratch */\n",
      e->real, scan_row, scan_fixed);
  P("  char *block = calloc(1, total + %s64);\n", scans ? "step_size + " : "");
  P("  if (!block)\n    return -1;\n");
  P("  free(m->batch_block);\n");
  P("  m->batch_block = block;\n");
  P("  m->capacity = rows;\n");
  P("  char *at = block;\n");
  /* The nodes of each slot in id order, as lists threaded through next[]
     (one pass over the nodes, not one per slot). */
  int *head = ARENA_ARRAY(e->arena, int, n_slots + 1), *tail = ARENA_ARRAY(e->arena, int, n_slots + 1);
  int *next = ARENA_ARRAY(e->arena, int, n + 1);
  for (int s = 0; s < n_slots; s++)
    head[s] = tail[s] = -1;
  for (int i = 0; i < n; i++) {
    int s = slot_of[i];
    if (s < 0 || s >= n_slots)
      continue;
    next[i] = -1;
    if (tail[s] < 0)
      head[s] = i;
    else
      next[tail[s]] = i;
    tail[s] = i;
  }
  for (int s = 0; s < n_slots; s++) {
    int first = 1;
    for (int i = head[s]; i >= 0; i = next[i]) {
      Node *node = e->g->nodes.items[i];
      P("  m->%s = (%s *)at;%s\n", member(e, node), emit_type_of(e, node),
        first ? "" : "  /* reuses the memory above */");
      first = 0;
    }
    if (s + 1 < n_slots || scans)
      P("  at += slot_size[%d];\n", s);
  }
  if (scans)
    P("  m->step_scratch = (%s *)at;\n", e->real);
  P("  return 0;\n}\n\n");
}

