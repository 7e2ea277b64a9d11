/*
 * inet: AF_INET sockets over the loopback (127.0.0.1, lo0). TCP listen/
 * connect/accept, send/recv both ways, getsockname/getpeername, poll
 * readiness, shutdown semantics, a 2 MiB transfer through non-blocking
 * sockets, ECONNREFUSED (TCP and connected UDP), EADDRINUSE, non-blocking
 * connect and accept, socket options; UDP sendto/recvfrom with source
 * addresses. Ports are ephemeral (bind to port 0): under qemu 127.0.0.1 is
 * the host's loopback, shared with whatever else runs there.
 */
#include "corpus.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

static struct sockaddr_in
lo(unsigned short port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sin;
}

static unsigned short
portof(int fd, int peer)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	memset(&sin, 0, sizeof(sin));
	if ((peer ? getpeername(fd, (struct sockaddr *)&sin, &len) : getsockname(fd, (struct sockaddr *)&sin, &len)) != 0)
		return 0;
	return ntohs(sin.sin_port);
}

static unsigned long
addrof(int fd, int peer)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	memset(&sin, 0, sizeof(sin));
	if ((peer ? getpeername(fd, (struct sockaddr *)&sin, &len) : getsockname(fd, (struct sockaddr *)&sin, &len)) != 0)
		return 0;
	return ntohl(sin.sin_addr.s_addr);
}

static int
listener(unsigned short *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sin = lo(0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 || listen(fd, 5) != 0)
		return -1;
	*port = portof(fd, 0);
	return fd;
}

static int
readable(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

static unsigned long
mix(unsigned long h, const unsigned char *p, size_t n)
{
	while (n-- > 0)
		h = (h ^ *p++) * 1099511628211UL;
	return h;
}

static void
tcp_basics(void)
{
	unsigned short port = 0;
	int l = listener(&port), c, s, v;
	struct sockaddr_in sin = lo(port), peer;
	socklen_t plen = sizeof(peer);
	char buf[64];
	ssize_t n;

	CHECK(l >= 0 && port != 0, "tcp listen on an ephemeral port");
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(portof(c, 0) == 0 && addrof(c, 0) == 0, "unbound socket's name is 0.0.0.0:0");
	CHECK(connect(c, (struct sockaddr *)&sin, sizeof(sin)) == 0, "connect");
	CHECK(readable(l, 5000), "listener polls readable");
	s = accept(l, (struct sockaddr *)&peer, &plen);
	CHECK(s >= 0, "accept");
	CHECK(plen == sizeof(peer) && peer.sin_family == AF_INET && ntohs(peer.sin_port) == portof(c, 0),
	    "accept reports the client's address");
	CHECK(portof(s, 0) == port && portof(c, 1) == port, "server port on both sides");
	CHECK(portof(s, 1) == portof(c, 0) && addrof(s, 1) == INADDR_LOOPBACK && addrof(c, 0) == INADDR_LOOPBACK,
	    "getpeername matches getsockname across the connection");
	CHECK(!readable(s, 0), "no data yet: not readable");
	CHECK(send(c, "hello", 5, 0) == 5, "send");
	CHECK(readable(s, 5000), "readable after send");
	n = recv(s, buf, sizeof(buf), 0);
	CHECK(n == 5 && memcmp(buf, "hello", 5) == 0, "recv what was sent");
	CHECK(send(s, "WORLD!", 6, 0) == 6, "send back");
	n = recv(c, buf, sizeof(buf), 0);
	CHECK(n == 6 && memcmp(buf, "WORLD!", 6) == 0, "recv the reply");
	v = 1;
	CHECK(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v)) == 0, "TCP_NODELAY set");
	v = 0;
	plen = sizeof(v);
	CHECK(getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &plen) == 0 && v != 0, "TCP_NODELAY reads back");
	plen = sizeof(v);
	CHECK(getsockopt(c, SOL_SOCKET, SO_TYPE, &v, &plen) == 0 && v == SOCK_STREAM, "SO_TYPE is SOCK_STREAM");
	/* Half close: the server sees EOF, can still send. */
	CHECK(shutdown(c, SHUT_WR) == 0, "shutdown(SHUT_WR)");
	n = recv(s, buf, sizeof(buf), 0);
	CHECK(n == 0, "peer reads EOF after SHUT_WR");
	CHECK(send(s, "late", 4, 0) == 4, "the other direction still works");
	n = recv(c, buf, sizeof(buf), 0);
	CHECK(n == 4 && memcmp(buf, "late", 4) == 0, "half-closed side still receives");
	close(s);
	n = recv(c, buf, sizeof(buf), 0);
	CHECK(n == 0, "EOF after the server closes");
	close(c);
	close(l);
}

