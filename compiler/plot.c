/*
** plot.c — `mgc plot HISTORY.csv`: the cost curve and the metrics of a
** training run, drawn as a self-contained SVG by mgc itself.
**
** It reads top to bottom as its three steps:
**
**   read the CSV -> choose the axes -> write the SVG
**
** The reader is strict: a malformed history is reported with file:line, the
** way the generated programs report bad data, because a plot that quietly
** dropped a malformed row would misrepresent the run.  Non-finite numbers are
** legitimate data though (a diverging run logs nan or inf): the plot draws
** the finite points and its legend says how many it left out.
**
** The SVG is written with printf alone (mgc never calls setlocale, so numbers
** use '.') and nothing in it depends on the clock or the environment: the
** same history always gives the same bytes.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "plot.h"

#if defined(__GNUC__)
#define PLOT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PLOT_PRINTF(f, a)
#endif

/* ==== errors and memory ==================================================== */

/* "mgc: error: FILE:LINE: message", or "mgc: error: FILE: message" when the
   message is about the whole file (line 0). */
PLOT_PRINTF(3, 4)
static void plot_error(const char *path, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "mgc: error: %s", path);
  if (line > 0)
    fprintf(stderr, ":%d", line);
  fputs(": ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* A history too big for memory is not worth a recovery path: report, exit. */
static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) {
    fputs("mgc: error: out of memory\n", stderr);
    exit(1);
  }
  return q;
}

/* ==== reading the history ================================================== */

typedef struct History {
  const char *path;
  int ncols;     /* epoch, cost, then the metrics */
  char **names;  /* ncols column names */
  size_t nrows;
  size_t cap;    /* rows allocated in v */
  double *v;     /* nrows x ncols numbers, row major */
} History;

/* One comma-separated field, blanks around it trimmed; not NUL-terminated. */
typedef struct Field {
  const char *s;
  size_t n;
} Field;

typedef struct LineReader {
  const char *p, *end;
  int lineno;
} LineReader;

static void history_free(History *h) {
  for (int c = 0; c < h->ncols; c++)
    free(h->names[c]);
  free(h->names);
  free(h->v);
}

static double *history_row(const History *h, size_t r) { return h->v + r * (size_t)h->ncols; }

/* The whole file, NUL-terminated; NULL after reporting. */
static char *read_whole_file(const char *path, size_t *length) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    plot_error(path, 0, "cannot open: %s", strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, len = 0, n;
  char *buf = xrealloc(NULL, cap + 1);
  while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap)
      buf = xrealloc(buf, (cap *= 2) + 1);
  }
  int err = ferror(f) ? errno : 0;
  fclose(f);
  if (err) {
    plot_error(path, 0, "cannot read: %s", strerror(err));
    free(buf);
    return NULL;
  }
  buf[len] = '\0';
  *length = len;
  return buf;
}

/* The next line without its line end (\n or \r\n); 0 at the end of the text. */
static int next_line(LineReader *r, const char **line, size_t *len) {
  if (r->p >= r->end)
    return 0;
  const char *s = r->p;
  const char *nl = memchr(s, '\n', (size_t)(r->end - s));
  const char *e = nl ? nl : r->end;
  r->p = nl ? nl + 1 : r->end;
  if (e > s && e[-1] == '\r')
    e--;
  r->lineno++;
  *line = s;
  *len = (size_t)(e - s);
  return 1;
}

static int is_blank_char(char c) { return c == ' ' || c == '\t'; }

static int is_blank_line(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!is_blank_char(s[i]))
      return 0;
  return 1;
}

/* Splits a line at commas, trimming blanks around each field.  Returns the
   number of fields and stores the first `max` of them, so the caller learns
   a row's real width even when it is longer than expected. */
static int split_fields(const char *s, size_t n, Field *out, int max) {
  int count = 0;
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] != ',')
      continue;
    size_t a = start, b = i;
    while (a < b && is_blank_char(s[a]))
      a++;
    while (b > a && is_blank_char(s[b - 1]))
      b--;
    if (count < max)
      out[count] = (Field){s + a, b - a};
    count++;
    start = i + 1;
  }
  return count;
}

static int count_fields(const char *s, size_t n) {
  int count = 1;
  for (size_t i = 0; i < n; i++)
    count += s[i] == ',';
  return count;
}

static int field_is(Field f, const char *word) {
  return f.n == strlen(word) && memcmp(f.s, word, f.n) == 0;
}

/* A field as a double: what strtod takes, the whole field, nothing else.
   nan and inf are numbers here (the generated program prints them with
   %.9g); an out-of-range number such as 1e999 becomes inf like strtod
   makes it. */
