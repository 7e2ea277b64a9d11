/*
 * shutdown: close down the system at a given time, after BSD's shutdown(8).
 *
 *	shutdown [-] [-h | -p | -r | -k] [-o [-n]] time [warning-message ...]
 *
 * time is "now", "+minutes", or an absolute [[[[cc]yy]mm]dd]hhmm.  Until
 * then shutdown waits in the background, warning the console at BSD's
 * intervals; five minutes before, /var/run/nologin keeps users out.  At
 * the time it asks init(8): -h halt (SIGUSR1), -p power off (SIGUSR2), -r
 * reboot (SIGINT), none of them single user (SIGTERM); -o runs halt(8) or
 * reboot(8) instead (-n: without sync); -k only warns.  A lone "-" reads
 * the message from standard input.
 *
 * Without utmp there is no list of logged-in terminals to wall(1), so the
 * notices go to the console, where everybody on a vkernel is.
 */
#include <sys/types.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define _PATH_CONSOLE	"/dev/console"
#define _PATH_NOLOGIN	"/var/run/nologin"
#define _PATH_HALT	"/sbin/halt"
#define _PATH_REBOOT	"/sbin/reboot"

#define NOLOG_TIME	(5 * 60)	/* seconds before: no more logins */

/* When the warnings go out: seconds left. */
static const int tlist[] = {
	10 * 3600, 5 * 3600, 3 * 3600, 2 * 3600, 3600, 45 * 60, 30 * 60,
	15 * 60, 10 * 60, 5 * 60, 3 * 60, 2 * 60, 60, 30, 0,
};

static char mbuf[1024];
static const char *whom;
static char hostname[256];
static int doreboot, dohalt, dopower, killflg, oflag, nosync;
static time_t shuttime;
static long offset;			/* seconds from now to shuttime */

static void
usage(const char *cp)
{
	if (cp != NULL)
		warnx("%s", cp);
	fprintf(stderr,
	    "usage: shutdown [-] [-h | -p | -r | -k] [-o [-n]] time [warning-message ...]\n");
	exit(1);
}

static void
badtime(void)
{
	errx(1, "bad time format");
}

