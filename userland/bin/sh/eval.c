/*
 * The evaluator: walks a parse tree.  Control flow out of loops and
 * functions (break, continue, return) is a flag, evalskip, that every
 * level checks on the way out; errors unwind with longjmp.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"

int exitstatus;
int evalskip;
int skipcount;
int loopnest, funcnest;
int rootshell = 1;
pid_t rootpid;
int curlineno;

void mklocal_temp(const char *nameval);

static void evalcommand(struct node *, int flags);
static void evalpipe(struct node *, int flags);

/* The status of a command that was never run: set -e applies to it. */
static void
checkerrexit(struct node *n, int flags)
{
	if (!Eflag || exitstatus == 0 || (flags & EV_TESTED) || evalskip)
		return;
	if (n->type == N_CMD || n->type == N_PIPE || n->type == N_SUBSHELL)
		exitshell(exitstatus);
}

static int
loopbreak(void)
{
	/* Returns 1 when the loop must stop; consumes break/continue. */
	if (!evalskip)
		return 0;
	if (evalskip == SKIPCONT && --skipcount <= 0) {
		evalskip = 0;
		return 0;
	}
	if (evalskip == SKIPBREAK && --skipcount <= 0)
		evalskip = 0;
	return 1;
}

static void
evalloop(struct node *n, int flags)
{
	struct stackmark m;
	int status = 0;

	setstackmark(&m);
	loopnest++;
	for (;;) {
		/* Each iteration's expansions are garbage by the next one. */
		popstackmark(&m);
		evaltree(n->u.loop.cond, EV_TESTED);
		if (evalskip) {
			if (loopbreak())
				break;
			continue;
		}
		if ((exitstatus == 0) != (n->type == N_WHILE))
			break;
		evaltree(n->u.loop.body, flags & ~EV_EXIT);
		status = exitstatus;
		if (loopbreak())
			break;
	}
	loopnest--;
	exitstatus = status;
}

static void
evalfor(struct node *n, int flags)
{
	struct arglist al = { 0 };
	struct stackmark m;
	int status = 0;

	if (n->u.nfor.haslist) {
		for (struct word *w = n->u.nfor.list; w; w = w->next)
			expandarg(w->text, &al, EXP_FULL);
	} else {
		for (int i = 0; i < shellparam.nparam; i++) {
			if (al.n + 1 >= al.cap) {
				int cap = al.cap ? al.cap * 2 : 16;
				char **v = stalloc(sizeof(char *) * (size_t)cap);

				if (al.n)
					memcpy(v, al.v, sizeof(char *) * (size_t)al.n);
				al.v = v;
				al.cap = cap;
			}
			al.v[al.n++] = ststrdup(shellparam.p[i]);
		}
	}
	setstackmark(&m);
	loopnest++;
	for (int i = 0; i < al.n; i++) {
		popstackmark(&m);
		setvar(n->u.nfor.var, al.v[i], 0);
		evaltree(n->u.nfor.body, flags & ~EV_EXIT);
		status = exitstatus;
		if (loopbreak())
			break;
	}
	loopnest--;
	exitstatus = status;
}

static void
evalcase(struct node *n, int flags)
{
	struct stackmark m;
	struct caseitem *ci;
	char *subject;

	setstackmark(&m);
	subject = expandword(n->u.ncase.subject, EXP_TILDE);
	exitstatus = 0;
	for (ci = n->u.ncase.items; ci; ci = ci->next) {
		for (struct word *w = ci->pats; w; w = w->next) {
			if (patmatch(expandword(w->text, EXP_TILDE | EXP_PATTERN), subject))
				goto found;
		}
	}
	popstackmark(&m);
	return;
found:
	popstackmark(&m);
	for (; ci; ci = ci->next) {
		evaltree(ci->body, flags);
		if (!ci->fallthru || evalskip)
			break;
	}
}

