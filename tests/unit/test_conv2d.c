/*
** test_conv2d.c — libmgrt's convolutions (runtime/conv2d.c, conv2d_f64.c):
**
**  - against PyTorch 1.13 (conv_refs.txt, made by make_conv_refs.py): the
**    forward pass with and without bias, the input gradient and the weight
**    and bias gradients, for strides, padding, non-square and even kernels,
**    1x1 kernels, kernels as large as the (padded) input, odd sizes, batch
**    1 and more, channels 1 and more.  Float to REL_F32 and double to
**    REL_F64, each error measured against |PyTorch's value| plus the mean
**    magnitude of the array (ref_error_f32 in conv_refs.c);
**  - the float kernels against the double loops on random shapes, each
**    element within (terms + 1) 2^-23 times the sum of the magnitudes of
**    its terms (a bound that holds for any order of summation), with the
**    shapes of the lab 10 CNN among them;
**  - with OpenMP, 1 and 2 threads give the same bits, also when the
**    scratch holds only one thread's share;
**  - the double gradients against central finite differences of the
**    double forward pass (the function is linear in each argument, so
**    the differences are exact but for rounding);
**  - every output element written, nothing past it; bad shapes and short
**    scratch give -1 with a message and write nothing.
**
** Usage: test_conv2d conv_refs.txt.  One line per failure, then "N passed,
** N failed"; exit status 1 when anything failed.
*/
#include "conv_refs.h"
#include "mgrt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

/* measured largest errors (ref_error_*): about 4e-7 in float, 4e-16 in
   double; the tolerances leave room for other kernels (AVX2, portable) */
#define REL_F32 1e-5
#define REL_F64 1e-12


static int64_t rand_int(int64_t lo, int64_t hi) { return lo + (int64_t)(ref_next_u64() % (uint64_t)(hi - lo + 1)); }
static float rand_float(void) { return (float)((double)(ref_next_u64() >> 11) * 0x1p-53 * 2.0 - 1.0); }

#ifdef _OPENMP
static int initial_threads;
static void set_threads(int t) { omp_set_num_threads(t ? t : initial_threads); }
#else
static void set_threads(int t) { (void)t; }
#endif

/* ---- the float kernels on one shape ---- */
typedef struct {
  float *y, *dx, *dw, *db;
} f32_results;

static int64_t numel_x(const mgrt_conv2d_shape *s) { return s->n * s->c_in * s->h * s->w; }
static int64_t numel_w(const mgrt_conv2d_shape *s) { return s->c_out * s->c_in * s->kh * s->kw; }
static int64_t numel_y(const mgrt_conv2d_shape *s) {
  return s->n * s->c_out * mgrt_conv2d_out_h(s) * mgrt_conv2d_out_w(s);
}

static void free_f32(f32_results *r) {
  free(r->y), free(r->dx), free(r->dw), free(r->db);
  memset(r, 0, sizeof *r);
}

/* Runs forward, input and weight gradients with the scratch the library
   asks for (or `scratch_elems` when not 0); 0 when every call succeeded
   and wrote exactly its output. */
static int run_f32(const mgrt_conv2d_shape *s, const float *x, const float *w, const float *b,
                   const float *dy, int64_t scratch_elems, f32_results *r, const char *what) {
  char msg[512];
  const int64_t need = mgrt_conv2d_scratch_elems(s);
  const int64_t elems = scratch_elems ? scratch_elems : need;
  float *scratch = malloc(sizeof(float) * (size_t)elems);
  r->y = ref_guarded(numel_y(s));
  r->dx = ref_guarded(numel_x(s));
  r->dw = ref_guarded(numel_w(s));
  r->db = ref_guarded(s->c_out);
  int ok = mgrt_conv2d_forward(s, r->y, x, w, b, scratch, elems) == 0 &&
           mgrt_conv2d_backward_input(s, r->dx, dy, w, scratch, elems) == 0 &&
           mgrt_conv2d_backward_weight(s, r->dw, b ? r->db : NULL, dy, x, scratch, elems) == 0;
  snprintf(msg, sizeof msg, "a call failed: %s", mgrt_last_error());
  ref_check(ok, what, msg);
  if (ok) {
    ok = ref_guard_ok(r->y, numel_y(s)) && ref_guard_ok(r->dx, numel_x(s)) && ref_guard_ok(r->dw, numel_w(s)) &&
         (!b || ref_guard_ok(r->db, s->c_out));
    ref_check(ok, what, "an output element left unwritten, or written past the end");
  }
  free(scratch);
  return ok ? 0 : -1;
}

