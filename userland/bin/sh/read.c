/*
 * read and getopts: the builtins that feed variables from input and from
 * the positional parameters.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"

static int
isifsws(int c, const char *ifs)
{
	return (c == ' ' || c == '\t' || c == '\n') && strchr(ifs, c) != NULL;
}

/*
 * read [-r] [-p prompt] [name ...]: one line, a byte at a time so that
 * what follows stays for the next reader; fields split by IFS, the last
 * name taking the rest of the line.
 */
int
readcmd(int argc, char **argv)
{
	int raw = 0, c, status = 0, i;
	const char *prompt = NULL, *ifs = lookupvar("IFS");
	struct strbuf line;
	char *esc;		/* per character: 1 if it was backslash-escaped */
	size_t cap = 64, n, pos;

	optind = 1;
	while ((c = getopt(argc, argv, "+rp:")) != -1) {
		if (c == 'r')
			raw = 1;
		else if (c == 'p')
			prompt = optarg;
		else {
			fprintf(stderr, "usage: read [-r] [-p prompt] [name ...]\n");
			return 2;
		}
	}
	if (ifs == NULL)
		ifs = " \t\n";
	if (prompt && isatty(0)) {
		fputs(prompt, stderr);
		fflush(stderr);
	}
	sb_init(&line);
	sb_addc(&line, 0);
	line.len = 0;
	esc = ckmalloc(cap);
	for (;;) {
		char ch;
		ssize_t r = read(0, &ch, 1);

		if (r < 0 && errno == EINTR) {
			if (pendingsig) {
				status = 128 + pendingsig_number();
				break;
			}
			continue;
		}
		if (r <= 0) {
			status = 1;
			break;
		}
		if (ch == '\n')
			break;
		if (ch == '\\' && !raw) {
			r = read(0, &ch, 1);
			if (r <= 0) {
				status = 1;
				break;
			}
			if (ch == '\n')
				continue;	/* line continuation */
			if (line.len + 1 >= cap)
				esc = ckrealloc(esc, cap *= 2);
			esc[line.len] = 1;
			sb_addc(&line, ch);
			continue;
		}
		if (line.len + 1 >= cap)
			esc = ckrealloc(esc, cap *= 2);
		esc[line.len] = 0;
		sb_addc(&line, ch);
	}
	n = line.len;
	pos = 0;
	/* Leading IFS white space is skipped. */
	while (pos < n && !esc[pos] && isifsws((unsigned char)line.s[pos], ifs))
		pos++;
	i = optind;
	if (i >= argc) {
		/* No names: the whole line into REPLY, unsplit. */
		setvar("REPLY", line.s + pos, 0);
		goto out;
	}
	for (; i < argc; i++) {
		struct strbuf f;

		sb_init(&f);
		sb_addc(&f, 0);
		f.len = 0;
		if (i == argc - 1) {
			/* The rest, less trailing IFS white space. */
			size_t end = n;

			while (end > pos && !esc[end - 1] && isifsws((unsigned char)line.s[end - 1], ifs))
				end--;
			sb_addn(&f, line.s + pos, end - pos);
			pos = n;
		} else {
			while (pos < n && (esc[pos] || !strchr(ifs, line.s[pos])))
				sb_addc(&f, line.s[pos++]);
			/* Skip one delimiter: white space around one non-white one. */
			while (pos < n && !esc[pos] && isifsws((unsigned char)line.s[pos], ifs))
				pos++;
			if (pos < n && !esc[pos] && strchr(ifs, line.s[pos]) &&
			    !isifsws((unsigned char)line.s[pos], ifs)) {
				pos++;
				while (pos < n && !esc[pos] && isifsws((unsigned char)line.s[pos], ifs))
					pos++;
			}
		}
		setvar(argv[i], f.s, 0);
		sb_free(&f);
	}
out:
	free(esc);
	sb_free(&line);
	return status;
}

/* getopts optstring name [arg ...] */
int
getoptscmd(int argc, char **argv)
{
	char **args, *optstr, *p, c[2] = { 0, 0 };
	int nargs, silent, ind;
	const char *arg;

	if (argc < 3)
		sh_error("usage: getopts optstring name [arg ...]");
	optstr = argv[1];
	silent = optstr[0] == ':';
	if (argc > 3) {
		args = argv + 3;
		nargs = argc - 3;
	} else {
		args = shellparam.p;
		nargs = shellparam.nparam;
	}
	ind = shellparam.optind;
	if (ind < 1)
		ind = 1;
	if (ind > nargs || (arg = args[ind - 1])[0] != '-' || arg[1] == '\0') {
		goto end;
	}
	if (shellparam.optoff == 0 && strcmp(arg, "--") == 0) {
		ind++;
		goto end;
	}
	if (shellparam.optoff == 0)
		shellparam.optoff = 1;
	c[0] = arg[shellparam.optoff++];
	p = strchr(optstr + silent, c[0]);
	if (c[0] == ':' || p == NULL) {
		if (silent) {
			setvar("OPTARG", c, 0);
		} else {
			fprintf(stderr, "%s: Illegal option -%c\n", arg0, c[0]);
			unsetvar("OPTARG");
		}
		c[0] = '?';
	} else if (p[1] == ':') {
		if (arg[shellparam.optoff] != '\0') {
			setvar("OPTARG", arg + shellparam.optoff, 0);
			shellparam.optoff = 0;
			ind++;
		} else if (ind < nargs) {
			setvar("OPTARG", args[ind], 0);
			shellparam.optoff = 0;
			ind += 2;
		} else {
			if (silent) {
				setvar("OPTARG", c, 0);
				c[0] = ':';
			} else {
				fprintf(stderr, "%s: No arg for -%c option\n", arg0, c[0]);
				unsetvar("OPTARG");
				c[0] = '?';
			}
			shellparam.optoff = 0;
			ind++;
		}
		goto set;
	} else {
		unsetvar("OPTARG");
	}
	if (arg[shellparam.optoff] == '\0') {
		shellparam.optoff = 0;
		ind++;
	}
set:
	{
		char buf[16];
		int off = shellparam.optoff;

		setvar(argv[2], c, 0);
		snprintf(buf, sizeof(buf), "%d", ind);
		setvar("OPTIND", buf, 0);
		/* setvar("OPTIND") resets optoff; restore what we computed. */
		shellparam.optind = ind;
		shellparam.optoff = off;
	}
	return 0;
end:
	{
		char buf[16];

		shellparam.optoff = 0;
		setvar(argv[2], "?", 0);
		snprintf(buf, sizeof(buf), "%d", ind);
		setvar("OPTIND", buf, 0);
	}
	return 1;
}
