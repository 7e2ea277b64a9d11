/* The smallest demo: a static riscv64 glibc program printing through the console tty. */
#include <stdio.h>
#include <sys/utsname.h>

int main(void) {
  struct utsname u;
  uname(&u);
  printf("Hello from riscv64 userland on the vkernel!\n");
  printf("uname: %s %s %s\n", u.sysname, u.release, u.machine);
  return 0;
}
