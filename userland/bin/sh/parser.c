/*
 * The parser: recursive descent over POSIX's shell grammar, building a
 * tree of struct node on the stack arena.  Reserved words are only
 * recognized where a command may start (checkkwd), and that is also where
 * aliases are substituted.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

enum {
	K_IF = 100, K_THEN, K_ELSE, K_ELIF, K_FI, K_DO, K_DONE, K_CASE,
	K_ESAC, K_WHILE, K_UNTIL, K_FOR, K_LBRACE, K_RBRACE, K_BANG, K_IN,
};

static const char *const kwnames[] = {
	"if", "then", "else", "elif", "fi", "do", "done", "case", "esac",
	"while", "until", "for", "{", "}", "!", "in", NULL,
};

static int lasttok;
static int pushed;
static char *lastword;
static int lastquoted;

void *heredoc_save(void);
void heredoc_restore(void *);

static struct node *list(int top);
static struct node *command(void);

static void __attribute__((noreturn))
synerr(const char *msg)
{
	sh_error("%d: Syntax error: %s", plinno, msg);
}

static const char *
tokname(int t)
{
	static const char *const names[] = {
		"end of file", "newline", "\";\"", "\"&\"", "\"&&\"", "\"||\"",
		"\"|\"", "\"(\"", "\")\"", "\";;\"", "\";&\"", "word", "redirection",
	};

	if (t >= K_IF)
		return kwnames[t - K_IF];
	return names[t];
}

/* "x" unexpected, and what would have been right when there is one thing. */
static void __attribute__((noreturn))
unexpected_want(int t, int want)
{
	char buf[128];
	size_t n;

	if (t >= K_IF)
		snprintf(buf, sizeof(buf), "\"%s\" unexpected", kwnames[t - K_IF]);
	else if (t == T_WORD)
		snprintf(buf, sizeof(buf), "\"%.40s\" unexpected", lastword);
	else
		snprintf(buf, sizeof(buf), "%s unexpected", tokname(t));
	n = strlen(buf);
	if (want >= K_IF)
		snprintf(buf + n, sizeof(buf) - n, " (expecting \"%s\")", kwnames[want - K_IF]);
	else if (want >= 0)
		snprintf(buf + n, sizeof(buf) - n, " (expecting %s)", tokname(want));
	synerr(buf);
}

static void __attribute__((noreturn))
unexpected(int t)
{
	unexpected_want(t, -1);
}

static int
keyword(const char *w)
{
	for (int i = 0; kwnames[i]; i++)
		if (strcmp(w, kwnames[i]) == 0)
			return K_IF + i;
	return 0;
}

/* Read a token; kw: reserved words and aliases are recognized. */
static int
readtoken(int kw)
{
	int t, k;

	if (pushed) {
		pushed = 0;
		t = lasttok;
		if (t >= K_IF && !kw)
			t = T_WORD;
		else if (t == T_WORD && kw && !lastquoted && (k = keyword(lastword)))
			t = k;
		lasttok = t;
		return t;
	}
	for (;;) {
		checkkwd = kw;
		t = lex();
		checkkwd = 0;
		if (t == T_WORD) {
			lastword = tokword;
			lastquoted = tokquoted;
		}
		if (t == T_WORD && kw && !tokquoted) {
			char *a;

			if ((k = keyword(tokword)) != 0) {
				t = k;
			} else if ((a = alias_lookup(tokword)) != NULL &&
			    !alias_active(tokword)) {
				pushalias(a, tokword);
				continue;
			}
		}
		break;
	}
	lasttok = t;
	return t;
}

static int
peektok(int kw)
{
	int t = readtoken(kw);

	pushed = 1;
	return t;
}

static void
expect(int want, int kw)
{
	int t = readtoken(kw);

	if (t != want)
		unexpected_want(t, want);
}

static void
skipnl(void)
{
	while (readtoken(1) == T_NL)
		;
	pushed = 1;
}

