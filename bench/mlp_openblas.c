/*
** mlp_openblas.c — the lab 9 MLP's training step (784-256-256-10, ReLU,
** softmax cross-entropy, Adam lr 0.001, batch 100) written by hand in C
** with OpenBLAS, the way a C programmer would write it without mgc: three
** cblas_sgemm calls forward, five backward (no gradient for the input),
** plain loops for the bias, ReLU, softmax and Adam.  bench/run.sh times it
** next to the mgc program, as the reference for what the step costs done by
** hand with a tuned BLAS.
**
** The arithmetic is the step's: forward z1 = x W1^T + b1, h1 = relu(z1),
** z2 = h1 W2^T + b2, h2 = relu(z2), z3 = h2 W3^T + b3; the mean
** cross-entropy over the batch; its gradient (softmax - onehot) / batch;
** backward dW3 = G3^T h2, db3 = sum G3, G2 = (G3 W3) * (z2 > 0), ...; Adam
** with PyTorch's bias corrections.  The data are 50 batches of synthetic
** values in [0, 1) with random labels, taken in turn (the time of these
** operations does not depend on the values, as long as the gradients do
** not die out, which random labels prevent: one batch repeated 600 times
** would be learnt and its tiny gradients could turn subnormal), weights
** from a fixed generator at the scale of xavier_uniform.
**
** Build: cc -O3 -march=native -std=c11 bench/mlp_openblas.c -lopenblas -lm
** Run:   ./mlp_openblas [--threads T] [--steps S]
** Prints the line the generated programs' --bench prints:
**   bench: steps S step_us_median M step_us_min L samples_per_s R threads T
** (threads: OpenBLAS's thread count; the loops run on one thread).
*/
#define _POSIX_C_SOURCE 199309L
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

enum { B = 100, D0 = 784, D1 = 256, D2 = 256, D3 = 10, BATCHES = 50 };

typedef struct {
  float *w, *b, *gw, *gb, *mw, *vw, *mb, *vb;
  int in, out;
} layer;

static uint64_t seed = 0x9E3779B97F4A7C15u;
static float uniform01(void) { /* xorshift64*: reproducible values */
  seed ^= seed >> 12;
  seed ^= seed << 25;
  seed ^= seed >> 27;
  return (float)((seed * 0x2545F4914F6CDD1Du) >> 40) * 0x1p-24f;
}

static float *zeros(size_t n) {
  float *p = calloc(n, sizeof(float));
  if (!p) {
    fprintf(stderr, "mlp_openblas: out of memory\n");
    exit(2);
  }
  return p;
}

static void layer_init(layer *l, int in, int out) {
  const float bound = sqrtf(6.0f / (float)(in + out));
  l->in = in, l->out = out;
  l->w = zeros((size_t)in * out), l->gw = zeros((size_t)in * out);
  l->mw = zeros((size_t)in * out), l->vw = zeros((size_t)in * out);
  l->b = zeros((size_t)out), l->gb = zeros((size_t)out);
  l->mb = zeros((size_t)out), l->vb = zeros((size_t)out);
  for (int i = 0; i < in * out; i++) l->w[i] = (2 * uniform01() - 1) * bound;
}

/* y = x W^T + b (x: B x in, W: out x in) */
static void linear(const layer *l, const float *x, float *y) {
  for (int r = 0; r < B; r++) memcpy(y + r * l->out, l->b, sizeof(float) * (size_t)l->out);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, l->out, l->in, 1.0f, x, l->in, l->w, l->in,
              1.0f, y, l->out);
}

static void relu(const float *z, float *h, int n) {
  for (int i = 0; i < n; i++) h[i] = z[i] > 0 ? z[i] : 0;
}

/* dW = G^T x, db = column sums of G, and dx = G W when wanted */
static void linear_backward(const layer *l, const float *x, const float *g, float *dx) {
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, l->out, l->in, B, 1.0f, g, l->out, x, l->in,
              0.0f, l->gw, l->in);
  for (int j = 0; j < l->out; j++) l->gb[j] = 0;
  for (int r = 0; r < B; r++)
    for (int j = 0; j < l->out; j++) l->gb[j] += g[r * l->out + j];
  if (dx)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, l->in, l->out, 1.0f, g, l->out, l->w,
                l->in, 0.0f, dx, l->in);
}

static void relu_backward(const float *z, float *g, int n) {
  for (int i = 0; i < n; i++) g[i] = z[i] > 0 ? g[i] : 0;
}

