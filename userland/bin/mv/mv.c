/*
 * mv: move (rename) files.  A rename(2) when source and target share a
 * file system; across file systems a regular file is copied (with its
 * owner, mode and times) and the source removed, and a directory is
 * handed to "cp -PRp" and "rm -rf", as BSD mv does.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libutil.h"

static int fflag, iflag, nflag, vflag, hflag;

static void
usage(void)
{
	fprintf(stderr, "%s\n%s\n",
	    "usage: mv [-f | -i | -n] [-hv] source target",
	    "       mv [-f | -i | -n] [-v] source ... directory");
	exit(64);
}

static int
ask(const char *fmt, const char *a, const char *b)
{
	int ch, first;

	fprintf(stderr, fmt, a, b);
	fflush(stderr);
	first = ch = getchar();
	while (ch != '\n' && ch != EOF)
		ch = getchar();
	if (first != 'y' && first != 'Y') {
		fprintf(stderr, "not overwritten\n");
		return (0);
	}
	return (1);
}

static int
run(const char *path, char *const argv[])
{
	pid_t pid;
	int status;

	if ((pid = fork()) == -1) {
		warn("fork");
		return (1);
	}
	if (pid == 0) {
		execv(path, argv);
		warn("%s", path);
		_exit(1);
	}
	if (waitpid(pid, &status, 0) == -1) {
		warn("%s: waitpid", path);
		return (1);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		warnx("%s: %s", path, WIFEXITED(status) ? "terminated with non-zero status" : "terminated by a signal");
		return (1);
	}
	return (0);
}

static int
fastcopy(const char *from, const char *to, const struct stat *sb)
{
	static char buf[65536];
	int from_fd, to_fd;
	ssize_t n, w;

	if ((from_fd = open(from, O_RDONLY)) == -1) {
		warn("fastcopy: open() failed (from): %s", from);
		return (1);
	}
	(void)unlink(to);
	if ((to_fd = open(to, O_CREAT | O_TRUNC | O_WRONLY, sb->st_mode & 0700)) == -1) {
		warn("fastcopy: open() failed (to): %s", to);
		close(from_fd);
		return (1);
	}
	while ((n = read(from_fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n; off += w) {
			if ((w = write(to_fd, buf + off, n - off)) < 0) {
				warn("%s", to);
				goto fail;
			}
		}
	}
	if (n < 0) {
		warn("%s", from);
		goto fail;
	}
	if (fchown(to_fd, sb->st_uid, sb->st_gid) == -1 && errno != EPERM)
		warn("%s: set owner/group", to);
	if (fchmod(to_fd, sb->st_mode & 07777) == -1)
		warn("%s: set mode", to);
	struct timespec ts[2] = { sb->st_atim, sb->st_mtim };
	if (futimens(to_fd, ts) == -1)
		warn("%s: set times", to);
	close(from_fd);
	if (close(to_fd) == -1) {
		warn("%s", to);
		return (1);
	}
	if (unlink(from) == -1) {
		warn("%s: remove", from);
		return (1);
	}
	if (vflag)
		printf("%s -> %s\n", from, to);
	return (0);
fail:
	close(from_fd);
	close(to_fd);
	unlink(to);
	return (1);
}

static int
do_move(const char *from, const char *to)
{
	struct stat sb, fsb;

	/* Ask, or refuse with -n, before replacing something. */
	if (lstat(to, &sb) == 0) {
		if (nflag) {
			if (vflag)
				printf("%s not overwritten\n", to);
			return (0);
		}
		if (iflag) {
			if (!ask("overwrite %s? (y/n [n]) ", to, NULL))
				return (0);
		} else if (!fflag && isatty(STDIN_FILENO) && access(to, W_OK) == -1 &&
		    !S_ISLNK(sb.st_mode)) {
			char modep[15];
			strmode(sb.st_mode, modep);
			modep[10] = '\0';
			fprintf(stderr, "override %s %s/%s for %s? ", modep + 1,
			    user_from_uid(sb.st_uid, 0), group_from_gid(sb.st_gid, 0), to);
			if (!ask("%s%s", "", ""))
				return (0);
		}
	}
	if (rename(from, to) == 0) {
		if (vflag)
			printf("%s -> %s\n", from, to);
		return (0);
	}
	if (errno != EXDEV) {
		warn("rename %s to %s", from, to);
		return (1);
	}
	if (lstat(from, &fsb) == -1) {
		warn("%s", from);
		return (1);
	}
	if (S_ISREG(fsb.st_mode))
		return (fastcopy(from, to, &fsb));
	/* Directories and the rest: cp -PRp, then rm -rf. */
	if (lstat(to, &sb) == 0 && S_ISDIR(sb.st_mode) && rmdir(to) == -1) {
		warn("%s", to);
		return (1);
	}
	char *cpargs[] = { "mv", "-PRp", "--", (char *)from, (char *)to, NULL };
	if (run("/bin/cp", cpargs))
		return (1);
	char *rmargs[] = { "mv", "-rf", "--", (char *)from, NULL };
	if (run("/bin/rm", rmargs))
		return (1);
	if (vflag)
		printf("%s -> %s\n", from, to);
	return (0);
}

int
main(int argc, char *argv[])
{
	struct stat sb;
	char path[PATH_MAX];
	int ch, rval = 0;

	while ((ch = getopt(argc, argv, "+fhinv")) != -1) {
		switch (ch) {
		case 'f': fflag = 1; iflag = nflag = 0; break;
		case 'h': hflag = 1; break;
		case 'i': iflag = 1; fflag = nflag = 0; break;
		case 'n': nflag = 1; fflag = iflag = 0; break;
		case 'v': vflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();

	/* Two operands and the target not a directory: a rename. */
	const char *target = argv[argc - 1];
	int isdir = (hflag ? lstat(target, &sb) : stat(target, &sb)) == 0 && S_ISDIR(sb.st_mode);
	if (!isdir) {
		if (argc > 2)
			errx(1, "%s is not a directory", target);
		return (do_move(argv[0], target));
	}
	for (int i = 0; i < argc - 1; i++) {
		char tmp[PATH_MAX], *p;
		size_t len;
		snprintf(tmp, sizeof(tmp), "%s", argv[i]);
		len = strlen(tmp);
		while (len > 1 && tmp[len - 1] == '/')
			tmp[--len] = '\0';
		p = strrchr(tmp, '/');
		p = p != NULL ? p + 1 : tmp;
		if (snprintf(path, sizeof(path), "%s%s%s", target,
		    target[strlen(target) - 1] == '/' ? "" : "/", p) >= (int)sizeof(path)) {
			warnx("%s: destination pathname too long", argv[i]);
			rval = 1;
			continue;
		}
		rval |= do_move(argv[i], path);
	}
	return (rval);
}