static int parse_number(Field f, double *out) {
  char buf[64];
  if (f.n == 0 || f.n >= sizeof buf)
    return 0;
  memcpy(buf, f.s, f.n);
  buf[f.n] = '\0';
  char *end;
  *out = strtod(buf, &end);
  return end == buf + f.n;
}

/* Messages quote a field or a line, but never a whole megabyte of it. */
#define QUOTE_MAX 40
static int quote_len(size_t n) { return (int)(n < QUOTE_MAX ? n : QUOTE_MAX); }

static int parse_header(History *h, const char *s, size_t n, int lineno) {
  int count = count_fields(s, n);
  Field *f = xrealloc(NULL, sizeof *f * (size_t)count);
  split_fields(s, n, f, count);
  int ok = count >= 2 && field_is(f[0], "epoch") && field_is(f[1], "cost");
  if (!ok) {
    plot_error(h->path, lineno,
               "bad header '%.*s%s': expected 'epoch,cost' and then the metric names, "
               "the first line that a training program writes with --history",
               quote_len(n), s, n > QUOTE_MAX ? "..." : "");
  }
  for (int c = 2; ok && c < count; c++) {
    if (f[c].n == 0) {
      plot_error(h->path, lineno, "bad header: column %d has no name", c + 1);
      ok = 0;
    }
  }
  if (ok) {
    h->ncols = count;
    h->names = xrealloc(NULL, sizeof *h->names * (size_t)count);
    for (int c = 0; c < count; c++) {
      h->names[c] = xrealloc(NULL, f[c].n + 1);
      memcpy(h->names[c], f[c].s, f[c].n);
      h->names[c][f[c].n] = '\0';
    }
  }
  free(f);
  return ok ? 0 : -1;
}

/* Parses one data line into a new row; `f` has room for ncols fields. */
static int parse_row(History *h, const char *s, size_t n, int lineno, Field *f) {
  int count = split_fields(s, n, f, h->ncols);
  if (count != h->ncols) {
    plot_error(h->path, lineno, "expected %d fields like the header, found %d", h->ncols,
               count);
    return -1;
  }
  if (h->nrows == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 64;
    h->v = xrealloc(h->v, sizeof *h->v * h->cap * (size_t)h->ncols);
  }
  double *row = history_row(h, h->nrows);
  for (int c = 0; c < h->ncols; c++) {
    if (!parse_number(f[c], &row[c])) {
      plot_error(h->path, lineno, "field %d (%s): '%.*s%s' is not a number", c + 1,
                 h->names[c], quote_len(f[c].n), f[c].s, f[c].n > QUOTE_MAX ? "..." : "");
      return -1;
    }
  }
  /* The x axis cannot place a point without an epoch. */
  if (!isfinite(row[0])) {
    plot_error(h->path, lineno, "epoch '%.*s' is not a finite number", quote_len(f[0].n),
               f[0].s);
    return -1;
  }
  h->nrows++;
  return 0;
}

/* A NUL byte means this is not the text file we expect, and the rest of the
   reader treats lines as C strings in messages: reject it up front. */
static int check_no_nul(const History *h, const char *text, size_t len) {
  const char *nul = memchr(text, '\0', len);
  if (!nul)
    return 0;
  int line = 1;
  for (const char *p = text; p < nul; p++)
    line += *p == '\n';
  plot_error(h->path, line, "a NUL byte: this is not a CSV text file");
  return -1;
}

/* Blank lines are skipped anywhere (a trailing one is common), everything
   else must be the header or a row. */
static int parse_history(History *h, const char *text, size_t len) {
  if (check_no_nul(h, text, len) != 0)
    return -1;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte order mark */
    text += 3, len -= 3;
  LineReader r = {text, text + len, 0};
  const char *s;
  size_t n;
  int header_line = 0;
  Field *f = NULL;
  int status = 0;
  while (status == 0 && next_line(&r, &s, &n)) {
    if (is_blank_line(s, n))
      continue;
    if (!header_line) {
      header_line = r.lineno;
      status = parse_header(h, s, n, r.lineno);
      f = status == 0 ? xrealloc(NULL, sizeof *f * (size_t)h->ncols) : NULL;
    } else {
      status = parse_row(h, s, n, r.lineno, f);
    }
  }
  free(f);
  if (status != 0)
    return -1;
  if (!header_line) {
    plot_error(h->path, 1, "empty file: expected the header 'epoch,cost,...' and one row "
                           "per logged epoch");
    return -1;
  }
  if (h->nrows == 0) {
    plot_error(h->path, header_line, "a header but no rows: nothing to plot");
    return -1;
  }
  return 0;
}

