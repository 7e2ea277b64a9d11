/* Raw futex(2): value mismatch, timeouts (relative and absolute), wake counts,
 * bitsets, CMP_REQUEUE, and the CLONE_CHILD_CLEARTID wake that pthread_join uses. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long fx(uint32_t *u, int op, uint32_t v, const void *t, uint32_t *u2, uint32_t v3) {
	return syscall(SYS_futex, u, op, v, t, u2, v3);
}
static uint32_t word, word2;
static int woken;

static void *waiter(void *arg) {
	(void)arg;
	long r = fx(&word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	__atomic_add_fetch(&woken, 1, __ATOMIC_SEQ_CST);
	return (void *)r;
}

static void *bitwaiter(void *arg) {
	long r = fx(&word2, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, (uint32_t)(uintptr_t)arg);
	return (void *)r;
}

int main(void) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	errno = 0;
	printf("mismatch: %ld %s\n", fx(&word, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0), strerror(errno));
	struct timespec rel = { 0, 30 * 1000 * 1000 };
	errno = 0;
	printf("relative timeout: %ld %s\n", fx(&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0), strerror(errno));
	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 30 * 1000 * 1000;
	if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
	errno = 0;
	printf("absolute timeout: %ld %s\n", fx(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY), strerror(errno));
	printf("wake nobody: %ld\n", fx(&word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));

	pthread_t t[3];
	for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, waiter, NULL);
	usleep(100000);
	printf("wake 2 of 3: %ld\n", fx(&word, FUTEX_WAKE_PRIVATE, 2, NULL, NULL, 0));
	usleep(100000);
	printf("woken so far: %d\n", woken);
	errno = 0;
	printf("cmp_requeue bad value: %ld %s\n", fx(&word, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)1, &word2, 5), strerror(errno));
	printf("cmp_requeue: %ld\n", fx(&word, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)1, &word2, 0));
	printf("wake old word: %ld\n", fx(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	printf("wake new word: %ld\n", fx(&word2, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
	printf("joined all, woken=%d\n", woken);

	pthread_t b1, b2;
	pthread_create(&b1, NULL, bitwaiter, (void *)1);
	pthread_create(&b2, NULL, bitwaiter, (void *)2);
	usleep(100000);
	printf("wake bitset 2: %ld\n", fx(&word2, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 2));
	printf("wake bitset 1: %ld\n", fx(&word2, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 1));
	pthread_join(b1, NULL);
	pthread_join(b2, NULL);
	errno = 0;
	printf("bitset 0: %ld %s\n", fx(&word2, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0), strerror(errno));
	return 0;
}
