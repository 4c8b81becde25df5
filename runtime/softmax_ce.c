/*
** softmax_ce.c — a classifier's last layer and its loss in one call:
** z = A B (+ bias), softmax(z) row by row, and the sum over the rows of
** cross_entropy(z, labels) = log(sum of exp(z - max)) - (z - max)[label].
**
** The generated training step calls it where a softmax cross-entropy reads
** the logits of a product (x @ W + b) that nothing else in the step reads
** (compiler/schedule.c).  With a handful of classes, the cross-entropy's
** loops over a row's classes are too short for vector instructions: the
** max, the sum and the normalizing run one float at a time.  The turned
** product (matmul_narrow.c) has sixteen rows of z column by column, one
** vector per class, so here the same work runs across sixteen rows at once,
** with no shuffles until the probabilities are turned back into rows; and z
** itself is never stored.
**
** With AVX-512, in chunks of CHUNK rows (which stay in the L1 cache): the
** product's epilogue adds the bias, takes each row's max (vector against
** vector) and its label's logit, and stores the shifted logits z - max
** column by column where the tile's rows of output go (a last tile of
** fewer rows: in a spare tile); one loop then takes every exp of the chunk
** (a flat loop that vectorizes, as the generated program's does); then
** each tile's sums, reciprocals, probabilities and gradient, (p -
** onehot) / N, are taken in registers and turned back into rows; then one
** loop takes the chunk's logs, sixteen at a time.  There is one instance of it per class count, so that
** the loops over the classes unroll and a tile's columns stay in
** registers: zoo's 101 x 16 @ 16 x 7 with its loss went from 0.87 to 0.74
** us with that.  (Doing all of a tile's work in its epilogue, exps and
** logs included, measured the same as these passes; a version in plain C
** loops across the rows, which gcc vectorized with the columns kept on the
** stack, was slower.)
**
** Every value is the one the generated program's separate kernels compute:
** the same product (the turned kernel's sums are the narrow kernels'
** sums), the bias added after it, then per row the max (the first largest),
** z - max, exp, the sum over the classes in order, one reciprocal and a
** multiplication per class; the loss of each row in double, log(sum) -
** (z - max)[label], sixteen rows' losses in sixteen lanes, the rows of a
** last part-tile added in order, and the lanes folded pairwise at the end
** (emit_class_loss in compiler/emit/kernels/losses.c writes the same loops).
** Without AVX-512 the product is mgrt_matmul_*'s and the portable tile code
** runs on copies of sixteen rows at a time.
*/
#include "mgrt.h"

#include <math.h>

#include "matmul_narrow.h"
#include "mgrt_math.h"
#include "transpose16.h"

enum { TILE = 16, CHUNK = 256 };

#if defined(__GNUC__)
#define MGRT_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define MGRT_ALWAYS_INLINE inline
#endif

typedef struct {
  const float *bias;
  int64_t bias_step;
  const int64_t *labels; /* of the rows of the current chunk */
  float *probs, *grad;   /* the current chunk's rows of each (NULL: not wanted) */
  float *out;            /* the chunk's scratch: its probs, or else its grad */
  float divisor;         /* of the gradient */
  double lanes[TILE];    /* row r of a whole tile adds its loss to lanes[r % 16] */
  double tail;           /* the rows of a last, partial tile, in order */
  float picked[CHUNK];   /* per row of the chunk: (z - max)[label] */
  float sums[CHUNK];     /* per row of the chunk: the sum of exp(z - max) */
  float spare[TILE * MGRT_SOFTMAX_CE_MAX_CLASSES]; /* a last tile of fewer rows */
  int32_t label32[CHUNK]; /* the chunk's labels as the vectors compare them (-1 past the rows) */
} Losses;

/* The rows' losses, log(sum) - picked in double: a row's is added to its
   lane in whole tiles, to the tail (in order) in a partial one.  sums and
   picked hold whole tiles (a partial tile's spare lanes hold copies of its
   last row, whose losses are computed and dropped), so that the logs are
   always taken sixteen at a time. */