static void describe(char *buf, size_t size, const mgrt_conv2d_shape *s) {
  snprintf(buf, size, "n%lld c%lld %lldx%lld -> %lld k%lldx%lld s%lldx%lld p%lldx%lld", (long long)s->n,
           (long long)s->c_in, (long long)s->h, (long long)s->w, (long long)s->c_out, (long long)s->kh,
           (long long)s->kw, (long long)s->stride_h, (long long)s->stride_w, (long long)s->pad_h,
           (long long)s->pad_w);
}

/* ---- against PyTorch ---- */
static double worst_f32, worst_f64;

static void compare_f32(const char *what, const char *array, const float *got, const ref_array *want) {
  char msg[256];
  const double err = ref_error_f32(got, want);
  worst_f32 = fmax(worst_f32, err);
  snprintf(msg, sizeof msg, "%s: error %.3g > %.0e", array, err, REL_F32);
  ref_check(err <= REL_F32, what, msg);
}

static void compare_f64(const char *what, const char *array, const double *got, const ref_array *want) {
  char msg[256];
  const double err = ref_error_f64(got, want);
  worst_f64 = fmax(worst_f64, err);
  snprintf(msg, sizeof msg, "%s: error %.3g > %.0e", array, err, REL_F64);
  ref_check(err <= REL_F64, what, msg);
}

static void test_reference(const ref_case *c) {
  const mgrt_conv2d_shape s = {ref_int(c, "n"), ref_int(c, "c_in"), ref_int(c, "h"), ref_int(c, "w"),
                               ref_int(c, "c_out"), ref_int(c, "kh"), ref_int(c, "kw"),
                               ref_int(c, "stride_h"), ref_int(c, "stride_w"), ref_int(c, "pad_h"),
                               ref_int(c, "pad_w")};
  const int bias = ref_int(c, "bias") != 0;
  char what[160];
  snprintf(what, sizeof what, "pytorch %s", c->name);
  float *x = ref_copy_f32(ref_need(c, "x", numel_x(&s)));
  float *w = ref_copy_f32(ref_need(c, "weight", numel_w(&s)));
  float *b = bias ? ref_copy_f32(ref_need(c, "bias", s.c_out)) : NULL;
  float *dy = ref_copy_f32(ref_need(c, "dy", numel_y(&s)));

  f32_results r = {0};
  if (run_f32(&s, x, w, b, dy, 0, &r, what) == 0) {
    compare_f32(what, "y", r.y, ref_need(c, "y", numel_y(&s)));
    compare_f32(what, "dx", r.dx, ref_need(c, "dx", numel_x(&s)));
    compare_f32(what, "dweight", r.dw, ref_need(c, "dweight", numel_w(&s)));
    if (bias) compare_f32(what, "dbias", r.db, ref_need(c, "dbias", s.c_out));
  }
  free_f32(&r);

  double *x64 = ref_copy_f64(ref_need(c, "x", numel_x(&s)));
  double *w64 = ref_copy_f64(ref_need(c, "weight", numel_w(&s)));
  double *b64 = bias ? ref_copy_f64(ref_need(c, "bias", s.c_out)) : NULL;
  double *dy64 = ref_copy_f64(ref_need(c, "dy", numel_y(&s)));
  double *y64 = malloc(sizeof(double) * (size_t)numel_y(&s));
  double *dx64 = malloc(sizeof(double) * (size_t)numel_x(&s));
  double *dw64 = malloc(sizeof(double) * (size_t)numel_w(&s));
  double *db64 = malloc(sizeof(double) * (size_t)s.c_out);
  const int ok = mgrt_conv2d_forward_f64(&s, y64, x64, w64, b64) == 0 &&
                 mgrt_conv2d_backward_input_f64(&s, dx64, dy64, w64) == 0 &&
                 mgrt_conv2d_backward_weight_f64(&s, dw64, bias ? db64 : NULL, dy64, x64) == 0;
  ref_check(ok, what, "a double call failed");
  if (ok) {
    compare_f64(what, "y_f64", y64, ref_need(c, "y_f64", numel_y(&s)));
    compare_f64(what, "dx_f64", dx64, ref_need(c, "dx_f64", numel_x(&s)));
    compare_f64(what, "dweight_f64", dw64, ref_need(c, "dweight_f64", numel_w(&s)));
    if (bias) compare_f64(what, "dbias_f64", db64, ref_need(c, "dbias_f64", s.c_out));
  }
  free(x), free(w), free(b), free(dy);
  free(x64), free(w64), free(b64), free(dy64), free(y64), free(dx64), free(dw64), free(db64);
}

