/*
** sema_builtins.c — checks calls of builtin functions and layers and builds
** their graph nodes.  Each builtin is one row of the table at the bottom: its
** parameters (positional or by keyword) and a function that checks them.
*/
#include "sema.h"

#include <string.h>

static const char *shape_text(Sema *s, Shape sh) { return shape_str(s->arena, s->g, sh); }

/* "x, dim, keepdim": the parameters of a call, for messages. */
static const char *param_list(Sema *s, const ArgSpec *spec) {
  const char *list = "";
  for (int j = 0; j < spec->n_names; j++)
    list = arena_printf(s->arena, "%s%s%s", list, j ? ", " : "", spec->names[j]);
  return list;
}

/* Reports an argument name the call does not take, with the likeliest one. */
static void unknown_argument(Sema *s, const Expr *call, const ArgSpec *spec, const Arg *arg) {
  Suggest hint;
  suggest_init(&hint, arg->name);
  for (int j = 0; j < spec->n_names; j++)
    suggest_offer(&hint, spec->names[j]);
  const char *best = suggest_best(&hint);
  if (best)
    diag_error(arg->name_loc, "'%s' has no argument '%s'; did you mean '%s'?", call->text,
               arg->name, best);
  else if (spec->n_names)
    diag_error(arg->name_loc, "'%s' has no argument '%s' (it takes %s)", call->text, arg->name,
               param_list(s, spec));
  else
    diag_error(arg->name_loc, "'%s' takes no arguments", call->text);
}

int sema_bind_args(Sema *s, const Expr *call, const ArgSpec *spec, const Expr **out) {
  int ok = 1, positional = 0;
  const Arg *given[8] = {0};
  for (int i = 0; i < spec->n_names; i++)
    out[i] = NULL;
  for (int i = 0; i < call->items.len; i++) {
    const Arg *arg = call->items.items[i];
    int slot = -1;
    if (!arg->name) {
      if (positional >= spec->n_names) {
        if (spec->n_names)
          diag_error(arg->value->loc, "too many arguments to '%s' (it takes %s)", call->text,
                     param_list(s, spec));
        else
          diag_error(arg->value->loc, "'%s' takes no arguments", call->text);
        return 0;
      }
      slot = positional++;
    } else {
      for (int j = 0; j < spec->n_names; j++)
        if (strcmp(spec->names[j], arg->name) == 0)
          slot = j;
      if (slot < 0) {
        unknown_argument(s, call, spec, arg);
        ok = 0;
        continue;
      }
    }
    if (given[slot]) {
      const Arg *first = given[slot];
      diag_error(arg->name ? arg->name_loc : arg->value->loc, "argument '%s' of '%s' given twice",
                 spec->names[slot], call->text);
      diag_note(first->name ? first->name_loc : first->value->loc, "first given here%s",
                first->name ? "" : ", by position");
      ok = 0;
      continue;
    }
    given[slot] = arg;
    out[slot] = arg->value;
  }
  for (int i = 0; ok && i < spec->n_required; i++)
    if (!out[i]) {
      diag_error(call->loc, "'%s' needs argument '%s' (it takes %s)", call->text, spec->names[i],
                 param_list(s, spec));
      ok = 0;
    }
  return ok;
}

Node *sema_tensor_arg(Sema *s, const Expr *arg, const char *fn) {
  Node *n = sema_expr(s, arg);
  if (n && !sema_want_f32(s, n, arg, arena_printf(s->arena, "the argument of '%s'", fn)))
    return NULL;
  return n;
}

/* Class labels: an i64 argument of `fn`. */
static Node *labels_arg(Sema *s, const Expr *arg, const char *fn) {
  Node *n = sema_expr(s, arg);
  if (n && n->dtype != DT_I64) {
    diag_error(arg->loc, "'%s' wants i64 class labels here, but this is f32%s (declare the "
                         "labels as i64[N])", fn, shape_text(s, n->shape));
    return NULL;
  }
  return n;
}

