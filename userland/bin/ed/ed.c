/*
 * ed: the line editor, after POSIX and BSD's ed.
 *
 * The buffer is an array of lines, each an immutable string with a serial
 * number (so marks and g/re/ survive lines moving about).  Undo keeps the
 * array as it was before the last command: copying pointers is cheap, and
 * u of u is redo.  Errors print "?" (the reason with h, or always after H);
 * reading a script (standard input not a terminal), an error exits 2.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libutil.h"

struct line {
	char *s;
	size_t len;
	unsigned long id;
};

static struct line *buf;	/* lines 1..nlast are buf[0..nlast-1] */
static long nlast, cur;
static size_t cap;
static unsigned long nextid = 1;
static unsigned long marks[26];

static struct line *ubuf;	/* the buffer before the last change */
static long ulast, ucur;
static int uvalid;

static int modified, warned, garrulous, scripted;
static const char *errmsg = "";
static char *fname;
static char *prompt;
static int promptOn;
static long lineno;
static int interactive;

static regex_t re;
static int haveRe;
static char *lastrep;

static const char *gsrc;	/* a g command's list: input comes from here */
static int inglobal;

static long line1, line2;
static int naddr;

static volatile sig_atomic_t intr;

static void
usage(void)
{
	fprintf(stderr, "usage: ed [-] [-s] [-p string] [file]\n");
	exit(1);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		err(2, NULL);
	return p;
}

static void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		err(2, NULL);
	return p;
}

static char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static int
fail(const char *m)
{
	errmsg = m;
	return -1;
}

/* ---- the buffer ---- */

static struct line
newline(const char *s, size_t n)
{
	struct line l = { xstrndup(s, n), n, nextid++ };
	return l;
}

static void
grow(size_t want)
{
	if (want > cap)
		buf = xrealloc(buf, (cap = want * 2 + 64) * sizeof(*buf));
}

/* Before a command changes the buffer: remember it for u. */
static void
usave(void)
{
	if (inglobal > 1)
		return;
	if (inglobal == 1)
		inglobal = 2;	/* one snapshot for the whole g command */
	free(ubuf);
	ubuf = xmalloc((size_t)nlast * sizeof(*ubuf) + 1);
	memcpy(ubuf, buf, (size_t)nlast * sizeof(*buf));
	ulast = nlast;
	ucur = cur;
	uvalid = 1;
}

static int
undo(void)
{
	if (!uvalid)
		return fail("nothing to undo");
	long tl = nlast, tc = cur;
	struct line *t = xmalloc((size_t)nlast * sizeof(*t) + 1);

	grow((size_t)ulast);
	memcpy(t, buf, (size_t)nlast * sizeof(*t));
	memcpy(buf, ubuf, (size_t)ulast * sizeof(*buf));
	free(ubuf);
	ubuf = t;
	nlast = ulast;
	cur = ucur;
	ulast = tl;
	ucur = tc;
	modified = 1;
	return 0;
}

/* Insert l after line `after` (0: at the top). */
static void
insline(long after, struct line l)
{
	grow((size_t)nlast + 1);
	memmove(&buf[after + 1], &buf[after], (size_t)(nlast - after) * sizeof(*buf));
	buf[after] = l;
	nlast++;
}

static void
dellines(long from, long to)
{
	memmove(&buf[from - 1], &buf[to], (size_t)(nlast - to) * sizeof(*buf));
	nlast -= to - from + 1;
}

static long
findid(unsigned long id)
{
	for (long i = 0; i < nlast; i++)
		if (buf[i].id == id)
			return i + 1;
	return 0;
}

/* ---- input ---- */

/* The next line of input (commands or text), without its newline; NULL at the end. */
static char *
getinput(size_t *lenp)
{
	static char *l;
	static size_t lcap;
	ssize_t n;

	if (gsrc != NULL) {
		if (*gsrc == '\0')
			return NULL;
		const char *nl = strchr(gsrc, '\n');
		size_t k = nl != NULL ? (size_t)(nl - gsrc) : strlen(gsrc);
		free(l);
		l = xstrndup(gsrc, k);
		lcap = k + 1;
		gsrc += k + (nl != NULL);
		*lenp = k;
		return l;
	}
	clearerr(stdin);
	if ((n = getline(&l, &lcap, stdin)) < 0)
		return NULL;
	lineno++;
	if (n > 0 && l[n - 1] == '\n')
		l[--n] = '\0';
	*lenp = (size_t)n;
	return l;
}