static int read_history(const char *path, History *h) {
  memset(h, 0, sizeof *h);
  h->path = path;
  size_t len;
  char *text = read_whole_file(path, &len);
  if (!text)
    return -1;
  int status = parse_history(h, text, len);
  free(text);
  return status;
}

/* ==== axes ================================================================= */

/* An axis maps data values onto [0, 1] and says where its ticks go.  A linear
   axis ticks at i * mant * 10^exp for i in [ilo, ihi] (mant is 1, 2 or 5): the
   tick values are computed from integers, never accumulated, so labels come
   out as 0.3 and not 0.30000000000000004.  A log axis ticks at 10^i for i in
   [ilo, ihi], labelling every `every` decades. */
typedef struct Axis {
  int log;
  long long ilo, ihi;
  int mant, exp;
  int every;
} Axis;

/* Values of order 1e308 would overflow the range arithmetic; nothing that
   large plots meaningfully anyway. */
#define PLOT_HUGE 1e300

static double clamp_huge(double v) { return fmax(-PLOT_HUGE, fmin(PLOT_HUGE, v)); }

/* x * 10^e, exact when x is an integer and |e| <= 22: a power of ten up to
   1e22 is a double, and one division by it rounds correctly.  Below 1e-300
   it goes in two steps, since 10^-e itself would overflow to inf. */
static double scale10(double x, int e) {
  if (e < -300)
    return scale10(x * 1e-300, e + 300);
  return e >= 0 ? x * pow(10, e) : x / pow(10, -e);
}

static double tick_value(const Axis *a, long long i) {
  return a->log ? scale10(1, (int)i) : scale10((double)(i * a->mant), a->exp);
}

/* Where tick i sits, from its index: exact, and finite even for ticks at
   10^-320 or 10^309, whose values are not. */
static double tick_frac(const Axis *a, long long i) {
  return (double)(i - a->ilo) / (double)(a->ihi - a->ilo);
}

static double axis_frac(const Axis *a, double v) {
  if (a->log)
    return (log10(v) - (double)a->ilo) / (double)(a->ihi - a->ilo);
  double lo = tick_value(a, a->ilo), hi = tick_value(a, a->ihi);
  return (clamp_huge(v) - lo) / (hi - lo);
}

/* The 1-2-5 step nearest above range/target. */
static void nice_step(double raw, int *mant, int *exp) {
  int e = (int)floor(log10(raw));
  double norm = raw / scale10(1, e);
  int m = norm <= 1 + 1e-9 ? 1 : norm <= 2 + 1e-9 ? 2 : norm <= 5 + 1e-9 ? 5 : 10;
  if (m == 10) {
    m = 1;
    e++;
  }
  *mant = m;
  *exp = e;
}

/* A linear axis covering [min, max] with about `target` intervals.  An empty
   range (one row, or a constant metric) is widened so the line sits inside
   the panel.  `integral`: the values are whole numbers (epochs), so ticks
   are too. */
static Axis axis_linear(double min, double max, int target, int integral) {
  min = clamp_huge(min);
  max = clamp_huge(max);
  double big = fmax(fabs(min), fabs(max));
  if (max - min <= 1e-9 * big || max - min < 1e-100) {
    double pad = integral ? 1 : big > 1e-100 ? 0.05 * big : 1;
    min -= pad;
    max += pad;
  }
  Axis a = {0};
  nice_step((max - min) / target, &a.mant, &a.exp);
  if (integral && a.exp < 0) {
    a.mant = 1;
    a.exp = 0;
  }
  double step = scale10(a.mant, a.exp);
  a.ilo = (long long)floor(min / step + 1e-9);
  a.ihi = (long long)ceil(max / step - 1e-9);
  if (a.ihi <= a.ilo)
    a.ihi = a.ilo + 1;
  return a;
}

/* A log axis from the decade at or below min to the one at or above max. */
static Axis axis_log(double min, double max) {
  Axis a = {0};
  a.log = 1;
  a.ilo = (long long)floor(log10(min) + 1e-9);
  a.ihi = (long long)ceil(log10(max) - 1e-9);
  if (a.ihi <= a.ilo)
    a.ihi = a.ilo + 1;
  /* At most about seven labels: a run from 1e3 down to 1e-30 labels every 5 decades. */
  a.every = (int)((a.ihi - a.ilo + 6) / 7);
  if (a.every < 1)
    a.every = 1;
  while (a.ilo % a.every != 0)
    a.ilo--;
  while (a.ihi % a.every != 0)
    a.ihi++;
  return a;
}

