/*
 * Reading the kernel's statistics for top(1), vmstat(8) and iostat(8):
 * fixed-size sysctl values by name, the time since boot, and the disks'
 * transfer counters (kern.devstat.all).  Failures are fatal, with the
 * sysctl's name in the message.
 */
#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "sysctl.h"

/* A value of exactly len bytes. */
void
sysctl_get(const char *name, void *p, size_t len)
{
	size_t got = len;

	if (sysctlbyname(name, p, &got, NULL, 0) == -1)
		err(1, "sysctl %s", name);
	if (got != len)
		errx(1, "sysctl %s: %zu bytes, expected %zu", name, got, len);
}

unsigned int
sysctl_getuint(const char *name)
{
	unsigned int v;

	sysctl_get(name, &v, sizeof(v));
	return (v);
}

/* Seconds since kern.boottime, by the wall clock (as BSD's tools count it). */
double
sysctl_uptime(void)
{
	struct { int64_t sec, usec; } bt;
	struct timespec ts;

	sysctl_get("kern.boottime", &bt, sizeof(bt));
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((double)(ts.tv_sec - bt.sec) + (ts.tv_nsec / 1e9 - bt.usec / 1e6));
}

/* Every disk's counters (malloc'ed; *n of them, possibly none). */
struct devstat *
devstat_getall(int *n)
{
	struct devstat *ds;
	size_t len = 0;

	if (sysctlbyname("kern.devstat.all", NULL, &len, NULL, 0) == -1)
		err(1, "sysctl kern.devstat.all");
	if ((ds = malloc(len + sizeof(*ds))) == NULL)
		err(1, NULL);
	if (sysctlbyname("kern.devstat.all", ds, &len, NULL, 0) == -1)
		err(1, "sysctl kern.devstat.all");
	*n = (int)(len / sizeof(*ds));
	return (ds);
}
