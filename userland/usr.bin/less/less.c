/*
 * less, more: page through text on a terminal.
 *
 * Input (files, or standard input) is read as the screen needs it, so a
 * pipe pages before it ends.  Keys come from /dev/tty, which works when the
 * text itself arrives on standard input.  When standard output is not a
 * terminal, the input is copied through untouched, as less(1) does.  As
 * more, the prompt is --More--(NN%) and the end of the last file ends it.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "libutil.h"

struct text {
	const char *name;
	int fd;
	int eof;
	off_t size;		/* -1 when unknown (a pipe) */
	char **lines;
	size_t *lens;
	off_t *ends;		/* byte offset after each line */
	size_t n, cap;
	char *part;		/* an unfinished last line */
	size_t partlen;
	off_t bytes;
};

static struct text t;
static char **files;
static int nfiles, fileno_;
static int ismore, Nflag, Eflag, Fflag, iflag, Sflag;
static int tty = -1;
static int rows = 24, cols = 80;
static struct termios orig;
static int rawon;
static volatile sig_atomic_t winched;
static size_t top;
static regex_t re;
static int haveRe, lastfwd = 1;
static char msgline[256];

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-EFiNS] [file ...]\n", getprogname());
	exit(1);
}

/* ---- output ---- */

/* ---- the terminal ---- */

static void
getsize(void)
{
	struct winsize ws;

	winched = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 1 && ws.ws_col > 8) {
		rows = ws.ws_row;
		cols = ws.ws_col;
	}
}

static void
restore(void)
{
	if (rawon) {
		tcsetattr(tty, TCSAFLUSH, &orig);
		rawon = 0;
	}
}

static void
raw(void)
{
	struct termios r;

	if (tcgetattr(tty, &orig) != 0)
		return;
	r = orig;
	r.c_lflag &= ~(unsigned)(ICANON | ECHO);
	r.c_cc[VMIN] = 1;
	r.c_cc[VTIME] = 0;
	tcsetattr(tty, TCSAFLUSH, &r);
	rawon = 1;
}

static void
onsig(int sig)
{
	restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
onwinch(int sig)
{
	winched = 1;
}

/* A key from the terminal: ESC [ A and friends as j/k and the page keys. */
static int
getkey(void)
{
	unsigned char c;
	ssize_t n;

	for (;;) {
		n = read(tty, &c, 1);
		if (n == 1)
			break;
		if (n < 0 && errno == EINTR) {
			if (winched)
				return -2;
			continue;
		}
		return 'q';	/* the terminal went away */
	}
	if (c != 033)
		return c;
	unsigned char s[3];
	if (read(tty, &s[0], 1) != 1 || (s[0] != '[' && s[0] != 'O'))
		return 033;
	if (read(tty, &s[1], 1) != 1)
		return 033;
	switch (s[1]) {
	case 'A': return 'k';
	case 'B': return 'j';
	case 'H': return 'g';
	case 'F': return 'G';
	case '5': case '6':
		(void)!read(tty, &s[2], 1);	/* the "~" */
		return s[1] == '5' ? 'b' : ' ';
	}
	return 033;
}

/* ---- input ---- */

static void
addline(char *s, size_t n)
{
	if (t.n == t.cap) {
		t.cap = t.cap * 2 + 256;
		t.lines = reallocarray(t.lines, t.cap, sizeof(*t.lines));
		t.lens = reallocarray(t.lens, t.cap, sizeof(*t.lens));
		t.ends = reallocarray(t.ends, t.cap, sizeof(*t.ends));
		if (t.lines == NULL || t.lens == NULL || t.ends == NULL)
			err(1, NULL);
	}
	t.lines[t.n] = s;
	t.lens[t.n] = n;
	t.ends[t.n] = t.bytes;
	t.n++;
}

/* Read until there are `want` lines (or the input ends). */
static void
ensure(size_t want)
{
	char b[16384];

	while (t.n < want && !t.eof) {
		ssize_t r = read(t.fd, b, sizeof(b));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			t.eof = 1;
			if (t.partlen > 0) {
				addline(t.part, t.partlen);
				t.part = NULL;
				t.partlen = 0;
			}
			break;
		}
		char *p = b, *e = b + r;
		while (p < e) {
			char *nl = memchr(p, '\n', (size_t)(e - p));
			size_t k = nl != NULL ? (size_t)(nl - p) : (size_t)(e - p);
			if ((t.part = realloc(t.part, t.partlen + k + 1)) == NULL)
				err(1, NULL);
			memcpy(t.part + t.partlen, p, k);
			t.partlen += k;
			t.part[t.partlen] = '\0';
			t.bytes += (off_t)k;
			if (nl == NULL)
				break;
			t.bytes++;
			addline(t.part, t.partlen);
			t.part = NULL;
			t.partlen = 0;
			p = nl + 1;
		}
	}
}

