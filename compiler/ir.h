/*
** ir.h — the graph IR: a typed SSA graph of tensor operations.
**
** Every node has an operator (ops.def), operands, a dtype, a shape whose
** dimensions are integers or the batch size symbol, and the source span it
** came from.  Nodes are hash-consed: asking for a node that already exists
** (same operator, operands and attributes) returns the existing one, so the
** graph never holds two copies of one computation and CSE is free.
**
** Nodes are appended in creation order, which is a topological order since
** operands exist before their users.  Passes rewrite by rebuilding (see
** ir_rebuild), so a graph is never edited in place.
*/
#ifndef MGC_IR_H
#define MGC_IR_H

#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "text.h"

typedef enum {
#define OP(name, spelling, arity, flags, cexpr, fold, attrs) OP_##name,
#include "ops.def"
#undef OP
  OP_COUNT
} Op;

enum { F_ELEM = 1, F_DIFF = 2, F_REDUCE = 4, F_LEAF = 8, F_STOPGRAD = 16, F_BYPRODUCT = 32 };

/* An operator's row of ops.def. */
typedef struct OpInfo {
  const char *spelling;
  int arity;
  int flags;
  const char *cexpr;
  /* The folding rule: stores the value on constant operands x (a, b, c) and
     float attribute v and returns 1, or returns 0 (NO_FOLD). */
  int (*fold)(const double *x, double v, double *out);
  const char *attrs;  /* how --emit=ir prints the attributes */
} OpInfo;

extern const OpInfo op_info[OP_COUNT];
/* Whether some operator's C expression calls a function of this name in a
   float or double program ("log1p" and "log1pf" for log1p%f(...); exp and
   sqrt for %e and %q), so that the emitter keeps its values' names apart. */
int ir_cexpr_calls(const char *name);

enum { MAX_RANK = 6, MAX_OPERANDS = 16 };

/* A dimension: a constant size, or the batch size symbol when sym is set.
   A batch dimension may be a multiple of the batch size: the rows of a
   sequence [N, T, F] seen as a matrix [N*T, F] (linear and cross_entropy
   over every step) are the dimension N*T, sym with n = T.  n is 0 for the
   plain batch size, so that a dimension has one spelling. */
typedef struct Dim {
  int sym;     /* 1: the size symbol (its name is Graph.size_name) */
  long n;      /* the size when sym is 0; when sym is 1, the factor (0 for 1) */
} Dim;

typedef struct Shape {
  int rank;
  Dim dims[MAX_RANK];
} Shape;

typedef struct Node Node;
struct Scan;

/* The window of a convolution or a pooling: kernel, stride and padding
   (zeros added on each side), each along h then w. */
typedef struct Window {
  int kh, kw, sh, sw, ph, pw;
} Window;
/* The output size along one dimension of size `in`: (in + 2 pad - k) /
   stride + 1, as PyTorch computes it. */
static inline long window_out(long in, int k, int stride, int pad) { return (in + 2L * pad - k) / stride + 1; }

/* A node's attributes: everything besides its operator, operands, dtype and
   shape that decides the value it computes.  ir.c hashes and compares them
   as one value, the bytes of this struct (a literal's `data` by content), so
   an attribute added here takes part in hash-consing with no other change.
   Byte comparison needs the padding bytes to agree: ir_proto zeroes a whole
   node and nodes are copied with memcpy, never by assignment (which may
   leave padding unset).  Were padding ever to differ, two equal nodes would
   stay apart (a missed CSE), never two different ones merge. */
typedef struct Attrs {
  double value;        /* CONST value; POW exponent; LEAKY_RELU slope; DROPOUT_MASK p;
                          NUMEL count */
  const double *data;  /* LITERAL values, row-major */
  Node *body;          /* FUSED: the expression, over ARG leaves (in Graph.bodies,
                          hash-consed there, so the pointer is its identity) */
  long classes;        /* ONEHOT */
  int axis;            /* SUM/MEAN/ARGMAX/SOFTMAX axis, -1 for all elements */
  int keepdim;
  int index;           /* INPUT/PARAM/DROPOUT_MASK/ARG/BUFFER: which one; NUMEL: 1 when
                          the count is times the batch size */
  struct {             /* INDEX, INDEX_GRAD: one entry per dim of the indexed value */
    signed char keep[MAX_RANK];  /* 1: ':' keeps the dim; 0: it is fixed at at[k] and removed */
    long at[MAX_RANK];           /* the position, counted from 0 */
  } subscript;
  struct { double eps, momentum; } norm;  /* BATCH_NORM */
  Window window;       /* CONV2D, MAX_POOL2D, AVG_POOL2D and their gradients */
  const struct Scan *scan;  /* SCAN, SCAN_BACK: the loop and its body (ir_scan.h) */
} Attrs;

