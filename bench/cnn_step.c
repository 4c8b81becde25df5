/*
** cnn_step.c — the lab 10 CNN's training step written by hand on libmgrt,
** calling its kernels as a generated program would, so that the step's
** speed can be measured against PyTorch's before the compiler emits
** convolutions (bench/run.sh runs it next to examples/lab10_cnn.mg's
** program once that exists).
**
** The network (batch 100, images 1 x 28 x 28, 10 classes):
**   conv1 1 -> 32, 3x3, padding 1, + bias, ReLU, max_pool 2   [100, 32, 14, 14]
**   conv2 32 -> 64, 3x3, padding 1, + bias, ReLU, max_pool 2  [100, 64, 7, 7]
**   flatten, linear 3136 -> 10 (+ bias), softmax cross-entropy (mean)
**   Adam, lr 0.001, over the six parameters laid out one after the other
** One step: the forward pass to the loss, the backward pass (no gradient
** for the images), Adam's update; the same kernels as the generated C:
** mgrt_conv2d_*, mgrt_max_pool2d_*, mgrt_matmul_nt_softmax_ce (the last
** layer, its softmax, loss and gradient in one call), mgrt_matmul_tn/_nn,
** mgrt_adam_update, and plain loops for the ReLUs, their gradients and
** the linear layer's bias gradient.
**
** The data are synthetic (a fixed generator: pixels in [0, 1], labels 0..9,
** ten batches used in turn): a step's time does not depend on the values.
**
** Build (libmgrt built by CMake with MGC_NATIVE=ON and OpenMP):
**   cc -O3 -march=native -std=c11 -fopenmp -Iruntime bench/cnn_step.c \
**      build/libmgrt.a -lz -lm -o cnn_step
** Run: ./cnn_step [--threads T] [--steps S]     (default 1 thread, 600 steps)
**
** Five warm-up steps, then S timed steps (600: one epoch of 60000 images).
** Prints the generated programs' --bench line,
**   bench: steps S step_us_median M step_us_min L samples_per_s R threads T
** and a second line with the mean microseconds a step spends in each kind
** of kernel:
**   parts: conv_us C pool_us P relu_us R linear_loss_us L adam_us A
*/
#define _POSIX_C_SOURCE 199309L
#include "mgrt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { BATCH = 100, CLASSES = 10, BATCHES = 10, WARMUP = 5 };
enum { C1 = 32, C2 = 64, FLAT = C2 * 7 * 7 };

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

static int cmp_double(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fprintf(stderr, "cnn_step: out of memory\n");
    exit(2);
  }
  return p;
}

static float *floats(int64_t n) { return xcalloc((size_t)n, sizeof(float)); }

/* xorshift64*: the synthetic data and the initial weights */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static double uniform(void) {
  rng_state ^= rng_state >> 12, rng_state ^= rng_state << 25, rng_state ^= rng_state >> 27;
  return (double)((rng_state * 0x2545F4914F6CDD1Du) >> 11) * 0x1p-53;
}
static void fill_uniform(float *p, int64_t n, double bound) {
  for (int64_t i = 0; i < n; i++) p[i] = (float)((2 * uniform() - 1) * bound);
}

static int check(int status, const char *what) {
  if (status != 0) {
    fprintf(stderr, "cnn_step: %s: %s\n", what, mgrt_last_error());
    exit(1);
  }
  return status;
}

/* The parts of the step, timed one call at a time. */
enum { PART_CONV, PART_POOL, PART_RELU, PART_LINEAR, PART_ADAM, PARTS };
static double part_us[PARTS], part_t0;
static void part_start(void) { part_t0 = now_us(); }
static void part_end(int part) { part_us[part] += now_us() - part_t0; }

