/*
 * proc: fork, _exit statuses, wait4/waitpid variants, death by signal,
 * WNOHANG, ECHILD, process groups and sessions, and the reparenting of
 * orphans.  Under the vkernel this program is pid 1, under qemu it is not:
 * it makes itself a child subreaper so orphans come back to it either way.
 */
#include "corpus.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>

static int exit_zero(void) { return 0; }
static int exit_one(void) { return 1; }
static int exit_42(void) { return 42; }
static int exit_255(void) { return 255; }
static int exit_256(void) { return 256; }	/* only the low 8 bits survive */
static int self_kill(void) { kill(getpid(), SIGTERM); return 7; }
static int self_kill9(void) { raise(SIGKILL); return 7; }
static int via_exit(void) { exit(3); }

static void
exit_statuses(void)
{
	CHECK(WIFEXITED(corpus_child(exit_zero)) && WEXITSTATUS(corpus_child(exit_zero)) == 0, "child exits 0");
	CHECK(strcmp(corpus_status(corpus_child(exit_one)), "exited 1") == 0, "child exits 1");
	CHECK(strcmp(corpus_status(corpus_child(exit_42)), "exited 42") == 0, "child exits 42");
	CHECK(strcmp(corpus_status(corpus_child(exit_255)), "exited 255") == 0, "child exits 255");
	CHECK(strcmp(corpus_status(corpus_child(exit_256)), "exited 0") == 0, "_exit(256) is seen as 0");
	CHECK(strcmp(corpus_status(corpus_child(via_exit)), "exited 3") == 0, "exit(3) through atexit path");
	printf("kill self with SIGTERM: %s\n", corpus_status(corpus_child(self_kill)));
	printf("raise SIGKILL: %s\n", corpus_status(corpus_child(self_kill9)));
}

static void
wait_variants(void)
{
	struct rusage ru;
	pid_t pid, r;
	int st, pfd[2];
	char c;

	/* WNOHANG on a running child returns 0; it returns the pid once done. */
	pipe(pfd);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		close(pfd[1]);
		read(pfd[0], &c, 1);	/* wait until the parent says go */
		_exit(5);
	}
	close(pfd[0]);
	r = waitpid(pid, &st, WNOHANG);
	CHECK(r == 0, "WNOHANG on a running child returns 0");
	write(pfd[1], "g", 1);
	close(pfd[1]);
	r = wait4(pid, &st, 0, &ru);
	CHECK(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 5, "wait4 reaps it: %s", corpus_status(st));
	CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_stime.tv_sec >= 0, "wait4 fills rusage");
	errno = 0;
	CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD, "no children left: ECHILD");
	CHECK(wait(NULL) == -1 && errno == ECHILD, "wait with no children: ECHILD");

	/* Reap in any order: three children, collect all by pid. */
	{
		pid_t kids[3];
		int seen = 0, i;

		fflush(stdout);
		for (i = 0; i < 3; i++)
			if ((kids[i] = fork()) == 0)
				_exit(10 + i);
		for (i = 0; i < 3; i++) {
			r = wait(&st);
			for (int j = 0; j < 3; j++)
				if (r == kids[j] && WEXITSTATUS(st) == 10 + j)
					seen |= 1 << j;
		}
		CHECK(seen == 7, "wait collects three children with their statuses");
		/* waitpid of a specific pid leaves others alone */
		for (i = 0; i < 3; i++)
			if ((kids[i] = fork()) == 0)
				_exit(20 + i);
		r = waitpid(kids[2], &st, 0);
		CHECK(r == kids[2] && WEXITSTATUS(st) == 22, "waitpid picks the named child");
		r = waitpid(kids[0], &st, 0);
		CHECK(r == kids[0] && WEXITSTATUS(st) == 20, "then another");
		r = waitpid(-1, &st, 0);
		CHECK(r == kids[1] && WEXITSTATUS(st) == 21, "then the last one");
	}

	/* waitid with WEXITED and si_status */
	{
		siginfo_t si;

		fflush(stdout);
		if ((pid = fork()) == 0)
			_exit(77);
		memset(&si, 0, sizeof(si));
		CHECK(waitid(P_PID, pid, &si, WEXITED) == 0, "waitid");
		CHECK(si.si_pid == pid && si.si_code == CLD_EXITED && si.si_status == 77,
		    "waitid siginfo: CLD_EXITED, status 77");
		if ((pid = fork()) == 0) {
			pause();
			_exit(0);
		}
		kill(pid, SIGKILL);
		memset(&si, 0, sizeof(si));
		waitid(P_PID, pid, &si, WEXITED);
		CHECK(si.si_code == CLD_KILLED && si.si_status == SIGKILL, "waitid siginfo: CLD_KILLED by SIGKILL");
	}
}

