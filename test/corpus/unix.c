/*
 * unix: AF_UNIX sockets. socketpair of every type, bind/listen/accept/
 * connect over a path and an abstract name, autobind, the usual errors
 * (EADDRINUSE, ECONNREFUSED, ENOENT, ENOTSOCK, EPROTOTYPE ...), shutdown
 * and close semantics, EPIPE and SIGPIPE, MSG_PEEK/TRUNC/WAITALL,
 * SCM_RIGHTS and SO_PEERCRED, non-blocking I/O, socket options, and a
 * transfer far beyond the buffers between forked processes.
 */
#include "corpus.h"

#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>

static char dir[64];

static unsigned long
mix(unsigned long h, const unsigned char *p, size_t n)
{
	while (n-- > 0)
		h = (h ^ *p++) * 1099511628211UL;
	return h;
}

static socklen_t
path_addr(struct sockaddr_un *sun, const char *name)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path, sizeof(sun->sun_path), "%s/%s", dir, name);
	return offsetof(struct sockaddr_un, sun_path) + strlen(sun->sun_path) + 1;
}

static socklen_t
abstract_addr(struct sockaddr_un *sun, const char *name)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path + 1, sizeof(sun->sun_path) - 1, "corpus-unix-%d-%s", (int)getpid(), name);
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(sun->sun_path + 1);
}

static int
intopt(int fd, int level, int name)
{
	int v = -12345;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, name, &v, &len) < 0)
		return -errno;
	return v;
}

static void
stream_pair(void)
{
	int sv[2], n;
	char buf[64];
	struct stat sb;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair stream");
	CHECK(fstat(sv[0], &sb) == 0 && S_ISSOCK(sb.st_mode), "fstat: S_ISSOCK");
	CHECK(intopt(sv[0], SOL_SOCKET, SO_TYPE) == SOCK_STREAM, "SO_TYPE stream");
	CHECK(intopt(sv[0], SOL_SOCKET, SO_DOMAIN) == AF_UNIX, "SO_DOMAIN AF_UNIX");
	CHECK(intopt(sv[0], SOL_SOCKET, SO_PROTOCOL) == 0, "SO_PROTOCOL 0");
	CHECK(intopt(sv[0], SOL_SOCKET, SO_ACCEPTCONN) == 0, "SO_ACCEPTCONN 0");
	CHECK(intopt(sv[0], SOL_SOCKET, SO_ERROR) == 0, "SO_ERROR 0");
	CHECK(write(sv[0], "hello", 5) == 5 && write(sv[0], " world", 6) == 6, "two writes");
	n = -1;
	CHECK(ioctl(sv[1], FIONREAD, &n) == 0 && n == 11, "FIONREAD 11");
	CHECK(recv(sv[1], buf, 5, MSG_PEEK) == 5 && memcmp(buf, "hello", 5) == 0, "MSG_PEEK sees the data");
	CHECK(read(sv[1], buf, sizeof(buf)) == 11 && memcmp(buf, "hello world", 11) == 0, "a stream merges writes");
	CHECK(send(sv[1], "back", 4, 0) == 4 && recv(sv[0], buf, sizeof(buf), 0) == 4, "both directions");
	errno = 0;
	CHECK(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT) == -1 && errno == EAGAIN, "MSG_DONTWAIT: EAGAIN");

	CHECK(shutdown(sv[0], SHUT_WR) == 0, "shutdown SHUT_WR");
	CHECK(read(sv[1], buf, sizeof(buf)) == 0, "peer reads EOF");
	errno = 0;
	CHECK(send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE, "send after SHUT_WR: EPIPE");
	CHECK(write(sv[1], "still", 5) == 5 && read(sv[0], buf, sizeof(buf)) == 5, "other direction still works");
	errno = 0;
	CHECK(shutdown(sv[0], 7) == -1 && errno == EINVAL, "shutdown how=7: EINVAL");
	close(sv[0]);
	close(sv[1]);

	/* Closing with unread data resets the peer; then EOF. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "lost", 4);
	close(sv[1]);
	errno = 0;
	CHECK(read(sv[0], buf, sizeof(buf)) == -1 && errno == ECONNRESET, "peer closed with unread data: ECONNRESET");
	CHECK(read(sv[0], buf, sizeof(buf)) == 0, "then EOF");
	errno = 0;
	CHECK(send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE, "send to a closed peer: EPIPE");
	close(sv[0]);
}

static int
sigpipe_child(void)
{
	int sv[2];

	signal(SIGPIPE, SIG_DFL);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[1]);
	write(sv[0], "x", 1);
	return 0;
}

static void
on_alarm(int sig)
{
	(void)sig;
}

/* A blocked receive is interrupted by a caught signal without SA_RESTART. */
static void
eintr(void)
{
	struct sigaction sa;
	struct itimerval it;
	int sv[2];
	char c;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 50000;
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	CHECK(recv(sv[1], &c, 1, 0) == -1 && errno == EINTR, "a signal interrupts a blocked recv: EINTR");
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	CHECK(recv(sv[1], &c, 1, MSG_WAITALL) == -1 && errno == EINTR, "and a blocked MSG_WAITALL recv");
	close(sv[0]);
	close(sv[1]);
	signal(SIGALRM, SIG_DFL);
}

