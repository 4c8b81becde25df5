/*
** matmul.c — matrix products for generated programs: C = op(A) op(B),
** row-major, C overwritten, in float and double.
**
** Design (docs/matmul.md has the numbers behind the choices):
**
**  - Tiny products (m*n*k below MGRT_MM_DIRECT_MAX) take a direct loop: the
**    products of a training step include matrix-vector shapes such as
**    768x8 @ 8x1, where copying operands into packed buffers would cost more
**    than the arithmetic.
**
**  - Everything else follows GotoBLAS/BLIS: k is cut into chunks of at most
**    KC, m into blocks of at most MC, n into blocks of at most NC.  For each
**    block the needed parts of op(A) and op(B) are copied ("packed") into
**    contiguous, 64-byte aligned buffers laid out exactly in the order the
**    micro-kernel reads them.  Transposed operands are handled only here, in
**    the packing, by reading with the right strides: no transpose is ever
**    materialized.
**
**  - The micro-kernel keeps an MR x NR tile of C in vector registers and
**    walks k, doing MR broadcasts and NR/VL vector loads per step for
**    MR*NR/VL fused multiply-adds.  With AVX-512 this is 14 x 32 floats (28
**    of the 32 zmm registers hold C), with AVX2 6 x 16 (12 of 16 ymm), and a
**    plain C kernel is the fallback on every other target.  Tails in m are
**    handled by kernels compiled for every row count below MR, tails in n by
**    kernels of one vector width fewer and, for the last odd columns, a
**    store through a small buffer; so little arithmetic is wasted on padding.
**
**  - With OpenMP the C tiles of a block are shared between threads; so are
**    the copies into the packed buffers.  k is never split between threads
**    and every tile is computed by the same code whatever thread runs it, so
**    each element of C is the same sum in the same order, bit for bit, with
**    any number of threads.  Products below MGRT_MM_PARALLEL_MIN stay on one
**    thread: waking the team costs more than it saves there.
**
**  - An epilogue (matmul_epilogue.c's products: a bias, a ReLU, a ReLU's
**    gradient mask) is applied to each tile of C right after the kernel
**    stores its last k chunk, while the tile is still in L1: the same
**    operations on the same finished sums as a separate pass over C, so the
**    same bits, without reading and writing C once more.
**
**  - With -DMGRT_USE_BLAS the public functions call cblas_sgemm/cblas_dgemm
**    of a system BLAS instead (see cmake/mgrt_blas.cmake).
**
** The type-generic part of this file is written once and compiled twice,
** for float and for double, by including this same file with T defined (the
** second half below, guarded by MGRT_MM_TEMPLATE).  That keeps one copy of
** the packing and blocking logic instead of two that could drift apart.
*/
#ifndef MGRT_MM_TEMPLATE

#include "mgrt.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#if defined(MGRT_USE_BLAS)
#include <cblas.h>
#endif

#include "matmul_narrow.h"
#include "matmul_panel.h"

/* Which kernels: AVX-512, AVX2 with FMA, GCC/clang portable vectors, or
   plain C (also forced by -DMGRT_MM_PORTABLE, so tests can cover it). */
#if defined(MGRT_MM_PORTABLE)
#define MGRT_MM_PLAIN_C 1
#elif defined(__AVX512F__)
#define MGRT_MM_AVX512 1
#elif defined(__AVX2__) && defined(__FMA__)
#define MGRT_MM_AVX2 1
#elif defined(__GNUC__)
#define MGRT_MM_GNU_VECTORS 1
#else
#define MGRT_MM_PLAIN_C 1
#endif

#if defined(MGRT_MM_AVX512) || defined(MGRT_MM_AVX2)
#include <immintrin.h>
#endif

/* The thresholds below can be set on the command line, so that a test build
   can send every shape through the packed and the threaded paths. */

/* Up to this many multiply-adds the direct loop wins over packing (measured:
   8x8x8 is even; at 16x16x16 the packed path is already 7 times faster, as
   it is 1.5x at 768x8x1 and 5x at 101x16x7, thanks to kernels for every row
   count, operands read in place where their layout allows, and a stack
   buffer instead of malloc). */
#ifndef MGRT_MM_DIRECT_MAX
#define MGRT_MM_DIRECT_MAX 1024
#endif
/* From this many multiply-adds on, the work is shared between threads; below
   it, waking the team and the barriers cost more than they save (measured:
   100x256x256, 6.5M, runs 1.2-1.7x faster on two threads; 100x256x100,
   2.6M, about breaks even, and loses when the machine is busy). */
#ifndef MGRT_MM_PARALLEL_MIN
#define MGRT_MM_PARALLEL_MIN (1 << 21)
#endif
/* Packed panels of up to this many bytes go on the stack, not the heap. */
#ifndef MGRT_MM_STACK_BYTES
#define MGRT_MM_STACK_BYTES 16384
#endif

/* OpenMP directives spelled as _Pragma so that builds without -fopenmp do
   not warn about unknown pragmas. */
#ifdef _OPENMP
#define MGRT_OMP(directive) _Pragma(#directive)
#else
#define MGRT_OMP(directive)
#endif

/* Row lists for the register tiles: MGRT_ROWS_n(X) expands X(0) .. X(n-1),
   so each row of a tile is its own named variable that the compiler keeps
   in a register (an array would depend on full unrolling to get there). */
#define MGRT_ROWS_1(X) X(0)
#define MGRT_ROWS_2(X) MGRT_ROWS_1(X) X(1)
#define MGRT_ROWS_3(X) MGRT_ROWS_2(X) X(2)
#define MGRT_ROWS_4(X) MGRT_ROWS_3(X) X(3)
#define MGRT_ROWS_5(X) MGRT_ROWS_4(X) X(4)
#define MGRT_ROWS_6(X) MGRT_ROWS_5(X) X(5)
#define MGRT_ROWS_7(X) MGRT_ROWS_6(X) X(6)
#define MGRT_ROWS_8(X) MGRT_ROWS_7(X) X(7)
#define MGRT_ROWS_9(X) MGRT_ROWS_8(X) X(8)
#define MGRT_ROWS_10(X) MGRT_ROWS_9(X) X(9)
#define MGRT_ROWS_11(X) MGRT_ROWS_10(X) X(10)
#define MGRT_ROWS_12(X) MGRT_ROWS_11(X) X(11)
#define MGRT_ROWS_13(X) MGRT_ROWS_12(X) X(12)
#define MGRT_ROWS_14(X) MGRT_ROWS_13(X) X(13)

static int64_t mgrt_mm_min(int64_t x, int64_t y) { return x < y ? x : y; }
static int64_t mgrt_mm_ceil_div(int64_t x, int64_t y) { return (x + y - 1) / y; }
static int64_t mgrt_mm_round_up(int64_t x, int64_t y) { return mgrt_mm_ceil_div(x, y) * y; }

/* A buffer aligned to a cache line, so packed panels start on one and the
   micro-kernel's vector loads never straddle two lines.  NULL when memory
   is short: the caller then falls back to the direct loop, which needs none
   (the API has no way to report an error). */
static void *mgrt_mm_alloc(size_t bytes) {
  bytes = (bytes + 63) / 64 * 64; /* aligned_alloc wants a multiple of 64 */
  return aligned_alloc(64, bytes ? bytes : 64);
}

static int mgrt_mm_threads(int64_t m, int64_t n, int64_t k) {
#ifdef _OPENMP
  /* Nested inside a parallel region of the caller: stay on this thread. */
  if (omp_in_parallel()) return 1;
  if ((double)m * (double)n * (double)k < (double)MGRT_MM_PARALLEL_MIN) return 1;
  return omp_get_max_threads();
#else
  (void)m, (void)n, (void)k;
  return 1;
#endif
}

