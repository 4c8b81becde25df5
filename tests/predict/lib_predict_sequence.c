/*
** lib_predict_sequence.c — library mode with sequences: loads a checkpoint
** of sequence_next.mg's training program into the library compiled from
** the same .mg and predicts the rows of a CSV whose first 30 columns are an
** f32[6, 5] sequence, passed row-major ([n, 6, 5]: the 5 values of step 0,
** then step 1, ...), as the header documents.  Prints the CSV the program's
** --predict prints (next_j, last_j, z_t_c), which the test compares with
** PyTorch's expected one.
**   lib_predict_sequence CHECKPOINT SEQUENCES.csv
*/
#include <stdio.h>
#include <stdlib.h>

#include "sequence_next_lib.h"

enum { STEPS = 6, FEATURES = 5, CLASSES = 5, MAX_ROWS = 64 };

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
    for (int j = 0; j < STEPS * FEATURES; j++) {
      x[rows * STEPS * FEATURES + j] = strtof(p, &p);
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
  static float x[MAX_ROWS * STEPS * FEATURES], last[MAX_ROWS * CLASSES], z[MAX_ROWS * STEPS * CLASSES];
  static int64_t next[MAX_ROWS * STEPS];
  int rows = read_rows(argv[2], x);
  sequence_next_lib_model *m = sequence_next_lib_create();
  if (rows < 1 || !m || sequence_next_lib_load(m, argv[1]) != 0) {
    fprintf(stderr, "lib_predict_sequence: %s\n", m ? sequence_next_lib_last_error(m) : "out of memory");
    return 1;
  }
  sequence_next_lib_predict(m, rows, x, next, last, z);
  if (sequence_next_lib_last_error(m)[0]) {
    fprintf(stderr, "lib_predict_sequence: %s\n", sequence_next_lib_last_error(m));
    return 1;
  }
  for (int t = 0; t < STEPS; t++)
    printf("next_%d,", t);
  for (int c = 0; c < CLASSES; c++)
    printf("last_%d,", c);
  for (int t = 0; t < STEPS; t++)
    for (int c = 0; c < CLASSES; c++)
      printf("z_%d_%d%s", t, c, t == STEPS - 1 && c == CLASSES - 1 ? "\n" : ",");
  for (int r = 0; r < rows; r++) {
    for (int t = 0; t < STEPS; t++)
      printf("%lld,", (long long)next[r * STEPS + t]);
    for (int c = 0; c < CLASSES; c++)
      printf("%.9g,", (double)last[r * CLASSES + c]);
    for (int j = 0; j < STEPS * CLASSES; j++)
      printf("%.9g%s", (double)z[r * STEPS * CLASSES + j], j == STEPS * CLASSES - 1 ? "\n" : ",");
  }
  sequence_next_lib_destroy(m);
  return 0;
}
