/*
** test_fold.c — constant folding computes what the generated C computes.
**
** Each elementwise operator's meaning is written twice in its row of
** ops.def: the C template the emitter expands into kernels, and the folding
** rule passes/fold.c applies to constants.  This program writes a C program
** (to the file named by its argument) that evaluates every operator's
** template, expanded as in a double program (%f "", %e exp, %q sqrt), on a
** grid of operands, and compares each result with the value folding gave,
** written as an exact hexadecimal literal.  fold_matches_c.cmake compiles
** and runs it: both use the same libm, so they must agree bit for bit (a
** NaN with a NaN).
**
** It also fails when an elementwise operator folds nothing and is not one
** that cannot: cast (its operand is integer data) and broadcast (its result
** is never a scalar).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ir.h"

/* Operands: both signs, zero of both signs, both sides of relu's,
   leaky_relu's and softplus's (20) branches, infinities and NaN (folding
   log(-1) makes one, and maximum must treat it as fmax does). */
static const double values[] = {-INFINITY, -25, -2.5, -1, -0.0, 0, 0.5, 1, 3, 20.5, 25, INFINITY, NAN};
enum { N_VALUES = sizeof values / sizeof values[0] };
/* The float attribute: pow's exponent, leaky_relu's slope. */
static const double attrs[] = {2, 0.5, 0.01};
enum { N_ATTRS = sizeof attrs / sizeof attrs[0] };

/* Writes the C of op's template with operands a, b, c and attribute v. */
static void put_template(FILE *out, Op op) {
  for (const char *p = op_info[op].cexpr; *p; p++) {
    if (*p != '%') {
      fputc(*p, out);
      continue;
    }
    switch (*++p) {
    case '0': fputs("a", out); break;
    case '1': fputs("b", out); break;
    case '2': fputs("c", out); break;
    case 'f': break;
    case 'v': fputs("v", out); break;
    case 'e': fputs("exp", out); break;
    case 'q': fputs("sqrt", out); break;
    default: fprintf(stderr, "test_fold: unknown %%%c in the template of %s\n", *p, op_info[op].spelling); break;
    }
  }
}

/* A double as an exact C literal. */
static void put_double(FILE *out, double x) {
  if (isnan(x))
    fputs("NAN", out);
  else if (isinf(x))
    fputs(x > 0 ? "INFINITY" : "-INFINITY", out);
  else
    fprintf(out, "%a", x);
}

static int can_fold(Op op) {
  double x[3] = {1, 1, 1}, out;
  return op_info[op].fold(x, 2, &out);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_fold OUT.c\n");
    return 2;
  }
  int failures = 0, folded = 0;
  for (int op = 0; op < OP_COUNT; op++)
    if ((op_info[op].flags & F_ELEM) && !can_fold((Op)op) && op != OP_CAST && op != OP_BROADCAST) {
      fprintf(stderr, "test_fold: %s is elementwise but has no folding rule\n", op_info[op].spelling);
      failures++;
    }
  FILE *out = fopen(argv[1], "w");
  if (!out) {
    perror(argv[1]);
    return 2;
  }
  fputs("/* Written by test_fold: each operator's C template (ops.def) against\n"
        "   the value constant folding gave. */\n"
        "#include <math.h>\n#include <stdio.h>\n#include <string.h>\n\n",
        out);
  for (int op = 0; op < OP_COUNT; op++) {
    if (!can_fold((Op)op))
      continue;
    fprintf(out, "static double op_%s(double a, double b, double c, double v) {\n", op_info[op].spelling);
    fputs("  (void)a, (void)b, (void)c, (void)v;\n  return ", out);
    put_template(out, (Op)op);
    fputs(";\n}\n\n", out);
  }
  fputs("typedef struct Case {\n  const char *op;\n  double (*expr)(double, double, double, double);\n"
        "  double a, b, c, v, folded;\n} Case;\n\nstatic const Case cases[] = {\n",
        out);
  long n_cases = 0;
  for (int op = 0; op < OP_COUNT; op++) {
    if (!can_fold((Op)op))
      continue;
    folded++;
    int arity = op_info[op].arity;
    int na = arity > 0 ? N_VALUES : 1, nb = arity > 1 ? N_VALUES : 1, nc = arity > 2 ? N_VALUES : 1;
    for (int i = 0; i < na; i++)
      for (int j = 0; j < nb; j++)
        for (int k = 0; k < nc; k++)
          for (int t = 0; t < N_ATTRS; t++) {
            double x[3] = {values[i], arity > 1 ? values[j] : 0, arity > 2 ? values[k] : 0}, v = attrs[t], r;
            op_info[op].fold(x, v, &r);
            fprintf(out, "  {\"%s\", op_%s, ", op_info[op].spelling, op_info[op].spelling);
            for (int q = 0; q < 3; q++) {
              put_double(out, x[q]);
              fputs(", ", out);
            }
            put_double(out, v);
            fputs(", ", out);
            put_double(out, r);
            fputs("},\n", out);
            n_cases++;
          }
  }
  fputs("};\n\n"
        "/* Equal bit for bit, or both NaN. */\n"
        "static int same(double x, double y) {\n"
        "  return (isnan(x) && isnan(y)) || memcmp(&x, &y, sizeof x) == 0;\n}\n\n"
        "int main(void) {\n"
        "  int failures = 0;\n"
        "  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {\n"
        "    const Case *k = &cases[i];\n"
        "    double c = k->expr(k->a, k->b, k->c, k->v);\n"
        "    if (!same(c, k->folded)) {\n"
        "      printf(\"%s(%g, %g, %g; v = %g): the C gives %.17g, folding %.17g\\n\", k->op, k->a, k->b, k->c,\n"
        "             k->v, c, k->folded);\n"
        "      failures++;\n"
        "    }\n"
        "  }\n",
        out);
  fprintf(out,
          "  printf(\"%%d of %ld cases differ (%d operators)\\n\", failures);\n"
          "  return failures != 0;\n}\n",
          n_cases, folded);
  if (fclose(out) != 0) {
    perror(argv[1]);
    return 2;
  }
  return failures != 0;
}
