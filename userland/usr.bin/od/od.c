/*
 * od: octal, decimal, hex, ASCII dump.
 *
 * Types (-t, or the -a -b -c -d -o -s -x shorthands): a, c, d[1248],
 * o[1248], u[1248], x[1248], f[48]; each gets one line per 16 bytes, the
 * later ones indented under the address.  Values are right-aligned in
 * columns as wide as the widest value of the type, so the types line up.
 * Identical lines collapse to "*" unless -v.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libutil.h"

struct type {
	char	kind;		/* a c d o u x f */
	int	size;
};

static struct type types[16];
static int ntypes;
static int abase = 'o';
static int vflag;
static uint64_t skip, length = UINT64_MAX;
static char **files;
static int curfd = -1, rval;

static void
usage(void)
{
	fprintf(stderr, "usage: od [-aBbcDdeFfHhIiLlOosvXx] [-A base] [-j skip] [-N length] [-t type]\n"
	    "          [[+]offset[.][Bb]] [file ...]\n");
	exit(1);
}

static void
addtype(char kind, int size)
{
	if (ntypes == (int)(sizeof(types) / sizeof(types[0])))
		errx(1, "too many types");
	types[ntypes].kind = kind;
	types[ntypes++].size = size;
}

static void
parsetypes(const char *s)
{
	while (*s != '\0') {
		char k = *s++;
		int size;
		switch (k) {
		case 'a': case 'c':
			addtype(k, 1);
			continue;
		case 'd': case 'o': case 'u': case 'x': size = 4; break;
		case 'f': size = 8; break;
		default: errx(1, "%c: unrecognised format character", k);
		}
		if (isdigit((unsigned char)*s)) {
			size = (int)strtol(s, (char **)&s, 10);
		} else if (*s == 'C') { size = 1; s++; }
		else if (*s == 'S') { size = 2; s++; }
		else if (*s == 'I') { size = 4; s++; }
		else if (*s == 'L') { size = 8; s++; }
		else if (*s == 'F') { size = 4; s++; }
		else if (*s == 'D') { size = 8; s++; }
		if (k == 'f' ? (size != 4 && size != 8) : (size != 1 && size != 2 && size != 4 && size != 8))
			errx(1, "%d: unsupported size for %c", size, k);
		addtype(k, size);
	}
}

static int
nextbyte(void)
{
	static unsigned char buf[65536];
	static ssize_t have, pos;
	static int stdin_done;

	for (;;) {
		if (pos < have)
			return (buf[pos++]);
		if (curfd >= 0) {
			have = read(curfd, buf, sizeof(buf));
			pos = 0;
			if (have > 0)
				continue;
			if (have < 0) {
				warn("read");
				rval = 1;
			}
			if (curfd != STDIN_FILENO)
				close(curfd);
			curfd = -1;
			have = 0;
		}
		if (files == NULL) {
			if (stdin_done)
				return (-1);
			stdin_done = 1;
			curfd = STDIN_FILENO;
			continue;
		}
		if (*files == NULL)
			return (-1);
		if ((curfd = open(*files, O_RDONLY)) == -1) {
			warn("%s", *files);
			rval = 1;
		}
		files++;
	}
}

/* The column width of a type: its widest value and a separating space. */
static int
width(const struct type *t)
{
	switch (t->kind) {
	case 'a': case 'c': return (4);
	case 'o': return (t->size == 1 ? 4 : t->size == 2 ? 7 : t->size == 4 ? 12 : 23);
	case 'x': return (t->size * 2 + 1);
	case 'u': return (t->size == 1 ? 4 : t->size == 2 ? 6 : t->size == 4 ? 11 : 21);
	case 'd': return (t->size == 1 ? 5 : t->size == 2 ? 7 : t->size == 4 ? 12 : 21);
	case 'f': return (t->size == 4 ? 15 : 24);
	}
	return (1);
}

static void
printaddr(uint64_t a)
{
	switch (abase) {
	case 'd': printf("%07ju", (uintmax_t)a); break;
	case 'x': printf("%06jx", (uintmax_t)a); break;
	case 'n': break;
	default: printf("%07jo", (uintmax_t)a); break;
	}
}

