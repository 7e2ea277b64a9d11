/*
 * vmstat: report virtual memory statistics.  Every column is a kernel
 * counter or state read by sysctl: vm.vmtotal (procs, memory), the
 * vm.stats.vm fault counters (page), kern.devstat.all (disks),
 * vm.stats.sys (faults: interrupts, system calls, context switches) and
 * kern.cp_time (cpu).  The first line is the average since boot, each
 * later one the change over the interval.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libutil.h"
#include "sysctl.h"

#define MAXDISKS	4

struct vmtotal {
	int32_t		t_rq, t_dw, t_pw, t_sl, t_sw, t_pad;
	uint64_t	t_vm, t_avm, t_rm, t_arm;
	uint64_t	t_vmshr, t_avmshr, t_rmshr, t_armshr;
	uint64_t	t_free;
};

struct sample {
	unsigned int	flt, cow, zfod, pi, intr, sys, swtch;
	long		cp[CPUSTATES];
	uint64_t	xfers[MAXDISKS];
	double		when;			/* seconds since boot */
};

static int ndisks;
static char disknames[MAXDISKS][8];
static unsigned long pagesize;

static void
usage(void)
{
	fprintf(stderr, "usage: vmstat [-c count] [-w wait] [wait [count]]\n");
	exit(1);
}

static void
sample(struct sample *s)
{
	struct devstat *ds;
	int i, n;

	s->flt = sysctl_getuint("vm.stats.vm.v_vm_faults");
	s->cow = sysctl_getuint("vm.stats.vm.v_cow_faults");
	s->zfod = sysctl_getuint("vm.stats.vm.v_zfod");
	s->pi = sysctl_getuint("vm.stats.vm.v_vnodein");
	s->intr = sysctl_getuint("vm.stats.sys.v_intr");
	s->sys = sysctl_getuint("vm.stats.sys.v_syscall");
	s->swtch = sysctl_getuint("vm.stats.sys.v_swtch");
	sysctl_get("kern.cp_time", s->cp, sizeof(s->cp));
	ds = devstat_getall(&n);
	for (i = 0; i < ndisks; i++)
		s->xfers[i] = i < n ? ds[i].ds_reads + ds[i].ds_writes : 0;
	free(ds);
	s->when = sysctl_uptime();
}

/* "1234K", "56M", "7G": the memory columns. */
static char *
fmtk(char *buf, size_t len, uint64_t kb)
{
	if (kb < 100000)
		snprintf(buf, len, "%lluK", (unsigned long long)kb);
	else if (kb < 100000 * 1024ULL)
		snprintf(buf, len, "%lluM", (unsigned long long)(kb / 1024));
	else
		snprintf(buf, len, "%lluG", (unsigned long long)(kb / (1024 * 1024)));
	return (buf);
}

static void
header(void)
{
	int i;

	printf(" procs    memory        page%*s", 20, "");
	if (ndisks > 0)
		printf("%-*s", ndisks * 5, " disks");
	printf("    faults       cpu\n");
	printf(" r  b  w     avm     fre  flt  cow zfod   pi");
	for (i = 0; i < ndisks; i++)
		printf(" %4.4s", disknames[i]);
	printf("   in   sy   cs us sy id\n");
}

/* One line: rates over the interval from *o to *n (o zeroed: since boot). */
static void
line(const struct sample *o, const struct sample *n)
{
	struct vmtotal t;
	double dt = n->when - o->when, total = 0;
	long d[CPUSTATES];
	char b1[16], b2[16];
	int i;

	if (dt <= 0)
		dt = 1;
	sysctl_get("vm.vmtotal", &t, sizeof(t));
	for (i = 0; i < CPUSTATES; i++) {
		d[i] = n->cp[i] - o->cp[i];
		total += d[i];
	}
	if (total == 0)
		total = 1;
#define RATE(f)	((unsigned long)((n->f - o->f) / dt + 0.5))
	printf("%2d %2d %2d %7s %7s %4lu %4lu %4lu %4lu",
	    t.t_rq, t.t_dw + t.t_pw, t.t_sw,
	    fmtk(b1, sizeof(b1), t.t_avm * pagesize / 1024),
	    fmtk(b2, sizeof(b2), t.t_free * pagesize / 1024),
	    RATE(flt), RATE(cow), RATE(zfod), RATE(pi));
	for (i = 0; i < ndisks; i++)
		printf(" %4lu", RATE(xfers[i]));
	printf(" %4lu %4lu %4lu %2.0f %2.0f %2.0f\n", RATE(intr), RATE(sys),
	    RATE(swtch), 100.0 * (d[CP_USER] + d[CP_NICE]) / total,
	    100.0 * (d[CP_SYS] + d[CP_INTR]) / total, 100.0 * d[CP_IDLE] / total);
#undef RATE
	fflush(stdout);
}

static long
number(const char *s, const char *what, long min)
{
	const char *errstr;
	long v;

	v = (long)strtonum(s, min, INT_MAX, &errstr);
	if (errstr != NULL)
		errx(1, "%s %s: %s", what, s, errstr);
	return (v);
}

int
main(int argc, char *argv[])
{
	struct sample old, cur;
	struct devstat *ds;
	long count = -1, wait = -1, lines = 0;
	int ch, i, n;

	while ((ch = getopt(argc, argv, "+c:w:")) != -1)
		switch (ch) {
		case 'c':
			count = number(optarg, "count", 1);
			break;
		case 'w':
			wait = number(optarg, "wait", 1);
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc > 2)
		usage();
	if (argc > 0)
		wait = number(argv[0], "wait", 1);
	if (argc > 1)
		count = number(argv[1], "count", 1);
	if (wait < 0)
		wait = count > 1 ? 1 : 0;
	if (count < 0)
		count = wait > 0 ? 0 : 1;	/* 0: forever */

	pagesize = (unsigned long)sysconf(_SC_PAGESIZE);
	ds = devstat_getall(&n);
	ndisks = n < MAXDISKS ? n : MAXDISKS;
	for (i = 0; i < ndisks; i++) {
		/* "vkd0" shows as "vk0", as BSD shortens "ada0" to "ad0". */
		snprintf(disknames[i], sizeof(disknames[i]), "%.2s%s",
		    ds[i].ds_name, ds[i].ds_name + strcspn(ds[i].ds_name, "0123456789"));
	}
	free(ds);

	memset(&old, 0, sizeof(old));
	header();
	for (;;) {
		sample(&cur);
		line(&old, &cur);
		old = cur;
		if (count > 0 && ++lines >= count)
			break;
		sleep((unsigned int)wait);
		if (lines % 20 == 0)
			header();
	}
	exit(0);
}
