/*
 * mkdir: make directories.  -p creates missing parents (mode u+wx on top
 * of the umask so the walk can continue) and accepts existing directories;
 * -m sets the mode of the last component, as chmod(1) would.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libutil.h"

static int vflag;

static void
usage(void)
{
	fprintf(stderr, "usage: mkdir [-pv] [-m mode] directory ...\n");
	exit(1);
}

/* Create path and its parents; returns 0 or -1 with a message printed. */
static int
build(char *path, mode_t omode)
{
	struct stat sb;
	mode_t numask = umask(0), oumask = numask;
	char *p = path;
	int last = 0, retval = 0;

	umask(oumask);
	if (*p == '/')
		p++;
	for (; !last; p++) {
		if (*p == '\0')
			last = 1;
		else if (*p != '/')
			continue;
		else {
			*p = '\0';
			if (p[1] == '\0')	/* a trailing slash */
				last = 1;
		}
		if (*path == '\0') {	/* a leading "//" */
			if (!last)
				*p = '/';
			continue;
		}
		/* Parents must stay writable and searchable by us. */
		umask(last ? oumask : oumask & ~(S_IWUSR | S_IXUSR));
		if (mkdir(path, last ? omode : 0777) == 0) {
			if (vflag)
				printf("%s\n", path);
		} else if (errno == EEXIST || errno == EISDIR) {
			if (stat(path, &sb) == -1) {
				warn("%s", path);
				retval = -1;
				break;
			} else if (!S_ISDIR(sb.st_mode)) {
				errno = last ? EEXIST : ENOTDIR;
				warn("%s", path);
				retval = -1;
				break;
			}
		} else {
			warn("%s", path);
			retval = -1;
			break;
		}
		if (!last)
			*p = '/';
	}
	umask(oumask);
	return (retval);
}

int
main(int argc, char *argv[])
{
	int ch, pflag = 0, rval = 0;
	mode_t omode = 0777;
	void *set = NULL;

	while ((ch = getopt(argc, argv, "+m:pv")) != -1) {
		switch (ch) {
		case 'm':
			if ((set = setmode(optarg)) == NULL)
				errx(1, "invalid file mode: %s", optarg);
			break;
		case 'p': pflag = 1; break;
		case 'v': vflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	if (set != NULL)
		omode = getmode(set, S_IRWXU | S_IRWXG | S_IRWXO);
	for (; *argv != NULL; argv++) {
		if (pflag) {
			if (build(*argv, omode) != 0) {
				rval = 1;
				continue;
			}
		} else if (mkdir(*argv, omode) == -1) {
			warn("%s", *argv);
			rval = 1;
			continue;
		} else if (vflag)
			printf("%s\n", *argv);
		/* mkdir(2) is subject to the umask; -m is not. */
		if (set != NULL && chmod(*argv, omode) == -1) {
			warn("%s", *argv);
			rval = 1;
		}
	}
	return (rval);
}
