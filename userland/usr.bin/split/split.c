/*
 * split: split a file into pieces named prefix + suffix ("xaa", "xab"...),
 * by lines (-l, default 1000), bytes (-b) or into n equal chunks (-n).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libutil.h"

static int sufflen = 2, dflag;
static const char *prefix = "x";
static char fname[PATH_MAX];
static long fileno_ = 0;
static int ofd = -1;

static void
usage(void)
{
	fprintf(stderr, "%s\n%s\n%s\n",
	    "usage: split [-d] [-a suffix_length] [-l line_count] [file [prefix]]",
	    "       split [-d] [-a suffix_length] -b byte_count[k|m] [file [prefix]]",
	    "       split [-d] [-a suffix_length] -n chunk_count [file [prefix]]");
	exit(64);
}

/* Close the current piece and open the next. */
static void
newfile(void)
{
	char suffix[64];
	long n = fileno_++;
	int base = dflag ? 10 : 26;

	if (ofd >= 0)
		close(ofd);
	for (int i = sufflen - 1; i >= 0; i--) {
		suffix[i] = dflag ? '0' + n % base : 'a' + n % base;
		n /= base;
	}
	suffix[sufflen] = '\0';
	if (n != 0)
		errx(1, "too many files");
	if (snprintf(fname, sizeof(fname), "%s%s", prefix, suffix) >= (int)sizeof(fname))
		errx(1, "prefix is too long");
	if ((ofd = open(fname, O_WRONLY | O_CREAT | O_TRUNC, 0666)) == -1)
		err(1, "%s", fname);
}

static void
writeall(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(ofd, p, n);
		if (w < 0)
			err(1, "%s", fname);
		p += w;
		n -= w;
	}
}

int
main(int argc, char *argv[])
{
	uint64_t bytecnt = 0, linecnt = 0, chunks = 0;
	int ch, ifd = STDIN_FILENO;
	const char *ifile = "stdin";
	static char buf[65536];
	ssize_t n;
	char *ep;

	while ((ch = getopt(argc, argv, "+a:b:dl:n:")) != -1) {
		switch (ch) {
		case 'a':
			sufflen = (int)strtol(optarg, &ep, 10);
			if (*ep != '\0' || sufflen <= 0 || sufflen > 32)
				errx(64, "%s: illegal suffix length", optarg);
			break;
		case 'b':
			if (expand_number(optarg, &bytecnt) != 0 || bytecnt == 0)
				errx(64, "%s: illegal byte count", optarg);
			break;
		case 'd': dflag = 1; break;
		case 'l':
			errno = 0;
			linecnt = strtoull(optarg, &ep, 10);
			if (*optarg == '\0' || *ep != '\0' || errno != 0 || linecnt == 0)
				errx(64, "%s: illegal line count", optarg);
			break;
		case 'n':
			chunks = strtoull(optarg, &ep, 10);
			if (*optarg == '\0' || *ep != '\0' || chunks == 0)
				errx(64, "%s: illegal number of chunks", optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((bytecnt != 0) + (linecnt != 0) + (chunks != 0) > 1)
		usage();
	if (argc > 2)
		usage();
	if (argc > 0 && strcmp(argv[0], "-") != 0) {
		ifile = argv[0];
		if ((ifd = open(ifile, O_RDONLY)) == -1)
			err(1, "%s", ifile);
	}
	if (argc > 1)
		prefix = argv[1];
	if (chunks != 0) {
		struct stat sb;
		if (fstat(ifd, &sb) == -1 || !S_ISREG(sb.st_mode))
			errx(1, "%s: cannot split into chunks: not a regular file", ifile);
		if ((uint64_t)sb.st_size < chunks)
			errx(1, "can't split into more than %jd files", (intmax_t)sb.st_size);
		bytecnt = sb.st_size / chunks;
		/* The last chunk takes the remainder. */
		for (uint64_t c = 0; c < chunks; c++) {
			uint64_t want = c + 1 == chunks ? (uint64_t)sb.st_size - bytecnt * c : bytecnt;
			newfile();
			while (want > 0 && (n = read(ifd, buf, want < sizeof(buf) ? want : sizeof(buf))) > 0) {
				writeall(buf, n);
				want -= n;
			}
		}
		return (0);
	}
	if (bytecnt == 0 && linecnt == 0)
		linecnt = 1000;

	uint64_t used = 0;	/* in the current piece: bytes or lines */
	int open_ = 0;
	while ((n = read(ifd, buf, sizeof(buf))) > 0) {
		char *p = buf, *end = buf + n;
		while (p < end) {
			if (!open_ || (bytecnt ? used == bytecnt : used == linecnt)) {
				newfile();
				open_ = 1;
				used = 0;
			}
			size_t take;
			if (bytecnt) {
				take = (size_t)(end - p) < bytecnt - used ? (size_t)(end - p) : bytecnt - used;
				used += take;
			} else {
				char *q = p;
				while (q < end && used < linecnt) {
					char *nl = memchr(q, '\n', end - q);
					if (nl == NULL) {
						q = end;
						break;
					}
					q = nl + 1;
					used++;
				}
				take = q - p;
			}
			writeall(p, take);
			p += take;
		}
	}
	if (n < 0)
		err(1, "%s", ifile);
	if (ofd >= 0 && close(ofd) == -1)
		err(1, "%s", fname);
	return (0);
}
