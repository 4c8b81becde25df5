/*
** conv_bench.c — libmgrt's convolutions (runtime/conv2d.c) on the lab 10
** CNN's shapes at batch 100, in GFLOP/s next to this machine's peak of
** fused multiply-adds, at 1 and 2 threads.
**
**   conv1: 1 -> 32 channels, 3x3, padding 1, on 28x28 (forward, weight gradient)
**   conv2: 32 -> 64 channels, 3x3, padding 1, on 14x14 (forward, input
**          gradient, weight gradient)
**
** The peak is measured here, by a loop of independent fused multiply-adds
** on registers only (16-float AVX-512 vectors, or 8-float AVX2 ones), on
** each thread at once: the most arithmetic the cores can do, which no
** kernel with loads and stores reaches.  A convolution's flops are 2 x
** its multiply-adds (n c_out out_h out_w c_in kh kw); the bias add and the
** bias gradient are left out of the count.
**
** Build (libmgrt built by CMake with MGC_NATIVE=ON and OpenMP):
**   cc -O2 -march=native -fopenmp -Iruntime bench/conv_bench.c build/libmgrt.a -lz -lm -o conv_bench
** Run: ./conv_bench [runs]     (default 30 timed runs per shape and thread count)
**
** Each figure is the median of the timed runs, after two warm-up runs.
** The machine may be shared: the peak is measured again before each
** thread count, and the report gives the load average.  After the table,
** one line per convolution and thread count for bench/run.sh:
**   conv: <name> threads <T> ms <median ms> gflop <GFLOP of one call> cpu_ms <median CPU ms>
** The CPU time is the calling thread's (CLOCK_THREAD_CPUTIME_ID): at 1
** thread, the time the convolution ran, without the time other processes
** held the core, which on a busy machine says more about the code than
** the wall clock (their use of the caches and of memory still counts);
** its share is of the FMA loop's fastest rate by CPU time.
*/
#define _POSIX_C_SOURCE 199309L
#include "mgrt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif
#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The calling thread's CPU time: on a shared machine, the time it ran
   (what other processes did to the caches still counts). */
static double cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* ---- the peak: 24 independent accumulators (more than latency x 2
   pipes), 2 flops per lane per fused multiply-add ---- */
#define ACC(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) \
  X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23)
#if defined(__AVX512F__)
#define LANES 16
typedef __m512 vec;
#define VSET(x) _mm512_set1_ps(x)
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
static float vsum(vec v) { return _mm512_reduce_add_ps(v); }
#elif defined(__AVX2__) && defined(__FMA__)
#define LANES 8
typedef __m256 vec;
#define VSET(x) _mm256_set1_ps(x)
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
static float vsum(vec v) {
  float f[8];
  _mm256_storeu_ps(f, v);
  return f[0] + f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7];
}
#endif

#ifdef LANES
/* GFLOP/s of one thread's register-only loop; *cpu_rate: by its CPU time */
static double fma_loop(long iters, float *sink, double *cpu_rate) {
  const vec b = VSET(0.999999f), c = VSET(1e-7f);
#define DECL(i) vec a##i = VSET((float)(i));
  ACC(DECL)
  const double t0 = now(), c0 = cpu_now();
  for (long it = 0; it < iters; it++) {
#define STEP(i) a##i = VFMA(a##i, b, c);
    ACC(STEP)
  }
  const double t = now() - t0, ct = cpu_now() - c0;
  *cpu_rate = (double)iters * 24 * LANES * 2 / ct * 1e-9;
  float s = 0;
#define SUM(i) s += vsum(a##i);
  ACC(SUM)
  *sink += s;
  return (double)iters * 24 * LANES * 2 / t * 1e-9;
}
#endif

/* The peak of `threads` threads running the loop at once: the fastest of
   seven rounds of the summed rates (on a shared machine a slower round is
   one where the loop was not running all the time; bench/peak.c keeps its
   fastest interval for the same reason). */
