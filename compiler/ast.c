/*
** ast.c — syntax tree constructors, one per grammar action.
*/
#include "ast.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static Expr *expr_new(Arena *a, ExprKind kind, Loc loc) {
  Expr *e = ARENA_NEW(a, Expr);
  e->kind = kind;
  e->loc = loc;
  return e;
}

Expr *ast_number(Arena *a, Loc loc, const char *text) {
  Expr *e = expr_new(a, EX_NUMBER, loc);
  e->text = arena_strdup(a, text);
  e->number = strtod(text, NULL);
  e->is_integer = strpbrk(text, ".eE") == NULL;
  return e;
}

Expr *ast_string(Arena *a, Loc loc, const char *value) {
  Expr *e = expr_new(a, EX_STRING, loc);
  e->text = value;
  return e;
}

Expr *ast_bool(Arena *a, Loc loc, int value) {
  Expr *e = expr_new(a, EX_BOOL, loc);
  e->boolean = value;
  return e;
}

Expr *ast_ident(Arena *a, Loc loc, const char *name) {
  Expr *e = expr_new(a, EX_IDENT, loc);
  e->text = name;
  e->name_loc = loc;
  return e;
}

Expr *ast_list(Arena *a, Loc loc, PtrVec items) {
  Expr *e = expr_new(a, EX_LIST, loc);
  e->items = items;
  return e;
}

Expr *ast_neg(Arena *a, Loc loc, Expr *operand) {
  Expr *e = expr_new(a, EX_NEG, loc);
  e->lhs = operand;
  return e;
}

Expr *ast_binary(Arena *a, Loc loc, BinaryOp op, Expr *lhs, Expr *rhs) {
  Expr *e = expr_new(a, EX_BINARY, loc);
  e->op = op;
  e->lhs = lhs;
  e->rhs = rhs;
  return e;
}

Expr *ast_call(Arena *a, Loc loc, const char *name, Loc name_loc, PtrVec args) {
  Expr *e = expr_new(a, EX_CALL, loc);
  e->text = name;
  e->name_loc = name_loc;
  e->items = args;
  return e;
}

Expr *ast_member(Arena *a, Loc loc, Expr *object, const char *name, Loc name_loc) {
  Expr *e = expr_new(a, EX_MEMBER, loc);
  e->lhs = object;
  e->text = name;
  e->name_loc = name_loc;
  return e;
}

Expr *ast_slice(Arena *a, Loc loc, Expr *start, Expr *stop) {
  Expr *e = expr_new(a, EX_SLICE, loc);
  e->lhs = start;
  e->rhs = stop;
  return e;
}

Expr *ast_index(Arena *a, Loc loc, Expr *object, PtrVec subscripts) {
  Expr *e = expr_new(a, EX_INDEX, loc);
  e->lhs = object;
  e->items = subscripts;
  return e;
}

Arg *ast_arg(Arena *a, const char *name, Loc name_loc, Expr *value) {
  Arg *arg = ARENA_NEW(a, Arg);
  arg->name = name;
  arg->name_loc = name_loc;
  arg->value = value;
  return arg;
}

Stmt *ast_stmt(Arena *a, StmtKind kind, Loc loc) {
  Stmt *s = ARENA_NEW(a, Stmt);
  s->kind = kind;
  s->loc = loc;
  return s;
}

Stmt *ast_broken_stmt(Arena *a, StmtKind kind, Loc loc, const char *name, Loc name_loc) {
  Stmt *s = ast_stmt(a, kind, loc);
  s->name = name;
  s->name_loc = name_loc;
  s->broken = 1;
  return s;
}

Setting *ast_setting(Arena *a, const char *name, Loc loc, Expr *value) {
  Setting *s = ARENA_NEW(a, Setting);
  s->name = name;
  s->loc = loc;
  s->value = value;
  return s;
}

const char *binary_op_spelling(BinaryOp op) {
  static const char *spelling[] = {"+", "-", "*", "/", "@", "**", "==", "!=", "<", "<=", ">", ">="};
  return spelling[op];
}

long ast_parse_integer(const char *text) {
  if (strpbrk(text, ".eE"))
    return -1;
  errno = 0;
  long v = strtol(text, NULL, 10);
  return errno || v > (1L << 40) ? -1 : v;
}
