/*
** test_batchnorm.c — libmgrt's batch norm (runtime/batch_norm.c):
**
**  - against PyTorch 1.13 (conv_refs.txt, made by make_conv_refs.py), for
**    batch_norm1d over [n, c] and batch_norm2d over [n, c, h, w], batch 1
**    and more, one and several channels, eps and momentum other than the
**    defaults: the training forward, the batch's saved mean and invstd, the
**    running statistics after the step, the evaluation forward from the
**    running statistics given, and the training backward (dx, dweight,
**    dbias); float to REL_F32, double to REL_F64 (ref_error_* in
**    conv_refs.c).  The float forward outputs (training and evaluation)
**    and statistics (saved mean and invstd, running mean and variance)
**    must be PyTorch's bits exactly;
**  - the double backward against central finite differences of the double
**    training forward (through the batch's mean and variance);
**  - with OpenMP, 1 and 2 threads give the same bits on a large input;
**  - bad shapes and a single value per channel in training give -1 with a
**    message and write nothing.
**
** Usage: test_batchnorm conv_refs.txt.  One line per failure, then "N
** passed, N failed"; exit status 1 when anything failed.
*/
#include "conv_refs.h"
#include "mgrt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#define REL_F32 1e-5
#define REL_F64 1e-12


static double rand_unit(void) { return (double)(ref_next_u64() >> 11) * 0x1p-53 * 2.0 - 1.0; }

static double worst_f32, worst_f64;
static int stats_exact, stats_total;

static void compare_f32_scaled(const char *what, const char *array, const float *got, const ref_array *want,
                               double scale) {
  char msg[256];
  const double err = ref_error_f32_scaled(got, want, scale);
  worst_f32 = fmax(worst_f32, err);
  snprintf(msg, sizeof msg, "%s: error %.3g > %.0e", array, err, REL_F32);
  ref_check(err <= REL_F32, what, msg);
}

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

/* how many of a float statistic's values are PyTorch's bits */
static void count_exact(const float *got, const ref_array *want) {
  for (int64_t i = 0; i < want->count; i++) {
    stats_exact += got[i] == (float)want->values[i];
    stats_total++;
  }
}

