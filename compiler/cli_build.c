/*
** cli_build.c — `mgc run MODEL.mg [MGC OPTIONS] [-- PROGRAM OPTIONS]` and
** `mgc build MODEL.mg [-o PROGRAM] [MGC OPTIONS]`.
**
**   1. mgc compiles the .mg to C: this same executable runs again as a
**      child, `mgc [MGC OPTIONS] MODEL.mg -o WORK/program.c`, so the
**      diagnostics and the output are exactly those of the plain command;
**   2. the content key: SHA-256 of that C, the C compiler (its words, and
**      the size and time of its executable), the flags, the libraries, and
**      the bytes of libmgrt.a, mgrt.h and mgrt_math.h;
**   3. if the cache holds the key, its program is used ("cached" with -v);
**      else the C compiler builds WORK/program with the flags libmgrt was
**      built for, and WORK becomes the cache entry (build_cache.c);
**   4. run: the program replaces mgc (exec) in the caller's directory, with
**      the PROGRAM OPTIONS, so its output and exit status are the run's;
**      build: the program is copied to -o, written beside it then renamed.
**
** Hashing the generated C rather than the .mg means that anything that
** changes the program (the .mg, mgc's options, another mgc) changes the key.
*/
#define _POSIX_C_SOURCE 200809L
#include "cli_build.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "build_cache.h"
#include "runtime_find.h"
#include "sha256.h"

extern char **environ;

typedef struct BuildArgs {
  int run;                   /* mgc run, else mgc build */
  const char *model;
  const char *output;        /* mgc build -o */
  int verbose;               /* -v: the compile line, or "cached" */
  const char **mgc_options;  /* passed to the child mgc */
  int mgc_option_count;
  char **program_args;       /* after --, for mgc run */
  int program_arg_count;
} BuildArgs;

static void build_usage(FILE *out, int run) {
  if (run)
    fprintf(out, "usage: mgc run MODEL.mg [-v] [MGC OPTIONS] [-- PROGRAM OPTIONS]\n"
                 "Compiles MODEL.mg (or takes it from the cache), then runs it with PROGRAM OPTIONS.\n");
  else
    fprintf(out, "usage: mgc build MODEL.mg [-o PROGRAM] [-v] [MGC OPTIONS]\n"
                 "Compiles MODEL.mg to the executable PROGRAM (default: MODEL in this directory).\n");
  fprintf(out, "MGC OPTIONS: -O0 -O1 -O2 --dtype=f32|f64 --block-rows=N --annotate=none|full\n"
               "             -w -Werror --explain --stats --print-after=PASS (see mgc --help)\n"
               "-v: print the C compiler's command line, or that the program came from the cache.\n"
               "Cache: $MGC_CACHE_DIR, else $XDG_CACHE_HOME/mgc, else ~/.cache/mgc.  C compiler: $CC.\n");
}

/* The mgc options that shape the generated C: the rest (--emit, --header,
   --prefix, --passes, --help, --version) make no training program. */
static int passes_through(const char *a) {
  static const char *const exact[] = {"-O0", "-O1", "-O2", "-w", "-Werror", "--explain", "--stats", "--emit=c"};
  static const char *const prefixes[] = {"--dtype=", "--block-rows=", "--annotate=", "--print-after="};
  for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
    if (strcmp(a, exact[i]) == 0)
      return 1;
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (strncmp(a, prefixes[i], strlen(prefixes[i])) == 0)
      return 1;
  return 0;
}

