/*
** diag.h — compiler diagnostics: "file:line:col: error: message", the source
** line, and a caret under the span.  Errors are counted, not fatal, so one run
** reports several; the driver stops after the phase that found any.
**
** Columns count bytes from 1.  A Loc with line 0 means "the whole file": the
** message is printed as "file: error: message" with no source line.
*/
#ifndef MGC_DIAG_H
#define MGC_DIAG_H

#include <stddef.h>
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
/* A note belongs to the error or warning before it: it is dropped when
   that one was (after too many errors, or under -w). */
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
/* The one-column span just past the end of `loc`: where a missing token goes. */
Loc loc_after(Loc loc);
/* The span of the last character of the source (for "missing at end of file"). */
Loc diag_end_of_file(void);
/* Copies the source text of a one-line span into buf (truncated to size);
   returns buf, or NULL when the span is not on one line. */
const char *diag_span_text(Loc loc, char *buf, size_t size);

/*
** "Did you mean" hints: offer each candidate name, then ask for the best.
** A candidate is close when few edits turn one name into the other (a
** change of case counts half), relative to the name's length.
*/
enum { SUGGEST_MAX = 3 };
typedef struct Suggest {
  const char *name;
  const char *best;
  int best_cost;
  /* The closest candidates, closest first (ties in the order offered). */
  const char *near[SUGGEST_MAX];
  int near_cost[SUGGEST_MAX];
  int n_near;
} Suggest;

void suggest_init(Suggest *s, const char *name);
void suggest_offer(Suggest *s, const char *candidate);
/* The closest candidate, or NULL when none is close enough to offer. */
const char *suggest_best(const Suggest *s);
/* The close candidates (up to SUGGEST_MAX, closest first) as "'a', 'b' or
   'c'" in buf; returns how many, 0 when none is close enough. */
int suggest_phrase(const Suggest *s, char *buf, size_t size);

/* Internal compiler errors: a bug in mgc, never the user's fault. */
#define MGC_ASSERT(cond)                                                                 \
  ((cond) ? (void)0 : mgc_internal_error(__FILE__, __LINE__, #cond))
_Noreturn void mgc_internal_error(const char *file, int line, const char *what);

#endif
