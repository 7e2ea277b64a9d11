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
	struct kinfo_proc *kp;
	size_t n, i;
	int users = 0;

	kp = kinfo_getallproc(&n);
	for (i = 0; i < n; i++)
		if (kinfo_is_login(&kp[i]))
			users++;
	free(kp);
	return (users);
}

int
main(int argc, char *argv[])
{
	int ch;

	while ((ch = getopt(argc, argv, "+")) != -1)
		usage();
	if (argc != optind)
		usage();
	pr_uptime_header(time(NULL), nusers(), 1);
	return (0);
}
