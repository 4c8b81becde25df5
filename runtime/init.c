/*
** init.c — torch.nn.init and nn.Linear's default initialisation (PyTorch 1.13).
**
** The draws come from rng.c; what this file adds is the bounds and standard
** deviations, computed in double with the same operations, in the same order,
** as torch/nn/init.py and torch/nn/modules/linear.py, so that the float the
** kernel finally sees is the one PyTorch passes.  Like rng.c it is built with
** -ffp-contract=off, so that no multiply-add is fused that Python does not fuse.
*/
#include "mgrt.h"

#include <math.h>

/* calculate_gain('leaky_relu', slope).  Python evaluates slope ** 2 with the C
   library's pow, and 1 + ... as a double. */
static double leaky_relu_gain(double slope) {
  return sqrt(2.0 / (1.0 + pow(slope, 2.0)));
}

/* init.uniform_(tensor, a, b) is tensor.uniform_(a, b). */
void mgrt_init_uniform(mgrt_rng *rng, float *out, int64_t n, double a, double b) {
  mgrt_rng_uniform(rng, out, n, a, b);
}

/* init.normal_(tensor, mean, std) is tensor.normal_(mean, std). */
void mgrt_init_normal(mgrt_rng *rng, float *out, int64_t n, double mean, double std) {
  mgrt_rng_normal(rng, out, n, mean, std);
}

/* gain * math.sqrt(2.0 / float(fan_in + fan_out)): the fans are added as
   integers before the conversion. */
static double xavier_std(int64_t fan_in, int64_t fan_out, double gain) {
  return gain * sqrt(2.0 / (double)(fan_in + fan_out));
}

void mgrt_init_xavier_uniform(mgrt_rng *rng, float *out, int64_t n,
                              int64_t fan_in, int64_t fan_out, double gain) {
  const double a = sqrt(3.0) * xavier_std(fan_in, fan_out, gain);
  mgrt_rng_uniform(rng, out, n, -a, a);
}

void mgrt_init_xavier_normal(mgrt_rng *rng, float *out, int64_t n,
                             int64_t fan_in, int64_t fan_out, double gain) {
  mgrt_rng_normal(rng, out, n, 0.0, xavier_std(fan_in, fan_out, gain));
}

/* gain / math.sqrt(fan) for mode='fan_in', nonlinearity='leaky_relu'. */
static double kaiming_std(int64_t fan_in, double a) {
  return leaky_relu_gain(a) / sqrt((double)fan_in);
}

void mgrt_init_kaiming_uniform(mgrt_rng *rng, float *out, int64_t n, int64_t fan_in, double a) {
  const double bound = sqrt(3.0) * kaiming_std(fan_in, a);
  mgrt_rng_uniform(rng, out, n, -bound, bound);
}

void mgrt_init_kaiming_normal(mgrt_rng *rng, float *out, int64_t n, int64_t fan_in, double a) {
  mgrt_rng_normal(rng, out, n, 0.0, kaiming_std(fan_in, a));
}

/* Linear.reset_parameters: kaiming_uniform_(weight, a=math.sqrt(5)), then
   bias.uniform_(-b, b) with b = 1 / math.sqrt(fan_in).  The two bounds agree
   in float32 although the kaiming one is often 1 ulp lower in double; both
   are computed the Python way anyway.  The weight is drawn before the bias. */
void mgrt_init_linear(mgrt_rng *rng, float *weight, float *bias, int64_t in, int64_t out) {
  mgrt_init_kaiming_uniform(rng, weight, in * out, in, sqrt(5.0));
  if (bias == NULL) return;
  const double bound = in > 0 ? 1.0 / sqrt((double)in) : 0.0;
  mgrt_rng_uniform(rng, bias, out, -bound, bound);
}