/* A dim argument, normalized to [0, rank). */
static int axis_arg(Sema *s, const Expr *arg, Shape shape, int *axis) {
  long d;
  int rank = shape.rank;
  if (!sema_const_int(s, arg, &d, "dim"))
    return 0;
  if (rank == 0) {
    diag_error(arg->loc, "dim %ld is out of range: the value is a scalar", d);
    return 0;
  }
  if (d < -rank || d >= rank) {
    diag_error(arg->loc, "dim %ld is out of range for a value of shape %s (dim must be in "
                         "%d..%d)", d, shape_text(s, shape), -rank, rank - 1);
    return 0;
  }
  *axis = (int)(d < 0 ? d + rank : d);
  return 1;
}

static Node *node_with(Sema *s, Op op, DType dt, Shape sh, Node *a, Node *b, Loc loc) {
  Node *in[2] = {a, b};
  return ir_node(s->g, op, dt, sh, b ? 2 : 1, in, loc);
}

/* The leading dims of s (all but the last `keep`) as one: N*T for the rows
   of every step of a sequence [N, T, F]. */
static Dim leading_rows(Shape s, int keep) {
  long factor = 1;
  int sym = 0;
  for (int i = 0; i < s.rank - keep; i++) {
    sym |= s.dims[i].sym;
    factor *= dim_factor(s.dims[i]);
  }
  return sym ? dim_batch(factor) : dim_const(factor);
}

/* x seen with its leading dims as one (same array, new shape): [N, T, F]
   as [N*T, F] when keep is 1, labels [N, T] as [N*T] when keep is 0. */
static Node *rows_view(Sema *s, Node *x, int keep, Loc loc) {
  if (x->shape.rank == keep + 1)
    return x;
  Dim d[2] = {leading_rows(x->shape, keep), x->shape.dims[x->shape.rank - 1]};
  return node_with(s, OP_RESHAPE, x->dtype, shape_of(keep + 1, d), x, NULL, loc);
}

/* Records that an i64 input holds labels of `classes` classes. */
static void note_classes(Node *labels, long classes, Model *m) {
  if (labels->op == OP_INPUT) {
    Input *in = m->inputs.items[labels->attr.index];
    if (!in->num_classes)
      in->num_classes = classes;
  }
}

static int is_probability(const Node *n) {
  return n->op == OP_SIGMOID || n->op == OP_SOFTMAX;
}

static int is_unbounded(const Node *n) {
  switch (n->op) {
  case OP_MATMUL: case OP_ADD: case OP_SUB: case OP_NEG: case OP_RELU: case OP_LEAKY_RELU:
  case OP_TANH: case OP_LOG: case OP_LOG_SOFTMAX: case OP_INPUT: case OP_PARAM:
    return 1;
  default:
    return 0;
  }
}

typedef Node *(*BuiltinFn)(Sema *s, const Expr *call, const Expr **args, int op);

static Node *build_elementwise(Sema *s, const Expr *call, const Expr **args, int op) {
  Node *x = sema_tensor_arg(s, args[0], call->text);
  if (!x)
    return NULL;
  Node proto = ir_proto((Op)op, DT_F32, x->shape, x);
  proto.loc = call->loc;
  if (op == OP_LEAKY_RELU) {
    proto.attr.value = 0.01;
    if (args[1] && !sema_const(s, args[1], &proto.attr.value))
      return NULL;
  }
  return ir_with_attrs(s->g, proto);
}

static Node *build_reduce(Sema *s, const Expr *call, const Expr **args, int op) {
  Node *x = sema_tensor_arg(s, args[0], call->text);
  if (!x)
    return NULL;
  Node proto;
  memset(&proto, 0, sizeof proto);
  proto.op = (Op)op;
  proto.dtype = DT_F32;
  proto.n_in = 1;
  proto.in[0] = x;
  proto.attr.axis = -1;
  proto.loc = call->loc;
  if (!args[1]) {
    if (args[2]) {
      diag_error(args[2]->loc, "keepdim needs dim");
      return NULL;
    }
    proto.shape = shape_scalar();
    return ir_with_attrs(s->g, proto);
  }
  if (!axis_arg(s, args[1], x->shape, &proto.attr.axis))
    return NULL;
  if (args[2] && !sema_bool(s, args[2], &proto.attr.keepdim, "keepdim"))
    return NULL;
  Shape sh = shape_scalar();
  for (int i = 0; i < x->shape.rank; i++) {
    if (i == proto.attr.axis) {
      if (proto.attr.keepdim)
        sh.dims[sh.rank++] = dim_const(1);
    } else {
      sh.dims[sh.rank++] = x->shape.dims[i];
    }
  }
  proto.shape = sh;
  return ir_with_attrs(s->g, proto);
}

