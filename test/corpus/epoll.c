/*
 * epoll: level-triggered, edge-triggered and one-shot items on pipes,
 * sockets and eventfds, epoll_ctl's errors, an epoll watching an epoll
 * (and the loop it may not close), timeouts, a wait woken by another
 * process, epoll_pwait2, and poll(2) on an epoll descriptor.
 */
#include "corpus.h"

#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>

static int
ctl(int ep, int op, int fd, unsigned ev, unsigned long data)
{
	struct epoll_event e;

	memset(&e, 0, sizeof(e));
	e.events = ev;
	e.data.u64 = data;
	return epoll_ctl(ep, op, fd, &e);
}

/* Wait with timeout 0; n events, the first one's events and data. */
static int
poll0(int ep, unsigned *ev, unsigned long *data)
{
	struct epoll_event e[8];
	int n;

	n = epoll_wait(ep, e, 8, 0);
	if (n > 0) {
		*ev = e[0].events;
		*data = e[0].data.u64;
	}
	return n;
}

static void
level_edge_oneshot(void)
{
	int ep, p[2];
	unsigned ev = 0;
	unsigned long data = 0;
	char buf[16];

	ep = epoll_create1(0);
	CHECK(ep >= 0, "epoll_create1");
	pipe(p);
	CHECK(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 42) == 0, "add a pipe's read end");
	CHECK(poll0(ep, &ev, &data) == 0, "empty pipe: no events");
	write(p[1], "ab", 2);
	CHECK(poll0(ep, &ev, &data) == 1 && ev == EPOLLIN && data == 42, "level: EPOLLIN with our data");
	CHECK(poll0(ep, &ev, &data) == 1, "level: reported again while readable");
	read(p[0], buf, sizeof(buf));
	CHECK(poll0(ep, &ev, &data) == 0, "level: drained, nothing");

	CHECK(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET, 43) == 0, "MOD to edge-triggered");
	write(p[1], "cd", 2);
	CHECK(poll0(ep, &ev, &data) == 1 && ev == EPOLLIN && data == 43, "edge: reported once");
	CHECK(poll0(ep, &ev, &data) == 0, "edge: not again while still readable");
	write(p[1], "+", 1);
	CHECK(poll0(ep, &ev, &data) == 1, "edge: another write is another edge");
	CHECK(poll0(ep, &ev, &data) == 0, "edge: and again only once");
	read(p[0], buf, sizeof(buf));
	write(p[1], "e", 1);
	CHECK(poll0(ep, &ev, &data) == 1, "edge: empty then readable again is a new edge");
	read(p[0], buf, sizeof(buf));

	CHECK(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 44) == 0, "MOD to one-shot");
	write(p[1], "f", 1);
	CHECK(poll0(ep, &ev, &data) == 1 && data == 44, "one-shot: reported");
	CHECK(poll0(ep, &ev, &data) == 0, "one-shot: disabled afterwards although readable");
	CHECK(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 45) == 0 &&
	    poll0(ep, &ev, &data) == 1 && data == 45, "one-shot: MOD re-arms it");
	read(p[0], buf, sizeof(buf));

	CHECK(ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT, 7) == 0, "add the write end for EPOLLOUT");
	CHECK(poll0(ep, &ev, &data) == 1 && ev == EPOLLOUT && data == 7, "an empty pipe is writable");
	CHECK(ctl(ep, EPOLL_CTL_DEL, p[1], 0, 0) == 0, "DEL");
	CHECK(poll0(ep, &ev, &data) == 0, "gone after DEL");
	CHECK(ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT, 8) == 0, "add it again");
	close(p[0]);
	CHECK(poll0(ep, &ev, &data) == 1 && ev == (EPOLLOUT | EPOLLERR) && data == 8, "reader gone: EPOLLOUT|EPOLLERR");
	close(p[1]);
	CHECK(poll0(ep, &ev, &data) == 0, "closed files leave the set");
	close(ep);
}

