/* dirname: return the directory portion of each pathname (POSIX's steps). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: dirname string [...]\n");
	exit(1);
}

static void
printdir(const char *s)
{
	size_t len = strlen(s);

	/* Trailing slashes, the last component, then the slashes before it. */
	while (len > 1 && s[len - 1] == '/')
		len--;
	while (len > 0 && s[len - 1] != '/')
		len--;
	if (len == 0) {
		printf(".\n");
		return;
	}
	while (len > 1 && s[len - 1] == '/')
		len--;
	printf("%.*s\n", (int)len, s);
}

int
main(int argc, char *argv[])
{
	int ch;

	while ((ch = getopt(argc, argv, "+")) != -1)
		usage();
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	for (; *argv != NULL; argv++)
		printdir(*argv);
	return (0);
}
