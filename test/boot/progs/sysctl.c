/* The sysctl (1000) and kenv (1001) system calls from user space, as sysctl(8) and kenv(1) use them. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#define SYS___sysctl 1000
#define SYS_kenv 1001
#define KENV_GET 0
#define KENV_SET 1
#define KENV_UNSET 2
#define KENV_DUMP 3

static int sysctl(const int *name, unsigned namelen, void *old, size_t *oldlen, const void *new, size_t newlen) {
  return syscall(SYS___sysctl, name, namelen, old, oldlen, new, newlen);
}

static int name2oid(const char *name, int *mib, size_t *len) {
  int q[2] = {0, 3};
  size_t l = *len * sizeof(int);
  if (sysctl(q, 2, mib, &l, name, strlen(name)) < 0) return -1;
  *len = l / sizeof(int);
  return 0;
}

static int sysctlbyname(const char *name, void *old, size_t *oldlen, const void *new, size_t newlen) {
  int mib[24];
  size_t n = 24;
  if (name2oid(name, mib, &n) < 0) return -1;
  return sysctl(mib, n, old, oldlen, new, newlen);
}

static void str(const char *name) {
  char buf[256];
  size_t len = sizeof buf;
  if (sysctlbyname(name, buf, &len, 0, 0) < 0) { printf("%s: errno %d\n", name, errno); return; }
  printf("%s: %s (len %zu)\n", name, buf, len);
}

static void num(const char *name) {
  long v = 0;
  size_t len = sizeof v;
  if (sysctlbyname(name, &v, &len, 0, 0) < 0) { printf("%s: errno %d\n", name, errno); return; }
  printf("%s: %ld (len %zu)\n", name, len == 4 ? (long)(int)v : v, len);
}

int main(int argc, char **argv) {
  str("kern.ostype");
  str("hw.machine");
  num("hw.ncpu");
  num("hw.physmem");
  num("hw.pagesize");
  num("kern.maxproc");
  /* MIB by number: kern.ostype is {1, 1}. */
  int mib[2] = {1, 1};
  char buf[64];
  size_t len = sizeof buf;
  printf("mib 1.1: %d %s\n", sysctl(mib, 2, buf, &len, 0, 0), buf);
  /* size probe, then a short buffer */
  len = 0;
  sysctlbyname("kern.ostype", 0, &len, 0, 0);
  printf("probe: %zu\n", len);
  len = 3;
  memset(buf, 0, sizeof buf);
  int r = sysctlbyname("kern.ostype", buf, &len, 0, 0);
  printf("short: %d errno %d len %zu '%s'\n", r, errno, len, buf);
  errno = 0;
  printf("bogus: %d errno %d\n", sysctlbyname("kern.nosuchthing", buf, &len, 0, 0), errno);
  /* write kern.hostname, see it in uname */
  printf("sethost: %d\n", sysctlbyname("kern.hostname", 0, 0, "testhost", 8));
  struct utsname u;
  uname(&u);
  printf("uname nodename: %s\n", u.nodename);
  int one = 1;
  printf("write ro: %d errno %d\n", sysctlbyname("kern.ostype", 0, 0, "x", 1), errno);
  printf("vkernel_enable: %d\n", sysctlbyname("vm.vkernel_enable", 0, 0, &one, sizeof one));
  num("vm.vkernel_enable");
  num("vm.stats.vm.v_page_count");
  /* walk everything with next, as sysctl -a does */
  int cur[24], nextq[26];
  size_t curlen = 0, count = 0;
  int found_hostname = 0;
  for (;;) {
    nextq[0] = 0; nextq[1] = 2;
    memcpy(nextq + 2, cur, curlen * sizeof(int));
    int nmib[24];
    size_t nlen = sizeof nmib;
    if (sysctl(nextq, 2 + curlen, nmib, &nlen, 0, 0) < 0) { printf("next end errno %d\n", errno); break; }
    memcpy(cur, nmib, nlen);
    curlen = nlen / sizeof(int);
    int nameq[26] = {0, 1};
    memcpy(nameq + 2, cur, curlen * sizeof(int));
    char nm[128];
    size_t nml = sizeof nm;
    sysctl(nameq, 2 + curlen, nm, &nml, 0, 0);
    if (strcmp(nm, "kern.hostname") == 0) found_hostname = 1;
    count++;
  }
  printf("walk: %s, found kern.hostname %d\n", count > 20 ? "many" : "few", found_hostname);
  /* oidfmt of kern.boottime */
  int fq[24] = {0, 4};
  size_t bl = 22;
  name2oid("kern.boottime", fq + 2, &bl);
  unsigned char fmt[64];
  size_t fl = sizeof fmt;
  sysctl(fq, 2 + bl, fmt, &fl, 0, 0);
  printf("boottime fmt: %s kind-type %u\n", fmt + 4, *(unsigned *)fmt & 0xf);
  /* kern.proc.pid.<self> */
  int pq[24];
  size_t pl = 24;
  name2oid("kern.proc.pid", pq, &pl);
  pq[pl++] = getpid();
  unsigned char kp[256];
  size_t kl = sizeof kp;
  r = sysctl(pq, pl, kp, &kl, 0, 0);
  printf("kinfo: %d size %zu structsize %d pid ok %d comm %s\n", r, kl, *(int *)kp, *(int *)(kp + 4) == getpid(), kp + 168);
  /* kenv */
  char val[256];
  int n = syscall(SYS_kenv, KENV_GET, "init_path", val, sizeof val);
  printf("kenv init_path: %d %s\n", n, val);
  printf("kenv set: %ld\n", syscall(SYS_kenv, KENV_SET, "test.var", "hello", 6));
  n = syscall(SYS_kenv, KENV_GET, "test.var", val, sizeof val);
  printf("kenv get: %d %s\n", n, val);
  n = syscall(SYS_kenv, KENV_DUMP, "", NULL, 0);
  char *dump = malloc(n);
  syscall(SYS_kenv, KENV_DUMP, "", dump, n);
  printf("kenv dump has test.var: %d\n", memmem(dump, n, "test.var=hello", 15) != NULL);
  printf("kenv unset: %ld\n", syscall(SYS_kenv, KENV_UNSET, "test.var", NULL, 0));
  errno = 0;
  printf("kenv get gone: %ld errno %d\n", syscall(SYS_kenv, KENV_GET, "test.var", val, sizeof val), errno);
  /* modules: refused without -U */
  errno = 0;
  printf("finit_module: %ld errno %d\n", syscall(SYS_finit_module, 0, "", 0), errno);
  /* an ordinary user may read but not write */
  if (setuid(1000) < 0) return 2;
  errno = 0;
  printf("user write: %d errno %d\n", sysctlbyname("kern.hostname", 0, 0, "x", 1), errno);
  errno = 0;
  printf("user kenv set: %ld errno %d\n", syscall(SYS_kenv, KENV_SET, "a", "b", 2), errno);
  str("kern.hostname");
  return 0;
}
