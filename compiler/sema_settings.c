/*
** sema_settings.c — checks the train and eval blocks: their settings, the
** data sources and the optimizer.
*/
#include "sema.h"

#include <string.h>

static const char *shape_text(Sema *s, Shape sh) { return shape_str(s->arena, s->g, sh); }

/*
** Reachability without recursion: a node's operands are made before it, so
** they have smaller ids, and one sweep down from the roots marks everything
** the roots read (a chain of thousands of lets would overflow a recursive
** walk).  seen[] has one entry per node of the graph.
*/
static void mark_reached(const Graph *g, Node *const *roots, int n_roots, int *seen) {
  int top = -1;
  for (int i = 0; i < n_roots; i++)
    if (roots[i]) {
      seen[roots[i]->id] = 1;
      if (roots[i]->id > top)
        top = roots[i]->id;
    }
  for (int id = top; id >= 0; id--) {
    const Node *n = g->nodes.items[id];
    if (!seen[id])
      continue;
    for (int k = 0; k < n->n_in; k++)
      seen[n->in[k]->id] = 1;
  }
}

int sema_depends_on(const Graph *g, const Node *n, Op op, int *seen) {
  Node *root = (Node *)n;
  mark_reached(g, &root, 1, seen);
  for (int id = 0; id <= n->id; id++)
    if (seen[id] && ((const Node *)g->nodes.items[id])->op == op)
      return 1;
  return 0;
}

static int depends_on_param(Sema *s, const Node *n) {
  int *seen = ARENA_ARRAY(s->arena, int, s->g->nodes.len);
  return sema_depends_on(s->g, n, OP_PARAM, seen);
}

/* Whether a gradient can flow from n to a param: comparisons, sign and
   argmax (F_STOPGRAD) pass none.  Operands come before their users, so one
   pass down the ids finds every node n reaches through the others. */
static int param_gets_gradient(Sema *s, const Node *n) {
  char *reach = ARENA_ARRAY(s->arena, char, s->g->nodes.len + 1);
  reach[n->id] = 1;
  for (int id = n->id; id >= 0; id--) {
    const Node *x = s->g->nodes.items[id];
    if (!reach[id])
      continue;
    if (x->op == OP_PARAM)
      return 1;
    if (!(op_info[x->op].flags & F_STOPGRAD))
      for (int k = 0; k < x->n_in; k++)
        reach[x->in[k]->id] = 1;
  }
  return 0;
}

/* Marks in used[] the inputs the roots read. */
static void inputs_read(Sema *s, Node *const *roots, int n_roots, int *used) {
  int *seen = ARENA_ARRAY(s->arena, int, s->g->nodes.len);
  mark_reached(s->g, roots, n_roots, seen);
  for (int id = 0; id < s->g->nodes.len; id++) {
    const Node *n = s->g->nodes.items[id];
    if (seen[id] && n->op == OP_INPUT)
      used[n->attr.index] = 1;
  }
}

/* ---- data sources ---------------------------------------------------- */

static Input *input_named(Sema *s, const char *name) {
  for (int i = 0; i < s->model->inputs.len; i++) {
    Input *in = s->model->inputs.items[i];
    if (strcmp(in->name, name) == 0)
      return in;
  }
  return NULL;
}

/* `z = ...` in a data call, where z is no input. */
static void unknown_input(Sema *s, const Arg *arg, const char *fn) {
  Symbol *sym = sema_lookup(s, arg->name);
  if (sym && sym->kind == SYM_INPUT && sym->broken)
    return;  /* its declaration was wrong, and said so */
  if (sym) {
    diag_error(arg->name_loc, "'%s' is not an input, so %s(...) cannot give it data", arg->name, fn);
    return;
  }
  Suggest hint;
  suggest_init(&hint, arg->name);
  const char *list = "";
  for (int i = 0; i < s->model->inputs.len; i++) {
    const Input *in = s->model->inputs.items[i];
    suggest_offer(&hint, in->name);
    list = arena_printf(s->arena, "%s%s%s", list, i ? ", " : "", in->name);
  }
  const char *best = suggest_best(&hint);
  if (best)
    diag_error(arg->name_loc, "data for '%s', which is not an input; did you mean '%s'?", arg->name,
               best);
  else if (s->model->inputs.len)
    diag_error(arg->name_loc, "data for '%s', which is not an input (the inputs are %s)", arg->name,
               list);
  else
    diag_error(arg->name_loc, "data for '%s', but the program declares no inputs", arg->name);
}

