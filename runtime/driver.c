/*
** driver.c — small services for the generated programs' drivers: a
** monotonic clock, the thread count, a progress bar and the --bench report.
*/
#define _POSIX_C_SOURCE 200809L
#include "mgrt.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif

double mgrt_time_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int mgrt_threads_set(int threads) {
#ifdef _OPENMP
  /* Several processes of an MPI job on one machine share its cores: unless
     told otherwise, each takes its share (at least one thread), rather
     than every process starting a thread per core. */
  int local = mgrt_dist_local_size();
  if (threads <= 0 && local > 1 && !getenv("OMP_NUM_THREADS")) {
    threads = omp_get_num_procs() / local;
    threads = threads < 1 ? 1 : threads;
  }
  if (threads > 0)
    omp_set_num_threads(threads);
  return omp_get_max_threads();
#else
  (void)threads;
  return 1;
#endif
}

/* ---- progress bar -------------------------------------------------------- */

enum { BAR_WIDTH = 30 };

void mgrt_progress_begin(mgrt_progress *p, int requested) {
  /* in a job of several processes, only rank 0 draws */
  p->enabled = (requested || isatty(STDERR_FILENO)) && mgrt_dist_rank() == 0;
  p->started = mgrt_time_now();
  p->last_drawn = 0;
  p->drawn = 0;
}

void mgrt_progress_update(mgrt_progress *p, int64_t epoch, int64_t epochs, int64_t done, int64_t total) {
  if (!p->enabled || total <= 0)
    return;
  double now = mgrt_time_now();
  /* Only long epochs get a bar, redrawn at most five times a second. */
  if (now - p->started < 1.0 || (now - p->last_drawn < 0.2 && done < total))
    return;
  p->last_drawn = now;
  int filled = (int)(BAR_WIDTH * done / total);
  char bar[BAR_WIDTH + 1];
  for (int i = 0; i < BAR_WIDTH; i++)
    bar[i] = i < filled ? '=' : i == filled ? '>' : ' ';
  bar[BAR_WIDTH] = 0;
  fprintf(stderr, "\rEpoch %lld/%lld [%s] %lld/%lld batches", (long long)epoch, (long long)epochs, bar,
          (long long)done, (long long)total);
  fflush(stderr);
  p->drawn = 1;
}

void mgrt_progress_end(mgrt_progress *p) {
  if (p->drawn) {
    /* Erase the bar so the log lines stay clean. */
    fprintf(stderr, "\r%*s\r", BAR_WIDTH + 48, "");
    fflush(stderr);
  }
  p->drawn = 0;
  p->started = mgrt_time_now();
}

/* ---- --bench ------------------------------------------------------------- */

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void mgrt_bench_report(FILE *out, double *step_seconds, int steps, int64_t rows, int threads) {
  if (steps <= 0)
    return;
  qsort(step_seconds, (size_t)steps, sizeof step_seconds[0], compare_doubles);
  double median = steps % 2 ? step_seconds[steps / 2]
                            : (step_seconds[steps / 2 - 1] + step_seconds[steps / 2]) / 2;
  fprintf(out, "bench: steps %d step_us_median %.3f step_us_min %.3f samples_per_s %.0f threads %d",
          steps, median * 1e6, step_seconds[0] * 1e6, median > 0 ? (double)rows / median : 0.0,
          threads);
  int64_t calls = 0;
  double reduced = mgrt_dist_reduce_seconds(&calls);
  if (mgrt_dist_size() > 1 && calls > 0) {
    /* the mean reduction of the measured steps against the mean step: a
       share of the step's time, outliers and all */
    double per_step = reduced / (double)calls, mean = 0;
    for (int i = 0; i < steps; i++)
      mean += step_seconds[i] / steps;
    fprintf(out, " processes %d reduce_us_mean %.3f step_us_mean %.3f reduce_share %.3f", mgrt_dist_size(),
            per_step * 1e6, mean * 1e6, mean > 0 ? per_step / mean : 0.0);
  }
  fprintf(out, "\n");
}
