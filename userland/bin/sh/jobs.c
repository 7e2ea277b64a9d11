/*
 * Processes and jobs.  Every child the shell forks belongs to a job, even
 * command substitutions (hidden ones), so that waitpid(-1) can file any
 * status it collects.  With job control (an interactive shell on a tty)
 * each job gets its own process group and the terminal follows the
 * foreground job; ^Z stops it and hands the terminal back to the shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "shell.h"

enum { JOB_RUNNING, JOB_STOPPED, JOB_DONE };

struct procstat {
	pid_t pid;
	int status;
	int state;
};

struct job {
	int used;
	int nprocs, nalloc;
	struct procstat *ps;
	pid_t pgid;
	int state;
	int bg;				/* started with & (or bg'd) */
	int hidden;			/* command substitution: not listed */
	int changed;			/* state changed since reported */
	int jobctl;			/* has its own process group */
	int seq;			/* for %+ and %-: most recent first */
	char *cmd;
	struct termios tio;		/* terminal modes when it stopped */
	int havetio;
};

static struct job *jobtab;
static int njobs;
static int jobseq;
int jobctl;
int ttyfd = -1;
pid_t backgndpid;
static pid_t shellpgid;
static pid_t origpgrp;
static struct termios shelltio;		/* the terminal as the shell wants it */
static int haveshelltio;

struct job *
makejob(int nprocs)
{
	struct job *jp;
	int i;

	for (i = 0; i < njobs; i++)
		if (!jobtab[i].used)
			break;
	if (i == njobs) {
		jobtab = ckrealloc(jobtab, sizeof(*jobtab) * (size_t)(njobs + 4));
		memset(jobtab + njobs, 0, sizeof(*jobtab) * 4);
		njobs += 4;
	}
	jp = &jobtab[i];
	memset(jp, 0, sizeof(*jp));
	jp->used = 1;
	jp->nalloc = nprocs > 0 ? nprocs : 1;
	jp->ps = ckmalloc(sizeof(*jp->ps) * (size_t)jp->nalloc);
	jp->state = JOB_RUNNING;
	jp->seq = ++jobseq;
	return jp;
}

void
jobsetcmd(struct job *jp, const char *cmd)
{
	free(jp->cmd);
	jp->cmd = ckstrdup(cmd);
}

static void
freejob(struct job *jp)
{
	free(jp->ps);
	free(jp->cmd);
	memset(jp, 0, sizeof(*jp));
}

/* In a subshell the parent's jobs are not ours. */
void
clearjobs(void)
{
	for (int i = 0; i < njobs; i++)
		if (jobtab[i].used)
			freejob(&jobtab[i]);
}

static int
jobno(struct job *jp)
{
	return (int)(jp - jobtab) + 1;
}

pid_t
forkshell(struct job *jp, const struct node *n, int mode)
{
	pid_t pid;

	if (jp->cmd == NULL && n != NULL) {
		struct strbuf sb;

		sb_init(&sb);
		cmdtext(&sb, n);
		jp->cmd = ckstrdup(sb.s ? sb.s : "");
		sb_free(&sb);
	}
	if (mode == FORK_NOJOB)
		jp->hidden = 1;
	out_flush();
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		sh_error("cannot fork: %s", strerror(errno));
	if (pid == 0) {
		int wasjobctl = jobctl && mode != FORK_NOJOB;

		rootshell = 0;
		if (wasjobctl) {
			pid_t pg = jp->nprocs == 0 ? getpid() : jp->pgid;

			setpgid(0, pg);
			if (mode == FORK_FG)
				tcsetpgrp(ttyfd, pg);
			signal(SIGTSTP, SIG_DFL);
			signal(SIGTTIN, SIG_DFL);
			signal(SIGTTOU, SIG_DFL);
		} else if (mode == FORK_BG) {
			/* Without job control, keyboard signals must not reach it. */
			signal(SIGINT, SIG_IGN);
			signal(SIGQUIT, SIG_IGN);
			if (jp->nprocs == 0) {
				int fd = open("/dev/null", O_RDONLY);

				if (fd > 0) {
					dup2(fd, 0);
					close(fd);
				}
			}
		}
		jobctl = 0;
		if (ttyfd >= 0)
			close(ttyfd);
		ttyfd = -1;
		Iflag = 0;
		Mflag = 0;
		clearjobs();
		resettraps_child();
		return 0;
	}
	if (jobctl && mode != FORK_NOJOB) {
		pid_t pg = jp->nprocs == 0 ? pid : jp->pgid;

		setpgid(pid, pg);
		jp->jobctl = 1;
	}
	if (jp->nprocs == 0)
		jp->pgid = pid;
	if (jp->nprocs == jp->nalloc) {
		jp->nalloc *= 2;
		jp->ps = ckrealloc(jp->ps, sizeof(*jp->ps) * (size_t)jp->nalloc);
	}
	jp->ps[jp->nprocs].pid = pid;
	jp->ps[jp->nprocs].state = JOB_RUNNING;
	jp->ps[jp->nprocs].status = 0;
	jp->nprocs++;
	if (mode == FORK_BG) {
		jp->bg = 1;
		backgndpid = pid;
		if (Iflag && rootshell)
			fprintf(stderr, "[%d] %ld\n", jobno(jp), (long)pid);
	}
	return pid;
}

