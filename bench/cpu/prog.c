/* A "real program" workload for bench/mips.ts: sieve, sort, string hashing, printf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) {
  unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
  return x < y ? -1 : x > y;
}

int main(void) {
  enum { N = 2000000, M = 200000 };
  char *sieve = calloc(N, 1);
  int primes = 0;
  for (int i = 2; i < N; i++) {
    if (sieve[i]) continue;
    primes++;
    for (long j = (long)i * i; j < N; j += i) sieve[j] = 1;
  }
  unsigned *v = malloc(M * sizeof *v);
  unsigned s = 12345;
  for (int i = 0; i < M; i++) v[i] = s = s * 1103515245 + 12345;
  qsort(v, M, sizeof *v, cmp);
  char buf[64];
  unsigned long h = 5381;
  for (int i = 0; i < M; i += 7) {
    snprintf(buf, sizeof buf, "%u:%d", v[i], i);
    for (char *p = buf; *p; p++) h = h * 33 + (unsigned char)*p;
  }
  printf("primes=%d min=%u max=%u hash=%lx\n", primes, v[0], v[M - 1], h);
  return 0;
}
