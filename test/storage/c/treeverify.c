/*
 * treeverify: walk a tree and print its manifest, then (unless -n) run a
 * seeded write workload in it and print the manifest again.
 *
 * usage: treeverify [-n] [-s seed] [-m MiB] [dir]
 *
 * Run as init (no arguments) on a UFS root: dir is "/", and a name ending in
 * "treecheck" (a hard link to this program) means -n, the verify-only run of
 * a second boot. The test runs the same binary under qemu-riscv64 on a copy
 * of the source tree to get the expected final tree; every decision of the
 * workload comes from the PRNG and the workload's own lists, never from the
 * file system's readdir order or sizes, so both runs do the same operations.
 *
 * Manifest lines, in preorder with each directory's names sorted bytewise:
 *   M <path> <type f|d|l|o> <perm> <uid> <gid> <nlink> <size|-> <mtime> <extra>
 * extra: a file's SHA-256 (and "=<first path>" for the second and later
 * names of a hard-linked file), a symlink's target, "-" for the rest. Path
 * and target bytes outside 0x21..0x7e, '%' and '\' are written %XX. /dev
 * (devfs in the guest) is left out; directory sizes are file-system specific.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024L * 1024L)
#define PATHMAX 4096
#define TBASE 1700000000L

static int failures;
static const char *top = "";   /* the tree's directory ("" for /) */

static void fail(const char *what, const char *path) {
  printf("FAIL: %s %s (errno %d)\n", what, path, errno);
  failures++;
}

/* ---- SHA-256 (FIPS 180-4) ---- */

struct sha256 {
  uint32_t h[8];
  uint8_t buf[64];
  uint64_t len;
  unsigned n;
};

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(struct sha256 *s, const uint8_t *p) {
  uint32_t w[64], a, b, c, d, e, f, g, h;
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3];
  e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
  s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

static void sha_init(struct sha256 *s) {
  static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
  memcpy(s->h, iv, sizeof iv);
  s->len = 0;
  s->n = 0;
}

static void sha_update(struct sha256 *s, const uint8_t *p, size_t len) {
  s->len += len;
  if (s->n) {
    while (len && s->n < 64) { s->buf[s->n++] = *p++; len--; }
    if (s->n < 64) return;
    sha_block(s, s->buf);
    s->n = 0;
  }
  for (; len >= 64; p += 64, len -= 64) sha_block(s, p);
  memcpy(s->buf, p, len);
  s->n = len;
}

static void sha_hex(struct sha256 *s, char out[65]) {
  uint64_t bits = s->len * 8;
  uint8_t pad = 0x80, z = 0, lenb[8];
  sha_update(s, &pad, 1);
  while (s->n != 56) sha_update(s, &z, 1);
  for (int i = 0; i < 8; i++) lenb[i] = bits >> (56 - 8 * i);
  sha_update(s, lenb, 8);
  for (int i = 0; i < 8; i++) sprintf(out + 8 * i, "%08x", s->h[i]);
}

/* ---- growable lists of tree-relative paths ("" is the top) ---- */

struct list {
  char **v;
  int n, cap;
};

static struct list files, dirs;

static void ladd(struct list *l, const char *p) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 256;
    l->v = realloc(l->v, l->cap * sizeof *l->v);
    if (!l->v) { perror("realloc"); exit(71); }
  }
  l->v[l->n++] = strdup(p);
}

static void ldel(struct list *l, int i) {
  free(l->v[i]);
  l->v[i] = l->v[--l->n];
}

static int lfind(struct list *l, const char *p) {
  for (int i = 0; i < l->n; i++)
    if (strcmp(l->v[i], p) == 0) return i;
  return -1;
}

/* Every entry equal to or below from moves below to. */
static void lrename(struct list *l, const char *from, const char *to) {
  size_t fl = strlen(from);
  char buf[PATHMAX];
  for (int i = 0; i < l->n; i++) {
    const char *p = l->v[i];
    if (strncmp(p, from, fl) != 0 || (p[fl] != 0 && p[fl] != '/')) continue;
    snprintf(buf, sizeof buf, "%s%s", to, p + fl);
    free(l->v[i]);
    l->v[i] = strdup(buf);
  }
}

static void full(char *out, const char *rel) {
  snprintf(out, PATHMAX, "%s%s", top, *rel || *top ? rel : "/");
}

/* ---- the manifest ---- */

struct linkent {
  dev_t dev;
  ino_t ino;
  char *first;
  struct linkent *next;
};

