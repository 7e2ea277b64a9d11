/*
 * vi: screen oriented (visual) display editor.
 *
 * Command mode with counts, motions (h j k l, arrows, w b e W B E, 0 ^ $,
 * G gg H M L, f t F T ; ,, %, / ? n N, marks) and the operators d c y over
 * them; insert mode (i a I A o O, arrows move); x X D C s S r J ~ p P,
 * u and ^R (every change can be undone), "." repeats the last change;
 * ":" runs ex commands (ex.c).  The screen layer is in screen.c, the text
 * in buf.c.
 */
#include <ctype.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vi.h"

int done;
struct pos marks[26];

static char *regtext;		/* the unnamed buffer */
static size_t reglen;
static int reglw;		/* it holds whole lines */

static size_t wantcol;		/* display column j and k aim for */
static int wantend;		/* ... or the end of the line ($) */
static int findcmd, findch;	/* last f, F, t or T */

static int *dotkeys;		/* the last change, for "." */
static size_t ndot;
static long dotcount;
static int replaying;

struct mv {
	struct pos to;
	int linewise, inclusive;
};

static void
usage(void)
{
	fprintf(stderr, "usage: vi [-R] [-c command] [+command] [file]\n");
	exit(1);
}

void
reg_set(char *t, size_t n, int lw)
{
	free(regtext);
	regtext = t;
	reglen = n;
	reglw = lw;
}

size_t
nonblank(size_t y)
{
	size_t x = 0;

	while (x < L[y].len && (L[y].s[x] == ' ' || L[y].s[x] == '\t'))
		x++;
	return x;
}

void
first_nonblank(void)
{
	if (cur.y >= nlines)
		cur.y = nlines - 1;
	cur.x = nonblank(cur.y);
	wantend = 0;
	wantcol = display_col(cur.y, cur.x);
}

/* Keep the cursor on a character (command mode: not past the last). */
static void
clamp(void)
{
	if (cur.y >= nlines)
		cur.y = nlines - 1;
	size_t len = L[cur.y].len;
	if (!insmode && len > 0 && cur.x >= len)
		cur.x = len - 1;
	if (len == 0)
		cur.x = 0;
	while (cur.x > 0 && cur.x < len && ((unsigned char)L[cur.y].s[cur.x] & 0xc0) == 0x80)
		cur.x--;
}

static int
charcls(struct pos p, int big)
{
	if (p.x >= L[p.y].len)
		return 0;
	unsigned char c = (unsigned char)L[p.y].s[p.x];
	if (c == ' ' || c == '\t')
		return 0;
	if (big || isalnum(c) || c == '_' || c >= 0x80)
		return 1;
	return 2;
}

static int
next(struct pos *p)
{
	if (p->x < L[p->y].len) {
		p->x++;
		return 1;
	}
	if (p->y + 1 < nlines) {
		p->y++;
		p->x = 0;
		return 1;
	}
	return 0;
}

static int
prev(struct pos *p)
{
	if (p->x > 0) {
		p->x--;
		return 1;
	}
	if (p->y > 0) {
		p->y--;
		p->x = L[p->y].len;
		return 1;
	}
	return 0;
}

static int
emptyline(struct pos p)
{
	return L[p.y].len == 0;
}

static struct pos
word_fwd(struct pos p, long count, int big, int op)
{
	struct pos start = p;

	while (count-- > 0) {
		struct pos s = p;
		int k = charcls(p, big);
		if (k != 0) {
			while (charcls(p, big) == k && p.x < L[p.y].len)
				p.x++;
		}
		/* Blanks and line ends up to the next word; an empty line is one. */
		for (;;) {
			if (charcls(p, big) != 0)
				break;
			if (emptyline(p) && p.y != s.y)
				break;
			if (op && count == 0 && p.y != s.y)
				break;
			if (!next(&p)) {
				p.x = L[p.y].len;
				return p;
			}
		}
	}
	/* dw on the last word of a line stops at the line's end. */
	if (op && p.y > start.y && p.x <= nonblank(p.y)) {
		p.y--;
		p.x = L[p.y].len;
	}
	return p;
}

