/*
 * awk: the interpreter.  Values are cells (number, string, or strnum: a
 * string from input that looks numeric and compares as a number); eval()
 * returns a cell the caller owns.  next, nextfile and exit unwind by
 * longjmp to the record loop; break, continue and return by status.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "awk.h"

int exitcode;

enum { X_NORMAL, X_BREAK, X_CONTINUE, X_RETURN };

typedef struct frame {
	Var	*locals;
	int	 n;
	Cell	 ret;
} Frame;

static Frame *frames;
static int nframes, maxframes;
static jmp_buf next_jmp, exit_jmp;
static int in_end;
static double seed = 1, prevseed = 1;

typedef struct buf {
	char	*s;
	size_t	 len, cap;
} Buf;

static void
bput(Buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
bputs(Buf *b, const char *s)
{
	bput(b, s, strlen(s));
}

/* Cells. */

Cell
mknum(double d)
{
	Cell c = { C_NUM, d, NULL };
	return (c);
}

Cell
mkstr(const char *s)
{
	Cell c = { C_STR, 0, xstrdup(s) };
	return (c);
}

static Cell
mkstr_own(char *s)
{
	Cell c = { C_STR, 0, s };
	return (c);
}

static Cell
mkuninit(void)
{
	Cell c = { C_NUM | C_STR | C_STRNUM, 0, xstrdup("") };
	return (c);
}

/* The longest prefix of s that is a decimal number (no hex, no inf/nan). */
static size_t
numprefix(const char *s, int *whole)
{
	const char *p = s, *q;
	int digits = 0;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
		p++;
	q = p;
	if (*p == '+' || *p == '-')
		p++;
	while (isdigit((unsigned char)*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits++;
		}
	}
	if (digits == 0) {
		*whole = 0;
		return (0);
	}
	if (*p == 'e' || *p == 'E') {
		const char *e = p + 1;
		if (*e == '+' || *e == '-')
			e++;
		if (isdigit((unsigned char)*e)) {
			while (isdigit((unsigned char)*e))
				e++;
			p = e;
		}
	}
	(void)q;
	size_t n = p - s;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
		p++;
	*whole = *p == '\0';
	return (n);
}

int
looks_numeric(const char *s)
{
	int whole;

	return (numprefix(s, &whole) > 0 && whole);
}

static double
str2num(const char *s)
{
	int whole;
	size_t n = numprefix(s, &whole);
	char tmp[128], *t;
	double d;

	if (n == 0)
		return (0);
	if (s[n] == '\0')
		return (strtod(s, NULL));
	t = n < sizeof(tmp) ? tmp : xmalloc(n + 1);
	memcpy(t, s, n);
	t[n] = '\0';
	d = strtod(t, NULL);
	if (t != tmp)
		free(t);
	return (d);
}

/*
 * A string from input, which compares as a number if it looks like one.
 * Most fields are never compared: the check waits until it is needed.
 */
Cell
mkstrnum_own(char *s)
{
	Cell c = { C_STR | C_CHECK, 0, s };

	return (c);
}

Cell
mkstrnum(const char *s)
{
	return (mkstrnum_own(xstrdup(s)));
}

static void
check_strnum(Cell *c)
{
	if (c->fl & C_CHECK) {
		c->fl &= ~C_CHECK;
		if (looks_numeric(c->s)) {
			c->fl |= C_NUM | C_STRNUM;
			c->num = str2num(c->s);
		}
	}
}

Cell
ccopy(const Cell *c)
{
	Cell r = *c;

	if (c->fl & C_STR)
		r.s = xstrdup(c->s);
	return (r);
}

void
cfree(Cell *c)
{
	if (c->fl & C_STR)
		free(c->s);
	c->s = NULL;
	c->fl = C_NUM;
}

double
getnum(Cell *c)
{
	if (!(c->fl & C_NUM)) {
		c->num = str2num(c->s);
		c->fl |= C_NUM;
	}
	return (c->num);
}

static const char *
fmtnum(double d, const char *fmt, char *buf, size_t size)
{
	if (isfinite(d) && d == trunc(d) && fabs(d) < 1e18)
		snprintf(buf, size, "%lld", (long long)d);
	else
		snprintf(buf, size, fmt, d);
	return (buf);
}

/* The string of a cell; numbers by CONVFMT, or OFMT when printing. */
const char *
getstr(Cell *c, char *buf, size_t size, int print)
{
	char fb[64];
	const char *fmt;

	if (c->fl & C_STR)
		return (c->s);
	fmt = var_str(print ? V_OFMT : V_CONVFMT, fb, sizeof(fb));
	return (fmtnum(c->num, fmt, buf, size));
}

static __attribute__((noinline)) char *
strdup_cell(Cell *c)
{
	char buf[512];

	return (xstrdup(getstr(c, buf, sizeof(buf), 0)));
}

static int
isnumeric(Cell *c)
{
	check_strnum(c);
	if (c->fl & C_STRNUM)
		return (1);
	return (!(c->fl & C_STR));
}

static int
truth(Cell *c)
{
	check_strnum(c);
	if (c->fl & C_STRNUM)
		return (getnum(c) != 0);
	if (c->fl & C_STR)
		return (c->s[0] != '\0');
	return (c->num != 0);
}

static __attribute__((noinline)) int
compare(Cell *a, Cell *b)
{
	char b1[512], b2[512];

	if (isnumeric(a) && isnumeric(b)) {
		double x = getnum(a), y = getnum(b);
		return (x < y ? -1 : x > y ? 1 : x == y ? 0 : 1);
	}
	return (strcoll(getstr(a, b1, sizeof(b1), 0), getstr(b, b2, sizeof(b2), 0)));
}