/* The DataColumn for `x = ...` in a data call; NULL after an error. */
static DataColumn *column_for(Sema *s, DataSource *src, const Arg *arg, const char *fn) {
  if (!arg->name) {
    diag_error(arg->value->loc, "%s(...) takes one INPUT = ... per input, as in x = ...", fn);
    return NULL;
  }
  Input *in = input_named(s, arg->name);
  if (!in) {
    unknown_input(s, arg, fn);
    return NULL;
  }
  for (int i = 0; i < src->n_columns; i++)
    if (src->columns[i].input == in) {
      diag_error(arg->name_loc, "data for input '%s' given twice", arg->name);
      return NULL;
    }
  DataColumn *c = &src->columns[src->n_columns++];
  c->input = in;
  c->loc = arg->name_loc;
  return c;
}

static int is_option(const Arg *arg, const char *name) {
  return arg->name && strcmp(arg->name, name) == 0;
}

static int check_inline(Sema *s, DataSource *src, const Expr *call) {
  int ok = 1;
  for (int i = 0; i < call->items.len; i++) {
    const Arg *arg = call->items.items[i];
    DataColumn *c = column_for(s, src, arg, "inline");
    if (!c) {
      ok = 0;
      continue;
    }
    Shape sh;
    if (!sema_literal(s, arg->value, &sh, &c->values)) {
      ok = 0;
      continue;
    }
    Input *in = c->input;
    /* The literal's shape must be the input's, with the batch size free. */
    int match = sh.rank == in->shape.rank;
    for (int d = 0; match && d < sh.rank; d++)
      if (!in->shape.dims[d].sym && in->shape.dims[d].n != sh.dims[d].n)
        match = 0;
    if (!match) {
      diag_error(arg->value->loc, "data for '%s' has shape %s, but '%s' is declared %s", in->name,
                 shape_text(s, sh), in->name, shape_text(s, in->shape));
      ok = 0;
      continue;
    }
    c->rows = sh.rank ? sh.dims[0].n : 1;
    if (in->dtype == DT_I64) {
      for (long k = 0; k < c->rows * model_input_width(in); k++) {
        double v = c->values[k];
        /* Converting a double outside the range of long is undefined:
           check the range (NaN fails it too) before the cast below. */
        if (!(v > -0x1p63 && v < 0x1p63)) {
          diag_error(arg->value->loc, "data for i64 input '%s': %g (element %ld) does not fit in i64",
                     in->name, v, k);
          ok = 0;
          break;
        }
        if (v != (double)(long)v) {
          diag_error(arg->value->loc, "data for i64 input '%s' must be whole numbers", in->name);
          ok = 0;
          break;
        }
        /* Labels index rows of scores: one outside [0, C) would read past
           them, so it is an error here, as PyTorch's is at run time. */
        if (in->num_classes && (v < 0 || v >= (double)in->num_classes)) {
          diag_error(arg->value->loc, "data for '%s': label %ld (element %ld) is outside [0, %ld)",
                     in->name, (long)v, k, in->num_classes);
          ok = 0;
          break;
        }
      }
    }
  }
  return ok;
}

