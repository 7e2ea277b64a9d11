/*
 * dhclient: Dynamic Host Configuration Protocol client (BSD's dhclient(8)).
 * DISCOVER/OFFER/REQUEST/ACK over a UDP socket bound to port 68 and to the
 * interface (SO_BINDTODEVICE), then the address, netmask and broadcast by
 * ioctl, the default route by SIOCADDRT and /etc/resolv.conf. After binding
 * it goes to the background to renew the lease at T1 (rebinding at T2).
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "libutil.h"

#define DHCPDISCOVER 1
#define DHCPOFFER 2
#define DHCPREQUEST 3
#define DHCPDECLINE 4
#define DHCPACK 5
#define DHCPNAK 6

#define LINK_WAIT 10	/* seconds to wait for carrier */
#define OFFER_WAIT 30	/* seconds of DISCOVERs before giving up */

struct lease {
	in_addr_t addr, mask, bcast, router, server;
	in_addr_t dns[3];
	int ndns;
	char domain[64];
	uint32_t time, t1, t2;
};

static const char *ifname;
static unsigned char hwaddr[6];
static int sock, ctl, dflag, qflag;
static uint32_t xid;

static void
usage(void)
{
	fprintf(stderr, "usage: dhclient [-dq] interface\n");
	exit(1);
}

static void
note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
note(const char *fmt, ...)
{
	va_list ap;

	if (qflag)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *
ipstr(in_addr_t a)
{
	struct in_addr in = { a };
	return inet_ntoa(in);
}

/* ---- interface ---- */

static void
ifreqfor(struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	strlcpy(ifr->ifr_name, ifname, IFNAMSIZ);
}

static int
ifflags(void)
{
	struct ifreq ifr;

	ifreqfor(&ifr);
	if (ioctl(ctl, SIOCGIFFLAGS, &ifr) < 0) {
		if (errno == ENODEV || errno == ENXIO)
			errx(1, "%s: no such interface", ifname);
		err(1, "%s: SIOCGIFFLAGS", ifname);
	}
	return ifr.ifr_flags & 0xffff;
}

static void
ifup(void)
{
	struct ifreq ifr;
	int flags = ifflags();

	if (flags & IFF_UP)
		return;
	ifreqfor(&ifr);
	ifr.ifr_flags = (short)(flags | IFF_UP);
	if (ioctl(ctl, SIOCSIFFLAGS, &ifr) < 0)
		err(1, "%s: SIOCSIFFLAGS", ifname);
}

static void
setaddr(unsigned long req, in_addr_t a, const char *what)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)(void *)&ifr.ifr_addr;

	ifreqfor(&ifr);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = a;
	if (ioctl(ctl, req, &ifr) < 0)
		warn("%s: %s", ifname, what);
}

static void
setsin(struct sockaddr *sa, in_addr_t a)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)(void *)sa;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = a;
}

static void
defaultroute(in_addr_t gw)
{
	struct rtentry rt;

	memset(&rt, 0, sizeof(rt));
	setsin(&rt.rt_dst, 0);
	setsin(&rt.rt_genmask, 0);
	setsin(&rt.rt_gateway, gw);
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	/* Replace any old default route. */
	while (ioctl(ctl, SIOCDELRT, &rt) == 0)
		;
	if (ioctl(ctl, SIOCADDRT, &rt) < 0)
		warn("add default route via %s", ipstr(gw));
}

static void
resolvconf(const struct lease *l)
{
	FILE *fp;

	if (l->ndns == 0 || access("/etc", W_OK) != 0)
		return;
	if ((fp = fopen("/etc/resolv.conf", "w")) == NULL)
		return;
	if (l->domain[0] != '\0')
		fprintf(fp, "search %s\n", l->domain);
	for (int i = 0; i < l->ndns; i++)
		fprintf(fp, "nameserver %s\n", ipstr(l->dns[i]));
	fclose(fp);
}

static void
configure(const struct lease *l)
{
	setaddr(SIOCSIFADDR, l->addr, "SIOCSIFADDR");
	setaddr(SIOCSIFNETMASK, l->mask, "SIOCSIFNETMASK");
	setaddr(SIOCSIFBRDADDR, l->bcast ? l->bcast : (l->addr & l->mask) | ~l->mask, "SIOCSIFBRDADDR");
	ifup();
	if (l->router)
		defaultroute(l->router);
	resolvconf(l);
}

/* ---- packets ---- */

struct dhcp {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[16], sname[64], file[128];
	uint8_t options[312];
} __attribute__((packed));

static const uint8_t cookie[4] = { 99, 130, 83, 99 };

