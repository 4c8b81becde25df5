/*
** matmul_narrow.c — float products with a narrow side, without packing.
**
** The lessons' steps are full of them: 759x8 @ 8x1 (logistic regression on
** diabetes), 101x16 @ 16x7 (zoo), their gradients 8x759 @ 759x1 and
** 16x101 @ 101x7, and 100000x64 @ 64x10 (the synthetic softmax
** regression).  The blocked product of matmul.c vectorizes along one side
** of C and copies its operands into panels laid out for that; with one or
** seven columns the copies cost more than the arithmetic and most vector
** lanes would hold padding.  Three loops fit instead:
**
**  - One column (matrix-vector, nn or nt): a dot product per row of A.
**    Eight rows run side by side, each in its own vector of partial sums,
**    and a tree of horizontal adds folds the eight into one vector of
**    eight results.
**
**  - Up to 16 columns (nn, nt): with AVX-512 and sixteen rows or more,
**    sixteen rows of A turned into vectors (A[i..i+15, p]) and multiplied
**    by B[p, j] broadcast, one accumulator per column of C (rows_turned);
**    otherwise rows of C as one or two vectors: B is copied into k rows of
**    8 or 16 floats (a few KiB, zero past n); each k step broadcasts
**    A[i, p] and adds A[i, p] B[p, :] to the row of C, for eight rows of C
**    at a time.  A is read in place, once.
**
**  - tn with a small C (the weight gradient X^T G of a narrow layer): per
**    column of C and run of eight rows, one pass along k, the steps taking
**    turns over four accumulators so the additions overlap.
**
** All need AVX2 and FMA (the host has them whenever the AVX-512 kernels are
** built); without them mgrt_mm_narrow_f32 declines and matmul.c's general
** code runs.  No threads, so results are the same on every run; the sums
** run in a different order from the blocked product's, which changes
** results only by float rounding.
*/
#include "mgrt.h"

#include <string.h>

#include "matmul_narrow.h"
#include "transpose16.h"

#if defined(__AVX2__) && defined(__FMA__) && !defined(MGRT_MM_PORTABLE)
#include <immintrin.h>

/* The mask for the first count lanes (count 0 means all eight): masked
   loads read only those lanes and leave the rest zero, never touching
   memory past them. */
static __m256i part_mask(int64_t count) {
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(count ? (int)count : 8), lanes);
}

/* The eight horizontal sums of s[0..7], as one vector (lane t = sum of
   s[t]'s lanes). */
static __m256 sum8(const __m256 s[8]) {
  const __m256 s01 = _mm256_hadd_ps(s[0], s[1]), s23 = _mm256_hadd_ps(s[2], s[3]);
  const __m256 s45 = _mm256_hadd_ps(s[4], s[5]), s67 = _mm256_hadd_ps(s[6], s[7]);
  const __m256 s0123 = _mm256_hadd_ps(s01, s23), s4567 = _mm256_hadd_ps(s45, s67);
  /* each 128-bit half of s0123 holds the partial sums of s0..s3 over that
     half of the lanes: add the halves */
  const __m256 lo = _mm256_permute2f128_ps(s0123, s4567, 0x20);
  const __m256 hi = _mm256_permute2f128_ps(s0123, s4567, 0x31);
  return _mm256_add_ps(lo, hi);
}

/* ---- one column: C[i] = A[i, :] . b (row i of A at a + i*rsa) ---- */

/* k <= 8 (logistic regression on a few features): one load per row, one
   multiply, and the sums of eight rows folded together. */
