/*
** pool2d.c — max and average pooling over NCHW arrays (F.max_pool2d and
** F.avg_pool2d with their defaults: no dilation, floor for the output size,
** count_include_pad = True), forward and backward, in float and double.
**
** Every (image, channel) plane is pooled on its own, in PyTorch 1.13's CPU
** order: windows row by row, each window's elements row by row.  Planes are
** shared out between OpenMP threads when there are enough of them to pay
** for the team; a plane's results never depend on which thread computes it.
**
** Speed: the windows of one output row whose columns all lie inside the
** image are done in chunks of POOL_CHUNK side by side (pool_row_*), each
** window's elements still in the scan order, as branch-free selects the
** compiler turns into vector code; only the edge windows of a padded row
** take the scalar scan.  One window at a time, with a branch per element
** that random data mispredicts half the time, the four max-pooling calls
** of lab 10's training step took 52 ms of it (bench/cnn_step.c, at a load
** of 11 on this project's machine), more than its convolutions.
**
** The max-pool backward finds each window's maximum again in x instead of
** reading indices saved by the forward pass: the scan is cheap next to
** the convolutions around it, and the caller keeps no index array.
**
** The type-generic part is written once and compiled for float and double
** by including this file again with T defined, as matmul.c does.
*/
#ifndef MGRT_POOL_TEMPLATE

#include "mgrt.h"

#include <math.h>
#include <string.h>

#if defined(__AVX512F__) && !defined(MGRT_MM_PORTABLE)
#include <immintrin.h>
#define POOL_AVX512 1
#else
#define POOL_AVX512 0
#endif

#ifdef _OPENMP
#define MGRT_OMP(directive) _Pragma(#directive)
#else
#define MGRT_OMP(directive)
#endif

/* The windows of a row done side by side (pool_row_max): their values and
   indices live in arrays of this many on the stack. */
enum { POOL_CHUNK = 64 };

/* Below this many elements of x a call stays on one thread. */
#define MGRT_POOL_PARALLEL_MIN 65536

int64_t mgrt_pool2d_out_h(const mgrt_pool2d_shape *s) { return (s->h + 2 * s->pad_h - s->kh) / s->stride_h + 1; }
int64_t mgrt_pool2d_out_w(const mgrt_pool2d_shape *s) { return (s->w + 2 * s->pad_w - s->kw) / s->stride_w + 1; }

int mgrt_pool2d_check(const mgrt_pool2d_shape *s) {
  const int64_t dims[] = {s->c, s->h, s->w, s->kh, s->kw, s->stride_h, s->stride_w};
  const char *names[] = {"channels", "height", "width", "kernel height", "kernel width",
                         "stride (height)", "stride (width)"};
  const int64_t limit = (int64_t)1 << 31;
  if (s->n < 0 || s->n >= limit) {
    mgrt_set_error("pool2d: batch size %lld is out of range", (long long)s->n);
    return -1;
  }
  for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
    if (dims[i] < 1 || dims[i] >= limit) {
      mgrt_set_error("pool2d: %s %lld is out of range (at least 1)", names[i], (long long)dims[i]);
      return -1;
    }
  /* PyTorch's rule: every window then holds at least one element of x */
  if (s->pad_h < 0 || s->pad_w < 0 || s->pad_h > s->kh / 2 || s->pad_w > s->kw / 2) {
    mgrt_set_error("pool2d: padding %lldx%lld must be at least 0 and at most half the kernel %lldx%lld",
                   (long long)s->pad_h, (long long)s->pad_w, (long long)s->kh, (long long)s->kw);
    return -1;
  }
  if (s->kh > s->h + 2 * s->pad_h || s->kw > s->w + 2 * s->pad_w) {
    mgrt_set_error("pool2d: kernel %lldx%lld is larger than the padded input %lldx%lld",
                   (long long)s->kh, (long long)s->kw, (long long)(s->h + 2 * s->pad_h),
                   (long long)(s->w + 2 * s->pad_w));
    return -1;
  }
  if ((double)s->n * (double)s->c * (double)s->h * (double)s->w > 0x1p60) {
    mgrt_set_error("pool2d: the input is too large");
    return -1;
  }
  return 0;
}

/* One window: rows [h0, h1) and columns [w0, w1) of the plane, clipped to
   it. */
typedef struct {
  int64_t h0, h1, w0, w1;
} pool_window;

