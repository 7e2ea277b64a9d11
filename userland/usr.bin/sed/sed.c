/*
 * sed: stream editor (the common subset).
 *
 * Commands: { } ! s y d D p P n N g G h H x = a i c q l b t : r w and
 * comments; addresses: N, $, /re/ (\cREc), first~step, and ranges
 * addr1,addr2 (addr2 may be a line number or /re/).  Regular expressions
 * are basic, or extended with -E (-r).  -i edits files in place (with an
 * backup extension that BSD requires: "-i ''" for none, "-i .bak").
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct addr {
	int	type;		/* 0 none, 1 line, 2 last, 3 regex, 4 step */
	long	line, step;
	regex_t	*re;
};

struct cmd {
	struct addr a1, a2;
	int	naddr, negate, active;	/* active: inside a range */
	char	code;
	char	*text;		/* a i c: text; b t: label; r w: file */
	regex_t	*re;		/* s */
	char	*repl;
	int	gflag, pflag, nth, iflag;
	FILE	*wfp;
	unsigned char ymap[256];
	long	jump;		/* index for { } b t */
};

static struct cmd *cmds;
static long ncmds;
static int nflag, Eflag, inplace;
static const char *suffix = "";
static char *ps, *hs;		/* pattern and hold space */
static size_t pslen, hslen, pscap, hscap;
static long lineno;
static int quitting, lastline, tflag;
static int rval;		/* 1 once an input file could not be read */
static char **files;
static FILE *in, *out;
static regex_t *lastre;
static char *appendq;		/* text queued by a and r for the end of the cycle */
static size_t appendlen, appendcap;

static void
usage(void)
{
	fprintf(stderr, "usage: sed script [-Ealnru] [-i extension] [file ...]\n"
	    "       sed [-Ealnu] [-i extension] [-e script] ... [-f script_file] ... [file ...]\n");
	exit(1);
}

static void
setspace(char **sp, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (n + 1 > *cap) {
		*cap = n + 64;
		if ((*sp = realloc(*sp, *cap)) == NULL)
			err(1, NULL);
	}
	memmove(*sp, s, n);
	(*sp)[n] = '\0';
	*len = n;
}

static void
appendspace(char **sp, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n) * 2 + 64;
		if ((*sp = realloc(*sp, *cap)) == NULL)
			err(1, NULL);
	}
	memcpy(*sp + *len, s, n);
	*len += n;
	(*sp)[*len] = '\0';
}

/* ---- parsing ---- */

static char *script;
static size_t scriptlen;
static const char *sp;

/* BSD's form: the script's line number and the script, quoted. */
static void __attribute__((noreturn))
perr(const char *msg)
{
	long line = 1;
	size_t len = strlen(script);

	for (const char *p = script; p < sp && *p != '\0'; p++)
		if (*p == '\n' && p + 1 < sp)
			line++;
	if (len > 0 && script[len - 1] == '\n')
		len--;
	errx(1, "%ld: \"%.*s\": %s", line, (int)len, script, msg);
}

static regex_t *
compile(const char *pat, int icase)
{
	regex_t *re;
	int e;

	if (*pat == '\0') {
		/* The empty RE means the last one used. */
		return (NULL);
	}
	if ((re = malloc(sizeof(*re))) == NULL)
		err(1, NULL);
	if ((e = regcomp(re, pat, (Eflag ? REG_EXTENDED : 0) | (icase ? REG_ICASE : 0))) != 0) {
		char buf[256];
		regerror(e, re, buf, sizeof(buf));
		char msg[300];
		snprintf(msg, sizeof(msg), "RE error: %s", buf);
		perr(msg);
	}
	return (re);
}

