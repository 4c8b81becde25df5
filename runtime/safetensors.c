/*
** safetensors.c — checkpoints: a model's parameters saved to and loaded from
** a file in Hugging Face's safetensors format, so that what a generated
** program trains opens in PyTorch and a state_dict made in PyTorch can seed a
** generated program.
**
** A safetensors file is
**
**   8 bytes   N, the header length, an unsigned little-endian 64-bit integer
**   N bytes   a JSON object: for each tensor "NAME": {"dtype": "F32" (or
**             "I64", 8 bytes an element, for a counter),
**             "shape": [2, 3], "data_offsets": [BEGIN, END]}, and optionally
**             "__metadata__": {"key": "value", ...}; it must start with '{'
**             and may end in spaces
**   the rest  the data section: each tensor's bytes, little-endian, row-major,
**             at [BEGIN, END) relative to the start of the section
**
** Saving is atomic: the file is written beside its destination under a
** temporary name, flushed to disk and renamed over the destination, so a
** crash or a full disk never leaves a half-written checkpoint where a good
** one was.
**
** Loading treats the file as hostile.  Every length is checked against the
** file before it is used, the header is parsed by a small strict parser for
** exactly the subset of JSON the format needs (it never recurses, so no
** nesting can exhaust the stack), and the file must describe exactly the
** tensors the model expects.  Nothing is read into the caller's tensors until
** every check has passed.  See docs/checkpoints.md.
*/
#define _POSIX_C_SOURCE 200809L

#include "mgrt.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* The reference implementation refuses headers above 100 MB; so do we, so
   that a damaged length cannot make us allocate the whole file as header. */
#define ST_MAX_HEADER ((uint64_t)100000000)
/* Ranks a file may state.  Ours are at most MGRT_TENSOR_MAX_RANK; a few more
   are parsed so that the message can show the file's shape. */
#define ST_MAX_FILE_RANK 16
/* Offsets and sizes stay below 2^63 so that they fit in an off_t. */
#define ST_MAX_OFFSET ((uint64_t)INT64_MAX)
/* Bytes per write(): large enough that system calls do not dominate. */
#define ST_CHUNK 65536
/* Bytes per read(): some systems refuse single reads of 2 GB or more. */
#define ST_READ_MAX ((size_t)1 << 30)

/* ------------------------------------------------------------------------
** Shared helpers
** ---------------------------------------------------------------------- */

/* Element count of a shape, or -1 if a dimension is negative or the byte
   size (4 per element) would not fit in both an off_t and a size_t. */
static int st_numel(const int64_t *shape, int rank, uint64_t *numel) {
  uint64_t limit = ST_MAX_OFFSET / 4;
  if ((uint64_t)SIZE_MAX / 4 < limit) limit = (uint64_t)SIZE_MAX / 4;
  uint64_t n = 1;
  int has_zero = 0;
  for (int d = 0; d < rank; d++) {
    if (shape[d] < 0) return -1;
    if (shape[d] == 0) has_zero = 1;
  }
  /* A zero anywhere makes an empty tensor, however large the other sizes. */
  if (has_zero) {
    *numel = 0;
    return 0;
  }
  for (int d = 0; d < rank; d++) {
    uint64_t s = (uint64_t)shape[d];
    if (n > limit / s) return -1;
    n *= s;
  }
  *numel = n;
  return 0;
}

/* Element count of a tensor that st_check_refs has accepted. */
static uint64_t st_ref_numel(const mgrt_tensor_ref *t) {
  uint64_t numel = 0;
  if (st_numel(t->shape, t->rank, &numel) != 0) return 0; /* not reached */
  return numel;
}

/* A tensor's dtype in the file and its bytes per element. */
static const char *st_ref_dtype(const mgrt_tensor_ref *t) { return t->data_i64 ? "I64" : "F32"; }
static uint64_t st_ref_width(const mgrt_tensor_ref *t) { return t->data_i64 ? 8 : 4; }

/* Formats "[2, 3]" into out (size >= 2), as PyTorch prints sizes. */
static void st_format_shape(char *out, size_t size, const uint64_t *shape, int rank) {
  size_t len = (size_t)snprintf(out, size, "[");
  for (int d = 0; d < rank && len < size; d++) {
    int k = snprintf(out + len, size - len, "%s%" PRIu64, d ? ", " : "", shape[d]);
    if (k < 0) return;
    len += (size_t)k;
  }
  if (len < size) snprintf(out + len, size - len, "]");
}

static void st_shape_to_u64(uint64_t *out, const int64_t *shape, int rank) {
  for (int d = 0; d < rank; d++) out[d] = (uint64_t)shape[d];
}

/* The length of the valid UTF-8 sequence at s[0..avail), or 0 if it is not
   one (overlong forms, surrogates and values past U+10FFFF are invalid). */
