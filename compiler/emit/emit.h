/*
** emit.h — the C emitter as the rest of the compiler calls it: a model to a
** training program or a library (--emit=c, --emit=lib), and the memory
** figures of --stats.  The emitter's layers are the folders under emit/
** (see base/base.h).
*/
#ifndef MGC_EMIT_H
#define MGC_EMIT_H

#include <stdio.h>

#include "emit/base/base.h"

/* Writes m as C to out (and, in library mode, its header to
   opt.header_out).  0, or -1 if writing failed. */
int emit_program(FILE *out, Model *m, const char *source_text, EmitOptions opt);
/* The memory the program generated from m with opt uses. */
void emit_memory_stats(Model *m, EmitOptions opt, MemStats *st);

#endif