/* Text up to an unescaped delimiter; "\n" becomes a newline, "\delim" the delimiter. */
static char *
delimited(int delim, int isre)
{
	size_t cap = 64, n = 0;
	char *buf = malloc(cap);

	if (buf == NULL)
		err(1, NULL);
	for (;;) {
		if (*sp == '\0')
			perr(isre ? "unterminated regular expression" : "unterminated substitute pattern");
		if (*sp == delim) {
			sp++;
			break;
		}
		if (n + 3 > cap && (buf = realloc(buf, cap *= 2)) == NULL)
			err(1, NULL);
		if (*sp == '\\' && sp[1] != '\0') {
			if (sp[1] == delim) {
				buf[n++] = delim;
				sp += 2;
				continue;
			}
			if (sp[1] == 'n') {
				buf[n++] = '\n';
				sp += 2;
				continue;
			}
			buf[n++] = *sp++;
		} else if (*sp == '[' && isre) {
			/* A bracket expression may hold the delimiter. */
			buf[n++] = *sp++;
			if (*sp == '^')
				buf[n++] = *sp++;
			if (*sp == ']')
				buf[n++] = *sp++;
			while (*sp != '\0' && *sp != ']') {
				if (n + 3 > cap && (buf = realloc(buf, cap *= 2)) == NULL)
					err(1, NULL);
				buf[n++] = *sp++;
			}
			if (*sp == ']')
				buf[n++] = *sp++;
			continue;
		}
		buf[n++] = *sp++;
	}
	buf[n] = '\0';
	return (buf);
}

static void
skipws(void)
{
	while (*sp == ' ' || *sp == '\t')
		sp++;
}

static int
address(struct addr *a)
{
	char *ep;

	if (isdigit((unsigned char)*sp)) {
		a->line = strtol(sp, &ep, 10);
		sp = ep;
		a->type = 1;
		if (*sp == '~') {
			a->step = strtol(sp + 1, &ep, 10);
			sp = ep;
			a->type = 4;
		}
		return (1);
	}
	if (*sp == '$') {
		sp++;
		a->type = 2;
		return (1);
	}
	if (*sp == '/' || *sp == '\\') {
		int d = *sp == '\\' ? sp[1] : '/';
		sp += *sp == '\\' ? 2 : 1;
		char *pat = delimited(d, 1);
		a->re = compile(pat, 0);
		a->type = 3;
		free(pat);
		return (1);
	}
	return (0);
}

/* Text argument of a, i, c: "a\" newline text, or GNU's one-liner "a text". */
static char *
textarg(void)
{
	size_t cap = 64, n = 0;
	char *buf = malloc(cap);

	if (buf == NULL)
		err(1, NULL);
	skipws();
	if (*sp == '\\') {
		sp++;
		if (*sp == '\n')
			sp++;
	}
	skipws();
	while (*sp != '\0') {
		if (n + 3 > cap && (buf = realloc(buf, cap *= 2)) == NULL)
			err(1, NULL);
		if (*sp == '\\' && sp[1] != '\0') {
			sp++;
			buf[n++] = *sp++;
			continue;
		}
		if (*sp == '\n') {
			sp++;
			break;
		}
		buf[n++] = *sp++;
	}
	buf[n++] = '\n';
	buf[n] = '\0';
	return (buf);
}

static char *
labelarg(void)
{
	skipws();
	const char *s = sp;
	while (*sp != '\0' && *sp != '\n' && *sp != ';')
		sp++;
	size_t n = sp - s;
	while (n > 0 && isblank((unsigned char)s[n - 1]))
		n--;
	char *l = strndup(s, n);
	if (l == NULL)
		err(1, NULL);
	return (l);
}

static char *
filearg(void)
{
	skipws();
	const char *s = sp;
	while (*sp != '\0' && *sp != '\n')
		sp++;
	char *f = strndup(s, sp - s);
	if (f == NULL)
		err(1, NULL);
	return (f);
}