static int count_digits(long long k) {
  int d = 1;
  while (k >= 10) {
    k /= 10;
    d++;
  }
  return d;
}

/* k * 10^e as "2.5e-7" (no '+', no leading zeros in the exponent). */
static void format_scientific(char *buf, size_t n, long long k, int e) {
  if (k == 0) {
    snprintf(buf, n, "0");
    return;
  }
  const char *sign = k < 0 ? "-" : "";
  if (k < 0)
    k = -k;
  while (k % 10 == 0) {
    k /= 10;
    e++;
  }
  int d = count_digits(k) - 1;
  snprintf(buf, n, "%s%.*fe%d", sign, d, scale10((double)k, -d), e + d);
}

/* The label of tick i: plain decimals for ordinary magnitudes, scientific
   notation where plain would be a long row of zeros. */
static void format_tick(char *buf, size_t n, const Axis *a, long long i) {
  if (a->log) {
    if (i >= -4 && i <= 6)
      snprintf(buf, n, "%.*f", i < 0 ? (int)-i : 0, scale10(1, (int)i));
    else
      snprintf(buf, n, "1e%lld", i);
    return;
  }
  double big = fmax(fabs(tick_value(a, a->ilo)), fabs(tick_value(a, a->ihi)));
  if (big >= 1e7 || big < 1e-3)
    format_scientific(buf, n, i * a->mant, a->exp);
  else
    snprintf(buf, n, "%.*f", a->exp < 0 ? -a->exp : 0, tick_value(a, i));
}

/* ==== the data's ranges ====================================================== */

typedef struct Range {
  double min, max;
  size_t finite; /* how many values are finite: the points drawn */
} Range;

/* The finite values of columns [first, last). */
static Range columns_range(const History *h, int first, int last) {
  Range r = {INFINITY, -INFINITY, 0};
  for (size_t i = 0; i < h->nrows; i++) {
    const double *row = history_row(h, i);
    for (int c = first; c < last; c++) {
      if (!isfinite(row[c]))
        continue;
      r.min = fmin(r.min, row[c]);
      r.max = fmax(r.max, row[c]);
      r.finite++;
    }
  }
  return r;
}

static int epochs_integral(const History *h) {
  for (size_t i = 0; i < h->nrows; i++) {
    double e = history_row(h, i)[0];
    if (e != floor(e))
      return 0;
  }
  return 1;
}

/* Epochs start at 0, so the axis does too rather than at a tick of -100. */
static Axis epoch_axis(const History *h) {
  Range r = columns_range(h, 0, 1);
  Axis a = axis_linear(r.min, r.max, 8, epochs_integral(h));
  if (r.min >= 0 && a.ilo < 0)
    a.ilo = 0;
  return a;
}

/* A cost that falls by more than two decades is a straight-ish line on a
   log axis and a flat line after the first few epochs on a linear one. */
static Axis cost_axis(const History *h) {
  Range r = columns_range(h, 1, 2);
  if (r.finite == 0)
    return axis_linear(0, 1, 5, 0);
  if (r.min > 0 && r.max / r.min > 100)
    return axis_log(r.min, r.max);
  return axis_linear(r.min, r.max, 5, 0);
}

/* Metrics are typically accuracies: keep 0..1 fixed when they fit, so runs
   can be compared by eye. */
static Axis metrics_axis(const History *h) {
  Range r = columns_range(h, 2, h->ncols);
  if (r.finite == 0 || (r.min >= 0 && r.max <= 1))
    return axis_linear(0, 1, 5, 0);
  return axis_linear(r.min, r.max, 5, 0);
}

/* ==== writing the SVG ======================================================== */

#define SVG_W 800
#define SVG_H 500
#define PLOT_X 84.0    /* the plot areas' left edge: room for the labels */
#define PLOT_W 526.0
#define LEGEND_X 628.0 /* the legends sit right of the plot areas */
#define LEGEND_CHARS 18
#define LEGEND_LINE 18.0 /* a legend entry takes a line, two with a note */
#define LEGEND_NOTE 14.0
#define YLABEL_CHARS 24
#define TITLE_CHARS 90
#define MARKERS_MAX 40 /* sparse series get a dot per point: a lone point shows */

/* Tableau's ten: distinct, and readable on white.  Beyond ten series the
   colours repeat with a dash pattern, so every series still differs. */
static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
static const char *const dashes[] = {NULL, "7 4", "2 3", "9 3 2 3"};
#define NPALETTE (int)(sizeof palette / sizeof palette[0])
#define NDASHES (int)(sizeof dashes / sizeof dashes[0])

typedef struct Panel {
  double x, y, w, h; /* the plot area, in pixels */
  Axis yaxis;
  const char *ylabel;
  int first, last; /* the columns drawn: [first, last) */
} Panel;

