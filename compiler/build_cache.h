/*
** build_cache.h — the directory where `mgc run` and `mgc build` keep the
** programs they compiled, one entry per content key (build_cache.c).
*/
#ifndef MGC_BUILD_CACHE_H
#define MGC_BUILD_CACHE_H

#include "arena.h"
#include "sha256.h"

/* $MGC_CACHE_DIR, else $XDG_CACHE_HOME/mgc, else $HOME/.cache/mgc, created
   if missing.  NULL after printing an error. */
const char *cache_dir(Arena *a);
/* A new private work directory inside the cache (tmp-XXXXXX): an entry is
   built there and appears under its key only when complete.  NULL after
   printing an error.  Removes work directories older than a day first (left
   by a killed mgc). */
const char *cache_workdir(Arena *a, const char *dir);
/* Adds a file's bytes to the hash; -1 (hash unchanged) if unreadable. */
int cache_hash_file(Sha256 *h, const char *path);
/* Moves the complete work directory to dir/key, in one rename.  If another
   mgc published the same key first, its entry is kept and the work
   directory removed.  Returns the entry's path, or NULL after an error. */
const char *cache_publish(Arena *a, const char *dir, const char *work, const char *key);
/* Removes a work directory and the files in it. */
void cache_discard(const char *work);

#endif