#if defined(MGRT_MM_AVX512)
/* Transposing copies for the packing, with AVX-512 (and AVX2 below).  A row-major operand
** used transposed (B of nt, A of nn and nt) has its panel rows contiguous
** along k, while the panel wants the values of one k step side by side.
** Element by element that costs a load and a store per value, about as
** much time as the arithmetic on the MLP's shapes; transposing 16x16 (8x8
** for double) blocks in registers costs a quarter of an instruction per
** value.  dst gets w values per k step, rows of them from src (row i at
** src + i*rs, contiguous in k), zero in the lanes from rows up to w. */
static void mgrt_mm_pack_t_f32(float *restrict dst, int64_t w, const float *restrict src,
                               int64_t rows, int64_t rs, int64_t kc) {
  for (int64_t g = 0; g < w; g += 16) {
    const int64_t lanes = mgrt_mm_min(16, rows - g); /* may be <= 0: zeros */
    const __mmask16 store = (__mmask16)((1u << mgrt_mm_min(16, w - g)) - 1u);
    for (int64_t p = 0; p < kc; p += 16) {
      const int64_t steps = mgrt_mm_min(16, kc - p);
      const __mmask16 load = (__mmask16)((1u << steps) - 1u);
      __m512 r[16], t[16];
      /* The rows are read in parallel streams that the hardware prefetcher
         does not keep up with when the source comes from L3 or memory (a
         weight matrix just written by the optimizer): ask for the cache
         lines four blocks ahead.  A prefetch past the end is harmless. */
      for (int i = 0; i < lanes; i++)
        _mm_prefetch((const char *)(src + (g + i) * rs + p + 256), _MM_HINT_T0);
      for (int i = 0; i < 16; i++)
        r[i] = i < lanes ? _mm512_maskz_loadu_ps(load, src + (g + i) * rs + p) : _mm512_setzero_ps();
      /* 2x2 blocks, then 4x4 within each 128-bit lane, then across lanes:
         afterwards t[4L + j] is column 4L + j */
      for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
      }
      for (int i = 0; i < 16; i += 4) {
        __m512d t0 = _mm512_castps_pd(t[i]), t1 = _mm512_castps_pd(t[i + 1]);
        __m512d t2 = _mm512_castps_pd(t[i + 2]), t3 = _mm512_castps_pd(t[i + 3]);
        r[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
        r[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
        r[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
        r[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
      }
      for (int j = 0; j < 4; j++) {
        __m512 lo01 = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x44);
        __m512 hi01 = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xEE);
        __m512 lo23 = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x44);
        __m512 hi23 = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xEE);
        t[j] = _mm512_shuffle_f32x4(lo01, lo23, 0x88);
        t[4 + j] = _mm512_shuffle_f32x4(lo01, lo23, 0xDD);
        t[8 + j] = _mm512_shuffle_f32x4(hi01, hi23, 0x88);
        t[12 + j] = _mm512_shuffle_f32x4(hi01, hi23, 0xDD);
      }
      for (int q = 0; q < steps; q++) _mm512_mask_storeu_ps(dst + (p + q) * w + g, store, t[q]);
    }
  }
}

static void mgrt_mm_pack_t_f64(double *restrict dst, int64_t w, const double *restrict src,
                               int64_t rows, int64_t rs, int64_t kc) {
  for (int64_t g = 0; g < w; g += 8) {
    const int64_t lanes = mgrt_mm_min(8, rows - g);
    const __mmask8 store = (__mmask8)((1u << mgrt_mm_min(8, w - g)) - 1u);
    for (int64_t p = 0; p < kc; p += 8) {
      const int64_t steps = mgrt_mm_min(8, kc - p);
      const __mmask8 load = (__mmask8)((1u << steps) - 1u);
      __m512d r[8], t[8];
      for (int i = 0; i < 8; i++)
        r[i] = i < lanes ? _mm512_maskz_loadu_pd(load, src + (g + i) * rs + p) : _mm512_setzero_pd();
      /* 2x2 blocks, then across 128-bit lanes: t[2L + j] is column 2L + j */
      for (int i = 0; i < 8; i += 2) {
        t[i] = _mm512_unpacklo_pd(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_pd(r[i], r[i + 1]);
      }
      for (int j = 0; j < 2; j++) {
        __m512d lo01 = _mm512_shuffle_f64x2(t[j], t[2 + j], 0x44);
        __m512d hi01 = _mm512_shuffle_f64x2(t[j], t[2 + j], 0xEE);
        __m512d lo23 = _mm512_shuffle_f64x2(t[4 + j], t[6 + j], 0x44);
        __m512d hi23 = _mm512_shuffle_f64x2(t[4 + j], t[6 + j], 0xEE);
        r[j] = _mm512_shuffle_f64x2(lo01, lo23, 0x88);
        r[2 + j] = _mm512_shuffle_f64x2(lo01, lo23, 0xDD);
        r[4 + j] = _mm512_shuffle_f64x2(hi01, hi23, 0x88);
        r[6 + j] = _mm512_shuffle_f64x2(hi01, hi23, 0xDD);
      }
      for (int q = 0; q < steps; q++) _mm512_mask_storeu_pd(dst + (p + q) * w + g, store, r[q]);
    }
  }
}
#define MGRT_MM_PACK_T 1

#elif defined(MGRT_MM_AVX2)
/* The same transposing copies with AVX2: 8x8 float and 4x4 double blocks. */
static __m256i mgrt_mm_mask32(int64_t count) { /* lanes below count set */
  return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
static __m256i mgrt_mm_mask64(int64_t count) {
  return _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), _mm256_setr_epi64x(0, 1, 2, 3));
}

static void mgrt_mm_pack_t_f32(float *restrict dst, int64_t w, const float *restrict src,
                               int64_t rows, int64_t rs, int64_t kc) {
  for (int64_t g = 0; g < w; g += 8) {
    const int64_t lanes = mgrt_mm_min(8, rows - g);
    const __m256i store = mgrt_mm_mask32(mgrt_mm_min(8, w - g));
    for (int64_t p = 0; p < kc; p += 8) {
      const int64_t steps = mgrt_mm_min(8, kc - p);
      const __m256i load = mgrt_mm_mask32(steps);
      __m256 r[8], t[8];
      for (int i = 0; i < 8; i++)
        r[i] = i < lanes ? _mm256_maskload_ps(src + (g + i) * rs + p, load) : _mm256_setzero_ps();
      for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
      }
      /* r[4h + j]: column 4L + j (L = 128-bit lane) of rows 4h .. 4h+3 */
      for (int h = 0; h < 8; h += 4) {
        r[h] = _mm256_shuffle_ps(t[h], t[h + 2], 0x44);
        r[h + 1] = _mm256_shuffle_ps(t[h], t[h + 2], 0xEE);
        r[h + 2] = _mm256_shuffle_ps(t[h + 1], t[h + 3], 0x44);
        r[h + 3] = _mm256_shuffle_ps(t[h + 1], t[h + 3], 0xEE);
      }
      for (int j = 0; j < 4; j++) {
        t[j] = _mm256_permute2f128_ps(r[j], r[4 + j], 0x20);
        t[4 + j] = _mm256_permute2f128_ps(r[j], r[4 + j], 0x31);
      }
      for (int q = 0; q < steps; q++) _mm256_maskstore_ps(dst + (p + q) * w + g, store, t[q]);
    }
  }
}

