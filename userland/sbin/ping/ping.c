/*
 * ping: send ICMP ECHO_REQUEST packets to network hosts (BSD's ping(8)).
 * Root uses a raw ICMP socket; others get Linux's ICMP datagram ("ping")
 * socket, where the kernel owns the identifier and strips the IP header.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "libutil.h"

#define MAXPAYLOAD (65535 - 20 - 8)

static volatile sig_atomic_t finish;
static int sock, raw, qflag;
static uint16_t ident;
static long ntransmitted, nreceived, nrepeats;
static double tmin = 1e18, tmax, tsum, tsumsq;
static unsigned char rcvd[65536 / 8];

static void
usage(void)
{
	fprintf(stderr, "usage: ping [-q] [-c count] [-i wait] [-s packetsize] [-t timeout] [-W waittime] host\n");
	exit(64);
}

static void
onsig(int sig)
{
	(void)sig;
	finish = 1;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint16_t
cksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)(b[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static void
pinger(const struct sockaddr_in *to, int datalen)
{
	static unsigned char pkt[8 + MAXPAYLOAD];
	struct icmphdr *icp = (struct icmphdr *)pkt;
	double t = now();
	ssize_t n;

	memset(pkt, 0, 8);
	icp->type = ICMP_ECHO;
	icp->un.echo.id = htons(ident);
	icp->un.echo.sequence = htons((uint16_t)ntransmitted);
	/* The send time rides in the payload when there is room, as BSD's does. */
	if (datalen >= (int)sizeof(double))
		memcpy(pkt + 8, &t, sizeof(t));
	for (int i = (int)sizeof(double); i < datalen; i++)
		pkt[8 + i] = (unsigned char)i;
	rcvd[(ntransmitted & 0xffff) >> 3] &= (unsigned char)~(1 << (ntransmitted & 7));
	icp->checksum = cksum(pkt, 8 + datalen);
	n = sendto(sock, pkt, 8 + datalen, 0, (const struct sockaddr *)to, sizeof(*to));
	if (n < 0)
		warn("sendto");
	else if (n != 8 + datalen)
		warnx("wrote %d chars, ret=%zd", 8 + datalen, n);
	ntransmitted++;
}

static const char *
unreach(int code)
{
	switch (code) {
	case ICMP_NET_UNREACH: return "Destination Net Unreachable";
	case ICMP_HOST_UNREACH: return "Destination Host Unreachable";
	case ICMP_PROT_UNREACH: return "Destination Protocol Unreachable";
	case ICMP_PORT_UNREACH: return "Destination Port Unreachable";
	case ICMP_PKT_FILTERED: return "Communication prohibited by filter";
	default: return "Destination Unreachable";
	}
}

static void
receive(int datalen)
{
	unsigned char buf[65536], cbuf[256];
	struct sockaddr_in from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = { &from, sizeof(from), &iov, 1, cbuf, sizeof(cbuf), 0 };
	ssize_t n = recvmsg(sock, &msg, MSG_DONTWAIT);
	int ttl = -1, hlen = 0;
	double t = now();

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			warn("recvmsg");
		return;
	}
	if (raw) {
		struct iphdr *ip = (struct iphdr *)buf;
		hlen = ip->ihl * 4;
		if (n < hlen + 8)
			return;
		ttl = ip->ttl;
	} else {
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL)
				memcpy(&ttl, CMSG_DATA(c), sizeof(int));
		if (n < 8)
			return;
	}
	struct icmphdr *icp = (struct icmphdr *)(buf + hlen);
	int cc = (int)n - hlen;
	if (icp->type == ICMP_ECHOREPLY) {
		if (raw && ntohs(icp->un.echo.id) != ident)
			return; /* someone else's ping */
		if (raw && cksum(icp, cc) != 0) {
			if (!qflag)
				printf("%d bytes from %s: (BAD CHECKSUM)!\n", cc, inet_ntoa(from.sin_addr));
			return;
		}
		uint16_t seq = ntohs(icp->un.echo.sequence);
		double rtt = -1;
		if (cc >= 8 + (int)sizeof(double) && datalen >= (int)sizeof(double)) {
			double sent;
			memcpy(&sent, (char *)icp + 8, sizeof(sent));
			rtt = (t - sent) * 1000.0;
		}
		int dup = (rcvd[seq >> 3] >> (seq & 7)) & 1;
		if (dup) {
			nrepeats++;
		} else {
			rcvd[seq >> 3] |= (unsigned char)(1 << (seq & 7));
			nreceived++;
			if (rtt >= 0) {
				tsum += rtt;
				tsumsq += rtt * rtt;
				if (rtt < tmin) tmin = rtt;
				if (rtt > tmax) tmax = rtt;
			}
		}
		if (qflag)
			return;
		printf("%d bytes from %s: icmp_seq=%u", cc, inet_ntoa(from.sin_addr), seq);
		if (ttl >= 0)
			printf(" ttl=%d", ttl);
		if (rtt >= 0)
			printf(" time=%.3f ms", rtt);
		printf("%s\n", dup ? " (DUP!)" : "");
		fflush(stdout);
	} else if (raw && icp->type != ICMP_ECHO && !qflag) {
		/* An error about one of our probes: the quoted header carries our id. */
		struct iphdr *oip = (struct iphdr *)((char *)icp + 8);
		if (cc < 8 + 20 + 8)
			return;
		struct icmphdr *oicp = (struct icmphdr *)((char *)oip + oip->ihl * 4);
		if ((char *)oicp + 8 > (char *)icp + cc || ntohs(oicp->un.echo.id) != ident)
			return;
		printf("%d bytes from %s: ", cc, inet_ntoa(from.sin_addr));
		if (icp->type == ICMP_DEST_UNREACH)
			printf("%s\n", unreach(icp->code));
		else if (icp->type == ICMP_TIME_EXCEEDED)
			printf("Time to live exceeded\n");
		else
			printf("ICMP type %d code %d\n", icp->type, icp->code);
		fflush(stdout);
	}
}

