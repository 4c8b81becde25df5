/*
** plot.h — `mgc plot`: draws the history of a training run as an SVG.
**
** A generated training program run with `--history FILE.csv` writes the
** header `epoch,cost,METRIC...` and one line per logged epoch.  `mgc plot`
** reads that file and writes a self-contained SVG (no plotting library):
** the cost in one panel, the metrics, if any, in a second one below it.
** plot.c depends on nothing but the C library and libm, so it can be built
** and tested on its own.
*/
#ifndef MGC_PLOT_H
#define MGC_PLOT_H

/* mgc plot HISTORY.csv [-o OUT.svg] [--title TEXT]: returns the process exit
   status (0 written, 1 bad input or cannot write, 2 usage error); errors are
   printed as "mgc: error: FILE:LINE: message" (bad header, a row with the
   wrong number of fields, a non-number, no rows) or "mgc: error: FILE:
   message" (cannot open the input, cannot write the output).  The output is
   written atomically (a temporary file then rename), never half-written.
   Default output: HISTORY with its extension replaced by .svg.  "-o -"
   writes to stdout. */
int plot_main(int argc, char **argv); /* argv[0] == "plot" */

#endif