static int check_cols(Sema *s, DataColumn *c, const Expr *e) {
  if (e->kind != EX_CALL || strcmp(e->text, "cols") != 0) {
    diag_error(e->loc, "expected the columns of input '%s' in the file, as cols(K) or cols(A:B)",
               c->input->name);
    return 0;
  }
  if (e->items.len != 1 || ((Arg *)e->items.items[0])->name) {
    diag_error(e->loc, "cols(...) takes one column K or one slice A:B, as in cols(0:2) or "
                       "cols(-1)");
    return 0;
  }
  const Expr *arg = ((Arg *)e->items.items[0])->value;
  if (arg->kind == EX_SLICE) {
    if (arg->lhs && !sema_const_int(s, arg->lhs, &c->start, "a column index"))
      return 0;
    if (arg->rhs && !sema_const_int(s, arg->rhs, &c->stop, "a column index"))
      return 0;
    c->has_start = arg->lhs != NULL;
    c->has_stop = arg->rhs != NULL;
    return 1;
  }
  if (!sema_const_int(s, arg, &c->start, "a column index"))
    return 0;
  c->single = 1;
  c->has_start = 1;
  if (model_input_width(c->input) != 1) {
    diag_error(e->loc, "cols(%ld) is one column, but '%s' is declared %s and wants %ld (use a "
                       "slice such as cols(0:%ld))", c->start, c->input->name,
               shape_text(s, c->input->shape), model_input_width(c->input), model_input_width(c->input));
    return 0;
  }
  return 1;
}

static int check_csv(Sema *s, DataSource *src, const Expr *call) {
  int ok = 1, have_path = 0;
  src->delimiter = ',';
  for (int i = 0; i < call->items.len; i++) {
    const Arg *arg = call->items.items[i];
    if (i == 0 && !arg->name) {
      if (arg->value->kind != EX_STRING) {
        diag_error(arg->value->loc, "csv(...) starts with the file path as a string");
        ok = 0;
      }
      src->path = arg->value->text;
      have_path = 1;
    } else if (is_option(arg, "delimiter")) {
      if (arg->value->kind != EX_STRING || strlen(arg->value->text) != 1) {
        diag_error(arg->value->loc, "delimiter must be a one-character string such as \",\"");
        ok = 0;
      } else {
        src->delimiter = arg->value->text[0];
      }
    } else if (is_option(arg, "skip_header")) {
      if (!sema_const_int(s, arg->value, &src->skip_header, "skip_header") || src->skip_header < 0)
        ok = 0;
    } else {
      DataColumn *c = column_for(s, src, arg, "csv");
      if (!c || !check_cols(s, c, arg->value))
        ok = 0;
    }
  }
  if (!have_path) {
    diag_error(call->loc, "csv(...) needs a file path, as in csv(\"data.csv\", x = cols(0:-1))");
    ok = 0;
  }
  return ok;
}

static int check_idx(Sema *s, DataSource *src, const Expr *call) {
  int ok = 1;
  src->scale = 1;
  for (int i = 0; i < call->items.len; i++) {
    const Arg *arg = call->items.items[i];
    if (is_option(arg, "scale")) {
      if (!sema_const(s, arg->value, &src->scale))
        ok = 0;
      continue;
    }
    DataColumn *c = column_for(s, src, arg, "idx");
    if (!c) {
      ok = 0;
    } else if (arg->value->kind != EX_STRING) {
      diag_error(arg->value->loc, "idx(...) wants a file path string for input '%s'", arg->name);
      ok = 0;
    } else {
      c->path = arg->value->text;
    }
  }
  return ok;
}

/* Reads `data = inline(...) | csv(...) | idx(...)` and checks that every
   input the block's values read is provided. */
