/*
 * ln: make links.  Hard links by default, symbolic with -s.  The last
 * operand may be a directory, in which case each source is linked there
 * under its own name.
 */
#include <err.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

static int fflag, iflag, hflag, sflag, vflag;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: ln [-s [-F] | -L | -P] [-f | -i] [-hnv] source [target]\n"
	    "       ln [-s [-F] | -L | -P] [-f | -i] [-hnv] source ... directory\n");
	exit(2);
}

static int
linkit(const char *source, const char *target, int isdir)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	struct stat sb;
	int exists;

	if (!sflag && stat(source, &sb) == -1) {
		warn("%s", source);
		return (1);
	}
	/* Into a directory: a trailing component from the source. */
	if (isdir || (lstat(target, &sb) == 0 && S_ISDIR(sb.st_mode)) ||
	    (!hflag && stat(target, &sb) == 0 && S_ISDIR(sb.st_mode))) {
		snprintf(tmp, sizeof(tmp), "%s", source);
		if (snprintf(path, sizeof(path), "%s/%s", target, basename(tmp)) >= (int)sizeof(path)) {
			errno = ENAMETOOLONG;
			warn("%s", source);
			return (1);
		}
		target = path;
	}
	exists = lstat(target, &sb) == 0;
	if (exists && fflag) {
		if (S_ISDIR(sb.st_mode)) {
			errno = EISDIR;
			warn("%s", target);
			return (1);
		}
		if (unlink(target) == -1) {
			warn("%s", target);
			return (1);
		}
	} else if (exists && iflag) {
		int ch, first;
		fprintf(stderr, "replace %s? ", target);
		first = ch = getchar();
		while (ch != '\n' && ch != EOF)
			ch = getchar();
		if (first != 'y' && first != 'Y') {
			fprintf(stderr, "not replaced\n");
			return (1);
		}
		if (unlink(target) == -1) {
			warn("%s", target);
			return (1);
		}
	}
	if (sflag ? symlink(source, target) : linkat(AT_FDCWD, source, AT_FDCWD, target, 0)) {
		warn("%s", target);
		return (1);
	}
	if (vflag)
		printf("%s %c> %s\n", target, sflag ? '-' : '=', source);
	return (0);
}

int
main(int argc, char *argv[])
{
	struct stat sb;
	int ch, rval = 0;

	while ((ch = getopt(argc, argv, "+FLPfhinsv")) != -1) {
		switch (ch) {
		case 'F': case 'L': case 'P': break;
		case 'f': fflag = 1; iflag = 0; break;
		case 'i': iflag = 1; fflag = 0; break;
		case 'h': case 'n': hflag = 1; break;
		case 's': sflag = 1; break;
		case 'v': vflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	switch (argc) {
	case 0:
		usage();
		/* NOTREACHED */
	case 1:
		exit(linkit(argv[0], ".", 1));
	case 2:
		exit(linkit(argv[0], argv[1], 0));
	}
	const char *dir = argv[argc - 1];
	if (stat(dir, &sb) == -1)
		err(1, "%s", dir);
	if (!S_ISDIR(sb.st_mode))
		usage();
	for (int i = 0; i < argc - 1; i++)
		rval |= linkit(argv[i], dir, 1);
	exit(rval);
}
