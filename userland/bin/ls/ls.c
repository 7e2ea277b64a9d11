/*
 * ls: list directory contents, in BSD's formats.
 *
 * Operands that are not directories are listed first, as one group; then
 * each directory, under a "name:" header when there is more than one
 * operand (or -R).  Output to a terminal is in columns (-C) with
 * non-printing characters shown as '?' (-q); otherwise one name per line
 * (-1) and raw names.  The super-user sees dot files by default (-A), as
 * on BSD.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include "libutil.h"

struct entry {
	char	*name;		/* as printed (the operand, or the directory entry) */
	char	*path;		/* for lstat/readlink/recursion */
	struct stat sb;
	int	statok;
};

/* Output format. */
enum { F_SINGLE, F_COLUMNS, F_ACROSS, F_LONG, F_STREAM };
static int format;
static int f_all, f_almost, f_dironly, f_type, f_slash, f_human, f_inode;
static int f_numeric, f_recursive, f_reverse, f_size, f_nosort, f_kblocks;
static int f_fulltime, f_nonprint, f_follow, f_cmdfollow, f_octal;
enum { S_NAME, S_MTIME, S_SIZE, S_CTIME, S_ATIME } ;
static int sortkey = S_NAME, timekey = S_MTIME;
static long blocksize = 512;
static int termwidth = 80;
static int rval;
static time_t now;
static int first_output = 1;

static void
usage(void)
{
	fprintf(stderr, "usage: ls [-1ACFHLRSTacdfhiklmnpqrstux] [file ...]\n");
	exit(1);
}

static struct timespec
etime(const struct stat *sb)
{
	switch (timekey) {
	case S_CTIME: return (sb->st_ctim);
	case S_ATIME: return (sb->st_atim);
	default: return (sb->st_mtim);
	}
}

static int
cmp(const void *va, const void *vb)
{
	const struct entry *a = va, *b = vb;
	int r = 0;

	if (sortkey == S_MTIME) {
		struct timespec ta = etime(&a->sb), tb = etime(&b->sb);
		if (ta.tv_sec != tb.tv_sec)
			r = ta.tv_sec > tb.tv_sec ? -1 : 1;
		else if (ta.tv_nsec != tb.tv_nsec)
			r = ta.tv_nsec > tb.tv_nsec ? -1 : 1;
	} else if (sortkey == S_SIZE) {
		if (a->sb.st_size != b->sb.st_size)
			r = a->sb.st_size > b->sb.st_size ? -1 : 1;
	}
	if (r == 0)
		r = strcoll(a->name, b->name);
	return (f_reverse ? -r : r);
}

/* Print a name, '?' for non-printing bytes when -q. */
static int
printname(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++, n++) {
		unsigned char c = *s;
		if (f_nonprint && (c < ' ' || c == 0177))
			putchar('?');
		else
			putchar(c);
	}
	return (n);
}

static int
typechar(const struct stat *sb)
{
	if (f_slash)
		return (S_ISDIR(sb->st_mode) ? '/' : 0);
	switch (sb->st_mode & S_IFMT) {
	case S_IFDIR: return ('/');
	case S_IFLNK: return ('@');
	case S_IFSOCK: return ('=');
	case S_IFIFO: return ('|');
	}
	if (sb->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))
		return ('*');
	return (0);
}

static uintmax_t
blocks(const struct stat *sb)
{
	/* st_blocks is in 512-byte units; round up to our block size. */
	return (((uintmax_t)sb->st_blocks * 512 + blocksize - 1) / blocksize);
}

static void
human(char *buf, size_t len, int64_t n)
{
	humanize_number(buf, len, n, "", HN_AUTOSCALE, HN_B | HN_NOSPACE | HN_DECIMAL);
}

static int
ndigits(uintmax_t n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return (d);
}

struct widths {
	int inode, block, nlink, user, group, size, name;
	uintmax_t total;
};