static void mgrt_mm_pack_t_f64(double *restrict dst, int64_t w, const double *restrict src,
                               int64_t rows, int64_t rs, int64_t kc) {
  for (int64_t g = 0; g < w; g += 4) {
    const int64_t lanes = mgrt_mm_min(4, rows - g);
    const __m256i store = mgrt_mm_mask64(mgrt_mm_min(4, w - g));
    for (int64_t p = 0; p < kc; p += 4) {
      const int64_t steps = mgrt_mm_min(4, kc - p);
      const __m256i load = mgrt_mm_mask64(steps);
      __m256d r[4], t[4];
      for (int i = 0; i < 4; i++)
        r[i] = i < lanes ? _mm256_maskload_pd(src + (g + i) * rs + p, load) : _mm256_setzero_pd();
      t[0] = _mm256_unpacklo_pd(r[0], r[1]);
      t[1] = _mm256_unpackhi_pd(r[0], r[1]);
      t[2] = _mm256_unpacklo_pd(r[2], r[3]);
      t[3] = _mm256_unpackhi_pd(r[2], r[3]);
      r[0] = _mm256_permute2f128_pd(t[0], t[2], 0x20);
      r[1] = _mm256_permute2f128_pd(t[1], t[3], 0x20);
      r[2] = _mm256_permute2f128_pd(t[0], t[2], 0x31);
      r[3] = _mm256_permute2f128_pd(t[1], t[3], 0x31);
      for (int q = 0; q < steps; q++) _mm256_maskstore_pd(dst + (p + q) * w + g, store, r[q]);
    }
  }
}
#define MGRT_MM_PACK_T 1
#endif

#if defined(MGRT_MM_GNU_VECTORS)
/* No AVX2+FMA at compile time (say a build without -march=native): GCC's
** and clang's portable vector types still give 4-wide SSE2 (or NEON, or
** 8-wide AVX) code from the same kernels; a plain C kernel is left only for
** other compilers. */
/* 4 x 2 vectors of C with 16-byte vectors: x86-64 has only 16 of them, and
   6 rows spill (measured 20% slower). */
#if defined(__AVX__)
#define MGRT_MM_VBYTES 32
#define MGRT_MM_GNU_MR 6
#else
#define MGRT_MM_VBYTES 16
#define MGRT_MM_GNU_MR 4
#endif
typedef float mgrt_mm_vf __attribute__((vector_size(MGRT_MM_VBYTES)));
typedef double mgrt_mm_vd __attribute__((vector_size(MGRT_MM_VBYTES)));
/* memcpy is how to load and store unaligned; compilers make it one move */
static mgrt_mm_vf mgrt_mm_vf_load(const float *p) {
  mgrt_mm_vf v;
  memcpy(&v, p, sizeof v);
  return v;
}
static void mgrt_mm_vf_store(float *p, mgrt_mm_vf v) { memcpy(p, &v, sizeof v); }
static mgrt_mm_vd mgrt_mm_vd_load(const double *p) {
  mgrt_mm_vd v;
  memcpy(&v, p, sizeof v);
  return v;
}
static void mgrt_mm_vd_store(double *p, mgrt_mm_vd v) { memcpy(p, &v, sizeof v); }
/* Spelled out: "zero vector + x" would cost an add (it must turn -0 into +0). */
#if MGRT_MM_VBYTES == 32
#define MGRT_MM_VF_SET1(x) ((mgrt_mm_vf){x, x, x, x, x, x, x, x})
#define MGRT_MM_VD_SET1(x) ((mgrt_mm_vd){x, x, x, x})
#else
#define MGRT_MM_VF_SET1(x) ((mgrt_mm_vf){x, x, x, x})
#define MGRT_MM_VD_SET1(x) ((mgrt_mm_vd){x, x})
#endif
#endif

/* ---- float ---- */
#define MGRT_MM_TEMPLATE 1
#define T float
#define SFX(name) name##_f32
#if defined(MGRT_MM_AVX512)
#define VL 16
#define MR 14
#define V __m512
#define VZERO() _mm512_setzero_ps()
#define VLOAD(p) _mm512_loadu_ps(p)
#define VSTORE(p, v) _mm512_storeu_ps((p), (v))
#define VBCAST(x) _mm512_set1_ps(x)
#define VFMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define VADD(a, b) _mm512_add_ps((a), (b))
#elif defined(MGRT_MM_AVX2)
#define VL 8
#define MR 6
#define V __m256
#define VZERO() _mm256_setzero_ps()
#define VLOAD(p) _mm256_loadu_ps(p)
#define VSTORE(p, v) _mm256_storeu_ps((p), (v))
#define VBCAST(x) _mm256_set1_ps(x)
#define VFMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#define VADD(a, b) _mm256_add_ps((a), (b))
#elif defined(MGRT_MM_GNU_VECTORS)
#define VL (MGRT_MM_VBYTES / 4)
#define MR MGRT_MM_GNU_MR
#define V mgrt_mm_vf
#define VZERO() ((V){0})
#define VLOAD(p) mgrt_mm_vf_load(p)
#define VSTORE(p, v) mgrt_mm_vf_store((p), (v))
#define VBCAST(x) MGRT_MM_VF_SET1(x)
#define VFMA(a, b, c) ((c) + (a) * (b))
#define VADD(a, b) ((a) + (b))
#else
#define VL 8
#define MR 4
#endif
#include "matmul.c"
#undef T
#undef SFX
#undef VL
#undef MR
#undef V
#undef VZERO
#undef VLOAD
#undef VSTORE
#undef VBCAST
#undef VFMA
#undef VADD

/* ---- double: the same tile shapes in registers, half the lanes ---- */
#define T double
#define SFX(name) name##_f64
#if defined(MGRT_MM_AVX512)
#define VL 8
#define MR 14
#define V __m512d
#define VZERO() _mm512_setzero_pd()
#define VLOAD(p) _mm512_loadu_pd(p)
#define VSTORE(p, v) _mm512_storeu_pd((p), (v))
#define VBCAST(x) _mm512_set1_pd(x)
#define VFMA(a, b, c) _mm512_fmadd_pd((a), (b), (c))
#define VADD(a, b) _mm512_add_pd((a), (b))
#elif defined(MGRT_MM_AVX2)
#define VL 4
#define MR 6
#define V __m256d
#define VZERO() _mm256_setzero_pd()
#define VLOAD(p) _mm256_loadu_pd(p)
#define VSTORE(p, v) _mm256_storeu_pd((p), (v))
#define VBCAST(x) _mm256_set1_pd(x)
#define VFMA(a, b, c) _mm256_fmadd_pd((a), (b), (c))
#define VADD(a, b) _mm256_add_pd((a), (b))
#elif defined(MGRT_MM_GNU_VECTORS)
#define VL (MGRT_MM_VBYTES / 8)
#define MR MGRT_MM_GNU_MR
#define V mgrt_mm_vd
#define VZERO() ((V){0})
#define VLOAD(p) mgrt_mm_vd_load(p)
#define VSTORE(p, v) mgrt_mm_vd_store((p), (v))
#define VBCAST(x) MGRT_MM_VD_SET1(x)
#define VFMA(a, b, c) ((c) + (a) * (b))
#define VADD(a, b) ((a) + (b))
#else
#define VL 4
#define MR 4
#endif
#include "matmul.c"
#undef T
#undef SFX
#undef VL
#undef MR
#undef V
#undef VZERO
#undef VLOAD
#undef VSTORE
#undef VBCAST
#undef VFMA
#undef VADD
#undef MGRT_MM_TEMPLATE

/* ---- public entry points ----
** Strides: op(A)[i,p] = a[i*rsa + p*csa], op(B)[p,j] = b[p*rsb + j*csb],
** C[i,j] = c[i*n + j]. */

/* Products with a narrow side (matrix-vector, a few columns) go to
   matmul_narrow.c first, in float; NARROW_f32 tries them, NARROW_f64 is
   nothing. */
#define MGRT_MM_NARROW_f32(layout) \
  if (mgrt_mm_narrow_f32(layout, m, n, k, a, b, c)) return;
#define MGRT_MM_NARROW_f64(layout)

