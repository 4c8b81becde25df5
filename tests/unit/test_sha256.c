/*
** test_sha256.c — compiler/sha256.c against the test vectors of FIPS 180-4
** (and NIST's examples): the empty message, "abc", the two-block 448-bit
** message, a million 'a's fed in uneven pieces, and every length from 0 to
** 130 bytes checked for consistency between one update and byte-by-byte.
*/
#include <stdio.h>
#include <string.h>

#include "sha256.h"

static int failures;

static void check(const char *what, const char *got, const char *want) {
  if (strcmp(got, want) != 0) {
    fprintf(stderr, "FAIL %s:\n  got  %s\n  want %s\n", what, got, want);
    failures++;
  }
}

static void digest(const char *msg, size_t n, char hex[65]) {
  Sha256 h;
  sha256_init(&h);
  sha256_update(&h, msg, n);
  sha256_hex(&h, hex);
}

int main(void) {
  char hex[65];
  digest("", 0, hex);
  check("empty", hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  digest("abc", 3, hex);
  check("abc", hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  digest(two, strlen(two), hex);
  check("448 bits", hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

  /* a million 'a's, in pieces of 1 to 1000 bytes */
  static char as[1000];
  memset(as, 'a', sizeof as);
  Sha256 h;
  sha256_init(&h);
  size_t left = 1000000;
  for (size_t piece = 1; left > 0; piece = piece % 1000 + 1) {
    size_t n = piece < left ? piece : left;
    sha256_update(&h, as, n);
    left -= n;
  }
  sha256_hex(&h, hex);
  check("million a", hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

  /* the padding's edge cases (55, 56, 63, 64 bytes...): one update and
     byte-by-byte updates agree */
  char msg[130];
  for (int i = 0; i < 130; i++)
    msg[i] = (char)(i * 7 + 1);
  for (size_t n = 0; n <= sizeof msg; n++) {
    char whole[65], bytes[65];
    digest(msg, n, whole);
    sha256_init(&h);
    for (size_t i = 0; i < n; i++)
      sha256_update(&h, msg + i, 1);
    sha256_hex(&h, bytes);
    char what[32];
    snprintf(what, sizeof what, "length %zu", n);
    check(what, bytes, whole);
  }
  if (failures)
    return 1;
  printf("sha256: all vectors match\n");
  return 0;
}
