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

/* Called on each tile of up to 16 rows of C = op(A) op(B), column by
   column: tile[j * 16 + t] = C[i + t, j] for t < rows (the lanes past rows
   hold repeats of the last row's values: computed, never stored).  It may
   rewrite the tile; returning 0, what it leaves is stored as rows
   i .. i + rows - 1 of C; returning 1, it has stored the tile itself. */
typedef int (*mgrt_mm_tile_fn)(void *ctx, int64_t i, int rows, int n, float *tile);

/* C = op(A) op(B) (layout 'n' or 't') with sixteen rows of A at a time
   turned into vectors, each tile of C passed through epilogue (if not
   NULL) before it is stored.  Returns 0, having done nothing, unless the
   CPU has AVX-512 and 2 <= n <= 16, k <= 256. */
int mgrt_mm_turned_f32(char layout, int64_t m, int64_t n, int64_t k, const float *a, const float *b,
                       float *c, mgrt_mm_tile_fn epilogue, void *ctx);

#endif
