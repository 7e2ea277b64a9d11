/*
 * A write workload for a UFS root, run as init_path: create, write, read,
 * rename, link, symlink, mkdir/rmdir, truncate, mmap (shared write + msync),
 * a large file, sync. Prints "ok: ..." lines and "passed" at the end; the
 * test then checks the image on the host.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

static int failures;

static void check(int cond, const char *what) {
  if (cond) printf("ok: %s\n", what);
  else { printf("FAIL: %s (errno %d)\n", what, errno); failures++; }
}

static int writefile(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, data, len);
  close(fd);
  return n == (ssize_t)len ? 0 : -1;
}

static ssize_t readfile(const char *path, char *buf, size_t max) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, max);
  close(fd);
  return n;
}

int main(void) {
  char buf[8192];
  check(mkdir("/work", 0755) == 0, "mkdir /work");
  check(writefile("/work/a.txt", "hello, disk\n", 12) == 0, "write a.txt");
  check(readfile("/work/a.txt", buf, sizeof buf) == 12 && memcmp(buf, "hello, disk\n", 12) == 0, "read a.txt back");
  check(rename("/work/a.txt", "/work/b.txt") == 0, "rename a.txt -> b.txt");
  check(access("/work/a.txt", F_OK) != 0 && errno == ENOENT, "a.txt is gone");
  check(link("/work/b.txt", "/work/hard.txt") == 0, "hard link");
  check(symlink("b.txt", "/work/sym") == 0, "symlink");
  ssize_t n = readlink("/work/sym", buf, sizeof buf);
  check(n == 5 && memcmp(buf, "b.txt", 5) == 0, "readlink");
  check(mkdir("/work/d", 0755) == 0 && rmdir("/work/d") == 0, "mkdir+rmdir");

  /* A 1 MiB file with a pattern, then read it back. */
  int fd = open("/work/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
  check(fd >= 0, "create big");
  for (int i = 0; i < 128; i++) {
    memset(buf, 'A' + i % 26, sizeof buf);
    if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) { check(0, "write big"); break; }
  }
  check(lseek(fd, 8192 * 77, SEEK_SET) == 8192 * 77 && read(fd, buf, 10) == 10 && buf[0] == 'A' + 77 % 26, "read big back");

  /* Shared mapping: change a page, msync, read it with read(2). */
  char *m = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check(m != MAP_FAILED, "mmap big");
  if (m != MAP_FAILED) {
    check(m[8192 * 3] == 'D', "mapped bytes match the file");
    memcpy(m + 4096, "MAPPED", 6);
    check(msync(m, 65536, MS_SYNC) == 0, "msync");
    munmap(m, 65536);
    check(pread(fd, buf, 6, 4096) == 6 && memcmp(buf, "MAPPED", 6) == 0, "read sees mapped write");
  }
  check(ftruncate(fd, 100000) == 0, "ftruncate");
  struct stat st;
  check(fstat(fd, &st) == 0 && st.st_size == 100000, "size after truncate");
  check(fsync(fd) == 0, "fsync");
  close(fd);

  check(writefile("/work/gone", "x", 1) == 0 && unlink("/work/gone") == 0, "create+unlink");

  /* An open file outlives its name; its blocks are freed at the last close. */
  fd = open("/work/tmpfile", O_RDWR | O_CREAT | O_TRUNC, 0600);
  check(fd >= 0 && unlink("/work/tmpfile") == 0, "unlink an open file");
  check(write(fd, buf, 5000) == 5000 && pread(fd, buf + 5000, 10, 0) == 10, "use it after unlink");
  close(fd);

  /* A directory of 300 entries through getdents64. */
  check(mkdir("/work/many", 0755) == 0, "mkdir many");
  for (int i = 0; i < 300; i++) {
    char name[64];
    snprintf(name, sizeof name, "/work/many/file-%03d-with-a-longer-name", i);
    if (writefile(name, "", 0) != 0) { check(0, "create many"); break; }
  }
  DIR *d = opendir("/work/many");
  int count = 0;
  struct dirent *de;
  while (d && (de = readdir(d)) != NULL) count++;
  if (d) closedir(d);
  check(count == 302, "readdir sees 300 entries plus . and ..");
  for (int i = 0; i < 300; i++) {
    char name[64];
    snprintf(name, sizeof name, "/work/many/file-%03d-with-a-longer-name", i);
    unlink(name);
  }
  check(rmdir("/work/many") == 0, "rmdir many");
  struct statfs sfs;
  check(statfs("/", &sfs) == 0 && sfs.f_type == 0x11954, "statfs says UFS");
  check(access("/dev/vkd0", F_OK) == 0, "/dev/vkd0 exists");
  int part = open("/dev/vkd0s0a", O_RDONLY);
  if (part >= 0) {
    /* The UFS1 superblock's magic, read through the partition device. */
    unsigned char sb[4];
    check(pread(part, sb, 4, 8192 + 1372) == 4 && sb[0] == 0x54 && sb[1] == 0x19 && sb[2] == 0x01, "UFS magic through /dev/vkd0s0a");
    close(part);
  }
  sync();
  printf("ok: sync returned\n");
  printf(failures ? "FAILED %d\n" : "passed\n", failures);
  return failures ? 1 : 0;
}
