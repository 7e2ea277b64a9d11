/*
 * init: process control initialization, pid 1, after BSD's init(8).
 *
 * The life of the system is a small state machine:
 *
 *	single user  -> a shell on the console ("-s" from the kernel);
 *	                when it exits, on to runcom
 *	runcom       -> "sh /etc/rc autoboot"; success -> multi user,
 *	                failure -> single user
 *	multi user   -> a getty for every "on" line of /etc/ttys, respawned
 *	                when it exits; SIGHUP rereads /etc/ttys
 *	death        -> "sh /etc/rc.shutdown", SIGTERM then SIGKILL to every
 *	                process, sync, reboot(2) (or single user again)
 *
 * Signals as BSD init takes them: SIGUSR2 halt and power off (the vkernel
 * sends it on a host SIGTERM), SIGUSR1 halt, SIGINT reboot, SIGTERM single
 * user, SIGHUP reread ttys, SIGTSTP stop spawning gettys.
 *
 * All those signals stay blocked except inside sigsuspend(), so a state
 * never sees one half way through; handlers only record a request.
 */
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ttys.h"

#define _PATH_CONSOLE	"/dev/console"
#define _PATH_BSHELL	"/bin/sh"
#define _PATH_RUNCOM	"/etc/rc"
#define _PATH_RUNDOWN	"/etc/rc.shutdown"
#define _PATH_STDPATH	"/sbin:/bin:/usr/sbin:/usr/bin"

#define GETTY_SPACING	5	/* a getty dying within this many seconds... */
#define GETTY_NSPACE	3	/* ...this many times in a row is "too quickly" */
#define GETTY_SLEEP	30	/* and its next start waits this long */
#define DEATH_WATCH	10	/* seconds for processes to die, per signal */
#define RUNDOWN_TIMEOUT	120	/* seconds rc.shutdown may take */

/* Linux's reboot(2): this is a Linux-ABI kernel (see kern_misc.ts). */
#define LINUX_REBOOT_MAGIC1	0xfee1deadU
#define LINUX_REBOOT_MAGIC2	672274793
#define LINUX_REBOOT_CMD_RESTART	0x01234567U
#define LINUX_REBOOT_CMD_HALT		0xcdef0123U
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedcU

enum state {
	S_SINGLE, S_RUNCOM, S_MULTI, S_CLEAN_TTYS, S_DEATH, S_DEATH_SINGLE, S_NONE
};

enum howto { HOW_HALT, HOW_POWEROFF, HOW_REBOOT };

struct session {
	struct session	*next;
	char		*name;		/* "console" */
	char		*device;	/* "/dev/console" */
	char		*command;	/* the getty command with the tty name appended */
	char		*type;		/* the terminal type, for TERM */
	int		 on;
	int		 present;	/* seen by the latest reading of ttys */
	pid_t		 pid;
	time_t		 started;
	int		 nspace;
};

static struct session *sessions;
static volatile sig_atomic_t requested = S_NONE;
static volatile sig_atomic_t howto = HOW_HALT;
static volatile sig_atomic_t catatonic;
static volatile sig_atomic_t alarmed;
static sigset_t blocked;		/* what init keeps blocked */
static enum state current;

