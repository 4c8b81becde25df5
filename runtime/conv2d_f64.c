/*
** conv2d_f64.c — 2-D convolution in double: the forward pass, the input
** gradient and the weight and bias gradients as plain loops over the
** formulas of mgrt.h.
**
** Programs compiled with --dtype=f64 exist to check gradients against
** finite differences, where clarity matters more than speed; these loops
** are also what the tests hold the float kernels of conv2d.c against.
** Sums run in a fixed order (the kernel's channels, rows and columns, or
** the images and pixels), on one thread.
*/
#include "mgrt.h"

#include <string.h>

/* x[i, ch, r, q] of an [n, c, h, w] array */
#define AT4(c, h, w, i, ch, r, q) ((((i) * (c) + (ch)) * (h) + (r)) * (w) + (q))

int mgrt_conv2d_forward_f64(const mgrt_conv2d_shape *s, double *y, const double *x,
                            const double *weight, const double *bias) {
  if (mgrt_conv2d_check(s) != 0) return -1;
  const int64_t oh = mgrt_conv2d_out_h(s), ow = mgrt_conv2d_out_w(s);
  for (int64_t i = 0; i < s->n; i++)
    for (int64_t o = 0; o < s->c_out; o++)
      for (int64_t r = 0; r < oh; r++)
        for (int64_t q = 0; q < ow; q++) {
          double sum = 0;
          for (int64_t ch = 0; ch < s->c_in; ch++)
            for (int64_t a = 0; a < s->kh; a++) {
              const int64_t ih = r * s->stride_h - s->pad_h + a;
              if (ih < 0 || ih >= s->h) continue;
              for (int64_t b = 0; b < s->kw; b++) {
                const int64_t iw = q * s->stride_w - s->pad_w + b;
                if (iw < 0 || iw >= s->w) continue;
                sum += weight[AT4(s->c_in, s->kh, s->kw, o, ch, a, b)] *
                       x[AT4(s->c_in, s->h, s->w, i, ch, ih, iw)];
              }
            }
          y[AT4(s->c_out, oh, ow, i, o, r, q)] = bias ? sum + bias[o] : sum;
        }
  return 0;
}

int mgrt_conv2d_backward_input_f64(const mgrt_conv2d_shape *s, double *dx, const double *dy,
                                   const double *weight) {
  if (mgrt_conv2d_check(s) != 0) return -1;
  const int64_t oh = mgrt_conv2d_out_h(s), ow = mgrt_conv2d_out_w(s);
  memset(dx, 0, sizeof(double) * (size_t)(s->n * s->c_in * s->h * s->w));
  /* each output gradient spread over the inputs its window read */
  for (int64_t i = 0; i < s->n; i++)
    for (int64_t o = 0; o < s->c_out; o++)
      for (int64_t r = 0; r < oh; r++)
        for (int64_t q = 0; q < ow; q++) {
          const double g = dy[AT4(s->c_out, oh, ow, i, o, r, q)];
          for (int64_t ch = 0; ch < s->c_in; ch++)
            for (int64_t a = 0; a < s->kh; a++) {
              const int64_t ih = r * s->stride_h - s->pad_h + a;
              if (ih < 0 || ih >= s->h) continue;
              for (int64_t b = 0; b < s->kw; b++) {
                const int64_t iw = q * s->stride_w - s->pad_w + b;
                if (iw < 0 || iw >= s->w) continue;
                dx[AT4(s->c_in, s->h, s->w, i, ch, ih, iw)] +=
                    weight[AT4(s->c_in, s->kh, s->kw, o, ch, a, b)] * g;
              }
            }
        }
  return 0;
}

int mgrt_conv2d_backward_weight_f64(const mgrt_conv2d_shape *s, double *dweight, double *dbias,
                                    const double *dy, const double *x) {
  if (mgrt_conv2d_check(s) != 0) return -1;
  const int64_t oh = mgrt_conv2d_out_h(s), ow = mgrt_conv2d_out_w(s);
  for (int64_t o = 0; o < s->c_out; o++) {
    for (int64_t ch = 0; ch < s->c_in; ch++)
      for (int64_t a = 0; a < s->kh; a++)
        for (int64_t b = 0; b < s->kw; b++) {
          double sum = 0;
          for (int64_t i = 0; i < s->n; i++)
            for (int64_t r = 0; r < oh; r++) {
              const int64_t ih = r * s->stride_h - s->pad_h + a;
              if (ih < 0 || ih >= s->h) continue;
              for (int64_t q = 0; q < ow; q++) {
                const int64_t iw = q * s->stride_w - s->pad_w + b;
                if (iw < 0 || iw >= s->w) continue;
                sum += dy[AT4(s->c_out, oh, ow, i, o, r, q)] * x[AT4(s->c_in, s->h, s->w, i, ch, ih, iw)];
              }
            }
          dweight[AT4(s->c_in, s->kh, s->kw, o, ch, a, b)] = sum;
        }
    if (dbias) {
      double sum = 0;
      for (int64_t i = 0; i < s->n; i++)
        for (int64_t j = 0; j < oh * ow; j++) sum += dy[(i * s->c_out + o) * oh * ow + j];
      dbias[o] = sum;
    }
  }
  return 0;
}