static struct pos
word_end(struct pos p, long count, int big)
{
	while (count-- > 0) {
		if (!next(&p))
			break;
		while (charcls(p, big) == 0)
			if (!next(&p))
				return p;
		int k = charcls(p, big);
		struct pos q = p;
		while (next(&q) && charcls(q, big) == k && q.y == p.y)
			p = q;
	}
	return p;
}

static struct pos
word_back(struct pos p, long count, int big)
{
	while (count-- > 0) {
		if (!prev(&p))
			break;
		while (charcls(p, big) == 0 && !(emptyline(p) && p.x == 0))
			if (!prev(&p))
				return p;
		int k = charcls(p, big);
		if (k == 0)
			continue;
		struct pos q = p;
		while (q.x > 0) {
			q.x--;
			if (charcls(q, big) != k)
				break;
			p = q;
		}
	}
	return p;
}

/* %: the bracket matching the one under (or after) the cursor. */
static int
matchpair(struct pos *to)
{
	static const char pairs[] = "()[]{}";
	struct pos p = cur;
	const char *at = NULL;

	while (p.x < L[p.y].len && (at = strchr(pairs, L[p.y].s[p.x])) == NULL)
		p.x++;
	if (p.x >= L[p.y].len || at == NULL)
		return -1;
	int i = (int)(at - pairs), open = i % 2 == 0;
	char me = pairs[i], other = pairs[open ? i + 1 : i - 1];
	int depth = 0;
	for (;;) {
		if (p.x < L[p.y].len) {
			char c = L[p.y].s[p.x];
			if (c == me)
				depth++;
			else if (c == other && --depth == 0) {
				*to = p;
				return 0;
			}
		}
		if (!(open ? next(&p) : prev(&p)))
			return -1;
	}
}

static int
findchar(int cmd, int ch, long count, struct pos *to)
{
	struct pos p = cur;
	const char *s = L[p.y].s;
	size_t len = L[p.y].len;

	while (count-- > 0) {
		size_t x = p.x;
		if (cmd == 'f' || cmd == 't') {
			size_t from = x + 1 + (cmd == 't' && x + 1 < len && s[x + 1] == ch ? 1 : 0);
			const char *q = from < len ? memchr(s + from, ch, len - from) : NULL;
			if (q == NULL)
				return -1;
			p.x = (size_t)(q - s);
		} else {
			size_t i = x;
			if (cmd == 'T' && i > 0 && s[i - 1] == ch)
				i--;
			while (i > 0 && s[i - 1] != ch)
				i--;
			if (i == 0)
				return -1;
			p.x = i - 1;
		}
	}
	if (cmd == 't')
		p.x--;
	else if (cmd == 'T')
		p.x++;
	*to = p;
	return 0;
}

/* The screen line H, M or L means. */
static size_t
screenline(int c, long count)
{
	size_t last = lastvisible();

	if (c == 'H')
		return top + (size_t)count - 1 > last ? last : top + (size_t)count - 1;
	if (c == 'L')
		return last >= top + (size_t)count - 1 ? last - ((size_t)count - 1) : top;
	return top + (last - top) / 2;
}

/*
 * Where motion c (with count) goes from the cursor; op is the operator
 * waiting for it, or 0.  -1 if it cannot move.
 */
