/*
** pngcheck.c — checks that a screenshot shows a plot rather than a blank
** (or black, or error) page:
**
**   pngcheck SHOT.png [RRGGBB MIN_PIXELS]...
**
** It decodes the PNG itself (zlib for the inflate; 8-bit grey, grey+alpha,
** RGB or RGBA, not interlaced, which covers what Chromium writes), then
** requires that between 0.5% and 60% of the pixels are not white (some
** drawing, but not a filled page) and, for each colour given, that at
** least MIN_PIXELS pixels are close to it: the series' own colours, so a
** page that drew only the frame and the text does not pass.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct Image {
  uint32_t width, height;
  int channels; /* 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA */
  unsigned char *pixels; /* height rows of width*channels bytes */
} Image;

_Noreturn static void die(const char *path, const char *msg) {
  fprintf(stderr, "pngcheck: %s: %s\n", path, msg);
  exit(1);
}

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    die(path, "cannot open");
  size_t cap = 1 << 20, n;
  unsigned char *buf = malloc(cap);
  *len = 0;
  while (buf && (n = fread(buf + *len, 1, cap - *len, f)) > 0) {
    *len += n;
    if (*len == cap)
      buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  if (!buf)
    die(path, "out of memory");
  return buf;
}

static int channels_of(int colour_type) {
  switch (colour_type) {
  case 0: return 1;
  case 2: return 3;
  case 4: return 2;
  case 6: return 4;
  default: return 0; /* palette images: Chromium does not write them */
  }
}

