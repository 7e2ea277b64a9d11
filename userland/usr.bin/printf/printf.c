/*
 * printf: formatted output.  The format is reused until the arguments are
 * used up (and runs once even with none).  Numeric arguments may be C
 * constants (0x1f, 017) or 'c for a character's code; a bad one is
 * reported, counts as 0 and makes the exit status 1.  %b prints its
 * argument with backslash escapes expanded, where \c ends all output.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char **gargv;
static int rval;
static int stop;	/* \c seen */

static void
usage(void)
{
	fprintf(stderr, "usage: printf format [arguments ...]\n");
	exit(1);
}

/* Expand one escape at *pp (just past the backslash); returns the byte or -1 for \c. */
static int
escape(const char **pp, int inb)
{
	const char *p = *pp;
	int c = 0, n;

	switch (*p) {
	case '\0': *pp = p; return ('\\');
	case 'a': c = '\a'; break;
	case 'b': c = '\b'; break;
	case 'c': *pp = p + 1; return (-1);
	case 'e': c = 033; break;
	case 'f': c = '\f'; break;
	case 'n': c = '\n'; break;
	case 'r': c = '\r'; break;
	case 't': c = '\t'; break;
	case 'v': c = '\v'; break;
	case '\\': c = '\\'; break;
	case '\'': c = '\''; break;
	case '"': c = '"'; break;
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		/* In %b, \0ooo; in the format, \ooo. */
		if (inb && *p == '0')
			p++;
		for (n = 0, c = 0; n < 3 && *p >= '0' && *p <= '7'; n++, p++)
			c = c * 8 + (*p - '0');
		*pp = p;
		return (c & 0xff);
	default:
		/* Unknown: the backslash stays. */
		putchar('\\');
		c = (unsigned char)*p;
		break;
	}
	*pp = p + 1;
	return (c);
}

static const char *
getstr(void)
{
	return (*gargv != NULL ? *gargv++ : "");
}

static int
numeric(const char *s, intmax_t *ip, uintmax_t *up, long double *dp, int kind)
{
	char *ep;

	if (*s == '\'' || *s == '"') {
		/* 'c: the character's code. */
		unsigned char c = (unsigned char)s[1];
		*ip = c;
		*up = c;
		*dp = c;
		return (0);
	}
	errno = 0;
	if (kind == 'd')
		*ip = strtoimax(s, &ep, 0);
	else if (kind == 'u')
		*up = strtoumax(s, &ep, 0);
	else
		*dp = strtold(s, &ep);
	if (ep == s) {
		warnx("%s: expected numeric value", s);
		rval = 1;
		return (-1);
	}
	if (*ep != '\0') {
		warnx("%s: not completely converted", s);
		rval = 1;
	} else if (errno == ERANGE) {
		warnx("%s: %s", s, strerror(ERANGE));
		rval = 1;
	}
	return (0);
}

static int
getint(void)
{
	intmax_t i = 0;
	uintmax_t u;
	long double d;
	const char *s = getstr();

	if (*s == '\0')
		return (0);
	numeric(s, &i, &u, &d, 'd');
	if (i > INT_MAX || i < INT_MIN) {
		warnx("%s: %s", s, strerror(ERANGE));
		rval = 1;
		return (0);
	}
	return ((int)i);
}

/* Print %b's argument. */
static void
printb(const char *s, const char *fmt)
{
	char *buf = malloc(strlen(s) + 1), *o = buf;

	if (buf == NULL)
		err(1, NULL);
	while (*s != '\0') {
		if (*s == '\\') {
			s++;
			int c = escape(&s, 1);
			if (c == -1) {
				stop = 1;
				break;
			}
			*o++ = (char)c;
		} else
			*o++ = *s++;
	}
	*o = '\0';
	printf(fmt, buf);
	free(buf);
}