/* var(x, dim, unbiased, keepdim) and std(...), as torch.var and torch.std:
   sum((x - mean(x, dim, keepdim = true))^2, dim, keepdim) / (n - unbiased),
   and its square root for std.  They are built here from operators that
   exist (mean, sub, mul, sum, div, sqrt) rather than as an operator of their
   own: the two passes are what PyTorch's CPU kernel computes too (the mean
   first, then the squared deviations), the sums are the reductions'
   (accumulated in double), autodiff's rules for those operators give
   var's gradient 2 (x - mean) / (n - unbiased) with no rule to add, the
   fusion and the memory plan treat them like any expression, and a step
   that reduces over the batch's rows is kept whole by rowblock.c as for a
   mean.  With unbiased and one element n - 1 is 0 and the result is 0/0,
   nan, as PyTorch's (which warns; so does sema when the count is known).
   `op` is OP_SQRT for std, OP_DIV for var. */
static Node *build_var(Sema *s, const Expr *call, const Expr **args, int op) {
  Node *x = sema_tensor_arg(s, args[0], call->text);
  if (!x)
    return NULL;
  int axis = -1, unbiased = 1, keepdim = 0;
  if (args[1] && !axis_arg(s, args[1], x->shape, &axis))
    return NULL;
  if (args[2] && !sema_bool(s, args[2], &unbiased, "unbiased"))
    return NULL;
  if (args[3] && !args[1]) {
    diag_error(args[3]->loc, "keepdim needs dim");
    return NULL;
  }
  if (args[3] && !sema_bool(s, args[3], &keepdim, "keepdim"))
    return NULL;
  /* the mean, kept as a [.., 1, ..] (or scalar) value that broadcasts */
  Node proto = ir_proto(OP_MEAN, DT_F32, x->shape, x);
  proto.loc = call->loc;
  if (axis >= 0) {
    proto.shape.dims[axis] = dim_const(1);
    proto.attr.axis = axis;
    proto.attr.keepdim = 1;
  } else {
    proto.shape = shape_scalar();
  }
  Node *mean = ir_with_attrs(s->g, proto);
  Node *dev = ir_binary(s->g, OP_SUB, x, mean);
  Node *sq = ir_binary(s->g, OP_MUL, dev, dev);
  /* the sum of squares, with the shape the call asked for */
  Node sp = ir_proto(OP_SUM, DT_F32, shape_scalar(), sq);
  sp.loc = call->loc;
  if (axis >= 0) {
    sp.attr.axis = axis;
    sp.attr.keepdim = keepdim;
    for (int i = 0; i < x->shape.rank; i++)
      if (i != axis || keepdim)
        sp.shape.dims[sp.shape.rank++] = i == axis ? dim_const(1) : x->shape.dims[i];
  }
  Node *sum = ir_with_attrs(s->g, sp);
  /* n - unbiased: a constant, or a count of the batch's rows */
  Shape counted = axis >= 0 ? shape_of(1, &x->shape.dims[axis]) : x->shape;
  Node *count;
  if (!shape_has_sym(counted)) {
    long n = (long)shape_static_numel(counted);
    if (unbiased && n <= 1)
      diag_warning(call->loc, "'%s' with unbiased = true of %s element: the result is nan (n - 1 "
                              "is 0), as in PyTorch", call->text, n == 1 ? "one" : "no");
    count = ir_const(s->g, (double)(n - unbiased));
  } else {
    Node numel = ir_proto(OP_NUMEL, DT_F32, shape_scalar(), NULL);
    numel.attr.value = (double)shape_static_numel(counted);
    numel.attr.index = 1;
    numel.loc = call->loc;
    count = ir_with_attrs(s->g, numel);
    if (unbiased)
      count = ir_binary(s->g, OP_SUB, count, ir_const(s->g, 1));
  }
  Node *var = ir_binary(s->g, OP_DIV, sum, count);
  return op == OP_SQRT ? ir_unary(s->g, OP_SQRT, var) : var;
}

