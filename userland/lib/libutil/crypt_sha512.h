/*
 * SHA-512-crypt ("$6$"), see crypt_sha512.c.
 */
#ifndef _CRYPT_SHA512_H_
#define _CRYPT_SHA512_H_

char	*crypt_sha512(const char *, const char *);

#endif /* !_CRYPT_SHA512_H_ */
