/*
 * malloc: many allocations of random sizes with contents checked, large
 * allocations served by mmap, realloc growth and shrinkage, calloc,
 * aligned allocation, and a request too large to satisfy.
 * A fixed LCG drives everything, so every run does the same.
 */
#include "corpus.h"

#include <malloc.h>
#include <stdint.h>

static uint64_t seed = 12345;

static uint32_t
rnd(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(seed >> 33);
}

#define SLOTS 2000

int
main(void)
{
	static unsigned char *slot[SLOTS];
	static size_t len[SLOTS];
	int bad = 0;
	long ops = 0;

	corpus_init();

	/* Random churn: allocate, fill with a pattern, verify before freeing. */
	for (int round = 0; round < 30000; round++) {
		int i = rnd() % SLOTS;

		if (slot[i] != NULL) {
			for (size_t k = 0; k < len[i]; k += 61)
				bad += slot[i][k] != (unsigned char)(i + k);
			if (rnd() % 4 == 0) {
				size_t nl = rnd() % 3000;
				slot[i] = realloc(slot[i], nl + 1);
				for (size_t k = len[i]; k < nl; k++)
					slot[i][k] = (unsigned char)(i + k);
				len[i] = nl;
			} else {
				free(slot[i]);
				slot[i] = NULL;
			}
		} else {
			len[i] = rnd() % (rnd() % 8 == 0 ? 40000 : 300);
			slot[i] = malloc(len[i] + 1);
			bad += slot[i] == NULL;
			for (size_t k = 0; k < len[i]; k++)
				slot[i][k] = (unsigned char)(i + k);
		}
		ops++;
	}
	for (int i = 0; i < SLOTS; i++)
		free(slot[i]);
	CHECK(bad == 0, "%ld malloc/realloc/free operations kept every byte", ops);

	/* Large: 16 MiB, served by mmap, touched everywhere. */
	{
		size_t n = 16u << 20;
		unsigned char *p = malloc(n);
		unsigned long sum = 0;

		CHECK(p != NULL, "malloc 16 MiB");
		for (size_t k = 0; k < n; k += 4096)
			p[k] = (unsigned char)(k >> 12);
		for (size_t k = 0; k < n; k += 4096)
			sum += p[k];
		CHECK(sum == (n >> 12) / 256 * (255 * 256 / 2), "every page keeps its byte");
		p = realloc(p, n * 2);
		CHECK(p != NULL && p[4096 * 3] == 3, "realloc to 32 MiB keeps the contents");
		p = realloc(p, 100);
		CHECK(p != NULL && p[0] == 0, "realloc down to 100 bytes");
		free(p);
	}

	/* calloc zeroes, even reused memory. */
	{
		unsigned char *p = malloc(100000);
		int z = 1;

		memset(p, 0xff, 100000);
		free(p);
		p = calloc(1000, 100);
		for (int k = 0; k < 100000; k++)
			z &= p[k] == 0;
		CHECK(z, "calloc memory is zero, even after reuse");
		free(p);
		errno = 0;
		CHECK(calloc(SIZE_MAX / 2, 4) == NULL && errno == ENOMEM, "calloc overflow: NULL, ENOMEM");
	}

	/* Alignment. */
	{
		void *p;
		int ok = 1;

		for (size_t a = 16; a <= 65536; a *= 4) {
			ok &= posix_memalign(&p, a, 1000) == 0 && ((uintptr_t)p & (a - 1)) == 0;
			free(p);
		}
		CHECK(ok, "posix_memalign up to 64 KiB");
		p = aligned_alloc(4096, 8192);
		CHECK(((uintptr_t)p & 4095) == 0, "aligned_alloc 4096");
		free(p);
		CHECK(posix_memalign(&p, 3, 10) == EINVAL, "posix_memalign with a bad alignment: EINVAL");
		p = malloc(10);
		CHECK(((uintptr_t)p & 15) == 0, "malloc returns 16-byte aligned memory");
		CHECK(malloc_usable_size(p) >= 10, "malloc_usable_size");
		free(p);
	}

	/*
	 * Too much.  1 TiB, not 10 GiB: under qemu-user the answer comes from
	 * the host's overcommit policy, and a 10 GiB request fits a big host.
	 */
	errno = 0;
	CHECK(malloc((size_t)1 << 40) == NULL && errno == ENOMEM, "malloc 1 TiB: NULL, ENOMEM");
	errno = 0;
	CHECK(malloc(SIZE_MAX - 4096) == NULL && errno == ENOMEM, "malloc SIZE_MAX: NULL, ENOMEM");
	{
		void *p = malloc(1000);
		CHECK(p != NULL, "and malloc still works afterwards");
		free(p);
	}
	free(NULL);
	return corpus_done();
}
