/*
** text.c — the generated C's running text: section banners, the .mg source
** line a piece of code comes from, the comment above each kernel, code
** indented to its depth (emit_out), and calls whose arguments can be read
** (emit_call).
*/
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "emit/base/base.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

void emit_section(Emitter *e, const char *title) {
  P("\n/* ---------------------------------------------------------------------------\n");
  P(" * %s\n", title);
  P(" * ------------------------------------------------------------------------- */\n\n");
}

/* Where each line of the source starts, found once: a program of 100,000
   lines has about as many kernels, and finding each one's line by scanning
   from the top made emission quadratic. */
void emit_line_table(Emitter *e) {
  const char *p = e->source_text;
  if (!p)
    return;
  int n = 1;
  for (const char *q = p; *q; q++)
    n += *q == '\n';
  e->line_starts = ARENA_ARRAY(e->arena, const char *, n);
  e->n_lines = 0;
  e->line_starts[e->n_lines++] = p;
  for (const char *q = p; *q; q++)
    if (*q == '\n')
      e->line_starts[e->n_lines++] = q + 1;
}

const char *emit_source_line(Emitter *e, Loc loc) {
  if (!e->line_starts || loc.line <= 0 || loc.line > e->n_lines)
    return "";
  const char *p = e->line_starts[loc.line - 1];
  const char *end = p;
  while (*end && *end != '\n')
    end++;
  while (p < end && isspace((unsigned char)*p))
    p++;
  char *s = arena_strndup(e->arena, p, (size_t)(end - p));
  /* Keep the comment a comment. */
  for (char *q = s; *q; q++)
    if ((q[0] == '*' && q[1] == '/') || (q[0] == '/' && q[1] == '*'))
      q[0] = '.';
  return s;
}


void emit_kernel_comment(Emitter *e, Node *n) {
  if (!e->opt.annotate)
    return;
  const char *what = n->name ? n->name : e->names[n->id];
  if (strncmp(what, "m->", 3) == 0)
    what += 3;
  P("  /* %s = %s%s  %s", what, op_info[n->op].spelling, n->is_grad ? " (backward)" : "",
    shape_str(e->arena, e->g, n->shape));
  if (n->note)
    P("\n     %s", n->note);
  if (n->loc.line > 0)
    P("\n     line %d: %s", n->loc.line, emit_source_line(e, n->loc));
  P(" */\n");
}


void emit_out(Emitter *e, const char *fmt, ...) {
  va_list ap, again;
  va_start(ap, fmt);
  va_copy(again, ap);
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  MGC_ASSERT(len >= 0);
  char *text = arena_alloc(e->arena, (size_t)len + 1);
  vsnprintf(text, (size_t)len + 1, fmt, again);
  va_end(again);
  /* blank lines stay empty: no trailing spaces */
  for (const char *p = text; *p; p++) {
    if (e->line_start && *p != '\n' && e->indent > 0)
      fprintf(e->out, "%*s", e->indent, "");
    fputc(*p, e->out);
    e->line_start = *p == '\n';
  }
}

const char *emit_call(Emitter *e, int indent, const char *fn, int n, const char *const *names,
                      const char *const *args, const char *tail) {
  if (n <= EMIT_CALL_ONE_LINE_ARGS) {
    const char *text = arena_printf(e->arena, "%s(", fn);
    for (int i = 0; i < n; i++)
      text = arena_printf(e->arena, "%s%s%s", text, i ? ", " : "", args[i]);
    return arena_printf(e->arena, "%s)%s\n", text, tail);
  }
  /* the comments line up after the longest argument */
  int width = 0;
  for (int i = 0; i < n; i++) {
    int w = (int)strlen(args[i]) + (i == n - 1 ? 1 + (int)strlen(tail) : 1);
    width = w > width ? w : width;
  }
  const char *text = arena_printf(e->arena, "%s(\n", fn);
  for (int i = 0; i < n; i++) {
    const char *arg = arena_printf(e->arena, "%s%s", args[i], i == n - 1 ? arena_printf(e->arena, ")%s", tail) : ",");
    text = arena_printf(e->arena, "%s%*s%-*s  /* %s */\n", text, indent + 4, "", width, arg, names[i]);
  }
  return text;
}
