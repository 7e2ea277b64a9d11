/*
 * vfsedge2: errno and semantics of the path and descriptor system calls, printed
 * one line per call so the output can be compared with qemu-riscv64's
 * (which runs them on the host's Linux). Works in a fresh directory under
 * /tmp. Candidates for test/corpus; today they are run by hand:
 *   riscv64-linux-gnu-gcc -static -O1 -o root/bin/x vfsedge2.c && diff <(qemu-riscv64 root/bin/x) \
 *     <(bin/vkernel -e vfs.root.mountfrom=hostfs:$PWD/root -e init_path=/bin/x | tr -d '\r')
 * Known difference: fcntl(-1, 9999) is EBADF on Linux and here, EINVAL under qemu.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <sys/time.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mman.h>
#define T(expr) do { errno = 0; long r = (long)(expr); printf("%-60s = %ld %s\n", #expr, r, r < 0 ? strerrorname_np(errno) : ""); } while (0)
int main(void) {
  char d[64]; strcpy(d, "/tmp/edgeXXXXXX"); if (!mkdtemp(d)) return 1; if (chdir(d)) return 2;
  char name[64]; int i;
  for (i = 0; i < 300; i++) { snprintf(name, sizeof name, "file-with-a-longish-name-%03d", i); close(open(name, O_CREAT|O_WRONLY, 0644)); }
  DIR *dir = opendir("."); struct dirent *e; int n = 0, del = 0;
  while ((e = readdir(dir))) { n++; if (n == 50) { for (i = 0; i < 300; i += 2) { snprintf(name, sizeof name, "file-with-a-longish-name-%03d", i); del += unlink(name) == 0; } } }
  closedir(dir); printf("seen=%d deleted=%d (>= 152 expected)\n", n, del); printf("%s\n", n >= 152 && n <= 302 ? "range ok" : "range bad");
  dir = opendir("."); n = 0; while ((e = readdir(dir))) n++; closedir(dir); printf("after=%d\n", n);
  int fd = open("data", O_CREAT|O_RDWR|O_TRUNC, 0600); T(fd);
  struct iovec iov[3] = {{"ab", 2}, {"", 0}, {"cdef", 4}}; T(writev(fd, iov, 3)); T(pwritev(fd, iov, 1, 10));
  char b1[3], b2[20]; struct iovec riov[2] = {{b1, 3}, {b2, 20}}; T(preadv(fd, riov, 2, 0)); printf("%.3s|%.9s\n", b1, b2 + 0);
  T(readv(fd, riov, -1)); T(writev(fd, iov, 1025));
  int fd2 = open("data", O_RDONLY); T(unlink("data")); char buf[32]; T(pread(fd2, buf, 32, 0)); struct stat sb; T(fstat(fd2, &sb)); printf("nlink=%ld\n", (long)sb.st_nlink);
  T(close(open("x", O_CREAT|O_WRONLY, 0644))); int fx = open("x", O_RDONLY); T(rename("x", "y")); T(fstat(fx, &sb)); printf("size=%ld\n", (long)sb.st_size);
  struct timespec ts[2] = {{12345, 678}, {23456, 999999999}}; T(utimensat(AT_FDCWD, "y", ts, 0)); T(stat("y", &sb)); printf("%ld.%09ld %ld.%09ld\n", (long)sb.st_atim.tv_sec, sb.st_atim.tv_nsec, (long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec);
  struct timespec bad[2] = {{0, 1000000000}, {0, 0}}; T(utimensat(AT_FDCWD, "y", bad, 0));
  struct statx sx; T(statx(AT_FDCWD, "y", 0, STATX_ALL, &sx)); printf("mask has basic=%d mode=%o\n", (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS, sx.stx_mode);
  int p[2]; pipe(p); T(fsync(p[0])); T(fdatasync(fd)); T(flock(fd, LOCK_EX)); T(syncfs(fd));
  int ef = eventfd(2, EFD_NONBLOCK); uint64_t v; T(read(ef, &v, 8)); printf("v=%lu\n", (unsigned long)v); T(read(ef, &v, 8));
  T(fcntl(fd, F_GETLK, &(struct flock){.l_type = F_WRLCK}));
  int big = open("big", O_CREAT|O_RDWR, 0644); T(ftruncate(big, 1 << 20)); T(lseek(big, 0, SEEK_END)); T(pwrite(big, "z", 1, 5000000)); T(fstat(big, &sb)); printf("size=%ld\n", (long)sb.st_size);
  char *m = mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, big, 0); T(m != MAP_FAILED); m[4096] = 'Q'; char c; T(pread(big, &c, 1, 4096)); printf("c=%c\n", c);
  T(pwrite(big, "R", 1, 4097)); printf("m=%c\n", m[4097]); T(ftruncate(big, 100)); 
  T(mkdir("dd", 0755)); T(chdir("dd")); T(rmdir("../dd")); char cwd[128]; T(getcwd(cwd, sizeof cwd) == NULL); T(open("new", O_CREAT|O_WRONLY, 0644)); T(chdir(".."));
  T(mkdir("/tmp", 0));
  T(symlink("loop", "loop")); T(open("loop", O_RDONLY)); T(stat("loop/x", &sb)); T(lstat("loop", &sb));
  T(readlink("loop", buf, sizeof buf));
  return 0;
}
