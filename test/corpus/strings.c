/*
 * strings: the C library's pure functions, which exercise the integer
 * and FP units hard: qsort and bsearch, printf formats, strtod and
 * friends (correct rounding, hex floats, inf/nan), the string and memory
 * functions, and setjmp/longjmp.
 */
#include "corpus.h"

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
sorting(void)
{
	enum { N = 100000 };
	static int v[N];
	uint32_t s = 1;
	int sorted = 1, found = 0;

	for (int i = 0; i < N; i++) {
		s = s * 1103515245 + 12345;
		v[i] = (int)(s >> 1) % 1000000 - 500000;
	}
	qsort(v, N, sizeof(int), cmp_int);
	for (int i = 1; i < N; i++)
		sorted &= v[i - 1] <= v[i];
	CHECK(sorted, "qsort of 100000 ints");
	printf("min %d median %d max %d\n", v[0], v[N / 2], v[N - 1]);
	for (int i = 0; i < N; i += 7)
		found += bsearch(&v[i], v, N, sizeof(int), cmp_int) != NULL;
	CHECK(found == (N + 6) / 7, "bsearch finds every probed element");
	{
		int missing = 500001;
		CHECK(bsearch(&missing, v, N, sizeof(int), cmp_int) == NULL, "and not a missing one");
	}
	{
		const char *w[] = { "pear", "apple", "fig", "banana", "cherry", "apple", "Zebra", "" };
		qsort(w, 8, sizeof(char *), cmp_str);
		printf("sorted words:");
		for (int i = 0; i < 8; i++)
			printf(" '%s'", w[i]);
		printf("\n");
	}
}

static void
formatting(void)
{
	char buf[256];

	printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d] [%x] [%#X] [%#o] [%o]\n", 42, 42, 42, 42, 42, 42, 255, 255, 8, 0);
	printf("[%ld] [%lu] [%lld] [%llx] [%zd] [%hhd] [%hu]\n", LONG_MIN, ULONG_MAX, LLONG_MIN, 0xdeadbeefcafeULL, (ssize_t)-1, (char)200, (unsigned short)70000);
	printf("[%" PRId64 "] [%" PRIu32 "] [%" PRIx8 "]\n", INT64_MAX, UINT32_MAX, (uint8_t)0xab);
	printf("[%s] [%10s] [%-10s] [%.3s] [%c] [%%] [%p]\n", "str", "right", "left", "truncate", 'c', NULL);
	printf("[%*d] [%-*d] [%.*f]\n", 6, 7, 6, 7, 2, 3.14159);
	printf("[%g] [%g] [%g] [%g] [%G]\n", 100000.0, 1000000.0, 0.0001, 0.00001, 1e-10);
	printf("[%.0e] [%#.0f] [%#g] [%.10g]\n", 12345.0, 3.0, 1.0, 1.0 / 7);
	printf("[%a] [%A] [%.2a]\n", 1.0, -0.5, 1.0 / 3);
	printf("[%5.1f%%]\n", 99.44);
	snprintf(buf, sizeof(buf), "%s-%d-%.2f", "x", -1, -0.005);
	printf("snprintf: %s\n", buf);
	{
		int n1, n2;
		printf("%n[counted]%n\n", &n1, &n2);
		printf("%%n: %d %d\n", n1, n2);
	}
}

static void
parsing(void)
{
	static const char *in[] = {
		"0.1", "1e23", "8.589973e9", "2.2250738585072011e-308", "4.9e-324", "2e-324",
		"1.7976931348623157e308", "1.8e308", "0x1.8p1", "0x.8p-1074", "-0", "  +12.5e-1xyz",
		"inf", "-Infinity", "nan", "NAN(123)", "1e", ".5", "5.", "0x", "",
		"123456789012345678901234567890", "0.000000000000000000000000000001",
		"2.4703282292062327e-324", "2.4703282292062328e-324",
	};
	char *end;

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		errno = 0;
		double d = strtod(in[i], &end);
		printf("strtod(\"%s\") = %.17g [%a] used %d%s\n", in[i], d, d, (int)(end - in[i]), errno == ERANGE ? " ERANGE" : "");
	}
	printf("strtof(\"0.1\") = %a, strtold(\"0.1\") = %La\n", (double)strtof("0.1", NULL), strtold("0.1", NULL));
	printf("strtol: %ld %ld %ld %ld %ld\n", strtol("  -123abc", NULL, 10), strtol("0x1f", NULL, 0),
	    strtol("0777", NULL, 0), strtol("zz", NULL, 36), strtol("101", NULL, 2));
	errno = 0;
	printf("strtoul(\"-1\") = %lu, strtoull max = %llu, atoi(\"  42x\") = %d, atol = %ld\n",
	    strtoul("-1", NULL, 10), strtoull("18446744073709551615", NULL, 10), atoi("  42x"), atol("-9876543210"));
	{
		int a, b;
		char w[16];
		float f;
		int n = sscanf("12 0x1F word 2.5 rest", "%d %x %15s %f", &a, &b, w, &f);
		printf("sscanf: %d fields: %d %d %s %g\n", n, a, b, w, (double)f);
	}
}

