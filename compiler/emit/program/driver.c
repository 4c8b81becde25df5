/*
** driver.c — writes the generated program's driver: binding batches of
** data to the model's inputs, the training loop with its log lines, the
** evaluation, and main with its command line.
*/
#include <string.h>

#include "emit/program/program.h"
#include "schedule.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

/* " * w" after a count of rows, nothing for rows of one value. */
static const char *times(Emitter *e, long w) { return w == 1 ? "" : arena_printf(e->arena, " * %ld", w); }

/* A shape as a comment on a data set's array: its batch dimension is the
   set's rows ("[rows, 16]", "[rows]"). */
static const char *rows_shape(Emitter *e, Shape s) {
  const char *text = "[";
  for (int i = 0; i < s.rank; i++)
    text = s.dims[i].sym ? arena_printf(e->arena, "%s%srows", text, i ? ", " : "")
                         : arena_printf(e->arena, "%s%s%ld", text, i ? ", " : "", s.dims[i].n);
  return arena_printf(e->arena, "%s]", text);
}

/* The Dataset type: each input's values in the program's real type, and
   staging buffers for gathered (shuffled) batches. */
static void emit_dataset(Emitter *e) {
  Model *m = e->m;
  int ni = m->inputs.len;
  P("/* A loaded data set: one array per input, in the program's number type. */\n");
  P("typedef struct Dataset {\n  const char *what;   /* \"train\" or \"eval\" */\n  const char *first_input;\n  int64_t rows;\n  int borrowed;        /* the arrays are the program's own inline data */\n");
  P("  mgrt_array loaded[%d];\n", ni ? ni : 1);
  for (int i = 0; i < ni; i++) {
    Input *in = m->inputs.items[i];
    const char *t = in->dtype == DT_I64 ? "int64_t" : e->real;
    P("  %s *%s;        /* %s */\n", t, emit_member(e, in->node), rows_shape(e, in->shape));
    P("  %s *%s_batch;  /* a gathered batch */\n", t, emit_member(e, in->node));
  }
  P("} Dataset;\n\n");

  P("/* Checks that the inputs agree on the number of rows and prepares the\n   arrays. */\n");
  P("static int dataset_prepare(Dataset *d, const char *program) {\n");
  P("  d->rows = -1;\n");
  for (int i = 0; i < ni; i++) {
    Input *in = m->inputs.items[i];
    const char *nm = emit_member(e, in->node);
    /* a predict file holds only the inputs the outputs need */
    P("  if (d->loaded[%d].%s) {\n", i, in->dtype == DT_I64 ? "i64" : "f32");
    if (in->shape.rank == 0 || !in->shape.dims[0].sym) {
      long want = in->shape.rank ? in->shape.dims[0].n : 1;
      P("    if (d->loaded[%d].rows != %ld) {\n", i, want);
      P("      fprintf(stderr, \"%%s: error: %%s data for input '%s' has %%\" PRId64 \" rows, but it is declared with %ld\\n\", program, d->what, d->loaded[%d].rows);\n", in->name, want, i);
      P("      return -1;\n    }\n");
    }
    if (i == 0) { /* the first input: nothing to agree with yet */
      P("    d->first_input = \"%s\";\n", in->name);
    } else {
      P("    if (d->rows >= 0 && d->loaded[%d].rows != d->rows) {\n", i);
      P("      fprintf(stderr, \"%%s: error: %%s data: inputs share the size %s but '%s' has %%\" PRId64 \" rows and '%%s' has %%\" PRId64 \"\\n\", program, d->what, d->loaded[%d].rows, d->first_input, d->rows);\n",
        e->g->size_name ? e->g->size_name : "N", in->name, i);
      P("      return -1;\n    }\n");
      P("    if (d->rows < 0)\n      d->first_input = \"%s\";\n", in->name);
    }
    P("    d->rows = d->loaded[%d].rows;\n", i);
    if (in->dtype == DT_I64) {
      P("    d->%s = d->loaded[%d].i64;\n", nm, i);
    } else if (e->opt.f64) {
      P("    d->%s = malloc(sizeof(double) * (size_t)(d->loaded[%d].rows%s));\n", nm, i, times(e, model_input_width(in)));
      P("    if (!d->%s)\n      return -1;\n", nm);
      P("    for (int64_t k = 0; k < d->loaded[%d].rows%s; k++)\n      d->%s[k] = d->loaded[%d].f32[k];\n", i, times(e, model_input_width(in)), nm, i);
    } else {
      P("    d->%s = d->loaded[%d].f32;\n", nm, i);
    }
    P("  }\n");
  }
  P("  if (d->rows == 0) {\n");
  P("    fprintf(stderr, \"%%s: error: the %%s data has no rows\\n\", program, d->what);\n    return -1;\n  }\n");
  P("  return 0;\n}\n\n");

  /* Called again for a dataset that has its batch arrays (eval { every }
     reserves the eval data's before training, evaluation after it): the
     old arrays are freed first. */
  P("static int dataset_reserve_batches(Dataset *d, int64_t rows) {\n");
  if (!ni)
    P("  (void)d;\n  (void)rows;\n");
  for (int i = 0; i < ni; i++) {
    Input *in = m->inputs.items[i];
    const char *t = in->dtype == DT_I64 ? "int64_t" : e->real;
    const char *nm = emit_member(e, in->node);
    P("  free(d->%s_batch);\n", nm);
    P("  d->%s_batch = malloc(sizeof(%s) * (size_t)(rows%s));\n", nm, t, times(e, model_input_width(in)));
    P("  if (!d->%s_batch)\n    return -1;\n", nm);
  }
  P("  return 0;\n}\n\n");

  P("static void dataset_free(Dataset *d) {\n");
  if (!ni)
    P("  (void)d;\n");
  for (int i = 0; i < ni; i++) {
    Input *in = m->inputs.items[i];
    const char *nm = emit_member(e, in->node);
    P("  free(d->%s_batch);\n", nm);
    if (in->dtype != DT_I64 && e->opt.f64)
      P("  free(d->%s);\n", nm);
    P("  if (!d->borrowed)\n    mgrt_array_free(&d->loaded[%d]);\n", i);
  }
  P("}\n\n");

  P("/* Points the model's inputs at rows [start, start + n) of the data set, or\n");
  P("   gathers rows order[start..start + n) when the order is shuffled. */\n");
  P("static void bind_batch(Model *m, Dataset *d, const int64_t *order, int64_t start, int64_t n) {\n");
  if (!ni)
    P("  (void)d;\n  (void)order;\n  (void)start;\n");
  P("  m->N = n;\n");
  for (int i = 0; i < ni; i++) {
    Input *in = m->inputs.items[i];
    const char *nm = emit_member(e, in->node);
    long w = model_input_width(in);
    P("  if (order) {\n");
    P("    for (int64_t r = 0; r < n; r++)\n");
    if (w == 1)
      P("      d->%s_batch[r] = d->%s[order[start + r]];\n", nm, nm);
    else
      P("      memcpy(d->%s_batch + r * %ld, d->%s + order[start + r] * %ld, sizeof(d->%s[0]) * %ld);\n", nm, w, nm, w, nm, w);
    P("    m->%s = d->%s_batch;\n", nm, nm);
    P("  } else {\n    m->%s = d->%s + start%s;\n  }\n", nm, nm, times(e, w));
  }
  P("}\n\n");
}