/* ---- float against double, with a bound ---- */

/* |got - exact| <= (terms + 1) 2^-23 (sum of |terms| + |bias|) */
static int within_bound(const float *got, const double *exact, const double *magnitude, int64_t n,
                        double terms, double *worst) {
  for (int64_t i = 0; i < n; i++) {
    const double bound = (terms + 1) * 0x1p-23 * magnitude[i];
    const double err = fabs((double)got[i] - exact[i]);
    if (err > bound && err > 0) return 0;
    if (bound > 0) *worst = fmax(*worst, err / bound);
  }
  return 1;
}

static double *widen(const float *v, int64_t n, int absolute) {
  double *d = malloc(sizeof(double) * (size_t)(n ? n : 1));
  for (int64_t i = 0; i < n; i++) d[i] = absolute ? fabs((double)v[i]) : (double)v[i];
  return d;
}

static double worst_bound_share;

/* The float kernels against the double loops on shape s, and, with
   OpenMP, 1 thread against 2 (bit for bit, with the full scratch and with
   one thread's share of it). */
static void test_against_f64(const mgrt_conv2d_shape *s, int bias) {
  char what[200], shape[160];
  describe(shape, sizeof shape, s);
  snprintf(what, sizeof what, "random %s%s", shape, bias ? " bias" : "");
  const int64_t nx = numel_x(s), nw = numel_w(s), ny = numel_y(s);
  float *x = malloc(sizeof(float) * (size_t)nx), *w = malloc(sizeof(float) * (size_t)nw);
  float *b = malloc(sizeof(float) * (size_t)s->c_out), *dy = malloc(sizeof(float) * (size_t)(ny ? ny : 1));
  for (int64_t i = 0; i < nx; i++) x[i] = rand_float();
  for (int64_t i = 0; i < nw; i++) w[i] = rand_float();
  for (int64_t i = 0; i < s->c_out; i++) b[i] = rand_float();
  for (int64_t i = 0; i < ny; i++) dy[i] = rand_float();

  f32_results one = {0}, two = {0}, two_short = {0};
  set_threads(1);
  const int ok = run_f32(s, x, w, bias ? b : NULL, dy, 0, &one, what) == 0;
  if (ok) {
    double *x64 = widen(x, nx, 0), *w64 = widen(w, nw, 0), *b64 = widen(b, s->c_out, 0);
    double *dy64 = widen(dy, ny, 0);
    double *ax = widen(x, nx, 1), *aw = widen(w, nw, 1), *ab = widen(b, s->c_out, 1), *ady = widen(dy, ny, 1);
    double *y = malloc(sizeof(double) * (size_t)(ny ? ny : 1)), *my = malloc(sizeof(double) * (size_t)(ny ? ny : 1));
    double *dx = malloc(sizeof(double) * (size_t)nx), *mdx = malloc(sizeof(double) * (size_t)nx);
    double *dw = malloc(sizeof(double) * (size_t)nw), *mdw = malloc(sizeof(double) * (size_t)nw);
    double *db = malloc(sizeof(double) * (size_t)s->c_out), *mdb = malloc(sizeof(double) * (size_t)s->c_out);
    mgrt_conv2d_forward_f64(s, y, x64, w64, bias ? b64 : NULL);
    mgrt_conv2d_forward_f64(s, my, ax, aw, bias ? ab : NULL);
    mgrt_conv2d_backward_input_f64(s, dx, dy64, w64);
    mgrt_conv2d_backward_input_f64(s, mdx, ady, aw);
    mgrt_conv2d_backward_weight_f64(s, dw, db, dy64, x64);
    mgrt_conv2d_backward_weight_f64(s, mdw, mdb, ady, ax);
    const double k = (double)(s->c_in * s->kh * s->kw), taps = (double)(s->c_out * s->kh * s->kw);
    const double pixels = (double)(s->n * mgrt_conv2d_out_h(s) * mgrt_conv2d_out_w(s));
    ref_check(within_bound(one.y, y, my, ny, k + 1, &worst_bound_share), what, "forward beyond the bound");
    ref_check(within_bound(one.dx, dx, mdx, nx, taps, &worst_bound_share), what, "input gradient beyond the bound");
    ref_check(within_bound(one.dw, dw, mdw, nw, pixels, &worst_bound_share), what, "weight gradient beyond the bound");
    if (bias) ref_check(within_bound(one.db, db, mdb, s->c_out, pixels, &worst_bound_share), what, "bias gradient beyond the bound");
    free(x64), free(w64), free(b64), free(dy64), free(ax), free(aw), free(ab), free(ady);
    free(y), free(my), free(dx), free(mdx), free(dw), free(mdw), free(db), free(mdb);
  }
#ifdef _OPENMP
  if (ok) {
    set_threads(2);
    const int64_t full_elems = mgrt_conv2d_scratch_elems(s); /* sized for 2 threads */
    set_threads(1);
    const int64_t short_elems = mgrt_conv2d_scratch_elems(s); /* one thread's share */
    set_threads(2);
    if (run_f32(s, x, w, bias ? b : NULL, dy, full_elems, &two, what) == 0 &&
        run_f32(s, x, w, bias ? b : NULL, dy, short_elems, &two_short, what) == 0) {
      const int same = memcmp(one.y, two.y, sizeof(float) * (size_t)ny) == 0 &&
                       memcmp(one.dx, two.dx, sizeof(float) * (size_t)nx) == 0 &&
                       memcmp(one.dw, two.dw, sizeof(float) * (size_t)nw) == 0 &&
                       (!bias || memcmp(one.db, two.db, sizeof(float) * (size_t)s->c_out) == 0);
      ref_check(same, what, "2 threads differ from 1");
      const int same_short = memcmp(one.y, two_short.y, sizeof(float) * (size_t)ny) == 0 &&
                             memcmp(one.dx, two_short.dx, sizeof(float) * (size_t)nx) == 0 &&
                             memcmp(one.dw, two_short.dw, sizeof(float) * (size_t)nw) == 0;
      ref_check(same_short, what, "2 threads with one thread's scratch differ from 1");
    }
    set_threads(0);
  }
#endif
  free_f32(&one), free_f32(&two), free_f32(&two_short);
  free(x), free(w), free(b), free(dy);
}

