/*
 * vi: the ex commands typed after ":", and searching.  Addresses (".", "$",
 * numbers, 'x marks, /re/ and ?re?, +/- offsets, "%", ranges), then
 * w, wq, x, q, e, r, s, &, d, y, j, set, f, =, !.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vi.h"

int lastdir = '/';
char *lastpat;
static regex_t lastre;
static int haveRe, reIcase;
static int icase;
static char *lastrep;
static int lastgflag;

/* Compile pat (NULL or "": the previous one); 0 on success, message set on failure. */
static int
compile(const char *pat)
{
	int e;

	if (pat == NULL || *pat == '\0') {
		if (!haveRe) {
			emsg("No previous regular expression");
			return -1;
		}
		if (reIcase == icase)
			return 0;
		pat = lastpat;
	} else if (haveRe && lastpat != NULL && strcmp(pat, lastpat) == 0 && reIcase == icase)
		return 0;
	char *copy = xstrndup(pat, strlen(pat));
	regex_t re;
	if ((e = regcomp(&re, copy, icase ? REG_ICASE : 0)) != 0) {
		char b[128];
		regerror(e, &re, b, sizeof(b));
		emsg("RE error: %s", b);
		free(copy);
		return -1;
	}
	if (haveRe)
		regfree(&lastre);
	lastre = re;
	haveRe = 1;
	reIcase = icase;
	if (copy != lastpat) {
		free(lastpat);
		lastpat = copy;
	}
	return 0;
}

static int
match(size_t y, size_t off, regmatch_t *m, size_t nm)
{
	if (off > L[y].len)
		return 0;
	if (regexec(&lastre, L[y].s + off, nm, m, off > 0 ? REG_NOTBOL : 0) != 0)
		return 0;
	for (size_t i = 0; i < nm; i++) {
		if (m[i].rm_so >= 0) {
			m[i].rm_so += (regoff_t)off;
			m[i].rm_eo += (regoff_t)off;
		}
	}
	return 1;
}

/* The last match in line y starting before x (SIZE_MAX: anywhere). */
static int
lastmatch(size_t y, size_t x, size_t *at)
{
	regmatch_t m;
	size_t off = 0;
	int found = 0;

	while (match(y, off, &m, 1) && (size_t)m.rm_so < x) {
		*at = (size_t)m.rm_so;
		found = 1;
		off = (size_t)m.rm_so + 1;
		if (off > L[y].len)
			break;
	}
	return found;
}

/*
 * Search for pat from p in direction dir ('/' forward, '?' back), wrapping
 * at the ends of the buffer; the match's start in *to.
 */
int
search(const char *pat, int dir, struct pos p, struct pos *to, int quiet)
{
	regmatch_t m;
	size_t at, y;
	int wrapped = 0;

	if (compile(pat) != 0)
		return -1;
	if (dir == '/') {
		if (match(p.y, p.x + 1, &m, 1)) {
			y = p.y;
			goto found;
		}
		for (size_t i = 1; i < nlines; i++) {
			y = (p.y + i) % nlines;
			if (match(y, 0, &m, 1)) {
				wrapped = y < p.y;
				goto found;
			}
		}
		if (match(p.y, 0, &m, 1) && (size_t)m.rm_so <= p.x) {
			y = p.y;
			wrapped = 1;
			goto found;
		}
	} else {
		if (lastmatch(p.y, p.x, &at)) {
			y = p.y;
			goto foundat;
		}
		for (size_t i = 1; i < nlines; i++) {
			y = (p.y + nlines - i) % nlines;
			if (lastmatch(y, SIZE_MAX, &at)) {
				wrapped = y > p.y;
				goto foundat;
			}
		}
		if (lastmatch(p.y, SIZE_MAX, &at) && at >= p.x) {
			y = p.y;
			wrapped = 1;
			goto foundat;
		}
	}
	if (!quiet)
		emsg("Pattern not found");
	return -1;
found:
	at = (size_t)m.rm_so;
foundat:
	to->y = y;
	to->x = at;
	if (wrapped && !quiet)
		msg("Search wrapped");
	return 0;
}