struct Node {
  int id;
  Op op;
  DType dtype;
  Shape shape;
  int n_in;
  Node *in[MAX_OPERANDS];
  Attrs attr;
  /* description, not identity */
  const char *name;    /* the .mg name of the value, if it has one */
  Loc loc;
  int is_grad;         /* built by autodiff */
  const char *note;    /* why it exists: the rewrite or chain-rule step */
  Node *hash_next;
};

typedef struct Graph {
  Arena *arena;
  PtrVec nodes;            /* Node*, topological */
  const char *size_name;   /* the batch size symbol, e.g. "N", or NULL */
  Node **table;            /* hash-consing buckets */
  int table_size;
  struct Graph *bodies;    /* where fused nodes' expressions live */
} Graph;

Graph *ir_graph_new(Arena *a);

/* Shapes */
Shape shape_scalar(void);
Shape shape_of(int rank, const Dim *dims);
int shape_equal(Shape a, Shape b);
/* NumPy broadcast of a and b; returns 0 if they do not broadcast. */
int shape_broadcast(Shape a, Shape b, Shape *out);
/* Product of the dims with the symbol taken as 1 (a factor N*T counts T):
   the elements per batch row. */
int64_t shape_static_numel(Shape s);
int shape_has_sym(Shape s);
/* "[N, 2]" */
const char *shape_str(Arena *a, const Graph *g, Shape s);
Dim dim_const(long n);
/* The batch size times factor: N for 1, N*T for T. */
Dim dim_batch(long factor);
/* A dimension's constant part: its size, or a batch dim's factor. */
long dim_factor(Dim d);

/* Node constructors: hash-consed.  Shape inference lives in the caller
   (sema checks user programs; autodiff builds well-typed nodes). */
Node *ir_node(Graph *g, Op op, DType dt, Shape shape, int n_in, Node **in, Loc loc);
Node *ir_unary(Graph *g, Op op, Node *a);          /* elementwise, same shape */
Node *ir_binary(Graph *g, Op op, Node *a, Node *b);  /* elementwise, broadcast shape */
Node *ir_const(Graph *g, double value);
Node *ir_with_attrs(Graph *g, Node proto);   /* proto's op, operands, attrs; hash-consed */
/* A template for ir_with_attrs: op on one operand x (none if x is NULL), no
   attributes yet (axis -1); the caller sets the ones the op has. */
Node ir_proto(Op op, DType dt, Shape shape, Node *x);

/* Passes rewrite by rebuilding a graph: each node of `old` is mapped, in
   topological order, to a node of the new graph. */
typedef struct Rebuild {
  Graph *from, *to;
  Node **map;  /* indexed by old id */
} Rebuild;
Node *ir_copy_node(Rebuild *r, Node *old);  /* old's op and attrs on mapped operands */

/* The byproduct of `producer` (an F_BYPRODUCT node of operator op whose
   operand 0 is producer), or NULL. */
Node *ir_byproduct(const Graph *g, const Node *producer, Op op);

/* Checks every node's operands, dtypes and shapes; aborts on a bug. */
void ir_verify(const Graph *g);
/* Prints one node per line in a stable form (see docs/ir.md). */
struct Model;
void ir_print(FILE *out, const struct Model *m);
void ir_print_node(FILE *out, const Graph *g, const Node *n);

/* The pieces of a printed node, shared by ir_print.c and emit_dot.c.
   IR_LINE: as --emit=ir writes them after the operands (" ** 2",
   " dim=1 keepdim", " {sigmoid(%4)}"); IR_BODY: inside a fused body
   ("[2]"); IR_LABEL: a Graphviz label's, which shows names, bodies and
   counts elsewhere: the attributes alone. */
typedef enum { IR_LINE, IR_BODY, IR_LABEL } IrForm;
void ir_put_attrs(Text *t, const Graph *g, const Node *n, IrForm form);
/* How a fused body refers to the fused node's operand. */
typedef void (*IrRefFn)(Text *t, const Node *operand, const void *ctx);
/* A fused node's expression: sigmoid(add(%4, %3)) with ref printing %4, %3. */
void ir_put_body(Text *t, const Node *fused, IrRefFn ref, const void *ctx);
/* An element count (NUMEL): "N", "N*10", "784". */
void ir_put_count(Text *t, const Graph *g, const Node *n);

#endif
