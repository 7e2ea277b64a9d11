/*
 * tar: tape archiver, the ustar format with pax extended headers.
 *
 *	tar {-c | -t | -x} [-pvz] [-C dir] [-f archive] [file ...]
 *
 * Writes POSIX ustar; a name, link target, size or id that does not fit
 * gets a pax extended header ('x').  Reads ustar, pax ('x' and 'g') and
 * GNU tar's own archives ('L' and 'K' long names, base-256 numbers).
 * Regular files, directories, symbolic and hard links; modes and mtimes
 * are kept, owners too when root extracts with -p.  The first argument
 * may be a bundle without '-' ("tar cvf a.tar dir"), as always.  There is
 * no zlib in the world: -z says so.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libutil.h"

#define BLOCK		512
#define RECORD		(20 * BLOCK)	/* the blocking factor GNU and BSD use */

struct header {
	char name[100], mode[8], uid[8], gid[8], size[12], mtime[12];
	char chksum[8], typeflag, linkname[100], magic[6], version[2];
	char uname[32], gname[32], devmajor[8], devminor[8], prefix[155];
	char pad[12];
};

/* One member as read: the header's fields after pax and GNU overrides. */
struct entry {
	char	*path, *linkpath, *uname, *gname;
	long long size, mtime;
	long	 uid, gid;
	mode_t	 mode;
	char	 type;
};

static int vflag, pflag, rval;
static int afd = -1;		/* the archive */
static long long written;	/* bytes to the archive */
static char **members;
static int nmembers;
static mode_t mask;

struct hardlink {
	dev_t	 dev;
	ino_t	 ino;
	char	*name;
};
static struct hardlink *links;
static size_t nlinks;

struct dirtime {
	char	*path;
	mode_t	 mode;
	long long mtime;
};
static struct dirtime *dirs;
static size_t ndirs;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: tar {-c | -t | -x} [-pvz] [-C directory] [-f archive] [file ...]\n");
	exit(1);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		err(1, NULL);
	return (p);
}

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		err(1, NULL);
	return (p);
}

/* Archive I/O. */

static void
awrite(const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t w;

	while (n > 0) {
		if ((w = write(afd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "write error");
		}
		p += w;
		n -= w;
		written += w;
	}
}

/* Read exactly n bytes; 0 at a clean end, -1 if truncated. */
static int
aread(void *buf, size_t n)
{
	char *p = buf;
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		if ((r = read(afd, p + got, n - got)) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "read error");
		}
		if (r == 0)
			return (got == 0 ? 0 : -1);
		got += r;
	}
	return (1);
}

static void
askip(long long n)
{
	char buf[BLOCK * 16];

	n = (n + BLOCK - 1) / BLOCK * BLOCK;
	if (lseek(afd, n, SEEK_CUR) != -1)
		return;
	while (n > 0) {
		size_t k = n > (long long)sizeof(buf) ? sizeof(buf) : (size_t)n;
		if (aread(buf, k) != 1)
			errx(1, "Truncated archive");
		n -= k;
	}
}

/* Numbers: octal, or GNU's base-256 when the top bit is set. */
static long long
getnum(const char *p, size_t n)
{
	long long v = 0;
	size_t i;

	if ((unsigned char)p[0] & 0x80) {
		v = p[0] & 0x3f;
		if (p[0] & 0x40)
			v = -(0x40 - v);
		for (i = 1; i < n; i++)
			v = (v << 8) | (unsigned char)p[i];
		return (v);
	}
	for (i = 0; i < n && (p[i] == ' ' || p[i] == '\0'); i++)
		;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (p[i] - '0');
	return (v);
}

/* Octal into n bytes with a NUL; 0 if it does not fit. */
static int
putnum(char *p, size_t n, unsigned long long v)
{
	char tmp[32];

	if (snprintf(tmp, sizeof(tmp), "%0*llo", (int)n - 1, v) >= (int)n)
		return (0);
	memcpy(p, tmp, n);
	return (1);
}

static unsigned
checksum(const struct header *h, int sgn)
{
	const unsigned char *p = (const unsigned char *)h;
	unsigned sum = 0;
	size_t i;

	for (i = 0; i < BLOCK; i++) {
		if (i >= 148 && i < 156)
			sum += ' ';
		else
			sum += sgn ? (unsigned)(signed char)p[i] : p[i];
	}
	return (sum);
}

/* Writing. */

