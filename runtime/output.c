/*
** output.c — files that generated programs write besides checkpoints: the
** predictions of --predict-out, written atomically (a temporary beside the
** target, fsync, rename) so that a failed or interrupted run leaves the
** previous file as it was; the check that a --save or --predict-out target
** is writable before training spends any time; and the diversion of the
** training log to stderr when the predictions take stdout.
*/
#define _POSIX_C_SOURCE 200809L
#include "mgrt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* PATH.tmp.XXXXXX, malloc'd, ready for mkstemp. */
static char *output_tmp_name(const char *path) {
  static const char suffix[] = ".tmp.XXXXXX";
  size_t n = strlen(path);
  char *tmp = malloc(n + sizeof suffix);
  if (tmp) {
    memcpy(tmp, path, n);
    memcpy(tmp + n, suffix, sizeof suffix);
  }
  return tmp;
}

int mgrt_file_check_writable(const char *path) {
  if (path == NULL || path[0] == '\0') {
    mgrt_set_error("no file name given");
    return -1;
  }
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    mgrt_set_error("%s: cannot write: it is a directory", path);
    return -1;
  }
  char *tmp = output_tmp_name(path);
  if (tmp == NULL) {
    mgrt_set_error("%s: out of memory", path);
    return -1;
  }
  int fd = mkstemp(tmp);
  if (fd < 0) {
    mgrt_set_error("%s: cannot write: %s", path, strerror(errno));
    free(tmp);
    return -1;
  }
  close(fd);
  unlink(tmp);
  free(tmp);
  return 0;
}

int mgrt_output_open(mgrt_output *o, const char *path, FILE *stdout_fp) {
  memset(o, 0, sizeof *o);
  o->path = path;
  if (path == NULL) {
    o->fp = stdout_fp ? stdout_fp : stdout;
    return 0;
  }
  o->tmp_path = output_tmp_name(path);
  if (o->tmp_path == NULL) {
    mgrt_set_error("%s: out of memory", path);
    return -1;
  }
  int fd = mkstemp(o->tmp_path);
  if (fd < 0) {
    mgrt_set_error("%s: cannot create a temporary file beside it: %s", path, strerror(errno));
    free(o->tmp_path);
    o->tmp_path = NULL;
    return -1;
  }
  /* mkstemp makes the file 0600; a CSV of predictions gets the usual mode. */
  mode_t mask = umask(022);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0 || !(o->fp = fdopen(fd, "w"))) {
    mgrt_set_error("%s: cannot write: %s", path, strerror(errno));
    close(fd);
    unlink(o->tmp_path);
    free(o->tmp_path);
    o->tmp_path = NULL;
    return -1;
  }
  return 0;
}

int mgrt_output_commit(mgrt_output *o) {
  if (o->path == NULL) {
    if (fflush(o->fp) != 0 || ferror(o->fp)) {
      mgrt_set_error("cannot write the predictions to the standard output: %s", strerror(errno));
      return -1;
    }
    return 0;
  }
  int error = fflush(o->fp) != 0 || ferror(o->fp) ? (errno ? errno : EIO) : 0;
  if (error == 0 && fsync(fileno(o->fp)) != 0)
    error = errno;
  if (fclose(o->fp) != 0 && error == 0)
    error = errno;
  o->fp = NULL;
  if (error == 0 && rename(o->tmp_path, o->path) != 0)
    error = errno;
  if (error != 0) {
    unlink(o->tmp_path);
    mgrt_set_error("%s: cannot write: %s", o->path, strerror(error));
  }
  free(o->tmp_path);
  o->tmp_path = NULL;
  return error ? -1 : 0;
}

void mgrt_output_abort(mgrt_output *o) {
  if (o->path == NULL)
    return;
  if (o->fp)
    fclose(o->fp);
  if (o->tmp_path)
    unlink(o->tmp_path);
  free(o->tmp_path);
  o->fp = NULL;
  o->tmp_path = NULL;
}

FILE *mgrt_stdout_divert(void) {
  fflush(stdout);
  int fd = dup(STDOUT_FILENO);
  FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (fp == NULL || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    mgrt_set_error("cannot set the standard output aside: %s", strerror(errno));
    if (fp)
      fclose(fp);
    else if (fd >= 0)
      close(fd);
    return NULL;
  }
  return fp;
}
