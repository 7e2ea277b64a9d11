/*
 * basename: return the filename portion of a pathname, optionally without
 * a suffix.  -a or -s take any number of operands.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: basename string [suffix]\n"
	    "       basename [-a] [-s suffix] string [...]\n");
	exit(1);
}

/* POSIX's steps, without touching the argument. */
static void
printbase(const char *s, const char *suffix)
{
	size_t len = strlen(s), start;

	if (len == 0) {
		printf("\n");
		return;
	}
	while (len > 1 && s[len - 1] == '/')
		len--;
	if (len == 1 && s[0] == '/') {
		printf("/\n");
		return;
	}
	start = len;
	while (start > 0 && s[start - 1] != '/')
		start--;
	size_t n = len - start;
	if (suffix != NULL) {
		size_t sl = strlen(suffix);
		if (sl < n && strncmp(s + len - sl, suffix, sl) == 0)
			n -= sl;
	}
	printf("%.*s\n", (int)n, s + start);
}

int
main(int argc, char *argv[])
{
	int ch, aflag = 0;
	const char *suffix = NULL;

	while ((ch = getopt(argc, argv, "+as:")) != -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 's': suffix = optarg; aflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (!aflag) {
		if (argc > 2)
			usage();
		printbase(argv[0], argc == 2 ? argv[1] : NULL);
	} else
		for (; *argv != NULL; argv++)
			printbase(*argv, suffix);
	return (0);
}
