/*
 * top: display and update information about the top cpu processes.  A
 * full screen redrawn every few seconds (termios and ANSI escapes, like a
 * minimal curses), or plain text with -b.  The header is the kernel's own
 * accounting: kern.lastpid, vm.loadavg, kern.boottime, the process states
 * of kern.proc.all, kern.cp_time (as percentages of the last interval) and
 * the page counts of vm.stats.vm; then one line per process, ordered by
 * WCPU: the share of the CPU it used over the last interval (over its
 * lifetime on the first display).
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "libutil.h"
#include "sysctl.h"

static const char *cpustates[CPUSTATES] = { "user", "nice", "system", "interrupt", "idle" };

enum order { O_CPU, O_SIZE, O_RES, O_TIME, O_PID };
static const char *ordernames[] = { "cpu", "size", "res", "time", "pid", NULL };

struct pinfo {
	struct kinfo_proc	*kp;
	double			 wcpu;		/* percent */
	int64_t			 cpu_us;
};

struct prev {
	int	pid;
	int64_t	cpu_us;
	int64_t	start_us;
};

static int batch, interactive, maxshow = -1, screenrows = 24, screencols = 80;
static enum order order = O_CPU;
static double delay = 2;
static long pagesize;
static struct termios saved;
static int rawmode;

static struct prev *prevs;
static size_t nprev;
static long cp_old[CPUSTATES];
static double when_old;			/* seconds, CLOCK_MONOTONIC; 0 = first */

static void
usage(void)
{
	fprintf(stderr, "usage: top [-bin] [-d count] [-o field] [-s time] [number]\n");
	exit(1);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
restore(void)
{
	if (rawmode) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		rawmode = 0;
	}
}

static void
onsig(int sig)
{
	restore();
	if (interactive)
		printf("\033[%d;1H\n", screenrows);
	fflush(stdout);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
setraw(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &saved) == -1)
		return;
	t = saved;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) == 0)
		rawmode = 1;
}

static void
winsize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) {
		screenrows = ws.ws_row;
		screencols = ws.ws_col > 0 ? ws.ws_col : 80;
	}
}

/* "1234K", "56M": BSD top's format_k. */
static char *
fmtk(char *buf, size_t len, uint64_t kb)
{
	if (kb < 10000)
		snprintf(buf, len, "%lluK", (unsigned long long)kb);
	else if (kb < 10000 * 1024ULL)
		snprintf(buf, len, "%lluM", (unsigned long long)(kb / 1024));
	else
		snprintf(buf, len, "%lluG", (unsigned long long)(kb / (1024 * 1024)));
	return (buf);
}