static double fma_peak(int threads, double *cpu_peak) {
#ifdef LANES
  double rounds[7];
  *cpu_peak = 0;
  float sink = 0;
  for (int r = 0; r < 7; r++) {
    double total = 0;
#ifdef _OPENMP
#pragma omp parallel num_threads(threads) reduction(+ : total)
#endif
    {
      float s = 0;
      double cpu_rate;
      total += fma_loop(20000000, &s, &cpu_rate);
      if (threads == 1 && cpu_rate > *cpu_peak) *cpu_peak = cpu_rate;
#ifdef _OPENMP
#pragma omp atomic
#endif
      sink += s;
    }
    rounds[r] = total;
  }
  qsort(rounds, 7, sizeof rounds[0], compare_doubles);
  if (sink == 12345) printf(" "); /* keeps the loop's results alive */
  return rounds[6];
#else
  (void)threads;
  *cpu_peak = 0;
  return 0;
#endif
}

/* ---- the convolutions ---- */
typedef enum { FORWARD, INPUT_GRAD, WEIGHT_GRAD } pass;
typedef struct {
  const char *what, *key; /* key: for the "conv:" lines bench/run.sh reads */
  pass kind;
  mgrt_conv2d_shape s;
} workload;

static const workload workloads[] = {
    {"conv1 forward        1->32 3x3 p1 28x28", "conv1_forward", FORWARD, {100, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1}},
    {"conv1 weight grad", "conv1_weight_grad", WEIGHT_GRAD, {100, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1}},
    {"conv2 forward       32->64 3x3 p1 14x14", "conv2_forward", FORWARD, {100, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1}},
    {"conv2 input grad", "conv2_input_grad", INPUT_GRAD, {100, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1}},
    {"conv2 weight grad", "conv2_weight_grad", WEIGHT_GRAD, {100, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1}},
};
enum { N_WORKLOADS = sizeof workloads / sizeof workloads[0] };

static double flops(const mgrt_conv2d_shape *s) {
  return 2.0 * (double)s->n * (double)s->c_out * (double)mgrt_conv2d_out_h(s) * (double)mgrt_conv2d_out_w(s) *
         (double)s->c_in * (double)s->kh * (double)s->kw;
}

static float *random_array(int64_t n) {
  float *p = malloc(sizeof(float) * (size_t)n);
  uint32_t x = 2463534242u;
  for (int64_t i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    p[i] = (float)((double)x / 4294967296.0 - 0.5);
  }
  return p;
}

/* the median seconds of one call; *cpu: the median CPU seconds of the
   calling thread (1 thread only: the others' time is not in it) */
static double time_workload(const workload *w, int runs, float *scratch, int64_t scratch_elems,
                            double *cpu) {
  const mgrt_conv2d_shape *s = &w->s;
  const int64_t nx = s->n * s->c_in * s->h * s->w, nw = s->c_out * s->c_in * s->kh * s->kw;
  const int64_t ny = s->n * s->c_out * mgrt_conv2d_out_h(s) * mgrt_conv2d_out_w(s);
  float *x = random_array(nx), *wt = random_array(nw), *b = random_array(s->c_out), *y = random_array(ny);
  float *dx = malloc(sizeof(float) * (size_t)nx), *dw = malloc(sizeof(float) * (size_t)nw);
  float *db = malloc(sizeof(float) * (size_t)s->c_out);
  double *times = malloc(sizeof(double) * (size_t)runs), *cpus = malloc(sizeof(double) * (size_t)runs);
  for (int r = -2; r < runs; r++) {
    const double t0 = now(), c0 = cpu_now();
    int status = 0;
    switch (w->kind) {
    case FORWARD: status = mgrt_conv2d_forward(s, y, x, wt, b, scratch, scratch_elems); break;
    case INPUT_GRAD: status = mgrt_conv2d_backward_input(s, dx, y, wt, scratch, scratch_elems); break;
    case WEIGHT_GRAD: status = mgrt_conv2d_backward_weight(s, dw, db, y, x, scratch, scratch_elems); break;
    }
    const double t = now() - t0, c = cpu_now() - c0;
    if (status != 0) {
      fprintf(stderr, "conv_bench: %s: %s\n", w->what, mgrt_last_error());
      exit(1);
    }
    if (r >= 0) times[r] = t, cpus[r] = c;
  }
  qsort(times, (size_t)runs, sizeof times[0], compare_doubles);
  qsort(cpus, (size_t)runs, sizeof cpus[0], compare_doubles);
  const double median = times[runs / 2];
  *cpu = cpus[runs / 2];
  free(cpus);
  free(x), free(wt), free(b), free(y), free(dx), free(dw), free(db), free(times);
  return median;
}

