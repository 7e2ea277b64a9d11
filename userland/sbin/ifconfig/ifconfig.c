/*
 * ifconfig: show and set network interface parameters (BSD's ifconfig(8)),
 * over the Linux interface ioctls (SIOCGIFFLAGS ...). Interfaces are listed
 * from /proc/net/dev, so ones without an address show too.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libutil.h"

#define MAXIFS 64
#define IFF_SIMPLEX_BSD 0x800

/* BSD's flag bits, for the flags=... value and names (Linux numbers differ). */
static const struct {
	int linux_flag;
	int bsd_flag;
	const char *name;
} flagnames[] = {
	{ IFF_UP, 0x1, "UP" },
	{ IFF_BROADCAST, 0x2, "BROADCAST" },
	{ IFF_DEBUG, 0x4, "DEBUG" },
	{ IFF_LOOPBACK, 0x8, "LOOPBACK" },
	{ IFF_POINTOPOINT, 0x10, "POINTOPOINT" },
	{ IFF_RUNNING, 0x40, "RUNNING" },
	{ IFF_NOARP, 0x80, "NOARP" },
	{ IFF_PROMISC, 0x100, "PROMISC" },
	{ IFF_ALLMULTI, 0x200, "ALLMULTI" },
	{ IFF_MULTICAST, 0x8000, "MULTICAST" },
};

static int sock;

static void
usage(void)
{
	fprintf(stderr, "usage: ifconfig [-a | -l] [-d] [-u] [interface [address[/prefixlen]] [netmask mask]\n"
	    "                [broadcast addr] [mtu n] [up | down] [delete]]\n");
	exit(1);
}