static void matvec_short(int64_t m, int64_t k, const float *a, int64_t rsa, const float *b, float *c) {
  const __m256i mask = part_mask(k % 8);
  const __m256 bv = _mm256_maskload_ps(b, mask);
  int64_t i = 0;
#define MGRT_ROWS8(LOAD)                                                                       \
  for (; i + 8 <= m; i += 8) {                                                                 \
    const float *r = a + i * rsa;                                                              \
    const __m256 s[8] = {_mm256_mul_ps(LOAD(r), bv),           _mm256_mul_ps(LOAD(r + rsa), bv),     \
                         _mm256_mul_ps(LOAD(r + 2 * rsa), bv), _mm256_mul_ps(LOAD(r + 3 * rsa), bv), \
                         _mm256_mul_ps(LOAD(r + 4 * rsa), bv), _mm256_mul_ps(LOAD(r + 5 * rsa), bv), \
                         _mm256_mul_ps(LOAD(r + 6 * rsa), bv), _mm256_mul_ps(LOAD(r + 7 * rsa), bv)}; \
    _mm256_storeu_ps(c + i, sum8(s));                                                          \
  }
#define MGRT_LOAD_FULL(q) _mm256_loadu_ps(q)
#define MGRT_LOAD_PART(q) _mm256_maskload_ps(q, mask)
  if (k == 8)
    MGRT_ROWS8(MGRT_LOAD_FULL)
  else
    MGRT_ROWS8(MGRT_LOAD_PART)
#undef MGRT_ROWS8
#undef MGRT_LOAD_FULL
#undef MGRT_LOAD_PART
  if (i < m) {
    __m256 s[8];
    for (int t = 0; t < 8; t++)
      s[t] = _mm256_mul_ps(_mm256_maskload_ps(a + (i + t < m ? i + t : m - 1) * rsa, mask), bv);
    float tmp[8];
    _mm256_storeu_ps(tmp, sum8(s));
    memcpy(c + i, tmp, sizeof(float) * (size_t)(m - i));
  }
}

static void matvec(int64_t m, int64_t k, const float *a, int64_t rsa, const float *b, float *c) {
  if (k <= 8) {
    matvec_short(m, k, a, rsa, b, c);
    return;
  }
  const __m256i mask = part_mask(k % 8);
  for (int64_t i = 0; i < m; i += 8) {
    /* rows past the end repeat the last row: computed, not stored */
    const float *r[8];
    if (i + 8 <= m)
      for (int t = 0; t < 8; t++) r[t] = a + (i + t) * rsa;
    else
      for (int t = 0; t < 8; t++) r[t] = a + (i + t < m ? i + t : m - 1) * rsa;
    /* eight named accumulators, which stay in registers */
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
    int64_t p = 0;
#define MGRT_DOT_STEP(LOAD)                                                                    \
  {                                                                                            \
    const __m256 bv = LOAD(b + p);                                                             \
    s0 = _mm256_fmadd_ps(LOAD(r[0] + p), bv, s0);                                              \
    s1 = _mm256_fmadd_ps(LOAD(r[1] + p), bv, s1);                                              \
    s2 = _mm256_fmadd_ps(LOAD(r[2] + p), bv, s2);                                              \
    s3 = _mm256_fmadd_ps(LOAD(r[3] + p), bv, s3);                                              \
    s4 = _mm256_fmadd_ps(LOAD(r[4] + p), bv, s4);                                              \
    s5 = _mm256_fmadd_ps(LOAD(r[5] + p), bv, s5);                                              \
    s6 = _mm256_fmadd_ps(LOAD(r[6] + p), bv, s6);                                              \
    s7 = _mm256_fmadd_ps(LOAD(r[7] + p), bv, s7);                                              \
  }
#define MGRT_LOAD_FULL(q) _mm256_loadu_ps(q)
#define MGRT_LOAD_PART(q) _mm256_maskload_ps(q, mask)
    for (; p + 8 <= k; p += 8) MGRT_DOT_STEP(MGRT_LOAD_FULL)
    if (p < k) MGRT_DOT_STEP(MGRT_LOAD_PART)
#undef MGRT_DOT_STEP
#undef MGRT_LOAD_FULL
#undef MGRT_LOAD_PART
    const __m256 s[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
    const __m256 sums = sum8(s);
    if (i + 8 <= m) {
      _mm256_storeu_ps(c + i, sums);
    } else {
      float tmp[8];
      _mm256_storeu_ps(tmp, sums);
      memcpy(c + i, tmp, sizeof(float) * (size_t)(m - i));
    }
  }
}

/* ---- up to 16 columns: C[i, 0:n] = sum over p of A[i, p] B[p, 0:n] ----
** B copied into bp: k rows of 8*NV floats, zero past n.  Eight rows of C at
** a time, NV vectors each (16 accumulators at most): per k step NV loads
** of B, eight broadcasts of A and 8*NV fused multiply-adds in eight
** independent chains. */
#define MGRT_NARROW_ROWS(NV)                                                                   \
  static void rows_x##NV(int64_t m, int64_t n, int64_t k, const float *a, int64_t rsa,         \
                         const float *bp, float *c) {                                          \
    const int64_t last = n - (NV - 1) * 8; /* columns in the last vector, 1..8 */            \
    const __m256i store_mask = part_mask(last % 8);                                            \
    for (int64_t i = 0; i < m; i += 8) {                                                       \
      const int rows = (int)(m - i < 8 ? m - i : 8);                                           \
      const float *r[8];                                                                       \
      for (int t = 0; t < 8; t++) r[t] = a + (i + (t < rows ? t : rows - 1)) * rsa;           \
      __m256 acc[8][NV];                                                                       \
      for (int t = 0; t < 8; t++)                                                              \
        for (int v = 0; v < NV; v++) acc[t][v] = _mm256_setzero_ps();                          \
      for (int64_t p = 0; p < k; p++) {                                                        \
        __m256 bv[NV];                                                                         \
        for (int v = 0; v < NV; v++) bv[v] = _mm256_loadu_ps(bp + p * 8 * NV + v * 8);        \
        for (int t = 0; t < 8; t++) {                                                          \
          const __m256 av = _mm256_broadcast_ss(r[t] + p);                                     \
          for (int v = 0; v < NV; v++) acc[t][v] = _mm256_fmadd_ps(av, bv[v], acc[t][v]);      \
        }                                                                                      \
      }                                                                                        \
      for (int t = 0; t < rows; t++) {                                                         \
        float *ct = c + (i + t) * n;                                                           \
        for (int v = 0; v + 1 < NV; v++) _mm256_storeu_ps(ct + v * 8, acc[t][v]);              \
        _mm256_maskstore_ps(ct + (NV - 1) * 8, store_mask, acc[t][NV - 1]);                    \
      }                                                                                        \
    }                                                                                          \
  }