static void check_data(Sema *s, DataSource *src, const Expr *e, Node **roots, int n_roots) {
  src->loc = e->loc;
  if (e->kind != EX_CALL) {
    diag_error(e->loc, "data must be inline(...), csv(...) or idx(...)");
    return;
  }
  src->columns = ARENA_ARRAY(s->arena, DataColumn, e->items.len + 1);
  int ok;
  if (strcmp(e->text, "inline") == 0) {
    src->kind = DATA_INLINE;
    ok = check_inline(s, src, e);
  } else if (strcmp(e->text, "csv") == 0) {
    src->kind = DATA_CSV;
    ok = check_csv(s, src, e);
  } else if (strcmp(e->text, "idx") == 0) {
    src->kind = DATA_IDX;
    ok = check_idx(s, src, e);
  } else {
    Suggest hint;
    suggest_init(&hint, e->text);
    suggest_offer(&hint, "inline");
    suggest_offer(&hint, "csv");
    suggest_offer(&hint, "idx");
    const char *best = suggest_best(&hint);
    if (best)
      diag_error(e->name_loc, "unknown data source '%s'; did you mean '%s'?", e->text, best);
    else
      diag_error(e->name_loc, "unknown data source '%s' (expected inline, csv or idx)", e->text);
    sema_note_manual("Data sources");
    return;
  }
  if (!ok)
    return;
  int n_inputs = s->model->inputs.len;
  int *used = ARENA_ARRAY(s->arena, int, n_inputs + 1);
  inputs_read(s, roots, n_roots, used);
  for (int i = 0; i < n_inputs; i++) {
    if (!used[i])
      continue;
    int found = 0;
    for (int j = 0; j < src->n_columns; j++)
      found |= src->columns[j].input == s->model->inputs.items[i];
    if (!found) {
      const char *name = ((Input *)s->model->inputs.items[i])->name;
      diag_error(e->name_loc, "data gives no values for input '%s' (add %s = ... to %s(...))", name,
                 name, e->text);
    }
  }
  if (src->kind == DATA_INLINE) {
    for (int j = 1; j < src->n_columns; j++)
      if (src->columns[j].rows != src->columns[0].rows && src->columns[0].input->shape.dims[0].sym &&
          src->columns[j].input->shape.dims[0].sym)
        diag_error(src->columns[j].loc, "inputs '%s' and '%s' share size %s but have %ld and %ld rows",
                   src->columns[0].input->name, src->columns[j].input->name,
                   s->g->size_name ? s->g->size_name : "N", src->columns[0].rows,
                   src->columns[j].rows);
  }
}

/* ---- optimizer -------------------------------------------------------- */

/* The optimizers: their parameters and defaults, as torch.optim has them
   (sgd's lr has none).  nesterov is the one true/false parameter. */
static const struct OptimizerKind {
  const char *name;
  OptKind kind;
  ArgSpec args;
  double defaults[5];
  const char *what;
} optimizers[] = {
    {"sgd", OPT_SGD, {{"lr", "momentum", "weight_decay", "nesterov"}, 4, 1}, {0, 0, 0, 0},
     "torch.optim.SGD"},
    {"adam", OPT_ADAM, {{"lr", "beta1", "beta2", "eps", "weight_decay"}, 5, 0},
     {0.001, 0.9, 0.999, 1e-8, 0}, "torch.optim.Adam"},
};

enum { N_OPTIMIZERS = sizeof optimizers / sizeof optimizers[0] };

void sema_list_optimizers(FILE *out) {
  for (int i = 0; i < N_OPTIMIZERS; i++) {
    const struct OptimizerKind *o = &optimizers[i];
    char text[5][32];
    const char *defaults[5] = {NULL};
    for (int j = o->args.n_required; j < o->args.n_names; j++) {
      if (strcmp(o->args.names[j], "nesterov") == 0)
        snprintf(text[j], sizeof text[j], "%s", o->defaults[j] ? "true" : "false");
      else
        sema_format_number(text[j], sizeof text[j], o->defaults[j]);
      defaults[j] = text[j];
    }
    sema_print_signature(out, o->name, &o->args, defaults, o->what);
  }
}

