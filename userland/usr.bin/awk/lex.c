/*
 * awk: the lexer.  The parser asks for a regular expression (lex_regex)
 * where it expects an operand and sees '/' or '/=': only it knows whether
 * a slash divides.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "awk.h"

static const char *src;
static size_t pos;

static const struct {
	const char *name;
	int tok, builtin;
} keywords[] = {
	{ "BEGIN", T_BEGIN, 0 }, { "END", T_END, 0 },
	{ "function", T_FUNCTION, 0 }, { "func", T_FUNCTION, 0 },
	{ "if", T_IF, 0 }, { "else", T_ELSE, 0 }, { "while", T_WHILE, 0 },
	{ "for", T_FOR, 0 }, { "do", T_DO, 0 }, { "break", T_BREAK, 0 },
	{ "continue", T_CONTINUE, 0 }, { "next", T_NEXT, 0 },
	{ "nextfile", T_NEXTFILE, 0 }, { "exit", T_EXIT, 0 },
	{ "return", T_RETURN, 0 }, { "delete", T_DELETE, 0 },
	{ "getline", T_GETLINE, 0 }, { "print", T_PRINT, 0 },
	{ "printf", T_PRINTF, 0 }, { "in", T_IN, 0 },
	{ "length", T_BUILTIN, B_LENGTH }, { "substr", T_BUILTIN, B_SUBSTR },
	{ "index", T_BUILTIN, B_INDEX }, { "split", T_BUILTIN, B_SPLIT },
	{ "sub", T_BUILTIN, B_SUB }, { "gsub", T_BUILTIN, B_GSUB },
	{ "match", T_BUILTIN, B_MATCH }, { "sprintf", T_BUILTIN, B_SPRINTF },
	{ "tolower", T_BUILTIN, B_TOLOWER }, { "toupper", T_BUILTIN, B_TOUPPER },
	{ "sin", T_BUILTIN, B_SIN }, { "cos", T_BUILTIN, B_COS },
	{ "atan2", T_BUILTIN, B_ATAN2 }, { "exp", T_BUILTIN, B_EXP },
	{ "log", T_BUILTIN, B_LOG }, { "sqrt", T_BUILTIN, B_SQRT },
	{ "int", T_BUILTIN, B_INT }, { "rand", T_BUILTIN, B_RAND },
	{ "srand", T_BUILTIN, B_SRAND }, { "system", T_BUILTIN, B_SYSTEM },
	{ "close", T_BUILTIN, B_CLOSE }, { "fflush", T_BUILTIN, B_FFLUSH },
};

/* Save and restore the lexer's position: the parser's two-token lookahead. */
void
lex_save(size_t *p, int *l)
{
	*p = pos;
	*l = lineno;
}

void
lex_restore(size_t p, int l)
{
	pos = p;
	lineno = l;
}

void
lex_init(const char *s)
{
	src = s;
	pos = 0;
	lineno = 1;
}

/* The source before offset at, for "context is" in messages. */
void
lex_context(size_t at, char *buf, size_t size)
{
	size_t start = at > 60 ? at - 60 : 0, n;

	while (start > 0 && start < at && src[start - 1] != '\n' && at - start < 200)
		start--;
	n = at - start;
	if (n >= size)
		n = size - 1;
	memcpy(buf, src + start, n);
	buf[n] = '\0';
}

/* The source text from offset at to the lexer's position: the current token. */
void
lex_tokentext(size_t at, char *buf, size_t size)
{
	size_t n = pos > at ? pos - at : 0;

	if (size == 0)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(buf, src + at, n);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
}

/* Backslash escapes of strings (and, with re set, regular expressions). */
char *
unescape(const char *s, int re)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	int n, v;

	while (*s) {
		if (*s != '\\' || s[1] == '\0') {
			*o++ = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': *o++ = '\n'; s++; break;
		case 't': *o++ = '\t'; s++; break;
		case 'r': *o++ = '\r'; s++; break;
		case 'f': *o++ = '\f'; s++; break;
		case 'b': *o++ = '\b'; s++; break;
		case 'v': *o++ = '\v'; s++; break;
		case 'a': *o++ = '\a'; s++; break;
		case '/': *o++ = '/'; s++; break;
		case '"': *o++ = '"'; s++; break;
		case '\\':
			if (re)
				*o++ = '\\';
			*o++ = '\\';
			s++;
			break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7':
			for (n = 0, v = 0; n < 3 && *s >= '0' && *s <= '7'; n++)
				v = v * 8 + *s++ - '0';
			if (re && strchr("\\^$.[]|()*+?{}", v) != NULL)
				*o++ = '\\';
			*o++ = (char)v;
			break;
		default:
			/* Unknown escapes keep their backslash: "\." stays a regex's \. */
			*o++ = '\\';
			*o++ = *s++;
			break;
		}
	}
	*o = '\0';
	return (out);
}

static void
skip_blanks(void)
{
	for (;;) {
		if (src[pos] == ' ' || src[pos] == '\t' || src[pos] == '\r')
			pos++;
		else if (src[pos] == '\\' && src[pos + 1] == '\n') {
			pos += 2;
			lineno++;
		} else if (src[pos] == '\\' && src[pos + 1] == '\r' && src[pos + 2] == '\n') {
			pos += 3;
			lineno++;
		} else if (src[pos] == '#') {
			while (src[pos] && src[pos] != '\n')
				pos++;
		} else
			return;
	}
}

static Token
mktok(int type, size_t start)
{
	Token t;

	memset(&t, 0, sizeof(t));
	t.type = type;
	t.lineno = lineno;
	t.pos = start;
	return (t);
}