static void
closetext(void)
{
	for (size_t i = 0; i < t.n; i++)
		free(t.lines[i]);
	free(t.lines);
	free(t.lens);
	free(t.ends);
	free(t.part);
	if (t.fd > 0)
		close(t.fd);
	memset(&t, 0, sizeof(t));
}

static int
opentext(const char *name)
{
	struct stat st;

	closetext();
	t.name = name;
	if (strcmp(name, "-") == 0)
		t.fd = STDIN_FILENO;
	else if ((t.fd = open(name, O_RDONLY)) < 0) {
		warn("%s", name);
		return -1;
	}
	if (fstat(t.fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		warnx("%s is a directory", name);
		close(t.fd);
		t.fd = 0;
		return -1;
	}
	t.size = fstat(t.fd, &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : -1;
	top = 0;
	return 0;
}

/* Not a terminal: copy every input through. */
static int
copyall(void)
{
	char b[16384];
	int rval = 0;

	for (int i = 0; i < nfiles; i++) {
		int fd = strcmp(files[i], "-") == 0 ? STDIN_FILENO : open(files[i], O_RDONLY);
		ssize_t r;
		if (fd < 0) {
			warn("%s", files[i]);
			rval = 1;
			continue;
		}
		while ((r = read(fd, b, sizeof(b))) > 0 || (r < 0 && errno == EINTR)) {
			for (ssize_t off = 0; off < r;) {
				ssize_t w = write(STDOUT_FILENO, b + off, (size_t)(r - off));
				if (w <= 0) {
					if (w < 0 && errno == EINTR)
						continue;
					err(1, "stdout");
				}
				off += w;
			}
		}
		if (r < 0) {
			warn("%s", files[i]);
			rval = 1;
		}
		if (fd != STDIN_FILENO)
			close(fd);
	}
	return rval;
}

/* ---- display ---- */

static size_t
pagelen(void)
{
	return (size_t)rows - 1;
}

/* The screen rows line i takes (wrapped unless -S). */
static size_t
height(size_t i)
{
	size_t w = Nflag ? 8 : 0, a = (size_t)cols;

	for (size_t k = 0; k < t.lens[i]; k++) {
		unsigned char c = (unsigned char)t.lines[i][k];
		if (k + 1 < t.lens[i] && t.lines[i][k + 1] == '\b')
			k++;	/* overstrike: the later character shows */
		else if (c == '\t')
			w += 8 - w % 8;
		else if (c < 0x20 || c == 0x7f)
			w += 2;
		else if ((c & 0xc0) != 0x80)
			w++;
	}
	return Sflag || w == 0 ? 1 : (w + a - 1) / a;
}

/* Draw line i into at most `left` rows; the rows used. */
static size_t
drawline(size_t i, size_t left)
{
	char b[16];
	size_t col = 0, used = 1;

	if (Nflag) {
		snprintf(b, sizeof(b), "%7zu ", i + 1);
		touts(b);
		col = 8;
	}
	for (size_t k = 0; k < t.lens[i]; k++) {
		unsigned char c = (unsigned char)t.lines[i][k];
		char g[4];
		size_t gl = 1, w = 1;
		if (k + 2 < t.lens[i] && t.lines[i][k + 1] == '\b') {
			k += 2;	/* "x\bx" (bold) or "_\bx" (underline): show x */
			c = (unsigned char)t.lines[i][k];
		}
		if (c == '\t') {
			w = 8 - col % 8;
			memset(g, ' ', 1);
			for (size_t j = 0; j < w; j++) {
				if (col == (size_t)cols) {
					if (Sflag || used == left)
						goto done;
					touts("\r\n");
					col = 0;
					used++;
				}
				tout(" ", 1);
				col++;
			}
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			g[0] = '^';
			g[1] = c == 0x7f ? '?' : (char)(c + '@');
			gl = 2;
			w = 2;
		} else {
			g[0] = (char)c;
			w = (c & 0xc0) == 0x80 ? 0 : 1;
		}
		if (col + w > (size_t)cols) {
			if (Sflag || used == left)
				goto done;
			touts("\r\n");
			col = 0;
			used++;
		}
		tout(g, gl);
		col += w;
	}
done:
	touts("\033[K\r\n");
	return used;
}

/* Lines that fit on a screen from line `from`. */
static size_t
fits(size_t from)
{
	size_t used = 0, i;

	for (i = from;; i++) {
		ensure(i + 1);
		if (i >= t.n)
			break;
		size_t h = height(i);
		if (used + h > pagelen())
			break;
		used += h;
	}
	return i - from;
}

static int
atend(void)
{
	size_t n = fits(top);
	ensure(top + n + 1);
	return top + n >= t.n && t.eof;
}

static void
prompt(void)
{
	char b[512];
	size_t shown = top + fits(top);

	touts("\033[7m");
	if (msgline[0] != '\0') {
		touts(msgline);
		msgline[0] = '\0';
	} else if (ismore) {
		if (t.size > 0 && shown > 0) {
			long pct = (long)(t.ends[shown - 1] * 100 / t.size);
			snprintf(b, sizeof(b), "--More--(%ld%%)", pct > 100 ? 100 : pct);
		} else
			snprintf(b, sizeof(b), "--More--");
		touts(b);
	} else if (atend()) {
		if (fileno_ + 1 < nfiles)
			snprintf(b, sizeof(b), "(END) - Next: %s", files[fileno_ + 1]);
		else
			snprintf(b, sizeof(b), "(END)");
		touts(b);
	} else if (top == 0 && strcmp(t.name, "-") != 0) {
		touts(t.name);
	} else
		touts(":");
	touts("\033[m\033[K");
}

static void
paint(void)
{
	size_t used = 0;

	touts("\033[H");
	for (size_t i = top; used < pagelen(); i++) {
		ensure(i + 1);
		if (i >= t.n) {
			if (!ismore)
				touts("~");
			touts("\033[K\r\n");
			used++;
			continue;
		}
		used += drawline(i, pagelen() - used);
	}
	prompt();
	tflush();
}

/* ---- moving ---- */

static void
forward(size_t n)
{
	ensure(top + n + pagelen() + 1);
	/* Not past the point where the last line sits at the bottom. */
	while (n-- > 0 && !atend())
		top++;
}

static void
backward(size_t n)
{
	top = top > n ? top - n : 0;
}

static void
gotoend(void)
{
	ensure((size_t)-1);
	top = t.n;
	while (top > 0) {
		size_t h = 0;
		for (size_t i = top - 1; i < t.n; i++)
			h += height(i);
		if (h > pagelen())
			break;
		top--;
	}
}

/* A line typed after the prompt character (for / ? :). */
static int
readcmd(int pc, char *b, size_t n)
{
	size_t len = 0;
	int c;

	for (;;) {
		touts("\r\033[K");
		tout((char *)&(char){ (char)pc }, 1);
		tout(b, len);
		tflush();
		c = getkey();
		if (c == '\r' || c == '\n')
			break;
		if (c == 033 || c == 3 || c == -2)
			return -1;
		if (c == '\b' || c == 0x7f) {
			if (len == 0)
				return -1;
			len--;
			continue;
		}
		if (c == 025) {
			len = 0;
			continue;
		}
		if (c >= 0 && c < 0x100 && len + 1 < n)
			b[len++] = (char)c;
	}
	b[len] = '\0';
	return 0;
}

static void
search(int fwd, const char *pat, long count)
{
	if (pat != NULL && *pat != '\0') {
		if (haveRe)
			regfree(&re);
		haveRe = 0;
		if (regcomp(&re, pat, REG_NOSUB | (iflag ? REG_ICASE : 0)) != 0) {
			snprintf(msgline, sizeof(msgline), "Invalid pattern");
			return;
		}
		haveRe = 1;
	}
	if (!haveRe) {
		snprintf(msgline, sizeof(msgline), "No previous regular expression");
		return;
	}
	size_t at = top;
	while (count-- > 0) {
		size_t i = at;
		int found = 0;
		for (;;) {
			if (fwd)
				i++;
			else if (i == 0)
				break;
			else
				i--;
			ensure(i + 1);
			if (i >= t.n)
				break;
			if (regexec(&re, t.lines[i], 0, NULL, 0) == 0) {
				found = 1;
				break;
			}
		}
		if (!found) {
			snprintf(msgline, sizeof(msgline), "Pattern not found");
			return;
		}
		at = i;
	}
	top = at;
}

static void
help(void)
{
	snprintf(msgline, sizeof(msgline),
	    "SPACE f: forward  b: back  d u: half  j k: line  g G: ends  /?nN: search  q: quit");
}

/* Page one file; 1 to go on to the next, 0 to quit, -1 for the previous. */
static int
page(void)
{
	char b[256];
	long count = 0;

	if (Fflag && atend()) {
		for (size_t i = 0; i < t.n; i++)
			drawline(i, (size_t)-1);
		tflush();
		return 0;
	}
	for (;;) {
		if (winched)
			getsize();
		paint();
		if (ismore && atend())
			return 1;
		int c = getkey();
		if (c == -2)
			continue;
		if (isdigit(c)) {
			count = count * 10 + c - '0';
			continue;
		}
		long n = count > 0 ? count : 1, hasc = count > 0;
		count = 0;
		touts("\r\033[K");
		switch (c) {
		case ' ': case 'f': case 6: case 026: case 'z':
			if (atend()) {
				if (Eflag || ismore)
					return 1;
				break;
			}
			forward(hasc && c != 'z' ? (size_t)n : pagelen() * (size_t)n);
			break;
		case 'b': case 2: case 'w':
			backward(hasc && c != 'w' ? (size_t)n : pagelen() * (size_t)n);
			break;
		case 'd': case 4:
			forward(hasc ? (size_t)n : pagelen() / 2);
			break;
		case 'u': case 025:
			backward(hasc ? (size_t)n : pagelen() / 2);
			break;
		case 'j': case 'e': case '\r': case '\n': case 016: case 5:
			if (atend() && (Eflag || ismore))
				return 1;
			forward((size_t)n);
			break;
		case 'k': case 'y': case 020: case 031:
			backward((size_t)n);
			break;
		case 'g': case '<':
			top = 0;
			if (hasc) {
				ensure((size_t)n);
				top = (size_t)n - 1 < t.n ? (size_t)n - 1 : t.n > 0 ? t.n - 1 : 0;
			}
			break;
		case 'G': case '>':
			if (hasc) {
				ensure((size_t)n);
				top = (size_t)n - 1 < t.n ? (size_t)n - 1 : t.n > 0 ? t.n - 1 : 0;
			} else
				gotoend();
			break;
		case '/': case '?':
			if (readcmd(c, b, sizeof(b)) == 0) {
				lastfwd = c == '/';
				search(lastfwd, b, n);
			}
			break;
		case 'n': case 'N':
			search(c == 'n' ? lastfwd : !lastfwd, NULL, n);
			break;
		case ':':
			if (readcmd(':', b, sizeof(b)) != 0)
				break;
			if (strcmp(b, "n") == 0) {
				if (fileno_ + 1 < nfiles)
					return 1;
				snprintf(msgline, sizeof(msgline), "No next file");
			} else if (strcmp(b, "p") == 0) {
				if (fileno_ > 0)
					return -1;
				snprintf(msgline, sizeof(msgline), "No previous file");
			} else if (strcmp(b, "q") == 0)
				return 0;
			break;
		case 'r': case 'R': case 014:
			touts("\033[H\033[2J");
			break;
		case 'h': case 'H':
			help();
			break;
		case '=': case 7:
			snprintf(msgline, sizeof(msgline), "%s lines %zu-%zu%s",
			    strcmp(t.name, "-") == 0 ? "(stdin)" : t.name, top + 1,
			    top + fits(top), t.eof ? "" : " ...");
			break;
		case 'q': case 'Q': case 3:
			return 0;
		}
	}
}

int
main(int argc, char *argv[])
{
	static char *stdinonly[] = { "-", NULL };
	int ch, r = 0;

	ismore = strcmp(getprogname(), "more") == 0;
	while ((ch = getopt(argc, argv, "+EeFiNSX")) != -1) {
		switch (ch) {
		case 'E': case 'e':
			Eflag = 1;
			break;
		case 'F':
			Fflag = 1;
			break;
		case 'i':
			iflag = 1;
			break;
		case 'N':
			Nflag = 1;
			break;
		case 'S':
			Sflag = 1;
			break;
		case 'X':
			break;
		default:
			usage();
		}
	}
	files = argc > optind ? argv + optind : stdinonly;
	nfiles = argc > optind ? argc - optind : 1;
	if (!isatty(STDOUT_FILENO))
		return copyall();
	if (nfiles == 1 && strcmp(files[0], "-") == 0 && isatty(STDIN_FILENO) && argc <= optind)
		errx(1, "missing filename (\"%s --help\" for help)", getprogname());
	if ((tty = open("/dev/tty", O_RDONLY)) < 0) {
		if (!isatty(STDIN_FILENO))
			return copyall();
		tty = STDIN_FILENO;
	}
	getsize();
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, onsig);
	signal(SIGHUP, onsig);
	signal(SIGQUIT, onsig);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onwinch;	/* no SA_RESTART: a key read returns to repaint */
	sigaction(SIGWINCH, &sa, NULL);
	raw();
	touts("\033[H\033[2J");
	for (fileno_ = 0; fileno_ < nfiles;) {
		if (opentext(files[fileno_]) != 0) {
			r = 1;
			fileno_++;
			continue;
		}
		int d = page();
		if (d == 0)
			break;
		fileno_ += d;
		if (fileno_ < 0)
			fileno_ = 0;
	}
	touts("\r\033[K");
	tflush();
	restore();
	closetext();
	return r;
}
