/*
** test_adam.c — mgrt_adam_update and _f64 (runtime/adam.c) against the update
** loop the generated program writes (compiler/emit_program.c, emit_update),
** copied here as the C it emits for Adam with and without weight decay.
**
** Both are compiled with -ffp-contract=off, as gcc compiles the generated C
** at -std=c11 (tests/CMakeLists.txt sets it), so they must agree bit for
** bit: parameters, gradients and moments from a reproducible generator
** (zeros, negative zeros and values from 1e-30 to 1e3 among them), several
** steps in a row (the moments carry over), sizes from 0 to past the
** threaded bound, the lab 9 MLP's betas and others, with 1 and 2 threads.
**
** Prints one line per failure and ends with "N passed, N failed"; exit
** status 1 when anything failed.
*/
#include "mgrt.h"
#include "mgrt_math.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static uint64_t rng_state = 0x2545F4914F6CDD1Du;
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

/* The generated loop for a float program (weight decay wd; wd == 0 leaves
   its line out, as the compiler does). */
static void reference_f32(float *restrict param, const float *restrict grad, float *restrict exp_avg,
                          float *restrict exp_avg_sq, int64_t n, const mgrt_adam_f32 *h) {
  const float step_size = h->step_size, bias_correction2_sqrt = h->bias_correction2_sqrt;
  for (int64_t i = 0; i < n; i++) {
    float d_p = grad[i];
    if (h->weight_decay != 0) d_p = fmaf(h->weight_decay, param[i], d_p);
    exp_avg[i] = fmaf(d_p, h->one_minus_beta1, exp_avg[i] * h->beta1);
    exp_avg_sq[i] = exp_avg_sq[i] * h->beta2 + h->one_minus_beta2 * d_p * d_p;
    float denom = mgrt_sqrtf(exp_avg_sq[i]) / bias_correction2_sqrt + h->eps;
    param[i] = param[i] + -step_size * exp_avg[i] / denom;
  }
}

static void reference_f64(double *restrict param, const double *restrict grad, double *restrict exp_avg,
                          double *restrict exp_avg_sq, int64_t n, const mgrt_adam_f64 *h) {
  const double step_size = h->step_size, bias_correction2_sqrt = h->bias_correction2_sqrt;
  for (int64_t i = 0; i < n; i++) {
    double d_p = grad[i];
    if (h->weight_decay != 0) d_p = fma(h->weight_decay, param[i], d_p);
    exp_avg[i] = fma(d_p, h->one_minus_beta1, exp_avg[i] * h->beta1);
    exp_avg_sq[i] = exp_avg_sq[i] * h->beta2 + h->one_minus_beta2 * d_p * d_p;
    double denom = sqrt(exp_avg_sq[i]) / bias_correction2_sqrt + h->eps;
    param[i] = param[i] + -step_size * exp_avg[i] / denom;
  }
}

static void *xmalloc(size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p) {
    fprintf(stderr, "test_adam: out of memory\n");
    exit(2);
  }
  return p;
}

static void check(int ok, const char *what, int64_t n, int step, double wd, int threads) {
  if (ok) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s: n %lld step %d weight_decay %g threads %d\n", what, (long long)n, step, wd,
           threads);
  }
}

/* Five steps of both, from the same start; every array compared each step. */
static void run(int64_t n, double beta1, double beta2, double eps, double wd, int threads) {
  mgrt_threads_set(threads); /* libmgrt's OpenMP threads, when it has them */
  float *f[8];
  double *d[8];
  for (int a = 0; a < 8; a++) {
    f[a] = xmalloc(sizeof(float) * (size_t)n);
    d[a] = xmalloc(sizeof(double) * (size_t)n);
  }
  for (int64_t i = 0; i < n; i++) {
    d[0][i] = d[4][i] = varied();                /* param */
    d[2][i] = d[6][i] = 0;                       /* exp_avg */
    d[3][i] = d[7][i] = 0;                       /* exp_avg_sq */
    for (int a = 0; a < 8; a++) f[a][i] = (float)d[a][i];
  }
  for (int step = 1; step <= 5; step++) {
    for (int64_t i = 0; i < n; i++) { /* a new gradient every step */
      d[1][i] = d[5][i] = varied();
      f[1][i] = f[5][i] = (float)d[1][i];
    }
    const double lr = 0.001, bc1 = 1 - pow(beta1, step), bc2 = 1 - pow(beta2, step);
    const mgrt_adam_f32 hf = {(float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
                              (float)eps, (float)wd, (float)(lr / bc1), (float)sqrt(bc2)};
    const mgrt_adam_f64 hd = {beta1, 1 - beta1, beta2, 1 - beta2, eps, wd, lr / bc1, sqrt(bc2)};
    reference_f32(f[0], f[1], f[2], f[3], n, &hf);
    mgrt_adam_update(f[4], f[5], f[6], f[7], n, &hf);
    reference_f64(d[0], d[1], d[2], d[3], n, &hd);
    mgrt_adam_update_f64(d[4], d[5], d[6], d[7], n, &hd);
    int ok32 = 1, ok64 = 1;
    for (int a = 0; a < 4; a += (a == 0 ? 2 : 1)) { /* param, exp_avg, exp_avg_sq */
      ok32 &= memcmp(f[a], f[a + 4], sizeof(float) * (size_t)n) == 0;
      ok64 &= memcmp(d[a], d[a + 4], sizeof(double) * (size_t)n) == 0;
    }
    check(ok32, "f32", n, step, wd, threads);
    check(ok64, "f64", n, step, wd, threads);
  }
  for (int a = 0; a < 8; a++) {
    free(f[a]);
    free(d[a]);
  }
}

int main(void) {
  const int64_t sizes[] = {0, 1, 7, 10, 16, 17, 256, 2560, 65535, 65536, 200704 + 3};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
    for (int threads = 1; threads <= 2; threads++) {
      run(sizes[s], 0.9, 0.999, 1e-8, 0, threads);         /* lab 9's Adam */
      run(sizes[s], 0.8, 0.99, 1e-6, 0.01, threads);       /* weight decay */
      run(sizes[s], 0.0, 0.5, 1e-3, 0, threads);
    }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