static void check_optimizer(Sema *s, Optimizer *opt, const Expr *e) {
  opt->loc = e->loc;
  if (e->kind != EX_CALL) {
    diag_error(e->loc, "optimizer must be sgd(lr = ...) or adam(...)");
    return;
  }
  const struct OptimizerKind *kind = NULL;
  for (int i = 0; i < N_OPTIMIZERS; i++)
    if (strcmp(e->text, optimizers[i].name) == 0)
      kind = &optimizers[i];
  if (!kind) {
    Suggest hint;
    suggest_init(&hint, e->text);
    for (int i = 0; i < N_OPTIMIZERS; i++)
      suggest_offer(&hint, optimizers[i].name);
    char near[128];
    if (suggest_phrase(&hint, near, sizeof near))
      diag_error(e->name_loc, "unknown optimizer '%s'; did you mean %s?", e->text, near);
    else
      diag_error(e->name_loc, "unknown optimizer '%s' (the optimizers are sgd(lr = ...) and "
                              "adam(...))", e->text);
    sema_note_manual("Optimizers");
    return;
  }
  const Expr *args[8];
  opt->kind = kind->kind;
  double *fields[5];
  int bool_field = -1;
  if (kind->kind == OPT_SGD) {
    fields[0] = &opt->lr, fields[1] = &opt->momentum, fields[2] = &opt->weight_decay;
    bool_field = 3;
  } else {
    fields[0] = &opt->lr, fields[1] = &opt->beta1, fields[2] = &opt->beta2, fields[3] = &opt->eps;
    fields[4] = &opt->weight_decay;
  }
  for (int i = 0; i < kind->args.n_names; i++)
    if (i != bool_field)
      *fields[i] = kind->defaults[i];
  if (!sema_bind_args(s, e, &kind->args, args))
    return;
  for (int i = 0; i < kind->args.n_names; i++) {
    if (!args[i])
      continue;
    if (i == bool_field)
      sema_bool(s, args[i], &opt->nesterov, "nesterov");
    else
      sema_const(s, args[i], fields[i]);
  }
  if (opt->nesterov && opt->momentum <= 0)
    diag_error(e->loc, "nesterov momentum requires a momentum > 0 (as in torch.optim.SGD)");
  if (kind->kind == OPT_ADAM && (opt->beta1 < 0 || opt->beta1 >= 1 || opt->beta2 < 0 || opt->beta2 >= 1))
    diag_error(e->loc, "adam's betas must be in [0, 1)");
  if (opt->lr < 0)
    diag_error(e->loc, "learning rate must not be negative");
}

/* ---- metrics ----------------------------------------------------------- */

static int check_metrics(Sema *s, const Expr *e, Metric **out) {
  if (e->kind != EX_LIST) {
    diag_error(e->loc, "metrics must be a list of names, as in [accuracy]");
    return 0;
  }
  Metric *m = ARENA_ARRAY(s->arena, Metric, e->items.len + 1);
  int n = 0;
  for (int i = 0; i < e->items.len; i++) {
    const Expr *item = e->items.items[i];
    if (item->kind != EX_IDENT) {
      diag_error(item->loc, "a metric is the name of a scalar value");
      continue;
    }
    Node *node = sema_expr(s, item);
    if (!node)
      continue;
    if (node->shape.rank != 0 || node->dtype != DT_F32) {
      diag_error(item->loc, "metric '%s' must be an f32 scalar, but it is %s%s", item->text,
                 node->dtype == DT_I64 ? "i64" : "f32", shape_text(s, node->shape));
      continue;
    }
    m[n].name = item->text;
    m[n].node = node;
    n++;
  }
  *out = m;
  return n;
}

/* ---- blocks ----------------------------------------------------------- */

typedef struct Settings {
  const Setting *by_name[16];
  int misspelt[16];  /* an unknown setting was taken for this one, or its value did not parse:
                        do not call it missing */
} Settings;

/* An unknown setting: the likeliest one meant, else the list. */
static void unknown_setting(Sema *s, const Setting *set, const char *const *names, int n,
                            Settings *out, const char *block) {
  Suggest hint;
  suggest_init(&hint, set->name);
  for (int j = 0; j < n; j++)
    suggest_offer(&hint, names[j]);
  const char *best = suggest_best(&hint);
  for (int j = 0; best && j < n; j++)
    if (names[j] == best)
      out->misspelt[j] = 1;
  const char *list = "";
  for (int j = 0; j < n; j++)
    list = arena_printf(s->arena, "%s%s%s", list, j ? ", " : "", names[j]);
  if (best) {
    Loc nowhere = {0, 0, 0, 0};
    diag_error(set->loc, "unknown setting '%s' in %s; did you mean '%s'?", set->name, block, best);
    diag_note(nowhere, "the settings of %s are %s", block, list);
    return;
  }
  diag_error(set->loc, "unknown setting '%s' in %s (expected one of: %s)", set->name, block, list);
}