/* The interface names in /proc/net/dev order (or SIOCGIFCONF's, without procfs). */
static int
iflist(char names[][IFNAMSIZ], int max)
{
	FILE *fp;
	char line[512];
	int n = 0;

	if ((fp = fopen("/proc/net/dev", "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL && n < max) {
			char *colon = strchr(line, ':'), *p = line;
			if (colon == NULL)
				continue;
			*colon = '\0';
			while (*p == ' ')
				p++;
			strlcpy(names[n++], p, IFNAMSIZ);
		}
		fclose(fp);
		return n;
	}
	struct ifreq ifr[MAXIFS];
	struct ifconf ifc = { .ifc_len = sizeof(ifr), .ifc_req = ifr };
	if (ioctl(sock, SIOCGIFCONF, &ifc) < 0)
		err(1, "SIOCGIFCONF");
	for (int i = 0; i < ifc.ifc_len / (int)sizeof(ifr[0]) && n < max; i++) {
		int dup = 0;
		for (int j = 0; j < n; j++)
			dup |= strcmp(names[j], ifr[i].ifr_name) == 0;
		if (!dup)
			strlcpy(names[n++], ifr[i].ifr_name, IFNAMSIZ);
	}
	return n;
}

static int
getreq(const char *name, unsigned long req, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	strlcpy(ifr->ifr_name, name, IFNAMSIZ);
	return ioctl(sock, req, ifr);
}

static int
getflags(const char *name)
{
	struct ifreq ifr;

	if (getreq(name, SIOCGIFFLAGS, &ifr) < 0) {
		if (errno == ENODEV || errno == ENXIO)
			errx(1, "interface %s does not exist", name);
		err(1, "%s: SIOCGIFFLAGS", name);
	}
	return ifr.ifr_flags & 0xffff;
}

static in_addr_t
sinaddr(struct ifreq *ifr)
{
	return ((struct sockaddr_in *)(void *)&ifr->ifr_addr)->sin_addr.s_addr;
}

static void
printflags(const char *name, int flags)
{
	int bsd = 0, first = 1;
	struct ifreq ifr;
	int mtu = 0;

	for (size_t i = 0; i < sizeof(flagnames) / sizeof(flagnames[0]); i++)
		if (flags & flagnames[i].linux_flag)
			bsd |= flagnames[i].bsd_flag;
	/* Ethernet cannot hear itself: BSD marks broadcast interfaces SIMPLEX. */
	if (flags & IFF_BROADCAST)
		bsd |= IFF_SIMPLEX_BSD;
	if (getreq(name, SIOCGIFMTU, &ifr) == 0)
		mtu = ifr.ifr_mtu;
	printf("%s: flags=%x<", name, bsd);
	for (size_t i = 0; i < sizeof(flagnames) / sizeof(flagnames[0]); i++) {
		if (flagnames[i].bsd_flag == 0x8000 && (bsd & IFF_SIMPLEX_BSD)) {
			printf("%sSIMPLEX", first ? "" : ",");
			first = 0;
		}
		if (flags & flagnames[i].linux_flag) {
			printf("%s%s", first ? "" : ",", flagnames[i].name);
			first = 0;
		}
	}
	printf("> metric 0 mtu %d\n", mtu);
}

static void
status(const char *name)
{
	struct ifreq ifr;
	int flags = getflags(name);

	printflags(name, flags);
	if (getreq(name, SIOCGIFADDR, &ifr) == 0 && ifr.ifr_addr.sa_family == AF_INET) {
		struct in_addr a = { sinaddr(&ifr) };
		printf("\tinet %s", inet_ntoa(a));
		if (getreq(name, SIOCGIFNETMASK, &ifr) == 0)
			printf(" netmask 0x%08x", ntohl(sinaddr(&ifr)));
		if ((flags & IFF_BROADCAST) && getreq(name, SIOCGIFBRDADDR, &ifr) == 0 && sinaddr(&ifr) != 0) {
			struct in_addr b = { sinaddr(&ifr) };
			printf(" broadcast %s", inet_ntoa(b));
		}
		printf("\n");
	}
	if (getreq(name, SIOCGIFHWADDR, &ifr) == 0 && ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER) {
		unsigned char *m = (unsigned char *)ifr.ifr_hwaddr.sa_data;
		printf("\tether %02x:%02x:%02x:%02x:%02x:%02x\n", m[0], m[1], m[2], m[3], m[4], m[5]);
		printf("\tstatus: %s\n", (flags & IFF_RUNNING) ? "active" : "no carrier");
	}
}

static void
setaddr(const char *name, unsigned long req, in_addr_t a, const char *what)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)(void *)&ifr.ifr_addr;

	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, name, IFNAMSIZ);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = a;
	if (ioctl(sock, req, &ifr) < 0)
		err(1, "%s: %s", name, what);
}

static in_addr_t
parseaddr(const char *s)
{
	struct in_addr a;

	if (inet_aton(s, &a) == 0)
		errx(1, "%s: bad value", s);
	return a.s_addr;
}

/* A netmask as a dotted quad or BSD's 0xffffff00. */
static in_addr_t
parsemask(const char *s)
{
	if (strncmp(s, "0x", 2) == 0) {
		char *end;
		unsigned long m = strtoul(s + 2, &end, 16);
		if (*end != '\0' || m > 0xffffffffUL)
			errx(1, "%s: bad value", s);
		return htonl((uint32_t)m);
	}
	return parseaddr(s);
}

static void
setflag(const char *name, int on, int flag)
{
	struct ifreq ifr;
	int flags = getflags(name);

	flags = on ? (flags | flag) : (flags & ~flag);
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, name, IFNAMSIZ);
	ifr.ifr_flags = (short)flags;
	if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
		err(1, "%s: SIOCSIFFLAGS", name);
}

