/*
 * find: walk a file hierarchy.
 *
 * The expression is parsed into a tree (operators ! -a -o and parentheses,
 * -a implied between primaries) and evaluated for every file fts(3) meets.
 * Without an action (-print, -print0, -exec, -ok, -delete, -ls) the whole
 * expression is followed by an implicit -print, as POSIX says.
 */
/* FNM_CASEFOLD for -iname and -ipath. */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fnmatch.h>
#include <fts.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "libutil.h"

enum op {
	N_NOT, N_AND, N_OR, N_TRUE, N_FALSE, N_NAME, N_INAME, N_PATH, N_IPATH, N_TYPE,
	N_PRINT, N_PRINT0, N_EXEC, N_OK, N_DELETE, N_PRUNE, N_NEWER, N_SIZE, N_TIME,
	N_MIN, N_PERM, N_EMPTY, N_USER, N_GROUP, N_LINKS, N_NOUSER, N_NOGROUP, N_LS,
	N_INUM
};

struct node {
	enum op	op;
	struct node *l, *r;
	const char *s;		/* pattern, type letter, ... */
	char	**argv;		/* -exec */
	int	argc, plus;
	char	cmp;		/* '+', '-' or 0 */
	intmax_t n;
	char	unit;		/* size unit; time field a/c/m */
	mode_t	mode;
	struct timespec t;
	/* -exec ... {} + collects paths here. */
	char	**batch;
	int	nbatch;
};

static char **av;
static int haveaction;
static int Lflag, Hflag, xflag, depthflag, dflag_set;
static long maxdepth = -1, mindepth = -1;
static int rval;
static time_t now;
static struct node *execplus[64];
static int nexecplus;

static void
usage(void)
{
	fprintf(stderr, "usage: find [-H | -L | -P] [-Xdsx] [-f path] path ... [expression]\n");
	exit(1);
}

static struct node *
newnode(enum op op)
{
	struct node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		err(1, NULL);
	n->op = op;
	return (n);
}

static const char *
needarg(const char *prim)
{
	if (*av == NULL)
		errx(1, "%s: requires additional arguments", prim);
	return (*av++);
}

/* "[+-]N": the comparison and the number. */
static void
number(struct node *n, const char *prim, const char *s, int allow_unit)
{
	char *ep;

	n->cmp = (*s == '+' || *s == '-') ? *s++ : 0;
	errno = 0;
	n->n = strtoimax(s, &ep, 10);
	if (ep == s || errno != 0)
		errx(1, "%s: %s: illegal numeric value", prim, s);
	if (allow_unit && *ep != '\0' && strchr("ckMGTP", *ep) != NULL && ep[1] == '\0')
		n->unit = *ep;
	else if (*ep != '\0')
		errx(1, "%s: %s: illegal trailing character", prim, s);
}

static int
cmpnum(const struct node *n, intmax_t v)
{
	return (n->cmp == '+' ? v > n->n : n->cmp == '-' ? v < n->n : v == n->n);
}

static struct node *parse_or(void);

