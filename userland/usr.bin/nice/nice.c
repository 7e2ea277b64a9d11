/*
 * nice: execute a utility at an altered scheduling priority (default +10).
 * Exit 127 when the utility is not found, 126 when it cannot be run.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: nice [-n increment] utility [argument ...]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	long incr = 10;
	int ch, prio;
	char *ep;

	/* The historic "nice -5 cmd" form. */
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
		incr = strtol(argv[1] + 1, &ep, 10);
		if (*ep != '\0')
			errx(1, "%s: invalid nice value", argv[1] + 1);
		argv[1] = "--";
	}
	while ((ch = getopt(argc, argv, "+n:")) != -1) {
		switch (ch) {
		case 'n':
			errno = 0;
			incr = strtol(optarg, &ep, 10);
			if (*optarg == '\0' || *ep != '\0' || errno != 0)
				errx(1, "%s: invalid nice value", optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	errno = 0;
	prio = getpriority(PRIO_PROCESS, 0);
	if (prio == -1 && errno != 0)
		err(1, "getpriority");
	if (setpriority(PRIO_PROCESS, 0, (int)(prio + incr)) == -1)
		warn("setpriority");
	execvp(argv[0], argv);
	err(errno == ENOENT ? 127 : 126, "%s", argv[0]);
}
