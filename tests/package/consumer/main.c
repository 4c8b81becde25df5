/*
** main.c — the package test's consumer: uses the model that mgc_add_model
** generated from model.mg through its C API (my_model.h).
**
**   consumer CHECKPOINT
**
** Prints b's initial value (the test edits the .mg's initializer and expects
** the new value after a rebuild), trains 101 steps, saves the checkpoint,
** loads it into a fresh model and compares the two models' predictions.
** Exits 1 on any failure, with the reason on stderr.
*/
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "my_model.h"

/* The lesson's toy data (lab 5): six points, two features, labels 0/1. */
enum { ROWS = 6 };
static const float x[ROWS * 2] = {1, 2, 2, 3, 3, 1, 4, 3, 5, 3, 6, 2};
static const float y[ROWS] = {0, 0, 0, 1, 1, 1};

static int fail(const char *what, const my_model_model *m) {
  fprintf(stderr, "consumer: %s failed: %s\n", what, m ? my_model_last_error(m) : "out of memory");
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: consumer CHECKPOINT\n");
    return 2;
  }
  const char *checkpoint = argv[1];

  my_model_model *m = my_model_create();
  if (!m)
    return fail("my_model_create", NULL);
  int64_t numel_w = 0, numel_b = 0, numel_none = 0;
  float *w = my_model_param(m, "W", &numel_w);
  float *b = my_model_param(m, "b", &numel_b);
  if (!w || !b || my_model_param(m, "no_such_param", &numel_none)) {
    fprintf(stderr, "consumer: my_model_param: wrong answer for W, b or no_such_param\n");
    return 1;
  }
  printf("params: W %" PRId64 " elements, b %" PRId64 "\n", numel_w, numel_b);
  printf("b: initially %.6f\n", b[0]);

  /* train_step returns the cost before its update: step k's is the cost
     that PyTorch's lesson prints at epoch k. */
  float cost[101];
  for (int step = 0; step <= 100; step++)
    cost[step] = my_model_train_step(m, ROWS, x, y);
  printf("cost: step 0 %.6f, step 100 %.6f\n", cost[0], cost[100]);

  float accuracy;
  float evaluated = my_model_evaluate(m, ROWS, x, y, &accuracy);
  printf("evaluate: cost %.6f accuracy %.6f\n", evaluated, accuracy);

  if (my_model_save(m, checkpoint) != 0)
    return fail("my_model_save", m);
  my_model_model *fresh = my_model_create();
  if (!fresh)
    return fail("my_model_create", NULL);
  float before[ROWS], trained[ROWS], loaded[ROWS];
  my_model_predict(fresh, ROWS, x, before);
  if (my_model_load(fresh, checkpoint) != 0)
    return fail("my_model_load", fresh);
  my_model_predict(m, ROWS, x, trained);
  my_model_predict(fresh, ROWS, x, loaded);
  printf("fresh model before load: %.6f\n", before[0]);
  printf("loaded model: predictions %s the trained model's\n",
         memcmp(trained, loaded, sizeof trained) == 0 ? "equal" : "DIFFER from");
  printf("classes:");
  for (int i = 0; i < ROWS; i++)
    printf(" %d", loaded[i] >= 0.5f);
  printf("\n");

  /* a missing checkpoint is an error with a message, not a crash */
  if (my_model_load(fresh, "no/such/dir/checkpoint.safetensors") == 0)
    return fail("my_model_load of a missing file (it succeeded)", fresh);
  printf("missing checkpoint: %s\n", my_model_last_error(fresh)[0] ? "error reported" : "NO MESSAGE");

  my_model_destroy(fresh);
  my_model_destroy(m);
  return 0;
}
