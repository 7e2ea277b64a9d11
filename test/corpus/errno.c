/*
 * errno: the error numbers and strerror texts of common failures,
 * including EFAULT for bad pointers handed to raw syscalls and ENOSYS
 * for a syscall number nobody implements.
 */
#include "corpus.h"

#include <limits.h>
#include <math.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>

#define EXPECT(call, err) do {						\
	errno = 0;							\
	long r_ = (long)(call);						\
	int e_ = errno;							\
	CHECK(r_ == -1 && e_ == (err), "%-44s %s (%s)", #call,		\
	    strerrorname_np(e_) ? strerrorname_np(e_) : "0", strerror(e_)); \
} while (0)

int
main(void)
{
	char path[256], sub[300], longname[400];
	const char *dir;
	int fd, p[2];
	long bad = 8;	/* an address nothing is mapped at */

	corpus_init();
	dir = corpus_mkdtemp("errno");
	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	write(fd, "x", 1);
	close(fd);
	snprintf(sub, sizeof(sub), "%s/file/sub", dir);

	EXPECT(open("/tmp/does/not/exist", O_RDONLY), ENOENT);
	EXPECT(open(dir, O_WRONLY), EISDIR);
	EXPECT(open(sub, O_RDONLY), ENOTDIR);
	EXPECT(open(path, O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	EXPECT(mkdir(dir, 0755), EEXIST);
	EXPECT(rmdir(path), ENOTDIR);
	EXPECT(unlink(dir), EISDIR);
	EXPECT(rmdir(dir), ENOTEMPTY);
	EXPECT(open("", O_RDONLY), ENOENT);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	EXPECT(open(longname, O_RDONLY), ENAMETOOLONG);

	EXPECT(read(999, path, 1), EBADF);
	EXPECT(write(-1, "x", 1), EBADF);
	EXPECT(close(999), EBADF);
	EXPECT(fcntl(999, F_GETFD), EBADF);
	EXPECT(dup2(999, 3), EBADF);
	fd = open(path, O_RDONLY);
	EXPECT(write(fd, "x", 1), EBADF);
	EXPECT(lseek(fd, 0, 99), EINVAL);
	EXPECT(lseek(fd, -10, SEEK_SET), EINVAL);
	EXPECT(ioctl(fd, TCGETS, path), ENOTTY);
	EXPECT(fcntl(fd, 9999), EINVAL);
	close(fd);

	pipe(p);
	EXPECT(lseek(p[0], 0, SEEK_CUR), ESPIPE);
	/* EFAULT: the kernel must check every user pointer. */
	write(p[1], "data", 4);
	EXPECT(read(p[0], (void *)bad, 4), EFAULT);
	EXPECT(write(p[1], (void *)bad, 4), EFAULT);
	EXPECT(syscall(SYS_write, p[1], (void *)0x3000000000L, 4), EFAULT);
	EXPECT(syscall(SYS_openat, AT_FDCWD, (char *)bad, O_RDONLY), EFAULT);
	EXPECT(syscall(SYS_pipe2, (int *)bad, 0), EFAULT);
	EXPECT(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)bad), EFAULT);
	EXPECT(syscall(SYS_rt_sigaction, SIGUSR1, (void *)bad, NULL, 8), EFAULT);
	EXPECT(syscall(SYS_uname, (void *)bad), EFAULT);
	close(p[0]);
	close(p[1]);

	EXPECT(syscall(999), ENOSYS);
	EXPECT(syscall(__NR_arch_specific_syscall + 15 + 100), ENOSYS);

	EXPECT(waitpid(-1, NULL, 0), ECHILD);
	EXPECT(kill(-99999, SIGTERM), ESRCH);
	EXPECT(kill(getpid(), -1), EINVAL);
	EXPECT(setpgid(0, -1), EINVAL);
	EXPECT(chdir(path), ENOTDIR);
	snprintf(sub, sizeof(sub), "%s/d", dir);
	mkdir(sub, 0755);
	EXPECT(rename(sub, path), ENOTDIR);
	snprintf(longname, sizeof(longname), "%s/d/inner", dir);
	EXPECT(rename(dir, longname), EINVAL);
	EXPECT(link(dir, longname), EPERM);
	EXPECT(symlink("x", path), EEXIST);
	EXPECT(readlink(path, longname, sizeof(longname)), EINVAL);

	/* EMFILE under a small RLIMIT_NOFILE. */
	{
		struct rlimit old, rl = { 16, 16 };
		int n = 0;

		getrlimit(RLIMIT_NOFILE, &old);
		setrlimit(RLIMIT_NOFILE, &rl);
		errno = 0;
		while ((fd = open(path, O_RDONLY)) >= 0)
			n++;
		CHECK(errno == EMFILE, "opening past RLIMIT_NOFILE: EMFILE");
		for (fd = 3; fd < 16; fd++)
			close(fd);
		setrlimit(RLIMIT_NOFILE, &old);
		EXPECT(dup2(0, 100000000), EBADF);
	}

	/* Library-level errno. */
	errno = 0;
	CHECK(strtol("99999999999999999999", NULL, 10) == LONG_MAX && errno == ERANGE, "strtol overflow: ERANGE");
	errno = 0;
	CHECK(isnan(sqrt(-1.0 * (errno + 1))) && errno == EDOM, "sqrt(-1): EDOM");
	errno = 0;
	CHECK(isinf(exp(1000.0 + errno)) && errno == ERANGE, "exp(1000): ERANGE");

	/* The messages, for the record. */
	for (int e = 1; e <= 40; e++)
		printf("%3d %-16s %s\n", e, strerrorname_np(e), strerror(e));
	printf("%3d %-16s %s\n", ENOSYS, strerrorname_np(ENOSYS), strerror(ENOSYS));
	printf("%3d %-16s %s\n", ETIMEDOUT, strerrorname_np(ETIMEDOUT), strerror(ETIMEDOUT));
	printf("unknown: %s\n", strerror(4000));

	corpus_rmtree(dir);
	return corpus_done();
}
