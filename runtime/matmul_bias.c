/*
** matmul_bias.c — a linear layer's product and bias in one call:
** C = A B + bias or A B^T + bias, the bias broadcast over the rows of C.
**
** The generated program calls these where a product's only reader adds a
** bias to it (z = x @ W + b, nn.Linear's x @ W^T + b): the product goes
** straight into z, without an array of its own.  The bias is added right
** after the product, while C is still in cache, in the order PyTorch's
** addmm rounds: each element's sum of products first, then the bias.
**
** For a C with few columns (a layer of 10 classes), adding a row's bias
** column by column keeps the compiler's vector lanes mostly idle; C's rows
** are contiguous, so the bias is laid out instead as VEC rows' worth
** repeated (VEC * n floats, a whole number of vectors) and added along C as
** one flat array.
*/
#include "mgrt.h"

#include <string.h>

enum { VEC = 16, PATTERN_MAX_COLUMNS = 64 };

#define MGRT_ADD_BIAS(name, T)                                                                   \
  static void name(T *restrict c, const T *restrict bias, int64_t bias_step, int64_t m,        \
                   int64_t n) {                                                                \
    if (bias_step == 0 || n == 1) { /* one value for every element */                          \
      const T v = bias[0];                                                                     \
      for (int64_t i = 0; i < m * n; i++)                                                      \
        c[i] += v;                                                                             \
      return;                                                                                  \
    }                                                                                          \
    if (n >= PATTERN_MAX_COLUMNS) { /* rows long enough to vectorize on their own */           \
      for (int64_t i = 0; i < m; i++)                                                          \
        for (int64_t j = 0; j < n; j++)                                                        \
          c[i * n + j] += bias[j];                                                             \
      return;                                                                                  \
    }                                                                                          \
    T pattern[VEC * PATTERN_MAX_COLUMNS];                                                      \
    for (int64_t r = 0; r < VEC; r++)                                                          \
      memcpy(pattern + r * n, bias, sizeof(T) * (size_t)n);                                    \
    const int64_t span = VEC * n, whole = m / VEC * span;                                      \
    for (int64_t i = 0; i < whole; i += span)                                                  \
      for (int64_t l = 0; l < span; l++)                                                       \
        c[i + l] += pattern[l];                                                                \
    for (int64_t i = whole; i < m * n; i++)                                                    \
      c[i] += pattern[i - whole];                                                              \
  }

MGRT_ADD_BIAS(add_bias_f32, float)
MGRT_ADD_BIAS(add_bias_f64, double)

void mgrt_matmul_nn_bias(float *c, const float *a, const float *b, const float *bias, int64_t bias_step,
                         int64_t m, int64_t k, int64_t n) {
  mgrt_matmul_nn(c, a, b, m, k, n);
  add_bias_f32(c, bias, bias_step, m, n);
}

void mgrt_matmul_nt_bias(float *c, const float *a, const float *b, const float *bias, int64_t bias_step,
                         int64_t m, int64_t k, int64_t n) {
  mgrt_matmul_nt(c, a, b, m, k, n);
  add_bias_f32(c, bias, bias_step, m, n);
}

void mgrt_matmul_nn_bias_f64(double *c, const double *a, const double *b, const double *bias,
                             int64_t bias_step, int64_t m, int64_t k, int64_t n) {
  mgrt_matmul_nn_f64(c, a, b, m, k, n);
  add_bias_f64(c, bias, bias_step, m, n);
}

void mgrt_matmul_nt_bias_f64(double *c, const double *a, const double *b, const double *bias,
                             int64_t bias_step, int64_t m, int64_t k, int64_t n) {
  mgrt_matmul_nt_f64(c, a, b, m, k, n);
  add_bias_f64(c, bias, bias_step, m, n);
}
