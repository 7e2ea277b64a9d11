/*
 * UFS throughput inside the guest: sequential write (+fsync) and read,
 * random 4 KiB reads and writes, file creates and deletes. Run as init
 * on a UFS root, and under qemu-riscv64 on the host's file system for scale.
 * Usage: diskbench [dir]   (default "/")
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MB 16
#define RANDOPS 2000
#define FILES 500

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "";
  static char buf[65536];
  char path[512];
  memset(buf, 'x', sizeof buf);
  snprintf(path, sizeof path, "%s/bench.dat", dir);

  double t0 = now();
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  for (int i = 0; i < MB * 16; i++) write(fd, buf, sizeof buf);
  fsync(fd);
  double t1 = now();
  lseek(fd, 0, SEEK_SET);
  while (read(fd, buf, sizeof buf) > 0) {}
  double t2 = now();
  srand(1);
  for (int i = 0; i < RANDOPS; i++) pread(fd, buf, 4096, (off_t)(rand() % (MB * 256)) * 4096);
  double t3 = now();
  for (int i = 0; i < RANDOPS; i++) pwrite(fd, buf, 4096, (off_t)(rand() % (MB * 256)) * 4096);
  fsync(fd);
  double t4 = now();
  close(fd);
  unlink(path);
  for (int i = 0; i < FILES; i++) {
    snprintf(path, sizeof path, "%s/f%d", dir, i);
    close(open(path, O_WRONLY | O_CREAT, 0644));
  }
  double t5 = now();
  for (int i = 0; i < FILES; i++) {
    snprintf(path, sizeof path, "%s/f%d", dir, i);
    unlink(path);
  }
  double t6 = now();
  printf("seqwrite %.1f MB/s\nseqread %.1f MB/s\nrandread %.1f MB/s\nrandwrite %.1f MB/s\ncreate %.0f/s\ndelete %.0f/s\n",
         MB / (t1 - t0), MB / (t2 - t1), RANDOPS * 4096 / 1048576.0 / (t3 - t2),
         RANDOPS * 4096 / 1048576.0 / (t4 - t3), FILES / (t5 - t4), FILES / (t6 - t5));
  return 0;
}
