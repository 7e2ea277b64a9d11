/*
 * httpd: a tiny static-file HTTP/1.0 and 1.1 server. GET and HEAD of files
 * under the document root, directory index listings (or index.html), one
 * forked child per connection (which serves keep-alive requests in turn),
 * and one log line per request on stderr.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libutil.h"

#define REQMAX 8192
#define IDLE_SECS 30

static const char *docroot = "/var/www";
static struct sockaddr_in peer;

static void
usage(void)
{
	fprintf(stderr, "usage: httpd [-d docroot] [-p port]\n");
	exit(1);
}

static void
logreq(const char *method, const char *path, int code, long long bytes)
{
	char t[64];
	time_t now = time(NULL);
	strftime(t, sizeof(t), "%d/%b/%Y:%H:%M:%S %z", gmtime(&now));
	fprintf(stderr, "%s - - [%s] \"%s %s\" %d %lld\n", inet_ntoa(peer.sin_addr), t, method, path, code, bytes);
}

static int
writeall(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static const char *
reasonof(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 414: return "URI Too Long";
	case 500: return "Internal Server Error";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

static const char *
ctype(const char *path)
{
	const char *dot = strrchr(path, '.');
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html" }, { ".htm", "text/html" }, { ".txt", "text/plain" },
		{ ".css", "text/css" }, { ".js", "text/javascript" }, { ".json", "application/json" },
		{ ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".gif", "image/gif" },
		{ ".c", "text/plain" }, { ".h", "text/plain" }, { ".md", "text/plain" },
	};
	if (dot != NULL)
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

static int
header(int fd, int code, const char *type, long long len, int keep)
{
	char h[512], date[64];
	time_t now = time(NULL);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime(&now));
	int n = snprintf(h, sizeof(h), "HTTP/1.1 %d %s\r\nDate: %s\r\nServer: httpd\r\nContent-Type: %s\r\n"
	    "Content-Length: %lld\r\nConnection: %s\r\n\r\n", code, reasonof(code), date, type, len,
	    keep ? "keep-alive" : "close");
	return writeall(fd, h, (size_t)n);
}

static void
error(int fd, const char *method, const char *path, int code, int head, int keep)
{
	char body[256];
	int n = snprintf(body, sizeof(body), "<html><head><title>%d %s</title></head>\n<body><h1>%d %s</h1></body></html>\n",
	    code, reasonof(code), code, reasonof(code));
	header(fd, code, "text/html", n, keep);
	if (!head)
		writeall(fd, body, (size_t)n);
	logreq(method, path, code, head ? 0 : n);
}

/* %XX decoding; rejects NUL and anything that climbs out of the root. */
static int
decode(const char *in, char *out, size_t size)
{
	size_t o = 0;
	for (const char *p = in; *p && *p != '?' && *p != '#'; p++) {
		int c = (unsigned char)*p;
		if (c == '%') {
			unsigned v;
			if (sscanf(p + 1, "%2x", &v) != 1 || v == 0)
				return -1;
			c = (int)v;
			p += 2;
		}
		if (o + 1 >= size)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	if (out[0] != '/')
		return -1;
	for (char *s = out; (s = strstr(s, "/..")) != NULL; s++)
		if (s[3] == '/' || s[3] == '\0')
			return -1;
	return 0;
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
listing(int fd, const char *method, const char *upath, const char *fspath, int head, int keep)
{
	DIR *d = opendir(fspath);
	char *names[1024];
	int n = 0;
	struct dirent *de;

	if (d == NULL) {
		error(fd, method, upath, errno == EACCES ? 403 : 404, head, keep);
		return;
	}
	while ((de = readdir(d)) != NULL && n < 1024)
		if (strcmp(de->d_name, ".") != 0 && (strcmp(de->d_name, "..") != 0 || strcmp(upath, "/") != 0))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), namecmp);
	size_t cap = 1024 + (size_t)n * 600, len = 0;
	char *body = malloc(cap);
	if (body == NULL) {
		error(fd, method, upath, 500, head, keep);
		return;
	}
	len += (size_t)snprintf(body + len, cap - len, "<html><head><title>Index of %s</title></head>\n<body>\n<h1>Index of %s</h1>\n<ul>\n",
	    upath, upath);
	for (int i = 0; i < n; i++) {
		char full[4096];
		struct stat st;
		snprintf(full, sizeof(full), "%s/%s", fspath, names[i]);
		int dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
		len += (size_t)snprintf(body + len, cap - len, "<li><a href=\"%s%s\">%s%s</a></li>\n", names[i],
		    dir ? "/" : "", names[i], dir ? "/" : "");
		free(names[i]);
	}
	len += (size_t)snprintf(body + len, cap - len, "</ul>\n</body></html>\n");
	header(fd, 200, "text/html", (long long)len, keep);
	if (!head)
		writeall(fd, body, len);
	logreq(method, upath, 200, head ? 0 : (long long)len);
	free(body);
}

