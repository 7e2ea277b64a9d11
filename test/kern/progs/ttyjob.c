/* Job control through the console: ^C goes to the foreground group, a background
 * reader gets SIGTTIN (stopped), and console input reaches a canonical read. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
int main(void) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	pid_t c = fork();
	if (c == 0) {
		setpgid(0, 0);
		char b[8];
		read(0, b, 1);           /* background: SIGTTIN stops us */
		_exit(1);
	}
	setpgid(c, c);
	int st;
	waitpid(c, &st, WUNTRACED);
	printf("background reader stopped by: %d\n", WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	char line[64] = { 0 };
	int n = read(0, line, sizeof line - 1);
	printf("read %d: %s", n, line);
	return 0;
}
