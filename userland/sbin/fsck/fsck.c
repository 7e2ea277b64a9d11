/*
 * fsck: check file systems, as BSD's fsck(8) front end.  With no operands
 * it checks the /etc/fstab entries with a pass number above zero, in pass
 * order; an operand is a device or a mount point from fstab (or a device
 * or image not in it, taken as ufs).  Each check runs fsck_<type>
 * (fsck_ffs for ufs and ffs) with the options given; the exit status is
 * the worst of theirs.
 */
#include <sys/wait.h>
#include <err.h>
#include <errno.h>
#include <fstab.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libutil.h"

#define MAXFS	64
#define EXIT_USAGE	8

struct entry {
	char	*spec;
	char	*type;
	int	 passno;
};

static char *flags[16];
static int nflags;
static const char *onlytype;
static int debug;

static void
usage(void)
{
	fprintf(stderr, "usage: fsck [-dfnpy] [-b block] [-t fstype] [special | node] ...\n");
	exit(EXIT_USAGE);
}

/* "ufs" and "ffs" are checked by fsck_ffs. */
static const char *
checker(const char *type)
{
	if (strcmp(type, "ufs") == 0 || strcmp(type, "ffs") == 0)
		return ("ffs");
	return (type);
}

static int
wanted(const char *type)
{
	return (onlytype == NULL || strcmp(checker(onlytype), checker(type)) == 0);
}

static int
checkfs(const char *type, const char *spec)
{
	char prog[64], path[128];
	char *argv[24];
	int i, n = 0, status;
	pid_t pid;

	snprintf(prog, sizeof(prog), "fsck_%s", checker(type));
	snprintf(path, sizeof(path), "/sbin/%s", prog);
	argv[n++] = prog;
	for (i = 0; i < nflags; i++)
		argv[n++] = flags[i];
	argv[n++] = (char *)spec;
	argv[n] = NULL;
	if (debug) {
		printf("start %s", path);
		for (i = 1; i < n; i++)
			printf(" %s", argv[i]);
		printf("\n");
		return (0);
	}
	fflush(stdout);
	switch (pid = fork()) {
	case -1:
		warn("fork");
		return (EXIT_USAGE);
	case 0:
		execv(path, argv);
		execvp(prog, argv);
		warn("exec %s for %s", prog, spec);
		_exit(EXIT_USAGE);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			warn("waitpid");
			return (EXIT_USAGE);
		}
	if (WIFSIGNALED(status)) {
		warnx("%s (%s): exited with signal %d", spec, prog, WTERMSIG(status));
		return (EXIT_USAGE);
	}
	return (WEXITSTATUS(status));
}

static int
bypass(const void *a, const void *b)
{
	return (((const struct entry *)a)->passno - ((const struct entry *)b)->passno);
}

int
main(int argc, char *argv[])
{
	struct entry fsl[MAXFS];
	struct fstab *fst;
	int ch, n = 0, i, r, ret = 0;
	static char bopt[32];

	while ((ch = getopt(argc, argv, "+b:dfl:npt:y")) != -1) {
		switch (ch) {
		case 'b':
			if (nflags + 2 >= 16)
				usage();
			snprintf(bopt, sizeof(bopt), "-b%s", optarg);
			flags[nflags++] = bopt;
			break;
		case 'd':
			debug = 1;
			break;
		case 'f':
			flags[nflags++] = "-f";
			break;
		case 'l':	/* parallel checks: one at a time here */
			break;
		case 'n':
			flags[nflags++] = "-n";
			break;
		case 'p':
			flags[nflags++] = "-p";
			break;
		case 't':
			onlytype = optarg;
			break;
		case 'y':
			flags[nflags++] = "-y";
			break;
		default:
			usage();
		}
		if (nflags >= 12)
			usage();
	}
	argc -= optind;
	argv += optind;

	if (argc == 0) {
		if (!setfsent())
			errx(EXIT_USAGE, "cannot open %s", _PATH_FSTAB);
		while ((fst = getfsent()) != NULL && n < MAXFS) {
			if (fst->fs_passno <= 0 || !wanted(fst->fs_vfstype))
				continue;
			if (strcmp(checker(fst->fs_vfstype), "ffs") != 0) {
				warnx("%s: no checker for file system type %s", fst->fs_spec, fst->fs_vfstype);
				continue;
			}
			fsl[n].spec = strdup(fst->fs_spec);
			fsl[n].type = strdup(fst->fs_vfstype);
			fsl[n].passno = fst->fs_passno;
			n++;
		}
		endfsent();
		qsort(fsl, n, sizeof(fsl[0]), bypass);
	} else {
		for (i = 0; i < argc && n < MAXFS; i++) {
			if ((fst = getfsfile(argv[i])) == NULL)
				fst = getfsspec(argv[i]);
			fsl[n].spec = strdup(fst != NULL ? fst->fs_spec : argv[i]);
			fsl[n].type = strdup(fst != NULL ? fst->fs_vfstype : onlytype != NULL ? onlytype : "ufs");
			fsl[n].passno = 0;
			if (!wanted(fsl[n].type))
				continue;
			n++;
		}
	}
	for (i = 0; i < n; i++) {
		r = checkfs(fsl[i].type, fsl[i].spec);
		if (r > ret)
			ret = r;
	}
	return (ret);
}
