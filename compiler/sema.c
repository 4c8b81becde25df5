/*
** sema.c — checks a parsed program and builds its forward graph.
**
** Statements are visited in source order, so names must be defined before
** use.  Every error points at the construct at fault and sema carries on, so
** one run reports several errors.  Builtin calls are in sema_builtins.c, the
** train and eval blocks in sema_settings.c.
*/
#include "sema.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- scope ----------------------------------------------------------- */

static Symbol **bucket(Sema *s, const char *name) {
  unsigned h = 2166136261u;
  for (const char *p = name; *p; p++)
    h = (h ^ (unsigned char)*p) * 16777619u;
  return &s->table[h % (sizeof s->table / sizeof s->table[0])];
}

Symbol *sema_lookup(Sema *s, const char *name) {
  for (Symbol *sym = *bucket(s, name); sym; sym = sym->hash_next)
    if (strcmp(sym->name, name) == 0)
      return sym;
  return NULL;
}

static Symbol *define(Sema *s, const char *name, SymKind kind, Loc loc) {
  Symbol *old = sema_lookup(s, name);
  if (old) {
    diag_error(loc, "redefinition of '%s'", name);
    diag_note(old->loc, "'%s' was defined here", name);
    return NULL;
  }
  Symbol *sym = ARENA_NEW(s->arena, Symbol);
  sym->name = name;
  sym->kind = kind;
  sym->loc = loc;
  sym->next = s->symbols;
  s->symbols = sym;
  Symbol **b = bucket(s, name);
  sym->hash_next = *b;
  *b = sym;
  return sym;
}

/* The statement after the current one that defines `name`, or NULL. */
static const Stmt *defined_later(Sema *s, const char *name) {
  for (int i = s->stmt_index + 1; s->prog && i < s->prog->stmts.len; i++) {
    const Stmt *st = s->prog->stmts.items[i];
    if (st->name && strcmp(st->name, name) == 0)
      return st;
  }
  return NULL;
}

int sema_used_before_definition(Sema *s, const char *name, Loc loc) {
  const Stmt *current = s->prog ? s->prog->stmts.items[s->stmt_index] : NULL;
  if (current && current->name && strcmp(current->name, name) == 0) {
    diag_error(loc, "'%s' is used in its own definition", name);
    return 1;
  }
  const Stmt *later = defined_later(s, name);
  if (!later)
    return 0;
  diag_error(loc, "'%s' is used before it is defined", name);
  diag_note(later->name_loc, "'%s' is defined here; move the definition above its use", name);
  return 1;
}

/* "unknown name 'w'; did you mean 'W'?", or a word on what the name is. */
static void unknown_name(Sema *s, const char *name, Loc loc) {
  if (sema_used_before_definition(s, name, loc))
    return;
  if (sema_is_builtin(name)) {
    diag_error(loc, "'%s' is a function: call it, as in %s(x)", name, name);
    return;
  }
  Suggest hint;
  suggest_init(&hint, name);
  for (Symbol *sym = s->symbols; sym; sym = sym->next)
    suggest_offer(&hint, sym->name);
  const char *best = suggest_best(&hint);
  if (best)
    diag_error(loc, "unknown name '%s'; did you mean '%s'?", name, best);
  else
    diag_error(loc, "unknown name '%s'", name);
}

static const char *sym_kind_name(SymKind k) {
  switch (k) {
  case SYM_INPUT: return "an input";
  case SYM_PARAM: return "a param";
  case SYM_LET: return "a let value";
  case SYM_LAYER: return "a layer";
  }
  return "?";
}

/* ---- expression depth -------------------------------------------------- */

/* The checker recurses over expressions, so a machine-made one thousands of
   operators deep would overflow the C stack.  No model needs this many. */
enum { MAX_EXPR_DEPTH = 1000 };

static int enter(Sema *s, const Expr *e) {
  if (s->depth >= MAX_EXPR_DEPTH) {
    if (!s->too_deep)
      diag_error(e->loc, "expression nested too deeply (more than %d levels of operators); "
                         "split it with let", MAX_EXPR_DEPTH);
    s->too_deep = 1;
    return 0;
  }
  s->depth++;
  return 1;
}

static void leave(Sema *s) { s->depth--; }

/* ---- constants and literals ----------------------------------------- */

static int const_value(Sema *s, const Expr *e, double *out);

/* A number literal must fit the program's number type: 1e400 is no double,
   and 1e300 is no float (C would be handed an infinity it cannot spell as
   a literal, and converting it is undefined). */
static int number_fits(Sema *s, const Expr *e) {
  if (!isfinite(e->number)) {
    diag_error(e->loc, "the number %s is too large for a double (at most about 1.8e308)", e->text);
    return 0;
  }
  if (!s->f64 && fabs(e->number) > FLT_MAX) {
    diag_error(e->loc, "the number %s does not fit in f32, the program's number type (at most about "
                       "3.4e38); compile with --dtype=f64 for larger numbers", e->text);
    return 0;
  }
  return 1;
}

static int const_rec(Sema *s, const Expr *e, double *out) {
  if (!enter(s, e))
    return 0;
  int ok = const_value(s, e, out);
  leave(s);
  return ok;
}

