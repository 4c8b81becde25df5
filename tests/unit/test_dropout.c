/*
** test_dropout.c — the bulk dropout masks (runtime/rng_dropout.c) and the
** bulk engine words (mgrt_rng_words) against the element-by-element draw.
**
** The reference is the mask as libmgrt drew it before the bulk version (and
** as PyTorch's bernoulli_(1 - p) draws it): per element one mgrt_rng_next64,
** its low 53 bits times 2^-53 as a double, kept (scale) when below 1 - p.
** For many sizes (0, 1, odd ones, across a 624-word regeneration and the
** bulk code's runs of 1024 elements) and offsets (words drawn before the
** mask, so the mask starts anywhere in the engine's state, also right at a
** regeneration), and p values (0, 0.3 as the float 0.3f a program passes,
** 0.5, 0.999, 1, values whose 1 - p times 2^53 is an integer), the float and
** the double masks must equal the reference bit for bit, and the generator
** must be left in the same state (the next words drawn agree).
**
** Prints one line per failure and ends with "N passed, N failed"; exit
** status 1 when anything failed.
*/
#include "mgrt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void check(int ok, const char *what, int64_t n, int64_t offset, double p) {
  if (ok) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s: n %lld offset %lld p %.17g\n", what, (long long)n, (long long)offset, p);
  }
}

static void reference_f32(mgrt_rng *rng, float *mask, int64_t n, double p) {
  const double keep = 1 - p;
  const float scale = 1.0f / (float)keep;
  for (int64_t i = 0; i < n; i++) {
    const uint64_t bits = mgrt_rng_next64(rng) & ((UINT64_C(1) << 53) - 1);
    const double u = (double)bits * (1.0 / 9007199254740992.0);
    mask[i] = u < keep ? scale : 0.0f;
  }
}

static void reference_f64(mgrt_rng *rng, double *mask, int64_t n, double p) {
  const double keep = 1 - p;
  const double scale = 1.0 / keep;
  for (int64_t i = 0; i < n; i++) {
    const uint64_t bits = mgrt_rng_next64(rng) & ((UINT64_C(1) << 53) - 1);
    const double u = (double)bits * (1.0 / 9007199254740992.0);
    mask[i] = u < keep ? scale : 0.0;
  }
}

/* Two generators seeded alike, advanced by offset words one at a time. */
static void start(mgrt_rng *a, mgrt_rng *b, uint64_t seed, int64_t offset) {
  mgrt_rng_seed(a, seed);
  mgrt_rng_seed(b, seed);
  for (int64_t i = 0; i < offset; i++) {
    (void)mgrt_rng_next32(a);
    (void)mgrt_rng_next32(b);
  }
}

/* The same generator state: the next 1300 words (past a regeneration) agree. */
static int same_stream(mgrt_rng *a, mgrt_rng *b) {
  for (int i = 0; i < 1300; i++)
    if (mgrt_rng_next32(a) != mgrt_rng_next32(b)) return 0;
  return 1;
}

static void test_masks(int64_t n, int64_t offset, double p) {
  mgrt_rng a, b;
  float *want = malloc(sizeof(float) * (size_t)(n + 1));
  float *got = malloc(sizeof(float) * (size_t)(n + 1));
  double *want64 = malloc(sizeof(double) * (size_t)(n + 1));
  double *got64 = malloc(sizeof(double) * (size_t)(n + 1));
  if (!want || !got || !want64 || !got64) {
    fprintf(stderr, "test_dropout: out of memory\n");
    exit(2);
  }
  uint64_t seed = 777 + (uint64_t)offset;

  start(&a, &b, seed, offset);
  reference_f32(&a, want, n, p);
  mgrt_rng_dropout_mask(&b, got, n, p);
  check(memcmp(want, got, sizeof(float) * (size_t)n) == 0, "f32 mask", n, offset, p);
  check(same_stream(&a, &b), "f32 state after", n, offset, p);

  start(&a, &b, seed, offset);
  reference_f64(&a, want64, n, p);
  mgrt_rng_dropout_mask_f64(&b, got64, n, p);
  check(memcmp(want64, got64, sizeof(double) * (size_t)n) == 0, "f64 mask", n, offset, p);
  check(same_stream(&a, &b), "f64 state after", n, offset, p);

  free(want);
  free(got);
  free(want64);
  free(got64);
}

/* mgrt_rng_words against mgrt_rng_next32, in pieces of several sizes. */
static void test_words(int64_t offset) {
  mgrt_rng a, b;
  start(&a, &b, 11, offset);
  static uint32_t got[5000];
  int ok = 1;
  const int64_t pieces[] = {1, 0, 623, 624, 2, 625, 1000, 1247};
  int64_t at = 0;
  for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
    mgrt_rng_words(&b, got + at, pieces[i]);
    for (int64_t j = 0; j < pieces[i]; j++)
      if (mgrt_rng_next32(&a) != got[at + j]) ok = 0;
    at += pieces[i];
  }
  check(ok, "words", at, offset, 0);
  check(same_stream(&a, &b), "words state after", at, offset, 0);
}

int main(void) {
  const int64_t sizes[] = {0, 1, 2, 3, 15, 16, 17, 311, 312, 313, 623, 624, 625, 1023, 1024,
                           1025, 2048, 3001, 51200};
  const int64_t offsets[] = {0, 1, 2, 3, 622, 623, 624, 625, 1000, 1247, 1248};
  /* 0.3f as a program passes it; 0.25 and 0.5: 1 - p times 2^53 an integer */
  const double ps[] = {0.0, (double)0.3f, 0.3, 0.25, 0.5, 0.1, 0.999, 1e-12, 1.0};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
    for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++)
      for (size_t q = 0; q < sizeof ps / sizeof ps[0]; q++) test_masks(sizes[s], offsets[o], ps[q]);
  for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++) test_words(offsets[o]);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
