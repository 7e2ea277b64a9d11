/* CPU-time timers and limits: ITIMER_VIRTUAL, ITIMER_PROF, RLIMIT_CPU → SIGXCPU. */
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile int vt, pr, xc;
static void h(int s) { if (s == SIGVTALRM) vt++; else if (s == SIGPROF) pr++; else if (s == SIGXCPU) xc++; }
int main(void) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGVTALRM, h); signal(SIGPROF, h); signal(SIGXCPU, h);
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	setitimer(ITIMER_VIRTUAL, &it, 0);
	setitimer(ITIMER_PROF, &it, 0);
	while (vt < 3 || pr < 3) ;
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_VIRTUAL, &off, 0);
	setitimer(ITIMER_PROF, &off, 0);
	printf("virtual and prof fired: %d %d\n", vt >= 3, pr >= 3);
	pid_t c = fork();
	if (c == 0) {
		struct rlimit rl = { 1, 2 };
		setrlimit(RLIMIT_CPU, &rl);
		while (!xc) ;
		signal(SIGXCPU, SIG_DFL);
		for (;;) ;
	}
	int st;
	waitpid(c, &st, 0);
	printf("rlimit cpu: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
	return 0;
}
