/*
 * The builtin table and the builtins that manage the shell itself:
 * special builtins (POSIX 2.14) first, then the regular ones.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <unistd.h>

#include "shell.h"

int cmdloop(int top);
int readfile(const char *path, int mustexist);
int parseoptions(int argc, char **argv, int cmdline, int *cflag, int *sflag);
int runexternal(char **argv);
int trapcmd_builtin(int, char **);
int jobscmd(int, char **);
int fgcmd(int, char **);
int bgcmd(int, char **);
int killcmd(int, char **);
int cdcmd(int, char **);
int pwdcmd(int, char **);
int readcmd(int, char **);
int getoptscmd(int, char **);
int historycmd(int, char **);
int stoppedjobs(void);

static int dotnest;

static int
truecmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int
falsecmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 1;
}

/* A numeric argument for exit, return, shift, break, continue. */
static int
number(const char *cmd, const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || v < 0 || v > INT_MAX)
		sh_error("%s: Illegal number: %s", cmd, s);
	return (int)v;
}

static int
exitcmd(int argc, char **argv)
{
	static int warned;

	/* The first exit with stopped jobs only warns, as BSD sh does. */
	if (jobctl && rootshell && !warned && stoppedjobs()) {
		warned = 1;
		fprintf(stderr, "You have stopped jobs.\n");
		return 1;
	}
	if (argc > 1)
		exitstatus = number("exit", argv[1]) & 0xff;
	exitshell(exitstatus);
}

static int
returncmd(int argc, char **argv)
{
	int status = argc > 1 ? number("return", argv[1]) & 0xff : exitstatus;

	/* Outside functions and `.` files, as in ash: the script ends. */
	evalskip = SKIPFUNC;
	skipcount = 1;
	return status;
}

static int
breakcmd(int argc, char **argv)
{
	int n = argc > 1 ? number(argv[0], argv[1]) : 1;

	if (n <= 0)
		sh_error("%s: Illegal number: %s", argv[0], argv[1]);
	if (loopnest == 0)
		return 0;
	if (n > loopnest)
		n = loopnest;
	evalskip = argv[0][0] == 'c' ? SKIPCONT : SKIPBREAK;
	skipcount = n;
	return 0;
}

static int
evalcmd(int argc, char **argv)
{
	struct strbuf sb;
	int status;

	if (argc < 2)
		return 0;
	sb_init(&sb);
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			sb_addc(&sb, ' ');
		sb_adds(&sb, argv[i]);
	}
	status = evalstring(sb.s, 0);
	sb_free(&sb);
	return status;
}

static int
execcmd(int argc, char **argv)
{
	if (argc < 2)
		return 0;
	if (Iflag && jobctl)
		setjobctl(0);
	resettraps_child();
	shellexec(argv + 1, environment());
}

/* Run a file for `.`, keeping count of nesting for `return`. */
static int
dotfile(const char *path)
{
	struct jmploc jmp, *saved = handler;
	int status;

	dotnest++;
	if (setjmp(jmp.buf) == 0) {
		handler = &jmp;
		status = readfile(path, 1);
		handler = saved;
	} else {
		handler = saved;
		dotnest--;
		exraise(exception);
	}
	dotnest--;
	return status;
}

/* `.`: search PATH for a name without a slash, then run it here. */
static int
dotcmd(int argc, char **argv)
{
	const char *file;
	char *path = NULL;
	int status;

	if (argc < 2)
		return 0;
	file = argv[1];
	if (strchr(file, '/') == NULL) {
		const char *pl = lookupvar("PATH");

		while (pl && *pl) {
			size_t dl = strcspn(pl, ":");
			char *cand = stalloc(dl + strlen(file) + 2);
			struct stat st;

			memcpy(cand, pl, dl);
			cand[dl] = '\0';
			if (dl)
				strcat(cand, "/");
			strcat(cand, file);
			if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
				path = cand;
				break;
			}
			pl += dl;
			if (*pl == ':')
				pl++;
		}
		if (path == NULL && access(file, R_OK) == 0)
			path = (char *)file;
		if (path == NULL)
			sh_error(".: %s: not found", file);
	} else {
		path = (char *)file;
	}
	exitstatus = 0;
	status = dotfile(path);
	if (evalskip == SKIPFUNC && funcnest == 0)
		evalskip = 0;
	return status;
}

static int
exportcmd(int argc, char **argv)
{
	int flag = argv[0][0] == 'r' ? V_READONLY : V_EXPORT;
	int i = 1;

	if (argc > 1 && strcmp(argv[1], "-p") == 0)
		i++;
	if (i >= argc) {
		listvars(flag, flag == V_EXPORT ? "export" : "readonly");
		return 0;
	}
	for (; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (eq) {
			char *name = ststrndup(argv[i], (size_t)(eq - argv[i]));

			setvar(name, eq + 1, flag);
		} else {
			if (!isname(argv[i], strlen(argv[i])))
				sh_error("%s: bad variable name", argv[i]);
			if (flag == V_READONLY)
				setvar(argv[i], NULL, V_READONLY);
			else
				exportvar(argv[i], flag);
		}
	}
	return 0;
}

