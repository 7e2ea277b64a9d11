/*
 * SHA-512-crypt, the "$6$" password hashes of glibc and the BSDs, from
 * Ulrich Drepper's public specification ("Unix crypt using SHA-256 and
 * SHA-512").  The cross sysroot has no libcrypt, so login carries its
 * own; the hashes are interchangeable with `openssl passwd -6'.
 *
 *	$6$[rounds=N$]salt$hash	  salt: up to 16 characters, N: 1000..999999999
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypt_sha512.h"
#include "sha512.h"

#define SALT_MAX	16
#define ROUNDS_DEFAULT	5000
#define ROUNDS_MIN	1000
#define ROUNDS_MAX	999999999UL

static const char itoa64[] =
    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* Add `len' bytes of the 64-byte digest `d', repeated as needed. */
static void
add_repeated(SHA512_CTX *c, const unsigned char *d, size_t len)
{
	for (; len > 64; len -= 64)
		sha512_update(c, d, 64);
	sha512_update(c, d, len);
}

static char *
b64(char *out, unsigned b2, unsigned b1, unsigned b0, int n)
{
	unsigned long w = (b2 << 16) | (b1 << 8) | b0;

	while (n-- > 0) {
		*out++ = itoa64[w & 0x3f];
		w >>= 6;
	}
	return (out);
}

/*
 * Hash `key' with the salt and rounds of `setting' (a "$6$..." string,
 * maybe a whole hash).  Returns a static buffer, or NULL for a setting
 * that is not SHA-512-crypt.
 */
char *
crypt_sha512(const char *key, const char *setting)
{
	static char out[3 + 17 + 10 + SALT_MAX + 1 + 86 + 1];
	static const unsigned char perm[21][3] = {
		{ 0, 21, 42 }, { 22, 43, 1 }, { 44, 2, 23 }, { 3, 24, 45 },
		{ 25, 46, 4 }, { 47, 5, 26 }, { 6, 27, 48 }, { 28, 49, 7 },
		{ 50, 8, 29 }, { 9, 30, 51 }, { 31, 52, 10 }, { 53, 11, 32 },
		{ 12, 33, 54 }, { 34, 55, 13 }, { 56, 14, 35 }, { 15, 36, 57 },
		{ 37, 58, 16 }, { 59, 17, 38 }, { 18, 39, 60 }, { 40, 61, 19 },
		{ 62, 20, 41 },
	};
	unsigned char a[64], b[64], dp[64], ds[64], *pseq, sseq[SALT_MAX];
	unsigned long rounds = ROUNDS_DEFAULT;
	const char *salt;
	size_t klen = strlen(key), slen, i, cnt;
	int explicit_rounds = 0;
	SHA512_CTX c;
	char *o;

	if (strncmp(setting, "$6$", 3) != 0)
		return (NULL);
	salt = setting + 3;
	if (strncmp(salt, "rounds=", 7) == 0) {
		char *end;
		unsigned long r = strtoul(salt + 7, &end, 10);

		if (*end != '$' || end == salt + 7)
			return (NULL);
		rounds = r < ROUNDS_MIN ? ROUNDS_MIN : r > ROUNDS_MAX ? ROUNDS_MAX : r;
		explicit_rounds = 1;
		salt = end + 1;
	}
	slen = strcspn(salt, "$");
	if (slen > SALT_MAX)
		slen = SALT_MAX;

	/* B = H(key salt key) */
	sha512_init(&c);
	sha512_update(&c, key, klen);
	sha512_update(&c, salt, slen);
	sha512_update(&c, key, klen);
	sha512_final(b, &c);

	/* A = H(key salt B-repeated-to-klen, then B or key per bit of klen) */
	sha512_init(&c);
	sha512_update(&c, key, klen);
	sha512_update(&c, salt, slen);
	add_repeated(&c, b, klen);
	for (cnt = klen; cnt > 0; cnt >>= 1) {
		if (cnt & 1)
			sha512_update(&c, b, 64);
		else
			sha512_update(&c, key, klen);
	}
	sha512_final(a, &c);

	/* P: H(key repeated klen times), stretched to klen bytes */
	sha512_init(&c);
	for (i = 0; i < klen; i++)
		sha512_update(&c, key, klen);
	sha512_final(dp, &c);
	if ((pseq = malloc(klen + 1)) == NULL)
		return (NULL);
	for (i = 0; i < klen; i++)
		pseq[i] = dp[i % 64];

	/* S: H(salt repeated 16 + A[0] times), cut to the salt's length */
	sha512_init(&c);
	for (i = 0; i < 16u + a[0]; i++)
		sha512_update(&c, salt, slen);
	sha512_final(ds, &c);
	memcpy(sseq, ds, slen);

	/* The slow part: `rounds' rehashes mixing A, P and S. */
	for (i = 0; i < rounds; i++) {
		sha512_init(&c);
		if (i & 1)
			sha512_update(&c, pseq, klen);
		else
			sha512_update(&c, a, 64);
		if (i % 3 != 0)
			sha512_update(&c, sseq, slen);
		if (i % 7 != 0)
			sha512_update(&c, pseq, klen);
		if (i & 1)
			sha512_update(&c, a, 64);
		else
			sha512_update(&c, pseq, klen);
		sha512_final(a, &c);
	}

	o = out;
	o += sprintf(o, "$6$");
	if (explicit_rounds)
		o += sprintf(o, "rounds=%lu$", rounds);
	memcpy(o, salt, slen);
	o += slen;
	*o++ = '$';
	for (i = 0; i < 21; i++)
		o = b64(o, a[perm[i][0]], a[perm[i][1]], a[perm[i][2]], 4);
	o = b64(o, 0, 0, a[63], 2);
	*o = '\0';

	explicit_bzero(pseq, klen);
	free(pseq);
	explicit_bzero(a, sizeof(a));
	explicit_bzero(b, sizeof(b));
	explicit_bzero(dp, sizeof(dp));
	return (out);
}
