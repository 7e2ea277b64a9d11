/*
 * user_from_uid(3), group_from_gid(3): small caches, because ls -l asks for
 * the same few owners over and over and each miss reads /etc/passwd.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include "libutil.h"

#define NCACHE	64

struct ent {
	int	valid;
	unsigned id;
	char	name[33];
	int	known;
};

static struct ent ucache[NCACHE], gcache[NCACHE];

static const char *
lookup(struct ent *c, unsigned id, int nouser, int isuser)
{
	struct ent *e = &c[id % NCACHE];

	if (!e->valid || e->id != id) {
		const char *name = NULL;
		if (isuser) {
			struct passwd *pw = getpwuid((uid_t)id);
			if (pw != NULL)
				name = pw->pw_name;
		} else {
			struct group *gr = getgrgid((gid_t)id);
			if (gr != NULL)
				name = gr->gr_name;
		}
		e->valid = 1;
		e->id = id;
		e->known = name != NULL;
		if (name != NULL)
			strlcpy(e->name, name, sizeof(e->name));
		else
			snprintf(e->name, sizeof(e->name), "%u", id);
	}
	if (!e->known && nouser)
		return (NULL);
	return (e->name);
}

const char *
user_from_uid(uid_t uid, int nouser)
{
	return (lookup(ucache, uid, nouser, 1));
}

const char *
group_from_gid(gid_t gid, int nogroup)
{
	return (lookup(gcache, gid, nogroup, 0));
}
