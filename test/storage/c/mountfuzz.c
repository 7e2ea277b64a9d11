/*
 * Corrupt-image probe, run as init from a CD root: mount(2) /dev/vkd0 (ufs)
 * and /dev/vcd1 (cd9660) if present, walk every directory, stat and read
 * every file, and on the UFS disk create, write and remove a file, then
 * unmount. Every error is printed; the test only wants no panic, no hang
 * and "done" at the end.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int budget = 2000;
static char buf[65536];

static void walk(const char *dir, int depth) {
  if (depth > 12 || budget <= 0) return;
  DIR *d = opendir(dir);
  if (!d) { printf("opendir %s: %s\n", dir, strerror(errno)); return; }
  struct dirent *e;
  errno = 0;
  while ((e = readdir(d)) && budget-- > 0) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(p, &st)) { printf("stat %s: %s\n", p, strerror(errno)); continue; }
    if (S_ISDIR(st.st_mode)) walk(p, depth + 1);
    else if (S_ISLNK(st.st_mode)) { char l[256]; if (readlink(p, l, sizeof l) < 0) printf("readlink %s: %s\n", p, strerror(errno)); }
    else if (S_ISREG(st.st_mode)) {
      int fd = open(p, O_RDONLY);
      if (fd < 0) { printf("open %s: %s\n", p, strerror(errno)); continue; }
      ssize_t n;
      long total = 0;
      while ((n = read(fd, buf, sizeof buf)) > 0 && total < (1 << 22)) total += n;
      if (n < 0) printf("read %s: %s\n", p, strerror(errno));
      close(fd);
    }
    errno = 0;
  }
  if (errno) printf("readdir %s: %s\n", dir, strerror(errno));
  closedir(d);
}

static void try_fs(const char *dev, const char *type, int writable) {
  if (access(dev, F_OK) != 0) return;
  if (mount(dev, "/mnt", type, writable ? 0 : MS_RDONLY, NULL) != 0) {
    printf("mount %s: %s\n", dev, strerror(errno));
    if (!writable || mount(dev, "/mnt", type, MS_RDONLY, NULL) != 0) return;
    printf("mount %s read-only: ok\n", dev);
    writable = 0;
  } else printf("mount %s: ok\n", dev);
  fflush(stdout);
  walk("/mnt", 0);
  if (writable) {
    int fd = open("/mnt/newfile", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) printf("create: %s\n", strerror(errno));
    else {
      if (write(fd, buf, 20000) < 0) printf("write: %s\n", strerror(errno));
      if (fsync(fd)) printf("fsync: %s\n", strerror(errno));
      close(fd);
      if (unlink("/mnt/newfile")) printf("unlink: %s\n", strerror(errno));
    }
    if (mkdir("/mnt/newdir", 0755) == 0 && rmdir("/mnt/newdir")) printf("rmdir: %s\n", strerror(errno));
  }
  printf("umount %s: %s\n", dev, umount("/mnt") ? strerror(errno) : "ok");
  fflush(stdout);
}

int main(void) {
  try_fs("/dev/vkd0", "ufs", 1);
  try_fs("/dev/vcd1", "cd9660", 0);
  printf("done\n");
  return 0;
}