/* n and N: the last search again, count times, the same way or the other. */
int
search_next(int reverse, long count, struct pos *to)
{
	struct pos p = cur;
	int dir = lastdir;

	if (reverse)
		dir = dir == '/' ? '?' : '/';
	if (lastpat == NULL) {
		emsg("No previous search pattern");
		return -1;
	}
	while (count-- > 0) {
		if (search(NULL, dir, p, &p, 0) != 0)
			return -1;
	}
	*to = p;
	return 0;
}

/* ---- addresses ---- */

static const char *
skipws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A pattern up to the delimiter d (or the end); the text after it. */
static char *
delimited(const char **sp, int d)
{
	const char *s = *sp;
	size_t cap = strlen(s) + 1, n = 0;
	char *p = xmalloc(cap);

	while (*s != '\0' && *s != d) {
		if (*s == '\\' && s[1] == d) {
			p[n++] = (char)d;
			s += 2;
			continue;
		}
		if (*s == '\\' && s[1] != '\0')
			p[n++] = *s++;
		p[n++] = *s++;
	}
	p[n] = '\0';
	if (*s == d)
		s++;
	*sp = s;
	return p;
}

/* One address; -1 if there is none, -2 on error (message set). */
static long
address(const char **sp)
{
	const char *s = skipws(*sp);
	long a = -1;

	if (*s == '.') {
		a = (long)cur.y;
		s++;
	} else if (*s == '$') {
		a = (long)nlines - 1;
		s++;
	} else if (isdigit((unsigned char)*s)) {
		a = strtol(s, (char **)&s, 10) - 1;
		if (a < 0)
			a = 0;
	} else if (*s == '\'') {
		if (s[1] < 'a' || s[1] > 'z' || marks[s[1] - 'a'].y == SIZE_MAX) {
			emsg("Mark not set");
			return -2;
		}
		a = (long)marks[s[1] - 'a'].y;
		s += 2;
	} else if (*s == '/' || *s == '?') {
		int d = *s++;
		char *pat = delimited(&s, d);
		struct pos p = { cur.y, d == '/' ? L[cur.y].len : 0 }, to;
		int r = search(pat, d, p, &to, 1);
		free(pat);
		if (r != 0) {
			emsg("Pattern not found");
			return -2;
		}
		lastdir = d;
		a = (long)to.y;
	}
	for (;;) {
		s = skipws(s);
		if (*s != '+' && *s != '-')
			break;
		int sign = *s++ == '+' ? 1 : -1;
		long n = isdigit((unsigned char)*s) ? strtol(s, (char **)&s, 10) : 1;
		if (a < 0)
			a = (long)cur.y;
		a += sign * n;
	}
	*sp = s;
	if (a != -1 && (a < 0 || a >= (long)nlines)) {
		emsg("Illegal address: only %zu line%s in the file", nlines, nlines == 1 ? "" : "s");
		return -2;
	}
	return a;
}

/* ---- commands ---- */

static int
filemodified(int force)
{
	if (MODIFIED() && !force) {
		emsg("File modified since last complete write; write or use ! to override");
		return 1;
	}
	return 0;
}

static int
do_write(const char *arg, long a1, long a2, int force, int naddr)
{
	char m[600];
	const char *path;
	int append = 0;

	arg = skipws(arg);
	if (arg[0] == '>' && arg[1] == '>') {
		append = 1;
		arg = skipws(arg + 2);
	}
	path = *arg != '\0' ? arg : fname;
	if (path == NULL) {
		emsg("No current filename");
		return -1;
	}
	if (naddr == 0) {
		a1 = 0;
		a2 = (long)nlines - 1;
	}
	if (!force && !append && fname != NULL && strcmp(path, fname) != 0 && access(path, F_OK) == 0) {
		emsg("%s exists, not written; use ! to override", path);
		return -1;
	}
	if (buf_write(path, (size_t)a1, (size_t)a2, append, force, m, sizeof(m)) != 0) {
		emsg("%s", m);
		return -1;
	}
	if (fname == NULL) {
		fname = xstrndup(path, strlen(path));
		readonly = 0;
	}
	if (strcmp(path, fname) == 0 && naddr == 0 && !append)
		savedid = stateid;
	msg("%s", m);
	return 0;
}

