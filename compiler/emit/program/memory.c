/*
** memory.c — the model's storage in the generated C: the Model struct,
** model_alloc_params (parameters, gradients and optimizer state in one
** block: each of the four one contiguous array, so that the optimizer's
** update is one pass, update.c), model_reserve (every activation of a batch
** in one block, laid out by the memory plan) and the memory figures (mgc
** --stats and the #defines).
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

/* Elements of a param's place in the contiguous arrays: its size rounded
   up to 64 bytes, so that every param starts on a cache line. */
static long place_elems(const Emitter *e, const Param *p) {
  long per_line = e->opt.f64 ? 8 : 16;
  return (shape_static_numel(p->shape) + per_line - 1) / per_line * per_line;
}

void emit_param_layout(Emitter *e, ParamLayout *l) {
  Model *m = e->m;
  l->offset = ARENA_ARRAY(e->arena, long, m->params.len + 1);
  l->shares_grad_of = ARENA_ARRAY(e->arena, int, m->params.len + 1);
  l->trained = l->total = 0;
  /* the trained params first, in declaration order, then the others */
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < m->params.len; i++) {
      Param *p = m->params.items[i];
      if ((p->grad != NULL) != (pass == 0))
        continue;
      l->offset[i] = l->total;
      l->total += place_elems(e, p);
      l->shares_grad_of[i] = p->grad && first_param_with_grad(m, p->grad) != i ? first_param_with_grad(m, p->grad) : -1;
      if (p->grad)
        l->trained = l->total;
    }
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

