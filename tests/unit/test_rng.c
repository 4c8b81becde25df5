/*
** test_rng.c — checks libmgrt's random numbers against PyTorch 1.13, bit for bit.
**
** Usage: test_rng tests/data/pytorch-rng-vectors.txt
**
** The vector file is a list of vectors, each a header line
**
**   seed=S | CALL [then CALL ...] | SELECTION
**
** followed by indented value lines ("  hex: 0x3efe1558 ...", "  dec: 0.49 ...",
** "  idx: 65 412 ...").  For every vector the test seeds a generator, replays
** the calls with libmgrt, picks the selected elements and compares them:
** floats by bit pattern (a "dec" line is read with strtof, which round-trips
** the %.9g it was printed with), indices exactly.  A header that does not
** parse, or a value line outside a vector, fails like a mismatch: nothing is
** ever skipped.  After the file, a few built-in vectors (see builtin_lines)
** cover cases the file does not: normal's fill path at sizes that are not a
** multiple of 16, the Box-Muller cache across calls, seeds above 2^32.
**
** Prints one line per mismatch, a line with the counts for the file and for
** the built-ins, and ends with "N passed, N failed" counting all vectors.
** Exits 0 only if every vector passes (and the file holds at least one).
*/
#include "mgrt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_CALLS = 16, MAX_DIMS = 8, MAX_ARGS = 2 };

/* ------------------------------------------------------------------------
** Parsed vectors
** ---------------------------------------------------------------------- */

typedef enum call_kind {
  CALL_INT64_RANDOM, /* torch.empty(DIMS,dtype=torch.int64).random_() */
  CALL_UNIFORM,      /* torch.rand(DIMS), torch.empty(DIMS).uniform_(a, b) */
  CALL_NORMAL,       /* torch.randn(DIMS), torch.empty(DIMS).normal_(m, s) */
  CALL_RANDPERM,     /* torch.randperm(N) */
  CALL_INIT_UNIFORM, /* nn.init.uniform_(torch.empty(DIMS), a, b) and so on */
  CALL_INIT_NORMAL,
  CALL_XAVIER_UNIFORM,
  CALL_XAVIER_NORMAL,
  CALL_KAIMING_UNIFORM,
  CALL_KAIMING_NORMAL,
  CALL_LINEAR,       /* nn.Linear(IN,OUT) */
  CALL_LOADER        /* DataLoader(N items, batch_size=B, shuffle=True) */
} call_kind;

typedef struct call {
  call_kind kind;
  int64_t dims[MAX_DIMS];
  int ndims;
  double args[MAX_ARGS]; /* the call's numeric arguments, defaults filled in */
  int64_t in, out;       /* nn.Linear */
  int64_t items;         /* DataLoader, randperm */
} call;

typedef enum target_kind {
  TARGET_LAST,   /* the last call's tensor */
  TARGET_CALL,   /* "call K": the K-th call's tensor */
  TARGET_WEIGHT, /* "[LK ]weight": the (K-th) Linear's weight */
  TARGET_BIAS,   /* "[LK ]bias" */
  TARGET_EPOCH   /* "epoch E": the DataLoader's order in epoch E */
} target_kind;

typedef struct selection {
  target_kind target;
  int64_t index;   /* K or E; 0 when no K was written */
  int64_t first;   /* first selected element */
  int64_t count;   /* number of selected elements */
  int64_t numel;   /* the size the text states ("of 15", "all 7"), or -1 */
} selection;

typedef struct header {
  uint64_t seed;
  call calls[MAX_CALLS];
  int ncalls;
  selection sel;
} header;

/* A growable list of expected values of one kind. */
typedef struct value_list {
  int present;
  int64_t n, cap;
  int64_t *v; /* float bit patterns or indices */
} value_list;

/* One vector as read: where it is, its header text and its value lines. */
typedef struct vector_text {
  const char *source;
  long line;
  const char *text;
  value_list hex, dec, idx;
} vector_text;

/* The result of one call; a Linear has two (weight, bias). */
typedef struct tensor {
  float *f32;
  int64_t *i64;
  int64_t n;
} tensor;

/* ------------------------------------------------------------------------
** A small recursive-descent reader over one NUL-terminated string
** ---------------------------------------------------------------------- */

typedef struct cursor {
  const char *p;
} cursor;

/* Consumes lit if the text continues with it. */
static int cur_lit(cursor *c, const char *lit) {
  size_t n = strlen(lit);
  if (strncmp(c->p, lit, n) != 0) return 0;
  c->p += n;
  return 1;
}

static void cur_spaces(cursor *c) {
  while (*c->p == ' ') c->p++;
}

/* comma = "," " "*   -- Python prints no space, people write one */
static int cur_comma(cursor *c) {
  if (!cur_lit(c, ",")) return 0;
  cur_spaces(c);
  return 1;
}

static int cur_is_digit(const cursor *c) {
  return *c->p >= '0' && *c->p <= '9';
}

/* int = ["-"] digit+ */
static int cur_int(cursor *c, int64_t *v) {
  const char *start = c->p;
  if (*c->p == '-') c->p++;
  if (!cur_is_digit(c)) {
    c->p = start;
    return 0;
  }
  errno = 0;
  char *end;
  long long x = strtoll(start, &end, 10);
  if (errno != 0) return 0;
  c->p = end;
  *v = (int64_t)x;
  return 1;
}

/* num = a number as strtod reads it (Python writes -3.7, 0.02, 2, 1e-05) */
static int cur_num(cursor *c, double *v) {
  char *end;
  errno = 0;
  double x = strtod(c->p, &end);
  if (end == c->p || errno != 0) return 0;
  c->p = end;
  *v = x;
  return 1;
}

/* dims = int (comma int)*   -- stops before ",dtype=..." and other keywords */
static int parse_dims(cursor *c, call *k) {
  k->ndims = 0;
  do {
    if (k->ndims == MAX_DIMS || !cur_int(c, &k->dims[k->ndims]) || k->dims[k->ndims] < 0)
      return 0;
    k->ndims++;
    cursor ahead = *c;
    if (!cur_comma(&ahead) || !cur_is_digit(&ahead)) break;
    *c = ahead;
  } while (1);
  return 1;
}

/* The Python parameters after the tensor, with their names and defaults. */
typedef struct params {
  const char *name[MAX_ARGS]; /* NULL: no such parameter */
  double fallback[MAX_ARGS];
} params;

/* Consumes "name=" if the text continues with one of the parameter names;
   returns its slot, or -1 for a positional argument. */
static int keyword_slot(cursor *c, const params *ps) {
  for (int i = 0; i < MAX_ARGS; i++) {
    cursor ahead = *c;
    if (ps->name[i] && cur_lit(&ahead, ps->name[i]) && cur_lit(&ahead, "=")) {
      *c = ahead;
      return i;
    }
  }
  return -1;
}

/* args = [arg (comma arg)*] ")"   (a method's arguments)
        | (comma arg)* ")"         (after the tensor argument of nn.init)
   arg  = [name "="] num           -- no positional argument after a keyword */