static void
sigpipe(void)
{
	CHECK(strcmp(corpus_status(corpus_child(sigpipe_child)), "killed by PIPE") == 0,
	    "write to a closed peer raises SIGPIPE");
}

static void
dgram_pair(void)
{
	int sv[2];
	char buf[64];
	struct msghdr mh;
	struct iovec iov;

	CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "socketpair dgram");
	CHECK(intopt(sv[0], SOL_SOCKET, SO_TYPE) == SOCK_DGRAM, "SO_TYPE dgram");
	send(sv[0], "one", 3, 0);
	send(sv[0], "two!", 4, 0);
	send(sv[0], "", 0, 0);
	send(sv[0], "a longer message", 16, 0);
	CHECK(recv(sv[1], buf, sizeof(buf), MSG_PEEK) == 3, "peek the first datagram");
	CHECK(recv(sv[1], buf, sizeof(buf), 0) == 3 && memcmp(buf, "one", 3) == 0, "datagrams keep boundaries");
	CHECK(recv(sv[1], buf, 2, 0) == 2, "short read of a datagram");
	CHECK(recv(sv[1], buf, sizeof(buf), 0) == 0, "the zero-length datagram (rest of the short one is gone)");
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = buf;
	iov.iov_len = 4;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	CHECK(recvmsg(sv[1], &mh, MSG_PEEK) == 4 && (mh.msg_flags & MSG_TRUNC), "recvmsg sets MSG_TRUNC");
	CHECK(recv(sv[1], buf, 4, MSG_TRUNC) == 16, "recv(MSG_TRUNC) returns the real length");
	errno = 0;
	CHECK(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) == -1 && errno == EAGAIN, "empty: EAGAIN");
	close(sv[0]);
	close(sv[1]);

	/* sendmmsg / recvmmsg: three datagrams in one call each way. */
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	{
		struct mmsghdr mm[4];
		struct iovec io[4];
		char mb[4][8];
		int i, n;

		memset(mm, 0, sizeof(mm));
		for (i = 0; i < 3; i++) {
			snprintf(mb[i], sizeof(mb[i]), "m%d-%.*s", i, i, "xyz");
			io[i].iov_base = mb[i];
			io[i].iov_len = strlen(mb[i]);
			mm[i].msg_hdr.msg_iov = &io[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		CHECK(sendmmsg(sv[0], mm, 3, 0) == 3 && mm[0].msg_len == 3 && mm[2].msg_len == 5, "sendmmsg sends 3");
		memset(mb, 0, sizeof(mb));
		for (i = 0; i < 4; i++) {
			io[i].iov_base = mb[i];
			io[i].iov_len = sizeof(mb[i]);
			mm[i].msg_hdr.msg_iov = &io[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_len = 0;
		}
		n = recvmmsg(sv[1], mm, 4, MSG_DONTWAIT, NULL);
		CHECK(n == 3 && mm[1].msg_len == 4 && strcmp(mb[1], "m1-x") == 0 && strcmp(mb[2], "m2-xy") == 0,
		    "recvmmsg gets the 3 in order");
	}
	close(sv[0]);
	close(sv[1]);

	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "socketpair seqpacket");
	send(sv[0], "rec1", 4, 0);
	send(sv[0], "record2", 7, 0);
	CHECK(recv(sv[1], buf, sizeof(buf), 0) == 4, "seqpacket keeps boundaries (1)");
	CHECK(recv(sv[1], buf, sizeof(buf), 0) == 7 && memcmp(buf, "record2", 7) == 0, "seqpacket keeps boundaries (2)");
	close(sv[0]);
	CHECK(recv(sv[1], buf, sizeof(buf), 0) == 0, "seqpacket EOF after the peer closes");
	close(sv[1]);
}

static void
path_sockets(void)
{
	struct sockaddr_un sa, got;
	socklen_t len, slen;
	struct stat sb;
	int l, c, s, p[2], fd;
	char buf[64];

	slen = path_addr(&sa, "srv");
	l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	CHECK(l >= 0, "socket(SOCK_NONBLOCK|SOCK_CLOEXEC)");
	CHECK((fcntl(l, F_GETFL) & O_NONBLOCK) && (fcntl(l, F_GETFD) & FD_CLOEXEC), "flags applied");
	errno = 0;
	CHECK(listen(l, 5) == -1 && errno == EINVAL, "listen unbound: EINVAL");
	CHECK(bind(l, (struct sockaddr *)&sa, slen) == 0, "bind to a path");
	CHECK(stat(sa.sun_path, &sb) == 0 && S_ISSOCK(sb.st_mode), "the path is a socket node");
	len = sizeof(got);
	CHECK(getsockname(l, (struct sockaddr *)&got, &len) == 0 && len == slen &&
	    strcmp(got.sun_path, sa.sun_path) == 0, "getsockname: the path, its length");
	errno = 0;
	CHECK(bind(l, (struct sockaddr *)&sa, slen) == -1 && errno == EADDRINUSE, "bind again to its own path: EADDRINUSE");
	errno = 0;
	CHECK(bind(l, (struct sockaddr *)&got, path_addr(&got, "srv2")) == -1 && errno == EINVAL,
	    "bind a bound socket to another path: EINVAL");
	CHECK(listen(l, 5) == 0, "listen");
	CHECK(intopt(l, SOL_SOCKET, SO_ACCEPTCONN) == 1, "SO_ACCEPTCONN 1");
	errno = 0;
	CHECK(accept(l, NULL, NULL) == -1 && errno == EAGAIN, "non-blocking accept: EAGAIN");

	c = socket(AF_UNIX, SOCK_STREAM, 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	CHECK(bind(fd, (struct sockaddr *)&sa, slen) == -1 && errno == EADDRINUSE, "bind to an existing path: EADDRINUSE");
	close(fd);
	CHECK(connect(c, (struct sockaddr *)&sa, slen) == 0, "connect");
	errno = 0;
	CHECK(connect(c, (struct sockaddr *)&sa, slen) == -1 && errno == EISCONN, "connect again: EISCONN");
	len = sizeof(got);
	memset(&got, 0, sizeof(got));
	s = accept4(l, (struct sockaddr *)&got, &len, SOCK_CLOEXEC);
	CHECK(s >= 0 && len == sizeof(sa_family_t) && got.sun_family == AF_UNIX, "accept4: the unnamed client");
	CHECK(!(fcntl(s, F_GETFL) & O_NONBLOCK) && (fcntl(s, F_GETFD) & FD_CLOEXEC), "accepted socket's flags from accept4");
	len = sizeof(got);
	CHECK(getpeername(c, (struct sockaddr *)&got, &len) == 0 && strcmp(got.sun_path, sa.sun_path) == 0,
	    "getpeername: the server's path");
	len = sizeof(got);
	CHECK(getsockname(s, (struct sockaddr *)&got, &len) == 0 && strcmp(got.sun_path, sa.sun_path) == 0,
	    "accepted socket is named like the listener");
	{
		struct ucred uc;
		socklen_t ul = sizeof(uc);
		CHECK(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &ul) == 0 && ul == sizeof(uc) &&
		    uc.pid == getpid() && uc.uid == getuid() && uc.gid == getgid(), "SO_PEERCRED");
	}
	CHECK(send(c, "ping", 4, 0) == 4 && recv(s, buf, sizeof(buf), 0) == 4, "data over the connection");
	len = sizeof(got);
	memset(&got, 0, sizeof(got));
	CHECK(send(s, "pong", 4, 0) == 4 && recvfrom(c, buf, sizeof(buf), 0, (struct sockaddr *)&got, &len) == 4 &&
	    len == slen && strcmp(got.sun_path, sa.sun_path) == 0, "recvfrom on a stream: the named sender's path");
	close(c);
	close(s);

	/* The backlog: listen(l, 1) queues two connections; a third non-blocking one is EAGAIN. */
	{
		int q[3], i, nq = 0;

		path_addr(&got, "backlog");
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		bind(fd, (struct sockaddr *)&got, sizeof(got));
		listen(fd, 1);
		for (i = 0; i < 3; i++) {
			q[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
			if (connect(q[i], (struct sockaddr *)&got, sizeof(got)) == 0)
				nq++;
			else if (errno != EAGAIN)
				nq = -100;
		}
		CHECK(nq == 2, "backlog 1 holds 2 connections, then EAGAIN");
		s = accept(fd, NULL, NULL);
		CHECK(s >= 0 && connect(q[2], (struct sockaddr *)&got, sizeof(got)) == 0, "room again after an accept");
		close(s);
		close(fd);
		errno = 0;
		CHECK(read(q[1], buf, sizeof(buf)) == -1 && errno == ECONNRESET, "unaccepted connection reset when the listener closes");
		CHECK(read(q[0], buf, sizeof(buf)) == 0, "the accepted one sees EOF");
		for (i = 0; i < 3; i++)
			close(q[i]);
	}

	/* Errors. */
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	path_addr(&got, "nothing");
	errno = 0;
	CHECK(connect(c, (struct sockaddr *)&got, sizeof(got)) == -1 && errno == ENOENT, "connect to no such path: ENOENT");
	close(c);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	len = path_addr(&got, "unlistened");
	bind(fd, (struct sockaddr *)&got, len);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	CHECK(connect(c, (struct sockaddr *)&got, len) == -1 && errno == ECONNREFUSED, "connect to a socket not listening: ECONNREFUSED");
	close(fd);
	close(c);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	CHECK(connect(c, (struct sockaddr *)&got, len) == -1 && errno == ECONNREFUSED, "connect after its socket closed: ECONNREFUSED");
	close(c);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	len = path_addr(&got, "dgram");
	bind(fd, (struct sockaddr *)&got, len);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	CHECK(connect(c, (struct sockaddr *)&got, len) == -1 && errno == EPROTOTYPE, "stream connect to a dgram socket: EPROTOTYPE");
	close(c);
	close(fd);
	pipe(p);
	errno = 0;
	CHECK(bind(p[0], (struct sockaddr *)&sa, slen) == -1 && errno == ENOTSOCK, "bind on a pipe: ENOTSOCK");
	errno = 0;
	CHECK(listen(p[0], 1) == -1 && errno == ENOTSOCK, "listen on a pipe: ENOTSOCK");
	close(p[0]);
	close(p[1]);
	close(l);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	CHECK(connect(c, (struct sockaddr *)&sa, slen) == -1 && errno == ECONNREFUSED, "listener closed: ECONNREFUSED");
	close(c);
	CHECK(unlink(sa.sun_path) == 0, "the socket node unlinks");
}

static void
abstract_and_autobind(void)
{
	struct sockaddr_un sa, got;
	socklen_t slen, len;
	int l, c, s, d;
	char buf[16];

	slen = abstract_addr(&sa, "a");
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(l, (struct sockaddr *)&sa, slen) == 0 && listen(l, 1) == 0, "bind+listen on an abstract name");
	len = sizeof(got);
	CHECK(getsockname(l, (struct sockaddr *)&got, &len) == 0 && len == slen && got.sun_path[0] == 0 &&
	    memcmp(got.sun_path, sa.sun_path, slen - 2) == 0, "getsockname: the abstract name");
	d = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	CHECK(bind(d, (struct sockaddr *)&sa, slen) == -1 && errno == EADDRINUSE, "abstract name in use: EADDRINUSE");
	close(d);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&sa, slen) == 0, "connect to the abstract name");
	s = accept(l, NULL, NULL);
	CHECK(s >= 0 && write(c, "abc", 3) == 3 && read(s, buf, sizeof(buf)) == 3, "talk over it");
	close(s);
	close(c);
	close(l);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	CHECK(connect(c, (struct sockaddr *)&sa, slen) == -1 && errno == ECONNREFUSED, "abstract name freed at close");
	close(c);

	d = socket(AF_UNIX, SOCK_DGRAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	CHECK(bind(d, (struct sockaddr *)&sa, sizeof(sa_family_t)) == 0, "bind with just the family: autobind");
	len = sizeof(got);
	CHECK(getsockname(d, (struct sockaddr *)&got, &len) == 0 && len == sizeof(sa_family_t) + 6 && got.sun_path[0] == 0,
	    "autobind gives a 5-character abstract name");
	close(d);
}

