/*
 * vkrun: pid 1 for the world tests inside the vkernel. The test harness
 * hard-links this program as /.jobs/N in a copy of the world's root and
 * writes the job beside it as /.jobs/N.job; the kernel boots with
 * init_path=/.jobs/N.  vkrun mounts procfs on /proc and the harness's
 * scratch tree (a hostfs export) at the same path the host uses, sets up stdin (a pipe fed from a
 * file, as a shell pipeline would), stdout and stderr (files), runs the
 * program and exits with its status (128 + signal if killed), which
 * bin/vkernel turns into its own exit status.
 *
 * The job file: NUL-terminated strings
 *   export cwd stdin-file stdout-file stderr-file path argc argv... envc env...
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char jobbuf[1 << 20];
static char *cursor, *end;

static _Noreturn void
fail(const char *what)
{
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "vkrun: %s: %s\n", what, strerror(errno));

	write(2, msg, n);
	exit(125);
}

static char *
next(void)
{
	char *s = cursor;

	if (cursor >= end) {
		errno = EINVAL;
		fail("truncated job");
	}
	cursor += strlen(cursor) + 1;
	return s;
}

static void
redirect(const char *path, int fd, int flags)
{
	int f = open(path, flags, 0644);

	if (f < 0)
		fail(path);
	if (f != fd) {
		dup2(f, fd);
		close(f);
	}
}

/* mkdir -p, quietly: what exists or cannot be made shows up at mount time. */
static void
mkdirs(const char *path)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

/* stdin as a pipe fed by a child, so programs see what they would in a pipeline. */
static void
feed_stdin(const char *path)
{
	int p[2], in;
	char buf[65536];
	ssize_t n;

	if (pipe(p) < 0)
		fail("pipe");
	switch (fork()) {
	case -1:
		fail("fork");
	case 0:
		close(p[0]);
		if ((in = open(path, O_RDONLY)) < 0)
			_exit(125);
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(p[1], buf, n) != n)
				break;
		_exit(0);
	}
	close(p[1]);
	dup2(p[0], 0);
	close(p[0]);
}

int
main(int argc, char **argv)
{
	char jobpath[4096], *export, *cwd, *in, *out, *errf, *path;
	char **av, **ev;
	int fd, n, ac, ec, st;
	pid_t pid, w;

	(void)argc;
	snprintf(jobpath, sizeof(jobpath), "%s.job", argv[0]);
	if ((fd = open(jobpath, O_RDONLY)) < 0)
		fail(jobpath);
	n = read(fd, jobbuf, sizeof(jobbuf) - 1);
	if (n <= 0)
		fail("read job");
	close(fd);
	cursor = jobbuf;
	end = jobbuf + n;
	export = next();
	cwd = next();
	in = next();
	out = next();
	errf = next();
	path = next();
	ac = atoi(next());
	av = calloc(ac + 1, sizeof(*av));
	for (int i = 0; i < ac; i++)
		av[i] = next();
	ec = atoi(next());
	ev = calloc(ec + 1, sizeof(*ev));
	for (int i = 0; i < ec; i++)
		ev[i] = next();

	/* As in a booted world (fstab): procfs on /proc, for ps, netstat and /proc/self. */
	if (mount("proc", "/proc", "procfs", 0, NULL) < 0)
		fail("/proc");
	/* The harness made the mount point in the root; under /tmp a tmpfs hides it. */
	mkdirs(export);
	if (mount(export, export, "hostfs", 0, NULL) < 0)
		fail(export);
	redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC);
	redirect(errf, 2, O_WRONLY | O_CREAT | O_TRUNC);
	if (chdir(cwd) < 0)
		fail(cwd);
	feed_stdin(in);
	if ((pid = fork()) < 0)
		fail("fork");
	if (pid == 0) {
		execve(path, av, ev);
		fprintf(stderr, "vkrun: %s: %s\n", path, strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(0);
	/* Reap the stdin feeder and anything orphaned to us; stop at the program. */
	while ((w = wait(&st)) != pid)
		if (w < 0)
			fail("wait");
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
