/*
 * getty: set the terminal up, print the banner, read a login name and
 * hand it to login(1), as BSD's getty(8) does.
 *
 *	getty [type [tty]]
 *
 * `type' names an /etc/gettytab entry (default "default"); `tty' is the
 * device under /dev, which init(8) has already made our controlling
 * terminal and standard input/output.  An entry with "al=user" logs that
 * user in without asking (the vkernel's al.Pc).
 *
 * The name is read with the line discipline's echo and editing off, as
 * BSD does, so either erase character (^? or ^H) works and the one the
 * user typed becomes the terminal's erase character for the session.
 */
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <ctype.h>
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "gettytab.h"

#define _PATH_LOGIN	"/usr/bin/login"
#define NAMELEN		64
#ifndef CTRL
#define CTRL(c)		((c) & 037)
#endif

/* The kernel's private __sysctl(2) (kern/sys_sysctl.ts) with BSD's MIB. */
#define SYS___sysctl	1000
#define CTL_KERN	1
#define KERN_OSTYPE	1

static struct gettytab gt;
static struct termios tmode;
static const char *ttyn = "console";

static void
usage(void)
{
	fprintf(stderr, "usage: getty [type [tty]]\n");
	exit(1);
}

/*
 * Output is gathered and written at once before each read or exec: one
 * write per banner, not one per character.
 */
static char obuf[1024];
static size_t olen;

static void
oflush(void)
{
	const char *p = obuf;

	while (olen > 0) {
		ssize_t w = write(STDOUT_FILENO, p, olen);

		if (w <= 0)
			break;
		p += w;
		olen -= w;
	}
	olen = 0;
}

static void
putch(int c)
{
	if (olen == sizeof(obuf))
		oflush();
	obuf[olen++] = c;
}

static void
putstr(const char *s)
{
	while (*s != '\0')
		putch(*s++);
}

/* The system's name as BSD's uname(3) has it: kern.ostype, else uname's. */
static void
ostype(char *buf, size_t len)
{
	int mib[2] = { CTL_KERN, KERN_OSTYPE };
	size_t n = len - 1;
	struct utsname u;

	if (syscall(SYS___sysctl, mib, 2, buf, &n, NULL, 0) == 0) {
		buf[n < len ? n : len - 1] = '\0';
		if (buf[0] != '\0')
			return;
	}
	if (uname(&u) == 0)
		snprintf(buf, len, "%s", u.sysname);
	else
		snprintf(buf, len, "BSD");
}

/* Print a gettytab message with its %-escapes filled in. */
static void
putf(const char *cp)
{
	char buf[256];
	struct utsname u;
	time_t now;

	if (uname(&u) == -1)
		memset(&u, 0, sizeof(u));
	for (; *cp != '\0'; cp++) {
		if (*cp != '%' || cp[1] == '\0') {
			putch(*cp);
			continue;
		}
		switch (*++cp) {
		case 't':		/* the tty */
			putstr(ttyn);
			break;
		case 'h':		/* the host name */
			if (gethostname(buf, sizeof(buf)) == -1)
				buf[0] = '\0';
			buf[sizeof(buf) - 1] = '\0';
			putstr(buf);
			break;
		case 's':		/* the system name */
			ostype(buf, sizeof(buf));
			putstr(buf);
			break;
		case 'm':		/* the machine */
			putstr(u.machine);
			break;
		case 'r':		/* the release */
			putstr(u.release);
			break;
		case 'v':		/* the version */
			putstr(u.version);
			break;
		case 'd':		/* the date */
			now = time(NULL);
			strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Z %Y", localtime(&now));
			putstr(buf);
			break;
		case '%':
			putch('%');
			break;
		default:
			putch('%');
			putch(*cp);
			break;
		}
	}
}