static double
numarg(const char *s, const char *what, double min)
{
	char *end;
	double v = strtod(s, &end);
	if (*end != '\0' || end == s || !(v >= min) || v > 1e9)
		errx(64, "invalid %s: `%s'", what, s);
	return v;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in to;
	long npackets = 0;
	double interval = 1.0, timeout = 0, waittime = 10000;
	int ch, datalen = 56, Wgiven = 0;

	while ((ch = getopt(argc, argv, "+c:i:qs:t:W:")) != -1) {
		switch (ch) {
		case 'c': npackets = (long)numarg(optarg, "count of packets to transmit", 1); break;
		case 'i': interval = numarg(optarg, "timing interval", 0.001); break;
		case 'q': qflag = 1; break;
		case 's': datalen = (int)numarg(optarg, "packet size", 0);
			if (datalen > MAXPAYLOAD)
				errx(64, "packet size too large: %d > %d", datalen, MAXPAYLOAD);
			break;
		case 't': timeout = numarg(optarg, "timeout", 1); break;
		case 'W': waittime = numarg(optarg, "time to wait for response", 0); Wgiven = 1; break;
		default: usage();
		}
	}
	if (argc - optind != 1)
		usage();
	if (interval < 1.0 && getuid() != 0)
		errx(64, "-i interval too short: Operation not permitted");

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	if (inet_aton(argv[optind], &to.sin_addr) == 0) {
		struct addrinfo hints = { .ai_family = AF_INET }, *res;
		if (getaddrinfo(argv[optind], NULL, &hints, &res) != 0)
			errx(68, "cannot resolve %s: Unknown host", argv[optind]);
		to.sin_addr = ((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr;
		freeaddrinfo(res);
	}
	if ((sock = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) >= 0) {
		raw = 1;
	} else if ((sock = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)) < 0) {
		err(71, "socket");
	} else {
		int on = 1;
		setsockopt(sock, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on));
	}
	/* No privileges needed beyond the socket. */
	if (setuid(getuid()) != 0)
		err(71, "setuid");
	ident = (uint16_t)(getpid() & 0xffff);

	struct sigaction sa = { 0 };
	sa.sa_handler = onsig;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	if (timeout > 0)
		alarm((unsigned)timeout);

	printf("PING %s (%s): %d data bytes\n", argv[optind], inet_ntoa(to.sin_addr), datalen);
	fflush(stdout);

	double start = now(), next = start, last = 0;
	while (!finish) {
		double t = now();
		if ((npackets == 0 || ntransmitted < npackets) && t >= next) {
			pinger(&to, datalen);
			last = t;
			next += interval;
			if (next < t)
				next = t + interval;
		}
		if (npackets && ntransmitted >= npackets) {
			/* All sent: wait for the rest, up to waittime (or 2 * max RTT once something came back). */
			double wait = Wgiven ? waittime / 1000.0 : (nreceived ? fmax(2 * tmax / 1000.0, 1.0) : waittime / 1000.0);
			if (nreceived + nrepeats >= npackets || t - last >= wait)
				break;
			next = last + wait;
		}
		double dt = next - now();
		int ms = dt <= 0 ? 0 : (int)(dt * 1000) + 1;
		struct pollfd pfd = { sock, POLLIN, 0 };
		int r = poll(&pfd, 1, ms);
		if (r < 0 && errno != EINTR)
			err(1, "poll");
		if (r > 0)
			receive(datalen);
	}

	printf("\n--- %s ping statistics ---\n", inet_ntoa(to.sin_addr));
	printf("%ld packets transmitted, %ld packets received, ", ntransmitted, nreceived);
	if (nrepeats)
		printf("+%ld duplicates, ", nrepeats);
	if (ntransmitted) {
		if (nreceived > ntransmitted)
			printf("-- somebody's printing up packets!");
		else
			printf("%.1f%% packet loss", (ntransmitted - nreceived) * 100.0 / ntransmitted);
	}
	printf("\n");
	if (nreceived && datalen >= (int)sizeof(double)) {
		double avg = tsum / nreceived;
		double var = tsumsq / nreceived - avg * avg;
		printf("round-trip min/avg/max/stddev = %.3f/%.3f/%.3f/%.3f ms\n", tmin, avg, tmax, sqrt(var > 0 ? var : 0));
	}
	return nreceived ? 0 : 2;
}