static void
updatestate(struct job *jp)
{
	int running = 0, stopped = 0, old = jp->state;

	for (int i = 0; i < jp->nprocs; i++) {
		if (jp->ps[i].state == JOB_RUNNING)
			running++;
		else if (jp->ps[i].state == JOB_STOPPED)
			stopped++;
	}
	jp->state = running ? JOB_RUNNING : stopped ? JOB_STOPPED : JOB_DONE;
	if (jp->state != old)
		jp->changed = 1;
}

/* Collect one child's status; block: wait for one.  -1 on EINTR. */
static int
dowait(int block)
{
	int status;
	pid_t pid;

	do {
		pid = waitpid(-1, &status, (block ? 0 : WNOHANG) |
		    (jobctl ? WUNTRACED : 0));
	} while (pid < 0 && errno == EINTR && !pendingsig);
	if (pid <= 0)
		return pid < 0 && errno == EINTR ? -1 : 0;
	for (int i = 0; i < njobs; i++) {
		struct job *jp = &jobtab[i];

		if (!jp->used)
			continue;
		for (int k = 0; k < jp->nprocs; k++) {
			if (jp->ps[k].pid != pid)
				continue;
			jp->ps[k].status = status;
			jp->ps[k].state = WIFSTOPPED(status) ? JOB_STOPPED : JOB_DONE;
			updatestate(jp);
			return pid;
		}
	}
	return pid;
}

void
reapjobs(void)
{
	while (dowait(0) > 0)
		;
}

static int
procstatus(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSTOPPED(status))
		return 128 + WSTOPSIG(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 0;
}

static int
jobstatus(struct job *jp)
{
	return procstatus(jp->ps[jp->nprocs - 1].status);
}

static const char *
statetext(struct job *jp, char *buf, size_t n)
{
	int st = jp->ps[jp->nprocs - 1].status;

	if (jp->state == JOB_RUNNING)
		return "Running";
	if (jp->state == JOB_STOPPED)
		return "Stopped";
	if (WIFSIGNALED(st)) {
		const char *s = strsignal(WTERMSIG(st));

		snprintf(buf, n, "%s%s", s ? s : "Signal", WCOREDUMP(st) ? " (core dumped)" : "");
		return buf;
	}
	if (WEXITSTATUS(st) != 0) {
		snprintf(buf, n, "Done(%d)", WEXITSTATUS(st));
		return buf;
	}
	return "Done";
}

static struct job *
currentjob(int which)		/* 0: %+, 1: %- */
{
	struct job *best = NULL, *second = NULL;

	for (int i = 0; i < njobs; i++) {
		struct job *jp = &jobtab[i];

		if (!jp->used || jp->hidden || !jp->bg)
			continue;
		/* A stopped job is preferred as the current one. */
		if (best == NULL || (jp->state == JOB_STOPPED) > (best->state == JOB_STOPPED) ||
		    ((jp->state == JOB_STOPPED) == (best->state == JOB_STOPPED) && jp->seq > best->seq)) {
			second = best;
			best = jp;
		} else if (second == NULL || jp->seq > second->seq) {
			second = jp;
		}
	}
	return which ? second : best;
}