static const char *
uname_of(const struct stat *sb, char *buf, size_t len)
{
	const char *s;

	if (!f_numeric && (s = user_from_uid(sb->st_uid, 1)) != NULL)
		return (s);
	snprintf(buf, len, "%u", (unsigned)sb->st_uid);
	return (buf);
}

static const char *
gname_of(const struct stat *sb, char *buf, size_t len)
{
	const char *s;

	if (!f_numeric && (s = group_from_gid(sb->st_gid, 1)) != NULL)
		return (s);
	snprintf(buf, len, "%u", (unsigned)sb->st_gid);
	return (buf);
}

static void
measure(struct entry *ents, int n, struct widths *w)
{
	char ub[16], gb[16], hb[5];

	memset(w, 0, sizeof(*w));
	for (int i = 0; i < n; i++) {
		struct stat *sb = &ents[i].sb;
		int len;
		if (!ents[i].statok)
			continue;
		w->total += blocks(sb);
		if ((len = ndigits(sb->st_ino)) > w->inode) w->inode = len;
		if (f_human) {
			human(hb, sizeof(hb), (int64_t)blocks(sb) * blocksize);
			len = strlen(hb);
		} else
			len = ndigits(blocks(sb));
		if (len > w->block) w->block = len;
		if ((len = ndigits(sb->st_nlink)) > w->nlink) w->nlink = len;
		if ((len = strlen(uname_of(sb, ub, sizeof(ub)))) > w->user) w->user = len;
		if ((len = strlen(gname_of(sb, gb, sizeof(gb)))) > w->group) w->group = len;
		if (S_ISCHR(sb->st_mode) || S_ISBLK(sb->st_mode))
			len = 8;	/* "%3u, %3u" */
		else if (f_human)
			len = 4;
		else
			len = ndigits(sb->st_size);
		if (len > w->size) w->size = len;
		if ((len = strlen(ents[i].name)) > w->name) w->name = len;
	}
	/* Names of entries we could not stat count too. */
	for (int i = 0; i < n; i++) {
		int len = strlen(ents[i].name);
		if (len > w->name) w->name = len;
	}
}

static void
printtime(const struct stat *sb)
{
	char buf[64];
	struct timespec ts = etime(sb);
	struct tm *tm = localtime(&ts.tv_sec);
	const char *fmt;
	/* Recent means the last six months (and not in the future). */
	const time_t six = 365 / 2 * 86400;

	if (f_fulltime)
		fmt = "%b %e %H:%M:%S %Y";
	else if (ts.tv_sec + six > now && ts.tv_sec < now + 60)
		fmt = "%b %e %H:%M";
	else
		fmt = "%b %e  %Y";
	if (tm == NULL)
		snprintf(buf, sizeof(buf), "%*s", 12, "?");
	else
		strftime(buf, sizeof(buf), fmt, tm);
	fputs(buf, stdout);
	putchar(' ');
}

/* Inode and block columns, shared by every format. */
static int
prefix(const struct entry *e, const struct widths *w)
{
	int n = 0;
	char hb[5];

	if (f_inode)
		n += printf("%*ju ", w->inode, (uintmax_t)e->sb.st_ino);
	if (f_size) {
		if (f_human) {
			human(hb, sizeof(hb), (int64_t)blocks(&e->sb) * blocksize);
			n += printf("%*s ", w->block, hb);
		} else
			n += printf("%*ju ", w->block, blocks(&e->sb));
	}
	return (n);
}

static int
printentry(const struct entry *e, const struct widths *w)
{
	int n = prefix(e, w), c;

	n += printname(e->name);
	if (f_type && (c = typechar(&e->sb)) != 0) {
		putchar(c);
		n++;
	}
	return (n);
}

static void
printtotal(const struct widths *w)
{
	char hb[5];

	if (f_human) {
		human(hb, sizeof(hb), (int64_t)(w->total * blocksize));
		printf("total %s\n", hb);
	} else
		printf("total %ju\n", w->total);
}

