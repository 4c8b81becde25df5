/*
** test_pool.c — libmgrt's max and average pooling (runtime/pool2d.c):
**
**  - against PyTorch 1.13 (conv_refs.txt, made by make_conv_refs.py),
**    forward and backward, float and double, for strides, padding,
**    non-square kernels, overlapping windows and windows full of equal
**    values (the max-pool gradient goes to the first maximum of each
**    window): max pooling's output exactly, the rest to REL_F32 / REL_F64
**    (ref_error_* in conv_refs.c);
**  - NaN and -inf in a window, as PyTorch treats them;
**  - the double gradients against central finite differences;
**  - with OpenMP, 1 and 2 threads give the same bits on a large input;
**  - every output element written, nothing past it; bad shapes give -1
**    with a message and write nothing.
**
** Usage: test_pool conv_refs.txt.  One line per failure, then "N passed,
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

#define REL_F32 1e-6
#define REL_F64 1e-14


static double rand_unit(void) { return (double)(ref_next_u64() >> 11) * 0x1p-53 * 2.0 - 1.0; }


static int64_t numel_x(const mgrt_pool2d_shape *s) { return s->n * s->c * s->h * s->w; }
static int64_t numel_y(const mgrt_pool2d_shape *s) {
  return s->n * s->c * mgrt_pool2d_out_h(s) * mgrt_pool2d_out_w(s);
}

static double worst_f32, worst_f64;

static void compare_f32(const char *what, const char *array, const float *got, const ref_array *want,
                        double tol) {
  char msg[256];
  const double err = ref_error_f32(got, want);
  worst_f32 = fmax(worst_f32, err);
  snprintf(msg, sizeof msg, "%s: error %.3g > %.0e", array, err, tol);
  ref_check(err <= tol, what, msg);
}

static void compare_f64(const char *what, const char *array, const double *got, const ref_array *want,
                        double tol) {
  char msg[256];
  const double err = ref_error_f64(got, want);
  worst_f64 = fmax(worst_f64, err);
  snprintf(msg, sizeof msg, "%s: error %.3g > %.0e", array, err, tol);
  ref_check(err <= tol, what, msg);
}

static void test_reference(const ref_case *c) {
  const mgrt_pool2d_shape s = {ref_int(c, "n"), ref_int(c, "c"), ref_int(c, "h"), ref_int(c, "w"),
                               ref_int(c, "kh"), ref_int(c, "kw"), ref_int(c, "stride_h"),
                               ref_int(c, "stride_w"), ref_int(c, "pad_h"), ref_int(c, "pad_w")};
  char what[160];
  snprintf(what, sizeof what, "pytorch %s", c->name);
  const int64_t nx = numel_x(&s), ny = numel_y(&s);
  float *x = ref_copy_f32(ref_need(c, "x", nx)), *dy = ref_copy_f32(ref_need(c, "dy", ny));
  double *x64 = ref_copy_f64(ref_need(c, "x", nx)), *dy64 = ref_copy_f64(ref_need(c, "dy", ny));
  float *y = ref_guarded(ny), *dx = ref_guarded(nx);
  double *y64 = malloc(sizeof(double) * (size_t)ny), *dx64 = malloc(sizeof(double) * (size_t)nx);

  int ok = mgrt_max_pool2d_forward(&s, y, x) == 0 && mgrt_max_pool2d_backward(&s, dx, dy, x) == 0;
  ref_check(ok && ref_guard_ok(y, ny) && ref_guard_ok(dx, nx), what, "max pool: failed or wrote the wrong elements");
  compare_f32(what, "max_y", y, ref_need(c, "max_y", ny), 0); /* a maximum is exact */
  compare_f32(what, "max_dx", dx, ref_need(c, "max_dx", nx), REL_F32);
  free(y), free(dx);
  y = ref_guarded(ny), dx = ref_guarded(nx);
  ok = mgrt_avg_pool2d_forward(&s, y, x) == 0 && mgrt_avg_pool2d_backward(&s, dx, dy) == 0;
  ref_check(ok && ref_guard_ok(y, ny) && ref_guard_ok(dx, nx), what, "avg pool: failed or wrote the wrong elements");
  compare_f32(what, "avg_y", y, ref_need(c, "avg_y", ny), REL_F32);
  compare_f32(what, "avg_dx", dx, ref_need(c, "avg_dx", nx), REL_F32);

  ok = mgrt_max_pool2d_forward_f64(&s, y64, x64) == 0 && mgrt_max_pool2d_backward_f64(&s, dx64, dy64, x64) == 0;
  ref_check(ok, what, "max pool f64 failed");
  compare_f64(what, "max_y_f64", y64, ref_need(c, "max_y_f64", ny), 0);
  compare_f64(what, "max_dx_f64", dx64, ref_need(c, "max_dx_f64", nx), REL_F64);
  ok = mgrt_avg_pool2d_forward_f64(&s, y64, x64) == 0 && mgrt_avg_pool2d_backward_f64(&s, dx64, dy64) == 0;
  ref_check(ok, what, "avg pool f64 failed");
  compare_f64(what, "avg_y_f64", y64, ref_need(c, "avg_y_f64", ny), REL_F64);
  compare_f64(what, "avg_dx_f64", dx64, ref_need(c, "avg_dx_f64", nx), REL_F64);
  free(x), free(dy), free(x64), free(dy64), free(y), free(dx), free(y64), free(dx64);
}

