/* The message digests of md5(1): MD5 (RFC 1321) and SHA-256 (FIPS 180-4). */
#ifndef DIGEST_H
#define DIGEST_H

#include <stddef.h>
#include <stdint.h>

struct md5_ctx {
	uint32_t state[4];
	uint64_t count;		/* bytes */
	unsigned char buf[64];
};

struct sha256_ctx {
	uint32_t state[8];
	uint64_t count;		/* bytes */
	unsigned char buf[64];
};

void	md5_init(struct md5_ctx *);
void	md5_update(struct md5_ctx *, const void *, size_t);
void	md5_final(unsigned char[16], struct md5_ctx *);

void	sha256_init(struct sha256_ctx *);
void	sha256_update(struct sha256_ctx *, const void *, size_t);
void	sha256_final(unsigned char[32], struct sha256_ctx *);

#endif