static void
pax_record(char **buf, size_t *len, const char *key, const char *val)
{
	size_t n = strlen(key) + strlen(val) + 3, d, total;
	char lenstr[24];

	/* the length counts its own digits */
	for (d = 1;; d++) {
		total = n + d;
		if ((size_t)snprintf(lenstr, sizeof(lenstr), "%zu", total) == d)
			break;
	}
	if ((*buf = realloc(*buf, *len + total + 1)) == NULL)
		err(1, NULL);
	snprintf(*buf + *len, total + 1, "%zu %s=%s\n", total, key, val);
	*len += total;
}

static void
finish_header(struct header *h)
{
	memcpy(h->magic, "ustar", 6);
	memcpy(h->version, "00", 2);
	memset(h->chksum, ' ', sizeof(h->chksum));
	snprintf(h->chksum, sizeof(h->chksum), "%06o", checksum(h, 0));
	h->chksum[7] = ' ';
}

static void
write_data_padded(const char *data, size_t len)
{
	char zero[BLOCK];

	awrite(data, len);
	if (len % BLOCK) {
		memset(zero, 0, sizeof(zero));
		awrite(zero, BLOCK - len % BLOCK);
	}
}

/* Split name into ustar's prefix and name; 0 if it cannot be. */
static int
split_name(struct header *h, const char *name)
{
	size_t len = strlen(name);
	const char *s;

	if (len <= sizeof(h->name)) {
		memcpy(h->name, name, len);
		return (1);
	}
	if (len > sizeof(h->prefix) + 1 + sizeof(h->name))
		return (0);
	for (s = name + len - sizeof(h->name) - 1; *s != '\0'; s++)
		if (*s == '/' && (size_t)(s - name) <= sizeof(h->prefix) && s != name) {
			memcpy(h->prefix, name, s - name);
			memcpy(h->name, s + 1, len - (s - name) - 1);
			return (1);
		}
	return (0);
}

static void
write_header(const char *name, const struct stat *st, char type, const char *linkname,
    long long size)
{
	struct header h, x;
	char *pax = NULL, num[32];
	const char *base;
	size_t paxlen = 0;
	const char *u, *g;

	memset(&h, 0, sizeof(h));
	if (!split_name(&h, name)) {
		pax_record(&pax, &paxlen, "path", name);
		memset(h.name, 0, sizeof(h.name));
		memset(h.prefix, 0, sizeof(h.prefix));
		memcpy(h.name, name, sizeof(h.name));	/* a truncated name, for old readers */
	}
	if (linkname != NULL) {
		if (strlen(linkname) > sizeof(h.linkname)) {
			pax_record(&pax, &paxlen, "linkpath", linkname);
			memcpy(h.linkname, linkname, sizeof(h.linkname));
		} else
			memcpy(h.linkname, linkname, strlen(linkname));
	}
	putnum(h.mode, sizeof(h.mode), st->st_mode & 07777);
	if (!putnum(h.uid, sizeof(h.uid), st->st_uid)) {
		snprintf(num, sizeof(num), "%lu", (unsigned long)st->st_uid);
		pax_record(&pax, &paxlen, "uid", num);
		putnum(h.uid, sizeof(h.uid), 0);
	}
	if (!putnum(h.gid, sizeof(h.gid), st->st_gid)) {
		snprintf(num, sizeof(num), "%lu", (unsigned long)st->st_gid);
		pax_record(&pax, &paxlen, "gid", num);
		putnum(h.gid, sizeof(h.gid), 0);
	}
	if (!putnum(h.size, sizeof(h.size), size)) {
		snprintf(num, sizeof(num), "%lld", size);
		pax_record(&pax, &paxlen, "size", num);
		putnum(h.size, sizeof(h.size), 0);
	}
	if (!putnum(h.mtime, sizeof(h.mtime), st->st_mtime < 0 ? 0 : st->st_mtime)) {
		snprintf(num, sizeof(num), "%lld", (long long)st->st_mtime);
		pax_record(&pax, &paxlen, "mtime", num);
		putnum(h.mtime, sizeof(h.mtime), 0);
	}
	h.typeflag = type;
	if ((u = user_from_uid(st->st_uid, 1)) != NULL)
		strncpy(h.uname, u, sizeof(h.uname) - 1);
	if ((g = group_from_gid(st->st_gid, 1)) != NULL)
		strncpy(h.gname, g, sizeof(h.gname) - 1);
	putnum(h.devmajor, sizeof(h.devmajor), 0);
	putnum(h.devminor, sizeof(h.devminor), 0);
	if (pax != NULL) {
		/* the extended header first: "PaxHeaders/<base>", as bsdtar and GNU name it */
		struct stat xs = *st;
		char xname[100];

		base = strrchr(name, '/');
		base = base != NULL && base[1] != '\0' ? base + 1 : name;
		snprintf(xname, sizeof(xname), "PaxHeaders/%.80s", base);
		memset(&x, 0, sizeof(x));
		memcpy(x.name, xname, strlen(xname));
		xs.st_mode = 0644;
		putnum(x.mode, sizeof(x.mode), xs.st_mode);
		putnum(x.uid, sizeof(x.uid), 0);
		putnum(x.gid, sizeof(x.gid), 0);
		putnum(x.size, sizeof(x.size), paxlen);
		putnum(x.mtime, sizeof(x.mtime), st->st_mtime < 0 ? 0 : st->st_mtime);
		x.typeflag = 'x';
		finish_header(&x);
		awrite(&x, BLOCK);
		write_data_padded(pax, paxlen);
		free(pax);
	}
	finish_header(&h);
	awrite(&h, BLOCK);
}

