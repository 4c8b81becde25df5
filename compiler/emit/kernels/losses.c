/*
** losses.c — the loss kernels: binary cross-entropy (as written and
** fused with sigmoid), softmax cross-entropy (also over its logits'
** product: matmul_softmax_cross_entropy) and nll_loss.  A fused loss also
** writes its byproducts, the sigmoid or softmax (and the logits' gradient)
** that the backward pass reads: nodes of their own in the IR
** (passes/byproducts.c, passes/products.c) that no kernel of theirs writes.
*/
#include "emit/kernels/kernels.h"
#include "schedule.h"

#define P(...) emit_out(e, __VA_ARGS__)

/* binary_cross_entropy as PyTorch 1.13 computes each element:
   (y - 1) * max(log(1 - p), -100) - y * max(log(p), -100), then the mean. */
void emit_bce(Emitter *e, Node *n) {
  const char *f = e->opt.f64 ? "" : "f", *R = e->real;
  const char *p = e->names[n->in[0]->id], *y = e->names[n->in[1]->id], *count = emit_numel(e, n->in[0]->shape);
  P("  double acc = 0;\n");
  P("  for (int64_t i = 0; i < %s; i++) {\n", count);
  P("    %s log_p = fmax%s(log%s(%s[i]), -100);\n", R, f, f, p);
  P("    %s log_1mp = fmax%s(log%s(1 - %s[i]), -100);\n", R, f, f, p);
  P("    acc += (%s[i] - 1) * log_1mp - %s[i] * log_p;\n", y, y);
  P("  }\n");
  emit_sum_store(e, e->names[n->id], "0", "acc", emit_count(e, n->in[0]->shape), 2);
}

Node *emit_byproduct(Emitter *e, Node *n, int train) {
  if (n->op != OP_SOFTMAX_CE && n->op != OP_BCE_LOGITS)
    return NULL;
  Node *b = ir_byproduct(e->g, n, n->op == OP_SOFTMAX_CE ? OP_LOSS_SOFTMAX : OP_LOSS_SIGMOID);
  if (!b || !e->is_buffer[b->id])
    return NULL;
  /* The kernel writes its byproduct in the phases that read it: the
     training step, and the library's evaluate when train's metrics read it
     (passes/byproducts.c); evaluation computes the same loss without it. */
  return (e->phase ? e->phase[b->id] : train) ? b : NULL;
}

/* binary_cross_entropy_with_logits, stable for any z:
     loss = max(z, 0) - z y + log1p(exp(-|z|))
   which is PyTorch's (1 - y) z + m + log(exp(-m) + exp(-z - m)), m = max(-z, 0),
   rearranged.  With a byproduct, the same exp(-|z|) gives sigmoid(z).

   The mean runs in SUM_LANES partial sums (emit_lane_sum). */

typedef struct {
  Node *loss, *sig; /* the bce_with_logits node and its byproduct (or NULL) */
} BceLogits;

/* One element's loss term at flat index i; on the way, sigmoid(z) for the
   byproduct. */
static const char *bce_logits_element(Emitter *e, void *ctx, int rank, int indent) {
  const BceLogits *b = ctx;
  const char *f = e->opt.f64 ? "" : "f", *R = e->real;
  const char *z = e->names[b->loss->in[0]->id], *y = e->names[b->loss->in[1]->id];
  const char *log1p_fn = e->opt.f64 ? "log1p" : "mgrt_log1pf_unit";
  (void)rank;
  P("%*s%s zi = %s[i], e = %s(-fabs%s(zi));  /* e = exp(-|z|) */\n", indent, "", R, z, emit_exp_fn(e), f);
  P("%*s%s term = (zi > 0 ? zi : 0) - zi * %s[i] + %s(e);\n", indent, "", R, y, log1p_fn);
  if (b->sig) {
    /* both sides computed, then chosen: a select, not a branch */
    P("%*s%s q = 1 / (1 + e), eq = e * q;\n", indent, "", R);
    P("%*s%s[i] = zi >= 0 ? q : eq;  /* %s = sigmoid(z), for backward */\n", indent, "", e->names[b->sig->id],
      b->sig->name ? b->sig->name : "sigmoid");
  }
  return "term";
}