#if defined(MGRT_USE_BLAS)
/* BLAS takes int dimensions and rejects leading dimensions of 0, so empty
   and oversized products stay with the built-in code. */
static int mgrt_mm_blas_ok(int64_t m, int64_t k, int64_t n) {
  return m > 0 && n > 0 && k > 0 && m <= INT_MAX && n <= INT_MAX && k <= INT_MAX;
}
#define MGRT_MM_PUBLIC(name, T, sfx, layout, gemm, TA, TB, lda, ldb, rsa, csa, rsb, csb)      \
  void name(T *c, const T *a, const T *b, int64_t m, int64_t k, int64_t n) {                  \
    MGRT_MM_NARROW##sfx(layout)                                                               \
    if (mgrt_mm_blas_ok(m, k, n)) {                                                           \
      cblas_##gemm(CblasRowMajor, TA, TB, (int)m, (int)n, (int)k, 1, a, (int)(lda), b,        \
                   (int)(ldb), 0, c, (int)n);                                                 \
      return;                                                                                 \
    }                                                                                         \
    mgrt_mm_gemm##sfx(m, n, k, a, rsa, csa, b, rsb, csb, c, n, 1);                            \
  }
#else
#define MGRT_MM_PUBLIC(name, T, sfx, layout, gemm, TA, TB, lda, ldb, rsa, csa, rsb, csb)      \
  void name(T *c, const T *a, const T *b, int64_t m, int64_t k, int64_t n) {                  \
    MGRT_MM_NARROW##sfx(layout)                                                               \
    mgrt_mm_gemm##sfx(m, n, k, a, rsa, csa, b, rsb, csb, c, n, 1);                            \
  }
#endif

MGRT_MM_PUBLIC(mgrt_matmul_nn, float, _f32, 'n', sgemm, CblasNoTrans, CblasNoTrans, k, n, k, 1, n, 1)
MGRT_MM_PUBLIC(mgrt_matmul_nt, float, _f32, 't', sgemm, CblasNoTrans, CblasTrans, k, k, k, 1, 1, k)
MGRT_MM_PUBLIC(mgrt_matmul_tn, float, _f32, 'T', sgemm, CblasTrans, CblasNoTrans, m, n, 1, m, n, 1)
MGRT_MM_PUBLIC(mgrt_matmul_nn_f64, double, _f64, 'n', dgemm, CblasNoTrans, CblasNoTrans, k, n, k, 1, n, 1)
MGRT_MM_PUBLIC(mgrt_matmul_nt_f64, double, _f64, 't', dgemm, CblasNoTrans, CblasTrans, k, k, k, 1, 1, k)
MGRT_MM_PUBLIC(mgrt_matmul_tn_f64, double, _f64, 'T', dgemm, CblasTrans, CblasNoTrans, m, n, 1, m, n, 1)

/* One packed column panel (matmul_panel.h), for conv2d.c. */
int mgrt_mm_panel_width_f32(void) { return NR_f32; }
void mgrt_mm_panel_f32(int64_t m, int64_t nr, int64_t k, const float *a, int64_t lda,
                       const float *bp, int64_t ldb, float *c, int64_t rsc, int acc) {
  mgrt_mm_panel_run_f32(m, nr, k, a, lda, bp, ldb, c, rsc, acc);
}
void mgrt_mm_transpose_f32(float *dst, int64_t ldd, const float *src, int64_t rows, int64_t rs,
                           int64_t cols) {
  if (rows > 0 && cols > 0) mgrt_mm_pack_f32(dst, ldd, src, rows, rs, 1, cols);
}

/* Products with an epilogue (mgrt.h, "fused epilogues").  A narrow product
   (and every product of a BLAS build) is done first and the epilogue then
   passes over C: the same operations on the same sums. */
#define MGRT_MM_NARROW_TRY_f32(layout) mgrt_mm_narrow_f32(layout, m, n, k, a, b, c)
#define MGRT_MM_NARROW_TRY_f64(layout) 0
#if defined(MGRT_USE_BLAS)
#define MGRT_MM_EPI_BODY(plain, sfx, layout, rsa, csa, rsb, csb)                               \
  plain(c, a, b, m, k, n);                                                                    \
  mgrt_mm_epilogue##sfx(&epi, c, n, 1, 0, 0, m, n);
#else
#define MGRT_MM_EPI_BODY(plain, sfx, layout, rsa, csa, rsb, csb)                               \
  if (MGRT_MM_NARROW_TRY##sfx(layout)) {                                                      \
    mgrt_mm_epilogue##sfx(&epi, c, n, 1, 0, 0, m, n);                                         \
    return;                                                                                   \
  }                                                                                           \
  mgrt_mm_gemm_epi##sfx(m, n, k, a, rsa, csa, b, rsb, csb, c, n, 1, &epi);
#endif
/* C = relu(op(A) op(B) + bias), bias one value per column of C */
#define MGRT_MM_BIAS_RELU(name, plain, T, sfx, layout, rsa, csa, rsb, csb)                     \
  void name(T *c, const T *a, const T *b, const T *bias, int64_t m, int64_t k, int64_t n) {   \
    const mgrt_mm_epi##sfx epi = {.bias = bias, .brs = 0, .bcs = 1, .relu = 1};                \
    MGRT_MM_EPI_BODY(plain, sfx, layout, rsa, csa, rsb, csb)                                   \
  }
/* C = keep > 0 ? op(A) op(B) : 0, keep laid out as C (m x n, row-major) */
#define MGRT_MM_RELU_GRAD(name, plain, T, sfx, layout, rsa, csa, rsb, csb)                     \
  void name(T *c, const T *a, const T *b, const T *keep, int64_t m, int64_t k, int64_t n) {   \
    const mgrt_mm_epi##sfx epi = {.keep = keep, .krs = n, .kcs = 1};                           \
    MGRT_MM_EPI_BODY(plain, sfx, layout, rsa, csa, rsb, csb)                                   \
  }
MGRT_MM_BIAS_RELU(mgrt_matmul_nn_bias_relu, mgrt_matmul_nn, float, _f32, 'n', k, 1, n, 1)
MGRT_MM_BIAS_RELU(mgrt_matmul_nt_bias_relu, mgrt_matmul_nt, float, _f32, 't', k, 1, 1, k)
MGRT_MM_RELU_GRAD(mgrt_matmul_nn_relu_grad, mgrt_matmul_nn, float, _f32, 'n', k, 1, n, 1)
MGRT_MM_RELU_GRAD(mgrt_matmul_nt_relu_grad, mgrt_matmul_nt, float, _f32, 't', k, 1, 1, k)
MGRT_MM_BIAS_RELU(mgrt_matmul_nn_bias_relu_f64, mgrt_matmul_nn_f64, double, _f64, 'n', k, 1, n, 1)
MGRT_MM_BIAS_RELU(mgrt_matmul_nt_bias_relu_f64, mgrt_matmul_nt_f64, double, _f64, 't', k, 1, 1, k)
MGRT_MM_RELU_GRAD(mgrt_matmul_nn_relu_grad_f64, mgrt_matmul_nn_f64, double, _f64, 'n', k, 1, n, 1)
MGRT_MM_RELU_GRAD(mgrt_matmul_nt_relu_grad_f64, mgrt_matmul_nt_f64, double, _f64, 't', k, 1, 1, k)

#else /* MGRT_MM_TEMPLATE: the type-generic half, compiled once per T */

/* Tile width: two vectors of C per row in the SIMD kernels, so each
   broadcast of A feeds two FMAs. */
#define NR (2 * VL)
/* k chunk: a packed B micro-panel (KC x NR, 32 KiB) stays in the 48 KiB L1
   data cache while the A micro-panels of a block stream past it from L2. */
