/*
 * du: display disk usage statistics.  Sizes are the blocks files occupy
 * (st_blocks), in units of $BLOCKSIZE (512 bytes by default) or -k/-m/-g,
 * or human-readable with -h.  Hard-linked files count once.
 */
#include <err.h>
#include <errno.h>
#include <fts.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libutil.h"

static int aflag, sflag, cflag, hflag, Aflag, nodepth = 1;
static long depth;
static long blocksize;

struct seen {
	dev_t	dev;
	ino_t	ino;
};
static struct seen *seen;
static size_t nseen, capseen;

static void
usage(void)
{
	fprintf(stderr, "usage: du [-Acklmnx] [-H | -L | -P] [-g | -h | -k | -m] [-a | -s | -d depth]\n"
	    "          [-B blocksize] [file ...]\n");
	exit(1);
}

/* Have we counted this inode already? (Only files with several links.) */
static int
linked(const struct stat *sb)
{
	for (size_t i = 0; i < nseen; i++)
		if (seen[i].ino == sb->st_ino && seen[i].dev == sb->st_dev)
			return (1);
	if (nseen == capseen) {
		capseen = capseen ? capseen * 2 : 64;
		if ((seen = reallocarray(seen, capseen, sizeof(*seen))) == NULL)
			err(1, NULL);
	}
	seen[nseen].dev = sb->st_dev;
	seen[nseen++].ino = sb->st_ino;
	return (0);
}

static void
prtout(int64_t bytes, const char *path)
{
	if (hflag) {
		char buf[5];
		humanize_number(buf, sizeof(buf), bytes, "", HN_AUTOSCALE, HN_B | HN_NOSPACE | HN_DECIMAL);
		printf("%4s\t%s\n", buf, path);
	} else
		printf("%jd\t%s\n", (intmax_t)((bytes + blocksize - 1) / blocksize), path);
}

static int64_t
usage_of(const struct stat *sb)
{
	return (Aflag ? sb->st_size : (int64_t)sb->st_blocks * 512);
}

int
main(int argc, char *argv[])
{
	FTS *fts;
	FTSENT *p;
	int ch, rval = 0, ftsopt = FTS_PHYSICAL, hl;
	int64_t total = 0;
	char *ep;
	static char *dot[] = { ".", NULL };

	(void)getbsize(&hl, &blocksize);
	while ((ch = getopt(argc, argv, "+AB:HLPacd:ghklmnrsx")) != -1) {
		switch (ch) {
		case 'A': Aflag = 1; break;
		case 'B':
			blocksize = strtol(optarg, &ep, 10);
			if (*ep != '\0' || blocksize <= 0)
				errx(1, "invalid block size: %s", optarg);
			break;
		case 'H': ftsopt = FTS_PHYSICAL | FTS_COMFOLLOW; break;
		case 'L': ftsopt = FTS_LOGICAL; break;
		case 'P': ftsopt = FTS_PHYSICAL; break;
		case 'a': aflag = 1; break;
		case 'c': cflag = 1; break;
		case 'd':
			depth = strtol(optarg, &ep, 10);
			if (*optarg == '\0' || *ep != '\0' || depth < 0)
				errx(1, "invalid argument to option d: %s", optarg);
			nodepth = 0;
			break;
		case 'g': blocksize = 1L << 30; hflag = 0; break;
		case 'h': hflag = 1; break;
		case 'k': blocksize = 1024; hflag = 0; break;
		case 'l': case 'n': case 'r': break;
		case 'm': blocksize = 1L << 20; hflag = 0; break;
		case 's': sflag = 1; break;
		case 'x': ftsopt |= FTS_XDEV; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (aflag + sflag + !nodepth > 1) {
		warnx("-a, -s and -d are mutually exclusive");
		usage();
	}
	if (sflag) {
		depth = 0;
		nodepth = 0;
	}
	if ((fts = fts_open(argc > 0 ? argv : dot, ftsopt, NULL)) == NULL)
		err(1, "fts_open");
	while ((p = fts_read(fts)) != NULL) {
		switch (p->fts_info) {
		case FTS_D:
			p->fts_number = 0;
			continue;
		case FTS_DP: {
			int64_t here = p->fts_number + usage_of(p->fts_statp);
			if (p->fts_parent != NULL && p->fts_level > FTS_ROOTLEVEL)
				p->fts_parent->fts_number += here;
			if (nodepth || p->fts_level <= depth)
				prtout(here, p->fts_path);
			if (p->fts_level == FTS_ROOTLEVEL)
				total += here;
			continue;
		}
		case FTS_DC:
			continue;
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
			errno = p->fts_errno;
			warn("%s", p->fts_path);
			rval = 1;
			continue;
		default: {
			if (p->fts_statp->st_nlink > 1 && linked(p->fts_statp))
				continue;
			int64_t here = usage_of(p->fts_statp);
			if (p->fts_level == FTS_ROOTLEVEL || (aflag && (nodepth || p->fts_level <= depth)))
				prtout(here, p->fts_path);
			if (p->fts_parent != NULL && p->fts_level > FTS_ROOTLEVEL)
				p->fts_parent->fts_number += here;
			else
				total += here;
		}
		}
	}
	if (errno != 0)
		err(1, "fts_read");
	if (cflag)
		prtout(total, "total");
	fts_close(fts);
	return (rval);
}
