/*
 * stty: set the options for a terminal device interface, over termios(4).
 *
 * Output is in BSD's style: "stty" lists what differs from the sane
 * defaults, "stty -a" every flag by group (lflags, iflags, oflags,
 * cflags) and the control characters, "stty -g" a gfmt1 line that stty
 * reads back.  The flags listed are those Linux's termios has.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

enum { L, I, O, C };

struct flag {
	const char *name;
	int	set;		/* which tcflag_t */
	tcflag_t bits, mask;	/* mask: for multi-bit fields (cs8, tab0) */
	int	sane;		/* on in "sane" */
};

static const struct flag flags[] = {
	{ "icanon", L, ICANON, 0, 1 }, { "isig", L, ISIG, 0, 1 }, { "iexten", L, IEXTEN, 0, 1 },
	{ "echo", L, ECHO, 0, 1 }, { "echoe", L, ECHOE, 0, 1 }, { "echok", L, ECHOK, 0, 0 },
	{ "echoke", L, ECHOKE, 0, 1 }, { "echonl", L, ECHONL, 0, 0 }, { "echoctl", L, ECHOCTL, 0, 1 },
	{ "echoprt", L, ECHOPRT, 0, 0 }, { "noflsh", L, NOFLSH, 0, 0 }, { "tostop", L, TOSTOP, 0, 0 },
	{ "flusho", L, FLUSHO, 0, 0 }, { "pendin", L, PENDIN, 0, 0 }, { "extproc", L, EXTPROC, 0, 0 },
	{ "istrip", I, ISTRIP, 0, 0 }, { "icrnl", I, ICRNL, 0, 1 }, { "inlcr", I, INLCR, 0, 0 },
	{ "igncr", I, IGNCR, 0, 0 }, { "ixon", I, IXON, 0, 1 }, { "ixoff", I, IXOFF, 0, 0 },
	{ "ixany", I, IXANY, 0, 1 }, { "imaxbel", I, IMAXBEL, 0, 1 }, { "ignbrk", I, IGNBRK, 0, 0 },
	{ "brkint", I, BRKINT, 0, 1 }, { "inpck", I, INPCK, 0, 0 }, { "ignpar", I, IGNPAR, 0, 0 },
	{ "parmrk", I, PARMRK, 0, 0 }, { "iutf8", I, IUTF8, 0, 1 },
	{ "opost", O, OPOST, 0, 1 }, { "onlcr", O, ONLCR, 0, 1 }, { "ocrnl", O, OCRNL, 0, 0 },
	{ "tab0", O, TAB0, TABDLY, 1 }, { "tab3", O, TAB3, TABDLY, 0 }, { "onocr", O, ONOCR, 0, 0 },
	{ "onlret", O, ONLRET, 0, 0 },
	{ "cread", C, CREAD, 0, 1 }, { "cs5", C, CS5, CSIZE, 0 }, { "cs6", C, CS6, CSIZE, 0 },
	{ "cs7", C, CS7, CSIZE, 0 }, { "cs8", C, CS8, CSIZE, 1 }, { "parenb", C, PARENB, 0, 0 },
	{ "parodd", C, PARODD, 0, 0 }, { "hupcl", C, HUPCL, 0, 1 }, { "clocal", C, CLOCAL, 0, 0 },
	{ "cstopb", C, CSTOPB, 0, 0 }, { "crtscts", C, CRTSCTS, 0, 0 },
};
#define NFLAGS ((int)(sizeof(flags) / sizeof(flags[0])))

struct cchar {
	const char *name;
	int	idx;
	unsigned char sane;
};

