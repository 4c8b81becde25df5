/*
** dist.c — the job's processes: data-parallel training over MPI.
**
** A generated training program started with `mpirun -np K` runs as K
** processes (ranks).  Every rank reads the data and makes the same random
** draws; each computes its slice of every batch's rows, and the step's sums
** over rows (gradients, loss, metrics) are added across the ranks before the
** update, which every rank then takes alike (docs/mpi.md).
**
** The generated C only calls the functions below; it is the same whether
** libmgrt was built with MPI (CMake option MGC_MPI, which defines
** MGRT_WITH_MPI for this file) or not.  Without MPI, and in a program that
** never called mgrt_dist_init (the generated library), they have their
** one-process meaning: rank 0 of 1, sums that are already whole.
**
** The sum across ranks is one fixed-order reduction: every rank's buffer is
** gathered at rank 0, added there in double in rank order, and the total is
** broadcast.  MPI_Allreduce leaves the order of the additions to the
** library (and so may give different bits from run to run, or, in
** principle, from rank to rank); this order depends on nothing but K, and
** every rank gets the very same bits, so the ranks' parameters never drift
** apart.
**
** Errors: a rank that fails while the others may be waiting for it in a
** collective ends the job (MPI_Abort), so that no rank is left waiting.
** Before training, every rank instead says whether its setup (arguments,
** checkpoint, data) went well in one collective (mgrt_dist_agree); the lowest
** failing rank prints its message, the others none, and all exit with
** status 1: one message, however many ranks met the same bad file.
*/
#include "mgrt.h"

#include <stdlib.h>
#include <string.h>

#ifdef MGRT_WITH_MPI
#include <mpi.h>
#endif

static int dist_rank = 0, dist_size = 1;
static int dist_agreed;    /* mgrt_dist_agree has run */
static int agreed_ok;      /* ... and every rank was ready */
static char held_message[4096];  /* an error held back until the agreement */
static double reduce_seconds;
static int64_t reduce_calls;
#ifdef MGRT_WITH_MPI
static int dist_started;   /* mgrt_dist_init called MPI_Init */
static double *reduce_buffer, *gather_buffer;
static int64_t reduce_capacity;
#endif

int mgrt_dist_init(int *argc, char ***argv) {
#ifdef MGRT_WITH_MPI
  /* Started by a launcher (mpirun sets these), or on its own: a program run
     by itself is one process, and skips MPI_Init, which costs about two
     seconds for a job of one (measured here, OpenMPI 4.1). */
  if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMIX_RANK") && !getenv("PMI_SIZE"))
    return 0;
  int provided = 0;
  /* Only the main thread calls MPI; OpenMP threads run the kernels. */
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    fprintf(stderr, "mgrt: error: cannot start the job's processes (MPI_Init failed)\n");
    return -1;
  }
  dist_started = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &dist_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &dist_size);
  if (dist_rank != 0 && !freopen("/dev/null", "w", stdout)) {
    /* Only rank 0 prints the log: the others' stdout goes nowhere. */
    fprintf(stderr, "mgrt: rank %d cannot silence its stdout\n", dist_rank);
  }
#else
  (void)argc;
  (void)argv;
  /* Started by mpirun as one of several processes, without MPI to join
     them: K copies would each train alone and write the same files. */
  const char *size = getenv("OMPI_COMM_WORLD_SIZE");
  if (size && atoi(size) > 1) {
    fprintf(stderr, "mgrt: error: started as one of %d processes (mpirun), but libmgrt was built without MPI: "
                    "configure mgc with -DMGC_MPI=ON to train data-parallel, or run without mpirun\n",
            atoi(size));
    return -1;
  }
#endif
  return 0;
}

int mgrt_dist_rank(void) { return dist_rank; }

int mgrt_dist_size(void) { return dist_size; }

int mgrt_dist_local_size(void) {
#ifdef MGRT_WITH_MPI
  /* OpenMPI says how many of the job's processes share this machine */
  const char *local = getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  if (dist_started && local && atoi(local) > 1)
    return atoi(local);
#endif
  return 1;
}

void mgrt_dist_slice(int64_t rows, int64_t *begin, int64_t *end) {
  /* Contiguous slices whose sizes differ by at most one row, in rank order. */
  *begin = rows * dist_rank / dist_size;
  *end = rows * (dist_rank + 1) / dist_size;
}

#ifdef MGRT_WITH_MPI
static void fail_job(const char *what) {
  fprintf(stderr, "mgrt: rank %d: %s\n", dist_rank, what);
  fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
}

static int reserve(int64_t n) {
  if (n <= reduce_capacity)
    return 0;
  double *r = realloc(reduce_buffer, sizeof(double) * (size_t)n);
  if (!r)
    return -1;
  reduce_buffer = r;
  if (dist_rank == 0) {
    double *g = realloc(gather_buffer, sizeof(double) * (size_t)n * (size_t)dist_size);
    if (!g)
      return -1;
    gather_buffer = g;
  }
  reduce_capacity = n;
  return 0;
}