MGRT_NARROW_ROWS(1)
#if !defined(__AVX512F__)
MGRT_NARROW_ROWS(2)
#endif
#undef MGRT_NARROW_ROWS

#if defined(__AVX512F__)
/* The same for 9..16 columns with AVX-512: one 16-float vector per row of
   C, so eight rows take eight accumulators and each k step is one load of
   B and eight multiply-adds with A[i, p] broadcast straight from memory. */
static void rows_zmm(int64_t m, int64_t n, int64_t k, const float *a, int64_t rsa, const float *bp,
                     float *c) {
  const __mmask16 store = (__mmask16)((1u << n) - 1u);
  for (int64_t i = 0; i < m; i += 8) {
    const int rows = (int)(m - i < 8 ? m - i : 8);
    const float *r[8];
    for (int t = 0; t < 8; t++) r[t] = a + (i + (t < rows ? t : rows - 1)) * rsa;
    __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
    for (int64_t p = 0; p < k; p++) {
      if (p % 16 == 0)
        for (int t = 0; t < 8; t++) _mm_prefetch((const char *)(r[t] + p + 16 * rsa), _MM_HINT_T0);
      const __m512 bv = _mm512_loadu_ps(bp + p * 16);
      s0 = _mm512_fmadd_ps(_mm512_set1_ps(r[0][p]), bv, s0);
      s1 = _mm512_fmadd_ps(_mm512_set1_ps(r[1][p]), bv, s1);
      s2 = _mm512_fmadd_ps(_mm512_set1_ps(r[2][p]), bv, s2);
      s3 = _mm512_fmadd_ps(_mm512_set1_ps(r[3][p]), bv, s3);
      s4 = _mm512_fmadd_ps(_mm512_set1_ps(r[4][p]), bv, s4);
      s5 = _mm512_fmadd_ps(_mm512_set1_ps(r[5][p]), bv, s5);
      s6 = _mm512_fmadd_ps(_mm512_set1_ps(r[6][p]), bv, s6);
      s7 = _mm512_fmadd_ps(_mm512_set1_ps(r[7][p]), bv, s7);
    }
    const __m512 s[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
    for (int t = 0; t < rows; t++) _mm512_mask_storeu_ps(c + (i + t) * n, store, s[t]);
  }
}
#endif

#if defined(__AVX512F__)
/* ---- 2..16 columns, rows of A turned into vectors (AVX-512) ----
** rows_zmm keeps a row of C in one vector, so with ten columns six of its
** sixteen lanes multiply zeros, and the multiply-adds (k per row) are what
** limits it.  Here sixteen rows of A are transposed in registers into a
** buffer at[p] = A[i..i+15, p]; then each k step is one load of at[p] and
** n multiply-adds, at[p] times B[p, j] broadcast, into n accumulators that
** hold column j of sixteen rows of C (k n / 16 per row: 40 instead of 64
** for 64 x 10), and the n x 16 tile is transposed back into rows of C at
** the end.  B is read in place (nn and nt by strides).  Every element is
** still the multiply-adds over p in order from 0, as in rows_zmm: the same
** bits.  (Measured on Zen 5: 64 x 10 1.37x, 16 x 7 1.9x faster than the
** kernels above; cross-lane shuffles compete with the multiply-adds there,
** which is why the transposes are the 64-shuffle kind.) */
enum { TURNED_K_MAX = 256, TURNED_M_MIN = 16 };

/* Rows r[0..15] at columns p0..p0+15 (masked to k), transposed: x[q] lane t
   = r[t][p0 + q]. */
static inline __attribute__((always_inline)) void load_turned(const float *const r[16], int64_t p0,
                                                               int64_t k, __m512 x[16]) {
  const int64_t kk = k - p0 < 16 ? k - p0 : 16;
  const __mmask16 lm = (__mmask16)((1u << kk) - 1u);
  if (kk == 16)
    for (int t = 0; t < 16; t++) x[t] = _mm512_loadu_ps(r[t] + p0);
  else
    for (int t = 0; t < 16; t++) x[t] = _mm512_maskz_loadu_ps(lm, r[t] + p0);
  transpose16(x);
}

/* One function per column count N: the accumulators live in registers.
   With an epilogue, each tile of C goes through it column-major (tile[j *
   16 + t] = C[i + t, j]) between the product and the store, which it may
   also take over. */
#define MGRT_TURNED(N)                                                                          \
  static void turned_##N(int64_t m, int64_t k, const float *a, const float *b, int64_t sp,      \
                         int64_t sj, float *c, mgrt_mm_tile_fn epilogue, void *ctx) {           \
    _Alignas(64) float at[TURNED_K_MAX * 16];                                                   \
    const __mmask16 store = (__mmask16)((1u << N) - 1u);                                        \
    for (int64_t i = 0; i < m; i += 16) {                                                       \
      const int rows = (int)(m - i < 16 ? m - i : 16);                                          \
      const float *r[16];                                                                       \
      for (int t = 0; t < 16; t++) r[t] = a + (i + (t < rows ? t : rows - 1)) * k;             \
      const float *next = a + (i + 16 < m ? i + 16 : i) * k; /* the next 16 rows, to prefetch */ \
      for (int64_t p0 = 0; p0 < k; p0 += 16) {                                                  \
        __m512 x[16];                                                                           \
        for (int t = 0; t < 16; t++) _mm_prefetch((const char *)(next + t * k + p0), _MM_HINT_T0); \
        load_turned(r, p0, k, x);                                                               \
        for (int q = 0; q < 16; q++) _mm512_store_ps(at + (p0 + q) * 16, x[q]);                 \
      }                                                                                         \
      __m512 acc[16];                                                                           \
      for (int j = 0; j < 16; j++) acc[j] = _mm512_setzero_ps();                                \
      const float *bp = b;                                                                      \
      for (int64_t p = 0; p < k; p++, bp += sp) {                                               \
        const __m512 av = _mm512_load_ps(at + p * 16);                                          \
        for (int j = 0; j < N; j++) acc[j] = _mm512_fmadd_ps(av, _mm512_set1_ps(bp[j * sj]), acc[j]); \
      }                                                                                         \
      if (epilogue) {                                                                           \
        _Alignas(64) float tile[16 * 16];                                                       \
        for (int j = 0; j < N; j++) _mm512_store_ps(tile + j * 16, acc[j]);                     \
        if (epilogue(ctx, i, rows, N, tile)) continue; /* stored by the epilogue */             \
        for (int j = 0; j < N; j++) acc[j] = _mm512_load_ps(tile + j * 16);                     \
      }                                                                                         \
      transpose16(acc); /* acc[t] = row i + t of C */                                           \
      for (int t = 0; t < rows; t++) _mm512_mask_storeu_ps(c + (i + t) * N, store, acc[t]);     \
    }                                                                                           \
  }
