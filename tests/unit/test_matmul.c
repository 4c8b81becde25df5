/*
** test_matmul.c — the matrix products of libmgrt against a naive reference.
**
** For every shape, every kernel (nn, nt, tn) and both precisions:
**
**  - values: random in [-1, 1); the reference sums in long double, element by
**    element, in the plain textbook loop.  Accepted when, for every element,
**        |c - ref| <= k * eps * sum_p |a_ip * b_pj|        (+ the smallest normal)
**    with eps the machine epsilon of the type (2^-23 for float, 2^-52 for
**    double).  That is twice the textbook worst-case bound for a k-term sum
**    in any order with or without fused multiply-adds (gamma_k ~ k * eps/2),
**    so it holds for any blocking, yet dropping or doubling a single term of
**    a 784-term sum is some 15 times over it.
**  - small integers (-4..4): every partial sum is exact in both types, so the
**    result must equal the reference exactly; this pins down indexing.
**  - C is filled with NaN before the call and is followed by guard values:
**    C must be overwritten (not accumulated into) and nothing past it touched.
**  - with OpenMP: the product is computed with 1 and then 2 threads, and the
**    two results must be identical bit for bit.
**
** Shapes: every combination of small sizes (1, primes, and the edges of the
** register tiles), empty ones (m, n or k = 0), the products of the
** 784-256-256-10 MLP at batch 100, the tiny shapes of small lessons, and
** shapes that cross the cache blocks (k > 256, m > 336) and the thread
** threshold.
**
** Prints one line per failure and ends with "N passed, N failed"; exit
** status 1 when anything failed.
*/
#include "mgrt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#define GUARD 17

static int passed, failed;

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t next_u64(void) { /* splitmix64: reproducible inputs */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}
static double uniform(void) { return (double)(next_u64() >> 11) * 0x1p-53 * 2.0 - 1.0; }
static double small_int(void) { return (double)(int)(next_u64() % 9) - 4.0; }

enum { NN, NT, TN };
static const char *op_name[] = {"nn", "nt", "tn"};

/* op(A)[i,p] and op(B)[p,j] as stored by each kernel */
static size_t a_index(int op, int64_t i, int64_t p, int64_t m, int64_t k) {
  return op == TN ? (size_t)(p * m + i) : (size_t)(i * k + p);
}
static size_t b_index(int op, int64_t p, int64_t j, int64_t k, int64_t n) {
  return op == NT ? (size_t)(j * k + p) : (size_t)(p * n + j);
}

static void set_threads(int t);
static int threaded(void);

