/*
** inspect.c — proves properties of generated C with libclang's C API.
**
**   inspect FILE.c [-I DIR]... [-D NAME[=VALUE]]... QUERY...
**
** The file is parsed as clang would compile it with -std=c11 -Wall -Wextra
** -pedantic.  Any warning or error fails the run (exit 1) before a query is
** answered, so a test never draws conclusions from code that does not
** compile cleanly.  The queries then count loops, call sites and
** allocations in the syntax tree; "transitively" always means through the
** functions defined in FILE itself (the main file, not its headers), since
** only those bodies are visible.  See docs/inspect.md for what each query
** counts exactly.
**
** Exit status: 0 success, 1 a diagnostic, a failed expectation or a query
** on a function FILE does not define, 2 a usage error.
*/
#define _POSIX_C_SOURCE 200809L /* popen/pclose: run-time resource-dir lookup */

#include <clang-c/Index.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_FAIL = 1, EXIT_USAGE = 2, MAX_ARGS = 256, PATH_LEN = 4096 };

/* ------------------------------------------------------------------------ */
/* What a function body contains                                             */
/* ------------------------------------------------------------------------ */

/* One call expression: whom it calls, where, and how many loops enclose it
   inside its own function. */
typedef struct {
  char *callee;     /* spelling of the referenced declaration */
  int is_function;  /* referenced a function (not a function pointer) */
  unsigned line;    /* expansion line in FILE: a macro's call is on its use */
  int depth;        /* loops enclosing the call within its function */
  long target;      /* index of the callee in the table if FILE defines it, else -1 */
} Site;

typedef struct {
  char *name;
  unsigned line;      /* where the definition starts */
  int loops;          /* for/while/do statements in the body, nested ones included */
  int empty;          /* the body does nothing (see body_is_empty) */
  unsigned *dead;     /* lines of loops that cannot run (see loop_cannot_run) */
  size_t ndead;
  Site *sites;
  size_t nsites, cap;
} Func;

typedef struct {
  Func *v;
  size_t n, cap;
} Table;

static void *xrealloc(void *p, size_t size) {
  void *q = realloc(p, size);
  if (!q) {
    fputs("inspect: out of memory\n", stderr);
    exit(EXIT_FAIL);
  }
  return q;
}

/* Copies a libclang string and disposes of it, so that callers never have
   to remember which strings they own. */
static char *take_string(CXString s) {
  const char *c = clang_getCString(s);
  size_t n = c ? strlen(c) : 0;
  char *copy = xrealloc(NULL, n + 1);
  memcpy(copy, c ? c : "", n);
  copy[n] = 0;
  clang_disposeString(s);
  return copy;
}

/* The line in FILE where a cursor's text comes from; for code produced by a
   macro that is the line of the macro's use, which is what a reader of the
   file looks at. */
static unsigned cursor_line(CXCursor c) {
  unsigned line = 0;
  clang_getExpansionLocation(clang_getCursorLocation(c), NULL, &line, NULL, NULL);
  return line;
}

static int is_loop(enum CXCursorKind k) {
  return k == CXCursor_ForStmt || k == CXCursor_WhileStmt || k == CXCursor_DoStmt;
}

static void add_site(Func *f, CXCursor call, int depth) {
  /* The referenced declaration, not the call's text, names the callee: a
     macro such as expf -> __builtin_expf is resolved by the parser. */
  CXCursor ref = clang_getCursorReferenced(call);
  if (clang_Cursor_isNull(ref))
    return; /* a call through a computed function pointer names nothing */
  if (f->nsites == f->cap) {
    f->cap = f->cap ? 2 * f->cap : 16;
    f->sites = xrealloc(f->sites, f->cap * sizeof *f->sites);
  }
  Site *s = &f->sites[f->nsites++];
  s->callee = take_string(clang_getCursorSpelling(ref));
  s->is_function = clang_getCursorKind(ref) == CXCursor_FunctionDecl;
  s->line = cursor_line(call);
  s->depth = depth;
  s->target = -1;
}

typedef struct {
  Func *f;
  int depth;
} Walk;

/* ---- loops that cannot run, bodies that do nothing -------------------- */

/* The tokens of a cursor's text, with their spellings. */
typedef struct {
  CXTranslationUnit tu;
  CXToken *v;
  unsigned n;
} Tokens;

static Tokens tokens_of(CXCursor c) {
  Tokens t = {clang_Cursor_getTranslationUnit(c), NULL, 0};
  clang_tokenize(t.tu, clang_getCursorExtent(c), &t.v, &t.n);
  return t;
}

