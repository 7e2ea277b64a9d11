/*
 * tail: display the last part of a file.
 *
 * Offsets: -n/-c/-b with "+N" count from the start (1 = first line), plain
 * or "-N" from the end.  Input from the end is held in memory (whole
 * lines), which is simple and fine for the files of this system.  -f keeps
 * reading as the file grows (polling, 4 times a second); -F also notices a
 * file replaced under the same name.  -r prints lines in reverse order.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum style { LINES, BYTES };

static enum style style = LINES;
static intmax_t off = 10;
static int fromstart, fflag, Fflag, rflag, qflag, rflag_all = 1;
static int rval;

static void
usage(void)
{
	fprintf(stderr, "usage: tail [-F | -f | -r] [-q] [-b # | -c # | -n #] [file ...]\n");
	exit(1);
}

static void
setoff(const char *s, enum style st, intmax_t mult)
{
	char *ep;

	style = st;
	fromstart = *s == '+';
	if (*s == '+' || *s == '-')
		s++;
	errno = 0;
	off = strtoimax(s, &ep, 10);
	if (*s == '\0' || *ep != '\0' || errno != 0 || off < 0)
		errx(1, "illegal offset -- %s", s);
	off *= mult;
	rflag_all = 0;
}

/* Read all of fd into memory. */
static char *
slurp(int fd, size_t *lenp, const char *name)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	ssize_t n;

	if (buf == NULL)
		err(1, NULL);
	while ((n = read(fd, buf + len, cap - len)) > 0) {
		len += n;
		if (len == cap && (buf = realloc(buf, cap *= 2)) == NULL)
			err(1, NULL);
	}
	if (n < 0) {
		warn("%s", name);
		rval = 1;
	}
	*lenp = len;
	return (buf);
}

static void
out(const char *p, size_t n)
{
	if (n > 0 && fwrite(p, 1, n, stdout) != n)
		err(1, "stdout");
}

static void
reverse(const char *buf, size_t len)
{
	intmax_t printed = 0;
	size_t end = len;

	/* Lines from the end, each with its newline (the last may lack one). */
	while (end > 0 && (rflag_all || printed < off)) {
		size_t start = end;
		if (buf[start - 1] == '\n')
			start--;
		while (start > 0 && buf[start - 1] != '\n')
			start--;
		out(buf + start, end - start);
		if (end == len && buf[len - 1] != '\n')
			out("\n", 1);
		end = start;
		printed++;
	}
}

static void
dofile(int fd, const char *name)
{
	size_t len, i;
	char *buf;

	if (fromstart) {
		/* Skip off-1 units, then copy the rest as it comes. */
		intmax_t skip = off > 0 ? off - 1 : 0;
		char b[65536];
		ssize_t n;
		while ((n = read(fd, b, sizeof(b))) > 0) {
			size_t k = 0;
			if (style == BYTES) {
				if (skip >= n) {
					skip -= n;
					continue;
				}
				k = skip;
				skip = 0;
			} else {
				while (skip > 0 && k < (size_t)n)
					if (b[k++] == '\n')
						skip--;
			}
			out(b + k, n - k);
		}
		if (n < 0) {
			warn("%s", name);
			rval = 1;
		}
		return;
	}
	buf = slurp(fd, &len, name);
	if (rflag) {
		reverse(buf, len);
	} else if (style == BYTES) {
		i = (uintmax_t)off >= len ? 0 : len - off;
		out(buf + i, len - i);
	} else {
		intmax_t n = 0;
		i = len;
		/* A final line without a newline still counts. */
		if (i > 0 && buf[i - 1] == '\n')
			i--;
		while (i > 0) {
			if (buf[i - 1] == '\n' && ++n == off)
				break;
			i--;
		}
		if (off == 0)
			i = len;
		out(buf + i, len - i);
	}
	free(buf);
}

struct followed {
	const char *name;
	int fd;
	dev_t dev;
	ino_t ino;
	off_t size;
};