#define DEFINE_CHECK(T, SFX, EPS)                                                             \
  static void call##SFX(int op, T *c, const T *a, const T *b, int64_t m, int64_t k,           \
                        int64_t n) {                                                          \
    if (op == NN) mgrt_matmul_nn##SFX(c, a, b, m, k, n);                                      \
    else if (op == NT) mgrt_matmul_nt##SFX(c, a, b, m, k, n);                                 \
    else mgrt_matmul_tn##SFX(c, a, b, m, k, n);                                               \
  }                                                                                           \
  /* returns NULL when fine, else what was wrong */                                           \
  static const char *check##SFX(int op, int64_t m, int64_t k, int64_t n, int integers,        \
                                int64_t *bad_i, int64_t *bad_j) {                             \
    size_t na = (size_t)(m * k), nb = (size_t)(k * n), nc = (size_t)(m * n);                  \
    T *a = malloc(sizeof(T) * (na + 1)), *b = malloc(sizeof(T) * (nb + 1));                   \
    T *c = malloc(sizeof(T) * (nc + GUARD)), *c2 = malloc(sizeof(T) * (nc + GUARD));          \
    const char *why = NULL;                                                                   \
    if (!a || !b || !c || !c2) {                                                              \
      why = "out of memory";                                                                  \
      goto done;                                                                              \
    }                                                                                         \
    for (size_t i = 0; i < na; i++) a[i] = (T)(integers ? small_int() : uniform());           \
    for (size_t i = 0; i < nb; i++) b[i] = (T)(integers ? small_int() : uniform());           \
    for (size_t i = 0; i < nc; i++) c[i] = (T)NAN;                                            \
    for (size_t i = nc; i < nc + GUARD; i++) c[i] = (T)12345;                                 \
    memcpy(c2, c, sizeof(T) * (nc + GUARD));                                                  \
    set_threads(1);                                                                           \
    call##SFX(op, c, a, b, m, k, n);                                                          \
    for (size_t i = nc; i < nc + GUARD; i++)                                                  \
      if (c[i] != (T)12345) {                                                                 \
        why = "wrote past the end of C";                                                      \
        goto done;                                                                            \
      }                                                                                       \
    for (int64_t i = 0; i < m && !why; i++)                                                   \
      for (int64_t j = 0; j < n; j++) {                                                       \
        long double ref = 0, mag = 0;                                                         \
        for (int64_t p = 0; p < k; p++) {                                                     \
          long double t = (long double)a[a_index(op, i, p, m, k)] *                           \
                          (long double)b[b_index(op, p, j, k, n)];                            \
          ref += t;                                                                           \
          mag += fabsl(t);                                                                    \
        }                                                                                     \
        long double got = c[i * n + j];                                                       \
        long double tol = integers ? 0 : (long double)k * EPS * mag + DBL_MIN;                \
        if (!(fabsl(got - ref) <= tol)) {                                                     \
          why = integers ? "differs from the exact integer result"                            \
                         : "differs from the reference beyond k*eps*sum|a*b|";                \
          *bad_i = i, *bad_j = j;                                                             \
          break;                                                                              \
        }                                                                                     \
      }                                                                                       \
    if (!why && threaded()) {                                                                 \
      set_threads(2);                                                                         \
      call##SFX(op, c2, a, b, m, k, n);                                                       \
      set_threads(0);                                                                         \
      if (memcmp(c, c2, sizeof(T) * (nc + GUARD)) != 0) why = "2 threads differ from 1";      \
    }                                                                                         \
  done:                                                                                       \
    free(a);                                                                                  \
    free(b);                                                                                  \
    free(c);                                                                                  \
    free(c2);                                                                                 \
    return why;                                                                               \
  }

/* OpenMP builds compare 1 and 2 threads; others have one thread only. */
#ifdef _OPENMP
static int initial_threads = 1;
static int threaded(void) { return 1; }
static void set_threads(int t) { omp_set_num_threads(t ? t : initial_threads); }
#else
static int threaded(void) { return 0; }
static void set_threads(int t) { (void)t; }
#endif

DEFINE_CHECK(float, , (long double)FLT_EPSILON)
DEFINE_CHECK(double, _f64, (long double)DBL_EPSILON)

static void run(int64_t m, int64_t k, int64_t n, int integers) {
  for (int op = 0; op < 3; op++)
    for (int f64 = 0; f64 < 2; f64++) {
      int64_t bi = -1, bj = -1;
      const char *why = f64 ? check_f64(op, m, k, n, integers, &bi, &bj)
                            : check(op, m, k, n, integers, &bi, &bj);
      if (why) {
        failed++;
        printf("FAIL %s%s m=%lld k=%lld n=%lld%s: %s", op_name[op], f64 ? "_f64" : "",
               (long long)m, (long long)k, (long long)n, integers ? " (integers)" : "", why);
        if (bi >= 0) printf(" at [%lld,%lld]", (long long)bi, (long long)bj);
        printf("\n");
      } else {
        passed++;
      }
    }
}

/* mgrt_matmul_{nn,nt}_bias: the product of the plain call, then the bias
   added element by element, bit for bit (the bias is added after the
   product's sums, as torch.addmm rounds); one value or one per column. */
#define DEFINE_BIAS_CHECK(T, SFX)                                                                \
  static int bias_check##SFX(int op, int64_t m, int64_t k, int64_t n, int64_t step) {            \
    T *a = malloc(sizeof(T) * (size_t)(m * k + 1)), *b = malloc(sizeof(T) * (size_t)(k * n + 1)); \
    T *want = malloc(sizeof(T) * (size_t)(m * n + 1)), *got = malloc(sizeof(T) * (size_t)(m * n + 1)); \
    T *bias = malloc(sizeof(T) * (size_t)(n + 1));                                                \
    for (int64_t i = 0; i < m * k; i++) a[i] = (T)uniform();                                     \
    for (int64_t i = 0; i < k * n; i++) b[i] = (T)uniform();                                     \
    for (int64_t j = 0; j < n; j++) bias[j] = (T)uniform();                                      \
    if (op == 0) {                                                                               \
      mgrt_matmul_nn##SFX(want, a, b, m, k, n);                                                  \
      mgrt_matmul_nn_bias##SFX(got, a, b, bias, step, m, k, n);                                  \
    } else {                                                                                     \
      mgrt_matmul_nt##SFX(want, a, b, m, k, n);                                                  \
      mgrt_matmul_nt_bias##SFX(got, a, b, bias, step, m, k, n);                                  \
    }                                                                                            \
    int same = 1;                                                                                \
    for (int64_t i = 0; i < m; i++)                                                              \
      for (int64_t j = 0; j < n; j++) {                                                          \
        T expect = want[i * n + j] + bias[j * step];                                             \
        if (memcmp(&expect, &got[i * n + j], sizeof expect) != 0) same = 0;                      \
      }                                                                                          \
    free(a), free(b), free(want), free(got), free(bias);                                         \
    return same;                                                                                 \
  }
