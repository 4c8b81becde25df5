/*
** step_bench.c — the parts of a training step other than the products, timed
** alone:
**  - the lab 9-5 network's dropout masks (4 x 100 x 512 elements a step)
**    drawn element by element, as libmgrt did before runtime/rng_dropout.c,
**    and in bulk;
**  - Adam's update of the lab 9 MLP's and the lab 9-5 network's parameters:
**    the generated program's loops, one per parameter (each its own arrays,
**    as the program lays them out), against mgrt_adam_update (runtime/adam.c)
**    over the same parameters laid out one after the other, in one call;
**    on 1 and 2 threads;
**  - the products with fused epilogues (runtime/matmul.c) against the
**    product followed by the generated program's loop: a hidden layer's
**    relu(x W^T + b) and the gradient through a ReLU, (G W) * (h > 0), on
**    the MLPs' shapes, 1 thread.
**
** Build (libmgrt built by CMake with MGC_NATIVE=ON; -std=c11 leaves the
** copy of the generated update loop unfused, as the generated C is):
**   cc -O3 -march=native -std=c11 -fopenmp -Iruntime bench/step_bench.c \
**      build/libmgrt.a -lz -lm -o step_bench
** Run: ./step_bench [runs]       (default 200 timed runs per figure)
**
** Each figure is the median of the timed runs, after 10 warm-up runs; the
** variants of one measurement are interleaved run by run, so a busy spell of
** a shared machine slows all of them alike.  One line per figure:
**   <measurement> <variant> us <median> <extra>
*/
#define _POSIX_C_SOURCE 199309L
#include "mgrt.h"
#include "mgrt_math.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

