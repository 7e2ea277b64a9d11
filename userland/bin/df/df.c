/*
 * df: display free disk space.  The mounted file systems come from
 * /proc/mounts (the vkernel's procfs); each is statfs(2)ed.  Output and
 * options are BSD's: blocks of BLOCKSIZE (512 by default), -k, -m, -g,
 * -h / -H human sizes, -i inode counts, -T types, -t type lists, -l
 * local only, -P the POSIX format.  Operands name files: the file system
 * holding each is shown.
 */
#include <sys/stat.h>
#include <sys/vfs.h>

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libutil.h"

#define MOUNTS	"/proc/mounts"

struct fsent {
	char		*from, *on, *type;
	struct statfs	 sf;
	dev_t		 dev;
	int		 selected;
};

#define NCOLS	9
#define CELL	256

struct row {
	char		 cols[NCOLS][CELL];
	const char	*on;		/* the mount point */
};

static int	hflag, iflag, Pflag, Tflag;
static long	blocksize;
static const char *header;

static void
usage(void)
{
	fprintf(stderr, "usage: df [-b | -g | -H | -h | -k | -m | -P] [-ailnT] "
	    "[-t type] [file | filesystem ...]\n");
	exit(1);
}

static void
fmtsize(char *buf, size_t sz, uint64_t blocks, uint64_t bsize)
{
	uint64_t bytes = blocks * bsize;

	if (hflag)
		humanize_number(buf, 6, (int64_t)bytes, "", HN_AUTOSCALE,
		    HN_B | HN_NOSPACE | HN_DECIMAL |
		    (hflag == 2 ? HN_DIVISOR_1000 : 0));
	else
		snprintf(buf, sz, "%" PRIu64, bytes / (uint64_t)blocksize);
}

/* Read /proc/mounts and statfs each. */
static struct fsent *
getmounts(size_t *np)
{
	struct fsent *v = NULL;
	struct mntent *m;
	struct stat sb;
	FILE *fp;
	size_t n = 0;

	if ((fp = setmntent(MOUNTS, "r")) == NULL)
		err(1, "%s", MOUNTS);
	while ((m = getmntent(fp)) != NULL) {
		if ((v = reallocarray(v, n + 1, sizeof(*v))) == NULL)
			err(1, NULL);
		memset(&v[n], 0, sizeof(v[n]));
		if ((v[n].from = strdup(m->mnt_fsname)) == NULL ||
		    (v[n].on = strdup(m->mnt_dir)) == NULL ||
		    (v[n].type = strdup(m->mnt_type)) == NULL)
			err(1, NULL);
		if (statfs(m->mnt_dir, &v[n].sf) == -1) {
			warn("%s", m->mnt_dir);
			free(v[n].from);
			free(v[n].on);
			free(v[n].type);
			continue;
		}
		v[n].dev = stat(m->mnt_dir, &sb) == 0 ? sb.st_dev : (dev_t)-1;
		n++;
	}
	endmntent(fp);
	*np = n;
	return (v);
}