static void
serve(int fd, const char *method, const char *upath, int head, int keep)
{
	char fspath[REQMAX + 1024];
	struct stat st;

	if (snprintf(fspath, sizeof(fspath), "%s%s", docroot, upath) >= (int)sizeof(fspath) - 16) {
		error(fd, method, upath, 414, head, keep);
		return;
	}
	if (stat(fspath, &st) < 0) {
		error(fd, method, upath, errno == EACCES ? 403 : 404, head, keep);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		char idx[sizeof(fspath) + 16];
		struct stat ist;
		snprintf(idx, sizeof(idx), "%s%sindex.html", fspath, fspath[strlen(fspath) - 1] == '/' ? "" : "/");
		if (stat(idx, &ist) == 0 && S_ISREG(ist.st_mode)) {
			strlcpy(fspath, idx, sizeof(fspath));
			st = ist;
		} else {
			listing(fd, method, upath, fspath, head, keep);
			return;
		}
	}
	if (!S_ISREG(st.st_mode)) {
		error(fd, method, upath, 403, head, keep);
		return;
	}
	int f = open(fspath, O_RDONLY);
	if (f < 0) {
		error(fd, method, upath, errno == EACCES ? 403 : 404, head, keep);
		return;
	}
	header(fd, 200, ctype(fspath), (long long)st.st_size, keep);
	long long sent = 0;
	if (!head) {
		static char buf[65536];
		ssize_t n;
		while ((n = read(f, buf, sizeof(buf))) > 0) {
			if (writeall(fd, buf, (size_t)n) < 0)
				break;
			sent += n;
		}
	}
	close(f);
	logreq(method, upath, 200, sent);
}

/* One connection: requests until close, an error, or IDLE_SECS of silence. */
static void
connection(int fd)
{
	static char req[REQMAX + 1];
	size_t have = 0;
	struct timeval tv = { IDLE_SECS, 0 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		char *end;
		req[have] = '\0';
		while ((end = strstr(req, "\r\n\r\n")) == NULL && (end = strstr(req, "\n\n")) == NULL) {
			if (have >= REQMAX) {
				error(fd, "-", "-", 414, 0, 0);
				return;
			}
			ssize_t n = read(fd, req + have, REQMAX - have);
			if (n <= 0)
				return;
			have += (size_t)n;
			req[have] = '\0';
		}
		size_t used = (size_t)(end - req) + (end[1] == '\n' ? 2 : 4);
		char method[16], target[REQMAX], version[16] = "HTTP/0.9", path[REQMAX];
		int fields = sscanf(req, "%15s %8191s %15s", method, target, version);
		int v11 = strcmp(version, "HTTP/1.1") == 0;
		int keep = v11;
		for (char *h = strchr(req, '\n'); h != NULL && h < end; h = strchr(h + 1, '\n')) {
			if (strncasecmp(h + 1, "Connection:", 11) == 0) {
				const char *v = h + 12;
				while (*v == ' ')
					v++;
				if (strncasecmp(v, "close", 5) == 0)
					keep = 0;
				else if (strncasecmp(v, "keep-alive", 10) == 0)
					keep = 1;
			}
		}
		if (fields < 2) {
			error(fd, "-", "-", 400, 0, 0);
			return;
		}
		if (fields == 3 && strncmp(version, "HTTP/1.", 7) != 0) {
			error(fd, method, target, strncmp(version, "HTTP/", 5) == 0 ? 505 : 400, 0, 0);
			return;
		}
		int head = strcmp(method, "HEAD") == 0;
		if (!head && strcmp(method, "GET") != 0)
			error(fd, method, target, 405, 0, keep);
		else if (decode(target, path, sizeof(path)) < 0)
			error(fd, method, target, 400, head, keep);
		else
			serve(fd, method, path, head, keep);
		if (!keep)
			return;
		memmove(req, req + used, have - used);
		have -= used;
	}
}

static void
reap(int sig)
{
	(void)sig;
	int e = errno;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = e;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int ch, port = 80, ls, on = 1;

	while ((ch = getopt(argc, argv, "+d:p:")) != -1) {
		const char *e;
		switch (ch) {
		case 'd': docroot = optarg; break;
		case 'p': port = (int)strtonum(optarg, 1, 65535, &e);
			if (e != NULL)
				errx(1, "port %s: %s", optarg, e);
			break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	struct stat st;
	if (stat(docroot, &st) < 0 || !S_ISDIR(st.st_mode))
		errx(1, "%s: not a directory", docroot);
	struct sigaction sa = { 0 };
	sa.sa_handler = reap;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((ls = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		err(1, "socket");
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	sin.sin_port = htons((uint16_t)port);
	if (bind(ls, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		err(1, "bind port %d", port);
	if (listen(ls, 16) < 0)
		err(1, "listen");
	fprintf(stderr, "httpd: serving %s on port %d\n", docroot, port);
	for (;;) {
		socklen_t len = sizeof(peer);
		int fd = accept(ls, (struct sockaddr *)&peer, &len);
		if (fd < 0) {
			if (errno != EINTR)
				warn("accept");
			continue;
		}
		pid_t pid = fork();
		if (pid == 0) {
			close(ls);
			connection(fd);
			shutdown(fd, SHUT_WR);
			close(fd);
			_exit(0);
		}
		if (pid < 0)
			warn("fork");
		close(fd);
	}
}
