/*
 * awk: records and fields, input (RS: one character, "" for paragraphs,
 * or a regular expression), the operands of the command line, and the
 * streams of redirections, getline and close.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "awk.h"

/* The record and its fields: each is rebuilt from the other on demand. */
static char	 emptyrec[1];
static char	*rec = emptyrec;
static size_t	 reclen, reccap;
static int	 rec_valid = 1;
static Cell	 reccell;
static int	 reccell_valid;
static Cell	*flds;		/* flds[1..nf] */
static int	 nf, fldcap;
static int	 fields_valid = 1;

static Cell uninit_field = { C_NUM | C_STR | C_STRNUM, 0, "" };

/* A buffered reader on a descriptor: records without stdio's blocking reads. */
typedef struct reader {
	int	 fd;
	char	*buf;
	size_t	 off, len, cap;
	int	 eof;
} Reader;

static void
rd_init(Reader *r, int fd)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->cap = 8192;
	r->buf = xmalloc(r->cap + 1);
	r->buf[0] = '\0';
}

static void
rd_free(Reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* More input; 0 at end of file. */
static int
rd_fill(Reader *r)
{
	ssize_t n;

	if (r->eof)
		return (0);
	if (r->off > 0) {
		memmove(r->buf, r->buf + r->off, r->len - r->off);
		r->len -= r->off;
		r->off = 0;
	}
	if (r->len + 4096 > r->cap) {
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap + 1);
	}
	do
		n = read(r->fd, r->buf + r->len, r->cap - r->len);
	while (n == -1 && errno == EINTR);
	if (n <= 0) {
		r->eof = 1;
		r->buf[r->len] = '\0';
		return (0);
	}
	r->len += n;
	r->buf[r->len] = '\0';
	return (1);
}

static void
take(char **out, size_t *outlen, const char *s, size_t n)
{
	*out = xrealloc(*out, n + 1);
	memcpy(*out, s, n);
	(*out)[n] = '\0';
	*outlen = n;
}

static regex_t *rs_re;
static char *rs_src;

/* The next record of r by RS; 1, or 0 at end of input. */
static int
rd_record(Reader *r, char **out, size_t *outlen)
{
	char sb[64];
	const char *rs = var_str(V_RS, sb, sizeof(sb));
	char *p;
	size_t scan = r->off;

	if (rs[0] == '\0') {
		/* paragraph mode: blank lines separate; leading newlines go */
		for (;;) {
			while (r->off < r->len && r->buf[r->off] == '\n')
				r->off++;
			if (r->off < r->len || !rd_fill(r))
				break;
		}
		if (r->off >= r->len)
			return (0);
		for (;;) {
			p = strstr(r->buf + r->off, "\n\n");
			if (p != NULL) {
				take(out, outlen, r->buf + r->off, p - (r->buf + r->off));
				r->off = p - r->buf;
				return (1);
			}
			if (!rd_fill(r))
				break;
		}
		size_t n = r->len - r->off;
		while (n > 0 && r->buf[r->off + n - 1] == '\n')
			n--;
		take(out, outlen, r->buf + r->off, n);
		r->off = r->len;
		return (1);
	}
	if (rs[1] == '\0') {
		for (;;) {
			p = memchr(r->buf + scan, rs[0], r->len - scan);
			if (p != NULL) {
				take(out, outlen, r->buf + r->off, p - (r->buf + r->off));
				r->off = p - r->buf + 1;
				return (1);
			}
			scan = r->len - r->off;
			if (!rd_fill(r))
				break;
			scan += r->off;
		}
	} else {
		regmatch_t m;
		if (rs_src == NULL || strcmp(rs_src, rs) != 0) {
			free(rs_src);
			rs_src = xstrdup(rs);
			rs_re = dyn_re(rs);
		}
		for (;;) {
			if (r->off < r->len &&
			    regexec(rs_re, r->buf + r->off, 1, &m, 0) == 0 &&
			    m.rm_eo > m.rm_so &&
			    (r->off + m.rm_eo < r->len || r->eof)) {
				take(out, outlen, r->buf + r->off, m.rm_so);
				r->off += m.rm_eo;
				return (1);
			}
			if (!rd_fill(r))
				break;
		}
	}
	if (r->off >= r->len)
		return (0);
	take(out, outlen, r->buf + r->off, r->len - r->off);
	r->off = r->len;
	return (1);
}

