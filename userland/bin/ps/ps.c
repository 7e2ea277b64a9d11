/*
 * ps: process status.  The process table comes from the kern.proc.all
 * sysctl (an array of struct kinfo_proc), each command line from
 * kern.proc.args.<pid>.  Formats are BSD's: the default (PID TT STAT TIME
 * COMMAND), -u (user), -l (long), -j (jobs), -o keywords; the BSD habit
 * "ps aux" (options without a dash) works too.
 */
#include <sys/ioctl.h>

#include <err.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libutil.h"
#include "sysctl.h"

struct kinfo {
	struct kinfo_proc *kp;
	char	*args;		/* the command line, spaces between words */
	double	 pcpu;
};

struct var;
typedef void (*printfn)(const struct kinfo *, const struct var *, int);

struct var {
	const char *name;	/* keyword */
	const char *alias;	/* another keyword for it */
	const char *header;
	int	 width;
	int	 left;		/* left-justified */
	printfn	 print;
};

struct column {
	const struct var *v;
	const char *header;
	int	 width;
};

static long	pagesize = 4096;
static unsigned long physmem;
static int64_t	now_us;
static int	termwidth;
static int	cflag, hdr, wflag;

static FILE	*out;		/* where the column printers write */
static struct column *cols;
static int	ncols;

static void
usage(void)
{
	fprintf(stderr, "%s\n%s\n",
	    "usage: ps [-acehjlrSuwx] [-O|o fmt] [-p pid] [-t tty] [-U user]",
	    "       ps -L");
	exit(1);
}

/* The tty name as ps shows it: "co" for the console, "p0" for ttyp0. */
static const char *
ttyabbr(const struct kinfo_proc *kp)
{
	static char buf[16];

	if (kp->kp_ttyname[0] == '\0' || !(kp->kp_flags & KPF_CONTROLT))
		return ("??");
	if (strcmp(kp->kp_ttyname, "console") == 0)
		return ("co");
	if (strncmp(kp->kp_ttyname, "tty", 3) == 0 && kp->kp_ttyname[3] != '\0') {
		strlcpy(buf, kp->kp_ttyname + 3, sizeof(buf));
		return (buf);
	}
	strlcpy(buf, kp->kp_ttyname, sizeof(buf));
	return (buf);
}

static void
pstr(const struct var *v, int width, const char *s)
{
	if (v->left)
		fprintf(out, "%-*s", width, s);
	else
		fprintf(out, "%*s", width, s);
}

static void
pnum(const struct var *v, int width, long long n)
{
	if (v->left)
		fprintf(out, "%-*lld", width, n);
	else
		fprintf(out, "%*lld", width, n);
}

static void p_pid(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_pid); }
static void p_ppid(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_ppid); }
static void p_pgid(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_pgid); }
static void p_sid(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_sid); }
static void p_tpgid(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_tpgid); }
static void p_uid(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_uid); }
static void p_ruid(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_ruid); }
static void p_svuid(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_svuid); }
static void p_gid(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_gid); }
static void p_rgid(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_rgid); }
static void p_nice(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_nice); }
static void p_pri(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, 20 + k->kp->kp_nice); }
static void p_nlwp(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_nthreads); }
static void p_tid(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, k->kp->kp_tid); }
static void p_vsz(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, (long long)(k->kp->kp_vsize / 1024)); }
static void p_rss(const struct kinfo *k, const struct var *v, int w) { pnum(v, w, (long long)(k->kp->kp_rss * pagesize / 1024)); }
static void p_tt(const struct kinfo *k, const struct var *v, int w) { pstr(v, w, ttyabbr(k->kp)); }
static void p_comm(const struct kinfo *k, const struct var *v, int w) { pstr(v, w, k->kp->kp_comm); }

static void
p_tty(const struct kinfo *k, const struct var *v, int w)
{
	const struct kinfo_proc *kp = k->kp;

	if (kp->kp_ttyname[0] == '\0' || !(kp->kp_flags & KPF_CONTROLT))
		pstr(v, w, "??");
	else
		pstr(v, w, kp->kp_ttyname);
}

