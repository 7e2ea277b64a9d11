/*
 * Word expansion, in POSIX's order: tilde, parameter, command and
 * arithmetic substitution (left to right), then field splitting, pathname
 * expansion and quote removal.
 *
 * Expansion writes characters into a buffer with a flag byte per
 * character saying where it came from: quoted text is never split or
 * globbed, unquoted expansion results may be split, and zero-width marks
 * record that a field exists ("") or must end ("$@").
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shell.h"

#define F_Q	0x01			/* quoted: literal for globs, never split */
#define F_SPLIT	0x02			/* unquoted expansion: IFS splits here */
#define F_MARK	0x04			/* a field exists here, even if empty */
#define F_BREAK	0x08			/* a field ends here ("$@") */

#define C_DQ	0x100			/* inside double quotes */
#define C_HD	0x200			/* here-document body */

struct ebuf {
	char *s;
	unsigned char *f;
	size_t len, cap;
	int flags;			/* EXP_* for the whole word */
	int atempty;			/* "$@" with no parameters was seen */
};

int lastcmdsubst_status;
int have_cmdsubst_status;

struct node *parse_subst_string(const char *, size_t *);

static void expsub(struct ebuf *, const char *, const char *, int ctx);

static void
eb_put(struct ebuf *b, int c, int f)
{
	if (b->len + 1 >= b->cap) {
		b->cap = b->cap ? b->cap * 2 : 128;
		b->s = ckrealloc(b->s, b->cap);
		b->f = ckrealloc(b->f, b->cap);
	}
	b->s[b->len] = (char)c;
	b->f[b->len++] = (unsigned char)f;
}

static void
eb_free(struct ebuf *b)
{
	free(b->s);
	free(b->f);
}

/* A value from an expansion: quoted or subject to splitting. */
static void
emitval(struct ebuf *b, const char *s, int ctx)
{
	int f = (ctx & (C_DQ | C_HD)) ? F_Q : F_SPLIT;

	for (; *s; s++)
		eb_put(b, (unsigned char)*s, f);
}

/* ---- finding the ends of constructs in a word's source text ---- */

static const char *skip_dollar(const char *p);

static const char *
skip_squote(const char *p)		/* p after the opening quote */
{
	while (*p && *p != '\'')
		p++;
	return *p ? p + 1 : p;
}

static const char *
skip_backquote(const char *p)
{
	while (*p && *p != '`') {
		if (*p == '\\' && p[1])
			p++;
		p++;
	}
	return *p ? p + 1 : p;
}

static const char *
skip_dquote(const char *p)
{
	while (*p && *p != '"') {
		if (*p == '\\' && p[1])
			p += 2;
		else if (*p == '$')
			p = skip_dollar(p);
		else if (*p == '`')
			p = skip_backquote(p + 1);
		else
			p++;
	}
	return *p ? p + 1 : p;
}

static const char *
skip_brace(const char *p)		/* p after "${" */
{
	while (*p && *p != '}') {
		if (*p == '\\' && p[1])
			p += 2;
		else if (*p == '\'')
			p = skip_squote(p + 1);
		else if (*p == '"')
			p = skip_dquote(p + 1);
		else if (*p == '$')
			p = skip_dollar(p);
		else if (*p == '`')
			p = skip_backquote(p + 1);
		else
			p++;
	}
	return *p ? p + 1 : p;
}

static const char *
skip_arith(const char *p)		/* p after "$((" */
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')') {
			if (depth == 0)
				return p[1] == ')' ? p + 2 : p + 1;
			depth--;
		}
	}
	return p;
}

static const char *
skip_cmdsubst(const char *p)		/* p after "$(" */
{
	size_t n;
	struct stackmark m;

	setstackmark(&m);
	parse_subst_string(p, &n);
	popstackmark(&m);
	return p + n;
}