/* Collects a block's settings, rejecting unknown and repeated ones. */
static void collect(Sema *s, const Stmt *st, const char *const *names, int n, Settings *out,
                    const char *block) {
  memset(out, 0, sizeof *out);
  for (int i = 0; i < st->settings.len; i++) {
    const Setting *set = st->settings.items[i];
    int k = -1;
    for (int j = 0; j < n; j++)
      if (strcmp(names[j], set->name) == 0)
        k = j;
    if (k < 0) {
      unknown_setting(s, set, names, n, out, block);
    } else if (!set->value) {
      out->misspelt[k] = 1;  /* a syntax error in its value, reported: given, but not checked */
    } else if (out->by_name[k]) {
      diag_error(set->loc, "setting '%s' given twice", set->name);
      diag_note(out->by_name[k]->loc, "first given here");
    } else {
      out->by_name[k] = set;
    }
  }
}

static int setting_int(Sema *s, const Setting *set, long min, long *out) {
  if (!sema_const_int(s, set->value, out, set->name))
    return 0;
  if (*out < min) {
    diag_error(set->value->loc, "%s must be at least %ld", set->name, min);
    return 0;
  }
  return 1;
}

enum { T_LOSS, T_DATA, T_OPT, T_EPOCHS, T_BATCH, T_SHUFFLE, T_DROP_LAST, T_LOG_EVERY, T_METRICS };

/* One error for all the required settings a train block lacks (the first
   four of names[]): with an example when one is missing, a list otherwise. */
static void missing_settings(Sema *s, const Stmt *st, const Settings *set,
                             const char *const *names, const char *const *examples) {
  const char *missing[4];
  int n = 0, only = 0;
  for (int i = T_LOSS; i <= T_EPOCHS; i++)
    if (!set->by_name[i] && !set->misspelt[i]) {
      only = i;
      missing[n++] = names[i];
    }
  if (n == 1) {
    diag_error(st->loc, "train block is missing required setting '%s' (as in %s)", names[only],
               examples[only]);
  } else if (n > 1) {
    const char *list = "";
    for (int i = 0; i < n; i++)
      list = arena_printf(s->arena, "%s%s'%s'", list, i == 0 ? "" : i == n - 1 ? " and " : ", ",
                          missing[i]);
    diag_error(st->loc, "train block is missing required settings %s", list);
  }
}

/* The settings of each block, in the order of the T_ and E_ indices. */
static const char *const train_settings[] = {"loss", "data", "optimizer", "epochs", "batch_size",
                                             "shuffle", "drop_last", "log_every", "metrics"};
static const char *const eval_settings[] = {"data", "metrics", "batch_size", "every"};
enum {
  N_TRAIN_SETTINGS = sizeof train_settings / sizeof train_settings[0],
  N_EVAL_SETTINGS = sizeof eval_settings / sizeof eval_settings[0],
};

void sema_list_settings(FILE *out) {
  sema_print_names(out, "train { ... }", train_settings, N_TRAIN_SETTINGS);
  sema_print_names(out, "eval { ... }", eval_settings, N_EVAL_SETTINGS);
}

