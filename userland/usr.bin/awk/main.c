/*
 * awk: pattern-directed scanning and processing language, after the
 * one true awk (Aho, Weinberger, Kernighan) and POSIX.
 *
 *	awk [-F fs] [-v var=value] [prog | -f progfile ...] [file ...]
 */
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "awk.h"

int lineno;
const char *progfile;
static int parsing = 1;

extern char **environ;

static void
usage(void)
{
	fprintf(stderr, "usage: awk [-F fs][-v var=value] [prog | -f progfile]\n\tfile ...\n");
	exit(2);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	char fb[512], nb[64];

	fflush(stdout);
	fprintf(stderr, "awk: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (!parsing && globals != NULL && getnum(&globals[V_NR].c) > 0)
		fprintf(stderr, " input record number %s, file %s\n",
		    var_str(V_NR, nb, sizeof(nb)), var_str(V_FILENAME, fb, sizeof(fb)));
	if (!parsing)
		fprintf(stderr, " source line number %d\n", lineno);
	exit(2);
}

void
warning(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "awk: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "awk: out of memory\n");
		exit(2);
	}
	return (p);
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL) {
		fprintf(stderr, "awk: out of memory\n");
		exit(2);
	}
	return (p);
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return (memcpy(xmalloc(n), s, n));
}

static char *
readfile(const char *path)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	size_t n = 0, cap = 4096, r;
	char *buf;

	if (fp == NULL) {
		fprintf(stderr, "awk: can't open file %s\n", path);
		exit(2);
	}
	buf = xmalloc(cap);
	while ((r = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
		n += r;
		if (cap - n < 2)
			buf = xrealloc(buf, cap *= 2);
	}
	buf[n] = '\0';
	if (fp != stdin)
		fclose(fp);
	return (buf);
}

static void
init_specials(int argc, char **argv)
{
	static const char *names[NSPECIAL] = {
		[V_NF] = "NF", [V_NR] = "NR", [V_FNR] = "FNR", [V_FS] = "FS",
		[V_OFS] = "OFS", [V_ORS] = "ORS", [V_RS] = "RS", [V_SUBSEP] = "SUBSEP",
		[V_CONVFMT] = "CONVFMT", [V_OFMT] = "OFMT", [V_RSTART] = "RSTART",
		[V_RLENGTH] = "RLENGTH", [V_FILENAME] = "FILENAME",
		[V_ENVIRON] = "ENVIRON", [V_ARGC] = "ARGC", [V_ARGV] = "ARGV",
	};
	char key[32], **e;
	int i;

	for (i = 0; i < NSPECIAL; i++)
		(void)global_index(names[i]);
	setvar_num(V_NF, 0);
	setvar_num(V_NR, 0);
	setvar_num(V_FNR, 0);
	setvar_str(V_FS, " ");
	setvar_str(V_OFS, " ");
	setvar_str(V_ORS, "\n");
	setvar_str(V_RS, "\n");
	setvar_str(V_SUBSEP, "\034");
	setvar_str(V_CONVFMT, "%.6g");
	setvar_str(V_OFMT, "%.6g");
	setvar_num(V_RSTART, 0);
	setvar_num(V_RLENGTH, -1);
	setvar_str(V_FILENAME, "");
	globals[V_ENVIRON].kind = V_ARRAY;
	globals[V_ENVIRON].arr = arr_new();
	for (e = environ; *e != NULL; e++) {
		char *eq = strchr(*e, '=');
		if (eq == NULL)
			continue;
		char *name = xmalloc(eq - *e + 1);
		memcpy(name, *e, eq - *e);
		name[eq - *e] = '\0';
		Cell *c = arr_get(globals[V_ENVIRON].arr, name, 1);
		cfree(c);
		*c = mkstrnum(eq + 1);
		free(name);
	}
	globals[V_ARGV].kind = V_ARRAY;
	globals[V_ARGV].arr = arr_new();
	for (i = 0; i < argc; i++) {
		snprintf(key, sizeof(key), "%d", i);
		Cell *c = arr_get(globals[V_ARGV].arr, key, 1);
		cfree(c);
		*c = i == 0 ? mkstr("awk") : mkstrnum(argv[i]);
	}
	setvar_num(V_ARGC, argc);
}

int
main(int argc, char *argv[])
{
	char *prog = NULL, *fs = NULL, **vars = NULL;
	size_t plen = 0;
	int ch, nvars = 0, i;
	char stackmark;

	stack_init(&stackmark);
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	if (argc > 1 && (strcmp(argv[1], "-version") == 0 || strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "-V") == 0)) {
		printf("awk version 20240728 (vkernel)\n");
		return (0);
	}
	while ((ch = getopt(argc, argv, "+F:v:f:")) != -1) {
		switch (ch) {
		case 'F':
			fs = strcmp(optarg, "t") == 0 ? "\t" : optarg;
			break;
		case 'v':
			if (strchr(optarg, '=') == NULL) {
				fprintf(stderr, "awk: invalid -v argument: %s\n", optarg);
				exit(2);
			}
			vars = xrealloc(vars, (nvars + 1) * sizeof(*vars));
			vars[nvars++] = optarg;
			break;
		case 'f': {
			char *t = readfile(optarg);
			size_t tl = strlen(t);
			prog = xrealloc(prog, plen + tl + 2);
			memcpy(prog + plen, t, tl);
			plen += tl;
			prog[plen++] = '\n';
			prog[plen] = '\0';
			free(t);
			progfile = optarg;
			break;
		}
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (prog == NULL) {
		if (argc < 1)
			usage();
		prog = argv[0];
		argc--;
		argv++;
	}
	/* ARGV: "awk" and the operands after the program */
	char **av = xmalloc((argc + 2) * sizeof(*av));
	av[0] = "awk";
	for (i = 0; i < argc; i++)
		av[i + 1] = argv[i];
	init_specials(argc + 1, av);
	if (fs != NULL) {
		char *t = unescape(fs, 0);
		setvar_str(V_FS, t);
		free(t);
	}
	for (i = 0; i < nvars; i++)
		assign_operand(vars[i]);
	parse(prog);
	parsing = 0;
	run_program();
	close_all();
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "awk: write error on stdout\n");
		exit(2);
	}
	return (exitcode);
}