static Node *build_softmax(Sema *s, const Expr *call, const Expr **args, int op) {
  Node *x = sema_tensor_arg(s, args[0], call->text);
  if (!x)
    return NULL;
  if (x->op == OP_SOFTMAX || x->op == OP_LOG_SOFTMAX)
    diag_warning(call->loc, "%s of a %s: the input is already normalized (did you mean to pass "
                            "the logits?)", call->text, op_info[x->op].spelling);
  int axis;
  if (!axis_arg(s, args[1], x->shape, &axis))
    return NULL;
  Node proto = ir_proto((Op)op, DT_F32, x->shape, x);
  proto.attr.axis = axis;
  proto.loc = call->loc;
  return ir_with_attrs(s->g, proto);
}

static Node *build_argmax(Sema *s, const Expr *call, const Expr **args, int op) {
  (void)op;
  Node *x = sema_tensor_arg(s, args[0], call->text);
  if (!x)
    return NULL;
  Node proto;
  memset(&proto, 0, sizeof proto);
  if (!axis_arg(s, args[1], x->shape, &proto.attr.axis))
    return NULL;
  proto.op = OP_ARGMAX;
  proto.dtype = DT_I64;
  proto.n_in = 1;
  proto.in[0] = x;
  proto.loc = call->loc;
  for (int i = 0; i < x->shape.rank; i++)
    if (i != proto.attr.axis)
      proto.shape.dims[proto.shape.rank++] = x->shape.dims[i];
  return ir_with_attrs(s->g, proto);
}

static Node *build_onehot(Sema *s, const Expr *call, const Expr **args, int op) {
  (void)op;
  Node *y = labels_arg(s, args[0], "onehot");
  long classes;
  if (!y || !sema_const_int(s, args[1], &classes, "the number of classes"))
    return NULL;
  if (y->shape.rank != 1 && y->shape.rank != 2) {
    diag_error(args[0]->loc, "onehot wants labels of shape [N] or [N, T], got %s", shape_text(s, y->shape));
    return NULL;
  }
  if (classes < 1) {
    diag_error(args[1]->loc, "the number of classes must be positive");
    return NULL;
  }
  note_classes(y, classes, s->model);
  Shape sh = y->shape;
  sh.dims[sh.rank++] = dim_const(classes);
  Node proto = ir_proto(OP_ONEHOT, DT_F32, sh, y);
  proto.attr.classes = classes;
  proto.loc = call->loc;
  return ir_with_attrs(s->g, proto);
}

static Node *build_transpose(Sema *s, const Expr *call, const Expr **args, int op) {
  (void)op;
  Node *x = sema_expr(s, args[0]);
  if (!x)
    return NULL;
  if (x->shape.rank != 2) {
    diag_error(call->loc, "transpose needs a 2-D tensor, got %s", shape_text(s, x->shape));
    return NULL;
  }
  Dim d[2] = {x->shape.dims[1], x->shape.dims[0]};
  return node_with(s, OP_TRANSPOSE, x->dtype, shape_of(2, d), x, NULL, call->loc);
}

static Node *build_flatten(Sema *s, const Expr *call, const Expr **args, int op) {
  (void)op;
  Node *x = sema_expr(s, args[0]);
  if (!x)
    return NULL;
  if (x->shape.rank < 1) {
    diag_error(call->loc, "flatten needs at least one dimension");
    return NULL;
  }
  if (x->shape.rank <= 2)
    return x;
  long rest = 1;
  for (int i = 1; i < x->shape.rank; i++)
    rest *= x->shape.dims[i].n;
  Dim d[2] = {x->shape.dims[0], dim_const(rest)};
  return node_with(s, OP_RESHAPE, x->dtype, shape_of(2, d), x, NULL, call->loc);
}

static Node *build_dropout(Sema *s, const Expr *call, const Expr **args, int op) {
  (void)op;
  Node *x = sema_tensor_arg(s, args[0], call->text);
  double p;
  if (!x || !sema_const(s, args[1], &p))
    return NULL;
  if (p < 0 || p >= 1) {
    diag_error(args[1]->loc, "dropout probability must be in [0, 1)");
    return NULL;
  }
  if (p == 0)
    return x;
  Node proto = ir_proto(OP_DROPOUT_MASK, DT_F32, x->shape, NULL);
  proto.attr.value = p;
  proto.attr.axis = -1;
  proto.attr.index = s->g->nodes.len; /* each dropout call draws its own mask */
  proto.loc = call->loc;
  Node *mask = ir_with_attrs(s->g, proto);
  s->model->uses_dropout = 1;
  return ir_binary(s->g, OP_MUL, x, mask);
}

