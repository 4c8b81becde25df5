/*
** sha256.h — SHA-256 (FIPS 180-4), for the keys of mgc run's build cache
** (build_cache.c): a program is reused only when everything that went into
** it hashes the same.
*/
#ifndef MGC_SHA256_H
#define MGC_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct Sha256 {
  uint32_t state[8];
  uint64_t bytes;      /* message length so far */
  unsigned char block[64];
  size_t fill;         /* bytes waiting in block */
} Sha256;

void sha256_init(Sha256 *h);
void sha256_update(Sha256 *h, const void *data, size_t n);
/* Writes the digest as 64 lowercase hex digits and a NUL. */
void sha256_hex(Sha256 *h, char out[65]);

#endif