#ifndef MGRT_MM_KC_BYTES
#define MGRT_MM_KC_BYTES 32768
#endif
#define KC (MGRT_MM_KC_BYTES / (NR * (int)sizeof(T)))
/* m block: the packed A block (MC x KC) fits well inside a 1 MiB L2. */
#ifndef MGRT_MM_MC_PANELS
#define MGRT_MM_MC_PANELS 24 /* for float; half as many for double */
#endif
#define MC (MR * (MGRT_MM_MC_PANELS * 4 / (int)sizeof(T)))
/* n block: the packed B block (KC x NC) is meant for L3. */
#define NC 4096

/* ---- direct path for tiny products ----
** No copies: four rows of C at a time, one column at a time, each sum in a
** local running over p in order.  The four sums are independent chains, so
** the adds overlap instead of waiting on each other. */
static void SFX(mgrt_mm_direct)(int64_t m, int64_t n, int64_t k, const T *a, int64_t rsa,
                                int64_t csa, const T *b, int64_t rsb, int64_t csb, T *c,
                                int64_t rsc, int64_t csc) {
  int64_t i = 0;
  for (; i + 4 <= m; i += 4) {
    const T *a0 = a + i * rsa, *a1 = a0 + rsa, *a2 = a1 + rsa, *a3 = a2 + rsa;
    for (int64_t j = 0; j < n; j++) {
      const T *bj = b + j * csb;
      T s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (int64_t p = 0; p < k; p++) {
        const T bv = bj[p * rsb];
        s0 += a0[p * csa] * bv;
        s1 += a1[p * csa] * bv;
        s2 += a2[p * csa] * bv;
        s3 += a3[p * csa] * bv;
      }
      T *cj = c + i * rsc + j * csc;
      cj[0] = s0, cj[rsc] = s1, cj[2 * rsc] = s2, cj[3 * rsc] = s3;
    }
  }
  for (; i < m; i++)
    for (int64_t j = 0; j < n; j++) {
      T s = 0;
      for (int64_t p = 0; p < k; p++) s += a[i * rsa + p * csa] * b[p * rsb + j * csb];
      c[i * rsc + j * csc] = s;
    }
}

/* ---- packing ----
** A micro-panel: ap[p*MR + i] = op(A)[i0+i, p0+p] for i < MR (rows past the
** matrix are zero), so the kernel reads MR consecutive values per k step.
** B micro-panel: bp[p*NR + j] = op(B)[p0+p, j0+j] likewise for NR columns.
** Both come down to one routine: "rows" run along the panel's short side,
** with stride rs between rows and cs between consecutive p. */
static void SFX(mgrt_mm_pack)(T *restrict dst, int64_t w, const T *restrict src, int64_t rows,
                              int64_t rs, int64_t cs, int64_t kc) {
  if (rs == 1) {
    /* each k step's values are adjacent in memory: a straight copy */
    for (int64_t p = 0; p < kc; p++) {
      const T *s = src + p * cs;
      T *d = dst + p * w;
      for (int64_t i = 0; i < rows; i++) d[i] = s[i];
      for (int64_t i = rows; i < w; i++) d[i] = 0;
    }
  } else if (cs == 1) {
#if defined(MGRT_MM_PACK_T)
    SFX(mgrt_mm_pack_t)(dst, w, src, rows, rs, kc);
    return;
#endif
    /* each row is contiguous along k: a transpose.  Eight k steps at a time
       so every source row is read a cache line at a time while the writes
       fill whole lines of the panel. */
    int64_t p = 0;
    for (; p + 8 <= kc; p += 8) {
      T *d = dst + p * w;
      for (int64_t i = 0; i < rows; i++) {
        const T *s = src + i * rs + p;
        for (int q = 0; q < 8; q++) d[q * w + i] = s[q];
      }
      for (int64_t i = rows; i < w; i++)
        for (int q = 0; q < 8; q++) d[q * w + i] = 0;
    }
    for (; p < kc; p++) {
      T *d = dst + p * w;
      for (int64_t i = 0; i < rows; i++) d[i] = src[i * rs + p];
      for (int64_t i = rows; i < w; i++) d[i] = 0;
    }
  } else {
    for (int64_t p = 0; p < kc; p++) {
      T *d = dst + p * w;
      for (int64_t i = 0; i < rows; i++) d[i] = src[i * rs + p * cs];
      for (int64_t i = rows; i < w; i++) d[i] = 0;
    }
  }
}

/* Writes (or adds, when acc) an mr x nr tile held in buf (row stride NR)
   into C with any strides: for tiles at the edges of C and for C written
   transposed. */
static void SFX(mgrt_mm_store_tile)(T *c, int64_t rsc, int64_t csc, const T *buf, int mr, int nr,
                                    int acc) {
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < nr; j++) {
      T *cij = c + i * rsc + j * csc;
      *cij = acc ? *cij + buf[i * NR + j] : buf[i * NR + j];
    }
}

/* A micro-kernel: C tile (+)= A panel x B panel over kc steps of k.  The
   panels are normally packed (lda = MR, ldb = NR) but may be read straight
   from the operands when those are already laid out by k step (lda, ldb =
   the operands' strides between k steps). */
typedef void (*SFX(mgrt_mm_kernel_fn))(int64_t kc, const T *restrict ap, int64_t lda,
                                       const T *restrict bp, int64_t ldb, T *restrict c,
                                       int64_t rsc, int64_t csc, int nr, int acc);

#if defined(V)
/* ---- SIMD micro-kernels ----
** KERNEL2(R): R rows x two vectors; KERNEL1(R): R rows x one vector (the
** last, narrow column panel).  The sums run over p in order with one fused
** multiply-add per step, in every kernel, so a tile gives the same bits
** whichever kernel or thread computes it. */
#define MGRT_DECL2(i) V c##i##_0 = VZERO(), c##i##_1 = VZERO();
#define MGRT_FMA2(i)                                                                           \
  {                                                                                            \
    V ai = VBCAST(ap[i]);                                                                      \
    c##i##_0 = VFMA(ai, b0, c##i##_0);                                                         \
    c##i##_1 = VFMA(ai, b1, c##i##_1);                                                         \
  }
