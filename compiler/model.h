/*
** model.h — what sema knows about a .mg program besides its graph: inputs and
** where their data comes from, parameters and how they are initialized (in the
** order the random draws happen), and the train and eval settings.
*/
#ifndef MGC_MODEL_H
#define MGC_MODEL_H

#include "ir.h"

typedef enum {
  INIT_ZEROS, INIT_ONES, INIT_FULL, INIT_UNIFORM, INIT_NORMAL,
  INIT_XAVIER_UNIFORM, INIT_XAVIER_NORMAL, INIT_KAIMING_UNIFORM, INIT_KAIMING_NORMAL,
  INIT_LITERAL, INIT_LINEAR,   /* INIT_LINEAR: nn.Linear's (or nn.Conv2d's, drawn alike)
                                  weight and bias together */
} InitKind;

typedef struct Param {
  const char *name;      /* "W", "fc.weight" */
  const char *c_name;    /* "W", "fc_weight" */
  Shape shape;           /* constant dims only */
  Node *node;
  Node *grad;            /* d loss / d param, or NULL when the loss does not reach it */
  Loc loc;
} Param;

/* A buffer: model state that is saved and loaded with the params but not
   trained and not fed from data, as PyTorch's module buffers are (batch
   norm's running_mean, running_var and num_batches_tracked).  It starts at
   `init` (no random draw) and only the kernel that owns it changes it: the
   training step's batch_norm updates the running statistics and counts
   batches. */
typedef struct Buffer {
  const char *name;      /* "bn.running_mean", its state_dict name */
  const char *c_name;    /* "bn_running_mean" */
  DType dtype;           /* f32; i64 for num_batches_tracked */
  Shape shape;           /* constant dims only */
  double init;           /* every element's value at creation */
  Node *node;
  Loc loc;
} Buffer;

/* One initialization step, in program order (the order of random draws). */
typedef struct InitStep {
  InitKind kind;
  Param *param;          /* INIT_LINEAR: the weight */
  Param *bias;           /* INIT_LINEAR: the bias or NULL */
  double a, b;           /* FULL value; UNIFORM bounds; NORMAL mean/std; gain; kaiming a */
  const double *data;    /* INIT_LITERAL */
  Loc loc;
} InitStep;

typedef struct Input {
  const char *name;
  DType dtype;
  Shape shape;           /* dim 0 is the batch symbol, or every dim is constant */
  Node *node;
  long num_classes;      /* i64 labels: must lie in [0, num_classes); 0 when unknown */
  Loc loc;
} Input;

typedef enum { DATA_NONE, DATA_INLINE, DATA_CSV, DATA_IDX } DataKind;

/* Where one input's values come from within a data source. */
typedef struct DataColumn {
  Input *input;
  const double *values;  /* inline: row-major literal */
  long rows;             /* inline: rows in the literal */
  long start, stop;      /* csv slice */
  int has_start, has_stop, single;
  const char *path;      /* idx file */
  Loc loc;
} DataColumn;

typedef struct DataSource {
  DataKind kind;
  const char *path;      /* csv */
  char delimiter;
  long skip_header;
  double scale;          /* idx */
  int n_columns;
  DataColumn *columns;   /* one per input, in declaration order */
  Loc loc;
} DataSource;

typedef enum { OPT_SGD, OPT_ADAM } OptKind;

typedef struct Optimizer {
  OptKind kind;
  double lr, momentum, weight_decay, beta1, beta2, eps;
  int nesterov;
  Loc loc;
} Optimizer;

typedef struct Metric {
  const char *name;
  Node *node;
} Metric;

typedef struct TrainSpec {
  Node *loss;            /* the loss as the training step computes it */
  /* The loss as evaluation computes it (evaluate_batch, the library's
     evaluate), when that is another node: the training step's loss may be
     a fusion of the logits' product with the loss that evaluation, which
     needs the logits, does not use (passes/products.c).  NULL: `loss`. */
  Node *eval_loss;
  const char *loss_name;
  DataSource data;
  Optimizer opt;
  long epochs, batch_size, log_every;   /* batch_size 0: full batch */
  int shuffle, drop_last;
  int n_metrics;
  Metric *metrics;
  Loc loc;
} TrainSpec;

