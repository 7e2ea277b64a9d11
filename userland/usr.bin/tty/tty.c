/* tty: print the name of the terminal on standard input ("not a tty", exit 1). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: tty [-s]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	int ch, sflag = 0;
	const char *t;

	while ((ch = getopt(argc, argv, "+s")) != -1) {
		switch (ch) {
		case 's': sflag = 1; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	t = ttyname(STDIN_FILENO);
	if (!sflag)
		puts(t != NULL ? t : "not a tty");
	return (t == NULL);
}
