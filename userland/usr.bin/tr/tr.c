/*
 * tr: translate characters.  Byte-oriented: each string expands to a
 * list of bytes (escapes \n \\ \ooo, ranges a-z, classes [:alpha:],
 * equivalence [=c=] and repeats [c*n] / [c*]); string1's i-th byte maps to
 * string2's i-th, the last byte of string2 repeating when it is shorter.
 */
#include <ctype.h>
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct set {
	int	c[4096];
	int	n;
	int	fill;		/* index of a [c*] to stretch, or -1 */
};

static void
usage(void)
{
	fprintf(stderr, "%s\n%s\n%s\n%s\n",
	    "usage: tr [-Ccsu] string1 string2",
	    "       tr [-Ccu] -d string1",
	    "       tr [-Ccu] -s string1",
	    "       tr [-Ccu] -ds string1 string2");
	exit(1);
}

static void
add(struct set *s, int c)
{
	if (s->n == (int)(sizeof(s->c) / sizeof(s->c[0])))
		errx(1, "string too long");
	s->c[s->n++] = c;
}

/* One character of a string, with backslash escapes. */
static int
next_char(const char **pp)
{
	const char *p = *pp;
	int c;

	if (*p != '\\' || p[1] == '\0') {
		*pp = p + 1;
		return ((unsigned char)*p);
	}
	p++;
	if (*p >= '0' && *p <= '7') {
		c = 0;
		for (int i = 0; i < 3 && *p >= '0' && *p <= '7'; i++)
			c = c * 8 + (*p++ - '0');
		*pp = p;
		return (c & 0xff);
	}
	switch (*p) {
	case 'a': c = '\a'; break;
	case 'b': c = '\b'; break;
	case 'f': c = '\f'; break;
	case 'n': c = '\n'; break;
	case 'r': c = '\r'; break;
	case 't': c = '\t'; break;
	case 'v': c = '\v'; break;
	default: c = (unsigned char)*p; break;
	}
	*pp = p + 1;
	return (c);
}

static int
classmatch(const char *name, int c)
{
	static const struct { const char *name; int (*fn)(int); } classes[] = {
		{ "alnum", isalnum }, { "alpha", isalpha }, { "blank", isblank },
		{ "cntrl", iscntrl }, { "digit", isdigit }, { "graph", isgraph },
		{ "lower", islower }, { "print", isprint }, { "punct", ispunct },
		{ "space", isspace }, { "upper", isupper }, { "xdigit", isxdigit },
	};
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strcmp(classes[i].name, name) == 0)
			return (classes[i].fn(c) != 0);
	errx(1, "unknown class %s", name);
}

static void
expand(const char *p, struct set *s, int is2)
{
	s->n = 0;
	s->fill = -1;
	while (*p != '\0') {
		if (p[0] == '[' && p[1] == ':') {
			const char *e = strstr(p + 2, ":]");
			if (e != NULL) {
				char name[16];
				size_t len = e - (p + 2);
				if (len >= sizeof(name))
					errx(1, "unknown class %.*s", (int)len, p + 2);
				memcpy(name, p + 2, len);
				name[len] = '\0';
				if (is2 && strcmp(name, "upper") != 0 && strcmp(name, "lower") != 0)
					errx(1, "misplaced sequence asterisk");
				for (int c = 0; c < 256; c++)
					if (classmatch(name, c))
						add(s, c);
				p = e + 2;
				continue;
			}
		}
		if (p[0] == '[' && p[1] == '=') {
			const char *q = p + 2;
			int c = next_char(&q);
			if (q[0] == '=' && q[1] == ']') {
				add(s, c);
				p = q + 2;
				continue;
			}
		}
		if (p[0] == '[' && p[1] != '\0') {
			/* [c*n] or [c*] */
			const char *q = p + 1;
			int c = next_char(&q);
			if (*q == '*') {
				char *ep;
				const char *num = q + 1;
				long n = strtol(num, &ep, *num == '0' ? 8 : 10);
				if (*ep == ']') {
					if (ep == num || n == 0) {
						if (s->fill != -1 || !is2)
							errx(1, "misplaced sequence asterisk");
						s->fill = s->n;
						add(s, c);
					} else
						for (long i = 0; i < n; i++)
							add(s, c);
					p = ep + 1;
					continue;
				}
			}
		}
		int c = next_char(&p);
		if (*p == '-' && p[1] != '\0') {
			const char *q = p + 1;
			int hi = next_char(&q);
			if (hi < c)
				errx(1, "range-endpoints of %c-%c are in reverse collating sequence order", c, hi);
			for (int x = c; x <= hi; x++)
				add(s, x);
			p = q;
			continue;
		}
		add(s, c);
	}
}

int
main(int argc, char *argv[])
{
	static struct set s1, s2;
	int ch, Cflag = 0, dflag = 0, sflag = 0;
	int in1[256] = { 0 }, squeeze[256] = { 0 }, map[256];
	int c, last = -1;

	while ((ch = getopt(argc, argv, "+Ccdsu")) != -1) {
		switch (ch) {
		case 'C': case 'c': Cflag = 1; break;
		case 'd': dflag = 1; break;
		case 's': sflag = 1; break;
		case 'u': setvbuf(stdout, NULL, _IONBF, 0); break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2)
		usage();
	if (dflag && ((sflag && argc != 2) || (!sflag && argc != 1)))
		usage();
	if (!dflag && !sflag && argc != 2)
		usage();

	expand(argv[0], &s1, 0);
	if (Cflag) {
		/* The complement, in byte order. */
		int mark[256] = { 0 };
		for (int i = 0; i < s1.n; i++)
			mark[s1.c[i]] = 1;
		s1.n = 0;
		for (c = 0; c < 256; c++)
			if (!mark[c])
				s1.c[s1.n++] = c;
	}
	for (int i = 0; i < s1.n; i++)
		in1[s1.c[i]] = 1;
	for (c = 0; c < 256; c++)
		map[c] = c;

	if (argc == 2) {
		expand(argv[1], &s2, !dflag);
		if (!dflag && s2.n == 0)
			errx(1, "empty string2");
		if (s2.fill != -1 && s2.n < s1.n) {
			/* Stretch [c*] so string2 is as long as string1. */
			int extra = s1.n - s2.n, at = s2.fill;
			memmove(&s2.c[at + extra + 1], &s2.c[at + 1], (s2.n - at - 1) * sizeof(int));
			for (int i = 1; i <= extra; i++)
				s2.c[at + i] = s2.c[at];
			s2.n += extra;
		}
		if (!dflag)
			for (int i = 0; i < s1.n; i++)
				map[s1.c[i]] = s2.c[i < s2.n ? i : s2.n - 1];
		if (sflag)
			for (int i = 0; i < s2.n; i++)
				squeeze[s2.c[i]] = 1;
	} else if (sflag) {
		for (int i = 0; i < s1.n; i++)
			squeeze[s1.c[i]] = 1;
	}

	while ((c = getchar()) != EOF) {
		if (dflag && in1[c])
			continue;
		if (!dflag)
			c = map[c];
		if (sflag && c == last && squeeze[c])
			continue;
		last = c;
		if (putchar(c) == EOF)
			err(1, "stdout");
	}
	if (ferror(stdin))
		err(1, "stdin");
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (0);
}