/* Main input: the operands in ARGV, or standard input. */
static Reader	 mainrd;
static int	 mainopen, argi = 1, sawfile;

static int
is_assignment(const char *s)
{
	const char *p = s;

	if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return (0);
	while (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= '0' && *p <= '9'))
		p++;
	return (*p == '=');
}

/* name=value from the command line or -v: escapes processed, a strnum. */
void
assign_operand(const char *s)
{
	const char *eq = strchr(s, '=');
	char *name = xmalloc(eq - s + 1), *val;

	memcpy(name, s, eq - s);
	name[eq - s] = '\0';
	val = unescape(eq + 1, 0);
	int idx = global_index(name);
	if (globals[idx].kind == V_ARRAY)
		fatal("can't assign to %s; it's an array name.", name);
	setvar_str(idx, val);
	free(name);
	free(val);
}

static int
open_next(void)
{
	char sb[512], kb[32];
	Cell *c;
	int argc, fd;

	for (;;) {
		argc = (int)getnum(&globals[V_ARGC].c);
		if (argi >= argc) {
			if (sawfile)
				return (0);
			sawfile = 1;
			rd_init(&mainrd, 0);
			setvar_str(V_FILENAME, "");
			return (1);
		}
		snprintf(kb, sizeof(kb), "%d", argi++);
		if (globals[V_ARGV].arr == NULL ||
		    (c = arr_get(globals[V_ARGV].arr, kb, 0)) == NULL)
			continue;
		const char *arg = getstr(c, sb, sizeof(sb), 0);
		if (arg[0] == '\0')
			continue;
		if (is_assignment(arg)) {
			char *a = xstrdup(arg);
			assign_operand(a);
			free(a);
			continue;
		}
		sawfile = 1;
		if (strcmp(arg, "-") == 0 || strcmp(arg, "/dev/stdin") == 0)
			fd = 0;
		else if ((fd = open(arg, O_RDONLY | O_CLOEXEC)) == -1)
			fatal("can't open file %s", arg);
		rd_init(&mainrd, fd);
		setvar_str(V_FILENAME, arg);
		return (1);
	}
}

void
nextfile(void)
{
	if (!mainopen)
		return;
	if (mainrd.fd > 0)
		close(mainrd.fd);
	rd_free(&mainrd);
	mainopen = 0;
}

/* The next record of the main input: 1, 0 at its end. */
int
next_main_record(char **buf, size_t *len)
{
	for (;;) {
		if (!mainopen) {
			if (!open_next())
				return (0);
			mainopen = 1;
			setvar_num(V_FNR, 0);
		}
		if (rd_record(&mainrd, buf, len)) {
			setvar_num(V_NR, getnum(&globals[V_NR].c) + 1);
			setvar_num(V_FNR, getnum(&globals[V_FNR].c) + 1);
			return (1);
		}
		nextfile();
	}
}

/* Records and fields. */

static void
drop_reccell(void)
{
	if (reccell_valid)
		cfree(&reccell);
	reccell_valid = 0;
}

void
set_record(const char *s, size_t n)
{
	if (n + 1 > reccap) {
		reccap = n + 1;
		rec = xrealloc(rec == emptyrec ? NULL : rec, reccap);
	}
	memcpy(rec, s, n);
	rec[n] = '\0';
	reclen = n;
	rec_valid = 1;
	fields_valid = 0;
	drop_reccell();
}

static void
add_field(const char *s, size_t n)
{
	char *t;

	if (nf + 2 > fldcap) {
		fldcap = fldcap ? fldcap * 2 : 32;
		flds = xrealloc(flds, fldcap * sizeof(*flds));
	}
	t = xmalloc(n + 1);
	memcpy(t, s, n);
	t[n] = '\0';
	nf++;
	flds[nf] = mkstrnum_own(t);
}