static const char *
skip_dollar(const char *p)		/* p at '$' */
{
	if (p[1] == '{')
		return skip_brace(p + 2);
	if (p[1] == '(' && p[2] == '(')
		return skip_arith(p + 3);
	if (p[1] == '(')
		return skip_cmdsubst(p + 2);
	return p + 1;
}

/* ---- command substitution ---- */

static void
cmdsubst(struct ebuf *b, struct node *n, int ctx)
{
	struct strbuf out;
	struct job *jp;
	int pip[2];
	char buf[4096];
	ssize_t r;

	sb_init(&out);
	out_flush();
	if (pipe(pip) < 0)
		sh_error("pipe: %s", strerror(errno));
	jp = makejob(1);
	if (forkshell(jp, n, FORK_NOJOB) == 0) {
		close(pip[0]);
		if (pip[1] != 1) {
			dup2(pip[1], 1);
			close(pip[1]);
		}
		evaltree(n, EV_EXIT);
		exitshell(exitstatus);
	}
	close(pip[1]);
	for (;;) {
		r = read(pip[0], buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		sb_addn(&out, buf, (size_t)r);
	}
	close(pip[0]);
	lastcmdsubst_status = waitforjob(jp);
	have_cmdsubst_status = 1;
	while (out.len > 0 && out.s[out.len - 1] == '\n')
		out.len--;
	for (size_t i = 0; i < out.len; i++)
		eb_put(b, (unsigned char)out.s[i],
		    (ctx & (C_DQ | C_HD)) ? F_Q : F_SPLIT);
	sb_free(&out);
}

/* `...`: undo the backslash escapes, then parse as a command. */
static void
backquote(struct ebuf *b, const char *p, const char *end, int ctx)
{
	struct strbuf s;
	struct node *n;

	sb_init(&s);
	sb_addc(&s, 0);
	s.len = 0;
	for (; p < end; p++) {
		if (*p == '\\' && p + 1 < end &&
		    (p[1] == '$' || p[1] == '`' || p[1] == '\\' ||
		    (p[1] == '"' && (ctx & C_DQ))))
			p++;
		sb_addc(&s, *p);
	}
	n = parsestring_all(s.s);
	sb_free(&s);
	cmdsubst(b, n, ctx);
}

/* ---- parameters ---- */

static int
paramvalue(const char *name, size_t n, char **val, char *buf, size_t bufsz)
{
	int c = name[0];

	*val = NULL;
	if (n == 1 && strchr("@*#?-$!", c)) {
		switch (c) {
		case '#':
			snprintf(buf, bufsz, "%d", shellparam.nparam);
			break;
		case '?':
			snprintf(buf, bufsz, "%d", exitstatus);
			break;
		case '$':
			snprintf(buf, bufsz, "%ld", (long)rootpid);
			break;
		case '!':
			if (backgndpid == 0)
				return 0;
			snprintf(buf, bufsz, "%ld", (long)backgndpid);
			break;
		case '-':
			*val = optstring();
			return 1;
		default:		/* @ and * are joined by the caller */
			return shellparam.nparam > 0;
		}
		*val = buf;
		return 1;
	}
	if (isdigit(c)) {
		int i = 0;

		for (size_t k = 0; k < n; k++)
			i = i * 10 + (name[k] - '0');
		if (i == 0) {
			*val = (char *)arg0;
			return 1;
		}
		if (i > shellparam.nparam)
			return 0;
		*val = shellparam.p[i - 1];
		return 1;
	}
	if (n == 6 && strncmp(name, "LINENO", 6) == 0 && lookupvar("LINENO") == NULL) {
		snprintf(buf, bufsz, "%d", curlineno);
		*val = buf;
		return 1;
	}
	*val = lookupvar(ststrndup(name, n));
	return *val != NULL;
}

static char *
joinparams(int sepc)
{
	struct strbuf sb;
	char *r;

	sb_init(&sb);
	sb_addc(&sb, 0);
	sb.len = 0;
	for (int i = 0; i < shellparam.nparam; i++) {
		if (i > 0 && sepc)
			sb_addc(&sb, sepc);
		sb_adds(&sb, shellparam.p[i]);
	}
	r = ststrdup(sb.s);
	sb_free(&sb);
	return r;
}

static int
ifsfirst(void)
{
	const char *ifs = lookupvar("IFS");

	return ifs == NULL ? ' ' : (unsigned char)ifs[0];
}

/* $@ and $* (unquoted, or "$@" and "$*"). */
static void
emitall(struct ebuf *b, int c, int ctx)
{
	if (c == '*' && (ctx & (C_DQ | C_HD))) {
		emitval(b, joinparams(ifsfirst()), ctx);
		return;
	}
	if (!(b->flags & EXP_SPLIT)) {
		emitval(b, joinparams(' '), ctx);
		return;
	}
	if (shellparam.nparam == 0 && (ctx & C_DQ))
		b->atempty = 1;
	for (int i = 0; i < shellparam.nparam; i++) {
		if (i > 0)
			eb_put(b, 0, F_BREAK);
		if (ctx & C_DQ)
			eb_put(b, 0, F_MARK);
		emitval(b, shellparam.p[i], ctx);
	}
}

static size_t
namelen(const char *p, const char *end)
{
	const char *q = p;

	if (q >= end)
		return 0;
	if (strchr("@*#?-$!", *q))
		return 1;
	if (isdigit((unsigned char)*q)) {
		while (q < end && isdigit((unsigned char)*q))
			q++;
		return (size_t)(q - p);
	}
	while (q < end && (isalnum((unsigned char)*q) || *q == '_'))
		q++;
	return (size_t)(q - p);
}

static void __attribute__((noreturn))
unsetparam(const char *name, size_t n)
{
	sh_error("%.*s: parameter not set", (int)n, name);
}

/* Expand a sub-word (the word of ${x-word}) to a plain string. */
static char *
subword(const char *p, const char *end, int flags, int ctx)
{
	struct ebuf w;
	char *r;

	memset(&w, 0, sizeof(w));
	w.flags = flags;
	expsub(&w, p, end, ctx);
	r = stalloc(w.len * 2 + 1);
	{
		size_t k = 0;

		for (size_t i = 0; i < w.len; i++) {
			if (w.f[i] & (F_MARK | F_BREAK))
				continue;
			if ((flags & EXP_PATTERN) && (w.f[i] & F_Q) &&
			    strchr("*?[]\\", w.s[i]))
				r[k++] = '\\';
			r[k++] = w.s[i];
		}
		r[k] = '\0';
	}
	eb_free(&w);
	return r;
}

static char *
trim(const char *val, const char *pat, int op, int longest)
{
	size_t len = strlen(val);
	char *s = ststrdup(val);

	if (op == '#') {
		for (size_t k = 0; k <= len; k++) {
			size_t i = longest ? len - k : k;
			char save = s[i];
			int m;

			s[i] = '\0';
			m = fnmatch(pat, s, 0) == 0;
			s[i] = save;
			if (m)
				return s + i;
		}
	} else {
		for (size_t k = 0; k <= len; k++) {
			size_t i = longest ? k : len - k;

			if (fnmatch(pat, s + i, 0) == 0) {
				s[i] = '\0';
				return s;
			}
		}
	}
	return s;
}

/* ${...}: p after "${", end at the closing brace. */
static void
braceparam(struct ebuf *b, const char *p, const char *end, int ctx)
{
	char buf[32], *val;
	size_t n;
	int set, op = 0, colon = 0;
	const char *name, *word;

	if (*p == '#' && p + 1 < end) {
		/* ${#name} */
		name = p + 1;
		n = namelen(name, end);
		if (n == 0 || name + n != end)
			sh_error("${%.*s}: Bad substitution", (int)(end - p), p);
		if (*name == '@' || *name == '*')
			snprintf(buf, sizeof(buf), "%d", shellparam.nparam);
		else {
			set = paramvalue(name, n, &val, buf, sizeof(buf));
			if (!set && Uflag)
				unsetparam(name, n);
			snprintf(buf, sizeof(buf), "%zu", set ? strlen(val) : 0);
		}
		emitval(b, buf, ctx);
		return;
	}
	name = p;
	n = namelen(p, end);
	if (n == 0)
		sh_error("${%.*s}: Bad substitution", (int)(end - p), p);
	word = p + n;
	if (word < end) {
		if (*word == ':') {
			colon = 1;
			word++;
		}
		op = *word++;
		if (!strchr("-=?+%#", op) || (colon && (op == '%' || op == '#')))
			sh_error("${%.*s}: Bad substitution", (int)(end - p), p);
		if ((op == '%' || op == '#') && word < end && *word == op) {
			word++;
			op = op == '%' ? 'P' : 'H';	/* %% and ## */
		}
	}
	set = paramvalue(name, n, &val, buf, sizeof(buf));
	if ((*name == '@' || *name == '*') && n == 1) {
		if (set && colon && (ctx & C_DQ) == 0 && shellparam.nparam == 1 &&
		    shellparam.p[0][0] == '\0')
			set = 0;
		val = set ? joinparams(*name == '*' ? ifsfirst() : ' ') : NULL;
	}
	if (set && colon && val[0] == '\0' && strchr("-=?+", op))
		set = 0;
	switch (op) {
	case 0:
		if (!set && Uflag && *name != '@' && *name != '*')
			unsetparam(name, n);
		if ((*name == '@' || *name == '*') && n == 1)
			emitall(b, *name, ctx);
		else if (set)
			emitval(b, val, ctx);
		return;
	case '-':
		if (set)
			break;
		expsub(b, word, end, ctx);
		return;
	case '+':
		if (set)
			expsub(b, word, end, ctx);
		return;
	case '=':
		if (set)
			break;
		if (!isname(name, n))
			sh_error("%.*s: cannot assign in this way", (int)n, name);
		val = subword(word, end, EXP_TILDE, ctx);
		setvar(ststrndup(name, n), val, 0);
		break;
	case '?':
		if (set)
			break;
		if (word < end)
			sh_error("%.*s: %s", (int)n, name, subword(word, end, EXP_TILDE, ctx));
		sh_error("%.*s: parameter %snot set", (int)n, name, colon ? "null or " : "");
	default: {
		char *pat;

		if (!set && Uflag)
			unsetparam(name, n);
		if (!set)
			return;
		pat = subword(word, end, EXP_PATTERN, ctx & ~(C_DQ | C_HD));
		val = trim(val, pat, op == '%' || op == 'P' ? '%' : '#',
		    op == 'P' || op == 'H');
		break;
	}
	}
	if (set || op == '=')
		emitval(b, val, ctx);
}

/* $... at p; returns the position after the expansion. */
static const char *
dollar(struct ebuf *b, const char *p, int ctx)
{
	const char *q = p + 1, *e;
	char buf[32], *val;
	size_t n;

	if (*q == '{') {
		e = skip_brace(q + 1);
		braceparam(b, q + 1, e - 1, ctx);
		return e;
	}
	if (*q == '(' && q[1] == '(') {
		char *expr;

		e = skip_arith(q + 2);
		expr = subword(q + 2, e - 2, 0, C_DQ);
		snprintf(buf, sizeof(buf), "%ld", arith(expr));
		emitval(b, buf, ctx);
		return e;
	}
	if (*q == '(') {
		size_t used;
		struct node *cmd = parse_subst_string(q + 1, &used);

		cmdsubst(b, cmd, ctx);
		return q + 1 + used;
	}
	n = *q && (strchr("@*#?-$!", *q) || isdigit((unsigned char)*q)) ? 1 :
	    namelen(q, q + strlen(q));
	if (n == 0) {
		eb_put(b, '$', (ctx & (C_DQ | C_HD)) ? F_Q : 0);
		return q;
	}
	if ((*q == '@' || *q == '*') && n == 1) {
		emitall(b, *q, ctx);
		return q + 1;
	}
	if (paramvalue(q, n, &val, buf, sizeof(buf)))
		emitval(b, val, ctx);
	else if (Uflag)
		unsetparam(q, n);
	return q + n;
}

/* ~ or ~user at p; returns p if there is no tilde prefix to expand. */
static const char *
tilde(struct ebuf *b, const char *p, const char *end)
{
	const char *q = p + 1;
	char *name, *home;

	while (q < end && *q != '/' && !((b->flags & EXP_ASSIGN) && *q == ':')) {
		if (strchr("\\'\"$`", *q))
			return p;
		q++;
	}
	name = ststrndup(p + 1, (size_t)(q - p - 1));
	if (*name == '\0') {
		home = lookupvar("HOME");
	} else {
		struct passwd *pw = getpwnam(name);

		home = pw ? pw->pw_dir : NULL;
	}
	if (home == NULL)
		return p;
	for (; *home; home++)
		eb_put(b, (unsigned char)*home, F_Q);
	return q;
}

static void
expsub(struct ebuf *b, const char *p, const char *end, int ctx)
{
	int qf = (ctx & (C_DQ | C_HD)) ? F_Q : 0;
	const char *start = p;

	while (p < end) {
		int c = (unsigned char)*p;

		if (c == '~' && (b->flags & EXP_TILDE) && !(ctx & (C_DQ | C_HD)) &&
		    (p == start || ((b->flags & EXP_ASSIGN) && (p[-1] == ':' || p[-1] == '=')))) {
			const char *q = tilde(b, p, end);

			if (q != p) {
				p = q;
				continue;
			}
		}
		switch (c) {
		case '\'':
			if (ctx & (C_DQ | C_HD))
				break;
			{
				const char *e = skip_squote(p + 1);

				eb_put(b, 0, F_MARK);
				for (p++; p < e - 1; p++)
					eb_put(b, (unsigned char)*p, F_Q);
				p = e;
			}
			continue;
		case '"':
			if (ctx & C_HD)
				break;
			if (ctx & C_DQ) {	/* nested in ${x-"..."} */
				p++;
				continue;
			}
			{
				const char *e = skip_dquote(p + 1);
				size_t before = b->len;
				int saveat = b->atempty;

				b->atempty = 0;
				expsub(b, p + 1, e - 1, ctx | C_DQ);
				if (b->len == before && !b->atempty)
					eb_put(b, 0, F_MARK);
				b->atempty = saveat;
				p = e;
			}
			continue;
		case '\\':
			if (p + 1 >= end) {
				eb_put(b, '\\', F_Q);
				p++;
				continue;
			}
			if (ctx & (C_DQ | C_HD)) {
				int d = (unsigned char)p[1];

				if (d == '\n') {
					p += 2;
					continue;
				}
				if (d == '$' || d == '`' || d == '\\' ||
				    (d == '"' && !(ctx & C_HD))) {
					eb_put(b, d, F_Q);
					p += 2;
					continue;
				}
				eb_put(b, '\\', F_Q);
				p++;
				continue;
			}
			eb_put(b, (unsigned char)p[1], F_Q);
			p += 2;
			continue;
		case '$':
			p = dollar(b, p, ctx);
			continue;
		case '`': {
			const char *e = skip_backquote(p + 1);

			backquote(b, p + 1, e - 1, ctx);
			p = e;
			continue;
		}
		}
		eb_put(b, c, qf);
		p++;
	}
}

/* ---- field splitting and pathname expansion ---- */

static void
addarg(struct arglist *al, char *s)
{
	if (al->n + 1 >= al->cap) {
		int cap = al->cap ? al->cap * 2 : 16;
		char **v = stalloc(sizeof(char *) * (size_t)cap);

		if (al->n)
			memcpy(v, al->v, sizeof(char *) * (size_t)al->n);
		al->v = v;
		al->cap = cap;
	}
	al->v[al->n++] = s;
	al->v[al->n] = NULL;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One field: glob it if it has unquoted pattern characters. */
static void
finishfield(struct arglist *al, const char *s, const unsigned char *f, size_t n, int flags)
{
	int magic = 0;
	char *text = ststrndup(s, n);

	if ((flags & EXP_GLOB) && !Fflag)
		for (size_t i = 0; i < n && !magic; i++) {
			if (f[i] & F_Q)
				continue;
			if (s[i] == '*' || s[i] == '?')
				magic = 1;
			else if (s[i] == '[') {
				/* Only a bracket expression that closes: `[` alone is a command. */
				for (size_t k = i + 2; k < n; k++)
					if (s[k] == ']' && !(f[k] & F_Q)) {
						magic = 1;
						break;
					}
			}
		}
	if (magic) {
		char *pat = stalloc(n * 2 + 1);
		size_t k = 0;
		glob_t g;

		for (size_t i = 0; i < n; i++) {
			if (((f[i] & F_Q) && strchr("*?[]\\", s[i])) || s[i] == '\\')
				pat[k++] = '\\';
			pat[k++] = s[i];
		}
		pat[k] = '\0';
		if (glob(pat, GLOB_NOSORT, NULL, &g) == 0) {
			int first = al->n;

			for (size_t i = 0; i < g.gl_pathc; i++)
				addarg(al, ststrdup(g.gl_pathv[i]));
			qsort(al->v + first, (size_t)(al->n - first), sizeof(char *), cmpstr);
			globfree(&g);
			return;
		}
	}
	addarg(al, text);
}

static void
splitfields(struct ebuf *b, struct arglist *al, int flags)
{
	const char *ifs = lookupvar("IFS");
	char *fs = stalloc(b->len + 1);
	unsigned char *ff = stalloc(b->len + 1);
	size_t n = 0;
	int have = 0, afterws = 0;

	if (ifs == NULL)
		ifs = " \t\n";
	for (size_t i = 0; i < b->len; i++) {
		int c = (unsigned char)b->s[i], f = b->f[i];

		if (f & F_BREAK) {
			if (have)
				finishfield(al, fs, ff, n, flags);
			n = 0;
			have = afterws = 0;
			continue;
		}
		if (f & F_MARK) {
			have = 1;
			continue;
		}
		if ((f & F_SPLIT) && (flags & EXP_SPLIT) && c && strchr(ifs, c)) {
			if (c == ' ' || c == '\t' || c == '\n') {
				if (have) {
					finishfield(al, fs, ff, n, flags);
					afterws = 1;
				}
			} else {
				if (have || !afterws)
					finishfield(al, fs, ff, n, flags);
				afterws = 0;
			}
			n = 0;
			have = 0;
			continue;
		}
		fs[n] = (char)c;
		ff[n++] = (unsigned char)f;
		have = 1;
		afterws = 0;
	}
	if (have)
		finishfield(al, fs, ff, n, flags);
}

void
expandarg(const char *word, struct arglist *al, int flags)
{
	struct ebuf b;

	memset(&b, 0, sizeof(b));
	b.flags = flags;
	expsub(&b, word, word + strlen(word), 0);
	splitfields(&b, al, flags);
	eb_free(&b);
}

/* One string, no splitting or globbing (assignments, redirections, case). */
char *
expandword(const char *word, int flags)
{
	return subword(word, word + strlen(word), flags & ~(EXP_SPLIT | EXP_GLOB), 0);
}

char *
expandheredoc(const char *body)
{
	return subword(body, body + strlen(body), 0, C_HD);
}

int
patmatch(const char *pat, const char *s)
{
	return fnmatch(pat, s, 0) == 0;
}
