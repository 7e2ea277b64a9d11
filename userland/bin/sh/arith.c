/*
 * $((...)): C's integer expressions over signed long, by recursive descent.
 * Variables are read as integers and may be assigned (=, op=, ++, --).
 * `noeval` turns off side effects in the arm not taken by && || ?:.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

static const char *ap;			/* scan position */
static const char *expr;		/* whole expression, for messages */
static int noeval;

static long assign(void);

static void __attribute__((noreturn))
arerror(const char *msg)
{
	sh_error("arithmetic expression: %s: \"%s\"", msg, expr);
}

static void
skipws(void)
{
	while (isspace((unsigned char)*ap))
		ap++;
}

/* Match an operator, but not as the prefix of a longer one. */
static int
accept(const char *op)
{
	size_t n = strlen(op);

	skipws();
	if (strncmp(ap, op, n) != 0)
		return 0;
	/* "<" must not match "<<" or "<=", "&" not "&&", etc. */
	if (n == 1 && strchr("<>&|*/%+-=!^", op[0]) && ap[1] == '=' &&
	    op[0] != '=' && op[0] != '!')
		return 0;
	if (n == 1 && (op[0] == '<' || op[0] == '>' || op[0] == '&' || op[0] == '|') &&
	    ap[1] == op[0])
		return 0;
	if (n == 1 && op[0] == '=' && ap[1] == '=')
		return 0;
	if (n == 1 && op[0] == '!' && ap[1] == '=')
		return 0;
	if (n == 2 && (op[0] == '<' || op[0] == '>') && op[1] == op[0] && ap[2] == '=')
		return 0;
	ap += n;
	return 1;
}

static long
strtonumber(const char *s, int *ok)
{
	char *end;
	long v;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0') {
		*ok = 1;
		return 0;
	}
	v = strtol(s, &end, 0);
	while (isspace((unsigned char)*end))
		end++;
	*ok = *end == '\0';
	return v;
}

static long
varvalue(const char *name)
{
	const char *v = lookupvar(name);
	int ok;
	long n;

	if (v == NULL) {
		if (Uflag)
			sh_error("%s: parameter not set", name);
		return 0;
	}
	n = strtonumber(v, &ok);
	if (!ok)
		sh_error("%s: bad number: \"%s\"", name, v);
	return n;
}

static void
setnum(const char *name, long v)
{
	char buf[32];

	if (noeval)
		return;
	snprintf(buf, sizeof(buf), "%ld", v);
	setvar(name, buf, 0);
}

static char *
readname(void)
{
	const char *s = ap;

	while (isalnum((unsigned char)*ap) || *ap == '_')
		ap++;
	return ststrndup(s, (size_t)(ap - s));
}

static long
primary(void)
{
	long v;

	skipws();
	if (*ap == '(') {
		ap++;
		v = assign();
		skipws();
		if (*ap++ != ')')
			arerror("missing )");
		return v;
	}
	if (isdigit((unsigned char)*ap)) {
		char *end;

		v = strtol(ap, &end, 0);
		if (isalnum((unsigned char)*end) || *end == '_')
			arerror("bad number");
		ap = end;
		return v;
	}
	if (isalpha((unsigned char)*ap) || *ap == '_') {
		char *name = readname();

		v = varvalue(name);
		skipws();
		if (ap[0] == '+' && ap[1] == '+') {
			ap += 2;
			setnum(name, v + 1);
		} else if (ap[0] == '-' && ap[1] == '-') {
			ap += 2;
			setnum(name, v - 1);
		}
		return v;
	}
	arerror(*ap ? "syntax error" : "missing operand");
}

static long
unary(void)
{
	skipws();
	if (ap[0] == '+' && ap[1] == '+') {
		char *name;
		long v;

		ap += 2;
		skipws();
		name = readname();
		if (*name == '\0')
			arerror("syntax error");
		v = varvalue(name) + 1;
		setnum(name, v);
		return v;
	}
	if (ap[0] == '-' && ap[1] == '-') {
		char *name;
		long v;

		ap += 2;
		skipws();
		name = readname();
		if (*name == '\0')
			arerror("syntax error");
		v = varvalue(name) - 1;
		setnum(name, v);
		return v;
	}
	if (accept("-"))
		return -unary();
	if (accept("+"))
		return unary();
	if (accept("!"))
		return !unary();
	if (accept("~"))
		return ~unary();
	return primary();
}