static const struct cchar cchars[] = {
	{ "discard", VDISCARD, 'O' & 037 }, { "eof", VEOF, 'D' & 037 }, { "eol", VEOL, _POSIX_VDISABLE },
	{ "eol2", VEOL2, _POSIX_VDISABLE }, { "erase", VERASE, 0177 }, { "intr", VINTR, 'C' & 037 },
	{ "kill", VKILL, 'U' & 037 }, { "lnext", VLNEXT, 'V' & 037 }, { "min", VMIN, 1 },
	{ "quit", VQUIT, 034 }, { "reprint", VREPRINT, 'R' & 037 }, { "start", VSTART, 'Q' & 037 },
	{ "stop", VSTOP, 'S' & 037 }, { "susp", VSUSP, 'Z' & 037 }, { "time", VTIME, 0 },
	{ "werase", VWERASE, 'W' & 037 },
};
#define NCCHARS ((int)(sizeof(cchars) / sizeof(cchars[0])))

static struct termios t;
static struct winsize ws;
static int fd = STDIN_FILENO, havews;

static void
usage(void)
{
	fprintf(stderr, "usage: stty [-a | -e | -g] [-f file] [arguments]\n");
	exit(1);
}

static tcflag_t *
field(int set)
{
	switch (set) {
	case L: return (&t.c_lflag);
	case I: return (&t.c_iflag);
	case O: return (&t.c_oflag);
	default: return (&t.c_cflag);
	}
}

static int
isset(const struct flag *f)
{
	tcflag_t v = *field(f->set);
	return (f->mask ? (v & f->mask) == f->bits : (v & f->bits) != 0);
}

static const char *
ccname(unsigned char c, int idx)
{
	static char buf[8];

	if (idx == VMIN || idx == VTIME) {
		snprintf(buf, sizeof(buf), "%u", c);
		return (buf);
	}
	if (c == _POSIX_VDISABLE)
		return ("<undef>");
	if (c == 0177)
		return ("^?");
	if (c < 040)
		snprintf(buf, sizeof(buf), "^%c", c + '@');
	else
		snprintf(buf, sizeof(buf), "%c", c);
	return (buf);
}

/* Words on lines of at most 72 columns, continuation lines indented by a tab. */
static int col;
static void
put(const char *label, const char *word)
{
	int len = strlen(word);

	if (label != NULL) {
		if (col > 0)
			putchar('\n');
		col = printf("%s", label);
	}
	if (col + len + 1 > 72) {
		printf("\n\t");
		col = 8;
	} else if (col > 0 && label == NULL) {
		putchar(' ');
		col++;
	} else if (label != NULL) {
		putchar(' ');
		col++;
	}
	col += printf("%s", word);
}

static long
baudof(speed_t sp)
{
	static const struct { speed_t s; long v; } speeds[] = {
		{ B0, 0 }, { B50, 50 }, { B75, 75 }, { B110, 110 }, { B134, 134 }, { B150, 150 },
		{ B200, 200 }, { B300, 300 }, { B600, 600 }, { B1200, 1200 }, { B1800, 1800 },
		{ B2400, 2400 }, { B4800, 4800 }, { B9600, 9600 }, { B19200, 19200 }, { B38400, 38400 },
		{ B57600, 57600 }, { B115200, 115200 }, { B230400, 230400 },
	};

	for (size_t k = 0; k < sizeof(speeds) / sizeof(speeds[0]); k++)
		if (speeds[k].s == sp)
			return (speeds[k].v);
	return (0);
}

static void
print(int all)
{
	static const char *const labels[] = { "lflags:", "iflags:", "oflags:", "cflags:" };
	char w[32];

	printf("speed %ld baud;", baudof(cfgetospeed(&t)));
	if (all && havews)
		printf(" %d rows; %d columns;", ws.ws_row, ws.ws_col);
	printf("\n");
	col = 0;
	for (int set = L; set <= C; set++) {
		int any = 0;
		for (int k = 0; k < NFLAGS; k++) {
			const struct flag *f = &flags[k];
			if (f->set != set)
				continue;
			int on = isset(f);
			/* Multi-bit fields: only the value that is set. */
			if (f->mask && !on)
				continue;
			if (!all && on == f->sane)
				continue;
			snprintf(w, sizeof(w), "%s%s", on ? "" : "-", f->name);
			put(any ? NULL : labels[set], w);
			any = 1;
		}
	}
	if (col > 0)
		putchar('\n');
	col = 0;
	int any = 0;
	for (int k = 0; k < NCCHARS; k++) {
		unsigned char c = t.c_cc[cchars[k].idx];
		if (!all && c == cchars[k].sane)
			continue;
		snprintf(w, sizeof(w), "%s = %s;", cchars[k].name, ccname(c, cchars[k].idx));
		put(any ? NULL : "cchars:", w);
		any = 1;
	}
	if (col > 0)
		putchar('\n');
}