static int parse_args(cursor *c, const params *ps, int after_tensor, double *args) {
  int seen[MAX_ARGS] = {0};
  int next = 0, keywords = 0;
  for (int i = 0; i < MAX_ARGS; i++) args[i] = ps->fallback[i];
  for (int first = 1; !cur_lit(c, ")"); first = 0) {
    if ((after_tensor || !first) && !cur_comma(c)) return 0;
    int slot = keyword_slot(c, ps);
    if (slot >= 0)
      keywords = 1;
    else if (keywords)
      return 0;
    else
      slot = next++;
    if (slot >= MAX_ARGS || ps->name[slot] == NULL || seen[slot]) return 0;
    if (!cur_num(c, &args[slot])) return 0;
    seen[slot] = 1;
  }
  return 1;
}

static const params uniform_params = {{"a", "b"}, {0.0, 1.0}};
static const params normal_params = {{"mean", "std"}, {0.0, 1.0}};
static const params gain_params = {{"gain", NULL}, {1.0, 0.0}};
static const params slope_params = {{"a", NULL}, {0.0, 0.0}};
static const params method_uniform_params = {{"from", "to"}, {0.0, 1.0}};

/* The nn.init functions the test understands. */
static const struct init_fn {
  const char *name;
  call_kind kind;
  const params *params;
} init_fns[] = {
    {"uniform_(", CALL_INIT_UNIFORM, &uniform_params},
    {"normal_(", CALL_INIT_NORMAL, &normal_params},
    {"xavier_uniform_(", CALL_XAVIER_UNIFORM, &gain_params},
    {"xavier_normal_(", CALL_XAVIER_NORMAL, &gain_params},
    {"kaiming_uniform_(", CALL_KAIMING_UNIFORM, &slope_params},
    {"kaiming_normal_(", CALL_KAIMING_NORMAL, &slope_params},
};

/* empty = "torch.empty(" dims (",dtype=torch.int64).random_()"
                              | ")." ("uniform_(" | "normal_(") args) */
static int parse_empty(cursor *c, call *k) {
  if (!parse_dims(c, k)) return 0;
  if (cur_lit(c, ",dtype=torch.int64).random_()")) {
    k->kind = CALL_INT64_RANDOM;
    return 1;
  }
  if (!cur_lit(c, ").")) return 0;
  if (cur_lit(c, "uniform_(")) {
    k->kind = CALL_UNIFORM;
    return parse_args(c, &method_uniform_params, 0, k->args);
  }
  if (cur_lit(c, "normal_(")) {
    k->kind = CALL_NORMAL;
    return parse_args(c, &normal_params, 0, k->args);
  }
  return 0;
}

/* init = "nn.init." name "(torch.empty(" dims ")" args */
static int parse_init(cursor *c, call *k) {
  for (size_t i = 0; i < sizeof init_fns / sizeof init_fns[0]; i++) {
    if (!cur_lit(c, init_fns[i].name)) continue;
    k->kind = init_fns[i].kind;
    return cur_lit(c, "torch.empty(") && parse_dims(c, k) && cur_lit(c, ")") &&
           parse_args(c, init_fns[i].params, 1, k->args);
  }
  return 0;
}

/* call = "torch.empty(" empty | "torch.rand(" dims ")" | "torch.randn(" dims ")"
        | "torch.randperm(" int ")" | "nn.Linear(" int comma int ")"
        | "nn.init." init
        | "DataLoader(" int " items, batch_size=" int ", shuffle=True)" */
static int parse_call(const char *text, call *k) {
  cursor c = {text};
  int64_t batch;
  int ok;
  memset(k, 0, sizeof *k);
  if (cur_lit(&c, "torch.empty(")) {
    ok = parse_empty(&c, k);
  } else if (cur_lit(&c, "torch.rand(")) {
    k->kind = CALL_UNIFORM;
    k->args[1] = 1.0;
    ok = parse_dims(&c, k) && cur_lit(&c, ")");
  } else if (cur_lit(&c, "torch.randn(")) {
    k->kind = CALL_NORMAL;
    k->args[1] = 1.0;
    ok = parse_dims(&c, k) && cur_lit(&c, ")");
  } else if (cur_lit(&c, "torch.randperm(")) {
    k->kind = CALL_RANDPERM;
    ok = cur_int(&c, &k->items) && k->items >= 0 && cur_lit(&c, ")");
  } else if (cur_lit(&c, "nn.Linear(")) {
    k->kind = CALL_LINEAR;
    ok = cur_int(&c, &k->in) && cur_comma(&c) && cur_int(&c, &k->out) && cur_lit(&c, ")") &&
         k->in > 0 && k->out > 0;
  } else if (cur_lit(&c, "nn.init.")) {
    ok = parse_init(&c, k);
  } else if (cur_lit(&c, "DataLoader(")) {
    k->kind = CALL_LOADER;
    ok = cur_int(&c, &k->items) && cur_lit(&c, " items, batch_size=") &&
         cur_int(&c, &batch) && cur_lit(&c, ", shuffle=True)") && k->items > 0 && batch > 0;
  } else {
    ok = 0;
  }
  return ok && *c.p == '\0';
}

/* selection = [("L" int " ")? ("weight" | "bias") " " | "epoch " int " " | "call " int " "]
               ("first " int [" of " int] | "all " int | "elements " int ".." int
                | int " values")
               [" indices"] [" (" remark ")"]
   The remark in parentheses is a note for readers and is not interpreted. */
static int parse_selection(const char *text, selection *s) {
  cursor c = {text};
  int64_t a, b;
  s->target = TARGET_LAST;
  s->index = 0;
  s->numel = -1;
  if (cur_lit(&c, "L")) {
    if (!cur_int(&c, &s->index) || s->index < 1 || !cur_lit(&c, " ")) return 0;
    if (cur_lit(&c, "weight "))
      s->target = TARGET_WEIGHT;
    else if (cur_lit(&c, "bias "))
      s->target = TARGET_BIAS;
    else
      return 0;
  } else if (cur_lit(&c, "weight ")) {
    s->target = TARGET_WEIGHT;
  } else if (cur_lit(&c, "bias ")) {
    s->target = TARGET_BIAS;
  } else if (cur_lit(&c, "epoch ")) {
    s->target = TARGET_EPOCH;
    if (!cur_int(&c, &s->index) || s->index < 1 || !cur_lit(&c, " ")) return 0;
  } else if (cur_lit(&c, "call ")) {
    s->target = TARGET_CALL;
    if (!cur_int(&c, &s->index) || s->index < 1 || !cur_lit(&c, " ")) return 0;
  }

  if (cur_lit(&c, "first ")) {
    if (!cur_int(&c, &s->count)) return 0;
    s->first = 0;
    if (cur_lit(&c, " of ") && !cur_int(&c, &s->numel)) return 0;
  } else if (cur_lit(&c, "all ")) {
    if (!cur_int(&c, &s->count)) return 0;
    s->first = 0;
    s->numel = s->count;
  } else if (cur_lit(&c, "elements ")) {
    if (!cur_int(&c, &a) || !cur_lit(&c, "..") || !cur_int(&c, &b) || b < a) return 0;
    s->first = a;
    s->count = b - a + 1;
  } else if (cur_int(&c, &s->count) && cur_lit(&c, " values")) {
    s->first = 0;
    s->numel = s->count;
  } else {
    return 0;
  }
  if (s->first < 0 || s->count < 1) return 0;

  cur_lit(&c, " indices");
  if (cur_lit(&c, " (")) {
    const char *close = strrchr(c.p, ')');
    if (close == NULL || close[1] != '\0') return 0;
    c.p = close + 1;
  }
  return *c.p == '\0';
}

