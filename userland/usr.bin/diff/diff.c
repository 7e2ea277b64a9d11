/*
 * diff: differential file and directory comparator.
 *
 *	diff [-bciNqruw] [-C n] [-U n] file1 file2
 *
 * Lines are compared by equivalence class (after -i, -b, -w folding) and
 * the shortest edit script is found by Myers' O(ND) algorithm in linear
 * space (divide at the middle snake); like GNU diff, a search that grows
 * too expensive settles for the furthest-reaching diagonal, so that
 * large, very different files still compare quickly.  Output is the
 * normal format, unified (-u, -U n) or context (-c, -C n).  Exit status:
 * 0 same, 1 different, 2 trouble.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libutil.h"

enum { F_NORMAL, F_UNIFIED, F_CONTEXT };

static int format = F_NORMAL, context = 3;
static int bflag, iflag, wflag, Nflag, qflag, rflag;
static int status;		/* 0 same, 1 different, 2 trouble */
static char *optstr;		/* the options, for "diff -u a b" lines of -r */

struct file {
	const char *path;
	char	*data;		/* whole file */
	size_t	 size;
	char	**line;		/* line starts */
	size_t	*len;		/* lengths, with the newline */
	int	*eq;		/* equivalence classes */
	long	 n;
	int	 noeol;		/* last line lacks its newline */
	struct stat st;
	int	 missing;	/* -N: absent, read as empty */
};

static struct file A, B;
static char *cha, *chb;		/* changed marks */
static long *fdiag, *bdiag;
static long too_expensive;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: diff [-bciNqruw] [-C number] [-U number] file1 file2\n");
	exit(2);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		err(2, NULL);
	return (p);
}

/* Read the whole of path (or stdin for "-"); -1 with a warning on failure. */
static int
readfile(struct file *f, const char *path)
{
	size_t cap = 65536;
	ssize_t r;
	int fd;

	memset(f, 0, sizeof(*f));
	f->path = path;
	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
		if (fstat(fd, &f->st) == -1)
			memset(&f->st, 0, sizeof(f->st));
	} else if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &f->st) == -1) {
		if (fd != -1)
			close(fd);
		if (Nflag && errno == ENOENT) {
			f->missing = 1;
			f->data = xmalloc(1);
			memset(&f->st, 0, sizeof(f->st));
			return (0);
		}
		warn("%s", path);
		return (-1);
	}
	f->data = xmalloc(cap);
	for (;;) {
		if (f->size == cap) {
			cap *= 2;
			if ((f->data = realloc(f->data, cap)) == NULL)
				err(2, NULL);
		}
		r = read(fd, f->data + f->size, cap - f->size);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			warn("%s", path);
			if (fd != STDIN_FILENO)
				close(fd);
			return (-1);
		}
		if (r == 0)
			break;
		f->size += r;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return (0);
}

static void
freefile(struct file *f)
{
	free(f->data);
	free(f->line);
	free(f->len);
	free(f->eq);
	memset(f, 0, sizeof(*f));
}

static void
splitlines(struct file *f)
{
	size_t i, start = 0, cap = 1024;
	long n = 0;

	f->line = xmalloc(cap * sizeof(*f->line));
	f->len = xmalloc(cap * sizeof(*f->len));
	for (i = 0; i <= f->size; i++) {
		if (i < f->size && f->data[i] != '\n')
			continue;
		if (i == f->size && start == f->size)
			break;
		if ((size_t)n == cap) {
			cap *= 2;
			f->line = realloc(f->line, cap * sizeof(*f->line));
			f->len = realloc(f->len, cap * sizeof(*f->len));
			if (f->line == NULL || f->len == NULL)
				err(2, NULL);
		}
		f->line[n] = f->data + start;
		f->len[n] = i - start + (i < f->size);
		n++;
		if (i == f->size)
			f->noeol = 1;
		start = i + 1;
	}
	f->n = n;
}

/* A line as compared: folded by -i, -b, -w; the newline goes. */
static size_t
normalize(const char *s, size_t n, char *out)
{
	size_t i, o = 0;
	int sp = 0;

	if (n > 0 && s[n - 1] == '\n')
		n--;
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];
		if ((wflag || bflag) && isspace(c)) {
			sp = 1;
			continue;
		}
		if (sp && bflag && !wflag && o > 0)
			out[o++] = ' ';
		sp = 0;
		out[o++] = iflag ? tolower(c) : c;
	}
	return (o);
}