static int token_is(const Tokens *t, unsigned i, const char *text) {
  if (i >= t->n)
    return 0;
  CXString s = clang_getTokenSpelling(t->tu, t->v[i]);
  int same = strcmp(clang_getCString(s), text) == 0;
  clang_disposeString(s);
  return same;
}

/* An integer constant written as tokens at *i: an integer literal (with
   its suffixes), optionally negated.  Advances *i past it. */
static int token_integer(const Tokens *t, unsigned *i, long *value) {
  int negative = token_is(t, *i, "-");
  unsigned at = *i + (negative ? 1 : 0);
  if (at >= t->n || clang_getTokenKind(t->v[at]) != CXToken_Literal)
    return 0;
  CXString s = clang_getTokenSpelling(t->tu, t->v[at]);
  const char *text = clang_getCString(s);
  char *end;
  long v = strtol(text, &end, 0);
  int ok = end != text && strspn(end, "uUlL") == strlen(end);
  clang_disposeString(s);
  if (!ok)
    return 0;
  *value = negative ? -v : v;
  *i = at + 1;
  return 1;
}

/* Whether a loop can never run its body, as its header shows: a for loop
   `for ([TYPE] V = A; V OP B; ...)` with A and B integer literals and
   A OP B false (`for (int k = 0; k < 0; k++)`), or `while (0)`.  Bounds that
   are not literals are not judged. */
static int loop_cannot_run(CXCursor c) {
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k != CXCursor_ForStmt && k != CXCursor_WhileStmt)
    return 0;
  Tokens t = tokens_of(c);
  int dead = 0;
  unsigned i = 2; /* after "for (" or "while (" */
  long a, b;
  if (k == CXCursor_WhileStmt) {
    dead = token_integer(&t, &i, &a) && a == 0 && token_is(&t, i, ")");
  } else {
    /* the variable: the last identifier before '=' */
    unsigned eq = i;
    while (eq < t.n && !token_is(&t, eq, "=") && !token_is(&t, eq, ";"))
      eq++;
    if (eq > i && eq < t.n && token_is(&t, eq, "=")) {
      CXString var = clang_getTokenSpelling(t.tu, t.v[eq - 1]);
      unsigned j = eq + 1;
      static const char *const ops[] = {"<", "<=", ">", ">=", "!="};
      if (token_integer(&t, &j, &a) && token_is(&t, j, ";") && token_is(&t, j + 1, clang_getCString(var))) {
        for (int o = 0; o < 5; o++) {
          unsigned at = j + 3;
          if (!token_is(&t, j + 2, ops[o]) || !token_integer(&t, &at, &b) || !token_is(&t, at, ";"))
            continue;
          int runs = o == 0 ? a < b : o == 1 ? a <= b : o == 2 ? a > b : o == 3 ? a >= b : a != b;
          dead = !runs;
        }
      }
      clang_disposeString(var);
    }
  }
  clang_disposeTokens(t.tu, t.v, t.n);
  return dead;
}

/* A statement that does nothing: `;` or a parameter cast to void,
   `(void)x;` (what silences -Wunused-parameter). */
static int does_nothing(CXCursor c) {
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_NullStmt)
    return 1;
  if (k != CXCursor_CStyleCastExpr || clang_getCursorType(c).kind != CXType_Void)
    return 0;
  Tokens t = tokens_of(c);
  int plain = t.n == 4 && clang_getTokenKind(t.v[3]) == CXToken_Identifier;
  clang_disposeTokens(t.tu, t.v, t.n);
  return plain;
}

static enum CXChildVisitResult nothing_visit(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  int *all_nothing = data;
  if (!does_nothing(c)) {
    *all_nothing = 0;
    return CXChildVisit_Break;
  }
  return CXChildVisit_Continue;
}

static enum CXChildVisitResult body_visit(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  if (clang_getCursorKind(c) == CXCursor_CompoundStmt) {
    int *empty = data;
    *empty = 1;
    clang_visitChildren(c, nothing_visit, empty);
  }
  return CXChildVisit_Continue;
}

/* Whether a function's body holds no statement but ones that do nothing:
   `{}` or `{ (void)m; (void)values; }`. */
static int body_is_empty(CXCursor function) {
  int empty = 0;
  clang_visitChildren(function, body_visit, &empty);
  return empty;
}

/* Visits a body counting loops and recording calls.  A loop's children
   (header and body alike) are walked one level deeper, so a call in a
   loop's condition counts as inside that loop. */
