/*
** autodiff_scan.c — backpropagation through time as IR.
**
** A scan's gradient is another loop, scan_back, that runs the steps in
** reverse.  Its body is the cell's own chain rule: the forward body is
** copied, differentiated by the ordinary rules (ad_graph_gradients) from
** d h_t = dy_t + dh_next, where dy_t is the step's share of the result's
** gradient and dh_next the gradient carried back from step t+1.  The body
** then yields d xp_t (stacked into scan_back's result), d h_{t-1} (carried
** to step t-1) and the weights' gradients of the step (summed over the
** steps; scan_sum nodes read the sums).
**
** The states are not recomputed: the forward result holds h_t of every
** step, so the reverse body reads h_t as the scan's result at t and
** h_{t-1} as the same array at t-1 (lag), and the cell's value in the copied
** body is replaced by that leaf, as a textbook's BPTT reads its stored
** states.
*/
#include <string.h>

#include "ir_scan.h"
#include "model.h"

static Node *grad_node(Node *n) {
  n->is_grad = 1;
  return n;
}

Node *ad_scan_back(Graph *g, Node *scan, Node *gy) {
  const Scan *f = scan->attr.scan;
  MGC_ASSERT(f->n_carry == 1 && f->next[0] == f->out);
  Arena *a = g->arena;
  int n_const = f->n_in - f->n_seq;
  int seq = 3 + f->n_seq;            /* dy, the forward sequences, h_t, h_{t-1} */
  int n_in = seq + n_const;
  int at_h = 1 + f->n_seq, at_prev = 2 + f->n_seq;
  Shape hs = f->out->shape;

  /* The forward body copied over the reverse loop's leaves. */
  Graph *r = ir_graph_new(a);
  r->size_name = g->size_name;
  const Graph *fb = f->body;
  Rebuild rb = {(Graph *)fb, r, ARENA_ARRAY(a, Node *, fb->nodes.len + 1)};
  for (int i = 0; i < fb->nodes.len; i++) {
    Node *n = fb->nodes.items[i];
    if (n->op != OP_ARG) {
      rb.map[i] = ir_copy_node(&rb, n);
      continue;
    }
    int k = n->attr.index;
    int to = k < f->n_seq ? 1 + k : k < f->n_in ? seq + (k - f->n_seq) : at_prev;
    rb.map[i] = ir_scan_arg(r, to, n->shape, k == f->n_in ? "h_prev" : n->name);
  }
  Node *root = rb.map[f->out->id];
  Node *dy = ir_scan_arg(r, 0, hs, "dy_t");
  Node *dnext = ir_scan_arg(r, n_in, hs, "dh_next");
  Node *seed = grad_node(ir_binary(r, OP_ADD, dy, dnext));
  seed->name = "dh_t";
  Node **gr = ad_graph_gradients(r, root, seed);

  /* What one step yields, by the copied body's leaves. */
  Node *want_x = NULL, *want_h = NULL, *want_w[MAX_OPERANDS] = {0};
  for (int i = 0; i < fb->nodes.len; i++) {
    Node *n = fb->nodes.items[i];
    if (n->op != OP_ARG)
      continue;
    int k = n->attr.index;
    Node *d = gr[rb.map[i]->id];
    if (k == 0)
      want_x = d;
    else if (k == f->n_in)
      want_h = d;
    else if (k >= f->n_seq)
      want_w[k] = d;
  }
  MGC_ASSERT(want_x && want_h);

  /* The reverse body: what those need, with the cell's value read from the
     stored states instead of recomputed. */
  int len = r->nodes.len;
  char *live = ARENA_ARRAY(a, char, len + 1);
  live[want_x->id] = live[want_h->id] = 1;
  for (int k = 0; k < f->n_in; k++)
    if (want_w[k])
      live[want_w[k]->id] = 1;
  for (int i = len - 1; i >= 0; i--) {
    Node *n = r->nodes.items[i];
    if (live[i] && n != root)
      for (int j = 0; j < n->n_in; j++)
        live[n->in[j]->id] = 1;
  }
  Graph *body = ir_graph_new(a);
  body->size_name = g->size_name;
  Rebuild rb2 = {r, body, ARENA_ARRAY(a, Node *, len + 1)};
  for (int i = 0; i < len; i++) {
    Node *n = r->nodes.items[i];
    if (!live[i])
      continue;
    rb2.map[i] = n == root ? ir_scan_arg(body, at_h, hs, "h_t") : ir_copy_node(&rb2, n);
  }

  Scan *sc = ARENA_NEW(a, Scan);
  sc->body = body;
  sc->n_in = n_in;
  sc->n_seq = seq;
  sc->lag[at_prev] = 1;
  sc->n_carry = 1;
  sc->next[0] = rb2.map[want_h->id];
  sc->next[0]->name = "dh_prev";
  sc->out = rb2.map[want_x->id];
  for (int k = 0; k < f->n_in; k++)
    if (want_w[k])
      sc->sums[k] = rb2.map[want_w[k]->id];
  sc->steps = f->steps;
  sc->reverse = 1;
  sc->cell = arena_printf(a, "the chain rule of %s, from dh_t = dy_t + dh_next", f->cell);

  Node proto = ir_proto(OP_SCAN_BACK, DT_F32, scan->in[0]->shape, NULL);
  proto.n_in = n_in;
  proto.in[0] = gy;
  for (int k = 0; k < f->n_seq; k++)
    proto.in[1 + k] = scan->in[k];
  proto.in[at_h] = scan;
  proto.in[at_prev] = scan;
  for (int k = 0; k < n_const; k++)
    proto.in[seq + k] = scan->in[f->n_seq + k];
  proto.attr.axis = -1;
  proto.attr.scan = sc;
  proto.loc = scan->loc;
  return ir_with_attrs(g, proto);
}
