/*
 * cmp: compare two files byte by byte.  Default output is the first
 * difference ("a b differ: char 5, line 2"); -l lists every differing
 * byte (offset, octal values); -s says nothing.  Exit 0 same, 1 differ,
 * 2 trouble; EOF on the shorter file is reported on stderr.
 */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int lflag, sflag, xflag, zflag;

static void
usage(void)
{
	fprintf(stderr, "usage: cmp [-l | -s | -x] [-hz] file1 file2 [skip1 [skip2]]\n");
	exit(2);
}

static FILE *
openf(const char *name)
{
	FILE *fp;

	if (strcmp(name, "-") == 0)
		return (stdin);
	if ((fp = fopen(name, "r")) == NULL) {
		if (!sflag)
			warn("%s", name);
		exit(2);
	}
	return (fp);
}

static uintmax_t
skipval(const char *s)
{
	char *ep;
	uintmax_t n;

	errno = 0;
	n = strtoumax(s, &ep, 0);
	if (*s == '\0' || *ep != '\0' || errno != 0)
		errx(2, "invalid skip: %s", s);
	return (n);
}

static void
skipf(FILE *fp, uintmax_t n, const char *name)
{
	if (n == 0)
		return;
	if (fseeko(fp, (off_t)n, SEEK_SET) == 0)
		return;
	while (n-- > 0 && getc(fp) != EOF)
		;
	if (ferror(fp))
		err(2, "%s", name);
}

int
main(int argc, char *argv[])
{
	FILE *f1, *f2;
	int ch, c1, c2, differ = 0;
	uintmax_t byte = 1, line = 1;

	while ((ch = getopt(argc, argv, "+hlsxz")) != -1) {
		switch (ch) {
		case 'h': break;	/* symbolic links are compared as files anyway */
		case 'l': lflag = 1; break;
		case 's': sflag = 1; break;
		case 'x': xflag = 1; lflag = 1; break;
		case 'z': zflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (lflag + sflag > 1 || argc < 2 || argc > 4)
		usage();
	if (strcmp(argv[0], "-") == 0 && strcmp(argv[1], "-") == 0)
		errx(2, "standard input may only be specified once");
	f1 = openf(argv[0]);
	f2 = openf(argv[1]);
	if (zflag && f1 != stdin && f2 != stdin) {
		/* -z: different sizes differ, without reading. */
		fseeko(f1, 0, SEEK_END);
		fseeko(f2, 0, SEEK_END);
		if (ftello(f1) != ftello(f2)) {
			if (!sflag)
				printf("%s %s differ: size\n", argv[0], argv[1]);
			exit(1);
		}
		rewind(f1);
		rewind(f2);
	}
	skipf(f1, argc > 2 ? skipval(argv[2]) : 0, argv[0]);
	skipf(f2, argc > 3 ? skipval(argv[3]) : 0, argv[1]);

	for (;; byte++) {
		c1 = getc(f1);
		c2 = getc(f2);
		if (c1 == EOF || c2 == EOF)
			break;
		if (c1 != c2) {
			if (sflag)
				exit(1);
			if (!lflag) {
				printf("%s %s differ: char %ju, line %ju\n", argv[0], argv[1], byte, line);
				exit(1);
			}
			if (xflag)
				printf("%08jx %02x %02x\n", byte - 1, c1, c2);
			else
				printf("%6ju %3o %3o\n", byte, c1, c2);
			differ = 1;
		}
		if (c1 == '\n')
			line++;
	}
	if (ferror(f1))
		err(2, "%s", argv[0]);
	if (ferror(f2))
		err(2, "%s", argv[1]);
	if (c1 != c2) {
		/* One file ended first. */
		if (!sflag)
			fprintf(stderr, "cmp: EOF on %s\n", c1 == EOF ? argv[0] : argv[1]);
		exit(1);
	}
	return (differ);
}