static int
archive_file(const char *path, const char *name, const struct stat *st)
{
	char buf[65536];
	long long left = st->st_size;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		warn("%s", path);
		return (-1);
	}
	write_header(name, st, '0', NULL, st->st_size);
	while (left > 0) {
		size_t want = left > (long long)sizeof(buf) ? sizeof(buf) : (size_t)left;
		if ((r = read(fd, buf, want)) <= 0) {
			if (r == -1 && errno == EINTR)
				continue;
			/* the file shrank: pad with zeros, as the header promised */
			warnx("%s: file changed size", path);
			memset(buf, 0, sizeof(buf));
			while (left > 0) {
				want = left > (long long)sizeof(buf) ? sizeof(buf) : (size_t)left;
				awrite(buf, want);
				left -= want;
			}
			rval = 1;
			break;
		}
		awrite(buf, r);
		left -= r;
	}
	close(fd);
	if (st->st_size % BLOCK) {
		memset(buf, 0, BLOCK);
		awrite(buf, BLOCK - st->st_size % BLOCK);
	}
	return (0);
}

/* The name in the archive: no leading '/', no "../" tricks later. */
static const char *
archive_name(const char *path)
{
	static int warned;
	const char *p = path;

	while (*p == '/')
		p++;
	if (p != path && !warned) {
		warnx("Removing leading '/' from member names");
		warned = 1;
	}
	return (*p ? p : ".");
}

static void
add(const char *path)
{
	struct stat st;
	char *name, target[PATH_MAX];
	size_t i;
	ssize_t n;

	if (lstat(path, &st) == -1) {
		warn("%s", path);
		rval = 1;
		return;
	}
	name = xstrdup(archive_name(path));
	if (vflag)
		fprintf(stderr, "a %s\n", name);
	if (S_ISDIR(st.st_mode)) {
		size_t l = strlen(name);
		char *dname = xmalloc(l + 2);
		DIR *d;
		struct dirent *de;
		char **ents = NULL;
		size_t ne = 0;

		sprintf(dname, "%s%s", name, l > 0 && name[l - 1] == '/' ? "" : "/");
		write_header(dname, &st, '5', NULL, 0);
		free(dname);
		if ((d = opendir(path)) == NULL) {
			warn("%s", path);
			rval = 1;
			free(name);
			return;
		}
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			if ((ents = realloc(ents, (ne + 1) * sizeof(*ents))) == NULL)
				err(1, NULL);
			ents[ne++] = xstrdup(de->d_name);
		}
		closedir(d);
		for (i = 0; i < ne; i++) {
			size_t pl = strlen(path);
			char *child = xmalloc(pl + strlen(ents[i]) + 2);
			sprintf(child, "%s%s%s", path, pl > 0 && path[pl - 1] == '/' ? "" : "/", ents[i]);
			add(child);
			free(child);
			free(ents[i]);
		}
		free(ents);
	} else if (S_ISLNK(st.st_mode)) {
		if ((n = readlink(path, target, sizeof(target) - 1)) == -1) {
			warn("%s", path);
			rval = 1;
		} else {
			target[n] = '\0';
			write_header(name, &st, '2', target, 0);
		}
	} else if (S_ISREG(st.st_mode)) {
		if (st.st_nlink > 1) {
			for (i = 0; i < nlinks; i++)
				if (links[i].dev == st.st_dev && links[i].ino == st.st_ino) {
					write_header(name, &st, '1', links[i].name, 0);
					free(name);
					return;
				}
			if ((links = realloc(links, (nlinks + 1) * sizeof(*links))) == NULL)
				err(1, NULL);
			links[nlinks].dev = st.st_dev;
			links[nlinks].ino = st.st_ino;
			links[nlinks++].name = xstrdup(name);
		}
		if (archive_file(path, name, &st) == -1)
			rval = 1;
	} else {
		warnx("%s: special files are not archived", path);
		rval = 1;
	}
	free(name);
}

