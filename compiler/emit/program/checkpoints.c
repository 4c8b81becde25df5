/*
** checkpoints.c — model_save and model_load: the parameters and buffers
** as a safetensors file, named as in the .mg (a layer's as PyTorch's
** state_dict names them: fc.weight, bn.running_mean), in float32 (a double
** program converts on the way), a counter (num_batches_tracked) in int64 as
** PyTorch writes it.  The program's --save/--load and the library's
** PREFIX_save/PREFIX_load call them.
*/
#include "emit/program/program.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

/* param_refs(m, refs[, storage]): each param as a named tensor, its data
   the param itself (float) or its float copy in storage (double). */
static void emit_param_refs(Emitter *e) {
  Model *m = e->m;
  int f64 = e->opt.f64;
  P("/* The params as named tensors, for checkpoints%s. */\n",
    f64 ? ": float32 copies in storage, which the caller converts from and to the params" : "");
  P("static void param_refs(%smgrt_tensor_ref *refs%s) {\n", f64 ? "" : "Model *m, ", f64 ? ", float **storage" : "");
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    const char *shape = "";
    for (int d = 0; d < p->shape.rank; d++)
      shape = arena_printf(e->arena, "%s%s%ld", shape, d ? ", " : "", p->shape.dims[d].n);
    const char *data = f64 ? arena_printf(e->arena, "storage[%d]", i) : arena_printf(e->arena, "m->%s", p->c_name);
    P("  refs[%d] = (mgrt_tensor_ref){.name = \"%s\", .data = %s, .rank = %d%s%s%s};\n", i, p->name, data,
      p->shape.rank, p->shape.rank ? ", .shape = {" : "", shape, p->shape.rank ? "}" : "");
  }
  P("}\n\n");
}

static const char *shape_list(Emitter *e, Shape sh) {
  const char *shape = "";
  for (int d = 0; d < sh.rank; d++)
    shape = arena_printf(e->arena, "%s%s%ld", shape, d ? ", " : "", sh.dims[d].n);
  return shape;
}

/* One tensor of a checkpoint with buffers: a param or a buffer. */
typedef struct Tensor {
  const char *name, *member;
  Shape shape;
  int i64;   /* a counter, saved as int64 */
  Loc loc;
} Tensor;

/* The model's tensors in the order of PyTorch's state_dict: by declaration,
   a layer's params then its buffers (they share the layer's location), so
   that bn.bias is followed by bn.running_mean. */
static int tensors_in_order(Emitter *e, Tensor **out) {
  Model *m = e->m;
  int n = m->params.len + m->buffers.len;
  Tensor *t = ARENA_ARRAY(e->arena, Tensor, n + 1);
  for (int i = 0; i < m->params.len; i++) {
    Param *p = m->params.items[i];
    t[i] = (Tensor){p->name, p->c_name, p->shape, 0, p->loc};
  }
  for (int i = 0; i < m->buffers.len; i++) {
    Buffer *b = m->buffers.items[i];
    t[m->params.len + i] = (Tensor){b->name, b->c_name, b->shape, b->dtype == DT_I64, b->loc};
  }
  /* insertion sort by location, stable: params before their layer's buffers */
  for (int i = 1; i < n; i++) {
    Tensor x = t[i];
    int j = i;
    while (j > 0 && (t[j - 1].loc.line > x.loc.line || (t[j - 1].loc.line == x.loc.line && t[j - 1].loc.col > x.loc.col))) {
      t[j] = t[j - 1];
      j--;
    }
    t[j] = x;
  }
  *out = t;
  return n;
}

/* tensor_refs(m, refs[, storage]): every param and buffer as a named
   tensor, a float one's data the array itself (float) or its copy in
   storage (double), a counter's its int64 array. */
