/*
 * uptime: show how long the system has been running.  The time since
 * kern.boottime, the number of login sessions (the vkernel has no utmp:
 * sessions with a controlling terminal led by neither init nor a waiting
 * getty, as w(1) counts them) and the load averages of vm.loadavg.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sysctl.h"

static void
usage(void)
{
	fprintf(stderr, "usage: uptime\n");
	exit(1);
}

static int
nusers(void)
{
	int mib[3] = { CTL_KERN, KERN_PROC, KERN_PROC_ALL };
	struct kinfo_proc *kp = NULL;
	size_t len, n, i;
	int tries, users = 0;

	for (tries = 0; tries < 10; tries++) {
		len = 0;
		if (sysctl(mib, 3, NULL, &len, NULL, 0) == -1)
			err(1, "kern.proc.all");
		len += 8 * sizeof(*kp);
		free(kp);
		if ((kp = malloc(len)) == NULL)
			err(1, NULL);
		if (sysctl(mib, 3, kp, &len, NULL, 0) == 0)
			break;
		if (errno != ENOMEM)
			err(1, "kern.proc.all");
	}
	if (tries == 10)
		errx(1, "kern.proc.all: the process table keeps growing");
	n = len / sizeof(*kp);
	for (i = 0; i < n; i++)
		if ((kp[i].kp_flags & KPF_SESSLEADER) &&
		    (kp[i].kp_flags & KPF_CONTROLT) && kp[i].kp_pid != 1 &&
		    kp[i].kp_stat != SZOMB &&
		    strcmp(kp[i].kp_comm, "getty") != 0)
			users++;
	free(kp);
	return (users);
}

int
main(int argc, char *argv[])
{
	struct { int64_t sec, usec; } boottime;
	struct loadavg la;
	size_t len;
	time_t now;
	long uptime, days, hrs, mins, secs;
	char buf[64];
	int ch, i, users;

	while ((ch = getopt(argc, argv, "+")) != -1)
		usage();
	if (argc != optind)
		usage();

	users = nusers();
	(void)time(&now);
	if (strftime(buf, sizeof(buf), "%l:%M%p", localtime(&now)) != 0)
		printf("%s ", buf);
	len = sizeof(boottime);
	if (sysctlbyname("kern.boottime", &boottime, &len, NULL, 0) == -1)
		err(1, "kern.boottime");
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
	printf(" %d user%s", users, users == 1 ? "" : "s");
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
	return (0);
}