static void
errors(void)
{
	int ep, p[2], fd;
	struct epoll_event e;
	char path[128];

	ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK(ep >= 0 && (fcntl(ep, F_GETFD) & FD_CLOEXEC), "EPOLL_CLOEXEC");
	errno = 0;
	CHECK(epoll_create1(1) == -1 && errno == EINVAL, "bad flags: EINVAL");
	pipe(p);
	CHECK(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1) == 0, "add");
	errno = 0;
	CHECK(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1) == -1 && errno == EEXIST, "add twice: EEXIST");
	errno = 0;
	CHECK(ctl(ep, EPOLL_CTL_MOD, p[1], EPOLLOUT, 1) == -1 && errno == ENOENT, "MOD of a stranger: ENOENT");
	errno = 0;
	CHECK(ctl(ep, EPOLL_CTL_DEL, p[1], 0, 0) == -1 && errno == ENOENT, "DEL of a stranger: ENOENT");
	errno = 0;
	CHECK(ctl(p[0], EPOLL_CTL_ADD, p[1], EPOLLOUT, 1) == -1 && errno == EINVAL, "epfd not an epoll: EINVAL");
	errno = 0;
	CHECK(ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 1) == -1 && errno == EINVAL, "an epoll watching itself: EINVAL");
	errno = 0;
	CHECK(ctl(ep, EPOLL_CTL_ADD, 999, EPOLLIN, 1) == -1 && errno == EBADF, "bad fd: EBADF");
	errno = 0;
	CHECK(ctl(ep, 99, p[1], EPOLLIN, 1) == -1 && errno == EINVAL, "bad op: EINVAL");
	errno = 0;
	CHECK(epoll_wait(ep, &e, 0, 0) == -1 && errno == EINVAL, "maxevents 0: EINVAL");
	errno = 0;
	CHECK(epoll_wait(p[0], &e, 1, 0) == -1 && errno == EINVAL, "wait on a non-epoll: EINVAL");
	CHECK(ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT | EPOLLEXCLUSIVE, 2) == 0, "EPOLLEXCLUSIVE is accepted");
	errno = 0;
	CHECK(ctl(ep, EPOLL_CTL_MOD, p[1], EPOLLOUT, 2) == -1 && errno == EINVAL, "MOD of an exclusive item: EINVAL");
	snprintf(path, sizeof(path), "%s/file", corpus_mkdtemp("epoll"));
	fd = open(path, O_CREAT | O_RDWR, 0600);
	errno = 0;
	CHECK(ctl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, 3) == -1 && errno == EPERM, "a regular file: EPERM");
	close(fd);
	corpus_rmtree(corpus_tmp);
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void
sockets(void)
{
	int ep, sv[2];
	unsigned ev = 0;
	unsigned long data = 0;
	char buf[16];

	ep = epoll_create1(0);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	CHECK(ctl(ep, EPOLL_CTL_ADD, sv[1], EPOLLIN | EPOLLOUT | EPOLLRDHUP, 5) == 0, "add a socket");
	CHECK(poll0(ep, &ev, &data) == 1 && ev == EPOLLOUT, "connected socket: EPOLLOUT");
	write(sv[0], "hi", 2);
	CHECK(poll0(ep, &ev, &data) == 1 && ev == (EPOLLIN | EPOLLOUT), "data: EPOLLIN|EPOLLOUT");
	read(sv[1], buf, sizeof(buf));
	CHECK(ctl(ep, EPOLL_CTL_MOD, sv[1], EPOLLIN | EPOLLET, 6) == 0, "socket to edge-triggered");
	CHECK(poll0(ep, &ev, &data) == 0, "edge: nothing to read yet");
	write(sv[0], "a", 1);
	CHECK(poll0(ep, &ev, &data) == 1 && ev == EPOLLIN, "edge: data arrives");
	CHECK(poll0(ep, &ev, &data) == 0, "edge: once");
	write(sv[0], "+", 1);
	CHECK(poll0(ep, &ev, &data) == 1, "edge: more data is another edge");
	CHECK(poll0(ep, &ev, &data) == 0, "edge: once more");
	read(sv[1], buf, sizeof(buf));
	write(sv[0], "b", 1);
	CHECK(poll0(ep, &ev, &data) == 1, "edge: again after draining");
	CHECK(ctl(ep, EPOLL_CTL_ADD, sv[0], EPOLLOUT | EPOLLET, 70) == 0 && poll0(ep, &ev, &data) == 1 &&
	    ev == EPOLLOUT && data == 70, "edge EPOLLOUT: writable at first");
	CHECK(poll0(ep, &ev, &data) == 0, "edge EPOLLOUT: once");
	write(sv[0], "c", 1);
	read(sv[1], buf, sizeof(buf));
	CHECK(poll0(ep, &ev, &data) == 1 && data == 70, "edge EPOLLOUT: the peer's read frees room, a new edge");
	CHECK(ctl(ep, EPOLL_CTL_DEL, sv[0], 0, 0) == 0, "DEL the writer");
	CHECK(ctl(ep, EPOLL_CTL_MOD, sv[1], EPOLLIN | EPOLLRDHUP, 7) == 0, "back to level");
	recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
	shutdown(sv[0], SHUT_WR);
	CHECK(poll0(ep, &ev, &data) == 1 && ev == (EPOLLIN | EPOLLRDHUP), "peer SHUT_WR: EPOLLIN|EPOLLRDHUP");
	close(sv[0]);
	CHECK(poll0(ep, &ev, &data) == 1 && ev == (EPOLLIN | EPOLLRDHUP | EPOLLHUP), "peer closed: adds EPOLLHUP");
	close(sv[1]);

	/* A listening socket is readable when a connection waits. */
	{
		int l, c;
		struct sockaddr_un {
			sa_family_t sun_family;
			char sun_path[108];
		} sa;
		socklen_t len;

		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		len = sizeof(sa_family_t) + 1 + snprintf(sa.sun_path + 1, 100, "corpus-epoll-%d", (int)getpid());
		l = socket(AF_UNIX, SOCK_STREAM, 0);
		bind(l, (struct sockaddr *)&sa, len);
		listen(l, 4);
		CHECK(ctl(ep, EPOLL_CTL_ADD, l, EPOLLIN, 9) == 0 && poll0(ep, &ev, &data) == 0, "idle listener: nothing");
		c = socket(AF_UNIX, SOCK_STREAM, 0);
		connect(c, (struct sockaddr *)&sa, len);
		CHECK(poll0(ep, &ev, &data) == 1 && ev == EPOLLIN && data == 9, "pending connection: EPOLLIN");
		close(accept(l, NULL, NULL));
		CHECK(poll0(ep, &ev, &data) == 0, "accepted: nothing");
		close(c);
		close(l);
	}
	close(ep);
}

