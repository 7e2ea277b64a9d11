/* Signal corners the corpus does not cover: sigsuspend, sigtimedwait, itimer,
 * nanosleep interrupted (EINTR + remainder), SA_RESTART on a pipe read,
 * SA_RESETHAND, sigaltstack, stop/continue with WUNTRACED/WCONTINUED, vfork. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int hits, alt_ok;
static char altstack[65536];
static void h(int s) { (void)s; hits++; }
static void onalt(int s) { int x; (void)s; alt_ok = (char *)&x >= altstack && (char *)&x < altstack + sizeof altstack; }

int main(void) {
	struct sigaction sa;
	sigset_t m, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sigaction(SIGUSR1, &sa, 0);
	sigaction(SIGALRM, &sa, 0);

	/* sigsuspend returns EINTR after the handler ran, the old mask comes back. */
	sigemptyset(&m); sigaddset(&m, SIGUSR1);
	sigprocmask(SIG_BLOCK, &m, &old);
	kill(getpid(), SIGUSR1);
	printf("pending before suspend: %d\n", hits);
	sigset_t empty; sigemptyset(&empty);
	int r = sigsuspend(&empty);
	printf("sigsuspend: %d %s hits=%d\n", r, strerror(errno), hits);
	sigset_t now; sigprocmask(SIG_SETMASK, 0, &now);
	printf("mask restored: %d\n", sigismember(&now, SIGUSR1));

	/* sigtimedwait takes a blocked signal without running the handler. */
	kill(getpid(), SIGUSR1);
	siginfo_t si;
	int s = sigwaitinfo(&m, &si);
	printf("sigwaitinfo: %d code=%d pid_ok=%d hits=%d\n", s, si.si_code, si.si_pid == getpid(), hits);
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	errno = 0;
	printf("sigtimedwait timeout: %d %s\n", sigtimedwait(&m, &si, &ts), strerror(errno));
	sigprocmask(SIG_SETMASK, &old, 0);

	/* ITIMER_REAL interrupts nanosleep: EINTR and a remainder. */
	struct itimerval it = { { 0, 0 }, { 0, 50 * 1000 } };
	setitimer(ITIMER_REAL, &it, 0);
	struct timespec req = { 5, 0 }, rem = { 0, 0 };
	r = nanosleep(&req, &rem);
	printf("nanosleep: %d %s rem_ok=%d hits=%d\n", r, strerror(errno), rem.tv_sec >= 3 && rem.tv_sec <= 5, hits);

	/* SA_RESTART: a read interrupted by a handler resumes. */
	int p[2]; pipe(p);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, 0);
	pid_t c = fork();
	if (c == 0) { usleep(100 * 1000); write(p[1], "x", 1); _exit(0); }
	struct itimerval it2 = { { 0, 0 }, { 0, 30 * 1000 } };
	setitimer(ITIMER_REAL, &it2, 0);
	char b;
	r = read(p[0], &b, 1);
	printf("restarted read: %d %c hits=%d\n", r, b, hits);
	waitpid(c, 0, 0);

	/* SA_RESETHAND: the second SIGUSR2 kills. */
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR2, &sa, 0);
	raise(SIGUSR2);
	struct sigaction cur; sigaction(SIGUSR2, 0, &cur);
	printf("resethand: %d\n", cur.sa_handler == SIG_DFL);

	/* sigaltstack + SA_ONSTACK. */
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
	sigaltstack(&ss, 0);
	sa.sa_handler = onalt; sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &sa, 0);
	raise(SIGUSR2);
	printf("altstack used: %d\n", alt_ok);

	/* Stop, continue, and a kill, seen by the parent. */
	int st;
	c = fork();
	if (c == 0) { for (;;) pause(); }
	kill(c, SIGSTOP);
	waitpid(c, &st, WUNTRACED);
	printf("stopped: %d sig=%d\n", WIFSTOPPED(st), WSTOPSIG(st));
	kill(c, SIGCONT);
	waitpid(c, &st, WCONTINUED);
	printf("continued: %d\n", WIFCONTINUED(st));
	kill(c, SIGTERM);
	waitpid(c, &st, 0);
	printf("killed: %d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));

	/* A core-dumping signal reports the core flag only if a core was written: Linux says no
	 * with RLIMIT_CORE 0; we check WTERMSIG only. */
	c = fork();
	if (c == 0) { *(volatile int *)8 = 1; _exit(0); }
	waitpid(c, &st, 0);
	printf("segv child: sig=%d\n", WTERMSIG(st));

	/* vfork: the parent waits until the child exits. */
	volatile int shared = 0;
	c = vfork();
	if (c == 0) { shared = 42; _exit(3); }
	waitpid(c, &st, 0);
	printf("vfork: status=%d\n", WEXITSTATUS(st)); (void)shared;
	return 0;
}
