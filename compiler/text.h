/*
** text.h — a growable string in the compilation's arena, for text built in
** pieces before it is written: IR attributes and fused bodies (ir_print.c),
** Graphviz labels (emit_dot.c).  The arena frees it with everything else.
*/
#ifndef MGC_TEXT_H
#define MGC_TEXT_H

#include <stddef.h>

#include "arena.h"

typedef struct Text {
  Arena *arena;
  char *s;
  size_t len, cap;
} Text;

/* Appends printf-formatted text. */
void text_printf(Text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The text so far ("" when empty). */
const char *text_str(const Text *t);

#endif