static void
follow(struct followed *f, int n)
{
	char b[65536];
	int last = n - 1;
	struct timespec ts = { 0, 250000000 };

	fflush(stdout);
	for (;;) {
		int any = 0;
		for (int i = 0; i < n; i++) {
			ssize_t r;
			struct stat sb;
			if (f[i].fd < 0 && !Fflag)
				continue;
			if (Fflag && f[i].name != NULL && stat(f[i].name, &sb) == 0 &&
			    (f[i].fd < 0 || sb.st_ino != f[i].ino || sb.st_dev != f[i].dev)) {
				/* Replaced or created: read the new file from its start. */
				int nfd = open(f[i].name, O_RDONLY);
				if (nfd >= 0) {
					if (f[i].fd >= 0)
						close(f[i].fd);
					f[i].fd = nfd;
					f[i].dev = sb.st_dev;
					f[i].ino = sb.st_ino;
				}
			}
			if (f[i].fd < 0)
				continue;
			if (fstat(f[i].fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size < f[i].size) {
				/* Truncated: start over. */
				lseek(f[i].fd, 0, SEEK_SET);
			}
			while ((r = read(f[i].fd, b, sizeof(b))) > 0) {
				if (n > 1 && i != last && !qflag) {
					printf("\n==> %s <==\n", f[i].name ? f[i].name : "stdin");
					last = i;
				}
				out(b, r);
				any = 1;
			}
			f[i].size = lseek(f[i].fd, 0, SEEK_CUR);
		}
		if (any)
			fflush(stdout);
		nanosleep(&ts, NULL);
	}
}

int
main(int argc, char *argv[])
{
	int ch, nfiles;
	struct followed *fl;

	/* Obsolete forms: "tail -5", "tail +5", "tail -5c", "tail -5f". */
	if (argc > 1 && (argv[1][0] == '-' || argv[1][0] == '+') &&
	    argv[1][1] >= '0' && argv[1][1] <= '9') {
		char *s = argv[1], *e = s + strlen(s);
		enum style st = LINES;
		intmax_t mult = 1;
		while (e > s + 1 && (e[-1] < '0' || e[-1] > '9')) {
			switch (*--e) {
			case 'c': st = BYTES; break;
			case 'b': st = BYTES; mult = 512; break;
			case 'l': break;
			case 'f': fflag = 1; break;
			case 'r': rflag = 1; break;
			default: usage();
			}
		}
		*e = '\0';
		setoff(s, st, mult);
		if (s[0] == '-')
			fromstart = 0;
		argv[1] = "--";
	}
	while ((ch = getopt(argc, argv, "+Ffrqb:c:n:")) != -1) {
		switch (ch) {
		case 'F': Fflag = fflag = 1; break;
		case 'f': fflag = 1; break;
		case 'r': rflag = 1; break;
		case 'q': qflag = 1; break;
		case 'b': setoff(optarg, BYTES, 512); break;
		case 'c': setoff(optarg, BYTES, 1); break;
		case 'n': setoff(optarg, LINES, 1); break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (rflag && (fflag || style == BYTES))
		usage();
	if (rflag && fromstart)
		fromstart = 0;

	nfiles = argc;
	if ((fl = calloc(nfiles > 0 ? nfiles : 1, sizeof(*fl))) == NULL)
		err(1, NULL);
	if (nfiles == 0) {
		struct stat sb;
		dofile(STDIN_FILENO, "stdin");
		/* -f on a pipe makes no sense: it ends when the writer does. */
		if (fflag && fstat(STDIN_FILENO, &sb) == 0 && !S_ISFIFO(sb.st_mode)) {
			fl[0].fd = STDIN_FILENO;
			follow(fl, 1);
		}
		return (rval);
	}
	for (int i = 0; i < nfiles; i++) {
		int fd = open(argv[i], O_RDONLY);
		struct stat sb;
		fl[i].name = argv[i];
		fl[i].fd = -1;
		if (fd == -1) {
			warn("%s", argv[i]);
			rval = 1;
			continue;
		}
		if (nfiles > 1 && !qflag)
			printf("%s==> %s <==\n", i > 0 ? "\n" : "", argv[i]);
		dofile(fd, argv[i]);
		if (fflag) {
			fstat(fd, &sb);
			fl[i].fd = fd;
			fl[i].dev = sb.st_dev;
			fl[i].ino = sb.st_ino;
			fl[i].size = lseek(fd, 0, SEEK_CUR);
		} else
			close(fd);
	}
	if (fflag)
		follow(fl, nfiles);
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (rval);
}
