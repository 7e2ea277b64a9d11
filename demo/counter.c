/*
 * A demo that writes to its root disk: count the boots in /count, sync,
 * and say the number. Booted twice from a disk image, it shows that what a
 * program syncs survives a reload of the page (IndexedDB write-back).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  char buf[32] = {0};
  int fd = open("/count", O_RDWR | O_CREAT, 0644);
  if (fd < 0) {
    perror("open /count");
    return 1;
  }
  long n = 0;
  if (read(fd, buf, sizeof buf - 1) > 0) n = strtol(buf, NULL, 10);
  n++;
  int len = snprintf(buf, sizeof buf, "%ld\n", n);
  if (pwrite(fd, buf, (size_t)len, 0) != len || fsync(fd) != 0) {
    perror("write /count");
    return 1;
  }
  close(fd);
  sync();
  printf("boot count: %ld\n", n);
  return 0;
}
