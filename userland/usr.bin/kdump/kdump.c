/*
 * kdump: display kernel trace data.  Reads the records ktrace(1) had the
 * kernel write (ktrace.out by default) and prints one line per system call
 * (CALL with its arguments, RET with its result or errno), per path looked
 * up (NAMI), per read/write (GIO, with the data) and per signal taken
 * (PSIG), the way BSD's kdump does.  System call names are those of the
 * Linux riscv64 ABI the vkernel runs.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "libutil.h"
#include "ktrace.h"
#include "syscalls.h"

#define DEF_FILE	"ktrace.out"
#define MAXRECORD	(1 << 20)

static int decimal, fancy = 1, tail, timestamp, threads, suppressdata;
static int maxdata = INT_MAX, trpoints = ALL_POINTS, pidwant = -1;

/* Timestamps: -T absolute, -R since the previous record, -E since the first. */
#define TIMESTAMP_ABSOLUTE	1
#define TIMESTAMP_RELATIVE	2
#define TIMESTAMP_ELAPSED	4

static void
usage(void)
{
	fprintf(stderr, "usage: kdump [-dEHlnRsT] [-f trfile] [-m maxdata] "
	    "[-p pid] [-t trstr]\n");
	exit(1);
}

static const struct sysent_name *
sysent(int code)
{
	size_t i;

	for (i = 0; i < sizeof(sysnames) / sizeof(sysnames[0]); i++)
		if (sysnames[i].no == code)
			return (&sysnames[i]);
	return (NULL);
}

static void
pnum(uint64_t v)
{
	if (decimal)
		printf("%" PRId64, (int64_t)v);
	else
		printf("%#" PRIx64, v);
}

struct flagname {
	uint64_t	 bit;
	const char	*name;
};

/* "0x80000<O_RDONLY|O_CLOEXEC>": the value, then the names of its bits. */
static void
pflags(uint64_t v, const struct flagname *fn, const char *zero)
{
	int first = 1;

	printf("%#" PRIx64 "<", v);
	if (zero != NULL) {
		printf("%s", zero);
		first = 0;
	}
	for (; fn->name != NULL; fn++)
		if ((v & fn->bit) == fn->bit && fn->bit != 0) {
			printf("%s%s", first ? "" : "|", fn->name);
			first = 0;
			v &= ~fn->bit;
		}
	if (v != 0)
		printf("%s%#" PRIx64, first ? "" : "|", v);
	printf(">");
}

static const struct flagname openflags[] = {
	{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" },
	{ O_TRUNC, "O_TRUNC" }, { O_APPEND, "O_APPEND" },
	{ O_NONBLOCK, "O_NONBLOCK" }, { O_SYNC, "O_SYNC" }, { O_DSYNC, "O_DSYNC" },
	{ O_ASYNC, "O_ASYNC" }, { O_DIRECT, "O_DIRECT" },
	{ O_LARGEFILE, "O_LARGEFILE" }, { O_DIRECTORY, "O_DIRECTORY" },
	{ O_NOFOLLOW, "O_NOFOLLOW" }, { O_NOATIME, "O_NOATIME" },
	{ O_CLOEXEC, "O_CLOEXEC" }, { O_PATH, "O_PATH" }, { 0, NULL }
};

static const struct flagname protflags[] = {
	{ PROT_READ, "PROT_READ" }, { PROT_WRITE, "PROT_WRITE" },
	{ PROT_EXEC, "PROT_EXEC" }, { 0, NULL }
};

static const struct flagname mmapflags[] = {
	{ MAP_SHARED, "MAP_SHARED" }, { MAP_PRIVATE, "MAP_PRIVATE" },
	{ MAP_FIXED, "MAP_FIXED" }, { MAP_ANONYMOUS, "MAP_ANON" },
	{ MAP_NORESERVE, "MAP_NORESERVE" }, { MAP_STACK, "MAP_STACK" },
	{ MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE" },
	{ MAP_POPULATE, "MAP_POPULATE" }, { 0, NULL }
};

static void
popenflags(uint64_t v)
{
	static const char *acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };

	if (v & O_PATH)
		pflags(v, openflags, NULL);
	else
		pflags(v & ~(uint64_t)O_ACCMODE, openflags, acc[v & O_ACCMODE]);
}

static void
psigname(int sig)
{
	const char *s = sig > 0 && sig < 65 ? sigabbrev_np(sig) : NULL;

	if (s != NULL)
		printf("SIG%s", s);
	else
		printf("SIG %d", sig);
}

static void
pdirfd(uint64_t v)
{
	if ((int)v == -100)
		printf("AT_FDCWD");
	else
		pnum((uint64_t)(int64_t)(int)v);
}

/* System calls whose first argument is a directory descriptor. */
static int
takesdirfd(const char *n)
{
	static const char *names[] = { "openat", "faccessat", "faccessat2",
	    "newfstatat", "unlinkat", "mkdirat", "mknodat", "readlinkat",
	    "fchmodat", "fchownat", "utimensat", "statx", "renameat",
	    "renameat2", "linkat", "execveat", "openat2", NULL };
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(n, names[i]) == 0)
			return (1);
	return (0);
}