static enum CXChildVisitResult walk_visit(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  Walk *w = data;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (is_loop(k)) {
    w->f->loops++;
    if (loop_cannot_run(c)) {
      w->f->dead = xrealloc(w->f->dead, (w->f->ndead + 1) * sizeof *w->f->dead);
      w->f->dead[w->f->ndead++] = cursor_line(c);
    }
    Walk inner = {w->f, w->depth + 1};
    clang_visitChildren(c, walk_visit, &inner);
    return CXChildVisit_Continue;
  }
  if (k == CXCursor_CallExpr)
    add_site(w->f, c, w->depth); /* and recurse: its arguments may call too */
  return CXChildVisit_Recurse;
}

static enum CXChildVisitResult collect_visit(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  Table *t = data;
  if (clang_getCursorKind(c) != CXCursor_FunctionDecl || !clang_isCursorDefinition(c) ||
      !clang_Location_isFromMainFile(clang_getCursorLocation(c)))
    return CXChildVisit_Continue;
  if (t->n == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 32;
    t->v = xrealloc(t->v, t->cap * sizeof *t->v);
  }
  Func *f = &t->v[t->n++];
  memset(f, 0, sizeof *f);
  f->name = take_string(clang_getCursorSpelling(c));
  f->line = cursor_line(c);
  f->empty = body_is_empty(c);
  Walk w = {f, 0};
  clang_visitChildren(c, walk_visit, &w);
  return CXChildVisit_Continue;
}

static long find_function(const Table *t, const char *name) {
  for (size_t i = 0; i < t->n; i++)
    if (strcmp(t->v[i].name, name) == 0)
      return (long)i;
  return -1;
}

/* Functions are collected from the top level (C has no nested ones), then
   each call is linked to the definition it reaches, if FILE has one. */
static void collect_functions(CXTranslationUnit tu, Table *t) {
  clang_visitChildren(clang_getTranslationUnitCursor(tu), collect_visit, t);
  for (size_t i = 0; i < t->n; i++)
    for (size_t j = 0; j < t->v[i].nsites; j++) {
      Site *s = &t->v[i].sites[j];
      if (s->is_function)
        s->target = find_function(t, s->callee);
    }
}

static void free_table(Table *t) {
  for (size_t i = 0; i < t->n; i++) {
    for (size_t j = 0; j < t->v[i].nsites; j++)
      free(t->v[i].sites[j].callee);
    free(t->v[i].sites);
    free(t->v[i].dead);
    free(t->v[i].name);
  }
  free(t->v);
}

/* ------------------------------------------------------------------------ */
/* Reachability                                                              */
/* ------------------------------------------------------------------------ */

/* Records in entry[f] the deepest loop nesting at which f can run when
   called from the root (-1: unreachable).  A function is re-explored only
   when a deeper entry is found, and calls back into the current path
   (recursion) are not followed, so this terminates. */
static void deepen(const Table *t, size_t f, int depth, int *entry, char *on_path) {
  if (on_path[f] || entry[f] >= depth)
    return;
  entry[f] = depth;
  on_path[f] = 1;
  for (size_t j = 0; j < t->v[f].nsites; j++) {
    const Site *s = &t->v[f].sites[j];
    if (s->target >= 0)
      deepen(t, (size_t)s->target, depth + s->depth, entry, on_path);
  }
  on_path[f] = 0;
}

/* entry[] for every function, seen from root; the caller frees it. */
static int *reach_from(const Table *t, size_t root) {
  int *entry = xrealloc(NULL, (t->n + 1) * sizeof *entry);
  char *on_path = xrealloc(NULL, t->n + 1);
  for (size_t i = 0; i < t->n; i++)
    entry[i] = -1;
  memset(on_path, 0, t->n + 1);
  deepen(t, root, 0, entry, on_path);
  free(on_path);
  return entry;
}

/* A macro may turn expf(x) into __builtin_expf(x); both are calls to expf. */
static int callee_is(const char *spelling, const char *name) {
  static const char builtin[] = "__builtin_";
  if (strcmp(spelling, name) == 0)
    return 1;
  return strncmp(spelling, builtin, sizeof builtin - 1) == 0 &&
         strcmp(spelling + sizeof builtin - 1, name) == 0;
}

/* The call sites the queries report: one per syntactic call, with the
   deepest loop nesting it can execute at, counted from the queried function. */
