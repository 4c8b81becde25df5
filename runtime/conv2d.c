/*
** conv2d.c — 2-D convolution in float (nn.Conv2d's forward, input gradient,
** weight and bias gradients) on NCHW arrays, through the packed matrix
** products of matmul.c.
**
** One image at a time, a convolution is a matrix product.  Write K = c_in
** kh kw (one kernel's values) and P = out_h out_w (the output's pixels):
**
**   im2col:          col [K, P], col[(ch kh + a) kw + b, r out_w + q] =
**                    x[ch, r stride_h - pad_h + a, q stride_w - pad_w + b] (0 outside)
**   forward:         y_i [c_out, P]  = weight [c_out, K] @ col          (nn)
**   input gradient:  dcol [K, P]     = weight^T @ dy_i [c_out, P]       (tn)
**                    dx_i = col2im(dcol): each dcol value added back to
**                    the x element it was copied from
**   weight gradient: dweight [c_out, K] = sum over i of dy_i @ col_i^T  (nt)
**
** col and dcol live in the caller's scratch, one per thread; a 1x1 kernel
** with stride 1 and no padding needs none (col is x itself).  Measured on
** the lab 10 CNN's shapes (bench/conv_bench.c, docs/conv.md), the product
** takes nearly all of the time; im2col and col2im are copies of K P floats
** per image against c_out K P multiply-adds.
**
** Threads (OpenMP): the forward and the input gradient share out the
** images, each thread with its own col in the scratch; a product called
** inside that team runs on its thread alone.  With a single image the
** product shares its own tiles instead.  The weight gradient is a sum over
** images, so the images are cut into MGRT_CONV_PARTS fixed runs: each run's
** sum goes into its own array (the first into dweight itself), in image
** order, the runs are shared out between threads, and the arrays are added
** in run order at the end.  Every element is then the same sum in the same
** order with any number of threads, bit for bit, as for the products
** themselves.
*/
#include "mgrt.h"
#include "matmul_panel.h"

#include <math.h>
#include <string.h>

#if defined(__AVX512F__) && !defined(MGRT_MM_PORTABLE)
#include <immintrin.h>
#endif

#ifdef _OPENMP
#include <omp.h>
#endif

/* OpenMP directives spelled as _Pragma, so that builds without -fopenmp do
   not warn about unknown pragmas (as in matmul.c). */
#ifdef _OPENMP
#define MGRT_OMP(directive) _Pragma(#directive)
#else
#define MGRT_OMP(directive)
#endif

/* The weight gradient's fixed runs of images: four, so that one, two or
   four threads get equal shares (the lab 10 CNN's batch of 100 is four
   runs of 25). */
enum { MGRT_CONV_PARTS = 4 };

/* Sizes beyond this are refused, so that no product of two of them
   overflows an int64_t. */
#define MGRT_CONV_MAX_DIM ((int64_t)1 << 31)

int64_t mgrt_conv2d_out_h(const mgrt_conv2d_shape *s) { return (s->h + 2 * s->pad_h - s->kh) / s->stride_h + 1; }
int64_t mgrt_conv2d_out_w(const mgrt_conv2d_shape *s) { return (s->w + 2 * s->pad_w - s->kw) / s->stride_w + 1; }

int mgrt_conv2d_check(const mgrt_conv2d_shape *s) {
  const int64_t dims[] = {s->c_in, s->h, s->w, s->c_out, s->kh, s->kw, s->stride_h, s->stride_w};
  const char *names[] = {"input channels", "height", "width", "output channels",
                         "kernel height", "kernel width", "stride (height)", "stride (width)"};
  if (s->n < 0 || s->n >= MGRT_CONV_MAX_DIM) {
    mgrt_set_error("conv2d: batch size %lld is out of range", (long long)s->n);
    return -1;
  }
  for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
    if (dims[i] < 1 || dims[i] >= MGRT_CONV_MAX_DIM) {
      mgrt_set_error("conv2d: %s %lld is out of range (at least 1)", names[i], (long long)dims[i]);
      return -1;
    }
  if (s->pad_h < 0 || s->pad_w < 0 || s->pad_h >= MGRT_CONV_MAX_DIM || s->pad_w >= MGRT_CONV_MAX_DIM) {
    mgrt_set_error("conv2d: padding %lldx%lld is out of range", (long long)s->pad_h, (long long)s->pad_w);
    return -1;
  }
  if (s->kh > s->h + 2 * s->pad_h || s->kw > s->w + 2 * s->pad_w) {
    mgrt_set_error("conv2d: kernel %lldx%lld is larger than the padded input %lldx%lld "
                   "(%lldx%lld with padding %lldx%lld)",
                   (long long)s->kh, (long long)s->kw, (long long)(s->h + 2 * s->pad_h),
                   (long long)(s->w + 2 * s->pad_w), (long long)s->h, (long long)s->w,
                   (long long)s->pad_h, (long long)s->pad_w);
    return -1;
  }
  /* every array and the scratch must be addressable */
  const double k = (double)s->c_in * (double)s->kh * (double)s->kw;
  const double p = (double)mgrt_conv2d_out_h(s) * (double)mgrt_conv2d_out_w(s);
  const double biggest = fmax(fmax(k * p, (double)s->c_in * (double)s->h * (double)s->w),
                              (double)s->c_out * fmax(p, k));
  if (biggest * (double)(s->n > MGRT_CONV_PARTS ? s->n : MGRT_CONV_PARTS) > 0x1p60) {
    mgrt_set_error("conv2d: the arrays of this convolution are too large");
    return -1;
  }
  return 0;
}

