/*
** model.c — facts that follow from a model's declarations (model.h), for
** sema and the emitters alike.
*/
#include "model.h"

long model_input_width(const Input *in) {
  long w = 1;
  for (int i = 1; i < in->shape.rank; i++)
    w *= in->shape.dims[i].n;
  return w;
}
