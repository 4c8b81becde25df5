/*
** fuzz_file.h — for the reader harnesses: the readers take a path, so each
** input is written to one scratch file per process (in $TMPDIR or /tmp) and
** read back from there.
*/
#ifndef MGC_FUZZ_FILE_H
#define MGC_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The scratch file's path, made once. */
static const char *fuzz_scratch_path(const char *suffix) {
  static char path[4096];
  if (!path[0]) {
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/mgc-fuzz-%ld%s", dir && *dir ? dir : "/tmp", (long)getpid(), suffix);
  }
  return path;
}

/* Writes data to the scratch file; returns its path (NULL if writing failed). */
static const char *fuzz_write_scratch(const uint8_t *data, size_t size, const char *suffix) {
  const char *path = fuzz_scratch_path(suffix);
  FILE *f = fopen(path, "wb");
  if (!f)
    return NULL;
  int ok = fwrite(data, 1, size, f) == size;
  if (fclose(f) != 0 || !ok)
    return NULL;
  return path;
}

#endif
