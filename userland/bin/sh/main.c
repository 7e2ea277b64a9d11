/*
 * sh: the command interpreter.
 *
 *   sh [-abCefilmnuvx] [-o option] [-c string [name [arg ...]]]
 *   sh [-abCefilmnuvx] [-o option] [-s] [file [arg ...]]
 *
 * A login shell (-l, or argv[0] starting with '-') reads /etc/profile and
 * $HOME/.profile; an interactive shell then reads the file named by ENV.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"

extern char **environ;
void input_flushline(void);
void initpwd(void);

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: sh [-abCefilmnuvx] [-o option] [-c string [name [arg ...]]]\n"
	    "       sh [-abCefilmnuvx] [-o option] [-s] [file [arg ...]]\n");
	exit(2);
}

/*
 * Read and run commands until end of input.  The top level catches errors
 * (and keeps going if interactive); nested loops, for `.`, let them
 * propagate.
 */
int
cmdloop(int top)
{
	struct jmploc jmp;
	struct stackmark m;
	struct node *n;
	int depth = input_depth();

	setstackmark(&m);
	if (top) {
		if (setjmp(jmp.buf)) {
			/* An error or interrupt unwound to here. */
			if (exception == EXEXIT)
				exitshell(exitstatus);
			while (input_depth() > depth)
				popfile();
			parser_reset();
			popstackmark(&m);
			evalskip = 0;
			loopnest = funcnest = 0;
			if (!Iflag) {
				if (exception == EXINT)
					exitshell(130);
				exitshell(exitstatus ? exitstatus : 2);
			}
			if (exception == EXINT) {
				intpending = 0;
				fputc('\n', stderr);
				exitstatus = 130;
			}
			input_flushline();
		}
		handler = &jmp;
	}
	for (;;) {
		if (Iflag && top)
			whichprompt = 1;
		n = parsecmd();
		whichprompt = 0;
		if (n == NEOF)
			break;
		if (n != NULL && !Nflag)
			evaltree(n, 0);
		popstackmark(&m);
		if (evalskip) {
			/* return ends a script or a `.` file, but not the user's shell. */
			if (top && Iflag) {
				evalskip = 0;
				continue;
			}
			break;
		}
	}
	return exitstatus;
}

/* Run a file of commands in this shell (`.` and the profile files). */
int
readfile(const char *path, int mustexist)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		if (mustexist)
			sh_error("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	{
		void *ps = parser_push();

		fd = movefd_high(fd);
		setinputfd(fd, 1);
		cmdloop(0);
		popfile();
		parser_pop(ps);
	}
	return exitstatus;
}

/* A text file without #!: run it in this (forked) process as a script. */
void __attribute__((noreturn))
runscript(const char *path, char **argv)
{
	int fd = open(path, O_RDONLY), argc = 0;

	if (fd < 0) {
		sh_warnx("%s: %s", path, strerror(errno));
		_exit(126);
	}
	fd = movefd_high(fd);
	while (argv[argc])
		argc++;
	arg0 = ckstrdup(path);
	commandname = arg0;
	freeparams(&shellparam);
	setparams(argc > 0 ? argc - 1 : 0, argc > 0 ? argv + 1 : argv, &shellparam);
	popallfiles();
	parser_reset();
	setinputfd(fd, 0);
	Iflag = 0;
	handler = NULL;
	loopnest = funcnest = 0;
	evalskip = 0;
	cmdloop(1);
	exitshell(exitstatus);
}

/* Options common to the command line and `set`; returns the next index. */
int
parseoptions(int argc, char **argv, int cmdline, int *cflag, int *sflag)
{
	int i;

	for (i = 1; i < argc; i++) {
		char *a = argv[i];
		int on;

		if ((a[0] != '-' && a[0] != '+') || a[1] == '\0') {
			if (strcmp(a, "-") == 0)
				i++;
			break;
		}
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		on = a[0] == '-';
		for (a++; *a; a++) {
			if (*a == 'o') {
				if (i + 1 >= argc) {
					if (cmdline)
						usage();
					/* set -o / set +o: list the options. */
					for (int k = 0; k < NOPTS; k++) {
						if (on)
							printf("%-16s%s\n", optnames[k], optflags[k] ? "on" : "off");
						else
							printf("set %co %s\n", optflags[k] ? '-' : '+', optnames[k]);
					}
					return -1;
				}
				if (setoption_name(argv[++i], on) < 0) {
					sh_warnx("%s: illegal option name", argv[i]);
					if (cmdline)
						usage();
					return -2;
				}
				break;
			}
			if (cmdline && *a == 'c') {
				*cflag = 1;
				continue;
			}
			if (cmdline && *a == 's') {
				*sflag = 1;
				continue;
			}
			if (!cmdline && (*a == 'i' || *a == 'l'))
				continue;
			if (setoption(*a, on) < 0) {
				sh_warnx("-%c: illegal option", *a);
				if (cmdline)
					usage();
				return -2;
			}
		}
	}
	return i;
}

int
main(int argc, char **argv)
{
	int cflag = 0, sflag = 0, login, i, mflag_set;
	static char *cmdstring;

	rootpid = getpid();
	inittraps();
	initvar(environ);
	login = argv[0] && argv[0][0] == '-';
	Mflag = 2;		/* "not given": interactive shells default to on */
	i = parseoptions(argc, argv, 1, &cflag, &sflag);
	mflag_set = Mflag != 2;
	if (!mflag_set)
		Mflag = 0;
	if (Lflag)
		login = 1;
	arg0 = argv[0] ? argv[0] : "sh";
	if (arg0[0] == '-')
		arg0++;
	{
		const char *slash = strrchr(arg0, '/');

		if (slash)
			arg0 = slash + 1;
	}
	if (cflag) {
		if (i >= argc)
			usage();
		cmdstring = argv[i++];
		if (i < argc)
			arg0 = argv[i++];
	} else if (!sflag && i < argc) {
		/* A script file. */
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0) {
			fprintf(stderr, "%s: cannot open %s: %s\n", arg0, argv[i], strerror(errno));
			exit(127);
		}
		arg0 = argv[i++];
		commandname = arg0;
		setinputfd(movefd_high(fd), 0);
	}
	if (!cflag && commandname == NULL && !Iflag && isatty(0) && isatty(2))
		Iflag = 1;
	if (Iflag && !mflag_set)
		Mflag = 1;
	setparams(argc - i, argv + i, &shellparam);
	initpwd();
	if (Iflag) {
		setinteractive_signals(1);
		if (Mflag) {
			Mflag = 0;
			setoption('m', 1);
		}
	}
	if (login) {
		struct jmploc jmp;

		if (setjmp(jmp.buf) == 0) {
			const char *home = lookupvar("HOME");

			handler = &jmp;
			readfile("/etc/profile", 0);
			if (home) {
				char *p = stalloc(strlen(home) + 10);

				strcpy(p, home);
				strcat(p, "/.profile");
				readfile(p, 0);
			}
		}
		handler = NULL;
	}
	if (Iflag && lookupvar("ENV")) {
		struct jmploc jmp;

		if (setjmp(jmp.buf) == 0) {
			handler = &jmp;
			readfile(expandword(lookupvar("ENV"), EXP_TILDE), 0);
		}
		handler = NULL;
	}
	if (cmdstring)
		setinputstring(cmdstring, 0);
	else if (commandname == NULL)
		setinputfd(0, 0);
	cmdloop(1);
	exitshell(exitstatus);
}
