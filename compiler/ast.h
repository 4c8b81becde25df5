/*
** ast.h — the syntax tree the parser builds and sema reads.
**
** The tree mirrors the source closely (one node per construct, each with its
** span) so that sema can point at the exact text at fault.  Settings in
** train/eval blocks and call arguments are generic expressions; sema decides
** what each one must be.
*/
#ifndef MGC_AST_H
#define MGC_AST_H

#include "arena.h"
#include "diag.h"

typedef enum {
  EX_NUMBER,  /* 1, 0.5, 1e-3 */
  EX_STRING,  /* "path" */
  EX_BOOL,    /* true, false */
  EX_IDENT,   /* x */
  EX_LIST,    /* [a, b, ...]: tensor literal or list of names */
  EX_NEG,     /* -a */
  EX_BINARY,  /* a op b */
  EX_CALL,    /* f(args) */
  EX_MEMBER,  /* a.name, including a.T */
  EX_SLICE,   /* a:b inside cols(...) or x[...]; either side may be missing */
  EX_INDEX,   /* a[i, :, ...]: lhs indexed by items (Expr*: EX_SLICE for ':') */
} ExprKind;

typedef enum {
  BIN_ADD, BIN_SUB, BIN_MUL, BIN_DIV, BIN_MATMUL, BIN_POW,
  BIN_EQ, BIN_NE, BIN_LT, BIN_LE, BIN_GT, BIN_GE,
} BinaryOp;

typedef struct Expr Expr;

/* A call argument: positional when name is NULL. */
typedef struct Arg {
  const char *name;
  Loc name_loc;
  Expr *value;
} Arg;

struct Expr {
  ExprKind kind;
  Loc loc;
  double number;         /* EX_NUMBER */
  int is_integer;        /* EX_NUMBER written without '.' or exponent */
  const char *text;      /* EX_NUMBER spelling, EX_STRING value, EX_IDENT/EX_CALL/EX_MEMBER name */
  int boolean;           /* EX_BOOL */
  BinaryOp op;           /* EX_BINARY */
  Expr *lhs, *rhs;       /* EX_BINARY, EX_NEG (lhs), EX_MEMBER (lhs), EX_INDEX (lhs),
                            EX_SLICE (either may be NULL) */
  Loc name_loc;          /* EX_CALL, EX_MEMBER: where the name is */
  PtrVec items;          /* EX_LIST, EX_INDEX: Expr*; EX_CALL: Arg* */
};

typedef enum { DT_F32, DT_I64 } DType;

/* One dimension of a declared type: an integer or a size name like N. */
typedef struct TypeDim {
  const char *name;  /* NULL for an integer */
  long value;
  Loc loc;
} TypeDim;

typedef struct TypeSpec {
  DType dtype;
  int rank;
  TypeDim *dims;
  Loc loc;
} TypeSpec;

typedef enum {
  ST_SEED, ST_INPUT, ST_PARAM, ST_LAYER, ST_INIT, ST_LET, ST_OUTPUT, ST_TRAIN, ST_EVAL,
} StmtKind;

typedef struct Setting {
  const char *name;
  Loc loc;      /* the setting's name */
  Expr *value;  /* NULL when a syntax error cut it short */
} Setting;

typedef struct Stmt {
  StmtKind kind;
  Loc loc;               /* the whole statement's first token */
  const char *name;      /* input/param/layer/let name */
  Loc name_loc;
  TypeSpec *type;        /* input, param */
  Expr *value;           /* seed, param init, layer call, init value, let value */
  Expr *target;          /* init: the parameter (an EX_MEMBER or EX_IDENT) */
  PtrVec names;          /* output: Expr* identifiers */
  PtrVec settings;       /* train, eval: Setting* */
  int broken;            /* a syntax error cut it short: only kind, name and locations are set */
} Stmt;

typedef struct Program {
  PtrVec stmts;  /* Stmt* in source order */
} Program;

/* Constructors used by the parser's actions. */
Expr *ast_number(Arena *a, Loc loc, const char *text);
Expr *ast_string(Arena *a, Loc loc, const char *value);
Expr *ast_bool(Arena *a, Loc loc, int value);
Expr *ast_ident(Arena *a, Loc loc, const char *name);
Expr *ast_list(Arena *a, Loc loc, PtrVec items);
Expr *ast_neg(Arena *a, Loc loc, Expr *operand);
Expr *ast_binary(Arena *a, Loc loc, BinaryOp op, Expr *lhs, Expr *rhs);
Expr *ast_call(Arena *a, Loc loc, const char *name, Loc name_loc, PtrVec args);
Expr *ast_member(Arena *a, Loc loc, Expr *object, const char *name, Loc name_loc);
Expr *ast_slice(Arena *a, Loc loc, Expr *start, Expr *stop);
Expr *ast_index(Arena *a, Loc loc, Expr *object, PtrVec subscripts);
Arg *ast_arg(Arena *a, const char *name, Loc name_loc, Expr *value);
Stmt *ast_stmt(Arena *a, StmtKind kind, Loc loc);
/* A declaration of `name` that a syntax error cut short. */
Stmt *ast_broken_stmt(Arena *a, StmtKind kind, Loc loc, const char *name, Loc name_loc);
Setting *ast_setting(Arena *a, const char *name, Loc loc, Expr *value);

const char *binary_op_spelling(BinaryOp op);
/* The value of an integer literal, or -1 if it is not one or is too large. */
long ast_parse_integer(const char *text);

#endif