static void
p_user(const struct kinfo *k, const struct var *v, int w)
{
	pstr(v, w, user_from_uid(k->kp->kp_uid, 0));
}

static void
p_ruser(const struct kinfo *k, const struct var *v, int w)
{
	pstr(v, w, user_from_uid(k->kp->kp_ruid, 0));
}

static void
p_state(const struct kinfo *k, const struct var *v, int w)
{
	const struct kinfo_proc *kp = k->kp;
	char buf[16], *cp = buf;

	switch (kp->kp_stat) {
	case SIDL: *cp = 'I'; break;
	case SRUN: *cp = 'R'; break;
	case SSLEEP: *cp = 'S'; break;
	case SSTOP: *cp = 'T'; break;
	case SZOMB: *cp = 'Z'; break;
	default: *cp = '?'; break;
	}
	cp++;
	if (kp->kp_nice < 0)
		*cp++ = '<';
	else if (kp->kp_nice > 0)
		*cp++ = 'N';
	if (kp->kp_flags & KPF_EXITING)
		*cp++ = 'E';
	if (kp->kp_flags & KPF_PPWAIT)
		*cp++ = 'V';
	if (kp->kp_flags & KPF_SESSLEADER)
		*cp++ = 's';
	if ((kp->kp_flags & KPF_CONTROLT) && kp->kp_tpgid != -1 &&
	    kp->kp_pgid == kp->kp_tpgid)
		*cp++ = '+';
	*cp = '\0';
	pstr(v, w, buf);
}

static void
p_wchan(const struct kinfo *k, const struct var *v, int w)
{
	pstr(v, w, k->kp->kp_wmesg[0] != '\0' ? k->kp->kp_wmesg : "-");
}

static void
fmtcputime(char *buf, size_t sz, int64_t us)
{
	long secs = (long)(us / 1000000), cs = (long)(us % 1000000 / 10000);

	snprintf(buf, sz, "%ld:%02ld.%02ld", secs / 60, secs % 60, cs);
}

static void
p_time(const struct kinfo *k, const struct var *v, int w)
{
	char buf[32];

	fmtcputime(buf, sizeof(buf), k->kp->kp_utime_us + k->kp->kp_stime_us);
	pstr(v, w, buf);
}

static void
p_utime(const struct kinfo *k, const struct var *v, int w)
{
	char buf[32];

	fmtcputime(buf, sizeof(buf), k->kp->kp_utime_us);
	pstr(v, w, buf);
}

static void
p_stime(const struct kinfo *k, const struct var *v, int w)
{
	char buf[32];

	fmtcputime(buf, sizeof(buf), k->kp->kp_stime_us);
	pstr(v, w, buf);
}

static void
p_pcpu(const struct kinfo *k, const struct var *v, int w)
{
	fprintf(out, v->left ? "%-*.1f" : "%*.1f", w, k->pcpu);
}

static void
p_pmem(const struct kinfo *k, const struct var *v, int w)
{
	double pct = 0;

	if (physmem > 0)
		pct = 100.0 * (double)(k->kp->kp_rss * pagesize) / physmem;
	fprintf(out, v->left ? "%-*.1f" : "%*.1f", w, pct);
}

static void
p_started(const struct kinfo *k, const struct var *v, int w)
{
	time_t t = (time_t)(k->kp->kp_start_us / 1000000), n = now_us / 1000000;
	struct tm *tm = localtime(&t);
	char buf[32];

	if (tm == NULL)
		strlcpy(buf, "-", sizeof(buf));
	else if (n - t < 24 * 3600)
		strftime(buf, sizeof(buf), "%l:%M%p", tm);
	else if (n - t < 7 * 24 * 3600)
		strftime(buf, sizeof(buf), "%a%I%p", tm);
	else
		strftime(buf, sizeof(buf), "%e%b%y", tm);
	pstr(v, w, buf);
}

