/*
 * rmdir: remove empty directories.  -p also removes each parent named in
 * the operand, stopping (silently) at the first that is not empty.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int vflag;

static void
usage(void)
{
	fprintf(stderr, "usage: rmdir [-pv] directory ...\n");
	exit(1);
}

static int
rm_path(char *path)
{
	char *p;

	for (;;) {
		/* Strip trailing slashes, then the last component. */
		p = path + strlen(path);
		while (--p > path && *p == '/')
			;
		while (p > path && *p != '/')
			p--;
		if (p == path)
			break;
		while (p > path && *p == '/')
			p--;
		p[1] = '\0';
		if (p == path && *p == '/')
			break;
		if (rmdir(path) == -1) {
			warn("%s", path);
			return (1);
		}
		if (vflag)
			printf("%s\n", path);
	}
	return (0);
}

int
main(int argc, char *argv[])
{
	int ch, pflag = 0, rval = 0;

	while ((ch = getopt(argc, argv, "+pv")) != -1) {
		switch (ch) {
		case 'p': pflag = 1; break;
		case 'v': vflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	for (; *argv != NULL; argv++) {
		if (rmdir(*argv) == -1) {
			warn("%s", *argv);
			rval = 1;
			continue;
		}
		if (vflag)
			printf("%s\n", *argv);
		if (pflag)
			rval |= rm_path(*argv);
	}
	return (rval);
}
