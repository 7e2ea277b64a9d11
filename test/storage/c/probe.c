/*
 * Read-only root and procfs checks, run as init_path: writing to / fails
 * with EROFS (a CD root), /tmp is writable, procfs mounts with mount(2) and
 * shows /proc/self/exe, /proc/meminfo, /proc/cpuinfo, /proc/mounts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static void show(const char *path, const char *want) {
  char buf[4096];
  int fd = open(path, O_RDONLY);
  ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
  if (fd >= 0) close(fd);
  if (n < 0) { printf("%s: error %d\n", path, errno); return; }
  buf[n] = 0;
  char *line = strstr(buf, want);
  if (!line) { printf("%s: no %s\n", path, want); return; }
  char *nl = strchr(line, '\n');
  if (nl) *nl = 0;
  printf("%s: %s\n", path, line);
}

int main(int argc, char **argv) {
  int fd = open("/newfile", O_WRONLY | O_CREAT, 0644);
  printf("create in /: %s\n", fd < 0 ? strerror(errno) : "ok");
  if (fd >= 0) close(fd);
  fd = open("/tmp/x", O_WRONLY | O_CREAT, 0644);
  printf("create in /tmp: %s\n", fd < 0 ? strerror(errno) : "ok");
  if (fd >= 0) close(fd);
  if (mount("proc", "/proc", "procfs", 0, NULL) != 0) printf("mount procfs: %s\n", strerror(errno));
  char buf[256];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  buf[n < 0 ? 0 : n] = 0;
  printf("exe: %s\n", buf);
  show("/proc/meminfo", "MemTotal:");
  show("/proc/meminfo", "MemFree:");
  show("/proc/cpuinfo", "hart");
  show("/proc/mounts", " / ");
  show("/proc/self/status", "Pid:");

  /* The CD as a device: the primary volume descriptor at 32 KiB; no writing. */
  int cd = open("/dev/vcd0", O_RDWR);
  char vd[8] = {0};
  if (cd >= 0 && pread(cd, vd, 6, 32768) == 6) printf("vcd0 descriptor: %d %.5s\n", vd[0], vd + 1);
  else printf("vcd0: %s\n", strerror(errno));
  if (cd >= 0) {
    printf("vcd0 write: %s\n", pwrite(cd, "x", 1, 0) < 0 ? strerror(errno) : "ok");
    close(cd);
  }

  /* A data disk by mount(2), written, unmounted. */
  if (access("/dev/vkd0", F_OK) == 0) {
    if (mount("/dev/vkd0", "/mnt", "ufs", 0, NULL) != 0) printf("mount vkd0: %s\n", strerror(errno));
    int fd = open("/mnt/fromguest", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    printf("write on vkd0: %s\n", fd >= 0 && write(fd, "data disk\n", 10) == 10 ? "ok" : strerror(errno));
    if (fd >= 0) close(fd);
    printf("umount vkd0: %s\n", umount("/mnt") == 0 ? "ok" : strerror(errno));
  }
  return 0;
}
