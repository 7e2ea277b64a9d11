/*
 * fsck_ffs: messages, questions and raw I/O (BSD's utilities.c).
 */
#include <err.h>
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fsck.h"

/*
 * An inconsistency: reported; in preen mode it is not one preen may fix,
 * so the check stops here with exit 8.
 */
void
pfatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!preen) {
		vfprintf(stdout, fmt, ap);
		va_end(ap);
		return;
	}
	printf("%s: ", cdevname ? cdevname : "fsck");
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	printf("\n%s: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.\n", cdevname ? cdevname : "fsck");
	fflush(stdout);
	ckfini(0);
	exit(FSCK_EXIT_UNRESOLVED);
}

/* A warning; in preen mode prefixed by the device name. */
void
pwarn(const char *fmt, ...)
{
	va_list ap;

	if (preen)
		printf("%s: ", cdevname);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
}

void
errexit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fflush(stdout);
	exit(FSCK_EXIT_CHECK_FAILED);
}

/* Ask; -y and -n answer, else the terminal does.  Preen never gets here. */
int
reply(const char *question)
{
	char line[80];

	if (preen)
		pfatal("INTERNAL ERROR: GOT TO reply()");
	if (nflag || fswritefd < 0) {
		printf("\n%s? no\n\n", question);
		resolved = 0;
		return (0);
	}
	if (yflag) {
		printf("\n%s? yes\n\n", question);
		return (1);
	}
	for (;;) {
		printf("\n%s? [yn] ", question);
		fflush(stdout);
		if (fgets(line, sizeof(line), stdin) == NULL) {
			printf("\n");
			resolved = 0;
			return (0);
		}
		if (line[0] == 'y' || line[0] == 'Y') {
			printf("\n");
			return (1);
		}
		if (line[0] == 'n' || line[0] == 'N') {
			printf("\n");
			resolved = 0;
			return (0);
		}
	}
}

int
rawread(void *buf, off_t off, size_t size)
{
	ssize_t n;

	n = pread(fsreadfd, buf, size, partoff + off);
	if (n == (ssize_t)size)
		return (0);
	if (n < 0)
		printf("\nCANNOT READ: OFFSET %jd: %s\n", (intmax_t)off, strerror(errno));
	else
		printf("\nCANNOT READ: OFFSET %jd: short read\n", (intmax_t)off);
	memset(buf, 0, size);
	return (-1);
}

void
rawwrite(const void *buf, off_t off, size_t size)
{
	ssize_t n;

	if (fswritefd < 0)
		return;
	n = pwrite(fswritefd, buf, size, partoff + off);
	if (n != (ssize_t)size) {
		printf("\nCANNOT WRITE: OFFSET %jd: %s\n", (intmax_t)off, n < 0 ? strerror(errno) : "short write");
		resolved = 0;
		return;
	}
	fsmodified = 1;
}

int
blread(void *buf, int64_t frag, size_t size)
{
	return (rawread(buf, (off_t)frag * sblock->fs_fsize, size));
}

void
blwrite(const void *buf, int64_t frag, size_t size)
{
	rawwrite(buf, (off_t)frag * sblock->fs_fsize, size);
}

/* " I=n  OWNER=u MODE=m\nSIZE=s MTIME=t " */
void
pinode(uint32_t ino)
{
	union dinode *dp;
	struct passwd *pw;
	time_t t;
	char *p;

	printf(" I=%u ", ino);
	if (ino < UFS_ROOTINO || ino >= maxino)
		return;
	dp = ginode(ino);
	printf(" OWNER=");
	if ((pw = getpwuid((uid_t)DIP(dp, di_uid))) != NULL)
		printf("%s ", pw->pw_name);
	else
		printf("%u ", (unsigned)DIP(dp, di_uid));
	printf("MODE=%o\n", (unsigned)DIP(dp, di_mode));
	if (preen)
		printf("%s: ", cdevname);
	printf("SIZE=%jd ", (intmax_t)DIP(dp, di_size));
	t = (time_t)DIP(dp, di_mtime);
	p = ctime(&t);
	if (p != NULL)
		printf("MTIME=%12.12s %4.4s ", &p[4], &p[20]);
}

/* The name of ino, found through the parents pass 2 recorded. */
struct namefind {
	uint32_t ino;
	char	*name;
	size_t	 len;
	int	 found;
};

static int
findname(uint32_t dir, struct direct *dp, int entryno, void *arg)
{
	struct namefind *nf = arg;

	(void)dir;
	if (entryno < 2 || dp->d_ino != nf->ino)
		return (0);
	snprintf(nf->name, nf->len, "%.*s", dp->d_namlen, dp->d_name);
	nf->found = 1;
	return (1);
}

void
getpathname(char *buf, size_t len, uint32_t ino)
{
	char path[1024], comp[UFS_MAXNAMLEN + 1], tmp[1024];
	struct namefind nf;
	int depth;

	if (ino == UFS_ROOTINO) {
		snprintf(buf, len, "/");
		return;
	}
	path[0] = '\0';
	for (depth = 0; ino != UFS_ROOTINO && depth < 64; depth++) {
		uint32_t parent;

		if (ino < UFS_ROOTINO || ino >= maxino ||
		    (parent = inostat[ino].parent) == 0 || parent >= maxino) {
			snprintf(buf, len, "?%s", path);
			return;
		}
		nf.ino = ino;
		nf.name = comp;
		nf.len = sizeof(comp);
		nf.found = 0;
		dirscan(parent, findname, &nf);
		if (!nf.found)
			snprintf(comp, sizeof(comp), "?");
		snprintf(tmp, sizeof(tmp), "/%s%s", comp, path);
		memcpy(path, tmp, sizeof(path));
		ino = parent;
	}
	snprintf(buf, len, "%s", path[0] ? path : "/");
}

void
fileerror(uint32_t cwd, uint32_t ino, const char *errmesg)
{
	char pathbuf[1024];
	union dinode *dp;

	pwarn("%s ", errmesg);
	pinode(ino);
	printf("\n");
	getpathname(pathbuf, sizeof(pathbuf), cwd);
	if (cwd != ino) {
		/* The entry pass 2 is looking at: the directory's path and its name. */
		size_t n = strlen(pathbuf);
		snprintf(pathbuf + n, sizeof(pathbuf) - n, "%s%s", n > 1 ? "/" : "",
		    errname != NULL ? errname : "?");
	}
	if (ino < UFS_ROOTINO || ino >= maxino) {
		pfatal("NAME=%s\n", pathbuf);
		return;
	}
	dp = ginode(ino);
	pfatal("%s=%s\n", (DIP(dp, di_mode) & IFMT) == IFDIR ? "DIR" : "FILE", pathbuf);
}

void
direrror(uint32_t ino, const char *errmesg)
{
	fileerror(ino, ino, errmesg);
}