static void
tcp_bulk(void)
{
	enum { TOTAL = 2 << 20 };
	unsigned short port = 0;
	int l = listener(&port), c, s, r;
	struct sockaddr_in sin = lo(port);
	static unsigned char out[65536], in[65536];
	size_t sent = 0, got = 0, i;
	unsigned long hs = 14695981039346656037UL, hr = 14695981039346656037UL;
	struct pollfd p[2];

	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r = connect(c, (struct sockaddr *)&sin, sizeof(sin));
	CHECK(r == 0 || errno == EINPROGRESS, "non-blocking connect starts");
	p[0].fd = c;
	p[0].events = POLLOUT;
	CHECK(poll(p, 1, 5000) == 1 && (p[0].revents & POLLOUT), "connect completes: writable");
	r = -1;
	{
		socklen_t len = sizeof(r);
		CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &r, &len) == 0 && r == 0, "SO_ERROR is 0");
	}
	s = accept4(l, NULL, NULL, SOCK_NONBLOCK);
	CHECK(s >= 0, "accept4(SOCK_NONBLOCK)");
	fcntl(l, F_SETFL, O_NONBLOCK);
	CHECK(accept(l, NULL, NULL) < 0 && errno == EAGAIN, "non-blocking accept with nothing queued: EAGAIN");
	for (i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 131 + (i >> 8));
	while (got < TOTAL) {
		p[0].fd = c;
		p[0].events = sent < TOTAL ? POLLOUT : 0;
		p[1].fd = s;
		p[1].events = POLLIN;
		if (poll(p, 2, 10000) <= 0)
			break;
		if (sent < TOTAL && (p[0].revents & POLLOUT)) {
			size_t want = TOTAL - sent, off = sent % sizeof(out);
			ssize_t n;

			if (want > sizeof(out) - off)
				want = sizeof(out) - off;
			n = send(c, out + off, want, 0);
			if (n > 0) {
				hs = mix(hs, out + off, (size_t)n);
				sent += (size_t)n;
			} else if (n < 0 && errno != EAGAIN)
				break;
		}
		if (p[1].revents & POLLIN) {
			ssize_t n = recv(s, in, sizeof(in), 0);

			if (n > 0) {
				hr = mix(hr, in, (size_t)n);
				got += (size_t)n;
			} else if (n == 0 || errno != EAGAIN)
				break;
		}
	}
	CHECK(sent == TOTAL && got == TOTAL && hs == hr, "2 MiB through non-blocking sockets, bytes intact");
	CHECK(recv(s, in, sizeof(in), 0) < 0 && errno == EAGAIN, "drained socket: EAGAIN");
	close(c);
	close(s);
	close(l);
}

static void
tcp_errors(void)
{
	unsigned short port = 0, dead;
	int l = listener(&port), t, c, v = 1;
	struct sockaddr_in sin = lo(port);

	t = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(bind(t, (struct sockaddr *)&sin, sizeof(sin)) < 0 && errno == EADDRINUSE, "bind to a listening port: EADDRINUSE");
	close(t);
	/* A port nobody listens on: bound, then closed. */
	t = socket(AF_INET, SOCK_STREAM, 0);
	sin = lo(0);
	bind(t, (struct sockaddr *)&sin, sizeof(sin));
	dead = portof(t, 0);
	close(t);
	c = socket(AF_INET, SOCK_STREAM, 0);
	sin = lo(dead);
	CHECK(connect(c, (struct sockaddr *)&sin, sizeof(sin)) < 0 && errno == ECONNREFUSED, "connect to a closed port: ECONNREFUSED");
	close(c);
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)) == 0, "SO_REUSEADDR");
	sin = lo(port);
	CHECK(send(c, "x", 1, MSG_NOSIGNAL) < 0 && (errno == EPIPE || errno == ENOTCONN), "send before connect fails");
	CHECK(listen(c, 1) == 0 && portof(c, 0) != 0, "listen without bind picks a port");
	close(c);
	close(l);
}

static void
udp(void)
{
	int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0), c;
	struct sockaddr_in sin = lo(0), from;
	socklen_t flen = sizeof(from);
	unsigned short pa, pb;
	char buf[64];
	ssize_t n;

	CHECK(bind(a, (struct sockaddr *)&sin, sizeof(sin)) == 0, "udp bind");
	CHECK(bind(b, (struct sockaddr *)&sin, sizeof(sin)) == 0, "second udp bind");
	pa = portof(a, 0);
	pb = portof(b, 0);
	sin = lo(pb);
	CHECK(sendto(a, "datagram", 8, 0, (struct sockaddr *)&sin, sizeof(sin)) == 8, "sendto");
	CHECK(readable(b, 5000), "receiver readable");
	n = recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
	CHECK(n == 8 && memcmp(buf, "datagram", 8) == 0, "recvfrom the datagram");
	CHECK(ntohs(from.sin_port) == pa && ntohl(from.sin_addr.s_addr) == INADDR_LOOPBACK, "recvfrom reports the sender");
	sin = lo(pa);
	sendto(b, "one", 3, 0, (struct sockaddr *)&sin, sizeof(sin));
	sendto(b, "two!", 4, 0, (struct sockaddr *)&sin, sizeof(sin));
	n = recv(a, buf, 2, MSG_TRUNC);
	CHECK(n == 3, "MSG_TRUNC returns the datagram's real length");
	n = recv(a, buf, sizeof(buf), 0);
	CHECK(n == 4 && memcmp(buf, "two!", 4) == 0, "datagram boundaries kept");
	/* Connected UDP to a dead port learns ECONNREFUSED from ICMP. */
	c = socket(AF_INET, SOCK_DGRAM, 0);
	sin = lo(0);
	bind(c, (struct sockaddr *)&sin, sizeof(sin));
	{
		unsigned short dead = portof(c, 0);
		close(c);
		c = socket(AF_INET, SOCK_DGRAM, 0);
		sin = lo(dead);
	}
	CHECK(connect(c, (struct sockaddr *)&sin, sizeof(sin)) == 0, "udp connect");
	CHECK(portof(c, 0) != 0 && portof(c, 1) == ntohs(sin.sin_port), "connect binds and records the peer");
	CHECK(send(c, "?", 1, 0) == 1, "send on connected udp");
	n = recv(c, buf, sizeof(buf), 0);
	CHECK(n < 0 && errno == ECONNREFUSED, "recv after port unreachable: ECONNREFUSED");
	close(a);
	close(b);
	close(c);
}

int
main(void)
{
	corpus_init();
	tcp_basics();
	tcp_bulk();
	tcp_errors();
	udp();
	return corpus_done();
}