/* Returns 0 to go on, 1 after --help, 2 on a usage error. */
static int parse_build_args(Arena *a, int argc, char **argv, BuildArgs *b) {
  const char *cmd = argv[0];
  memset(b, 0, sizeof *b);
  b->run = strcmp(cmd, "run") == 0;
  b->mgc_options = ARENA_ARRAY(a, const char *, argc);
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--") == 0) {
      if (!b->run) {
        fprintf(stderr, "mgc build: error: '--' passes options to the program in mgc run only\n");
        return 2;
      }
      b->program_args = argv + i + 1;
      b->program_arg_count = argc - i - 1;
      break;
    } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      build_usage(stdout, b->run);
      return 1;
    } else if (strcmp(arg, "-v") == 0) {
      b->verbose = 1;
    } else if (strcmp(arg, "-o") == 0) {
      if (b->run) {
        fprintf(stderr, "mgc run: error: -o is for mgc build (mgc run keeps the program in its cache)\n");
        return 2;
      }
      if (++i >= argc) {
        fprintf(stderr, "mgc build: error: -o needs a file name\n");
        return 2;
      }
      b->output = argv[i];
    } else if (arg[0] == '-' && arg[1]) {
      if (!passes_through(arg)) {
        fprintf(stderr, "mgc %s: error: unknown option '%s'%s (see mgc %s --help)\n", cmd, arg,
                b->run ? "; the program's options go after --" : "", cmd);
        return 2;
      }
      b->mgc_options[b->mgc_option_count++] = arg;
    } else if (b->model) {
      fprintf(stderr, "mgc %s: error: more than one model ('%s' and '%s')%s\n", cmd, b->model, arg,
              b->run ? "; the program's arguments go after --" : "");
      return 2;
    } else {
      b->model = arg;
    }
  }
  if (!b->model) {
    fprintf(stderr, "mgc %s: error: no model file\n", cmd);
    build_usage(stderr, b->run);
    return 2;
  }
  return 0;
}

/* The model's name for the program: lab05_logistic.mg -> lab05_logistic. */
static const char *model_stem(Arena *a, const char *model) {
  const char *base = strrchr(model, '/');
  base = base ? base + 1 : model;
  const char *dot = strrchr(base, '.');
  size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  return n ? arena_strndup(a, base, n) : "model";
}

static void print_command(const char *const *argv) {
  fprintf(stderr, "mgc: compiling:");
  for (; *argv; argv++)
    fprintf(stderr, " %s", *argv);
  fprintf(stderr, "\n");
}

/* Runs argv[0] (looked up in PATH) and waits.  Returns its exit status,
   or -1 after printing why it did not start or did not exit. */
static int spawn_wait(const char *const *argv, const char *what) {
  pid_t pid;
  int err = posix_spawnp(&pid, argv[0], NULL, NULL, (char *const *)argv, environ);
  if (err) {
    fprintf(stderr, "mgc: error: cannot run %s '%s': %s\n", what, argv[0], strerror(err));
    return -1;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      fprintf(stderr, "mgc: error: lost %s '%s': %s\n", what, argv[0], strerror(errno));
      return -1;
    }
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  fprintf(stderr, "mgc: error: %s '%s' was killed by signal %d\n", what, argv[0], WTERMSIG(status));
  return -1;
}

/* Step 1: this mgc, again, writing the C into the work directory. */
static int generate_c(Arena *a, const BuildArgs *b, const char *c_path) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    fprintf(stderr, "mgc: error: cannot find this mgc's executable (/proc/self/exe): %s\n", strerror(errno));
    return -1;
  }
  self[n] = 0;
  const char **argv = ARENA_ARRAY(a, const char *, b->mgc_option_count + 5);
  int k = 0;
  argv[k++] = self;
  for (int i = 0; i < b->mgc_option_count; i++)
    argv[k++] = b->mgc_options[i];
  argv[k++] = b->model;
  argv[k++] = "-o";
  argv[k++] = c_path;
  argv[k] = NULL;
  /* its diagnostics are already on stderr, as mgc prints them */
  return spawn_wait(argv, "mgc") == 0 ? 0 : -1;
}

/* The C compiler's executable, as the key sees it: where PATH finds it,
   its size and modification time (an upgraded compiler rebuilds). */
