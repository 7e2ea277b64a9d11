/*
 * stat: display file status, with BSD's format language.  A format is
 * text with conversions %[#][-][0][width][.prec][D|O|U|X|S|H|L|M]field:
 *   d dev  i ino  p mode  l nlink  u uid  g gid  r rdev  z size  b blocks
 *   k blksize  f flags  a/m/c/B access/modify/change/birth time  N name
 *   Y " -> target"  T type char (ls -F)  Z "major,minor" or size
 *   n newline  t tab  % percent
 * S shows a field as a string (names, strmode, dates per -t), D O U X as
 * numbers.  -x is the verbose display, -s shell assignments, -r raw
 * numbers, -l the ls -lT line.
 */
#include <err.h>
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include "libutil.h"

#define DEF_FORMAT	"%d %i %Sp %l %Su %Sg %r %z \"%Sa\" \"%Sm\" \"%Sc\" \"%SB\" %k %b %#Xf %N"
#define RAW_FORMAT	"%d %i %#p %l %u %g %r %z %a %m %c %B %k %b %f %N"
#define LS_FORMAT	"%Sp %l %Su %Sg %Z %Sm %N%SY"
#define SHELL_FORMAT	"st_dev=%d st_ino=%i st_mode=%#p st_nlink=%l st_uid=%u st_gid=%g " \
			"st_rdev=%r st_size=%z st_atime=%a st_mtime=%m st_ctime=%c " \
			"st_birthtime=%B st_blksize=%k st_blocks=%b st_flags=%f"

static const char *timefmt = "%b %e %H:%M:%S %Y";
static int nonl, quiet;

static void
usage(void)
{
	fprintf(stderr, "usage: stat [-FLnq] [-f format | -l | -r | -s | -x] [-t timefmt] [file ...]\n");
	exit(1);
}

static const char *
ftype(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return ("Regular File");
	case S_IFDIR: return ("Directory");
	case S_IFLNK: return ("Symbolic Link");
	case S_IFCHR: return ("Character Device");
	case S_IFBLK: return ("Block Device");
	case S_IFIFO: return ("Fifo File");
	case S_IFSOCK: return ("Socket");
	}
	return ("???");
}

static void
verbose(const char *name, const struct stat *sb)
{
	char mode[12], tb[64];
	const struct timespec *ts[3] = { &sb->st_atim, &sb->st_mtim, &sb->st_ctim };
	static const char *const lab[3] = { "Access", "Modify", "Change" };

	strmode(sb->st_mode, mode);
	mode[10] = '\0';
	printf("  File: \"%s\"", name);
	if (S_ISLNK(sb->st_mode)) {
		char buf[PATH_MAX];
		ssize_t n = readlink(name, buf, sizeof(buf) - 1);
		if (n >= 0)
			printf(" -> \"%.*s\"", (int)n, buf);
	}
	printf("\n  Size: %-11jd  FileType: %s\n", (intmax_t)sb->st_size, ftype(sb->st_mode));
	printf("  Mode: (%04o/%s)         Uid: (%5u/%8s)  Gid: (%5u/%8s)\n",
	    (unsigned)(sb->st_mode & 07777), mode, (unsigned)sb->st_uid, user_from_uid(sb->st_uid, 0),
	    (unsigned)sb->st_gid, group_from_gid(sb->st_gid, 0));
	printf("Device: %u,%u   Inode: %ju    Links: %ju\n", major(sb->st_dev), minor(sb->st_dev),
	    (uintmax_t)sb->st_ino, (uintmax_t)sb->st_nlink);
	for (int i = 0; i < 3; i++) {
		strftime(tb, sizeof(tb), "%a %b %e %H:%M:%S %Y", localtime(&ts[i]->tv_sec));
		printf("%s: %s\n", lab[i], tb);
	}
}

