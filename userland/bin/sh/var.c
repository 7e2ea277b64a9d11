/*
 * Shell variables, positional parameters and options.
 *
 * Variables live in a small hash table of malloc'd entries.  `local`
 * saves the outer value on a stack that a function's return unwinds.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"

struct var {
	struct var *next;
	char *name;
	char *val;			/* NULL when unset */
	int flags;
};

#define NHASH 64
static struct var *vartab[NHASH];

struct shparam shellparam;

/* Options: letters and names in one order (see shell.h). */
char optflags[NOPTS];
const char optletters[] = "euxvfnimCasbl";
const char *const optnames[] = {
	"errexit", "nounset", "xtrace", "verbose", "noglob", "noexec",
	"interactive", "monitor", "noclobber", "allexport", "stdin", "notify",
	"login",
};

static unsigned
hash(const char *s, size_t n)
{
	unsigned h = 0;

	while (n--)
		h = h * 31 + (unsigned char)*s++;
	return h % NHASH;
}

static struct var *
findvar(const char *name, size_t n)
{
	for (struct var *v = vartab[hash(name, n)]; v; v = v->next)
		if (strncmp(v->name, name, n) == 0 && v->name[n] == '\0')
			return v;
	return NULL;
}

static struct var *
makevar(const char *name, size_t n)
{
	struct var *v = findvar(name, n);
	unsigned h;

	if (v != NULL)
		return v;
	v = ckmalloc(sizeof(*v));
	v->name = ckmalloc(n + 1);
	memcpy(v->name, name, n);
	v->name[n] = '\0';
	v->val = NULL;
	v->flags = V_UNSET;
	h = hash(name, n);
	v->next = vartab[h];
	vartab[h] = v;
	return v;
}

void
initvar(char **envp)
{
	char buf[32];

	for (; *envp; envp++)
		if (strchr(*envp, '=') && isname(*envp, strcspn(*envp, "=")))
			setvareq(*envp, V_EXPORT);
	setvar("IFS", " \t\n", 0);
	if (lookupvar("PATH") == NULL)
		setvar("PATH", "/bin:/usr/bin:/sbin:/usr/sbin", V_EXPORT);
	/* The prompts may come from the environment. */
	if (lookupvar("PS1") == NULL)
		setvar("PS1", geteuid() == 0 ? "# " : "$ ", 0);
	if (lookupvar("PS2") == NULL)
		setvar("PS2", "> ", 0);
	if (lookupvar("PS4") == NULL)
		setvar("PS4", "+ ", 0);
	setvar("OPTIND", "1", 0);
	snprintf(buf, sizeof(buf), "%d", (int)getppid());
	setvar("PPID", buf, 0);
}

char *
lookupvar(const char *name)
{
	struct var *v = findvar(name, strlen(name));

	return v && !(v->flags & V_UNSET) ? v->val : NULL;
}

int
var_isreadonly(const char *name)
{
	struct var *v = findvar(name, strlen(name));

	return v && (v->flags & V_READONLY);
}

void
setvar(const char *name, const char *val, int flags)
{
	struct var *v;
	size_t n = strlen(name);

	if (!isname(name, n))
		sh_error("%s: bad variable name", name);
	v = makevar(name, n);
	if (v->flags & V_READONLY) {
		if (val == NULL && (flags & V_READONLY))
			return;
		sh_error("%s: is read only", name);
	}
	if (val != NULL) {
		char *nv = ckstrdup(val);

		free(v->val);
		v->val = nv;
		v->flags &= ~V_UNSET;
		if (Aflag)
			v->flags |= V_EXPORT;
	}
	v->flags |= flags & (V_EXPORT | V_READONLY);
	if (strcmp(name, "OPTIND") == 0 && val != NULL) {
		shellparam.optind = atoi(val);
		shellparam.optoff = 0;
	}
}

void
setvareq(const char *nameval, int flags)
{
	const char *eq = strchr(nameval, '=');
	char *name = ststrndup(nameval, (size_t)(eq - nameval));

	setvar(name, eq + 1, flags);
}

int
unsetvar(const char *name)
{
	struct var *v = findvar(name, strlen(name));

	if (v == NULL)
		return 0;
	if (v->flags & V_READONLY) {
		sh_warnx("%s: is read only", name);
		return 1;
	}
	free(v->val);
	v->val = NULL;
	v->flags = V_UNSET;
	return 0;
}

void
exportvar(const char *name, int flag)
{
	struct var *v = makevar(name, strlen(name));

	v->flags |= flag;
}

