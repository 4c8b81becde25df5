/*
** emit_program.c — writes the generated training program: the model struct,
** allocation, parameter initialization in the .mg's draw order, the forward,
** metrics, backward and update functions, data loading and the driver.
**
** The program reads like a careful person wrote it: buffers are named after
** the .mg values, each kernel is preceded by the .mg line it computes, and
** sections follow the pipeline (data, parameters, forward, backward, update,
** driver).  Kernels themselves come from emit_kernels.c.
*/
#include <ctype.h>
#include <string.h>

#include "emit/base/base.h"
#include "name_set.h"
#include "schedule.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

void emit_section(Emitter *e, const char *title) {
  P("\n/* ---------------------------------------------------------------------------\n");
  P(" * %s\n", title);
  P(" * ------------------------------------------------------------------------- */\n\n");
}

/* Where each line of the source starts, found once: a program of 100,000
   lines has about as many kernels, and finding each one's line by scanning
   from the top made emission quadratic. */
static void build_line_table(Emitter *e) {
  const char *p = e->source_text;
  if (!p)
    return;
  int n = 1;
  for (const char *q = p; *q; q++)
    n += *q == '\n';
  e->line_starts = ARENA_ARRAY(e->arena, const char *, n);
  e->n_lines = 0;
  e->line_starts[e->n_lines++] = p;
  for (const char *q = p; *q; q++)
    if (*q == '\n')
      e->line_starts[e->n_lines++] = q + 1;
}

const char *emit_source_line(Emitter *e, Loc loc) {
  if (!e->line_starts || loc.line <= 0 || loc.line > e->n_lines)
    return "";
  const char *p = e->line_starts[loc.line - 1];
  const char *end = p;
  while (*end && *end != '\n')
    end++;
  while (p < end && isspace((unsigned char)*p))
    p++;
  char *s = arena_strndup(e->arena, p, (size_t)(end - p));
  /* Keep the comment a comment. */
  for (char *q = s; *q; q++)
    if ((q[0] == '*' && q[1] == '/') || (q[0] == '/' && q[1] == '*'))
      q[0] = '.';
  return s;
}

/* ---- names --------------------------------------------------------------- */

static int is_c_keyword(const char *s) {
  static const char *const kw[] = {
      "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
      "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
      "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
      "union", "unsigned", "void", "volatile", "while", "_Bool", "_Complex", "_Imaginary", "N",
      "capacity", "rng", "step", "row_begin", "param_block", "batch_block", "block_scratch"};
  for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
    if (strcmp(s, kw[i]) == 0)
      return 1;
  return 0;
}

static const char *c_ident(Emitter *e, const char *name) {
  char *s = arena_strdup(e->arena, name);
  for (char *p = s; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '_')
      *p = '_';
  return is_c_keyword(s) ? arena_printf(e->arena, "%s_", s) : s;
}

/* Gives every buffer node a unique member name.  The set holds every name
   given out, so a renamed one is checked too (t7 taken: t7_7, and if the
   program has a t7_7 of its own, t7_7_1); parameters' names and their
   optimizer state's are taken first, as the C spells them directly. */
static void assign_names(Emitter *e) {
  Graph *g = e->g;
  int n = g->nodes.len;
  NameSet taken;
  name_set_init(&taken, e->arena);
  name_set_add(&taken, "error"); /* the library's struct member */
  for (int i = 0; i < e->m->params.len; i++) {
    Param *p = e->m->params.items[i];
    const char *c = name_set_unique(&taken, c_ident(e, p->c_name));
    /* exp_avg_W and momentum_W must not be a value's name either; one
       of them taken renames the parameter. */
    while (name_set_has(&taken, arena_printf(e->arena, "exp_avg_%s", c)) ||
           name_set_has(&taken, arena_printf(e->arena, "exp_avg_sq_%s", c)) ||
           name_set_has(&taken, arena_printf(e->arena, "momentum_%s", c)))
      c = name_set_unique(&taken, c);
    name_set_add(&taken, arena_printf(e->arena, "exp_avg_%s", c));
    name_set_add(&taken, arena_printf(e->arena, "exp_avg_sq_%s", c));
    name_set_add(&taken, arena_printf(e->arena, "momentum_%s", c));
    p->c_name = c;
  }
  e->names = ARENA_ARRAY(e->arena, const char *, n);
  for (int i = 0; i < n; i++) {
    Node *node = g->nodes.items[i];
    const char *base = NULL;
    if (node->op == OP_PARAM) {
      e->names[i] = ((Param *)e->m->params.items[node->index])->c_name;
      continue;
    }
    if (node->op == OP_LITERAL)
      base = arena_printf(e->arena, "literal%d", node->id);
    else if (node->name)
      base = c_ident(e, node->name);
    else if (node->is_grad)
      base = arena_printf(e->arena, "g%d", node->id);
    else
      base = arena_printf(e->arena, "t%d", node->id);
    if (name_set_has(&taken, base))
      base = arena_printf(e->arena, "%s_%d", base, node->id);
    e->names[i] = name_set_unique(&taken, base);
  }
  /* Struct members are reached through m; literals are file-level arrays. */
  for (int i = 0; i < n; i++) {
    Node *node = g->nodes.items[i];
    if (node->op != OP_LITERAL && node->op != OP_CONST && node->op != OP_NUMEL)
      e->names[i] = arena_printf(e->arena, "m->%s", e->names[i]);
  }
}