static void
parse(void)
{
	long stack[64];
	int depth = 0;

	sp = script;
	for (;;) {
		while (*sp == ' ' || *sp == '\t' || *sp == '\n' || *sp == ';')
			sp++;
		if (*sp == '\0')
			break;
		if (*sp == '#') {
			while (*sp != '\0' && *sp != '\n')
				sp++;
			continue;
		}
		if ((cmds = reallocarray(cmds, ncmds + 1, sizeof(*cmds))) == NULL)
			err(1, NULL);
		struct cmd *c = &cmds[ncmds];
		memset(c, 0, sizeof(*c));
		if (address(&c->a1)) {
			c->naddr = 1;
			if (*sp == ',') {
				sp++;
				if (!address(&c->a2))
					perr("expected context address");
				c->naddr = 2;
			}
		}
		skipws();
		while (*sp == '!') {
			c->negate = 1;
			sp++;
			skipws();
		}
		c->code = *sp++;
		switch (c->code) {
		case '{':
			if (depth == 64)
				perr("too many {");
			stack[depth++] = ncmds;
			break;
		case '}':
			if (depth == 0)
				perr("unexpected }");
			if (c->naddr)
				perr("} doesn't want any addresses");
			cmds[stack[--depth]].jump = ncmds;
			break;
		case 'a': case 'i': case 'c':
			c->text = textarg();
			break;
		case 'b': case 't': case ':':
			c->text = labelarg();
			if (c->code == ':' && *c->text == '\0')
				perr("empty label");
			break;
		case 'r':
			c->text = filearg();
			break;
		case 'w':
			c->text = filearg();
			if ((c->wfp = fopen(c->text, "w")) == NULL)
				err(1, "%s", c->text);
			break;
		case 's': {
			int d = *sp++;
			if (d == '\0' || d == '\\' || d == '\n')
				perr("substitute pattern can not be delimited by newline or backslash");
			char *pat = delimited(d, 1);
			c->repl = delimited(d, 0);
			for (;;) {
				if (*sp == 'g') c->gflag = 1;
				else if (*sp == 'p') c->pflag = 1;
				else if (*sp == 'I' || *sp == 'i') c->iflag = 1;
				else if (isdigit((unsigned char)*sp)) {
					char *ep;
					c->nth = (int)strtol(sp, &ep, 10);
					sp = ep - 1;
				} else if (*sp == 'w') {
					sp++;
					c->text = filearg();
					if ((c->wfp = fopen(c->text, "w")) == NULL)
						err(1, "%s", c->text);
					break;
				} else
					break;
				sp++;
			}
			c->re = compile(pat, c->iflag);
			free(pat);
			break;
		}
		case 'y': {
			int d = *sp++;
			char *from = delimited(d, 0), *to = delimited(d, 0);
			if (strlen(from) != strlen(to))
				perr("transform strings are not the same length");
			for (int k = 0; k < 256; k++)
				c->ymap[k] = (unsigned char)k;
			for (size_t k = 0; from[k] != '\0'; k++)
				c->ymap[(unsigned char)from[k]] = (unsigned char)to[k];
			free(from);
			free(to);
			break;
		}
		case 'd': case 'D': case 'p': case 'P': case 'n': case 'N': case 'g': case 'G':
		case 'h': case 'H': case 'x': case '=': case 'q': case 'l':
			break;
		default: {
			char msg[64];
			snprintf(msg, sizeof(msg), "invalid command code %c", c->code);
			perr(msg);
		}
		}
		ncmds++;
		/* Text, label and file arguments run to the end of the line. */
		if (strchr("aicbt:rw{", c->code) != NULL || (c->code == 's' && c->wfp != NULL))
			continue;
		skipws();
		if (*sp != '\0' && *sp != '\n' && *sp != ';' && *sp != '#' && *sp != '}')
			perr("extra characters at the end of command");
	}
	if (depth != 0)
		perr("unmatched {");
	/* Resolve labels. */
	for (long k = 0; k < ncmds; k++) {
		if (cmds[k].code != 'b' && cmds[k].code != 't')
			continue;
		if (*cmds[k].text == '\0') {
			cmds[k].jump = ncmds;
			continue;
		}
		long j;
		for (j = 0; j < ncmds; j++)
			if (cmds[j].code == ':' && strcmp(cmds[j].text, cmds[k].text) == 0)
				break;
		if (j == ncmds)
			errx(1, "undefined label: %s", cmds[k].text);
		cmds[k].jump = j;
	}
}

/* ---- input ---- */

static int
nextfile(void)
{
	for (;;) {
		if (in != NULL && in != stdin)
			fclose(in);
		in = NULL;
		if (*files == NULL)
			return (0);
		const char *f = *files++;
		if (strcmp(f, "-") == 0) {
			in = stdin;
			return (1);
		}
		if ((in = fopen(f, "r")) == NULL) {
			warn("%s", f);
			rval = 1;
			continue;
		}
		return (1);
	}
}

/* Read the next line into (buf,len); 0 at the end of all input. */
static int
readline(char **buf, size_t *len, size_t *cap)
{
	static char *line;
	static size_t lcap;
	ssize_t n;

	for (;;) {
		if (in == NULL && !nextfile())
			return (0);
		if ((n = getline(&line, &lcap, in)) != -1)
			break;
		if (in != stdin)
			fclose(in);
		in = NULL;
		if (inplace)
			return (0);
	}
	if (n > 0 && line[n - 1] == '\n')
		n--;
	setspace(buf, len, cap, line, n);
	lineno++;
	return (1);
}