void emit_bce_logits(Emitter *e, Node *n, int train) {
  BceLogits b = {n, emit_byproduct(e, n, train)};
  emit_lane_sum(e, e->names[n->id], n->in[0]->shape, 1, bce_logits_element, &b);
}

/* cross_entropy(z, labels) = mean over rows of -log_softmax(z)[label]: per
   row, the max, exp(z - max) once per logit, and log of the sum once per row.
   nll_loss(logp, labels) = mean over rows of -logp[label].

   With a byproduct (the training step, where backward reads softmax(z)),
   the work is split in passes so that the exps and the logs, most of it, run
   in loops over many rows, which vectorize however few classes there are:
   the shifted logits z - max go into the softmax array (and the label's
   into `picked`), then everything is exponentiated in place, then each row
   is normalized and its sum kept, then the rows' losses log(sum) - picked
   are added up in SUM_LANES partial sums (as emit_lane_sum does).  The
   passes go over blocks of CLASS_LOSS_BLOCK rows, so each pass finds the
   block in cache. */
enum { CLASS_LOSS_BLOCK = 256 };

static const char *log_fn(Emitter *e) { return e->opt.f64 ? "log" : "mgrt_logf"; }

void emit_class_loss(Emitter *e, Node *n, int train) {
  const char *R = e->real, *ex = emit_exp_fn(e), *lg = log_fn(e);
  const char *z = e->names[n->in[0]->id], *y = e->names[n->in[1]->id];
  const char *rows = emit_dim(e, n->in[0]->shape.dims[0]);
  long C = n->in[0]->shape.dims[1].n;
  Node *sm = emit_byproduct(e, n, train);
  if (n->op != OP_NLL && sm) {
    const char *p = e->names[sm->id];
    P("  %s picked[%d], row_sums[%d];  /* per row of a block: (z - max)[label], the sum of exps */\n", R,
      CLASS_LOSS_BLOCK, CLASS_LOSS_BLOCK);
    P("  double lanes[%d] = {0}, acc = 0;\n", SUM_LANES);
    P("  for (int64_t b0 = 0; b0 < %s; b0 += %d) {  /* blocks of rows that stay in cache */\n", rows,
      CLASS_LOSS_BLOCK);
    P("    const int64_t b1 = b0 + %d < %s ? b0 + %d : %s;\n", CLASS_LOSS_BLOCK, rows, CLASS_LOSS_BLOCK, rows);
    P("    for (int64_t r = b0; r < b1; r++) {  /* %s = z - max(z) */\n", sm->name ? sm->name : "softmax");
    P("      const %s *row = %s + r * %ld;\n", R, z, C);
    P("      %s *shifted = %s + r * %ld;\n", R, p, C);
    P("      %s max = row[0];\n", R);
    P("      for (int64_t c = 1; c < %ld; c++)\n        if (row[c] > max)\n          max = row[c];\n", C);
    P("      for (int64_t c = 0; c < %ld; c++)\n        shifted[c] = row[c] - max;\n", C);
    P("      picked[r - b0] = shifted[%s[r]];\n", y);
    P("    }\n");
    P("    for (int64_t i = b0 * %ld; i < b1 * %ld; i++)  /* exp(z - max) */\n", C, C);
    P("      %s[i] = %s(%s[i]);\n", p, ex, p);
    P("    for (int64_t r = b0; r < b1; r++) {  /* / sum */\n");
    P("      %s *prob = %s + r * %ld;\n", R, p, C);
    P("      %s sum = 0;\n", R);
    P("      for (int64_t c = 0; c < %ld; c++)\n        sum += prob[c];\n", C);
    P("      %s scale = 1 / sum;\n", R);
    P("      for (int64_t c = 0; c < %ld; c++)\n        prob[c] *= scale;\n", C);
    P("      row_sums[r - b0] = sum;\n");
    P("    }\n");
    P("    int64_t i = 0;  /* the rows' losses, log(sum) - (z - max)[label] */\n");
    P("    for (; i + %d <= b1 - b0; i += %d)\n", SUM_LANES, SUM_LANES);
    P("      for (int l = 0; l < %d; l++)\n", SUM_LANES);
    P("        lanes[l] += (double)%s(row_sums[i + l]) - (double)picked[i + l];\n", lg);
    P("    for (; i < b1 - b0; i++)\n");
    P("      acc += (double)%s(row_sums[i]) - (double)picked[i];\n", lg);
    P("  }\n");
    emit_fold_lanes(e);
    emit_sum_store(e, e->names[n->id], "0", "acc", emit_dim_count(e, n->in[0]->shape.dims[0]), 2);
    return;
  }
  P("  double acc = 0;\n");
  P("  for (int64_t r = 0; r < %s; r++) {\n", rows);
  P("    const %s *row = %s + r * %ld;\n", R, z, C);
  if (n->op == OP_NLL) {
    P("    acc -= row[%s[r]];\n", y);
  } else {
    P("    %s max = row[0];\n", R);
    P("    for (int64_t c = 1; c < %ld; c++)\n      if (row[c] > max)\n        max = row[c];\n", C);
    P("    %s sum = 0;\n", R);
    P("    for (int64_t c = 0; c < %ld; c++)\n      sum += %s(row[c] - max);\n", C, ex);
    P("    acc -= row[%s[r]] - max - %s(sum);\n", y, lg);
  }
  P("  }\n");
  emit_sum_store(e, e->names[n->id], "0", "acc", emit_dim_count(e, n->in[0]->shape.dims[0]), 2);
}

