/*
 * threads: pthread_create/join with return values, mutexes, condition
 * variables (a bounded producer/consumer queue), thread-local storage,
 * pthread_once, detached threads, many threads, C11 atomics, barriers,
 * rwlocks, semaphores, timed waits, cancellation, and a signal to a thread.
 * Output is only totals, never interleavings.
 */
#include "corpus.h"

#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>

static void *
square(void *arg)
{
	intptr_t v = (intptr_t)arg;

	return (void *)(v * v);
}

static void
create_join(void)
{
	pthread_t t[8];
	intptr_t total = 0;
	void *rv;

	for (intptr_t i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, square, (void *)i);
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], &rv);
		total += (intptr_t)rv;
	}
	CHECK(total == 140, "8 threads return their squares, sum 140");
	CHECK(pthread_equal(pthread_self(), pthread_self()) && !pthread_equal(t[0], pthread_self()), "pthread_equal");
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static atomic_long acounter;
static long racy_free_total;

static void *
add_many(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		atomic_fetch_add(&acounter, 1);
	}
	return NULL;
}

static void
mutexes(void)
{
	pthread_t t[6];
	pthread_mutex_t m;
	pthread_mutexattr_t a;

	for (int i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, add_many, NULL);
	for (int i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	CHECK(counter == 120000, "mutex-protected counter: %ld", counter);
	CHECK(atomic_load(&acounter) == 120000, "atomic counter: %ld", (long)atomic_load(&acounter));

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&m, &a);
	pthread_mutex_lock(&m);
	CHECK(pthread_mutex_lock(&m) == EDEADLK, "error-checking mutex relock: EDEADLK");
	CHECK(pthread_mutex_trylock(&m) == EBUSY, "trylock of a held mutex: EBUSY");
	pthread_mutex_unlock(&m);
	CHECK(pthread_mutex_unlock(&m) == EPERM, "unlocking an unowned mutex: EPERM");
	pthread_mutex_destroy(&m);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&m, &a);
	CHECK(pthread_mutex_lock(&m) == 0 && pthread_mutex_lock(&m) == 0 &&
	    pthread_mutex_unlock(&m) == 0 && pthread_mutex_unlock(&m) == 0, "recursive mutex locks twice");
	pthread_mutex_destroy(&m);
}

/* A bounded queue: 3 producers, 2 consumers. */
#define QLEN 8
static struct {
	pthread_mutex_t m;
	pthread_cond_t notfull, notempty;
	int buf[QLEN], head, count, done;
} q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, 0, 0, 0 };

static void *
producer(void *arg)
{
	int base = (int)(intptr_t)arg;

	for (int i = 1; i <= 3000; i++) {
		pthread_mutex_lock(&q.m);
		while (q.count == QLEN)
			pthread_cond_wait(&q.notfull, &q.m);
		q.buf[(q.head + q.count++) % QLEN] = base + i;
		pthread_cond_signal(&q.notempty);
		pthread_mutex_unlock(&q.m);
	}
	return NULL;
}

static void *
consumer(void *arg)
{
	long sum = 0, n = 0;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&q.m);
		while (q.count == 0 && !q.done)
			pthread_cond_wait(&q.notempty, &q.m);
		if (q.count == 0 && q.done) {
			pthread_mutex_unlock(&q.m);
			break;
		}
		sum += q.buf[q.head];
		q.head = (q.head + 1) % QLEN;
		q.count--;
		n++;
		pthread_cond_signal(&q.notfull);
		pthread_mutex_unlock(&q.m);
	}
	pthread_mutex_lock(&lock);
	racy_free_total += sum;
	pthread_mutex_unlock(&lock);
	return (void *)(intptr_t)n;
}