/* The Paeth predictor of the PNG specification. */
static unsigned char paeth(int a, int b, int c) {
  int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
  return (unsigned char)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

/* Undoes the per-row filters of the inflated data into img->pixels. */
static void unfilter(const char *path, const unsigned char *raw, Image *img) {
  size_t bpp = (size_t)img->channels, stride = img->width * bpp;
  for (uint32_t y = 0; y < img->height; y++) {
    const unsigned char *in = raw + y * (stride + 1);
    unsigned char *out = img->pixels + y * stride;
    const unsigned char *up = y ? out - stride : NULL;
    int filter = in[0];
    in++;
    for (size_t x = 0; x < stride; x++) {
      int a = x >= bpp ? out[x - bpp] : 0, b = up ? up[x] : 0;
      int c = up && x >= bpp ? up[x - bpp] : 0, pred = 0;
      switch (filter) {
      case 0: pred = 0; break;
      case 1: pred = a; break;
      case 2: pred = b; break;
      case 3: pred = (a + b) / 2; break;
      case 4: pred = paeth(a, b, c); break;
      default: die(path, "unknown row filter");
      }
      out[x] = (unsigned char)(in[x] + pred);
    }
  }
}

static Image decode_png(const char *path) {
  size_t len;
  unsigned char *png = read_file(path, &len);
  if (len < 8 || memcmp(png, "\x89PNG\r\n\x1a\n", 8) != 0)
    die(path, "not a PNG file");
  Image img = {0, 0, 0, NULL};
  unsigned char *idat = NULL;
  size_t idat_len = 0;
  for (size_t at = 8; at + 12 <= len;) {
    uint32_t n = be32(png + at);
    const unsigned char *type = png + at + 4, *data = png + at + 8;
    if (n > len - at - 12)
      die(path, "truncated chunk");
    if (crc32(crc32(0, NULL, 0), type, n + 4) != be32(data + n))
      die(path, "chunk CRC mismatch");
    if (memcmp(type, "IHDR", 4) == 0) {
      img.width = be32(data);
      img.height = be32(data + 4);
      img.channels = channels_of(data[9]);
      if (data[8] != 8 || img.channels == 0 || data[12] != 0)
        die(path, "only 8-bit, non-palette, non-interlaced PNGs are read");
    } else if (memcmp(type, "IDAT", 4) == 0) {
      idat = realloc(idat, idat_len + n);
      if (!idat)
        die(path, "out of memory");
      memcpy(idat + idat_len, data, n);
      idat_len += n;
    } else if (memcmp(type, "IEND", 4) == 0) {
      break;
    }
    at += (size_t)n + 12;
  }
  if (!img.width || !img.height || !idat)
    die(path, "no image data");
  uLongf raw_len = (uLongf)img.height * (img.width * (uLongf)img.channels + 1);
  unsigned char *raw = malloc(raw_len);
  img.pixels = malloc((size_t)img.height * img.width * (size_t)img.channels);
  if (!raw || !img.pixels)
    die(path, "out of memory");
  uLongf got = raw_len;
  if (uncompress(raw, &got, idat, idat_len) != Z_OK || got != raw_len)
    die(path, "corrupt image data");
  unfilter(path, raw, &img);
  free(raw);
  free(idat);
  free(png);
  return img;
}

/* A pixel as RGB on a white page (alpha composited). */
static void pixel_rgb(const Image *img, size_t i, int rgb[3]) {
  const unsigned char *p = img->pixels + i * (size_t)img->channels;
  int grey = img->channels <= 2;
  int alpha = img->channels == 2 ? p[1] : img->channels == 4 ? p[3] : 255;
  for (int k = 0; k < 3; k++) {
    int v = grey ? p[0] : p[k];
    rgb[k] = (v * alpha + 255 * (255 - alpha)) / 255;
  }
}

static int parse_colour(const char *s, int rgb[3]) {
  unsigned long v;
  char *end;
  if (strlen(s) != 6)
    return 0;
  v = strtoul(s, &end, 16);
  if (*end)
    return 0;
  rgb[0] = (int)(v >> 16 & 0xFF);
  rgb[1] = (int)(v >> 8 & 0xFF);
  rgb[2] = (int)(v & 0xFF);
  return 1;
}

/* Close enough that antialiased line pixels count, not so close that a
   neighbouring palette colour does. */
static int near(const int a[3], const int b[3]) {
  return abs(a[0] - b[0]) + abs(a[1] - b[1]) + abs(a[2] - b[2]) <= 60;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc % 2 != 0) {
    fprintf(stderr, "usage: pngcheck SHOT.png [RRGGBB MIN_PIXELS]...\n");
    return 2;
  }
  Image img = decode_png(argv[1]);
  size_t total = (size_t)img.width * img.height, inked = 0;
  int ncolours = (argc - 2) / 2, status = 0;
  int(*want)[3] = calloc((size_t)ncolours + 1, sizeof *want);
  size_t *hits = calloc((size_t)ncolours + 1, sizeof *hits);
  for (int c = 0; c < ncolours; c++)
    if (!parse_colour(argv[2 + 2 * c], want[c]))
      die(argv[2 + 2 * c], "not a colour RRGGBB");
  for (size_t i = 0; i < total; i++) {
    int rgb[3];
    pixel_rgb(&img, i, rgb);
    inked += rgb[0] < 240 || rgb[1] < 240 || rgb[2] < 240;
    for (int c = 0; c < ncolours; c++)
      hits[c] += near(rgb, want[c]);
  }
  double share = 100.0 * (double)inked / (double)total;
  printf("pngcheck: %s: %ux%u, %zu of %zu pixels not white (%.2f%%)\n", argv[1],
         (unsigned)img.width, (unsigned)img.height, inked, total, share);
  if (share < 0.5 || share > 60) {
    fprintf(stderr, "pngcheck: %s: looks blank or filled: %.2f%% of the pixels are drawn\n",
            argv[1], share);
    status = 1;
  }
  for (int c = 0; c < ncolours; c++) {
    long min = strtol(argv[3 + 2 * c], NULL, 10);
    printf("pngcheck: #%s: %zu pixels (at least %ld wanted)\n", argv[2 + 2 * c], hits[c], min);
    if ((long)hits[c] < min) {
      fprintf(stderr, "pngcheck: %s: too few pixels of #%s: a series is not drawn\n", argv[1],
              argv[2 + 2 * c]);
      status = 1;
    }
  }
  free(want);
  free(hits);
  free(img.pixels);
  return status;
}