static void
gprint(void)
{
	printf("gfmt1:cflag=%x:iflag=%x:lflag=%x:oflag=%x", (unsigned)t.c_cflag, (unsigned)t.c_iflag,
	    (unsigned)t.c_lflag, (unsigned)t.c_oflag);
	for (int k = 0; k < NCCHARS; k++)
		printf(":%s=%x", cchars[k].name, t.c_cc[cchars[k].idx]);
	printf(":ispeed=%u:ospeed=%u\n", (unsigned)cfgetispeed(&t), (unsigned)cfgetospeed(&t));
}

static int
gread(const char *s)
{
	char *copy, *save, *tok;

	if (strncmp(s, "gfmt1:", 6) != 0)
		return (0);
	if ((copy = strdup(s + 6)) == NULL)
		err(1, NULL);
	for (tok = strtok_r(copy, ":", &save); tok != NULL; tok = strtok_r(NULL, ":", &save)) {
		char *eq = strchr(tok, '=');
		if (eq == NULL)
			errx(1, "illegal gfmt1 option -- %s", tok);
		*eq = '\0';
		unsigned long v = strtoul(eq + 1, NULL, strstr(tok, "speed") ? 10 : 16);
		if (strcmp(tok, "cflag") == 0) t.c_cflag = v;
		else if (strcmp(tok, "iflag") == 0) t.c_iflag = v;
		else if (strcmp(tok, "lflag") == 0) t.c_lflag = v;
		else if (strcmp(tok, "oflag") == 0) t.c_oflag = v;
		else if (strcmp(tok, "ispeed") == 0) cfsetispeed(&t, v);
		else if (strcmp(tok, "ospeed") == 0) cfsetospeed(&t, v);
		else {
			int k;
			for (k = 0; k < NCCHARS && strcmp(cchars[k].name, tok) != 0; k++)
				;
			if (k == NCCHARS)
				errx(1, "illegal gfmt1 option -- %s", tok);
			t.c_cc[cchars[k].idx] = (cc_t)v;
		}
	}
	free(copy);
	return (1);
}

static void
setsane(void)
{
	for (int k = 0; k < NFLAGS; k++) {
		const struct flag *f = &flags[k];
		tcflag_t *v = field(f->set);
		if (f->mask) {
			if (f->sane)
				*v = (*v & ~f->mask) | f->bits;
		} else if (f->sane)
			*v |= f->bits;
		else
			*v &= ~f->bits;
	}
	for (int k = 0; k < NCCHARS; k++)
		t.c_cc[cchars[k].idx] = cchars[k].sane;
}

static int
parsecc(const char *s)
{
	if (strcmp(s, "undef") == 0 || strcmp(s, "^-") == 0 || *s == '\0')
		return (_POSIX_VDISABLE);
	if (s[0] == '^' && s[1] != '\0' && s[2] == '\0')
		return (s[1] == '?' ? 0177 : (toupper((unsigned char)s[1]) & 037));
	if (s[1] == '\0')
		return ((unsigned char)s[0]);
	errx(1, "illegal control character -- %s", s);
}

static long
number(const char *name, const char *s)
{
	char *ep;
	long v;

	if (s == NULL)
		errx(1, "%s requires an argument", name);
	v = strtol(s, &ep, 10);
	if (*s == '\0' || *ep != '\0' || v < 0)
		errx(1, "%s: illegal number -- %s", name, s);
	return (v);
}