/* Text for a, i, c: lines up to a lone "."; added after line `after`. */
static void
readtext(long after)
{
	char *l;
	size_t n;

	while ((l = getinput(&n)) != NULL) {
		if (n == 1 && l[0] == '.')
			break;
		insline(after++, newline(l, n));
		modified = 1;
	}
	cur = after;
}

/* ---- regular expressions ---- */

/* A pattern delimited by d from *pp; compiled into re (empty: the last one). */
static int
getpattern(const char **pp, int d)
{
	const char *p = *pp;
	size_t n = 0;
	char *pat = xmalloc(strlen(p) + 1);
	int e;

	while (*p != '\0' && *p != d) {
		if (*p == '[') {
			/* A bracket expression may hold the delimiter. */
			pat[n++] = *p++;
			if (*p == '^')
				pat[n++] = *p++;
			if (*p == ']')
				pat[n++] = *p++;
			while (*p != '\0' && *p != ']')
				pat[n++] = *p++;
			if (*p == ']')
				pat[n++] = *p++;
			continue;
		}
		if (*p == '\\' && p[1] == d) {
			pat[n++] = (char)d;
			p += 2;
			continue;
		}
		if (*p == '\\' && p[1] != '\0')
			pat[n++] = *p++;
		pat[n++] = *p++;
	}
	pat[n] = '\0';
	if (*p == d)
		p++;
	*pp = p;
	if (n == 0) {
		free(pat);
		return haveRe ? 0 : fail("no previous pattern");
	}
	regex_t nre;
	if ((e = regcomp(&nre, pat, 0)) != 0) {
		static char m[128];
		regerror(e, &nre, m, sizeof(m));
		free(pat);
		return fail(m);
	}
	free(pat);
	if (haveRe)
		regfree(&re);
	re = nre;
	haveRe = 1;
	return 0;
}

static int
matches(long ln)
{
	return regexec(&re, buf[ln - 1].s, 0, NULL, 0) == 0;
}

/* /re/ or ?re?: the next (previous) line matching, wrapping round. */
static long
searchline(int fwd)
{
	long n = cur;

	for (long i = 0; i < nlast; i++) {
		n = fwd ? (n % nlast) + 1 : (n > 1 ? n - 1 : nlast);
		if (matches(n))
			return n;
	}
	return fail("no match");
}

/* ---- addresses ---- */

static void
skipblanks(const char **pp)
{
	while (**pp == ' ' || **pp == '\t')
		(*pp)++;
}

/* One address: 1 found (in *a), 0 none, -1 error. */
static int
getone(const char **pp, long *a)
{
	const char *p = *pp;
	int found = 1;
	long n = cur;

	skipblanks(&p);
	if (isdigit((unsigned char)*p)) {
		n = strtol(p, (char **)&p, 10);
	} else if (*p == '.') {
		p++;
	} else if (*p == '$') {
		n = nlast;
		p++;
	} else if (*p == '/' || *p == '?') {
		int d = *p++;
		if (getpattern(&p, d) != 0)
			return -1;
		if ((n = searchline(d == '/')) < 0)
			return -1;
	} else if (*p == '\'') {
		p++;
		if (!islower((unsigned char)*p))
			return fail("invalid mark character");
		if (marks[*p - 'a'] == 0 || (n = findid(marks[*p - 'a'])) == 0)
			return fail("invalid address");
		p++;
	} else if (*p == '+' || *p == '-' || *p == '^') {
		/* Offsets alone count from the current line. */
	} else
		found = 0;
	for (;;) {
		const char *q = p;
		skipblanks(&q);
		int c = *q;
		if (c == '+' || c == '-' || c == '^') {
			q++;
			long k = isdigit((unsigned char)*q) ? strtol(q, (char **)&q, 10) : 1;
			n += c == '+' ? k : -k;
			found = 1;
			p = q;
		} else if (found && isdigit(c) && q != p) {
			n += strtol(q, (char **)&q, 10);
			p = q;
		} else
			break;
	}
	*pp = p;
	if (!found)
		return 0;
	if (n < 0 || n > nlast)
		return fail("invalid address");
	*a = n;
	return 1;
}

