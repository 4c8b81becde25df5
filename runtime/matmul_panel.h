/*
** matmul_panel.h — libmgrt-internal: matmul.c's micro-kernels run on one
** packed column panel of B, for callers that pack B themselves straight
** from their own data (the convolutions of conv2d.c pack each panel from
** the image, where an im2col copy of the whole image would leave the caches).
*/
#ifndef MGRT_MATMUL_PANEL_H
#define MGRT_MATMUL_PANEL_H

#include <stdint.h>

/* The columns of one panel (the kernels' NR: 32 with AVX-512, 16 with
   AVX2): a panel is k rows of this many floats. */
int mgrt_mm_panel_width_f32(void);

/* C (+)= op(A) B for one panel: op(A)[i, p] = a[i + p * lda] (A read in
   place, m rows), B[p, j] = bp[p * ldb + j] for j < nr (nr at most the
   panel width; a row of bp is read as whole vectors, so ldb floats of every
   row must be readable), C[i, j] = c[i * rsc + j].  acc: add to C instead
   of overwriting it.  Each element of C is one fused multiply-add chain
   over p in order (then added to C when acc), on the calling thread. */
void mgrt_mm_panel_f32(int64_t m, int64_t nr, int64_t k, const float *a, int64_t lda,
                       const float *bp, int64_t ldb, float *c, int64_t rsc, int acc);

/* dst[p * ldd + i] = src[i * rs + p] for i < rows, p < cols, and 0 for
   rows <= i < ldd: a transpose by the packing's register blocks. */
void mgrt_mm_transpose_f32(float *dst, int64_t ldd, const float *src, int64_t rows, int64_t rs,
                           int64_t cols);

#endif