static void
strs(void)
{
	char buf[64], *save, *tok;
	char text[] = "a,b,,c;d";

	strcpy(buf, "0123456789");
	memmove(buf + 2, buf, 8);
	printf("memmove overlap forward: %s\n", buf);
	strcpy(buf, "0123456789");
	memmove(buf, buf + 2, 8);
	printf("memmove overlap backward: %.10s\n", buf);
	printf("strlen %zu strcmp %d %d strncmp %d strcasecmp %d\n", strlen("hello"),
	    strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strncmp("abcx", "abcy", 3), strcasecmp("HeLLo", "hello"));
	printf("strchr %s strrchr %s strstr %s strpbrk %s strspn %zu strcspn %zu\n",
	    strchr("hello", 'l'), strrchr("hello", 'l'), strstr("haystack needle", "need"),
	    strpbrk("abcdef", "xdc"), strspn("aaabbc", "ab"), strcspn("hello world", " "));
	printf("tokens:");
	for (tok = strtok_r(text, ",;", &save); tok; tok = strtok_r(NULL, ",;", &save))
		printf(" [%s]", tok);
	printf("\n");
	memset(buf, 'x', sizeof(buf));
	strncpy(buf, "ab", 5);
	printf("strncpy pads: %d %d %d %c\n", buf[2], buf[3], buf[4], buf[5]);
	printf("memcmp %d memchr %s\n", memcmp("abc", "abd", 3) < 0, (char *)memchr("find me", 'm', 7));
	{
		char *d = strdup("duplicate");
		char *nd = strndup("duplicate", 3);
		printf("strdup %s strndup %s\n", d, nd);
		free(d);
		free(nd);
	}
	printf("ctype: %d%d%d%d%d %c%c\n", isalpha('a') != 0, isdigit('5') != 0, isspace('\t') != 0,
	    isupper('a') != 0, ispunct('!') != 0, toupper('q'), tolower('Q'));
	/* Unaligned and large copies: the library's word-at-a-time paths. */
	{
		static unsigned char src[70000], dst[70000];
		int ok = 1;

		for (size_t i = 0; i < sizeof(src); i++)
			src[i] = (unsigned char)(i * 131 + 7);
		for (size_t off = 0; off < 16; off++) {
			memcpy(dst + off, src + (15 - off), 65536);
			ok &= memcmp(dst + off, src + (15 - off), 65536) == 0;
		}
		CHECK(ok, "memcpy/memcmp at every alignment");
	}
}

static jmp_buf jb;
static sigjmp_buf sjb;
static int depth_reached;

static void
recurse(int n)
{
	volatile char pad[256];

	pad[0] = (char)n;
	depth_reached = n;
	if (n == 100)
		longjmp(jb, n + pad[0]);
	recurse(n + 1);
}

static void on_usr1(int sig) { (void)sig; siglongjmp(sjb, 7); }

static void
jumps(void)
{
	volatile int local = 1;
	int r;
	sigset_t m;

	r = setjmp(jb);
	if (r == 0) {
		local = 2;
		recurse(1);
	}
	CHECK(r == 200 && local == 2 && depth_reached == 100, "longjmp out of 100 frames returns 200");
	r = setjmp(jb);
	if (r == 0)
		longjmp(jb, 0);
	CHECK(r == 1, "longjmp(jb, 0) makes setjmp return 1");

	signal(SIGUSR1, on_usr1);
	if ((r = sigsetjmp(sjb, 1)) == 0)
		raise(SIGUSR1);
	sigprocmask(SIG_BLOCK, NULL, &m);
	CHECK(r == 7 && !sigismember(&m, SIGUSR1), "siglongjmp out of a handler restores the mask");
	if ((r = sigsetjmp(sjb, 0)) == 0)
		raise(SIGUSR1);
	sigprocmask(SIG_BLOCK, NULL, &m);
	CHECK(r == 7 && sigismember(&m, SIGUSR1), "sigsetjmp(env, 0) leaves the handler's mask in place");
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	signal(SIGUSR1, SIG_DFL);
}

int
main(void)
{
	corpus_init();
	sorting();
	formatting();
	parsing();
	strs();
	jumps();
	return corpus_done();
}