/* Two operands of the same shape, as PyTorch's losses require. */
static int same_shape_args(Sema *s, const Expr *call, Node *a, Node *b) {
  if (!shape_equal(a->shape, b->shape)) {
    diag_error(call->loc, "'%s' needs input and target of the same shape, got %s and %s",
               call->text, shape_text(s, a->shape), shape_text(s, b->shape));
    return 0;
  }
  return 1;
}

static Node *build_mse(Sema *s, const Expr *call, const Expr **args, int op) {
  (void)op;
  Node *a = sema_tensor_arg(s, args[0], call->text), *b = sema_tensor_arg(s, args[1], call->text);
  if (!a || !b || !same_shape_args(s, call, a, b))
    return NULL;
  Node *d = ir_binary(s->g, OP_SUB, a, b);
  Node proto = ir_proto(OP_POW, DT_F32, d->shape, d);
  proto.attr.value = 2;
  proto.attr.axis = -1;
  proto.loc = call->loc;
  Node *sq = ir_with_attrs(s->g, proto);
  return node_with(s, OP_MEAN, DT_F32, shape_scalar(), sq, NULL, call->loc);
}

static Node *build_bce(Sema *s, const Expr *call, const Expr **args, int op) {
  Node *p = sema_tensor_arg(s, args[0], call->text), *y = sema_tensor_arg(s, args[1], call->text);
  if (!p || !y || !same_shape_args(s, call, p, y))
    return NULL;
  if (op == OP_BCE && is_unbounded(p) && !is_probability(p))
    diag_warning(args[0]->loc, "binary_cross_entropy is given a value that is not a probability "
                               "(use sigmoid, or binary_cross_entropy_with_logits on the logits)");
  return node_with(s, (Op)op, DT_F32, shape_scalar(), p, y, call->loc);
}

static Node *build_class_loss(Sema *s, const Expr *call, const Expr **args, int op) {
  Node *z = sema_tensor_arg(s, args[0], call->text), *y = labels_arg(s, args[1], call->text);
  if (!z || !y)
    return NULL;
  /* [N, C] and [N], or a sequence's [N, T, C] and [N, T] */
  int fits = (z->shape.rank == 2 || z->shape.rank == 3) && y->shape.rank == z->shape.rank - 1;
  for (int i = 0; fits && i < y->shape.rank; i++)
    fits = shape_equal(shape_of(1, &z->shape.dims[i]), shape_of(1, &y->shape.dims[i]));
  if (!fits) {
    diag_error(call->loc, "'%s' wants scores [N, C] and labels [N] (or a sequence's [N, T, C] and "
                          "[N, T]), got %s and %s", call->text, shape_text(s, z->shape),
               shape_text(s, y->shape));
    return NULL;
  }
  if (op == OP_SOFTMAX_CE && (z->op == OP_SOFTMAX || z->op == OP_SIGMOID))
    diag_warning(args[0]->loc, "cross_entropy is given probabilities (a %s), but it applies "
                               "softmax itself: pass the logits", op_info[z->op].spelling);
  if (op == OP_NLL && (z->op == OP_SOFTMAX))
    diag_warning(args[0]->loc, "nll_loss wants log-probabilities: use log_softmax, not softmax");
  note_classes(y, z->shape.dims[z->shape.rank - 1].n, s->model);
  /* Over a sequence, the loss of every step's row: PyTorch's loss of
     z.view(-1, C) and labels.view(-1), a mean over N*T. */
  z = rows_view(s, z, 1, call->loc);
  y = rows_view(s, y, 0, call->loc);
  if (op == OP_SOFTMAX_CE) {
    /* cross_entropy is nll_loss(log_softmax(z, dim = 1)), as in PyTorch; the
       stabilize pass fuses the two again at -O1 and above. */
    Node proto = ir_proto(OP_LOG_SOFTMAX, DT_F32, z->shape, z);
    proto.attr.axis = 1;
    proto.loc = call->loc;
    z = ir_with_attrs(s->g, proto);
    op = OP_NLL;
  }
  return node_with(s, (Op)op, DT_F32, shape_scalar(), z, y, call->loc);
}

