/*
 * xargs: construct argument lists and execute a utility.
 *
 * Input words are separated by blanks and newlines, with '...', "..." and
 * backslash quoting (or by NULs with -0).  As in BSD the utility is not run
 * at all when the input is empty.  Exit status: 0 all went well; 123 some
 * invocation exited 1-125; 124 one exited 255 (xargs stops); 125 one was
 * killed by a signal; 126 the utility could not be run; 127 not found.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int zflag, pflag, tflag, xflag, oflag;
static long nargs_max = 5000, lines_max, maxprocs = 1;
static size_t size_max = 65536;
static const char *eofstr, *replstr, *Jstr;
static long Rmax = 5;
static int rval, nrunning;
static char **cmd;		/* the utility and its fixed arguments */
static int ncmd;

static void
usage(void)
{
	fprintf(stderr, "usage: xargs [-0oprt] [-E eofstr] [-I replstr [-R replacements]]\n"
	    "             [-J replstr] [-L number] [-n number [-x]] [-P maxprocs]\n"
	    "             [-s size] [utility [argument ...]]\n");
	exit(1);
}

static long
number(const char *s, const char *what, long min)
{
	char *ep;
	long n;

	errno = 0;
	n = strtol(s, &ep, 10);
	if (*s == '\0' || *ep != '\0' || errno != 0 || n < min)
		errx(1, "%s: %s is %s", what, s, n < min ? "too small" : "invalid");
	return (n);
}

static void
waitone(int block)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0 || (pid == -1 && errno == EINTR)) {
		if (pid == -1)
			continue;
		nrunning--;
		if (WIFSIGNALED(status)) {
			warnx("%s: terminated with signal %d; aborting", cmd[0], WTERMSIG(status));
			while (nrunning > 0 && wait(NULL) > 0)
				nrunning--;
			exit(125);
		}
		int code = WEXITSTATUS(status);
		if (code == 255) {
			warnx("%s: exited with status 255; aborting", cmd[0]);
			exit(124);
		}
		if (code == 126 || code == 127)
			exit(code);
		if (code != 0)
			rval = 123;
		if (block)
			return;
	}
}

static int
prompt(void)
{
	FILE *tty;
	int ch, first;

	if ((tty = fopen("/dev/tty", "r")) == NULL)
		return (0);
	fprintf(stderr, "?...");
	fflush(stderr);
	first = ch = getc(tty);
	while (ch != '\n' && ch != EOF)
		ch = getc(tty);
	fclose(tty);
	return (first == 'y' || first == 'Y');
}

static void
run(char **argv)
{
	pid_t pid;

	if (tflag || pflag) {
		for (char **a = argv; *a != NULL; a++)
			fprintf(stderr, "%s%s", a == argv ? "" : " ", *a);
		if (!pflag)
			fprintf(stderr, "\n");
		fflush(stderr);
		if (pflag && !prompt())
			return;
	}
	while (nrunning >= maxprocs)
		waitone(1);
	fflush(stdout);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if (oflag) {
			int fd = open("/dev/tty", O_RDONLY);
			if (fd >= 0) {
				dup2(fd, STDIN_FILENO);
				close(fd);
			}
		} else {
			/* The utility must not eat our input. */
			int fd = open("/dev/null", O_RDONLY);
			if (fd >= 0) {
				dup2(fd, STDIN_FILENO);
				close(fd);
			}
		}
		execvp(argv[0], argv);
		int e = errno;
		warn("%s", argv[0]);
		_exit(e == ENOENT ? 127 : 126);
	}
	nrunning++;
	if (maxprocs == 1)
		waitone(1);
}

/* Read one word of input; NULL at the end.  *eol is set when it ended a line. */
static char *
getword(int *eol)
{
	static char *buf;
	static size_t cap;
	size_t len = 0;
	int c, quote = 0, any = 0;

	*eol = 0;
	for (;;) {
		c = getchar();
		if (c == EOF) {
			if (quote)
				errx(1, "unterminated quote");
			if (!any)
				return (NULL);
			*eol = 1;
			break;
		}
		if (zflag) {
			if (c == '\0') {
				*eol = 1;
				break;
			}
		} else if (replstr != NULL) {
			/* -I: each line is one argument, leading blanks dropped. */
			if (c == '\n') {
				if (!any)
					continue;
				*eol = 1;
				break;
			}
			if (!any && (c == ' ' || c == '\t'))
				continue;
		} else if (quote) {
			if (c == quote) {
				quote = 0;
				continue;
			}
			if (c == '\n')
				errx(1, "unterminated quote");
		} else if (c == ' ' || c == '\t' || c == '\n') {
			if (!any)
				continue;
			*eol = c == '\n';
			break;
		} else if (c == '\'' || c == '"') {
			quote = c;
			any = 1;
			continue;
		} else if (c == '\\') {
			if ((c = getchar()) == EOF)
				break;
		}
		if (len + 2 > cap && (buf = realloc(buf, cap = cap ? cap * 2 : 256)) == NULL)
			err(1, NULL);
		buf[len++] = c;
		any = 1;
	}
	if (buf == NULL && (buf = malloc(1)) == NULL)
		err(1, NULL);
	buf[len] = '\0';
	return (buf);
}

