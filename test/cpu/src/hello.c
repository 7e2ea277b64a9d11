#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  printf("hello, world from %s (%d args)\n", argv[0] ? "riscv" : "?", argc);
  long long acc = 1;
  for (int i = 1; i < 20; i++) acc = acc * 3 + i / 2 - (acc % 7);
  printf("acc=%lld %llx %lu\n", acc, (unsigned long long)acc * 0x9e3779b97f4a7c15ull, strlen(argv[0]));
  char *p = malloc(100000);
  memset(p, 'x', 99999);
  p[99999] = 0;
  printf("len=%zu %.3f\n", strlen(p), 3.14159 * argc);
  return 3;
}