static struct linkent *linkhash[4096];

static const char *firstname(const struct stat *st, const char *rel) {
  unsigned h = (unsigned)(st->st_ino * 2654435761u) % 4096;
  for (struct linkent *e = linkhash[h]; e; e = e->next)
    if (e->dev == st->st_dev && e->ino == st->st_ino) return e->first;
  struct linkent *e = malloc(sizeof *e);
  e->dev = st->st_dev;
  e->ino = st->st_ino;
  e->first = strdup(rel);
  e->next = linkhash[h];
  linkhash[h] = e;
  return NULL;
}

static void resetlinks(void) {
  for (int i = 0; i < 4096; i++) {
    while (linkhash[i]) {
      struct linkent *e = linkhash[i];
      linkhash[i] = e->next;
      free(e->first);
      free(e);
    }
  }
}

static void putesc(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = s[i];
    if (c < 0x21 || c > 0x7e || c == '%' || c == '\\') printf("%%%02X", c);
    else putchar(c);
  }
}

static int hashfile(const char *path, char hex[65]) {
  static uint8_t buf[65536];
  struct sha256 s;
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  sha_init(&s);
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) { close(fd); return -1; }
    if (n == 0) break;
    sha_update(&s, buf, n);
  }
  close(fd);
  sha_hex(&s, hex);
  return 0;
}

