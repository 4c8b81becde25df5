/* inspect self-test: allocation seen through a helper. */
#include <stdlib.h>
#include <string.h>

typedef struct {
  float *data;
  size_t n;
} Buffer;

/* allocates, two levels below setup */
static float *make_floats(size_t n) { return calloc(n, sizeof(float)); }
static int buffer_init(Buffer *b, size_t n) {
  b->data = make_floats(n);
  b->n = n;
  return b->data != NULL;
}

/* allocates: through buffer_init -> make_floats -> calloc */
int setup(Buffer *b, size_t n) { return buffer_init(b, n); }

/* does not allocate: only reads and writes */
void compute(Buffer *b) {
  for (size_t i = 0; i < b->n; i++)
    b->data[i] *= 2;
  memset(b->data, 0, 0);
}

/* frees, which counts as allocating */
void teardown(Buffer *b) {
  free(b->data);
  b->data = NULL;
}
