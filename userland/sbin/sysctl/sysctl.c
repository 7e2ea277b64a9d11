/*
 * sysctl: get or set kernel state.  Names are looked up with the internal
 * MIB ({0,3} name2oid), walked with {0,2} next (-a, or a node given by
 * name) and printed according to their {0,4} format: integers, strings,
 * and the few structures BSD's sysctl(8) knows (timeval, loadavg,
 * clockinfo).
 */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libutil.h"
#include "sysctl.h"

static int	aflag, bflag, dflag, eflag, Nflag, nflag, oflag, qflag;
static int	status;

static void	parse(char *);
static int	show(const int *, size_t, int);
static int	shownode(const int *, size_t);

static void
usage(void)
{
	fprintf(stderr, "%s\n%s\n",
	    "usage: sysctl [-bdeNnoq] name[=value] ...",
	    "       sysctl [-bdeNnoq] -a");
	exit(1);
}

int
main(int argc, char *argv[])
{
	int ch;

	while ((ch = getopt(argc, argv, "+AabdeNnoqwX")) != -1) {
		switch (ch) {
		case 'A': aflag = oflag = 1; break;
		case 'a': aflag = 1; break;
		case 'b': bflag = 1; break;
		case 'd': dflag = 1; break;
		case 'e': eflag = 1; break;
		case 'N': Nflag = 1; break;
		case 'n': nflag = 1; break;
		case 'o': oflag = 1; break;
		case 'q': qflag = 1; break;
		case 'w': break;		/* historical: writes need no flag */
		case 'X': aflag = oflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (Nflag && nflag)
		usage();
	if (argc == 0 && !aflag)
		usage();
	if (argc == 0) {
		shownode(NULL, 0);
		return (status);
	}
	while (argc-- > 0)
		parse(*argv++);
	return (status);
}

/* The oid's kind (type and flags) and format string. */
static int
oidfmt(const int *oid, size_t len, char *fmt, size_t fmtsz, unsigned *kind)
{
	int qoid[CTL_MAXNAME + 2];
	unsigned char buf[BUFSIZ];
	size_t j = sizeof(buf);

	qoid[0] = 0;
	qoid[1] = 4;
	memcpy(qoid + 2, oid, len * sizeof(int));
	if (sysctl(qoid, (unsigned)len + 2, buf, &j, NULL, 0) == -1)
		return (-1);
	memcpy(kind, buf, sizeof(*kind));
	if (fmt != NULL) {
		buf[sizeof(buf) - 1] = '\0';
		strlcpy(fmt, (char *)buf + sizeof(*kind), fmtsz);
	}
	return (0);
}

static int
oidname(const int *oid, size_t len, char *name, size_t namesz)
{
	int qoid[CTL_MAXNAME + 2];
	size_t j = namesz;

	qoid[0] = 0;
	qoid[1] = 1;
	memcpy(qoid + 2, oid, len * sizeof(int));
	if (sysctl(qoid, (unsigned)len + 2, name, &j, NULL, 0) == -1)
		return (-1);
	name[namesz - 1] = '\0';
	return (0);
}

/* Parse "name" or "name=value" and act on it. */
static void
parse(char *string)
{
	int mib[CTL_MAXNAME];
	size_t len = CTL_MAXNAME, newsize = 0;
	unsigned kind;
	char *cp, *newval = NULL, fmt[BUFSIZ];
	const char *errstr;
	int intval;
	long long llval;
	const void *newp = NULL;

	if ((cp = strchr(string, '=')) != NULL) {
		*cp = '\0';
		newval = cp + 1;
	}
	if (sysctlnametomib(string, mib, &len) == -1) {
		if (!qflag) {
			if (errno == ENOENT)
				warnx("unknown oid '%s'", string);
			else
				warn("%s", string);
		}
		status = 1;
		return;
	}
	if (oidfmt(mib, len, fmt, sizeof(fmt), &kind) == -1) {
		warn("couldn't find format of oid '%s'", string);
		status = 1;
		return;
	}
	if (newval == NULL) {
		/* A plain node (format "N"): everything below it. */
		if ((kind & CTLTYPE) == CTLTYPE_NODE && strcmp(fmt, "N") == 0) {
			shownode(mib, len);
			return;
		}
		if (show(mib, len, 1) != 0)
			status = 1;
		return;
	}
	if ((kind & CTLTYPE) == CTLTYPE_NODE) {
		warnx("oid '%s' isn't a leaf node", string);
		status = 1;
		return;
	}
	if (!(kind & CTLFLAG_WR)) {
		warnx("oid '%s' is read only", string);
		status = 1;
		return;
	}
	switch (kind & CTLTYPE) {
	case CTLTYPE_INT:
	case CTLTYPE_UINT:
		llval = strtonum(newval, (kind & CTLTYPE) == CTLTYPE_INT ?
		    INT32_MIN : 0, (kind & CTLTYPE) == CTLTYPE_INT ?
		    INT32_MAX : UINT32_MAX, &errstr);
		if (errstr != NULL) {
			warnx("invalid integer '%s'", newval);
			status = 1;
			return;
		}
		intval = (int)llval;
		newp = &intval;
		newsize = sizeof(intval);
		break;
	case CTLTYPE_LONG:
	case CTLTYPE_ULONG:
	case CTLTYPE_S64:
	case CTLTYPE_U64:
		llval = strtonum(newval, LLONG_MIN, LLONG_MAX, &errstr);
		if (errstr != NULL) {
			warnx("invalid integer '%s'", newval);
			status = 1;
			return;
		}
		newp = &llval;
		newsize = sizeof(llval);
		break;
	case CTLTYPE_STRING:
		newp = newval;
		newsize = strlen(newval);
		break;
	default:
		warnx("oid '%s' is type %u, cannot set that", string,
		    kind & CTLTYPE);
		status = 1;
		return;
	}
	if (show(mib, len, 0) != 0) {
		status = 1;
		return;
	}
	if (sysctl(mib, (unsigned)len, NULL, NULL, newp, newsize) == -1) {
		putchar('\n');
		fflush(stdout);
		switch (errno) {
		case EOPNOTSUPP:
			warnx("%s: value is not available", string);
			break;
		case ENOTDIR:
			warnx("%s: specification is incomplete", string);
			break;
		case ENOMEM:
			warnx("%s: type is unknown to this program", string);
			break;
		default:
			warn("%s", string);
			break;
		}
		status = 1;
		return;
	}
	if (!nflag && !Nflag)
		printf(" -> ");
	if (!Nflag) {
		nflag = 1;
		show(mib, len, 0);
		nflag = 0;
	}
	putchar('\n');
}

static void
showtimeval(const unsigned char *val, size_t len)
{
	int64_t tv[2];
	time_t t;
	char *p;

	if (len < sizeof(tv)) {
		printf("?");
		return;
	}
	memcpy(tv, val, sizeof(tv));
	t = (time_t)tv[0];
	printf("{ sec = %" PRId64 ", usec = %" PRId64 " } ", tv[0], tv[1]);
	p = ctime(&t);
	if (p != NULL)
		printf("%.24s", p);
}

static void
showloadavg(const unsigned char *val, size_t len)
{
	struct loadavg la;
	int i;

	if (len < sizeof(la)) {
		printf("?");
		return;
	}
	memcpy(&la, val, sizeof(la));
	printf("{");
	for (i = 0; i < 3; i++)
		printf(" %.2f", la.fscale > 0 ?
		    (double)la.ldavg[i] / la.fscale : 0.0);
	printf(" }");
}

static void
showclockinfo(const unsigned char *val, size_t len)
{
	struct clockinfo ci;

	if (len < sizeof(ci)) {
		printf("?");
		return;
	}
	memcpy(&ci, val, sizeof(ci));
	printf("{ hz = %d, tick = %d, tickadj = %d, profhz = %d, stathz = %d }",
	    ci.hz, ci.tick, ci.tickadj, ci.profhz, ci.stathz);
}

/*
 * Print one leaf: "name: value" (the name alone with -N, the value alone
 * with -n).  With nl == 0 no newline follows (for "old -> new").
 * Returns 0, or 1 when nothing could be shown.
 */
static int
show(const int *oid, size_t nlen, int nl)
{
	char name[BUFSIZ], fmt[BUFSIZ], descr[BUFSIZ], *sep;
	unsigned char *val, *p;
	size_t len, i, intlen;
	unsigned kind;
	int qoid[CTL_MAXNAME + 2], ctltype;
	const char *cfmt;

	if (oidname(oid, nlen, name, sizeof(name)) == -1) {
		warn("sysctl name");
		return (1);
	}
	if (oidfmt(oid, nlen, fmt, sizeof(fmt), &kind) == -1) {
		warn("couldn't find format of oid '%s'", name);
		return (1);
	}
	ctltype = kind & CTLTYPE;
	sep = eflag ? "=" : ": ";
	if (Nflag) {
		printf("%s", name);
		if (nl)
			putchar('\n');
		return (0);
	}
	if (dflag) {
		qoid[0] = 0;
		qoid[1] = 5;
		memcpy(qoid + 2, oid, nlen * sizeof(int));
		len = sizeof(descr);
		if (sysctl(qoid, (unsigned)nlen + 2, descr, &len, NULL, 0) == -1)
			descr[0] = '\0';
		descr[sizeof(descr) - 1] = '\0';
		if (!nflag)
			printf("%s%s", name, sep);
		printf("%s", descr);
		if (nl)
			putchar('\n');
		return (0);
	}

	/* The size, then the value; the table may grow in between. */
	len = 0;
	if (sysctl(oid, (unsigned)nlen, NULL, &len, NULL, 0) == -1) {
		if (!qflag)
			warn("%s", name);
		return (1);
	}
	len += len / 8 + 64;
	if ((val = malloc(len + 1)) == NULL)
		err(1, NULL);
	if (sysctl(oid, (unsigned)nlen, val, &len, NULL, 0) == -1) {
		if (!qflag)
			warn("%s", name);
		free(val);
		return (1);
	}
	val[len] = '\0';

	if (bflag) {
		fwrite(val, 1, len, stdout);
		free(val);
		return (0);
	}

	switch (ctltype) {
	case CTLTYPE_STRING:
		if (!nflag)
			printf("%s%s", name, sep);
		printf("%s", (char *)val);
		break;
	case CTLTYPE_INT:
	case CTLTYPE_UINT:
	case CTLTYPE_LONG:
	case CTLTYPE_ULONG:
	case CTLTYPE_S64:
	case CTLTYPE_U64:
		if (!nflag)
			printf("%s%s", name, sep);
		intlen = (ctltype == CTLTYPE_INT || ctltype == CTLTYPE_UINT) ?
		    4 : 8;
		for (i = 0, p = val; i + intlen <= len; i += intlen, p += intlen) {
			int32_t i32;
			uint32_t u32;
			int64_t i64;
			uint64_t u64;

			if (i > 0)
				putchar(' ');
			switch (ctltype) {
			case CTLTYPE_INT:
				memcpy(&i32, p, 4);
				printf("%" PRId32, i32);
				break;
			case CTLTYPE_UINT:
				memcpy(&u32, p, 4);
				printf("%" PRIu32, u32);
				break;
			case CTLTYPE_LONG:
			case CTLTYPE_S64:
				memcpy(&i64, p, 8);
				printf("%" PRId64, i64);
				break;
			default:
				memcpy(&u64, p, 8);
				printf("%" PRIu64, u64);
				break;
			}
		}
		break;
	case CTLTYPE_OPAQUE:
	default:
		cfmt = fmt;
		if (strcmp(cfmt, "S,timeval") == 0 ||
		    strcmp(cfmt, "S,loadavg") == 0 ||
		    strcmp(cfmt, "S,clockinfo") == 0) {
			if (!nflag)
				printf("%s%s", name, sep);
			if (strcmp(cfmt, "S,timeval") == 0)
				showtimeval(val, len);
			else if (strcmp(cfmt, "S,loadavg") == 0)
				showloadavg(val, len);
			else
				showclockinfo(val, len);
			break;
		}
		if (!oflag) {
			/* An opaque value we cannot print: skipped, as BSD does. */
			free(val);
			return (1);
		}
		if (!nflag)
			printf("%s%s", name, sep);
		printf("Format:%s Length:%zu Dump:0x", cfmt, len);
		for (i = 0; i < len && i < 16; i++)
			printf("%02x", val[i]);
		if (len > 16)
			printf("...");
		break;
	}
	if (nl)
		putchar('\n');
	free(val);
	return (0);
}

/*
 * Everything below a node (the whole tree when oid is NULL), in the
 * kernel's depth-first order.  Handler nodes (kern.proc.*: they want an
 * argument) and opaque values are skipped, as BSD's sysctl -a does.
 */
static int
shownode(const int *oid, size_t len)
{
	int name1[CTL_MAXNAME + 2], name2[CTL_MAXNAME];
	size_t l1, l2, i;
	unsigned kind;

	name1[0] = 0;
	name1[1] = 2;
	l1 = 2;
	if (len > 0) {
		memcpy(name1 + 2, oid, len * sizeof(int));
		l1 += len;
	}
	for (;;) {
		l2 = sizeof(name2);
		if (sysctl(name1, (unsigned)l1, name2, &l2, NULL, 0) == -1) {
			if (errno == ENOENT)
				return (0);
			err(1, "sysctl(getnext) %zu", l2);
		}
		l2 /= sizeof(int);
		if (l2 < len)
			return (0);
		for (i = 0; i < len; i++)
			if (name2[i] != oid[i])
				return (0);
		if (oidfmt(name2, l2, NULL, 0, &kind) == 0 &&
		    (kind & CTLTYPE) != CTLTYPE_NODE)
			(void)show(name2, l2, 1);
		memcpy(name1 + 2, name2, l2 * sizeof(int));
		l1 = 2 + l2;
	}
}