static void
printlong(struct entry *ents, int n, int total)
{
	struct widths w;
	char mode[12], ub[16], gb[16], hb[5], target[PATH_MAX];

	measure(ents, n, &w);
	if (total)
		printtotal(&w);
	for (int i = 0; i < n; i++) {
		struct entry *e = &ents[i];
		struct stat *sb = &e->sb;
		if (!e->statok)
			continue;
		prefix(e, &w);
		strmode(sb->st_mode, mode);
		if (f_octal)
			printf("%04o ", (unsigned)(sb->st_mode & 07777));
		printf("%s %*ju %-*s  %-*s  ", mode, w.nlink, (uintmax_t)sb->st_nlink,
		    w.user, uname_of(sb, ub, sizeof(ub)), w.group, gname_of(sb, gb, sizeof(gb)));
		if (S_ISCHR(sb->st_mode) || S_ISBLK(sb->st_mode))
			printf("%3u, %3u ", major(sb->st_rdev), minor(sb->st_rdev));
		else if (f_human) {
			human(hb, sizeof(hb), sb->st_size);
			printf("%*s ", w.size, hb);
		} else
			printf("%*jd ", w.size, (intmax_t)sb->st_size);
		printtime(sb);
		printname(e->name);
		if (f_type) {
			int c = typechar(sb);
			if (c != 0)
				putchar(c);
		}
		if (S_ISLNK(sb->st_mode)) {
			ssize_t len = readlink(e->path, target, sizeof(target) - 1);
			if (len == -1) {
				warn("%s", e->name);
				rval = 1;
			} else {
				target[len] = '\0';
				fputs(" -> ", stdout);
				printname(target);
			}
		}
		putchar('\n');
	}
}

static void
printcols(struct entry *ents, int n, int total, int across)
{
	struct widths w;
	int colwidth, numcols, numrows;

	/* Only entries we could stat (the rest were reported). */
	int m = 0;
	for (int i = 0; i < n; i++)
		if (ents[i].statok)
			ents[m++] = ents[i];
	n = m;
	measure(ents, n, &w);
	if (total && f_size)
		printtotal(&w);
	if (n == 0)
		return;
	colwidth = w.name;
	if (f_inode)
		colwidth += w.inode + 1;
	if (f_size)
		colwidth += w.block + 1;
	if (f_type)
		colwidth += 1;
	colwidth = (colwidth + 8) & ~7;		/* to the next tab stop */
	if (termwidth < 2 * colwidth) {
		for (int i = 0; i < n; i++) {
			printentry(&ents[i], &w);
			putchar('\n');
		}
		return;
	}
	numcols = termwidth / colwidth;
	numrows = (n + numcols - 1) / numcols;
	if (!across)
		numcols = (n + numrows - 1) / numrows;
	for (int row = 0; row < numrows; row++) {
		int endcol = colwidth, chcnt = 0;
		for (int col = 0; col < numcols; col++) {
			int idx = across ? row * numcols + col : col * numrows + row;
			if (idx >= n)
				break;
			chcnt += printentry(&ents[idx], &w);
			int nxt = across ? idx + 1 : idx + numrows;
			if (nxt >= n || col == numcols - 1 || (across && (idx + 1) % numcols == 0))
				break;
			int cnt;
			while ((cnt = (chcnt + 8) & ~7) <= endcol) {
				putchar('\t');
				chcnt = cnt;
			}
			endcol += colwidth;
		}
		putchar('\n');
	}
}

static void
printstream(struct entry *ents, int n)
{
	struct widths w;
	int col = 0;

	measure(ents, n, &w);
	for (int i = 0; i < n; i++) {
		if (!ents[i].statok)
			continue;
		int len = strlen(ents[i].name) + (f_type ? 1 : 0) + 2;
		if (col > 0) {
			if (col + len >= termwidth) {
				printf(",\n");
				col = 0;
			} else {
				printf(", ");
				col += 2;
			}
		}
		col += printentry(&ents[i], &w);
	}
	if (col > 0)
		putchar('\n');
}

