/*
** emit_dot.c — mgc --emit=dot: the forward and backward graph as one
** Graphviz digraph (docs/dot.md).
**
** It draws what ir_print prints: every node that the loss, the metrics, the
** outputs or the param gradients read, in id order, labelled with the same
** %ids as mgc --emit=ir at the same -O level.  The output depends only on the
** graph (no pointers, no hash order), so it is byte-for-byte reproducible.
**
**   n6 [class="op-sigmoid output", label="hypothesis\n%6 = sigmoid\nf32[N, 1]\noutput", ...];
**
** Every node statement is one line whose class attribute starts with
** "op-" and the operator's spelling: a stable handle for tests (count the
** softmax_cross_entropy nodes) and, in the SVG, for stylesheets.
*/
#include <string.h>

#include "emit_dot.h"
#include "text.h"

/* Writes s as a DOT quoted string.  Backslashes are doubled so that label
   escapes (\N, \G, \l) never fire on a name; '\n' becomes DOT's centred
   line break; other control characters, which no label needs, become
   spaces. */
static void put_quoted(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      fputc('\\', out);
      fputc(c, out);
    } else if (c == '\n') {
      fputs("\\n", out);
    } else if (c < 0x20 || c == 0x7f) {
      fputc(' ', out);
    } else {
      fputc(c, out);
    }
  }
  fputc('"', out);
}

/* ---- what each node is ---------------------------------------------------- */

typedef struct Dot {
  FILE *out;
  const Model *m;
  const Graph *g;
  Arena *arena;
  char *live;            /* per id: drawn */
  char *backward;        /* per id: in the backward cluster */
  Text *roles;           /* per id: "loss", "metric", "output", space-separated */
  const Param **grad_of; /* per id: the param whose gradient this node is */
} Dot;

static void add_role(Dot *d, const Node *n, const char *role) {
  Text *t = &d->roles[n->id];
  if (t->len && strstr(text_str(t), role))
    return; /* a metric of both train and eval is marked once */
  text_printf(t, "%s%s", t->len ? " " : "", role);
}

/* The roots are ir_print's: the loss, the metrics, the outputs and the
   param gradients; everything they read is live. */
/* A root's role in the picture (model_roots.c lists the roots); gradients
   have none, they are named by their param (grad_of). */
static void add_root(Node *root, RootKind kind, void *ctx) {
  Dot *d = ctx;
  static const char *const role[] = {
      [ROOT_LOSS] = "loss",         [ROOT_EVAL_LOSS] = "eval loss", [ROOT_TRAIN_METRIC] = "metric",
      [ROOT_EVAL_METRIC] = "metric", [ROOT_OUTPUT] = "output",      [ROOT_GRAD] = NULL,
  };
  if (role[kind])
    add_role(d, root, role[kind]);
  d->live[root->id] = 1;
}

static void mark_roles_and_live(Dot *d) {
  const Model *m = d->m;
  model_roots(m, add_root, d);
  for (int i = 0; i < m->params.len; i++) {
    const Param *p = m->params.items[i];
    if (p->grad)
      d->grad_of[p->grad->id] = p;
  }
  for (int i = d->g->nodes.len - 1; i >= 0; i--) {
    const Node *n = d->g->nodes.items[i];
    if (d->live[i])
      for (int k = 0; k < n->n_in; k++)
        d->live[n->in[k]->id] = 1;
  }
}

static int is_constant(const Node *n) {
  return n->op == OP_CONST || n->op == OP_NUMEL || n->op == OP_LITERAL;
}

/* Autodiff marks what it built with is_grad, but constants are hash-consed:
   the 1 that seeds the backward pass may be one autodiff created without the
   mark, or one the forward graph also reads.  A constant goes where its
   readers are: backward when only backward nodes read it. */
static void mark_backward(Dot *d) {
  int len = d->g->nodes.len;
  char *forward_reads = ARENA_ARRAY(d->arena, char, len + 1);
  for (int i = 0; i < len; i++) {
    const Node *n = d->g->nodes.items[i];
    if (d->live[i] && !n->is_grad)
      for (int k = 0; k < n->n_in; k++)
        forward_reads[n->in[k]->id] = 1;
  }
  for (int i = 0; i < len; i++) {
    const Node *n = d->g->nodes.items[i];
    d->backward[i] = n->is_grad || (is_constant(n) && !forward_reads[i] && !d->roles[i].len);
  }
}

/* ---- labels --------------------------------------------------------------- */

static const char *loss_name(const Dot *d) {
  return d->m->train.loss_name ? d->m->train.loss_name : "loss";
}

/* How a fused body refers to one of its operands: by its .mg name when it
   has one, by value when it is a constant, else by the %id its own label
   shows. */
