/*
** mgrt_math.h — exp, log1p and sqrt for float programs, written so that loops
** calling them vectorize.
**
** A glibc expf or log1pf is a call (and sqrtf one that may set errno), and a
** call inside a loop stops gcc and clang from vectorizing it: in the
** lessons' steps (a few hundred rows, a handful of features) those calls
** were most of the time.  These versions are static inline, have no
** branches and no calls, and so run 8 or 16 to a vector instruction.
**
** Accuracy (tests/unit/test_math.c checks it over sweeps of the float range):
**  - mgrt_expf: within 1 unit in the last place (ulp) of the correctly
**    rounded result everywhere, and equal to it for 99% of arguments.
**    PyTorch's own vectorized expf (Sleef's) promises 1 ulp.
**  - mgrt_log1pf_unit: within 2 ulp, on [0, 1].
**  - mgrt_sqrtf: exactly sqrtf, for every float.
** Losses built from them are summed in double, so an ulp here and there
** moves a logged cost by about 1e-8 of its value.
**
** Why the odd shapes:
**  - Out-of-range arguments are handled by clamping the integer exponent
**    and by selects on the result at the end, never by clamping the
**    argument at the start: that lets the compiler see that the whole
**    computation is a constant on that side and split the loop into
**    branches, which it then cannot vectorize.
**  - Powers of two are made by writing exponent bits through memcpy (which
**    compilers turn into a register move).
*/
#ifndef MGRT_MATH_H
#define MGRT_MATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* a * b + c: one fused multiply-add where the target has them (FP_FAST_FMAF:
   gcc with -mfma or -march= a CPU that has it), else a multiplication and
   an addition, each rounded. */
#if defined(FP_FAST_FMAF)
#define MGRT_MULADD(a, b, c) fmaf(a, b, c)
#else
#define MGRT_MULADD(a, b, c) ((a) * (b) + (c))
#endif

/* exp(x) for every float x: inf -> inf, -inf -> 0, NaN -> NaN, inf past
   88.72, subnormals below -87.34 and 0 below -103.97.

   x = n ln2 + r with n = round(x / ln2) and |r| <= ln2 / 2, r computed with
   ln2 in two parts (Cody and Waite: n times the first part is exact, so r
   keeps its low bits); exp(r) is its Taylor polynomial of degree 7
   (truncation error r^8/8! < 6e-9, a tenth of an ulp); 2^n is applied as
   two factors 2^(n/2) 2^(n - n/2), each a normal float, so that results
   in the subnormal range are rounded once, at the last multiplication. */
static inline float mgrt_expf(float x) {
  /* Adding 1.5 * 2^23 rounds x / ln2 to an integer that lands in the low
     bits of the float's mantissa. */
  const float shift = 0x1.8p23f;
  float nf = MGRT_MULADD(x, 0x1.715476p0f, shift);
  uint32_t nbits;
  memcpy(&nbits, &nf, sizeof nf);
  int32_t n = (int32_t)(nbits - UINT32_C(0x4b400000));
  nf -= shift;
  /* Keeping n in range keeps the scale factors normal floats; past
     |n| = 200 the result is 0 or inf anyway (chosen at the end). */
  n = n > 200 ? 200 : n;
  n = n < -200 ? -200 : n;
  float r = MGRT_MULADD(-nf, 0x1.62e4p-1f, x); /* ln2, high part: 16 bits */
  r = MGRT_MULADD(-nf, 0x1.7f7d1cp-20f, r);    /* ln2, low part */
  float p = 1.0f / 5040;
  p = MGRT_MULADD(p, r, 1.0f / 720);
  p = MGRT_MULADD(p, r, 1.0f / 120);
  p = MGRT_MULADD(p, r, 1.0f / 24);
  p = MGRT_MULADD(p, r, 1.0f / 6);
  p = MGRT_MULADD(p, r, 0.5f);
  p = MGRT_MULADD(p * r, r, r) + 1.0f;
  const int32_t n1 = n / 2, n2 = n - n1;
  const uint32_t bits1 = (uint32_t)(n1 + 127) << 23, bits2 = (uint32_t)(n2 + 127) << 23;
  float scale1, scale2;
  memcpy(&scale1, &bits1, sizeof scale1);
  memcpy(&scale2, &bits2, sizeof scale2);
  /* Far out (and for infinite x, where r is NaN) the polynomial means
     nothing: the results there are 0 and inf.  NaN falls through. */
  const float e = x < -104.0f ? 0.0f : p * scale1 * scale2;
  return x > 89.0f ? INFINITY : e;
}

/* log(1 + x) for x in [0, 1] (and NaN -> NaN): the last term of the stable
   binary cross-entropy, log1p(exp(-|z|)).  Not for other arguments.

   log(1 + x) = 2 atanh(s) with s = x / (2 + x) in [0, 1/3], summed to s^15
   (next term below 2e-9 relative).  t = 2s is computed directly, so that
   for tiny x (subnormals too) t = x exactly and the result is x. */
