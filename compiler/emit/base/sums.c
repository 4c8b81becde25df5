/*
** sums.c — how sums are written: SUM_LANES partial sums folded pairwise,
** and the store of a finished sum (into its array, or inside a row block
** into the step's running sums).
*/
#include <string.h>

#include "emit/base/base.h"
#include "schedule.h"

#define P(...) emit_out(e, __VA_ARGS__)

void emit_sum_store(Emitter *e, const char *out, const char *idx, const char *acc, const char *count, int indent) {
  int at = e->block_rows && e->current ? e->schedule->sum_at[e->current->id] : -1;
  if (at >= 0) {
    if (strcmp(idx, "0") == 0)
      P("%*ssums[%d] += %s;  /* this block's part */\n", indent, "", at, acc);
    else
      P("%*ssums[%d + %s] += %s;  /* this block's part */\n", indent, "", at, idx, acc);
    e->sum_count[e->current->id] = count;
  } else if (count) {
    P("%*s%s[%s] = (%s)(%s / (double)(%s));\n", indent, "", out, idx, e->real, acc, count);
  } else {
    P("%*s%s[%s] = (%s)%s;\n", indent, "", out, idx, e->real, acc);
  }
}

void emit_fold_lanes(Emitter *e) {
  P("  for (int w = %d; w > 0; w /= 2)  /* the lanes pairwise, a tree rather than a chain */\n", SUM_LANES / 2);
  P("    for (int l = 0; l < w; l++)\n      lanes[l] += lanes[l + w];\n");
  P("  acc += lanes[0];\n");
}

void emit_lane_sum(Emitter *e, const char *out, Shape shape, int mean, ElementFn flat_element, void *ctx) {
  const char *count = emit_numel(e, shape);
  P("  double lanes[%d] = {0}, acc = 0;\n", SUM_LANES);
  P("  int64_t start = 0;\n");
  P("  for (; start + %d <= %s; start += %d)\n", SUM_LANES, count, SUM_LANES);
  P("    for (int l = 0; l < %d; l++) {\n", SUM_LANES);
  P("      const int64_t i = start + l;\n");
  const char *xi = flat_element(e, ctx, 0, 6);
  P("      lanes[l] += %s;\n", xi);
  P("    }\n");
  P("  for (; start < %s; start++) {\n", count);
  P("    const int64_t i = start;\n");
  xi = flat_element(e, ctx, 0, 4);
  P("    acc += %s;\n", xi);
  P("  }\n");
  emit_fold_lanes(e);
  emit_sum_store(e, out, "0", "acc", mean ? emit_count(e, shape) : NULL, 2);
}