/* Is this the last line of input?  Peek ahead, across files. */
static int
islast(void)
{
	int c;

	for (;;) {
		if (in == NULL) {
			if (inplace || !nextfile())
				return (1);
		}
		if ((c = getc(in)) != EOF) {
			ungetc(c, in);
			return (0);
		}
		if (inplace)
			return (1);
		if (in != stdin)
			fclose(in);
		in = NULL;
	}
}

/* ---- execution ---- */

static int
matchre(regex_t *re, const char *s, size_t len, regmatch_t *m, int n, int notbol)
{
	if (re == NULL) {
		if (lastre == NULL)
			errx(1, "no previous regular expression");
		re = lastre;
	}
	lastre = re;
	m[0].rm_so = 0;
	m[0].rm_eo = len;
	return (regexec(re, s, n, m, REG_STARTEND | (notbol ? REG_NOTBOL : 0)) == 0);
}

static int
matchaddr(struct addr *a)
{
	regmatch_t m[1];

	switch (a->type) {
	case 1: return (lineno == a->line);
	case 2: return (lastline);
	case 3: return (matchre(a->re, ps, pslen, m, 1, 0));
	case 4: return (a->step > 0 ? lineno >= a->line && (lineno - a->line) % a->step == 0 : lineno == a->line);
	}
	return (0);
}

static int
applies(struct cmd *c)
{
	int r;

	if (c->naddr == 0)
		r = 1;
	else if (c->naddr == 1)
		r = matchaddr(&c->a1);
	else if (c->active) {
		/* In a range: does this line end it? */
		r = 1;
		if (c->a2.type == 1)
			c->active = lineno < c->a2.line;
		else
			c->active = !matchaddr(&c->a2);
	} else if (matchaddr(&c->a1)) {
		r = 1;
		/* A line-number end at or before the start closes the range at once. */
		if (c->a2.type == 1)
			c->active = lineno < c->a2.line;
		else if (c->a2.type == 2)
			c->active = !lastline;
		else
			c->active = 1;
	} else
		r = 0;
	return (c->negate ? !r : r);
}

static void
queue(const char *s, size_t n)
{
	appendspace(&appendq, &appendlen, &appendcap, s, n);
}

static void
flushappend(void)
{
	if (appendlen > 0) {
		fwrite(appendq, 1, appendlen, out);
		appendlen = 0;
	}
}

static void
listline(const char *s, size_t n)
{
	int col = 0;

	for (size_t i = 0; i < n; i++) {
		char buf[8];
		unsigned char c = s[i];
		const char *e = NULL;
		switch (c) {
		case '\\': e = "\\\\"; break;
		case '\a': e = "\\a"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		case '\v': e = "\\v"; break;
		}
		if (e == NULL) {
			if (isprint(c))
				snprintf(buf, sizeof(buf), "%c", c);
			else
				snprintf(buf, sizeof(buf), "\\%03o", c);
			e = buf;
		}
		if (col + strlen(e) > 69) {
			fputs("\\\n", out);
			col = 0;
		}
		fputs(e, out);
		col += strlen(e);
	}
	fputs("$\n", out);
}

static int
substitute(struct cmd *c)
{
	regmatch_t m[10];
	static char *res;
	static size_t rlen, rcap;
	size_t from = 0, lastend = (size_t)-1;
	int count = 0, did = 0;

	rlen = 0;
	setspace(&res, &rlen, &rcap, "", 0);
	regex_t *re = c->re != NULL ? c->re : lastre;

	if (re == NULL)
		errx(1, "no previous regular expression");
	lastre = re;
	while (from <= pslen) {
		m[0].rm_so = from;
		m[0].rm_eo = pslen;
		if (regexec(re, ps, 10, m, REG_STARTEND | (from > 0 ? REG_NOTBOL : 0)) != 0)
			break;
		size_t so = m[0].rm_so, eo = m[0].rm_eo;
		/* No empty match right where the previous match ended ("s/e*\/X/g"). */
		if (so == eo && so == lastend) {
			if (so < pslen)
				appendspace(&res, &rlen, &rcap, ps + so, 1);
			from = so + 1;
			continue;
		}
		lastend = eo;
		count++;
		appendspace(&res, &rlen, &rcap, ps + from, so - from);
		if (c->nth == 0 ? 1 : count == c->nth) {
			for (const char *r = c->repl; *r != '\0'; r++) {
				if (*r == '\\' && r[1] >= '0' && r[1] <= '9') {
					int k = r[1] - '0';
					if (m[k].rm_so >= 0)
						appendspace(&res, &rlen, &rcap, ps + m[k].rm_so, m[k].rm_eo - m[k].rm_so);
					r++;
				} else if (*r == '&')
					appendspace(&res, &rlen, &rcap, ps + so, eo - so);
				else if (*r == '\\' && r[1] != '\0') {
					appendspace(&res, &rlen, &rcap, r + 1, 1);
					r++;
				} else
					appendspace(&res, &rlen, &rcap, r, 1);
			}
			did = 1;
		} else
			appendspace(&res, &rlen, &rcap, ps + so, eo - so);
		if (eo == so) {
			/* An empty match: copy one character and move on. */
			if (so < pslen)
				appendspace(&res, &rlen, &rcap, ps + so, 1);
			from = so + 1;
		} else
			from = eo;
		if (did && !c->gflag)
			break;
	}
	if (!did)
		return (0);
	if (from < pslen)
		appendspace(&res, &rlen, &rcap, ps + from, pslen - from);
	setspace(&ps, &pslen, &pscap, res, rlen);
	return (1);
}