typedef struct {
  const char *callee; /* the name asked for, or the allocator's name */
  const char *func;   /* the function whose body holds the call */
  unsigned line;
  int depth;
} Hit;

typedef struct {
  Hit *v;
  size_t n;
} Hits;

static int hit_order(const void *a, const void *b) {
  const Hit *x = a, *y = b;
  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  if (x->depth != y->depth)
    return x->depth < y->depth ? -1 : 1;
  return strcmp(x->callee, y->callee);
}

/* Every site reachable from root whose callee one of names[] matches,
   sorted by line so that the output is stable. */
static Hits find_hits(const Table *t, size_t root, const char *const *names, size_t nnames) {
  Hits h = {NULL, 0};
  size_t cap = 0;
  int *entry = reach_from(t, root);
  for (size_t i = 0; i < t->n; i++) {
    if (entry[i] < 0)
      continue;
    for (size_t j = 0; j < t->v[i].nsites; j++)
      for (size_t k = 0; k < nnames; k++) {
        const Site *s = &t->v[i].sites[j];
        if (!callee_is(s->callee, names[k]))
          continue;
        if (h.n == cap) {
          cap = cap ? 2 * cap : 16;
          h.v = xrealloc(h.v, cap * sizeof *h.v);
        }
        h.v[h.n++] = (Hit){names[k], t->v[i].name, s->line, entry[i] + s->depth};
        break;
      }
  }
  free(entry);
  if (h.n > 1)
    qsort(h.v, h.n, sizeof *h.v, hit_order);
  return h;
}

static int loops_total(const Table *t, size_t root) {
  int *entry = reach_from(t, root);
  int total = 0;
  for (size_t i = 0; i < t->n; i++)
    if (entry[i] >= 0)
      total += t->v[i].loops;
  free(entry);
  return total;
}

static const char *const ALLOCATORS[] = {
    "malloc", "calloc",  "realloc",    "free",        "aligned_alloc",
    "posix_memalign", "strdup", "strndup", "reallocarray",
};
enum { N_ALLOCATORS = sizeof ALLOCATORS / sizeof ALLOCATORS[0] };

/* ------------------------------------------------------------------------ */
/* Command line                                                              */
/* ------------------------------------------------------------------------ */

typedef enum {
  Q_DIAGNOSTICS,
  Q_LOOPS,
  Q_LOOPS_TOTAL,
  Q_CALLS,
  Q_CALLS_IN_LOOPS,
  Q_ALLOCATES,
  Q_FUNCTIONS,
  Q_EXPECT_LOOPS,
  Q_EXPECT_LOOPS_TOTAL,
  Q_EXPECT_CALLS,
  Q_EXPECT_NO_ALLOC,
  Q_EXPECT_NO_DEAD_LOOPS,
  Q_EXPECT_NO_EMPTY_FUNCTIONS
} QueryKind;

static const struct {
  const char *flag;
  QueryKind kind;
  int nargs;
  int reports; /* prints an answer (as opposed to asserting one) */
} SPECS[] = {
    {"--diagnostics", Q_DIAGNOSTICS, 0, 0},
    {"--loops", Q_LOOPS, 1, 1},
    {"--loops-total", Q_LOOPS_TOTAL, 1, 1},
    {"--calls", Q_CALLS, 2, 1},
    {"--calls-in-loops", Q_CALLS_IN_LOOPS, 2, 1},
    {"--allocates", Q_ALLOCATES, 1, 1},
    {"--functions", Q_FUNCTIONS, 0, 1},
    {"--expect-loops", Q_EXPECT_LOOPS, 3, 0},
    {"--expect-loops-total", Q_EXPECT_LOOPS_TOTAL, 3, 0},
    {"--expect-calls", Q_EXPECT_CALLS, 4, 0},
    {"--expect-no-alloc", Q_EXPECT_NO_ALLOC, 1, 0},
    {"--expect-no-dead-loops", Q_EXPECT_NO_DEAD_LOOPS, 0, 0},
    {"--expect-no-empty-functions", Q_EXPECT_NO_EMPTY_FUNCTIONS, 0, 0},
};
enum { N_SPECS = sizeof SPECS / sizeof SPECS[0] };

typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } Op;
static const char *const OP_NAMES[] = {"==", "!=", "<", "<=", ">", ">="};

typedef struct {
  int spec;           /* index into SPECS */
  char *const *args;  /* its operands, inside argv */
  Op op;              /* expectations only */
  long n;
} Query;

