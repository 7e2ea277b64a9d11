/*
 * route: manipulate the routing table (BSD's route(8)) with the Linux
 * SIOCADDRT/SIOCDELRT ioctls; `show` and `get` read /proc/net/route.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libutil.h"

struct rt {
	char ifname[IFNAMSIZ];
	in_addr_t dst, gw, mask;
	unsigned flags;
};

static int nflag;

static void
usage(void)
{
	fprintf(stderr, "usage: route [-n] add | delete [-net | -host] destination [gateway] [-netmask mask] [-interface ifname]\n"
	    "       route [-n] get destination\n"
	    "       route [-n] show\n");
	exit(64);
}

static int
readroutes(struct rt *rts, int max)
{
	FILE *fp = fopen("/proc/net/route", "r");
	char line[512];
	int n = 0;

	if (fp == NULL)
		err(1, "/proc/net/route");
	if (fgets(line, sizeof(line), fp) == NULL) { /* header */
		fclose(fp);
		return 0;
	}
	while (n < max && fgets(line, sizeof(line), fp) != NULL) {
		unsigned long d, g, m;
		unsigned f;
		char name[IFNAMSIZ + 1];
		if (sscanf(line, "%16s %lx %lx %x %*d %*d %*d %lx", name, &d, &g, &f, &m) != 5)
			continue;
		strlcpy(rts[n].ifname, name, IFNAMSIZ);
		/* The kernel prints the addresses as native-endian words of network-order bytes. */
		rts[n].dst = (in_addr_t)d;
		rts[n].gw = (in_addr_t)g;
		rts[n].mask = (in_addr_t)m;
		rts[n].flags = f;
		n++;
	}
	fclose(fp);
	return n;
}

static int
masklen(in_addr_t mask)
{
	return __builtin_popcount(mask);
}

static const char *
ipstr(in_addr_t a)
{
	struct in_addr in = { a };
	return inet_ntoa(in);
}

/* BSD's netname(): 10.2/16, or the address of a host route, or default. */
static void
netname(char *buf, size_t len, in_addr_t dst, in_addr_t mask)
{
	unsigned char *b = (unsigned char *)&dst;
	int ml = masklen(mask), octets;

	if (dst == 0 && mask == 0) {
		strlcpy(buf, "default", len);
		return;
	}
	if (ml == 32) {
		strlcpy(buf, ipstr(dst), len);
		return;
	}
	octets = (ml + 7) / 8;
	if (octets < 1)
		octets = 1;
	int off = 0;
	for (int i = 0; i < octets; i++)
		off += snprintf(buf + off, len - off, "%s%u", i ? "." : "", b[i]);
	snprintf(buf + off, len - off, "/%d", ml);
}

static void
flagstr(char *buf, unsigned f)
{
	char *p = buf;
	if (f & RTF_UP) *p++ = 'U';
	if (f & RTF_GATEWAY) *p++ = 'G';
	if (f & RTF_HOST) *p++ = 'H';
	if (f & RTF_REJECT) *p++ = 'R';
	if (f & RTF_DYNAMIC) *p++ = 'D';
	if (f & RTF_MODIFIED) *p++ = 'M';
	*p = '\0';
}

static void
gwname(char *buf, size_t len, const struct rt *r)
{
	if (r->flags & RTF_GATEWAY) {
		strlcpy(buf, ipstr(r->gw), len);
	} else {
		unsigned idx = inet_ifindex(r->ifname);
		snprintf(buf, len, "link#%u", idx);
	}
}

static void
show(void)
{
	struct rt rts[256];
	int n = readroutes(rts, 256);

	printf("Routing tables\n\nInternet:\n");
	printf("%-18s %-18s %-6s %6s %8s %6s\n", "Destination", "Gateway", "Flags", "Refs", "Use", "Netif");
	for (int i = 0; i < n; i++) {
		char d[32], g[32], f[16];
		netname(d, sizeof(d), rts[i].dst, rts[i].mask);
		gwname(g, sizeof(g), &rts[i]);
		flagstr(f, rts[i].flags);
		printf("%-18s %-18s %-6s %6d %8d %6s\n", d, g, f, 0, 0, rts[i].ifname);
	}
}

static in_addr_t
getaddr(const char *s)
{
	struct in_addr a;

	if (strcmp(s, "default") == 0)
		return 0;
	if (inet_aton(s, &a) == 0)
		errx(1, "%s: bad address", s);
	return a.s_addr;
}