static int
unsetcmd(int argc, char **argv)
{
	int funcs = 0, vars = 1, status = 0, i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-f") == 0)
			funcs = 1, vars = 0;
		else if (strcmp(argv[i], "-v") == 0)
			vars = 1, funcs = 0;
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else
			sh_error("unset: %s: bad option", argv[i]);
	}
	for (; i < argc; i++) {
		if (vars)
			status |= unsetvar(argv[i]);
		if (funcs)
			unsetfunc(argv[i]);
	}
	return status;
}

static int
setcmd(int argc, char **argv)
{
	int i;

	if (argc == 1) {
		listvars(0, NULL);
		return 0;
	}
	i = parseoptions(argc, argv, 0, NULL, NULL);
	if (i == -1)
		return 0;
	if (i == -2)
		return 2;
	/* Operands, or an explicit "--", replace the positional parameters. */
	if (i < argc || strcmp(argv[i - 1], "--") == 0) {
		freeparams(&shellparam);
		setparams(argc - i, argv + i, &shellparam);
	}
	return 0;
}

static int
shiftcmd(int argc, char **argv)
{
	int n = argc > 1 ? number("shift", argv[1]) : 1;

	if (n > shellparam.nparam)
		sh_error("shift: can't shift that many");
	for (int i = 0; i < n; i++)
		free(shellparam.p[i]);
	memmove(shellparam.p, shellparam.p + n,
	    sizeof(char *) * (size_t)(shellparam.nparam - n + 1));
	shellparam.nparam -= n;
	shellparam.optind = 1;
	shellparam.optoff = 0;
	return 0;
}

static void
printtime(clock_t t, long hz)
{
	long ms = (long)(t * 1000 / hz);

	printf("%ldm%ld.%03lds", ms / 60000, (ms / 1000) % 60, ms % 1000);
}

static int
timescmd(int argc, char **argv)
{
	struct tms t;
	long hz = sysconf(_SC_CLK_TCK);

	(void)argc;
	(void)argv;
	times(&t);
	printtime(t.tms_utime, hz);
	putchar(' ');
	printtime(t.tms_stime, hz);
	putchar('\n');
	printtime(t.tms_cutime, hz);
	putchar(' ');
	printtime(t.tms_cstime, hz);
	putchar('\n');
	return 0;
}

static int
localcmd(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		mklocal(argv[i]);
	return 0;
}

/* ---- regular builtins ---- */

static int
umaskcmd(int argc, char **argv)
{
	mode_t m;
	int sym = 0, i = 1;

	if (argc > 1 && strcmp(argv[1], "-S") == 0) {
		sym = 1;
		i++;
	}
	if (i >= argc) {
		m = umask(0);
		umask(m);
		if (sym) {
			const char *who = "ugo";

			for (int k = 0; k < 3; k++) {
				int bits = (~m >> (6 - 3 * k)) & 7;

				printf("%c=%s%s%s%s", who[k], bits & 4 ? "r" : "", bits & 2 ? "w" : "",
				    bits & 1 ? "x" : "", k < 2 ? "," : "\n");
			}
		} else {
			printf("%04o\n", (unsigned)m);
		}
		return 0;
	}
	if (isdigit((unsigned char)argv[i][0])) {
		char *end;
		long v = strtol(argv[i], &end, 8);

		if (*end != '\0' || v < 0 || v > 0777)
			sh_error("umask: Illegal number: %s", argv[i]);
		umask((mode_t)v);
		return 0;
	}
	/* Symbolic: u=rwx,g=rx,o= and the like, applied to the complement. */
	{
		mode_t cur, perm;
		char *p = argv[i];

		cur = umask(0);
		umask(cur);
		perm = ~cur & 0777;
		while (*p) {
			int who = 0, op;
			int bits = 0;

			for (; *p && strchr("ugoa", *p); p++)
				who |= *p == 'u' ? 0700 : *p == 'g' ? 070 : *p == 'o' ? 07 : 0777;
			if (who == 0)
				who = 0777;
			op = *p;
			if (op != '=' && op != '+' && op != '-')
				sh_error("umask: Illegal mode: %s", argv[i]);
			for (p++; *p && strchr("rwx", *p); p++)
				bits |= *p == 'r' ? 0444 : *p == 'w' ? 0222 : 0111;
			bits &= who;
			if (op == '=')
				perm = (perm & ~(mode_t)who) | (mode_t)bits;
			else if (op == '+')
				perm |= (mode_t)bits;
			else
				perm &= ~(mode_t)bits;
			if (*p == ',')
				p++;
		}
		umask(~perm & 0777);
	}
	return 0;
}

