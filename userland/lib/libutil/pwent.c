/*
 * master.passwd accounts for login(1), su(1) and passwd(1) (glibc's
 * getpwnam has no password hashes: those live only in master.passwd), and
 * reading a password from the terminal with echo off.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "pwent.h"

/* Split one master.passwd line (10 fields) into a, cutting the line in place. */
int
pw_parse(char *line, struct account *a)
{
	char *f[10], *p = line;
	int i;

	line[strcspn(line, "\n")] = '\0';
	for (i = 0; i < 10; i++) {
		f[i] = p;
		if ((p = strchr(p, ':')) == NULL)
			break;
		*p++ = '\0';
	}
	if (i != 9 || p != NULL)
		return (-1);
	a->name = f[0];
	a->passwd = f[1];
	a->uid = strtoul(f[2], NULL, 10);
	a->gid = strtoul(f[3], NULL, 10);
	a->class = f[4];
	a->change = strtoll(f[5], NULL, 10);
	a->expire = strtoll(f[6], NULL, 10);
	a->gecos = f[7];
	a->home = f[8];
	a->shell = f[9];
	return (0);
}

/*
 * The account called name (or, when name is NULL, the first with uid):
 * 0, -1 if there is none, -2 if master.passwd cannot be read (errno set).
 * a->line holds the fields; pw_free gives it back.
 */
int
pw_getaccount(const char *name, uid_t uid, struct account *a)
{
	char buf[1024];
	FILE *fp;

	memset(a, 0, sizeof(*a));
	if ((fp = fopen(_PATH_MASTERPASSWD, "re")) == NULL)
		return (-2);
	while (fgets(buf, sizeof(buf), fp) != NULL) {
		if (buf[0] == '#' || buf[0] == '\n')
			continue;
		if ((a->line = strdup(buf)) == NULL)
			err(1, NULL);
		if (pw_parse(a->line, a) == 0 &&
		    (name != NULL ? strcmp(a->name, name) == 0 : a->uid == uid)) {
			fclose(fp);
			return (0);
		}
		pw_free(a);
	}
	fclose(fp);
	return (-1);
}

void
pw_free(struct account *a)
{
	free(a->line);
	a->line = NULL;
}

/*
 * A line from /dev/tty with echo off (BSD's readpassphrase, in short); NULL
 * without a terminal, or at end of file before any input.
 */
char *
readpass(const char *prompt, char *buf, size_t size)
{
	struct termios t, saved;
	size_t n = 0;
	int fd, echo_off = 0, got = 0;
	ssize_t r;
	char c;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
		return (NULL);
	if (tcgetattr(fd, &saved) == 0) {
		t = saved;
		t.c_lflag &= ~(ECHO | ECHONL);
		t.c_lflag |= ICANON;
		echo_off = tcsetattr(fd, TCSAFLUSH, &t) == 0;
	}
	(void)write(fd, prompt, strlen(prompt));
	while ((r = read(fd, &c, 1)) == 1 || (r == -1 && errno == EINTR)) {
		if (r != 1)
			continue;
		got = 1;
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < size)
			buf[n++] = c;
	}
	buf[n] = '\0';
	if (echo_off) {
		(void)tcsetattr(fd, TCSAFLUSH, &saved);
		(void)write(fd, "\n", 1);
	}
	close(fd);
	return (got ? buf : NULL);
}
