/* inspect self-test: an unused parameter is a -Wextra warning (not -Wall),
   so this also proves the tool parses with -Wextra.  --diagnostics must
   fail, and so must any query. */
int twice(int x, int unused) {
  int y;
  for (y = 0; y < 2; y++)
    x += x;
  return x;
}
