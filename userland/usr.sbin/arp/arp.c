/*
 * arp: show and change the ARP cache (BSD's arp(8)). The table is read from
 * /proc/net/arp; entries are set and removed with SIOCSARP and SIOCDARP.
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

struct entry {
	in_addr_t ip;
	unsigned flags;
	char hw[32];
	char dev[IFNAMSIZ];
};

static void
usage(void)
{
	fprintf(stderr, "usage: arp [-n] hostname\n"
	    "       arp [-n] -a\n"
	    "       arp -d hostname\n"
	    "       arp -s hostname ether_addr [temp]\n");
	exit(1);
}

static int
readarp(struct entry *e, int max)
{
	FILE *fp = fopen("/proc/net/arp", "r");
	char line[256];
	int n = 0;

	if (fp == NULL)
		err(1, "/proc/net/arp");
	if (fgets(line, sizeof(line), fp) == NULL) {
		fclose(fp);
		return 0;
	}
	while (n < max && fgets(line, sizeof(line), fp) != NULL) {
		char ip[32], hw[32], dev[IFNAMSIZ + 1];
		unsigned type, flags;
		struct in_addr a;
		if (sscanf(line, "%31s %x %x %31s %*s %16s", ip, &type, &flags, hw, dev) != 5 || inet_aton(ip, &a) == 0)
			continue;
		e[n].ip = a.s_addr;
		e[n].flags = flags;
		strlcpy(e[n].hw, hw, sizeof(e[n].hw));
		strlcpy(e[n].dev, dev, sizeof(e[n].dev));
		n++;
	}
	fclose(fp);
	return n;
}

static void
print(const struct entry *e)
{
	struct in_addr a = { e->ip };

	printf("? (%s) at ", inet_ntoa(a));
	if (e->flags & ATF_COM)
		printf("%s", e->hw);
	else
		printf("(incomplete)");
	printf(" on %s", e->dev);
	if (e->flags & ATF_PERM)
		printf(" permanent");
	if (e->flags & ATF_PUBL)
		printf(" published");
	printf(" [ethernet]\n");
}

static in_addr_t
getip(const char *s)
{
	struct in_addr a;

	if (inet_aton(s, &a) == 0)
		errx(1, "%s: bad address", s);
	return a.s_addr;
}

/* The interface whose connected network holds ip (SIOCSARP needs one). */
static int
ifforaddr(in_addr_t ip, char *dev)
{
	FILE *fp = fopen("/proc/net/route", "r");
	char line[512];
	int found = 0;

	if (fp == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		char name[IFNAMSIZ + 1];
		unsigned long d, m;
		unsigned f;
		if (sscanf(line, "%16s %lx %*x %x %*d %*d %*d %lx", name, &d, &f, &m) == 4 &&
		    !(f & 2) && (ip & (in_addr_t)m) == (in_addr_t)d && m != 0) {
			strlcpy(dev, name, IFNAMSIZ);
			found = 1;
			break;
		}
	}
	fclose(fp);
	return found;
}

static void
request(in_addr_t ip, struct arpreq *r)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)(void *)&r->arp_pa;

	memset(r, 0, sizeof(*r));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = ip;
}

static int
delete(const char *host)
{
	struct entry e[256];
	struct arpreq r;
	in_addr_t ip = getip(host);
	int n = readarp(e, 256), s;

	request(ip, &r);
	for (int i = 0; i < n; i++)
		if (e[i].ip == ip)
			strlcpy(r.arp_dev, e[i].dev, sizeof(r.arp_dev));
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		err(1, "socket");
	if (ioctl(s, SIOCDARP, &r) < 0) {
		if (errno == ENXIO || errno == ENOENT)
			errx(1, "%s: no entry", host);
		err(1, "%s", host);
	}
	printf("%s (%s) deleted\n", host, host);
	close(s);
	return 0;
}

static int
set(const char *host, const char *ether, int temp)
{
	struct arpreq r;
	unsigned m[6];
	in_addr_t ip = getip(host);
	int s;

	request(ip, &r);
	if (sscanf(ether, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
		errx(1, "invalid Ethernet address '%s'", ether);
	r.arp_ha.sa_family = ARPHRD_ETHER;
	for (int i = 0; i < 6; i++) {
		if (m[i] > 255)
			errx(1, "invalid Ethernet address '%s'", ether);
		r.arp_ha.sa_data[i] = (char)m[i];
	}
	r.arp_flags = ATF_COM | (temp ? 0 : ATF_PERM);
	if (!ifforaddr(ip, r.arp_dev))
		errx(1, "cannot intuit interface index and type for %s", host);
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		err(1, "socket");
	if (ioctl(s, SIOCSARP, &r) < 0)
		err(1, "%s", host);
	close(s);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct entry e[256];
	int ch, aflag = 0, dflag = 0, sflag = 0, n;

	while ((ch = getopt(argc, argv, "+adns")) != -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 'd': dflag = 1; break;
		case 'n': break;
		case 's': sflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (aflag + dflag + sflag > 1)
		usage();
	if (dflag) {
		if (argc != 1)
			usage();
		return delete(argv[0]);
	}
	if (sflag) {
		if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "temp") != 0))
			usage();
		return set(argv[0], argv[1], argc == 3);
	}
	if (aflag ? argc != 0 : argc != 1)
		usage();
	n = readarp(e, 256);
	if (aflag) {
		for (int i = 0; i < n; i++)
			print(&e[i]);
		return 0;
	}
	in_addr_t ip = getip(argv[0]);
	for (int i = 0; i < n; i++) {
		if (e[i].ip == ip) {
			print(&e[i]);
			return 0;
		}
	}
	printf("%s (%s) -- no entry\n", argv[0], argv[0]);
	return 1;
}