static int
do_edit(const char *arg, int force)
{
	char m[600];
	char *path;

	arg = skipws(arg);
	if (filemodified(force))
		return -1;
	path = *arg != '\0' ? xstrndup(arg, strlen(arg)) : fname != NULL ? xstrndup(fname, strlen(fname)) : NULL;
	if (path == NULL) {
		emsg("No current filename");
		return -1;
	}
	int r = buf_load(path, m, sizeof(m));
	free(path);
	for (int i = 0; i < 26; i++)
		marks[i].y = SIZE_MAX;
	top = 0;
	if (r != 0)
		emsg("%s", m);
	else
		msg("%s", m);
	return r;
}

/* The replacement for one match: & and \1..\9 expanded, \r or \n a line break. */
static void
expand(const char *line, regmatch_t *m, const char *rep, char **out, size_t *n, size_t *cap)
{
	for (const char *r = rep; *r != '\0'; r++) {
		const char *from = NULL;
		size_t k = 0;
		char ch = *r;
		if (*r == '&') {
			from = line + m[0].rm_so;
			k = (size_t)(m[0].rm_eo - m[0].rm_so);
		} else if (*r == '\\' && r[1] >= '0' && r[1] <= '9') {
			int i = *++r - '0';
			if (m[i].rm_so >= 0) {
				from = line + m[i].rm_so;
				k = (size_t)(m[i].rm_eo - m[i].rm_so);
			}
		} else {
			if (*r == '\\' && r[1] != '\0') {
				r++;
				ch = *r == 'n' || *r == 'r' ? '\n' : *r;
			} else if (*r == '\r')
				ch = '\n';
			from = &ch;
			k = 1;
		}
		if (*n + k + 1 > *cap)
			*out = xrealloc(*out, *cap = (*n + k + 1) * 2);
		if (k > 0)
			memcpy(*out + *n, from, k);
		*n += k;
	}
}

/* s/pat/rep/[g] on lines a1..a2. */
static int
do_subst(const char *arg, long a1, long a2, int repeat)
{
	char *pat = NULL, *rep;
	int gflag = 0, d;
	size_t changed = 0, lastline = 0;

	if (repeat || *arg == '\0') {
		if (lastrep == NULL) {
			emsg("No previous substitute");
			return -1;
		}
		rep = xstrndup(lastrep, strlen(lastrep));
		gflag = lastgflag;
		if (*arg == 'g')
			gflag = 1;
	} else {
		d = (unsigned char)*arg++;
		if (isalnum(d) || d == '\\' || d == '"' || d == ' ') {
			emsg("Substitution delimiter may not be alphanumeric, \\, \" or space");
			return -1;
		}
		pat = delimited(&arg, d);
		rep = delimited(&arg, d);
		if (strcmp(rep, "%") == 0 && lastrep != NULL) {
			free(rep);
			rep = xstrndup(lastrep, strlen(lastrep));
		}
		for (; *arg != '\0'; arg++) {
			if (*arg == 'g')
				gflag = 1;
			else if (*arg != ' ' && *arg != 'c') {
				emsg("Usage: s/pat/rep/[g]");
				free(pat);
				free(rep);
				return -1;
			}
		}
		free(lastrep);
		lastrep = xstrndup(rep, strlen(rep));
		lastgflag = gflag;
	}
	if (compile(pat) != 0) {
		free(pat);
		free(rep);
		return -1;
	}
	free(pat);
	for (long y = a1; y <= a2 && y < (long)nlines; y++) {
		regmatch_t m[10];
		size_t off = 0, n = 0, cap = L[y].len + 64;
		char *o = xmalloc(cap);
		int did = 0;
		const char *s = L[y].s;
		size_t len = L[y].len;
		while (off <= len && match((size_t)y, off, m, 10)) {
			size_t so = (size_t)m[0].rm_so, eo = (size_t)m[0].rm_eo;
			if (n + (so - off) + 1 > cap)
				o = xrealloc(o, cap = (n + so - off + 1) * 2);
			memcpy(o + n, s + off, so - off);
			n += so - off;
			expand(s, m, rep, &o, &n, &cap);
			did = 1;
			if (eo == so) {
				/* An empty match: keep the next character and go on past it. */
				if (so < len) {
					if (n + 2 > cap)
						o = xrealloc(o, cap *= 2);
					o[n++] = s[so];
				}
				off = so + 1;
			} else
				off = eo;
			if (!gflag)
				break;
		}
		if (!did) {
			free(o);
			continue;
		}
		if (off < len) {
			if (n + (len - off) + 1 > cap)
				o = xrealloc(o, cap = n + len - off + 1);
			memcpy(o + n, s + off, len - off);
			n += len - off;
		}
		/* Line breaks in the replacement split the line. */
		char *nl;
		size_t at = (size_t)y, from = 0;
		int first = 1;
		while ((nl = memchr(o + from, '\n', n - from)) != NULL) {
			size_t k = (size_t)(nl - (o + from));
			if (first)
				line_set(at, o + from, k);
			else
				line_insert(at, o + from, k);
			first = 0;
			at++;
			from += k + 1;
			a2++;
			y++;
		}
		if (first)
			line_set(at, o + from, n - from);
		else
			line_insert(at, o + from, n - from);
		lastline = at;
		changed++;
		free(o);
	}
	free(rep);
	if (changed == 0) {
		emsg("No match found");
		return -1;
	}
	cur.y = lastline;
	first_nonblank();
	if (changed > 1)
		msg("%zu lines changed", changed);
	return 0;
}

