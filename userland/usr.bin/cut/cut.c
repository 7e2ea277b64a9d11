/*
 * cut: select portions of each line.  A list is comma or blank separated
 * numbers and ranges (N, N-, -M, N-M), 1-based; selected positions print
 * in input order whatever the list's order.  Characters (-c) are
 * multibyte per the locale; -b cuts bytes.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

static char *positions;		/* positions[i]: position i+1 selected */
static size_t maxpos;		/* positions beyond this are selected if autostop */
static int autostop;		/* an open-ended range "N-": everything from N on */
static size_t autostart;
static int bflag, cflag, fflag, sflag, wflag, nflag;
static wchar_t dchar = L'\t';
static char dbytes[MB_LEN_MAX + 1] = "\t";

static void
usage(void)
{
	fprintf(stderr, "usage: cut -b list [-n] [file ...]\n"
	    "       cut -c list [file ...]\n"
	    "       cut -f list [-s] [-w | -d delim] [file ...]\n");
	exit(1);
}

static int
selected(size_t pos)	/* 1-based */
{
	if (autostop && pos >= autostart)
		return (1);
	return (pos <= maxpos && positions[pos - 1]);
}

static void
get_list(char *list)
{
	char *p, *save;

	for (p = strtok_r(list, ", \t", &save); p != NULL; p = strtok_r(NULL, ", \t", &save)) {
		size_t start = 0, stop = 0;
		char *ep;
		int setauto = 0;

		if (*p == '-') {
			start = 1;
		} else {
			start = strtoul(p, &ep, 10);
			if (ep == p)
				errx(1, "[-bcf] list: illegal list value");
			p = ep;
		}
		if (*p == '-') {
			p++;
			if (*p == '\0') {
				setauto = 1;
			} else {
				stop = strtoul(p, &ep, 10);
				if (ep == p || *ep != '\0')
					errx(1, "[-bcf] list: illegal list value");
			}
		} else if (*p != '\0')
			errx(1, "[-bcf] list: illegal list value");
		else
			stop = start;
		if (start == 0)
			errx(1, "[-bcf] list: values may not include zero");
		if (setauto) {
			if (!autostop || start < autostart)
				autostart = start;
			autostop = 1;
			continue;
		}
		if (stop < start)
			errx(1, "[-bcf] list: invalid range %zu-%zu", start, stop);
		if (stop > maxpos) {
			if ((positions = realloc(positions, stop)) == NULL)
				err(1, NULL);
			memset(positions + maxpos, 0, stop - maxpos);
			maxpos = stop;
		}
		memset(positions + start - 1, 1, stop - start + 1);
	}
}

static void
cut_bytes(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (selected(i + 1))
			putchar(line[i]);
	putchar('\n');
}

static void
cut_chars(const char *line, size_t len)
{
	mbstate_t mbs;
	size_t i = 0, pos = 0;

	memset(&mbs, 0, sizeof(mbs));
	while (i < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, line + i, len - i, &mbs);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&mbs, 0, sizeof(mbs));
			n = 1;
		} else if (n == 0)
			n = 1;
		if (selected(++pos))
			fwrite(line + i, 1, n, stdout);
		i += n;
	}
	putchar('\n');
}

static int
isdelim(const char *p, size_t left, size_t *dlen)
{
	if (wflag) {
		*dlen = 1;
		return (*p == ' ' || *p == '\t');
	}
	*dlen = strlen(dbytes);
	return (left >= *dlen && memcmp(p, dbytes, *dlen) == 0);
}

static void
cut_fields(const char *line, size_t len)
{
	size_t i = 0, field = 1, dlen, start;
	int found = 0, printed = 0;

	/* Lines without a delimiter pass whole, unless -s. */
	for (size_t k = 0; k < len; k++)
		if (isdelim(line + k, len - k, &dlen)) {
			found = 1;
			break;
		}
	if (!found) {
		if (!sflag) {
			fwrite(line, 1, len, stdout);
			putchar('\n');
		}
		return;
	}
	while (i <= len) {
		start = i;
		while (i < len && !isdelim(line + i, len - i, &dlen))
			i++;
		if (selected(field)) {
			if (printed)
				fputs(wflag ? "\t" : dbytes, stdout);
			fwrite(line + start, 1, i - start, stdout);
			printed = 1;
		}
		if (i >= len)
			break;
		isdelim(line + i, len - i, &dlen);
		i += dlen;
		/* -w: a run of blanks is one delimiter. */
		if (wflag)
			while (i < len && (line[i] == ' ' || line[i] == '\t'))
				i++;
		field++;
	}
	putchar('\n');
}

int
main(int argc, char *argv[])
{
	int ch, rval = 0;
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	setlocale(LC_ALL, "");
	while ((ch = getopt(argc, argv, "+b:c:d:f:snw")) != -1) {
		switch (ch) {
		case 'b': get_list(optarg); bflag = 1; break;
		case 'c': get_list(optarg); cflag = 1; break;
		case 'f': get_list(optarg); fflag = 1; break;
		case 'd': {
			int n = mbtowc(&dchar, optarg, MB_LEN_MAX);
			if (n <= 0 || optarg[n] != '\0')
				errx(1, "bad delimiter");
			memcpy(dbytes, optarg, n);
			dbytes[n] = '\0';
			break;
		}
		case 's': sflag = 1; break;
		case 'n': nflag = 1; break;
		case 'w': wflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (bflag + cflag + fflag != 1 || (sflag && !fflag) || (wflag && !fflag))
		usage();
	void (*fn)(const char *, size_t) = fflag ? cut_fields :
	    (cflag && MB_CUR_MAX > 1) ? cut_chars : cut_bytes;

	int i = 0;
	do {
		const char *name = argc > 0 ? argv[i] : "-";
		if (strcmp(name, "-") == 0)
			fp = stdin;
		else if ((fp = fopen(name, "r")) == NULL) {
			warn("%s", name);
			rval = 1;
			continue;
		}
		while ((len = getline(&line, &cap, fp)) != -1) {
			if (len > 0 && line[len - 1] == '\n')
				line[--len] = '\0';
			fn(line, len);
		}
		if (ferror(fp)) {
			warn("%s", name);
			rval = 1;
		}
		if (fp != stdin)
			fclose(fp);
	} while (++i < argc);
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (rval);
}
