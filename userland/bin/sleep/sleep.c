/*
 * sleep: suspend execution for an interval.  The interval may have a
 * fraction ("0.5") and, as in newer BSDs, a unit suffix s, m, h or d;
 * several operands add up.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void
usage(void)
{
	fprintf(stderr, "usage: sleep number[unit] [...]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	double total = 0, d;
	struct timespec ts;
	char *ep;
	int i;

	if (argc > 1 && argv[1][0] == '-' && argv[1][1] == '-' && argv[1][2] == '\0') {
		argv++;
		argc--;
	}
	if (argc < 2)
		usage();
	for (i = 1; i < argc; i++) {
		errno = 0;
		d = strtod(argv[i], &ep);
		if (ep == argv[i] || errno != 0 || d < 0 || isnan(d))
			errx(1, "invalid time interval: %s", argv[i]);
		switch (*ep) {
		case '\0': case 's': break;
		case 'm': d *= 60; break;
		case 'h': d *= 3600; break;
		case 'd': d *= 86400; break;
		default: errx(1, "invalid time interval: %s", argv[i]);
		}
		if (*ep != '\0' && ep[1] != '\0')
			errx(1, "invalid time interval: %s", argv[i]);
		total += d;
	}
	if (total > 1e9)
		total = 1e9;
	ts.tv_sec = (time_t)total;
	ts.tv_nsec = (long)((total - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1) {
		if (errno != EINTR)
			err(1, "nanosleep");
	}
	return (0);
}
