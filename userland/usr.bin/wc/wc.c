/*
 * wc: word, line, character and byte count.  Columns are BSD's: each
 * count right-aligned in eight, then the name; a "total" line for
 * several files.  -m counts multibyte characters of the locale.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

static int doline, doword, dochar, domulti, dolongline;
static uintmax_t tlines, twords, tchars, tlongline;

static void
usage(void)
{
	fprintf(stderr, "usage: wc [-Lclmw] [file ...]\n");
	exit(1);
}

static void
show(uintmax_t l, uintmax_t w, uintmax_t c, uintmax_t ll, const char *name)
{
	if (doline)
		printf(" %7ju", l);
	if (doword)
		printf(" %7ju", w);
	if (dochar || domulti)
		printf(" %7ju", c);
	if (dolongline)
		printf(" %7ju", ll);
	if (name != NULL)
		printf(" %s", name);
	printf("\n");
}

static int
cnt(const char *file)
{
	static unsigned char buf[65536];
	uintmax_t lines = 0, words = 0, chars = 0, longline = 0, linelen = 0;
	int fd, inword = 0;
	ssize_t n;
	mbstate_t mbs;
	const char *name = file != NULL ? file : "stdin";

	memset(&mbs, 0, sizeof(mbs));
	if (file == NULL)
		fd = STDIN_FILENO;
	else if ((fd = open(file, O_RDONLY)) == -1) {
		warn("%s", file);
		return (1);
	}
	size_t carry = 0;
	while ((n = read(fd, buf + carry, sizeof(buf) - carry)) > 0) {
		size_t len = carry + n, i = 0;
		carry = 0;
		if (!domulti && !doword && !dolongline) {
			/* Lines and bytes only: the fast path. */
			chars += n;
			for (; i < len; i++)
				if (buf[i] == '\n')
					lines++;
			continue;
		}
		while (i < len) {
			wchar_t wc;
			size_t clen;
			if (domulti && MB_CUR_MAX > 1) {
				clen = mbrtowc(&wc, (char *)buf + i, len - i, &mbs);
				if (clen == (size_t)-2) {
					/* An incomplete character: keep it for the next read. */
					memmove(buf, buf + i, len - i);
					carry = len - i;
					memset(&mbs, 0, sizeof(mbs));
					break;
				}
				if (clen == (size_t)-1) {
					warnx("%s: %s", name, strerror(EILSEQ));
					memset(&mbs, 0, sizeof(mbs));
					wc = buf[i];
					clen = 1;
				} else if (clen == 0)
					clen = 1;
			} else {
				wc = buf[i];
				clen = 1;
			}
			i += clen;
			chars += domulti ? 1 : clen;
			if (wc == L'\n') {
				lines++;
				if (linelen > longline)
					longline = linelen;
				linelen = 0;
			} else
				linelen++;
			if (iswspace(wc))
				inword = 0;
			else if (!inword) {
				inword = 1;
				words++;
			}
		}
	}
	if (n < 0) {
		warn("%s", name);
		if (file != NULL)
			close(fd);
		return (1);
	}
	if (linelen > longline)
		longline = linelen;
	if (file != NULL)
		close(fd);
	tlines += lines;
	twords += words;
	tchars += chars;
	if (longline > tlongline)
		tlongline = longline;
	show(lines, words, chars, longline, file);
	return (0);
}

int
main(int argc, char *argv[])
{
	int ch, errors = 0, total = 0;

	setlocale(LC_CTYPE, "");
	while ((ch = getopt(argc, argv, "+clmwL")) != -1) {
		switch (ch) {
		case 'l': doline = 1; break;
		case 'w': doword = 1; break;
		case 'c': dochar = 1; domulti = 0; break;
		case 'm': domulti = 1; dochar = 0; break;
		case 'L': dolongline = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (!doline && !doword && !dochar && !domulti && !dolongline)
		doline = doword = dochar = 1;
	if (argc == 0)
		errors |= cnt(NULL);
	for (; *argv != NULL; argv++, total++)
		errors |= cnt(*argv);
	if (total > 1)
		show(tlines, twords, tchars, tlongline, "total");
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (errors);
}
