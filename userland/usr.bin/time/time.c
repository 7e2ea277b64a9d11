/*
 * time: time command execution.  BSD's line on stderr is
 * "%9.2f real %9.2f user %9.2f sys"; -p gives POSIX's three lines; -l adds
 * the rusage counters.  The exit status is the utility's (128+N for
 * signal N, as the shell would report it).
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: time [-lp] [-o file [-a]] utility [argument ...]\n");
	exit(1);
}

static double
tv(struct timeval t)
{
	return (t.tv_sec + t.tv_usec / 1e6);
}

int
main(int argc, char *argv[])
{
	int ch, lflag = 0, pflag = 0, aflag = 0, status;
	const char *ofile = NULL;
	struct timespec t0, t1;
	struct rusage ru;
	FILE *out = stderr;
	pid_t pid;

	while ((ch = getopt(argc, argv, "+alo:p")) != -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 'l': lflag = 1; break;
		case 'o': ofile = optarg; break;
		case 'p': pflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (ofile != NULL && (out = fopen(ofile, aflag ? "a" : "w")) == NULL)
		err(1, "%s", ofile);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		execvp(argv[0], argv);
		int e = errno;
		warn("%s", argv[0]);
		_exit(e == ENOENT ? 127 : 126);
	}
	/* The child gets the signals from the terminal; we wait it out. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (wait4(pid, &status, 0, &ru) == -1)
		if (errno != EINTR)
			err(1, "wait4");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double real = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	if (pflag)
		fprintf(out, "real %.2f\nuser %.2f\nsys %.2f\n", real, tv(ru.ru_utime), tv(ru.ru_stime));
	else
		fprintf(out, "%9.2f real %9.2f user %9.2f sys\n", real, tv(ru.ru_utime), tv(ru.ru_stime));
	if (lflag) {
		fprintf(out, "%10ld  %s\n", ru.ru_maxrss, "maximum resident set size");
		fprintf(out, "%10ld  %s\n", ru.ru_minflt, "page reclaims");
		fprintf(out, "%10ld  %s\n", ru.ru_majflt, "page faults");
		fprintf(out, "%10ld  %s\n", ru.ru_inblock, "block input operations");
		fprintf(out, "%10ld  %s\n", ru.ru_oublock, "block output operations");
		fprintf(out, "%10ld  %s\n", ru.ru_nvcsw, "voluntary context switches");
		fprintf(out, "%10ld  %s\n", ru.ru_nivcsw, "involuntary context switches");
	}
	if (WIFSIGNALED(status)) {
		/* Die the same way, so our parent sees what happened. */
		int sig = WTERMSIG(status);
		fflush(out);
		signal(sig, SIG_DFL);
		raise(sig);
		return (128 + sig);
	}
	return (WEXITSTATUS(status));
}