const char *emit_member(Emitter *e, Node *n) { return e->names[n->id] + 3; /* drop "m->" */ }
#define member emit_member

static const char *grad_name(Emitter *e, Param *p) { return e->names[p->grad->id]; }

/* ---- the data section ------------------------------------------------------ */

static void emit_values(Emitter *e, const double *v, long count, int as_int) {
  for (long i = 0; i < count; i++) {
    if (i % 8 == 0)
      P("%s    ", i ? "\n" : "");
    if (as_int)
      P("%ld,%s", (long)v[i], i % 8 == 7 || i == count - 1 ? "" : " ");
    else
      P("%s,%s", emit_real_literal(e, v[i]), i % 8 == 7 || i == count - 1 ? "" : " ");
  }
  P("\n");
}

long emit_input_width(const Input *in) {
  long w = 1;
  for (int i = 1; i < in->shape.rank; i++)
    w *= in->shape.dims[i].n;
  return w;
}

static void emit_inline_data(Emitter *e, const DataSource *src, const char *which) {
  for (int i = 0; i < src->n_columns; i++) {
    const DataColumn *c = &src->columns[i];
    long count = c->rows * emit_input_width(c->input);
    int as_int = c->input->dtype == DT_I64;
    P("/* %s data for %s, %ld rows (%s) */\n", which, c->input->name, c->rows,
      emit_source_line(e, c->loc));
    P("static %s %s_%s[%ld] = {\n", as_int ? "int64_t" : "float", which, c->input->name, count);
    emit_values(e, c->values, count, as_int);
    P("};\n\n");
  }
}

static void emit_literals(Emitter *e) {
  for (int i = 0; i < e->g->nodes.len; i++) {
    Node *n = e->g->nodes.items[i];
    if (n->op != OP_LITERAL)
      continue;
    long count = shape_static_numel(n->shape);
    P("/* %s */\n", emit_source_line(e, n->loc));
    P("static const %s %s[%ld] = {\n", e->real, e->names[i], count);
    emit_values(e, n->data, count, 0);
    P("};\n\n");
  }
}

/* ---- the model struct ------------------------------------------------------- */

static const char *type_of(Emitter *e, Node *n) { return n->dtype == DT_I64 ? "int64_t" : e->real; }

/* Two params can share one gradient node (hash-consing found them equal);
   the first of them owns its buffer. */
static int first_param_with_grad(Model *m, Node *grad) {
  for (int i = 0; i < m->params.len; i++)
    if (((Param *)m->params.items[i])->grad == grad)
      return i;
  return -1;
}

static void emit_struct(Emitter *e) {
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
    P("  %s *%s;  /* %s */\n", type_of(e, in->node), member(e, in->node), shape_str(e->arena, e->g, in->shape));
  }
  P("\n  /* values and gradients */\n");
  for (int i = 0; i < e->g->nodes.len; i++) {
    Node *n = e->g->nodes.items[i];
    if (e->is_buffer[i] && !e->in_param_block[i])
      P("  %s *%s;  /* %s */\n", type_of(e, n), member(e, n), shape_str(e->arena, e->g, n->shape));
  }
  P("} Model;\n");
}