/* The terminal as a login session wants it: cooked, echoing, signals on. */
static void
sane_mode(struct termios *t, int erase)
{
	t->c_iflag = BRKINT | ICRNL | IXON | IMAXBEL;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = (t->c_cflag & ~(CSIZE | PARENB)) | CS8 | CREAD | HUPCL;
	t->c_lflag = ECHO | ECHOE | ECHOK | ECHOKE | ECHOCTL | ICANON | ISIG | IEXTEN;
	t->c_cc[VERASE] = erase;
	t->c_cc[VKILL] = gt.kl != NULL && gt.kl[0] ? gt.kl[0] : CTRL('u');
	t->c_cc[VINTR] = gt.it != NULL && gt.it[0] ? gt.it[0] : CTRL('c');
	t->c_cc[VQUIT] = CTRL('\\');
	t->c_cc[VSUSP] = CTRL('z');
	t->c_cc[VEOF] = CTRL('d');
	t->c_cc[VEOL] = _POSIX_VDISABLE;
	t->c_cc[VWERASE] = CTRL('w');
	t->c_cc[VREPRINT] = CTRL('r');
	t->c_cc[VLNEXT] = CTRL('v');
	t->c_cc[VSTART] = CTRL('q');
	t->c_cc[VSTOP] = CTRL('s');
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

/*
 * Read the login name a character at a time (echo and editing are ours).
 * Returns 1 with a name, 0 to prompt again, -1 at EOF or ^D.
 */
static int
getname(char *name, size_t size, int *erasep)
{
	struct termios raw = tmode;
	size_t n = 0;
	unsigned char c;

	raw.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(ICRNL | INLCR | IGNCR);
	raw.c_oflag &= ~ONLCR;
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	(void)tcsetattr(STDIN_FILENO, TCSANOW, &raw);

	putf(gt.lm != NULL ? gt.lm : "login: ");
	for (;;) {
		ssize_t r;

		oflush();
		r = read(STDIN_FILENO, &c, 1);

		if (r <= 0)
			return (-1);
		if (!gt.np)
			c &= 0177;
		if (c == '\r' || c == '\n') {
			putstr("\r\n");
			break;
		}
		if (c == 0177 || c == CTRL('h')) {
			*erasep = c;
			if (n > 0) {
				n--;
				putstr("\b \b");
			}
			continue;
		}
		if (c == CTRL('u')) {
			while (n > 0) {
				n--;
				putstr("\b \b");
			}
			continue;
		}
		if (c == CTRL('c')) {		/* start over */
			putstr("^C\r\n");
			oflush();
			return (0);
		}
		if (c == CTRL('d') && n == 0)
			return (-1);
		if (!isprint(c) || n + 1 >= size) {
			putch(CTRL('g'));
			continue;
		}
		name[n++] = c;
		putch(c);
	}
	name[n] = '\0';
	oflush();
	if (n == 0)
		return (0);
	/* login(1) would take a leading '-' for an option. */
	if (name[0] == '-') {
		putstr("login names may not start with '-'.\r\n");
		return (0);
	}
	oflush();
	return (1);
}

/* Become the session leader of /dev/<tty> when init did not already. */
static void
open_tty(const char *tty)
{
	char path[PATH_MAX];
	const char *cur;
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", tty);
	if ((cur = ttyname(STDIN_FILENO)) != NULL && strcmp(cur, path) == 0)
		return;
	if (getsid(0) != getpid())
		(void)setsid();
	if ((fd = open(path, O_RDWR)) == -1) {
		syslog(LOG_ERR, "%s: %m", path);
		err(1, "%s", path);
	}
	if (ioctl(fd, TIOCSCTTY, 1) == -1)
		warn("%s: TIOCSCTTY", path);
	(void)tcsetpgrp(fd, getpid());
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

/* An issue file (if=) after the banner, \n made \r\n as a raw terminal needs. */
static void
put_issue(const char *file)
{
	FILE *fp;
	int c;

	if ((fp = fopen(file, "re")) == NULL)
		return;
	while ((c = getc(fp)) != EOF) {
		if (c == '\n')
			putch('\r');
		putch(c);
	}
	fclose(fp);
}

int
main(int argc, char *argv[])
{
	const char *type = "default", *login;
	char name[NAMELEN];
	int ch, erase = 0177, r;

	openlog("getty", LOG_ODELAY | LOG_CONS | LOG_PID, LOG_AUTH);
	while ((ch = getopt(argc, argv, "+")) != -1)
		usage();
	argc -= optind;
	argv += optind;
	if (argc > 2)
		usage();
	if (argc >= 1)
		type = argv[0];
	if (argc >= 2 && strcmp(argv[1], "-") != 0) {
		ttyn = argv[1];
		open_tty(ttyn);
	} else {
		const char *t = ttyname(STDIN_FILENO);

		if (t != NULL && strncmp(t, "/dev/", 5) == 0)
			ttyn = t + 5;
	}
	if (gettytab_read(_PATH_GETTYTAB, type, &gt) == -1)
		syslog(LOG_ERR, "%s: no entry for '%s', using defaults", _PATH_GETTYTAB, type);
	if (gt.er != NULL && gt.er[0] != '\0')
		erase = (unsigned char)gt.er[0];
	if (gt.tt != NULL && gt.tt[0] != '\0')
		setenv("TERM", gt.tt, 1);
	login = gt.lo != NULL && gt.lo[0] ? gt.lo : _PATH_LOGIN;

	if (tcgetattr(STDIN_FILENO, &tmode) == -1)
		err(1, "%s: tcgetattr", ttyn);
	sane_mode(&tmode, erase);
	(void)tcflush(STDIN_FILENO, TCIOFLUSH);

	for (;;) {
		/* The banner goes out raw: gettytab says \r\n itself. */
		struct termios out = tmode;

		out.c_oflag &= ~ONLCR;
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &out);
		putf(gt.im != NULL ? gt.im : "\r\n%s/%m (%h) (%t)\r\n\r\n");
		if (gt.ifile != NULL && gt.ifile[0] != '\0')
			put_issue(gt.ifile);
		oflush();

		if (gt.al != NULL && gt.al[0] != '\0') {
			/* Autologin: login -f trusts us, we run as root. */
			(void)tcsetattr(STDIN_FILENO, TCSANOW, &tmode);
			execl(login, "login", "-fp", "--", gt.al, (char *)NULL);
			syslog(LOG_ERR, "%s: %m", login);
			err(1, "%s", login);
		}
		while ((r = getname(name, sizeof(name), &erase)) == 0)
			;
		if (r == -1) {
			/* EOF or ^D: init starts a fresh getty. */
			(void)tcsetattr(STDIN_FILENO, TCSANOW, &tmode);
			exit(0);
		}
		tmode.c_cc[VERASE] = erase;
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &tmode);
		execl(login, "login", "-p", "--", name, (char *)NULL);
		syslog(LOG_ERR, "%s: %m", login);
		err(1, "%s", login);
	}
}