int main(int argc, char **argv) {
  int threads = 1, steps = 600;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = atoi(argv[++i]);
    else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc) steps = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: %s [--threads T] [--steps S]\n", argv[0]);
      return 2;
    }
  }
  if (threads < 1 || steps < 1) {
    fprintf(stderr, "cnn_step: --threads and --steps take a positive number\n");
    return 2;
  }
  threads = mgrt_threads_set(threads);

  const mgrt_conv2d_shape c1 = {BATCH, 1, 28, 28, C1, 3, 3, 1, 1, 1, 1};
  const mgrt_conv2d_shape c2 = {BATCH, C1, 14, 14, C2, 3, 3, 1, 1, 1, 1};
  const mgrt_pool2d_shape p1 = {BATCH, C1, 28, 28, 2, 2, 2, 2, 0, 0};
  const mgrt_pool2d_shape p2 = {BATCH, C2, 14, 14, 2, 2, 2, 2, 0, 0};
  const int64_t n_x = BATCH * 28 * 28, n_r1 = BATCH * C1 * 28 * 28, n_q1 = BATCH * C1 * 14 * 14;
  const int64_t n_r2 = BATCH * C2 * 14 * 14, n_q2 = BATCH * FLAT;

  /* the parameters, one after the other (Adam's one pass), and their
     gradients and Adam's state laid out the same way */
  const int64_t sizes[6] = {C1 * 9, C1, C2 * C1 * 9, C2, CLASSES * FLAT, CLASSES};
  int64_t total = 0, at[6];
  for (int i = 0; i < 6; i++) at[i] = total, total += sizes[i];
  float *param = floats(total), *grad = floats(total), *m1 = floats(total), *m2 = floats(total);
  float *w1 = param + at[0], *b1 = param + at[1], *w2 = param + at[2], *b2 = param + at[3];
  float *w3 = param + at[4], *b3 = param + at[5];
  float *dw1 = grad + at[0], *db1 = grad + at[1], *dw2 = grad + at[2], *db2 = grad + at[3];
  float *dw3 = grad + at[4], *db3 = grad + at[5];
  /* PyTorch's default bounds for the convolutions, xavier_uniform_ for the linear weight */
  fill_uniform(w1, sizes[0], 1 / sqrt(9.0));
  fill_uniform(b1, sizes[1], 1 / sqrt(9.0));
  fill_uniform(w2, sizes[2], 1 / sqrt(288.0));
  fill_uniform(b2, sizes[3], 1 / sqrt(288.0));
  fill_uniform(w3, sizes[4], sqrt(6.0 / (FLAT + CLASSES)));
  fill_uniform(b3, sizes[5], 1 / sqrt((double)FLAT));

  /* the data: BATCHES batches used in turn */
  float *images = floats(BATCHES * n_x);
  int64_t *labels = xcalloc(BATCHES * BATCH, sizeof(int64_t));
  for (int64_t i = 0; i < BATCHES * n_x; i++) images[i] = (float)uniform();
  for (int64_t i = 0; i < BATCHES * BATCH; i++) labels[i] = (int64_t)(uniform() * CLASSES) % CLASSES;

  /* the activations and their gradients */
  float *r1 = floats(n_r1), *q1 = floats(n_q1), *r2 = floats(n_r2), *q2 = floats(n_q2);
  float *dlogits = floats(BATCH * CLASSES), *dq2 = floats(n_q2), *dr2 = floats(n_r2);
  float *dq1 = floats(n_q1), *dr1 = floats(n_r1);
  int64_t scratch_elems = mgrt_conv2d_scratch_elems(&c1);
  if (mgrt_conv2d_scratch_elems(&c2) > scratch_elems) scratch_elems = mgrt_conv2d_scratch_elems(&c2);
  float *scratch = floats(scratch_elems);

  const double beta1 = 0.9, beta2 = 0.999, lr = 0.001;
  double *times = xcalloc((size_t)steps, sizeof(double));
  double loss_sink = 0;
  for (int s = -WARMUP; s < steps; s++) {
    const int64_t batch = (s + WARMUP) % BATCHES;
    const float *x = images + batch * n_x;
    const int64_t *y = labels + batch * BATCH;
    if (s == 0) memset(part_us, 0, sizeof part_us);
    const double t0 = now_us();
    /* ---- forward ---- */
    part_start();
    check(mgrt_conv2d_forward(&c1, r1, x, w1, b1, scratch, scratch_elems), "conv1");
    part_end(PART_CONV);
    part_start();
    for (int64_t i = 0; i < n_r1; i++) r1[i] = r1[i] > 0 ? r1[i] : 0;
    part_end(PART_RELU);
    part_start();
    check(mgrt_max_pool2d_forward(&p1, q1, r1), "pool1");
    part_end(PART_POOL);
    part_start();
    check(mgrt_conv2d_forward(&c2, r2, q1, w2, b2, scratch, scratch_elems), "conv2");
    part_end(PART_CONV);
    part_start();
    for (int64_t i = 0; i < n_r2; i++) r2[i] = r2[i] > 0 ? r2[i] : 0;
    part_end(PART_RELU);
    part_start();
    check(mgrt_max_pool2d_forward(&p2, q2, r2), "pool2");
    part_end(PART_POOL);
    part_start();
    loss_sink += mgrt_matmul_nt_softmax_ce(NULL, dlogits, (float)BATCH, q2, w3, b3, 1, y, BATCH, FLAT,
                                           CLASSES);
    /* ---- backward ---- */
    mgrt_matmul_tn(dw3, dlogits, q2, CLASSES, BATCH, FLAT);
    for (int64_t j = 0; j < CLASSES; j++) {
      float sum = 0;
      for (int64_t i = 0; i < BATCH; i++) sum += dlogits[i * CLASSES + j];
      db3[j] = sum;
    }
    mgrt_matmul_nn(dq2, dlogits, w3, BATCH, CLASSES, FLAT);
    part_end(PART_LINEAR);
    part_start();
    check(mgrt_max_pool2d_backward(&p2, dr2, dq2, r2), "pool2 backward");
    part_end(PART_POOL);
    part_start();
    for (int64_t i = 0; i < n_r2; i++) dr2[i] = r2[i] > 0 ? dr2[i] : 0;
    part_end(PART_RELU);
    part_start();
    check(mgrt_conv2d_backward_weight(&c2, dw2, db2, dr2, q1, scratch, scratch_elems), "conv2 weight");
    check(mgrt_conv2d_backward_input(&c2, dq1, dr2, w2, scratch, scratch_elems), "conv2 input");
    part_end(PART_CONV);
    part_start();
    check(mgrt_max_pool2d_backward(&p1, dr1, dq1, r1), "pool1 backward");
    part_end(PART_POOL);
    part_start();
    for (int64_t i = 0; i < n_r1; i++) dr1[i] = r1[i] > 0 ? dr1[i] : 0;
    part_end(PART_RELU);
    part_start();
    check(mgrt_conv2d_backward_weight(&c1, dw1, db1, dr1, x, scratch, scratch_elems), "conv1 weight");
    part_end(PART_CONV);
    /* ---- Adam ---- */
    part_start();
    const double t = (double)(s + WARMUP + 1);
    const double bc1 = 1 - pow(beta1, t), bc2 = 1 - pow(beta2, t);
    const mgrt_adam_f32 h = {(float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
                             (float)1e-8, 0, (float)(lr / bc1), (float)sqrt(bc2)};
    mgrt_adam_update(param, grad, m1, m2, total, &h);
    part_end(PART_ADAM);
    if (s >= 0) times[s] = now_us() - t0;
  }
  qsort(times, (size_t)steps, sizeof times[0], cmp_double);
  const double median = steps % 2 ? times[steps / 2] : (times[steps / 2 - 1] + times[steps / 2]) / 2;
  printf("bench: steps %d step_us_median %.3f step_us_min %.3f samples_per_s %.0f threads %d\n", steps,
         median, times[0], BATCH / (median * 1e-6), threads);
  printf("parts: conv_us %.1f pool_us %.1f relu_us %.1f linear_loss_us %.1f adam_us %.1f\n",
         part_us[PART_CONV] / steps, part_us[PART_POOL] / steps, part_us[PART_RELU] / steps,
         part_us[PART_LINEAR] / steps, part_us[PART_ADAM] / steps);
  if (!isfinite(loss_sink)) fprintf(stderr, "cnn_step: the loss is not finite\n");
  free(param), free(grad), free(m1), free(m2), free(images), free(labels);
  free(r1), free(q1), free(r2), free(q2), free(dlogits), free(dq2), free(dr2), free(dq1), free(dr1);
  free(scratch), free(times);
  return 0;
}
