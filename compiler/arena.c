/*
** arena.c — bump allocator in large blocks; see arena.h.
*/
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 64 KiB: small enough that malloc recycles blocks rather than mapping
   fresh memory for each (the fuzz harness compiles thousands of small
   programs a minute), large enough that a big program takes few blocks. */
enum { BLOCK_SIZE = 1 << 16 };

typedef struct Block {
  struct Block *next;
  size_t used, size;
  max_align_t data[];
} Block;

struct Arena {
  Block *head;
};

static Block *block_new(size_t size) {
  Block *b = malloc(sizeof(Block) + size);
  if (!b) {
    fprintf(stderr, "mgc: out of memory\n");
    exit(1);
  }
  b->next = NULL;
  b->used = 0;
  b->size = size;
  return b;
}

Arena *arena_new(void) {
  Arena *a = malloc(sizeof *a);
  if (!a) {
    fprintf(stderr, "mgc: out of memory\n");
    exit(1);
  }
  a->head = block_new(BLOCK_SIZE);
  return a;
}

void arena_free(Arena *a) {
  if (!a)
    return;
  for (Block *b = a->head, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  free(a);
}

void *arena_alloc(Arena *a, size_t size) {
  size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  if (a->head->used + size > a->head->size) {
    Block *b = block_new(size > BLOCK_SIZE ? size : BLOCK_SIZE);
    b->next = a->head;
    a->head = b;
  }
  void *p = (char *)a->head->data + a->head->used;
  a->head->used += size;
  memset(p, 0, size);
  return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(Arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = arena_alloc(a, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void ptrvec_push(Arena *a, PtrVec *v, void *item) {
  if (v->len == v->cap) {
    int cap = v->cap ? v->cap * 2 : 8;
    void **items = arena_alloc(a, sizeof(void *) * (size_t)cap);
    if (v->len)
      memcpy(items, v->items, sizeof(void *) * (size_t)v->len);
    v->items = items;
    v->cap = cap;
  }
  v->items[v->len++] = item;
}