static pool_window pool_window_at(const mgrt_pool2d_shape *s, int64_t r, int64_t q) {
  pool_window win;
  win.h0 = r * s->stride_h - s->pad_h;
  win.w0 = q * s->stride_w - s->pad_w;
  win.h1 = win.h0 + s->kh < s->h ? win.h0 + s->kh : s->h;
  win.w1 = win.w0 + s->kw < s->w ? win.w0 + s->kw : s->w;
  win.h0 = win.h0 > 0 ? win.h0 : 0;
  win.w0 = win.w0 > 0 ? win.w0 : 0;
  return win;
}

static int pool_parallel(const mgrt_pool2d_shape *s) {
  return (double)s->n * (double)s->c * (double)s->h * (double)s->w >= MGRT_POOL_PARALLEL_MIN;
}

#define MGRT_POOL_TEMPLATE 1
#define T float
#define SFX(name) name
#include "pool2d.c"
#undef T
#undef SFX
#define T double
#define SFX(name) name##_f64
#include "pool2d.c"
#undef T
#undef SFX
#undef MGRT_POOL_TEMPLATE

#else /* MGRT_POOL_TEMPLATE: the type-generic half, compiled once per T */

/* The index in the plane of the window's first maximum: PyTorch's scan
   keeps an element when it is greater than the best so far or NaN; from
   -inf, so a window of -inf keeps its first element. */
static int64_t SFX(pool_argmax)(const T *plane, int64_t w, pool_window win, T *best_out) {
  T best = -INFINITY;
  int64_t at = win.h0 * w + win.w0;
  for (int64_t ih = win.h0; ih < win.h1; ih++)
    for (int64_t iw = win.w0; iw < win.w1; iw++) {
      const T v = plane[ih * w + iw];
      if (v > best || isnan(v)) {
        best = v;
        at = ih * w + iw;
      }
    }
  *best_out = best;
  return at;
}

/* The windows of output row r with all their columns inside the plane:
   [*lo, *hi). */
static void SFX(pool_inner_columns)(const mgrt_pool2d_shape *s, int64_t ow, int64_t *lo, int64_t *hi) {
  *lo = (s->pad_w + s->stride_w - 1) / s->stride_w; /* q stride_w - pad_w >= 0 */
  const int64_t last = s->w - s->kw + s->pad_w;      /* q stride_w <= last */
  *hi = last < 0 ? 0 : last / s->stride_w + 1;
  if (*hi > ow) *hi = ow;
  if (*lo > *hi) *lo = *hi;
}

#if POOL_AVX512
/* pool_row_max for windows two columns wide at a stride of 2 in float
   (lab 10's 2x2 pooling), sixteen windows to a vector: a window row's 32
   floats loaded as two vectors, split into its even and odd columns, each
   compared with the best so far in the scan order.  Returns 0, having done
   nothing, for other shapes.  The loads are whole vectors (the lanes past
   the windows ignored) wherever readable floats from plane allow: masked
   loads with lanes off, measured on this project's machine (AMD EPYC,
   2026-12-07), made the layer twenty times slower. */