static void
condvars(void)
{
	pthread_t prod[3], cons[2];
	intptr_t items = 0;
	void *rv;

	for (int i = 0; i < 2; i++)
		pthread_create(&cons[i], NULL, consumer, NULL);
	for (int i = 0; i < 3; i++)
		pthread_create(&prod[i], NULL, producer, (void *)(intptr_t)(i * 100000));
	for (int i = 0; i < 3; i++)
		pthread_join(prod[i], NULL);
	pthread_mutex_lock(&q.m);
	q.done = 1;
	pthread_cond_broadcast(&q.notempty);
	pthread_mutex_unlock(&q.m);
	for (int i = 0; i < 2; i++) {
		pthread_join(cons[i], &rv);
		items += (intptr_t)rv;
	}
	printf("producer/consumer: %ld items, sum %ld\n", (long)items, racy_free_total);
	CHECK(items == 9000 && racy_free_total == 913504500L, "every item consumed exactly once");

	/* A timed wait that times out. */
	{
		pthread_cond_t c = PTHREAD_COND_INITIALIZER;
		struct timespec ts;
		int r;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 30 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&lock);
		do
			r = pthread_cond_timedwait(&c, &lock, &ts);
		while (r == 0);
		pthread_mutex_unlock(&lock);
		CHECK(r == ETIMEDOUT, "pthread_cond_timedwait times out: ETIMEDOUT");
	}
}

static __thread int tls = 5;
static __thread char tls_buf[100];
static int once_count;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void once_fn(void) { once_count++; }

static void *
tls_worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	int ok = tls == 5 && tls_buf[0] == 0;

	pthread_once(&once, once_fn);
	tls = id;
	snprintf(tls_buf, sizeof(tls_buf), "thread %d", id);
	sched_yield();
	ok = ok && tls == id && strcmp(tls_buf + 7, "") != 0 && atoi(tls_buf + 7) == id;
	return (void *)(intptr_t)ok;
}

static void
tls_once(void)
{
	pthread_t t[10];
	void *rv;
	int ok = 1;

	tls = 99;
	for (int i = 0; i < 10; i++)
		pthread_create(&t[i], NULL, tls_worker, (void *)(intptr_t)i);
	for (int i = 0; i < 10; i++) {
		pthread_join(t[i], &rv);
		ok &= (int)(intptr_t)rv;
	}
	CHECK(ok, "each thread has its own initialised TLS");
	CHECK(tls == 99, "the main thread's TLS is untouched");
	CHECK(once_count == 1, "pthread_once ran once for 10 threads");
}

static sem_t sem;

static void *
detached(void *arg)
{
	(void)arg;
	sem_post(&sem);
	return NULL;
}

static void *
tid_of(void *arg)
{
	*(pid_t *)arg = (pid_t)syscall(SYS_gettid);
	return NULL;
}

static void
many(void)
{
	pthread_attr_t a;
	pthread_t t[50];
	pid_t tids[50];
	int ok = 1, distinct = 1;

	sem_init(&sem, 0, 0);
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	for (int i = 0; i < 20; i++)
		ok &= pthread_create(&t[0], &a, detached, NULL) == 0;
	for (int i = 0; i < 20; i++)
		sem_wait(&sem);
	CHECK(ok, "20 detached threads ran and posted a semaphore");

	/* 200 threads, 50 alive at a time. */
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < 50; i++)
			ok &= pthread_create(&t[i], NULL, tid_of, &tids[i]) == 0;
		for (int i = 0; i < 50; i++)
			pthread_join(t[i], NULL);
		for (int i = 0; i < 50; i++)
			for (int j = 0; j < i; j++)
				distinct &= tids[i] != tids[j] && tids[i] != getpid();
	}
	CHECK(ok, "200 threads created in batches of 50");
	CHECK(distinct, "live threads have distinct tids, none equal to the pid");
	CHECK(syscall(SYS_gettid) == getpid(), "the main thread's tid is the pid");
}

static pthread_barrier_t bar;
static atomic_int arrived, after;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int shared_value;

