/*
 * login: log into the computer, after BSD's login(1).
 *
 *	login [-fp] [-h hostname] [user]
 *
 * The account comes from /etc/master.passwd (BSD's format:
 * name:password:uid:gid:class:change:expire:gecos:home:shell).  The
 * password field is empty for no password, a "$6$" SHA-512-crypt hash,
 * or anything else ("*", "*LOCKED*") for an account nobody logs into
 * with a password.  -f skips the password for a caller that is root (getty
 * autologin) or already that user; -p keeps the environment.  Root logs
 * in only on terminals /etc/ttys marks "secure".
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "crypt_sha512.h"
#include "pwent.h"

#define _PATH_TTYS		"/etc/ttys"
#define _PATH_MOTD		"/etc/motd"
#define _PATH_NOLOGIN		"/var/run/nologin"
#define _PATH_NOLOGIN_ETC	"/etc/nologin"
#define _PATH_HUSHLOGIN		".hushlogin"
#define _PATH_BSHELL		"/bin/sh"
#define _PATH_MAILDIR		"/var/mail"
#define _PATH_DEFPATH		"/usr/bin:/bin"
#define _PATH_STDPATH		"/sbin:/bin:/usr/sbin:/usr/bin"

#define NTRIES		10	/* attempts before login gives up */
#define NSLEEP		3	/* failures before each one costs a pause */
#define TIMEOUT		300	/* seconds to finish logging in */
#define NAMELEN		64

static const char *tty = "console";

static void
usage(void)
{
	fprintf(stderr, "usage: login [-fp] [-h hostname] [username]\n");
	exit(1);
}

static void
timedout(int sig)
{
	(void)sig;
	fprintf(stderr, "\nLogin timed out after %d seconds\n", TIMEOUT);
	_exit(0);
}

/* The account called name, or -1.  master.passwd is root's to read, and so is login. */
static int
getaccount(const char *name, struct account *acct)
{
	int r = pw_getaccount(name, 0, acct);

	if (r == -2)
		syslog(LOG_ERR, "%s: %m", _PATH_MASTERPASSWD);
	return (r == 0 ? 0 : -1);
}

/* Prompt for a login name; exits at EOF as BSD's does. */
static void
getloginname(char *name, size_t size)
{
	size_t n;
	int c;

	for (;;) {
		printf("login: ");
		fflush(stdout);
		for (n = 0; (c = getchar()) != '\n';) {
			if (c == EOF)
				exit(0);
			if (n + 1 < size)
				name[n++] = c;
		}
		name[n] = '\0';
		if (n > 0 && name[n - 1] == '\r')
			name[--n] = '\0';
		if (n == 0)
			continue;
		if (name[0] == '-') {
			printf("login names may not start with '-'.\n");
			continue;
		}
		return;
	}
}

/*
 * May root log in on tty?  Only where /etc/ttys says "secure" (BSD's
 * rootterm()); quoted fields (the getty command) are skipped whole.
 */
static int
rootterm(const char *name)
{
	char line[1024], *p, *w;
	int secure = 0, first;
	FILE *fp;

	if ((fp = fopen(_PATH_TTYS, "re")) == NULL)
		return (0);
	while (!secure && fgets(line, sizeof(line), fp) != NULL) {
		for (p = line, first = 1;; first = 0) {
			p += strspn(p, " \t\n");
			if (*p == '\0' || *p == '#')
				break;
			if (*p == '"') {
				while (*++p != '\0' && *p != '"')
					if (*p == '\\' && p[1] != '\0')
						p++;
				if (*p == '"')
					p++;
				continue;
			}
			w = p;
			p += strcspn(p, " \t\n#");
			if (first && ((size_t)(p - w) != strlen(name) || strncmp(w, name, p - w) != 0))
				break;		/* another terminal's line */
			if (!first && p - w == 6 && strncmp(w, "secure", 6) == 0)
				secure = 1;
		}
	}
	fclose(fp);
	return (secure);
}

/* Does `pass' open the account?  Empty stored password: anything does. */
static int
checkpass(const struct account *acct, const char *pass)
{
	const char *h;

	if (acct->passwd[0] == '\0')
		return (1);
	if (strncmp(acct->passwd, "$6$", 3) != 0)
		return (0);	/* "*", "*LOCKED*...", or a scheme we do not know */
	h = crypt_sha512(pass, acct->passwd);
	return (h != NULL && strcmp(h, acct->passwd) == 0);
}

static void
cat_file(const char *path)
{
	char buf[512];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL)
		return;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(fp);
	fflush(stdout);
}

