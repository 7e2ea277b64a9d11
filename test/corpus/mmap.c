/*
 * mmap: anonymous memory, MAP_PRIVATE and MAP_SHARED file mappings in
 * /tmp, munmap of the middle of a region, mprotect, mremap (grow in place
 * or move, shrink), MAP_FIXED over an existing mapping, madvise(DONTNEED),
 * brk, and the argument errors.
 */
#include "corpus.h"

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

static sigjmp_buf env;
static volatile int faulted;
static void *volatile fault_addr;

static void
on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	faulted = 1;
	fault_addr = si->si_addr;
	siglongjmp(env, 1);
}

/* Does touching p fault?  (write != 0: a store, else a load) */
static int
faults(volatile char *p, int write)
{
	faulted = 0;
	if (sigsetjmp(env, 1) == 0) {
		if (write)
			*p = 1;
		else
			(void)*p;
	}
	return faulted && fault_addr == (void *)p;
}

static long pg;

static void
anonymous(void)
{
	char *p, *q;
	int zero = 1;

	p = mmap(NULL, 64 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED && ((uintptr_t)p & (pg - 1)) == 0, "anonymous mmap, page aligned");
	for (long i = 0; i < 64 * pg; i += 512)
		zero &= p[i] == 0;
	CHECK(zero, "demand-zero pages read 0");
	for (long i = 0; i < 64; i++)
		p[i * pg] = (char)i;

	/* Punch a hole in the middle: the ends stay. */
	CHECK(munmap(p + 10 * pg, 4 * pg) == 0, "munmap 4 pages in the middle");
	CHECK(faults(p + 10 * pg, 0) && faults(p + 13 * pg + 100, 0), "the hole faults");
	CHECK(!faults(p + 9 * pg, 0) && p[9 * pg] == 9 && p[14 * pg] == 14, "the neighbours keep their data");

	/* MAP_FIXED into the hole and over existing pages. */
	q = mmap(p + 10 * pg, 6 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + 10 * pg, "MAP_FIXED lands where asked");
	CHECK(p[10 * pg] == 0 && p[15 * pg] == 0 && p[16 * pg] == 16, "replaced pages are fresh zeros, the rest untouched");

	/* mprotect splits regions. */
	CHECK(mprotect(p + 20 * pg, pg, PROT_READ) == 0, "mprotect one page read-only");
	CHECK(faults(p + 20 * pg, 1) && !faults(p + 19 * pg, 1) && !faults(p + 21 * pg, 1), "only that page rejects stores");
	CHECK(p[20 * pg] == 20, "and still reads");
	mprotect(p + 20 * pg, pg, PROT_READ | PROT_WRITE);
	CHECK(!faults(p + 20 * pg, 1), "writable again");

	/* madvise(MADV_DONTNEED) on private anonymous memory zero-fills. */
	p[30 * pg] = 42;
	CHECK(madvise(p + 30 * pg, pg, MADV_DONTNEED) == 0 && p[30 * pg] == 0, "MADV_DONTNEED drops the contents");

	/* mremap: grow (maybe moving), contents follow; shrink. */
	memset(p, 'a', 64 * pg);
	q = mremap(p, 64 * pg, 256 * pg, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED, "mremap grow to 1 MiB");
	CHECK(q[0] == 'a' && q[64 * pg - 1] == 'a' && q[64 * pg] == 0 && q[256 * pg - 1] == 0,
	    "old contents kept, new tail zero");
	q = mremap(q, 256 * pg, 8 * pg, 0);
	CHECK(q != MAP_FAILED && q[8 * pg - 1] == 'a', "mremap shrink in place");
	CHECK(faults(q + 8 * pg, 0), "the released tail faults");
	errno = 0;
	CHECK(mremap(q, 8 * pg, 1UL << 40, 0) == MAP_FAILED && errno == ENOMEM,
	    "growing in place into nothing without MAYMOVE: ENOMEM");
	munmap(q, 8 * pg);

	/* Errors. */
	errno = 0;
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL, "length 0: EINVAL");
	errno = 0;
	CHECK(mmap(NULL, pg, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL, "neither private nor shared: EINVAL");
	errno = 0;
	CHECK(mmap((void *)(pg + 1), pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED && errno == EINVAL,
	    "unaligned MAP_FIXED: EINVAL");
	errno = 0;
	CHECK(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED && errno == EBADF, "bad fd: EBADF");
	errno = 0;
	CHECK(munmap((void *)(pg + 1), pg) == -1 && errno == EINVAL, "unaligned munmap: EINVAL");
	CHECK(munmap(p, pg) == 0, "munmap of nothing mapped is fine");
	errno = 0;
	CHECK(mprotect(p, pg, PROT_READ) == -1 && errno == ENOMEM, "mprotect of unmapped memory: ENOMEM");
}

static void
files(const char *dir)
{
	char path[256], buf[64];
	char *p, *s;
	int fd;

	snprintf(path, sizeof(path), "%s/data", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (int i = 0; i < 3 * pg; i++)
		write(fd, &"0123456789abcdef"[i % 16], 1);

	/* MAP_PRIVATE: our writes are ours alone. */
	p = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED && memcmp(p, "0123456789abcdef", 16) == 0, "MAP_PRIVATE sees the file");
	p[0] = 'X';
	pread(fd, buf, 1, 0);
	CHECK(buf[0] == '0', "a private write does not reach the file");
	pwrite(fd, "Y", 1, pg + 1);
	CHECK(p[pg + 1] == 'Y', "a write(2) to an untouched page shows through a private mapping");

	/* MAP_SHARED: both ways. */
	s = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(s != MAP_FAILED && s[0] == '0', "MAP_SHARED sees the file, not the private copy");
	memcpy(s + 100, "shared!", 7);
	pread(fd, buf, 7, 100);
	CHECK(memcmp(buf, "shared!", 7) == 0, "a shared store is visible to read(2)");
	pwrite(fd, "written", 7, 2 * pg);
	CHECK(memcmp(s + 2 * pg, "written", 7) == 0, "write(2) is visible in the shared mapping");
	CHECK(msync(s, 3 * pg, MS_SYNC) == 0, "msync");

	/* The mapping outlives the descriptor; the data outlives the mapping. */
	close(fd);
	memcpy(s + pg, "after close", 11);
	munmap(s, 3 * pg);
	munmap(p, 3 * pg);
	fd = open(path, O_RDONLY);
	pread(fd, buf, 11, pg);
	CHECK(memcmp(buf, "after close", 11) == 0, "stores after close(2) and munmap reach the file");

	/* Offsets, and the permission rules. */
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 2 * pg);
	CHECK(p != MAP_FAILED && memcmp(p, "written", 7) == 0, "mapping at a page offset");
	munmap(p, pg);
	errno = 0;
	CHECK(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 1) == MAP_FAILED && errno == EINVAL, "unaligned offset: EINVAL");
	errno = 0;
	CHECK(mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EACCES,
	    "writable MAP_SHARED of an O_RDONLY file: EACCES");
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED, "writable MAP_PRIVATE of an O_RDONLY file is fine");
	munmap(p, pg);
	close(fd);

	/* A shared anonymous mapping is shared with a child. */
	{
		volatile int *shared = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		pid_t pid;

		*shared = 1;
		fflush(stdout);
		if ((pid = fork()) == 0) {
			*shared = 2;
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		CHECK(*shared == 2, "MAP_SHARED|MAP_ANONYMOUS: the child's store is seen by the parent");
		munmap((void *)shared, pg);
	}
	unlink(path);
}

static void
heap(void)
{
	char *b0 = sbrk(0), *b1;

	CHECK(b0 != (void *)-1, "sbrk(0)");
	b1 = sbrk(3 * pg);
	CHECK(b1 == b0, "sbrk grows from the old break");
	memset(b1, 0x5a, 3 * pg);
	CHECK(sbrk(0) == b0 + 3 * pg, "the break moved by 3 pages");
	CHECK(brk(b0) == 0 && sbrk(0) == b0, "brk shrinks it back");
}

int
main(void)
{
	struct sigaction sa;
	const char *dir;

	corpus_init();
	pg = sysconf(_SC_PAGESIZE);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	dir = corpus_mkdtemp("mmap");
	anonymous();
	files(dir);
	heap();
	corpus_rmtree(dir);
	return corpus_done();
}
