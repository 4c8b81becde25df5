/*
** runtime_find.c — finds the libmgrt (library and headers) that `mgc run`
** and `mgc build` link, and gives the compiler, flags and libraries recorded
** when mgc was configured (mgc_config.h, cmake/mgc_cli_config.cmake).
**
** Where libmgrt is looked for, first match wins:
**   1. $MGC_RUNTIME_DIR: a directory holding mgrt.h and libmgrt.a, either
**      directly or in include/ and lib/ (an install prefix).  When set it is
**      the only place looked at, so a wrong value is an error, not a silent
**      fall-back to another libmgrt.
**   2. mgc's build tree: libmgrt.a beside the mgc executable
**      (/proc/self/exe), with the headers in the source tree's runtime/.
**   3. An installed tree: <bindir>/../lib/libmgrt.a and <bindir>/../include
**      (the relative paths of the install layout mgc was configured with),
**      so a tree installed with --prefix, staged with DESTDIR or moved keeps
**      working.
*/
#define _POSIX_C_SOURCE 200809L
#include "runtime_find.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mgc_config.h"

static const char *const cflags[] = {MGC_CONF_CFLAGS NULL};
static const char *const libs[] = {MGC_CONF_LIBS NULL};

const char *const *runtime_cflags(void) { return cflags; }
const char *const *runtime_libs(void) { return libs; }

static int is_file(const char *path) { return access(path, R_OK) == 0; }

/* Accepts include_dir/mgrt.h with lib_dir/libmgrt.a. */
static int try_layout(Arena *a, MgrtInstall *out, const char *include_dir, const char *lib_dir, const char *how) {
  const char *header = arena_printf(a, "%s/mgrt.h", include_dir);
  const char *library = arena_printf(a, "%s/libmgrt.a", lib_dir);
  if (!is_file(header) || !is_file(library))
    return 0;
  out->include_dir = include_dir;
  out->library = library;
  out->found_by = how;
  return 1;
}

/* The directory of the running mgc, or NULL. */
static const char *self_dir(Arena *a) {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0)
    return NULL;
  path[n] = 0;
  char *slash = strrchr(path, '/');
  if (!slash)
    return NULL;
  *slash = 0;
  return arena_strdup(a, path[0] ? path : "/");
}

int runtime_find(Arena *a, MgrtInstall *out) {
  const char *env = getenv("MGC_RUNTIME_DIR");
  if (env && *env) {
    if (try_layout(a, out, arena_printf(a, "%s/include", env), arena_printf(a, "%s/lib", env), "MGC_RUNTIME_DIR") ||
        try_layout(a, out, env, env, "MGC_RUNTIME_DIR"))
      return 0;
    fprintf(stderr,
            "mgc: error: MGC_RUNTIME_DIR='%s' holds no libmgrt: expected mgrt.h and libmgrt.a in it, "
            "or in its include/ and lib/\n",
            env);
    return -1;
  }
  const char *dir = self_dir(a);
  if (!dir) {
    fprintf(stderr, "mgc: error: cannot tell where this mgc is installed (no /proc/self/exe); "
                    "set MGC_RUNTIME_DIR to the directory that holds include/mgrt.h and lib/libmgrt.a\n");
    return -1;
  }
  if (try_layout(a, out, MGC_CONF_SOURCE_RUNTIME, dir, "mgc's build tree"))
    return 0;
  const char *lib_dir = MGC_CONF_REL_LIBDIR[0] == '/' ? MGC_CONF_REL_LIBDIR : arena_printf(a, "%s/%s", dir, MGC_CONF_REL_LIBDIR);
  const char *include_dir =
      MGC_CONF_REL_INCLUDEDIR[0] == '/' ? MGC_CONF_REL_INCLUDEDIR : arena_printf(a, "%s/%s", dir, MGC_CONF_REL_INCLUDEDIR);
  if (try_layout(a, out, include_dir, lib_dir, "the tree mgc is installed in"))
    return 0;
  fprintf(stderr,
          "mgc: error: libmgrt not found: looked for %s/libmgrt.a (a build tree) and %s/libmgrt.a with %s/mgrt.h "
          "(an installed tree); set MGC_RUNTIME_DIR to the directory that holds include/mgrt.h and lib/libmgrt.a\n",
          dir, lib_dir, include_dir);
  return -1;
}

const char **runtime_cc(Arena *a, int *n) {
  const char *cc = getenv("CC");
  if (!cc || !cc[strspn(cc, " \t")])
    cc = MGC_CONF_CC;
  /* "ccache gcc" or "gcc -m64": words at blanks, as make would pass them
     to the shell (without the shell's quoting). */
  char *copy = arena_strdup(a, cc);
  int cap = 1;
  for (const char *p = copy; *p; p++)
    cap += *p == ' ' || *p == '\t';
  const char **words = ARENA_ARRAY(a, const char *, cap + 1);
  int count = 0;
  for (char *save = NULL, *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
    words[count++] = w;
  words[count] = NULL;
  *n = count;
  return words;
}