/* matmul_softmax_cross_entropy(x, W, [b,] labels): the training step's
   cross_entropy(x @ W + b, labels) when nothing else there reads the logits
   (passes/products.c): libmgrt computes the product sixteen rows at a time,
   holds the logits class by class in vector registers, and runs the softmax
   and the losses across those rows (runtime/softmax_ce.c); it writes the
   byproducts the IR has: the logits' gradient (softmax - onehot) / N
   (loss_logits_grad) and the softmax (loss_softmax).  Its values are the
   separate kernels' values, bit for bit. */
void emit_product_class_loss(Emitter *e, Node *n) {
  Node *bias = n->n_in == 4 ? n->in[2] : NULL, *labels_node = n->in[n->n_in - 1];
  Node *sm = ir_byproduct(e->g, n, OP_LOSS_SOFTMAX), *grad = ir_byproduct(e->g, n, OP_LOSS_LOGITS_GRAD);
  ProductCall c = emit_product_call(e, n);
  const char *labels = emit_rows_from(e, labels_node, e->names[labels_node->id]);
  const char *probs = sm && e->is_buffer[sm->id] ? e->names[sm->id] : NULL;
  const char *grad_name = grad ? e->names[grad->id] : NULL;
  const char *where = n->loc.line > 0 ? arena_printf(e->arena, " (line %d: %s)", n->loc.line,
                                                      emit_source_line(e, n->loc))
                                      : "";
  P("  /* one libmgrt call: the logits' product%s,\n", where);
  if (probs)
    P("     %s = their softmax%s,\n", emit_member(e, sm), grad ? "" : ", which the backward pass reads");
  if (grad)
    P("     %s = d %s/d logits = (softmax - onehot(%s)) / N, for the backward pass,\n", emit_member(e, grad),
      n->name ? n->name : "loss", labels_node->name ? labels_node->name : "labels");
  P("     and the rows' losses; the logits themselves are never stored */\n");
  static const char *const params[] = {"probs", "grad", "grad_divisor", "a", "b", "bias", "bias_step",
                                       "labels", "m", "k", "n"};
  const char *args[] = {probs ? probs : "NULL",
                        grad ? grad_name : "NULL",
                        grad ? emit_scalar(e, grad->in[1]) : "1",
                        c.a,
                        c.b,
                        bias ? e->names[bias->id] : "NULL",
                        bias && shape_static_numel(bias->shape) != 1 ? "1" : "0",
                        labels,
                        c.M,
                        c.K,
                        c.N};
  P("  const double acc = %s",
    emit_call(e, 2, arena_printf(e->arena, "mgrt_matmul_%s_softmax_ce", c.kind), 11, params, args, ";"));
  emit_sum_store(e, e->names[n->id], "0", "acc", emit_dim_count(e, n->in[0]->shape.dims[0]), 2);
}
