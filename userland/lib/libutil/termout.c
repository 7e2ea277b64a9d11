/*
 * Screen output for full-screen programs (vi, less): escape sequences and
 * text collect in one buffer and go to the terminal in one write per
 * redraw, so the screen never shows half a frame.
 */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libutil.h"

static char *obuf;
static size_t olen, ocap;

void
tout(const char *s, size_t n)
{
	if (olen + n > ocap) {
		ocap = (olen + n) * 2 + 4096;
		if ((obuf = realloc(obuf, ocap)) == NULL)
			err(1, NULL);
	}
	memcpy(obuf + olen, s, n);
	olen += n;
}

void
touts(const char *s)
{
	tout(s, strlen(s));
}

/* Everything collected, to standard output; a terminal that went away loses it. */
void
tflush(void)
{
	size_t off = 0;

	while (off < olen) {
		ssize_t w = write(STDOUT_FILENO, obuf + off, olen - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	olen = 0;
}

/* Drop what was collected (the screen is being given back as it is). */
void
tdiscard(void)
{
	olen = 0;
}
