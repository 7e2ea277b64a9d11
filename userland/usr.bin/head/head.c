/*
 * head: display the first lines (-n, default 10) or bytes (-c) of files,
 * each under a "==> name <==" header when there are several.
 */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: head [-n lines | -c bytes] [file ...]\n");
	exit(1);
}

static intmax_t
count(const char *s, const char *what)
{
	char *ep;
	intmax_t n;

	errno = 0;
	n = strtoimax(s, &ep, 10);
	if (*s == '\0' || *ep != '\0' || errno != 0 || n <= 0)
		errx(1, "illegal %s count -- %s", what, s);
	return (n);
}

static void
head_lines(FILE *fp, intmax_t n)
{
	int ch;

	while (n > 0 && (ch = getc(fp)) != EOF) {
		putchar(ch);
		if (ch == '\n')
			n--;
	}
}

static void
head_bytes(FILE *fp, intmax_t n)
{
	char buf[8192];
	size_t r;

	while (n > 0 && (r = fread(buf, 1, n < (intmax_t)sizeof(buf) ? (size_t)n : sizeof(buf), fp)) > 0) {
		fwrite(buf, 1, r, stdout);
		n -= r;
	}
}

int
main(int argc, char *argv[])
{
	intmax_t lines = -1, bytes = -1;
	int ch, rval = 0, first = 1;
	FILE *fp;

	/* The obsolete "head -5" form. */
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
		lines = count(argv[1] + 1, "line");
		argv[1] = "--";
	}
	while ((ch = getopt(argc, argv, "+c:n:")) != -1) {
		switch (ch) {
		case 'c': bytes = count(optarg, "byte"); break;
		case 'n': lines = count(optarg, "line"); break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (lines != -1 && bytes != -1)
		errx(1, "can't combine line and byte counts");
	if (lines == -1 && bytes == -1)
		lines = 10;
	if (argc == 0) {
		if (bytes != -1)
			head_bytes(stdin, bytes);
		else
			head_lines(stdin, lines);
	}
	for (; *argv != NULL; argv++) {
		if ((fp = fopen(*argv, "r")) == NULL) {
			warn("%s", *argv);
			rval = 1;
			continue;
		}
		if (argc > 1) {
			printf("%s==> %s <==\n", first ? "" : "\n", *argv);
			first = 0;
		}
		if (bytes != -1)
			head_bytes(fp, bytes);
		else
			head_lines(fp, lines);
		if (ferror(fp)) {
			warn("%s", *argv);
			rval = 1;
		}
		fclose(fp);
	}
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (rval);
}
