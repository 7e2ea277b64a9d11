/*
 * date: display or set the date and time.
 *
 * The output format is strftime(3)'s; BSD's default is
 * "%a %b %e %H:%M:%S %Z %Y".  A [[[[[cc]yy]mm]dd]HH]MM[.ss] operand sets
 * the clock (root only) unless -j; -f parses another format instead; -v
 * adjusts the time (e.g. -v+1d -v-3H) before printing.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "%s\n%s\n%s\n",
	    "usage: date [-jnRu] [-I[date|hours|minutes|seconds]] [-r seconds|file]",
	    "            [-v[+|-]val[ymwdHMS]] [[[[[cc]yy]mm]dd]HH]MM[.ss] [+format]",
	    "       date [-jnRu] -f input_fmt new_date [+format]");
	exit(1);
}

static int
two(const char *p)
{
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
		return (-1);
	return ((p[0] - '0') * 10 + p[1] - '0');
}

static void
badformat(void)
{
	warnx("illegal time format");
	usage();
}

/* [[[[[cc]yy]mm]dd]HH]MM[.ss] */
static void
parse_classic(const char *arg, struct tm *tm)
{
	char buf[32];
	const char *dot = strchr(arg, '.');
	size_t len;
	int v;

	if (dot != NULL) {
		if (strlen(dot + 1) != 2 || (v = two(dot + 1)) < 0 || v > 61)
			badformat();
		tm->tm_sec = v;
		len = dot - arg;
	} else {
		tm->tm_sec = 0;
		len = strlen(arg);
	}
	if (len >= sizeof(buf) || len < 2 || len % 2 != 0 || len > 12)
		badformat();
	memcpy(buf, arg, len);
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)buf[i]))
			badformat();
	const char *p = buf;
	switch (len) {
	case 12:
		tm->tm_year = two(p) * 100 + two(p + 2) - 1900;
		p += 4;
		goto mm;
	case 10:
		v = two(p);
		tm->tm_year = v < 69 ? v + 100 : v;
		p += 2;
		/* FALLTHROUGH */
	case 8:
	mm:
		tm->tm_mon = two(p) - 1;
		p += 2;
		/* FALLTHROUGH */
	case 6:
		tm->tm_mday = two(p);
		p += 2;
		/* FALLTHROUGH */
	case 4:
		tm->tm_hour = two(p);
		p += 2;
		/* FALLTHROUGH */
	case 2:
		tm->tm_min = two(p);
		break;
	}
	if (tm->tm_mon < 0 || tm->tm_mon > 11 || tm->tm_mday < 1 || tm->tm_mday > 31 ||
	    tm->tm_hour > 23 || tm->tm_min > 59)
		badformat();
}

/* -v[+|-]val[ymwdHMS]: relative ("+1d") or absolute ("5H") adjustments. */
static void
adjust(struct tm *tm, const char *v)
{
	char sign = 0, *ep;
	long n;

	if (*v == '+' || *v == '-')
		sign = *v++;
	n = strtol(v, &ep, 10);
	if (ep == v || ep[0] == '\0' || ep[1] != '\0')
		errx(1, "%s: illegal time adjustment", v);
	if (sign == '-')
		n = -n;
	switch (*ep) {
	case 'y': if (sign) tm->tm_year += n; else tm->tm_year = n < 69 ? n + 100 : n > 1900 ? n - 1900 : n; break;
	case 'm': if (sign) tm->tm_mon += n; else tm->tm_mon = n - 1; break;
	case 'w': if (sign) tm->tm_mday += 7 * n; else errx(1, "%s: illegal time adjustment", v); break;
	case 'd': if (sign) tm->tm_mday += n; else tm->tm_mday = n; break;
	case 'H': if (sign) tm->tm_hour += n; else tm->tm_hour = n; break;
	case 'M': if (sign) tm->tm_min += n; else tm->tm_min = n; break;
	case 'S': if (sign) tm->tm_sec += n; else tm->tm_sec = n; break;
	default: errx(1, "%s: illegal time adjustment", v);
	}
	tm->tm_isdst = -1;
	if (mktime(tm) == (time_t)-1)
		errx(1, "%s: illegal time adjustment", v);
}