int sema_const(Sema *s, const Expr *e, double *out) {
  if (!const_rec(s, e, out))
    return 0;
  /* Arithmetic on constants can overflow (1e200 * 1e200) or be undefined
     (0 / 0); settings, initializers, data and exponents are finite numbers. */
  if (!isfinite(*out)) {
    diag_error(e->loc, "this constant is %s, not a finite number", isnan(*out) ? "undefined (NaN)" : "infinite");
    *out = 0; /* callers that check the value further see a harmless one */
    return 0;
  }
  return 1;
}

static int const_value(Sema *s, const Expr *e, double *out) {
  double a, b;
  switch (e->kind) {
  case EX_NUMBER:
    *out = e->number;
    return number_fits(s, e);
  case EX_NEG:
    if (!const_rec(s, e->lhs, &a))
      return 0;
    *out = -a;
    return 1;
  case EX_BINARY:
    if (e->op > BIN_POW || e->op == BIN_MATMUL)
      break;
    if (!const_rec(s, e->lhs, &a) || !const_rec(s, e->rhs, &b))
      return 0;
    switch (e->op) {
    case BIN_ADD: *out = a + b; break;
    case BIN_SUB: *out = a - b; break;
    case BIN_MUL: *out = a * b; break;
    case BIN_DIV: *out = a / b; break;
    case BIN_POW: *out = pow(a, b); break;
    default: break;
    }
    return 1;
  default:
    break;
  }
  diag_error(e->loc, "expected a constant number");
  return 0;
}

int sema_const_int(Sema *s, const Expr *e, long *out, const char *what) {
  int negate = 0;
  const Expr *lit = e;
  if (lit->kind == EX_NEG) {
    negate = 1;
    lit = lit->lhs;
  }
  if (lit->kind != EX_NUMBER || !lit->is_integer || ast_parse_integer(lit->text) < 0) {
    diag_error(e->loc, "%s must be an integer literal", what);
    (void)s;
    return 0;
  }
  *out = negate ? -ast_parse_integer(lit->text) : ast_parse_integer(lit->text);
  return 1;
}

int sema_bool(Sema *s, const Expr *e, int *out, const char *what) {
  (void)s;
  if (e->kind != EX_BOOL) {
    diag_error(e->loc, "%s must be true or false", what);
    return 0;
  }
  *out = e->boolean;
  return 1;
}

/* Walks a nested list, recording its shape at depth d and its values. */
static int literal_walk(Sema *s, const Expr *e, int d, Shape *shape, double *values, long *count,
                        int *shape_set) {
  if (e->kind != EX_LIST) {
    if (d != shape->rank && *shape_set) {
      /* a number where the first row had a list (deeper lists stop in the
         branch below, so d < rank here) */
      long want = d < shape->rank && d < MAX_RANK ? shape->dims[d].n : 0;
      diag_error(e->loc, "ragged tensor literal: expected a list of %ld element%s here", want,
                 want == 1 ? "" : "s");
      return 0;
    }
    double v;
    if (!sema_const(s, e, &v))
      return 0;
    if (!*shape_set) {
      shape->rank = d;
      *shape_set = 1;
    }
    if (values)
      values[*count] = v;
    (*count)++;
    return 1;
  }
  if (d >= MAX_RANK) {
    diag_error(e->loc, "tensor literal has more than %d dimensions", MAX_RANK);
    return 0;
  }
  if (*shape_set && d >= shape->rank) {
    diag_error(e->loc, "ragged tensor literal: expected a number here, found a list");
    return 0;
  }
  long n = e->items.len;
  if (n == 0) {
    diag_error(e->loc, "empty tensor literal");
    return 0;
  }
  if (!*shape_set || d >= shape->rank) {
    /* first visit at this depth on the leading path */
    shape->dims[d] = dim_const(n);
  } else if (shape->dims[d].n != n) {
    diag_error(e->loc, "ragged tensor literal: this list has %ld element%s, earlier ones have %ld",
               n, n == 1 ? "" : "s", shape->dims[d].n);
    return 0;
  }
  for (long i = 0; i < n; i++)
    if (!literal_walk(s, e->items.items[i], d + 1, shape, values, count, shape_set))
      return 0;
  return 1;
}

int sema_literal(Sema *s, const Expr *e, Shape *shape, const double **values) {
  Shape sh = shape_scalar();
  long count = 0;
  int set = 0;
  /* First pass: shape and count (dims recorded on the leading path). */
  if (!literal_walk(s, e, 0, &sh, NULL, &count, &set))
    return 0;
  double *v = ARENA_ARRAY(s->arena, double, count + 1);
  long count2 = 0;
  set = 1;
  if (!literal_walk(s, e, 0, &sh, v, &count2, &set))
    return 0;
  *shape = sh;
  *values = v;
  return 1;
}

/* ---- expressions ----------------------------------------------------- */

static const char *shape_text(Sema *s, Shape sh) { return shape_str(s->arena, s->g, sh); }

