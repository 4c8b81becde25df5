/*
** transpose16.h — libmgrt-internal: a 16 x 16 float transpose in AVX-512
** registers, for the kernels that turn sixteen rows into vectors
** (matmul_narrow.c) and back into rows (softmax_ce.c).
*/
#ifndef MGRT_TRANSPOSE16_H
#define MGRT_TRANSPOSE16_H

#if defined(__AVX512F__) && !defined(MGRT_MM_PORTABLE)
#include <immintrin.h>

/* 16 x 16 transpose in registers: on return r[c] lane t = old r[t] lane c. */
static inline __attribute__((always_inline)) void transpose16(__m512 r[16]) {
  __m512 t[16], u[16];
  for (int i = 0; i < 8; i++) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
#define MGRT_PD(f, x, y) _mm512_castpd_ps(f(_mm512_castps_pd(x), _mm512_castps_pd(y)))
  for (int i = 0; i < 4; i++) {
    u[4 * i + 0] = MGRT_PD(_mm512_unpacklo_pd, t[4 * i + 0], t[4 * i + 2]);
    u[4 * i + 1] = MGRT_PD(_mm512_unpackhi_pd, t[4 * i + 0], t[4 * i + 2]);
    u[4 * i + 2] = MGRT_PD(_mm512_unpacklo_pd, t[4 * i + 1], t[4 * i + 3]);
    u[4 * i + 3] = MGRT_PD(_mm512_unpackhi_pd, t[4 * i + 1], t[4 * i + 3]);
  }
#undef MGRT_PD
  /* u[4g + q], 128-bit lane L: rows 4g..4g+3 of column 4L + q */
  for (int q = 0; q < 4; q++) {
    const __m512 x0 = _mm512_shuffle_f32x4(u[q], u[4 + q], 0x88);
    const __m512 x1 = _mm512_shuffle_f32x4(u[q], u[4 + q], 0xdd);
    const __m512 y0 = _mm512_shuffle_f32x4(u[8 + q], u[12 + q], 0x88);
    const __m512 y1 = _mm512_shuffle_f32x4(u[8 + q], u[12 + q], 0xdd);
    r[q] = _mm512_shuffle_f32x4(x0, y0, 0x88);
    r[8 + q] = _mm512_shuffle_f32x4(x0, y0, 0xdd);
    r[4 + q] = _mm512_shuffle_f32x4(x1, y1, 0x88);
    r[12 + q] = _mm512_shuffle_f32x4(x1, y1, 0xdd);
  }
}

#endif
#endif