static int
motion(int c, long count, int hascount, int op, struct mv *m)
{
	struct pos p = cur;
	size_t len = L[p.y].len;
	int k;

	m->linewise = m->inclusive = 0;
	switch (c) {
	case 'h': case K_LEFT: case CTRL('h'): case 0x7f:
		if (p.x == 0)
			return -1;
		p.x = p.x > (size_t)count ? p.x - (size_t)count : 0;
		break;
	case 'l': case K_RIGHT: case ' ':
		if (op ? p.x >= len : p.x + 1 >= len)
			return -1;
		p.x += (size_t)count;
		if (p.x > (op ? len : len - 1))
			p.x = op ? len : len - 1;
		break;
	case 'j': case K_DOWN: case CTRL('j'): case CTRL('n'):
		if (p.y + 1 >= nlines)
			return -1;
		p.y = p.y + (size_t)count < nlines ? p.y + (size_t)count : nlines - 1;
		m->linewise = 1;
		goto column;
	case 'k': case K_UP: case CTRL('p'):
		if (p.y == 0)
			return -1;
		p.y = p.y > (size_t)count ? p.y - (size_t)count : 0;
		m->linewise = 1;
	column:
		p.x = wantend ? (L[p.y].len > 0 ? L[p.y].len - 1 : 0) : col_to_byte(p.y, wantcol);
		break;
	case '+': case '\r':
		if (p.y + (size_t)count >= nlines)
			return -1;
		p.y += (size_t)count;
		p.x = nonblank(p.y);
		m->linewise = 1;
		break;
	case '-':
		if (p.y < (size_t)count)
			return -1;
		p.y -= (size_t)count;
		p.x = nonblank(p.y);
		m->linewise = 1;
		break;
	case '0': case K_HOME:
		p.x = 0;
		break;
	case '^':
		p.x = nonblank(p.y);
		break;
	case '$': case K_END:
		if (p.y + (size_t)count - 1 >= nlines)
			return -1;
		p.y += (size_t)count - 1;
		p.x = L[p.y].len > 0 ? L[p.y].len - 1 : 0;
		m->inclusive = 1;
		break;
	case '|':
		p.x = col_to_byte(p.y, (size_t)count - 1);
		break;
	case 'w': case 'W':
		p = word_fwd(p, count, c == 'W', op);
		break;
	case 'b': case 'B':
		p = word_back(p, count, c == 'B');
		if (p.y == cur.y && p.x == cur.x)
			return -1;
		break;
	case 'e': case 'E':
		p = word_end(p, count, c == 'E');
		m->inclusive = 1;
		break;
	case 'G':
		p.y = hascount ? (size_t)count - 1 : nlines - 1;
		if (p.y >= nlines)
			return -1;
		p.x = nonblank(p.y);
		m->linewise = 1;
		break;
	case 'H': case 'M': case 'L':
		p.y = screenline(c, count);
		p.x = nonblank(p.y);
		m->linewise = 1;
		break;
	case 'f': case 'F': case 't': case 'T':
		if ((k = getkey()) == ESC || k >= 0x100)
			return -1;
		findcmd = c;
		findch = k;
		if (findchar(c, k, count, &p) != 0)
			return -1;
		m->inclusive = c == 'f' || c == 't';
		break;
	case ';': case ',':
		if (findcmd == 0)
			return -1;
		k = findcmd;
		if (c == ',')
			k = k == 'f' ? 'F' : k == 'F' ? 'f' : k == 't' ? 'T' : 't';
		if (findchar(k, findch, count, &p) != 0)
			return -1;
		m->inclusive = k == 'f' || k == 't';
		break;
	case '%':
		if (matchpair(&p) != 0)
			return -1;
		m->inclusive = 1;
		break;
	case '/': case '?': {
		char *pat = readline_bottom(c);
		if (pat == NULL)
			return -1;
		/* A trailing delimiter is allowed: /pat/ */
		size_t n = strlen(pat);
		if (n > 0 && pat[n - 1] == c && (n < 2 || pat[n - 2] != '\\'))
			pat[n - 1] = '\0';
		lastdir = c;
		while (count-- > 0) {
			if (search(pat, c, p, &p, 0) != 0) {
				free(pat);
				return -1;
			}
		}
		free(pat);
		break;
	}
	case 'n': case 'N':
		if (search_next(c == 'N', count, &p) != 0)
			return -1;
		break;
	case '\'': case '`':
		k = getkey();
		if (k < 'a' || k > 'z' || marks[k - 'a'].y == SIZE_MAX) {
			emsg("Mark not set");
			return -1;
		}
		p = marks[k - 'a'];
		if (p.y >= nlines)
			p.y = nlines - 1;
		if (c == '\'') {
			p.x = nonblank(p.y);
			m->linewise = 1;
		} else if (p.x > L[p.y].len)
			p.x = L[p.y].len;
		break;
	case 'g':
		if ((k = getkey()) != 'g')
			return -1;
		p.y = hascount ? (size_t)count - 1 : 0;
		if (p.y >= nlines)
			return -1;
		p.x = nonblank(p.y);
		m->linewise = 1;
		break;
	default:
		return -1;
	}
	m->to = p;
	return 0;
}