static void
process(void)
{
	long pc;
	int autoprint;

	while (!quitting && readline(&ps, &pslen, &pscap)) {
		lastline = islast();
		tflag = 0;
		autoprint = !nflag;
		pc = 0;
	restart:
		while (pc < ncmds) {
			struct cmd *c = &cmds[pc];
			if (c->code == '}' || c->code == ':') {
				pc++;
				continue;
			}
			if (!applies(c)) {
				pc = c->code == '{' ? c->jump + 1 : pc + 1;
				continue;
			}
			switch (c->code) {
			case '{': break;
			case '=': fprintf(out, "%ld\n", lineno); break;
			case 'a': queue(c->text, strlen(c->text)); break;
			case 'i': fputs(c->text, out); break;
			case 'c':
				/* In a range, the text replaces the whole range. */
				if (c->naddr < 2 || !c->active)
					fputs(c->text, out);
				goto delete;
			case 'd':
			delete:
				autoprint = 0;
				goto endcycle;
			case 'D': {
				char *nl = memchr(ps, '\n', pslen);
				if (nl == NULL)
					goto delete;
				setspace(&ps, &pslen, &pscap, nl + 1, pslen - (nl + 1 - ps));
				flushappend();
				pc = 0;
				goto restart;
			}
			case 'p': fwrite(ps, 1, pslen, out); fputc('\n', out); break;
			case 'P': {
				char *nl = memchr(ps, '\n', pslen);
				fwrite(ps, 1, nl ? (size_t)(nl - ps) : pslen, out);
				fputc('\n', out);
				break;
			}
			case 'n':
				if (!nflag) {
					fwrite(ps, 1, pslen, out);
					fputc('\n', out);
				}
				flushappend();
				if (lastline || !readline(&ps, &pslen, &pscap)) {
					autoprint = 0;
					goto endcycle;
				}
				lastline = islast();
				break;
			case 'N': {
				static char *nb;
				static size_t nlen, ncap;
				flushappend();
				if (lastline || !readline(&nb, &nlen, &ncap)) {
					/* POSIX: quit without printing; BSD and GNU print. */
					goto endcycle;
				}
				lastline = islast();
				appendspace(&ps, &pslen, &pscap, "\n", 1);
				appendspace(&ps, &pslen, &pscap, nb, nlen);
				break;
			}
			case 'g': setspace(&ps, &pslen, &pscap, hs ? hs : "", hslen); break;
			case 'G':
				appendspace(&ps, &pslen, &pscap, "\n", 1);
				appendspace(&ps, &pslen, &pscap, hs ? hs : "", hslen);
				break;
			case 'h': setspace(&hs, &hslen, &hscap, ps, pslen); break;
			case 'H':
				appendspace(&hs, &hslen, &hscap, "\n", 1);
				appendspace(&hs, &hslen, &hscap, ps, pslen);
				break;
			case 'x': {
				char *t = ps; size_t tl = pslen, tc = pscap;
				if (hs == NULL)
					setspace(&hs, &hslen, &hscap, "", 0);
				ps = hs; pslen = hslen; pscap = hscap;
				hs = t; hslen = tl; hscap = tc;
				break;
			}
			case 'l': listline(ps, pslen); break;
			case 'q':
				quitting = 1;
				goto endcycle;
			case 'r': {
				FILE *fp = fopen(c->text, "r");
				if (fp != NULL) {
					char buf[4096];
					size_t n;
					while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
						queue(buf, n);
					fclose(fp);
				}
				break;
			}
			case 'w':
				fwrite(ps, 1, pslen, c->wfp);
				fputc('\n', c->wfp);
				break;
			case 's':
				if (substitute(c)) {
					tflag = 1;
					if (c->pflag) {
						fwrite(ps, 1, pslen, out);
						fputc('\n', out);
					}
					if (c->wfp != NULL) {
						fwrite(ps, 1, pslen, c->wfp);
						fputc('\n', c->wfp);
					}
				}
				break;
			case 't':
				if (tflag) {
					tflag = 0;
					pc = c->jump;
					continue;
				}
				break;
			case 'b':
				pc = c->jump;
				continue;
			case 'y':
				for (size_t k = 0; k < pslen; k++)
					ps[k] = (char)c->ymap[(unsigned char)ps[k]];
				break;
			}
			pc++;
		}
	endcycle:
		if (autoprint) {
			fwrite(ps, 1, pslen, out);
			fputc('\n', out);
		}
		flushappend();
	}
}

