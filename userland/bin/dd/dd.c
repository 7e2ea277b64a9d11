/*
 * dd: convert and copy a file.
 *
 * Input is read in ibs-sized records (a short read is a partial record),
 * converted, and written in obs-sized records.  With bs= and no
 * conversion that changes sizes, each input record is written as it was
 * read, so partial records stay partial (the traditional behaviour tape
 * and pipe users rely on).  The summary goes to stderr, on SIGINFO-less
 * Linux also on SIGUSR1.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define C_NOERROR	0x001
#define C_NOTRUNC	0x002
#define C_SYNC		0x004
#define C_LCASE		0x008
#define C_UCASE		0x010
#define C_SWAB		0x020
#define C_FSYNC		0x040
#define C_SPARSE	0x080
#define C_EXCL		0x100

static uint64_t ibs = 512, obs = 512, bs, count, skip, seek, files_cnt = 1;
static int cflags, status_level = 2;	/* 0 none, 1 noxfer, 2 default, 3 progress */
static int have_count;
static const char *ifile, *ofile;
static int ifd = STDIN_FILENO, ofd = STDOUT_FILENO;

static uint64_t in_full, in_part, out_full, out_part, bytes, swab_odd;
static struct timespec start;
static volatile sig_atomic_t want_summary;

/* Numbers: 512, 4k, 1m, 2g, 3b (blocks of 512), 2w (words), 2x512 (products). */
static uint64_t
getnum(const char *name, const char *val)
{
	uint64_t n, m;
	char *ep;

	if (!isdigit((unsigned char)*val))
		errx(1, "%s: illegal numeric value", name);
	errno = 0;
	n = strtoull(val, &ep, 0);
	if (errno != 0)
		errx(1, "%s: %s", name, strerror(errno));
	switch (*ep) {
	case 'b': m = 512; ep++; break;
	case 'k': case 'K': m = 1ULL << 10; ep++; break;
	case 'm': case 'M': m = 1ULL << 20; ep++; break;
	case 'g': case 'G': m = 1ULL << 30; ep++; break;
	case 'w': m = sizeof(int); ep++; break;
	default: m = 1; break;
	}
	if (m != 1 && n > UINT64_MAX / m)
		errx(1, "%s: %s", name, strerror(ERANGE));
	n *= m;
	if (*ep == 'x' || *ep == '*') {
		m = getnum(name, ep + 1);
		if (m != 0 && n > UINT64_MAX / m)
			errx(1, "%s: %s", name, strerror(ERANGE));
		return (n * m);
	}
	if (*ep != '\0')
		errx(1, "%s: illegal numeric value", name);
	return (n);
}

static void
parse_conv(const char *v)
{
	static const struct { const char *name; int flag; } convs[] = {
		{ "noerror", C_NOERROR }, { "notrunc", C_NOTRUNC }, { "sync", C_SYNC },
		{ "lcase", C_LCASE }, { "ucase", C_UCASE }, { "swab", C_SWAB },
		{ "fsync", C_FSYNC }, { "sparse", C_SPARSE }, { "excl", C_EXCL },
	};
	char *s = strdup(v), *tok, *save;

	if (s == NULL)
		err(1, NULL);
	for (tok = strtok_r(s, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < sizeof(convs) / sizeof(convs[0]); i++)
			if (strcmp(tok, convs[i].name) == 0)
				break;
		if (i == sizeof(convs) / sizeof(convs[0]))
			errx(1, "unknown conversion %s", tok);
		cflags |= convs[i].flag;
	}
	if ((cflags & C_LCASE) && (cflags & C_UCASE))
		errx(1, "incompatible conversions: lcase, ucase");
	free(s);
}

