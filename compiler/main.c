/*
** main.c — the mgc driver: the command line around compile.c's pipeline
** (parse -> sema -> autodiff -> passes -> emit).  It writes its output
** atomically: to a temporary file beside the target, renamed into place
** only when everything succeeded, so a failed compile never leaves a
** half-written file behind.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "cli_build.h"
#include "compile.h"
#include "model.h"

#include "plot.h"

#include "mgc_version.h" /* MGC_VERSION_TEXT: the version and git commit */

typedef struct Options {
  const char *input;
  const char *output;
  EmitKind emit;
  int opt_level;
  int f64;
  const char *print_after;
  int explain;
  int stats;
  int annotate_none;
  const char *header;
  const char *prefix;
  long block_rows;
} Options;

/* Rows per block of the training step: -1 lets rowblock.c choose from the
   bytes a row of the step takes. */
enum { DEFAULT_BLOCK_ROWS = -1 };

static void usage(FILE *out) {
  fprintf(out,
          "usage: mgc [options] MODEL.mg\n"
          "       mgc run MODEL.mg [-v] [options] [-- PROGRAM OPTIONS]\n"
          "       mgc build MODEL.mg [-o PROGRAM] [-v] [options]\n"
          "       mgc plot HISTORY.csv [-o OUT.svg] [--title TEXT]\n"
          "\n"
          "Compiles a .mg model into a standalone C training program.  mgc run compiles\n"
          "it with the flags libmgrt was built for (cached) and runs it; mgc build\n"
          "writes the executable (docs/building.md, man mgc).\n"
          "\n"
          "options:\n"
          "  -o FILE          write the output to FILE (default: MODEL.c, or - for stdout)\n"
          "  --emit=c         a C training program (default)\n"
          "  --emit=ir        the graph IR after the passes of the -O level\n"
          "  --emit=dot       Graphviz of the forward and backward graph after the -O level\n"
          "  --emit=lib       a C library: MODEL.c and its header MODEL.h (see docs/library.md)\n"
          "  --annotate=none  drop the teaching comments from the generated C (default: full)\n"
          "  --header PATH    library mode: where the header goes (default: beside -o)\n"
          "  --prefix NAME    library mode: the API's symbol prefix (default: the file's stem)\n"
          "  --stats          print the memory the program uses (params, gradients, optimizer\n"
          "                   state, activations)\n"
          "  -O0, -O1, -O2    optimization level (default -O2)\n"
          "  --dtype=f32|f64  number type of the generated program (default f32)\n"
          "  --block-rows=N   run the training step in blocks of N rows where the model\n"
          "                   allows (default: what fits 256 KiB, 256 to 4096 rows;\n"
          "                   0: the whole batch at once)\n"
          "  --print-after=PASS  print the IR to stderr after PASS (see --passes)\n"
          "  --passes         list the passes of each -O level\n"
          "  --list           list the builtin functions, layer kinds, initializers,\n"
          "                   optimizers and settings, with their parameters\n"
          "  --explain        list every rewrite that fired, with its .mg location, and the\n"
          "                   runtime calls that stand for several kernels\n"
          "  -v               mgc run/build: print the C compiler's command line, or\n"
          "                   that the program came from the cache\n"
          "  -w               suppress warnings\n"
          "  -Werror          treat warnings as errors\n"
          "  --version        print the version\n"
          "  --help           print this help\n"
          "\n"
          "Then: cc MODEL.c $(pkg-config --cflags --libs mgrt) -o MODEL && ./MODEL --help\n"
          "  (or: cc -O3 -march=native MODEL.c -lmgrt -lm -o MODEL; or: mgc run MODEL.mg)\n");
}

static int is_identifier(const char *s) {
  if (!*s || (*s >= '0' && *s <= '9'))
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
      return 0;
  return 1;
}

