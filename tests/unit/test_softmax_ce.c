/*
** test_softmax_ce.c — mgrt_matmul_{nn,nt}_softmax_ce (runtime/softmax_ce.c)
** against what the generated program computes without it.
**
** The reference is the separate kernels of an -O1 program: the product
** (mgrt_matmul_*_bias, or mgrt_matmul_* without a bias) into z, then the
** softmax cross-entropy's loops exactly as compiler/emit/kernels/losses.c writes
** them in the training step (max, z - max, the label's shifted logit, exp,
** the sum over the classes, one reciprocal, the rows' losses in sixteen
** double lanes folded pairwise, the rest in order), and the backward pass's
** gradient loop, (softmax - onehot(y)) / N.  The fused call must give the
** same probabilities, gradient and loss, bit for bit, asked for the
** probabilities, the gradient or both, for every
** shape: m across tiles and chunks (a last tile of 1..15 rows, more than
** one chunk of 256 rows), k on both sides of the turned kernel's 256, n
** from 1 to 16 classes, with no bias, one bias for all classes and one per
** class, and logits from small to near +-1000 (where exp underflows).
** Outside 1..16 classes the call returns NaN.
**
** Built twice (tests/CMakeLists.txt): against libmgrt as the host builds
** it, and with the portable code forced (-DMGRT_MM_PORTABLE), so that both
** versions are checked.  Both are compiled with the library's own flags:
** with fused multiply-adds (FP_FAST_FMAF) mgrt_math.h's exp and log round
** differently, and the reference must use the library's.
**
** Prints one line per failure and ends with "N passed, N failed"; exit
** status 1 when anything failed.
*/
#include "mgrt.h"
#include "mgrt_math.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static uint64_t rng_state = 0x2545F4914F6CDD1Du;
static uint64_t next_u64(void) { /* splitmix64: reproducible inputs */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}
static float uniform(float scale) { return (float)((double)(next_u64() >> 11) * 0x1p-53 * 2.0 - 1.0) * scale; }

/* The training step's softmax cross-entropy as emit_class_loss writes it
   (with a companion, blocks of 256 rows, SUM_LANES = 16). */
static double generated_loss(const float *z, const int64_t *y, float *p, int64_t rows, int64_t C) {
  float picked[256], row_sums[256];
  double lanes[16] = {0}, acc = 0;
  for (int64_t b0 = 0; b0 < rows; b0 += 256) {
    const int64_t b1 = b0 + 256 < rows ? b0 + 256 : rows;
    for (int64_t r = b0; r < b1; r++) {
      const float *row = z + r * C;
      float *shifted = p + r * C;
      float max = row[0];
      for (int64_t c = 1; c < C; c++)
        if (row[c] > max)
          max = row[c];
      for (int64_t c = 0; c < C; c++)
        shifted[c] = row[c] - max;
      picked[r - b0] = shifted[y[r]];
    }
    for (int64_t i = b0 * C; i < b1 * C; i++)
      p[i] = mgrt_expf(p[i]);
    for (int64_t r = b0; r < b1; r++) {
      float *prob = p + r * C;
      float sum = 0;
      for (int64_t c = 0; c < C; c++)
        sum += prob[c];
      float scale = 1 / sum;
      for (int64_t c = 0; c < C; c++)
        prob[c] *= scale;
      row_sums[r - b0] = sum;
    }
    int64_t i = 0;
    for (; i + 16 <= b1 - b0; i += 16)
      for (int l = 0; l < 16; l++)
        lanes[l] += (double)mgrt_logf(row_sums[i + l]) - (double)picked[i + l];
    for (; i < b1 - b0; i++)
      acc += (double)mgrt_logf(row_sums[i]) - (double)picked[i];
  }
  for (int w = 8; w > 0; w /= 2)
    for (int l = 0; l < w; l++)
      lanes[l] += lanes[l + w];
  return acc + lanes[0];
}

/* The backward pass's gradient of the logits: onehot, then one fused loop. */
static void generated_grad(const float *p, const int64_t *y, float *grad, int64_t rows, int64_t C, float N) {
  float *onehot = calloc((size_t)(rows * C + 1), sizeof(float));
  if (!onehot) {
    printf("FAIL out of memory\n");
    exit(1);
  }
  for (int64_t r = 0; r < rows; r++)
    if (y[r] >= 0 && y[r] < C)
      onehot[r * C + y[r]] = 1;
  for (int64_t i = 0; i < rows * C; i++) {
    const float v0 = p[i] - onehot[i];
    grad[i] = v0 / N;
  }
  free(onehot);
}

static int64_t first_difference(const float *got, const float *want, int64_t count) {
  for (int64_t i = 0; i < count; i++)
    if (memcmp(&got[i], &want[i], sizeof got[i]) != 0)
      return i;
  return -1;
}

