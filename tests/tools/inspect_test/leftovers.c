/* Fixture for --expect-no-dead-loops and --expect-no-empty-functions: what
   a generator leaves behind.  Expected findings (lines of this file):
     loops that cannot run: line 14 (k < 0 from 0), line 17 (j <= 4 from 5),
       line 19 (while (0));
     functions that do nothing: read_metrics (line 9), nothing (line 10).
   Not findings: a loop to a literal bound it can reach, a loop whose bound
   is not a literal, a do-while(0) (it runs once), a function that returns. */
#include <stdint.h>
static void read_metrics(double *values) { (void)values; }
static void nothing(void) {}
static int answer(void) { return 42; }
static double work(const double *v, int n) {
  double s = 0;
  for (int k = 0; k < 0; k++) s += v[k];
  for (int64_t i = 0; i < 112; i++) s += v[i];
  for (int w = 8; w > 0; w /= 2) s += w;
  for (long j = 5; j <= 4L; j++) s += 1;
  for (int i = 0; i < n; i++) s += v[i];
  while (0) s += 1;
  do s += 1; while (0);
  return s;
}
int main(void) {
  double v[112] = {0};
  read_metrics(v);
  nothing();
  return (int)work(v, 3) + answer();
}