static struct node *
mknode(enum ntype type)
{
	struct node *n = stalloc(sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->type = type;
	n->lineno = plinno;
	return n;
}

static struct node *
mkbin(enum ntype type, struct node *l, struct node *r)
{
	struct node *n = mknode(type);

	n->u.bin.left = l;
	n->u.bin.right = r;
	return n;
}

static struct word *
mkword(const char *text)
{
	struct word *w = stalloc(sizeof(*w));

	w->next = NULL;
	w->text = (char *)text;
	return w;
}

int
isname(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

int
isassignment(const char *w)
{
	const char *eq = strchr(w, '=');

	return eq != NULL && isname(w, (size_t)(eq - w));
}

static int
startscmd(int t)
{
	switch (t) {
	case T_WORD: case T_REDIR: case T_LPAREN:
	case K_IF: case K_WHILE: case K_UNTIL: case K_FOR: case K_CASE:
	case K_LBRACE: case K_BANG:
		return 1;
	}
	return 0;
}

/* A redirection whose operator was just read. */
static struct redir *
redirection(void)
{
	struct redir *r = stalloc(sizeof(*r));
	int t;

	memset(r, 0, sizeof(*r));
	r->type = tokrtype;
	r->fd = tokrfd;
	if (r->fd < 0)
		r->fd = (r->type == R_IN || r->type == R_DUPIN || r->type == R_RDWR ||
		    r->type == R_HERE || r->type == R_HERESTRIP) ? 0 : 1;
	t = readtoken(0);
	if (t != T_WORD)
		unexpected(t);
	r->target = tokword;
	if (r->type == R_HERE || r->type == R_HERESTRIP) {
		r->target = "";
		heredoc_add(r, tokword);
	}
	return r;
}

static void
redirlist(struct redir ***tail)
{
	while (peektok(0) == T_REDIR) {
		readtoken(0);
		**tail = redirection();
		*tail = &(**tail)->next;
	}
}

/* Compound-list body that must not be empty. */
static struct node *
body(void)
{
	struct node *n = list(0);

	if (n == NULL)
		unexpected(peektok(1));
	return n;
}

static struct node *
ifcmd(void)
{
	struct node *n = mknode(N_IF);
	int t;

	n->u.nif.cond = body();
	expect(K_THEN, 1);
	n->u.nif.then = body();
	t = readtoken(1);
	if (t == K_ELIF) {
		n->u.nif.els = ifcmd();
		return n;
	}
	if (t == K_ELSE) {
		n->u.nif.els = body();
		t = readtoken(1);
	}
	if (t != K_FI)
		unexpected_want(t, K_FI);
	return n;
}

static struct node *
loopcmd(enum ntype type)
{
	struct node *n = mknode(type);

	n->u.loop.cond = body();
	expect(K_DO, 1);
	n->u.loop.body = list(0);
	expect(K_DONE, 1);
	return n;
}

static struct node *
forcmd(void)
{
	struct node *n = mknode(N_FOR);
	struct word **wp;
	int t;

	if (readtoken(0) != T_WORD || !isname(tokword, strlen(tokword)))
		synerr("Bad for loop variable");
	n->u.nfor.var = tokword;
	wp = &n->u.nfor.list;
	t = readtoken(1);
	while (t == T_NL)
		t = readtoken(1);
	if (t == K_IN) {
		n->u.nfor.haslist = 1;
		while ((t = readtoken(0)) == T_WORD) {
			*wp = mkword(tokword);
			wp = &(*wp)->next;
		}
		if (t != T_NL && t != T_SEMI)
			unexpected(t);
		skipnl();
		t = readtoken(1);
	} else if (t == T_SEMI) {
		skipnl();
		t = readtoken(1);
	}
	if (t != K_DO)
		unexpected_want(t, K_DO);
	n->u.nfor.body = list(0);
	expect(K_DONE, 1);
	return n;
}

static struct node *
casecmd(void)
{
	struct node *n = mknode(N_CASE);
	struct caseitem **ip = &n->u.ncase.items;
	int t;

	if (readtoken(0) != T_WORD)
		unexpected(lasttok);
	n->u.ncase.subject = tokword;
	skipnl();
	expect(K_IN, 1);
	for (;;) {
		struct caseitem *ci;
		struct word **wp;

		skipnl();
		t = readtoken(1);
		if (t == K_ESAC)
			break;
		if (t == T_LPAREN)
			t = readtoken(0);
		if (t == T_EOF)
			unexpected_want(t, T_RPAREN);
		ci = stalloc(sizeof(*ci));
		memset(ci, 0, sizeof(*ci));
		wp = &ci->pats;
		for (;;) {
			if (t != T_WORD && t < K_IF)
				unexpected(t);
			*wp = mkword(lastword);
			wp = &(*wp)->next;
			t = readtoken(0);
			if (t == T_RPAREN)
				break;
			if (t != T_PIPE)
				unexpected_want(t, T_RPAREN);
			t = readtoken(0);
		}
		ci->body = list(0);
		*ip = ci;
		ip = &ci->next;
		t = readtoken(1);
		if (t == K_ESAC)
			break;
		if (t == T_SEMIAMP)
			ci->fallthru = 1;
		else if (t != T_DSEMI)
			unexpected_want(t, T_DSEMI);
	}
	return n;
}

static struct node *
simplecmd(void)
{
	struct node *n = mknode(N_CMD);
	struct word **ap = &n->u.cmd.assigns, **wp = &n->u.cmd.args;
	struct redir **rp = &n->redirs;
	char *word;
	int t, nargs = 0;

	for (;;) {
		/* Words after a leading assignment may still be aliases. */
		t = readtoken(0);
		if (t == T_REDIR) {
			*rp = redirection();
			rp = &(*rp)->next;
			continue;
		}
		if (t != T_WORD)
			break;
		word = tokword;		/* a peek below may replace tokword */
		if (nargs == 0 && isassignment(word)) {
			*ap = mkword(word);
			ap = &(*ap)->next;
			continue;
		}
		if (nargs == 0 && n->u.cmd.assigns == NULL && n->redirs == NULL &&
		    peektok(0) == T_LPAREN) {
			/* name() compound-command */
			char *name = word;
			struct node *f = mknode(N_FUNC);

			readtoken(0);
			expect(T_RPAREN, 0);
			if (!isname(name, strlen(name)))
				synerr("Bad function name");
			skipnl();
			f->u.func.name = name;
			f->u.func.body = command();
			return f;
		}
		*wp = mkword(word);
		wp = &(*wp)->next;
		nargs++;
	}
	pushed = 1;
	return n;
}

static struct node *
command(void)
{
	struct node *n;
	struct redir **rp;
	int t = readtoken(1);

	switch (t) {
	case K_IF:
		n = ifcmd();
		break;
	case K_WHILE:
		n = loopcmd(N_WHILE);
		break;
	case K_UNTIL:
		n = loopcmd(N_UNTIL);
		break;
	case K_FOR:
		n = forcmd();
		break;
	case K_CASE:
		n = casecmd();
		break;
	case K_LBRACE:
		n = mknode(N_GROUP);
		n->u.body = body();
		expect(K_RBRACE, 1);
		break;
	case T_LPAREN:
		n = mknode(N_SUBSHELL);
		n->u.body = body();
		expect(T_RPAREN, 1);
		break;
	case T_WORD:
	case T_REDIR:
		pushed = 1;
		lasttok = t;
		return simplecmd();
	default:
		unexpected(t);
	}
	rp = &n->redirs;
	redirlist(&rp);
	return n;
}

static struct node *
pipeline(void)
{
	struct node *n, *neg = NULL;
	struct nodelist *head, **lp;

	if (peektok(1) == K_BANG) {
		readtoken(1);
		neg = mknode(N_NOT);
	}
	n = command();
	if (peektok(0) == T_PIPE) {
		struct node *p = mknode(N_PIPE);

		head = stalloc(sizeof(*head));
		head->n = n;
		head->next = NULL;
		lp = &head->next;
		while (peektok(0) == T_PIPE) {
			readtoken(0);
			skipnl();
			*lp = stalloc(sizeof(**lp));
			(*lp)->n = command();
			(*lp)->next = NULL;
			lp = &(*lp)->next;
		}
		p->u.pipe = head;
		n = p;
	}
	if (neg) {
		neg->u.body = n;
		n = neg;
	}
	return n;
}

static struct node *
andor(void)
{
	struct node *n = pipeline();

	for (;;) {
		int t = peektok(0);

		if (t != T_AND && t != T_OR)
			return n;
		readtoken(0);
		skipnl();
		n = mkbin(t == T_AND ? N_AND : N_OR, n, pipeline());
	}
}

/*
 * A list of and-or lists.  At top level a newline ends it (the shell runs
 * each line as it is read); inside compound commands newlines separate.
 */
static int listend;		/* the token that ended the last list */

static struct node *
list(int top)
{
	struct node *n = NULL, *a;
	int t;

	for (;;) {
		if (!top)
			skipnl();
		t = peektok(1);
		if (!startscmd(t))
			break;
		a = andor();
		t = readtoken(0);
		if (t == T_AMP) {
			struct node *bg = mknode(N_BG);

			bg->u.body = a;
			a = bg;
		}
		n = n ? mkbin(N_SEQ, n, a) : a;
		if (t == T_AMP || t == T_SEMI) {
			if (top) {
				t = peektok(1);
				if (t == T_NL) {
					readtoken(1);
					break;
				}
			}
			continue;
		}
		if (t == T_NL) {
			if (top)
				break;
			continue;
		}
		pushed = 1;
		break;
	}
	listend = t;
	return n;
}

/* Parse one complete command from the input: a line's worth. */
struct node *
parsecmd(void)
{
	struct node *n;
	int t;

	t = peektok(1);
	if (t == T_EOF) {
		readtoken(1);
		return NEOF;
	}
	if (t == T_NL) {
		readtoken(1);
		return NULL;
	}
	n = list(1);
	if (listend == T_NL && !pushed)
		return n;
	t = readtoken(0);
	if (n == NULL || t != T_EOF)
		unexpected(t);
	pushed = 1;
	return n;
}

void
parser_reset(void)
{
	pushed = 0;
	checkkwd = 0;
	lex_reset();
}

/* Parser state, saved around a nested parse of another input. */
struct parsestate {
	int lasttok, pushed, checkkwd, lastquoted, tokquoted;
	char *lastword, *tokword;
	void *heredocs;
};

void *
parser_push(void)
{
	struct parsestate *ps = ckmalloc(sizeof(*ps));

	ps->lasttok = lasttok;
	ps->pushed = pushed;
	ps->checkkwd = checkkwd;
	ps->lastword = lastword;
	ps->lastquoted = lastquoted;
	ps->tokword = tokword;
	ps->tokquoted = tokquoted;
	ps->heredocs = heredoc_save();
	pushed = 0;
	checkkwd = 0;
	return ps;
}

void
parser_pop(void *p)
{
	struct parsestate *ps = p;

	lasttok = ps->lasttok;
	pushed = ps->pushed;
	checkkwd = ps->checkkwd;
	lastword = ps->lastword;
	lastquoted = ps->lastquoted;
	tokword = ps->tokword;
	tokquoted = ps->tokquoted;
	heredoc_restore(ps->heredocs);
	free(ps);
}

/* $( list ): called from the lexer with its word being captured. */
struct node *
parse_subst(void)
{
	int savetok = lasttok, savepushed = pushed, savekw = checkkwd;
	char *saveword = lastword;
	int savequoted = lastquoted;
	char *savetokword = tokword;
	int savetokquoted = tokquoted;
	struct node *n;

	pushed = 0;
	n = list(0);
	expect(T_RPAREN, 0);
	lasttok = savetok;
	pushed = savepushed;
	checkkwd = savekw;
	lastword = saveword;
	lastquoted = savequoted;
	tokword = savetokword;
	tokquoted = savetokquoted;
	return n;
}

/* Parse all of a string (command substitution bodies, eval, traps). */
struct node *
parsestring_all(const char *s)
{
	struct node *n = NULL, *c;
	void *ps = parser_push();

	setinputstring(s, 1);
	while ((c = parsecmd()) != NEOF) {
		if (c != NULL)
			n = n ? mkbin(N_SEQ, n, c) : c;
	}
	popfile();
	parser_pop(ps);
	return n;
}

/* ---- copying function bodies out of the arena ---- */

static char *
cpstr(const char *s)
{
	return s ? ckstrdup(s) : NULL;
}

static struct word *
cpwords(const struct word *w)
{
	struct word *h = NULL, **p = &h;

	for (; w; w = w->next) {
		*p = ckmalloc(sizeof(**p));
		(*p)->text = cpstr(w->text);
		(*p)->next = NULL;
		p = &(*p)->next;
	}
	return h;
}

static struct redir *
cpredirs(const struct redir *r)
{
	struct redir *h = NULL, **p = &h;

	for (; r; r = r->next) {
		*p = ckmalloc(sizeof(**p));
		**p = *r;
		(*p)->target = cpstr(r->target);
		(*p)->next = NULL;
		p = &(*p)->next;
	}
	return h;
}

struct node *
copytree(const struct node *n)
{
	struct node *c;

	if (n == NULL)
		return NULL;
	c = ckmalloc(sizeof(*c));
	*c = *n;
	c->redirs = cpredirs(n->redirs);
	switch (n->type) {
	case N_CMD:
		c->u.cmd.assigns = cpwords(n->u.cmd.assigns);
		c->u.cmd.args = cpwords(n->u.cmd.args);
		break;
	case N_AND: case N_OR: case N_SEQ:
		c->u.bin.left = copytree(n->u.bin.left);
		c->u.bin.right = copytree(n->u.bin.right);
		break;
	case N_PIPE: {
		struct nodelist *h = NULL, **p = &h;

		for (struct nodelist *l = n->u.pipe; l; l = l->next) {
			*p = ckmalloc(sizeof(**p));
			(*p)->n = copytree(l->n);
			(*p)->next = NULL;
			p = &(*p)->next;
		}
		c->u.pipe = h;
		break;
	}
	case N_BG: case N_NOT: case N_SUBSHELL: case N_GROUP:
		c->u.body = copytree(n->u.body);
		break;
	case N_IF:
		c->u.nif.cond = copytree(n->u.nif.cond);
		c->u.nif.then = copytree(n->u.nif.then);
		c->u.nif.els = copytree(n->u.nif.els);
		break;
	case N_WHILE: case N_UNTIL:
		c->u.loop.cond = copytree(n->u.loop.cond);
		c->u.loop.body = copytree(n->u.loop.body);
		break;
	case N_FOR:
		c->u.nfor.var = cpstr(n->u.nfor.var);
		c->u.nfor.list = cpwords(n->u.nfor.list);
		c->u.nfor.body = copytree(n->u.nfor.body);
		break;
	case N_CASE: {
		struct caseitem *h = NULL, **p = &h;

		c->u.ncase.subject = cpstr(n->u.ncase.subject);
		for (struct caseitem *i = n->u.ncase.items; i; i = i->next) {
			*p = ckmalloc(sizeof(**p));
			**p = *i;
			(*p)->pats = cpwords(i->pats);
			(*p)->body = copytree(i->body);
			(*p)->next = NULL;
			p = &(*p)->next;
		}
		c->u.ncase.items = h;
		break;
	}
	case N_FUNC:
		c->u.func.name = cpstr(n->u.func.name);
		c->u.func.body = copytree(n->u.func.body);
		break;
	}
	return c;
}

/* ---- command text, for jobs and type ---- */

static void
wordstext(struct strbuf *sb, const struct word *w, int lead)
{
	for (; w; w = w->next) {
		if (lead || sb->len)
			sb_addc(sb, ' ');
		lead = 0;
		sb_adds(sb, w->text);
	}
}

static void
redirtext(struct strbuf *sb, const struct redir *r)
{
	static const char *const ops[] = {
		"<", ">", ">|", ">>", "<>", "<&", ">&", "<<", "<<-",
	};

	for (; r; r = r->next) {
		char fd[16];
		int deffd = (r->type == R_IN || r->type == R_DUPIN ||
		    r->type == R_RDWR || r->type >= R_HERE) ? 0 : 1;

		sb_addc(sb, ' ');
		if (r->fd != deffd) {
			snprintf(fd, sizeof(fd), "%d", r->fd);
			sb_adds(sb, fd);
		}
		sb_adds(sb, ops[r->type]);
		sb_adds(sb, r->type >= R_HERE ? "..." : r->target);
	}
}

void
cmdtext(struct strbuf *sb, const struct node *n)
{
	if (n == NULL)
		return;
	switch (n->type) {
	case N_CMD:
		wordstext(sb, n->u.cmd.assigns, 0);
		wordstext(sb, n->u.cmd.args, n->u.cmd.assigns != NULL);
		break;
	case N_PIPE:
		for (struct nodelist *l = n->u.pipe; l; l = l->next) {
			cmdtext(sb, l->n);
			if (l->next)
				sb_adds(sb, " | ");
		}
		break;
	case N_AND: case N_OR: case N_SEQ:
		cmdtext(sb, n->u.bin.left);
		sb_adds(sb, n->type == N_AND ? " && " : n->type == N_OR ? " || " : "; ");
		cmdtext(sb, n->u.bin.right);
		break;
	case N_BG:
		cmdtext(sb, n->u.body);
		sb_adds(sb, " &");
		break;
	case N_NOT:
		sb_adds(sb, "! ");
		cmdtext(sb, n->u.body);
		break;
	case N_SUBSHELL:
		sb_addc(sb, '(');
		cmdtext(sb, n->u.body);
		sb_addc(sb, ')');
		break;
	case N_GROUP:
		sb_adds(sb, "{ ");
		cmdtext(sb, n->u.body);
		sb_adds(sb, "; }");
		break;
	case N_IF:
		sb_adds(sb, "if ");
		cmdtext(sb, n->u.nif.cond);
		sb_adds(sb, "; then ");
		cmdtext(sb, n->u.nif.then);
		if (n->u.nif.els) {
			sb_adds(sb, "; else ");
			cmdtext(sb, n->u.nif.els);
		}
		sb_adds(sb, "; fi");
		break;
	case N_WHILE: case N_UNTIL:
		sb_adds(sb, n->type == N_WHILE ? "while " : "until ");
		cmdtext(sb, n->u.loop.cond);
		sb_adds(sb, "; do ");
		cmdtext(sb, n->u.loop.body);
		sb_adds(sb, "; done");
		break;
	case N_FOR:
		sb_adds(sb, "for ");
		sb_adds(sb, n->u.nfor.var);
		if (n->u.nfor.haslist) {
			sb_adds(sb, " in");
			wordstext(sb, n->u.nfor.list, 1);
		}
		sb_adds(sb, "; do ");
		cmdtext(sb, n->u.nfor.body);
		sb_adds(sb, "; done");
		break;
	case N_CASE:
		sb_adds(sb, "case ");
		sb_adds(sb, n->u.ncase.subject);
		sb_adds(sb, " in ");
		for (struct caseitem *i = n->u.ncase.items; i; i = i->next) {
			for (struct word *w = i->pats; w; w = w->next) {
				sb_adds(sb, w->text);
				sb_adds(sb, w->next ? "|" : ") ");
			}
			cmdtext(sb, i->body);
			sb_adds(sb, i->fallthru ? ";& " : ";; ");
		}
		sb_adds(sb, "esac");
		break;
	case N_FUNC:
		sb_adds(sb, n->u.func.name);
		sb_adds(sb, "() ");
		cmdtext(sb, n->u.func.body);
		break;
	}
	redirtext(sb, n->redirs);
}

/*
 * The expander re-reads $(...) from a word's text: parse from just after
 * "$(" and report how many characters the command and its ")" took.
 */
struct node *
parse_subst_string(const char *s, size_t *used)
{
	struct node *n;
	void *hd = heredoc_save();
	int savelineno = plinno;

	setinputstring(s, 1);
	n = parse_subst();
	*used = input_stringpos();
	popfile();
	plinno = savelineno;
	heredoc_restore(hd);
	return n;
}
