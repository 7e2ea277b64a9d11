/*
 * sort: sort, merge or check text files.
 *
 * All input is read into memory and sorted with a stable merge sort.
 * Keys (-k F[.C][bdfinr][,F[.C][bdfinr]]) select parts of a line; fields
 * are separated by the -t character or, by default, start at a run of
 * blanks (which belongs to the field, so -b matters).  When every key
 * compares equal the whole lines decide, bytewise, unless -s or -u.
 * -u keeps the first of each run of lines whose keys compare equal.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define K_B	0x01	/* ignore leading blanks */
#define K_D	0x02	/* dictionary order */
#define K_F	0x04	/* fold case */
#define K_I	0x08	/* ignore non-printing */
#define K_N	0x10	/* numeric */
#define K_R	0x20	/* reverse */
#define K_G	0x40	/* general numeric (floating point) */
#define K_H	0x80	/* human numeric (1K, 2M) */
#define K_EB	0x100	/* -b on the end position */

struct key {
	long	sf, sc;		/* start field, char (1-based; sc 0 = first) */
	long	ef, ec;		/* end field, char (ef 0 = end of line; ec 0 = end of field) */
	int	flags;
};

struct line {
	char	*s;
	size_t	len;
};

static struct key *keys;
static int nkeys;
static int gflags;		/* global -b -d -f -i -n -r -g -h */
static int tchar = -1;
static int uflag, sflag, cflag, Cflag, mflag;

static void
usage(void)
{
	fprintf(stderr, "usage: sort [-bcCdfghimnrsu] [-k field1[,field2]] [-o output] [-t char] [file ...]\n");
	exit(2);
}

static int
parse_flags(const char **pp, int *flags)
{
	const char *p = *pp;
	int any = 0;

	for (;; p++, any = 1) {
		switch (*p) {
		case 'b': *flags |= K_B; continue;
		case 'd': *flags |= K_D; continue;
		case 'f': *flags |= K_F; continue;
		case 'i': *flags |= K_I; continue;
		case 'n': *flags |= K_N; continue;
		case 'r': *flags |= K_R; continue;
		case 'g': *flags |= K_G; continue;
		case 'h': *flags |= K_H; continue;
		}
		break;
	}
	*pp = p;
	return (any);
}

static void
addkey(const char *arg)
{
	struct key k = { 0, 0, 0, 0, 0 };
	const char *p = arg;
	char *ep;

	k.sf = strtol(p, &ep, 10);
	if (ep == p || k.sf < 1)
		errx(2, "invalid field specification: %s", arg);
	p = ep;
	if (*p == '.') {
		k.sc = strtol(p + 1, &ep, 10);
		if (ep == p + 1 || k.sc < 1)
			errx(2, "invalid field specification: %s", arg);
		p = ep;
	}
	parse_flags(&p, &k.flags);
	if (*p == ',') {
		p++;
		k.ef = strtol(p, &ep, 10);
		if (ep == p || k.ef < 1)
			errx(2, "invalid field specification: %s", arg);
		p = ep;
		if (*p == '.') {
			k.ec = strtol(p + 1, &ep, 10);
			if (ep == p + 1 || k.ec < 0)
				errx(2, "invalid field specification: %s", arg);
			p = ep;
		}
		int ef = 0;
		parse_flags(&p, &ef);
		if (ef & K_B)
			k.flags |= K_EB;
		k.flags |= ef & ~K_B;
	}
	if (*p != '\0')
		errx(2, "invalid field specification: %s", arg);
	if ((keys = reallocarray(keys, nkeys + 1, sizeof(*keys))) == NULL)
		err(2, NULL);
	keys[nkeys++] = k;
}

/* Start of field f (1-based) in s, or s+len if there is none. */
static const char *
field(const char *s, const char *end, long f)
{
	const char *p = s;

	for (long i = 1; i < f && p < end; i++) {
		if (tchar >= 0) {
			while (p < end && *p != tchar)
				p++;
			if (p < end)
				p++;
		} else {
			while (p < end && isblank((unsigned char)*p))
				p++;
			while (p < end && !isblank((unsigned char)*p))
				p++;
		}
	}
	return (p);
}

/* End of the field starting at p. */
static const char *
fieldend(const char *p, const char *end)
{
	if (tchar >= 0) {
		while (p < end && *p != tchar)
			p++;
	} else {
		while (p < end && isblank((unsigned char)*p))
			p++;
		while (p < end && !isblank((unsigned char)*p))
			p++;
	}
	return (p);
}

static void
keyspan(const struct line *l, const struct key *k, const char **bp, const char **ep)
{
	const char *s = l->s, *end = l->s + l->len, *b, *e;

	b = field(s, end, k->sf);
	if (k->flags & K_B)
		while (b < end && isblank((unsigned char)*b))
			b++;
	if (k->sc > 1)
		b = b + (k->sc - 1) < end ? b + (k->sc - 1) : end;
	if (k->ef == 0)
		e = end;
	else {
		e = field(s, end, k->ef);
		if (k->ec == 0)
			e = fieldend(e, end);
		else {
			if (k->flags & K_EB)
				while (e < end && isblank((unsigned char)*e))
					e++;
			e = e + k->ec < end ? e + k->ec : end;
		}
	}
	if (e < b)
		e = b;
	*bp = b;
	*ep = e;
}

