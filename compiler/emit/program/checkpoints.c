/*
** checkpoints.c — model_save and model_load: the parameters as a
** safetensors file, named as in the .mg, in float32 (a double program
** converts on the way).  The program's --save/--load and the library's
** PREFIX_save/PREFIX_load call them.
*/
#include "emit/program/program.h"

#define P(...) fprintf(e->out, __VA_ARGS__)

/* model_save / model_load: the params as a safetensors file, named as in
   the .mg (fc.weight), float32 (a double program converts). */
void emit_checkpoints(Emitter *e) {
  Model *m = e->m;
  int np = m->params.len;
  P("/* The params as named tensors, for checkpoints. */\n");
  P("static void param_refs(Model *m, mgrt_tensor_ref *refs, float **storage) {\n");
  for (int i = 0; i < np; i++) {
    Param *p = m->params.items[i];
    P("  refs[%d].name = \"%s\";\n", i, p->name);
    P("  refs[%d].data = %s;\n", i, e->opt.f64 ? arena_printf(e->arena, "storage[%d]", i) : arena_printf(e->arena, "m->%s", p->c_name));
    P("  refs[%d].rank = %d;\n", i, p->shape.rank);
    for (int d = 0; d < p->shape.rank; d++)
      P("  refs[%d].shape[%d] = %ld;\n", i, d, p->shape.dims[d].n);
  }
  P("  (void)m;\n  (void)refs;\n  (void)storage;\n}\n\n");
  const char *alloc_storage = "", *free_storage = "";
  if (e->opt.f64) {
    alloc_storage = "  for (int i = 0; i < N_PARAMS; i++)\n"
                    "    if (!(storage[i] = malloc(sizeof(float) * (size_t)param_numel[i] + 1)))\n"
                    "      status = -1;\n";
    free_storage = "  for (int i = 0; i < N_PARAMS; i++)\n    free(storage[i]);\n";
  }
  P("enum { N_PARAMS = %d };\n", np ? np : 1);
  if (e->opt.f64) {
    P("static const int64_t param_numel[N_PARAMS] = {");
    for (int i = 0; i < np; i++)
      P("%s%ld", i ? ", " : "", shape_static_numel(((Param *)m->params.items[i])->shape));
    P("%s};\n", np ? "" : "0");
  }
  P("\n");
  P("/* Saves the params atomically (write, fsync, rename). */\n");
  P("static int model_save(Model *m, const char *path) {\n");
  P("  mgrt_tensor_ref refs[N_PARAMS];\n  float *storage[N_PARAMS] = {0};\n  int status = 0;\n%s", alloc_storage);
  P("  param_refs(m, refs, storage);\n");
  for (int i = 0; e->opt.f64 && i < np; i++)
    P("  for (int64_t k = 0; status == 0 && k < param_numel[%d]; k++)\n    storage[%d][k] = (float)m->%s[k];\n", i, i,
      ((Param *)m->params.items[i])->c_name);
  P("  if (status == 0)\n    status = mgrt_safetensors_save(path, refs, %d);\n%s  return status;\n}\n\n", np, free_storage);
  P("/* Loads the params, checking names, dtypes and shapes. */\n");
  P("static int model_load(Model *m, const char *path) {\n");
  P("  mgrt_tensor_ref refs[N_PARAMS];\n  float *storage[N_PARAMS] = {0};\n  int status = 0;\n%s", alloc_storage);
  P("  param_refs(m, refs, storage);\n");
  P("  if (status == 0)\n    status = mgrt_safetensors_load(path, refs, %d);\n", np);
  for (int i = 0; e->opt.f64 && i < np; i++)
    P("  for (int64_t k = 0; status == 0 && k < param_numel[%d]; k++)\n    m->%s[k] = storage[%d][k];\n", i,
      ((Param *)m->params.items[i])->c_name, i);
  P("%s  return status;\n}\n\n", free_storage);
}
