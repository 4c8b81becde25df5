/*
** checkpoints.c — model_save and model_load: the parameters as a
** safetensors file, named as in the .mg, in float32 (a double program
** converts on the way).  The program's --save/--load and the library's
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

/* model_save / model_load: the params as a safetensors file, named as in
   the .mg (fc.weight), float32.  A double program converts through float
   copies, which it allocates first (status: whether that went well). */
void emit_checkpoints(Emitter *e) {
  Model *m = e->m;
  int np = m->params.len;
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