static void adam(float *p, const float *g, float *m, float *v, int n, float step_size, float bc2_sqrt) {
  for (int i = 0; i < n; i++) {
    m[i] = 0.9f * m[i] + 0.1f * g[i];
    v[i] = 0.999f * v[i] + 0.001f * g[i] * g[i];
    p[i] -= step_size * m[i] / (sqrtf(v[i]) / bc2_sqrt + 1e-8f);
  }
}

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

static int cmp_double(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int threads = 1, steps = 600;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--steps") && i + 1 < argc)
      steps = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: %s [--threads T] [--steps S]\n", argv[0]);
      return 2;
    }
  }
  if (threads < 1 || steps < 1) {
    fprintf(stderr, "%s: --threads and --steps want a positive number\n", argv[0]);
    return 2;
  }
  openblas_set_num_threads(threads);
  layer l1, l2, l3;
  layer_init(&l1, D0, D1);
  layer_init(&l2, D1, D2);
  layer_init(&l3, D2, D3);
  float *xs = zeros((size_t)BATCHES * B * D0);
  static int ys[BATCHES][B];
  for (size_t i = 0; i < (size_t)BATCHES * B * D0; i++) xs[i] = uniform01();
  for (int q = 0; q < BATCHES; q++)
    for (int r = 0; r < B; r++) ys[q][r] = (int)(uniform01() * D3);
  float *z1 = zeros(B * D1), *h1 = zeros(B * D1), *z2 = zeros(B * D2), *h2 = zeros(B * D2);
  float *z3 = zeros(B * D3), *g3 = zeros(B * D3), *g2 = zeros(B * D2), *g1 = zeros(B * D1);
  double *times = malloc(sizeof(double) * (size_t)steps);
  if (!times) return 2;
  double loss = 0;
  for (int s = -5; s < steps; s++) {
    const int q = (s + 5) % BATCHES; /* the batch, chosen outside the timer */
    const float *x = xs + (size_t)q * B * D0;
    const int *y = ys[q];
    const double t0 = now_us();
    linear(&l1, x, z1);
    relu(z1, h1, B * D1);
    linear(&l2, h1, z2);
    relu(z2, h2, B * D2);
    linear(&l3, h2, z3);
    loss = 0; /* softmax cross-entropy and its gradient */
    for (int r = 0; r < B; r++) {
      const float *zr = z3 + r * D3;
      float mx = zr[0], sum = 0;
      for (int c = 1; c < D3; c++) mx = zr[c] > mx ? zr[c] : mx;
      for (int c = 0; c < D3; c++) sum += expf(zr[c] - mx);
      loss += (double)(logf(sum) - (zr[y[r]] - mx)) / B;
      for (int c = 0; c < D3; c++)
        g3[r * D3 + c] = (expf(zr[c] - mx) / sum - (c == y[r] ? 1.0f : 0.0f)) / B;
    }
    linear_backward(&l3, h2, g3, g2);
    relu_backward(z2, g2, B * D2);
    linear_backward(&l2, h1, g2, g1);
    relu_backward(z1, g1, B * D1);
    linear_backward(&l1, x, g1, NULL);
    const int t = s + 6; /* Adam's step count, from 1 */
    const float step_size = (float)(0.001 / (1 - pow(0.9, t)));
    const float bc2_sqrt = (float)sqrt(1 - pow(0.999, t));
    layer *ls[3] = {&l1, &l2, &l3};
    for (int k = 0; k < 3; k++) {
      adam(ls[k]->w, ls[k]->gw, ls[k]->mw, ls[k]->vw, ls[k]->in * ls[k]->out, step_size, bc2_sqrt);
      adam(ls[k]->b, ls[k]->gb, ls[k]->mb, ls[k]->vb, ls[k]->out, step_size, bc2_sqrt);
    }
    const double t1 = now_us();
    if (s >= 0) times[s] = t1 - t0;
  }
  qsort(times, (size_t)steps, sizeof *times, cmp_double);
  const double med = steps % 2 ? times[steps / 2] : 0.5 * (times[steps / 2 - 1] + times[steps / 2]);
  if (!(loss == loss)) fprintf(stderr, "mlp_openblas: the loss is not a number\n");
  printf("bench: steps %d step_us_median %.3f step_us_min %.3f samples_per_s %.0f threads %d\n", steps,
         med, times[0], B / (med * 1e-6), openblas_get_num_threads());
  return 0;
}