static void test_reference(const ref_case *c) {
  const mgrt_batch_norm_shape s = {ref_int(c, "n"), ref_int(c, "c"), ref_int(c, "hw"), ref_param(c, "eps"),
                                   ref_param(c, "momentum")};
  char what[160];
  snprintf(what, sizeof what, "pytorch %s", c->name);
  const int64_t nx = s.n * s.c * s.hw;
  /* float */
  {
    float *x = ref_copy_f32(ref_need(c, "x", nx)), *dy = ref_copy_f32(ref_need(c, "dy", nx));
    float *w = ref_copy_f32(ref_need(c, "weight", s.c)), *b = ref_copy_f32(ref_need(c, "bias", s.c));
    float *rm = ref_copy_f32(ref_need(c, "running_mean", s.c)), *rv = ref_copy_f32(ref_need(c, "running_var", s.c));
    float *y = malloc(sizeof(float) * (size_t)nx), *dx = malloc(sizeof(float) * (size_t)nx);
    float *sm = malloc(sizeof(float) * (size_t)s.c), *si = malloc(sizeof(float) * (size_t)s.c);
    float *dw = malloc(sizeof(float) * (size_t)s.c), *db = malloc(sizeof(float) * (size_t)s.c);
    const mgrt_batch_norm bn = {w, b, rm, rv, sm, si};
    int ok = mgrt_batch_norm_forward_eval(&s, &bn, y, x) == 0;
    ref_check(ok, what, "evaluation forward failed");
    compare_f32(what, "y_eval", y, ref_need(c, "y_eval", nx));
    count_exact(y, ref_need(c, "y_eval", nx));
    ok = mgrt_batch_norm_forward_train(&s, &bn, y, x) == 0 &&
         mgrt_batch_norm_backward(&s, &bn, dx, dw, db, dy, x) == 0;
    ref_check(ok, what, "training forward or backward failed");
    compare_f32(what, "y", y, ref_need(c, "y", nx));
    compare_f32(what, "save_mean", sm, ref_need(c, "save_mean", s.c));
    compare_f32(what, "save_invstd", si, ref_need(c, "save_invstd", s.c));
    compare_f32(what, "running_mean_after", rm, ref_need(c, "running_mean_after", s.c));
    compare_f32(what, "running_var_after", rv, ref_need(c, "running_var_after", s.c));
    /* dx is a difference of terms the size of dy invstd weight, which
       cancel almost completely with two values per channel: measured
       against their size */
    const ref_array *want_dx = ref_need(c, "dx", nx), *want_invstd = ref_need(c, "save_invstd", s.c);
    double terms = 0, mean_dx = 0;
    for (int64_t i = 0; i < nx; i++) {
      const int64_t ch = (i / s.hw) % s.c;
      terms += fabs(dy[i] * want_invstd->values[ch] * w[ch]) / (double)nx;
      mean_dx += fabs(want_dx->values[i]) / (double)nx;
    }
    compare_f32_scaled(what, "dx", dx, want_dx, fmax(terms, mean_dx));
    compare_f32(what, "dweight", dw, ref_need(c, "dweight", s.c));
    compare_f32(what, "dbias", db, ref_need(c, "dbias", s.c));
    count_exact(y, ref_need(c, "y", nx));
    count_exact(sm, ref_need(c, "save_mean", s.c));
    count_exact(si, ref_need(c, "save_invstd", s.c));
    count_exact(rm, ref_need(c, "running_mean_after", s.c));
    count_exact(rv, ref_need(c, "running_var_after", s.c));
    free(x), free(dy), free(w), free(b), free(rm), free(rv), free(y), free(dx), free(sm), free(si), free(dw), free(db);
  }
  /* double */
  {
    double *x = ref_copy_f64(ref_need(c, "x", nx)), *dy = ref_copy_f64(ref_need(c, "dy", nx));
    double *w = ref_copy_f64(ref_need(c, "weight", s.c)), *b = ref_copy_f64(ref_need(c, "bias", s.c));
    double *rm = ref_copy_f64(ref_need(c, "running_mean", s.c)), *rv = ref_copy_f64(ref_need(c, "running_var", s.c));
    double *y = malloc(sizeof(double) * (size_t)nx), *dx = malloc(sizeof(double) * (size_t)nx);
    double *sm = malloc(sizeof(double) * (size_t)s.c), *si = malloc(sizeof(double) * (size_t)s.c);
    double *dw = malloc(sizeof(double) * (size_t)s.c), *db = malloc(sizeof(double) * (size_t)s.c);
    const mgrt_batch_norm_f64 bn = {w, b, rm, rv, sm, si};
    int ok = mgrt_batch_norm_forward_eval_f64(&s, &bn, y, x) == 0;
    ref_check(ok, what, "evaluation forward (f64) failed");
    compare_f64(what, "y_eval_f64", y, ref_need(c, "y_eval_f64", nx));
    ok = mgrt_batch_norm_forward_train_f64(&s, &bn, y, x) == 0 &&
         mgrt_batch_norm_backward_f64(&s, &bn, dx, dw, db, dy, x) == 0;
    ref_check(ok, what, "training forward or backward (f64) failed");
    compare_f64(what, "y_f64", y, ref_need(c, "y_f64", nx));
    compare_f64(what, "save_mean_f64", sm, ref_need(c, "save_mean_f64", s.c));
    compare_f64(what, "save_invstd_f64", si, ref_need(c, "save_invstd_f64", s.c));
    compare_f64(what, "running_mean_after_f64", rm, ref_need(c, "running_mean_after_f64", s.c));
    compare_f64(what, "running_var_after_f64", rv, ref_need(c, "running_var_after_f64", s.c));
    compare_f64(what, "dx_f64", dx, ref_need(c, "dx_f64", nx));
    compare_f64(what, "dweight_f64", dw, ref_need(c, "dweight_f64", s.c));
    compare_f64(what, "dbias_f64", db, ref_need(c, "dbias_f64", s.c));
    free(x), free(dy), free(w), free(b), free(rm), free(rv), free(y), free(dx), free(sm), free(si), free(dw), free(db);
  }
}

/* sum(r * batch_norm_train(x)) */
static double loss_f64(const mgrt_batch_norm_shape *s, const double *x, const double *w, const double *b,
                       const double *r, double *y, double *sm, double *si) {
  const mgrt_batch_norm_f64 bn = {w, b, NULL, NULL, sm, si};
  mgrt_batch_norm_forward_train_f64(s, &bn, y, x);
  double sum = 0;
  for (int64_t i = 0; i < s->n * s->c * s->hw; i++) sum += r[i] * y[i];
  return sum;
}

