/*
 * Redirections.  For builtins, functions and compound commands the
 * shell's own descriptors are saved above fd 10 (close-on-exec) and put
 * back afterwards; in a child that is about to exec nothing is saved.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shell.h"

#define MAXSAVE 16

struct redirsave {
	int n;
	struct { int fd, saved; } e[MAXSAVE];
};

static struct redirsave nosave;	/* success without anything to undo */

/* Move an fd of the shell's own out of the user's way (>= 10, cloexec). */
int
movefd_high(int fd)
{
	int nfd;

	if (fd < 0 || fd >= 10) {
		if (fd >= 0)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
		return fd;
	}
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	if (nfd < 0)
		return fd;
	close(fd);
	return nfd;
}

/* A here-document is fed through a pipe; big ones by a writer child. */
static int
openhere(struct redir *r)
{
	const char *text = r->quoted ? r->target : expandheredoc(r->target);
	size_t len = strlen(text);
	int pip[2];

	if (pipe(pip) < 0)
		return -1;
	if (len <= 4096) {
		(void)!write(pip[1], text, len);
	} else {
		pid_t pid = fork();

		if (pid == 0) {
			close(pip[0]);
			signal(SIGPIPE, SIG_DFL);
			for (size_t off = 0; off < len;) {
				ssize_t w = write(pip[1], text + off, len - off);

				if (w <= 0)
					break;
				off += (size_t)w;
			}
			_exit(0);
		}
		/* The writer is reaped by the next wait for any child. */
	}
	close(pip[1]);
	return pip[0];
}

static int
openredir(struct redir *r, const char *fname)
{
	int flags, fd;
	struct stat st;

	switch (r->type) {
	case R_IN:
		flags = O_RDONLY;
		break;
	case R_OUT:
		if (Cflag) {
			if (stat(fname, &st) == 0 && S_ISREG(st.st_mode)) {
				errno = EEXIST;
				return -1;
			}
		}
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case R_CLOBBER:
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case R_APPEND:
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	case R_RDWR:
		flags = O_RDWR | O_CREAT;
		break;
	default:
		return -1;
	}
	fd = open(fname, flags, 0666);
	return fd;
}

static void
undo(struct redirsave *rs)
{
	while (rs->n > 0) {
		rs->n--;
		if (rs->e[rs->n].saved >= 0) {
			dup2(rs->e[rs->n].saved, rs->e[rs->n].fd);
			close(rs->e[rs->n].saved);
		} else {
			close(rs->e[rs->n].fd);
		}
	}
}

static void
savefd(struct redirsave *rs, int fd)
{
	for (int i = 0; i < rs->n; i++)
		if (rs->e[i].fd == fd)
			return;
	if (rs->n == MAXSAVE)
		return;
	rs->e[rs->n].fd = fd;
	rs->e[rs->n].saved = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	rs->n++;
}

/*
 * Apply a list of redirections.  Returns NULL (after a message) when one
 * fails; the ones already applied are undone if they were being saved.
 */
struct redirsave *
redirect(struct redir *list, int save)
{
	struct redirsave *rs;

	if (list == NULL)
		return &nosave;
	rs = ckmalloc(sizeof(*rs));
	rs->n = 0;
	out_flush();
	for (struct redir *r = list; r; r = r->next) {
		int fd = r->fd, newfd;
		char *fname = NULL;

		if (save)
			savefd(rs, fd);
		if (r->type == R_HERE || r->type == R_HERESTRIP) {
			newfd = openhere(r);
		} else if (r->type == R_DUPIN || r->type == R_DUPOUT) {
			char *t = expandword(r->target, EXP_TILDE);
			char *end;
			long src;

			if (strcmp(t, "-") == 0) {
				close(fd);
				continue;
			}
			src = strtol(t, &end, 10);
			if (*t == '\0' || *end != '\0' || src < 0) {
				sh_warnx("%s: Bad file descriptor", t);
				goto fail;
			}
			if (src == fd)
				continue;
			if (fcntl((int)src, F_GETFD) < 0) {
				sh_warnx("%ld: Bad file descriptor", src);
				goto fail;
			}
			if (dup2((int)src, fd) < 0) {
				sh_warnx("%ld: %s", src, strerror(errno));
				goto fail;
			}
			continue;
		} else {
			fname = expandword(r->target, EXP_TILDE);
			newfd = openredir(r, fname);
		}
		if (newfd < 0) {
			if (fname)
				sh_warnx("cannot %s %s: %s",
				    r->type == R_IN ? "open" : "create", fname,
				    errno == EEXIST ? "File exists" : strerror(errno));
			else
				sh_warnx("cannot create here-document: %s", strerror(errno));
			goto fail;
		}
		if (newfd != fd) {
			dup2(newfd, fd);
			close(newfd);
		}
	}
	if (!save) {
		free(rs);
		return &nosave;
	}
	return rs;
fail:
	if (save)
		undo(rs);
	free(rs);
	return NULL;
}

void
popredir(struct redirsave *rs)
{
	if (rs == NULL || rs == &nosave)
		return;
	out_flush();
	undo(rs);
	free(rs);
}
