/*
** sgd.c — torch.optim.SGD's update (momentum, weight decay, Nesterov) in one
** pass over contiguous parameter, gradient and momentum memory: the
** generated program lays every trained parameter out one after the other
** (compiler/emit/program/memory.c) and updates them all in one call.
**
** The arithmetic is the loop the generated program wrote per parameter
** before it had that layout, operation for operation:
**
**     d_p = grad[i]                        (+ weight_decay * param[i] by fmaf)
**     buf[i] = first_step ? d_p : buf[i] * momentum + d_p
**     d_p = nesterov ? fmaf(momentum, buf[i], d_p) : buf[i]
**     param[i] = fmaf(neg_lr, d_p, param[i])
**
** so the results are the same bits; as for adam.c, that needs this file
** compiled with -ffp-contract=off (CMake sets it), so that buf * momentum +
** d_p stays two roundings.  The cases are separate loops, chosen once per
** call, so that each vectorizes without a test per element; every element
** is on its own, so threads (OpenMP, from MGRT_SGD_PARALLEL_MIN elements)
** split the range without changing a bit.
*/
#include "mgrt.h"

#include <math.h>

/* Below this many elements one thread does it (adam.c's bound). */
#ifndef MGRT_SGD_PARALLEL_MIN
#define MGRT_SGD_PARALLEL_MIN 65536
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
   loop outside any parallel region (as in adam.c). */
#define MGRT_EACH(...)                                                                             \
  if (par) {                                                                                       \
    MGRT_OMP(omp parallel for schedule(static))                                                    \
    for (int64_t i = 0; i < n; i++) { __VA_ARGS__ }                                                \
  } else {                                                                                         \
    for (int64_t i = 0; i < n; i++) { __VA_ARGS__ }                                                \
  }

/* One loop of the update: WD, MOM (momentum, FIRST its first step) and NEST
   are constants at each use, so each case compiles to its own loop. */
#define MGRT_SGD_LOOP(T, FMA, WD, MOM, FIRST, NEST)                                                 \
  MGRT_EACH(T d_p = grad[i];                                                                       \
            if (WD)                                                                                \
              d_p = FMA(wd, param[i], d_p);                                                        \
            if (MOM) {                                                                             \
              buf[i] = (FIRST) ? d_p : buf[i] * mom + d_p;                                         \
              d_p = (NEST) ? FMA(mom, buf[i], d_p) : buf[i];                                       \
            }                                                                                      \
            param[i] = FMA(neg_lr, d_p, param[i]);)

#define MGRT_SGD(name, T, FMA, S)                                                                  \
  void name(T *restrict param, const T *restrict grad, T *restrict buf, int64_t n, const S *h) {   \
    const T neg_lr = h->neg_lr, mom = h->momentum, wd = h->weight_decay;                           \
    const int par = n >= MGRT_SGD_PARALLEL_MIN && MGRT_OMP_THREADS() > 1;                          \
    const int with_wd = wd != 0, first = h->first_step;                                            \
    if (mom == 0) {                                                                                \
      if (with_wd) { MGRT_SGD_LOOP(T, FMA, 1, 0, 0, 0) }                                           \
      else { MGRT_SGD_LOOP(T, FMA, 0, 0, 0, 0) }                                                   \
    } else if (first) { /* the buffer starts as the first step's d_p */                            \
      if (h->nesterov) { MGRT_SGD_LOOP(T, FMA, with_wd, 1, 1, 1) }                                 \
      else { MGRT_SGD_LOOP(T, FMA, with_wd, 1, 1, 0) }                                             \
    } else if (h->nesterov) {                                                                      \
      if (with_wd) { MGRT_SGD_LOOP(T, FMA, 1, 1, 0, 1) }                                           \
      else { MGRT_SGD_LOOP(T, FMA, 0, 1, 0, 1) }                                                   \
    } else {                                                                                       \
      if (with_wd) { MGRT_SGD_LOOP(T, FMA, 1, 1, 0, 0) }                                           \
      else { MGRT_SGD_LOOP(T, FMA, 0, 1, 0, 0) }                                                   \
    }                                                                                              \
  }

MGRT_SGD(mgrt_sgd_update, float, fmaf, mgrt_sgd_f32)
MGRT_SGD(mgrt_sgd_update_f64, double, fma, mgrt_sgd_f64)
