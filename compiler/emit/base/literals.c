/*
** literals.c — constants as C source: a real number as a literal of the
** program's type, arrays of values, strings, and the math functions of the
** program's type.
*/
#include <float.h>
#include <math.h>
#include <string.h>

#include "emit/base/base.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

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
  if (e->opt.f64)
    snprintf(buf, sizeof buf, "%.17g", v);
  else
    snprintf(buf, sizeof buf, "%.9g", (double)(float)v);
  /* A real literal needs a '.' or an exponent to not be an int. */
  if (!strpbrk(buf, ".eEni"))
    strcat(buf, ".0");
  if (v < 0)
    return arena_printf(e->arena, "(%s%s)", buf, e->opt.f64 ? "" : "f");
  return arena_printf(e->arena, "%s%s", buf, e->opt.f64 ? "" : "f");
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

void emit_c_string(Emitter *e, const char *s) {
  P("\"");
  for (const char *p = s; *p; p++)
    P(*p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
  P("\"");
}
