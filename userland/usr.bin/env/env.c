/*
 * env: set the environment and execute a utility, or print the
 * environment.  A lone "-" is the historic spelling of -i.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static void
usage(void)
{
	fprintf(stderr, "usage: env [-0iv] [-u name] [name=value ...] [utility [argument ...]]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	int ch, zflag = 0, vflag = 0;
	char *eq;

	while ((ch = getopt(argc, argv, "+0iu:v")) != -1) {
		switch (ch) {
		case '0': zflag = 1; break;
		case 'i':
			if (clearenv() != 0)
				err(1, "clearenv");
			break;
		case 'u':
			if (vflag)
				fprintf(stderr, "#env unset:\t%s\n", optarg);
			if (unsetenv(optarg) == -1)
				err(1, "unsetenv %s", optarg);
			break;
		case 'v': vflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (*argv != NULL && strcmp(*argv, "-") == 0) {
		if (clearenv() != 0)
			err(1, "clearenv");
		argv++;
	}
	for (; *argv != NULL && (eq = strchr(*argv, '=')) != NULL; argv++) {
		if (vflag)
			fprintf(stderr, "#env setenv:\t%s\n", *argv);
		*eq = '\0';
		if (setenv(*argv, eq + 1, 1) == -1)
			err(1, "setenv %s", *argv);
	}
	if (*argv != NULL) {
		if (zflag)
			errx(1, "cannot specify command with -0");
		if (vflag) {
			fprintf(stderr, "#env executing:\t%s\n", *argv);
			for (int i = 0; argv[i] != NULL; i++)
				fprintf(stderr, "#env    arg[%d]=\t'%s'\n", i, argv[i]);
		}
		execvp(*argv, argv);
		err(errno == ENOENT ? 127 : 126, "%s", *argv);
	}
	for (char **ep = environ; *ep != NULL; ep++)
		printf("%s%c", *ep, zflag ? '\0' : '\n');
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (0);
}
