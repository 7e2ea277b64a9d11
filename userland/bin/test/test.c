/*
 * test, [: condition evaluation utility.
 *
 * POSIX fixes the meaning of one to four arguments by their count (so that
 * "test ! = x" or "test -n" do what a shell script expects); longer
 * expressions go to a recursive-descent parser over the grammar
 *
 *	oexpr	::= aexpr | aexpr "-o" oexpr
 *	aexpr	::= nexpr | nexpr "-a" aexpr
 *	nexpr	::= primary | "!" nexpr
 *	primary	::= "(" oexpr ")" | unary-op operand | operand binary-op operand
 *		  | operand
 *
 * Exit status: 0 true, 1 false, 2 error (with a message).
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char **args;
static int nargs, pos;

static void __attribute__((noreturn, format(printf, 1, 2)))
syntax(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verrx(2, fmt, ap);
}

static intmax_t
getn(const char *s)
{
	char *ep;
	intmax_t r;

	errno = 0;
	r = strtoimax(s, &ep, 10);
	if (errno == ERANGE)
		syntax("%s: out of range", s);
	while (isspace((unsigned char)*ep))
		ep++;
	if (ep == s || *ep != '\0' || *s == '\0')
		syntax("%s: bad number", s);
	return (r);
}

static int
isunary(const char *s)
{
	return (s[0] == '-' && s[1] != '\0' && s[2] == '\0' &&
	    strchr("bcdefghknprsStuwxzLOG", s[1]) != NULL);
}

static int
isbinary(const char *s)
{
	static const char *const ops[] = { "=", "==", "!=", "<", ">", "-eq", "-ne",
	    "-gt", "-ge", "-lt", "-le", "-nt", "-ot", "-ef", NULL };

	for (int i = 0; ops[i] != NULL; i++)
		if (strcmp(s, ops[i]) == 0)
			return (1);
	return (0);
}

static int
unary(const char *op, const char *arg)
{
	struct stat sb;
	int r;

	switch (op[1]) {
	case 'n': return (*arg != '\0');
	case 'z': return (*arg == '\0');
	case 't': {
		intmax_t fd = getn(arg);
		return (fd >= 0 && fd <= 1024 && isatty((int)fd));
	}
	case 'h': case 'L':
		return (lstat(arg, &sb) == 0 && S_ISLNK(sb.st_mode));
	case 'r': return (access(arg, R_OK) == 0);
	case 'w': return (access(arg, W_OK) == 0);
	case 'x': return (access(arg, X_OK) == 0);
	}
	if (stat(arg, &sb) != 0)
		return (0);
	switch (op[1]) {
	case 'e': r = 1; break;
	case 'f': r = S_ISREG(sb.st_mode); break;
	case 'd': r = S_ISDIR(sb.st_mode); break;
	case 'b': r = S_ISBLK(sb.st_mode); break;
	case 'c': r = S_ISCHR(sb.st_mode); break;
	case 'p': r = S_ISFIFO(sb.st_mode); break;
	case 'S': r = S_ISSOCK(sb.st_mode); break;
	case 's': r = sb.st_size > 0; break;
	case 'g': r = (sb.st_mode & S_ISGID) != 0; break;
	case 'u': r = (sb.st_mode & S_ISUID) != 0; break;
	case 'k': r = (sb.st_mode & S_ISVTX) != 0; break;
	case 'O': r = sb.st_uid == geteuid(); break;
	case 'G': r = sb.st_gid == getegid(); break;
	default: r = 0; break;
	}
	return (r);
}

static int
newer(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return (0);
	return (sa.st_mtim.tv_sec > sb.st_mtim.tv_sec ||
	    (sa.st_mtim.tv_sec == sb.st_mtim.tv_sec && sa.st_mtim.tv_nsec > sb.st_mtim.tv_nsec));
}

static int
binary(const char *a, const char *op, const char *b)
{
	struct stat sa, sb;

	if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0) return (strcmp(a, b) == 0);
	if (strcmp(op, "!=") == 0) return (strcmp(a, b) != 0);
	if (strcmp(op, "<") == 0) return (strcoll(a, b) < 0);
	if (strcmp(op, ">") == 0) return (strcoll(a, b) > 0);
	if (strcmp(op, "-nt") == 0) return (newer(a, b));
	if (strcmp(op, "-ot") == 0) return (newer(b, a));
	if (strcmp(op, "-ef") == 0)
		return (stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
		    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
	intmax_t x = getn(a), y = getn(b);
	if (strcmp(op, "-eq") == 0) return (x == y);
	if (strcmp(op, "-ne") == 0) return (x != y);
	if (strcmp(op, "-gt") == 0) return (x > y);
	if (strcmp(op, "-ge") == 0) return (x >= y);
	if (strcmp(op, "-lt") == 0) return (x < y);
	return (x <= y);	/* -le */
}

