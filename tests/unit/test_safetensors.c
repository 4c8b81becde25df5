/*
** test_safetensors.c — checks libmgrt's safetensors checkpoints.
**
** Usage: test_safetensors SCRATCH_DIR [FIXTURE_DIR]
**
** SCRATCH_DIR is created if needed; every file the test makes goes there.
** FIXTURE_DIR (tests/unit/safetensors) holds files made by PyTorch through
** tests/tools/safetensors_io.py; without it those cases are skipped.
**
** The cases: a round trip that must be bit-exact (including -0, infinities,
** NaN payloads and subnormals) and byte-exact against the header the docs
** promise; files made elsewhere; damaged files built here, each of which must
** fail with a message naming the file and the problem, without touching the
** caller's buffers (and, under AddressSanitizer, without a bad access); a
** few thousand mutated and truncated files, which may load or fail but never
** crash; and saves that fail (missing or read-only directory, the file size
** limit hit half-way, a directory in the way), after which the old file must
** be intact and no temporary left behind.
**
** Prints one line per failed check and ends with "N passed, N failed";
** exits 0 only if nothing failed.
*/
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* setrlimit */

#include "mgrt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int passed, failed;
static const char *scratch;

/* Records one check; prints a line for a failure. */
static void check(int ok, const char *name, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void check(int ok, const char *name, const char *fmt, ...) {
  if (ok) {
    passed++;
    return;
  }
  failed++;
  printf("FAIL %s: ", name);
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

/* ------------------------------------------------------------------------
** Files
** ---------------------------------------------------------------------- */

/* SCRATCH/name in a static buffer (one of a few, so two can be in use). */
static const char *path_in(const char *dir, const char *name) {
  static char bufs[4][4096];
  static int next;
  char *b = bufs[next++ % 4];
  snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
  return b;
}

static const char *scratch_path(const char *name) { return path_in(scratch, name); }

static int mkdir_p(const char *dir) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", dir);
  for (char *s = buf + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    *s = '/';
  }
  return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static int write_file(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  if (f == NULL) return -1;
  size_t w = n ? fwrite(data, 1, n, f) : 0;
  return fclose(f) != 0 || w != n ? -1 : 0;
}

/* The whole file in a malloc'd buffer, or NULL. */
static unsigned char *read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 4096, len = 0;
  unsigned char *b = malloc(cap);
  size_t r;
  while (b != NULL && (r = fread(b + len, 1, cap - len, f)) > 0) {
    len += r;
    if (len == cap) {
      unsigned char *g = realloc(b, cap *= 2);
      if (g == NULL) free(b);
      b = g;
    }
  }
  fclose(f);
  *n = len;
  return b;
}

/* A file of 8-byte length, header text and data; header_len overrides the
   length field when it is not UINT64_MAX. */
static void build_raw(const char *path, uint64_t header_len, const char *header,
                      const void *data, size_t data_len) {
  size_t h = strlen(header);
  unsigned char *b = malloc(8 + h + data_len + 1);
  if (header_len == UINT64_MAX) header_len = h;
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)(header_len >> (8 * i));
  memcpy(b + 8, header, h);
  if (data_len) memcpy(b + 8 + h, data, data_len);
  if (write_file(path, b, 8 + h + data_len) != 0) {
    printf("FAIL setup: cannot write %s: %s\n", path, strerror(errno));
    failed++;
  }
  free(b);
}

/* A file with this header and data_len bytes of data (values 1.0f). */
static void build(const char *path, const char *header, size_t data_len) {
  unsigned char *data = malloc(data_len + 1);
  for (size_t i = 0; i < data_len; i++) data[i] = (unsigned char)(i % 4 == 3 ? 0x3f : i % 4 == 2 ? 0x80 : 0);
  build_raw(path, UINT64_MAX, header, data, data_len);
  free(data);
}

/* Names of temporaries (BASE.tmp.*) left in dir. */
static int count_temporaries(const char *dir, const char *base) {
  DIR *d = opendir(dir);
  int count = 0;
  char prefix[512];
  snprintf(prefix, sizeof prefix, "%s.tmp.", base);
  if (d == NULL) return -1;
  for (struct dirent *e; (e = readdir(d)) != NULL;)
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) count++;
  closedir(d);
  return count;
}

/* Removes temporaries that a killed earlier run may have left, so that the
   checks for leftovers see only this run's. */
static void remove_stale_temporaries(void) {
  DIR *d = opendir(scratch);
  if (d == NULL) return;
  for (struct dirent *e; (e = readdir(d)) != NULL;)
    if (strstr(e->d_name, ".safetensors.tmp.") != NULL) unlink(scratch_path(e->d_name));
  closedir(d);
}

/* ------------------------------------------------------------------------
** The model the damaged files are loaded into: W [2, 1] and b [1]
** ---------------------------------------------------------------------- */

static float w_data[2], b_data[1];

static void model_refs(mgrt_tensor_ref *t) {
  memset(t, 0, 2 * sizeof *t);
  t[0].name = "W";
  t[0].data = w_data;
  t[0].rank = 2;
  t[0].shape[0] = 2;
  t[0].shape[1] = 1;
  t[1].name = "b";
  t[1].data = b_data;
  t[1].rank = 1;
  t[1].shape[0] = 1;
}

/* Loads path into the W/b model; it must fail with a message containing the
   path and fragment, and leave the buffers as they were. */
