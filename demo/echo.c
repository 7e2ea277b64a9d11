/* An interactive demo: echo each line typed at the console back in upper case. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  char line[256];
  printf("Type a line (\"exit\" or ^D to stop):\n");
  for (;;) {
    printf("echo> ");
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin)) break;
    line[strcspn(line, "\n")] = 0;
    if (strcmp(line, "exit") == 0) break;
    for (char *p = line; *p; p++) *p = (char)toupper((unsigned char)*p);
    printf("%s\n", line);
  }
  return 0;
}