int sema_want_f32(Sema *s, const Node *n, const Expr *e, const char *what) {
  if (n->dtype == DT_I64) {
    diag_error(e->loc, "i64 value used where f32 is needed: %s is i64%s (i64 values are class "
                       "labels: compare them, or use onehot)",
               what, shape_text(s, n->shape));
    return 0;
  }
  return 1;
}

static Node *check_binary(Sema *s, const Expr *e) {
  Node *a = sema_expr(s, e->lhs);
  if (e->op == BIN_POW) {
    double c;
    if (!a || !sema_const(s, e->rhs, &c))
      return NULL;
    if (!sema_want_f32(s, a, e->lhs, "the operand of '**'"))
      return NULL;
    Node proto = ir_proto(OP_POW, DT_F32, a->shape, a);
    proto.attr.value = c;
    proto.attr.axis = -1;
    proto.loc = e->loc;
    return ir_with_attrs(s->g, proto);
  }
  Node *b = sema_expr(s, e->rhs);
  if (!a || !b)
    return NULL;
  const char *op = binary_op_spelling(e->op);
  if (e->op == BIN_MATMUL) {
    /* Both operands are checked (and reported) before giving up. */
    int left_ok = sema_want_f32(s, a, e->lhs, "the left operand of '@'");
    int right_ok = sema_want_f32(s, b, e->rhs, "the right operand of '@'");
    if (!left_ok || !right_ok)
      return NULL;
    if (a->shape.rank != 2 || b->shape.rank != 2) {
      /* a sequence's product over every step is a linear layer's */
      diag_error(e->loc, "'@' needs 2-D operands, got %s @ %s%s", shape_text(s, a->shape),
                 shape_text(s, b->shape),
                 a->shape.rank == 3 ? " (a linear layer acts on the last dim of a sequence [N, T, F]; "
                                      "x[:, t] picks one step)" : "");
      if (a->shape.rank == 4 || b->shape.rank == 4)
        diag_note(a->shape.rank == 4 ? e->lhs->loc : e->rhs->loc, "flatten(x) makes a value [N, ...] "
                                                                   "into [N, rest], as x.view(N, -1)");
      return NULL;
    }
    Dim k1 = a->shape.dims[1], k2 = b->shape.dims[0];
    if (k1.sym != k2.sym || (!k1.sym && k1.n != k2.n)) {
      diag_error(e->loc, "shape mismatch in '@': %s @ %s (inner dimensions differ)",
                 shape_text(s, a->shape), shape_text(s, b->shape));
      return NULL;
    }
    Dim d[2] = {a->shape.dims[0], b->shape.dims[1]};
    Node *in[2] = {a, b};
    return ir_node(s->g, OP_MATMUL, DT_F32, shape_of(2, d), 2, in, e->loc);
  }
  int compare = e->op >= BIN_EQ;
  if (!compare) {
    const char *left = arena_printf(s->arena, "the left operand of '%s'", op);
    const char *right = arena_printf(s->arena, "the right operand of '%s'", op);
    /* Both operands are checked (and reported) before giving up. */
    int left_ok = sema_want_f32(s, a, e->lhs, left);
    int right_ok = sema_want_f32(s, b, e->rhs, right);
    if (!left_ok || !right_ok)
      return NULL;
  }
  Shape sh;
  if (!shape_broadcast(a->shape, b->shape, &sh)) {
    diag_error(e->loc, "shapes %s and %s do not broadcast in '%s'", shape_text(s, a->shape),
               shape_text(s, b->shape), op);
    return NULL;
  }
  static const Op ops[] = {OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MATMUL, OP_POW,
                           OP_EQ,  OP_NE,  OP_LT,  OP_LE,  OP_GT,     OP_GE};
  Node *in[2] = {a, b};
  return ir_node(s->g, ops[e->op], DT_F32, sh, 2, in, e->loc);
}