/* buf[0..n) summed over the ranks in rank order, on every rank. */
static void sum_in_rank_order(double *buf, int64_t n) {
  if (n > (int64_t)1 << 30)
    fail_job("a reduction of more than 2^30 numbers");
  MPI_Gather(buf, (int)n, MPI_DOUBLE, gather_buffer, (int)n, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  if (dist_rank == 0) {
    for (int64_t i = 0; i < n; i++) {
      double total = gather_buffer[i];
      for (int r = 1; r < dist_size; r++)
        total += gather_buffer[(int64_t)r * n + i];
      buf[i] = total;
    }
  }
  MPI_Bcast(buf, (int)n, MPI_DOUBLE, 0, MPI_COMM_WORLD);
}
#endif

void mgrt_dist_sum(double *buf, int64_t n) {
#ifdef MGRT_WITH_MPI
  if (dist_size == 1 || n <= 0)
    return;
  double t0 = mgrt_time_now();
  if (reserve(n) != 0)
    fail_job("out of memory for the reduction");
  sum_in_rank_order(buf, n);
  reduce_seconds += mgrt_time_now() - t0;
  reduce_calls++;
#else
  (void)buf;
  (void)n;
#endif
}

void mgrt_dist_sum_step(double *sums, int n_sums, const mgrt_dist_part *parts, int n_parts, int had_rows) {
#ifdef MGRT_WITH_MPI
  if (dist_size == 1)
    return;
  double t0 = mgrt_time_now();
  int64_t total = n_sums;
  for (int p = 0; p < n_parts; p++)
    total += parts[p].n;
  if (reserve(total) != 0)
    fail_job("out of memory for the reduction");
  /* One contiguous buffer: the sums, then each array, widened to double.
     A rank whose slice of the batch was empty computed no part of the
     arrays (they hold an earlier step's values): it adds zeros. */
  double *buf = reduce_buffer;
  memcpy(buf, sums, sizeof(double) * (size_t)n_sums);
  int64_t at = n_sums;
  for (int p = 0; p < n_parts; p++) {
    for (int64_t i = 0; i < parts[p].n; i++)
      buf[at + i] = !had_rows ? 0.0 : parts[p].f32 ? (double)parts[p].f32[i] : parts[p].f64[i];
    at += parts[p].n;
  }
  sum_in_rank_order(buf, total);
  memcpy(sums, buf, sizeof(double) * (size_t)n_sums);
  at = n_sums;
  for (int p = 0; p < n_parts; p++) {
    for (int64_t i = 0; i < parts[p].n; i++) {
      if (parts[p].f32)
        parts[p].f32[i] = (float)buf[at + i];
      else
        parts[p].f64[i] = buf[at + i];
    }
    at += parts[p].n;
  }
  reduce_seconds += mgrt_time_now() - t0;
  reduce_calls++;
#else
  (void)sums;
  (void)n_sums;
  (void)parts;
  (void)n_parts;
  (void)had_rows;
#endif
}

int mgrt_dist_any(int flag) {
#ifdef MGRT_WITH_MPI
  if (dist_size > 1) {
    int any = 0;
    MPI_Allreduce(&flag, &any, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
    return any;
  }
#endif
  return flag != 0;
}

int mgrt_dist_hold_error(const char *message) {
  if (dist_size == 1 || dist_agreed)
    return 0;
  if (!held_message[0])
    snprintf(held_message, sizeof held_message, "%s", message);
  return 1;
}

int mgrt_dist_agree(int ok) {
#ifdef MGRT_WITH_MPI
  if (dist_size > 1 && !dist_agreed) {
    dist_agreed = 1;
    /* the lowest failing rank, or dist_size when none failed */
    int mine = ok ? dist_size : dist_rank, first = dist_size;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    agreed_ok = first == dist_size;
    if (first < dist_size && first == dist_rank && held_message[0]) {
      fputs(held_message, stderr);
      fflush(stderr);
    }
    return first == dist_size;
  }
#endif
  dist_agreed = 1;
  agreed_ok = ok != 0;
  return ok != 0;
}

int mgrt_dist_finish(int status) {
#ifdef MGRT_WITH_MPI
  if (dist_started) {
    /* A safe stop (MGRT_STOP_STATUS) is agreed: every process stopped after
       the same step (mgrt_dist_any), so the job ends normally, after rank 0
       has saved. */
    if (dist_size > 1 && status != 0 && status != MGRT_STOP_STATUS) {
      if (!dist_agreed) {
        /* the healthy ranks are in mgrt_dist_agree: fail it with them, and
           every rank then ends normally */
        mgrt_dist_agree(0);
      } else if (agreed_ok) {
        /* A failure after the agreement, while the other ranks may be in a
           collective or in MPI_Finalize: end the whole job. */
        fflush(stdout);
        fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, status);
      }
    }
    free(reduce_buffer);
    free(gather_buffer);
    reduce_buffer = gather_buffer = NULL;
    reduce_capacity = 0;
    fflush(stdout);
    MPI_Finalize();
    dist_started = 0;
  }
#endif
  return status;
}

void mgrt_dist_reduce_reset(void) {
  reduce_seconds = 0;
  reduce_calls = 0;
}

double mgrt_dist_reduce_seconds(int64_t *calls) {
  if (calls)
    *calls = reduce_calls;
  return reduce_seconds;
}
