/*
** sema_list.c — where a user finds the names a .mg file can use: mgc --list
** prints them with their parameters, and errors about unknown names end with
** a note naming the manual's section.  Each table is printed by the file
** that checks against it (sema_builtins.c, sema.c, sema_settings.c), so the
** list cannot drift from what the compiler accepts; this file only lays the
** lines out.
*/
#include "sema.h"

#include <string.h>

/* "see docs/manual.md, SECTION": the manual lists what exists.  The note
   has no location: it is about the language, not about a line. */
void sema_note_manual(const char *section) {
  Loc nowhere = {0, 0, 0, 0};
  diag_note(nowhere, "see docs/manual.md, \"%s\" (or run mgc --list)", section);
}

/* "  leaky_relu(x, slope = 0.01)          elementwise, ..." */
void sema_print_signature(FILE *out, const char *name, const ArgSpec *args,
                          const char *const *defaults, const char *what) {
  char sig[160];
  size_t len = (size_t)snprintf(sig, sizeof sig, "%s", name);
  if (args->n_names) {
    for (int i = 0; i < args->n_names && len < sizeof sig; i++) {
      const char *d = defaults ? defaults[i] : NULL;
      const char *sep = i ? ", " : "(";
      if (!d)
        len += (size_t)snprintf(sig + len, sizeof sig - len, "%s%s", sep, args->names[i]);
      else if (!d[0])
        len += (size_t)snprintf(sig + len, sizeof sig - len, "%s%s?", sep, args->names[i]);
      else
        len += (size_t)snprintf(sig + len, sizeof sig - len, "%s%s = %s", sep, args->names[i], d);
    }
    if (len < sizeof sig)
      snprintf(sig + len, sizeof sig - len, ")");
  }
  if (strlen(sig) > 40)
    fprintf(out, "  %s\n  %-40s %s\n", sig, "", what);
  else
    fprintf(out, "  %-40s %s\n", sig, what);
}

void sema_format_number(char *buf, size_t size, double v) {
  snprintf(buf, size, "%g", v);
  /* 1e-08 -> 1e-8, as one writes it */
  char *e = strchr(buf, 'e');
  if (e && (e[1] == '-' || e[1] == '+') && e[2] == '0' && e[3])
    memmove(e + 2, e + 3, strlen(e + 3) + 1);
}

void sema_print_names(FILE *out, const char *title, const char *const *names, int n) {
  fprintf(out, "  %s:", title);
  for (int i = 0; i < n; i++)
    fprintf(out, "%s %s", i ? "," : "", names[i]);
  fputc('\n', out);
}

void sema_print_list(FILE *out) {
  fprintf(out, "Built-in functions (name? is optional, with no default):\n");
  sema_list_builtins(out);
  fprintf(out, "\nLayers (layer NAME = KIND(...), then NAME(x)):\n");
  sema_list_layers(out);
  fprintf(out, "\nInitializers (param W: f32[...] = INIT, init W = INIT):\n");
  sema_list_initializers(out);
  fprintf(out, "\nOptimizers (optimizer = ... in train):\n");
  sema_list_optimizers(out);
  fprintf(out, "\nSettings:\n");
  sema_list_settings(out);
  fprintf(out, "\nSee docs/manual.md for what each one computes.\n");
}
