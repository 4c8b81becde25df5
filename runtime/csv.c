/*
** csv.c — loading a .mg `csv(...)` data source, plus the helpers shared by
** all file-based sources (mgrt_path_join, mgrt_array_free).
**
** The behaviour follows numpy.loadtxt, which the lessons the .mg language
** replaces call as `np.loadtxt(path, delimiter=',', dtype=np.float32)` and
** then slice: '#' starts a comment, blank lines are skipped, every row must
** have as many fields as the first one, and every field must be a number.
** Errors name the file and the physical line so that a user can open the file
** at the bad row; see docs/data.md.
*/
#define _POSIX_C_SOURCE 200809L

#include "mgrt.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
** Shared helpers
** ---------------------------------------------------------------------- */

void mgrt_array_free(mgrt_array *a) {
  if (a == NULL) return;
  free(a->f32);
  free(a->i64);
  a->f32 = NULL;
  a->i64 = NULL;
  a->rows = 0;
  a->cols = 0;
}

char *mgrt_path_join(const char *data_dir, const char *path) {
  if (path == NULL) {
    mgrt_set_error("no path given");
    return NULL;
  }
  /* Absolute paths and an empty base keep the path as written, so messages
     show what the user typed. */
  int keep = path[0] == '/' || data_dir == NULL || data_dir[0] == '\0';
  size_t dir_len = keep ? 0 : strlen(data_dir);
  int need_slash = !keep && data_dir[dir_len - 1] != '/';
  size_t path_len = strlen(path);
  char *joined = malloc(dir_len + (size_t)need_slash + path_len + 1);
  if (joined == NULL) {
    mgrt_set_error("%s: out of memory", path);
    return NULL;
  }
  if (dir_len > 0) memcpy(joined, data_dir, dir_len);
  if (need_slash) joined[dir_len] = '/';
  memcpy(joined + dir_len + (size_t)need_slash, path, path_len + 1);
  return joined;
}

/* ------------------------------------------------------------------------
** Reader state
** ---------------------------------------------------------------------- */

/* Where one input's values go while the file is read. */
typedef struct csv_sink {
  const mgrt_csv_column *spec;
  int64_t first;       /* first selected field (0-based), after resolution */
  int64_t count;       /* number of selected fields */
  void *data;          /* float or int64_t, rows x count */
  size_t cap_rows;
} csv_sink;

typedef struct csv_reader {
  const char *path;    /* joined path, for messages */
  const mgrt_csv_spec *spec;
  FILE *fp;
  char *line;          /* getline's buffer: no limit on line length */
  size_t line_cap;
  int64_t line_no;     /* 1-based physical line of `line` */
  char **fields;       /* the current row, split in place */
  size_t n_fields, fields_cap;
  double *values;      /* the current row's fields as numbers */
  int64_t n_cols;      /* fields per row, fixed by the first data row */
  int64_t rows;
  csv_sink *sinks;
} csv_reader;

/* Blanks that may surround a field (numpy strips whitespace around fields). */
static int csv_is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* A short, printable excerpt of a field for messages: binary garbage must not
   reach the terminal, and a huge field must not fill the message. */
static const char *csv_excerpt(const char *text, char *buf, size_t size) {
  enum { MAX_SHOWN = 40 };
  size_t out = 0;
  size_t i = 0;
  for (; text[i] != '\0' && i < MAX_SHOWN && out + 5 < size; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c >= 0x20 && c < 0x7f && c != '\'') {
      buf[out++] = (char)c;
    } else {
      out += (size_t)snprintf(buf + out, size - out, "\\x%02x", c);
    }
  }
  if (text[i] != '\0' && out + 4 < size) {
    memcpy(buf + out, "...", 3);
    out += 3;
  }
  buf[out] = '\0';
  return buf;
}

/* "cols(0:-1)", "cols(:3)", "cols(-1)": the slice as the .mg file wrote it. */
static const char *csv_slice_text(const mgrt_csv_column *c, char *buf, size_t size) {
  if (c->single) {
    snprintf(buf, size, "cols(%" PRId64 ")", c->start);
    return buf;
  }
  char start[24] = "", stop[24] = "";
  if (c->has_start) snprintf(start, sizeof start, "%" PRId64, c->start);
  if (c->has_stop) snprintf(stop, sizeof stop, "%" PRId64, c->stop);
  snprintf(buf, size, "cols(%s:%s)", start, stop);
  return buf;
}

