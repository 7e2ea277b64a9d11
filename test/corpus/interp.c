/*
 * interp: a small stack-machine interpreter running three programs
 * (a prime sieve, iterative Fibonacci modulo a prime, and a Collatz
 * search).  CPU-bound, branchy, and deterministic: the benchmark uses it.
 */
#include "corpus.h"

#include <stdint.h>

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, JZ, JMP, ALOAD, ASTORE, PRINT, HALT, DUP, DROP, SHR1, AND1 };

struct insn {
	enum op op;
	int64_t arg;
};

static int64_t mem[64], arr[200000];
static int64_t result[8];
static int nresult;

static long
run(const struct insn *code)
{
	int64_t stack[64];
	int sp = 0, pc = 0;
	long steps = 0;

	for (;;) {
		const struct insn *i = &code[pc++];
		steps++;
		switch (i->op) {
		case PUSH:   stack[sp++] = i->arg; break;
		case LOAD:   stack[sp++] = mem[i->arg]; break;
		case STORE:  mem[i->arg] = stack[--sp]; break;
		case ADD:    sp--; stack[sp - 1] += stack[sp]; break;
		case SUB:    sp--; stack[sp - 1] -= stack[sp]; break;
		case MUL:    sp--; stack[sp - 1] *= stack[sp]; break;
		case MOD:    sp--; stack[sp - 1] %= stack[sp]; break;
		case LT:     sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
		case JZ:     if (stack[--sp] == 0) pc = (int)i->arg; break;
		case JMP:    pc = (int)i->arg; break;
		case ALOAD:  stack[sp - 1] = arr[stack[sp - 1]]; break;
		case ASTORE: sp -= 2; arr[stack[sp + 1]] = stack[sp]; break;	/* value, index */
		case PRINT:  result[nresult++] = stack[--sp]; break;
		case DUP:    stack[sp] = stack[sp - 1]; sp++; break;
		case DROP:   sp--; break;
		case SHR1:   stack[sp - 1] >>= 1; break;
		case AND1:   stack[sp - 1] &= 1; break;
		case HALT:   return steps;
		}
	}
}

/* Count primes below N with a sieve: mem[0]=i, mem[1]=j, mem[2]=count. */
#define N 100000
static const struct insn sieve[] = {
	/* 0 */ { PUSH, 2 }, { STORE, 0 }, { PUSH, 0 }, { STORE, 2 },
	/* 4: outer loop: while i < N */
	{ LOAD, 0 }, { PUSH, N }, { LT, 0 }, { JZ, 33 },
	/* 8: if arr[i] == 0 */
	{ LOAD, 0 }, { ALOAD, 0 }, { JZ, 14 }, { JMP, 28 }, { HALT, 0 }, { HALT, 0 },
	/* 14: count++, j = i*2 */
	{ LOAD, 2 }, { PUSH, 1 }, { ADD, 0 }, { STORE, 2 },
	{ LOAD, 0 }, { LOAD, 0 }, { ADD, 0 }, { STORE, 1 },
	/* 22: while j < N: arr[j] = 1; j += i */
	{ LOAD, 1 }, { PUSH, N }, { LT, 0 }, { JZ, 28 }, { JMP, 37 }, { HALT, 0 },
	/* 28: i++ */
	{ LOAD, 0 }, { PUSH, 1 }, { ADD, 0 }, { STORE, 0 }, { JMP, 4 },
	/* 33 */ { LOAD, 2 }, { PRINT, 0 }, { HALT, 0 }, { HALT, 0 },
	/* 37: arr[j] = 1 */
	{ PUSH, 1 }, { LOAD, 1 }, { ASTORE, 0 },
	{ LOAD, 1 }, { LOAD, 0 }, { ADD, 0 }, { STORE, 1 }, { JMP, 22 },
};

/* fib(n) mod 1000000007 for n = 300000: mem[0]=a, mem[1]=b, mem[2]=n. */
static const struct insn fib[] = {
	{ PUSH, 0 }, { STORE, 0 }, { PUSH, 1 }, { STORE, 1 }, { PUSH, 300000 }, { STORE, 2 },
	/* 6 */ { LOAD, 2 }, { JZ, 22 },
	{ LOAD, 0 }, { LOAD, 1 }, { ADD, 0 }, { PUSH, 1000000007 }, { MOD, 0 },
	{ LOAD, 1 }, { STORE, 0 }, { STORE, 1 },
	{ LOAD, 2 }, { PUSH, 1 }, { SUB, 0 }, { STORE, 2 }, { JMP, 6 }, { HALT, 0 },
	/* 22 */ { LOAD, 0 }, { PRINT, 0 }, { HALT, 0 },
};

/* The start below 30000 with the longest Collatz chain, done in C for variety. */
static void
collatz(void)
{
	int best = 0, best_len = 0;

	for (int s = 1; s < 30000; s++) {
		uint64_t x = (uint64_t)s;
		int len = 1;

		while (x != 1) {
			x = (x & 1) ? 3 * x + 1 : x >> 1;
			len++;
		}
		if (len > best_len) {
			best_len = len;
			best = s;
		}
	}
	printf("collatz: longest chain below 30000 starts at %d, length %d\n", best, best_len);
	CHECK(best == 26623 && best_len == 308, "collatz answer");
}

int
main(void)
{
	long steps;

	corpus_init();
	steps = run(sieve);
	printf("sieve: %lld primes below %d (%ld steps)\n", (long long)result[0], N, steps);
	CHECK(result[0] == 9592, "9592 primes below 100000");
	steps = run(fib);
	printf("fib: F(300000) mod 1e9+7 = %lld (%ld steps)\n", (long long)result[1], steps);
	collatz();
	return corpus_done();
}
