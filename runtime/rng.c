/*
** rng.c — PyTorch 1.13's CPU random number generator, bit for bit.
**
** A generated training program seeded with S draws the same initial weights,
** the same normals and the same DataLoader order as the PyTorch script it was
** written from under torch.manual_seed(S).  This file reproduces the MT19937
** engine, tensor.uniform_, both paths of tensor.normal_, torch.randperm and
** the epoch order of DataLoader(shuffle=True).  docs/rng.md says which
** PyTorch facts this relies on.
**
** Build this file with -ffp-contract=off.  Every rounding below is the one
** the Debian libtorch 1.13 binary performs: where GCC fused a multiply and an
** add when it built libtorch, this file calls fmaf/fma explicitly, and
** everywhere else the compiler must not fuse on its own.  Dropping one of
** those fusions, or adding another, changes the last bit of about 1 % of the
** normals or half of the uniforms.  Float intermediates are kept in named
** float variables so that each rounding is visible.
*/
#include "mgrt.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------
** The MT19937 engine (ATen/core/MT19937RNGEngine.h)
** ---------------------------------------------------------------------- */

enum { MT_N = 624, MT_M = 397 };

/* torch.manual_seed: init_genrand with the low 32 bits of the seed.  "left"
   starts at 1 so that the first draw regenerates the whole state, and the
   Box-Muller cache is cleared because manual_seed re-creates the generator. */
void mgrt_rng_seed(mgrt_rng *rng, uint64_t seed) {
  rng->state[0] = (uint32_t)seed;
  for (uint32_t i = 1; i < MT_N; i++) {
    uint32_t prev = rng->state[i - 1];
    rng->state[i] = 1812433253u * (prev ^ (prev >> 30)) + i;
  }
  rng->next = 0;
  rng->left = 1;
  rng->has_cached_normal = 0;
  rng->cached_normal = 0.0;
}

/* The twist of two neighbouring state words. */
static uint32_t mt_twist(uint32_t u, uint32_t v) {
  uint32_t mixed = (u & 0x80000000u) | (v & 0x7fffffffu);
  return (mixed >> 1) ^ ((v & 1u) ? 0x9908b0dfu : 0u);
}

/* Regenerates all 624 words of the state. */
static void mt_regenerate(mgrt_rng *rng) {
  uint32_t *s = rng->state;
  int i;
  for (i = 0; i < MT_N - MT_M; i++) s[i] = s[i + MT_M] ^ mt_twist(s[i], s[i + 1]);
  for (; i < MT_N - 1; i++) s[i] = s[i + MT_M - MT_N] ^ mt_twist(s[i], s[i + 1]);
  s[MT_N - 1] = s[MT_M - 1] ^ mt_twist(s[MT_N - 1], s[0]);
  rng->left = MT_N;
  rng->next = 0;
}

