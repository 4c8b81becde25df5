/*
** lib_predict.c — library mode's predict against the training program's:
** loads a checkpoint the zoo MLP's training program saved into the library
** compiled from the same .mg (mgc_add_model), predicts the rows of a CSV
** file of 16 features, and prints the CSV the program's --predict prints
** (header, %.9g probabilities, the argmax class).  The test compares it
** with PyTorch's expected CSV: dropout must be off in predict.
**   lib_predict CHECKPOINT FEATURES.csv
*/
#include <stdio.h>
#include <stdlib.h>

#include "zoo_mlp_lib.h"

enum { FEATURES = 16, CLASSES = 7, MAX_ROWS = 256 };

static int read_rows(const char *path, float *x) {
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  char line[1024];
  int rows = 0;
  while (fgets(line, sizeof line, f) && rows < MAX_ROWS) {
    if (line[0] == '#' || line[0] == '\n')
      continue;
    char *p = line;
    for (int j = 0; j < FEATURES; j++) {
      x[rows * FEATURES + j] = strtof(p, &p);
      if (*p == ',')
        p++;
    }
    rows++;
  }
  fclose(f);
  return rows;
}

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  static float x[MAX_ROWS * FEATURES], probs[MAX_ROWS * CLASSES];
  static int64_t class[MAX_ROWS];
  int rows = read_rows(argv[2], x);
  zoo_mlp_lib_model *m = zoo_mlp_lib_create();
  if (rows < 1 || !m || zoo_mlp_lib_load(m, argv[1]) != 0) {
    fprintf(stderr, "lib_predict: %s\n", m ? zoo_mlp_lib_last_error(m) : "out of memory");
    return 1;
  }
  zoo_mlp_lib_predict(m, rows, x, probs, class);
  if (zoo_mlp_lib_last_error(m)[0]) {
    fprintf(stderr, "lib_predict: %s\n", zoo_mlp_lib_last_error(m));
    return 1;
  }
  for (int j = 0; j < CLASSES; j++)
    printf("probs_%d,", j);
  printf("class\n");
  for (int r = 0; r < rows; r++) {
    for (int j = 0; j < CLASSES; j++)
      printf("%.9g,", (double)probs[r * CLASSES + j]);
    printf("%lld\n", (long long)class[r]);
  }
  zoo_mlp_lib_destroy(m);
  return 0;
}
