/* realpath: print the canonical absolute path of each operand (default "."). */
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: realpath [-q] [path ...]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	char buf[PATH_MAX];
	int ch, qflag = 0, rval = 0;
	const char *path;

	while ((ch = getopt(argc, argv, "+q")) != -1) {
		switch (ch) {
		case 'q': qflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	path = *argv != NULL ? *argv++ : ".";
	do {
		if (realpath(path, buf) == NULL) {
			if (!qflag)
				warn("%s", path);
			rval = 1;
		} else
			printf("%s\n", buf);
	} while ((path = *argv++) != NULL);
	return (rval);
}