static void
configure(const char *name, int argc, char *argv[])
{
	in_addr_t addr = 0, mask = 0, bcast = 0;
	int haveaddr = 0, havemask = 0, havebcast = 0, up = -1, mtu = -1, del = 0;

	getflags(name); /* "does not exist" before anything else */
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "inet") == 0)
			continue;
		if (strcmp(a, "up") == 0)
			up = 1;
		else if (strcmp(a, "down") == 0)
			up = 0;
		else if (strcmp(a, "delete") == 0 || strcmp(a, "-alias") == 0)
			del = 1;
		else if (strcmp(a, "netmask") == 0 && i + 1 < argc)
			mask = parsemask(argv[++i]), havemask = 1;
		else if (strcmp(a, "broadcast") == 0 && i + 1 < argc)
			bcast = parseaddr(argv[++i]), havebcast = 1;
		else if (strcmp(a, "mtu") == 0 && i + 1 < argc) {
			const char *e;
			mtu = (int)strtonum(argv[++i], 68, 65535, &e);
			if (e != NULL)
				errx(1, "mtu %s: %s", argv[i], e);
		} else if (!haveaddr && strchr("0123456789", a[0]) != NULL) {
			char buf[64], *slash;
			strlcpy(buf, a, sizeof(buf));
			if ((slash = strchr(buf, '/')) != NULL) {
				const char *e;
				*slash = '\0';
				int len = (int)strtonum(slash + 1, 0, 32, &e);
				if (e != NULL)
					errx(1, "%s: bad prefix length", a);
				mask = len ? htonl(0xffffffffU << (32 - len)) : 0;
				havemask = 1;
			}
			addr = parseaddr(buf);
			haveaddr = 1;
		} else
			errx(1, "%s: bad value", a);
	}
	if (del)
		setaddr(name, SIOCSIFADDR, INADDR_ANY, "SIOCSIFADDR");
	if (haveaddr) {
		/* A class-based default, as BSD does, when no mask is given. */
		if (!havemask) {
			uint32_t h = ntohl(addr);
			mask = htonl(IN_CLASSA(h) ? IN_CLASSA_NET : IN_CLASSB(h) ? IN_CLASSB_NET : IN_CLASSC_NET);
		}
		setaddr(name, SIOCSIFADDR, addr, "SIOCSIFADDR");
		setaddr(name, SIOCSIFNETMASK, mask, "SIOCSIFNETMASK");
		if (!havebcast && (getflags(name) & IFF_BROADCAST))
			bcast = (addr & mask) | ~mask, havebcast = 1;
	} else if (havemask)
		setaddr(name, SIOCSIFNETMASK, mask, "SIOCSIFNETMASK");
	if (havebcast)
		setaddr(name, SIOCSIFBRDADDR, bcast, "SIOCSIFBRDADDR");
	if (mtu >= 0) {
		struct ifreq ifr;
		memset(&ifr, 0, sizeof(ifr));
		strlcpy(ifr.ifr_name, name, IFNAMSIZ);
		ifr.ifr_mtu = mtu;
		if (ioctl(sock, SIOCSIFMTU, &ifr) < 0)
			err(1, "%s: SIOCSIFMTU", name);
	}
	/* BSD brings an interface up when it is given an address. */
	if (up == 1 || (up == -1 && haveaddr))
		setflag(name, 1, IFF_UP);
	else if (up == 0)
		setflag(name, 0, IFF_UP);
}

int
main(int argc, char *argv[])
{
	char names[MAXIFS][IFNAMSIZ];
	int ch, aflag = 0, lflag = 0, uflag = 0, dflag = 0, n;

	while ((ch = getopt(argc, argv, "+adlu")) != -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 'd': dflag = 1; break;
		case 'l': lflag = 1; break;
		case 'u': uflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((sock = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		err(1, "socket");
	if (argc == 0 || aflag || lflag) {
		if (argc > 0 || (aflag && lflag))
			usage();
		n = iflist(names, MAXIFS);
		for (int i = 0; i < n; i++) {
			int flags = getflags(names[i]);
			if ((uflag && !(flags & IFF_UP)) || (dflag && (flags & IFF_UP)))
				continue;
			if (lflag)
				printf("%s%s", i ? " " : "", names[i]);
			else
				status(names[i]);
		}
		if (lflag)
			printf("\n");
		return 0;
	}
	if (strlen(argv[0]) >= IFNAMSIZ)
		errx(1, "interface %s does not exist", argv[0]);
	if (argc == 1)
		status(argv[0]);
	else
		configure(argv[0], argc - 1, argv + 1);
	return 0;
}
