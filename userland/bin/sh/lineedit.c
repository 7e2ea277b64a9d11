/*
 * A small emacs-style line editor for interactive shells: the terminal
 * goes raw while a line is being typed and back to its own modes before
 * the command runs.  Keys: arrows, Home/End/Delete, ^A ^E ^B ^F ^D ^H
 * ^K ^U ^W ^L ^P ^N, and ^C to abandon the line.  Plus the prompt's
 * backslash sequences and an in-memory history.
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "shell.h"

#define HISTMAX 500
#define LINEMAX 4096

static char *hist[HISTMAX];
static int nhist;

void
history_add(const char *line)
{
	if (*line == '\0' || (nhist > 0 && strcmp(hist[nhist - 1], line) == 0))
		return;
	if (nhist == HISTMAX) {
		free(hist[0]);
		memmove(hist, hist + 1, sizeof(hist[0]) * (HISTMAX - 1));
		nhist--;
	}
	hist[nhist++] = ckstrdup(line);
}

void
history_list(void)
{
	for (int i = 0; i < nhist; i++)
		printf("%5d  %s\n", i + 1, hist[i]);
}

int
historycmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	history_list();
	return 0;
}

/* ---- the prompt ---- */

char *
expandprompt(const char *ps)
{
	struct strbuf sb;
	char host[256];
	const char *pwd = lookupvar("PWD"), *home = lookupvar("HOME");

	sb_init(&sb);
	sb_addc(&sb, 0);
	sb.len = 0;
	for (const char *p = ps; *p; p++) {
		if (*p != '\\' || p[1] == '\0') {
			sb_addc(&sb, *p);
			continue;
		}
		switch (*++p) {
		case 'u': {
			struct passwd *pw = getpwuid(geteuid());
			const char *u = lookupvar("USER");

			sb_adds(&sb, pw ? pw->pw_name : u ? u : "?");
			break;
		}
		case 'h':
		case 'H':
			if (gethostname(host, sizeof(host)) != 0)
				strcpy(host, "localhost");
			host[sizeof(host) - 1] = '\0';
			if (*p == 'h')
				host[strcspn(host, ".")] = '\0';
			sb_adds(&sb, host);
			break;
		case 'w':
		case 'W':
			if (pwd == NULL)
				break;
			if (*p == 'W') {
				const char *slash = strrchr(pwd, '/');

				sb_adds(&sb, slash && slash[1] ? slash + 1 : pwd);
			} else if (home && *home && strncmp(pwd, home, strlen(home)) == 0 &&
			    (pwd[strlen(home)] == '/' || pwd[strlen(home)] == '\0') &&
			    strcmp(home, "/") != 0) {
				sb_addc(&sb, '~');
				sb_adds(&sb, pwd + strlen(home));
			} else {
				sb_adds(&sb, pwd);
			}
			break;
		case '$':
			sb_addc(&sb, geteuid() == 0 ? '#' : '$');
			break;
		case 'n':
			sb_addc(&sb, '\n');
			break;
		case '\\':
			sb_addc(&sb, '\\');
			break;
		default:
			sb_addc(&sb, '\\');
			sb_addc(&sb, *p);
			break;
		}
	}
	/* Parameter expansion, as POSIX asks; a failure leaves the text. */
	if (strpbrk(sb.s, "$`") != NULL) {
		struct jmploc jmp, *saved = handler;
		char *r = NULL;

		if (setjmp(jmp.buf) == 0) {
			handler = &jmp;
			r = ckstrdup(expandword(sb.s, 0));
		}
		handler = saved;
		if (r != NULL) {
			sb_free(&sb);
			return r;
		}
	}
	return sb.s;
}

/* ---- the editor ---- */

struct editor {
	char line[LINEMAX];
	size_t len, pos;
	const char *prompt;		/* last line of the prompt */
	int histpos;
	char saved[LINEMAX];		/* the line being typed, while browsing */
};

