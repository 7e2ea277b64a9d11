/*
 * hostname: set or print the name of the current host.  -s drops the
 * domain, -d prints only the domain; an operand sets the name (root only).
 */
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: hostname [-f] [-s | -d] [name-of-host]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	int ch, sflag = 0, dflag = 0;
	char name[HOST_NAME_MAX + 1], *p;

	while ((ch = getopt(argc, argv, "+fsd")) != -1) {
		switch (ch) {
		case 'f': break;		/* the full name: already the default */
		case 's': sflag = 1; break;
		case 'd': dflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (sflag && dflag))
		usage();
	if (argc == 1) {
		if (sflag || dflag)
			usage();
		if (sethostname(argv[0], strlen(argv[0])) != 0)
			err(1, "sethostname");
		return (0);
	}
	if (gethostname(name, sizeof(name)) != 0)
		err(1, "gethostname");
	name[sizeof(name) - 1] = '\0';
	p = strchr(name, '.');
	if (sflag) {
		if (p != NULL)
			*p = '\0';
		printf("%s\n", name);
	} else if (dflag) {
		printf("%s\n", p != NULL ? p + 1 : "");
	} else
		printf("%s\n", name);
	return (0);
}