#define MGRT_STORE2(i)                                                                         \
  {                                                                                            \
    T *ci = c + i * rsc;                                                                       \
    if (acc) {                                                                                 \
      c##i##_0 = VADD(VLOAD(ci), c##i##_0);                                                    \
      c##i##_1 = VADD(VLOAD(ci + VL), c##i##_1);                                               \
    }                                                                                          \
    VSTORE(ci, c##i##_0);                                                                      \
    VSTORE(ci + VL, c##i##_1);                                                                 \
  }
#define MGRT_SPILL2(i)                                                                         \
  VSTORE(buf + i * NR, c##i##_0);                                                              \
  VSTORE(buf + i * NR + VL, c##i##_1);
#define MGRT_DECL1(i) V c##i##_0 = VZERO();
#define MGRT_FMA1(i) c##i##_0 = VFMA(VBCAST(ap[i]), b0, c##i##_0);
#define MGRT_STORE1(i)                                                                         \
  {                                                                                            \
    T *ci = c + i * rsc;                                                                       \
    if (acc) c##i##_0 = VADD(VLOAD(ci), c##i##_0);                                             \
    VSTORE(ci, c##i##_0);                                                                      \
  }
#define MGRT_SPILL1(i) VSTORE(buf + i * NR, c##i##_0);

#define MGRT_KERNEL2(R)                                                                        \
  static void SFX(mgrt_mm_k2_##R)(int64_t kc, const T *restrict ap, int64_t lda,              \
                                  const T *restrict bp, int64_t ldb, T *restrict c,            \
                                  int64_t rsc, int64_t csc, int nr, int acc) {                 \
    MGRT_ROWS_##R(MGRT_DECL2) for (int64_t p = 0; p < kc; p++) {                               \
      V b0 = VLOAD(bp), b1 = VLOAD(bp + VL);                                                   \
      MGRT_ROWS_##R(MGRT_FMA2) ap += lda;                                                      \
      bp += ldb;                                                                               \
    }                                                                                          \
    if (csc == 1 && nr == NR) {                                                                \
      MGRT_ROWS_##R(MGRT_STORE2)                                                               \
    } else {                                                                                   \
      _Alignas(64) T buf[MR * NR];                                                             \
      MGRT_ROWS_##R(MGRT_SPILL2) SFX(mgrt_mm_store_tile)(c, rsc, csc, buf, R, nr, acc);        \
    }                                                                                          \
  }
#define MGRT_KERNEL1(R)                                                                        \
  static void SFX(mgrt_mm_k1_##R)(int64_t kc, const T *restrict ap, int64_t lda,              \
                                  const T *restrict bp, int64_t ldb, T *restrict c,            \
                                  int64_t rsc, int64_t csc, int nr, int acc) {                 \
    MGRT_ROWS_##R(MGRT_DECL1) for (int64_t p = 0; p < kc; p++) {                               \
      V b0 = VLOAD(bp);                                                                        \
      MGRT_ROWS_##R(MGRT_FMA1) ap += lda;                                                      \
      bp += ldb;                                                                               \
    }                                                                                          \
    if (csc == 1 && nr == VL) {                                                                \
      MGRT_ROWS_##R(MGRT_STORE1)                                                               \
    } else {                                                                                   \
      _Alignas(64) T buf[MR * NR];                                                             \
      MGRT_ROWS_##R(MGRT_SPILL1) SFX(mgrt_mm_store_tile)(c, rsc, csc, buf, R, nr, acc);        \
    }                                                                                          \
  }
#define MGRT_KERNELS(R) MGRT_KERNEL2(R) MGRT_KERNEL1(R)

MGRT_KERNELS(1)
MGRT_KERNELS(2)
MGRT_KERNELS(3)
MGRT_KERNELS(4)
#if MR > 4
MGRT_KERNELS(5)
MGRT_KERNELS(6)
#endif
#if MR > 6
MGRT_KERNELS(7)
MGRT_KERNELS(8)
MGRT_KERNELS(9)
MGRT_KERNELS(10)
MGRT_KERNELS(11)
MGRT_KERNELS(12)
MGRT_KERNELS(13)
MGRT_KERNELS(14)
#endif

/* kernel for mr rows (1..MR) and nr columns (1..NR) */
static SFX(mgrt_mm_kernel_fn) SFX(mgrt_mm_kernel)(int mr, int nr) {
#define MGRT_PICK(R) \
  case R: return nr > VL ? SFX(mgrt_mm_k2_##R) : SFX(mgrt_mm_k1_##R);
  switch (mr) {
    MGRT_PICK(1) MGRT_PICK(2) MGRT_PICK(3) MGRT_PICK(4)
#if MR > 4
    MGRT_PICK(5) MGRT_PICK(6)
#endif
#if MR > 6
    MGRT_PICK(7) MGRT_PICK(8) MGRT_PICK(9) MGRT_PICK(10) MGRT_PICK(11) MGRT_PICK(12)
    MGRT_PICK(13) MGRT_PICK(14)
#endif
  }
#undef MGRT_PICK
  return SFX(mgrt_mm_k2_1); /* not reached: 1 <= mr <= MR */
}
#undef MGRT_DECL2
#undef MGRT_FMA2
#undef MGRT_STORE2
#undef MGRT_SPILL2
#undef MGRT_DECL1
#undef MGRT_FMA1
#undef MGRT_STORE1
#undef MGRT_SPILL1
#undef MGRT_KERNEL2
#undef MGRT_KERNEL1
#undef MGRT_KERNELS

#else /* no SIMD: a plain C kernel the compiler vectorizes as it can */

/* Full MR x NR tile in a local array with constant bounds (the compiler
   unrolls and vectorizes the j loop), rows past mr come from zero padding
   in the packed A and are simply not stored. */
static void SFX(mgrt_mm_kernel_c)(int64_t kc, const T *restrict ap, int64_t lda,
                                  const T *restrict bp, int64_t ldb, T *restrict c, int64_t rsc,
                                  int64_t csc, int mr, int nr, int acc) {
  T sum[MR][NR] = {{0}};
  for (int64_t p = 0; p < kc; p++) {
    for (int i = 0; i < MR; i++)
      for (int j = 0; j < NR; j++) sum[i][j] += ap[i] * bp[j];
    ap += lda;
    bp += ldb;
  }
  SFX(mgrt_mm_store_tile)(c, rsc, csc, &sum[0][0], mr, nr, acc);
}
#endif

/* ---- epilogues ----
** What happens to each element of C once its sum is complete, in this
** order: v = sum (+ bias[i*brs + j*bcs]), then relu(v) = v > 0 ? v : 0,
** then keep[i*krs + j*kcs] > 0 ? v : 0 (a ReLU's gradient: its output, or
** its input, is positive where the gradient passes).  Exactly the
** generated program's separate loops (the bias add of matmul_bias.c, the
** fused ReLU and ReLU-gradient loops), element for element. */
typedef struct {
  const T *bias; /* or NULL */
  int64_t brs, bcs;
  int relu;
  const T *keep; /* or NULL */
  int64_t krs, kcs;
} SFX(mgrt_mm_epi);

/* The epilogue on rows i0.. i0+mr-1, columns j0.. j0+nr-1 of C, whose
   element (i0, j0) is at c.  Contiguous rows (csc == 1) get loops the
   compiler vectorizes. */
static void SFX(mgrt_mm_epilogue)(const SFX(mgrt_mm_epi) *e, T *c, int64_t rsc, int64_t csc,
                                  int64_t i0, int64_t j0, int64_t mr, int64_t nr) {
  for (int64_t i = 0; i < mr; i++) {
    T *restrict ci = c + i * rsc;
    if (csc == 1 && (!e->bias || e->bcs == 1 || e->bcs == 0) && (!e->keep || e->kcs == 1)) {
      if (e->bias) {
        const T *restrict bi = e->bias + (i0 + i) * e->brs + j0 * e->bcs;
        if (e->bcs == 1)
          for (int64_t j = 0; j < nr; j++) ci[j] = ci[j] + bi[j];
        else
          for (int64_t j = 0; j < nr; j++) ci[j] = ci[j] + bi[0];
      }
      if (e->relu)
        for (int64_t j = 0; j < nr; j++) ci[j] = ci[j] > 0 ? ci[j] : 0;
      if (e->keep) {
        const T *restrict ki = e->keep + (i0 + i) * e->krs + j0;
        for (int64_t j = 0; j < nr; j++) ci[j] = ki[j] > 0 ? ci[j] : 0;
      }
      continue;
    }
    for (int64_t j = 0; j < nr; j++) {
      T v = ci[j * csc];
      if (e->bias) v = v + e->bias[(i0 + i) * e->brs + (j0 + j) * e->bcs];
      if (e->relu) v = v > 0 ? v : 0;
      if (e->keep) v = e->keep[(i0 + i) * e->krs + (j0 + j) * e->kcs] > 0 ? v : 0;
      ci[j * csc] = v;
    }
  }
}

/* ---- the blocked product ---- */
typedef struct {
  int64_t m, n, k;
  const T *a;
  int64_t rsa, csa;
  const T *b;
  int64_t rsb, csb;
  T *c;
  int64_t rsc, csc;
  int64_t kcb, mcb, ncb; /* block sizes used for this product */
  int a_direct, b_direct; /* panels read in place rather than packed */
  T *apack, *bpack;
  const SFX(mgrt_mm_epi) *epi; /* applied to C's tiles after the last k chunk, or NULL */
} SFX(mgrt_mm_job);

/* A panel can be read in place when its k steps already hold MR (NR)
   adjacent values: A used transposed (tn) and B not (nn, tn).  That saves
   the copy, which on the MLP's shapes costs a tenth of the product.  Panels
   at the ragged edge are packed anyway: a kernel reads whole vectors of B,
   which would run past the matrix, and the plain C kernel reads all MR rows
   of A. */
static int SFX(mgrt_mm_in_place_a)(const SFX(mgrt_mm_job) *job, int64_t mr) {
#if defined(V)
  (void)mr;
  return job->a_direct;
#else
  return job->a_direct && mr == MR;
#endif
}

/* Where packed panels go.  With in-place reading only the one ragged panel
   of a block is packed, at the start of a buffer of one panel. */
static T *SFX(mgrt_mm_apanel)(const SFX(mgrt_mm_job) *job, int64_t ip, int64_t kc) {
  /* each panel starts on a cache line, so threads packing neighbouring
     panels never write to the same line */
  return job->a_direct ? job->apack
                       : job->apack + ip * mgrt_mm_round_up(MR * kc, 64 / (int64_t)sizeof(T));
}
static T *SFX(mgrt_mm_bpanel)(const SFX(mgrt_mm_job) *job, int64_t jp, int64_t kc) {
  return job->b_direct ? job->bpack : job->bpack + jp * NR * kc;
}

/* One block of the loops below: C's columns [jc, jc + nc), k [pc, pc + kc),
   C's rows [ic, ic + mc), and where its operands start. */
typedef struct {
  int64_t jc, nc, npanels, kc, ic, mc, ipanels;
  int acc;  /* first k chunk overwrites C, later ones add */
  int last; /* the last k chunk: the epilogue follows it */
  const T *a, *b;
} SFX(mgrt_mm_block);

static void SFX(mgrt_mm_pack_b_panel)(const SFX(mgrt_mm_job) *job, const SFX(mgrt_mm_block) *blk,
                                      int64_t jp) {
  const int64_t j0 = jp * NR, nr = mgrt_mm_min(NR, blk->nc - j0);
  if (job->b_direct && nr == NR) return;
  SFX(mgrt_mm_pack)(SFX(mgrt_mm_bpanel)(job, jp, blk->kc), NR, blk->b + j0 * job->csb, nr, job->csb,
                    job->rsb, blk->kc);
}

static void SFX(mgrt_mm_pack_a_panel)(const SFX(mgrt_mm_job) *job, const SFX(mgrt_mm_block) *blk,
                                      int64_t ip) {
  const int64_t i0 = ip * MR, mr = mgrt_mm_min(MR, blk->mc - i0);
  if (SFX(mgrt_mm_in_place_a)(job, mr)) return;
  SFX(mgrt_mm_pack)(SFX(mgrt_mm_apanel)(job, ip, blk->kc), MR, blk->a + i0 * job->rsa, mr, job->rsa,
                    job->csa, blk->kc);
}

/* Tile t of the block, in column-panel-major order. */
static void SFX(mgrt_mm_tile)(const SFX(mgrt_mm_job) *job, const SFX(mgrt_mm_block) *blk, int64_t t) {
  const int64_t jp = t / blk->ipanels, ip = t % blk->ipanels;
  const int64_t i0 = ip * MR, j0 = jp * NR;
  const int mr = (int)mgrt_mm_min(MR, blk->mc - i0);
  const int nr = (int)mgrt_mm_min(NR, blk->nc - j0);
  T *c = job->c + (blk->ic + i0) * job->rsc + (blk->jc + j0) * job->csc;
  const T *ap = SFX(mgrt_mm_apanel)(job, ip, blk->kc), *bp = SFX(mgrt_mm_bpanel)(job, jp, blk->kc);
  int64_t lda = MR, ldb = NR;
  if (SFX(mgrt_mm_in_place_a)(job, mr)) ap = blk->a + i0 * job->rsa, lda = job->csa;
  if (job->b_direct && nr == NR) bp = blk->b + j0 * job->csb, ldb = job->rsb;
#if defined(V)
  SFX(mgrt_mm_kernel)(mr, nr)(blk->kc, ap, lda, bp, ldb, c, job->rsc, job->csc, nr, blk->acc);
#else
  SFX(mgrt_mm_kernel_c)(blk->kc, ap, lda, bp, ldb, c, job->rsc, job->csc, mr, nr, blk->acc);
#endif
  if (job->epi && blk->last)
    SFX(mgrt_mm_epilogue)(job->epi, c, job->rsc, job->csc, blk->ic + i0, blk->jc + j0, mr, nr);
}

/* The loops over blocks, run by every thread of the team (shared: the
   "omp for" loops share out packing and tiles; their implied barriers
   order "panels packed" -> "tiles done" -> "buffers free for the next
   block"), or by the caller alone, with no OpenMP construct at all: called
   inside a parallel region of its own caller (a convolution shares its
   images out between threads, runtime/conv2d.c), an orphaned "omp for"
   would bind to the caller's team, and even in a team of one the
   runtime's barriers cost system calls. */
static void SFX(mgrt_mm_blocks)(const SFX(mgrt_mm_job) *job, int shared) {
  const int64_t m = job->m, n = job->n, k = job->k;
  SFX(mgrt_mm_block) blk;
  for (blk.jc = 0; blk.jc < n; blk.jc += job->ncb) {
    blk.nc = mgrt_mm_min(job->ncb, n - blk.jc);
    blk.npanels = mgrt_mm_ceil_div(blk.nc, NR);
    for (int64_t pc = 0; pc < k; pc += job->kcb) {
      blk.kc = mgrt_mm_min(job->kcb, k - pc);
      blk.acc = pc > 0;
      blk.last = pc + blk.kc == k;
      blk.b = job->b + pc * job->rsb + blk.jc * job->csb;
      for (blk.ic = 0; blk.ic < m; blk.ic += job->mcb) {
        blk.mc = mgrt_mm_min(job->mcb, m - blk.ic);
        blk.ipanels = mgrt_mm_ceil_div(blk.mc, MR);
        blk.a = job->a + blk.ic * job->rsa + pc * job->csa;
        /* The B block is packed together with the first A block, behind
           one barrier (on these small products the barriers are what keeps
           two threads from being twice as fast as one).  B's panels are
           dealt out in contiguous runs like the tiles below, so a thread
           mostly computes with the B panels it packed itself, from its own
           cache; the A block is shared by all tiles.  Nothing to pack when
           both operands are read in place (tn): no loop and no barrier. */
        const int pack_b = blk.ic == 0 && (!job->b_direct || blk.nc % NR != 0);
        const int pack_a =
            !SFX(mgrt_mm_in_place_a)(job, mgrt_mm_min(MR, blk.mc - (blk.ipanels - 1) * MR));
        /* Tiles in column-panel-major order, so with a static schedule a
           thread works through whole B micro-panels (kept in L1) against
           the shared A block (in L2). */
        const int64_t ntiles = blk.npanels * blk.ipanels;
        if (!shared) {
          if (pack_b)
            for (int64_t jp = 0; jp < blk.npanels; jp++) SFX(mgrt_mm_pack_b_panel)(job, &blk, jp);
          if (pack_a)
            for (int64_t ip = 0; ip < blk.ipanels; ip++) SFX(mgrt_mm_pack_a_panel)(job, &blk, ip);
          for (int64_t t = 0; t < ntiles; t++) SFX(mgrt_mm_tile)(job, &blk, t);
          continue;
        }
        if (pack_b) {
          MGRT_OMP(omp for schedule(static) nowait)
          for (int64_t jp = 0; jp < blk.npanels; jp++) SFX(mgrt_mm_pack_b_panel)(job, &blk, jp);
        }
        if (pack_a) {
          MGRT_OMP(omp for schedule(static))
          for (int64_t ip = 0; ip < blk.ipanels; ip++) SFX(mgrt_mm_pack_a_panel)(job, &blk, ip);
        } else if (pack_b) {
          MGRT_OMP(omp barrier)
        }
        MGRT_OMP(omp for schedule(static))
        for (int64_t t = 0; t < ntiles; t++) SFX(mgrt_mm_tile)(job, &blk, t);
      }
    }
  }
}

/* Fraction of the lanes doing useful work when x columns are cut into
   vectors of VL. */
static double SFX(mgrt_mm_lane_use)(int64_t x) {
  return (double)x / (double)mgrt_mm_round_up(x, VL);
}

/* C = epi(op(A) op(B)) with op(A)[i,p] = a[i*rsa + p*csa], op(B)[p,j] =
   b[p*rsb + j*csb], C[i,j] = c[i*rsc + j*csc]; epi may be NULL. */
static void SFX(mgrt_mm_gemm_epi)(int64_t m, int64_t n, int64_t k, const T *a, int64_t rsa,
                                  int64_t csa, const T *b, int64_t rsb, int64_t csb, T *c,
                                  int64_t rsc, int64_t csc, const SFX(mgrt_mm_epi) *epi) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) c[i * rsc + j * csc] = 0;
    if (epi) SFX(mgrt_mm_epilogue)(epi, c, rsc, csc, 0, 0, m, n);
    return;
  }
  /* Tiny products, and a handful of long dot products (where a panel would
     be mostly padding), go straight through. */
  if ((double)m * (double)n * (double)k <= (double)MGRT_MM_DIRECT_MAX || m * n <= 4) {
    SFX(mgrt_mm_direct)(m, n, k, a, rsa, csa, b, rsb, csb, c, rsc, csc);
    if (epi) SFX(mgrt_mm_epilogue)(epi, c, rsc, csc, 0, 0, m, n);
    return;
  }
  SFX(mgrt_mm_epi) turned_epi;
  /* The kernel vectorizes along n.  When n is narrow and m is not (say
     100x256 @ 256x10), compute C^T = op(B)^T op(A)^T instead, writing C
     transposed: the same sums in the same order, with far fewer idle
     lanes. */
  if (SFX(mgrt_mm_lane_use)(m) > SFX(mgrt_mm_lane_use)(n) + 0.25) {
    const T *t = a;
    int64_t s;
    a = b, b = t;
    s = m, m = n, n = s;
    s = rsa, rsa = csb, csb = s;
    s = csa, csa = rsb, rsb = s;
    s = rsc, rsc = csc, csc = s;
    if (epi) { /* the epilogue's operands are indexed the other way round too */
      turned_epi = *epi;
      turned_epi.brs = epi->bcs, turned_epi.bcs = epi->brs;
      turned_epi.krs = epi->kcs, turned_epi.kcs = epi->krs;
      epi = &turned_epi;
    }
  }
  SFX(mgrt_mm_job) job = {.m = m, .n = n, .k = k, .a = a, .rsa = rsa, .csa = csa, .b = b,
                          .rsb = rsb, .csb = csb, .c = c, .rsc = rsc, .csc = csc, .epi = epi};
  /* Equal k chunks (k = 784 gives 2 x 392 rather than 512 + 272), so no
     chunk is short enough for the loop overhead to show. */
  const int64_t nkc = mgrt_mm_ceil_div(k, KC);
  job.kcb = mgrt_mm_ceil_div(k, nkc);
  job.mcb = mgrt_mm_min(mgrt_mm_round_up(m, MR), MC);
  job.a_direct = rsa == 1;
  job.b_direct = csb == 1;
  job.ncb = mgrt_mm_min(mgrt_mm_round_up(n, NR), NC);
  /* Small products pack into a buffer on the stack: for them malloc and
     free would cost a fifth of the time. */
#if defined(V)
  const int64_t arows = job.a_direct ? 0 : job.mcb; /* every row count has a kernel */
#else
  const int64_t arows = job.a_direct ? MR : job.mcb;
#endif
  /* whole cache lines per A panel, so B's panels after them stay aligned */
  const size_t asize = (size_t)(mgrt_mm_ceil_div(arows, MR) *
                                mgrt_mm_round_up(MR * job.kcb, 64 / (int64_t)sizeof(T)));
  const size_t bsize = (size_t)((job.b_direct ? NR : job.ncb) * job.kcb);
  _Alignas(64) T local[MGRT_MM_STACK_BYTES / sizeof(T)];
  T *heap = NULL;
  if (asize + bsize <= sizeof local / sizeof(T)) {
    job.apack = local;
  } else {
    job.apack = heap = mgrt_mm_alloc(sizeof(T) * (asize + bsize));
    if (!heap) {
      SFX(mgrt_mm_direct)(m, n, k, a, rsa, csa, b, rsb, csb, c, rsc, csc);
      if (epi) SFX(mgrt_mm_epilogue)(epi, c, rsc, csc, 0, 0, m, n);
      return;
    }
  }
  job.bpack = job.apack + asize;
  const int threads = mgrt_mm_threads(m, n, k);
  if (threads > 1) {
    MGRT_OMP(omp parallel num_threads(threads))
    SFX(mgrt_mm_blocks)(&job, 1);
  } else {
    SFX(mgrt_mm_blocks)(&job, 0);
  }
  free(heap);
}

static void SFX(mgrt_mm_gemm)(int64_t m, int64_t n, int64_t k, const T *a, int64_t rsa,
                              int64_t csa, const T *b, int64_t rsb, int64_t csb, T *c,
                              int64_t rsc, int64_t csc) {
  SFX(mgrt_mm_gemm_epi)(m, n, k, a, rsa, csa, b, rsb, csb, c, rsc, csc, NULL);
}

/* The micro-kernels over the rows of one packed column panel of B, A read
   in place (matmul_panel.h): what a tile of the blocked product does, for a
   caller that packs B itself.  Without SIMD kernels (whose tails read only
   the rows they compute) plain loops do it, one sum per element.  Only the
   float one has a caller. */
#if defined(__GNUC__)
__attribute__((unused))
#endif
static void SFX(mgrt_mm_panel_run)(int64_t m, int64_t nr, int64_t k, const T *a, int64_t lda,
                                   const T *bp, int64_t ldb, T *c, int64_t rsc, int acc) {
  if (m <= 0 || nr <= 0) return;
#if defined(V)
  /* rows in tiles of equal height (64 rows: 13, 13, 13, 13, 12 rather than
     14, 14, 14, 14, 8): a short tile has few multiply-adds per load */
  const int64_t tiles = mgrt_mm_ceil_div(m, MR), rows = mgrt_mm_ceil_div(m, tiles);
  for (int64_t i0 = 0; i0 < m; i0 += rows) {
    const int mr = (int)mgrt_mm_min(rows, m - i0);
    if (k > 0) {
      SFX(mgrt_mm_kernel)(mr, (int)nr)(k, a + i0, lda, bp, ldb, c + i0 * rsc, rsc, 1, (int)nr, acc);
      continue;
    }
    for (int i = 0; i < mr; i++)
      for (int64_t j = 0; j < nr; j++) c[(i0 + i) * rsc + j] = acc ? c[(i0 + i) * rsc + j] : 0;
  }
#else
  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < nr; j++) {
      T sum = 0;
      for (int64_t p = 0; p < k; p++) sum += a[i + p * lda] * bp[p * ldb + j];
      c[i * rsc + j] = acc ? c[i * rsc + j] + sum : sum;
    }
#endif
}

/* the panel width, for the wrappers after the template */
enum { SFX(NR) = NR };

#undef NR
#undef KC
#undef MC
#undef NC

#endif /* MGRT_MM_TEMPLATE */