MGRT_TURNED(2) MGRT_TURNED(3) MGRT_TURNED(4) MGRT_TURNED(5) MGRT_TURNED(6) MGRT_TURNED(7)
MGRT_TURNED(8) MGRT_TURNED(9) MGRT_TURNED(10) MGRT_TURNED(11) MGRT_TURNED(12) MGRT_TURNED(13)
MGRT_TURNED(14) MGRT_TURNED(15) MGRT_TURNED(16)
#undef MGRT_TURNED

/* C = A B for 2 <= n <= 16, k <= TURNED_K_MAX; B[p, j] = b[p * sp + j * sj]. */
static void rows_turned(int64_t m, int64_t n, int64_t k, const float *a, const float *b, int64_t sp,
                        int64_t sj, float *c, mgrt_mm_tile_fn epilogue, void *ctx) {
  typedef void (*Kernel)(int64_t, int64_t, const float *, const float *, int64_t, int64_t, float *,
                         mgrt_mm_tile_fn, void *);
  static const Kernel kernels[17] = {NULL,       NULL,       turned_2,  turned_3,  turned_4,  turned_5,
                                     turned_6,   turned_7,   turned_8,  turned_9,  turned_10, turned_11,
                                     turned_12,  turned_13,  turned_14, turned_15, turned_16};
  kernels[n](m, k, a, b, sp, sj, c, epilogue, ctx);
}
#endif

