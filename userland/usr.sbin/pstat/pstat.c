/*
 * pstat, swapinfo: display system data structures.  -t the terminals
 * (kern.ttys), -f the open files of every process (kern.file), -s the
 * swap devices (vm.swap_info.N; the vkernel has none, so only the header
 * is printed).  As swapinfo it is pstat -s.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libutil.h"
#include "sysctl.h"

struct xtty {
	char		xt_name[16];
	int32_t		xt_rawcc, xt_outcc, xt_pgid, xt_sid;
	uint16_t	xt_rows, xt_cols;
	uint32_t	xt_iflag, xt_oflag, xt_cflag, xt_lflag;
	int32_t		xt_flags;
	int32_t		xt_pad[2];
};
_Static_assert(sizeof(struct xtty) == 64, "struct xtty is 64 bytes");

struct xfile {
	int32_t		xf_pid, xf_fd, xf_type, xf_flag, xf_count, xf_pad;
	int64_t		xf_offset;
	uint64_t	xf_ino;
	uint32_t	xf_dev, xf_rdev;
};
_Static_assert(sizeof(struct xfile) == 48, "struct xfile is 48 bytes");

/* struct xswdev as FreeBSD's swapinfo reads it from vm.swap_info.N. */
struct xswdev {
	uint32_t	xsw_version;
	uint32_t	xsw_dev;
	int32_t		xsw_flags;
	int32_t		xsw_nblks;	/* pages */
	int32_t		xsw_used;
};

#define XT_HUNGUP	1
#define TTY_ICANON	0000002
#define TTY_ECHO	0000010

static int hflag, kflag, swapinfo;

static void
usage(void)
{
	if (swapinfo)
		fprintf(stderr, "usage: swapinfo [-hk]\n");
	else
		fprintf(stderr, "usage: pstat [-fhkst]\n");
	exit(1);
}

/* The whole of a table-valued sysctl; *n gets the element count. */
static void *
table(const char *name, size_t size, size_t *n)
{
	size_t len = 0;
	void *p = NULL;
	int tries;

	for (tries = 0; tries < 8; tries++) {
		if (sysctlbyname(name, NULL, &len, NULL, 0) == -1)
			err(1, "sysctl %s", name);
		len += 16 * size;		/* it may grow before the read */
		if ((p = realloc(p, len + 1)) == NULL)
			err(1, NULL);
		if (sysctlbyname(name, p, &len, NULL, 0) == 0)
			break;
		if (errno != ENOMEM)
			err(1, "sysctl %s", name);
	}
	if (len % size != 0)
		errx(1, "sysctl %s: size %zu is not a multiple of %zu", name, len, size);
	*n = len / size;
	return (p);
}

static void
ttymode(void)
{
	struct xtty *xt;
	size_t i, n;
	char state[8];
	int s;

	xt = table("kern.ttys", sizeof(*xt), &n);
	printf("%zu terminal%s\n", n, n == 1 ? "" : "s");
	printf("%-10s %5s %5s %4s %4s %6s %6s %s\n", "LINE", "INQ", "OUTQ", "ROW",
	    "COL", "SESS", "PGID", "STATE");
	for (i = 0; i < n; i++) {
		s = 0;
		if (xt[i].xt_sid != 0)
			state[s++] = 'C';	/* a session's controlling terminal */
		if (xt[i].xt_lflag & TTY_ICANON)
			state[s++] = 'i';	/* canonical input */
		if (xt[i].xt_lflag & TTY_ECHO)
			state[s++] = 'e';
		if (xt[i].xt_flags & XT_HUNGUP)
			state[s++] = 'H';
		if (s == 0)
			state[s++] = '-';
		state[s] = '\0';
		printf("%-10.15s %5d %5d %4u %4u %6d %6d %s\n", xt[i].xt_name,
		    xt[i].xt_rawcc, xt[i].xt_outcc, xt[i].xt_rows, xt[i].xt_cols,
		    xt[i].xt_sid, xt[i].xt_pgid, state);
	}
	free(xt);
}

static const char *
ftype(int t)
{
	static const char *names[] = { "none", "reg", "dir", "blk", "chr",
	    "lnk", "sock", "fifo" };

	return (t >= 0 && t < 8 ? names[t] : "?");
}

