/*
 * misbehave: guests that try to hurt the kernel, each in a child so the
 * parent can report how it ended and show that life goes on: an infinite
 * loop stopped by a watchdog alarm, an illegal instruction, a jump to
 * address 0, unbounded recursion, a fork bomb bounded by RLIMIT_NPROC,
 * memory requests far beyond what exists, and a flood of tiny mmaps.
 */
#include "corpus.h"

#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

static int
spin(void)
{
	volatile unsigned long n = 0;

	alarm(1);	/* the watchdog: SIGALRM's default action kills */
	for (;;)
		n++;
}

static int ready[2];

static int
spin_blocked_signals(void)
{
	sigset_t all;

	/* SIGKILL cannot be blocked: the parent's kill still ends us. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	write(ready[1], "r", 1);
	for (;;)
		;
}

static int
illegal(void)
{
	__asm__ volatile(".word 0xffffffff");
	return 0;
}

static int
jump_to_zero(void)
{
	void (*volatile fn)(void) = NULL;

	fn();
	return 0;
}

static int
recurse(int n)
{
	volatile char frame[4096];

	frame[0] = (char)n;
	frame[4095] = (char)n;
	return recurse(n + 1) + frame[0] + frame[4095];
}

static int
overflow(void)
{
	return recurse(0);
}

/*
 * Each member of the bomb forks as often as it can (at most 4 times),
 * stopping at the first EAGAIN, then waits for its children.  The exit
 * status carries whether EAGAIN was seen anywhere below.
 */
static int
bomb_member(int depth)
{
	int saw = 0, kids = 0;
	pid_t pid;

	while (kids < 4 && depth < 8) {
		pid = fork();
		if (pid == 0)
			_exit(bomb_member(depth + 1));
		if (pid < 0) {
			saw |= errno == EAGAIN;
			break;
		}
		kids++;
	}
	while (kids-- > 0) {
		int st;

		if (wait(&st) > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 1)
			saw = 1;
	}
	return saw;
}

static int
fork_bomb(void)
{
	struct rlimit rl = { 12, 12 };

	/*
	 * Under qemu-user a forked child that cannot start its helper thread
	 * aborts with a message on stdout; keep that out of our output.
	 */
	close(1);
	close(2);
	/* Root is exempt from RLIMIT_NPROC on Linux: become nobody first. */
	if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
		return 3;
	if (setrlimit(RLIMIT_NPROC, &rl) != 0)
		return 4;
	return bomb_member(0);
}

static int
huge_malloc(void)
{
	/* 1 TiB: more than any host qemu runs on commits (see malloc.c). */
	void *p = malloc((size_t)1 << 40);

	if (p != NULL)
		return 1;
	if (errno != ENOMEM)
		return 2;
	p = mmap(NULL, (size_t)1 << 40, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED)
		return 3;
	if (errno != ENOMEM)
		return 4;
	if (sbrk((intptr_t)1 << 40) != (void *)-1)
		return 5;
	return 0;
}

static int
many_mmaps(void)
{
	/* 5000 separate one-page mappings (alternating protections so they
	 * cannot merge), then unmap them all. */
	static char *p[5000];
	long pg = sysconf(_SC_PAGESIZE);

	for (int i = 0; i < 5000; i++) {
		p[i] = mmap(NULL, (size_t)pg, i & 1 ? PROT_READ : PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p[i] == MAP_FAILED)
			return 1;
	}
	for (int i = 0; i < 5000; i++)
		if (munmap(p[i], (size_t)pg) != 0)
			return 2;
	return 0;
}

static void
report(const char *what, int (*fn)(void))
{
	printf("%-38s %s\n", what, corpus_status(corpus_child(fn)));
}

int
main(void)
{
	int st;
	pid_t pid;

	corpus_init();
	report("infinite loop with alarm(1):", spin);
	report("illegal instruction:", illegal);
	report("jump to address 0:", jump_to_zero);
	report("unbounded recursion:", overflow);
	report("fork bomb under RLIMIT_NPROC=12:", fork_bomb);
	report("1 TiB malloc, mmap and sbrk:", huge_malloc);
	report("5000 one-page mmaps:", many_mmaps);

	/* A spinner with every signal blocked still dies by SIGKILL. */
	pipe(ready);
	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(spin_blocked_signals());
	{
		char c;
		read(ready[0], &c, 1);	/* its signals are blocked now */
	}
	kill(pid, SIGTERM);	/* blocked: stays pending */
	usleep(50000);
	CHECK(waitpid(pid, &st, WNOHANG) == 0, "a spinner with SIGTERM blocked keeps running");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	printf("%-38s %s\n", "spinner, all signals blocked, SIGKILL:", corpus_status(st));

	printf("the parent is still here\n");
	return corpus_done();
}