static int uses_conv_scratch(Emitter *e);

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
  if (uses_conv_scratch(e)) {
    P("  float *conv_scratch;  /* the convolutions' working memory, with the activations */\n");
    P("  int64_t conv_scratch_elems;\n");
  }
  P("\n  /* parameters */\n");
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    P("  %s *%s;  /* %s */\n", e->real, member(e, p->node), shape_str(e->arena, e->g, p->shape));
  }
  if (m->buffers.len) {
    /* a few numbers a layer: arrays of their own, in the struct */
    P("\n  /* buffers: layer state that is saved with the parameters but not trained */\n");
    for (int i = 0; i < m->buffers.len; i++) {
      Buffer *b = m->buffers.items[i];
      P("  %s %s[%ld];  /* %s */\n", b->dtype == DT_I64 ? "int64_t" : e->real, b->c_name,
        (long)shape_static_numel(b->shape), shape_str(e->arena, e->g, b->shape));
    }
  }
  P("\n  /* gradients of the loss */\n");
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (p->grad && first_param_with_grad(m, p->grad) == i)
      P("  %s *%s;  /* d %s / d %s */\n", e->real, member(e, p->grad), m->train.loss_name, p->name);
  }
  Optimizer *opt = &m->train.opt;
  if (m->params.len) {
    P("\n  /* the same memory as contiguous arrays: every param's values (the trained\n"
      "     ones first, each from a cache line on), the trained params' gradients\n"
      "     in the same places%s */\n",
      opt->kind == OPT_ADAM ? " and Adam's two moments" : opt->momentum != 0 ? " and SGD's momentum buffers" : "");
    P("  %s *param_values, *param_grads;\n", e->real);
    if (opt->kind == OPT_ADAM)
      P("  %s *param_exp_avg, *param_exp_avg_sq;\n", e->real);
    else if (opt->momentum != 0)
      P("  %s *param_momentum;\n", e->real);
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

/* ---- the convolutions' scratch ----
** The float convolutions work in scratch that the caller provides
** (mgrt_conv2d_scratch_elems floats, which grows with the batch and the
** threads).  model_reserve allocates it with the activations, for the
** largest convolution of the program at the batch's rows and the threads
** set by then, so that no step allocates. */

static int uses_conv_scratch(Emitter *e) {
  for (int i = 0; i < e->g->nodes.len; i++)
    if (e->is_buffer[i] && emit_uses_conv_scratch(e, e->g->nodes.items[i]))
      return 1;
  return 0;
}

/* Sizes conv_scratch, in model_reserve, for every convolution's shape. */
static void emit_conv_scratch_size(Emitter *e) {
  P("  /* the convolutions' scratch: the most any of them needs at `rows` rows */\n");
  P("  int64_t conv_scratch = 0;\n");
  const char **seen = ARENA_ARRAY(e->arena, const char *, e->g->nodes.len + 1);
  int n_seen = 0;
  for (int i = 0; i < e->g->nodes.len; i++) {
    Node *n = e->g->nodes.items[i];
    if (!e->is_buffer[i] || !emit_uses_conv_scratch(e, n))
      continue;
    /* the forward pass's input and weight, whichever operator this is */
    Node *x = n->op == OP_CONV2D ? n->in[0] : n->op == OP_CONV2D_GRAD_INPUT ? n : n->in[1];
    Node *weight = n->op == OP_CONV2D_GRAD_WEIGHT ? n : n->in[1];
    const Window *w = &n->attr.window;
    const char *shape = arena_printf(
        e->arena, "{.n = rows, .c_in = %ld, .h = %ld, .w = %ld, .c_out = %ld, .kh = %d, .kw = %d,\n"
                  "                                 .stride_h = %d, .stride_w = %d, .pad_h = %d, .pad_w = %d}",
        x->shape.dims[1].n, x->shape.dims[2].n, x->shape.dims[3].n, weight->shape.dims[0].n, w->kh, w->kw, w->sh,
        w->sw, w->ph, w->pw);
    int dup = 0;
    for (int k = 0; k < n_seen && !dup; k++)
      dup = strcmp(seen[k], shape) == 0;
    if (dup)
      continue;
    seen[n_seen++] = shape;
    P("  {\n    const mgrt_conv2d_shape s = %s;\n", shape);
    P("    if (mgrt_conv2d_scratch_elems(&s) > conv_scratch)\n      conv_scratch = mgrt_conv2d_scratch_elems(&s);\n  }\n");
  }
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

/* One array of the parameter block: its member and size. */
typedef struct {
  const char *member, *size, *what;
} ParamArray;

void emit_alloc(Emitter *e) {
  Model *m = e->m;
  Optimizer *opt = &m->train.opt;
  ParamLayout l;
  emit_param_layout(e, &l);
  ParamArray arrays[6];
  int n = 0;
  const char *R = e->real;
  if (m->params.len) {
    arrays[n++] = (ParamArray){"param_values", arena_printf(e->arena, "round64(sizeof(%s) * %ld)", R, l.total),
                               "every param, the trained ones first"};
    const char *trained = arena_printf(e->arena, "round64(sizeof(%s) * %ld)", R, l.trained);
    arrays[n++] = (ParamArray){"param_grads", trained, "the trained params' gradients"};
    if (opt->kind == OPT_ADAM) {
      arrays[n++] = (ParamArray){"param_exp_avg", trained, "Adam's first moment"};
      arrays[n++] = (ParamArray){"param_exp_avg_sq", trained, "Adam's second moment"};
    } else if (opt->momentum != 0) {
      arrays[n++] = (ParamArray){"param_momentum", trained, "SGD's momentum buffers"};
    }
  }
  if (e->schedule->scratch_elems)
    arrays[n++] = (ParamArray){"block_scratch", arena_printf(e->arena, "round64(sizeof(%s) * %ld)", R,
                                                             e->schedule->scratch_elems),
                               "a row block's part of a weight gradient"};
  P("/* Sizes are rounded up to 64 bytes so every array starts on a cache line. */\n");
  P("static size_t round64(size_t n) { return (n + 63) / 64 * 64; }\n\n");
  P("/* One allocation for parameters, gradients and optimizer state: each one\n"
    "   contiguous array, with each param at the same place in all of them\n"
    "   (the gaps that keep every param on a cache line stay zero), so that\n"
    "   the optimizer updates them all in one pass. */\n");
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
    P("    %-*s  /* %s: %s */\n", width, arena_printf(e->arena, "%s,", arrays[k].size), arrays[k].member,
      arrays[k].what);
  P("  };\n");
  P("  size_t total = 0;\n");
  P("  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)\n    total += sizes[i];\n");
  P("  char *block = calloc(1, total + 64);\n");
  P("  if (!block)\n    return -1;\n");
  P("  m->param_block = block;\n");
  P("  char *at = block;\n");
  for (int k = 0; k < n; k++) {
    P("  m->%s = (%s *)at;\n", arrays[k].member, R);
    if (k + 1 < n)
      P("  at += sizes[%d];\n", k);
  }
  if (m->params.len)
    P("  /* each param and its gradient: their place in those arrays */\n");
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < m->params.len; i++) {
      Param *p = m->params.items[i];
      if ((p->grad != NULL) != (pass == 0))
        continue;
      P("  m->%s = m->param_values + %ld;  /* %s %s%s */\n", p->c_name, l.offset[i], p->name,
        shape_str(e->arena, e->g, p->shape), p->grad ? "" : ", not trained");
      if (p->grad && l.shares_grad_of[i] < 0)
        P("  m->%s = m->param_grads + %ld;\n", member(e, p->grad), l.offset[i]);
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
  if (uses_conv_scratch(e))
    P("/* and the convolutions' scratch beside them: model_reserve asks libmgrt\n"
      "   (mgrt_conv2d_scratch_elems), as it depends on the threads too */\n");
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
  int conv = uses_conv_scratch(e);
  if (conv)
    emit_conv_scratch_size(e);
  P("  size_t slot_size[%d], total = 0;\n", n_slots);
  for (int s = 0; s < n_slots; s++)
    P("  total += slot_size[%d] = round64(%s);\n", s, bytes_expr(e, slot_node[s], "rows"));
  if (conv)
    P("  total += round64(sizeof(float) * (size_t)conv_scratch);\n");
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
    if (s + 1 < n_slots || conv || scans)
      P("  at += slot_size[%d];\n", s);
  }
  if (conv)
    P("  m->conv_scratch = (float *)at;\n  m->conv_scratch_elems = conv_scratch;\n");
  if (conv && scans)
    P("  at += round64(sizeof(float) * (size_t)conv_scratch);\n");
  if (scans)
    P("  m->step_scratch = (%s *)at;\n", e->real);
  P("  return 0;\n}\n\n");
}