static int
do_set(const char *arg)
{
	char opt[64];

	arg = skipws(arg);
	if (*arg == '\0' || strcmp(arg, "all") == 0) {
		msg("%snumber %signorecase", numbers ? "" : "no", icase ? "" : "no");
		return 0;
	}
	while (*arg != '\0') {
		size_t n = strcspn(arg, " \t");
		snprintf(opt, sizeof(opt), "%.*s", (int)(n < 63 ? n : 63), arg);
		if (strcmp(opt, "nu") == 0 || strcmp(opt, "number") == 0)
			numbers = 1;
		else if (strcmp(opt, "nonu") == 0 || strcmp(opt, "nonumber") == 0)
			numbers = 0;
		else if (strcmp(opt, "ic") == 0 || strcmp(opt, "ignorecase") == 0)
			icase = 1;
		else if (strcmp(opt, "noic") == 0 || strcmp(opt, "noignorecase") == 0)
			icase = 0;
		else {
			emsg("set: no %s option: 'set all' gives all option values", opt);
			return -1;
		}
		arg = skipws(arg + n);
	}
	screen_invalidate();
	return 0;
}

/* :!cmd: the terminal back to normal for the command, then a key to return. */
static int
do_shell(const char *cmd)
{
	term_restore();
	(void)!write(STDOUT_FILENO, "\r\n", 2);
	int st = system(cmd);
	if (st == -1)
		fprintf(stderr, "vi: %s\n", strerror(errno));
	fputs("[Hit return to continue]", stdout);
	fflush(stdout);
	term_raw();
	getkey();
	return 0;
}

struct cmd {
	const char *name;
	size_t minlen;		/* shortest abbreviation */
};

static int
iscmd(const char *word, size_t n, const char *name, size_t minlen)
{
	return n >= minlen && n <= strlen(name) && strncmp(word, name, n) == 0;
}

