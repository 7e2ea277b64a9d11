/*
 * pipe: pipe2 flags, dup/dup2/dup3, EOF, a three-stage pipeline between
 * forked children, EPIPE and SIGPIPE, transfers far beyond the pipe's
 * buffer, and non-blocking EAGAIN on both ends.
 */
#include "corpus.h"

#include <signal.h>
#include <sys/ioctl.h>

/* A cheap checksum that notices reordering. */
static unsigned long
mix(unsigned long h, const unsigned char *p, size_t n)
{
	while (n-- > 0)
		h = (h ^ *p++) * 1099511628211UL;
	return h;
}

static void
basics(void)
{
	int p[2], fd;
	char buf[32];

	CHECK(pipe2(p, 0) == 0, "pipe2");
	CHECK(write(p[1], "hello", 5) == 5, "write 5 bytes");
	{
		int n = -1;
		CHECK(ioctl(p[0], FIONREAD, &n) == 0 && n == 5, "FIONREAD says 5");
	}
	CHECK(read(p[0], buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0, "read them back");
	fd = dup(p[1]);
	CHECK(fd > p[1] || fd > p[0], "dup returns a new descriptor");
	write(fd, "ab", 2);
	close(fd);
	CHECK(dup2(p[1], 10) == 10, "dup2 to 10");
	write(10, "cd", 2);
	CHECK(dup2(10, 10) == 10, "dup2 onto itself");
	close(10);
	close(p[1]);
	CHECK(read(p[0], buf, sizeof(buf)) == 4 && memcmp(buf, "abcd", 4) == 0, "writes through dups arrive in order");
	CHECK(read(p[0], buf, sizeof(buf)) == 0, "EOF once all writers closed");
	close(p[0]);

	CHECK(pipe2(p, O_CLOEXEC) == 0, "pipe2(O_CLOEXEC)");
	CHECK((fcntl(p[0], F_GETFD) & FD_CLOEXEC) && (fcntl(p[1], F_GETFD) & FD_CLOEXEC), "both ends are close-on-exec");
	CHECK((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY && (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY,
	    "read end O_RDONLY, write end O_WRONLY");
	fd = dup3(p[0], 20, 0);
	CHECK(fd == 20 && !(fcntl(20, F_GETFD) & FD_CLOEXEC), "dup3 without O_CLOEXEC clears it");
	errno = 0;
	CHECK(dup3(20, 20, 0) == -1 && errno == EINVAL, "dup3 onto itself: EINVAL");
	CHECK(write(p[0], "x", 1) == -1 && errno == EBADF, "write on the read end: EBADF");
	CHECK(lseek(p[0], 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek on a pipe: ESPIPE");
	close(20);
	close(p[0]);
	close(p[1]);
}

/* Stage 1 writes numbers, stage 2 squares them, the parent sums. */
static void
pipeline(void)
{
	int a[2], b[2], st1, st2;
	pid_t c1, c2;
	FILE *in;
	long sum = 0, v;
	int lines = 0;

	pipe(a);
	pipe(b);
	fflush(stdout);
	if ((c1 = fork()) == 0) {
		FILE *out;

		dup2(a[1], 1);
		close(a[0]); close(a[1]); close(b[0]); close(b[1]);
		out = fdopen(1, "w");
		for (int i = 1; i <= 1000; i++)
			fprintf(out, "%d\n", i);
		fclose(out);
		_exit(0);
	}
	if ((c2 = fork()) == 0) {
		FILE *i, *o;
		long x;

		dup2(a[0], 0);
		dup2(b[1], 1);
		close(a[0]); close(a[1]); close(b[0]); close(b[1]);
		i = fdopen(0, "r");
		o = fdopen(1, "w");
		while (fscanf(i, "%ld", &x) == 1)
			fprintf(o, "%ld\n", x * x);
		fclose(o);
		_exit(0);
	}
	close(a[0]); close(a[1]); close(b[1]);
	in = fdopen(b[0], "r");
	while (fscanf(in, "%ld", &v) == 1) {
		sum += v;
		lines++;
	}
	fclose(in);
	waitpid(c1, &st1, 0);
	waitpid(c2, &st2, 0);
	printf("pipeline: %d lines, sum of squares %ld\n", lines, sum);
	CHECK(sum == 333833500L && st1 == 0 && st2 == 0, "pipeline of two children computes 1^2+...+1000^2");
}

static void
broken(void)
{
	int p[2], st;
	pid_t pid;

	/* Writing with no reader: SIGPIPE kills by default... */
	pipe(p);
	close(p[0]);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "write to a widowed pipe: %s", corpus_status(st));

	/* ...and with SIGPIPE ignored the write fails with EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE, "with SIGPIPE ignored: %s", strerror(errno));
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);

	/* Blocked SIGPIPE: EPIPE and the signal stays pending. */
	{
		sigset_t m, pend;

		pipe(p);
		close(p[0]);
		sigemptyset(&m);
		sigaddset(&m, SIGPIPE);
		sigprocmask(SIG_BLOCK, &m, NULL);
		errno = 0;
		CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE, "with SIGPIPE blocked: EPIPE");
		sigpending(&pend);
		CHECK(sigismember(&pend, SIGPIPE), "and SIGPIPE is pending");
		signal(SIGPIPE, SIG_IGN);	/* discards the pending one */
		sigprocmask(SIG_UNBLOCK, &m, NULL);
		signal(SIGPIPE, SIG_DFL);
		close(p[1]);
	}
}

/* 4 MiB in odd-sized chunks, far more than any pipe buffer. */
static void
bulk(void)
{
	enum { TOTAL = 4 << 20 };
	static unsigned char buf[65536 + 123];
	unsigned long hw = 14695981039346656037UL, hr = hw;
	size_t got = 0, sent = 0;
	int p[2], st;
	pid_t pid;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + (i >> 8));
	pipe(p);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		close(p[0]);
		while (sent < TOTAL) {
			size_t n = sizeof(buf) - (sent % 1000);
			if (n > TOTAL - sent)
				n = TOTAL - sent;
			ssize_t w = write(p[1], buf, n);
			if (w <= 0)
				_exit(1);
			hw = mix(hw, buf, (size_t)w);
			sent += (size_t)w;
		}
		write(p[1], &hw, 0);
		_exit(0);
	}
	close(p[1]);
	/* Compute the writer's checksum here too, from the same pattern. */
	{
		size_t s = 0;
		while (s < TOTAL) {
			size_t n = sizeof(buf) - (s % 1000);
			if (n > TOTAL - s)
				n = TOTAL - s;
			hw = mix(hw, buf, n);
			s += n;
		}
	}
	for (;;) {
		static unsigned char in[7777];
		ssize_t r = read(p[0], in, sizeof(in));
		if (r <= 0)
			break;
		hr = mix(hr, in, (size_t)r);
		got += (size_t)r;
	}
	close(p[0]);
	waitpid(pid, &st, 0);
	printf("bulk: %zu bytes through the pipe\n", got);
	CHECK(got == TOTAL && hr == hw && st == 0, "4 MiB arrive intact and in order");
}

static void
nonblocking(void)
{
	static char buf[4096];
	int p[2];
	size_t cap = 0;
	ssize_t n;

	pipe2(p, O_NONBLOCK);
	errno = 0;
	CHECK(read(p[0], buf, 1) == -1 && errno == EAGAIN, "empty non-blocking read: EAGAIN");
	while ((n = write(p[1], buf, sizeof(buf))) > 0)
		cap += (size_t)n;
	CHECK(n == -1 && errno == EAGAIN, "full non-blocking write: EAGAIN");
	CHECK(cap >= 4096, "the pipe buffered at least a page before filling");
	/* Draining a page makes room again. */
	CHECK(read(p[0], buf, sizeof(buf)) == sizeof(buf), "drain a page");
	CHECK(write(p[1], buf, 1) == 1, "then a write fits");
	close(p[1]);
	while (read(p[0], buf, sizeof(buf)) > 0)
		;
	CHECK(read(p[0], buf, 1) == 0, "EOF, not EAGAIN, once the writer is gone");
	close(p[0]);

	/* O_NONBLOCK toggled with fcntl. */
	pipe(p);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK, "F_SETFL sets O_NONBLOCK");
	errno = 0;
	CHECK(read(p[0], buf, 1) == -1 && errno == EAGAIN, "read: EAGAIN");
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	corpus_init();
	basics();
	pipeline();
	broken();
	bulk();
	nonblocking();
	return corpus_done();
}