/* Equivalence classes: equal (folded) lines share a number. */
struct eqent {
	unsigned	 h;
	size_t		 len;
	int		 nl;		/* has its newline: "a" at EOF differs from "a\n" */
	char		*s;
	int		 id;
	struct eqent	*next;
};

static struct eqent **eqtab;
static size_t eqsize;
static int neq;

static unsigned
hashmem(const char *s, size_t n)
{
	unsigned h = 2166136261u;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (h);
}

static void
classify(struct file *f)
{
	char *buf = NULL;
	size_t bufsize = 0, n;
	long i;

	f->eq = xmalloc((f->n + 1) * sizeof(*f->eq));
	for (i = 0; i < f->n; i++) {
		const char *s = f->line[i];
		if (bflag || iflag || wflag) {
			if (f->len[i] + 1 > bufsize) {
				bufsize = f->len[i] * 2 + 1;
				free(buf);
				buf = xmalloc(bufsize);
			}
			n = normalize(s, f->len[i], buf);
			s = buf;
		} else {
			n = f->len[i];
			if (n > 0 && s[n - 1] == '\n')
				n--;
		}
		unsigned h = hashmem(s, n);
		int nl = !(f->noeol && i == f->n - 1);
		struct eqent *e;
		for (e = eqtab[h % eqsize]; e != NULL; e = e->next)
			if (e->h == h && e->len == n && e->nl == nl && memcmp(e->s, s, n) == 0)
				break;
		if (e == NULL) {
			e = xmalloc(sizeof(*e));
			e->h = h;
			e->len = n;
			e->nl = nl;
			e->s = xmalloc(n + 1);
			memcpy(e->s, s, n);
			e->id = neq++;
			e->next = eqtab[h % eqsize];
			eqtab[h % eqsize] = e;
		}
		f->eq[i] = e->id;
	}
	free(buf);
}

static void
eqfree(void)
{
	size_t i;
	struct eqent *e, *next;

	for (i = 0; i < eqsize; i++)
		for (e = eqtab[i]; e != NULL; e = next) {
			next = e->next;
			free(e->s);
			free(e);
		}
	free(eqtab);
	eqtab = NULL;
	neq = 0;
}

/* Myers: the middle snake of A[xoff, xlim) and B[yoff, ylim). */
static void
midsnake(long xoff, long xlim, long yoff, long ylim, long *xmid, long *ymid)
{
	const int *a = A.eq, *b = B.eq;
	long dmin = xoff - ylim, dmax = xlim - yoff;
	long fmid = xoff - yoff, bmid = xlim - ylim;
	long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	long *fd = fdiag, *bd = bdiag, c, d, x, y;
	int odd = (fmid - bmid) & 1;

	fd[fmid] = xoff;
	bd[bmid] = xlim;
	for (c = 1;; c++) {
		if (fmin > dmin)
			fd[--fmin - 1] = -1;
		else
			++fmin;
		if (fmax < dmax)
			fd[++fmax + 1] = -1;
		else
			--fmax;
		for (d = fmax; d >= fmin; d -= 2) {
			long tlo = fd[d - 1], thi = fd[d + 1];
			x = tlo >= thi ? tlo + 1 : thi;
			y = x - d;
			while (x < xlim && y < ylim && a[x] == b[y]) {
				x++;
				y++;
			}
			fd[d] = x;
			if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
				*xmid = x;
				*ymid = y;
				return;
			}
		}
		if (bmin > dmin)
			bd[--bmin - 1] = LONG_MAX;
		else
			++bmin;
		if (bmax < dmax)
			bd[++bmax + 1] = LONG_MAX;
		else
			--bmax;
		for (d = bmax; d >= bmin; d -= 2) {
			long tlo = bd[d - 1], thi = bd[d + 1];
			x = tlo < thi ? tlo : thi - 1;
			y = x - d;
			while (x > xoff && y > yoff && a[x - 1] == b[y - 1]) {
				x--;
				y--;
			}
			bd[d] = x;
			if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
				*xmid = x;
				*ymid = y;
				return;
			}
		}
		if (c >= too_expensive) {
			/* Settle for the diagonal that got furthest, either way. */
			long fxybest = -1, fxbest = xoff, bxybest = LONG_MAX, bxbest = xlim;
			for (d = fmax; d >= fmin; d -= 2) {
				x = fd[d] < xlim ? fd[d] : xlim;
				y = x - d;
				if (ylim < y) {
					x = ylim + d;
					y = ylim;
				}
				if (fxybest < x + y) {
					fxybest = x + y;
					fxbest = x;
				}
			}
			for (d = bmax; d >= bmin; d -= 2) {
				x = bd[d] > xoff ? bd[d] : xoff;
				y = x - d;
				if (y < yoff) {
					x = yoff + d;
					y = yoff;
				}
				if (x + y < bxybest) {
					bxybest = x + y;
					bxbest = x;
				}
			}
			if ((xlim + ylim) - bxybest < fxybest - (xoff + yoff)) {
				*xmid = fxbest;
				*ymid = fxybest - fxbest;
			} else {
				*xmid = bxbest;
				*ymid = bxybest - bxbest;
			}
			return;
		}
	}
}