static size_t st_utf8_length(const unsigned char *s, size_t avail) {
  unsigned c = s[0];
  size_t len;
  uint32_t cp, min;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07, min = 0x10000;
  else return 0;
  if (avail < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

/* Whether names used in a file are acceptable: non-empty valid UTF-8
   without control characters (they appear in messages), and not the key the
   format reserves for metadata. */
static int st_name_ok(const char *name) {
  const unsigned char *s = (const unsigned char *)name;
  size_t n = strlen(name);
  if (n == 0 || strcmp(name, "__metadata__") == 0) return 0;
  for (size_t i = 0; i < n;) {
    size_t len = st_utf8_length(s + i, n - i);
    if (len == 0 || s[i] < 0x20 || s[i] == 0x7F) return 0;
    i += len;
  }
  return 1;
}

/* dtype names are short upper-case words ("F32", "BF16", "F8_E4M3"); anything
   else is rejected before it could reach a message. */
static int st_dtype_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 16) return 0;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
      return 0;
  return 1;
}

static int st_compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first name that occurs twice in names[0..n) (which it sorts), or NULL.
   Sorting keeps this O(n log n) for headers with very many keys. */
static const char *st_find_duplicate(const char **names, size_t n) {
  if (n > 1) qsort(names, n, sizeof *names, st_compare_strings);
  for (size_t i = 1; i < n; i++)
    if (strcmp(names[i - 1], names[i]) == 0) return names[i];
  return NULL;
}

/* Checks the caller's tensor list: what save writes and what load expects
   must be a valid set of safetensors entries. */
static int st_check_refs(const char *path, const mgrt_tensor_ref *t, int n) {
  if (n < 0 || (n > 0 && t == NULL)) {
    mgrt_set_error("%s: invalid tensor list", path);
    return -1;
  }
  for (int i = 0; i < n; i++) {
    uint64_t numel;
    if (t[i].name == NULL || !st_name_ok(t[i].name)) {
      mgrt_set_error("%s: tensor %d has an invalid name", path, i);
      return -1;
    }
    if (t[i].rank < 0 || t[i].rank > MGRT_TENSOR_MAX_RANK) {
      mgrt_set_error("%s: tensor '%s' has rank %d (0 to %d supported)", path, t[i].name,
                     t[i].rank, MGRT_TENSOR_MAX_RANK);
      return -1;
    }
    if (st_numel(t[i].shape, t[i].rank, &numel) != 0) {
      mgrt_set_error("%s: tensor '%s' has an invalid or too large shape", path, t[i].name);
      return -1;
    }
    if (numel > 0 && t[i].data == NULL && t[i].data_i64 == NULL) {
      mgrt_set_error("%s: tensor '%s' has no data", path, t[i].name);
      return -1;
    }
  }
  const char **names = malloc(sizeof *names * (size_t)(n > 0 ? n : 1));
  if (names == NULL) {
    mgrt_set_error("%s: out of memory", path);
    return -1;
  }
  for (int i = 0; i < n; i++) names[i] = t[i].name;
  const char *dup = st_find_duplicate(names, (size_t)n);
  if (dup != NULL) mgrt_set_error("%s: tensor '%s' is listed twice", path, dup);
  free(names);
  return dup != NULL ? -1 : 0;
}

/* ------------------------------------------------------------------------
** Saving: building the header
** ---------------------------------------------------------------------- */

/* A growing string; a failed allocation is remembered and reported once. */
typedef struct st_text {
  char *data;
  size_t len, cap;
  int failed;
} st_text;

static void st_text_add(st_text *t, const char *s, size_t n) {
  if (t->failed) return;
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 256;
    while (cap < t->len + n + 1) cap *= 2;
    char *grown = realloc(t->data, cap);
    if (grown == NULL) {
      t->failed = 1;
      return;
    }
    t->data = grown;
    t->cap = cap;
  }
  memcpy(t->data + t->len, s, n);
  t->len += n;
  t->data[t->len] = '\0';
}

static void st_text_str(st_text *t, const char *s) { st_text_add(t, s, strlen(s)); }

static void st_text_u64(st_text *t, uint64_t v) {
  char digits[32];
  snprintf(digits, sizeof digits, "%" PRIu64, v);
  st_text_str(t, digits);
}

/* A JSON string.  Names were checked by st_name_ok, so only '"' and '\\'
   need escaping; other characters go out as the UTF-8 they are. */
static void st_text_json_string(st_text *t, const char *s) {
  st_text_add(t, "\"", 1);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') st_text_add(t, "\\", 1);
    st_text_add(t, s, 1);
  }
  st_text_add(t, "\"", 1);
}

/* The header for tensors laid out back to back in the given order, padded
   with spaces to a multiple of 8 bytes so that the data section starts
   aligned (8 + N is then a multiple of 8 too). */
