/*
 * getbsize(3): the block size from $BLOCKSIZE ("512", "1k", "1m"), 512 by
 * default, returned with a column header such as "1K-blocks".
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include "libutil.h"

char *
getbsize(int *headerlenp, long *blocksizep)
{
	static char header[20];
	long n, max = 1L << 30, mul = 1, blocksize;
	const char *form = "";
	char *p, *ep;

	if ((p = getenv("BLOCKSIZE")) != NULL && *p != '\0') {
		n = strtol(p, &ep, 10);
		/* A bare unit ("K", as /etc/profile sets) means one of it, as in BSD. */
		if (ep == p)
			n = 1;
		switch (*ep) {
		case 'G': case 'g':
			form = "G"; mul = 1L << 30; max = 1; break;
		case 'M': case 'm':
			form = "M"; mul = 1L << 20; max = 1L << 10; break;
		case 'K': case 'k':
			form = "K"; mul = 1024; max = 1L << 20; break;
		case '\0':
			break;
		default:
			warnx("%s: unknown blocksize", p);
			n = 512;
			break;
		}
		if (n <= 0) {
			warnx("minimum blocksize is 512");
			form = ""; n = 512; mul = 1;
		} else if (n > max) {
			warnx("maximum blocksize is 1G");
			form = "G"; n = 1; mul = 1L << 30;
		}
		blocksize = n * mul;
		if (blocksize < 512) {
			warnx("%s: minimum blocksize is 512", p);
			form = ""; n = 512; blocksize = 512;
		}
	} else {
		n = blocksize = 512;
	}
	*headerlenp = snprintf(header, sizeof(header), "%ld%s-blocks", n, form);
	*blocksizep = blocksize;
	return (header);
}