/* wants: 1 the probabilities, 2 the gradient, 3 both */
static void check(char layout, int64_t m, int64_t k, int64_t n, int bias_kind, float scale, int wants) {
  float *a = malloc(sizeof(float) * (size_t)(m * k + 1)), *b = malloc(sizeof(float) * (size_t)(k * n + 1));
  float *z = malloc(sizeof(float) * (size_t)(m * n + 1)), *want = malloc(sizeof(float) * (size_t)(m * n + 1));
  float *got = malloc(sizeof(float) * (size_t)(m * n + 1)), bias[16];
  float *want_grad = malloc(sizeof(float) * (size_t)(m * n + 1)), *got_grad = malloc(sizeof(float) * (size_t)(m * n + 1));
  int64_t *y = malloc(sizeof(int64_t) * (size_t)(m + 1));
  if (!a || !b || !z || !want || !got || !y || !want_grad || !got_grad) {
    printf("FAIL out of memory\n");
    exit(1);
  }
  for (int64_t i = 0; i < m * k; i++) a[i] = uniform(1);
  for (int64_t i = 0; i < k * n; i++) b[i] = uniform(scale);
  for (int j = 0; j < 16; j++) bias[j] = uniform(1);
  for (int64_t r = 0; r < m; r++) y[r] = (int64_t)(next_u64() % (uint64_t)n);
  /* bias_kind 0: none, 1: one value, 2: one per class */
  const float *bias_arg = bias_kind ? bias : NULL;
  const int64_t step = bias_kind == 2 ? 1 : 0;
  if (layout == 'n') {
    if (bias_kind) mgrt_matmul_nn_bias(z, a, b, bias, step, m, k, n);
    else mgrt_matmul_nn(z, a, b, m, k, n);
  } else {
    if (bias_kind) mgrt_matmul_nt_bias(z, a, b, bias, step, m, k, n);
    else mgrt_matmul_nt(z, a, b, m, k, n);
  }
  const double want_loss = generated_loss(z, y, want, m, n);
  const float divisor = (float)(3 * m + 1); /* a whole batch of which these rows are a block */
  generated_grad(want, y, want_grad, m, n, divisor);
  for (int64_t i = 0; i < m * n; i++) got[i] = got_grad[i] = NAN;
  float *probs = wants & 1 ? got : NULL, *grad = wants & 2 ? got_grad : NULL;
  const double got_loss =
      layout == 'n' ? mgrt_matmul_nn_softmax_ce(probs, grad, divisor, a, b, bias_arg, step, y, m, k, n)
                    : mgrt_matmul_nt_softmax_ce(probs, grad, divisor, a, b, bias_arg, step, y, m, k, n);
  int ok = memcmp(&got_loss, &want_loss, sizeof got_loss) == 0;
  int64_t bad = probs ? first_difference(got, want, m * n) : -1;
  int64_t bad_grad = grad ? first_difference(got_grad, want_grad, m * n) : -1;
  if (ok && bad < 0 && bad_grad < 0) {
    passed++;
  } else {
    failed++;
    printf("FAIL %c m=%lld k=%lld n=%lld bias=%d scale=%g wants=%d: loss %.17g, want %.17g", layout,
           (long long)m, (long long)k, (long long)n, bias_kind, scale, wants, got_loss, want_loss);
    if (bad >= 0)
      printf("; probability [%lld, %lld] %a, want %a", (long long)(bad / n), (long long)(bad % n), got[bad],
             want[bad]);
    if (bad_grad >= 0)
      printf("; gradient [%lld, %lld] %a, want %a", (long long)(bad_grad / n), (long long)(bad_grad % n),
             got_grad[bad_grad], want_grad[bad_grad]);
    printf("\n");
  }
  free(a), free(b), free(z), free(want), free(got), free(y), free(want_grad), free(got_grad);
}

int main(void) {
  static const int64_t ms[] = {1, 5, 15, 16, 17, 101, 256, 300, 600};
  static const int64_t ks[] = {1, 7, 16, 64, 300};
  static const int64_t ns[] = {1, 2, 3, 7, 10, 16};
  for (size_t im = 0; im < sizeof ms / sizeof *ms; im++)
    for (size_t ik = 0; ik < sizeof ks / sizeof *ks; ik++)
      for (size_t in = 0; in < sizeof ns / sizeof *ns; in++)
        for (int bias_kind = 0; bias_kind < 3; bias_kind++)
          check(im % 2 ? 'n' : 't', ms[im], ks[ik], ns[in], bias_kind, 1, 1 + (int)((im + ik + in) % 3));
  /* both layouts on the lessons' and the benchmark's shapes */
  for (int t = 0; t < 2; t++) {
    for (int wants = 1; wants <= 3; wants++) {
      check(t ? 'n' : 't', 101, 16, 7, 1, 1, wants);
      check(t ? 'n' : 't', 512, 64, 10, 2, 1, wants);
      check(t ? 'n' : 't', 100, 256, 10, 2, 1, wants);
    }
  }
  /* logits near +-1000: exp(z - max) underflows to 0 for all but the max */
  check('n', 101, 16, 7, 2, 1000, 3);
  check('t', 37, 300, 10, 2, 1000, 3);
  /* out of range: NaN, nothing written */
  float probs[4] = {1, 2, 3, 4}, a[4] = {0}, b[64] = {0};
  int64_t y[4] = {0};
  if (!isnan(mgrt_matmul_nn_softmax_ce(probs, NULL, 1, a, b, NULL, 0, y, 1, 1, 0)) ||
      !isnan(mgrt_matmul_nt_softmax_ce(probs, NULL, 1, a, b, NULL, 0, y, 1, 1, MGRT_SOFTMAX_CE_MAX_CLASSES + 1)) ||
      !isnan(mgrt_matmul_nt_softmax_ce(NULL, NULL, 1, a, b, NULL, 0, y, 1, 1, 2)) || probs[0] != 1)
    failed++, printf("FAIL a class count outside 1..%d, or no output, is not refused with NaN\n",
                     MGRT_SOFTMAX_CE_MAX_CLASSES);
  else
    passed++;
  /* no rows: a loss of 0 */
  if (mgrt_matmul_nn_softmax_ce(probs, NULL, 1, a, b, NULL, 0, y, 0, 1, 3) != 0)
    failed++, printf("FAIL no rows do not sum to 0\n");
  else
    passed++;
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