static void
nested_and_eventfd(void)
{
	int outer, inner, p[2], efd;
	unsigned ev = 0;
	unsigned long data = 0;
	uint64_t one = 1;
	struct pollfd pf;

	outer = epoll_create1(0);
	inner = epoll_create1(0);
	pipe(p);
	ctl(inner, EPOLL_CTL_ADD, p[0], EPOLLIN, 1);
	CHECK(ctl(outer, EPOLL_CTL_ADD, inner, EPOLLIN, 100) == 0, "an epoll inside an epoll");
	errno = 0;
	CHECK(ctl(inner, EPOLL_CTL_ADD, outer, EPOLLIN, 101) == -1 && errno == ELOOP, "closing the loop: ELOOP");
	CHECK(poll0(outer, &ev, &data) == 0, "inner idle: outer idle");
	pf.fd = inner;
	pf.events = POLLIN;
	CHECK(poll(&pf, 1, 0) == 0, "poll(2) on an idle epoll: 0");
	write(p[1], "x", 1);
	CHECK(poll0(outer, &ev, &data) == 1 && ev == EPOLLIN && data == 100, "inner ready: outer reports it");
	CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "poll(2) on a ready epoll: POLLIN");
	CHECK(poll0(inner, &ev, &data) == 1 && data == 1, "the inner one still reports its pipe");

	efd = eventfd(0, EFD_NONBLOCK);
	CHECK(ctl(outer, EPOLL_CTL_ADD, efd, EPOLLIN | EPOLLOUT, 200) == 0, "add an eventfd");
	CHECK(ctl(outer, EPOLL_CTL_DEL, inner, 0, 0) == 0, "drop the inner epoll");
	CHECK(poll0(outer, &ev, &data) == 1 && ev == EPOLLOUT && data == 200, "eventfd at 0: EPOLLOUT");
	write(efd, &one, sizeof(one));
	CHECK(poll0(outer, &ev, &data) == 1 && ev == (EPOLLIN | EPOLLOUT), "eventfd at 1: EPOLLIN|EPOLLOUT");
	close(efd);
	close(p[0]);
	close(p[1]);
	close(inner);
	close(outer);
}

static int wake_fd;

static int
waker(void)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	write(wake_fd, "w", 1);
	return 0;
}

static void
waiting(void)
{
	int ep, p[2], n, st;
	struct epoll_event e[4];
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	sigset_t ss;
	pid_t pid;

	ep = epoll_create1(0);
	pipe(p);
	ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 11);
	CHECK(epoll_wait(ep, e, 4, 30) == 0, "timeout with nothing ready: 0");
	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR1);
	CHECK(epoll_pwait(ep, e, 4, 10, &ss) == 0, "epoll_pwait with a mask times out too");
	n = syscall(SYS_epoll_pwait2, ep, e, 4, &ts, NULL, 8);
	CHECK(n == 0 || (n == -1 && errno == ENOSYS), "epoll_pwait2 with a 10 ms timeout: 0");
	ts.tv_nsec = -1;
	errno = 0;
	n = syscall(SYS_epoll_pwait2, ep, e, 4, &ts, NULL, 8);
	CHECK(n == -1 && (errno == EINVAL || errno == ENOSYS), "epoll_pwait2 with a bad timespec: EINVAL");
	wake_fd = p[1];
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(waker());
	n = epoll_wait(ep, e, 4, -1);
	CHECK(n == 1 && e[0].events == EPOLLIN && e[0].data.u64 == 11, "a blocked wait is woken by another process");
	waitpid(pid, &st, 0);
	close(p[0]);
	close(p[1]);
	close(ep);
}

int
main(void)
{
	corpus_init();
	level_edge_oneshot();
	errors();
	sockets();
	nested_and_eventfd();
	waiting();
	return corpus_done();
}