/* The builtins: what sema checks calls against, and what mgc --list prints
   (sema_list.c).  `defaults` are the optional parameters' defaults as a .mg
   file writes them; NULL for a required parameter, "" for an optional one
   without a default (leaving it out changes what the function computes).
   A builtin that is one operator goes by the operator's spelling in ops.def
   (OP_SPELLING); the others (PyTorch's names for what mgc builds from other
   operators) are named here. */
#define OP_SPELLING NULL
static const struct Builtin {
  const char *name;
  ArgSpec args;
  BuiltinFn build;
  int op;
  const char *defaults[8];
  const char *what;
} builtins[] = {
    {OP_SPELLING, {{"x"}, 1, 1}, build_elementwise, OP_EXP, {0}, "elementwise e^x (torch.exp)"},
    {OP_SPELLING, {{"x"}, 1, 1}, build_elementwise, OP_LOG, {0}, "elementwise natural log, log(0) = -inf (torch.log)"},
    {OP_SPELLING, {{"x"}, 1, 1}, build_elementwise, OP_SQRT, {0}, "elementwise square root (torch.sqrt)"},
    {OP_SPELLING, {{"x"}, 1, 1}, build_elementwise, OP_ABS, {0}, "elementwise |x| (torch.abs)"},
    {OP_SPELLING, {{"x"}, 1, 1}, build_elementwise, OP_SIGMOID, {0}, "elementwise 1 / (1 + e^-x) (torch.sigmoid)"},
    {OP_SPELLING, {{"x"}, 1, 1}, build_elementwise, OP_TANH, {0}, "elementwise (torch.tanh)"},
    {OP_SPELLING, {{"x"}, 1, 1}, build_elementwise, OP_RELU, {0}, "elementwise max(x, 0) (torch.relu)"},
    {OP_SPELLING, {{"x"}, 1, 1}, build_elementwise, OP_SOFTPLUS, {0}, "elementwise log(1 + e^x) (F.softplus)"},
    {OP_SPELLING, {{"x", "slope"}, 2, 1}, build_elementwise, OP_LEAKY_RELU, {0, "0.01"},
     "elementwise, slope * x below 0 (F.leaky_relu)"},
    {OP_SPELLING, {{"x", "dim", "keepdim"}, 3, 1}, build_reduce, OP_SUM, {0, "", "false"},
     "a scalar, or with dim: that dimension summed away (torch.sum)"},
    {OP_SPELLING, {{"x", "dim", "keepdim"}, 3, 1}, build_reduce, OP_MEAN, {0, "", "false"},
     "a scalar, or with dim: that dimension averaged away (torch.mean)"},
    {"var", {{"x", "dim", "unbiased", "keepdim"}, 4, 1}, build_var, OP_DIV, {0, "", "true", "false"},
     "a scalar, or with dim: the variance along dim, divided by n - 1 if unbiased (torch.var)"},
    {"std", {{"x", "dim", "unbiased", "keepdim"}, 4, 1}, build_var, OP_SQRT, {0, "", "true", "false"},
     "the square root of var(x, ...) (torch.std)"},
    {OP_SPELLING, {{"x", "dim"}, 2, 2}, build_softmax, OP_SOFTMAX, {0},
     "same shape, normalized along dim (torch.softmax)"},
    {OP_SPELLING, {{"x", "dim"}, 2, 2}, build_softmax, OP_LOG_SOFTMAX, {0},
     "same shape, log of softmax along dim (torch.log_softmax)"},
    {OP_SPELLING, {{"x", "dim"}, 2, 2}, build_argmax, OP_ARGMAX, {0},
     "i64, dim removed: index of the first maximum (torch.argmax)"},
    {OP_SPELLING, {{"labels", "num_classes"}, 2, 2}, build_onehot, OP_ONEHOT, {0},
     "i64[N] -> f32[N, num_classes], i64[N, T] -> f32[N, T, num_classes] (F.one_hot)"},
    {OP_SPELLING, {{"x"}, 1, 1}, build_transpose, OP_TRANSPOSE, {0}, "[a, b] -> [b, a], as x.T"},
    {"flatten", {{"x"}, 1, 1}, build_flatten, OP_RESHAPE, {0}, "[N, ...] -> [N, rest] (torch.flatten(x, 1))"},
    {OP_SPELLING, {{"x", "kernel_size", "stride", "padding"}, 4, 2}, sema_build_pool, OP_MAX_POOL2D,
     {0, 0, "kernel_size", "0"}, "[N, C, H, W] -> [N, C, H', W']: each window's maximum (F.max_pool2d)"},
    {OP_SPELLING, {{"x", "kernel_size", "stride", "padding"}, 4, 2}, sema_build_pool, OP_AVG_POOL2D,
     {0, 0, "kernel_size", "0"}, "[N, C, H, W] -> [N, C, H', W']: each window's mean, padding counted (F.avg_pool2d)"},
    {"dropout", {{"x", "p"}, 2, 2}, build_dropout, OP_DROPOUT_MASK, {0},
     "same shape: zeroes with probability p and scales by 1/(1-p) in training (F.dropout)"},
    {"mse_loss", {{"input", "target"}, 2, 2}, build_mse, OP_MEAN, {0},
     "scalar: mean of (input - target)^2 (F.mse_loss)"},
    {OP_SPELLING, {{"input", "target"}, 2, 2}, build_bce, OP_BCE, {0},
     "scalar: mean over probabilities (F.binary_cross_entropy)"},
    {"binary_cross_entropy_with_logits", {{"input", "target"}, 2, 2}, build_bce, OP_BCE_LOGITS, {0},
     "scalar: mean over logits (F.binary_cross_entropy_with_logits)"},
    {"cross_entropy", {{"input", "target"}, 2, 2}, build_class_loss, OP_SOFTMAX_CE, {0},
     "scalar: logits f32[N, C], labels i64[N]; or f32[N, T, C], i64[N, T] (F.cross_entropy)"},
    {OP_SPELLING, {{"input", "target"}, 2, 2}, build_class_loss, OP_NLL, {0},
     "scalar: log-probabilities f32[N, C], labels i64[N]; or f32[N, T, C], i64[N, T] (F.nll_loss)"},
};