static Node *check_member(Sema *s, const Expr *e) {
  if (strcmp(e->text, "T") == 0) {
    Node *a = sema_expr(s, e->lhs);
    if (!a)
      return NULL;
    if (a->shape.rank != 2) {
      diag_error(e->loc, ".T transposes a 2-D tensor, not %s", shape_text(s, a->shape));
      return NULL;
    }
    Dim d[2] = {a->shape.dims[1], a->shape.dims[0]};
    return ir_node(s->g, OP_TRANSPOSE, a->dtype, shape_of(2, d), 1, &a, e->loc);
  }
  if (e->lhs->kind != EX_IDENT) {
    diag_error(e->name_loc, "unknown member '%s' (only .T and a layer's .weight and .bias exist)",
               e->text);
    return NULL;
  }
  Symbol *sym = sema_lookup(s, e->lhs->text);
  if (!sym) {
    unknown_name(s, e->lhs->text, e->lhs->loc);
    return NULL;
  }
  sym->used = 1;
  if (sym->broken)
    return NULL;
  if (sym->kind != SYM_LAYER) {
    diag_error(e->name_loc, "'%s' is %s; only layers have .%s", sym->name, sym_kind_name(sym->kind),
               e->text);
    return NULL;
  }
  if (sym->rnn) {
    /* a recurrent layer's params are named as nn.RNN's: r.weight_ih_l0 */
    const char *full = arena_printf(s->arena, "%s.%s", sym->name, e->text);
    for (int i = 0; i < s->model->params.len; i++) {
      Param *p = s->model->params.items[i];
      if (strcmp(p->name, full) == 0)
        return p->node;
    }
    diag_error(e->name_loc, "layer '%s' has no member '%s' (an rnn's params are weight_ih_lK, "
                            "weight_hh_lK, bias_ih_lK and bias_hh_lK for each layer K)", sym->name, e->text);
    return NULL;
  }
  if (strcmp(e->text, "weight") == 0)
    return sym->weight->node;
  /* a batch norm layer's buffers are values too (not trained) */
  Buffer *buffers[3] = {sym->running_mean, sym->running_var, sym->num_batches_tracked};
  const char *buffer_names[3] = {"running_mean", "running_var", "num_batches_tracked"};
  for (int i = 0; sym->norm_rank && i < 3; i++)
    if (strcmp(e->text, buffer_names[i]) == 0)
      return buffers[i]->node;
  if (strcmp(e->text, "bias") == 0) {
    if (!sym->bias) {
      diag_error(e->name_loc, "layer '%s' has no bias", sym->name);
      diag_note(sym->loc, "'%s' is declared with bias = false here", sym->name);
      return NULL;
    }
    return sym->bias->node;
  }
  Suggest hint;
  suggest_init(&hint, e->text);
  suggest_offer(&hint, "weight");
  suggest_offer(&hint, "bias");
  suggest_offer(&hint, "T");
  for (int i = 0; sym->norm_rank && i < 3; i++)
    suggest_offer(&hint, buffer_names[i]);
  const char *best = suggest_best(&hint);
  if (best)
    diag_error(e->name_loc, "layer '%s' has no member '%s'; did you mean '%s'?", sym->name, e->text,
               best);
  else
    diag_error(e->name_loc, "layer '%s' has no member '%s' (it has .weight and .bias%s)", sym->name,
               e->text, sym->norm_rank ? ", .running_mean, .running_var and .num_batches_tracked" : "");
  return NULL;
}

static Node *check_expr(Sema *s, const Expr *e);

Node *sema_expr(Sema *s, const Expr *e) {
  if (!enter(s, e))
    return NULL;
  Node *n = check_expr(s, e);
  leave(s);
  return n;
}

static Node *check_expr(Sema *s, const Expr *e) {
  switch (e->kind) {
  case EX_NUMBER:
    return number_fits(s, e) ? ir_const(s->g, e->number) : NULL;
  case EX_STRING:
    diag_error(e->loc, "a string is not a value (strings are file paths in data sources)");
    return NULL;
  case EX_BOOL:
    diag_error(e->loc, "true/false is not a value here");
    return NULL;
  case EX_SLICE:
    diag_error(e->loc, "a slice is only allowed in cols(...) and as an index, x[:, 0]");
    return NULL;
  case EX_IDENT: {
    Symbol *sym = sema_lookup(s, e->text);
    if (!sym) {
      unknown_name(s, e->text, e->loc);
      return NULL;
    }
    sym->used = 1;
    if (sym->broken)
      return NULL;
    if (sym->kind == SYM_LAYER) {
      diag_error(e->loc, "'%s' is a layer: call it, as in %s(x), or use %s.weight", e->text,
                 e->text, e->text);
      return NULL;
    }
    return sym->node;
  }
  case EX_LIST: {
    Shape sh;
    const double *values;
    if (!sema_literal(s, e, &sh, &values))
      return NULL;
    Node proto = ir_proto(OP_LITERAL, DT_F32, sh, NULL);
    proto.attr.data = values;
    proto.attr.axis = -1;
    proto.loc = e->loc;
    return ir_with_attrs(s->g, proto);
  }
  case EX_NEG: {
    Node *a = sema_expr(s, e->lhs);
    if (!a || !sema_want_f32(s, a, e->lhs, "the operand of unary '-'"))
      return NULL;
    if (a->op == OP_CONST)
      return ir_const(s->g, -a->attr.value);
    return ir_node(s->g, OP_NEG, DT_F32, a->shape, 1, &a, e->loc);
  }
  case EX_BINARY:
    return check_binary(s, e);
  case EX_MEMBER:
    return check_member(s, e);
  case EX_INDEX:
    return sema_index(s, e);
  case EX_CALL: {
    Symbol *sym = sema_lookup(s, e->text);
    if (sym && sym->kind == SYM_LAYER) {
      sym->used = 1;
      return sym->broken ? NULL : sema_layer_call(s, e, sym);
    }
    return sema_builtin_call(s, e);
  }
  }
  return NULL;
}

/* ---- statements ------------------------------------------------------ */

static void check_seed(Sema *s, const Stmt *st) {
  Loc loc = loc_span(st->loc, st->value->loc);
  if (s->seen_seed) {
    diag_error(loc, "seed given twice (a program has one random stream)");
    diag_note(s->seed_loc, "first given here");
    return;
  }
  s->seen_seed = 1;
  s->seed_loc = loc;
  if (s->random_drawn) {
    diag_error(loc, "seed must come before the first random initializer");
    diag_note(s->first_random, "the first random values are drawn here");
  }
  long v;
  if (sema_const_int(s, st->value, &v, "seed"))
    s->model->seed = v;
}

