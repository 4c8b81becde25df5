/* inspect self-test: known loop counts.  The comment on each function is
   what --loops / --loops-total must report for it. */
#include <stddef.h>

#define REPEAT(n) for (int r_ = 0; r_ < (n); r_++)

/* loops 0, total 0 */
int no_loop(int x) { return x + 1; }

/* loops 1 */
void one_for(float *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    v[i] = 0;
}

/* loops 3: while, do, and a for that only the macro expansion shows */
int three_kinds(int n) {
  int s = 0;
  while (n > 10)
    n /= 2;
  do {
    s += n;
  } while (--n > 0);
  REPEAT(2) s++;
  return s;
}

/* loops 3, all nested: i > j > k */
void nested(float *c, const float *a, const float *b, size_t m, size_t k, size_t n) {
  for (size_t i = 0; i < m; i++)
    for (size_t j = 0; j < n; j++) {
      float acc = 0;
      for (size_t p = 0; p < k; p++)
        acc += a[i * k + p] * b[p * n + j];
      c[i * n + j] = acc;
    }
}

/* loops 1, total 1 + 1 + 3 + 3 = 8: one_for, three_kinds, nested (each once,
   though nested is called twice) */
void driver(float *c, const float *a, const float *b, size_t n) {
  for (int rep = 0; rep < 2; rep++)
    nested(c, a, b, n, n, n);
  nested(c, a, b, 1, 1, 1);
  one_for(c, n);
  (void)three_kinds((int)n);
  (void)no_loop(0);
}

#ifdef EXTRA_LOOP
/* only with -D EXTRA_LOOP: loops 1 */
void extra(int *x) {
  while (*x)
    (*x)--;
}
#endif

/* recursion must not hang the transitive queries: loops 1, total 2 */
int ping(int n);
int pong(int n) {
  for (; n > 100; n--)
    ;
  return n > 0 ? ping(n - 1) : 0;
}
int ping(int n) {
  while (n > 1000)
    n /= 2;
  return n > 0 ? pong(n - 1) : 0;
}
