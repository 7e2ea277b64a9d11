/*
 * fault: synchronous signals from the CPU and the VM, caught with
 * SA_SIGINFO and left with siglongjmp: SIGSEGV on NULL, on a write to a
 * read-only page, on executing a non-executable page, above the user
 * address space; SIGILL with the faulting pc; SIGBUS past the end of a
 * mapped file; ebreak as SIGTRAP.  si_addr and si_code are checked.
 */
#include "corpus.h"

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

static sigjmp_buf env;
static volatile int got_sig, got_code;
static void *volatile got_addr;

static void
on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(env, 1);
}

static void
catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

#define TRY(what) (got_sig = 0, got_addr = (void *)1, sigsetjmp(env, 1) == 0 ? ((what), 0) : 1)

static const char *
signame(int sig)
{
	return sig ? sigabbrev_np(sig) : "none";
}

/* An illegal instruction at a known address. */
extern char illegal_insn[];
__asm__(".text\n.globl illegal_insn\n.type illegal_insn,@function\n"
    "illegal_insn:\n .word 0\n ret\n");
extern char ebreak_insn[];
__asm__(".text\n.globl ebreak_insn\n.type ebreak_insn,@function\n"
    "ebreak_insn:\n ebreak\n ret\n");

int
main(void)
{
	volatile int *vp;
	volatile int sink;
	long pg = sysconf(_SC_PAGESIZE);
	char *p;

	corpus_init();
	catch(SIGSEGV);
	catch(SIGBUS);
	catch(SIGILL);
	catch(SIGTRAP);

	vp = NULL;
	if (TRY(sink = *vp))
		;
	CHECK(got_sig == SIGSEGV, "load from NULL: %s", signame(got_sig));
	CHECK(got_addr == NULL && got_code == SEGV_MAPERR, "si_addr NULL, SEGV_MAPERR (%d)", got_code);

	vp = (volatile int *)(uintptr_t)0x10;
	TRY(*vp = 1);
	CHECK(got_sig == SIGSEGV && got_addr == (void *)0x10, "store to 0x10: si_addr 0x10");

	p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	mprotect(p, 2 * pg, PROT_READ);
	sink = p[0];
	TRY(p[pg + 8] = 2);
	CHECK(got_sig == SIGSEGV && got_addr == p + pg + 8 && got_code == SEGV_ACCERR,
	    "store to a read-only page: si_addr exact, SEGV_ACCERR (%d)", got_code);
	CHECK(p[0] == 1, "the read-only page still reads");
	mprotect(p, 2 * pg, PROT_NONE);
	TRY(sink = p[5]);
	CHECK(got_sig == SIGSEGV && got_addr == p + 5 && got_code == SEGV_ACCERR, "load from PROT_NONE: SEGV_ACCERR");
	mprotect(p, 2 * pg, PROT_READ | PROT_WRITE);
	p[5] = 7;
	CHECK(p[5] == 7, "writable again after mprotect");

	/* Execute data: a mapping without PROT_EXEC. */
	{
		void (*fn)(void);
		uint32_t ret = 0x00008067;	/* jalr x0, 0(ra) */

		memcpy(p, &ret, 4);
		fn = (void (*)(void))(void *)p;
		TRY(fn());
		CHECK(got_sig == SIGSEGV && got_addr == p && got_code == SEGV_ACCERR,
		    "jump into a non-executable page: SIGSEGV at its address");
		/* With PROT_EXEC it runs. */
		mprotect(p, pg, PROT_READ | PROT_EXEC);
		__builtin___clear_cache(p, p + 4);
		got_sig = 0;
		if (TRY(fn()) == 0)
			CHECK(got_sig == 0, "the same code runs once PROT_EXEC");
		else
			CHECK(0, "the same code runs once PROT_EXEC: %s", signame(got_sig));
	}
	munmap(p, 2 * pg);
	TRY(sink = p[0]);
	CHECK(got_sig == SIGSEGV && got_addr == p && got_code == SEGV_MAPERR, "load from an unmapped page: SEGV_MAPERR");

	/* Far above anything mapped (and above 4 GiB). */
	vp = (volatile int *)(uintptr_t)0x0000003000000000UL;
	TRY(sink = *vp);
	CHECK(got_sig == SIGSEGV && got_addr == (void *)vp, "load from 0x3000000000: SIGSEGV there");

	/* Writing our own text. */
	vp = (volatile int *)(void *)main;
	TRY(*vp = 0);
	CHECK(got_sig == SIGSEGV && got_addr == (void *)main && got_code == SEGV_ACCERR, "store into text: SEGV_ACCERR");

	TRY(((void (*)(void))(void *)illegal_insn)());
	CHECK(got_sig == SIGILL, "illegal instruction: %s", signame(got_sig));
	CHECK(got_addr == illegal_insn && got_code == ILL_ILLOPC, "si_addr is the pc, ILL_ILLOPC (%d)", got_code);

	TRY(((void (*)(void))(void *)ebreak_insn)());
	CHECK(got_sig == SIGTRAP, "ebreak: %s", signame(got_sig));
	CHECK(got_addr == ebreak_insn, "at the ebreak (si_code %d)", got_code);

	/* SIGBUS: a page wholly past the end of the file. */
	{
		char path[128];
		int fd;

		snprintf(path, sizeof(path), "%s/f", corpus_mkdtemp("fault"));
		fd = open(path, O_RDWR | O_CREAT, 0644);
		write(fd, "0123456789", 10);
		p = mmap(NULL, 3 * pg, PROT_READ, MAP_SHARED, fd, 0);
		CHECK(p != MAP_FAILED, "map 3 pages of a 10-byte file");
		CHECK(memcmp(p, "0123456789", 10) == 0 && p[10] == 0 && p[pg - 1] == 0,
		    "the first page holds the file, zero-filled");
		TRY(sink = p[pg]);
		CHECK(got_sig == SIGBUS && got_addr == p + pg && got_code == BUS_ADRERR,
		    "the next page: SIGBUS, BUS_ADRERR (%s %d)", signame(got_sig), got_code);
		/* Growing the file makes it readable. */
		ftruncate(fd, pg + 1);
		got_sig = 0;
		TRY(sink = p[pg]);
		CHECK(got_sig == 0 && p[pg] == 0, "after ftruncate the page reads zero");
		munmap(p, 3 * pg);
		close(fd);
		unlink(path);
		corpus_rmtree(corpus_tmp);
	}

	/* The signal mask is restored by siglongjmp: faults still catchable. */
	vp = NULL;
	TRY(sink = *vp);
	CHECK(got_sig == SIGSEGV, "a fault after all that is still caught");
	(void)sink;
	return corpus_done();
}