static void
evalsubshell(struct node *n, int flags)
{
	struct job *jp;

	if (!(flags & EV_EXIT)) {
		jp = makejob(1);
		if (forkshell(jp, n, FORK_FG) != 0) {
			exitstatus = waitforjob(jp);
			return;
		}
	}
	if (redirect(n->redirs, 0) == NULL)
		exitshell(1);
	evaltree(n->u.body, EV_EXIT);
}

static void
evalbg(struct node *n)
{
	struct job *jp = makejob(1);

	if (forkshell(jp, n->u.body, FORK_BG) == 0)
		evaltree(n->u.body, EV_EXIT);
	exitstatus = 0;
}

int
evaltree(struct node *n, int flags)
{
	struct redirsave *rs = NULL;

	if (intpending && Iflag) {
		intpending = 0;
		exraise(EXINT);
	}
	if (n == NULL) {
		exitstatus = 0;
		goto out;
	}
	if (n->redirs && n->type != N_CMD && n->type != N_SUBSHELL) {
		rs = redirect(n->redirs, REDIR_SAVE);
		if (rs == NULL) {
			exitstatus = 1;
			goto out;
		}
	}
	switch (n->type) {
	case N_SEQ:
		evaltree(n->u.bin.left, flags & ~EV_EXIT);
		if (!evalskip)
			evaltree(n->u.bin.right, flags);
		break;
	case N_AND:
	case N_OR:
		evaltree(n->u.bin.left, (flags & ~EV_EXIT) | EV_TESTED);
		if (evalskip || (exitstatus == 0) != (n->type == N_AND))
			break;
		evaltree(n->u.bin.right, flags);
		break;
	case N_NOT:
		evaltree(n->u.body, (flags & ~EV_EXIT) | EV_TESTED);
		exitstatus = !exitstatus;
		break;
	case N_BG:
		evalbg(n);
		break;
	case N_SUBSHELL:
		evalsubshell(n, flags);
		break;
	case N_GROUP:
		evaltree(n->u.body, flags);
		break;
	case N_IF:
		evaltree(n->u.nif.cond, EV_TESTED);
		if (evalskip)
			break;
		if (exitstatus == 0)
			evaltree(n->u.nif.then, flags);
		else if (n->u.nif.els)
			evaltree(n->u.nif.els, flags);
		else
			exitstatus = 0;
		break;
	case N_WHILE:
	case N_UNTIL:
		evalloop(n, flags);
		break;
	case N_FOR:
		evalfor(n, flags);
		break;
	case N_CASE:
		evalcase(n, flags);
		break;
	case N_FUNC:
		defun(n->u.func.name, n->u.func.body);
		exitstatus = 0;
		break;
	case N_CMD:
		evalcommand(n, flags);
		break;
	case N_PIPE:
		evalpipe(n, flags);
		break;
	}
	if (rs)
		popredir(rs);
	checkerrexit(n, flags);
out:
	if (pendingsig)
		dotrap();
	if (flags & EV_EXIT)
		exitshell(exitstatus);
	return exitstatus;
}

/* Run a string as commands (eval, traps). */
int
evalstring(const char *s, int flags)
{
	struct stackmark m;
	struct node *n;
	void *ps;
	int ran = 0;

	setstackmark(&m);
	ps = parser_push();
	setinputstring(s, 1);
	while ((n = parsecmd()) != NEOF) {
		if (n != NULL) {
			evaltree(n, flags & ~EV_EXIT);
			ran = 1;
		}
		if (evalskip)
			break;
	}
	if (!ran)
		exitstatus = 0;
	popfile();
	parser_pop(ps);
	popstackmark(&m);
	if (flags & EV_EXIT)
		exitshell(exitstatus);
	return exitstatus;
}

