/*
** peak.c — the machine's limits, measured in the same run as the
** benchmarks (bench/run.sh): the single-precision FMA peak (a loop of fused
** multiply-adds on registers only, no memory traffic) and the memory
** bandwidth (a streaming kernel over arrays far larger than the caches), on
** one thread and on T threads.
**
** FMA peak: ACC independent vector accumulators (enough to cover the FMA
** latency on current x86 cores: 4 cycles x 2 pipes needs 8; 12 are used),
** each doing c = c * a + b ITER times; 2 FLOP per lane per FMA.  The loop is
** timed in short intervals (ITER rounds, about a third of a millisecond)
** and the fastest interval is the figure: on a shared machine a longer
** interval nearly always includes time the process was not running, which
** would put the "peak" below what a program's median step reaches.  With T
** threads, every thread runs the same interval between two barriers and
** the interval is timed across both.  The vector
** width is what -march=native gives (GCC/clang vector types of 64 bytes,
** split into two 32-byte halves by the compiler on an AVX2-only CPU).
**
** Bandwidth: the STREAM "triad" a[i] = b[i] + s * c[i] over three arrays of
** 16 Mi floats (64 MiB each, past any L3 of today), counted as STREAM counts
** it: 3 x 4 bytes per element (the write-allocate read of a is not
** counted); the fastest of TRIES passes.
**
** Build: cc -O3 -march=native -std=c11 -ffp-contract=fast -fopenmp bench/peak.c -o peak
** Run:   ./peak [THREADS]       (default 2)
** Prints:
**   peak: fma_gflops_1 G1 fma_gflops_T GT bandwidth_gbs_1 B1 bandwidth_gbs_T BT threads T
** (the machine may be shared: the fastest interval is the one least
** disturbed).
*/
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

typedef float vf __attribute__((vector_size(64)));
enum { LANES = 16, ACC = 12, INTERVALS = 400, TRIES = 10 };
static const long ITER = 100000;
static const size_t N = (size_t)16 << 20;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ITER rounds of ACC independent FMAs on registers; the result is returned
   so that the loop is not optimized away. */
static float fma_loop(float seed) {
  vf c[ACC];
  const vf zero = {0};
  const vf a = zero + 0.999999f, b = zero + 1e-7f * seed;
  for (int j = 0; j < ACC; j++) c[j] = zero + (float)j * seed;
  /* c * a + b is one FMA with -ffp-contract=fast (bench/run.sh builds this
     file with it; -std=c11 alone would keep them apart) */
  for (long i = 0; i < ITER; i++)
    for (int j = 0; j < ACC; j++) c[j] = c[j] * a + b;
  float s = 0;
  for (int j = 0; j < ACC; j++)
    for (int l = 0; l < LANES; l++) s += c[j][l];
  return s;
}

/* GFLOP/s of the FMA loop on `threads` threads at once: the fastest of
   INTERVALS intervals, each timed by thread 0 from one barrier to the next. */
static double fma_gflops(int threads) {
  double fastest = 1e30;
  volatile float sink = 0;
#ifdef _OPENMP
#pragma omp parallel num_threads(threads) reduction(+ : sink)
#endif
  {
    for (int r = 0; r < INTERVALS; r++) {
#ifdef _OPENMP
#pragma omp barrier
#endif
      const double t0 = now_s();
      sink += fma_loop(1.0f);
#ifdef _OPENMP
#pragma omp barrier
#pragma omp master
#endif
      {
        const double dt = now_s() - t0;
        fastest = dt < fastest ? dt : fastest;
      }
    }
  }
  (void)sink;
  return 2.0 * LANES * ACC * (double)ITER * threads / fastest * 1e-9;
}

static double triad_gbs(float *a, const float *b, const float *c, int threads) {
  double best = 0;
  for (int t = 0; t < TRIES; t++) {
    const double t0 = now_s();
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads)
#endif
    for (size_t i = 0; i < N; i++) a[i] = b[i] + 3.0f * c[i];
    const double dt = now_s() - t0;
    const double g = 3.0 * sizeof(float) * (double)N / dt * 1e-9;
    best = g > best ? g : best;
  }
  return best;
}

int main(int argc, char **argv) {
  const int threads = argc > 1 ? atoi(argv[1]) : 2;
  if (threads < 1) {
    fprintf(stderr, "usage: %s [threads >= 1]\n", argv[0]);
    return 2;
  }
  float *a = malloc(N * sizeof(float)), *b = malloc(N * sizeof(float)), *c = malloc(N * sizeof(float));
  if (!a || !b || !c) {
    fprintf(stderr, "peak: out of memory\n");
    return 2;
  }
  /* first touch by the threads that stream them, pages in their places */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads)
#endif
  for (size_t i = 0; i < N; i++) a[i] = 0, b[i] = (float)(i & 1023), c[i] = 1.0f;
  const double g1 = fma_gflops(1), gt = fma_gflops(threads);
  const double b1 = triad_gbs(a, b, c, 1), bt = triad_gbs(a, b, c, threads);
  volatile float kept = a[N / 2]; /* the triad's stores are used */
  (void)kept;
  printf("peak: fma_gflops_1 %.1f fma_gflops_T %.1f bandwidth_gbs_1 %.1f bandwidth_gbs_T %.1f threads %d\n",
         g1, gt, b1, bt, threads);
  free(a);
  free(b);
  free(c);
  return 0;
}
