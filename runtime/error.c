/*
** error.c — the runtime's error channel.
**
** Functions of libmgrt that fail return non-zero and leave a message here, so
** that the generated program can print one line naming the file and line of
** the bad data.  A single static buffer is enough: generated programs are
** single-threaded where they load data and report errors.
*/
#include "mgrt.h"

#include <stdarg.h>
#include <string.h>

/* Long enough for a long path plus a line number and a quoted field; longer
   messages are truncated rather than lost. */
#define MGRT_ERROR_SIZE 4096

static char error_message[MGRT_ERROR_SIZE];

const char *mgrt_last_error(void) { return error_message; }

void mgrt_set_error(const char *fmt, ...) {
  /* Format into a scratch buffer first: callers may pass mgrt_last_error()
     itself as an argument (to add a prefix), which must not be overwritten
     while it is being read. */
  char scratch[MGRT_ERROR_SIZE];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(scratch, sizeof scratch, fmt, ap);
  va_end(ap);
  if (n < 0) {
    /* Only an invalid format gets here; keep a message rather than garbage. */
    snprintf(scratch, sizeof scratch, "%s", "unknown error");
  }
  memcpy(error_message, scratch, sizeof error_message);
}

void mgrt_report_error(const char *program, const char *message) {
  /* A NULL message means "the last mgrt_ failure", the common case. */
  if (message == NULL) message = error_message;
  if (program == NULL || program[0] == '\0') program = "mgrt";
  char line[MGRT_ERROR_SIZE + 256];
  snprintf(line, sizeof line, "%s: error: %s\n", program, message);
  /* In a job of several processes, errors before training are held back
     until every rank has said whether it is ready (dist.c), so that a bad
     file that every rank reads is reported once. */
  if (mgrt_dist_hold_error(line))
    return;
  fputs(line, stderr);
  fflush(stderr);
}
