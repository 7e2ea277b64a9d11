/*
 * arith: integer corner cases as C programs meet them on RV64IM and the
 * A extension: division by zero and overflow (no trap on RISC-V),
 * 128-bit products, shifts, 32-bit operations sign-extended into 64-bit
 * registers, bit tricks the compiler turns into instruction sequences, and
 * atomic read-modify-write on words and doublewords.
 * Operands are volatile so the CPU, not the compiler, computes.
 */
#include "corpus.h"

#include <limits.h>
#include <stdint.h>

int
main(void)
{
	volatile int32_t i0 = 0, im = INT32_MIN, i7 = 7, in7 = -7, in1 = -1, i2 = 2;
	volatile int64_t l0 = 0, lm = INT64_MIN, l7 = 7, ln1 = -1, lbig = 0x123456789abcdef0LL;
	volatile uint32_t u0 = 0, ubig = 0xfffffff0u;
	volatile uint64_t ul0 = 0, ulmax = UINT64_MAX, ul3 = 3;
	volatile int sh = 63, sh32 = 31, sh64 = 64;

	corpus_init();

	printf("division by zero (RISC-V does not trap):\n");
	printf("  7/0 %d  7%%0 %d  -7/0 %d  7u/0 %u  7u%%0 %u\n", i7 / i0, i7 % i0, in7 / i0, (uint32_t)i7 / u0, (uint32_t)i7 % u0);
	printf("  7L/0 %ld  7L%%0 %ld  7UL/0 %lu  -1UL%%0 %lu\n", (long)(l7 / l0), (long)(l7 % l0), (unsigned long)((uint64_t)l7 / ul0), (unsigned long)(ulmax % ul0));
	printf("overflow:\n");
	printf("  INT32_MIN/-1 %d  INT32_MIN%%-1 %d\n", im / in1, im % in1);
	printf("  INT64_MIN/-1 %ld  INT64_MIN%%-1 %ld\n", (long)(lm / ln1), (long)(lm % ln1));
	printf("  -7/2 %d  -7%%2 %d  7/-2 %d  7%%-2 %d\n", in7 / i2, in7 % i2, i7 / -i2, i7 % -i2);
	printf("  INT32_MAX+1 (wrapping, via unsigned) %d\n", (int32_t)((uint32_t)INT32_MAX + (uint32_t)(i7 - 6)));

	printf("128-bit products (mulh, mulhu, mulhsu):\n");
	{
		__int128 p = (__int128)lbig * (__int128)lbig;
		unsigned __int128 up = (unsigned __int128)ulmax * (unsigned __int128)ulmax;
		__int128 mixed = (__int128)ln1 * (__int128)(unsigned __int128)ulmax;

		printf("  signed   hi %016llx lo %016llx\n", (unsigned long long)(p >> 64), (unsigned long long)p);
		printf("  unsigned hi %016llx lo %016llx\n", (unsigned long long)(up >> 64), (unsigned long long)up);
		printf("  mixed    hi %016llx lo %016llx\n", (unsigned long long)((unsigned __int128)mixed >> 64), (unsigned long long)mixed);
		printf("  INT64_MIN*INT64_MIN hi %016llx\n", (unsigned long long)(((__int128)lm * lm) >> 64));
		printf("  128-bit division %llu rem %llu\n", (unsigned long long)(up / ulmax / ul3), (unsigned long long)(up % 1000000007));
	}

	printf("shifts:\n");
	printf("  1<<63 %016llx  -1>>63 %lld  -1u>>63 %llu\n", (unsigned long long)(1ULL << sh), (long long)(ln1 >> sh),
	    (unsigned long long)((uint64_t)ln1 >> sh));
	printf("  32-bit: 1<<31 %d  INT32_MIN>>31 %d  0xfffffff0u>>4 %u\n", (int32_t)(1U << sh32), im >> sh32, ubig >> 4);
	printf("  shift amount masked by the CPU: (lbig << (64&63)) %016llx\n", (unsigned long long)(lbig << (sh64 & 63)));

	printf("32-bit results sign-extended:\n");
	{
		volatile int32_t a = 0x7fffffff, b = 1;
		int64_t s = (int64_t)(int32_t)((uint32_t)a + (uint32_t)b);
		uint32_t us = (uint32_t)a + (uint32_t)b;
		int64_t m = (int64_t)(int32_t)((uint32_t)a * 3u);

		printf("  addw 0x7fffffff+1 as int64: %lld, as uint32 widened: %llu\n", (long long)s, (unsigned long long)us);
		printf("  mulw 0x7fffffff*3: %lld  divw -7/2: %lld  remuw: %u\n", (long long)m, (long long)(in7 / i2), ubig % 7u);
		printf("  (long)(int)0x80000000u = %ld\n", (long)(int32_t)(uint32_t)(ubig + 16 + 0x80000000u));
	}

	printf("bit tricks:\n");
	printf("  popcount %d clz %d ctz %d parity %d bswap64 %016llx\n", __builtin_popcountll(lbig),
	    __builtin_clzll(lbig), __builtin_ctzll(lbig), __builtin_parityll(lbig), (unsigned long long)__builtin_bswap64(lbig));
	printf("  rotate %016llx  abs(INT32_MIN+1) %d  min/max %ld %ld\n",
	    (unsigned long long)((lbig << 13) | ((uint64_t)lbig >> 51)), abs(im + 1), (long)(l7 < ln1 ? l7 : ln1), (long)(l7 > ln1 ? l7 : ln1));
	printf("  unsigned compare 0xfffffff0 > 7: %d, signed -1 < 0: %d, -1UL > 0: %d\n", ubig > (uint32_t)i7, ln1 < l0, (uint64_t)ln1 > ul0);

	printf("atomics:\n");
	{
		volatile int32_t w = 5;
		volatile int64_t d = -1;
		int32_t old32;
		int64_t old64;

		old32 = __atomic_fetch_add(&w, INT32_MAX, __ATOMIC_SEQ_CST);
		printf("  amoadd.w: old %d new %d\n", old32, w);
		old32 = __atomic_fetch_xor(&w, -1, __ATOMIC_SEQ_CST);
		printf("  amoxor.w: old %d new %d\n", old32, w);
		old64 = __atomic_fetch_add(&d, 1, __ATOMIC_SEQ_CST);
		printf("  amoadd.d: old %lld new %lld\n", (long long)old64, (long long)d);
		old64 = __atomic_exchange_n(&d, INT64_MIN, __ATOMIC_SEQ_CST);
		printf("  amoswap.d: old %lld new %lld\n", (long long)old64, (long long)d);
		{
			int64_t expect = INT64_MIN;
			int ok = __atomic_compare_exchange_n(&d, &expect, 42, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			printf("  lr/sc cas.d: %d now %lld\n", ok, (long long)d);
			ok = __atomic_compare_exchange_n(&d, &expect, 43, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			printf("  lr/sc cas.d again: %d expected now %lld\n", ok, (long long)expect);
		}
		{
			int32_t e32 = (int32_t)0x80000004;
			volatile int32_t v32 = (int32_t)0x80000004;
			int ok = __atomic_compare_exchange_n(&v32, &e32, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			printf("  lr.w/sc.w cas of a negative word (sign-extension): %d now %d\n", ok, v32);
		}
		{
			/* No C builtin for these: the instructions themselves. */
			int32_t m = -5;
			long old1, old2;

			__asm__ volatile("amomin.w %0, %2, (%1)" : "=r"(old1) : "r"(&m), "r"(-9L) : "memory");
			__asm__ volatile("amomaxu.w %0, %2, (%1)" : "=r"(old2) : "r"(&m), "r"(3L) : "memory");
			printf("  amomin.w old %ld, amomaxu.w old %ld (sign-extended), now %d\n", old1, old2, m);
		}
	}

	/* A checksum loop mixing everything, the same at -O0 and -O2. */
	{
		uint64_t h = 0x9e3779b97f4a7c15ULL;

		for (volatile int k = 0; k < 100000; k++) {
			h ^= (uint64_t)k * 0xff51afd7ed558ccdULL;
			h = (h << 31) | (h >> 33);
			h += (uint64_t)((int64_t)h / ((k | 1) * 7)) ^ (uint64_t)((uint32_t)h % 13u);
		}
		printf("mix: %016llx\n", (unsigned long long)h);
	}
	return corpus_done();
}
