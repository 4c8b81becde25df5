/*
** name_set.c — a hash set of identifiers for the emitter; see name_set.h.
*/
#include "name_set.h"

#include <string.h>

/* FNV-1a: short identifiers, no adversary to speak of. */
static size_t hash(const char *s) {
  size_t h = 14695981039346656037u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

void name_set_init(NameSet *s, Arena *a) {
  s->arena = a;
  s->cap = 64;
  s->len = 0;
  s->slots = ARENA_ARRAY(a, const char *, s->cap);
}

static size_t find(const NameSet *s, const char *name) {
  size_t i = hash(name) & (s->cap - 1);
  while (s->slots[i] && strcmp(s->slots[i], name) != 0)
    i = (i + 1) & (s->cap - 1);
  return i;
}

int name_set_has(const NameSet *s, const char *name) { return s->slots[find(s, name)] != NULL; }

void name_set_add(NameSet *s, const char *name) {
  if (2 * (s->len + 1) > s->cap) {
    /* Keep the table at most half full.  The old one stays in the arena,
       which frees everything at once. */
    const char **old = s->slots;
    size_t old_cap = s->cap;
    s->cap *= 2;
    s->slots = ARENA_ARRAY(s->arena, const char *, s->cap);
    for (size_t i = 0; i < old_cap; i++)
      if (old[i])
        s->slots[find(s, old[i])] = old[i];
  }
  size_t i = find(s, name);
  if (!s->slots[i]) {
    s->slots[i] = name;
    s->len++;
  }
}

const char *name_set_unique(NameSet *s, const char *name) {
  const char *fresh = name;
  for (long k = 1; name_set_has(s, fresh); k++)
    fresh = arena_printf(s->arena, "%s_%ld", name, k);
  name_set_add(s, fresh);
  return fresh;
}