enum { N_BUILTINS = sizeof builtins / sizeof builtins[0] };

static const char *builtin_name(const struct Builtin *b) { return b->name ? b->name : op_info[b->op].spelling; }

/* Checks the arguments of a call that cannot be made (an unknown function,
   or arguments that do not fit) for the errors inside them, so that an
   error does not hide the ones it contains.  Constants, strings and lists
   are left alone: what they must be depends on the function. */
static void check_arguments_only(Sema *s, const Expr *call) {
  for (int i = 0; i < call->items.len; i++) {
    const Expr *v = ((const Arg *)call->items.items[i])->value;
    if (v->kind != EX_NUMBER && v->kind != EX_STRING && v->kind != EX_BOOL && v->kind != EX_SLICE &&
        v->kind != EX_LIST)
      sema_expr(s, v);
  }
}

/* A call of a name that is no builtin, layer or value. */
static void unknown_function(Sema *s, const Expr *call) {
  const char *name = call->text;
  int kind = sema_layer_kind(name);
  if (kind > 0) {
    diag_error(call->name_loc, "'%s' is a layer kind: declare a layer, as in layer fc = %s(...), "
                               "then call it, as in fc(x)", name, name);
    return;
  }
  if (kind < 0) {
    diag_error(call->name_loc, "'%s' is a layer kind, and not supported yet by this version of "
                               "mgc", name);
    sema_note_manual("Layers");
    return;
  }
  Suggest hint;
  suggest_init(&hint, name);
  sema_suggest_builtins(&hint);
  /* The layers in declaration order (the list is newest first), so that
     equally close ones are offered as the file declares them. */
  int n_layers = 0;
  for (Symbol *l = s->symbols; l; l = l->next)
    n_layers += l->kind == SYM_LAYER;
  const char **layers = ARENA_ARRAY(s->arena, const char *, n_layers + 1);
  int k = n_layers;
  for (Symbol *l = s->symbols; l; l = l->next)
    if (l->kind == SYM_LAYER)
      layers[--k] = l->name;
  for (int i = 0; i < n_layers; i++)
    suggest_offer(&hint, layers[i]);
  char near[256];
  if (suggest_phrase(&hint, near, sizeof near))
    diag_error(call->name_loc, "unknown function '%s'; did you mean %s?", name, near);
  else
    diag_error(call->name_loc, "unknown function '%s'", name);
  sema_note_manual("Built-in functions");
}