static struct node *
primary(void)
{
	const char *a = *av++;
	struct node *n;

	if (strcmp(a, "(") == 0) {
		n = parse_or();
		if (*av == NULL || strcmp(*av, ")") != 0)
			errx(1, "(: missing closing ')'");
		av++;
		return (n);
	}
	if (strcmp(a, "!") == 0 || strcmp(a, "-not") == 0) {
		if (*av == NULL)
			errx(1, "%s: expression expected", a);
		n = newnode(N_NOT);
		n->l = primary();
		return (n);
	}
	if (strcmp(a, "-name") == 0) { n = newnode(N_NAME); n->s = needarg(a); return (n); }
	if (strcmp(a, "-iname") == 0) { n = newnode(N_INAME); n->s = needarg(a); return (n); }
	if (strcmp(a, "-path") == 0 || strcmp(a, "-wholename") == 0) { n = newnode(N_PATH); n->s = needarg(a); return (n); }
	if (strcmp(a, "-ipath") == 0) { n = newnode(N_IPATH); n->s = needarg(a); return (n); }
	if (strcmp(a, "-type") == 0) {
		n = newnode(N_TYPE);
		n->s = needarg(a);
		if (strlen(n->s) != 1 || strchr("bcdflps", n->s[0]) == NULL)
			errx(1, "-type: %s: unknown type", n->s);
		return (n);
	}
	if (strcmp(a, "-print") == 0) { haveaction = 1; return (newnode(N_PRINT)); }
	if (strcmp(a, "-print0") == 0) { haveaction = 1; return (newnode(N_PRINT0)); }
	if (strcmp(a, "-ls") == 0) { haveaction = 1; return (newnode(N_LS)); }
	if (strcmp(a, "-delete") == 0) { haveaction = 1; depthflag = 1; return (newnode(N_DELETE)); }
	if (strcmp(a, "-prune") == 0) return (newnode(N_PRUNE));
	if (strcmp(a, "-true") == 0) return (newnode(N_TRUE));
	if (strcmp(a, "-false") == 0) return (newnode(N_FALSE));
	if (strcmp(a, "-empty") == 0) return (newnode(N_EMPTY));
	if (strcmp(a, "-nouser") == 0) return (newnode(N_NOUSER));
	if (strcmp(a, "-nogroup") == 0) return (newnode(N_NOGROUP));
	if (strcmp(a, "-depth") == 0 || strcmp(a, "-d") == 0) { depthflag = 1; dflag_set = 1; return (newnode(N_TRUE)); }
	if (strcmp(a, "-xdev") == 0 || strcmp(a, "-mount") == 0) { xflag = 1; return (newnode(N_TRUE)); }
	if (strcmp(a, "-follow") == 0) { Lflag = 1; return (newnode(N_TRUE)); }
	if (strcmp(a, "-maxdepth") == 0 || strcmp(a, "-mindepth") == 0) {
		const char *s = needarg(a);
		char *ep;
		long v = strtol(s, &ep, 10);
		if (*s == '\0' || *ep != '\0' || v < 0)
			errx(1, "%s: %s: illegal numeric value", a, s);
		if (a[2] == 'a')
			maxdepth = v;
		else
			mindepth = v;
		return (newnode(N_TRUE));
	}
	if (strcmp(a, "-newer") == 0) {
		struct stat sb;
		const char *f = needarg(a);
		if ((Lflag ? stat(f, &sb) : lstat(f, &sb)) == -1)
			err(1, "%s", f);
		n = newnode(N_NEWER);
		n->t = sb.st_mtim;
		return (n);
	}
	if (strcmp(a, "-size") == 0) {
		n = newnode(N_SIZE);
		number(n, a, needarg(a), 1);
		return (n);
	}
	if (strcmp(a, "-links") == 0) { n = newnode(N_LINKS); number(n, a, needarg(a), 0); return (n); }
	if (strcmp(a, "-inum") == 0) { n = newnode(N_INUM); number(n, a, needarg(a), 0); return (n); }
	if (strcmp(a, "-mtime") == 0 || strcmp(a, "-atime") == 0 || strcmp(a, "-ctime") == 0 ||
	    strcmp(a, "-mmin") == 0 || strcmp(a, "-amin") == 0 || strcmp(a, "-cmin") == 0) {
		n = newnode(a[4] == 'i' ? N_MIN : N_TIME);
		n->unit = a[1];
		number(n, a, needarg(a), 0);
		return (n);
	}
	if (strcmp(a, "-perm") == 0) {
		const char *s = needarg(a);
		void *set;
		n = newnode(N_PERM);
		if (*s == '-' || *s == '+')
			n->cmp = *s++;
		if ((set = setmode(s)) == NULL)
			errx(1, "-perm: %s: illegal mode string", s);
		n->mode = getmode(set, 0) & 07777;
		free(set);
		return (n);
	}
	if (strcmp(a, "-user") == 0 || strcmp(a, "-group") == 0) {
		const char *s = needarg(a);
		char *ep;
		n = newnode(a[1] == 'u' ? N_USER : N_GROUP);
		if (n->op == N_USER) {
			struct passwd *pw = getpwnam(s);
			n->n = pw != NULL ? (intmax_t)pw->pw_uid : strtoimax(s, &ep, 10);
			if (pw == NULL && (*s == '\0' || *ep != '\0'))
				errx(1, "-user: %s: no such user", s);
		} else {
			struct group *gr = getgrnam(s);
			n->n = gr != NULL ? (intmax_t)gr->gr_gid : strtoimax(s, &ep, 10);
			if (gr == NULL && (*s == '\0' || *ep != '\0'))
				errx(1, "-group: %s: no such group", s);
		}
		return (n);
	}
	if (strcmp(a, "-exec") == 0 || strcmp(a, "-ok") == 0 || strcmp(a, "-execdir") == 0) {
		n = newnode(a[1] == 'o' ? N_OK : N_EXEC);
		haveaction = 1;
		n->argv = av;
		for (; *av != NULL; av++) {
			if (strcmp(*av, ";") == 0)
				break;
			if (strcmp(*av, "+") == 0 && av > n->argv && strcmp(av[-1], "{}") == 0 && n->op == N_EXEC) {
				n->plus = 1;
				break;
			}
		}
		if (*av == NULL || av == n->argv)
			errx(1, "%s: no terminating \";\" or \"+\"", a);
		n->argc = av - n->argv;
		av++;
		if (n->plus) {
			if (nexecplus == (int)(sizeof(execplus) / sizeof(execplus[0])))
				errx(1, "too many -exec ... +");
			execplus[nexecplus++] = n;
		}
		return (n);
	}
	errx(1, "%s: unknown primary or operator", a);
}

