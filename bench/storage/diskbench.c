/*
 * UFS throughput inside the guest: sequential write (+fsync) and read of a
 * 48 MiB file, random reads and writes of 4 KiB and 64 KiB records over it
 * (writes end with fsync), then creates and deletes of small files in a
 * directory tree. Run as init on a UFS root, and under qemu-riscv64 on the
 * host's file system for scale.
 *
 * usage: diskbench [dir]   (default "/")
 * Prints "<metric> <value> <unit>" lines.
 */
#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILEMB 48
#define DIRS 30
#define PERDIR 100              /* DIRS * PERDIR small files */
#define SMALL 700               /* bytes in each */

static uint32_t seed = 12345;

static uint32_t rnd(void) {     /* xorshift32: the same offsets everywhere */
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static char buf[65536];

static void report(const char *name, double v, const char *unit) {
  printf("%s %.1f %s\n", name, v, unit);
  fflush(stdout);
}

/* ops random records of rec bytes: pread or pwrite; the rate in MB/s. */
static double randio(int fd, size_t rec, int ops, int writing) {
  long nrec = (long)FILEMB * 1048576 / rec;
  double t0 = now();
  for (int i = 0; i < ops; i++) {
    off_t off = (off_t)(rnd() % nrec) * rec;
    ssize_t n = writing ? pwrite(fd, buf, rec, off) : pread(fd, buf, rec, off);
    if (n != (ssize_t)rec) err(1, writing ? "pwrite" : "pread");
  }
  if (writing && fsync(fd) != 0) err(1, "fsync");
  return (double)ops * rec / 1048576.0 / (now() - t0);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "";
  char path[512];
  if (argc > 2) {
    fprintf(stderr, "usage: diskbench [dir]\n");
    return 64;
  }
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = 'a' + i % 26;
  snprintf(path, sizeof path, "%s/bench.dat", dir);

  double t0 = now();
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) err(1, "%s", path);
  for (int i = 0; i < FILEMB * 16; i++)
    if (write(fd, buf, sizeof buf) != sizeof buf) err(1, "write");
  if (fsync(fd) != 0) err(1, "fsync");
  report("seqwrite", FILEMB / (now() - t0), "MB/s");
  t0 = now();
  lseek(fd, 0, SEEK_SET);
  while (read(fd, buf, sizeof buf) > 0) {}
  report("seqread", FILEMB / (now() - t0), "MB/s");
  report("randread4k", randio(fd, 4096, 4000, 0), "MB/s");
  report("randwrite4k", randio(fd, 4096, 4000, 1), "MB/s");
  report("randread64k", randio(fd, 65536, 600, 0), "MB/s");
  report("randwrite64k", randio(fd, 65536, 600, 1), "MB/s");
  close(fd);
  unlink(path);

  t0 = now();
  for (int d = 0; d < DIRS; d++) {
    snprintf(path, sizeof path, "%s/d%d", dir, d);
    if (mkdir(path, 0755) != 0) err(1, "mkdir %s", path);
    for (int i = 0; i < PERDIR; i++) {
      snprintf(path, sizeof path, "%s/d%d/file-%d", dir, d, i);
      int f = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
      if (f < 0 || write(f, buf, SMALL) != SMALL) err(1, "%s", path);
      close(f);
    }
  }
  sync();
  report("create", DIRS * PERDIR / (now() - t0), "files/s");
  t0 = now();
  for (int d = 0; d < DIRS; d++) {
    for (int i = 0; i < PERDIR; i++) {
      snprintf(path, sizeof path, "%s/d%d/file-%d", dir, d, i);
      if (unlink(path) != 0) err(1, "unlink %s", path);
    }
    snprintf(path, sizeof path, "%s/d%d", dir, d);
    if (rmdir(path) != 0) err(1, "rmdir %s", path);
  }
  sync();
  report("delete", DIRS * PERDIR / (now() - t0), "files/s");
  return 0;
}