static double fd_error(const mgrt_batch_norm_shape *s, double *v, int64_t n, const double *grad, const double *x,
                       const double *w, const double *b, const double *r, double *y, double *sm, double *si) {
  const double h = 1e-5;
  double worst = 0;
  for (int64_t i = 0; i < n; i++) {
    const double keep = v[i];
    v[i] = keep + h;
    const double up = loss_f64(s, x, w, b, r, y, sm, si);
    v[i] = keep - h;
    const double down = loss_f64(s, x, w, b, r, y, sm, si);
    v[i] = keep;
    worst = fmax(worst, fabs((up - down) / (2 * h) - grad[i]) / (fabs(grad[i]) + 1));
  }
  return worst;
}

static void test_gradcheck(const mgrt_batch_norm_shape *s) {
  char what[128], msg[160];
  snprintf(what, sizeof what, "gradcheck batch norm [%lld, %lld] x %lld", (long long)s->n, (long long)s->c,
           (long long)s->hw);
  const int64_t nx = s->n * s->c * s->hw;
  double *x = malloc(sizeof(double) * (size_t)nx), *r = malloc(sizeof(double) * (size_t)nx);
  double *y = malloc(sizeof(double) * (size_t)nx), *dx = malloc(sizeof(double) * (size_t)nx);
  double *w = malloc(sizeof(double) * (size_t)s->c), *b = malloc(sizeof(double) * (size_t)s->c);
  double *dw = malloc(sizeof(double) * (size_t)s->c), *db = malloc(sizeof(double) * (size_t)s->c);
  double *sm = malloc(sizeof(double) * (size_t)s->c), *si = malloc(sizeof(double) * (size_t)s->c);
  for (int64_t i = 0; i < nx; i++) x[i] = 2 * rand_unit() + 0.3, r[i] = rand_unit();
  for (int64_t i = 0; i < s->c; i++) w[i] = 1 + 0.5 * rand_unit(), b[i] = rand_unit();
  loss_f64(s, x, w, b, r, y, sm, si);
  const mgrt_batch_norm_f64 bn = {w, b, NULL, NULL, sm, si};
  mgrt_batch_norm_backward_f64(s, &bn, dx, dw, db, r, x);
  const double ex = fd_error(s, x, nx, dx, x, w, b, r, y, sm, si);
  const double ew = fd_error(s, w, s->c, dw, x, w, b, r, y, sm, si);
  const double eb = fd_error(s, b, s->c, db, x, w, b, r, y, sm, si);
  snprintf(msg, sizeof msg, "finite differences differ: x %.2g, weight %.2g, bias %.2g", ex, ew, eb);
  ref_check(ex < 1e-6 && ew < 1e-6 && eb < 1e-6, what, msg);
  free(x), free(r), free(y), free(dx), free(w), free(b), free(dw), free(db), free(sm), free(si);
}

#ifdef _OPENMP
static void test_threads(int64_t hw) {
  const mgrt_batch_norm_shape s = {hw == 1 ? 3136 : 16, 32, hw, 1e-5, 0.1};
  const int64_t nx = s.n * s.c * s.hw;
  float *x = malloc(sizeof(float) * (size_t)nx), *dy = malloc(sizeof(float) * (size_t)nx);
  for (int64_t i = 0; i < nx; i++) x[i] = (float)rand_unit(), dy[i] = (float)rand_unit();
  float *out[2][7];
  for (int t = 0; t < 2; t++) {
    omp_set_num_threads(t + 1);
    const int64_t sizes[7] = {nx, nx, s.c, s.c, s.c, s.c, s.c};
    for (int i = 0; i < 7; i++) out[t][i] = malloc(sizeof(float) * (size_t)sizes[i]);
    for (int64_t i = 0; i < s.c; i++) out[t][4][i] = 0, out[t][5][i] = 1;
    const mgrt_batch_norm bn = {NULL, NULL, out[t][4], out[t][5], out[t][2], out[t][3]};
    mgrt_batch_norm_forward_train(&s, &bn, out[t][0], x);
    mgrt_batch_norm_backward(&s, &bn, out[t][1], out[t][6], NULL, dy, x);
  }
  int same = 1;
  for (int i = 0; i < 7; i++) same &= memcmp(out[0][i], out[1][i], sizeof(float) * (size_t)(i < 2 ? nx : s.c)) == 0;
  ref_check(same, hw == 1 ? "threads [n, c]" : "threads [n, c, h, w]", "2 threads differ from 1");
  for (int t = 0; t < 2; t++)
    for (int i = 0; i < 7; i++) free(out[t][i]);
  free(x), free(dy);
}
#endif