/* Bytes for a buffer of shape s at `rows` rows, as a C expression. */
static const char *bytes_expr(Emitter *e, Node *n, const char *rows) {
  long static_n = shape_static_numel(n->shape);
  const char *t = type_of(e, n);
  if (shape_has_sym(n->shape))
    return arena_printf(e->arena, "sizeof(%s) * %ld * (size_t)%s", t, static_n, rows);
  return arena_printf(e->arena, "sizeof(%s) * %ld", t, static_n);
}

static void emit_reserve(Emitter *e);

static void emit_alloc(Emitter *e) {
  Model *m = e->m;
  Optimizer *opt = &m->train.opt;
  P("/* Sizes are rounded up to 64 bytes so every array starts on a cache line. */\n");
  P("static size_t round64(size_t n) { return (n + 63) / 64 * 64; }\n\n");
  P("/* One allocation for parameters, gradients and optimizer state. */\n");
  P("static int model_alloc_params(Model *m) {\n");
  P("  size_t sizes[] = {\n");
  int count = 0;
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    int copies = 1 + (p->grad ? 1 : 0) +
                 (p->grad ? (opt->kind == OPT_ADAM ? 2 : opt->momentum != 0 ? 1 : 0) : 0);
    for (int c = 0; c < copies; c++, count++)
      P("    round64(%s),\n", bytes_expr(e, p->node, "1"));
  }
  if (e->schedule->scratch_elems)
    P("    round64(sizeof(%s) * %ld),  /* block_scratch */\n", e->real, e->schedule->scratch_elems);
  P("    0};\n");
  P("  size_t total = 0;\n");
  P("  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)\n    total += sizes[i];\n");
  P("  char *block = calloc(1, total + 64);\n");
  P("  if (!block)\n    return -1;\n");
  P("  m->param_block = block;\n");
  P("  size_t at = 0, k = 0;\n");
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    P("  m->%s = (%s *)(block + at);\n  at += sizes[k++];\n", p->c_name, e->real);
    if (!p->grad)
      continue;
    if (first_param_with_grad(m, p->grad) == i)
      P("  m->%s = (%s *)(block + at);\n", member(e, p->grad), e->real);
    P("  at += sizes[k++];\n");
    if (opt->kind == OPT_ADAM) {
      P("  m->exp_avg_%s = (%s *)(block + at);\n  at += sizes[k++];\n", p->c_name, e->real);
      P("  m->exp_avg_sq_%s = (%s *)(block + at);\n  at += sizes[k++];\n", p->c_name, e->real);
    } else if (opt->momentum != 0) {
      P("  m->momentum_%s = (%s *)(block + at);\n  at += sizes[k++];\n", p->c_name, e->real);
    }
  }
  if (e->schedule->scratch_elems)
    P("  m->block_scratch = (%s *)(block + at);\n  at += sizes[k++];\n", e->real);
  P("  (void)at;\n  (void)k;\n  return 0;\n}\n\n");

  emit_reserve(e);
}

/* The storage slot of every buffer: the memory plan's (-O2), or one slot
   per buffer.  Fills slot_of[] and the node each slot's size is taken from. */
