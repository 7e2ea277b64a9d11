/*
 * Traps and the shell's own signal dispositions.  A caught signal only
 * sets a flag; the trap's commands run at the next safe point (between
 * commands, or when `wait` is interrupted), never in the handler.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "shell.h"

#define NTRAP 65			/* 0 is EXIT */

static char *trapcmd[NTRAP];
static char ignored_at_start[NTRAP];
static volatile sig_atomic_t gotsig[NTRAP];
volatile sig_atomic_t pendingsig;
volatile sig_atomic_t intpending;
static int interactive_sigs;

static const char *const signames[] = {
	"EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
	"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT",
	"CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
	"XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};
#define NSIGNAMES ((int)(sizeof(signames) / sizeof(signames[0])))

const char *
signum_to_name(int n)
{
	if (n < 0 || n >= NSIGNAMES)
		return NULL;
	return signames[n];
}

int
signame_to_num(const char *s)
{
	if (isdigit((unsigned char)*s)) {
		int n = atoi(s);

		return n >= 0 && n < NTRAP ? n : -1;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 0; i < NSIGNAMES; i++)
		if (strcasecmp(s, signames[i]) == 0)
			return i;
	return -1;
}

static void
onsig(int sig)
{
	if (sig == SIGINT && trapcmd[SIGINT] == NULL) {
		intpending = 1;
		return;
	}
	gotsig[sig] = 1;
	pendingsig = sig;
}

int
pendingsig_number(void)
{
	for (int i = 1; i < NTRAP; i++)
		if (gotsig[i])
			return i;
	return pendingsig;
}

/* Put the right disposition on one signal. */
static void
setsignal(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	if (trapcmd[sig] != NULL) {
		sa.sa_handler = *trapcmd[sig] ? onsig : SIG_IGN;
	} else if (interactive_sigs && sig == SIGINT) {
		sa.sa_handler = onsig;
	} else if (interactive_sigs && (sig == SIGQUIT || sig == SIGTERM)) {
		sa.sa_handler = SIG_IGN;
	} else if (jobctl && (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)) {
		sa.sa_handler = SIG_IGN;
	} else if (ignored_at_start[sig]) {
		sa.sa_handler = SIG_IGN;
	} else {
		sa.sa_handler = SIG_DFL;
	}
	sigaction(sig, &sa, NULL);
}

void
inittraps(void)
{
	struct sigaction sa;

	/* Signals ignored when a non-interactive shell starts stay ignored. */
	for (int s = 1; s < NTRAP; s++)
		if (sigaction(s, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			ignored_at_start[s] = 1;
}

void
setinteractive_signals(int on)
{
	interactive_sigs = on;
	setsignal(SIGINT);
	setsignal(SIGQUIT);
	setsignal(SIGTERM);
}

void
resettraps_child(void)
{
	interactive_sigs = 0;
	for (int s = 1; s < NTRAP; s++) {
		if (trapcmd[s] != NULL && *trapcmd[s] != '\0') {
			free(trapcmd[s]);
			trapcmd[s] = NULL;
			setsignal(s);
		}
		gotsig[s] = 0;
	}
	setsignal(SIGINT);
	setsignal(SIGQUIT);
	setsignal(SIGTERM);
	free(trapcmd[0]);
	trapcmd[0] = NULL;
	pendingsig = 0;
	intpending = 0;
}

static int intrap;

/* One trap's commands; $? is kept across them. */
static void
runtrap(int sig)
{
	int saved = exitstatus;
	char *cmd = ckstrdup(trapcmd[sig]);
	struct jmploc jmp, *savehandler = handler;

	if (setjmp(jmp.buf) == 0) {
		handler = &jmp;
		evalstring(cmd, 0);
		handler = savehandler;
	} else {
		handler = savehandler;
		free(cmd);
		intrap = 0;
		exraise(exception);
	}
	free(cmd);
	exitstatus = saved;
}

/* Run the traps of the signals that arrived. */
void
dotrap(void)
{
	if (intrap)
		return;
	intrap = 1;
	pendingsig = 0;
	for (int s = 1; s < NTRAP; s++) {
		if (!gotsig[s])
			continue;
		gotsig[s] = 0;
		if (trapcmd[s] && *trapcmd[s])
			runtrap(s);
	}
	intrap = 0;
}

void
exittrap(void)
{
	char *cmd = trapcmd[0];
	struct jmploc jmp;

	if (cmd == NULL)
		return;
	trapcmd[0] = NULL;
	if (setjmp(jmp.buf) == 0) {
		int saved = exitstatus;

		handler = &jmp;
		evalstring(cmd, 0);
		exitstatus = saved;
	}
	handler = NULL;
	free(cmd);
}

static void
printtrap(int s)
{
	const char *c = trapcmd[s];

	printf("trap -- '");
	for (; *c; c++) {
		if (*c == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*c);
	}
	printf("' %s\n", signames[s]);
}

int
trapcmd_builtin(int argc, char **argv)
{
	int i = 1, status = 0;
	const char *action;

	if (argc > 1 && strcmp(argv[1], "--") == 0)
		i = 2;
	if (i >= argc) {
		for (int s = 0; s < NSIGNAMES; s++)
			if (trapcmd[s] != NULL)
				printtrap(s);
		return 0;
	}
	if (strcmp(argv[i], "-l") == 0) {
		for (int s = 1; s < NSIGNAMES; s++)
			printf("%2d) SIG%s%c", s, signames[s], s % 4 == 0 ? '\n' : '\t');
		putchar('\n');
		return 0;
	}
	/* A lone condition, or a number first, means "reset". */
	if (i + 1 == argc || isdigit((unsigned char)argv[i][0]))
		action = NULL;
	else {
		action = strcmp(argv[i], "-") == 0 ? NULL : argv[i];
		i++;
	}
	for (; i < argc; i++) {
		int s = signame_to_num(argv[i]);

		if (s < 0 || s == SIGKILL || s == SIGSTOP) {
			sh_warnx("trap: %s: bad trap", argv[i]);
			status = 1;
			continue;
		}
		free(trapcmd[s]);
		trapcmd[s] = action ? ckstrdup(action) : NULL;
		if (s != 0)
			setsignal(s);
	}
	return status;
}