/* ---- the geometry of one call ---- */
typedef struct {
  int64_t oh, ow;
  int64_t k;        /* c_in kh kw: the rows of col */
  int64_t p;        /* oh ow: the columns of col */
  int64_t col;      /* floats of one col (0 when x itself serves) */
} conv_dims;

/* A 1x1 kernel with stride 1 and no padding: col would be x itself. */
static int conv_is_pointwise(const mgrt_conv2d_shape *s) {
  return s->kh == 1 && s->kw == 1 && s->stride_h == 1 && s->stride_w == 1 && s->pad_h == 0 &&
         s->pad_w == 0;
}

static conv_dims conv_dims_of(const mgrt_conv2d_shape *s) {
  conv_dims d;
  d.oh = mgrt_conv2d_out_h(s);
  d.ow = mgrt_conv2d_out_w(s);
  d.k = s->c_in * s->kh * s->kw;
  d.p = d.oh * d.ow;
  d.col = conv_is_pointwise(s) ? 0 : d.k * d.p;
  return d;
}

static int64_t conv_min(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t conv_max(int64_t a, int64_t b) { return a > b ? a : b; }

static int conv_threads(void) {
#ifdef _OPENMP
  return omp_in_parallel() ? 1 : omp_get_max_threads();
#else
  return 1;
#endif
}

static int conv_thread_num(void) {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

/* The weight gradient's runs, and the floats it needs besides its slots:
   one [c_out, K] array per run after the first. */
static int64_t conv_parts(const mgrt_conv2d_shape *s) { return conv_min(MGRT_CONV_PARTS, s->n); }
static int64_t conv_wgrad_fixed(const mgrt_conv2d_shape *s, const conv_dims *d) {
  return conv_max(conv_parts(s) - 1, 0) * s->c_out * d->k;
}
/* One thread's slot for the weight gradient: its col and the product of
   one image, before it is added to the run's sum. */
static int64_t conv_wgrad_slot(const mgrt_conv2d_shape *s, const conv_dims *d) {
  return d->col + s->c_out * d->k;
}

/* defined with the stride-1 products, below */
static int conv_is_wide(const mgrt_conv2d_shape *s);
static int64_t conv_wide_fixed(const mgrt_conv2d_shape *s);
static int64_t conv_wide_slot(const mgrt_conv2d_shape *s);
static int conv_input_as_forward(const mgrt_conv2d_shape *s);
static mgrt_conv2d_shape conv_input_shape(const mgrt_conv2d_shape *s);
static int conv_wgrad_is_wide(const mgrt_conv2d_shape *s);
static int64_t conv_wgrad_wide_slot(const mgrt_conv2d_shape *s);

int64_t mgrt_conv2d_scratch_elems(const mgrt_conv2d_shape *s) {
  if (mgrt_conv2d_check(s) != 0) return 0;
  const conv_dims d = conv_dims_of(s);
  const int64_t threads = conv_threads(), teams = conv_min(threads, conv_max(s->n, 1));
  /* the forward pass: the weight and a padded image and output per thread,
     or a col per thread */
  int64_t need = conv_is_wide(s) ? conv_wide_fixed(s) + teams * conv_wide_slot(s) : teams * d.col;
  /* the input gradient: the same for the turned-round convolution, or a
     dcol per thread */
  if (conv_input_as_forward(s)) {
    const mgrt_conv2d_shape t = conv_input_shape(s);
    need = conv_max(need, conv_wide_fixed(&t) + teams * conv_wide_slot(&t));
  } else {
    need = conv_max(need, teams * d.col);
  }
  const int64_t runs = conv_min(threads, conv_max(conv_parts(s), 1));
  const int64_t wgrad = conv_wgrad_is_wide(s)
                            ? conv_parts(s) * s->c_out * d.k + runs * conv_wgrad_wide_slot(s)
                            : conv_wgrad_fixed(s, &d) + runs * conv_wgrad_slot(s, &d);
  return conv_max(conv_max(need, wgrad), 1);
}

/* How many threads a call can use: as many as OpenMP would, at most one
   per task, and at most the slots that fit in the scratch; 0 when not even
   one fits. */
static int conv_team(int64_t tasks, int64_t fixed, int64_t slot, int64_t scratch_elems) {
  int64_t team = conv_min(conv_threads(), conv_max(tasks, 1));
  if (slot > 0) team = conv_min(team, (scratch_elems - fixed) / slot);
  else if (scratch_elems < fixed) team = 0;
  return (int)conv_max(team, 0);
}

static int conv_scratch_error(const char *what, int64_t have, int64_t need) {
  mgrt_set_error("conv2d %s: scratch of %lld floats given, %lld needed (mgrt_conv2d_scratch_elems)",
                 what, (long long)have, (long long)need);
  return -1;
}

/* ---- im2col and col2im ---- */

/* The columns q of an output row whose input column q stride_w - pad_w + b
   falls inside the image: [*lo, *hi). */
static void conv_valid_columns(const mgrt_conv2d_shape *s, int64_t ow, int64_t b, int64_t *lo,
                               int64_t *hi) {
  const int64_t first = s->pad_w - b; /* q stride_w >= first */
  const int64_t last = s->w - 1 + s->pad_w - b; /* q stride_w <= last */
  *lo = first > 0 ? (first + s->stride_w - 1) / s->stride_w : 0;
  *hi = last < 0 ? 0 : conv_min(ow, last / s->stride_w + 1);
  if (*lo > *hi) *lo = *hi;
}

/* im2col for stride 1 when the output is as wide as the input (padding
   (kw - 1) / 2 each side, as in lab 10's 3x3 kernels with padding 1): a
   row of col is then the image's plane shifted by (a - pad_h) rows and (b -
   pad_w) columns, so its valid rows are one contiguous copy, after which
   the column that wrapped around from the neighbouring row is zeroed.
   Row by row, the copies were as short as the image (14 floats) and took
   a sixth of conv2's time. */
static void conv_im2col_same(const mgrt_conv2d_shape *s, const conv_dims *d, float *restrict col,
                             const float *restrict x) {
  const int64_t w = s->w, hw = s->h * s->w;
  for (int64_t ch = 0; ch < s->c_in; ch++)
    for (int64_t a = 0; a < s->kh; a++)
      for (int64_t b = 0; b < s->kw; b++) {
        float *row = col + ((ch * s->kh + a) * s->kw + b) * d->p;
        const float *plane = x + ch * hw;
        const int64_t dr = a - s->pad_h, dc = b - s->pad_w;
        /* the output rows r with an input row r + dr */
        const int64_t r0 = dr < 0 ? -dr : 0, r1 = d->oh < s->h - dr ? d->oh : s->h - dr;
        /* row[r0 w + j] = plane[base + j] for j < count, but for the
           elements before or after the plane (their columns wrap, and are
           zeroed below anyway) */
        const int64_t base = (r0 + dr) * w + dc, count = (r1 - r0) * w;
        const int64_t first = base < 0 ? -base : 0;
        const int64_t end = base + count > hw ? hw - base : count;
        float *dst = row + r0 * w;
        for (int64_t j = 0; j < r0 * w; j++) row[j] = 0;
        for (int64_t j = 0; j < first; j++) dst[j] = 0;
        for (int64_t j = first; j < end; j++) dst[j] = plane[base + j];
        for (int64_t j = end; j < count; j++) dst[j] = 0;
        for (int64_t j = r1 * w; j < d->p; j++) row[j] = 0;
        /* the wrapped columns: q < -dc read the end of the row above, q >=
           w - dc the start of the row below */
        for (int64_t r = r0; r < r1; r++) {
          for (int64_t q = 0; q < -dc; q++) row[r * w + q] = 0;
          for (int64_t q = w - dc; q < w; q++) row[r * w + q] = 0;
        }
      }
}

/* col [K, P] from one image x [c_in, h, w] (the layout at the top). */
static void conv_im2col(const mgrt_conv2d_shape *s, const conv_dims *d, float *restrict col,
                        const float *restrict x) {
  if (s->stride_h == 1 && s->stride_w == 1 && d->ow == s->w) {
    conv_im2col_same(s, d, col, x);
    return;
  }
  for (int64_t ch = 0; ch < s->c_in; ch++)
    for (int64_t a = 0; a < s->kh; a++)
      for (int64_t b = 0; b < s->kw; b++) {
        float *row = col + ((ch * s->kh + a) * s->kw + b) * d->p;
        int64_t lo, hi;
        conv_valid_columns(s, d->ow, b, &lo, &hi);
        for (int64_t r = 0; r < d->oh; r++) {
          float *dst = row + r * d->ow;
          const int64_t ih = r * s->stride_h - s->pad_h + a;
          if (ih < 0 || ih >= s->h) {
            for (int64_t q = 0; q < d->ow; q++) dst[q] = 0;
            continue;
          }
          const float *src = x + (ch * s->h + ih) * s->w;
          const int64_t shift = b - s->pad_w; /* input column of q = 0 */
          /* loops, not memcpy: the rows are short (14 floats in lab 10's
             conv2), where a call per row cost a third of im2col's time */
          for (int64_t q = 0; q < lo; q++) dst[q] = 0;
          if (s->stride_w == 1) {
            for (int64_t q = lo; q < hi; q++) dst[q] = src[q + shift];
          } else {
            for (int64_t q = lo; q < hi; q++) dst[q] = src[q * s->stride_w + shift];
          }
          for (int64_t q = hi; q < d->ow; q++) dst[q] = 0;
        }
      }
}

/* col2im in the case of conv_im2col_same: each row of dcol added to the
   plane shifted, as one contiguous run per row.  The values of the wrapped
   columns (gradients of padding) are set to 0 first, so that adding them
   to the neighbouring row's elements changes nothing. */
static void conv_col2im_same(const mgrt_conv2d_shape *s, const conv_dims *d, float *restrict dx,
                             float *restrict dcol) {
  const int64_t w = s->w, hw = s->h * s->w;
  memset(dx, 0, sizeof(float) * (size_t)(s->c_in * hw));
  for (int64_t ch = 0; ch < s->c_in; ch++)
    for (int64_t a = 0; a < s->kh; a++)
      for (int64_t b = 0; b < s->kw; b++) {
        float *row = dcol + ((ch * s->kh + a) * s->kw + b) * d->p;
        float *plane = dx + ch * hw;
        const int64_t dr = a - s->pad_h, dc = b - s->pad_w;
        const int64_t r0 = dr < 0 ? -dr : 0, r1 = d->oh < s->h - dr ? d->oh : s->h - dr;
        for (int64_t r = r0; r < r1; r++) {
          for (int64_t q = 0; q < -dc; q++) row[r * w + q] = 0;
          for (int64_t q = w - dc; q < w; q++) row[r * w + q] = 0;
        }
        const int64_t base = (r0 + dr) * w + dc, count = (r1 - r0) * w;
        const int64_t first = base < 0 ? -base : 0;
        const int64_t end = base + count > hw ? hw - base : count;
        const float *src = row + r0 * w;
        for (int64_t j = first; j < end; j++) plane[base + j] += src[j];
      }
}

/* dx [c_in, h, w] of one image = each value of dcol [K, P] added to the x
   element im2col copied it from, in the order of dcol's rows and columns. */
static void conv_col2im(const mgrt_conv2d_shape *s, const conv_dims *d, float *restrict dx,
                        float *restrict dcol) {
  if (s->stride_h == 1 && s->stride_w == 1 && d->ow == s->w) {
    conv_col2im_same(s, d, dx, dcol);
    return;
  }
  memset(dx, 0, sizeof(float) * (size_t)(s->c_in * s->h * s->w));
  for (int64_t ch = 0; ch < s->c_in; ch++)
    for (int64_t a = 0; a < s->kh; a++)
      for (int64_t b = 0; b < s->kw; b++) {
        const float *row = dcol + ((ch * s->kh + a) * s->kw + b) * d->p;
        int64_t lo, hi;
        conv_valid_columns(s, d->ow, b, &lo, &hi);
        for (int64_t r = 0; r < d->oh; r++) {
          const int64_t ih = r * s->stride_h - s->pad_h + a;
          if (ih < 0 || ih >= s->h) continue;
          const float *src = row + r * d->ow;
          float *dst = dx + (ch * s->h + ih) * s->w + (b - s->pad_w);
          if (s->stride_w == 1) {
            for (int64_t q = lo; q < hi; q++) dst[q] += src[q];
          } else {
            for (int64_t q = lo; q < hi; q++) dst[q * s->stride_w] += src[q];
          }
        }
      }
}

/* ---- stride 1 without col: the taps one after the other ----
** At stride 1, with the image copied into a padded plane per channel
** (xpad [c_in, hp, wp], hp = h + 2 pad_h, wp = w + 2 pad_w, zeros around),
** tap (a, b) of output pixel (r, q) reads xpad[ch, r + a, q + b].  Number
** the outputs on the padded grid, j = r wp + q (the wp - out_w columns past
** each row's end are computed and thrown away), and for each tap the
** values over ch and j form a matrix with rows hp wp apart and contiguous
** columns: xpad + a wp + b is that matrix, in place.  So
**
**   ywide [c_out, out_h wp] = sum over taps (a, b) of
**                             weight[:, :, a, b] [c_out, c_in] @ (xpad + a wp + b) [c_in, out_h wp]
**
** one product per tap, added up tap after tap, each on the packed kernels
** with both operands read where they are (matmul_panel.h): no col, no
** packing, the padded image in L1 (32 KB in lab 10's conv2) while every
** output channel runs against it.  The price is the thrown-away columns
** (2 in 16 there) and one more pass over a tile of C per tap; the im2col
** copy it replaces took a sixth of conv2's forward pass, and col2im, which
** the input gradient no longer needs either, a quarter of its gradient.
** Each element of y is the sum over taps in order of a fused multiply-add
** chain over channels, then the bias: the same order on any thread.
**
** With few input channels a tap's product is too short (c_in steps) for
** the kernels to pay: conv1 of lab 10 (1 channel) takes im2col instead.
*/
enum { MGRT_CONV_WIDE_MIN_CIN = 8 };

static int conv_is_wide(const mgrt_conv2d_shape *s) {
  return s->stride_h == 1 && s->stride_w == 1 && s->c_in >= MGRT_CONV_WIDE_MIN_CIN;
}

/* The padded grid of one call. */
typedef struct {
  int64_t hp, wp, plane;  /* xpad's rows, columns, floats a channel */
  int64_t cols;           /* ywide's columns: out_h wp */
  int64_t xpad, ywide;    /* floats of each in a thread's slot */
} conv_wide_dims;

/* The kernels read whole panels of columns, past the last one used: this
   much to spare after xpad, and 16 for aligning each array to a cache line. */
enum { MGRT_CONV_WIDE_SPARE = 64 + 16 };

static conv_wide_dims conv_wide_dims_of(const mgrt_conv2d_shape *s) {
  conv_wide_dims g;
  g.hp = s->h + 2 * s->pad_h;
  g.wp = s->w + 2 * s->pad_w;
  g.plane = g.hp * g.wp;
  g.cols = mgrt_conv2d_out_h(s) * g.wp;
  g.xpad = s->c_in * g.plane + MGRT_CONV_WIDE_SPARE;
  g.ywide = s->c_out * g.cols + 16;
  return g;
}

/* p moved up to the next cache line (the scratch comes from malloc): the
   kernels read and write vectors, and a vector across two lines costs two
   accesses. */
static float *conv_align(float *p) {
  const uintptr_t at = (uintptr_t)p, line = 64;
  return p + ((line - at % line) % line) / sizeof(float);
}

/* The weight, tap by tap, as the kernels read it: wt[(t c_in + ch) c_out +
   o] = weight[o, ch, a, b] for tap t = a kw + b of shape s.  turned: for
   the input gradient's convolution (conv_input_shape(s)), whose weight is
   weight'[ch, o, a, b] = weight[o, ch, kh - 1 - a, kw - 1 - b]. */
static void conv_wide_weight(const mgrt_conv2d_shape *s, float *wt, const float *weight, int turned) {
  const int64_t taps = s->kh * s->kw;
  for (int64_t o = 0; o < s->c_out; o++)
    for (int64_t ch = 0; ch < s->c_in; ch++)
      for (int64_t t = 0; t < taps; t++) {
        const float v = weight[(o * s->c_in + ch) * taps + t];
        if (!turned)
          wt[(t * s->c_in + ch) * s->c_out + o] = v;
        else /* tap t here is tap taps - 1 - t of the turned kernel */
          wt[((taps - 1 - t) * s->c_out + o) * s->c_in + ch] = v;
      }
}

/* dst[q] = src[q] + v for q < n: the rows of lab 10's images are 14 and
   28 floats, where a plain loop runs mostly in its scalar remainder (it took
   a seventh of conv2's forward pass).  With AVX-512 the last part is a
   whole vector too when that many floats may be read from src and written
   to dst (src_avail, dst_avail: the floats there are from each on; the
   caller overwrites those past n later, or they are padding that must be
   0: the lanes past n are stored as 0).  Masked
   loads and stores with lanes off would do without that, but measured on
   this project's machine (AMD EPYC, 2026-12-07) they made the copies many
   times slower.  Adding v = 0 changes nothing but -0 into +0 (the bias is
   added after the sums, as before). */
static void conv_copy_row(float *restrict dst, int64_t dst_avail, const float *restrict src,
                          int64_t src_avail, int64_t n, float v) {
  int64_t q = 0;
#if defined(__AVX512F__) && !defined(MGRT_MM_PORTABLE)
  const __m512 add = _mm512_set1_ps(v);
  for (; q + 16 <= n; q += 16) _mm512_storeu_ps(dst + q, _mm512_add_ps(_mm512_loadu_ps(src + q), add));
  if (q < n && q + 16 <= dst_avail && q + 16 <= src_avail) {
    const __mmask16 keep = (__mmask16)((1u << (n - q)) - 1u);
    _mm512_storeu_ps(dst + q, _mm512_maskz_add_ps(keep, _mm512_loadu_ps(src + q), add));
    return;
  }
#else
  (void)dst_avail, (void)src_avail;
#endif
  for (; q < n; q++) dst[q] = src[q] + v;
}

/* One image: x [c_in, h, w] into xpad's interior (its border stays zero
   from conv_wide), the taps' products into ywide, then y [c_out, out_h,
   out_w] = ywide's kept columns + bias. */
static void conv_wide_image(const mgrt_conv2d_shape *s, const conv_wide_dims *g, float *y,
                            const float *x, const float *wt, const float *bias, float *xpad,
                            float *ywide) {
  const int64_t oh = mgrt_conv2d_out_h(s), ow = mgrt_conv2d_out_w(s);
  const int64_t width = mgrt_mm_panel_width_f32();
  /* a row's overrun lands in xpad's padding or in a later row, written
     after it, and reads no further than the image */
  const int64_t xs = s->c_in * s->h * s->w, xpads = g->xpad - 16;
  for (int64_t ch = 0; ch < s->c_in; ch++)
    for (int64_t r = 0; r < s->h; r++) {
      const int64_t to = ch * g->plane + (r + s->pad_h) * g->wp + s->pad_w, from = (ch * s->h + r) * s->w;
      conv_copy_row(xpad + to, xpads - to, x + from, xs - from, s->w, 0);
    }
  for (int64_t j0 = 0; j0 < g->cols; j0 += width) {
    const int64_t nr = conv_min(width, g->cols - j0);
    for (int64_t a = 0; a < s->kh; a++)
      for (int64_t b = 0; b < s->kw; b++) {
        const int64_t t = a * s->kw + b;
        mgrt_mm_panel_f32(s->c_out, nr, s->c_in, wt + t * s->c_in * s->c_out, s->c_out,
                          xpad + a * g->wp + b + j0, g->plane, ywide + j0, g->cols, t > 0);
      }
  }
  /* rows in order, so a row's overrun is overwritten by the next; none
     past the image's end (the next image may be another thread's) */
  const int64_t ys = s->c_out * oh * ow, ywides = g->ywide - 16;
  for (int64_t o = 0; o < s->c_out; o++)
    for (int64_t r = 0; r < oh; r++) {
      const int64_t to = (o * oh + r) * ow, from = o * g->cols + r * g->wp;
      conv_copy_row(y + to, ys - to, ywide + from, ywides - from, ow, bias ? bias[o] : 0);
    }
}

/* The floats conv_wide needs: the weight, then a slot (xpad and ywide) per
   thread. */
static int64_t conv_wide_fixed(const mgrt_conv2d_shape *s) {
  return s->c_in * s->kh * s->kw * s->c_out;
}
static int64_t conv_wide_slot(const mgrt_conv2d_shape *s) {
  const conv_wide_dims g = conv_wide_dims_of(s);
  return g.xpad + g.ywide;
}

/* y = conv2d(x) + bias for a shape where conv_is_wide, with the weight
   already in the scratch (conv_wide_weight); the images shared out between
   threads, each with its own slot. */
static int conv_wide(const mgrt_conv2d_shape *s, float *y, const float *x, const float *bias,
                     float *scratch, int64_t scratch_elems, const char *what) {
  const conv_wide_dims g = conv_wide_dims_of(s);
  const int64_t fixed = conv_wide_fixed(s), slot = g.xpad + g.ywide;
  const int team = conv_team(s->n, fixed, slot, scratch_elems);
  if (team < 1) return conv_scratch_error(what, scratch_elems, fixed + slot);
  const int64_t xs = s->c_in * s->h * s->w;
  const int64_t ys = s->c_out * mgrt_conv2d_out_h(s) * mgrt_conv2d_out_w(s);
  if (team == 1) { /* no parallel region: even a team of one costs barriers */
    float *xpad = conv_align(scratch + fixed), *ywide = conv_align(scratch + fixed + g.xpad);
    memset(xpad, 0, sizeof(float) * (size_t)(g.xpad - 16));
    for (int64_t i = 0; i < s->n; i++)
      conv_wide_image(s, &g, y + i * ys, x + i * xs, scratch, bias, xpad, ywide);
    return 0;
  }
  MGRT_OMP(omp parallel num_threads(team))
  {
    float *mine = scratch + fixed + (int64_t)conv_thread_num() * slot;
    float *xpad = conv_align(mine), *ywide = conv_align(mine + g.xpad);
    memset(xpad, 0, sizeof(float) * (size_t)(g.xpad - 16));
    MGRT_OMP(omp for schedule(static))
    for (int64_t i = 0; i < s->n; i++)
      conv_wide_image(s, &g, y + i * ys, x + i * xs, scratch, bias, xpad, ywide);
  }
  return 0;
}

/* ---- forward ---- */

/* y_i = weight @ col_i (+ bias per output channel, after the sums). */
static void conv_forward_image(const mgrt_conv2d_shape *s, const conv_dims *d, float *y,
                               const float *x, const float *weight, const float *bias, float *col) {
  const float *b = x;
  if (d->col) {
    conv_im2col(s, d, col, x);
    b = col;
  }
  mgrt_matmul_nn(y, weight, b, s->c_out, d->k, d->p);
  if (bias)
    for (int64_t o = 0; o < s->c_out; o++) {
      float *row = y + o * d->p;
      const float v = bias[o];
      for (int64_t j = 0; j < d->p; j++) row[j] += v;
    }
}

int mgrt_conv2d_forward(const mgrt_conv2d_shape *s, float *y, const float *x, const float *weight,
                        const float *bias, float *scratch, int64_t scratch_elems) {
  if (mgrt_conv2d_check(s) != 0) return -1;
  if (conv_is_wide(s)) {
    const int64_t need = conv_wide_fixed(s) + conv_wide_slot(s);
    if (scratch_elems < need) return conv_scratch_error("forward", scratch_elems, need);
    conv_wide_weight(s, scratch, weight, 0);
    return conv_wide(s, y, x, bias, scratch, scratch_elems, "forward");
  }
  const conv_dims d = conv_dims_of(s);
  const int team = conv_team(s->n, 0, d.col, scratch_elems);
  if (team < 1) return conv_scratch_error("forward", scratch_elems, d.col);
  const int64_t xs = s->c_in * s->h * s->w, ys = s->c_out * d.p;
  if (team == 1) {
    for (int64_t i = 0; i < s->n; i++)
      conv_forward_image(s, &d, y + i * ys, x + i * xs, weight, bias, scratch);
    return 0;
  }
  MGRT_OMP(omp parallel for num_threads(team) schedule(static))
  for (int64_t i = 0; i < s->n; i++)
    conv_forward_image(s, &d, y + i * ys, x + i * xs, weight, bias,
                       scratch + (int64_t)conv_thread_num() * d.col);
  return 0;
}

/* ---- input gradient ---- */

/* At stride 1 the input gradient is itself a convolution: of dy, padded by
   kh - 1 - pad_h rows and kw - 1 - pad_w columns, with the kernels turned
   round and their channels swapped (weight'[ch, o, a, b] = weight[o, ch,
   kh - 1 - a, kw - 1 - b]), giving an output of x's size.  So it runs as
   the forward pass does (conv_wide), with no dcol and no col2im.  Padding
   beyond kh - 1 would be a negative padding there: those shapes, strides
   above 1 and few output channels take dcol and col2im. */
static mgrt_conv2d_shape conv_input_shape(const mgrt_conv2d_shape *s) {
  return (mgrt_conv2d_shape){.n = s->n, .c_in = s->c_out, .h = mgrt_conv2d_out_h(s),
                             .w = mgrt_conv2d_out_w(s), .c_out = s->c_in, .kh = s->kh, .kw = s->kw,
                             .stride_h = 1, .stride_w = 1, .pad_h = s->kh - 1 - s->pad_h,
                             .pad_w = s->kw - 1 - s->pad_w};
}

static int conv_input_as_forward(const mgrt_conv2d_shape *s) {
  if (s->stride_h != 1 || s->stride_w != 1 || s->pad_h > s->kh - 1 || s->pad_w > s->kw - 1) return 0;
  const mgrt_conv2d_shape t = conv_input_shape(s);
  return conv_is_wide(&t);
}

static void conv_backward_input_image(const mgrt_conv2d_shape *s, const conv_dims *d, float *dx,
                                      const float *dy, const float *weight, float *dcol) {
  if (!d->col) { /* dcol is dx itself */
    mgrt_matmul_tn(dx, weight, dy, d->k, s->c_out, d->p);
    return;
  }
  mgrt_matmul_tn(dcol, weight, dy, d->k, s->c_out, d->p);
  conv_col2im(s, d, dx, dcol);
}

int mgrt_conv2d_backward_input(const mgrt_conv2d_shape *s, float *dx, const float *dy,
                               const float *weight, float *scratch, int64_t scratch_elems) {
  if (mgrt_conv2d_check(s) != 0) return -1;
  if (conv_input_as_forward(s)) {
    const mgrt_conv2d_shape t = conv_input_shape(s);
    const int64_t need = conv_wide_fixed(&t) + conv_wide_slot(&t);
    if (scratch_elems < need) return conv_scratch_error("input gradient", scratch_elems, need);
    conv_wide_weight(s, scratch, weight, 1);
    return conv_wide(&t, dx, dy, NULL, scratch, scratch_elems, "input gradient");
  }
  const conv_dims d = conv_dims_of(s);
  const int team = conv_team(s->n, 0, d.col, scratch_elems);
  if (team < 1) return conv_scratch_error("input gradient", scratch_elems, d.col);
  const int64_t xs = s->c_in * s->h * s->w, ys = s->c_out * d.p;
  if (team == 1) {
    for (int64_t i = 0; i < s->n; i++)
      conv_backward_input_image(s, &d, dx + i * xs, dy + i * ys, weight, scratch);
    return 0;
  }
  MGRT_OMP(omp parallel for num_threads(team) schedule(static))
  for (int64_t i = 0; i < s->n; i++)
    conv_backward_input_image(s, &d, dx + i * xs, dy + i * ys, weight,
                              scratch + (int64_t)conv_thread_num() * d.col);
  return 0;
}

/* ---- weight and bias gradients ---- */

/* The sum over images [i0, i1) of dy_i @ col_i^T into sum [c_out, K]: the
   first image's product written there, each later one through tmp and
   added, in image order. */
static void conv_wgrad_run(const mgrt_conv2d_shape *s, const conv_dims *d, float *sum,
                           const float *dy, const float *x, int64_t i0, int64_t i1, float *slot) {
  const int64_t xs = s->c_in * s->h * s->w, ys = s->c_out * d->p, ws = s->c_out * d->k;
  float *col = slot, *tmp = slot + d->col;
  for (int64_t i = i0; i < i1; i++) {
    const float *b = x + i * xs;
    if (d->col) {
      conv_im2col(s, d, col, x + i * xs);
      b = col;
    }
    if (i == i0) {
      mgrt_matmul_nt(sum, dy + i * ys, b, s->c_out, d->p, d->k);
    } else {
      mgrt_matmul_nt(tmp, dy + i * ys, b, s->c_out, d->p, d->k);
      for (int64_t j = 0; j < ws; j++) sum[j] += tmp[j];
    }
  }
}

/* dbias[o] = the sum of dy over images and pixels, each output channel on
   its own (so threads do not change it): each image's plane summed in 16
   float lanes (pixel j into lane j mod 16; vector adds), the lanes added
   in order into a double.  One running sum would wait on each add's
   latency: with it this took half of the lab 10 CNN's conv1 weight
   gradient. */
static void conv_bias_grad(const mgrt_conv2d_shape *s, const conv_dims *d, float *dbias,
                           const float *dy) {
  const int64_t ys = s->c_out * d->p;
  const int threads = (double)s->n * (double)ys >= 1e5 ? conv_threads() : 1;
  MGRT_OMP(omp parallel for num_threads(threads) schedule(static) if(threads > 1))
  for (int64_t o = 0; o < s->c_out; o++) {
    double sum = 0;
    for (int64_t i = 0; i < s->n; i++) {
      const float *row = dy + i * ys + o * d->p;
      float lanes[16] = {0};
      int64_t j = 0;
      for (; j + 16 <= d->p; j += 16)
        for (int l = 0; l < 16; l++) lanes[l] += row[j + l];
      for (int l = 0; j + l < d->p; l++) lanes[l] += row[j + l];
      for (int l = 0; l < 16; l++) sum += lanes[l];
    }
    dbias[o] = (float)sum;
  }
}

/* ---- the weight gradient at stride 1, tap by tap ----
** On the padded grid of conv_wide, tap (a, b)'s weight gradient is a
** product over the pixels j of each image:
**
**   dweight[:, :, a, b] [c_out, c_in] += dyT [J, c_out]^T @ xT[j + a wp + b] [J, c_in]
**
** with dyT the image's dy transposed onto the padded grid (J = out_h wp
** rows, a row per pixel, zero in the thrown-away columns so that they add
** nothing) and xT the padded image transposed (a row of c_in values per
** pixel, zeros around).  Both are read in place by the kernels, nine
** products of 224 steps an image in lab 10's conv2, where im2col and the
** packing of the per-image products (both operands transposed) took a
** third of the time.  The sums go into tap-major arrays, wsum[(t c_out +
** o) c_in + ch], one per run of images (as conv_wgrad_run's), reordered
** into dweight's layout as the runs are added. */
static int conv_wgrad_is_wide(const mgrt_conv2d_shape *s) {
  return s->stride_h == 1 && s->stride_w == 1 && s->c_in >= MGRT_CONV_WIDE_MIN_CIN;
}

/* A thread's slot: dyT [J, c_out] and xT [hp wp, c_in] (with spare rows:
   the kernels read whole panels past the last pixel), each cache-line
   aligned. */
typedef struct {
  int64_t dyt, xt;
} conv_wgrad_wide_dims;

static conv_wgrad_wide_dims conv_wgrad_wide_dims_of(const mgrt_conv2d_shape *s) {
  const conv_wide_dims g = conv_wide_dims_of(s);
  return (conv_wgrad_wide_dims){.dyt = g.cols * s->c_out + 16,
                                .xt = (g.plane + s->kh * g.wp + s->kw) * s->c_in + 64 + 16};
}
static int64_t conv_wgrad_wide_slot(const mgrt_conv2d_shape *s) {
  const conv_wgrad_wide_dims w = conv_wgrad_wide_dims_of(s);
  return w.dyt + w.xt;
}

/* Images [i0, i1) into wsum (tap-major, overwritten). */
static void conv_wgrad_wide_run(const mgrt_conv2d_shape *s, float *wsum, const float *dy,
                                const float *x, int64_t i0, int64_t i1, float *slot) {
  const conv_wide_dims g = conv_wide_dims_of(s);
  const conv_wgrad_wide_dims w = conv_wgrad_wide_dims_of(s);
  const int64_t oh = mgrt_conv2d_out_h(s), ow = mgrt_conv2d_out_w(s), taps = s->kh * s->kw;
  const int64_t width = mgrt_mm_panel_width_f32();
  const int64_t xs = s->c_in * s->h * s->w, ys = s->c_out * oh * ow;
  float *dyt = conv_align(slot), *xt = conv_align(slot + w.dyt);
  /* the zeros: thrown-away columns of dyT, xT's border, never written below */
  memset(dyt, 0, sizeof(float) * (size_t)(w.dyt - 16));
  memset(xt, 0, sizeof(float) * (size_t)(w.xt - 16));
  for (int64_t i = i0; i < i1; i++) {
    const float *dyi = dy + i * ys, *xi = x + i * xs;
    for (int64_t r = 0; r < oh; r++)
      mgrt_mm_transpose_f32(dyt + r * g.wp * s->c_out, s->c_out, dyi + r * ow, s->c_out, oh * ow, ow);
    for (int64_t r = 0; r < s->h; r++)
      mgrt_mm_transpose_f32(xt + ((r + s->pad_h) * g.wp + s->pad_w) * s->c_in, s->c_in,
                            xi + r * s->w, s->c_in, s->h * s->w, s->w);
    for (int64_t t = 0; t < taps; t++) {
      const float *b = xt + (t / s->kw * g.wp + t % s->kw) * s->c_in;
      for (int64_t c0 = 0; c0 < s->c_in; c0 += width)
        mgrt_mm_panel_f32(s->c_out, conv_min(width, s->c_in - c0), g.cols, dyt, s->c_out, b + c0,
                          s->c_in, wsum + t * s->c_out * s->c_in + c0, s->c_in, i > i0);
    }
  }
}

static void conv_bias_grad(const mgrt_conv2d_shape *s, const conv_dims *d, float *dbias,
                           const float *dy);

/* mgrt_conv2d_backward_weight where conv_wgrad_is_wide: the runs' tap-major
   sums in the scratch (fixed), then a slot per thread. */
static int conv_wgrad_wide(const mgrt_conv2d_shape *s, float *dweight, float *dbias,
                           const float *dy, const float *x, float *scratch, int64_t scratch_elems) {
  const conv_dims d = conv_dims_of(s);
  const int64_t parts = conv_parts(s), ws = s->c_out * d.k, taps = s->kh * s->kw;
  const int64_t fixed = parts * ws, slot = conv_wgrad_wide_slot(s);
  const int team = conv_team(parts, fixed, slot, scratch_elems);
  if (team < 1) return conv_scratch_error("weight gradient", scratch_elems, fixed + slot);
  float *sums = scratch, *slots = scratch + fixed;
  if (team == 1) {
    for (int64_t j = 0; j < parts; j++)
      conv_wgrad_wide_run(s, sums + j * ws, dy, x, j * s->n / parts, (j + 1) * s->n / parts, slots);
  } else {
    MGRT_OMP(omp parallel for num_threads(team) schedule(static, 1))
    for (int64_t j = 0; j < parts; j++)
      conv_wgrad_wide_run(s, sums + j * ws, dy, x, j * s->n / parts, (j + 1) * s->n / parts,
                          slots + (int64_t)conv_thread_num() * slot);
  }
  /* dweight[o, ch, t] = the runs' sums added in run order */
  for (int64_t o = 0; o < s->c_out; o++)
    for (int64_t ch = 0; ch < s->c_in; ch++)
      for (int64_t t = 0; t < taps; t++) {
        const int64_t at = (t * s->c_out + o) * s->c_in + ch;
        float v = sums[at];
        for (int64_t j = 1; j < parts; j++) v += sums[j * ws + at];
        dweight[(o * s->c_in + ch) * taps + t] = v;
      }
  if (dbias) conv_bias_grad(s, &d, dbias, dy);
  return 0;
}

int mgrt_conv2d_backward_weight(const mgrt_conv2d_shape *s, float *dweight, float *dbias,
                                const float *dy, const float *x, float *scratch,
                                int64_t scratch_elems) {
  if (mgrt_conv2d_check(s) != 0) return -1;
  if (s->n > 0 && conv_wgrad_is_wide(s))
    return conv_wgrad_wide(s, dweight, dbias, dy, x, scratch, scratch_elems);
  const conv_dims d = conv_dims_of(s);
  const int64_t parts = conv_parts(s), ws = s->c_out * d.k;
  const int64_t fixed = conv_wgrad_fixed(s, &d), slot = conv_wgrad_slot(s, &d);
  const int team = conv_team(parts, fixed, slot, scratch_elems);
  if (team < 1) return conv_scratch_error("weight gradient", scratch_elems, fixed + slot);
  if (s->n == 0) {
    memset(dweight, 0, sizeof(float) * (size_t)ws);
    if (dbias) memset(dbias, 0, sizeof(float) * (size_t)s->c_out);
    return 0;
  }
  /* run j: images [j n / parts, (j + 1) n / parts), summed into dweight
     (j = 0) or the j-th array after the slots */
  float *slots = scratch, *sums = scratch + team * slot;
  if (team == 1) {
    /* no parallel region at all: inside even a team of one, every product's
       work-sharing loops and barriers go through the OpenMP runtime */
    for (int64_t j = 0; j < parts; j++)
      conv_wgrad_run(s, &d, j == 0 ? dweight : sums + (j - 1) * ws, dy, x, j * s->n / parts,
                     (j + 1) * s->n / parts, slots);
  } else {
    MGRT_OMP(omp parallel for num_threads(team) schedule(static, 1))
    for (int64_t j = 0; j < parts; j++)
      conv_wgrad_run(s, &d, j == 0 ? dweight : sums + (j - 1) * ws, dy, x, j * s->n / parts,
                     (j + 1) * s->n / parts, slots + (int64_t)conv_thread_num() * slot);
  }
  for (int64_t j = 1; j < parts; j++) {
    const float *sum = sums + (j - 1) * ws;
    for (int64_t e = 0; e < ws; e++) dweight[e] += sum[e];
  }
  if (dbias) conv_bias_grad(s, &d, dbias, dy);
  return 0;
}