static void print_metrics_format(Emitter *e, int n_metrics, Metric *metrics, const char *values) {
  for (int i = 0; i < n_metrics; i++)
    P("  printf(\" %s: %%.6f\", %s[%d]);\n", metrics[i].name, values, i);
}

/* --bench: times training steps after a warm-up. */
static void emit_bench(Emitter *e) {
  P("/* --bench: the median time of a training step (forward, backward, update\n");
  P("   on one batch) after a warm-up, over at least 20 steps and a second, or\n");
  P("   over exactly the steps of --epochs when it is given. */\n");
  P("static int bench(Model *m, Dataset *d, const Settings *s, int64_t fixed_epochs, int threads) {\n");
  P("  int64_t rows = s->batch_size > 0 && s->batch_size < d->rows ? s->batch_size : d->rows;\n");
  P("  int64_t batches = d->rows / rows;\n");
  P("  int64_t wanted = fixed_epochs >= 0 ? fixed_epochs * batches : -1;\n");
  P("  int cap = 1024, steps = 0;\n");
  P("  double *times = malloc(sizeof(double) * (size_t)cap), started = 0;\n");
  P("  if (!times)\n    return -1;\n");
  P("  for (int64_t step = -5; ; step++) {  /* five warm-up steps */\n");
  P("    if (step == 0) {\n      started = mgrt_time_now();\n      mgrt_dist_reduce_reset();  /* time the measured steps' reductions only */\n    }\n");
  P("    /* the processes of an MPI job stop together, whatever their clocks say */\n");
  P("    if (step >= 0 && mgrt_dist_any(wanted >= 0 ? step >= wanted\n");
  P("                                   : steps >= 200000 || (steps >= 20 && mgrt_time_now() - started >= 1.0)))\n");
  P("      break;\n");
  P("    if (mgrt_dist_any(mgrt_stop_requested()))\n      break;  /* report the steps measured so far */\n");
  P("    bind_batch(m, d, NULL, ((step + 5) %% batches) * rows, rows);\n");
  P("    double t0 = mgrt_time_now();\n");
  P("    train_step(m, 0);\n    update(m, s->lr);\n");
  P("    double t1 = mgrt_time_now();\n");
  P("    if (step < 0)\n      continue;\n");
  P("    if (steps == cap) {\n");
  P("      double *bigger = realloc(times, sizeof(double) * (size_t)(cap *= 2));\n");
  P("      if (!bigger) {\n        free(times);\n        return -1;\n      }\n      times = bigger;\n    }\n");
  P("    times[steps++] = t1 - t0;\n  }\n");
  P("  mgrt_bench_report(stdout, times, steps, rows, threads);\n");
  P("  free(times);\n  return 0;\n}\n\n");
}