static const char *
next(void)
{
	return (pos < nargs ? args[pos] : NULL);
}

static int oexpr(void);

static int
primary(void)
{
	const char *a = next(), *b;
	int r;

	if (a == NULL)
		syntax("argument expected");
	if (strcmp(a, "(") == 0) {
		pos++;
		/* "( )" is not allowed; "( x )" is. */
		r = oexpr();
		if (next() == NULL || strcmp(next(), ")") != 0)
			syntax("closing paren expected");
		pos++;
		return (r);
	}
	if (isunary(a) && pos + 1 < nargs) {
		/* "-n = x": the operand form wins when a binary op follows. */
		if (!(pos + 2 < nargs && isbinary(args[pos + 1]))) {
			pos += 2;
			return (unary(a, args[pos - 1]));
		}
	}
	if (pos + 1 < nargs && isbinary(args[pos + 1])) {
		if (pos + 2 >= nargs)
			syntax("%s: argument expected", args[pos + 1]);
		b = args[pos + 1];
		pos += 3;
		return (binary(a, b, args[pos - 1]));
	}
	if (isunary(a) && pos + 1 >= nargs && nargs > 1)
		syntax("%s: argument expected", a);
	pos++;
	return (*a != '\0');
}

static int
nexpr(void)
{
	if (next() != NULL && strcmp(next(), "!") == 0) {
		pos++;
		return (!nexpr());
	}
	return (primary());
}

static int
aexpr(void)
{
	int r = nexpr();

	if (next() != NULL && strcmp(next(), "-a") == 0) {
		pos++;
		return (aexpr() && r);
	}
	return (r);
}

static int
oexpr(void)
{
	int r = aexpr();

	if (next() != NULL && strcmp(next(), "-o") == 0) {
		pos++;
		return (oexpr() || r);
	}
	return (r);
}

/* POSIX's rules for up to four arguments. */
static int
posix(int n)
{
	const char *a = args[pos];

	switch (n) {
	case 0:
		return (0);
	case 1:
		pos++;
		return (*a != '\0');
	case 2:
		if (strcmp(a, "!") == 0) {
			pos += 2;
			return (args[pos - 1][0] == '\0');
		}
		if (isunary(a)) {
			pos += 2;
			return (unary(a, args[pos - 1]));
		}
		syntax("%s: unexpected operator", a);
	case 3:
		if (isbinary(args[pos + 1])) {
			pos += 3;
			return (binary(a, args[pos - 2], args[pos - 1]));
		}
		if (strcmp(a, "!") == 0) {
			pos++;
			return (!posix(2));
		}
		if (strcmp(a, "(") == 0 && strcmp(args[pos + 2], ")") == 0) {
			pos += 3;
			return (args[pos - 2][0] != '\0');
		}
		break;
	case 4:
		if (strcmp(a, "!") == 0) {
			pos++;
			return (!posix(3));
		}
		if (strcmp(a, "(") == 0 && strcmp(args[pos + 3], ")") == 0) {
			pos++;
			int r = posix(2);
			pos++;
			return (r);
		}
		break;
	}
	return (oexpr());
}

int
main(int argc, char *argv[])
{
	const char *p = strrchr(argv[0], '/');
	int r;

	p = p != NULL ? p + 1 : argv[0];
	if (strcmp(p, "[") == 0) {
		if (strcmp(argv[--argc], "]") != 0)
			errx(2, "missing ]");
		argv[argc] = NULL;
	}
	args = argv + 1;
	nargs = argc - 1;
	pos = 0;
	r = posix(nargs);
	if (pos < nargs)
		syntax("%s: unexpected operator", args[pos]);
	return (!r);
}