static long double
numval(const char *b, const char *e, int human)
{
	char buf[128];
	size_t n = e - b < (long)sizeof(buf) - 1 ? (size_t)(e - b) : sizeof(buf) - 1;
	char *ep;
	long double v;

	memcpy(buf, b, n);
	buf[n] = '\0';
	v = strtold(buf, &ep);
	if (ep == buf)
		return (0);
	if (human) {
		const char *u = strchr("KMGTPE", toupper((unsigned char)*ep));
		if (*ep != '\0' && u != NULL)
			v *= powl(1024, (u - "KMGTPE") + 1);
	}
	return (v);
}

/* -n: [blanks][-]digits[.digits], compared without converting (any length). */
static int
numcmp(const char *a, const char *ae, const char *b, const char *be)
{
	int sa = 1, sb = 1;

	while (a < ae && isblank((unsigned char)*a))
		a++;
	while (b < be && isblank((unsigned char)*b))
		b++;
	if (a < ae && *a == '-') { sa = -1; a++; }
	if (b < be && *b == '-') { sb = -1; b++; }
	/* Skip leading zeros; find the integer part lengths. */
	while (a < ae && *a == '0') a++;
	while (b < be && *b == '0') b++;
	const char *ai = a, *bi = b;
	while (ai < ae && isdigit((unsigned char)*ai)) ai++;
	while (bi < be && isdigit((unsigned char)*bi)) bi++;
	/* Is either a zero? (then signs do not matter) */
	int za = ai == a, zb = bi == b;
	const char *af = ai, *bf = bi;
	if (af < ae && *af == '.') { af++; while (af < ae && *af == '0') af++; if (af < ae && isdigit((unsigned char)*af)) za = 0; }
	if (bf < be && *bf == '.') { bf++; while (bf < be && *bf == '0') bf++; if (bf < be && isdigit((unsigned char)*bf)) zb = 0; }
	if (za) sa = 0;
	if (zb) sb = 0;
	if (za && zb) return (0);
	if (sa != sb) return (sa < sb ? -1 : 1);
	int r;
	if (ai - a != bi - b)
		r = ai - a < bi - b ? -1 : 1;
	else {
		r = memcmp(a, b, ai - a);
		if (r == 0) {
			/* Fractions, digit by digit. */
			const char *x = ai < ae && *ai == '.' ? ai + 1 : ae, *y = bi < be && *bi == '.' ? bi + 1 : be;
			while (r == 0) {
				int dx = x < ae && isdigit((unsigned char)*x) ? *x : '0';
				int dy = y < be && isdigit((unsigned char)*y) ? *y : '0';
				int endx = !(x < ae && isdigit((unsigned char)*x)), endy = !(y < be && isdigit((unsigned char)*y));
				if (endx && endy)
					break;
				r = dx - dy;
				x += !endx;
				y += !endy;
			}
			r = r < 0 ? -1 : r > 0;
		}
	}
	return (sa < 0 ? -r : r);
}

static int
textcmp(const char *a, const char *ae, const char *b, const char *be, int flags)
{
	if (!(flags & (K_D | K_F | K_I))) {
		size_t la = ae - a, lb = be - b;
		int r = memcmp(a, b, la < lb ? la : lb);
		if (r != 0)
			return (r < 0 ? -1 : 1);
		return (la < lb ? -1 : la > lb);
	}
	for (;;) {
		if (flags & (K_D | K_I)) {
			while (a < ae && (((flags & K_D) && !isalnum((unsigned char)*a) && !isblank((unsigned char)*a)) ||
			    ((flags & K_I) && !isprint((unsigned char)*a))))
				a++;
			while (b < be && (((flags & K_D) && !isalnum((unsigned char)*b) && !isblank((unsigned char)*b)) ||
			    ((flags & K_I) && !isprint((unsigned char)*b))))
				b++;
		}
		if (a == ae || b == be)
			return (a == ae ? (b == be ? 0 : -1) : 1);
		int ca = (unsigned char)*a++, cb = (unsigned char)*b++;
		if (flags & K_F) {
			ca = toupper(ca);
			cb = toupper(cb);
		}
		if (ca != cb)
			return (ca < cb ? -1 : 1);
	}
}