static void put_ref(Text *t, const Node *n, const void *ctx) {
  const Dot *d = ctx;
  if (n->op == OP_CONST)
    text_printf(t, "%.9g", n->attr.value);
  else if (n->op == OP_NUMEL)
    ir_put_count(t, d->g, n);
  else if (n->name)
    text_printf(t, "%s", n->name);
  else
    text_printf(t, "%%%d", n->id);
}

/* The first line: what the value is called.  Gradients read as derivatives
   ("d cost/d W"), since "grad_W" only says that it is one. */
static void put_title(Text *t, const Dot *d, const Node *n) {
  const Param *p = d->grad_of[n->id];
  if (p)
    text_printf(t, "d %s/d %s\n", loss_name(d), p->name);
  else if (n->name && d->backward[n->id] && strncmp(n->name, "grad_", 5) == 0)
    text_printf(t, "d %s/d %s\n", loss_name(d), n->name + 5);
  else if (n->name)
    text_printf(t, "%s\n", n->name);
}

/* The operator line.  Fused losses name the two operations they replace, so
   -O0 and -O2 pictures of one model can be told apart at a glance. */
static void put_operator(Text *t, const Dot *d, const Node *n) {
  switch (n->op) {
  case OP_CONST: text_printf(t, "%.9g", n->attr.value); return;
  case OP_NUMEL: text_printf(t, "numel "); ir_put_count(t, d->g, n); return;
  default: break;
  }
  text_printf(t, "%%%d = %s", n->id, op_info[n->op].spelling);
  if (n->op == OP_FUSED) {
    text_printf(t, ": ");
    ir_put_body(t, n, put_ref, d);
  } else if (n->op == OP_BCE_LOGITS) {
    text_printf(t, ": sigmoid + binary cross-entropy");
  } else if (n->op == OP_SOFTMAX_CE) {
    text_printf(t, ": softmax + cross-entropy");
  } else if (n->op == OP_MATMUL_BIAS) {
    text_printf(t, ": product + bias");
  } else if (n->op == OP_MATMUL_SOFTMAX_CE) {
    text_printf(t, ": product + softmax + cross-entropy");
  } else if (op_info[n->op].flags & F_BYPRODUCT) {
    text_printf(t, ": written by the loss");
  }
  ir_put_attrs(t, d->g, n, IR_LABEL); /* "** 2", "dim=1" */
}

/* Up to four lines: title, operator, type and shape, roles (docs/dot.md).
   Constants are one short line: they are many, and their value says it all. */
static const char *label_of(Dot *d, const Node *n) {
  Text t = {d->arena, NULL, 0, 0};
  put_title(&t, d, n);
  put_operator(&t, d, n);
  if (n->op != OP_CONST && n->op != OP_NUMEL)
    text_printf(&t, "\n%s%s", n->dtype == DT_I64 ? "i64" : "f32", shape_str(d->arena, d->g, n->shape));
  if (d->roles[n->id].len)
    text_printf(&t, "\n%s", text_str(&d->roles[n->id]));
  return text_str(&t);
}

/* The SVG class: "op-SPELLING", then what the node is for. */
static const char *class_of(Dot *d, const Node *n) {
  Text t = {d->arena, NULL, 0, 0};
  text_printf(&t, "op-%s", op_info[n->op].spelling);
  if (d->backward[n->id])
    text_printf(&t, " grad");
  if (d->grad_of[n->id])
    text_printf(&t, " param-grad");
  if (d->roles[n->id].len)
    text_printf(&t, " %s", text_str(&d->roles[n->id]));
  return text_str(&t);
}

/* Hovering a node in the SVG shows its .mg line and, for gradients, the
   chain-rule step that made it. */
static const char *tooltip_of(Dot *d, const Node *n) {
  Text t = {d->arena, NULL, 0, 0};
  if (n->loc.line > 0)
    text_printf(&t, "line %d", n->loc.line);
  if (n->note)
    text_printf(&t, "%s%s", t.len ? ": " : "", n->note);
  return t.len ? text_str(&t) : NULL;
}

/* ---- drawing ---------------------------------------------------------------- */

enum { FWD_FILL, GRAD_FILL, GRAD_LINE };
static const char *const colours[] = {"#e2f0d9", "#fbe5e4", "#c0504d"};

/* Shape and colour: data is blue, params yellow, constants plain text,
   fused nodes, fused losses and fused products are boxes, a loss's
   byproducts dotted, and everything backward is red. */
