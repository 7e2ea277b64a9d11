/*
 * grep, egrep, fgrep: file pattern searcher, over regcomp(3).
 *
 * Patterns are basic regular expressions, extended with -E (or as egrep),
 * fixed strings with -F (or as fgrep).  Several patterns (-e, -f, or
 * newlines in one) match if any does.  Exit 0 when a line was selected,
 * 1 when none was, 2 on error (even if something matched, unless -q found
 * a match first).
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fts.h>
#include <limits.h>
#include <locale.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int Eflag, Fflag, cflag, hflag, Hflag, iflag, lflag, Lflag, nflag, oflag;
static int qflag, rflag, sflag, vflag, wflag, xflag, bflag, zflag;
static long mcount = -1;
static char **pats;
static size_t npats;
static regex_t *res;
static int errors;
static int multi;	/* print file names */

static void
usage(void)
{
	fprintf(stderr, "usage: grep [-abcEFhHilLnoqrRsvwxz] [-e pattern]\n"
	    "\t[-f file] [-m num] [pattern] [file ...]\n");
	exit(2);
}

static void
addpattern(const char *p)
{
	/* A newline separates patterns. */
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if ((pats = reallocarray(pats, npats + 1, sizeof(*pats))) == NULL ||
		    (pats[npats] = strndup(p, len)) == NULL)
			err(2, NULL);
		npats++;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

static void
readpatterns(const char *file)
{
	FILE *fp = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (fp == NULL)
		err(2, "%s", file);
	while ((n = getline(&line, &cap, fp)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		addpattern(line);
	}
	if (fp != stdin)
		fclose(fp);
	free(line);
}

/* Fixed strings: case-insensitive search when -i. */
static const char *
findfixed(const char *hay, size_t hlen, const char *pat, size_t *mlen)
{
	size_t plen = strlen(pat);

	*mlen = plen;
	if (plen == 0)
		return (hay);
	for (size_t i = 0; i + plen <= hlen; i++)
		if ((iflag ? strncasecmp(hay + i, pat, plen) : strncmp(hay + i, pat, plen)) == 0)
			return (hay + i);
	return (NULL);
}

static int
iswordc(int c)
{
	return (isalnum(c) || c == '_');
}

/*
 * Does line match?  The first (leftmost) match from `from` is returned in
 * so and eo, honouring -w and -x.
 */
static int
match(const char *line, size_t len, size_t from, size_t *so, size_t *eo)
{
	int found = 0;
	size_t bso = 0, beo = 0;

	for (size_t k = 0; k < npats; k++) {
		size_t start = from;
		while (start <= len) {
			size_t s, e;
			if (Fflag) {
				size_t ml;
				const char *p = findfixed(line + start, len - start, pats[k], &ml);
				if (p == NULL)
					break;
				s = p - line;
				e = s + ml;
			} else {
				regmatch_t m;
				m.rm_so = start;
				m.rm_eo = len;
				int flags = REG_STARTEND | (start > 0 ? REG_NOTBOL : 0);
				if (regexec(&res[k], line, 1, &m, flags) != 0)
					break;
				s = m.rm_so;
				e = m.rm_eo;
			}
			int ok = 1;
			if (xflag)
				ok = s == 0 && e == len;
			else if (wflag)
				ok = (s == 0 || !iswordc((unsigned char)line[s - 1])) &&
				    (e == len || !iswordc((unsigned char)line[e])) && e > s;
			if (ok) {
				if (!found || s < bso || (s == bso && e > beo)) {
					bso = s;
					beo = e;
				}
				found = 1;
				break;
			}
			/* -w/-x: try later starting points. */
			if (xflag)
				break;
			start = s + 1;
		}
	}
	if (found) {
		*so = bso;
		*eo = beo;
	}
	return (found);
}

static int
grepfile(FILE *fp, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0, count = 0;
	long long offset = 0;

	while ((n = getdelim(&line, &cap, zflag ? '\0' : '\n', fp)) != -1) {
		size_t len = n;
		int hadnl = len > 0 && line[len - 1] == (zflag ? '\0' : '\n');
		if (hadnl)
			len--;
		lineno++;
		size_t so, eo;
		int m = match(line, len, 0, &so, &eo);
		if (m == vflag) {
			offset += n;
			continue;
		}
		count++;
		if (qflag) {
			free(line);
			return (1);
		}
		if (lflag || Lflag)
			break;
		if (!cflag) {
			if (oflag && !vflag) {
				/* Each match on its own line. */
				size_t from = 0;
				while (from <= len && match(line, len, from, &so, &eo)) {
					if (eo > so) {
						if (multi)
							printf("%s:", name);
						if (nflag)
							printf("%ld:", lineno);
						if (bflag)
							printf("%lld:", offset + (long long)so);
						fwrite(line + so, 1, eo - so, stdout);
						putchar('\n');
					}
					from = eo > so ? eo : so + 1;
				}
			} else {
				if (multi)
					printf("%s:", name);
				if (nflag)
					printf("%ld:", lineno);
				if (bflag)
					printf("%lld:", offset);
				fwrite(line, 1, len, stdout);
				putchar(zflag ? '\0' : '\n');
			}
		}
		offset += n;
		if (mcount >= 0 && count >= mcount)
			break;
	}
	free(line);
	if (ferror(fp)) {
		if (!sflag)
			warn("%s", name);
		errors = 1;
	}
	if (cflag) {
		if (multi)
			printf("%s:", name);
		printf("%ld\n", count);
	}
	if (lflag && count > 0)
		printf("%s\n", name);
	if (Lflag && count == 0)
		printf("%s\n", name);
	return (count > 0);
}

static int
procfile(const char *name)
{
	FILE *fp;
	struct stat sb;
	int r;

	if (strcmp(name, "-") == 0)
		return (grepfile(stdin, "(standard input)"));
	if ((fp = fopen(name, "r")) == NULL) {
		if (!sflag)
			warn("%s", name);
		errors = 1;
		return (0);
	}
	if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(fp);
		if (!sflag)
			warnx("%s: Is a directory", name);
		errors = 1;
		return (0);
	}
	r = grepfile(fp, name);
	fclose(fp);
	return (r);
}

static int
procdir(char **paths)
{
	FTS *fts;
	FTSENT *p;
	int r = 0;

	if ((fts = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR | FTS_COMFOLLOW, NULL)) == NULL)
		err(2, "fts_open");
	while ((p = fts_read(fts)) != NULL) {
		switch (p->fts_info) {
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
			errno = p->fts_errno;
			if (!sflag)
				warn("%s", p->fts_path);
			errors = 1;
			break;
		case FTS_F:
			r |= procfile(p->fts_path);
			if (r && qflag) {
				fts_close(fts);
				return (r);
			}
			break;
		default:
			break;
		}
	}
	fts_close(fts);
	return (r);
}