static void
compareseq(long xoff, long xlim, long yoff, long ylim)
{
	long xmid, ymid;

	for (;;) {
		while (xoff < xlim && yoff < ylim && A.eq[xoff] == B.eq[yoff]) {
			xoff++;
			yoff++;
		}
		while (xlim > xoff && ylim > yoff && A.eq[xlim - 1] == B.eq[ylim - 1]) {
			xlim--;
			ylim--;
		}
		if (xoff == xlim) {
			while (yoff < ylim)
				chb[yoff++] = 1;
			return;
		}
		if (yoff == ylim) {
			while (xoff < xlim)
				cha[xoff++] = 1;
			return;
		}
		midsnake(xoff, xlim, yoff, ylim, &xmid, &ymid);
		/* Recurse on the smaller half, loop on the other. */
		if (xmid - xoff + ymid - yoff < xlim - xmid + ylim - ymid) {
			compareseq(xoff, xmid, yoff, ymid);
			xoff = xmid;
			yoff = ymid;
		} else {
			compareseq(xmid, xlim, ymid, ylim);
			xlim = xmid;
			ylim = ymid;
		}
	}
}

/* A change: A lines [a0, a1), B lines [b0, b1). */
struct change {
	long a0, a1, b0, b1;
};

static struct change *
changes(long *np)
{
	struct change *c = NULL;
	long i = 0, j = 0, n = 0, cap = 0;

	while (i < A.n || j < B.n) {
		if (i < A.n && j < B.n && !cha[i] && !chb[j]) {
			i++;
			j++;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((c = realloc(c, cap * sizeof(*c))) == NULL)
				err(2, NULL);
		}
		c[n].a0 = i;
		c[n].b0 = j;
		while (i < A.n && cha[i])
			i++;
		while (j < B.n && chb[j])
			j++;
		c[n].a1 = i;
		c[n].b1 = j;
		n++;
	}
	*np = n;
	return (c);
}

static void
putline(const char *prefix, struct file *f, long i)
{
	fputs(prefix, stdout);
	fwrite(f->line[i], 1, f->len[i], stdout);
	if (i == f->n - 1 && f->noeol)
		fputs("\n\\ No newline at end of file\n", stdout);
}

static void
range(long a, long b, char sep)
{
	/* lines a..b, 1-based */
	if (a >= b)
		printf("%ld", a);
	else
		printf("%ld%c%ld", a, sep, b);
}

static void
normal(struct change *c, long n)
{
	long k, i;

	for (k = 0; k < n; k++) {
		struct change *h = &c[k];
		if (h->b0 == h->b1) {
			range(h->a0 + 1, h->a1, ',');
			printf("d%ld\n", h->b0);
		} else if (h->a0 == h->a1) {
			printf("%lda", h->a0);
			range(h->b0 + 1, h->b1, ',');
			printf("\n");
		} else {
			range(h->a0 + 1, h->a1, ',');
			printf("c");
			range(h->b0 + 1, h->b1, ',');
			printf("\n");
		}
		for (i = h->a0; i < h->a1; i++)
			putline("< ", &A, i);
		if (h->a0 != h->a1 && h->b0 != h->b1)
			printf("---\n");
		for (i = h->b0; i < h->b1; i++)
			putline("> ", &B, i);
	}
}