static void expect_fail(const char *name, const char *path, const char *fragment) {
  mgrt_tensor_ref t[2];
  model_refs(t);
  w_data[0] = w_data[1] = b_data[0] = 42.0f;
  mgrt_set_error("%s", "");
  int rc = mgrt_safetensors_load(path, t, 2);
  const char *msg = mgrt_last_error();
  check(rc == -1, name, "load returned %d, expected -1", rc);
  check(strstr(msg, fragment) != NULL, name, "message \"%s\" lacks \"%s\"", msg, fragment);
  check(strstr(msg, path) != NULL, name, "message \"%s\" does not name the file", msg);
  check(w_data[0] == 42.0f && w_data[1] == 42.0f && b_data[0] == 42.0f, name,
        "a failed load changed the caller's data");
}

/* ------------------------------------------------------------------------
** Round trip
** ---------------------------------------------------------------------- */

static float from_bits(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

static uint32_t bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

static void test_round_trip(void) {
  float weight[6] = {1.5f, -0.0f, INFINITY, -INFINITY, from_bits(0x7fc12345u), from_bits(1u)};
  float bias[2] = {3.4028235e38f, -1.17549435e-38f};
  float w[2] = {0.25f, -2.0f};
  float scalar = 7.0f;
  mgrt_tensor_ref t[5] = {
      {"fc1.weight", weight, 2, {2, 3}},
      {"fc1.bias", bias, 1, {2}},
      {"W", w, 2, {2, 1}},
      {"s", &scalar, 0, {0}},
      {"empty", NULL, 2, {0, 3}},
  };
  const char *path = scratch_path("round_trip.safetensors");
  int rc = mgrt_safetensors_save(path, t, 5);
  check(rc == 0, "round_trip.save", "save failed: %s", mgrt_last_error());

  float weight2[6], bias2[2], w2[2], scalar2;
  mgrt_tensor_ref u[5] = {
      {"W", w2, 2, {2, 1}}, /* a different order than saved: names match */
      {"empty", NULL, 2, {0, 3}},
      {"fc1.bias", bias2, 1, {2}},
      {"s", &scalar2, 0, {0}},
      {"fc1.weight", weight2, 2, {2, 3}},
  };
  rc = mgrt_safetensors_load(path, u, 5);
  check(rc == 0, "round_trip.load", "load failed: %s", mgrt_last_error());
  for (int i = 0; i < 6; i++)
    check(bits(weight[i]) == bits(weight2[i]), "round_trip.bits", "fc1.weight[%d]: %08" PRIx32
          " became %08" PRIx32, i, bits(weight[i]), bits(weight2[i]));
  for (int i = 0; i < 2; i++) {
    check(bits(bias[i]) == bits(bias2[i]), "round_trip.bits", "fc1.bias[%d] differs", i);
    check(bits(w[i]) == bits(w2[i]), "round_trip.bits", "W[%d] differs", i);
  }
  check(bits(scalar) == bits(scalar2), "round_trip.bits", "s differs");

  /* The exact bytes: header as docs/checkpoints.md shows it, then data. */
  static const char want_header[] =
      "{\"__metadata__\":{\"format\":\"pt\",\"producer\":\"mgc\"},"
      "\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
      "\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]},"
      "\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[32,40]},"
      "\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[40,44]},"
      "\"empty\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[44,44]}}";
  size_t n = 0;
  unsigned char *file = read_file(path, &n);
  size_t hlen = strlen(want_header);
  size_t padded = (hlen + 7) / 8 * 8;
  check(file != NULL && n == 8 + padded + 44, "round_trip.size", "file is %zu bytes, expected %zu",
        n, 8 + padded + 44);
  if (file != NULL && n == 8 + padded + 44) {
    uint64_t len = 0;
    for (int i = 7; i >= 0; i--) len = len << 8 | file[i];
    check(len == padded && len % 8 == 0, "round_trip.header_length", "%" PRIu64, len);
    check(memcmp(file + 8, want_header, hlen) == 0, "round_trip.header", "got %.*s",
          (int)hlen, (const char *)file + 8);
    int spaces = 1;
    for (size_t i = hlen; i < padded; i++) spaces &= file[8 + i] == ' ';
    check(spaces, "round_trip.padding", "padding is not spaces");
    const unsigned char *d = file + 8 + padded;
    /* 1.5f is 0x3fc00000: little-endian bytes 00 00 c0 3f */
    check(d[0] == 0 && d[1] == 0 && d[2] == 0xc0 && d[3] == 0x3f, "round_trip.little_endian",
          "first value bytes %02x %02x %02x %02x", d[0], d[1], d[2], d[3]);
  }
  free(file);

  /* A file made by us has the permissions a plain create would give it. */
  struct stat st;
  mode_t mask = umask(022);
  umask(mask);
  check(stat(path, &st) == 0 && (st.st_mode & 0777) == (0666 & ~mask), "round_trip.mode",
        "mode %o, expected %o", (unsigned)(st.st_mode & 0777), (unsigned)(0666 & ~mask));
  check(count_temporaries(scratch, "round_trip.safetensors") == 0, "round_trip.temporaries",
        "a temporary file was left behind");

  /* Saving again replaces the file. */
  weight[0] = -8.0f;
  check(mgrt_safetensors_save(path, t, 5) == 0, "round_trip.replace", "%s", mgrt_last_error());
  check(mgrt_safetensors_load(path, u, 5) == 0 && weight2[0] == -8.0f, "round_trip.replace",
        "the new values were not read back: %s", mgrt_last_error());

  /* Zero tensors is a valid (if useless) checkpoint. */
  const char *empty = scratch_path("no_tensors.safetensors");
  check(mgrt_safetensors_save(empty, NULL, 0) == 0 && mgrt_safetensors_load(empty, NULL, 0) == 0,
        "round_trip.no_tensors", "%s", mgrt_last_error());
}

/* A larger tensor crosses the writer's buffer boundaries. */
static void test_large(void) {
  enum { N = 7 * 11 * 3897 }; /* not a multiple of the writer's buffer */
  float *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
  for (int i = 0; i < N; i++) x[i] = (float)i * 0.001f - 17.0f;
  mgrt_tensor_ref t = {"big", x, 3, {7, 11, 3897}};
  mgrt_tensor_ref u = {"big", y, 3, {7, 11, 3897}};
  const char *path = scratch_path("large.safetensors");
  check(mgrt_safetensors_save(path, &t, 1) == 0, "large.save", "%s", mgrt_last_error());
  check(mgrt_safetensors_load(path, &u, 1) == 0, "large.load", "%s", mgrt_last_error());
  check(memcmp(x, y, N * sizeof *x) == 0, "large.bits", "values differ");
  free(x);
  free(y);
}

/* ------------------------------------------------------------------------
** Files made elsewhere
** ---------------------------------------------------------------------- */

/* Formatting our writer never produces: spaces, newlines, escapes, metadata
   last and with other keys, tensors in another order than their data. */
static void test_foreign_formatting(void) {
  const char *path = scratch_path("foreign.safetensors");
  /* 1.0f, 2.0f, 3.0f as the format stores them, little-endian on any host */
  static const unsigned char data[12] = {0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40};
  build_raw(path, UINT64_MAX,
            "{\n  \"\\u0062\" : {\"data_offsets\" : [8, 12], \"shape\": [1], \"dtype\": \"F32\"},\r\n"
            "\t\"W\": {\"dtype\": \"F32\", \"shape\": [2, 1], \"data_offsets\": [0, 8]},\n"
            "  \"__metadata__\": {\"format\": \"pt\", \"note\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\"\"}\n}"
            "        ",
            data, sizeof data);
  mgrt_tensor_ref t[2];
  model_refs(t);
  int rc = mgrt_safetensors_load(path, t, 2);
  check(rc == 0, "foreign.formatting", "%s", mgrt_last_error());
  check(w_data[0] == 1.0f && w_data[1] == 2.0f && b_data[0] == 3.0f, "foreign.formatting",
        "wrong values %g %g %g", w_data[0], w_data[1], b_data[0]);

  /* A name with a quote and a backslash survives the round trip. */
  float v = 5.0f, v2 = 0.0f;
  mgrt_tensor_ref q = {"a\"b\\c", &v, 0, {0}};
  mgrt_tensor_ref q2 = {"a\"b\\c", &v2, 0, {0}};
  const char *qpath = scratch_path("quoted.safetensors");
  check(mgrt_safetensors_save(qpath, &q, 1) == 0 && mgrt_safetensors_load(qpath, &q2, 1) == 0 &&
        v2 == 5.0f, "foreign.escaped_name", "%s", mgrt_last_error());
}

/* nn.Linear(3, 2) after torch.manual_seed(0) in PyTorch 1.13, written by
   tests/tools/safetensors_io.py (see FIXTURE_DIR/README.md). */
static void test_torch_fixture(const char *fixtures) {
  static const uint32_t want_weight[6] = {0xbb8da3e8u, 0x3e9e9313u, 0xbef34b7eu,
                                          0xbed98bc9u, 0xbe63b4b1u, 0x3e1e8953u};
  static const uint32_t want_bias[2] = {0xbc3b6b40u, 0x3eea617au};
  float weight[6], bias[2];
  mgrt_tensor_ref t[2] = {{"weight", weight, 2, {2, 3}}, {"bias", bias, 1, {2}}};
  const char *path = path_in(fixtures, "torch_linear.safetensors");
  int rc = mgrt_safetensors_load(path, t, 2);
  check(rc == 0, "torch_fixture.load", "%s", mgrt_last_error());
  if (rc != 0) return;
  for (int i = 0; i < 6; i++)
    check(bits(weight[i]) == want_weight[i], "torch_fixture.weight", "[%d] is %08" PRIx32
          ", PyTorch has %08" PRIx32, i, bits(weight[i]), want_weight[i]);
  for (int i = 0; i < 2; i++)
    check(bits(bias[i]) == want_bias[i], "torch_fixture.bias", "[%d] is %08" PRIx32
          ", PyTorch has %08" PRIx32, i, bits(bias[i]), want_bias[i]);
}

/* ------------------------------------------------------------------------
** Damaged files
** ---------------------------------------------------------------------- */

#define GOOD_W "{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]}"
#define GOOD_B "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}"

static void test_sizes(void) {
  const char *p = scratch_path("bad_empty.safetensors");
  write_file(p, "", 0);
  expect_fail("bad.empty_file", p, "too short");

  p = scratch_path("bad_truncated4.safetensors");
  write_file(p, "\x10\0\0\0", 4);
  expect_fail("bad.truncated_to_4_bytes", p, "file is 4 bytes long, too short");

  p = scratch_path("bad_header_past_file.safetensors");
  build_raw(p, 1000, "{\"W\":" GOOD_W "," GOOD_B "}", "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
  expect_fail("bad.header_length_past_file", p, "header length 1000 is larger than the file");

  p = scratch_path("bad_header_huge.safetensors");
  build_raw(p, (uint64_t)1 << 63, "{}", NULL, 0);
  expect_fail("bad.header_length_2^63", p, "header length 9223372036854775808 is larger than");

  p = scratch_path("bad_header_max.safetensors");
  build_raw(p, UINT64_MAX - 1, "{}", NULL, 0);
  expect_fail("bad.header_length_2^64-2", p, "is larger than the file");

  /* Over the 100 MB limit but inside the file: a sparse file costs no disk. */
  p = scratch_path("bad_header_over_limit.safetensors");
  build_raw(p, 150000000, "{}", NULL, 0);
  if (truncate(p, 200000000) == 0)
    expect_fail("bad.header_length_over_100MB", p, "exceeds the limit of 100000000 bytes");
  else
    check(0, "bad.header_length_over_100MB", "cannot extend %s: %s", p, strerror(errno));
  unlink(p);

  p = scratch_path("bad_header_zero.safetensors");
  build_raw(p, UINT64_MAX, "", NULL, 0);
  expect_fail("bad.header_length_0", p, "does not start with '{'");

  expect_fail("bad.no_such_file", scratch_path("no_such_file.safetensors"), "cannot open");
  expect_fail("bad.directory", scratch, "not a regular file");
}

static void test_json(void) {
  static const struct {
    const char *name, *header, *fragment;
  } cases[] = {
      {"not_json", "hello, world!   ", "header does not start with '{'"},
      {"leading_space", " {\"W\":" GOOD_W "," GOOD_B "}", "does not start with '{'"},
      {"array_top", "[1, 2]", "does not start with '{'"},
      {"trailing_garbage", "{\"W\":" GOOD_W "," GOOD_B "} xyz", "unexpected text after the closing '}'"},
      {"two_objects", "{\"W\":" GOOD_W "," GOOD_B "}{}", "unexpected text after the closing '}'"},
      {"missing_colon", "{\"W\" " GOOD_W "," GOOD_B "}", "expected ':'"},
      {"missing_comma", "{\"W\":" GOOD_W " " GOOD_B "}", "expected ',' or '}'"},
      {"trailing_comma", "{\"W\":" GOOD_W "," GOOD_B ",}", "expected a string"},
      {"unclosed_object", "{\"W\":" GOOD_W "," GOOD_B, "expected ',' or '}'"},
      {"unterminated_string", "{\"W", "unterminated string"},
      {"unquoted_key", "{W:" GOOD_W "}", "expected a string"},
      {"single_quotes", "{'W':" GOOD_W "}", "expected a string"},
      {"bad_escape", "{\"W\\x\":" GOOD_W "}", "bad escape"},
      {"bad_unicode_escape", "{\"W\\u12G4\":" GOOD_W "}", "bad \\u escape"},
      {"lone_surrogate", "{\"W\\udc00\":" GOOD_W "}", "lone low surrogate"},
      {"half_surrogate", "{\"W\\ud800x\":" GOOD_W "}", "high surrogate without"},
      {"nul_escape", "{\"W\\u0000\":" GOOD_W "}", "\\u0000"},
      {"control_char", "{\"W\t\":" GOOD_W "}", "control character in a string"},
      {"invalid_utf8", "{\"W\xff\":" GOOD_W "}", "invalid UTF-8"},
      {"overlong_utf8", "{\"W\xc0\xaf\":" GOOD_W "}", "invalid UTF-8"},
      {"surrogate_utf8", "{\"W\xed\xa0\x80\":" GOOD_W "}", "invalid UTF-8"},
      {"newline_in_name", "{\"W\\n\":" GOOD_W "}", "control characters"},
      {"empty_name", "{\"\":" GOOD_W "}", "a tensor name is empty"},
      {"leading_zero", "{\"W\":{\"dtype\":\"F32\",\"shape\":[02,1],\"data_offsets\":[0,8]}," GOOD_B "}",
       "leading zero"},
      {"non_numeric_shape", "{\"W\":{\"dtype\":\"F32\",\"shape\":[\"2\",1],\"data_offsets\":[0,8]}," GOOD_B "}",
       "tensor 'W': shape must be a list of non-negative integers"},
      {"shape_not_list", "{\"W\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}," GOOD_B "}",
       "tensor 'W': shape must be a list"},
      {"float_shape", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2.0,1],\"data_offsets\":[0,8]}," GOOD_B "}",
       "tensor 'W': shape must be a list of non-negative integers"},
      {"exponent_shape", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2e0,1],\"data_offsets\":[0,8]}," GOOD_B "}",
       "shape must be a list of non-negative integers"},
      {"null_shape", "{\"W\":{\"dtype\":\"F32\",\"shape\":[null],\"data_offsets\":[0,8]}," GOOD_B "}",
       "shape must be a list of non-negative integers"},
      {"negative_shape", "{\"W\":{\"dtype\":\"F32\",\"shape\":[-2,1],\"data_offsets\":[0,8]}," GOOD_B "}",
       "tensor 'W': shape holds a negative number"},
      {"negative_offsets", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[-8,0]}," GOOD_B "}",
       "tensor 'W': data_offsets holds a negative number"},
      {"huge_offset", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,18446744073709551624]}," GOOD_B "}",
       "tensor 'W': data_offsets holds a number that is too large"},
      {"three_offsets", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,4,8]}," GOOD_B "}",
       "data_offsets has more than 2 values"},
      {"one_offset", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0]}," GOOD_B "}",
       "data_offsets must be two integers"},
      {"rank_17", "{\"W\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"
       "\"data_offsets\":[0,8]}," GOOD_B "}", "shape has more than 16 values"},
      {"dtype_number", "{\"W\":{\"dtype\":32,\"shape\":[2,1],\"data_offsets\":[0,8]}," GOOD_B "}",
       "tensor 'W': dtype must be a string"},
      {"dtype_lowercase", "{\"W\":{\"dtype\":\"float32\",\"shape\":[2,1],\"data_offsets\":[0,8]}," GOOD_B "}",
       "tensor 'W': dtype is not a dtype name"},
      {"unknown_field", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8],\"x\":1}," GOOD_B "}",
       "tensor 'W': unknown field 'x'"},
      {"duplicate_field", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"shape\":[2,1],\"data_offsets\":[0,8]}," GOOD_B "}",
       "tensor 'W': field 'shape' appears twice"},
      {"no_dtype", "{\"W\":{\"shape\":[2,1],\"data_offsets\":[0,8]}," GOOD_B "}", "tensor 'W' has no dtype"},
      {"no_shape", "{\"W\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}," GOOD_B "}", "tensor 'W' has no shape"},
      {"no_offsets", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1]}," GOOD_B "}", "tensor 'W' has no data_offsets"},
      {"tensor_not_object", "{\"W\":[2,1]," GOOD_B "}", "tensor 'W': expected an object"},
      {"tensor_string", "{\"W\":\"F32\"," GOOD_B "}", "tensor 'W': expected an object"},
      {"duplicate_tensor", "{\"W\":" GOOD_W ",\"W\":" GOOD_W "," GOOD_B "}", "tensor 'W' appears twice"},
      {"metadata_number", "{\"__metadata__\":{\"format\":1},\"W\":" GOOD_W "," GOOD_B "}",
       "__metadata__ value of 'format' is not a string"},
      {"metadata_nested", "{\"__metadata__\":{\"a\":{\"b\":\"c\"}},\"W\":" GOOD_W "," GOOD_B "}",
       "__metadata__ value of 'a' is not a string"},
      {"metadata_not_object", "{\"__metadata__\":\"pt\",\"W\":" GOOD_W "," GOOD_B "}",
       "__metadata__ must be an object"},
      {"metadata_twice", "{\"__metadata__\":{},\"__metadata__\":{},\"W\":" GOOD_W "," GOOD_B "}",
       "key '__metadata__' appears twice"},
      {"metadata_duplicate_key", "{\"__metadata__\":{\"a\":\"1\",\"b\":\"2\",\"a\":\"3\"},\"W\":" GOOD_W "," GOOD_B "}",
       "__metadata__ key 'a' appears twice"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char name[128], file[128];
    snprintf(name, sizeof name, "bad.json.%s", cases[i].name);
    snprintf(file, sizeof file, "bad_json_%s.safetensors", cases[i].name);
    build(scratch_path(file), cases[i].header, 12);
    expect_fail(name, scratch_path(file), cases[i].fragment);
  }
}