/* NaN wins a window (the last NaN takes the gradient); a window of -inf
   gives -inf and its gradient goes to the window's first element. */
static void test_special_values(void) {
  const mgrt_pool2d_shape s = {1, 1, 2, 4, 2, 2, 2, 2, 0, 0};
  const float x[8] = {1, NAN, -INFINITY, -INFINITY, NAN, 5, -INFINITY, -INFINITY};
  const float dy[2] = {3, 4};
  float y[2], dx[8];
  mgrt_max_pool2d_forward(&s, y, x);
  mgrt_max_pool2d_backward(&s, dx, dy, x);
  ref_check(isnan(y[0]) && y[1] == -INFINITY, "max pool of NaN and -inf", "wrong maxima");
  const float want[8] = {0, 0, 4, 0, 3, 0, 0, 0};
  ref_check(memcmp(dx, want, sizeof want) == 0, "max pool of NaN and -inf", "gradient not at the last NaN / the first -inf");
}

/* sum(r * pool(x)) against its gradient, element by element */
static void test_gradcheck(const mgrt_pool2d_shape *s, int max) {
  char what[128], msg[128];
  snprintf(what, sizeof what, "gradcheck %s pool k%lldx%lld s%lldx%lld p%lldx%lld", max ? "max" : "avg",
           (long long)s->kh, (long long)s->kw, (long long)s->stride_h, (long long)s->stride_w,
           (long long)s->pad_h, (long long)s->pad_w);
  const int64_t nx = numel_x(s), ny = numel_y(s);
  double *x = malloc(sizeof(double) * (size_t)nx), *r = malloc(sizeof(double) * (size_t)ny);
  double *y = malloc(sizeof(double) * (size_t)ny), *dx = malloc(sizeof(double) * (size_t)nx);
  /* distinct values at least 0.01 apart: a nudge of 1e-4 never changes a
     window's maximum */
  for (int64_t i = 0; i < nx; i++) x[i] = (double)i * 0.01;
  for (int64_t i = nx - 1; i > 0; i--) {
    const int64_t j = (int64_t)(ref_next_u64() % (uint64_t)(i + 1));
    const double t = x[i];
    x[i] = x[j], x[j] = t;
  }
  for (int64_t i = 0; i < ny; i++) r[i] = rand_unit();
  if (max) mgrt_max_pool2d_backward_f64(s, dx, r, x);
  else mgrt_avg_pool2d_backward_f64(s, dx, r);
  double worst = 0;
  const double h = 1e-4;
  for (int64_t i = 0; i < nx; i++) {
    double l[2];
    for (int side = 0; side < 2; side++) {
      const double keep = x[i];
      x[i] = keep + (side ? -h : h);
      if (max) mgrt_max_pool2d_forward_f64(s, y, x);
      else mgrt_avg_pool2d_forward_f64(s, y, x);
      x[i] = keep;
      l[side] = 0;
      for (int64_t j = 0; j < ny; j++) l[side] += r[j] * y[j];
    }
    worst = fmax(worst, fabs((l[0] - l[1]) / (2 * h) - dx[i]) / (fabs(dx[i]) + 1));
  }
  snprintf(msg, sizeof msg, "finite differences differ by %.2g", worst);
  ref_check(worst < 1e-8, what, msg);
  free(x), free(r), free(y), free(dx);
}