/* ---- aliases ---- */

struct alias {
	struct alias *next;
	char *name, *val;
};
static struct alias *aliases;

char *
alias_lookup(const char *name)
{
	for (struct alias *a = aliases; a; a = a->next)
		if (strcmp(a->name, name) == 0)
			return a->val;
	return NULL;
}

static void
printalias(struct alias *a)
{
	printf("%s='", a->name);
	for (const char *c = a->val; *c; c++) {
		if (*c == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*c);
	}
	printf("'\n");
}

static int
aliascmd(int argc, char **argv)
{
	int status = 0;

	if (argc == 1) {
		for (struct alias *a = aliases; a; a = a->next)
			printalias(a);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		struct alias *a;

		if (eq == NULL) {
			for (a = aliases; a; a = a->next)
				if (strcmp(a->name, argv[i]) == 0)
					break;
			if (a)
				printalias(a);
			else {
				sh_warnx("alias: %s: not found", argv[i]);
				status = 1;
			}
			continue;
		}
		*eq = '\0';
		for (a = aliases; a; a = a->next)
			if (strcmp(a->name, argv[i]) == 0)
				break;
		if (a == NULL) {
			a = ckmalloc(sizeof(*a));
			a->name = ckstrdup(argv[i]);
			a->val = NULL;
			a->next = aliases;
			aliases = a;
		}
		free(a->val);
		a->val = ckstrdup(eq + 1);
		*eq = '=';
	}
	return status;
}

static int
unaliascmd(int argc, char **argv)
{
	int status = 0;

	if (argc > 1 && strcmp(argv[1], "-a") == 0) {
		while (aliases) {
			struct alias *a = aliases;

			aliases = a->next;
			free(a->name);
			free(a->val);
			free(a);
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		struct alias **ap;

		for (ap = &aliases; *ap; ap = &(*ap)->next)
			if (strcmp((*ap)->name, argv[i]) == 0)
				break;
		if (*ap == NULL) {
			sh_warnx("unalias: %s: not found", argv[i]);
			status = 1;
			continue;
		}
		{
			struct alias *a = *ap;

			*ap = a->next;
			free(a->name);
			free(a->val);
			free(a);
		}
	}
	return status;
}

/* ---- type and command ---- */

static const char *const keywords[] = {
	"!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi",
	"for", "if", "in", "then", "until", "while", NULL,
};

/* verbose: 0 for command -v, 1 for command -V and type. */
static int
describe(const char *name, int verbose)
{
	const struct builtin *bp;
	char *path, *al;
	int kind;

	if ((al = alias_lookup(name)) != NULL) {
		if (verbose)
			printf("%s is an alias for %s\n", name, al);
		else {
			struct alias a = { NULL, (char *)name, al };

			printf("alias ");
			printalias(&a);
		}
		return 0;
	}
	for (int i = 0; keywords[i]; i++)
		if (strcmp(keywords[i], name) == 0) {
			printf(verbose ? "%s is a shell keyword\n" : "%s\n", name);
			return 0;
		}
	if (getfunc(name)) {
		printf(verbose ? "%s is a shell function\n" : "%s\n", name);
		return 0;
	}
	if ((bp = findbuiltin(name)) != NULL) {
		printf(verbose ? "%s is a %sshell builtin\n" : "%s\n", name,
		    bp->special ? "special " : "");
		return 0;
	}
	path = findcommand(name, &kind);
	if (path == NULL) {
		if (verbose)
			printf("%s: not found\n", name);
		return 127;
	}
	if (verbose)
		printf("%s is %s\n", name, path);
	else
		printf("%s\n", path);
	return 0;
}

static int
typecmd(int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++)
		if (describe(argv[i], 1))
			status = 1;
	return status;
}

static int
commandcmd(int argc, char **argv)
{
	int i = 1, v = 0, V = 0, status = 0;
	const struct builtin *bp;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (char *o = argv[i] + 1; *o; o++) {
			if (*o == 'v')
				v = 1;
			else if (*o == 'V')
				V = 1;
			else if (*o != 'p')
				sh_error("command: -%c: bad option", *o);
		}
	}
	if (i >= argc)
		return 0;
	if (v || V) {
		for (; i < argc; i++)
			if (describe(argv[i], V))
				status = 127;
		return status;
	}
	/* Run it, skipping functions. */
	if ((bp = findbuiltin(argv[i])) != NULL && strchr(argv[i], '/') == NULL)
		return bp->fn(argc - i, argv + i);
	return runexternal(argv + i);
}

/* ---- ulimit ---- */

