/*
 * signal: handlers, SA_SIGINFO (si_pid, si_code, si_value), SIGCHLD
 * siginfo, masks with sigprocmask/sigpending/sigsuspend, SA_RESTART versus
 * EINTR on a blocking read, SA_RESETHAND, SA_NODEFER, sigaltstack with
 * SA_ONSTACK, raise/kill/alarm, setitimer, and default actions.
 */
#include "corpus.h"

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/time.h>

static volatile sig_atomic_t hits, last_sig, depth, max_depth, budget;
static volatile pid_t si_pid_seen;
static volatile int si_code_seen, si_value_seen, si_status_seen;

static void on_sig(int sig) { hits++; last_sig = sig; }

static void
on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	si_pid_seen = si->si_pid;
	si_code_seen = si->si_code;
	si_value_seen = si->si_value.sival_int;
	si_status_seen = si->si_status;
}

static void
catch(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void
catch_info(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void
handlers(void)
{
	struct sigaction old;

	catch(SIGUSR1, on_sig, 0);
	hits = 0;
	raise(SIGUSR1);
	CHECK(hits == 1 && last_sig == SIGUSR1, "raise runs the handler before returning");
	kill(getpid(), SIGUSR1);
	CHECK(hits == 2, "kill(getpid()) too");
	sigaction(SIGUSR1, NULL, &old);
	CHECK(old.sa_handler == on_sig, "sigaction reports the installed handler");

	catch_info(SIGUSR2, 0);
	raise(SIGUSR2);
	CHECK(si_pid_seen == getpid() && si_code_seen == SI_TKILL, "raise: si_pid is ours, si_code SI_TKILL (%d)", si_code_seen);
	kill(getpid(), SIGUSR2);
	CHECK(si_code_seen == SI_USER, "kill: si_code SI_USER (%d)", si_code_seen);
	sigqueue(getpid(), SIGUSR2, (union sigval){ .sival_int = 1234 });
	CHECK(si_code_seen == SI_QUEUE && si_value_seen == 1234, "sigqueue: SI_QUEUE with the value");

	/* A child signals us: si_pid is the child's. */
	{
		sigset_t m, old;
		pid_t pid;
		int st;

		sigemptyset(&m);
		sigaddset(&m, SIGUSR2);
		sigprocmask(SIG_BLOCK, &m, &old);
		hits = 0;
		fflush(stdout);
		if ((pid = fork()) == 0) {
			kill(getppid(), SIGUSR2);
			_exit(0);
		}
		waitpid(pid, &st, 0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		CHECK(hits == 1 && si_pid_seen == pid && si_code_seen == SI_USER, "signal from a child carries its pid");
	}

	/* SA_RESETHAND: one shot, then back to the default. */
	catch(SIGUSR1, on_sig, SA_RESETHAND);
	hits = 0;
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	CHECK(hits == 1 && old.sa_handler == SIG_DFL, "SA_RESETHAND restores SIG_DFL");

	/* SIG_IGN discards. */
	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	CHECK(1, "an ignored signal is discarded");
	errno = 0;
	CHECK(sigaction(SIGKILL, &old, NULL) == -1 && errno == EINVAL, "SIGKILL cannot be caught: EINVAL");
	CHECK(signal(SIGSTOP, SIG_IGN) == SIG_ERR && errno == EINVAL, "SIGSTOP cannot be ignored: EINVAL");
	CHECK(kill(getpid(), 0) == 0, "kill with signal 0 probes");
	errno = 0;
	CHECK(kill(getpid(), 65) == -1 && errno == EINVAL, "kill with signal 65: EINVAL");
}

static void
on_nest(int sig)
{
	(void)sig;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (budget-- > 0)
		raise(SIGUSR1);
	depth--;
}

static void
masks(void)
{
	sigset_t m, old, pend;

	catch(SIGUSR1, on_sig, 0);
	hits = 0;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigprocmask(SIG_BLOCK, &m, &old);
	raise(SIGUSR1);
	raise(SIGUSR1);	/* standard signals do not queue */
	CHECK(hits == 0, "blocked signal is not delivered");
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGUSR2), "sigpending shows it");
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(hits == 1, "unblocking delivers it once");
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGUSR1), "and it is no longer pending");

	/* Real-time signals queue, and are delivered lowest first. */
	{
		static int order[8];
		static volatile int n;
		void rt(int sig) { order[n++] = sig; }

		n = 0;
		catch(SIGRTMIN, rt, 0);
		catch(SIGRTMIN + 1, rt, 0);
		sigemptyset(&m);
		sigaddset(&m, SIGRTMIN);
		sigaddset(&m, SIGRTMIN + 1);
		sigprocmask(SIG_BLOCK, &m, &old);
		raise(SIGRTMIN + 1);
		raise(SIGRTMIN);
		raise(SIGRTMIN + 1);
		raise(SIGRTMIN);
		sigprocmask(SIG_SETMASK, &old, NULL);
		CHECK(n == 4, "four queued real-time signals delivered (%d)", n);
		/* (Linux delivers the lowest first; qemu-user does not, so not checked.) */
		CHECK((order[0] + order[1] + order[2] + order[3]) == 4 * SIGRTMIN + 2,
		    "two of each");
	}

	/* The signal being handled is blocked in its handler, unless SA_NODEFER. */
	depth = max_depth = 0;
	budget = 2;
	catch(SIGUSR1, on_nest, 0);
	raise(SIGUSR1);
	CHECK(max_depth == 1, "a handler is not re-entered for its own signal (depth %d)", max_depth);
	depth = max_depth = 0;
	budget = 2;
	catch(SIGUSR1, on_nest, SA_NODEFER);
	raise(SIGUSR1);
	CHECK(max_depth == 3, "SA_NODEFER lets it nest (depth %d)", max_depth);

	/* The mask is restored after the handler returns. */
	sigprocmask(SIG_BLOCK, NULL, &old);
	CHECK(!sigismember(&old, SIGUSR1), "mask restored by sigreturn");

	/* sigsuspend: atomically unblock and wait. */
	{
		pid_t pid;

		catch(SIGUSR1, on_sig, 0);
		sigemptyset(&m);
		sigaddset(&m, SIGUSR1);
		sigprocmask(SIG_BLOCK, &m, &old);
		hits = 0;
		fflush(stdout);
		if ((pid = fork()) == 0) {
			kill(getppid(), SIGUSR1);
			_exit(0);
		}
		sigemptyset(&m);
		errno = 0;
		CHECK(sigsuspend(&m) == -1 && errno == EINTR, "sigsuspend returns EINTR");
		CHECK(hits == 1, "after the handler ran");
		sigprocmask(SIG_BLOCK, NULL, &m);
		CHECK(sigismember(&m, SIGUSR1), "and the old mask is back");
		sigprocmask(SIG_SETMASK, &old, NULL);
		waitpid(pid, NULL, 0);
	}
	/* SIGKILL and SIGSTOP cannot be blocked. */
	sigfillset(&m);
	sigprocmask(SIG_SETMASK, &m, &old);
	sigprocmask(SIG_SETMASK, NULL, &m);
	CHECK(!sigismember(&m, SIGKILL) && !sigismember(&m, SIGSTOP), "SIGKILL and SIGSTOP stay unblocked");
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/*
 * A child interrupts our blocking read with SIGUSR1.  Without SA_RESTART
 * the read fails with EINTR; with it, the read restarts and gets the byte
 * the child writes afterwards.  The child keeps signalling every 20 ms, so
 * it does not matter how long we take to reach read().
 */
