/*
 * nologin: politely refuse a login.  The shell of accounts that exist
 * for ownership (daemon, operator, nobody), after BSD's nologin(8):
 * /etc/nologin.txt, when present, replaces the message.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#define _PATH_NOLOGIN_TXT	"/etc/nologin.txt"
#define MESSAGE			"This account is currently not available.\n"

int
main(int argc, char *argv[])
{
	char buf[512], *user = getlogin();
	ssize_t n;
	int fd;

	(void)argc;
	(void)argv;
	openlog("nologin", 0, LOG_AUTH);
	syslog(LOG_CRIT, "Attempted login by %s on %s", user != NULL ? user : "UNKNOWN",
	    ttyname(STDIN_FILENO) != NULL ? ttyname(STDIN_FILENO) : "UNKNOWN");
	closelog();
	if ((fd = open(_PATH_NOLOGIN_TXT, O_RDONLY | O_CLOEXEC)) != -1) {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			(void)write(STDOUT_FILENO, buf, n);
		close(fd);
	} else
		(void)write(STDOUT_FILENO, MESSAGE, sizeof(MESSAGE) - 1);
	exit(1);
}