typedef struct {
  const char *file;
  const char *clang_args[MAX_ARGS];
  int nclang;
  Query queries[MAX_ARGS];
  int nqueries;
  int nreports;
  int diagnostics; /* --diagnostics: print them on stdout */
} Cli;

static void usage(FILE *out) {
  fputs("usage: inspect FILE.c [-I DIR]... [-D NAME[=VALUE]]... QUERY...\n"
        "queries:\n"
        "  --diagnostics                  print every diagnostic (each query fails on one)\n"
        "  --loops FUNC                   loops in FUNC's body, nested ones included\n"
        "  --loops-total FUNC             loops in FUNC and every function of FILE it calls\n"
        "  --calls FUNC CALLEE            call sites of CALLEE reachable from FUNC\n"
        "  --calls-in-loops FUNC CALLEE   each such site: CALLEE at depth D (line L)\n"
        "  --allocates FUNC               yes/no, then each allocation site reachable from FUNC\n"
        "  --functions                    the functions FILE defines, with their loop counts\n"
        "  --expect-loops FUNC OP N       assert (OP: == != < <= > >=); exit 1 when false\n"
        "  --expect-loops-total FUNC OP N\n"
        "  --expect-calls FUNC CALLEE OP N\n"
        "  --expect-no-alloc FUNC\n"
        "  --expect-no-dead-loops         no loop in FILE that cannot run (for (k = 0; k < 0; ...))\n"
        "  --expect-no-empty-functions    no function in FILE whose body does nothing\n"
        "exit: 0 ok, 1 diagnostic / failed expectation / unknown function, 2 usage\n",
        out);
}

static int usage_error(const char *what, const char *arg) {
  fprintf(stderr, "inspect: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
  fputs("usage: inspect FILE.c [-I DIR]... [-D NAME[=VALUE]]... QUERY...  (inspect --help)\n",
        stderr);
  return EXIT_USAGE;
}

static int parse_op(const char *s, Op *op) {
  for (int i = 0; i < (int)(sizeof OP_NAMES / sizeof OP_NAMES[0]); i++)
    if (strcmp(s, OP_NAMES[i]) == 0) {
      *op = (Op)i;
      return 1;
    }
  return 0;
}

static int parse_count(const char *s, long *n) {
  char *end;
  *n = strtol(s, &end, 10);
  return end != s && *end == 0 && *n >= 0;
}

/* The last two operands of an --expect-* with a comparison are OP and N. */
static int parse_expectation(Query *q, int nargs) {
  if (!parse_op(q->args[nargs - 2], &q->op))
    return usage_error("not a comparison (== != < <= > >=)", q->args[nargs - 2]);
  if (!parse_count(q->args[nargs - 1], &q->n))
    return usage_error("not a count", q->args[nargs - 1]);
  return 0;
}

static int add_query(Cli *cli, int spec, char **args) {
  Query *q = &cli->queries[cli->nqueries++];
  q->spec = spec;
  q->args = args;
  if (SPECS[spec].kind == Q_DIAGNOSTICS)
    cli->diagnostics = 1;
  if (SPECS[spec].reports)
    cli->nreports++;
  if (SPECS[spec].kind == Q_EXPECT_LOOPS || SPECS[spec].kind == Q_EXPECT_LOOPS_TOTAL ||
      SPECS[spec].kind == Q_EXPECT_CALLS)
    return parse_expectation(q, SPECS[spec].nargs);
  return 0;
}

static int find_spec(const char *flag) {
  for (int i = 0; i < N_SPECS; i++)
    if (strcmp(flag, SPECS[i].flag) == 0)
      return i;
  return -1;
}

/* -I DIR, -IDIR, -D NAME, -DNAME: passed on to the parser as they are. */
static int add_preprocessor_arg(Cli *cli, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  if (cli->nclang + 2 > MAX_ARGS)
    return usage_error("too many arguments", NULL);
  cli->clang_args[cli->nclang++] = a;
  if (a[2] == 0) {
    if (*i + 1 >= argc)
      return usage_error("missing operand of", a);
    cli->clang_args[cli->nclang++] = argv[++*i];
  }
  return 0;
}

static int parse_cli(int argc, char **argv, Cli *cli) {
  memset(cli, 0, sizeof *cli);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "-I", 2) == 0 || strncmp(a, "-D", 2) == 0) {
      int rc = add_preprocessor_arg(cli, argc, argv, &i);
      if (rc)
        return rc;
      continue;
    }
    if (a[0] != '-') {
      if (cli->file)
        return usage_error("more than one file", a);
      cli->file = a;
      continue;
    }
    int spec = find_spec(a);
    if (spec < 0)
      return usage_error("unknown option", a);
    if (i + SPECS[spec].nargs >= argc)
      return usage_error("missing operands of", a);
    if (cli->nqueries == MAX_ARGS)
      return usage_error("too many queries", NULL);
    int rc = add_query(cli, spec, argv + i + 1);
    if (rc)
      return rc;
    i += SPECS[spec].nargs;
  }
  if (!cli->file)
    return usage_error("no file", NULL);
  if (cli->nqueries == 0)
    return usage_error("no query", NULL);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Parsing                                                                   */
