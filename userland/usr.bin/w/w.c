/*
 * w: who is present and what they are doing.  The header is uptime(1)'s
 * line: the time, how long since kern.boottime, the number of users and
 * vm.loadavg.  There is no utmp in the vkernel: a "user" is a login
 * session, a session with a controlling terminal whose leader is neither
 * init nor a getty still waiting for a name.  Its user is the owner of the
 * session's first process past login (the shell), WHAT is the newest
 * process of the terminal's foreground process group.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libutil.h"
#include "sysctl.h"

struct session {
	struct kinfo_proc *leader;	/* the session leader */
	struct kinfo_proc *user;	/* the login shell, or the leader */
	struct kinfo_proc *fg;		/* newest of the foreground group */
};

static void
usage(void)
{
	fprintf(stderr, "usage: w [-hin] [user ...]\n");
	exit(1);
}

/* The login sessions: leaders with a terminal, not init, not a getty. */
static struct session *
getsessions(struct kinfo_proc *kp, size_t n, size_t *nsp)
{
	struct session *s = NULL;
	size_t i, j, ns = 0;

	for (i = 0; i < n; i++) {
		if (!kinfo_is_login(&kp[i]))
			continue;
		if ((s = reallocarray(s, ns + 1, sizeof(*s))) == NULL)
			err(1, NULL);
		s[ns].leader = s[ns].user = s[ns].fg = &kp[i];
		/* The shell: the oldest process of the session past login. */
		if (strcmp(kp[i].kp_comm, "login") == 0) {
			for (j = 0; j < n; j++)
				if (kp[j].kp_sid == kp[i].kp_sid &&
				    kp[j].kp_pid != kp[i].kp_pid &&
				    strcmp(kp[j].kp_comm, "login") != 0) {
					s[ns].user = &kp[j];
					break;
				}
		}
		for (j = 0; j < n; j++)
			if (kp[j].kp_sid == kp[i].kp_sid &&
			    kp[j].kp_tpgid != -1 &&
			    kp[j].kp_pgid == kp[j].kp_tpgid &&
			    kp[j].kp_stat != SZOMB)
				s[ns].fg = &kp[j];
		ns++;
	}
	*nsp = ns;
	return (s);
}

static char *
procargs(int pid, const char *comm)
{
	int mib[4] = { CTL_KERN, KERN_PROC, KERN_PROC_ARGS, pid };
	size_t len = 0, i;
	char *buf;

	if (sysctl(mib, 4, NULL, &len, NULL, 0) == -1 || len == 0 ||
	    (buf = malloc(len + 1)) == NULL ||
	    sysctl(mib, 4, buf, &len, NULL, 0) == -1)
		return (strdup(comm));
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	for (i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[len] = '\0';
	return (buf);
}

int
main(int argc, char *argv[])
{
	struct kinfo_proc *kp;
	struct session *s;
	struct stat sb;
	size_t n, ns, i;
	time_t now, t;
	char buf[64], path[64], *what;
	const char *user;
	int ch, header = 1, nflag = 0, a;
	long idle;

	while ((ch = getopt(argc, argv, "+dhiMNnw")) != -1) {
		switch (ch) {
		case 'h': header = 0; break;
		case 'n': nflag = 1; break;
		case 'd': case 'i': case 'M': case 'N': case 'w': break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;

	kp = kinfo_getallproc(&n);
	s = getsessions(kp, n, &ns);
	(void)time(&now);
	if (header) {
		pr_uptime_header(now, (int)ns, 0);
		printf("%-10s %-8s %-16s %s\n", "USER", "TTY", "FROM",
		    "LOGIN@  IDLE WHAT");
	}
	for (i = 0; i < ns; i++) {
		if (nflag)
			snprintf(buf, sizeof(buf), "%u", s[i].user->kp_uid);
		user = nflag ? buf : user_from_uid(s[i].user->kp_uid, 0);
		if (argc > 0) {
			for (a = 0; a < argc; a++)
				if (strcmp(argv[a], user) == 0)
					break;
			if (a == argc)
				continue;
		}
		printf("%-10.10s %-8.8s %-16.16s ", user,
		    s[i].leader->kp_ttyname, "-");
		t = (time_t)(s[i].user->kp_start_us / 1000000);
		if (now - t < 24 * 3600)
			strftime(buf, sizeof(buf), "%l:%M%p", localtime(&t));
		else
			strftime(buf, sizeof(buf), "%a%I%p", localtime(&t));
		printf("%7s ", buf);
		/* Idle: since the terminal was last read (its access time). */
		snprintf(path, sizeof(path), "/dev/%s", s[i].leader->kp_ttyname);
		idle = -1;
		if (stat(path, &sb) == 0 && sb.st_atime > 0 && sb.st_atime <= now)
			idle = (long)(now - sb.st_atime);
		if (idle < 60)
			printf("%5s ", "-");
		else if (idle < 3600)
			printf("%5ld ", idle / 60);
		else if (idle < 86400)
			printf("%2ld:%02ld ", idle / 3600, idle / 60 % 60);
		else
			printf("%4ldd ", idle / 86400);
		what = procargs(s[i].fg->kp_pid, s[i].fg->kp_comm);
		printf("%s\n", what != NULL ? what : "-");
		free(what);
	}
	return (0);
}
