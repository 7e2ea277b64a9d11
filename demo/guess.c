/*
 * An interactive demo: a number-guessing game reading lines from the tty,
 * so typing in the page's terminal reaches a guest program (canonical mode,
 * echo and line editing by the kernel's tty). The secret comes from the
 * command line if given (tests), else from getrandom().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

int main(int argc, char **argv) {
  unsigned int secret;
  if (argc > 1) {
    secret = (unsigned int)atoi(argv[1]);
  } else {
    if (getrandom(&secret, sizeof secret, 0) != sizeof secret) secret = 42;
    secret = secret % 100 + 1;
  }
  char line[128];
  int tries = 0;
  printf("I picked a number between 1 and 100. Guess it! (q quits)\n");
  for (;;) {
    printf("guess> ");
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin)) break;
    if (line[0] == 'q') break;
    char *end;
    long g = strtol(line, &end, 10);
    if (end == line) {
      printf("That is not a number.\n");
      continue;
    }
    tries++;
    if ((unsigned long)g == secret) {
      printf("Correct! %u in %d tries.\n", secret, tries);
      return 0;
    }
    printf("%ld is too %s.\n", g, (unsigned long)g < secret ? "low" : "high");
  }
  printf("Bye.\n");
  return 1;
}
