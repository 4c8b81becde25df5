/*
** ir_scan.h — recurrence as a loop in the IR (scan and scan_back in ops.def).
**
** A recurrent layer is not unrolled into T copies of its cell: it is one
** node whose attribute holds the cell as a small graph (its body) over ARG
** leaves, which the loop runs once per step t.  The body's ARG leaves are
** numbered as the node's operands, then the carried values:
**   arg k < n_seq        operand k, a sequence [N, T, F], read at step t as
**                        [N, F] (at step t-1 when lag[k] is set: zero before
**                        the first step)
**   arg k < n_in         operand k, the same at every step (a weight)
**   arg n_in + c         carried value c at the step's start (zero at first)
** Backpropagation through time is another scan (scan_back) built by autodiff
** from the cell's own chain rule (autodiff_scan.c), run in reverse order.
*/
#ifndef MGC_IR_SCAN_H
#define MGC_IR_SCAN_H

#include "ir.h"

enum { SCAN_MAX_CARRY = 2 };

typedef struct Scan {
  Graph *body;             /* the cell's nodes, over the ARG leaves above */
  int n_in;                /* the node's operand count */
  int n_seq;               /* operands 0 .. n_seq-1 are read one step at a time */
  signed char lag[MAX_OPERANDS];  /* sequence operand k read at t-1 */
  int n_carry;             /* carried values */
  Node *next[SCAN_MAX_CARRY];     /* each carried value after the step */
  Node *out;               /* stacked into the node's result [N, T, F] at step t */
  Node *sums[MAX_OPERANDS];       /* scan_back: by forward operand, its gradient
                                     summed over the steps (a scan_sum reads it) */
  long steps;              /* T */
  int reverse;             /* t runs from T-1 down to 0 */
  const char *cell;        /* the cell's formula, for --emit=ir and the C's comments */
} Scan;

/* A body's ARG leaf number k of shape sh, named for --emit=ir. */
Node *ir_scan_arg(Graph *body, int k, Shape sh, const char *name);
/* --emit=ir's loop attribute: "t=0..5 carry 1 {h_t = tanh(...)}" */
void ir_put_scan(Text *t, const Node *n);
/* --emit=ir's lines after a scan: the body, one node a line, then what the
   step stacks, carries and sums. */
void ir_print_scan_body(FILE *out, const Node *n);

#endif