typedef struct Picture {
  FILE *out;
  const History *h;
  Axis xaxis;
  Panel panels[2];
  int npanels;
} Picture;

/* Decodes one UTF-8 character at s[0..n): its length, with *cp the code
   point, or 0 for an invalid, overlong or surrogate sequence. */
static int utf8_decode(const unsigned char *s, size_t n, unsigned long *cp) {
  static const unsigned long min_of[] = {0, 0, 0x80, 0x800, 0x10000};
  int len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
          : (s[0] & 0xF8) == 0xF0                   ? 4
                                                    : 0;
  if (len == 0 || (size_t)len > n)
    return 0;
  unsigned long c = len == 1 ? s[0] : s[0] & (0x7F >> len);
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    c = c << 6 | (s[i] & 0x3F);
  }
  if (c < min_of[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return len;
}

/* The characters XML 1.0 allows in a document. */
static int xml_char(unsigned long c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Writes s as XML text or attribute content, at most max_chars characters
   (then an ellipsis).  Column names and titles come from the user: markup
   characters are escaped, and bytes that are not UTF-8 or not allowed in
   XML become U+FFFD, so the document stays well-formed whatever they hold. */
static void put_escaped(FILE *out, const char *s, int max_chars) {
  size_t n = strlen(s);
  int chars = 0;
  while (n > 0) {
    if (chars++ == max_chars) {
      fputs("\xE2\x80\xA6", out);
      return;
    }
    unsigned long cp = 0;
    int len = utf8_decode((const unsigned char *)s, n, &cp);
    if (len == 0 || !xml_char(cp) || cp == 0x9 || cp == 0xA || cp == 0xD)
      fputs(len == 0 || cp >= 0x20 ? "\xEF\xBF\xBD" : " ", out);
    else if (cp == '&')
      fputs("&amp;", out);
    else if (cp == '<')
      fputs("&lt;", out);
    else if (cp == '>')
      fputs("&gt;", out);
    else if (cp == '"')
      fputs("&quot;", out);
    else if (cp == '\'')
      fputs("&apos;", out);
    else
      fwrite(s, 1, (size_t)len, out);
    len = len ? len : 1;
    s += len;
    n -= (size_t)len;
  }
}

static double px_x(const Picture *p, const Panel *pan, double epoch) {
  return pan->x + axis_frac(&p->xaxis, epoch) * pan->w;
}

/* The y pixel of a fraction of the panel's height, counted from its bottom. */
static double y_at(const Panel *pan, double frac) { return pan->y + pan->h - frac * pan->h; }

static double px_y(const Panel *pan, double v) { return y_at(pan, axis_frac(&pan->yaxis, v)); }

static void svg_open(const Picture *p, const char *title) {
  FILE *out = p->out;
  fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  fprintf(out,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
          "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
          SVG_W, SVG_H, SVG_W, SVG_H);
  fputs("<title>", out);
  put_escaped(out, title, -1);
  fputs("</title>\n", out);
  fprintf(out, "<desc>Training history drawn by mgc plot: %zu logged epochs, the cost%s",
          p->h->nrows, p->panels[0].yaxis.log ? " on a log scale" : "");
  if (p->h->ncols > 2)
    fprintf(out, " and %d metric%s", p->h->ncols - 2, p->h->ncols > 3 ? "s" : "");
  fputs(".</desc>\n", out);
  fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", SVG_W, SVG_H);
  fprintf(out, "<text x=\"%d\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" "
               "font-weight=\"bold\" fill=\"#222222\">",
          SVG_W / 2);
  put_escaped(out, title, TITLE_CHARS);
  fputs("</text>\n", out);
}

/* Vertical grid lines at the epoch ticks, in every panel. */
static void draw_x_grid(const Picture *p, const Panel *pan) {
  for (long long i = p->xaxis.ilo; i <= p->xaxis.ihi; i++) {
    double x = pan->x + tick_frac(&p->xaxis, i) * pan->w;
    fprintf(p->out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", x, pan->y, x,
            pan->y + pan->h);
  }
}

/* Log panels get unlabelled lines at 2..9 times each decade when there is
   room for them: they are what makes a log axis readable. */
static void draw_minor_y_grid(const Picture *p, const Panel *pan) {
  const Axis *a = &pan->yaxis;
  if (!a->log || a->every != 1 || a->ihi - a->ilo > 5)
    return;
  fputs("<g stroke=\"#f2f2f2\">\n", p->out);
  for (long long i = a->ilo; i < a->ihi; i++) {
    for (int m = 2; m <= 9; m++) {
      double y = y_at(pan, tick_frac(a, i) + log10(m) / (double)(a->ihi - a->ilo));
      fprintf(p->out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", pan->x, y,
              pan->x + pan->w, y);
    }
  }
  fputs("</g>\n", p->out);
}

static int y_tick_labelled(const Axis *a, long long i) { return !a->log || i % a->every == 0; }

static void draw_y_grid(const Picture *p, const Panel *pan) {
  const Axis *a = &pan->yaxis;
  for (long long i = a->ilo; i <= a->ihi; i++) {
    if (!y_tick_labelled(a, i))
      continue;
    double y = y_at(pan, tick_frac(a, i));
    fprintf(p->out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", pan->x, y,
            pan->x + pan->w, y);
  }
}

static void draw_y_labels(const Picture *p, const Panel *pan) {
  const Axis *a = &pan->yaxis;
  char label[64];
  fputs("<g font-size=\"11\" fill=\"#333333\" text-anchor=\"end\">\n", p->out);
  for (long long i = a->ilo; i <= a->ihi; i++) {
    if (!y_tick_labelled(a, i))
      continue;
    format_tick(label, sizeof label, a, i);
    fprintf(p->out, "<text x=\"%.2f\" y=\"%.2f\" dy=\"0.35em\">%s</text>\n", pan->x - 6,
            y_at(pan, tick_frac(a, i)), label);
  }
  fputs("</g>\n", p->out);
  /* Rotated to read bottom-up along the axis, centred on the panel. */
  double cx = 20, cy = pan->y + pan->h / 2;
  fprintf(p->out,
          "<text x=\"%.2f\" y=\"%.2f\" transform=\"rotate(-90 %.2f %.2f)\" "
          "text-anchor=\"middle\" font-size=\"13\" fill=\"#222222\">",
          cx, cy, cx, cy);
  put_escaped(p->out, pan->ylabel, YLABEL_CHARS);
  fputs(pan->yaxis.log ? " (log scale)</text>\n" : "</text>\n", p->out);
}

/* Epoch labels go under the bottom panel only: the panels share the x axis. */
static void draw_x_labels(const Picture *p, const Panel *pan) {
  char label[64];
  double base = pan->y + pan->h;
  fputs("<g font-size=\"11\" fill=\"#333333\" text-anchor=\"middle\">\n", p->out);
  for (long long i = p->xaxis.ilo; i <= p->xaxis.ihi; i++) {
    format_tick(label, sizeof label, &p->xaxis, i);
    fprintf(p->out, "<text x=\"%.2f\" y=\"%.2f\">%s</text>\n",
            pan->x + tick_frac(&p->xaxis, i) * pan->w, base + 17, label);
  }
  fputs("</g>\n", p->out);
  fprintf(p->out,
          "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"13\" "
          "fill=\"#222222\">epoch</text>\n",
          pan->x + pan->w / 2, base + 42);
}

static void put_style(FILE *out, int series) {
  const char *dash = dashes[(series / NPALETTE) % NDASHES];
  fprintf(out, "stroke=\"%s\"", palette[series % NPALETTE]);
  if (dash)
    fprintf(out, " stroke-dasharray=\"%s\"", dash);
}

/* One polyline with one point per finite value, in row order: non-finite
   values are left out and the line joins their neighbours. */
static void draw_series(const Picture *p, const Panel *pan, int col, int series) {
  FILE *out = p->out;
  const History *h = p->h;
  fputs("<polyline class=\"series\" data-series=\"", out);
  put_escaped(out, h->names[col], -1);
  fputs("\" fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\" "
        "stroke-linecap=\"round\" ", out);
  put_style(out, series);
  fputs(" points=\"", out);
  size_t drawn = 0;
  for (size_t i = 0; i < h->nrows; i++) {
    const double *row = history_row(h, i);
    if (!isfinite(row[col]))
      continue;
    /* a line break now and then keeps the file readable in an editor */
    fputs(drawn == 0 ? "" : drawn % 8 == 0 ? "\n" : " ", out);
    fprintf(out, "%.2f,%.2f", px_x(p, pan, row[0]), px_y(pan, row[col]));
    drawn++;
  }
  fputs("\"/>\n", out);
  if (drawn == 0 || drawn > MARKERS_MAX)
    return;
  fprintf(out, "<g fill=\"%s\">\n", palette[series % NPALETTE]);
  for (size_t i = 0; i < h->nrows; i++) {
    const double *row = history_row(h, i);
    if (isfinite(row[col]))
      fprintf(out, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"2.5\"/>\n", px_x(p, pan, row[0]),
              px_y(pan, row[col]));
  }
  fputs("</g>\n", out);
}

/* A legend entry: a swatch, the name, and a note when points were left out.
   Returns the height it took. */
static double draw_legend_entry(const Picture *p, int col, int series, double y) {
  FILE *out = p->out;
  Range r = columns_range(p->h, col, col + 1);
  fprintf(out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke-width=\"2\" ",
          LEGEND_X, y, LEGEND_X + 22, y);
  put_style(out, series);
  fputs("/>\n", out);
  fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" dy=\"0.35em\" font-size=\"12\" fill=\"#222222\">",
          LEGEND_X + 28, y);
  put_escaped(out, p->h->names[col], LEGEND_CHARS);
  fputs("</text>\n", out);
  size_t skipped = p->h->nrows - r.finite;
  if (skipped == 0)
    return LEGEND_LINE;
  fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" dy=\"0.35em\" font-size=\"10\" fill=\"#666666\">",
          LEGEND_X + 28, y + LEGEND_NOTE);
  if (r.finite == 0)
    fputs("no finite value to draw", out);
  else
    fprintf(out, "%zu nan/inf value%s skipped", skipped, skipped == 1 ? "" : "s");
  fputs("</text>\n", out);
  return LEGEND_LINE + LEGEND_NOTE;
}