static void
clear_fields(void)
{
	int i;

	for (i = 1; i <= nf; i++)
		cfree(&flds[i]);
	nf = 0;
}

static regex_t *fs_re;
static char *fs_src;

/* Split s by fs (or the regex re) and call put for each piece. */
static int
split_with(const char *s, const char *fs, regex_t *re, int para,
    void (*put)(const char *, size_t, void *), void *arg)
{
	const char *p = s, *q;
	int n = 0;
	regmatch_t m;

	if (re == NULL && strcmp(fs, " ") == 0) {
		for (;;) {
			while (*p == ' ' || *p == '\t' || *p == '\n')
				p++;
			if (*p == '\0')
				break;
			q = p;
			while (*q && *q != ' ' && *q != '\t' && *q != '\n')
				q++;
			put(p, q - p, arg);
			n++;
			p = q;
		}
		return (n);
	}
	if (*s == '\0')
		return (0);
	if (re == NULL && fs[0] == '\0') {
		for (; *p; p++, n++)
			put(p, 1, arg);
		return (n);
	}
	if (re == NULL && fs[1] == '\0' && fs[0] != ' ') {
		for (;;) {
			q = p;
			while (*q && *q != fs[0] && !(para && *q == '\n'))
				q++;
			put(p, q - p, arg);
			n++;
			if (*q == '\0')
				break;
			p = q + 1;
		}
		return (n);
	}
	if (re == NULL) {
		if (fs_src == NULL || strcmp(fs_src, fs) != 0 || para) {
			free(fs_src);
			fs_src = xstrdup(fs);
			if (para) {
				char *t = xmalloc(strlen(fs) + 8);
				sprintf(t, "(%s)|\n", fs);
				fs_re = compile_re(t);
				free(t);
				free(fs_src);
				fs_src = NULL;
			} else
				fs_re = dyn_re(fs);
		}
		re = fs_re;
	}
	for (;;) {
		/* an empty match separates nothing */
		if (regexec(re, p, 1, &m, p != s ? REG_NOTBOL : 0) == 0 && m.rm_eo > m.rm_so) {
			put(p, m.rm_so, arg);
			n++;
			p += m.rm_eo;
		} else {
			put(p, strlen(p), arg);
			n++;
			break;
		}
	}
	return (n);
}

static void
put_field(const char *s, size_t n, void *arg)
{
	(void)arg;
	add_field(s, n);
}

static void
split_record(void)
{
	char sb[256], rb[8];
	const char *fs = var_str(V_FS, sb, sizeof(sb));
	int para = var_str(V_RS, rb, sizeof(rb))[0] == '\0';

	clear_fields();
	split_with(rec, fs, NULL, para, put_field, NULL);
	fields_valid = 1;
	setvar_num(V_NF, nf);
}

static void
fields_ok(void)
{
	if (!fields_valid) {
		if (!rec_valid)
			(void)get_record();
		split_record();
	}
}

struct splitarg {
	Array	*a;
	int	 i;
};

static void
put_elem(const char *s, size_t n, void *arg)
{
	struct splitarg *sa = arg;
	char key[32], *t = xmalloc(n + 1);
	Cell *c;

	memcpy(t, s, n);
	t[n] = '\0';
	snprintf(key, sizeof(key), "%d", ++sa->i);
	c = arr_get(sa->a, key, 1);
	cfree(c);
	*c = mkstrnum_own(t);
}

/* split(s, a, fs): fs a literal regex (re), a string, or FS. */
int
split_str(const char *s, Array *a, Node *re, const char *fs)
{
	struct splitarg sa = { a, 0 };
	char sb[256], rb[8];
	int para = 0;

	if (fs == NULL && re == NULL) {
		fs = var_str(V_FS, sb, sizeof(sb));
		para = var_str(V_RS, rb, sizeof(rb))[0] == '\0';
	}
	if (re != NULL)
		return (split_with(s, "", re->re, 0, put_elem, &sa));
	return (split_with(s, fs, NULL, para, put_elem, &sa));
}