static int
ismotion(int c)
{
	return strchr("hjkl +-0^$|wWbBeEGHMLfFtT;,%/?nN'`g\r", c) != NULL || c == K_LEFT ||
	    c == K_RIGHT || c == K_UP || c == K_DOWN || c == K_HOME || c == K_END ||
	    c == CTRL('h') || c == 0x7f || c == CTRL('n') || c == CTRL('p') || c == CTRL('j');
}

static int
poscmp(struct pos a, struct pos b)
{
	return a.y != b.y ? (a.y < b.y ? -1 : 1) : a.x != b.x ? (a.x < b.x ? -1 : 1) : 0;
}

/* Lines y1..y2 as register text, each with its newline. */
static char *
yank_lines(size_t y1, size_t y2, size_t *n)
{
	size_t tot = 0, k = 0;

	for (size_t y = y1; y <= y2; y++)
		tot += L[y].len + 1;
	char *t = xmalloc(tot + 1);
	for (size_t y = y1; y <= y2; y++) {
		memcpy(t + k, L[y].s, L[y].len);
		k += L[y].len;
		t[k++] = '\n';
	}
	t[k] = '\0';
	*n = k;
	return t;
}

static void insert(long, int);

/* d, c or y over the text from the cursor to m's end. */
static void
operate(int op, struct mv *m)
{
	struct pos a = cur, b = m->to;
	size_t n;

	if (poscmp(b, a) < 0) {
		struct pos t = a;
		a = b;
		b = t;
	}
	if (m->linewise) {
		reg_set(yank_lines(a.y, b.y, &n), n, 1);
		if (op == 'y') {
			cur.y = a.y;
			if (b.y > a.y)
				msg("%zu lines yanked", b.y - a.y + 1);
			return;
		}
		if (op == 'd') {
			line_delete(a.y, b.y - a.y + 1);
			if (b.y - a.y + 1 > 2)
				msg("%zu fewer lines", b.y - a.y + 1);
			cur.y = a.y;
			first_nonblank();
			return;
		}
		/* c: the lines become one empty line, with the first's indent. */
		size_t ind = nonblank(a.y);
		char *indent = xstrndup(L[a.y].s, ind);
		if (b.y > a.y)
			line_delete(a.y + 1, b.y - a.y);
		line_set(a.y, indent, ind);
		free(indent);
		cur.y = a.y;
		cur.x = ind;
		insert(1, 'c');
		return;
	}
	if (m->inclusive && b.x < L[b.y].len)
		b.x++;
	char *t = text_get(a, b, &n);
	reg_set(t, n, 0);
	cur = a;
	if (op == 'y')
		return;
	text_delete(a, b);
	if (op == 'c')
		insert(1, 'c');
}

/* Put the unnamed buffer after (p) or before (P) the cursor, count times. */
static void
put(int after, long count)
{
	if (regtext == NULL) {
		emsg("The default buffer is empty");
		return;
	}
	size_t tot = reglen * (size_t)count;
	char *t = xmalloc(tot + 1);
	for (long i = 0; i < count; i++)
		memcpy(t + (size_t)i * reglen, regtext, reglen);
	t[tot] = '\0';
	if (reglw) {
		size_t at = after ? cur.y + 1 : cur.y, y = at;
		const char *s = t, *e = t + tot;
		while (s < e) {
			const char *nl = memchr(s, '\n', (size_t)(e - s));
			size_t k = nl != NULL ? (size_t)(nl - s) : (size_t)(e - s);
			line_insert(y++, s, k);
			s += k + 1;
		}
		cur.y = at < nlines ? at : nlines - 1;
		first_nonblank();
	} else {
		struct pos p = cur, end;
		if (after && L[p.y].len > 0)
			p.x++;
		text_insert(p, t, tot, &end);
		if (memchr(t, '\n', tot) != NULL)
			cur = p;
		else
			cur.x = end.x > 0 ? end.x - 1 : 0;
	}
	free(t);
}