static void test_random_shapes(void) {
  for (int t = 0; t < 120; t++) {
    mgrt_conv2d_shape s;
    s.n = rand_int(1, 3);
    s.c_in = rand_int(1, 4);
    s.c_out = rand_int(1, 6);
    s.h = rand_int(1, 9);
    s.w = rand_int(1, 9);
    s.stride_h = rand_int(1, 3);
    s.stride_w = rand_int(1, 3);
    s.pad_h = rand_int(0, 2);
    s.pad_w = rand_int(0, 2);
    s.kh = rand_int(1, s.h + 2 * s.pad_h < 5 ? s.h + 2 * s.pad_h : 5);
    s.kw = rand_int(1, s.w + 2 * s.pad_w < 5 ? s.w + 2 * s.pad_w : 5);
    test_against_f64(&s, (int)(t % 3 != 0));
  }
  /* eight input channels or more at stride 1: the forward pass, the input
     gradient (when it has eight output channels and padding up to kh - 1)
     and the weight gradient tap by tap on the padded grid (conv_wide);
     strides of 2 and the other shapes keep im2col */
  for (int t = 0; t < 40; t++) {
    mgrt_conv2d_shape s;
    s.n = rand_int(1, 5);
    s.c_in = rand_int(8, 12);
    s.c_out = rand_int(1, 12);
    s.h = rand_int(1, 9);
    s.w = rand_int(1, 9);
    s.stride_h = t % 5 == 4 ? 2 : 1;
    s.stride_w = t % 5 == 4 ? rand_int(1, 2) : 1;
    s.pad_h = rand_int(0, 2);
    s.pad_w = rand_int(0, 2);
    s.kh = rand_int(1, s.h + 2 * s.pad_h < 5 ? s.h + 2 * s.pad_h : 5);
    s.kw = rand_int(1, s.w + 2 * s.pad_w < 5 ? s.w + 2 * s.pad_w : 5);
    test_against_f64(&s, (int)(t % 3 != 0));
  }
  /* the lab 10 CNN's two convolutions (with a few images): the packed
     products, their k chunks and their threads */
  const mgrt_conv2d_shape conv1 = {2, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1};
  const mgrt_conv2d_shape conv2 = {2, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1};
  /* more images than the weight gradient's runs, a 1x1 kernel, wide channels */
  const mgrt_conv2d_shape many = {9, 3, 6, 5, 4, 2, 3, 1, 2, 1, 1};
  const mgrt_conv2d_shape pointwise = {5, 40, 3, 4, 33, 1, 1, 1, 1, 0, 0};
  test_against_f64(&conv1, 1);
  test_against_f64(&conv2, 1);
  test_against_f64(&many, 1);
  test_against_f64(&pointwise, 0);
}