static void add_losses(Losses *ce, int64_t rows, const float *sums, const float *picked) {
  for (int64_t r = 0; r < rows; r += TILE) {
    double loss[TILE];
    for (int t = 0; t < TILE; t++)
      loss[t] = (double)mgrt_logf(sums[r + t]) - (double)picked[r + t];
    if (rows - r >= TILE)
      for (int t = 0; t < TILE; t++)
        ce->lanes[t] += loss[t];
    else
      for (int t = 0; t < rows - r; t++)
        ce->tail += loss[t];
  }
}

/* The portable version: the softmax and the losses of a tile of rows (their
   labels from `labels`), z column by column in tile (tile[j * TILE + t] =
   z[row t, j]); the probabilities replace z.  Each loop runs across the
   sixteen rows, so it vectorizes. */
static void softmax_ce_rows(Losses *ce, const int64_t *labels, int rows, int n, float *tile) {
  float max[TILE], sum[TILE], picked[TILE], scale[TILE];
  int64_t label[TILE];
  for (int t = 0; t < TILE; t++) /* a lane past the rows picks nothing */
    label[t] = t < rows ? labels[t] : -1;
  if (ce->bias)
    for (int j = 0; j < n; j++) {
      const float b = ce->bias[j * ce->bias_step];
      for (int t = 0; t < TILE; t++)
        tile[j * TILE + t] += b;
    }
  for (int t = 0; t < TILE; t++)
    max[t] = tile[t];
  for (int j = 1; j < n; j++)
    for (int t = 0; t < TILE; t++)
      max[t] = tile[j * TILE + t] > max[t] ? tile[j * TILE + t] : max[t];
  for (int t = 0; t < TILE; t++)
    sum[t] = picked[t] = 0;
  for (int j = 0; j < n; j++)
    for (int t = 0; t < TILE; t++) {
      const float shifted = tile[j * TILE + t] - max[t];
      picked[t] = label[t] == j ? shifted : picked[t];
      tile[j * TILE + t] = mgrt_expf(shifted);
    }
  for (int j = 0; j < n; j++)
    for (int t = 0; t < TILE; t++)
      sum[t] += tile[j * TILE + t];
  for (int t = 0; t < TILE; t++)
    scale[t] = 1 / sum[t];
  for (int j = 0; j < n; j++)
    for (int t = 0; t < TILE; t++)
      tile[j * TILE + t] *= scale[t];
  add_losses(ce, rows, sum, picked);
}

/* The probabilities of a tile's rows i .. i + rows - 1, and the gradient
   (p - onehot) / divisor, stored as rows where they are wanted. */
static void store_rows(Losses *ce, int64_t i, int rows, int n, const float *tile) {
  for (int t = 0; t < rows; t++)
    for (int j = 0; j < n; j++) {
      const float p = tile[j * TILE + t];
      if (ce->probs)
        ce->probs[(i + t) * n + j] = p;
      if (ce->grad)
        ce->grad[(i + t) * n + j] = (p - (ce->labels[i + t] == j ? 1.0f : 0.0f)) / ce->divisor;
    }
}

static void portable(char layout, Losses *ce, const float *a, const float *b, int64_t m, int64_t k, int64_t n) {
  if (layout == 'n')
    mgrt_matmul_nn(ce->out, a, b, m, k, n);
  else
    mgrt_matmul_nt(ce->out, a, b, m, k, n);
  float tile[TILE * MGRT_SOFTMAX_CE_MAX_CLASSES];
  for (int64_t i = 0; i < m; i += TILE) {
    const int rows = m - i < TILE ? (int)(m - i) : TILE;
    for (int64_t j = 0; j < n; j++)
      for (int t = 0; t < TILE; t++)
        tile[j * TILE + t] = ce->out[(i + (t < rows ? t : rows - 1)) * n + j];
    softmax_ce_rows(ce, ce->labels + i, rows, (int)n, tile);
    store_rows(ce, i, rows, (int)n, tile);
  }
}

