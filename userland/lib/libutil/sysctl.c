/*
 * sysctl(3), sysctlbyname(3), sysctlnametomib(3) and kenv(2): thin
 * wrappers around the vkernel's private system calls 1000 and 1001.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "sysctl.h"

int
sysctl(const int *name, unsigned int namelen, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	return ((int)syscall(SYS___sysctl, name, namelen, oldp, oldlenp,
	    newp, newlen));
}

int
sysctlnametomib(const char *name, int *mibp, size_t *sizep)
{
	int oid[2] = { 0, 3 };
	size_t len = *sizep * sizeof(int);

	if (sysctl(oid, 2, mibp, &len, name, strlen(name)) == -1)
		return (-1);
	*sizep = len / sizeof(int);
	return (0);
}

int
sysctlbyname(const char *name, void *oldp, size_t *oldlenp, const void *newp,
    size_t newlen)
{
	int mib[CTL_MAXNAME];
	size_t miblen = CTL_MAXNAME;

	if (sysctlnametomib(name, mib, &miblen) == -1)
		return (-1);
	return (sysctl(mib, (unsigned int)miblen, oldp, oldlenp, newp, newlen));
}

int
kenv(int action, const char *name, char *value, int len)
{
	return ((int)syscall(SYS_kenv, action, name, value, len));
}
