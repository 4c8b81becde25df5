/*
** matmul.c — matrix products for generated programs: C = op(A) op(B),
** row-major, without materializing transposes.
**
** The loops are ordered so the innermost one walks contiguous memory in both
** operands (i-k-j for A@B and A^T@B; a dot product per element for A@B^T),
** which compilers vectorize.
*/
#include "mgrt.h"

#include <string.h>

#define DEFINE_MATMUL(suffix, T)                                                         \
  void mgrt_matmul_nn##suffix(T *c, const T *a, const T *b, int64_t m, int64_t k,        \
                              int64_t n) {                                               \
    memset(c, 0, sizeof(T) * (size_t)(m * n));                                           \
    for (int64_t i = 0; i < m; i++)                                                      \
      for (int64_t p = 0; p < k; p++) {                                                  \
        T aip = a[i * k + p];                                                            \
        for (int64_t j = 0; j < n; j++)                                                  \
          c[i * n + j] += aip * b[p * n + j];                                            \
      }                                                                                  \
  }                                                                                      \
  void mgrt_matmul_nt##suffix(T *c, const T *a, const T *b, int64_t m, int64_t k,        \
                              int64_t n) {                                               \
    for (int64_t i = 0; i < m; i++)                                                      \
      for (int64_t j = 0; j < n; j++) {                                                  \
        T acc = 0;                                                                       \
        for (int64_t p = 0; p < k; p++)                                                  \
          acc += a[i * k + p] * b[j * k + p];                                            \
        c[i * n + j] = acc;                                                              \
      }                                                                                  \
  }                                                                                      \
  void mgrt_matmul_tn##suffix(T *c, const T *a, const T *b, int64_t m, int64_t k,        \
                              int64_t n) {                                               \
    memset(c, 0, sizeof(T) * (size_t)(m * n));                                           \
    for (int64_t p = 0; p < k; p++)                                                      \
      for (int64_t i = 0; i < m; i++) {                                                  \
        T api = a[p * m + i];                                                            \
        for (int64_t j = 0; j < n; j++)                                                  \
          c[i * n + j] += api * b[p * n + j];                                            \
      }                                                                                  \
  }

DEFINE_MATMUL(, float)
DEFINE_MATMUL(_f64, double)