static void	warning(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Messages go to the console, as BSD's do when no syslogd is listening. */
static void
warning(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int fd, n;

	n = snprintf(buf, sizeof(buf), "init: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n - 2, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\r';
	buf[n++] = '\n';
	if ((fd = open(_PATH_CONSOLE, O_WRONLY | O_NOCTTY)) == -1)
		fd = dup(STDERR_FILENO);
	if (fd != -1) {
		(void)write(fd, buf, n);
		close(fd);
	}
}

static void
handler(int sig)
{
	switch (sig) {
	case SIGHUP:
		if (current == S_MULTI)
			requested = S_CLEAN_TTYS;
		break;
	case SIGTERM:
		requested = S_DEATH_SINGLE;
		break;
	case SIGINT:
		howto = HOW_REBOOT;
		requested = S_DEATH;
		break;
	case SIGUSR1:
		howto = HOW_HALT;
		requested = S_DEATH;
		break;
	case SIGUSR2:
		howto = HOW_POWEROFF;
		requested = S_DEATH;
		break;
	case SIGTSTP:
		catatonic = 1;
		break;
	case SIGALRM:
		alarmed = 1;
		break;
	}
	/* SIGCHLD only needs to end the sigsuspend(). */
}

/* In a child: init's handlers and blocked signals undone, so it can be killed. */
static void
child_signals(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* A child's start: default signals, the tty as its controlling terminal. */
static void
child_setup(const char *tty)
{
	struct termios t;
	int fd;

	child_signals();

	if (setsid() == -1)
		warning("setsid: %s", strerror(errno));
	if ((fd = open(tty, O_RDWR)) == -1) {
		warning("can't open %s: %s", tty, strerror(errno));
		_exit(1);
	}
	/* Take the terminal even from another session (arg 1: we are root). */
	if (ioctl(fd, TIOCSCTTY, 1) == -1)
		warning("can't get %s for controlling terminal: %s", tty, strerror(errno));
	(void)tcsetpgrp(fd, getpid());
	/*
	 * A getty may have left the terminal raw (it reads the name with
	 * echo off): rc and the single-user shell want it cooked.
	 */
	if (tcgetattr(fd, &t) == 0) {
		t.c_iflag |= BRKINT | ICRNL | IXON;
		t.c_oflag |= OPOST | ONLCR;
		t.c_lflag |= ECHO | ECHOE | ECHOK | ICANON | ISIG | IEXTEN;
		(void)tcsetattr(fd, TCSANOW, &t);
	}
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

/*
 * Reap what has exited; the getty of a session is marked as gone.
 * Returns 1 if `want' was among them (its status in *stp).
 */
static int
reap(pid_t want, int *stp)
{
	struct session *sp;
	pid_t pid;
	int st, found = 0;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == want) {
			found = 1;
			if (stp != NULL)
				*stp = st;
		}
		for (sp = sessions; sp != NULL; sp = sp->next)
			if (sp->pid == pid)
				sp->pid = 0;
	}
	return (found);
}

/* Wait for one child; -1 if a state change was requested first. */
static int
wait_for(pid_t pid, int *stp)
{
	sigset_t none;

	sigemptyset(&none);
	for (;;) {
		if (reap(pid, stp))
			return (0);
		if (requested != S_NONE)
			return (-1);
		sigsuspend(&none);
	}
}

/* Run argv on tty in a session of its own (rc, rc.shutdown). */
static pid_t
spawn(const char *tty, char *const argv[])
{
	pid_t pid;

	if ((pid = fork()) == -1) {
		warning("can't fork for %s: %s", argv[0], strerror(errno));
		return (-1);
	}
	if (pid == 0) {
		child_setup(tty);
		execv(argv[0], argv);
		warning("can't exec %s for %s: %s", argv[0], tty, strerror(errno));
		_exit(1);
	}
	return (pid);
}

/* Single user: a shell on the console until it exits. */
static enum state
single_user(void)
{
	char *argv[] = { "-sh", NULL };
	char *shell = _PATH_BSHELL;
	pid_t pid;
	int st;

	if ((pid = fork()) == -1) {
		warning("can't fork single-user shell: %s", strerror(errno));
		sleep(15);
		return (S_SINGLE);
	}
	if (pid == 0) {
		child_setup(_PATH_CONSOLE);
		execv(shell, argv);
		warning("can't exec %s for single user: %s", shell, strerror(errno));
		_exit(1);
	}
	if (wait_for(pid, &st) == -1)
		return (requested);
	if (WIFSIGNALED(st)) {
		if (WTERMSIG(st) == SIGKILL) {
			/* Killed on purpose (an old-style reboot(8)): do not go on. */
			warning("single user shell terminated.");
			return (S_DEATH);
		}
		warning("single user shell terminated, restarting");
		return (S_SINGLE);
	}
	return (S_RUNCOM);
}

static enum state
runcom(void)
{
	char *argv[] = { _PATH_BSHELL, _PATH_RUNCOM, "autoboot", NULL };
	pid_t pid;
	int st;

	if ((pid = spawn(_PATH_CONSOLE, argv)) == -1)
		return (S_SINGLE);
	if (wait_for(pid, &st) == -1)
		return (requested);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return (S_MULTI);
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM)
		return (S_DEATH_SINGLE);
	warning("%s on %s terminated abnormally, going to single user mode",
	    _PATH_RUNCOM, _PATH_CONSOLE);
	return (S_SINGLE);
}

/* Split a command at blanks, as BSD's init does for getty lines (no quoting). */
static char **
construct_argv(char *command)
{
	char **argv, *p;
	size_t n = 0, cap = 8;

	if ((argv = calloc(cap, sizeof(*argv))) == NULL)
		return (NULL);
	for (p = strtok(command, " \t\n"); p != NULL; p = strtok(NULL, " \t\n")) {
		if (n + 2 > cap) {
			char **nv = reallocarray(argv, cap *= 2, sizeof(*argv));
			if (nv == NULL) {
				free(argv);
				return (NULL);
			}
			argv = nv;
		}
		argv[n++] = p;
	}
	argv[n] = NULL;
	if (n == 0) {
		free(argv);
		return (NULL);
	}
	return (argv);
}

static void
start_getty(struct session *sp)
{
	char *cmd, **argv, term[64];
	char *envp[3];
	time_t now = time(NULL);
	int too_quick = 0;
	pid_t pid;

	/* Keep a dead-on-arrival getty from eating the machine. */
	if (sp->started != 0 && now >= sp->started && now - sp->started < GETTY_SPACING) {
		if (++sp->nspace > GETTY_NSPACE) {
			sp->nspace = 0;
			too_quick = 1;
		}
	} else
		sp->nspace = 0;
	sp->started = now;

	if ((pid = fork()) == -1) {
		warning("can't fork for getty on port %s: %s", sp->device, strerror(errno));
		return;
	}
	if (pid != 0) {
		sp->pid = pid;
		return;
	}
	/* The child sleeps, not init: the rest of the system carries on. */
	child_signals();
	if (too_quick) {
		warning("getty repeating too quickly on port %s, sleeping %d secs",
		    sp->device, GETTY_SLEEP);
		sleep(GETTY_SLEEP);
	}
	if ((cmd = strdup(sp->command)) == NULL || (argv = construct_argv(cmd)) == NULL) {
		warning("can't parse getty for port %s", sp->device);
		_exit(1);
	}
	child_setup(sp->device);
	snprintf(term, sizeof(term), "TERM=%s", sp->type);
	envp[0] = term;
	envp[1] = "PATH=" _PATH_STDPATH;
	envp[2] = NULL;
	execve(argv[0], argv, envp);
	warning("can't exec getty '%s' for port %s: %s", argv[0], sp->device, strerror(errno));
	_exit(1);
}

static struct session *
find_session(const char *name)
{
	struct session *sp;

	for (sp = sessions; sp != NULL; sp = sp->next)
		if (strcmp(sp->name, name) == 0)
			return (sp);
	return (NULL);
}

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL) {
		warning("out of memory");
		sleep(5);
		_exit(1);
	}
	return (p);
}