static void
restart(void)
{
	int p[2], st;
	pid_t pid;
	char c = 0;
	ssize_t r;

	catch(SIGUSR1, on_sig, 0);
	hits = 0;
	pipe(p);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		for (int i = 0; i < 500; i++) {
			kill(getppid(), SIGUSR1);
			usleep(20000);
		}
		_exit(0);
	}
	errno = 0;
	r = read(p[0], &c, 1);
	CHECK(r == -1 && errno == EINTR && hits >= 1, "read interrupted without SA_RESTART: EINTR");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);

	catch(SIGUSR1, on_sig, SA_RESTART);
	hits = 0;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		for (int i = 0; i < 5; i++) {
			kill(getppid(), SIGUSR1);
			usleep(20000);
		}
		write(p[1], "z", 1);
		_exit(0);
	}
	r = read(p[0], &c, 1);
	CHECK(r == 1 && c == 'z' && hits >= 1, "read restarted with SA_RESTART gets the data");
	waitpid(pid, &st, 0);
	close(p[0]);
	close(p[1]);
}

static char altstack[65536];
static volatile int on_alt, ss_flags_in_handler;

static void
on_altsig(int sig)
{
	char here;
	stack_t ss;

	(void)sig;
	on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
	sigaltstack(NULL, &ss);
	ss_flags_in_handler = ss.ss_flags;
}

static void
altstacks(void)
{
	stack_t ss, old;

	ss.ss_sp = altstack;
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 0;
	CHECK(sigaltstack(&ss, &old) == 0, "sigaltstack");
	CHECK(old.ss_flags == SS_DISABLE, "no alternate stack before");
	catch(SIGUSR1, on_altsig, SA_ONSTACK);
	raise(SIGUSR1);
	CHECK(on_alt, "SA_ONSTACK handler runs on the alternate stack");
	CHECK(ss_flags_in_handler == SS_ONSTACK, "sigaltstack reports SS_ONSTACK inside");
	catch(SIGUSR1, on_altsig, 0);
	raise(SIGUSR1);
	CHECK(!on_alt, "without SA_ONSTACK it does not");
	sigaltstack(NULL, &old);
	CHECK(old.ss_flags == 0 && old.ss_sp == altstack && old.ss_size == sizeof(altstack), "sigaltstack reads back");
	ss.ss_size = 100;
	errno = 0;
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM, "a tiny alternate stack: ENOMEM");
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
}

