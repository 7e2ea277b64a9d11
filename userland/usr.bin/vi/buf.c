/*
 * vi: the text.  An array of lines (without their newlines), reading and
 * writing files, and undo as whole-buffer snapshots taken before the first
 * change of each command (editing configuration files, the copies are
 * cheap, and every level of undo comes for free).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vi.h"

struct line *L;
size_t nlines;
static size_t lcap;
struct pos cur;
char *fname;
int readonly;
int forcero;		/* -R */
int wantnl;			/* the file read had no trailing newline */
static int nolines;		/* the buffer is empty (shown as one empty line) */
unsigned long stateid, savedid;
static unsigned long nextid;

struct snap {
	struct line *l;
	size_t n;
	struct pos cur;
	int nolines;
	unsigned long id;
	size_t bytes;		/* what the copy costs */
};
#define UNDOMAX	200
#define UNDOBYTES (16 * 1024 * 1024)	/* a big file keeps fewer levels */
static struct snap undos[UNDOMAX], redos[UNDOMAX];
static int nundo, nredo;
static size_t undobytes;
static int saved;		/* a snapshot was taken for this command */

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		term_restore();
		err(1, NULL);
	}
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL) {
		term_restore();
		err(1, NULL);
	}
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void
grow(size_t want)
{
	if (want <= lcap)
		return;
	lcap = want < 64 ? 64 : want * 2;
	L = xrealloc(L, lcap * sizeof(*L));
}

static void
lines_free(struct line *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i].s);
	free(l);
}

void
buf_free(void)
{
	for (size_t i = 0; i < nlines; i++)
		free(L[i].s);
	nlines = 0;
	while (nundo > 0) {
		nundo--;
		lines_free(undos[nundo].l, undos[nundo].n);
	}
	while (nredo > 0) {
		nredo--;
		lines_free(redos[nredo].l, redos[nredo].n);
	}
	undobytes = 0;
}

/* An empty buffer: one empty line that is not written. */
void
buf_init(void)
{
	grow(1);
	L[0].s = xstrndup("", 0);
	L[0].len = 0;
	nlines = 1;
	nolines = 1;
	cur.y = cur.x = 0;
}

static void
appendline(const char *s, size_t n)
{
	grow(nlines + 1);
	L[nlines].s = xstrndup(s, n);
	L[nlines].len = n;
	nlines++;
}

static void
countmsg(char *m, size_t mlen, const char *name, size_t nl, size_t nc, const char *extra)
{
	snprintf(m, mlen, "\"%s\"%s %zu line%s, %zu character%s", name, extra,
	    nl, nl == 1 ? "" : "s", nc, nc == 1 ? "" : "s");
}