/* 10000 '[' where the parser wants something else: it must say so at once,
   not recurse into them. */
static void test_deep_nesting(void) {
  enum { DEPTH = 10000 };
  static const struct {
    const char *name, *before, *fragment;
  } cases[] = {
      {"top", "", "does not start with '{'"},
      {"tensor", "{\"W\":", "tensor 'W': expected an object"},
      {"shape", "{\"W\":{\"dtype\":\"F32\",\"shape\":[", "tensor 'W': shape must be a list"},
      {"offsets", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":",
       "data_offsets must be a list"},
      {"metadata", "{\"__metadata__\":{\"a\":", "__metadata__ value of 'a' is not a string"},
      {"metadata_object", "{\"__metadata__\":", "__metadata__ must be an object"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n = strlen(cases[i].before);
    char *header = malloc(n + 2 * DEPTH + 1);
    memcpy(header, cases[i].before, n);
    memset(header + n, '[', DEPTH);
    memset(header + n + DEPTH, ']', DEPTH);
    header[n + 2 * DEPTH] = '\0';
    char name[128], file[128];
    snprintf(name, sizeof name, "bad.deep_nesting.%s", cases[i].name);
    snprintf(file, sizeof file, "bad_deep_%s.safetensors", cases[i].name);
    build(scratch_path(file), header, 12);
    expect_fail(name, scratch_path(file), cases[i].fragment);
    free(header);
  }
}

static void test_semantics(void) {
  static const struct {
    const char *name, *header;
    size_t data_len;
    const char *fragment;
  } cases[] = {
      {"offsets_past_end", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,400]}," GOOD_B "}", 12,
       "tensor 'W' has data_offsets [0, 400] past the end of the data section (12 bytes)"},
      {"offsets_past_end_short_data", "{\"W\":" GOOD_W "," GOOD_B "}", 10,
       "tensor 'b' has data_offsets [8, 12] past the end of the data section (10 bytes)"},
      {"offsets_reversed", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[8,0]}," GOOD_B "}", 12,
       "tensor 'W' has data_offsets [8, 0] that end before they begin"},
      {"offsets_overlap", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]},"
       "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8,
       "tensors 'W' and 'b' overlap"},
      {"offsets_same", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]},"
       "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8, "overlap"},
      {"hole", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]},"
       "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16,
       "bytes 8 to 12 of the data section belong to no tensor"},
      {"trailing_data", "{\"W\":" GOOD_W "," GOOD_B "}", 20,
       "bytes 12 to 20 of the data section belong to no tensor"},
      {"wrong_length", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,12]},"
       "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16,
       "tensor 'W' has data_offsets [0, 12] (12 bytes), but F32 [2, 1] needs 8 bytes"},
      {"wrong_shape", "{\"W\":{\"dtype\":\"F32\",\"shape\":[3,1],\"data_offsets\":[0,12]},"
       "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16,
       "tensor 'W' has shape [3, 1], expected [2, 1]"},
      {"wrong_rank", "{\"W\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}," GOOD_B "}", 12,
       "tensor 'W' has shape [2], expected [2, 1]"},
      {"scalar_for_vector", "{\"W\":" GOOD_W ",\"b\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]}}", 12,
       "tensor 'b' has shape [], expected [1]"},
      {"wrong_dtype", "{\"W\":{\"dtype\":\"F64\",\"shape\":[2,1],\"data_offsets\":[0,16]},"
       "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}}", 20,
       "tensor 'W' has dtype F64, expected F32"},
      {"wrong_dtype_bf16", "{\"W\":" GOOD_W ",\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[8,10]}}", 10,
       "tensor 'b' has dtype BF16, expected F32"},
      {"missing_tensor", "{\"W\":" GOOD_W "}", 8, "missing tensor 'b'"},
      {"missing_all", "{}", 0, "missing tensor 'W'"},
      {"extra_tensor", "{\"W\":" GOOD_W "," GOOD_B ",\"foo\":{\"dtype\":\"F32\",\"shape\":[1],"
       "\"data_offsets\":[12,16]}}", 16, "unexpected tensor 'foo'"},
      {"renamed_tensor", "{\"fc.weight\":" GOOD_W "," GOOD_B "}", 12, "missing tensor 'W'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char name[128], file[128];
    snprintf(name, sizeof name, "bad.%s", cases[i].name);
    snprintf(file, sizeof file, "bad_%s.safetensors", cases[i].name);
    build(scratch_path(file), cases[i].header, cases[i].data_len);
    expect_fail(name, scratch_path(file), cases[i].fragment);
  }

  /* The valid file these cases damage loads, so the cases test what they say. */
  const char *ok = scratch_path("good_w_b.safetensors");
  build(ok, "{\"W\":" GOOD_W "," GOOD_B "}", 12);
  mgrt_tensor_ref t[2];
  model_refs(t);
  check(mgrt_safetensors_load(ok, t, 2) == 0 && w_data[0] == 1.0f && b_data[0] == 1.0f,
        "good.control_file", "%s", mgrt_last_error());
}

