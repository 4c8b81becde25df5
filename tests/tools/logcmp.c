/*
** logcmp.c — compares a training log with its reference.
**
**   logcmp EXPECTED ACTUAL TOLERANCE [RELATIVE [EVAL_TOLERANCE]]
**
** Lines must correspond one to one and their words must be equal, except
** that numbers may differ by at most TOLERANCE + RELATIVE * |expected|
** (RELATIVE defaults to 0: an absolute tolerance).  A relative part is for
** logs whose numbers are large enough that six decimals are finer than
** float32 resolves (a cost of 473 has an ulp of 3e-5).  Every difference
** is printed with its line; the exit status is 0 only when there is none.
** EVAL_TOLERANCE, when given, replaces TOLERANCE on the lines that start
** with "Eval": evaluation in batch norm's evaluation mode reads running
** statistics that move more with rounding than the training lines do
** (tests/e2e/reference/README.md measures it).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_LINE = 4096 };

/* Reads the next whitespace-separated word of *p into word; 0 at the end.
   A comma is a word of its own, so CSV lines (--predict's output) compare
   field by field and a missing field is a difference. */
static int next_word(const char **p, char *word) {
  const char *s = *p;
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
    s++;
  if (!*s)
    return 0;
  size_t n = 0;
  if (*s == ',')
    word[n++] = *s++;
  else
    while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != ',' && n < MAX_LINE - 1)
      word[n++] = *s++;
  word[n] = 0;
  *p = s;
  return 1;
}

static int as_number(const char *w, double *v) {
  char *end;
  *v = strtod(w, &end);
  return end != w && *end == 0;
}

/* Compares one pair of lines; returns the number of differences. */
static int compare_line(const char *want, const char *got, double tol, double rel, int line, double *worst) {
  char a[MAX_LINE], b[MAX_LINE];
  const char *p = want, *q = got;
  for (;;) {
    int ha = next_word(&p, a), hb = next_word(&q, b);
    if (!ha && !hb)
      return 0;
    double x, y;
    if (ha && hb && as_number(a, &x) && as_number(b, &y)) {
      double d = fabs(x - y);
      if (d > *worst)
        *worst = d;
      if (d <= tol + rel * fabs(x) || (isnan(x) && isnan(y)) || (isinf(x) && x == y))
        continue;
    } else if (ha && hb && strcmp(a, b) == 0) {
      continue;
    }
    printf("line %d differs:\n  expected: %s  actual:   %s", line, want, got);
    return 1;
  }
}

int main(int argc, char **argv) {
  if (argc < 4 || argc > 6) {
    fprintf(stderr, "usage: logcmp EXPECTED ACTUAL TOLERANCE [RELATIVE [EVAL_TOLERANCE]]\n");
    return 2;
  }
  FILE *fe = fopen(argv[1], "r"), *fa = fopen(argv[2], "r");
  if (!fe || !fa) {
    fprintf(stderr, "logcmp: cannot open %s\n", !fe ? argv[1] : argv[2]);
    return 2;
  }
  double tol = atof(argv[3]), rel = argc >= 5 ? atof(argv[4]) : 0, worst = 0;
  double eval_tol = argc == 6 ? atof(argv[5]) : tol, eval_worst = 0;
  char want[MAX_LINE], got[MAX_LINE];
  int line = 0, diffs = 0;
  for (;;) {
    char *w = fgets(want, sizeof want, fe), *g = fgets(got, sizeof got, fa);
    if (!w && !g)
      break;
    line++;
    if (!w || !g) {
      printf("line %d: %s has more lines: %s", line, w ? "expected" : "actual", w ? want : got);
      diffs++;
      break;
    }
    if (argc == 6 && strncmp(want, "Eval", 4) == 0)
      diffs += compare_line(want, got, eval_tol, rel, line, &eval_worst);
    else
      diffs += compare_line(want, got, tol, rel, line, &worst);
  }
  printf("logcmp: %d lines, largest numeric difference %.3g (tolerance %g + %g relative), %d differing\n",
         line, worst, tol, rel, diffs);
  if (argc == 6)
    printf("logcmp: Eval lines: largest numeric difference %.3g (tolerance %g + %g relative)\n", eval_worst,
           eval_tol, rel);
  return diffs ? 1 : 0;
}
