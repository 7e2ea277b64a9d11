/*
 * Crash-test workload, run as init: creates, appends, renames, unlinks,
 * mkdir/rmdir in /rN (a new N each boot), with sync() now and then. Every
 * third step a file /rN/kI is written and fsync'ed, then "path len seed" is
 * appended to /journal and the journal is fsync'ed: every complete journal
 * line names a file that must survive a crash with exactly the contents
 * fill(seed, len). Prints "progress I" after each step; the test kills it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[70000];

static void fill(unsigned seed, int len) {
  for (int i = 0; i < len; i++) buf[i] = 'a' + (seed + i * 7 + i / 13) % 26;
}

static void fail(const char *what, const char *path) {
  printf("FAIL: %s %s (errno %d)\n", what, path, errno);
  fflush(stdout);
}

static int writeall(int fd, const char *p, int len) {
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n <= 0) return -1;
    p += n;
    len -= n;
  }
  return 0;
}

int main(void) {
  char dir[32], path[96], path2[96], line[160];
  int run = 0;
  for (;; run++) {
    snprintf(dir, sizeof dir, "/r%d", run);
    if (mkdir(dir, 0755) == 0) break;
    if (errno != EEXIST || run > 1000) { fail("mkdir", dir); return 1; }
  }
  printf("run %d\n", run);
  fflush(stdout);
  int jfd = open("/journal", O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (jfd < 0) { fail("open", "/journal"); return 1; }
  unsigned rnd = 12345 + run * 7919;
  for (int i = 0; i < 2000; i++) {
    rnd = rnd * 1103515245 + 12345;
    int len = (rnd >> 8) % 20000 + 1;
    /* churn: create, append, rename, unlink an older one */
    snprintf(path, sizeof path, "%s/t%d", dir, i);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { fail("create", path); return 1; }
    fill(rnd, len);
    if (writeall(fd, buf, len)) { fail("write", path); return 1; }
    close(fd);
    fd = open(path, O_WRONLY | O_APPEND);
    if (fd < 0 || writeall(fd, buf, len / 2 + 1)) { fail("append", path); return 1; }
    close(fd);
    snprintf(path2, sizeof path2, "%s/u%d", dir, i);
    if (rename(path, path2)) { fail("rename", path); return 1; }
    if (i >= 2) {
      snprintf(path, sizeof path, "%s/u%d", dir, i - 2);
      if (unlink(path)) { fail("unlink", path); return 1; }
    }
    snprintf(path, sizeof path, "%s/d%d", dir, i);
    if (mkdir(path, 0755)) { fail("mkdir", path); return 1; }
    snprintf(path2, sizeof path2, "%s/d%d/x", dir, i);
    fd = open(path2, O_WRONLY | O_CREAT, 0644);
    if (fd < 0 || writeall(fd, buf, 100)) { fail("create", path2); return 1; }
    close(fd);
    if (i % 2 == 0) {
      if (unlink(path2) || rmdir(path)) { fail("rmdir", path); return 1; }
    }
    if (i % 3 == 0) {
      unsigned seed = rnd ^ (unsigned)i;
      int klen = (rnd >> 4) % 20000 + 1;
      snprintf(path, sizeof path, "%s/k%d", dir, i);
      fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      fill(seed % 1000000, klen);
      if (fd < 0 || writeall(fd, buf, klen) || fsync(fd)) { fail("fsync", path); return 1; }
      close(fd);
      int n = snprintf(line, sizeof line, "%s %d %u\n", path, klen, seed % 1000000);
      if (writeall(jfd, line, n) || fsync(jfd)) { fail("journal", path); return 1; }
    }
    if (i % 10 == 9) sync();
    printf("progress %d\n", i);
    fflush(stdout);
  }
  close(jfd);
  printf("passed\n");
  return 0;
}