static Token
lex_string(size_t start)
{
	size_t cap = 64, n = 0;
	char *buf = xmalloc(cap), *s;
	Token t;

	pos++;
	while (src[pos] != '"') {
		if (src[pos] == '\0' || src[pos] == '\n') {
			lineno += src[pos] == '\n';
			fatal("non-terminated string %.10s... at source line %d", buf, lineno);
		}
		if (n + 3 >= cap)
			buf = xrealloc(buf, cap *= 2);
		if (src[pos] == '\\' && src[pos + 1] == '\n') {
			pos += 2;
			lineno++;
			continue;
		}
		if (src[pos] == '\\' && src[pos + 1] != '\0')
			buf[n++] = src[pos++];
		buf[n++] = src[pos++];
	}
	pos++;
	buf[n] = '\0';
	s = unescape(buf, 0);
	free(buf);
	t = mktok(T_STRING, start);
	t.str = s;
	return (t);
}

/* A regular expression: the parser saw '/' (or "/=") just before pos. */
Token
lex_regex(void)
{
	size_t cap = 64, n = 0, start = pos;
	char *buf = xmalloc(cap);
	int bracket = 0;
	Token t;

	/* "/=" was taken for an operator: its '=' belongs to the expression. */
	if (pos > 0 && src[pos - 1] == '=' && pos > 1 && src[pos - 2] == '/')
		pos--;
	for (;;) {
		char c = src[pos];

		if (c == '\0' || c == '\n')
			fatal("non-terminated regular expression %.10s... at source line %d", buf, lineno);
		if (c == '/' && !bracket)
			break;
		if (n + 3 >= cap)
			buf = xrealloc(buf, cap *= 2);
		if (c == '\\' && src[pos + 1] != '\0') {
			buf[n++] = src[pos++];
			buf[n++] = src[pos++];
			continue;
		}
		/* Inside a bracket expression, '/' needs no escape. */
		if (c == '[' && !bracket) {
			bracket = 1;
			buf[n++] = src[pos++];
			if (src[pos] == '^')
				buf[n++] = src[pos++];
			if (src[pos] == ']')
				buf[n++] = src[pos++];
			continue;
		}
		if (c == ']' && bracket)
			bracket = 0;
		buf[n++] = src[pos++];
	}
	pos++;
	buf[n] = '\0';
	t = mktok(T_ERE, start);
	t.str = unescape(buf, 1);
	free(buf);
	return (t);
}

static Token
lex_number(size_t start)
{
	char *end;
	Token t = mktok(T_NUMBER, start);

	/* Decimal only: awk has no hex constants. */
	size_t p = pos;
	while (isdigit((unsigned char)src[p]))
		p++;
	if (src[p] == '.') {
		p++;
		while (isdigit((unsigned char)src[p]))
			p++;
	}
	if ((src[p] == 'e' || src[p] == 'E') &&
	    (isdigit((unsigned char)src[p + 1]) ||
	    ((src[p + 1] == '+' || src[p + 1] == '-') && isdigit((unsigned char)src[p + 2])))) {
		p += 2;
		while (isdigit((unsigned char)src[p]))
			p++;
	}
	char *tmp = xmalloc(p - pos + 1);
	memcpy(tmp, src + pos, p - pos);
	tmp[p - pos] = '\0';
	t.num = strtod(tmp, &end);
	t.str = tmp;
	pos = p;
	return (t);
}

Token
lex(void)
{
	size_t start;
	char c;
	Token t;
	size_t i;

	skip_blanks();
	start = pos;
	c = src[pos];
	if (c == '\0')
		return (mktok(T_EOF, start));
	if (c == '\n') {
		pos++;
		t = mktok(T_NEWLINE, start);
		lineno++;
		return (t);
	}
	if (c == '"')
		return (lex_string(start));
	if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)src[pos + 1])))
		return (lex_number(start));
	if (isalpha((unsigned char)c) || c == '_') {
		while (isalnum((unsigned char)src[pos]) || src[pos] == '_')
			pos++;
		char *name = xmalloc(pos - start + 1);
		memcpy(name, src + start, pos - start);
		name[pos - start] = '\0';
		for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
			if (strcmp(keywords[i].name, name) == 0) {
				t = mktok(keywords[i].tok, start);
				t.builtin = keywords[i].builtin;
				t.str = name;
				return (t);
			}
		t = mktok(src[pos] == '(' ? T_FUNC_NAME : T_NAME, start);
		t.str = name;
		return (t);
	}
	pos++;
#define TWO(ch, tok) if (src[pos] == (ch)) { pos++; return (mktok((tok), start)); }
	switch (c) {
	case '+': TWO('+', T_INCR); TWO('=', T_ADD_ASSIGN); break;
	case '-': TWO('-', T_DECR); TWO('=', T_SUB_ASSIGN); break;
	case '*':
		if (src[pos] == '*') {	/* ** and **= are ^ and ^= */
			pos++;
			TWO('=', T_POW_ASSIGN);
			return (mktok('^', start));
		}
		TWO('=', T_MUL_ASSIGN);
		break;
	case '/': TWO('=', T_DIV_ASSIGN); break;
	case '%': TWO('=', T_MOD_ASSIGN); break;
	case '^': TWO('=', T_POW_ASSIGN); break;
	case '=': TWO('=', T_EQ); break;
	case '!': TWO('=', T_NE); TWO('~', T_NOMATCH); break;
	case '<': TWO('=', T_LE); break;
	case '>': TWO('=', T_GE); TWO('>', T_APPEND); break;
	case '|': TWO('|', T_OR); break;
	case '&': TWO('&', T_AND); break;
	case '{': case '}': case '(': case ')': case '[': case ']':
	case ';': case ',': case '?': case ':': case '~': case '$':
		break;
	default:
		pos--;
		return (mktok(-1, start));
	}
#undef TWO
	return (mktok(c, start));
}