/* The training loops.  Train's metrics (nm of them, maybe none) are read
   after each logged step's forward pass and logged beside the loss. */
static void emit_train_loop(Emitter *e) {
  Model *m = e->m;
  TrainSpec *t = &m->train;
  int nm = t->n_metrics;
  if (nm) {
    P("/* The values of train's metrics after a forward pass. */\n");
    P("static void read_metrics(Model *m, double *values) {\n");
    for (int i = 0; i < nm; i++)
      P("  values[%d] = (double)%s[0];\n", i, e->names[t->metrics[i].node->id]);
    P("}\n\n");
  }

  P("typedef struct Settings {\n  int64_t epochs, batch_size, log_every;\n  double lr;\n  int quiet;\n  FILE *history;\n  mgrt_progress progress;\n");
  P("  int64_t stop_epoch, stop_step;  /* where SIGINT or SIGTERM stopped training */\n");
  if (m->eval.every)
    P("  Dataset *eval;        /* eval { every }: evaluated during training */\n  int64_t eval_every, eval_chunk;\n");
  P("} Settings;\n\n");
  if (m->eval.every) {
    P("static void evaluate(Model *m, Dataset *d, int64_t chunk, int64_t epoch, int64_t epochs, int quiet);\n\n");
    P("/* eval { every = K }: after the log line of each epoch that is a multiple\n");
    P("   of K, and of the last, the eval data in evaluation mode with the params\n");
    P("   after that epoch.  Returns whether it evaluated (the batch's inputs then\n");
    P("   point at the eval data). */\n");
    P("static int evaluate_during_training(Model *m, const Settings *s, int64_t epoch) {\n");
    P("  if (epoch %% s->eval_every != 0 && epoch != s->epochs)\n    return 0;\n");
    P("  evaluate(m, s->eval, s->eval_chunk, epoch, s->epochs, s->quiet);\n  return 1;\n}\n\n");
  }

  P("/* One log line.  A NaN prints as \"nan\", as Python prints it, whatever its sign. */\n");
  P("static void log_line(const Settings *s, int64_t epoch, double cost%s) {\n", nm ? ", const double *metrics" : "");
  if (nm) {
    P("  double values[%d];\n", nm);
    P("  for (int k = 0; k < %d; k++)\n    values[k] = isnan(metrics[k]) ? NAN : metrics[k];\n", nm);
  }
  P("  cost = isnan(cost) ? NAN : cost;\n");
  P("  if (s->history) {\n");
  P("    fprintf(s->history, \"%%\" PRId64 \",%%.9g\", epoch, cost);\n");
  for (int i = 0; i < nm; i++)
    P("    fprintf(s->history, \",%%.9g\", values[%d]);\n", i);
  P("    fprintf(s->history, \"\\n\");\n  }\n");
  P("  if (s->quiet)\n    return;\n");
  P("  printf(\"Epoch %%4\" PRId64 \"/%%\" PRId64 \" Cost: %%.6f\", epoch, s->epochs, cost);\n");
  print_metrics_format(e, nm, t->metrics, "values");
  P("  printf(\"\\n\");\n  fflush(stdout);\n}\n\n");

  const char *loss = e->names[t->loss->id];
  P("/* Full batch: the line for epoch e shows the loss and metrics with the\n");
  P("   parameters after e updates, as the lesson's loop prints them.\n");
  P("   Returns 1 when a signal stopped it (after a whole update). */\n");
  P("static int train_full_batch(Model *m, Dataset *d, Settings *s) {\n");
  if (nm)
    P("  double metrics[%d] = {0};\n", nm);
  P("  bind_batch(m, d, NULL, 0, d->rows);\n");
  P("  for (int64_t epoch = 0; epoch <= s->epochs; epoch++) {\n");
  P("    int logged = epoch %% s->log_every == 0 || epoch == s->epochs;\n");
  P("    train_step(m, logged);\n");
  if (nm) {
    P("    if (logged) {\n      read_metrics(m, metrics);\n");
    P("      log_line(s, epoch, (double)%s[0], metrics);\n    }\n", loss);
  } else {
    P("    if (logged)\n      log_line(s, epoch, (double)%s[0]);\n", loss);
  }
  if (m->eval.every)
    P("    if (evaluate_during_training(m, s, epoch))\n      bind_batch(m, d, NULL, 0, d->rows);  /* back to the train data */\n");
  P("    if (epoch == s->epochs)\n      break;  /* the last line: the loss after the last update */\n");
  P("    update(m, s->lr);\n");
  P("    /* every process of an MPI job stops after the same step */\n");
  P("    if (mgrt_dist_any(mgrt_stop_requested())) {\n      s->stop_epoch = epoch + 1;\n      s->stop_step = 1;\n      return 1;\n    }\n");
  P("  }\n  return 0;\n}\n\n");

  P("/* Mini-batches: each logged epoch shows the sample-weighted mean of the\n");
  P("   per-batch loss and metrics, each taken before its batch's update.  The\n");
  P("   order of a shuffled epoch is DataLoader(shuffle=True)'s.  Returns 1 when\n");
  P("   a signal stopped it (after a whole step). */\n");
  P("static int train_mini_batch(Model *m, Dataset *d, Settings *s, int64_t *order) {\n");
  if (!t->shuffle)
    P("  (void)order;  /* the epochs keep the data's order */\n");
  if (nm)
    P("  double metrics[%d] = {0}, sums[%d] = {0};\n", nm, nm);
  P("  for (int64_t epoch = 1; epoch <= s->epochs; epoch++) {\n");
  if (t->shuffle) {
    P("    mgrt_rng_epoch_order(&m->rng, order, d->rows);\n");
  } else {
    P("    /* DataLoader draws its base seed each epoch even without shuffling. */\n");
    P("    (void)mgrt_rng_next64(&m->rng);\n");
  }
  P("    int logged = (epoch - 1) %% s->log_every == 0 || epoch == s->epochs;\n");
  P("    double cost_sum = 0;\n    int64_t seen = 0;\n");
  if (nm)
    P("    for (int k = 0; k < %d; k++)\n      sums[k] = 0;\n", nm);
  P("    for (int64_t start = 0; start < d->rows; start += s->batch_size) {\n");
  P("      int64_t n = d->rows - start < s->batch_size ? d->rows - start : s->batch_size;\n");
  P("      mgrt_progress_update(&s->progress, epoch, s->epochs, start / s->batch_size, (d->rows + s->batch_size - 1) / s->batch_size);\n");
  if (t->drop_last)
    P("      if (n < s->batch_size)\n        break;  /* drop_last */\n");
  P("      bind_batch(m, d, %s, start, n);\n", t->shuffle ? "order" : "NULL");
  P("      train_step(m, logged);\n");
  if (nm) {
    P("      if (logged) {\n        read_metrics(m, metrics);\n");
    P("        for (int k = 0; k < %d; k++)\n          sums[k] += metrics[k] * (double)n;\n      }\n", nm);
  }
  P("      cost_sum += (double)%s[0] * (double)n;\n", loss);
  P("      seen += n;\n");
  P("      update(m, s->lr);\n");
  P("      if (mgrt_dist_any(mgrt_stop_requested())) {  /* every process after the same step */\n        mgrt_progress_end(&s->progress);\n");
  P("        s->stop_epoch = epoch;\n        s->stop_step = start / s->batch_size + 1;\n        return 1;\n      }\n");
  P("    }\n");
  P("    mgrt_progress_end(&s->progress);\n");
  if (nm) {
    P("    if (logged && seen > 0) {\n");
    P("      for (int k = 0; k < %d; k++)\n        sums[k] /= (double)seen;\n", nm);
    P("      log_line(s, epoch, cost_sum / (double)seen, sums);\n    }\n");
  } else {
    P("    if (logged && seen > 0)\n      log_line(s, epoch, cost_sum / (double)seen);\n");
  }
  if (m->eval.every)
    P("    evaluate_during_training(m, s, epoch);\n");
  P("  }\n");
  P("  return 0;\n}\n\n");
}