#ifdef _OPENMP
/* Above the threshold where planes are shared out: 1 and 2 threads agree. */
static void test_threads(void) {
  const mgrt_pool2d_shape s = {8, 16, 28, 28, 3, 3, 2, 2, 1, 1};
  const int64_t nx = numel_x(&s), ny = numel_y(&s);
  float *x = malloc(sizeof(float) * (size_t)nx), *dy = malloc(sizeof(float) * (size_t)ny);
  for (int64_t i = 0; i < nx; i++) x[i] = (float)(ref_next_u64() % 5); /* ties */
  for (int64_t i = 0; i < ny; i++) dy[i] = (float)rand_unit();
  float *out[2][4];
  for (int t = 0; t < 2; t++) {
    omp_set_num_threads(t + 1);
    out[t][0] = malloc(sizeof(float) * (size_t)ny), out[t][1] = malloc(sizeof(float) * (size_t)nx);
    out[t][2] = malloc(sizeof(float) * (size_t)ny), out[t][3] = malloc(sizeof(float) * (size_t)nx);
    mgrt_max_pool2d_forward(&s, out[t][0], x);
    mgrt_max_pool2d_backward(&s, out[t][1], dy, x);
    mgrt_avg_pool2d_forward(&s, out[t][2], x);
    mgrt_avg_pool2d_backward(&s, out[t][3], dy);
  }
  const int same = memcmp(out[0][0], out[1][0], sizeof(float) * (size_t)ny) == 0 &&
                   memcmp(out[0][1], out[1][1], sizeof(float) * (size_t)nx) == 0 &&
                   memcmp(out[0][2], out[1][2], sizeof(float) * (size_t)ny) == 0 &&
                   memcmp(out[0][3], out[1][3], sizeof(float) * (size_t)nx) == 0;
  ref_check(same, "threads", "2 threads differ from 1");
  for (int t = 0; t < 2; t++)
    for (int i = 0; i < 4; i++) free(out[t][i]);
  free(x), free(dy);
}
#endif

static void expect_error(const mgrt_pool2d_shape *s, const char *message, const char *what) {
  char msg[512];
  float y[4] = {7, 7, 7, 7}, x[64] = {0};
  int statuses[4] = {mgrt_max_pool2d_forward(s, y, x), mgrt_max_pool2d_backward(s, y, x, x),
                     mgrt_avg_pool2d_forward(s, y, x), mgrt_avg_pool2d_backward(s, y, x)};
  double y64[4] = {7, 7, 7, 7}, x64[64] = {0};
  const int f64_failed = mgrt_max_pool2d_forward_f64(s, y64, x64) == -1 && mgrt_avg_pool2d_backward_f64(s, y64, x64) == -1;
  snprintf(msg, sizeof msg, "message \"%s\", wanted \"%s\"", mgrt_last_error(), message);
  ref_check(statuses[0] == -1 && statuses[1] == -1 && statuses[2] == -1 && statuses[3] == -1 && f64_failed &&
            y[0] == 7 && y64[0] == 7 && strstr(mgrt_last_error(), message) != NULL,
        what, msg);
}

int main(int argc, char **argv) {
  ref_rng_seed(0x9E3779B97F4A7C15u);
  if (argc != 2) {
    fprintf(stderr, "usage: %s conv_refs.txt\n", argv[0]);
    return 2;
  }
  FILE *f = fopen(argv[1], "r");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  ref_case c;
  int cases = 0;
  while (ref_next(f, argv[1], &c)) {
    if (strcmp(c.op, "pool2d") == 0) {
      test_reference(&c);
      cases++;
    }
    ref_free(&c);
  }
  fclose(f);
  ref_check(cases >= 6, "reference file", "fewer than 6 pool2d cases");
  printf("PyTorch cases: %d, largest error float %.3g, double %.3g\n", cases, worst_f32, worst_f64);

  test_special_values();
  const mgrt_pool2d_shape grads[] = {
      {2, 2, 6, 5, 2, 2, 2, 2, 0, 0}, {1, 3, 7, 7, 3, 3, 2, 2, 1, 1},
      {2, 1, 5, 8, 3, 2, 1, 3, 1, 1}, {1, 2, 4, 4, 4, 4, 1, 1, 2, 2},
  };
  for (size_t i = 0; i < sizeof grads / sizeof grads[0]; i++) {
    test_gradcheck(&grads[i], 1);
    test_gradcheck(&grads[i], 0);
  }
#ifdef _OPENMP
  test_threads();
#endif
  const mgrt_pool2d_shape wide_pad = {1, 1, 4, 4, 2, 2, 2, 2, 2, 0};
  expect_error(&wide_pad, "padding 2x0 must be at least 0 and at most half the kernel 2x2", "padding above half the kernel");
  const mgrt_pool2d_shape big = {1, 1, 2, 2, 5, 5, 1, 1, 1, 1};
  expect_error(&big, "kernel 5x5 is larger than the padded input 4x4", "kernel larger than the padded input");
  const mgrt_pool2d_shape no_stride = {1, 1, 2, 2, 2, 2, 0, 1, 0, 0};
  expect_error(&no_stride, "stride (height) 0 is out of range", "stride 0");

  return ref_report();
}
