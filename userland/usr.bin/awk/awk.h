/*
 * awk: shared declarations of the lexer, parser and interpreter.
 */
#ifndef AWK_H
#define AWK_H

#include <regex.h>
#include <stdio.h>
#include <setjmp.h>

/* A value: a number, a string, or a string from input that looks numeric. */
#define C_NUM		1	/* num is valid */
#define C_STR		2	/* s is valid (owned) */
#define C_STRNUM	4	/* compares as a number (input, uninitialized) */
#define C_CHECK		8	/* from input: is it a strnum?  decided when first asked */

typedef struct cell {
	int	 fl;
	double	 num;
	char	*s;
} Cell;

typedef struct elem {
	char		*key;
	Cell		 val;
	struct elem	*next;
} Elem;

typedef struct array {
	Elem	**tab;
	size_t	 size, n;
} Array;

enum { V_UNSET, V_SCALAR, V_ARRAY };

typedef struct var {
	char		*name;
	int		 kind;
	Cell		 c;
	Array		*arr;
	struct var	*ref;	/* a parameter: the caller's untyped variable */
	int		 owned;	/* arr is ours to free */
} Var;

/* Node types. */
enum {
	N_NUM, N_STR, N_RE, N_GVAR, N_LVAR, N_FIELD, N_INDEX, N_ASSIGN,
	N_COND, N_AND, N_OR, N_NOT, N_IN, N_MATCH, N_NOMATCH, N_CMP,
	N_CAT, N_ARITH, N_NEG, N_PLUS, N_PREINC, N_PREDEC, N_POSTINC,
	N_POSTDEC, N_CALL, N_BUILTIN, N_GETLINE, N_GROUP,
	/* statements */
	S_EXPR, S_PRINT, S_PRINTF, S_IF, S_WHILE, S_DO, S_FOR, S_FORIN,
	S_BREAK, S_CONTINUE, S_NEXT, S_NEXTFILE, S_EXIT, S_RETURN,
	S_DELETE, S_BLOCK, S_GETLINE
};

/* Builtin functions. */
enum {
	B_LENGTH, B_SUBSTR, B_INDEX, B_SPLIT, B_SUB, B_GSUB, B_MATCH,
	B_SPRINTF, B_TOLOWER, B_TOUPPER, B_SIN, B_COS, B_ATAN2, B_EXP,
	B_LOG, B_SQRT, B_INT, B_RAND, B_SRAND, B_SYSTEM, B_CLOSE, B_FFLUSH
};

/* getline forms */
enum { G_PLAIN, G_FILE, G_CMD };

typedef struct node {
	int		 type;
	int		 op;		/* operator token, builtin, getline kind, redirection */
	int		 idx;		/* variable slot / function index */
	int		 nargs;
	int		 lineno;
	double		 num;
	char		*str;
	regex_t		*re;
	struct node	*a[4];
	struct node	*next;		/* lists: arguments, statements */
} Node;

typedef struct func {
	char	*name;
	int	 nparams;
	char	**params;
	Node	*body;
	int	 defined;
} Func;

typedef struct rule {
	Node		*pat1, *pat2;	/* NULL: every record; pat2: a range */
	Node		*action;	/* NULL: print $0 */
	int		 inrange;
	struct rule	*next;
} Rule;

/* Tokens. */
enum {
	T_EOF = 256, T_NEWLINE, T_NUMBER, T_STRING, T_ERE, T_NAME, T_FUNC_NAME,
	T_BUILTIN, T_BEGIN, T_END, T_FUNCTION, T_IF, T_ELSE, T_WHILE, T_FOR,
	T_DO, T_BREAK, T_CONTINUE, T_NEXT, T_NEXTFILE, T_EXIT, T_RETURN,
	T_DELETE, T_GETLINE, T_PRINT, T_PRINTF, T_IN,
	T_ADD_ASSIGN, T_SUB_ASSIGN, T_MUL_ASSIGN, T_DIV_ASSIGN, T_MOD_ASSIGN,
	T_POW_ASSIGN, T_OR, T_AND, T_NOMATCH, T_EQ, T_LE, T_GE, T_NE,
	T_INCR, T_DECR, T_APPEND
};

typedef struct token {
	int	 type;
	int	 lineno;
	double	 num;
	char	*str;		/* names, strings, regular expressions */
	int	 builtin;
	size_t	 pos;		/* offset in the source, for messages */
} Token;

/* Special variables: fixed global slots. */
enum {
	V_NF, V_NR, V_FNR, V_FS, V_OFS, V_ORS, V_RS, V_SUBSEP, V_CONVFMT,
	V_OFMT, V_RSTART, V_RLENGTH, V_FILENAME, V_ENVIRON, V_ARGC, V_ARGV,
	NSPECIAL
};

/* main.c */
extern int	 lineno;
extern const char *progfile;
void		 fatal(const char *, ...) __attribute__((noreturn, format(printf, 1, 2)));
void		 warning(const char *, ...) __attribute__((format(printf, 1, 2)));
void		*xmalloc(size_t);
void		*xrealloc(void *, size_t);
char		*xstrdup(const char *);

/* lex.c */
void		 lex_init(const char *);
Token		 lex(void);
Token		 lex_regex(void);
void		 lex_save(size_t *, int *);
void		 lex_restore(size_t, int);
void		 lex_context(size_t, char *, size_t);
void		 lex_tokentext(size_t, char *, size_t);
char		*unescape(const char *, int);

/* parse.c */
extern Rule	*begins, *ends, *rules;
extern Func	*funcs;
extern int	 nfuncs;
extern Var	*globals;
extern int	 nglobals;
void		 parse(const char *);
int		 global_index(const char *);
regex_t		*compile_re(const char *);

/* run.c */
extern int	 exitcode;
void		 run_program(void);
void		 stack_init(char *);
int		 begins_running(void);
Cell		 eval(Node *);
void		 cfree(Cell *);
double		 getnum(Cell *);
const char	*getstr(Cell *, char *, size_t, int);
Cell		 mkstr(const char *);
Cell		 mkstrnum(const char *);
Cell		 mkstrnum_own(char *);
Cell		 mknum(double);
Cell		 ccopy(const Cell *);
int		 looks_numeric(const char *);
void		 setvar_str(int, const char *);
void		 setvar_num(int, double);
const char	*var_str(int, char *, size_t);
Array		*arr_new(void);
Cell		*arr_get(Array *, const char *, int);
void		 arr_del(Array *, const char *);
void		 arr_clear(Array *);
size_t		 arr_count(Array *);

/* lib.c */
extern char	*record;
void		 set_record(const char *, size_t);
const char	*get_record(void);
Cell		*get_field(int);
void		 set_field(int, Cell);
int		 get_nf(void);
void		 set_nf(int);
int		 split_str(const char *, Array *, Node *, const char *);
int		 readrec(FILE *, char **, size_t *, void *);
int		 next_main_record(char **, size_t *);
FILE		*out_stream(const char *, int);
int		 close_stream(const char *);
void		 close_all(void);
int		 flush_stream(const char *);
int		 getline_file(const char *, char **, size_t *);
int		 getline_cmd(const char *, char **, size_t *);
void		 nextfile(void);
void		 assign_operand(const char *);
regex_t		*dyn_re(const char *);

#endif /* !AWK_H */
