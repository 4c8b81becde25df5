/*
** rng_dropout.c — F.dropout's masks in training, drawn in bulk.
**
** PyTorch 1.13's CPU bernoulli_(q) without MKL draws, per element, a double
** uniform from one 64-bit draw (two engine words, the first the high half;
** its low 53 bits times 2^-53) and keeps the element when it is below q =
** 1 - p.  Element by element that is two calls into the engine and a
** conversion to double, about 13 ns an element, a quarter of the lab 9-5
** network's step.  Here the engine's words come a few hundred at a time
** (mgrt_rng_words) and the test is done on the integers:
**
**     bits * 2^-53 < q   <=>   bits < ceil(q * 2^53)
**
** because bits * 2^-53 and q * 2^53 are exact (scaling by a power of two) and
** bits is an integer.  So each element is a 64-bit compare and a select,
** which the compiler runs a vector at a time; the masks are bit for bit the
** ones the element-by-element draw gives (tests/unit/test_dropout.c checks
** that against a reference written the old way, and the e2e dropout test
** against PyTorch).
*/
#include "mgrt.h"

#include <math.h>

/* Elements per run of engine words: 2 words each, 8 KiB of words on the
   stack, in L1 when the mask pass reads them. */
enum { RUN = 1024 };

/* The integer bound: an element is kept when its 53 bits are below it.
   keep is 1 - p in double, as bernoulli_(1 - p) receives it. */
static uint64_t keep_bound(double keep) {
  const double two53 = 9007199254740992.0;
  if (!(keep > 0)) return 0; /* also a NaN: "u < NaN" keeps nothing */
  if (keep >= 1) return (uint64_t)two53;
  return (uint64_t)ceil(keep * two53);
}

/* The masks of the next n elements into mask, as scale or 0, for a float and
   a double mask: one body, the element type a parameter. */
#define MGRT_DROPOUT_MASK(name, T)                                                               \
  static void name(mgrt_rng *rng, T *restrict mask, int64_t n, uint64_t bound, T scale) {       \
    uint32_t words[2 * RUN];                                                                     \
    for (int64_t i = 0; i < n; i += RUN) {                                                       \
      const int64_t len = n - i < RUN ? n - i : RUN;                                             \
      mgrt_rng_words(rng, words, 2 * len);                                                       \
      T *restrict out = mask + i;                                                                \
      for (int64_t j = 0; j < len; j++) {                                                        \
        const uint64_t bits = ((uint64_t)(words[2 * j] & 0x1fffffu) << 32) | words[2 * j + 1]; \
        out[j] = bits < bound ? scale : (T)0;                                                    \
      }                                                                                          \
    }                                                                                            \
  }

MGRT_DROPOUT_MASK(draw_mask_f32, float)
MGRT_DROPOUT_MASK(draw_mask_f64, double)

void mgrt_rng_dropout_mask(mgrt_rng *rng, float *mask, int64_t n, double p) {
  const double keep = 1 - p;
  /* noise.div_(1 - p): the scalar becomes a float, then 1 / it in float. */
  const float scale = 1.0f / (float)keep;
  draw_mask_f32(rng, mask, n, keep_bound(keep), scale);
}

/* For a double program (mgc --dtype=f64) the mask and its scale are double,
   as PyTorch's are for a double tensor. */
void mgrt_rng_dropout_mask_f64(mgrt_rng *rng, double *mask, int64_t n, double p) {
  const double keep = 1 - p;
  draw_mask_f64(rng, mask, n, keep_bound(keep), 1.0 / keep);
}