static void
summary(void)
{
	struct timespec now;
	double secs;

	if (status_level == 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
	if (secs < 1e-6)
		secs = 1e-6;
	fprintf(stderr, "%ju+%ju records in\n%ju+%ju records out\n",
	    (uintmax_t)in_full, (uintmax_t)in_part, (uintmax_t)out_full, (uintmax_t)out_part);
	if (swab_odd)
		fprintf(stderr, "%ju odd length swab %s\n", (uintmax_t)swab_odd,
		    swab_odd == 1 ? "block" : "blocks");
	if (status_level > 1)
		fprintf(stderr, "%ju bytes transferred in %.6f secs (%.0f bytes/sec)\n",
		    (uintmax_t)bytes, secs, bytes / secs);
}

static void
on_signal(int sig)
{
	if (sig == SIGUSR1) {
		want_summary = 1;
		return;
	}
	summary();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
dowrite(const unsigned char *p, size_t n)
{
	size_t off = 0;
	ssize_t w;

	/* sparse: seek over a block of zeros instead of writing it. */
	if ((cflags & C_SPARSE) && n > 0) {
		size_t i;
		for (i = 0; i < n && p[i] == 0; i++)
			;
		if (i == n) {
			if (lseek(ofd, (off_t)n, SEEK_CUR) == -1)
				err(1, "%s", ofile ? ofile : "stdout");
			goto counted;
		}
	}
	while (off < n) {
		w = write(ofd, p + off, n - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			err(1, "%s", ofile ? ofile : "stdout");
		}
		off += w;
	}
counted:
	if (n == obs)
		out_full++;
	else
		out_part++;
	bytes += n;
}

static void
convert(unsigned char *p, size_t n)
{
	if (cflags & C_SWAB) {
		if (n & 1)
			swab_odd++;
		for (size_t i = 0; i + 1 < n; i += 2) {
			unsigned char t = p[i];
			p[i] = p[i + 1];
			p[i + 1] = t;
		}
	}
	if (cflags & (C_LCASE | C_UCASE))
		for (size_t i = 0; i < n; i++)
			p[i] = (cflags & C_LCASE) ? tolower(p[i]) : toupper(p[i]);
}

/* Skip input records: seek when we can, read and discard when we cannot. */
static void
skip_input(unsigned char *buf)
{
	if (skip == 0)
		return;
	if (lseek(ifd, (off_t)(skip * ibs), SEEK_CUR) != -1)
		return;
	for (uint64_t i = 0; i < skip; i++) {
		ssize_t n = read(ifd, buf, ibs);
		if (n < 0)
			err(1, "%s", ifile ? ifile : "stdin");
		if (n == 0) {
			warnx("skip reached end of input");
			return;
		}
	}
}

int
main(int argc, char *argv[])
{
	unsigned char *ibuf, *obuf;
	size_t ocnt = 0;
	int oflags;
	int direct;

	for (int i = 1; i < argc; i++) {
		char *arg = argv[i], *eq = strchr(arg, '=');
		if (eq == NULL || eq == arg) {
			if (strcmp(arg, "--") == 0)
				continue;
			errx(1, "unknown operand %s", arg);
		}
		*eq = '\0';
		const char *v = eq + 1;
		if (strcmp(arg, "bs") == 0) bs = getnum(arg, v);
		else if (strcmp(arg, "ibs") == 0) ibs = getnum(arg, v);
		else if (strcmp(arg, "obs") == 0) obs = getnum(arg, v);
		else if (strcmp(arg, "count") == 0) { count = getnum(arg, v); have_count = 1; }
		else if (strcmp(arg, "skip") == 0 || strcmp(arg, "iseek") == 0) skip = getnum(arg, v);
		else if (strcmp(arg, "seek") == 0 || strcmp(arg, "oseek") == 0) seek = getnum(arg, v);
		else if (strcmp(arg, "files") == 0) files_cnt = getnum(arg, v);
		else if (strcmp(arg, "if") == 0) ifile = v;
		else if (strcmp(arg, "of") == 0) ofile = v;
		else if (strcmp(arg, "conv") == 0) parse_conv(v);
		else if (strcmp(arg, "cbs") == 0) (void)getnum(arg, v);
		else if (strcmp(arg, "status") == 0) {
			if (strcmp(v, "none") == 0) status_level = 0;
			else if (strcmp(v, "noxfer") == 0) status_level = 1;
			else if (strcmp(v, "progress") == 0) status_level = 3;
			else errx(1, "unknown status %s", v);
		} else
			errx(1, "unknown operand %s", arg);
	}
	if (bs != 0)
		ibs = obs = bs;
	if (ibs == 0 || obs == 0)
		errx(1, "buffer sizes cannot be zero");
	if (ibs > (1ULL << 30) || obs > (1ULL << 30))
		errx(1, "buffer size too large");
	/* Record for record only when nothing needs reblocking. */
	direct = bs != 0 && !(cflags & C_SYNC);

	if (ifile != NULL && (ifd = open(ifile, O_RDONLY)) == -1)
		err(1, "%s", ifile);
	if (ofile != NULL) {
		oflags = O_WRONLY | O_CREAT;
		if (!(cflags & C_NOTRUNC) && seek == 0)
			oflags |= O_TRUNC;
		if (cflags & C_EXCL)
			oflags |= O_EXCL;
		if ((ofd = open(ofile, oflags, 0666)) == -1)
			err(1, "%s", ofile);
	}
	if ((ibuf = malloc(ibs + obs)) == NULL || (obuf = malloc(obs)) == NULL)
		err(1, "buffer");

	signal(SIGINT, on_signal);
	signal(SIGUSR1, on_signal);
	clock_gettime(CLOCK_MONOTONIC, &start);

	skip_input(ibuf);
	if (seek != 0) {
		if (lseek(ofd, (off_t)(seek * obs), SEEK_CUR) == -1)
			err(1, "%s", ofile ? ofile : "stdout");
		/* Without notrunc, what lies past the seek point goes. */
		if (ofile != NULL && !(cflags & C_NOTRUNC)) {
			struct stat sb;
			if (fstat(ofd, &sb) == 0 && S_ISREG(sb.st_mode))
				(void)ftruncate(ofd, (off_t)(seek * obs));
		}
	}

	while (!have_count || in_full + in_part < count) {
		ssize_t n = read(ifd, ibuf, ibs);
		if (want_summary) {
			want_summary = 0;
			summary();
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			warn("%s", ifile ? ifile : "stdin");
			if (!(cflags & C_NOERROR))
				break;
			/* noerror: count it and carry on (sync pads it below). */
			in_part++;
			if (!(cflags & C_SYNC))
				continue;
			n = 0;
			memset(ibuf, 0, ibs);
			n = ibs;
		} else if (n == 0) {
			if (--files_cnt > 0)
				continue;
			break;
		} else if ((uint64_t)n == ibs)
			in_full++;
		else {
			in_part++;
			if (cflags & C_SYNC) {
				memset(ibuf + n, 0, ibs - n);
				n = ibs;
			}
		}
		convert(ibuf, n);
		if (direct) {
			dowrite(ibuf, n);
			continue;
		}
		/* Reblock into obs-sized output records. */
		size_t off = 0;
		while (off < (size_t)n) {
			size_t take = obs - ocnt < (size_t)n - off ? obs - ocnt : (size_t)n - off;
			memcpy(obuf + ocnt, ibuf + off, take);
			ocnt += take;
			off += take;
			if (ocnt == obs) {
				dowrite(obuf, ocnt);
				ocnt = 0;
			}
		}
	}
	if (ocnt > 0)
		dowrite(obuf, ocnt);
	if ((cflags & C_FSYNC) && fsync(ofd) == -1)
		err(1, "fsync");
	if ((cflags & C_SPARSE) && ofile != NULL) {
		/* A file ending in a hole needs its size set. */
		off_t end = lseek(ofd, 0, SEEK_CUR);
		if (end != -1)
			(void)ftruncate(ofd, end);
	}
	if (close(ofd) == -1)
		err(1, "%s", ofile ? ofile : "stdout");
	summary();
	return (0);
}