Node *sema_builtin_call(Sema *s, const Expr *call) {
  for (size_t i = 0; i < N_BUILTINS; i++) {
    const struct Builtin *b = &builtins[i];
    if (strcmp(builtin_name(b), call->text) != 0)
      continue;
    const Expr *args[8];
    if (!sema_bind_args(s, call, &b->args, args)) {
      check_arguments_only(s, call);
      return NULL;
    }
    return b->build(s, call, args, b->op);
  }
  Symbol *sym = sema_lookup(s, call->text);
  if (sym) {
    diag_error(call->name_loc, "'%s' is %s, not a function or a layer", call->text,
               sym->kind == SYM_INPUT ? "an input" : sym->kind == SYM_PARAM ? "a param" : "a let value");
  } else if (!sema_used_before_definition(s, call->text, call->name_loc)) {
    unknown_function(s, call);
  }
  /* Reported outermost first, in source order: the errors inside follow. */
  check_arguments_only(s, call);
  return NULL;
}

int sema_is_builtin(const char *name) {
  for (size_t i = 0; i < N_BUILTINS; i++)
    if (strcmp(builtin_name(&builtins[i]), name) == 0)
      return 1;
  return 0;
}

void sema_suggest_builtins(Suggest *hint) {
  for (size_t i = 0; i < N_BUILTINS; i++)
    suggest_offer(hint, builtin_name(&builtins[i]));
}

void sema_list_builtins(FILE *out) {
  for (size_t i = 0; i < N_BUILTINS; i++)
    sema_print_signature(out, builtin_name(&builtins[i]), &builtins[i].args, builtins[i].defaults,
                         builtins[i].what);
}

/* fc(x) = x @ fc.weight.T + fc.bias, as nn.Linear computes it (a conv2d
   layer's call is sema_conv.c's, a batch norm layer's sema_batch_norm.c's). */
Node *sema_layer_call(Sema *s, const Expr *call, Symbol *layer) {
  if (layer->conv)
    return sema_conv_call(s, call, layer);
  static const ArgSpec spec = {{"x"}, 1, 1};
  const Expr *args[8];
  if (!sema_bind_args(s, call, &spec, args)) {
    check_arguments_only(s, call);
    return NULL;
  }
  if (layer->norm_rank)
    return sema_batch_norm_call(s, call, args[0], layer);
  Node *x = sema_tensor_arg(s, args[0], call->text);
  if (!x)
    return NULL;
  if (layer->rnn)
    return sema_rnn_call(s, call, args[0], x, layer);
  Shape xs = x->shape;
  if (xs.rank < 2 || xs.rank > 3 || xs.dims[xs.rank - 1].sym || xs.dims[xs.rank - 1].n != layer->in_features) {
    diag_error(args[0]->loc, "layer '%s' takes [N, %ld] (or a sequence's [N, T, %ld]), got %s", layer->name,
               layer->in_features, layer->in_features, shape_text(s, xs));
    return NULL;
  }
  /* On a sequence [N, T, IN] it acts on the last dim, as nn.Linear does:
     the rows of every step are one product [N*T, IN] @ W.T, the same array
     seen as a matrix. */
  Node *rows = rows_view(s, x, 1, call->loc);
  Node *w = layer->weight->node;
  Dim td[2] = {w->shape.dims[1], w->shape.dims[0]};
  Node *wt = node_with(s, OP_TRANSPOSE, DT_F32, shape_of(2, td), w, NULL, call->loc);
  Dim od[2] = {rows->shape.dims[0], dim_const(layer->out_features)};
  Node *y = node_with(s, OP_MATMUL, DT_F32, shape_of(2, od), rows, wt, call->loc);
  if (layer->bias)
    y = ir_binary(s->g, OP_ADD, y, layer->bias->node);
  if (xs.rank == 2)
    return y;
  xs.dims[2] = dim_const(layer->out_features);
  return node_with(s, OP_RESHAPE, DT_F32, xs, y, NULL, call->loc);
}