/* I64 tensors (batch norm's num_batches_tracked, as PyTorch saves it): 8
   bytes an element, little-endian, beside F32 ones; a dtype that differs
   from the model's either way is refused with both names. */
static void test_i64(void) {
  const char *path = scratch_path("i64.safetensors");
  float mean[3] = {0.5f, -1.0f, 2.0f};
  int64_t count = 1234567890123LL, counts[2] = {-7, 1LL << 40};
  mgrt_tensor_ref t[3];
  memset(t, 0, sizeof t);
  t[0] = (mgrt_tensor_ref){.name = "bn.running_mean", .data = mean, .rank = 1, .shape = {3}};
  t[1] = (mgrt_tensor_ref){.name = "bn.num_batches_tracked", .rank = 0, .data_i64 = &count};
  t[2] = (mgrt_tensor_ref){.name = "c", .rank = 1, .shape = {2}, .data_i64 = counts};
  check(mgrt_safetensors_save(path, t, 3) == 0, "i64.save", "%s", mgrt_last_error());
  size_t n = 0;
  unsigned char *file = read_file(path, &n);
  const char *want = "\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[12,20]}";
  check(file && n > 8 && strstr((const char *)file + 8, want) != NULL, "i64.header", "no %s", want);
  if (file && n >= 8) {
    uint64_t len = 0;
    for (int i = 0; i < 8; i++) len |= (uint64_t)file[i] << (8 * i);
    const unsigned char *d = file + 8 + len + 12;  /* the count, after the three floats */
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)d[i] << (8 * i);
    check(8 + len + 36 == n && v == (uint64_t)count, "i64.little_endian", "count reads %" PRIu64, v);
  }
  free(file);
  float mean2[3] = {0};
  int64_t count2 = 0, counts2[2] = {0};
  mgrt_tensor_ref u[3];
  memcpy(u, t, sizeof u);
  u[0].data = mean2;
  u[1].data_i64 = &count2;
  u[2].data_i64 = counts2;
  check(mgrt_safetensors_load(path, u, 3) == 0, "i64.load", "%s", mgrt_last_error());
  check(count2 == count && counts2[0] == -7 && counts2[1] == (1LL << 40) && mean2[2] == 2.0f, "i64.values",
        "%lld %lld %lld", (long long)count2, (long long)counts2[0], (long long)counts2[1]);

  /* the model wants F32 where the file has I64, and I64 where it has F32 */
  mgrt_tensor_ref f[3];
  memcpy(f, u, sizeof f);
  float as_float[2];
  f[2].data_i64 = NULL;
  f[2].data = as_float;
  int rc = mgrt_safetensors_load(path, f, 3);
  check(rc == -1 && strstr(mgrt_last_error(), "tensor 'c' has dtype I64, expected F32") &&
        strstr(mgrt_last_error(), path), "i64.dtype_i64_for_f32", "rc %d: %s", rc, mgrt_last_error());
  const char *floats = scratch_path("i64_as_f32.safetensors");
  build(floats, "{\"n\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", 4);
  int64_t got = 99;
  mgrt_tensor_ref g = {.name = "n", .rank = 0, .data_i64 = &got};
  rc = mgrt_safetensors_load(floats, &g, 1);
  check(rc == -1 && strstr(mgrt_last_error(), "tensor 'n' has dtype F32, expected I64") && got == 99,
        "i64.dtype_f32_for_i64", "rc %d: %s", rc, mgrt_last_error());
  const char *short_data = scratch_path("i64_short.safetensors");
  build(short_data, "{\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,4]}}", 4);
  rc = mgrt_safetensors_load(short_data, &g, 1);
  check(rc == -1 && strstr(mgrt_last_error(), "(4 bytes), but I64 [] needs 8 bytes") && got == 99,
        "i64.wrong_length", "rc %d: %s", rc, mgrt_last_error());
}

