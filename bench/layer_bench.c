/*
** layer_bench.c — libmgrt's pooling (runtime/pool2d.c) and batch norm
** (runtime/batch_norm.c) on the shapes of the course's networks, in
** milliseconds and in GB/s of the arrays they must read and write: these
** kernels do a few operations per element, so memory, not arithmetic, is
** their limit (bench/peak.c measures the machine's bandwidth).
**
**   max_pool2d 2x2, stride 2: lab 10's [100, 32, 28, 28] and [100, 64, 14, 14],
**     forward (reads x, writes y) and backward (reads x and dy, writes dx)
**   batch_norm1d: lab 9-6's [100, 32] hidden layers (its lesson: 784-32-32-10)
**   batch_norm2d: [100, 32, 28, 28], as lab 10's first layer with batch norm
**     training forward (reads x twice: statistics, then y; writes y) and
**     backward (reads x and dy twice, writes dx)
**
** Build (libmgrt built by CMake with MGC_NATIVE=ON and OpenMP):
**   cc -O3 -march=native -std=c11 -fopenmp -Iruntime bench/layer_bench.c \
**      build/libmgrt.a -lz -lm -o layer_bench
** Run: ./layer_bench [runs] [threads]     (default 50 timed runs, 1 thread)
**
** One line per figure, the median of the timed runs after three warm-up runs:
**   layer: <name> threads <T> ms <median> gbs <GB/s of the arrays' bytes>
*/
#define _POSIX_C_SOURCE 199309L
#include "mgrt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static float *random_array(int64_t n) {
  float *p = malloc(sizeof(float) * (size_t)(n ? n : 1));
  if (!p) {
    fprintf(stderr, "layer_bench: out of memory\n");
    exit(2);
  }
  uint32_t x = 2463534242u;
  for (int64_t i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    p[i] = (float)((double)x / 4294967296.0 - 0.5);
  }
  return p;
}

typedef enum { POOL_FWD, POOL_BWD, BN_FWD, BN_BWD } kind;

static int run_once(kind k, const void *shape, float *out, const float *in, const float *aux,
                    const mgrt_batch_norm *bn) {
  switch (k) {
  case POOL_FWD: return mgrt_max_pool2d_forward(shape, out, in);
  case POOL_BWD: return mgrt_max_pool2d_backward(shape, out, aux, in);
  case BN_FWD: return mgrt_batch_norm_forward_train(shape, bn, out, in);
  case BN_BWD: return mgrt_batch_norm_backward(shape, bn, out, NULL, NULL, aux, in);
  }
  return -1;
}

/* Times one kernel; bytes: what it must read and write at the least. */
static void bench(const char *name, kind k, const void *shape, int64_t n_in, int64_t n_out,
                  int64_t n_aux, double bytes, int runs, int threads, const mgrt_batch_norm *bn) {
  float *in = random_array(n_in), *out = random_array(n_out), *aux = random_array(n_aux);
  double *times = malloc(sizeof(double) * (size_t)runs);
  for (int r = -3; r < runs; r++) {
    const double t0 = now();
    if (run_once(k, shape, out, in, aux, bn) != 0) {
      fprintf(stderr, "layer_bench: %s: %s\n", name, mgrt_last_error());
      exit(1);
    }
    if (r >= 0) times[r] = now() - t0;
  }
  qsort(times, (size_t)runs, sizeof times[0], compare_doubles);
  const double t = times[runs / 2];
  printf("layer: %s threads %d ms %.4f gbs %.1f\n", name, threads, t * 1e3, bytes / t * 1e-9);
  free(in), free(out), free(aux), free(times);
}

int main(int argc, char **argv) {
  const int runs = argc > 1 ? atoi(argv[1]) : 50;
  const int threads = mgrt_threads_set(argc > 2 ? atoi(argv[2]) : 1);
  if (runs < 1) {
    fprintf(stderr, "usage: %s [runs] [threads]\n", argv[0]);
    return 2;
  }
  const mgrt_pool2d_shape pools[2] = {{100, 32, 28, 28, 2, 2, 2, 2, 0, 0},
                                      {100, 64, 14, 14, 2, 2, 2, 2, 0, 0}};
  const char *pool_names[2] = {"max_pool2d_[100,32,28,28]", "max_pool2d_[100,64,14,14]"};
  for (int i = 0; i < 2; i++) {
    const mgrt_pool2d_shape *s = &pools[i];
    const int64_t nx = s->n * s->c * s->h * s->w;
    const int64_t ny = s->n * s->c * mgrt_pool2d_out_h(s) * mgrt_pool2d_out_w(s);
    char name[96];
    snprintf(name, sizeof name, "%s_forward", pool_names[i]);
    bench(name, POOL_FWD, s, nx, ny, 0, 4.0 * (double)(nx + ny), runs, threads, NULL);
    snprintf(name, sizeof name, "%s_backward", pool_names[i]);
    bench(name, POOL_BWD, s, nx, nx, ny, 4.0 * (double)(2 * nx + ny), runs, threads, NULL);
  }
  const mgrt_batch_norm_shape norms[2] = {{100, 32, 1, 1e-5, 0.1}, {100, 32, 28 * 28, 1e-5, 0.1}};
  const char *norm_names[2] = {"batch_norm1d_[100,32]", "batch_norm2d_[100,32,28,28]"};
  for (int i = 0; i < 2; i++) {
    const mgrt_batch_norm_shape *s = &norms[i];
    const int64_t nx = s->n * s->c * s->hw;
    float *weight = random_array(s->c), *bias = random_array(s->c), *rm = random_array(s->c);
    float *rv = random_array(s->c), *sm = random_array(s->c), *si = random_array(s->c);
    for (int64_t c = 0; c < s->c; c++) rv[c] = rv[c] + 1, si[c] = si[c] + 1;
    const mgrt_batch_norm bn = {weight, bias, rm, rv, sm, si};
    char name[96];
    snprintf(name, sizeof name, "%s_train_forward", norm_names[i]);
    bench(name, BN_FWD, s, nx, nx, 0, 4.0 * (double)(3 * nx), runs, threads, &bn);
    snprintf(name, sizeof name, "%s_backward", norm_names[i]);
    bench(name, BN_BWD, s, nx, nx, nx, 4.0 * (double)(5 * nx), runs, threads, &bn);
    free(weight), free(bias), free(rm), free(rv), free(sm), free(si);
  }
  return 0;
}
