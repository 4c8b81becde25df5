/*
** mg.y — the .mg grammar.  A pure, reentrant bison parser with locations:
** each action is one AST constructor call.  Newlines end statements and
** settings; the scanner drops them inside ( ) and [ ].
*/
%require "3.7"
%define api.pure full
%define api.token.prefix {TOK_}
%define api.location.type {Loc}
%define parse.error detailed
%locations
%param {yyscan_t scanner}
%parse-param {ParseContext *ctx}
%expect 0

%code requires {
#include "ast.h"
typedef void *yyscan_t;
typedef struct ParseContext {
  Arena *arena;
  Program *program;
} ParseContext;
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
  do {                                                                \
    if (N) {                                                          \
      (Cur).line = YYRHSLOC(Rhs, 1).line;                             \
      (Cur).col = YYRHSLOC(Rhs, 1).col;                               \
      (Cur).end_line = YYRHSLOC(Rhs, N).end_line;                     \
      (Cur).end_col = YYRHSLOC(Rhs, N).end_col;                       \
    } else {                                                          \
      (Cur).line = (Cur).end_line = YYRHSLOC(Rhs, 0).end_line;        \
      (Cur).col = (Cur).end_col = YYRHSLOC(Rhs, 0).end_col;           \
    }                                                                 \
  } while (0)
}

%code provides {
int mg_parse_source(const Source *src, Arena *arena, Program *program);
}

%code {
#include "lexer.h"
static void yyerror(Loc *loc, yyscan_t scanner, ParseContext *ctx, const char *msg);
#define A (ctx->arena)
static PtrVec one(Arena *a, void *item) { PtrVec v = {0}; ptrvec_push(a, &v, item); return v; }
}

%union {
  const char *text;
  Expr *expr;
  Arg *arg;
  Stmt *stmt;
  Setting *setting;
  TypeSpec *type;
  TypeDim dim;
  PtrVec list;
  BinaryOp op;
}

%token <text> IDENT "identifier" NUMBER "number" STRING "string"
%token SEED "seed" INPUT "input" PARAM "param" LAYER "layer" INIT "init" LET "let"
       OUTPUT "output" TRAIN "train" EVAL "eval" TRUE "true" FALSE "false" F32 "f32" I64 "i64"
       NEWLINE "end of line" POW "**" EQ "==" NE "!=" LE "<=" GE ">="
       LT "<" GT ">"

%type <expr> expr additive multiplicative unary power postfix primary slice_end
%type <arg> arg
%type <list> args arg_list items item_list names dims dim_list settings block
%type <stmt> stmt
%type <setting> setting
%type <type> type
%type <dim> dim
%type <op> compare

%%

/* program = { [stmt] NEWLINE } */
program:
  %empty
| program NEWLINE
| program stmt NEWLINE   { ptrvec_push(A, &ctx->program->stmts, $2); }
| program error NEWLINE  { yyerrok; }
;

stmt:
  SEED expr                       { $$ = ast_stmt(A, ST_SEED, @1); $$->value = $2; }
| INPUT IDENT ':' type            { $$ = ast_stmt(A, ST_INPUT, @1); $$->name = $2; $$->name_loc = @2; $$->type = $4; }
| PARAM IDENT ':' type            { $$ = ast_stmt(A, ST_PARAM, @1); $$->name = $2; $$->name_loc = @2; $$->type = $4; }
| PARAM IDENT ':' type '=' expr   { $$ = ast_stmt(A, ST_PARAM, @1); $$->name = $2; $$->name_loc = @2; $$->type = $4; $$->value = $6; }
| LAYER IDENT '=' expr            { $$ = ast_stmt(A, ST_LAYER, @1); $$->name = $2; $$->name_loc = @2; $$->value = $4; }
| INIT postfix '=' expr           { $$ = ast_stmt(A, ST_INIT, @1); $$->target = $2; $$->value = $4; }
| LET IDENT '=' expr              { $$ = ast_stmt(A, ST_LET, @1); $$->name = $2; $$->name_loc = @2; $$->value = $4; }
| OUTPUT names                    { $$ = ast_stmt(A, ST_OUTPUT, @1); $$->names = $2; }
| TRAIN block                     { $$ = ast_stmt(A, ST_TRAIN, @1); $$->settings = $2; }
| EVAL block                      { $$ = ast_stmt(A, ST_EVAL, @1); $$->settings = $2; }
;

names:
  IDENT                { $$ = one(A, ast_ident(A, @1, $1)); }
| names ',' IDENT      { $$ = $1; ptrvec_push(A, &$$, ast_ident(A, @3, $3)); }
;

/* type = ("f32" | "i64") "[" [dim {"," dim}] "]" */
type:
  F32 '[' dims ']'  { $$ = ARENA_NEW(A, TypeSpec); $$->dtype = DT_F32; $$->loc = @$;
                      $$->rank = $3.len; $$->dims = ARENA_ARRAY(A, TypeDim, $3.len + 1);
                      for (int i = 0; i < $3.len; i++) $$->dims[i] = *(TypeDim *)$3.items[i]; }
| I64 '[' dims ']'  { $$ = ARENA_NEW(A, TypeSpec); $$->dtype = DT_I64; $$->loc = @$;
                      $$->rank = $3.len; $$->dims = ARENA_ARRAY(A, TypeDim, $3.len + 1);
                      for (int i = 0; i < $3.len; i++) $$->dims[i] = *(TypeDim *)$3.items[i]; }
