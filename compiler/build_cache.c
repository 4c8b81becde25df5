/*
** build_cache.c — the cache of compiled programs behind `mgc run`.
**
** Each entry is a directory named by a content key (cli_build.c hashes the
** generated C, the compiler, its flags and libmgrt's bytes into it) and holds
** program.c and program.  An entry is built in a private work directory in
** the cache and renamed to its key only once the compiler succeeded: rename
** is atomic, so an interrupted or failed build never leaves a half-built
** entry, and two mgc runs racing on the same model both end with the same
** complete program.  Entries are never removed by mgc (work directories
** left by a killed mgc are, after a day); deleting the whole directory at
** any time is safe.
*/
#define _POSIX_C_SOURCE 200809L
#include "build_cache.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* mkdir -p; 0 or -1 with errno. */
static int make_dirs(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = 0;
    int rc = mkdir(path, 0777);
    *p = '/';
    if (rc != 0 && errno != EEXIST)
      return -1;
  }
  if (mkdir(path, 0777) != 0 && errno != EEXIST)
    return -1;
  struct stat st;
  if (stat(path, &st) != 0)
    return -1;
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return -1;
  }
  return 0;
}

const char *cache_dir(Arena *a) {
  const char *env = getenv("MGC_CACHE_DIR");
  const char *xdg = getenv("XDG_CACHE_HOME");
  const char *home = getenv("HOME");
  char *dir;
  if (env && *env)
    dir = arena_strdup(a, env);
  else if (xdg && xdg[0] == '/') /* the XDG spec ignores relative values */
    dir = arena_printf(a, "%s/mgc", xdg);
  else if (home && *home)
    dir = arena_printf(a, "%s/.cache/mgc", home);
  else {
    fprintf(stderr, "mgc: error: no cache directory: set MGC_CACHE_DIR (or HOME)\n");
    return NULL;
  }
  if (make_dirs(dir) != 0) {
    fprintf(stderr, "mgc: error: cannot create the cache directory '%s': %s\n", dir, strerror(errno));
    return NULL;
  }
  return dir;
}

/* A work directory outlives its build only when mgc was killed during it
   (Ctrl-C while the C compiler ran).  One untouched for a day belongs to no
   running build: remove it, so such leftovers do not pile up. */
static void discard_stale_workdirs(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  time_t day_ago = time(NULL) - 24 * 60 * 60;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strncmp(e->d_name, "tmp-", 4) != 0)
      continue;
    size_t n = strlen(dir) + strlen(e->d_name) + 2;
    char *path = malloc(n);
    if (!path)
      break;
    snprintf(path, n, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_mtime < day_ago)
      cache_discard(path);
    free(path);
  }
  closedir(d);
}

const char *cache_workdir(Arena *a, const char *dir) {
  discard_stale_workdirs(dir);
  char *work = arena_printf(a, "%s/tmp-XXXXXX", dir);
  if (!mkdtemp(work)) {
    fprintf(stderr, "mgc: error: cannot write in the cache directory '%s': %s\n", dir, strerror(errno));
    return NULL;
  }
  return work;
}

int cache_hash_file(Sha256 *h, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  unsigned char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    sha256_update(h, buf, n);
  int failed = ferror(f);
  fclose(f);
  return failed ? -1 : 0;
}

void cache_discard(const char *work) {
  DIR *d = opendir(work);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      size_t n = strlen(work) + strlen(e->d_name) + 2;
      char *path = malloc(n);
      if (path) {
        snprintf(path, n, "%s/%s", work, e->d_name);
        unlink(path);
        free(path);
      }
    }
    closedir(d);
  }
  rmdir(work);
}

const char *cache_publish(Arena *a, const char *dir, const char *work, const char *key) {
  const char *entry = arena_printf(a, "%s/%s", dir, key);
  if (rename(work, entry) == 0)
    return entry;
  int err = errno;
  if (err == EEXIST || err == ENOTEMPTY) {
    /* another mgc got there first with the same content: use its entry */
    cache_discard(work);
    return entry;
  }
  fprintf(stderr, "mgc: error: cannot move the program into the cache ('%s'): %s\n", entry, strerror(err));
  cache_discard(work);
  return NULL;
}
