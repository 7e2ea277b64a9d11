/*
 * The lexer: splits input into operators and words.  A word is kept as its
 * source text, quotes and all; the expander interprets it later.  The lexer
 * only has to find where each word ends, which for $(...) means parsing
 * the command inside (case patterns have unbalanced parentheses).
 */
#include <ctype.h>
#include <string.h>

#include "shell.h"

char *tokword;
int tokquoted;
enum rtype tokrtype;
int tokrfd;
int checkkwd;

struct node *parse_subst(void);

/* Here-documents wait for the next newline. */
struct heredoc {
	struct heredoc *next;
	struct redir *r;
	char *delim;
};
static struct heredoc *pending;

static void scan_dollar(struct strbuf *);
static void scan_backquote(struct strbuf *);

void
heredoc_add(struct redir *r, const char *rawdelim)
{
	struct heredoc *h = stalloc(sizeof(*h)), **pp;
	struct strbuf d;
	int quoted = 0;

	/* The delimiter is the word after quote removal. */
	sb_init(&d);
	sb_addc(&d, 0);
	d.len = 0;
	for (const char *p = rawdelim; *p; p++) {
		if (*p == '\'' || *p == '"') {
			quoted = 1;
			continue;
		}
		if (*p == '\\' && p[1]) {
			quoted = 1;
			p++;
		}
		sb_addc(&d, *p);
	}
	h->r = r;
	h->delim = ststrdup(d.s);
	sb_free(&d);
	r->quoted = quoted;
	h->next = NULL;
	for (pp = &pending; *pp; pp = &(*pp)->next)
		;
	*pp = h;
}

static void
readheredocs(void)
{
	while (pending != NULL) {
		struct heredoc *h = pending;
		struct strbuf body, line;
		int strip = h->r->type == R_HERESTRIP;
		int c;

		pending = h->next;
		sb_init(&body);
		sb_addc(&body, 0);
		body.len = 0;
		for (;;) {
			sb_init(&line);
			sb_addc(&line, 0);
			line.len = 0;
			c = pgetc();
			if (strip)
				while (c == '\t')
					c = pgetc();
			while (c != '\n' && c != EOF) {
				sb_addc(&line, c);
				c = pgetc();
			}
			if (strcmp(line.s, h->delim) == 0 || (c == EOF && line.len == 0)) {
				sb_free(&line);
				break;
			}
			sb_adds(&body, line.s);
			sb_addc(&body, '\n');
			sb_free(&line);
			if (c == EOF)
				break;
		}
		h->r->target = ststrdup(body.s);
		sb_free(&body);
	}
}

/* Save and restore the here-docs pending around a nested parse. */
void *
heredoc_save(void)
{
	void *p = pending;

	pending = NULL;
	return p;
}

void
heredoc_restore(void *p)
{
	pending = p;
}

void
lex_reset(void)
{
	pending = NULL;
}

static void
scan_squote(struct strbuf *w)
{
	int c;

	while ((c = pgetc()) != '\'') {
		if (c == EOF)
			sh_error("%d: Syntax error: Unterminated quoted string", plinno);
		sb_addc(w, c);
	}
	sb_addc(w, c);
}

static void
scan_dquote(struct strbuf *w)
{
	int c;

	for (;;) {
		c = pgetc();
		if (c == EOF)
			sh_error("%d: Syntax error: Unterminated quoted string", plinno);
		sb_addc(w, c);
		if (c == '"')
			return;
		if (c == '\\') {
			c = pgetc();
			if (c == EOF)
				continue;
			sb_addc(w, c);
		} else if (c == '$') {
			scan_dollar(w);
		} else if (c == '`') {
			scan_backquote(w);
		}
	}
}

static void
scan_backquote(struct strbuf *w)
{
	int c;

	for (;;) {
		c = pgetc();
		if (c == EOF)
			sh_error("%d: Syntax error: EOF in backquote substitution", plinno);
		sb_addc(w, c);
		if (c == '`')
			return;
		if (c == '\\') {
			c = pgetc();
			if (c != EOF)
				sb_addc(w, c);
		}
	}
}

/* ${...}: up to the matching brace; quotes and substitutions may nest. */
static void
scan_brace(struct strbuf *w)
{
	int c;

	for (;;) {
		c = pgetc();
		if (c == EOF)
			sh_error("%d: Syntax error: Missing '}'", plinno);
		sb_addc(w, c);
		switch (c) {
		case '}':
			return;
		case '\\':
			c = pgetc();
			if (c != EOF)
				sb_addc(w, c);
			break;
		case '\'':
			scan_squote(w);
			break;
		case '"':
			scan_dquote(w);
			break;
		case '`':
			scan_backquote(w);
			break;
		case '$':
			scan_dollar(w);
			break;
		}
	}
}

