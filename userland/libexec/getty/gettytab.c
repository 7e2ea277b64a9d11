/*
 * /etc/gettytab: termcap-style entries, as BSD's getty reads them.
 *
 *	name|alias|long description:\
 *		:str=value:num#123:bool:tc=other:
 *
 * Lines ending in a backslash continue; '#' lines are comments.  In
 * string values \r \n \t \b \f \E \\ \: \^ \NNN (octal) and ^X escape.
 * "tc=name" includes another entry, whose capabilities the earlier ones
 * override; "cap@" cancels one.  Only the capabilities getty uses are kept.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gettytab.h"

#define MAXTC	10		/* tc= depth: enough for any sane file, stops loops */

/* Read the whole entry called `name' (continuations joined); NULL if absent. */
static char *
find_entry(FILE *fp, const char *name)
{
	char line[1024], *ent = NULL;
	size_t len = 0;
	int cont = 0;

	rewind(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		size_t n = strcspn(line, "\n");
		int more;

		line[n] = '\0';
		if (!cont && (line[0] == '#' || line[0] == '\0'))
			continue;
		more = n > 0 && line[n - 1] == '\\';
		if (more)
			line[--n] = '\0';
		if (!cont) {
			free(ent);
			ent = NULL;
			len = 0;
		}
		{
			char *p = line;

			/* Continuation lines start with blanks and usually a ':' */
			if (cont)
				while (*p == ' ' || *p == '\t')
					p++;
			n = strlen(p);
			if ((ent = realloc(ent, len + n + 1)) == NULL)
				err(1, "realloc");
			memcpy(ent + len, p, n + 1);
			len += n;
		}
		cont = more;
		if (cont)
			continue;
		/* Does one of the names (before the first ':') match? */
		{
			size_t end = strcspn(ent, ":");
			char *names = strndup(ent, end), *nm, *save = NULL;
			int match = 0;

			if (names == NULL)
				err(1, "strndup");
			for (nm = strtok_r(names, "|", &save); nm != NULL; nm = strtok_r(NULL, "|", &save))
				if (strcmp(nm, name) == 0)
					match = 1;
			free(names);
			if (match)
				return (ent);
		}
	}
	free(ent);
	return (NULL);
}

/* Decode a string value in place up to its closing ':'; returns the decoded copy. */
static char *
decode(const char *p)
{
	char *out, *o;

	if ((out = malloc(strlen(p) + 1)) == NULL)
		err(1, "malloc");
	for (o = out; *p != '\0' && *p != ':'; p++) {
		if (*p == '^' && p[1] != '\0') {
			p++;
			*o++ = *p == '?' ? 0177 : (*p & 037);
			continue;
		}
		if (*p != '\\' || p[1] == '\0') {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case 'r': *o++ = '\r'; break;
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'E': case 'e': *o++ = 033; break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7': {
			int v = 0, i;

			for (i = 0; i < 3 && *p >= '0' && *p <= '7'; i++, p++)
				v = v * 8 + (*p - '0');
			p--;
			*o++ = v != 0 ? v : 0200;	/* termcap's \0 is a real NUL */
			break;
		}
		default: *o++ = *p; break;	/* \\ \: \^ and the rest: the char itself */
		}
	}
	*o = '\0';
	return (out);
}

static void
set_str(char **slot, const char *val, int cancel)
{
	if (*slot != NULL)
		return;		/* the earlier (more specific) entry wins */
	*slot = cancel ? strdup("") : decode(val);
}

/* Apply entry `name' (and what it includes) to t; fields already set stay. */
static int
apply(FILE *fp, const char *name, struct gettytab *t, int depth)
{
	char *ent, *p, *tc[MAXTC];
	int ntc = 0, i;

	if (depth > MAXTC || (ent = find_entry(fp, name)) == NULL)
		return (-1);
	for (p = strchr(ent, ':'); p != NULL; p = strchr(p + 1, ':')) {
		char *cap = p + 1;
		size_t nl = strcspn(cap, "=#@:");
		int cancel = cap[nl] == '@';

		if (nl == 0)
			continue;
#define IS(s)	(nl == strlen(s) && strncmp(cap, s, nl) == 0)
		if (IS("tc") && cap[nl] == '=') {
			if (ntc < MAXTC)
				tc[ntc++] = decode(cap + nl + 1);
		} else if (IS("im") && (cap[nl] == '=' || cancel))
			set_str(&t->im, cap + nl + 1, cancel);
		else if (IS("lm") && (cap[nl] == '=' || cancel))
			set_str(&t->lm, cap + nl + 1, cancel);
		else if (IS("lo") && (cap[nl] == '=' || cancel))
			set_str(&t->lo, cap + nl + 1, cancel);
		else if (IS("al") && (cap[nl] == '=' || cancel))
			set_str(&t->al, cap + nl + 1, cancel);
		else if (IS("tt") && (cap[nl] == '=' || cancel))
			set_str(&t->tt, cap + nl + 1, cancel);
		else if (IS("if") && (cap[nl] == '=' || cancel))
			set_str(&t->ifile, cap + nl + 1, cancel);
		else if (IS("er") && cap[nl] == '=')
			set_str(&t->er, cap + nl + 1, 0);
		else if (IS("kl") && cap[nl] == '=')
			set_str(&t->kl, cap + nl + 1, 0);
		else if (IS("it") && cap[nl] == '=')
			set_str(&t->it, cap + nl + 1, 0);
		else if (IS("np") && t->np < 0)
			t->np = !cancel;
#undef IS
		/* sp#, ht, ... and the rest of BSD's set: accepted, nothing to do here. */
	}
	free(ent);
	for (i = 0; i < ntc; i++) {
		(void)apply(fp, tc[i], t, depth + 1);
		free(tc[i]);
	}
	return (0);
}

/*
 * Fill t from entry `name', then from "default" for what is still unset.
 * Returns -1 if `name' is not in the file (t then has only the defaults).
 */
int
gettytab_read(const char *file, const char *name, struct gettytab *t)
{
	FILE *fp;
	int r;

	memset(t, 0, sizeof(*t));
	t->np = -1;
	if ((fp = fopen(file, "re")) == NULL)
		return (-1);
	r = apply(fp, name, t, 0);
	(void)apply(fp, "default", t, 0);
	fclose(fp);
	if (t->np < 0)
		t->np = 0;
	return (r);
}