static void
ktrsyscall(const unsigned char *p, size_t len)
{
	struct ktr_syscall ks;
	const struct sysent_name *se;
	uint64_t a[6];
	int i, narg;

	if (len < sizeof(ks)) {
		printf("[short record]\n");
		return;
	}
	memcpy(&ks, p, sizeof(ks));
	narg = ks.ktr_narg;
	if (narg < 0 || narg > 6 || len < sizeof(ks) + narg * sizeof(uint64_t)) {
		printf("[bad record]\n");
		return;
	}
	memcpy(a, p + sizeof(ks), narg * sizeof(uint64_t));
	se = sysent(ks.ktr_code);
	if (se == NULL || !fancy)
		printf("[%d]", ks.ktr_code);
	else
		printf("%s", se->name);
	if (se != NULL && se->narg >= 0 && se->narg < narg)
		narg = se->narg;
	printf("(");
	for (i = 0; i < narg; i++) {
		if (i > 0)
			printf(",");
		if (!fancy || se == NULL) {
			pnum(a[i]);
			continue;
		}
		if (i == 0 && takesdirfd(se->name))
			pdirfd(a[i]);
		else if ((i == 2 && (strcmp(se->name, "renameat") == 0 ||
		    strcmp(se->name, "renameat2") == 0 ||
		    strcmp(se->name, "linkat") == 0)) ||
		    (i == 1 && strcmp(se->name, "symlinkat") == 0))
			pdirfd(a[i]);
		else if (i == 2 && strcmp(se->name, "openat") == 0)
			popenflags(a[i]);
		else if (i == 3 && strcmp(se->name, "openat") == 0)
			printf("%#" PRIo64, a[i]);
		else if ((i == 2 && (strcmp(se->name, "mmap") == 0 ||
		    strcmp(se->name, "mprotect") == 0)))
			pflags(a[i], protflags, a[i] == 0 ? "PROT_NONE" : NULL);
		else if (i == 3 && strcmp(se->name, "mmap") == 0)
			pflags(a[i], mmapflags, NULL);
		else if ((i == 1 && (strcmp(se->name, "kill") == 0 ||
		    strcmp(se->name, "tkill") == 0)) ||
		    (i == 2 && strcmp(se->name, "tgkill") == 0) ||
		    (i == 0 && strcmp(se->name, "rt_sigaction") == 0))
			psigname((int)a[i]);
		else if (i == 0 && (strcmp(se->name, "exit") == 0 ||
		    strcmp(se->name, "exit_group") == 0))
			printf("%d", (int)a[i]);
		else
			pnum(a[i]);
	}
	printf(")\n");
}

