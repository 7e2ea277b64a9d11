/*
 * setmode(3), getmode(3): chmod(1) modes, octal ("755") or symbolic
 * ("u+x,go-w", "a=rX", "g=u").  setmode() checks the syntax and remembers
 * the string with the umask of the moment; getmode() applies it to a mode.
 * X adds execute only to directories or files already executable by someone.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "libutil.h"

struct cmode {
	mode_t	mask;		/* umask when setmode() ran */
	int	octal;
	mode_t	abs;
	char	spec[];
};

#define ALLBITS	(S_ISUID | S_ISGID | S_ISVTX | 0777)

/* Walk the spec; with apply == 0 it only validates. */
static int
walk(const struct cmode *c, const char *s, mode_t *mp)
{
	mode_t m = mp ? *mp : 0;

	for (;;) {
		mode_t who = 0;
		int gotwho = 0;

		for (;; s++) {
			if (*s == 'u') who |= S_ISUID | S_IRWXU;
			else if (*s == 'g') who |= S_ISGID | S_IRWXG;
			else if (*s == 'o') who |= S_IRWXO;
			else if (*s == 'a') who |= ALLBITS;
			else break;
			gotwho = 1;
		}
		if (*s != '+' && *s != '-' && *s != '=')
			return (-1);
		while (*s == '+' || *s == '-' || *s == '=') {
			char op = *s++;
			mode_t perm = 0;
			int copy = 0, xdir = 0;

			for (;; s++) {
				mode_t src = m;
				switch (*s) {
				case 'r': perm |= S_IRUSR | S_IRGRP | S_IROTH; continue;
				case 'w': perm |= S_IWUSR | S_IWGRP | S_IWOTH; continue;
				case 'x': perm |= S_IXUSR | S_IXGRP | S_IXOTH; continue;
				case 'X': xdir = 1; continue;
				case 's': perm |= S_ISUID | S_ISGID; continue;
				case 't': perm |= S_ISVTX; continue;
				case 'u':
					copy = 1;
					src = (m & S_IRWXU) >> 6;
					break;
				case 'g':
					copy = 1;
					src = (m & S_IRWXG) >> 3;
					break;
				case 'o':
					copy = 1;
					src = m & S_IRWXO;
					break;
				default:
					goto done;
				}
				/* Copy one class's bits to every class. */
				perm |= src | src << 3 | src << 6;
			}
done:
			(void)copy;
			if (mp == NULL)
				continue;
			if (xdir && (S_ISDIR(m) ||
			    (m & (S_IXUSR | S_IXGRP | S_IXOTH))))
				perm |= S_IXUSR | S_IXGRP | S_IXOTH;
			{
				mode_t sel = gotwho ? who : ALLBITS & ~c->mask;
				/* Without a who, t applies (to nothing else). */
				if (!gotwho && (perm & S_ISVTX))
					sel |= S_ISVTX;
				if (gotwho && (perm & S_ISVTX) && (who & S_IRWXO))
					sel |= S_ISVTX;
				switch (op) {
				case '+':
					m |= perm & sel;
					break;
				case '-':
					m &= ~(perm & sel);
					break;
				case '=':
					/* = clears the who bits (all of them without a who). */
					m &= ~(gotwho ? (who | ((who & S_IRWXO) ? S_ISVTX : 0)) : ALLBITS);
					m |= perm & sel;
					break;
				}
			}
		}
		if (*s == '\0')
			break;
		if (*s != ',')
			return (-1);
		s++;
	}
	if (mp != NULL)
		*mp = m;
	return (0);
}

void *
setmode(const char *p)
{
	struct cmode *c;
	mode_t mask;

	if (p == NULL || *p == '\0') {
		errno = EINVAL;
		return (NULL);
	}
	mask = umask(0);
	umask(mask);
	if ((c = malloc(sizeof(*c) + strlen(p) + 1)) == NULL)
		return (NULL);
	c->mask = mask;
	strcpy(c->spec, p);
	if (isdigit((unsigned char)*p)) {
		char *ep;
		unsigned long v = strtoul(p, &ep, 8);
		if (*ep != '\0' || v > 07777) {
			free(c);
			errno = EINVAL;
			return (NULL);
		}
		c->octal = 1;
		c->abs = (mode_t)v;
		return (c);
	}
	c->octal = 0;
	if (walk(c, p, NULL) != 0) {
		free(c);
		errno = EINVAL;
		return (NULL);
	}
	return (c);
}

mode_t
getmode(const void *set, mode_t omode)
{
	const struct cmode *c = set;
	mode_t m = omode;

	if (c->octal)
		return ((omode & ~(mode_t)07777) | c->abs);
	walk(c, c->spec, &m);
	return (m);
}