/* ---- finite differences of the double forward pass ---- */

/* sum(r * conv(x, w, b)) */
static double loss_f64(const mgrt_conv2d_shape *s, const double *x, const double *w, const double *b,
                       const double *r, double *y) {
  mgrt_conv2d_forward_f64(s, y, x, w, b);
  double sum = 0;
  for (int64_t i = 0; i < numel_y(s); i++) sum += r[i] * y[i];
  return sum;
}

/* Each element of v nudged by +-h: the central difference against grad. */
static double fd_error(const mgrt_conv2d_shape *s, double *v, int64_t n, const double *grad, double *x,
                       double *w, double *b, const double *r, double *y) {
  const double h = 1e-3;
  double worst = 0;
  for (int64_t i = 0; i < n; i++) {
    const double keep = v[i];
    v[i] = keep + h;
    const double up = loss_f64(s, x, w, b, r, y);
    v[i] = keep - h;
    const double down = loss_f64(s, x, w, b, r, y);
    v[i] = keep;
    worst = fmax(worst, fabs((up - down) / (2 * h) - grad[i]) / (fabs(grad[i]) + 1));
  }
  return worst;
}

static void test_gradcheck(const mgrt_conv2d_shape *s) {
  char what[200], shape[160], msg[128];
  describe(shape, sizeof shape, s);
  snprintf(what, sizeof what, "gradcheck %s", shape);
  const int64_t nx = numel_x(s), nw = numel_w(s), ny = numel_y(s);
  double *x = malloc(sizeof(double) * (size_t)nx), *w = malloc(sizeof(double) * (size_t)nw);
  double *b = malloc(sizeof(double) * (size_t)s->c_out), *r = malloc(sizeof(double) * (size_t)ny);
  double *y = malloc(sizeof(double) * (size_t)ny), *dx = malloc(sizeof(double) * (size_t)nx);
  double *dw = malloc(sizeof(double) * (size_t)nw), *db = malloc(sizeof(double) * (size_t)s->c_out);
  for (int64_t i = 0; i < nx; i++) x[i] = rand_float();
  for (int64_t i = 0; i < nw; i++) w[i] = rand_float();
  for (int64_t i = 0; i < s->c_out; i++) b[i] = rand_float();
  for (int64_t i = 0; i < ny; i++) r[i] = rand_float();
  mgrt_conv2d_backward_input_f64(s, dx, r, w);
  mgrt_conv2d_backward_weight_f64(s, dw, db, r, x);
  const double ex = fd_error(s, x, nx, dx, x, w, b, r, y);
  const double ew = fd_error(s, w, nw, dw, x, w, b, r, y);
  const double eb = fd_error(s, b, s->c_out, db, x, w, b, r, y);
  snprintf(msg, sizeof msg, "finite differences differ: x %.2g, weight %.2g, bias %.2g", ex, ew, eb);
  ref_check(ex < 1e-8 && ew < 1e-8 && eb < 1e-8, what, msg);
  free(x), free(w), free(b), free(r), free(y), free(dx), free(dw), free(db);
}