/* header = "seed=" int " | " call (" then " call)* " | " selection
   Python's manual_seed wraps a negative seed modulo 2^64. */
static int parse_header(const char *line, header *h) {
  char buf[1024];
  if (strlen(line) >= sizeof buf) return 0;
  strcpy(buf, line);

  char *calls = strstr(buf, " | ");
  if (calls == NULL) return 0;
  *calls = '\0';
  calls += 3;
  char *sel = strstr(calls, " | ");
  if (sel == NULL) return 0;
  *sel = '\0';
  sel += 3;

  cursor c = {buf};
  if (!cur_lit(&c, "seed=")) return 0;
  errno = 0;
  char *end;
  if (*c.p == '-')
    h->seed = (uint64_t)strtoll(c.p, &end, 10);
  else
    h->seed = strtoull(c.p, &end, 10);
  if (end == c.p || *end != '\0' || errno != 0) return 0;

  h->ncalls = 0;
  for (char *p = calls; p != NULL;) {
    char *then = strstr(p, " then ");
    if (then != NULL) *then = '\0';
    if (h->ncalls == MAX_CALLS || !parse_call(p, &h->calls[h->ncalls])) return 0;
    h->ncalls++;
    p = then ? then + 6 : NULL;
  }
  return parse_selection(sel, &h->sel);
}

/* ------------------------------------------------------------------------
** Replaying the calls with libmgrt
** ---------------------------------------------------------------------- */

static int64_t call_numel(const call *k) {
  int64_t n = 1;
  for (int i = 0; i < k->ndims; i++) n *= k->dims[i];
  return n;
}

/* torch.nn.init._calculate_fan_in_and_fan_out; it needs at least 2 dims. */
static int call_fans(const call *k, int64_t *fan_in, int64_t *fan_out) {
  if (k->ndims < 2) return 0;
  int64_t receptive = 1;
  for (int i = 2; i < k->ndims; i++) receptive *= k->dims[i];
  *fan_in = k->dims[1] * receptive;
  *fan_out = k->dims[0] * receptive;
  return 1;
}

static int tensor_alloc_f32(tensor *t, int64_t n) {
  t->n = n;
  t->f32 = malloc((size_t)(n > 0 ? n : 1) * sizeof *t->f32);
  return t->f32 != NULL;
}

static int tensor_alloc_i64(tensor *t, int64_t n) {
  t->n = n;
  t->i64 = malloc((size_t)(n > 0 ? n : 1) * sizeof *t->i64);
  return t->i64 != NULL;
}

static void tensor_free(tensor *t) {
  free(t->f32);
  free(t->i64);
  memset(t, 0, sizeof *t);
}

/* Replays a call that fills one float tensor with an nn.init function. */
static int run_init(const call *k, mgrt_rng *rng, tensor *t) {
  int64_t fan_in, fan_out;
  const int64_t n = call_numel(k);
  if (!tensor_alloc_f32(t, n)) return 0;
  switch (k->kind) {
  case CALL_INIT_UNIFORM:
    mgrt_init_uniform(rng, t->f32, n, k->args[0], k->args[1]);
    return 1;
  case CALL_INIT_NORMAL:
    mgrt_init_normal(rng, t->f32, n, k->args[0], k->args[1]);
    return 1;
  case CALL_XAVIER_UNIFORM:
    if (!call_fans(k, &fan_in, &fan_out)) return 0;
    mgrt_init_xavier_uniform(rng, t->f32, n, fan_in, fan_out, k->args[0]);
    return 1;
  case CALL_XAVIER_NORMAL:
    if (!call_fans(k, &fan_in, &fan_out)) return 0;
    mgrt_init_xavier_normal(rng, t->f32, n, fan_in, fan_out, k->args[0]);
    return 1;
  case CALL_KAIMING_UNIFORM:
    if (!call_fans(k, &fan_in, &fan_out)) return 0;
    mgrt_init_kaiming_uniform(rng, t->f32, n, fan_in, k->args[0]);
    return 1;
  case CALL_KAIMING_NORMAL:
    if (!call_fans(k, &fan_in, &fan_out)) return 0;
    mgrt_init_kaiming_normal(rng, t->f32, n, fan_in, k->args[0]);
    return 1;
  default:
    return 0;
  }
}

/* Runs one call, leaving its result(s) in out[0] (and out[1] for the bias of
   a Linear).  A DataLoader runs `epochs` epochs and keeps the last order. */
static int run_call(const call *k, mgrt_rng *rng, int64_t epochs, tensor out[2]) {
  const int64_t n = call_numel(k);
  switch (k->kind) {
  case CALL_INT64_RANDOM:
    if (!tensor_alloc_i64(&out[0], n)) return 0;
    for (int64_t i = 0; i < n; i++)
      out[0].i64[i] = (int64_t)(mgrt_rng_next64(rng) & UINT64_C(0x7fffffffffffffff));
    return 1;
  case CALL_UNIFORM:
    if (!tensor_alloc_f32(&out[0], n)) return 0;
    mgrt_rng_uniform(rng, out[0].f32, n, k->args[0], k->args[1]);
    return 1;
  case CALL_NORMAL:
    if (!tensor_alloc_f32(&out[0], n)) return 0;
    mgrt_rng_normal(rng, out[0].f32, n, k->args[0], k->args[1]);
    return 1;
  case CALL_RANDPERM:
    if (!tensor_alloc_i64(&out[0], k->items)) return 0;
    mgrt_rng_randperm(rng, out[0].i64, k->items);
    return 1;
  case CALL_LINEAR:
    if (!tensor_alloc_f32(&out[0], k->in * k->out) || !tensor_alloc_f32(&out[1], k->out))
      return 0;
    mgrt_init_linear(rng, out[0].f32, out[1].f32, k->in, k->out);
    return 1;
  case CALL_LOADER:
    if (!tensor_alloc_i64(&out[0], k->items)) return 0;
    for (int64_t e = 0; e < epochs; e++) mgrt_rng_epoch_order(rng, out[0].i64, k->items);
    return 1;
  default:
    return run_init(k, rng, &out[0]);
  }
}

/* Which call and which of its outputs the selection names; -1 if none or if
   the text is ambiguous (weight of which Linear?). */