static int st_build_header(const char *path, const mgrt_tensor_ref *t, int n, st_text *h) {
  uint64_t offset = 0;
  st_text_str(h, "{\"__metadata__\":{\"format\":\"pt\",\"producer\":\"mgc\"}");
  for (int i = 0; i < n; i++) {
    uint64_t numel = st_ref_numel(&t[i]);
    if (numel * st_ref_width(&t[i]) > ST_MAX_OFFSET - offset) {
      mgrt_set_error("%s: the tensors are too large for one file", path);
      return -1;
    }
    st_text_add(h, ",", 1);
    st_text_json_string(h, t[i].name);
    st_text_str(h, ":{\"dtype\":\"");
    st_text_str(h, st_ref_dtype(&t[i]));
    st_text_str(h, "\",\"shape\":[");
    for (int d = 0; d < t[i].rank; d++) {
      if (d > 0) st_text_add(h, ",", 1);
      st_text_u64(h, (uint64_t)t[i].shape[d]);
    }
    st_text_str(h, "],\"data_offsets\":[");
    st_text_u64(h, offset);
    st_text_add(h, ",", 1);
    offset += numel * st_ref_width(&t[i]);
    st_text_u64(h, offset);
    st_text_str(h, "]}");
  }
  st_text_add(h, "}", 1);
  while (!h->failed && h->len % 8 != 0) st_text_add(h, " ", 1);
  if (h->failed) {
    mgrt_set_error("%s: out of memory", path);
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------------
** Saving: writing the file
** ---------------------------------------------------------------------- */

/* Buffered output to a file descriptor; the first error's errno is kept. */
typedef struct st_out {
  int fd;
  int error;
  size_t len;
  unsigned char buf[ST_CHUNK];
} st_out;

static int st_write_all(int fd, const unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return w < 0 ? errno : EIO;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static void st_out_flush(st_out *o) {
  if (o->error == 0 && o->len > 0) o->error = st_write_all(o->fd, o->buf, o->len);
  o->len = 0;
}

static void st_out_bytes(st_out *o, const void *p, size_t n) {
  const unsigned char *s = p;
  while (n > 0 && o->error == 0) {
    size_t room = sizeof o->buf - o->len;
    size_t k = n < room ? n : room;
    memcpy(o->buf + o->len, s, k);
    o->len += k;
    s += k;
    n -= k;
    if (o->len == sizeof o->buf) st_out_flush(o);
  }
}

/* Values go out byte by byte in little-endian order, whatever the host's. */
static void st_out_u64(st_out *o, uint64_t v) {
  unsigned char b[8];
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
  st_out_bytes(o, b, 8);
}

static void st_out_floats(st_out *o, const float *x, uint64_t n) {
  for (uint64_t i = 0; i < n && o->error == 0; i++) {
    uint32_t u;
    unsigned char b[4];
    memcpy(&u, &x[i], 4);
    b[0] = (unsigned char)u;
    b[1] = (unsigned char)(u >> 8);
    b[2] = (unsigned char)(u >> 16);
    b[3] = (unsigned char)(u >> 24);
    st_out_bytes(o, b, 4);
  }
}

static void st_out_i64s(st_out *o, const int64_t *x, uint64_t n) {
  for (uint64_t i = 0; i < n && o->error == 0; i++) st_out_u64(o, (uint64_t)x[i]);
}

/* The permissions a plain creat() would give: mkstemp makes the file 0600,
   which would leave checkpoints unreadable to the user's other accounts and
   containers.  A file being replaced keeps its own permissions. */
static mode_t st_new_file_mode(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) return st.st_mode & 07777;
  /* umask can only be read by setting it; the window is harmless because
     generated programs save from their main thread only. */
  mode_t mask = umask(022);
  umask(mask);
  return 0666 & ~mask;
}

/* Flushes the rename itself to disk: without this a crash right after the
   save can bring back the old directory entry.  Best effort: some file
   systems refuse fsync on directories, and the data is safe by then. */
static void st_sync_parent_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir = NULL;
  if (slash == NULL) {
    dir = malloc(2);
    if (dir) strcpy(dir, ".");
  } else {
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    dir = malloc(n + 1);
    if (dir) {
      memcpy(dir, path, n);
      dir[n] = '\0';
    }
  }
  if (dir == NULL) return;
  int fd = open(dir, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
  free(dir);
}

/* Writes header and data to the open temporary; returns 0 or an errno. */
static int st_write_file(int fd, const st_text *header, const mgrt_tensor_ref *t, int n) {
  st_out *o = malloc(sizeof *o);
  if (o == NULL) return ENOMEM;
  o->fd = fd;
  o->error = 0;
  o->len = 0;
  st_out_u64(o, (uint64_t)header->len);
  st_out_bytes(o, header->data, header->len);
  for (int i = 0; i < n; i++) {
    if (t[i].data_i64)
      st_out_i64s(o, t[i].data_i64, st_ref_numel(&t[i]));
    else
      st_out_floats(o, t[i].data, st_ref_numel(&t[i]));
  }
  st_out_flush(o);
  int error = o->error;
  free(o);
  return error;
}

int mgrt_safetensors_save(const char *path, const mgrt_tensor_ref *tensors, int n) {
  if (path == NULL || path[0] == '\0') {
    mgrt_set_error("no checkpoint path given");
    return -1;
  }
  if (st_check_refs(path, tensors, n) != 0) return -1;
  st_text header = {0};
  if (st_build_header(path, tensors, n, &header) != 0) {
    free(header.data);
    return -1;
  }
  static const char suffix[] = ".tmp.XXXXXX";
  size_t path_len = strlen(path);
  char *tmp = malloc(path_len + sizeof suffix);
  if (tmp == NULL) {
    free(header.data);
    mgrt_set_error("%s: out of memory", path);
    return -1;
  }
  memcpy(tmp, path, path_len);
  memcpy(tmp + path_len, suffix, sizeof suffix);

  mode_t mode = st_new_file_mode(path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    mgrt_set_error("%s: cannot create a temporary file beside it: %s", path, strerror(errno));
    free(tmp);
    free(header.data);
    return -1;
  }
  const char *step = "cannot set the permissions of";
  int error = fchmod(fd, mode) != 0 ? errno : 0;
  if (error == 0) {
    step = "cannot write";
    error = st_write_file(fd, &header, tensors, n);
  }
  /* fsync before rename: otherwise the rename can reach the disk before the
     data does, and a crash leaves an empty file under the real name. */
  if (error == 0) {
    step = "cannot flush";
    error = fsync(fd) != 0 ? errno : 0;
  }
  if (close(fd) != 0 && error == 0) {
    step = "cannot write";
    error = errno;
  }
  if (error == 0) {
    step = "cannot replace";
    error = rename(tmp, path) != 0 ? errno : 0;
  }
  if (error != 0) {
    unlink(tmp);
    if (strcmp(step, "cannot replace") == 0)
      mgrt_set_error("%s: %s it with the new checkpoint: %s", path, step, strerror(error));
    else
      mgrt_set_error("%s: %s the temporary checkpoint %s: %s", path, step, tmp, strerror(error));
  } else {
    st_sync_parent_dir(path);
  }
  free(tmp);
  free(header.data);
  return error != 0 ? -1 : 0;
}

/* ------------------------------------------------------------------------
** Loading: the header parser
**
** The header is parsed in place: strings are unescaped over their own text
** (an escape is never shorter than what it stands for), so names point into
** the header buffer and need no allocation.
** ---------------------------------------------------------------------- */

/* One tensor as the file describes it. */
typedef struct st_entry {
  const char *name;
  const char *dtype;
  int rank;
  uint64_t shape[ST_MAX_FILE_RANK];
  uint64_t begin, end;
  size_t order;            /* position in the header, for messages */
  int target;              /* index into the caller's tensors, or -1 */
} st_entry;

typedef struct st_parser {
  const char *path;
  char *text;              /* the header, NUL-terminated */
  size_t len;
  size_t pos;
  st_entry *entries;
  size_t n_entries, cap_entries;
  const char **meta_keys;  /* __metadata__'s keys, for the duplicate check */
  size_t n_meta, cap_meta;
  int has_metadata;
} st_parser;

/* A syntax error: the header is not JSON (of the form the format allows). */
static int st_syntax(st_parser *p, const char *what) {
  mgrt_set_error("%s: header is not valid JSON at byte %zu: %s", p->path, p->pos, what);
  return -1;
}

/* Valid JSON that is not a valid safetensors header. */
static int st_form(st_parser *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static int st_form(st_parser *p, const char *fmt, ...) {
  char what[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  mgrt_set_error("%s: %s", p->path, what);
  return -1;
}

static void st_skip_ws(st_parser *p) {
  while (p->pos < p->len) {
    char c = p->text[p->pos];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    p->pos++;
  }
}

/* Consumes c (after optional whitespace) or fails with "expected ...". */
static int st_expect(st_parser *p, char c, const char *what) {
  st_skip_ws(p);
  if (p->pos >= p->len || p->text[p->pos] != c) return st_syntax(p, what);
  p->pos++;
  return 0;
}

/* Whether the next non-blank character is c; consumes it if so. */
static int st_accept(st_parser *p, char c) {
  st_skip_ws(p);
  if (p->pos < p->len && p->text[p->pos] == c) {
    p->pos++;
    return 1;
  }
  return 0;
}

static int st_hex4(const char *s, uint32_t *v) {
  *v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    int d = c >= '0' && c <= '9' ? c - '0'
          : c >= 'a' && c <= 'f' ? c - 'a' + 10
          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return -1;
    *v = (*v << 4) | (uint32_t)d;
  }
  return 0;
}

/* Appends code point cp as UTF-8 at *w. */
static void st_put_utf8(char **w, uint32_t cp) {
  unsigned char *o = (unsigned char *)*w;
  if (cp < 0x80) {
    *o++ = (unsigned char)cp;
  } else if (cp < 0x800) {
    *o++ = (unsigned char)(0xC0 | (cp >> 6));
    *o++ = (unsigned char)(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *o++ = (unsigned char)(0xE0 | (cp >> 12));
    *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    *o++ = (unsigned char)(0x80 | (cp & 0x3F));
  } else {
    *o++ = (unsigned char)(0xF0 | (cp >> 18));
    *o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    *o++ = (unsigned char)(0x80 | (cp & 0x3F));
  }
  *w = (char *)o;
}

/* A \uXXXX escape at p->pos (just after the backslash-u), with its low
   surrogate if it is a high one.  Writes the UTF-8 at *w. */
static int st_unicode_escape(st_parser *p, char **w) {
  uint32_t cp, low;
  if (p->len - p->pos < 4 || st_hex4(p->text + p->pos, &cp) != 0)
    return st_syntax(p, "bad \\u escape");
  p->pos += 4;
  if (cp >= 0xDC00 && cp <= 0xDFFF) return st_syntax(p, "lone low surrogate in \\u escape");
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (p->len - p->pos < 6 || p->text[p->pos] != '\\' || p->text[p->pos + 1] != 'u' ||
        st_hex4(p->text + p->pos + 2, &low) != 0 || low < 0xDC00 || low > 0xDFFF)
      return st_syntax(p, "high surrogate without its low half in \\u escape");
    p->pos += 6;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  /* Names are C strings: an embedded NUL would silently cut them short. */
  if (cp == 0) return st_syntax(p, "\\u0000 in a string");
  st_put_utf8(w, cp);
  return 0;
}

/* A JSON string at the current position, unescaped in place into a
   NUL-terminated string returned in *out. */
static int st_string(st_parser *p, const char **out) {
  if (st_expect(p, '"', "expected a string") != 0) return -1;
  char *start = p->text + p->pos;
  char *w = start;
  for (;;) {
    if (p->pos >= p->len) return st_syntax(p, "unterminated string");
    unsigned char c = (unsigned char)p->text[p->pos];
    if (c == '"') {
      p->pos++;
      break;
    }
    if (c < 0x20) return st_syntax(p, "control character in a string");
    if (c == '\\') {
      if (p->len - p->pos < 2) return st_syntax(p, "unterminated string");
      char e = p->text[p->pos + 1];
      const char *plain = strchr("\"\\/bfnrt", e);
      p->pos += 2;
      if (e == 'u') {
        if (st_unicode_escape(p, &w) != 0) return -1;
      } else if (e != '\0' && plain != NULL) {
        static const char decoded[] = "\"\\/\b\f\n\r\t";
        *w++ = decoded[plain - "\"\\/bfnrt"];
      } else {
        p->pos -= 2;
        return st_syntax(p, "bad escape in a string");
      }
      continue;
    }
    size_t n = st_utf8_length((const unsigned char *)p->text + p->pos, p->len - p->pos);
    if (n == 0) return st_syntax(p, "invalid UTF-8 in a string");
    memmove(w, p->text + p->pos, n);
    w += n;
    p->pos += n;
  }
  *w = '\0'; /* w is at most at the closing quote, which was consumed */
  *out = start;
  return 0;
}

/* A non-negative integer in JSON's syntax (no sign, no leading zeros, no
   fraction or exponent) below 2^63.  field and name are for messages. */
static int st_uint(st_parser *p, const char *field, const char *name, uint64_t *v) {
  st_skip_ws(p);
  const char *s = p->text + p->pos;
  if (*s == '-')
    return st_form(p, "tensor '%s': %s holds a negative number", name, field);
  if (*s < '0' || *s > '9')
    return st_form(p, "tensor '%s': %s must be a list of non-negative integers", name, field);
  uint64_t x = 0;
  size_t i = 0;
  for (; s[i] >= '0' && s[i] <= '9'; i++) {
    unsigned d = (unsigned)(s[i] - '0');
    if (x > (ST_MAX_OFFSET - d) / 10)
      return st_form(p, "tensor '%s': %s holds a number that is too large", name, field);
    x = x * 10 + d;
  }
  if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
    return st_form(p, "tensor '%s': %s must be a list of non-negative integers", name, field);
  if (s[0] == '0' && i > 1) return st_syntax(p, "number with a leading zero");
  p->pos += i;
  *v = x;
  return 0;
}

/* [n, n, ...] with at most max values. */
static int st_uint_list(st_parser *p, const char *field, const char *name, uint64_t *v,
                        int max, int *count) {
  *count = 0;
  if (!st_accept(p, '['))
    return st_form(p, "tensor '%s': %s must be a list of non-negative integers", name, field);
  if (st_accept(p, ']')) return 0;
  do {
    if (*count == max)
      return st_form(p, "tensor '%s': %s has more than %d values", name, field, max);
    if (st_uint(p, field, name, &v[*count]) != 0) return -1;
    (*count)++;
  } while (st_accept(p, ','));
  return st_expect(p, ']', "expected ',' or ']' in a list");
}

/* The value of one tensor: {"dtype": ..., "shape": [...], "data_offsets":
   [b, e]}, each key exactly once and no other keys. */
static int st_tensor_info(st_parser *p, st_entry *e) {
  int seen_dtype = 0, seen_shape = 0, seen_offsets = 0;
  if (!st_accept(p, '{'))
    return st_form(p, "tensor '%s': expected an object with dtype, shape and data_offsets",
                   e->name);
  if (!st_accept(p, '}')) {
    do {
      const char *key;
      if (st_string(p, &key) != 0 || st_expect(p, ':', "expected ':' after a key") != 0)
        return -1;
      int *seen = strcmp(key, "dtype") == 0 ? &seen_dtype
                : strcmp(key, "shape") == 0 ? &seen_shape
                : strcmp(key, "data_offsets") == 0 ? &seen_offsets : NULL;
      if (seen == NULL) return st_form(p, "tensor '%s': unknown field '%s'", e->name, key);
      if (*seen) return st_form(p, "tensor '%s': field '%s' appears twice", e->name, key);
      *seen = 1;
      if (seen == &seen_dtype) {
        st_skip_ws(p);
        if (p->pos >= p->len || p->text[p->pos] != '"')
          return st_form(p, "tensor '%s': dtype must be a string", e->name);
        if (st_string(p, &e->dtype) != 0) return -1;
        if (!st_dtype_ok(e->dtype))
          return st_form(p, "tensor '%s': dtype is not a dtype name", e->name);
      } else if (seen == &seen_shape) {
        if (st_uint_list(p, "shape", e->name, e->shape, ST_MAX_FILE_RANK, &e->rank) != 0)
          return -1;
      } else {
        uint64_t off[2];
        int n;
        if (st_uint_list(p, "data_offsets", e->name, off, 2, &n) != 0) return -1;
        if (n != 2)
          return st_form(p, "tensor '%s': data_offsets must be two integers [begin, end]",
                         e->name);
        e->begin = off[0];
        e->end = off[1];
      }
    } while (st_accept(p, ','));
    if (st_expect(p, '}', "expected ',' or '}' in an object") != 0) return -1;
  }
  if (!seen_dtype) return st_form(p, "tensor '%s' has no dtype", e->name);
  if (!seen_shape) return st_form(p, "tensor '%s' has no shape", e->name);
  if (!seen_offsets) return st_form(p, "tensor '%s' has no data_offsets", e->name);
  return 0;
}

/* "__metadata__": an object whose values are all strings.  We do not use
   it, but a file with another kind of value there is not a safetensors file. */
static int st_metadata(st_parser *p) {
  if (p->has_metadata) return st_form(p, "header: key '__metadata__' appears twice");
  p->has_metadata = 1;
  if (!st_accept(p, '{')) return st_form(p, "header: __metadata__ must be an object");
  if (st_accept(p, '}')) return 0;
  do {
    const char *key, *value;
    if (st_string(p, &key) != 0 || st_expect(p, ':', "expected ':' after a key") != 0)
      return -1;
    st_skip_ws(p);
    if (p->pos >= p->len || p->text[p->pos] != '"')
      return st_form(p, "header: __metadata__ value of '%s' is not a string", key);
    if (st_string(p, &value) != 0) return -1;
    if (p->n_meta == p->cap_meta) {
      size_t cap = p->cap_meta ? 2 * p->cap_meta : 8;
      const char **grown = realloc(p->meta_keys, cap * sizeof *grown);
      if (grown == NULL) return st_form(p, "out of memory");
      p->meta_keys = grown;
      p->cap_meta = cap;
    }
    p->meta_keys[p->n_meta++] = key;
  } while (st_accept(p, ','));
  if (st_expect(p, '}', "expected ',' or '}' in an object") != 0) return -1;
  const char *dup = st_find_duplicate(p->meta_keys, p->n_meta);
  if (dup != NULL) return st_form(p, "header: __metadata__ key '%s' appears twice", dup);
  return 0;
}

static st_entry *st_new_entry(st_parser *p, const char *name) {
  if (p->n_entries == p->cap_entries) {
    size_t cap = p->cap_entries ? 2 * p->cap_entries : 16;
    st_entry *grown = realloc(p->entries, cap * sizeof *grown);
    if (grown == NULL) return NULL;
    p->entries = grown;
    p->cap_entries = cap;
  }
  st_entry *e = &p->entries[p->n_entries];
  memset(e, 0, sizeof *e);
  e->name = name;
  e->order = p->n_entries++;
  e->target = -1;
  return e;
}

/* The whole header: one object of tensors and optional metadata, then
   nothing but whitespace (the spaces it is padded with). */
static int st_parse_header(st_parser *p) {
  /* The format requires the '{' to be the very first byte. */
  if (p->len == 0 || p->text[0] != '{')
    return st_form(p, "header does not start with '{': not a safetensors file");
  p->pos = 1;
  if (!st_accept(p, '}')) {
    do {
      const char *name;
      if (st_string(p, &name) != 0 || st_expect(p, ':', "expected ':' after a key") != 0)
        return -1;
      if (strcmp(name, "__metadata__") == 0) {
        if (st_metadata(p) != 0) return -1;
        continue;
      }
      if (!st_name_ok(name))
        return st_form(p, "header: a tensor name is empty or holds control characters "
                       "(byte %zu)", p->pos);
      st_entry *e = st_new_entry(p, name);
      if (e == NULL) return st_form(p, "out of memory");
      if (st_tensor_info(p, e) != 0) return -1;
    } while (st_accept(p, ','));
    if (st_expect(p, '}', "expected ',' or '}' in an object") != 0) return -1;
  }
  st_skip_ws(p);
  if (p->pos != p->len) return st_syntax(p, "unexpected text after the closing '}'");
  return 0;
}

/* ------------------------------------------------------------------------
** Loading: checks of the parsed header against the file and the model
** ---------------------------------------------------------------------- */

static int st_compare_entry_names(const void *a, const void *b) {
  return strcmp(((const st_entry *)a)->name, ((const st_entry *)b)->name);
}

static int st_compare_entry_offsets(const void *a, const void *b) {
  const st_entry *x = a, *y = b;
  if (x->begin != y->begin) return x->begin < y->begin ? -1 : 1;
  if (x->end != y->end) return x->end < y->end ? -1 : 1;
  return 0;
}

/* Each tensor's bytes lie inside the data section. */
static int st_check_bounds(st_parser *p, uint64_t data_size) {
  for (size_t i = 0; i < p->n_entries; i++) {
    const st_entry *e = &p->entries[i];
    if (e->begin > e->end)
      return st_form(p, "tensor '%s' has data_offsets [%" PRIu64 ", %" PRIu64 "] that end "
                     "before they begin", e->name, e->begin, e->end);
    if (e->end > data_size)
      return st_form(p, "tensor '%s' has data_offsets [%" PRIu64 ", %" PRIu64 "] past the end "
                     "of the data section (%" PRIu64 " bytes)", e->name, e->begin, e->end,
                     data_size);
  }
  return 0;
}

/* Each expected tensor is in the file with our dtype, shape and size, and
   the file has no others.  Sorts the entries by name. */
static int st_match(st_parser *p, const mgrt_tensor_ref *t, int n) {
  /* qsort and bsearch must not see the NULL array of an empty header. */
  if (p->n_entries > 1)
    qsort(p->entries, p->n_entries, sizeof *p->entries, st_compare_entry_names);
  for (size_t i = 1; i < p->n_entries; i++)
    if (strcmp(p->entries[i - 1].name, p->entries[i].name) == 0)
      return st_form(p, "tensor '%s' appears twice in the header", p->entries[i].name);
  for (int i = 0; i < n; i++) {
    st_entry key;
    key.name = t[i].name;
    st_entry *e = p->n_entries == 0 ? NULL
                : bsearch(&key, p->entries, p->n_entries, sizeof *p->entries,
                          st_compare_entry_names);
    if (e == NULL) return st_form(p, "missing tensor '%s'", t[i].name);
    e->target = i;
    if (strcmp(e->dtype, st_ref_dtype(&t[i])) != 0)
      return st_form(p, "tensor '%s' has dtype %s, expected %s", e->name, e->dtype, st_ref_dtype(&t[i]));
    uint64_t want[MGRT_TENSOR_MAX_RANK];
    st_shape_to_u64(want, t[i].shape, t[i].rank);
    if (e->rank != t[i].rank || memcmp(want, e->shape, sizeof *want * (size_t)e->rank) != 0) {
      char got_s[256], want_s[256];
      st_format_shape(got_s, sizeof got_s, e->shape, e->rank);
      st_format_shape(want_s, sizeof want_s, want, t[i].rank);
      return st_form(p, "tensor '%s' has shape %s, expected %s", e->name, got_s, want_s);
    }
    uint64_t numel = st_ref_numel(&t[i]);
    if (e->end - e->begin != numel * st_ref_width(&t[i])) {
      char shape_s[256];
      st_format_shape(shape_s, sizeof shape_s, want, t[i].rank);
      return st_form(p, "tensor '%s' has data_offsets [%" PRIu64 ", %" PRIu64 "] (%" PRIu64
                     " bytes), but %s %s needs %" PRIu64 " bytes", e->name, e->begin, e->end,
                     e->end - e->begin, st_ref_dtype(&t[i]), shape_s, numel * st_ref_width(&t[i]));
    }
  }
  const st_entry *extra = NULL;
  for (size_t i = 0; i < p->n_entries; i++)
    if (p->entries[i].target < 0 && (extra == NULL || p->entries[i].order < extra->order))
      extra = &p->entries[i];
  if (extra != NULL) return st_form(p, "unexpected tensor '%s'", extra->name);
  return 0;
}

/* The tensors tile the data section exactly: no two share a byte (so no
   file can alias one tensor's data as another's) and no byte belongs to
   none (the format forbids holes, which could hide other content).  Sorts
   the entries by offset. */
static int st_check_layout(st_parser *p, uint64_t data_size) {
  if (p->n_entries > 1)
    qsort(p->entries, p->n_entries, sizeof *p->entries, st_compare_entry_offsets);
  uint64_t covered = 0;
  const st_entry *prev = NULL;
  for (size_t i = 0; i < p->n_entries; i++) {
    const st_entry *e = &p->entries[i];
    if (e->begin < covered)
      return st_form(p, "tensors '%s' and '%s' overlap in the data section ([%" PRIu64
                     ", %" PRIu64 "] and [%" PRIu64 ", %" PRIu64 "])", prev->name, e->name,
                     prev->begin, prev->end, e->begin, e->end);
    if (e->begin > covered)
      return st_form(p, "bytes %" PRIu64 " to %" PRIu64 " of the data section belong to no "
                     "tensor", covered, e->begin);
    covered = e->end;
    prev = e;
  }
  if (covered != data_size)
    return st_form(p, "bytes %" PRIu64 " to %" PRIu64 " of the data section belong to no "
                   "tensor", covered, data_size);
  return 0;
}

/* ------------------------------------------------------------------------
** Loading: reading the file
** ---------------------------------------------------------------------- */

/* Reads exactly n bytes at offset; a short file is an error, not a hang. */
static int st_read_at(int fd, void *buf, size_t n, uint64_t offset, const char *path) {
  unsigned char *b = buf;
  while (n > 0) {
    size_t want = n < ST_READ_MAX ? n : ST_READ_MAX;
    ssize_t r = pread(fd, b, want, (off_t)offset);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      mgrt_set_error("%s: read error: %s", path, strerror(errno));
      return -1;
    }
    if (r == 0) {
      mgrt_set_error("%s: the file became shorter while it was read", path);
      return -1;
    }
    b += r;
    n -= (size_t)r;
    offset += (uint64_t)r;
  }
  return 0;
}

/* The file's values are little-endian; on a big-endian host swap them. */
static void st_floats_from_le(float *x, uint64_t n) {
  const uint32_t one = 1;
  unsigned char first;
  memcpy(&first, &one, 1);
  if (first == 1) return; /* little-endian host: already in place */
  for (uint64_t i = 0; i < n; i++) {
    unsigned char b[4];
    memcpy(b, &x[i], 4);
    uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                 (uint32_t)b[3] << 24;
    memcpy(&x[i], &u, 4);
  }
}

static void st_i64s_from_le(int64_t *x, uint64_t n) {
  const uint32_t one = 1;
  unsigned char first;
  memcpy(&first, &one, 1);
  if (first == 1) return; /* little-endian host: already in place */
  for (uint64_t i = 0; i < n; i++) {
    unsigned char b[8];
    memcpy(b, &x[i], 8);
    uint64_t u = 0;
    for (int k = 7; k >= 0; k--) u = u << 8 | b[k];
    memcpy(&x[i], &u, 8);
  }
}

/* Size checks before anything is allocated: the file can hold the length
   field, and the header length it states fits both the file and our limit. */
static int st_read_header_length(int fd, const char *path, uint64_t file_size,
                                 uint64_t *header_len) {
  unsigned char b[8];
  if (file_size < 8) {
    mgrt_set_error("%s: file is %" PRIu64 " bytes long, too short for a safetensors file "
                   "(at least 8 bytes)", path, file_size);
    return -1;
  }
  if (st_read_at(fd, b, 8, 0, path) != 0) return -1;
  uint64_t n = 0;
  for (int i = 7; i >= 0; i--) n = (n << 8) | b[i];
  if (n > file_size - 8) {
    mgrt_set_error("%s: header length %" PRIu64 " is larger than the file (%" PRIu64
                   " bytes): the file is truncated or not a safetensors file", path, n,
                   file_size);
    return -1;
  }
  if (n > ST_MAX_HEADER) {
    mgrt_set_error("%s: header length %" PRIu64 " exceeds the limit of %" PRIu64 " bytes",
                   path, n, ST_MAX_HEADER);
    return -1;
  }
  *header_len = n;
  return 0;
}

/* Opens path as a regular file and returns its size. */
static int st_open(const char *path, uint64_t *size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    mgrt_set_error("%s: cannot open: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    mgrt_set_error("%s: cannot open: %s", path, strerror(errno));
    close(fd);
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    mgrt_set_error("%s: not a regular file", path);
    close(fd);
    return -1;
  }
  *size = (uint64_t)st.st_size;
  return fd;
}

/* Everything after the file is open: header, checks, data. */
static int st_load_open(int fd, uint64_t file_size, const char *path, mgrt_tensor_ref *t,
                        int n, st_parser *p) {
  uint64_t header_len;
  if (st_read_header_length(fd, path, file_size, &header_len) != 0) return -1;
  p->len = (size_t)header_len;
  p->text = malloc(p->len + 1);
  if (p->text == NULL) {
    mgrt_set_error("%s: out of memory for a %zu-byte header", path, p->len);
    return -1;
  }
  if (st_read_at(fd, p->text, p->len, 8, path) != 0) return -1;
  p->text[p->len] = '\0'; /* a sentinel: lookahead stops here */
  uint64_t data_start = 8 + header_len;
  uint64_t data_size = file_size - data_start;
  if (st_parse_header(p) != 0 || st_check_bounds(p, data_size) != 0 ||
      st_match(p, t, n) != 0 || st_check_layout(p, data_size) != 0)
    return -1;
  for (size_t i = 0; i < p->n_entries; i++) {
    const st_entry *e = &p->entries[i];
    size_t bytes = (size_t)(e->end - e->begin); /* = numel * width, checked */
    /* st_match refused unmatched entries; never index tensors[-1] anyway. */
    if (bytes == 0 || e->target < 0) continue;
    mgrt_tensor_ref *r = &t[e->target];
    if (r->data_i64) {
      if (st_read_at(fd, r->data_i64, bytes, data_start + e->begin, path) != 0) return -1;
      st_i64s_from_le(r->data_i64, bytes / 8);
      continue;
    }
    if (st_read_at(fd, r->data, bytes, data_start + e->begin, path) != 0) return -1;
    st_floats_from_le(r->data, bytes / 4);
  }
  return 0;
}

int mgrt_safetensors_load(const char *path, mgrt_tensor_ref *tensors, int n) {
  if (path == NULL || path[0] == '\0') {
    mgrt_set_error("no checkpoint path given");
    return -1;
  }
  if (st_check_refs(path, tensors, n) != 0) return -1;
  uint64_t size;
  int fd = st_open(path, &size);
  if (fd < 0) return -1;
  st_parser p;
  memset(&p, 0, sizeof p);
  p.path = path;
  int rc = st_load_open(fd, size, path, tensors, n, &p);
  close(fd);
  free(p.text);
  free(p.entries);
  free(p.meta_keys);
  return rc;
}
