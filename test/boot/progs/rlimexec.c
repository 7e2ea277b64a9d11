/* RLIMIT_AS and RLIMIT_DATA survive execve: the new image's address space is limited too. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc == 1) {
    struct rlimit rl = { 64 << 20, 64 << 20 };
    setrlimit(RLIMIT_AS, &rl);
    execl(argv[0], argv[0], "child", (char *)0);
    return 2;
  }
  void *p = mmap(0, 128 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("after exec: mmap 128M %s errno %d\n", p == MAP_FAILED ? "failed" : "worked", p == MAP_FAILED ? errno : 0);
  p = mmap(0, 8 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("after exec: mmap 8M %s\n", p == MAP_FAILED ? "failed" : "worked");
  return 0;
}