#if defined(__AVX512F__) && !defined(MGRT_MM_PORTABLE)
/* Where tile i of the chunk keeps its shifted logits column by column:
   its rows' place in the chunk's output (16 n floats, the same space), or
   for a last tile of fewer rows, the chunk's spare tile. */
static MGRT_ALWAYS_INLINE float *columns_of(Losses *ce, int64_t i, int rows, const int n) {
  return rows == TILE ? ce->out + i * n : ce->spare;
}

/* The product's epilogue for a tile of rows i .. i + rows - 1 of the chunk:
   the bias, the max of each row, the label's shifted logit (into picked),
   and the shifted logits z - max, column by column, into columns_of. */
static MGRT_ALWAYS_INLINE int shift_tile(void *ctx, int64_t i, int rows, const int n, float *tile) {
  Losses *ce = ctx;
  __m512i labels;
  if (rows == TILE) {
    const __m512i lo = _mm512_loadu_si512(ce->labels + i), hi = _mm512_loadu_si512(ce->labels + i + 8);
    labels = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtepi64_epi32(lo)), _mm512_cvtepi64_epi32(hi), 1);
  } else {
    _Alignas(64) int32_t label[TILE];
    for (int t = 0; t < TILE; t++) /* a lane past the rows picks nothing */
      label[t] = t < rows ? (int32_t)ce->labels[i + t] : -1;
    labels = _mm512_load_si512(label);
  }
  for (int j = 0; j < n; j++) {
    __m512 z = _mm512_load_ps(tile + j * TILE);
    if (ce->bias)
      z = _mm512_add_ps(z, _mm512_set1_ps(ce->bias[j * ce->bias_step]));
    _mm512_store_ps(tile + j * TILE, z);
  }
  __m512 max = _mm512_load_ps(tile); /* max_ps(a, b) is a > b ? a : b, as the C */
  for (int j = 1; j < n; j++)
    max = _mm512_max_ps(_mm512_load_ps(tile + j * TILE), max);
  __m512 picked = _mm512_setzero_ps();
  float *columns = columns_of(ce, i, rows, n);
  for (int j = 0; j < n; j++) {
    const __m512 shifted = _mm512_sub_ps(_mm512_load_ps(tile + j * TILE), max);
    picked = _mm512_mask_mov_ps(picked, _mm512_cmpeq_epi32_mask(labels, _mm512_set1_epi32(j)), shifted);
    _mm512_storeu_ps(columns + j * TILE, shifted);
  }
  _mm512_storeu_ps(ce->picked + i, picked);
  _mm512_storeu_si512(ce->label32 + i, labels);
  return 1;
}

/* A chunk of `rows` rows after the product: every exp, then per tile the
   sums, the probabilities and the gradient turned back into rows, then the
   losses. */