static void
pushaddr(long a)
{
	line1 = line2;
	line2 = a;
	naddr++;
}

static int
getlist(const char **pp)
{
	long a = 0;
	int have;

	naddr = 0;
	line1 = line2 = cur;
	if ((have = getone(pp, &a)) < 0)
		return -1;
	for (;;) {
		skipblanks(pp);
		int c = **pp;
		if (c != ',' && c != ';' && !(c == '%' && !have && naddr == 0)) {
			if (have)
				pushaddr(a);
			break;
		}
		if (!have)
			a = c == ';' ? cur : 1;
		pushaddr(a);
		if (c == ';')
			cur = a;
		(*pp)++;
		if ((have = getone(pp, &a)) < 0)
			return -1;
		if (!have) {
			pushaddr(nlast);
			skipblanks(pp);
			if (**pp != ',' && **pp != ';')
				break;
			have = 1;
			a = nlast;
			naddr--;
			line2 = line1;
		}
	}
	if (naddr == 1)
		line1 = line2;
	if (naddr > 2)
		naddr = 2;
	return 0;
}

/* Default addresses when none were given; then check them. */
static int
deflt(long d1, long d2)
{
	if (naddr == 0) {
		line1 = d1;
		line2 = d2;
	}
	if (line1 < 1 || line1 > line2 || line2 > nlast)
		return fail("invalid address");
	return 0;
}

static int
noaddr(void)
{
	return naddr > 0 ? fail("unexpected address") : 0;
}

/* ---- output ---- */

#define PF_P	1
#define PF_N	2
#define PF_L	4

static void
putline(long n, int flags)
{
	const struct line *l = &buf[n - 1];

	if (flags & PF_N)
		printf("%ld\t", n);
	if (!(flags & PF_L)) {
		fwrite(l->s, 1, l->len, stdout);
		putchar('\n');
		return;
	}
	/* l: unambiguously, folded at 72 columns, "$" at the end. */
	int col = 0;
	for (size_t i = 0; i < l->len; i++) {
		unsigned char c = (unsigned char)l->s[i];
		char b[8];
		const char *esc = strchr("\a\b\f\n\r\t\v\\", c);
		if (c != '\0' && esc != NULL)
			snprintf(b, sizeof(b), "\\%c", "abfnrtv\\"[esc - "\a\b\f\n\r\t\v\\"]);
		else if (c < 0x20 || c >= 0x7f)
			snprintf(b, sizeof(b), "\\%03o", c);
		else
			b[0] = (char)c, b[1] = '\0';
		int w = (int)strlen(b);
		if (col + w > 71) {
			fputs("\\\n", stdout);
			col = 0;
		}
		fputs(b, stdout);
		col += w;
	}
	fputs("$\n", stdout);
}


static int
printlines(long from, long to, int flags)
{
	for (long i = from; i <= to && !intr; i++)
		putline(i, flags);
	cur = to;
	return 0;
}

/* The p, l and n suffixes; anything else left on the line is an error. */
static int
suffix(const char **pp, int *flags)
{
	const char *p = *pp;

	for (;; p++) {
		if (*p == 'p')
			*flags |= PF_P;
		else if (*p == 'n')
			*flags |= PF_N;
		else if (*p == 'l')
			*flags |= PF_L;
		else
			break;
	}
	skipblanks(&p);
	*pp = p;
	return *p != '\0' ? fail("invalid command suffix") : 0;
}

/* ---- files ---- */

static const char *
getfname(const char *p, int set)
{
	skipblanks(&p);
	if (*p == '\0') {
		if (fname == NULL) {
			fail("no current filename");
			return NULL;
		}
		return fname;
	}
	if (set && *p != '!' && fname == NULL)
		fname = xstrndup(p, strlen(p));
	return p;
}