/* Returns 0 to go on, 1 to exit successfully (help), 2 on a usage error. */
static int parse_args(int argc, char **argv, Options *o) {
  memset(o, 0, sizeof *o);
  o->opt_level = 2;
  o->block_rows = DEFAULT_BLOCK_ROWS;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return 1;
    } else if (strcmp(a, "--version") == 0) {
      printf("mgc %s\n", MGC_VERSION_TEXT);
      return 1;
    } else if (strcmp(a, "-o") == 0) {
      if (++i >= argc) {
        fprintf(stderr, "mgc: error: -o needs a file name\n");
        return 2;
      }
      o->output = argv[i];
    } else if (strcmp(a, "--emit=c") == 0) {
      o->emit = EMIT_C;
    } else if (strcmp(a, "--emit=ir") == 0) {
      o->emit = EMIT_IR;
    } else if (strcmp(a, "--emit=dot") == 0) {
      o->emit = EMIT_DOT;
    } else if (strcmp(a, "--emit=lib") == 0) {
      o->emit = EMIT_LIB;
    } else if (strncmp(a, "--emit=", 7) == 0) {
      fprintf(stderr, "mgc: error: unknown output kind '%s' (expected c, ir, lib or dot)\n", a + 7);
      return 2;
    } else if (strcmp(a, "--header") == 0 || strcmp(a, "--prefix") == 0) {
      if (++i >= argc) {
        fprintf(stderr, "mgc: error: %s needs a value\n", a);
        return 2;
      }
      if (a[2] == 'h')
        o->header = argv[i];
      else if (!is_identifier(argv[i])) {
        fprintf(stderr, "mgc: error: --prefix '%s' is not a C identifier\n", argv[i]);
        return 2;
      } else
        o->prefix = argv[i];
    } else if (strcmp(a, "--annotate=none") == 0 || strcmp(a, "--annotate=full") == 0) {
      o->annotate_none = a[11] == 'n';
    } else if (strncmp(a, "--annotate=", 11) == 0) {
      fprintf(stderr, "mgc: error: unknown annotation level '%s' (expected none or full)\n", a + 11);
      return 2;
    } else if (strcmp(a, "--stats") == 0) {
      o->stats = 1;
    } else if (strcmp(a, "-O0") == 0 || strcmp(a, "-O1") == 0 || strcmp(a, "-O2") == 0) {
      o->opt_level = a[2] - '0';
    } else if (strcmp(a, "--dtype=f32") == 0) {
      o->f64 = 0;
    } else if (strcmp(a, "--dtype=f64") == 0) {
      o->f64 = 1;
    } else if (strncmp(a, "--print-after=", 14) == 0) {
      o->print_after = a + 14;
      if (!compile_pass_known(o->print_after)) {
        fprintf(stderr, "mgc: error: unknown pass '%s' (see mgc --passes)\n", o->print_after);
        return 2;
      }
    } else if (strncmp(a, "--block-rows=", 13) == 0) {
      char *end;
      long v = strtol(a + 13, &end, 10);
      if (a[13] == 0 || *end || v < 0 || v > 1L << 30) {
        fprintf(stderr, "mgc: error: --block-rows needs a whole number of rows from 0 to 2^30, not '%s'\n", a + 13);
        return 2;
      }
      o->block_rows = v;
    } else if (strcmp(a, "--passes") == 0) {
      compile_print_passes(stdout);
      return 1;
    } else if (strcmp(a, "--list") == 0) {
      sema_print_list(stdout);
      return 1;
    } else if (strcmp(a, "--explain") == 0) {
      o->explain = 1;
    } else if (strcmp(a, "-w") == 0) {
      diag_set_nowarn(1);
    } else if (strcmp(a, "-Werror") == 0) {
      diag_set_werror(1);
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "mgc: error: unknown option '%s' (see mgc --help)\n", a);
      return 2;
    } else if (o->input) {
      fprintf(stderr, "mgc: error: more than one input file ('%s' and '%s')\n", o->input, a);
      return 2;
    } else {
      o->input = a;
    }
  }
  if (!o->input) {
    fprintf(stderr, "mgc: error: no input file\n");
    usage(stderr);
    return 2;
  }
  return 0;
}

/* Reads the whole file; NULL after reporting. */
static char *read_file(Arena *a, const char *path, long *length) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "mgc: error: cannot open '%s': %s\n", path, strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  size_t n;
  while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) {
      char *bigger = realloc(buf, cap *= 2);
      if (!bigger) {
        free(buf);
        buf = NULL;
      }
      buf = bigger;
    }
  }
  int failed = ferror(f) || !buf;
  fclose(f);
  if (failed) {
    fprintf(stderr, "mgc: error: cannot read '%s'\n", path);
    free(buf);
    return NULL;
  }
  char *text = arena_strndup(a, buf, len);
  free(buf);
  *length = (long)len;
  return text;
}