static int
get(const char *dest)
{
	struct rt rts[256];
	int n = readroutes(rts, 256), best = -1;
	in_addr_t d = getaddr(dest);
	char buf[32];

	for (int i = 0; i < n; i++) {
		if ((d & rts[i].mask) != rts[i].dst || !(rts[i].flags & RTF_UP))
			continue;
		if (best < 0 || masklen(rts[i].mask) > masklen(rts[best].mask))
			best = i;
	}
	if (best < 0) {
		warnx("route has not been found");
		return 1;
	}
	struct rt *r = &rts[best];
	printf("   route to: %s\n", strcmp(dest, "default") == 0 ? "default" : ipstr(d));
	printf("destination: %s\n", r->mask == 0 ? "default" : ipstr(r->dst));
	printf("       mask: %s\n", r->mask == 0 ? "default" : ipstr(r->mask));
	if (r->flags & RTF_GATEWAY)
		printf("    gateway: %s\n", ipstr(r->gw));
	printf("  interface: %s\n", r->ifname);
	flagstr(buf, r->flags);
	printf("      flags: <UP%s%s,DONE>\n", (r->flags & RTF_GATEWAY) ? ",GATEWAY" : "", (r->flags & RTF_HOST) ? ",HOST" : "");
	return 0;
}

static void
setsin(struct sockaddr *sa, in_addr_t a)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)(void *)sa;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = a;
}

/* add/delete [-net|-host] dst[/len] [gateway] [-netmask m] [-interface if] */
static int
modify(int add, int argc, char *argv[])
{
	struct rtentry rt;
	int host = -1, havemask = 0, s;
	in_addr_t dst = 0, gw = 0, mask = 0;
	const char *dstarg = NULL, *gwarg = NULL;
	char ifname[IFNAMSIZ] = "", dbuf[64];

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-net") == 0)
			host = 0;
		else if (strcmp(argv[i], "-host") == 0)
			host = 1;
		else if (strcmp(argv[i], "-netmask") == 0 && i + 1 < argc)
			mask = getaddr(argv[++i]), havemask = 1;
		else if ((strcmp(argv[i], "-interface") == 0 || strcmp(argv[i], "-iface") == 0) && i + 1 < argc)
			strlcpy(ifname, argv[++i], sizeof(ifname));
		else if (argv[i][0] == '-')
			usage();
		else if (dstarg == NULL)
			dstarg = argv[i];
		else if (gwarg == NULL)
			gwarg = argv[i];
		else
			usage();
	}
	if (dstarg == NULL || (add && gwarg == NULL && ifname[0] == '\0'))
		usage();
	strlcpy(dbuf, dstarg, sizeof(dbuf));
	char *slash = strchr(dbuf, '/');
	if (slash != NULL) {
		const char *e;
		*slash = '\0';
		int len = (int)strtonum(slash + 1, 0, 32, &e);
		if (e != NULL)
			errx(1, "%s: bad prefix length", dstarg);
		mask = len ? htonl(0xffffffffU << (32 - len)) : 0;
		havemask = 1;
		if (host < 0)
			host = 0;
	}
	dst = getaddr(dbuf);
	if (strcmp(dbuf, "default") == 0) {
		mask = 0, havemask = 1, host = 0;
	}
	if (host < 0)
		host = !havemask;
	if (host)
		mask = 0xffffffff;
	dst &= mask;
	if (gwarg != NULL)
		gw = getaddr(gwarg);

	memset(&rt, 0, sizeof(rt));
	setsin(&rt.rt_dst, dst);
	setsin(&rt.rt_genmask, mask);
	setsin(&rt.rt_gateway, gw);
	rt.rt_flags = RTF_UP | (gw ? RTF_GATEWAY : 0) | (host ? RTF_HOST : 0);
	if (ifname[0] != '\0')
		rt.rt_dev = ifname;
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		err(1, "socket");
	if (ioctl(s, add ? SIOCADDRT : SIOCDELRT, &rt) < 0) {
		const char *why = errno == EEXIST ? "route already in table" : errno == ESRCH ? "not in table" :
		    errno == ENETUNREACH ? "Network is unreachable" : strerror(errno);
		warnx("writing to routing socket: %s", why);
		printf("%s %s %s: gateway %s fails: %s\n", add ? "add" : "delete", host ? "host" : "net",
		    dstarg, gwarg ? gwarg : ifname, why);
		close(s);
		return 1;
	}
	close(s);
	printf("%s %s %s", add ? "add" : "delete", host ? "host" : "net", dstarg);
	if (gwarg != NULL)
		printf(": gateway %s", gwarg);
	printf("\n");
	return 0;
}

int
main(int argc, char *argv[])
{
	int ch;

	while ((ch = getopt(argc, argv, "+nqv")) != -1) {
		switch (ch) {
		case 'n': nflag = 1; break;
		case 'q': case 'v': break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (strcmp(argv[0], "show") == 0 || strcmp(argv[0], "print") == 0) {
		show();
		return 0;
	}
	if (strcmp(argv[0], "get") == 0) {
		if (argc != 2)
			usage();
		return get(argv[1]);
	}
	if (strcmp(argv[0], "add") == 0)
		return modify(1, argc - 1, argv + 1);
	if (strcmp(argv[0], "delete") == 0 || strcmp(argv[0], "del") == 0)
		return modify(0, argc - 1, argv + 1);
	usage();
}
