/*
 * rm: remove directory entries.  Directories need -d (when empty) or -r;
 * "." and ".." and "/" are refused whatever the flags, as in BSD.
 * -f silences missing files and overrides -i; -I asks once for three or
 * more files or any recursion.
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

static int dflag, fflag, iflag, Iflag, rflag, vflag, xflag;
static int eval;
static int stdin_ok;

static void
usage(void)
{
	fprintf(stderr, "usage: rm [-f | -i] [-dIPRrvWx] file ...\n"
	    "       unlink [--] file\n");
	exit(1);
}

static int
yes(void)
{
	int ch, first;

	first = ch = getchar();
	while (ch != '\n' && ch != EOF)
		ch = getchar();
	return (first == 'y' || first == 'Y');
}

/* -i, or a write-protected file on a terminal: ask. */
static int
check(const char *path, const char *name, struct stat *sp)
{
	char modep[15];

	if (iflag) {
		fprintf(stderr, "remove %s? ", path);
	} else {
		if (fflag || !stdin_ok || S_ISLNK(sp->st_mode) ||
		    access(name, W_OK) == 0 || errno != EACCES)
			return (1);
		strmode(sp->st_mode, modep);
		modep[10] = '\0';
		fprintf(stderr, "override %s %s/%s for %s? ", modep + 1,
		    user_from_uid(sp->st_uid, 0), group_from_gid(sp->st_gid, 0), path);
	}
	fflush(stderr);
	return (yes());
}

static int
dotdot(const char *path)
{
	const char *p = strrchr(path, '/');
	size_t n;

	p = p != NULL ? p + 1 : path;
	n = strlen(p);
	return ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'));
}

static void
rm_tree(char **argv)
{
	FTS *fts;
	FTSENT *p;
	int flags = FTS_PHYSICAL | FTS_NOSTAT;

	if (!fflag || iflag || stdin_ok)
		flags &= ~FTS_NOSTAT;	/* check() needs the modes */
	if (xflag)
		flags |= FTS_XDEV;
	if ((fts = fts_open(argv, flags, NULL)) == NULL) {
		if (fflag && errno == ENOENT)
			return;
		err(1, "fts_open");
	}
	while ((p = fts_read(fts)) != NULL) {
		switch (p->fts_info) {
		case FTS_DNR:
			if (!fflag || p->fts_errno != ENOENT) {
				errno = p->fts_errno;
				warn("%s", p->fts_path);
				eval = 1;
			}
			continue;
		case FTS_ERR:
			errno = p->fts_errno;
			err(1, "%s", p->fts_path);
		case FTS_NS:
			if (fflag && p->fts_errno == ENOENT)
				continue;
			errno = p->fts_errno;
			warn("%s", p->fts_path);
			eval = 1;
			continue;
		case FTS_D:
			if (!fflag && !check(p->fts_path, p->fts_accpath, p->fts_statp)) {
				fts_set(fts, p, FTS_SKIP);
				p->fts_number = 1;	/* do not remove it in postorder */
			}
			continue;
		case FTS_DP:
			if (p->fts_number)
				continue;
			break;
		default:
			if (!fflag && !check(p->fts_path, p->fts_accpath, p->fts_statp))
				continue;
			break;
		}
		int rv;
		if (p->fts_info == FTS_DP || p->fts_info == FTS_DNR)
			rv = rmdir(p->fts_accpath);
		else
			rv = unlink(p->fts_accpath);
		if (rv == 0) {
			if (vflag)
				printf("%s\n", p->fts_path);
		} else if (!fflag || errno != ENOENT) {
			warn("%s", p->fts_path);
			eval = 1;
		}
	}
	if (errno != 0)
		err(1, "fts_read");
	fts_close(fts);
}

static void
rm_file(char **argv)
{
	struct stat sb;
	const char *f;

	while ((f = *argv++) != NULL) {
		if (lstat(f, &sb) == -1) {
			if (!fflag || errno != ENOENT) {
				warn("%s", f);
				eval = 1;
			}
			continue;
		}
		if (S_ISDIR(sb.st_mode) && !dflag) {
			warnx("%s: is a directory", f);
			eval = 1;
			continue;
		}
		if (!fflag && !check(f, f, &sb))
			continue;
		int rv = S_ISDIR(sb.st_mode) ? rmdir(f) : unlink(f);
		if (rv == -1 && (!fflag || errno != ENOENT)) {
			warn("%s", f);
			eval = 1;
		} else if (rv == 0 && vflag)
			printf("%s\n", f);
	}
}

/* -I: one question for many files or any recursion. */
static int
check2(char **argv)
{
	int dcount = 0, fcount = 0;
	struct stat sb;

	for (char **a = argv; *a != NULL; a++) {
		if (lstat(*a, &sb) == 0 && S_ISDIR(sb.st_mode))
			dcount++;
		else
			fcount++;
	}
	if (!(rflag && dcount > 0) && fcount + dcount <= 3)
		return (1);
	fprintf(stderr, "remove %d file%s%s? ", dcount + fcount,
	    dcount + fcount == 1 ? "" : "s", rflag && dcount ? " recursively" : "");
	fflush(stderr);
	return (yes());
}

int
main(int argc, char *argv[])
{
	int ch;
	const char *name = strrchr(argv[0], '/');

	name = name != NULL ? name + 1 : argv[0];
	if (strcmp(name, "unlink") == 0) {
		if (argc == 3 && strcmp(argv[1], "--") == 0)
			argv++, argc--;
		if (argc != 2 || argv[1][0] == '-')
			usage();
		if (unlink(argv[1]) == -1)
			err(1, "%s", argv[1]);
		return (0);
	}
	while ((ch = getopt(argc, argv, "+dfiIPRrvWx")) != -1) {
		switch (ch) {
		case 'd': dflag = 1; break;
		case 'f': fflag = 1; iflag = 0; break;
		case 'i': fflag = 0; iflag = 1; break;
		case 'I': Iflag = 1; break;
		case 'P': break;	/* overwriting is obsolete */
		case 'R': case 'r': rflag = 1; break;
		case 'v': vflag = 1; break;
		case 'W': errx(1, "-W: whiteouts are not supported");
		case 'x': xflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		if (fflag)
			return (0);
		usage();
	}

	/* Refuse ".", ".." and "/" operands but remove the others. */
	char **in = argv, **out = argv;
	for (; *in != NULL; in++) {
		if (dotdot(*in)) {
			warnx("\".\" and \"..\" may not be removed");
			eval = 1;
			continue;
		}
		const char *s = *in;
		while (*s == '/')
			s++;
		if (**in == '/' && *s == '\0') {
			warnx("\"/\" may not be removed");
			eval = 1;
			continue;
		}
		*out++ = *in;
	}
	*out = NULL;
	if (*argv == NULL)
		return (eval);

	stdin_ok = isatty(STDIN_FILENO);
	if (Iflag && !check2(argv))
		return (1);
	if (rflag)
		rm_tree(argv);
	else
		rm_file(argv);
	return (eval);
}
