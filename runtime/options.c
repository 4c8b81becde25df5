/*
** options.c — the command line of generated training programs.
*/
#include "mgrt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out, const char *program, const char *model) {
  fprintf(out,
          "usage: %s [options]\n"
          "\n"
          "Trains the model %s as its .mg file says; options override its settings.\n"
          "\n"
          "  --epochs N        number of epochs\n"
          "  --lr X            learning rate\n"
          "  --batch-size N    rows per batch\n"
          "  --seed S          seed of the random stream (as torch.manual_seed)\n"
          "  --log-every N     log every N epochs\n"
          "  --data-dir DIR    resolve relative data paths against DIR\n"
          "  --threads N       worker threads\n"
          "  --save FILE       save the trained parameters (safetensors)\n"
          "  --load FILE       load parameters before training (safetensors)\n"
          "  --history FILE    write the logged numbers as CSV\n"
          "  --predict FILE    after training, write the model's outputs for the rows\n"
          "                    of FILE as CSV (with --epochs 0: no training at all)\n"
          "  --predict-out OUT write the predictions to OUT (atomically), not stdout\n"
          "  --quiet           print no log lines\n"
          "  --progress        show a progress bar on stderr\n"
          "  --bench           report the time per training step\n"
          "  --gradcheck       check gradients against finite differences and exit\n"
          "  --help            print this help\n",
          program, model);
}

static int usage_error(const mgrt_options *opt, const char *fmt, const char *arg) {
  fprintf(stderr, "%s: usage error: ", opt->program);
  fprintf(stderr, fmt, arg);
  fprintf(stderr, " (see %s --help)\n", opt->program);
  return 2;
}

static int parse_int(const char *s, int64_t min, int64_t *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v < min)
    return -1;
  *out = v;
  return 0;
}

int mgrt_options_parse(mgrt_options *opt, int argc, char **argv, const char *model_name) {
  memset(opt, 0, sizeof *opt);
  const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;
  opt->program = argc > 0 ? (slash ? slash + 1 : argv[0]) : model_name;
  opt->epochs = opt->batch_size = opt->seed = opt->log_every = -1;
  opt->lr = -1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout, opt->program, model_name);
      return 1;
    }
    if (strcmp(a, "--quiet") == 0) {
      opt->quiet = 1;
      continue;
    }
    if (strcmp(a, "--progress") == 0) {
      opt->progress = 1;
      continue;
    }
    if (strcmp(a, "--bench") == 0) {
      opt->bench = 1;
      continue;
    }
    if (strcmp(a, "--gradcheck") == 0) {
      opt->gradcheck = 1;
      continue;
    }
    static const char *const valued[] = {"--epochs", "--lr", "--batch-size", "--seed", "--log-every",
                                         "--data-dir", "--threads", "--save", "--load", "--history",
                                         "--predict", "--predict-out"};
    int k = -1;
    for (int j = 0; j < (int)(sizeof valued / sizeof valued[0]); j++)
      if (strcmp(a, valued[j]) == 0)
        k = j;
    if (k < 0)
      return usage_error(opt, "unknown option '%s'", a);
    if (i + 1 >= argc)
      return usage_error(opt, "%s needs a value", a);
    const char *v = argv[++i];
    int64_t n = 0;
    switch (k) {
    case 0:
      if (parse_int(v, 0, &opt->epochs))
        return usage_error(opt, "--epochs wants an integer >= 0, not '%s'", v);
      break;
    case 1: {
      char *end;
      errno = 0;
      opt->lr = strtod(v, &end);
      if (errno || end == v || *end || !(opt->lr >= 0))
        return usage_error(opt, "--lr wants a number >= 0, not '%s'", v);
      break;
    }
    case 2:
      if (parse_int(v, 1, &opt->batch_size))
        return usage_error(opt, "--batch-size wants an integer >= 1, not '%s'", v);
      break;
    case 3:
      if (parse_int(v, INT64_MIN, &opt->seed))
        return usage_error(opt, "--seed wants an integer, not '%s'", v);
      opt->has_seed = 1;
      break;
    case 4:
      if (parse_int(v, 1, &opt->log_every))
        return usage_error(opt, "--log-every wants an integer >= 1, not '%s'", v);
      break;
    case 5: opt->data_dir = v; break;
    case 6:
      if (parse_int(v, 1, &n) || n > 1024)
        return usage_error(opt, "--threads wants an integer from 1 to 1024, not '%s'", v);
      opt->threads = (int)n;
      break;
    case 7: opt->save_path = v; break;
    case 8: opt->load_path = v; break;
    case 9: opt->history_path = v; break;
    case 10: opt->predict_path = v; break;
    case 11: opt->predict_out_path = v; break;
    }
  }
  if (opt->predict_out_path && !opt->predict_path)
    return usage_error(opt, "%s needs --predict FILE", "--predict-out");
  return 0;
}
