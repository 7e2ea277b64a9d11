/*
 * vi: the terminal.  Raw mode by termios, keys (with the terminal's
 * escape sequences for arrows and friends decoded), the window size by
 * TIOCGWINSZ and SIGWINCH, and a redraw that rewrites only the screen rows
 * that changed, with ANSI (VT100) sequences: no curses needed.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "libutil.h"
#include "vi.h"

int rows = 24, cols = 80;
int numbers;
int insmode;
size_t top;
volatile int winched;

static struct termios orig;
static int rawon, haveorig;


static char **shown;		/* what each screen row holds now */
static int nshown;

static char message[512];
static int msgerr;

#define PUSHMAX	16
static int pushed[PUSHMAX];
static int npush;
static const int *replay;
static size_t nreplay, replayat;
static int *rec;
static size_t nrec, reccap;
static int recording;

/* ---- output ---- */

static void
moveto(int r, int c)
{
	char b[32];

	snprintf(b, sizeof(b), "\033[%d;%dH", r + 1, c + 1);
	touts(b);
}

void
beep(void)
{
	touts("\a");
}

/* ---- terminal modes ---- */

void
screen_resize(void)
{
	struct winsize ws;

	winched = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
		rows = ws.ws_row;
		cols = ws.ws_col;
	}
	if (rows < 2)
		rows = 2;
	if (cols < 10)
		cols = 10;
	screen_invalidate();
}

void
screen_invalidate(void)
{
	for (int i = 0; i < nshown; i++)
		free(shown[i]);
	free(shown);
	shown = NULL;
	nshown = 0;
}

void
term_init(void)
{
	if (tcgetattr(STDIN_FILENO, &orig) == 0)
		haveorig = 1;
	screen_resize();
}

void
term_raw(void)
{
	struct termios t = orig;

	if (!haveorig)
		return;
	t.c_iflag &= ~(unsigned)(ICRNL | INLCR | IGNCR | IXON | ISTRIP | BRKINT);
	t.c_oflag &= ~(unsigned)OPOST;
	t.c_lflag &= ~(unsigned)(ICANON | ECHO | ISIG | IEXTEN);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
	rawon = 1;
	screen_invalidate();
	touts("\033[H\033[2J");
}

/* Back to the modes vi started with; the cursor on the last row.  Safe in a signal handler. */
void
term_restore(void)
{
	char b[32];
	int n;

	if (!rawon)
		return;
	rawon = 0;
	n = snprintf(b, sizeof(b), "\033[%d;1H\033[K", rows);
	tdiscard();
	(void)!write(STDOUT_FILENO, b, (size_t)n);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &orig);
}

/* ---- keys ---- */

/* One byte from the terminal; -1 when none came within ms (ms < 0: wait). */
static int rawpushed[4], nrawpush;

/* A byte read too far (while telling ESC from an escape sequence) goes back. */
static void
unraw(int c)
{
	if (nrawpush < 4)
		rawpushed[nrawpush++] = c;
}

static int
rawbyte(int ms)
{
	unsigned char c;

	if (nrawpush > 0)
		return rawpushed[--nrawpush];
	for (;;) {
		if (ms >= 0) {
			struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
			int r = poll(&p, 1, ms);
			if (r == 0)
				return -1;
			if (r < 0 && errno != EINTR)
				return -1;
			if (r < 0)
				continue;
		}
		ssize_t n = read(STDIN_FILENO, &c, 1);
		if (n == 1)
			return c;
		if (n < 0 && errno == EINTR) {
			if (winched && ms < 0)
				refresh(1);
			continue;
		}
		/* End of input or a dead terminal: nothing more will come. */
		term_restore();
		fprintf(stderr, "vi: input: %s\n", n == 0 ? "end of file" : strerror(errno));
		exit(1);
	}
}