static void hash_compiler(Sha256 *h, const char *cc) {
  char line[PATH_MAX + 64];
  const char *path = NULL;
  char found[PATH_MAX];
  if (strchr(cc, '/'))
    path = cc;
  else {
    const char *dirs = getenv("PATH");
    while (dirs && *dirs && !path) {
      size_t len = strcspn(dirs, ":");
      snprintf(found, sizeof found, "%.*s/%s", (int)len, dirs, cc);
      if (access(found, X_OK) == 0)
        path = found;
      dirs += len + (dirs[len] == ':');
    }
  }
  struct stat st;
  if (path && stat(path, &st) == 0)
    snprintf(line, sizeof line, "cc %s %lld %lld\n", path, (long long)st.st_size, (long long)st.st_mtime);
  else
    snprintf(line, sizeof line, "cc %s ?\n", cc);
  sha256_update(h, line, strlen(line));
}

static void hash_words(Sha256 *h, const char *label, const char *const *words) {
  sha256_update(h, label, strlen(label) + 1);
  for (; *words; words++)
    sha256_update(h, *words, strlen(*words) + 1);
}

/* Step 2: the content key.  NULL after an error. */
static const char *content_key(Arena *a, const char *c_path, const char *const *cc, const MgrtInstall *rt) {
  Sha256 h;
  sha256_init(&h);
  static const char version[] = "mgc build cache 1";
  sha256_update(&h, version, sizeof version);
  const char *inputs[] = {c_path, rt->library, arena_printf(a, "%s/mgrt.h", rt->include_dir),
                          arena_printf(a, "%s/mgrt_math.h", rt->include_dir)};
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
    if (cache_hash_file(&h, inputs[i]) != 0) {
      fprintf(stderr, "mgc: error: cannot read '%s': %s\n", inputs[i], strerror(errno));
      return NULL;
    }
  hash_words(&h, "cc", cc);
  hash_compiler(&h, cc[0]);
  hash_words(&h, "cflags", runtime_cflags());
  hash_words(&h, "libs", runtime_libs());
  char hex[65];
  sha256_hex(&h, hex);
  return arena_strndup(a, hex, 32); /* 128 bits name an entry */
}

/* Step 3: cc FLAGS -I<include> program.c libmgrt.a LIBS -o program. */
static int compile_program(Arena *a, const char *const *cc, int cc_count, const MgrtInstall *rt, const char *work,
                           int verbose) {
  int n = cc_count + 8;
  for (const char *const *p = runtime_cflags(); *p; p++)
    n++;
  for (const char *const *p = runtime_libs(); *p; p++)
    n++;
  const char **argv = ARENA_ARRAY(a, const char *, n);
  int k = 0;
  for (int i = 0; i < cc_count; i++)
    argv[k++] = cc[i];
  for (const char *const *p = runtime_cflags(); *p; p++)
    argv[k++] = *p;
  argv[k++] = arena_printf(a, "-I%s", rt->include_dir);
  argv[k++] = arena_printf(a, "%s/program.c", work);
  argv[k++] = rt->library;
  for (const char *const *p = runtime_libs(); *p; p++)
    argv[k++] = *p;
  argv[k++] = "-o";
  argv[k++] = arena_printf(a, "%s/program", work);
  argv[k] = NULL;
  if (verbose)
    print_command(argv);
  int status = spawn_wait(argv, "the C compiler");
  if (status == 0)
    return 0;
  if (status > 0) {
    fprintf(stderr, "mgc: error: the C compiler failed (exit status %d) on the C generated from the model:", status);
    for (int i = 0; i < cc_count; i++)
      fprintf(stderr, " %s", cc[i]);
    fprintf(stderr, "\n(set CC to choose another compiler; mgc run -v shows the whole command)\n");
  }
  return -1;
}

/* mgc build: the cached program to -o, written beside it and renamed, so
   PROGRAM is the old file or the new one, never half of one. */