/* Reads a declared type; `what` says whose. */
static int check_type(Sema *s, const TypeSpec *t, Shape *out, int allow_sym, const char *what) {
  Shape sh = shape_scalar();
  if (t->rank > MAX_RANK) {
    diag_error(t->loc, "%s has %d dimensions; at most %d are supported", what, t->rank, MAX_RANK);
    return 0;
  }
  sh.rank = t->rank;
  int ok = 1;
  for (int i = 0; i < t->rank; i++) {
    const TypeDim *d = &t->dims[i];
    if (d->name) {
      if (!allow_sym) {
        diag_error(d->loc, "sizes of a %s must be integers, not '%s' (size names such as N are "
                           "for inputs, whose size comes with the data)", what, d->name);
        ok = 0;
      } else if (i != 0) {
        diag_error(d->loc, "a size name may only be the first (batch) dimension of an input");
        ok = 0;
      } else if (s->g->size_name && strcmp(s->g->size_name, d->name) != 0) {
        diag_error(d->loc, "inputs use two size names, '%s' and '%s': they share one batch "
                           "dimension, so use '%s' here too", s->g->size_name, d->name,
                   s->g->size_name);
        ok = 0;
      } else {
        s->g->size_name = d->name;
        sh.dims[i] = (Dim){1, 0};
      }
    } else if (d->value < 1) {
      diag_error(d->loc, "a dimension must be a positive integer");
      ok = 0;
    } else {
      sh.dims[i] = dim_const(d->value);
    }
  }
  *out = sh;
  return ok;
}

Param *sema_new_param(Sema *s, const char *name, Shape sh, Loc loc) {
  Param *p = ARENA_NEW(s->arena, Param);
  p->name = name;
  char *c = arena_strdup(s->arena, name);
  for (char *q = c; *q; q++)
    if (*q == '.')
      *q = '_';
  p->c_name = c;
  p->shape = sh;
  p->loc = loc;
  Node proto = ir_proto(OP_PARAM, DT_F32, sh, NULL);
  proto.attr.index = s->model->params.len;
  proto.attr.axis = -1;
  proto.name = name;
  proto.loc = loc;
  p->node = ir_with_attrs(s->g, proto);
  ptrvec_push(s->arena, &s->model->params, p);
  return p;
}

static void check_input(Sema *s, const Stmt *st) {
  Symbol *sym = define(s, st->name, SYM_INPUT, st->name_loc);
  Shape sh;
  if (!check_type(s, st->type, &sh, 1, "input")) {
    if (sym)
      sym->broken = 1;
    return;
  }
  if (!sym)
    return;
  Input *in = ARENA_NEW(s->arena, Input);
  in->name = st->name;
  in->dtype = st->type->dtype;
  in->shape = sh;
  in->loc = st->name_loc;
  Node proto = ir_proto(OP_INPUT, in->dtype, sh, NULL);
  proto.attr.index = s->model->inputs.len;
  proto.attr.axis = -1;
  proto.name = st->name;
  proto.loc = st->name_loc;
  in->node = ir_with_attrs(s->g, proto);
  ptrvec_push(s->arena, &s->model->inputs, in);
  sym->node = in->node;
  sym->input = in;
}

/* The initializers: what check_init accepts and mgc --list prints.  The
   defaults are those of the optional parameters, as torch.nn.init has them. */
static const struct Init {
  const char *name;
  InitKind kind;
  ArgSpec args;
  double defaults[2];
  const char *what;
} inits[] = {
    {"zeros", INIT_ZEROS, {{0}, 0, 0}, {0, 0}, "all 0 (the default)"},
    {"ones", INIT_ONES, {{0}, 0, 0}, {0, 0}, "all 1"},
    {"full", INIT_FULL, {{"value"}, 1, 1}, {0, 0}, "all value"},
    {"uniform", INIT_UNIFORM, {{"a", "b"}, 2, 0}, {0, 1}, "uniform in [a, b) (nn.init.uniform_)"},
    {"normal", INIT_NORMAL, {{"mean", "std"}, 2, 0}, {0, 1}, "normal (nn.init.normal_)"},
    {"xavier_uniform", INIT_XAVIER_UNIFORM, {{"gain"}, 1, 0}, {1, 0}, "nn.init.xavier_uniform_, for 2-D or more"},
    {"xavier_normal", INIT_XAVIER_NORMAL, {{"gain"}, 1, 0}, {1, 0}, "nn.init.xavier_normal_, for 2-D or more"},
    {"kaiming_uniform", INIT_KAIMING_UNIFORM, {{"a"}, 1, 0}, {0, 0}, "nn.init.kaiming_uniform_, for 2-D or more"},
    {"kaiming_normal", INIT_KAIMING_NORMAL, {{"a"}, 1, 0}, {0, 0}, "nn.init.kaiming_normal_, for 2-D or more"},
};

enum { N_INITS = sizeof inits / sizeof inits[0] };

