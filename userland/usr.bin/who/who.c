/*
 * who: display who is on the system, after BSD's who(1).
 *
 *	who [-Hmq] [am I]
 *
 * The vkernel keeps no utmp (login and getty write none): like w(1), a
 * user is a login session read from the process table (kern.proc.all),
 * a session with a controlling terminal whose leader is neither init nor
 * a getty waiting for a name.  The name is the owner of the session's
 * shell, the time when that shell started.  "who am i" (and -m) shows
 * only the session of the terminal on standard input.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "libutil.h"
#include "sysctl.h"

static void
usage(void)
{
	fprintf(stderr, "usage: who [-Hmq] [am I]\n");
	exit(1);
}

/* The session's user process: the oldest past login, or the leader itself. */
static const struct kinfo_proc *
session_user(const struct kinfo_proc *kp, size_t n, const struct kinfo_proc *leader)
{
	size_t j;

	if (strcmp(leader->kp_comm, "login") != 0)
		return (leader);
	for (j = 0; j < n; j++)
		if (kp[j].kp_sid == leader->kp_sid && kp[j].kp_pid != leader->kp_pid &&
		    strcmp(kp[j].kp_comm, "login") != 0)
			return (&kp[j]);
	return (leader);
}

int
main(int argc, char *argv[])
{
	struct kinfo_proc *kp;
	const struct kinfo_proc *u;
	const char *mytty = NULL, *name;
	char buf[64];
	size_t n, i;
	int ch, Hflag = 0, mflag = 0, qflag = 0, count = 0;
	time_t t;

	while ((ch = getopt(argc, argv, "+Hmqsu")) != -1) {
		switch (ch) {
		case 'H': Hflag = 1; break;
		case 'm': mflag = 1; break;
		case 'q': qflag = 1; break;
		case 's': case 'u': break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 2 && strcasecmp(argv[0], "am") == 0 &&
	    (strcasecmp(argv[1], "i") == 0 || strcmp(argv[1], "I") == 0))
		mflag = 1;
	else if (argc != 0)
		usage();
	if (mflag) {
		char *p = ttyname(STDIN_FILENO);
		if (p == NULL)
			return (1);	/* BSD: no terminal, no line */
		mytty = strncmp(p, "/dev/", 5) == 0 ? p + 5 : p;
	}

	kp = kinfo_getallproc(&n);
	if (kp == NULL)
		err(1, "kern.proc.all");
	if (Hflag && !qflag)
		printf("%-16s %-8s %s\n", "NAME", "LINE", "TIME");
	for (i = 0; i < n; i++) {
		if (!kinfo_is_login(&kp[i]))
			continue;
		if (mytty != NULL && strcmp(kp[i].kp_ttyname, mytty) != 0)
			continue;
		u = session_user(kp, n, &kp[i]);
		name = user_from_uid(u->kp_uid, 0);
		count++;
		if (qflag) {
			printf("%-8s ", name);
			continue;
		}
		t = (time_t)(u->kp_start_us / 1000000);
		strftime(buf, sizeof(buf), "%b %e %H:%M", localtime(&t));
		printf("%-8.16s %-8.8s %s\n", name, kp[i].kp_ttyname, buf);
	}
	if (qflag)
		printf("\n# users = %d\n", count);
	free(kp);
	return (0);
}