/* ---- errors ---- */
static void expect_error(const mgrt_conv2d_shape *s, const char *message, const char *what) {
  char msg[512];
  float y[4] = {7, 7, 7, 7}, x[4] = {1, 2, 3, 4}, w[4] = {1, 1, 1, 1}, scratch[64];
  const int status = mgrt_conv2d_forward(s, y, x, w, NULL, scratch, 64);
  snprintf(msg, sizeof msg, "status %d, message \"%s\", wanted \"%s\"", status, mgrt_last_error(), message);
  ref_check(status == -1 && strstr(mgrt_last_error(), message) != NULL && y[0] == 7 && y[3] == 7, what, msg);
  double y64[4] = {7, 7, 7, 7}, x64[4] = {1, 2, 3, 4}, w64[4] = {1, 1, 1, 1};
  ref_check(mgrt_conv2d_forward_f64(s, y64, x64, w64, NULL) == -1 && y64[0] == 7, what, "the double call did not fail");
}

static void test_errors(void) {
  const mgrt_conv2d_shape big_kernel = {1, 1, 2, 2, 1, 5, 5, 1, 1, 1, 1};
  expect_error(&big_kernel, "kernel 5x5 is larger than the padded input 4x4", "kernel larger than the padded input");
  const mgrt_conv2d_shape no_stride = {1, 1, 2, 2, 1, 1, 1, 0, 1, 0, 0};
  expect_error(&no_stride, "stride (height) 0 is out of range", "stride 0");
  const mgrt_conv2d_shape no_channels = {1, 0, 2, 2, 1, 1, 1, 1, 1, 0, 0};
  expect_error(&no_channels, "input channels 0 is out of range", "no input channels");
  const mgrt_conv2d_shape negative_pad = {1, 1, 2, 2, 1, 1, 1, 1, 1, -1, 0};
  expect_error(&negative_pad, "padding -1x0 is out of range", "negative padding");
  ref_check(mgrt_conv2d_scratch_elems(&big_kernel) == 0, "scratch_elems of a bad shape", "not 0");

  /* scratch too small: -1, a message, nothing written */
  const mgrt_conv2d_shape s = {2, 2, 5, 5, 3, 3, 3, 1, 1, 1, 1};
  float x[100] = {0}, w[54] = {0}, dy[150] = {0}, out[150], scratch[8];
  for (int i = 0; i < 150; i++) out[i] = 7;
  int statuses[3] = {mgrt_conv2d_forward(&s, out, x, w, NULL, scratch, 8),
                     mgrt_conv2d_backward_input(&s, out, dy, w, scratch, 8),
                     mgrt_conv2d_backward_weight(&s, out, NULL, dy, x, scratch, 8)};
  int untouched = 1;
  for (int i = 0; i < 150; i++) untouched &= out[i] == 7;
  ref_check(statuses[0] == -1 && statuses[1] == -1 && statuses[2] == -1 && untouched &&
            strstr(mgrt_last_error(), "scratch of 8 floats given") != NULL,
        "scratch too small", mgrt_last_error());

  /* the same with 8 channels at stride 1 (the padded-grid path, whose
     scratch holds the rearranged weight and the padded arrays) */
  const mgrt_conv2d_shape wide = {2, 8, 5, 5, 8, 3, 3, 1, 1, 1, 1};
  static float wx[400], ww[576], wdy[400], wout[576];
  for (int i = 0; i < 576; i++) wout[i] = 7;
  const int wide_statuses[3] = {mgrt_conv2d_forward(&wide, wout, wx, ww, NULL, scratch, 8),
                                mgrt_conv2d_backward_input(&wide, wout, wdy, ww, scratch, 8),
                                mgrt_conv2d_backward_weight(&wide, wout, NULL, wdy, wx, scratch, 8)};
  int wide_untouched = 1;
  for (int i = 0; i < 576; i++) wide_untouched &= wout[i] == 7;
  ref_check(wide_statuses[0] == -1 && wide_statuses[1] == -1 && wide_statuses[2] == -1 && wide_untouched &&
                strstr(mgrt_last_error(), "scratch of 8 floats given") != NULL,
            "scratch too small, 8 channels", mgrt_last_error());

  /* an empty batch: the weight gradient is 0 */
  const mgrt_conv2d_shape empty = {0, 2, 3, 3, 2, 3, 3, 1, 1, 1, 1};
  float dw[36], db[2], sc[1];
  for (int i = 0; i < 36; i++) dw[i] = 7;
  const int st = mgrt_conv2d_backward_weight(&empty, dw, db, dy, x, sc, mgrt_conv2d_scratch_elems(&empty));
  ref_check(st == 0 && dw[0] == 0 && dw[35] == 0 && db[0] == 0 && db[1] == 0, "empty batch", "weight gradient not 0");
}