static void
header(const char *mark, struct file *f)
{
	char tb[64], zb[16];
	struct tm *tm;
	time_t t = f->st.st_mtime;

	if (f->missing || (tm = localtime(&t)) == NULL) {
		t = 0;
		tm = localtime(&t);
	}
	if (format == F_CONTEXT) {
		/* context diffs keep the old ctime(3)-style stamp */
		strftime(tb, sizeof(tb), "%a %b %e %H:%M:%S %Y", tm);
		printf("%s %s\t%s\n", mark, f->path, tb);
		return;
	}
	strftime(tb, sizeof(tb), "%Y-%m-%d %H:%M:%S", tm);
	strftime(zb, sizeof(zb), "%z", tm);
	printf("%s %s\t%s.%09ld %s\n", mark, f->path, tb,
	    f->missing ? 0L : (long)f->st.st_mtim.tv_nsec, zb);
}

/* The hunks of unified and context output: changes within 2*context merge. */
static long
hunk_end(struct change *c, long n, long k)
{
	while (k + 1 < n && c[k + 1].a0 - c[k].a1 <= 2 * context)
		k++;
	return (k);
}

static void
unified_range(long start, long count)
{
	if (count == 1)
		printf("%ld", start + 1);
	else if (count == 0)
		printf("%ld,0", start);
	else
		printf("%ld,%ld", start + 1, count);
}

static void
unified(struct change *c, long n)
{
	long k, e, i, j, a0, a1, b0, b1;

	header("---", &A);
	header("+++", &B);
	for (k = 0; k < n; k = e + 1) {
		e = hunk_end(c, n, k);
		a0 = c[k].a0 - context > 0 ? c[k].a0 - context : 0;
		b0 = c[k].b0 - (c[k].a0 - a0);
		a1 = c[e].a1 + context < A.n ? c[e].a1 + context : A.n;
		b1 = c[e].b1 + (a1 - c[e].a1);
		printf("@@ -");
		unified_range(a0, a1 - a0);
		printf(" +");
		unified_range(b0, b1 - b0);
		printf(" @@\n");
		i = a0;
		j = b0;
		for (long h = k; h <= e; h++) {
			for (; i < c[h].a0; i++, j++)
				putline(" ", &A, i);
			for (; i < c[h].a1; i++)
				putline("-", &A, i);
			for (; j < c[h].b1; j++)
				putline("+", &B, j);
		}
		for (; i < a1; i++, j++)
			putline(" ", &A, i);
	}
}

static void
context_range(long a, long b)
{
	/* lines (a, b], as "a+1,b", or one number */
	if (b - a <= 1)
		printf("%ld", b - a == 1 ? b : b);
	else
		printf("%ld,%ld", a + 1, b);
}

static void
contextfmt(struct change *c, long n)
{
	long k, e, h, i, a0, a1, b0, b1;
	int anyold, anynew;

	header("***", &A);
	header("---", &B);
	for (k = 0; k < n; k = e + 1) {
		e = hunk_end(c, n, k);
		a0 = c[k].a0 - context > 0 ? c[k].a0 - context : 0;
		b0 = c[k].b0 - (c[k].a0 - a0);
		a1 = c[e].a1 + context < A.n ? c[e].a1 + context : A.n;
		b1 = c[e].b1 + (a1 - c[e].a1);
		anyold = anynew = 0;
		for (h = k; h <= e; h++) {
			anyold |= c[h].a1 > c[h].a0;
			anynew |= c[h].b1 > c[h].b0;
		}
		printf("***************\n*** ");
		context_range(a0, a1);
		printf(" ****\n");
		if (anyold) {
			i = a0;
			for (h = k; h <= e; h++) {
				for (; i < c[h].a0; i++)
					putline("  ", &A, i);
				for (; i < c[h].a1; i++)
					putline(c[h].b1 > c[h].b0 ? "! " : "- ", &A, i);
			}
			for (; i < a1; i++)
				putline("  ", &A, i);
		}
		printf("--- ");
		context_range(b0, b1);
		printf(" ----\n");
		if (anynew) {
			i = b0;
			for (h = k; h <= e; h++) {
				for (; i < c[h].b0; i++)
					putline("  ", &B, i);
				for (; i < c[h].b1; i++)
					putline(c[h].a1 > c[h].a0 ? "! " : "+ ", &B, i);
			}
			for (; i < b1; i++)
				putline("  ", &B, i);
		}
	}
}

