/*
 * nohup: invoke a utility immune to hangups.  If standard output is a
 * terminal it goes to nohup.out (or $HOME/nohup.out); standard error
 * follows standard output when it is a terminal.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_NOEXEC	126
#define EXIT_NOTFOUND	127
#define EXIT_MISC	127

static void
usage(void)
{
	fprintf(stderr, "usage: nohup [--] utility [arguments]\n");
	exit(EXIT_MISC);
}

static void
dofile(void)
{
	char path[PATH_MAX];
	const char *p = "nohup.out";
	int fd;

	if ((fd = open(p, O_RDWR | O_CREAT | O_APPEND, S_IRUSR | S_IWUSR)) == -1) {
		const char *home = getenv("HOME");
		if (home == NULL || snprintf(path, sizeof(path), "%s/nohup.out", home) >= (int)sizeof(path))
			errx(EXIT_MISC, "can't open a nohup.out file");
		p = path;
		if ((fd = open(p, O_RDWR | O_CREAT | O_APPEND, S_IRUSR | S_IWUSR)) == -1)
			err(EXIT_MISC, "can't open a nohup.out file");
	}
	if (dup2(fd, STDOUT_FILENO) == -1)
		err(EXIT_MISC, NULL);
	if (fd != STDOUT_FILENO)
		close(fd);
	fprintf(stderr, "appending output to %s\n", p);
}

int
main(int argc, char *argv[])
{
	int ch;

	while ((ch = getopt(argc, argv, "+")) != -1)
		usage();
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (isatty(STDOUT_FILENO))
		dofile();
	if (isatty(STDERR_FILENO) && dup2(STDOUT_FILENO, STDERR_FILENO) == -1)
		err(EXIT_MISC, NULL);
	signal(SIGHUP, SIG_IGN);
	execvp(*argv, argv);
	int e = errno;
	err(e == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC, "%s", argv[0]);
}