int
main(int argc, char *argv[])
{
	int ch, jflag = 0, Rflag = 0, set = 0, nadj = 0;
	const char *fmt = "%a %b %e %H:%M:%S %Z %Y", *infmt = NULL, *rarg = NULL;
	const char *adj[32];
	struct timespec ts;
	struct tm tm;
	char buf[1024], *ep;

	setlocale(LC_TIME, "");
	while ((ch = getopt(argc, argv, "+f:I::jnRr:uv:")) != -1) {
		switch (ch) {
		case 'f': infmt = optarg; jflag = 1; break;
		case 'I':
			if (optarg == NULL || strcmp(optarg, "date") == 0)
				fmt = "%Y-%m-%d";
			else if (strcmp(optarg, "hours") == 0)
				fmt = "%Y-%m-%dT%H%z";
			else if (strcmp(optarg, "minutes") == 0)
				fmt = "%Y-%m-%dT%H:%M%z";
			else if (strcmp(optarg, "seconds") == 0)
				fmt = "%Y-%m-%dT%H:%M:%S%z";
			else
				errx(1, "invalid argument '%s' for -I", optarg);
			break;
		case 'j': jflag = 1; break;
		case 'n': break;	/* no network time daemon to tell */
		case 'R': Rflag = 1; break;
		case 'r': rarg = optarg; break;
		case 'u':
			if (setenv("TZ", "UTC0", 1) != 0)
				err(1, "setenv");
			break;
		case 'v':
			if (nadj == (int)(sizeof(adj) / sizeof(adj[0])))
				errx(1, "too many -v options");
			adj[nadj++] = optarg;
			break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	tzset();
	if (Rflag)
		fmt = "%a, %d %b %Y %T %z";

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		err(1, "clock_gettime");
	if (rarg != NULL) {
		struct stat sb;
		errno = 0;
		long long secs = strtoll(rarg, &ep, 10);
		if (*rarg != '\0' && *ep == '\0' && errno == 0)
			ts.tv_sec = (time_t)secs;
		else if (stat(rarg, &sb) == 0)
			ts.tv_sec = sb.st_mtim.tv_sec;
		else
			err(1, "%s", rarg);
	}
	if (localtime_r(&ts.tv_sec, &tm) == NULL)
		errx(1, "time out of range");

	if (argc > 0 && argv[0][0] != '+') {
		if (infmt != NULL) {
			struct tm nt = tm;
			char *end = strptime(argv[0], infmt, &nt);
			if (end == NULL || *end != '\0')
				errx(1, "Cannot parse \"%s\" using format \"%s\"", argv[0], infmt);
			tm = nt;
		} else
			parse_classic(argv[0], &tm);
		tm.tm_isdst = -1;
		if ((ts.tv_sec = mktime(&tm)) == (time_t)-1)
			errx(1, "nonexistent time");
		ts.tv_nsec = 0;
		set = !jflag;
		argc--;
		argv++;
	}
	for (int i = 0; i < nadj; i++)
		adjust(&tm, adj[i]);
	if (nadj > 0)
		ts.tv_sec = mktime(&tm);
	if (set) {
		if (clock_settime(CLOCK_REALTIME, &ts) != 0)
			err(1, "settimeofday");
	}
	if (argc > 0) {
		if (argv[0][0] != '+' || argc > 1)
			usage();
		fmt = argv[0] + 1;
	}
	if (*fmt == '\0')
		buf[0] = '\0';
	else if (strftime(buf, sizeof(buf), fmt, &tm) == 0)
		errx(1, "format too long");
	printf("%s\n", buf);
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (0);
}
