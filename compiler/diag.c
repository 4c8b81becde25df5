/*
** diag.c — prints diagnostics with the source line and a caret; see diag.h.
*/
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_ERRORS = 20 };

static const Source *source;
static FILE *stream;
static int errors, werror, nowarn, suppressed;

void diag_init(const Source *src, FILE *out) {
  source = src;
  stream = out;
  errors = suppressed = 0;
}

int diag_error_count(void) { return errors; }
void diag_set_werror(int on) { werror = on; }
void diag_set_nowarn(int on) { nowarn = on; }

Loc loc_span(Loc a, Loc b) {
  if (a.line == 0)
    return b;
  if (b.line == 0)
    return a;
  Loc r = a;
  if (b.end_line > a.end_line || (b.end_line == a.end_line && b.end_col > a.end_col)) {
    r.end_line = b.end_line;
    r.end_col = b.end_col;
  }
  return r;
}

/* Prints line `line` of the source, then a caret under [col, end_col). */
static void show_source_line(Loc loc) {
  if (!source || !source->text || loc.line <= 0)
    return;
  const char *p = source->text, *end = source->text + source->length;
  for (int l = 1; l < loc.line && p < end; p++)
    if (*p == '\n')
      l++;
  const char *eol = p;
  while (eol < end && *eol != '\n')
    eol++;
  fputs("  ", stream);
  for (const char *q = p; q < eol; q++) {
    /* Keep the caret aligned: control and non-ASCII bytes print as '?'. */
    unsigned char c = (unsigned char)*q;
    fputc(c == '\t' ? ' ' : (c < 32 || c > 126) ? '?' : c, stream);
  }
  fputs("\n  ", stream);
  int width = (loc.end_line == loc.line && loc.end_col > loc.col) ? loc.end_col - loc.col : 1;
  if (loc.end_line > loc.line)
    width = (int)(eol - p) - loc.col + 1;
  if (width < 1)
    width = 1;
  for (int c = 1; c < loc.col; c++)
    fputc(' ', stream);
  fputc('^', stream);
  for (int i = 1; i < width; i++)
    fputc('~', stream);
  fputc('\n', stream);
}

static void report(const char *kind, Loc loc, const char *fmt, va_list ap) {
  const char *path = source ? source->path : "mgc";
  if (loc.line > 0)
    fprintf(stream, "%s:%d:%d: %s: ", path, loc.line, loc.col, kind);
  else
    fprintf(stream, "%s: %s: ", path, kind);
  vfprintf(stream, fmt, ap);
  fputc('\n', stream);
  show_source_line(loc);
}

void diag_error(Loc loc, const char *fmt, ...) {
  if (errors >= MAX_ERRORS) {
    suppressed++;
    return;
  }
  errors++;
  va_list ap;
  va_start(ap, fmt);
  report("error", loc, fmt, ap);
  va_end(ap);
  if (errors == MAX_ERRORS)
    fprintf(stream, "mgc: too many errors; stopping\n");
}

void diag_warning(Loc loc, const char *fmt, ...) {
  if (nowarn)
    return;
  va_list ap;
  va_start(ap, fmt);
  if (werror) {
    errors++;
    report("error", loc, fmt, ap);
  } else {
    report("warning", loc, fmt, ap);
  }
  va_end(ap);
}

void diag_note(Loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report("note", loc, fmt, ap);
  va_end(ap);
}

_Noreturn void mgc_internal_error(const char *file, int line, const char *what) {
  fprintf(stderr, "mgc: internal error at %s:%d: %s\n", file, line, what);
  fprintf(stderr, "mgc: this is a bug in mgc; please report it with the .mg file\n");
  abort();
}