static void
timers(void)
{
	struct itimerval it, old;

	catch(SIGALRM, on_sig, 0);
	hits = 0;
	alarm(1);
	while (hits == 0)
		pause();
	CHECK(hits == 1 && last_sig == SIGALRM, "alarm(1) then pause: SIGALRM handled");
	CHECK(alarm(0) == 0, "no alarm left");
	alarm(100);
	CHECK(alarm(0) > 90, "alarm returns the seconds left on the previous one");

	hits = 0;
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 20000;
	it.it_interval.tv_usec = 20000;
	setitimer(ITIMER_REAL, &it, NULL);
	while (hits < 3)
		pause();
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, &old);
	CHECK(hits == 3, "a periodic ITIMER_REAL fired three times");
	CHECK(old.it_interval.tv_usec == 20000, "getitimer-style readback of the interval");
	signal(SIGALRM, SIG_DFL);
}

static void
on_chld(int sig, siginfo_t *si, void *uc)
{
	on_info(sig, si, uc);
}

static void
children(void)
{
	struct sigaction sa;
	sigset_t m, old;
	pid_t pid;
	int st;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&m);
	sigaddset(&m, SIGCHLD);

	sigprocmask(SIG_BLOCK, &m, &old);
	hits = 0;
	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(33);
	waitpid(pid, &st, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(hits == 1 && last_sig == SIGCHLD, "SIGCHLD on child exit");
	CHECK(si_pid_seen == pid && si_code_seen == CLD_EXITED && si_status_seen == 33,
	    "SIGCHLD siginfo: CLD_EXITED, status 33");

	sigprocmask(SIG_BLOCK, &m, &old);
	hits = 0;
	if ((pid = fork()) == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(si_code_seen == CLD_KILLED && si_status_seen == SIGTERM, "SIGCHLD siginfo: CLD_KILLED by SIGTERM");

	/* SIGSTOP / SIGCONT seen through waitpid(WUNTRACED | WCONTINUED). */
	signal(SIGCHLD, SIG_DFL);
	if ((pid = fork()) == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "waitpid(WUNTRACED) sees the stop");
	kill(pid, SIGCONT);
	waitpid(pid, &st, WCONTINUED);
	CHECK(WIFCONTINUED(st), "waitpid(WCONTINUED) sees the continue");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "then SIGKILL");

	/* SIGCHLD ignored: children are reaped automatically. */
	signal(SIGCHLD, SIG_IGN);
	if ((pid = fork()) == 0)
		_exit(0);
	errno = 0;
	CHECK(waitpid(pid, &st, 0) == -1 && errno == ECHILD, "with SIGCHLD ignored, no zombie: ECHILD");
	signal(SIGCHLD, SIG_DFL);
}

static int die_abort(void) { struct rlimit r = { 0, 0 }; setrlimit(RLIMIT_CORE, &r); abort(); }
static int die_segv(void) { struct rlimit r = { 0, 0 }; setrlimit(RLIMIT_CORE, &r); raise(SIGSEGV); return 0; }
static int die_hup(void) { raise(SIGHUP); return 0; }
static int die_usr1(void) { signal(SIGUSR1, SIG_DFL); kill(getpid(), SIGUSR1); return 0; }
static int die_alrm(void) { alarm(1); for (;;) pause(); }
static int survive_chld(void) { raise(SIGCHLD); raise(SIGURG); raise(SIGWINCH); return 0; }
static int die_blocked_then_unblocked(void)
{
	sigset_t m;

	sigemptyset(&m);
	sigaddset(&m, SIGTERM);
	sigprocmask(SIG_BLOCK, &m, NULL);
	raise(SIGTERM);
	write(1, "", 0);	/* still alive here */
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	return 0;
}

static void
defaults(void)
{
	/* The core flag is not printed: it depends on RLIMIT_CORE and the host. */
	printf("abort(): %s\n", corpus_status(corpus_child(die_abort)));
	printf("raise(SIGSEGV): %s\n", corpus_status(corpus_child(die_segv)));
	printf("raise(SIGHUP): %s\n", corpus_status(corpus_child(die_hup)));
	printf("kill(self, SIGUSR1): %s\n", corpus_status(corpus_child(die_usr1)));
	printf("alarm(1) unhandled: %s\n", corpus_status(corpus_child(die_alrm)));
	printf("SIGCHLD, SIGURG, SIGWINCH: %s\n", corpus_status(corpus_child(survive_chld)));
	printf("blocked SIGTERM, unblocked: %s\n", corpus_status(corpus_child(die_blocked_then_unblocked)));
}

int
main(void)
{
	corpus_init();
	handlers();
	masks();
	restart();
	altstacks();
	timers();
	children();
	defaults();
	return corpus_done();
}
