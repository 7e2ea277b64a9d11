/*
 * An interactive demo: echo each line typed at the console back in upper
 * case. "size" prints the terminal size (TIOCGWINSZ); a resize of the page's
 * terminal arrives as SIGWINCH and is announced.
 */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void winch(int sig) {
  (void)sig;
  static const char msg[] = "[SIGWINCH]\n";
  write(1, msg, sizeof msg - 1);
}

int main(void) {
  char line[256];
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = winch;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGWINCH, &sa, NULL);
  printf("Type a line (\"size\", \"exit\" or ^D to stop):\n");
  for (;;) {
    printf("echo> ");
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin)) break;
    line[strcspn(line, "\n")] = 0;
    if (strcmp(line, "exit") == 0) break;
    if (strcmp(line, "size") == 0) {
      struct winsize ws;
      if (ioctl(0, TIOCGWINSZ, &ws) == 0) printf("rows %d cols %d\n", ws.ws_row, ws.ws_col);
      else perror("TIOCGWINSZ");
      continue;
    }
    for (char *p = line; *p; p++) *p = (char)toupper((unsigned char)*p);
    printf("%s\n", line);
  }
  return 0;
}