static void
ktrsysret(const unsigned char *p, size_t len)
{
	struct ktr_sysret kr;
	const struct sysent_name *se;

	if (len < sizeof(kr)) {
		printf("[short record]\n");
		return;
	}
	memcpy(&kr, p, sizeof(kr));
	se = sysent(kr.ktr_code);
	if (se == NULL || !fancy)
		printf("[%d] ", kr.ktr_code);
	else
		printf("%s ", se->name);
	if (kr.ktr_error == 0) {
		if (fancy) {
			printf("%" PRId64, kr.ktr_retval);
			if (kr.ktr_retval < 0 || kr.ktr_retval > 9)
				printf("/%#" PRIx64, (uint64_t)kr.ktr_retval);
		} else
			pnum((uint64_t)kr.ktr_retval);
	} else if (kr.ktr_error == KTR_EJUSTRETURN)
		printf("JUSTRETURN");
	else {
		printf("-1 errno %d", kr.ktr_error);
		if (fancy)
			printf(" %s", strerror(kr.ktr_error));
	}
	printf("\n");
}

static void
ktrnamei(const unsigned char *p, size_t len)
{
	printf("\"%.*s\"\n", (int)len, (const char *)p);
}

/* The data of a read or write: printable bytes as they are, others escaped. */
static void
dumpdata(const unsigned char *p, size_t len)
{
	size_t i;
	int col = 0;

	printf("       \"");
	for (i = 0; i < len; i++) {
		unsigned char c = p[i];

		if (col >= 64 && i < len) {
			printf("\n        ");
			col = 0;
		}
		if (c == '\n') {
			printf("\\n");
			if (i + 1 < len) {
				printf("\n        ");
				col = 0;
			}
			continue;
		}
		if (c == '\t')
			col += printf("\\t");
		else if (c == '\\')
			col += printf("\\\\");
		else if (c == '"')
			col += printf("\\\"");
		else if (c >= 0x20 && c < 0x7f) {
			putchar(c);
			col++;
		} else
			col += printf("\\%03o", c);
	}
	printf("\"\n");
}

static void
ktrgenio(const unsigned char *p, size_t len)
{
	struct ktr_genio kg;
	size_t n;

	if (len < sizeof(kg)) {
		printf("[short record]\n");
		return;
	}
	memcpy(&kg, p, sizeof(kg));
	n = len - sizeof(kg);
	printf("fd %d %s %zu byte%s\n", kg.ktr_fd, kg.ktr_rw ? "wrote" : "read",
	    n, n == 1 ? "" : "s");
	if (suppressdata)
		return;
	if (n > (size_t)maxdata)
		n = maxdata;
	dumpdata(p + sizeof(kg), n);
}

static void
ktrpsig(const unsigned char *p, size_t len)
{
	struct ktr_psig ps;

	if (len < sizeof(ps)) {
		printf("[short record]\n");
		return;
	}
	memcpy(&ps, p, sizeof(ps));
	psigname(ps.signo);
	if (ps.action == 0)
		printf(" SIG_DFL");
	else
		printf(" caught handler=%#" PRIx64 " mask=%#" PRIx64, ps.action,
		    ps.mask);
	switch (ps.code) {
	case 0:
		printf(" code=SI_USER\n");
		break;
	case 0x80:
		printf(" code=SI_KERNEL\n");
		break;
	case -1:
		printf(" code=SI_QUEUE\n");
		break;
	case -6:
		printf(" code=SI_TKILL\n");
		break;
	default:
		printf(" code=%d\n", ps.code);
	}
}

static void
dumpheader(const struct ktr_header *h, const char *type)
{
	static int64_t prev_us = -1, first_us = -1;
	int64_t us = h->ktr_sec * 1000000 + h->ktr_usec, d;

	if (threads)
		printf("%6d/%-6d %-8.15s ", h->ktr_pid, h->ktr_tid, h->ktr_comm);
	else
		printf("%6d %-8.15s ", h->ktr_pid, h->ktr_comm);
	if (first_us < 0)
		first_us = us;
	if (timestamp & TIMESTAMP_ABSOLUTE)
		printf("%" PRId64 ".%06" PRId64 " ", h->ktr_sec, h->ktr_usec);
	if (timestamp & TIMESTAMP_ELAPSED) {
		d = us - first_us;
		printf("%" PRId64 ".%06" PRId64 " ", d / 1000000, d % 1000000);
	}
	if (timestamp & TIMESTAMP_RELATIVE) {
		d = prev_us < 0 ? 0 : us - prev_us;
		printf("%" PRId64 ".%06" PRId64 " ", d / 1000000, d % 1000000);
	}
	prev_us = us;
	printf("%s  ", type);
}