static inline float mgrt_log1pf_unit(float x) {
  const float t = x / (1.0f + 0.5f * x), z = 0.25f * t * t;
  float p = 1.0f / 15;
  p = MGRT_MULADD(p, z, 1.0f / 13);
  p = MGRT_MULADD(p, z, 1.0f / 11);
  p = MGRT_MULADD(p, z, 1.0f / 9);
  p = MGRT_MULADD(p, z, 1.0f / 7);
  p = MGRT_MULADD(p, z, 1.0f / 5);
  p = MGRT_MULADD(p, z, 1.0f / 3);
  return MGRT_MULADD(t, z * p, t);
}

/* log(x) for every float x: within 2 ulp of the correctly rounded result
   (99% equal to it); log(0) = -inf, log(inf) = inf, NaN for x < 0 and for
   NaN.  The softmax cross-entropy takes it of each row's sum of exps, in a
   loop over rows that vectorizes (libm's logf is a call per row).

   x = 2^e m with m in [sqrt(1/2), sqrt(2)) (subnormals scaled by 2^23
   first); log(m) = 2 atanh(s) with s = (m - 1) / (m + 1), |s| < 0.172,
   summed to s^13 (next term below 1e-11); e ln2 with ln2 in two parts. */
static inline float mgrt_logf(float x) {
  /* Written for gcc's vectorizer: a select whose arms compute something
     becomes a branch around the computation (which might raise a
     floating-point exception), and a branch keeps the loop scalar.  So
     the subnormal scaling picks bits with a mask, and the special cases
     are constants added to the result at the end. */
  const int subnormal = x < 0x1p-126f;
  const float scaled = x * 0x1p23f;
  uint32_t x_bits, scaled_bits;
  memcpy(&x_bits, &x, sizeof x);
  memcpy(&scaled_bits, &scaled, sizeof scaled);
  const uint32_t pick = (uint32_t)0 - (uint32_t)subnormal;
  const uint32_t bits = (scaled_bits & pick) | (x_bits & ~pick);
  const uint32_t m_bits = (bits & UINT32_C(0x007fffff)) | UINT32_C(0x3f800000); /* m in [1, 2) */
  float m;
  memcpy(&m, &m_bits, sizeof m);
  const int big = m > 0x1.6a09e6p0f; /* sqrt(2) */
  m = m * (big ? 0.5f : 1.0f);
  const int32_t e = (int32_t)((bits >> 23) & 0xff) - 127 - (subnormal ? 23 : 0) + (big ? 1 : 0);
  const float f = m - 1.0f, s = f / (2.0f + f), z = s * s;
  float p = 2.0f / 13;
  p = MGRT_MULADD(p, z, 2.0f / 11);
  p = MGRT_MULADD(p, z, 2.0f / 9);
  p = MGRT_MULADD(p, z, 2.0f / 7);
  p = MGRT_MULADD(p, z, 2.0f / 5);
  p = MGRT_MULADD(p, z, 2.0f / 3);
  const float ef = (float)e;
  const float y = MGRT_MULADD(ef, 0x1.62e4p-1f, MGRT_MULADD(ef, 0x1.7f7d1cp-20f, MGRT_MULADD(s, z * p, 2.0f * s)));
  /* inf -> inf, 0 -> -inf, negative or NaN -> NaN (y is finite there) */
  float special = x == INFINITY ? INFINITY : 0.0f;
  special = x == 0 ? -INFINITY : special;
  special = ((x < 0) | (x != x)) ? NAN : special;
  return y + special;
}

/* sqrt(x) for every float x, exactly sqrtf(x) (checked for every
   non-negative float): sqrtf itself is not vectorized unless errno is
   switched off (-fno-math-errno), as it may set errno for x < 0.  The
   optimizers' sqrt must be exact to give PyTorch's Adam steps bit for bit,
   so this one computes in double.

   1/sqrt(x) by five Newton steps in double from the classic bit-level
   first guess (3.4% off; each step squares the error: 1e-3, 4e-6, 3e-11,
   then double precision), times x, rounded once. */
static inline float mgrt_sqrtf(float xf) {
  const double x = (double)xf, half = 0.5 * x;
  uint64_t bits;
  memcpy(&bits, &x, sizeof x);
  const uint64_t y_bits = UINT64_C(0x5fe6eb50c7b537a9) - (bits >> 1);
  double y;
  memcpy(&y, &y_bits, sizeof y);
  y = y * (1.5 - half * y * y);
  y = y * (1.5 - half * y * y);
  y = y * (1.5 - half * y * y);
  y = y * (1.5 - half * y * y);
  y = y * (1.5 - half * y * y);
  double s = x * y;                      /* 0 -> 0, -0 -> -0 */
  s = x < 1e300 ? s : x;                 /* inf -> inf, NaN -> NaN */
  s = x >= 0 ? s : (x - x) * INFINITY;   /* negative -> NaN: 0 * inf (a value the compiler
                                            cannot fold, so the select stays a select) */
  return (float)s;
}

#endif /* MGRT_MATH_H */
