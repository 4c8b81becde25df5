/*
** gemm_bench.c — libmgrt's matrix products against OpenBLAS's cblas_sgemm on
** the shapes of a training step of the 784-256-256-10 MLP at batch 100, at
** 1 and 2 threads.
**
** Build (libmgrt built by CMake with MGC_NATIVE=ON and OpenMP):
**   cc -O2 -march=native -fopenmp -Iruntime bench/gemm_bench.c build/libmgrt.a \
**      -lopenblas -lm -o gemm_bench
** or straight from the source, which is what docs/matmul.md's table used:
**   cc -O3 -march=native -fopenmp -Iruntime bench/gemm_bench.c runtime/matmul.c \
**      -lopenblas -lm -o gemm_bench
** Run: ./gemm_bench [runs]       (default 300 timed runs per shape and library)
**
** Each figure is the median of the timed runs, after warm-up runs, of one
** call each.  The machine may be shared, so the runs of the two libraries
** are interleaved in rounds: a busy spell slows both rather than one.  The
** threads of one library spin for a while after a call; a short sleep
** between the two libraries' rounds keeps them from stealing the core that
** the other library is timed on.  OpenBLAS's thread count is set with
** openblas_set_num_threads (what OPENBLAS_NUM_THREADS sets at start-up),
** mgrt's with omp_set_num_threads; the kernel OpenBLAS picked (which
** OPENBLAS_CORETYPE can force) is printed.
*/
#define _POSIX_C_SOURCE 199309L
#include "mgrt.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

/* OpenBLAS extensions (declared by OpenBLAS's cblas.h, not by others) */
void openblas_set_num_threads(int num_threads);
char *openblas_get_corename(void);

typedef struct {
  const char *what;
  char op; /* 'N' nn, 'T' nt, 't' tn */
  int64_t m, k, n;
} shape;

static const shape shapes[] = {
    {"fc1 forward   x @ W1^T", 'T', 100, 784, 256},
    {"fc2 forward   h @ W2^T", 'T', 100, 256, 256},
    {"fc3 forward   h @ W3^T", 'T', 100, 256, 10},
    {"fc3 dX        G @ W3", 'N', 100, 10, 256},
    {"fc2 dX        G @ W2", 'N', 100, 256, 256},
    {"fc1 dX        G @ W1", 'N', 100, 256, 784},
    {"fc3 dW        G^T @ h", 't', 10, 100, 256},
    {"fc2 dW        G^T @ h", 't', 256, 100, 256},
    {"fc1 dW        G^T @ x", 't', 256, 100, 784},
    {"tiny          6x2 @ 2x1", 'N', 6, 2, 1},
    {"tiny          768x8 @ 8x1", 'N', 768, 8, 1},
    {"tiny          101x16 @ 16x7", 'N', 101, 16, 7},
    {"tiny dW       8x759 @ 759x1", 't', 8, 759, 1},
    {"tiny dW       16x101 @ 101x7", 't', 16, 101, 7},
    {"synthetic fwd X @ W", 'N', 100000, 64, 10},
    {"synthetic dW  X^T @ G", 't', 64, 100000, 10},
};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void pause_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

static void run_mgrt(const shape *s, float *c, const float *a, const float *b) {
  if (s->op == 'N') mgrt_matmul_nn(c, a, b, s->m, s->k, s->n);
  else if (s->op == 'T') mgrt_matmul_nt(c, a, b, s->m, s->k, s->n);
  else mgrt_matmul_tn(c, a, b, s->m, s->k, s->n);
}

static void run_blas(const shape *s, float *c, const float *a, const float *b) {
  int m = (int)s->m, k = (int)s->k, n = (int)s->n;
  if (s->op == 'N')
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, a, k, b, n, 0, c, n);
  else if (s->op == 'T')
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1, a, k, b, k, 0, c, n);
  else
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, n, k, 1, a, m, b, n, 0, c, n);
}

static void set_threads(int t) {
#ifdef _OPENMP
  omp_set_num_threads(t);
#endif
  openblas_set_num_threads(t);
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 300;
  if (runs < 10) runs = 10;
  const int rounds = 10, per_round = (runs + rounds - 1) / rounds;
  const char *coretype = getenv("OPENBLAS_CORETYPE");
  printf("OpenBLAS kernel: %s (OPENBLAS_CORETYPE=%s)\n", openblas_get_corename(),
         coretype ? coretype : "unset");
#ifndef _OPENMP
  printf("mgrt built without OpenMP here: its 2-thread rows run on one thread\n");
#endif
  printf("median of %d runs per figure\n\n", rounds * per_round);
  printf("%-28s %-3s %4s %4s %4s %3s %9s %9s %9s %9s %6s\n", "product", "op", "m", "k", "n",
         "thr", "mgrt us", "blas us", "mgrt GF/s", "blas GF/s", "ratio");

  double *tm = malloc(sizeof(double) * (size_t)(rounds * per_round));
  double *tb = malloc(sizeof(double) * (size_t)(rounds * per_round));
  for (int threads = 1; threads <= 2; threads++) {
    set_threads(threads);
    for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
      const shape *s = &shapes[si];
      size_t na = (size_t)(s->m * s->k), nb = (size_t)(s->k * s->n), nc = (size_t)(s->m * s->n);
      float *a = malloc(sizeof(float) * na), *b = malloc(sizeof(float) * nb);
      float *c = malloc(sizeof(float) * nc), *c2 = malloc(sizeof(float) * nc);
      for (size_t i = 0; i < na; i++) a[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
      for (size_t i = 0; i < nb; i++) b[i] = (float)((i * 104729) % 1000) / 1000.0f - 0.5f;
      /* results must agree before the times mean anything */
      run_mgrt(s, c, a, b);
      run_blas(s, c2, a, b);
      double maxdiff = 0;
      for (size_t i = 0; i < nc; i++) {
        double d = c[i] > c2[i] ? c[i] - c2[i] : c2[i] - c[i];
        if (d > maxdiff) maxdiff = d;
      }
      if (maxdiff > 1e-3) printf("warning: %s: results differ by %g\n", s->what, maxdiff);
      int nt = 0;
      for (int r = 0; r < rounds; r++) {
        for (int w = 0; w < 5; w++) run_mgrt(s, c, a, b);
        for (int i = 0; i < per_round; i++) {
          double t0 = now();
          run_mgrt(s, c, a, b);
          tm[nt + i] = now() - t0;
        }
        pause_ms(5);
        for (int w = 0; w < 5; w++) run_blas(s, c2, a, b);
        for (int i = 0; i < per_round; i++) {
          double t0 = now();
          run_blas(s, c2, a, b);
          tb[nt + i] = now() - t0;
        }
        pause_ms(5);
        nt += per_round;
      }
      qsort(tm, (size_t)nt, sizeof(double), cmp_double);
      qsort(tb, (size_t)nt, sizeof(double), cmp_double);
      double med_m = tm[nt / 2], med_b = tb[nt / 2];
      double flop = 2.0 * (double)s->m * (double)s->k * (double)s->n;
      printf("%-28s %-3s %4lld %4lld %4lld %3d %9.2f %9.2f %9.1f %9.1f %6.2f\n", s->what,
             s->op == 'N' ? "nn" : s->op == 'T' ? "nt" : "tn", (long long)s->m, (long long)s->k,
             (long long)s->n, threads, med_m * 1e6, med_b * 1e6, flop / med_m * 1e-9,
             flop / med_b * 1e-9, med_b / med_m);
      fflush(stdout);
      free(a);
      free(b);
      free(c);
      free(c2);
    }
  }
  free(tm);
  free(tb);
  return 0;
}