/* ------------------------------------------------------------------------
** Numbers
** ---------------------------------------------------------------------- */

static int csv_word_is(const char *s, const char *word) {
  for (; *word != '\0'; s++, word++) {
    char c = *s;
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != *word) return 0;
  }
  return *s == '\0';
}

/* Parses a whole field as a number the way Python's float() does: decimal
   notation, or nan/inf/infinity.  strtod alone would also take hex floats
   and "nan(...)", which numpy rejects. */
static int csv_number_parse(const char *text, double *out) {
  const char *p = text + (text[0] == '+' || text[0] == '-');
  int special = csv_word_is(p, "nan") || csv_word_is(p, "inf") ||
                csv_word_is(p, "infinity");
  if (!special && (*p == '\0' || p[strspn(p, "0123456789.eE+-")] != '\0'))
    return -1;
  char *end;
  errno = 0;
  *out = strtod(text, &end);
  /* ERANGE is fine: overflow gives inf and underflow 0 or a denormal, as in
     numpy. */
  return (end != text && *end == '\0') ? 0 : -1;
}

/* double -> float32 with IEEE round-to-nearest-even, written out so that the
   out-of-range case (undefined behaviour in ISO C) is explicit: from
   2^128 - 2^103 on, a double rounds to infinity. */
static float csv_to_float(double d) {
  const double limit = 0x1p128 - 0x1p103;
  if (d >= limit) return (float)INFINITY;
  if (d <= -limit) return -(float)INFINITY;
  return (float)d;
}

/* A whole number for an i64 input: "3" and "3.0" are fine, "3.5" is not.
   Plain integers are parsed exactly (beyond 2^53 a double would round). */
static int csv_whole_parse(const char *text, double as_double, int64_t *out) {
  const char *p = text + (text[0] == '+' || text[0] == '-');
  if (*p != '\0' && p[strspn(p, "0123456789")] == '\0') {
    errno = 0;
    long long v = strtoll(text, NULL, 10);
    if (errno == ERANGE) return -2;
    *out = (int64_t)v;
    return 0;
  }
  if (!isfinite(as_double) || as_double != trunc(as_double)) return -1;
  if (as_double < -0x1p63 || as_double >= 0x1p63) return -2;
  *out = (int64_t)as_double;
  return 0;
}

/* ------------------------------------------------------------------------
** Lines and fields
** ---------------------------------------------------------------------- */

/* Reads the next physical line.  Returns 1 for a line, 0 at the end of the
   file, -1 on error (message set). */
static int csv_line_read(csv_reader *r, size_t *len) {
  errno = 0;
  ssize_t n = getline(&r->line, &r->line_cap, r->fp);
  if (n < 0) {
    int err = errno;
    if (ferror(r->fp)) {
      mgrt_set_error("%s: cannot read: %s", r->path, strerror(err ? err : EIO));
      return -1;
    }
    if (err == ENOMEM) {
      mgrt_set_error("%s:%" PRId64 ": out of memory", r->path, r->line_no + 1);
      return -1;
    }
    return 0;
  }
  r->line_no++;
  *len = (size_t)n;
  if (memchr(r->line, '\0', *len) != NULL) {
    mgrt_set_error("%s:%" PRId64 ": contains a NUL byte (is this a binary file?)",
                   r->path, r->line_no);
    return -1;
  }
  return 1;
}

/* Cuts a comment, the line end and surrounding blanks.  Returns the start of
   the content (NUL-terminated), or NULL for a line with no data. */
static char *csv_line_content(char *line, size_t len, int first_line) {
  /* A UTF-8 byte order mark, as spreadsheet exports write, is not data. */
  if (first_line && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
    line += 3;
    len -= 3;
  }
  char *hash = memchr(line, '#', len);
  if (hash != NULL) len = (size_t)(hash - line);
  while (len > 0 && (line[len - 1] == '\n' || csv_is_blank(line[len - 1]))) len--;
  line[len] = '\0';
  while (csv_is_blank(*line)) line++;
  return *line == '\0' ? NULL : line;
}