static int
build(struct dhcp *p, int type, in_addr_t ciaddr, in_addr_t reqip, in_addr_t server)
{
	uint8_t *o = p->options;

	memset(p, 0, sizeof(*p));
	p->op = 1;
	p->htype = 1;
	p->hlen = 6;
	p->xid = xid;
	/* Broadcast replies: we cannot take unicast before we have an address. */
	p->flags = ciaddr ? 0 : htons(0x8000);
	p->ciaddr = ciaddr;
	memcpy(p->chaddr, hwaddr, 6);
	memcpy(o, cookie, 4), o += 4;
	*o++ = 53, *o++ = 1, *o++ = (uint8_t)type;
	*o++ = 61, *o++ = 7, *o++ = 1, memcpy(o, hwaddr, 6), o += 6;
	if (reqip)
		*o++ = 50, *o++ = 4, memcpy(o, &reqip, 4), o += 4;
	if (server)
		*o++ = 54, *o++ = 4, memcpy(o, &server, 4), o += 4;
	*o++ = 55, *o++ = 6, *o++ = 1, *o++ = 28, *o++ = 3, *o++ = 6, *o++ = 15, *o++ = 51;
	*o++ = 255;
	int len = (int)(o - (uint8_t *)p);
	return len < 300 ? 300 : len; /* the BOOTP minimum */
}

static void
sendpkt(int type, in_addr_t ciaddr, in_addr_t reqip, in_addr_t server, in_addr_t to, int interval)
{
	struct dhcp p;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(67) };
	int len = build(&p, type, ciaddr, reqip, server);

	sin.sin_addr.s_addr = to;
	if (type == DHCPDISCOVER)
		note("DHCPDISCOVER on %s to %s port 67 interval %d", ifname, ipstr(to), interval);
	else
		note("DHCPREQUEST on %s to %s port 67", ifname, ipstr(to));
	if (sendto(sock, &p, len, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		warn("sendto");
}

/* Parse a reply for us; returns its message type or 0. */
static int
parse(const struct dhcp *p, ssize_t n, struct lease *l)
{
	const uint8_t *o = p->options, *end = (const uint8_t *)p + n;
	int type = 0;

	if (n < 240 || p->op != 2 || p->xid != xid || memcmp(p->chaddr, hwaddr, 6) != 0 ||
	    memcmp(p->options, cookie, 4) != 0)
		return 0;
	memset(l, 0, sizeof(*l));
	l->addr = p->yiaddr;
	for (o += 4; o < end && *o != 255;) {
		if (*o == 0) {
			o++;
			continue;
		}
		/* An option running past the packet: the whole reply is suspect (as ISC's dhclient). */
		if (o + 2 > end || o + 2 + o[1] > end)
			return 0;
		uint8_t code = o[0], len = o[1];
		const uint8_t *v = o + 2;
		uint32_t u = 0;
		if (len >= 4)
			memcpy(&u, v, 4);
		switch (code) {
		case 53: if (len == 1) type = v[0]; break;
		case 54: if (len == 4) l->server = u; break;
		case 1: if (len == 4) l->mask = u; break;
		case 3: if (len >= 4) l->router = u; break;
		case 28: if (len == 4) l->bcast = u; break;
		case 51: if (len == 4) l->time = ntohl(u); break;
		case 58: if (len == 4) l->t1 = ntohl(u); break;
		case 59: if (len == 4) l->t2 = ntohl(u); break;
		case 6:
			for (int i = 0; i + 4 <= len && l->ndns < 3; i += 4)
				memcpy(&l->dns[l->ndns++], v + i, 4);
			break;
		case 15: {
			size_t k = len < sizeof(l->domain) ? len : sizeof(l->domain) - 1;
			memcpy(l->domain, v, k);
			l->domain[k] = '\0';
			break;
		}
		}
		o += 2 + len;
	}
	if (l->mask == 0) {
		uint32_t h = ntohl(l->addr);
		l->mask = htonl(IN_CLASSA(h) ? IN_CLASSA_NET : IN_CLASSB(h) ? IN_CLASSB_NET : IN_CLASSC_NET);
	}
	if (l->time == 0)
		l->time = 3600;
	if (l->t1 == 0 || l->t1 >= l->time)
		l->t1 = l->time / 2;
	if (l->t2 == 0 || l->t2 >= l->time || l->t2 < l->t1)
		l->t2 = l->time / 8 * 7;
	return type;
}

/* Wait up to secs for a reply of one of the wanted types. */
static int
await(double secs, struct lease *l, int want1, int want2)
{
	double end = now() + secs;
	struct dhcp p;

	for (;;) {
		double left = end - now();
		if (left <= 0)
			return 0;
		struct pollfd pfd = { sock, POLLIN, 0 };
		int r = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno != EINTR)
			err(1, "poll");
		if (r <= 0)
			continue;
		ssize_t n = recv(sock, &p, sizeof(p), 0);
		if (n < 0)
			continue;
		int t = parse(&p, n, l);
		if (t != 0 && (t == want1 || t == want2))
			return t;
	}
}