static double legend_entry_height(const History *h, int col) {
  return columns_range(h, col, col + 1).finite == h->nrows ? LEGEND_LINE
                                                           : LEGEND_LINE + LEGEND_NOTE;
}

/* Entries that would run past the panel are summed up as "+N more", which
   needs a line of its own unless the entry is the last one. */
static void draw_legend(const Picture *p, const Panel *pan) {
  double y = pan->y + 10, last_line = pan->y + pan->h - 6;
  for (int c = pan->first; c < pan->last; c++) {
    double reach = y + legend_entry_height(p->h, c) - LEGEND_LINE;
    if (c + 1 < pan->last)
      reach += LEGEND_LINE;
    if (reach > last_line) {
      fprintf(p->out,
              "<text x=\"%.2f\" y=\"%.2f\" dy=\"0.35em\" font-size=\"11\" "
              "fill=\"#666666\">+%d more</text>\n",
              LEGEND_X, y, pan->last - c);
      return;
    }
    y += draw_legend_entry(p, c, c - 1, y);
  }
}

static void draw_panel(const Picture *p, const Panel *pan) {
  fputs("<g stroke=\"#e4e4e4\" stroke-width=\"1\">\n", p->out);
  draw_x_grid(p, pan);
  draw_y_grid(p, pan);
  fputs("</g>\n", p->out);
  draw_minor_y_grid(p, pan);
  fprintf(p->out,
          "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" "
          "stroke=\"#444444\"/>\n",
          pan->x, pan->y, pan->w, pan->h);
  draw_y_labels(p, pan);
  for (int c = pan->first; c < pan->last; c++)
    draw_series(p, pan, c, c - 1); /* series 0 is the cost: colours never shift */
  draw_legend(p, pan);
}

