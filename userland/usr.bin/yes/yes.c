/* yes: print "y", or the arguments, forever (until the reader goes away). */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char *argv[])
{
	char buf[8192];
	size_t len = 0, n;

	/* One line, repeated into a buffer so each write is large. */
	if (argc < 2) {
		strcpy(buf, "y\n");
		len = 2;
	} else {
		for (int i = 1; i < argc; i++) {
			n = strlen(argv[i]);
			if (len + n + 2 > sizeof(buf))
				break;
			memcpy(buf + len, argv[i], n);
			len += n;
			buf[len++] = i + 1 < argc ? ' ' : '\n';
		}
		if (len == 0 || buf[len - 1] != '\n')
			buf[len++] = '\n';
	}
	size_t one = len;
	while (len + one <= sizeof(buf)) {
		memcpy(buf + len, buf, one);
		len += one;
	}
	for (;;)
		if (fwrite(buf, 1, len, stdout) != len)
			err(1, "stdout");
}
