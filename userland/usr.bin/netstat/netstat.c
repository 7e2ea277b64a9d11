/*
 * netstat: show network status (BSD's netstat(1)) from the Linux-format
 * files in /proc/net: sockets (-a), the routing table (-r), interface
 * counters (-i) and protocol statistics (-s).
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libutil.h"

static int aflag, nflag;

static void
usage(void)
{
	fprintf(stderr, "usage: netstat [-an] [-f address_family]\n"
	    "       netstat -i [-n]\n"
	    "       netstat -r [-n]\n"
	    "       netstat -s\n");
	exit(1);
}

static FILE *
procopen(const char *path, int must)
{
	FILE *fp = fopen(path, "r");
	if (fp == NULL && must)
		err(1, "%s", path);
	return fp;
}

static const char *
ipstr(in_addr_t a)
{
	struct in_addr in = { a };
	return inet_ntoa(in);
}

/* ---- sockets ---- */

static const char *tcpstates[] = {
	"?", "ESTABLISHED", "SYN_SENT", "SYN_RCVD", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT",
	"CLOSED", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
};

/* BSD prints addr.port, with * for the wildcard. */
static void
sockname(char *buf, size_t len, in_addr_t a, unsigned port)
{
	const char *h = a == 0 ? "*" : ipstr(a);
	if (port == 0)
		snprintf(buf, len, "%s.*", h);
	else
		snprintf(buf, len, "%s.%u", h, port);
}

static void
inetsocks(const char *path, const char *proto, int tcp)
{
	FILE *fp = procopen(path, 0);
	char line[512];

	if (fp == NULL)
		return;
	if (fgets(line, sizeof(line), fp) == NULL) {
		fclose(fp);
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		unsigned long la, ra, tx, rx;
		unsigned lp, rp, st;
		char l[40], r[40];
		if (sscanf(line, " %*d: %lx:%x %lx:%x %x %lx:%lx", &la, &lp, &ra, &rp, &st, &tx, &rx) != 7)
			continue;
		if (!aflag && ((tcp && st == 10) || (!tcp && ra == 0)))
			continue;
		sockname(l, sizeof(l), (in_addr_t)la, lp);
		sockname(r, sizeof(r), (in_addr_t)ra, rp);
		printf("%-5s %6lu %6lu %-22s %-22s", proto, rx, tx, l, r);
		if (tcp)
			printf(" %s", st < sizeof(tcpstates) / sizeof(tcpstates[0]) ? tcpstates[st] : "?");
		printf("\n");
	}
	fclose(fp);
}

static void
unixsocks(void)
{
	FILE *fp = procopen("/proc/net/unix", 0);
	char line[512];

	if (fp == NULL)
		return;
	printf("Active UNIX domain sockets\n");
	printf("%-16s %-6s %6s %6s %s\n", "Address", "Type", "Recv-Q", "Send-Q", "Addr");
	if (fgets(line, sizeof(line), fp) == NULL) {
		fclose(fp);
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char num[32], path[256] = "";
		unsigned type;
		if (sscanf(line, "%31s %*x %*x %*x %x %*x %*u %255s", num, &type, path) < 2)
			continue;
		num[strcspn(num, ":")] = '\0';
		printf("%-16s %-6s %6d %6d %s\n", num, type == 1 ? "stream" : type == 2 ? "dgram" : "seqpac",
		    0, 0, path);
	}
	fclose(fp);
}

static void
sockets(const char *family)
{
	int inet = family == NULL || strcmp(family, "inet") == 0;
	int unx = family == NULL || strcmp(family, "unix") == 0 || strcmp(family, "local") == 0;

	if (!inet && !unx)
		errx(1, "%s: unknown address family", family);
	if (inet) {
		printf("Active Internet connections%s\n", aflag ? " (including servers)" : "");
		printf("%-5s %6s %6s %-22s %-22s %s\n", "Proto", "Recv-Q", "Send-Q", "Local Address",
		    "Foreign Address", "(state)");
		inetsocks("/proc/net/tcp", "tcp4", 1);
		inetsocks("/proc/net/udp", "udp4", 0);
	}
	if (unx)
		unixsocks();
}

/* ---- routes ---- */

static void
netname(char *buf, size_t len, in_addr_t dst, in_addr_t mask)
{
	unsigned char *b = (unsigned char *)&dst;
	int ml = __builtin_popcount(mask), off = 0;

	if (dst == 0 && mask == 0) {
		strlcpy(buf, "default", len);
		return;
	}
	if (ml == 32) {
		strlcpy(buf, ipstr(dst), len);
		return;
	}
	for (int i = 0; i < (ml + 7) / 8 || i == 0; i++)
		off += snprintf(buf + off, len - off, "%s%u", i ? "." : "", b[i]);
	snprintf(buf + off, len - off, "/%d", ml);
}

