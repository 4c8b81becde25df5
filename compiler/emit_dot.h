/*
** emit_dot.h — mgc --emit=dot: the graph a model computes, as Graphviz.
**
** The picture is of the graph after the passes of the chosen -O level, so
** comparing -O0 with -O2 shows what the optimizer did:
**
**   mgc --emit=dot -O2 examples/lab05_logistic.mg | dot -Tsvg > lab05.svg
**
** docs/dot.md describes what each shape and colour means.
*/
#ifndef MGC_EMIT_DOT_H
#define MGC_EMIT_DOT_H

#include <stdio.h>

#include "model.h"

/* Writes the forward and backward graph of m as one DOT digraph.
   Returns 0 on success, -1 when writing failed. */
int emit_dot(FILE *out, const Model *m);

#endif
