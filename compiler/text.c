/*
** text.c — see text.h.
*/
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void text_printf(Text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  size_t need = t->len + (size_t)n + 1;
  if (need > t->cap) {
    size_t cap = t->cap ? t->cap : 128;
    while (cap < need)
      cap *= 2;
    char *s = arena_alloc(t->arena, cap);
    if (t->len)
      memcpy(s, t->s, t->len);
    t->s = s;
    t->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
  va_end(ap);
  t->len += (size_t)n;
}

const char *text_str(const Text *t) { return t->len ? t->s : ""; }