static void
evalpipe(struct node *n, int flags)
{
	struct nodelist *l;
	struct job *jp;
	int nprocs = 0, prevfd = -1, pip[2] = { -1, -1 };

	for (l = n->u.pipe; l; l = l->next)
		nprocs++;
	jp = makejob(nprocs);
	{
		struct strbuf sb;

		sb_init(&sb);
		cmdtext(&sb, n);
		jobsetcmd(jp, sb.s ? sb.s : "");
		sb_free(&sb);
	}
	for (l = n->u.pipe; l; l = l->next) {
		if (l->next && pipe(pip) < 0)
			sh_error("pipe: %s", strerror(errno));
		if (forkshell(jp, l->n, FORK_FG) == 0) {
			if (prevfd > 0) {
				dup2(prevfd, 0);
				close(prevfd);
			}
			if (l->next) {
				close(pip[0]);
				if (pip[1] != 1) {
					dup2(pip[1], 1);
					close(pip[1]);
				}
			}
			evaltree(l->n, EV_EXIT);
		}
		if (prevfd >= 0)
			close(prevfd);
		if (l->next) {
			prevfd = pip[0];
			close(pip[1]);
		}
	}
	(void)flags;
	exitstatus = waitforjob(jp);
}

/* ---- simple commands ---- */

/* An argument as it could be typed back in. */
static void
tracequote(const char *s)
{
	if (*s != '\0' && strcspn(s, " \t\n'\"\\$`*?#~|&;<>(){}!") == strlen(s)) {
		fputs(s, stderr);
		return;
	}
	fputc('\'', stderr);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stderr);
		else
			fputc(*s, stderr);
	}
	fputc('\'', stderr);
}

static void
xtrace(char **assigns, char **argv)
{
	const char *ps4 = lookupvar("PS4");

	out_flush();
	fputs(ps4 ? expandword(ps4, 0) : "+ ", stderr);
	for (; *assigns; assigns++)
		fprintf(stderr, "%s%s", *assigns, (assigns[1] || *argv) ? " " : "");
	for (; *argv; argv++) {
		tracequote(*argv);
		if (argv[1])
			fputc(' ', stderr);
	}
	fputc('\n', stderr);
	fflush(stderr);
}

/* Expand the assignments of a command to "name=value" strings. */
static char **
expandassigns(struct word *assigns)
{
	struct word *w;
	char **v;
	int n = 0;

	for (w = assigns; w; w = w->next)
		n++;
	v = stalloc(sizeof(char *) * (size_t)(n + 1));
	n = 0;
	for (w = assigns; w; w = w->next) {
		char *eq = strchr(w->text, '=');
		char *val = expandword(eq + 1, EXP_TILDE | EXP_ASSIGN);
		size_t nl = (size_t)(eq - w->text) + 1;
		char *s = stalloc(nl + strlen(val) + 1);

		memcpy(s, w->text, nl);
		strcpy(s + nl, val);
		v[n++] = s;
	}
	v[n] = NULL;
	return v;
}

/* flags -1: for one builtin or function call only. */
static void
assignall(char **assigns, int flags)
{
	for (; *assigns; assigns++) {
		if (flags == -1)
			mklocal_temp(*assigns);
		else
			setvareq(*assigns, flags);
	}
}

/*
 * Call a function: its redirections, temporary assignments, locals and
 * positional parameters are all undone afterwards, even when an error
 * unwinds through here.
 */
static void
callfunction(struct node *body, struct node *n, int argc, char **argv,
    char **assigns, int flags)
{
	struct shparam saved = shellparam;
	struct jmploc jmp, *savehandler = handler;
	struct redirsave *rs;
	void *mark = localmark();
	int e;

	rs = redirect(n->redirs, REDIR_SAVE);
	if (rs == NULL) {
		exitstatus = 1;
		return;
	}
	assignall(assigns, -1);
	setparams(argc - 1, argv + 1, &shellparam);
	funcnest++;
	e = setjmp(jmp.buf);
	if (e == 0) {
		handler = &jmp;
		evaltree(body, flags & EV_TESTED);
	}
	handler = savehandler;
	funcnest--;
	poplocals(mark);
	freeparams(&shellparam);
	shellparam = saved;
	popredir(rs);
	if (e)
		exraise(exception);
	if (evalskip == SKIPFUNC) {
		evalskip = 0;
		skipcount = 0;
	}
}

