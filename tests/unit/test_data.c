/*
** test_data.c — unit tests for libmgrt's error channel and data loading
** (runtime/error.c, runtime/csv.c, runtime/idx.c).
**
** Writes small files into a temporary directory (argv[1] if given, else a
** fresh mkdtemp directory under /tmp), loads them, and checks both the values
** of good loads and the text of every error, since the error messages are
** what a user sees when their data is wrong.  Ends with "N passed, N failed"
** and exits 0 only if nothing failed.  Meant to run under ASan/UBSan too:
** failed loads must leave nothing allocated.
*/
#define _POSIX_C_SOURCE 200809L

#include "mgrt.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static int passed, failed;
static char dir[1024];

/* ------------------------------------------------------------------------
** Checking
** ---------------------------------------------------------------------- */

static void check_at(int ok, int line, const char *what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    fprintf(stderr, "test_data.c:%d: FAILED: %s\n", line, what);
  }
}
#define CHECK(cond) check_at((cond) != 0, __LINE__, #cond)

/* Checks that the last error contains the expected text (printf-style, so
   that the temporary directory can be part of it). */
static void check_error_at(int line, int rc, const char *fmt, ...) {
  char want[8192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(want, sizeof want, fmt, ap);
  va_end(ap);
  int ok = rc != 0 && strstr(mgrt_last_error(), want) != NULL;
  if (!ok)
    fprintf(stderr, "test_data.c:%d: rc %d, error \"%s\"\n    does not contain \"%s\"\n",
            line, rc, mgrt_last_error(), want);
  check_at(ok, line, want);
}
#define CHECK_ERROR(rc, ...) check_error_at(__LINE__, (rc), __VA_ARGS__)

static int array_is_empty(const mgrt_array *a) {
  return a->f32 == NULL && a->i64 == NULL && a->rows == 0 && a->cols == 0;
}

/* ------------------------------------------------------------------------
** Files
** ---------------------------------------------------------------------- */

static const char *path_of(const char *name) {
  static char buf[2048];
  snprintf(buf, sizeof buf, "%s/%s", dir, name);
  return buf;
}

static void file_write(const char *name, const void *data, size_t len) {
  FILE *fp = fopen(path_of(name), "wb");
  if (fp == NULL || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
    fprintf(stderr, "test_data: cannot write %s: %s\n", path_of(name), strerror(errno));
    exit(1);
  }
}

static void text_write(const char *name, const char *text) {
  file_write(name, text, strlen(text));
}

static void gz_write(const char *name, const void *data, size_t len) {
  gzFile gz = gzopen(path_of(name), "wb");
  if (gz == NULL || gzwrite(gz, data, (unsigned)len) != (int)len || gzclose(gz) != Z_OK) {
    fprintf(stderr, "test_data: cannot write %s\n", path_of(name));
    exit(1);
  }
}

/* Reads a whole file, for corrupting copies of it. */
static unsigned char *file_read(const char *name, size_t *len) {
  FILE *fp = fopen(path_of(name), "rb");
  if (fp == NULL) exit(1);
  unsigned char *buf = malloc(1 << 20);
  *len = fread(buf, 1, 1 << 20, fp);
  fclose(fp);
  return buf;
}

/* ------------------------------------------------------------------------
** CSV helpers
** ---------------------------------------------------------------------- */

static mgrt_csv_column col_slice(const char *input, mgrt_dtype dtype, int has_start,
                                 int64_t start, int has_stop, int64_t stop, int64_t width) {
  mgrt_csv_column c = {input, dtype, start, stop, has_start, has_stop, 0, width, 0};
  return c;
}

static mgrt_csv_column col_one(const char *input, mgrt_dtype dtype, int64_t k,
                               int64_t num_classes) {
  mgrt_csv_column c = {input, dtype, k, 0, 0, 0, 1, 1, num_classes};
  return c;
}

/* Loads `name` from the test directory (a relative path joined to data_dir). */
static int csv_load(const char *name, char delim, int64_t skip, int n,
                    const mgrt_csv_column *cols, mgrt_array *out) {
  mgrt_csv_spec spec = {name, delim, skip, n, cols, 0};
  return mgrt_csv_read(&spec, dir, out);
}

/* x = cols(0:-1) with width wx, y = cols(-1) as f32. */
static int csv_load_xy(const char *name, int64_t wx, mgrt_array out[2]) {
  mgrt_csv_column cols[2] = {col_slice("x", MGRT_F32, 1, 0, 1, -1, wx),
                             col_one("y", MGRT_F32, -1, 0)};
  return csv_load(name, ',', 0, 2, cols, out);
}

static void arrays_free(mgrt_array *a, int n) {
  for (int i = 0; i < n; i++) mgrt_array_free(&a[i]);
}

/* ------------------------------------------------------------------------
** Errors and paths
** ---------------------------------------------------------------------- */

static void test_error_channel(void) {
  mgrt_set_error("%s:%d: %s", "f.csv", 12, "bad");
  CHECK(strcmp(mgrt_last_error(), "f.csv:12: bad") == 0);
  /* The message may be built from the previous one. */
  mgrt_set_error("while loading: %s", mgrt_last_error());
  CHECK(strcmp(mgrt_last_error(), "while loading: f.csv:12: bad") == 0);

  /* mgrt_report_error writes one line to stderr: capture it in a file. */
  fflush(stderr);
  int saved = dup(2);
  FILE *tmp = fopen(path_of("stderr.txt"), "w+");
  CHECK(saved >= 0 && tmp != NULL);
  if (saved < 0 || tmp == NULL) return;
  dup2(fileno(tmp), 2);
  mgrt_report_error("train", "data/x.csv:3: expected 9 columns, found 8");
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  char line[256] = "";
  rewind(tmp);
  size_t n = fread(line, 1, sizeof line - 1, tmp);
  line[n] = '\0';
  fclose(tmp);
  CHECK(strcmp(line, "train: error: data/x.csv:3: expected 9 columns, found 8\n") == 0);
}

static void check_join(const char *d, const char *p, const char *want, int line) {
  char *got = mgrt_path_join(d, p);
  check_at(got != NULL && strcmp(got, want) == 0, line, want);
  free(got);
}

static void test_path_join(void) {
  check_join(NULL, "a.csv", "a.csv", __LINE__);
  check_join("", "a.csv", "a.csv", __LINE__);
  check_join("data", "a.csv", "data/a.csv", __LINE__);
  check_join("data/", "sub/a.csv", "data/sub/a.csv", __LINE__);
  check_join("data", "/abs/a.csv", "/abs/a.csv", __LINE__);
  CHECK(mgrt_path_join("data", NULL) == NULL);
}

/* ------------------------------------------------------------------------
** CSV: good files
** ---------------------------------------------------------------------- */

static void test_csv_basic(void) {
  mgrt_array out[2];
  text_write("basic.csv", "1,2,3\n4,5,6.5\n");
  CHECK(csv_load_xy("basic.csv", 2, out) == 0);
  CHECK(out[0].rows == 2 && out[0].cols == 2 && out[0].f32 && !out[0].i64);
  CHECK(out[1].rows == 2 && out[1].cols == 1 && out[1].f32 && !out[1].i64);
  if (out[0].f32 && out[1].f32) {
    CHECK(out[0].f32[0] == 1 && out[0].f32[1] == 2 && out[0].f32[2] == 4 && out[0].f32[3] == 5);
    CHECK(out[1].f32[0] == 3 && out[1].f32[1] == 6.5f);
  }
  arrays_free(out, 2);
  CHECK(array_is_empty(&out[0]) && array_is_empty(&out[1]));
}

static void test_csv_skipping(void) {
  /* Comments (whole-line and trailing), blank and blank-looking lines, CRLF,
     blanks around fields, and no newline at the end. */
  mgrt_array out[2];
  text_write("skip.csv", "# x1,x2,y\n\n 1 , 2 ,3\r\n  \t \r\n   # indented comment\n"
                         "4,5,6 # trailing comment\r\n\r\n7,\t8,9");
  CHECK(csv_load_xy("skip.csv", 2, out) == 0);
  CHECK(out[0].rows == 3 && out[1].rows == 3);
  if (out[0].f32 && out[1].f32 && out[0].rows == 3) {
    CHECK(out[0].f32[0] == 1 && out[0].f32[5] == 8);
    CHECK(out[1].f32[0] == 3 && out[1].f32[1] == 6 && out[1].f32[2] == 9);
  }
  arrays_free(out, 2);
}

static void test_csv_skip_header_and_delimiter(void) {
  mgrt_array out[2];
  mgrt_csv_column cols[2] = {col_slice("x", MGRT_F32, 1, 0, 1, -1, 1),
                             col_one("y", MGRT_F32, -1, 0)};
  /* The header is not a number and is not a comment: skip_header must skip
     it, counted in physical lines. */
  text_write("header.csv", "a;b\n# note\n1;2\n3;4\n");
  CHECK(csv_load("header.csv", ';', 1, 2, cols, out) == 0);
  CHECK(out[0].rows == 2 && out[0].f32 && out[0].f32[1] == 3 && out[1].f32[1] == 4);
  arrays_free(out, 2);
  /* Without skip_header the same file fails on line 1. */
  CHECK_ERROR(csv_load("header.csv", ';', 0, 2, cols, out),
              "%s:1: column 1: 'a' is not a number", path_of("header.csv"));
  /* Skipping past the header lines counts from the top of the file. */
  CHECK(csv_load("header.csv", ';', 3, 2, cols, out) == 0 && out[0].rows == 1);
  arrays_free(out, 2);
  CHECK_ERROR(csv_load("header.csv", ';', 4, 2, cols, out),
              "%s: no data rows (after skipping 4 header lines)", path_of("header.csv"));
}

static void test_csv_slices(void) {
  text_write("wide.csv", "0,1,2,3,4\n10,11,12,13,14\n");
  mgrt_array out[5];
  mgrt_csv_column cols[5] = {
      col_slice("a", MGRT_F32, 1, 1, 0, 0, 4),    /* cols(1:) */
      col_slice("b", MGRT_F32, 0, 0, 1, 2, 2),    /* cols(:2) */
      col_slice("c", MGRT_F32, 1, -2, 0, 0, 2),   /* cols(-2:) */
      col_one("d", MGRT_F32, 0, 0),               /* cols(0) */
      col_slice("e", MGRT_F32, 1, -3, 1, -1, 2),  /* cols(-3:-1) */
  };
  CHECK(csv_load("wide.csv", ',', 0, 5, cols, out) == 0);
  if (out[0].f32) {
    CHECK(out[0].cols == 4 && out[0].f32[0] == 1 && out[0].f32[7] == 14);
    CHECK(out[1].cols == 2 && out[1].f32[1] == 1 && out[1].f32[2] == 10);
    CHECK(out[2].cols == 2 && out[2].f32[0] == 3 && out[2].f32[3] == 14);
    CHECK(out[3].cols == 1 && out[3].f32[0] == 0 && out[3].f32[1] == 10);
    CHECK(out[4].cols == 2 && out[4].f32[0] == 2 && out[4].f32[3] == 13);
  }
  arrays_free(out, 5);

  /* A whole-row slice cols(:) and an over-long stop clamp like Python. */
  mgrt_csv_column all[2] = {col_slice("x", MGRT_F32, 0, 0, 0, 0, 5),
                            col_slice("z", MGRT_F32, 1, 3, 1, 100, 2)};
  CHECK(csv_load("wide.csv", ',', 0, 2, all, out) == 0);
  CHECK(out[0].cols == 5 && out[1].cols == 2 && out[1].f32 && out[1].f32[3] == 14);
  arrays_free(out, 2);
}

static void test_csv_labels(void) {
  text_write("labels.csv", "0.5,0\n1.5,2.0\n2.5,+1\n3.5,9007199254740993\n");
  mgrt_array out[2];
  mgrt_csv_column cols[2] = {col_one("x", MGRT_F32, 0, 0), col_one("y", MGRT_I64, -1, 0)};
  CHECK(csv_load("labels.csv", ',', 0, 2, cols, out) == 0);
  CHECK(out[1].i64 != NULL && out[1].f32 == NULL && out[1].rows == 4 && out[1].cols == 1);
  if (out[1].i64) {
    CHECK(out[1].i64[0] == 0 && out[1].i64[1] == 2 && out[1].i64[2] == 1);
    /* 2^53 + 1: parsed exactly, not through a double. */
    CHECK(out[1].i64[3] == INT64_C(9007199254740993));
  }
  arrays_free(out, 2);

  /* In range with num_classes. */
  text_write("labels3.csv", "1,0\n1,2\n1,1\n");
  cols[1] = col_one("y", MGRT_I64, 1, 3);
  CHECK(csv_load("labels3.csv", ',', 0, 2, cols, out) == 0);
  CHECK(out[1].i64 && out[1].i64[1] == 2);
  arrays_free(out, 2);
}

static void test_csv_numbers(void) {
  /* f32 is the double rounded to float, as numpy's float64 -> float32. */
  text_write("num.csv", "0.1,-2.5e-3,1e39,-1e39,nan,inf,-Infinity,1e-50,16777217\n");
  mgrt_array out[1];
  mgrt_csv_column cols[1] = {col_slice("x", MGRT_F32, 0, 0, 0, 0, 9)};
  CHECK(csv_load("num.csv", ',', 0, 1, cols, out) == 0);
  float *v = out[0].f32;
  if (v) {
    CHECK(v[0] == (float)0.1 && v[1] == (float)-2.5e-3);
    CHECK(isinf(v[2]) && v[2] > 0 && isinf(v[3]) && v[3] < 0);
    CHECK(isnan(v[4]) && isinf(v[5]) && isinf(v[6]) && v[6] < 0);
    CHECK(v[7] == 0.0f && v[8] == 16777216.0f);
  }
  arrays_free(out, 1);
}

static void test_csv_whitespace_delimiter_and_bom(void) {
  mgrt_array out[2];
  mgrt_csv_column cols[2] = {col_slice("x", MGRT_F32, 1, 0, 1, -1, 2),
                             col_one("y", MGRT_F32, -1, 0)};
  text_write("ws.txt", "  1   2\t3\n4 5 6  \n");
  CHECK(csv_load("ws.txt", ' ', 0, 2, cols, out) == 0);
  CHECK(out[0].rows == 2 && out[1].f32 && out[1].f32[0] == 3 && out[1].f32[1] == 6);
  arrays_free(out, 2);
  text_write("bom.csv", "\xef\xbb\xbf" "1,2,3\n");
  CHECK(csv_load_xy("bom.csv", 2, out) == 0);
  CHECK(out[0].f32 && out[0].f32[0] == 1);
  arrays_free(out, 2);
}

static void test_csv_long_line(void) {
  /* 50 000 columns: no line buffer limit. */
  enum { N = 50000 };
  size_t cap = (size_t)N * 8 + 16, len = 0;
  char *text = malloc(cap);
  for (int r = 0; r < 2; r++) {
    for (int i = 0; i < N; i++)
      len += (size_t)snprintf(text + len, cap - len, i ? ",%d" : "%d", (i + r) % 1000);
    text[len++] = '\n';
  }
  file_write("long.csv", text, len);
  free(text);
  mgrt_array out[2];
  CHECK(csv_load_xy("long.csv", N - 1, out) == 0);
  CHECK(out[0].rows == 2 && out[0].cols == N - 1);
  if (out[0].f32) CHECK(out[0].f32[N - 2] == (N - 2) % 1000 && out[1].f32[1] == N % 1000);
  arrays_free(out, 2);

  /* Many rows: the buffers grow. */
  FILE *fp = fopen(path_of("rows.csv"), "w");
  for (int i = 0; i < 10000; i++) fprintf(fp, "%d,%d\n", i, i % 7);
  fclose(fp);
  mgrt_csv_column cols[2] = {col_one("x", MGRT_F32, 0, 0), col_one("y", MGRT_I64, 1, 7)};
  CHECK(csv_load("rows.csv", ',', 0, 2, cols, out) == 0);
  CHECK(out[0].rows == 10000 && out[1].i64 && out[1].i64[9999] == 9999 % 7 &&
        out[0].f32[9999] == 9999);
  arrays_free(out, 2);
}

/* ------------------------------------------------------------------------
** CSV: errors
** ---------------------------------------------------------------------- */

/* Loads name as x = cols(0:-1) (wx wide), y = cols(-1) and expects an error
   whose text contains `want`, with nothing left allocated. */
static void csv_expect_error(const char *name, int64_t wx, const char *want, int line) {
  mgrt_array out[2];
  memset(out, 0x5a, sizeof out);  /* garbage in: must come back empty */
  int rc = csv_load_xy(name, wx, out);
  check_error_at(line, rc, "%s", want);
  check_at(array_is_empty(&out[0]) && array_is_empty(&out[1]), line, "outputs left empty");
}

static void test_csv_errors(void) {
  char want[8192];
  const char *p;

  p = path_of("missing.csv");
  snprintf(want, sizeof want, "%s: cannot open: %s", p, strerror(ENOENT));
  csv_expect_error("missing.csv", 2, want, __LINE__);

  text_write("short.csv", "1,2,3\n\n4,5\n");
  snprintf(want, sizeof want, "%s:3: expected 3 columns, found 2", path_of("short.csv"));
  csv_expect_error("short.csv", 2, want, __LINE__);

  text_write("longrow.csv", "1,2,3\n4,5,6,7");
  snprintf(want, sizeof want, "%s:2: expected 3 columns, found 4", path_of("longrow.csv"));
  csv_expect_error("longrow.csv", 2, want, __LINE__);

  text_write("abc.csv", "1,2,3\n# c\n1,2,abc\n");
  snprintf(want, sizeof want, "%s:3: column 3: 'abc' is not a number", path_of("abc.csv"));
  csv_expect_error("abc.csv", 2, want, __LINE__);

  text_write("empty_field.csv", "1,,3\n");
  snprintf(want, sizeof want, "%s:1: column 2: '' is not a number", path_of("empty_field.csv"));
  csv_expect_error("empty_field.csv", 2, want, __LINE__);

  text_write("hex.csv", "1,0x10,3\n");
  snprintf(want, sizeof want, "%s:1: column 2: '0x10' is not a number", path_of("hex.csv"));
  csv_expect_error("hex.csv", 2, want, __LINE__);

  /* Unused columns must be numbers too (np.loadtxt, then slicing). */
  text_write("unused.csv", "1,2,3\n4,5,6\n7,8,9\n10,x,12\n");
  mgrt_array out[2];
  mgrt_csv_column last[1] = {col_one("y", MGRT_F32, -1, 0)};
  CHECK_ERROR(csv_load("unused.csv", ',', 0, 1, last, out),
              "%s:4: column 2: 'x' is not a number", path_of("unused.csv"));

  text_write("comments.csv", "# nothing\n\n   \n# here\n");
  snprintf(want, sizeof want, "%s: no data rows", path_of("comments.csv"));
  csv_expect_error("comments.csv", 2, want, __LINE__);
  text_write("empty.csv", "");
  snprintf(want, sizeof want, "%s: no data rows", path_of("empty.csv"));
  csv_expect_error("empty.csv", 2, want, __LINE__);

  /* Width: the declared type wants 9 columns, cols(0:-1) of 9 gives 8. */
  text_write("nine.csv", "1,2,3,4,5,6,7,8,9\n");
  snprintf(want, sizeof want,
           "%s:1: input x: cols(0:-1) selects 8 columns of the file's 9, but its type wants 9",
           path_of("nine.csv"));
  csv_expect_error("nine.csv", 9, want, __LINE__);

  mgrt_csv_column far[1] = {col_one("y", MGRT_F32, 9, 0)};
  CHECK_ERROR(csv_load("nine.csv", ',', 0, 1, far, out),
              "%s:1: input y: cols(9) is outside the 9 columns of the file", path_of("nine.csv"));
  CHECK(array_is_empty(&out[0]));
}

static void test_csv_label_errors(void) {
  mgrt_array out[2];
  mgrt_csv_column cols[2] = {col_slice("x", MGRT_F32, 1, 0, 1, -1, 8),
                             col_one("y", MGRT_I64, -1, 7)};
  text_write("y7.csv", "1,2,3,4,5,6,7,8,6\n# ok so far\n1,2,3,4,5,6,7,8,7\n");
  CHECK_ERROR(csv_load("y7.csv", ',', 0, 2, cols, out),
              "%s:3: column 9: label 7 is outside [0, 7) for input y", path_of("y7.csv"));
  CHECK(array_is_empty(&out[0]) && array_is_empty(&out[1]));

  text_write("yneg.csv", "1,2,3,4,5,6,7,8,-1\n");
  CHECK_ERROR(csv_load("yneg.csv", ',', 0, 2, cols, out),
              "%s:1: column 9: label -1 is outside [0, 7) for input y", path_of("yneg.csv"));

  text_write("yfrac.csv", "1,2,3,4,5,6,7,8,3.0\n1,2,3,4,5,6,7,8,3.5\n");
  CHECK_ERROR(csv_load("yfrac.csv", ',', 0, 2, cols, out),
              "%s:2: column 9: '3.5' is not a whole number", path_of("yfrac.csv"));

  text_write("ybig.csv", "1,2,3,4,5,6,7,8,99999999999999999999\n");
  cols[1].num_classes = 0;
  CHECK_ERROR(csv_load("ybig.csv", ',', 0, 2, cols, out),
              "%s:1: column 9: '99999999999999999999' is out of range", path_of("ybig.csv"));
  text_write("ynan.csv", "1,2,3,4,5,6,7,8,nan\n");
  CHECK_ERROR(csv_load("ynan.csv", ',', 0, 2, cols, out),
              "%s:1: column 9: 'nan' is not a whole number", path_of("ynan.csv"));
}

static void test_csv_binary(void) {
  char want[8192];
  static const char nul[] = "1,2,3\n4,5,\0\n";
  file_write("nul.csv", nul, sizeof nul - 1);
  snprintf(want, sizeof want, "%s:2: contains a NUL byte", path_of("nul.csv"));
  csv_expect_error("nul.csv", 2, want, __LINE__);

  /* Binary garbage without NULs: some clean error, never a crash; the field
     shown in the message is printable. */
  unsigned char junk[4096];
  srand(12345);
  for (int trial = 0; trial < 20; trial++) {
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (unsigned char)(1 + rand() % 255);
    file_write("junk.csv", junk, sizeof junk);
    mgrt_array out[2];
    int rc = csv_load_xy("junk.csv", 2, out);
    int printable = 1;
    for (const char *m = mgrt_last_error(); *m; m++)
      if ((unsigned char)*m < 0x20 || (unsigned char)*m >= 0x7f) printable = 0;
    CHECK(rc != 0 && printable && array_is_empty(&out[0]));
  }

  /* A directory opens but cannot be read. */
  mkdir(path_of("adir.csv"), 0700);
  mgrt_array out[2];
  CHECK_ERROR(csv_load_xy("adir.csv", 2, out), "%s: cannot", path_of("adir.csv"));
  rmdir(path_of("adir.csv"));
}

/* ------------------------------------------------------------------------
** IDX
** ---------------------------------------------------------------------- */

/* Builds an IDX file in memory: magic bytes then big-endian sizes then data. */
static size_t idx_build(unsigned char *buf, int type, int ndim, const uint32_t *dims,
                        const unsigned char *data, size_t n) {
  size_t len = 0;
  buf[len++] = 0;
  buf[len++] = 0;
  buf[len++] = (unsigned char)type;
  buf[len++] = (unsigned char)ndim;
  for (int d = 0; d < ndim; d++) {
    buf[len++] = (unsigned char)(dims[d] >> 24);
    buf[len++] = (unsigned char)(dims[d] >> 16);
    buf[len++] = (unsigned char)(dims[d] >> 8);
    buf[len++] = (unsigned char)dims[d];
  }
  if (n) memcpy(buf + len, data, n);
  return len + n;
}

static unsigned char pixels[12] = {0, 1, 2, 127, 128, 254, 255, 3, 4, 5, 6, 200};
static const uint32_t image_dims[3] = {3, 2, 2};

static int idx_images(const char *name, int64_t width, double scale, mgrt_array *out) {
  return mgrt_idx_read(name, dir, "x", MGRT_F32, width, scale, 0, out);
}

static int idx_labels(const char *name, int64_t num_classes, mgrt_array *out) {
  return mgrt_idx_read(name, dir, "y", MGRT_I64, 1, 1.0, num_classes, out);
}

static void test_idx_good(void) {
  unsigned char buf[256];
  size_t len = idx_build(buf, 0x08, 3, image_dims, pixels, sizeof pixels);
  file_write("img-idx3-ubyte", buf, len);
  gz_write("img-idx3-ubyte.gz", buf, len);

  const char *names[2] = {"img-idx3-ubyte", "img-idx3-ubyte.gz"};
  for (int k = 0; k < 2; k++) {
    mgrt_array a;
    CHECK(idx_images(names[k], 4, 1.0 / 255, &a) == 0);
    CHECK(a.rows == 3 && a.cols == 4 && a.f32 != NULL && a.i64 == NULL);
    int same = a.f32 != NULL;
    /* Bit for bit torchvision's ToTensor: byte tensor .float().div(255). */
    for (int i = 0; same && i < 12; i++) same = a.f32[i] == (float)pixels[i] / 255.0f;
    CHECK(same);
    mgrt_array_free(&a);
    CHECK(idx_images(names[k], 4, 1.0, &a) == 0);
    CHECK(a.f32 && a.f32[6] == 255.0f && a.f32[11] == 200.0f);
    mgrt_array_free(&a);
  }

  unsigned char labels[5] = {0, 3, 9, 1, 7};
  uint32_t n = 5;
  len = idx_build(buf, 0x08, 1, &n, labels, sizeof labels);
  gz_write("lab-idx1-ubyte.gz", buf, len);
  file_write("lab-idx1-ubyte", buf, len);
  mgrt_array a;
  CHECK(idx_labels("lab-idx1-ubyte.gz", 10, &a) == 0);
  CHECK(a.rows == 5 && a.cols == 1 && a.i64 && !a.f32 && a.i64[2] == 9 && a.i64[4] == 7);
  mgrt_array_free(&a);
  CHECK(idx_labels("lab-idx1-ubyte", 0, &a) == 0 && a.i64 && a.i64[1] == 3);
  mgrt_array_free(&a);

  /* An absolute path ignores data_dir. */
  CHECK(mgrt_idx_read(path_of("lab-idx1-ubyte"), "/nonexistent", "y", MGRT_I64, 1, 1, 10,
                      &a) == 0);
  mgrt_array_free(&a);
}

static void test_idx_errors(void) {
  unsigned char buf[256];
  mgrt_array a;
  size_t len;

  CHECK_ERROR(idx_images("nope.gz", 4, 1, &a), "%s: cannot open: %s", path_of("nope.gz"),
              strerror(ENOENT));
  CHECK(array_is_empty(&a));

  text_write("magic.bin", "\x12\x34\x56\x78 and more");
  CHECK_ERROR(idx_images("magic.bin", 4, 1, &a), "%s: not an IDX file (magic 0x12345678)",
              path_of("magic.bin"));
  text_write("empty.idx", "");
  CHECK_ERROR(idx_images("empty.idx", 4, 1, &a), "%s: not an IDX file", path_of("empty.idx"));

  uint32_t one = 1;
  len = idx_build(buf, 0x0D, 1, &one, (const unsigned char *)"abcd", 4);
  file_write("float.idx", buf, len);
  CHECK_ERROR(idx_images("float.idx", 1, 1, &a), "%s: unsupported IDX data type 0x0d",
              path_of("float.idx"));

  len = idx_build(buf, 0x08, 3, image_dims, pixels, sizeof pixels);
  file_write("img", buf, len);
  CHECK_ERROR(idx_images("img", 5, 1, &a),
              "%s: input x: each item has 2x2 = 4 values, but its type wants 5", path_of("img"));
  CHECK_ERROR(idx_labels("img", 10, &a), "%s: input y: labels need a 1-dimensional IDX file",
              path_of("img"));

  /* Truncated data, plain and compressed, and a truncated header. */
  file_write("trunc", buf, len - 2);
  CHECK_ERROR(idx_images("trunc", 4, 1, &a), "%s: truncated: expected 12 bytes of data, found 10",
              path_of("trunc"));
  gz_write("trunc.gz", buf, len - 2);
  CHECK_ERROR(idx_images("trunc.gz", 4, 1, &a),
              "%s: truncated: expected 12 bytes of data, found 10", path_of("trunc.gz"));
  CHECK(array_is_empty(&a));
  file_write("trunchead", buf, 9);
  CHECK_ERROR(idx_images("trunchead", 4, 1, &a), "%s: truncated: expected 16 bytes of header",
              path_of("trunchead"));

  /* Bytes after the declared data. */
  buf[len] = 9;
  file_write("long", buf, len + 1);
  CHECK_ERROR(idx_images("long", 4, 1, &a), "%s: the file is longer than the 12 bytes",
              path_of("long"));

  /* A huge declared size with little data must not allocate it all. */
  uint32_t huge[3] = {0xffffffffu, 28, 28};
  len = idx_build(buf, 0x08, 3, huge, pixels, sizeof pixels);
  file_write("huge", buf, len);
  CHECK_ERROR(idx_images("huge", 784, 1, &a),
              "%s: truncated: expected 3367254359280 bytes of data, found 12", path_of("huge"));

  uint32_t zero = 0;
  len = idx_build(buf, 0x08, 1, &zero, NULL, 0);
  file_write("zero", buf, len);
  CHECK_ERROR(idx_labels("zero", 10, &a), "%s: the file holds no items", path_of("zero"));

  unsigned char labels[200];
  for (int i = 0; i < 200; i++) labels[i] = (unsigned char)(i % 10);
  labels[123] = 12;
  uint32_t n = 200;
  unsigned char big[512];
  len = idx_build(big, 0x08, 1, &n, labels, sizeof labels);
  gz_write("badlab.gz", big, len);
  CHECK_ERROR(idx_labels("badlab.gz", 10, &a),
              "%s: item 123: label 12 is outside [0, 10) for input y", path_of("badlab.gz"));
  CHECK(array_is_empty(&a));
}

static void test_idx_damaged_gzip(void) {
  /* A compressed file big enough to have real deflate blocks. */
  enum { COUNT = 64 };
  static unsigned char raw[16 + COUNT * 784];
  uint32_t dims[3] = {COUNT, 28, 28};
  static unsigned char data[COUNT * 784];
  srand(7);
  for (size_t i = 0; i < sizeof data; i++) data[i] = (unsigned char)(rand() % 4 * 60);
  size_t len = idx_build(raw, 0x08, 3, dims, data, sizeof data);
  gz_write("good.gz", raw, len);
  mgrt_array a;
  CHECK(idx_images("good.gz", 784, 1, &a) == 0 && a.rows == COUNT);
  mgrt_array_free(&a);

  size_t gzlen;
  unsigned char *gz = file_read("good.gz", &gzlen);
  /* Cut short. */
  file_write("cut.gz", gz, gzlen / 2);
  CHECK_ERROR(idx_images("cut.gz", 784, 1, &a), "%s: damaged gzip data", path_of("cut.gz"));
  CHECK(array_is_empty(&a));
  /* Corrupted compressed bytes: an invalid block or a wrong checksum. */
  for (size_t i = gzlen / 3; i < gzlen / 3 + 16; i++) gz[i] ^= 0x5a;
  file_write("bad.gz", gz, gzlen);
  CHECK_ERROR(idx_images("bad.gz", 784, 1, &a), "%s: damaged gzip data", path_of("bad.gz"));
  /* Only the trailing checksum wrong: caught because the loader reads to the
     end of the stream. */
  free(gz);
  gz = file_read("good.gz", &gzlen);
  gz[gzlen - 6] ^= 0xff;
  file_write("crc.gz", gz, gzlen);
  CHECK_ERROR(idx_images("crc.gz", 784, 1, &a), "%s: damaged gzip data", path_of("crc.gz"));
  free(gz);
}

/* Random corruption of header bytes: every outcome is a clean load or a clean
   error (ASan and UBSan watch for the rest). */
static void test_idx_fuzz(void) {
  unsigned char buf[256];
  size_t len = idx_build(buf, 0x08, 3, image_dims, pixels, sizeof pixels);
  srand(99);
  int clean = 1;
  for (int trial = 0; trial < 300; trial++) {
    unsigned char copy[256];
    memcpy(copy, buf, len);
    int flips = 1 + rand() % 3;
    for (int k = 0; k < flips; k++) copy[rand() % 16] = (unsigned char)rand();
    size_t cut = (size_t)(rand() % 4 == 0 ? rand() % (int)len : (int)len);
    if (trial % 2) gz_write("fuzz.gz", copy, cut);
    else file_write("fuzz.gz", copy, cut);
    mgrt_array a;
    int rc = idx_images("fuzz.gz", 4, 1, &a);
    if (rc == 0) {
      if (!(a.f32 && a.rows == 3 && a.cols == 4)) clean = 0;
      mgrt_array_free(&a);
    } else if (!array_is_empty(&a) || mgrt_last_error()[0] == '\0') {
      clean = 0;
    }
  }
  CHECK(clean);
}

/* Removes the files of a directory this test created (it holds no
   subdirectories by the end). */
static void dir_remove(void) {
  DIR *d = opendir(dir);
  if (d == NULL) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) remove(path_of(e->d_name));
  closedir(d);
  rmdir(dir);
}

