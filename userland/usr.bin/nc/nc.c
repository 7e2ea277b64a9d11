/*
 * nc: arbitrary TCP and UDP connections and listens (OpenBSD's netcat, with
 * Debian's -q). One poll(2) loop shuttles stdin to the socket and the socket
 * to stdout through bounded buffers, so any amount of data streams through.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "libutil.h"

#define BUFSZ 65536

static int lflag, uflag, zflag, vflag, Nflag, nflag, kflag;
static int timeout = -1;	/* -w, seconds */
static int qsecs = -1;		/* -q, seconds */

static void
usage(void)
{
	fprintf(stderr, "usage: nc [-klNnuvz] [-p source_port] [-q seconds] [-s source] [-w timeout]\n"
	    "          [destination] [port]\n");
	exit(1);
}

static int
resolve(const char *host, const char *port, struct sockaddr_in *sin)
{
	struct addrinfo hints = { 0 }, *res;
	int e;

	hints.ai_family = AF_INET;
	hints.ai_socktype = uflag ? SOCK_DGRAM : SOCK_STREAM;
	hints.ai_flags = (nflag ? AI_NUMERICHOST : 0) | (host == NULL ? AI_PASSIVE : 0);
	if ((e = getaddrinfo(host, port, &hints, &res)) != 0) {
		warnx("getaddrinfo for host \"%s\" port %s: %s", host ? host : "*", port, gai_strerror(e));
		return -1;
	}
	memcpy(sin, res->ai_addr, sizeof(*sin));
	freeaddrinfo(res);
	return 0;
}

static int
portnum(const char *s)
{
	const char *e;
	int p = (int)strtonum(s, 0, 65535, &e);
	if (e != NULL)
		errx(1, "port number invalid: %s", s);
	return p;
}

/* connect(2) with -w: nonblocking, then poll for the result. */
static int
timed_connect(int s, const struct sockaddr_in *sin)
{
	int fl = fcntl(s, F_GETFL), e;
	socklen_t len = sizeof(e);

	fcntl(s, F_SETFL, fl | O_NONBLOCK);
	if (connect(s, (const struct sockaddr *)sin, sizeof(*sin)) == 0)
		goto ok;
	if (errno != EINPROGRESS)
		return -1;
	struct pollfd pfd = { s, POLLOUT, 0 };
	int r;
	while ((r = poll(&pfd, 1, timeout < 0 ? -1 : timeout * 1000)) < 0 && errno == EINTR)
		;
	if (r == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		return -1;
	if (e != 0) {
		errno = e;
		return -1;
	}
ok:
	fcntl(s, F_SETFL, fl);
	return 0;
}

static int
client(const char *host, const char *port, const char *srcaddr, int srcport)
{
	struct sockaddr_in sin, src;
	int s, on = 1;

	if (resolve(host, port, &sin) < 0)
		return -1;
	if ((s = socket(AF_INET, uflag ? SOCK_DGRAM : SOCK_STREAM, 0)) < 0)
		err(1, "socket");
	if (srcaddr != NULL || srcport >= 0) {
		memset(&src, 0, sizeof(src));
		src.sin_family = AF_INET;
		src.sin_port = htons((uint16_t)(srcport < 0 ? 0 : srcport));
		if (srcaddr != NULL && inet_aton(srcaddr, &src.sin_addr) == 0)
			errx(1, "%s: bad source address", srcaddr);
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (bind(s, (struct sockaddr *)&src, sizeof(src)) < 0)
			err(1, "bind");
	}
	if (timed_connect(s, &sin) < 0) {
		if (vflag || !zflag)
			warn("connect to %s port %s (%s) failed", host, port, uflag ? "udp" : "tcp");
		close(s);
		return -1;
	}
	if (vflag)
		fprintf(stderr, "Connection to %s %s port [%s/*] succeeded!\n", host, port, uflag ? "udp" : "tcp");
	return s;
}

static int
listener(const char *host, const char *port)
{
	struct sockaddr_in sin;
	int s, on = 1;

	if (resolve(host, port, &sin) < 0)
		exit(1);
	if ((s = socket(AF_INET, uflag ? SOCK_DGRAM : SOCK_STREAM, 0)) < 0)
		err(1, "socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		err(1, "bind");
	if (!uflag && listen(s, 5) < 0)
		err(1, "listen");
	if (vflag) {
		socklen_t len = sizeof(sin);
		getsockname(s, (struct sockaddr *)&sin, &len);
		fprintf(stderr, "Listening on %s %d\n", inet_ntoa(sin.sin_addr), ntohs(sin.sin_port));
	}
	return s;
}

static int
accept_one(int ls)
{
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	int s;

	if (uflag) {
		/* UDP: the first datagram's sender becomes the peer; it is read again below. */
		char c;
		if (recvfrom(ls, &c, 1, MSG_PEEK, (struct sockaddr *)&peer, &len) < 0)
			err(1, "recvfrom");
		if (connect(ls, (struct sockaddr *)&peer, len) < 0)
			err(1, "connect");
		s = ls;
	} else {
		while ((s = accept(ls, (struct sockaddr *)&peer, &len)) < 0)
			if (errno != EINTR)
				err(1, "accept");
	}
	if (vflag)
		fprintf(stderr, "Connection received on %s %d\n", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
	return s;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static ssize_t
writeall(int fd, const char *p, size_t n)
{
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, p + off, n - off);
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				struct pollfd pfd = { fd, POLLOUT, 0 };
				poll(&pfd, 1, -1);
				continue;
			}
			return -1;
		}
		off += (size_t)w;
	}
	return (ssize_t)off;
}