int
ex_command(const char *line)
{
	const char *s = skipws(line), *w;
	long a1 = -1, a2 = -1;
	int naddr = 0, force = 0;
	size_t n;

	while (*s == ':')
		s = skipws(s + 1);
	if (*s == '"')
		return 0;
	if (*s == '%') {
		a1 = 0;
		a2 = (long)nlines - 1;
		naddr = 2;
		s++;
	} else {
		if ((a1 = address(&s)) == -2)
			return -1;
		if (a1 >= 0)
			naddr = 1;
		s = skipws(s);
		while (*s == ',' || *s == ';') {
			if (*s == ';' && a1 >= 0)
				cur.y = (size_t)a1;
			s++;
			if (a1 < 0)
				a1 = (long)cur.y;
			long a = address(&s);
			if (a == -2)
				return -1;
			a2 = a >= 0 ? a : (long)cur.y;
			naddr = 2;
			s = skipws(s);
		}
		if (naddr == 1)
			a2 = a1;
	}
	if (naddr == 0)
		a1 = a2 = (long)cur.y;
	if (a1 > a2) {
		long t = a1;
		a1 = a2;
		a2 = t;
	}
	s = skipws(s);
	if (*s == '\0') {
		/* Just an address: go there. */
		if (naddr > 0) {
			cur.y = (size_t)a2;
			first_nonblank();
		}
		return 0;
	}
	w = s;
	if (isalpha((unsigned char)*s)) {
		while (isalpha((unsigned char)*s))
			s++;
	} else
		s++;
	n = (size_t)(s - w);
	if (*s == '!' && *w != '!') {
		force = 1;
		s++;
	}
	if (iscmd(w, n, "write", 1))
		return do_write(s, a1, a2, force, naddr);
	if (iscmd(w, n, "wq", 2)) {
		if (do_write(s, a1, a2, force, naddr) == 0)
			done = 1;
		return 0;
	}
	if (iscmd(w, n, "xit", 1) || iscmd(w, n, "exit", 3)) {
		if (MODIFIED() || *skipws(s) != '\0') {
			if (do_write(s, a1, a2, force, naddr) != 0)
				return -1;
		}
		done = 1;
		return 0;
	}
	if (iscmd(w, n, "quit", 1) || iscmd(w, n, "qall", 2)) {
		if (!filemodified(force))
			done = 1;
		return 0;
	}
	if (iscmd(w, n, "edit", 1))
		return do_edit(s, force);
	if (iscmd(w, n, "read", 1)) {
		char m[600];
		s = skipws(s);
		if (*s == '\0' && fname == NULL) {
			emsg("No current filename");
			return -1;
		}
		if (buf_readin(*s != '\0' ? s : fname, naddr ? (size_t)a2 : cur.y, m, sizeof(m)) != 0) {
			emsg("%s", m);
			return -1;
		}
		msg("%s", m);
		cur.y = (naddr ? (size_t)a2 : cur.y) + 1;
		if (cur.y >= nlines)
			cur.y = nlines - 1;
		first_nonblank();
		return 0;
	}
	if (iscmd(w, n, "substitute", 1))
		return do_subst(s, a1, a2, 0);
	if (*w == '&')
		return do_subst(s, a1, a2, 1);
	if (iscmd(w, n, "delete", 1) || iscmd(w, n, "yank", 1)) {
		size_t k;
		s = skipws(s);
		if (isdigit((unsigned char)*s)) {
			a1 = a2;
			a2 = a1 + strtol(s, NULL, 10) - 1;
			if (a2 >= (long)nlines)
				a2 = (long)nlines - 1;
		}
		struct pos p1 = { (size_t)a1, 0 }, p2 = { (size_t)a2 + 1, 0 };
		char *t = text_get(p1, p2, &k);
		if ((size_t)a2 + 1 >= nlines) {
			/* text_get stops at the last line: the register holds whole lines. */
			t = xrealloc(t, k + 2);
			t[k++] = '\n';
			t[k] = '\0';
		}
		reg_set(t, k, 1);
		if (*w == 'd') {
			line_delete((size_t)a1, (size_t)(a2 - a1 + 1));
			cur.y = (size_t)a1 < nlines ? (size_t)a1 : nlines - 1;
			first_nonblank();
		}
		return 0;
	}
	if (iscmd(w, n, "join", 1)) {
		if (a1 == a2)
			a2++;
		if (a2 >= (long)nlines) {
			emsg("Not that many lines to join");
			return -1;
		}
		for (long i = a1; i < a2; i++) {
			struct pos e = { (size_t)a1, L[a1].len }, b = { (size_t)a1 + 1, nonblank((size_t)a1 + 1) };
			text_delete(e, b);
			struct pos sp = e;
			if (e.x > 0 && L[a1].s[e.x - 1] != ' ' && e.x < L[a1].len)
				text_insert(sp, " ", 1, NULL);
		}
		cur.y = (size_t)a1;
		first_nonblank();
		return 0;
	}
	if (iscmd(w, n, "set", 2) || iscmd(w, n, "se", 2))
		return do_set(s);
	if (iscmd(w, n, "file", 1)) {
		s = skipws(s);
		if (*s != '\0') {
			free(fname);
			fname = xstrndup(s, strlen(s));
			readonly = 0;
		}
		char b[600];
		status_line(b, sizeof(b));
		msg("%s", b);
		return 0;
	}
	if (*w == '=') {
		msg("%ld", naddr ? a2 + 1 : (long)nlines);
		return 0;
	}
	if (*w == '!') {
		if (!isatty(STDIN_FILENO)) {
			emsg("!: not supported");
			return -1;
		}
		return do_shell(skipws(s));
	}
	emsg("The %.*s command is unknown", (int)n, w);
	return -1;
}

void
ex_done(void)
{
	if (haveRe)
		regfree(&lastre);
	free(lastpat);
	free(lastrep);
}
