/*
 * corpus.h - helpers shared by the differential test corpus.
 *
 * Every program prints only facts that hold on any correct Linux riscv64
 * kernel: no pids, addresses or timings.  Each check prints one line,
 * "ok: ..." or "FAIL: ...", and main() returns the number of failures
 * (capped), so both stdout and the exit status carry the verdict.
 *
 * stdout is a tty under the vkernel and a pipe under qemu; corpus_init()
 * makes it line buffered in both cases so output interleaves the same way
 * around fork() and write(2).
 */
#ifndef CORPUS_H
#define CORPUS_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int corpus_failures;

static void
corpus_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* CHECK(cond, fmt, ...): record and print one verdict. */
#define CHECK(cond, ...) corpus_check((cond) != 0, __VA_ARGS__)

static void
corpus_check(int ok, const char *fmt, ...)
{
	va_list ap;

	fputs(ok ? "ok: " : "FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		corpus_failures++;
}

static int
corpus_done(void)
{
	printf("%s: %d failure%s\n", corpus_failures ? "FAILED" : "passed",
	    corpus_failures, corpus_failures == 1 ? "" : "s");
	fflush(stdout);
	return corpus_failures > 100 ? 100 : corpus_failures;
}

/* Describe a wait status without anything run-dependent. */
static const char *
corpus_status(int st)
{
	static char buf[64];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by %s",
		    sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
	else if (WIFSTOPPED(st))
		snprintf(buf, sizeof(buf), "stopped by %d", WSTOPSIG(st));
	else
		snprintf(buf, sizeof(buf), "status %#x", st);
	return buf;
}

/* Fork, run fn in the child (its return value is the exit status), wait. */
static int
corpus_child(int (*fn)(void))
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/* A private scratch directory under /tmp; removed by corpus_rmtree(). */
static char corpus_tmp[64];

static const char *
corpus_mkdtemp(const char *tag)
{
	snprintf(corpus_tmp, sizeof(corpus_tmp), "/tmp/corpus-%s-XXXXXX", tag);
	if (mkdtemp(corpus_tmp) == NULL) {
		printf("FAIL: mkdtemp: %s\n", strerror(errno));
		exit(99);
	}
	return corpus_tmp;
}

static int
corpus_rmtree(const char *path)
{
	struct stat sb;
	struct dirent *de;
	char sub[1024];
	DIR *d;

	if (lstat(path, &sb) < 0)
		return -1;
	if (!S_ISDIR(sb.st_mode))
		return unlink(path);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		corpus_rmtree(sub);
	}
	closedir(d);
	return rmdir(path);
}

#endif /* CORPUS_H */
