/*
 * echo and printf as builtins.  echo is BSD's: -n suppresses the newline
 * and backslash sequences are left alone unless -e asks for them.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

/*
 * Output one backslash sequence starting after the backslash; returns the
 * characters consumed, or -1 for \c (stop all output).
 */
static int
escape(const char *p, int inprintf_b, struct strbuf *out)
{
	int c = (unsigned char)*p, n = 1, v;

	switch (c) {
	case 'a': v = '\a'; break;
	case 'b': v = '\b'; break;
	case 'c': return -1;
	case 'e': v = 033; break;
	case 'f': v = '\f'; break;
	case 'n': v = '\n'; break;
	case 'r': v = '\r'; break;
	case 't': v = '\t'; break;
	case 'v': v = '\v'; break;
	case '\\': v = '\\'; break;
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
		/* \0nnn in echo and %b, \nnn in printf formats */
		int max = 3;

		v = 0;
		n = 0;
		if (c == '0' && inprintf_b) {
			n = 1;
			p++;
		}
		while (max-- > 0 && *p >= '0' && *p <= '7') {
			v = v * 8 + (*p++ - '0');
			n++;
		}
		break;
	}
	case '\0':
		sb_addc(out, '\\');
		return 0;
	default:
		sb_addc(out, '\\');
		v = c;
		break;
	}
	sb_addc(out, v);
	return n;
}

int
echocmd(int argc, char **argv)
{
	int nflag = 0, eflag = 0, i = 1;
	struct strbuf out;

	/* BSD: options only as the first arguments, made of n/e/E. */
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o = argv[i] + 1;

		if (strspn(o, "neE") != strlen(o))
			break;
		for (; *o; o++) {
			if (*o == 'n')
				nflag = 1;
			else if (*o == 'e')
				eflag = 1;
			else
				eflag = 0;
		}
	}
	sb_init(&out);
	sb_addc(&out, 0);
	out.len = 0;
	for (; i < argc; i++) {
		const char *p = argv[i];

		for (; *p; p++) {
			if (*p == '\\' && eflag) {
				int k = escape(p + 1, 1, &out);

				if (k < 0) {
					nflag = 1;
					goto done;
				}
				p += k;
				continue;
			}
			sb_addc(&out, *p);
		}
		if (i + 1 < argc)
			sb_addc(&out, ' ');
	}
done:
	if (!nflag)
		sb_addc(&out, '\n');
	fwrite(out.s, 1, out.len, stdout);
	sb_free(&out);
	return 0;
}

/* ---- printf ---- */

static int printf_status;

static long long
intarg(const char *s)
{
	char *end;
	long long v;

	if (*s == '\'' || *s == '"')
		return (unsigned char)s[1];
	errno = 0;
	v = strtoll(s, &end, 0);
	if (*s == '\0' || *end != '\0' || errno) {
		sh_warnx("printf: %s: %s", s, *end ? "not completely converted" : "expected numeric value");
		printf_status = 1;
	}
	return v;
}

static double
floatarg(const char *s)
{
	char *end;
	double v;

	if (*s == '\'' || *s == '"')
		return (unsigned char)s[1];
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0') {
		sh_warnx("printf: %s: expected numeric value", s);
		printf_status = 1;
	}
	return v;
}