static int cmp_double(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void *xmalloc(size_t bytes) {
  void *p = malloc(bytes);
  if (!p) {
    fprintf(stderr, "step_bench: out of memory\n");
    exit(2);
  }
  return p;
}

/* ---- dropout masks ---- */

/* The element-by-element draw libmgrt used before (and test_dropout.c's
   reference): two engine calls and a double compare per element. */
static void mask_one_at_a_time(mgrt_rng *rng, float *mask, int64_t n, double p) {
  const double keep = 1 - p;
  const float scale = 1.0f / (float)keep;
  for (int64_t i = 0; i < n; i++) {
    const uint64_t bits = mgrt_rng_next64(rng) & ((UINT64_C(1) << 53) - 1);
    const double u = (double)bits * (1.0 / 9007199254740992.0);
    mask[i] = u < keep ? scale : 0.0f;
  }
}

static void bench_dropout(int runs) {
  enum { MASKS = 4, ROWS = 100, UNITS = 512 };
  const int64_t n = (int64_t)ROWS * UNITS;
  float *mask = xmalloc(sizeof(float) * (size_t)(MASKS * n));
  double *t_old = xmalloc(sizeof(double) * (size_t)runs);
  double *t_new = xmalloc(sizeof(double) * (size_t)runs);
  mgrt_rng rng;
  mgrt_rng_seed(&rng, 777);
  for (int r = -10; r < runs; r++) {
    double t0 = now_us();
    for (int k = 0; k < MASKS; k++) mask_one_at_a_time(&rng, mask + k * n, n, (double)0.3f);
    double t1 = now_us();
    for (int k = 0; k < MASKS; k++) mgrt_rng_dropout_mask(&rng, mask + k * n, n, (double)0.3f);
    double t2 = now_us();
    if (r >= 0) t_old[r] = t1 - t0, t_new[r] = t2 - t1;
  }
  const double old_us = median(t_old, runs), new_us = median(t_new, runs);
  const double elems = (double)(MASKS * n);
  printf("dropout-masks one-at-a-time us %.1f ns/element %.2f\n", old_us, 1e3 * old_us / elems);
  printf("dropout-masks bulk us %.1f ns/element %.2f GB/s-written %.1f\n", new_us,
         1e3 * new_us / elems, elems * sizeof(float) / (new_us * 1e3));
  free(mask);
  free(t_old);
  free(t_new);
}

/* ---- Adam ---- */

/* The generated program's update loop for one parameter (weight decay 0),
   as compiler/emit_program.c writes it, threads from 65536 elements. */
static void adam_generated(float *restrict param, const float *restrict grad, float *restrict exp_avg,
                           float *restrict exp_avg_sq, int64_t n, float step_size,
                           float bias_correction2_sqrt) {
  if (n >= 65536) {
    MGRT_PARALLEL_FOR
    for (int64_t i = 0; i < n; i++) {
      float d_p = grad[i];
      exp_avg[i] = fmaf(d_p, 0.100000001f, exp_avg[i] * 0.899999976f);
      exp_avg_sq[i] = exp_avg_sq[i] * 0.999000013f + 0.00100000005f * d_p * d_p;
      float denom = mgrt_sqrtf(exp_avg_sq[i]) / bias_correction2_sqrt + 9.99999994e-09f;
      param[i] = param[i] + -step_size * exp_avg[i] / denom;
    }
  } else {
    for (int64_t i = 0; i < n; i++) {
      float d_p = grad[i];
      exp_avg[i] = fmaf(d_p, 0.100000001f, exp_avg[i] * 0.899999976f);
      exp_avg_sq[i] = exp_avg_sq[i] * 0.999000013f + 0.00100000005f * d_p * d_p;
      float denom = mgrt_sqrtf(exp_avg_sq[i]) / bias_correction2_sqrt + 9.99999994e-09f;
      param[i] = param[i] + -step_size * exp_avg[i] / denom;
    }
  }
}

static void bench_adam(const char *what, const int64_t *sizes, int nparams, int threads, int runs) {
  int64_t total = 0;
  for (int k = 0; k < nparams; k++) total += sizes[k];
  float *sep[4], *flat[4]; /* param, grad, exp_avg, exp_avg_sq */
  for (int a = 0; a < 4; a++) {
    sep[a] = xmalloc(sizeof(float) * (size_t)total);
    flat[a] = xmalloc(sizeof(float) * (size_t)total);
    for (int64_t i = 0; i < total; i++) sep[a][i] = flat[a][i] = a == 1 ? 1e-3f * (float)(i % 97) : 0.01f;
  }
  mgrt_threads_set(threads);
  const mgrt_adam_f32 h = {0.899999976f, 0.100000001f, 0.999000013f, 0.00100000005f, 9.99999994e-09f,
                           0, 0.01f, 0.0316f};
  double *t_gen = xmalloc(sizeof(double) * (size_t)runs), *t_one = xmalloc(sizeof(double) * (size_t)runs);
  for (int r = -10; r < runs; r++) {
    double t0 = now_us();
    /* the generated layout: every parameter's four arrays apart (here
       consecutive slices of four separate blocks, as far apart as the
       program's interleaved layout keeps them) */
    int64_t at = 0;
    for (int k = 0; k < nparams; k++) {
      adam_generated(sep[0] + at, sep[1] + at, sep[2] + at, sep[3] + at, sizes[k], h.step_size,
                     h.bias_correction2_sqrt);
      at += sizes[k];
    }
    double t1 = now_us();
    mgrt_adam_update(flat[0], flat[1], flat[2], flat[3], total, &h);
    double t2 = now_us();
    if (r >= 0) t_gen[r] = t1 - t0, t_one[r] = t2 - t1;
  }
  int same = 1;
  for (int a = 0; a < 4; a++)
    same &= memcmp(sep[a], flat[a], sizeof(float) * (size_t)total) == 0;
  const double g = median(t_gen, runs), o = median(t_one, runs);
  const double bytes = 7.0 * sizeof(float) * (double)total; /* 4 arrays read, 3 written */
  printf("adam %s threads %d generated-loops us %.1f GB/s %.1f\n", what, threads, g, bytes / (g * 1e3));
  printf("adam %s threads %d one-pass us %.1f GB/s %.1f same-bits %s\n", what, threads, o,
         bytes / (o * 1e3), same ? "yes" : "NO");
  for (int a = 0; a < 4; a++) {
    free(sep[a]);
    free(flat[a]);
  }
  free(t_gen);
  free(t_one);
}

/* ---- products with fused epilogues ---- */

static void bench_epilogue(int64_t m, int64_t k, int64_t n, int runs) {
  float *a = xmalloc(sizeof(float) * (size_t)(m * k)), *b = xmalloc(sizeof(float) * (size_t)(k * n));
  float *bias = xmalloc(sizeof(float) * (size_t)n), *keep = xmalloc(sizeof(float) * (size_t)(m * n));
  float *c = xmalloc(sizeof(float) * (size_t)(m * n)), *h = xmalloc(sizeof(float) * (size_t)(m * n));
  for (int64_t i = 0; i < m * k; i++) a[i] = (float)((i * 7919) % 1000) * 1e-3f - 0.5f;
  for (int64_t i = 0; i < k * n; i++) b[i] = (float)((i * 104729) % 1000) * 1e-3f - 0.5f;
  for (int64_t j = 0; j < n; j++) bias[j] = 0.01f * (float)(j % 7) - 0.03f;
  for (int64_t i = 0; i < m * n; i++) keep[i] = (float)(i % 3) - 1.0f;
  mgrt_threads_set(1);
  double *t[4];
  for (int v = 0; v < 4; v++) t[v] = xmalloc(sizeof(double) * (size_t)runs);
  for (int r = -10; r < runs; r++) {
    double t0 = now_us();
    mgrt_matmul_nt(c, a, b, m, k, n); /* then the generated loop */
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) {
        const float v0 = c[i * n + j] + bias[j];
        h[i * n + j] = v0 > 0 ? v0 : 0;
      }
    double t1 = now_us();
    mgrt_matmul_nt_bias_relu(h, a, b, bias, m, k, n);
    double t2 = now_us();
    mgrt_matmul_nn(c, a, b, m, k, n);
    for (int64_t i = 0; i < m * n; i++) {
      const float v0 = keep[i] > 0.0f;
      h[i] = v0 != 0 ? c[i] : 0.0f;
    }
    double t3 = now_us();
    mgrt_matmul_nn_relu_grad(h, a, b, keep, m, k, n);
    double t4 = now_us();
    if (r >= 0) t[0][r] = t1 - t0, t[1][r] = t2 - t1, t[2][r] = t3 - t2, t[3][r] = t4 - t3;
  }
  const double flop = 2.0 * (double)m * (double)k * (double)n;
  const char *names[4] = {"nt+bias+relu separate", "nt_bias_relu fused", "nn+relu_grad separate",
                          "nn_relu_grad fused"};
  for (int v = 0; v < 4; v++) {
    const double us = median(t[v], runs);
    printf("epilogue %lldx%lldx%lld %s us %.2f GFLOP/s %.1f\n", (long long)m, (long long)k, (long long)n,
           names[v], us, flop / (us * 1e3));
    free(t[v]);
  }
  free(a), free(b), free(bias), free(keep), free(c), free(h);
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 200;
  if (runs < 1) {
    fprintf(stderr, "usage: %s [runs >= 1]\n", argv[0]);
    return 2;
  }
  printf("# step_bench: median of %d runs; lab 9-5 network shapes (batch 100)\n", runs);
  bench_dropout(runs);
  const int64_t mlp[] = {200704, 256, 65536, 256, 2560, 10};
  const int64_t deep[] = {401408, 512, 262144, 512, 262144, 512, 262144, 512, 5120, 10};
  bench_epilogue(100, 784, 256, runs);
  bench_epilogue(100, 256, 256, runs);
  bench_epilogue(100, 784, 512, runs);
  bench_epilogue(100, 512, 512, runs);
  for (int threads = 1; threads <= 2; threads++) {
    bench_adam("lab09_mlp", mlp, 6, threads, runs);
    bench_adam("lab09_dropout", deep, 10, threads, runs);
  }
  return 0;
}
