/*
 * uniq: report or filter out repeated adjacent lines.  Fields (-f) are
 * runs of blanks and non-blanks; -s then skips characters; -i compares
 * without case.  -c prefixes each line with its count, in BSD's "%4d ".
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int cflag, dflag, uflag, iflag, Dflag;
static long numfields, numchars;

static void
usage(void)
{
	fprintf(stderr, "usage: uniq [-c | -d | -D | -u] [-i] [-f fields] [-s chars] [input [output]]\n");
	exit(1);
}

static const char *
skip(const char *s)
{
	for (long n = numfields; *s != '\0' && n-- > 0;) {
		while (isblank((unsigned char)*s))
			s++;
		while (*s != '\0' && *s != '\n' && !isblank((unsigned char)*s))
			s++;
	}
	for (long n = numchars; *s != '\0' && *s != '\n' && n-- > 0;)
		s++;
	return (s);
}

static int
same(const char *a, const char *b)
{
	a = skip(a);
	b = skip(b);
	/* The newline does not take part in the comparison. */
	size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
	if (la != lb)
		return (0);
	return ((iflag ? strncasecmp(a, b, la) : strncmp(a, b, la)) == 0);
}

static void
show(FILE *ofp, const char *line, long repeats)
{
	if ((dflag && repeats == 1) || (uflag && repeats > 1))
		return;
	if (cflag)
		fprintf(ofp, "%4ld ", repeats);
	fputs(line, ofp);
	size_t n = strlen(line);
	if (n == 0 || line[n - 1] != '\n')
		fputc('\n', ofp);
}

static long
number(const char *s, const char *what)
{
	char *ep;
	long n;

	errno = 0;
	n = strtol(s, &ep, 10);
	if (*s == '\0' || *ep != '\0' || n < 0 || errno != 0)
		errx(1, "%s: illegal %s", s, what);
	return (n);
}

int
main(int argc, char *argv[])
{
	FILE *ifp = stdin, *ofp = stdout;
	char *prev = NULL, *cur = NULL;
	size_t prevcap = 0, curcap = 0;
	long repeats = 0;
	int ch;

	while ((ch = getopt(argc, argv, "+cdDif:s:u")) != -1) {
		switch (ch) {
		case 'c': cflag = 1; break;
		case 'd': dflag = 1; break;
		case 'D': Dflag = 1; break;
		case 'i': iflag = 1; break;
		case 'f': numfields = number(optarg, "field skip value"); break;
		case 's': numchars = number(optarg, "character skip value"); break;
		case 'u': uflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	/* -d and -u together print nothing, as in BSD; -c goes with neither -D. */
	if (argc > 2 || (Dflag && (cflag || dflag || uflag)))
		usage();
	if (argc > 0 && strcmp(argv[0], "-") != 0 && (ifp = fopen(argv[0], "r")) == NULL)
		err(1, "%s", argv[0]);
	if (argc > 1 && (ofp = fopen(argv[1], "w")) == NULL)
		err(1, "%s", argv[1]);

	if (getline(&prev, &prevcap, ifp) == -1) {
		if (ferror(ifp))
			err(1, "%s", argc > 0 ? argv[0] : "stdin");
		return (0);
	}
	repeats = 1;
	for (;;) {
		ssize_t n = getline(&cur, &curcap, ifp);
		if (n == -1)
			break;
		if (same(prev, cur)) {
			if (Dflag) {
				if (repeats == 1)
					fputs(prev, ofp);
				fputs(cur, ofp);
			}
			repeats++;
			continue;
		}
		if (!Dflag)
			show(ofp, prev, repeats);
		/* Swap the buffers: cur becomes the line to compare against. */
		char *t = prev;
		size_t tc = prevcap;
		prev = cur;
		prevcap = curcap;
		cur = t;
		curcap = tc;
		repeats = 1;
	}
	if (ferror(ifp))
		err(1, "%s", argc > 0 ? argv[0] : "stdin");
	if (!Dflag)
		show(ofp, prev, repeats);
	if (fflush(ofp) != 0)
		err(1, "%s", argc > 1 ? argv[1] : "stdout");
	return (0);
}