/* ------------------------------------------------------------------------ */

static int has_stddef(const char *dir) {
  char path[PATH_LEN + 32];
  int n = snprintf(path, sizeof path, "%s/include/stddef.h", dir);
  if (n < 0 || (size_t)n >= sizeof path)
    return 0;
  FILE *f = fopen(path, "r");
  if (f)
    fclose(f);
  return f != NULL;
}

/* Runs `CMD -print-resource-dir`; 1 when it names a usable directory. */
static int ask_clang(const char *cmd, char *dir, size_t size) {
  char line[PATH_LEN + 64];
  snprintf(line, sizeof line, "%s -print-resource-dir 2>/dev/null", cmd);
  FILE *p = popen(line, "r");
  if (!p)
    return 0;
  int ok = fgets(dir, (int)size, p) != NULL;
  pclose(p);
  if (!ok)
    return 0;
  dir[strcspn(dir, "\r\n")] = 0;
  return dir[0] && has_stddef(dir);
}

/* libclang needs clang's resource directory (stddef.h, stdarg.h ...) of its
   own version; it guesses it from where libclang.so sits, and on Debian that
   guess is wrong.  In order: $INSPECT_RESOURCE_DIR, the directory CMake
   found when it built this tool, then `clang-MAJOR -print-resource-dir`
   with libclang's major version, then plain `clang`.  NULL: let libclang
   guess. */
static const char *resource_dir(void) {
  static char dir[PATH_LEN];
  const char *env = getenv("INSPECT_RESOURCE_DIR");
  if (env && *env)
    return env;
#ifdef INSPECT_RESOURCE_DIR
  if (has_stddef(INSPECT_RESOURCE_DIR))
    return INSPECT_RESOURCE_DIR;
#endif
  char *version = take_string(clang_getClangVersion());
  const char *v = strstr(version, "version ");
  int major = v ? atoi(v + strlen("version ")) : 0;
  free(version);
  char cmd[32];
  snprintf(cmd, sizeof cmd, "clang-%d", major);
  if (major > 0 && ask_clang(cmd, dir, sizeof dir))
    return dir;
  if (ask_clang("clang", dir, sizeof dir))
    return dir;
  return NULL;
}

static CXTranslationUnit parse_file(CXIndex index, const Cli *cli) {
  const char *args[MAX_ARGS + 16];
  int n = 0;
  args[n++] = "-x";
  args[n++] = "c";
  args[n++] = "-std=c11";
  args[n++] = "-Wall";
  args[n++] = "-Wextra";
  args[n++] = "-pedantic";
  const char *rd = resource_dir();
  if (rd) {
    args[n++] = "-resource-dir";
    args[n++] = rd;
  }
  for (int i = 0; i < cli->nclang; i++)
    args[n++] = cli->clang_args[i];
  CXTranslationUnit tu = NULL;
  enum CXErrorCode rc = clang_parseTranslationUnit2(index, cli->file, args, n, NULL, 0,
                                                    CXTranslationUnit_None, &tu);
  if (rc != CXError_Success) {
    fprintf(stderr, "inspect: libclang could not parse %s (error %d)\n", cli->file, (int)rc);
    return NULL;
  }
  return tu;
}

static void print_diagnostic(CXDiagnostic d, FILE *out, const char *indent) {
  CXString s = clang_formatDiagnostic(d, clang_defaultDiagnosticDisplayOptions());
  fprintf(out, "%s%s\n", indent, clang_getCString(s));
  clang_disposeString(s);
  /* notes ("previous declaration is here") hang off their warning */
  CXDiagnosticSet children = clang_getChildDiagnostics(d);
  for (unsigned i = 0; i < clang_getNumDiagnosticsInSet(children); i++) {
    CXDiagnostic c = clang_getDiagnosticInSet(children, i);
    print_diagnostic(c, out, "  ");
    clang_disposeDiagnostic(c);
  }
}

