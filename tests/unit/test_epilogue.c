/*
** test_epilogue.c — the products with fused epilogues (runtime/matmul.c:
** mgrt_matmul_{nn,nt}_bias_relu and _relu_grad, float and double) against
** the product followed by the generated program's separate loops:
**
**     z = A B (+ bias[j]);  h = z > 0 ? z : 0           (bias_relu)
**     g = A B;  g = keep > 0 ? g : 0                     (relu_grad)
**
** The epilogue works on the finished sums with the same operations, so the
** results must be equal bit for bit: on the MLP's shapes (where k = 784 is
** two k chunks and every tile of C goes through the epilogue once), on
** tiny products (the direct loop), narrow ones (matmul_narrow.c, and the
** turned product that computes C^T when n is narrow and m is not, where the
** bias and keep are indexed the other way round), odd sizes at the tile
** edges, with 1 and 2 threads (the tiles shared between threads).
**
** Prints one line per failure and ends with "N passed, N failed"; exit
** status 1 when anything failed.
*/
#include "mgrt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static uint64_t rng_state = 0x2545F4914F6CDD1Du;
static double next_value(void) { /* splitmix64 -> [-1, 1), some exact zeros */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  z ^= z >> 31;
  if (z % 23 == 0) return 0.0;
  return (double)(z >> 11) * 0x1p-52 - 1.0;
}

static void *xmalloc(size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p) {
    fprintf(stderr, "test_epilogue: out of memory\n");
    exit(2);
  }
  return p;
}

static void check(int ok, const char *what, int64_t m, int64_t k, int64_t n, int threads) {
  if (ok) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s: m %lld k %lld n %lld threads %d\n", what, (long long)m, (long long)k, (long long)n,
           threads);
  }
}

/* One body for float and double. */
#define MGRT_TEST_EPILOGUE(name, T, SFX)                                                         \
  static void name(int64_t m, int64_t k, int64_t n, int threads) {                              \
    const size_t sa = (size_t)(m * k), sb = (size_t)(k * n), sc = (size_t)(m * n);              \
    T *a = xmalloc(sizeof(T) * sa), *b = xmalloc(sizeof(T) * sb), *bias = xmalloc(sizeof(T) * (size_t)n); \
    T *keep = xmalloc(sizeof(T) * sc), *want = xmalloc(sizeof(T) * sc), *got = xmalloc(sizeof(T) * sc); \
    for (size_t i = 0; i < sa; i++) a[i] = (T)next_value();                                     \
    for (size_t i = 0; i < sb; i++) b[i] = (T)next_value();                                     \
    for (int64_t j = 0; j < n; j++) bias[j] = (T)next_value();                                  \
    for (size_t i = 0; i < sc; i++) keep[i] = (T)next_value();                                  \
    mgrt_threads_set(threads);                                                                  \
    for (int nt = 0; nt < 2; nt++) { /* b is k x n (nn) or n x k (nt) */                        \
      const char *op = nt ? "nt" : "nn";                                                        \
      char what[64];                                                                            \
      if (nt) mgrt_matmul_nt##SFX(want, a, b, m, k, n);                                         \
      else mgrt_matmul_nn##SFX(want, a, b, m, k, n);                                            \
      for (int64_t i = 0; i < m; i++)                                                           \
        for (int64_t j = 0; j < n; j++) {                                                       \
          const T v0 = want[i * n + j] + bias[j];                                               \
          want[i * n + j] = v0 > 0 ? v0 : 0;                                                    \
        }                                                                                       \
      memset(got, 0x7f, sizeof(T) * sc);                                                        \
      if (nt) mgrt_matmul_nt_bias_relu##SFX(got, a, b, bias, m, k, n);                          \
      else mgrt_matmul_nn_bias_relu##SFX(got, a, b, bias, m, k, n);                             \
      snprintf(what, sizeof what, "%s_bias_relu %s", op, #T);                                   \
      check(memcmp(want, got, sizeof(T) * sc) == 0, what, m, k, n, threads);                    \
      if (nt) mgrt_matmul_nt##SFX(want, a, b, m, k, n);                                         \
      else mgrt_matmul_nn##SFX(want, a, b, m, k, n);                                            \
      for (size_t i = 0; i < sc; i++) {                                                         \
        const T v0 = keep[i] > 0;                                                               \
        want[i] = v0 != 0 ? want[i] : 0;                                                        \
      }                                                                                         \
      memset(got, 0x7f, sizeof(T) * sc);                                                        \
      if (nt) mgrt_matmul_nt_relu_grad##SFX(got, a, b, keep, m, k, n);                          \
      else mgrt_matmul_nn_relu_grad##SFX(got, a, b, keep, m, k, n);                             \
      snprintf(what, sizeof what, "%s_relu_grad %s", op, #T);                                   \
      check(memcmp(want, got, sizeof(T) * sc) == 0, what, m, k, n, threads);                    \
    }                                                                                           \
    free(a), free(b), free(bias), free(keep), free(want), free(got);                            \
  }

MGRT_TEST_EPILOGUE(test_f32, float, )
MGRT_TEST_EPILOGUE(test_f64, double, _f64)

int main(void) {
  /* m k n: the MLPs' products, tiny, narrow, turned, odd edges */
  static const int64_t shapes[][3] = {
      {100, 784, 256}, {100, 256, 256}, {100, 256, 10}, {100, 10, 256}, {100, 784, 512},
      {100, 512, 512}, {1, 1, 1},       {6, 2, 1},      {4, 4, 4},      {768, 8, 1},
      {101, 16, 7},    {100, 64, 10},   {1, 300, 40},   {37, 129, 33},  {15, 17, 31},
      {29, 513, 65},   {200, 3, 300},   {7, 0, 9},      {0, 5, 5},      {300, 40, 5}};
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
    for (int threads = 1; threads <= 2; threads++) {
      test_f32(shapes[s][0], shapes[s][1], shapes[s][2], threads);
      test_f64(shapes[s][0], shapes[s][1], shapes[s][2], threads);
    }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