/* Insert mode until ESC; count repeats what was typed. */
static void
insert(long count, int how)
{
	char *typed = NULL;
	size_t ntyped = 0, cap = 0;
	int c;

	switch (how) {
	case 'a':
		if (L[cur.y].len > 0)
			cur.x++;
		break;
	case 'A':
		cur.x = L[cur.y].len;
		break;
	case 'I':
		cur.x = nonblank(cur.y);
		break;
	case 'o':
		line_insert(cur.y + 1, "", 0);
		cur.y++;
		cur.x = 0;
		break;
	case 'O':
		line_insert(cur.y, "", 0);
		cur.x = 0;
		break;
	}
	insmode = 1;
	for (;;) {
		char ch;
		refresh(0);
		c = getkey();
		if (c == ESC || c == CTRL('c'))
			break;
		switch (c) {
		case K_LEFT:
			if (cur.x > 0)
				cur.x--;
			ntyped = 0;
			continue;
		case K_RIGHT:
			if (cur.x < L[cur.y].len)
				cur.x++;
			ntyped = 0;
			continue;
		case K_UP: case K_DOWN:
			if (c == K_UP ? cur.y == 0 : cur.y + 1 >= nlines)
				continue;
			{
				size_t dc = display_col(cur.y, cur.x);
				cur.y = c == K_UP ? cur.y - 1 : cur.y + 1;
				cur.x = col_to_byte(cur.y, dc);
			}
			ntyped = 0;
			continue;
		case K_HOME:
			cur.x = 0;
			continue;
		case K_END:
			cur.x = L[cur.y].len;
			continue;
		case K_DEL:
			if (cur.x < L[cur.y].len) {
				struct pos e = { cur.y, cur.x + 1 };
				text_delete(cur, e);
			}
			continue;
		case '\b': case 0x7f: {
			struct pos b = cur;
			if (cur.x == 0) {
				if (cur.y == 0)
					continue;
				/* Back over the line break: join with the line above. */
				b.y--;
				b.x = L[b.y].len;
			} else {
				b.x--;
				while (b.x > 0 && ((unsigned char)L[b.y].s[b.x] & 0xc0) == 0x80)
					b.x--;
			}
			text_delete(b, cur);
			cur = b;
			if (ntyped > 0)
				ntyped--;
			continue;
		}
		case CTRL('w'): case CTRL('u'): {
			struct pos b = cur;
			if (c == CTRL('u'))
				b.x = 0;
			else {
				while (b.x > 0 && isspace((unsigned char)L[b.y].s[b.x - 1]))
					b.x--;
				int k = b.x > 0 ? charcls((struct pos){ b.y, b.x - 1 }, 0) : 0;
				while (b.x > 0 && charcls((struct pos){ b.y, b.x - 1 }, 0) == k)
					b.x--;
			}
			text_delete(b, cur);
			cur = b;
			ntyped = 0;
			continue;
		}
		case CTRL('v'):
			c = getkey();
			break;
		case '\r':
			c = '\n';
			break;
		}
		if (c >= 0x100)
			continue;
		ch = (char)c;
		text_insert(cur, &ch, 1, &cur);
		if (ntyped + 1 > cap)
			typed = xrealloc(typed, cap = cap * 2 + 64);
		typed[ntyped++] = ch;
	}
	for (long i = 1; i < count && ntyped > 0; i++) {
		if (how == 'o' || how == 'O') {
			line_insert(cur.y + 1, "", 0);
			cur.y++;
			cur.x = 0;
		}
		text_insert(cur, typed, ntyped, &cur);
	}
	free(typed);
	insmode = 0;
	if (cur.x > 0)
		cur.x--;
	clamp();
}

static void
join(long count)
{
	if (count < 2)
		count = 2;
	if (cur.y + 1 >= nlines) {
		beep();
		return;
	}
	for (long i = 1; i < count && cur.y + 1 < nlines; i++) {
		struct pos e = { cur.y, L[cur.y].len }, b = { cur.y + 1, nonblank(cur.y + 1) };
		int space = L[cur.y + 1].len > b.x && L[cur.y + 1].s[b.x] != ')' &&
		    e.x > 0 && L[cur.y].s[e.x - 1] != ' ' && L[cur.y].s[e.x - 1] != '\t';
		text_delete(e, b);
		if (space)
			text_insert(e, " ", 1, NULL);
		cur.x = e.x;
	}
}

