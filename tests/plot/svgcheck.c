/*
** svgcheck.c — checks an SVG written by `mgc plot` against its history CSV,
** without a golden file and without an XML library:
**
**   svgcheck PLOT.svg HISTORY.csv
**
** 1. The SVG is well-formed XML: valid UTF-8 of XML characters, balanced and
**    properly nested tags, quoted and unique attributes, known entity
**    references only, one root element, and that root is <svg>.  A small
**    hand-written tokenizer does it, so the test needs nothing installed.
** 2. Each series of the CSV (cost and every metric) has exactly one
**    <polyline data-series="NAME"> whose points are as many as the series'
**    finite values, each inside the picture (the root's width and height).
**
** The CSV is read here with its own small reader, independent of plot.c,
** so that a bug in plot.c's reader cannot hide itself.  Exit status 0 when
** everything holds, 1 with a message naming the line otherwise.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define MAX_ATTRS 32
#define MAX_SERIES 256

typedef struct Attr {
  char name[64];
  char *value; /* references replaced by their characters */
} Attr;

typedef struct Polyline {
  char *series;
  long points;
} Polyline;

typedef struct Doc {
  const char *path;
  const char *text, *p, *end;
  int line;
  double width, height; /* the root's size, to check points against */
  Polyline poly[MAX_SERIES];
  int npoly;
} Doc;

static const char *svg_path;

_Noreturn static void fail(const char *path, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, line > 0 ? "svgcheck: %s:%d: " : "svgcheck: %s: ", path, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(1);
}

#define DOC_FAIL(d, ...) fail((d)->path, (d)->line, __VA_ARGS__)

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "svgcheck: cannot open %s\n", path);
    exit(1);
  }
  size_t cap = 1 << 16, n;
  char *buf = malloc(cap + 1);
  *len = 0;
  while (buf && (n = fread(buf + *len, 1, cap - *len, f)) > 0) {
    *len += n;
    if (*len == cap)
      buf = realloc(buf, (cap *= 2) + 1);
  }
  fclose(f);
  if (!buf) {
    fprintf(stderr, "svgcheck: out of memory\n");
    exit(1);
  }
  buf[*len] = '\0';
  return buf;
}

/* strdup is POSIX, not C11. */
static char *copy_string(const char *s) {
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (!c) {
    fprintf(stderr, "svgcheck: out of memory\n");
    exit(1);
  }
  return memcpy(c, s, n);
}

/* ---- characters ---- */

/* The length of the UTF-8 sequence at s with *cp its code point, 0 if it
   is invalid (bad bytes, overlong, surrogate, beyond U+10FFFF). */
static int utf8_char(const unsigned char *s, size_t n, unsigned long *cp) {
  int len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
          : s[0] >= 0xF0 && s[0] <= 0xF4                   ? 4
                                                           : 0;
  if (len == 0 || (size_t)len > n)
    return 0;
  unsigned long c = len == 1 ? s[0] : s[0] & (0x7Fu >> len);
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    c = c << 6 | (s[i] & 0x3Fu);
  }
  static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < least[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return len;
}

static int is_xml_char(unsigned long c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static void check_characters(Doc *d) {
  const unsigned char *s = (const unsigned char *)d->text;
  size_t n = (size_t)(d->end - d->text);
  d->line = 1;
  while (n > 0) {
    unsigned long cp;
    int len = utf8_char(s, n, &cp);
    if (len == 0)
      DOC_FAIL(d, "invalid UTF-8");
    if (!is_xml_char(cp))
      DOC_FAIL(d, "character U+%04lX is not allowed in XML", cp);
    d->line += cp == '\n';
    s += len;
    n -= (size_t)len;
  }
  d->line = 1;
}

/* ---- the tokenizer ---- */

static void advance(Doc *d, size_t n) {
  for (size_t i = 0; i < n && d->p < d->end; i++)
    d->line += *d->p++ == '\n';
}

static int starts(const Doc *d, const char *s) {
  size_t n = strlen(s);
  return (size_t)(d->end - d->p) >= n && memcmp(d->p, s, n) == 0;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void skip_space(Doc *d) {
  while (d->p < d->end && is_space(*d->p))
    advance(d, 1);
}

/* Names in SVG are ASCII: letters, digits and . - _ : (not first: digit . -). */
static int name_char(char c, int first) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':')
    return 1;
  return !first && ((c >= '0' && c <= '9') || c == '.' || c == '-');
}