int
main(int argc, char *argv[])
{
	struct account acct;
	char name[NAMELEN], pass[256], argv0[PATH_MAX], *term, *shell, *p;
	const char *hostname = NULL;
	int ch, fflag = 0, pflag = 0, cnt, ok, have_acct;
	uid_t uid = getuid();
	struct stat st;

	(void)signal(SIGQUIT, SIG_IGN);
	(void)signal(SIGINT, SIG_IGN);
	(void)signal(SIGALRM, timedout);
	alarm(TIMEOUT);
	openlog("login", LOG_ODELAY, LOG_AUTH);

	while ((ch = getopt(argc, argv, "+fh:p")) != -1) {
		switch (ch) {
		case 'f':
			fflag = 1;
			break;
		case 'h':
			if (uid != 0)
				errx(1, "-h option: %s", strerror(EPERM));
			hostname = optarg;
			break;
		case 'p':
			pflag = 1;
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
		snprintf(name, sizeof(name), "%s", argv[0]);
	else
		getloginname(name, sizeof(name));
	if ((p = ttyname(STDIN_FILENO)) != NULL && strncmp(p, "/dev/", 5) == 0)
		tty = p + 5;

	for (cnt = 0;; ) {
		have_acct = getaccount(name, &acct) == 0;
		ok = 0;
		/* -f: the caller vouches (root) or is that user already. */
		if (fflag && have_acct && (uid == 0 || uid == acct.uid))
			ok = 1;
		else if (have_acct && acct.passwd[0] == '\0')
			ok = 1;
		else {
			/* An unknown name gets a password prompt too: no hints. */
			if (readpass("Password:", pass, sizeof(pass)) == NULL)
				exit(0);
			ok = have_acct && checkpass(&acct, pass);
			explicit_bzero(pass, sizeof(pass));
		}
		fflag = 0;
		if (ok && acct.uid == 0 && !rootterm(tty)) {
			syslog(LOG_NOTICE, "ROOT LOGIN REFUSED ON %s%s%s", tty,
			    hostname ? " FROM " : "", hostname ? hostname : "");
			ok = 0;
		}
		if (ok)
			break;
		syslog(LOG_NOTICE, "LOGIN FAILURE ON %s%s%s, %s", tty,
		    hostname ? " FROM " : "", hostname ? hostname : "", name);
		printf("Login incorrect\n");
		if (have_acct)
			free(acct.line);
		if (++cnt >= NTRIES) {
			syslog(LOG_ERR, "REPEATED LOGIN FAILURES ON %s, %s", tty, name);
			sleep(5);
			exit(1);
		}
		if (cnt > NSLEEP)
			sleep(cnt - NSLEEP);
		getloginname(name, sizeof(name));
	}
	alarm(0);

	if (acct.expire != 0 && time(NULL) >= acct.expire) {
		printf("Sorry -- your account has expired.\n");
		exit(1);
	}
	if (acct.uid != 0 && (stat(_PATH_NOLOGIN, &st) == 0 || stat(_PATH_NOLOGIN_ETC, &st) == 0)) {
		cat_file(stat(_PATH_NOLOGIN, &st) == 0 ? _PATH_NOLOGIN : _PATH_NOLOGIN_ETC);
		exit(0);
	}

	/* The terminal becomes the user's. */
	(void)fchown(STDIN_FILENO, acct.uid, -1);
	(void)fchmod(STDIN_FILENO, 0620);

	if (setgid(acct.gid) == -1)
		err(1, "setgid");
	if (initgroups(acct.name, acct.gid) == -1)
		err(1, "initgroups");
	if (setuid(acct.uid) == -1)
		err(1, "setuid");

	if (chdir(acct.home) == -1) {
		if (chdir("/") == -1)
			err(1, "no home directory");
		printf("No home directory %s!\nLogging in with home = \"/\".\n", acct.home);
		acct.home = "/";
	}

	shell = acct.shell[0] != '\0' ? acct.shell : _PATH_BSHELL;
	term = getenv("TERM");
	term = term != NULL ? strdup(term) : NULL;
	if (!pflag)
		clearenv();
	setenv("TERM", term != NULL && *term ? term : "unknown", 1);
	setenv("HOME", acct.home, 1);
	setenv("SHELL", shell, 1);
	setenv("USER", acct.name, 1);
	setenv("LOGNAME", acct.name, 1);
	setenv("PATH", acct.uid == 0 ? _PATH_STDPATH : _PATH_DEFPATH, 1);
	snprintf(pass, sizeof(pass), "%s/%s", _PATH_MAILDIR, acct.name);
	setenv("MAIL", pass, 1);

	if (acct.uid == 0)
		syslog(LOG_NOTICE, "ROOT LOGIN ON %s%s%s", tty,
		    hostname ? " FROM " : "", hostname ? hostname : "");
	if (stat(_PATH_HUSHLOGIN, &st) == -1)
		cat_file(_PATH_MOTD);

	(void)signal(SIGALRM, SIG_DFL);
	(void)signal(SIGQUIT, SIG_DFL);
	(void)signal(SIGINT, SIG_DFL);
	(void)signal(SIGTSTP, SIG_DFL);

	/* A login shell: "-sh". */
	p = strdup(shell);
	snprintf(argv0, sizeof(argv0), "-%s", p != NULL ? basename(p) : "sh");
	execl(shell, argv0, (char *)NULL);
	err(1, "%s", shell);
}