/* One pass over the format; returns the number of conversions that took arguments. */
static int
doformat(const char *fmt)
{
	int used = 0;
	char spec[64];

	while (*fmt != '\0' && !stop) {
		if (*fmt == '\\') {
			fmt++;
			int c = escape(&fmt, 0);
			if (c == -1) {
				stop = 1;
				return (used);
			}
			putchar(c);
			continue;
		}
		if (*fmt != '%') {
			putchar(*fmt++);
			continue;
		}
		const char *start = fmt++;
		if (*fmt == '%') {
			putchar('%');
			fmt++;
			continue;
		}
		int havewidth = 0, haveprec = 0, width = 0, prec = 0;
		fmt += strspn(fmt, "-+ #0'");
		if (*fmt == '*') {
			havewidth = 1;
			width = getint();
			used++;
			fmt++;
		} else
			fmt += strspn(fmt, "0123456789");
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				haveprec = 1;
				prec = getint();
				used++;
				fmt++;
			} else
				fmt += strspn(fmt, "0123456789");
		}
		/* Length modifiers mean nothing here. */
		const char *lm = fmt;
		fmt += strspn(fmt, "hljztLq");
		char conv = *fmt;
		if (conv == '\0')
			errx(1, "missing format character");
		fmt++;
		size_t len = lm - start;
		if (len + 4 >= sizeof(spec))
			errx(1, "format too long");
		memcpy(spec, start, len);
		spec[len] = '\0';
		/* Rebuild "%<flags/width/prec>" plus the right length for our types. */
		switch (conv) {
		case 'd': case 'i': case 'o': case 'u': case 'x': case 'X': {
			intmax_t i = 0;
			uintmax_t u = 0;
			long double d;
			const char *a = getstr();
			used++;
			int isd = conv == 'd' || conv == 'i';
			if (*a != '\0')
				numeric(a, &i, &u, &d, isd ? 'd' : 'u');
			strcat(spec, "j");
			size_t sl = strlen(spec);
			spec[sl] = conv;
			spec[sl + 1] = '\0';
			if (havewidth && haveprec)
				isd ? printf(spec, width, prec, i) : printf(spec, width, prec, u);
			else if (havewidth || haveprec)
				isd ? printf(spec, havewidth ? width : prec, i) : printf(spec, havewidth ? width : prec, u);
			else
				isd ? printf(spec, i) : printf(spec, u);
			break;
		}
		case 'a': case 'A': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
			intmax_t i;
			uintmax_t u;
			long double d = 0;
			const char *a = getstr();
			used++;
			if (*a != '\0')
				numeric(a, &i, &u, &d, 'f');
			size_t sl = strlen(spec);
			spec[sl] = 'L';
			spec[sl + 1] = conv;
			spec[sl + 2] = '\0';
			if (havewidth && haveprec)
				printf(spec, width, prec, d);
			else if (havewidth || haveprec)
				printf(spec, havewidth ? width : prec, d);
			else
				printf(spec, d);
			break;
		}
		case 'c': case 's': case 'b': {
			const char *a = getstr();
			used++;
			size_t sl = strlen(spec);
			spec[sl] = conv == 'c' ? 'c' : 's';
			spec[sl + 1] = '\0';
			if (conv == 'b') {
				if (havewidth || haveprec) {
					/* Rare: expand first, then format as %s. */
					char *tmp = NULL;
					size_t tl = 0;
					FILE *m = open_memstream(&tmp, &tl);
					FILE *saved = stdout;
					stdout = m;
					printb(a, "%s");
					fclose(m);
					stdout = saved;
					if (havewidth && haveprec)
						printf(spec, width, prec, tmp);
					else
						printf(spec, havewidth ? width : prec, tmp);
					free(tmp);
				} else
					printb(a, spec);
			} else if (conv == 'c') {
				int c = (unsigned char)a[0];
				if (havewidth)
					printf(spec, width, c);
				else
					printf(spec, c);
			} else if (havewidth && haveprec)
				printf(spec, width, prec, a);
			else if (havewidth || haveprec)
				printf(spec, havewidth ? width : prec, a);
			else
				printf(spec, a);
			break;
		}
		default:
			errx(1, "illegal format character %c", conv);
		}
	}
	return (used);
}

int
main(int argc, char *argv[])
{
	const char *fmt;

	setlocale(LC_ALL, "");
	if (argc > 1 && strcmp(argv[1], "--") == 0) {
		argc--;
		argv++;
	}
	if (argc < 2)
		usage();
	fmt = argv[1];
	gargv = argv + 2;
	/* Once, then again while arguments remain (and the format uses them). */
	do {
		if (doformat(fmt) == 0)
			break;
	} while (*gargv != NULL && !stop);
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (rval);
}