static void
parentage(void)
{
	pid_t me = getpid(), pid;
	int pfd[2], st;

	/* A child sees us as its parent. */
	pipe(pfd);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		pid_t pp = getppid();
		write(pfd[1], &pp, sizeof(pp));
		_exit(0);
	}
	{
		pid_t pp = 0;
		read(pfd[0], &pp, sizeof(pp));
		CHECK(pp == me, "getppid in the child is the parent's pid");
		CHECK(pid != me && pid > 0, "fork returns a new pid");
	}
	waitpid(pid, &st, 0);
	close(pfd[0]);
	close(pfd[1]);

	/*
	 * Orphans: a child forks a grandchild and exits.  The grandchild gets
	 * a new parent: init, which is us under the vkernel, or whatever
	 * reaper the host has under qemu (which has no PR_SET_CHILD_SUBREAPER).
	 * So check only that the parent changed, and reap it if it is ours.
	 */
	pipe(pfd);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		pid_t middle = getpid();

		if (fork() == 0) {
			pid_t pp;
			int i;

			/* Wait until our parent has gone. */
			for (i = 0; i < 5000 && getppid() == middle; i++)
				usleep(1000);
			pp = getppid();
			write(pfd[1], &pp, sizeof(pp));
			write(pfd[1], &middle, sizeof(middle));
			_exit(9);
		}
		_exit(0);
	}
	close(pfd[1]);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "middle process exits");
	{
		pid_t pp = 0, middle = 0;

		read(pfd[0], &pp, sizeof(pp));
		read(pfd[0], &middle, sizeof(middle));
		CHECK(middle == pid && pp != middle && pp > 0, "the orphan is reparented");
		if (pp == me) {
			pid = wait(&st);
			if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 9)
				CHECK(0, "init reaps the orphan: %s", corpus_status(st));
		}
	}
	close(pfd[0]);
}

static void
groups(void)
{
	pid_t pid, me = getpid();
	int st, pfd[2];

	pipe(pfd);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		char r[4];

		r[0] = getpgrp() == getpgid(0) ? 'y' : 'n';
		r[1] = setsid() == getpid() && getsid(0) == getpid() ? 'y' : 'n';
		r[2] = getpgrp() == getpid() ? 'y' : 'n';
		r[3] = setsid() == -1 && errno == EPERM ? 'y' : 'n';
		write(pfd[1], r, 4);
		_exit(0);
	}
	{
		char r[4] = "????";

		read(pfd[0], r, 4);
		CHECK(r[0] == 'y', "getpgrp() == getpgid(0)");
		CHECK(r[1] == 'y', "setsid makes a new session");
		CHECK(r[2] == 'y', "led by the child, in its own process group");
		CHECK(r[3] == 'y', "a session leader cannot setsid again: EPERM");
	}
	waitpid(pid, &st, 0);
	if ((pid = fork()) == 0)
		_exit(setpgid(0, 0) == 0 && getpgrp() == getpid() ? 0 : 1);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "setpgid(0, 0) makes a new group");
	CHECK(getpgid(me) == getpgrp(), "getpgid(getpid()) == getpgrp()");
	errno = 0;
	CHECK(getpgid(pid) == -1 && errno == ESRCH, "getpgid of a reaped pid: ESRCH");
	CHECK(kill(pid, 0) == -1 && errno == ESRCH, "kill of a reaped pid: ESRCH");
	CHECK(kill(me, 0) == 0, "kill(self, 0) succeeds");
	close(pfd[0]);
	close(pfd[1]);
}

int
main(void)
{
	corpus_init();
	exit_statuses();
	wait_variants();
	parentage();
	groups();
	return corpus_done();
}