static int cmpname(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static long entries;

static void entry(const char *rel, int collect);

static void walkdir(const char *rel, int collect) {
  char path[PATHMAX], child[PATHMAX];
  full(path, rel);
  DIR *d = opendir(path);
  if (!d) { fail("opendir", path); return; }
  char **names = NULL;
  int n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    if (*rel == 0 && strcmp(de->d_name, "dev") == 0) continue;
    if (n == cap) names = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
    names[n++] = strdup(de->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmpname);
  for (int i = 0; i < n; i++) {
    snprintf(child, sizeof child, "%s/%s", rel, names[i]);
    entry(child, collect);
    free(names[i]);
  }
  free(names);
}

static void entry(const char *rel, int collect) {
  char path[PATHMAX], extra[PATHMAX + 80];
  struct stat st;
  full(path, rel);
  if (lstat(path, &st) != 0) { fail("lstat", path); return; }
  entries++;
  char type = S_ISREG(st.st_mode) ? 'f' : S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' : 'o';
  printf("M ");
  if (*rel) putesc(rel, strlen(rel));
  else putchar('/');
  printf(" %c %o %u %u %lu ", type, (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid, (unsigned)st.st_gid,
         (unsigned long)st.st_nlink);
  if (type == 'd') printf("- ");
  else printf("%lld ", (long long)st.st_size);
  printf("%lld ", (long long)st.st_mtime);
  if (type == 'f') {
    if (hashfile(path, extra) != 0) { fail("read", path); strcpy(extra, "?"); }
    printf("%s", extra);
    if (st.st_nlink > 1) {
      const char *first = firstname(&st, rel);
      if (first) { putchar('='); putesc(first, strlen(first)); }
    }
    if (collect && strncmp(rel, "/bin/", 5) != 0) ladd(&files, rel);
  } else if (type == 'l') {
    ssize_t n = readlink(path, extra, sizeof extra);
    if (n < 0) { fail("readlink", path); n = 0; }
    if (n != st.st_size) printf("(size %lld) ", (long long)st.st_size);
    putesc(extra, n);
  } else {
    putchar('-');
  }
  putchar('\n');
  if (type == 'd') {
    if (collect && strcmp(rel, "/bin") != 0) ladd(&dirs, rel);
    walkdir(rel, collect);
  }
}

static void manifest(const char *label, int collect) {
  entries = 0;
  resetlinks();
  printf("manifest begin %s\n", label);
  entry("", collect);
  printf("manifest end %s %ld\n", label, entries);
  fflush(stdout);
}

/* ---- the workload ---- */

static uint64_t rs;

static uint64_t rnd(void) {  /* splitmix64 */
  uint64_t z = (rs += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static long rndn(long n) { return n > 0 ? (long)(rnd() % (uint64_t)n) : 0; }

static uint8_t *data;     /* 4 MiB of seeded bytes; a write takes a slice */
static long written, ops;
static long long live;    /* sum of the listed files' sizes */
static const long long livecap = 28 * MIB;

static void settime(const char *rel) {
  char path[PATHMAX];
  struct timespec ts[2] = { { TBASE + ops, 0 }, { TBASE + ops, 0 } };
  full(path, rel);
  if (utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) != 0) fail("utimensat", path);
}

static void parent(char *out, const char *rel) {
  strcpy(out, rel);
  char *s = strrchr(out, '/');
  if (s) *s = 0;
}

static void touchparent(const char *rel) {
  char p[PATHMAX];
  parent(p, rel);
  settime(p);
}

static long long fsize(const char *rel) {
  char path[PATHMAX];
  struct stat st;
  full(path, rel);
  if (lstat(path, &st) != 0) { fail("lstat", path); return 0; }
  return st.st_size;
}

/* A name of 1..max bytes from a set with some bytes above 0x7f. */
static void rndname(char *out, int max) {
  static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+,=~\xc3\xa9";
  int len = 1 + (rndn(4) == 0 ? rndn(max) : rndn(max < 24 ? max : 24));
  for (int i = 0; i < len; i++) out[i] = set[rndn(sizeof set - 1)];
  out[len] = 0;
  if (strcmp(out, ".") == 0 || strcmp(out, "..") == 0) out[0] = 'x';
}

static long rndlen(void) {
  long r = rndn(100);
  if (r < 50) return 1 + rndn(16384);
  if (r < 85) return 16384 + rndn(240 * 1024);
  return 256 * 1024 + rndn(3 * MIB);
}

static int writeat(const char *rel, int flags, long long off, long len) {
  char path[PATHMAX];
  full(path, rel);
  int fd = open(path, flags, 0644);
  if (fd < 0) { fail("open", path); return -1; }
  long start = rndn(4 * MIB - len);
  long done = 0;
  while (done < len) {
    ssize_t n = (flags & O_APPEND) ? write(fd, data + start + done, len - done)
                                   : pwrite(fd, data + start + done, len - done, off + done);
    if (n <= 0) { fail("write", path); break; }
    done += n;
  }
  written += done;
  if (rndn(4) == 0 && fsync(fd) != 0) fail("fsync", path);
  close(fd);
  return 0;
}

static void setowner(const char *rel) {
  static const unsigned ids[][2] = { { 0, 0 }, { 1000, 100 }, { 65534, 65534 }, { 0, 5 } };
  static const unsigned modes[] = { 0644, 0600, 0755, 0640, 0444, 0664 };
  char path[PATHMAX];
  full(path, rel);
  int k = rndn(4);
  if (chown(path, ids[k][0], ids[k][1]) != 0) fail("chown", path);
  if (chmod(path, modes[rndn(6)]) != 0) fail("chmod", path);
}

static int depth(const char *rel) {
  int d = 0;
  for (; *rel; rel++) d += *rel == '/';
  return d;
}

static void op_create(void) {
  char rel[PATHMAX], name[256], path[PATHMAX];
  const char *dir = dirs.v[rndn(dirs.n)];
  rndname(name, 255);
  snprintf(rel, sizeof rel, "%s/%s", dir, name);
  full(path, rel);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    if (errno != EEXIST) fail("create", path);
    return;
  }
  close(fd);
  long len = rndn(8) == 0 ? 0 : rndlen();
  if (len) writeat(rel, O_WRONLY, 0, len);
  setowner(rel);
  ladd(&files, rel);
  live += len;
  settime(rel);
  touchparent(rel);
}

static void op_write(int append) {
  int i = rndn(files.n);
  const char *rel = files.v[i];
  long long size = fsize(rel);
  long len = rndlen();
  long long off = append ? size : rndn(size + 3 * MIB);
  writeat(rel, append ? O_WRONLY | O_APPEND : O_WRONLY, off, len);
  if (off + len > size) live += off + len - size;
  settime(rel);
}

/* A random file, or with big the largest of eight random ones. */
static int pick(int big) {
  int best = rndn(files.n);
  for (int k = 1; big && k < 8; k++) {
    int i = rndn(files.n);
    if (fsize(files.v[i]) > fsize(files.v[best])) best = i;
  }
  return best;
}

static void op_truncate(int big) {
  char path[PATHMAX];
  const char *rel = files.v[pick(big)];
  long long size = fsize(rel);
  long long to = big ? rndn(size / 2 + 1) : rndn(3) == 0 ? rndn(size + 2 * MIB) : rndn(size + 1);
  full(path, rel);
  if (truncate(path, to) != 0) { fail("truncate", path); return; }
  live += to - size;
  settime(rel);
}

static void op_rename(void) {
  char to[PATHMAX], name[256], from[PATHMAX], pf[PATHMAX], pt[PATHMAX];
  struct stat a, b;
  int i = rndn(files.n), j = -1;
  const char *rel = strcpy(from, files.v[i]);
  if (rndn(3) == 0) {
    j = rndn(files.n);
    strcpy(to, files.v[j]);
  } else {
    rndname(name, 255);
    snprintf(to, sizeof to, "%s/%s", dirs.v[rndn(dirs.n)], name);
  }
  full(pf, rel);
  full(pt, to);
  if (lstat(pf, &a) != 0) { fail("lstat", pf); return; }
  if (lstat(pt, &b) == 0) {
    if (!S_ISREG(b.st_mode) || a.st_ino == b.st_ino) return;  /* POSIX: same file, nothing happens */
    j = lfind(&files, to);
  } else {
    j = -1;
  }
  if (rename(pf, pt) != 0) { fail("rename", pf); return; }
  if (j >= 0) {
    live -= b.st_size;
    ldel(&files, j);
  }
  i = lfind(&files, from);
  free(files.v[i]);
  files.v[i] = strdup(to);
  touchparent(from);
  touchparent(to);
}

static void op_unlink(int big) {
  char path[PATHMAX], rel[PATHMAX];
  int i = pick(big);
  strcpy(rel, files.v[i]);
  long long size = fsize(rel);
  full(path, rel);
  if (unlink(path) != 0) { fail("unlink", path); return; }
  live -= size;
  ldel(&files, i);
  touchparent(rel);
}

static void op_link(void) {
  char to[PATHMAX], name[256], pf[PATHMAX], pt[PATHMAX];
  const char *rel = files.v[rndn(files.n)];
  rndname(name, 255);
  snprintf(to, sizeof to, "%s/%s", dirs.v[rndn(dirs.n)], name);
  full(pf, rel);
  full(pt, to);
  if (link(pf, pt) != 0) {
    if (errno != EEXIST) fail("link", pt);
    return;
  }
  live += fsize(to);
  ladd(&files, to);
  touchparent(to);
}

static void op_mkdir(void) {
  char rel[PATHMAX], name[256], path[PATHMAX];
  const char *dir = dirs.v[rndn(dirs.n)];
  if (strlen(dir) > 1500) return;
  rndname(name, 40);
  snprintf(rel, sizeof rel, "%s/%s", dir, name);
  full(path, rel);
  if (mkdir(path, 0755) != 0) {
    if (errno != EEXIST) fail("mkdir", path);
    return;
  }
  setowner(rel);
  if (chmod(path, 0755 | (rndn(4) == 0 ? 01000 : 0)) != 0) fail("chmod", path);
  ladd(&dirs, rel);
  settime(rel);
  touchparent(rel);
}

static int protected(const char *rel) {
  return *rel == 0 || strcmp(rel, "/wsparse") == 0;
}

static void op_rmdir(void) {
  char path[PATHMAX], rel[PATHMAX];
  int i = rndn(dirs.n);
  strcpy(rel, dirs.v[i]);
  if (protected(rel)) return;
  full(path, rel);
  if (rmdir(path) != 0) {
    if (errno != ENOTEMPTY) fail("rmdir", path);
    return;
  }
  ldel(&dirs, i);
  touchparent(rel);
}

/* The longest listed path at or below rel. */
static size_t longest(const char *rel) {
  size_t fl = strlen(rel), m = fl;
  struct list *ls[2] = { &files, &dirs };
  for (int k = 0; k < 2; k++)
    for (int i = 0; i < ls[k]->n; i++) {
      const char *p = ls[k]->v[i];
      if (strncmp(p, rel, fl) == 0 && p[fl] == '/' && strlen(p) > m) m = strlen(p);
    }
  return m;
}

static void op_mvdir(void) {
  char from[PATHMAX], to[PATHMAX], name[64], pf[PATHMAX], pt[PATHMAX];
  strcpy(from, dirs.v[rndn(dirs.n)]);
  const char *dest = dirs.v[rndn(dirs.n)];
  size_t fl = strlen(from);
  if (protected(from) || depth(dest) > 40 || strlen(dest) > 1500) return;
  if (strncmp(dest, from, fl) == 0 && (dest[fl] == 0 || dest[fl] == '/')) return;  /* into itself */
  rndname(name, 40);
  snprintf(to, sizeof to, "%s/%s", dest, name);
  full(pf, from);
  full(pt, to);
  struct stat st;
  if (lstat(pt, &st) == 0 || strlen(to) + longest(from) - fl > 3500) return;
  if (rename(pf, pt) != 0) { fail("rename dir", pf); return; }
  lrename(&dirs, from, to);
  lrename(&files, from, to);
  touchparent(from);
  touchparent(to);
  settime(to);  /* its ".." changed */
}

/* Sparse files the random operations never touch: holes must stay holes. */
static const long long sparse_at[][2] = {
  { 0, 1 }, { 5 * MIB, 4096 }, { 12 * MIB + 123, 70000 },
};

static void sparse(void) {
  char rel[64], path[PATHMAX];
  full(path, "/wsparse");
  if (mkdir(path, 0755) != 0) fail("mkdir", path);
  for (int f = 0; f < 3; f++) {
    snprintf(rel, sizeof rel, "/wsparse/s%d", f);
    full(path, rel);
    close(open(path, O_WRONLY | O_CREAT | O_EXCL, 0600));
    for (int k = 0; k <= f + 1 && k < 3; k++) writeat(rel, O_WRONLY, sparse_at[k][0], sparse_at[k][1]);
    if (f == 2 && truncate(path, 16 * MIB) != 0) fail("truncate", path);
    settime(rel);
  }
  settime("/wsparse");
  touchparent("/wsparse");
}

static void checksparse(void) {
  char rel[64], path[PATHMAX];
  struct stat st;
  for (int f = 0; f < 3; f++) {
    snprintf(rel, sizeof rel, "/wsparse/s%d", f);
    full(path, rel);
    if (lstat(path, &st) != 0) continue;  /* not made yet: the source tree */
    if ((long long)st.st_blocks * 512 * 4 >= st.st_size) {
      printf("FAIL: %s: %lld blocks for %lld bytes, no holes\n", path, (long long)st.st_blocks, (long long)st.st_size);
      failures++;
    } else {
      printf("sparse %s: %lld bytes in %lld blocks\n", rel, (long long)st.st_size, (long long)st.st_blocks);
    }
  }
}

static void workload(long total) {
  data = malloc(4 * MIB);
  for (long i = 0; i < 4 * MIB; i += 8) {
    uint64_t v = rnd();
    memcpy(data + i, &v, 8);
  }
  for (int i = 0; i < files.n; i++) live += fsize(files.v[i]);
  long long base = live;
  sparse();
  while (written < total) {
    ops++;
    long r = rndn(100);
    int big = live > base + livecap;  /* shrink: unlink or truncate a big file */
    if (files.n < 10) r = 0;
    else if (big) r = r < 50 ? 70 : 55;
    if (r < 22) op_create();
    else if (r < 38) op_write(1);
    else if (r < 50) op_write(0);
    else if (r < 58) op_truncate(big);
    else if (r < 68) op_rename();
    else if (r < 78) op_unlink(big);
    else if (r < 82) op_link();
    else if (r < 90) op_mkdir();
    else if (r < 96) op_rmdir();
    else op_mvdir();
    /* The operation log: the test finds where two runs part ways. */
    printf("O %ld %ld %ld %lld %d %d\n", ops, r, written, live, files.n, dirs.n);
  }
  sync();
  printf("workload: %ld operations, %ld bytes written, %d files, %d directories\n", ops, written, files.n, dirs.n);
}

static void usage(void) {
  fprintf(stderr, "usage: treeverify [-n] [-s seed] [-m MiB] [dir]\n");
  exit(64);
}

int main(int argc, char **argv) {
  int verifyonly = 0, ch;
  long mib = 64;
  uint64_t seed = 0x5eed1;  /* as init there are no arguments */
  size_t al = strlen(argv[0]);
  if (al >= 9 && strcmp(argv[0] + al - 9, "treecheck") == 0) verifyonly = 1;
  while ((ch = getopt(argc, argv, "+ns:m:")) != -1) {
    switch (ch) {
    case 'n': verifyonly = 1; break;
    case 's': seed = strtoull(optarg, NULL, 0); break;
    case 'm': mib = strtol(optarg, NULL, 0); break;
    default: usage();
    }
  }
  if (argc - optind > 1) usage();
  if (argc - optind == 1) top = argv[optind];
  if (strcmp(top, "/") == 0) top = "";
  rs = seed;
  manifest(verifyonly ? "check" : "before", !verifyonly);
  checksparse();
  if (!verifyonly) {
    workload(mib * MIB);
    manifest("after", 0);
    checksparse();
  }
  printf("%s\n", failures ? "failed" : "passed");
  fflush(stdout);
  return failures ? 1 : 0;
}
