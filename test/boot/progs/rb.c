/* init for shutdown tests: prints its argv, then reboot(2)s as the kenv test.how says (halt, poweroff, reboot). */
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  char how[32] = "";
  syscall(1001, 0, "test.how", how, sizeof how);   /* kenv(KENV_GET) */
  printf("init argv:");
  for (int i = 0; i < argc; i++) printf(" %s", argv[i]);
  printf(" how=%s\n", how);
  fflush(stdout);
  if (strcmp(how, "reboot") == 0) {
    usleep(300000);   /* time for a test to send SIGTERM to this boot */
    reboot(RB_AUTOBOOT);
  } else if (strcmp(how, "halt") == 0) {
    reboot(RB_HALT_SYSTEM);
  } else if (strcmp(how, "poweroff") == 0) {
    reboot(RB_POWER_OFF);
  }
  return 7;
}
