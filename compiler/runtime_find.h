/*
** runtime_find.h — where the libmgrt that `mgc run` and `mgc build` link
** lives, and how a program that links it is compiled (runtime_find.c).
*/
#ifndef MGC_RUNTIME_FIND_H
#define MGC_RUNTIME_FIND_H

#include "arena.h"

typedef struct MgrtInstall {
  const char *include_dir; /* holds mgrt.h and mgrt_math.h */
  const char *library;     /* libmgrt.a */
  const char *found_by;    /* how it was found, for mgc run -v */
} MgrtInstall;

/* Finds libmgrt: $MGC_RUNTIME_DIR if set, else beside this mgc (its build
   tree, or the tree it is installed in).  Returns 0, or -1 after printing
   an error that says where it looked. */
int runtime_find(Arena *a, MgrtInstall *out);

/* The C compiler and its arguments, from $CC (split at blanks) or the
   compiler mgc was configured with; NULL-terminated, count in *n. */
const char **runtime_cc(Arena *a, int *n);
/* The compile flags and the libraries after libmgrt.a, as configured:
   NULL-terminated lists. */
const char *const *runtime_cflags(void);
const char *const *runtime_libs(void);

#endif