static int SFX(pool_row_max_2x2)(const mgrt_pool2d_shape *s, const T *plane, int64_t readable,
                                 pool_window win, int64_t q0, int64_t count, T *restrict best,
                                 int64_t *restrict at) {
  if (sizeof(T) != sizeof(float) || s->kw != 2 || s->stride_w != 2 || s->h * s->w >= INT32_MAX)
    return 0;
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
  for (int64_t j0 = 0; j0 < count; j0 += 16) {
    const int64_t lanes = count - j0 < 16 ? count - j0 : 16;
    const __mmask16 lo = (__mmask16)(lanes >= 8 ? 0xFFFF : (1u << (2 * lanes)) - 1u);
    const __mmask16 hi = (__mmask16)(lanes <= 8 ? 0 : (1u << (2 * (lanes - 8))) - 1u);
    __m512 m = _mm512_set1_ps(-INFINITY);
    /* a window of -inf keeps its first element */
    __m512i idx = _mm512_add_epi32(_mm512_set1_epi32((int)(win.h0 * s->w + (q0 + j0) * 2 - s->pad_w)), even);
    for (int64_t ih = win.h0; ih < win.h1; ih++) {
      const int64_t base = ih * s->w + (q0 + j0) * 2 - s->pad_w;
      const float *src = (const float *)plane + base;
      const int whole = base + 32 <= readable;
      const __m512 v0 = whole ? _mm512_loadu_ps(src) : _mm512_maskz_loadu_ps(lo, src);
      const __m512 v1 = whole ? _mm512_loadu_ps(src + 16) : _mm512_maskz_loadu_ps(hi, src + 16);
      const __m512i col = _mm512_add_epi32(_mm512_set1_epi32((int)base), even);
      for (int b = 0; b < 2; b++) {
        const __m512 v = _mm512_permutex2var_ps(v0, b ? odd : even, v1);
        const __mmask16 take = _mm512_cmp_ps_mask(v, m, _CMP_GT_OQ) | _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        m = _mm512_mask_mov_ps(m, take, v);
        idx = _mm512_mask_mov_epi32(idx, take, _mm512_add_epi32(col, _mm512_set1_epi32(b)));
      }
    }
    int32_t where[16];
    const __mmask16 keep = (__mmask16)((1u << lanes) - 1u);
    _mm512_mask_storeu_ps((float *)best + j0, keep, m);
    _mm512_storeu_si512(where, idx);
    for (int64_t j = 0; j < lanes; j++) at[j0 + j] = where[j];
  }
  return 1;
}
#endif

/* Max pooling of windows q0 .. q0 + count - 1 (count <= POOL_CHUNK) of
   output row r, all inside the plane's columns: each window's first
   maximum in the scan order (v > best or v NaN replaces best), its value
   into best[] and its index in the plane into at[].  readable: the floats
   that may be read from plane on (to the end of x). */
static void SFX(pool_row_max)(const mgrt_pool2d_shape *s, const T *plane, int64_t readable, int64_t r,
                              int64_t q0, int64_t count, T *restrict best, int64_t *restrict at) {
  const pool_window win = pool_window_at(s, r, q0);
#if POOL_AVX512
  if (SFX(pool_row_max_2x2)(s, plane, readable, win, q0, count, best, at)) return;
#else
  (void)readable;
#endif
  for (int64_t j = 0; j < count; j++) best[j] = -INFINITY, at[j] = win.h0 * s->w + (q0 + j) * s->stride_w - s->pad_w;
  for (int64_t ih = win.h0; ih < win.h1; ih++)
    for (int64_t b = 0; b < s->kw; b++) {
      const int64_t base = ih * s->w + q0 * s->stride_w - s->pad_w + b;
      const T *restrict src = plane + base;
      for (int64_t j = 0; j < count; j++) {
        const T v = src[j * s->stride_w];
        const int take = v > best[j] || v != v;
        best[j] = take ? v : best[j];
        at[j] = take ? base + j * s->stride_w : at[j];
      }
    }
}

int SFX(mgrt_max_pool2d_forward)(const mgrt_pool2d_shape *s, T *y, const T *x) {
  if (mgrt_pool2d_check(s) != 0) return -1;
  const int64_t oh = mgrt_pool2d_out_h(s), ow = mgrt_pool2d_out_w(s);
  MGRT_OMP(omp parallel for schedule(static) if(pool_parallel(s)))
  for (int64_t plane = 0; plane < s->n * s->c; plane++) {
    const T *xp = x + plane * s->h * s->w;
    T *yp = y + plane * oh * ow;
    int64_t lo, hi;
    SFX(pool_inner_columns)(s, ow, &lo, &hi);
    T best[POOL_CHUNK];
    int64_t at[POOL_CHUNK];
    for (int64_t r = 0; r < oh; r++) {
      for (int64_t q = 0; q < lo; q++) SFX(pool_argmax)(xp, s->w, pool_window_at(s, r, q), &yp[r * ow + q]);
      for (int64_t q0 = lo; q0 < hi; q0 += POOL_CHUNK) {
        const int64_t count = hi - q0 < POOL_CHUNK ? hi - q0 : POOL_CHUNK;
        SFX(pool_row_max)(s, xp, (s->n * s->c - plane) * s->h * s->w, r, q0, count, best, at);
        memcpy(yp + r * ow + q0, best, sizeof(T) * (size_t)count);
      }
      for (int64_t q = hi; q < ow; q++) SFX(pool_argmax)(xp, s->w, pool_window_at(s, r, q), &yp[r * ow + q]);
    }
  }
  return 0;
}