int main(int argc, char **argv) {
  ref_rng_seed(0x5DEECE66Du);
  if (argc != 2) {
    fprintf(stderr, "usage: %s conv_refs.txt\n", argv[0]);
    return 2;
  }
#ifdef _OPENMP
  initial_threads = omp_get_max_threads();
#endif
  FILE *f = fopen(argv[1], "r");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  ref_case c;
  int cases = 0;
  while (ref_next(f, argv[1], &c)) {
    if (strcmp(c.op, "conv2d") == 0) {
      test_reference(&c);
      cases++;
    }
    ref_free(&c);
  }
  fclose(f);
  ref_check(cases >= 10, "reference file", "fewer than 10 conv2d cases");
  printf("PyTorch cases: %d, largest error float %.3g, double %.3g\n", cases, worst_f32, worst_f64);

  test_random_shapes();
  printf("float against double: largest error %.3g of the bound\n", worst_bound_share);

  const mgrt_conv2d_shape grads[] = {
      {2, 2, 5, 4, 3, 3, 2, 1, 1, 1, 0}, {1, 3, 7, 6, 2, 3, 3, 2, 2, 1, 1},
      {3, 1, 6, 6, 2, 4, 2, 3, 1, 2, 1}, {2, 2, 3, 3, 2, 1, 1, 1, 1, 0, 0},
  };
  for (size_t i = 0; i < sizeof grads / sizeof grads[0]; i++) test_gradcheck(&grads[i]);
  test_errors();

  return ref_report();
}