int main(int argc, char **argv) {
  const int runs = argc > 1 ? atoi(argv[1]) : 30;
  if (runs < 1) {
    fprintf(stderr, "usage: %s [runs]\n", argv[0]);
    return 2;
  }
  FILE *load = fopen("/proc/loadavg", "r");
  char loadavg[64] = "unknown";
  if (load) {
    if (!fgets(loadavg, sizeof loadavg, load)) strcpy(loadavg, "unknown");
    loadavg[strcspn(loadavg, "\n")] = 0;
    fclose(load);
  }
  printf("conv_bench: batch 100, median of %d runs; load average at start: %s\n\n", runs, loadavg);
  /* the "conv:" lines go after the table, for bench/run.sh */
  char lines[2 * N_WORKLOADS + 2][160];
  int nlines = 0;
  printf("| convolution | threads | ms | GFLOP/s | FMA peak GFLOP/s | share of peak | CPU ms (1 thread) | share of the peak, both by CPU time |\n");
  printf("|---|---|---|---|---|---|---|---|\n");
#ifdef _OPENMP
  const int max_threads = omp_get_num_procs() < 2 ? 1 : 2;
#else
  const int max_threads = 1;
#endif
  double total_time[3] = {0}, total_flops = 0;
  for (int threads = 1; threads <= max_threads; threads++) {
#ifdef _OPENMP
    omp_set_num_threads(threads);
#endif
    double cpu_peak;
    const double peak = fma_peak(threads, &cpu_peak);
    int64_t elems = 1;
    for (int i = 0; i < N_WORKLOADS; i++) {
      const int64_t e = mgrt_conv2d_scratch_elems(&workloads[i].s);
      elems = e > elems ? e : elems;
    }
    float *scratch = malloc(sizeof(float) * (size_t)elems);
    for (int i = 0; i < N_WORKLOADS; i++) {
      double cpu;
      const double t = time_workload(&workloads[i], runs, scratch, elems, &cpu);
      const double rate = flops(&workloads[i].s) / t * 1e-9, cpu_rate = flops(&workloads[i].s) / cpu * 1e-9;
      if (threads == 1)
        printf("| %s | %d | %.3f | %.1f | %.1f | %.0f%% | %.3f | %.0f%% |\n", workloads[i].what, threads, t * 1e3,
               rate, peak, peak > 0 ? 100 * rate / peak : 0, cpu * 1e3,
               cpu_peak > 0 ? 100 * cpu_rate / cpu_peak : 0);
      else
        printf("| %s | %d | %.3f | %.1f | %.1f | %.0f%% | — | — |\n", workloads[i].what, threads, t * 1e3, rate,
               peak, peak > 0 ? 100 * rate / peak : 0);
      snprintf(lines[nlines++], sizeof lines[0], "conv: %s threads %d ms %.4f gflop %.6f cpu_ms %.4f",
               workloads[i].key, threads, t * 1e3, flops(&workloads[i].s) * 1e-9, cpu * 1e3);
      total_time[threads] += t;
      if (threads == 1) total_flops += flops(&workloads[i].s);
    }
    printf("| all five | %d | %.3f | %.1f | %.1f | %.0f%% | | |\n", threads, total_time[threads] * 1e3,
           total_flops / total_time[threads] * 1e-9, peak,
           peak > 0 ? 100 * total_flops / total_time[threads] * 1e-9 / peak : 0);
    free(scratch);
  }
  printf("\n");
  for (int i = 0; i < nlines; i++) printf("%s\n", lines[i]);
  return 0;
}