static void
replace(long count)
{
	int c = getkey();

	if (c == ESC || c >= 0x100)
		return;
	if (cur.x + (size_t)count > L[cur.y].len) {
		beep();
		return;
	}
	struct pos e = { cur.y, cur.x + (size_t)count };
	if (c == '\r' || c == '\n') {
		text_delete(cur, e);
		text_insert(cur, "\n", 1, &cur);
		cur.x = 0;
		return;
	}
	char *t = xmalloc((size_t)count);
	memset(t, c, (size_t)count);
	text_delete(cur, e);
	text_insert(cur, t, (size_t)count, NULL);
	cur.x += (size_t)count - 1;
	free(t);
}

static void
tilde(long count)
{
	size_t len = L[cur.y].len;

	if (len == 0)
		return;
	char *s = xstrndup(L[cur.y].s, len);
	for (; count > 0 && cur.x < len; count--, cur.x++) {
		unsigned char c = (unsigned char)s[cur.x];
		s[cur.x] = (char)(islower(c) ? toupper(c) : isupper(c) ? tolower(c) : c);
	}
	line_set(cur.y, s, len);
	free(s);
}

static void
suspend(void)
{
	term_restore();
	kill(0, SIGTSTP);
	term_raw();
	screen_resize();
}

/* Scroll by n lines (^F ^B ^D ^U ^E ^Y): the cursor stays on the screen. */
static void
scrolllines(long n, int movecursor)
{
	if (n > 0) {
		size_t k = (size_t)n;
		top = top + k < nlines ? top + k : nlines - 1;
		if (movecursor)
			cur.y = cur.y + k < nlines ? cur.y + k : nlines - 1;
		if (cur.y < top)
			cur.y = top;
	} else {
		size_t k = (size_t)-n;
		top = top > k ? top - k : 0;
		if (movecursor)
			cur.y = cur.y > k ? cur.y - k : 0;
		size_t last = lastvisible();
		if (cur.y > last)
			cur.y = last;
	}
	first_nonblank();
}

/* Operator commands: the motion (or the operator again for lines) follows. */
static void
opcmd(int op, long count, int hascount)
{
	struct mv m;
	long c2count = 0;
	int c;

	while ((c = getkey()) >= '0' && c <= '9' && (c != '0' || c2count > 0))
		c2count = c2count * 10 + c - '0';
	if (c2count > 0) {
		count *= c2count;
		hascount = 1;
	}
	if (c == op) {
		if (cur.y + (size_t)count - 1 >= nlines) {
			beep();
			return;
		}
		m.to.y = cur.y + (size_t)count - 1;
		m.to.x = 0;
		m.linewise = 1;
		m.inclusive = 0;
		operate(op, &m);
		return;
	}
	if (c == ESC || !ismotion(c)) {
		beep();
		return;
	}
	/* cw on a word is ce. */
	if (op == 'c' && (c == 'w' || c == 'W') && charcls(cur, c == 'W') != 0) {
		int big = c == 'W';
		struct pos q = cur;
		for (long i = 0; i < count; i++) {
			if (i > 0) {
				q = word_end(q, 1, big);
				continue;
			}
			int k = charcls(q, big);
			struct pos r = q;
			while (next(&r) && r.y == q.y && charcls(r, big) == k)
				q = r;
		}
		m.to = q;
		m.linewise = 0;
		m.inclusive = 1;
		operate(op, &m);
		return;
	}
	if (motion(c, count, hascount, op, &m) != 0) {
		beep();
		return;
	}
	operate(op, &m);
}

static void
dot(long count, int hascount)
{
	if (ndot == 0) {
		beep();
		return;
	}
	static int *keys;
	char digits[32];
	long n = hascount ? count : dotcount;
	size_t nd = n > 1 ? (size_t)snprintf(digits, sizeof(digits), "%ld", n) : 0;

	free(keys);
	keys = xmalloc((nd + ndot) * sizeof(*keys));
	for (size_t i = 0; i < nd; i++)
		keys[i] = digits[i];
	memcpy(keys + nd, dotkeys, ndot * sizeof(*keys));
	if (hascount)
		dotcount = count;
	replay_keys(keys, nd + ndot);
	replaying = 1;
}