void sema_train(Sema *s, const Stmt *st) {
  const char *const *names = train_settings;
  static const char *const examples[] = {"loss = cost", "data = inline(x = ..., y = ...)",
                                         "optimizer = sgd(lr = 0.1)", "epochs = 100"};
  TrainSpec *t = &s->model->train;
  if (s->seen_train) {
    diag_error(st->loc, "a program has exactly one train block");
    diag_note(s->train_loc, "the first train block is here");
    return;
  }
  s->seen_train = 1;
  s->train_loc = st->loc;
  t->loc = st->loc;
  Settings set;
  collect(s, st, names, N_TRAIN_SETTINGS, &set, "train");
  missing_settings(s, st, &set, names, examples);
  if (set.by_name[T_LOSS]) {
    const Expr *e = set.by_name[T_LOSS]->value;
    Node *loss = sema_expr(s, e);
    if (loss) {
      if (loss->shape.rank != 0 || loss->dtype != DT_F32)
        diag_error(e->loc, "loss must be an f32 scalar, but it is %s%s (reduce it with mean or sum)",
                   loss->dtype == DT_I64 ? "i64" : "f32", shape_text(s, loss->shape));
      else if (!depends_on_param(s, loss))
        diag_error(e->loc, "loss does not depend on any param, so there is nothing to train");
      else if (!param_gets_gradient(s, loss))
        diag_error(e->loc, "loss depends on the params only through comparisons, sign or argmax, "
                           "which pass no gradient, so there is nothing to train");
      else
        t->loss = loss;
      t->loss_name = e->kind == EX_IDENT ? e->text : "loss";
    }
  }
  if (set.by_name[T_METRICS])
    t->n_metrics = check_metrics(s, set.by_name[T_METRICS]->value, &t->metrics);
  if (set.by_name[T_DATA]) {
    Node *roots[64] = {t->loss};
    int n = 1;
    for (int i = 0; i < t->n_metrics && n < 64; i++)
      roots[n++] = t->metrics[i].node;
    check_data(s, &t->data, set.by_name[T_DATA]->value, roots, n);
  }
  if (set.by_name[T_OPT])
    check_optimizer(s, &t->opt, set.by_name[T_OPT]->value);
  if (set.by_name[T_EPOCHS])
    setting_int(s, set.by_name[T_EPOCHS], 0, &t->epochs);
  if (set.by_name[T_BATCH])
    setting_int(s, set.by_name[T_BATCH], 1, &t->batch_size);
  if (set.by_name[T_SHUFFLE])
    sema_bool(s, set.by_name[T_SHUFFLE]->value, &t->shuffle, "shuffle");
  if (set.by_name[T_DROP_LAST])
    sema_bool(s, set.by_name[T_DROP_LAST]->value, &t->drop_last, "drop_last");
  t->log_every = t->epochs / 10 > 1 ? t->epochs / 10 : 1;
  if (set.by_name[T_LOG_EVERY])
    setting_int(s, set.by_name[T_LOG_EVERY], 1, &t->log_every);
  if (t->batch_size && s->model->inputs.len && !s->g->size_name)
    diag_error(set.by_name[T_BATCH]->loc, "batch_size needs inputs whose first dimension is a "
                                          "size name such as N");
}

void sema_eval(Sema *s, const Stmt *st) {
  const char *const *names = eval_settings;
  EvalSpec *ev = &s->model->eval;
  if (s->seen_eval) {
    diag_error(st->loc, "a program has at most one eval block");
    return;
  }
  if (!s->seen_train) {
    diag_error(st->loc, "the eval block comes after the train block");
    return;
  }
  s->seen_eval = 1;
  ev->present = 1;
  Settings set;
  collect(s, st, names, N_EVAL_SETTINGS, &set, "eval");
  if (set.by_name[1]) {
    ev->n_metrics = check_metrics(s, set.by_name[1]->value, &ev->metrics);
  } else {
    /* a copy: passes replace each root through its slot, and a slot
       listed twice (train's and eval's) would be replaced twice */
    ev->n_metrics = s->model->train.n_metrics;
    ev->metrics = ARENA_ARRAY(s->arena, Metric, ev->n_metrics + 1);
    if (ev->n_metrics)  /* train's metrics may be none (NULL) */
      memcpy(ev->metrics, s->model->train.metrics, sizeof(Metric) * (size_t)ev->n_metrics);
  }
  /* A misspelt 'data' was reported as unknown already: there is nothing
     to check, and no second error to give. */
  if (!set.by_name[0] && !set.misspelt[0]) {
    diag_error(st->loc, "eval block is missing required setting 'data' (as in data = inline(...))");
  } else if (set.by_name[0]) {
    Node *roots[64] = {s->model->train.loss};
    int n = 1;
    for (int i = 0; i < ev->n_metrics && n < 64; i++)
      roots[n++] = ev->metrics[i].node;
    check_data(s, &ev->data, set.by_name[0]->value, roots, n);
  }
  if (set.by_name[2])
    setting_int(s, set.by_name[2], 1, &ev->batch_size);
  if (set.by_name[3])
    setting_int(s, set.by_name[3], 1, &ev->every);
}