/* evaluate's weighted sums, added across the job's processes in one
   reduction (nothing to add in a one-process run). */
static void emit_eval_sum_across_processes(Emitter *e, int nm) {
  if (!nm) {
    P("  mgrt_dist_sum(&cost_sum, 1);  /* every process's part, added up (nothing to do in one process) */\n");
    return;
  }
  P("  {  /* every process's part, added up (nothing to do in one process) */\n");
  P("    double all[%d] = {cost_sum", nm + 1);
  for (int i = 0; i < nm; i++)
    P(", sums[%d]", i);
  P("};\n    mgrt_dist_sum(all, %d);\n    cost_sum = all[0];\n", nm + 1);
  for (int i = 0; i < nm; i++)
    P("    sums[%d] = all[%d];\n", i, i + 1);
  P("  }\n");
}

static void emit_eval(Emitter *e) {
  Model *m = e->m;
  EvalSpec *ev = &m->eval;
  int nm = ev->n_metrics;
  P("/* Loss and eval's metrics over the whole eval data, in chunks of at most\n");
  P("   `chunk` rows, weighted by rows (so the result does not depend on chunk).\n");
  P("   In a job of several processes each takes its slice of the rows and the\n");
  P("   weighted sums are added across them.%s\n", ev->every ? "" : " */");
  if (ev->every) {
    P("   epoch >= 0: during training (eval { every }), the line says after which\n");
    P("   epoch of how many, and --quiet silences it, as it does the log. */\n");
    P("static void evaluate(Model *m, Dataset *d, int64_t chunk, int64_t epoch, int64_t epochs, int quiet) {\n");
  } else {
    P("static void evaluate(Model *m, Dataset *d, int64_t chunk) {\n");
  }
  if (nm)
    P("  double cost_sum = 0, sums[%d] = {0};\n", nm);
  else
    P("  double cost_sum = 0;\n");
  P("  int64_t begin, end;\n  mgrt_dist_slice(d->rows, &begin, &end);\n");
  P("  for (int64_t start = begin; start < end; start += chunk) {\n");
  P("    int64_t n = end - start < chunk ? end - start : chunk;\n");
  P("    bind_batch(m, d, NULL, start, n);\n");
  P("    evaluate_batch(m);\n");
  P("    cost_sum += (double)%s[0] * (double)n;\n", e->names[model_eval_loss(m)->id]);
  for (int i = 0; i < nm; i++)
    P("    sums[%d] += (double)%s[0] * (double)n;\n", i, e->names[ev->metrics[i].node->id]);
  P("  }\n");
  emit_eval_sum_across_processes(e, nm);
  if (ev->every) {
    P("  if (epoch >= 0 && quiet)\n    return;\n");
    P("  if (epoch >= 0)\n    printf(\"Eval %%4\" PRId64 \"/%%\" PRId64 \" Cost: %%.6f\", epoch, epochs, cost_sum / (double)d->rows);\n  else\n  ");
  }
  P("  printf(\"Eval Cost: %%.6f\", cost_sum / (double)d->rows);\n");
  for (int i = 0; i < nm; i++)
    P("  printf(\" %s: %%.6f\", sums[%d] / (double)d->rows);\n", ev->metrics[i].name, i);
  P("  printf(\"\\n\");\n%s}\n\n", ev->every ? "  fflush(stdout);\n" : "");
}

