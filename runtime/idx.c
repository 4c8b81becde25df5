/*
** idx.c — loading a .mg `idx(...)` data source: the MNIST IDX format.
**
** An IDX file is a big-endian header (two zero bytes, a type byte, the number
** of dimensions, then one u32 size per dimension) followed by the data.  The
** MNIST files are images (0x00000803, [count, rows, cols]) and labels
** (0x00000801, [count]) of unsigned bytes, distributed gzip-compressed.
** zlib's gzread reads .gz files and, transparently, uncompressed ones.
**
** The header is not trusted: sizes are only allocated as data actually
** arrives, so a damaged header cannot make us allocate gigabytes or read past
** the end of anything.  See docs/data.md.
*/
#include "mgrt.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define IDX_TYPE_U8 0x08
#define IDX_CHUNK 65536
/* First allocation for the output, in elements; it doubles from there. */
#define IDX_FIRST_CAP ((uint64_t)1 << 20)

typedef struct idx_file {
  const char *path;        /* joined path, for messages */
  const char *input;       /* the .mg input, for messages */
  gzFile gz;
  int ndim;
  uint64_t dims[255];
  uint64_t count;          /* dims[0]: number of items */
  uint64_t item;           /* values per item: product of the other dims */
} idx_file;

/* Where converted values go; grows as data arrives. */
typedef struct idx_sink {
  mgrt_dtype dtype;
  void *data;
  uint64_t len, cap;       /* in elements */
  float lut[256];          /* byte -> byte * scale, computed once */
  int64_t num_classes;
} idx_sink;

/* ------------------------------------------------------------------------
** Reading
** ---------------------------------------------------------------------- */

