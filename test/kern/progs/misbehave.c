/* A misbehaving guest is stopped with the right signal or errno, and others go on. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t last;
static int run(void (*f)(void), int secs) {
	pid_t c = last = fork();
	if (c == 0) { alarm(secs); f(); _exit(0); }
	int st;
	waitpid(c, &st, 0);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}
static void loop(void) { for (;;) ; }
static void illegal(void) { __asm__ volatile(".word 0"); }
static void jump0(void) { ((void (*)(void))0)(); }
static int deep(int n) { volatile char buf[4096]; buf[0] = n; return n ? deep(n - 1) + buf[0] : 0; }
static void overflow(void) { deep(1 << 30); }
static void bigmalloc(void) { void *p = malloc(10UL << 30); _exit(p == NULL && errno == ENOMEM ? 7 : 8); }
static void ebreak(void) { __asm__ volatile("ebreak"); }
static void forkbomb(void) {
	int n = 0;
	setpgid(0, 0);
	for (;;) {
		pid_t c = fork();
		if (c == 0) { pause(); _exit(0); }
		if (c < 0) { _exit(errno == EAGAIN && n > 10 ? 9 : 10); }
		n++;
	}
}

int main(void) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("loop: %d\n", run(loop, 1));
	printf("illegal: %d\n", run(illegal, 5));
	printf("jump0: %d\n", run(jump0, 5));
	printf("overflow: %d\n", run(overflow, 20));
	printf("bigmalloc: %d\n", run(bigmalloc, 5));
	printf("ebreak: %d\n", run(ebreak, 5));
	struct rlimit rl = { 60, 60 };
	setrlimit(RLIMIT_NPROC, &rl);
	if (setuid(1000) != 0 && getuid() == 0) printf("setuid failed\n");
	printf("forkbomb: %d\n", run(forkbomb, 30));
	printf("cleanup: %d\n", kill(-last, SIGKILL));
	while (wait(NULL) > 0)
		;
	return 0;
}
