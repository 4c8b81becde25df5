/*
** batch_norm.c — batch normalization (nn.BatchNorm1d over [n, c], nn.BatchNorm2d
** over [n, c, h, w]): the training forward with its running statistics,
** the evaluation forward, and the training backward, in float and double.
**
** The float arithmetic is PyTorch 1.13's CPU kernel's (ATen's
** Normalization.cpp and cpu/batch_norm_kernel.cpp), operation for
** operation, so that a step's statistics round as PyTorch's do:
**
**   statistics   [n, c, h, w]: per channel, the sum of x in double, mean =
**                float(sum / N) (N = n h w); the float squares (x - mean)^2
**                summed in double, var_sum = float of it.
**                [n, c] ("channels last" to ATen, one thread): per channel,
**                the sum of x in float, row by row; mean = float(double(sum) / N);
**                var_sum = fma(x - mean, x - mean, var_sum) in float, row by row.
**   saved        invstd = float(1 / sqrt(double(var_sum / N) + eps)), the
**                division in float
**   running      m = float(momentum), in float:
**                running_mean = m mean + (1 - m) running_mean;
**                running_var = float(double(m) double(var_sum / (N - 1)) +
**                double((1 - m) running_var))
**   output       alpha = invstd weight, beta = fma(-mean, alpha, bias),
**                y = fma(x, alpha, beta)
**   evaluation   invstd = 1 / sqrtf(running_var + float(eps)), then the same
**                alpha and beta from the running mean
**   backward     sum = the sum of dy, dotp = the sum of (x - mean) dy
**                ([n, c, h, w]: in double; [n, c]: fma in float, row by row);
**                k = float(dotp) invstd invstd / N, grad_mean = sum / N,
**                dx = fma(-(x - mean), k, dy - grad_mean) invstd weight,
**                dweight = dotp invstd, dbias = sum
**
** The fused multiply-adds are those that gcc's contraction makes in the
** AVX2 kernels of Debian's PyTorch 1.13 build, where the reference values
** come from: with them, the tests find PyTorch's bits in every statistic
** and output of the training and evaluation forward passes.  Everything
** else is a separate rounding (this file is compiled with
** -ffp-contract=off, so the compiler adds no other fusions).  PyTorch's
** backward over [n, c, h, w] sums each plane with its vector lanes before
** adding it in double; here each plane is summed in double directly, which
** is at least as accurate (the tests hold both to PyTorch at the stated
** tolerance).  ATen's [n, c] sums are per thread; the formulas above are
** those of one thread (the references are made with
** torch.set_num_threads(1)).  In double every step is in double.
**
** Channels are independent: the [n, c, h, w] calls share them out between
** OpenMP threads, with the same results for any number of threads.
**
** Written once and compiled for float and double by including this file
** again with T defined, as matmul.c does.
*/
#ifndef MGRT_BN_TEMPLATE

#include "mgrt.h"

#include <math.h>

#ifdef _OPENMP
#define MGRT_OMP(directive) _Pragma(#directive)
#else
#define MGRT_OMP(directive)
#endif

/* Below this many elements a call stays on one thread. */
#define MGRT_BN_PARALLEL_MIN 65536

static int bn_check(const mgrt_batch_norm_shape *s, const char *what) {
  const int64_t limit = (int64_t)1 << 31;
  if (s->n < 0 || s->n >= limit || s->c < 1 || s->c >= limit || s->hw < 1 || s->hw >= limit ||
      (double)s->n * (double)s->c * (double)s->hw > 0x1p60) {
    mgrt_set_error("batch_norm %s: shape [%lld, %lld] x %lld is out of range", what, (long long)s->n,
                   (long long)s->c, (long long)s->hw);
    return -1;
  }
  if (!(s->eps >= 0) || !(s->momentum >= 0 && s->momentum <= 1)) {
    mgrt_set_error("batch_norm %s: eps %g must be at least 0 and momentum %g between 0 and 1", what,
                   s->eps, s->momentum);
    return -1;
  }
  return 0;
}

/* PyTorch's message, for a batch that gives each channel one value. */
static int bn_check_train(const mgrt_batch_norm_shape *s, const char *what) {
  if (bn_check(s, what) != 0) return -1;
  if (s->n * s->hw < 2) {
    mgrt_set_error("batch_norm %s: expected more than 1 value per channel when training, got %lld "
                   "(batch of %lld)",
                   what, (long long)(s->n * s->hw), (long long)s->n);
    return -1;
  }
  return 0;
}

static int bn_parallel(const mgrt_batch_norm_shape *s) {
  return (double)s->n * (double)s->c * (double)s->hw >= MGRT_BN_PARALLEL_MIN;
}

/* Channels per block in the [n, c] loops: each row's block of channels is
   one stretch of memory, summed into as many accumulators. */
enum { BN_BLOCK = 64 };

