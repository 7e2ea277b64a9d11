/*
 * chroot: change the root directory and run a command there (default:
 * $SHELL, or /bin/sh, interactively).  -u/-g/-G set the user, group and
 * supplementary groups after the chroot, looked up outside it.
 */
#include <err.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: chroot [-g group] [-G group,group,...] [-u user] newroot [command]\n");
	exit(1);
}

static gid_t
lookup_gid(const char *s)
{
	struct group *gr = getgrnam(s);
	char *ep;
	unsigned long v;

	if (gr != NULL)
		return (gr->gr_gid);
	v = strtoul(s, &ep, 10);
	if (*s == '\0' || *ep != '\0')
		errx(1, "no such group `%s'", s);
	return ((gid_t)v);
}

int
main(int argc, char *argv[])
{
	const char *user = NULL, *group = NULL, *grouplist = NULL, *shell;
	struct passwd *pw = NULL;
	gid_t gid = 0, groups[NGROUPS_MAX];
	int ch, ngroups = 0;

	while ((ch = getopt(argc, argv, "+G:g:u:")) != -1) {
		switch (ch) {
		case 'G': grouplist = optarg; break;
		case 'g': group = optarg; break;
		case 'u': user = optarg; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (group != NULL)
		gid = lookup_gid(group);
	if (grouplist != NULL) {
		char *list = strdup(grouplist), *save, *g;
		if (list == NULL)
			err(1, NULL);
		for (g = strtok_r(list, ",", &save); g != NULL; g = strtok_r(NULL, ",", &save)) {
			if (ngroups == NGROUPS_MAX)
				errx(1, "too many supplementary groups provided");
			groups[ngroups++] = lookup_gid(g);
		}
		free(list);
	}
	if (user != NULL) {
		char *ep;
		if ((pw = getpwnam(user)) == NULL) {
			unsigned long v = strtoul(user, &ep, 10);
			if (*user == '\0' || *ep != '\0' || (pw = getpwuid((uid_t)v)) == NULL)
				errx(1, "no such user `%s'", user);
		}
	}

	if (chdir(argv[0]) == -1 || chroot(".") == -1)
		err(1, "%s", argv[0]);
	if (grouplist != NULL && setgroups(ngroups, groups) == -1)
		err(1, "setgroups");
	if (group != NULL && setgid(gid) == -1)
		err(1, "setgid");
	if (pw != NULL) {
		if (group == NULL && setgid(pw->pw_gid) == -1)
			err(1, "setgid");
		if (setuid(pw->pw_uid) == -1)
			err(1, "setuid");
	}
	if (argc > 1) {
		execvp(argv[1], &argv[1]);
		err(1, "%s", argv[1]);	/* as BSD's */
	}
	if ((shell = getenv("SHELL")) == NULL || *shell == '\0')
		shell = "/bin/sh";
	execlp(shell, shell, "-i", (char *)NULL);
	err(1, "%s", shell);
}
