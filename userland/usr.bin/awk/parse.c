/*
 * awk: a recursive-descent parser for POSIX awk's grammar, building the
 * tree run.c walks.  Precedence, lowest first: ?: || && in ~ !~ relational
 * "| getline" concatenation + - * / % unary ! - + ^ ++ -- $ grouping;
 * assignment is right associative and lowest of all.
 */
#include <stdlib.h>
#include <string.h>

#include "awk.h"

Rule	*begins, *ends, *rules;
static Rule **endbegin = &begins, **endend = &ends, **endrules = &rules;
Func	*funcs;
int	 nfuncs;
Var	*globals;
int	 nglobals;

static Token tok;
static int no_gt;		/* in print's arguments: '>' redirects */
static int no_in;		/* in for's first clause: "in" is for-in's */
static char **params;		/* the function being parsed */
static int nparams;
static int infunc, inloop;

static Node *expr(void);
static Node *ternary(void);
static Node *concat(void);
static Node *unary(void);
static Node *postfix(void);
static Node *primary(void);
static Node *stmt(void);
static Node *simple_stmt(void);

static void __attribute__((noreturn))
syntax(void)
{
	char ctx[256], t[128];

	lex_context(tok.pos, ctx, sizeof(ctx));
	lex_tokentext(tok.pos, t, sizeof(t));
	fprintf(stderr, "awk: syntax error at source line %d\n", tok.lineno);
	if (progfile != NULL)
		fprintf(stderr, " source file %s\n", progfile);
	fprintf(stderr, " context is\n\t%s >>> %s <<< \n", ctx, t);
	exit(2);
}

static void
advance(void)
{
	tok = lex();
	if (tok.type == -1)
		syntax();
}

static void
expect(int t)
{
	if (tok.type != t)
		syntax();
	advance();
}

static void
opt_nl(void)
{
	while (tok.type == T_NEWLINE)
		advance();
}

