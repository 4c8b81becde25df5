/*
** docex.c — extracts the code examples of a Markdown page for the docs tests.
**
**   docex PAGE.md OUTDIR
**
** The fence conventions (tests/README.md, "docs"):
**   ```mg            a complete program: compiled, built and run
**   ```mg-fragment   part of a program: not compiled
**   ```output        what the last ```mg program above prints ("..." skips
**                    lines); other blocks, such as the commands that run
**                    it, may stand between them
**   ```output-fragment  a piece of a log, for illustration: not compared
** HTML comments on the lines right before a fence (blank lines allowed)
** say more about it:
**   <!-- test name: NAME -->      the example's name (default: the page's line)
**   <!-- test args: ARGS... -->   options for the training program
**   <!-- test requires: PATH -->  skip the example when PATH does not exist
**   <!-- test tolerance: T -->    numbers of its output may differ by T (default
**                                 2e-6, the e2e tolerance); for long runs whose
**                                 rounding depends on the CPU's matrix kernels
**   <!-- needs: FEATURE -->       skip it until FEATURE (predict, cli, diag) is built
**
** For each ```mg block it writes OUTDIR/NAME.mg, OUTDIR/NAME.out when an
** ```output block follows it, and a line of OUTDIR/manifest.txt:
**   NAME|LINE|NEEDS|REQUIRES|TOLERANCE|ARGS
** A fence whose text looks like a .mg program but is not tagged mg or
** mg-fragment is an error (PAGE:LINE: ...), so that no example escapes the
** tests; so is an ```output block that follows no ```mg block.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_LINE = 4096, MAX_TEXT = 1 << 20, MAX_FIELD = 1024 };

typedef struct Pending {
  char name[MAX_FIELD], args[MAX_FIELD], requires_[MAX_FIELD], needs[MAX_FIELD], tolerance[MAX_FIELD];
} Pending;

static const char *page;
static int errors;

static void fail(int line, const char *msg, const char *detail) {
  fprintf(stderr, "%s:%d: %s%s\n", page, line, msg, detail ? detail : "");
  errors++;
}

/* Removes the trailing newline and blanks. */
static void chomp(char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
    s[--n] = 0;
}

/* If line is "<!-- KEY VALUE -->", copies VALUE to out and returns 1. */
static int directive(const char *line, const char *key, char *out, size_t size) {
  const char *p = line;
  while (*p == ' ')
    p++;
  if (strncmp(p, "<!--", 4) != 0)
    return 0;
  p += 4;
  while (*p == ' ')
    p++;
  size_t k = strlen(key);
  if (strncmp(p, key, k) != 0)
    return 0;
  p += k;
  while (*p == ' ')
    p++;
  const char *end = strstr(p, "-->");
  if (!end)
    return 0;
  while (end > p && end[-1] == ' ')
    end--;
  size_t n = (size_t)(end - p);
  if (n >= size)
    n = size - 1;
  memcpy(out, p, n);
  out[n] = 0;
  return 1;
}

/* Whether a block's text reads like .mg source: a train block or a
   declaration at the start of a line. */
static int looks_like_mg(const char *text) {
  static const char *const starts[] = {"train {", "input ", "param ", "layer ", "let ", "seed "};
  for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
      if (strncmp(line, starts[i], strlen(starts[i])) == 0)
        return 1;
  return 0;
}