/* ESC [ ... and ESC O ...: the keys a terminal sends for arrows and the like. */
static int
escape(void)
{
	int c = rawbyte(60), n = 0, d;

	if (c < 0)
		return ESC;
	if (c == 'O') {
		d = rawbyte(60);
		switch (d) {
		case 'A': return K_UP;
		case 'B': return K_DOWN;
		case 'C': return K_RIGHT;
		case 'D': return K_LEFT;
		case 'H': return K_HOME;
		case 'F': return K_END;
		}
		if (d >= 0)
			unraw(d);
		unraw('O');
		return ESC;
	}
	if (c != '[') {
		unraw(c);
		return ESC;
	}
	for (;;) {
		if ((d = rawbyte(60)) < 0)
			return K_NONE;
		if (d >= '0' && d <= '9') {
			n = n * 10 + d - '0';
			continue;
		}
		if (d == ';')
			continue;
		if (d >= 0x40 && d <= 0x7e)
			break;
	}
	switch (d) {
	case 'A': return K_UP;
	case 'B': return K_DOWN;
	case 'C': return K_RIGHT;
	case 'D': return K_LEFT;
	case 'H': return K_HOME;
	case 'F': return K_END;
	case '~':
		switch (n) {
		case 1: case 7: return K_HOME;
		case 4: case 8: return K_END;
		case 2: return K_INS;
		case 3: return K_DEL;
		case 5: return K_PGUP;
		case 6: return K_PGDN;
		}
	}
	return K_NONE;
}

void
ungetkey(int c)
{
	if (npush < PUSHMAX)
		pushed[npush++] = c;
}

void
replay_keys(const int *k, size_t n)
{
	replay = k;
	nreplay = n;
	replayat = 0;
}

int
getkey(void)
{
	int c;

	if (npush > 0)
		c = pushed[--npush];
	else if (replayat < nreplay)
		c = replay[replayat++];
	else {
		tflush();
		c = rawbyte(-1);
		if (c == ESC)
			c = escape();
	}
	if (recording) {
		if (nrec == reccap)
			rec = xrealloc(rec, (reccap = reccap * 2 + 64) * sizeof(*rec));
		rec[nrec++] = c;
	}
	return c;
}

/* Keys of the change being made, for "." (starting with the one already read). */
void
record_start(int first)
{
	nrec = 0;
	recording = 1;
	if (reccap == 0)
		rec = xrealloc(rec, (reccap = 64) * sizeof(*rec));
	rec[nrec++] = first;
}

void
record_stop(void)
{
	recording = 0;
}

const int *
record_get(size_t *n)
{
	*n = nrec;
	return rec;
}

/* ---- display ---- */

/* Screen columns a byte takes at display column dc (UTF-8 continuation bytes take none). */
static size_t
cwidth(unsigned char c, size_t dc)
{
	if (c == '\t')
		return 8 - dc % 8;
	if (c < 0x20 || c == 0x7f)
		return 2;
	if (c >= 0x80 && c < 0xc0)
		return 0;
	return 1;
}

size_t
display_col(size_t y, size_t x)
{
	size_t dc = 0;

	for (size_t i = 0; i < x && i < L[y].len; i++)
		dc += cwidth((unsigned char)L[y].s[i], dc);
	return dc;
}

/* The byte under display column dc (for j and k keeping their column). */
size_t
col_to_byte(size_t y, size_t dc)
{
	size_t c = 0, i;

	for (i = 0; i < L[y].len; i++) {
		size_t w = cwidth((unsigned char)L[y].s[i], c);
		if (c + w > dc && w > 0)
			break;
		c += w;
	}
	return i;
}

static size_t
prefix(void)
{
	return numbers ? 8 : 0;
}

static size_t
avail(void)
{
	size_t p = prefix();
	return (size_t)cols > p + 1 ? (size_t)cols - p : 1;
}

static size_t
height(size_t y)
{
	size_t w = display_col(y, L[y].len), a = avail();

	if (insmode && y == cur.y)
		w++;	/* room for the cursor past the end */
	return w == 0 ? 1 : (w + a - 1) / a;
}

size_t
textrows(void)
{
	return (size_t)rows - 1;
}