/* Prints every diagnostic; returns how many are warnings or worse. */
static unsigned check_diagnostics(CXTranslationUnit tu, FILE *out) {
  unsigned bad = 0;
  for (unsigned i = 0; i < clang_getNumDiagnostics(tu); i++) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Warning)
      bad++;
    print_diagnostic(d, out, "");
    clang_disposeDiagnostic(d);
  }
  return bad;
}

/* ------------------------------------------------------------------------ */
/* Answering                                                                 */
/* ------------------------------------------------------------------------ */

static int compare(long value, Op op, long n) {
  switch (op) {
  case OP_EQ: return value == n;
  case OP_NE: return value != n;
  case OP_LT: return value < n;
  case OP_LE: return value <= n;
  case OP_GT: return value > n;
  case OP_GE: return value >= n;
  }
  return 0;
}

static void print_hits(const Hits *h, FILE *out, const char *indent, int with_depth) {
  for (size_t i = 0; i < h->n; i++)
    if (with_depth)
      fprintf(out, "%s%s at depth %d (line %u)\n", indent, h->v[i].callee, h->v[i].depth,
              h->v[i].line);
    else
      fprintf(out, "%s%s in %s (line %u)\n", indent, h->v[i].callee, h->v[i].func,
              h->v[i].line);
}

static void print_functions(const Table *t) {
  for (size_t i = 0; i < t->n; i++)
    printf("%s %d\n", t->v[i].name, t->v[i].loops);
}

/* Loop counts for --loops/--expect-loops (own body) and the _total forms. */
static long loop_count(const Table *t, size_t f, QueryKind k) {
  if (k == Q_LOOPS || k == Q_EXPECT_LOOPS)
    return t->v[f].loops;
  return loops_total(t, f);
}

static int expect_loops(const Table *t, size_t f, const Query *q) {
  QueryKind k = SPECS[q->spec].kind;
  long value = loop_count(t, f, k);
  const char *what = k == Q_EXPECT_LOOPS ? "loops" : "loops (with its callees)";
  if (compare(value, q->op, q->n)) {
    printf("ok: %s has %ld %s, %s %ld\n", t->v[f].name, value, what, OP_NAMES[q->op], q->n);
    return 0;
  }
  fprintf(stderr, "inspect: expectation failed: %s has %ld %s, expected %s %ld\n", t->v[f].name,
          value, what, OP_NAMES[q->op], q->n);
  return EXIT_FAIL;
}

static int expect_calls(const Table *t, size_t f, const Query *q) {
  const char *callee = q->args[1];
  Hits h = find_hits(t, f, &callee, 1);
  int ok = compare((long)h.n, q->op, q->n);
  if (ok)
    printf("ok: %s calls %s at %zu sites, %s %ld\n", t->v[f].name, callee, h.n, OP_NAMES[q->op],
           q->n);
  else {
    fprintf(stderr, "inspect: expectation failed: %s calls %s at %zu sites, expected %s %ld\n",
            t->v[f].name, callee, h.n, OP_NAMES[q->op], q->n);
    print_hits(&h, stderr, "  ", 1);
  }
  free(h.v);
  return ok ? 0 : EXIT_FAIL;
}

static int allocates(const Table *t, size_t f, int expect_none) {
  Hits h = find_hits(t, f, ALLOCATORS, N_ALLOCATORS);
  int rc = 0;
  if (!expect_none) {
    puts(h.n ? "yes" : "no");
    print_hits(&h, stdout, "", 0);
  } else if (h.n == 0)
    printf("ok: %s does not allocate\n", t->v[f].name);
  else {
    fprintf(stderr, "inspect: expectation failed: %s allocates:\n", t->v[f].name);
    print_hits(&h, stderr, "  ", 0);
    rc = EXIT_FAIL;
  }
  free(h.v);
  return rc;
}

/* Every function of FILE: its loops that cannot run. */
static int expect_no_dead_loops(const Table *t, const char *file) {
  size_t n = 0;
  for (size_t i = 0; i < t->n; i++)
    for (size_t j = 0; j < t->v[i].ndead; j++, n++)
      fprintf(stderr, "inspect: expectation failed: %s: a loop that cannot run in %s (line %u)\n", file,
              t->v[i].name, t->v[i].dead[j]);
  if (n)
    return EXIT_FAIL;
  printf("ok: no loop that cannot run in the %zu functions of %s\n", t->n, file);
  return 0;
}

