/*
 * hexdump: ASCII, decimal, hexadecimal, octal dump.
 *
 * The fixed formats of BSD hexdump: the default (16-bit hex words), -C
 * (canonical hex+ASCII), -b, -c, -d, -o, -x.  Lines identical to the one
 * before are shown as a single "*" unless -v.  (The -e/-f format language
 * is not supported.)
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

enum fmt { F_DEFAULT, F_CANON, F_OCT1, F_CHAR, F_DEC2, F_OCT2, F_HEX2 };

static enum fmt fmts[8];
static int nfmts;
static int vflag;
static uint64_t skip, length = UINT64_MAX;
static char **files;
static int curfd = -1;
static int rval;

static void
usage(void)
{
	fprintf(stderr, "usage: hexdump [-bcCdovx] [-n length] [-s skip] [file ...]\n");
	exit(1);
}

/* The next input byte across all files, or -1 at the end. */
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
				warn("%s", files && *files ? files[-1] : "stdin");
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

static void
line(enum fmt f, uint64_t addr, const unsigned char *b, int n)
{
	int i;

	switch (f) {
	case F_CANON:
		printf("%08jx ", (uintmax_t)addr);
		for (i = 0; i < 16; i++) {
			if (i == 8)
				putchar(' ');
			if (i < n)
				printf(" %02x", b[i]);
			else
				printf("   ");
		}
		printf("  |");
		for (i = 0; i < n; i++)
			putchar(isprint(b[i]) ? b[i] : '.');
		printf("|\n");
		return;
	case F_OCT1:
		printf("%07jx", (uintmax_t)addr);
		for (i = 0; i < n; i++)
			printf(" %03o", b[i]);
		break;
	case F_CHAR:
		printf("%07jx", (uintmax_t)addr);
		for (i = 0; i < n; i++) {
			const char *e = NULL;
			switch (b[i]) {
			case '\0': e = "\\0"; break;
			case '\a': e = "\\a"; break;
			case '\b': e = "\\b"; break;
			case '\f': e = "\\f"; break;
			case '\n': e = "\\n"; break;
			case '\r': e = "\\r"; break;
			case '\t': e = "\\t"; break;
			case '\v': e = "\\v"; break;
			}
			if (e != NULL)
				printf(" %3s", e);
			else if (isprint(b[i]))
				printf(" %3c", b[i]);
			else
				printf(" %03o", b[i]);
		}
		break;
	default: {
		/* 16-bit units, little-endian; an odd last byte pads with 0. */
		printf("%07jx", (uintmax_t)addr);
		for (i = 0; i < n; i += 2) {
			unsigned v = b[i] | (i + 1 < n ? b[i + 1] << 8 : 0);
			switch (f) {
			case F_DEC2: printf("   %05u", v); break;
			case F_OCT2: printf("  %06o", v); break;
			case F_HEX2: printf("    %04x", v); break;
			default: printf(" %04x", v); break;
			}
		}
		break;
	}
	}
	putchar('\n');
}

int
main(int argc, char *argv[])
{
	unsigned char cur[16], prev[16];
	int ch, n, have_prev = 0, starred = 0;
	uint64_t addr = 0;
	char *ep;

	while ((ch = getopt(argc, argv, "+bcCde:f:n:os:vx")) != -1) {
		switch (ch) {
		case 'b': fmts[nfmts++ & 7] = F_OCT1; break;
		case 'c': fmts[nfmts++ & 7] = F_CHAR; break;
		case 'C': fmts[nfmts++ & 7] = F_CANON; break;
		case 'd': fmts[nfmts++ & 7] = F_DEC2; break;
		case 'o': fmts[nfmts++ & 7] = F_OCT2; break;
		case 'x': fmts[nfmts++ & 7] = F_HEX2; break;
		case 'e': case 'f': errx(1, "-%c: format strings are not supported", ch);
		case 'n':
			errno = 0;
			length = strtoull(optarg, &ep, 0);
			if (*optarg == '-' || *ep != '\0' || errno != 0)
				errx(1, "%s: bad length value", optarg);
			break;
		case 's': {
			uint64_t v;
			if (expand_number(optarg, &v) != 0)
				errx(1, "%s: bad skip value", optarg);
			skip = v;
			break;
		}
		case 'v': vflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (nfmts > 8)
		nfmts = 8;
	if (nfmts == 0)
		fmts[nfmts++] = F_DEFAULT;
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
			for (int k = 0; k < nfmts; k++)
				line(fmts[k], addr, cur, n);
		}
		memcpy(prev, cur, 16);
		have_prev = n == 16;
		addr += n;
		if (n < 16)
			break;
	}
	/* The address after the last byte closes the dump. */
	printf(fmts[0] == F_CANON ? "%08jx\n" : "%07jx\n", (uintmax_t)addr);
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (rval);
}