#define MGRT_BN_TEMPLATE 1
#define T float
#define FMA fmaf
#define BN mgrt_batch_norm
#define SFX(name) name
#include "batch_norm.c"
#undef T
#undef FMA
#undef BN
#undef SFX
#define T double
#define FMA fma
#define BN mgrt_batch_norm_f64
#define SFX(name) name##_f64
#include "batch_norm.c"
#undef T
#undef FMA
#undef BN
#undef SFX
#undef MGRT_BN_TEMPLATE

#else /* MGRT_BN_TEMPLATE: the type-generic half, compiled once per T */

/* One channel's saved statistics and running statistics from its mean and
   var_sum (the first two lines of the table at the top). */
static void SFX(bn_finish_stats)(const mgrt_batch_norm_shape *s, const BN *bn, int64_t ch, T mean,
                                 T var_sum) {
  const int64_t count = s->n * s->hw;
  const double var = (double)(var_sum / (T)count);
  const T m = (T)s->momentum;
  bn->save_mean[ch] = mean;
  bn->save_invstd[ch] = (var != 0 || s->eps != 0) ? (T)(1 / sqrt(var + s->eps)) : 0;
  if (bn->running_mean) bn->running_mean[ch] = m * mean + (1 - m) * bn->running_mean[ch];
  if (bn->running_var) {
    const double unbiased = (double)(var_sum / (T)(count - 1));
    bn->running_var[ch] = (T)((double)m * unbiased + (double)((1 - m) * bn->running_var[ch]));
  }
}

/* Channel ch's y = x alpha + beta: alpha = invstd weight, beta = bias -
   mean alpha, from the batch's statistics (saved by the training forward)
   or from the running ones (evaluation: invstd = 1 / sqrt(running_var +
   eps) in T; a square root in double rounded to float is sqrtf's). */
static void SFX(bn_coefficients)(const mgrt_batch_norm_shape *s, const BN *bn, int64_t ch, int eval,
                                 T *alpha, T *beta) {
  T mean, invstd;
  if (eval) {
    mean = bn->running_mean[ch];
    invstd = 1 / (T)sqrt(bn->running_var[ch] + (T)s->eps);
  } else {
    mean = bn->save_mean[ch];
    invstd = bn->save_invstd[ch];
  }
  *alpha = invstd * (bn->weight ? bn->weight[ch] : 1);
  *beta = FMA(-mean, *alpha, bn->bias ? bn->bias[ch] : 0);
}

/* y = x alpha + beta, channel by channel. */
static void SFX(bn_apply)(const mgrt_batch_norm_shape *s, const BN *bn, int eval, T *y, const T *x) {
  if (s->hw == 1) {
    for (int64_t c0 = 0; c0 < s->c; c0 += BN_BLOCK) {
      const int64_t width = s->c - c0 < BN_BLOCK ? s->c - c0 : BN_BLOCK;
      T alpha[BN_BLOCK], beta[BN_BLOCK];
      for (int64_t j = 0; j < width; j++) SFX(bn_coefficients)(s, bn, c0 + j, eval, &alpha[j], &beta[j]);
      for (int64_t i = 0; i < s->n; i++) {
        const T *xr = x + i * s->c + c0;
        T *yr = y + i * s->c + c0;
        for (int64_t j = 0; j < width; j++) yr[j] = FMA(xr[j], alpha[j], beta[j]);
      }
    }
    return;
  }
  MGRT_OMP(omp parallel for schedule(static) if(bn_parallel(s)))
  for (int64_t ch = 0; ch < s->c; ch++) {
    T alpha, beta;
    SFX(bn_coefficients)(s, bn, ch, eval, &alpha, &beta);
    for (int64_t i = 0; i < s->n; i++) {
      const T *xp = x + (i * s->c + ch) * s->hw;
      T *yp = y + (i * s->c + ch) * s->hw;
      for (int64_t j = 0; j < s->hw; j++) yp[j] = FMA(xp[j], alpha, beta);
    }
  }
}

int SFX(mgrt_batch_norm_forward_train)(const mgrt_batch_norm_shape *s, const BN *bn, T *y, const T *x) {
  if (bn_check_train(s, "training forward") != 0) return -1;
  const int64_t count = s->n * s->hw;
  if (s->hw == 1) {
    for (int64_t c0 = 0; c0 < s->c; c0 += BN_BLOCK) {
      const int64_t width = s->c - c0 < BN_BLOCK ? s->c - c0 : BN_BLOCK;
      T sum[BN_BLOCK] = {0}, mean[BN_BLOCK], var_sum[BN_BLOCK] = {0};
      for (int64_t i = 0; i < s->n; i++)
        for (int64_t j = 0; j < width; j++) sum[j] += x[i * s->c + c0 + j];
      for (int64_t j = 0; j < width; j++) mean[j] = (T)((double)sum[j] / (double)count);
      for (int64_t i = 0; i < s->n; i++)
        for (int64_t j = 0; j < width; j++) {
          const T d = x[i * s->c + c0 + j] - mean[j];
          var_sum[j] = FMA(d, d, var_sum[j]);
        }
      for (int64_t j = 0; j < width; j++) SFX(bn_finish_stats)(s, bn, c0 + j, mean[j], var_sum[j]);
    }
  } else {
    MGRT_OMP(omp parallel for schedule(static) if(bn_parallel(s)))
    for (int64_t ch = 0; ch < s->c; ch++) {
      double sum = 0, var_sum = 0;
      for (int64_t i = 0; i < s->n; i++) {
        const T *xp = x + (i * s->c + ch) * s->hw;
        for (int64_t j = 0; j < s->hw; j++) sum += xp[j];
      }
      const T mean = (T)(sum / (double)count);
      for (int64_t i = 0; i < s->n; i++) {
        const T *xp = x + (i * s->c + ch) * s->hw;
        for (int64_t j = 0; j < s->hw; j++) {
          const T d = xp[j] - mean;
          var_sum += d * d; /* the square rounded to T, then summed in double */
        }
      }
      SFX(bn_finish_stats)(s, bn, ch, mean, (T)var_sum);
    }
  }
  SFX(bn_apply)(s, bn, 0, y, x);
  return 0;
}

