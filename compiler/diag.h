/*
** diag.h — compiler diagnostics: "file:line:col: error: message", the source
** line, and a caret under the span.  Errors are counted, not fatal, so one run
** reports several; the driver stops after the phase that found any.
*/
#ifndef MGC_DIAG_H
#define MGC_DIAG_H

#include <stdio.h>

/* A source span: 1-based line and column of its first character and the
   column one past its last character on the same line. */
typedef struct Loc {
  int line, col;
  int end_line, end_col;
} Loc;

typedef struct Source {
  const char *path;
  const char *text;  /* the whole file, NUL-terminated */
  long length;
} Source;

void diag_init(const Source *src, FILE *out);
void diag_error(Loc loc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void diag_warning(Loc loc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void diag_note(Loc loc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int diag_error_count(void);
/* Treat warnings as errors (-Werror). */
void diag_set_werror(int on);
/* Suppress warnings (-w). */
void diag_set_nowarn(int on);

/* Joins two spans into one that covers both. */
Loc loc_span(Loc a, Loc b);

/* Internal compiler errors: a bug in mgc, never the user's fault. */
#define MGC_ASSERT(cond)                                                                 \
  ((cond) ? (void)0 : mgc_internal_error(__FILE__, __LINE__, #cond))
_Noreturn void mgc_internal_error(const char *file, int line, const char *what);

#endif