static int
isop(const char *s, const char *a, const char *b)
{
	return (s != NULL && (strcmp(s, a) == 0 || strcmp(s, b) == 0));
}

static struct node *
parse_and(void)
{
	struct node *l = primary();

	for (;;) {
		if (*av == NULL || strcmp(*av, ")") == 0 || isop(*av, "-o", "-or"))
			return (l);
		if (isop(*av, "-a", "-and")) {
			av++;
			if (*av == NULL)
				errx(1, "-a: expression expected");
		}
		struct node *n = newnode(N_AND);
		n->l = l;
		n->r = primary();
		l = n;
	}
}

static struct node *
parse_or(void)
{
	struct node *l = parse_and();

	while (isop(*av, "-o", "-or")) {
		av++;
		if (*av == NULL)
			errx(1, "-o: expression expected");
		struct node *n = newnode(N_OR);
		n->l = l;
		n->r = parse_and();
		l = n;
	}
	return (l);
}

static int
runcmd(char **argv, int ask)
{
	pid_t pid;
	int status;

	if (ask) {
		int ch, first;
		for (char **a = argv; *a != NULL; a++)
			fprintf(stderr, "%s%s", a == argv ? "\"" : " ", *a);
		fprintf(stderr, "\"? ");
		fflush(stderr);
		FILE *tty = fopen("/dev/tty", "r");
		first = ch = getc(tty != NULL ? tty : stdin);
		while (ch != '\n' && ch != EOF)
			ch = getc(tty != NULL ? tty : stdin);
		if (tty != NULL)
			fclose(tty);
		if (first != 'y' && first != 'Y')
			return (0);
	}
	fflush(stdout);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		execvp(argv[0], argv);
		warn("%s", argv[0]);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			err(1, "waitpid");
	return (WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Replace "{}" (also inside words) with the path. */
static char *
subst(const char *arg, const char *path)
{
	const char *p;
	size_t n = 0, pl = strlen(path);

	for (p = arg; (p = strstr(p, "{}")) != NULL; p += 2)
		n++;
	char *out = malloc(strlen(arg) + n * pl + 1), *o = out;
	if (out == NULL)
		err(1, NULL);
	for (p = arg; *p != '\0';) {
		if (p[0] == '{' && p[1] == '}') {
			memcpy(o, path, pl);
			o += pl;
			p += 2;
		} else
			*o++ = *p++;
	}
	*o = '\0';
	return (out);
}

static void
flushplus(struct node *n)
{
	if (n->nbatch == 0)
		return;
	char **argv = calloc(n->argc + n->nbatch, sizeof(*argv));
	int k = 0;
	if (argv == NULL)
		err(1, NULL);
	for (int i = 0; i < n->argc - 1; i++)
		argv[k++] = n->argv[i];
	for (int i = 0; i < n->nbatch; i++)
		argv[k++] = n->batch[i];
	argv[k] = NULL;
	if (!runcmd(argv, 0))
		rval = 1;
	for (int i = 0; i < n->nbatch; i++)
		free(n->batch[i]);
	n->nbatch = 0;
	free(argv);
}

static void
printls(FTSENT *e)
{
	const struct stat *sb = e->fts_statp;
	char mode[12], tbuf[32];
	struct tm *tm = localtime(&sb->st_mtime);

	strmode(sb->st_mode, mode);
	strftime(tbuf, sizeof(tbuf), sb->st_mtime + 182 * 86400 > now ? "%b %e %H:%M" : "%b %e  %Y", tm);
	printf("%6ju %4jd %s %3ju %-8s %-8s %8jd %s %s", (uintmax_t)sb->st_ino,
	    (intmax_t)(sb->st_blocks + 1) / 2, mode, (uintmax_t)sb->st_nlink,
	    user_from_uid(sb->st_uid, 0), group_from_gid(sb->st_gid, 0),
	    (intmax_t)sb->st_size, tbuf, e->fts_path);
	if (S_ISLNK(sb->st_mode)) {
		char buf[PATH_MAX];
		ssize_t len = readlink(e->fts_accpath, buf, sizeof(buf) - 1);
		if (len >= 0) {
			buf[len] = '\0';
			printf(" -> %s", buf);
		}
	}
	putchar('\n');
}

static int
eval(struct node *n, FTS *fts, FTSENT *e)
{
	const struct stat *sb = e->fts_statp;

	switch (n->op) {
	case N_NOT: return (!eval(n->l, fts, e));
	case N_AND: return (eval(n->l, fts, e) && eval(n->r, fts, e));
	case N_OR: return (eval(n->l, fts, e) || eval(n->r, fts, e));
	case N_TRUE: return (1);
	case N_FALSE: return (0);
	case N_NAME: return (fnmatch(n->s, e->fts_name, 0) == 0);
	case N_INAME: return (fnmatch(n->s, e->fts_name, FNM_CASEFOLD) == 0);
	case N_PATH: return (fnmatch(n->s, e->fts_path, 0) == 0);
	case N_IPATH: return (fnmatch(n->s, e->fts_path, FNM_CASEFOLD) == 0);
	case N_TYPE:
		switch (n->s[0]) {
		case 'b': return (S_ISBLK(sb->st_mode));
		case 'c': return (S_ISCHR(sb->st_mode));
		case 'd': return (S_ISDIR(sb->st_mode));
		case 'f': return (S_ISREG(sb->st_mode));
		case 'l': return (S_ISLNK(sb->st_mode));
		case 'p': return (S_ISFIFO(sb->st_mode));
		case 's': return (S_ISSOCK(sb->st_mode));
		}
		return (0);
	case N_PRINT: printf("%s\n", e->fts_path); return (1);
	case N_PRINT0: fputs(e->fts_path, stdout); putchar('\0'); return (1);
	case N_LS: printls(e); return (1);
	case N_PRUNE: fts_set(fts, e, FTS_SKIP); return (1);
	case N_DELETE:
		if (strcmp(e->fts_name, ".") == 0)
			return (1);
		if ((S_ISDIR(sb->st_mode) ? rmdir(e->fts_accpath) : unlink(e->fts_accpath)) == -1) {
			warn("-delete: %s", e->fts_path);
			rval = 1;
			return (0);
		}
		return (1);
	case N_EXEC:
	case N_OK: {
		if (n->plus) {
			if ((n->batch = reallocarray(n->batch, n->nbatch + 1, sizeof(char *))) == NULL ||
			    (n->batch[n->nbatch] = strdup(e->fts_path)) == NULL)
				err(1, NULL);
			if (++n->nbatch >= 1000)
				flushplus(n);
			return (1);
		}
		char **argv = calloc(n->argc + 1, sizeof(*argv));
		if (argv == NULL)
			err(1, NULL);
		for (int i = 0; i < n->argc; i++)
			argv[i] = subst(n->argv[i], e->fts_path);
		int r = runcmd(argv, n->op == N_OK);
		for (int i = 0; i < n->argc; i++)
			free(argv[i]);
		free(argv);
		return (r);
	}
	case N_NEWER:
		return (sb->st_mtim.tv_sec > n->t.tv_sec ||
		    (sb->st_mtim.tv_sec == n->t.tv_sec && sb->st_mtim.tv_nsec > n->t.tv_nsec));
	case N_SIZE: {
		intmax_t v;
		switch (n->unit) {
		case 'c': v = sb->st_size; break;
		case 'k': v = (sb->st_size + 1023) / 1024; break;
		case 'M': v = (sb->st_size + (1 << 20) - 1) >> 20; break;
		case 'G': v = (sb->st_size + (1 << 30) - 1) >> 30; break;
		default: v = (sb->st_size + 511) / 512; break;
		}
		return (cmpnum(n, v));
	}
	case N_TIME:
	case N_MIN: {
		time_t t = n->unit == 'a' ? sb->st_atime : n->unit == 'c' ? sb->st_ctime : sb->st_mtime;
		intmax_t unit = n->op == N_MIN ? 60 : 86400;
		/* Rounded up, as BSD find does: "-mtime 1" is within the last day. */
		return (cmpnum(n, (now - t + unit - 1) / unit));
	}
	case N_PERM: {
		mode_t m = sb->st_mode & 07777;
		if (n->cmp == '-')
			return ((m & n->mode) == n->mode);
		if (n->cmp == '+')
			return ((m & n->mode) != 0);
		return (m == n->mode);
	}
	case N_EMPTY:
		if (S_ISREG(sb->st_mode))
			return (sb->st_size == 0);
		if (S_ISDIR(sb->st_mode)) {
			FTS *f2;
			char *paths[] = { e->fts_accpath, NULL };
			int empty = 1;
			if ((f2 = fts_open(paths, FTS_PHYSICAL | FTS_NOSTAT, NULL)) != NULL) {
				FTSENT *c = fts_read(f2);
				if (c != NULL && fts_children(f2, FTS_NAMEONLY) != NULL)
					empty = 0;
				fts_close(f2);
			}
			return (empty);
		}
		return (0);
	case N_USER: return ((intmax_t)sb->st_uid == n->n);
	case N_GROUP: return ((intmax_t)sb->st_gid == n->n);
	case N_NOUSER: return (user_from_uid(sb->st_uid, 1) == NULL);
	case N_NOGROUP: return (group_from_gid(sb->st_gid, 1) == NULL);
	case N_LINKS: return (cmpnum(n, (intmax_t)sb->st_nlink));
	case N_INUM: return (cmpnum(n, (intmax_t)sb->st_ino));
	}
	return (0);
}

int
main(int argc, char *argv[])
{
	struct node *expr = NULL;
	char **paths, **pp;
	int ch, ftsopt;
	FTS *fts;
	FTSENT *e;

	now = time(NULL);
	paths = calloc(argc + 1, sizeof(*paths));
	if (paths == NULL)
		err(1, NULL);
	pp = paths;
	while ((ch = getopt(argc, argv, "+EHLPXdf:sx")) != -1) {
		switch (ch) {
		case 'E': break;
		case 'H': Hflag = 1; Lflag = 0; break;
		case 'L': Lflag = 1; Hflag = 0; break;
		case 'P': Hflag = Lflag = 0; break;
		case 'X': break;
		case 'd': depthflag = 1; break;
		case 'f': *pp++ = optarg; break;
		case 's': break;
		case 'x': xflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	/* Paths run until the first word that starts an expression. */
	for (; *argv != NULL; argv++) {
		const char *a = *argv;
		if ((a[0] == '-' && a[1] != '\0') || strcmp(a, "!") == 0 || strcmp(a, "(") == 0)
			break;
		*pp++ = *argv;
	}
	*pp = NULL;
	if (paths[0] == NULL)
		usage();
	av = argv;
	if (*av != NULL) {
		expr = parse_or();
		if (*av != NULL)
			errx(1, "%s: unexpected", *av);
	}
	if (!haveaction) {
		struct node *pr = newnode(N_PRINT);
		if (expr == NULL)
			expr = pr;
		else {
			struct node *a = newnode(N_AND);
			a->l = expr;
			a->r = pr;
			expr = a;
		}
	}

	ftsopt = FTS_NOCHDIR | (Lflag ? FTS_LOGICAL : FTS_PHYSICAL) | (Hflag ? FTS_COMFOLLOW : 0) |
	    (xflag ? FTS_XDEV : 0);
	if ((fts = fts_open(paths, ftsopt, NULL)) == NULL)
		err(1, "fts_open");
	while ((e = fts_read(fts)) != NULL) {
		switch (e->fts_info) {
		case FTS_D:
			if (!depthflag)
				break;
			/* -depth: evaluated in postorder (fts still returns it after a skip). */
			if (maxdepth >= 0 && e->fts_level >= maxdepth)
				fts_set(fts, e, FTS_SKIP);
			continue;
		case FTS_DP:
			if (!depthflag)
				continue;
			break;
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
			errno = e->fts_errno;
			warn("%s", e->fts_path);
			rval = 1;
			continue;
		case FTS_DC:
			warnx("%s: directory causes a cycle", e->fts_path);
			rval = 1;
			continue;
		default:
			break;
		}
		if (maxdepth >= 0 && e->fts_level > maxdepth) {
			fts_set(fts, e, FTS_SKIP);
			continue;
		}
		if (mindepth >= 0 && e->fts_level < mindepth)
			continue;
		if (maxdepth >= 0 && e->fts_level == maxdepth && e->fts_info == FTS_D)
			fts_set(fts, e, FTS_SKIP);
		eval(expr, fts, e);
	}
	if (errno != 0)
		err(1, "fts_read");
	for (int i = 0; i < nexecplus; i++)
		flushplus(execplus[i]);
	fts_close(fts);
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (rval);
}