/* One line of `jobs`, or a notice before the prompt. */
static void
printjob(FILE *fp, struct job *jp, int verbose)
{
	char buf[64];
	int mark = jp == currentjob(0) ? '+' : jp == currentjob(1) ? '-' : ' ';

	fprintf(fp, "[%d]%c ", jobno(jp), mark);
	if (verbose)
		fprintf(fp, "%ld ", (long)jp->pgid);
	fprintf(fp, "%-24s%s%s\n", statetext(jp, buf, sizeof(buf)), jp->cmd,
	    jp->state == JOB_RUNNING ? " &" : "");
}

/* `jobs`, and the notices before a prompt (changed_only, on stderr). */
void
showjobs(int changed_only, int verbose)
{
	reapjobs();
	out_flush();
	for (int i = 0; i < njobs; i++) {
		struct job *jp = &jobtab[i];

		if (!jp->used || jp->hidden || !jp->bg)
			continue;
		if (changed_only && !jp->changed)
			continue;
		printjob(changed_only ? stderr : stdout, jp, verbose);
		jp->changed = 0;
		if (jp->state == JOB_DONE)
			freejob(jp);
	}
}

static void
restoretty(struct job *jp)
{
	if (!jobctl || ttyfd < 0)
		return;
	if (jp && jp->state == JOB_STOPPED) {
		jp->havetio = tcgetattr(ttyfd, &jp->tio) == 0;
	}
	tcsetpgrp(ttyfd, shellpgid);
	if (!haveshelltio || jp == NULL)
		return;
	/*
	 * A job that stopped or was killed may have left the terminal raw:
	 * put back the shell's modes.  One that exited normally may have
	 * meant to change them (stty): keep what it set.
	 */
	if (jp->state == JOB_STOPPED || WIFSIGNALED(jp->ps[jp->nprocs - 1].status))
		tcsetattr(ttyfd, TCSADRAIN, &shelltio);
	else
		tcgetattr(ttyfd, &shelltio);
}

int
waitforjob(struct job *jp)
{
	int st;

	while (jp->state == JOB_RUNNING) {
		if (dowait(1) == 0 && jp->state == JOB_RUNNING)
			break;		/* ECHILD: nothing left to wait for */
	}
	if (jp->jobctl)
		restoretty(jp);
	st = jobstatus(jp);
	if (jp->state == JOB_STOPPED) {
		jp->bg = 1;
		jp->changed = 0;
		jp->seq = ++jobseq;
		fputc('\n', stderr);
		printjob(stderr, jp, 0);
		return st;
	}
	{
		int last = jp->ps[jp->nprocs - 1].status;

		if (WIFSIGNALED(last) && !jp->hidden) {
			int sig = WTERMSIG(last);

			if (sig == SIGINT) {
				if (Iflag && rootshell) {
					/* cmdloop ends the line and abandons the command. */
					freejob(jp);
					exitstatus = st;
					exraise(EXINT);
				}
			} else if (sig != SIGPIPE) {
				const char *s = strsignal(sig);

				fprintf(stderr, "%s%s\n", s ? s : "Signal",
				    WCOREDUMP(last) ? " (core dumped)" : "");
			}
		}
	}
	freejob(jp);
	return st;
}

/* For exit: are there stopped jobs the user may have forgotten? */
int
stoppedjobs(void)
{
	for (int i = 0; i < njobs; i++)
		if (jobtab[i].used && !jobtab[i].hidden && jobtab[i].state == JOB_STOPPED)
			return 1;
	return 0;
}

/* ---- job control on and off ---- */

