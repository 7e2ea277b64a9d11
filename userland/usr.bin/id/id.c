/*
 * id: return user identity.  The default line is BSD's:
 * "uid=0(root) gid=0(wheel) groups=0(wheel),5(operator)", with euid= and
 * egid= when they differ.  -u, -g, -G print numbers (names with -n, real
 * ids with -r); -p is the human-readable form.
 */
#include <err.h>
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
	fprintf(stderr, "%s\n%s\n%s\n%s\n%s\n",
	    "usage: id [user]",
	    "       id -G [-n] [user]",
	    "       id -g [-nr] [user]",
	    "       id -p [user]",
	    "       id -u [-nr] [user]");
	exit(1);
}

static const char *
gname(gid_t gid)
{
	struct group *gr = getgrgid(gid);
	return (gr != NULL ? gr->gr_name : NULL);
}

static const char *
uname_(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);
	return (pw != NULL ? pw->pw_name : NULL);
}

/* The groups of a user (from the database) or of this process. */
static int
groups(struct passwd *pw, gid_t *list, int max)
{
	int n = max;

	if (pw != NULL) {
		if (getgrouplist(pw->pw_name, pw->pw_gid, list, &n) == -1)
			n = max;
		return (n);
	}
	/* Ask for the count first: some kernels refuse sizes over NGROUPS_MAX. */
	n = getgroups(0, NULL);
	if (n == -1 || n > max - 1 || (n = getgroups(n, list)) == -1)
		err(1, "getgroups");
	/* The effective gid first, as BSD lists it. */
	gid_t egid = getegid();
	int i;
	for (i = 0; i < n && list[i] != egid; i++)
		;
	if (i == n && n < max) {
		memmove(list + 1, list, n * sizeof(*list));
		list[0] = egid;
		n++;
	}
	return (n);
}

static void
printid(const char *label, unsigned id, const char *name)
{
	printf("%s=%u", label, id);
	if (name != NULL)
		printf("(%s)", name);
}

int
main(int argc, char *argv[])
{
	struct passwd *pw = NULL;
	gid_t list[NGROUPS_MAX + 1];
	int ch, Gflag = 0, gflag = 0, nflag = 0, pflag = 0, rflag = 0, uflag = 0, n;
	uid_t uid, euid;
	gid_t gid, egid;

	while ((ch = getopt(argc, argv, "+Ggnpru")) != -1) {
		switch (ch) {
		case 'G': Gflag = 1; break;
		case 'g': gflag = 1; break;
		case 'n': nflag = 1; break;
		case 'p': pflag = 1; break;
		case 'r': rflag = 1; break;
		case 'u': uflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (Gflag + gflag + pflag + uflag > 1 || argc > 1)
		usage();
	if ((nflag || rflag) && !(Gflag || gflag || uflag))
		usage();
	if (argc == 1) {
		char *ep;
		if ((pw = getpwnam(argv[0])) == NULL) {
			unsigned long v = strtoul(argv[0], &ep, 10);
			if (*argv[0] == '\0' || *ep != '\0' || (pw = getpwuid((uid_t)v)) == NULL)
				errx(1, "%s: no such user", argv[0]);
		}
		uid = euid = pw->pw_uid;
		gid = egid = pw->pw_gid;
	} else {
		uid = getuid();
		euid = geteuid();
		gid = getgid();
		egid = getegid();
	}

	if (uflag) {
		uid_t u = rflag ? uid : euid;
		const char *s = nflag ? uname_(u) : NULL;
		if (s != NULL)
			printf("%s\n", s);
		else
			printf("%u\n", (unsigned)u);
		return (0);
	}
	if (gflag) {
		gid_t g = rflag ? gid : egid;
		const char *s = nflag ? gname(g) : NULL;
		if (s != NULL)
			printf("%s\n", s);
		else
			printf("%u\n", (unsigned)g);
		return (0);
	}
	n = groups(pw, list, NGROUPS_MAX + 1);
	if (Gflag) {
		for (int i = 0; i < n; i++) {
			const char *s = nflag ? gname(list[i]) : NULL;
			if (s != NULL)
				printf("%s%s", i ? " " : "", s);
			else
				printf("%s%u", i ? " " : "", (unsigned)list[i]);
		}
		printf("\n");
		return (0);
	}
	if (pflag) {
		const char *login = getlogin();
		if (pw == NULL && login != NULL && uname_(uid) != NULL && strcmp(login, uname_(uid)) != 0)
			printf("login\t%s\n", login);
		if (uname_(uid) != NULL)
			printf("uid\t%s\n", uname_(uid));
		else
			printf("uid\t%u\n", (unsigned)uid);
		if (euid != uid)
			printf("euid\t%s\n", uname_(euid) ? uname_(euid) : "?");
		if (gname(gid) != NULL && gid != egid)
			printf("rgid\t%s\n", gname(gid));
		printf("groups\t");
		for (int i = 0; i < n; i++) {
			const char *s = gname(list[i]);
			if (s != NULL)
				printf("%s%s", i ? " " : "", s);
			else
				printf("%s%u", i ? " " : "", (unsigned)list[i]);
		}
		printf("\n");
		return (0);
	}
	printid("uid", uid, uname_(uid));
	printf(" ");
	printid("gid", gid, gname(gid));
	if (euid != uid) {
		printf(" ");
		printid("euid", euid, uname_(euid));
	}
	if (egid != gid) {
		printf(" ");
		printid("egid", egid, gname(egid));
	}
	printf(" groups=");
	for (int i = 0; i < n; i++) {
		if (i)
			printf(",");
		printf("%u", (unsigned)list[i]);
		if (gname(list[i]) != NULL)
			printf("(%s)", gname(list[i]));
	}
	printf("\n");
	return (0);
}
