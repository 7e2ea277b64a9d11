/*
 * man, apropos, whatis: show the world's manual pages.
 *
 * Pages are plain text, <dir>/manN/<name>.N, in the directories of
 * MANPATH (colon-separated; -M overrides; /usr/share/man by default).
 * A page goes through $PAGER (less by default) when standard output is a
 * terminal, and is copied out otherwise.  -k (apropos) searches the NAME
 * lines of every page, -f (whatis) matches their names exactly.
 */
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libutil.h"

static const char *sections[] = { "1", "8", "2", "3", "4", "5", "6", "7", "9", NULL };
static char **dirs;
static int ndirs;
static int aflag;

static void
usage(void)
{
	if (strcmp(getprogname(), "man") == 0)
		fprintf(stderr, "usage: man [-a] [-M path] [section] name ...\n"
		    "       man -f name ...\n       man -k keyword ...\n");
	else
		fprintf(stderr, "usage: %s [-M path] %s ...\n", getprogname(),
		    strcmp(getprogname(), "whatis") == 0 ? "name" : "keyword");
	exit(1);
}

static void
setpath(const char *path)
{
	char *copy = strdup(path), *p, *last;

	if (copy == NULL)
		err(1, NULL);
	for (p = strtok_r(copy, ":", &last); p != NULL; p = strtok_r(NULL, ":", &last)) {
		if ((dirs = reallocarray(dirs, (size_t)ndirs + 1, sizeof(*dirs))) == NULL)
			err(1, NULL);
		dirs[ndirs++] = p;
	}
}

static int
isfile(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Copy a page out, or hand it to the pager on its standard input. */
static int
show(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		warn("%s", path);
		return 1;
	}
	if (isatty(STDOUT_FILENO)) {
		const char *pager = getenv("MANPAGER");
		if (pager == NULL || *pager == '\0')
			pager = getenv("PAGER");
		if (pager == NULL || *pager == '\0')
			pager = "less";
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0)
			err(1, "fork");
		if (pid == 0) {
			dup2(fd, STDIN_FILENO);
			close(fd);
			execl("/bin/sh", "sh", "-c", pager, (char *)NULL);
			err(127, "/bin/sh");
		}
		close(fd);
		int st;
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				err(1, "waitpid");
		return 0;
	}
	char b[16384];
	ssize_t n;
	while ((n = read(fd, b, sizeof(b))) > 0) {
		if (fwrite(b, 1, (size_t)n, stdout) != (size_t)n)
			err(1, "stdout");
	}
	if (n < 0)
		warn("%s", path);
	close(fd);
	return n < 0;
}

/* man [section] name: the first page found, or all of them with -a. */
static int
lookup(const char *sect, const char *name)
{
	char path[4096];
	int found = 0;

	if (strchr(name, '/') != NULL && isfile(name))
		return show(name) == 0 ? 1 : 0;
	for (int s = 0; sections[s] != NULL; s++) {
		const char *sn = sect != NULL ? sect : sections[s];
		for (int d = 0; d < ndirs; d++) {
			snprintf(path, sizeof(path), "%s/man%s/%s.%s", dirs[d], sn, name, sn);
			if (isfile(path)) {
				show(path);
				found++;
				if (!aflag)
					return found;
			}
		}
		if (sect != NULL)
			break;
	}
	return found;
}

/* The text after a page's NAME heading: "grep, egrep - file pattern searcher". */
static int
nameline(const char *path, char *b, size_t n)
{
	FILE *fp = fopen(path, "r");
	char *l = NULL;
	size_t cap = 0;
	int in = 0, got = 0;

	if (fp == NULL)
		return 0;
	while (getline(&l, &cap, fp) > 0) {
		char *s = l;
		while (isspace((unsigned char)*s))
			s++;
		s[strcspn(s, "\n")] = '\0';
		if (!in) {
			in = strcmp(s, "NAME") == 0 && l[0] == 'N';
			continue;
		}
		if (*s == '\0')
			continue;
		strlcpy(b, s, n);
		got = 1;
		break;
	}
	free(l);
	fclose(fp);
	return got;
}

static int
seen(char ***list, size_t *nl, const char *s)
{
	for (size_t i = 0; i < *nl; i++)
		if (strcmp((*list)[i], s) == 0)
			return 1;
	if ((*list = reallocarray(*list, *nl + 1, sizeof(**list))) == NULL ||
	    ((*list)[*nl] = strdup(s)) == NULL)
		err(1, NULL);
	(*nl)++;
	return 0;
}