void
setjobctl(int on)
{
	if (on == jobctl || !rootshell)
		return;
	if (on) {
		int fd = open("/dev/tty", O_RDWR);

		if (fd < 0 && isatty(2))
			fd = dup(2);
		if (fd < 0) {
			sh_warnx("can't access tty; job control turned off");
			Mflag = 0;
			return;
		}
		ttyfd = movefd_high(fd);
		for (int tries = 0;; tries++) {
			pid_t pg = tcgetpgrp(ttyfd);

			/*
			 * Wait (stopped by SIGTTIN) until we are in the
			 * foreground; a terminal that never says so, or has no
			 * foreground group yet, is not waited for forever.
			 */
			if (pg == 0 || pg == getpgrp())
				break;
			if (pg < 0 || tries == 50) {
				sh_warnx("can't access tty; job control turned off");
				close(ttyfd);
				ttyfd = -1;
				Mflag = 0;
				return;
			}
			kill(0, SIGTTIN);
		}
		origpgrp = getpgrp();
		signal(SIGTSTP, SIG_IGN);
		signal(SIGTTOU, SIG_IGN);
		signal(SIGTTIN, SIG_IGN);
		setpgid(0, 0);
		shellpgid = getpid();
		tcsetpgrp(ttyfd, shellpgid);
		haveshelltio = tcgetattr(ttyfd, &shelltio) == 0;
		jobctl = 1;
	} else {
		if (ttyfd >= 0) {
			tcsetpgrp(ttyfd, origpgrp);
			setpgid(0, origpgrp);
			close(ttyfd);
			ttyfd = -1;
		}
		signal(SIGTSTP, SIG_DFL);
		signal(SIGTTOU, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
		jobctl = 0;
	}
}

/* ---- builtins: jobs fg bg wait kill ---- */

static struct job *
getjob(const char *spec, int quiet)
{
	struct job *jp = NULL;

	if (spec == NULL || strcmp(spec, "%%") == 0 || strcmp(spec, "%+") == 0 ||
	    strcmp(spec, "%") == 0) {
		jp = currentjob(0);
	} else if (strcmp(spec, "%-") == 0) {
		jp = currentjob(1);
	} else if (spec[0] == '%' && spec[1] >= '0' && spec[1] <= '9') {
		int n = atoi(spec + 1);

		if (n >= 1 && n <= njobs && jobtab[n - 1].used && !jobtab[n - 1].hidden)
			jp = &jobtab[n - 1];
	} else if (spec[0] == '%') {
		int sub = spec[1] == '?';
		const char *s = spec + 1 + sub;

		for (int i = 0; i < njobs; i++) {
			struct job *j = &jobtab[i];

			if (!j->used || j->hidden)
				continue;
			if (sub ? strstr(j->cmd, s) != NULL : strncmp(j->cmd, s, strlen(s)) == 0) {
				jp = j;
				break;
			}
		}
	} else {
		pid_t pid = (pid_t)atol(spec);

		for (int i = 0; i < njobs && jp == NULL; i++) {
			struct job *j = &jobtab[i];

			for (int k = 0; j->used && k < j->nprocs; k++)
				if (j->ps[k].pid == pid)
					jp = j;
		}
	}
	if (jp == NULL && !quiet)
		sh_warnx("%s: no such job", spec ? spec : "%%");
	return jp;
}

int
jobscmd(int argc, char **argv)
{
	int verbose = 0, c;

	while ((c = getopt(argc, argv, "+lps")) != -1) {
		if (c == 'l')
			verbose = 1;
		else if (c == 'p') {
			reapjobs();
			for (int i = 0; i < njobs; i++)
				if (jobtab[i].used && !jobtab[i].hidden && jobtab[i].bg)
					printf("%ld\n", (long)jobtab[i].pgid);
			return 0;
		} else if (c != 's')
			return 2;
	}
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			struct job *jp = getjob(argv[i], 0);

			if (jp)
				printjob(stdout, jp, verbose);
		}
		return 0;
	}
	showjobs(0, verbose);
	return 0;
}

static void
continuejob(struct job *jp)
{
	for (int k = 0; k < jp->nprocs; k++)
		if (jp->ps[k].state == JOB_STOPPED)
			jp->ps[k].state = JOB_RUNNING;
	jp->state = JOB_RUNNING;
	jp->changed = 0;
	if (jp->jobctl)
		killpg(jp->pgid, SIGCONT);
	else
		for (int k = 0; k < jp->nprocs; k++)
			kill(jp->ps[k].pid, SIGCONT);
}

int
fgcmd(int argc, char **argv)
{
	struct job *jp;

	if (!jobctl) {
		sh_warnx("fg: No job control");
		return 2;
	}
	jp = getjob(argc > 1 ? argv[1] : NULL, 0);
	if (jp == NULL)
		return 2;
	printf("%s\n", jp->cmd);
	out_flush();
	if (jp->havetio)
		tcsetattr(ttyfd, TCSADRAIN, &jp->tio);
	tcsetpgrp(ttyfd, jp->pgid);
	jp->bg = 0;
	continuejob(jp);
	return waitforjob(jp);
}

int
bgcmd(int argc, char **argv)
{
	int status = 0;

	if (!jobctl) {
		sh_warnx("bg: No job control");
		return 2;
	}
	for (int i = 1; i < argc || i == 1; i++) {
		struct job *jp = getjob(argc > 1 ? argv[i] : NULL, 0);

		if (jp == NULL) {
			status = 2;
			if (argc <= 1)
				break;
			continue;
		}
		jp->bg = 1;
		continuejob(jp);
		printf("[%d] %s &\n", jobno(jp), jp->cmd);
		if (argc <= 1)
			break;
	}
	return status;
}

