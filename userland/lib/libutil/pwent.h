/*
 * master.passwd accounts (pwent.c): login, su and passwd.
 */
#ifndef _LIBUTIL_PWENT_H_
#define _LIBUTIL_PWENT_H_

#include <sys/types.h>

#define _PATH_MASTERPASSWD	"/etc/master.passwd"

struct account {
	char	*line;		/* the fields below point into it */
	char	*name, *passwd, *class, *gecos, *home, *shell;
	uid_t	 uid;
	gid_t	 gid;
	long long change, expire;
};

int	pw_parse(char *, struct account *);
int	pw_getaccount(const char *, uid_t, struct account *);
void	pw_free(struct account *);
char	*readpass(const char *, char *, size_t);

#endif /* !_LIBUTIL_PWENT_H_ */