int
main(int argc, char *argv[])
{
	struct fsent *fs;
	struct stat sb;
	struct row *rows;
	size_t n, i, nrows;
	char *typelist = NULL;
	int ch, c, ncol, w[NCOLS], rval = 0, aflag = 0, found, hdrlen;
	long long used, avail, total;
	uint64_t bsize;

	while ((ch = getopt(argc, argv, "+abgHhiklmnPTt:")) != -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 'b': hflag = 0; blocksize = 512; header = "512-blocks"; break;
		case 'g': hflag = 0; blocksize = 1073741824; header = "1G-blocks"; break;
		case 'H': hflag = 2; break;
		case 'h': hflag = 1; break;
		case 'i': iflag = 1; break;
		case 'k': hflag = 0; blocksize = 1024; header = "1K-blocks"; break;
		case 'l': typelist = "nonfs,smbfs,hostfs"; break;
		case 'm': hflag = 0; blocksize = 1048576; header = "1M-blocks"; break;
		case 'n': break;	/* statfs never waits here */
		case 'P': Pflag = 1; break;
		case 'T': Tflag = 1; break;
		case 't':
			if (typelist != NULL)
				errx(1, "only one -t option may be specified");
			typelist = optarg;
			break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	(void)aflag;		/* every mount is shown anyway */

	if (Pflag && header == NULL) {
		blocksize = 512;
		header = "512-blocks";
		hflag = 0;
	}
	if (header == NULL && !hflag)
		header = getbsize(&hdrlen, &blocksize);
	if (hflag)
		header = "Size";

	fs = getmounts(&n);
	if (argc == 0) {
		for (i = 0; i < n; i++)
			fs[i].selected = vfs_selected(fs[i].type, typelist);
	} else {
		for (; *argv != NULL; argv++) {
			if (stat(*argv, &sb) == -1) {
				warn("%s", *argv);
				rval = 1;
				continue;
			}
			/* The last mount with that device: the one on top. */
			found = -1;
			for (i = 0; i < n; i++)
				if (fs[i].dev == sb.st_dev)
					found = (int)i;
			if (found == -1) {
				warnx("%s: not a mounted file system", *argv);
				rval = 1;
				continue;
			}
			fs[found].selected = 1;
		}
	}

	/* Format every cell, then print with the widest of each column. */
	if ((rows = calloc(n + 1, sizeof(*rows))) == NULL)
		err(1, NULL);
	ncol = 0;
	strlcpy(rows[0].cols[ncol++], "Filesystem", CELL);
	if (Tflag)
		strlcpy(rows[0].cols[ncol++], "Type", CELL);
	strlcpy(rows[0].cols[ncol++], header, CELL);
	strlcpy(rows[0].cols[ncol++], "Used", CELL);
	strlcpy(rows[0].cols[ncol++], "Avail", CELL);
	strlcpy(rows[0].cols[ncol++], "Capacity", CELL);
	if (iflag) {
		strlcpy(rows[0].cols[ncol++], "iused", CELL);
		strlcpy(rows[0].cols[ncol++], "ifree", CELL);
		strlcpy(rows[0].cols[ncol++], "%iused", CELL);
	}
	rows[0].on = "Mounted on";
	nrows = 1;
	for (i = 0; i < n; i++) {
		struct statfs *sf = &fs[i].sf;
		char *cell;

		if (!fs[i].selected)
			continue;
		bsize = sf->f_frsize != 0 ? (uint64_t)sf->f_frsize :
		    (uint64_t)sf->f_bsize;
		c = 0;
		rows[nrows].on = fs[i].on;
		snprintf(rows[nrows].cols[c++], CELL, "%s", fs[i].from);
		if (Tflag)
			snprintf(rows[nrows].cols[c++], CELL, "%s", fs[i].type);
		used = (long long)(sf->f_blocks - sf->f_bfree);
		avail = (long long)sf->f_bavail;
		total = (long long)sf->f_blocks;
		fmtsize(rows[nrows].cols[c++], 32, (uint64_t)total, bsize);
		fmtsize(rows[nrows].cols[c++], 32, (uint64_t)used, bsize);
		fmtsize(rows[nrows].cols[c++], 32, (uint64_t)avail, bsize);
		cell = rows[nrows].cols[c++];
		snprintf(cell, CELL, "%.0f%%", used + avail == 0 ? 100.0 :
		    100.0 * (double)used / (double)(used + avail));
		if (iflag) {
			long long iused = (long long)(sf->f_files - sf->f_ffree);

			snprintf(rows[nrows].cols[c++], CELL, "%lld", iused);
			snprintf(rows[nrows].cols[c++], CELL, "%lld",
			    (long long)sf->f_ffree);
			if (sf->f_files == 0)
				snprintf(rows[nrows].cols[c++], CELL, "100%%");
			else
				snprintf(rows[nrows].cols[c++], CELL, "%.0f%%",
				    100.0 * (double)iused / (double)sf->f_files);
		}
		nrows++;
	}
	/* As BSD: the header comes with the first file system, so none without one. */
	if (nrows == 1)
		return (rval);
	for (c = 0; c < ncol; c++) {
		w[c] = 0;
		for (i = 0; i < nrows; i++)
			if ((int)strlen(rows[i].cols[c]) > w[c])
				w[c] = (int)strlen(rows[i].cols[c]);
	}
	for (i = 0; i < nrows; i++) {
		for (c = 0; c < ncol; c++) {
			int left = c == 0 || (Tflag && c == 1);

			if (c > 0)
				putchar(' ');
			if (Tflag && c == 1)
				putchar(' ');
			if (left)
				printf("%-*s", w[c], rows[i].cols[c]);
			else
				printf("%*s", w[c], rows[i].cols[c]);
		}
		printf("  %s\n", rows[i].on);
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return (rval);
}