static int csv_field_push(csv_reader *r, char *field) {
  if (r->n_fields == r->fields_cap) {
    size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
    char **grown = realloc(r->fields, cap * sizeof *grown);
    if (grown == NULL) return -1;
    r->fields = grown;
    r->fields_cap = cap;
  }
  r->fields[r->n_fields++] = field;
  return 0;
}

/* Splits content (already trimmed) into fields in place, trimming each.  A
   blank delimiter (' ' or '\t') means runs of blanks, like numpy's default
   delimiter=None. */
static int csv_line_split(csv_reader *r, char *content) {
  char delim = r->spec->delimiter ? r->spec->delimiter : ',';
  int by_blanks = csv_is_blank(delim);
  r->n_fields = 0;
  char *p = content;
  for (;;) {
    while (csv_is_blank(*p)) p++;
    char *start = p;
    while (*p != '\0' && (by_blanks ? !csv_is_blank(*p) : *p != delim)) p++;
    char *end = p;
    while (end > start && csv_is_blank(end[-1])) end--;
    int more = *p != '\0';
    *end = '\0';
    if (csv_field_push(r, start) != 0) {
      mgrt_set_error("%s:%" PRId64 ": out of memory", r->path, r->line_no);
      return -1;
    }
    if (!more) return 0;
    p++;
    if (by_blanks) {
      while (csv_is_blank(*p)) p++;
      if (*p == '\0') return 0;
    }
  }
}

/* ------------------------------------------------------------------------
** Columns
** ---------------------------------------------------------------------- */

/* Python slice bounds: negative counts from the end, then clamp to the row. */
static int64_t csv_slice_bound(int64_t v, int64_t n) {
  if (v < 0) v += n;
  if (v < 0) return 0;
  return v > n ? n : v;
}

/* Turns one input's slice into concrete fields once the first data row has
   fixed the number of fields, and checks it against the declared width. */
static int csv_sink_resolve(csv_reader *r, csv_sink *s) {
  const mgrt_csv_column *c = s->spec;
  char slice[64];
  const char *name = c->input ? c->input : "?";
  /* The width negative indices count from: the row's, or a training row's
     when a predict file may lack the columns after those it reads. */
  int64_t width = r->spec->row_width > 0 ? r->spec->row_width : r->n_cols;
  if (c->single) {
    int64_t k = c->start < 0 ? c->start + width : c->start;
    if (k < 0 || k >= r->n_cols) {
      mgrt_set_error("%s:%" PRId64 ": input %s: %s is outside the %" PRId64
                     " columns of the file",
                     r->path, r->line_no, name, csv_slice_text(c, slice, sizeof slice),
                     r->n_cols);
      return -1;
    }
    s->first = k;
    s->count = 1;
  } else {
    int64_t start = c->has_start ? csv_slice_bound(c->start, width) : 0;
    int64_t stop = c->has_stop ? csv_slice_bound(c->stop, width) : width;
    s->first = start;
    s->count = stop > start ? stop - start : 0;
    if (stop > r->n_cols && s->count == c->width) {
      mgrt_set_error("%s:%" PRId64 ": input %s: %s reads columns %" PRId64 " to %" PRId64
                     ", but the file has %" PRId64 " column%s",
                     r->path, r->line_no, name, csv_slice_text(c, slice, sizeof slice),
                     start + 1, stop, r->n_cols, r->n_cols == 1 ? "" : "s");
      return -1;
    }
  }
  if (s->count != c->width) {
    mgrt_set_error("%s:%" PRId64 ": input %s: %s selects %" PRId64
                   " column%s of the file's %" PRId64 ", but its type wants %" PRId64,
                   r->path, r->line_no, name, csv_slice_text(c, slice, sizeof slice),
                   s->count, s->count == 1 ? "" : "s", r->n_cols, c->width);
    return -1;
  }
  return 0;
}