static long
mul(void)
{
	long v = unary();

	for (;;) {
		if (accept("*"))
			v *= unary();
		else if (accept("/") || accept("%")) {
			int op = ap[-1];
			long r = unary();

			if (r == 0) {
				if (noeval)
					continue;
				arerror("division by zero");
			}
			v = op == '/' ? v / r : v % r;
		} else
			return v;
	}
}

static long
add(void)
{
	long v = mul();

	for (;;) {
		if (accept("+"))
			v += mul();
		else if (accept("-"))
			v -= mul();
		else
			return v;
	}
}

static long
shift(void)
{
	long v = add();

	for (;;) {
		if (accept("<<"))
			v = (long)((unsigned long)v << (add() & 63));
		else if (accept(">>"))
			v >>= add() & 63;
		else
			return v;
	}
}

static long
rel(void)
{
	long v = shift();

	for (;;) {
		if (accept("<="))
			v = v <= shift();
		else if (accept(">="))
			v = v >= shift();
		else if (accept("<"))
			v = v < shift();
		else if (accept(">"))
			v = v > shift();
		else
			return v;
	}
}

static long
eq(void)
{
	long v = rel();

	for (;;) {
		if (accept("=="))
			v = v == rel();
		else if (accept("!="))
			v = v != rel();
		else
			return v;
	}
}

static long
band(void)
{
	long v = eq();

	while (accept("&"))
		v &= eq();
	return v;
}

static long
bxor(void)
{
	long v = band();

	while (accept("^"))
		v ^= band();
	return v;
}

static long
bor(void)
{
	long v = bxor();

	while (accept("|"))
		v |= bxor();
	return v;
}

static long
land(void)
{
	long v = bor();

	while (accept("&&")) {
		long r;

		if (!v)
			noeval++;
		r = bor();
		if (!v)
			noeval--;
		v = v && r;
	}
	return v;
}

static long
lor(void)
{
	long v = land();

	while (accept("||")) {
		long r;

		if (v)
			noeval++;
		r = land();
		if (v)
			noeval--;
		v = v || r;
	}
	return v;
}

static long
cond(void)
{
	long c = lor(), a, b;

	if (!accept("?"))
		return c;
	if (!c)
		noeval++;
	a = assign();
	if (!c)
		noeval--;
	if (!accept(":"))
		arerror("expecting ':'");
	if (c)
		noeval++;
	b = cond();
	if (c)
		noeval--;
	return c ? a : b;
}

static long
assign(void)
{
	static const char *const ops[] = {
		"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|=", NULL,
	};
	const char *save;
	char *name;

	skipws();
	save = ap;
	if (isalpha((unsigned char)*ap) || *ap == '_') {
		name = readname();
		skipws();
		for (int i = 0; ops[i]; i++) {
			size_t n = strlen(ops[i]);
			long v, r;

			if (strncmp(ap, ops[i], n) != 0 || (n == 1 && ap[1] == '='))
				continue;
			ap += n;
			r = assign();
			v = i == 0 ? 0 : varvalue(name);
			switch (i) {
			case 0: v = r; break;
			case 1: v += r; break;
			case 2: v -= r; break;
			case 3: v *= r; break;
			case 4: case 5:
				if (r == 0)
					arerror("division by zero");
				v = i == 4 ? v / r : v % r;
				break;
			case 6: v = (long)((unsigned long)v << (r & 63)); break;
			case 7: v >>= r & 63; break;
			case 8: v &= r; break;
			case 9: v ^= r; break;
			case 10: v |= r; break;
			}
			setnum(name, v);
			return v;
		}
		ap = save;
	}
	return cond();
}

long
arith(const char *s)
{
	long v;

	expr = s;
	ap = s;
	noeval = 0;
	skipws();
	if (*ap == '\0')
		return 0;
	v = assign();
	while (accept(","))
		v = assign();
	skipws();
	if (*ap != '\0')
		arerror("syntax error");
	return v;
}
