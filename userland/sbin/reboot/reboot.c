/*
 * reboot, halt: stop the system, after BSD's reboot(8).
 *
 *	reboot [-dlnpq]		halt [-dlnpq]
 *
 * Normally the work is init(8)'s: reboot sends it SIGINT, halt SIGUSR1,
 * -p (power off) SIGUSR2, and init runs /etc/rc.shutdown, stops every
 * process, syncs and calls reboot(2).  -q skips all that: sync and
 * reboot(2) at once; -n does not even sync (and so cannot go through
 * init, which always does).  The vkernel exits on halt and power off and
 * boots again on reboot.
 */
#include <sys/syscall.h>
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <pwd.h>

#include "libutil.h"

/* Linux's reboot(2) (this is a Linux-ABI kernel; see init.c). */
#define LINUX_REBOOT_MAGIC1		0xfee1deadU
#define LINUX_REBOOT_MAGIC2		672274793
#define LINUX_REBOOT_CMD_RESTART	0x01234567U
#define LINUX_REBOOT_CMD_HALT		0xcdef0123U
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedcU

static int dohalt;

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-%slnpq]\n", getprogname(), dohalt ? "" : "d");
	exit(1);
}

int
main(int argc, char *argv[])
{
	int ch, lflag = 0, nflag = 0, pflag = 0, qflag = 0, sig;
	const char *user, *prog = getprogname();
	struct passwd *pw;
	unsigned int cmd;

	if (strcmp(prog, "halt") == 0 || strcmp(prog, "fasthalt") == 0)
		dohalt = 1;
	while ((ch = getopt(argc, argv, "+dlnpq")) != -1) {
		switch (ch) {
		case 'd':		/* a crash dump: nowhere to put one */
			break;
		case 'l':
			lflag = 1;
			break;
		case 'n':
			nflag = 1;
			break;
		case 'p':
			pflag = 1;
			break;
		case 'q':
			qflag = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	if (argc != 0)
		usage();
	if (geteuid() != 0)
		errx(1, "%s", strerror(EPERM));

	if (!lflag) {
		if ((user = getlogin()) == NULL)
			user = (pw = getpwuid(getuid())) != NULL ? pw->pw_name : "???";
		openlog(prog, 0, LOG_AUTH);
		syslog(LOG_CRIT, dohalt ? "halted by %s" : "rebooted by %s", user);
		closelog();
	}

	if (qflag || nflag) {
		/* Straight to the kernel. */
		if (!nflag)
			sync();
		if (pflag)
			cmd = LINUX_REBOOT_CMD_POWER_OFF;
		else
			cmd = dohalt ? LINUX_REBOOT_CMD_HALT : LINUX_REBOOT_CMD_RESTART;
		syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, NULL);
		err(1, "reboot");
	}

	sig = pflag ? SIGUSR2 : dohalt ? SIGUSR1 : SIGINT;
	if (kill(1, sig) == -1)
		err(1, "signal init");
	/* init takes it from here; it will stop us too. */
	return (0);
}