static void
create(char **files, int n)
{
	char zero[RECORD];
	int i;

	if (n == 0)
		errx(1, "no files or directories specified");
	for (i = 0; i < n; i++)
		add(files[i]);
	memset(zero, 0, sizeof(zero));
	awrite(zero, 2 * BLOCK);
	if (written % RECORD)
		awrite(zero, RECORD - written % RECORD);
}

/* Reading. */

static char *
readdata(long long size)
{
	char *buf;
	long long padded = (size + BLOCK - 1) / BLOCK * BLOCK;

	if (size < 0 || size > 16 * 1024 * 1024)
		errx(1, "Damaged archive: extended header of %lld bytes", size);
	buf = xmalloc(padded + 1);
	if (padded > 0 && aread(buf, padded) != 1)
		errx(1, "Truncated archive");
	buf[size] = '\0';
	return (buf);
}

static void
parse_pax(char *data, long long size, struct entry *e)
{
	char *p = data, *end = data + size, *key, *val, *eq;
	long len;

	while (p < end) {
		len = strtol(p, &key, 10);
		if (len <= 0 || key >= end || *key != ' ' || p + len > end || p[len - 1] != '\n')
			break;
		key++;
		p[len - 1] = '\0';
		if ((eq = strchr(key, '=')) == NULL)
			break;
		*eq = '\0';
		val = eq + 1;
		if (strcmp(key, "path") == 0) {
			free(e->path);
			e->path = xstrdup(val);
		} else if (strcmp(key, "linkpath") == 0) {
			free(e->linkpath);
			e->linkpath = xstrdup(val);
		} else if (strcmp(key, "size") == 0)
			e->size = strtoll(val, NULL, 10);
		else if (strcmp(key, "mtime") == 0)
			e->mtime = strtoll(val, NULL, 10);
		else if (strcmp(key, "uid") == 0)
			e->uid = strtol(val, NULL, 10);
		else if (strcmp(key, "gid") == 0)
			e->gid = strtol(val, NULL, 10);
		else if (strcmp(key, "uname") == 0) {
			free(e->uname);
			e->uname = xstrdup(val);
		} else if (strcmp(key, "gname") == 0) {
			free(e->gname);
			e->gname = xstrdup(val);
		}
		p += len;
	}
}

static int
zeroblock(const struct header *h)
{
	const char *p = (const char *)h;
	int i;

	for (i = 0; i < BLOCK; i++)
		if (p[i] != '\0')
			return (0);
	return (1);
}

static void
clear_entry(struct entry *e)
{
	free(e->path);
	free(e->linkpath);
	free(e->uname);
	free(e->gname);
	memset(e, 0, sizeof(*e));
	e->size = e->mtime = -1;
	e->uid = e->gid = -1;
}

