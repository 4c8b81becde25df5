/*
** conv_refs.c — the reader of conv_refs.txt and the comparison of results
** with its arrays (conv_refs.h).
*/
#include "conv_refs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void ref_fail(const char *path, const char *what) {
  fprintf(stderr, "%s: malformed reference file: %s\n", path, what);
  exit(2);
}

int ref_next(FILE *f, const char *path, ref_case *c) {
  char word[128];
  memset(c, 0, sizeof *c);
  /* skip comment lines, find "case" */
  for (;;) {
    if (fscanf(f, "%127s", word) != 1) return 0;
    if (word[0] == '#') {
      int ch;
      while ((ch = fgetc(f)) != EOF && ch != '\n') {
      }
      continue;
    }
    if (strcmp(word, "case") != 0) ref_fail(path, "expected 'case'");
    break;
  }
  if (fscanf(f, "%31s %63s", c->op, c->name) != 2) ref_fail(path, "case line");
  /* key=value pairs up to the end of the line */
  for (;;) {
    int ch = fgetc(f);
    while (ch == ' ') ch = fgetc(f);
    if (ch == '\n' || ch == EOF) break;
    ungetc(ch, f);
    if (fscanf(f, "%127s", word) != 1) ref_fail(path, "parameter");
    char *eq = strchr(word, '=');
    if (!eq || c->n_params == REF_MAX_PARAMS) ref_fail(path, "parameter");
    *eq = 0;
    if (strlen(word) >= sizeof c->keys[0]) ref_fail(path, "parameter name too long");
    memcpy(c->keys[c->n_params], word, strlen(word) + 1);
    c->params[c->n_params++] = strtod(eq + 1, NULL);
  }
  for (;;) {
    if (fscanf(f, "%127s", word) != 1) ref_fail(path, "missing 'end'");
    if (strcmp(word, "end") == 0) return 1;
    if (c->n_arrays == REF_MAX_ARRAYS) ref_fail(path, "too many arrays");
    ref_array *a = &c->arrays[c->n_arrays++];
    if (strlen(word) >= sizeof a->name) ref_fail(path, "array name too long");
    memcpy(a->name, word, strlen(word) + 1);
    long long count;
    if (fscanf(f, "%lld", &count) != 1 || count < 0) ref_fail(path, "array length");
    a->count = count;
    a->values = malloc(sizeof(double) * (size_t)(count ? count : 1));
    if (!a->values) ref_fail(path, "out of memory");
    for (long long i = 0; i < count; i++) {
      if (fscanf(f, "%127s", word) != 1) ref_fail(path, "array values");
      a->values[i] = strtod(word, NULL); /* strtod reads "inf" and "nan" too */
    }
  }
}

void ref_free(ref_case *c) {
  for (int i = 0; i < c->n_arrays; i++) free(c->arrays[i].values);
  c->n_arrays = 0;
}

double ref_param(const ref_case *c, const char *key) {
  for (int i = 0; i < c->n_params; i++)
    if (strcmp(c->keys[i], key) == 0) return c->params[i];
  fprintf(stderr, "case %s: no parameter '%s'\n", c->name, key);
  exit(2);
}

int64_t ref_int(const ref_case *c, const char *key) { return (int64_t)ref_param(c, key); }

const ref_array *ref_find(const ref_case *c, const char *name) {
  for (int i = 0; i < c->n_arrays; i++)
    if (strcmp(c->arrays[i].name, name) == 0) return &c->arrays[i];
  return NULL;
}

const ref_array *ref_need(const ref_case *c, const char *name, int64_t count) {
  const ref_array *a = ref_find(c, name);
  if (!a || a->count != count) {
    fprintf(stderr, "case %s: array '%s' of %lld values is missing\n", c->name, name, (long long)count);
    exit(2);
  }
  return a;
}

float *ref_copy_f32(const ref_array *a) {
  float *v = malloc(sizeof(float) * (size_t)(a->count ? a->count : 1));
  if (!v) exit(2);
  for (int64_t i = 0; i < a->count; i++) v[i] = (float)a->values[i];
  return v;
}

double *ref_copy_f64(const ref_array *a) {
  double *v = malloc(sizeof(double) * (size_t)(a->count ? a->count : 1));
  if (!v) exit(2);
  for (int64_t i = 0; i < a->count; i++) v[i] = (double)(float)a->values[i];
  return v;
}

static double ref_scale(const ref_array *want) {
  double sum = 0;
  for (int64_t i = 0; i < want->count; i++) sum += fabs(want->values[i]);
  return want->count ? sum / (double)want->count : 0;
}

/* NaN where want has none (or the reverse) is an infinite error. */
static double ref_element_error(double got, double want, double scale) {
  if (isnan(want) || isnan(got)) return isnan(want) && isnan(got) ? 0 : INFINITY;
  if (got == want) return 0;
  const double denom = fabs(want) + scale;
  return denom > 0 ? fabs(got - want) / denom : INFINITY;
}

double ref_error_f32(const float *got, const ref_array *want) {
  return ref_error_f32_scaled(got, want, ref_scale(want));
}

double ref_error_f32_scaled(const float *got, const ref_array *want, double scale) {
  double worst = 0;
  for (int64_t i = 0; i < want->count; i++)
    worst = fmax(worst, ref_element_error(got[i], (float)want->values[i], scale));
  return worst;
}

double ref_error_f64(const double *got, const ref_array *want) {
  const double scale = ref_scale(want);
  double worst = 0;
  for (int64_t i = 0; i < want->count; i++) worst = fmax(worst, ref_element_error(got[i], want->values[i], scale));
  return worst;
}

/* ---- shared by the three tests ---- */

static int passed, failed;

void ref_check(int ok, const char *what, const char *detail) {
  if (ok) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s: %s\n", what, detail);
  }
}

int ref_report(void) {
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

static uint64_t rng_state;

void ref_rng_seed(uint64_t seed) { rng_state = seed; }

uint64_t ref_next_u64(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

static const float GUARD_F32 = 12345.5f;

float *ref_guarded(int64_t n) {
  float *p = malloc(sizeof(float) * (size_t)(n + REF_GUARD));
  for (int64_t i = 0; i < n; i++) p[i] = NAN;
  for (int64_t i = 0; i < REF_GUARD; i++) p[n + i] = GUARD_F32;
  return p;
}

int ref_guard_ok(const float *p, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    if (isnan(p[i])) return 0;
  for (int64_t i = 0; i < REF_GUARD; i++)
    if (p[n + i] != GUARD_F32) return 0;
  return 1;
}