;
dims: %empty { $$ = (PtrVec){0}; } | dim_list ;
dim_list:
  dim                { TypeDim *d = ARENA_NEW(A, TypeDim); *d = $1; $$ = one(A, d); }
| dim_list ',' dim   { TypeDim *d = ARENA_NEW(A, TypeDim); *d = $3; $$ = $1; ptrvec_push(A, &$$, d); }
;
dim:
  NUMBER  { $$ = (TypeDim){.name = NULL, .value = ast_parse_integer($1), .loc = @1}; }
| IDENT   { $$ = (TypeDim){.name = $1, .value = 0, .loc = @1}; }
;

/* block = "{" { [setting] NEWLINE } [setting] "}" */
block:
  '{' settings '}'          { $$ = $2; }
| '{' settings setting '}'  { $$ = $2; ptrvec_push(A, &$$, $3); }
;
settings:
  %empty                       { $$ = (PtrVec){0}; }
| settings NEWLINE
| settings setting NEWLINE     { $$ = $1; ptrvec_push(A, &$$, $2); }
| settings error NEWLINE       { $$ = $1; yyerrok; }
;
setting:
  IDENT '=' expr   { $$ = ast_setting(A, $1, @1, $3); }
;

/* expr = additive [compare additive] */
expr:
  additive
| additive compare additive  { $$ = ast_binary(A, @$, $2, $1, $3); }
;
compare:
  EQ { $$ = BIN_EQ; } | NE { $$ = BIN_NE; } | LT { $$ = BIN_LT; }
| LE { $$ = BIN_LE; } | GT { $$ = BIN_GT; } | GE { $$ = BIN_GE; }
;

/* additive = multiplicative {("+" | "-") multiplicative} */
additive:
  multiplicative
| additive '+' multiplicative  { $$ = ast_binary(A, @$, BIN_ADD, $1, $3); }
| additive '-' multiplicative  { $$ = ast_binary(A, @$, BIN_SUB, $1, $3); }
;

/* multiplicative = unary {("*" | "/" | "@") unary} */
multiplicative:
  unary
| multiplicative '*' unary  { $$ = ast_binary(A, @$, BIN_MUL, $1, $3); }
| multiplicative '/' unary  { $$ = ast_binary(A, @$, BIN_DIV, $1, $3); }
| multiplicative '@' unary  { $$ = ast_binary(A, @$, BIN_MATMUL, $1, $3); }
;

/* unary = "-" unary | power */
unary:
  '-' unary  { $$ = ast_neg(A, @$, $2); }
| power
;

/* power = postfix ["**" unary]   (right-associative; -x ** 2 is -(x ** 2)) */
power:
  postfix
| postfix POW unary  { $$ = ast_binary(A, @$, BIN_POW, $1, $3); }
;

/* postfix = primary {"." IDENT} | IDENT "(" args ")" {"." IDENT} */
postfix:
  primary
| IDENT '(' args ')'   { $$ = ast_call(A, @$, $1, @1, $3); }
| postfix '.' IDENT    { $$ = ast_member(A, @$, $1, $3, @3); }
;

primary:
  NUMBER          { $$ = ast_number(A, @1, $1); }
| STRING          { $$ = ast_string(A, @1, $1); }
| TRUE            { $$ = ast_bool(A, @1, 1); }
| FALSE           { $$ = ast_bool(A, @1, 0); }
| IDENT           { $$ = ast_ident(A, @1, $1); }
| '(' expr ')'    { $$ = $2; }
| '[' items ']'   { $$ = ast_list(A, @$, $2); }
;

items: %empty { $$ = (PtrVec){0}; } | item_list | item_list ',' ;
item_list:
  expr                { $$ = one(A, $1); }
| item_list ',' expr  { $$ = $1; ptrvec_push(A, &$$, $3); }
;

args: %empty { $$ = (PtrVec){0}; } | arg_list | arg_list ',' ;
arg_list:
  arg               { $$ = one(A, $1); }
| arg_list ',' arg  { $$ = $1; ptrvec_push(A, &$$, $3); }
;
/* arg = expr | IDENT "=" expr | [expr] ":" [expr] */
arg:
  expr                  { $$ = ast_arg(A, NULL, @1, $1); }
| IDENT '=' expr        { $$ = ast_arg(A, $1, @1, $3); }
| slice_end ':' slice_end { $$ = ast_arg(A, NULL, @$, ast_slice(A, @$, $1, $3)); }
;
slice_end: %empty { $$ = NULL; } | additive ;

%%

static void yyerror(Loc *loc, yyscan_t scanner, ParseContext *ctx, const char *msg) {
  (void)scanner;
  (void)ctx;
  diag_error(*loc, "%s", msg);
}

int mg_parse_source(const Source *src, Arena *arena, Program *program) {
  ParseContext ctx = {arena, program};
  yyscan_t scanner;
  if (mg_lexer_open(&scanner, src, arena) != 0)
    return 1;
  int rc = yyparse(scanner, &ctx);
  mg_lexer_close(scanner);
  return rc != 0 || diag_error_count() > 0;
}
