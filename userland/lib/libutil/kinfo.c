/*
 * The process table and the uptime line, shared by ps(1), w(1) and uptime(1).
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sysctl.h"

/* kern.proc.all as an array of *np entries (malloc'ed); exits on failure. */
struct kinfo_proc *
kinfo_getallproc(size_t *np)
{
	int mib[3] = { CTL_KERN, KERN_PROC, KERN_PROC_ALL };
	struct kinfo_proc *kp = NULL;
	size_t len;
	int tries;

	/* The table may grow between the probe and the read: probe again. */
	for (tries = 0; tries < 10; tries++) {
		len = 0;
		if (sysctl(mib, 3, NULL, &len, NULL, 0) == -1)
			err(1, "kern.proc.all");
		len += 8 * sizeof(*kp);
		free(kp);
		if ((kp = malloc(len)) == NULL)
			err(1, NULL);
		if (sysctl(mib, 3, kp, &len, NULL, 0) == 0) {
			*np = len / sizeof(*kp);
			return (kp);
		}
		if (errno != ENOMEM)
			err(1, "kern.proc.all");
	}
	errx(1, "kern.proc.all: the process table keeps growing");
}

/*
 * A login session, as w(1) and uptime(1) count them without utmp: a
 * session leader with a controlling terminal, not init, not a getty.
 */
int
kinfo_is_login(const struct kinfo_proc *kp)
{
	return ((kp->kp_flags & KPF_SESSLEADER) && (kp->kp_flags & KPF_CONTROLT) &&
	    kp->kp_pid != 1 && kp->kp_stat != SZOMB &&
	    strcmp(kp->kp_comm, "getty") != 0);
}

/*
 * " 7:48PM  up 2 mins, 1 user, load averages: 0.10, 0.05, 0.01".
 * Without kern.boottime the "up" part is left out, or, if strict, it is
 * an error.
 */
void
pr_uptime_header(time_t now, int nusers, int strict)
{
	struct { int64_t sec, usec; } boottime;
	struct loadavg la;
	size_t len;
	long uptime, days, hrs, mins, secs;
	char buf[64];
	int i;

	if (strftime(buf, sizeof(buf), "%l:%M%p", localtime(&now)) != 0)
		printf("%s ", buf);
	len = sizeof(boottime);
	if (sysctlbyname("kern.boottime", &boottime, &len, NULL, 0) == -1) {
		if (strict)
			err(1, "kern.boottime");
	} else if (strict || boottime.sec > 0) {
		uptime = (long)(now - boottime.sec);
		if (uptime < 0)
			uptime = 0;
		if (uptime > 60)
			uptime += 30;		/* round to the nearest minute */
		days = uptime / 86400;
		uptime %= 86400;
		hrs = uptime / 3600;
		uptime %= 3600;
		mins = uptime / 60;
		secs = uptime % 60;
		printf(" up");
		if (days > 0)
			printf(" %ld day%s,", days, days > 1 ? "s" : "");
		if (hrs > 0 && mins > 0)
			printf(" %2ld:%02ld,", hrs, mins);
		else if (hrs > 0)
			printf(" %ld hr%s,", hrs, hrs > 1 ? "s" : "");
		else if (mins > 0)
			printf(" %ld min%s,", mins, mins > 1 ? "s" : "");
		else
			printf(" %ld sec%s,", secs, secs > 1 ? "s" : "");
	}
	printf(" %d user%s", nusers, nusers == 1 ? "" : "s");
	len = sizeof(la);
	if (sysctlbyname("vm.loadavg", &la, &len, NULL, 0) == -1 ||
	    la.fscale <= 0)
		printf(", no load average information available\n");
	else {
		printf(", load averages:");
		for (i = 0; i < 3; i++)
			printf("%s %.2f", i > 0 ? "," : "",
			    (double)la.ldavg[i] / la.fscale);
		putchar('\n');
	}
}
