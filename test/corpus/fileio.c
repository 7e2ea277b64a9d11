/*
 * fileio: files and directories in a private directory under /tmp.
 * create/write/read, lseek and holes, pread/pwrite, O_APPEND, O_TRUNC,
 * dup sharing the offset, readv/writev, stat fields that do not depend on
 * the file system (type, permissions, size, link count, times we set),
 * ftruncate, unlink of an open file, rename, link, symlinks, mkdir/rmdir,
 * readdir (sorted), chdir/getcwd, openat/fstatat relative to a directory.
 */
#include "corpus.h"

#include <sys/uio.h>
#include <time.h>

static char base[128];

static char *
at(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", base, name);
	return buf[i];
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 2, *(char *const *)b + 2);
}

static void
list(const char *dir)
{
	char *names[64];
	struct dirent *de;
	int n = 0, dots = 0;
	DIR *d = opendir(dir);

	while ((de = readdir(d)) != NULL && n < 64) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
			dots++;
			continue;
		}
		names[n] = malloc(strlen(de->d_name) + 3);
		strcpy(names[n] + 2, de->d_name);
		names[n][0] = de->d_type == DT_DIR ? 'd' : de->d_type == DT_LNK ? 'l' : de->d_type == DT_REG ? '-' : '?';
		names[n][1] = ' ';
		n++;
	}
	closedir(d);
	/* Sorted by name (after the two-character type prefix). */
	qsort(names, (size_t)n, sizeof(char *), cmp);
	printf("listing (%d entries plus %d dots):\n", n, dots);
	for (int i = 0; i < n; i++) {
		printf("  %s\n", names[i]);
		free(names[i]);
	}
}

