/*
** diag.c — prints diagnostics with the source line and a caret; see diag.h.
*/
#include "diag.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum {
  MAX_ERRORS = 20,
  /* Longer source lines are shown as a window around the caret, so a
     generated or minified file does not flood the terminal. */
  MAX_SHOWN = 100,
};

static const Source *source;
static FILE *stream;
static int errors, werror, nowarn, suppressed;
static int last_dropped;  /* the last error or warning was not printed: drop its notes */

void diag_init(const Source *src, FILE *out) {
  source = src;
  stream = out;
  errors = suppressed = last_dropped = 0;
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

Loc loc_after(Loc loc) {
  Loc r = {loc.end_line, loc.end_col, loc.end_line, loc.end_col + 1};
  return r;
}

/* ---- the source text ---------------------------------------------------- */

/* The start of line `line` (1-based) and, in *eol, its end. */
static const char *line_start(int line, const char **eol) {
  const char *p = source->text, *end = source->text + source->length;
  for (int l = 1; l < line && p < end; p++)
    if (*p == '\n')
      l++;
  const char *e = p;
  while (e < end && *e != '\n')
    e++;
  if (e > p && e[-1] == '\r')
    e--;  /* a CRLF file: the '\r' is no part of what an editor shows */
  *eol = e;
  return p;
}

Loc diag_end_of_file(void) {
  Loc loc = {0, 0, 0, 0};
  if (!source || !source->text || source->length == 0)
    return loc;
  int line = 1, col = 1;
  long last = source->length - 1;
  if (source->text[last] == '\n' && last > 0)
    last--;  /* the final newline ends the last line; it is not a line of its own */
  for (long i = 0; i < last; i++) {
    if (source->text[i] == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  loc.line = loc.end_line = line;
  loc.col = col;
  loc.end_col = col + 1;
  return loc;
}

const char *diag_span_text(Loc loc, char *buf, size_t size) {
  if (!source || !source->text || loc.line <= 0 || loc.end_line != loc.line || size == 0)
    return NULL;
  const char *eol, *p = line_start(loc.line, &eol);
  long from = loc.col - 1, to = loc.end_col - 1;
  if (from < 0 || to < from || p + to > eol)
    return NULL;
  size_t n = (size_t)(to - from) < size - 1 ? (size_t)(to - from) : size - 1;
  memcpy(buf, p + from, n);
  buf[n] = 0;
  return buf;
}

/* The length of the valid UTF-8 sequence at p, or 0. */
static int utf8_length(const unsigned char *p, const unsigned char *end) {
  int n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
  if (n == 0 || p[0] >= 0xf5 || end - p < n)
    return 0;
  for (int i = 1; i < n; i++)
    if ((p[i] & 0xc0) != 0x80)
      return 0;
  return n;
}

/* Prints bytes [p, end) as they would look in an editor: a valid UTF-8
   character as itself, a tab as a blank and any other control or stray byte
   as '?', each one column wide.  Returns the columns printed. */
static int print_text(const char *from, const char *to) {
  const unsigned char *p = (const unsigned char *)from, *end = (const unsigned char *)to;
  int width = 0;
  while (p < end) {
    int n = *p >= 0x80 ? utf8_length(p, end) : 1;
    if (n > 1)
      fwrite(p, 1, (size_t)n, stream);
    else
      fputc(*p == '\t' ? ' ' : (*p < 32 || *p > 126) ? '?' : *p, stream);
    p += n ? n : 1;
    width++;
  }
  return width;
}

/* The columns print_text would use for [from, to). */
static int text_width(const char *from, const char *to) {
  const unsigned char *p = (const unsigned char *)from, *end = (const unsigned char *)to;
  int width = 0;
  while (p < end) {
    int n = *p >= 0x80 ? utf8_length(p, end) : 1;
    p += n ? n : 1;
    width++;
  }
  return width;
}

/* Prints line `loc.line` of the source, then a caret and tildes under the
   span (to the end of the line when the span runs onto later lines). */
static void show_source_line(Loc loc) {
  if (!source || !source->text || loc.line <= 0)
    return;
  const char *eol, *p = line_start(loc.line, &eol);
  const char *first = p + loc.col - 1;
  if (first > eol)
    first = eol;
  const char *last = loc.end_line == loc.line ? p + loc.end_col - 1 : eol;
  if (last > eol)
    last = eol;
  if (last <= first)
    last = first + 1;  /* at least one caret, even past the end of the line */
  /* Long lines: a window around the start of the span. */
  const char *from = p, *to = eol;
  if (eol - p > MAX_SHOWN) {
    from = first - MAX_SHOWN / 2 > p ? first - MAX_SHOWN / 2 : p;
    while (from > p && ((unsigned char)*from & 0xc0) == 0x80)
      from--;  /* do not cut a UTF-8 character */
    to = from + MAX_SHOWN < eol ? from + MAX_SHOWN : eol;
    while (to < eol && ((unsigned char)*to & 0xc0) == 0x80)
      to++;
  }
  fputs("  ", stream);
  int pad = 0;
  if (from > p) {
    fputs("...", stream);
    pad = 3;
  }
  print_text(from, to);
  if (to < eol)
    fputs("...", stream);
  fputs("\n  ", stream);
  pad += text_width(from, first);
  int width = text_width(first, last < to ? last : to);
  for (int i = 0; i < pad; i++)
    fputc(' ', stream);
  fputc('^', stream);
  for (int i = 1; i < width; i++)
    fputc('~', stream);
  fputc('\n', stream);
}

/* ---- reporting ------------------------------------------------------------- */

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
    last_dropped = 1;
    return;
  }
  errors++;
  last_dropped = 0;
  va_list ap;
  va_start(ap, fmt);
  report("error", loc, fmt, ap);
  va_end(ap);
  if (errors == MAX_ERRORS)
    fprintf(stream, "mgc: too many errors; stopping\n");
}

void diag_warning(Loc loc, const char *fmt, ...) {
  last_dropped = nowarn || (werror && errors >= MAX_ERRORS);
  if (last_dropped)
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
  if (last_dropped)
    return;
  va_list ap;
  va_start(ap, fmt);
  report("note", loc, fmt, ap);
  va_end(ap);
}

/* ---- "did you mean" ------------------------------------------------------ */

/* Edit distance in half-steps: inserting, deleting or replacing a character
   costs 2, changing only its case costs 1 (so "w" is closer to "W" than to "b"). */
static int edit_cost(const char *a, const char *b) {
  size_t n = strlen(b);
  if (strlen(a) > 64 || n > 64)
    return 1 << 20;
  int row[65];
  for (size_t j = 0; j <= n; j++)
    row[j] = 2 * (int)j;
  for (size_t i = 1; a[i - 1]; i++) {
    int diag = row[0];
    row[0] = 2 * (int)i;
    for (size_t j = 1; j <= n; j++) {
      int sub = a[i - 1] == b[j - 1] ? 0
                : tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 1 : 2;
      int best = diag + sub;
      if (row[j] + 2 < best)
        best = row[j] + 2;
      if (row[j - 1] + 2 < best)
        best = row[j - 1] + 2;
      diag = row[j];
      row[j] = best;
    }
  }
  return row[n];
}

void suggest_init(Suggest *s, const char *name) {
  s->name = name;
  s->best = NULL;
  s->best_cost = 1 << 20;
  s->n_near = 0;
}

void suggest_offer(Suggest *s, const char *candidate) {
  if (!candidate || strcmp(candidate, s->name) == 0)
    return;
  for (int i = 0; i < s->n_near; i++)
    if (strcmp(s->near[i], candidate) == 0)
      return;  /* offered twice (a layer named like a builtin) */
  int cost = edit_cost(s->name, candidate);
  if (cost < s->best_cost) {
    s->best = candidate;
    s->best_cost = cost;
  }
  /* Insertion into the short list, kept sorted by cost. */
  int at = s->n_near;
  while (at > 0 && s->near_cost[at - 1] > cost)
    at--;
  if (at >= SUGGEST_MAX)
    return;
  int last = s->n_near < SUGGEST_MAX ? s->n_near : SUGGEST_MAX - 1;
  for (int i = last; i > at; i--) {
    s->near[i] = s->near[i - 1];
    s->near_cost[i] = s->near_cost[i - 1];
  }
  s->near[at] = candidate;
  s->near_cost[at] = cost;
  if (s->n_near < SUGGEST_MAX)
    s->n_near++;
}

/* One edit per three characters, and at least a change of case. */
static int suggest_limit(const Suggest *s) {
  int limit = 2 * (int)strlen(s->name) / 3;
  return limit < 1 ? 1 : limit;
}

const char *suggest_best(const Suggest *s) {
  return s->best && s->best_cost <= suggest_limit(s) ? s->best : NULL;
}

int suggest_phrase(const Suggest *s, char *buf, size_t size) {
  int n = 0, limit = suggest_limit(s);
  while (n < s->n_near && s->near_cost[n] <= limit)
    n++;
  buf[0] = 0;
  for (int i = 0; i < n; i++) {
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, "%s'%s'", i == 0 ? "" : i == n - 1 ? " or " : ", ", s->near[i]);
  }
  return n;
}

_Noreturn void mgc_internal_error(const char *file, int line, const char *what) {
  fprintf(stderr, "mgc: internal error at %s:%d: %s\n", file, line, what);
  fprintf(stderr, "mgc: this is a bug in mgc; please report it with the .mg file\n");
  abort();
}