static void
routes(void)
{
	FILE *fp = procopen("/proc/net/route", 1);
	char line[512];

	printf("Routing tables\n\nInternet:\n");
	printf("%-18s %-18s %-6s %6s %8s %6s\n", "Destination", "Gateway", "Flags", "Refs", "Use", "Netif");
	if (fgets(line, sizeof(line), fp) == NULL) {
		fclose(fp);
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		unsigned long d, g, m;
		unsigned f, refs, use;
		char name[IFNAMSIZ + 1], dbuf[32], gbuf[32], fbuf[8], *p = fbuf;
		if (sscanf(line, "%16s %lx %lx %x %u %u %*d %lx", name, &d, &g, &f, &refs, &use, &m) != 7)
			continue;
		netname(dbuf, sizeof(dbuf), (in_addr_t)d, (in_addr_t)m);
		if (f & RTF_GATEWAY)
			strlcpy(gbuf, ipstr((in_addr_t)g), sizeof(gbuf));
		else
			snprintf(gbuf, sizeof(gbuf), "link#%u", inet_ifindex(name));
		if (f & RTF_UP) *p++ = 'U';
		if (f & RTF_GATEWAY) *p++ = 'G';
		if (f & RTF_HOST) *p++ = 'H';
		if (f & RTF_REJECT) *p++ = 'R';
		if (f & RTF_DYNAMIC) *p++ = 'D';
		*p = '\0';
		printf("%-18s %-18s %-6s %6u %8u %6s\n", dbuf, gbuf, fbuf, refs, use, name);
	}
	fclose(fp);
}

/* ---- interfaces ---- */

static void
interfaces(void)
{
	FILE *fp = procopen("/proc/net/dev", 1);
	char line[512];
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	printf("%-6s %5s %-13s %-17s %8s %5s %8s %5s %5s %5s\n", "Name", "Mtu", "Network", "Address",
	    "Ipkts", "Ierrs", "Opkts", "Oerrs", "Coll", "Drop");
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *colon = strchr(line, ':'), *name = line;
		unsigned long long v[16];
		struct ifreq ifr;
		int mtu = 0;
		char addr[32] = "", link[32], net[32];

		if (colon == NULL)
			continue;
		*colon = '\0';
		while (*name == ' ')
			name++;
		if (sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
		    &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11],
		    &v[12], &v[13], &v[14], &v[15]) != 16)
			continue;
		memset(&ifr, 0, sizeof(ifr));
		strlcpy(ifr.ifr_name, name, IFNAMSIZ);
		if (s >= 0 && ioctl(s, SIOCGIFMTU, &ifr) == 0)
			mtu = ifr.ifr_mtu;
		strlcpy(ifr.ifr_name, name, IFNAMSIZ);
		if (s >= 0 && ioctl(s, SIOCGIFHWADDR, &ifr) == 0 && ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER) {
			unsigned char *m = (unsigned char *)ifr.ifr_hwaddr.sa_data;
			snprintf(addr, sizeof(addr), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
		}
		snprintf(link, sizeof(link), "<Link#%u>", inet_ifindex(name));
		/* Receive: bytes packets errs drop ...; transmit (from v[8]): bytes packets errs drop fifo colls. */
		printf("%-6s %5d %-13s %-17s %8llu %5llu %8llu %5llu %5llu %5llu\n", name, mtu, link, addr,
		    v[1], v[2], v[9], v[10], v[13], v[3]);
		strlcpy(ifr.ifr_name, name, IFNAMSIZ);
		if (s >= 0 && ioctl(s, SIOCGIFADDR, &ifr) == 0 && ifr.ifr_addr.sa_family == AF_INET) {
			in_addr_t a = ((struct sockaddr_in *)(void *)&ifr.ifr_addr)->sin_addr.s_addr, m = 0;
			strlcpy(ifr.ifr_name, name, IFNAMSIZ);
			if (ioctl(s, SIOCGIFNETMASK, &ifr) == 0)
				m = ((struct sockaddr_in *)(void *)&ifr.ifr_addr)->sin_addr.s_addr;
			netname(net, sizeof(net), a & m, m);
			printf("%-6s %5d %-13s %-17s %8llu %5s %8llu %5s %5s %5s\n", name, mtu, net, ipstr(a),
			    v[1], "-", v[9], "-", "-", "-");
		}
	}
	fclose(fp);
	if (s >= 0)
		close(s);
}

/* ---- statistics ---- */