/* $((...)): up to the )) that balances. */
static void
scan_arith(struct strbuf *w)
{
	int depth = 0, c;

	for (;;) {
		c = pgetc();
		if (c == EOF)
			sh_error("%d: Syntax error: Missing '))'", plinno);
		sb_addc(w, c);
		if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (depth > 0) {
				depth--;
				continue;
			}
			c = pgetc();
			if (c != ')')
				sh_error("%d: Syntax error: Missing '))'", plinno);
			sb_addc(w, c);
			return;
		} else if (c == '$') {
			scan_dollar(w);
		} else if (c == '`') {
			scan_backquote(w);
		} else if (c == '\\') {
			c = pgetc();
			if (c != EOF)
				sb_addc(w, c);
		}
	}
}

/* $(...): parse the command list; the capture records what it read. */
static void
scan_cmdsubst(struct strbuf *w)
{
	void *saved = heredoc_save();

	capture_push(w);
	parse_subst();
	capture_pop();
	heredoc_restore(saved);
}

static void
scan_dollar(struct strbuf *w)
{
	int c = pgetc();
	if (c == '{') {
		sb_addc(w, c);
		scan_brace(w);
	} else if (c == '(') {
		sb_addc(w, c);
		c = pgetc();
		if (c == '(') {
			sb_addc(w, c);
			scan_arith(w);
		} else {
			pungetc();
			scan_cmdsubst(w);
		}
	} else {
		pungetc();
	}
}

static int
ismeta(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' ||
	    c == '|' || c == '<' || c == '>' || c == '(' || c == ')' || c == EOF;
}

static enum token
readredir(int c, int fd)
{
	int d = pgetc();

	tokrfd = fd;
	if (c == '<') {
		if (d == '<') {
			int e = pgetc();

			if (e == '-')
				tokrtype = R_HERESTRIP;
			else {
				pungetc();
				tokrtype = R_HERE;
			}
		} else if (d == '&')
			tokrtype = R_DUPIN;
		else if (d == '>')
			tokrtype = R_RDWR;
		else {
			pungetc();
			tokrtype = R_IN;
		}
	} else {
		if (d == '>')
			tokrtype = R_APPEND;
		else if (d == '&')
			tokrtype = R_DUPOUT;
		else if (d == '|')
			tokrtype = R_CLOBBER;
		else {
			pungetc();
			tokrtype = R_OUT;
		}
	}
	return T_REDIR;
}

static enum token
readword(int c)
{
	struct strbuf w;
	int quoted = 0, alldigits = 1;

	sb_init(&w);
	sb_addc(&w, 0);
	w.len = 0;
	for (; !ismeta(c); c = pgetc()) {
		if (!isdigit(c))
			alldigits = 0;
		sb_addc(&w, c);
		switch (c) {
		case '\\':
			c = pgetc();
			if (c == '\n') {	/* line continuation */
				w.s[--w.len] = '\0';
				continue;
			}
			quoted = 1;
			if (c == EOF)
				goto done;
			sb_addc(&w, c);
			break;
		case '\'':
			quoted = 1;
			scan_squote(&w);
			break;
		case '"':
			quoted = 1;
			scan_dquote(&w);
			break;
		case '`':
			scan_backquote(&w);
			break;
		case '$':
			scan_dollar(&w);
			break;
		}
	}
done:
	if (c != EOF)
		pungetc();
	if (alldigits && w.len > 0 && (c == '<' || c == '>')) {
		int fd = 0;

		for (size_t i = 0; i < w.len && fd < 10000; i++)
			fd = fd * 10 + (w.s[i] - '0');
		sb_free(&w);
		pgetc();
		return readredir(c, fd);
	}
	tokword = ststrdup(w.s);
	tokquoted = quoted;
	sb_free(&w);
	return T_WORD;
}

enum token
lex(void)
{
	int c;

	for (;;) {
		c = pgetc();
		if (c == ' ' || c == '\t')
			continue;
		if (c == '#') {
			while ((c = pgetc()) != '\n' && c != EOF)
				;
		}
		if (c == '\\') {
			int d = pgetc();

			if (d == '\n')
				continue;
			pungetc();
		}
		break;
	}
	switch (c) {
	case EOF:
		return T_EOF;
	case '\n':
		readheredocs();
		return T_NL;
	case ';':
		c = pgetc();
		if (c == ';')
			return T_DSEMI;
		if (c == '&')
			return T_SEMIAMP;
		pungetc();
		return T_SEMI;
	case '&':
		if (pgetc() == '&')
			return T_AND;
		pungetc();
		return T_AMP;
	case '|':
		if (pgetc() == '|')
			return T_OR;
		pungetc();
		return T_PIPE;
	case '(':
		return T_LPAREN;
	case ')':
		return T_RPAREN;
	case '<':
	case '>':
		return readredir(c, -1);
	}
	return readword(c);
}