/* Bad tensor lists from the caller are refused before any file is touched. */
static float x[4];

static void test_bad_arguments(void) {
  static const struct {
    const char *name;
    mgrt_tensor_ref t[2];
    int n;
    const char *fragment;
  } cases[] = {
      {"duplicate_name", {{"a", x, 1, {1}}, {"a", x, 1, {1}}}, 2, "tensor 'a' is listed twice"},
      {"rank_7", {{"a", x, 7, {1, 1, 1, 1, 1, 1}}, {"b", x, 1, {1}}}, 1, "has rank 7"},
      {"negative_dim", {{"a", x, 1, {-1}}, {"b", x, 1, {1}}}, 1, "invalid or too large shape"},
      {"huge_shape", {{"a", x, 2, {INT64_MAX, 4}}, {"b", x, 1, {1}}}, 1, "invalid or too large shape"},
      {"no_data", {{"a", NULL, 1, {2}}, {"b", x, 1, {1}}}, 1, "tensor 'a' has no data"},
      {"metadata_name", {{"__metadata__", x, 1, {1}}, {"b", x, 1, {1}}}, 1, "invalid name"},
      {"empty_name", {{"", x, 1, {1}}, {"b", x, 1, {1}}}, 1, "invalid name"},
      {"null_name", {{NULL, x, 1, {1}}, {"b", x, 1, {1}}}, 1, "invalid name"},
      {"negative_count", {{"a", x, 1, {1}}, {"b", x, 1, {1}}}, -1, "invalid tensor list"},
  };
  const char *path = scratch_path("bad_args.safetensors");
  unlink(path);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char name[128];
    snprintf(name, sizeof name, "bad_arguments.save.%s", cases[i].name);
    int rc = mgrt_safetensors_save(path, cases[i].t, cases[i].n);
    check(rc == -1 && strstr(mgrt_last_error(), cases[i].fragment) != NULL, name,
          "rc %d, message \"%s\"", rc, mgrt_last_error());
    check(access(path, F_OK) != 0, name, "a file was created");
    snprintf(name, sizeof name, "bad_arguments.load.%s", cases[i].name);
    rc = mgrt_safetensors_load(path, (mgrt_tensor_ref *)cases[i].t, cases[i].n);
    check(rc == -1 && strstr(mgrt_last_error(), cases[i].fragment) != NULL, name,
          "rc %d, message \"%s\"", rc, mgrt_last_error());
  }
  check(count_temporaries(scratch, "bad_args.safetensors") == 0, "bad_arguments.temporaries",
        "a temporary file was left behind");
}

