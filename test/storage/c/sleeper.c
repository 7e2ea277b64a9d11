/* Holds the vkernel (and so its disk lock) for a while: prints a marker, sleeps. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("sleeper up\n");
  fflush(stdout);
  sleep(20);
  return 0;
}