void sema_list_initializers(FILE *out) {
  for (size_t i = 0; i < N_INITS; i++) {
    const struct Init *in = &inits[i];
    char text[2][32];
    const char *defaults[2] = {NULL, NULL};
    for (int j = in->args.n_required; j < in->args.n_names; j++) {
      sema_format_number(text[j], sizeof text[j], in->defaults[j]);
      defaults[j] = text[j];
    }
    sema_print_signature(out, in->name, &in->args, defaults, in->what);
  }
  fprintf(out, "  %-40s %s\n", "[[...], ...]", "a tensor literal of the param's shape");
}

/* The layer kinds: linear (here), conv2d (sema_conv.c), batch norm
   (sema_batch_norm.c) and rnn (sema_rnn.c) are implemented, the others are
   the language's but not yet this compiler's. */
static const ArgSpec linear_spec = {{"in_features", "out_features", "bias"}, 3, 2};
static const char *const linear_defaults[] = {NULL, NULL, "true"};
static const char *const layers_not_yet[] = {"lstm", "gru"};
enum { N_LAYERS_NOT_YET = sizeof layers_not_yet / sizeof layers_not_yet[0] };

int sema_layer_kind(const char *name) {
  if (strcmp(name, "linear") == 0 || strcmp(name, "conv2d") == 0 || sema_batch_norm_rank(name) ||
      strcmp(name, "rnn") == 0)
    return 1;
  for (int i = 0; i < N_LAYERS_NOT_YET; i++)
    if (strcmp(layers_not_yet[i], name) == 0)
      return -1;
  return 0;
}

void sema_list_layers(FILE *out) {
  sema_print_signature(out, "linear", &linear_spec, linear_defaults,
                       "[N, in_features] -> [N, out_features], with .weight and .bias (nn.Linear)");
  sema_list_conv_layer(out);
  sema_list_batch_norm(out);
  sema_list_rnn(out);
  sema_print_names(out, "not supported yet", layers_not_yet, N_LAYERS_NOT_YET);
}

/* Reads an initializer expression into step (kind and arguments). */
static int check_init(Sema *s, const Expr *e, Param *p, InitStep *step) {
  step->param = p;
  step->loc = e->loc;
  if (e->kind == EX_LIST) {
    Shape sh;
    if (!sema_literal(s, e, &sh, &step->data))
      return 0;
    if (!shape_equal(sh, p->shape)) {
      diag_error(e->loc, "initializer literal has shape %s but '%s' is declared %s",
                 shape_text(s, sh), p->name, shape_text(s, p->shape));
      return 0;
    }
    step->kind = INIT_LITERAL;
    return 1;
  }
  const char *name = e->kind == EX_IDENT ? e->text : e->kind == EX_CALL ? e->text : NULL;
  for (size_t i = 0; name && i < N_INITS; i++) {
    if (strcmp(name, inits[i].name) != 0)
      continue;
    step->kind = inits[i].kind;
    step->a = inits[i].defaults[0];
    step->b = inits[i].defaults[1];
    if (e->kind == EX_IDENT) {
      if (inits[i].args.n_required) {
        diag_error(e->loc, "initializer '%s' needs arguments, as in %s(0.5)", name, name);
        return 0;
      }
      return 1;
    }
    const Expr *args[8] = {0};
    if (!sema_bind_args(s, e, &inits[i].args, args))
      return 0;
    if (args[0] && !sema_const(s, args[0], &step->a))
      return 0;
    if (args[1] && !sema_const(s, args[1], &step->b))
      return 0;
    int fan_based = step->kind >= INIT_XAVIER_UNIFORM && step->kind <= INIT_KAIMING_NORMAL;
    if (fan_based && p->shape.rank < 2) {
      diag_error(e->loc, "%s needs a tensor of at least 2 dimensions, '%s' is %s", name, p->name,
                 shape_text(s, p->shape));
      return 0;
    }
    return 1;
  }
  Suggest hint;
  suggest_init(&hint, name ? name : "");
  for (size_t i = 0; name && i < N_INITS; i++)
    suggest_offer(&hint, inits[i].name);
  char near[256];
  Loc at = e->kind == EX_CALL ? e->name_loc : e->loc;
  if (name && suggest_phrase(&hint, near, sizeof near))
    diag_error(at, "unknown initializer '%s'; did you mean %s?", name, near);
  else
    diag_error(at, "unknown initializer (expected zeros, ones, full(v), uniform(a, b), "
                   "normal(mean, std), xavier_uniform, xavier_normal, kaiming_uniform, "
                   "kaiming_normal or a tensor literal)");
  sema_note_manual("Initializers");
  return 0;
}

static int is_random(InitKind k) { return k >= INIT_UNIFORM && k <= INIT_KAIMING_NORMAL; }

void sema_add_init_step(Sema *s, InitStep *step) {
  if (is_random(step->kind) || step->kind == INIT_LINEAR) {
    if (!s->random_drawn)
      s->first_random = step->loc;
    s->random_drawn = 1;
  }
  ptrvec_push(s->arena, &s->model->init_steps, step);
}

