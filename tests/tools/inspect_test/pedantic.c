/* inspect self-test: a zero-length array is accepted by clang without
   -pedantic; with it, it is a warning, which must fail the run. */
struct packet {
  int n;
  int data[0];
};

int packet_size(const struct packet *p) { return p->n; }
