/*
 * md5, sha256: calculate a message digest.  The program's name picks the
 * algorithm.  BSD's output: "MD5 (file) = hex"; -r reverses it to
 * "hex file", -q prints only the digest, -s digests a string, -p echoes
 * standard input to standard output, -c compares against a given digest.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "digest.h"

struct algo {
	const char *prog, *name;
	size_t	len;
};

static const struct algo algos[] = {
	{ "md5", "MD5", 16 },
	{ "sha256", "SHA256", 32 },
};

static const struct algo *A;
static int pflag, qflag, rflag;
static const char *checkstr;
static int rval;

union ctx {
	struct md5_ctx md5;
	struct sha256_ctx sha256;
};

static void
init(union ctx *c)
{
	if (A->len == 16)
		md5_init(&c->md5);
	else
		sha256_init(&c->sha256);
}

static void
update(union ctx *c, const void *p, size_t n)
{
	if (A->len == 16)
		md5_update(&c->md5, p, n);
	else
		sha256_update(&c->sha256, p, n);
}

static void
final(union ctx *c, char *hex)
{
	unsigned char d[32];

	if (A->len == 16)
		md5_final(d, &c->md5);
	else
		sha256_final(d, &c->sha256);
	for (size_t i = 0; i < A->len; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
}

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-pqrtx] [-c string] [-s string] [file ...]\n", A->prog);
	exit(1);
}

/* Print one result in the chosen format; check it against -c. */
static void
report(const char *hex, const char *label, int quoted)
{
	if (qflag || label == NULL)
		printf("%s", hex);
	else if (rflag)
		printf(quoted ? "%s \"%s\"" : "%s %s", hex, label);
	else
		printf(quoted ? "%s (\"%s\") = %s" : "%s (%s) = %s", A->name, label, hex);
	if (checkstr != NULL && strcasecmp(checkstr, hex) != 0) {
		rval = 2;
		if (!qflag && label != NULL)
			printf(" [ Failed ]");
	}
	printf("\n");
}

static int
dofd(int fd, union ctx *c)
{
	static char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (pflag && fwrite(buf, 1, n, stdout) != (size_t)n)
			err(1, "stdout");
		update(c, buf, n);
	}
	return (n < 0 ? -1 : 0);
}

/* FIPS 180-4 / RFC 1321 vectors: -x checks the implementation. */
static void
selftest(void)
{
	static const char *const in[] = { "", "abc", "message digest",
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq" };
	static const char *const md5v[] = { "d41d8cd98f00b204e9800998ecf8427e",
	    "900150983cd24fb0d6963f7d28e17f72", "f96b697d7cb7938d525a2f31aaf161d0",
	    "8215ef0796a20bcaaae116d3876c664a" };
	static const char *const shav[] = {
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "f7846f55cf23e14eebeab5b4e1550cad5b509e3348fbc4efa3a1413d393cb650",
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" };
	char hex[65];
	union ctx c;

	printf("%s test suite:\n", A->name);
	for (int i = 0; i < 4; i++) {
		init(&c);
		update(&c, in[i], strlen(in[i]));
		final(&c, hex);
		const char *want = A->len == 16 ? md5v[i] : shav[i];
		printf("%s (\"%s\") = %s - %s\n", A->name, in[i], hex, strcmp(hex, want) == 0 ? "verified correct" : "INCORRECT RESULT!");
		if (strcmp(hex, want) != 0)
			rval = 1;
	}
}

int
main(int argc, char *argv[])
{
	const char *p = strrchr(argv[0], '/');
	char hex[65];
	union ctx c;
	int ch, did = 0;

	p = p != NULL ? p + 1 : argv[0];
	A = &algos[0];
	for (size_t i = 0; i < sizeof(algos) / sizeof(algos[0]); i++)
		if (strcmp(p, algos[i].prog) == 0)
			A = &algos[i];

	while ((ch = getopt(argc, argv, "+c:pqrs:tx")) != -1) {
		switch (ch) {
		case 'c': checkstr = optarg; break;
		case 'p': pflag = 1; break;
		case 'q': qflag = 1; break;
		case 'r': rflag = 1; break;
		case 's':
			init(&c);
			update(&c, optarg, strlen(optarg));
			final(&c, hex);
			report(hex, optarg, 1);
			did = 1;
			break;
		case 't': {
			/* A time trial: 100 MB of a pattern. */
			static char buf[10000];
			for (size_t i = 0; i < sizeof(buf); i++)
				buf[i] = (char)i;
			init(&c);
			for (int i = 0; i < 10000; i++)
				update(&c, buf, sizeof(buf));
			final(&c, hex);
			printf("%s time trial: 100000000 bytes digested\nDigest = %s\n", A->name, hex);
			did = 1;
			break;
		}
		case 'x': selftest(); did = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;

	if (*argv == NULL && (!did || pflag)) {
		init(&c);
		if (dofd(STDIN_FILENO, &c) == -1)
			err(1, "stdin");
		final(&c, hex);
		report(hex, NULL, 0);
	}
	for (; *argv != NULL; argv++) {
		int fd = open(*argv, O_RDONLY);
		if (fd == -1) {
			warn("%s", *argv);
			rval = 1;
			continue;
		}
		init(&c);
		int r = dofd(fd, &c);
		close(fd);
		if (r == -1) {
			warn("%s", *argv);
			rval = 1;
			continue;
		}
		final(&c, hex);
		report(hex, *argv, 0);
	}
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (rval);
}