static const char *style_of(Dot *d, const Node *n) {
  Text t = {d->arena, NULL, 0, 0};
  int back = d->backward[n->id];
  if (n->op == OP_INPUT)
    text_printf(&t, "shape=box, style=filled, fillcolor=\"#dbe9f6\"");
  else if (n->op == OP_PARAM)
    text_printf(&t, "shape=box, style=\"filled,bold\", fillcolor=\"#fff2cc\"");
  else if (is_constant(n))
    text_printf(&t, "shape=plaintext, fontsize=10");
  else if (d->grad_of[n->id])
    text_printf(&t, "shape=box, style=\"filled,bold\", fillcolor=\"#f4cccc\", penwidth=2");
  else if (n->op == OP_FUSED)
    text_printf(&t, "shape=box, style=\"filled,rounded,dashed\", fillcolor=\"%s\"",
                colours[back ? GRAD_FILL : FWD_FILL]);
  else if (n->op == OP_BCE_LOGITS || n->op == OP_SOFTMAX_CE || n->op == OP_MATMUL_BIAS ||
           n->op == OP_MATMUL_SOFTMAX_CE)
    text_printf(&t, "shape=box, style=\"filled,rounded\", fillcolor=\"%s\"", colours[FWD_FILL]);
  else if (op_info[n->op].flags & F_BYPRODUCT) /* no code of its own: its loss writes it */
    text_printf(&t, "shape=ellipse, style=\"filled,dotted\", fillcolor=\"%s\"", colours[back ? GRAD_FILL : FWD_FILL]);
  else
    text_printf(&t, "shape=ellipse, style=filled, fillcolor=\"%s\"", back ? colours[GRAD_FILL] : "white");
  if (back)
    text_printf(&t, ", color=\"%s\", fontcolor=\"%s\"", colours[GRAD_LINE], colours[GRAD_LINE]);
  if (d->roles[n->id].len)
    text_printf(&t, ", peripheries=2");
  return text_str(&t);
}

static void put_node(Dot *d, const Node *n) {
  fprintf(d->out, "    n%d [class=", n->id);
  put_quoted(d->out, class_of(d, n));
  fputs(", label=", d->out);
  put_quoted(d->out, label_of(d, n));
  const char *tip = tooltip_of(d, n);
  if (tip) {
    fputs(", tooltip=", d->out);
    put_quoted(d->out, tip);
  }
  fprintf(d->out, ", %s];\n", style_of(d, n));
}

/* One cluster: the live nodes on one side of the chain rule. */
static void put_cluster(Dot *d, const char *name, int backward) {
  int any = 0;
  for (int i = 0; i < d->g->nodes.len; i++)
    any |= d->live[i] && d->backward[i] == backward;
  if (!any)
    return;
  fprintf(d->out, "  subgraph cluster_%s {\n", name);
  fprintf(d->out, "    label=\"%s\";\n    style=rounded;\n    color=\"%s\";\n", name,
          backward ? colours[GRAD_LINE] : "#7f7f7f");
  for (int i = 0; i < d->g->nodes.len; i++)
    if (d->live[i] && d->backward[i] == backward)
      put_node(d, d->g->nodes.items[i]);
  fputs("  }\n", d->out);
}

/* Operand to user.  Edges into the backward pass are red, like its nodes. */
static void put_edges(Dot *d) {
  for (int i = 0; i < d->g->nodes.len; i++) {
    const Node *n = d->g->nodes.items[i];
    if (!d->live[i])
      continue;
    for (int k = 0; k < n->n_in; k++) {
      fprintf(d->out, "  n%d -> n%d", n->in[k]->id, n->id);
      if (d->backward[i])
        fprintf(d->out, " [color=\"%s\"]", colours[GRAD_LINE]);
      fputs(";\n", d->out);
    }
  }
}

int emit_dot(FILE *out, const Model *m) {
  const Graph *g = m->graph;
  int len = g->nodes.len;
  Dot d = {out, m, g, g->arena, NULL, NULL, NULL, NULL};
  d.live = ARENA_ARRAY(d.arena, char, len + 1);
  d.backward = ARENA_ARRAY(d.arena, char, len + 1);
  d.roles = ARENA_ARRAY(d.arena, Text, len + 1);
  d.grad_of = ARENA_ARRAY(d.arena, const Param *, len + 1);
  for (int i = 0; i < len; i++)
    d.roles[i].arena = d.arena;
  mark_roles_and_live(&d);
  mark_backward(&d);

  fputs("digraph ", out);
  put_quoted(out, m->name);
  fputs(" {\n  label=", out);
  put_quoted(out, m->name);
  fputs(";\n  labelloc=t;\n  fontsize=16;\n  node [fontsize=11];\n  edge [arrowsize=0.7];\n", out);
  put_cluster(&d, "forward", 0);
  put_cluster(&d, "backward", 1);
  put_edges(&d);
  fputs("}\n", out);
  return ferror(out) ? -1 : 0;
}
