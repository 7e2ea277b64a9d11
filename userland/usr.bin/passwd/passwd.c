/*
 * passwd: modify a user's password, after BSD's passwd(1), local files.
 *
 *	passwd [user]
 *
 * Root may change anyone's password without the old one; a user changes
 * only his own, after typing the old one.  The new password is typed
 * twice on /dev/tty with echo off and stored as a SHA-512-crypt ("$6$")
 * hash with a random salt.  The edit is made safely: /etc/ptmp (created
 * exclusively: it is also the lock vipw(8) and chpass use) gets the new
 * master.passwd, then pwd_mkdb -p checks it, writes /etc/passwd and
 * renames it over /etc/master.passwd.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "crypt_sha512.h"
#include "pwent.h"

#define _PATH_PTMP		"/etc/ptmp"
#define _PATH_PWD_MKDB		"/usr/sbin/pwd_mkdb"

static const char itoa64[] =
    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static void
usage(void)
{
	fprintf(stderr, "usage: passwd [user]\n");
	exit(1);
}

/* Field 1 (the hash) of user's line in master.passwd, or NULL. */
static char *
lookup(const char *user, uid_t *uidp)
{
	char buf[1024], *p, *q;
	size_t l = strlen(user);
	FILE *fp;

	if ((fp = fopen(_PATH_MASTERPASSWD, "re")) == NULL) {
		if (errno == EACCES)
			errx(1, "%s: %s (passwd must be set-user-ID root)",
			    _PATH_MASTERPASSWD, strerror(errno));
		err(1, "%s", _PATH_MASTERPASSWD);
	}
	while (fgets(buf, sizeof(buf), fp) != NULL) {
		if (strncmp(buf, user, l) != 0 || buf[l] != ':')
			continue;
		p = buf + l + 1;
		if ((q = strchr(p, ':')) == NULL)
			break;
		*q = '\0';
		*uidp = strtoul(q + 1, NULL, 10);
		fclose(fp);
		return (strdup(p));
	}
	fclose(fp);
	return (NULL);
}

static char *
makehash(const char *pass)
{
	unsigned char rnd[16];
	char setting[4 + 16 + 2];
	int fd, i;
	char *h;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1 ||
	    read(fd, rnd, sizeof(rnd)) != (ssize_t)sizeof(rnd))
		err(1, "/dev/urandom");
	close(fd);
	memcpy(setting, "$6$", 3);
	for (i = 0; i < 16; i++)
		setting[3 + i] = itoa64[rnd[i] % 64];
	setting[19] = '$';
	setting[20] = '\0';
	if ((h = crypt_sha512(pass, setting)) == NULL)
		errx(1, "cannot hash the password");
	return (strdup(h));
}

/* /etc/ptmp: master.passwd with user's hash replaced. */
static void
write_ptmp(const char *user, const char *hash)
{
	char buf[1024];
	size_t l = strlen(user);
	FILE *in, *out;
	int fd, done = 0;

	if ((fd = open(_PATH_PTMP, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1) {
		if (errno == EEXIST)
			errx(1, "the password file is busy");
		err(1, "%s", _PATH_PTMP);
	}
	if ((out = fdopen(fd, "w")) == NULL || (in = fopen(_PATH_MASTERPASSWD, "re")) == NULL) {
		unlink(_PATH_PTMP);
		err(1, "%s", _PATH_MASTERPASSWD);
	}
	while (fgets(buf, sizeof(buf), in) != NULL) {
		char *rest;
		if (!done && strncmp(buf, user, l) == 0 && buf[l] == ':' &&
		    (rest = strchr(buf + l + 1, ':')) != NULL) {
			fprintf(out, "%s:%s%s", user, hash, rest);
			done = 1;
		} else
			fputs(buf, out);
	}
	fclose(in);
	if (!done || fflush(out) == EOF || fsync(fd) == -1 || fclose(out) == EOF) {
		unlink(_PATH_PTMP);
		errx(1, "%s: not updated", _PATH_MASTERPASSWD);
	}
}

static int
pwd_mkdb(void)
{
	pid_t pid;
	int st;

	if ((pid = fork()) == -1)
		return (-1);
	if (pid == 0) {
		execl(_PATH_PWD_MKDB, "pwd_mkdb", "-p", _PATH_PTMP, (char *)NULL);
		warn("%s", _PATH_PWD_MKDB);
		_exit(1);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return (-1);
	return (WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1);
}

int
main(int argc, char *argv[])
{
	char old[256], p1[256], p2[256], *cur, *hash, name[1024];
	const char *user;
	uid_t uid = getuid(), tuid = 0, me;
	int ch;

	while ((ch = getopt(argc, argv, "+l")) != -1) {
		switch (ch) {
		case 'l':
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage();
	if (argc == 1)
		user = argv[0];
	else {
		/* our own name: the master.passwd entry with our uid */
		FILE *fp = fopen("/etc/passwd", "re");
		char buf[1024];
		user = NULL;
		while (fp != NULL && fgets(buf, sizeof(buf), fp) != NULL) {
			char *c1 = strchr(buf, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			if (c2 != NULL && strtoul(c2 + 1, NULL, 10) == uid) {
				*c1 = '\0';
				snprintf(name, sizeof(name), "%s", buf);
				user = name;
				break;
			}
		}
		if (fp != NULL)
			fclose(fp);
		if (user == NULL)
			errx(1, "who are you?");
	}
	if ((cur = lookup(user, &tuid)) == NULL)
		errx(1, "unknown user %s", user);
	me = uid;
	if (me != 0 && tuid != me)
		errx(1, "permission denied: %s is not you", user);

	(void)signal(SIGINT, SIG_DFL);
	printf("Changing local password for %s\n", user);
	fflush(stdout);
	if (me != 0 && cur[0] != '\0') {
		if (readpass("Old Password:", old, sizeof(old)) == NULL)
			errx(1, "Password unchanged.");
		char *h = strncmp(cur, "$6$", 3) == 0 ? crypt_sha512(old, cur) : NULL;
		explicit_bzero(old, sizeof(old));
		if (h == NULL || strcmp(h, cur) != 0)
			errx(1, "Sorry.");
	}
	for (;;) {
		if (readpass("New Password:", p1, sizeof(p1)) == NULL || p1[0] == '\0')
			errx(1, "Password unchanged.");
		if (readpass("Retype New Password:", p2, sizeof(p2)) == NULL)
			errx(1, "Password unchanged.");
		if (strcmp(p1, p2) == 0)
			break;
		fprintf(stderr, "Mismatch; try again, EOF to quit.\n");
	}
	hash = makehash(p1);
	explicit_bzero(p1, sizeof(p1));
	explicit_bzero(p2, sizeof(p2));
	write_ptmp(user, hash);
	if (pwd_mkdb() == -1) {
		unlink(_PATH_PTMP);
		errx(1, "pwd_mkdb failed: %s unchanged", _PATH_MASTERPASSWD);
	}
	return (0);
}
