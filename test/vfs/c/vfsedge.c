/*
 * vfsedge: errno and semantics of the path and descriptor system calls, printed
 * one line per call so the output can be compared with qemu-riscv64's
 * (which runs them on the host's Linux). Works in a fresh directory under
 * /tmp. Candidates for test/corpus; today they are run by hand:
 *   riscv64-linux-gnu-gcc -static -O1 -o root/bin/x vfsedge.c && diff <(qemu-riscv64 root/bin/x) \
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
#include <sys/types.h>
#include <dirent.h>
#include <stdlib.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/ioctl.h>
#include <limits.h>
#include <sys/statfs.h>
#include <sys/time.h>
#define T(expr) do { errno = 0; long r = (long)(expr); printf("%-60s = %ld %s\n", #expr, r, r < 0 ? strerrorname_np(errno) : ""); } while (0)
int main(void) {
  char d[64]; strcpy(d, "/tmp/edgeXXXXXX"); if (!mkdtemp(d)) return 1; if (chdir(d)) return 2;
  umask(022);
  T(mkdir("a", 0777)); T(mkdir("a/", 0777)); T(mkdir("a/b/c", 0777)); T(mkdir("a/b", 0777));
  T(open("f", O_CREAT|O_WRONLY, 0666)); T(open("f/", O_RDONLY)); T(open("f/", O_CREAT|O_RDONLY, 0666));
  T(open("a", O_RDWR)); T(open("a", O_RDONLY|O_CREAT, 0666)); T(open("a", O_RDONLY|O_CREAT|O_EXCL, 0666));
  T(symlink("f", "lf")); T(symlink("nowhere", "dang")); T(symlink("a", "la"));
  T(open("dang", O_CREAT|O_WRONLY|O_EXCL, 0600)); T(open("dang", O_CREAT|O_WRONLY, 0600)); T(access("nowhere", F_OK));
  T(unlink("dang")); T(unlink("nowhere"));
  T(open("lf", O_RDONLY|O_NOFOLLOW)); T(open("la/", O_RDONLY|O_NOFOLLOW)); T(open("la", O_RDONLY|O_NOFOLLOW|O_DIRECTORY));
  T(rmdir("la")); T(unlink("la/")); T(rmdir("la/")); T(unlink("a")); T(rmdir("f")); T(rmdir(".")); T(rmdir("a/b/.."));
  T(rename("a", "a/b/x")); T(rename("a/b", "a/b")); T(rename("f", "a")); T(rename("a", "f")); T(rename("f", "f/"));
  T(rename("f", "g/")); T(rename("a/", "c")); T(rename("c", "a")); T(rename("f", "lf")); T(rename("lf", "lf2"));
  T(link("a", "a2")); T(link("f", "f2")); T(link("f", "f2")); T(link("f", "f3/")); T(link("nope", "n2"));
  T(symlink("", "empty")); T(symlink("x", "a")); T(readlink("f", d, 1));
  struct stat sb; T(stat("f", &sb)); printf("nlink=%ld mode=%o size=%ld\n", (long)sb.st_nlink, sb.st_mode, (long)sb.st_size);
  T(stat("a", &sb)); printf("dir nlink=%ld mode=%o\n", (long)sb.st_nlink, sb.st_mode);
  T(lstat("lf2", &sb)); printf("link mode=%o size=%ld\n", sb.st_mode, (long)sb.st_size);
  int fd = open("f", O_RDWR); T(fd);
  T(lseek(fd, -1, SEEK_SET)); T(lseek(fd, 100, SEEK_SET)); T(write(fd, "x", 1)); T(lseek(fd, 0, SEEK_END)); T(lseek(fd, 0, 7));
  T(ftruncate(fd, -1)); T(ftruncate(fd, 10)); T(pread(fd, d + 40, 4, -1)); T(read(fd, NULL, 0));
  T(fcntl(fd, F_GETFL) & ~O_LARGEFILE); T(fcntl(fd, F_SETFL, O_APPEND|O_RDONLY)); T(fcntl(fd, F_GETFL) & ~O_LARGEFILE); T(fcntl(fd, 9999));
  T(dup2(fd, fd)); T(dup3(fd, fd, 0)); T(dup2(fd, 100000)); T(fcntl(fd, F_DUPFD, -1));
  T(ioctl(fd, FIONREAD, &sb.st_size)); T(ioctl(fd, TIOCGWINSZ, d + 40));
  int p[2]; T(pipe(p)); T(lseek(p[0], 0, SEEK_CUR)); T(pread(p[0], d + 40, 1, 0)); T(write(p[1], "", 0)); T(fcntl(p[0], F_GETFL));
  T(fcntl(p[1], F_GETFL)); T(write(p[0], "x", 1)); T(read(p[1], d + 40, 1));
  struct pollfd pf[3] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {99, POLLIN, 0}}; T(poll(pf, 3, 0)); printf("revents %x %x %x\n", pf[0].revents, pf[1].revents, pf[2].revents);
  close(p[1]); pf[0].revents = 0; T(poll(pf, 1, 10)); printf("hup revents %x\n", pf[0].revents);
  fd_set rs; FD_ZERO(&rs); FD_SET(p[0], &rs); struct timeval tv = {0, 1000}; T(select(p[0] + 1, &rs, NULL, NULL, &tv)); 
  FD_ZERO(&rs); FD_SET(77, &rs); T(select(78, &rs, NULL, NULL, &tv));
  T(chdir("f")); T(chdir("nope")); T(fchdir(p[0]));
  char cwd[8]; T(getcwd(cwd, 2)); T(getcwd(NULL, 0) != NULL);
  T(truncate("a", 0)); T(truncate("nope", 0)); T(truncate("f", -1));
  T(faccessat(AT_FDCWD, "f", 8, 0)); T(faccessat(AT_FDCWD, "f", X_OK, 0)); T(access("a", X_OK|W_OK));
  T(utimensat(AT_FDCWD, "f", NULL, 0)); T(chmod("f", 04755)); T(stat("f", &sb)); printf("mode=%o\n", sb.st_mode);
  T(mknod("fifo", S_IFIFO|0644, 0)); T(mkfifo("fifo", 0644)); T(open("fifo", O_WRONLY|O_NONBLOCK)); T(open("fifo", O_RDONLY|O_NONBLOCK) >= 0);
  DIR *dir = opendir("."); int n = 0; while (readdir(dir)) n++; closedir(dir); printf("entries=%d\n", n);
  T(openat(fd, "x", O_RDONLY)); T(openat(99, "x", O_RDONLY)); T(openat(fd, "/tmp", O_RDONLY) >= 0);
  T(fstatat(fd, "", &sb, 0)); T(fstatat(fd, "", &sb, AT_EMPTY_PATH)); T(fstatat(AT_FDCWD, "", &sb, AT_EMPTY_PATH));
  T(unlinkat(AT_FDCWD, "a", AT_REMOVEDIR)); T(unlinkat(AT_FDCWD, "f", 0x1)); T(unlinkat(AT_FDCWD, "f", AT_REMOVEDIR));
  T(renameat2(AT_FDCWD, "f2", AT_FDCWD, "lf2", RENAME_NOREPLACE)); T(renameat2(AT_FDCWD, "f2", AT_FDCWD, "lf2", RENAME_EXCHANGE|RENAME_NOREPLACE));
  T(open("/dev/null", O_RDONLY|O_DIRECTORY)); T(open("/dev/null/", O_RDONLY));
  T(readlink("/proc/self/exe", d + 40, 0));
  return 0;
}