/* One command-mode command, its count already read. */
static void
command(int c, long count, int hascount)
{
	struct mv m;
	int k;

	switch (c) {
	case 'i': case 'a': case 'I': case 'A': case 'o': case 'O': case K_INS:
		insert(count, c == K_INS ? 'i' : c);
		return;
	case 'x': case K_DEL:
		if (L[cur.y].len == 0) {
			beep();
			return;
		}
		m.to = cur;
		m.to.x = cur.x + (size_t)count;
		if (m.to.x > L[cur.y].len)
			m.to.x = L[cur.y].len;
		m.linewise = m.inclusive = 0;
		operate('d', &m);
		return;
	case 'X':
		if (cur.x == 0) {
			beep();
			return;
		}
		m.to = cur;
		m.to.x = cur.x > (size_t)count ? cur.x - (size_t)count : 0;
		m.linewise = m.inclusive = 0;
		operate('d', &m);
		return;
	case 'D': case 'C':
		m.to.y = cur.y + (size_t)count - 1;
		if (m.to.y >= nlines)
			m.to.y = nlines - 1;
		m.to.x = L[m.to.y].len;
		m.linewise = m.inclusive = 0;
		operate(c == 'D' ? 'd' : 'c', &m);
		return;
	case 's':
		m.to = cur;
		m.to.x = cur.x + (size_t)count;
		if (m.to.x > L[cur.y].len)
			m.to.x = L[cur.y].len;
		m.linewise = m.inclusive = 0;
		operate('c', &m);
		return;
	case 'S': case 'Y':
		m.to.y = cur.y + (size_t)count - 1;
		if (m.to.y >= nlines)
			m.to.y = nlines - 1;
		m.to.x = 0;
		m.linewise = 1;
		m.inclusive = 0;
		operate(c == 'S' ? 'c' : 'y', &m);
		return;
	case 'd': case 'c': case 'y':
		opcmd(c, count, hascount);
		return;
	case 'p': case 'P':
		put(c == 'p', count);
		return;
	case 'r':
		replace(count);
		return;
	case 'J':
		join(count);
		return;
	case '~':
		tilde(count);
		return;
	case 'u':
		if (undo() != 0)
			emsg("No changes to undo");
		clamp();
		return;
	case CTRL('r'):
		if (redo() != 0)
			emsg("No changes to redo");
		clamp();
		return;
	case '.':
		dot(count, hascount);
		return;
	case '&':
		ex_command("s");
		return;
	case ':': {
		char *line = readline_bottom(':');
		if (line != NULL) {
			ex_command(line);
			free(line);
		}
		clamp();
		return;
	}
	case 'Z':
		k = getkey();
		if (k == 'Z')
			ex_command("x");
		else if (k == 'Q')
			ex_command("q!");
		else
			beep();
		return;
	case 'm':
		k = getkey();
		if (k < 'a' || k > 'z') {
			beep();
			return;
		}
		marks[k - 'a'] = cur;
		return;
	case CTRL('g'): {
		char b[600];
		snprintf(b, sizeof(b), "\"%s\"%s%s: line %zu of %zu [%zu%%]",
		    fname != NULL ? fname : "[No Name]", MODIFIED() ? " [Modified]" : "",
		    readonly ? " [Read-only]" : "", cur.y + 1, nlines, (cur.y + 1) * 100 / nlines);
		msg("%s", b);
		return;
	}
	case CTRL('l'):
		refresh(1);
		return;
	case CTRL('f'): case K_PGDN:
		scrolllines(count * (long)(textrows() > 2 ? textrows() - 2 : 1), 0);
		return;
	case CTRL('b'): case K_PGUP:
		scrolllines(-count * (long)(textrows() > 2 ? textrows() - 2 : 1), 0);
		return;
	case CTRL('d'):
		scrolllines(hascount ? count : (long)textrows() / 2, 1);
		return;
	case CTRL('u'):
		scrolllines(-(hascount ? count : (long)textrows() / 2), 1);
		return;
	case CTRL('e'):
		scrolllines(count, 0);
		return;
	case CTRL('y'):
		scrolllines(-count, 0);
		return;
	case 'z':
		k = getkey();
		if (k == '\r' || k == '\n')
			top = cur.y;
		else if (k == '.')
			top = cur.y > textrows() / 2 ? cur.y - textrows() / 2 : 0;
		else if (k == '-')
			top = cur.y > textrows() - 1 ? cur.y - (textrows() - 1) : 0;
		else
			beep();
		return;
	case CTRL('z'):
		suspend();
		return;
	case CTRL('c'):
		msg("Interrupted");
		return;
	case ESC:
		beep();
		return;
	}
	if (ismotion(c)) {
		if (motion(c, count, hascount, 0, &m) != 0) {
			beep();
			return;
		}
		cur = m.to;
		if (m.to.x >= L[cur.y].len && L[cur.y].len > 0)
			cur.x = L[cur.y].len - 1;
		if (c == '$' || c == K_END)
			wantend = 1;
		else if (!(c == 'j' || c == 'k' || c == K_UP || c == K_DOWN ||
		    c == CTRL('n') || c == CTRL('p') || c == CTRL('j'))) {
			wantend = 0;
			wantcol = display_col(cur.y, cur.x);
		}
		return;
	}
	beep();
}