/* Room for one more row in a sink, doubling so that loading is linear. */
static int csv_sink_grow(csv_sink *s, size_t rows_needed) {
  if (rows_needed <= s->cap_rows) return 0;
  size_t elem = s->spec->dtype == MGRT_F32 ? sizeof(float) : sizeof(int64_t);
  size_t row_bytes = (size_t)s->count * elem;
  size_t cap = s->cap_rows ? s->cap_rows * 2 : 64;
  if (row_bytes > 0 && cap > SIZE_MAX / row_bytes) return -1;
  void *grown = realloc(s->data, row_bytes > 0 ? cap * row_bytes : 1);
  if (grown == NULL) return -1;
  s->data = grown;
  s->cap_rows = cap;
  return 0;
}

/* Converts one field for an i64 input, with its range check. */
static int csv_label_convert(csv_reader *r, const mgrt_csv_column *c, int64_t j,
                             int64_t *out) {
  char shown[200];
  const char *text = r->fields[j];
  int rc = csv_whole_parse(text, r->values[j], out);
  if (rc != 0) {
    mgrt_set_error("%s:%" PRId64 ": column %" PRId64 ": '%s' is %s for input %s (i64)",
                   r->path, r->line_no, j + 1, csv_excerpt(text, shown, sizeof shown),
                   rc == -1 ? "not a whole number" : "out of range",
                   c->input ? c->input : "?");
    return -1;
  }
  if (c->num_classes > 0 && (*out < 0 || *out >= c->num_classes)) {
    mgrt_set_error("%s:%" PRId64 ": column %" PRId64 ": label %" PRId64
                   " is outside [0, %" PRId64 ") for input %s",
                   r->path, r->line_no, j + 1, *out, c->num_classes,
                   c->input ? c->input : "?");
    return -1;
  }
  return 0;
}

/* Appends the current row's selected fields to one sink. */
static int csv_sink_store(csv_reader *r, csv_sink *s) {
  if (csv_sink_grow(s, (size_t)r->rows + 1) != 0) {
    mgrt_set_error("%s:%" PRId64 ": out of memory", r->path, r->line_no);
    return -1;
  }
  size_t base = (size_t)r->rows * (size_t)s->count;
  for (int64_t k = 0; k < s->count; k++) {
    int64_t j = s->first + k;
    if (s->spec->dtype == MGRT_F32) {
      ((float *)s->data)[base + (size_t)k] = csv_to_float(r->values[j]);
    } else if (csv_label_convert(r, s->spec, j, (int64_t *)s->data + base + (size_t)k) != 0) {
      return -1;
    }
  }
  return 0;
}

/* ------------------------------------------------------------------------
** Rows
** ---------------------------------------------------------------------- */

/* The first data row fixes the row width. */
static int csv_first_row(csv_reader *r) {
  r->n_cols = (int64_t)r->n_fields;
  r->values = malloc(r->n_fields * sizeof *r->values);
  if (r->values == NULL) {
    mgrt_set_error("%s:%" PRId64 ": out of memory", r->path, r->line_no);
    return -1;
  }
  return 0;
}

/* Every field must be a number, selected or not, as with np.loadtxt
   followed by slicing. */
static int csv_row_parse(csv_reader *r) {
  for (size_t j = 0; j < r->n_fields; j++) {
    if (csv_number_parse(r->fields[j], &r->values[j]) != 0) {
      char shown[200];
      mgrt_set_error("%s:%" PRId64 ": column %zu: '%s' is not a number", r->path,
                     r->line_no, j + 1, csv_excerpt(r->fields[j], shown, sizeof shown));
      return -1;
    }
  }
  return 0;
}

/* Checks and stores one data row (already split into fields). */
static int csv_row_add(csv_reader *r) {
  if (r->rows == 0 && csv_first_row(r) != 0) return -1;
  if ((int64_t)r->n_fields != r->n_cols) {
    mgrt_set_error("%s:%" PRId64 ": expected %" PRId64 " columns, found %zu",
                   r->path, r->line_no, r->n_cols, r->n_fields);
    return -1;
  }
  if (csv_row_parse(r) != 0) return -1;
  /* Slices are resolved once the first row is known to be data at all, so
     that a file of garbage says so rather than complaining about widths. */
  if (r->rows == 0)
    for (int i = 0; i < r->spec->n_columns; i++)
      if (csv_sink_resolve(r, &r->sinks[i]) != 0) return -1;
  for (int i = 0; i < r->spec->n_columns; i++)
    if (csv_sink_store(r, &r->sinks[i]) != 0) return -1;
  r->rows++;
  return 0;
}

