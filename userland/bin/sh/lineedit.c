/*
 * A small emacs-style line editor for interactive shells: the terminal
 * goes raw while a line is being typed and back to its own modes before
 * the command runs.  Keys: arrows, Home/End/Delete, ^A ^E ^B ^F ^D ^H
 * ^K ^U ^W ^L ^P ^N, and ^C to abandon the line.  Plus the prompt's
 * backslash sequences and an in-memory history.
 */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "shell.h"

#define HISTMAX 500

/* Names Tab offers for the first word besides the programs on PATH. */
static const char *const completion_builtins[] = {
	"alias", "bg", "cd", "command", "echo", "eval", "exec", "exit", "export",
	"fg", "getopts", "history", "jobs", "kill", "printf", "pwd", "read",
	"readonly", "set", "shift", "test", "trap", "type", "ulimit", "umask",
	"unalias", "unset", "wait", NULL,
};
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
	size_t plen;			/* its width on the screen */
	size_t cols;			/* terminal width */
	size_t crow;			/* cursor row, counted from the prompt's */
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

/* Columns the prompt takes: escape sequences take none. */
static size_t
promptwidth(const char *p)
{
	size_t n = 0;

	while (*p) {
		if (*p == '\033' && p[1] == '[') {
			for (p += 2; *p && !(*p >= '@' && *p <= '~'); p++)
				;
			if (*p)
				p++;
			continue;
		}
		if ((unsigned char)*p >= ' ' && ((unsigned char)*p & 0xc0) != 0x80)
			n++;
		p++;
	}
	return n;
}

/*
 * Redraw the prompt and the line, which may wrap over several rows: go up
 * to the prompt's row, rewrite everything, clear what is left below, and
 * put the cursor back where pos says.
 */
static void
refresh(struct editor *e)
{
	char seq[32];
	size_t end = e->plen + e->len, at = e->plen + e->pos, row;

	if (e->crow > 0) {
		snprintf(seq, sizeof(seq), "\033[%zuA", e->crow);
		puts2(seq);
	}
	puts2("\r");
	puts2(e->prompt);
	put(e->line, e->len);
	puts2("\033[J");
	/* At the right margin, wrap now rather than leave it pending. */
	if (e->len > 0 && end % e->cols == 0)
		puts2("\r\n");
	row = end / e->cols;
	if (row > at / e->cols) {
		snprintf(seq, sizeof(seq), "\033[%zuA", row - at / e->cols);
		puts2(seq);
	}
	puts2("\r");
	if (at % e->cols > 0) {
		snprintf(seq, sizeof(seq), "\033[%zuC", at % e->cols);
		puts2(seq);
	}
	e->crow = at / e->cols;
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
		if ((e->plen + e->pos) % e->cols == 0)
			puts2("\r\n");
		e->crow = (e->plen + e->pos) / e->cols;
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
			refresh(e);
		}
		break;
	case 'D':
		if (e->pos > 0) {
			e->pos--;
			refresh(e);
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

/* ---- Tab: complete a command name or a file name ---- */

struct matches {
	char **v;
	size_t n, cap;
};

static void
addmatch(struct matches *m, const char *s)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i], s) == 0)
			return;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->v = ckrealloc(m->v, sizeof(char *) * m->cap);
	}
	m->v[m->n++] = ckstrdup(s);
}

