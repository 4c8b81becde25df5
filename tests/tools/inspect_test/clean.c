/* Fixture: the same program as leftovers.c without its leftovers; both
   --expect-no-dead-loops and --expect-no-empty-functions hold. */
#include <stdint.h>
static double work(const double *v, int n) {
  double s = 0;
  for (int64_t i = 0; i < 112; i++) s += v[i];
  for (int w = 8; w > 0; w /= 2) s += w;
  for (int i = 0; i < n; i++) s += v[i];
  do s += 1; while (0);
  return s;
}
int main(void) {
  double v[112] = {0};
  return (int)work(v, 3);
}