/* envp for execve, on the stack arena. */
char **
environment(void)
{
	int n = 0, i = 0;
	char **env;

	for (int h = 0; h < NHASH; h++)
		for (struct var *v = vartab[h]; v; v = v->next)
			if ((v->flags & V_EXPORT) && !(v->flags & V_UNSET))
				n++;
	env = stalloc(sizeof(*env) * (size_t)(n + 1));
	for (int h = 0; h < NHASH; h++)
		for (struct var *v = vartab[h]; v; v = v->next)
			if ((v->flags & V_EXPORT) && !(v->flags & V_UNSET)) {
				size_t ln = strlen(v->name), lv = strlen(v->val);
				char *s = stalloc(ln + lv + 2);

				memcpy(s, v->name, ln);
				s[ln] = '=';
				memcpy(s + ln + 1, v->val, lv + 1);
				env[i++] = s;
			}
	env[i] = NULL;
	return env;
}

static int
cmpvar(const void *a, const void *b)
{
	return strcmp((*(struct var *const *)a)->name, (*(struct var *const *)b)->name);
}

static void
putquoted(const char *s)
{
	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-./:,+@%=") == strlen(s)) {
		fputs(s, stdout);
		return;
	}
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

/* `set`, `export -p`, `readonly -p`: sorted, quoted for re-input. */
void
listvars(int flag, const char *prefix)
{
	struct var **list;
	int n = 0, i = 0;

	for (int h = 0; h < NHASH; h++)
		for (struct var *v = vartab[h]; v; v = v->next)
			n++;
	list = stalloc(sizeof(*list) * (size_t)(n + 1));
	for (int h = 0; h < NHASH; h++)
		for (struct var *v = vartab[h]; v; v = v->next)
			if ((v->flags & flag) == flag && (flag || !(v->flags & V_UNSET)))
				list[i++] = v;
	qsort(list, (size_t)i, sizeof(*list), cmpvar);
	for (int k = 0; k < i; k++) {
		struct var *v = list[k];

		if (prefix)
			printf("%s ", prefix);
		fputs(v->name, stdout);
		if (!(v->flags & V_UNSET)) {
			putchar('=');
			putquoted(v->val);
		}
		putchar('\n');
	}
}

/* ---- local variables ---- */

struct localvar {
	struct localvar *next;
	char *name;
	char *val;
	int flags;
};
static struct localvar *locals;

void *
localmark(void)
{
	return locals;
}

static void
pushlocal(struct var *v)
{
	struct localvar *lv = ckmalloc(sizeof(*lv));

	lv->name = ckstrdup(v->name);
	lv->val = v->val ? ckstrdup(v->val) : NULL;
	lv->flags = v->flags;
	lv->next = locals;
	locals = lv;
}

/* A variable assignment for the duration of one builtin or function call. */
void
mklocal_temp(const char *nameval)
{
	const char *eq = strchr(nameval, '=');
	struct var *v = makevar(nameval, (size_t)(eq - nameval));

	pushlocal(v);
	setvar(v->name, eq + 1, V_EXPORT);
}

int
mklocal(const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
	struct var *v;

	if (!isname(arg, n))
		sh_error("%s: bad variable name", arg);
	if (funcnest == 0)
		sh_error("local: not in a function");
	v = makevar(arg, n);
	pushlocal(v);
	if (eq)
		setvar(v->name, eq + 1, 0);
	return 0;
}

void
poplocals(void *mark)
{
	while (locals != NULL && locals != mark) {
		struct localvar *lv = locals;
		struct var *v = makevar(lv->name, strlen(lv->name));

		locals = lv->next;
		free(v->val);
		v->val = lv->val;
		v->flags = lv->flags;
		free(lv->name);
		free(lv);
	}
}

/* ---- positional parameters ---- */

void
setparams(int argc, char **argv, struct shparam *sp)
{
	sp->nparam = argc;
	sp->p = ckmalloc(sizeof(char *) * (size_t)(argc + 1));
	for (int i = 0; i < argc; i++)
		sp->p[i] = ckstrdup(argv[i]);
	sp->p[argc] = NULL;
	sp->optind = 1;
	sp->optoff = 0;
}

void
freeparams(struct shparam *sp)
{
	if (sp->p == NULL)
		return;
	for (int i = 0; i < sp->nparam; i++)
		free(sp->p[i]);
	free(sp->p);
	sp->p = NULL;
	sp->nparam = 0;
}

/* ---- options ---- */

int
setoption(int letter, int on)
{
	const char *p = strchr(optletters, letter);

	if (p == NULL || letter == 0)
		return -1;
	if (letter == 'm' && rootshell) {
		/* Job control may not be possible: -m says what we got. */
		setjobctl(on);
		Mflag = (char)jobctl;
		return 0;
	}
	optflags[p - optletters] = (char)on;
	return 0;
}

int
setoption_name(const char *name, int on)
{
	for (int i = 0; i < NOPTS; i++)
		if (strcmp(optnames[i], name) == 0)
			return setoption(optletters[i], on);
	return -1;
}

/* $- */
char *
optstring(void)
{
	char *s = stalloc(NOPTS + 2);
	int n = 0;

	for (int i = 0; i < NOPTS; i++)
		if (optflags[i] && optletters[i] != 'l')
			s[n++] = optletters[i];
	s[n] = '\0';
	return s;
}