int
printfcmd(int argc, char **argv)
{
	const char *fmt;
	char **args;
	int nargs, used;
	struct strbuf out;

	if (argc > 1 && strcmp(argv[1], "--") == 0) {
		argc--;
		argv++;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: printf format [arguments ...]\n");
		return 2;
	}
	fmt = argv[1];
	args = argv + 2;
	nargs = argc - 2;
	printf_status = 0;
	sb_init(&out);
	sb_addc(&out, 0);
	out.len = 0;
	do {
		used = 0;
		for (const char *p = fmt; *p; p++) {
			char spec[64], buf[512];
			size_t sl = 0;
			const char *arg;
			int k;

			if (*p == '\\') {
				k = escape(p + 1, 0, &out);
				if (k < 0)
					goto stop;
				p += k;
				continue;
			}
			if (*p != '%') {
				sb_addc(&out, *p);
				continue;
			}
			if (p[1] == '%') {
				sb_addc(&out, '%');
				p++;
				continue;
			}
			/* %[flags][width][.prec]conv, * taking an argument */
			spec[sl++] = *p++;
			while (*p && strchr("-+ #0", *p) && sl < 40)
				spec[sl++] = *p++;
			for (int part = 0; part < 2; part++) {
				if (part == 1) {
					if (*p != '.')
						break;
					spec[sl++] = *p++;
				}
				if (*p == '*') {
					int w = used < nargs ? (int)intarg(args[used++]) : 0;

					sl += (size_t)snprintf(spec + sl, sizeof(spec) - sl, "%d", w);
					p++;
				} else {
					while (isdigit((unsigned char)*p) && sl < 50)
						spec[sl++] = *p++;
				}
			}
			if (*p == '\0')
				break;
			arg = used < nargs ? args[used++] : NULL;
			switch (*p) {
			case 's':
			case 'b':
				if (*p == 'b' && arg) {
					struct strbuf t;
					int stop = 0;

					sb_init(&t);
					sb_addc(&t, 0);
					t.len = 0;
					for (const char *a = arg; *a; a++) {
						if (*a == '\\') {
							int m = escape(a + 1, 1, &t);

							if (m < 0) {
								stop = 1;
								break;
							}
							a += m;
						} else
							sb_addc(&t, *a);
					}
					spec[sl++] = 's';
					spec[sl] = '\0';
					{
						int len = snprintf(NULL, 0, spec, t.s);
						char *o = stalloc((size_t)len + 1);

						snprintf(o, (size_t)len + 1, spec, t.s);
						sb_addn(&out, o, (size_t)len);
					}
					sb_free(&t);
					if (stop)
						goto stop;
					break;
				}
				spec[sl++] = 's';
				spec[sl] = '\0';
				{
					int len = snprintf(NULL, 0, spec, arg ? arg : "");
					char *o = stalloc((size_t)len + 1);

					snprintf(o, (size_t)len + 1, spec, arg ? arg : "");
					sb_addn(&out, o, (size_t)len);
				}
				break;
			case 'c':
				spec[sl++] = 'c';
				spec[sl] = '\0';
				/* An empty argument prints no character at all. */
				if (arg && arg[0]) {
					snprintf(buf, sizeof(buf), spec, arg[0]);
					sb_adds(&out, buf);
				}
				break;
			case 'd': case 'i':
				spec[sl++] = 'l';
				spec[sl++] = 'l';
				spec[sl++] = 'd';
				spec[sl] = '\0';
				snprintf(buf, sizeof(buf), spec, arg ? intarg(arg) : 0LL);
				sb_adds(&out, buf);
				break;
			case 'o': case 'u': case 'x': case 'X':
				spec[sl++] = 'l';
				spec[sl++] = 'l';
				spec[sl++] = *p;
				spec[sl] = '\0';
				snprintf(buf, sizeof(buf), spec,
				    (unsigned long long)(arg ? intarg(arg) : 0LL));
				sb_adds(&out, buf);
				break;
			case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
				spec[sl++] = *p;
				spec[sl] = '\0';
				snprintf(buf, sizeof(buf), spec, arg ? floatarg(arg) : 0.0);
				sb_adds(&out, buf);
				break;
			default:
				sh_warnx("printf: %%%c: invalid directive", *p);
				sb_free(&out);
				return 1;
			}
		}
		/* The format is reused while arguments remain. */
		args += used;
		nargs -= used;
	} while (used > 0 && nargs > 0);
stop:
	fwrite(out.s, 1, out.len, stdout);
	sb_free(&out);
	return printf_status;
}
