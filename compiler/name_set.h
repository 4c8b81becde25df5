/*
** name_set.h — a set of C identifiers, so that the emitter can make every
** generated name unique in time linear in the number of names (a program of
** 100,000 lines has as many names; comparing each with all before it was
** quadratic).
*/
#ifndef MGC_NAME_SET_H
#define MGC_NAME_SET_H

#include "arena.h"

typedef struct NameSet {
  Arena *arena;
  const char **slots;  /* open addressing; NULL is empty */
  size_t cap, len;
} NameSet;

void name_set_init(NameSet *s, Arena *a);
int name_set_has(const NameSet *s, const char *name);
void name_set_add(NameSet *s, const char *name);
/* name itself if it is not in the set, else the first of name_1, name_2, ...
   that is not (a fresh name cannot collide with one given out before); the
   result is added to the set. */
const char *name_set_unique(NameSet *s, const char *name);

#endif