const char *
get_record(void)
{
	char ob[64], buf[512];
	const char *ofs;
	size_t n = 0, l, ol;
	int i;

	if (rec_valid)
		return (rec);
	ofs = var_str(V_OFS, ob, sizeof(ob));
	ol = strlen(ofs);
	for (i = 1; i <= nf; i++) {
		const char *s = getstr(&flds[i], buf, sizeof(buf), 0);
		l = strlen(s);
		if (n + l + ol + 1 > reccap) {
			reccap = (n + l + ol + 1) * 2;
			rec = xrealloc(rec == emptyrec ? NULL : rec, reccap);
		}
		memcpy(rec + n, s, l);
		n += l;
		if (i < nf) {
			memcpy(rec + n, ofs, ol);
			n += ol;
		}
	}
	if (rec == emptyrec)
		rec = xmalloc(reccap = 16);
	rec[n] = '\0';
	reclen = n;
	rec_valid = 1;
	drop_reccell();
	return (rec);
}

Cell *
get_field(int i)
{
	if (i == 0) {
		if (!rec_valid || !reccell_valid) {
			const char *r = get_record();
			drop_reccell();
			reccell = mkstrnum(r);
			reccell_valid = 1;
		}
		return (&reccell);
	}
	fields_ok();
	if (i > nf)
		return (&uninit_field);
	return (&flds[i]);
}

void
set_field(int i, Cell c)
{
	char buf[512];

	if (i == 0) {
		const char *s = getstr(&c, buf, sizeof(buf), 0);
		char *t = xstrdup(s);
		set_record(t, strlen(t));
		free(t);
		cfree(&c);
		return;
	}
	fields_ok();
	while (nf < i)
		add_field("", 0);
	cfree(&flds[i]);
	/* a number stays a number: $3 = 1.5 prints by CONVFMT when $0 is rebuilt */
	flds[i] = c;
	rec_valid = 0;
	drop_reccell();
	setvar_num(V_NF, nf);
}

int
get_nf(void)
{
	fields_ok();
	return (nf);
}

void
set_nf(int n)
{
	fields_ok();
	if (n < 0)
		fatal("cannot set NF to a negative value");
	while (nf < n)
		add_field("", 0);
	while (nf > n)
		cfree(&flds[nf--]);
	rec_valid = 0;
	drop_reccell();
	setvar_num(V_NF, nf);
}

/* Dynamic regular expressions, cached by their text. */
#define NRECACHE 64
static struct {
	char	*src;
	regex_t	*re;
} recache[NRECACHE];
static int renext;

regex_t *
dyn_re(const char *s)
{
	int i;

	for (i = 0; i < NRECACHE; i++)
		if (recache[i].src != NULL && strcmp(recache[i].src, s) == 0)
			return (recache[i].re);
	i = renext;
	renext = (renext + 1) % NRECACHE;
	if (recache[i].src != NULL) {
		/* the cache's oldest goes; fs_re and rs_re may point at it */
		if (fs_re == recache[i].re) {
			free(fs_src);
			fs_src = NULL;
		}
		if (rs_re == recache[i].re) {
			free(rs_src);
			rs_src = NULL;
		}
		regfree(recache[i].re);
		free(recache[i].re);
		free(recache[i].src);
	}
	recache[i].src = xstrdup(s);
	recache[i].re = compile_re(s);
	return (recache[i].re);
}

/* Streams: output redirections and getline's files and commands. */
enum { K_FILE, K_PIPE_OUT, K_IN_FILE, K_IN_PIPE };

typedef struct stream {
	char	*name;
	int	 kind;
	FILE	*fp;
	Reader	 rd;
} Stream;

static Stream *streams;
static int nstreams;

static Stream *
find_stream(const char *name, int input)
{
	int i;

	for (i = 0; i < nstreams; i++)
		if (streams[i].name != NULL && strcmp(streams[i].name, name) == 0 &&
		    (streams[i].kind >= K_IN_FILE) == input)
			return (&streams[i]);
	return (NULL);
}