typedef struct EvalSpec {
  int present;
  DataSource data;
  long batch_size;
  long every;            /* also evaluate after every `every` epochs; 0: only after training */
  int n_metrics;
  Metric *metrics;
} EvalSpec;

typedef struct Output {
  const char *name;
  Node *node;
} Output;

/* A rewrite that fired, for mgc --explain. */
typedef struct RewriteNote {
  Loc loc;
  const char *what;
  Node *node;            /* what the rewrite produced, followed through rebuilds */
  int dropped;           /* a later cleanup removed it: the rewrite did not matter */
} RewriteNote;

/* The memory plan (passes/memplan.c): which buffers share storage. */
typedef struct MemPlan {
  int planned;
  int *slot;             /* per node id: storage slot, -1 for none */
  int n_slots;
} MemPlan;

typedef struct Model {
  const char *name;      /* file stem, for the generated program and prefixes */
  const char *source_path;
  Graph *graph;
  long seed;
  PtrVec inputs;         /* Input* in declaration order */
  PtrVec params;         /* Param* in declaration order */
  PtrVec buffers;        /* Buffer* in declaration order */
  PtrVec init_steps;     /* InitStep* in program order */
  int n_outputs;
  Output *outputs;
  TrainSpec train;
  EvalSpec eval;
  int uses_dropout;
  int uses_batch_norm;   /* its statistics are the batch's: not split across processes */
  PtrVec rewrites;       /* RewriteNote*, in the order they fired */
  MemPlan plan;
  struct Schedule *schedule; /* schedule.h's schedule_of: NULL until asked for,
                                and again after each rewrite of the graph */
  int opt_level;         /* mgc -O0/-O1/-O2 */
  int f64;               /* mgc --dtype=f64: the program computes in double */
  long block_rows;       /* mgc --block-rows: rows per block of the training step,
                            0: no blocks, -1: rowblock.c chooses */
} Model;

/* The loss evaluation computes: train.eval_loss, or else train.loss. */
static inline Node *model_eval_loss(const Model *m) {
  return m->train.eval_loss ? m->train.eval_loss : m->train.loss;
}

/* sema.c: checks a parsed program and builds its forward graph. */
/* f64: the program computes in double (--dtype=f64); number literals must fit
   the number type. */
Model *sema_check(Arena *a, const Program *prog, const char *path, int f64);
/* mgc --list: the builtins, layer kinds, initializers, optimizers and
   settings sema knows, with their parameters (sema_list.c). */
void sema_print_list(FILE *out);


/* model_roots.c: the nodes the program computes for their own sake, in this
   order: the loss, the evaluation's own loss (when the training step's is a
   fused one, train.eval_loss), the train metrics, the eval metrics, the outputs and the
   params' gradients (absent ones skipped: no loss, a param the loss does not
   reach).  A node can be two roots (a metric of train and eval). */
typedef enum { ROOT_LOSS, ROOT_EVAL_LOSS, ROOT_TRAIN_METRIC, ROOT_EVAL_METRIC, ROOT_OUTPUT, ROOT_GRAD } RootKind;
typedef void (*RootFn)(Node *root, RootKind kind, void *ctx);
void model_roots(const Model *m, RootFn fn, void *ctx);
/* The same roots as the places that hold them, for passes that replace
   them (pass_rebuild). */
typedef void (*RootSlotFn)(Node **slot, RootKind kind, void *ctx);
void model_root_slots(Model *m, RootSlotFn fn, void *ctx);

/* model.c: the values in one row of an input (its dims after the first). */
long model_input_width(const Input *in);

/* autodiff.c: appends the backward graph: sets every reached param's grad. */
void ad_differentiate(Model *m);
/* Reverse mode over a loop body g (autodiff_scan.c): d root = seed; returns
   each node's gradient by id (ARG leaves included), as new nodes of g. */
Node **ad_graph_gradients(Graph *g, Node *root, Node *seed);
/* The reverse loop of a scan whose result's gradient is gy. */
Node *ad_scan_back(Graph *g, Node *scan, Node *gy);

#endif