/* ------------------------------------------------------------------------
** Fuzzing: mutated and truncated copies of a valid file
** ---------------------------------------------------------------------- */

static uint64_t lcg_state = 0x2545F4914F6CDD1Dull;
static uint32_t lcg(void) {
  lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(lcg_state >> 33);
}

/* Loads path into the round-trip model; a failure must carry a message that
   names the file.  Returns 1 if the result was acceptable. */
static int load_survives(const char *path) {
  float weight[6], bias[2], w[2], s;
  mgrt_tensor_ref u[5] = {
      {"fc1.weight", weight, 2, {2, 3}}, {"fc1.bias", bias, 1, {2}}, {"W", w, 2, {2, 1}},
      {"s", &s, 0, {0}}, {"empty", NULL, 2, {0, 3}},
  };
  mgrt_set_error("%s", "");
  int rc = mgrt_safetensors_load(path, u, 5);
  return rc == 0 || (rc == -1 && strstr(mgrt_last_error(), path) != NULL);
}

static void test_fuzz(void) {
  size_t n;
  unsigned char *good = read_file(scratch_path("round_trip.safetensors"), &n);
  if (good == NULL) {
    check(0, "fuzz", "no round-trip file to mutate");
    return;
  }
  /* One file rewritten in place: truncating and refilling a file thousands
     of times is slow on file systems that discard freed blocks. */
  const char *path = scratch_path("fuzz.safetensors");
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0666);
  if (fd < 0 || pwrite(fd, good, n, 0) != (ssize_t)n) {
    check(0, "fuzz", "cannot write %s: %s", path, strerror(errno));
    if (fd >= 0) close(fd);
    free(good);
    return;
  }
  int bad = 0, loaded = 0;
  /* Every truncation, longest first. */
  for (size_t len = n; len-- > 0;) {
    if (ftruncate(fd, (off_t)len) != 0) bad++;
    if (!load_survives(path)) bad++;
  }
  /* Random byte changes, biased towards the length field and the header. */
  unsigned char *copy = malloc(n);
  for (int round = 0; round < 3000; round++) {
    memcpy(copy, good, n);
    int edits = 1 + (int)(lcg() % 4);
    for (int e = 0; e < edits; e++) {
      size_t at = lcg() % 2 ? lcg() % 16 : lcg() % n;
      static const char interesting[] = "{}[]\":,0123456789-\\ eE.";
      /* sizeof counts the terminating NUL, which is an interesting byte too */
      size_t pick = lcg() % sizeof interesting;
      copy[at] = lcg() % 2 ? (unsigned char)lcg() : (unsigned char)interesting[pick];
    }
    if (pwrite(fd, copy, n, 0) != (ssize_t)n) bad++;
    if (!load_survives(path)) bad++;
    else if (mgrt_last_error()[0] == '\0') loaded++;
  }
  close(fd);
  free(copy);
  free(good);
  check(bad == 0, "fuzz", "%d mutated files failed without a proper message", bad);
  printf("fuzz: %d of 3000 mutated files still loaded (changed data bytes)\n", loaded);
}

