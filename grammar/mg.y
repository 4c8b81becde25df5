/*
** mg.y — the .mg grammar.  A pure, reentrant bison parser with locations:
** each action is one AST constructor call.  Newlines end statements and
** settings; the scanner drops them inside ( ) and [ ].
**
** Syntax errors are worded here (yyreport_syntax_error, at the bottom) as
** "expected X, found Y", with the bracket a missing ')' would close; after
** one, the parser skips to the end of the line and goes on, keeping the name
** a broken declaration declares.
*/
%require "3.7"
%define api.pure full
%define api.token.prefix {TOK_}
%define api.location.type {Loc}
%define parse.error custom
%define parse.lac full
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
  int syntax_errors;
} ParseContext;
/* An open bracket and where it is, kept by the scanner for error messages. */
typedef struct MgBracket {
  char c;
  Loc loc;
} MgBracket;
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
/* Parses a file into `program`.  After syntax errors the parser skips to
   the end of each broken line and goes on, so the program holds every
   statement that parsed (and the names of declarations that did not):
   MG_PARSE_RECOVERED means sema can still check it, MG_PARSE_FAILED that the
   file could not be read to its end (not text, or nested too deeply). */
enum { MG_PARSE_OK, MG_PARSE_RECOVERED, MG_PARSE_FAILED };
int mg_parse_source(const Source *src, Arena *arena, Program *program);

/* What the scanner (mg.l) tells the error reporter. */
const MgBracket *mg_lexer_innermost(yyscan_t scanner);    /* innermost open bracket, or NULL */
const MgBracket *mg_lexer_just_closed(yyscan_t scanner);  /* what the last token closed, or NULL */
Loc mg_lexer_previous_token(yyscan_t scanner);            /* the token before the lookahead */
int mg_lexer_stopped(yyscan_t scanner);                   /* gave up on the file */
/* Forgets the open ( and [, so that newlines end statements again. */
void mg_lexer_drop_brackets(yyscan_t scanner);
/* The parser is about to drop its lookahead, a token that starts the next
   statement or ends a block: hand out an end of line and then that token
   again, so that recovery ends the broken statement before it.  Returns 0
   (and does nothing) when that token was handed out again already. */
int mg_lexer_replay(yyscan_t scanner);
/* The lookahead is a token handed out again: its error was reported. */
int mg_lexer_replayed(yyscan_t scanner);
}