static void
filemode(void)
{
	struct xfile *xf;
	size_t i, n;
	char flg[8];
	int f, acc;

	xf = table("kern.file", sizeof(*xf), &n);
	printf("%zu open file%s\n", n, n == 1 ? "" : "s");
	printf("%6s %4s %-5s %-4s %4s %12s %10s\n", "PID", "FD", "TYPE", "FLG",
	    "CNT", "OFFSET", "INODE");
	for (i = 0; i < n; i++) {
		f = 0;
		acc = xf[i].xf_flag & O_ACCMODE;
		if (xf[i].xf_flag & O_PATH)
			flg[f++] = 'P';
		else {
			if (acc == O_RDONLY || acc == O_RDWR)
				flg[f++] = 'R';
			if (acc == O_WRONLY || acc == O_RDWR)
				flg[f++] = 'W';
		}
		if (xf[i].xf_flag & O_APPEND)
			flg[f++] = 'A';
		if (xf[i].xf_flag & O_NONBLOCK)
			flg[f++] = 'N';
		flg[f] = '\0';
		printf("%6d %4d %-5s %-4s %4d %12lld %10llu\n", xf[i].xf_pid,
		    xf[i].xf_fd, ftype(xf[i].xf_type), flg, xf[i].xf_count,
		    (long long)xf[i].xf_offset, (unsigned long long)xf[i].xf_ino);
	}
	free(xf);
}

static void
swapmode(void)
{
	struct xswdev xs;
	int mib[CTL_MAXNAME];
	size_t miblen = CTL_MAXNAME, len;
	long blocksize;
	int hlen, n, ndev = 0;
	long pagesize = sysconf(_SC_PAGESIZE);	/* xsw_nblks counts pages */
	long long total = 0, used = 0;
	const char *bh;

	/* 1K blocks unless $BLOCKSIZE asks for another unit (getbsize(3)). */
	if (kflag || getenv("BLOCKSIZE") == NULL) {
		blocksize = 1024;
		bh = "1K-blocks";
	} else
		bh = getbsize(&hlen, &blocksize);
	if (hflag)
		bh = "Size";
	printf("%-15s %*s %8s %8s %s\n", "Device", hflag ? 8 : 9, bh, "Used",
	    "Avail", "Capacity");
	if (sysctlnametomib("vm.swap_info", mib, &miblen) == -1)
		err(1, "sysctlnametomib vm.swap_info");
	for (n = 0;; n++) {
		mib[miblen] = n;
		len = sizeof(xs);
		if (sysctl(mib, (unsigned)miblen + 1, &xs, &len, NULL, 0) == -1) {
			if (errno == ENOENT)
				break;
			err(1, "sysctl vm.swap_info.%d", n);
		}
		/* The vkernel has no swap devices: nothing is ever found here. */
		total += xs.xsw_nblks;
		used += xs.xsw_used;
		ndev++;
	}
	if (ndev > 1)
		printf("%-15s %9lld %8lld %8lld %7.0f%%\n", "Total",
		    total * pagesize / blocksize, used * pagesize / blocksize,
		    (total - used) * pagesize / blocksize,
		    total ? 100.0 * used / total : 0.0);
}

int
main(int argc, char *argv[])
{
	int ch, fflag = 0, sflag = 0, tflag = 0;

	swapinfo = strcmp(getprogname(), "swapinfo") == 0;
	while ((ch = getopt(argc, argv, swapinfo ? "+hk" : "+fhkst")) != -1)
		switch (ch) {
		case 'f':
			fflag = 1;
			break;
		case 'h':
			hflag = 1;
			break;
		case 'k':
			kflag = 1;
			break;
		case 's':
			sflag = 1;
			break;
		case 't':
			tflag = 1;
			break;
		default:
			usage();
		}
	if (argc != optind)
		usage();
	if (swapinfo)
		sflag = 1;
	if (!fflag && !sflag && !tflag)
		usage();
	if (fflag)
		filemode();
	if (tflag)
		ttymode();
	if (sflag)
		swapmode();
	exit(0);
}