int
main(int argc, char *argv[])
{
	const char *prog = strrchr(argv[0], '/');
	int ch, matched = 0, cflags;

	setlocale(LC_ALL, "");
	prog = prog != NULL ? prog + 1 : argv[0];
	if (strcmp(prog, "egrep") == 0)
		Eflag = 1;
	else if (strcmp(prog, "fgrep") == 0)
		Fflag = 1;

	while ((ch = getopt(argc, argv, "+abcEe:Ff:GHhiLlm:noqRrsuVvwxyz")) != -1) {
		switch (ch) {
		case 'a': break;
		case 'b': bflag = 1; break;
		case 'c': cflag = 1; break;
		case 'E': Eflag = 1; Fflag = 0; break;
		case 'e': addpattern(optarg); break;
		case 'F': Fflag = 1; Eflag = 0; break;
		case 'f': readpatterns(optarg); break;
		case 'G': Eflag = Fflag = 0; break;
		case 'H': Hflag = 1; hflag = 0; break;
		case 'h': hflag = 1; Hflag = 0; break;
		case 'i': case 'y': iflag = 1; break;
		case 'L': Lflag = 1; lflag = 0; break;
		case 'l': lflag = 1; Lflag = 0; break;
		case 'm': {
			char *ep;
			mcount = strtol(optarg, &ep, 10);
			if (*optarg == '\0' || *ep != '\0' || mcount < 0)
				errx(2, "invalid max count");
			break;
		}
		case 'n': nflag = 1; break;
		case 'o': oflag = 1; break;
		case 'q': qflag = 1; break;
		case 'R': case 'r': rflag = 1; break;
		case 's': sflag = 1; break;
		case 'u': break;
		case 'V': printf("grep (vkernel world) 1.0\n"); exit(0);
		case 'v': vflag = 1; break;
		case 'w': wflag = 1; break;
		case 'x': xflag = 1; break;
		case 'z': zflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (npats == 0) {
		if (argc == 0)
			usage();
		addpattern(*argv++);
		argc--;
	}
	if (!Fflag) {
		if ((res = calloc(npats, sizeof(*res))) == NULL)
			err(2, NULL);
		cflags = (Eflag ? REG_EXTENDED : 0) | (iflag ? REG_ICASE : 0);
		if (!oflag && !wflag && !xflag && !bflag)
			cflags |= REG_NOSUB;
		cflags &= ~REG_NOSUB;	/* match() needs the offsets for -w and -x anyway */
		for (size_t i = 0; i < npats; i++) {
			int e = regcomp(&res[i], pats[i], cflags);
			if (e != 0) {
				char buf[256];
				regerror(e, &res[i], buf, sizeof(buf));
				errx(2, "%s", buf);
			}
		}
	}
	multi = !hflag && (Hflag || argc > 1 || rflag);
	if (argc == 0) {
		if (rflag) {
			static char *dot[] = { ".", NULL };
			matched = procdir(dot);
		} else
			matched = procfile("-");
	} else if (rflag)
		matched = procdir(argv);
	else
		for (; *argv != NULL; argv++) {
			matched |= procfile(*argv);
			if (matched && qflag)
				break;
		}
	if (fflush(stdout) != 0)
		err(2, "stdout");
	if (qflag && matched)
		return (0);
	return (errors ? 2 : !matched);
}