/* One conversion: flags/width/prec in spec (without the %), the output format, the field. */
static void
conv(const char *spec, char ofmt, char field, const char *name, const struct stat *sb)
{
	char f[64], buf[PATH_MAX + 8];
	int alt = strchr(spec, '#') != NULL;
	const struct timespec *ts = NULL;
	uintmax_t num = 0;
	const char *str = NULL;
	int isnum = 1;

	switch (field) {
	case 'd': num = sb->st_dev; break;
	case 'i': num = sb->st_ino; break;
	case 'p': num = sb->st_mode; if (ofmt == 0) ofmt = 'O'; break;
	case 'l': num = sb->st_nlink; break;
	case 'u': num = sb->st_uid; if (ofmt == 'S') str = user_from_uid(sb->st_uid, 0); break;
	case 'g': num = sb->st_gid; if (ofmt == 'S') str = group_from_gid(sb->st_gid, 0); break;
	case 'r': num = sb->st_rdev; break;
	case 'z': num = sb->st_size; break;
	case 'b': num = sb->st_blocks; break;
	case 'k': num = sb->st_blksize; break;
	case 'f': num = 0; break;
	case 'a': ts = &sb->st_atim; break;
	case 'm': ts = &sb->st_mtim; break;
	case 'c': ts = &sb->st_ctim; break;
	case 'B': ts = &sb->st_ctim; break;	/* no birth time: the change time */
	case 'N': str = name; break;
	case 'T': {
		static char t[2];
		mode_t m = sb->st_mode;
		t[0] = S_ISDIR(m) ? '/' : S_ISLNK(m) ? '@' : S_ISFIFO(m) ? '|' : S_ISSOCK(m) ? '=' :
		    (m & 0111) ? '*' : '\0';
		str = t;
		break;
	}
	case 'Y':
		str = "";
		if (S_ISLNK(sb->st_mode)) {
			char tgt[PATH_MAX];
			ssize_t n = readlink(name, tgt, sizeof(tgt) - 1);
			if (n >= 0) {
				snprintf(buf, sizeof(buf), " -> %.*s", (int)n, tgt);
				str = buf;
			}
		}
		break;
	case 'Z':
		if (S_ISCHR(sb->st_mode) || S_ISBLK(sb->st_mode))
			snprintf(buf, sizeof(buf), "%u,%u", major(sb->st_rdev), minor(sb->st_rdev));
		else
			snprintf(buf, sizeof(buf), "%jd", (intmax_t)sb->st_size);
		str = buf;
		break;
	default:
		errx(1, "%c: unknown field", field);
	}
	if (ts != NULL) {
		if (ofmt == 'S') {
			struct tm *tm = localtime(&ts->tv_sec);
			if (tm == NULL || strftime(buf, sizeof(buf), timefmt, tm) == 0)
				buf[0] = '\0';
			str = buf;
		} else
			num = (uintmax_t)ts->tv_sec;
	}
	if (field == 'p' && ofmt == 'S') {
		strmode(sb->st_mode, buf);
		buf[10] = '\0';
		str = buf;
	}
	if (str != NULL)
		isnum = 0;
	if (isnum) {
		char c = ofmt == 'O' ? 'o' : ofmt == 'X' ? 'x' : 'u';
		if (ofmt == 'D' || ofmt == 0 || ofmt == 'S' || ofmt == 'U')
			c = 'u';
		snprintf(f, sizeof(f), "%%%sj%c", spec, c);
		if (alt && c == 'u')
			snprintf(f, sizeof(f), "%%%.*sj%c", (int)strlen(spec), spec, c);
		printf(f, num);
	} else {
		/* Strings take the width but not the # flag. */
		char s2[32];
		size_t k = 0;
		for (const char *p = spec; *p != '\0' && k < sizeof(s2) - 1; p++)
			if (*p != '#' && *p != '0')
				s2[k++] = *p;
		s2[k] = '\0';
		snprintf(f, sizeof(f), "%%%ss", s2);
		printf(f, str);
	}
}

static void
output(const char *fmt, const char *name, const struct stat *sb)
{
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			putchar(*p);
			continue;
		}
		p++;
		if (*p == '%') { putchar('%'); continue; }
		if (*p == 'n') { putchar('\n'); continue; }
		if (*p == 't') { putchar('\t'); continue; }
		char spec[24];
		size_t k = 0;
		while ((*p == '#' || *p == '-' || *p == '+' || *p == ' ' || *p == '0' ||
		    (*p >= '1' && *p <= '9') || *p == '.') && k < sizeof(spec) - 1) {
			spec[k++] = *p++;
			while (*p >= '0' && *p <= '9' && k < sizeof(spec) - 1)
				spec[k++] = *p++;
		}
		spec[k] = '\0';
		char ofmt = 0;
		if (*p != '\0' && strchr("DOUXFS", *p) != NULL)
			ofmt = *p++;
		/* H, L, M sub-fields (major/minor...) are not supported: skip them. */
		if (*p == 'H' || *p == 'L' || *p == 'M')
			p++;
		if (*p == '\0')
			errx(1, "%%%s: missing field", spec);
		conv(spec, ofmt, *p, name, sb);
	}
	if (!nonl)
		putchar('\n');
}

int
main(int argc, char *argv[])
{
	const char *fmt = DEF_FORMAT;
	int ch, Lflag = 0, xflag = 0, rval = 0;
	struct stat sb;

	while ((ch = getopt(argc, argv, "+f:FlLnqrst:x")) != -1) {
		switch (ch) {
		case 'f': fmt = optarg; break;
		case 'F': fmt = "%Sp %l %Su %Sg %Z %Sm %N%T%SY"; break;
		case 'l': fmt = LS_FORMAT; timefmt = "%b %e %T %Y"; break;
		case 'L': Lflag = 1; break;
		case 'n': nonl = 1; break;
		case 'q': quiet = 1; break;
		case 'r': fmt = RAW_FORMAT; break;
		case 's': fmt = SHELL_FORMAT; break;
		case 't': timefmt = optarg; break;
		case 'x': xflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		if (fstat(STDIN_FILENO, &sb) == -1)
			err(1, "(stdin)");
		if (xflag)
			verbose("(stdin)", &sb);
		else
			output(fmt, "(stdin)", &sb);
		return (0);
	}
	for (; *argv != NULL; argv++) {
		if ((Lflag ? stat(*argv, &sb) : lstat(*argv, &sb)) == -1) {
			if (!quiet)
				warn("%s", *argv);
			rval = 1;
			continue;
		}
		if (xflag)
			verbose(*argv, &sb);
		else
			output(fmt, *argv, &sb);
	}
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (rval);
}
