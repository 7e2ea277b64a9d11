/* A vfork parent with a pending caught signal still gets the child's pid. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile int got;
static void h(int s) { (void)s; got++; }
int main(void) {
	signal(SIGALRM, h);
	struct sigaction sa; sigaction(SIGALRM, 0, &sa);
	pid_t c = vfork();
	if (c == 0) { kill(getppid(), SIGALRM); usleep(50000); _exit(5); }
	int st;
	printf("vfork returned child: %d\n", c > 0);
	printf("waitpid: %d status=%d got=%d\n", waitpid(c, &st, 0) == c, WEXITSTATUS(st), got);
	return 0;
}
