/*
** stop.c — a safe stop for generated training programs: SIGINT (Ctrl-C)
** and SIGTERM set a flag, and the training loop, which reads it after each
** step, saves the params and exits (see mgrt.h, "A safe stop").
**
** The handler does nothing but set the flag: the step in progress finishes,
** so the params saved are those after a whole update.  SA_RESETHAND puts
** back the default action, so a second signal ends a program that does not
** stop soon enough (a long data load) at once.
*/
#define _POSIX_C_SOURCE 200809L
#include "mgrt.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t stop_signal;

static void stop_handler(int sig) { stop_signal = sig; }

int mgrt_stop_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = stop_handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND | SA_RESTART;  /* reads and writes go on after the signal */
  /* A SIGINT ignored at start stays ignored, as Unix programs do: a shell
     script's background job (`./train &`) is not meant to see Ctrl-C. */
  struct sigaction old;
  int keep_ignoring = sigaction(SIGINT, NULL, &old) == 0 && old.sa_handler == SIG_IGN;
  if ((!keep_ignoring && sigaction(SIGINT, &sa, NULL) != 0) || sigaction(SIGTERM, &sa, NULL) != 0) {
    mgrt_set_error("cannot install the signal handlers: %s", strerror(errno));
    return -1;
  }
  return 0;
}

int mgrt_stop_requested(void) { return stop_signal != 0; }