static size_t read_name(Doc *d, char *out, size_t cap) {
  size_t n = 0;
  while (d->p + n < d->end && name_char(d->p[n], n == 0))
    n++;
  if (n == 0)
    DOC_FAIL(d, "expected a name at '%.10s'", d->p);
  if (n >= cap)
    DOC_FAIL(d, "name too long");
  memcpy(out, d->p, n);
  out[n] = '\0';
  advance(d, n);
  return n;
}

/* Appends the UTF-8 of code point c. */
static size_t put_utf8(char *out, unsigned long c) {
  if (c < 0x80) {
    out[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    out[0] = (char)(0xC0 | c >> 6);
    out[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | c >> 12);
    out[1] = (char)(0x80 | (c >> 6 & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | c >> 18);
  out[1] = (char)(0x80 | (c >> 12 & 0x3F));
  out[2] = (char)(0x80 | (c >> 6 & 0x3F));
  out[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

/* At '&': checks the reference (the five predefined entities or a
   character reference to an XML character; there is no DTD to define
   others), consumes it and writes its character to out (if not NULL).
   Returns the bytes written. */
static size_t read_reference(Doc *d, char *out) {
  static const char *const names[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
  static const char chars[] = "&<>\"'";
  advance(d, 1);
  for (int i = 0; i < 5; i++) {
    if (starts(d, names[i])) {
      advance(d, strlen(names[i]));
      if (out)
        out[0] = chars[i];
      return 1;
    }
  }
  if (!starts(d, "#"))
    DOC_FAIL(d, "unknown entity reference '&%.10s'", d->p);
  advance(d, 1);
  int hex = starts(d, "x");
  if (hex)
    advance(d, 1);
  unsigned long c = 0;
  int digits = 0;
  while (d->p < d->end && *d->p != ';') {
    char ch = *d->p;
    int v = ch >= '0' && ch <= '9' ? ch - '0'
          : hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
          : hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                            : -1;
    if (v < 0 || ++digits > 8)
      DOC_FAIL(d, "malformed character reference");
    c = c * (hex ? 16 : 10) + (unsigned long)v;
    advance(d, 1);
  }
  if (d->p >= d->end || digits == 0 || !is_xml_char(c))
    DOC_FAIL(d, "malformed character reference");
  advance(d, 1);
  return out ? put_utf8(out, c) : 0;
}

/* A quoted attribute value, references replaced; '<' is not allowed in it. */
static char *read_value(Doc *d) {
  if (d->p >= d->end || (*d->p != '"' && *d->p != '\''))
    DOC_FAIL(d, "attribute value not quoted");
  char quote = *d->p;
  advance(d, 1);
  const char *start = d->p;
  char *value = malloc((size_t)(d->end - start) + 1), *w = value;
  if (!value)
    DOC_FAIL(d, "out of memory");
  while (d->p < d->end && *d->p != quote) {
    if (*d->p == '<')
      DOC_FAIL(d, "'<' in an attribute value");
    if (*d->p == '&') {
      w += read_reference(d, w);
      continue;
    }
    *w++ = *d->p;
    advance(d, 1);
  }
  if (d->p >= d->end)
    DOC_FAIL(d, "unterminated attribute value");
  advance(d, 1);
  *w = '\0';
  return value;
}

/* Skips a comment, a processing instruction or a CDATA section at d->p;
   returns 0 when there is none. */
static int skip_special(Doc *d) {
  const char *close;
  if (starts(d, "<!--"))
    close = "-->";
  else if (starts(d, "<?"))
    close = "?>";
  else if (starts(d, "<![CDATA["))
    close = "]]>";
  else if (starts(d, "<!"))
    DOC_FAIL(d, "unexpected markup declaration (no DTD is expected)");
  else
    return 0;
  int comment = starts(d, "<!--");
  advance(d, comment ? 4 : 2);
  while (!starts(d, close)) {
    if (d->p >= d->end)
      DOC_FAIL(d, "unterminated '%s' section", close);
    if (comment && starts(d, "--"))
      DOC_FAIL(d, "'--' inside a comment");
    advance(d, 1);
  }
  advance(d, strlen(close));
  return 1;
}

/* Character data up to the next '<': references must be well-formed. */
static void skip_text(Doc *d, int depth) {
  while (d->p < d->end && *d->p != '<') {
    if (*d->p == '&') {
      read_reference(d, NULL);
      continue;
    }
    if (depth == 0 && !is_space(*d->p))
      DOC_FAIL(d, "text outside the root element");
    if (starts(d, "]]>"))
      DOC_FAIL(d, "']]>' in text");
    advance(d, 1);
  }
}

/* ---- polylines ---- */

static double parse_size(const Doc *d, const char *v) {
  char *end;
  double x = strtod(v, &end);
  if (end == v || x <= 0 || (*end && strcmp(end, "px") != 0))
    DOC_FAIL(d, "root size '%s' is not a number of pixels", v);
  return x;
}

/* Counts the points of a points="x,y x,y ..." list, checking each lies in
   the picture. */
static long count_points(const Doc *d, const char *s) {
  long numbers = 0;
  double prev = 0;
  while (*s) {
    if (is_space(*s) || *s == ',') {
      s++;
      continue;
    }
    char *end;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v))
      DOC_FAIL(d, "bad number in points at '%.12s'", s);
    if (numbers % 2 == 1) {
      if (prev < 0 || prev > d->width || v < 0 || v > d->height)
        DOC_FAIL(d, "point (%g, %g) lies outside the %gx%g picture", prev, v, d->width,
                 d->height);
    }
    prev = v;
    numbers++;
    s = end;
  }
  if (numbers % 2)
    DOC_FAIL(d, "odd number of coordinates in points");
  return numbers / 2;
}

static const char *attr(const Attr *a, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (strcmp(a[i].name, name) == 0)
      return a[i].value;
  return NULL;
}

static void on_start_tag(Doc *d, const char *name, Attr *a, int n, int depth) {
  if (depth == 0) {
    if (strcmp(name, "svg") != 0)
      DOC_FAIL(d, "the root element is <%s>, not <svg>", name);
    const char *ns = attr(a, n, "xmlns"), *w = attr(a, n, "width"), *h = attr(a, n, "height");
    if (!ns || strcmp(ns, "http://www.w3.org/2000/svg") != 0)
      DOC_FAIL(d, "<svg> lacks xmlns=\"http://www.w3.org/2000/svg\": browsers would not draw it");
    if (!w || !h)
      DOC_FAIL(d, "<svg> lacks width or height");
    d->width = parse_size(d, w);
    d->height = parse_size(d, h);
    return;
  }
  if (strcmp(name, "polyline") != 0)
    return;
  const char *series = attr(a, n, "data-series"), *points = attr(a, n, "points");
  if (!series || !points)
    DOC_FAIL(d, "<polyline> without data-series or points");
  if (d->npoly == MAX_SERIES)
    DOC_FAIL(d, "too many polylines");
  d->poly[d->npoly].series = copy_string(series);
  d->poly[d->npoly].points = count_points(d, points);
  d->npoly++;
}

/* ---- elements ---- */

/* At '<name': reads the attributes; returns 1 for an empty-element tag. */
static int read_start_tag(Doc *d, char *name, size_t cap, int depth) {
  Attr a[MAX_ATTRS];
  int n = 0, line = d->line;
  advance(d, 1);
  read_name(d, name, cap);
  for (;;) {
    int had_space = d->p < d->end && is_space(*d->p);
    skip_space(d);
    if (starts(d, "/>") || starts(d, ">"))
      break;
    if (d->p >= d->end)
      DOC_FAIL(d, "unterminated tag <%s>", name);
    if (!had_space)
      DOC_FAIL(d, "attributes of <%s> must be separated by white space", name);
    if (n == MAX_ATTRS)
      DOC_FAIL(d, "too many attributes");
    read_name(d, a[n].name, sizeof a[n].name);
    for (int i = 0; i < n; i++)
      if (strcmp(a[i].name, a[n].name) == 0)
        DOC_FAIL(d, "attribute '%s' repeated", a[n].name);
    skip_space(d);
    if (!starts(d, "="))
      DOC_FAIL(d, "attribute '%s' without a value", a[n].name);
    advance(d, 1);
    skip_space(d);
    a[n].value = read_value(d);
    n++;
  }
  int empty = starts(d, "/>");
  advance(d, empty ? 2 : 1);
  int end_line = d->line;
  d->line = line; /* report polyline problems where the tag starts */
  on_start_tag(d, name, a, n, depth);
  d->line = end_line;
  for (int i = 0; i < n; i++)
    free(a[i].value);
  return empty;
}

static void check_document(Doc *d) {
  char stack[MAX_DEPTH][64];
  int depth = 0, roots = 0;
  check_characters(d);
  if (starts(d, "\xEF\xBB\xBF"))
    advance(d, 3);
  for (;;) {
    skip_text(d, depth);
    if (d->p >= d->end)
      break;
    if (skip_special(d))
      continue;
    if (starts(d, "</")) {
      char name[64];
      advance(d, 2);
      read_name(d, name, sizeof name);
      skip_space(d);
      if (!starts(d, ">"))
        DOC_FAIL(d, "malformed end tag </%s", name);
      advance(d, 1);
      if (depth == 0 || strcmp(stack[depth - 1], name) != 0)
        DOC_FAIL(d, "</%s> does not close <%s>", name, depth ? stack[depth - 1] : "(nothing)");
      depth--;
      continue;
    }
    if (depth == 0 && roots++)
      DOC_FAIL(d, "a second root element");
    if (depth == MAX_DEPTH)
      DOC_FAIL(d, "elements nested too deeply");
    if (!read_start_tag(d, stack[depth], sizeof stack[depth], depth))
      depth++;
  }
  if (depth)
    DOC_FAIL(d, "<%s> is never closed", stack[depth - 1]);
  if (!roots)
    DOC_FAIL(d, "no root element");
}

/* ---- the history ---- */

typedef struct Series {
  char *name;
  long finite;
} Series;

/* Splits a line (modified in place) at commas; returns the field count. */
static int split(char *line, char **fields, int max) {
  int n = 0;
  for (char *s = line;; s++) {
    char *comma = strchr(s, ',');
    if (n < max)
      fields[n] = s;
    n++;
    if (!comma)
      break;
    *comma = '\0';
    s = comma;
  }
  return n;
}

/* Blanks around a field are not part of it (plot.c trims them too). */
static char *trim(char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    s[--n] = '\0';
  return s;
}

static void chomp(char *line) {
  size_t n = strlen(line);
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
    line[--n] = '\0';
}

/* The series of the CSV with how many finite values each has.  Returns
   the number of rows. */
static long read_history(const char *path, Series *series, int *nseries) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "svgcheck: cannot open %s\n", path);
    exit(1);
  }
  static char line[1 << 16];
  char *fields[MAX_SERIES + 1];
  int ncols = 0, lineno = 0;
  long rows = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    chomp(line);
    char *text = line;
    if (lineno == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
      text += 3;
    if (strspn(text, " \t") == strlen(text))
      continue;
    int n = split(text, fields, MAX_SERIES + 1);
    if (n > MAX_SERIES + 1)
      fail(path, lineno, "too many columns");
    if (ncols == 0) {
      ncols = n;
      for (int c = 1; c < n; c++)
        series[c - 1] = (Series){copy_string(trim(fields[c])), 0};
      continue;
    }
    if (n != ncols)
      fail(path, lineno, "expected %d fields", ncols);
    for (int c = 1; c < n; c++)
      series[c - 1].finite += isfinite(strtod(fields[c], NULL)) != 0;
    rows++;
  }
  fclose(f);
  *nseries = ncols - 1;
  return rows;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: svgcheck PLOT.svg HISTORY.csv\n");
    return 2;
  }
  svg_path = argv[1];
  /* static, like everything it points to: nothing to free before exit */
  static Doc doc;
  Doc *d = &doc;
  size_t len;
  d->path = argv[1];
  d->text = d->p = read_file(argv[1], &len);
  d->end = d->text + len;
  check_document(d);

  static Series series[MAX_SERIES];
  int nseries;
  long rows = read_history(argv[2], series, &nseries);
  if (d->npoly != nseries)
    fail(svg_path, 0, "%d polylines for the %d series of %s", d->npoly, nseries, argv[2]);
  for (int s = 0; s < nseries; s++) {
    int found = 0;
    for (int i = 0; i < d->npoly; i++) {
      if (strcmp(d->poly[i].series, series[s].name) != 0)
        continue;
      found++;
      if (d->poly[i].points != series[s].finite)
        fail(svg_path, 0, "series '%s' has %ld points, the CSV %ld finite values in %ld rows",
             series[s].name, d->poly[i].points, series[s].finite, rows);
    }
    if (found != 1)
      fail(svg_path, 0, "%d polylines for series '%s', expected 1", found, series[s].name);
    printf("svgcheck: %s: %ld points (%ld rows)\n", series[s].name, series[s].finite, rows);
  }
  printf("svgcheck: %s: well-formed, %d series as in %s\n", svg_path, nseries, argv[2]);
  return 0;
}
