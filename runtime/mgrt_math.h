/*
** mgrt_math.h — exp, log1p and sqrt for float programs, written so that loops
** calling them vectorize.
**
** A glibc expf or log1pf is a call (and sqrtf one that may set errno), and a call inside a loop stops gcc and
** clang from vectorizing it: in the lessons' steps (a few hundred rows, a
** handful of features) those calls were most of the time.  These versions
** are static inline, have no branches and no calls, and compute in double:
** the float argument is widened, the double result is rounded to float
** once at the end.  The error of the double computation (below 1e-12
** relative) is far under float's half unit in the last place (3e-8), so
** the result is the correctly rounded float except when the exact value
** lies within 1e-12 of a rounding boundary, where it may be the other
** neighbour: at most one unit in the last place, like glibc's own expf.
** mgrt_sqrtf is exact: it equals sqrtf for every float.  tests/unit/
** test_math.c checks all of this over sweeps of the float range.
**
** Why the odd shapes:
**  - Clamps act on values that still vary (n and r below), never on the
**    argument: clamping the argument to a constant lets the compiler see
**    that the whole result is a constant on that side and split the loop
**    into branches, which it then cannot vectorize.
**  - Powers of two are made by writing the exponent bits, through memcpy
**    (which compilers turn into a register move).
*/
#ifndef MGRT_MATH_H
#define MGRT_MATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* exp(x) for every float x: inf -> inf, -inf -> 0, NaN -> NaN, inf past
   88.72, subnormals below -87.34 and 0 below -103.97.

   x = n ln2 + r with n = round(x / ln2) and |r| <= ln2 / 2; exp(r) is its
   Taylor polynomial of degree 10 (truncation error r^11/11! < 3e-13), and
   2^n is built from its exponent bits. */
static inline float mgrt_expf(float xf) {
  const double x = (double)xf;
  /* Adding 1.5 * 2^52 rounds x / ln2 to an integer that lands in the low
     bits of the double's mantissa. */
  const double shift = 0x1.8p52;
  double kd = x * 0x1.71547652b82fep0 + shift;
  uint64_t kbits;
  memcpy(&kbits, &kd, sizeof kd);
  int64_t n = (int64_t)(kbits - UINT64_C(0x4338000000000000));
  kd -= shift;
  /* Past |n| = 200 the float result is 0 or inf whatever r is; keeping n
     (and, for infinite x, r) in range keeps 2^n a normal double. */
  n = n > 200 ? 200 : n;
  n = n < -200 ? -200 : n;
  kd = kd > 200.0 ? 200.0 : kd;
  kd = kd < -200.0 ? -200.0 : kd;
  double r = x - kd * 0x1.62e42fefa39efp-1; /* x - n ln2 */
  r = r > 1.0 ? 1.0 : r;                    /* only for |x| past 138 */
  r = r < -1.0 ? -1.0 : r;
  double p = 1.0 / 3628800;
  p = p * r + 1.0 / 362880;
  p = p * r + 1.0 / 40320;
  p = p * r + 1.0 / 5040;
  p = p * r + 1.0 / 720;
  p = p * r + 1.0 / 120;
  p = p * r + 1.0 / 24;
  p = p * r + 1.0 / 6;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  const uint64_t scale_bits = (uint64_t)(n + 1023) << 52;
  double scale;
  memcpy(&scale, &scale_bits, sizeof scale);
  return (float)(p * scale);
}

/* log(1 + x) for x in [0, 1] (and NaN -> NaN): the last term of the stable
   binary cross-entropy, log1p(exp(-|z|)).  Not for other arguments.

   u = 1 + x = 2^e m with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s) with
   s = (m - 1) / (m + 1), |s| <= 0.172, summed to s^15 (next term < 1e-13
   relative).  u is rounded when x is below 2^-29; the part of x lost,
   x - (u - 1), is added back divided by u (the first-order correction). */
static inline float mgrt_log1pf_unit(float xf) {
  const double x = (double)xf, u = 1.0 + x;
  uint64_t bits;
  memcpy(&bits, &u, sizeof u);
  /* e = floor(log2(u / sqrt(1/2))), from the bits, without a branch */
  const uint64_t t = bits - UINT64_C(0x3fe6a09e667f3bcd);
  const int64_t e = (int64_t)(t >> 52) - (int64_t)((t >> 63) << 12);
  const uint64_t m_bits = bits - ((uint64_t)e << 52);
  double m;
  memcpy(&m, &m_bits, sizeof m);
  const double s = (m - 1) / (m + 1), z = s * s;
  double p = 1.0 / 15;
  p = p * z + 1.0 / 13;
  p = p * z + 1.0 / 11;
  p = p * z + 1.0 / 9;
  p = p * z + 1.0 / 7;
  p = p * z + 1.0 / 5;
  p = p * z + 1.0 / 3;
  const double log_u = (double)e * 0x1.62e42fefa39efp-1 + (2 * s + 2 * s * z * p);
  /* x - x: 0 for every x allowed here, NaN for NaN (which the bit
     manipulation above would otherwise turn into a number) */
  return (float)(log_u + (x - (u - 1.0)) / u + (x - x));
}

/* sqrt(x) for every float x, exactly sqrtf(x) (checked for every
   non-negative float): sqrtf itself is not vectorized unless errno is
   switched off (-fno-math-errno), as it may set errno for x < 0.

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