static const char *default_output(Arena *a, const Options *o) {
  if (o->emit == EMIT_IR || o->emit == EMIT_DOT)
    return "-";
  const char *base = strrchr(o->input, '/');
  base = base ? base + 1 : o->input;
  const char *dot = strrchr(base, '.');
  size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  return arena_printf(a, "%.*s.c", (int)n, base);
}

/* model.c -> model.h */
static const char *header_beside(Arena *a, const char *c_path) {
  size_t n = strlen(c_path);
  if (n > 2 && strcmp(c_path + n - 2, ".c") == 0)
    return arena_printf(a, "%.*s.h", (int)(n - 2), c_path);
  return arena_printf(a, "%s.h", c_path);
}

typedef struct OutFile {
  FILE *f;
  const char *path;
  char *tmp;
} OutFile;

static int output_open(OutFile *out, const char *path) {
  out->path = path;
  out->tmp = NULL;
  if (strcmp(path, "-") == 0) {
    out->f = stdout;
    return 0;
  }
  size_t n = strlen(path) + 16;
  out->tmp = malloc(n);
  if (!out->tmp)
    return -1;
  snprintf(out->tmp, n, "%s.tmpXXXXXX", path);
  int fd = mkstemp(out->tmp);
  if (fd < 0 || !(out->f = fdopen(fd, "w"))) {
    fprintf(stderr, "mgc: error: cannot write '%s': %s\n", path, strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(out->tmp);
    }
    free(out->tmp);
    out->tmp = NULL;
    return -1;
  }
  return 0;
}

/* Renames the temporary file into place if ok, else removes it. */
static int output_close(OutFile *out, int ok) {
  if (!out->tmp)
    return fflush(stdout) == 0 && ok ? 0 : -1;
  int closed = fclose(out->f) == 0;
  int status = 0;
  if (ok && closed && rename(out->tmp, out->path) == 0) {
    status = 0;
  } else {
    if (ok)
      fprintf(stderr, "mgc: error: cannot write '%s': %s\n", out->path, strerror(errno));
    unlink(out->tmp);
    status = -1;
  }
  free(out->tmp);
  return status;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "plot") == 0)
    return plot_main(argc - 1, argv + 1);
  if (argc > 1 && (strcmp(argv[1], "run") == 0 || strcmp(argv[1], "build") == 0))
    return cli_build_main(argc - 1, argv + 1);
  Options o;
  int rc = parse_args(argc, argv, &o);
  if (rc)
    return rc == 1 ? 0 : 2;
  Arena *arena = arena_new();
  int status = 1;
  Source src = {o.input, NULL, 0};
  src.text = read_file(arena, o.input, &src.length);
  if (!src.text)
    goto done;
  diag_init(&src, stderr);

  CompileOptions co = {o.emit, o.opt_level, o.f64, o.print_after, o.annotate_none, o.prefix, NULL, o.block_rows};
  Model *m = compile_model(arena, &src, &co);
  if (!m)

    goto done;
  if (o.explain)
    compile_print_explain(m, &src);
  if (o.stats)
    compile_print_stats(m, &co);

  if (o.stats && !o.output)
    goto success;
  OutFile out, header = {0};
  const char *out_path = o.output ? o.output : default_output(arena, &o);
  if (o.emit == EMIT_LIB && strcmp(out_path, "-") == 0 && !o.header) {
    fprintf(stderr, "mgc: error: --emit=lib to stdout needs --header PATH\n");
    goto done;
  }
  if (output_open(&out, out_path) != 0)
    goto done;
  int ok;
  if (o.emit == EMIT_LIB) {
    const char *header_path = o.header ? o.header : header_beside(arena, out_path);
    if (output_open(&header, header_path) != 0) {
      output_close(&out, 0);
      goto done;
    }
    const char *slash = strrchr(header_path, '/');
    co.header_name = slash ? slash + 1 : header_path;
    ok = compile_emit(m, &src, &co, out.f, header.f) == 0;
    /* Both files appear, or neither. */
    if (output_close(&header, ok) != 0)
      ok = 0;
  } else {
    ok = compile_emit(m, &src, &co, out.f, NULL) == 0;
  }
  if (output_close(&out, ok) != 0)
    goto done;
success:
  status = 0;
done:
  arena_free(arena);
  return status;
}
