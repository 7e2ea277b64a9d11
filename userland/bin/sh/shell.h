/*
 * sh: a POSIX command interpreter in the spirit of BSD's ash-family sh.
 *
 * One header for the whole program: the shell's parts (input, lexer,
 * parser, expander, evaluator, jobs, variables, traps, builtins) call
 * each other freely, and a single list of declarations keeps that honest.
 */
#ifndef SHELL_H
#define SHELL_H

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* ---- memory: a stack arena released per command (memalloc.c) ---- */

void	*ckmalloc(size_t);
void	*ckrealloc(void *, size_t);
char	*ckstrdup(const char *);
void	*stalloc(size_t);
char	*ststrdup(const char *);
char	*ststrndup(const char *, size_t);
struct stackmark { void *block; size_t used; };
void	 setstackmark(struct stackmark *);
void	 popstackmark(struct stackmark *);

/* A growable string (malloc-backed, caller frees). */
struct strbuf { char *s; size_t len, cap; };
void	 sb_init(struct strbuf *);
void	 sb_addc(struct strbuf *, int);
void	 sb_addn(struct strbuf *, const char *, size_t);
void	 sb_adds(struct strbuf *, const char *);
void	 sb_free(struct strbuf *);

/* ---- errors (error.c) ---- */

enum { EXERROR = 1, EXEXIT, EXINT };
struct jmploc { jmp_buf buf; };
extern struct jmploc *handler;
extern int exception;
extern const char *arg0;		/* $0 for messages */
extern const char *commandname;		/* script name for syntax errors */

void	 sh_error(const char *, ...) __attribute__((noreturn, format(printf, 1, 2)));
void	 sh_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 exraise(int) __attribute__((noreturn));
void	 exitshell(int) __attribute__((noreturn));

/* ---- input (input.c, lineedit.c) ---- */

extern int plinno;			/* current input line */
extern int whichprompt;			/* 1: PS1, 2: PS2, 0: none */
int	 pgetc(void);
void	 pungetc(void);
void	 setinputfd(int fd, int push);
void	 setinputstring(const char *, int push);
void	 pushalias(const char *text, const char *name);
int	 alias_active(const char *name);
void	 popfile(void);
void	 popallfiles(void);
int	 input_depth(void);
size_t	 input_stringpos(void);
void	 capture_push(struct strbuf *);
void	 capture_pop(void);
int	 input_interactive(void);
ssize_t	 lineedit(const char *prompt, char *buf, size_t size);
void	 history_add(const char *);
void	 history_list(void);
char	*expandprompt(const char *);

/* ---- parse tree (parser.c, lexer.c) ---- */

enum ntype {
	N_CMD, N_PIPE, N_AND, N_OR, N_SEQ, N_BG, N_NOT, N_SUBSHELL, N_GROUP,
	N_IF, N_WHILE, N_UNTIL, N_FOR, N_CASE, N_FUNC,
};

enum rtype {
	R_IN, R_OUT, R_CLOBBER, R_APPEND, R_RDWR, R_DUPIN, R_DUPOUT,
	R_HERE, R_HERESTRIP,
};

struct word {
	struct word *next;
	char *text;			/* the source text, quotes and all */
};

struct redir {
	struct redir *next;
	enum rtype type;
	int fd;
	char *target;			/* raw word; for here-docs the body */
	int quoted;			/* here-doc delimiter was quoted */
};

struct node;
struct nodelist { struct nodelist *next; struct node *n; };
struct caseitem {
	struct caseitem *next;
	struct word *pats;
	struct node *body;
	int fallthru;			/* ;& */
};

struct node {
	enum ntype type;
	int lineno;
	struct redir *redirs;		/* simple and compound commands */
	union {
		struct { struct word *assigns, *args; } cmd;
		struct { struct node *left, *right; } bin;
		struct nodelist *pipe;
		struct node *body;	/* N_BG N_NOT N_SUBSHELL N_GROUP */
		struct { struct node *cond, *then, *els; } nif;
		struct { struct node *cond, *body; } loop;
		struct { char *var; struct word *list; int haslist; struct node *body; } nfor;
		struct { char *subject; struct caseitem *items; } ncase;
		struct { char *name; struct node *body; } func;
	} u;
};

/* Tokens. */
enum token {
	T_EOF, T_NL, T_SEMI, T_AMP, T_AND, T_OR, T_PIPE, T_LPAREN, T_RPAREN,
	T_DSEMI, T_SEMIAMP, T_WORD, T_REDIR,
};
extern char *tokword;			/* text of the last T_WORD */
extern int tokquoted;			/* it held quoting characters */
extern enum rtype tokrtype;		/* T_REDIR: kind */
extern int tokrfd;			/* T_REDIR: explicit fd or -1 */
enum token lex(void);
void	 lex_reset(void);
void	 parser_reset(void);
void	*parser_push(void);
void	 parser_pop(void *);
void	 heredoc_add(struct redir *, const char *delim);
extern int checkkwd;			/* the next word may be a keyword/alias */

#define NEOF ((struct node *)-1)
struct node *parsecmd(void);
struct node *parsestring_all(const char *);
struct node *copytree(const struct node *);
void	 cmdtext(struct strbuf *, const struct node *);
int	 isname(const char *, size_t);
int	 isassignment(const char *);

