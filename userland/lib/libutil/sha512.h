/*
 * SHA-512 (FIPS 180-4), just what crypt_sha512.c needs.
 */
#ifndef _SHA512_H_
#define _SHA512_H_

#include <stddef.h>
#include <stdint.h>

#define SHA512_DIGEST_LENGTH	64

typedef struct {
	uint64_t	h[8];
	uint64_t	nbytes;		/* total length; 2^64 bytes is plenty here */
	unsigned char	buf[128];
	size_t		buflen;
} SHA512_CTX;

void	sha512_init(SHA512_CTX *);
void	sha512_update(SHA512_CTX *, const void *, size_t);
void	sha512_final(unsigned char[SHA512_DIGEST_LENGTH], SHA512_CTX *);

#endif /* !_SHA512_H_ */