static void
display(struct entry *ents, int n, int isdir)
{
	if (!f_nosort)
		qsort(ents, n, sizeof(*ents), cmp);
	switch (format) {
	case F_LONG:
		printlong(ents, n, isdir);
		break;
	case F_COLUMNS:
	case F_ACROSS:
		printcols(ents, n, isdir, format == F_ACROSS);
		break;
	case F_STREAM:
		printstream(ents, n);
		break;
	default: {
		struct widths w;
		measure(ents, n, &w);
		if (isdir && f_size)
			printtotal(&w);
		for (int i = 0; i < n; i++) {
			if (!ents[i].statok)
				continue;
			printentry(&ents[i], &w);
			putchar('\n');
		}
	}
	}
}

static char *
joinpath(const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	char *p = malloc(dl + strlen(name) + 2);

	if (p == NULL)
		err(1, NULL);
	if (dl > 0 && dir[dl - 1] == '/')
		sprintf(p, "%s%s", dir, name);
	else
		sprintf(p, "%s/%s", dir, name);
	return (p);
}

static int
dostat(struct entry *e, int follow)
{
	if ((follow ? stat(e->path, &e->sb) : lstat(e->path, &e->sb)) == 0) {
		e->statok = 1;
		return (0);
	}
	/* A dangling link followed by -L is still listed, as a link. */
	if (follow && lstat(e->path, &e->sb) == 0) {
		e->statok = 1;
		return (0);
	}
	warn("%s", e->name);
	rval = 1;
	e->statok = 0;
	return (-1);
}

static void listdir(const char *path, const char *shown);
static int multi;		/* more than one operand: headers for all */

static void
freeents(struct entry *ents, int n)
{
	for (int i = 0; i < n; i++) {
		free(ents[i].name);
		free(ents[i].path);
	}
	free(ents);
}

static void
listdir(const char *path, const char *shown)
{
	DIR *d;
	struct dirent *de;
	struct entry *ents = NULL;
	int n = 0, cap = 0;

	/* After earlier output a blank line and a header; first, only if several operands. */
	if (!first_output || multi) {
		if (!first_output)
			putchar('\n');
		printname(shown);
		printf(":\n");
	}
	first_output = 0;
	if ((d = opendir(path)) == NULL) {
		warn("%s", shown);
		rval = 1;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		const char *nm = de->d_name;
		if (nm[0] == '.') {
			int dots = nm[1] == '\0' || (nm[1] == '.' && nm[2] == '\0');
			if (!f_all && !(f_almost && !dots))
				continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((ents = reallocarray(ents, cap, sizeof(*ents))) == NULL)
				err(1, NULL);
		}
		struct entry *e = &ents[n++];
		memset(e, 0, sizeof(*e));
		if ((e->name = strdup(nm)) == NULL)
			err(1, NULL);
		e->path = joinpath(path, nm);
		dostat(e, f_follow);
	}
	closedir(d);
	display(ents, n, 1);

	if (f_recursive) {
		/* Subdirectories, in display order, not "." or "..". */
		for (int i = 0; i < n; i++) {
			struct entry *e = &ents[i];
			const char *nm = e->name;
			if (!e->statok || !S_ISDIR(e->sb.st_mode))
				continue;
			if (nm[0] == '.' && (nm[1] == '\0' || (nm[1] == '.' && nm[2] == '\0')))
				continue;
			char *sub = joinpath(shown, nm);
			listdir(e->path, sub);
			free(sub);
		}
	}
	freeents(ents, n);
}

