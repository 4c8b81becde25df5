/*
** stcmp.c — compares two safetensors checkpoints written by the same
** program: the same header (names, shapes, offsets), and every float within
** an absolute plus a relative tolerance.  The MPI tests compare a job's
** checkpoint with the one-process run's this way.
**
** usage: stcmp A B ATOL RTOL [NORM]   exit status 0: they match; 1: they differ
**
** With NORM, the test is instead on the whole: |A - B| / |A| (Euclidean
** norms over every float) at most NORM.  Long Adam runs amplify rounding
** differences in single parameters (Adam divides by the root of a small
** second moment), while the model as a whole stays the same.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *slurp(const char *path, long *size) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "stcmp: cannot open %s\n", path);
    return NULL;
  }
  fseek(f, 0, SEEK_END);
  *size = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *data = malloc((size_t)*size + 1);
  if (!data || fread(data, 1, (size_t)*size, f) != (size_t)*size) {
    fprintf(stderr, "stcmp: cannot read %s\n", path);
    free(data);
    data = NULL;
  }
  fclose(f);
  return data;
}

int main(int argc, char **argv) {
  if (argc != 5 && argc != 6) {
    fprintf(stderr, "usage: stcmp A B ATOL RTOL [NORM]\n");
    return 2;
  }
  long na = 0, nb = 0;
  unsigned char *a = slurp(argv[1], &na), *b = slurp(argv[2], &nb);
  double atol = atof(argv[3]), rtol = atof(argv[4]);
  if (!a || !b)
    return 2;
  uint64_t header = 0;
  for (int i = 7; i >= 0 && na >= 8; i--)
    header = header << 8 | a[i];
  if (na < 8 || (long)(8 + header) > na || na != nb || memcmp(a, b, 8 + header) != 0) {
    fprintf(stderr, "stcmp: %s and %s differ in their tensors' names, shapes or sizes\n", argv[1], argv[2]);
    return 1;
  }
  long count = (na - 8 - (long)header) / 4, differing = 0;
  double largest = 0, diff2 = 0, norm2 = 0;
  for (long i = 0; i < count; i++) {
    float x, y;
    memcpy(&x, a + 8 + header + 4 * i, 4);
    memcpy(&y, b + 8 + header + 4 * i, 4);
    double d = fabs((double)x - (double)y);
    if (d > largest)
      largest = d;
    diff2 += d * d;
    norm2 += (double)x * (double)x;
    if (!(d <= atol + rtol * fabs((double)x)))
      differing++;
  }
  double relative = norm2 > 0 ? sqrt(diff2 / norm2) : sqrt(diff2);
  printf("stcmp: %ld floats, largest difference %.3g, %ld differing (tolerance %g + %g relative), "
         "|A - B| / |A| = %.3g\n", count, largest, differing, atol, rtol, relative);
  free(a);
  free(b);
  if (argc == 6)
    return relative <= atof(argv[5]) && !isnan(relative) ? 0 : 1;
  return differing ? 1 : 0;
}