/* wait [pid|%job ...] */
int
waitcmd(int argc, char **argv)
{
	int status = 0;

	if (argc <= 1) {
		for (;;) {
			int running = 0;

			for (int i = 0; i < njobs; i++) {
				struct job *jp = &jobtab[i];

				if (jp->used && !jp->hidden && jp->state == JOB_RUNNING)
					running = 1;
			}
			if (!running)
				break;
			/* A trapped signal that came first also ends the wait. */
			if (pendingsig || (dowait(1) < 0 && pendingsig))
				return 128 + pendingsig_number();
		}
		/* Everything waited for is forgotten, unless still stopped. */
		for (int i = 0; i < njobs; i++)
			if (jobtab[i].used && !jobtab[i].hidden && jobtab[i].state == JOB_DONE &&
			    !(Iflag && jobtab[i].changed))
				freejob(&jobtab[i]);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		struct job *jp = getjob(argv[i], argv[i][0] != '%');

		if (jp == NULL) {
			status = 127;
			continue;
		}
		while (jp->state == JOB_RUNNING) {
			int r = pendingsig ? -1 : dowait(1);

			if (r < 0 && pendingsig)
				return 128 + pendingsig_number();
			if (r == 0)
				break;
		}
		if (argv[i][0] == '%')
			status = jobstatus(jp);
		else {
			pid_t pid = (pid_t)atol(argv[i]);

			status = 127;
			for (int k = 0; k < jp->nprocs; k++)
				if (jp->ps[k].pid == pid)
					status = procstatus(jp->ps[k].status);
		}
		if (jp->state == JOB_DONE)
			freejob(jp);
	}
	return status;
}

/* kill: a builtin so that %job works. */
int
killcmd(int argc, char **argv)
{
	int sig = SIGTERM, status = 0, i = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: kill [-s signal_name] pid ...\n       kill -l [exit_status]\n");
		return 2;
	}
	if (strcmp(argv[1], "-l") == 0) {
		if (argc > 2) {
			int n = atoi(argv[2]);
			const char *name = signum_to_name(n > 128 ? n - 128 : n);

			if (name == NULL) {
				sh_warnx("kill: unknown signal %s", argv[2]);
				return 1;
			}
			printf("%s\n", name);
			return 0;
		}
		for (int s = 1; s < 32; s++) {
			const char *name = signum_to_name(s);

			if (name)
				printf("%s%c", name, s % 8 == 0 || s == 31 ? '\n' : ' ');
		}
		return 0;
	}
	if (strcmp(argv[1], "-s") == 0 && argc > 2) {
		sig = signame_to_num(argv[2]);
		i = 3;
	} else if (argv[1][0] == '-' && argv[1][1] != '\0' && strcmp(argv[1], "--") != 0) {
		sig = signame_to_num(argv[1] + 1);
		i = 2;
	} else if (strcmp(argv[1], "--") == 0) {
		i = 2;
	}
	if (sig < 0) {
		sh_warnx("kill: unknown signal %s", argv[i - 1]);
		return 2;
	}
	for (; i < argc; i++) {
		if (argv[i][0] == '%') {
			struct job *jp = getjob(argv[i], 0);

			if (jp == NULL) {
				status = 1;
				continue;
			}
			if (jp->jobctl ? killpg(jp->pgid, sig) : kill(jp->ps[0].pid, sig)) {
				sh_warnx("kill: %s: %s", argv[i], strerror(errno));
				status = 1;
			} else if (sig == SIGKILL || sig == SIGTERM || sig == SIGHUP) {
				if (jp->state == JOB_STOPPED && jp->jobctl)
					killpg(jp->pgid, SIGCONT);
			}
		} else {
			char *end;
			long pid = strtol(argv[i], &end, 10);

			if (*argv[i] == '\0' || *end != '\0') {
				sh_warnx("kill: %s: illegal process id", argv[i]);
				status = 1;
				continue;
			}
			if (kill((pid_t)pid, sig) < 0) {
				sh_warnx("kill: %s: %s", argv[i], strerror(errno));
				status = 1;
			}
		}
	}
	return status;
}