int SFX(mgrt_max_pool2d_backward)(const mgrt_pool2d_shape *s, T *dx, const T *dy, const T *x) {
  if (mgrt_pool2d_check(s) != 0) return -1;
  const int64_t oh = mgrt_pool2d_out_h(s), ow = mgrt_pool2d_out_w(s);
  MGRT_OMP(omp parallel for schedule(static) if(pool_parallel(s)))
  for (int64_t plane = 0; plane < s->n * s->c; plane++) {
    const T *xp = x + plane * s->h * s->w, *dyp = dy + plane * oh * ow;
    T *dxp = dx + plane * s->h * s->w;
    memset(dxp, 0, sizeof(T) * (size_t)(s->h * s->w));
    int64_t lo, hi;
    SFX(pool_inner_columns)(s, ow, &lo, &hi);
    T best[POOL_CHUNK];
    int64_t at[POOL_CHUNK];
    /* dy added where the maxima are, windows in order (their sums, where
       windows overlap, in PyTorch's order) */
    for (int64_t r = 0; r < oh; r++) {
      for (int64_t q = 0; q < lo; q++) dxp[SFX(pool_argmax)(xp, s->w, pool_window_at(s, r, q), best)] += dyp[r * ow + q];
      for (int64_t q0 = lo; q0 < hi; q0 += POOL_CHUNK) {
        const int64_t count = hi - q0 < POOL_CHUNK ? hi - q0 : POOL_CHUNK;
        SFX(pool_row_max)(s, xp, (s->n * s->c - plane) * s->h * s->w, r, q0, count, best, at);
        for (int64_t j = 0; j < count; j++) dxp[at[j]] += dyp[r * ow + q0 + j];
      }
      for (int64_t q = hi; q < ow; q++) dxp[SFX(pool_argmax)(xp, s->w, pool_window_at(s, r, q), best)] += dyp[r * ow + q];
    }
  }
  return 0;
}

int SFX(mgrt_avg_pool2d_forward)(const mgrt_pool2d_shape *s, T *y, const T *x) {
  if (mgrt_pool2d_check(s) != 0) return -1;
  const int64_t oh = mgrt_pool2d_out_h(s), ow = mgrt_pool2d_out_w(s);
  /* with floor output sizes no window reaches past the padding, so the
     divisor with the padding counted is always the whole kernel */
  const T divisor = (T)(s->kh * s->kw);
  MGRT_OMP(omp parallel for schedule(static) if(pool_parallel(s)))
  for (int64_t plane = 0; plane < s->n * s->c; plane++) {
    const T *xp = x + plane * s->h * s->w;
    T *yp = y + plane * oh * ow;
    for (int64_t r = 0; r < oh; r++)
      for (int64_t q = 0; q < ow; q++) {
        const pool_window win = pool_window_at(s, r, q);
        T sum = 0;
        for (int64_t ih = win.h0; ih < win.h1; ih++)
          for (int64_t iw = win.w0; iw < win.w1; iw++) sum += xp[ih * s->w + iw];
        yp[r * ow + q] = sum / divisor;
      }
  }
  return 0;
}

int SFX(mgrt_avg_pool2d_backward)(const mgrt_pool2d_shape *s, T *dx, const T *dy) {
  if (mgrt_pool2d_check(s) != 0) return -1;
  const int64_t oh = mgrt_pool2d_out_h(s), ow = mgrt_pool2d_out_w(s);
  const T divisor = (T)(s->kh * s->kw);
  MGRT_OMP(omp parallel for schedule(static) if(pool_parallel(s)))
  for (int64_t plane = 0; plane < s->n * s->c; plane++) {
    const T *dyp = dy + plane * oh * ow;
    T *dxp = dx + plane * s->h * s->w;
    memset(dxp, 0, sizeof(T) * (size_t)(s->h * s->w));
    for (int64_t r = 0; r < oh; r++)
      for (int64_t q = 0; q < ow; q++) {
        const pool_window win = pool_window_at(s, r, q);
        const T g = dyp[r * ow + q] / divisor;
        for (int64_t ih = win.h0; ih < win.h1; ih++)
          for (int64_t iw = win.w0; iw < win.w1; iw++) dxp[ih * s->w + iw] += g;
      }
  }
  return 0;
}

#endif /* MGRT_POOL_TEMPLATE */