int SFX(mgrt_batch_norm_forward_eval)(const mgrt_batch_norm_shape *s, const BN *bn, T *y, const T *x) {
  if (bn_check(s, "evaluation forward") != 0) return -1;
  if (!bn->running_mean || !bn->running_var) {
    mgrt_set_error("batch_norm evaluation forward: running_mean and running_var are needed");
    return -1;
  }
  SFX(bn_apply)(s, bn, 1, y, x);
  return 0;
}

int SFX(mgrt_batch_norm_backward)(const mgrt_batch_norm_shape *s, const BN *bn, T *dx, T *dweight,
                                  T *dbias, const T *dy, const T *x) {
  if (bn_check_train(s, "backward") != 0) return -1;
  const int64_t count = s->n * s->hw;
  if (s->hw == 1) {
    for (int64_t c0 = 0; c0 < s->c; c0 += BN_BLOCK) {
      const int64_t width = s->c - c0 < BN_BLOCK ? s->c - c0 : BN_BLOCK;
      const T *mean = bn->save_mean + c0, *invstd = bn->save_invstd + c0;
      T sum[BN_BLOCK] = {0}, dotp[BN_BLOCK] = {0}, k[BN_BLOCK], grad_mean[BN_BLOCK], scale[BN_BLOCK];
      for (int64_t i = 0; i < s->n; i++)
        for (int64_t j = 0; j < width; j++) {
          const T g = dy[i * s->c + c0 + j];
          sum[j] = sum[j] + g;
          dotp[j] = FMA(x[i * s->c + c0 + j] - mean[j], g, dotp[j]);
        }
      for (int64_t j = 0; j < width; j++) {
        k[j] = dotp[j] * invstd[j] * invstd[j] / (T)count;
        grad_mean[j] = sum[j] / (T)count;
        scale[j] = bn->weight ? bn->weight[c0 + j] : 1;
        if (dweight) dweight[c0 + j] = dotp[j] * invstd[j];
        if (dbias) dbias[c0 + j] = sum[j];
      }
      if (dx)
        for (int64_t i = 0; i < s->n; i++)
          for (int64_t j = 0; j < width; j++) {
            const int64_t at = i * s->c + c0 + j;
            dx[at] = FMA(-(x[at] - mean[j]), k[j], dy[at] - grad_mean[j]) * invstd[j] * scale[j];
          }
    }
    return 0;
  }
  MGRT_OMP(omp parallel for schedule(static) if(bn_parallel(s)))
  for (int64_t ch = 0; ch < s->c; ch++) {
    const T mean = bn->save_mean[ch], invstd = bn->save_invstd[ch];
    const T w = bn->weight ? bn->weight[ch] : 1;
    double sum = 0, dotp = 0;
    for (int64_t i = 0; i < s->n; i++) {
      const T *xp = x + (i * s->c + ch) * s->hw, *gp = dy + (i * s->c + ch) * s->hw;
      for (int64_t j = 0; j < s->hw; j++) {
        sum += gp[j];
        dotp += (double)(xp[j] - mean) * gp[j];
      }
    }
    if (dx) {
      const T k = (T)dotp * invstd * invstd / (T)count;
      const T grad_mean = (T)(sum / (double)count);
      for (int64_t i = 0; i < s->n; i++) {
        const T *xp = x + (i * s->c + ch) * s->hw, *gp = dy + (i * s->c + ch) * s->hw;
        T *dp = dx + (i * s->c + ch) * s->hw;
        for (int64_t j = 0; j < s->hw; j++) {
          dp[j] = FMA(-(xp[j] - mean), k, gp[j] - grad_mean) * invstd * w;
        }
      }
    }
    if (dweight) dweight[ch] = (T)(dotp * invstd);
    if (dbias) dbias[ch] = (T)sum;
  }
  return 0;
}

#endif /* MGRT_BN_TEMPLATE */