/* --gradcheck: the backward pass against central finite differences of the
   loss, one parameter element at a time, on the first batch. */
static void emit_gradcheck(Emitter *e) {
  Model *m = e->m;
  const char *loss = e->names[m->train.loss->id];
  P("/* --gradcheck: compares every gradient element with the central difference\n");
  P("   (loss(p + h) - loss(p - h)) / 2h.  Meaningful with --dtype=f64. */\n");
  P("static int gradcheck(Model *m, Dataset *d, int64_t rows) {\n");
  if (m->uses_dropout) {
    P("  (void)m;\n  (void)d;\n  (void)rows;\n");
    P("  fprintf(stderr, \"gradcheck: dropout draws a new mask every pass; nothing to compare\\n\");\n");
    P("  return 1;\n}\n\n");
    return;
  }
  P("  const double h = %s, atol = %s, rtol = %s;\n", e->opt.f64 ? "1e-6" : "1e-2", e->opt.f64 ? "1e-7" : "1e-2",
    e->opt.f64 ? "1e-5" : "5e-2");
  P("  int64_t passed = 0, failed = 0;\n");
  /* A step in blocks of rows has no forward pass of its own: the losses
     come from train_step too, which also overwrites the gradients, so the
     analytic ones are kept aside first. */
  const char *loss_pass = e->schedule->block_rows ? "train_step(m, 0)" : "forward(m)";
  long total = 0;
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    total += p->grad ? shape_static_numel(p->shape) : 0;
  }
  P("  bind_batch(m, d, NULL, 0, rows);\n");
  P("  train_step(m, 0);\n");
  P("  %s *analytic = malloc(sizeof(%s) * %ld);\n", e->real, e->real, total ? total : 1);
  P("  if (!analytic) {\n    fprintf(stderr, \"gradcheck: out of memory\\n\");\n    return 1;\n  }\n");
  long at = 0;
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (!p->grad)
      continue;
    P("  memcpy(analytic + %ld, %s, sizeof(%s) * %ld);\n", at, e->names[p->grad->id], e->real,
      shape_static_numel(p->shape));
    at += shape_static_numel(p->shape);
  }
  at = 0;
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    if (!p->grad)
      continue;
    const char *w = p->c_name;
    P("  for (int64_t i = 0; i < %ld; i++) {\n", shape_static_numel(p->shape));
    P("    %s saved = m->%s[i];\n", e->real, w);
    P("    m->%s[i] = saved + h;\n    %s;\n    double up = %s[0];\n", w, loss_pass, loss);
    P("    m->%s[i] = saved - h;\n    %s;\n    double down = %s[0];\n", w, loss_pass, loss);
    P("    m->%s[i] = saved;\n", w);
    P("    double numeric = (up - down) / (2 * h), analytic_i = analytic[%ld + i];\n", at);
    at += shape_static_numel(p->shape);
    P("    if (fabs(numeric - analytic_i) <= atol + rtol * fabs(numeric)) {\n      passed++;\n    } else {\n");
    P("      failed++;\n");
    P("      printf(\"gradcheck: %s[%%\" PRId64 \"]: analytic %%.10g, numeric %%.10g\\n\", i, analytic_i, numeric);\n", p->name);
    P("    }\n  }\n");
  }
  P("  free(analytic);\n");
  P("  printf(\"gradcheck: %%\" PRId64 \" passed, %%\" PRId64 \" failed\\n\", passed, failed);\n");
  P("  return failed ? 1 : 0;\n}\n\n");
}

