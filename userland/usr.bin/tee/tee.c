/*
 * tee: copy standard input to standard output and to each file.  A file
 * that fails is reported and dropped; the others keep receiving data.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct out {
	int	fd;
	const char *name;
};

static void
usage(void)
{
	fprintf(stderr, "usage: tee [-ai] [file ...]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	static char buf[65536];
	struct out *outs;
	int ch, aflag = 0, nout = 0, rval = 0;
	ssize_t n, w;

	while ((ch = getopt(argc, argv, "+ai")) != -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 'i': signal(SIGINT, SIG_IGN); break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((outs = calloc(argc + 1, sizeof(*outs))) == NULL)
		err(1, NULL);
	outs[nout].fd = STDOUT_FILENO;
	outs[nout++].name = "stdout";
	for (; *argv != NULL; argv++) {
		int fd = open(*argv, O_WRONLY | O_CREAT | (aflag ? O_APPEND : O_TRUNC), 0666);
		if (fd == -1) {
			warn("%s", *argv);
			rval = 1;
			continue;
		}
		outs[nout].fd = fd;
		outs[nout++].name = *argv;
	}
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err(1, "read");
		}
		for (int i = 0; i < nout; i++) {
			if (outs[i].fd < 0)
				continue;
			for (ssize_t off = 0; off < n; off += w) {
				if ((w = write(outs[i].fd, buf + off, n - off)) < 0) {
					warn("%s", outs[i].name);
					rval = 1;
					outs[i].fd = -1;
					break;
				}
			}
		}
	}
	for (int i = 1; i < nout; i++)
		if (outs[i].fd >= 0 && close(outs[i].fd) == -1) {
			warn("%s", outs[i].name);
			rval = 1;
		}
	return (rval);
}