/* Reads every line of the open file. */
static int csv_rows_read(csv_reader *r) {
  size_t len;
  int rc;
  while ((rc = csv_line_read(r, &len)) > 0) {
    if (r->line_no <= r->spec->skip_header) continue;
    char *content = csv_line_content(r->line, len, r->line_no == 1);
    if (content == NULL) continue;
    if (csv_line_split(r, content) != 0 || csv_row_add(r) != 0) return -1;
  }
  if (rc < 0) return -1;
  if (r->rows == 0) {
    if (r->spec->skip_header > 0)
      mgrt_set_error("%s: no data rows (after skipping %" PRId64 " header line%s)",
                     r->path, r->spec->skip_header, r->spec->skip_header == 1 ? "" : "s");
    else
      mgrt_set_error("%s: no data rows", r->path);
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------------
** Entry point
** ---------------------------------------------------------------------- */

static int csv_spec_check(const mgrt_csv_spec *spec) {
  const char *path = spec && spec->path ? spec->path : "(null)";
  if (spec == NULL || spec->path == NULL) {
    mgrt_set_error("csv: no file given");
    return -1;
  }
  if (spec->n_columns < 0 || (spec->n_columns > 0 && spec->columns == NULL)) {
    mgrt_set_error("%s: bad column list", path);
    return -1;
  }
  if (spec->skip_header < 0) {
    mgrt_set_error("%s: skip_header must be >= 0, not %" PRId64, path, spec->skip_header);
    return -1;
  }
  return 0;
}

/* Hands each sink's buffer to the caller, trimmed to size. */
static void csv_output_take(csv_reader *r, mgrt_array *out) {
  for (int i = 0; i < r->spec->n_columns; i++) {
    csv_sink *s = &r->sinks[i];
    size_t elem = s->spec->dtype == MGRT_F32 ? sizeof(float) : sizeof(int64_t);
    size_t bytes = (size_t)r->rows * (size_t)s->count * elem;
    /* Doubling left up to half the buffer unused; give it back if we can. */
    void *shrunk = bytes > 0 ? realloc(s->data, bytes) : NULL;
    if (shrunk != NULL) s->data = shrunk;
    out[i].rows = r->rows;
    out[i].cols = s->count;
    if (s->spec->dtype == MGRT_F32)
      out[i].f32 = s->data;
    else
      out[i].i64 = s->data;
    s->data = NULL;
  }
}

static void csv_reader_close(csv_reader *r) {
  if (r->sinks != NULL)
    for (int i = 0; i < r->spec->n_columns; i++) free(r->sinks[i].data);
  free(r->sinks);
  free(r->values);
  free(r->fields);
  free(r->line);
  if (r->fp != NULL) fclose(r->fp);
  free((char *)r->path);
}

static int csv_reader_open(csv_reader *r, const mgrt_csv_spec *spec, const char *data_dir) {
  memset(r, 0, sizeof *r);
  r->spec = spec;
  char *path = mgrt_path_join(data_dir, spec->path);
  if (path == NULL) return -1;
  r->path = path;
  r->sinks = calloc((size_t)spec->n_columns + 1, sizeof *r->sinks);
  if (r->sinks == NULL) {
    mgrt_set_error("%s: out of memory", path);
    return -1;
  }
  for (int i = 0; i < spec->n_columns; i++) r->sinks[i].spec = &spec->columns[i];
  r->fp = fopen(path, "rb");
  if (r->fp == NULL) {
    mgrt_set_error("%s: cannot open: %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

int mgrt_csv_read(const mgrt_csv_spec *spec, const char *data_dir, mgrt_array *out) {
  if (csv_spec_check(spec) != 0) return 1;
  /* Nothing is handed out unless the whole file loads. */
  for (int i = 0; i < spec->n_columns; i++) memset(&out[i], 0, sizeof out[i]);
  csv_reader r;
  int ok = csv_reader_open(&r, spec, data_dir) == 0 && csv_rows_read(&r) == 0;
  if (ok) csv_output_take(&r, out);
  csv_reader_close(&r);
  return ok ? 0 : 1;
}