/* Arrays: hash tables of string keys. */

static unsigned
hash(const char *s, size_t size)
{
	unsigned h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (h % size);
}

Array *
arr_new(void)
{
	Array *a = xmalloc(sizeof(*a));

	a->size = 64;
	a->n = 0;
	a->tab = xmalloc(a->size * sizeof(*a->tab));
	memset(a->tab, 0, a->size * sizeof(*a->tab));
	return (a);
}

static void
arr_grow(Array *a)
{
	size_t nsize = a->size * 4, i;
	Elem **nt = xmalloc(nsize * sizeof(*nt)), *e, *next;

	memset(nt, 0, nsize * sizeof(*nt));
	for (i = 0; i < a->size; i++)
		for (e = a->tab[i]; e != NULL; e = next) {
			unsigned h = hash(e->key, nsize);
			next = e->next;
			e->next = nt[h];
			nt[h] = e;
		}
	free(a->tab);
	a->tab = nt;
	a->size = nsize;
}

Cell *
arr_get(Array *a, const char *key, int create)
{
	unsigned h = hash(key, a->size);
	Elem *e;

	for (e = a->tab[h]; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			return (&e->val);
	if (!create)
		return (NULL);
	if (a->n >= a->size * 2) {
		arr_grow(a);
		h = hash(key, a->size);
	}
	e = xmalloc(sizeof(*e));
	e->key = xstrdup(key);
	e->val = mkuninit();
	e->next = a->tab[h];
	a->tab[h] = e;
	a->n++;
	return (&e->val);
}

void
arr_del(Array *a, const char *key)
{
	Elem **ep, *e;

	for (ep = &a->tab[hash(key, a->size)]; (e = *ep) != NULL; ep = &e->next)
		if (strcmp(e->key, key) == 0) {
			*ep = e->next;
			free(e->key);
			cfree(&e->val);
			free(e);
			a->n--;
			return;
		}
}

void
arr_clear(Array *a)
{
	size_t i;
	Elem *e, *next;

	for (i = 0; i < a->size; i++) {
		for (e = a->tab[i]; e != NULL; e = next) {
			next = e->next;
			free(e->key);
			cfree(&e->val);
			free(e);
		}
		a->tab[i] = NULL;
	}
	a->n = 0;
}

size_t
arr_count(Array *a)
{
	return (a->n);
}

/* Variables. */

static Var *
getvar(Node *n)
{
	if (n->type == N_LVAR)
		return (&frames[nframes - 1].locals[n->idx]);
	return (&globals[n->idx]);
}

static Array *
var_array(Var *v)
{
	if (v->kind == V_SCALAR)
		fatal("can't use scalar %s as array", v->name);
	if (v->arr == NULL) {
		if (v->ref != NULL) {
			v->arr = var_array(v->ref);
			v->owned = 0;
		} else {
			v->arr = arr_new();
			v->owned = 1;
		}
	}
	v->kind = V_ARRAY;
	return (v->arr);
}

static Array *
node_array(Node *n)
{
	return (var_array(getvar(n)));
}

static void
var_assign(Var *v, Cell c, int idx)
{
	if (v->kind == V_ARRAY)
		fatal("can't assign to %s; it's an array name.", v->name);
	if (idx == V_NF && v == &globals[V_NF]) {
		set_nf((int)getnum(&c));
		cfree(&c);
		return;
	}
	v->kind = V_SCALAR;
	cfree(&v->c);
	v->c = c;
}

void
setvar_str(int idx, const char *s)
{
	var_assign(&globals[idx], mkstrnum(s), idx);
}

void
setvar_num(int idx, double d)
{
	Var *v = &globals[idx];

	v->kind = V_SCALAR;
	cfree(&v->c);
	v->c = mknum(d);
}

const char *
var_str(int idx, char *buf, size_t size)
{
	Cell *c = &globals[idx].c;

	if (c->fl & C_STR)
		return (c->s);
	return (fmtnum(c->num, "%.6g", buf, size));
}

/* The subscript of a[i, j]: its parts joined by SUBSEP. */
static __attribute__((noinline)) char *
subscript(Node *list)
{
	Buf b = { NULL, 0, 0 };
	char buf[512], sb[64];
	const char *subsep = NULL;
	Node *n;

	bput(&b, "", 0);
	for (n = list; n != NULL; n = n->next) {
		Cell c = eval(n);
		if (n != list) {
			if (subsep == NULL)
				subsep = var_str(V_SUBSEP, sb, sizeof(sb));
			bputs(&b, subsep);
		}
		bputs(&b, getstr(&c, buf, sizeof(buf), 0));
		cfree(&c);
	}
	return (b.s);
}

/* Lvalues, resolved once so that a[i++] += 1 evaluates i++ once. */
typedef struct lval {
	int	 type;
	Var	*var;
	int	 idx;
	Array	*arr;
	char	*key;
	int	 field;
} Lval;

static __attribute__((noinline)) int
field_index(Node *e)
{
	Cell c = eval(e);
	double d = getnum(&c);

	cfree(&c);
	if (d < 0 || d > 1e7)
		fatal("trying to access out of range field %d", (int)d);
	return ((int)d);
}

static Lval
resolve(Node *n)
{
	Lval lv;

	memset(&lv, 0, sizeof(lv));
	lv.type = n->type;
	switch (n->type) {
	case N_GVAR:
	case N_LVAR:
		lv.var = getvar(n);
		lv.idx = n->type == N_GVAR ? n->idx : -1;
		break;
	case N_FIELD:
		lv.field = field_index(n->a[0]);
		break;
	case N_INDEX:
		lv.arr = node_array(n->a[0]);
		lv.key = subscript(n->a[1]);
		break;
	default:
		fatal("illegal lvalue");
	}
	return (lv);
}

static Cell
lv_get(Lval *lv)
{
	switch (lv->type) {
	case N_FIELD:
		return (ccopy(get_field(lv->field)));
	case N_INDEX:
		return (ccopy(arr_get(lv->arr, lv->key, 1)));
	default:
		if (lv->var->kind == V_ARRAY)
			fatal("can't use array %s in scalar context", lv->var->name);
		if (lv->idx == V_NF)
			return (mknum(get_nf()));
		return (ccopy(&lv->var->c));
	}
}

/* Store c (consumed) into the lvalue. */
static void
lv_set(Lval *lv, Cell c)
{
	Cell *p;

	switch (lv->type) {
	case N_FIELD:
		set_field(lv->field, c);
		break;
	case N_INDEX:
		p = arr_get(lv->arr, lv->key, 1);
		cfree(p);
		*p = c;
		break;
	default:
		var_assign(lv->var, c, lv->idx);
	}
}

static void
lv_free(Lval *lv)
{
	free(lv->key);
}

/* Regular expressions: a literal's own, or a dynamic one from a string. */
static __attribute__((noinline)) regex_t *
node_re(Node *n)
{
	char buf[512];
	Cell c;
	regex_t *re;

	if (n->type == N_RE)
		return (n->re);
	c = eval(n);
	re = dyn_re(getstr(&c, buf, sizeof(buf), 0));
	cfree(&c);
	return (re);
}

static int
rematch(regex_t *re, const char *s)
{
	return (regexec(re, s, 0, NULL, 0) == 0);
}

/* printf and sprintf. */

static Node *
nextarg(Node **ap, const char *fmt)
{
	Node *n = *ap;

	if (n == NULL)
		fatal("not enough args in printf(%s)", fmt);
	*ap = n->next;
	return (n);
}

static void
put_utf8(Buf *b, unsigned long u)
{
	char s[5];
	size_t n = 0;

	if (u < 0x80 || MB_CUR_MAX == 1)
		s[n++] = (char)u;
	else if (u < 0x800) {
		s[n++] = (char)(0xc0 | (u >> 6));
		s[n++] = (char)(0x80 | (u & 0x3f));
	} else if (u < 0x10000) {
		s[n++] = (char)(0xe0 | (u >> 12));
		s[n++] = (char)(0x80 | ((u >> 6) & 0x3f));
		s[n++] = (char)(0x80 | (u & 0x3f));
	} else {
		s[n++] = (char)(0xf0 | ((u >> 18) & 7));
		s[n++] = (char)(0x80 | ((u >> 12) & 0x3f));
		s[n++] = (char)(0x80 | ((u >> 6) & 0x3f));
		s[n++] = (char)(0x80 | (u & 0x3f));
	}
	bput(b, s, n);
}

static char *
format(const char *fmt, Node *args, size_t *lenp)
{
	Buf b = { NULL, 0, 0 };
	char spec[64], tmp[512], *out;
	const char *p = fmt, *start;
	size_t sl, outsize;
	int n;

	bput(&b, "", 0);
	while (*p) {
		if (*p != '%') {
			start = p;
			while (*p && *p != '%')
				p++;
			bput(&b, start, p - start);
			continue;
		}
		if (p[1] == '%') {
			bput(&b, "%", 1);
			p += 2;
			continue;
		}
		start = p++;
		sl = 0;
		spec[sl++] = '%';
		while (*p && strchr("-+ #0'", *p) != NULL && sl < 40)
			spec[sl++] = *p++;
		if (*p == '*') {
			Cell c = eval(nextarg(&args, fmt));
			sl += snprintf(spec + sl, sizeof(spec) - sl, "%d", (int)getnum(&c));
			cfree(&c);
			p++;
		} else
			while (isdigit((unsigned char)*p) && sl < 50)
				spec[sl++] = *p++;
		if (*p == '.') {
			spec[sl++] = *p++;
			if (*p == '*') {
				Cell c = eval(nextarg(&args, fmt));
				sl += snprintf(spec + sl, sizeof(spec) - sl, "%d", (int)getnum(&c));
				cfree(&c);
				p++;
			} else
				while (isdigit((unsigned char)*p) && sl < 60)
					spec[sl++] = *p++;
		}
		while (*p && strchr("hlLqjzt", *p) != NULL)
			p++;
		if (*p == '\0') {
			bputs(&b, start);
			break;
		}
		char conv = *p++;
		if (strchr("diouxXeEfFgGaAcs", conv) == NULL) {
			/* not a conversion: copied as it is */
			bput(&b, start, p - start);
			continue;
		}
		Cell c = eval(nextarg(&args, fmt));
		out = tmp;
		outsize = sizeof(tmp);
		for (;;) {
			spec[sl] = '\0';
			switch (conv) {
			case 'd': case 'i':
				spec[sl] = 'l'; spec[sl + 1] = 'l'; spec[sl + 2] = 'd'; spec[sl + 3] = '\0';
				{
					double d = getnum(&c);
					long long v = isnan(d) ? 0 : d >= 9.2e18 ? (long long)9223372036854775807LL :
					    d <= -9.2e18 ? (long long)(-9223372036854775807LL - 1) : (long long)d;
					n = snprintf(out, outsize, spec, v);
				}
				break;
			case 'o': case 'u': case 'x': case 'X':
				spec[sl] = 'l'; spec[sl + 1] = 'l'; spec[sl + 2] = conv; spec[sl + 3] = '\0';
				{
					double d = getnum(&c);
					unsigned long long v = d < 0 ? (unsigned long long)(long long)d :
					    d >= 1.8e19 ? ~0ULL : (unsigned long long)d;
					n = snprintf(out, outsize, spec, v);
				}
				break;
			case 'c':
				spec[sl] = 's'; spec[sl + 1] = '\0';
				{
					Buf cb = { NULL, 0, 0 };
					bput(&cb, "", 0);
					if (isnumeric(&c) && !(c.fl & C_STR))
						put_utf8(&cb, (unsigned long)getnum(&c));
					else if (c.s[0] != '\0') {
						size_t l = 1;
						if (MB_CUR_MAX > 1 && ((unsigned char)c.s[0] & 0xc0) == 0xc0)
							while (((unsigned char)c.s[l] & 0xc0) == 0x80)
								l++;
						bput(&cb, c.s, l);
					}
					if (cb.len == 1 && cb.s[0] == '\0') {
						/* %c of 0: a NUL byte */
						n = snprintf(out, outsize, spec, "");
						if (n >= 0 && (size_t)n < outsize) {
							int w = n;
							/* the padding holds the NUL's place */
							if (w == 0) {
								out[0] = '\0';
								n = 1;
							} else if (spec[1] == '-') {
								memmove(out + 1, out, w);
								out[0] = '\0';
							} else
								out[w - 1] = '\0';
						}
					} else
						n = snprintf(out, outsize, spec, cb.s);
					free(cb.s);
				}
				break;
			case 's':
				spec[sl] = 's'; spec[sl + 1] = '\0';
				{
					char sb[512];
					n = snprintf(out, outsize, spec, getstr(&c, sb, sizeof(sb), 0));
				}
				break;
			default:
				spec[sl] = conv; spec[sl + 1] = '\0';
				n = snprintf(out, outsize, spec, getnum(&c));
				break;
			}
			if (n < 0)
				n = 0;
			if ((size_t)n < outsize)
				break;
			outsize = n + 1;
			out = out == tmp ? xmalloc(outsize) : xrealloc(out, outsize);
		}
		bput(&b, out, n);
		if (out != tmp)
			free(out);
		cfree(&c);
	}
	if (lenp != NULL)
		*lenp = b.len;
	return (b.s);
}

static __attribute__((noinline)) char *
sformat(Node *args, size_t *lenp)
{
	Cell f = eval(args);
	char *fmt = strdup_cell(&f), *s;

	cfree(&f);
	s = format(fmt, args->next, lenp);
	free(fmt);
	return (s);
}

/* sub and gsub: replace matches of re in *target; the number made. */
static int
substitute(regex_t *re, const char *repl, const char *target, int global, char **result)
{
	Buf b = { NULL, 0, 0 };
	regmatch_t m;
	size_t pos = 0, len = strlen(target), ms, me;
	long lastend = -1;
	int count = 0;
	const char *r;

	bput(&b, "", 0);
	while (pos <= len) {
		if (regexec(re, target + pos, 1, &m, pos > 0 ? REG_NOTBOL : 0) != 0)
			break;
		ms = pos + m.rm_so;
		me = pos + m.rm_eo;
		if (me == ms && (long)ms == lastend) {
			/* an empty match just after a match: not a new one */
			if (ms >= len)
				break;
			bput(&b, target + pos, ms - pos + 1);
			pos = ms + 1;
			continue;
		}
		bput(&b, target + pos, ms - pos);
		for (r = repl; *r; r++) {
			if (*r == '\\' && (r[1] == '&' || r[1] == '\\')) {
				bput(&b, ++r, 1);
			} else if (*r == '&')
				bput(&b, target + ms, me - ms);
			else
				bput(&b, r, 1);
		}
		count++;
		lastend = me;
		if (me == ms) {
			if (ms < len)
				bput(&b, target + ms, 1);
			pos = ms + 1;
		} else
			pos = me;
		if (!global)
			break;
	}
	if (pos < len)
		bput(&b, target + pos, len - pos);
	*result = b.s;
	return (count);
}

static Node *
argn(Node *n, int i)
{
	Node *a = n->a[0];

	while (i-- > 0 && a != NULL)
		a = a->next;
	return (a);
}

static __attribute__((noinline)) double
argnum(Node *n, int i)
{
	Cell c = eval(argn(n, i));
	double d = getnum(&c);

	cfree(&c);
	return (d);
}

static __attribute__((noinline)) char *
argstr(Node *n, int i)
{
	Cell c = eval(argn(n, i));
	char *s = strdup_cell(&c);

	cfree(&c);
	return (s);
}

static __attribute__((noinline)) Cell
do_substr(Node *n)
{
	char *s = argstr(n, 0);
	double len = (double)strlen(s), m = argnum(n, 1), end, start;
	Cell r;

	/* POSIX: characters from round(m) through round(m) + round(n) - 1 */
	start = round(m);
	if (isnan(start))
		start = len + 1;
	if (n->nargs > 2) {
		double cnt = argnum(n, 2);
		if (isnan(cnt))
			cnt = -1;
		end = start + round(cnt);
	} else
		end = len + 1;
	if (start < 1)
		start = 1;
	if (end > len + 1)
		end = len + 1;
	if (end <= start)
		r = mkstr("");
	else {
		s[(size_t)end - 1] = '\0';
		r = mkstr(s + (size_t)start - 1);
	}
	free(s);
	return (r);
}

static __attribute__((noinline)) Cell
do_split(Node *n)
{
	char *s = argstr(n, 0);
	Array *a;
	Node *fsn = argn(n, 2);
	int cnt;

	a = node_array(argn(n, 1));
	arr_clear(a);
	if (fsn == NULL)
		cnt = split_str(s, a, NULL, NULL);
	else if (fsn->type == N_RE)
		cnt = split_str(s, a, fsn, NULL);
	else {
		char *fs = argstr(n, 2);
		cnt = split_str(s, a, NULL, fs);
		free(fs);
	}
	free(s);
	return (mknum(cnt));
}

static __attribute__((noinline)) Cell
do_sub(Node *n, int global)
{
	regex_t *re = node_re(argn(n, 0));
	char *repl = argstr(n, 1), *result, buf[512];
	Node *tn = argn(n, 2);
	Lval lv;
	Cell t;
	int cnt;

	if (tn == NULL) {
		lv.type = N_FIELD;
		lv.field = 0;
		lv.key = NULL;
	} else
		lv = resolve(tn);
	t = lv_get(&lv);
	cnt = substitute(re, repl, getstr(&t, buf, sizeof(buf), 0), global, &result);
	if (cnt > 0)
		lv_set(&lv, mkstr_own(result));
	else
		free(result);
	cfree(&t);
	lv_free(&lv);
	free(repl);
	return (mknum(cnt));
}

static __attribute__((noinline)) Cell
do_match(Node *n)
{
	char *s = argstr(n, 0);
	regex_t *re = node_re(argn(n, 1));
	regmatch_t m;
	double start = 0, len = -1;

	if (regexec(re, s, 1, &m, 0) == 0) {
		start = m.rm_so + 1;
		len = m.rm_eo - m.rm_so;
	}
	free(s);
	setvar_num(V_RSTART, start);
	setvar_num(V_RLENGTH, len);
	return (mknum(start));
}

static int
status_of(int st)
{
	if (st == -1)
		return (-1);
	if (WIFEXITED(st))
		return (WEXITSTATUS(st));
	if (WIFSIGNALED(st))
		return (256 + WTERMSIG(st));
	return (st);
}

static __attribute__((noinline)) Cell
builtin(Node *n)
{
	Node *a0 = n->a[0];
	char *s, *p;
	double d;
	Cell c;

	switch (n->op) {
	case B_LENGTH:
		if (a0 == NULL)
			return (mknum((double)strlen(get_record())));
		if ((a0->type == N_GVAR || a0->type == N_LVAR) && getvar(a0)->kind == V_ARRAY)
			return (mknum((double)arr_count(node_array(a0))));
		if ((a0->type == N_GVAR || a0->type == N_LVAR) && getvar(a0)->kind == V_UNSET &&
		    getvar(a0)->ref != NULL && getvar(a0)->ref->kind == V_ARRAY)
			return (mknum((double)arr_count(node_array(a0))));
		s = argstr(n, 0);
		d = (double)strlen(s);
		free(s);
		return (mknum(d));
	case B_SUBSTR:
		return (do_substr(n));
	case B_INDEX: {
		char *t = argstr(n, 1);
		s = argstr(n, 0);
		p = strstr(s, t);
		d = p == NULL ? 0 : (double)(p - s + 1);
		free(s);
		free(t);
		return (mknum(d));
	}
	case B_SPLIT:
		return (do_split(n));
	case B_SUB:
	case B_GSUB:
		return (do_sub(n, n->op == B_GSUB));
	case B_MATCH:
		return (do_match(n));
	case B_SPRINTF:
		return (mkstr_own(sformat(a0, NULL)));
	case B_TOLOWER:
	case B_TOUPPER:
		s = argstr(n, 0);
		for (p = s; *p; p++)
			*p = n->op == B_TOLOWER ? tolower((unsigned char)*p) : toupper((unsigned char)*p);
		return (mkstr_own(s));
	case B_SIN: return (mknum(sin(argnum(n, 0))));
	case B_COS: return (mknum(cos(argnum(n, 0))));
	case B_ATAN2: d = argnum(n, 0); return (mknum(atan2(d, argnum(n, 1))));
	case B_EXP: return (mknum(exp(argnum(n, 0))));
	case B_LOG: return (mknum(log(argnum(n, 0))));
	case B_SQRT: return (mknum(sqrt(argnum(n, 0))));
	case B_INT: return (mknum(trunc(argnum(n, 0))));
	case B_RAND:
		return (mknum(random() / ((double)RAND_MAX + 1.0)));
	case B_SRAND:
		prevseed = seed;
		seed = a0 == NULL ? (double)time(NULL) : argnum(n, 0);
		srandom((unsigned long)seed);
		return (mknum(prevseed));
	case B_SYSTEM:
		s = argstr(n, 0);
		flush_stream(NULL);
		d = status_of(system(s));
		free(s);
		return (mknum(d));
	case B_CLOSE:
		s = argstr(n, 0);
		d = close_stream(s);
		free(s);
		return (mknum(d));
	case B_FFLUSH:
		if (a0 == NULL)
			return (mknum(flush_stream(NULL)));
		s = argstr(n, 0);
		d = flush_stream(s);
		free(s);
		return (mknum(d));
	}
	c = mkuninit();
	return (c);
}

static int exec(Node *);

/* Deep recursion: a clean error before the C stack runs out. */
static char *stack_base;
static size_t stack_room;

void
stack_init(char *base)
{
	struct rlimit rl;

	stack_base = base;
	stack_room = 8 << 20;
	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		stack_room = rl.rlim_cur;
	stack_room = stack_room > (1 << 20) ? stack_room - (512 << 10) : stack_room / 2;
}

static int
stack_exhausted(void)
{
	char here;

	return (stack_base != NULL && (size_t)(stack_base > &here ? stack_base - &here : &here - stack_base) > stack_room);
}

static Cell
call(Node *n)
{
	Func *f = &funcs[n->idx];
	Var *locals;
	Node *a;
	int i, nl = f->nparams > 0 ? f->nparams : 1, r;
	Cell ret;

	if (n->nargs > f->nparams)
		fatal("function %s called with %d args, uses only %d", f->name, n->nargs, f->nparams);
	locals = xmalloc(nl * sizeof(*locals));
	memset(locals, 0, nl * sizeof(*locals));
	for (i = 0, a = n->a[0]; i < f->nparams; i++) {
		Var *l = &locals[i];
		l->name = f->params[i];
		if (a != NULL && (a->type == N_GVAR || a->type == N_LVAR)) {
			Var *v = getvar(a);
			if (v->kind == V_ARRAY) {
				l->kind = V_ARRAY;
				l->arr = var_array(v);
			} else if (v->kind == V_UNSET) {
				l->ref = v;
				l->c = mkuninit();
			} else {
				l->kind = V_SCALAR;
				l->c = ccopy(&v->c);
				if (a->type == N_GVAR && a->idx == V_NF) {
					cfree(&l->c);
					l->c = mknum(get_nf());
				}
			}
		} else if (a != NULL) {
			l->kind = V_SCALAR;
			l->c = eval(a);
		} else
			l->c = mkuninit();
		if (a != NULL)
			a = a->next;
	}
	if (stack_exhausted())
		fatal("function call nesting too deep");
	if (nframes == maxframes) {
		maxframes = maxframes ? maxframes * 2 : 16;
		frames = xrealloc(frames, maxframes * sizeof(*frames));
	}
	frames[nframes].locals = locals;
	frames[nframes].n = f->nparams;
	frames[nframes].ret = mkuninit();
	nframes++;
	r = exec(f->body);
	(void)r;
	nframes--;
	ret = frames[nframes].ret;
	for (i = 0; i < f->nparams; i++) {
		cfree(&locals[i].c);
		if (locals[i].owned && locals[i].arr != NULL) {
			arr_clear(locals[i].arr);
			free(locals[i].arr->tab);
			free(locals[i].arr);
		}
	}
	free(locals);
	return (ret);
}

static __attribute__((noinline)) Cell
do_getline(Node *n)
{
	char *buf = NULL, sb[512];
	size_t len = 0;
	int r;
	Cell c;

	switch (n->op) {
	case G_PLAIN:
		r = next_main_record(&buf, &len);
		break;
	case G_FILE:
		c = eval(n->a[1]);
		r = getline_file(getstr(&c, sb, sizeof(sb), 0), &buf, &len);
		cfree(&c);
		break;
	default:
		c = eval(n->a[1]);
		r = getline_cmd(getstr(&c, sb, sizeof(sb), 0), &buf, &len);
		cfree(&c);
		if (r > 0)
			setvar_num(V_NR, getnum(&globals[V_NR].c) + 1);
		break;
	}
	if (r > 0) {
		if (n->a[0] == NULL)
			set_record(buf, len);
		else {
			Lval lv = resolve(n->a[0]);
			lv_set(&lv, mkstrnum(buf));
			lv_free(&lv);
		}
	}
	free(buf);
	return (mknum(r));
}

static Cell
arith(int op, double x, double y)
{
	switch (op) {
	case '+': return (mknum(x + y));
	case '-': return (mknum(x - y));
	case '*': return (mknum(x * y));
	case '/':
		if (y == 0)
			fatal("division by zero");
		return (mknum(x / y));
	case '%':
		if (y == 0)
			fatal("division by zero in %%");
		return (mknum(fmod(x, y)));
	default:
		/* integral exponents by multiplication, as awk always has */
		if (y == trunc(y) && fabs(y) < 1024) {
			double r = 1, b = x;
			long k = (long)fabs(y);
			while (k > 0) {
				if (k & 1)
					r *= b;
				b *= b;
				k >>= 1;
			}
			return (mknum(y < 0 ? 1 / r : r));
		}
		return (mknum(pow(x, y)));
	}
}

static int
match_record(regex_t *re)
{
	return (rematch(re, get_record()));
}

/*
 * The cases of eval that need string buffers live apart (noinline): eval
 * recurses with every awk function call, and its frame should stay small.
 */
static __attribute__((noinline)) Cell
eval_match(Node *n)
{
	char b1[512];
	regex_t *re;
	Cell a = eval(n->a[0]);
	int t;

	re = node_re(n->a[1]);
	t = rematch(re, getstr(&a, b1, sizeof(b1), 0));
	cfree(&a);
	return (mknum(n->type == N_MATCH ? t : !t));
}

static __attribute__((noinline)) Cell
eval_cmp(Node *n)
{
	Cell a = eval(n->a[0]), b = eval(n->a[1]);
	int t = compare(&a, &b);

	cfree(&a);
	cfree(&b);
	switch (n->op) {
	case '<': t = t < 0; break;
	case T_LE: t = t <= 0; break;
	case T_NE: t = t != 0; break;
	case T_EQ: t = t == 0; break;
	case '>': t = t > 0; break;
	default: t = t >= 0; break;
	}
	return (mknum(t));
}

static __attribute__((noinline)) Cell
eval_cat(Node *n)
{
	char b1[512], b2[512];
	Buf bb = { NULL, 0, 0 };
	Cell a = eval(n->a[0]), b = eval(n->a[1]);

	bputs(&bb, getstr(&a, b1, sizeof(b1), 0));
	bputs(&bb, getstr(&b, b2, sizeof(b2), 0));
	cfree(&a);
	cfree(&b);
	return (mkstr_own(bb.s));
}

Cell
eval(Node *n)
{
	Cell a, b, r;
	Lval lv;
	int t;

	switch (n->type) {
	case N_NUM:
		return (mknum(n->num));
	case N_STR:
		return (mkstr(n->str));
	case N_RE:
		return (mknum(match_record(n->re)));
	case N_GVAR:
	case N_LVAR:
	case N_FIELD:
	case N_INDEX:
		lv = resolve(n);
		r = lv_get(&lv);
		lv_free(&lv);
		return (r);
	case N_ASSIGN:
		lv = resolve(n->a[0]);
		b = eval(n->a[1]);
		if (n->op != 0) {
			a = lv_get(&lv);
			r = arith(n->op, getnum(&a), getnum(&b));
			cfree(&a);
			cfree(&b);
			b = r;
		}
		r = ccopy(&b);
		lv_set(&lv, b);
		lv_free(&lv);
		return (r);
	case N_COND:
		a = eval(n->a[0]);
		t = truth(&a);
		cfree(&a);
		return (eval(n->a[t ? 1 : 2]));
	case N_AND:
	case N_OR:
		a = eval(n->a[0]);
		t = truth(&a);
		cfree(&a);
		if (n->type == N_AND ? !t : t)
			return (mknum(t));
		a = eval(n->a[1]);
		t = truth(&a);
		cfree(&a);
		return (mknum(t));
	case N_NOT:
		a = eval(n->a[0]);
		t = !truth(&a);
		cfree(&a);
		return (mknum(t));
	case N_IN: {
		char *key = subscript(n->a[0]);
		t = arr_get(node_array(n->a[1]), key, 0) != NULL;
		free(key);
		return (mknum(t));
	}
	case N_MATCH:
	case N_NOMATCH:
		return (eval_match(n));
	case N_CMP:
		return (eval_cmp(n));
	case N_CAT:
		return (eval_cat(n));
	case N_ARITH:
		a = eval(n->a[0]);
		b = eval(n->a[1]);
		r = arith(n->op, getnum(&a), getnum(&b));
		cfree(&a);
		cfree(&b);
		return (r);
	case N_NEG:
	case N_PLUS:
		a = eval(n->a[0]);
		r = mknum(n->type == N_NEG ? -getnum(&a) : getnum(&a));
		cfree(&a);
		return (r);
	case N_PREINC:
	case N_PREDEC:
	case N_POSTINC:
	case N_POSTDEC: {
		double d;
		lv = resolve(n->a[0]);
		a = lv_get(&lv);
		d = getnum(&a);
		cfree(&a);
		lv_set(&lv, mknum(n->type == N_PREINC || n->type == N_POSTINC ? d + 1 : d - 1));
		lv_free(&lv);
		if (n->type == N_PREINC)
			return (mknum(d + 1));
		if (n->type == N_PREDEC)
			return (mknum(d - 1));
		return (mknum(d));
	}
	case N_CALL:
		return (call(n));
	case N_BUILTIN:
		return (builtin(n));
	case N_GETLINE:
		return (do_getline(n));
	case N_GROUP:
		if (n->nargs > 1)
			fatal("illegal statement: (...) list outside print at source line %d", n->lineno);
		return (eval(n->a[0]));
	}
	fatal("illegal node %d", n->type);
}

static __attribute__((noinline)) FILE *
redirect(Node *n)
{
	char buf[512];
	Cell c;
	FILE *fp;

	if (n->op == 0)
		return (stdout);
	c = eval(n->a[1]);
	fp = out_stream(getstr(&c, buf, sizeof(buf), 0), n->op);
	cfree(&c);
	return (fp);
}

static __attribute__((noinline)) void
do_print(Node *n)
{
	Buf b = { NULL, 0, 0 };
	char buf[512], sb[64];
	Node *a;
	FILE *fp;

	bput(&b, "", 0);
	if (n->a[0] == NULL)
		bputs(&b, get_record());
	for (a = n->a[0]; a != NULL; a = a->next) {
		Cell c = eval(a);
		if (a != n->a[0])
			bputs(&b, var_str(V_OFS, sb, sizeof(sb)));
		bputs(&b, getstr(&c, buf, sizeof(buf), 1));
		cfree(&c);
	}
	bputs(&b, var_str(V_ORS, sb, sizeof(sb)));
	fp = redirect(n);
	fwrite(b.s, 1, b.len, fp);
	if (fp == stdout && ferror(stdout))
		fatal("write error on stdout");
	free(b.s);
}

static __attribute__((noinline)) void
do_printf(Node *n)
{
	size_t len;
	char *s = sformat(n->a[0], &len);
	FILE *fp = redirect(n);

	/* printf "%c", 0 writes a NUL: by length, not as a C string */
	fwrite(s, 1, len, fp);
	if (fp == stdout && ferror(stdout))
		fatal("write error on stdout");
	free(s);
}

static int
test(Node *e)
{
	Cell c = eval(e);
	int t = truth(&c);

	cfree(&c);
	return (t);
}

/* Run a statement list; X_BREAK, X_CONTINUE, X_RETURN unwind to their loop or call. */
static int
exec(Node *n)
{
	int r;

	for (; n != NULL; n = n->next) {
		lineno = n->lineno;
		switch (n->type) {
		case S_EXPR: {
			Cell c = eval(n->a[0]);
			cfree(&c);
			break;
		}
		case S_PRINT:
			do_print(n);
			break;
		case S_PRINTF:
			do_printf(n);
			break;
		case S_BLOCK:
			if ((r = exec(n->a[0])) != X_NORMAL)
				return (r);
			break;
		case S_IF:
			if (test(n->a[0]))
				r = exec(n->a[1]);
			else
				r = exec(n->a[2]);
			if (r != X_NORMAL)
				return (r);
			break;
		case S_WHILE:
			while (test(n->a[0])) {
				r = exec(n->a[1]);
				if (r == X_BREAK)
					break;
				if (r == X_RETURN)
					return (r);
			}
			break;
		case S_DO:
			do {
				r = exec(n->a[1]);
				if (r == X_BREAK)
					break;
				if (r == X_RETURN)
					return (r);
			} while (test(n->a[0]));
			break;
		case S_FOR:
			if (n->a[0] != NULL)
				exec(n->a[0]);
			while (n->a[1] == NULL || test(n->a[1])) {
				r = exec(n->a[3]);
				if (r == X_BREAK)
					break;
				if (r == X_RETURN)
					return (r);
				if (n->a[2] != NULL)
					exec(n->a[2]);
			}
			break;
		case S_FORIN: {
			Array *arr = node_array(n->a[1]);
			size_t cnt = 0, i, k;
			char **keys = xmalloc((arr->n + 1) * sizeof(*keys));
			Elem *e;
			for (i = 0; i < arr->size; i++)
				for (e = arr->tab[i]; e != NULL; e = e->next)
					keys[cnt++] = xstrdup(e->key);
			r = X_NORMAL;
			for (k = 0; k < cnt; k++) {
				/* elements deleted meanwhile are skipped */
				if (arr_get(arr, keys[k], 0) == NULL)
					continue;
				Lval lv = resolve(n->a[0]);
				lv_set(&lv, mkstrnum(keys[k]));
				r = exec(n->a[2]);
				if (r == X_BREAK || r == X_RETURN)
					break;
				r = X_NORMAL;
			}
			for (k = 0; k < cnt; k++)
				free(keys[k]);
			free(keys);
			if (r == X_RETURN)
				return (r);
			break;
		}
		case S_BREAK:
			return (X_BREAK);
		case S_CONTINUE:
			return (X_CONTINUE);
		case S_NEXT:
			if (in_end || begins_running())
				fatal("next is illegal inside a function or BEGIN/END");
			longjmp(next_jmp, 1);
		case S_NEXTFILE:
			if (in_end || begins_running())
				fatal("nextfile is illegal inside BEGIN/END");
			nextfile();
			longjmp(next_jmp, 1);
		case S_EXIT:
			if (n->a[0] != NULL) {
				Cell c = eval(n->a[0]);
				exitcode = (int)getnum(&c);
				cfree(&c);
			}
			longjmp(exit_jmp, 1);
		case S_RETURN:
			{
				/* eval may call deeper and move frames: evaluate first */
				Cell rv = n->a[0] != NULL ? eval(n->a[0]) : mkuninit();
				cfree(&frames[nframes - 1].ret);
				frames[nframes - 1].ret = rv;
			}
			return (X_RETURN);
		case S_DELETE:
			if (n->a[1] == NULL)
				arr_clear(node_array(n->a[0]));
			else {
				char *key = subscript(n->a[1]);
				arr_del(node_array(n->a[0]), key);
				free(key);
			}
			break;
		}
	}
	return (X_NORMAL);
}

static int phase_begin;

int
begins_running(void)
{
	return (phase_begin);
}

static int
rule_matches(Rule *r)
{
	if (r->pat1 == NULL)
		return (1);
	if (r->pat2 == NULL)
		return (test(r->pat1));
	if (!r->inrange) {
		if (!test(r->pat1))
			return (0);
		r->inrange = !test(r->pat2);
		return (1);
	}
	if (test(r->pat2))
		r->inrange = 0;
	return (1);
}

static void
run_rules(void)
{
	Rule *r;

	for (r = rules; r != NULL; r = r->next) {
		if (!rule_matches(r))
			continue;
		if (r->action == NULL) {
			char sb[64];
			fputs(get_record(), stdout);
			fputs(var_str(V_ORS, sb, sizeof(sb)), stdout);
		} else
			exec(r->action);
	}
}

void
run_program(void)
{
	static char *buf;
	static size_t len;
	volatile int exiting = 0;
	Rule *volatile r;

	if (setjmp(exit_jmp) == 0) {
		phase_begin = 1;
		for (r = begins; r != NULL; r = r->next)
			exec(r->action);
		phase_begin = 0;
	} else {
		exiting = 1;
		nframes = 0;
	}
	phase_begin = 0;
	if (!exiting && (rules != NULL || ends != NULL)) {
		if (setjmp(exit_jmp) == 0) {
			setjmp(next_jmp);
			nframes = 0;
			while (next_main_record(&buf, &len) > 0) {
				set_record(buf, len);
				run_rules();
			}
		} else
			nframes = 0;
	}
	in_end = 1;
	if (setjmp(exit_jmp) == 0)
		for (r = ends; r != NULL; r = r->next)
			exec(r->action);
	nframes = 0;
}