/* Shuttle stdin → s and s → stdout until the network side ends. */
static void
readwrite(int s)
{
	static char ibuf[BUFSZ], nbuf[BUFSZ];
	size_t ilen = 0, ioff = 0;
	int stdin_open = 1, net_open = 1;
	double quit_at = -1, idle = now();

	fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK);
	while (net_open) {
		struct pollfd pfd[2];
		int n = 0, si = -1, ni;
		if (stdin_open && ilen == 0) {
			pfd[n] = (struct pollfd){ 0, POLLIN, 0 };
			si = n++;
		}
		pfd[n] = (struct pollfd){ s, (short)(POLLIN | (ilen ? POLLOUT : 0)), 0 };
		ni = n++;
		int ms = -1;
		if (timeout >= 0)
			ms = (int)((idle + timeout - now()) * 1000);
		if (quit_at >= 0) {
			int q = (int)((quit_at - now()) * 1000);
			if (ms < 0 || q < ms)
				ms = q;
		}
		if (ms < -1)
			ms = 0;
		int r = poll(pfd, (nfds_t)n, ms);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		if (r == 0) {
			if (quit_at >= 0 && now() >= quit_at)
				return;
			if (timeout >= 0 && now() - idle >= timeout)
				return;
			continue;
		}
		idle = now();
		if (si >= 0 && (pfd[si].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t k = read(0, ibuf, sizeof(ibuf));
			if (k > 0) {
				ilen = (size_t)k;
				ioff = 0;
			} else if (k == 0 || errno != EINTR) {
				stdin_open = 0;
				if (Nflag || qsecs >= 0)
					shutdown(s, SHUT_WR);
				if (qsecs >= 0)
					quit_at = now() + qsecs;
			}
		}
		if (ilen && (pfd[ni].revents & POLLOUT)) {
			ssize_t w = write(s, ibuf + ioff, ilen);
			if (w > 0) {
				ioff += (size_t)w;
				ilen -= (size_t)w;
			} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
				if (errno != EPIPE && errno != ECONNRESET)
					warn("write");
				return;
			}
		}
		if (pfd[ni].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t k = read(s, nbuf, sizeof(nbuf));
			if (k > 0) {
				if (writeall(1, nbuf, (size_t)k) < 0)
					return;
			} else if (k == 0) {
				net_open = 0;
			} else if (errno != EAGAIN && errno != EINTR) {
				if (errno != ECONNRESET)
					warn("read");
				net_open = 0;
			}
		}
	}
}

int
main(int argc, char *argv[])
{
	const char *host = NULL, *port = NULL, *srcaddr = NULL;
	char pbuf[16];
	int ch, srcport = -1, ret = 0;

	signal(SIGPIPE, SIG_IGN);
	while ((ch = getopt(argc, argv, "+klNnp:q:s:uvw:z")) != -1) {
		const char *e;
		switch (ch) {
		case 'k': kflag = 1; break;
		case 'l': lflag = 1; break;
		case 'N': Nflag = 1; break;
		case 'n': nflag = 1; break;
		case 'p': srcport = portnum(optarg); break;
		case 'q': qsecs = (int)strtonum(optarg, 0, 86400, &e);
			if (e != NULL)
				errx(1, "-q %s: %s", optarg, e);
			break;
		case 's': srcaddr = optarg; break;
		case 'u': uflag = 1; break;
		case 'v': vflag = 1; break;
		case 'w': timeout = (int)strtonum(optarg, 0, 86400, &e);
			if (e != NULL)
				errx(1, "timeout %s: %s", optarg, e);
			break;
		case 'z': zflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;

	if (lflag) {
		/* nc -l port, nc -l host port, nc -l -p port. */
		if (argc == 2)
			host = argv[0], port = argv[1];
		else if (argc == 1)
			port = argv[0];
		else if (argc == 0 && srcport >= 0) {
			snprintf(pbuf, sizeof(pbuf), "%d", srcport);
			port = pbuf;
		} else
			usage();
		portnum(port);
		if (srcaddr != NULL)
			host = srcaddr;
		int ls = listener(host, port);
		do {
			int s = accept_one(ls);
			readwrite(s);
			if (s != ls)
				close(s);
		} while (kflag && !uflag);
		return 0;
	}
	if (argc != 2)
		usage();
	host = argv[0];
	/* -z scans a range: nc -z host 20-25. */
	char *dash = strchr(argv[1], '-');
	int lo, hi;
	if (dash != NULL) {
		*dash = '\0';
		lo = portnum(argv[1]);
		hi = portnum(dash + 1);
		if (lo > hi)
			errx(1, "port range not valid");
	} else
		lo = hi = portnum(argv[1]);
	for (int p = lo; p <= hi; p++) {
		snprintf(pbuf, sizeof(pbuf), "%d", p);
		int s = client(host, pbuf, srcaddr, srcport);
		if (s < 0) {
			ret = 1;
			continue;
		}
		if (!zflag)
			readwrite(s);
		close(s);
	}
	return ret;
}