static void check_param(Sema *s, const Stmt *st) {
  Symbol *sym = define(s, st->name, SYM_PARAM, st->name_loc);
  Shape sh;
  int ok = check_type(s, st->type, &sh, 0, "param");
  if (ok && st->type->dtype != DT_F32) {
    diag_error(st->type->loc, "a param must be f32 (only f32 values are trained)");
    ok = 0;
  }
  if (!ok && sym)
    sym->broken = 1;
  if (!ok || !sym)
    return;
  Param *p = sema_new_param(s, st->name, sh, st->name_loc);
  sym->node = p->node;
  sym->param = p;
  InitStep *step = ARENA_NEW(s->arena, InitStep);
  step->kind = INIT_ZEROS;
  step->param = p;
  step->loc = st->name_loc;
  if (st->value && !check_init(s, st->value, p, step))
    return;
  sema_add_init_step(s, step);
}

/* Reads `linear(IN, OUT, bias = B)`; 0 after reporting. */
static int check_linear(Sema *s, const Expr *call, long *in_f, long *out_f, int *bias) {
  if (call->kind != EX_CALL) {
    diag_error(call->loc, "a layer is made by a layer kind, as in linear(IN, OUT)");
    return 0;
  }
  int kind = sema_layer_kind(call->text);
  if (kind < 0) {
    diag_error(call->name_loc, "layer kind '%s' is not supported yet by this version of mgc (its "
                               "layer kinds are linear, conv2d, batch_norm1d, batch_norm2d and rnn)", call->text);
    sema_note_manual("Layers");
    return 0;
  }
  if (kind == 0) {
    Suggest hint;
    suggest_init(&hint, call->text);
    suggest_offer(&hint, "linear");
    suggest_offer(&hint, "conv2d");
    suggest_offer(&hint, "batch_norm1d");
    suggest_offer(&hint, "batch_norm2d");
    suggest_offer(&hint, "rnn");
    char near[64];
    if (suggest_phrase(&hint, near, sizeof near))
      diag_error(call->name_loc, "unknown layer kind '%s'; did you mean %s?", call->text, near);
    else
      diag_error(call->name_loc, "unknown layer kind '%s' (the layer kinds are linear(IN, OUT), "
                                 "conv2d(IN, OUT, K), batch_norm1d(C), batch_norm2d(C) and rnn(IN, H))",
                 call->text);
    sema_note_manual("Layers");
    return 0;
  }
  const Expr *args[8] = {0};
  if (!sema_bind_args(s, call, &linear_spec, args))
    return 0;
  *bias = 1;
  if (!sema_const_int(s, args[0], in_f, "in_features") ||
      !sema_const_int(s, args[1], out_f, "out_features"))
    return 0;
  if (args[2] && !sema_bool(s, args[2], bias, "bias"))
    return 0;
  if (*in_f < 1 || *out_f < 1) {
    diag_error(*in_f < 1 ? args[0]->loc : args[1]->loc, "linear sizes must be positive");
    return 0;
  }
  return 1;
}

static void check_layer(Sema *s, const Stmt *st) {
  /* Defined even when the call is wrong, so that uses of the layer are not
     reported as unknown names too. */
  Symbol *sym = define(s, st->name, SYM_LAYER, st->name_loc);
  if (st->value->kind == EX_CALL && strcmp(st->value->text, "conv2d") == 0) {
    if (!sema_conv_layer(s, st, sym) && sym)
      sym->broken = 1;
    return;
  }
  if (st->value->kind == EX_CALL && sema_batch_norm_rank(st->value->text)) {
    if (!sema_batch_norm_layer(s, st, sym) && sym)
      sym->broken = 1;
    return;
  }
  long in_f, out_f;
  int bias;
  if (st->value->kind == EX_CALL && strcmp(st->value->text, "rnn") == 0) {
    if (!sema_rnn_layer(s, sym, st) && sym)
      sym->broken = 1;
    return;
  }
  if (!check_linear(s, st->value, &in_f, &out_f, &bias)) {
    if (sym)
      sym->broken = 1;
    return;
  }
  if (!sym)
    return;
  Dim wd[2] = {dim_const(out_f), dim_const(in_f)};
  Dim bd[1] = {dim_const(out_f)};
  sym->weight = sema_new_param(s, arena_printf(s->arena, "%s.weight", st->name), shape_of(2, wd), st->name_loc);
  sym->bias = bias ? sema_new_param(s, arena_printf(s->arena, "%s.bias", st->name), shape_of(1, bd), st->name_loc) : NULL;
  sym->in_features = in_f;
  sym->out_features = out_f;
  InitStep *step = ARENA_NEW(s->arena, InitStep);
  step->kind = INIT_LINEAR;
  step->param = sym->weight;
  step->bias = sym->bias;
  step->loc = st->name_loc;
  sema_add_init_step(s, step);
}

static void check_init_stmt(Sema *s, const Stmt *st) {
  const Expr *t = st->target;
  Param *p = NULL;
  if (t->kind == EX_IDENT) {
    Symbol *sym = sema_lookup(s, t->text);
    if (!sym) {
      unknown_name(s, t->text, t->loc);
      return;
    }
    if (sym->kind != SYM_PARAM) {
      diag_error(t->loc, "'%s' is %s; init re-initializes a param", t->text, sym_kind_name(sym->kind));
      return;
    }
    p = sym->param;
    if (!p)
      return;  /* its declaration was wrong, and said so */
  } else if (t->kind == EX_MEMBER) {
    Node *n = check_member(s, t);
    if (!n)
      return;
    if (n->op != OP_PARAM) {
      diag_error(t->loc, "init re-initializes a param such as fc.weight");
      return;
    }
    p = s->model->params.items[n->attr.index];
  } else {
    diag_error(t->loc, "init re-initializes a param such as fc.weight");
    return;
  }
  InitStep *step = ARENA_NEW(s->arena, InitStep);
  if (check_init(s, st->value, p, step))
    sema_add_init_step(s, step);
}