static void
dgram_paths(void)
{
	struct sockaddr_un sa, ca, got;
	socklen_t slen, clen, len;
	int srv, cli, other;
	char buf[32];

	slen = path_addr(&sa, "dsrv");
	clen = path_addr(&ca, "dcli");
	srv = socket(AF_UNIX, SOCK_DGRAM, 0);
	bind(srv, (struct sockaddr *)&sa, slen);
	cli = socket(AF_UNIX, SOCK_DGRAM, 0);
	errno = 0;
	CHECK(send(cli, "x", 1, 0) == -1 && errno == ENOTCONN, "unconnected dgram send without address: ENOTCONN");
	CHECK(sendto(cli, "anon", 4, 0, (struct sockaddr *)&sa, slen) == 4, "sendto a path");
	len = sizeof(got);
	CHECK(recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr *)&got, &len) == 4 && len == 0,
	    "recvfrom: an unbound sender has no address");
	bind(cli, (struct sockaddr *)&ca, clen);
	sendto(cli, "named", 5, 0, (struct sockaddr *)&sa, slen);
	len = sizeof(got);
	CHECK(recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr *)&got, &len) == 5 && len == clen &&
	    strcmp(got.sun_path, ca.sun_path) == 0, "recvfrom: the sender's path");
	CHECK(connect(srv, (struct sockaddr *)&ca, clen) == 0 && send(srv, "reply", 5, 0) == 5, "connect a dgram socket, send");
	CHECK(recv(cli, buf, sizeof(buf), 0) == 5, "reply arrives");
	other = socket(AF_UNIX, SOCK_DGRAM, 0);
	errno = 0;
	CHECK(sendto(other, "no", 2, 0, (struct sockaddr *)&sa, slen) == -1 && errno == EPERM,
	    "send to a socket connected elsewhere: EPERM");
	close(other);
	close(srv);
	errno = 0;
	CHECK(sendto(cli, "gone", 4, 0, (struct sockaddr *)&sa, slen) == -1 && errno == ECONNREFUSED,
	    "sendto a closed socket's path: ECONNREFUSED");
	close(cli);
	unlink(sa.sun_path);
	unlink(ca.sun_path);
}