static void
newxid(void)
{
	int fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0 || read(fd, &xid, sizeof(xid)) != sizeof(xid))
		xid = (uint32_t)(getpid() * 2654435761u) ^ (uint32_t)time(NULL);
	if (fd >= 0)
		close(fd);
}

/* INIT → SELECTING → REQUESTING → BOUND (RFC 2131 §4.4). Returns 0 when out of time. */
static int
acquire(struct lease *l, double budget)
{
	double end = now() + budget;

	while (now() < end) {
		struct lease offer;
		int interval = 3;
		newxid();
		int got = 0;
		while (now() < end) {
			sendpkt(DHCPDISCOVER, 0, 0, 0, INADDR_BROADCAST, interval);
			if (await(interval, &offer, DHCPOFFER, 0)) {
				got = 1;
				break;
			}
			interval = interval * 2 > 15 ? 15 : interval * 2;
		}
		if (!got)
			return 0;
		note("DHCPOFFER from %s", ipstr(offer.server));
		for (int tries = 0; tries < 4; tries++) {
			sendpkt(DHCPREQUEST, 0, offer.addr, offer.server, INADDR_BROADCAST, 0);
			int t = await(3, l, DHCPACK, DHCPNAK);
			if (t == DHCPACK) {
				note("DHCPACK from %s", ipstr(l->server ? l->server : offer.server));
				if (l->server == 0)
					l->server = offer.server;
				return 1;
			}
			if (t == DHCPNAK) {
				note("DHCPNAK from %s", ipstr(offer.server));
				break;
			}
		}
	}
	return 0;
}

static void
bound(const struct lease *l)
{
	configure(l);
	note("bound to %s -- renewal in %u seconds.", ipstr(l->addr), l->t1);
}

/* BOUND → RENEWING at T1 (unicast to the server) → REBINDING at T2 → INIT at expiry. */
static void
maintain(struct lease *l)
{
	for (;;) {
		double start = now();
		sleep(l->t1);
		struct lease nl;
		int t = 0;
		newxid();
		while (t == 0 && now() - start < l->t2) {
			sendpkt(DHCPREQUEST, l->addr, 0, 0, l->server, 0);
			t = await(10, &nl, DHCPACK, DHCPNAK);
		}
		while (t == 0 && now() - start < l->time) {
			sendpkt(DHCPREQUEST, l->addr, 0, 0, INADDR_BROADCAST, 0);
			t = await(10, &nl, DHCPACK, DHCPNAK);
		}
		if (t == DHCPACK) {
			if (nl.server == 0)
				nl.server = l->server;
			*l = nl;
			note("DHCPACK from %s", ipstr(l->server));
			bound(l);
			continue;
		}
		/* Lost it: give the address back and start over. */
		setaddr(SIOCSIFADDR, INADDR_ANY, "SIOCSIFADDR");
		while (!acquire(l, 60))
			sleep(10);
		bound(l);
	}
}

int
main(int argc, char *argv[])
{
	struct ifreq ifr;
	struct lease l;
	int ch, on = 1;

	while ((ch = getopt(argc, argv, "+dq")) != -1) {
		switch (ch) {
		case 'd': dflag = 1; break;
		case 'q': qflag = 1; break;
		default: usage();
		}
	}
	if (argc - optind != 1)
		usage();
	ifname = argv[optind];
	if (strlen(ifname) >= IFNAMSIZ)
		errx(1, "%s: no such interface", ifname);
	if ((ctl = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		err(1, "socket");
	ifflags(); /* "no such interface" first */
	ifreqfor(&ifr);
	if (ioctl(ctl, SIOCGIFHWADDR, &ifr) < 0 || ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		errx(1, "%s: not an Ethernet interface", ifname);
	memcpy(hwaddr, ifr.ifr_hwaddr.sa_data, 6);
	ifup();

	if (!(ifflags() & IFF_RUNNING)) {
		fprintf(stderr, "%s: no link ...", ifname);
		int i;
		for (i = 0; i < LINK_WAIT && !(ifflags() & IFF_RUNNING); i++) {
			sleep(1);
			fputc('.', stderr);
		}
		if (!(ifflags() & IFF_RUNNING)) {
			fprintf(stderr, " giving up\n");
			return 1;
		}
		fprintf(stderr, " got link\n");
	}

	if ((sock = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		err(1, "socket");
	setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (setsockopt(sock, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) < 0)
		err(1, "SO_BROADCAST");
	if (setsockopt(sock, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) < 0)
		err(1, "SO_BINDTODEVICE %s", ifname);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(68) };
	if (bind(sock, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		err(1, "bind port 68");

	if (!acquire(&l, OFFER_WAIT)) {
		note("No DHCPOFFERS received.");
		return 2;
	}
	bound(&l);
	fflush(stderr);
	if (!dflag && daemon(0, 1) < 0)
		err(1, "daemon");
	maintain(&l);
	return 0;
}
