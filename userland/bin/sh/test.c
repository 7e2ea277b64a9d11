/*
 * test and [ as a builtin, by recursive descent:
 *
 *   expr   := oexpr
 *   oexpr  := aexpr [ -o oexpr ]
 *   aexpr  := nexpr [ -a aexpr ]
 *   nexpr  := ! nexpr | primary
 *   primary:= ( expr ) | unary-op arg | arg binary-op arg | arg
 *
 * with POSIX's rules for 1 to 4 arguments applied first, so that
 * `test -n`, `test ! -z` and `[ "$x" = -o ]` mean what they say.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shell.h"

static char **t_argv;
static int t_argc, t_pos;
static int t_error;

static void
terror(const char *msg, const char *arg)
{
	if (!t_error) {
		if (arg)
			sh_warnx("test: %s: %s", arg, msg);
		else
			sh_warnx("test: %s", msg);
	}
	t_error = 1;
}

static const char *
peek(int k)
{
	return t_pos + k < t_argc ? t_argv[t_pos + k] : NULL;
}

static int
isunary(const char *s)
{
	return s && s[0] == '-' && s[1] && !s[2] && strchr("bcdefghknprstuwxzLSOG", s[1]);
}

static int
isbinary(const char *s)
{
	static const char *const ops[] = {
		"=", "!=", "==", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge",
		"-nt", "-ot", "-ef", NULL,
	};

	if (s == NULL)
		return 0;
	for (int i = 0; ops[i]; i++)
		if (strcmp(s, ops[i]) == 0)
			return 1;
	return 0;
}

static long long
tnum(const char *s)
{
	char *end;
	long long v;

	while (*s == ' ' || *s == '\t')
		s++;
	errno = 0;
	v = strtoll(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (*s == '\0' || *end != '\0' || errno)
		terror("bad number", s);
	return v;
}

static int
unary(int op, const char *a)
{
	struct stat st;

	switch (op) {
	case 'n':
		return *a != '\0';
	case 'z':
		return *a == '\0';
	case 't':
		return isatty((int)tnum(a));
	case 'r':
		return access(a, R_OK) == 0;
	case 'w':
		return access(a, W_OK) == 0;
	case 'x':
		return access(a, X_OK) == 0;
	case 'L':
	case 'h':
		return lstat(a, &st) == 0 && S_ISLNK(st.st_mode);
	}
	if (stat(a, &st) != 0)
		return 0;
	switch (op) {
	case 'e': return 1;
	case 'f': return S_ISREG(st.st_mode);
	case 'd': return S_ISDIR(st.st_mode);
	case 'b': return S_ISBLK(st.st_mode);
	case 'c': return S_ISCHR(st.st_mode);
	case 'p': return S_ISFIFO(st.st_mode);
	case 'S': return S_ISSOCK(st.st_mode);
	case 's': return st.st_size > 0;
	case 'g': return (st.st_mode & S_ISGID) != 0;
	case 'u': return (st.st_mode & S_ISUID) != 0;
	case 'k': return (st.st_mode & S_ISVTX) != 0;
	case 'O': return st.st_uid == geteuid();
	case 'G': return st.st_gid == getegid();
	}
	return 0;
}

static int
binary(const char *a, const char *op, const char *b)
{
	struct stat sa, sb;

	if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0)
		return strcmp(a, b) == 0;
	if (strcmp(op, "!=") == 0)
		return strcmp(a, b) != 0;
	if (strcmp(op, "<") == 0)
		return strcmp(a, b) < 0;
	if (strcmp(op, ">") == 0)
		return strcmp(a, b) > 0;
	if (strcmp(op, "-nt") == 0 || strcmp(op, "-ot") == 0) {
		int ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
		int newer;

		if (!ea || !eb)
			return op[1] == 'n' ? ea && !eb : !ea && eb;
		newer = sa.st_mtim.tv_sec > sb.st_mtim.tv_sec ||
		    (sa.st_mtim.tv_sec == sb.st_mtim.tv_sec && sa.st_mtim.tv_nsec > sb.st_mtim.tv_nsec);
		if (op[1] == 'n')
			return newer;
		return sa.st_mtim.tv_sec < sb.st_mtim.tv_sec ||
		    (sa.st_mtim.tv_sec == sb.st_mtim.tv_sec && sa.st_mtim.tv_nsec < sb.st_mtim.tv_nsec);
	}
	if (strcmp(op, "-ef") == 0)
		return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
		    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	{
		long long x = tnum(a), y = tnum(b);

		if (strcmp(op, "-eq") == 0) return x == y;
		if (strcmp(op, "-ne") == 0) return x != y;
		if (strcmp(op, "-lt") == 0) return x < y;
		if (strcmp(op, "-le") == 0) return x <= y;
		if (strcmp(op, "-gt") == 0) return x > y;
		if (strcmp(op, "-ge") == 0) return x >= y;
	}
	return 0;
}

static int oexpr(void);

static int
primary(void)
{
	const char *a = peek(0);

	if (a == NULL) {
		terror("argument expected", NULL);
		return 0;
	}
	if (strcmp(a, "(") == 0) {
		int r;

		t_pos++;
		r = oexpr();
		if (peek(0) == NULL || strcmp(peek(0), ")") != 0)
			terror("closing paren expected", NULL);
		else
			t_pos++;
		return r;
	}
	if (isbinary(peek(1))) {
		const char *op = peek(1), *b = peek(2);

		if (b == NULL) {
			terror("argument expected", op);
			return 0;
		}
		t_pos += 3;
		return binary(a, op, b);
	}
	if (isunary(a) && peek(1) != NULL) {
		t_pos += 2;
		return unary(a[1], peek(-1));
	}
	t_pos++;
	return *a != '\0';
}

static int
nexpr(void)
{
	if (peek(0) && strcmp(peek(0), "!") == 0 && peek(1) != NULL) {
		t_pos++;
		return !nexpr();
	}
	return primary();
}

static int
aexpr(void)
{
	int r = nexpr();

	while (peek(0) && strcmp(peek(0), "-a") == 0) {
		t_pos++;
		r = nexpr() && r;
	}
	return r;
}

static int
oexpr(void)
{
	int r = aexpr();

	while (peek(0) && strcmp(peek(0), "-o") == 0) {
		t_pos++;
		r = aexpr() || r;
	}
	return r;
}

/* POSIX's fixed meanings for up to four arguments. */
static int
shortform(int n, int *result)
{
	const char *a = peek(0), *b = peek(1), *c = peek(2);

	switch (n) {
	case 0:
		*result = 0;
		return 1;
	case 1:
		*result = *a != '\0';
		return 1;
	case 2:
		if (strcmp(a, "!") == 0) {
			*result = *b == '\0';
			return 1;
		}
		if (isunary(a)) {
			*result = unary(a[1], b);
			return 1;
		}
		return 0;
	case 3:
		if (isbinary(b)) {
			*result = binary(a, b, c);
			return 1;
		}
		if (strcmp(a, "!") == 0) {
			t_pos++;
			if (shortform(2, result)) {
				*result = !*result;
				return 1;
			}
			t_pos--;
			return 0;
		}
		if (strcmp(a, "(") == 0 && strcmp(c, ")") == 0) {
			*result = *b != '\0';
			return 1;
		}
		return 0;
	case 4:
		if (strcmp(a, "!") == 0) {
			t_pos++;
			if (shortform(3, result)) {
				*result = !*result;
				return 1;
			}
			t_pos--;
		}
		return 0;
	}
	return 0;
}

int
testcmd(int argc, char **argv)
{
	int r;

	if (strcmp(argv[0], "[") == 0) {
		if (strcmp(argv[argc - 1], "]") != 0) {
			sh_warnx("[: missing ]");
			return 2;
		}
		argc--;
	}
	t_argv = argv + 1;
	t_argc = argc - 1;
	t_pos = 0;
	t_error = 0;
	if (!shortform(t_argc, &r)) {
		t_pos = 0;
		r = oexpr();
		if (t_pos < t_argc)
			terror("unexpected operator", t_argv[t_pos]);
	}
	if (t_error)
		return 2;
	return !r;
}