/* The safe stop's report, and the checks made before any time is spent. */
static void emit_safe_stop(Emitter *e) {
  P("/* A signal stopped training after a whole step: saves the params (--save,\n");
  P("   atomically), says where training stopped, and returns the exit status. */\n");
  P("static int stop_training(Model *m, const Settings *s, const mgrt_options *opt) {\n");
  P("  if (mgrt_dist_rank() != 0)\n    return MGRT_STOP_STATUS;  /* rank 0 alone reports and saves */\n");
  P("  fprintf(stderr, \"%%s: stopped at epoch %%\" PRId64 \", step %%\" PRId64 \"\\n\", opt->program, s->stop_epoch, s->stop_step);\n");
  P("  if (opt->save_path) {\n");
  P("    if (model_save(m, opt->save_path) != 0) {\n      mgrt_report_error(opt->program, mgrt_last_error());\n      return 1;\n    }\n");
  P("    fprintf(stderr, \"%%s: saved the params to %%s\\n\", opt->program, opt->save_path);\n  }\n");
  P("  return MGRT_STOP_STATUS;\n}\n\n");
  P("/* Before training: the files that training ends by writing can be written\n");
  P("   (a missing directory is reported now, not after the last epoch). */\n");
  P("static int check_output_files(const mgrt_options *opt) {\n");
  P("  if (opt->save_path && mgrt_file_check_writable(opt->save_path) != 0) {\n");
  P("    mgrt_report_error(opt->program, mgrt_last_error());\n    return -1;\n  }\n");
  P("  if (opt->predict_out_path && mgrt_file_check_writable(opt->predict_out_path) != 0) {\n");
  P("    mgrt_report_error(opt->program, mgrt_last_error());\n    return -1;\n  }\n");
  P("  return 0;\n}\n\n");
}

/* The job's processes in main (runtime/dist.c): started first; before
   training, every process says whether its setup went well, so that a bad
   file or checkpoint ends every process with one message; and the status
   goes through mgrt_dist_finish, which ends the whole job when a process
   fails later.  In a one-process run these do nothing. */
static void emit_main_start_processes(Emitter *e) {
  P("  if (mgrt_dist_init(&argc, &argv) != 0)\n    return 1;  /* it said why */\n");
}

static void emit_main_agree(Emitter *e) {
  P("  if (!mgrt_dist_agree(1))\n    goto done;  /* another process failed; it said why */\n");
}

static void emit_main_finish(Emitter *e) { P("  return mgrt_dist_finish(status);\n"); }

/* Batch norm in training mode needs more than one value per channel, as
   PyTorch's ("Expected more than 1 value per channel when training"): for
   [N, C] (or images of one pixel) a training batch of one row has none to
   spare.  The batches are known before training, so the program says so
   then, naming the layer's line, rather than training on NaNs. */
static void emit_batch_norm_batches_check(Emitter *e) {
  const Node *first = emit_batch_norm_of_rows(e);
  if (!first)
    return;
  P("  {  /* batch norm needs more than one row in every training batch */\n");
  P("    int64_t size = s.batch_size > 0 && s.batch_size < train.rows ? s.batch_size : train.rows;\n");
  P("    int64_t last = %s ? 0 : train.rows %% size;  /* a smaller last batch%s */\n", e->m->train.drop_last ? "1" : "0",
    e->m->train.drop_last ? ": dropped (drop_last)" : "");
  P("    if (size == 1 || last == 1) {\n");
  P("      char message[256];\n");
  const char *path = e->m->source_path ? e->m->source_path : e->m->name, *slash = strrchr(path, '/');
  P("      snprintf(message, sizeof message, \"a training batch of one row (%%\" PRId64 \" rows in batches of %%\" PRId64 \"): \"\n");
  P("               \"batch norm (%%s:%d) would have one value per channel to normalize, which PyTorch refuses too; \"\n",
    first->loc.line);
  P("               \"choose another batch_size, or drop_last = true\", train.rows, size, %s);\n",
    emit_c_string(e, slash ? slash + 1 : path));
  P("      mgrt_report_error(opt.program, message);\n      goto done;\n    }\n  }\n");
}