static speed_t
tospeed(long v)
{
	switch (v) {
	case 0: return (B0); case 50: return (B50); case 75: return (B75); case 110: return (B110);
	case 134: return (B134); case 150: return (B150); case 200: return (B200); case 300: return (B300);
	case 600: return (B600); case 1200: return (B1200); case 1800: return (B1800); case 2400: return (B2400);
	case 4800: return (B4800); case 9600: return (B9600); case 19200: return (B19200);
	case 38400: return (B38400); case 57600: return (B57600); case 115200: return (B115200);
	case 230400: return (B230400);
	}
	errx(1, "unsupported speed: %ld", v);
}

int
main(int argc, char *argv[])
{
	int fmt = 0, changed = 0, wschanged = 0;

	/*
	 * Only -a, -e, -g and -f are options; "-echo" and friends are
	 * operands, so getopt(3) (which would read -e, -c, -h, -o) is no use.
	 */
	while (optind < argc) {
		const char *a = argv[optind];
		if (strcmp(a, "-a") == 0 || strcmp(a, "-e") == 0)
			fmt = 'a';
		else if (strcmp(a, "-g") == 0)
			fmt = 'g';
		else if (strncmp(a, "-f", 2) == 0 && strcmp(a, "-flusho") != 0) {
			const char *f = a[2] != '\0' ? a + 2 : argv[++optind];
			if (f == NULL)
				usage();
			if ((fd = open(f, O_RDONLY | O_NONBLOCK)) == -1)
				err(1, "%s", f);
		} else if (strcmp(a, "--") == 0) {
			optind++;
			break;
		} else
			break;
		optind++;
	}
	argc -= optind;
	argv += optind;
	if (tcgetattr(fd, &t) == -1)
		errx(1, "stdin isn't a terminal");
	havews = ioctl(fd, TIOCGWINSZ, &ws) == 0;

	if (argc == 0) {
		if (fmt == 'g')
			gprint();
		else
			print(fmt == 'a');
		return (0);
	}
	if (fmt != 0)
		errx(1, "only one of -a, -e or -g may be given with arguments");

	for (; *argv != NULL; argv++) {
		const char *a = *argv;
		int neg = a[0] == '-';
		const char *name = neg ? a + 1 : a;
		int k;

		if (gread(a)) { changed = 1; continue; }
		for (k = 0; k < NFLAGS && strcmp(flags[k].name, name) != 0; k++)
			;
		if (k < NFLAGS) {
			const struct flag *f = &flags[k];
			tcflag_t *v = field(f->set);
			if (f->mask) {
				if (neg)
					errx(1, "illegal option -- %s", a);
				*v = (*v & ~f->mask) | f->bits;
			} else if (neg)
				*v &= ~f->bits;
			else
				*v |= f->bits;
			changed = 1;
			continue;
		}
		for (k = 0; k < NCCHARS && strcmp(cchars[k].name, a) != 0; k++)
			;
		if (k < NCCHARS) {
			if (argv[1] == NULL)
				errx(1, "%s requires an argument", a);
			if (cchars[k].idx == VMIN || cchars[k].idx == VTIME)
				t.c_cc[cchars[k].idx] = (cc_t)number(a, argv[1]);
			else
				t.c_cc[cchars[k].idx] = (cc_t)parsecc(argv[1]);
			argv++;
			changed = 1;
			continue;
		}
		if (strcmp(a, "sane") == 0 || strcmp(a, "cooked") == 0 || strcmp(a, "-raw") == 0) {
			if (strcmp(a, "sane") == 0)
				setsane();
			else {
				t.c_lflag |= ICANON | ISIG | IEXTEN;
				t.c_iflag |= ICRNL | IXON | BRKINT;
				t.c_oflag |= OPOST;
			}
		} else if (strcmp(a, "raw") == 0 || strcmp(a, "-cooked") == 0) {
			cfmakeraw(&t);
			t.c_cflag &= ~(CSIZE | PARENB);
			t.c_cflag |= CS8;
		} else if (strcmp(a, "cbreak") == 0) {
			t.c_lflag &= ~ICANON;
			t.c_lflag |= ISIG | IEXTEN;
		} else if (strcmp(a, "-cbreak") == 0)
			t.c_lflag |= ICANON;
		else if (strcmp(a, "nl") == 0) {
			t.c_iflag &= ~ICRNL;
			t.c_oflag &= ~ONLCR;
		} else if (strcmp(a, "-nl") == 0) {
			t.c_iflag |= ICRNL;
			t.c_oflag |= ONLCR;
		} else if (strcmp(a, "ek") == 0) {
			t.c_cc[VERASE] = 0177;
			t.c_cc[VKILL] = 'U' & 037;
		} else if (strcmp(a, "crt") == 0 || strcmp(a, "dec") == 0 || strcmp(a, "new") == 0) {
			t.c_lflag |= ECHOE | ECHOKE | ECHOCTL;
			t.c_lflag &= ~ECHOPRT;
		} else if (strcmp(a, "evenp") == 0 || strcmp(a, "parity") == 0) {
			t.c_cflag = (t.c_cflag & ~(CSIZE | PARODD)) | PARENB | CS7;
		} else if (strcmp(a, "oddp") == 0) {
			t.c_cflag = (t.c_cflag & ~CSIZE) | PARENB | PARODD | CS7;
		} else if (strcmp(a, "-parity") == 0 || strcmp(a, "-evenp") == 0 || strcmp(a, "-oddp") == 0) {
			t.c_cflag = (t.c_cflag & ~(CSIZE | PARENB | PARODD)) | CS8;
		} else if (strcmp(a, "tabs") == 0 || strcmp(a, "-oxtabs") == 0) {
			t.c_oflag = (t.c_oflag & ~TABDLY) | TAB0;
		} else if (strcmp(a, "-tabs") == 0 || strcmp(a, "oxtabs") == 0) {
			t.c_oflag = (t.c_oflag & ~TABDLY) | TAB3;
		} else if (strcmp(a, "speed") == 0) {
			/* "speed" prints it; "speed N" sets both directions. */
			if (argv[1] == NULL) {
				printf("%ld\n", baudof(cfgetospeed(&t)));
				continue;
			}
			speed_t s = tospeed(number(a, argv[1]));
			argv++;
			cfsetispeed(&t, s);
			cfsetospeed(&t, s);
		} else if (strcmp(a, "ispeed") == 0 || strcmp(a, "ospeed") == 0) {
			speed_t s = tospeed(number(a, argv[1]));
			argv++;
			if (a[0] == 'i')
				cfsetispeed(&t, s);
			else
				cfsetospeed(&t, s);
		} else if (isdigit((unsigned char)a[0])) {
			speed_t s = tospeed(number("speed", a));
			cfsetispeed(&t, s);
			cfsetospeed(&t, s);
		} else if (strcmp(a, "rows") == 0) {
			ws.ws_row = (unsigned short)number(a, argv[1]);
			argv++;
			wschanged = 1;
			continue;
		} else if (strcmp(a, "cols") == 0 || strcmp(a, "columns") == 0) {
			ws.ws_col = (unsigned short)number(a, argv[1]);
			argv++;
			wschanged = 1;
			continue;
		} else if (strcmp(a, "size") == 0) {
			if (!havews)
				err(1, "TIOCGWINSZ");
			printf("%d %d\n", ws.ws_row, ws.ws_col);
			continue;
		} else if (strcmp(a, "all") == 0 || strcmp(a, "everything") == 0) {
			print(1);
			continue;
		} else {
			warnx("illegal option -- %s", a);
			usage();
		}
		changed = 1;
	}
	if (changed && tcsetattr(fd, TCSANOW, &t) == -1)
		err(1, "tcsetattr");
	if (wschanged && ioctl(fd, TIOCSWINSZ, &ws) == -1)
		err(1, "TIOCSWINSZ");
	return (0);
}