/* Read exactly n bytes; with -l wait for a writer instead of stopping at the end. */
static int
fread_tail(void *buf, size_t n, FILE *fp)
{
	size_t got = 0, r;

	for (;;) {
		r = fread((char *)buf + got, 1, n - got, fp);
		got += r;
		if (got == n)
			return (1);
		if (ferror(fp))
			err(1, "read");
		if (!tail)
			return (got == 0 ? 0 : -1);
		clearerr(fp);
		fflush(stdout);
		sleep(1);
	}
}

int
main(int argc, char *argv[])
{
	struct ktr_header h;
	const char *file = DEF_FILE, *errstr;
	unsigned char *buf;
	FILE *fp;
	int ch, r;

	while ((ch = getopt(argc, argv, "+dEf:HlnRm:p:sTt:")) != -1)
		switch (ch) {
		case 'd':
			decimal = 1;
			break;
		case 'E':
			timestamp |= TIMESTAMP_ELAPSED;
			break;
		case 'f':
			file = optarg;
			break;
		case 'H':
			threads = 1;
			break;
		case 'l':
			tail = 1;
			break;
		case 'm':
			maxdata = (int)strtonum(optarg, 0, INT_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "-m %s: %s", optarg, errstr);
			break;
		case 'n':
			fancy = 0;
			break;
		case 'p':
			pidwant = (int)strtonum(optarg, 0, INT_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "-p %s: %s", optarg, errstr);
			break;
		case 'R':
			timestamp |= TIMESTAMP_RELATIVE;
			break;
		case 's':
			suppressdata = 1;
			break;
		case 'T':
			timestamp |= TIMESTAMP_ABSOLUTE;
			break;
		case 't':
			if ((trpoints = getpoints(optarg)) < 0)
				errx(1, "unknown trace point in %s", optarg);
			break;
		default:
			usage();
		}
	if (argc != optind)
		usage();

	if (strcmp(file, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(file, "r")) == NULL)
		err(1, "%s", file);
	if ((buf = malloc(MAXRECORD)) == NULL)
		err(1, NULL);
	while ((r = fread_tail(&h, sizeof(h), fp)) == 1) {
		if (h.ktr_len > MAXRECORD)
			errx(1, "%s: bad record (length %u)", file, h.ktr_len);
		if (h.ktr_len > 0 && fread_tail(buf, h.ktr_len, fp) != 1)
			errx(1, "%s: truncated record", file);
		h.ktr_comm[sizeof(h.ktr_comm) - 1] = '\0';
		if (h.ktr_type < KTR_SYSCALL || h.ktr_type > KTR_PSIG) {
			dumpheader(&h, "UNKN");
			printf("type %d\n", h.ktr_type);
			continue;
		}
		if ((trpoints & (1 << h.ktr_type)) == 0)
			continue;
		if (pidwant >= 0 && h.ktr_pid != pidwant)
			continue;
		switch (h.ktr_type) {
		case KTR_SYSCALL:
			dumpheader(&h, "CALL");
			ktrsyscall(buf, h.ktr_len);
			break;
		case KTR_SYSRET:
			dumpheader(&h, "RET ");
			ktrsysret(buf, h.ktr_len);
			break;
		case KTR_NAMEI:
			dumpheader(&h, "NAMI");
			ktrnamei(buf, h.ktr_len);
			break;
		case KTR_GENIO:
			dumpheader(&h, "GIO ");
			ktrgenio(buf, h.ktr_len);
			break;
		case KTR_PSIG:
			dumpheader(&h, "PSIG");
			ktrpsig(buf, h.ktr_len);
			break;
		}
		if (tail)
			fflush(stdout);
	}
	if (r < 0)
		errx(1, "%s: truncated record", file);
	if (fp != stdin)
		fclose(fp);
	free(buf);
	exit(0);
}