static int
isbinary(struct file *f)
{
	size_t n = f->size < 8192 ? f->size : 8192;

	return (memchr(f->data, '\0', n) != NULL);
}

/* Compare two files; 0 same, 1 different, 2 trouble. */
static int
difffiles(const char *p1, const char *p2, int announce)
{
	struct change *c;
	long n, diags;
	int r;

	if (readfile(&A, p1) == -1)
		return (2);
	if (readfile(&B, p2) == -1) {
		freefile(&A);
		return (2);
	}
	if (A.size == B.size && memcmp(A.data, B.data, A.size) == 0 &&
	    !(A.missing && B.missing)) {
		freefile(&A);
		freefile(&B);
		return (0);
	}
	if (isbinary(&A) || isbinary(&B)) {
		if (announce && !qflag)
			printf("diff %s%s %s\n", optstr, p1, p2);
		printf("Binary files %s and %s differ\n", p1, p2);
		freefile(&A);
		freefile(&B);
		return (1);
	}
	splitlines(&A);
	splitlines(&B);
	eqsize = (size_t)(A.n + B.n) + 1;
	eqtab = xmalloc(eqsize * sizeof(*eqtab));
	memset(eqtab, 0, eqsize * sizeof(*eqtab));
	classify(&A);
	classify(&B);
	cha = xmalloc(A.n + 1);
	chb = xmalloc(B.n + 1);
	memset(cha, 0, A.n + 1);
	memset(chb, 0, B.n + 1);
	diags = A.n + B.n + 3;
	fdiag = xmalloc(diags * 2 * sizeof(*fdiag));
	bdiag = fdiag + diags;
	fdiag += B.n + 1;
	bdiag += B.n + 1;
	for (too_expensive = 1; diags != 0; diags >>= 2)
		too_expensive <<= 1;
	if (too_expensive < 4096)
		too_expensive = 4096;
	compareseq(0, A.n, 0, B.n);
	free(fdiag - (B.n + 1));
	c = changes(&n);
	r = n > 0;
	if (r && qflag)
		printf("Files %s and %s differ\n", p1, p2);
	else if (r) {
		if (announce)
			printf("diff %s%s %s\n", optstr, p1, p2);
		if (format == F_UNIFIED)
			unified(c, n);
		else if (format == F_CONTEXT)
			contextfmt(c, n);
		else
			normal(c, n);
	}
	free(c);
	free(cha);
	free(chb);
	eqfree();
	freefile(&A);
	freefile(&B);
	return (r);
}

static int diffpaths(const char *, const char *, int);

static int
namecmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static char **
listdir(const char *path, size_t *np)
{
	DIR *d;
	struct dirent *de;
	char **v = NULL;
	size_t n = 0;

	if ((d = opendir(path)) == NULL) {
		if (!Nflag || errno != ENOENT)
			warn("%s", path);
		*np = 0;
		return (NULL);
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((v = realloc(v, (n + 1) * sizeof(*v))) == NULL ||
		    (v[n++] = strdup(de->d_name)) == NULL)
			err(2, NULL);
	}
	closedir(d);
	qsort(v, n, sizeof(*v), namecmp);
	*np = n;
	return (v);
}

static char *
join(const char *dir, const char *name)
{
	size_t l = strlen(dir);
	char *p = xmalloc(l + strlen(name) + 2);

	sprintf(p, "%s%s%s", dir, l > 0 && dir[l - 1] == '/' ? "" : "/", name);
	return (p);
}

