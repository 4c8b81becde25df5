/*
** embed.c — a model inside your own program, through mgc's library mode.
**
** examples/lab08_xor.mg is compiled at build time (mgc_add_model in
** CMakeLists.txt beside this file) into xor.c and xor.h: a C API whose names
** start with `xor_`.  This program
**   1. trains the two-layer XOR network on its four points, printing the
**      lesson's log (the same numbers as the generated training program and
**      as PyTorch, tests/e2e/reference/lab08_xor.log);
**   2. saves the trained parameters (safetensors);
**   3. loads them into a second, freshly created model, as another process
**      would, and asks it about points it was never trained on.
**
**   embed [CHECKPOINT]      (default xor.safetensors)
*/
#include <stdio.h>
#include <string.h>

#include "xor.h"

/* The training data: XOR of two bits, one row per example. */
enum { TRAIN_ROWS = 4 };
static const float train_x[TRAIN_ROWS * 2] = {0, 0, 0, 1, 1, 0, 1, 1};
static const float train_y[TRAIN_ROWS] = {0, 1, 1, 0};

/* Points near the corners but not on them: a network that learned XOR
   rather than four table entries answers these too. */
enum { NEW_ROWS = 8 };
static const float new_x[NEW_ROWS * 2] = {
  0.1f, 0.1f,  0.2f, 0.0f,  0.1f, 0.9f,  0.0f, 0.8f,
  0.9f, 0.1f,  0.8f, 0.2f,  0.9f, 0.9f,  1.0f, 0.8f,
};

static int failed(const char *what, const xor_model *m) {
  fprintf(stderr, "embed: %s: %s\n", what, m ? xor_last_error(m) : "out of memory");
  return 1;
}

int main(int argc, char **argv) {
  const char *checkpoint = argc > 1 ? argv[1] : "xor.safetensors";

  /* ---- 1. train: the lesson's loop, 10000 epochs of full-batch SGD ---- */
  xor_model *model = xor_create();  /* initialized from the .mg's seed 777 */
  if (!model)
    return failed("xor_create", NULL);
  const int epochs = 10000;
  for (int epoch = 0; epoch <= epochs; epoch++) {
    if (epoch % 1000 == 0) {
      /* the cost and accuracy before this epoch's update, as PyTorch prints */
      float accuracy;
      float cost = xor_evaluate(model, TRAIN_ROWS, train_x, train_y, &accuracy);
      printf("Epoch %4d/%d Cost: %.6f accuracy: %.6f\n", epoch, epochs, cost, accuracy);
    }
    xor_train_step(model, TRAIN_ROWS, train_x, train_y);
  }

  /* ---- 2. save ---- */
  if (xor_save(model, checkpoint) != 0)
    return failed("xor_save", model);
  printf("\nsaved %s\n", checkpoint);

  /* ---- 3. load into a fresh model and predict ---- */
  xor_model *loaded = xor_create();
  if (!loaded)
    return failed("xor_create", NULL);
  if (xor_load(loaded, checkpoint) != 0)
    return failed("xor_load", loaded);

  float p_loaded[NEW_ROWS], p_trained[NEW_ROWS];
  xor_predict(loaded, NEW_ROWS, new_x, p_loaded);
  xor_predict(model, NEW_ROWS, new_x, p_trained);

  printf("loaded into a fresh model; on points it never saw:\n");
  printf("   x1    x2   P(x1 xor x2)  class  expected\n");
  int right = 0;
  for (int i = 0; i < NEW_ROWS; i++) {
    float x1 = new_x[2 * i], x2 = new_x[2 * i + 1];
    int predicted = p_loaded[i] >= 0.5f;
    int expected = (x1 >= 0.5f) != (x2 >= 0.5f);
    right += predicted == expected;
    printf(" %4.2f  %4.2f   %12.6f  %5d  %8d\n", x1, x2, p_loaded[i], predicted, expected);
  }
  printf("%d/%d right\n", right, NEW_ROWS);
  printf("the loaded model %s the trained one\n",
         memcmp(p_loaded, p_trained, sizeof p_loaded) == 0 ? "agrees exactly with" : "DIFFERS from");

  xor_destroy(loaded);
  xor_destroy(model);
  return 0;
}