static const struct {
	int opt;
	int res;
	const char *name;
	int scale;
} limits[] = {
	{ 'c', RLIMIT_CORE, "core file size (blocks)", 512 },
	{ 'd', RLIMIT_DATA, "data seg size (kbytes)", 1024 },
	{ 'f', RLIMIT_FSIZE, "file size (blocks)", 512 },
	{ 'n', RLIMIT_NOFILE, "open files", 1 },
	{ 's', RLIMIT_STACK, "stack size (kbytes)", 1024 },
	{ 't', RLIMIT_CPU, "cpu time (seconds)", 1 },
	{ 'u', RLIMIT_NPROC, "max user processes", 1 },
	{ 'v', RLIMIT_AS, "virtual memory (kbytes)", 1024 },
};
#define NLIMITS ((int)(sizeof(limits) / sizeof(limits[0])))

static void
printlimit(rlim_t v, int scale)
{
	if (v == RLIM_INFINITY)
		printf("unlimited\n");
	else
		printf("%llu\n", (unsigned long long)(v / (rlim_t)scale));
}

static int
ulimitcmd(int argc, char **argv)
{
	int hard = 0, soft = 0, all = 0, which = 2, c;
	struct rlimit rl;

	while ((c = getopt(argc, argv, "+HSacdfnstuv")) != -1) {
		if (c == 'H')
			hard = 1;
		else if (c == 'S')
			soft = 1;
		else if (c == 'a')
			all = 1;
		else if (c == '?')
			return 2;
		else {
			for (int k = 0; k < NLIMITS; k++)
				if (limits[k].opt == c)
					which = k;
		}
	}
	if (all) {
		for (int k = 0; k < NLIMITS; k++) {
			getrlimit(limits[k].res, &rl);
			printf("-%c: %-28s", limits[k].opt, limits[k].name);
			printlimit(hard ? rl.rlim_max : rl.rlim_cur, limits[k].scale);
		}
		return 0;
	}
	getrlimit(limits[which].res, &rl);
	if (optind >= argc) {
		printlimit(hard ? rl.rlim_max : rl.rlim_cur, limits[which].scale);
		return 0;
	}
	{
		rlim_t v;
		char *end;

		if (strcmp(argv[optind], "unlimited") == 0)
			v = RLIM_INFINITY;
		else {
			unsigned long long n = strtoull(argv[optind], &end, 10);

			if (*end != '\0')
				sh_error("ulimit: bad number: %s", argv[optind]);
			v = (rlim_t)n * (rlim_t)limits[which].scale;
		}
		if (hard || !soft)
			rl.rlim_max = v;
		if (soft || !hard)
			rl.rlim_cur = v;
		if (setrlimit(limits[which].res, &rl) < 0) {
			sh_warnx("ulimit: %s", strerror(errno));
			return 1;
		}
	}
	return 0;
}

static int
hashcmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int
waitbuiltin(int argc, char **argv)
{
	return waitcmd(argc, argv);
}

static const struct builtin builtins[] = {
	{ ".", dotcmd, 1 },
	{ ":", truecmd, 1 },
	{ "[", testcmd, 0 },
	{ "alias", aliascmd, 0 },
	{ "bg", bgcmd, 0 },
	{ "break", breakcmd, 1 },
	{ "cd", cdcmd, 0 },
	{ "command", commandcmd, 0 },
	{ "continue", breakcmd, 1 },
	{ "echo", echocmd, 0 },
	{ "eval", evalcmd, 1 },
	{ "exec", execcmd, 1 },
	{ "exit", exitcmd, 1 },
	{ "export", exportcmd, 1 },
	{ "false", falsecmd, 0 },
	{ "fg", fgcmd, 0 },
	{ "getopts", getoptscmd, 0 },
	{ "hash", hashcmd, 0 },
	{ "history", historycmd, 0 },
	{ "jobs", jobscmd, 0 },
	{ "kill", killcmd, 0 },
	{ "local", localcmd, 1 },
	{ "printf", printfcmd, 0 },
	{ "pwd", pwdcmd, 0 },
	{ "read", readcmd, 0 },
	{ "readonly", exportcmd, 1 },
	{ "return", returncmd, 1 },
	{ "set", setcmd, 1 },
	{ "shift", shiftcmd, 1 },
	{ "test", testcmd, 0 },
	{ "times", timescmd, 1 },
	{ "trap", trapcmd_builtin, 1 },
	{ "true", truecmd, 0 },
	{ "type", typecmd, 0 },
	{ "ulimit", ulimitcmd, 0 },
	{ "umask", umaskcmd, 0 },
	{ "unalias", unaliascmd, 0 },
	{ "unset", unsetcmd, 1 },
	{ "wait", waitbuiltin, 0 },
	{ NULL, NULL, 0 },
};

const struct builtin *
findbuiltin(const char *name)
{
	for (const struct builtin *bp = builtins; bp->name; bp++)
		if (strcmp(bp->name, name) == 0)
			return bp;
	return NULL;
}
