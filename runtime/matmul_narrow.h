/*
** matmul_narrow.h — libmgrt-internal: float products with a narrow side
** (matmul_narrow.c), tried by matmul.c before its blocked product.
*/
#ifndef MGRT_MATMUL_NARROW_H
#define MGRT_MATMUL_NARROW_H

#include <stdint.h>

/* C = op(A) op(B) for layout 'n' (nn), 't' (nt) or 'T' (tn), shapes as in
   mgrt_matmul_*.  Returns 1 when done, 0 when the shape is not narrow (or
   the CPU lacks AVX2/FMA) and the caller must compute it. */
int mgrt_mm_narrow_f32(char layout, int64_t m, int64_t n, int64_t k, const float *a,
                       const float *b, float *c);

#endif
