/*
 * UFS throughput inside the tab: write MiB to /ddtest in 64 KiB blocks,
 * fsync, read it back, and print both rates (bench/browser.ts reads them).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  int mib = argc > 1 ? atoi(argv[1]) : 16;
  static char buf[65536];
  memset(buf, 0xa5, sizeof buf);
  int fd = open("/ddtest", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    perror("open /ddtest");
    return 1;
  }
  double t0 = now();
  for (int i = 0; i < mib * 16; i++) {
    if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
      perror("write");
      return 1;
    }
  }
  fsync(fd);
  double t1 = now();
  lseek(fd, 0, SEEK_SET);
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) total += n;
  double t2 = now();
  close(fd);
  unlink("/ddtest");
  sync();
  printf("ufs write: %.1f MB/s\n", mib / (t1 - t0) * 1.048576);
  printf("ufs read: %.1f MB/s (%ld bytes)\n", (double)total / 1e6 / (t2 - t1), total);
  return 0;
}
