/* inspect self-test: call sites of expf, directly, through a helper and
   through a macro that expands to the builtin. */
#include <math.h>
#include <stddef.h>

#define FAST_EXP(x) __builtin_expf(x)

/* one expf, at depth 0 within the helper */
static float sigmoid(float x) { return 1 / (1 + expf(-x)); }

/* two expf, the second one a loop deeper */
static float softplus_sum(const float *v, size_t n) {
  float s = logf(1 + expf(v[0]));
  for (size_t i = 1; i < n; i++)
    s += logf(1 + expf(v[i]));
  return s;
}

/* expf sites reachable from forward: 1 own (depth 1), sigmoid's (depth 2,
   called in a nested loop), softplus_sum's two (depth 0 and 1, called
   outside any loop), FAST_EXP (depth 1): 5 */
float forward(float *out, const float *in, size_t rows, size_t cols) {
  for (size_t i = 0; i < rows; i++) {
    out[i] = expf(in[i]);
    for (size_t j = 0; j < cols; j++)
      out[i] += sigmoid(in[i * cols + j]);
  }
  float z = softplus_sum(in, rows);
  for (size_t i = 0; i < rows; i++)
    out[i] += FAST_EXP(z);
  return z;
}

/* calls nothing of interest: expf 0 */
float backward(float *g, size_t n) {
  float s = 0;
  for (size_t i = 0; i < n; i++)
    s += g[i] * (1 - g[i]);
  return s;
}

/* fn(x) is a call through a parameter: it is a call of fn, never of expf,
   so apply has exactly one expf site */
float apply(float (*fn)(float), float x) { return fn(x) + expf(x); }
