/*
** names.c — the C names of the model's values: one struct member per
** buffer (named after the .mg value where it has a name), and the element
** type of a node's array.
*/
#include <ctype.h>
#include <string.h>

#include "emit/base/base.h"
#include "name_set.h"

static int is_c_keyword(const char *s) {
  static const char *const kw[] = {
      "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
      "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
      "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
      "union", "unsigned", "void", "volatile", "while", "_Bool", "_Complex", "_Imaginary", "N",
      "capacity", "rng", "step", "row_begin", "param_block", "batch_block", "block_scratch",
      "param_values", "param_grads", "param_exp_avg", "param_exp_avg_sq", "param_momentum"};
  for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
    if (strcmp(s, kw[i]) == 0)
      return 1;
  return 0;
}

static const char *c_ident(Emitter *e, const char *name) {
  char *s = arena_strdup(e->arena, name);
  for (char *p = s; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '_')
      *p = '_';
  return is_c_keyword(s) ? arena_printf(e->arena, "%s_", s) : s;
}

/* Gives every buffer node a unique member name.  The set holds every name
   given out, so a renamed one is checked too (t7 taken: t7_7, and if the
   program has a t7_7 of its own, t7_7_1); parameters' names, then
   buffers' names, are taken first, as the C spells them directly. */
void emit_assign_names(Emitter *e) {
  Graph *g = e->g;
  int n = g->nodes.len;
  NameSet taken;
  name_set_init(&taken, e->arena);
  name_set_add(&taken, "error"); /* the library's struct member */
  for (int i = 0; i < e->m->params.len; i++) {
    Param *p = e->m->params.items[i];
    const char *c = name_set_unique(&taken, c_ident(e, p->c_name));
    p->c_name = c;
  }
  for (int i = 0; i < e->m->buffers.len; i++) {
    Buffer *b = e->m->buffers.items[i];
    b->c_name = name_set_unique(&taken, c_ident(e, b->c_name));
  }
  e->names = ARENA_ARRAY(e->arena, const char *, n);
  for (int i = 0; i < n; i++) {
    Node *node = g->nodes.items[i];
    const char *base = NULL;
    if (node->op == OP_PARAM) {
      e->names[i] = ((Param *)e->m->params.items[node->attr.index])->c_name;
      continue;
    }
    if (node->op == OP_BUFFER) {
      e->names[i] = ((Buffer *)e->m->buffers.items[node->attr.index])->c_name;
      continue;
    }
    if (node->op == OP_LITERAL)
      base = arena_printf(e->arena, "literal%d", node->id);
    else if (node->name)
      base = c_ident(e, node->name);
    else if (node->is_grad)
      base = arena_printf(e->arena, "g%d", node->id);
    else
      base = arena_printf(e->arena, "t%d", node->id);
    if (name_set_has(&taken, base))
      base = arena_printf(e->arena, "%s_%d", base, node->id);
    e->names[i] = name_set_unique(&taken, base);
  }
  /* Struct members are reached through m; literals are file-level arrays. */
  for (int i = 0; i < n; i++) {
    Node *node = g->nodes.items[i];
    if (node->op != OP_LITERAL && node->op != OP_CONST && node->op != OP_NUMEL)
      e->names[i] = arena_printf(e->arena, "m->%s", e->names[i]);
  }
}

const char *emit_member(Emitter *e, Node *n) { return e->names[n->id] + 3; /* drop "m->" */ }

const char *emit_type_of(Emitter *e, const Node *n) { return n->dtype == DT_I64 ? "int64_t" : e->real; }
