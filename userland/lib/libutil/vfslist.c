/*
 * vfs_selected: the -t type list of mount(8), umount(8) and df(1).
 * "-t ufs,cd9660" selects those types; "-t nonfs,procfs" all but those
 * (a "no" before the first name negates the whole list, as in BSD).
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "libutil.h"

int
vfs_selected(const char *type, const char *list)
{
	char *s, *p, *t;
	int neg = 0, found = 0;

	if (list == NULL)
		return (1);
	if (strncmp(list, "no", 2) == 0) {
		neg = 1;
		list += 2;
	}
	if ((s = strdup(list)) == NULL)
		err(1, NULL);
	p = s;
	while ((t = strsep(&p, ",")) != NULL) {
		if (strncmp(t, "no", 2) == 0 && neg)
			t += 2;
		if (strcmp(t, type) == 0)
			found = 1;
	}
	free(s);
	return (neg ? !found : found);
}
