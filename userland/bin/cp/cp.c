/*
 * cp: copy files.
 *
 *   cp [-R [-H | -L | -P]] [-f | -i | -n] [-alpsvx] source target
 *   cp [-R [-H | -L | -P]] [-f | -i | -n] [-alpsvx] source ... directory
 *
 * With -R each operand is walked with fts(3) and recreated below the
 * target: "cp -R dir new" makes new a copy of dir; "cp -R dir/ old" (a
 * trailing slash, as in BSD) copies dir's contents into the existing old.
 * Symbolic links met in the walk are copied as links (-P, the default with
 * -R) unless -H or -L asks to follow them.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "libutil.h"

static int fflag, iflag, nflag, lflag, pflag, Rflag, sflag, vflag, xflag;
static int rval;
static mode_t mask;		/* the umask */
static char to[PATH_MAX];

static void
usage(void)
{
	fprintf(stderr, "%s\n%s\n",
	    "usage: cp [-R [-H | -L | -P]] [-f | -i | -n] [-alpsvx] source_file target_file",
	    "       cp [-R [-H | -L | -P]] [-f | -i | -n] [-alpsvx] source_file ... target_directory");
	exit(64);
}

/* -p: times, then owner, then mode (chown may clear set-id bits). */
static int
setfile(const struct stat *fs, int fd, const char *path, int islink)
{
	struct timespec ts[2] = { fs->st_atim, fs->st_mtim };
	int r = 0;

	if (islink) {
		if (utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) == -1 && errno != ENOSYS) {
			warn("utimensat: %s", path);
			r = 1;
		}
		(void)lchown(path, fs->st_uid, fs->st_gid);
		return (r);
	}
	if ((fd >= 0 ? futimens(fd, ts) : utimensat(AT_FDCWD, path, ts, 0)) == -1) {
		warn("utimes: %s", path);
		r = 1;
	}
	mode_t mode = fs->st_mode & (S_ISUID | S_ISGID | S_ISVTX | S_IRWXU | S_IRWXG | S_IRWXO);
	if ((fd >= 0 ? fchown(fd, fs->st_uid, fs->st_gid) : chown(path, fs->st_uid, fs->st_gid)) == -1) {
		if (errno != EPERM) {
			warn("chown: %s", path);
			r = 1;
		}
		mode &= ~(S_ISUID | S_ISGID);
	}
	if ((fd >= 0 ? fchmod(fd, mode) : chmod(path, mode)) == -1) {
		warn("chmod: %s", path);
		r = 1;
	}
	return (r);
}