static MGRT_ALWAYS_INLINE void finish_chunk(Losses *ce, int64_t rows, const int n) {
  const int64_t whole = rows / TILE * TILE;
  for (int64_t q = 0; q < whole * n; q++)
    ce->out[q] = mgrt_expf(ce->out[q]);
  if (whole < rows)
    for (int q = 0; q < TILE * n; q++)
      ce->spare[q] = mgrt_expf(ce->spare[q]);
  const __mmask16 row_mask = (__mmask16)((1u << n) - 1u);
  for (int64_t i = 0; i < rows; i += TILE) {
    const int tile_rows = rows - i < TILE ? (int)(rows - i) : TILE;
    const float *columns = columns_of(ce, i, tile_rows, n);
    __m512 v[TILE], sum = _mm512_setzero_ps();
    for (int j = 0; j < n; j++) {
      v[j] = _mm512_loadu_ps(columns + j * TILE);
      sum = _mm512_add_ps(sum, v[j]);
    }
    const __m512 scale = _mm512_div_ps(_mm512_set1_ps(1), sum);
    for (int j = 0; j < n; j++)
      v[j] = _mm512_mul_ps(v[j], scale);
    _mm512_storeu_ps(ce->sums + i, sum);
    if (ce->grad) { /* (p - onehot) / divisor, as the generated gradient loop */
      const __m512i labels = _mm512_loadu_si512(ce->label32 + i);
      const __m512 divisor = _mm512_set1_ps(ce->divisor);
      __m512 g[TILE];
      for (int j = 0; j < n; j++) {
        const __mmask16 hot = _mm512_cmpeq_epi32_mask(labels, _mm512_set1_epi32(j));
        const __m512 onehot = _mm512_maskz_mov_ps(hot, _mm512_set1_ps(1));
        g[j] = _mm512_div_ps(_mm512_sub_ps(v[j], onehot), divisor);
      }
      for (int j = n; j < TILE; j++)
        g[j] = _mm512_setzero_ps();
      transpose16(g); /* g[t] = row i + t */
      for (int t = 0; t < tile_rows; t++)
        _mm512_mask_storeu_ps(ce->grad + (i + t) * n, row_mask, g[t]);
    }
    if (ce->probs) {
      for (int j = n; j < TILE; j++)
        v[j] = _mm512_setzero_ps();
      transpose16(v); /* v[t] = row i + t */
      for (int t = 0; t < tile_rows; t++)
        _mm512_mask_storeu_ps(ce->probs + (i + t) * n, row_mask, v[t]);
    }
  }
  add_losses(ce, rows, ce->sums, ce->picked);
}

/* The rows of a chunk's product, as mgrt_matmul_* left them in ce->out,
   turned into tiles for shift_tile: for the products that the turned
   kernel does not take (k > 256). */
static MGRT_ALWAYS_INLINE void shift_rows(Losses *ce, int64_t rows, const int n) {
  _Alignas(64) float tile[TILE * TILE];
  const __mmask16 row_mask = (__mmask16)((1u << n) - 1u);
  for (int64_t i = 0; i < rows; i += TILE) {
    const int tile_rows = rows - i < TILE ? (int)(rows - i) : TILE;
    __m512 v[TILE];
    for (int t = 0; t < TILE; t++) /* lanes past the rows repeat the last row */
      v[t] = _mm512_maskz_loadu_ps(row_mask, ce->out + (i + (t < tile_rows ? t : tile_rows - 1)) * n);
    transpose16(v); /* v[j] = column j */
    for (int j = 0; j < n; j++)
      _mm512_store_ps(tile + j * TILE, v[j]);
    shift_tile(ce, i, tile_rows, n, tile);
  }
}

/* The AVX-512 version, in chunks: the product (turned, with shift_tile as
   its epilogue, or mgrt_matmul_*'s followed by shift_rows), then
   finish_chunk.  One instance per class count N, so that the loops over the
   classes unroll and the tile's columns stay in registers. */
