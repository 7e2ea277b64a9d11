/*
 * tapbridge: join a Linux tap device to a unix stream socket, so Linux's own
 * network stack (in a network namespace a test makes) can sit on a vknetd
 * room as a peer of the vkernels. Each frame crosses the socket as a 2-byte
 * big-endian length and the frame's bytes; the test on the other end of the
 * socket relays them to the room's WebSocket, one message per frame.
 *
 * usage: tapbridge ifname socket
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXFRAME	65536

static void
usage(void)
{
	fprintf(stderr, "usage: tapbridge ifname socket\n");
	exit(64);
}

static int
tap_open(const char *name)
{
	struct ifreq ifr;
	int fd;

	if ((fd = open("/dev/net/tun", O_RDWR)) < 0)
		err(1, "/dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		err(1, "TUNSETIFF %s", name);
	return (fd);
}

static int
sock_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		err(1, "socket");
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		errx(1, "%s: path too long", path);
	strcpy(sun.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		err(1, "%s", path);
	return (fd);
}

static void
write_all(int fd, const uint8_t *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			err(1, "write");
		}
		p += w;
		n -= (size_t)w;
	}
}

/* A frame from the tap, length first. */
static void
tap_to_sock(int tap, int sock)
{
	uint8_t buf[2 + MAXFRAME];
	ssize_t n;

	if ((n = read(tap, buf + 2, MAXFRAME)) <= 0) {
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return;
		err(1, "tap read");
	}
	buf[0] = (uint8_t)(n >> 8);
	buf[1] = (uint8_t)n;
	write_all(sock, buf, (size_t)n + 2);
}

/* Socket bytes in; every whole frame goes to the tap. Returns 0 at EOF. */
static int
sock_to_tap(int sock, int tap, uint8_t *in, size_t *have)
{
	ssize_t n;
	size_t len;

	if ((n = read(sock, in + *have, 2 + MAXFRAME - *have)) <= 0)
		return (n < 0 && errno == EINTR);
	*have += (size_t)n;
	while (*have >= 2) {
		len = ((size_t)in[0] << 8) | in[1];
		if (*have < 2 + len)
			break;
		/* A short or oversized frame is dropped by the tap itself; errors there are not ours. */
		if (len > 0 && write(tap, in + 2, len) < 0 && errno != EINVAL && errno != EIO)
			err(1, "tap write");
		memmove(in, in + 2 + len, *have - 2 - len);
		*have -= 2 + len;
	}
	return (1);
}

int
main(int argc, char **argv)
{
	static uint8_t in[2 + MAXFRAME];
	struct pollfd pfd[2];
	size_t have = 0;
	int tap, sock;

	if (argc != 3)
		usage();
	tap = tap_open(argv[1]);
	sock = sock_connect(argv[2]);
	pfd[0].fd = tap;
	pfd[0].events = POLLIN;
	pfd[1].fd = sock;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		if (pfd[0].revents & POLLIN)
			tap_to_sock(tap, sock);
		if (pfd[1].revents & (POLLIN | POLLHUP)) {
			if (!sock_to_tap(sock, tap, in, &have))
				return (0);
		}
	}
}
