/*
 * inet_ifindex: an interface's index by SIOCGIFINDEX on an AF_INET socket
 * (glibc's if_nametoindex asks a netlink or unix socket, which the vkernel
 * does not answer with interface indexes); 0 if there is no such interface.
 */
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libutil.h"

unsigned
inet_ifindex(const char *name)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	unsigned idx = 0;

	if (s < 0)
		return (0);
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, name, IFNAMSIZ);
	if (ioctl(s, SIOCGIFINDEX, &ifr) == 0)
		idx = (unsigned)ifr.ifr_ifindex;
	close(s);
	return (idx);
}