static void
p_lstart(const struct kinfo *k, const struct var *v, int w)
{
	time_t t = (time_t)(k->kp->kp_start_us / 1000000);
	char buf[64];
	struct tm *tm = localtime(&t);

	if (tm == NULL || strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", tm) == 0)
		strlcpy(buf, "-", sizeof(buf));
	pstr(v, w, buf);
}

static void
p_etime(const struct kinfo *k, const struct var *v, int w)
{
	long secs = (long)((now_us - k->kp->kp_start_us) / 1000000);
	char buf[32];

	if (secs < 0)
		secs = 0;
	if (secs >= 86400)
		snprintf(buf, sizeof(buf), "%ld-%02ld:%02ld:%02ld", secs / 86400,
		    secs / 3600 % 24, secs / 60 % 60, secs % 60);
	else if (secs >= 3600)
		snprintf(buf, sizeof(buf), "%02ld:%02ld:%02ld", secs / 3600,
		    secs / 60 % 60, secs % 60);
	else
		snprintf(buf, sizeof(buf), "%02ld:%02ld", secs / 60, secs % 60);
	pstr(v, w, buf);
}

static void
p_command(const struct kinfo *k, const struct var *v, int w)
{
	const char *s;
	char buf[64];

	if (k->kp->kp_stat == SZOMB) {
		s = "<defunct>";
	} else if (cflag || k->args == NULL || k->args[0] == '\0') {
		if (cflag || k->args == NULL) {
			s = k->kp->kp_comm;
		} else {
			snprintf(buf, sizeof(buf), "(%s)", k->kp->kp_comm);
			s = buf;
		}
	} else
		s = k->args;
	/* The last column: no padding, cut at the terminal's width. */
	if (w > 0)
		fprintf(out, "%-*.*s", w, w, s);
	else
		fprintf(out, "%s", s);
	(void)v;
}

static const struct var vars[] = {
	{ "%cpu", "pcpu", "%CPU", 4, 0, p_pcpu },
	{ "%mem", "pmem", "%MEM", 4, 0, p_pmem },
	{ "args", NULL, "COMMAND", 16, 1, p_command },
	{ "command", NULL, "COMMAND", 16, 1, p_command },
	{ "comm", "ucomm", "COMMAND", 16, 1, p_comm },
	{ "cputime", NULL, "TIME", 9, 0, p_time },
	{ "etime", NULL, "ELAPSED", 12, 0, p_etime },
	{ "gid", NULL, "GID", 5, 0, p_gid },
	{ "lstart", NULL, "STARTED", 28, 1, p_lstart },
	{ "mwchan", NULL, "MWCHAN", 6, 1, p_wchan },
	{ "nice", "ni", "NI", 3, 0, p_nice },
	{ "nlwp", NULL, "NLWP", 4, 0, p_nlwp },
	{ "pgid", NULL, "PGID", 5, 0, p_pgid },
	{ "pid", NULL, "PID", 5, 0, p_pid },
	{ "ppid", NULL, "PPID", 5, 0, p_ppid },
	{ "pri", NULL, "PRI", 3, 0, p_pri },
	{ "rgid", NULL, "RGID", 5, 0, p_rgid },
	{ "rss", NULL, "RSS", 5, 0, p_rss },
	{ "ruid", NULL, "RUID", 5, 0, p_ruid },
	{ "ruser", NULL, "RUSER", 8, 1, p_ruser },
	{ "sess", "sid", "SID", 5, 0, p_sid },
	{ "start", "started", "STARTED", 7, 1, p_started },
	{ "stat", "state", "STAT", 4, 1, p_state },
	{ "stime", NULL, "STIME", 9, 0, p_stime },
	{ "svuid", NULL, "SVUID", 5, 0, p_svuid },
	{ "tid", "lwp", "TID", 5, 0, p_tid },
	{ "time", NULL, "TIME", 9, 0, p_time },
	{ "tpgid", NULL, "TPGID", 5, 0, p_tpgid },
	{ "tt", NULL, "TT", 3, 1, p_tt },
	{ "tty", NULL, "TTY", 8, 1, p_tty },
	{ "uid", NULL, "UID", 5, 0, p_uid },
	{ "user", NULL, "USER", 8, 1, p_user },
	{ "utime", NULL, "UTIME", 9, 0, p_utime },
	{ "vsz", "vsize", "VSZ", 6, 0, p_vsz },
	{ "wchan", NULL, "WCHAN", 6, 1, p_wchan },
	{ NULL, NULL, NULL, 0, 0, NULL },
};

static const char dfmt[] = "pid,tt,stat,time,command";
static const char jfmt[] = "user,pid,ppid,pgid,sid,stat,tt,time,command";
static const char lfmt[] =
    "uid,pid,ppid,%cpu,pri,nice,vsz,rss,mwchan,stat,tt,time,command";
static const char ufmt[] =
    "user,pid,%cpu,%mem,vsz,rss,tt,stat,start,time,command";

static void
listvars(void)
{
	const struct var *v;
	int n = 0;

	for (v = vars; v->name != NULL; v++) {
		n += printf("%s%s", n > 0 ? " " : "", v->name);
		if (v->alias != NULL)
			n += printf(" %s", v->alias);
		if (n > 60) {
			putchar('\n');
			n = 0;
		}
	}
	if (n > 0)
		putchar('\n');
}

/* Add the keywords of a format: "pid,tt" or "pid tt" or "pid=ID". */
static void
parsefmt(const char *fmt)
{
	char *s, *p, *kw, *h;
	const struct var *v;

	if ((s = strdup(fmt)) == NULL)
		err(1, NULL);
	p = s;
	while ((kw = strsep(&p, ", \t")) != NULL) {
		if (*kw == '\0')
			continue;
		h = NULL;
		if ((h = strchr(kw, '=')) != NULL) {
			*h++ = '\0';
			/* "args=A B" takes the rest as its header. */
			if (p != NULL) {
				h = strdup(h);
				if (h == NULL)
					err(1, NULL);
			}
		}
		for (v = vars; v->name != NULL; v++)
			if (strcmp(v->name, kw) == 0 ||
			    (v->alias != NULL && strcmp(v->alias, kw) == 0))
				break;
		if (v->name == NULL)
			errx(1, "%s: keyword not found", kw);
		cols = reallocarray(cols, ncols + 1, sizeof(*cols));
		if (cols == NULL)
			err(1, NULL);
		cols[ncols].v = v;
		cols[ncols].header = h != NULL ? h : v->header;
		cols[ncols].width = (int)strlen(cols[ncols].header);
		if (cols[ncols].width < v->width)
			cols[ncols].width = v->width;
		ncols++;
	}
}

static char *
procargs(int pid)
{
	int mib[4] = { CTL_KERN, KERN_PROC, KERN_PROC_ARGS, pid };
	size_t len = 0, i;
	char *buf;

	if (sysctl(mib, 4, NULL, &len, NULL, 0) == -1)
		return (NULL);
	if ((buf = malloc(len + 1)) == NULL)
		err(1, NULL);
	if (sysctl(mib, 4, buf, &len, NULL, 0) == -1) {
		free(buf);
		return (NULL);
	}
	/* argv's NULs become spaces; the last one ends the string. */
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	for (i = 0; i < len; i++)
		if (buf[i] == '\0' || buf[i] == '\n' || buf[i] == '\t')
			buf[i] = ' ';
	buf[len] = '\0';
	return (buf);
}

static int
getuidof(const char *name)
{
	struct passwd *pw;
	const char *errstr;
	uid_t uid;

	if ((pw = getpwnam(name)) != NULL)
		return ((int)pw->pw_uid);
	uid = (uid_t)strtonum(name, 0, UINT32_MAX - 1, &errstr);
	if (errstr != NULL)
		errx(1, "%s: no such user", name);
	return ((int)uid);
}

int
main(int argc, char *argv[])
{
	struct kinfo_proc *kp;
	struct kinfo *kinfo;
	struct winsize ws;
	struct timespec ts;
	size_t nproc, i, len;
	char *cp, *ttyarg = NULL, *myttyname = NULL;
	int ch, all = 0, xflag = 0, uflag = 0, lflag = 0, jflag = 0, fmt = 0;
	int pidarg = -1, uidarg = -1, j, nshown, needargs, pgsz;
	const char *mytty = NULL, *errstr;
	char ttybuf[32];

	if ((cp = getenv("COLUMNS")) != NULL && *cp != '\0')
		termwidth = atoi(cp);
	else if ((ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == -1 &&
	    ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == -1 &&
	    ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == -1) || ws.ws_col == 0)
		termwidth = 79;
	else
		termwidth = ws.ws_col - 1;

	/* "ps aux": BSD's options without a dash. */
	if (argc > 1 && argv[1][0] != '-') {
		len = strlen(argv[1]) + 2;
		if ((cp = malloc(len)) == NULL)
			err(1, NULL);
		snprintf(cp, len, "-%s", argv[1]);
		argv[1] = cp;
	}

	while ((ch = getopt(argc, argv, "+acehjLlmO:o:p:rSt:U:uvwx")) != -1) {
		switch (ch) {
		case 'a': all = 1; break;
		case 'c': cflag = 1; break;
		case 'e': break;		/* environment: not shown */
		case 'h': break;		/* headers repeat per page: one page here */
		case 'j': jflag = 1; break;
		case 'L': listvars(); return (0);
		case 'l': lflag = 1; break;
		case 'm': case 'r': case 'S': case 'v': break;
		case 'O':
			parsefmt("pid");
			parsefmt(optarg);
			parsefmt("tt,stat,time,command");
			fmt = 1;
			break;
		case 'o':
			parsefmt(optarg);
			fmt = 1;
			break;
		case 'p':
			pidarg = (int)strtonum(optarg, 0, INT32_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "%s: illegal process id", optarg);
			xflag = all = 1;
			break;
		case 't':
			ttyarg = optarg;
			xflag = all = 1;
			break;
		case 'U':
			uidarg = getuidof(optarg);
			xflag = 1;
			break;
		case 'u': uflag = 1; break;
		case 'w':
			if (wflag)
				termwidth = 0;
			else if (termwidth < 131)
				termwidth = 131;
			wflag++;
			break;
		case 'x': xflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	/* A trailing pid operand, as BSD allows ("ps 1"). */
	if (argc > 0 && pidarg == -1) {
		pidarg = (int)strtonum(argv[0], 0, INT32_MAX, &errstr);
		if (errstr != NULL)
			usage();
		xflag = all = 1;
		argc--;
	}
	if (argc > 0)
		usage();

	if (!fmt) {
		if (uflag)
			parsefmt(ufmt);
		else if (lflag)
			parsefmt(lfmt);
		else if (jflag)
			parsefmt(jfmt);
		else
			parsefmt(dfmt);
	}

	/* "-o pid=,comm=": no header line, as in BSD. */
	for (hdr = 0, j = 0; j < ncols; j++)
		if (cols[j].header[0] != '\0')
			hdr = 1;

	len = sizeof(pgsz);
	if (sysctlbyname("hw.pagesize", &pgsz, &len, NULL, 0) == 0)
		pagesize = pgsz;
	len = sizeof(physmem);
	if (sysctlbyname("hw.physmem", &physmem, &len, NULL, 0) == -1)
		physmem = 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	now_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;

	/* Our own tty, for the default selection. */
	if ((myttyname = ttyname(STDIN_FILENO)) == NULL)
		myttyname = ttyname(STDOUT_FILENO);
	if (myttyname == NULL)
		myttyname = ttyname(STDERR_FILENO);
	if (myttyname != NULL && strncmp(myttyname, "/dev/", 5) == 0)
		mytty = myttyname + 5;
	if (ttyarg != NULL) {
		if (strcmp(ttyarg, "co") == 0)
			ttyarg = "console";
		else if (strncmp(ttyarg, "/dev/", 5) == 0)
			ttyarg += 5;
		else if (strncmp(ttyarg, "tty", 3) != 0 &&
		    strcmp(ttyarg, "console") != 0) {
			snprintf(ttybuf, sizeof(ttybuf), "tty%s", ttyarg);
			ttyarg = ttybuf;
		}
	}

	kp = kinfo_getallproc(&nproc);
	if ((kinfo = calloc(nproc ? nproc : 1, sizeof(*kinfo))) == NULL)
		err(1, NULL);
	needargs = 0;
	for (j = 0; j < ncols; j++)
		if (cols[j].v->print == p_command)
			needargs = 1;

	nshown = 0;
	for (i = 0; i < nproc; i++) {
		struct kinfo_proc *p = &kp[i];
		int hastty = (p->kp_flags & KPF_CONTROLT) && p->kp_ttyname[0];
		int64_t el;

		if (pidarg != -1 && p->kp_pid != pidarg)
			continue;
		if (ttyarg != NULL && (!hastty || strcmp(p->kp_ttyname, ttyarg) != 0))
			continue;
		if (uidarg != -1 && p->kp_uid != (uint32_t)uidarg)
			continue;
		if (pidarg == -1 && ttyarg == NULL && uidarg == -1) {
			if (!xflag && !hastty)
				continue;
			if (!all && p->kp_uid != geteuid())
				continue;
			/* Without -a or -x, BSD shows only this terminal's. */
			if (!all && !xflag && mytty != NULL &&
			    strcmp(p->kp_ttyname, mytty) != 0)
				continue;
		}
		kinfo[nshown].kp = p;
		kinfo[nshown].args = needargs && p->kp_stat != SZOMB ?
		    procargs(p->kp_pid) : NULL;
		el = now_us - p->kp_start_us;
		kinfo[nshown].pcpu = el > 0 ? 100.0 *
		    (double)(p->kp_utime_us + p->kp_stime_us) / (double)el : 0;
		if (kinfo[nshown].pcpu > 100.0)
			kinfo[nshown].pcpu = 100.0;
		nshown++;
	}

	/* Header, then a line per process, cut at the terminal's width. */
	if (hdr) {
		for (j = 0; j < ncols; j++) {
			if (j == ncols - 1 && cols[j].v->left)
				printf("%s", cols[j].header);
			else if (cols[j].v->left)
				printf("%-*s", cols[j].width, cols[j].header);
			else
				printf("%*s", cols[j].width, cols[j].header);
			if (j < ncols - 1)
				putchar(' ');
		}
		putchar('\n');
	}
	for (i = 0; i < (size_t)nshown; i++) {
		int used = 0, w;
		char line[8192];
		FILE *f;

		/* Build the line in memory, then cut it. */
		f = fmemopen(line, sizeof(line), "w");
		if (f == NULL)
			err(1, "fmemopen");
		for (j = 0; j < ncols; j++) {
			out = f;
			w = cols[j].width;
			if (j == ncols - 1 && cols[j].v->left)
				w = -1;
			cols[j].v->print(&kinfo[i], cols[j].v, w);
			if (j < ncols - 1)
				putc(' ', f);
		}
		fclose(f);
		line[sizeof(line) - 1] = '\0';
		used = (int)strlen(line);
		while (used > 0 && line[used - 1] == ' ')
			line[--used] = '\0';
		if (termwidth > 0 && used > termwidth)
			line[termwidth] = '\0';
		printf("%s\n", line);
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	/* As BSD: no process matched is a failure (ps -p pid tests for one). */
	return (nshown == 0 ? 1 : 0);
}