/* Whether the names before " - " include word exactly. */
static int
hasname(const char *line, const char *word)
{
	const char *dash = strstr(line, " - ");
	size_t end = dash != NULL ? (size_t)(dash - line) : strlen(line);
	size_t wl = strlen(word);

	for (size_t i = 0; i < end;) {
		while (i < end && (line[i] == ',' || line[i] == ' '))
			i++;
		size_t j = i;
		while (j < end && line[j] != ',' && line[j] != ' ')
			j++;
		if (j - i == wl && strncasecmp(line + i, word, wl) == 0)
			return 1;
		i = j;
	}
	return 0;
}

/* Case-insensitive substring test. */
static int
contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}

/* apropos (exact 0) and whatis (exact 1). */
static int
search(char **words, int nwords, int exact)
{
	char path[4096], line[1024], out[1200];
	char **done = NULL;
	size_t ndone = 0;
	int matched = 0;

	for (int d = 0; d < ndirs; d++) {
		for (int s = 0; sections[s] != NULL; s++) {
			snprintf(path, sizeof(path), "%s/man%s", dirs[d], sections[s]);
			struct dirent **ents;
			int n = scandir(path, &ents, NULL, alphasort);
			if (n < 0)
				continue;
			for (int i = 0; i < n; i++) {
				const char *f = ents[i]->d_name;
				size_t fl = strlen(f), sl = strlen(sections[s]);
				if (fl > sl + 1 && f[fl - sl - 1] == '.' && strcmp(f + fl - sl, sections[s]) == 0) {
					char file[8192];
					snprintf(file, sizeof(file), "%s/%s", path, f);
					if (nameline(file, line, sizeof(line))) {
						for (int w = 0; w < nwords; w++) {
							if (exact ? !hasname(line, words[w]) : !contains(line, words[w]))
								continue;
							const char *dash = strstr(line, " - ");
							if (dash != NULL)
								snprintf(out, sizeof(out), "%.*s(%s)%s", (int)(dash - line), line,
								    sections[s], dash);
							else
								snprintf(out, sizeof(out), "%s(%s)", line, sections[s]);
							if (!seen(&done, &ndone, out))
								puts(out);
							matched |= 1 << w;
							break;
						}
					}
				}
				free(ents[i]);
			}
			free(ents);
		}
	}
	int rval = 0;
	for (int w = 0; w < nwords; w++) {
		if (w < 30 && !(matched & 1 << w)) {
			fprintf(stderr, "%s: %s\n", words[w], exact ? "not found" : "nothing appropriate");
			rval = 1;
		}
	}
	for (size_t i = 0; i < ndone; i++)
		free(done[i]);
	free(done);
	return rval;
}

static int
issection(const char *s)
{
	if (!isdigit((unsigned char)s[0]))
		return 0;
	for (int i = 0; sections[i] != NULL; i++)
		if (strcmp(s, sections[i]) == 0)
			return 1;
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *mpath = NULL, *sect = NULL;
	int ch, kflag = 0, fflag = 0, rval = 0;

	if (strcmp(getprogname(), "apropos") == 0)
		kflag = 1;
	else if (strcmp(getprogname(), "whatis") == 0)
		fflag = 1;
	while ((ch = getopt(argc, argv, "+afkM:")) != -1) {
		switch (ch) {
		case 'a':
			aflag = 1;
			break;
		case 'f':
			fflag = 1;
			break;
		case 'k':
			kflag = 1;
			break;
		case 'M':
			mpath = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (mpath == NULL && (mpath = getenv("MANPATH")) == NULL)
		mpath = "/usr/share/man";
	setpath(mpath);
	if (argc == 0) {
		if (!kflag && !fflag) {
			fprintf(stderr, "What manual page do you want?\n");
			exit(1);
		}
		usage();
	}
	if (kflag || fflag)
		return search(argv, argc, fflag);
	if (argc > 1 && issection(argv[0])) {
		sect = argv[0];
		argc--;
		argv++;
	}
	for (int i = 0; i < argc; i++) {
		if (lookup(sect, argv[i]) == 0) {
			if (sect != NULL)
				fprintf(stderr, "No entry for %s in section %s of the manual\n", argv[i], sect);
			else
				fprintf(stderr, "No manual entry for %s\n", argv[i]);
			rval = 1;
		}
	}
	return rval;
}
