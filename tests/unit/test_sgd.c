/*
** test_sgd.c — mgrt_sgd_update and _f64 (runtime/sgd.c) against the loop the
** generated program wrote per parameter before its parameters were one
** contiguous array (compiler/emit/program/update.c), copied here as the C
** it emitted: with and without momentum, weight decay and Nesterov.
**
** Both are compiled with -ffp-contract=off, as gcc compiles the generated C
** at -std=c11 (tests/CMakeLists.txt sets it), so they must agree bit for
** bit: parameters and gradients from a reproducible generator (zeros,
** negative zeros and values from 1e-30 to 1e3 among them), five steps in a
** row (the momentum buffer starts as the first step's d_p and carries
** over), sizes from 0 to past the threaded bound, with 1 and 2 threads.
**
** Prints one line per failure and ends with "N passed, N failed"; exit
** status 1 when anything failed.
*/
#include "mgrt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t next_u64(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

/* A value of varied magnitude and sign, sometimes exactly +0 or -0. */
static double varied(void) {
  const uint64_t r = next_u64();
  if (r % 17 == 0) return 0.0;
  if (r % 19 == 0) return -0.0;
  const double mag = pow(10.0, (double)(int)((r >> 8) % 34) - 30.0);
  const double u = (double)(r >> 11) * 0x1p-53;
  return (r & 1 ? -1 : 1) * mag * (0.5 + u);
}

/* The generated loop (lines left out as the compiler left them out: no
   weight decay line for weight_decay 0, no buffer without momentum). */
#define REFERENCE(name, T, FMA, S)                                                                 \
  static void name(T *restrict param, const T *restrict grad, T *restrict buf, int64_t n,          \
                   const S *h, int step) {                                                         \
    const T neg_lr = h->neg_lr;                                                                    \
    for (int64_t i = 0; i < n; i++) {                                                              \
      T d_p = grad[i];                                                                             \
      if (h->weight_decay != 0) d_p = FMA(h->weight_decay, param[i], d_p);                         \
      if (h->momentum != 0) {                                                                      \
        buf[i] = step == 1 ? d_p : buf[i] * h->momentum + d_p;                                     \
        if (h->nesterov) d_p = FMA(h->momentum, buf[i], d_p);                                      \
        else d_p = buf[i];                                                                         \
      }                                                                                            \
      param[i] = FMA(neg_lr, d_p, param[i]);                                                       \
    }                                                                                              \
  }
REFERENCE(reference_f32, float, fmaf, mgrt_sgd_f32)
REFERENCE(reference_f64, double, fma, mgrt_sgd_f64)

static void *xmalloc(size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p) {
    fprintf(stderr, "test_sgd: out of memory\n");
    exit(2);
  }
  return p;
}

static void check(int ok, const char *what, int64_t n, int step, double mom, double wd, int nesterov,
                  int threads) {
  if (ok) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s: n %lld step %d momentum %g weight_decay %g nesterov %d threads %d\n", what,
           (long long)n, step, mom, wd, nesterov, threads);
  }
}

/* Five steps of both, from the same start; params and buffers compared each step. */
static void run(int64_t n, double lr, double mom, double wd, int nesterov, int threads) {
  mgrt_threads_set(threads); /* libmgrt's OpenMP threads, when it has them */
  float *f[6];
  double *d[6];
  for (int a = 0; a < 6; a++) {
    f[a] = xmalloc(sizeof(float) * (size_t)n);
    d[a] = xmalloc(sizeof(double) * (size_t)n);
  }
  for (int64_t i = 0; i < n; i++) {
    d[0][i] = d[3][i] = varied(); /* param */
    d[2][i] = d[5][i] = varied(); /* buffer: overwritten at the first step */
    for (int a = 0; a < 6; a++) f[a][i] = (float)d[a][i];
  }
  for (int step = 1; step <= 5; step++) {
    for (int64_t i = 0; i < n; i++) { /* a new gradient every step */
      d[1][i] = d[4][i] = varied();
      f[1][i] = f[4][i] = (float)d[1][i];
    }
    const mgrt_sgd_f32 hf = {(float)-lr, (float)mom, (float)wd, nesterov, step == 1};
    const mgrt_sgd_f64 hd = {-lr, mom, wd, nesterov, step == 1};
    reference_f32(f[0], f[1], f[2], n, &hf, step);
    mgrt_sgd_update(f[3], f[4], mom != 0 ? f[5] : NULL, n, &hf);
    reference_f64(d[0], d[1], d[2], n, &hd, step);
    mgrt_sgd_update_f64(d[3], d[4], mom != 0 ? d[5] : NULL, n, &hd);
    int ok32 = memcmp(f[0], f[3], sizeof(float) * (size_t)n) == 0;
    int ok64 = memcmp(d[0], d[3], sizeof(double) * (size_t)n) == 0;
    if (mom != 0) {
      ok32 &= memcmp(f[2], f[5], sizeof(float) * (size_t)n) == 0;
      ok64 &= memcmp(d[2], d[5], sizeof(double) * (size_t)n) == 0;
    }
    check(ok32, "f32", n, step, mom, wd, nesterov, threads);
    check(ok64, "f64", n, step, mom, wd, nesterov, threads);
  }
  for (int a = 0; a < 6; a++) {
    free(f[a]);
    free(d[a]);
  }
}

int main(void) {
  const int64_t sizes[] = {0, 1, 7, 16, 17, 2560, 65535, 65536, 200704 + 3};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
    for (int threads = 1; threads <= 2; threads++) {
      run(sizes[s], 0.1, 0, 0, 0, threads);        /* the lessons' plain SGD */
      run(sizes[s], 0.01, 0, 0.001, 0, threads);   /* weight decay */
      run(sizes[s], 0.05, 0.9, 0, 0, threads);     /* momentum */
      run(sizes[s], 0.05, 0.9, 0.01, 0, threads);  /* momentum and weight decay */
      run(sizes[s], 0.05, 0.9, 0, 1, threads);     /* Nesterov */
      run(sizes[s], 0.3, 0.5, 0.02, 1, threads);   /* Nesterov and weight decay */
    }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
