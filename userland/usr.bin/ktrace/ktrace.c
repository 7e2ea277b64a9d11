/*
 * ktrace: enable kernel process tracing.  The kernel appends a record of
 * each traced system call, namei lookup, I/O and signal of the chosen
 * processes to the trace file (ktrace.out by default); kdump(1) shows it.
 * The vkernel's ktrace(2) is the private system call 1002.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "libutil.h"
#include "ktrace.h"

#define DEF_FILE	"ktrace.out"

enum { NOTSET, CLEAR, CLEARALL };

static void
usage(void)
{
	fprintf(stderr, "%s\n%s\n",
	    "usage: ktrace [-aCcdi] [-f trfile] [-g pgrp | -p pid] [-t trstr]",
	    "       ktrace [-adi] [-f trfile] [-t trstr] command");
	exit(1);
}

static int
ktrace(const char *file, int ops, int facs, int pid)
{
	return ((int)syscall(SYS_ktrace, file, ops, facs, pid));
}

static int
rpid(const char *p)
{
	const char *errstr;
	long long n;

	n = strtonum(p, 1, INT_MAX, &errstr);
	if (errstr != NULL)
		errx(1, "%s: %s", p, errstr);
	return ((int)n);
}

/* The trace file must exist and be ours to write: create it (truncated unless -a). */
static void
prepfile(const char *file, int append)
{
	struct stat sb;
	int fd;

	if ((fd = open(file, O_CREAT | O_WRONLY | O_NONBLOCK | O_NOFOLLOW |
	    (append ? 0 : O_TRUNC), DEFFILEMODE)) == -1)
		err(1, "%s", file);
	if (fstat(fd, &sb) == -1)
		err(1, "%s", file);
	if (!S_ISREG(sb.st_mode))
		errx(1, "%s: not a regular file", file);
	close(fd);
}

int
main(int argc, char *argv[])
{
	const char *file = DEF_FILE;
	int append = 0, clear = NOTSET, descend = 0, inherit = 0;
	int ch, ops, pid = 0, pidset = 0, facs = DEF_POINTS;

	while ((ch = getopt(argc, argv, "+aCcdf:g:ip:t:")) != -1)
		switch (ch) {
		case 'a':
			append = 1;
			break;
		case 'C':
			clear = CLEARALL;
			pid = 1;
			descend = 1;
			pidset = 1;
			break;
		case 'c':
			if (clear != CLEARALL)
				clear = CLEAR;
			break;
		case 'd':
			descend = 1;
			break;
		case 'f':
			file = optarg;
			break;
		case 'g':
			pid = -rpid(optarg);
			pidset = 1;
			break;
		case 'i':
			inherit = 1;
			break;
		case 'p':
			pid = rpid(optarg);
			pidset = 1;
			break;
		case 't':
			if ((facs = getpoints(optarg)) < 0) {
				warnx("unknown facility in %s", optarg);
				usage();
			}
			break;
		default:
			usage();
		}
	argv += optind;
	argc -= optind;

	if ((pidset && *argv) || (!pidset && clear == NOTSET && !*argv))
		usage();
	if (inherit)
		facs |= KTRFAC_INHERIT;
	if (clear != NOTSET) {
		if (clear == CLEARALL) {
			ops = KTROP_CLEAR | KTRFLAG_DESCEND;
			facs = ALL_POINTS;
		} else if (pidset) {
			ops = KTROP_CLEAR | (descend ? KTRFLAG_DESCEND : 0);
		} else {
			/* -c alone: stop everything tracing to the file. */
			if (ktrace(file, KTROP_CLEARFILE, 0, 0) == -1)
				err(1, "%s", file);
			exit(0);
		}
		if (ktrace(file, ops, facs, pid) == -1)
			err(1, "%s", file);
		exit(0);
	}

	prepfile(file, append);
	ops = KTROP_SET | (descend ? KTRFLAG_DESCEND : 0);
	if (*argv) {
		if (ktrace(file, ops, facs, getpid()) == -1)
			err(1, "%s", file);
		execvp(argv[0], argv);
		err(1, "exec of '%s' failed", argv[0]);	/* as BSD's */
	}
	if (ktrace(file, ops, facs, pid) == -1)
		err(1, "%s", file);
	exit(0);
}