/* The cost panel fills the picture, or shares it with the metrics panel. */
static void layout(Picture *p) {
  const History *h = p->h;
  Panel *cost = &p->panels[0], *metrics = &p->panels[1];
  *cost = (Panel){PLOT_X, 48, PLOT_W, 382, cost_axis(h), "cost", 1, 2};
  p->npanels = 1;
  if (h->ncols > 2) {
    cost->h = 176;
    *metrics = (Panel){PLOT_X, 254, PLOT_W, 176, metrics_axis(h),
                       h->ncols == 3 ? h->names[2] : "metrics", 2, h->ncols};
    p->npanels = 2;
  }
  p->xaxis = epoch_axis(h);
}

static int write_svg(FILE *out, const History *h, const char *title) {
  Picture p;
  memset(&p, 0, sizeof p);
  p.out = out;
  p.h = h;
  layout(&p);
  svg_open(&p, title);
  for (int i = 0; i < p.npanels; i++)
    draw_panel(&p, &p.panels[i]);
  draw_x_labels(&p, &p.panels[p.npanels - 1]);
  fputs("</svg>\n", out);
  return ferror(out) ? -1 : 0;
}

/* ==== the output file ======================================================== */

/* HISTORY with its extension (if any) replaced by .svg, in HISTORY's folder. */
static char *default_output(const char *input) {
  const char *base = strrchr(input, '/');
  base = base ? base + 1 : input;
  const char *dot = strrchr(base, '.');
  size_t n = dot && dot != base ? (size_t)(dot - input) : strlen(input);
  char *out = xrealloc(NULL, n + 5);
  memcpy(out, input, n);
  memcpy(out + n, ".svg", 5);
  return out;
}