static int plan_slots(Emitter *e, int *slot_of, Node **slot_node) {
  Model *m = e->m;
  int n_slots = 0;
  for (int i = 0; i < e->g->nodes.len; i++) {
    slot_of[i] = -1;
    if (!e->is_buffer[i] || e->in_param_block[i])
      continue;
    int s = m->plan.planned ? m->plan.slot[i] : n_slots;
    MGC_ASSERT(s >= 0);
    slot_of[i] = s;
    if (s >= n_slots)
      n_slots = s + 1;
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

void emit_memory_stats(Emitter *e, MemStats *st) {
  Model *m = e->m;
  int real = e->opt.f64 ? 8 : 4;
  memset(st, 0, sizeof *st);
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    long bytes = shape_static_numel(p->shape) * real;
    st->param_bytes += bytes;
    if (!p->grad)
      continue;
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
static void emit_stats_defines(Emitter *e) {
  MemStats st;
  emit_memory_stats(e, &st);
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
  P("  size_t slot_size[%d], total = 0;\n", n_slots ? n_slots : 1);
  for (int s = 0; s < n_slots; s++)
    P("  total += slot_size[%d] = round64(%s);\n", s, bytes_expr(e, slot_node[s], "rows"));
  P("  char *block = calloc(1, total + 64);\n");
  P("  if (!block)\n    return -1;\n");
  P("  free(m->batch_block);\n");
  P("  m->batch_block = block;\n");
  P("  m->capacity = rows;\n");
  P("  size_t at = 0;\n");
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
      P("  m->%s = (%s *)(block + at);%s\n", member(e, node), type_of(e, node),
        first ? "" : "  /* reuses the memory above */");
      first = 0;
    }
    P("  at += slot_size[%d];\n", s);
  }
  P("  (void)at;\n  (void)slot_size;\n  return 0;\n}\n\n");
}

/* ---- initialization ----------------------------------------------------------- */

static void fans(Shape sh, long *fan_in, long *fan_out) {
  long receptive = 1;
  for (int i = 2; i < sh.rank; i++)
    receptive *= sh.dims[i].n;
  *fan_in = sh.rank >= 2 ? sh.dims[1].n * receptive : sh.rank == 1 ? sh.dims[0].n : 1;
  *fan_out = sh.rank >= 1 ? sh.dims[0].n * receptive : 1;
}

static void emit_init(Emitter *e) {
  Model *m = e->m;
  P("/* Initializes every parameter as the .mg says, drawing from the random\n");
  P("   stream in the same order as the PyTorch program (torch.manual_seed(seed),\n");
  P("   then the constructors and torch.nn.init calls in declaration order). */\n");
  P("static void model_init_params(Model *m, uint64_t seed) {\n");
  P("  mgrt_rng_seed(&m->rng, seed);\n");
  int staging = e->opt.f64;
  long biggest = 1;
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (shape_static_numel(p->shape) > biggest)
      biggest = shape_static_numel(p->shape);
  }
  if (staging)
    P("  /* draws are made in float32, as PyTorch makes them, then widened */\n"
      "  float *draw = calloc(%ld, sizeof(float));\n  if (!draw)\n    abort();\n", biggest * 2);
  for (int i = 0; i < m->init_steps.len; i++) {
    InitStep *st = m->init_steps.items[i];
    Param *p = st->param;
    long n = shape_static_numel(p->shape), fi, fo;
    fans(p->shape, &fi, &fo);
    const char *dst = staging ? "draw" : arena_printf(e->arena, "m->%s", p->c_name);
    if (e->opt.annotate)
      P("  /* %s */\n", emit_source_line(e, st->loc));
    switch (st->kind) {
    case INIT_ZEROS: case INIT_ONES: case INIT_FULL: {
      double v = st->kind == INIT_ZEROS ? 0 : st->kind == INIT_ONES ? 1 : st->a;
      P("  for (int64_t i = 0; i < %ld; i++)\n    m->%s[i] = %s;\n", n, p->c_name, emit_real_literal(e, v));
      continue;
    }
    case INIT_LITERAL:
      P("  {\n    static const %s values[%ld] = {\n", e->real, n);
      emit_values(e, st->data, n, 0);
      P("    };\n    memcpy(m->%s, values, sizeof values);\n  }\n", p->c_name);
      continue;
    case INIT_UNIFORM:
      P("  mgrt_init_uniform(&m->rng, %s, %ld, %.17g, %.17g);\n", dst, n, st->a, st->b);
      break;
    case INIT_NORMAL:
      P("  mgrt_init_normal(&m->rng, %s, %ld, %.17g, %.17g);\n", dst, n, st->a, st->b);
      break;
    case INIT_XAVIER_UNIFORM:
      P("  mgrt_init_xavier_uniform(&m->rng, %s, %ld, %ld, %ld, %.17g);\n", dst, n, fi, fo, st->a);
      break;
    case INIT_XAVIER_NORMAL:
      P("  mgrt_init_xavier_normal(&m->rng, %s, %ld, %ld, %ld, %.17g);\n", dst, n, fi, fo, st->a);
      break;
    case INIT_KAIMING_UNIFORM:
      P("  mgrt_init_kaiming_uniform(&m->rng, %s, %ld, %ld, %.17g);\n", dst, n, fi, st->a);
      break;
    case INIT_KAIMING_NORMAL:
      P("  mgrt_init_kaiming_normal(&m->rng, %s, %ld, %ld, %.17g);\n", dst, n, fi, st->a);
      break;
    case INIT_LINEAR: {
      long out_f = p->shape.dims[0].n, in_f = p->shape.dims[1].n;
      const char *bias = !st->bias ? "NULL"
                         : staging ? arena_printf(e->arena, "draw + %ld", n)
                                   : arena_printf(e->arena, "m->%s", st->bias->c_name);
      P("  mgrt_init_linear(&m->rng, %s, %s, %ld, %ld);\n", dst, bias, in_f, out_f);
      if (staging && st->bias)
        P("  for (int64_t i = 0; i < %ld; i++)\n    m->%s[i] = draw[%ld + i];\n", out_f, st->bias->c_name, n);
      break;
    }
    }
    if (staging)
      P("  for (int64_t i = 0; i < %ld; i++)\n    m->%s[i] = draw[i];\n", n, p->c_name);
  }
  if (staging)
    P("  free(draw);\n");
  P("}\n\n");
}