static void test_errors(void) {
  float x[8] = {1, 2, 3, 4, 5, 6, 7, 8}, y[8], sm[4] = {7, 7, 7, 7}, si[4], rm[4] = {0}, rv[4] = {1, 1, 1, 1};
  for (int i = 0; i < 8; i++) y[i] = 7;
  const mgrt_batch_norm bn = {NULL, NULL, rm, rv, sm, si};
  /* one value per channel: PyTorch refuses to train on it */
  const mgrt_batch_norm_shape single = {1, 4, 1, 1e-5, 0.1};
  int status = mgrt_batch_norm_forward_train(&single, &bn, y, x);
  ref_check(status == -1 && y[0] == 7 && sm[0] == 7 && rm[0] == 0 &&
            strstr(mgrt_last_error(), "expected more than 1 value per channel when training, got 1") != NULL,
        "a batch of one row in training", mgrt_last_error());
  ref_check(mgrt_batch_norm_backward(&single, &bn, y, NULL, NULL, x, x) == -1 && y[0] == 7,
        "a batch of one row in the backward pass", mgrt_last_error());
  /* evaluation of the same row is fine */
  ref_check(mgrt_batch_norm_forward_eval(&single, &bn, y, x) == 0 && y[0] != 7, "a batch of one row in evaluation",
        mgrt_last_error());
  const mgrt_batch_norm no_running = {NULL, NULL, NULL, NULL, sm, si};
  ref_check(mgrt_batch_norm_forward_eval(&single, &no_running, y, x) == -1 &&
            strstr(mgrt_last_error(), "running_mean and running_var are needed") != NULL,
        "evaluation without running statistics", mgrt_last_error());
  const mgrt_batch_norm_shape bad_eps = {2, 4, 1, -1, 0.1};
  ref_check(mgrt_batch_norm_forward_train(&bad_eps, &bn, y, x) == -1 && strstr(mgrt_last_error(), "eps -1") != NULL,
        "negative eps", mgrt_last_error());
  const mgrt_batch_norm_shape no_channels = {2, 0, 1, 1e-5, 0.1};
  ref_check(mgrt_batch_norm_forward_eval(&no_channels, &bn, y, x) == -1 && strstr(mgrt_last_error(), "out of range") != NULL,
        "no channels", mgrt_last_error());
}

int main(int argc, char **argv) {
  ref_rng_seed(0x243F6A8885A308D3u);
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
    if (strcmp(c.op, "batch_norm") == 0) {
      test_reference(&c);
      cases++;
    }
    ref_free(&c);
  }
  fclose(f);
  ref_check(cases >= 8, "reference file", "fewer than 8 batch_norm cases");
  printf("PyTorch cases: %d, largest error float %.3g, double %.3g; float forward outputs and statistics "
         "equal to PyTorch's: %d of %d\n",
         cases, worst_f32, worst_f64, stats_exact, stats_total);
  /* the statistics and the forward outputs are PyTorch's bits, not just
     close: every operation rounds as its kernel's does */
  ref_check(stats_exact == stats_total, "bits of PyTorch's forward", "some float values differ from PyTorch's");

  const mgrt_batch_norm_shape grads[] = {
      {5, 3, 1, 1e-5, 0.1}, {2, 1, 1, 1e-5, 0.1}, {2, 3, 6, 1e-5, 0.1}, {1, 2, 9, 1e-3, 0.1}, {3, 2, 4, 0, 0.1},
  };
  for (size_t i = 0; i < sizeof grads / sizeof grads[0]; i++) test_gradcheck(&grads[i]);
#ifdef _OPENMP
  test_threads(1);
  test_threads(196);
#endif
  test_errors();
  return ref_report();
}
