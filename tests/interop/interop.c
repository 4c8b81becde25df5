/*
** interop.c — PyTorch's weights in mgc's library: loads a safetensors file
** written from a PyTorch model (make_fixture.py), predicts on inputs the
** model was not trained on (printed as PyTorch prints them, one per line),
** then saves the params for safetensors_io.py to read back.
**   interop WEIGHTS.safetensors OUT.safetensors
*/
#include <stdio.h>

#include "xor_model.h"

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  static const float unseen[] = {0.1f, 0.05f, 0.9f, 0.2f, 0.15f, 0.95f, 0.8f, 0.85f, 0.5f, 0.5f};
  float h[5];
  xor_model_model *m = xor_model_create();
  if (!m || xor_model_load(m, argv[1]) != 0) {
    fprintf(stderr, "interop: %s\n", m ? xor_model_last_error(m) : "out of memory");
    return 1;
  }
  xor_model_predict(m, 5, unseen, h);
  for (int i = 0; i < 5; i++)
    printf("%.6f\n", h[i]);
  int status = xor_model_save(m, argv[2]) == 0 ? 0 : 1;
  xor_model_destroy(m);
  return status;
}