/* Put the cursor's line on the screen, centring it after a long jump. */
static void
scroll(void)
{
	size_t tr = textrows(), used;

	if (top >= nlines)
		top = nlines - 1;
	if (cur.y < top) {
		top = top - cur.y > tr / 2 ? (cur.y > tr / 2 ? cur.y - tr / 2 : 0) : cur.y;
		return;
	}
	used = 0;
	for (size_t y = top; y <= cur.y; y++)
		used += height(y);
	if (used <= tr)
		return;
	if (used > tr * 3 / 2)
		top = cur.y > tr / 2 ? cur.y - tr / 2 : 0;
	for (;;) {
		used = 0;
		for (size_t y = top; y <= cur.y; y++)
			used += height(y);
		if (used <= tr || top == cur.y)
			break;
		top++;
	}
}

/* The last line wholly on the screen (for H, L, ^F). */
size_t
lastvisible(void)
{
	size_t used = 0, y;

	scroll();
	for (y = top; y < nlines; y++) {
		used += height(y);
		if (used > textrows())
			break;
	}
	return y > top ? y - 1 : top;
}

/* One screen row's new contents: compare with what it holds, rewrite if different. */
static void
putrow(int r, const char *s, size_t n)
{
	if (r < nshown && shown[r] != NULL && strlen(shown[r]) == n && memcmp(shown[r], s, n) == 0)
		return;
	if (r >= nshown) {
		shown = xrealloc(shown, (size_t)(r + 1) * sizeof(*shown));
		while (nshown <= r)
			shown[nshown++] = NULL;
	}
	free(shown[r]);
	shown[r] = xstrndup(s, n);
	moveto(r, 0);
	tout(s, n);
	touts("\033[K");
}

void
status_line(char *b, size_t n)
{
	char right[64];
	int l;

	snprintf(right, sizeof(right), "%s%zu,%zu", insmode ? "Insert  " : "",
	    cur.y + 1, display_col(cur.y, cur.x) + 1);
	l = snprintf(b, n, "\"%s\"%s%s %zu line%s", fname != NULL ? fname : "[No Name]",
	    MODIFIED() ? " [Modified]" : "", readonly ? " [Read-only]" : "",
	    nlines, nlines == 1 ? "" : "s");
	if (l < 0)
		l = 0;
	if ((size_t)l >= n)
		l = (int)n - 1;
	int pad = cols - 1 - (int)strlen(right) - l;
	if (pad < 1)
		pad = 1;
	snprintf(b + l, n - (size_t)l, "%*s%s", pad, "", right);
	if (strlen(b) > (size_t)cols - 1)
		b[cols - 1] = '\0';
}

/* One cell of a line at a time, wrapping at the window's edge. */
struct rowbuf {
	char *row;
	size_t n, rc;
	int r, tr;
};

static void
cell(struct rowbuf *b, const char *g, size_t n)
{
	size_t a = avail(), pre = prefix();

	if (b->rc == a) {
		if (b->r < b->tr)
			putrow(b->r, b->row, b->n);
		b->r++;
		memset(b->row, ' ', pre);
		b->n = pre;
		b->rc = 0;
	}
	memcpy(b->row + b->n, g, n);
	b->n += n;
	b->rc++;
}

/* Draw line y from screen row r; the next free row. */
static int
drawline(size_t y, char *row, int r, int tr)
{
	struct rowbuf b = { row, 0, 0, r, tr };
	size_t dc = 0;

	if (prefix())
		b.n = (size_t)snprintf(row, 16, "%6zu  ", y + 1);
	for (size_t i = 0; i < L[y].len; i++) {
		unsigned char c = (unsigned char)L[y].s[i];
		size_t w = cwidth(c, dc);
		char g[2];
		if (c == '\t') {
			for (size_t k = 0; k < w; k++)
				cell(&b, " ", 1);
		} else if (c < 0x20 || c == 0x7f) {
			g[0] = '^';
			g[1] = c == 0x7f ? '?' : (char)(c + '@');
			cell(&b, g, 1);
			cell(&b, g + 1, 1);
		} else if (w == 0) {
			if (b.n < (size_t)cols * 6)
				row[b.n++] = (char)c;	/* rest of a UTF-8 character */
		} else {
			g[0] = (char)c;
			cell(&b, g, 1);
		}
		dc += w;
	}
	if (insmode && y == cur.y && b.rc == avail())
		cell(&b, "", 0);
	if (b.r < b.tr)
		putrow(b.r, b.row, b.n);
	return b.r + 1;
}

