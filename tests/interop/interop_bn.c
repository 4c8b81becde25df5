/*
** interop_bn.c — batch norm's checkpoints between PyTorch and mgc's library:
** loads a safetensors file (PyTorch's state_dict of make_fixture_bn.py's
** network, or the checkpoint an mgc program wrote), predicts in evaluation
** mode (the running statistics it loaded) on images the model was not
** trained on, printed one row of logits a line as make_fixture_bn.py prints
** PyTorch's, then saves the params and buffers for safetensors_io.py to read
** back.  Then the modes of the library: evaluate leaves the running
** statistics as they were (the same predictions after it), and train_step
** refuses a batch of one row (batch_norm1d has nothing to normalize), as
** PyTorch does in training mode.
**   interop_bn WEIGHTS.safetensors OUT.safetensors
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bn_model.h"

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  /* make_fixture_bn.py's UNSEEN: 3 images [2, 3, 3], row-major */
  static const float unseen[] = {
      0.3f,  -1.2f, 0.8f,  1.5f, 0.1f,  -0.4f, 0.0f,  2.0f,  -1.7f, -0.6f, 0.9f,  1.1f, 0.2f,  -0.3f, 0.7f,  1.9f, -1.1f, 0.4f,
      1.0f,  1.0f,  -1.0f, 0.5f, -0.5f, 0.25f, -2.0f, 0.3f,  0.6f,  0.1f,  0.2f,  0.3f, -0.4f, -0.5f, -0.6f, 0.7f, 0.8f,  -0.9f,
      -1.5f, 0.4f,  0.2f,  0.9f, -0.8f, 1.3f,  0.05f, -0.15f, 1.6f, 1.2f,  -1.4f, 0.0f, 0.6f,  0.35f, -1.9f, -0.2f, 1.7f, 0.45f};
  float z[3 * 3];
  bn_model_model *m = bn_model_create();
  if (!m || bn_model_load(m, argv[1]) != 0) {
    fprintf(stderr, "interop_bn: %s\n", m ? bn_model_last_error(m) : "out of memory");
    return 1;
  }
  bn_model_predict(m, 3, unseen, z);
  for (int i = 0; i < 3; i++)
    printf("%.6f %.6f %.6f\n", z[3 * i], z[3 * i + 1], z[3 * i + 2]);
  int status = bn_model_save(m, argv[2]) == 0 ? 0 : 1;
  static const int64_t labels[3] = {0, 1, 2};
  float again[3 * 3];
  if (isnan(bn_model_evaluate(m, 3, unseen, labels, NULL))) {
    fprintf(stderr, "interop_bn: evaluate failed: %s\n", bn_model_last_error(m));
    status = 1;
  }
  bn_model_predict(m, 3, unseen, again);
  if (memcmp(z, again, sizeof z) != 0) {
    fprintf(stderr, "interop_bn: evaluate changed the predictions (it must not touch the running statistics)\n");
    status = 1;
  }
  if (!isnan(bn_model_train_step(m, 1, unseen, labels)) ||
      !strstr(bn_model_last_error(m), "batch norm needs more than one row in a training batch (n = 1)")) {
    fprintf(stderr, "interop_bn: a training batch of one row was not refused (\"%s\")\n", bn_model_last_error(m));
    status = 1;
  }
  bn_model_destroy(m);
  return status;
}