static void *
bar_worker(void *arg)
{
	(void)arg;
	atomic_fetch_add(&arrived, 1);
	pthread_barrier_wait(&bar);
	/* Everybody arrived before anybody left. */
	if (atomic_load(&arrived) == 4)
		atomic_fetch_add(&after, 1);
	for (int i = 0; i < 1000; i++) {
		pthread_rwlock_wrlock(&rw);
		shared_value++;
		pthread_rwlock_unlock(&rw);
		pthread_rwlock_rdlock(&rw);
		(void)shared_value;
		pthread_rwlock_unlock(&rw);
	}
	return NULL;
}

static void *
cancellable(void *arg)
{
	(void)arg;
	for (;;)
		pause();	/* a cancellation point */
	return NULL;
}

static volatile sig_atomic_t usr1_hits;
static void on_usr1(int sig) { (void)sig; usr1_hits++; }

static void *
waits_for_signal(void *arg)
{
	sigset_t m;

	(void)arg;
	sigemptyset(&m);
	while (usr1_hits == 0)
		sigsuspend(&m);
	return NULL;
}

static void
sync_misc(void)
{
	pthread_t t[4];
	void *rv;
	int cas_ok;
	atomic_int x = 5;
	int expect = 5;

	pthread_barrier_init(&bar, NULL, 4);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, bar_worker, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(atomic_load(&after) == 4, "a barrier holds all 4 threads until the last arrives");
	CHECK(shared_value == 4000, "rwlock-protected counter: %d", shared_value);

	cas_ok = atomic_compare_exchange_strong(&x, &expect, 9);
	CHECK(cas_ok && x == 9, "compare-exchange succeeds on the expected value");
	cas_ok = atomic_compare_exchange_strong(&x, &expect, 11);
	CHECK(!cas_ok && expect == 9 && x == 9, "and fails, reporting the current one");
	CHECK(atomic_exchange(&x, 1) == 9 && atomic_fetch_or(&x, 6) == 1 && atomic_fetch_and(&x, 3) == 7 && x == 3,
	    "exchange, fetch_or, fetch_and");

	pthread_create(&t[0], NULL, cancellable, NULL);
	usleep(10000);
	pthread_cancel(t[0]);
	pthread_join(t[0], &rv);
	CHECK(rv == PTHREAD_CANCELED, "a thread blocked in pause() is cancelled");

	{
		struct sigaction sa;
		sigset_t m, old;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		sigaction(SIGUSR1, &sa, NULL);
		/* Block it here so only the target thread can take it. */
		sigemptyset(&m);
		sigaddset(&m, SIGUSR1);
		pthread_sigmask(SIG_BLOCK, &m, &old);
		pthread_create(&t[0], NULL, waits_for_signal, NULL);
		usleep(10000);
		pthread_kill(t[0], SIGUSR1);
		pthread_join(t[0], NULL);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		CHECK(usr1_hits == 1, "pthread_kill reaches the thread in sigsuspend");
	}
}

/* exit() from a thread ends the whole process: tried in a child. */
static void *
exits(void *arg)
{
	(void)arg;
	exit(12);
}

static int
exit_from_thread(void)
{
	pthread_t t;

	pthread_create(&t, NULL, exits, NULL);
	for (;;)
		pause();
}

/* fork in a threaded process: the child has only the forking thread. */
static int
fork_from_threads(void)
{
	pthread_t t;
	pid_t pid;
	int st;

	pthread_create(&t, NULL, cancellable, NULL);
	if ((pid = fork()) == 0) {
		pthread_mutex_lock(&lock);	/* must not be held by a lost thread */
		pthread_mutex_unlock(&lock);
		_exit(21);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

int
main(void)
{
	corpus_init();
	create_join();
	mutexes();
	condvars();
	tls_once();
	many();
	sync_misc();
	printf("exit() in a thread: %s\n", corpus_status(corpus_child(exit_from_thread)));
	printf("fork with threads running: %s\n", corpus_status(corpus_child(fork_from_threads)));
	return corpus_done();
}
