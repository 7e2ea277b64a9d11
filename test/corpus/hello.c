/*
 * hello: the first thing any kernel must get right.  Prints a greeting,
 * checks the auxiliary vector and uname, then re-executes itself with a
 * known argv and environment so that the second image can print them
 * (the first image's argv[0] and environment depend on who started it).
 *
 * corpus: exec
 */
#include "corpus.h"

#include <sys/auxv.h>
#include <sys/utsname.h>

extern char **environ;

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
second_image(int argc, char **argv)
{
	char **e;
	size_t n;
	int i;

	printf("second image: argc=%d\n", argc);
	for (i = 0; i < argc; i++)
		printf("argv[%d]=\"%s\"\n", i, argv[i]);
	CHECK(argv[argc] == NULL, "argv is NULL terminated");
	/*
	 * Sorted: under qemu the exec goes through a binfmt_misc helper that
	 * may reorder the environment (the kernel itself must not).
	 */
	for (n = 0; environ[n] != NULL; n++)
		;
	qsort(environ, n, sizeof(char *), cmpstr);
	for (e = environ; *e != NULL; e++)
		printf("env \"%s\"\n", *e);
	CHECK(getenv("CORPUS_GREETING") != NULL &&
	    strcmp(getenv("CORPUS_GREETING"), "hello, world") == 0,
	    "getenv finds CORPUS_GREETING");
	CHECK(getenv("NOT_THERE") == NULL, "getenv of a missing name is NULL");
	return corpus_done();
}

int
main(int argc, char **argv)
{
	struct utsname u;
	unsigned long hwcap;
	const char *self;
	int major = 0, minor = 0;

	corpus_init();
	if (argc > 1 && strcmp(argv[1], "--second") == 0)
		return second_image(argc, argv);

	printf("hello, world\n");

	/* The auxv values Linux gives every riscv64 process. */
	CHECK(getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ is 4096");
	CHECK(sysconf(_SC_PAGESIZE) == 4096, "sysconf(_SC_PAGESIZE) is 4096");
	hwcap = getauxval(AT_HWCAP);
	printf("AT_HWCAP has:");
	for (const char *c = "IMAFDC"; *c != '\0'; c++)
		if (hwcap & (1UL << (*c - 'A')))
			printf(" %c", *c);
	printf("\n");
	CHECK((hwcap & 0x112d) == 0x112d, "AT_HWCAP covers RV64IMAFDC");
	CHECK(getauxval(AT_PHENT) == 56, "AT_PHENT is sizeof(Elf64_Phdr)");
	CHECK(getauxval(AT_PHDR) != 0, "AT_PHDR is set");
	CHECK(getauxval(AT_PHNUM) > 0, "AT_PHNUM is positive");
	CHECK(getauxval(AT_ENTRY) != 0, "AT_ENTRY is set");
	CHECK(getauxval(AT_RANDOM) != 0, "AT_RANDOM points somewhere");
	CHECK(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid(),
	    "AT_UID and AT_EUID match getuid/geteuid");
	CHECK(getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid(),
	    "AT_GID and AT_EGID match getgid/getegid");
	CHECK(getauxval(AT_SECURE) == 0, "AT_SECURE is 0");
	CHECK(getauxval(AT_CLKTCK) == 100, "AT_CLKTCK is 100");
	CHECK(sysconf(_SC_CLK_TCK) == 100, "sysconf(_SC_CLK_TCK) is 100");
	self = (const char *)getauxval(AT_EXECFN);
	CHECK(self != NULL && self[0] == '/', "AT_EXECFN is an absolute path");

	/* glibc refuses kernels older than 4.15 on riscv64. */
	CHECK(uname(&u) == 0, "uname");
	printf("sysname=%s machine=%s\n", u.sysname, u.machine);
	sscanf(u.release, "%d.%d", &major, &minor);
	CHECK(major > 4 || (major == 4 && minor >= 15), "release is at least 4.15");

	/* Replace ourselves with a known argv and environment. */
	{
		char *nargv[] = { "hello-again", "--second", "two words", "", "last", NULL };
		char *nenv[] = { "CORPUS_GREETING=hello, world", "EMPTY=", "A=1", NULL };

		if (self == NULL)
			return corpus_done();
		fflush(stdout);
		execve(self, nargv, nenv);
		CHECK(0, "execve of self: %s", strerror(errno));
	}
	return corpus_done();
}