static void write_file(const char *dir, const char *name, const char *ext, const char *text) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s%s", dir, name, ext);
  FILE *f = fopen(path, "w");
  if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
    fprintf(stderr, "docex: cannot write %s\n", path);
    exit(2);
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: docex PAGE.md OUTDIR\n");
    return 2;
  }
  page = argv[1];
  FILE *in = fopen(page, "r");
  if (!in) {
    perror(page);
    return 2;
  }
  char manifest_path[4096];
  snprintf(manifest_path, sizeof manifest_path, "%s/manifest.txt", argv[2]);
  FILE *manifest = fopen(manifest_path, "w");
  if (!manifest) {
    perror(manifest_path);
    return 2;
  }
  static char text[MAX_TEXT];
  char line[MAX_LINE], info[MAX_LINE], last_mg[MAX_FIELD] = "";
  Pending pend;
  memset(&pend, 0, sizeof pend);
  int lineno = 0, start = 0, in_fence = 0;
  size_t len = 0;
  while (fgets(line, sizeof line, in)) {
    lineno++;
    chomp(line);
    if (!in_fence) {
      if (strncmp(line, "```", 3) == 0) {
        in_fence = 1;
        start = lineno;
        snprintf(info, sizeof info, "%s", line + 3);
        len = 0;
        text[0] = 0;
        continue;
      }
      char value[MAX_FIELD];
      if (directive(line, "test name:", value, sizeof value))
        snprintf(pend.name, sizeof pend.name, "%s", value);
      else if (directive(line, "test args:", value, sizeof value))
        snprintf(pend.args, sizeof pend.args, "%s", value);
      else if (directive(line, "test requires:", value, sizeof value))
        snprintf(pend.requires_, sizeof pend.requires_, "%s", value);
      else if (directive(line, "test tolerance:", value, sizeof value))
        snprintf(pend.tolerance, sizeof pend.tolerance, "%s", value);
      else if (directive(line, "needs:", value, sizeof value))
        snprintf(pend.needs, sizeof pend.needs, "%s", value);
      else if (strncmp(line, "<!-- test", 9) == 0)
        fail(lineno, "unknown test directive: ", line);
      else if (line[0]) {
        /* prose between a directive and a fence: the directive was about the prose */
        memset(&pend, 0, sizeof pend);
      }
      continue;
    }
    if (strncmp(line, "```", 3) != 0) {
      size_t n = strlen(line);
      if (len + n + 2 >= MAX_TEXT) {
        fail(start, "code block too long", NULL);
        return 1;
      }
      memcpy(text + len, line, n);
      len += n;
      text[len++] = '\n';
      text[len] = 0;
      continue;
    }
    /* the end of a block */
    in_fence = 0;
    char *word = info;
    while (*word == ' ')
      word++;
    word[strcspn(word, " ")] = 0;
    if (strcmp(word, "mg") == 0) {
      char name[MAX_FIELD];
      if (pend.name[0])
        snprintf(name, sizeof name, "%s", pend.name);
      else
        snprintf(name, sizeof name, "line%d", start);
      for (char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
          fail(start, "an example name may hold letters, digits, '_' and '-': ", name);
      write_file(argv[2], name, ".mg", text);
      fprintf(manifest, "%s|%d|%s|%s|%s|%s\n", name, start, pend.needs, pend.requires_,
              pend.tolerance[0] ? pend.tolerance : "2e-6", pend.args);
      snprintf(last_mg, sizeof last_mg, "%s", name);
    } else if (strcmp(word, "output") == 0) {
      if (!last_mg[0])
        fail(start, "an ```output block must follow the ```mg program that prints it", NULL);
      else
        write_file(argv[2], last_mg, ".out", text);
      last_mg[0] = 0;
    } else {
      if (strcmp(word, "mg-fragment") != 0 && looks_like_mg(text))
        fail(start, "this block reads like .mg source: tag it ```mg (a complete program, which "
                    "the docs tests run) or ```mg-fragment", NULL);
      if (strncmp(word, "mg", 2) == 0 && strcmp(word, "mg-fragment") != 0)
        fail(start, "unknown fence tag: ", word);
      if (strcmp(word, "mg-fragment") == 0)
        last_mg[0] = 0; /* a shell block between a program and its output is the way to run it */
    }
    memset(&pend, 0, sizeof pend);
  }
  if (in_fence)
    fail(start, "code block not closed", NULL);
  fclose(in);
  if (fclose(manifest) != 0) {
    perror(manifest_path);
    return 2;
  }
  return errors ? 1 : 0;
}