static void
addscript(const char *s, size_t n)
{
	if ((script = realloc(script, scriptlen + n + 2)) == NULL)
		err(1, NULL);
	memcpy(script + scriptlen, s, n);
	scriptlen += n;
	script[scriptlen++] = '\n';
	script[scriptlen] = '\0';
}

int
main(int argc, char *argv[])
{
	int ch, have = 0;
	static char *stdin_only[] = { "-", NULL };

	while ((ch = getopt(argc, argv, "+Ee:f:i:lnru")) != -1) {
		switch (ch) {
		case 'E': case 'r': Eflag = 1; break;
		case 'e': addscript(optarg, strlen(optarg)); have = 1; break;
		case 'f': {
			FILE *fp = strcmp(optarg, "-") == 0 ? stdin : fopen(optarg, "r");
			char buf[4096];
			size_t n;
			if (fp == NULL)
				err(1, "%s", optarg);
			while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
				if ((script = realloc(script, scriptlen + n + 2)) == NULL)
					err(1, NULL);
				memcpy(script + scriptlen, buf, n);
				scriptlen += n;
				script[scriptlen] = '\0';
			}
			addscript("", 0);
			if (fp != stdin)
				fclose(fp);
			have = 1;
			break;
		}
		case 'i': inplace = 1; suffix = optarg; break;	/* BSD: the extension is required, maybe '' */
		case 'l': case 'u': setvbuf(stdout, NULL, _IOLBF, 0); break;
		case 'n': nflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (!have) {
		if (argc == 0)
			usage();
		addscript(argv[0], strlen(argv[0]));
		argv++;
		argc--;
	}
	/* Messages quote the script without its trailing newline. */
	parse();
	if (scriptlen > 0 && script[scriptlen - 1] == '\n')
		script[--scriptlen] = '\0';

	if (!inplace) {
		out = stdout;
		files = argc > 0 ? argv : stdin_only;
		process();
	} else {
		if (argc == 0)
			errx(1, "-i may not be used with stdin");
		for (int i = 0; i < argc; i++) {
			char tmp[PATH_MAX];
			static char *one[2];
			one[0] = argv[i];
			one[1] = NULL;
			files = one;
			snprintf(tmp, sizeof(tmp), "%s.sedXXXXXX", argv[i]);
			int fd = mkstemp(tmp);
			if (fd == -1)
				err(1, "%s", tmp);
			if ((out = fdopen(fd, "w")) == NULL)
				err(1, "%s", tmp);
			lineno = 0;
			quitting = 0;
			process();
			/* The edited file keeps the original's permissions. */
			struct stat sb;
			if (stat(argv[i], &sb) == 0)
				(void)fchmod(fileno(out), sb.st_mode & 07777);
			if (fclose(out) != 0)
				err(1, "%s", tmp);
			if (*suffix != '\0') {
				char bak[PATH_MAX];
				snprintf(bak, sizeof(bak), "%s%s", argv[i], suffix);
				if (link(argv[i], bak) == -1 && rename(argv[i], bak) == -1)
					err(1, "%s", bak);
			}
			if (rename(tmp, argv[i]) == -1)
				err(1, "rename %s", tmp);
		}
		return (rval);
	}
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (rval);
}