int
main(int argc, char *argv[])
{
	struct winsize ws;
	struct entry *files, *dirs;
	int ch, nfiles = 0, ndirs = 0, tty;
	const char *p;

	setlocale(LC_ALL, "");
	tty = isatty(STDOUT_FILENO);
	if (tty) {
		format = F_COLUMNS;
		f_nonprint = 1;
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
			termwidth = ws.ws_col;
	} else
		format = F_SINGLE;
	if ((p = getenv("COLUMNS")) != NULL && *p != '\0') {
		int c = atoi(p);
		if (c > 0)
			termwidth = c;
	}
	/* The super-user sees dot files (not . and ..), as on BSD. */
	if (getuid() == 0)
		f_almost = 1;

	while ((ch = getopt(argc, argv, "+1ABCFGHILRSTacdfghiklmnopqrstuwx")) != -1) {
		switch (ch) {
		case '1': format = F_SINGLE; break;
		case 'C': format = F_COLUMNS; break;
		case 'x': format = F_ACROSS; break;
		case 'l': format = F_LONG; break;
		case 'n': format = F_LONG; f_numeric = 1; break;
		case 'm': format = F_STREAM; break;
		case 'A': f_almost = 1; break;
		case 'a': f_all = 1; break;
		case 'I': f_almost = 0; break;
		case 'B': case 'q': f_nonprint = 1; break;
		case 'w': f_nonprint = 0; break;
		case 'F': f_type = 1; f_slash = 0; break;
		case 'p': f_type = 1; f_slash = 1; break;
		case 'G': break;	/* no colours: our console shows plain text */
		case 'H': f_cmdfollow = 1; break;
		case 'L': f_follow = 1; f_cmdfollow = 1; break;
		case 'R': f_recursive = 1; break;
		case 'S': sortkey = S_SIZE; break;
		case 't': sortkey = S_MTIME; break;
		case 'T': f_fulltime = 1; break;
		case 'c': timekey = S_CTIME; break;
		case 'u': timekey = S_ATIME; break;
		case 'd': f_dironly = 1; f_recursive = 0; break;
		case 'f': f_nosort = 1; f_all = 1; break;
		case 'g': break;	/* BSD compatibility: the group is always shown */
		case 'h': f_human = 1; break;
		case 'i': f_inode = 1; break;
		case 'k': f_kblocks = 1; break;
		case 'o': f_octal = 1; break;
		case 'r': f_reverse = 1; break;
		case 's': f_size = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;

	if (f_kblocks)
		blocksize = 1024;
	else if (f_size || format == F_LONG) {
		int hl;
		(void)getbsize(&hl, &blocksize);
	}
	/* Links named on the command line are followed unless -F, -d or -l. */
	if (!f_dironly && !f_type && format != F_LONG)
		f_cmdfollow = 1;
	if (f_dironly)
		f_recursive = 0;
	/* -t, -c, -u alone: a time sort. */
	now = time(NULL);

	static char *dot[] = { ".", NULL };
	multi = argc > 1;
	if (argc == 0) {
		argv = dot;
		argc = 1;
	}
	if ((files = calloc(argc, sizeof(*files))) == NULL ||
	    (dirs = calloc(argc, sizeof(*dirs))) == NULL)
		err(1, NULL);
	for (int i = 0; i < argc; i++) {
		struct entry e = { 0 };
		if ((e.name = strdup(argv[i])) == NULL || (e.path = strdup(argv[i])) == NULL)
			err(1, NULL);
		if (dostat(&e, f_cmdfollow || f_follow) == -1) {
			free(e.name);
			free(e.path);
			continue;
		}
		if (S_ISDIR(e.sb.st_mode) && !f_dironly)
			dirs[ndirs++] = e;
		else
			files[nfiles++] = e;
	}
	if (nfiles > 0) {
		display(files, nfiles, 0);
		first_output = 0;
	}
	if (!f_nosort)
		qsort(dirs, ndirs, sizeof(*dirs), cmp);
	for (int i = 0; i < ndirs; i++)
		listdir(dirs[i].path, dirs[i].name);
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (rval);
}