void
refresh(int full)
{
	size_t tr, a, pre;
	char *row;
	int r = 0, crow = 0, ccol = 0;

	if (winched) {
		/* A SIGWINCH that did not interrupt a read: the new size now. */
		screen_resize();
		full = 1;
	}
	if (full) {
		screen_invalidate();
		touts("\033[H\033[2J");
	}
	tr = textrows();
	a = avail();
	pre = prefix();
	row = xmalloc((size_t)cols * 8 + 64);
	scroll();
	touts("\033[?25l");	/* no cursor flicker while drawing */
	for (size_t y = top; y < nlines && (size_t)r < tr; y++) {
		size_t h = height(y);
		if ((size_t)r + h > tr && y != top) {
			/* A line that does not fit: vi's "@" rows. */
			while ((size_t)r < tr)
				putrow(r++, "@", 1);
			break;
		}
		/* The cursor's place in this line. */
		if (y == cur.y) {
			size_t dc = display_col(y, cur.x);
			if (!insmode && cur.x < L[y].len) {
				size_t w = cwidth((unsigned char)L[y].s[cur.x], dc);
				if (w > 1 && L[y].s[cur.x] == '\t')
					dc += w - 1;
			}
			crow = r + (int)(dc / a);
			ccol = (int)(pre + dc % a);
		}
		r = drawline(y, row, r, (int)tr);
	}
	while ((size_t)r < tr)
		putrow(r++, "~", 1);
	if (message[0] != '\0') {
		size_t ml = strlen(message);
		if (ml > (size_t)cols - 1)
			ml = (size_t)cols - 1;
		if (msgerr) {
			memcpy(row, "\033[7m", 4);
			memcpy(row + 4, message, ml);
			memcpy(row + 4 + ml, "\033[m", 3);
			putrow((int)tr, row, ml + 7);
		} else
			putrow((int)tr, message, ml);
	} else {
		status_line(row, (size_t)cols * 8 + 64);
		putrow((int)tr, row, strlen(row));
	}
	if ((size_t)crow >= tr)
		crow = (int)tr - 1;
	moveto(crow, ccol >= cols ? cols - 1 : ccol);
	touts("\033[?25h");
	free(row);
	tflush();
}

static void
vmsg(int iserr, const char *fmt, va_list ap)
{
	vsnprintf(message, sizeof(message), fmt, ap);
	msgerr = iserr;
}

void
msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
}

void
emsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(1, fmt, ap);
	va_end(ap);
	beep();
}

void
msg_clear(void)
{
	message[0] = '\0';
}

/* A line typed on the bottom row after a prompt (":", "/", "?"); NULL if abandoned. */
char *
readline_bottom(int prompt)
{
	size_t cap = 64, n = 0;
	char *s = xmalloc(cap);
	int c;

	for (;;) {
		char *row = xmalloc(n + 8);
		row[0] = (char)prompt;
		memcpy(row + 1, s, n);
		size_t show = n + 1, off = 0;
		if (show > (size_t)cols - 1)
			off = show - ((size_t)cols - 1);
		putrow(rows - 1, row + off, show - off);
		moveto(rows - 1, (int)(show - off));
		free(row);
		tflush();
		c = getkey();
		switch (c) {
		case '\r': case '\n':
			s[n] = '\0';
			return s;
		case ESC: case CTRL('c'):
			free(s);
			return NULL;
		case '\b': case 0x7f:
			if (n == 0) {
				free(s);
				return NULL;
			}
			n--;
			continue;
		case CTRL('u'):
			n = 0;
			continue;
		case CTRL('w'):
			while (n > 0 && s[n - 1] == ' ')
				n--;
			while (n > 0 && s[n - 1] != ' ')
				n--;
			continue;
		case CTRL('v'):
			c = getkey();
			break;
		}
		if (c >= 0x100)
			continue;
		if (n + 2 > cap)
			s = xrealloc(s, cap *= 2);
		s[n++] = (char)c;
	}
}