static void emit_main(Emitter *e) {
  Model *m = e->m;
  TrainSpec *t = &m->train;
  int ni = m->inputs.len;
  P("int main(int argc, char **argv) {\n");
  emit_main_start_processes(e);
  P("  mgrt_options opt;\n");
  P("  int parsed = mgrt_options_parse(&opt, argc, argv, \"%s\");\n", m->name);
  P("  if (parsed != 0)\n    return mgrt_dist_finish(parsed == 1 ? 0 : 2);\n");
  if (m->uses_batch_norm) {
    /* docs/mpi.md: each process would normalize its slice of the batch with
       that slice's statistics, not the batch's */
    P("  if (mgrt_dist_size() > 1) {\n");
    P("    mgrt_report_error(opt.program, \"batch norm is not supported with more than one process (its statistics are the \"\n");
    P("                                   \"whole batch's); run this program as one process\");\n");
    P("    return mgrt_dist_finish(1);\n  }\n");
  }
  P("  Settings s = {0};\n");
  P("  s.epochs = opt.epochs >= 0 ? opt.epochs : %ld;\n", t->epochs);
  P("  s.batch_size = opt.batch_size > 0 ? opt.batch_size : %ld;\n", t->batch_size);
  P("  s.log_every = opt.log_every > 0 ? opt.log_every : %ld;\n", t->log_every);
  P("  s.lr = opt.lr >= 0 ? opt.lr : %s;\n", emit_double_literal(e, t->opt.lr));
  P("  s.quiet = opt.quiet;\n");
  P("  uint64_t seed = opt.has_seed ? (uint64_t)opt.seed : (uint64_t)%ldLL;\n", m->seed);
  P("  if (opt.predict_path && !PREDICT_AVAILABLE)\n    return mgrt_dist_finish(predict(NULL, opt.predict_path, NULL, NULL, opt.program));\n");
  P("  if (mgrt_dist_rank() == 0 && check_output_files(&opt) != 0)  /* rank 0 alone writes them */\n    return mgrt_dist_finish(1);\n");
  P("  if (mgrt_stop_install() != 0) {\n    mgrt_report_error(opt.program, mgrt_last_error());\n    return mgrt_dist_finish(1);\n  }\n");
  P("  /* --predict --epochs 0: predictions only, no train or eval data is read */\n");
  P("  int predict_only = opt.predict_path && s.epochs == 0 && !opt.bench && !opt.gradcheck;\n");
  P("  /* Predictions on stdout: the log goes to stderr. */\n");
  P("  FILE *predict_stdout = NULL;\n");
  P("  if (opt.predict_path && !opt.predict_out_path && mgrt_dist_rank() == 0 && !(predict_stdout = mgrt_stdout_divert())) {\n");
  P("    mgrt_report_error(opt.program, mgrt_last_error());\n    return mgrt_dist_finish(1);\n  }\n");
  P("  int status = 1;\n");
  P("  Model model;\n  memset(&model, 0, sizeof model);\n  Model *m = &model;\n");
  P("  Dataset train;\n  memset(&train, 0, sizeof train);\n  train.what = \"train\";\n");
  if (m->train.data.kind == DATA_INLINE)
    P("  train.borrowed = 1;\n");
  if (m->eval.present)
  {
    P("  Dataset eval;\n  memset(&eval, 0, sizeof eval);\n  eval.what = \"eval\";\n");
    if (m->eval.data.kind == DATA_INLINE)
      P("  eval.borrowed = 1;\n");
  }
  P("  int64_t *order = NULL;\n");
  P("  int threads = mgrt_threads_set(opt.threads);\n");
  P("  mgrt_progress_begin(&s.progress, opt.progress);\n");
  P("  if (model_alloc_params(m) != 0) {\n    mgrt_report_error(opt.program, \"out of memory\");\n    return mgrt_dist_finish(1);\n  }\n");
  P("  model_init_params(m, seed);\n");
  P("  if (opt.load_path && model_load(m, opt.load_path) != 0) {\n");
  P("    mgrt_report_error(opt.program, mgrt_last_error());\n    goto done;\n  }\n");
  P("  if (predict_only) {\n");
  P("    if (!mgrt_dist_agree(1))\n      goto done;  /* another process failed; it said why */\n");
  P("    if (opt.save_path && mgrt_dist_rank() == 0 && model_save(m, opt.save_path) != 0) {\n");
  P("      mgrt_report_error(opt.program, mgrt_last_error());\n      goto done;\n    }\n");
  P("    status = mgrt_dist_rank() == 0 ? predict(m, opt.predict_path, opt.predict_out_path, predict_stdout, opt.program) : 0;\n    goto done;\n  }\n");
  P("  if (load_train_data(opt.data_dir, train.loaded) != 0) {\n");
  P("    mgrt_report_error(opt.program, mgrt_last_error());\n    goto done;\n  }\n");
  P("  if (dataset_prepare(&train, opt.program) != 0)\n    goto done;\n");
  if (m->eval.present) {
    P("  if (load_eval_data(opt.data_dir, eval.loaded) != 0) {\n");
    P("    mgrt_report_error(opt.program, mgrt_last_error());\n    goto done;\n  }\n");
    P("  if (dataset_prepare(&eval, opt.program) != 0)\n    goto done;\n");
  }
  P("  if (opt.history_path && mgrt_dist_rank() == 0) {  /* rank 0 alone writes it */\n");
  P("    s.history = fopen(opt.history_path, \"w\");\n");
  P("    if (!s.history) {\n");
  P("      fprintf(stderr, \"%%s: error: cannot write %%s\\n\", opt.program, opt.history_path);\n      goto done;\n    }\n");
  P("    fprintf(s.history, \"epoch,cost");
  for (int i = 0; i < t->n_metrics; i++)
    P(",%s", t->metrics[i].name);
  P("\\n\");\n  }\n");
  P("  int64_t rows = s.batch_size > 0 && s.batch_size < train.rows ? s.batch_size : train.rows;\n");
  P("  if (model_reserve(m, rows) != 0 || dataset_reserve_batches(&train, rows) != 0 ||\n");
  P("      !(order = malloc(sizeof(int64_t) * (size_t)train.rows))) {\n");
  P("    mgrt_report_error(opt.program, \"out of memory\");\n    goto done;\n  }\n");
  if (m->eval.every) {
    long chunk = m->eval.batch_size ? m->eval.batch_size : 0;
    P("  /* eval { every }: the eval data's memory before training, not during it */\n");
    P("  s.eval = &eval;\n  s.eval_every = %ld;\n  s.eval_chunk = %ld > 0 ? %ld : eval.rows;\n", m->eval.every, chunk, chunk);
    P("  if (model_reserve(m, s.eval_chunk) != 0 || dataset_reserve_batches(&eval, 1) != 0) {\n");
    P("    mgrt_report_error(opt.program, \"out of memory\");\n    goto done;\n  }\n");
  }
  emit_batch_norm_batches_check(e);
  emit_main_agree(e);
  P("  if (opt.gradcheck) {\n    status = gradcheck(m, &train, rows);\n    goto done;\n  }\n");
  P("  if (opt.bench) {\n");
  P("    if (bench(m, &train, &s, opt.epochs, threads) != 0)\n      mgrt_report_error(opt.program, \"out of memory\");\n");
  P("    else\n      status = mgrt_stop_requested() ? MGRT_STOP_STATUS : 0;\n    goto done;\n  }\n");
  P("  if (mgrt_dist_any(mgrt_stop_requested())) {  /* during data loading: nothing trained, nothing saved */\n");
  P("    if (mgrt_dist_rank() == 0)\n      fprintf(stderr, \"%%s: stopped before training\\n\", opt.program);\n");
  P("    status = MGRT_STOP_STATUS;\n    goto done;\n  }\n");
  P("  if (s.batch_size > 0 ? train_mini_batch(m, &train, &s, order) : train_full_batch(m, &train, &s)) {\n");
  P("    status = stop_training(m, &s, &opt);\n    goto done;\n  }\n");
  if (m->eval.present) {
    long chunk = m->eval.batch_size ? m->eval.batch_size : 0;
    P("  {\n    int64_t chunk = %ld > 0 ? %ld : eval.rows;\n", chunk, chunk);
    P("    if (model_reserve(m, chunk) != 0 || dataset_reserve_batches(&eval, 1) != 0) {\n");
    P("      mgrt_report_error(opt.program, \"out of memory\");\n      goto done;\n    }\n");
    P("    evaluate(m, &eval, chunk%s);\n  }\n", m->eval.every ? ", -1, s.epochs, s.quiet" : "");
  }
  P("  if (opt.save_path && mgrt_dist_rank() == 0 && model_save(m, opt.save_path) != 0) {  /* rank 0 alone saves */\n");
  P("    mgrt_report_error(opt.program, mgrt_last_error());\n    goto done;\n  }\n");
  P("  if (opt.predict_path) {\n");
  P("    status = mgrt_dist_rank() == 0 ? predict(m, opt.predict_path, opt.predict_out_path, predict_stdout, opt.program) : 0;\n    goto done;\n  }\n");
  P("  status = 0;\n");
  P("done:\n");
  P("  if (s.history && fclose(s.history) != 0 && status == 0) {\n");
  P("    fprintf(stderr, \"%%s: error: cannot write %%s\\n\", opt.program, opt.history_path);\n    status = 1;\n  }\n");
  P("  dataset_free(&train);\n");
  if (m->eval.present)
    P("  dataset_free(&eval);\n");
  P("  if (predict_stdout && fclose(predict_stdout) != 0 && status == 0) {\n");
  P("    mgrt_report_error(opt.program, \"cannot write the predictions to the standard output\");\n    status = 1;\n  }\n");
  P("  free(order);\n  free(m->param_block);\n  free(m->batch_block);\n");
  emit_main_finish(e);
  P("}\n");
  (void)ni;
}

void emit_driver(Emitter *e) {
  emit_dataset(e);
  emit_train_loop(e);
  if (e->m->eval.present)
    emit_eval(e);
  emit_gradcheck(e);
  emit_checkpoints(e);
  emit_predict(e);
  emit_safe_stop(e);
  emit_bench(e);
  emit_main(e);
}