uint32_t mgrt_rng_next32(mgrt_rng *rng) {
  if (--rng->left == 0) mt_regenerate(rng);
  uint32_t y = rng->state[rng->next++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

/* PyTorch's random64 puts the first word in the high half. */
uint64_t mgrt_rng_next64(mgrt_rng *rng) {
  uint64_t high = mgrt_rng_next32(rng);
  uint64_t low = mgrt_rng_next32(rng);
  return (high << 32) | low;
}

/* n words, exactly the next n that mgrt_rng_next32 would return, taken in
   runs straight from the state: the tempering of a run is one loop without
   calls or branches, which the compiler vectorizes (a call per word cost
   most of a dropout mask's time).  The state is regenerated where
   mgrt_rng_next32 would do it, and "next" and "left" end as it leaves them:
   after k words from a fresh state, next = k and left = MT_N + 1 - k. */
void mgrt_rng_words(mgrt_rng *rng, uint32_t *restrict out, int64_t n) {
  while (n > 0) {
    if (rng->left <= 1) {
      mt_regenerate(rng);
      rng->left = MT_N + 1; /* its first word is not counted down (see next32) */
    }
    const int64_t avail = rng->left - 1;
    const int64_t k = n < avail ? n : avail;
    const uint32_t *restrict s = rng->state + rng->next;
    for (int64_t j = 0; j < k; j++) {
      uint32_t y = s[j];
      y ^= y >> 11;
      y ^= (y << 7) & 0x9d2c5680u;
      y ^= (y << 15) & 0xefc60000u;
      y ^= y >> 18;
      out[j] = y;
    }
    rng->next += (int)k;
    rng->left -= (int)k;
    out += k;
    n -= k;
  }
}

/* ------------------------------------------------------------------------
** Uniform (uniform_real_distribution in ATen/core/DistributionsHelper.h)
** ---------------------------------------------------------------------- */

/* A float in [0, 1) from the low 24 bits of one word; the product is exact. */
static float unit_float(mgrt_rng *rng) {
  return (float)(mgrt_rng_next32(rng) & 0xffffffu) * 0x1p-24f;
}

/* A double in [0, 1) from the low 53 bits of a 64-bit draw; exact too. */
static double unit_double(mgrt_rng *rng) {
  return (double)(mgrt_rng_next64(rng) & ((UINT64_C(1) << 53) - 1)) * 0x1p-53;
}

/* The bounds are rounded to float before they are subtracted, and u*range+from
   is one fused operation in libtorch's AVX2 kernel. */
void mgrt_rng_uniform(mgrt_rng *rng, float *out, int64_t n, double a, double b) {
  const float from = (float)a;
  const float to = (float)b;
  const float range = to - from;
  for (int64_t i = 0; i < n; i++) out[i] = fmaf(unit_float(rng), range, from);
}

/* ------------------------------------------------------------------------
** Normal, scalar path: Box-Muller in double with a cached second value
** (normal_distribution<double> in ATen/core/DistributionsHelper.h)
** ---------------------------------------------------------------------- */

/* One unscaled normal.  Each pair of uniforms gives two normals; the sine one
   waits in the generator for the next scalar-path element, even one that
   belongs to a later call. */
static double normal_scalar_draw(mgrt_rng *rng) {
  if (rng->has_cached_normal) {
    rng->has_cached_normal = 0;
    return rng->cached_normal;
  }
  const double u1 = unit_double(rng);
  const double u2 = unit_double(rng);
  const double radius = sqrt(-2.0 * log(1.0 - u2));
  const double theta = 6.283185307179586 * u1; /* 2*pi as a double */
  rng->cached_normal = radius * sin(theta);
  rng->has_cached_normal = 1;
  return radius * cos(theta);
}

static void normal_scalar(mgrt_rng *rng, float *out, int64_t n, double mean, double std) {
  for (int64_t i = 0; i < n; i++) out[i] = (float)fma(normal_scalar_draw(rng), std, mean);
}

/* ------------------------------------------------------------------------
** Normal, fill path: the 16-wide AVX2 kernel (normal_fill_AVX2 in
** native/cpu/DistributionKernels.cpp) with Cephes logf and sincosf from
** native/cpu/avx_mathfun.h, one lane at a time.
** ---------------------------------------------------------------------- */

/* The constants as the bit patterns read from libtorch's .rodata. */
static float f32(uint32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

static uint32_t f32_bits(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  return bits;
}

/* log256_ps for one lane.  The argument is 1 - u with u in [0, 1), so it lies
   in [2^-24, 1]: the kernel's clamp to FLT_MIN and its NaN for x <= 0 never
   act and are left out. */
static float cephes_logf(float x) {
  static const uint32_t p[9] = {0x3d9021bb, 0xbdebd1b8, 0x3def251a, 0xbdfe5d4f, 0x3e11e9bf,
                                0xbe2aae50, 0x3e4cceac, 0xbe7ffffc, 0x3eaaaaaa};
  const uint32_t bits = f32_bits(x);
  const float m = f32((bits & 0x807fffffu) | 0x3f000000u); /* mantissa in [0.5, 1) */
  const float k = (float)((int32_t)(bits >> 23) - 127);
  float e = k + 1.0f;
  float t = 0.0f;
  if (m < f32(0x3f3504f3)) { /* m < sqrt(1/2): use 2m and one less exponent */
    t = m;
    e = e - 1.0f;
  }
  const float m1 = m + -1.0f;
  const float xr = m1 + t;
  const float z = xr * xr;
  float y = f32(p[0]);
  for (int i = 1; i < 9; i++) y = fmaf(y, xr, f32(p[i]));
  y = y * xr;
  const float eq1 = e * f32(0xb95e8083);
  y = fmaf(y, z, eq1);
  y = fmaf(-z, 0.5f, y);
  const float r = xr + y;
  return fmaf(e, f32(0x3f318000), r);
}

/* sincos256_ps for one lane, for theta >= 0 (theta = 2*pi*u with u >= 0). */
static void cephes_sincosf(float theta, float *sin_out, float *cos_out) {
  float x = fabsf(theta);
  const float scaled = x * f32(0x3fa2f983); /* 4/pi */
  int32_t j = (int32_t)scaled;              /* truncation, like cvttps */
  j = (j + 1) & ~1;
  const float y = (float)j;
  const uint32_t sin_sign = (j & 4) ? 0x80000000u : 0u;
  const uint32_t cos_sign = (~(j - 2) & 4) ? 0x80000000u : 0u;

  /* Extended-precision reduction x - y*pi/4 in three fused steps. */
  x = fmaf(y, f32(0xbf490000), x);
  x = fmaf(y, f32(0xb97da000), x);
  x = fmaf(y, f32(0xb3222169), x);
  const float z = x * x;

  float c = fmaf(f32(0x37ccf5ce), z, f32(0xbab6061a));
  c = fmaf(c, z, f32(0x3d2aaaa5));
  c = c * z;
  const float half_z = z * 0.5f;
  c = fmaf(c, z, -half_z);
  c = c + 1.0f;

  float s = fmaf(f32(0xb94ca1f9), z, f32(0x3c08839e));
  s = fmaf(s, z, f32(0xbe2aaaa3));
  s = z * s;
  s = fmaf(s, x, x);

  /* The kernel selects with masks and adds, not with a branch; that decides
     the sign of zero results, so do the same arithmetic. */
  const int sin_poly = (j & 2) == 0;
  const float s_sel = sin_poly ? s : 0.0f;
  const float c_sel = sin_poly ? 0.0f : c;
  const float sin_v = c_sel + s_sel;
  const float cos_v = (c - c_sel) + (s - s_sel);
  *sin_out = f32(f32_bits(sin_v) ^ sin_sign);
  *cos_out = f32(f32_bits(cos_v) ^ cos_sign);
}

/* normal_fill_16_AVX2: data[0..15] holds uniforms on entry and normals on
   exit.  The first 8 give the radius, the last 8 the angle. */
static void normal_fill_block(float *data, float mean, float std) {
  for (int j = 0; j < 8; j++) {
    const float one_minus_u = 1.0f - data[j];
    const float minus_two_log = -2.0f * cephes_logf(one_minus_u);
    const float radius = sqrtf(minus_two_log);
    const float theta = f32(0x40c90fdb) * data[j + 8]; /* 2*pi as a float */
    float s, c;
    cephes_sincosf(theta, &s, &c);
    const float n1 = radius * c;
    const float n2 = radius * s;
    data[j] = fmaf(n1, std, mean);
    data[j + 8] = fmaf(n2, std, mean);
  }
}

static void fill_unit_floats(mgrt_rng *rng, float *out, int64_t n) {
  for (int64_t i = 0; i < n; i++) out[i] = unit_float(rng);
}

/* n >= 16.  A tail that does not fill a block is handled by drawing 16 fresh
   uniforms over the last 16 slots, overwriting finished normals. */
static void normal_fill(mgrt_rng *rng, float *out, int64_t n, double mean, double std) {
  const float mean_f = (float)mean;
  const float std_f = (float)std;
  fill_unit_floats(rng, out, n);
  for (int64_t i = 0; i + 16 <= n; i += 16) normal_fill_block(out + i, mean_f, std_f);
  if (n % 16 != 0) {
    fill_unit_floats(rng, out + n - 16, 16);
    normal_fill_block(out + n - 16, mean_f, std_f);
  }
}

/* PyTorch picks the path from the tensor: float32, contiguous and at least 16
   elements takes the fill path, which neither reads nor clears the cache. */
void mgrt_rng_normal(mgrt_rng *rng, float *out, int64_t n, double mean, double std) {
  if (n >= 16)
    normal_fill(rng, out, n, mean, std);
  else
    normal_scalar(rng, out, n, mean, std);
}

/* ------------------------------------------------------------------------
** Permutations
** ---------------------------------------------------------------------- */

/* randperm_cpu (native/TensorFactories.cpp): a forward Fisher-Yates shuffle
   with one word per step taken modulo the remaining count.  The modulo bias
   is PyTorch's, kept on purpose. */
void mgrt_rng_randperm(mgrt_rng *rng, int64_t *out, int64_t n) {
  for (int64_t i = 0; i < n; i++) out[i] = i;
  for (int64_t i = 0; i + 1 < n; i++) {
    const int64_t z = (int64_t)(mgrt_rng_next32(rng) % (uint64_t)(n - i));
    const int64_t saved = out[i];
    out[i] = out[i + z];
    out[i + z] = saved;
  }
}

/* One epoch of DataLoader(shuffle=True) with generator=None.  iter(loader)
   draws the iterator's _base_seed (one int64 random_, 2 words); the first
   next() runs RandomSampler.__iter__, which draws its seed (2 more words,
   masked to 63 bits) and shuffles with a private generator seeded by it. */
void mgrt_rng_epoch_order(mgrt_rng *rng, int64_t *order, int64_t n) {
  (void)mgrt_rng_next64(rng); /* _base_seed: only used for worker seeds */
  const uint64_t seed = mgrt_rng_next64(rng) & UINT64_C(0x7fffffffffffffff);
  mgrt_rng sampler;
  mgrt_rng_seed(&sampler, seed);
  mgrt_rng_randperm(&sampler, order, n);
}