static char *
field(const char *p, size_t n)
{
	char *s = xmalloc(n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	s[strnlen(s, n)] = '\0';
	return (s);
}

/* The next member; 0 at the end of the archive. */
static int
next_entry(struct entry *e)
{
	struct header h;
	struct entry over;
	int r;

	memset(&over, 0, sizeof(over));
	clear_entry(&over);
	for (;;) {
		if ((r = aread(&h, BLOCK)) == 0) {
			clear_entry(&over);
			return (0);
		}
		if (r == -1)
			errx(1, "Truncated archive");
		if (zeroblock(&h)) {
			clear_entry(&over);
			return (0);
		}
		unsigned want = (unsigned)getnum(h.chksum, sizeof(h.chksum));
		if (want != checksum(&h, 0) && want != checksum(&h, 1))
			errx(1, "Damaged tar archive (bad header checksum)");
		long long size = getnum(h.size, sizeof(h.size));
		if (h.typeflag == 'x' || h.typeflag == 'g') {
			char *d = readdata(size);
			if (h.typeflag == 'x')
				parse_pax(d, size, &over);	/* 'g': global, nothing we keep */
			free(d);
			continue;
		}
		if (h.typeflag == 'L' || h.typeflag == 'K') {
			char *d = readdata(size);
			if (h.typeflag == 'L') {
				free(over.path);
				over.path = d;
			} else {
				free(over.linkpath);
				over.linkpath = d;
			}
			continue;
		}
		memset(e, 0, sizeof(*e));
		if (over.path != NULL)
			e->path = xstrdup(over.path);
		else if (memcmp(h.magic, "ustar", 6) == 0 && h.prefix[0] != '\0') {
			char *pre = field(h.prefix, sizeof(h.prefix)), *nm = field(h.name, sizeof(h.name));
			e->path = xmalloc(strlen(pre) + strlen(nm) + 2);
			sprintf(e->path, "%s/%s", pre, nm);
			free(pre);
			free(nm);
		} else
			e->path = field(h.name, sizeof(h.name));
		e->linkpath = over.linkpath != NULL ? xstrdup(over.linkpath) :
		    field(h.linkname, sizeof(h.linkname));
		e->uname = over.uname != NULL ? xstrdup(over.uname) : field(h.uname, sizeof(h.uname));
		e->gname = over.gname != NULL ? xstrdup(over.gname) : field(h.gname, sizeof(h.gname));
		e->size = over.size >= 0 ? over.size : size;
		e->mtime = over.mtime >= 0 ? over.mtime : getnum(h.mtime, sizeof(h.mtime));
		e->uid = over.uid >= 0 ? over.uid : (long)getnum(h.uid, sizeof(h.uid));
		e->gid = over.gid >= 0 ? over.gid : (long)getnum(h.gid, sizeof(h.gid));
		e->mode = (mode_t)getnum(h.mode, sizeof(h.mode)) & 07777;
		e->type = h.typeflag == '\0' ? '0' : h.typeflag;
		/* old archives mark directories by a trailing slash */
		size_t l = strlen(e->path);
		if (e->type == '0' && l > 0 && e->path[l - 1] == '/')
			e->type = '5';
		if (e->type == '1' || e->type == '2' || e->type == '5')
			if (e->type != '1' || e->size < 0)
				e->size = e->type == '5' || e->type == '2' ? 0 : e->size;
		clear_entry(&over);
		return (1);
	}
}

static int
selected(const char *path)
{
	int i;
	size_t l;

	if (nmembers == 0)
		return (1);
	for (i = 0; i < nmembers; i++) {
		l = strlen(members[i]);
		while (l > 1 && members[i][l - 1] == '/')
			l--;
		if (strncmp(path, members[i], l) == 0 && (path[l] == '\0' || path[l] == '/'))
			return (1);
	}
	return (0);
}

static void
list_verbose(const struct entry *e)
{
	char mode[12], date[32], owner[80];
	struct tm *tm;
	time_t t = (time_t)e->mtime;
	mode_t m = e->mode;

	switch (e->type) {
	case '5': m |= S_IFDIR; break;
	case '2': m |= S_IFLNK; break;
	case '3': m |= S_IFCHR; break;
	case '4': m |= S_IFBLK; break;
	case '6': m |= S_IFIFO; break;
	default: m |= S_IFREG; break;
	}
	strmode(m, mode);
	mode[10] = '\0';
	tm = localtime(&t);
	if (tm == NULL || strftime(date, sizeof(date), "%b %e %H:%M %Y", tm) == 0)
		strcpy(date, "?");
	if (tm != NULL && t > time(NULL) - 180 * 86400 && t <= time(NULL) + 86400)
		strftime(date, sizeof(date), "%b %e %H:%M", tm);
	else if (tm != NULL)
		strftime(date, sizeof(date), "%b %e  %Y", tm);
	snprintf(owner, sizeof(owner), "%s/%s",
	    e->uname[0] ? e->uname : "", e->gname[0] ? e->gname : "");
	if (!e->uname[0] || !e->gname[0])
		snprintf(owner, sizeof(owner), "%ld/%ld", e->uid, e->gid);
	printf("%s %-14s %8lld %s %s", mode, owner, e->type == '0' || e->type == '7' ? e->size : 0LL,
	    date, e->path);
	if (e->type == '2')
		printf(" -> %s", e->linkpath);
	else if (e->type == '1')
		printf(" link to %s", e->linkpath);
	printf("\n");
}

/* Is the path safe to create: relative, no ".." component? */
static int
safe_path(const char *p)
{
	const char *s;

	if (p[0] == '/')
		return (0);
	for (s = p; *s; ) {
		if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == '\0'))
			return (0);
		if ((s = strchr(s, '/')) == NULL)
			break;
		s++;
	}
	return (1);
}