/*
 * (Re)read /etc/ttys into the session list.  A line that went "off" or
 * disappeared gets its getty killed; a changed command takes effect at
 * the next start.
 */
static void
read_ttys(void)
{
	struct session *sp, **spp;
	struct ttyline *t;
	char cmd[1024];

	for (sp = sessions; sp != NULL; sp = sp->next)
		sp->present = 0;
	if (ttys_open() == -1) {
		warning("can't open %s: %s", _PATH_TTYS, strerror(errno));
		return;
	}
	while ((t = ttys_next()) != NULL) {
		if (t->ty_getty == NULL)
			continue;
		if ((sp = find_session(t->ty_name)) == NULL) {
			if ((sp = calloc(1, sizeof(*sp))) == NULL)
				break;
			sp->name = xstrdup(t->ty_name);
			snprintf(cmd, sizeof(cmd), "/dev/%s", t->ty_name);
			sp->device = xstrdup(cmd);
			for (spp = &sessions; *spp != NULL; spp = &(*spp)->next)
				;
			*spp = sp;
		}
		free(sp->command);
		free(sp->type);
		snprintf(cmd, sizeof(cmd), "%s %s", t->ty_getty, t->ty_name);
		sp->command = xstrdup(cmd);
		sp->type = xstrdup(t->ty_type != NULL ? t->ty_type : "unknown");
		sp->on = (t->ty_status & TTY_ON) != 0;
		sp->present = 1;
	}
	ttys_close();

	/* Gone or off: no more getty there. */
	for (spp = &sessions; (sp = *spp) != NULL;) {
		if (sp->present && sp->on) {
			spp = &sp->next;
			continue;
		}
		if (sp->pid > 0)
			kill(sp->pid, SIGHUP);
		if (sp->present) {
			sp->pid = sp->pid > 0 ? -sp->pid : 0;	/* not to be respawned */
			spp = &sp->next;
			continue;
		}
		*spp = sp->next;
		free(sp->name);
		free(sp->device);
		free(sp->command);
		free(sp->type);
		free(sp);
	}
}

