/*
** arena.h — the one allocator of a compilation.
**
** Everything mgc allocates while compiling a file (tokens, AST, IR, strings)
** comes from one arena that is freed once at exit, so passes never free.
*/
#ifndef MGC_ARENA_H
#define MGC_ARENA_H

#include <stddef.h>

typedef struct Arena Arena;

Arena *arena_new(void);
void arena_free(Arena *a);
/* Zeroed memory, aligned for any type; never returns NULL (aborts on OOM). */
void *arena_alloc(Arena *a, size_t size);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Growable array of pointers living in an arena. */
typedef struct {
  void **items;
  int len, cap;
} PtrVec;

void ptrvec_push(Arena *a, PtrVec *v, void *item);

#define ARENA_NEW(a, T) ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))

#endif