/* ---- tn: C[i, j] = sum over p of A[p, i] B[p, j] (A is k x m, B k x n) ----
** Per column of C and run of rows (one vector), one pass along k, the steps
** taking turns over four accumulators so the additions overlap. */
#define MGRT_COLUMNS_TN(NAME, ROWS, VEC, MASK_T, MASK, ZERO, LOAD, FMA, BCAST, ADD, STORE)      \
  static void NAME(int64_t m, int64_t n, int64_t k, const float *a, const float *b, float *c) { \
    for (int64_t i = 0; i < m; i += ROWS) {                                                    \
      const int rows = (int)(m - i < ROWS ? m - i : ROWS);                                     \
      const MASK_T mask = MASK(rows);                                                          \
      for (int64_t j = 0; j < n; j++) {                                                        \
        VEC s0 = ZERO(), s1 = s0, s2 = s0, s3 = s0;                                            \
        const float *ap = a + i, *bp = b + j;                                                  \
        int64_t p = 0;                                                                         \
        for (; p + 4 <= k; p += 4, ap += 4 * m, bp += 4 * n) {                                 \
          s0 = FMA(LOAD(ap, mask), BCAST(bp), s0);                                             \
          s1 = FMA(LOAD(ap + m, mask), BCAST(bp + n), s1);                                     \
          s2 = FMA(LOAD(ap + 2 * m, mask), BCAST(bp + 2 * n), s2);                             \
          s3 = FMA(LOAD(ap + 3 * m, mask), BCAST(bp + 3 * n), s3);                             \
        }                                                                                      \
        for (; p < k; p++, ap += m, bp += n) s0 = FMA(LOAD(ap, mask), BCAST(bp), s0);         \
        float col[ROWS];                                                                       \
        STORE(col, ADD(ADD(s0, s1), ADD(s2, s3)));                                             \
        for (int t = 0; t < rows; t++) c[(i + t) * n + j] = col[t];                            \
      }                                                                                        \
    }                                                                                          \
  }

