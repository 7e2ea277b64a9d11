/*
 * humanize_number(3): format a quantity in at most len-1 characters with a
 * unit prefix (k, M, G ... or Ki, Mi with HN_IEC_PREFIXES), rounding to
 * nearest, with one decimal digit under 10 when HN_DECIMAL asks for it.
 */
#include <stdio.h>
#include <string.h>
#include "libutil.h"

int
humanize_number(char *buf, size_t len, int64_t quotient, const char *suffix,
    int scale, int flags)
{
	static const char *bin[] = { "", "K", "M", "G", "T", "P", "E" };
	static const char *si[] = { "", "k", "M", "G", "T", "P", "E" };
	static const char *iec[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
	const char *const *pfx = (flags & HN_IEC_PREFIXES) ? iec :
	    (flags & HN_DIVISOR_1000) ? si : bin;
	const int maxscale = 7;
	int divisor = (flags & HN_DIVISOR_1000) ? 1000 : 1024;
	int i, r, remainder = 0, sign = 1, baselen;
	int64_t max;
	const char *sep = (flags & HN_NOSPACE) ? "" : " ";

	if (buf == NULL || suffix == NULL || len == 0)
		return (-1);
	buf[0] = '\0';
	if (scale < 0 || (scale >= maxscale &&
	    (scale & (HN_AUTOSCALE | HN_GETSCALE)) == 0))
		return (-1);
	if (quotient < 0) {
		sign = -1;
		quotient = -quotient;
		baselen = 3;		/* sign, digit, prefix */
	} else
		baselen = 2;		/* digit, prefix */
	if (!(flags & HN_NOSPACE))
		baselen++;		/* the separating space */
	baselen += strlen(suffix);
	if (len < (size_t)baselen + 1)
		return (-1);

	/* "k" alone would read as 1000: bytes under the first unit get "B". */
	if (scale & (HN_AUTOSCALE | HN_GETSCALE)) {
		/* Room for digits: len - baselen - 1. */
		for (max = 1, i = len - baselen; i-- > 0;)
			max *= 10;
		for (i = 0; (quotient >= max || (quotient == max - 1 &&
		    remainder >= divisor / 2)) && i < maxscale; i++) {
			remainder = quotient % divisor;
			quotient /= divisor;
		}
		if (scale & HN_GETSCALE)
			return (i);
	} else {
		for (i = 0; i < scale && i < maxscale; i++) {
			remainder = quotient % divisor;
			quotient /= divisor;
		}
	}

	if (i == 0 && (flags & HN_B))
		pfx = (const char *const[]){ "B" };
	if (i > 0 && (flags & HN_DECIMAL) && quotient < 10 &&
	    (size_t)baselen + 2 < len) {
		/* One decimal digit, rounded. */
		int tenths = (remainder * 10 + divisor / 2) / divisor;
		int q = (int)quotient;
		if (tenths >= 10) {
			q++;
			tenths = 0;
		}
		if (q < 10) {
			r = snprintf(buf, len, "%d.%d%s%s%s", sign * q, tenths,
			    sep, pfx[i == 0 ? 0 : i], suffix);
			return (r);
		}
		quotient = q;
		remainder = 0;
	}
	/* Round to nearest integer. */
	if (remainder >= divisor / 2 && i > 0)
		quotient++;
	r = snprintf(buf, len, "%lld%s%s%s", (long long)(sign * quotient), sep,
	    (i == 0 && (flags & HN_B)) ? "B" : pfx[i], suffix);
	return (r);
}
