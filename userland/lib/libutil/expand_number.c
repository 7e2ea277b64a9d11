/* expand_number(3): "10", "4k", "2M", "1g" -> bytes (binary multiples). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include "libutil.h"

int
expand_number(const char *buf, uint64_t *num)
{
	char *end;
	uint64_t n;
	int shift;

	errno = 0;
	if (!isdigit((unsigned char)*buf)) {
		errno = EINVAL;
		return (-1);
	}
	n = strtoumax(buf, &end, 0);
	if (errno != 0)
		return (-1);
	switch (tolower((unsigned char)*end)) {
	case 'e': shift = 60; break;
	case 'p': shift = 50; break;
	case 't': shift = 40; break;
	case 'g': shift = 30; break;
	case 'm': shift = 20; break;
	case 'k': shift = 10; break;
	case 'b': case '\0': shift = 0; break;
	default:
		errno = EINVAL;
		return (-1);
	}
	if (*end != '\0' && end[1] != '\0') {
		errno = EINVAL;
		return (-1);
	}
	if (shift != 0 && (n >> (64 - shift)) != 0) {
		errno = ERANGE;
		return (-1);
	}
	*num = n << shift;
	return (0);
}