static int find_target(const header *h, int *output) {
  const selection *s = &h->sel;
  int found = -1, seen = 0;
  *output = s->target == TARGET_BIAS ? 1 : 0;
  switch (s->target) {
  case TARGET_LAST:
    found = h->ncalls - 1;
    break;
  case TARGET_CALL:
    found = s->index <= h->ncalls ? (int)s->index - 1 : -1;
    break;
  case TARGET_WEIGHT:
  case TARGET_BIAS:
  case TARGET_EPOCH:
    for (int i = 0; i < h->ncalls; i++) {
      call_kind want = s->target == TARGET_EPOCH ? CALL_LOADER : CALL_LINEAR;
      if (h->calls[i].kind != want) continue;
      seen++;
      if (s->target == TARGET_EPOCH || s->index == 0 || s->index == seen) found = i;
    }
    /* Without "LK" there must be exactly one Linear; likewise one loader. */
    if ((s->target == TARGET_EPOCH || s->index == 0) && seen != 1) return -1;
    break;
  }
  if (found < 0) return -1;
  /* A bare selection of a Linear would not say which of its two tensors. */
  if (h->calls[found].kind == CALL_LINEAR && s->target != TARGET_WEIGHT &&
      s->target != TARGET_BIAS)
    return -1;
  return found;
}

/* Seeds, replays every call and keeps the target's output in *result. */
static int run_header(const header *h, int target, int output, tensor *result) {
  mgrt_rng rng;
  mgrt_rng_seed(&rng, h->seed);
  for (int i = 0; i < h->ncalls; i++) {
    tensor out[2] = {{0}, {0}};
    const int64_t epochs = i == target && h->sel.target == TARGET_EPOCH ? h->sel.index : 1;
    int ok = run_call(&h->calls[i], &rng, epochs, out);
    if (ok && i == target) {
      *result = out[output];
      memset(&out[output], 0, sizeof out[output]);
    }
    tensor_free(&out[0]);
    tensor_free(&out[1]);
    if (!ok) return 0;
  }
  return 1;
}

/* ------------------------------------------------------------------------
** Comparing
** ---------------------------------------------------------------------- */

/* One line per problem: "FILE:LINE: HEADER: message". */
static void report(const vector_text *v, const char *message) {
  printf("%s:%ld: %s: %s\n", v->source, v->line, v->text, message);
}

static int64_t float_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, sizeof b);
  return b;
}

/* The expected floats: hex if given, else dec.  With both, they must agree. */
static const value_list *expected_floats(const vector_text *v) {
  if (v->hex.present && v->dec.present) {
    int same = v->hex.n == v->dec.n;
    for (int64_t i = 0; same && i < v->hex.n; i++) same = v->hex.v[i] == v->dec.v[i];
    if (!same) {
      report(v, "the dec and hex lines disagree");
      return NULL;
    }
  }
  return v->hex.present ? &v->hex : v->dec.present ? &v->dec : NULL;
}

/* Compares the selected elements; prints one line per differing element. */
static int compare_values(const vector_text *v, const selection *s, const tensor *t) {
  const int float_lines = v->hex.present || v->dec.present;
  if (t->f32 ? !float_lines || v->idx.present : !v->idx.present || float_lines) {
    report(v, t->f32 ? "a float tensor wants hex or dec lines only"
                           : "an index tensor wants one idx line only");
    return 0;
  }
  const value_list *want = t->f32 ? expected_floats(v) : &v->idx;
  if (want == NULL) return 0;
  if (want->n != s->count) {
    report(v, "the number of values does not match the selection");
    return 0;
  }
  int ok = 1;
  for (int64_t i = 0; i < s->count; i++) {
    const int64_t j = s->first + i;
    const int64_t got = t->f32 ? float_bits(t->f32[j]) : t->i64[j];
    if (got == want->v[i]) continue;
    char detail[160];
    if (t->f32)
      snprintf(detail, sizeof detail,
               "element %" PRId64 ": expected 0x%08" PRIx64 ", got 0x%08" PRIx64 " (%.9g)", j,
               want->v[i], got, (double)t->f32[j]);
    else
      snprintf(detail, sizeof detail, "element %" PRId64 ": expected %" PRId64 ", got %" PRId64,
               j, want->v[i], got);
    report(v, detail);
    ok = 0;
  }
  return ok;
}

/* Runs one vector; 1 if it passes. */
static int check_vector(const vector_text *v) {
  header h;
  int output;
  if (!parse_header(v->text, &h)) {
    report(v, "description not recognised");
    return 0;
  }
  const int target = find_target(&h, &output);
  if (target < 0) {
    report(v, "the selection does not name one tensor of the calls");
    return 0;
  }
  tensor result = {0};
  if (!run_header(&h, target, output, &result)) {
    report(v, "could not replay the calls (bad shape or out of memory)");
    tensor_free(&result);
    return 0;
  }
  int ok = 1;
  if ((h.sel.numel >= 0 && h.sel.numel != result.n) || h.sel.first + h.sel.count > result.n) {
    report(v, "the selection does not fit the tensor's size");
    ok = 0;
  } else {
    ok = compare_values(v, &h.sel, &result);
  }
  tensor_free(&result);
  return ok;
}

/* ------------------------------------------------------------------------
** Reading vector lines
** ---------------------------------------------------------------------- */

typedef struct tally {
  int passed, failed;
} tally;

