/*
 * seq: print sequences of numbers.  BSD's: "seq [-w] [-f format]
 * [-s string] [-t string] [first [incr]] last"; numbers are doubles, the
 * default format %g; the increment defaults to -1 when first > last.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: seq [-w] [-f format] [-s string] [-t string] [first [incr]] last\n");
	exit(1);
}

static double
number(const char *s)
{
	char *ep;
	double d;

	errno = 0;
	d = strtod(s, &ep);
	if (ep == s || *ep != '\0' || errno == ERANGE || isnan(d))
		errx(1, "invalid %s: %s", "argument", s);
	return (d);
}

/* Turn C escapes in -s/-t strings into their characters. */
static char *
unescape(const char *s)
{
	char *r = malloc(strlen(s) + 1), *p = r;

	if (r == NULL)
		err(1, NULL);
	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			*p++ = *s;
			continue;
		}
		switch (*++s) {
		case 'n': *p++ = '\n'; break;
		case 't': *p++ = '\t'; break;
		case '\\': *p++ = '\\'; break;
		case 'a': *p++ = '\a'; break;
		case 'b': *p++ = '\b'; break;
		case 'f': *p++ = '\f'; break;
		case 'r': *p++ = '\r'; break;
		case 'v': *p++ = '\v'; break;
		case '0': *p++ = '\0'; break;
		default: *p++ = '\\'; *p++ = *s; break;
		}
	}
	*p = '\0';
	return (r);
}

/* The format must hold exactly one floating conversion. */
static int
valid_format(const char *f)
{
	int convs = 0;

	for (; *f != '\0'; f++) {
		if (*f != '%')
			continue;
		if (*++f == '%')
			continue;
		f += strspn(f, "#-+ 0'");
		f += strspn(f, "0123456789");
		if (*f == '.') {
			f++;
			f += strspn(f, "0123456789");
		}
		if (*f == 'l' || *f == 'L')
			f++;
		if (*f == '\0' || strchr("eEfgGaA", *f) == NULL)
			return (0);
		convs++;
	}
	return (convs == 1);
}

static int
decimals(const char *s)
{
	const char *dot = strchr(s, '.');
	int n = 0;

	if (dot == NULL)
		return (0);
	for (dot++; isdigit((unsigned char)*dot); dot++)
		n++;
	return (n);
}

int
main(int argc, char *argv[])
{
	const char *fmt = NULL, *sep = "\n", *term = NULL;
	double first = 1, incr = 1, last;
	int ch, wflag = 0;
	char fmtbuf[64];

	/* Negative numbers are operands, not options. */
	while (optind < argc && !(argv[optind][0] == '-' &&
	    (isdigit((unsigned char)argv[optind][1]) || argv[optind][1] == '.')) &&
	    (ch = getopt(argc, argv, "+f:s:t:w")) != -1) {
		switch (ch) {
		case 'f': fmt = unescape(optarg); break;
		case 's': sep = unescape(optarg); break;
		case 't': term = unescape(optarg); break;
		case 'w': wflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 3)
		usage();
	last = number(argv[argc - 1]);
	if (argc > 1)
		first = number(argv[0]);
	if (argc > 2) {
		incr = number(argv[1]);
		if (incr == 0)
			errx(1, "zero %screment", first < last ? "in" : "de");
		if ((incr > 0 && first > last) || (incr < 0 && first < last))
			errx(1, "needs %s increment", incr > 0 ? "negative" : "positive");
	} else if (first > last)
		incr = -1;

	if (fmt != NULL) {
		if (!valid_format(fmt))
			errx(1, "invalid format string: `%s'", fmt);
	} else if (wflag) {
		/* Equal width: pad with zeros to the widest end point. */
		int prec = decimals(argc > 1 ? argv[0] : "1");
		if (argc > 2 && decimals(argv[1]) > prec)
			prec = decimals(argv[1]);
		char a[64], b[64];
		int wa = snprintf(a, sizeof(a), "%.*f", prec, first);
		int wb = snprintf(b, sizeof(b), "%.*f", prec, last);
		snprintf(fmtbuf, sizeof(fmtbuf), "%%0%d.%df", wa > wb ? wa : wb, prec);
		fmt = fmtbuf;
	} else {
		int prec = decimals(argc > 1 ? argv[0] : "1");
		if (argc > 2 && decimals(argv[1]) > prec)
			prec = decimals(argv[1]);
		if (decimals(argv[argc - 1]) > prec)
			prec = decimals(argv[argc - 1]);
		/* %g with enough digits for the decimals given, but never an exponent for integers. */
		if (prec == 0 && fabs(first) < 1e15 && fabs(last) < 1e15)
			snprintf(fmtbuf, sizeof(fmtbuf), "%%.0f");
		else
			snprintf(fmtbuf, sizeof(fmtbuf), "%%g");
		fmt = fmtbuf;
	}

	/* Count steps rather than add up, so rounding does not drift. */
	long i = 0;
	double cur = first;
	int printed = 0;
	for (;;) {
		cur = first + incr * i;
		if (incr > 0 ? cur > last + fabs(incr) * 1e-9 : cur < last - fabs(incr) * 1e-9)
			break;
		if (printed)
			fputs(sep, stdout);
		printf(fmt, cur);
		printed = 1;
		i++;
	}
	/* The terminator replaces the final newline. */
	if (term != NULL)
		fputs(term, stdout);
	else if (printed)
		fputs("\n", stdout);
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (0);
}