static const struct prev *
findprev(int pid)
{
	size_t lo = 0, hi = nprev;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (prevs[mid].pid == pid)
			return (&prevs[mid]);
		if (prevs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (NULL);
}

static int
compare(const void *a, const void *b)
{
	const struct pinfo *x = a, *y = b;
	int64_t d = 0;

	switch (order) {
	case O_CPU:
		if (x->wcpu != y->wcpu)
			return (x->wcpu < y->wcpu ? 1 : -1);
		d = y->cpu_us - x->cpu_us;
		break;
	case O_SIZE:
		d = (int64_t)(y->kp->kp_vsize - x->kp->kp_vsize);
		break;
	case O_RES:
		d = (int64_t)(y->kp->kp_rss - x->kp->kp_rss);
		break;
	case O_TIME:
		d = y->cpu_us - x->cpu_us;
		break;
	case O_PID:
		break;
	}
	if (d != 0)
		return (d > 0 ? 1 : -1);
	return (x->kp->kp_pid - y->kp->kp_pid);
}

static const char *
statename(const struct kinfo_proc *kp, char *buf, size_t len)
{
	switch (kp->kp_stat) {
	case SRUN:
		return ("RUN");
	case SSLEEP:
		snprintf(buf, len, "%.8s", kp->kp_wmesg[0] ? kp->kp_wmesg : "SLEEP");
		return (buf);
	case SSTOP:
		return ("STOP");
	case SZOMB:
		return ("ZOMB");
	case SIDL:
		return ("START");
	}
	return ("?");
}

static void
header(int nproc, struct kinfo_proc *kp, size_t n, double dt_cp)
{
	struct { int64_t sec, usec; } bt;
	struct loadavg la;
	long cp[CPUSTATES], d[CPUSTATES], total = 0;
	int states[SZOMB + 1] = { 0 }, i, lastpid;
	size_t j;
	time_t t = time(NULL);
	long up;
	char tb[16], b1[16], b2[16], b3[16];

	(void)dt_cp;
	lastpid = 0;
	{
		size_t len = sizeof(lastpid);

		if (sysctlbyname("kern.lastpid", &lastpid, &len, NULL, 0) == -1)
			err(1, "sysctl kern.lastpid");
	}
	sysctl_get("vm.loadavg", &la, sizeof(la));
	sysctl_get("kern.boottime", &bt, sizeof(bt));
	up = (long)(t - bt.sec);
	if (up < 0)
		up = 0;
	strftime(tb, sizeof(tb), "%H:%M:%S", localtime(&t));
	printf("last pid: %5d;  load averages: %5.2f, %5.2f, %5.2f  up %ld+%02ld:%02ld:%02ld    %s\n",
	    lastpid, (double)la.ldavg[0] / la.fscale, (double)la.ldavg[1] / la.fscale,
	    (double)la.ldavg[2] / la.fscale, up / 86400, up / 3600 % 24,
	    up / 60 % 60, up % 60, tb);

	for (j = 0; j < n; j++)
		if (kp[j].kp_stat >= 0 && kp[j].kp_stat <= SZOMB)
			states[kp[j].kp_stat]++;
	printf("%d processes: %d running, %d sleeping", nproc, states[SRUN],
	    states[SSLEEP]);
	if (states[SSTOP])
		printf(", %d stopped", states[SSTOP]);
	if (states[SZOMB])
		printf(", %d zombie", states[SZOMB]);
	if (states[SIDL])
		printf(", %d starting", states[SIDL]);
	printf("\n");

	sysctl_get("kern.cp_time", cp, sizeof(cp));
	for (i = 0; i < CPUSTATES; i++) {
		d[i] = cp[i] - cp_old[i];
		total += d[i];
		cp_old[i] = cp[i];
	}
	if (total == 0)
		total = 1;
	printf("CPU:");
	for (i = 0; i < CPUSTATES; i++)
		printf("%s %4.1f%% %s", i ? "," : "", 100.0 * d[i] / total, cpustates[i]);
	printf("\n");

	printf("Mem: %s Active, %s Wired, %s Free\n",
	    fmtk(b1, sizeof(b1), (uint64_t)sysctl_getuint("vm.stats.vm.v_active_count") * pagesize / 1024),
	    fmtk(b2, sizeof(b2), (uint64_t)sysctl_getuint("vm.stats.vm.v_wire_count") * pagesize / 1024),
	    fmtk(b3, sizeof(b3), (uint64_t)sysctl_getuint("vm.stats.vm.v_free_count") * pagesize / 1024));
}

/* One display: the header, then the processes by the chosen order. */
static void
display(void)
{
	struct kinfo_proc *kp;
	struct pinfo *pi;
	struct prev *np;
	size_t n, i;
	double t = now(), dt = when_old > 0 ? t - when_old : 0;
	int64_t wall_us = 0;
	struct timespec rt;
	int shown, avail;
	char sb[16], rb[16], st[16], tb[32];

	kp = kinfo_getallproc(&n);
	if ((pi = calloc(n + 1, sizeof(*pi))) == NULL ||
	    (np = calloc(n + 1, sizeof(*np))) == NULL)
		err(1, NULL);
	clock_gettime(CLOCK_REALTIME, &rt);
	wall_us = (int64_t)rt.tv_sec * 1000000 + rt.tv_nsec / 1000;
	for (i = 0; i < n; i++) {
		const struct prev *p = findprev(kp[i].kp_pid);
		int64_t cpu = kp[i].kp_utime_us + kp[i].kp_stime_us;
		double w;

		pi[i].kp = &kp[i];
		pi[i].cpu_us = cpu;
		if (p != NULL && p->start_us == kp[i].kp_start_us && dt > 0)
			w = (cpu - p->cpu_us) / (dt * 1e6);
		else if (wall_us > kp[i].kp_start_us)
			w = (double)cpu / (wall_us - kp[i].kp_start_us);
		else
			w = 0;
		pi[i].wcpu = w < 0 ? 0 : w > 1 ? 100 : w * 100;
		np[i].pid = kp[i].kp_pid;
		np[i].cpu_us = cpu;
		np[i].start_us = kp[i].kp_start_us;
	}
	/* kern.proc.all is sorted by pid: findprev's binary search relies on it. */
	free(prevs);
	prevs = np;
	nprev = n;
	when_old = t;
	qsort(pi, n, sizeof(*pi), compare);

	if (interactive)
		printf("\033[H\033[J");
	header((int)n, kp, n, dt);
	printf("\n");
	printf("  PID USERNAME    PRI NICE   SIZE    RES STATE    C   TIME    WCPU COMMAND\n");
	avail = interactive ? screenrows - 7 : INT_MAX;
	if (maxshow >= 0 && maxshow < avail)
		avail = maxshow;
	for (i = 0, shown = 0; i < n && shown < avail; i++, shown++) {
		const struct kinfo_proc *k = pi[i].kp;
		int64_t secs = pi[i].cpu_us / 1000000;

		snprintf(tb, sizeof(tb), "%3lld:%02lld", (long long)(secs / 60),
		    (long long)(secs % 60));
		printf("%5d %-10.10s %4d %4d %6s %6s %-8.8s %1d %7s %6.2f%% %.*s\n",
		    k->kp_pid, user_from_uid(k->kp_ruid, 0), 20 + k->kp_nice,
		    k->kp_nice,
		    fmtk(sb, sizeof(sb), k->kp_vsize / 1024),
		    fmtk(rb, sizeof(rb), k->kp_rss * pagesize / 1024),
		    statename(k, st, sizeof(st)), 0, tb, pi[i].wcpu,
		    interactive ? (screencols > 72 ? screencols - 72 : 1) : 32,
		    k->kp_comm);
	}
	fflush(stdout);
	free(pi);
	free(kp);
}

/* Read a line at the bottom of the screen (s, k). */
static int
prompt(const char *what, char *buf, size_t len)
{
	size_t n = 0;
	char c;

	printf("\033[%d;1H\033[K%s", screenrows > 6 ? 6 : screenrows, what);
	fflush(stdout);
	while (read(STDIN_FILENO, &c, 1) == 1) {
		if (c == '\n' || c == '\r') {
			buf[n] = '\0';
			return (n > 0);
		}
		if ((c == 0x7f || c == '\b') && n > 0) {
			n--;
			printf("\b \b");
		} else if (c == 0x1b || c == 0x07)
			return (0);
		else if (isprint((unsigned char)c) && n + 1 < len) {
			buf[n++] = c;
			putchar(c);
		}
		fflush(stdout);
	}
	return (0);
}

static void
message(const char *fmt, const char *arg)
{
	printf("\033[%d;1H\033[K", screenrows > 6 ? 6 : screenrows);
	printf(fmt, arg);
	fflush(stdout);
	sleep(1);
}

/* Wait up to delay seconds for a key; true to quit. */
static int
keys(void)
{
	struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
	double end = now() + delay;
	char c, buf[32];
	const char *errstr;
	int i, r;

	for (;;) {
		double left = end - now();

		if (left <= 0)
			return (0);
		r = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (r == -1 && errno == EINTR) {
			winsize();
			continue;
		}
		if (r <= 0)
			return (0);
		if (read(STDIN_FILENO, &c, 1) != 1)
			return (1);
		switch (c) {
		case 'q':
			return (1);
		case ' ':
		case '\f':
			return (0);
		case 's':
			if (prompt("Seconds to delay: ", buf, sizeof(buf))) {
				double v = strtod(buf, NULL);

				if (v > 0 && v < 86400)
					delay = v;
				else
					message("Bad delay: %s", buf);
			}
			return (0);
		case 'o':
			if (prompt("Order to sort: ", buf, sizeof(buf))) {
				for (i = 0; ordernames[i] != NULL; i++)
					if (strcmp(buf, ordernames[i]) == 0)
						break;
				if (ordernames[i] != NULL)
					order = (enum order)i;
				else
					message("%s: unrecognized sorting order", buf);
			}
			return (0);
		case 'k':
			if (prompt("kill ", buf, sizeof(buf))) {
				int sig = SIGTERM;
				char *p = buf;
				long pid;

				if (*p == '-') {
					sig = (int)strtonum(p + 1, 1, 64, &errstr);
					if (errstr != NULL) {
						message("bad signal: %s", p);
						return (0);
					}
					p += strcspn(p, " ");
					p += strspn(p, " ");
				}
				pid = (long)strtonum(p, 1, INT_MAX, &errstr);
				if (errstr != NULL)
					message("bad pid: %s", p);
				else if (kill((pid_t)pid, sig) == -1)
					message("kill: %s", strerror(errno));
			}
			return (0);
		default:
			break;
		}
	}
}

int
main(int argc, char *argv[])
{
	const char *errstr;
	long count = -1, n;
	int ch, i, iflag = 0;

	while ((ch = getopt(argc, argv, "+bd:inos:")) != -1)
		switch (ch) {
		case 'b':
		case 'n':
			batch = 1;
			break;
		case 'd':
			count = (long)strtonum(optarg, 1, INT_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "-d %s: %s", optarg, errstr);
			break;
		case 'i':
			iflag = 1;
			break;
		case 'o':
			for (i = 0; ordernames[i] != NULL; i++)
				if (strcmp(optarg, ordernames[i]) == 0)
					break;
			if (ordernames[i] == NULL)
				errx(1, "%s: unrecognized sorting order", optarg);
			order = (enum order)i;
			break;
		case 's':
			delay = strtod(optarg, NULL);
			if (delay <= 0 || delay >= 86400)
				errx(1, "-s %s: bad delay", optarg);
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage();
	if (argc == 1) {
		maxshow = (int)strtonum(argv[0], 0, INT_MAX, &errstr);
		if (errstr != NULL)
			errx(1, "%s: %s", argv[0], errstr);
	}
	pagesize = sysconf(_SC_PAGESIZE);
	/* Not a terminal: one plain display, as BSD top does for a pipe. */
	interactive = !batch && (iflag || (isatty(STDOUT_FILENO) && isatty(STDIN_FILENO)));
	if (!interactive && count < 0)
		count = 1;
	if (interactive) {
		winsize();
		setraw();
		signal(SIGINT, onsig);
		signal(SIGTERM, onsig);
		signal(SIGHUP, onsig);
		atexit(restore);
	}
	for (n = 1;; n++) {
		display();
		if (count > 0 && n >= count)
			break;
		if (interactive) {
			if (keys())
				break;
		} else {
			printf("\n");
			usleep((useconds_t)(delay * 1e6));
		}
	}
	if (interactive)
		printf("\033[%d;1H\n", screenrows);
	exit(0);
}