%code {
#include <string.h>
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
%type <expr> subscript
%type <list> args arg_list items item_list names dims dim_list settings block subscripts
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
/* A declaration cut short by a syntax error still declares its name, marked
   broken, so that sema checks the rest of the file without reporting each
   use of the name as unknown. */
| program INPUT IDENT error NEWLINE  { ptrvec_push(A, &ctx->program->stmts, ast_broken_stmt(A, ST_INPUT, @2, $3, @3)); yyerrok; }
| program PARAM IDENT error NEWLINE  { ptrvec_push(A, &ctx->program->stmts, ast_broken_stmt(A, ST_PARAM, @2, $3, @3)); yyerrok; }
| program LAYER IDENT error NEWLINE  { ptrvec_push(A, &ctx->program->stmts, ast_broken_stmt(A, ST_LAYER, @2, $3, @3)); yyerrok; }
| program LET IDENT error NEWLINE    { ptrvec_push(A, &ctx->program->stmts, ast_broken_stmt(A, ST_LET, @2, $3, @3)); yyerrok; }
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
/* A setting whose value has a syntax error is still given (with no value),
   so that sema does not also call it missing. */
| settings IDENT error NEWLINE { $$ = $1; ptrvec_push(A, &$$, ast_setting(A, $2, @2, NULL)); yyerrok; }
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

/* postfix = (primary | IDENT "(" args ")") {"." IDENT | "[" subscripts "]"} */
postfix:
  primary
| IDENT '(' args ')'   { $$ = ast_call(A, @$, $1, @1, $3); }
| postfix '.' IDENT    { $$ = ast_member(A, @$, $1, $3, @3); }
| postfix '[' subscripts ']'  { $$ = ast_index(A, @$, $1, $3); }
;

/* subscripts = subscript {"," subscript} [","];  subscript = expr | [expr] ":" [expr]
   (sema takes ':' and integers; a slice with bounds is refused there, with
   a message, rather than as a syntax error) */
subscripts:
  subscript                 { $$ = one(A, $1); }
| subscripts ',' subscript  { $$ = $1; ptrvec_push(A, &$$, $3); }
;
subscript:
  expr                      { $$ = $1; }
| slice_end ':' slice_end   { $$ = ast_slice(A, @$, $1, $3); }
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

/* ---- syntax errors ----------------------------------------------------- */

/* Bison calls yyerror only when its stack is full: a very deep expression. */
static void yyerror(Loc *loc, yyscan_t scanner, ParseContext *ctx, const char *msg) {
  (void)scanner;
  ctx->syntax_errors++;
  if (strcmp(msg, "memory exhausted") == 0)
    diag_error(*loc, "expression nested too deeply for the parser; split it with let");
  else
    diag_error(*loc, "%s", msg);
}

static int is_statement_keyword(yysymbol_kind_t k) {
  return k >= YYSYMBOL_SEED && k <= YYSYMBOL_EVAL;
}

static int is_keyword(yysymbol_kind_t k) {
  return k >= YYSYMBOL_SEED && k <= YYSYMBOL_I64;
}

/* The symbol kind of a one-character token such as ')'. */
#define CHAR_KIND(c) ((yysymbol_kind_t)YYTRANSLATE(c))

static int closer_of(int c) { return c == '(' ? ')' : c == '[' ? ']' : '}'; }

/* A token kind as a message names it: classes described, the rest quoted. */
static const char *kind_name(yysymbol_kind_t k, char *buf, size_t size) {
  switch (k) {
  case YYSYMBOL_IDENT: return "a name";
  case YYSYMBOL_NUMBER: return "a number";
  case YYSYMBOL_STRING: return "a string";
  case YYSYMBOL_NEWLINE: return "end of line";
  case YYSYMBOL_YYEOF: return "end of file";
  default: break;
  }
  const char *name = yysymbol_name(k);
  if (name[0] == '\'')
    return name;  /* bison quotes character tokens itself: ')' */
  snprintf(buf, size, "'%s'", name);
  return buf;
}

/* The lookahead as a message names it: its own text when it has one. */
static const char *found_name(yysymbol_kind_t k, Loc loc, char *buf, size_t size) {
  char text[48];
  int fits = loc.end_line == loc.line && loc.end_col - loc.col < (int)sizeof text;
  if ((k == YYSYMBOL_IDENT || k == YYSYMBOL_NUMBER) && fits && diag_span_text(loc, text, sizeof text)) {
    snprintf(buf, size, "'%s'", text);
    return buf;
  }
  return kind_name(k, buf, size);
}

typedef struct Expected {
  yysymbol_kind_t kinds[YYNTOKENS];
  int n;
} Expected;

static int expects(const Expected *e, yysymbol_kind_t k) {
  for (int i = 0; i < e->n; i++)
    if (e->kinds[i] == k)
      return 1;
  return 0;
}

/* Removes the kinds in [lo, hi] and those listed; returns how many went. */
static int drop(Expected *e, yysymbol_kind_t lo, yysymbol_kind_t hi, const char *chars) {
  int kept = 0, n = e->n;
  for (int i = 0; i < n; i++) {
    yysymbol_kind_t k = e->kinds[i];
    const char *name = yysymbol_name(k);
    int listed = name[0] == '\'' && strchr(chars, name[1]);
    if (!(k >= lo && k <= hi) && !listed)
      e->kinds[kept++] = k;
  }
  e->n = kept;
  return n - kept;
}

/* Appends "a, b or c" to buf. */
static void join(char *buf, size_t size, const char *const *items, int n) {
  for (int i = 0; i < n; i++) {
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ", items[i]);
  }
}

/*
** A ')' or ']' (or '}') is missing when the lookahead is the wrong closer, or
** a token that cannot be inside brackets at all: the end of the file, a
** statement keyword, a '}'.  The error goes where the closer belongs, with a
** note at the bracket it would close.
*/
static int report_missing_closer(yyscan_t scanner, const Expected *e, yysymbol_kind_t found,
                                  Loc at, const char *what) {
  char cbuf[8];
  const MgBracket *b = mg_lexer_just_closed(scanner);
  if (b && CHAR_KIND(closer_of(b->c)) != found && expects(e, CHAR_KIND(closer_of(b->c)))) {
    snprintf(cbuf, sizeof cbuf, "'%c'", closer_of(b->c));
    diag_error(at, "expected %s, found %s", cbuf, what);
    diag_note(b->loc, "to match this '%c'", b->c);
    return 1;
  }
  b = mg_lexer_innermost(scanner);
  int outside = found == YYSYMBOL_YYEOF || is_statement_keyword(found) || found == CHAR_KIND('}');
  if (!b || !outside || !expects(e, CHAR_KIND(closer_of(b->c))))
    return 0;
  MgBracket open = *b;
  Loc prev = mg_lexer_previous_token(scanner);
  snprintf(cbuf, sizeof cbuf, "'%c'", closer_of(open.c));
  if (found == YYSYMBOL_YYEOF)
    diag_error(loc_after(prev), "expected %s before the end of the file", cbuf);
  else if (at.line > prev.end_line)
    diag_error(loc_after(prev), "expected %s before %s on line %d", cbuf,
               what, at.line);
  else
    diag_error(at, "expected %s, found %s", cbuf, what);
  diag_note(open.loc, "to match this '%c'", open.c);
  return 1;
}

/*
** Bison's "syntax error, unexpected X, expecting Y or Z", reworded: the
** expected tokens are grouped into what a reader thinks of (a statement, an
** expression, an operator) and the lookahead is shown as written.
*/
static int yyreport_syntax_error(const yypcontext_t *yyctx, yyscan_t scanner, ParseContext *ctx) {
  yysymbol_kind_t found = yypcontext_token(yyctx);
  Loc at = *yypcontext_location(yyctx);
  int earlier = ctx->syntax_errors++;
  /* The scanner has explained this token already, or has given up. */
  if (found == YYSYMBOL_YYUNDEF || mg_lexer_stopped(scanner))
    return 0;
  /* The end of the file after an error: the file ended inside what that
     error left unfinished, which says nothing new. */
  if (found == YYSYMBOL_YYEOF && earlier)
    return 0;
  /* A token handed out again after an error that was reported at it. */
  if (mg_lexer_replayed(scanner))
    return 0;
  /* A statement keyword opening a line, or a '}', ends what came before it:
     the broken statement ends there, and this token is parsed again. */
  int opens_line = at.line > mg_lexer_previous_token(scanner).end_line;
  if ((is_statement_keyword(found) && opens_line) || found == CHAR_KIND('}'))
    mg_lexer_replay(scanner);
  Expected e;
  e.n = yypcontext_expected_tokens(yyctx, e.kinds, YYNTOKENS);
  if (e.n < 0)
    e.n = 0;
  char fbuf[64];
  const char *what = found_name(found, at, fbuf, sizeof fbuf);
  /* A keyword where a name could be: `let output = ...`.  Not a statement
     keyword opening a line, though: that one starts the next statement. */
  if (is_keyword(found) && expects(&e, YYSYMBOL_IDENT) &&
      !(is_statement_keyword(found) && opens_line)) {
    diag_error(at, "%s is a keyword and cannot be used as a name", what);
    return 0;
  }
  int missing_closer = report_missing_closer(scanner, &e, found, at, what);
  /* Statement keywords cannot be inside brackets: the brackets before them
     were never closed, so let the newlines end statements again. */
  if (is_statement_keyword(found) || found == CHAR_KIND('}'))
    mg_lexer_drop_brackets(scanner);
  if (missing_closer)
    return 0;
  const char *items[YYNTOKENS + 3];
  char names[YYNTOKENS][16];
  int n = 0;
  int statement = expects(&e, YYSYMBOL_SEED) && expects(&e, YYSYMBOL_LET);
  if (statement) {
    drop(&e, YYSYMBOL_SEED, YYSYMBOL_EVAL, "");
    drop(&e, YYSYMBOL_NEWLINE, YYSYMBOL_NEWLINE, "");
    drop(&e, YYSYMBOL_YYEOF, YYSYMBOL_YYEOF, "");
    items[n++] = "a statement (seed, input, param, layer, init, let, output, train or eval)";
  }
  if (expects(&e, YYSYMBOL_NUMBER) && expects(&e, CHAR_KIND('('))) {
    drop(&e, YYSYMBOL_IDENT, YYSYMBOL_STRING, "([-");
    drop(&e, YYSYMBOL_TRUE, YYSYMBOL_FALSE, "");
    items[n++] = "an expression";
  }
  if (expects(&e, CHAR_KIND('+')) && expects(&e, CHAR_KIND('*'))) {
    /* '(' after a name, '[' of an index and ':' in cols(A:B) are rare
       enough to go unsaid. */
    drop(&e, YYSYMBOL_POW, YYSYMBOL_GT, "+-*/@.([:");
    items[n++] = "an operator";
  }
  for (int i = 0; i < e.n; i++)
    items[n++] = kind_name(e.kinds[i], names[i], sizeof names[i]);
  char list[512] = "";
  if (n == 0 || n > 6) {
    diag_error(at, "unexpected %s", what);
    return 0;
  }
  join(list, sizeof list, items, n);
  const char *hint = "";
  if (expects(&e, YYSYMBOL_NEWLINE) && is_statement_keyword(found))
    hint = " (each statement goes on its own line)";
  diag_error(at, "expected %s, found %s%s", list, what, hint);
  return 0;
}

int mg_parse_source(const Source *src, Arena *arena, Program *program) {
  ParseContext ctx = {arena, program, 0};
  yyscan_t scanner;
  if (mg_lexer_open(&scanner, src, arena) != 0)
    return 1;
  int rc = yyparse(scanner, &ctx);
  int stopped = mg_lexer_stopped(scanner);
  mg_lexer_close(scanner);
  /* yyparse gives up (1) when the file ends while it recovers from an
     error, inside a statement or block that never ended: the statements
     before that one are whole, and sema checks them.  Its stack full (2) or
     the scanner stopped mean that the rest of the file was never read. */
  if (rc == 2 || stopped)
    return MG_PARSE_FAILED;
  return diag_error_count() > 0 ? MG_PARSE_RECOVERED : MG_PARSE_OK;
}