/* Run a builtin with its redirections undone afterwards, even on error. */
static void
runbuiltin(const struct builtin *bp, struct node *n, int argc, char **argv,
    char **assigns, int tempvars)
{
	struct jmploc jmp, *savehandler = handler;
	struct redirsave *rs;
	void *mark = localmark();
	int e, depth = input_depth();

	out_flush();
	rs = redirect(n->redirs, REDIR_SAVE);
	if (rs == NULL) {
		exitstatus = 1;
		if (bp->special && !Iflag)
			exitshell(2);
		return;
	}
	e = setjmp(jmp.buf);
	if (e == 0) {
		handler = &jmp;
		assignall(assigns, tempvars ? -1 : 0);
		optind = 0;
		exitstatus = bp->fn(argc, argv);
	}
	handler = savehandler;
	out_flush();
	if (ferror(stdout)) {
		clearerr(stdout);
		if (exitstatus == 0)
			exitstatus = 1;
	}
	popredir(rs);
	if (tempvars)
		poplocals(mark);
	if (e) {
		/* A special builtin's error ends a non-interactive shell. */
		if (exception == EXERROR && !bp->special) {
			while (input_depth() > depth)
				popfile();
			parser_reset();
			return;
		}
		exraise(exception);
	}
}

static void
evalcommand(struct node *n, int flags)
{
	struct arglist al = { 0 };
	struct stackmark m;
	const struct builtin *bp;
	struct node *fn;
	struct job *jp;
	char **argv, **assigns;
	int argc;

	setstackmark(&m);
	curlineno = n->lineno;
	have_cmdsubst_status = 0;
	for (struct word *w = n->u.cmd.args; w; w = w->next)
		expandarg(w->text, &al, EXP_FULL);
	if (al.n == 0) {
		static char *empty[] = { NULL };

		al.v = empty;
	}
	argv = al.v;
	argc = al.n;
	if (argc == 0) {
		struct redirsave *rs;

		/* a=1 b=$a: each assignment sees the ones before it. */
		for (struct word *w = n->u.cmd.assigns; w; w = w->next) {
			struct word one = { NULL, w->text };

			assigns = expandassigns(&one);
			assignall(assigns, 0);
			if (Xflag)
				xtrace(assigns, argv);
		}
		exitstatus = have_cmdsubst_status ? lastcmdsubst_status : 0;
		rs = redirect(n->redirs, REDIR_SAVE);
		if (rs == NULL)
			exitstatus = 1;
		else
			popredir(rs);
		goto out;
	}
	assigns = expandassigns(n->u.cmd.assigns);
	if (Xflag)
		xtrace(assigns, argv);
	if (strchr(argv[0], '/') == NULL) {
		bp = findbuiltin(argv[0]);
		if (bp && bp->special) {
			if (strcmp(argv[0], "exec") == 0 && argc == 1) {
				assignall(assigns, 0);
				exitstatus = redirect(n->redirs, 0) ? 0 : 1;
				if (exitstatus && !Iflag)
					exitshell(exitstatus);
				goto out;
			}
			runbuiltin(bp, n, argc, argv, assigns, 0);
			goto out;
		}
		if ((fn = getfunc(argv[0])) != NULL) {
			callfunction(fn, n, argc, argv, assigns, flags);
			goto out;
		}
		if (bp) {
			runbuiltin(bp, n, argc, argv, assigns, 1);
			goto out;
		}
	}
	/* An external program. */
	if (flags & EV_EXIT) {
		jp = NULL;
	} else {
		jp = makejob(1);
		if (forkshell(jp, n, FORK_FG) != 0) {
			exitstatus = waitforjob(jp);
			goto out;
		}
	}
	if (redirect(n->redirs, 0) == NULL)
		_exit(1);
	assignall(assigns, V_EXPORT);
	shellexec(argv, environment());
out:
	popstackmark(&m);
}