/* ------------------------------------------------------------------------
** Atomic saves
** ---------------------------------------------------------------------- */

static float old_value = 1.0f, new_values[100000];

/* Makes path a valid checkpoint of one value and returns its bytes. */
static unsigned char *make_old_file(const char *path, size_t *n) {
  mgrt_tensor_ref t = {"x", &old_value, 1, {1}};
  if (mgrt_safetensors_save(path, &t, 1) != 0) return NULL;
  return read_file(path, n);
}

static int file_is(const char *path, const unsigned char *bytes, size_t n) {
  size_t m;
  unsigned char *now = read_file(path, &m);
  int same = now != NULL && m == n && memcmp(now, bytes, n) == 0;
  free(now);
  return same;
}

static void test_atomic(void) {
  mgrt_tensor_ref big = {"x", new_values, 1, {100000}};

  /* A directory that does not exist. */
  int rc = mgrt_safetensors_save(scratch_path("no_such_dir/ckpt.safetensors"), &big, 1);
  check(rc == -1 && strstr(mgrt_last_error(), "cannot create a temporary file") != NULL,
        "atomic.missing_directory", "rc %d, message \"%s\"", rc, mgrt_last_error());

  /* A read-only directory with a checkpoint in it. */
  const char *ro = scratch_path("readonly");
  mkdir(ro, 0777);
  chmod(ro, 0777);
  const char *ro_file = path_in(ro, "ckpt.safetensors");
  size_t n;
  unsigned char *old = make_old_file(ro_file, &n);
  check(old != NULL, "atomic.setup", "cannot save %s: %s", ro_file, mgrt_last_error());
  if (old != NULL && geteuid() != 0) {
    chmod(ro, 0555);
    rc = mgrt_safetensors_save(ro_file, &big, 1);
    check(rc == -1 && strstr(mgrt_last_error(), "Permission denied") != NULL,
          "atomic.readonly_directory", "rc %d, message \"%s\"", rc, mgrt_last_error());
    check(file_is(ro_file, old, n), "atomic.readonly_directory", "the old file changed");
    chmod(ro, 0777);
  } else if (old != NULL) {
    printf("note: running as root, which may write into read-only directories: "
           "the read-only directory case is not run\n");
  }
  free(old);

  /* The file size limit hit half-way through writing: the write fails after
     the temporary holds part of the data. */
  const char *path = scratch_path("atomic.safetensors");
  old = make_old_file(path, &n);
  check(old != NULL, "atomic.setup", "cannot save %s: %s", path, mgrt_last_error());
  struct rlimit saved, small;
  void (*previous)(int) = signal(SIGXFSZ, SIG_IGN);
  if (old != NULL && getrlimit(RLIMIT_FSIZE, &saved) == 0) {
    small = saved;
    small.rlim_cur = 100000; /* the tensor needs 400000 bytes */
    if (setrlimit(RLIMIT_FSIZE, &small) == 0) {
      rc = mgrt_safetensors_save(path, &big, 1);
      setrlimit(RLIMIT_FSIZE, &saved);
      check(rc == -1 && strstr(mgrt_last_error(), "cannot write the temporary checkpoint") != NULL,
            "atomic.fails_half_way", "rc %d, message \"%s\"", rc, mgrt_last_error());
      check(file_is(path, old, n), "atomic.fails_half_way", "the old file changed");
      check(count_temporaries(scratch, "atomic.safetensors") == 0, "atomic.fails_half_way",
            "the temporary file was left behind");
    } else {
      check(0, "atomic.fails_half_way", "setrlimit: %s", strerror(errno));
    }
  }
  signal(SIGXFSZ, previous);
  free(old);

  /* Everything written, then the rename fails: a directory is in the way. */
  const char *dir = scratch_path("in_the_way.safetensors");
  mkdir(dir, 0777);
  rc = mgrt_safetensors_save(dir, &big, 1);
  struct stat st;
  check(rc == -1 && strstr(mgrt_last_error(), "cannot replace") != NULL, "atomic.rename_fails",
        "rc %d, message \"%s\"", rc, mgrt_last_error());
  check(stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "atomic.rename_fails",
        "the directory in the way was changed");
  check(count_temporaries(scratch, "in_the_way.safetensors") == 0, "atomic.rename_fails",
        "the temporary file was left behind");

  /* A replaced file keeps its permissions. */
  old = make_old_file(path, &n);
  chmod(path, 0640);
  check(mgrt_safetensors_save(path, &big, 1) == 0 && stat(path, &st) == 0 &&
        (st.st_mode & 0777) == 0640, "atomic.keeps_mode", "mode %o",
        (unsigned)(st.st_mode & 0777));
  free(old);
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s SCRATCH_DIR [FIXTURE_DIR]\n", argv[0]);
    return 2;
  }
  scratch = argv[1];
  if (mkdir_p(scratch) != 0) {
    fprintf(stderr, "%s: cannot create %s: %s\n", argv[0], scratch, strerror(errno));
    return 2;
  }
  remove_stale_temporaries();
  test_round_trip();
  test_large();
  test_foreign_formatting();
  if (argc == 3) test_torch_fixture(argv[2]);
  else printf("note: no FIXTURE_DIR given: the PyTorch-made file is not checked\n");
  test_sizes();
  test_json();
  test_deep_nesting();
  test_semantics();
  test_i64();
  test_bad_arguments();
  test_fuzz();
  test_atomic();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
