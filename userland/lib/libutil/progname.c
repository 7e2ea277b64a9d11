/* getprogname(3), setprogname(3): glibc keeps the name err(3) prints. */
#include <errno.h>
#include <string.h>
#include "libutil.h"

extern char *program_invocation_short_name;

const char *
getprogname(void)
{
	return (program_invocation_short_name);
}

void
setprogname(const char *name)
{
	const char *p = strrchr(name, '/');

	program_invocation_short_name = (char *)(p != NULL ? p + 1 : name);
}