static void emit_tensor_refs(Emitter *e, const Tensor *t, int n) {
  int f64 = e->opt.f64;
  P("/* The params and buffers as named tensors, in the order of PyTorch's state_dict. */\n");
  P("static void tensor_refs(Model *m, mgrt_tensor_ref *refs%s) {\n", f64 ? ", float **storage" : "");
  for (int i = 0; i < n; i++) {
    const char *data = t[i].i64 ? arena_printf(e->arena, ".data_i64 = m->%s", t[i].member)
                       : f64    ? arena_printf(e->arena, ".data = storage[%d]", i)
                                : arena_printf(e->arena, ".data = m->%s", t[i].member);
    P("  refs[%d] = (mgrt_tensor_ref){.name = \"%s\", %s, .rank = %d%s%s%s};\n", i, t[i].name, data,
      t[i].shape.rank, t[i].shape.rank ? ", .shape = {" : "", shape_list(e, t[i].shape), t[i].shape.rank ? "}" : "");
  }
  P("}\n\n");
}

/* A model with buffers names its tensors in tensor_refs (below). */
static void emit_checkpoints_with_buffers(Emitter *e);

/* model_save / model_load: the params as a safetensors file, named as in
   the .mg (fc.weight), float32.  A double program converts through float
   copies, which it allocates first (status: whether that went well). */
void emit_checkpoints(Emitter *e) {
  Model *m = e->m;
  int np = m->params.len;
  if (m->buffers.len) {
    emit_checkpoints_with_buffers(e);
    return;
  }
  if (!np) {
    P("/* The model has no params: its checkpoints hold no tensors. */\n");
    P("static int model_save(Model *m, const char *path) {\n  (void)m;\n  return mgrt_safetensors_save(path, NULL, 0);\n}\n\n");
    P("static int model_load(Model *m, const char *path) {\n  (void)m;\n  return mgrt_safetensors_load(path, NULL, 0);\n}\n\n");
    return;
  }
  emit_param_refs(e);
  P("enum { N_PARAMS = %d };\n", np);
  if (!e->opt.f64) {
    P("\n/* Saves the params atomically (write, fsync, rename). */\n");
    P("static int model_save(Model *m, const char *path) {\n");
    P("  mgrt_tensor_ref refs[N_PARAMS];\n  param_refs(m, refs);\n");
    P("  return mgrt_safetensors_save(path, refs, N_PARAMS);\n}\n\n");
    P("/* Loads the params, checking names, dtypes and shapes. */\n");
    P("static int model_load(Model *m, const char *path) {\n");
    P("  mgrt_tensor_ref refs[N_PARAMS];\n  param_refs(m, refs);\n");
    P("  return mgrt_safetensors_load(path, refs, N_PARAMS);\n}\n\n");
    return;
  }
  const char *alloc_storage = "  for (int i = 0; i < N_PARAMS; i++)\n"
                              "    if (!(storage[i] = malloc(sizeof(float) * (size_t)param_numel[i] + 1)))\n"
                              "      status = -1;\n";
  const char *free_storage = "  for (int i = 0; i < N_PARAMS; i++)\n    free(storage[i]);\n";
  P("static const int64_t param_numel[N_PARAMS] = {");
  for (int i = 0; i < np; i++)
    P("%s%ld", i ? ", " : "", shape_static_numel(((Param *)m->params.items[i])->shape));
  P("};\n\n");
  P("/* Saves the params atomically (write, fsync, rename). */\n");
  P("static int model_save(Model *m, const char *path) {\n");
  P("  mgrt_tensor_ref refs[N_PARAMS];\n  float *storage[N_PARAMS] = {0};\n  int status = 0;\n%s", alloc_storage);
  P("  param_refs(refs, storage);\n");
  for (int i = 0; i < np; i++)
    P("  for (int64_t k = 0; status == 0 && k < param_numel[%d]; k++)\n    storage[%d][k] = (float)m->%s[k];\n", i, i,
      ((Param *)m->params.items[i])->c_name);
  P("  if (status == 0)\n    status = mgrt_safetensors_save(path, refs, N_PARAMS);\n%s  return status;\n}\n\n", free_storage);
  P("/* Loads the params, checking names, dtypes and shapes. */\n");
  P("static int model_load(Model *m, const char *path) {\n");
  P("  mgrt_tensor_ref refs[N_PARAMS];\n  float *storage[N_PARAMS] = {0};\n  int status = 0;\n%s", alloc_storage);
  P("  param_refs(refs, storage);\n");
  P("  if (status == 0)\n    status = mgrt_safetensors_load(path, refs, N_PARAMS);\n");
  for (int i = 0; i < np; i++)
    P("  for (int64_t k = 0; status == 0 && k < param_numel[%d]; k++)\n    m->%s[k] = storage[%d][k];\n", i,
      ((Param *)m->params.items[i])->c_name, i);
  P("%s  return status;\n}\n\n", free_storage);
}

