/*
 * cat: concatenate and print files.
 *
 * Without options the files are copied with read/write in big blocks; any
 * formatting option switches to a byte-at-a-time stdio loop.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int bflag, eflag, nflag, sflag, tflag, vflag;
static int rval;
static const char *filename;

static void
usage(void)
{
	fprintf(stderr, "usage: cat [-benstuv] [file ...]\n");
	exit(1);
}

/* The formatting loop.  Line numbers and blank-line state carry across files. */
static void
cook(FILE *fp)
{
	static int gobble, prev = '\n';
	static long line;
	int ch;

	while ((ch = getc(fp)) != EOF) {
		if (prev == '\n') {
			if (sflag) {
				if (ch == '\n') {
					if (gobble)
						continue;
					gobble = 1;
				} else
					gobble = 0;
			}
			if (nflag && (!bflag || ch != '\n')) {
				printf("%6ld\t", ++line);
			} else if (nflag && eflag) {
				/* -be: BSD pads the unnumbered blank line too. */
				printf("%6s\t", "");
			}
		}
		prev = ch;
		if (ch == '\n') {
			if (eflag)
				putchar('$');
		} else if (ch == '\t') {
			if (tflag) {
				fputs("^I", stdout);
				continue;
			}
		} else if (vflag) {
			if (!isascii(ch) && !isprint(ch)) {
				fputs("M-", stdout);
				ch = toascii(ch);
			}
			if (iscntrl(ch)) {
				putchar('^');
				putchar(ch == '\177' ? '?' : ch | 0100);
				continue;
			}
		}
		if (putchar(ch) == EOF)
			break;
	}
	if (ferror(fp)) {
		warn("%s", filename);
		rval = 1;
		clearerr(fp);
	}
	if (ferror(stdout))
		err(1, "stdout");
}

static void
raw(int fd)
{
	static char buf[65536];
	ssize_t n, w, off;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += w) {
			w = write(STDOUT_FILENO, buf + off, n - off);
			if (w < 0)
				err(1, "stdout");
		}
	}
	if (n < 0) {
		warn("%s", filename);
		rval = 1;
	}
}

int
main(int argc, char *argv[])
{
	int ch, fd;
	FILE *fp;

	while ((ch = getopt(argc, argv, "+benstuv")) != -1) {
		switch (ch) {
		case 'b': bflag = nflag = 1; break;
		case 'e': eflag = vflag = 1; break;
		case 'n': nflag = 1; break;
		case 's': sflag = 1; break;
		case 't': tflag = vflag = 1; break;
		case 'u': setvbuf(stdout, NULL, _IONBF, 0); break;
		case 'v': vflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;

	int cooked = bflag || eflag || nflag || sflag || tflag || vflag;
	int i = 0;
	do {
		const char *path = argc > 0 ? argv[i] : "-";
		if (strcmp(path, "-") == 0) {
			filename = "stdin";
			fd = STDIN_FILENO;
		} else {
			filename = path;
			if ((fd = open(path, O_RDONLY)) < 0) {
				warn("%s", path);
				rval = 1;
				continue;
			}
		}
		if (cooked) {
			if (fd == STDIN_FILENO)
				fp = stdin;
			else if ((fp = fdopen(fd, "r")) == NULL)
				err(1, "%s", path);
			cook(fp);
			if (fp != stdin)
				fclose(fp);
			else
				clearerr(stdin);
		} else {
			raw(fd);
			if (fd != STDIN_FILENO)
				close(fd);
		}
	} while (++i < argc);
	if (fflush(stdout) != 0 || (cooked && ferror(stdout)))
		err(1, "stdout");
	exit(rval);
}