/* Read a file (or !command) after line `after`; the number of bytes, -1 on error. */
static long
readfile(const char *path, long after)
{
	FILE *fp = *path == '!' ? popen(path + 1, "r") : fopen(path, "r");
	char *l = NULL;
	size_t lc = 0;
	ssize_t n;
	long bytes = 0;
	int noeol = 0;

	if (fp == NULL) {
		if (*path != '!')
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return fail("cannot open input file");
	}
	while ((n = getline(&l, &lc, fp)) > 0) {
		bytes += n;
		if (l[n - 1] == '\n')
			n--;
		else
			noeol = 1;
		insline(after++, newline(l, (size_t)n));
	}
	free(l);
	if (*path == '!')
		pclose(fp);
	else
		fclose(fp);
	cur = after;
	if (noeol && !scripted)
		fputs("newline appended\n", stderr);
	if (!scripted)
		printf("%ld\n", bytes);
	return bytes;
}

static int
writefile(const char *path, long from, long to, const char *mode)
{
	FILE *fp = *path == '!' ? popen(path + 1, "w") : fopen(path, mode);
	long bytes = 0;

	if (fp == NULL) {
		if (*path != '!')
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return fail("cannot open output file");
	}
	for (long i = from; i <= to && nlast > 0; i++) {
		fwrite(buf[i - 1].s, 1, buf[i - 1].len, fp);
		putc('\n', fp);
		bytes += (long)buf[i - 1].len + 1;
	}
	if ((*path == '!' ? pclose(fp) : fclose(fp)) != 0 && *path != '!') {
		warn("%s", path);
		return fail("cannot write output file");
	}
	if (!scripted)
		printf("%ld\n", bytes);
	return 0;
}

/* ---- substitution ---- */

static int
getrep(const char **pp, int d, char **rep)
{
	const char *p = *pp;
	size_t rc = strlen(p) + 16, n = 0;
	char *r = xmalloc(rc);

	if (p[0] == '%' && (p[1] == d || p[1] == '\0')) {
		free(r);
		if (lastrep == NULL)
			return fail("no previous substitution");
		*rep = xstrndup(lastrep, strlen(lastrep));
		*pp = p + 1 + (p[1] == d);
		return 0;
	}
	for (;;) {
		if (*p == '\0') {
			/* A backslash-newline in the replacement: a line break; the text goes on. */
			if (n > 0 && r[n - 1] == '\\' && (n < 2 || r[n - 2] != '\\')) {
				size_t k;
				char *more = getinput(&k);
				if (more == NULL)
					break;
				r[n - 1] = '\n';
				r = xrealloc(r, rc = n + k + 16);
				/* Go on reading from a copy of the next line. */
				static char *hold;
				free(hold);
				hold = xstrndup(more, k);
				p = hold;
				continue;
			}
			break;
		}
		if (*p == d)
			break;
		if (*p == '\\' && p[1] == d) {
			r[n++] = (char)d;
			p += 2;
			continue;
		}
		if (*p == '\\' && p[1] != '\0')
			r[n++] = *p++;
		if (n + 2 >= rc)
			r = xrealloc(r, rc *= 2);
		r[n++] = *p++;
	}
	r[n] = '\0';
	if (*p == d)
		p++;
	*pp = p;
	free(lastrep);
	lastrep = xstrndup(r, n);
	*rep = r;
	return 0;
}

static void
addrep(char **o, size_t *n, size_t *oc, const char *s, size_t k)
{
	if (*n + k + 1 > *oc)
		*o = xrealloc(*o, *oc = (*n + k + 1) * 2);
	memcpy(*o + *n, s, k);
	*n += k;
}