static void check_let(Sema *s, const Stmt *st) {
  Node *n = sema_expr(s, st->value);
  Symbol *sym = define(s, st->name, SYM_LET, st->name_loc);
  if (!n && sym)
    sym->broken = 1;
  if (!n || !sym)
    return;
  /* A value that is only a leaf keeps its own name. */
  if (!n->name && n->op != OP_CONST)
    n->name = st->name;
  sym->node = n;
}

static void check_output(Sema *s, const Stmt *st) {
  Model *m = s->model;
  Output *outs = ARENA_ARRAY(s->arena, Output, m->n_outputs + st->names.len);
  if (m->n_outputs)
    memcpy(outs, m->outputs, sizeof(Output) * (size_t)m->n_outputs);
  for (int i = 0; i < st->names.len; i++) {
    const Expr *e = st->names.items[i];
    Node *n = sema_expr(s, e);
    if (!n)
      continue;
    for (int j = 0; j < m->n_outputs; j++)
      if (strcmp(outs[j].name, e->text) == 0)
        diag_error(e->loc, "'%s' is already an output", e->text);
    outs[m->n_outputs].name = e->text;
    outs[m->n_outputs].node = n;
    m->n_outputs++;
  }
  m->outputs = outs;
}

/* Warns about let values nothing uses (the loss, metrics and outputs use
   theirs), in source order.  Only for a program without errors: after an
   error, a use may just not have been checked. */
static void warn_unused(Sema *s) {
  PtrVec unused = {0};
  for (Symbol *sym = s->symbols; sym; sym = sym->next)
    if (sym->kind == SYM_LET && !sym->used)
      ptrvec_push(s->arena, &unused, sym);
  for (int i = unused.len - 1; i >= 0; i--) {
    Symbol *sym = unused.items[i];
    diag_warning(sym->loc, "'%s' is never used", sym->name);
  }
}

/* A declaration a syntax error cut short: its name is declared, broken, so
   that its uses are not reported as unknown names too. */
static void check_broken(Sema *s, const Stmt *st) {
  SymKind kind = st->kind == ST_INPUT ? SYM_INPUT : st->kind == ST_PARAM ? SYM_PARAM
               : st->kind == ST_LAYER ? SYM_LAYER : SYM_LET;
  Symbol *sym = define(s, st->name, kind, st->name_loc);
  if (sym)
    sym->broken = 1;
}

static const char *file_stem(Arena *a, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  char *stem = arena_strndup(a, base, n);
  /* A C identifier: other characters become '_'. */
  for (char *p = stem; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
      *p = '_';
  if (!stem[0] || (stem[0] >= '0' && stem[0] <= '9'))
    stem = arena_printf(a, "m_%s", stem);
  return stem;
}

Model *sema_check(Arena *a, const Program *prog, const char *path, int f64) {
  Sema s;
  memset(&s, 0, sizeof s);
  s.arena = a;
  s.f64 = f64;
  s.model = ARENA_NEW(a, Model);
  s.model->graph = s.g = ir_graph_new(a);
  s.model->source_path = path;
  s.model->name = file_stem(a, path);
  s.prog = prog;
  for (int i = 0; i < prog->stmts.len; i++) {
    const Stmt *st = prog->stmts.items[i];
    s.stmt_index = i;
    s.too_deep = 0;
    if (st->broken) {
      check_broken(&s, st);
      continue;
    }
    switch (st->kind) {
    case ST_SEED: check_seed(&s, st); break;
    case ST_INPUT: check_input(&s, st); break;
    case ST_PARAM: check_param(&s, st); break;
    case ST_LAYER: check_layer(&s, st); break;
    case ST_INIT: check_init_stmt(&s, st); break;
    case ST_LET: check_let(&s, st); break;
    case ST_OUTPUT: check_output(&s, st); break;
    case ST_TRAIN: sema_train(&s, st); break;
    case ST_EVAL: sema_eval(&s, st); break;
    }
  }
  if (prog->stmts.len == 0 && diag_error_count() == 0) {
    /* Nothing to point at: the error is about the whole file. */
    Loc file = {0, 0, 0, 0};
    diag_error(file, "the file has no statements: a program needs inputs, params, a loss and "
                     "a train block");
  } else if (!s.seen_train && diag_error_count() == 0) {
    /* Where the block should go: after the last statement. */
    diag_error(loc_after(diag_end_of_file()), "no train block: a program needs one train "
                                              "{ loss = ..., data = ..., optimizer = ..., "
                                              "epochs = ... }");
  }
  if (diag_error_count() == 0)
    warn_unused(&s);
  return s.model;
}