/* history.svg as input would otherwise be replaced by its own plot. */
static int same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

/* Writes the SVG to a temporary file beside `path` and renames it into
   place only once complete, so a failure never leaves a half-written
   picture (or a truncated old one). */
static int write_output(const char *path, const History *h, const char *title) {
  if (strcmp(path, "-") == 0) {
    if (write_svg(stdout, h, title) == 0 && fflush(stdout) == 0)
      return 0;
    plot_error("stdout", 0, "cannot write: %s", strerror(errno));
    return -1;
  }
  size_t n = strlen(path) + 16;
  char *tmp = xrealloc(NULL, n);
  snprintf(tmp, n, "%s.tmpXXXXXX", path);
  int fd = mkstemp(tmp);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    plot_error(path, 0, "cannot write: %s", strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(tmp);
    }
    free(tmp);
    return -1;
  }
  /* mkstemp makes the file private; a picture gets the usual permissions. */
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  int ok = write_svg(f, h, title) == 0;
  ok = (fclose(f) == 0) && ok;
  int err = errno;
  if (ok && rename(tmp, path) != 0) {
    ok = 0;
    err = errno;
  }
  if (!ok) {
    plot_error(path, 0, "cannot write: %s", strerror(err));
    unlink(tmp);
  }
  free(tmp);
  return ok ? 0 : -1;
}

/* ==== the command ============================================================ */

typedef struct PlotOptions {
  const char *input, *output, *title;
} PlotOptions;

static void plot_usage(FILE *out) {
  fputs("usage: mgc plot HISTORY.csv [-o OUT.svg] [--title TEXT]\n"
        "\n"
        "Draws the cost and the metrics of a training run, the CSV that a training\n"
        "program writes with --history FILE.csv, as an SVG picture.\n"
        "\n"
        "options:\n"
        "  -o FILE       write the SVG to FILE (default: HISTORY with .svg, - for stdout)\n"
        "  --title TEXT  the picture's title (default: the history's file name)\n"
        "  --help        print this help\n",
        out);
}

/* The value of an option given as "--opt VALUE" or "--opt=VALUE"; NULL if
   argv[*i] is not that option. */
static const char *option_value(int argc, char **argv, int *i, const char *name, int *missing) {
  size_t n = strlen(name);
  const char *a = argv[*i];
  if (strncmp(a, name, n) != 0)
    return NULL;
  if (a[n] == '=')
    return a + n + 1;
  if (a[n] != '\0')
    return NULL;
  if (*i + 1 >= argc) {
    *missing = 1;
    return NULL;
  }
  return argv[++*i];
}

/* Returns 0 to go on, 1 after --help, 2 on a usage error (reported). */
static int parse_plot_args(int argc, char **argv, PlotOptions *o) {
  memset(o, 0, sizeof *o);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    int missing = 0;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      plot_usage(stdout);
      return 1;
    } else if ((v = option_value(argc, argv, &i, "-o", &missing)) != NULL) {
      o->output = v;
    } else if ((v = option_value(argc, argv, &i, "--title", &missing)) != NULL) {
      o->title = v;
    } else if (missing) {
      fprintf(stderr, "mgc: error: %s needs a value (see mgc plot --help)\n", a);
      return 2;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "mgc: error: unknown plot option '%s' (see mgc plot --help)\n", a);
      return 2;
    } else if (o->input) {
      fprintf(stderr, "mgc: error: more than one history file ('%s' and '%s')\n", o->input, a);
      return 2;
    } else {
      o->input = a;
    }
  }
  if (!o->input) {
    fprintf(stderr, "mgc: error: no history file\n");
    plot_usage(stderr);
    return 2;
  }
  return 0;
}

static const char *file_name(const char *path) {
  const char *base = strrchr(path, '/');
  return base && base[1] ? base + 1 : path;
}

int plot_main(int argc, char **argv) {
  PlotOptions o;
  int rc = parse_plot_args(argc, argv, &o);
  if (rc)
    return rc == 1 ? 0 : 2;
  History h;
  if (read_history(o.input, &h) != 0) {
    history_free(&h);
    return 1;
  }
  char *made = o.output ? NULL : default_output(o.input);
  const char *output = o.output ? o.output : made;
  int status = 1;
  if (strcmp(output, "-") != 0 && same_file(o.input, output))
    plot_error(output, 0, "is the history itself: choose another output with -o");
  else if (write_output(output, &h, o.title ? o.title : file_name(o.input)) == 0)
    status = 0;
  free(made);
  history_free(&h);
  return status;
}
