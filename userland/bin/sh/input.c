/*
 * Input: a stack of sources (the script or terminal, strings for -c, eval,
 * traps and command substitution, alias texts) read one character at a
 * time by the lexer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"

struct source {
	struct source *prev;
	int fd;				/* -1: a string */
	char *buf;
	size_t len, pos, cap;
	int eof;
	int interactive;
	int bytewise;			/* read stdin a byte at a time */
	char *alias;			/* alias being expanded */
	int savedline;
};

static struct source *cur;
static int lastwaseof;
static int lastc;
int plinno = 1;
int whichprompt;

/* Captures collect the characters of $(...) for later re-parsing. */
#define MAXCAPTURE 32
static struct strbuf *captures[MAXCAPTURE];
static int ncaptures;

void
capture_push(struct strbuf *sb)
{
	if (ncaptures == MAXCAPTURE)
		sh_error("command substitution nested too deeply");
	captures[ncaptures++] = sb;
}

void
capture_pop(void)
{
	ncaptures--;
}

static void
pushsource(struct source *s)
{
	s->prev = cur;
	cur = s;
}

void
setinputfd(int fd, int push)
{
	struct source *s = ckmalloc(sizeof(*s));

	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->interactive = Iflag && fd == 0;
	s->bytewise = fd == 0;
	s->savedline = plinno;
	if (!push)
		popallfiles();
	pushsource(s);
	plinno = 1;
}

void
setinputstring(const char *str, int push)
{
	struct source *s = ckmalloc(sizeof(*s));

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->buf = ckstrdup(str);
	s->len = strlen(str);
	s->savedline = plinno;
	if (!push)
		popallfiles();
	pushsource(s);
	plinno = 1;
}

/* Alias text is read in place of the alias name; lines keep counting. */
void
pushalias(const char *text, const char *name)
{
	struct source *s = ckmalloc(sizeof(*s));

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->buf = ckstrdup(text);
	s->len = strlen(text);
	s->alias = ckstrdup(name);
	pushsource(s);
}

int
alias_active(const char *name)
{
	for (struct source *s = cur; s != NULL && s->alias != NULL; s = s->prev)
		if (strcmp(s->alias, name) == 0)
			return 1;
	return 0;
}

static void
freesource(struct source *s)
{
	free(s->buf);
	free(s->alias);
	free(s);
}

void
popfile(void)
{
	struct source *s = cur;

	if (s == NULL)
		return;
	cur = s->prev;
	if (s->fd > 0 && s->alias == NULL)
		close(s->fd);
	if (s->alias == NULL)
		plinno = s->savedline;
	freesource(s);
}

void
popallfiles(void)
{
	while (cur != NULL)
		popfile();
}

int
input_depth(void)
{
	int n = 0;

	for (struct source *s = cur; s != NULL; s = s->prev)
		n++;
	return n;
}

int
input_interactive(void)
{
	return cur != NULL && cur->interactive;
}

static void
ensure(struct source *s, size_t n)
{
	if (s->cap < n) {
		s->cap = n < 1024 ? 1024 : n;
		s->buf = ckrealloc(s->buf, s->cap);
	}
}

/* Read a line from the terminal, with editing when it is a tty. */
static ssize_t
readinteractive(struct source *s)
{
	const char *ps = whichprompt == 2 ? lookupvar("PS2") : lookupvar("PS1");
	char *prompt;
	ssize_t n;

	if (whichprompt == 1)
		showjobs(1, 0);	/* "Done" notices come before the prompt */
	prompt = expandprompt(ps ? ps : "");
	ensure(s, 8192);
	if (isatty(0) && isatty(2)) {
		n = lineedit(prompt, s->buf, s->cap);
	} else {
		fputs(prompt, stderr);
		fflush(stderr);
		n = 0;
		while ((size_t)n < s->cap - 1) {
			ssize_t r = read(0, s->buf + n, 1);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			if (s->buf[n++] == '\n')
				break;
		}
	}
	free(prompt);
	if (n > 0) {
		whichprompt = 2;
		if (n > 1) {
			char *line = ststrndup(s->buf, (size_t)n - 1);

			history_add(line);
		}
	}
	return n;
}

static int
refill(struct source *s)
{
	ssize_t n;

	if (s->interactive) {
		n = readinteractive(s);
	} else if (s->bytewise) {
		/* Leave the rest of stdin to the commands the script runs. */
		ensure(s, 1024);
		n = 0;
		for (;;) {
			ssize_t r;

			if ((size_t)n == s->cap)
				ensure(s, s->cap * 2);
			r = read(s->fd, s->buf + n, 1);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			if (s->buf[n++] == '\n')
				break;
		}
	} else {
		ensure(s, 8192);
		do
			n = read(s->fd, s->buf, s->cap);
		while (n < 0 && errno == EINTR);
	}
	if (n <= 0) {
		s->eof = 1;
		return 0;
	}
	s->len = (size_t)n;
	s->pos = 0;
	if (Vflag) {
		(void)!write(2, s->buf, s->len);
	}
	return 1;
}

int
pgetc(void)
{
	int c;

	for (;;) {
		if (cur == NULL) {
			lastwaseof = 1;
			return EOF;
		}
		if (cur->pos < cur->len) {
			c = (unsigned char)cur->buf[cur->pos++];
			break;
		}
		if (cur->alias != NULL) {
			popfile();
			continue;
		}
		if (cur->fd < 0 || cur->eof || !refill(cur)) {
			lastwaseof = 1;
			return EOF;
		}
	}
	lastwaseof = 0;
	lastc = c;
	if (c == '\n')
		plinno++;
	for (int i = 0; i < ncaptures; i++)
		sb_addc(captures[i], c);
	return c;
}

/* Push back the last character read (only one). */
void
pungetc(void)
{
	if (lastwaseof || cur == NULL || cur->pos == 0)
		return;
	cur->pos--;
	if (lastc == '\n')
		plinno--;
	for (int i = 0; i < ncaptures; i++)
		if (captures[i]->len > 0)
			captures[i]->s[--captures[i]->len] = '\0';
}

/* After an error at the prompt, forget the rest of the line. */
void
input_flushline(void)
{
	for (struct source *s = cur; s != NULL; s = s->prev)
		if (s->interactive)
			s->pos = s->len;
}

/* How far the innermost string source has been read. */
size_t
input_stringpos(void)
{
	return cur ? cur->pos : 0;
}
