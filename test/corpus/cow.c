/*
 * cow: copy-on-write after fork.  Writes by the child do not show in the
 * parent and vice versa, for globals, the stack, the heap, big arrays and
 * private file mappings, across several generations.
 */
#include "corpus.h"

#include <sys/mman.h>

#define BIG (8 << 20)

static int global = 1;
static char bss[1 << 16];

static unsigned long
sum(const unsigned char *p, size_t n)
{
	unsigned long s = 0;

	for (size_t i = 0; i < n; i += 97)
		s += p[i] * (i | 1);
	return s;
}

/* The child reports over a pipe what it saw, after its own writes. */
int
main(void)
{
	unsigned char *big = malloc(BIG);
	int stack_var = 10, p[2], st;
	unsigned long before, seen[4];
	pid_t pid;

	corpus_init();
	for (size_t i = 0; i < BIG; i++)
		big[i] = (unsigned char)(i ^ (i >> 9));
	memset(bss, 'b', sizeof(bss));
	before = sum(big, BIG);

	pipe(p);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		/* Child: it starts with the parent's values... */
		seen[0] = (unsigned long)global * 1000 + (unsigned long)stack_var;
		seen[1] = sum(big, BIG) == before;
		/* ...then changes everything. */
		global = 2;
		stack_var = 20;
		memset(big, 0xee, BIG);
		memset(bss, 'c', sizeof(bss));
		seen[2] = (unsigned long)global * 1000 + (unsigned long)stack_var;
		seen[3] = big[BIG - 1] == 0xee && bss[0] == 'c';
		write(p[1], seen, sizeof(seen));
		_exit(0);
	}
	read(p[0], seen, sizeof(seen));
	waitpid(pid, &st, 0);
	CHECK(seen[0] == 1010 && seen[1] == 1, "the child starts with the parent's memory");
	CHECK(seen[2] == 2020 && seen[3] == 1, "the child sees its own writes");
	CHECK(global == 1 && stack_var == 10, "the parent's globals and stack are untouched");
	CHECK(sum(big, BIG) == before && bss[100] == 'b', "the parent's 8 MiB heap array and bss are untouched");

	/* The other way: the parent writes after fork, the child must not see it. */
	fflush(stdout);
	if ((pid = fork()) == 0) {
		unsigned long r;

		read(p[0], &r, sizeof(r));	/* wait until the parent has written */
		r = global == 1 && big[12345] == (unsigned char)(12345 ^ (12345 >> 9)) && bss[7] == 'b';
		_exit(r ? 0 : 1);
	}
	global = 3;
	memset(big, 0x11, BIG);
	bss[7] = 'z';
	write(p[1], &before, sizeof(before));
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the parent's writes after fork are not seen by the child");

	/* Generations: each descendant changes one cell and checks its ancestors' values. */
	{
		int depth;

		global = 0;
		fflush(stdout);
		for (depth = 0; depth < 5; depth++) {
			pid = fork();
			if (pid != 0)
				break;
			if (global != depth)
				_exit(1);
			global = depth + 1;
		}
		if (pid > 0) {
			waitpid(pid, &st, 0);
			if (depth > 0)	/* pass the verdict up the chain */
				_exit(WIFEXITED(st) && WEXITSTATUS(st) == 0 && global == depth ? 0 : 1);
			CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && global == 0, "five generations each see their own copy");
		} else {
			_exit(global == 5 ? 0 : 1);	/* the last one */
		}
	}

	/* Writable private file mapping, written by both after fork. */
	{
		char path[128], *m;
		int fd;

		snprintf(path, sizeof(path), "%s/f", corpus_mkdtemp("cow"));
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		ftruncate(fd, 4096);
		pwrite(fd, "file", 4, 0);
		m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		m[0] = 'F';
		fflush(stdout);
		if ((pid = fork()) == 0) {
			m[1] = 'I';
			_exit(m[0] == 'F' && m[1] == 'I' ? 0 : 1);
		}
		waitpid(pid, &st, 0);
		CHECK(WEXITSTATUS(st) == 0 && m[0] == 'F' && m[1] == 'i', "private file mapping is copied, not shared, after fork");
		munmap(m, 4096);
		close(fd);
		corpus_rmtree(corpus_tmp);
	}

	/* Many short-lived children touching a big array: frames must be freed. */
	{
		int ok = 1;

		for (int i = 0; i < 20 && ok; i++) {
			fflush(stdout);
			if ((pid = fork()) == 0) {
				memset(big, i, BIG);
				_exit(big[BIG / 2] == i ? 0 : 1);
			}
			waitpid(pid, &st, 0);
			ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
		}
		CHECK(ok && big[0] == 0x11, "20 children each dirty 8 MiB of copies");
	}
	free(big);
	return corpus_done();
}
