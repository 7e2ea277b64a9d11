/*
 * kill: send a signal to processes.  Signal names are the BSD ones
 * without "SIG", looked up case-insensitively; "kill -l 137" names the
 * signal behind an exit status.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const signames[] = {
	[SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT", [SIGILL] = "ILL",
	[SIGTRAP] = "TRAP", [SIGABRT] = "ABRT", [SIGBUS] = "BUS", [SIGFPE] = "FPE",
	[SIGKILL] = "KILL", [SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM", [SIGSTKFLT] = "STKFLT",
	[SIGCHLD] = "CHLD", [SIGCONT] = "CONT", [SIGSTOP] = "STOP", [SIGTSTP] = "TSTP",
	[SIGTTIN] = "TTIN", [SIGTTOU] = "TTOU", [SIGURG] = "URG", [SIGXCPU] = "XCPU",
	[SIGXFSZ] = "XFSZ", [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF", [SIGWINCH] = "WINCH",
	[SIGIO] = "IO", [SIGPWR] = "PWR", [SIGSYS] = "SYS",
};
#define NSIGNAMES ((int)(sizeof(signames) / sizeof(signames[0])))

static void
usage(void)
{
	fprintf(stderr, "usage: kill [-s signal_name] pid ...\n"
	    "       kill -l [exit_status]\n"
	    "       kill -signal_name pid ...\n"
	    "       kill -signal_number pid ...\n");
	exit(2);
}

static void
printsignals(FILE *fp)
{
	int n, col = 0;

	for (n = 1; n < NSIGNAMES; n++) {
		if (signames[n] == NULL)
			continue;
		size_t len = strlen(signames[n]);
		if (col + len + 1 > 72) {
			fputc('\n', fp);
			col = 0;
		} else if (col > 0) {
			fputc(' ', fp);
			col++;
		}
		fputs(signames[n], fp);
		col += len;
	}
	fputc('\n', fp);
}

static void
nosig(const char *name)
{
	warnx("unknown signal %s; valid signals:", name);
	printsignals(stderr);
	exit(2);
}

static int
signame_to_signum(const char *sig)
{
	int n;

	if (strncasecmp(sig, "SIG", 3) == 0)
		sig += 3;
	for (n = 1; n < NSIGNAMES; n++)
		if (signames[n] != NULL && strcasecmp(signames[n], sig) == 0)
			return (n);
	if (strcasecmp(sig, "IOT") == 0)
		return (SIGABRT);
	if (strcasecmp(sig, "CLD") == 0)
		return (SIGCHLD);
	return (-1);
}

static int
number(const char *s, long *np)
{
	char *ep;

	errno = 0;
	*np = strtol(s, &ep, 10);
	return (*s != '\0' && *ep == '\0' && errno == 0);
}

int
main(int argc, char *argv[])
{
	int numsig = SIGTERM, errors = 0;
	long n;

	if (argc < 2)
		usage();
	argc--, argv++;
	if (strcmp(*argv, "-l") == 0) {
		argc--, argv++;
		if (argc > 1)
			usage();
		if (argc == 1) {
			if (!number(*argv, &n))
				errx(2, "illegal signal number: %s", *argv);
			if (n >= 128)
				n -= 128;
			if (n <= 0 || n >= NSIGNAMES || signames[n] == NULL)
				errx(2, "unknown signal %s", *argv);
			printf("%s\n", signames[n]);
			return (0);
		}
		printsignals(stdout);
		return (0);
	}
	if (strcmp(*argv, "-s") == 0) {
		argc--, argv++;
		if (argc < 1) {
			warnx("option requires an argument -- s");
			usage();
		}
		if (strcmp(*argv, "0") == 0)
			numsig = 0;
		else if ((numsig = signame_to_signum(*argv)) < 0)
			nosig(*argv);
		argc--, argv++;
	} else if (**argv == '-' && strcmp(*argv, "--") != 0 && (*argv)[1] != '\0') {
		const char *s = *argv + 1;
		if (isdigit((unsigned char)*s)) {
			if (!number(s, &n) || n < 0 || n >= NSIG)
				errx(2, "illegal signal number: %s", s);
			numsig = (int)n;
		} else if ((numsig = signame_to_signum(s)) < 0)
			nosig(s);
		argc--, argv++;
	}
	if (argc > 0 && strcmp(*argv, "--") == 0)
		argc--, argv++;
	if (argc == 0)
		usage();
	for (; argc > 0; argc--, argv++) {
		if (!number(*argv, &n)) {
			warnx("illegal process id: %s", *argv);
			errors = 1;
		} else if (kill((pid_t)n, numsig) == -1) {
			warn("%s", *argv);
			errors = 1;
		}
	}
	return (errors);
}
