/*
 * iostat: report I/O statistics.  Per disk (kern.devstat.all, kept by the
 * kernel's disk layer for every vkd/vcd transfer to the host's store): the
 * average transfer size (KB/t), transfers per second (tps) and megabytes
 * per second (MB/s), then the CPU split of kern.cp_time.  The first line
 * covers the time since boot, each later one the interval.  With -I the
 * transfers and megabytes are totals over that time, not rates.  -x
 * splits reads from writes, a line per disk.
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

#define MAXDRIVES	8

struct sample {
	struct devstat	dev[MAXDRIVES];
	int		ndev;
	long		cp[CPUSTATES];
	double		when;
};

static int dflag, Iflag, xflag, ndrives;
static char drives[MAXDRIVES][16];

static void
usage(void)
{
	fprintf(stderr, "usage: iostat [-dIx] [-c count] [-w wait] [drive ...]\n");
	exit(1);
}

/* The selected drives, in the order they were named (or attached). */
static void
sample(struct sample *s)
{
	struct devstat *all;
	int i, j, n;

	all = devstat_getall(&n);
	s->ndev = 0;
	if (ndrives == 0) {
		for (i = 0; i < n && i < MAXDRIVES; i++)
			s->dev[s->ndev++] = all[i];
	} else {
		for (j = 0; j < ndrives; j++) {
			for (i = 0; i < n; i++)
				if (strcmp(all[i].ds_name, drives[j]) == 0)
					break;
			if (i == n)
				errx(1, "%s: no such drive", drives[j]);
			s->dev[s->ndev++] = all[i];
		}
	}
	free(all);
	sysctl_get("kern.cp_time", s->cp, sizeof(s->cp));
	s->when = sysctl_uptime();
}

static void
header(const struct sample *s)
{
	int i;

	for (i = 0; i < s->ndev; i++)
		printf("%16s ", s->dev[i].ds_name);
	if (!dflag)
		printf("%15s", "cpu");
	printf("\n");
	for (i = 0; i < s->ndev; i++) {
		if (Iflag)
			printf("%6s %5s %7s ", "KB/t", "xfrs", "MB");
		else
			printf("%6s %4s %5s ", "KB/t", "tps", "MB/s");
	}
	if (!dflag)
		printf(" us ni sy in id");
	printf("\n");
}

/* -x: reads and writes apart, one line per disk (per second, or totals with -I). */
static void
extended(const struct sample *o, const struct sample *n)
{
	double dt = n->when - o->when;
	int i;

	if (dt <= 0 || Iflag)
		dt = 1;
	printf("%-8s %8s %8s %10s %10s\n", "device", Iflag ? "r/i" : "r/s",
	    Iflag ? "w/i" : "w/s", Iflag ? "kr/i" : "kr/s",
	    Iflag ? "kw/i" : "kw/s");
	for (i = 0; i < n->ndev; i++) {
		const struct devstat *a = &n->dev[i], *b = &o->dev[i];

		printf("%-8s %8.0f %8.0f %10.1f %10.1f\n", a->ds_name,
		    ((double)a->ds_reads - (double)b->ds_reads) / dt,
		    ((double)a->ds_writes - (double)b->ds_writes) / dt,
		    ((double)a->ds_bytes_read - (double)b->ds_bytes_read) /
		    1024 / dt,
		    ((double)a->ds_bytes_written -
		    (double)b->ds_bytes_written) / 1024 / dt);
	}
	fflush(stdout);
}

static void
line(const struct sample *o, const struct sample *n)
{
	double dt = n->when - o->when, total = 0, bytes, xfers;
	long d[CPUSTATES];
	int i;

	if (dt <= 0)
		dt = 1;
	for (i = 0; i < n->ndev; i++) {
		const struct devstat *a = &n->dev[i], *b = &o->dev[i];

		xfers = (double)(a->ds_reads + a->ds_writes) -
		    (double)(b->ds_reads + b->ds_writes);
		bytes = (double)(a->ds_bytes_read + a->ds_bytes_written) -
		    (double)(b->ds_bytes_read + b->ds_bytes_written);
		if (Iflag)
			printf("%6.2f %5.0f %7.2f ", xfers > 0 ?
			    bytes / xfers / 1024 : 0.0, xfers,
			    bytes / (1024 * 1024));
		else
			printf("%6.2f %4.0f %5.2f ", xfers > 0 ?
			    bytes / xfers / 1024 : 0.0, xfers / dt,
			    bytes / dt / (1024 * 1024));
	}
	if (!dflag) {
		for (i = 0; i < CPUSTATES; i++) {
			d[i] = n->cp[i] - o->cp[i];
			total += d[i];
		}
		if (total == 0)
			total = 1;
		for (i = 0; i < CPUSTATES; i++)
			printf(" %2.0f", 100.0 * d[i] / total);
	}
	printf("\n");
	fflush(stdout);
}

static long
number(const char *s, const char *what)
{
	const char *errstr;
	long v;

	v = (long)strtonum(s, 1, INT_MAX, &errstr);
	if (errstr != NULL)
		errx(1, "%s %s: %s", what, s, errstr);
	return (v);
}

int
main(int argc, char *argv[])
{
	struct sample old, cur;
	long count = -1, wait = -1, lines = 0;
	int ch;

	while ((ch = getopt(argc, argv, "+Ic:dw:x")) != -1)
		switch (ch) {
		case 'c':
			count = number(optarg, "count");
			break;
		case 'd':
			dflag = 1;
			break;
		case 'I':
			Iflag = 1;
			break;
		case 'x':
			xflag = 1;
			break;
		case 'w':
			wait = number(optarg, "wait");
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	for (; argc > 0; argc--, argv++) {
		if (ndrives == MAXDRIVES)
			errx(1, "too many drives (at most %d)", MAXDRIVES);
		strlcpy(drives[ndrives++], argv[0], sizeof(drives[0]));
	}
	if (wait < 0)
		wait = count > 1 ? 1 : 0;
	if (count < 0)
		count = wait > 0 ? 0 : 1;	/* 0: forever */

	memset(&old, 0, sizeof(old));
	sample(&cur);
	if (cur.ndev == 0 && dflag)
		errx(1, "no devices");
	if (!xflag)
		header(&cur);
	for (;;) {
		if (xflag)
			extended(&old, &cur);
		else
			line(&old, &cur);
		old = cur;
		if (count > 0 && ++lines >= count)
			break;
		sleep((unsigned int)wait);
		if (lines % 20 == 0 && !xflag)
			header(&cur);
		sample(&cur);
	}
	exit(0);
}