static void
fatal(int sig)
{
	term_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
onwinch(int sig)
{
	winched = 1;
}

static void
signals(void)
{
	static const int die[] = { SIGHUP, SIGTERM, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = fatal;
	for (size_t i = 0; i < sizeof(die) / sizeof(die[0]); i++)
		sigaction(die[i], &sa, NULL);
	sa.sa_handler = onwinch;	/* no SA_RESTART: the key read returns to redraw */
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
}

int
main(int argc, char *argv[])
{
	const char *cmd = NULL;
	char m[600];
	int ch, ro = 0;

	while ((ch = getopt(argc, argv, "+Rc:")) != -1) {
		switch (ch) {
		case 'R':
			ro = 1;
			break;
		case 'c':
			cmd = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0 && argv[0][0] == '+') {
		cmd = argv[0][1] != '\0' ? argv[0] + 1 : "$";
		argc--;
		argv++;
	}
	if (argc > 1)
		usage();
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		errx(1, "standard %s is not a terminal", isatty(STDIN_FILENO) ? "output" : "input");
	for (int i = 0; i < 26; i++)
		marks[i].y = SIZE_MAX;
	signals();
	term_init();
	forcero = ro;
	int r = buf_load(argc > 0 ? argv[0] : NULL, m, sizeof(m));
	if (ro)
		readonly = 1;
	term_raw();
	if (r != 0)
		emsg("%s", m);
	else if (m[0] != '\0')
		msg("%s", m);
	if (cmd != NULL)
		ex_command(cmd);
	wantcol = 0;
	while (!done) {
		long count = 0;
		int hascount = 0, c;

		clamp();
		refresh(0);
		undo_begin();
		c = getkey();
		msg_clear();
		while ((c >= '1' && c <= '9') || (c == '0' && hascount)) {
			count = count * 10 + c - '0';
			if (count > 100000000)
				count = 100000000;
			hascount = 1;
			c = getkey();
		}
		if (!hascount)
			count = 1;
		int wasreplay = replaying;
		unsigned long before = stateid;
		record_start(c);
		command(c, count, hascount);
		record_stop();
		if (!wasreplay && c != '.' && c != 'u' && c != CTRL('r') && stateid != before) {
			size_t n;
			const int *k = record_get(&n);
			free(dotkeys);
			dotkeys = xmalloc(n * sizeof(*dotkeys));
			memcpy(dotkeys, k, n * sizeof(*dotkeys));
			ndot = n;
			dotcount = count;
		}
		if (wasreplay && c != '.')
			replaying = 0;
	}
	refresh(0);
	term_restore();
	buf_free();
	ex_done();
	return 0;
}