static int copy_out(Arena *a, const char *program, const char *output) {
  FILE *in = fopen(program, "rb");
  if (!in) {
    fprintf(stderr, "mgc: error: cannot read '%s': %s\n", program, strerror(errno));
    return -1;
  }
  char *tmp = arena_printf(a, "%s.tmpXXXXXX", output);
  int fd = mkstemp(tmp);
  FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
  if (!out) {
    fprintf(stderr, "mgc: error: cannot write '%s': %s\n", output, strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(tmp);
    }
    fclose(in);
    return -1;
  }
  char buf[1 << 16];
  size_t n;
  int ok = 1;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0)
    ok &= fwrite(buf, 1, n, out) == n;
  ok &= !ferror(in);
  fclose(in);
  mode_t mask = umask(0);
  umask(mask);
  ok &= fchmod(fd, 0777 & ~mask) == 0;
  ok &= fclose(out) == 0;
  if (ok && rename(tmp, output) == 0)
    return 0;
  fprintf(stderr, "mgc: error: cannot write '%s': %s\n", output, strerror(errno));
  unlink(tmp);
  return -1;
}

/* Steps 1-3: the program's path in the cache, or NULL after an error. */
static const char *cached_program(Arena *a, const BuildArgs *b) {
  MgrtInstall rt;
  if (runtime_find(a, &rt) != 0)
    return NULL;
  const char *dir = cache_dir(a);
  const char *work = dir ? cache_workdir(a, dir) : NULL;
  if (!work)
    return NULL;
  int cc_count;
  const char **cc = runtime_cc(a, &cc_count);
  const char *c_path = arena_printf(a, "%s/program.c", work);
  const char *key = NULL;
  if (generate_c(a, b, c_path) != 0 || !(key = content_key(a, c_path, cc, &rt))) {
    cache_discard(work);
    return NULL;
  }
  const char *entry = arena_printf(a, "%s/%s", dir, key);
  const char *program = arena_printf(a, "%s/program", entry);
  if (access(program, X_OK) == 0) {
    cache_discard(work);
    if (b->verbose)
      fprintf(stderr, "mgc: cached: %s\n", program);
    return program;
  }
  if (b->verbose)
    fprintf(stderr, "mgc: libmgrt: %s (found in %s)\n", rt.library, rt.found_by);
  if (compile_program(a, cc, cc_count, &rt, work, b->verbose) != 0) {
    cache_discard(work);
    return NULL;
  }
  if (!cache_publish(a, dir, work, key))
    return NULL;
  if (access(program, X_OK) != 0) {
    fprintf(stderr, "mgc: error: the cache entry '%s' has no program: delete that directory\n", entry);
    return NULL;
  }
  return program;
}

int cli_build_main(int argc, char **argv) {
  Arena *a = arena_new();
  BuildArgs b;
  int rc = parse_build_args(a, argc, argv, &b);
  if (rc) {
    arena_free(a);
    return rc == 1 ? 0 : 2;
  }
  int status = 1;
  const char *program = cached_program(a, &b);
  if (program && !b.run) {
    const char *output = b.output ? b.output : model_stem(a, b.model);
    if (copy_out(a, program, output) == 0) {
      status = 0;
      if (b.verbose)
        fprintf(stderr, "mgc: built %s\n", output);
    }
  } else if (program) {
    /* the program takes mgc's place: same process, so the caller sees its
       output, its signals and its exit status */
    char **args = ARENA_ARRAY(a, char *, b.program_arg_count + 2);
    args[0] = (char *)model_stem(a, b.model);
    for (int i = 0; i < b.program_arg_count; i++)
      args[i + 1] = b.program_args[i];
    args[b.program_arg_count + 1] = NULL;
    fflush(NULL);
    execv(program, args);
    fprintf(stderr, "mgc: error: cannot run '%s': %s\n", program, strerror(errno));
  }
  arena_free(a);
  return status;
}
