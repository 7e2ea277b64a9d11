/*
 * touch: change file access and modification times, creating missing
 * files (unless -c).  The time comes from now, -r file, -t
 * [[CC]YY]MMDDhhmm[.SS] or -d YYYY-MM-DDThh:mm:SS[.frac][Z].
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: touch [-A [-][[hh]mm]SS] [-achm] [-r file] [-t [[CC]YY]MMDDhhmm[.SS]]\n"
	    "       [-d YYYY-MM-DDThh:mm:SS[.frac][tz]] file ...\n");
	exit(1);
}

static int
two(const char *p)
{
	return ((p[0] - '0') * 10 + p[1] - '0');
}

static void
stime_arg1(const char *arg, struct timespec *ts)
{
	struct tm tm;
	time_t now = time(NULL);
	const char *dot = strchr(arg, '.');
	size_t len = dot != NULL ? (size_t)(dot - arg) : strlen(arg);

	localtime_r(&now, &tm);
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)arg[i]))
			goto bad;
	tm.tm_sec = 0;
	if (dot != NULL) {
		if (strlen(dot + 1) != 2 || !isdigit((unsigned char)dot[1]) || !isdigit((unsigned char)dot[2]))
			goto bad;
		tm.tm_sec = two(dot + 1);
	}
	switch (len) {
	case 12:
		tm.tm_year = two(arg) * 100 + two(arg + 2) - 1900;
		arg += 4;
		break;
	case 10: {
		int yy = two(arg);
		tm.tm_year = yy < 69 ? yy + 100 : yy;
		arg += 2;
		break;
	}
	case 8:
		break;
	default:
		goto bad;
	}
	tm.tm_mon = two(arg) - 1;
	tm.tm_mday = two(arg + 2);
	tm.tm_hour = two(arg + 4);
	tm.tm_min = two(arg + 6);
	tm.tm_isdst = -1;
	if ((ts->tv_sec = mktime(&tm)) == -1)
		goto bad;
	ts->tv_nsec = 0;
	return;
bad:
	errx(1, "out of range or illegal time specification: [[CC]YY]MMDDhhmm[.SS]");
}

static void
stime_darg(const char *arg, struct timespec *ts)
{
	struct tm tm;
	const char *p;
	int utc = 0;

	memset(&tm, 0, sizeof(tm));
	p = strptime(arg, "%Y-%m-%d", &tm);
	if (p == NULL || (*p != 'T' && *p != ' '))
		goto bad;
	p = strptime(p + 1, "%H:%M:%S", &tm);
	if (p == NULL)
		goto bad;
	ts->tv_nsec = 0;
	if (*p == '.' || *p == ',') {
		long mult = 100000000;
		for (p++; isdigit((unsigned char)*p); p++, mult /= 10)
			ts->tv_nsec += (*p - '0') * mult;
	}
	if (*p == 'Z') {
		utc = 1;
		p++;
	}
	if (*p != '\0')
		goto bad;
	tm.tm_isdst = -1;
	ts->tv_sec = utc ? timegm(&tm) : mktime(&tm);
	if (ts->tv_sec == -1)
		goto bad;
	return;
bad:
	errx(1, "out of range or illegal time specification: YYYY-MM-DDThh:mm:SS[.frac][tz]");
}

int
main(int argc, char *argv[])
{
	struct timespec ts[2];
	struct stat sb;
	int ch, aflag = 0, cflag = 0, hflag = 0, mflag = 0, rval = 0, timeset = 0;
	long adjust = 0;
	int Aflag = 0;

	ts[0].tv_sec = ts[1].tv_sec = 0;
	ts[0].tv_nsec = ts[1].tv_nsec = UTIME_NOW;
	while ((ch = getopt(argc, argv, "+A:acd:fhmr:t:")) != -1) {
		switch (ch) {
		case 'A': {
			/* [-][[hh]mm]SS */
			const char *s = optarg;
			int neg = *s == '-';
			if (neg)
				s++;
			size_t len = strlen(s);
			if (len < 2 || len > 6 || len % 2 != 0 || strspn(s, "0123456789") != len)
				errx(1, "-A: invalid time adjustment: %s", optarg);
			long v = 0;
			for (size_t i = 0; i < len; i += 2)
				v = v * 60 + two(s + i);
			adjust = neg ? -v : v;
			Aflag = 1;
			break;
		}
		case 'a': aflag = 1; break;
		case 'c': cflag = 1; break;
		case 'd': stime_darg(optarg, &ts[0]); ts[1] = ts[0]; timeset = 1; break;
		case 'f': break;
		case 'h': hflag = 1; cflag = 1; break;
		case 'm': mflag = 1; break;
		case 'r':
			if (stat(optarg, &sb) == -1)
				err(1, "%s", optarg);
			ts[0] = sb.st_atim;
			ts[1] = sb.st_mtim;
			timeset = 1;
			break;
		case 't': stime_arg1(optarg, &ts[0]); ts[1] = ts[0]; timeset = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (!aflag && !mflag)
		aflag = mflag = 1;
	if (Aflag && timeset)
		errx(1, "the -A option cannot be combined with -d, -r or -t");
	if (!aflag)
		ts[0].tv_nsec = UTIME_OMIT;
	if (!mflag)
		ts[1].tv_nsec = UTIME_OMIT;

	for (; *argv != NULL; argv++) {
		int flags = hflag ? AT_SYMLINK_NOFOLLOW : 0;
		if (Aflag) {
			/* Adjust the file's own times. */
			if ((hflag ? lstat(*argv, &sb) : stat(*argv, &sb)) == -1) {
				warn("%s", *argv);
				rval = 1;
				continue;
			}
			struct timespec at[2] = { sb.st_atim, sb.st_mtim };
			if (aflag)
				at[0].tv_sec += adjust;
			else
				at[0].tv_nsec = UTIME_OMIT;
			if (mflag)
				at[1].tv_sec += adjust;
			else
				at[1].tv_nsec = UTIME_OMIT;
			if (utimensat(AT_FDCWD, *argv, at, flags) == -1) {
				warn("%s", *argv);
				rval = 1;
			}
			continue;
		}
		if (utimensat(AT_FDCWD, *argv, ts, flags) == 0)
			continue;
		if (errno != ENOENT) {
			warn("%s", *argv);
			rval = 1;
			continue;
		}
		if (cflag)
			continue;
		int fd = open(*argv, O_WRONLY | O_CREAT, 0666);
		if (fd == -1 || (timeset && futimens(fd, ts) == -1)) {
			warn("%s", *argv);
			rval = 1;
		}
		if (fd != -1)
			close(fd);
	}
	return (rval);
}