static enum state
multi_user(void)
{
	struct session *sp;
	sigset_t none;

	catatonic = 0;
	read_ttys();
	current = S_MULTI;
	sigemptyset(&none);
	for (;;) {
		reap(0, NULL);
		if (requested != S_NONE) {
			enum state next = requested;

			requested = S_NONE;
			if (next != S_CLEAN_TTYS)
				return (next);
			catatonic = 0;
			read_ttys();
		}
		for (sp = sessions; sp != NULL; sp = sp->next) {
			if (sp->pid < 0 && kill(-sp->pid, 0) == -1)
				sp->pid = 0;
			if (sp->on && sp->pid == 0 && !catatonic)
				start_getty(sp);
		}
		sigsuspend(&none);
	}
}

/* Run rc.shutdown ("reboot" or "single" as its argument), at most RUNDOWN_TIMEOUT. */
static void
run_shutdown(int to_single)
{
	char *argv[] = { _PATH_BSHELL, _PATH_RUNDOWN, to_single ? "single" : "reboot", NULL };
	struct stat sb;
	sigset_t none;
	pid_t pid;
	int st;

	if (stat(_PATH_RUNDOWN, &sb) == -1 && errno == ENOENT)
		return;
	if ((pid = spawn(_PATH_CONSOLE, argv)) == -1)
		return;
	sigemptyset(&none);
	alarmed = 0;
	alarm(RUNDOWN_TIMEOUT);
	while (!reap(pid, &st)) {
		if (alarmed) {
			warning("timeout (%d seconds) while running %s", RUNDOWN_TIMEOUT, _PATH_RUNDOWN);
			kill(pid, SIGKILL);
			alarm(0);
			return;
		}
		sigsuspend(&none);
	}
	alarm(0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		warning("%s on %s terminated abnormally", _PATH_RUNDOWN, _PATH_CONSOLE);
}

/* SIGHUP, SIGTERM, then SIGKILL, to every process but us; wait for each wave to go. */
static void
kill_all(void)
{
	/* SIGHUP first: an interactive shell ignores SIGTERM. */
	static const int death_sigs[] = { SIGHUP, SIGTERM, SIGKILL };
	sigset_t none;
	size_t i;
	int st;

	sigemptyset(&none);
	for (i = 0; i < sizeof(death_sigs) / sizeof(death_sigs[0]); i++) {
		if (kill(-1, death_sigs[i]) == -1 && errno == ESRCH)
			break;
		alarmed = 0;
		alarm(DEATH_WATCH);
		for (;;) {
			pid_t pid = waitpid(-1, &st, WNOHANG);

			if (pid == -1 && errno == ECHILD)
				break;
			if (pid > 0)
				continue;
			if (alarmed)
				break;
			sigsuspend(&none);
		}
		alarm(0);
		if (!alarmed) {
			/* Our children are gone; orphans of others may still be dying. */
			if (kill(-1, 0) == -1 && errno == ESRCH)
				return;
		}
	}
	if (kill(-1, 0) == 0)
		warning("some processes would not die; ps axl advised");
}

static enum state
death(int to_single)
{
	struct session *sp;
	unsigned int cmd;

	/* No getty may come back while the system goes down. */
	for (sp = sessions; sp != NULL; sp = sp->next)
		sp->on = 0;
	current = to_single ? S_DEATH_SINGLE : S_DEATH;
	requested = S_NONE;
	run_shutdown(to_single);
	kill_all();
	reap(0, NULL);
	if (to_single)
		return (S_SINGLE);

	sync();
	switch (howto) {
	case HOW_REBOOT:
		cmd = LINUX_REBOOT_CMD_RESTART;
		break;
	case HOW_POWEROFF:
		cmd = LINUX_REBOOT_CMD_POWER_OFF;
		break;
	default:
		cmd = LINUX_REBOOT_CMD_HALT;
		break;
	}
	if (syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, NULL) == -1)
		warning("reboot(2) failed: %s", strerror(errno));
	/* Nothing left to do but wait for someone to help. */
	for (;;)
		pause();
}

