/* A robust mutex held by a thread that dies: the next locker gets EOWNERDEAD. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t m;
static void *holder(void *a) { (void)a; pthread_mutex_lock(&m); return NULL; }

int main(void) {
	pthread_mutexattr_t at;
	pthread_mutexattr_init(&at);
	pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST);
	int r = pthread_mutex_init(&m, &at);
	printf("init: %s\n", strerror(r));
	pthread_t t;
	pthread_create(&t, NULL, holder, NULL);
	pthread_join(t, NULL);
	r = pthread_mutex_lock(&m);
	printf("lock after owner died: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
	printf("consistent: %d unlock: %d\n", pthread_mutex_consistent(&m), pthread_mutex_unlock(&m));
	printf("lock again: %d\n", pthread_mutex_lock(&m));
	return 0;
}
