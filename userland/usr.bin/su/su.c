/*
 * su: substitute user identity, after BSD's su(1).
 *
 *	su [-] [-flm] [login [args]]
 *	su [-] [-flm] [login] -c command
 *
 * The target (root by default) comes from /etc/master.passwd.  Root
 * needs no password; anyone else types the target's, checked by
 * SHA-512-crypt as login(1) does.  BSD's wheel rule: when group wheel
 * has members, only they may become root.  args go to the shell, so
 * "su user -c command" runs one command.  - (or -l) simulates a full
 * login: a clean environment, the target's home, "-sh" as argv[0]; -m
 * keeps the environment whole; otherwise HOME and SHELL change, and USER
 * and LOGNAME too unless the target is root.
 */
#include <sys/types.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <termios.h>
#include <unistd.h>

#include "crypt_sha512.h"
#include "pwent.h"

#define _PATH_GROUP		"/etc/group"
#define _PATH_BSHELL		"/bin/sh"
#define _PATH_DEFPATH		"/usr/bin:/bin"
#define _PATH_STDPATH		"/sbin:/bin:/usr/sbin:/usr/bin"

static void
usage(void)
{
	fprintf(stderr, "usage: su [-] [-flm] [login [args]]\n       su [-] [-flm] [login] -c command\n");
	exit(1);
}

/*
 * The wheel rule: 1 if user (whose group is gid) may become root.  An
 * empty (or missing) wheel group lets everyone try, as in BSD.
 */
static int
wheel_ok(const char *user, gid_t gid)
{
	char buf[4096], *p, *m, *members;
	int found = 0, any = 0;
	FILE *fp;

	if ((fp = fopen(_PATH_GROUP, "re")) == NULL)
		return (1);
	while (fgets(buf, sizeof(buf), fp) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		if (strncmp(buf, "wheel:", 6) != 0)
			continue;
		/* wheel:passwd:gid:members */
		if ((p = strchr(buf + 6, ':')) == NULL || (members = strchr(p + 1, ':')) == NULL)
			break;
		members++;
		/* a member by primary group, as in BSD, or by name */
		if (strtoul(p + 1, NULL, 10) == gid)
			found = 1;
		for (m = strtok(members, ","); m != NULL; m = strtok(NULL, ",")) {
			any = 1;
			if (strcmp(m, user) == 0)
				found = 1;
		}
		break;
	}
	fclose(fp);
	return (found || !any);
}

static int
checkpass(const struct account *a, const char *pass)
{
	const char *h;

	if (strncmp(a->passwd, "$6$", 3) != 0)
		return (0);
	h = crypt_sha512(pass, a->passwd);
	return (h != NULL && strcmp(h, a->passwd) == 0);
}

int
main(int argc, char *argv[])
{
	struct account to, me;
	struct passwd *pw;
	char pass[256], argv0[256], *shell, *term, **nargv;
	const char *user = "root", *myname, *cmd = NULL;
	int ch, lflag = 0, mflag = 0, i, nargs;
	uid_t ruid = getuid();

	openlog("su", LOG_ODELAY, LOG_AUTH);
	/* "su -" first: - alone is -l */
	if (argc > 1 && strcmp(argv[1], "-") == 0) {
		lflag = 1;
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	while ((ch = getopt(argc, argv, "+c:flm")) != -1) {
		switch (ch) {
		case 'c':
			cmd = optarg;
			break;
		case 'f':
			break;
		case 'l':
			lflag = 1;
			mflag = 0;
			break;
		case 'm':
			mflag = 1;
			lflag = 0;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0 && strcmp(argv[0], "-") == 0) {
		lflag = 1;
		argc--;
		argv++;
	}
	if (argc > 0 && argv[0][0] != '-') {
		user = argv[0];
		argc--;
		argv++;
	}
	/* "su user -c command": the -c after the name */
	if (cmd == NULL && argc == 2 && strcmp(argv[0], "-c") == 0) {
		cmd = argv[1];
		argc = 0;
	}
	if (cmd != NULL && argc > 0)
		usage();

	if (pw_getaccount(NULL, ruid, &me) == 0)
		myname = strdup(me.name);
	else if ((pw = getpwuid(ruid)) != NULL)
		myname = strdup(pw->pw_name);
	else {
		snprintf(pass, sizeof(pass), "%u", (unsigned)ruid);
		myname = strdup(pass);
	}
	if (myname == NULL)
		err(1, NULL);
	if ((i = pw_getaccount(user, 0, &to)) < 0) {
		if (i == -2 && errno != ENOENT) {
			/* not set-user-ID root: nobody's password can be checked */
			warn("%s", _PATH_MASTERPASSWD);
			errx(1, "Sorry");
		}
		errx(1, "unknown login: %s", user);
	}
	if (ruid != 0) {
		if (to.uid == 0 && !wheel_ok(myname, getgid())) {
			syslog(LOG_AUTH | LOG_WARNING, "BAD SU %s to %s", myname, user);
			errx(1, "you are not in the correct group (wheel) to su %s.", user);
		}
		if (to.passwd[0] != '\0') {
			if (readpass("Password:", pass, sizeof(pass)) == NULL ||
			    !checkpass(&to, pass)) {
				explicit_bzero(pass, sizeof(pass));
				syslog(LOG_AUTH | LOG_WARNING, "BAD SU %s to %s", myname, user);
				errx(1, "Sorry");
			}
			explicit_bzero(pass, sizeof(pass));
		}
	}
	if (to.uid == 0)
		syslog(LOG_NOTICE | LOG_AUTH, "%s to %s", myname, user);

	shell = to.shell[0] != '\0' ? to.shell : _PATH_BSHELL;
	if (setgid(to.gid) == -1)
		err(1, "setgid");
	if (initgroups(to.name, to.gid) == -1)
		err(1, "initgroups");
	if (setuid(to.uid) == -1)
		err(1, "setuid");

	if (lflag) {
		term = getenv("TERM");
		term = term != NULL ? strdup(term) : NULL;
		clearenv();
		setenv("TERM", term != NULL && *term ? term : "unknown", 1);
		setenv("PATH", to.uid == 0 ? _PATH_STDPATH : _PATH_DEFPATH, 1);
		setenv("USER", to.name, 1);
		setenv("LOGNAME", to.name, 1);
		setenv("HOME", to.home, 1);
		setenv("SHELL", shell, 1);
		if (chdir(to.home) == -1)
			errx(1, "no directory");
	} else if (!mflag) {
		if (to.uid != 0) {
			setenv("USER", to.name, 1);
			setenv("LOGNAME", to.name, 1);
		}
		setenv("HOME", to.home, 1);
		setenv("SHELL", shell, 1);
	}

	/* argv[0]: "-su" for a login shell, "su" otherwise, as BSD */
	snprintf(argv0, sizeof(argv0), "%s", lflag ? "-su" : "su");
	nargs = cmd != NULL ? 2 : argc;
	if ((nargv = calloc(nargs + 2, sizeof(*nargv))) == NULL)
		err(1, NULL);
	nargv[0] = argv0;
	if (cmd != NULL) {
		nargv[1] = "-c";
		nargv[2] = (char *)cmd;
	} else
		for (i = 0; i < nargs; i++)
			nargv[i + 1] = argv[i];
	(void)signal(SIGINT, SIG_DFL);
	(void)signal(SIGQUIT, SIG_DFL);
	execv(shell, nargv);
	err(1, "%s", shell);
}