/* Does a directory part of path go through a symbolic link?  (x -> /etc, then x/passwd) */
static int
through_symlink(const char *path)
{
	char *p = xstrdup(path), *s;
	struct stat st;
	int r = 0;

	for (s = p; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
			r = 1;
			break;
		}
		*s = '/';
	}
	free(p);
	return (r);
}

static void
mkparents(const char *path)
{
	char *p = xstrdup(path), *s;

	for (s = p + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0777) == -1 && errno != EEXIST)
			break;
		*s = '/';
	}
	free(p);
}

static void
set_times(const char *path, long long mtime, int nofollow)
{
	struct timespec ts[2];

	ts[0].tv_sec = time(NULL);
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = (time_t)mtime;
	ts[1].tv_nsec = 0;
	if (utimensat(AT_FDCWD, path, ts, nofollow ? AT_SYMLINK_NOFOLLOW : 0) == -1 && !nofollow)
		warn("%s: cannot set time", path);
}

static void
set_owner(const struct entry *e, const char *path)
{
	struct passwd *pw;
	struct group *gr;
	uid_t uid = e->uid;
	gid_t gid = e->gid;

	if (!pflag || geteuid() != 0)
		return;
	/* names win over numbers, as in BSD tar */
	if (e->uname[0] && (pw = getpwnam(e->uname)) != NULL)
		uid = pw->pw_uid;
	if (e->gname[0] && (gr = getgrnam(e->gname)) != NULL)
		gid = gr->gr_gid;
	if (lchown(path, uid, gid) == -1)
		warn("%s: cannot set owner", path);
}

static int
extract_file(const struct entry *e, const char *path)
{
	char buf[65536];
	long long left = e->size;
	int fd, bad = 0;

	(void)unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL, 0600)) == -1) {
		warn("%s", path);
		askip(e->size);
		return (-1);
	}
	while (left > 0) {
		size_t k = left > (long long)sizeof(buf) ? sizeof(buf) : (size_t)((left + BLOCK - 1) / BLOCK * BLOCK);
		size_t use = left < (long long)k ? (size_t)left : k;
		if (aread(buf, k) != 1)
			errx(1, "Truncated archive");
		if (!bad && write(fd, buf, use) != (ssize_t)use) {
			warn("%s", path);
			bad = 1;
		}
		left -= use;
	}
	if (close(fd) == -1 && !bad) {
		warn("%s", path);
		bad = 1;
	}
	set_owner(e, path);
	if (chmod(path, pflag ? e->mode : e->mode & ~mask) == -1)
		warn("%s", path);
	set_times(path, e->mtime, 0);
	return (bad ? -1 : 0);
}

