/*
 * chown, chgrp: change file owner and group.  "owner[:group]" (or the old
 * "owner.group"), ":group", or for chgrp just "group"; names or numeric
 * ids.  -R walks trees with fts(3) (symbolic links followed only with -H
 * on the command line or -L everywhere); -h changes links themselves.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int ischown, fflag, hflag, vflag, xflag;

static void
usage(void)
{
	if (ischown)
		fprintf(stderr, "%s\n%s\n",
		    "usage: chown [-fhvx] [-R [-H | -L | -P]] owner[:group] file ...",
		    "       chown [-fhvx] [-R [-H | -L | -P]] :group file ...");
	else
		fprintf(stderr, "usage: chgrp [-fhvx] [-R [-H | -L | -P]] group file ...\n");
	exit(1);
}

static uid_t
a_uid(const char *s)
{
	struct passwd *pw;
	char *ep;
	unsigned long v;

	if ((pw = getpwnam(s)) != NULL)
		return (pw->pw_uid);
	errno = 0;
	v = strtoul(s, &ep, 10);
	if (*s == '\0' || *ep != '\0' || errno != 0)
		errx(1, "%s: illegal user name", s);
	return ((uid_t)v);
}

static gid_t
a_gid(const char *s)
{
	struct group *gr;
	char *ep;
	unsigned long v;

	if ((gr = getgrnam(s)) != NULL)
		return (gr->gr_gid);
	errno = 0;
	v = strtoul(s, &ep, 10);
	if (*s == '\0' || *ep != '\0' || errno != 0)
		errx(1, "%s: illegal group name", s);
	return ((gid_t)v);
}

int
main(int argc, char *argv[])
{
	const char *p = strrchr(argv[0], '/');
	int ch, Rflag = 0, Hflag = 0, Lflag = 0, rval = 0, ftsopt;
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	FTS *fts;
	FTSENT *e;

	p = p != NULL ? p + 1 : argv[0];
	ischown = strcmp(p, "chgrp") != 0;
	while ((ch = getopt(argc, argv, "+HLPRfhvx")) != -1) {
		switch (ch) {
		case 'H': Hflag = 1; Lflag = 0; break;
		case 'L': Lflag = 1; Hflag = 0; break;
		case 'P': Hflag = Lflag = 0; break;
		case 'R': Rflag = 1; break;
		case 'f': fflag = 1; break;
		case 'h': hflag = 1; break;
		case 'v': vflag = 1; break;
		case 'x': xflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();
	if (ischown) {
		char *spec = argv[0], *sep = strchr(spec, ':');
		if (sep == NULL)
			sep = strchr(spec, '.');
		if (sep != NULL) {
			*sep = '\0';
			if (sep[1] != '\0')
				gid = a_gid(sep + 1);
		}
		if (*spec != '\0')
			uid = a_uid(spec);
	} else
		gid = a_gid(argv[0]);
	argv++;

	if (Rflag) {
		if (hflag && Lflag)
			errx(1, "the -R%c and -h options may not be specified together", 'L');
		ftsopt = Lflag ? FTS_LOGICAL : FTS_PHYSICAL | (Hflag ? FTS_COMFOLLOW : 0);
	} else
		ftsopt = hflag ? FTS_PHYSICAL : FTS_LOGICAL | FTS_COMFOLLOW;
	if (xflag)
		ftsopt |= FTS_XDEV;
	if ((fts = fts_open(argv, ftsopt | FTS_NOCHDIR, NULL)) == NULL)
		err(1, "fts_open");
	while ((e = fts_read(fts)) != NULL) {
		int follow = 1;
		switch (e->fts_info) {
		case FTS_D:
			if (!Rflag)
				fts_set(fts, e, FTS_SKIP);
			break;
		case FTS_DP:
			continue;
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
			errno = e->fts_errno;
			warn("%s", e->fts_path);
			rval = 1;
			continue;
		case FTS_SL:
		case FTS_SLNONE:
			/* A link met in the walk: change the link itself. */
			follow = 0;
			break;
		default:
			break;
		}
		if (hflag)
			follow = 0;
		int r = follow ? chown(e->fts_accpath, uid, gid) : lchown(e->fts_accpath, uid, gid);
		if (r == -1) {
			if (!fflag) {
				warn("%s", e->fts_path);
				rval = 1;
			}
		} else if (vflag)
			printf("%s\n", e->fts_path);
	}
	if (errno != 0)
		err(1, "fts_read");
	fts_close(fts);
	return (rval);
}
