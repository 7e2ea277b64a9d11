/*
 * exec: execve of ourselves with arguments, exit statuses through exec,
 * what survives exec (fds, ignored signals, the signal mask, pid) and what
 * does not (close-on-exec fds, handlers), #! scripts, and the errors:
 * ENOENT, ENOEXEC, EACCES, ENOTDIR, E2BIG is not tried (limits differ).
 *
 * corpus: exec
 */
#include "corpus.h"

#include <signal.h>
#include <sys/auxv.h>

static const char *self;

static void handler(int sig) { (void)sig; }

/* The re-executed image: report what it inherited, exit with a code. */
static int
child_image(int argc, char **argv)
{
	sigset_t mask;
	struct sigaction sa;
	int code = atoi(argv[2]), fd;

	if (strcmp(argv[1], "--report") == 0) {
		/* fd 5 was inherited, fd 6 was close-on-exec */
		fd = fcntl(5, F_GETFD);
		printf("  fd 5 open after exec: %s\n", fd >= 0 ? "yes" : "no");
		fd = fcntl(6, F_GETFD);
		printf("  close-on-exec fd 6 open after exec: %s\n", fd >= 0 ? "yes" : "no");
		sigaction(SIGUSR1, NULL, &sa);
		printf("  SIGUSR1 (was handled) is now %s\n",
		    sa.sa_handler == SIG_DFL ? "SIG_DFL" : "not SIG_DFL");
		sigaction(SIGUSR2, NULL, &sa);
		printf("  SIGUSR2 (was ignored) is now %s\n",
		    sa.sa_handler == SIG_IGN ? "SIG_IGN" : "not SIG_IGN");
		sigprocmask(SIG_BLOCK, NULL, &mask);
		printf("  SIGHUP still blocked: %s\n", sigismember(&mask, SIGHUP) ? "yes" : "no");
		printf("  pid kept across exec: %s\n",
		    getpid() == (pid_t)strtol(argv[3], NULL, 10) ? "yes" : "no");
	}
	for (int i = 3; i < argc; i++)
		if (strcmp(argv[1], "--args") != 0)
			continue;
		else if (strlen(argv[i]) > 40)
			printf("  arg %d: %zu bytes\n", i - 3, strlen(argv[i]));
		else
			printf("  arg %d: \"%s\"\n", i - 3, argv[i]);
	fflush(stdout);
	return code;
}

static int
spawn(char *const argv[], char *const envp[])
{
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		execve(self, argv, envp);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	return st;
}

static int
exec_errno(const char *path)
{
	char *argv[] = { "x", NULL };

	errno = 0;
	execve(path, argv, argv + 1);
	return errno;
}

int
main(int argc, char **argv)
{
	char *envp[] = { NULL };
	char path[256], buf[64];
	const char *dir;
	int st, fd;

	corpus_init();
	if (argc > 2)
		return child_image(argc, argv);
	self = (const char *)getauxval(AT_EXECFN);
	if (self == NULL || self[0] != '/') {
		CHECK(0, "AT_EXECFN is absolute");
		return corpus_done();
	}

	/* Exit statuses come back through exec. */
	{
		char *a0[] = { "exec", "--code", "0", NULL };
		char *a3[] = { "exec", "--code", "3", NULL };
		char *a200[] = { "exec", "--code", "200", NULL };

		CHECK(strcmp(corpus_status(spawn(a0, envp)), "exited 0") == 0, "exec'd child exits 0");
		CHECK(strcmp(corpus_status(spawn(a3, envp)), "exited 3") == 0, "exec'd child exits 3");
		CHECK(strcmp(corpus_status(spawn(a200, envp)), "exited 200") == 0, "exec'd child exits 200");
	}

	/* Arguments arrive intact, including empty and long ones. */
	{
		static char big[3000];
		char *args[] = { "exec", "--args", "0", "one", "", "three four", big, NULL };

		memset(big, 'x', sizeof(big) - 1);
		printf("exec with arguments:\n");
		st = spawn(args, envp);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec with a 3000-byte argument");
	}

	/* What survives exec. */
	{
		struct sigaction sa;
		sigset_t mask;
		pid_t pid;
		char pidstr[32];

		printf("exec inheritance:\n");
		fflush(stdout);
		if ((pid = fork()) == 0) {
			int p[2];

			pipe(p);
			dup2(p[0], 5);
			dup3(p[1], 6, O_CLOEXEC);
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = handler;
			sigaction(SIGUSR1, &sa, NULL);
			sa.sa_handler = SIG_IGN;
			sigaction(SIGUSR2, &sa, NULL);
			sigemptyset(&mask);
			sigaddset(&mask, SIGHUP);
			sigprocmask(SIG_BLOCK, &mask, NULL);
			snprintf(pidstr, sizeof(pidstr), "%d", (int)getpid());
			char *args[] = { "exec", "--report", "4", pidstr, NULL };
			execve(self, args, envp);
			_exit(127);
		}
		waitpid(pid, &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 4, "child exec'd and reported: %s", corpus_status(st));
	}

	dir = corpus_mkdtemp("exec");

	/*
	 * A #! script whose interpreter is this very program, reached
	 * through a short symlink so the #! line fits however deep the
	 * build directory is.
	 */
	snprintf(path, sizeof(path), "%s/interp", dir);
	if (symlink(self, path) != 0)
		printf("FAIL: symlink %s: %s\n", path, strerror(errno));
	snprintf(buf, sizeof(buf), "#!%s --args\n", path);
	snprintf(path, sizeof(path), "%s/script", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (strlen(dir) + 20 < sizeof(buf)) {
		pid_t pid;

		write(fd, buf, strlen(buf));
		write(fd, "this is not read by anyone\n", 27);
		close(fd);
		printf("#! script:\n");
		fflush(stdout);
		if ((pid = fork()) == 0) {
			char *args[] = { "script", "0", "extra", NULL };

			execve(path, args, envp);
			_exit(127);
		}
		waitpid(pid, &st, 0);
		/* argv: interpreter, "--args", script path, "0", "extra" */
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "#! script ran: %s", corpus_status(st));
	} else {
		close(fd);
	}

	/* The errors. */
	snprintf(path, sizeof(path), "%s/missing", dir);
	st = exec_errno(path);
	CHECK(st == ENOENT, "execve of a missing file: %s", strerror(st));

	snprintf(path, sizeof(path), "%s/junk", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	write(fd, "\x01\x02\x03\x04 this is neither ELF nor a script\n", 40);
	close(fd);
	st = exec_errno(path);
	CHECK(st == ENOEXEC, "execve of an executable junk file: %s", strerror(st));

	snprintf(path, sizeof(path), "%s/noexec", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, "#!/bin/sh\n", 10);
	close(fd);
	st = exec_errno(path);
	CHECK(st == EACCES, "execve of a file without x bits: %s", strerror(st));

	st = exec_errno(dir);
	CHECK(st == EACCES, "execve of a directory: %s", strerror(st));

	snprintf(path, sizeof(path), "%s/junk/sub", dir);
	st = exec_errno(path);
	CHECK(st == ENOTDIR, "execve through a non-directory: %s", strerror(st));

	snprintf(path, sizeof(path), "%s/badinterp", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	write(fd, "#!/nonexistent/interpreter\n", 27);
	close(fd);
	st = exec_errno(path);
	CHECK(st == ENOENT, "execve of a script with a missing interpreter: %s", strerror(st));

	errno = 0;
	execve(NULL, (char *[]){ "x", NULL }, envp);
	CHECK(errno == EFAULT, "execve(NULL): %s", strerror(errno));

	corpus_rmtree(dir);
	return corpus_done();
}