/* zlib's message without the "PATH: " it puts in front, which ours has. */
static const char *idx_zlib_reason(const idx_file *f, const char *msg) {
  size_t n = strlen(f->path);
  if (msg == NULL || msg[0] == '\0') return "unknown error";
  if (strncmp(msg, f->path, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ') return msg + n + 2;
  return msg;
}

/* Turns zlib's error state into a message.  Returns -1 if there is an error
   (message set), 0 if the stream is fine. */
static int idx_stream_check(idx_file *f) {
  int errnum = Z_OK;
  const char *msg = gzerror(f->gz, &errnum);
  if (errnum == Z_OK || errnum == Z_STREAM_END) return 0;
  if (errnum == Z_ERRNO)
    mgrt_set_error("%s: cannot read: %s", f->path, strerror(errno ? errno : EIO));
  else if (errnum == Z_BUF_ERROR)
    mgrt_set_error("%s: damaged gzip data: the compressed stream ends early", f->path);
  else if (errnum == Z_MEM_ERROR)
    mgrt_set_error("%s: out of memory", f->path);
  else
    mgrt_set_error("%s: damaged gzip data: %s", f->path, idx_zlib_reason(f, msg));
  return -1;
}

/* Reads up to n bytes (n <= IDX_CHUNK); fewer only at the end of the data.
   Returns -1 on a read or decompression error (message set). */
static int idx_bytes_read(idx_file *f, unsigned char *buf, size_t n, size_t *got) {
  *got = 0;
  while (*got < n) {
    errno = 0;
    int k = gzread(f->gz, buf + *got, (unsigned)(n - *got));
    if (idx_stream_check(f) != 0) return -1;
    if (k < 0) {
      mgrt_set_error("%s: cannot read: %s", f->path, strerror(errno ? errno : EIO));
      return -1;
    }
    if (k == 0) break;
    *got += (size_t)k;
  }
  return 0;
}

static uint32_t idx_be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Why a data type other than unsigned bytes is refused, in words. */
static const char *idx_type_name(int type) {
  switch (type) {
  case 0x09: return "signed bytes";
  case 0x0B: return "16-bit integers";
  case 0x0C: return "32-bit integers";
  case 0x0D: return "32-bit floats";
  case 0x0E: return "64-bit floats";
  default: return NULL;
  }
}

/* The 4-byte magic: two zero bytes, the type, the number of dimensions. */
static int idx_magic_read(idx_file *f) {
  unsigned char m[4];
  size_t got;
  if (idx_bytes_read(f, m, sizeof m, &got) != 0) return -1;
  if (got < sizeof m) {
    mgrt_set_error("%s: not an IDX file (%s)", f->path,
                   got == 0 ? "it is empty" : "shorter than the 4-byte magic number");
    return -1;
  }
  uint32_t magic = idx_be32(m);
  const char *other = idx_type_name(m[2]);
  if (m[0] != 0 || m[1] != 0 || m[3] == 0 || (m[2] != IDX_TYPE_U8 && other == NULL)) {
    mgrt_set_error("%s: not an IDX file (magic 0x%08" PRIx32 ")", f->path, magic);
    return -1;
  }
  if (m[2] != IDX_TYPE_U8) {
    mgrt_set_error("%s: unsupported IDX data type 0x%02x (%s); only unsigned bytes "
                   "(0x08) are supported", f->path, m[2], other);
    return -1;
  }
  f->ndim = m[3];
  return 0;
}

/* The sizes after the magic; their product is checked for overflow only; the
   data itself decides how much memory is used. */
static int idx_dims_read(idx_file *f) {
  unsigned char buf[255 * 4];
  size_t want = (size_t)f->ndim * 4, got;
  if (idx_bytes_read(f, buf, want, &got) != 0) return -1;
  if (got < want) {
    mgrt_set_error("%s: truncated: expected %zu bytes of header, found %zu",
                   f->path, want + 4, got + 4);
    return -1;
  }
  f->item = 1;
  for (int d = 0; d < f->ndim; d++) {
    f->dims[d] = idx_be32(buf + 4 * d);
    if (d == 0) continue;
    if (f->dims[d] != 0 && f->item > UINT64_MAX / f->dims[d]) f->item = UINT64_MAX;
    else f->item *= f->dims[d];
  }
  f->count = f->dims[0];
  return 0;
}

/* ------------------------------------------------------------------------
** Checks against the declared input
** ---------------------------------------------------------------------- */

/* "28x28", the item shape as the header gives it. */
static const char *idx_shape_text(const idx_file *f, char *buf, size_t size) {
  size_t n = 0;
  buf[0] = '\0';
  for (int d = 1; d < f->ndim && n + 24 < size; d++)
    n += (size_t)snprintf(buf + n, size - n, "%s%" PRIu64, d > 1 ? "x" : "", f->dims[d]);
  return buf;
}

static int idx_shape_check(const idx_file *f, mgrt_dtype dtype, int64_t width) {
  const char *name = f->input ? f->input : "?";
  if (dtype == MGRT_I64 && f->ndim != 1) {
    mgrt_set_error("%s: input %s: labels need a 1-dimensional IDX file, this one has %d "
                   "dimensions", f->path, name, f->ndim);
    return -1;
  }
  /* A label file holds one value per item whatever width says. */
  if (dtype == MGRT_F32 && (width < 0 || f->item != (uint64_t)width)) {
    char shape[128];
    if (f->ndim == 1)
      mgrt_set_error("%s: input %s: each item is 1 value, but its type wants %" PRId64,
                     f->path, name, width);
    else
      mgrt_set_error("%s: input %s: each item has %s = %" PRIu64
                     " values, but its type wants %" PRId64, f->path, name,
                     idx_shape_text(f, shape, sizeof shape), f->item, width);
    return -1;
  }
  if (f->count == 0 || f->item == 0) {
    mgrt_set_error("%s: the file holds no %s", f->path, f->count == 0 ? "items" : "values");
    return -1;
  }
  /* Each item fits (it equals width); only count * item can overflow. */
  if (f->count > (uint64_t)INT64_MAX / 8 / f->item) {
    mgrt_set_error("%s: declared size %" PRIu64 " x %" PRIu64 " is too large",
                   f->path, f->count, f->item);
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------------
** Data
** ---------------------------------------------------------------------- */

/* double -> float32 with round-to-nearest-even; a huge scale gives infinity
   rather than the undefined behaviour of an out-of-range conversion. */
static float idx_to_float(double d) {
  const double limit = 0x1p128 - 0x1p103;
  if (d >= limit) return (float)INFINITY;
  if (d <= -limit) return -(float)INFINITY;
  return (float)d;
}

/* Room for `more` elements, doubling but never past `total`. */
static int idx_sink_grow(idx_sink *s, uint64_t more, uint64_t total) {
  if (s->len + more <= s->cap) return 0;
  uint64_t cap = s->cap ? s->cap * 2 : IDX_FIRST_CAP;
  if (cap > total) cap = total;
  if (cap < s->len + more) cap = s->len + more;
  size_t elem = s->dtype == MGRT_F32 ? sizeof(float) : sizeof(int64_t);
  if (cap > SIZE_MAX / elem) return -1;
  void *grown = realloc(s->data, (size_t)cap * elem);
  if (grown == NULL) return -1;
  s->data = grown;
  s->cap = cap;
  return 0;
}

/* Converts a chunk of bytes; labels are range-checked here, where the item
   number is known. */
static int idx_sink_append(idx_sink *s, const idx_file *f, const unsigned char *b, size_t n) {
  if (s->dtype == MGRT_F32) {
    float *out = (float *)s->data + s->len;
    for (size_t i = 0; i < n; i++) out[i] = s->lut[b[i]];
    s->len += n;
    return 0;
  }
  int64_t *out = (int64_t *)s->data + s->len;
  for (size_t i = 0; i < n; i++) {
    if (s->num_classes > 0 && b[i] >= s->num_classes) {
      mgrt_set_error("%s: item %" PRIu64 ": label %d is outside [0, %" PRId64
                     ") for input %s", f->path, s->len + i, b[i], s->num_classes,
                     f->input ? f->input : "?");
      return -1;
    }
    out[i] = b[i];
  }
  s->len += n;
  return 0;
}

/* Reads exactly count * item bytes of data and nothing more. */
static int idx_data_read(idx_file *f, idx_sink *s) {
  uint64_t total = f->count * f->item;
  unsigned char chunk[IDX_CHUNK];
  size_t got = 0;
  while (s->len < total) {
    uint64_t left = total - s->len;
    size_t want = left < IDX_CHUNK ? (size_t)left : IDX_CHUNK;
    if (idx_bytes_read(f, chunk, want, &got) != 0) return -1;
    if (got == 0) break;
    if (idx_sink_grow(s, got, total) != 0) {
      mgrt_set_error("%s: out of memory", f->path);
      return -1;
    }
    if (idx_sink_append(s, f, chunk, got) != 0) return -1;
  }
  if (s->len < total) {
    mgrt_set_error("%s: truncated: expected %" PRIu64 " bytes of data, found %" PRIu64,
                   f->path, total, s->len);
    return -1;
  }
  /* Extra bytes mean the header does not describe the file. */
  if (idx_bytes_read(f, chunk, 1, &got) != 0) return -1;
  if (got != 0) {
    mgrt_set_error("%s: the file is longer than the %" PRIu64
                   " bytes of data its header declares", f->path, total);
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------------
** Entry point
** ---------------------------------------------------------------------- */

static int idx_file_open(idx_file *f, const char *path) {
  errno = 0;
  f->gz = gzopen(path, "rb");
  if (f->gz == NULL) {
    mgrt_set_error("%s: cannot open: %s", path, errno ? strerror(errno) : "out of memory");
    return -1;
  }
  gzbuffer(f->gz, 128 * 1024);
  return 0;
}

static int idx_load(idx_file *f, idx_sink *s, mgrt_dtype dtype, int64_t width) {
  if (idx_file_open(f, f->path) != 0) return -1;
  if (idx_magic_read(f) != 0 || idx_dims_read(f) != 0) return -1;
  if (idx_shape_check(f, dtype, width) != 0) return -1;
  return idx_data_read(f, s);
}

int mgrt_idx_read(const char *path, const char *data_dir, const char *input,
                  mgrt_dtype dtype, int64_t width, double scale,
                  int64_t num_classes, mgrt_array *out) {
  memset(out, 0, sizeof *out);
  idx_file f;
  memset(&f, 0, sizeof f);
  f.input = input;
  char *joined = mgrt_path_join(data_dir, path);
  if (joined == NULL) return 1;
  f.path = joined;

  idx_sink s;
  memset(&s, 0, sizeof s);
  s.dtype = dtype;
  s.num_classes = num_classes;
  for (int b = 0; b < 256; b++) s.lut[b] = idx_to_float(b * scale);

  int ok = idx_load(&f, &s, dtype, width) == 0;
  if (f.gz != NULL) gzclose(f.gz);
  free(joined);
  if (!ok) {
    free(s.data);
    return 1;
  }
  out->rows = (int64_t)f.count;
  out->cols = dtype == MGRT_F32 ? (int64_t)f.item : 1;
  if (dtype == MGRT_F32) out->f32 = s.data;
  else out->i64 = s.data;
  return 0;
}