/* ---- expansion (expand.c, arith.c) ---- */

#define EXP_SPLIT	0x01		/* field splitting */
#define EXP_GLOB	0x02		/* pathname expansion */
#define EXP_TILDE	0x04		/* ~ at the start */
#define EXP_ASSIGN	0x08		/* ~ after = and : too */
#define EXP_PATTERN	0x10		/* keep quoted pattern chars escaped */
#define EXP_HEREDOC	0x20		/* here-document body rules */
#define EXP_FULL	(EXP_SPLIT | EXP_GLOB | EXP_TILDE)

struct arglist { char **v; int n, cap; };
void	 expandarg(const char *, struct arglist *, int flags);
char	*expandword(const char *, int flags);	/* one field, on the stack */
char	*expandheredoc(const char *);
int	 patmatch(const char *pat, const char *s);
long	 arith(const char *);
extern int lastcmdsubst_status;
extern int have_cmdsubst_status;

/* ---- variables (var.c) ---- */

#define V_EXPORT	0x01
#define V_READONLY	0x02
#define V_UNSET		0x04

void	 initvar(char **envp);
char	*lookupvar(const char *);
void	 setvar(const char *name, const char *val, int flags);
void	 setvareq(const char *nameval, int flags);
int	 unsetvar(const char *);
char   **environment(void);
void	 listvars(int flag, const char *prefix);
int	 mklocal(const char *);
void	 poplocals(void *mark);
void	*localmark(void);
void	 exportvar(const char *, int flag);
int	 var_isreadonly(const char *);

struct shparam {
	int nparam;
	char **p;
	int optind, optoff;		/* getopts state */
};
extern struct shparam shellparam;
void	 setparams(int argc, char **argv, struct shparam *);
void	 freeparams(struct shparam *);

/* Options. */
extern char optflags[];
#define Eflag optflags[0]
#define Uflag optflags[1]
#define Xflag optflags[2]
#define Vflag optflags[3]
#define Fflag optflags[4]
#define Nflag optflags[5]
#define Iflag optflags[6]
#define Mflag optflags[7]
#define Cflag optflags[8]
#define Aflag optflags[9]
#define Sflag optflags[10]
#define Bflag optflags[11]
#define Lflag optflags[12]
#define NOPTS 13
extern const char *const optnames[];
extern const char optletters[];
int	 setoption(int letter, int on);
int	 setoption_name(const char *, int on);
char	*optstring(void);

/* ---- evaluation (eval.c, exec.c, redir.c) ---- */

#define EV_EXIT		0x01		/* exit when done (in a child) */
#define EV_TESTED	0x02		/* status is tested: no set -e */

extern int exitstatus;
extern int evalskip;			/* SKIPBREAK SKIPCONT SKIPFUNC */
extern int skipcount;
extern int loopnest, funcnest;
extern int rootshell;			/* not a forked subshell */
extern pid_t rootpid;
extern int curlineno;		/* $LINENO */
enum { SKIPBREAK = 1, SKIPCONT, SKIPFUNC };

int	 evaltree(struct node *, int flags);
int	 evalstring(const char *, int flags);
void	 shellexec(char **argv, char **env) __attribute__((noreturn));
char	*findcommand(const char *name, int *kind);
void	 defun(const char *, struct node *);
struct node *getfunc(const char *);
int	 unsetfunc(const char *);
void	 listfuncs(void);

#define REDIR_SAVE 1
struct redirsave;
struct redirsave *redirect(struct redir *, int save);
void	 popredir(struct redirsave *);
int	 movefd_high(int);

/* ---- jobs (jobs.c) ---- */

extern int jobctl;			/* job control is on */
extern int ttyfd;
struct job;
enum { FORK_FG, FORK_BG, FORK_NOJOB };
struct job *makejob(int nprocs);
void	 jobsetcmd(struct job *, const char *);
pid_t	 forkshell(struct job *, const struct node *, int mode);
int	 waitforjob(struct job *);
void	 setjobctl(int on);
void	 showjobs(int changed_only, int verbose);
void	 reapjobs(void);
void	 clearjobs(void);
int	 waitcmd(int, char **);
extern pid_t backgndpid;

/* ---- traps (trap.c) ---- */

extern volatile sig_atomic_t pendingsig;
extern volatile sig_atomic_t intpending;
void	 inittraps(void);
void	 dotrap(void);
void	 resettraps_child(void);
void	 setinteractive_signals(int on);
void	 exittrap(void);
int	 signame_to_num(const char *);
const char *signum_to_name(int);
int	 pendingsig_number(void);

/* ---- builtins (builtins.c and friends) ---- */

typedef int (*builtin_fn)(int, char **);
struct builtin {
	const char *name;
	builtin_fn fn;
	int special;
};
const struct builtin *findbuiltin(const char *);
extern char *alias_lookup(const char *);
int	 testcmd(int, char **);
int	 echocmd(int, char **);
int	 printfcmd(int, char **);
extern int builtin_stdout_err;

/* Output helpers that go through stdio but flush where the shell forks. */
void	 out_flush(void);

#endif