static int
diffdirs(const char *d1, const char *d2)
{
	char **v1, **v2, *p1, *p2;
	size_t n1, n2, i = 0, j = 0;
	int r = 0, c, t;

	v1 = listdir(d1, &n1);
	v2 = listdir(d2, &n2);
	while (i < n1 || j < n2) {
		c = i >= n1 ? 1 : j >= n2 ? -1 : strcmp(v1[i], v2[j]);
		if (c != 0 && !Nflag) {
			printf("Only in %s: %s\n", c < 0 ? d1 : d2, c < 0 ? v1[i] : v2[j]);
			if (r < 1)
				r = 1;
			if (c < 0)
				i++;
			else
				j++;
			continue;
		}
		const char *name = c <= 0 ? v1[i] : v2[j];
		p1 = join(d1, name);
		p2 = join(d2, name);
		t = diffpaths(p1, p2, 1);
		if (t > r)
			r = t;
		free(p1);
		free(p2);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	for (i = 0; i < n1; i++)
		free(v1[i]);
	for (j = 0; j < n2; j++)
		free(v2[j]);
	free(v1);
	free(v2);
	return (r);
}

static const char *
kind(mode_t m)
{
	if (S_ISDIR(m))
		return ("directory");
	if (S_ISREG(m))
		return ("regular file");
	if (S_ISFIFO(m))
		return ("fifo");
	if (S_ISLNK(m))
		return ("symbolic link");
	return ("special file");
}

static int
diffpaths(const char *p1, const char *p2, int inside)
{
	struct stat s1, s2;
	int e1, e2;

	e1 = strcmp(p1, "-") == 0 ? fstat(0, &s1) : stat(p1, &s1);
	e2 = strcmp(p2, "-") == 0 ? fstat(0, &s2) : stat(p2, &s2);
	if (e1 == -1 && !(Nflag && errno == ENOENT && e2 == 0)) {
		if (e1 == -1 && (!Nflag || errno != ENOENT)) {
			warn("%s", p1);
			return (2);
		}
	}
	if (e1 == -1 && e2 == -1) {
		warn("%s", p2);
		return (2);
	}
	if (e2 == -1 && (!Nflag || errno != ENOENT)) {
		warn("%s", p2);
		return (2);
	}
	/* -N: a missing side is empty, of the other's kind */
	if (e1 == -1)
		s1 = s2, s1.st_size = 0;
	if (e2 == -1)
		s2 = s1, s2.st_size = 0;
	if (S_ISDIR(s1.st_mode) && S_ISDIR(s2.st_mode)) {
		if (!inside || rflag) {
			/* -N: a directory on one side only is compared with an empty one */
			return (diffdirs(p1, p2));
		}
		printf("Common subdirectories: %s and %s\n", p1, p2);
		return (0);
	}
	if (S_ISDIR(s1.st_mode) != S_ISDIR(s2.st_mode)) {
		if (!inside) {
			/* diff file dir: dir/file */
			const char *f = S_ISDIR(s1.st_mode) ? p2 : p1;
			const char *d = S_ISDIR(s1.st_mode) ? p1 : p2;
			const char *base = strrchr(f, '/') ? strrchr(f, '/') + 1 : f;
			char *q = join(d, base);
			int r = S_ISDIR(s1.st_mode) ? difffiles(q, p2, 0) : difffiles(p1, q, 0);
			free(q);
			return (r);
		}
		printf("File %s is a %s while file %s is a %s\n", p1, kind(s1.st_mode),
		    p2, kind(s2.st_mode));
		return (1);
	}
	return (difffiles(p1, p2, inside));
}

int
main(int argc, char *argv[])
{
	char ob[64];
	const char *errstr;
	int ch;

	ob[0] = '\0';
	while ((ch = getopt(argc, argv, "+abC:ciNqrU:uw")) != -1) {
		switch (ch) {
		case 'a':
			break;
		case 'b':
			bflag = 1;
			break;
		case 'C':
		case 'U':
			context = (int)strtonum(optarg, 0, INT_MAX, &errstr);
			if (errstr != NULL)
				errx(2, "context is %s: %s", errstr, optarg);
			format = ch == 'U' ? F_UNIFIED : F_CONTEXT;
			break;
		case 'c':
			format = F_CONTEXT;
			break;
		case 'i':
			iflag = 1;
			break;
		case 'N':
			Nflag = 1;
			break;
		case 'q':
			qflag = 1;
			break;
		case 'r':
			rflag = 1;
			break;
		case 'u':
			format = F_UNIFIED;
			break;
		case 'w':
			wflag = 1;
			break;
		default:
			usage();
		}
	}
	/* "diff -ru a/x b/x" lines of -r repeat the options as given */
	for (int i = 1; i < optind && strcmp(argv[i], "--") != 0; i++)
		if (strlen(ob) + strlen(argv[i]) + 2 < sizeof(ob)) {
			strcat(ob, argv[i]);
			strcat(ob, " ");
		}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		usage();
	optstr = ob;
	status = diffpaths(argv[0], argv[1], 0);
	if (fflush(stdout) == EOF)
		err(2, "stdout");
	return (status);
}
