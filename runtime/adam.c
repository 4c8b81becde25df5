/*
** adam.c — torch.optim.Adam's update in one pass over contiguous parameter,
** gradient and state memory: the generated program lays its parameters out
** that way (all weights and biases one after the other, their gradients
** likewise, and the two moments: compiler/emit/program/memory.c) and
** updates them in one call (update.c) instead of one loop per parameter.
**
** The arithmetic is the per-parameter loop the generated program had before,
** operation for operation:
**
**     d_p = grad[i]                          (+ weight_decay * param[i] by fmaf)
**     exp_avg[i] = fmaf(d_p, 1 - beta1, exp_avg[i] * beta1)
**     exp_avg_sq[i] = exp_avg_sq[i] * beta2 + (1 - beta2) * d_p * d_p
**     denom = sqrt(exp_avg_sq[i]) / bias_correction2_sqrt + eps
**     param[i] = param[i] + -step_size * exp_avg[i] / denom
**
** so the results are the same bits.  That needs this file compiled with
** -ffp-contract=off, as gcc compiles the generated C at -std=c11 (CMake
** sets it): a fused multiply-add where the loop has none would change
** the last bit.  The square root is sqrtf itself, which IEEE 754 rounds
** correctly, so it equals the loop's mgrt_sqrtf (an exact square root by
** Newton steps in double) in every bit; built with -fno-math-errno it is
** one vector instruction, where mgrt_sqrtf is a dozen: the update ran at
** 4.4 cycles an element, bound by that arithmetic rather than by memory
** (bench/step_bench.c).  Every element is on its own, so the threads (OpenMP, from
** MGRT_ADAM_PARALLEL_MIN elements) split the range without changing a bit.
*/
#include "mgrt.h"

#include <math.h>

/* Below this many elements one thread does it: starting the team costs
   more than the pass (the bound the per-parameter loops had). */
#ifndef MGRT_ADAM_PARALLEL_MIN
#define MGRT_ADAM_PARALLEL_MIN 65536
#endif

#ifdef _OPENMP
#include <omp.h>
#define MGRT_OMP(directive) _Pragma(#directive)
#define MGRT_OMP_THREADS() omp_get_max_threads()
#else
#define MGRT_OMP(directive)
#define MGRT_OMP_THREADS() 1
#endif

/* for (i < n) { ... }: shared between threads when `par`, otherwise a plain
   loop outside any parallel region (one thread: entering a region costs a
   call, and hides the caller from a frame-pointer profile, bench/profile.sh). */
#define MGRT_EACH(...)                                                                             \
  if (par) {                                                                                       \
    MGRT_OMP(omp parallel for schedule(static))                                                    \
    for (int64_t i = 0; i < n; i++) { __VA_ARGS__ }                                                \
  } else {                                                                                         \
    for (int64_t i = 0; i < n; i++) { __VA_ARGS__ }                                                \
  }

/* One body for float and double; the
   weight decay is a separate loop so that without it d_p is grad[i] itself,
   as in the generated loop (fmaf(0, param, -0) would be +0). */
#define MGRT_ADAM(name, T, FMA, SQRT, S)                                                           \
  void name(T *restrict param, const T *restrict grad, T *restrict exp_avg,                     \
            T *restrict exp_avg_sq, int64_t n, const S *h) {                                       \
    const T b1 = h->beta1, c1 = h->one_minus_beta1, b2 = h->beta2, c2 = h->one_minus_beta2;     \
    const T eps = h->eps, wd = h->weight_decay, step = h->step_size;                               \
    const T bc2 = h->bias_correction2_sqrt;                                                        \
    const int par = n >= MGRT_ADAM_PARALLEL_MIN && MGRT_OMP_THREADS() > 1;                         \
    if (wd != 0) {                                                                                 \
      MGRT_EACH(const T d_p = FMA(wd, param[i], grad[i]);                                          \
                exp_avg[i] = FMA(d_p, c1, exp_avg[i] * b1);                                        \
                exp_avg_sq[i] = exp_avg_sq[i] * b2 + c2 * d_p * d_p;                               \
                const T denom = SQRT(exp_avg_sq[i]) / bc2 + eps;                                   \
                param[i] = param[i] + -step * exp_avg[i] / denom;)                                 \
    } else {                                                                                       \
      MGRT_EACH(const T d_p = grad[i];                                                             \
                exp_avg[i] = FMA(d_p, c1, exp_avg[i] * b1);                                        \
                exp_avg_sq[i] = exp_avg_sq[i] * b2 + c2 * d_p * d_p;                               \
                const T denom = SQRT(exp_avg_sq[i]) / bc2 + eps;                                   \
                param[i] = param[i] + -step * exp_avg[i] / denom;)                                 \
    }                                                                                              \
  }

MGRT_ADAM(mgrt_adam_update, float, fmaf, sqrtf, mgrt_adam_f32)
MGRT_ADAM(mgrt_adam_update_f64, double, fma, sqrt, mgrt_adam_f64)
