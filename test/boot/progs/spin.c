/* A CPU-bound init for ddb tests: spins in a frame-pointer function until SIGUSR2 (clean exit 0). */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t done;
static void usr2(int s) { (void)s; done = 1; }

__attribute__((noinline)) static long spin(long n) {
  volatile long x = 0;
  while (!done) x += n;
  return x;
}

int main(void) {
  signal(SIGUSR2, usr2);
  printf("spinning\n");
  fflush(stdout);
  spin(3);
  printf("got SIGUSR2\n");
  return 0;
}
