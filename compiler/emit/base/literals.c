/*
** literals.c — constants as C source: a real number as a literal of the
** program's type, arrays of values, strings, and the math functions of the
** program's type.
*/
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emit/base/base.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

/* The shortest decimal that reads back as v, in float (as a C compiler
   reads "0.1f": straight from the decimal) or in double: 0.1, not
   0.100000001 or 0.10000000000000001.  Nine significant digits always
   round-trip a float, seventeen a double. */
static void shortest_decimal(char *buf, size_t size, double v, int as_float) {
  for (int digits = 1; digits <= (as_float ? 9 : 17); digits++) {
    snprintf(buf, size, "%.*g", digits, v);
    if (as_float ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v)
      return;
  }
}

const char *emit_real_literal(Emitter *e, double v) {
  char buf[64];
  /* Folding can make infinities and NaNs (log(0), 0/0, a product past the
     float range): printf's "inf" and "nan" are no C, math.h's macros are.
     A finite double beyond the float range is an infinity in float (and
     converting it to float would be undefined). */
  if (isnan(v))
    return e->opt.f64 ? "((double)NAN)" : "NAN";
  if (isinf(v) || (!e->opt.f64 && fabs(v) > FLT_MAX)) {
    if (e->opt.f64)
      return v < 0 ? "(-(double)INFINITY)" : "((double)INFINITY)";
    return v < 0 ? "(-INFINITY)" : "INFINITY";
  }
  shortest_decimal(buf, sizeof buf - 2, e->opt.f64 ? v : (double)(float)v, !e->opt.f64);
  /* A real literal needs a '.' or an exponent to not be an int. */
  if (!strpbrk(buf, ".eEni"))
    strcat(buf, ".0");
  if (v < 0)
    return arena_printf(e->arena, "(%s%s)", buf, e->opt.f64 ? "" : "f");
  return arena_printf(e->arena, "%s%s", buf, e->opt.f64 ? "" : "f");
}

const char *emit_double_literal(Emitter *e, double v) {
  char buf[64];
  MGC_ASSERT(isfinite(v));
  shortest_decimal(buf, sizeof buf - 2, v, 0);
  if (!strpbrk(buf, ".eE"))
    strcat(buf, ".0");
  return arena_strdup(e->arena, buf);
}

const char *emit_exp_fn(Emitter *e) { return e->opt.f64 ? "exp" : "mgrt_expf"; }

void emit_values(Emitter *e, const double *v, long count, int as_int) {
  for (long i = 0; i < count; i++) {
    if (i % 8 == 0)
      P("%s    ", i ? "\n" : "");
    if (as_int)
      P("%ld,%s", (long)v[i], i % 8 == 7 || i == count - 1 ? "" : " ");
    else
      P("%s,%s", emit_real_literal(e, v[i]), i % 8 == 7 || i == count - 1 ? "" : " ");
  }
  P("\n");
}

const char *emit_c_string(Emitter *e, const char *s) {
  size_t n = 2;
  for (const char *p = s; *p; p++)
    n += *p == '"' || *p == '\\' ? 2 : 1;
  char *out = arena_alloc(e->arena, n + 1), *at = out;
  *at++ = '"';
  for (const char *p = s; *p; p++) {
    if (*p == '"' || *p == '\\')
      *at++ = '\\';
    *at++ = *p;
  }
  *at++ = '"';
  *at = 0;
  return out;
}

const char *emit_c_char(Emitter *e, char c) {
  return arena_printf(e->arena, "'%s%c'", c == '\'' || c == '\\' ? "\\" : "", c);
}