#define MGRT_CE_CLASSES(N)                                                                        \
  static int shift_tile_##N(void *ctx, int64_t i, int rows, int n, float *tile) {                 \
    (void)n;                                                                                      \
    return shift_tile(ctx, i, rows, N, tile);                                                     \
  }                                                                                               \
  static void chunks_##N(char layout, Losses *ce, const float *a, const float *b, int64_t m,      \
                         int64_t k) {                                                             \
    const int64_t *labels = ce->labels;                                                           \
    float *probs = ce->probs, *grad = ce->grad, *out = ce->out;                                   \
    for (int64_t c0 = 0; c0 < m; c0 += CHUNK) {                                                   \
      const int64_t rows = m - c0 < CHUNK ? m - c0 : CHUNK;                                       \
      ce->labels = labels + c0;                                                                   \
      ce->probs = probs ? probs + c0 * N : NULL;                                                  \
      ce->grad = grad ? grad + c0 * N : NULL;                                                     \
      ce->out = out + c0 * N;                                                                     \
      if (!mgrt_mm_turned_f32(layout, rows, N, k, a + c0 * k, b, ce->out, shift_tile_##N, ce)) {  \
        if (layout == 'n')                                                                        \
          mgrt_matmul_nn(ce->out, a + c0 * k, b, rows, k, N);                                     \
        else                                                                                      \
          mgrt_matmul_nt(ce->out, a + c0 * k, b, rows, k, N);                                     \
        shift_rows(ce, rows, N);                                                                  \
      }                                                                                           \
      finish_chunk(ce, rows, N);                                                                  \
    }                                                                                             \
    ce->labels = labels, ce->probs = probs, ce->grad = grad, ce->out = out;                       \
  }
MGRT_CE_CLASSES(2) MGRT_CE_CLASSES(3) MGRT_CE_CLASSES(4) MGRT_CE_CLASSES(5) MGRT_CE_CLASSES(6)
MGRT_CE_CLASSES(7) MGRT_CE_CLASSES(8) MGRT_CE_CLASSES(9) MGRT_CE_CLASSES(10) MGRT_CE_CLASSES(11)
MGRT_CE_CLASSES(12) MGRT_CE_CLASSES(13) MGRT_CE_CLASSES(14) MGRT_CE_CLASSES(15) MGRT_CE_CLASSES(16)
#undef MGRT_CE_CLASSES

/* Declines one class (the portable code does it). */
static int turned(char layout, Losses *ce, const float *a, const float *b, int64_t m, int64_t k, int64_t n) {
  typedef void (*Chunks)(char, Losses *, const float *, const float *, int64_t, int64_t);
  static const Chunks chunks[MGRT_SOFTMAX_CE_MAX_CLASSES + 1] = {
      NULL,      NULL,      chunks_2,  chunks_3,  chunks_4,  chunks_5,  chunks_6,  chunks_7, chunks_8,
      chunks_9,  chunks_10, chunks_11, chunks_12, chunks_13, chunks_14, chunks_15, chunks_16};
  if (n < 2)
    return 0;
  chunks[n](layout, ce, a, b, m, k);
  return 1;
}
#else
static int turned(char layout, Losses *ce, const float *a, const float *b, int64_t m, int64_t k, int64_t n) {
  (void)layout, (void)ce, (void)a, (void)b, (void)m, (void)k, (void)n;
  return 0;
}
#endif

static double linear_softmax_ce(char layout, float *probs, float *grad, float divisor, const float *a,
                                const float *b, const float *bias, int64_t bias_step, const int64_t *labels,
                                int64_t m, int64_t k, int64_t n) {
  if (n < 1 || n > MGRT_SOFTMAX_CE_MAX_CLASSES || (!probs && !grad))
    return NAN;
  Losses ce; /* the per-row arrays are written before they are read: not cleared */
  ce.bias = bias;
  ce.bias_step = bias_step;
  ce.labels = labels;
  ce.probs = probs;
  ce.grad = grad;
  ce.out = probs ? probs : grad;
  ce.divisor = divisor;
  for (int t = 0; t < TILE; t++)
    ce.lanes[t] = 0;
  ce.tail = 0;
  if (m > 0 && !turned(layout, &ce, a, b, m, k, n))
    portable(layout, &ce, a, b, m, k, n);
  for (int w = TILE / 2; w > 0; w /= 2) /* the lanes pairwise, a tree rather than a chain */
    for (int l = 0; l < w; l++)
      ce.lanes[l] += ce.lanes[l + w];
  return ce.tail + ce.lanes[0];
}

double mgrt_matmul_nn_softmax_ce(float *probs, float *grad, float grad_divisor, const float *a, const float *b,
                                 const float *bias, int64_t bias_step, const int64_t *labels, int64_t m,
                                 int64_t k, int64_t n) {
  return linear_softmax_ce('n', probs, grad, grad_divisor, a, b, bias, bias_step, labels, m, k, n);
}

double mgrt_matmul_nt_softmax_ce(float *probs, float *grad, float grad_divisor, const float *a, const float *b,
                                 const float *bias, int64_t bias_step, const int64_t *labels, int64_t m,
                                 int64_t k, int64_t n) {
  return linear_softmax_ce('t', probs, grad, grad_divisor, a, b, bias, bias_step, labels, m, k, n);
}
