/*
 * kenv: list or modify the kernel environment (the -e name=value pairs the
 * vkernel was booted with), through kenv(2).
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysctl.h"

static int hflag, Nflag, qflag, uflag, vflag;

static void
usage(void)
{
	fprintf(stderr, "%s\n%s\n%s\n",
	    "usage: kenv [-hNq]",
	    "       kenv [-qv] variable[=value]",
	    "       kenv [-q] -u variable");
	exit(1);
}

static int
kdumpenv(void)
{
	char *buf, *cp, *bp, *eq;
	int size, used;

	/* The environment may grow between the size probe and the dump. */
	for (;;) {
		if ((size = kenv(KENV_DUMP, NULL, NULL, 0)) == -1)
			return (-1);
		size += size / 8 + 128;
		if ((buf = malloc(size + 1)) == NULL)
			err(1, NULL);
		if ((used = kenv(KENV_DUMP, NULL, buf, size)) == -1) {
			free(buf);
			return (-1);
		}
		if (used < size)
			break;
		free(buf);
	}
	buf[used] = '\0';
	for (bp = buf; bp < buf + used; bp = cp + 1) {
		cp = bp + strlen(bp);
		if (*bp == '\0')
			continue;
		if (hflag && strncmp(bp, "hint.", 5) != 0)
			continue;
		eq = strchr(bp, '=');
		if (eq == NULL)
			continue;
		if (Nflag)
			printf("%.*s\n", (int)(eq - bp), bp);
		else
			printf("%.*s=\"%s\"\n", (int)(eq - bp), bp, eq + 1);
	}
	free(buf);
	return (0);
}

static int
kgetenv(const char *env)
{
	char buf[KENV_MVALLEN + 1];

	if (kenv(KENV_GET, env, buf, sizeof(buf)) == -1)
		return (-1);
	if (vflag)
		printf("%s=\"%s\"\n", env, buf);
	else
		printf("%s\n", buf);
	return (0);
}

static int
ksetenv(const char *env, char *val)
{
	if (kenv(KENV_SET, env, val, (int)strlen(val) + 1) == -1)
		return (-1);
	printf("%s=\"%s\"\n", env, val);
	return (0);
}

int
main(int argc, char *argv[])
{
	char *env = NULL, *val = NULL;
	int ch, error = 0;

	while ((ch = getopt(argc, argv, "+hNquv")) != -1) {
		switch (ch) {
		case 'h': hflag = 1; break;
		case 'N': Nflag = 1; break;
		case 'q': qflag = 1; break;
		case 'u': uflag = 1; break;
		case 'v': vflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0) {
		env = argv[0];
		if ((val = strchr(env, '=')) != NULL)
			*val++ = '\0';
		argv++;
		argc--;
	}
	if (argc > 0)
		usage();
	if ((hflag || Nflag) && env != NULL)
		usage();
	if (env == NULL && (uflag || vflag))
		usage();
	if (uflag && val != NULL)
		usage();

	if (env == NULL) {
		error = kdumpenv();
		if (error && !qflag)
			warn("kenv dump");
	} else if (uflag) {
		error = kenv(KENV_UNSET, env, NULL, 0);
		if (error && !qflag)
			warnx("unable to unset %s", env);
	} else if (val != NULL) {
		error = ksetenv(env, val);
		if (error && !qflag)
			warnx("unable to set %s to %s", env, val);
	} else {
		error = kgetenv(env);
		if (error && !qflag)
			warnx("unable to get %s", env);
	}
	return (error ? 1 : 0);
}