static Node *
node(int type)
{
	Node *n = xmalloc(sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->type = type;
	n->lineno = tok.lineno;
	return (n);
}

static Node *
node2(int type, int op, Node *a, Node *b)
{
	Node *n = node(type);

	n->op = op;
	n->a[0] = a;
	n->a[1] = b;
	return (n);
}

int
global_index(const char *name)
{
	int i;

	for (i = 0; i < nglobals; i++)
		if (strcmp(globals[i].name, name) == 0)
			return (i);
	globals = xrealloc(globals, (nglobals + 1) * sizeof(*globals));
	memset(&globals[nglobals], 0, sizeof(*globals));
	globals[nglobals].name = xstrdup(name);
	globals[nglobals].c.fl = C_NUM | C_STR | C_STRNUM;
	globals[nglobals].c.s = xstrdup("");
	return (nglobals++);
}

static int
func_index(const char *name)
{
	int i;

	for (i = 0; i < nfuncs; i++)
		if (strcmp(funcs[i].name, name) == 0)
			return (i);
	funcs = xrealloc(funcs, (nfuncs + 1) * sizeof(*funcs));
	memset(&funcs[nfuncs], 0, sizeof(*funcs));
	funcs[nfuncs].name = xstrdup(name);
	return (nfuncs++);
}

regex_t *
compile_re(const char *s)
{
	regex_t *re = xmalloc(sizeof(*re));
	char msg[256];
	int e;

	if ((e = regcomp(re, s, REG_EXTENDED)) != 0) {
		regerror(e, re, msg, sizeof(msg));
		fatal("syntax error in regular expression %s at source line %d: %s",
		    s, lineno, msg);
	}
	return (re);
}

/* A variable reference: a parameter of the function being parsed, or a global. */
static Node *
varnode(const char *name)
{
	Node *n;
	int i;

	for (i = 0; i < nparams; i++)
		if (strcmp(params[i], name) == 0) {
			n = node(N_LVAR);
			n->idx = i;
			n->str = xstrdup(name);
			return (n);
		}
	n = node(N_GVAR);
	n->idx = global_index(name);
	n->str = xstrdup(name);
	return (n);
}

static int
is_lvalue(Node *n)
{
	return (n != NULL && (n->type == N_GVAR || n->type == N_LVAR ||
	    n->type == N_FIELD || n->type == N_INDEX));
}

/* expr (',' expr)*: a list linked by next. */
static Node *
expr_list(int *count)
{
	Node *head = expr(), *t = head;
	int n = 1;

	while (tok.type == ',') {
		advance();
		opt_nl();
		t->next = expr();
		t = t->next;
		n++;
	}
	if (count != NULL)
		*count = n;
	return (head);
}

/* NAME or NAME[subscripts]: the variable part of an lvalue. */
static Node *
name_ref(void)
{
	Node *v, *n;
	char *name;

	if (tok.type != T_NAME)
		syntax();
	name = tok.str;
	advance();
	v = varnode(name);
	if (tok.type != '[')
		return (v);
	advance();
	n = node2(N_INDEX, 0, v, NULL);
	int save = no_gt, savein = no_in;
	no_gt = no_in = 0;
	n->a[1] = expr_list(&n->nargs);
	no_gt = save;
	no_in = savein;
	expect(']');
	return (n);
}

/* getline's optional lvalue: NAME, NAME[...], $expr. */
static Node *
opt_lvalue(void)
{
	Node *n;

	if (tok.type == T_NAME)
		return (name_ref());
	if (tok.type == '$') {
		advance();
		n = node(N_FIELD);
		if (tok.type == T_INCR || tok.type == T_DECR)
			n->a[0] = postfix();
		else
			n->a[0] = primary();
		return (n);
	}
	return (NULL);
}

static Node *
call_args(Node *n)
{
	int save = no_gt, savein = no_in;

	no_gt = no_in = 0;
	expect('(');
	opt_nl();
	if (tok.type != ')')
		n->a[0] = expr_list(&n->nargs);
	opt_nl();
	expect(')');
	no_gt = save;
	no_in = savein;
	return (n);
}

static Node *
builtin(void)
{
	static const int minargs[] = {
		[B_LENGTH] = 0, [B_SUBSTR] = 2, [B_INDEX] = 2, [B_SPLIT] = 2,
		[B_SUB] = 2, [B_GSUB] = 2, [B_MATCH] = 2, [B_SPRINTF] = 1,
		[B_TOLOWER] = 1, [B_TOUPPER] = 1, [B_SIN] = 1, [B_COS] = 1,
		[B_ATAN2] = 2, [B_EXP] = 1, [B_LOG] = 1, [B_SQRT] = 1,
		[B_INT] = 1, [B_RAND] = 0, [B_SRAND] = 0, [B_SYSTEM] = 1,
		[B_CLOSE] = 1, [B_FFLUSH] = 0,
	};
	static const int maxargs[] = {
		[B_LENGTH] = 1, [B_SUBSTR] = 3, [B_INDEX] = 2, [B_SPLIT] = 3,
		[B_SUB] = 3, [B_GSUB] = 3, [B_MATCH] = 2, [B_SPRINTF] = 1000,
		[B_TOLOWER] = 1, [B_TOUPPER] = 1, [B_SIN] = 1, [B_COS] = 1,
		[B_ATAN2] = 2, [B_EXP] = 1, [B_LOG] = 1, [B_SQRT] = 1,
		[B_INT] = 1, [B_RAND] = 0, [B_SRAND] = 1, [B_SYSTEM] = 1,
		[B_CLOSE] = 1, [B_FFLUSH] = 1,
	};
	Node *n = node(N_BUILTIN), *a;
	int b = tok.builtin, i;

	n->op = b;
	advance();
	if (tok.type != '(') {
		if (b != B_LENGTH)
			syntax();
		return (n);		/* length: length($0) */
	}
	call_args(n);
	if (n->nargs < minargs[b] || n->nargs > maxargs[b])
		fatal("%s has %s arguments at source line %d", tok.str ? tok.str : "function",
		    n->nargs < minargs[b] ? "too few" : "too many", n->lineno);
	/* split's array, sub's and gsub's target */
	for (a = n->a[0], i = 0; a != NULL; a = a->next, i++) {
		if (b == B_SPLIT && i == 1 && a->type != N_GVAR && a->type != N_LVAR)
			syntax();
		if ((b == B_SUB || b == B_GSUB) && i == 2 && !is_lvalue(a))
			fatal("illegal target for %s at source line %d",
			    b == B_SUB ? "sub" : "gsub", n->lineno);
	}
	return (n);
}

static Node *
simple_getline(void)
{
	Node *n = node(N_GETLINE);

	advance();
	n->op = G_PLAIN;
	n->a[0] = opt_lvalue();
	if (tok.type == '<') {
		advance();
		n->op = G_FILE;
		n->a[1] = postfix();
	}
	return (n);
}

static Node *
primary(void)
{
	Node *n;
	int save, savein;

	switch (tok.type) {
	case T_NUMBER:
		n = node(N_NUM);
		n->num = tok.num;
		advance();
		return (n);
	case T_STRING:
		n = node(N_STR);
		n->str = tok.str;
		advance();
		return (n);
	case '/':
	case T_DIV_ASSIGN:
		tok = lex_regex();
		n = node(N_RE);
		n->str = tok.str;
		n->re = compile_re(tok.str);
		advance();
		return (n);
	case '$':
		advance();
		n = node(N_FIELD);
		if (tok.type == T_INCR || tok.type == T_DECR)
			n->a[0] = postfix();
		else if (tok.type == '-' || tok.type == '+' || tok.type == '!')
			n->a[0] = unary();
		else
			n->a[0] = primary();
		return (n);
	case '(':
		advance();
		save = no_gt;
		savein = no_in;
		no_gt = no_in = 0;
		opt_nl();
		n = node(N_GROUP);
		n->a[0] = expr_list(&n->nargs);
		opt_nl();
		expect(')');
		no_gt = save;
		no_in = savein;
		if (n->nargs > 1 && tok.type == T_IN) {
			advance();
			if (tok.type != T_NAME)
				syntax();
			Node *in = node2(N_IN, 0, n->a[0], varnode(tok.str));
			in->nargs = n->nargs;
			advance();
			return (in);
		}
		if (n->nargs == 1)
			return (n->a[0]->type == N_RE ? n->a[0] : node2(N_GROUP, 0, n->a[0], NULL));
		return (n);		/* (a, b): print's argument list only */
	case '-':
	case '+':
	case '!':
		return (unary());
	case T_NAME:
		return (name_ref());
	case T_FUNC_NAME:
		n = node(N_CALL);
		n->idx = func_index(tok.str);
		n->str = tok.str;
		advance();
		return (call_args(n));
	case T_BUILTIN:
		return (builtin());
	case T_GETLINE:
		return (simple_getline());
	default:
		syntax();
	}
}

static Node *
postfix(void)
{
	Node *n;
	int t = tok.type;

	if (t == T_INCR || t == T_DECR) {
		advance();
		n = postfix();
		if (!is_lvalue(n))
			syntax();
		return (node2(t == T_INCR ? N_PREINC : N_PREDEC, 0, n, NULL));
	}
	n = primary();
	if (is_lvalue(n) && (tok.type == T_INCR || tok.type == T_DECR)) {
		t = tok.type;
		advance();
		return (node2(t == T_INCR ? N_POSTINC : N_POSTDEC, 0, n, NULL));
	}
	return (n);
}

static Node *
power(void)
{
	Node *n = postfix();

	if (tok.type == '^') {
		advance();
		/* right associative, and the exponent may be negated: 2^-1 */
		Node *r = tok.type == '-' || tok.type == '+' || tok.type == '!' ? unary() : power();
		return (node2(N_ARITH, '^', n, r));
	}
	return (n);
}

static Node *
unary(void)
{
	int t = tok.type;

	if (t == '!' || t == '-' || t == '+') {
		advance();
		Node *n = unary();
		return (node2(t == '!' ? N_NOT : t == '-' ? N_NEG : N_PLUS, 0, n, NULL));
	}
	return (power());
}

static Node *
multiplicative(void)
{
	Node *n = unary();

	while (tok.type == '*' || tok.type == '/' || tok.type == '%') {
		int op = tok.type;
		advance();
		n = node2(N_ARITH, op, n, unary());
	}
	return (n);
}

static Node *
additive(void)
{
	Node *n = multiplicative();

	while (tok.type == '+' || tok.type == '-') {
		int op = tok.type;
		advance();
		n = node2(N_ARITH, op, n, multiplicative());
	}
	return (n);
}

static int
starts_concat(int t)
{
	switch (t) {
	case T_NUMBER: case T_STRING: case T_NAME: case T_FUNC_NAME:
	case T_BUILTIN: case '$': case '(': case T_INCR: case T_DECR:
	case '-': case '+': case '!':
		return (1);
	case T_IN:
		return (0);
	default:
		return (0);
	}
}

static Node *
concat(void)
{
	Node *n = additive();

	/* '-', '+' and '!' were taken by additive/unary already; these start operands. */
	while (starts_concat(tok.type) && tok.type != '-' && tok.type != '+' && tok.type != '!')
		n = node2(N_CAT, 0, n, additive());
	return (n);
}

/* Is the token after the current one "getline"?  ("cmd" | getline) */
static int
peek_getline(void)
{
	size_t p;
	int l, r;
	Token t;

	lex_save(&p, &l);
	t = lex();
	r = t.type == T_GETLINE;
	lex_restore(p, l);
	return (r);
}

static Node *
pipe_getline(void)
{
	Node *n = concat();

	while (tok.type == '|' && peek_getline()) {
		advance();
		advance();
		Node *g = node(N_GETLINE);
		g->op = G_CMD;
		g->a[1] = n;
		g->a[0] = opt_lvalue();
		n = g;
	}
	return (n);
}

static Node *
comparison(void)
{
	Node *n = pipe_getline();
	int t = tok.type;

	if (t == '<' || t == T_LE || t == T_NE || t == T_EQ ||
	    (t == '>' && !no_gt) || t == T_GE) {
		advance();
		n = node2(N_CMP, t, n, pipe_getline());
	}
	return (n);
}

static Node *
matching(void)
{
	Node *n = comparison();

	while (tok.type == '~' || tok.type == T_NOMATCH) {
		int t = tok.type;
		advance();
		n = node2(t == '~' ? N_MATCH : N_NOMATCH, 0, n, comparison());
	}
	return (n);
}

static Node *
in_expr(void)
{
	Node *n = matching();

	while (tok.type == T_IN && !no_in) {
		advance();
		if (tok.type != T_NAME)
			syntax();
		n = node2(N_IN, 0, n, varnode(tok.str));
		n->nargs = 1;
		advance();
	}
	return (n);
}

static Node *
and_expr(void)
{
	Node *n = in_expr();

	while (tok.type == T_AND) {
		advance();
		opt_nl();
		n = node2(N_AND, 0, n, in_expr());
	}
	return (n);
}

static Node *
or_expr(void)
{
	Node *n = and_expr();

	while (tok.type == T_OR) {
		advance();
		opt_nl();
		n = node2(N_OR, 0, n, and_expr());
	}
	return (n);
}

static Node *
ternary(void)
{
	Node *n = or_expr(), *c;

	if (tok.type != '?')
		return (n);
	advance();
	opt_nl();
	c = node2(N_COND, 0, n, expr());
	opt_nl();
	expect(':');
	opt_nl();
	c->a[2] = expr();
	return (c);
}

static Node *
expr(void)
{
	Node *n = ternary();
	int t = tok.type, op;

	switch (t) {
	case '=': op = 0; break;
	case T_ADD_ASSIGN: op = '+'; break;
	case T_SUB_ASSIGN: op = '-'; break;
	case T_MUL_ASSIGN: op = '*'; break;
	case T_DIV_ASSIGN: op = '/'; break;
	case T_MOD_ASSIGN: op = '%'; break;
	case T_POW_ASSIGN: op = '^'; break;
	default: return (n);
	}
	if (!is_lvalue(n)) {
		/* "(x) = 1" is fine: the group holds an lvalue */
		if (n->type == N_GROUP && n->nargs == 0 && is_lvalue(n->a[0]))
			n = n->a[0];
		else
			syntax();
	}
	advance();
	opt_nl();
	return (node2(N_ASSIGN, op, n, expr()));
}

static void
terminator(void)
{
	if (tok.type == ';' || tok.type == T_NEWLINE) {
		advance();
		opt_nl();
	} else if (tok.type != '}' && tok.type != T_EOF)
		syntax();
}

static int
ends_print(int t)
{
	return (t == ';' || t == T_NEWLINE || t == '}' || t == '>' ||
	    t == T_APPEND || t == '|' || t == T_EOF);
}

static Node *
print_stmt(void)
{
	Node *n = node(tok.type == T_PRINT ? S_PRINT : S_PRINTF);

	advance();
	no_gt = 1;
	if (!ends_print(tok.type)) {
		n->a[0] = expr_list(&n->nargs);
		/* print (a, b): the group is the list */
		if (n->nargs == 1 && n->a[0]->type == N_GROUP && n->a[0]->nargs > 1) {
			n->nargs = n->a[0]->nargs;
			n->a[0] = n->a[0]->a[0];
		} else if (n->nargs == 1 && n->a[0]->type == N_GROUP && n->a[0]->nargs == 0)
			n->a[0] = n->a[0]->a[0];
	}
	if (n->type == S_PRINTF && n->a[0] == NULL)
		syntax();
	if (tok.type == '>' || tok.type == T_APPEND || tok.type == '|') {
		n->op = tok.type;
		advance();
		n->a[1] = concat();
	}
	no_gt = 0;
	return (n);
}

static Node *
simple_stmt(void)
{
	Node *n;

	switch (tok.type) {
	case T_PRINT:
	case T_PRINTF:
		return (print_stmt());
	case T_DELETE:
		n = node(S_DELETE);
		advance();
		if (tok.type != T_NAME)
			syntax();
		n->a[0] = varnode(tok.str);
		advance();
		if (tok.type == '[') {
			advance();
			n->a[1] = expr_list(&n->nargs);
			expect(']');
		}
		return (n);
	default:
		n = node(S_EXPR);
		n->a[0] = expr();
		return (n);
	}
}

static Node *
block(void)
{
	Node *n = node(S_BLOCK), **tail = &n->a[0];

	expect('{');
	opt_nl();
	while (tok.type != '}') {
		if (tok.type == T_EOF)
			syntax();
		*tail = stmt();
		if (*tail != NULL)
			tail = &(*tail)->next;
	}
	advance();
	return (n);
}

/* After ')' of if/while/for: the body may be on the next line, or ';' alone. */
static Node *
body(void)
{
	opt_nl();
	if (tok.type == ';') {
		advance();
		opt_nl();
		return (node(S_BLOCK));
	}
	return (stmt());
}

static int
peek_forin(void)
{
	size_t p;
	int l, r = 0;
	Token t;

	if (tok.type != T_NAME)
		return (0);
	lex_save(&p, &l);
	t = lex();
	if (t.type == T_IN) {
		t = lex();
		if (t.type == T_NAME && lex().type == ')')
			r = 1;
	}
	lex_restore(p, l);
	return (r);
}

static Node *
for_stmt(void)
{
	Node *n;

	advance();
	expect('(');
	if (peek_forin()) {
		n = node(S_FORIN);
		n->a[0] = varnode(tok.str);
		advance();
		expect(T_IN);
		n->a[1] = varnode(tok.str);
		advance();
		expect(')');
		inloop++;
		n->a[2] = body();
		inloop--;
		return (n);
	}
	n = node(S_FOR);
	if (tok.type != ';')
		n->a[0] = simple_stmt();
	expect(';');
	opt_nl();
	if (tok.type != ';')
		n->a[1] = expr();
	expect(';');
	opt_nl();
	if (tok.type != ')')
		n->a[2] = simple_stmt();
	expect(')');
	inloop++;
	n->a[3] = body();
	inloop--;
	return (n);
}

static Node *
stmt(void)
{
	Node *n;

	switch (tok.type) {
	case '{':
		n = block();
		opt_nl();
		if (tok.type == ';') {
			advance();
			opt_nl();
		}
		return (n);
	case ';':
		advance();
		opt_nl();
		return (NULL);
	case T_IF:
		n = node(S_IF);
		advance();
		expect('(');
		n->a[0] = expr();
		expect(')');
		n->a[1] = body();
		opt_nl();
		if (tok.type == T_ELSE) {
			advance();
			n->a[2] = body();
		}
		return (n);
	case T_WHILE:
		n = node(S_WHILE);
		advance();
		expect('(');
		n->a[0] = expr();
		expect(')');
		if (tok.type == ';') {		/* while (x); */
			advance();
			opt_nl();
			n->a[1] = node(S_BLOCK);
			return (n);
		}
		inloop++;
		n->a[1] = body();
		inloop--;
		return (n);
	case T_DO:
		n = node(S_DO);
		advance();
		inloop++;
		n->a[1] = body();
		inloop--;
		opt_nl();
		expect(T_WHILE);
		expect('(');
		n->a[0] = expr();
		expect(')');
		terminator();
		return (n);
	case T_FOR:
		return (for_stmt());
	case T_BREAK:
	case T_CONTINUE:
		n = node(tok.type == T_BREAK ? S_BREAK : S_CONTINUE);
		if (!inloop)
			fatal("%s illegal outside of loops at source line %d",
			    tok.type == T_BREAK ? "break" : "continue", tok.lineno);
		advance();
		terminator();
		return (n);
	case T_NEXT:
	case T_NEXTFILE:
		n = node(tok.type == T_NEXT ? S_NEXT : S_NEXTFILE);
		advance();
		terminator();
		return (n);
	case T_EXIT:
	case T_RETURN:
		n = node(tok.type == T_EXIT ? S_EXIT : S_RETURN);
		if (n->type == S_RETURN && !infunc)
			syntax();
		advance();
		if (tok.type != ';' && tok.type != T_NEWLINE && tok.type != '}' && tok.type != T_EOF)
			n->a[0] = expr();
		terminator();
		return (n);
	default:
		n = simple_stmt();
		terminator();
		return (n);
	}
}

static void
function(void)
{
	Func *f;
	int i;

	advance();
	if (tok.type != T_NAME && tok.type != T_FUNC_NAME)
		syntax();
	i = func_index(tok.str);
	f = &funcs[i];
	if (f->defined)
		fatal("%s is a function, not an array at source line %d", f->name, tok.lineno);
	advance();
	expect('(');
	params = NULL;
	nparams = 0;
	while (tok.type == T_NAME) {
		params = xrealloc(params, (nparams + 1) * sizeof(*params));
		params[nparams++] = tok.str;
		advance();
		if (tok.type == ',') {
			advance();
			opt_nl();
		} else
			break;
	}
	expect(')');
	opt_nl();
	f->params = params;
	f->nparams = nparams;
	f->defined = 1;
	infunc = 1;
	f->body = block();
	infunc = 0;
	params = NULL;
	nparams = 0;
}

static void
add_rule(Rule ***tail, Node *p1, Node *p2, Node *action)
{
	Rule *r = xmalloc(sizeof(*r));

	memset(r, 0, sizeof(*r));
	r->pat1 = p1;
	r->pat2 = p2;
	r->action = action;
	**tail = r;
	*tail = &r->next;
}

/* One item of the program; 1 if it ended with a block. */
static int
item(void)
{
	Node *p1 = NULL, *p2 = NULL;

	switch (tok.type) {
	case T_BEGIN:
		advance();
		opt_nl();
		add_rule(&endbegin, NULL, NULL, block());
		return (1);
	case T_END:
		advance();
		opt_nl();
		add_rule(&endend, NULL, NULL, block());
		return (1);
	case T_FUNCTION:
		function();
		return (1);
	case '{':
		add_rule(&endrules, NULL, NULL, block());
		return (1);
	default:
		p1 = expr();
		if (tok.type == ',') {
			advance();
			opt_nl();
			p2 = expr();
		}
		if (tok.type == '{') {
			add_rule(&endrules, p1, p2, block());
			return (1);
		}
		add_rule(&endrules, p1, p2, NULL);
		return (0);
	}
}

void
parse(const char *src)
{
	int i;

	lex_init(src);
	advance();
	opt_nl();
	while (tok.type != T_EOF) {
		int blk = item();
		if (tok.type == ';' || tok.type == T_NEWLINE) {
			while (tok.type == ';' || tok.type == T_NEWLINE)
				advance();
		} else if (tok.type != T_EOF && !blk)
			syntax();
	}
	for (i = 0; i < nfuncs; i++)
		if (!funcs[i].defined)
			fatal("calling undefined function %s", funcs[i].name);
}