static void
dumpline(uint64_t addr, const unsigned char *b, int n)
{
	static const char *const names[] = {
		"nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt",
		"ff", "cr", "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb",
		"can", "em", "sub", "esc", "fs", "gs", "rs", "us", "sp" };
	/* The widest type sets a common width per byte, so columns align. */
	int per = 1;
	for (int k = 0; k < ntypes; k++) {
		int w = (width(&types[k]) + types[k].size - 1) / types[k].size;
		if (w > per)
			per = w;
	}
	for (int k = 0; k < ntypes; k++) {
		const struct type *t = &types[k];
		/* Alone, a type keeps its natural width. */
		int w = ntypes == 1 ? width(t) : per * t->size;
		if (k == 0)
			printaddr(addr);
		else if (abase != 'n')
			printf("%*s", abase == 'x' ? 6 : 7, "");
		for (int i = 0; i < n; i += t->size) {
			uint64_t v = 0;
			for (int j = t->size - 1; j >= 0; j--)
				v = v << 8 | (i + j < n ? b[i + j] : 0);
			switch (t->kind) {
			case 'a': {
				int c = b[i] & 0x7f;
				if (c <= ' ')
					printf("%*s", w, names[c]);
				else if (c == 0x7f)
					printf("%*s", w, "del");
				else
					printf("%*c", w, c);
				break;
			}
			case 'c': {
				const char *e = NULL;
				char tmp[8];
				switch (b[i]) {
				case '\0': e = "\\0"; break;
				case '\a': e = "\\a"; break;
				case '\b': e = "\\b"; break;
				case '\f': e = "\\f"; break;
				case '\n': e = "\\n"; break;
				case '\r': e = "\\r"; break;
				case '\t': e = "\\t"; break;
				case '\v': e = "\\v"; break;
				default:
					if (isprint(b[i]))
						snprintf(tmp, sizeof(tmp), "%c", b[i]);
					else
						snprintf(tmp, sizeof(tmp), "%03o", b[i]);
					e = tmp;
				}
				printf("%*s", w, e);
				break;
			}
			case 'o': printf("%*.*jo", w, t->size * 8 / 3 + (t->size == 1 ? 0 : 1), (uintmax_t)v); break;
			case 'x': printf("%*.*jx", w, t->size * 2, (uintmax_t)v); break;
			case 'u': printf("%*ju", w, (uintmax_t)v); break;
			case 'd': {
				int64_t sv = t->size == 8 ? (int64_t)v :
				    (int64_t)(v << (64 - 8 * t->size)) >> (64 - 8 * t->size);
				printf("%*jd", w, (intmax_t)sv);
				break;
			}
			case 'f':
				if (t->size == 4) {
					float f;
					uint32_t u = (uint32_t)v;
					memcpy(&f, &u, 4);
					printf("%*.*e", w, 7, (double)f);
				} else {
					double d;
					memcpy(&d, &v, 8);
					printf("%*.*e", w, 16, d);
				}
				break;
			}
		}
		putchar('\n');
	}
}

int
main(int argc, char *argv[])
{
	unsigned char cur[16], prev[16];
	int ch, n, have_prev = 0, starred = 0;
	uint64_t addr, v;
	char *ep;

	while ((ch = getopt(argc, argv, "+A:aBbcDdeFfHhIij:LlN:OosSt:vXx")) != -1) {
		switch (ch) {
		case 'A':
			if (strchr("dnox", optarg[0]) == NULL || optarg[1] != '\0')
				errx(1, "%s: invalid address base", optarg);
			abase = optarg[0];
			break;
		case 'a': addtype('a', 1); break;
		case 'B': case 'o': addtype('o', 2); break;
		case 'b': addtype('o', 1); break;
		case 'c': addtype('c', 1); break;
		case 'D': addtype('u', 4); break;
		case 'd': addtype('u', 2); break;
		case 'e': case 'F': addtype('f', 8); break;
		case 'f': addtype('f', 4); break;
		case 'H': case 'X': addtype('x', 4); break;
		case 'h': case 'x': addtype('x', 2); break;
		case 'I': case 'L': case 'l': addtype('d', 8); break;
		case 'i': addtype('d', 4); break;
		case 'O': addtype('o', 4); break;
		case 's': addtype('d', 2); break;
		case 'j':
			if (expand_number(optarg, &v) != 0)
				errx(1, "%s: invalid skip amount", optarg);
			skip = v;
			break;
		case 'N':
			errno = 0;
			length = strtoull(optarg, &ep, 0);
			if (*ep != '\0' || errno != 0)
				errx(1, "%s: invalid length", optarg);
			break;
		case 't': parsetypes(optarg); break;
		case 'v': vflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (ntypes == 0)
		addtype('o', 2);
	/* A last operand "+offset" is the historic way to skip. */
	if (argc > 0 && argv[argc - 1][0] == '+') {
		const char *s = argv[argc - 1] + 1;
		int base = 8;
		uint64_t mul = 1;
		size_t len = strlen(s);
		if (len > 0 && (s[len - 1] == 'b' || s[len - 1] == 'B')) { mul = 512; len--; }
		if (len > 0 && s[len - 1] == '.') { base = 10; len--; }
		char buf[64];
		snprintf(buf, sizeof(buf), "%.*s", (int)len, s);
		skip = strtoull(buf, &ep, base) * mul;
		if (*ep != '\0')
			usage();
		argv[--argc] = NULL;
	}
	files = argc > 0 ? argv : NULL;

	for (uint64_t i = 0; i < skip; i++)
		if (nextbyte() == -1)
			break;
	addr = skip;
	for (;;) {
		for (n = 0; n < 16 && addr + n - skip < length; n++) {
			int c = nextbyte();
			if (c == -1)
				break;
			cur[n] = (unsigned char)c;
		}
		if (n == 0)
			break;
		if (!vflag && have_prev && n == 16 && memcmp(cur, prev, 16) == 0) {
			if (!starred)
				printf("*\n");
			starred = 1;
		} else {
			starred = 0;
			dumpline(addr, cur, n);
		}
		memcpy(prev, cur, 16);
		have_prev = n == 16;
		addr += n;
		if (n < 16)
			break;
	}
	if (abase != 'n') {
		printaddr(addr);
		putchar('\n');
	}
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (rval);
}