static void
put(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(2, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void
puts2(const char *s)
{
	put(s, strlen(s));
}

static void
refresh(struct editor *e)
{
	char seq[32];

	puts2("\r");
	puts2(e->prompt);
	put(e->line, e->len);
	puts2("\033[K");
	if (e->len > e->pos) {
		snprintf(seq, sizeof(seq), "\033[%zuD", e->len - e->pos);
		puts2(seq);
	}
}

static void
insert(struct editor *e, int c)
{
	if (e->len + 1 >= LINEMAX)
		return;
	memmove(e->line + e->pos + 1, e->line + e->pos, e->len - e->pos);
	e->line[e->pos++] = (char)c;
	e->len++;
	if (e->pos == e->len) {
		char ch = (char)c;

		put(&ch, 1);		/* the common case needs no redraw */
	} else {
		refresh(e);
	}
}

static void
delete_range(struct editor *e, size_t from, size_t to)
{
	memmove(e->line + from, e->line + to, e->len - to);
	e->len -= to - from;
	e->pos = from;
	refresh(e);
}

static void
sethistory(struct editor *e, int newpos)
{
	if (newpos < 0 || newpos > nhist)
		return;
	if (e->histpos == nhist) {
		memcpy(e->saved, e->line, e->len);
		e->saved[e->len] = '\0';
	}
	e->histpos = newpos;
	strncpy(e->line, newpos == nhist ? e->saved : hist[newpos], LINEMAX - 1);
	e->line[LINEMAX - 1] = '\0';
	e->len = e->pos = strlen(e->line);
	refresh(e);
}

static int
readkey(void)
{
	unsigned char c;

	for (;;) {
		ssize_t n = read(0, &c, 1);

		if (n == 1)
			return c;
		if (n < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

/* ESC [ ... or ESC O ...: the terminal's cursor keys. */
static int
escape(struct editor *e)
{
	int c = readkey(), num = 0;

	if (c == 'b' || c == 'f') {	/* M-b M-f: words */
		if (c == 'b') {
			while (e->pos > 0 && e->line[e->pos - 1] == ' ')
				e->pos--;
			while (e->pos > 0 && e->line[e->pos - 1] != ' ')
				e->pos--;
		} else {
			while (e->pos < e->len && e->line[e->pos] == ' ')
				e->pos++;
			while (e->pos < e->len && e->line[e->pos] != ' ')
				e->pos++;
		}
		refresh(e);
		return 0;
	}
	if (c != '[' && c != 'O')
		return 0;
	c = readkey();
	while (c >= '0' && c <= '9') {
		num = num * 10 + (c - '0');
		c = readkey();
	}
	while (c == ';' || (c >= '0' && c <= '9'))
		c = readkey();
	switch (c) {
	case 'A':
		sethistory(e, e->histpos - 1);
		break;
	case 'B':
		sethistory(e, e->histpos + 1);
		break;
	case 'C':
		if (e->pos < e->len) {
			e->pos++;
			puts2("\033[C");
		}
		break;
	case 'D':
		if (e->pos > 0) {
			e->pos--;
			puts2("\033[D");
		}
		break;
	case 'H':
		e->pos = 0;
		refresh(e);
		break;
	case 'F':
		e->pos = e->len;
		refresh(e);
		break;
	case '~':
		if (num == 3 && e->pos < e->len)
			delete_range(e, e->pos, e->pos + 1);
		else if (num == 1 || num == 7) {
			e->pos = 0;
			refresh(e);
		} else if (num == 4 || num == 8) {
			e->pos = e->len;
			refresh(e);
		}
		break;
	}
	return 0;
}

/* Returns the line with its newline, 0 at end of file. */
static ssize_t
edit(struct editor *e, char *buf, size_t size)
{
	for (;;) {
		int c = readkey();

		switch (c) {
		case -1:
			if (e->len == 0)
				return 0;
			goto done;
		case '\r':
		case '\n':
			goto done;
		case 4:			/* ^D */
			if (e->len == 0)
				return 0;
			if (e->pos < e->len)
				delete_range(e, e->pos, e->pos + 1);
			break;
		case 3:			/* ^C */
			puts2("^C");
			return -2;
		case 1:			/* ^A */
			e->pos = 0;
			refresh(e);
			break;
		case 5:			/* ^E */
			e->pos = e->len;
			refresh(e);
			break;
		case 2:			/* ^B */
			if (e->pos > 0) {
				e->pos--;
				puts2("\033[D");
			}
			break;
		case 6:			/* ^F */
			if (e->pos < e->len) {
				e->pos++;
				puts2("\033[C");
			}
			break;
		case 8:			/* ^H */
		case 127:		/* DEL */
			if (e->pos > 0)
				delete_range(e, e->pos - 1, e->pos);
			break;
		case 11:		/* ^K */
			e->len = e->pos;
			refresh(e);
			break;
		case 21:		/* ^U */
			delete_range(e, 0, e->pos);
			break;
		case 23: {		/* ^W */
			size_t p = e->pos;

			while (p > 0 && e->line[p - 1] == ' ')
				p--;
			while (p > 0 && e->line[p - 1] != ' ')
				p--;
			delete_range(e, p, e->pos);
			break;
		}
		case 12:		/* ^L */
			puts2("\033[H\033[2J");
			refresh(e);
			break;
		case 16:		/* ^P */
			sethistory(e, e->histpos - 1);
			break;
		case 14:		/* ^N */
			sethistory(e, e->histpos + 1);
			break;
		case 27:
			escape(e);
			break;
		default:
			if (c >= ' ' || c == '\t')
				insert(e, c);
			break;
		}
	}
done:
	e->pos = e->len;
	puts2("\r\n");
	if (e->len + 2 > size)
		e->len = size - 2;
	memcpy(buf, e->line, e->len);
	buf[e->len] = '\n';
	return (ssize_t)e->len + 1;
}

ssize_t
lineedit(const char *prompt, char *buf, size_t size)
{
	static struct editor ed;
	struct termios orig, raw;
	const char *nl = strrchr(prompt, '\n');
	ssize_t n;

	if (tcgetattr(0, &orig) < 0) {
		ssize_t r;

		puts2(prompt);
		r = read(0, buf, size);
		return r < 0 ? 0 : r;
	}
	raw = orig;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(ICRNL | IXON | INLCR);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(0, TCSADRAIN, &raw);
	puts2(prompt);
	memset(&ed, 0, sizeof(ed.len) + sizeof(ed.pos));
	ed.len = ed.pos = 0;
	ed.prompt = nl ? nl + 1 : prompt;
	ed.histpos = nhist;
	n = edit(&ed, buf, size);
	tcsetattr(0, TCSADRAIN, &orig);
	if (n == -2) {
		/* ^C abandons the whole command, even at a PS2 prompt. */
		intpending = 0;
		exitstatus = 130;
		exraise(EXINT);
	}
	return n;
}