static int value_push(value_list *l, int64_t x) {
  if (l->n == l->cap) {
    int64_t cap = l->cap ? 2 * l->cap : 32;
    int64_t *v = realloc(l->v, (size_t)cap * sizeof *v);
    if (v == NULL) return 0;
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = x;
  return 1;
}

/* values = ("hex:" (0xHHHHHHHH)+ | "dec:" num+ | "idx:" int+) after two spaces */
static int parse_values(vector_text *v, const char *line) {
  cursor c = {line};
  value_list *l;
  if (cur_lit(&c, "  hex:")) l = &v->hex;
  else if (cur_lit(&c, "  dec:")) l = &v->dec;
  else if (cur_lit(&c, "  idx:")) l = &v->idx;
  else return 0;
  if (l->present) return 0; /* two lines of one kind: ambiguous */
  l->present = 1;
  for (cur_spaces(&c); *c.p != '\0'; cur_spaces(&c)) {
    char *end;
    int64_t x;
    errno = 0;
    if (l == &v->hex) {
      if (!cur_lit(&c, "0x")) return 0;
      unsigned long long u = strtoull(c.p, &end, 16);
      if (end == c.p || u > 0xffffffffu) return 0;
      x = (int64_t)u;
    } else if (l == &v->dec) {
      float f = strtof(c.p, &end);
      if (end == c.p) return 0;
      x = float_bits(f);
    } else {
      long long i = strtoll(c.p, &end, 10);
      if (end == c.p) return 0;
      x = (int64_t)i;
    }
    if (errno == ERANGE && l != &v->dec) return 0;
    c.p = end;
    if (*c.p != ' ' && *c.p != '\0') return 0;
    if (!value_push(l, x)) return 0;
  }
  return l->n > 0;
}

static void vector_reset(vector_text *v) {
  free(v->hex.v);
  free(v->dec.v);
  free(v->idx.v);
  memset(v, 0, sizeof *v);
}

/* Finishes the vector being read, if any. */
static void vector_finish(vector_text *v, int broken, tally *t) {
  if (v->text != NULL) {
    if (!broken && check_vector(v))
      t->passed++;
    else
      t->failed++;
  }
  vector_reset(v);
}

/* Checks every vector in lines[0..n-1]; source names them in messages. */
static void check_lines(const char *source, const char *const *lines, long n, tally *t) {
  vector_text v = {0};
  int broken = 0;
  for (long i = 0; i < n; i++) {
    const char *line = lines[i];
    if (line[0] == '#' || line[0] == '\0') continue;
    if (strncmp(line, "seed=", 5) == 0) {
      vector_finish(&v, broken, t);
      v.source = source;
      v.line = i + 1;
      v.text = line;
      broken = 0;
    } else if (v.text == NULL || !parse_values(&v, line)) {
      printf("%s:%ld: unrecognised line: %s\n", source, i + 1, line);
      if (v.text == NULL) t->failed++; /* a stray line counts as a failed vector */
      broken = 1;
    }
  }
  vector_finish(&v, broken, t);
}

/* Reads a whole file and splits it into NUL-terminated lines. */
static const char **read_lines(const char *path, long *n, char **buffer) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap + 1);
  for (size_t got; buf != NULL && (got = fread(buf + len, 1, cap - len, f)) > 0;) {
    len += got;
    if (len == cap) {
      char *bigger = realloc(buf, 2 * cap + 1);
      if (bigger == NULL) free(buf);
      buf = bigger;
      cap *= 2;
    }
  }
  fclose(f);
  if (buf == NULL) return NULL;
  buf[len] = '\0';

  long count = 1;
  for (size_t i = 0; i < len; i++) count += buf[i] == '\n';
  const char **lines = malloc((size_t)count * sizeof *lines);
  if (lines == NULL) {
    free(buf);
    return NULL;
  }
  *n = 0;
  for (char *p = buf; p != NULL;) {
    char *nl = strchr(p, '\n');
    if (nl != NULL) *nl = '\0';
    size_t l = strlen(p);
    if (l > 0 && p[l - 1] == '\r') p[l - 1] = '\0';
    if (nl != NULL || *p != '\0') lines[(*n)++] = p;
    p = nl ? nl + 1 : NULL;
  }
  *buffer = buf;
  return lines;
}

/* ------------------------------------------------------------------------
** Built-in vectors
**
** They cover what the file does not: the fill path of normal_ at sizes that
** are not a multiple of 16 (17..47 and a 10^6+3 tail), the Box-Muller cache
** carried across calls and past uniform_/randperm/fill-path calls, seeds above
** 2^32 and below 0, keyword arguments of nn.init, 4-D fans, several epochs.
** Printed by this script with /usr/bin/python3 and Debian's torch 1.13.1, the
** build the file's vectors come from:
**
**   import re, struct, torch
**   from torch import nn
**   from torch.utils.data import DataLoader
**
**   def epoch(loader, e):  # the order DataLoader visits its items in epoch e
**       for _ in range(e): order = [int(i) for batch in loader for i in batch]
**       return order
**
**   def call(text):
**       m = re.fullmatch(r"DataLoader\((\d+) items, (.*)\)", text)
**       return eval(f"DataLoader(range({m[1]}), {m[2]})" if m else text)
**
**   def show(seed, text, sel, pick=lambda r: r[-1]):
**       torch.manual_seed(seed)
**       v = pick([call(t) for t in text.split(" then ")])
**       v = v if isinstance(v, list) else v.detach().flatten().tolist()
**       m = re.search(r"(first|all|elements) (\d+)(?:\.\.(\d+))?", sel)
**       if m and m[1] == "first": v = v[:int(m[2])]
**       if m and m[1] == "elements": v = v[int(m[2]):int(m[3]) + 1]
**       print(f"seed={seed} | {text} | {sel}")
**       print("  idx: " + " ".join(map(str, v)) if isinstance(v[0], int) else "  hex: " +
**             " ".join("%#010x" % struct.unpack("<I", struct.pack("<f", x))[0] for x in v))
**
**   for n in (16, 17, 20, 24, 31, 32, 33, 47): show(0, f"torch.randn({n})", f"all {n}")
**   for n in (17, 18): show(42, f"torch.randn({n})", f"all {n}")
**   seq = (3, 3, 20, 1, 15, 16, 17, 33, 2)
**   for k in range(9):
**       show(1, " then ".join(f"torch.randn({m})" for m in seq), f"call {k + 1} all {seq[k]}",
**            lambda r: r[k])
**   show(7, "torch.randn(3) then nn.Linear(4,3) then torch.randn(3)", "call 3 all 3")
**   show(7, "torch.randn(1) then torch.randperm(10) then torch.randn(1)", "call 3 all 1")
**   show(7, "torch.randn(5) then torch.rand(4) then torch.randn(16) then torch.randn(1)", "call 4 all 1")
**   show(12345, "torch.empty(40).normal_(0.5,2)", "all 40")
**   show(12345, "torch.empty(5).normal_(0.5,2)", "all 5")
**   show(12345, "torch.empty(9).uniform_(-1,1)", "all 9")
**   show(4294967297, "torch.rand(3,5)", "all 15")
**   show(4294967297, "torch.empty(4,dtype=torch.int64).random_()", "4 values")
**   show(-1, "torch.randn(7)", "all 7")
**   show(0, "nn.Linear(784,256) then nn.Linear(256,10) then "
**        "DataLoader(60000 items, batch_size=100, shuffle=True)", "epoch 1 first 20 indices",
**        lambda r: epoch(r[2], 1))
**   show(0, "DataLoader(1000 items, batch_size=32, shuffle=True)", "epoch 3 first 50 indices",
**        lambda r: epoch(r[0], 3))
**   show(0, "DataLoader(10 items, batch_size=3, shuffle=True)", "epoch 2 all 10 indices",
**        lambda r: epoch(r[0], 2))
**   show(3, "nn.init.kaiming_uniform_(torch.empty(64,32))", "first 8")
**   show(3, "nn.init.kaiming_uniform_(torch.empty(64,32),a=0.1)", "first 8")
**   show(3, "nn.init.xavier_uniform_(torch.empty(30,20),gain=2)", "first 8")
**   show(3, "nn.init.xavier_normal_(torch.empty(4,3))", "all 12 (scalar path)")
**   show(3, "nn.init.xavier_uniform_(torch.empty(8,3,5,5))", "first 8")
**   show(3, "nn.init.kaiming_normal_(torch.empty(10,3,3,3))", "elements 254..269")
**   show(3, "nn.init.uniform_(torch.empty(5,5),-0.1,0.1)", "all 25")
**   show(3, "nn.init.normal_(torch.empty(3,7),mean=1,std=0.5)", "all 21")
**   show(0, "nn.Linear(3,2)", "weight all 6", lambda r: r[0].weight)
**   show(0, "nn.Linear(3,2)", "bias all 2", lambda r: r[0].bias)
**   show(0, "nn.Linear(1,1) then nn.Linear(5,4)", "L2 bias all 4", lambda r: r[1].bias)
**   show(0, "torch.randn(1000003)", "elements 999990..1000002")
**   show(5, "torch.randperm(1)", "all 1")
**   show(5, "torch.randperm(2)", "all 2")
** ---------------------------------------------------------------------- */