static void
expand(char **o, size_t *n, size_t *oc, const char *line, const regmatch_t *m, const char *rep)
{
	for (const char *r = rep; *r != '\0'; r++) {
		if (*r == '&')
			addrep(o, n, oc, line + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
		else if (*r == '\\' && r[1] >= '1' && r[1] <= '9') {
			int i = *++r - '0';
			if (m[i].rm_so >= 0)
				addrep(o, n, oc, line + m[i].rm_so, (size_t)(m[i].rm_eo - m[i].rm_so));
		} else {
			if (*r == '\\' && r[1] != '\0')
				r++;
			addrep(o, n, oc, r, 1);
		}
	}
}

/* s on one line: 1 if it changed. */
static int
substline(long ln, const char *rep, int gflag, long nth)
{
	const char *s = buf[ln - 1].s;
	size_t len = buf[ln - 1].len, off = 0, n = 0, oc = len + 64;
	char *o = xmalloc(oc);
	regmatch_t m[10];
	long count = 0;
	int did = 0;

	while (off <= len && regexec(&re, s + off, 10, m, off > 0 ? REG_NOTBOL : 0) == 0) {
		for (int i = 0; i < 10; i++)
			if (m[i].rm_so >= 0)
				m[i].rm_so += (regoff_t)off, m[i].rm_eo += (regoff_t)off;
		size_t so = (size_t)m[0].rm_so, eo = (size_t)m[0].rm_eo;
		count++;
		addrep(&o, &n, &oc, s + off, so - off);
		if (gflag || count == nth) {
			expand(&o, &n, &oc, s, m, rep);
			did = 1;
		} else
			addrep(&o, &n, &oc, s + so, eo - so);
		if (eo == so) {
			if (so < len)
				addrep(&o, &n, &oc, s + so, 1);
			off = so + 1;
		} else
			off = eo;
		if (did && !gflag)
			break;
	}
	if (!did) {
		free(o);
		return 0;
	}
	if (off < len)
		addrep(&o, &n, &oc, s + off, len - off);
	/* Newlines in the result make more lines. */
	dellines(ln, ln);
	long at = ln - 1;
	size_t from = 0;
	for (;;) {
		char *nl = memchr(o + from, '\n', n - from);
		size_t k = nl != NULL ? (size_t)(nl - (o + from)) : n - from;
		insline(at++, newline(o + from, k));
		if (nl == NULL)
			break;
		from += k + 1;
	}
	cur = at;
	free(o);
	return 1;
}

static int
subst(const char *p, int *flags)
{
	static int lastg;
	static long lastnth = 1;
	char *rep = NULL;
	int gflag = 0, d;
	long nth = 1, changed = 0, extra;

	if (*p == '\0' || strchr("gpnlr0123456789 ", *p) != NULL) {
		/* s alone: the last substitution again (g toggles, N chooses). */
		if (lastrep == NULL || !haveRe)
			return fail("no previous substitution");
		rep = xstrndup(lastrep, strlen(lastrep));
		gflag = lastg;
		nth = lastnth;
		for (; *p == 'g' || *p == 'r' || isdigit((unsigned char)*p); p++) {
			if (*p == 'g')
				gflag = !gflag;
			else if (isdigit((unsigned char)*p))
				nth = strtol(p, (char **)&p, 10), p--;
		}
	} else {
		d = (unsigned char)*p++;
		if (d == ' ' || d == '\n' || d == '\\')
			return fail("invalid pattern delimiter");
		if (getpattern(&p, d) != 0)
			return -1;
		if (getrep(&p, d, &rep) != 0)
			return -1;
		for (;; p++) {
			if (*p == 'g')
				gflag = 1;
			else if (isdigit((unsigned char)*p)) {
				nth = strtol(p, (char **)&p, 10);
				p--;
				if (nth <= 0) {
					free(rep);
					return fail("invalid count");
				}
			} else
				break;
		}
	}
	lastg = gflag;
	lastnth = nth;
	if (suffix(&p, flags) != 0) {
		free(rep);
		return -1;
	}
	usave();
	long last = cur;
	for (long ln = line1; ln <= line2; ln++) {
		long before = nlast;
		if (substline(ln, rep, gflag, nth)) {
			changed++;
			extra = nlast - before;
			ln += extra;
			line2 += extra;
			last = cur;
		}
	}
	free(rep);
	if (changed == 0 && !inglobal)
		return fail("no match");
	if (changed > 0) {
		modified = 1;
		cur = last;
	}
	return 0;
}

/* ---- commands ---- */

static int command(const char *, int *);

/* g/re/cmds and v/re/cmds: mark the lines, then run the commands on each. */
static int
global(const char *p, int want)
{
	int d;
	char *cmds;
	size_t cl;

	if (inglobal)
		return fail("cannot nest global commands");
	if (deflt(1, nlast) != 0)
		return -1;
	d = (unsigned char)*p++;
	if (d == ' ' || d == '\0' || d == '\\')
		return fail("invalid pattern delimiter");
	if (getpattern(&p, d) != 0)
		return -1;
	cmds = xstrndup(p, strlen(p));
	cl = strlen(cmds);
	/* Backslash-newline continues the list on the next input line. */
	while (cl > 0 && cmds[cl - 1] == '\\') {
		size_t k;
		char *more = getinput(&k);
		if (more == NULL)
			break;
		cmds[cl - 1] = '\n';
		cmds = xrealloc(cmds, cl + k + 1);
		memcpy(cmds + cl, more, k);
		cl += k;
		cmds[cl] = '\0';
	}
	if (cl == 0 || strcmp(cmds, "\n") == 0) {
		free(cmds);
		cmds = xstrndup("p", 1);
	}
	size_t nact = nextid;
	unsigned char *act = calloc(nact, 1);
	if (act == NULL)
		err(2, NULL);
	for (long i = line1; i <= line2; i++)
		if (matches(i) == want)
			act[buf[i - 1].id] = 1;
	inglobal = 1;
	int r = 0;
	for (long i = 1; i <= nlast && !intr;) {
		if (buf[i - 1].id >= nact || !act[buf[i - 1].id]) {
			i++;
			continue;
		}
		act[buf[i - 1].id] = 0;
		cur = i;
		const char *save = gsrc;
		gsrc = cmds;
		size_t k;
		char *c;
		while ((c = getinput(&k)) != NULL) {
			char *copy = xstrndup(c, k);
			int flags = 0;
			r = command(copy, &flags);
			if (r == 0 && flags)
				r = cur >= 1 && cur <= nlast ? (putline(cur, flags), 0) : fail("invalid address");
			free(copy);
			if (r != 0)
				break;
		}
		gsrc = save;
		if (r != 0)
			break;
		i = 1;	/* lines may have moved: look again from the top */
	}
	inglobal = 0;
	free(act);
	free(cmds);
	return r;
}

static int
setmodwarn(void)
{
	if (modified && !warned && !scripted) {
		warned = 1;
		return fail("warning: file modified");
	}
	return 0;
}

/* One command line; *flags gets the print suffix.  0, -1 on error, 1 to quit. */
static int
command(const char *p, int *flags)
{
	long a3;
	int c;
	const char *f;

	if (getlist(&p) != 0)
		return -1;
	skipblanks(&p);
	c = *p != '\0' ? (unsigned char)*p++ : '\n';
	if (c != 'q' && c != 'e' && c != 'Q' && c != 'E')
		warned = 0;
	switch (c) {
	case '\n':
		/* An address alone prints that line; nothing at all, the next. */
		if (naddr == 0)
			line2 = cur + 1;
		if (line2 < 1 || line2 > nlast)
			return fail("invalid address");
		cur = line2;
		*flags |= PF_P;
		return 0;
	case 'a': case 'i': case 'c':
		if (suffix(&p, flags) != 0)
			return -1;
		if (c == 'c') {
			if (deflt(cur, cur) != 0)
				return -1;
		} else if (naddr == 0)
			line2 = cur;
		if (line2 < 0 || line2 > nlast)
			return fail("invalid address");
		usave();
		if (c == 'c') {
			dellines(line1, line2);
			modified = 1;
			long before = nlast;
			readtext(line1 - 1);
			if (nlast == before)	/* nothing typed: the line after, or the last */
				cur = line1 <= nlast ? line1 : nlast;
		} else
			readtext(c == 'a' ? line2 : (line2 > 0 ? line2 - 1 : 0));
		return 0;
	case 'd':
		if (deflt(cur, cur) != 0 || suffix(&p, flags) != 0)
			return -1;
		usave();
		dellines(line1, line2);
		modified = 1;
		cur = line1 <= nlast ? line1 : nlast;
		return 0;
	case 'e': case 'E':
		if (noaddr() != 0)
			return -1;
		if (*p != '\0' && *p != ' ')
			return fail("unexpected command suffix");
		if (c == 'e' && setmodwarn() != 0)
			return -1;
		if ((f = getfname(p, 0)) == NULL)
			return -1;
		{
			char *path = xstrndup(f, strlen(f));
			usave();
			nlast = 0;
			cur = 0;
			memset(marks, 0, sizeof(marks));
			if (*path != '!') {
				free(fname);
				fname = xstrndup(path, strlen(path));
			}
			long r = readfile(path, 0);
			free(path);
			uvalid = 0;
			modified = 0;
			warned = 0;
			return r < 0 ? -1 : 0;
		}
	case 'f':
		if (noaddr() != 0)
			return -1;
		skipblanks(&p);
		if (*p != '\0') {
			free(fname);
			fname = xstrndup(p, strlen(p));
		}
		if (fname == NULL)
			return fail("no current filename");
		printf("%s\n", fname);
		return 0;
	case 'h': case 'H':
		if (noaddr() != 0 || suffix(&p, flags) != 0)
			return -1;
		if (c == 'H')
			garrulous = !garrulous;
		if ((c == 'h' || garrulous) && *errmsg != '\0')
			fprintf(stderr, "%s\n", errmsg);
		return 0;
	case 'j':
		if (deflt(cur, cur + 1) != 0 || suffix(&p, flags) != 0)
			return -1;
		if (line1 == line2)
			return 0;
		usave();
		{
			size_t tot = 0, k = 0;
			for (long i = line1; i <= line2; i++)
				tot += buf[i - 1].len;
			char *s = xmalloc(tot + 1);
			for (long i = line1; i <= line2; i++) {
				memcpy(s + k, buf[i - 1].s, buf[i - 1].len);
				k += buf[i - 1].len;
			}
			dellines(line1, line2);
			insline(line1 - 1, newline(s, k));
			free(s);
		}
		cur = line1;
		modified = 1;
		return 0;
	case 'k':
		if (!islower((unsigned char)*p))
			return fail("invalid mark character");
		if (line2 < 1 || line2 > nlast)
			return fail("invalid address");
		marks[*p - 'a'] = buf[line2 - 1].id;
		p++;
		return suffix(&p, flags);
	case 'l': case 'n': case 'p':
		if (deflt(cur, cur) != 0)
			return -1;
		*flags |= c == 'l' ? PF_L : c == 'n' ? PF_N : 0;
		if (suffix(&p, flags) != 0)
			return -1;
		printlines(line1, line2, *flags);
		*flags = 0;
		return 0;
	case 'm': case 't':
		if (deflt(cur, cur) != 0)
			return -1;
		{
			long s1 = line1, s2 = line2;
			int sn = naddr;
			int r = getone(&p, &a3);
			if (r < 0)
				return -1;
			if (r == 0)
				return fail("destination expected");
			line1 = s1, line2 = s2, naddr = sn;
		}
		if (suffix(&p, flags) != 0)
			return -1;
		if (c == 'm' && a3 >= line1 && a3 < line2)
			return fail("invalid destination");
		usave();
		{
			long n = line2 - line1 + 1;
			struct line *t = xmalloc((size_t)n * sizeof(*t));
			for (long i = 0; i < n; i++)
				t[i] = c == 't' ? newline(buf[line1 - 1 + i].s, buf[line1 - 1 + i].len) : buf[line1 - 1 + i];
			if (c == 'm') {
				if (a3 == line2) {
					free(t);
					cur = line2;
					return 0;
				}
				dellines(line1, line2);
				if (a3 > line2)
					a3 -= n;
			}
			for (long i = 0; i < n; i++)
				insline(a3 + i, t[i]);
			free(t);
			cur = a3 + n;
		}
		modified = 1;
		return 0;
	case 'P':
		if (noaddr() != 0 || suffix(&p, flags) != 0)
			return -1;
		promptOn = !promptOn;
		return 0;
	case 'q': case 'Q':
		if (noaddr() != 0 || suffix(&p, flags) != 0)
			return -1;
		if (c == 'q' && setmodwarn() != 0)
			return -1;
		return 1;
	case 'r':
		if (*p != '\0' && *p != ' ')
			return fail("unexpected command suffix");
		if (naddr == 0)
			line2 = nlast;
		if ((f = getfname(p, 1)) == NULL)
			return -1;
		usave();
		{
			char *path = xstrndup(f, strlen(f));
			long before = nlast;
			long r = readfile(path, line2);
			free(path);
			if (r < 0)
				return -1;
			if (nlast != before)
				modified = 1;
		}
		return 0;
	case 's':
		if (deflt(cur, cur) != 0)
			return -1;
		return subst(p, flags);
	case 'g': case 'v': case 'G': case 'V':
		if (c == 'G' || c == 'V')
			return fail("interactive global commands are not supported");
		return global(p, c == 'g');
	case 'u':
		if (noaddr() != 0 || suffix(&p, flags) != 0)
			return -1;
		return undo();
	case 'w': case 'W': {
		int quit = 0;
		if (*p == 'q') {
			quit = 1;
			p++;
		}
		if (*p != '\0' && *p != ' ')
			return fail("unexpected command suffix");
		if (deflt(1, nlast) != 0 && nlast > 0)
			return -1;
		if (nlast == 0)
			line1 = line2 = 0;
		if ((f = getfname(p, 1)) == NULL)
			return -1;
		if (writefile(f, line1, line2, c == 'W' ? "a" : "w") != 0)
			return -1;
		if (*f != '!' && line1 <= 1 && line2 == nlast)
			modified = 0;
		return quit ? 1 : 0;
	}
	case '=':
		if (suffix(&p, flags) != 0)
			return -1;
		printf("%ld\n", naddr ? line2 : nlast);
		return 0;
	case '!':
		if (noaddr() != 0)
			return -1;
		{
			char *cmd = xmalloc(strlen(p) + (fname ? strlen(fname) : 0) + 1);
			size_t n = 0;
			int subs = 0;
			for (const char *s = p; *s != '\0'; s++) {
				if (*s == '%' && fname != NULL) {
					strcpy(cmd + n, fname);
					n += strlen(fname);
					subs = 1;
				} else if (*s == '\\' && s[1] == '%')
					cmd[n++] = *++s;
				else
					cmd[n++] = *s;
			}
			cmd[n] = '\0';
			if (subs)
				printf("%s\n", cmd);
			fflush(stdout);
			if (system(cmd) == -1) {
				free(cmd);
				return fail("!: not supported");
			}
			free(cmd);
			if (!scripted)
				printf("!\n");
		}
		return 0;
	case '#':
		return 0;
	}
	return fail("unknown command");
}

static void
onintr(int sig)
{
	intr = 1;
}

int
main(int argc, char *argv[])
{
	int ch;

	while ((ch = getopt(argc, argv, "+p:s")) != -1) {
		switch (ch) {
		case 'p':
			prompt = optarg;
			promptOn = 1;
			break;
		case 's':
			scripted = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0 && strcmp(argv[0], "-") == 0) {
		scripted = 1;
		argc--;
		argv++;
	}
	if (argc > 1)
		usage();
	if (prompt == NULL)
		prompt = "*";
	interactive = isatty(STDIN_FILENO);
	signal(SIGINT, onintr);
	if (argc == 1) {
		if (argv[0][0] != '!')
			fname = xstrndup(argv[0], strlen(argv[0]));
		if (readfile(argv[0], 0) < 0) {
			if (errno == ENOENT && argv[0][0] != '!') {
				/* A new file: edit it all the same. */
			} else if (!interactive)
				exit(2);
		}
		uvalid = 0;
	}
	for (;;) {
		char *l;
		size_t n;
		int flags = 0, r;

		if (promptOn) {
			fputs(prompt, stdout);
		}
		fflush(stdout);
		intr = 0;
		if ((l = getinput(&n)) == NULL) {
			if (modified && !warned && !scripted) {
				/* End of input with unsaved changes: one warning. */
				warned = 1;
				errmsg = "warning: file modified";
				fputs("?\n", stderr);
				if (!interactive) {
					if (garrulous)
						fprintf(stderr, "script, line %ld: %s\n", lineno, errmsg);
					exit(2);
				}
				if (garrulous)
					fprintf(stderr, "%s\n", errmsg);
				continue;
			}
			break;
		}
		char *cmd = xstrndup(l, n);
		r = command(cmd, &flags);
		free(cmd);
		if (r == 0 && flags != 0) {
			if (cur >= 1 && cur <= nlast)
				putline(cur, flags);
			else
				r = fail("invalid address");
		}
		if (r == 1)
			break;
		if (r < 0) {
			fputs("?\n", stderr);
			if (!interactive) {
				if (garrulous)
					fprintf(stderr, "script, line %ld: %s\n", lineno, errmsg);
				fflush(stdout);
				exit(2);
			}
			if (garrulous)
				fprintf(stderr, "%s\n", errmsg);
		}
	}
	fflush(stdout);
	return 0;
}