static void
rights(void)
{
	int sv[2], p[2], got = -1;
	char buf[16], cbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *cm;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	memset(&mh, 0, sizeof(mh));
	memset(cbuf, 0, sizeof(cbuf));
	iov.iov_base = "F";
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[0], sizeof(int));
	CHECK(sendmsg(sv[0], &mh, 0) == 1, "sendmsg with SCM_RIGHTS");
	close(p[0]);

	memset(&mh, 0, sizeof(mh));
	memset(cbuf, 0, sizeof(cbuf));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	CHECK(recvmsg(sv[1], &mh, MSG_CMSG_CLOEXEC) == 1 && buf[0] == 'F', "recvmsg the data");
	cm = CMSG_FIRSTHDR(&mh);
	CHECK(cm != NULL && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
	    cm->cmsg_len == CMSG_LEN(sizeof(int)), "an SCM_RIGHTS message came");
	if (cm != NULL)
		memcpy(&got, CMSG_DATA(cm), sizeof(int));
	CHECK(got >= 0 && (fcntl(got, F_GETFD) & FD_CLOEXEC), "a new descriptor, close-on-exec by MSG_CMSG_CLOEXEC");
	CHECK(write(p[1], "via", 3) == 3 && read(got, buf, sizeof(buf)) == 3 && memcmp(buf, "via", 3) == 0,
	    "the passed descriptor reads the pipe");
	close(p[1]);
	CHECK(read(got, buf, sizeof(buf)) == 0, "and sees its EOF");
	close(got);

	/* Received without room for control: MSG_CTRUNC, and the descriptor is closed. */
	pipe(p);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = "H";
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[0], sizeof(int));
	sendmsg(sv[0], &mh, 0);
	close(p[0]);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	CHECK(recvmsg(sv[1], &mh, 0) == 1 && (mh.msg_flags & MSG_CTRUNC) && mh.msg_controllen == 0,
	    "no room for the descriptor: MSG_CTRUNC");
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE, "and the descriptor it would have been is closed");
	close(p[1]);

	/* A descriptor in flight when the receiver closes is released: the writer sees EPIPE. */
	pipe(p);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = "G";
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[0], sizeof(int));
	sendmsg(sv[0], &mh, 0);
	close(p[0]);
	close(sv[1]);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE, "closing drains descriptors in flight");
	close(p[1]);
	close(sv[0]);
}