/* ---- forward, metrics, backward ------------------------------------------------- */

void emit_kernel_comment(Emitter *e, Node *n) {
  if (!e->opt.annotate)
    return;
  const char *what = n->name ? n->name : e->names[n->id];
  if (strncmp(what, "m->", 3) == 0)
    what += 3;
  P("  /* %s = %s%s  %s", what, op_info[n->op].spelling, n->is_grad ? " (backward)" : "",
    shape_str(e->arena, e->g, n->shape));
  if (n->note)
    P("\n     %s", n->note);
  if (n->loc.line > 0)
    P("\n     line %d: %s", n->loc.line, emit_source_line(e, n->loc));
  P(" */\n");
}

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

/* ---- the optimizer ---------------------------------------------------------------- */

/* From this many elements on, a param's update loop is shared between
   threads (in programs compiled with -fopenmp): below it, starting the
   threads costs more than the loop. */
enum { PARALLEL_UPDATE_MIN = 65536 };

static void emit_update(Emitter *e) {
  Model *m = e->m;
  Optimizer *o = &m->train.opt;
  const char *f = e->opt.f64 ? "" : "f", *R = e->real;
  if (o->kind == OPT_SGD)
    P("/* torch.optim.SGD(lr, momentum = %g, weight_decay = %g, nesterov = %s) step:\n"
      "   d_p = grad + weight_decay * param; buf = momentum * buf + d_p (buf = d_p\n"
      "   at the first step); d_p = nesterov ? d_p + momentum * buf : buf;\n"
      "   param -= lr * d_p. */\n", o->momentum, o->weight_decay, o->nesterov ? "true" : "false");
  else
    P("/* torch.optim.Adam(lr, betas = (%g, %g), eps = %g, weight_decay = %g) step,\n"
      "   with PyTorch 1.13's bias corrections computed in double. */\n",
      o->beta1, o->beta2, o->eps, o->weight_decay);
  P("static void update(Model *m, double lr) {\n");
  P("  m->step++;\n");
  if (o->kind == OPT_ADAM) {
    P("  double bias_correction1 = 1 - pow(%.17g, (double)m->step);\n", o->beta1);
    P("  double bias_correction2 = 1 - pow(%.17g, (double)m->step);\n", o->beta2);
    P("  %s step_size = (%s)(lr / bias_correction1);\n", R, R);
    P("  %s bias_correction2_sqrt = (%s)sqrt(bias_correction2);\n", R, R);
  } else {
    P("  %s neg_lr = (%s)-lr;\n", R, R);
  }
  /* One loop per param over restrict pointers: param, gradient and state
     are separate arrays, and saying so lets the compiler vectorize. */
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (!p->grad)
      continue;
    const char *w = p->c_name;
    P("  {  /* %s */\n", p->name);
    P("    %s *restrict param = m->%s;\n", R, w);
    P("    const %s *restrict grad = %s;\n", R, grad_name(e, p));
    if (o->kind == OPT_SGD && o->momentum != 0)
      P("    %s *restrict buf = m->momentum_%s;\n", R, w);
    if (o->kind == OPT_ADAM)
      P("    %s *restrict exp_avg = m->exp_avg_%s, *restrict exp_avg_sq = m->exp_avg_sq_%s;\n", R, w, w);
    if (shape_static_numel(p->shape) >= PARALLEL_UPDATE_MIN)
      P("    MGRT_PARALLEL_FOR  /* threads share this loop when built with -fopenmp */\n");
    P("    for (int64_t i = 0; i < %ld; i++) {\n", shape_static_numel(p->shape));
    P("      %s d_p = grad[i];\n", R);
    if (o->weight_decay != 0)
      P("      d_p = fma%s(%s, param[i], d_p);\n", f, emit_real_literal(e, o->weight_decay));
    if (o->kind == OPT_SGD) {
      if (o->momentum != 0) {
        P("      buf[i] = m->step == 1 ? d_p : buf[i] * %s + d_p;\n", emit_real_literal(e, o->momentum));
        if (o->nesterov)
          P("      d_p = fma%s(%s, buf[i], d_p);\n", f, emit_real_literal(e, o->momentum));
        else
          P("      d_p = buf[i];\n");
      }
      P("      param[i] = fma%s(neg_lr, d_p, param[i]);\n", f);
    } else {
      P("      exp_avg[i] = fma%s(d_p, %s, exp_avg[i] * %s);\n", f, emit_real_literal(e, 1 - o->beta1),
        emit_real_literal(e, o->beta1));
      P("      exp_avg_sq[i] = exp_avg_sq[i] * %s + %s * d_p * d_p;\n", emit_real_literal(e, o->beta2),
        emit_real_literal(e, 1 - o->beta2));
      P("      %s denom = %s(exp_avg_sq[i]) / bias_correction2_sqrt + %s;\n", R,
        e->opt.f64 ? "sqrt" : "mgrt_sqrtf", emit_real_literal(e, o->eps));
      P("      param[i] = param[i] + -step_size * exp_avg[i] / denom;\n");
    }
    P("    }\n");
    P("  }\n");
  }
  P("}\n\n");
}