static const char *const builtin_lines[] = {
    "seed=0 | torch.randn(16) | all 16",
    "  hex: 0xbf901b85 0xbf93808a 0xbe804bd6 0xbede255d 0x3f594515 0x3f312783 0xbea1cc6d 0xc0075fc1 0x3ea50138 0xbfa1b4f4 0x3eb330ff 0x3e9dc3bb 0x3df56f77 0x3f9e6b93 0x3f8ef28e 0xbe7d367c",
    "seed=0 | torch.randn(17) | all 17",
    "  hex: 0xbf901b85 0xbfd91446 0x3f111004 0x3f4b235d 0x3f194d8b 0xbfc70d5b 0xbeaec6ca 0x3fed2f4e 0x3eefaa55 0xbf15e32b 0xbe318eeb 0x3e3be1a4 0x3fb1d6c0 0x3fcb0d00 0x3f72409c 0xbf57fb33 0x3f6e8c30",
    "seed=0 | torch.randn(20) | all 20",
    "  hex: 0xbf901b85 0xbf93808a 0xbe804bd6 0xbede255d 0x3f194d8b 0xbfc70d5b 0xbeaec6ca 0x3fed2f4e 0x3eefaa55 0xbe217f5f 0x3fb8c9db 0x3e8837a1 0x3fb1d6c0 0x3fcb0d00 0x3f72409c 0xbf57fb33 0x3f6e8c30 0x3fa12737 0x4000519a 0x3d5c1b3a",
    "seed=0 | torch.randn(24) | all 24",
    "  hex: 0xbf901b85 0xbf93808a 0xbe804bd6 0xbede255d 0x3f594515 0x3f312783 0xbea1cc6d 0xc0075fc1 0x3eefaa55 0xbe217f5f 0x3fb8c9db 0x3e8837a1 0x3e2a7345 0x3f5fd77d 0xbe12eacf 0xbde4936f 0x3f6e8c30 0x3fa12737 0x4000519a 0x3d5c1b3a 0x3f1e38f6 0xbed35ad0 0xbf575006 0xc0143a08",
    "seed=0 | torch.randn(31) | all 31",
    "  hex: 0xbf901b85 0xbf93808a 0xbe804bd6 0xbede255d 0x3f594515 0x3f312783 0xbea1cc6d 0xc0075fc1 0x3ea50138 0xbfa1b4f4 0x3eb330ff 0x3e9dc3bb 0x3df56f77 0x3f9e6b93 0x3f8ef28e 0xbde4936f 0xbf1d13c8 0x3d016764 0xbefc4028 0x3e7e6070 0x3ee11fd0 0x3de637d6 0x3f240af8 0xc0143a08 0xbdd187b9 0x3f4add9c 0xbe944f53 0x3d571217 0x3f05da2f 0x40135755 0xbfbc04b7",
    "seed=0 | torch.randn(32) | all 32",
    "  hex: 0xbf901b85 0xbf93808a 0xbe804bd6 0xbede255d 0x3f594515 0x3f312783 0xbea1cc6d 0xc0075fc1 0x3ea50138 0xbfa1b4f4 0x3eb330ff 0x3e9dc3bb 0x3df56f77 0x3f9e6b93 0x3f8ef28e 0xbe7d367c 0xbfad23c2 0xbfd91446 0x3f111004 0x3f4b235d 0x3f194d8b 0xbfc70d5b 0xbeaec6ca 0x3fed2f4e 0x3f400c6b 0xbf15e32b 0xbe318eeb 0x3e3be1a4 0x3fb1d6c0 0x3fcb0d00 0x3f72409c 0xbf57fb33",
    "seed=0 | torch.randn(33) | all 33",
    "  hex: 0xbf901b85 0xbf93808a 0xbe804bd6 0xbede255d 0x3f594515 0x3f312783 0xbea1cc6d 0xc0075fc1 0x3ea50138 0xbfa1b4f4 0x3eb330ff 0x3e9dc3bb 0x3df56f77 0x3f9e6b93 0x3f8ef28e 0xbe7d367c 0xbfad23c2 0x3d016764 0xbefc4028 0x3e7e6070 0x3ee11fd0 0x3de637d6 0x3f240af8 0x3ee1df3c 0xbe5d0b42 0x3f4add9c 0xbe944f53 0x3d571217 0x3f05da2f 0x40135755 0xbfbc04b7 0xbfcb189e 0x3f9a033c",
    "seed=0 | torch.randn(47) | all 47",
    "  hex: 0xbf901b85 0xbf93808a 0xbe804bd6 0xbede255d 0x3f594515 0x3f312783 0xbea1cc6d 0xc0075fc1 0x3ea50138 0xbfa1b4f4 0x3eb330ff 0x3e9dc3bb 0x3df56f77 0x3f9e6b93 0x3f8ef28e 0xbe7d367c 0xbfad23c2 0xbfd91446 0x3f111004 0x3f4b235d 0x3f194d8b 0xbfc70d5b 0xbeaec6ca 0x3fed2f4e 0x3f400c6b 0xbf15e32b 0xbe318eeb 0x3e3be1a4 0x3fb1d6c0 0x3fcb0d00 0x3f72409c 0x3efa4d25 0xbf2c4f9f 0x3f5f71de 0x3f8715f4 0x3e361caa 0xbe6bdd10 0xbec89408 0x3f0b155d 0x3fda734a 0xbee47694 0x3f3e7824 0x3fc2af75 0x405a45ad 0xbfc3fdd9 0xbf9df823 0x3fe8ecc2",
    "seed=42 | torch.randn(17) | all 17",
    "  hex: 0x3ff6a529 0xbe236d85 0xbefeaae4 0x3ee111d8 0xbf4214e2 0x3f8a0650 0x3f4d0144 0x3fd71e93 0x3eb63345 0x3fa5f12f 0x3f1c4788 0x3faad8b0 0xbe6d2eed 0x3d2b0c00 0xbe80ce7a 0x3f5c1fb0 0xbe9e9482",
    "seed=42 | torch.randn(18) | all 18",
    "  hex: 0x3ff6a529 0x3fbe5f53 0xbefeaae4 0x3ee111d8 0xbf4214e2 0x3f8a0650 0x3f4d0144 0x3fd71e93 0x3eb63345 0xbf2fc686 0x3f1c4788 0x3faad8b0 0xbe6d2eed 0x3d2b0c00 0xbe80ce7a 0x3f5c1fb0 0xbe9e9482 0xbeca9a91",
    "seed=1 | torch.randn(3) then torch.randn(3) then torch.randn(20) then torch.randn(1) then torch.randn(15) then torch.randn(16) then torch.randn(17) then torch.randn(33) then torch.randn(2) | call 1 all 3",
    "  hex: 0x3f294e60 0x3e88aa47 0x3d7ca14b",
    "seed=1 | torch.randn(3) then torch.randn(3) then torch.randn(20) then torch.randn(1) then torch.randn(15) then torch.randn(16) then torch.randn(17) then torch.randn(33) then torch.randn(2) | call 2 all 3",
    "  hex: 0x3f1f0ea7 0xbee76038 0xbe2a1e0b",
    "seed=1 | torch.randn(3) then torch.randn(3) then torch.randn(20) then torch.randn(1) then torch.randn(15) then torch.randn(16) then torch.randn(17) then torch.randn(33) then torch.randn(2) | call 3 all 20",
    "  hex: 0xbf17561d 0x3e8c2a94 0xbf77008b 0xbe7178b2 0x3ff08e67 0xbd93b9d4 0x3e218e9e 0xbf460124 0x3e4bd578 0x3d3b32d6 0x3e1ca0bd 0xbef38c2c 0xbde35e5d 0x3e95e165 0xbe21a229 0xbcebd302 0x4016dae8 0xbf84c784 0x3fc992fc 0xbf213dab",
    "seed=1 | torch.randn(3) then torch.randn(3) then torch.randn(20) then torch.randn(1) then torch.randn(15) then torch.randn(16) then torch.randn(17) then torch.randn(33) then torch.randn(2) | call 4 all 1",
    "  hex: 0x3ea6a823",
    "seed=1 | torch.randn(3) then torch.randn(3) then torch.randn(20) then torch.randn(1) then torch.randn(15) then torch.randn(16) then torch.randn(17) then torch.randn(33) then torch.randn(2) | call 5 all 15",
    "  hex: 0xbef5527c 0x3fb08358 0x4021d3e2 0x3ed24cbb 0xbf7cee09 0xbf68777f 0x3f0ad272 0x3de1cd51 0xc010939d 0x3f1b50aa 0xbe0da10c 0x3f54bd7c 0xbe7da706 0xbf4d8d8a 0x3e7240a2",
    "seed=1 | torch.randn(3) then torch.randn(3) then torch.randn(20) then torch.randn(1) then torch.randn(15) then torch.randn(16) then torch.randn(17) then torch.randn(33) then torch.randn(2) | call 6 all 16",
    "  hex: 0xbf01a91b 0x3dcc570c 0xbf276acd 0x3f3b5047 0xbfb799f5 0xbf003549 0x3e2fc099 0xbe23d53d 0x3e825f52 0xbf008046 0xbf85460b 0x3f3b75dd 0xbf863002 0xbef116d1 0x3e950fd3 0x3ffecf66",
    "seed=1 | torch.randn(3) then torch.randn(3) then torch.randn(20) then torch.randn(1) then torch.randn(15) then torch.randn(16) then torch.randn(17) then torch.randn(33) then torch.randn(2) | call 7 all 17",
    "  hex: 0x3f29547b 0xbf0f6d29 0x3fa49496 0x3f511b5e 0x3e523b3d 0x3e9c3702 0x3f0922c9 0xbedcc448 0x3e210e51 0xbe6ef6f1 0xbc5cba35 0x3fee2948 0xbffd7df4 0x3fe637f7 0x3dd08298 0x3eae1544 0xbf2508d2",
    "seed=1 | torch.randn(3) then torch.randn(3) then torch.randn(20) then torch.randn(1) then torch.randn(15) then torch.randn(16) then torch.randn(17) then torch.randn(33) then torch.randn(2) | call 8 all 33",
    "  hex: 0xbfe36497 0x3eb52dbd 0x3f998ced 0xbe9b227a 0xbfe18407 0x3f22852d 0xbf4dea7a 0xbf84c03d 0xbfef9103 0x3f0b0787 0x3f29223c 0x4012e4bf 0x3f2cc6a3 0x3fdb4e1f 0xbfe5aac0 0xbfc2a99e 0xbf7bb448 0xbf57077d 0xbed70c95 0xbf1fc0d8 0xbf7a3014 0x3f5ff5b3 0x3f7cbe79 0x3e803d4a 0xbf4b042f 0x3f9a451b 0xbfe86549 0xbece9283 0xbf758a8a 0xbbaaa563 0xbda182ff 0xbec73aab 0xbda30583",
    "seed=1 | torch.randn(3) then torch.randn(3) then torch.randn(20) then torch.randn(1) then torch.randn(15) then torch.randn(16) then torch.randn(17) then torch.randn(33) then torch.randn(2) | call 9 all 2",
    "  hex: 0x3ee04bca 0x408178a8",
    "seed=7 | torch.randn(3) then nn.Linear(4,3) then torch.randn(3) | call 3 all 3",
    "  hex: 0xbf8ea2d3 0xbfc59419 0xbf18f620",
    "seed=7 | torch.randn(1) then torch.randperm(10) then torch.randn(1) | call 3 all 1",
    "  hex: 0x3f49408e",
    "seed=7 | torch.randn(5) then torch.rand(4) then torch.randn(16) then torch.randn(1) | call 4 all 1",
    "  hex: 0xbf651371",
    "seed=12345 | torch.empty(40).normal_(0.5,2) | all 40",
    "  hex: 0xc01d6a57 0x3fbcc016 0xc0b0d19d 0x3fb1a07e 0x3f9c18fc 0x3ef35b03 0x3f6fe22c 0xc0040728 0x40aa5108 0x408ff1b6 0x400473dc 0xbfc4fc10 0x3da17b48 0x3fe0787c 0x401743ff 0x3f5f9e51 0x401abe25 0xbfe318c4 0x3f00ab0f 0x4048a11a 0xbfc3cbf6 0xbf15f1ae 0x3fae4524 0xc0567c5b 0xbfd46692 0x4005d072 0x3fb66a24 0x3fa877ea 0xc0240116 0xbf4de654 0x3e1fe040 0xbe375b90 0xbe3f6ff4 0x3fdcfd35 0xc014a896 0x3ff7bc89 0x3f90942a 0x3f0307f8 0x4014af48 0xc06563da",
    "seed=12345 | torch.empty(5).normal_(0.5,2) | all 5",
    "  hex: 0x4056ac36 0xc04f5f15 0xbff23ad8 0xc065a032 0xbed2ef31",
    "seed=12345 | torch.empty(9).uniform_(-1,1) | all 9",
    "  hex: 0x3f76a3c4 0x3f425bca 0x3f7bfa3a 0xbd9f77f0 0xbf5564b8 0xbf24a4ae 0xbe87c008 0x3e0a8bf0 0xbea64a6c",
    "seed=4294967297 | torch.rand(3,5) | all 15",
    "  hex: 0x3f41f425 0x3e8f01d6 0x3ece5f18 0x3f3c1448 0x3cefdfe0 0x3f4cc389 0x3ecb5596 0x3f411e85 0x3f11cb4f 0x3ee0a780 0x3f238090 0x3f065081 0x3f2ebfcc 0x3e9c3c8e 0x3eed55da",
    "seed=4294967297 | torch.empty(4,dtype=torch.int64).random_() | 4 values",
    "  idx: 7692698082559361259 4064269471072392264 2109959069025161 5577051506714156677",
    "seed=-1 | torch.randn(7) | all 7",
    "  hex: 0x3f9c2132 0xbec9349b 0x3f82f420 0xbebf310e 0xbd9aa517 0xbfa10d9b 0x3eab5fdc",
    "seed=0 | nn.Linear(784,256) then nn.Linear(256,10) then DataLoader(60000 items, batch_size=100, shuffle=True) | epoch 1 first 20 indices",
    "  idx: 22526 41901 22038 20169 33002 47829 19217 49671 42993 17361 27455 45313 22863 10779 15503 42864 32947 58325 1609 16101",
    "seed=0 | DataLoader(1000 items, batch_size=32, shuffle=True) | epoch 3 first 50 indices",
    "  idx: 157 454 879 737 27 384 894 375 289 733 753 350 276 896 514 306 216 283 302 383 329 82 527 907 609 233 396 97 137 758 735 38 589 641 608 872 530 811 236 44 434 702 814 83 278 592 266 197 138 691",
    "seed=0 | DataLoader(10 items, batch_size=3, shuffle=True) | epoch 2 all 10 indices",
    "  idx: 2 4 7 0 8 9 5 3 6 1",
    "seed=3 | nn.init.kaiming_uniform_(torch.empty(64,32)) | first 8",
    "  hex: 0xbedbcfe1 0xbeaee47c 0xbe3deac3 0xbed1c027 0xbcc961a0 0xbec30bf0 0x3e7117e6 0x3e581d73",
    "seed=3 | nn.init.kaiming_uniform_(torch.empty(64,32),a=0.1) | first 8",
    "  hex: 0xbedab89d 0xbeae064a 0xbe3cf97a 0xbed0b5ab 0xbcc861c6 0xbec21423 0x3e6fe598 0x3e570ae1",
    "seed=3 | nn.init.xavier_uniform_(torch.empty(30,20),gain=2) | first 8",
    "  hex: 0xbf2fd981 0xbf0be9fd 0xbe97ef02 0xbf27ccec 0xbd211ae6 0xbf1c098d 0x3ec0dfeb 0x3eace45c",
    "seed=3 | nn.init.xavier_normal_(torch.empty(4,3)) | all 12 (scalar path)",
    "  hex: 0x3edbd645 0x3dbf63f6 0x3d42cf1b 0xbea7f5a8 0x3cca395e 0xbf3b3ac2 0x3e38ba71 0x3f0a5bdc 0xbf446300 0x3f05bfe4 0x3e8edf4e 0x3f2964cc",
    "seed=3 | nn.init.xavier_uniform_(torch.empty(8,3,5,5)) | first 8",
    "  hex: 0xbe15f70f 0xbdeea35d 0xbd8191c6 0xbe0f19c9 0xbc096410 0xbe0511ae 0x3da47bed 0x3d93715d",
    "seed=3 | nn.init.kaiming_normal_(torch.empty(10,3,3,3)) | elements 254..269",
    "  hex: 0xbebcf8db 0xbe32e395 0x3d0a269a 0xbe8752f9 0xbe55650f 0x3d896cb9 0xbd1fc14f 0x3da16aa0 0xbe0baac6 0x3e435e1a 0x3e18ddfb 0xbe317b45 0x3d482213 0x3ddbbebf 0xbe3e69e0 0x3c08fc09",
    "seed=3 | nn.init.uniform_(torch.empty(5,5),-0.1,0.1) | all 25",
    "  hex: 0xbdcb0dbd 0xbda18f0d 0xbd2f7017 0xbdc1c262 0xbbba0733 0xbdb42d27 0x3d5eb667 0x3d47a377 0x3c9ab320 0x3d9eddb8 0xbc2075e7 0x3d7557bd 0xbd8f6cd8 0xbca16efa 0xbdb69bf0 0xbc05055a 0xbd84df42 0x3db7fc3d 0x3d8e4300 0x3d998a87 0x3cf2fde7 0xbd69aba3 0x3db8090b 0xbdc7d71d 0xbd82b673",
    "seed=3 | nn.init.normal_(torch.empty(3,7),mean=1,std=0.5) | all 21",
    "  hex: 0x3f763085 0x3f97084c 0x3f1be6e0 0x3f8493e9 0x3faa8cba 0x3fa16b83 0x3f6aa5ff 0x3f8364e6 0x3f99e515 0x3fa71f88 0x3fb0aa3c 0x3f7bb194 0x3f53dc1c 0x3f9d6336 0x400df6f7 0x3f6d3564 0x3f9f0c1c 0x3f8d228f 0x3f95a8cf 0x3fd69386 0x3f97e9a4",
    "seed=0 | nn.Linear(3,2) | weight all 6",
    "  hex: 0xbb8da3e8 0x3e9e9313 0xbef34b7e 0xbed98bc9 0xbe63b4b1 0x3e1e8953",
    "seed=0 | nn.Linear(3,2) | bias all 2",
    "  hex: 0xbc3b6b40 0x3eea617a",
    "seed=0 | nn.Linear(1,1) then nn.Linear(5,4) | L2 bias all 4",
    "  hex: 0xbdbc7db4 0x3eab57ed 0xbd93a075 0x3d41d431",
    "seed=0 | torch.randn(1000003) | elements 999990..1000002",
    "  hex: 0x3f88c148 0xbf60a369 0xbde45ff9 0x3fe945d5 0x3da9890c 0xbeac59f3 0xbf91d0b7 0xbeeca636 0x3fe241cf 0xbe9dc0ff 0x3eaeb8dc 0x3d3ecbcb 0x3f949d66",
    "seed=5 | torch.randperm(1) | all 1",
    "  idx: 0",
    "seed=5 | torch.randperm(2) | all 2",
    "  idx: 1 0",
};

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s tests/data/pytorch-rng-vectors.txt\n", argv[0]);
    return 2;
  }
  long n;
  char *buffer;
  const char **lines = read_lines(argv[1], &n, &buffer);
  if (lines == NULL) {
    fprintf(stderr, "%s: cannot read %s: %s\n", argv[0], argv[1], strerror(errno));
    return 1;
  }
  tally file = {0, 0}, builtin = {0, 0};
  check_lines(argv[1], lines, n, &file);
  if (file.passed + file.failed == 0) {
    /* An empty or truncated file must not pass on the built-ins alone. */
    printf("%s: no vectors\n", argv[1]);
    file.failed = 1;
  }
  check_lines("built-in", builtin_lines, (long)(sizeof builtin_lines / sizeof builtin_lines[0]),
              &builtin);
  free((void *)lines);
  free(buffer);

  const int passed = file.passed + builtin.passed;
  const int failed = file.failed + builtin.failed;
  printf("%s: %d passed, %d failed; built-in: %d passed, %d failed\n", argv[1], file.passed,
         file.failed, builtin.passed, builtin.failed);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