static void
extract(const struct entry *e)
{
	struct stat st;
	char *path = xstrdup(e->path);
	size_t l = strlen(path);

	while (l > 1 && path[l - 1] == '/')
		path[--l] = '\0';
	while (path[0] == '/')
		memmove(path, path + 1, strlen(path));
	if (path[0] == '\0' || !safe_path(path)) {
		warnx("%s: path contains '..' or is absolute: not extracted", e->path);
		rval = 1;
		if (e->type == '0' || e->type == '7')
			askip(e->size);
		free(path);
		return;
	}
	if (through_symlink(path)) {
		warnx("%s: cannot extract through a symbolic link", path);
		rval = 1;
		if (e->type == '0' || e->type == '7')
			askip(e->size);
		free(path);
		return;
	}
	if (vflag)
		fprintf(stderr, "x %s\n", path);
	mkparents(path);
	switch (e->type) {
	case '5':
		if (mkdir(path, 0700) == -1 && (errno != EEXIST ||
		    stat(path, &st) == -1 || !S_ISDIR(st.st_mode))) {
			warn("%s", path);
			rval = 1;
			break;
		}
		set_owner(e, path);
		/* modes and times of directories are set at the end: their files come first */
		if ((dirs = realloc(dirs, (ndirs + 1) * sizeof(*dirs))) == NULL)
			err(1, NULL);
		dirs[ndirs].path = xstrdup(path);
		dirs[ndirs].mode = pflag ? e->mode : e->mode & ~mask;
		dirs[ndirs++].mtime = e->mtime;
		break;
	case '2':
		(void)unlink(path);
		if (symlink(e->linkpath, path) == -1) {
			warn("%s", path);
			rval = 1;
			break;
		}
		set_owner(e, path);
		set_times(path, e->mtime, 1);
		break;
	case '1': {
		char *target = xstrdup(e->linkpath);
		while (target[0] == '/')
			memmove(target, target + 1, strlen(target));
		(void)unlink(path);
		if (!safe_path(target) || link(target, path) == -1) {
			warn("%s: cannot link to %s", path, e->linkpath);
			rval = 1;
		}
		free(target);
		if (e->size > 0)
			askip(e->size);
		break;
	}
	case '0':
	case '7':
		if (extract_file(e, path) == -1)
			rval = 1;
		break;
	default:
		warnx("%s: unsupported member type '%c': skipped", path, e->type);
		askip(e->size);
		rval = 1;
		break;
	}
	free(path);
}

static void
readarchive(int xflag)
{
	struct entry e;
	size_t i;

	memset(&e, 0, sizeof(e));
	while (next_entry(&e)) {
		int sel = selected(e.path);
		if (!sel || !xflag) {
			if (sel && vflag)
				list_verbose(&e);
			else if (sel)
				printf("%s\n", e.path);
			if (e.type == '0' || e.type == '7' || (e.type != '5' && e.type != '2' &&
			    e.type != '1' && e.size > 0))
				askip(e.size);
			else if (e.type == '1' && e.size > 0)
				askip(e.size);
		} else
			extract(&e);
		free(e.path);
		free(e.linkpath);
		free(e.uname);
		free(e.gname);
	}
	/* deepest first, so a parent's mtime is not disturbed after it is set */
	for (i = ndirs; i-- > 0; ) {
		if (chmod(dirs[i].path, dirs[i].mode) == -1)
			warn("%s", dirs[i].path);
		set_times(dirs[i].path, dirs[i].mtime, 0);
		free(dirs[i].path);
	}
	free(dirs);
	if (fflush(stdout) == EOF)
		err(1, "stdout");
}

int
main(int argc, char *argv[])
{
	const char *archive = NULL, *dir = NULL;
	char mode = 0, *bundle = NULL;
	int ch, zflag = 0;

	/* "tar cvf x.tar dir": the old bundled form */
	if (argc > 1 && argv[1][0] != '-' && argv[1][0] != '\0') {
		if ((bundle = malloc(strlen(argv[1]) + 2)) == NULL)
			err(1, NULL);
		sprintf(bundle, "-%s", argv[1]);
		argv[1] = bundle;
	}
	while ((ch = getopt(argc, argv, "+cC:f:ptvxz")) != -1) {
		switch (ch) {
		case 'c':
		case 't':
		case 'x':
			if (mode != 0 && mode != ch)
				errx(1, "Can't specify both -%c and -%c", mode, ch);
			mode = (char)ch;
			break;
		case 'C':
			dir = optarg;
			break;
		case 'f':
			archive = optarg;
			break;
		case 'p':
			pflag = 1;
			break;
		case 'v':
			vflag = 1;
			break;
		case 'z':
			zflag = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (mode == 0)
		usage();
	if (zflag)
		errx(1, "gzip compression is not available: the world has no zlib");
	mask = umask(0);
	umask(mask);
	if (archive == NULL || strcmp(archive, "-") == 0)
		afd = mode == 'c' ? STDOUT_FILENO : STDIN_FILENO;
	else if (mode == 'c')
		afd = open(archive, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	else
		afd = open(archive, O_RDONLY);
	if (afd == -1)
		err(1, "%s", archive);
	if (dir != NULL && chdir(dir) == -1)
		err(1, "%s", dir);
	if (mode == 'c')
		create(argv, argc);
	else {
		members = argv;
		nmembers = argc;
		readarchive(mode == 'x');
	}
	if (afd > STDERR_FILENO && close(afd) == -1)
		err(1, "%s", archive);
	free(bundle);
	return (rval);
}
