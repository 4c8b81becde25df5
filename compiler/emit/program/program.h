/*
** program.h — the emitter's top layer: the training program or the library
** around the kernels and the step (which it writes with step/, kernels/ and
** base/).  The rest of the compiler calls it through ../emit.h.
*/
#ifndef MGC_EMIT_PROGRAM_H
#define MGC_EMIT_PROGRAM_H

#include "emit/emit.h"
#include "emit/step/step.h"

/* ---- program.c: the file's sections in order (emit_program, emit.h) ------- */

/* Sets up an emitter for m without writing anything. */
void emit_prepare(Emitter *e, FILE *out, Model *m, const char *source_text, EmitOptions opt);

/* ---- memory.c ------------------------------------------------------------------ */

/* The #defines of the memory figures (MODEL_PARAM_BYTES ...). */
void emit_stats_defines(Emitter *e);
/* typedef struct Model: parameters, gradients, state, inputs, buffers. */
void emit_struct(Emitter *e);
/* model_alloc_params and model_reserve. */
void emit_alloc(Emitter *e);
/* The figures themselves. */
void emit_memory_use(Emitter *e, MemStats *st);
/* Where each param lives in the contiguous arrays of model_alloc_params:
   the trained params first (those with a gradient, in declaration order),
   then the others, each from a 64-byte boundary.  A param whose gradient
   node is another's (hash-consing found them equal) gets a copy of it in
   its own place before the update (update.c). */
typedef struct ParamLayout {
  long *offset;          /* per param: its first element in each array */
  long trained;          /* elements the update runs over (gaps included) */
  long total;            /* elements of every param's values */
  int *shares_grad_of;   /* per param: -1, or the param whose gradient node it shares */
} ParamLayout;
void emit_param_layout(Emitter *e, ParamLayout *l);

/* ---- data.c -------------------------------------------------------------------- */

/* The .mg's inline data of one data source as static arrays. */
void emit_inline_data(Emitter *e, const DataSource *src, const char *which);
/* The graph's literal arrays as static const arrays, and whether it has any. */
void emit_literals(Emitter *e);
int emit_has_literals(Emitter *e);
/* load_WHICH_data(data_dir, arrays). */
void emit_load(Emitter *e, const DataSource *src, const char *which);
/* One mgrt_csv_column initializer (designated: the fields that are set). */
void emit_csv_column(Emitter *e, const Input *in, long start, long stop, int has_start, int has_stop, int single);
/* const mgrt_csv_spec spec = {...}, over the array `columns`; path is a C
   expression. */
void emit_csv_spec(Emitter *e, const char *path, char delimiter, long skip_header, int n_columns, long row_width);
/* The call mgrt_idx_read(...) that reads column c into arrays[its input],
   as text to print after "  if (" or "  return " (tail follows it). */
const char *emit_idx_read(Emitter *e, const char *path, const char *data_dir, const DataColumn *c, double scale,
                          const char *tail);

/* ---- init.c, update.c ----------------------------------------------------------- */

void emit_init(Emitter *e);
void emit_update(Emitter *e);

/* ---- driver.c: batches, the training loop, evaluation and main ------------------- */

void emit_driver(Emitter *e);

/* ---- checkpoints.c: model_save and model_load ------------------------------------- */

void emit_checkpoints(Emitter *e);

/* ---- predict.c: the training program's --predict ---------------------------------- */

/* predict_outputs, the phase (nothing if the model cannot predict). */
void emit_predict_phase(Emitter *e);
/* The driver's predict() with its data loading and CSV. */
void emit_predict(Emitter *e);
/* Whether the program has a --predict (emit_predict_phase writes
   predict_outputs): the model's outputs each have a value per row. */
int emit_can_predict(Emitter *e);

/* ---- library.c: --emit=lib ------------------------------------------------------ */

/* The library's API functions, and its header. */
void emit_library(Emitter *e);
void emit_lib_header(Emitter *e, FILE *h);

#endif