/* now | +minutes | [[[[cc]yy]mm]dd]hhmm (the next such time to come). */
static void
getoffset(const char *timearg)
{
	struct tm *lt;
	const char *p;
	time_t now;
	int len, v;

	time(&now);
	if (strcmp(timearg, "now") == 0) {
		shuttime = now;
		offset = 0;
		return;
	}
	if (*timearg == '+') {
		char *end;
		long m;

		errno = 0;
		m = strtol(timearg + 1, &end, 10);
		if (timearg[1] == '\0' || *end != '\0' || m < 0 || errno != 0)
			badtime();
		offset = m * 60;
		shuttime = now + offset;
		return;
	}
	for (p = timearg; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			badtime();
	len = strlen(timearg);
	if (len < 4 || len > 12 || len % 2 != 0)
		badtime();
	lt = localtime(&now);
#define ATOI2(s)	(v = ((s)[0] - '0') * 10 + ((s)[1] - '0'), (s) += 2, v)
	p = timearg;
	switch (len) {
	case 12:
		lt->tm_year = ATOI2(p) * 100 - 1900;
		lt->tm_year += ATOI2(p);
		goto month;
	case 10:
		v = ATOI2(p);
		lt->tm_year = v < 69 ? v + 100 : v;
		/* FALLTHROUGH */
	case 8:
	month:
		lt->tm_mon = ATOI2(p) - 1;
		if (lt->tm_mon < 0 || lt->tm_mon > 11)
			badtime();
		/* FALLTHROUGH */
	case 6:
		lt->tm_mday = ATOI2(p);
		if (lt->tm_mday < 1 || lt->tm_mday > 31)
			badtime();
		/* FALLTHROUGH */
	case 4:
		lt->tm_hour = ATOI2(p);
		if (lt->tm_hour > 23)
			badtime();
		lt->tm_min = ATOI2(p);
		if (lt->tm_min > 59)
			badtime();
		lt->tm_sec = 0;
		break;
	}
#undef ATOI2
	lt->tm_isdst = -1;
	if ((shuttime = mktime(lt)) == -1)
		badtime();
	/* Just hhmm that passed today means tomorrow. */
	if (shuttime < now && len == 4)
		shuttime += 24 * 3600;
	if (shuttime < now)
		errx(1, "that time is already past.");
	offset = shuttime - now;
}

/* The notice, to the console. */
static void
timewarn(int timeleft)
{
	static int first = 1;
	char buf[2048], when[64];
	struct tm *lt;
	time_t now;
	int fd, n;

	time(&now);
	lt = localtime(&now);
	n = snprintf(buf, sizeof(buf), "\007\007\nBroadcast Message from %s@%s\n"
	    "        (%s) at %d:%02d ...\n\n", whom, hostname,
	    ttyname(STDERR_FILENO) != NULL ? ttyname(STDERR_FILENO) + 5 : "console",
	    lt->tm_hour, lt->tm_min);
	n += snprintf(buf + n, sizeof(buf) - n, "*** %sSystem shutdown message from %s@%s ***\n",
	    timeleft ? "" : "FINAL ", whom, hostname);
	if (timeleft > 10 * 60) {
		strftime(when, sizeof(when), "%H:%M %Z", localtime(&shuttime));
		n += snprintf(buf + n, sizeof(buf) - n, "System going down at %s\n\n", when);
	} else if (timeleft > 59)
		n += snprintf(buf + n, sizeof(buf) - n, "System going down in %d minute%s\n\n",
		    timeleft / 60, timeleft / 60 > 1 ? "s" : "");
	else if (timeleft)
		n += snprintf(buf + n, sizeof(buf) - n, "System going down in %s30 seconds\n\n",
		    first ? "" : "less than ");
	else
		n += snprintf(buf + n, sizeof(buf) - n, "System going down IMMEDIATELY\n\n");
	first = 0;
	if (mbuf[0] != '\0')
		n += snprintf(buf + n, sizeof(buf) - n, "%s\n", mbuf);
	if (n > (int)sizeof(buf))
		n = sizeof(buf);
	if ((fd = open(_PATH_CONSOLE, O_WRONLY | O_NOCTTY)) != -1) {
		(void)write(fd, buf, n);
		close(fd);
	} else
		(void)write(STDERR_FILENO, buf, n);
}

static void
nolog(void)
{
	char buf[1200];
	int fd;

	if ((fd = open(_PATH_NOLOGIN, O_WRONLY | O_CREAT | O_TRUNC, 0664)) == -1)
		return;		/* a read-only root: no nologin, no harm */
	snprintf(buf, sizeof(buf), "\n\nNO LOGINS: System going down at %5.5s\n\n%s\n",
	    ctime(&shuttime) + 11, mbuf);
	(void)write(fd, buf, strlen(buf));
	close(fd);
}

static void
finish(void)
{
	(void)unlink(_PATH_NOLOGIN);
}

static void
finish_sig(int sig)
{
	(void)sig;
	finish();
	_exit(0);
}

/* Time's up: hand over to init (or halt/reboot with -o). */
static void
die_you_gravy_sucking_pig_dog(void)
{
	int sig;

	syslog(LOG_NOTICE, "%s by %s: %s",
	    doreboot ? "reboot" : dohalt || dopower ? "halt" : "shutdown", whom, mbuf);
	printf("\r\nSystem shutdown time has arrived\007\007\r\n");
	fflush(stdout);
	if (killflg) {
		printf("\rbut you'll have to do it yourself\r\n");
		finish();
		exit(0);
	}
	if (oflag && (doreboot || dohalt || dopower)) {
		const char *path = doreboot ? _PATH_REBOOT : _PATH_HALT;
		char flags[8] = "-l";

		if (nosync)
			strcat(flags, "n");
		if (dopower)
			strcat(flags, "p");
		execl(path, path, flags, (char *)NULL);
		syslog(LOG_ERR, "shutdown: can't exec %s: %m", path);
		warn("can't exec %s", path);
	}
	sig = doreboot ? SIGINT : dopower ? SIGUSR2 : dohalt ? SIGUSR1 : SIGTERM;
	if (kill(1, sig) == -1)
		err(1, "signal init");
	finish();
	exit(0);
}

int
main(int argc, char *argv[])
{
	int ch, readstdin = 0, i;
	struct passwd *pw;
	char *p;

	if (geteuid() != 0)
		errx(1, "NOT super-user");
	if (argc > 1 && strcmp(argv[1], "-") == 0) {
		readstdin = 1;
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	while ((ch = getopt(argc, argv, "+hknopr")) != -1) {
		switch (ch) {
		case 'h': dohalt = 1; break;
		case 'k': killflg = 1; break;
		case 'n': nosync = 1; break;
		case 'o': oflag = 1; break;
		case 'p': dopower = 1; break;
		case 'r': doreboot = 1; break;
		default: usage(NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(NULL);
	if (killflg + doreboot + dohalt + dopower > 1)
		usage("incompatible switches -h, -k, -p and -r");
	if (nosync && !oflag)
		usage("-n requires -o");
	getoffset(*argv++);

	/* The message: the rest of the arguments, or standard input with "-". */
	for (p = mbuf; *argv != NULL; argv++) {
		size_t room = sizeof(mbuf) - (p - mbuf);

		if (room <= 1)
			break;
		p += snprintf(p, room, "%s%s", p == mbuf ? "" : " ", *argv);
		if (p >= mbuf + sizeof(mbuf))
			p = mbuf + sizeof(mbuf) - 1;
	}
	if (readstdin) {
		size_t n = strlen(mbuf);

		n += fread(mbuf + n, 1, sizeof(mbuf) - 1 - n, stdin);
		mbuf[n] = '\0';
		while (n > 0 && mbuf[n - 1] == '\n')
			mbuf[--n] = '\0';
	}

	if ((whom = getlogin()) == NULL)
		whom = (pw = getpwuid(getuid())) != NULL ? pw->pw_name : "???";
	if (gethostname(hostname, sizeof(hostname)) == -1)
		strcpy(hostname, "localhost");
	hostname[sizeof(hostname) - 1] = '\0';
	openlog("shutdown", 0, LOG_AUTH);

	if (offset <= 0) {
		timewarn(0);
		die_you_gravy_sucking_pig_dog();
	}

	printf("Shutdown at %.24s.\n", ctime(&shuttime));
	fflush(stdout);
	{
		pid_t pid = fork();

		if (pid == -1)
			err(1, "fork");
		if (pid != 0) {
			printf("shutdown: [pid %d]\n", (int)pid);
			exit(0);
		}
	}
	(void)setsid();
	signal(SIGINT, finish_sig);
	signal(SIGTERM, finish_sig);
	signal(SIGHUP, SIG_IGN);

	/*
	 * From the first warning time not beyond the shutdown, sleep to
	 * each one in turn and warn; the last (0) is the final notice.
	 */
	for (i = 0; tlist[i] != 0 && offset < tlist[i]; i++)
		;
	for (;; i++) {
		long left;

		while ((left = shuttime - time(NULL) - tlist[i]) > 0)
			sleep(left);
		if (tlist[i] <= NOLOG_TIME)
			nolog();
		timewarn(tlist[i]);
		if (tlist[i] == 0)
			break;
	}
	die_you_gravy_sucking_pig_dog();
	return (0);
}