DEFINE_BIAS_CHECK(float, )
DEFINE_BIAS_CHECK(double, _f64)

static void run_bias(void) {
  /* columns around the flat pattern's limits (1, a few, 16, 63, 64) and rows
     that are not a multiple of its 16 */
  static const int64_t shapes[][3] = {{6, 2, 1},   {759, 8, 1},  {101, 16, 7},  {512, 64, 10},
                                      {17, 5, 16}, {33, 9, 63},  {50, 12, 64},  {100, 256, 256},
                                      {1, 3, 10},  {0, 4, 10},   {15, 1, 3}};
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
    for (int op = 0; op < 2; op++)
      for (int64_t step = 0; step < 2; step++)
        for (int f64 = 0; f64 < 2; f64++) {
          int64_t m = shapes[s][0], k = shapes[s][1], n = shapes[s][2];
          int ok = f64 ? bias_check_f64(op, m, k, n, step) : bias_check(op, m, k, n, step);
          if (ok) {
            passed++;
          } else {
            failed++;
            printf("FAIL %s_bias%s m=%lld k=%lld n=%lld step=%lld: not the product plus the bias\n",
                   op_name[op], f64 ? "_f64" : "", (long long)m, (long long)k, (long long)n, (long long)step);
          }
        }
}

int main(void) {
#ifdef _OPENMP
  initial_threads = omp_get_max_threads();
  printf("OpenMP: comparing 1 and 2 threads (default %d)\n", initial_threads);
#else
  printf("no OpenMP: one thread\n");
#endif
  /* small sizes: 1, primes, and the edges of 4/6/8/14-row and 8/16/32-column
     tiles */
  static const int64_t small[] = {0, 1, 2, 3, 5, 7, 8, 13, 14, 15, 16, 17, 29, 33};
  const int ns = (int)(sizeof small / sizeof small[0]);
  for (int x = 0; x < ns; x++)
    for (int y = 0; y < ns; y++)
      for (int z = 0; z < ns; z++)
        if ((x + y + z) % 3 == 0 || small[x] == 0 || small[y] == 0 || small[z] == 0)
          run(small[x], small[y], small[z], (x + y + z) % 2);
  /* the MLP 784-256-256-10 at batch 100 (m, k, n as in the call) */
  static const int64_t mlp[][3] = {
      {100, 784, 256}, {100, 256, 256}, {100, 256, 10}, /* forward, nt */
      {100, 256, 784}, {100, 10, 256},                  /* dX, nn */
      {256, 100, 784}, {256, 100, 256}, {10, 100, 256}, /* dW, tn */
      {6, 2, 1},       {768, 8, 1},     {101, 16, 7},   /* tiny lessons */
      {1, 784, 256},   {100, 784, 1},   {64, 64, 64},
      /* past the k chunk (256), the m block (336), the thread threshold,
         narrow n taken transposed */
      {37, 1001, 45},  {700, 60, 50},   {1000, 256, 10}, {3, 5000, 3},
      {400, 300, 33},  {2, 3, 5000},    {257, 257, 257},
  };
  /* (the exact integer check is about indexing, which the small shapes
     already pin down: on the big ones it would only double the time of a
     sanitizer build) */
  for (size_t s = 0; s < sizeof mlp / sizeof mlp[0]; s++) {
    run(mlp[s][0], mlp[s][1], mlp[s][2], 0);
    if (mlp[s][0] * mlp[s][1] * mlp[s][2] <= 1000000) run(mlp[s][0], mlp[s][1], mlp[s][2], 1);
  }
  run_bias();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