int
main(void)
{
	struct stat sb;
	char buf[8192];
	int fd, fd2;
	off_t off;

	corpus_init();
	umask(022);
	snprintf(base, sizeof(base), "%s", corpus_mkdtemp("fileio"));

	/* Create, write, read back. */
	fd = open(at("a.txt"), O_RDWR | O_CREAT | O_EXCL, 0666);
	CHECK(fd >= 0, "create a.txt");
	CHECK(write(fd, "hello, file\n", 12) == 12, "write 12 bytes");
	CHECK(lseek(fd, 0, SEEK_CUR) == 12, "offset is 12");
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, sizeof(buf)) == 12 && memcmp(buf, "hello, file\n", 12) == 0,
	    "read it back from 0");
	CHECK(read(fd, buf, sizeof(buf)) == 0, "read at EOF returns 0");
	CHECK(fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 07777) == 0644, "regular file, mode 0644 after umask 022");
	CHECK(sb.st_size == 12 && sb.st_nlink == 1, "size 12, one link");
	CHECK(sb.st_uid == getuid() && sb.st_gid == getgid(), "owned by us");

	/* Holes: seek past the end and write. */
	CHECK(lseek(fd, 10000, SEEK_SET) == 10000 && write(fd, "end", 3) == 3, "write at 10000");
	CHECK(fstat(fd, &sb) == 0 && sb.st_size == 10003, "size 10003");
	{
		int zeros = 1;
		pread(fd, buf, 8000, 12);
		for (int i = 0; i < 8000; i++)
			zeros &= buf[i] == 0;
		CHECK(zeros, "the hole reads as zeros");
	}
	CHECK(lseek(fd, -3, SEEK_END) == 10000 && read(fd, buf, 10) == 3 && memcmp(buf, "end", 3) == 0, "SEEK_END -3");
	CHECK(lseek(fd, -5, SEEK_CUR) == 9998, "SEEK_CUR -5");
	CHECK(pwrite(fd, "PW", 2, 7) == 2 && lseek(fd, 0, SEEK_CUR) == 9998, "pwrite leaves the offset alone");
	CHECK(pread(fd, buf, 12, 0) == 12 && memcmp(buf, "hello, PWle\n", 12) == 0, "pread sees it");

	/* ftruncate both ways. */
	CHECK(ftruncate(fd, 5) == 0 && fstat(fd, &sb) == 0 && sb.st_size == 5, "ftruncate to 5");
	CHECK(ftruncate(fd, 100) == 0 && pread(fd, buf, 100, 0) == 100 && buf[5] == 0 && buf[99] == 0,
	    "ftruncate up to 100 zero-fills");
	close(fd);

	/* dup shares the offset; a second open does not. */
	fd = open(at("a.txt"), O_RDONLY);
	fd2 = dup(fd);
	read(fd, buf, 3);
	CHECK(lseek(fd2, 0, SEEK_CUR) == 3, "a dup shares the file offset");
	close(fd2);
	fd2 = open(at("a.txt"), O_RDONLY);
	CHECK(lseek(fd2, 0, SEEK_CUR) == 0, "a second open has its own");
	close(fd2);
	close(fd);

	/* O_APPEND and O_TRUNC. */
	fd = open(at("log"), O_WRONLY | O_CREAT | O_APPEND, 0600);
	write(fd, "one\n", 4);
	lseek(fd, 0, SEEK_SET);
	write(fd, "two\n", 4);
	CHECK(fstat(fd, &sb) == 0 && sb.st_size == 8 && (sb.st_mode & 0777) == 0600, "O_APPEND writes at the end, mode 0600");
	CHECK(fcntl(fd, F_GETFL) & O_APPEND, "F_GETFL shows O_APPEND");
	close(fd);
	fd = open(at("log"), O_RDWR | O_TRUNC);
	CHECK(fstat(fd, &sb) == 0 && sb.st_size == 0, "O_TRUNC empties it");

	/* writev / readv. */
	{
		struct iovec iov[3] = { { "abc", 3 }, { "", 0 }, { "defgh", 5 } };
		char x[4], y[10];
		struct iovec in[2] = { { x, 4 }, { y, 10 } };

		CHECK(writev(fd, iov, 3) == 8, "writev of three pieces");
		lseek(fd, 0, SEEK_SET);
		CHECK(readv(fd, in, 2) == 8 && memcmp(x, "abcd", 4) == 0 && memcmp(y, "efgh", 4) == 0, "readv scatters");
	}
	close(fd);

	/* Unlinking an open file keeps the data until close. */
	fd = open(at("log"), O_RDONLY);
	CHECK(unlink(at("log")) == 0, "unlink an open file");
	CHECK(stat(at("log"), &sb) == -1 && errno == ENOENT, "the name is gone");
	CHECK(fstat(fd, &sb) == 0 && sb.st_nlink == 0 && sb.st_size == 8, "the open file has 0 links, data intact");
	CHECK(pread(fd, buf, 8, 0) == 8 && memcmp(buf, "abcdefgh", 8) == 0, "and reads");
	close(fd);

	/* rename, link, symlink. */
	fd = open(at("b"), O_WRONLY | O_CREAT, 0644);
	write(fd, "bbb", 3);
	close(fd);
	CHECK(rename(at("b"), at("c")) == 0 && stat(at("b"), &sb) == -1 && stat(at("c"), &sb) == 0, "rename b to c");
	CHECK(rename(at("c"), at("a.txt")) == 0 && stat(at("a.txt"), &sb) == 0 && sb.st_size == 3, "rename over an existing file replaces it");
	CHECK(link(at("a.txt"), at("hard")) == 0 && stat(at("a.txt"), &sb) == 0 && sb.st_nlink == 2, "link: two names, nlink 2");
	{
		struct stat s2;
		stat(at("hard"), &s2);
		CHECK(s2.st_ino == sb.st_ino && s2.st_dev == sb.st_dev, "the same inode");
	}
	CHECK(symlink("a.txt", at("sym")) == 0, "symlink sym -> a.txt");
	CHECK(lstat(at("sym"), &sb) == 0 && S_ISLNK(sb.st_mode) && sb.st_size == 5, "lstat: a link of size 5");
	CHECK(stat(at("sym"), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == 3, "stat follows it");
	{
		ssize_t n = readlink(at("sym"), buf, sizeof(buf));
		CHECK(n == 5 && memcmp(buf, "a.txt", 5) == 0, "readlink");
	}
	CHECK(symlink("nowhere", at("dangling")) == 0 && open(at("dangling"), O_RDONLY) == -1 && errno == ENOENT,
	    "a dangling symlink: ENOENT");
	CHECK(open(at("sym"), O_RDONLY | O_NOFOLLOW) == -1 && errno == ELOOP, "O_NOFOLLOW on a symlink: ELOOP");
	symlink("loop1", at("loop2"));
	symlink("loop2", at("loop1"));
	CHECK(open(at("loop1"), O_RDONLY) == -1 && errno == ELOOP, "a symlink loop: ELOOP");

	/* Directories. */
	CHECK(mkdir(at("dir"), 0755) == 0 && stat(at("dir"), &sb) == 0 && S_ISDIR(sb.st_mode) && (sb.st_mode & 0777) == 0755,
	    "mkdir, mode 0755");
	CHECK(mkdir(at("dir/sub"), 0700) == 0, "mkdir dir/sub");
	fd = open(at("dir/sub/deep"), O_WRONLY | O_CREAT, 0644);
	close(fd);
	CHECK(rmdir(at("dir")) == -1 && errno == ENOTEMPTY, "rmdir of a non-empty directory: ENOTEMPTY");
	CHECK(rename(at("dir/sub"), at("moved")) == 0 && stat(at("moved/deep"), &sb) == 0, "rename a directory");
	list(base);

	/* *at calls and chdir. */
	{
		int dfd = open(at("moved"), O_RDONLY | O_DIRECTORY);
		char cwd[512];

		CHECK(dfd >= 0, "open a directory O_DIRECTORY");
		CHECK(fstatat(dfd, "deep", &sb, 0) == 0 && S_ISREG(sb.st_mode), "fstatat relative to it");
		fd = openat(dfd, "new", O_WRONLY | O_CREAT, 0600);
		CHECK(fd >= 0 && faccessat(dfd, "new", F_OK, 0) == 0, "openat creates inside it");
		close(fd);
		CHECK(unlinkat(dfd, "new", 0) == 0 && unlinkat(dfd, "deep", 0) == 0, "unlinkat");
		CHECK(open(at("a.txt/x"), O_RDONLY) == -1 && errno == ENOTDIR, "a file used as a directory: ENOTDIR");
		CHECK(read(dfd, buf, 1) == -1 && errno == EISDIR, "read(2) of a directory: EISDIR");
		close(dfd);
		CHECK(chdir(at("moved")) == 0 && getcwd(cwd, sizeof(cwd)) != NULL, "chdir, getcwd");
		CHECK(strcmp(cwd, at("moved")) == 0, "getcwd names the directory");
		fd = open("rel", O_WRONLY | O_CREAT, 0644);
		close(fd);
		CHECK(stat(at("moved/rel"), &sb) == 0, "relative paths resolve against it");
		CHECK(chdir("..") == 0 && getcwd(cwd, sizeof(cwd)) && strcmp(cwd, base) == 0, "chdir .. goes back up");
		CHECK(stat("moved/../moved/./rel", &sb) == 0, "dot and dot-dot inside a path");
		chdir("/");
	}

	/* Times we set ourselves. */
	{
		struct timespec t[2] = { { 1000000000, 0 }, { 1234567890, 500 } };

		CHECK(utimensat(AT_FDCWD, at("a.txt"), t, 0) == 0 && stat(at("a.txt"), &sb) == 0, "utimensat");
		CHECK(sb.st_atim.tv_sec == 1000000000 && sb.st_mtim.tv_sec == 1234567890, "atime and mtime are what we set");
		CHECK(chmod(at("a.txt"), 0640) == 0 && stat(at("a.txt"), &sb) == 0 && (sb.st_mode & 0777) == 0640, "chmod 0640");
		CHECK(access(at("a.txt"), R_OK) == 0 && access(at("nonexistent"), F_OK) == -1, "access");
	}

	/* Many files in one directory. */
	{
		int ok = 1, count = 0;
		struct dirent *de;
		DIR *d;

		mkdir(at("many"), 0755);
		for (int i = 0; i < 300; i++) {
			snprintf(buf, sizeof(buf), "%s/f%03d", at("many"), i);
			fd = open(buf, O_WRONLY | O_CREAT, 0644);
			ok &= fd >= 0 && write(fd, buf, (size_t)i) == i;
			close(fd);
		}
		d = opendir(at("many"));
		while ((de = readdir(d)) != NULL)
			count++;
		closedir(d);
		CHECK(ok && count == 302, "300 files, readdir finds them all (%d entries)", count);
		snprintf(buf, sizeof(buf), "%s/f299", at("many"));
		CHECK(stat(buf, &sb) == 0 && sb.st_size == 299, "the last one has its size");
	}

	CHECK(corpus_rmtree(base) == 0, "remove everything");
	CHECK(stat(base, &sb) == -1 && errno == ENOENT, "gone");
	return corpus_done();
}