/* eight rows of C per 8-float vector */
#define MGRT_MASK8(rows) part_mask((rows) % 8)
MGRT_COLUMNS_TN(columns_tn8, 8, __m256, __m256i, MGRT_MASK8, _mm256_setzero_ps, _mm256_maskload_ps,
                _mm256_fmadd_ps, _mm256_broadcast_ss, _mm256_add_ps, _mm256_storeu_ps)
#undef MGRT_MASK8

#if defined(__AVX512F__)
/* sixteen rows per 16-float vector (m = 16 in one pass per column) */
#define MGRT_MASK16(rows) ((__mmask16)((1u << (rows)) - 1u))
#define MGRT_LOAD16(p, mask) _mm512_maskz_loadu_ps(mask, p)
#define MGRT_BCAST16(p) _mm512_set1_ps(*(p))
MGRT_COLUMNS_TN(columns_tn16, 16, __m512, __mmask16, MGRT_MASK16, _mm512_setzero_ps, MGRT_LOAD16,
                _mm512_fmadd_ps, MGRT_BCAST16, _mm512_add_ps, _mm512_storeu_ps)
#undef MGRT_MASK16
#undef MGRT_LOAD16
#undef MGRT_BCAST16
#endif
#undef MGRT_COLUMNS_TN

#if defined(__AVX512F__)
/* tn with C at most 16 x 16 (a narrow layer's weight gradient, X^T G): a
   row of A is a column of C's sixteen rows at once, so every column of C is
   one accumulator and a pass along k updates them all, A's row loaded once
   for the n of them.  With up to 8 columns two sets of accumulators take
   the even and the odd steps, so that the chains of dependent additions
   are half as long; C is turned into rows at the end. */
#define MGRT_TN_SMALL(N)                                                                            \
  static void tn_small_##N(int64_t m, int64_t k, const float *a, const float *b, float *c) {        \
    enum { SETS = N <= 8 ? 2 : 1 };                                                                 \
    const __mmask16 rows = (__mmask16)((1u << m) - 1u), store = (__mmask16)((1u << N) - 1u);       \
    __m512 s[SETS][16];                                                                             \
    for (int q = 0; q < SETS; q++)                                                                  \
      for (int j = 0; j < 16; j++) s[q][j] = _mm512_setzero_ps();                                   \
    int64_t p = 0;                                                                                  \
    for (; p + SETS <= k; p += SETS)                                                                \
      for (int q = 0; q < SETS; q++) {                                                              \
        const __m512 av = _mm512_maskz_loadu_ps(rows, a + (p + q) * m);                             \
        for (int j = 0; j < N; j++) s[q][j] = _mm512_fmadd_ps(av, _mm512_set1_ps(b[(p + q) * N + j]), s[q][j]); \
      }                                                                                             \
    for (; p < k; p++) {                                                                            \
      const __m512 av = _mm512_maskz_loadu_ps(rows, a + p * m);                                     \
      for (int j = 0; j < N; j++) s[0][j] = _mm512_fmadd_ps(av, _mm512_set1_ps(b[p * N + j]), s[0][j]); \
    }                                                                                               \
    for (int q = 1; q < SETS; q++)                                                                  \
      for (int j = 0; j < N; j++) s[0][j] = _mm512_add_ps(s[0][j], s[q][j]);                        \
    transpose16(s[0]); /* s[0][i] = row i of C */                                                   \
    for (int i = 0; i < m; i++) _mm512_mask_storeu_ps(c + i * N, store, s[0][i]);                   \
  }
MGRT_TN_SMALL(2) MGRT_TN_SMALL(3) MGRT_TN_SMALL(4) MGRT_TN_SMALL(5) MGRT_TN_SMALL(6) MGRT_TN_SMALL(7)
MGRT_TN_SMALL(8) MGRT_TN_SMALL(9) MGRT_TN_SMALL(10) MGRT_TN_SMALL(11) MGRT_TN_SMALL(12) MGRT_TN_SMALL(13)
MGRT_TN_SMALL(14) MGRT_TN_SMALL(15) MGRT_TN_SMALL(16)
#undef MGRT_TN_SMALL

