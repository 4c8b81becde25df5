/*
** test_math.c — mgrt_expf, mgrt_log1pf_unit, mgrt_logf and mgrt_sqrtf (runtime/mgrt_math.h)
** against the double-precision libm, rounded to float: the correctly
** rounded result in all but the rarest cases.
**
** Over a sweep of float bit patterns (every float in the interesting range
** when MGRT_MATH_FULL is set; a stride of 29 by default, a few seconds even unoptimized) each
** exp result must be within one unit in the last place of the reference
** and 99% must equal it; log1p and log must be within two (log 99% equal);
** sqrt must equal sqrtf
** everywhere.  Special values (inf, -inf,
** NaN, 0, the overflow and underflow edges) are checked exactly.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgrt_math.h"

static int failures;

static float from_bits(uint32_t b) {
  float f;
  memcpy(&f, &b, sizeof f);
  return f;
}
static uint32_t to_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, sizeof b);
  return b;
}

/* Distance in units in the last place between two floats of the same sign
   (or zero). */
static int64_t ulps(float a, float b) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b) ? 0 : INT64_MAX;
  if (a == b) return 0;
  int64_t ia = to_bits(a), ib = to_bits(b);
  if (ia & 0x80000000) ia = -(ia & 0x7fffffff);
  if (ib & 0x80000000) ib = -(ib & 0x7fffffff);
  return ia > ib ? ia - ib : ib - ia;
}

static void expect(const char *what, float x, float got, float want) {
  if (ulps(got, want) != 0 || signbit(got) != signbit(want)) {
    printf("FAIL %s(%a) = %a, want %a\n", what, (double)x, (double)got, (double)want);
    failures++;
  }
}

typedef struct {
  const char *name;
  long checked, inexact;
  int64_t worst;
  float worst_x;
} Sweep;

static void record(Sweep *s, float x, float got, float want) {
  int64_t d = ulps(got, want);
  s->checked++;
  if (d > 0) s->inexact++;
  if (d > s->worst) s->worst = d, s->worst_x = x;
}

/* max_ulps: the largest distance allowed; max_inexact: the largest
   fraction of results allowed to differ from the correctly rounded one */
static void report(const Sweep *s, int64_t max_ulps, double max_inexact) {
  printf("%s: %ld values, %ld not correctly rounded, worst %lld ulp (at %a)\n", s->name,
         s->checked, s->inexact, (long long)s->worst, (double)s->worst_x);
  if (s->worst > max_ulps) {
    printf("FAIL %s: more than %lld ulp from the correctly rounded result\n", s->name,
           (long long)max_ulps);
    failures++;
  }
  if ((double)s->inexact > max_inexact * (double)s->checked) {
    printf("FAIL %s: more than %g of the results are not correctly rounded\n", s->name,
           max_inexact);
    failures++;
  }
}

/* every stride-th float with bits in [lo, hi] */
static void sweep(Sweep *s, uint32_t lo, uint32_t hi, uint32_t stride, int which) {
  for (uint64_t b = lo; b <= hi; b += stride) {
    const float x = from_bits((uint32_t)b);
    if (which == 0)
      record(s, x, mgrt_expf(x), (float)exp((double)x));
    else if (which == 1)
      record(s, x, mgrt_log1pf_unit(x), (float)log1p((double)x));
    else
      record(s, x, mgrt_logf(x), (float)log((double)x));
  }
}

/* The same function over an array, in a loop the compiler vectorizes: the
   vector code must give the same bits as the scalar calls above. */
static void check_vector_loop(void) {
  enum { N = 4099 };
  static float in[N], out[N], out2[N];
  for (int i = 0; i < N; i++) in[i] = -120.0f + 230.0f * (float)i / N;
  for (int i = 0; i < N; i++) out[i] = mgrt_expf(in[i]);
  for (int i = 0; i < N; i++) out2[i] = mgrt_log1pf_unit((float)i / N);
  static float out3[N], out4[N];
  for (int i = 0; i < N; i++) out3[i] = mgrt_sqrtf(in[i] * in[i]);
  for (int i = 0; i < N; i++) out4[i] = mgrt_logf(in[i] * in[i]);
  for (int i = 0; i < N; i++) {
    volatile float x = in[i], y = (float)i / N; /* volatile: a scalar call */
    expect("vector expf", in[i], out[i], mgrt_expf(x));
    expect("vector log1pf_unit", y, out2[i], mgrt_log1pf_unit(y));
    volatile float sq = in[i] * in[i];
    expect("vector sqrtf", sq, out3[i], sqrtf(sq));
    expect("vector logf", sq, out4[i], mgrt_logf(sq));
  }
}

