/*
 * Finding and running commands: the PATH search, exec with the errors
 * POSIX asks for (127 not found, 126 found but not executable), running
 * a text file without #! as a shell script, and the function table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shell.h"

void runscript(const char *path, char **argv) __attribute__((noreturn));

/* Is the file something execve refused but a shell can read? */
static int
istextfile(const char *path)
{
	char buf[256];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n >= 4 && memcmp(buf, "\177ELF", 4) == 0)
		return 0;
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n')
			break;
		if (buf[i] == '\0')
			return 0;
	}
	return 1;
}

static void
tryexec(const char *path, char **argv, char **env)
{
	execve(path, argv, env);
	if (errno == ENOEXEC) {
		if (istextfile(path))
			runscript(path, argv);
		errno = ENOEXEC;
	}
}

/* The next "dir/name" candidate from a PATH-like string. */
static const char *
nextpath(const char *pathlist, const char *name, char **out)
{
	const char *p = pathlist;
	size_t dl, nl = strlen(name);
	char *s;

	if (p == NULL)
		return NULL;
	dl = strcspn(p, ":");
	s = stalloc(dl + nl + 2);
	if (dl == 0) {
		memcpy(s, name, nl + 1);	/* empty entry: the current directory */
	} else {
		memcpy(s, p, dl);
		s[dl] = '/';
		memcpy(s + dl + 1, name, nl + 1);
	}
	*out = s;
	return p[dl] == ':' ? p + dl + 1 : NULL;
}

void
shellexec(char **argv, char **env)
{
	int e = ENOENT;
	const char *name = argv[0];

	if (strchr(name, '/') != NULL) {
		tryexec(name, argv, env);
		e = errno;
	} else {
		const char *pl = lookupvar("PATH");
		char *cand;

		if (pl == NULL)
			pl = "";
		while (pl != NULL) {
			pl = nextpath(pl, name, &cand);
			tryexec(cand, argv, env);
			if (errno != ENOENT && errno != ENOTDIR)
				e = errno;
		}
	}
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		sh_warnx("%s: not found", name);
		exitshell(127);
	case EACCES:
		sh_warnx("%s: Permission denied", name);
		exitshell(126);
	case ENOEXEC:
		sh_warnx("%s: cannot execute binary file", name);
		exitshell(126);
	default:
		sh_warnx("%s: %s", name, strerror(e));
		exitshell(126);
	}
}

/* For type and command -v: 0 not found, else a path on the stack. */
char *
findcommand(const char *name, int *kind)
{
	const char *pl = lookupvar("PATH");
	char *cand;
	struct stat st;

	*kind = 0;
	if (strchr(name, '/') != NULL) {
		if (stat(name, &st) == 0 && S_ISREG(st.st_mode)) {
			*kind = 1;
			return ststrdup(name);
		}
		return NULL;
	}
	while (pl != NULL) {
		pl = nextpath(pl, name, &cand);
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0) {
			*kind = 1;
			return cand;
		}
	}
	return NULL;
}

/* Run an external command from a builtin (command, exec-less paths). */
int
runexternal(char **argv)
{
	struct job *jp = makejob(1);

	if (forkshell(jp, NULL, FORK_FG) == 0)
		shellexec(argv, environment());
	return waitforjob(jp);
}

/* ---- functions ---- */

struct func {
	struct func *next;
	char *name;
	struct node *body;
};
static struct func *functab;

void
defun(const char *name, struct node *body)
{
	struct func *f;

	for (f = functab; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			break;
	if (f == NULL) {
		f = ckmalloc(sizeof(*f));
		f->name = ckstrdup(name);
		f->next = functab;
		functab = f;
	}
	/* The old body may be running right now: it is not freed. */
	f->body = copytree(body);
}

struct node *
getfunc(const char *name)
{
	for (struct func *f = functab; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f->body;
	return NULL;
}

int
unsetfunc(const char *name)
{
	for (struct func **fp = &functab; *fp; fp = &(*fp)->next)
		if (strcmp((*fp)->name, name) == 0) {
			struct func *f = *fp;

			*fp = f->next;
			free(f->name);
			free(f);
			return 0;
		}
	return 1;
}

void
listfuncs(void)
{
	for (struct func *f = functab; f; f = f->next) {
		struct strbuf sb;
		struct node n;

		memset(&n, 0, sizeof(n));
		n.type = N_FUNC;
		n.u.func.name = f->name;
		n.u.func.body = f->body;
		sb_init(&sb);
		cmdtext(&sb, &n);
		printf("%s\n", sb.s);
		sb_free(&sb);
	}
}