static void tn_small(int64_t m, int64_t n, int64_t k, const float *a, const float *b, float *c) {
  typedef void (*Kernel)(int64_t, int64_t, const float *, const float *, float *);
  static const Kernel kernels[17] = {NULL,          NULL,          tn_small_2,  tn_small_3,  tn_small_4,
                                     tn_small_5,    tn_small_6,    tn_small_7,  tn_small_8,  tn_small_9,
                                     tn_small_10,   tn_small_11,   tn_small_12, tn_small_13, tn_small_14,
                                     tn_small_15,   tn_small_16};
  kernels[n](m, k, a, b, c);
}
#endif

static void columns_tn(int64_t m, int64_t n, int64_t k, const float *a, const float *b, float *c) {
#if defined(__AVX512F__)
  if (m <= 16 && n >= 2 && n <= 16) {
    tn_small(m, n, k, a, b, c);
    return;
  }
  if (m > 8) {
    columns_tn16(m, n, k, a, b, c);
    return;
  }
#endif
  columns_tn8(m, n, k, a, b, c);
}

/* Narrow means: one column (matrix-vector); or up to NARROW_N columns with
   B's copy on the stack; or, for tn, a C small enough that a pass along k
   per column and eight rows is cheap (the blocked product wins on larger
   ones). */
enum { NARROW_N = 16, NARROW_B_FLOATS = 4096, NARROW_TN_OUT = 256 };

int mgrt_mm_narrow_f32(char layout, int64_t m, int64_t n, int64_t k, const float *a,
                       const float *b, float *c) {
  if (m <= 0 || n <= 0 || k <= 0) return 0;
  if (layout == 'T') { /* tn: a is k x m, b is k x n */
    if (m * n > NARROW_TN_OUT) return 0;
    columns_tn(m, n, k, a, b, c);
    return 1;
  }
  /* nn (b is k x n) and nt (b is n x k); a is m x k */
  if (n == 1) {
    matvec(m, k, a, k, b, c); /* b is k x 1 either way */
    return 1;
  }
  if (n > NARROW_N) return 0;
#if defined(__AVX512F__)
  if (m >= TURNED_M_MIN && mgrt_mm_turned_f32(layout, m, n, k, a, b, c, NULL, NULL))
    return 1;
#endif
  const int64_t w = n <= 8 ? 8 : 16;
  if (k * w > NARROW_B_FLOATS) return 0;
  _Alignas(32) float bp[NARROW_B_FLOATS];
  for (int64_t p = 0; p < k; p++)
    for (int64_t j = 0; j < w; j++)
      bp[p * w + j] = j >= n ? 0 : layout == 'n' ? b[p * n + j] : b[j * k + p];
  if (w == 8)
    rows_x1(m, n, k, a, k, bp, c);
  else
#if defined(__AVX512F__)
    rows_zmm(m, n, k, a, k, bp, c);
#else
    rows_x2(m, n, k, a, k, bp, c);
#endif
  return 1;
}

int mgrt_mm_turned_f32(char layout, int64_t m, int64_t n, int64_t k, const float *a, const float *b,
                       float *c, mgrt_mm_tile_fn epilogue, void *ctx) {
#if defined(__AVX512F__)
  if (m <= 0 || n < 2 || n > NARROW_N || k <= 0 || k > TURNED_K_MAX || (layout != 'n' && layout != 't'))
    return 0;
  if (layout == 'n')
    rows_turned(m, n, k, a, b, n, 1, c, epilogue, ctx);
  else
    rows_turned(m, n, k, a, b, 1, k, c, epilogue, ctx);
  return 1;
#else
  (void)layout, (void)m, (void)n, (void)k, (void)a, (void)b, (void)c, (void)epilogue, (void)ctx;
  return 0;
#endif
}

#else

int mgrt_mm_narrow_f32(char layout, int64_t m, int64_t n, int64_t k, const float *a,
                       const float *b, float *c) {
  (void)layout, (void)m, (void)n, (void)k, (void)a, (void)b, (void)c;
  return 0;
}

int mgrt_mm_turned_f32(char layout, int64_t m, int64_t n, int64_t k, const float *a, const float *b,
                       float *c, mgrt_mm_tile_fn epilogue, void *ctx) {
  (void)layout, (void)m, (void)n, (void)k, (void)a, (void)b, (void)c, (void)epilogue, (void)ctx;
  return 0;
}

#endif