/* Ask before overwriting; returns 1 to go ahead. */
static int
overwrite_ok(const char *path)
{
	int ch, first;

	if (nflag) {
		if (vflag)
			printf("%s not overwritten\n", path);
		return (0);
	}
	if (!iflag)
		return (1);
	fprintf(stderr, "overwrite %s? (y/n [n]) ", path);
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
copy_file(const char *from, const struct stat *fs, int dne)
{
	static char buf[65536];
	int from_fd, to_fd;
	ssize_t n, w;
	int r = 0;

	if ((from_fd = open(from, O_RDONLY)) == -1) {
		warn("%s", from);
		return (1);
	}
	if (!dne && !overwrite_ok(to)) {
		close(from_fd);
		return (0);
	}
	if (lflag || sflag) {
		close(from_fd);
		if (!dne && unlink(to) == -1) {
			warn("%s", to);
			return (1);
		}
		if (lflag ? link(from, to) : symlink(from, to)) {
			warn("%s", to);
			return (1);
		}
		if (vflag)
			printf("%s -> %s\n", from, to);
		return (0);
	}
	if (dne) {
		to_fd = open(to, O_WRONLY | O_TRUNC | O_CREAT, fs->st_mode & ~(S_ISUID | S_ISGID));
	} else {
		to_fd = open(to, O_WRONLY | O_TRUNC);
		/* -f: a target we may not open is removed and made anew. */
		if (to_fd == -1 && fflag && unlink(to) == 0)
			to_fd = open(to, O_WRONLY | O_TRUNC | O_CREAT, fs->st_mode & ~(S_ISUID | S_ISGID));
	}
	if (to_fd == -1) {
		warn("%s", to);
		close(from_fd);
		return (1);
	}
	while ((n = read(from_fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n; off += w) {
			if ((w = write(to_fd, buf + off, n - off)) < 0) {
				warn("%s", to);
				r = 1;
				goto done;
			}
		}
	}
	if (n < 0) {
		warn("%s", from);
		r = 1;
	}
done:
	if (pflag && setfile(fs, to_fd, to, 0))
		r = 1;
	close(from_fd);
	if (close(to_fd) == -1) {
		warn("%s", to);
		r = 1;
	}
	if (r == 0 && vflag)
		printf("%s -> %s\n", from, to);
	return (r);
}

static int
copy_link(const char *from, const struct stat *fs, int dne)
{
	char target[PATH_MAX];
	ssize_t len;

	if ((len = readlink(from, target, sizeof(target) - 1)) == -1) {
		warn("readlink: %s", from);
		return (1);
	}
	target[len] = '\0';
	if (!dne) {
		if (!overwrite_ok(to))
			return (0);
		if (unlink(to) == -1) {
			warn("unlink: %s", to);
			return (1);
		}
	}
	if (symlink(target, to) == -1) {
		warn("symlink: %s", target);
		return (1);
	}
	if (vflag)
		printf("%s -> %s\n", from, to);
	return (pflag ? setfile(fs, -1, to, 1) : 0);
}

static int
copy_special(const struct stat *fs, int dne)
{
	if (!dne && unlink(to) == -1) {
		warn("unlink: %s", to);
		return (1);
	}
	if (mknod(to, fs->st_mode, fs->st_rdev) == -1) {
		warn("mknod: %s", to);
		return (1);
	}
	return (pflag ? setfile(fs, -1, to, 0) : 0);
}

/*
 * Copy the operands below target.  type: 0 = file to file (target is the
 * new name), 1 = into an existing directory, 2 = -R of a directory to a new
 * name.
 */
static void
copy(char **argv, const char *target, int type, int fts_options)
{
	FTS *ftsp;
	FTSENT *curr;
	struct stat to_stat;
	size_t base = 0, tolen = strlen(target);
	int dne;

	if ((ftsp = fts_open(argv, fts_options, NULL)) == NULL)
		err(1, "fts_open");
	while ((curr = fts_read(ftsp)) != NULL) {
		switch (curr->fts_info) {
		case FTS_NS:
		case FTS_DNR:
		case FTS_ERR:
			errno = curr->fts_errno;
			warn("%s", curr->fts_path);
			rval = 1;
			continue;
		case FTS_DC:
			warnx("%s: directory causes a cycle", curr->fts_path);
			rval = 1;
			continue;
		default:
			break;
		}

		/* Work out the destination path. */
		if (type == 0) {
			snprintf(to, sizeof(to), "%s", target);
		} else {
			if (curr->fts_level == FTS_ROOTLEVEL) {
				if (type == 2) {
					base = curr->fts_pathlen;
				} else {
					/* Into the directory: keep the last component (none for "dir/"). */
					const char *p = curr->fts_path;
					size_t len = curr->fts_pathlen;
					if (Rflag && len > 1 && p[len - 1] == '/' &&
					    S_ISDIR(curr->fts_statp->st_mode)) {
						base = len;
					} else {
						while (len > 1 && p[len - 1] == '/')
							len--;
						const char *q = p + len;
						while (q > p && q[-1] != '/')
							q--;
						base = q - p;
					}
				}
			}
			const char *rest = curr->fts_path + base;
			while (*rest == '/' && tolen > 0 && target[tolen - 1] == '/')
				rest++;
			if (snprintf(to, sizeof(to), "%s%s%s", target,
			    (*rest != '\0' && *rest != '/' && (tolen == 0 || target[tolen - 1] != '/')) ? "/" : "",
			    rest) >= (int)sizeof(to)) {
				warnx("%s%s: name too long (not copied)", target, rest);
				rval = 1;
				continue;
			}
		}

		if (curr->fts_info == FTS_DP) {
			/* Directories get their final mode and times after their contents. */
			if (pflag && setfile(curr->fts_statp, -1, to, 0))
				rval = 1;
			else if (!pflag && curr->fts_number &&
			    chmod(to, curr->fts_statp->st_mode & 07777 & ~mask) == -1) {
				warn("chmod: %s", to);
				rval = 1;
			}
			continue;
		}

		if (stat(to, &to_stat) == -1)
			dne = 1;
		else {
			if (to_stat.st_dev == curr->fts_statp->st_dev &&
			    to_stat.st_ino == curr->fts_statp->st_ino) {
				warnx("%s and %s are identical (not copied).", to, curr->fts_path);
				rval = 1;
				if (S_ISDIR(curr->fts_statp->st_mode))
					fts_set(ftsp, curr, FTS_SKIP);
				continue;
			}
			dne = 0;
		}

		switch (curr->fts_statp->st_mode & S_IFMT) {
		case S_IFLNK:
			if (copy_link(curr->fts_accpath, curr->fts_statp, dne))
				rval = 1;
			break;
		case S_IFDIR:
			if (!Rflag) {
				warnx("%s is a directory (not copied).", curr->fts_path);
				fts_set(ftsp, curr, FTS_SKIP);
				rval = 1;
				break;
			}
			if (dne) {
				/* Made writable by us for now; the real mode in postorder. */
				mode_t m = curr->fts_statp->st_mode & 07777;
				if (mkdir(to, m | S_IRWXU) == -1) {
					warn("%s", to);
					fts_set(ftsp, curr, FTS_SKIP);
					rval = 1;
					break;
				}
				/* Postorder must take back the owner bits we added. */
				curr->fts_number = (m & S_IRWXU) != S_IRWXU;
				if (vflag)
					printf("%s -> %s\n", curr->fts_path, to);
			} else if (!S_ISDIR(to_stat.st_mode)) {
				errno = ENOTDIR;
				warn("%s", to);
				fts_set(ftsp, curr, FTS_SKIP);
				rval = 1;
			}
			break;
		case S_IFBLK:
		case S_IFCHR:
		case S_IFIFO:
			if (Rflag) {
				if (copy_special(curr->fts_statp, dne))
					rval = 1;
			} else if (copy_file(curr->fts_path, curr->fts_statp, dne))
				rval = 1;
			break;
		case S_IFSOCK:
			warnx("%s is a socket (not copied).", curr->fts_path);
			rval = 1;
			break;
		default:
			if (copy_file(curr->fts_path, curr->fts_statp, dne))
				rval = 1;
			break;
		}
	}
	if (errno != 0)
		err(1, "fts_read");
	fts_close(ftsp);
}

int
main(int argc, char *argv[])
{
	struct stat to_stat, tmp_stat;
	int ch, Hflag = 0, Lflag = 0, Pflag = 0, fts_options, type, r;
	char *target;

	while ((ch = getopt(argc, argv, "+HLPRafilnprsvx")) != -1) {
		switch (ch) {
		case 'H': Hflag = 1; Lflag = Pflag = 0; break;
		case 'L': Lflag = 1; Hflag = Pflag = 0; break;
		case 'P': Pflag = 1; Hflag = Lflag = 0; break;
		case 'R': case 'r': Rflag = 1; break;
		case 'a': pflag = 1; Rflag = 1; Pflag = 1; Hflag = Lflag = 0; break;
		case 'f': fflag = 1; iflag = nflag = 0; break;
		case 'i': iflag = 1; fflag = nflag = 0; break;
		case 'l': lflag = 1; break;
		case 'n': nflag = 1; fflag = iflag = 0; break;
		case 'p': pflag = 1; break;
		case 's': sflag = 1; break;
		case 'v': vflag = 1; break;
		case 'x': xflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();
	if (lflag && sflag)
		errx(1, "the -l and -s options may not be specified together");

	fts_options = FTS_NOCHDIR | FTS_PHYSICAL;
	if (Rflag) {
		if (Hflag)
			fts_options |= FTS_COMFOLLOW;
		if (Lflag)
			fts_options = (fts_options & ~FTS_PHYSICAL) | FTS_LOGICAL;
	} else if (!Pflag)
		fts_options = (fts_options & ~FTS_PHYSICAL) | FTS_LOGICAL | FTS_COMFOLLOW;
	if (xflag)
		fts_options |= FTS_XDEV;

	target = argv[--argc];
	argv[argc] = NULL;
	mask = umask(0);
	umask(mask);

	r = stat(target, &to_stat);
	if (r == -1 && errno != ENOENT)
		err(1, "%s", target);
	if (r == -1 || !S_ISDIR(to_stat.st_mode)) {
		/* Two operands, target not a directory: a file to a file. */
		if (argc > 1)
			errx(1, "%s is not a directory", target);
		type = 0;
		if (Rflag) {
			int sr = (fts_options & FTS_LOGICAL) || Hflag ? stat(argv[0], &tmp_stat) :
			    lstat(argv[0], &tmp_stat);
			if (sr == 0 && S_ISDIR(tmp_stat.st_mode)) {
				if (r == 0)
					errx(1, "%s is not a directory", target);
				type = 2;
			}
		}
	} else
		type = 1;
	copy(argv, target, type, fts_options);
	return (rval);
}