int
main(int argc, char *argv[])
{
	static const int caught[] = {
		SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGTSTP, SIGALRM, SIGCHLD,
	};
	struct sigaction sa;
	enum state state = S_RUNCOM;
	size_t i;
	int ch;

	if (getpid() != 1)
		errx(1, "already running");
	/*
	 * The kernel's arguments: -s single user; others (-f fastboot, and
	 * whatever a boot loader adds) are accepted quietly, as BSD's init does.
	 */
	opterr = 0;
	while ((ch = getopt(argc, argv, "+sf")) != -1) {
		switch (ch) {
		case 's':
			state = S_SINGLE;
			break;
		case 'f':
			break;
		default:
			break;
		}
	}

	setenv("PATH", _PATH_STDPATH, 1);
	umask(022);
	if (chdir("/") == -1)
		warning("chdir /: %s", strerror(errno));

	sigemptyset(&blocked);
	for (i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaddset(&blocked, caught[i]);
	sigprocmask(SIG_SETMASK, &blocked, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_mask = blocked;
	for (i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &sa, NULL);
	/* Job control signals from the console must not stop init. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGTTIN, &sa, NULL);
	sigaction(SIGTTOU, &sa, NULL);

	for (;;) {
		enum state next;

		current = state;
		requested = S_NONE;
		switch (state) {
		case S_SINGLE:
			next = single_user();
			break;
		case S_RUNCOM:
			next = runcom();
			break;
		case S_MULTI:
		case S_CLEAN_TTYS:
			next = multi_user();
			break;
		case S_DEATH:
			next = death(0);
			break;
		case S_DEATH_SINGLE:
			next = death(1);
			break;
		default:
			next = S_SINGLE;
			break;
		}
		/* A request made while a state was ending wins over its own choice. */
		if (requested != S_NONE && requested != S_CLEAN_TTYS)
			next = requested;
		state = next;
	}
}