/* The same functions for a model with buffers (batch norm): every tensor a
   ref, params first; a double program converts the float ones through
   float copies, and the int64 counters are read and written in place. */
static void emit_checkpoints_with_buffers(Emitter *e) {
  Model *m = e->m;
  int f64 = e->opt.f64;
  Tensor *t;
  int nt = tensors_in_order(e, &t);
  emit_tensor_refs(e, t, nt);
  P("enum { N_TENSORS = %d };  /* %d params and %d buffers */\n", nt, m->params.len, m->buffers.len);
  const char *refs = f64 ? "  tensor_refs(m, refs, storage);\n" : "  tensor_refs(m, refs);\n";
  if (!f64) {
    P("\n/* Saves the params and buffers atomically (write, fsync, rename). */\n");
    P("static int model_save(Model *m, const char *path) {\n");
    P("  mgrt_tensor_ref refs[N_TENSORS];\n%s", refs);
    P("  return mgrt_safetensors_save(path, refs, N_TENSORS);\n}\n\n");
    P("/* Loads the params and buffers, checking names, dtypes and shapes. */\n");
    P("static int model_load(Model *m, const char *path) {\n");
    P("  mgrt_tensor_ref refs[N_TENSORS];\n%s", refs);
    P("  return mgrt_safetensors_load(path, refs, N_TENSORS);\n}\n\n");
    return;
  }
  /* the float tensors' members and sizes, in ref order (counters have none) */
  const char **member = ARENA_ARRAY(e->arena, const char *, nt);
  long *numel = ARENA_ARRAY(e->arena, long, nt);
  for (int i = 0; i < nt; i++) {
    member[i] = t[i].i64 ? NULL : t[i].member;
    numel[i] = t[i].i64 ? 0 : shape_static_numel(t[i].shape);
  }
  P("static const int64_t tensor_numel[N_TENSORS] = {");
  for (int i = 0; i < nt; i++)
    P("%s%ld", i ? ", " : "", numel[i]);
  P("};  /* float copies: 0 for the int64 counters */\n\n");
  const char *alloc_storage = "  for (int i = 0; i < N_TENSORS; i++)\n"
                              "    if (!(storage[i] = malloc(sizeof(float) * (size_t)tensor_numel[i] + 1)))\n"
                              "      status = -1;\n";
  const char *free_storage = "  for (int i = 0; i < N_TENSORS; i++)\n    free(storage[i]);\n";
  P("/* Saves the params and buffers atomically (write, fsync, rename). */\n");
  P("static int model_save(Model *m, const char *path) {\n");
  P("  mgrt_tensor_ref refs[N_TENSORS];\n  float *storage[N_TENSORS] = {0};\n  int status = 0;\n%s%s", alloc_storage, refs);
  for (int i = 0; i < nt; i++)
    if (member[i])
      P("  for (int64_t k = 0; status == 0 && k < tensor_numel[%d]; k++)\n    storage[%d][k] = (float)m->%s[k];\n", i, i,
        member[i]);
  P("  if (status == 0)\n    status = mgrt_safetensors_save(path, refs, N_TENSORS);\n%s  return status;\n}\n\n",
    free_storage);
  P("/* Loads the params and buffers, checking names, dtypes and shapes. */\n");
  P("static int model_load(Model *m, const char *path) {\n");
  P("  mgrt_tensor_ref refs[N_TENSORS];\n  float *storage[N_TENSORS] = {0};\n  int status = 0;\n%s%s", alloc_storage, refs);
  P("  if (status == 0)\n    status = mgrt_safetensors_load(path, refs, N_TENSORS);\n");
  for (int i = 0; i < nt; i++)
    if (member[i])
      P("  for (int64_t k = 0; status == 0 && k < tensor_numel[%d]; k++)\n    m->%s[k] = storage[%d][k];\n", i, member[i],
        i);
  P("%s  return status;\n}\n\n", free_storage);
}
