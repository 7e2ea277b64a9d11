/*
 * chmod: change file modes.  The mode is octal or symbolic (see setmode(3)).
 * -R walks trees with fts(3): symbolic links are not followed unless -H
 * (links on the command line) or -L (all links) says so.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libutil.h"

static void
usage(void)
{
	fprintf(stderr, "usage: chmod [-fhv] [-R [-H | -L | -P]] mode file ...\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	FTS *ftsp;
	FTSENT *p;
	void *set;
	int ch, fflag = 0, hflag = 0, Rflag = 0, vflag = 0, rval = 0;
	int Hflag = 0, Lflag = 0, fts_options;
	mode_t newmode;

	while ((ch = getopt(argc, argv, "+HLPRfhv")) != -1) {
		switch (ch) {
		case 'H': Hflag = 1; Lflag = 0; break;
		case 'L': Lflag = 1; Hflag = 0; break;
		case 'P': Hflag = Lflag = 0; break;
		case 'R': Rflag = 1; break;
		case 'f': fflag = 1; break;
		case 'h': hflag = 1; break;
		case 'v': vflag++; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();
	if ((set = setmode(*argv)) == NULL)
		errx(1, "invalid file mode: %s", *argv);
	argv++;

	if (Rflag) {
		if (hflag)
			errx(1, "the -R and -h options may not be specified together.");
		fts_options = FTS_PHYSICAL;
		if (Lflag)
			fts_options = FTS_LOGICAL;
		else if (Hflag)
			fts_options |= FTS_COMFOLLOW;
	} else
		fts_options = hflag ? FTS_PHYSICAL : FTS_LOGICAL | FTS_COMFOLLOW;

	if ((ftsp = fts_open(argv, fts_options, NULL)) == NULL)
		err(1, "fts_open");
	while ((p = fts_read(ftsp)) != NULL) {
		switch (p->fts_info) {
		case FTS_D:
			if (!Rflag)
				fts_set(ftsp, p, FTS_SKIP);
			break;
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
			errno = p->fts_errno;
			warn("%s", p->fts_path);
			rval = 1;
			continue;
		case FTS_DP:
			continue;
		case FTS_SL:
		case FTS_SLNONE:
			/* Linux cannot change a link's own mode: nothing to do. */
			continue;
		default:
			break;
		}
		newmode = getmode(set, p->fts_statp->st_mode);
		if ((newmode & ALLPERMS) == (p->fts_statp->st_mode & ALLPERMS) && vflag < 2) {
			/* Nothing to change; -v still names the file. */
			if (vflag)
				printf("%s\n", p->fts_path);
			continue;
		}
		if (chmod(p->fts_accpath, newmode) == -1 && !fflag) {
			warn("%s", p->fts_path);
			rval = 1;
		} else if (vflag) {
			printf("%s", p->fts_path);
			if (vflag > 1) {
				char m1[12], m2[12];
				strmode(p->fts_statp->st_mode, m1);
				strmode((p->fts_statp->st_mode & S_IFMT) | newmode, m2);
				m1[10] = m2[10] = '\0';
				printf(": 0%o [%s] -> 0%o [%s]", p->fts_statp->st_mode & 07777,
				    m1, newmode & 07777, m2);
			}
			printf("\n");
		}
	}
	if (errno != 0)
		err(1, "fts_read");
	return (rval);
}
