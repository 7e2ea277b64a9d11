/*
 * fetch: retrieve a file by URL (BSD's fetch(1), HTTP only): one HTTP/1.0
 * GET, the body to a file named by -o (or the URL's last component), or to
 * stdout with -o -. Redirects are followed up to five times.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "libutil.h"

static int qflag, vflag, timeout;

static void
usage(void)
{
	fprintf(stderr, "usage: fetch [-qv] [-T seconds] [-o file] URL ...\n");
	exit(1);
}

struct url {
	char host[256];
	char port[8];
	char path[2048];
};

static int
parseurl(const char *s, struct url *u)
{
	const char *p, *slash, *colon;

	if (strncasecmp(s, "http://", 7) != 0)
		return -1;
	p = s + 7;
	slash = strchr(p, '/');
	if (slash == NULL)
		slash = p + strlen(p);
	colon = memchr(p, ':', (size_t)(slash - p));
	size_t hl = (size_t)((colon ? colon : slash) - p);
	if (hl == 0 || hl >= sizeof(u->host))
		return -1;
	memcpy(u->host, p, hl);
	u->host[hl] = '\0';
	if (colon) {
		size_t pl = (size_t)(slash - colon - 1);
		if (pl == 0 || pl >= sizeof(u->port))
			return -1;
		memcpy(u->port, colon + 1, pl);
		u->port[pl] = '\0';
	} else
		strlcpy(u->port, "80", sizeof(u->port));
	strlcpy(u->path, *slash ? slash : "/", sizeof(u->path));
	return 0;
}

static int
dial(const struct url *u)
{
	struct addrinfo hints = { 0 }, *res;
	int s, e;

	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(u->host, u->port, &hints, &res)) != 0) {
		warnx("%s: %s", u->host, gai_strerror(e));
		return -1;
	}
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		err(1, "socket");
	if (timeout > 0) {
		struct timeval tv = { timeout, 0 };
		setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	if (connect(s, res->ai_addr, res->ai_addrlen) < 0) {
		warn("%s:%s", u->host, u->port);
		freeaddrinfo(res);
		close(s);
		return -1;
	}
	freeaddrinfo(res);
	return s;
}

/* Read the header block (up to the blank line); leftover body bytes stay in buf. */
static int
readheader(int s, char *buf, size_t size, size_t *got, size_t *hdrlen)
{
	*got = 0;
	for (;;) {
		buf[*got] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		if (end != NULL) {
			*hdrlen = (size_t)(end - buf) + 4;
			return 0;
		}
		if (*got + 1 >= size)
			return -1;
		ssize_t n = read(s, buf + *got, size - 1 - *got);
		if (n <= 0)
			return -1;
		*got += (size_t)n;
	}
}

static int
fetch1(const char *url, const char *out)
{
	static char buf[65536];
	char loc[2048];
	struct url u;
	int redirects = 0;

	strlcpy(loc, url, sizeof(loc));
again:
	if (parseurl(loc, &u) < 0) {
		warnx("%s: Invalid URL", loc);
		return 1;
	}
	int s = dial(&u);
	if (s < 0)
		return 1;
	int n = snprintf(buf, sizeof(buf), "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: fetch\r\nConnection: close\r\n\r\n",
	    u.path, u.host);
	if (write(s, buf, (size_t)n) != n) {
		warn("%s", loc);
		close(s);
		return 1;
	}
	size_t got, hl;
	if (readheader(s, buf, sizeof(buf), &got, &hl) < 0) {
		warnx("%s: malformed reply", loc);
		close(s);
		return 1;
	}
	int code = 0;
	char reason[128] = "";
	if (sscanf(buf, "HTTP/%*d.%*d %d %127[^\r\n]", &code, reason) < 1) {
		warnx("%s: malformed reply", loc);
		close(s);
		return 1;
	}
	long long clen = -1;
	char newloc[2048] = "";
	for (char *line = strstr(buf, "\r\n") + 2; line < buf + hl - 2;) {
		char *eol = strstr(line, "\r\n");
		*eol = '\0';
		if (strncasecmp(line, "Content-Length:", 15) == 0)
			clen = strtoll(line + 15, NULL, 10);
		else if (strncasecmp(line, "Location:", 9) == 0) {
			char *v = line + 9;
			while (*v == ' ')
				v++;
			strlcpy(newloc, v, sizeof(newloc));
		}
		line = eol + 2;
	}
	if ((code == 301 || code == 302 || code == 303 || code == 307) && newloc[0] && redirects++ < 5) {
		close(s);
		if (newloc[0] == '/')
			snprintf(loc, sizeof(loc), "http://%s:%s%s", u.host, u.port, newloc);
		else
			strlcpy(loc, newloc, sizeof(loc));
		goto again;
	}
	if (code != 200) {
		warnx("%s: %s", loc, reason);
		close(s);
		return 1;
	}
	FILE *fp = strcmp(out, "-") == 0 ? stdout : fopen(out, "w");
	if (fp == NULL) {
		warn("%s", out);
		close(s);
		return 1;
	}
	long long total = (long long)(got - hl);
	if (got > hl)
		fwrite(buf + hl, 1, got - hl, fp);
	ssize_t k;
	while ((clen < 0 || total < clen) && (k = read(s, buf, sizeof(buf))) > 0) {
		if (fwrite(buf, 1, (size_t)k, fp) != (size_t)k) {
			warn("%s", out);
			break;
		}
		total += k;
	}
	close(s);
	int bad = fp != stdout ? fclose(fp) != 0 : fflush(fp) != 0;
	if (clen >= 0 && total < clen) {
		warnx("%s appears to be truncated: %lld/%lld bytes", out, total, clen);
		return 1;
	}
	if (vflag && !qflag)
		fprintf(stderr, "%s\t%lld bytes\n", out, total);
	return bad;
}

int
main(int argc, char *argv[])
{
	const char *out = NULL;
	int ch, ret = 0;

	while ((ch = getopt(argc, argv, "+o:qT:v")) != -1) {
		const char *e;
		switch (ch) {
		case 'o': out = optarg; break;
		case 'q': qflag = 1; break;
		case 'T': timeout = (int)strtonum(optarg, 0, 86400, &e);
			if (e != NULL)
				errx(1, "-T %s: %s", optarg, e);
			break;
		case 'v': vflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (out != NULL && argc > 1))
		usage();
	for (int i = 0; i < argc; i++) {
		const char *o = out;
		char name[256];
		if (o == NULL) {
			struct url u;
			if (parseurl(argv[i], &u) < 0) {
				warnx("%s: Invalid URL", argv[i]);
				ret = 1;
				continue;
			}
			const char *b = strrchr(u.path, '/');
			strlcpy(name, b && b[1] ? b + 1 : "index.html", sizeof(name));
			o = name;
		}
		ret |= fetch1(argv[i], o);
	}
	return ret;
}