int main(void) {
  const uint32_t stride = getenv("MGRT_MATH_FULL") ? 1 : 29;

  /* exp: the whole range where the result is neither 0 nor inf, both signs */
  Sweep e = {"mgrt_expf", 0, 0, 0, 0};
  sweep(&e, 0, to_bits(110.0f), stride, 0);
  sweep(&e, 0x80000000u, to_bits(-110.0f), stride, 0);
  report(&e, 1, 0.01);
  expect("expf", INFINITY, mgrt_expf(INFINITY), INFINITY);
  expect("expf", -INFINITY, mgrt_expf(-INFINITY), 0.0f);
  expect("expf", 1e30f, mgrt_expf(1e30f), INFINITY);
  expect("expf", -1e30f, mgrt_expf(-1e30f), 0.0f);
  expect("expf", 3.4e38f, mgrt_expf(3.4e38f), INFINITY);
  expect("expf", -3.4e38f, mgrt_expf(-3.4e38f), 0.0f);
  expect("expf", 0.0f, mgrt_expf(0.0f), 1.0f);
  expect("expf", -0.0f, mgrt_expf(-0.0f), 1.0f);
  expect("expf", 88.72f, mgrt_expf(88.72f), (float)exp((double)88.72f));
  expect("expf", 88.73f, mgrt_expf(88.73f), INFINITY);
  expect("expf", -103.0f, mgrt_expf(-103.0f), (float)exp((double)-103.0f)); /* subnormal */
  expect("expf", -104.0f, mgrt_expf(-104.0f), 0.0f);
  if (!isnan(mgrt_expf(NAN))) printf("FAIL expf(NaN) is not NaN\n"), failures++;
  if (!isnan(mgrt_expf(-NAN))) printf("FAIL expf(-NaN) is not NaN\n"), failures++;

  /* log1p on [0, 1]: every float from 0 (subnormals included) to 1 */
  Sweep l = {"mgrt_log1pf_unit", 0, 0, 0, 0};
  sweep(&l, 0, to_bits(1.0f), stride, 1);
  report(&l, 2, 0.1);
  expect("log1pf_unit", 0.0f, mgrt_log1pf_unit(0.0f), 0.0f);
  expect("log1pf_unit", 1.0f, mgrt_log1pf_unit(1.0f), (float)log(2.0));
  expect("log1pf_unit", 0x1p-149f, mgrt_log1pf_unit(0x1p-149f), 0x1p-149f);
  expect("log1pf_unit", 1e-30f, mgrt_log1pf_unit(1e-30f), 1e-30f);
  if (!isnan(mgrt_log1pf_unit(NAN))) printf("FAIL log1pf_unit(NaN) is not NaN\n"), failures++;

  /* log: every positive float (subnormals, the largest, the step at
     sqrt(2) in between) */
  Sweep g = {"mgrt_logf", 0, 0, 0, 0};
  sweep(&g, 1, to_bits(INFINITY) - 1, stride, 2);
  report(&g, 2, 0.01);
  expect("logf", 1.0f, mgrt_logf(1.0f), 0.0f);
  expect("logf", 0.0f, mgrt_logf(0.0f), -INFINITY);
  expect("logf", -0.0f, mgrt_logf(-0.0f), -INFINITY);
  expect("logf", INFINITY, mgrt_logf(INFINITY), INFINITY);
  expect("logf", 0x1p-149f, mgrt_logf(0x1p-149f), (float)log(0x1p-149));
  expect("logf", 0x1p127f, mgrt_logf(0x1p127f), (float)log(0x1p127));
  if (!isnan(mgrt_logf(-1.0f))) printf("FAIL logf(-1) is not NaN\n"), failures++;
  if (!isnan(mgrt_logf(-INFINITY))) printf("FAIL logf(-inf) is not NaN\n"), failures++;
  if (!isnan(mgrt_logf(NAN))) printf("FAIL logf(NaN) is not NaN\n"), failures++;

  /* sqrt: exactly sqrtf, for every non-negative float with the full sweep */
  Sweep q = {"mgrt_sqrtf", 0, 0, 0, 0};
  for (uint64_t b = 0; b <= 0x7f800000u; b += stride) {
    const float x = from_bits((uint32_t)b);
    record(&q, x, mgrt_sqrtf(x), sqrtf(x));
  }
  report(&q, 0, 0);
  if (q.inexact) printf("FAIL mgrt_sqrtf differs from sqrtf\n"), failures++;
  expect("sqrtf", -0.0f, mgrt_sqrtf(-0.0f), -0.0f);
  expect("sqrtf", INFINITY, mgrt_sqrtf(INFINITY), INFINITY);
  expect("sqrtf", 0x1p-149f, mgrt_sqrtf(0x1p-149f), sqrtf(0x1p-149f));
  if (!isnan(mgrt_sqrtf(-1.0f))) printf("FAIL sqrtf(-1) is not NaN\n"), failures++;
  if (!isnan(mgrt_sqrtf(-INFINITY))) printf("FAIL sqrtf(-inf) is not NaN\n"), failures++;
  if (!isnan(mgrt_sqrtf(NAN))) printf("FAIL sqrtf(NaN) is not NaN\n"), failures++;

  check_vector_loop();
  if (failures) {
    printf("%d failure(s)\n", failures);
    return 1;
  }
  printf("ok\n");
  return 0;
}