/* ---- data loading ----------------------------------------------------------------- */

/* Loads a data source into arrays[0..n_inputs-1] (indexed by input). */
static void emit_load(Emitter *e, const DataSource *src, const char *which) {
  Model *m = e->m;
  P("/* Loads the %s data (%s). */\n", which, emit_source_line(e, src->loc));
  P("static int load_%s_data(const char *data_dir, mgrt_array *arrays) {\n", which);
  if (src->kind == DATA_INLINE) {
    P("  (void)data_dir;\n");
    for (int i = 0; i < src->n_columns; i++) {
      const DataColumn *c = &src->columns[i];
      int k = c->input->node->index;
      P("  arrays[%d].%s = %s_%s;\n", k, c->input->dtype == DT_I64 ? "i64" : "f32", which, c->input->name);
      P("  arrays[%d].rows = %ld;\n  arrays[%d].cols = %ld;\n", k, c->rows, k, emit_input_width(c->input));
    }
    P("  return 0;\n}\n\n");
    return;
  }
  if (src->kind == DATA_CSV) {
    P("  static const mgrt_csv_column columns[] = {\n");
    for (int i = 0; i < src->n_columns; i++) {
      const DataColumn *c = &src->columns[i];
      P("    {\"%s\", %s, %ld, %ld, %d, %d, %d, %ld, %ld},\n", c->input->name,
        c->input->dtype == DT_I64 ? "MGRT_I64" : "MGRT_F32", c->start, c->stop, c->has_start,
        c->has_stop, c->single, emit_input_width(c->input), c->input->num_classes);
    }
    P("  };\n");
    P("  mgrt_csv_spec spec = {\"");
    for (const char *p = src->path; *p; p++)
      P(*p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
    P("\", '%s%c', %ld, %d, columns, 0};\n", src->delimiter == '\'' || src->delimiter == '\\' ? "\\" : "",
      src->delimiter, src->skip_header, src->n_columns);
    P("  mgrt_array loaded[%d];\n", src->n_columns);
    P("  if (mgrt_csv_read(&spec, data_dir, loaded) != 0)\n    return -1;\n");
    for (int i = 0; i < src->n_columns; i++)
      P("  arrays[%d] = loaded[%d];\n", src->columns[i].input->node->index, i);
    P("  return 0;\n}\n\n");
    return;
  }
  for (int i = 0; i < src->n_columns; i++) {
    const DataColumn *c = &src->columns[i];
    P("  if (mgrt_idx_read(\"");
    for (const char *p = c->path; *p; p++)
      P(*p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
    P("\", data_dir, \"%s\", %s, %ld, %.17g, %ld, &arrays[%d]) != 0)\n    return -1;\n", c->input->name,
      c->input->dtype == DT_I64 ? "MGRT_I64" : "MGRT_F32", emit_input_width(c->input), src->scale,
      c->input->num_classes, c->input->node->index);
  }
  (void)m;
  P("  return 0;\n}\n\n");
}


void emit_prepare(Emitter *e, FILE *out, Model *m, const char *source_text, EmitOptions opt) {
  memset(e, 0, sizeof *e);
  e->out = out;
  e->m = m;
  e->g = m->graph;
  e->arena = m->graph->arena;
  e->opt = opt;
  e->real = opt.f64 ? "double" : "float";
  e->source_text = source_text;
  build_line_table(e);
  Schedule *ph = schedule_build(m);
  e->schedule = ph;
  e->is_buffer = ph->buffer;
  e->in_param_block = ph->in_param_block;
  e->sum_count = ARENA_ARRAY(e->arena, const char *, m->graph->nodes.len + 1);
  assign_names(e);
}

int emit_program(FILE *out, Model *m, const char *source_text, EmitOptions opt) {
  Emitter em, *e = &em;
  emit_prepare(e, out, m, source_text, opt);
  Schedule *ph = e->schedule;

  const char *base = strrchr(m->source_path, '/');
  base = base ? base + 1 : m->source_path;
  if (opt.library) {
    P("/*\n * The model of %s as a C library, generated by mgc: the API is in %s.\n", base, opt.header);
    P(" * Edit the .mg file and regenerate rather than editing this file.\n */\n");
  } else {
    P("/*\n * %s.c: a training program generated by mgc from %s.\n", m->name, base);
    P(" * Edit the .mg file and regenerate rather than editing this file.\n");
    P(" *\n * Build and run:  cc -O3 -march=native %s.c -lmgrt -lm -o %s && ./%s --help\n */\n", m->name, m->name, m->name);
  }
  P("#include <inttypes.h>\n#include <math.h>\n#include <stdint.h>\n#include <stdio.h>\n"
    "#include <stdlib.h>\n#include <string.h>\n\n#include \"mgrt.h\"\n");
  if (opt.library)
    P("#include \"%s\"\n", opt.header);
  emit_stats_defines(e);
  if (!opt.library) {
    emit_section(e, "Data written in the .mg file");
    if (m->train.data.kind == DATA_INLINE)
      emit_inline_data(e, &m->train.data, "train");
    if (m->eval.present && m->eval.data.kind == DATA_INLINE)
      emit_inline_data(e, &m->eval.data, "eval");
  }
  emit_literals(e);
  emit_section(e, "The model: parameters, gradients, optimizer state and activations");
  emit_struct(e);
  P("\n");
  emit_alloc(e);
  emit_section(e, "Parameters");
  emit_init(e);
  emit_section(e, "Forward pass");
  if (!ph->block_rows) { /* else emit_train_step writes them, for a block of rows */
    emit_phase(e, "forward", "Computes the loss on the current batch (training mode).", ph->forward, 1);
    if (!opt.library)
      emit_phase(e, "compute_metrics", "Computes train's metrics from the same forward pass.", ph->metrics, 1);
    emit_section(e, "Backward pass: gradients of the loss, in reverse order of the forward pass");
    emit_phase(e, "backward", "Computes d loss / d param for every trained param.", ph->backward, 1);
  }
  emit_train_step(e);
  emit_section(e, "Update");
  emit_update(e);
  if (opt.library) {
    emit_library(e);
    if (opt.header_out)
      emit_lib_header(e, opt.header_out);
    return ferror(out) ? -1 : 0;
  }
  if (m->eval.present) {
    emit_section(e, "Evaluation");
    emit_phase(e, "evaluate_batch", "Computes the loss and eval's metrics (evaluation mode: no dropout).", ph->eval, 0);
  }
  emit_predict_phase(e);
  emit_section(e, "Data");
  emit_load(e, &m->train.data, "train");
  if (m->eval.present)
    emit_load(e, &m->eval.data, "eval");
  emit_section(e, "Driver");
  emit_driver(e);
  return ferror(out) ? -1 : 0;
}