/* Every function of FILE: whether its body does nothing. */
static int expect_no_empty_functions(const Table *t, const char *file) {
  size_t n = 0;
  for (size_t i = 0; i < t->n; i++)
    if (t->v[i].empty) {
      fprintf(stderr, "inspect: expectation failed: %s: %s (line %u) does nothing\n", file, t->v[i].name,
              t->v[i].line);
      n++;
    }
  if (n)
    return EXIT_FAIL;
  printf("ok: no empty function among the %zu functions of %s\n", t->n, file);
  return 0;
}

static int calls(const Table *t, size_t f, const char *callee, int with_depth) {
  Hits h = find_hits(t, f, &callee, 1);
  if (with_depth)
    print_hits(&h, stdout, "", 1);
  else
    printf("%zu\n", h.n);
  free(h.v);
  return 0;
}

static int answer(const Table *t, const Cli *cli, const Query *q) {
  QueryKind k = SPECS[q->spec].kind;
  if (SPECS[q->spec].reports && cli->nreports > 1) {
    /* several answers in one run: say which is which */
    printf("# %s", SPECS[q->spec].flag);
    for (int i = 0; i < SPECS[q->spec].nargs; i++)
      printf(" %s", q->args[i]);
    putchar('\n');
  }
  if (k == Q_DIAGNOSTICS)
    return 0; /* already printed, before any query */
  if (k == Q_FUNCTIONS) {
    print_functions(t);
    return 0;
  }
  if (k == Q_EXPECT_NO_DEAD_LOOPS)
    return expect_no_dead_loops(t, cli->file);
  if (k == Q_EXPECT_NO_EMPTY_FUNCTIONS)
    return expect_no_empty_functions(t, cli->file);
  long f = find_function(t, q->args[0]);
  if (f < 0) {
    fprintf(stderr, "inspect: %s defines no function %s\n", cli->file, q->args[0]);
    return EXIT_FAIL;
  }
  switch (k) {
  case Q_LOOPS:
  case Q_LOOPS_TOTAL: printf("%ld\n", loop_count(t, (size_t)f, k)); return 0;
  case Q_CALLS: return calls(t, (size_t)f, q->args[1], 0);
  case Q_CALLS_IN_LOOPS: return calls(t, (size_t)f, q->args[1], 1);
  case Q_ALLOCATES: return allocates(t, (size_t)f, 0);
  case Q_EXPECT_NO_ALLOC: return allocates(t, (size_t)f, 1);
  case Q_EXPECT_LOOPS:
  case Q_EXPECT_LOOPS_TOTAL: return expect_loops(t, (size_t)f, q);
  case Q_EXPECT_CALLS: return expect_calls(t, (size_t)f, q);
  default: return 0;
  }
}

static int readable(const char *path) {
  FILE *f = fopen(path, "r");
  if (f)
    fclose(f);
  return f != NULL;
}

/* Parses, refuses a file with diagnostics, then answers every query in
   order; the exit status is the worst of their results. */
static int run(const Cli *cli) {
  CXIndex index = clang_createIndex(0, 0); /* 0: we print diagnostics ourselves */
  CXTranslationUnit tu = parse_file(index, cli);
  int rc = tu ? 0 : EXIT_FAIL;
  if (tu) {
    unsigned bad = check_diagnostics(tu, cli->diagnostics ? stdout : stderr);
    if (bad) {
      fprintf(stderr, "inspect: %s: %u warning%s or error%s%s\n", cli->file, bad,
              bad == 1 ? "" : "s", bad == 1 ? "" : "s",
              cli->nqueries > (cli->diagnostics ? 1 : 0) ? "; no query answered" : "");
      rc = EXIT_FAIL;
    } else {
      Table t = {NULL, 0, 0};
      collect_functions(tu, &t);
      for (int i = 0; i < cli->nqueries; i++) {
        int r = answer(&t, cli, &cli->queries[i]);
        if (r > rc)
          rc = r;
      }
      free_table(&t);
    }
    clang_disposeTranslationUnit(tu);
  }
  clang_disposeIndex(index);
  return rc;
}

int main(int argc, char **argv) {
  if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
    usage(stdout);
    return 0;
  }
  static Cli cli; /* static: it holds two fixed-size arrays */
  int rc = parse_cli(argc, argv, &cli);
  if (rc)
    return rc;
  if (!readable(cli.file)) {
    fprintf(stderr, "inspect: cannot read %s\n", cli.file);
    return EXIT_USAGE;
  }
  return run(&cli);
}