/* ------------------------------------------------------------------------
** Main
** ---------------------------------------------------------------------- */

/* row_width (--predict files): negative indices count from a training
   row's width, so a file without the label column still gives x = cols(0:-1)
   its columns; a file too narrow for x says which columns x reads. */
static void test_csv_row_width(void) {
  mgrt_array out[2];
  mgrt_csv_column x[1] = {col_slice("x", MGRT_F32, 1, 0, 1, -1, 2)};  /* cols(0:-1) */
  mgrt_csv_spec spec = {"features.csv", ',', 0, 1, x, 3};
  text_write("features.csv", "1,2\n4,5\n");
  CHECK(mgrt_csv_read(&spec, dir, out) == 0);
  CHECK(out[0].rows == 2 && out[0].cols == 2 && out[0].f32 && out[0].f32[3] == 5);
  arrays_free(out, 1);
  /* With the label column too, x is still the first two. */
  text_write("features.csv", "1,2,0\n4,5,1\n");
  CHECK(mgrt_csv_read(&spec, dir, out) == 0);
  CHECK(out[0].cols == 2 && out[0].f32 && out[0].f32[2] == 4);
  arrays_free(out, 1);
  text_write("features.csv", "1\n4\n");
  CHECK_ERROR(mgrt_csv_read(&spec, dir, out),
              "%s:1: input x: cols(0:-1) reads columns 1 to 2, but the file has 1 column",
              path_of("features.csv"));
  /* A label read as cols(-1) needs its column. */
  mgrt_csv_column y[1] = {col_one("y", MGRT_F32, -1, 0)};
  mgrt_csv_spec labels = {"features.csv", ',', 0, 1, y, 3};
  text_write("features.csv", "1,2\n4,5\n");
  CHECK_ERROR(mgrt_csv_read(&labels, dir, out),
              "%s:1: input y: cols(-1) is outside the 2 columns of the file", path_of("features.csv"));
}

int main(int argc, char **argv) {
  if (argc > 1) {
    snprintf(dir, sizeof dir, "%s", argv[1]);
    mkdir(dir, 0700);
  } else {
    snprintf(dir, sizeof dir, "/tmp/mgrt_test_data_XXXXXX");
    if (mkdtemp(dir) == NULL) {
      fprintf(stderr, "test_data: mkdtemp: %s\n", strerror(errno));
      return 1;
    }
  }
  test_error_channel();
  test_path_join();
  test_csv_basic();
  test_csv_skipping();
  test_csv_skip_header_and_delimiter();
  test_csv_slices();
  test_csv_row_width();
  test_csv_labels();
  test_csv_numbers();
  test_csv_whitespace_delimiter_and_bom();
  test_csv_long_line();
  test_csv_errors();
  test_csv_label_errors();
  test_csv_binary();
  test_idx_good();
  test_idx_errors();
  test_idx_damaged_gzip();
  test_idx_fuzz();
  /* A directory given on the command line is kept for inspection. */
  if (argc <= 1) dir_remove();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