static Stream *
new_stream(const char *name, int kind)
{
	int i;

	for (i = 0; i < nstreams; i++)
		if (streams[i].name == NULL)
			break;
	if (i == nstreams) {
		streams = xrealloc(streams, (nstreams + 1) * sizeof(*streams));
		nstreams++;
	}
	memset(&streams[i], 0, sizeof(streams[i]));
	streams[i].name = xstrdup(name);
	streams[i].kind = kind;
	return (&streams[i]);
}

FILE *
out_stream(const char *name, int how)
{
	Stream *s;
	FILE *fp;

	if (strcmp(name, "/dev/stdout") == 0 || strcmp(name, "-") == 0)
		return (stdout);
	if (strcmp(name, "/dev/stderr") == 0)
		return (stderr);
	if ((s = find_stream(name, 0)) != NULL)
		return (s->fp);
	if (how == '|') {
		fflush(stdout);
		flush_stream(NULL);
		if ((fp = popen(name, "w")) == NULL)
			fatal("can't open pipe %s", name);
	} else if ((fp = fopen(name, how == T_APPEND ? "a" : "w")) == NULL)
		fatal("can't redirect to %s", name);
	s = new_stream(name, how == '|' ? K_PIPE_OUT : K_FILE);
	s->fp = fp;
	return (fp);
}

static int
close_one(Stream *s)
{
	int r = 0;

	switch (s->kind) {
	case K_FILE:
		r = fclose(s->fp) == 0 ? 0 : -1;
		break;
	case K_PIPE_OUT:
		r = pclose(s->fp);
		break;
	case K_IN_FILE:
		if (s->rd.fd > 0)
			close(s->rd.fd);
		rd_free(&s->rd);
		break;
	case K_IN_PIPE:
		rd_free(&s->rd);
		r = pclose(s->fp);
		break;
	}
	if (s->kind == K_PIPE_OUT || s->kind == K_IN_PIPE) {
		if (r != -1 && WIFEXITED(r))
			r = WEXITSTATUS(r);
		else if (r != -1 && WIFSIGNALED(r))
			r = 256 + WTERMSIG(r);
	}
	free(s->name);
	s->name = NULL;
	return (r);
}

int
close_stream(const char *name)
{
	Stream *s;
	int r = -1;

	if ((s = find_stream(name, 0)) != NULL)
		r = close_one(s);
	if ((s = find_stream(name, 1)) != NULL)
		r = close_one(s);
	return (r);
}

void
close_all(void)
{
	int i;

	fflush(stdout);
	for (i = 0; i < nstreams; i++)
		if (streams[i].name != NULL)
			close_one(&streams[i]);
}

int
flush_stream(const char *name)
{
	Stream *s;
	int i;

	if (name == NULL) {
		fflush(stdout);
		fflush(stderr);
		for (i = 0; i < nstreams; i++)
			if (streams[i].name != NULL && streams[i].kind < K_IN_FILE)
				fflush(streams[i].fp);
		return (0);
	}
	if (strcmp(name, "/dev/stdout") == 0)
		return (fflush(stdout));
	if (strcmp(name, "/dev/stderr") == 0)
		return (fflush(stderr));
	if ((s = find_stream(name, 0)) == NULL)
		return (-1);
	return (fflush(s->fp));
}

int
getline_file(const char *name, char **buf, size_t *len)
{
	Stream *s;
	int fd;

	if ((s = find_stream(name, 1)) == NULL) {
		if (strcmp(name, "-") == 0 || strcmp(name, "/dev/stdin") == 0)
			fd = 0;
		else if ((fd = open(name, O_RDONLY | O_CLOEXEC)) == -1)
			return (-1);
		s = new_stream(name, K_IN_FILE);
		rd_init(&s->rd, fd);
	}
	return (rd_record(&s->rd, buf, len));
}

int
getline_cmd(const char *cmd, char **buf, size_t *len)
{
	Stream *s;
	FILE *fp;

	if ((s = find_stream(cmd, 1)) == NULL) {
		flush_stream(NULL);
		if ((fp = popen(cmd, "r")) == NULL)
			return (-1);
		s = new_stream(cmd, K_IN_PIPE);
		s->fp = fp;
		rd_init(&s->rd, fileno(fp));
	}
	return (rd_record(&s->rd, buf, len));
}