static const struct {
	const char *group, *name, *text;
} snmpnames[] = {
	{ "Ip", "InReceives", "total packets received" },
	{ "Ip", "InHdrErrors", "packets with bad header" },
	{ "Ip", "InAddrErrors", "packets with bad address" },
	{ "Ip", "InUnknownProtos", "packets for unknown/unsupported protocol" },
	{ "Ip", "InDiscards", "packets discarded on input" },
	{ "Ip", "InDelivers", "packets for this host" },
	{ "Ip", "OutRequests", "packets sent from this host" },
	{ "Ip", "OutDiscards", "output packets dropped" },
	{ "Ip", "OutNoRoutes", "output packets discarded due to no route" },
	{ "Ip", "ReasmReqds", "fragments received" },
	{ "Ip", "ReasmOKs", "packets reassembled ok" },
	{ "Ip", "ReasmFails", "fragments dropped after timeout" },
	{ "Ip", "FragCreates", "fragments created" },
	{ "Icmp", "InMsgs", "messages received" },
	{ "Icmp", "InErrors", "messages with bad code fields" },
	{ "Icmp", "InEchos", "echo requests received" },
	{ "Icmp", "InEchoReps", "echo replies received" },
	{ "Icmp", "InDestUnreachs", "destination unreachable messages received" },
	{ "Icmp", "OutMsgs", "messages sent" },
	{ "Icmp", "OutEchoReps", "echo replies sent" },
	{ "Icmp", "OutEchos", "echo requests sent" },
	{ "Icmp", "OutDestUnreachs", "destination unreachable messages sent" },
	{ "Tcp", "ActiveOpens", "connection requests" },
	{ "Tcp", "PassiveOpens", "connection accepts" },
	{ "Tcp", "AttemptFails", "bad connection attempts" },
	{ "Tcp", "EstabResets", "connections reset" },
	{ "Tcp", "CurrEstab", "connections established" },
	{ "Tcp", "InSegs", "packets received" },
	{ "Tcp", "OutSegs", "packets sent" },
	{ "Tcp", "RetransSegs", "data packets retransmitted" },
	{ "Tcp", "InErrs", "discarded for bad checksums" },
	{ "Tcp", "OutRsts", "resets sent" },
	{ "Udp", "InDatagrams", "datagrams received" },
	{ "Udp", "NoPorts", "dropped due to no socket" },
	{ "Udp", "InErrors", "with bad checksum or length" },
	{ "Udp", "OutDatagrams", "datagrams output" },
	{ "Udp", "RcvbufErrors", "dropped due to full socket buffers" },
};

static void
printgroup(const char *group, char *names, char *values)
{
	char *sn, *sv, *n, *v;
	char lower[16];

	for (size_t i = 0; i < sizeof(lower) - 1 && group[i]; i++)
		lower[i] = (char)(group[i] | 0x20), lower[i + 1] = '\0';
	printf("%s:\n", lower);
	n = strtok_r(names, " \n", &sn);
	v = strtok_r(values, " \n", &sv);
	while (n != NULL && v != NULL) {
		const char *text = NULL;
		for (size_t i = 0; i < sizeof(snmpnames) / sizeof(snmpnames[0]); i++)
			if (strcmp(snmpnames[i].group, group) == 0 && strcmp(snmpnames[i].name, n) == 0)
				text = snmpnames[i].text;
		if (text != NULL)
			printf("\t%s %s\n", v, text);
		else if (strcmp(group, "Ip") != 0 || (strcmp(n, "Forwarding") != 0 && strcmp(n, "DefaultTTL") != 0))
			printf("\t%s %s\n", v, n);
		n = strtok_r(NULL, " \n", &sn);
		v = strtok_r(NULL, " \n", &sv);
	}
}

static void
stats(void)
{
	FILE *fp = procopen("/proc/net/snmp", 1);
	char names[2048], values[2048];

	while (fgets(names, sizeof(names), fp) != NULL && fgets(values, sizeof(values), fp) != NULL) {
		char *cn = strchr(names, ':'), *cv = strchr(values, ':');
		if (cn == NULL || cv == NULL)
			continue;
		*cn = '\0';
		*cv = '\0';
		if (strcmp(names, values) != 0 || strcmp(names, "IcmpMsg") == 0 || strcmp(names, "UdpLite") == 0)
			continue;
		printgroup(names, cn + 1, cv + 1);
	}
	fclose(fp);
}

int
main(int argc, char *argv[])
{
	int ch, iflag = 0, rflag = 0, sflag = 0;
	const char *family = NULL;

	while ((ch = getopt(argc, argv, "+af:inrs")) != -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 'f': family = optarg; break;
		case 'i': iflag = 1; break;
		case 'n': nflag = 1; break;
		case 'r': rflag = 1; break;
		case 's': sflag = 1; break;
		default: usage();
		}
	}
	if (optind != argc || iflag + rflag + sflag > 1)
		usage();
	if (rflag)
		routes();
	else if (iflag)
		interfaces();
	else if (sflag)
		stats();
	else
		sockets(family);
	return 0;
}