static int
keycmp(const struct line *x, const struct line *y)
{
	static struct key whole = { 1, 0, 0, 0, 0 };

	for (int i = 0; i < (nkeys ? nkeys : 1); i++) {
		const struct key *k = nkeys ? &keys[i] : &whole;
		int flags = k->flags;
		const char *ab, *ae, *bb, *be;
		int r;

		/* A key without flags of its own takes the global ones. */
		if ((flags & ~(K_EB)) == 0)
			flags |= gflags;
		if (!nkeys)
			flags = gflags;
		keyspan(x, k, &ab, &ae);
		keyspan(y, k, &bb, &be);
		if (flags & (K_G | K_H)) {
			long double va = numval(ab, ae, flags & K_H), vb = numval(bb, be, flags & K_H);
			r = va < vb ? -1 : va > vb;
		} else if (flags & K_N)
			r = numcmp(ab, ae, bb, be);
		else
			r = textcmp(ab, ae, bb, be, flags);
		if (r != 0)
			return ((flags & K_R) ? -r : r);
	}
	return (0);
}

static int
cmp(const struct line *x, const struct line *y)
{
	int r = keycmp(x, y);

	if (r != 0 || sflag || uflag)
		return (r);
	/* Last resort: the whole line, bytewise (reversed too with -r). */
	size_t n = x->len < y->len ? x->len : y->len;
	r = memcmp(x->s, y->s, n);
	if (r == 0)
		r = x->len < y->len ? -1 : x->len > y->len;
	else
		r = r < 0 ? -1 : 1;
	return ((gflags & K_R) ? -r : r);
}

static void
msort(struct line *a, struct line *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	msort(a, tmp, h);
	msort(a + h, tmp, n - h);
	if (cmp(&a[h - 1], &a[h]) <= 0)
		return;
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = cmp(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
	while (i < h)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof(*a));
}

static struct line *lines;
static size_t nlines, caplines;

static void
readfile(const char *name)
{
	FILE *fp;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;

	if (strcmp(name, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(name, "r")) == NULL)
		err(2, "%s", name);
	while ((len = getline(&buf, &cap, fp)) != -1) {
		if (len > 0 && buf[len - 1] == '\n')
			len--;
		if (nlines == caplines) {
			caplines = caplines ? caplines * 2 : 1024;
			if ((lines = reallocarray(lines, caplines, sizeof(*lines))) == NULL)
				err(2, NULL);
		}
		if ((lines[nlines].s = malloc(len + 1)) == NULL)
			err(2, NULL);
		memcpy(lines[nlines].s, buf, len);
		lines[nlines].s[len] = '\0';
		lines[nlines++].len = len;
	}
	if (ferror(fp))
		err(2, "%s", name);
	if (fp != stdin)
		fclose(fp);
	free(buf);
}

int
main(int argc, char *argv[])
{
	const char *outfile = NULL;
	int ch;

	setlocale(LC_ALL, "");
	while ((ch = getopt(argc, argv, "+bcCdfghik:mno:rsS:t:T:uz")) != -1) {
		switch (ch) {
		case 'b': gflags |= K_B; break;
		case 'c': cflag = 1; break;
		case 'C': Cflag = 1; break;
		case 'd': gflags |= K_D; break;
		case 'f': gflags |= K_F; break;
		case 'g': gflags |= K_G; break;
		case 'h': gflags |= K_H; break;
		case 'i': gflags |= K_I; break;
		case 'k': addkey(optarg); break;
		case 'm': mflag = 1; break;
		case 'n': gflags |= K_N; break;
		case 'o': outfile = optarg; break;
		case 'r': gflags |= K_R; break;
		case 's': sflag = 1; break;
		case 'S': case 'T': break;	/* buffer size, temporary directory: all in memory */
		case 't':
			if (optarg[0] == '\0' || (optarg[1] != '\0' && strcmp(optarg, "\\0") != 0))
				errx(2, "invalid field separator: %s", optarg);
			tchar = optarg[1] == '\0' ? (unsigned char)optarg[0] : '\0';
			break;
		case 'u': uflag = 1; break;
		case 'z': errx(2, "-z is not supported");
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		readfile("-");
	for (int i = 0; i < argc; i++)
		readfile(argv[i]);

	if (cflag || Cflag) {
		/* Check: the first line out of order is reported (exit 1). */
		for (size_t i = 1; i < nlines; i++) {
			int r = cmp(&lines[i - 1], &lines[i]);
			if (r > 0 || (uflag && r == 0)) {
				if (!Cflag)
					fprintf(stderr, "sort: %s:%zu: disorder: %s\n",
					    argc > 0 ? argv[0] : "-", i + 1, lines[i].s);
				return (1);
			}
		}
		return (0);
	}

	struct line *tmp = malloc((nlines ? nlines : 1) * sizeof(*tmp));
	if (tmp == NULL)
		err(2, NULL);
	msort(lines, tmp, nlines);

	/* Only now: -o may name one of the inputs. */
	if (outfile != NULL && freopen(outfile, "w", stdout) == NULL)
		err(2, "%s", outfile);
	for (size_t i = 0; i < nlines; i++) {
		if (uflag && i > 0 && keycmp(&lines[i - 1], &lines[i]) == 0)
			continue;
		fwrite(lines[i].s, 1, lines[i].len, stdout);
		putchar('\n');
	}
	if (fflush(stdout) != 0)
		err(2, "%s", outfile ? outfile : "stdout");
	return (0);
}