/* SO_PASSCRED: datagrams arrive with the sender's SCM_CREDENTIALS. */
static void
credentials(void)
{
	int sv[2], one = 1;
	char buf[16], cbuf[CMSG_SPACE(sizeof(struct ucred))];
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *cm;
	struct ucred uc;

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	CHECK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) == 0 &&
	    intopt(sv[1], SOL_SOCKET, SO_PASSCRED) == 1, "SO_PASSCRED on");
	send(sv[0], "c", 1, 0);
	memset(&mh, 0, sizeof(mh));
	memset(cbuf, 0, sizeof(cbuf));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	CHECK(recvmsg(sv[1], &mh, 0) == 1, "recvmsg a datagram");
	cm = CMSG_FIRSTHDR(&mh);
	CHECK(cm != NULL && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS &&
	    cm->cmsg_len == CMSG_LEN(sizeof(uc)), "it carries SCM_CREDENTIALS");
	if (cm != NULL)
		memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
	CHECK(cm != NULL && uc.pid == getpid() && uc.uid == getuid() && uc.gid == getgid(), "the sender's pid, uid, gid");
	close(sv[0]);
	close(sv[1]);
}

static void
options(void)
{
	int sv[2], n, total;
	struct timeval tv;
	socklen_t len;
	char buf[4096];
	struct pollfd pf[2];

	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
	n = 65536;
	CHECK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &n, sizeof(n)) == 0 &&
	    intopt(sv[0], SOL_SOCKET, SO_SNDBUF) == 131072, "SO_SNDBUF is doubled");
	n = 1;
	CHECK(setsockopt(sv[0], SOL_SOCKET, SO_REUSEADDR, &n, sizeof(n)) == 0 &&
	    intopt(sv[0], SOL_SOCKET, SO_REUSEADDR) == 1, "SO_REUSEADDR");
	CHECK(setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &n, sizeof(n)) == 0 &&
	    intopt(sv[0], SOL_SOCKET, SO_KEEPALIVE) == 1, "SO_KEEPALIVE");
	CHECK(intopt(sv[0], SOL_SOCKET, SO_RCVLOWAT) == 1, "SO_RCVLOWAT 1");
	errno = 0;
	CHECK(setsockopt(sv[0], SOL_SOCKET, SO_ERROR, &n, sizeof(n)) == -1 && errno == ENOPROTOOPT,
	    "setting SO_ERROR: ENOPROTOOPT");
	errno = 0;
	CHECK(setsockopt(sv[0], SOL_SOCKET, SO_REUSEADDR, &n, 2) == -1 && errno == EINVAL, "short option: EINVAL");
	tv.tv_sec = 0;
	tv.tv_usec = 100000;
	CHECK(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0, "SO_RCVTIMEO 100 ms");
	memset(&tv, 0, sizeof(tv));
	len = sizeof(tv);
	CHECK(getsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, &len) == 0 && len == sizeof(tv) &&
	    tv.tv_sec == 0 && tv.tv_usec == 100000, "SO_RCVTIMEO reads back");
	n = 0;
	CHECK(ioctl(sv[1], FIONBIO, &n) == 0, "FIONBIO off");
	errno = 0;
	CHECK(recv(sv[1], buf, 1, 0) == -1 && errno == EAGAIN, "receive timeout: EAGAIN");

	pf[0].fd = sv[0];
	pf[0].events = POLLIN | POLLOUT;
	pf[1].fd = sv[1];
	pf[1].events = POLLIN | POLLOUT;
	CHECK(poll(pf, 2, 0) == 2 && pf[0].revents == POLLOUT && pf[1].revents == POLLOUT, "poll: both writable");
	memset(buf, 'z', sizeof(buf));
	for (total = 0; (n = write(sv[0], buf, sizeof(buf))) > 0; total += n)
		;
	CHECK(n == -1 && errno == EAGAIN && total > 0, "non-blocking writer fills the buffer, then EAGAIN");
	CHECK(poll(pf, 2, 0) == 1 && pf[0].revents == 0 && (pf[1].revents & POLLIN), "poll: full writer, readable reader");
	n = read(sv[1], buf, sizeof(buf));
	while (n > 0 && (n = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		;
	CHECK(write(sv[0], "x", 1) == 1, "writable again after draining");
	close(sv[0]);
	CHECK(poll(&pf[1], 1, 0) == 1 && (pf[1].revents & (POLLIN | POLLHUP)) == (POLLIN | POLLHUP), "poll: POLLIN|POLLHUP after the peer closes");
	close(sv[1]);

	errno = 0;
	CHECK(socket(AF_UNIX, SOCK_STREAM, 5) == -1 && errno == EPROTONOSUPPORT, "bad protocol: EPROTONOSUPPORT");
	errno = 0;
	CHECK(socket(AF_UNIX, 9, 0) == -1 && errno == ESOCKTNOSUPPORT, "bad type: ESOCKTNOSUPPORT");
	errno = 0;
	CHECK(socket(123, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT, "unknown family: EAFNOSUPPORT");
	n = socket(AF_UNIX, SOCK_RAW, 0);
	CHECK(n >= 0 && intopt(n, SOL_SOCKET, SO_TYPE) == SOCK_DGRAM, "AF_UNIX SOCK_RAW is a datagram socket");
	close(n);
}

/* SO_RCVLOWAT: a blocking read waits until that many bytes are there. */
static int lowat_fd;

static int
lowat_child(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < 5; i++) {
		nanosleep(&ts, NULL);
		if (write(lowat_fd, "L", 1) != 1)
			return 1;
	}
	return 0;
}

static void
rcvlowat(void)
{
	int sv[2], n = 5, st;
	char buf[8];
	pid_t pid;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	CHECK(setsockopt(sv[1], SOL_SOCKET, SO_RCVLOWAT, &n, sizeof(n)) == 0 &&
	    intopt(sv[1], SOL_SOCKET, SO_RCVLOWAT) == 5, "SO_RCVLOWAT 5");
	lowat_fd = sv[0];
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(lowat_child());
	CHECK(read(sv[1], buf, sizeof(buf)) == 5, "a read waits for 5 bytes written one at a time");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer exited 0");
	close(sv[0]);
	close(sv[1]);
}

/* One megabyte through the socket from a child, in odd-sized pieces; MSG_WAITALL reads. */
#define BIG (1024 * 1024 + 123)

static unsigned char *bigbuf;
static int bigfd;

static int
big_child(void)
{
	size_t off, n;

	for (off = 0; off < BIG; off += n) {
		n = BIG - off < 3001 ? BIG - off : 3001;
		if (write(bigfd, bigbuf + off, n) != (ssize_t)n)
			return 1;
	}
	return 0;
}

static void
big_transfer(void)
{
	int sv[2], st;
	size_t i, got = 0;
	unsigned long want, h = 14695981039346656037UL;
	unsigned char *in;
	ssize_t n;
	pid_t pid;

	bigbuf = malloc(BIG);
	in = malloc(BIG);
	for (i = 0; i < BIG; i++)
		bigbuf[i] = (unsigned char)(i * 7 + i / 251);
	want = mix(14695981039346656037UL, bigbuf, BIG);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		bigfd = sv[1];
		_exit(big_child());
	}
	close(sv[1]);
	CHECK(recv(sv[0], in, 100000, MSG_WAITALL) == 100000, "MSG_WAITALL gets all 100000 bytes");
	CHECK(recv(sv[0], in + 100000, 400000, MSG_WAITALL) == 400000, "MSG_WAITALL beyond the buffer size: 400000");
	got = 500000;
	while (got < BIG && (n = read(sv[0], in + got, BIG - got)) > 0)
		got += n;
	h = mix(h, in, got);
	CHECK(got == BIG && h == want, "1 MiB through the socket, in order");
	CHECK(read(sv[0], in, 1) == 0, "EOF when the child exits");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer child exited 0");
	close(sv[0]);
	free(in);
	free(bigbuf);
}