/* -I: replace replstr in up to Rmax of the fixed arguments. */
static void
run_replaced(const char *arg)
{
	char **argv = calloc(ncmd + 1, sizeof(*argv));
	long done = 0;

	if (argv == NULL)
		err(1, NULL);
	for (int i = 0; i < ncmd; i++) {
		const char *a = cmd[i], *p;
		if (i == 0 || done >= Rmax || strstr(a, replstr) == NULL) {
			argv[i] = (char *)a;
			continue;
		}
		size_t rl = strlen(replstr), al = strlen(arg), n = 0;
		for (p = a; (p = strstr(p, replstr)) != NULL; p += rl)
			n++;
		char *out = malloc(strlen(a) + n * al + 1), *o = out;
		if (out == NULL)
			err(1, NULL);
		for (p = a; *p != '\0';) {
			if (strncmp(p, replstr, rl) == 0) {
				memcpy(o, arg, al);
				o += al;
				p += rl;
			} else
				*o++ = *p++;
		}
		*o = '\0';
		if (strlen(out) > 255 * 4 && xflag)
			errx(1, "insufficient space for argument");
		argv[i] = out;
		done++;
	}
	run(argv);
	for (int i = 1; i < ncmd; i++)
		if (argv[i] != cmd[i])
			free(argv[i]);
	free(argv);
}

static char **list;		/* the argument list being built */
static size_t n, fixed_n, size, fixedsize;
static int jat = -1, lines;

/* Run the utility with the words collected so far, if any. */
static void
flush(void)
{
	char **argvv = list, **tmp = NULL;
	size_t total = n;

	if (n == fixed_n)
		return;
	if (jat >= 0) {
		/* -J: the words go where the marker was, the rest after. */
		if ((tmp = calloc(n + ncmd + 1, sizeof(*tmp))) == NULL)
			err(1, NULL);
		total = 0;
		for (int i = 0; i < jat; i++)
			tmp[total++] = cmd[i];
		for (size_t i = fixed_n; i < n; i++)
			tmp[total++] = list[i];
		for (int i = jat + 1; i < ncmd; i++)
			tmp[total++] = cmd[i];
		argvv = tmp;
	}
	argvv[total] = NULL;
	run(argvv);
	free(tmp);
	for (size_t i = fixed_n; i < n; i++)
		free(list[i]);
	n = fixed_n;
	size = fixedsize;
	lines = 0;
}

int
main(int argc, char *argv[])
{
	int ch, eol;
	char *w;
	static char *echo[] = { "echo", NULL };

	while ((ch = getopt(argc, argv, "+0E:I:J:L:n:oP:pR:rs:tx")) != -1) {
		switch (ch) {
		case '0': zflag = 1; break;
		case 'E': eofstr = optarg; break;
		case 'I': replstr = optarg; lines_max = 1; break;
		case 'J': Jstr = optarg; break;
		case 'L': lines_max = number(optarg, "count", 1); break;
		case 'n': nargs_max = number(optarg, "number", 1); break;
		case 'o': oflag = 1; break;
		case 'P': maxprocs = number(optarg, "max. processes", 0); if (maxprocs == 0) maxprocs = 64; break;
		case 'p': pflag = 1; break;
		case 'R': Rmax = number(optarg, "replacements", -1); if (Rmax < 0) Rmax = LONG_MAX; break;
		case 'r': break;	/* BSD already skips an empty input */
		case 's': size_max = number(optarg, "size", 1); break;
		case 't': tflag = 1; break;
		case 'x': xflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		argv = echo;
		argc = 1;
	}
	cmd = argv;
	ncmd = argc;

	if (replstr != NULL) {
		while ((w = getword(&eol)) != NULL) {
			if (eofstr != NULL && strcmp(w, eofstr) == 0)
				break;
			run_replaced(w);
		}
		while (nrunning > 0)
			waitone(1);
		return (rval);
	}

	/* Collect words into an argument list; run when it is full. */
	list = calloc(ncmd + nargs_max + 1, sizeof(*list));
	if (list == NULL)
		err(1, NULL);
	for (int i = 0; i < ncmd; i++) {
		list[i] = cmd[i];
		fixedsize += strlen(cmd[i]) + 1;
		if (Jstr != NULL && jat < 0 && strcmp(cmd[i], Jstr) == 0)
			jat = i;
	}
	fixed_n = jat >= 0 ? (size_t)jat : (size_t)ncmd;
	n = fixed_n;
	size = fixedsize;
	while ((w = getword(&eol)) != NULL) {
		if (eofstr != NULL && strcmp(w, eofstr) == 0)
			break;
		size_t wl = strlen(w) + 1;
		if (fixedsize + wl > size_max)
			errx(1, "insufficient space for command");
		if (size + wl > size_max) {
			if (xflag)
				errx(1, "insufficient space for command");
			flush();
		}
		if ((list[n++] = strdup(w)) == NULL)
			err(1, NULL);
		size += wl;
		if (eol)
			lines++;
		if ((long)(n - fixed_n) >= nargs_max || (lines_max && lines >= lines_max))
			flush();
	}
	flush();
	while (nrunning > 0)
		waitone(1);
	return (rval);
}
