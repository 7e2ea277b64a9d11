/*
 * expr: evaluate an expression.  Each operator and operand is a separate
 * argument.  Precedence, lowest first: |  &  = > >= < <= !=  + -  * / %  :
 * Integer arithmetic is checked for overflow, as in BSD; ":" matches a
 * basic regular expression anchored at the start and yields \1 or the
 * length of the match.
 *
 * Exit status: 0 if the result is neither null nor zero, 1 if it is,
 * 2 for an invalid expression or an arithmetic error.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct val {
	int	isnum;
	intmax_t n;
	char	*s;
};

static char **av;

static void __attribute__((noreturn))
syntax(void)
{
	errx(2, "syntax error");
}

static struct val *
mkstr(const char *s)
{
	struct val *v = calloc(1, sizeof(*v));
	char *ep;
	const char *p = s;

	if (v == NULL || (v->s = strdup(s)) == NULL)
		err(2, NULL);
	/* A string that is an integer (optional minus, digits) is a number. */
	if (*p == '-')
		p++;
	if (isdigit((unsigned char)*p)) {
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '\0') {
			errno = 0;
			v->n = strtoimax(s, &ep, 10);
			if (errno == ERANGE)
				errx(2, "%s: result too large", s);
			v->isnum = 1;
		}
	}
	return (v);
}

static struct val *
mknum(intmax_t n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%jd", n);
	return (mkstr(buf));
}

static int
isnull(const struct val *v)
{
	return (v->s[0] == '\0' || (v->isnum && v->n == 0));
}

static intmax_t
num(const struct val *v)
{
	if (!v->isnum)
		errx(2, "not a decimal number: '%s'", v->s);
	return (v->n);
}

static const char *
peek(void)
{
	return (*av);
}

static int
accept(const char *op)
{
	if (*av != NULL && strcmp(*av, op) == 0) {
		av++;
		return (1);
	}
	return (0);
}

static struct val *eor(void);

static struct val *
primary(void)
{
	struct val *v;

	if (*av == NULL)
		syntax();
	if (accept("(")) {
		v = eor();
		if (!accept(")"))
			syntax();
		return (v);
	}
	if (strcmp(*av, ")") == 0)
		syntax();
	return (mkstr(*av++));
}

static struct val *
ematch(void)
{
	struct val *l = primary(), *r;
	regex_t re;
	regmatch_t m[2];
	int e;

	while (accept(":")) {
		r = primary();
		/* Anchored at the start, as if the pattern began with ^. */
		char *pat = malloc(strlen(r->s) + 2);
		if (pat == NULL)
			err(2, NULL);
		pat[0] = '^';
		strcpy(pat + 1, r->s);
		if ((e = regcomp(&re, pat, 0)) != 0) {
			char buf[256];
			regerror(e, &re, buf, sizeof(buf));
			errx(2, "%s", buf);
		}
		free(pat);
		if (regexec(&re, l->s, 2, m, 0) == 0) {
			if (re.re_nsub > 0) {
				if (m[1].rm_so >= 0) {
					l->s[m[1].rm_eo] = '\0';
					l = mkstr(l->s + m[1].rm_so);
				} else
					l = mkstr("");
			} else
				l = mknum(m[0].rm_eo);
		} else
			l = re.re_nsub > 0 ? mkstr("") : mknum(0);
		regfree(&re);
	}
	return (l);
}

static struct val *
emul(void)
{
	struct val *l = ematch(), *r;
	const char *op;
	intmax_t a, b;

	while ((op = peek()) != NULL && (!strcmp(op, "*") || !strcmp(op, "/") || !strcmp(op, "%"))) {
		av++;
		r = ematch();
		a = num(l);
		b = num(r);
		if (*op == '*') {
			intmax_t res;
			if (__builtin_mul_overflow(a, b, &res))
				errx(2, "overflow");
			l = mknum(res);
		} else {
			if (b == 0)
				errx(2, "division by zero");
			if (a == INTMAX_MIN && b == -1)
				errx(2, "overflow");
			l = mknum(*op == '/' ? a / b : a % b);
		}
	}
	return (l);
}

static struct val *
eadd(void)
{
	struct val *l = emul(), *r;
	const char *op;
	intmax_t res;

	while ((op = peek()) != NULL && (!strcmp(op, "+") || !strcmp(op, "-"))) {
		av++;
		r = emul();
		if (*op == '+' ? __builtin_add_overflow(num(l), num(r), &res) :
		    __builtin_sub_overflow(num(l), num(r), &res))
			errx(2, "overflow");
		l = mknum(res);
	}
	return (l);
}

static struct val *
ecmp(void)
{
	static const char *const ops[] = { "=", ">", ">=", "<", "<=", "!=", NULL };
	struct val *l = eadd(), *r;
	int i, c;

	for (;;) {
		if (peek() == NULL)
			return (l);
		for (i = 0; ops[i] != NULL && strcmp(ops[i], peek()) != 0; i++)
			;
		if (ops[i] == NULL)
			return (l);
		av++;
		r = eadd();
		if (l->isnum && r->isnum)
			c = l->n < r->n ? -1 : l->n > r->n;
		else
			c = strcoll(l->s, r->s);
		switch (i) {
		case 0: c = c == 0; break;
		case 1: c = c > 0; break;
		case 2: c = c >= 0; break;
		case 3: c = c < 0; break;
		case 4: c = c <= 0; break;
		default: c = c != 0; break;
		}
		l = mknum(c);
	}
}

static struct val *
eand(void)
{
	struct val *l = ecmp(), *r;

	while (accept("&")) {
		r = ecmp();
		if (isnull(l) || isnull(r))
			l = mknum(0);
	}
	return (l);
}

static struct val *
eor(void)
{
	struct val *l = eand(), *r;

	while (accept("|")) {
		r = eand();
		if (isnull(l))
			l = r;
	}
	return (l);
}

int
main(int argc, char *argv[])
{
	struct val *v;

	setlocale(LC_ALL, "");
	av = argv + 1;
	if (argc > 1 && strcmp(argv[1], "--") == 0)
		av++;
	if (*av == NULL) {
		fprintf(stderr, "usage: expr [--] expression\n");
		exit(2);
	}
	v = eor();
	if (*av != NULL)
		syntax();
	printf("%s\n", v->s);
	return (isnull(v));
}