/* A server child accepts and echoes; the parent connects through the path. */
static int
echo_child(void)
{
	struct sockaddr_un sa;
	int l, s, n;
	char buf[64];

	l = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(l, (struct sockaddr *)&sa, path_addr(&sa, "echo"));
	listen(l, 1);
	write(bigfd, "r", 1);
	s = accept(l, NULL, NULL);
	while ((n = read(s, buf, sizeof(buf))) > 0)
		write(s, buf, n);
	close(s);
	close(l);
	return 0;
}

static void
across_fork(void)
{
	struct sockaddr_un sa;
	socklen_t len;
	struct ucred uc;
	int p[2], c, st;
	char buf[16];
	pid_t pid;

	pipe(p);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		bigfd = p[1];
		_exit(echo_child());
	}
	close(p[1]);
	read(p[0], buf, 1);
	close(p[0]);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&sa, path_addr(&sa, "echo")) == 0, "connect to a server in another process");
	len = sizeof(uc);
	CHECK(getsockopt(c, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0 && uc.pid == pid, "SO_PEERCRED names the server's pid");
	CHECK(write(c, "echo me", 7) == 7 && read(c, buf, sizeof(buf)) == 7 && memcmp(buf, "echo me", 7) == 0, "echoed");
	close(c);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "server exits after EOF");
	unlink(sa.sun_path);
}

int
main(void)
{
	corpus_init();
	snprintf(dir, sizeof(dir), "%s", corpus_mkdtemp("unix"));
	stream_pair();
	sigpipe();
	eintr();
	dgram_pair();
	path_sockets();
	abstract_and_autobind();
	dgram_paths();
	rights();
	credentials();
	options();
	rcvlowat();
	big_transfer();
	across_fork();
	corpus_rmtree(dir);
	return corpus_done();
}
