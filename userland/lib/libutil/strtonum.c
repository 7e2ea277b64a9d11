/* strtonum(3), as in OpenBSD: errstr is "invalid", "too small" or "too large". */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include "libutil.h"

long long
strtonum(const char *s, long long minval, long long maxval, const char **errstrp)
{
	long long ll = 0;
	const char *errstr = NULL;
	char *ep;
	int saved = errno;

	if (minval > maxval) {
		errstr = "invalid";
		errno = EINVAL;
	} else {
		errno = 0;
		ll = strtoll(s, &ep, 10);
		if (s == ep || *ep != '\0') {
			errstr = "invalid";
			errno = EINVAL;
		} else if ((ll == LLONG_MIN && errno == ERANGE) || ll < minval) {
			errstr = "too small";
			errno = ERANGE;
		} else if ((ll == LLONG_MAX && errno == ERANGE) || ll > maxval) {
			errstr = "too large";
			errno = ERANGE;
		} else
			errno = saved;
	}
	if (errstrp != NULL)
		*errstrp = errstr;
	return (errstr != NULL ? 0 : ll);
}
