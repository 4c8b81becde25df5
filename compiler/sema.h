/*
** sema.h — internal interface between sema's files: the scope of names and
** the helpers that check expressions (sema.c), builtin calls
** (sema_builtins.c) and train/eval settings (sema_settings.c).
*/
#ifndef MGC_SEMA_H
#define MGC_SEMA_H

#include <stdio.h>

#include "model.h"

typedef enum { SYM_INPUT, SYM_PARAM, SYM_LET, SYM_LAYER } SymKind;

typedef struct RnnLayer RnnLayer;  /* sema_rnn.c */

typedef struct Symbol {
  const char *name;
  SymKind kind;
  Loc loc;
  Node *node;          /* input, param, let */
  Param *param;        /* param */
  Input *input;        /* input */
  Param *weight, *bias;  /* layer */
  long in_features, out_features;
  /* a batch norm layer (sema_batch_norm.c): the rank it takes (2 or 4, 0 for
     another layer), its buffers and settings */
  int norm_rank;
  Buffer *running_mean, *running_var, *num_batches_tracked;
  double eps, momentum;
  int conv;            /* a conv2d layer (sema_conv.c), whose window this is */
  Window window;
  RnnLayer *rnn;       /* a recurrent layer's kind and params (sema_rnn.c) */
  int used;
  int broken;          /* its definition had an error: uses are not reported again */
  struct Symbol *next;       /* all symbols, newest first */
  struct Symbol *hash_next;  /* the symbols of one bucket of the table */
} Symbol;

typedef struct Sema {
  Arena *arena;
  Model *model;
  Graph *g;
  Symbol *symbols;      /* newest first */
  Symbol *table[1024];  /* by hash of the name: lookups stay fast in generated programs */
  int random_drawn;     /* a random initializer has been seen (seed must come first) */
  Loc first_random;     /* where it was */
  int seen_seed, seen_train, seen_eval;
  Loc seed_loc, train_loc;
  const Program *prog;  /* to tell "defined later" from "never defined" */
  int stmt_index;       /* the statement being checked */
  int depth;            /* of sema_expr and sema_const calls, to refuse very deep expressions */
  int too_deep;         /* reported for the current statement */
  int f64;              /* the program's number type is double: literals must fit it */
} Sema;

Symbol *sema_lookup(Sema *s, const char *name);
/* If a later statement defines `name`, reports the use at loc as coming
   before the definition and returns 1. */
int sema_used_before_definition(Sema *s, const char *name, Loc loc);
/* Checks an expression and returns its node, or NULL after reporting. */
Node *sema_expr(Sema *s, const Expr *e);
/* A compile-time number: literals, negation and arithmetic on them. */
int sema_const(Sema *s, const Expr *e, double *out);
int sema_const_int(Sema *s, const Expr *e, long *out, const char *what);
int sema_bool(Sema *s, const Expr *e, int *out, const char *what);
/* A tensor literal: its shape and row-major values.  Reports and returns 0 on error. */
int sema_literal(Sema *s, const Expr *e, Shape *shape, const double **values);
/* Requires an f32 operand. */
int sema_want_f32(Sema *s, const Node *n, const Expr *e, const char *what);

/* Arguments of a call, bound to parameter names (positional or keyword). */
typedef struct ArgSpec {
  const char *names[8];
  int n_names;
  int n_required;
} ArgSpec;
/* Fills out[i] with the argument for names[i] or NULL; reports errors. */
int sema_bind_args(Sema *s, const Expr *call, const ArgSpec *spec, const Expr **out);

/* x[i, :, ...] (sema_index.c) */
Node *sema_index(Sema *s, const Expr *e);

Node *sema_builtin_call(Sema *s, const Expr *call);
/* Is `name` a builtin function?  And offers every builtin's name to a hint. */
int sema_is_builtin(const char *name);
void sema_suggest_builtins(Suggest *hint);
Node *sema_layer_call(Sema *s, const Expr *call, Symbol *layer);
/* The recurrent layers (sema_rnn.c): `layer r = rnn(...)`'s params (0 after
   reporting; sym may be NULL, then only the call is checked) and r(x). */
int sema_rnn_layer(Sema *s, Symbol *sym, const Stmt *st);
Node *sema_rnn_call(Sema *s, const Expr *call, const Expr *arg, Node *x, Symbol *layer);
/* A new param of the model, and an initialization step for one (sema.c). */
Param *sema_new_param(Sema *s, const char *name, Shape sh, Loc loc);
void sema_add_init_step(Sema *s, InitStep *step);
/* 1 for a layer kind mgc implements, -1 for one of the language's that it
   does not yet, 0 for a name that is no layer kind. */
int sema_layer_kind(const char *name);
/* A note after an error about an unknown name: where the manual lists the
   names that exist (a section title of docs/manual.md). */
void sema_note_manual(const char *section);

/* mgc --list (sema_list.c): each table prints itself with these.  defaults[i]
   is NULL for a required parameter, "" for an optional one without a
   default, else the default as .mg writes it. */
void sema_print_signature(FILE *out, const char *name, const ArgSpec *args,
                          const char *const *defaults, const char *what);
/* A default as .mg writes it: %g, without the exponent's leading 0. */
void sema_format_number(char *buf, size_t size, double v);
void sema_print_names(FILE *out, const char *title, const char *const *names, int n);
void sema_list_builtins(FILE *out);
void sema_list_layers(FILE *out);
void sema_list_rnn(FILE *out);  /* sema_rnn.c */
void sema_list_initializers(FILE *out);
void sema_list_optimizers(FILE *out);
void sema_list_settings(FILE *out);

/* A param named `name` (the layer's "fc.weight"), and an initialization
   step appended in program order (the order of random draws). */
Param *sema_new_param(Sema *s, const char *name, Shape sh, Loc loc);
void sema_add_init_step(Sema *s, InitStep *step);

/* sema_conv.c: `layer c = conv2d(...)` (0 after reporting), the call c(x),
   the pooling builtins (a BuiltinFn of sema_builtins.c's table, op
   OP_MAX_POOL2D or OP_AVG_POOL2D), and conv2d's line of mgc --list. */
int sema_conv_layer(Sema *s, const Stmt *st, Symbol *sym);
Node *sema_conv_call(Sema *s, const Expr *call, Symbol *layer);
Node *sema_build_pool(Sema *s, const Expr *call, const Expr **args, int op);
void sema_list_conv_layer(FILE *out);
/* The f32 tensor argument of function `fn` (reported and NULL otherwise). */
Node *sema_tensor_arg(Sema *s, const Expr *arg, const char *fn);

/* sema_batch_norm.c: batch_norm1d and batch_norm2d.  The rank a kind takes
   (2, 4), or 0 for another name; the layer statement (0 after reporting;
   sym NULL: only checks); its call bn(x). */
int sema_batch_norm_rank(const char *kind);
int sema_batch_norm_layer(Sema *s, const Stmt *st, Symbol *sym);
Node *sema_batch_norm_call(Sema *s, const Expr *call, const Expr *arg, Symbol *layer);
void sema_list_batch_norm(FILE *out);

void sema_train(Sema *s, const Stmt *st);
void sema_eval(Sema *s, const Stmt *st);
/* Does the node depend on a node with op `op` (e.g. OP_PARAM)?  seen[] is
   zeroed scratch space, one entry per node of the graph. */
int sema_depends_on(const Graph *g, const Node *n, Op op, int *seen);

#endif