/* Read a file into lines appended to the buffer; -1 with errno. */
static int
readlines(int fd, size_t *nl, size_t *nc, int *incomplete)
{
	char *data = NULL, *p, *e;
	size_t cap = 0, len = 0;
	ssize_t r;

	for (;;) {
		if (cap - len < 65536)
			data = xrealloc(data, cap = cap * 2 + 65536);
		if ((r = read(fd, data + len, cap - len)) < 0) {
			if (errno == EINTR)
				continue;
			free(data);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	*nl = 0;
	*nc = len;
	*incomplete = len > 0 && data[len - 1] != '\n';
	for (p = data, e = data + len; p < e; (*nl)++) {
		char *q = memchr(p, '\n', (size_t)(e - p));
		size_t n = q != NULL ? (size_t)(q - p) : (size_t)(e - p);
		appendline(p, n);
		p += n + 1;
	}
	free(data);
	return 0;
}

/* Replace the buffer with a file's text (a new file if it does not exist). */
int
buf_load(const char *path, char *m, size_t mlen)
{
	struct stat st;
	size_t nl, nc;
	int fd, inc;

	buf_free();
	free(fname);
	fname = path != NULL ? xstrndup(path, strlen(path)) : NULL;
	readonly = 0;
	wantnl = 0;
	stateid = savedid = ++nextid;
	if (path == NULL) {
		buf_init();
		m[0] = '\0';
		return 0;
	}
	if ((fd = open(path, O_RDONLY)) < 0) {
		buf_init();
		if (errno == ENOENT) {
			snprintf(m, mlen, "\"%s\": new file", path);
			return 0;
		}
		snprintf(m, mlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		buf_init();
		snprintf(m, mlen, "\"%s\" is a directory", path);
		return -1;
	}
	if (readlines(fd, &nl, &nc, &inc) < 0) {
		snprintf(m, mlen, "%s: %s", path, strerror(errno));
		close(fd);
		buf_free();
		buf_init();
		return -1;
	}
	close(fd);
	readonly = forcero || (access(path, W_OK) != 0 && errno != ENOENT);
	wantnl = inc;
	if (nlines == 0)
		buf_init();
	else
		nolines = 0;
	cur.y = cur.x = 0;
	countmsg(m, mlen, path, nl, nc, readonly ? " [readonly]" :
	    inc ? " [Incomplete last line]" : "");
	return 0;
}

/* :r file: the file's lines after line `after` (SIZE_MAX: before the first). */
int
buf_readin(const char *path, size_t after, char *m, size_t mlen)
{
	struct line *save = L;
	size_t savn = nlines, savcap = lcap, nl, nc;
	int fd, inc, r;

	if ((fd = open(path, O_RDONLY)) < 0) {
		snprintf(m, mlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	L = NULL;
	nlines = lcap = 0;
	r = readlines(fd, &nl, &nc, &inc);
	close(fd);
	struct line *got = L;
	size_t gotn = nlines;
	L = save;
	nlines = savn;
	lcap = savcap;
	if (r < 0) {
		snprintf(m, mlen, "%s: %s", path, strerror(errno));
		lines_free(got, gotn);
		return -1;
	}
	undo_save();
	for (size_t i = 0; i < gotn; i++)
		line_insert(after == (size_t)-1 ? i : after + 1 + i, got[i].s, got[i].len);
	lines_free(got, gotn);
	countmsg(m, mlen, path, nl, nc, "");
	return 0;
}

/* Write lines from..to (inclusive) to path; the message says how much. */
int
buf_write(const char *path, size_t from, size_t to, int append, int force, char *m, size_t mlen)
{
	size_t nc = 0, nl = 0;
	int fd, whole = from == 0 && to == nlines - 1;
	FILE *fp;

	if (readonly && !force && fname != NULL && strcmp(path, fname) == 0) {
		snprintf(m, mlen, "Read-only file, not written; use ! to override");
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0666);
	if (fd < 0 && force && errno == EACCES) {
		/* :w! on a read-only file we own: make it writable for the write. */
		struct stat st;
		if (stat(path, &st) == 0 && chmod(path, st.st_mode | S_IWUSR) == 0) {
			fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0666);
			chmod(path, st.st_mode);
		}
	}
	if (fd < 0 || (fp = fdopen(fd, append ? "a" : "w")) == NULL) {
		snprintf(m, mlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!(whole && nolines)) {
		for (size_t i = from; i <= to; i++) {
			fwrite(L[i].s, 1, L[i].len, fp);
			putc('\n', fp);
			nc += L[i].len + 1;
			nl++;
		}
	}
	if (fclose(fp) != 0) {
		snprintf(m, mlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	countmsg(m, mlen, path, nl, nc, append ? " appended:" : "");
	if (append) {
		/* nvi: "file" appended: N lines, M characters */
		char *c = strstr(m, " appended:");
		if (c != NULL)
			memmove(c + 9, c + 10, strlen(c + 10) + 1);
	}
	return 0;
}

/* Lines from `from` on moved by `by` (negative: up); marks on lines [gone, from) are lost. */
static void
marks_shift(size_t gone, size_t from, long by)
{
	for (int i = 0; i < 26; i++) {
		if (marks[i].y == SIZE_MAX || marks[i].y < gone)
			continue;
		if (marks[i].y < from)
			marks[i].y = SIZE_MAX;
		else
			marks[i].y = (size_t)((long)marks[i].y + by);
	}
}

void
line_set(size_t y, const char *s, size_t n)
{
	char *p = xstrndup(s, n);

	undo_save();
	free(L[y].s);
	L[y].s = p;
	L[y].len = n;
	if (n > 0)
		nolines = 0;
}

void
line_insert(size_t at, const char *s, size_t n)
{
	undo_save();
	if (nolines && nlines == 1 && L[0].len == 0) {
		/* The placeholder line of an empty buffer becomes this one. */
		line_set(0, s, n);
		nolines = 0;
		return;
	}
	grow(nlines + 1);
	memmove(&L[at + 1], &L[at], (nlines - at) * sizeof(*L));
	L[at].s = xstrndup(s, n);
	L[at].len = n;
	nlines++;
	nolines = 0;
	marks_shift(at, at, 1);
}

void
line_delete(size_t y, size_t n)
{
	undo_save();
	if (y + n > nlines)
		n = nlines - y;
	for (size_t i = y; i < y + n; i++)
		free(L[i].s);
	memmove(&L[y], &L[y + n], (nlines - y - n) * sizeof(*L));
	nlines -= n;
	marks_shift(y, y + n, -(long)n);
	if (nlines == 0)
		buf_init();
}

/* Insert text (which may hold newlines) at p; *end is just past it. */
void
text_insert(struct pos p, const char *t, size_t n, struct pos *end)
{
	const char *nl = memchr(t, '\n', n);
	struct line *l = &L[p.y];
	char *tail;
	size_t taillen;

	undo_save();
	nolines = 0;
	if (nl == NULL) {
		char *s = xmalloc(l->len + n + 1);
		memcpy(s, l->s, p.x);
		memcpy(s + p.x, t, n);
		memcpy(s + p.x + n, l->s + p.x, l->len - p.x + 1);
		free(l->s);
		l->s = s;
		l->len += n;
		if (end != NULL)
			end->y = p.y, end->x = p.x + n;
		return;
	}
	tail = xstrndup(l->s + p.x, l->len - p.x);
	taillen = l->len - p.x;
	/* First piece joins the head of the line. */
	{
		size_t k = (size_t)(nl - t);
		char *s = xmalloc(p.x + k + 1);
		memcpy(s, l->s, p.x);
		memcpy(s + p.x, t, k);
		s[p.x + k] = '\0';
		free(l->s);
		l->s = s;
		l->len = p.x + k;
	}
	size_t y = p.y;
	const char *q = nl + 1, *e = t + n;
	for (;;) {
		const char *nx = memchr(q, '\n', (size_t)(e - q));
		size_t k = nx != NULL ? (size_t)(nx - q) : (size_t)(e - q);
		y++;
		if (nx == NULL) {
			char *s = xmalloc(k + taillen + 1);
			memcpy(s, q, k);
			memcpy(s + k, tail, taillen + 1);
			grow(nlines + 1);
			memmove(&L[y + 1], &L[y], (nlines - y) * sizeof(*L));
			L[y].s = s;
			L[y].len = k + taillen;
			nlines++;
			if (end != NULL)
				end->y = y, end->x = k;
			marks_shift(p.y + 1, p.y + 1, (long)(y - p.y));
			break;
		}
		grow(nlines + 1);
		memmove(&L[y + 1], &L[y], (nlines - y) * sizeof(*L));
		L[y].s = xstrndup(q, k);
		L[y].len = k;
		nlines++;
		q = nx + 1;
	}
	free(tail);
}

/* The text from a up to (not including) b, newlines between lines. */
char *
text_get(struct pos a, struct pos b, size_t *n)
{
	size_t cap = 64, len = 0;
	char *t = xmalloc(cap);

	for (size_t y = a.y; y <= b.y && y < nlines; y++) {
		size_t from = y == a.y ? a.x : 0;
		size_t to = y == b.y ? b.x : L[y].len;
		if (to > L[y].len)
			to = L[y].len;
		size_t k = to > from ? to - from : 0;
		if (len + k + 2 > cap)
			t = xrealloc(t, cap = (len + k + 2) * 2);
		memcpy(t + len, L[y].s + from, k);
		len += k;
		if (y < b.y)
			t[len++] = '\n';
	}
	t[len] = '\0';
	*n = len;
	return t;
}

/* Delete from a up to (not including) b; lines between are joined. */
void
text_delete(struct pos a, struct pos b)
{
	struct line *la = &L[a.y];
	size_t bx = b.y < nlines ? b.x : 0;
	const char *tail = b.y < nlines ? L[b.y].s + bx : "";
	size_t taillen = b.y < nlines ? L[b.y].len - bx : 0;
	char *s = xmalloc(a.x + taillen + 1);

	undo_save();
	memcpy(s, la->s, a.x);
	memcpy(s + a.x, tail, taillen);
	s[a.x + taillen] = '\0';
	if (b.y > a.y) {
		size_t last = b.y < nlines ? b.y : nlines - 1;
		for (size_t i = a.y + 1; i <= last; i++)
			free(L[i].s);
		memmove(&L[a.y + 1], &L[last + 1], (nlines - last - 1) * sizeof(*L));
		nlines -= last - a.y;
		marks_shift(a.y + 1, last + 1, -(long)(last - a.y));
	}
	free(L[a.y].s);
	L[a.y].s = s;
	L[a.y].len = a.x + taillen;
}

/* ---- undo ---- */

static void
snap_take(struct snap *s)
{
	s->l = xmalloc(nlines * sizeof(*s->l));
	s->bytes = nlines * (sizeof(*s->l) + 16);
	for (size_t i = 0; i < nlines; i++) {
		s->l[i].s = xstrndup(L[i].s, L[i].len);
		s->l[i].len = L[i].len;
		s->bytes += L[i].len;
	}
	s->n = nlines;
	s->cur = cur;
	s->nolines = nolines;
	s->id = stateid;
}

static void
snap_restore(struct snap *s)
{
	undobytes -= s->bytes;
	for (size_t i = 0; i < nlines; i++)
		free(L[i].s);
	free(L);
	L = s->l;
	nlines = lcap = s->n;
	cur = s->cur;
	nolines = s->nolines;
	stateid = s->id;
}

static void
dropoldest(struct snap *stack, int *n)
{
	undobytes -= stack[0].bytes;
	lines_free(stack[0].l, stack[0].n);
	memmove(&stack[0], &stack[1], (size_t)(*n - 1) * sizeof(*stack));
	(*n)--;
}

static void
push(struct snap *stack, int *n, struct snap *s)
{
	if (*n == UNDOMAX)
		dropoldest(stack, n);
	stack[(*n)++] = *s;
	undobytes += s->bytes;
	/* Over the budget: the oldest undo levels go first (the newest stays). */
	while (undobytes > UNDOBYTES && nundo > 1)
		dropoldest(undos, &nundo);
}

/* A new command: its first change takes a snapshot. */
void
undo_begin(void)
{
	saved = 0;
}

void
undo_save(void)
{
	struct snap s;

	if (saved)
		return;
	saved = 1;
	snap_take(&s);
	push(undos, &nundo, &s);
	while (nredo > 0) {
		nredo--;
		undobytes -= redos[nredo].bytes;
		lines_free(redos[nredo].l, redos[nredo].n);
	}
	stateid = ++nextid;
}

int
undo(void)
{
	struct snap s;

	if (nundo == 0)
		return -1;
	snap_take(&s);
	push(redos, &nredo, &s);
	snap_restore(&undos[--nundo]);
	return 0;
}

int
redo(void)
{
	struct snap s;

	if (nredo == 0)
		return -1;
	snap_take(&s);
	push(undos, &nundo, &s);
	snap_restore(&redos[--nredo]);
	return 0;
}