static int
cmpmatch(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Command names: builtins, functions are left out, programs on PATH. */
static void
findcommands(struct matches *m, const char *prefix)
{
	const char *path = lookupvar("PATH");
	size_t pl = strlen(prefix);

	for (int i = 0; completion_builtins[i]; i++)
		if (strncmp(completion_builtins[i], prefix, pl) == 0)
			addmatch(m, completion_builtins[i]);
	while (path && *path) {
		size_t dl = strcspn(path, ":");
		char dir[1024];
		DIR *d;
		struct dirent *de;

		snprintf(dir, sizeof(dir), "%.*s", (int)(dl ? dl : 1), dl ? path : ".");
		if ((d = opendir(dir)) != NULL) {
			while ((de = readdir(d)) != NULL)
				if (strncmp(de->d_name, prefix, pl) == 0 && de->d_name[0] != '.')
					addmatch(m, de->d_name);
			closedir(d);
		}
		path += dl;
		if (*path == ':')
			path++;
	}
}

static void
findfiles(struct matches *m, const char *prefix)
{
	char *pat = ckmalloc(strlen(prefix) + 2);
	glob_t g;

	strcpy(pat, prefix);
	strcat(pat, "*");
	if (glob(pat, GLOB_MARK, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			addmatch(m, g.gl_pathv[i]);
		globfree(&g);
	}
	free(pat);
}

static void
complete(struct editor *e)
{
	struct matches m = { NULL, 0, 0 };
	size_t start = e->pos, common, wl;
	int first = 1;
	char word[LINEMAX];

	while (start > 0 && !strchr(" \t;|&(", e->line[start - 1]))
		start--;
	/* The first word of a command: at the start, or after ; | & ( */
	for (size_t i = start; i > 0; i--) {
		int c = e->line[i - 1];

		if (c == ' ' || c == '\t')
			continue;
		first = strchr(";|&(", c) != NULL;
		break;
	}
	wl = e->pos - start;
	memcpy(word, e->line + start, wl);
	word[wl] = '\0';
	if (first && strchr(word, '/') == NULL)
		findcommands(&m, word);
	else
		findfiles(&m, word);
	if (m.n == 0) {
		puts2("\a");
		goto out;
	}
	qsort(m.v, m.n, sizeof(char *), cmpmatch);
	common = strlen(m.v[0]);
	for (size_t i = 1; i < m.n; i++) {
		size_t k = 0;

		while (k < common && m.v[i][k] == m.v[0][k])
			k++;
		common = k;
	}
	if (common > wl) {
		for (size_t k = wl; k < common && e->len + 1 < LINEMAX; k++) {
			memmove(e->line + e->pos + 1, e->line + e->pos, e->len - e->pos);
			e->line[e->pos++] = m.v[0][k];
			e->len++;
		}
		/* One match, not a directory: the word is finished. */
		if (m.n == 1 && m.v[0][common - 1] != '/' && e->len + 1 < LINEMAX) {
			memmove(e->line + e->pos + 1, e->line + e->pos, e->len - e->pos);
			e->line[e->pos++] = ' ';
			e->len++;
		}
		refresh(e);
	} else if (m.n > 1) {
		/* Nothing more in common: show the choices under the line. */
		size_t save = e->pos;

		e->pos = e->len;
		refresh(e);
		puts2("\r\n");
		for (size_t i = 0; i < m.n && i < 200; i++) {
			const char *name = m.v[i], *slash = strrchr(name, '/');

			if (slash && slash[1] == '\0') {
				/* a directory: show its last component with the slash */
				const char *p = name + strlen(name) - 1;

				while (p > name && p[-1] != '/')
					p--;
				name = p;
			} else if (slash) {
				name = slash + 1;
			}
			puts2(name);
			puts2(i + 1 < m.n ? "  " : "");
		}
		puts2("\r\n");
		e->crow = 0;
		e->pos = save;
		refresh(e);
	} else {
		puts2("\a");
	}
out:
	for (size_t i = 0; i < m.n; i++)
		free(m.v[i]);
	free(m.v);
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
				refresh(e);
			}
			break;
		case 6:			/* ^F */
			if (e->pos < e->len) {
				e->pos++;
				refresh(e);
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
			e->crow = 0;
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
		case '\t':
			complete(e);
			break;
		default:
			if (c >= ' ')
				insert(e, c);
			break;
		}
	}
done:
	if (e->pos != e->len) {
		e->pos = e->len;
		refresh(e);	/* to the last row before the newline */
	}
	/* A line that filled its last row has already moved down. */
	if (e->len == 0 || (e->plen + e->len) % e->cols != 0)
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
	struct winsize ws;
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
	ed.len = ed.pos = 0;
	ed.crow = 0;
	ed.prompt = nl ? nl + 1 : prompt;
	ed.plen = promptwidth(ed.prompt);
	ed.cols = ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
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
