/*
 * cd and pwd.  The shell keeps a logical working directory in PWD (the
 * path the user typed, symlinks and all), as BSD sh does with -L, the
 * default; -P resolves it physically.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shell.h"

/* Lexically clean up an absolute path: no ".", "..", or doubled slashes. */
static char *
canonical(const char *path)
{
	char *out = stalloc(strlen(path) + 2);
	size_t n = 0;
	const char *p = path;

	out[n++] = '/';
	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0)
			break;
		if (len == 1 && p[0] == '.') {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 1 && out[n - 1] != '/')
				n--;
			if (n > 1)
				n--;
		} else {
			if (out[n - 1] != '/')
				out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p += len;
	}
	if (n > 1 && out[n - 1] == '/')
		n--;
	out[n] = '\0';
	return out;
}

static char *
physical(void)
{
	char buf[PATH_MAX];

	if (getcwd(buf, sizeof(buf)) == NULL)
		return NULL;
	return ststrdup(buf);
}

/* Is PWD still naming the current directory? */
static int
pwdvalid(const char *pwd)
{
	struct stat a, b;

	return pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int
cdcmd(int argc, char **argv)
{
	int phys = 0, print = 0, i = 1;
	const char *dir, *oldpwd = lookupvar("PWD");
	char *target, *newpwd;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-P") == 0)
			phys = 1;
		else if (strcmp(argv[i], "-L") == 0)
			phys = 0;
		else
			sh_error("cd: %s: bad option", argv[i]);
	}
	if (i < argc) {
		dir = argv[i];
		if (strcmp(dir, "-") == 0) {
			dir = lookupvar("OLDPWD");
			if (dir == NULL)
				sh_error("cd: OLDPWD not set");
			print = 1;
		}
	} else {
		dir = lookupvar("HOME");
		if (dir == NULL || *dir == '\0')
			sh_error("cd: HOME not set");
	}
	if (!pwdvalid(oldpwd))
		oldpwd = physical();
	if (dir[0] == '/' || oldpwd == NULL) {
		target = ststrdup(dir);
	} else {
		target = stalloc(strlen(oldpwd) + strlen(dir) + 2);
		strcpy(target, oldpwd);
		strcat(target, "/");
		strcat(target, dir);
	}
	if (!phys && target[0] == '/')
		target = canonical(target);
	if (chdir(phys ? dir : target) < 0) {
		/* The logical path may fail where the physical one works. */
		if (phys || chdir(dir) < 0) {
			sh_warnx("cd: %s: %s", dir, strerror(errno));
			return 1;
		}
		newpwd = physical();
	} else {
		newpwd = phys ? physical() : target;
	}
	if (oldpwd)
		setvar("OLDPWD", oldpwd, V_EXPORT);
	if (newpwd)
		setvar("PWD", newpwd, V_EXPORT);
	if (print)
		printf("%s\n", newpwd ? newpwd : dir);
	return 0;
}

int
pwdcmd(int argc, char **argv)
{
	const char *pwd = lookupvar("PWD");
	int phys = argc > 1 && strcmp(argv[1], "-P") == 0;

	if (phys || !pwdvalid(pwd)) {
		char *p = physical();

		if (p == NULL) {
			sh_warnx("pwd: %s", strerror(errno));
			return 1;
		}
		if (!phys)
			setvar("PWD", p, V_EXPORT);
		pwd = p;
	}
	printf("%s\n", pwd);
	return 0;
}

/* At startup: an inherited PWD is kept only if it names this directory. */
void
initpwd(void)
{
	char *p;

	if (pwdvalid(lookupvar("PWD")))
		return;
	if ((p = physical()) != NULL)
		setvar("PWD", p, V_EXPORT);
}
