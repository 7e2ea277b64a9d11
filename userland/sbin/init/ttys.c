/*
 * A reader for /etc/ttys (see ttys.h).  Each call to ttys_next() returns
 * the next line that names a tty; the strings point into a static buffer
 * that the following call reuses.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ttys.h"

static FILE *tf;
static char line[1024];
static struct ttyline tt;
static char *comment;		/* where this line's '#' comment begins */

/*
 * Cut the next field off *pp, in place: quotes removed, \" unescaped.
 * Returns NULL at the end of the line or at a comment (left in *pp).
 */
static char *
field(char **pp)
{
	char *p = *pp, *start, *out;
	int quoted = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '#')
		comment = p + 1;
	if (*p == '\0' || *p == '\n' || *p == '#') {
		*pp = p + strlen(p);
		return (NULL);
	}
	start = out = p;
	for (; *p != '\0' && *p != '\n'; p++) {
		if (quoted && p[0] == '\\' && p[1] == '"') {
			*out++ = '"';
			p++;
			continue;
		}
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && (*p == ' ' || *p == '\t' || *p == '#'))
			break;
		*out++ = *p;
	}
	if (*p == '#') {
		/* A '#' right after a field starts the comment. */
		comment = p + 1;
		p += strlen(p);
	} else if (*p == ' ' || *p == '\t')
		p++;
	else if (*p == '\n')
		*p = '\0';
	*out = '\0';
	*pp = p;
	return (start);
}

int
ttys_open(void)
{
	if (tf != NULL) {
		rewind(tf);
		return (0);
	}
	if ((tf = fopen(_PATH_TTYS, "re")) == NULL)
		return (-1);
	return (0);
}

void
ttys_close(void)
{
	if (tf != NULL) {
		fclose(tf);
		tf = NULL;
	}
}

struct ttyline *
ttys_next(void)
{
	char *p, *f;

	if (tf == NULL && ttys_open() == -1)
		return (NULL);
	for (;;) {
		if (fgets(line, sizeof(line), tf) == NULL)
			return (NULL);
		/* An over-long line: drop the rest of it, as getttyent does. */
		if (strchr(line, '\n') == NULL && !feof(tf)) {
			int c;

			while ((c = getc(tf)) != EOF && c != '\n')
				;
		}
		p = line;
		comment = NULL;
		memset(&tt, 0, sizeof(tt));
		if ((tt.ty_name = field(&p)) == NULL)
			continue;	/* blank or comment */
		tt.ty_getty = field(&p);
		tt.ty_type = field(&p);
		while ((f = field(&p)) != NULL) {
			if (strcmp(f, "on") == 0)
				tt.ty_status |= TTY_ON;
			else if (strcmp(f, "off") == 0)
				tt.ty_status &= ~TTY_ON;
			else if (strcmp(f, "secure") == 0)
				tt.ty_status |= TTY_SECURE;
			else if (strcmp(f, "insecure") == 0)
				tt.ty_status &= ~TTY_SECURE;
			else if (strncmp(f, "window=", 7) == 0)
				tt.ty_window = f + 7;
			else if (strncmp(f, "group=", 6) == 0)
				tt.ty_group = f + 6;
			/* Unknown flags are ignored, as BSD does. */
		}
		if ((p = comment) != NULL) {
			while (isspace((unsigned char)*p))
				p++;
			p[strcspn(p, "\n")] = '\0';
			tt.ty_comment = *p != '\0' ? p : NULL;
		}
		/* A getty field of "none" (or empty) means no getty. */
		if (tt.ty_getty != NULL && (*tt.ty_getty == '\0' || strcmp(tt.ty_getty, "none") == 0))
			tt.ty_getty = NULL;
		return (&tt);
	}
}
